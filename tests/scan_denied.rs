//! A denied service makes the scan incomplete (exit 2, the service under `errors`) and never
//! makes its resources "missing". Uses the emulator's real IAM enforcement: a user whose
//! policy is the shipped `docs/iam-policy.json` without its S3 statement.

mod common;

use common::*;

fn policy_without(sid_prefix: &str) -> String {
    let mut p: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(root().join("docs/iam-policy.json")).unwrap()).unwrap();
    p["Statement"].as_array_mut().unwrap().retain(|s| !s["Sid"].as_str().unwrap().starts_with(sid_prefix));
    p.to_string()
}

#[test]
fn access_denied_is_incomplete_not_missing_and_the_shipped_policy_suffices() {
    let emulator = Emulator::start();
    let stack = Stack::apply(&emulator, "smoke", &[]);
    let full = emulator.iam_user("plumb-reader", &policy_without("NoSuchSid"));
    let no_s3 = emulator.iam_user("plumb-no-s3", &policy_without("PlumbReadS3"));
    emulator.enforce_iam(true);

    // The shipped policy is enough for a complete scan (the smoke bucket's hardening
    // findings are below `--fail-on critical`; scan_core covers them).
    let run = emulator
        .plumb_as(&full, &["scan", "--state", stack.state_path_str(), "--format", "json", "--fail-on", "critical"]);
    let report = run.json();
    assert_eq!(report["complete"], true, "shipped policy is not sufficient: {:#}", report["errors"]);
    // The only drift: the two IAM users made above for this test (with their inline policy
    // and access key), unmanaged since IAM is read too. Exit 1 for that drift.
    let drift: Vec<&serde_json::Value> =
        report["resources"].as_array().unwrap().iter().filter(|r| r["status"] != "in_sync").collect();
    assert!(
        drift.iter().all(|r| r["status"] == "unmanaged"
            && r["type"].as_str().unwrap().starts_with("aws_iam_")
            && ["plumb-reader", "plumb-no-s3"]
                .iter()
                .any(|u| r["id"].as_str().unwrap().starts_with(u) || r["type"] == "aws_iam_access_key")),
        "{drift:#?}"
    );
    assert_eq!(run.code, 1, "{}", run.stderr);

    // Without S3 reads: exit 2, s3 under errors, the bucket not missing, the VPC still judged.
    let run = emulator.plumb_as(&no_s3, &["scan", "--state", stack.state_path_str(), "--format", "json"]);
    assert_eq!(run.code, 2, "{}\n{}", run.stdout, run.stderr);
    let report = run.json();
    assert_eq!(report["complete"], false);
    let errors = report["errors"].as_array().unwrap();
    assert!(
        errors.iter().any(|e| e["service"] == "s3" && e["code"] == "AccessDenied"),
        "expected an s3 AccessDenied error: {errors:#?}"
    );
    assert!(errors.iter().all(|e| e["service"] == "s3"), "only s3 was denied: {errors:#?}");
    let resources = report["resources"].as_array().unwrap();
    assert!(
        resources.iter().all(|r| !r["type"].as_str().unwrap().starts_with("aws_s3_")),
        "no S3 resource may be judged when S3 reads are denied: {resources:#?}"
    );
    assert_eq!(report["summary"]["missing"], 0);
    let vpc = resources.iter().find(|r| r["address"] == "aws_vpc.smoke").expect("the VPC is judged");
    assert_eq!(vpc["status"], "in_sync");
    assert!(report["not_judged"].as_array().unwrap().iter().any(|n| n["address"] == "aws_s3_bucket.smoke"));
    // A bucket we could not read is not judged by the rules either (no false "no public
    // access block"); the rules that read buckets are skipped and said so.
    let findings = report["findings"].as_array().unwrap();
    assert!(findings.iter().all(|f| !f["type"].as_str().unwrap().starts_with("aws_s3_")), "{findings:#?}");
    assert!(run.stderr.contains("rule HS-S3-004 not evaluated"), "{}", run.stderr);

    // The text report says so too.
    let text = emulator.plumb_as(&no_s3, &["scan", "--state", stack.state_path_str()]);
    assert_eq!(text.code, 2);
    assert!(text.stdout.contains("Scan incomplete") && text.stdout.contains("AccessDenied"), "{}", text.stdout);
}

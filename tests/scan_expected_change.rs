//! Expected change end to end on the emulator: a tag moved out of band is drift; with the
//! code's `lifecycle { ignore_changes }` (`--code`) or an ignore file (`--ignore`) it is
//! reported as ignored, the resource is in sync, and an ignore entry that matched nothing or
//! expired is listed.

mod common;

use common::*;

#[test]
fn ignored_changes_are_reported_not_counted() {
    let fx = smoke();
    let vpc = fx.stack.attr("aws_vpc.smoke", "id");
    let rt = tokio::runtime::Runtime::new().unwrap();
    rt.block_on(async {
        let ec2 = fx.emulator.ec2();
        let tag = aws_sdk_ec2::types::Tag::builder().key("Owner").value("autoscaler").build();
        ec2.create_tags().resources(&vpc).tags(tag).send().await.unwrap();
    });
    let gate = ["--fail-on", "none"];

    // Without a decision: drift.
    let run = fx.scan(&gate);
    assert_eq!(run.code, 1, "{}", run.stderr);
    let r = by_address(&run.json());
    assert_eq!(r["aws_vpc.smoke"]["status"], "drifted");

    // The ignore file: in sync, the change listed as ignored with its reason; an entry that
    // matched nothing and an expired one are reported.
    let dir = tempfile::tempdir().unwrap();
    let ignore = dir.path().join("plumb-ignore.yaml");
    std::fs::write(
        &ignore,
        "- address: aws_vpc.*\n  paths: [tags.Owner]\n  reason: The platform team's tagger owns this tag.\n\
         - address: aws_instance.*\n  paths: [tags]\n  reason: no instance here\n\
         - address: aws_s3_bucket.smoke\n  paths: [tags]\n  reason: old\n  expires: 2020-01-31\n",
    )
    .unwrap();
    let run = fx.scan(&["--ignore", ignore.to_str().unwrap(), "--fail-on", "none"]);
    assert_eq!(run.code, 0, "an ignored change is not drift\n{}", run.stderr);
    let report = run.json();
    let r = by_address(&report);
    assert_eq!(r["aws_vpc.smoke"]["status"], "in_sync");
    let ignored = &r["aws_vpc.smoke"]["ignored"][0];
    assert_eq!(ignored["path"], "tags.Owner");
    assert_eq!(ignored["live"], "autoscaler");
    assert_eq!(ignored["reason"], "The platform team's tagger owns this tag.");
    assert!(ignored["by"].as_str().unwrap().ends_with("plumb-ignore.yaml:1"), "{ignored:#}");
    assert_eq!(report["summary"]["ignored_changes"], 1);
    let stale: Vec<(&str, &str)> = report["stale_ignores"]
        .as_array()
        .unwrap()
        .iter()
        .map(|s| (s["address"].as_str().unwrap(), s["state"].as_str().unwrap()))
        .collect();
    assert_eq!(stale, [("aws_instance.*", "unmatched"), ("aws_s3_bucket.smoke", "expired")]);
    assert!(run.stderr.contains("unmatched"), "{}", run.stderr);
    let text = fx.emulator.plumb(&[
        "scan",
        "--state",
        fx.stack.state_path_str(),
        "--ignore",
        ignore.to_str().unwrap(),
        "--fail-on",
        "none",
    ]);
    assert!(text.stdout.contains("Ignored changes (expected, not drift)"), "{}", text.stdout);
    assert!(text.stdout.contains("aws_vpc.smoke: tags.Owner"), "{}", text.stdout);
    assert!(text.stdout.contains("Ignore entries that did nothing"), "{}", text.stdout);

    // The code's lifecycle block says the same.
    let code = tempfile::tempdir().unwrap();
    std::fs::write(
        code.path().join("main.tf"),
        "resource \"aws_vpc\" \"smoke\" {\n  cidr_block = \"10.99.0.0/16\"\n  lifecycle {\n    ignore_changes = [tags]\n  }\n}\n",
    )
    .unwrap();
    let run = fx.scan(&["--code", code.path().to_str().unwrap(), "--fail-on", "none"]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    let r = by_address(&run.json());
    assert_eq!(r["aws_vpc.smoke"]["status"], "in_sync");
    assert_eq!(r["aws_vpc.smoke"]["ignored"][0]["by"], "main.tf:1");

    // A bad ignore file is bad input: exit 2 before anything is read, with file and line.
    std::fs::write(&ignore, "- address: aws_vpc.*\n  paths: [tags]\n  reason: ''\n").unwrap();
    let run = fx.scan(&["--ignore", ignore.to_str().unwrap()]);
    assert_eq!(run.code, 2);
    assert!(run.stderr.contains("line 3: entry 1: `reason` must not be empty"), "{}", run.stderr);
}

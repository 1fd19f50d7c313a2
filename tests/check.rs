//! `plumb check`: Terraform code and plans against the rules before apply, with CI-native
//! output (SARIF, JUnit, Markdown, JSON, text). No emulator: check makes no AWS call.

use std::path::Path;
use std::process::Command;

struct Run {
    code: i32,
    stdout: String,
    stderr: String,
}

/// Run plumb from the project root with no AWS configuration at all.
fn plumb(args: &[&str]) -> Run {
    let out = Command::new(env!("CARGO_BIN_EXE_plumb"))
        .args(args)
        .current_dir(env!("CARGO_MANIFEST_DIR"))
        .env_clear()
        .env("PATH", std::env::var("PATH").unwrap_or_default())
        .env("NO_COLOR", "1")
        .output()
        .expect("run plumb");
    Run {
        code: out.status.code().unwrap_or(-1),
        stdout: String::from_utf8_lossy(&out.stdout).into_owned(),
        stderr: String::from_utf8_lossy(&out.stderr).into_owned(),
    }
}

/// How many findings the JSON report of `plumb check DIR` lists.
fn json_findings(dir: &str) -> usize {
    let r = plumb(&["check", dir, "--format", "json"]);
    let v: serde_json::Value = serde_json::from_str(&r.stdout).unwrap();
    v["findings"].as_array().unwrap().len()
}

/// The pull-request scenario: every violating resource at its file and line, nothing else.
#[test]
fn pull_request_findings_are_at_the_right_file_and_line() {
    let r = plumb(&["check", "testdata/check/pr", "--format", "json"]);
    assert_eq!(r.code, 1, "{}", r.stderr);
    let v: serde_json::Value = serde_json::from_str(&r.stdout).unwrap();
    assert_eq!(v["schema_version"], 1);
    let mut got: Vec<(String, String, u64, String)> = v["findings"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| {
            (
                f["rule_id"].as_str().unwrap().to_string(),
                f["file"].as_str().unwrap().to_string(),
                f["line"].as_u64().unwrap(),
                f["address"].as_str().unwrap().to_string(),
            )
        })
        .collect();
    got.sort();
    got.dedup();
    let want = [
        ("HS-EBS-001", "main.tf", 98, "aws_ebs_volume.data[1]"),
        ("HS-KMS-001", "main.tf", 8, "aws_kms_key.legacy"),
        // SSH and RDP from anywhere: HS-NET-002's findings alone (one open rule, one finding).
        ("HS-NET-002", "main.tf", 70, "aws_security_group.admin"),
        ("HS-RDS-001", "main.tf", 44, "aws_db_instance.reports"),
        ("HS-RDS-003", "main.tf", 44, "aws_db_instance.reports"),
        ("HS-RDS-004", "main.tf", 44, "aws_db_instance.reports"),
        ("HS-RDS-005", "main.tf", 44, "aws_db_instance.reports"),
        ("HS-RDS-007", "main.tf", 44, "aws_db_instance.reports"),
        ("HS-S3-001", "main.tf", 24, "aws_s3_bucket.logs"),
        (
            "HS-S3-001",
            "modules/phi_bucket/main.tf",
            6,
            "module.phi_bucket[\"scratch\"].aws_s3_bucket_server_side_encryption_configuration.this",
        ),
        ("HS-S3-003", "main.tf", 24, "aws_s3_bucket.logs"),
        ("HS-S3-004", "main.tf", 24, "aws_s3_bucket.logs"),
        ("HS-S3-006", "main.tf", 24, "aws_s3_bucket.logs"),
        ("HS-S3-007", "main.tf", 24, "aws_s3_bucket.logs"),
    ];
    let mut want: Vec<(String, String, u64, String)> =
        want.iter().map(|(a, b, c, d)| (a.to_string(), b.to_string(), *c, d.to_string())).collect();
    want.sort();
    assert_eq!(got, want);
    // The list is exact: the compliant resources (the records bucket through the module, the
    // encrypted DB, the internal group, volume 0) have no finding.
}

/// `resources[].owner`: a split resource names the resource whose joined view it is judged
/// in (what a finding on it is about); owning resources carry no owner.
#[test]
fn split_resources_name_their_owner() {
    let r = plumb(&["check", "testdata/check/pr", "--format", "json"]);
    let v: serde_json::Value = serde_json::from_str(&r.stdout).unwrap();
    let owner = |address: &str| {
        let found = v["resources"].as_array().unwrap().iter().find(|x| x["address"] == address);
        found.unwrap_or_else(|| panic!("{address} not listed")).get("owner").cloned()
    };
    let bucket = "module.phi_bucket[\"scratch\"].aws_s3_bucket.this";
    assert_eq!(
        owner("module.phi_bucket[\"scratch\"].aws_s3_bucket_server_side_encryption_configuration.this"),
        Some(serde_json::json!(bucket))
    );
    assert_eq!(owner("aws_flow_log.main"), Some(serde_json::json!("aws_vpc.main")));
    assert_eq!(owner(bucket), None);
    // A subnet owns its own view even though instances read it: it stays its own thing.
    assert_eq!(owner("aws_subnet.app"), None);
}

#[test]
fn sarif_is_valid_and_complete() {
    let r = plumb(&["check", "testdata/check/pr", "--format", "sarif"]);
    assert_eq!(r.code, 1, "{}", r.stderr);
    let doc: serde_json::Value = serde_json::from_str(&r.stdout).unwrap();
    // Beside /work/main; from a worktree, PLUMB_SHARED_SCHEMAS names the directory.
    let schemas_dir = std::env::var("PLUMB_SHARED_SCHEMAS")
        .map(std::path::PathBuf::from)
        .unwrap_or_else(|_| Path::new(env!("CARGO_MANIFEST_DIR")).join("../shared/schemas"));
    let schema = schemas_dir.join("sarif-schema-2.1.0.json");
    let mut schemas = boon::Schemas::new();
    let mut compiler = boon::Compiler::new();
    let idx = compiler.compile(schema.to_str().unwrap(), &mut schemas).expect("SARIF schema compiles");
    if let Err(e) = schemas.validate(&doc, idx) {
        panic!("SARIF does not validate: {e:#}");
    }
    let run = &doc["runs"][0];
    let baseline = code_rules();
    assert_eq!(run["tool"]["driver"]["rules"].as_array().unwrap().len(), baseline);
    for rule in run["tool"]["driver"]["rules"].as_array().unwrap() {
        let id = rule["id"].as_str().unwrap();
        assert!(rule["help"]["markdown"].as_str().unwrap().contains(&format!("docs/rules/{id}.md")));
        assert!(rule["properties"]["security-severity"].is_string());
    }
    let results = run["results"].as_array().unwrap();
    assert_eq!(results.len(), json_findings("testdata/check/pr"));
    for res in results {
        let loc = &res["locations"][0]["physicalLocation"];
        let uri = loc["artifactLocation"]["uri"].as_str().unwrap();
        assert!(uri.starts_with("testdata/check/pr/"), "{uri}: relative to the repository root");
        assert!(Path::new(env!("CARGO_MANIFEST_DIR")).join(uri).is_file(), "{uri}");
        assert!(loc["region"]["startLine"].as_u64().unwrap() > 0);
    }
    // Machine-applicable fixes: exact replacements in the files the results point at.
    let fixed: Vec<&serde_json::Value> = results.iter().filter(|r| r["fixes"].is_array()).collect();
    assert!(!fixed.is_empty(), "some findings carry fixes");
    for r in fixed {
        for change in r["fixes"][0]["artifactChanges"].as_array().unwrap() {
            let uri = change["artifactLocation"]["uri"].as_str().unwrap();
            assert!(uri.starts_with("testdata/check/pr/"), "{uri}");
            let text = std::fs::read_to_string(Path::new(env!("CARGO_MANIFEST_DIR")).join(uri)).unwrap();
            for rep in change["replacements"].as_array().unwrap() {
                let end = rep["deletedRegion"]["charOffset"].as_u64().unwrap()
                    + rep["deletedRegion"]["charLength"].as_u64().unwrap();
                assert!(end as usize <= text.chars().count(), "{rep}");
            }
        }
    }
}

#[test]
fn junit_has_one_case_per_rule_and_resource() {
    let r = plumb(&["check", "testdata/check/pr", "--format", "junit"]);
    assert_eq!(r.code, 1, "{}", r.stderr);
    let x = &r.stdout;
    assert!(x.starts_with("<?xml"));
    assert_eq!(x.matches("<testsuite ").count(), code_rules());
    let cases = x.matches("<testcase ").count();
    assert!(x.contains(&format!("<testsuites name=\"plumb check\" tests=\"{cases}\"")), "{x}");
    // One failure element per finding.
    assert_eq!(x.matches("<failure ").count(), json_findings("testdata/check/pr"));
    assert!(x.contains(r#"<testcase classname="HS-KMS-001" name="aws_kms_key.phi" file="main.tf" line="1"/>"#), "{x}");
}

#[test]
fn markdown_comment_groups_by_severity() {
    let r = plumb(&["check", "testdata/check/pr", "--format", "markdown"]);
    assert_eq!(r.code, 1);
    insta::assert_snapshot!("pr_markdown", r.stdout);
}

#[test]
fn text_report() {
    let r = plumb(&["check", "testdata/check/pr"]);
    assert_eq!(r.code, 1);
    insta::assert_snapshot!("pr_text", r.stdout);
}

#[test]
fn fail_on_threshold() {
    assert_eq!(plumb(&["check", "testdata/check/pr", "--fail-on", "critical"]).code, 1);
    // eval fixture: only high and medium findings.
    assert_eq!(plumb(&["check", "testdata/check/eval", "--fail-on", "critical"]).code, 0);
}

#[test]
fn syntax_error_exits_2_with_file_and_line() {
    let r = plumb(&["check", "testdata/check/syntax"]);
    assert_eq!(r.code, 2);
    assert!(!r.stderr.contains("panicked"));
    insta::assert_snapshot!("syntax_error", r.stderr);
}

#[test]
fn undeclared_variable_exits_2_with_caret() {
    let r = plumb(&["check", "testdata/check/undeclared"]);
    assert_eq!(r.code, 2);
    insta::assert_snapshot!("undeclared_variable", r.stderr);
}

#[test]
fn evaluation_of_variables_locals_modules_and_functions() {
    let inputs = plumb::source::hcl::Inputs {
        vars: vec!["name=cli".into()],
        var_files: vec!["testdata/check/eval/override.tfvars".into()],
    };
    let c = plumb::source::hcl::load(Path::new("testdata/check/eval"), &inputs).unwrap();
    let mut out = String::new();
    for r in &c.resources {
        let attrs: serde_json::Value =
            serde_json::Value::Object(r.attributes.iter().map(|(k, v)| (k.clone(), v.to_json())).collect());
        out.push_str(&format!("{:?} {} {:?}\n  {}\n", r.address, r.id, r.origin, attrs));
    }
    out.push_str(&format!("notes: {:#?}\n", c.notes));
    insta::assert_snapshot!("eval_resources", out);
}

#[test]
fn plan_values_and_drift() {
    let r = plumb(&["check", "testdata/check/plan", "--plan", "testdata/check/plan/plan.json", "--format", "json"]);
    assert_eq!(r.code, 1, "{}", r.stderr);
    assert!(!r.stdout.contains("not-a-real-secret"));
    let v: serde_json::Value = serde_json::from_str(&r.stdout).unwrap();
    let ids: Vec<(&str, u64)> = v["findings"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| (f["rule_id"].as_str().unwrap(), f["line"].as_u64().unwrap()))
        .collect();
    // The SSE configuration joins through the configuration's reference: no HS-S3-001.
    assert_eq!(
        ids,
        vec![
            ("HS-KMS-001", 1),
            ("HS-S3-003", 5),
            ("HS-S3-004", 5),
            ("HS-S3-006", 5),
            ("HS-S3-007", 5),
            ("HS-S3-002", 9),
            ("HS-RDS-003", 19),
            ("HS-RDS-007", 19)
        ]
    );
    assert_eq!(v["drift"][0]["address"], "aws_db_instance.records");
    assert_eq!(v["drift"][0]["changed"], serde_json::json!(["backup_retention_period"]));
}

#[test]
fn state_shows_changes_not_yet_applied() {
    let r = plumb(&["check", "testdata/check/plan", "--state", "testdata/check/plan/terraform.tfstate"]);
    assert_eq!(r.code, 1, "{}", r.stderr);
    assert!(r.stdout.contains("Update aws_db_instance.records"), "{}", r.stdout);
    assert!(r.stdout.contains("backup_retention_period: 7 -> 35"), "{}", r.stdout);
    assert!(r.stdout.contains("Create aws_kms_key.phi"), "{}", r.stdout);
    assert!(r.stdout.contains("Destroy aws_s3_bucket.old"), "{}", r.stdout);
}

/// Waivers and `--fail-on` gate `check` as they gate `scan`: a current waiver marks its
/// findings waived and stops them failing; an expired one does not and is reported.
#[test]
fn waivers_and_fail_on_gate_the_run() {
    let waivers = "testdata/check/policy/waivers.yaml";
    let r = plumb(&["check", "testdata/check/pr", "--waivers", waivers, "--fail-on", "critical", "--format", "json"]);
    // RDS-001 on reports is critical and its waiver expired: the run still fails.
    assert_eq!(r.code, 1, "{}", r.stderr);
    assert!(r.stderr.contains("expired"), "{}", r.stderr);
    let v: serde_json::Value = serde_json::from_str(&r.stdout).unwrap();
    let waived: Vec<(&str, bool)> = v["findings"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|f| f["severity"] == "critical")
        .map(|f| (f["rule_id"].as_str().unwrap(), f["waived"].as_bool().unwrap()))
        .collect();
    assert_eq!(waived, vec![("HS-RDS-001", false), ("HS-NET-002", true), ("HS-NET-002", true)]);
    assert_eq!(v["expired_waivers"][0]["rule"], "HS-RDS-001");
    assert_eq!(v["expired_waivers"][0]["matches"], 1);
    assert_eq!(v["summary"]["failing"], 1);
    assert_eq!(v["summary"]["findings"]["waived"], 2);
    // Markdown says so too.
    let md = plumb(&["check", "testdata/check/pr", "--waivers", waivers, "--format", "markdown"]);
    assert!(md.stdout.contains("Expired waiver: HS-RDS-001"), "{}", md.stdout);
    assert!(md.stdout.contains("<details><summary>Waived (2)</summary>"), "{}", md.stdout);

    // Without the critical findings (eval fixture), the gate at critical passes.
    let ok = plumb(&["check", "testdata/check/eval", "--fail-on", "critical"]);
    assert_eq!(ok.code, 0, "{}{}", ok.stdout, ok.stderr);
}

/// A team's own rule (`--rules DIR`) runs beside the baseline and reports like it.
#[test]
fn user_rules_run_beside_the_baseline() {
    let r = plumb(&["check", "testdata/check/pr", "--rules", "testdata/check/policy/rules", "--format", "json"]);
    assert_eq!(r.code, 1, "{}", r.stderr);
    let v: serde_json::Value = serde_json::from_str(&r.stdout).unwrap();
    let acme: Vec<&str> = v["findings"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|f| f["rule_id"] == "ACME-TAG-001")
        .map(|f| f["address"].as_str().unwrap())
        .collect();
    // aws_kms_key.phi carries local.tags (Owner = platform); the legacy key has no tags.
    assert_eq!(acme, vec!["aws_kms_key.legacy"]);
    assert_eq!(v["summary"]["rules"], code_rules() + 1);
}

/// A rule that needs a value known only after apply does not fail; verbose output says it
/// cannot evaluate, and notes what was not read (a registry module).
#[test]
fn unknown_values_cannot_evaluate_and_do_not_fail() {
    let r = plumb(&["check", "testdata/check/eval", "-v"]);
    assert_eq!(r.code, 1, "{}", r.stderr);
    assert!(!r.stdout.contains("HS-KMS-001 aws_kms_key.maybe_rotating"), "{}", r.stdout);
    assert!(r.stdout.contains("Cannot evaluate"), "{}", r.stdout);
    assert!(r.stdout.contains("  aws_kms_key.maybe_rotating: enable_key_rotation\n"), "{}", r.stdout);
    assert!(r.stdout.contains("module.remote: source \"terraform-aws-modules/vpc/aws\" is not a local path"));
    // Other formats say it on stderr.
    let j = plumb(&["check", "testdata/check/eval", "-v", "--format", "json"]);
    assert!(j.stderr.contains("cannot evaluate aws_kms_key.maybe_rotating: enable_key_rotation"), "{}", j.stderr);
}

/// A rule that fails at run time makes the check incomplete in every format (exit 2), never
/// a silent pass.
#[test]
fn a_rule_failing_at_run_time_is_an_error_in_every_format() {
    let args = |format: &str| {
        plumb(&["check", "testdata/check/pr", "--rules", "testdata/check/policy/broken", "--format", format])
    };
    let json = args("json");
    assert_eq!(json.code, 2, "{}", json.stderr);
    let v: serde_json::Value = serde_json::from_str(&json.stdout).unwrap();
    let errors = v["errors"].as_array().unwrap();
    assert_eq!(errors.len(), 1, "{v:#}");
    assert!(errors[0].as_str().unwrap().starts_with("rule ACME-BROKEN-001 failed to evaluate"), "{errors:?}");
    let text = args("text");
    assert_eq!(text.code, 2);
    assert!(text.stdout.contains("Incomplete: rules failed to evaluate"), "{}", text.stdout);
    let sarif = args("sarif");
    assert_eq!(sarif.code, 2);
    let s: serde_json::Value = serde_json::from_str(&sarif.stdout).unwrap();
    assert_eq!(s["runs"][0]["invocations"][0]["executionSuccessful"], false);
    assert!(
        s["runs"][0]["invocations"][0]["toolExecutionNotifications"][0]["message"]["text"]
            .as_str()
            .unwrap()
            .contains("ACME-BROKEN-001")
    );
    let junit = args("junit");
    assert_eq!(junit.code, 2);
    assert!(junit.stdout.contains(r#"<error message="rule ACME-BROKEN-001 failed to evaluate"#), "{}", junit.stdout);
    let md = args("markdown");
    assert_eq!(md.code, 2);
    assert!(md.stdout.contains("Plumb check incomplete: 1 rule(s) failed to evaluate"), "{}", md.stdout);
}

/// The baseline rules `plumb check` runs: all but those judged on the live view only.
fn code_rules() -> usize {
    plumb::rules::RuleSet::baseline().filter(|r| !r.meta.live_only).len()
}

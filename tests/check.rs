//! `plumb check`: Terraform code and plans against the rules before apply, with CI-native
//! output (SARIF, JUnit, Markdown, JSON, text). Check makes no AWS call; one test applies a
//! stack on the emulator to compare `check --state` with `terraform plan`.

mod common;

use std::collections::BTreeSet;
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
        // No HS-S3-001 on the logs bucket: the code shows it receiving server access logs
        // (the module's logging target), and AWS delivers those only to SSE-S3 buckets.
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
    let schema = Path::new(env!("CARGO_MANIFEST_DIR")).join("../shared/schemas/sarif-schema-2.1.0.json");
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
        env: vec![],
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
    // -v notes go to standard error in every format: standard output is the report alone.
    assert!(!r.stdout.contains("cannot evaluate") && !r.stdout.contains("note:"), "{}", r.stdout);
    assert!(
        r.stderr.contains(
            "plumb: cannot evaluate aws_kms_key.maybe_rotating: enable_key_rotation (known only after apply)\n"
        ),
        "{}",
        r.stderr
    );
    assert!(r.stderr.contains("module.remote: source \"terraform-aws-modules/vpc/aws\" is not a local path"));
    let plain = plumb(&["check", "testdata/check/eval"]);
    assert_eq!(plain.stdout, r.stdout, "-v changes standard error only");
    for format in ["json", "sarif", "junit", "markdown"] {
        let j = plumb(&["check", "testdata/check/eval", "-v", "--format", format]);
        assert!(j.stderr.contains("cannot evaluate aws_kms_key.maybe_rotating: enable_key_rotation"), "{}", j.stderr);
        assert!(j.stderr.contains("plumb: note: module.remote"), "{format}: {}", j.stderr);
    }
    // `--no-color` is accepted as by `scan` (a report written to a pipe has no colour anyway).
    let nc = plumb(&["check", "testdata/check/eval", "--no-color"]);
    assert_eq!(nc.stdout, plain.stdout);
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

/// `(rule, file, line, address)` of every finding of a JSON report, sorted.
fn findings_of(stdout: &str) -> Vec<(String, String, u64, String)> {
    let v: serde_json::Value = serde_json::from_str(stdout).unwrap_or_else(|e| panic!("{e}: {stdout}"));
    let mut got: Vec<(String, String, u64, String)> = v["findings"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| {
            (
                f["rule_id"].as_str().unwrap().to_string(),
                f["file"].as_str().unwrap_or("-").to_string(),
                f["line"].as_u64().unwrap_or(0),
                f["address"].as_str().unwrap_or("-").to_string(),
            )
        })
        .collect();
    got.sort();
    got
}

fn owned(want: &[(&str, &str, u64, &str)]) -> Vec<(String, String, u64, String)> {
    let mut w: Vec<(String, String, u64, String)> =
        want.iter().map(|(a, b, c, d)| (a.to_string(), b.to_string(), *c, d.to_string())).collect();
    w.sort();
    w
}

/// A pull request usually changes a setting on something that already exists: a rule on a
/// group given by id, variable or data source, a split setting on an existing bucket, a key
/// policy on an existing key. Each is judged in a view of its own, at its own file and line;
/// what the code does not say about the owner is unknown, so nothing else is reported.
#[test]
fn settings_on_resources_outside_the_code_are_judged() {
    let r = plumb(&["check", "testdata/check/outside", "--format", "json", "-v"]);
    assert_eq!(r.code, 1, "{}", r.stderr);
    let want = [
        ("HS-NET-002", "main.tf", 14, "aws_security_group_rule.ssh"),
        ("HS-NET-001", "main.tf", 34, "aws_vpc_security_group_ingress_rule.postgres"),
        ("HS-NET-002", "main.tf", 43, "aws_security_group_rule.rdp"),
        ("HS-S3-003", "main.tf", 55, "aws_s3_bucket_versioning.archive"),
        ("HS-S3-001", "main.tf", 62, "aws_s3_bucket_server_side_encryption_configuration.archive"),
        ("HS-S3-004", "main.tf", 71, "aws_s3_bucket_public_access_block.archive"),
        ("HS-KMS-004", "main.tf", 80, "aws_kms_key_policy.shared"),
    ];
    assert_eq!(findings_of(&r.stdout), owned(&want));
    // -v names each view whose owner is outside the code, and what it was judged on.
    for line in [
        "plumb: owner outside the code: security_group sg-0a1b2c3d4e5f60718 is not declared here; judged on aws_security_group_rule.https, aws_security_group_rule.ssh",
        "plumb: owner outside the code: security_group security_group_id of aws_vpc_security_group_ingress_rule.postgres",
        "plumb: owner outside the code: s3_bucket acme-archive is not declared here; judged on aws_s3_bucket_public_access_block.archive, aws_s3_bucket_server_side_encryption_configuration.archive, aws_s3_bucket_versioning.archive",
        "plumb: owner outside the code: kms_key arn:aws:kms:us-east-1:111122223333:key/8f1c2a4e-0b5d-4c3e-9a7f-2d6e1b0c9a88",
    ] {
        assert!(r.stderr.contains(line), "missing {line:?} in\n{}", r.stderr);
    }
    // The outside owners are not "cannot evaluate" noise: only their own unknowns exist.
    assert!(!r.stderr.contains("cannot evaluate sg-0a1b2c3d4e5f60718"), "{}", r.stderr);
}

/// With `.terraform/modules/modules.json` (what `terraform init` writes), registry and git
/// modules are checked like local ones: findings point into the installed module's file and
/// line and name the root module's `module` block they come through. A module the manifest
/// does not list is noted, not guessed.
#[test]
fn registry_modules_are_checked_through_the_manifest() {
    let r = plumb(&["check", "testdata/check/registry", "--format", "json", "-v"]);
    assert_eq!(r.code, 1, "{}", r.stderr);
    let sg = ".terraform/modules/db_sg/main.tf";
    let web = ".terraform/modules/web_sg/main.tf";
    let want = [
        // The legacy splat inside concat(...)[0] links each rule to its group.
        ("HS-NET-001", sg, 33, "module.db_sg.module.sg.aws_security_group_rule.by_name[0]"),
        ("HS-NET-001", web, 46, "module.web_sg.aws_security_group_rule.with_cidr_blocks[0]"),
        ("HS-KMS-004", ".terraform/modules/keys/main.tf", 41, "module.keys.aws_kms_key.this[0]"),
    ];
    assert_eq!(findings_of(&r.stdout), owned(&want));
    let v: serde_json::Value = serde_json::from_str(&r.stdout).unwrap();
    let resource = |a: &str| {
        v["resources"].as_array().unwrap().iter().find(|x| x["address"] == a).cloned().unwrap_or_else(|| {
            panic!("{a} not checked: {:#}", v["resources"]);
        })
    };
    let rule = resource("module.db_sg.module.sg.aws_security_group_rule.by_name[0]");
    assert_eq!(rule["owner"], "module.db_sg.module.sg.aws_security_group.named[0]");
    assert_eq!(
        rule["module_call"],
        serde_json::json!({"address": "module.db_sg", "file": "main.tf", "line": 10,
            "source": "example-org/security-group/aws//modules/postgres"})
    );
    // for_each over a for-expression on toset(): Terraform's instance keys, the aliases.
    resource("module.keys.aws_kms_alias.this[\"records\"]");
    resource("module.keys.aws_kms_alias.this[\"records-archive\"]");
    assert_eq!(
        resource("module.web_sg.aws_security_group_rule.with_cidr_blocks[1]")["owner"],
        "module.web_sg.aws_security_group.prefixed[0]"
    );
    assert!(
        r.stderr.contains("module.vpc: source \"example-org/vpc/aws\" is not in .terraform/modules/modules.json"),
        "{}",
        r.stderr
    );
    // The text report names the calling block beside the module's file and line.
    let t = plumb(&["check", "testdata/check/registry"]);
    assert!(
        t.stdout
            .contains(&format!("{sg}:33: high HS-NET-001 module.db_sg.module.sg.aws_security_group_rule.by_name[0]: ")),
        "{}",
        t.stdout
    );
    assert!(t.stdout.contains("(via module.db_sg at main.tf:10)"), "{}", t.stdout);
    // SARIF: the calling block is a related location (the installed module is usually not in
    // the repository that code scanning shows).
    let s = plumb(&["check", "testdata/check/registry", "--format", "sarif"]);
    let doc: serde_json::Value = serde_json::from_str(&s.stdout).unwrap();
    let first = &doc["runs"][0]["results"][0];
    assert_eq!(
        first["locations"][0]["physicalLocation"]["artifactLocation"]["uri"],
        format!("testdata/check/registry/{sg}")
    );
    let related = &first["relatedLocations"][0]["physicalLocation"];
    assert_eq!(related["artifactLocation"]["uri"], "testdata/check/registry/main.tf");
    assert_eq!(related["region"]["startLine"], 10);

    // Without the manifest: the modules are noted as not checked, nothing is guessed.
    let dir = tempfile::tempdir().unwrap();
    std::fs::copy("testdata/check/registry/main.tf", dir.path().join("main.tf")).unwrap();
    let bare = plumb(&["check", dir.path().to_str().unwrap(), "--format", "json", "-v"]);
    assert_eq!(bare.code, 0, "{}{}", bare.stdout, bare.stderr);
    assert!(findings_of(&bare.stdout).is_empty());
    assert!(bare.stderr.contains("module.db_sg: source \"example-org/security-group/aws//modules/postgres\" is not a local path and no .terraform/modules/modules.json says where terraform init installed it"), "{}", bare.stderr);
}

/// Inputs and expressions as Terraform reads them: a byte-order mark, `TF_VAR_*`, provider
/// `default_tags` merged into `tags_all` (per provider alias), instance keys of for-expressions
/// over sets, a policy document rendered and judged, a signing key not judged on rotation.
#[test]
fn expressions_and_inputs_as_terraform_reads_them() {
    let out = Command::new(env!("CARGO_BIN_EXE_plumb"))
        .args(["check", "testdata/check/constructs", "--format", "json", "-v"])
        .current_dir(env!("CARGO_MANIFEST_DIR"))
        .env_clear()
        .env("PATH", std::env::var("PATH").unwrap_or_default())
        .env("TF_VAR_data_class", "phi")
        .env("TF_VAR_not_declared", "ignored, as Terraform ignores it")
        .output()
        .unwrap();
    let (stdout, stderr) = (String::from_utf8_lossy(&out.stdout), String::from_utf8_lossy(&out.stderr));
    assert_eq!(out.status.code(), Some(1), "{stdout}{stderr}");
    let v: serde_json::Value = serde_json::from_str(&stdout).unwrap();
    let addresses: Vec<&str> =
        v["resources"].as_array().unwrap().iter().map(|r| r["address"].as_str().unwrap()).collect();
    for a in [
        "aws_kms_key.by_name[\"billing\"]",
        "aws_kms_key.by_name[\"claims\"]",
        "aws_kms_alias.this[\"exports\"]",
        "aws_kms_alias.this[\"reports\"]",
    ] {
        assert!(addresses.contains(&a), "{a} not in {addresses:?}");
    }
    let rules: Vec<(String, String)> =
        findings_of(&stdout).into_iter().map(|(rule, _, _, address)| (rule, address)).collect();
    assert!(!rules.iter().any(|(r, a)| r == "HS-KMS-001" && a == "aws_kms_key.signing"), "{rules:?}");
    // The bucket policy comes from a policy document: evaluated, and it denies plain HTTP.
    assert!(!rules.iter().any(|(r, _)| r == "HS-S3-006"), "{rules:?}");
    assert!(!stderr.contains("cannot evaluate aws_s3_bucket.reports: policy"), "{stderr}");

    let c = plumb::source::hcl::load(
        Path::new("testdata/check/constructs"),
        &plumb::source::hcl::Inputs { env: vec![("data_class".into(), "phi".into())], ..Default::default() },
    )
    .unwrap();
    let attr = |address: &str, key: &str| {
        let r = c.resources.iter().find(|r| r.address.as_deref() == Some(address)).unwrap();
        r.attributes.get(key).map(|v| v.to_json()).unwrap_or(serde_json::Value::Null)
    };
    assert_eq!(
        attr("aws_cloudwatch_log_group.app", "tags_all"),
        serde_json::json!({"DataClass": "phi", "Index": "1", "Owner": "app-team"}),
        "default tags under the resource's own"
    );
    assert_eq!(
        attr("aws_cloudwatch_log_group.west", "tags_all"),
        serde_json::Value::Null,
        "aws.west sets no default tags"
    );
    assert_eq!(attr("aws_kms_key.by_name[\"claims\"]", "description"), serde_json::json!("key for CLAIMS"));
    let policy = attr("aws_s3_bucket_policy.reports", "policy");
    let doc: serde_json::Value = serde_json::from_str(policy.as_str().unwrap()).unwrap();
    assert_eq!(doc["Statement"][0]["Principal"], "*");
    assert_eq!(doc["Statement"][0]["Condition"]["Bool"]["aws:SecureTransport"], "false");
}

/// Policy documents are rendered exactly as the provider renders them (recorded with
/// provider 5.100.0 in testdata/check/policy_document/rendered.json).
#[test]
fn policy_documents_render_as_the_provider_does() {
    let c = plumb::source::hcl::load(Path::new("testdata/check/policy_document"), &Default::default()).unwrap();
    let rendered: std::collections::BTreeMap<String, String> =
        serde_json::from_str(&std::fs::read_to_string("testdata/check/policy_document/rendered.json").unwrap())
            .unwrap();
    assert_eq!(rendered.len(), 7);
    for (name, want) in &rendered {
        let address = format!("aws_iam_policy.{name}");
        let r = c.resources.iter().find(|r| r.address.as_deref() == Some(address.as_str())).unwrap();
        assert_eq!(r.attributes["policy"].as_str(), Some(want.as_str()), "{name}");
    }
}

/// Variable `validation` blocks are evaluated: a known value that fails its condition is an
/// error (exit 2) at the condition, with the variable's message; `TF_VAR_` can fix it.
#[test]
fn a_failing_variable_validation_is_an_error() {
    let r = plumb(&["check", "testdata/check/bad_validation"]);
    assert_eq!(r.code, 2, "{}{}", r.stdout, r.stderr);
    assert!(
        r.stderr.contains("main.tf:6:5: invalid value for variable \"environment\": environment must be dev or prod."),
        "{}",
        r.stderr
    );
    let ok = Command::new(env!("CARGO_BIN_EXE_plumb"))
        .args(["check", "testdata/check/bad_validation", "--fail-on", "none"])
        .current_dir(env!("CARGO_MANIFEST_DIR"))
        .env_clear()
        .env("PATH", std::env::var("PATH").unwrap_or_default())
        .env("TF_VAR_environment", "prod")
        .output()
        .unwrap();
    assert_eq!(ok.status.code(), Some(0), "{}", String::from_utf8_lossy(&ok.stderr));
    // -var outranks TF_VAR_, as in Terraform.
    let cli = plumb(&["check", "testdata/check/bad_validation", "--var", "environment=qa"]);
    assert_eq!(cli.code, 2);
}

/// A `depends_on` reference that names nothing is an error, as in Terraform.
#[test]
fn depends_on_naming_nothing_is_an_error() {
    let r = plumb(&["check", "testdata/check/bad_depends_on"]);
    assert_eq!(r.code, 2, "{}{}", r.stdout, r.stderr);
    assert!(r.stderr.contains("main.tf:7:"), "{}", r.stderr);
    assert!(r.stderr.contains("reference to undeclared resource `aws_s3_bucket.log`"), "{}", r.stderr);
}

/// Public Terraform seen when these tests were written (fetched, read, not copied): the
/// constructs that broke or blinded the gate are reproduced in fixtures written for plumb.
///
/// - terraform-aws-modules/terraform-aws-security-group @ 3cf4e1a48a46: rules on a group
///   found with `concat(aws_security_group.this.*.id, ..., [""])[0]`, ports read from a
///   rule catalogue with nested `lookup()` defaults, `count` from `length()` of inputs, preset
///   submodules calling `../../` (`testdata/check/registry`, `.terraform/modules/db_sg`).
/// - terraform-aws-modules/terraform-aws-kms @ 407e3db34a65: key policies from
///   `data "aws_iam_policy_document"` with `dynamic "statement"` blocks and `try()` defaults,
///   ARNs built from `data.aws_partition` / `data.aws_caller_identity`, aliases keyed by a
///   for-expression over `toset()` (`testdata/check/registry`, `.terraform/modules/keys`).
/// - terraform-aws-modules/terraform-aws-s3-bucket @ dd0c434de5e7: `try()` chains that pick
///   the first argument Terraform accepts (`var.x["enabled"] ? ... `, `tobool(...)`,
///   `title(lower(...))`), `try(jsondecode(var.x), var.x)`, policies merged through
///   `source_policy_documents` with placeholders `replace()`d afterwards, dynamic blocks over
///   `try([var.x["key"]], [])` (`testdata/check/corpus/bucket_module`).
///
/// Every fixture must check without a crash and without exit 2 (all are valid Terraform).
/// `PLUMB_CHECK_CORPUS=DIR` also runs every directory under DIR holding `*.tf` files (for a
/// local clone of real repositories).
#[test]
fn corpus_checks_without_crash_or_input_errors() {
    let mut dirs: Vec<std::path::PathBuf> =
        vec!["testdata/check/registry".into(), "testdata/check/constructs".into(), "testdata/check/outside".into()];
    dirs.push("testdata/check/corpus/bucket_module".into());
    if let Ok(root) = std::env::var("PLUMB_CHECK_CORPUS") {
        collect_tf_dirs(Path::new(&root), &mut dirs);
    }
    let mut failures = Vec::new();
    for d in &dirs {
        let r = plumb(&["check", d.to_str().unwrap(), "--format", "json"]);
        if r.code == 2 || r.code < 0 || r.stderr.contains("panicked") {
            failures.push(format!("{}: exit {}\n{}", d.display(), r.code, r.stderr));
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n\n"));

    // The bucket module: try() chains evaluate as Terraform's do.
    let c = plumb::source::hcl::load(Path::new("testdata/check/corpus/bucket_module"), &Default::default()).unwrap();
    let attr = |address: &str, key: &str| {
        let r =
            c.resources.iter().find(|r| r.address.as_deref() == Some(address)).unwrap_or_else(|| panic!("{address}"));
        r.attributes.get(key).map(|v| v.to_json()).unwrap_or(serde_json::Value::Null)
    };
    assert_eq!(
        attr("module.logs.aws_s3_bucket_versioning.this[0]", "versioning_configuration"),
        serde_json::json!([{"status": "Enabled", "mfa_delete": null}])
    );
    assert_eq!(
        attr("module.data.aws_s3_bucket_versioning.this[0]", "versioning_configuration"),
        serde_json::json!([{"status": "Enabled", "mfa_delete": "Disabled"}])
    );
    assert_eq!(
        attr("module.data.aws_s3_bucket_lifecycle_configuration.this[0]", "rule"),
        serde_json::json!([{"id": "expire", "status": "Enabled", "expiration": [{"days": 90}]}])
    );
    let policy = attr("module.data.aws_s3_bucket_policy.this[0]", "policy");
    assert!(
        policy.as_str().unwrap().contains("\"Resource\": [\n        \"${module.data.aws_s3_bucket.this[0].arn}/*\""),
        "{policy}"
    );
    let r = plumb(&["check", "testdata/check/corpus/bucket_module", "--format", "json"]);
    let rules: Vec<(String, String)> =
        findings_of(&r.stdout).into_iter().map(|(rule, _, _, address)| (rule, address)).collect();
    // Both buckets deny plain HTTP through the rendered and merged policy document.
    assert!(!rules.iter().any(|(r, _)| r == "HS-S3-006"), "{rules:?}");
}

fn collect_tf_dirs(dir: &Path, out: &mut Vec<std::path::PathBuf>) {
    let Ok(rd) = std::fs::read_dir(dir) else { return };
    let mut has_tf = false;
    let mut subdirs = Vec::new();
    for e in rd.flatten() {
        let p = e.path();
        if p.is_dir() {
            if !p.file_name().is_some_and(|n| n.to_string_lossy().starts_with('.')) {
                subdirs.push(p);
            }
        } else if p.extension().is_some_and(|x| x == "tf") {
            has_tf = true;
        }
    }
    if has_tf {
        out.push(dir.to_path_buf());
    }
    subdirs.sort();
    for s in subdirs {
        collect_tf_dirs(&s, out);
    }
}

/// A change as both tools can name it: address, kind (`create`, `update`, `destroy`; a
/// replacement is an update of the attributes that force it) and the top-level attributes
/// that change.
type Planned = BTreeSet<(String, String, Vec<String>)>;

/// What `terraform plan -refresh=false` plans for the stack's code and state (tags_all and
/// values known only after apply left out: they follow from the others).
fn terraform_plans(stack: &common::Stack) -> Planned {
    for args in [
        &["plan", "-refresh=false", "-input=false", "-no-color", "-lock=false", "-out", "parity.plan"][..],
        &["show", "-json", "parity.plan"][..],
    ] {
        let out = stack.terraform(args);
        assert!(out.status.success(), "terraform {args:?}: {}", String::from_utf8_lossy(&out.stderr));
        if args[0] == "show" {
            let plan: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
            let mut got = Planned::new();
            for rc in plan["resource_changes"].as_array().into_iter().flatten() {
                let c = &rc["change"];
                let actions: Vec<&str> = c["actions"].as_array().unwrap().iter().filter_map(|a| a.as_str()).collect();
                let kind = match actions.as_slice() {
                    ["no-op"] | ["read"] => continue,
                    ["create"] => "create",
                    ["delete"] => "destroy",
                    _ => "update",
                };
                let mut attrs = Vec::new();
                if kind == "update" {
                    let (b, a, u) = (&c["before"], &c["after"], &c["after_unknown"]);
                    let keys: BTreeSet<&String> =
                        b.as_object().into_iter().chain(a.as_object()).flat_map(|m| m.keys()).collect();
                    for k in keys {
                        if k != "tags_all" && b.get(k) != a.get(k) && u.get(k) != Some(&serde_json::Value::Bool(true)) {
                            attrs.push(k.clone());
                        }
                    }
                }
                got.insert((rc["address"].as_str().unwrap().to_string(), kind.to_string(), attrs));
            }
            return got;
        }
    }
    unreachable!()
}

/// What `plumb check DIR --state terraform.tfstate` lists as pending.
fn plumb_pending(stack: &common::Stack) -> Planned {
    let dir = stack.dir().to_str().unwrap();
    let r = plumb(&["check", dir, "--state", stack.state_path_str(), "--format", "json", "--fail-on", "none"]);
    assert_eq!(r.code, 0, "{}", r.stderr);
    let v: serde_json::Value = serde_json::from_str(&r.stdout).unwrap();
    v["pending"]
        .as_array()
        .unwrap()
        .iter()
        .map(|p| {
            let mut attrs: Vec<String> = p["changes"]
                .as_array()
                .unwrap()
                .iter()
                .map(|c| c["path"].as_str().unwrap().split(['.', '[']).next().unwrap().to_string())
                .collect();
            attrs.dedup();
            (p["address"].as_str().unwrap().to_string(), p["kind"].as_str().unwrap().to_string(), attrs)
        })
        .collect()
}

/// `check --state` agrees with `terraform plan -refresh=false` on the same code and state:
/// nothing right after apply (a `count` plumb cannot know, protocol `6` against the `tcp`
/// the provider stored, an explicit `null`, `[]` against what the provider stored, a set
/// written in another order), then exactly the same addresses and attributes after an edit.
#[test]
fn check_state_agrees_with_terraform_plan() {
    let started = std::time::Instant::now();
    let fx = common::shared("checkplan", &[]);
    let applied = started.elapsed();
    assert_eq!(terraform_plans(&fx.stack), Planned::new(), "terraform plans nothing right after apply");
    assert_eq!(plumb_pending(&fx.stack), Planned::new(), "so does plumb");

    // A pull request: a tag changed, ingress blocks reordered (a set) with a protocol written
    // as its number, a rule's CIDR changed (a replacement), a bucket added to a for_each (with
    // its counted versioning), a key removed.
    let main = fx.stack.dir().join("main.tf");
    let mut code = std::fs::read_to_string(&main).unwrap();
    let https = "  ingress {\n    description = \"https\"\n    from_port   = 443\n    to_port     = 443\n    protocol    = \"tcp\"\n    cidr_blocks = [\"10.0.0.0/8\"]\n  }\n";
    let http = "  ingress {\n    from_port   = 80\n    to_port     = 80\n    protocol    = \"tcp\"\n    cidr_blocks = [\"10.0.0.0/8\"]\n  }\n";
    for (from, to) in [
        (
            "tags                 = { Name = local.name }",
            "tags                 = { Name = \"${local.name}-v2\" }".to_string(),
        ),
        (&format!("{https}\n{http}"), format!("{http}\n{}", https.replace("\"tcp\"", "\"6\""))),
        ("cidr_blocks       = [\"10.1.0.0/16\"]", "cidr_blocks       = [\"10.2.0.0/16\"]".to_string()),
        ("toset([\"logs\", \"data\"])", "toset([\"logs\", \"data\", \"archive\"])".to_string()),
        ("versioning = each.key == \"data\"", "versioning = each.key != \"logs\"".to_string()),
    ] {
        assert!(code.contains(from), "{from} not in main.tf");
        code = code.replace(from, &to);
    }
    let key = code.find("resource \"aws_kms_key\" \"data\"").unwrap();
    code.truncate(key);
    std::fs::write(&main, code).unwrap();

    let tf = terraform_plans(&fx.stack);
    let want: Planned = [
        ("aws_kms_key.data", "destroy", vec![]),
        ("aws_security_group_rule.ssh", "update", vec!["cidr_blocks"]),
        ("aws_vpc.this", "update", vec!["tags"]),
        ("module.bucket[\"archive\"].aws_s3_bucket.this", "create", vec![]),
        ("module.bucket[\"archive\"].aws_s3_bucket_versioning.this[0]", "create", vec![]),
    ]
    .into_iter()
    .map(|(a, k, attrs)| (a.to_string(), k.to_string(), attrs.into_iter().map(str::to_string).collect()))
    .collect();
    assert_eq!(tf, want, "the edit plans what the test expects");
    assert_eq!(plumb_pending(&fx.stack), tf, "plumb lists what terraform plans");
    eprintln!(
        "check_state_agrees_with_terraform_plan: apply {:.0} s, total {:.0} s",
        applied.as_secs_f64(),
        started.elapsed().as_secs_f64()
    );
}

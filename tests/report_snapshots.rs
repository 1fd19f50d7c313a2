//! The rendered reports, snapshotted (insta): text and JSON for a run with every status,
//! a set-typed change, and a failed read; and for a run with findings of every severity,
//! managed and unmanaged, waived, and an expired waiver.

use plumb::diff::{Change, Judged, NotJudged, Status};
use plumb::model::{ReadError, Value};
use plumb::report::{ScanReport, json, text};
use plumb::rules::policy::{self, Policy};
use plumb::rules::waivers::Waivers;
use plumb::rules::{Controls, Finding, RuleSet, Severity, View};
use time::macros::date;

fn judged(address: Option<&str>, rtype: &str, id: &str, status: Status, changes: Vec<Change>) -> Judged {
    Judged {
        account: None,
        address: address.map(str::to_string),
        rtype: rtype.into(),
        id: id.into(),
        region: Some("us-east-1".into()),
        status,
        changes,
        ignored: Vec::new(),
        attribution: None,
        live: None,
    }
}

fn change(path: &str, state: Value, live: Value) -> Change {
    Change { path: path.into(), state, live, added: None, removed: None }
}

fn sample() -> ScanReport {
    let rule = Value::object([
        ("cidr_blocks", Value::string_list(["0.0.0.0/0"])),
        ("from_port", 22.into()),
        ("to_port", 22.into()),
        ("protocol", "tcp".into()),
        ("self", false.into()),
    ]);
    let resources = vec![
        judged(
            Some("aws_db_instance.records"),
            "aws_db_instance",
            "clinic-records",
            Status::Drifted,
            vec![
                change("backup_retention_period", 35.into(), 7.into()),
                change("deletion_protection", true.into(), false.into()),
            ],
        ),
        judged(
            Some("aws_security_group.web"),
            "aws_security_group",
            "sg-0123",
            Status::Drifted,
            vec![Change {
                path: "ingress".into(),
                state: Value::Null,
                live: Value::List(vec![rule.clone()]),
                added: Some(vec![rule]),
                removed: Some(vec![]),
            }],
        ),
        judged(Some("aws_vpc.main"), "aws_vpc", "vpc-1", Status::InSync, vec![]),
        judged(
            Some("module.phi_bucket[\"records\"].aws_s3_bucket_public_access_block.this"),
            "aws_s3_bucket_public_access_block",
            "clinic-phi-records",
            Status::Missing,
            vec![],
        ),
        judged(None, "aws_s3_bucket", "clinic-scratch-by-hand", Status::Unmanaged, vec![]),
    ];
    let errors = vec![ReadError {
        account: None,
        service: "kms".into(),
        region: "us-east-1".into(),
        code: "AccessDenied".into(),
        message: "User is not authorized to perform kms:ListKeys".into(),
        affected_types: vec!["aws_kms_key".into()],
    }];
    let not_judged = vec![NotJudged {
        account: None,
        address: "aws_kms_key.phi".into(),
        rtype: "aws_kms_key".into(),
        reason: "live read failed".into(),
    }];
    ScanReport::new("2026-11-22T07:00:00Z".into(), resources, not_judged, errors)
}

#[test]
fn text_report() {
    insta::assert_snapshot!(text::render(&sample(), false));
}

#[test]
fn json_report() {
    insta::assert_snapshot!(json::render(&sample()).replace(env!("CARGO_PKG_VERSION"), "VERSION"));
}

#[test]
fn clean_text_report() {
    let r = ScanReport::new(
        "2026-11-22T07:00:00Z".into(),
        vec![judged(Some("aws_vpc.main"), "aws_vpc", "vpc-1", Status::InSync, vec![])],
        vec![],
        vec![],
    );
    insta::assert_snapshot!(text::render(&r, false));
}

fn finding(rule: &str, severity: Severity, address: Option<&str>, rtype: &str, id: &str, message: &str) -> Finding {
    let rules = RuleSet::baseline();
    let controls = rules.get(rule).map(|r| r.meta.controls.clone()).unwrap_or_else(|| Controls {
        hipaa: vec!["164.312(b)".into()],
        soc2: vec![],
        gdpr: vec!["Art. 32".into()],
    });
    Finding {
        account: None,
        rule_id: rule.into(),
        severity,
        view: View::Live,
        address: address.map(str::to_string),
        rtype: rtype.into(),
        id: id.into(),
        file: None,
        line: None,
        message: message.into(),
        waived: false,
        controls,
        aws_default: false,
    }
}

const WAIVERS: &str = r#"
- rule: HS-RDS-005
  address: aws_db_instance.*
  reason: Decommissioning in December; snapshot taken.
  approved_by: Dana Reyes (CISO)
  expires: 2026-11-22
- rule: HS-S3-004
  address: aws_s3_bucket clinic-scratch-*
  reason: Scratch bucket, no ePHI.
  approved_by: Sam Ortiz
  expires: 2026-11-21
"#;

/// A drifted run with findings, judged on 2026-11-22: one waiver current (its last day),
/// one expired the day before.
fn with_findings() -> ScanReport {
    let mut findings = vec![
        finding(
            "HS-NET-002",
            Severity::Critical,
            Some("aws_security_group.web"),
            "aws_security_group",
            "sg-0123",
            "security group web allows SSH (22) from 0.0.0.0/0",
        ),
        finding(
            "HS-RDS-004",
            Severity::High,
            Some("aws_db_instance.records"),
            "aws_db_instance",
            "clinic-records",
            "DB instance clinic-records keeps backups for 7 days, fewer than 35",
        ),
        finding(
            "HS-RDS-005",
            Severity::High,
            Some("aws_db_instance.records"),
            "aws_db_instance",
            "clinic-records",
            "DB instance clinic-records has deletion protection off",
        ),
        finding(
            "HS-S3-004",
            Severity::High,
            None,
            "aws_s3_bucket",
            "clinic-scratch-by-hand",
            "bucket clinic-scratch-by-hand has no public access block",
        ),
        finding(
            "HS-S3-003",
            Severity::Medium,
            Some("module.phi_bucket[\"imaging\"].aws_s3_bucket_versioning.this"),
            "aws_s3_bucket_versioning",
            "clinic-phi-imaging",
            "bucket clinic-phi-imaging has versioning Suspended",
        ),
        finding("X-CUSTOM-001", Severity::Low, Some("aws_vpc.main"), "aws_vpc", "vpc-1", "a custom rule's finding"),
    ];
    let policy = Policy {
        rules: RuleSet::baseline(),
        waivers: Waivers::parse("waivers.yaml", WAIVERS).unwrap(),
        fail_on: plumb::rules::policy::FailOn::AtLeast(Severity::High),
    };
    let expired = policy.judge(&mut findings, date!(2026 - 11 - 22));
    assert!(policy.fails(&findings));
    let frameworks = policy::frameworks(&policy.rules, &findings);
    let base = sample();
    ScanReport::new(base.started_at, base.resources, vec![], vec![]).with_findings(findings, frameworks, expired)
}

#[test]
fn findings_text_report() {
    insta::assert_snapshot!(text::render(&with_findings(), false));
}

#[test]
fn findings_json_report() {
    let report: serde_json::Value = serde_json::from_str(&json::render(&with_findings())).unwrap();
    // The drift part is covered by `json_report`.
    let part = serde_json::json!({
        "summary": report["summary"],
        "findings": report["findings"],
        "expired_waivers": report["expired_waivers"],
    });
    insta::assert_json_snapshot!(part);
}

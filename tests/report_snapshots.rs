//! The rendered reports, snapshotted (insta): text and JSON for a run with every status,
//! a set-typed change, and a failed read.

use plumb::diff::{Change, Judged, NotJudged, Status};
use plumb::model::{ReadError, Value};
use plumb::report::{ScanReport, json, text};

fn judged(address: Option<&str>, rtype: &str, id: &str, status: Status, changes: Vec<Change>) -> Judged {
    Judged {
        address: address.map(str::to_string),
        rtype: rtype.into(),
        id: id.into(),
        region: Some("us-east-1".into()),
        status,
        changes,
        attribution: None,
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
        service: "kms".into(),
        region: "us-east-1".into(),
        code: "AccessDenied".into(),
        message: "User is not authorized to perform kms:ListKeys".into(),
        affected_types: vec!["aws_kms_key".into()],
    }];
    let not_judged = vec![NotJudged {
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

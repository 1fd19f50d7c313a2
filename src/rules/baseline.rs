//! The baseline rules, embedded in the binary. Add a line here for every file in `rules/`
//! (a test fails when the two disagree).

macro_rules! rule {
    ($path:literal) => {
        ($path, include_str!(concat!("../../", $path)))
    };
}

/// `(path relative to the repository, Rego source)`, sorted by path.
pub const BASELINE: &[(&str, &str)] = &[
    rule!("rules/ebs/HS-EBS-001.rego"),
    rule!("rules/kms/HS-KMS-001.rego"),
    rule!("rules/net/HS-NET-001.rego"),
    rule!("rules/net/HS-NET-002.rego"),
    rule!("rules/rds/HS-RDS-001.rego"),
    rule!("rules/rds/HS-RDS-004.rego"),
    rule!("rules/rds/HS-RDS-005.rego"),
    rule!("rules/s3/HS-S3-001.rego"),
    rule!("rules/s3/HS-S3-003.rego"),
    rule!("rules/s3/HS-S3-004.rego"),
];

//! `aws_s3_bucket` keeps computed inline copies of settings that provider v4+ manages
//! through split resources (`aws_s3_bucket_versioning`, `..._server_side_encryption_configuration`,
//! ...). They are captured once, when the bucket is created, before the split resources
//! apply, so they disagree with reality on every plan. Plumb judges those settings
//! through the split resources and drops the bucket's copies from state.

use super::{Pass, Views};

pub const PASS: Pass = Pass {
    name: "s3_inline_copies",
    why: "aws_s3_bucket's computed inline copies of split-resource settings are stale by design",
    apply,
};

/// Inline attributes of `aws_s3_bucket` that a split resource owns.
pub const INLINE: &[&str] = &[
    "acceleration_status",
    "acl",
    "cors_rule",
    "grant",
    "lifecycle_rule",
    "logging",
    "object_lock_configuration",
    "policy",
    "replication_configuration",
    "request_payer",
    "server_side_encryption_configuration",
    "versioning",
    "website",
];

fn apply(v: &mut Views) {
    for r in v.state.iter_mut().chain(v.live.iter_mut()).filter(|r| r.rtype == "aws_s3_bucket") {
        for a in INLINE {
            r.attributes.remove(*a);
        }
    }
}

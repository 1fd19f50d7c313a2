//! `aws_s3_account_public_access_block`: not read live yet.

use crate::aws::view::*;
use crate::aws::{ResourceType, ViewDef};
use crate::model::{Resource, View};

pub static TYPE: ResourceType =
    ResourceType { view: Some(&VIEW), ..ResourceType::base("aws_s3_account_public_access_block", "s3") };

pub static VIEW: ViewDef = ViewDef {
    kind: "s3_account_public_access_block",
    build: |rs, v| each(rs, &["aws_s3_account_public_access_block"], v, s3_account_pab),
};

fn s3_account_pab(r: &Resource, view: View) -> JoinedView {
    let mut o = head("s3_account_public_access_block", r, view);
    let _ = o.string("account_id", attr(r, "account_id", view), None);
    let mut all = Some(true);
    for k in ["block_public_acls", "block_public_policy", "ignore_public_acls", "restrict_public_buckets"] {
        all = match (all, o.bool(k, attr(r, k, view), false)) {
            (Some(false), _) | (_, Some(false)) => Some(false),
            (Some(true), Some(true)) => Some(true),
            _ => None,
        };
    }
    o.opt("all", all);
    joined("s3_account_public_access_block", r, o)
}

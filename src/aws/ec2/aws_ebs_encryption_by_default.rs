//! `aws_ebs_encryption_by_default`: not read live yet.

use crate::aws::view::*;
use crate::aws::{ResourceType, ViewDef};
use crate::model::{Resource, View};

pub static TYPE: ResourceType =
    ResourceType { view: Some(&VIEW), ..ResourceType::base("aws_ebs_encryption_by_default", "ec2") };

pub static VIEW: ViewDef = ViewDef {
    kind: "ebs_encryption_by_default",
    build: |rs, v| each(rs, &["aws_ebs_encryption_by_default"], v, ebs_default),
};

fn ebs_default(r: &Resource, view: View) -> JoinedView {
    let mut o = head("ebs_encryption_by_default", r, view);
    o.bool("enabled", attr(r, "enabled", view), true);
    joined("ebs_encryption_by_default", r, o)
}

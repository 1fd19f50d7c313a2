//! `aws_securityhub_account`: not read live yet; its view serves `plumb check` and state.

use crate::aws::view::*;
use crate::aws::{ResourceType, ViewDef};
use crate::model::{Resource, View};

pub static TYPE: ResourceType =
    ResourceType { view: Some(&VIEW), ..ResourceType::base("aws_securityhub_account", "securityhub") };

pub static VIEW: ViewDef = ViewDef {
    kind: "securityhub_account",
    build: |rs, v| {
        let subscriptions = rs.iter().filter(|r| r.rtype == "aws_securityhub_standards_subscription").count();
        rs.iter().filter(|r| r.rtype == "aws_securityhub_account").map(|r| securityhub(r, subscriptions, v)).collect()
    },
};

fn securityhub(r: &Resource, subscriptions: usize, view: View) -> JoinedView {
    let mut o = head("securityhub_account", r, view);
    let defaults = o.bool("enable_default_standards", attr(r, "enable_default_standards", view), true);
    o.put("standards_subscriptions", subscriptions);
    o.opt("standards_enabled", defaults.map(|d| d || subscriptions > 0));
    joined("securityhub_account", r, o)
}

//! `aws_guardduty_detector`: not read live yet; its view serves `plumb check` and state.

use crate::aws::view::*;
use crate::aws::{ResourceType, ViewDef};
use crate::model::{Resource, View};

pub static TYPE: ResourceType =
    ResourceType { view: Some(&VIEW), ..ResourceType::base("aws_guardduty_detector", "guardduty") };

pub static VIEW: ViewDef =
    ViewDef { kind: "guardduty_detector", build: |rs, v| each(rs, &["aws_guardduty_detector"], v, guardduty) };

fn guardduty(r: &Resource, view: View) -> JoinedView {
    let mut o = head("guardduty_detector", r, view);
    o.bool("enable", attr(r, "enable", view), true);
    let _ = put_str(&mut o, "finding_publishing_frequency", attr(r, "finding_publishing_frequency", view), None);
    joined("guardduty_detector", r, o)
}

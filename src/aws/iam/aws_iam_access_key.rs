//! `aws_iam_access_key`: not read live yet; its view serves `plumb check` and state.

use crate::aws::view::*;
use crate::aws::{ResourceType, ViewDef};
use crate::model::{Resource, View};

pub static TYPE: ResourceType = ResourceType { view: Some(&VIEW), ..ResourceType::base("aws_iam_access_key", "iam") };

pub static VIEW: ViewDef =
    ViewDef { kind: "iam_access_key", build: |rs, v| each(rs, &["aws_iam_access_key"], v, iam_access_key) };

fn iam_access_key(r: &Resource, view: View) -> JoinedView {
    let mut o = head("iam_access_key", r, view);
    let user = put_str(&mut o, "user", attr(r, "user", view), None);
    o.opt("root", user.ok().map(|u| u.as_deref() == Some("root")));
    let _ = put_str(&mut o, "status", attr(r, "status", view), Some("Active"));
    joined("iam_access_key", r, o)
}

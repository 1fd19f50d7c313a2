//! `aws_launch_template`: not read live yet; its view serves `plumb check` and state.

use super::metadata_options;
use crate::aws::view::*;
use crate::aws::{ResourceType, ViewDef};
use crate::model::{Resource, View};

pub static TYPE: ResourceType = ResourceType { view: Some(&VIEW), ..ResourceType::base("aws_launch_template", "ec2") };

pub static VIEW: ViewDef =
    ViewDef { kind: "launch_template", build: |rs, v| each(rs, &["aws_launch_template"], v, launch_template) };

fn launch_template(r: &Resource, view: View) -> JoinedView {
    let a = |k: &str| attr(r, k, view);
    let mut o = head("launch_template", r, view);
    if let Ok(Some(n)) = a("name").string(None) {
        o.put("name", n);
    }
    o.put("metadata_options", metadata_options(a("metadata_options")));
    joined("launch_template", r, o)
}

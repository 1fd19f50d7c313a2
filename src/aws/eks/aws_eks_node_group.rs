//! `aws_eks_node_group`: not read live yet; its view serves `plumb check` and state.

use crate::aws::view::*;
use crate::aws::{ResourceType, ViewDef};
use crate::model::{Resource, View};

pub static TYPE: ResourceType = ResourceType { view: Some(&VIEW), ..ResourceType::base("aws_eks_node_group", "eks") };

pub static VIEW: ViewDef =
    ViewDef { kind: "eks_node_group", build: |rs, v| each(rs, &["aws_eks_node_group"], v, eks_node_group) };

fn eks_node_group(r: &Resource, view: View) -> JoinedView {
    let a = |k: &str| attr(r, k, view);
    let mut o = head("eks_node_group", r, view);
    for k in ["cluster_name", "node_group_name"] {
        let _ = put_str(&mut o, k, a(k), None);
    }
    let ra = a("remote_access");
    let key = match ra.field("ec2_ssh_key") {
        F::Unknown if view != View::Live => Some(true),
        f => f.string(None).ok().map(|k| k.is_some()),
    };
    o.opt("ssh_enabled", key);
    let sgs = o.strings("source_security_group_ids", ra.field("source_security_group_ids"));
    // A key without source groups opens port 22 to 0.0.0.0/0.
    let open = match (key, sgs) {
        (Some(false), _) => Some(false),
        (Some(true), Some(s)) => Some(s.is_empty()),
        _ => None,
    };
    o.opt("ssh_open_to_world", open);
    joined("eks_node_group", r, o)
}

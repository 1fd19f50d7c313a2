//! `aws_config_configuration_recorder`: not read live yet; its view serves `plumb check` and state.

use crate::aws::view::*;
use crate::aws::{ResourceType, ViewDef};
use crate::model::{Resource, View};

pub static TYPE: ResourceType =
    ResourceType { view: Some(&VIEW), ..ResourceType::base("aws_config_configuration_recorder", "config") };

pub static VIEW: ViewDef = ViewDef { kind: "config_recorder", build: config_recorders };

fn config_recorders(resources: &[Resource], view: View) -> Vec<JoinedView> {
    let recorders: Vec<&Resource> =
        resources.iter().filter(|r| r.rtype == "aws_config_configuration_recorder").collect();
    let mut index = Index::default();
    for (i, r) in recorders.iter().enumerate() {
        index.add(i, r, &["name"]);
    }
    let mut status: Vec<Option<&Resource>> = vec![None; recorders.len()];
    for r in resources.iter().filter(|r| r.rtype == "aws_config_configuration_recorder_status") {
        if let Some(i) = index.find(r.attributes.get("name")) {
            status[i] = Some(r);
        }
    }
    let channel = resources.iter().any(|r| r.rtype == "aws_config_delivery_channel");
    let global_any = recorders.iter().fold(Some(false), |acc, r| {
        any(acc, attr(r, "recording_group", view).field("include_global_resource_types").bool(false))
    });
    recorders
        .iter()
        .zip(status)
        .map(|(r, st)| {
            let mut o = head("config_recorder", r, view);
            if let Ok(Some(n)) = attr(r, "name", view).string(None) {
                o.put("name", n);
            }
            let g = attr(r, "recording_group", view);
            o.bool("all_supported", g.field("all_supported"), true);
            o.bool("include_global_resource_types", g.field("include_global_resource_types"), false);
            let mut s = Obj::default();
            setting_origin(&mut s, r, st);
            s.put("configured", st.is_some());
            match st {
                Some(st) => {
                    s.bool("is_enabled", attr(st, "is_enabled", view), false);
                }
                None => {
                    s.put("is_enabled", false);
                }
            }
            o.put("status", s.finish());
            let mut acc = Obj::default();
            acc.put("delivery_channel", channel).opt("global_resource_types", global_any);
            o.put("account", acc.finish());
            joined("config_recorder", r, o)
        })
        .collect()
}

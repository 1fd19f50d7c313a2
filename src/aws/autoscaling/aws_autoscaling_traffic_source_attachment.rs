//! `aws_autoscaling_traffic_source_attachment`: the traffic sources of a group (target
//! groups, VPC Lattice target groups, classic load balancers), from the shared
//! DescribeAutoScalingGroups (`TrafficSources`): no call of its own.
//!
//! Import id `group,type,identifier`, the provider's. A part of its group: a traffic source
//! attached by hand to a managed group is drift on the group's `traffic_source`. Target
//! groups attached with the older API (`aws_autoscaling_attachment`) are traffic sources of
//! type `elbv2` too; both views of one attachment are parts, so neither is ever unmanaged.
//!
//! The emulator (moto 5.2.1) neither serves AttachTrafficSources nor answers
//! `TrafficSources`: this type is unit-tested only.

use aws_sdk_autoscaling::types::AutoScalingGroup;
use futures::FutureExt;

use super::groups;
use crate::aws::event::{Event, W};
use crate::aws::{Ctx, FetchResult, Identity, Read, ResourceType};
use crate::model::{Resource, Value};

const TYPES: &[&str] = &["aws_autoscaling_traffic_source_attachment"];

const IDS: &[&str] = &["{autoScalingGroupName},{trafficSources[].type},{trafficSources[].identifier}"];

pub static TYPE: ResourceType = ResourceType {
    read: Some(Read { fetch: |ctx| fetch(ctx).boxed(), global: false }),
    identity: Identity { parent_attr: Some("autoscaling_group_name"), ..Identity::NONE },
    parent: Some("aws_autoscaling_group"),
    events: &[
        Event::create("autoscaling", "AttachTrafficSources", IDS).writing(&[W::Touch("traffic_source")]),
        Event::delete("autoscaling", "DetachTrafficSources", IDS),
    ],
    ..ResourceType::base("aws_autoscaling_traffic_source_attachment", "autoscaling")
};

async fn fetch(ctx: &Ctx) -> FetchResult {
    let all = groups(ctx, TYPES).await?;
    Ok(all.iter().flat_map(|g| map(g, &ctx.region, &ctx.account)).collect())
}

/// One attachment per traffic source of the group.
pub fn map(g: &AutoScalingGroup, region: &str, account: &str) -> Vec<Resource> {
    let Some(group) = g.auto_scaling_group_name().filter(|n| !n.is_empty()) else { return Vec::new() };
    let mut out: Vec<Resource> = g
        .traffic_sources()
        .iter()
        .filter_map(|t| {
            let (kind, identifier) = (t.r#type().filter(|k| !k.is_empty())?, t.identifier()?);
            let id = format!("{group},{kind},{identifier}");
            Some(
                Resource::live("aws_autoscaling_traffic_source_attachment", id.as_str(), region, account, None)
                    .with("id", id.as_str())
                    .with("autoscaling_group_name", group)
                    .with(
                        "traffic_source",
                        Value::block([("identifier", Value::str(identifier)), ("type", Value::str(kind))]),
                    ),
            )
        })
        .collect();
    out.sort_by(|a, b| a.id.cmp(&b.id));
    out.dedup_by(|a, b| a.id == b.id);
    out
}

#[cfg(test)]
mod tests {
    use aws_sdk_autoscaling::types::TrafficSourceIdentifier;
    use serde_json::{Value as J, json};

    use super::*;
    use crate::aws::event::of;

    const TG: &str = "arn:aws:elasticloadbalancing:us-east-1:1:targetgroup/web/0123456789abcdef";

    #[test]
    fn one_attachment_per_traffic_source() {
        let g = AutoScalingGroup::builder()
            .auto_scaling_group_name("web")
            .traffic_sources(TrafficSourceIdentifier::builder().identifier(TG).r#type("elbv2").build())
            .build();
        let rs = map(&g, "us-east-1", "1");
        assert_eq!(rs.len(), 1);
        assert_eq!(rs[0].id, format!("web,elbv2,{TG}"));
        assert_eq!(rs[0].attr("traffic_source").get("type"), Some(&Value::str("elbv2")));
        assert_eq!(rs[0].attr("traffic_source").get("identifier"), Some(&Value::str(TG)));
    }

    #[test]
    fn attach_names_the_import_id() {
        let e = of("aws_autoscaling_traffic_source_attachment", "autoscaling", "AttachTrafficSources");
        let req = json!({"autoScalingGroupName": "web", "trafficSources": [{"identifier": TG, "type": "elbv2"}]});
        assert_eq!(e.identifiers(&req, &J::Null), vec![format!("web,elbv2,{TG}")]);
    }
}

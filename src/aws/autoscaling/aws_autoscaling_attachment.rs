//! `aws_autoscaling_attachment`: the target groups and classic load balancers attached to a
//! group, from the shared DescribeAutoScalingGroups (`TargetGroupARNs`,
//! `LoadBalancerNames`): no call of its own.
//!
//! A part of its group. The provider gives it a random id (`<group>-2024...`); Plumb names
//! it `group/target` (the target group's ARN or the load balancer's name) and the
//! `autoscaling_ids` normaliser rewrites state ids to that form. A target group attached by
//! hand to a managed group is drift on the group's `target_group_arns`, never an unmanaged
//! attachment. The group's own copy of what its attachments own is stale in state (read
//! before they were made): the `autoscaling_parts` normaliser expects it as AWS has it.

use aws_sdk_autoscaling::types::AutoScalingGroup;
use futures::FutureExt;

use super::{group_part_id, groups};
use crate::aws::event::Event;
use crate::aws::{Ctx, FetchResult, Identity, Read, ResourceType};
use crate::model::{Resource, Value};

const TYPES: &[&str] = &["aws_autoscaling_attachment"];

pub static TYPE: ResourceType = ResourceType {
    read: Some(Read { fetch: |ctx| fetch(ctx).boxed(), global: false }),
    identity: Identity {
        names: &["lb_target_group_arn", "elb"],
        parent_attr: Some("autoscaling_group_name"),
        ..Identity::NONE
    },
    parent: Some("aws_autoscaling_group"),
    events: &[
        Event::create(
            "autoscaling",
            "AttachLoadBalancerTargetGroups",
            &["{autoScalingGroupName}/{targetGroupARNs[]}", "targetGroupARNs[]"],
        ),
        Event::delete(
            "autoscaling",
            "DetachLoadBalancerTargetGroups",
            &["{autoScalingGroupName}/{targetGroupARNs[]}", "targetGroupARNs[]"],
        ),
        Event::create(
            "autoscaling",
            "AttachLoadBalancers",
            &["{autoScalingGroupName}/{loadBalancerNames[]}", "loadBalancerNames[]"],
        ),
        Event::delete(
            "autoscaling",
            "DetachLoadBalancers",
            &["{autoScalingGroupName}/{loadBalancerNames[]}", "loadBalancerNames[]"],
        ),
    ],
    ..ResourceType::base("aws_autoscaling_attachment", "autoscaling")
};

async fn fetch(ctx: &Ctx) -> FetchResult {
    let all = groups(ctx, TYPES).await?;
    Ok(all.iter().flat_map(|g| map(g, &ctx.region, &ctx.account)).collect())
}

/// One attachment per target group and per classic load balancer of the group.
pub fn map(g: &AutoScalingGroup, region: &str, account: &str) -> Vec<Resource> {
    let Some(group) = g.auto_scaling_group_name().filter(|n| !n.is_empty()) else { return Vec::new() };
    let attachment = |target: &str, tg: &str, elb: &str| {
        let id = group_part_id(group, target);
        Resource::live("aws_autoscaling_attachment", id.as_str(), region, account, None)
            .with("id", id.as_str())
            .with("autoscaling_group_name", group)
            .with("lb_target_group_arn", Value::str(tg))
            .with("elb", Value::str(elb))
    };
    let mut out: Vec<Resource> = g
        .target_group_arns()
        .iter()
        .filter(|a| !a.is_empty())
        .map(|arn| attachment(arn, arn, ""))
        .chain(g.load_balancer_names().iter().filter(|n| !n.is_empty()).map(|name| attachment(name, "", name)))
        .collect();
    out.sort_by(|a, b| a.id.cmp(&b.id));
    out.dedup_by(|a, b| a.id == b.id);
    out
}

#[cfg(test)]
mod tests {
    use serde_json::{Value as J, json};

    use super::*;
    use crate::aws::event::of;

    const TG: &str = "arn:aws:elasticloadbalancing:us-east-1:1:targetgroup/web/0123456789abcdef";

    #[test]
    fn one_attachment_per_target() {
        let g = AutoScalingGroup::builder()
            .auto_scaling_group_name("clinic-batch")
            .target_group_arns(TG)
            .load_balancer_names("legacy")
            .build();
        let rs = map(&g, "us-east-1", "1");
        assert_eq!(rs.len(), 2);
        let tg = rs.iter().find(|r| r.attr_str("lb_target_group_arn") == Some(TG)).unwrap();
        assert_eq!(tg.id, format!("clinic-batch/{TG}"));
        assert_eq!(tg.attr_str("elb"), Some(""));
        let elb = rs.iter().find(|r| r.attr_str("elb") == Some("legacy")).unwrap();
        assert_eq!(elb.id, "clinic-batch/legacy");
        assert_eq!(elb.attr_str("autoscaling_group_name"), Some("clinic-batch"));
        assert!(map(&AutoScalingGroup::builder().build(), "us-east-1", "1").is_empty());
    }

    #[test]
    fn attach_and_detach_name_each_target_in_its_group() {
        let attach = of("aws_autoscaling_attachment", "autoscaling", "AttachLoadBalancerTargetGroups");
        let req = json!({"autoScalingGroupName": "clinic-batch", "targetGroupARNs": [TG]});
        assert!(attach.identifiers(&req, &J::Null).contains(&format!("clinic-batch/{TG}")));
        let detach = of("aws_autoscaling_attachment", "autoscaling", "DetachLoadBalancers");
        let req = json!({"autoScalingGroupName": "g", "loadBalancerNames": ["a", "b"]});
        let ids = detach.identifiers(&req, &J::Null);
        assert!(ids.contains(&"g/a".to_string()) && ids.contains(&"g/b".to_string()), "{ids:?}");
    }
}

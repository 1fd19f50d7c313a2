//! `aws_autoscaling_group_tag`: one tag of a group managed on its own (the community EKS
//! module tags the groups EKS makes for managed node groups this way, for the cluster
//! autoscaler), from the tags the shared DescribeAutoScalingGroups answers: no call of its
//! own.
//!
//! Import id `group,key`, the provider's. A part of its group: every tag of every group is
//! read as one, and only those a state manages are judged; a tag added by hand to a managed
//! group is drift on the group's `tag` set. AWS's own `aws:*` keys are never tags of this
//! kind (the provider cannot manage them).

use aws_sdk_autoscaling::types::AutoScalingGroup;
use futures::FutureExt;
use serde_json::Value as J;

use super::groups;
use crate::aws::event::{Event, W, Written, pluck};
use crate::aws::{Ctx, FetchResult, Identity, Read, ResourceType};
use crate::model::{Resource, Value};

const TYPES: &[&str] = &["aws_autoscaling_group_tag"];

const IDS: &[&str] = &["{tags[].resourceId},{tags[].key}"];

pub static TYPE: ResourceType = ResourceType {
    read: Some(Read { fetch: |ctx| fetch(ctx).boxed(), global: false }),
    identity: Identity { parent_attr: Some("autoscaling_group_name"), ..Identity::NONE },
    parent: Some("aws_autoscaling_group"),
    events: &[
        Event::create("autoscaling", "CreateOrUpdateTags", IDS).writing(&[W::Custom(put_tag)]),
        Event::delete("autoscaling", "DeleteTags", IDS),
    ],
    ..ResourceType::base("aws_autoscaling_group_tag", "autoscaling")
};

async fn fetch(ctx: &Ctx) -> FetchResult {
    let all = groups(ctx, TYPES).await?;
    Ok(all.iter().flat_map(|g| map(g, &ctx.region, &ctx.account)).collect())
}

/// One resource per tag of the group (AWS's own `aws:*` keys left out).
pub fn map(g: &AutoScalingGroup, region: &str, account: &str) -> Vec<Resource> {
    let Some(group) = g.auto_scaling_group_name().filter(|n| !n.is_empty()) else { return Vec::new() };
    let mut out: Vec<Resource> = g
        .tags()
        .iter()
        .filter_map(|t| {
            let key = t.key().filter(|k| !k.starts_with("aws:"))?;
            let id = format!("{group},{key}");
            Some(
                Resource::live("aws_autoscaling_group_tag", id.as_str(), region, account, None)
                    .with("id", id.as_str())
                    .with("autoscaling_group_name", group)
                    .with(
                        "tag",
                        Value::block([
                            ("key", Value::str(key)),
                            ("value", Value::str(t.value().unwrap_or_default())),
                            ("propagate_at_launch", Value::Bool(t.propagate_at_launch().unwrap_or(false))),
                        ]),
                    ),
            )
        })
        .collect();
    out.sort_by(|a, b| a.id.cmp(&b.id));
    out.dedup_by(|a, b| a.id == b.id);
    out
}

/// CreateOrUpdateTags naming one tag: its value and propagation. With several tags, which
/// value belongs to which resource is not known from the writes alone: they are touched.
fn put_tag(req: &J, _resp: &J, out: &mut Vec<Written>) {
    let mut tags = Vec::new();
    pluck(req, "tags[]", &mut tags);
    match tags.as_slice() {
        [t] => {
            if let Some(v) = t.get("value") {
                out.push(Written::Set { path: "tag[0].value".into(), value: Value::from_json(v) });
            }
            if let Some(p) = t.get("propagateAtLaunch") {
                out.push(Written::Set { path: "tag[0].propagate_at_launch".into(), value: Value::from_json(p) });
            }
        }
        [] => {}
        _ => out.push(Written::Touch { path: "tag".into() }),
    }
}

#[cfg(test)]
mod tests {
    use aws_sdk_autoscaling::types::TagDescription;
    use serde_json::json;

    use super::*;
    use crate::aws::event::of;

    fn tag(k: &str, v: &str) -> TagDescription {
        TagDescription::builder().resource_id("g").key(k).value(v).propagate_at_launch(true).build()
    }

    #[test]
    fn one_resource_per_tag() {
        let g = AutoScalingGroup::builder()
            .auto_scaling_group_name("eks-workers-1")
            .tags(tag("k8s.io/cluster-autoscaler/node-template/label/role", "general"))
            .tags(tag("aws:cloudformation:stack-name", "x"))
            .build();
        let rs = map(&g, "us-east-1", "1");
        assert_eq!(rs.len(), 1, "aws:* keys are AWS's");
        assert_eq!(rs[0].id, "eks-workers-1,k8s.io/cluster-autoscaler/node-template/label/role");
        assert_eq!(rs[0].attr("tag").get("value"), Some(&Value::str("general")));
        assert_eq!(rs[0].attr("tag").get("propagate_at_launch"), Some(&Value::Bool(true)));
    }

    #[test]
    fn tag_events_name_group_and_key() {
        let put = of("aws_autoscaling_group_tag", "autoscaling", "CreateOrUpdateTags");
        let req = json!({"tags": [{"resourceId": "eks-workers-1", "resourceType": "auto-scaling-group",
            "key": "Team", "value": "platform", "propagateAtLaunch": false}]});
        assert_eq!(put.identifiers(&req, &J::Null), vec!["eks-workers-1,Team"]);
        assert!(
            put.writes(&req, &J::Null)
                .contains(&Written::Set { path: "tag[0].value".into(), value: Value::str("platform") })
        );
        let del = of("aws_autoscaling_group_tag", "autoscaling", "DeleteTags");
        assert_eq!(del.identifiers(&req, &J::Null), vec!["eks-workers-1,Team"]);
    }
}

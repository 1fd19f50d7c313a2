//! `aws_autoscaling_lifecycle_hook`: DescribeLifecycleHooks, one call per group (the API
//! names one group; the group list is the shared DescribeAutoScalingGroups), fanned out
//! under the Auto Scaling concurrency bound. A group deleted between the two reads has no
//! hooks, not an error.
//!
//! Import id `group/name` (the provider's import form; its state id is the bare hook name,
//! rewritten by the `autoscaling_ids` normaliser). Follows the provider's read: absent
//! strings `""`, `heartbeat_timeout` `0` when absent.
//!
//! AWS-managed: the hooks EKS puts on the groups it makes for managed node groups
//! (`Launch-LC-Hook`, `Terminate-LC-Hook`, for draining nodes).

use aws_sdk_autoscaling::types::LifecycleHook;
use futures::{FutureExt, StreamExt, TryStreamExt};

use super::{eks_group, group_gone, group_part_id, groups};
use crate::aws::errors::read_error;
use crate::aws::event::{Event, W};
use crate::aws::{Ctx, FetchResult, Identity, Read, ResourceType};
use crate::model::{ReadError, Resource, Value};

const TYPES: &[&str] = &["aws_autoscaling_lifecycle_hook"];

const IDS: &[&str] = &["{autoScalingGroupName}/{lifecycleHookName}", "lifecycleHookName"];

pub static TYPE: ResourceType = ResourceType {
    read: Some(Read { fetch: |ctx| fetch(ctx).boxed(), global: false }),
    identity: Identity { parent_attr: Some("autoscaling_group_name"), ..Identity::NONE },
    events: &[
        Event::create("autoscaling", "PutLifecycleHook", IDS).writing(&[
            W::Param("lifecycle_transition", "lifecycleTransition"),
            W::Param("heartbeat_timeout", "heartbeatTimeout"),
            W::Param("default_result", "defaultResult"),
            W::Param("notification_target_arn", "notificationTargetARN|notificationTargetArn"),
            W::Param("role_arn", "roleARN|roleArn"),
            W::Param("notification_metadata", "notificationMetadata"),
        ]),
        Event::delete("autoscaling", "DeleteLifecycleHook", IDS),
    ],
    ..ResourceType::base("aws_autoscaling_lifecycle_hook", "autoscaling")
};

/// The hooks EKS adds to a managed node group's Auto Scaling group.
const EKS_HOOKS: &[&str] = &["Launch-LC-Hook", "Terminate-LC-Hook"];

async fn fetch(ctx: &Ctx) -> FetchResult {
    let all = groups(ctx, TYPES).await?;
    let autoscaling = ctx.client::<aws_sdk_autoscaling::Client>();
    let autoscaling = &autoscaling;
    let named: Vec<(String, bool)> =
        all.iter().filter_map(|g| g.auto_scaling_group_name().map(|n| (n.to_string(), eks_group(g)))).collect();
    let per_group: Vec<Vec<Resource>> = futures::stream::iter(named)
        .map(|(group, by_eks)| async move {
            let _p = ctx.permit("autoscaling").await;
            match autoscaling.describe_lifecycle_hooks().auto_scaling_group_name(&group).send().await {
                Ok(out) => {
                    Ok(out.lifecycle_hooks().iter().filter_map(|h| map(h, by_eks, &ctx.region, &ctx.account)).collect())
                }
                // The group was deleted after it was listed.
                Err(e) if group_gone(&e) => Ok(Vec::new()),
                Err(e) => Err::<_, ReadError>(read_error("autoscaling", &ctx.region, TYPES, e)),
            }
        })
        .buffer_unordered(ctx.limit("autoscaling"))
        .try_collect()
        .await?;
    let mut out: Vec<Resource> = per_group.into_iter().flatten().collect();
    out.sort_by(|a, b| a.id.cmp(&b.id));
    Ok(out)
}

fn s(v: Option<&str>) -> Value {
    Value::str(v.unwrap_or_default())
}

/// Pure mapping from the SDK's `LifecycleHook` to provider v5 attributes; `by_eks`: the
/// hook's group was made by EKS for a managed node group.
pub fn map(h: &LifecycleHook, by_eks: bool, region: &str, account: &str) -> Option<Resource> {
    let group = h.auto_scaling_group_name().filter(|g| !g.is_empty())?;
    let name = h.lifecycle_hook_name().filter(|n| !n.is_empty())?;
    let id = group_part_id(group, name);
    let mut r = Resource::live("aws_autoscaling_lifecycle_hook", id.as_str(), region, account, None)
        .with("id", id.as_str())
        .with("name", name)
        .with("autoscaling_group_name", group)
        .with("lifecycle_transition", s(h.lifecycle_transition()))
        .with("default_result", s(h.default_result()))
        .with("heartbeat_timeout", Value::int(h.heartbeat_timeout().unwrap_or(0).into()))
        .with("notification_metadata", s(h.notification_metadata()))
        .with("notification_target_arn", s(h.notification_target_arn()))
        .with("role_arn", s(h.role_arn()));
    r.aws_default = by_eks && EKS_HOOKS.contains(&name);
    Some(r)
}

#[cfg(test)]
mod tests {
    use serde_json::{Value as J, json};

    use super::*;
    use crate::aws::event::{Written, of};

    #[test]
    fn maps_a_hook() {
        let h = LifecycleHook::builder()
            .auto_scaling_group_name("clinic-batch")
            .lifecycle_hook_name("drain")
            .lifecycle_transition("autoscaling:EC2_INSTANCE_TERMINATING")
            .heartbeat_timeout(300)
            .default_result("CONTINUE")
            .global_timeout(30000)
            .build();
        let r = map(&h, false, "us-east-1", "1").unwrap();
        assert_eq!(r.id, "clinic-batch/drain");
        assert_eq!(r.attr_str("lifecycle_transition"), Some("autoscaling:EC2_INSTANCE_TERMINATING"));
        assert_eq!(r.attr("heartbeat_timeout"), &Value::int(300));
        assert_eq!(r.attr_str("default_result"), Some("CONTINUE"));
        assert_eq!(r.attr_str("notification_target_arn"), Some(""));
        assert!(!r.aws_default);
        let eks = LifecycleHook::builder()
            .auto_scaling_group_name("eks-workers-x")
            .lifecycle_hook_name("Terminate-LC-Hook")
            .build();
        assert!(map(&eks, true, "us-east-1", "1").unwrap().aws_default);
        assert!(!map(&eks, false, "us-east-1", "1").unwrap().aws_default, "a user's group");
    }

    #[test]
    fn put_and_delete() {
        let put = of("aws_autoscaling_lifecycle_hook", "autoscaling", "PutLifecycleHook");
        let req = json!({"autoScalingGroupName": "clinic-batch", "lifecycleHookName": "drain",
            "lifecycleTransition": "autoscaling:EC2_INSTANCE_TERMINATING", "heartbeatTimeout": 900,
            "defaultResult": "ABANDON"});
        assert!(put.identifiers(&req, &J::Null).contains(&"clinic-batch/drain".to_string()));
        let w = put.writes(&req, &J::Null);
        assert!(w.contains(&Written::Set { path: "heartbeat_timeout".into(), value: Value::int(900) }));
        assert!(w.contains(&Written::Set { path: "default_result".into(), value: Value::str("ABANDON") }));
        let del = of("aws_autoscaling_lifecycle_hook", "autoscaling", "DeleteLifecycleHook");
        assert!(del.identifiers(&req, &J::Null).contains(&"clinic-batch/drain".to_string()));
    }
}

//! Auto Scaling: groups (self-managed node groups, and the groups EKS creates for managed
//! node groups, which are AWS-managed) and what configures them: scaling policies, scheduled
//! actions, lifecycle hooks, notifications, the load balancers and traffic sources attached
//! to them, and tags managed one by one.
//!
//! Reads are bulk where Auto Scaling allows it. One paginated DescribeAutoScalingGroups is
//! shared ([`groups`]): the groups, their attachments (target groups, classic load
//! balancers, traffic sources) and their tags come from it. DescribePolicies,
//! DescribeScheduledActions and DescribeNotificationConfigurations answer for every group
//! of the region at once; only DescribeLifecycleHooks needs one call per group.
//!
//! Import ids follow the provider's import form (`group/name` for policies, schedules and
//! lifecycle hooks; the provider's state id is the bare name, rewritten by the
//! `autoscaling_ids` normaliser, because two groups may hold policies of the same name).
//!
//! CloudTrail: Auto Scaling is a query API; records carry the request in camelCase
//! (`autoScalingGroupName`, `policyName`, `targetGroupARNs`).

mod aws_autoscaling_attachment;
mod aws_autoscaling_group;
mod aws_autoscaling_group_tag;
mod aws_autoscaling_lifecycle_hook;
mod aws_autoscaling_notification;
mod aws_autoscaling_policy;
mod aws_autoscaling_schedule;
mod aws_autoscaling_traffic_source_attachment;

use aws_sdk_autoscaling::types::AutoScalingGroup;

use super::client::for_caller;
use super::errors::read_error;
use super::{Ctx, Service};
use crate::model::ReadError;

crate::sdk_client!(aws_sdk_autoscaling);

pub static SERVICE: Service = Service {
    name: "autoscaling",
    concurrency: 4,
    types: &[
        &aws_autoscaling_group::TYPE,
        &aws_autoscaling_policy::TYPE,
        &aws_autoscaling_schedule::TYPE,
        &aws_autoscaling_lifecycle_hook::TYPE,
        &aws_autoscaling_attachment::TYPE,
        &aws_autoscaling_traffic_source_attachment::TYPE,
        &aws_autoscaling_group_tag::TYPE,
        &aws_autoscaling_notification::TYPE,
    ],
};

/// Every Auto Scaling group of the region (DescribeAutoScalingGroups, 100 a page), read
/// once per scan: the groups, their attachments and their tags share it.
pub(crate) async fn groups(ctx: &Ctx, types: &[&str]) -> Result<Vec<AutoScalingGroup>, ReadError> {
    let cached: Result<Vec<AutoScalingGroup>, ReadError> = ctx
        .once("autoscaling:DescribeAutoScalingGroups", || async {
            let autoscaling = ctx.client::<aws_sdk_autoscaling::Client>();
            let mut out = Vec::new();
            let mut pages = autoscaling.describe_auto_scaling_groups().max_records(100).into_paginator().send();
            while let Some(page) = {
                let _p = ctx.permit("autoscaling").await;
                pages.next().await
            } {
                let page = page.map_err(|e| read_error("autoscaling", &ctx.region, types, e))?;
                out.extend(page.auto_scaling_groups().iter().cloned());
            }
            Ok(out)
        })
        .await;
    for_caller(&cached, types)
}

/// The import id of a part named within its group: `group/name` (policies, scheduled
/// actions, lifecycle hooks; the provider's import form).
pub(crate) fn group_part_id(group: &str, name: &str) -> String {
    format!("{group}/{name}")
}

/// Was the group made by EKS for a managed node group (AWS-managed, see
/// `aws_autoscaling_group`)? Parts of such a group that EKS made are AWS's too.
pub(crate) fn eks_group(g: &AutoScalingGroup) -> bool {
    aws_autoscaling_group::made_by_eks(g)
}

/// "AutoScalingGroup name not found": the group was deleted between its listing and a
/// per-group call (Auto Scaling answers a ValidationError, not a not-found code).
pub(crate) fn group_gone<E: aws_sdk_autoscaling::error::ProvideErrorMetadata, R>(
    e: &aws_smithy_runtime_api::client::result::SdkError<E, R>,
) -> bool {
    match e {
        aws_smithy_runtime_api::client::result::SdkError::ServiceError(se) => {
            se.err().code() == Some("ValidationError")
                && se.err().message().is_some_and(|m| m.to_ascii_lowercase().contains("not found"))
        }
        _ => false,
    }
}

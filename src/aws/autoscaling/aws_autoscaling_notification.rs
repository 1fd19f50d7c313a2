//! `aws_autoscaling_notification`: DescribeNotificationConfigurations, paginated, for every
//! group of the region at once; one resource per SNS topic, as the provider's (id: the topic
//! ARN), with the groups that notify it and the notification types.
//!
//! The provider reads only the groups its state names; live, every group notifying the
//! topic is listed, and the `autoscaling_parts` normaliser keeps, of the live groups, those
//! the state names (a group removed is drift; one added by hand is not something the
//! provider can see). `notifications` is the union of the types of those groups (the
//! provider writes the same types to each).
//!
//! The emulator (moto 5.2.1) lacks these APIs; the launcher implements them
//! (`testdata/moto/README.md`).

use std::collections::{BTreeMap, BTreeSet};

use aws_sdk_autoscaling::types::NotificationConfiguration;
use futures::FutureExt;

use crate::aws::errors::read_error;
use crate::aws::event::{Event, W};
use crate::aws::{Ctx, FetchResult, Identity, Read, ResourceType};
use crate::model::{Resource, Value};

const TYPES: &[&str] = &["aws_autoscaling_notification"];

pub static TYPE: ResourceType = ResourceType {
    read: Some(Read { fetch: |ctx| fetch(ctx).boxed(), global: false }),
    identity: Identity { names: &["topic_arn"], ..Identity::NONE },
    events: &[
        // Per group: a change of the topic's groups and types.
        Event::create("autoscaling", "PutNotificationConfiguration", &["{topicARN|topicArn}"])
            .writing(&[W::List("notifications", "notificationTypes[]"), W::Touch("group_names")]),
        Event::modify("autoscaling", "DeleteNotificationConfiguration", &["{topicARN|topicArn}"])
            .writing(&[W::Touch("group_names")]),
    ],
    ..ResourceType::base("aws_autoscaling_notification", "autoscaling")
};

async fn fetch(ctx: &Ctx) -> FetchResult {
    let autoscaling = ctx.client::<aws_sdk_autoscaling::Client>();
    let mut configs = Vec::new();
    let mut pages = autoscaling.describe_notification_configurations().max_records(100).into_paginator().send();
    while let Some(page) = {
        let _p = ctx.permit("autoscaling").await;
        pages.next().await
    } {
        let page = page.map_err(|e| read_error("autoscaling", &ctx.region, TYPES, e))?;
        configs.extend(page.notification_configurations().iter().cloned());
    }
    Ok(map(&configs, &ctx.region, &ctx.account))
}

/// Pure mapping: one resource per topic, with its groups and notification types as sets.
pub fn map(configs: &[NotificationConfiguration], region: &str, account: &str) -> Vec<Resource> {
    let mut by_topic: BTreeMap<&str, (BTreeSet<&str>, BTreeSet<&str>)> = BTreeMap::new();
    for c in configs {
        let (Some(topic), Some(group)) = (c.topic_arn(), c.auto_scaling_group_name()) else { continue };
        let entry = by_topic.entry(topic).or_default();
        entry.0.insert(group);
        if let Some(t) = c.notification_type() {
            entry.1.insert(t);
        }
    }
    by_topic
        .into_iter()
        .map(|(topic, (groups, types))| {
            Resource::live("aws_autoscaling_notification", topic, region, account, None)
                .with("id", topic)
                .with("topic_arn", topic)
                .with("group_names", Value::string_list(groups))
                .with("notifications", Value::string_list(types))
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use serde_json::{Value as J, json};

    use super::*;
    use crate::aws::event::{Written, of};

    const TOPIC: &str = "arn:aws:sns:us-east-1:123456789012:clinic-scaling";

    fn config(group: &str, kind: &str) -> NotificationConfiguration {
        NotificationConfiguration::builder()
            .auto_scaling_group_name(group)
            .topic_arn(TOPIC)
            .notification_type(kind)
            .build()
    }

    #[test]
    fn one_resource_per_topic() {
        let rs = map(
            &[
                config("b", "autoscaling:EC2_INSTANCE_LAUNCH"),
                config("a", "autoscaling:EC2_INSTANCE_TERMINATE"),
                config("a", "autoscaling:EC2_INSTANCE_LAUNCH"),
            ],
            "us-east-1",
            "1",
        );
        assert_eq!(rs.len(), 1);
        assert_eq!(rs[0].id, TOPIC);
        assert_eq!(rs[0].attr("group_names"), &Value::string_list(["a", "b"]));
        assert_eq!(
            rs[0].attr("notifications"),
            &Value::string_list(["autoscaling:EC2_INSTANCE_LAUNCH", "autoscaling:EC2_INSTANCE_TERMINATE"])
        );
    }

    #[test]
    fn put_names_the_topic() {
        let e = of("aws_autoscaling_notification", "autoscaling", "PutNotificationConfiguration");
        let req = json!({"autoScalingGroupName": "a", "topicARN": TOPIC,
            "notificationTypes": ["autoscaling:EC2_INSTANCE_LAUNCH"]});
        assert_eq!(e.identifiers(&req, &J::Null), vec![TOPIC]);
        assert!(e.writes(&req, &J::Null).contains(&Written::Set {
            path: "notifications".into(),
            value: Value::string_list(["autoscaling:EC2_INSTANCE_LAUNCH"])
        }));
    }
}

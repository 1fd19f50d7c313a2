//! `aws_config_delivery_channel`: DescribeDeliveryChannels (one call). Id: the name. Joined
//! into its region's recorder view (`account.delivery_channel`).
//!
//! Follows the provider's read: unset strings `""`, `snapshot_delivery_properties` only when
//! AWS answers a delivery frequency.
//!
//! CloudTrail: PutDeliveryChannel carries `deliveryChannel.{name,s3BucketName,...}`;
//! DeleteDeliveryChannel names `deliveryChannelName`. Shapes follow the API.

use aws_sdk_config::types::DeliveryChannel;
use futures::FutureExt;

use crate::aws::errors::read_error;
use crate::aws::event::{Event, W};
use crate::aws::{Ctx, FetchResult, Read, ResourceType};
use crate::model::{Resource, Value};

const TYPES: &[&str] = &["aws_config_delivery_channel"];

pub static TYPE: ResourceType = ResourceType {
    read: Some(Read { fetch: |ctx| fetch(ctx).boxed(), global: false }),
    events: &[
        Event::create("config", "PutDeliveryChannel", &["deliveryChannel.name"]).writing(&[
            W::Param("s3_bucket_name", "deliveryChannel.s3BucketName"),
            W::Param("s3_key_prefix", "deliveryChannel.s3KeyPrefix"),
            W::Param("s3_kms_key_arn", "deliveryChannel.s3KmsKeyArn"),
            W::Param("sns_topic_arn", "deliveryChannel.snsTopicARN"),
            W::Param(
                "snapshot_delivery_properties[0].delivery_frequency",
                "deliveryChannel.configSnapshotDeliveryProperties.deliveryFrequency",
            ),
        ]),
        Event::delete("config", "DeleteDeliveryChannel", &["deliveryChannelName"]),
    ],
    part_of_views: &["config_recorder"],
    ..ResourceType::base("aws_config_delivery_channel", "config")
};

async fn fetch(ctx: &Ctx) -> FetchResult {
    let config = ctx.client::<aws_sdk_config::Client>();
    let answer = {
        let _p = ctx.permit("config").await;
        config.describe_delivery_channels().send().await
    };
    let out = answer.map_err(|e| read_error("config", &ctx.region, TYPES, e))?;
    Ok(out.delivery_channels().iter().map(|c| map(c, &ctx.region, &ctx.account)).collect())
}

/// Pure mapping from the SDK's `DeliveryChannel` to provider v5 attributes.
pub fn map(c: &DeliveryChannel, region: &str, account: &str) -> Resource {
    let name = c.name().unwrap_or_default();
    let s = |v: Option<&str>| Value::str(v.unwrap_or_default());
    Resource::live("aws_config_delivery_channel", name, region, account, None)
        .with("id", name)
        .with("name", name)
        .with("s3_bucket_name", s(c.s3_bucket_name()))
        .with("s3_key_prefix", s(c.s3_key_prefix()))
        .with("s3_kms_key_arn", s(c.s3_kms_key_arn()))
        .with("sns_topic_arn", s(c.sns_topic_arn()))
        .with(
            "snapshot_delivery_properties",
            match c.config_snapshot_delivery_properties().and_then(|p| p.delivery_frequency()) {
                Some(f) => Value::block([("delivery_frequency", Value::str(f.as_str()))]),
                None => Value::List(Vec::new()),
            },
        )
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::aws::Written;
    use crate::aws::event::of;
    use aws_sdk_config::types::{ConfigSnapshotDeliveryProperties, MaximumExecutionFrequency};

    #[test]
    fn maps_a_channel_and_its_events() {
        let c = DeliveryChannel::builder()
            .name("default")
            .s3_bucket_name("logs")
            .config_snapshot_delivery_properties(
                ConfigSnapshotDeliveryProperties::builder()
                    .delivery_frequency(MaximumExecutionFrequency::TwentyFourHours)
                    .build(),
            )
            .build();
        let r = map(&c, "us-east-1", "1");
        assert_eq!(r.attr_str("s3_key_prefix"), Some(""));
        assert_eq!(
            r.attr("snapshot_delivery_properties").get("delivery_frequency"),
            Some(&Value::str("TwentyFour_Hours"))
        );
        let put = of("aws_config_delivery_channel", "config", "PutDeliveryChannel");
        let req = serde_json::json!({"deliveryChannel": {"name": "default", "s3BucketName": "other"}});
        assert_eq!(put.identifiers(&req, &serde_json::Value::Null), vec!["default"]);
        assert_eq!(
            put.writes(&req, &serde_json::Value::Null),
            vec![Written::Set { path: "s3_bucket_name".into(), value: Value::str("other") }]
        );
    }
}

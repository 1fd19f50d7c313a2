//! `aws_sns_topic_subscription`: ListSubscriptions (paginated), then GetSubscriptionAttributes
//! per confirmed subscription under the SNS bound. Subscriptions still pending confirmation
//! have no ARN yet (`PendingConfirmation`) and are not emitted.
//!
//! Identity: the subscription ARN (tfstate `id` = `arn`). Filled from the attributes as the
//! provider reads them, `""` / `false` when AWS leaves one out: `topic_arn`, `protocol`,
//! `endpoint`, `owner_id`, `raw_message_delivery`, `filter_policy`, `filter_policy_scope`,
//! `delivery_policy`, `redrive_policy`, `replay_policy`, `subscription_role_arn`,
//! `pending_confirmation`, `confirmation_was_authenticated`. The JSON documents compare as
//! JSON (`json_documents`). Left Unknown (configuration only):
//! `confirmation_timeout_in_minutes`, `endpoint_auto_confirms`.

use std::collections::HashMap;

use futures::{FutureExt, StreamExt, TryStreamExt};
use serde_json::Value as Json;

use super::{GONE, flag, text};
use crate::aws::errors::{read_error, service_code};
use crate::aws::event::{Event, W, Written, first};
use crate::aws::{Ctx, FetchResult, Identity, Read, ResourceType};
use crate::model::{ReadError, Resource};

const TYPES: &[&str] = &["aws_sns_topic_subscription"];

/// The provider's attribute table: `(attribute, AWS attribute name, boolean?)`.
const ATTRIBUTES: &[(&str, &str, bool)] = &[
    ("confirmation_was_authenticated", "ConfirmationWasAuthenticated", true),
    ("delivery_policy", "DeliveryPolicy", false),
    ("endpoint", "Endpoint", false),
    ("filter_policy", "FilterPolicy", false),
    ("filter_policy_scope", "FilterPolicyScope", false),
    ("owner_id", "Owner", false),
    ("pending_confirmation", "PendingConfirmation", true),
    ("protocol", "Protocol", false),
    ("raw_message_delivery", "RawMessageDelivery", true),
    ("redrive_policy", "RedrivePolicy", false),
    ("replay_policy", "ReplayPolicy", false),
    ("subscription_role_arn", "SubscriptionRoleArn", false),
    ("topic_arn", "TopicArn", false),
];

pub static TYPE: ResourceType = ResourceType {
    read: Some(Read { fetch: |ctx| fetch(ctx).boxed(), global: false }),
    identity: Identity { names: &["arn"], parent_attr: Some("topic_arn"), ..Identity::NONE },
    events: &[
        Event::create("sns", "Subscribe", &["@subscriptionArn"]).writing(&[
            W::Param("protocol", "protocol"),
            W::Param("endpoint", "endpoint"),
            W::Param("topic_arn", "topicArn"),
        ]),
        Event::modify("sns", "SetSubscriptionAttributes", &["subscriptionArn"]).writing(&[W::Custom(set_attribute)]),
        Event::delete("sns", "Unsubscribe", &["subscriptionArn"]),
    ],
    ..ResourceType::base("aws_sns_topic_subscription", "sns")
};

/// SetSubscriptionAttributes: `{subscriptionArn, attributeName, attributeValue}`.
fn set_attribute(req: &Json, _: &Json, out: &mut Vec<Written>) {
    let Some(name) = first(req, "attributeName").and_then(Json::as_str) else { return };
    let Some((attr, _, boolean)) = ATTRIBUTES.iter().find(|(_, aws, _)| aws.eq_ignore_ascii_case(name)) else { return };
    let value = first(req, "attributeValue").map(crate::aws::event::value).unwrap_or_else(|| "".into());
    let value = match (boolean, value) {
        (true, crate::model::Value::String(s)) => crate::model::Value::Bool(s.eq_ignore_ascii_case("true")),
        (_, v) => v,
    };
    out.push(Written::Set { path: attr.to_string(), value });
}

async fn fetch(ctx: &Ctx) -> FetchResult {
    let sns = ctx.client::<aws_sdk_sns::Client>();
    let mut arns = Vec::new();
    let mut pages = sns.list_subscriptions().into_paginator().send();
    while let Some(page) = {
        let _p = ctx.permit("sns").await;
        pages.next().await
    } {
        let page = page.map_err(|e| read_error("sns", &ctx.region, TYPES, e))?;
        arns.extend(
            page.subscriptions()
                .iter()
                .filter_map(|s| s.subscription_arn())
                .filter(|a| a.starts_with("arn:"))
                .map(str::to_string),
        );
    }
    let sns = &sns;
    let found: Vec<Option<Resource>> = futures::stream::iter(arns)
        .map(|arn| async move {
            let answer = {
                let _p = ctx.permit("sns").await;
                sns.get_subscription_attributes().subscription_arn(&arn).send().await
            };
            match answer {
                Ok(out) => Ok(Some(map(&arn, out.attributes().unwrap_or(&HashMap::new()), &ctx.region, &ctx.account))),
                Err(e) if service_code(&e).is_some_and(|c| GONE.contains(&c)) => Ok(None),
                Err(e) => Err::<_, ReadError>(read_error("sns", &ctx.region, TYPES, e)),
            }
        })
        .buffer_unordered(ctx.limit("sns"))
        .try_collect()
        .await?;
    Ok(found.into_iter().flatten().collect())
}

/// Pure mapping from a subscription's ARN and attributes.
pub fn map(arn: &str, attrs: &HashMap<String, String>, region: &str, account: &str) -> Resource {
    let mut r = Resource::live("aws_sns_topic_subscription", arn, region, account, Some(arn.to_string()))
        .with("id", arn)
        .with("arn", arn);
    for (attr, key, boolean) in ATTRIBUTES {
        r.set(attr, if *boolean { flag(attrs, key) } else { text(attrs, key) });
    }
    r
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::Value;
    use serde_json::json;

    const ARN: &str = "arn:aws:sns:us-east-1:123456789012:events:6b8fc990";

    #[test]
    fn maps_a_subscription() {
        let attrs: HashMap<String, String> = [
            ("TopicArn", "arn:aws:sns:us-east-1:123456789012:events"),
            ("Protocol", "sqs"),
            ("Endpoint", "arn:aws:sqs:us-east-1:123456789012:orders"),
            ("RawMessageDelivery", "true"),
            ("FilterPolicy", r#"{"kind":["orders"]}"#),
            ("FilterPolicyScope", "MessageAttributes"),
            ("PendingConfirmation", "false"),
            ("Owner", "123456789012"),
        ]
        .into_iter()
        .map(|(k, v)| (k.to_string(), v.to_string()))
        .collect();
        let r = map(ARN, &attrs, "us-east-1", "1");
        assert_eq!(r.id, ARN);
        assert_eq!(r.attr("raw_message_delivery"), &Value::Bool(true));
        assert_eq!(r.attr_str("owner_id"), Some("123456789012"));
        assert_eq!(r.attr_str("redrive_policy"), Some(""));
        assert_eq!(r.attr("confirmation_was_authenticated"), &Value::Bool(false));
        assert_eq!(r.attr("endpoint_auto_confirms"), &Value::Unknown);
    }

    #[test]
    fn set_subscription_attributes_writes_the_named_attribute() {
        let e = crate::aws::event::of("aws_sns_topic_subscription", "sns", "SetSubscriptionAttributes");
        let req = json!({"subscriptionArn": ARN, "attributeName": "RawMessageDelivery", "attributeValue": "false"});
        assert_eq!(e.identifiers(&req, &json!(null)), [ARN]);
        assert_eq!(
            e.writes(&req, &json!(null)),
            [Written::Set { path: "raw_message_delivery".into(), value: Value::Bool(false) }]
        );
    }
}

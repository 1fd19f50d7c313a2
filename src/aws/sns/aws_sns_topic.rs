//! `aws_sns_topic`: the GetTopicAttributes reads shared with `aws_sns_topic_policy`, and
//! ListTagsForResource per topic.
//!
//! Identity: the topic ARN (tfstate `id` = `arn`). Every attribute of the provider's
//! attribute table is filled from the topic's attributes, with the provider's zero values for
//! those AWS leaves out (`""`, `0`, `false`): `display_name`, `policy` (compared as a policy),
//! `delivery_policy`, `kms_master_key_id`, `fifo_topic`, `content_based_deduplication`,
//! `signature_version`, `tracing_config`, `archive_policy`, `beginning_archive_time`,
//! `fifo_throughput_scope`, `owner`, and the delivery-status feedback role ARNs and sample
//! rates of every protocol. `name` is the ARN's last part; `name_prefix` (derived at creation)
//! is left Unknown.
//!
//! With an `aws_sns_topic_policy` in state, the topic's own `policy` is a stale copy (read
//! before the policy resource applied): the `policy_resource_copies` normalisation judges the
//! policy there only.

use std::collections::HashMap;

use aws_sdk_sns::types::Tag;
use futures::{FutureExt, StreamExt, TryStreamExt};
use serde_json::Value as Json;

use super::{GONE, flag, number, text, topics};
use crate::aws::errors::{read_error, service_code};
use crate::aws::event::{Event, W, Written, first};
use crate::aws::{Ctx, FetchResult, Identity, Read, ResourceType};
use crate::model::{ReadError, Resource, Value};

const TYPES: &[&str] = &["aws_sns_topic"];

/// How a provider attribute reads from the topic's attributes.
#[derive(Clone, Copy)]
enum Kind {
    Text,
    Number,
    Flag,
}

/// The provider's attribute table: `(attribute, AWS attribute name, kind)`.
const ATTRIBUTES: &[(&str, &str, Kind)] = &[
    ("application_failure_feedback_role_arn", "ApplicationFailureFeedbackRoleArn", Kind::Text),
    ("application_success_feedback_role_arn", "ApplicationSuccessFeedbackRoleArn", Kind::Text),
    ("application_success_feedback_sample_rate", "ApplicationSuccessFeedbackSampleRate", Kind::Number),
    ("archive_policy", "ArchivePolicy", Kind::Text),
    ("beginning_archive_time", "BeginningArchiveTime", Kind::Text),
    ("content_based_deduplication", "ContentBasedDeduplication", Kind::Flag),
    ("delivery_policy", "DeliveryPolicy", Kind::Text),
    ("display_name", "DisplayName", Kind::Text),
    ("fifo_throughput_scope", "FifoThroughputScope", Kind::Text),
    ("fifo_topic", "FifoTopic", Kind::Flag),
    ("firehose_failure_feedback_role_arn", "FirehoseFailureFeedbackRoleArn", Kind::Text),
    ("firehose_success_feedback_role_arn", "FirehoseSuccessFeedbackRoleArn", Kind::Text),
    ("firehose_success_feedback_sample_rate", "FirehoseSuccessFeedbackSampleRate", Kind::Number),
    ("http_failure_feedback_role_arn", "HTTPFailureFeedbackRoleArn", Kind::Text),
    ("http_success_feedback_role_arn", "HTTPSuccessFeedbackRoleArn", Kind::Text),
    ("http_success_feedback_sample_rate", "HTTPSuccessFeedbackSampleRate", Kind::Number),
    ("kms_master_key_id", "KmsMasterKeyId", Kind::Text),
    ("lambda_failure_feedback_role_arn", "LambdaFailureFeedbackRoleArn", Kind::Text),
    ("lambda_success_feedback_role_arn", "LambdaSuccessFeedbackRoleArn", Kind::Text),
    ("lambda_success_feedback_sample_rate", "LambdaSuccessFeedbackSampleRate", Kind::Number),
    ("owner", "Owner", Kind::Text),
    ("policy", "Policy", Kind::Text),
    ("signature_version", "SignatureVersion", Kind::Number),
    ("sqs_failure_feedback_role_arn", "SQSFailureFeedbackRoleArn", Kind::Text),
    ("sqs_success_feedback_role_arn", "SQSSuccessFeedbackRoleArn", Kind::Text),
    ("sqs_success_feedback_sample_rate", "SQSSuccessFeedbackSampleRate", Kind::Number),
    ("tracing_config", "TracingConfig", Kind::Text),
];

pub static TYPE: ResourceType = ResourceType {
    read: Some(Read { fetch: |ctx| fetch(ctx).boxed(), global: false }),
    identity: Identity { names: &["arn", "name"], ..Identity::NONE },
    events: &[
        Event::create("sns", "CreateTopic", &["@topicArn"])
            .writing(&[W::Custom(create_attributes), W::Tags { items: "tags[]", key: "key", value: "value" }]),
        Event::modify("sns", "SetTopicAttributes", &["topicArn"]).writing(&[W::Custom(set_attribute)]),
        Event::modify("sns", "AddPermission", &["topicArn"]).writing(&[W::Touch("policy")]),
        Event::modify("sns", "RemovePermission", &["topicArn"]).writing(&[W::Touch("policy")]),
        Event::delete("sns", "DeleteTopic", &["topicArn"]),
        Event::modify("sns", "TagResource", &["resourceArn"]).writing(&[W::Tags {
            items: "tags[]",
            key: "key",
            value: "value",
        }]),
        Event::modify("sns", "UntagResource", &["resourceArn"]).writing(&[W::Untags { items: "tagKeys[]", key: "" }]),
    ],
    ..ResourceType::base("aws_sns_topic", "sns")
};

/// The provider attribute an AWS attribute name maps to, with its value as the provider
/// stores it.
fn written(name: &str, value: &Json) -> Option<Written> {
    let (attr, _, kind) = ATTRIBUTES.iter().find(|(_, aws, _)| aws.eq_ignore_ascii_case(name))?;
    let raw = crate::aws::event::value(value);
    let value = match (kind, &raw) {
        (Kind::Number, Value::String(s)) => s.trim().parse::<i64>().map(Value::int).unwrap_or(raw),
        (Kind::Flag, Value::String(s)) => Value::Bool(s.eq_ignore_ascii_case("true")),
        _ => raw,
    };
    Some(Written::Set { path: attr.to_string(), value })
}

/// SetTopicAttributes: `{topicArn, attributeName, attributeValue}`.
fn set_attribute(req: &Json, _: &Json, out: &mut Vec<Written>) {
    let Some(name) = first(req, "attributeName").and_then(Json::as_str) else { return };
    let value = first(req, "attributeValue").cloned().unwrap_or(Json::String(String::new()));
    out.extend(written(name, &value));
}

/// CreateTopic: `attributes` is a map of AWS attribute names.
fn create_attributes(req: &Json, _: &Json, out: &mut Vec<Written>) {
    if let Some(Json::Object(attrs)) = first(req, "attributes") {
        out.extend(attrs.iter().filter_map(|(k, v)| written(k, v)));
    }
}

async fn fetch(ctx: &Ctx) -> FetchResult {
    let listed = topics(ctx, TYPES).await?;
    let found: Vec<Option<Resource>> = futures::stream::iter(listed)
        .map(|(arn, attrs)| async move {
            let sns = ctx.client::<aws_sdk_sns::Client>();
            let answer = {
                let _p = ctx.permit("sns").await;
                sns.list_tags_for_resource().resource_arn(&arn).send().await
            };
            match answer {
                Ok(out) => Ok(Some(map(&arn, &attrs, Some(out.tags()), &ctx.region, &ctx.account))),
                Err(e) if service_code(&e).is_some_and(|c| GONE.contains(&c)) => Ok(None),
                Err(e) => Err::<_, ReadError>(read_error("sns", &ctx.region, TYPES, e)),
            }
        })
        .buffer_unordered(ctx.limit("sns"))
        .try_collect()
        .await?;
    Ok(found.into_iter().flatten().collect())
}

/// Pure mapping from a topic's ARN, its attributes and its tags (`None`: not read).
pub fn map(arn: &str, attrs: &HashMap<String, String>, tags: Option<&[Tag]>, region: &str, account: &str) -> Resource {
    let name = arn.rsplit(':').next().unwrap_or(arn);
    let mut r = Resource::live("aws_sns_topic", arn, region, account, Some(arn.to_string()))
        .with("id", arn)
        .with("arn", arn)
        .with("name", name);
    for (attr, key, kind) in ATTRIBUTES {
        let v = match kind {
            Kind::Text => text(attrs, key),
            Kind::Number => number(attrs, key),
            Kind::Flag => flag(attrs, key),
        };
        r.set(attr, v);
    }
    if let Some(tags) = tags {
        r.set(
            "tags",
            Value::string_map(
                tags.iter()
                    .map(|t| (t.key().to_string(), t.value().to_string()))
                    .filter(|(k, _)| !k.starts_with("aws:")),
            ),
        );
    }
    r
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    const ARN: &str = "arn:aws:sns:us-east-1:123456789012:events";

    fn attrs() -> HashMap<String, String> {
        [
            ("TopicArn", ARN),
            ("DisplayName", "Clinic events"),
            ("KmsMasterKeyId", "alias/data"),
            ("Owner", "123456789012"),
            ("Policy", r#"{"Version":"2012-10-17","Statement":[]}"#),
            ("SignatureVersion", "1"),
            ("FifoTopic", "false"),
            ("SubscriptionsConfirmed", "2"),
        ]
        .into_iter()
        .map(|(k, v)| (k.to_string(), v.to_string()))
        .collect()
    }

    #[test]
    fn maps_a_topic_with_the_providers_zero_values() {
        let tags = [Tag::builder().key("Name").value("events").build().unwrap()];
        let r = map(ARN, &attrs(), Some(&tags), "us-east-1", "123456789012");
        assert_eq!((r.id.as_str(), r.attr_str("name")), (ARN, Some("events")));
        assert_eq!(r.attr_str("display_name"), Some("Clinic events"));
        assert_eq!(r.attr_str("kms_master_key_id"), Some("alias/data"));
        assert_eq!(r.attr("signature_version"), &Value::int(1));
        assert_eq!(r.attr("fifo_topic"), &Value::Bool(false));
        assert_eq!(r.attr_str("delivery_policy"), Some(""));
        assert_eq!(r.attr("sqs_success_feedback_sample_rate"), &Value::int(0));
        assert_eq!(r.attr("tags"), &Value::string_map([("Name", "events")]));
        assert_eq!(r.attr("name_prefix"), &Value::Unknown);
        assert_eq!(map(ARN, &attrs(), None, "us-east-1", "1").attr("tags"), &Value::Unknown);
    }

    #[test]
    fn set_topic_attributes_writes_the_named_attribute() {
        use crate::aws::event::of;
        let e = of("aws_sns_topic", "sns", "SetTopicAttributes");
        let req = json!({"topicArn": ARN, "attributeName": "KmsMasterKeyId", "attributeValue": ""});
        assert_eq!(e.identifiers(&req, &json!(null)), [ARN]);
        assert_eq!(e.writes(&req, &json!(null)), [Written::Set { path: "kms_master_key_id".into(), value: "".into() }]);
        let req = json!({"topicArn": ARN, "attributeName": "SignatureVersion", "attributeValue": "2"});
        assert_eq!(
            e.writes(&req, &json!(null)),
            [Written::Set { path: "signature_version".into(), value: Value::int(2) }]
        );
        let c = of("aws_sns_topic", "sns", "CreateTopic");
        let req =
            json!({"name": "events", "attributes": {"DisplayName": "x"}, "tags": [{"key": "Team", "value": "data"}]});
        assert_eq!(c.identifiers(&req, &json!({"topicArn": ARN})), [ARN]);
        let w = c.writes(&req, &json!(null));
        assert!(w.contains(&Written::Set { path: "display_name".into(), value: "x".into() }));
        assert!(w.contains(&Written::Set { path: "tags.Team".into(), value: "data".into() }));
    }
}

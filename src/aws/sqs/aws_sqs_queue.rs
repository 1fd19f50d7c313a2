//! `aws_sqs_queue`: the GetQueueAttributes reads shared with `aws_sqs_queue_policy`, and
//! ListQueueTags per queue.
//!
//! Identity: the queue URL (tfstate `id` = `url`); a `state_form` joins a state that wrote
//! the URL in another form by queue name. Filled from the attributes as the provider reads
//! them, with its defaults where AWS leaves one out: `delay_seconds`, `max_message_size`,
//! `message_retention_seconds`, `receive_wait_time_seconds`, `visibility_timeout_seconds`,
//! `policy` (compared as a policy), `redrive_policy`, `redrive_allow_policy` (compared as
//! JSON), `kms_master_key_id`, `kms_data_key_reuse_period_seconds` (300),
//! `sqs_managed_sse_enabled`, `fifo_queue`, `content_based_deduplication`,
//! `deduplication_scope`, `fifo_throughput_limit`, `arn`, `name`, `url`, `tags`.
//! `name_prefix` (derived at creation) is left Unknown.
//!
//! With an `aws_sqs_queue_policy` in state the queue's own `policy` is a stale copy (read
//! before the policy resource applied): `policy_resource_copies` judges it there only.

use std::collections::HashMap;

use futures::{FutureExt, StreamExt, TryStreamExt};
use serde_json::Value as Json;

use super::{BY_QUEUE_NAME, GONE, queue_name, queues, request_attributes, request_tags};
use crate::aws::errors::{read_error, service_code};
use crate::aws::event::{Event, W, Written};
use crate::aws::{Ctx, FetchResult, Identity, Read, ResourceType};
use crate::model::{ReadError, Resource, Value};

const TYPES: &[&str] = &["aws_sqs_queue"];

/// How a provider attribute reads: a number with the provider's default, a boolean, or text.
#[derive(Clone, Copy)]
enum Kind {
    Number(i64),
    Flag,
    Text,
}

/// `(attribute, AWS attribute name, kind)`.
const ATTRIBUTES: &[(&str, &str, Kind)] = &[
    ("content_based_deduplication", "ContentBasedDeduplication", Kind::Flag),
    ("deduplication_scope", "DeduplicationScope", Kind::Text),
    ("delay_seconds", "DelaySeconds", Kind::Number(0)),
    ("fifo_queue", "FifoQueue", Kind::Flag),
    ("fifo_throughput_limit", "FifoThroughputLimit", Kind::Text),
    ("kms_data_key_reuse_period_seconds", "KmsDataKeyReusePeriodSeconds", Kind::Number(300)),
    ("kms_master_key_id", "KmsMasterKeyId", Kind::Text),
    ("max_message_size", "MaximumMessageSize", Kind::Number(262_144)),
    ("message_retention_seconds", "MessageRetentionPeriod", Kind::Number(345_600)),
    ("policy", "Policy", Kind::Text),
    ("receive_wait_time_seconds", "ReceiveMessageWaitTimeSeconds", Kind::Number(0)),
    ("redrive_allow_policy", "RedriveAllowPolicy", Kind::Text),
    ("redrive_policy", "RedrivePolicy", Kind::Text),
    ("sqs_managed_sse_enabled", "SqsManagedSseEnabled", Kind::Flag),
    ("visibility_timeout_seconds", "VisibilityTimeout", Kind::Number(30)),
];

pub static TYPE: ResourceType = ResourceType {
    read: Some(Read { fetch: |ctx| fetch(ctx).boxed(), global: false }),
    identity: Identity { names: &["url", "name", "arn"], ..Identity::NONE },
    events: &[
        Event::create("sqs", "CreateQueue", &["@queueUrl", "queueName"])
            .writing(&[W::Custom(set_attributes), W::Custom(request_tags)]),
        Event::modify("sqs", "SetQueueAttributes", &["queueUrl"]).writing(&[W::Custom(set_attributes)]),
        Event::modify("sqs", "AddPermission", &["queueUrl"]).writing(&[W::Touch("policy")]),
        Event::modify("sqs", "RemovePermission", &["queueUrl"]).writing(&[W::Touch("policy")]),
        Event::delete("sqs", "DeleteQueue", &["queueUrl"]),
        Event::modify("sqs", "TagQueue", &["queueUrl"]).writing(&[W::Custom(request_tags)]),
        Event::modify("sqs", "UntagQueue", &["queueUrl"]).writing(&[W::Untags { items: "tagKeys[]", key: "" }]),
    ],
    state_form: Some(BY_QUEUE_NAME),
    ..ResourceType::base("aws_sqs_queue", "sqs")
};

/// Every attribute a request's `attributes` map sets, as the provider stores it.
fn set_attributes(req: &Json, _: &Json, out: &mut Vec<Written>) {
    for (name, v) in request_attributes(req) {
        let Some((attr, _, kind)) = ATTRIBUTES.iter().find(|(_, aws, _)| *aws == name) else { continue };
        let raw = crate::aws::event::value(v);
        let value = match (kind, &raw) {
            (Kind::Number(_), Value::String(s)) => s.trim().parse::<i64>().map(Value::int).unwrap_or(raw),
            (Kind::Flag, Value::String(s)) => Value::Bool(s.eq_ignore_ascii_case("true")),
            _ => raw,
        };
        out.push(Written::Set { path: attr.to_string(), value });
    }
}

async fn fetch(ctx: &Ctx) -> FetchResult {
    let listed = queues(ctx, TYPES).await?;
    let found: Vec<Option<Resource>> = futures::stream::iter(listed)
        .map(|(url, attrs)| async move {
            let sqs = ctx.client::<aws_sdk_sqs::Client>();
            let answer = {
                let _p = ctx.permit("sqs").await;
                sqs.list_queue_tags().queue_url(&url).send().await
            };
            match answer {
                Ok(out) => Ok(Some(map(
                    &url,
                    &attrs,
                    Some(&out.tags().cloned().unwrap_or_default()),
                    &ctx.region,
                    &ctx.account,
                ))),
                Err(e) if service_code(&e).is_some_and(|c| GONE.contains(&c)) => Ok(None),
                Err(e) => Err::<_, ReadError>(read_error("sqs", &ctx.region, TYPES, e)),
            }
        })
        .buffer_unordered(ctx.limit("sqs"))
        .try_collect()
        .await?;
    Ok(found.into_iter().flatten().collect())
}

/// Pure mapping from a queue's URL, its attributes and its tags (`None`: not read).
pub fn map(
    url: &str,
    attrs: &HashMap<String, String>,
    tags: Option<&HashMap<String, String>>,
    region: &str,
    account: &str,
) -> Resource {
    let arn = attrs.get("QueueArn").cloned();
    let mut r = Resource::live("aws_sqs_queue", url, region, account, arn.clone())
        .with("id", url)
        .with("url", url)
        .with("name", queue_name(url))
        .with("arn", Value::opt_str(arn));
    for (attr, key, kind) in ATTRIBUTES {
        let raw = attrs.get(*key).map(|v| v.trim());
        let v = match kind {
            Kind::Number(default) => Value::int(raw.and_then(|v| v.parse().ok()).unwrap_or(*default)),
            Kind::Flag => Value::Bool(raw.is_some_and(|v| v.eq_ignore_ascii_case("true"))),
            Kind::Text => raw.unwrap_or_default().into(),
        };
        r.set(attr, v);
    }
    if let Some(tags) = tags {
        r.set(
            "tags",
            Value::string_map(tags.iter().filter(|(k, _)| !k.starts_with("aws:")).map(|(k, v)| (k.clone(), v.clone()))),
        );
    }
    r
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    const URL: &str = "https://sqs.us-east-1.amazonaws.com/123456789012/orders";

    fn attrs(pairs: &[(&str, &str)]) -> HashMap<String, String> {
        pairs.iter().map(|(k, v)| (k.to_string(), v.to_string())).collect()
    }

    #[test]
    fn maps_a_queue_with_the_providers_defaults() {
        let a = attrs(&[
            ("QueueArn", "arn:aws:sqs:us-east-1:123456789012:orders"),
            ("VisibilityTimeout", "60"),
            ("MessageRetentionPeriod", "345600"),
            ("KmsMasterKeyId", "alias/data"),
            ("SqsManagedSseEnabled", "false"),
            (
                "RedrivePolicy",
                r#"{"deadLetterTargetArn":"arn:aws:sqs:us-east-1:123456789012:orders-dlq","maxReceiveCount":5}"#,
            ),
        ]);
        let tags: HashMap<String, String> = [("Queue".to_string(), "orders".to_string())].into();
        let r = map(URL, &a, Some(&tags), "us-east-1", "123456789012");
        assert_eq!((r.id.as_str(), r.attr_str("name")), (URL, Some("orders")));
        assert_eq!(r.attr("visibility_timeout_seconds"), &Value::int(60));
        assert_eq!(r.attr("delay_seconds"), &Value::int(0));
        assert_eq!(r.attr("max_message_size"), &Value::int(262_144));
        assert_eq!(r.attr("kms_data_key_reuse_period_seconds"), &Value::int(300));
        assert_eq!(r.attr("fifo_queue"), &Value::Bool(false));
        assert_eq!(r.attr_str("policy"), Some(""));
        assert_eq!(r.attr_str("kms_master_key_id"), Some("alias/data"));
        assert_eq!(r.attr("tags"), &Value::string_map([("Queue", "orders")]));
        assert_eq!(r.attr("name_prefix"), &Value::Unknown);
    }

    #[test]
    fn a_state_url_in_another_form_joins_by_name() {
        use crate::model::Origin;
        let live = map(URL, &attrs(&[]), None, "us-east-1", "1");
        let mut state = live.clone();
        let legacy = "https://queue.amazonaws.com/123456789012/orders";
        state.id = legacy.into();
        state.set("url", legacy);
        state.address = Some("aws_sqs_queue.this[\"orders\"]".into());
        state.origin = Origin::State { file: "t".into(), index: 0 };
        let mut lives = vec![live];
        crate::aws::state_form::align(std::slice::from_ref(&state), &mut lives);
        assert_eq!(lives[0].id, legacy);
        assert_eq!(lives[0].attr_str("url"), Some(legacy));
    }

    #[test]
    fn set_queue_attributes_writes_each_attribute() {
        use crate::aws::event::of;
        let e = of("aws_sqs_queue", "sqs", "SetQueueAttributes");
        let req = json!({"queueUrl": URL, "attributes": {"VisibilityTimeout": "120", "KmsMasterKeyId": ""}});
        assert_eq!(e.identifiers(&req, &json!(null)), [URL]);
        let w = e.writes(&req, &json!(null));
        assert!(w.contains(&Written::Set { path: "visibility_timeout_seconds".into(), value: Value::int(120) }));
        assert!(w.contains(&Written::Set { path: "kms_master_key_id".into(), value: "".into() }));
        let t = of("aws_sqs_queue", "sqs", "TagQueue");
        assert_eq!(
            t.writes(&json!({"queueUrl": URL, "tags": {"Team": "data"}}), &json!(null)),
            [Written::Set { path: "tags.Team".into(), value: "data".into() }]
        );
        let c = of("aws_sqs_queue", "sqs", "CreateQueue");
        assert_eq!(c.identifiers(&json!({"queueName": "orders"}), &json!({"queueUrl": URL})), [URL, "orders"]);
    }
}

//! `aws_s3_bucket_notification`: GetBucketNotificationConfiguration per bucket. Every bucket
//! answers one (empty when it notifies nothing), and so does the provider's read: a bucket
//! with nothing configured yields a resource with empty lists, marked as the AWS default
//! (`aws_default = true`), so that a managed notification emptied out of band is drift on
//! its lists, as Terraform sees it.
//!
//! Filled: `id` (the bucket), `bucket`, `eventbridge`, and `queue` / `topic` /
//! `lambda_function`, lists of `{id, events, filter_prefix, filter_suffix, <target>_arn}`
//! in the order S3 answers them (`""` for an absent filter rule).

use aws_sdk_s3::operation::get_bucket_notification_configuration::GetBucketNotificationConfigurationOutput;
use aws_sdk_s3::types::{Event as S3Event, FilterRuleName, NotificationConfigurationFilter};
use futures::FutureExt;

use super::listing::per_bucket;
use crate::aws::event::{Event, W};
use crate::aws::{Ctx, FetchResult, Read, ResourceType};
use crate::model::{Resource, Value};

const TYPES: &[&str] = &["aws_s3_bucket_notification"];

pub static TYPE: ResourceType = ResourceType {
    read: Some(Read { fetch: |ctx| fetch(ctx).boxed(), global: false }),
    identity: super::SETTING,
    parent: Some("aws_s3_bucket"),
    events: &[
        super::DELETE_BUCKET,
        // S3 logs PutBucketNotificationConfiguration as PutBucketNotification.
        Event::modify("s3", "PutBucketNotification", &["bucketName"])
            .also(&["PutBucketNotificationConfiguration"])
            .writing(&[W::Touch("queue"), W::Touch("topic"), W::Touch("lambda_function"), W::Touch("eventbridge")]),
    ],
    ..ResourceType::base("aws_s3_bucket_notification", "s3")
};

async fn fetch(ctx: &Ctx) -> FetchResult {
    let s3 = ctx.client::<aws_sdk_s3::Client>();
    let got = per_bucket(ctx, TYPES, &[], |b| s3.get_bucket_notification_configuration().bucket(b).send()).await?;
    Ok(got.into_iter().filter_map(|(name, o)| Some(map(&name, &o?, &ctx.region, &ctx.account))).collect())
}

/// Pure mapping from the bucket's notification configuration.
pub fn map(bucket: &str, o: &GetBucketNotificationConfigurationOutput, region: &str, account: &str) -> Resource {
    let target =
        |id: Option<&str>, events: &[S3Event], filter: Option<&NotificationConfigurationFilter>, arn_key, arn: &str| {
            let (prefix, suffix) = filter_rules(filter);
            Value::Map(
                [
                    ("id".to_string(), Value::from(id.unwrap_or_default())),
                    ("events".to_string(), {
                        let mut e: Vec<&str> = events.iter().map(|e| e.as_str()).collect();
                        e.sort_unstable();
                        Value::string_list(e)
                    }),
                    ("filter_prefix".to_string(), prefix.into()),
                    ("filter_suffix".to_string(), suffix.into()),
                    (arn_key, arn.into()),
                ]
                .into_iter()
                .collect(),
            )
        };
    let queues: Vec<Value> = o
        .queue_configurations()
        .iter()
        .map(|q| target(q.id(), q.events(), q.filter(), "queue_arn".to_string(), q.queue_arn()))
        .collect();
    let topics: Vec<Value> = o
        .topic_configurations()
        .iter()
        .map(|t| target(t.id(), t.events(), t.filter(), "topic_arn".to_string(), t.topic_arn()))
        .collect();
    let lambdas: Vec<Value> = o
        .lambda_function_configurations()
        .iter()
        .map(|l| target(l.id(), l.events(), l.filter(), "lambda_function_arn".to_string(), l.lambda_function_arn()))
        .collect();
    let eventbridge = o.event_bridge_configuration().is_some();
    let mut r = Resource::live("aws_s3_bucket_notification", bucket, region, account, None)
        .with("id", bucket)
        .with("bucket", bucket)
        .with("eventbridge", eventbridge);
    r.aws_default = queues.is_empty() && topics.is_empty() && lambdas.is_empty() && !eventbridge;
    r.with("queue", Value::List(queues))
        .with("topic", Value::List(topics))
        .with("lambda_function", Value::List(lambdas))
}

/// The key filter's prefix and suffix (`""` when absent).
fn filter_rules(f: Option<&NotificationConfigurationFilter>) -> (String, String) {
    let (mut prefix, mut suffix) = (String::new(), String::new());
    for rule in f.and_then(|f| f.key()).map(|k| k.filter_rules()).unwrap_or_default() {
        let value = rule.value().unwrap_or_default().to_string();
        match rule.name() {
            Some(FilterRuleName::Prefix) => prefix = value,
            Some(FilterRuleName::Suffix) => suffix = value,
            _ => {}
        }
    }
    (prefix, suffix)
}

#[cfg(test)]
mod tests {
    use super::*;
    use aws_sdk_s3::types::{FilterRule, QueueConfiguration, S3KeyFilter};

    #[test]
    fn maps_queue_with_prefix() {
        let o = GetBucketNotificationConfigurationOutput::builder()
            .queue_configurations(
                QueueConfiguration::builder()
                    .id("uploads")
                    .queue_arn("arn:aws:sqs:us-east-1:123456789012:uploads")
                    .events(S3Event::from("s3:ObjectCreated:*"))
                    .filter(
                        NotificationConfigurationFilter::builder()
                            .key(
                                S3KeyFilter::builder()
                                    .filter_rules(
                                        FilterRule::builder().name(FilterRuleName::Prefix).value("uploads/").build(),
                                    )
                                    .build(),
                            )
                            .build(),
                    )
                    .build()
                    .unwrap(),
            )
            .build();
        let r = map("data", &o, "us-east-1", "123456789012");
        assert_eq!(r.id, "data");
        assert!(!r.aws_default);
        assert_eq!(r.attr("eventbridge"), &Value::Bool(false));
        assert_eq!(r.attr("topic"), &Value::List(vec![]));
        let q = &r.attr("queue").as_list().unwrap()[0];
        assert_eq!(q.get("queue_arn"), Some(&Value::from("arn:aws:sqs:us-east-1:123456789012:uploads")));
        assert_eq!(q.get("events"), Some(&Value::string_list(["s3:ObjectCreated:*"])));
        assert_eq!(q.get("filter_prefix"), Some(&Value::from("uploads/")));
        assert_eq!(q.get("filter_suffix"), Some(&Value::from("")));
        assert_eq!(q.get("id"), Some(&Value::from("uploads")));
    }

    #[test]
    fn nothing_configured_is_the_default() {
        let r = map("b", &GetBucketNotificationConfigurationOutput::builder().build(), "us-east-1", "1");
        assert!(r.aws_default);
        assert_eq!(r.attr("queue"), &Value::List(vec![]));
    }

    #[test]
    fn logged_as_put_bucket_notification() {
        use crate::aws::event::of;
        use serde_json::json;
        let e = of("aws_s3_bucket_notification", "s3", "PutBucketNotificationConfiguration");
        assert_eq!(e.name, "PutBucketNotification");
        assert_eq!(e.identifiers(&json!({"bucketName": "data", "notification": [""]}), &json!(null)), ["data"]);
    }
}

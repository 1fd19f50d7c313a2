//! `aws_s3_bucket_metric`: ListBucketMetricsConfigurations per bucket (paginated), one
//! resource per request-metrics configuration. A bucket without any answers an empty list.
//!
//! Identity: the provider's import id `bucket:name`.
//! Filled: `id`, `bucket`, `name`, `filter = [{access_point, prefix, tags}]` (`[]` for a
//! configuration over the whole bucket; `""` / `{}` for the parts S3 does not answer, as the
//! provider reads a filter back).
//!
//! Events name the bucket, not the configuration (`bucketName`, `id`): a change to one of a
//! bucket's metrics configurations is a candidate cause for each of them.

use aws_sdk_s3::operation::list_bucket_metrics_configurations::ListBucketMetricsConfigurationsError;
use aws_sdk_s3::types::{MetricsConfiguration, MetricsFilter};
use aws_smithy_runtime_api::client::orchestrator::HttpResponse;
use aws_smithy_runtime_api::client::result::SdkError;
use futures::FutureExt;

use super::listing::per_bucket;
use crate::aws::event::{Event, W};
use crate::aws::{Ctx, FetchResult, Read, ResourceType};
use crate::model::{Resource, Value};

const TYPES: &[&str] = &["aws_s3_bucket_metric"];

pub static TYPE: ResourceType = ResourceType {
    read: Some(Read { fetch: |ctx| fetch(ctx).boxed(), global: false }),
    identity: super::SETTING,
    parent: Some("aws_s3_bucket"),
    events: &[
        super::DELETE_BUCKET,
        Event::modify("s3", "PutBucketMetricsConfiguration", &["bucketName"]).writing(&[W::Touch("filter")]),
        Event::delete("s3", "DeleteBucketMetricsConfiguration", &["bucketName"]),
    ],
    ..ResourceType::base("aws_s3_bucket_metric", "s3")
};

type ListError = SdkError<ListBucketMetricsConfigurationsError, HttpResponse>;

async fn fetch(ctx: &Ctx) -> FetchResult {
    let s3 = ctx.client::<aws_sdk_s3::Client>();
    let s3 = &s3;
    let got = per_bucket(ctx, TYPES, &[], |b| async move {
        let mut all = Vec::new();
        let mut token: Option<String> = None;
        loop {
            let out =
                s3.list_bucket_metrics_configurations().bucket(&b).set_continuation_token(token.clone()).send().await?;
            all.extend(out.metrics_configuration_list().iter().cloned());
            match out.next_continuation_token().filter(|t| !t.is_empty()) {
                Some(t) if out.is_truncated() == Some(true) && token.as_deref() != Some(t) => {
                    token = Some(t.to_string())
                }
                _ => break,
            }
        }
        Ok::<_, ListError>(all)
    })
    .await?;
    Ok(got
        .into_iter()
        .flat_map(|(name, configs)| {
            configs.unwrap_or_default().iter().map(|c| map(&name, c, &ctx.region, &ctx.account)).collect::<Vec<_>>()
        })
        .collect())
}

/// Pure mapping from one metrics configuration of `bucket`.
pub fn map(bucket: &str, c: &MetricsConfiguration, region: &str, account: &str) -> Resource {
    Resource::live("aws_s3_bucket_metric", format!("{bucket}:{}", c.id()), region, account, None)
        .with("bucket", bucket)
        .with("name", c.id())
        .with("filter", Value::List(c.filter().map(filter).into_iter().collect()))
}

fn filter(f: &MetricsFilter) -> Value {
    let (access_point, prefix, tags): (Option<&str>, Option<&str>, Vec<aws_sdk_s3::types::Tag>) = match f {
        MetricsFilter::And(a) => (a.access_point_arn(), a.prefix(), a.tags().to_vec()),
        MetricsFilter::AccessPointArn(a) => (Some(a), None, Vec::new()),
        MetricsFilter::Prefix(p) => (None, Some(p), Vec::new()),
        MetricsFilter::Tag(t) => (None, None, vec![t.clone()]),
        // A filter kind this SDK does not know: unread, never drift.
        _ => return Value::Unknown,
    };
    Value::object([
        ("access_point", access_point.unwrap_or_default().into()),
        ("prefix", prefix.unwrap_or_default().into()),
        ("tags", crate::aws::tags::s3(&tags)),
    ])
}

#[cfg(test)]
mod tests {
    use super::*;
    use aws_sdk_s3::types::{MetricsAndOperator, Tag};

    #[test]
    fn whole_bucket_and_prefix_filters() {
        let all = MetricsConfiguration::builder().id("EntireBucket").build().unwrap();
        let r = map("data", &all, "us-east-1", "123456789012");
        assert_eq!((r.id.as_str(), r.attr_str("name")), ("data:EntireBucket", Some("EntireBucket")));
        assert_eq!(r.attr("filter"), &Value::List(vec![]));
        let uploads = MetricsConfiguration::builder()
            .id("uploads")
            .filter(MetricsFilter::Prefix("uploads/".into()))
            .build()
            .unwrap();
        assert_eq!(
            map("data", &uploads, "us-east-1", "1").attr("filter"),
            &Value::block([
                ("access_point", "".into()),
                ("prefix", "uploads/".into()),
                ("tags", Value::Map(Default::default()))
            ])
        );
    }

    #[test]
    fn and_filter() {
        let f = MetricsFilter::And(
            MetricsAndOperator::builder()
                .prefix("p/")
                .tags(Tag::builder().key("k").value("v").build().unwrap())
                .build(),
        );
        assert_eq!(
            filter(&f),
            Value::object([
                ("access_point", "".into()),
                ("prefix", "p/".into()),
                ("tags", Value::string_map([("k", "v")]))
            ])
        );
    }

    #[test]
    fn delete_names_the_bucket() {
        use crate::aws::event::of;
        use serde_json::json;
        let e = of("aws_s3_bucket_metric", "s3", "DeleteBucketMetricsConfiguration");
        assert_eq!(
            e.identifiers(&json!({"bucketName": "data", "id": "uploads", "metrics": [""]}), &json!(null)),
            ["data"]
        );
    }
}

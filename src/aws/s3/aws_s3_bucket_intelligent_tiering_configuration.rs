//! `aws_s3_bucket_intelligent_tiering_configuration`: ListBucketIntelligentTieringConfigurations
//! per bucket (paginated), one resource per configuration. A bucket without any answers an
//! empty list.
//!
//! Identity: the provider's import id `bucket:name`.
//! Filled: `id`, `bucket`, `name`, `status`, `filter = [{prefix, tags}]` (`[]` without a
//! filter; `prefix` `""` and `tags` `{}` for the part S3 does not answer, as the provider
//! reads a filter back), `tiering`, a set of `{access_tier, days}`.
//!
//! Events name the bucket, not the configuration (`bucketName`, `id`): a change to one of a
//! bucket's configurations is a candidate cause for each of them.

use aws_sdk_s3::operation::list_bucket_intelligent_tiering_configurations::ListBucketIntelligentTieringConfigurationsError;
use aws_sdk_s3::types::{IntelligentTieringConfiguration, IntelligentTieringFilter};
use aws_smithy_runtime_api::client::orchestrator::HttpResponse;
use aws_smithy_runtime_api::client::result::SdkError;
use futures::FutureExt;

use super::listing::per_bucket;
use crate::aws::event::{Event, W};
use crate::aws::{Ctx, FetchResult, Read, ResourceType};
use crate::model::{Resource, Value};

const TYPES: &[&str] = &["aws_s3_bucket_intelligent_tiering_configuration"];

pub static TYPE: ResourceType = ResourceType {
    read: Some(Read { fetch: |ctx| fetch(ctx).boxed(), global: false }),
    identity: super::SETTING,
    parent: Some("aws_s3_bucket"),
    events: &[
        super::DELETE_BUCKET,
        Event::modify("s3", "PutBucketIntelligentTieringConfiguration", &["bucketName"]).writing(&[
            W::Param("status", "IntelligentTieringConfiguration.Status"),
            W::Touch("tiering"),
            W::Touch("filter"),
        ]),
        Event::delete("s3", "DeleteBucketIntelligentTieringConfiguration", &["bucketName"]),
    ],
    ..ResourceType::base("aws_s3_bucket_intelligent_tiering_configuration", "s3")
};

type ListError = SdkError<ListBucketIntelligentTieringConfigurationsError, HttpResponse>;

async fn fetch(ctx: &Ctx) -> FetchResult {
    let s3 = ctx.client::<aws_sdk_s3::Client>();
    let s3 = &s3;
    let got = per_bucket(ctx, TYPES, &[], |b| async move {
        let mut all = Vec::new();
        let mut token: Option<String> = None;
        loop {
            let out = s3
                .list_bucket_intelligent_tiering_configurations()
                .bucket(&b)
                .set_continuation_token(token.clone())
                .send()
                .await?;
            all.extend(out.intelligent_tiering_configuration_list().iter().cloned());
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

/// Pure mapping from one intelligent tiering configuration of `bucket`.
pub fn map(bucket: &str, c: &IntelligentTieringConfiguration, region: &str, account: &str) -> Resource {
    let tiering = c
        .tierings()
        .iter()
        .map(|t| {
            Value::object([("access_tier", t.access_tier().as_str().into()), ("days", Value::int(t.days().into()))])
        })
        .collect();
    Resource::live(
        "aws_s3_bucket_intelligent_tiering_configuration",
        format!("{bucket}:{}", c.id()),
        region,
        account,
        None,
    )
    .with("bucket", bucket)
    .with("name", c.id())
    .with("status", c.status().as_str())
    .with("filter", Value::List(c.filter().map(filter).into_iter().collect()))
    .with("tiering", Value::List(tiering))
}

/// A filter as the provider reads it back: the `And` operator's parts, or the lone prefix or tag.
fn filter(f: &IntelligentTieringFilter) -> Value {
    let (prefix, tags) = match f.and() {
        Some(a) => (a.prefix(), crate::aws::tags::s3(a.tags())),
        None => (f.prefix(), crate::aws::tags::s3(f.tag().into_iter().cloned().collect::<Vec<_>>().as_slice())),
    };
    Value::object([("prefix", prefix.unwrap_or_default().into()), ("tags", tags)])
}

#[cfg(test)]
mod tests {
    use super::*;
    use aws_sdk_s3::types::{
        IntelligentTieringAccessTier, IntelligentTieringAndOperator, IntelligentTieringStatus, Tag, Tiering,
    };

    #[test]
    fn maps_configuration_with_prefix_and_tiers() {
        let c = IntelligentTieringConfiguration::builder()
            .id("archive")
            .status(IntelligentTieringStatus::Enabled)
            .filter(IntelligentTieringFilter::builder().prefix("archive/").build())
            .tierings(
                Tiering::builder().days(90).access_tier(IntelligentTieringAccessTier::ArchiveAccess).build().unwrap(),
            )
            .build()
            .unwrap();
        let r = map("data", &c, "us-east-1", "123456789012");
        assert_eq!(r.id, "data:archive");
        assert_eq!(
            (r.attr_str("bucket"), r.attr_str("name"), r.attr_str("status")),
            (Some("data"), Some("archive"), Some("Enabled"))
        );
        assert_eq!(
            r.attr("filter"),
            &Value::block([("prefix", "archive/".into()), ("tags", Value::Map(Default::default()))])
        );
        assert_eq!(
            r.attr("tiering"),
            &Value::List(vec![Value::object([("access_tier", "ARCHIVE_ACCESS".into()), ("days", Value::int(90))])])
        );
    }

    #[test]
    fn and_filter_and_no_filter() {
        let and = IntelligentTieringFilter::builder()
            .and(
                IntelligentTieringAndOperator::builder()
                    .prefix("p/")
                    .tags(Tag::builder().key("k").value("v").build().unwrap())
                    .build(),
            )
            .build();
        assert_eq!(filter(&and), Value::object([("prefix", "p/".into()), ("tags", Value::string_map([("k", "v")]))]));
        let c = IntelligentTieringConfiguration::builder()
            .id("all")
            .status(IntelligentTieringStatus::Disabled)
            .tierings(
                Tiering::builder()
                    .days(180)
                    .access_tier(IntelligentTieringAccessTier::DeepArchiveAccess)
                    .build()
                    .unwrap(),
            )
            .build()
            .unwrap();
        assert_eq!(map("b", &c, "us-east-1", "1").attr("filter"), &Value::List(vec![]));
    }

    #[test]
    fn put_names_the_bucket() {
        use crate::aws::event::{Written, of};
        use serde_json::json;
        let e = of("aws_s3_bucket_intelligent_tiering_configuration", "s3", "PutBucketIntelligentTieringConfiguration");
        let req = json!({"bucketName": "data", "id": "archive", "intelligent-tiering": [""],
            "IntelligentTieringConfiguration": {"Id": "archive", "Status": "Disabled"}});
        assert_eq!(e.identifiers(&req, &json!(null)), ["data"]);
        assert_eq!(e.writes(&req, &json!(null))[0], Written::Set { path: "status".into(), value: "Disabled".into() });
    }
}

//! `aws_s3_bucket_inventory`: ListBucketInventoryConfigurations per bucket (paginated), one
//! resource per inventory configuration. A bucket without any answers an empty list.
//!
//! Identity: the provider's import id `bucket:name`.
//! Filled as the provider reads a configuration back: `enabled`, `included_object_versions`,
//! `optional_fields` (a set), `schedule = [{frequency}]`, `filter = [{prefix}]` (`[]`
//! without one), `destination = [{bucket = [{account_id, bucket_arn, format, prefix,
//! encryption}]}]` with `encryption = [{sse_kms = [{key_id}] | [], sse_s3 = [{}] | []}]`
//! (`[]` without encryption); strings S3 leaves out are `""`.
//!
//! Events name the bucket, not the configuration (`bucketName`, `id`): a change to one of a
//! bucket's inventory configurations is a candidate cause for each of them.

use aws_sdk_s3::operation::list_bucket_inventory_configurations::ListBucketInventoryConfigurationsError;
use aws_sdk_s3::types::{InventoryConfiguration, InventoryEncryption, InventoryS3BucketDestination};
use aws_smithy_runtime_api::client::orchestrator::HttpResponse;
use aws_smithy_runtime_api::client::result::SdkError;
use futures::FutureExt;

use super::listing::per_bucket;
use crate::aws::event::{Event, W};
use crate::aws::{Ctx, FetchResult, Read, ResourceType};
use crate::model::{Resource, Value};

const TYPES: &[&str] = &["aws_s3_bucket_inventory"];

pub static TYPE: ResourceType = ResourceType {
    read: Some(Read { fetch: |ctx| fetch(ctx).boxed(), global: false }),
    identity: super::SETTING,
    parent: Some("aws_s3_bucket"),
    events: &[
        super::DELETE_BUCKET,
        Event::modify("s3", "PutBucketInventoryConfiguration", &["bucketName"]).writing(&[
            W::Param("enabled", "InventoryConfiguration.IsEnabled"),
            W::Param("included_object_versions", "InventoryConfiguration.IncludedObjectVersions"),
            W::Touch("destination"),
            W::Touch("schedule"),
            W::Touch("filter"),
            W::Touch("optional_fields"),
        ]),
        Event::delete("s3", "DeleteBucketInventoryConfiguration", &["bucketName"]),
    ],
    ..ResourceType::base("aws_s3_bucket_inventory", "s3")
};

type ListError = SdkError<ListBucketInventoryConfigurationsError, HttpResponse>;

async fn fetch(ctx: &Ctx) -> FetchResult {
    let s3 = ctx.client::<aws_sdk_s3::Client>();
    let s3 = &s3;
    let got = per_bucket(ctx, TYPES, &[], |b| async move {
        let mut all = Vec::new();
        let mut token: Option<String> = None;
        loop {
            let out = s3
                .list_bucket_inventory_configurations()
                .bucket(&b)
                .set_continuation_token(token.clone())
                .send()
                .await?;
            all.extend(out.inventory_configuration_list().iter().cloned());
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

/// Pure mapping from one inventory configuration of `bucket`.
pub fn map(bucket: &str, c: &InventoryConfiguration, region: &str, account: &str) -> Resource {
    let mut fields: Vec<&str> = c.optional_fields().iter().map(|f| f.as_str()).collect();
    fields.sort_unstable();
    let destination = c.destination().map(|d| destination(d.s3_bucket_destination())).into_iter().collect();
    let filter = c.filter().map(|f| Value::object([("prefix", f.prefix().into())])).into_iter().collect();
    let schedule = c.schedule().map(|s| Value::object([("frequency", s.frequency().as_str().into())]));
    Resource::live("aws_s3_bucket_inventory", format!("{bucket}:{}", c.id()), region, account, None)
        .with("bucket", bucket)
        .with("name", c.id())
        .with("enabled", c.is_enabled())
        .with("included_object_versions", c.included_object_versions().as_str())
        .with("optional_fields", Value::string_list(fields))
        .with("schedule", Value::List(schedule.into_iter().collect()))
        .with("filter", Value::List(filter))
        .with("destination", Value::List(destination))
}

fn destination(d: Option<&InventoryS3BucketDestination>) -> Value {
    let Some(d) = d else { return Value::object([("bucket", Value::List(Vec::new()))]) };
    let bucket = Value::object([
        ("account_id", d.account_id().unwrap_or_default().into()),
        ("bucket_arn", d.bucket().into()),
        ("format", d.format().as_str().into()),
        ("prefix", d.prefix().unwrap_or_default().into()),
        ("encryption", Value::List(d.encryption().map(encryption).into_iter().collect())),
    ]);
    Value::object([("bucket", Value::List(vec![bucket]))])
}

fn encryption(e: &InventoryEncryption) -> Value {
    let kms = e.ssekms().map(|k| Value::object([("key_id", k.key_id().into())]));
    let sse_s3 = e.sses3().map(|_| Value::object([]));
    Value::object([
        ("sse_kms", Value::List(kms.into_iter().collect())),
        ("sse_s3", Value::List(sse_s3.into_iter().collect())),
    ])
}

#[cfg(test)]
mod tests {
    use super::*;
    use aws_sdk_s3::types::builders::InventoryConfigurationBuilder;
    use aws_sdk_s3::types::*;
    use serde_json::json;

    fn config(id: &str, encryption: Option<InventoryEncryption>) -> InventoryConfiguration {
        builder(id, encryption).build().unwrap()
    }

    fn builder(id: &str, encryption: Option<InventoryEncryption>) -> InventoryConfigurationBuilder {
        InventoryConfiguration::builder()
            .id(id)
            .is_enabled(true)
            .included_object_versions(InventoryIncludedObjectVersions::Current)
            .schedule(InventorySchedule::builder().frequency(InventoryFrequency::Daily).build().unwrap())
            .destination(
                InventoryDestination::builder()
                    .s3_bucket_destination(
                        InventoryS3BucketDestination::builder()
                            .bucket("arn:aws:s3:::reports")
                            .format(InventoryFormat::Csv)
                            .account_id("123456789012")
                            .set_encryption(encryption)
                            .build()
                            .unwrap(),
                    )
                    .build(),
            )
    }

    #[test]
    fn maps_an_inventory_as_the_provider_stores_it() {
        let kms =
            InventoryEncryption::builder().ssekms(Ssekms::builder().key_id("arn:aws:kms:k").build().unwrap()).build();
        let c = builder("daily", Some(kms))
            .filter(InventoryFilter::builder().prefix("documents/").build().unwrap())
            .optional_fields(InventoryOptionalField::StorageClass)
            .optional_fields(InventoryOptionalField::Size)
            .build()
            .unwrap();
        let r = map("data", &c, "us-east-1", "1");
        assert_eq!(r.id, "data:daily");
        assert_eq!(r.attr("optional_fields"), &Value::string_list(["Size", "StorageClass"]));
        assert_eq!(r.attr("filter").to_json(), json!([{"prefix": "documents/"}]));
        assert_eq!(r.attr("schedule").to_json(), json!([{"frequency": "Daily"}]));
        assert_eq!(
            r.attr("destination").to_json(),
            json!([{"bucket": [{"account_id": "123456789012", "bucket_arn": "arn:aws:s3:::reports", "format": "CSV",
                                "prefix": "", "encryption": [{"sse_kms": [{"key_id": "arn:aws:kms:k"}], "sse_s3": []}]}]}])
        );
        let plain = map("data", &config("weekly", None), "us-east-1", "1");
        assert_eq!(plain.attr("filter"), &Value::List(vec![]));
        assert_eq!(plain.attr("destination").to_json()[0]["bucket"][0]["encryption"], json!([]));
        let s3 = InventoryEncryption::builder().sses3(Sses3::builder().build()).build();
        assert_eq!(
            map("data", &config("w", Some(s3)), "us-east-1", "1").attr("destination").to_json()[0]["bucket"][0]["encryption"],
            json!([{"sse_kms": [], "sse_s3": [{}]}])
        );
    }

    #[test]
    fn put_names_the_bucket() {
        let e = crate::aws::event::of("aws_s3_bucket_inventory", "s3", "PutBucketInventoryConfiguration");
        let req = json!({"bucketName": "data", "id": "daily", "inventory": "",
                         "InventoryConfiguration": {"Id": "daily", "IsEnabled": false, "IncludedObjectVersions": "All"}});
        assert_eq!(e.identifiers(&req, &json!(null)), ["data"]);
        assert!(
            e.writes(&req, &json!(null))
                .contains(&crate::aws::Written::Set { path: "enabled".into(), value: Value::Bool(false) })
        );
    }
}

//! `aws_s3_bucket_analytics_configuration`: ListBucketAnalyticsConfigurations per bucket
//! (paginated), one resource per storage-class analysis configuration. A bucket without any
//! answers an empty list.
//!
//! Identity: the provider's import id `bucket:name`.
//! Filled as the provider reads a configuration back: `filter = [{prefix, tags}]` (`[]`
//! without a filter; `prefix` `""` and `tags` `{}` for the part S3 does not answer),
//! `storage_class_analysis = [{data_export = [{output_schema_version, destination =
//! [{s3_bucket_destination = [{bucket_account_id, bucket_arn, format, prefix}]}]}]}]` (`[]`
//! when nothing is exported).
//!
//! Events name the bucket, not the configuration (`bucketName`, `id`).

use aws_sdk_s3::operation::list_bucket_analytics_configurations::ListBucketAnalyticsConfigurationsError;
use aws_sdk_s3::types::{AnalyticsConfiguration, AnalyticsFilter, StorageClassAnalysis};
use aws_smithy_runtime_api::client::orchestrator::HttpResponse;
use aws_smithy_runtime_api::client::result::SdkError;
use futures::FutureExt;

use super::listing::per_bucket;
use crate::aws::event::{Event, W};
use crate::aws::{Ctx, FetchResult, Read, ResourceType};
use crate::model::{Resource, Value};

const TYPES: &[&str] = &["aws_s3_bucket_analytics_configuration"];

pub static TYPE: ResourceType = ResourceType {
    read: Some(Read { fetch: |ctx| fetch(ctx).boxed(), global: false }),
    identity: super::SETTING,
    parent: Some("aws_s3_bucket"),
    events: &[
        super::DELETE_BUCKET,
        Event::modify("s3", "PutBucketAnalyticsConfiguration", &["bucketName"])
            .writing(&[W::Touch("filter"), W::Touch("storage_class_analysis")]),
        Event::delete("s3", "DeleteBucketAnalyticsConfiguration", &["bucketName"]),
    ],
    ..ResourceType::base("aws_s3_bucket_analytics_configuration", "s3")
};

type ListError = SdkError<ListBucketAnalyticsConfigurationsError, HttpResponse>;

async fn fetch(ctx: &Ctx) -> FetchResult {
    let s3 = ctx.client::<aws_sdk_s3::Client>();
    let s3 = &s3;
    let got = per_bucket(ctx, TYPES, &[], |b| async move {
        let mut all = Vec::new();
        let mut token: Option<String> = None;
        loop {
            let out = s3
                .list_bucket_analytics_configurations()
                .bucket(&b)
                .set_continuation_token(token.clone())
                .send()
                .await?;
            all.extend(out.analytics_configuration_list().iter().cloned());
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

/// Pure mapping from one analytics configuration of `bucket`.
pub fn map(bucket: &str, c: &AnalyticsConfiguration, region: &str, account: &str) -> Resource {
    let filter = match c.filter() {
        None => Value::List(Vec::new()),
        Some(f) => filter(f),
    };
    Resource::live("aws_s3_bucket_analytics_configuration", format!("{bucket}:{}", c.id()), region, account, None)
        .with("bucket", bucket)
        .with("name", c.id())
        .with("filter", filter)
        .with("storage_class_analysis", storage_class_analysis(c.storage_class_analysis()))
}

fn filter(f: &AnalyticsFilter) -> Value {
    let (prefix, tags): (Option<&str>, Vec<aws_sdk_s3::types::Tag>) = match f {
        AnalyticsFilter::And(a) => (a.prefix(), a.tags().to_vec()),
        AnalyticsFilter::Prefix(p) => (Some(p), Vec::new()),
        AnalyticsFilter::Tag(t) => (None, vec![t.clone()]),
        // A filter kind this SDK does not know: unread, never drift.
        _ => return Value::Unknown,
    };
    Value::List(vec![Value::object([
        ("prefix", prefix.unwrap_or_default().into()),
        ("tags", crate::aws::tags::s3(&tags)),
    ])])
}

fn storage_class_analysis(s: Option<&StorageClassAnalysis>) -> Value {
    let Some(export) = s.and_then(|s| s.data_export()) else { return Value::List(Vec::new()) };
    let destination = export
        .destination()
        .and_then(|d| d.s3_bucket_destination())
        .map(|d| {
            Value::object([(
                "s3_bucket_destination",
                Value::List(vec![Value::object([
                    ("bucket_account_id", d.bucket_account_id().unwrap_or_default().into()),
                    ("bucket_arn", d.bucket().into()),
                    ("format", d.format().as_str().into()),
                    ("prefix", d.prefix().unwrap_or_default().into()),
                ])]),
            )])
        })
        .into_iter()
        .collect();
    Value::List(vec![Value::object([(
        "data_export",
        Value::List(vec![Value::object([
            ("output_schema_version", export.output_schema_version().as_str().into()),
            ("destination", Value::List(destination)),
        ])]),
    )])])
}

#[cfg(test)]
mod tests {
    use super::*;
    use aws_sdk_s3::types::*;
    use serde_json::json;

    #[test]
    fn filters_and_exports_as_the_provider_stores_them() {
        let prefix = AnalyticsConfiguration::builder()
            .id("prefix_documents")
            .filter(AnalyticsFilter::Prefix("documents/".into()))
            .storage_class_analysis(StorageClassAnalysis::builder().build())
            .build()
            .unwrap();
        let r = map("data", &prefix, "us-east-1", "1");
        assert_eq!(r.id, "data:prefix_documents");
        assert_eq!(r.attr("filter").to_json(), json!([{"prefix": "documents/", "tags": {}}]));
        assert_eq!(r.attr("storage_class_analysis"), &Value::List(vec![]));
        let export = AnalyticsConfiguration::builder()
            .id("tags")
            .filter(AnalyticsFilter::Tag(Tag::builder().key("production").value("true").build().unwrap()))
            .storage_class_analysis(
                StorageClassAnalysis::builder()
                    .data_export(
                        StorageClassAnalysisDataExport::builder()
                            .output_schema_version(StorageClassAnalysisSchemaVersion::V1)
                            .destination(
                                AnalyticsExportDestination::builder()
                                    .s3_bucket_destination(
                                        AnalyticsS3BucketDestination::builder()
                                            .bucket("arn:aws:s3:::reports")
                                            .format(AnalyticsS3ExportFileFormat::Csv)
                                            .bucket_account_id("123456789012")
                                            .prefix("analytics")
                                            .build()
                                            .unwrap(),
                                    )
                                    .build(),
                            )
                            .build()
                            .unwrap(),
                    )
                    .build(),
            )
            .build()
            .unwrap();
        let r = map("data", &export, "us-east-1", "1");
        assert_eq!(r.attr("filter").to_json(), json!([{"prefix": "", "tags": {"production": "true"}}]));
        assert_eq!(
            r.attr("storage_class_analysis").to_json(),
            json!([{"data_export": [{"output_schema_version": "V_1", "destination": [{"s3_bucket_destination": [
                {"bucket_account_id": "123456789012", "bucket_arn": "arn:aws:s3:::reports", "format": "CSV", "prefix": "analytics"}]}]}]}])
        );
        let none = AnalyticsConfiguration::builder()
            .id("all")
            .storage_class_analysis(StorageClassAnalysis::builder().build())
            .build()
            .unwrap();
        assert_eq!(map("data", &none, "us-east-1", "1").attr("filter"), &Value::List(vec![]));
    }

    #[test]
    fn delete_names_the_bucket() {
        let e =
            crate::aws::event::of("aws_s3_bucket_analytics_configuration", "s3", "DeleteBucketAnalyticsConfiguration");
        assert_eq!(e.identifiers(&json!({"bucketName": "data", "id": "all", "analytics": ""}), &json!(null)), ["data"]);
    }
}

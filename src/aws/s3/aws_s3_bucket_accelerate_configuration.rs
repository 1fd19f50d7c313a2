//! `aws_s3_bucket_accelerate_configuration`: GetBucketAccelerateConfiguration per bucket. S3
//! answers an empty configuration (no `Status`) for a bucket whose transfer acceleration
//! was never set: no resource, as the provider reads it.
//!
//! Filled: `id` (the bucket), `bucket`, `status` (`Enabled` / `Suspended`).
//! Absent: `expected_bucket_owner` (a request header; its id form is joined by `state_form`).

use aws_sdk_s3::types::BucketAccelerateStatus;
use futures::FutureExt;

use super::listing::per_bucket;
use crate::aws::event::{Event, W};
use crate::aws::state_form::BY_BUCKET;
use crate::aws::{Ctx, FetchResult, Read, ResourceType};
use crate::model::Resource;

const TYPES: &[&str] = &["aws_s3_bucket_accelerate_configuration"];

pub static TYPE: ResourceType = ResourceType {
    read: Some(Read { fetch: |ctx| fetch(ctx).boxed(), global: false }),
    identity: super::SETTING,
    parent: Some("aws_s3_bucket"),
    events: &[
        super::DELETE_BUCKET,
        Event::modify("s3", "PutBucketAccelerateConfiguration", &["bucketName"])
            .writing(&[W::Param("status", "AccelerateConfiguration.Status")]),
    ],
    state_form: Some(BY_BUCKET),
    ..ResourceType::base("aws_s3_bucket_accelerate_configuration", "s3")
};

async fn fetch(ctx: &Ctx) -> FetchResult {
    let s3 = ctx.client::<aws_sdk_s3::Client>();
    let got = per_bucket(ctx, TYPES, &[], |b| s3.get_bucket_accelerate_configuration().bucket(b).send()).await?;
    Ok(got.into_iter().filter_map(|(name, o)| Some(map(&name, o?.status()?, &ctx.region, &ctx.account))).collect())
}

/// Pure mapping from the bucket's acceleration status.
pub fn map(bucket: &str, status: &BucketAccelerateStatus, region: &str, account: &str) -> Resource {
    Resource::live("aws_s3_bucket_accelerate_configuration", bucket, region, account, None)
        .with("id", bucket)
        .with("bucket", bucket)
        .with("status", status.as_str())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn maps_status() {
        let r = map("site", &BucketAccelerateStatus::Suspended, "us-east-1", "123456789012");
        assert_eq!(
            (r.id.as_str(), r.attr_str("bucket"), r.attr_str("status")),
            ("site", Some("site"), Some("Suspended"))
        );
    }

    #[test]
    fn put_sets_the_status() {
        use crate::aws::event::{Written, of};
        use serde_json::json;
        let e = of("aws_s3_bucket_accelerate_configuration", "s3", "PutBucketAccelerateConfiguration");
        let req = json!({"bucketName": "site", "accelerate": [""], "AccelerateConfiguration": {"Status": "Suspended"}});
        assert_eq!(e.identifiers(&req, &json!(null)), ["site"]);
        assert_eq!(e.writes(&req, &json!(null)), [Written::Set { path: "status".into(), value: "Suspended".into() }]);
    }
}

//! `aws_s3_bucket_request_payment_configuration`: GetBucketRequestPayment per bucket. Every
//! bucket answers a payer; `BucketOwner` is what S3 gives every bucket, so that answer is an
//! AWS default (`aws_default = true`), as with versioning never configured.
//!
//! Filled: `id` (the bucket), `bucket`, `payer` (`BucketOwner` / `Requester`).
//! Absent: `expected_bucket_owner` (a request header; its id form is joined by `state_form`).

use aws_sdk_s3::types::Payer;
use futures::FutureExt;

use super::listing::per_bucket;
use crate::aws::event::{Event, W};
use crate::aws::state_form::BY_BUCKET;
use crate::aws::{Ctx, FetchResult, Read, ResourceType};
use crate::model::Resource;

const TYPES: &[&str] = &["aws_s3_bucket_request_payment_configuration"];

pub static TYPE: ResourceType = ResourceType {
    read: Some(Read { fetch: |ctx| fetch(ctx).boxed(), global: false }),
    identity: super::SETTING,
    parent: Some("aws_s3_bucket"),
    events: &[
        super::DELETE_BUCKET,
        Event::modify("s3", "PutBucketRequestPayment", &["bucketName"])
            .writing(&[W::Param("payer", "RequestPaymentConfiguration.Payer")]),
    ],
    state_form: Some(BY_BUCKET),
    ..ResourceType::base("aws_s3_bucket_request_payment_configuration", "s3")
};

async fn fetch(ctx: &Ctx) -> FetchResult {
    let s3 = ctx.client::<aws_sdk_s3::Client>();
    let got = per_bucket(ctx, TYPES, &[], |b| s3.get_bucket_request_payment().bucket(b).send()).await?;
    Ok(got
        .into_iter()
        .filter_map(|(name, o)| {
            let payer = o?.payer().cloned().unwrap_or(Payer::BucketOwner);
            Some(map(&name, &payer, &ctx.region, &ctx.account))
        })
        .collect())
}

/// Pure mapping from the bucket's payer.
pub fn map(bucket: &str, payer: &Payer, region: &str, account: &str) -> Resource {
    let mut r = Resource::live("aws_s3_bucket_request_payment_configuration", bucket, region, account, None)
        .with("id", bucket)
        .with("bucket", bucket)
        .with("payer", payer.as_str());
    r.aws_default = *payer == Payer::BucketOwner;
    r
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn requester_pays_is_a_setting_bucket_owner_the_default() {
        let r = map("data", &Payer::Requester, "us-east-1", "123456789012");
        assert_eq!((r.id.as_str(), r.attr_str("payer")), ("data", Some("Requester")));
        assert!(!r.aws_default);
        assert!(map("data", &Payer::BucketOwner, "us-east-1", "123456789012").aws_default);
    }

    #[test]
    fn put_sets_the_payer() {
        use crate::aws::event::{Written, of};
        use serde_json::json;
        let e = of("aws_s3_bucket_request_payment_configuration", "s3", "PutBucketRequestPayment");
        let req = json!({"bucketName": "data", "requestPayment": [""], "RequestPaymentConfiguration": {"Payer": "BucketOwner"}});
        assert_eq!(e.identifiers(&req, &json!(null)), ["data"]);
        assert_eq!(e.writes(&req, &json!(null)), [Written::Set { path: "payer".into(), value: "BucketOwner".into() }]);
    }
}

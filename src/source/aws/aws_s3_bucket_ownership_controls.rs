//! `aws_s3_bucket_ownership_controls`: GetBucketOwnershipControls per bucket;
//! `OwnershipControlsNotFoundError` means none.
//!
//! Filled: `id`, `bucket`, `rule = [{object_ownership}]`.
//!
//! Real S3 gives every bucket created since April 2023 `BucketOwnerEnforced` (ACLs off):
//! that setting is an AWS default (`aws_default = true`), so a bucket whose ownership
//! controls Terraform does not manage is not reported as an unmanaged resource. moto creates
//! buckets without ownership controls.

use aws_sdk_s3::types::{ObjectOwnership, OwnershipControls};
use futures::FutureExt;

use super::s3_buckets::per_bucket;
use super::{Ctx, FetchResult, Fetcher};
use crate::model::{Resource, Value};

const TYPES: &[&str] = &["aws_s3_bucket_ownership_controls"];

pub const FETCHER: Fetcher = Fetcher { types: TYPES, service: "s3", fetch: |ctx| fetch(ctx).boxed() };

async fn fetch(ctx: &Ctx) -> FetchResult {
    let got = per_bucket(ctx, TYPES, &["OwnershipControlsNotFoundError"], |b| {
        ctx.s3.get_bucket_ownership_controls().bucket(b).send()
    })
    .await?;
    Ok(got
        .into_iter()
        .filter_map(|(name, o)| {
            let c = o?.ownership_controls?;
            Some(map(&name, &c, &ctx.region, &ctx.account))
        })
        .collect())
}

/// Pure mapping from the bucket's ownership controls.
pub fn map(bucket: &str, c: &OwnershipControls, region: &str, account: &str) -> Resource {
    let rules =
        c.rules().iter().map(|r| Value::object([("object_ownership", r.object_ownership().as_str().into())])).collect();
    let mut r = Resource::live("aws_s3_bucket_ownership_controls", bucket, region, account, None)
        .with("id", bucket)
        .with("bucket", bucket)
        .with("rule", Value::List(rules));
    r.aws_default = matches!(c.rules(), [only] if *only.object_ownership() == ObjectOwnership::BucketOwnerEnforced);
    r
}

#[cfg(test)]
mod tests {
    use super::*;
    use aws_sdk_s3::types::OwnershipControlsRule;

    fn controls(o: ObjectOwnership) -> OwnershipControls {
        OwnershipControls::builder()
            .rules(OwnershipControlsRule::builder().object_ownership(o).build().unwrap())
            .build()
            .unwrap()
    }

    #[test]
    fn maps_rule() {
        let r = map("b", &controls(ObjectOwnership::BucketOwnerPreferred), "us-east-1", "123456789012");
        assert_eq!(r.id, "b");
        assert_eq!(r.attr_str("bucket"), Some("b"));
        assert_eq!(r.attr("rule"), &Value::block([("object_ownership", "BucketOwnerPreferred".into())]));
        assert!(!r.aws_default);
    }

    #[test]
    fn bucket_owner_enforced_is_the_aws_default() {
        assert!(map("b", &controls(ObjectOwnership::BucketOwnerEnforced), "us-east-1", "1").aws_default);
    }
}

//! `aws_s3_bucket_public_access_block`: GetPublicAccessBlock per bucket;
//! `NoSuchPublicAccessBlockConfiguration` means the bucket has none.
//!
//! Filled: `id`, `bucket` and the four flags (a flag S3 does not answer is `false`, as the
//! provider stores it).
//!
//! Real S3 gives every bucket created since April 2023 a block with all four flags on: an
//! all-true block is an AWS default (`aws_default = true`), so a bucket whose block
//! Terraform does not manage is not reported as an unmanaged public access block. moto
//! creates buckets without one.

use aws_sdk_s3::types::PublicAccessBlockConfiguration;
use futures::FutureExt;

use super::s3_buckets::per_bucket;
use super::{Ctx, FetchResult, Fetcher};
use crate::model::{Resource, Value};

const TYPES: &[&str] = &["aws_s3_bucket_public_access_block"];

pub const FETCHER: Fetcher = Fetcher { types: TYPES, service: "s3", fetch: |ctx| fetch(ctx).boxed() };

async fn fetch(ctx: &Ctx) -> FetchResult {
    let got = per_bucket(ctx, TYPES, &["NoSuchPublicAccessBlockConfiguration"], |b| {
        ctx.s3.get_public_access_block().bucket(b).send()
    })
    .await?;
    Ok(got
        .into_iter()
        .filter_map(|(name, o)| {
            let c = o?.public_access_block_configuration?;
            Some(map(&name, &c, &ctx.region, &ctx.account))
        })
        .collect())
}

/// Pure mapping from the bucket's public access block.
pub fn map(bucket: &str, c: &PublicAccessBlockConfiguration, region: &str, account: &str) -> Resource {
    let flags = [
        ("block_public_acls", c.block_public_acls()),
        ("block_public_policy", c.block_public_policy()),
        ("ignore_public_acls", c.ignore_public_acls()),
        ("restrict_public_buckets", c.restrict_public_buckets()),
    ];
    let mut r = Resource::live("aws_s3_bucket_public_access_block", bucket, region, account, None)
        .with("id", bucket)
        .with("bucket", bucket);
    for (k, v) in flags {
        r.set(k, Value::Bool(v.unwrap_or(false)));
    }
    r.aws_default = flags.iter().all(|(_, v)| *v == Some(true));
    r
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn maps_flags() {
        let c = PublicAccessBlockConfiguration::builder()
            .block_public_acls(true)
            .block_public_policy(true)
            .ignore_public_acls(false)
            .build();
        let r = map("b", &c, "us-east-1", "123456789012");
        assert_eq!(r.id, "b");
        assert_eq!(r.attr_str("bucket"), Some("b"));
        assert_eq!(r.attr("block_public_acls"), &Value::Bool(true));
        assert_eq!(r.attr("block_public_policy"), &Value::Bool(true));
        assert_eq!(r.attr("ignore_public_acls"), &Value::Bool(false));
        // Not answered: false, as the provider stores it.
        assert_eq!(r.attr("restrict_public_buckets"), &Value::Bool(false));
        assert!(!r.aws_default);
    }

    #[test]
    fn all_on_is_the_aws_default() {
        let c = PublicAccessBlockConfiguration::builder()
            .block_public_acls(true)
            .block_public_policy(true)
            .ignore_public_acls(true)
            .restrict_public_buckets(true)
            .build();
        assert!(map("b", &c, "us-east-1", "123456789012").aws_default);
    }
}

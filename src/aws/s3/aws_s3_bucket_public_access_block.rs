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

use super::listing::per_bucket;
use crate::aws::event::{Event, W};
use crate::aws::view::*;
use crate::aws::{Ctx, FetchResult, Read, ResourceType, ViewPart};
use crate::model::{Resource, Value, View};
use serde_json::Value as J;

const TYPES: &[&str] = &["aws_s3_bucket_public_access_block"];

pub static TYPE: ResourceType = ResourceType {
    read: Some(Read { fetch: |ctx| fetch(ctx).boxed(), global: false }),
    identity: super::SETTING,
    parent: Some("aws_s3_bucket"),
    events: &[
        super::DELETE_BUCKET,
        // S3 logs `PutPublicAccessBlock` as `PutBucketPublicAccessBlock`.
        Event::modify("s3", "PutBucketPublicAccessBlock", &["bucketName"]).also(&["PutPublicAccessBlock"]).writing(&[
            W::Param("block_public_acls", "PublicAccessBlockConfiguration.BlockPublicAcls"),
            W::Param("block_public_policy", "PublicAccessBlockConfiguration.BlockPublicPolicy"),
            W::Param("ignore_public_acls", "PublicAccessBlockConfiguration.IgnorePublicAcls"),
            W::Param("restrict_public_buckets", "PublicAccessBlockConfiguration.RestrictPublicBuckets"),
        ]),
        Event::delete("s3", "DeleteBucketPublicAccessBlock", &["bucketName"]).also(&["DeletePublicAccessBlock"]),
    ],
    part_of_views: &["s3_bucket"],
    view_part: Some(ViewPart { field: "public_access_block", build: s3_public_access_block }),
    ..ResourceType::base("aws_s3_bucket_public_access_block", "s3")
};

async fn fetch(ctx: &Ctx) -> FetchResult {
    let s3 = ctx.client::<aws_sdk_s3::Client>();
    let got = per_bucket(ctx, TYPES, &["NoSuchPublicAccessBlockConfiguration"], |b| {
        s3.get_public_access_block().bucket(b).send()
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

fn s3_public_access_block(b: &Resource, split: Option<&Resource>, view: View) -> J {
    let mut o = Obj::default();
    setting_origin(&mut o, b, split);
    o.put("configured", split.is_some());
    let mut all = Some(true);
    for k in ["block_public_acls", "block_public_policy", "ignore_public_acls", "restrict_public_buckets"] {
        let f = split.map(|s| attr(s, k, view)).unwrap_or(F::Default);
        all = match (all, o.bool(k, f, false)) {
            (Some(false), _) | (_, Some(false)) => Some(false),
            (Some(true), Some(true)) => Some(true),
            _ => None,
        };
    }
    o.opt("all", all);
    o.finish()
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

    #[test]
    fn logged_under_the_bucket_name() {
        use crate::aws::event::{Written, of};
        use serde_json::{Value as Json, json};
        let _ = (Written::Touch { path: String::new() }, Json::Null, json!(null));
        let e = of("aws_s3_bucket_public_access_block", "s3", "PutPublicAccessBlock");
        assert_eq!(e.name, "PutBucketPublicAccessBlock");
        assert!(crate::aws::event::known_name("PutPublicAccessBlock"));
    }
}

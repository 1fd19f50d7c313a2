//! `aws_s3_bucket_policy`: GetBucketPolicy per bucket; `NoSuchBucketPolicy` means none.
//!
//! Filled: `id`, `bucket`, `policy` (the JSON document exactly as S3 returns it; the diff
//! engine compares policies as JSON, so key order and whitespace never count).

use aws_sdk_s3::operation::get_bucket_policy::GetBucketPolicyOutput;
use futures::FutureExt;

use super::s3_buckets::per_bucket;
use super::{Ctx, FetchResult, Fetcher};
use crate::model::{Resource, Value};

const TYPES: &[&str] = &["aws_s3_bucket_policy"];

pub const FETCHER: Fetcher = Fetcher { types: TYPES, service: "s3", fetch: |ctx| fetch(ctx).boxed() };

async fn fetch(ctx: &Ctx) -> FetchResult {
    let got = per_bucket(ctx, TYPES, &["NoSuchBucketPolicy"], |b| ctx.s3.get_bucket_policy().bucket(b).send()).await?;
    Ok(got.into_iter().filter_map(|(name, o)| Some(map(&name, &o?, &ctx.region, &ctx.account))).collect())
}

/// Pure mapping from GetBucketPolicy's answer.
pub fn map(bucket: &str, o: &GetBucketPolicyOutput, region: &str, account: &str) -> Resource {
    Resource::live("aws_s3_bucket_policy", bucket, region, account, None)
        .with("id", bucket)
        .with("bucket", bucket)
        .with("policy", Value::opt_str(o.policy()))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn keeps_the_document_as_returned() {
        let doc = r#"{"Version":"2012-10-17","Statement":[{"Effect":"Deny","Principal":"*","Action":"s3:*","Resource":"arn:aws:s3:::b/*"}]}"#;
        let o = GetBucketPolicyOutput::builder().policy(doc).build();
        let r = map("b", &o, "us-east-1", "123456789012");
        assert_eq!(r.id, "b");
        assert_eq!(r.attr_str("bucket"), Some("b"));
        assert_eq!(r.attr_str("policy"), Some(doc));
    }
}

//! The bucket list every S3 fetcher starts from, read once per region, and the per-bucket
//! fan-out they all share.
//!
//! S3 has no bulk "describe all buckets" call: settings are read per bucket. The list
//! itself is shared so that eight split-resource fetchers cost one ListBuckets.
//!
//! Region of a bucket: real S3's ListBuckets carries `BucketRegion` on every bucket; moto
//! 5.2.1 does not, so against it each bucket costs one GetBucketLocation as well.

use std::future::Future;

use aws_sdk_s3::error::ProvideErrorMetadata;
use aws_smithy_runtime_api::client::orchestrator::HttpResponse;
use aws_smithy_runtime_api::client::result::SdkError;
use futures::StreamExt;

use crate::aws::Ctx;
use crate::aws::errors::{read_error, service_code};
use crate::model::ReadError;

/// A bucket in the context's region.
#[derive(Debug, Clone, PartialEq)]
pub struct BucketListing {
    pub name: String,
    pub region: String,
}

/// Buckets of the context's region (ListBuckets, then GetBucketLocation for buckets
/// whose listing does not say where they live), read once per context. A failed listing
/// makes every S3 type read from it incomplete.
pub async fn buckets(ctx: &Ctx) -> Result<Vec<BucketListing>, ReadError> {
    ctx.once("s3:ListBuckets", || list(ctx)).await
}

/// The S3 types read live (all start from the bucket listing).
fn s3_types() -> Vec<&'static str> {
    super::SERVICE.types.iter().filter(|t| t.read.is_some()).map(|t| t.name).collect()
}

async fn list(ctx: &Ctx) -> Result<Vec<BucketListing>, ReadError> {
    let s3 = ctx.client::<aws_sdk_s3::Client>();
    let mut names: Vec<(String, Option<String>)> = Vec::new();
    let mut pages = s3.list_buckets().into_paginator().send();
    while let Some(page) = pages.next().await {
        let page = page.map_err(|e| read_error("s3", &ctx.region, &s3_types(), e))?;
        for b in page.buckets() {
            if let Some(n) = b.name() {
                names.push((n.to_string(), b.bucket_region().map(str::to_string)));
            }
        }
    }
    let s3 = &s3;
    let located = futures::stream::iter(names)
        .map(|(name, region)| async move {
            let region = match region {
                Some(r) => r,
                None => {
                    let _p = ctx.permit("s3").await;
                    let out = s3
                        .get_bucket_location()
                        .bucket(&name)
                        .send()
                        .await
                        .map_err(|e| read_error("s3", &ctx.region, &s3_types(), e))?;
                    // An empty constraint means us-east-1 (and "EU" is eu-west-1).
                    match out.location_constraint().map(|c| c.as_str().to_string()) {
                        None => "us-east-1".to_string(),
                        Some(c) if c.is_empty() => "us-east-1".to_string(),
                        Some(c) if c == "EU" => "eu-west-1".to_string(),
                        Some(c) => c,
                    }
                }
            };
            Ok::<_, ReadError>(BucketListing { name, region })
        })
        .buffer_unordered(ctx.limit("s3"))
        .collect::<Vec<_>>()
        .await;
    let mut out = Vec::new();
    for b in located {
        let b = b?;
        if b.region == ctx.region {
            out.push(b);
        }
    }
    out.sort_by(|a, b| a.name.cmp(&b.name));
    Ok(out)
}

/// One bucket's answer to a per-bucket Get: `None` when S3 said the setting is not
/// configured (or the bucket vanished since the listing), which is a successful read.
pub type PerBucket<T> = Vec<(String, Option<T>)>;

/// Error codes meaning "this bucket has no such setting" for every S3 Get: the bucket was
/// deleted between ListBuckets and the Get. The split resources cannot exist without it.
const GONE: &[&str] = &["NoSuchBucket"];

/// Call `get` once per bucket of the context's region, at most `ctx.limit("s3")` at a
/// time, each under `ctx.permit("s3")`. Errors whose code is in `not_configured` (or
/// `NoSuchBucket`) yield `None` for that bucket; any other failure (denied, throttled after
/// retries, unparseable) makes the whole read fail for `types`. Results are sorted by
/// bucket name.
pub async fn per_bucket<T, E, F, Fut>(
    ctx: &Ctx,
    types: &[&str],
    not_configured: &[&str],
    get: F,
) -> Result<PerBucket<T>, ReadError>
where
    F: Fn(String) -> Fut,
    Fut: Future<Output = Result<T, SdkError<E, HttpResponse>>>,
    E: ProvideErrorMetadata + std::error::Error + 'static,
{
    let list = buckets(ctx)
        .await
        .map_err(|e| ReadError { affected_types: types.iter().map(|t| t.to_string()).collect(), ..e })?;
    // Owned names: a stream over a borrowing iterator adaptor trips rustc's higher-ranked
    // `Send` inference once the future is boxed.
    let names: Vec<String> = list.iter().map(|b| b.name.clone()).collect();
    let get = &get;
    let answers = futures::stream::iter(names)
        .map(|name| async move {
            let r = {
                let _p = ctx.permit("s3").await;
                get(name.clone()).await
            };
            match r {
                Ok(v) => Ok((name, Some(v))),
                Err(e) if is_not_configured(service_code(&e), not_configured) => Ok((name, None)),
                Err(e) => Err(read_error("s3", &ctx.region, types, e)),
            }
        })
        .buffer_unordered(ctx.limit("s3"))
        .collect::<Vec<_>>()
        .await;
    let mut out = answers.into_iter().collect::<Result<Vec<_>, _>>()?;
    out.sort_by(|a, b| a.0.cmp(&b.0));
    Ok(out)
}

/// True when an S3 error code means "not configured" for this Get (see [`per_bucket`]).
pub fn is_not_configured(code: Option<&str>, not_configured: &[&str]) -> bool {
    code.is_some_and(|c| not_configured.contains(&c) || GONE.contains(&c))
}

/// `arn:aws:s3:::NAME`: S3 bucket ARNs carry neither region nor account, only the
/// partition (`aws-cn`, `aws-us-gov` for those regions).
pub fn bucket_arn(name: &str, region: &str) -> String {
    let partition = if region.starts_with("cn-") {
        "aws-cn"
    } else if region.starts_with("us-gov-") {
        "aws-us-gov"
    } else {
        "aws"
    };
    format!("arn:{partition}:s3:::{name}")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn not_configured_codes() {
        let nc = &["NoSuchBucketPolicy"];
        assert!(is_not_configured(Some("NoSuchBucketPolicy"), nc));
        assert!(is_not_configured(Some("NoSuchBucket"), nc));
        assert!(!is_not_configured(Some("AccessDenied"), nc));
        assert!(!is_not_configured(Some("NoSuchPublicAccessBlockConfiguration"), nc));
        // No code at all (timeout, unparseable answer) is a failure, never "not configured".
        assert!(!is_not_configured(None, nc));
    }

    #[test]
    fn arn_partitions() {
        assert_eq!(bucket_arn("b", "us-east-1"), "arn:aws:s3:::b");
        assert_eq!(bucket_arn("b", "cn-northwest-1"), "arn:aws-cn:s3:::b");
        assert_eq!(bucket_arn("b", "us-gov-west-1"), "arn:aws-us-gov:s3:::b");
    }
}

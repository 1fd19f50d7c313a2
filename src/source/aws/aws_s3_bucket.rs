//! `aws_s3_bucket`: the buckets of the region (shared listing), then GetBucketTagging and
//! GetObjectLockConfiguration per bucket.
//!
//! Filled: `id`, `bucket`, `arn`, `tags`, `object_lock_enabled`.
//! Deliberately absent (Unknown):
//! - the inline copies of settings that split resources own (`versioning`,
//!   `server_side_encryption_configuration`, `logging`, `lifecycle_rule`, `policy`, `acl`,
//!   `grant`, `cors_rule`, `website`, `replication_configuration`, `object_lock_configuration`,
//!   `acceleration_status`, `request_payer`): the split-resource fetchers read them, and the
//!   diff engine drops the bucket's stale copies (`normalize::s3_inline_copies`);
//! - `force_destroy`, `bucket_prefix`, `timeouts`: Terraform-only, nothing in AWS;
//! - computed-only names (`bucket_domain_name`, `hosted_zone_id`, `region`, ...).

use aws_sdk_s3::types::{ObjectLockConfiguration, ObjectLockEnabled, Tag};
use futures::FutureExt;

use super::errors::service_code;
use super::s3_buckets::{bucket_arn, per_bucket};
use super::{Ctx, FetchResult, Fetcher};
use crate::model::{Resource, Value};

const TYPES: &[&str] = &["aws_s3_bucket"];

pub const FETCHER: Fetcher = Fetcher { types: TYPES, service: "s3", fetch: |ctx| fetch(ctx).boxed() };

async fn fetch(ctx: &Ctx) -> FetchResult {
    // Both answers are folded inside the closures so that `None` from `per_bucket` only
    // ever means "the bucket is gone" (NoSuchBucket since the listing).
    let tags = per_bucket(ctx, TYPES, &[], |b| async move {
        match ctx.s3.get_bucket_tagging().bucket(b).send().await {
            Ok(o) => Ok(o.tag_set().to_vec()),
            // A bucket without tags answers NoSuchTagSet.
            Err(e) if service_code(&e) == Some("NoSuchTagSet") => Ok(Vec::new()),
            Err(e) => Err(e),
        }
    });
    let locks = per_bucket(ctx, TYPES, &[], |b| async move {
        match ctx.s3.get_object_lock_configuration().bucket(b).send().await {
            Ok(o) => Ok(o.object_lock_configuration().cloned()),
            Err(e) if service_code(&e) == Some("ObjectLockConfigurationNotFoundError") => Ok(None),
            Err(e) => Err(e),
        }
    });
    let (tags, locks) = futures::try_join!(tags, locks)?;
    let mut out = Vec::new();
    // Both lists are sorted by bucket name over the same listing.
    for ((name, tags), (lock_name, lock)) in tags.into_iter().zip(locks) {
        debug_assert_eq!(name, lock_name);
        if let (Some(tags), Some(lock)) = (tags, lock) {
            out.push(map(&name, &tags, lock.as_ref(), &ctx.region, &ctx.account));
        }
    }
    Ok(out)
}

/// Pure mapping. `tags` is the TagSet (empty for NoSuchTagSet); `lock` is the object lock
/// configuration (None for ObjectLockConfigurationNotFoundError).
pub fn map(name: &str, tags: &[Tag], lock: Option<&ObjectLockConfiguration>, region: &str, account: &str) -> Resource {
    let arn = bucket_arn(name, region);
    let lock_enabled = lock.and_then(|l| l.object_lock_enabled()) == Some(&ObjectLockEnabled::Enabled);
    Resource::live("aws_s3_bucket", name, region, account, Some(arn.clone()))
        .with("id", name)
        .with("bucket", name)
        .with("arn", arn)
        .with("tags", super::tags::s3(tags))
        .with("object_lock_enabled", Value::Bool(lock_enabled))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn maps_tags_and_object_lock() {
        let tags = vec![
            Tag::builder().key("Owner").value("team-a").build().unwrap(),
            Tag::builder().key("aws:cloudformation:stack-name").value("x").build().unwrap(),
        ];
        let lock = ObjectLockConfiguration::builder().object_lock_enabled(ObjectLockEnabled::Enabled).build();
        let r = map("plumb-data", &tags, Some(&lock), "us-east-1", "123456789012");
        assert_eq!(r.id, "plumb-data");
        assert_eq!(r.attr_str("bucket"), Some("plumb-data"));
        assert_eq!(r.attr_str("arn"), Some("arn:aws:s3:::plumb-data"));
        assert_eq!(r.attr("tags"), &Value::string_map([("Owner", "team-a")]));
        assert_eq!(r.attr("object_lock_enabled"), &Value::Bool(true));
        // Inline copies and Terraform-only arguments stay unread.
        for k in ["versioning", "server_side_encryption_configuration", "policy", "acl", "grant", "force_destroy"] {
            assert!(!r.attributes.contains_key(k), "{k} must stay Unknown");
        }
    }

    #[test]
    fn no_tags_and_no_lock_are_read_values() {
        let r = map("b", &[], None, "eu-west-1", "123456789012");
        assert_eq!(r.attr("tags"), &Value::Map(Default::default()));
        assert_eq!(r.attr("object_lock_enabled"), &Value::Bool(false));
        assert_eq!(r.region.as_deref(), Some("eu-west-1"));
    }

    #[test]
    fn partition_follows_region() {
        assert_eq!(map("b", &[], None, "cn-north-1", "1").attr_str("arn"), Some("arn:aws-cn:s3:::b"));
    }
}

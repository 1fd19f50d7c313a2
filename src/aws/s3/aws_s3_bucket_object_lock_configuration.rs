//! `aws_s3_bucket_object_lock_configuration`: GetObjectLockConfiguration per bucket, one
//! read shared with `aws_s3_bucket` (its `object_lock_enabled`);
//! `ObjectLockConfigurationNotFoundError` means the bucket has no object lock.
//!
//! Filled: `id` (the bucket), `bucket`, `object_lock_enabled` (`"Enabled"`), `rule =
//! [{default_retention: [{mode, days, years}]}]` (`0` for the period S3 does not answer, as
//! the provider stores it; `[]` without a default retention).
//! Absent: `token` (a write-only request argument, sensitive) and `expected_bucket_owner` (a
//! request header; its id form is joined by `state_form`).

use aws_sdk_s3::types::ObjectLockConfiguration;
use futures::FutureExt;

use super::listing::{PerBucket, per_bucket};
use crate::aws::client::for_caller;
use crate::aws::errors::service_code;
use crate::aws::event::{Event, W};
use crate::aws::state_form::BY_BUCKET;
use crate::aws::{Ctx, FetchResult, Read, ResourceType};
use crate::model::{ReadError, Resource, Value};

const TYPES: &[&str] = &["aws_s3_bucket_object_lock_configuration"];

/// Both types built from the shared read (a failure makes both incomplete).
const SHARED_BY: &[&str] = &["aws_s3_bucket", "aws_s3_bucket_object_lock_configuration"];

pub static TYPE: ResourceType = ResourceType {
    read: Some(Read { fetch: |ctx| fetch(ctx).boxed(), global: false }),
    identity: super::SETTING,
    parent: Some("aws_s3_bucket"),
    events: &[
        super::DELETE_BUCKET,
        Event::modify("s3", "PutObjectLockConfiguration", &["bucketName"]).writing(&[
            W::Param("object_lock_enabled", "ObjectLockConfiguration.ObjectLockEnabled"),
            W::Param("rule[0].default_retention[0].mode", "ObjectLockConfiguration.Rule.DefaultRetention.Mode"),
            W::Param("rule[0].default_retention[0].days", "ObjectLockConfiguration.Rule.DefaultRetention.Days"),
            W::Param("rule[0].default_retention[0].years", "ObjectLockConfiguration.Rule.DefaultRetention.Years"),
        ]),
    ],
    state_form: Some(BY_BUCKET),
    ..ResourceType::base("aws_s3_bucket_object_lock_configuration", "s3")
};

/// Every bucket's object lock configuration (`None`: none), read once per context.
pub(super) async fn locks(ctx: &Ctx, types: &[&str]) -> Result<PerBucket<Option<ObjectLockConfiguration>>, ReadError> {
    let cached = ctx
        .once("s3:GetObjectLockConfiguration", || async {
            let s3 = ctx.client::<aws_sdk_s3::Client>();
            let s3 = &s3;
            per_bucket(ctx, SHARED_BY, &[], |b| async move {
                match s3.get_object_lock_configuration().bucket(b).send().await {
                    Ok(o) => Ok(o.object_lock_configuration().cloned()),
                    Err(e) if service_code(&e) == Some("ObjectLockConfigurationNotFoundError") => Ok(None),
                    Err(e) => Err(e),
                }
            })
            .await
        })
        .await;
    for_caller(&cached, types)
}

async fn fetch(ctx: &Ctx) -> FetchResult {
    let got = locks(ctx, TYPES).await?;
    Ok(got
        .into_iter()
        .filter_map(|(name, lock)| Some(map(&name, lock.flatten().as_ref()?, &ctx.region, &ctx.account)))
        .collect())
}

/// Pure mapping from the bucket's object lock configuration.
pub fn map(bucket: &str, c: &ObjectLockConfiguration, region: &str, account: &str) -> Resource {
    let rule = match c.rule().and_then(|r| r.default_retention()) {
        Some(d) => Value::block([(
            "default_retention",
            Value::block([
                ("mode", d.mode().map(|m| m.as_str()).unwrap_or_default().into()),
                ("days", Value::int(d.days().unwrap_or(0).into())),
                ("years", Value::int(d.years().unwrap_or(0).into())),
            ]),
        )]),
        None => Value::List(Vec::new()),
    };
    Resource::live("aws_s3_bucket_object_lock_configuration", bucket, region, account, None)
        .with("id", bucket)
        .with("bucket", bucket)
        .with("object_lock_enabled", c.object_lock_enabled().map(|e| e.as_str()).unwrap_or_default())
        .with("rule", rule)
}

#[cfg(test)]
mod tests {
    use super::*;
    use aws_sdk_s3::types::{DefaultRetention, ObjectLockEnabled, ObjectLockRetentionMode, ObjectLockRule};

    #[test]
    fn maps_default_retention() {
        let c = ObjectLockConfiguration::builder()
            .object_lock_enabled(ObjectLockEnabled::Enabled)
            .rule(
                ObjectLockRule::builder()
                    .default_retention(
                        DefaultRetention::builder().mode(ObjectLockRetentionMode::Governance).days(30).build(),
                    )
                    .build(),
            )
            .build();
        let r = map("vault", &c, "us-east-1", "123456789012");
        assert_eq!(r.id, "vault");
        assert_eq!(r.attr_str("object_lock_enabled"), Some("Enabled"));
        assert_eq!(
            r.attr("rule"),
            &Value::block([(
                "default_retention",
                Value::block([("mode", "GOVERNANCE".into()), ("days", Value::int(30)), ("years", Value::int(0))])
            )])
        );
        assert!(!r.attributes.contains_key("token"));
    }

    #[test]
    fn enabled_without_a_rule() {
        let c = ObjectLockConfiguration::builder().object_lock_enabled(ObjectLockEnabled::Enabled).build();
        assert_eq!(map("vault", &c, "us-east-1", "1").attr("rule"), &Value::List(vec![]));
    }

    #[test]
    fn put_sets_the_retention() {
        use crate::aws::event::{Written, of};
        use serde_json::json;
        let e = of("aws_s3_bucket_object_lock_configuration", "s3", "PutObjectLockConfiguration");
        let req = json!({"bucketName": "vault", "object-lock": [""], "ObjectLockConfiguration": {
            "ObjectLockEnabled": "Enabled", "Rule": {"DefaultRetention": {"Mode": "COMPLIANCE", "Days": 1}}}});
        assert_eq!(e.identifiers(&req, &json!(null)), ["vault"]);
        let w = e.writes(&req, &json!(null));
        assert!(
            w.contains(&Written::Set { path: "rule[0].default_retention[0].mode".into(), value: "COMPLIANCE".into() })
        );
        assert!(w.contains(&Written::Set { path: "rule[0].default_retention[0].days".into(), value: Value::int(1) }));
    }
}

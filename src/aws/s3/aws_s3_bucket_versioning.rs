//! `aws_s3_bucket_versioning`: GetBucketVersioning per bucket.
//!
//! Filled: `id`, `bucket`, `versioning_configuration = [{status, mfa_delete}]` as provider
//! v5 stores them: `mfa_delete` is `""` when S3 does not answer `MfaDelete` (S3 only returns
//! it once MFA delete was configured), and a bucket whose versioning was never configured
//! (no `Status`) is stored as `status = "Disabled"` (that is what `terraform import` and a
//! `status = "Disabled"` resource both record, checked on moto with provider 5.100.0).
//! Such a bucket is therefore emitted with `Disabled` and `aws_default = true`: a managed
//! `Disabled` resource is judged in sync, and an unmanaged never-versioned bucket is not
//! reported as an unmanaged versioning resource.
//! Absent: `mfa` (the MFA serial and token, a write-only request argument) and
//! `expected_bucket_owner` (a request header, not a bucket setting).

use aws_sdk_s3::operation::get_bucket_versioning::GetBucketVersioningOutput;
use futures::FutureExt;

use super::aws_s3_bucket::{S3Source, s3_source, source_fields};
use super::listing::per_bucket;
use crate::aws::event::{Event, W};
use crate::aws::view::*;
use crate::aws::{Ctx, FetchResult, Read, ResourceType, ViewPart};
use crate::model::{Resource, Value, View};
use serde_json::Value as J;

const TYPES: &[&str] = &["aws_s3_bucket_versioning"];

pub static TYPE: ResourceType = ResourceType {
    read: Some(Read { fetch: |ctx| fetch(ctx).boxed(), global: false }),
    identity: super::SETTING,
    parent: Some("aws_s3_bucket"),
    events: &[
        super::DELETE_BUCKET,
        Event::modify("s3", "PutBucketVersioning", &["bucketName"]).writing(&[
            W::Param("versioning_configuration[0].status", "VersioningConfiguration.Status"),
            W::Param("versioning_configuration[0].mfa_delete", "VersioningConfiguration.MfaDelete"),
        ]),
    ],
    part_of_views: &["s3_bucket"],
    view_part: Some(ViewPart { field: "versioning", build: s3_versioning }),
    // `expected_bucket_owner` makes the state id `bucket,account`.
    state_form: Some(crate::aws::state_form::BY_BUCKET),
    ..ResourceType::base("aws_s3_bucket_versioning", "s3")
};

async fn fetch(ctx: &Ctx) -> FetchResult {
    let s3 = ctx.client::<aws_sdk_s3::Client>();
    let got = per_bucket(ctx, TYPES, &[], |b| s3.get_bucket_versioning().bucket(b).send()).await?;
    Ok(got.into_iter().filter_map(|(name, o)| Some(map(&name, &o?, &ctx.region, &ctx.account))).collect())
}

/// Pure mapping from GetBucketVersioning's answer.
pub fn map(bucket: &str, o: &GetBucketVersioningOutput, region: &str, account: &str) -> Resource {
    let status = o.status().map(|s| s.as_str()).unwrap_or("Disabled");
    let mfa_delete = o.mfa_delete().map(|m| m.as_str()).unwrap_or("");
    let mut r = Resource::live("aws_s3_bucket_versioning", bucket, region, account, None)
        .with("id", bucket)
        .with("bucket", bucket)
        .with("versioning_configuration", Value::block([("status", status.into()), ("mfa_delete", mfa_delete.into())]));
    r.aws_default = o.status().is_none();
    r
}

fn s3_versioning(b: &Resource, split: Option<&Resource>, view: View) -> J {
    let src = s3_source(b, split, "versioning_configuration", "versioning", view);
    let mut o = Obj::default();
    source_fields(&mut o, b, &src);
    let (status, mfa) = match &src {
        S3Source::Split(_, f) => {
            let status = f.field("status").string(Some("Disabled"));
            let mfa = f.field("mfa_delete").string(Some("Disabled")).map(|m| m.map(|m| m == "Enabled"));
            (status, mfa.map(|m| m.unwrap_or(false)))
        }
        S3Source::Inline(f) => {
            let status = f.field("enabled").bool(false).map(|e| if e { "Enabled" } else { "Disabled" }.to_string());
            (status.map(Some).ok_or(()), f.field("mfa_delete").bool(false).ok_or(()))
        }
        S3Source::Absent => (Ok(Some("Disabled".to_string())), Ok(false)),
    };
    match status {
        Ok(s) => {
            let s = s.unwrap_or_else(|| "Disabled".into());
            o.put("enabled", s == "Enabled").put("status", s);
        }
        Err(()) => {
            o.unknown("status").unknown("enabled");
        }
    }
    o.opt("mfa_delete", mfa.ok());
    o.finish()
}

#[cfg(test)]
mod tests {
    use super::*;
    use aws_sdk_s3::types::{BucketVersioningStatus, MfaDeleteStatus};

    #[test]
    fn enabled_without_mfa_delete_answer() {
        let o = GetBucketVersioningOutput::builder().status(BucketVersioningStatus::Enabled).build();
        let r = map("b", &o, "us-east-1", "123456789012");
        assert_eq!(r.id, "b");
        assert_eq!(r.attr_str("bucket"), Some("b"));
        assert_eq!(
            r.attr("versioning_configuration"),
            &Value::block([("status", "Enabled".into()), ("mfa_delete", "".into())])
        );
        assert!(!r.aws_default);
        assert!(!r.attributes.contains_key("mfa"));
    }

    #[test]
    fn suspended_with_mfa_delete() {
        let o = GetBucketVersioningOutput::builder()
            .status(BucketVersioningStatus::Suspended)
            .mfa_delete(MfaDeleteStatus::Disabled)
            .build();
        let r = map("b", &o, "us-east-1", "123456789012");
        assert_eq!(r.attr("versioning_configuration").get("status"), Some(&Value::from("Suspended")));
        assert_eq!(r.attr("versioning_configuration").get("mfa_delete"), Some(&Value::from("Disabled")));
    }

    #[test]
    fn never_configured_is_a_disabled_aws_default() {
        let r = map("b", &GetBucketVersioningOutput::builder().build(), "us-east-1", "123456789012");
        assert_eq!(r.attr("versioning_configuration").get("status"), Some(&Value::from("Disabled")));
        assert!(r.aws_default);
    }
}

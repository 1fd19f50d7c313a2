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

use super::listing::per_bucket;
use crate::aws::event::{Event, W};
use crate::aws::view::*;
use crate::aws::{Ctx, FetchResult, Read, ResourceType, ViewPart};
use crate::model::{Resource, Value, View};
use serde_json::Value as J;

const TYPES: &[&str] = &["aws_s3_bucket_ownership_controls"];

pub static TYPE: ResourceType = ResourceType {
    read: Some(Read { fetch: |ctx| fetch(ctx).boxed(), global: false }),
    identity: super::SETTING,
    parent: Some("aws_s3_bucket"),
    events: &[
        super::DELETE_BUCKET,
        Event::modify("s3", "PutBucketOwnershipControls", &["bucketName"])
            .writing(&[W::Param("rule[0].object_ownership", "OwnershipControls.Rule.ObjectOwnership")]),
        Event::delete("s3", "DeleteBucketOwnershipControls", &["bucketName"]),
    ],
    part_of_views: &["s3_bucket"],
    view_part: Some(ViewPart { field: "ownership_controls", build: s3_ownership }),
    ..ResourceType::base("aws_s3_bucket_ownership_controls", "s3")
};

async fn fetch(ctx: &Ctx) -> FetchResult {
    let s3 = ctx.client::<aws_sdk_s3::Client>();
    let got = per_bucket(ctx, TYPES, &["OwnershipControlsNotFoundError"], |b| {
        s3.get_bucket_ownership_controls().bucket(b).send()
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

fn s3_ownership(b: &Resource, split: Option<&Resource>, view: View) -> J {
    let mut o = Obj::default();
    setting_origin(&mut o, b, split);
    o.put("configured", split.is_some());
    match split {
        Some(s) => {
            let _ = o.string("object_ownership", attr(s, "rule", view).field("object_ownership"), None);
        }
        None => {
            o.put("object_ownership", J::Null);
        }
    }
    o.finish()
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

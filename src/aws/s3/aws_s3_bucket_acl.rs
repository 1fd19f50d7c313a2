//! `aws_s3_bucket_acl`: GetBucketAcl per bucket. Every bucket has an ACL (its owner's
//! FULL_CONTROL at least), so every bucket yields one; it is a part of its bucket, never
//! unmanaged on its own.
//!
//! Filled: `id` (the bucket), `bucket`, `access_control_policy = [{grant, owner}]` as the
//! provider stores it: `grant` a set of `{permission, grantee: [{type, id, uri,
//! email_address, display_name}]}` with `""` for what S3 does not answer, `owner =
//! [{id, display_name}]`.
//! Absent (Unknown): `acl`, the canned ACL, which S3 never returns (it expands into grants
//! and the provider keeps it from the import id), and `expected_bucket_owner` (a request
//! header). The state id is `bucket[,account][,acl]`: `state_form` joins the forms on the
//! bucket.

use aws_sdk_s3::operation::get_bucket_acl::GetBucketAclOutput;
use aws_sdk_s3::types::{Grant, Grantee};
use futures::FutureExt;

use super::listing::per_bucket;
use crate::aws::event::{Event, W};
use crate::aws::state_form::BY_BUCKET;
use crate::aws::{Ctx, FetchResult, Read, ResourceType};
use crate::model::{Resource, Value};

const TYPES: &[&str] = &["aws_s3_bucket_acl"];

pub static TYPE: ResourceType = ResourceType {
    read: Some(Read { fetch: |ctx| fetch(ctx).boxed(), global: false }),
    identity: super::SETTING,
    parent: Some("aws_s3_bucket"),
    // A canned ACL (`x-amz-acl`) or a full policy: either way S3 computes the grants.
    events: &[
        super::DELETE_BUCKET,
        Event::modify("s3", "PutBucketAcl", &["bucketName"]).writing(&[W::Touch("access_control_policy")]),
    ],
    state_form: Some(BY_BUCKET),
    ..ResourceType::base("aws_s3_bucket_acl", "s3")
};

async fn fetch(ctx: &Ctx) -> FetchResult {
    let s3 = ctx.client::<aws_sdk_s3::Client>();
    let got = per_bucket(ctx, TYPES, &[], |b| s3.get_bucket_acl().bucket(b).send()).await?;
    Ok(got.into_iter().filter_map(|(name, o)| Some(map(&name, &o?, &ctx.region, &ctx.account))).collect())
}

/// Pure mapping from GetBucketAcl's answer.
pub fn map(bucket: &str, o: &GetBucketAclOutput, region: &str, account: &str) -> Resource {
    let owner = match o.owner() {
        Some(w) => Value::block([
            ("id", w.id().unwrap_or_default().into()),
            ("display_name", w.display_name().unwrap_or_default().into()),
        ]),
        None => Value::List(Vec::new()),
    };
    let policy = Value::block([("grant", Value::List(o.grants().iter().map(grant).collect())), ("owner", owner)]);
    Resource::live("aws_s3_bucket_acl", bucket, region, account, None)
        .with("id", bucket)
        .with("bucket", bucket)
        .with("access_control_policy", policy)
}

fn grant(g: &Grant) -> Value {
    let grantee = match g.grantee() {
        Some(e) => Value::List(vec![grantee(e)]),
        None => Value::List(Vec::new()),
    };
    Value::object([("permission", g.permission().map(|p| p.as_str()).unwrap_or_default().into()), ("grantee", grantee)])
}

fn grantee(g: &Grantee) -> Value {
    Value::object([
        ("type", g.r#type().as_str().into()),
        ("id", g.id().unwrap_or_default().into()),
        ("uri", g.uri().unwrap_or_default().into()),
        ("email_address", g.email_address().unwrap_or_default().into()),
        ("display_name", g.display_name().unwrap_or_default().into()),
    ])
}

#[cfg(test)]
mod tests {
    use super::*;
    use aws_sdk_s3::types::{Owner, Permission, Type};

    #[test]
    fn maps_grants_and_owner() {
        let o = GetBucketAclOutput::builder()
            .owner(Owner::builder().id("abc").build())
            .grants(
                Grant::builder()
                    .grantee(Grantee::builder().r#type(Type::CanonicalUser).id("abc").build().unwrap())
                    .permission(Permission::FullControl)
                    .build(),
            )
            .grants(
                Grant::builder()
                    .grantee(
                        Grantee::builder()
                            .r#type(Type::Group)
                            .uri("http://acs.amazonaws.com/groups/s3/LogDelivery")
                            .build()
                            .unwrap(),
                    )
                    .permission(Permission::Write)
                    .build(),
            )
            .build();
        let r = map("site", &o, "us-east-1", "123456789012");
        assert_eq!(r.id, "site");
        assert_eq!(r.attr_str("bucket"), Some("site"));
        let acp = r.attr("access_control_policy");
        assert_eq!(acp.get("owner"), Some(&Value::block([("id", "abc".into()), ("display_name", "".into())])));
        let grants = acp.get("grant").and_then(Value::as_list).unwrap();
        assert_eq!(grants.len(), 2);
        assert_eq!(grants[1].get("permission"), Some(&Value::from("WRITE")));
        assert_eq!(
            grants[1].get("grantee"),
            Some(&Value::block([
                ("type", "Group".into()),
                ("id", "".into()),
                ("uri", "http://acs.amazonaws.com/groups/s3/LogDelivery".into()),
                ("email_address", "".into()),
                ("display_name", "".into()),
            ]))
        );
        // The canned ACL is never answered; the header is not a setting.
        assert!(!r.attributes.contains_key("acl") && !r.attributes.contains_key("expected_bucket_owner"));
    }

    #[test]
    fn put_bucket_acl_touches_the_grants() {
        use crate::aws::event::{Written, of};
        use serde_json::json;
        let e = of("aws_s3_bucket_acl", "s3", "PutBucketAcl");
        let req = json!({"bucketName": "site", "acl": [""], "x-amz-acl": ["public-read"]});
        assert_eq!(e.identifiers(&req, &json!(null)), ["site"]);
        assert_eq!(e.writes(&req, &json!(null)), [Written::Touch { path: "access_control_policy".into() }]);
    }
}

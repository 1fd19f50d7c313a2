//! `aws_s3_bucket`: the buckets of the region (shared listing), then GetBucketTagging and
//! GetObjectLockConfiguration per bucket (the latter shared with the object lock type).
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

use super::listing::{bucket_arn, per_bucket};
use crate::aws::errors::service_code;
use crate::aws::event::{Event, W, Written};
use crate::aws::view::*;
use crate::aws::{Ctx, FetchResult, Read, ResourceType, ViewDef};
use crate::model::{Resource, Value, View};
use std::collections::BTreeMap;

const TYPES: &[&str] = &["aws_s3_bucket"];

pub static TYPE: ResourceType = ResourceType {
    read: Some(Read { fetch: |ctx| fetch(ctx).boxed(), global: false }),
    identity: super::BUCKET,
    events: &[
        Event::create("s3", "CreateBucket", &["bucketName"]),
        super::DELETE_BUCKET,
        Event::modify("s3", "PutBucketTagging", &["bucketName"]).writing(&[W::Custom(bucket_tags)]),
        Event::modify("s3", "DeleteBucketTagging", &["bucketName"]).writing(&[W::Custom(|_, _, out| {
            out.push(Written::Set { path: "tags".into(), value: Value::Map(Default::default()) })
        })]),
    ],
    view: Some(&VIEW),
    ..ResourceType::base("aws_s3_bucket", "s3")
};

pub static VIEW: ViewDef = ViewDef { kind: "s3_bucket", build: s3_buckets };

/// `Tagging.TagSet.Tag[]` replaces every tag of the bucket.
fn bucket_tags(req: &serde_json::Value, _: &serde_json::Value, out: &mut Vec<Written>) {
    use crate::aws::event::{pluck, value};
    let mut tags = Vec::new();
    pluck(req, "Tagging.TagSet.Tag[]", &mut tags);
    let map = tags
        .into_iter()
        .filter_map(|t| Some((t.get("Key")?.as_str()?.to_string(), t.get("Value").map(value).unwrap_or(Value::Null))))
        .collect();
    out.push(Written::Set { path: "tags".into(), value: Value::Map(map) });
}

async fn fetch(ctx: &Ctx) -> FetchResult {
    let s3 = ctx.client::<aws_sdk_s3::Client>();
    let s3 = &s3;
    // Both answers are folded inside the closures so that `None` from `per_bucket` only
    // ever means "the bucket is gone" (NoSuchBucket since the listing).
    let tags = per_bucket(ctx, TYPES, &[], |b| async move {
        match s3.get_bucket_tagging().bucket(b).send().await {
            Ok(o) => Ok(o.tag_set().to_vec()),
            // A bucket without tags answers NoSuchTagSet.
            Err(e) if service_code(&e) == Some("NoSuchTagSet") => Ok(Vec::new()),
            Err(e) => Err(e),
        }
    });
    // Shared with aws_s3_bucket_object_lock_configuration.
    let locks = super::aws_s3_bucket_object_lock_configuration::locks(ctx, TYPES);
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
        .with("tags", crate::aws::tags::s3(tags))
        .with("object_lock_enabled", Value::Bool(lock_enabled))
}

fn s3_buckets(resources: &[Resource], view: View) -> Vec<JoinedView> {
    let mut owners: Vec<&Resource> = resources.iter().filter(|r| r.rtype == "aws_s3_bucket").collect();
    let mut index = Index::default();
    for (i, r) in owners.iter().enumerate() {
        index.add(i, r, &["bucket", "arn"]);
    }
    // Every split setting that declares its field in this view.
    let parts: Vec<(&str, crate::aws::ViewPart)> =
        crate::aws::parts_of("aws_s3_bucket").iter().filter_map(|t| Some((t.name, t.view_part?))).collect();
    let part_types: Vec<&str> = parts.iter().map(|(t, _)| *t).collect();
    // Settings on a bucket the code does not declare (an existing bucket's name): judged on
    // what the code sets; the bucket's other settings are unknown.
    let outside = outside_owners(
        resources,
        view,
        &index,
        &part_types,
        "bucket",
        "aws_s3_bucket",
        &["arn", "tags", "object_lock_enabled"],
    );
    let declared = owners.len();
    owners.extend(outside.owners.iter());
    let mut children: Vec<BTreeMap<&str, Vec<&Resource>>> = vec![BTreeMap::new(); owners.len()];
    for r in resources.iter().filter(|r| part_types.contains(&r.rtype.as_str())) {
        if let Some(i) = index.find(r.attributes.get("bucket")).or_else(|| outside.find(r).map(|j| declared + j)) {
            children[i].entry(r.rtype.as_str()).or_default().push(r);
        }
    }
    // Buckets the code shows receiving server access logs (a logging target).
    let mut log_targets = vec![false; owners.len()];
    for r in resources {
        let target = match r.rtype.as_str() {
            "aws_s3_bucket_logging" => r.attributes.get("target_bucket"),
            "aws_s3_bucket" => r.attributes.get("logging").and_then(|l| match l {
                Value::List(items) => items.first().and_then(|x| x.get("target_bucket")),
                _ => None,
            }),
            _ => None,
        };
        if let Some(i) = index.find(target) {
            log_targets[i] = true;
        }
    }
    let logging_joined = join_is_complete("aws_s3_bucket_logging", view);
    owners
        .iter()
        .zip(children)
        .zip(log_targets)
        .map(|((b, kids), receives_logs)| {
            let child = |t: &str| kids.get(t).and_then(|v| preferred(v));
            let outside = outside_code(b);
            let mut o = head("s3_bucket", b, view);
            let name = attr(b, "bucket", view).string(None).ok().flatten().unwrap_or_else(|| b.id.clone());
            o.put("name", name);
            o.bool("object_lock_enabled", attr(b, "object_lock_enabled", view), false);
            // A target of server access logs cannot use SSE-KMS for them (AWS's guidance);
            // rules on encryption exempt it.
            o.opt("receives_access_logs", (receives_logs || (logging_joined && !outside)).then_some(receives_logs));
            for (t, part) in &parts {
                match child(t) {
                    // A bucket outside the code: settings the code does not give are unknown.
                    None if outside => {
                        o.unknown(part.field);
                    }
                    c => {
                        o.put(part.field, (part.build)(b, c, view));
                    }
                }
            }
            joined("s3_bucket", b, o)
        })
        .collect()
}

/// Where a bucket setting comes from: the split resource, else the bucket's legacy inline
/// block, else nothing (the default). The inline attributes are absent from live buckets
/// by design (the split fetchers read them), so an absent inline block is "not set" in every
/// view.
pub(super) enum S3Source<'a> {
    Split(&'a Resource, F<'a>),
    Inline(F<'a>),
    Absent,
}

pub(super) fn s3_source<'a>(
    bucket: &'a Resource,
    split: Option<&'a Resource>,
    split_attr: &str,
    inline: &str,
    view: View,
) -> S3Source<'a> {
    if let Some(s) = split {
        return S3Source::Split(s, attr(s, split_attr, view));
    }
    match F::of(bucket.attributes.get(inline)) {
        F::Default => S3Source::Absent,
        F::Set(v) if v.is_empty_like() => S3Source::Absent,
        f => S3Source::Inline(f),
    }
}

pub(super) fn source_fields<'a>(o: &mut Obj, bucket: &'a Resource, src: &S3Source<'a>) {
    let (name, expressing) = match src {
        S3Source::Split(s, _) => ("split", Some(*s)),
        S3Source::Inline(_) => ("inline", Some(bucket)),
        S3Source::Absent => ("default", None),
    };
    setting_origin(o, bucket, expressing);
    o.put("configured", !matches!(src, S3Source::Absent)).put("source", name);
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

    #[test]
    fn tagging_replaces_every_tag() {
        use crate::aws::event::{Written, of};
        use serde_json::{Value as Json, json};
        let e = of("aws_s3_bucket", "s3", "PutBucketTagging");
        let req = json!({"bucketName":"b","Tagging":{"TagSet":{"Tag":{"Key":"Owner","Value":"x"}}}});
        assert_eq!(
            e.writes(&req, &Json::Null),
            vec![Written::Set { path: "tags".into(), value: Value::string_map([("Owner", "x")]) }]
        );
    }
}

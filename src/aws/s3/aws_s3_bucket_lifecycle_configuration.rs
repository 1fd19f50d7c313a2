//! `aws_s3_bucket_lifecycle_configuration`: GetBucketLifecycleConfiguration per bucket;
//! `NoSuchLifecycleConfiguration` means none.
//!
//! Filled: `id`, `bucket`, `transition_default_minimum_object_size` and `rule` (a list, in
//! S3's order) with every field of provider v5's rule block. The shapes copy what provider
//! 5.100.0 stores when it reads S3's answer (checked with `terraform apply` and `terraform
//! import` on moto); they are not uniform, so each is spelled out:
//! - `rule.prefix` (the deprecated top-level prefix): `""` when absent;
//! - `filter`: `[]` when S3 answers no filter or an empty `<Filter/>`; otherwise one element
//!   whose `prefix`, `object_size_greater_than`, `object_size_less_than` are null when absent,
//!   `tag` is `[{key, value}]` or `[]`, and `and` is `[]` or one element whose absent
//!   `prefix` is `""` and absent sizes are `0`;
//! - `expiration`: absent `days` is `0`, absent `expired_object_delete_marker` is `false`,
//!   absent `date` is null; dates are RFC 3339 (`2030-01-01T00:00:00Z`);
//! - `transition` / `noncurrent_version_transition` (sets): absent numbers are null;
//! - `noncurrent_version_expiration`, `abort_incomplete_multipart_upload`: absent numbers null.
//!
//! Absent: `expected_bucket_owner` (a request header, not a bucket setting), `timeouts`.
//!
//! moto 5.2.1 drops `ObjectSizeGreaterThan`/`ObjectSizeLessThan` (in `Filter` and in
//! `Filter.And`) and `NoncurrentVersionExpiration.NewerNoncurrentVersions`; the provider
//! always sends `ObjectSizeGreaterThan = 0` inside `And`, so an `and` filter never applies
//! on plain moto (the provider's read-back waiter times out). The `and`/size/newer-versions
//! shapes above were checked on a moto patched to echo those elements.

use aws_sdk_s3::operation::get_bucket_lifecycle_configuration::GetBucketLifecycleConfigurationOutput;
use aws_sdk_s3::types::{LifecycleExpiration, LifecycleRule, LifecycleRuleAndOperator, LifecycleRuleFilter};
use aws_smithy_types::DateTime;
use aws_smithy_types::date_time::Format;
use futures::FutureExt;

use super::aws_s3_bucket::{S3Source, s3_source, source_fields};
use super::listing::per_bucket;
use crate::aws::event::{Event, W};
use crate::aws::view::*;
use crate::aws::{Ctx, FetchResult, Read, ResourceType, ViewPart};
use crate::model::{Resource, Value, View};
use serde_json::{Value as J, json};

const TYPES: &[&str] = &["aws_s3_bucket_lifecycle_configuration"];

pub static TYPE: ResourceType = ResourceType {
    read: Some(Read { fetch: |ctx| fetch(ctx).boxed(), global: false }),
    identity: super::SETTING,
    parent: Some("aws_s3_bucket"),
    events: &[
        super::DELETE_BUCKET,
        // S3 logs `PutBucketLifecycleConfiguration` as `PutBucketLifecycle`.
        Event::modify("s3", "PutBucketLifecycle", &["bucketName"])
            .also(&["PutBucketLifecycleConfiguration"])
            .writing(&[W::Touch("rule")]),
        Event::delete("s3", "DeleteBucketLifecycle", &["bucketName"]),
    ],
    part_of_views: &["s3_bucket"],
    view_part: Some(ViewPart { field: "lifecycle", build: s3_lifecycle }),
    // `expected_bucket_owner` makes the state id `bucket,account`.
    state_form: Some(crate::aws::state_form::BY_BUCKET),
    ..ResourceType::base("aws_s3_bucket_lifecycle_configuration", "s3")
};

async fn fetch(ctx: &Ctx) -> FetchResult {
    let s3 = ctx.client::<aws_sdk_s3::Client>();
    let got = per_bucket(ctx, TYPES, &["NoSuchLifecycleConfiguration"], |b| {
        s3.get_bucket_lifecycle_configuration().bucket(b).send()
    })
    .await?;
    Ok(got.into_iter().filter_map(|(name, o)| Some(map(&name, &o?, &ctx.region, &ctx.account))).collect())
}

/// Pure mapping from GetBucketLifecycleConfiguration's answer.
pub fn map(bucket: &str, o: &GetBucketLifecycleConfigurationOutput, region: &str, account: &str) -> Resource {
    let mut r = Resource::live("aws_s3_bucket_lifecycle_configuration", bucket, region, account, None)
        .with("id", bucket)
        .with("bucket", bucket)
        .with("rule", Value::List(o.rules().iter().map(rule).collect()));
    // Answered as a response header; when S3 leaves it out, leave it unread.
    if let Some(s) = o.transition_default_minimum_object_size() {
        r.set("transition_default_minimum_object_size", s.as_str());
    }
    r
}

fn list_of(v: Option<Value>) -> Value {
    Value::List(v.into_iter().collect())
}

fn date(d: Option<&DateTime>) -> Value {
    d.and_then(|d| d.fmt(Format::DateTime).ok()).map(Value::String).unwrap_or(Value::Null)
}

// `LifecycleRule::prefix` is deprecated in the API model, but S3 still answers it for rules
// written with a top-level prefix, and the provider still stores it.
#[allow(deprecated)]
fn rule(r: &LifecycleRule) -> Value {
    let transitions = r
        .transitions()
        .iter()
        .map(|t| {
            Value::object([
                ("date", date(t.date())),
                ("days", Value::opt_int(t.days())),
                ("storage_class", Value::opt_str(t.storage_class().map(|s| s.as_str()))),
            ])
        })
        .collect();
    let noncurrent_transitions = r
        .noncurrent_version_transitions()
        .iter()
        .map(|t| {
            Value::object([
                ("newer_noncurrent_versions", Value::opt_int(t.newer_noncurrent_versions())),
                ("noncurrent_days", Value::opt_int(t.noncurrent_days())),
                ("storage_class", Value::opt_str(t.storage_class().map(|s| s.as_str()))),
            ])
        })
        .collect();
    let noncurrent_expiration = r.noncurrent_version_expiration().map(|e| {
        Value::object([
            ("newer_noncurrent_versions", Value::opt_int(e.newer_noncurrent_versions())),
            ("noncurrent_days", Value::opt_int(e.noncurrent_days())),
        ])
    });
    let abort = r
        .abort_incomplete_multipart_upload()
        .map(|a| Value::object([("days_after_initiation", Value::opt_int(a.days_after_initiation()))]));
    Value::object([
        ("id", r.id().unwrap_or_default().into()),
        ("status", r.status().as_str().into()),
        ("prefix", r.prefix().unwrap_or_default().into()),
        ("filter", list_of(r.filter().and_then(filter))),
        ("expiration", list_of(r.expiration().map(expiration))),
        ("transition", Value::List(transitions)),
        ("noncurrent_version_expiration", list_of(noncurrent_expiration)),
        ("noncurrent_version_transition", Value::List(noncurrent_transitions)),
        ("abort_incomplete_multipart_upload", list_of(abort)),
    ])
}

/// `None` for an empty `<Filter/>`: the provider stores that as no filter block.
fn filter(f: &LifecycleRuleFilter) -> Option<Value> {
    if f.prefix().is_none()
        && f.tag().is_none()
        && f.and().is_none()
        && f.object_size_greater_than().is_none()
        && f.object_size_less_than().is_none()
    {
        return None;
    }
    let tag = f.tag().map(|t| Value::object([("key", t.key().into()), ("value", t.value().into())]));
    Some(Value::object([
        ("prefix", Value::opt_str(f.prefix())),
        ("object_size_greater_than", Value::opt_int(f.object_size_greater_than())),
        ("object_size_less_than", Value::opt_int(f.object_size_less_than())),
        ("tag", list_of(tag)),
        ("and", list_of(f.and().map(and))),
    ]))
}

fn and(a: &LifecycleRuleAndOperator) -> Value {
    Value::object([
        ("prefix", a.prefix().unwrap_or_default().into()),
        ("object_size_greater_than", Value::int(a.object_size_greater_than().unwrap_or(0))),
        ("object_size_less_than", Value::int(a.object_size_less_than().unwrap_or(0))),
        ("tags", Value::string_map(a.tags().iter().map(|t| (t.key(), t.value())))),
    ])
}

fn expiration(e: &LifecycleExpiration) -> Value {
    Value::object([
        ("date", date(e.date())),
        ("days", Value::int(e.days().unwrap_or(0).into())),
        ("expired_object_delete_marker", Value::Bool(e.expired_object_delete_marker().unwrap_or(false))),
    ])
}

#[cfg(test)]
#[allow(deprecated)] // LifecycleRuleBuilder::prefix, to build a legacy-prefix answer
mod tests {
    use super::*;
    use aws_sdk_s3::types::{
        AbortIncompleteMultipartUpload, ExpirationStatus, NoncurrentVersionExpiration, NoncurrentVersionTransition,
        Tag, Transition, TransitionDefaultMinimumObjectSize, TransitionStorageClass,
    };

    fn out(rules: Vec<LifecycleRule>) -> GetBucketLifecycleConfigurationOutput {
        GetBucketLifecycleConfigurationOutput::builder()
            .set_rules(Some(rules))
            .transition_default_minimum_object_size(TransitionDefaultMinimumObjectSize::AllStorageClasses128K)
            .build()
    }

    fn base(id: &str) -> aws_sdk_s3::types::builders::LifecycleRuleBuilder {
        LifecycleRule::builder().id(id).status(ExpirationStatus::Enabled)
    }

    fn json(v: &Value) -> serde_json::Value {
        v.to_json()
    }

    #[test]
    fn prefix_filter_expiration_and_transition() {
        let r = base("logs")
            .filter(LifecycleRuleFilter::builder().prefix("logs/").build())
            .expiration(LifecycleExpiration::builder().days(90).build())
            .transitions(Transition::builder().days(30).storage_class(TransitionStorageClass::StandardIa).build())
            .build()
            .unwrap();
        let res = map("b", &out(vec![r]), "us-east-1", "123456789012");
        assert_eq!(res.id, "b");
        assert_eq!(res.attr_str("bucket"), Some("b"));
        assert_eq!(res.attr_str("transition_default_minimum_object_size"), Some("all_storage_classes_128K"));
        assert_eq!(
            json(res.attr("rule")),
            serde_json::json!([{
                "abort_incomplete_multipart_upload": [],
                "expiration": [{"date": null, "days": 90, "expired_object_delete_marker": false}],
                "filter": [{"and": [], "object_size_greater_than": null, "object_size_less_than": null,
                            "prefix": "logs/", "tag": []}],
                "id": "logs",
                "noncurrent_version_expiration": [],
                "noncurrent_version_transition": [],
                "prefix": "",
                "status": "Enabled",
                "transition": [{"date": null, "days": 30, "storage_class": "STANDARD_IA"}]
            }])
        );
    }

    #[test]
    fn and_filter_defaults_and_noncurrent_actions() {
        let and = LifecycleRuleAndOperator::builder()
            .tags(Tag::builder().key("a").value("b").build().unwrap())
            .object_size_greater_than(10)
            .build();
        let r = base("and")
            .filter(LifecycleRuleFilter::builder().and(and).build())
            .noncurrent_version_expiration(
                NoncurrentVersionExpiration::builder().noncurrent_days(40).newer_noncurrent_versions(3).build(),
            )
            .noncurrent_version_transitions(
                NoncurrentVersionTransition::builder()
                    .noncurrent_days(10)
                    .storage_class(TransitionStorageClass::Glacier)
                    .build(),
            )
            .abort_incomplete_multipart_upload(
                AbortIncompleteMultipartUpload::builder().days_after_initiation(7).build(),
            )
            .build()
            .unwrap();
        let rule = json(&map("b", &out(vec![r]), "us-east-1", "1").attr("rule").as_list().unwrap()[0]);
        assert_eq!(
            rule["filter"],
            serde_json::json!([{"and": [{"object_size_greater_than": 10, "object_size_less_than": 0, "prefix": "",
                                         "tags": {"a": "b"}}],
                                "object_size_greater_than": null, "object_size_less_than": null, "prefix": null,
                                "tag": []}])
        );
        assert_eq!(
            rule["noncurrent_version_expiration"],
            serde_json::json!([{"newer_noncurrent_versions": 3, "noncurrent_days": 40}])
        );
        assert_eq!(
            rule["noncurrent_version_transition"],
            serde_json::json!([{"newer_noncurrent_versions": null, "noncurrent_days": 10, "storage_class": "GLACIER"}])
        );
        assert_eq!(rule["abort_incomplete_multipart_upload"], serde_json::json!([{"days_after_initiation": 7}]));
        assert_eq!(rule["expiration"], serde_json::json!([]));
    }

    #[test]
    fn empty_filter_legacy_prefix_dates_and_markers() {
        let date = DateTime::from_secs(1_938_038_400); // 2031-06-01T00:00:00Z
        let legacy = base("legacy")
            .prefix("legacy/")
            .expiration(LifecycleExpiration::builder().date(date).build())
            .build()
            .unwrap();
        let empty = base("empty")
            .status(ExpirationStatus::Disabled)
            .filter(LifecycleRuleFilter::builder().build())
            .expiration(LifecycleExpiration::builder().expired_object_delete_marker(true).build())
            .transitions(Transition::builder().date(date).storage_class(TransitionStorageClass::Glacier).build())
            .build()
            .unwrap();
        let tag = base("tag")
            .filter(LifecycleRuleFilter::builder().tag(Tag::builder().key("k").value("v").build().unwrap()).build())
            .build()
            .unwrap();
        let res = map("b", &out(vec![legacy, empty, tag]), "us-east-1", "1");
        let rules: Vec<_> = res.attr("rule").as_list().unwrap().iter().map(json).collect();
        assert_eq!(rules[0]["prefix"], "legacy/");
        assert_eq!(rules[0]["filter"], serde_json::json!([]));
        assert_eq!(
            rules[0]["expiration"],
            serde_json::json!([{"date": "2031-06-01T00:00:00Z", "days": 0, "expired_object_delete_marker": false}])
        );
        assert_eq!(rules[1]["status"], "Disabled");
        assert_eq!(rules[1]["filter"], serde_json::json!([]));
        assert_eq!(
            rules[1]["expiration"],
            serde_json::json!([{"date": null, "days": 0, "expired_object_delete_marker": true}])
        );
        assert_eq!(
            rules[1]["transition"],
            serde_json::json!([{"date": "2031-06-01T00:00:00Z", "days": null, "storage_class": "GLACIER"}])
        );
        assert_eq!(rules[2]["filter"][0]["tag"], serde_json::json!([{"key": "k", "value": "v"}]));
        assert_eq!(rules[2]["filter"][0]["prefix"], serde_json::Value::Null);
    }
}

fn s3_lifecycle(b: &Resource, split: Option<&Resource>, view: View) -> J {
    let src = s3_source(b, split, "rule", "lifecycle_rule", view);
    let mut o = Obj::default();
    source_fields(&mut o, b, &src);
    match &src {
        S3Source::Split(_, f) | S3Source::Inline(f) => match f.elements() {
            Ok(rules) => o.put("rules", J::Array(rules.iter().map(to_json).collect())),
            Err(()) => o.unknown("rules"),
        },
        S3Source::Absent => o.put("rules", json!([])),
    };
    o.finish()
}

//! `aws_s3_bucket_replication_configuration`: GetBucketReplication per bucket;
//! `ReplicationConfigurationNotFoundError` means the bucket replicates nothing.
//!
//! Filled: `id` (the bucket), `bucket`, `role` and `rule`, a list of rules in S3's order,
//! each `{id, priority, prefix, status, filter, destination, delete_marker_replication,
//! existing_object_replication, source_selection_criteria}` with the provider's shapes:
//! nested blocks as one-element lists (`[]` when S3 answers none), `""` / `0` for absent
//! strings and numbers, a filter as `[{prefix, tag: [{key, value}], and: [{prefix, tags}]}]`.
//! Absent: `token` (a write-only request argument for object-lock buckets, sensitive).

use aws_sdk_s3::types::{Destination, ReplicationConfiguration, ReplicationRule, ReplicationRuleFilter};
use futures::FutureExt;

use super::listing::per_bucket;
use crate::aws::event::{Event, W};
use crate::aws::{Ctx, FetchResult, Read, ResourceType};
use crate::model::{Resource, Value};

const TYPES: &[&str] = &["aws_s3_bucket_replication_configuration"];

pub static TYPE: ResourceType = ResourceType {
    read: Some(Read { fetch: |ctx| fetch(ctx).boxed(), global: false }),
    identity: super::SETTING,
    parent: Some("aws_s3_bucket"),
    events: &[
        super::DELETE_BUCKET,
        Event::modify("s3", "PutBucketReplication", &["bucketName"])
            .writing(&[W::Param("role", "ReplicationConfiguration.Role"), W::Touch("rule")]),
        Event::delete("s3", "DeleteBucketReplication", &["bucketName"]),
    ],
    ..ResourceType::base("aws_s3_bucket_replication_configuration", "s3")
};

async fn fetch(ctx: &Ctx) -> FetchResult {
    let s3 = ctx.client::<aws_sdk_s3::Client>();
    let got = per_bucket(ctx, TYPES, &["ReplicationConfigurationNotFoundError"], |b| {
        s3.get_bucket_replication().bucket(b).send()
    })
    .await?;
    Ok(got
        .into_iter()
        .filter_map(|(name, o)| Some(map(&name, o?.replication_configuration()?, &ctx.region, &ctx.account)))
        .collect())
}

/// Pure mapping from the bucket's replication configuration.
pub fn map(bucket: &str, c: &ReplicationConfiguration, region: &str, account: &str) -> Resource {
    Resource::live("aws_s3_bucket_replication_configuration", bucket, region, account, None)
        .with("id", bucket)
        .with("bucket", bucket)
        .with("role", c.role())
        .with("rule", Value::List(c.rules().iter().map(rule).collect()))
}

/// `[{status}]` or `[]`.
fn status_block(status: Option<&str>) -> Value {
    Value::List(status.map(|s| Value::object([("status", s.into())])).into_iter().collect())
}

// `prefix` is the rule's legacy (V1) filter, deprecated in the SDK but still stored by the
// provider.
#[allow(deprecated)]
fn rule(r: &ReplicationRule) -> Value {
    let ssc = match r.source_selection_criteria() {
        Some(c) => Value::block([
            ("replica_modifications", status_block(c.replica_modifications().map(|m| m.status().as_str()))),
            ("sse_kms_encrypted_objects", status_block(c.sse_kms_encrypted_objects().map(|m| m.status().as_str()))),
        ]),
        None => Value::List(Vec::new()),
    };
    Value::object([
        ("id", r.id().unwrap_or_default().into()),
        ("priority", Value::int(r.priority().unwrap_or(0).into())),
        ("prefix", r.prefix().unwrap_or_default().into()),
        ("status", r.status().as_str().into()),
        ("filter", Value::List(r.filter().map(filter).into_iter().collect())),
        ("destination", Value::List(r.destination().map(destination).into_iter().collect())),
        (
            "delete_marker_replication",
            status_block(r.delete_marker_replication().and_then(|d| d.status()).map(|s| s.as_str())),
        ),
        ("existing_object_replication", status_block(r.existing_object_replication().map(|e| e.status().as_str()))),
        ("source_selection_criteria", ssc),
    ])
}

fn filter(f: &ReplicationRuleFilter) -> Value {
    let tag = match f.tag() {
        Some(t) => Value::block([("key", t.key().into()), ("value", t.value().into())]),
        None => Value::List(Vec::new()),
    };
    let and = match f.and() {
        Some(a) => {
            Value::block([("prefix", a.prefix().unwrap_or_default().into()), ("tags", crate::aws::tags::s3(a.tags()))])
        }
        None => Value::List(Vec::new()),
    };
    Value::object([("prefix", f.prefix().unwrap_or_default().into()), ("tag", tag), ("and", and)])
}

fn destination(d: &Destination) -> Value {
    let minutes = |m: Option<i32>| Value::int(m.unwrap_or(0).into());
    let metrics = match d.metrics() {
        Some(m) => Value::block([
            ("status", m.status().as_str().into()),
            (
                "event_threshold",
                Value::List(
                    m.event_threshold()
                        .map(|t| Value::object([("minutes", minutes(t.minutes()))]))
                        .into_iter()
                        .collect(),
                ),
            ),
        ]),
        None => Value::List(Vec::new()),
    };
    let replication_time = match d.replication_time() {
        Some(t) => Value::block([
            ("status", t.status().as_str().into()),
            (
                "time",
                Value::List(t.time().map(|t| Value::object([("minutes", minutes(t.minutes()))])).into_iter().collect()),
            ),
        ]),
        None => Value::List(Vec::new()),
    };
    Value::object([
        ("bucket", d.bucket().into()),
        ("account", d.account().unwrap_or_default().into()),
        ("storage_class", d.storage_class().map(|s| s.as_str()).unwrap_or_default().into()),
        (
            "access_control_translation",
            Value::List(
                d.access_control_translation()
                    .map(|a| Value::object([("owner", a.owner().as_str().into())]))
                    .into_iter()
                    .collect(),
            ),
        ),
        (
            "encryption_configuration",
            Value::List(
                d.encryption_configuration()
                    .map(|e| Value::object([("replica_kms_key_id", e.replica_kms_key_id().unwrap_or_default().into())]))
                    .into_iter()
                    .collect(),
            ),
        ),
        ("metrics", metrics),
        ("replication_time", replication_time),
    ])
}

#[cfg(test)]
mod tests {
    use super::*;
    use aws_sdk_s3::types::{
        DeleteMarkerReplication, DeleteMarkerReplicationStatus, ReplicationRuleAndOperator, ReplicationRuleStatus,
        StorageClass, Tag,
    };

    fn config() -> ReplicationConfiguration {
        ReplicationConfiguration::builder()
            .role("arn:aws:iam::123456789012:role/replication")
            .rules(
                ReplicationRule::builder()
                    .id("everything")
                    .priority(1)
                    .status(ReplicationRuleStatus::Enabled)
                    .filter(ReplicationRuleFilter::builder().prefix("").build())
                    .delete_marker_replication(
                        DeleteMarkerReplication::builder().status(DeleteMarkerReplicationStatus::Enabled).build(),
                    )
                    .destination(
                        Destination::builder()
                            .bucket("arn:aws:s3:::replica")
                            .storage_class(StorageClass::StandardIa)
                            .build()
                            .unwrap(),
                    )
                    .build()
                    .unwrap(),
            )
            .rules(
                ReplicationRule::builder()
                    .id("reports")
                    .priority(2)
                    .status(ReplicationRuleStatus::Enabled)
                    .filter(
                        ReplicationRuleFilter::builder()
                            .and(
                                ReplicationRuleAndOperator::builder()
                                    .prefix("reports/")
                                    .tags(Tag::builder().key("Replicate").value("yes").build().unwrap())
                                    .build(),
                            )
                            .build(),
                    )
                    .destination(Destination::builder().bucket("arn:aws:s3:::replica").build().unwrap())
                    .build()
                    .unwrap(),
            )
            .build()
            .unwrap()
    }

    #[test]
    fn maps_rules_as_the_provider_stores_them() {
        let r = map("data", &config(), "us-east-1", "123456789012");
        assert_eq!((r.id.as_str(), r.attr_str("role")), ("data", Some("arn:aws:iam::123456789012:role/replication")));
        let rules = r.attr("rule").as_list().unwrap();
        assert_eq!(rules.len(), 2);
        assert_eq!(rules[0].get("delete_marker_replication"), Some(&Value::block([("status", "Enabled".into())])));
        assert_eq!(
            rules[0].get("filter"),
            Some(&Value::block([("prefix", "".into()), ("tag", Value::List(vec![])), ("and", Value::List(vec![]))]))
        );
        assert_eq!(
            rules[0].get("destination").and_then(|d| d.as_list()).map(|d| d[0].get("storage_class").cloned()),
            Some(Some(Value::from("STANDARD_IA")))
        );
        assert_eq!(
            rules[1].get("filter").and_then(|f| f.as_list()).and_then(|f| f[0].get("and").cloned()),
            Some(Value::block([("prefix", "reports/".into()), ("tags", Value::string_map([("Replicate", "yes")]))]))
        );
        assert_eq!(rules[1].get("delete_marker_replication"), Some(&Value::List(vec![])));
        assert_eq!(rules[1].get("priority"), Some(&Value::int(2)));
        assert!(!r.attributes.contains_key("token"));
    }

    #[test]
    fn put_sets_the_role() {
        use crate::aws::event::{Written, of};
        use serde_json::json;
        let e = of("aws_s3_bucket_replication_configuration", "s3", "PutBucketReplication");
        let req = json!({"bucketName": "data", "replication": [""], "ReplicationConfiguration": {"Role": "arn:aws:iam::1:role/x", "Rule": {"ID": "a"}}});
        assert_eq!(e.identifiers(&req, &json!(null)), ["data"]);
        assert_eq!(
            e.writes(&req, &json!(null))[0],
            Written::Set { path: "role".into(), value: "arn:aws:iam::1:role/x".into() }
        );
    }
}

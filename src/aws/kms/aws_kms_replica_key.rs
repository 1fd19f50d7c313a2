//! `aws_kms_replica_key`: a Multi-Region replica of a key made by KMS, read in its own
//! region from the ListKeys/DescribeKey read shared with `aws_kms_key` (a replica is never
//! also an `aws_kms_key`), plus its rotation status, policy and tags. Its id is the
//! primary's (`mrk-...`): the region tells them apart.
//!
//! As the provider reads it: `key_id`, `enabled`, `key_rotation_enabled` (a property the
//! replica shares with its primary), `key_spec`, `key_usage`, `primary_key_arn`, `policy`,
//! `tags`. Left Unknown: `deletion_window_in_days`, `bypass_policy_lockout_safety_check`.

use aws_sdk_kms::types::KeyMetadata;
use futures::FutureExt;

use super::aws_kms_key::{KeyDetails, KeyKind, read_kind};
use crate::aws::event::{Event, W};
use crate::aws::{Ctx, FetchResult, Identity, Read, ResourceType};
use crate::model::{Resource, Value};

const TYPES: &[&str] = &["aws_kms_replica_key"];

pub static TYPE: ResourceType = ResourceType {
    read: Some(Read { fetch: |ctx| fetch(ctx).boxed(), global: false }),
    // Key ARNs name `aws_kms_key` (`type_of_arn`); events still match this type by `arn`.
    identity: Identity { names: &["key_id"], ..Identity::NONE },
    events: EVENTS,
    part_of_views: &["kms_key"],
    ..ResourceType::base("aws_kms_replica_key", "kms")
};

/// Replica key events (shared with `aws_kms_replica_external_key`). ReplicateKey is called
/// in the primary's region and names the primary (`keyId`); the replica is in the response.
pub(super) const EVENTS: &[Event] = &[
    Event::create("kms", "ReplicateKey", &["@replicaKeyMetadata.arn", "@replicaKeyMetadata.keyId"])
        .writing(&[W::Param("description", "description"), W::Param("policy", "policy")]),
    Event::delete("kms", "ScheduleKeyDeletion", &["keyId", "@keyId"]),
    Event::modify("kms", "CancelKeyDeletion", &["keyId", "@keyId"]),
    Event::modify("kms", "PutKeyPolicy", &["keyId"]).writing(&[W::Param("policy", "policy")]),
    Event::modify("kms", "EnableKey", &["keyId"]).writing(&[W::Const("enabled", true)]),
    Event::modify("kms", "DisableKey", &["keyId"]).writing(&[W::Const("enabled", false)]),
    Event::modify("kms", "UpdateKeyDescription", &["keyId"]).writing(&[W::Param("description", "description")]),
    Event::modify("kms", "UpdatePrimaryRegion", &["keyId"]).writing(&[W::Touch("primary_key_arn")]),
    Event::modify("kms", "TagResource", &["keyId"]).writing(&[W::Tags {
        items: "tags[]",
        key: "tagKey",
        value: "tagValue",
    }]),
    Event::modify("kms", "UntagResource", &["keyId"]).writing(&[W::Untags { items: "tagKeys[]", key: "" }]),
];

async fn fetch(ctx: &Ctx) -> FetchResult {
    read_kind(ctx, KeyKind::Replica, TYPES, map).await
}

/// The primary's ARN, as the replica's Multi-Region configuration names it.
pub(super) fn primary_key_arn(meta: &KeyMetadata) -> Value {
    Value::str(
        meta.multi_region_configuration().and_then(|c| c.primary_key()).and_then(|p| p.arn()).unwrap_or_default(),
    )
}

/// Pure mapping from DescribeKey's `KeyMetadata` and the per-key reads.
pub fn map(meta: &KeyMetadata, d: &KeyDetails, region: &str, account: &str) -> Resource {
    let id = meta.key_id();
    let arn = meta.arn().map(str::to_string).unwrap_or_else(|| format!("arn:aws:kms:{region}:{account}:key/{id}"));
    #[allow(deprecated)] // the provider reads KeySpec; older answers only had the legacy field
    let spec = meta.key_spec().map(|s| s.as_str()).or(meta.customer_master_key_spec().map(|s| s.as_str()));
    let mut r = Resource::live("aws_kms_replica_key", id, region, account, Some(arn.clone()))
        .with("id", id)
        .with("arn", arn)
        .with("key_id", id)
        .with("description", Value::str(meta.description().unwrap_or_default()))
        .with("enabled", meta.enabled())
        .with("key_rotation_enabled", d.rotation.map(|(on, _)| on).unwrap_or(false))
        .with("primary_key_arn", primary_key_arn(meta))
        .with("policy", Value::opt_str(d.policy.as_deref()))
        .with("tags", crate::aws::tags::kms(&d.tags));
    if let Some(spec) = spec {
        r.set("key_spec", spec);
    }
    if let Some(usage) = meta.key_usage() {
        r.set("key_usage", usage.as_str());
    }
    r
}

#[cfg(test)]
pub(super) mod tests {
    use super::*;
    use crate::aws::kms::aws_kms_key::kind;
    use aws_sdk_kms::types::{KeySpec, MultiRegionConfiguration, MultiRegionKey, MultiRegionKeyType, OriginType};
    use serde_json::json;

    pub(crate) fn replica(origin: OriginType) -> KeyMetadata {
        replica_builder(origin).build().unwrap()
    }

    pub(crate) fn replica_builder(origin: OriginType) -> aws_sdk_kms::types::builders::KeyMetadataBuilder {
        KeyMetadata::builder()
            .key_id("mrk-1")
            .arn("arn:aws:kms:us-west-2:1:key/mrk-1")
            .enabled(true)
            .origin(origin)
            .key_spec(KeySpec::SymmetricDefault)
            .multi_region(true)
            .multi_region_configuration(
                MultiRegionConfiguration::builder()
                    .multi_region_key_type(MultiRegionKeyType::Replica)
                    .primary_key(
                        MultiRegionKey::builder().arn("arn:aws:kms:us-east-1:1:key/mrk-1").region("us-east-1").build(),
                    )
                    .build(),
            )
    }

    #[test]
    fn maps_a_replica() {
        let meta = replica(OriginType::AwsKms);
        assert_eq!(kind(&meta), KeyKind::Replica);
        assert_eq!(kind(&replica(OriginType::External)), KeyKind::ReplicaExternal);
        let d = KeyDetails { rotation: Some((true, Some(365))), policy: Some("{}".into()), tags: vec![] };
        let r = map(&meta, &d, "us-west-2", "1");
        assert_eq!(r.id, "mrk-1");
        assert_eq!(r.attr_str("primary_key_arn"), Some("arn:aws:kms:us-east-1:1:key/mrk-1"));
        assert_eq!(r.attr("key_rotation_enabled"), &Value::Bool(true));
        assert_eq!(r.attr_str("key_spec"), Some("SYMMETRIC_DEFAULT"));
    }

    #[test]
    fn replicating_names_the_replica() {
        let e = crate::aws::event::of("aws_kms_replica_key", "kms", "ReplicateKey");
        let req =
            json!({"keyId": "arn:aws:kms:us-east-1:1:key/mrk-1", "replicaRegion": "us-west-2", "description": "r"});
        let resp = json!({"replicaKeyMetadata": {"keyId": "mrk-1", "arn": "arn:aws:kms:us-west-2:1:key/mrk-1"}});
        assert_eq!(e.identifiers(&req, &resp), ["arn:aws:kms:us-west-2:1:key/mrk-1", "mrk-1"]);
    }
}

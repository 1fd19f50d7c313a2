//! `aws_kms_replica_external_key`: a Multi-Region replica of a key with imported material,
//! read in its own region from the ListKeys/DescribeKey read shared with `aws_kms_key`, plus
//! its policy and tags. Like its primary, it is `PendingImport` until material is imported
//! into it.
//!
//! As the provider reads it: `key_id`, `enabled`, `key_state`, `key_usage`,
//! `expiration_model`, `valid_to`, `primary_key_arn`, `policy`, `tags`. Left Unknown:
//! `key_material_base64`, `deletion_window_in_days`, `bypass_policy_lockout_safety_check`.

use aws_sdk_kms::types::KeyMetadata;
use futures::FutureExt;

use super::aws_kms_key::{KeyDetails, KeyKind, read_kind, rfc3339};
use super::aws_kms_replica_key::primary_key_arn;
use crate::aws::event::{Event, W};
use crate::aws::{Ctx, FetchResult, Identity, Read, ResourceType};
use crate::model::{Resource, Value};

const TYPES: &[&str] = &["aws_kms_replica_external_key"];

pub static TYPE: ResourceType = ResourceType {
    read: Some(Read { fetch: |ctx| fetch(ctx).boxed(), global: false }),
    // Key ARNs name `aws_kms_key` (`type_of_arn`); events still match this type by `arn`.
    identity: Identity { names: &["key_id"], ..Identity::NONE },
    events: EVENTS,
    part_of_views: &["kms_key"],
    ..ResourceType::base("aws_kms_replica_external_key", "kms")
};

const EVENTS: &[Event] = &[
    Event::create("kms", "ReplicateKey", &["@replicaKeyMetadata.arn", "@replicaKeyMetadata.keyId"])
        .writing(&[W::Param("description", "description"), W::Param("policy", "policy")]),
    Event::modify("kms", "ImportKeyMaterial", &["keyId"]).writing(&[
        W::Const("enabled", true),
        W::Param("expiration_model", "expirationModel"),
        W::Param("valid_to", "validTo"),
    ]),
    Event::modify("kms", "DeleteImportedKeyMaterial", &["keyId"]).writing(&[W::Const("enabled", false)]),
    Event::delete("kms", "ScheduleKeyDeletion", &["keyId", "@keyId"]),
    Event::modify("kms", "CancelKeyDeletion", &["keyId", "@keyId"]),
    Event::modify("kms", "PutKeyPolicy", &["keyId"]).writing(&[W::Param("policy", "policy")]),
    Event::modify("kms", "EnableKey", &["keyId"]).writing(&[W::Const("enabled", true)]),
    Event::modify("kms", "DisableKey", &["keyId"]).writing(&[W::Const("enabled", false)]),
    Event::modify("kms", "UpdateKeyDescription", &["keyId"]).writing(&[W::Param("description", "description")]),
    Event::modify("kms", "TagResource", &["keyId"]).writing(&[W::Tags {
        items: "tags[]",
        key: "tagKey",
        value: "tagValue",
    }]),
    Event::modify("kms", "UntagResource", &["keyId"]).writing(&[W::Untags { items: "tagKeys[]", key: "" }]),
];

async fn fetch(ctx: &Ctx) -> FetchResult {
    read_kind(ctx, KeyKind::ReplicaExternal, TYPES, map).await
}

/// Pure mapping from DescribeKey's `KeyMetadata` and the key's policy and tags.
pub fn map(meta: &KeyMetadata, d: &KeyDetails, region: &str, account: &str) -> Resource {
    let id = meta.key_id();
    let arn = meta.arn().map(str::to_string).unwrap_or_else(|| format!("arn:aws:kms:{region}:{account}:key/{id}"));
    let mut r = Resource::live("aws_kms_replica_external_key", id, region, account, Some(arn.clone()))
        .with("id", id)
        .with("arn", arn)
        .with("key_id", id)
        .with("description", Value::str(meta.description().unwrap_or_default()))
        .with("enabled", meta.enabled())
        .with("key_state", Value::str(meta.key_state().map(|s| s.as_str()).unwrap_or_default()))
        .with("expiration_model", Value::str(meta.expiration_model().map(|m| m.as_str()).unwrap_or_default()))
        .with("valid_to", rfc3339(meta.valid_to()))
        .with("primary_key_arn", primary_key_arn(meta))
        .with("policy", Value::opt_str(d.policy.as_deref()))
        .with("tags", crate::aws::tags::kms(&d.tags));
    if let Some(usage) = meta.key_usage() {
        r.set("key_usage", usage.as_str());
    }
    r
}

#[cfg(test)]
mod tests {
    use super::*;
    use aws_sdk_kms::types::{KeyState, OriginType};
    use serde_json::json;

    #[test]
    fn maps_a_replica_external_key() {
        let meta = crate::aws::kms::aws_kms_replica_key::tests::replica_builder(OriginType::External)
            .key_state(KeyState::PendingImport)
            .enabled(false)
            .build()
            .unwrap();
        let d = KeyDetails { rotation: None, policy: None, tags: vec![] };
        let r = map(&meta, &d, "us-west-2", "1");
        assert_eq!(r.attr_str("key_state"), Some("PendingImport"));
        assert_eq!(r.attr("enabled"), &Value::Bool(false));
        assert_eq!(r.attr_str("primary_key_arn"), Some("arn:aws:kms:us-east-1:1:key/mrk-1"));
        assert_eq!(r.attr_str("valid_to"), Some(""));
    }

    #[test]
    fn importing_material_into_the_replica() {
        let e = crate::aws::event::of("aws_kms_replica_external_key", "kms", "ImportKeyMaterial");
        assert_eq!(e.identifiers(&json!({"keyId": "mrk-1"}), &json!({})), ["mrk-1"]);
    }
}

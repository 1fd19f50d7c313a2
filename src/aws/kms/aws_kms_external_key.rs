//! `aws_kms_external_key`: a key whose material was imported (`Origin = EXTERNAL`, not a
//! replica), from the ListKeys/DescribeKey read shared with `aws_kms_key` (each key is read
//! as exactly one type), plus its policy and tags (one call each).
//!
//! As the provider reads it: `enabled`, `key_state` (`PendingImport` until material is
//! imported), `key_usage`, `multi_region`, `expiration_model` and `valid_to` (RFC 3339;
//! `""` when the material does not expire), `policy`, `tags`.
//! Left Unknown: `key_material_base64` (never readable), `deletion_window_in_days` and
//! `bypass_policy_lockout_safety_check` (write-only).

use aws_sdk_kms::types::KeyMetadata;
use futures::FutureExt;

use super::aws_kms_key::{KeyDetails, KeyKind, read_kind, rfc3339};
use crate::aws::event::{Event, W};
use crate::aws::{Ctx, FetchResult, Identity, Read, ResourceType};
use crate::model::{Resource, Value};

const TYPES: &[&str] = &["aws_kms_external_key"];

pub static TYPE: ResourceType = ResourceType {
    read: Some(Read { fetch: |ctx| fetch(ctx).boxed(), global: false }),
    // Key ARNs name `aws_kms_key` (`type_of_arn`); events still match this type by `arn`.
    identity: Identity::NONE,
    events: EVENTS,
    part_of_views: &["kms_key"],
    ..ResourceType::base("aws_kms_external_key", "kms")
};

/// Key events that touch an imported key (shared with `aws_kms_replica_external_key`).
pub(super) const EVENTS: &[Event] = &[
    Event::create("kms", "CreateKey", &["@keyMetadata.keyId", "@keyMetadata.arn"])
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
    read_kind(ctx, KeyKind::External, TYPES, map).await
}

/// Pure mapping from DescribeKey's `KeyMetadata` and the key's policy and tags.
pub fn map(meta: &KeyMetadata, d: &KeyDetails, region: &str, account: &str) -> Resource {
    let id = meta.key_id();
    let arn = meta.arn().map(str::to_string).unwrap_or_else(|| format!("arn:aws:kms:{region}:{account}:key/{id}"));
    let mut r = Resource::live("aws_kms_external_key", id, region, account, Some(arn.clone()))
        .with("id", id)
        .with("arn", arn)
        .with("description", Value::str(meta.description().unwrap_or_default()))
        .with("enabled", meta.enabled())
        .with("key_state", Value::str(meta.key_state().map(|s| s.as_str()).unwrap_or_default()))
        .with("multi_region", meta.multi_region().unwrap_or(false))
        .with("expiration_model", Value::str(meta.expiration_model().map(|m| m.as_str()).unwrap_or_default()))
        .with("valid_to", rfc3339(meta.valid_to()))
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
    use crate::aws::kms::aws_kms_key::kind;
    use aws_sdk_kms::types::{ExpirationModelType, KeyManagerType, KeyState, OriginType};
    use serde_json::json;

    #[test]
    fn maps_an_external_key() {
        let meta = KeyMetadata::builder()
            .key_id("k-ext")
            .arn("arn:aws:kms:us-east-1:1:key/k-ext")
            .description("reach: external key")
            .enabled(true)
            .key_state(KeyState::Enabled)
            .origin(OriginType::External)
            .key_manager(KeyManagerType::Customer)
            .expiration_model(ExpirationModelType::KeyMaterialExpires)
            .valid_to(aws_smithy_types::DateTime::from_secs(1_921_533_650))
            .build()
            .unwrap();
        assert_eq!(kind(&meta), KeyKind::External);
        let d = KeyDetails { rotation: None, policy: Some("{}".into()), tags: vec![] };
        let r = map(&meta, &d, "us-east-1", "1");
        assert_eq!(r.attr_str("valid_to"), Some("2030-11-21T23:20:50Z"));
        assert_eq!(r.attr_str("expiration_model"), Some("KEY_MATERIAL_EXPIRES"));
        assert_eq!(r.attr_str("key_state"), Some("Enabled"));
        assert_eq!(r.attr("key_material_base64"), &Value::Unknown);
        assert_eq!(r.attr("deletion_window_in_days"), &Value::Unknown);
        let pending = KeyMetadata::builder()
            .key_id("k")
            .origin(OriginType::External)
            .key_state(KeyState::PendingImport)
            .build()
            .unwrap();
        let r = map(&pending, &d, "us-east-1", "1");
        assert_eq!((r.attr_str("valid_to"), r.attr_str("expiration_model")), (Some(""), Some("")));
    }

    #[test]
    fn importing_material() {
        let e = crate::aws::event::of("aws_kms_external_key", "kms", "ImportKeyMaterial");
        let req = json!({"keyId": "k-ext", "expirationModel": "KEY_MATERIAL_DOES_NOT_EXPIRE", "importToken": "HIDDEN_DUE_TO_SECURITY_REASONS"});
        assert_eq!(e.identifiers(&req, &json!({})), ["k-ext"]);
        assert!(e.writes(&req, &json!({})).contains(&crate::aws::Written::Set {
            path: "expiration_model".into(),
            value: "KEY_MATERIAL_DOES_NOT_EXPIRE".into()
        }));
    }
}

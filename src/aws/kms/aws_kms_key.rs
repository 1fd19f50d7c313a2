//! `aws_kms_key`: ListKeys (paginated), then per key, fanned out under the KMS bound:
//! DescribeKey (both shared with `aws_kms_grant`); and for customer-managed keys GetKeyRotationStatus, GetKeyPolicy (policy
//! `default`) and ListResourceTags (paginated), run concurrently. KMS has no bulk
//! describe, so one call per key is unavoidable.
//!
//! Identity: the key id (tfstate `id` = `key_id`).
//!
//! Which keys are emitted, following the provider's own read:
//! - AWS-managed keys (`KeyManager = AWS`) get `aws_default = true` and only the
//!   DescribeKey attributes: they are never judged, so the three extra calls per key are
//!   skipped (policy, tags and rotation stay Unknown).
//! - Keys in `PendingDeletion` / `PendingReplicaDeletion` are *not* emitted. The provider
//!   treats such a key as deleted (its read removes it from state and the next plan
//!   recreates it), so a managed key scheduled for deletion is reported as `missing`, the
//!   drift Terraform itself would show; and an unmanaged one on its way out is not noise.
//! - Each key is read as exactly one type ([`kind`]): keys with imported key material
//!   (`Origin = EXTERNAL`) are `aws_kms_external_key`, Multi-Region replicas are
//!   `aws_kms_replica_key` or, with imported material, `aws_kms_replica_external_key` (the
//!   provider refuses to read either as `aws_kms_key`); none of them is also an unmanaged
//!   `aws_kms_key`. The four types share ListKeys, DescribeKey and the per-key reads.
//! - A key deleted between ListKeys and a later call (`NotFoundException`) is skipped.
//!
//! Attribute notes:
//! - `enable_key_rotation` / `rotation_period_in_days`: the provider only asks for the
//!   rotation status when `Origin = AWS_KMS`; otherwise it stores `false` / `0`, and so do
//!   we. An absent `RotationPeriodInDays` (rotation disabled) is stored as `0`.
//! - `customer_master_key_spec`: the provider reads the deprecated `CustomerMasterKeySpec`
//!   field; AWS fills `KeySpec` with the same value, so we read `KeySpec` and fall back
//!   to the deprecated field.
//! - `key_usage`: left Unknown when DescribeKey omits it (some emulators do) instead of
//!   guessing `ENCRYPT_DECRYPT`.
//! - `policy`: the JSON text as AWS returns it; the diff compares policies as JSON.
//! - `deletion_window_in_days` and `bypass_policy_lockout_safety_check` are write-only
//!   (AWS never reports them): left Unknown.

use aws_sdk_kms::types::{KeyManagerType, KeyMetadata, KeyState, MultiRegionKeyType, OriginType, Tag};
use aws_smithy_runtime_api::client::result::SdkError;
use futures::{FutureExt, StreamExt, TryStreamExt};

use crate::aws::errors::{read_error, service_code};
use crate::aws::event::{Event, W};
use crate::aws::view::*;
use crate::aws::{Ctx, FetchResult, Identity, Read, ResourceType, ViewDef};
use crate::model::{ReadError, Resource, Value, View};
use serde_json::Value as J;

const TYPES: &[&str] = &["aws_kms_key"];

/// KMS names a key by id, ARN or alias as the caller passed it; attribution also reads
/// `resources[].ARN` and, since Dec 2022, `responseElements.keyId`.
pub static TYPE: ResourceType = ResourceType {
    read: Some(Read { fetch: |ctx| fetch(ctx).boxed(), global: false }),
    identity: Identity::arn("kms", "key/", &["key_id"]),
    events: &[
        Event::create("kms", "CreateKey", &["@keyMetadata.keyId", "@keyMetadata.arn"])
            .writing(&[W::Param("description", "description"), W::Param("policy", "policy")]),
        Event::delete("kms", "ScheduleKeyDeletion", &["keyId", "@keyId"])
            .writing(&[W::Param("deletion_window_in_days", "pendingWindowInDays")]),
        Event::modify("kms", "CancelKeyDeletion", &["keyId", "@keyId"]),
        Event::modify("kms", "EnableKeyRotation", &["keyId", "@keyId"]).writing(&[
            W::Const("enable_key_rotation", true),
            W::Param("rotation_period_in_days", "rotationPeriodInDays"),
        ]),
        Event::modify("kms", "DisableKeyRotation", &["keyId", "@keyId"])
            .writing(&[W::Const("enable_key_rotation", false)]),
        Event::modify("kms", "PutKeyPolicy", &["keyId"]).writing(&[W::Param("policy", "policy")]),
        Event::modify("kms", "EnableKey", &["keyId"]).writing(&[W::Const("is_enabled", true)]),
        Event::modify("kms", "DisableKey", &["keyId"]).writing(&[W::Const("is_enabled", false)]),
        Event::modify("kms", "UpdateKeyDescription", &["keyId"]).writing(&[W::Param("description", "description")]),
        Event::modify("kms", "TagResource", &["keyId"]).writing(&[W::Tags {
            items: "tags[]",
            key: "tagKey",
            value: "tagValue",
        }]),
        Event::modify("kms", "UntagResource", &["keyId"]).writing(&[W::Untags { items: "tagKeys[]", key: "" }]),
        // Automatic rotation: an AwsServiceEvent with the key in resources[].
        Event::modify("kms", "RotateKey", &[]),
    ],
    view: Some(&VIEW),
    ..ResourceType::base("aws_kms_key", "kms")
};

pub static VIEW: ViewDef = ViewDef { kind: "kms_key", build: kms_keys };

/// The per-key reads beyond DescribeKey (customer-managed keys only).
#[derive(Debug, Clone, Default)]
pub struct KeyDetails {
    /// `(KeyRotationEnabled, RotationPeriodInDays)`, or None when the rotation status was
    /// not asked for (origin other than `AWS_KMS`, as in the provider).
    pub rotation: Option<(bool, Option<i32>)>,
    /// The `default` key policy document.
    pub policy: Option<String>,
    pub tags: Vec<Tag>,
}

async fn fetch(ctx: &Ctx) -> FetchResult {
    let keys = described(ctx, TYPES).await?.into_iter().filter(|m| kind(m) == KeyKind::Key);
    let found: Vec<Option<Resource>> = futures::stream::iter(keys)
        .map(|meta| read_key(ctx, meta))
        .buffer_unordered(ctx.limit("kms"))
        .try_collect()
        .await?;
    Ok(found.into_iter().flatten().collect())
}

/// Every key of the region that exists as far as Terraform is concerned (see [`exists`]),
/// of every [`kind`], described: ListKeys (paginated) then DescribeKey per key, read once per
/// context and shared by the key types and `aws_kms_grant`.
pub(super) async fn described(ctx: &Ctx, types: &[&str]) -> Result<Vec<KeyMetadata>, ReadError> {
    const SHARED_BY: &[&str] = &[
        "aws_kms_key",
        "aws_kms_external_key",
        "aws_kms_replica_key",
        "aws_kms_replica_external_key",
        "aws_kms_grant",
        "aws_kms_key_policy",
    ];
    let cached = ctx
        .once("kms:DescribeKey", || async {
            let kms = ctx.client::<aws_sdk_kms::Client>();
            let mut ids = Vec::new();
            let mut pages = kms.list_keys().into_paginator().send();
            while let Some(page) = {
                let _p = ctx.permit("kms").await;
                pages.next().await
            } {
                let page = page.map_err(|e| read_error("kms", &ctx.region, SHARED_BY, e))?;
                ids.extend(page.keys().iter().filter_map(|k| k.key_id().map(str::to_string)));
            }
            let kms = &kms;
            let found: Vec<Option<KeyMetadata>> = futures::stream::iter(ids)
                .map(|id| async move {
                    let described = {
                        let _p = ctx.permit("kms").await;
                        kms.describe_key().key_id(&id).send().await
                    };
                    match described {
                        Ok(out) => Ok(out.key_metadata().filter(|m| exists(m)).cloned()),
                        // Deleted since ListKeys.
                        Err(e) if service_code(&e) == Some("NotFoundException") => Ok(None),
                        Err(e) => Err(read_error("kms", &ctx.region, SHARED_BY, e)),
                    }
                })
                .buffer_unordered(ctx.limit("kms"))
                .try_collect()
                .await?;
            Ok(found.into_iter().flatten().collect())
        })
        .await;
    crate::aws::client::for_caller(&cached, types)
}

/// A failed call on one key: Ok(None) when the key no longer exists, else the read error.
pub(super) fn gone_or_err<T, E, R>(ctx: &Ctx, types: &[&str], e: SdkError<E, R>) -> Result<Option<T>, ReadError>
where
    E: aws_sdk_kms::error::ProvideErrorMetadata + std::error::Error + 'static,
    R: std::fmt::Debug + crate::aws::errors::HttpStatus + 'static,
{
    if service_code(&e) == Some("NotFoundException") { Ok(None) } else { Err(read_error("kms", &ctx.region, types, e)) }
}

async fn read_key(ctx: &Ctx, meta: KeyMetadata) -> Result<Option<Resource>, ReadError> {
    if meta.key_manager() == Some(&KeyManagerType::Aws) {
        return Ok(Some(map(&meta, None, &ctx.region, &ctx.account)));
    }
    Ok(details(ctx, &meta, TYPES).await?.map(|d| map(&meta, Some(&d), &ctx.region, &ctx.account)))
}

/// The per-key reads of a customer-managed key, run concurrently: its rotation status (for
/// key material made by KMS only, as in the provider), its `default` policy and its tags.
/// `None` when the key was deleted meanwhile; errors are reported against `types`.
pub(super) async fn details(ctx: &Ctx, meta: &KeyMetadata, types: &[&str]) -> Result<Option<KeyDetails>, ReadError> {
    let kms = ctx.client::<aws_sdk_kms::Client>();
    let id = meta.key_id().to_string();

    let rotation = async {
        if meta.origin() != Some(&OriginType::AwsKms) {
            return Ok(Some(None));
        }
        let _p = ctx.permit("kms").await;
        match kms.get_key_rotation_status().key_id(&id).send().await {
            Ok(out) => Ok(Some(Some((out.key_rotation_enabled(), out.rotation_period_in_days())))),
            // Keys that cannot rotate (asymmetric, HMAC) answer "unsupported": not rotating.
            Err(e) if service_code(&e) == Some("UnsupportedOperationException") => Ok(Some(Some((false, None)))),
            Err(e) => gone_or_err(ctx, types, e),
        }
    };
    let policy = async {
        let _p = ctx.permit("kms").await;
        match kms.get_key_policy().key_id(&id).policy_name("default").send().await {
            Ok(out) => Ok(Some(out.policy().map(str::to_string))),
            Err(e) => gone_or_err(ctx, types, e),
        }
    };
    let tags = async {
        let mut tags = Vec::new();
        let mut pages = kms.list_resource_tags().key_id(&id).into_paginator().send();
        while let Some(page) = {
            let _p = ctx.permit("kms").await;
            pages.next().await
        } {
            match page {
                Ok(p) => tags.extend(p.tags().iter().cloned()),
                Err(e) => return gone_or_err(ctx, types, e),
            }
        }
        Ok(Some(tags))
    };
    let (rotation, policy, tags) = futures::try_join!(rotation, policy, tags)?;
    let (Some(rotation), Some(policy), Some(tags)) = (rotation, policy, tags) else {
        return Ok(None);
    };
    Ok(Some(KeyDetails { rotation, policy, tags }))
}

/// Every key of one kind, each with its per-key reads, mapped by `map` (the external and
/// replica key types; `aws_kms_key` also reads AWS-managed keys, which it maps apart).
pub(super) async fn read_kind(
    ctx: &Ctx,
    want: KeyKind,
    types: &[&str],
    map: fn(&KeyMetadata, &KeyDetails, &str, &str) -> Resource,
) -> FetchResult {
    let keys: Vec<KeyMetadata> = described(ctx, types)
        .await?
        .into_iter()
        .filter(|m| kind(m) == want && m.key_manager() != Some(&KeyManagerType::Aws))
        .collect();
    let found: Vec<Option<Resource>> = futures::stream::iter(keys)
        .map(|meta| async move {
            Ok::<_, ReadError>(details(ctx, &meta, types).await?.map(|d| map(&meta, &d, &ctx.region, &ctx.account)))
        })
        .buffer_unordered(ctx.limit("kms"))
        .try_collect()
        .await?;
    Ok(found.into_iter().flatten().collect())
}

/// A KMS timestamp as the provider stores it: RFC 3339, whole seconds, UTC.
pub(super) fn rfc3339(t: Option<&aws_smithy_types::DateTime>) -> String {
    t.and_then(|t| {
        aws_smithy_types::DateTime::from_secs(t.secs()).fmt(aws_smithy_types::date_time::Format::DateTime).ok()
    })
    .unwrap_or_default()
}

/// Whether a described key exists as far as Terraform is concerned (see the module notes).
pub fn exists(meta: &KeyMetadata) -> bool {
    !matches!(meta.key_state(), Some(KeyState::PendingDeletion | KeyState::PendingReplicaDeletion))
}

/// The Terraform type a key is read as.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum KeyKind {
    /// `aws_kms_key` (key material made by KMS, a CloudHSM or an external key store).
    Key,
    /// `aws_kms_external_key`: key material imported (`Origin = EXTERNAL`).
    External,
    /// `aws_kms_replica_key`: a Multi-Region replica.
    Replica,
    /// `aws_kms_replica_external_key`: a replica of a key with imported material.
    ReplicaExternal,
}

pub fn kind(meta: &KeyMetadata) -> KeyKind {
    let replica =
        meta.multi_region_configuration().and_then(|c| c.multi_region_key_type()) == Some(&MultiRegionKeyType::Replica);
    let external = meta.origin() == Some(&OriginType::External);
    match (replica, external) {
        (false, false) => KeyKind::Key,
        (false, true) => KeyKind::External,
        (true, false) => KeyKind::Replica,
        (true, true) => KeyKind::ReplicaExternal,
    }
}

/// Whether a described key is an `aws_kms_key` that exists as far as Terraform is
/// concerned (see the module notes).
#[cfg(test)]
fn emitted(meta: &KeyMetadata) -> bool {
    exists(meta) && kind(meta) == KeyKind::Key
}

/// Pure mapping from DescribeKey's `KeyMetadata` (plus the per-key reads for
/// customer-managed keys) to provider v5 attributes. `details: None` leaves policy, tags
/// and rotation Unknown.
pub fn map(meta: &KeyMetadata, details: Option<&KeyDetails>, region: &str, account: &str) -> Resource {
    let id = meta.key_id();
    let arn = meta
        .arn()
        .map(str::to_string)
        .unwrap_or_else(|| format!("arn:aws:kms:{region}:{}:key/{id}", meta.aws_account_id().unwrap_or(account)));
    let mut r = Resource::live("aws_kms_key", id, region, account, Some(arn.clone()))
        .with("id", id)
        .with("key_id", id)
        .with("arn", arn)
        .with("description", Value::opt_str(meta.description()))
        .with("is_enabled", meta.enabled())
        .with("multi_region", meta.multi_region().unwrap_or(false))
        .with("custom_key_store_id", Value::opt_str(meta.custom_key_store_id()))
        .with("xks_key_id", Value::opt_str(meta.xks_key_configuration().and_then(|x| x.id())));
    if let Some(usage) = meta.key_usage() {
        r.set("key_usage", usage.as_str());
    }
    #[allow(deprecated)] // the field the provider reads; KeySpec always carries the same value
    let legacy_spec = meta.customer_master_key_spec().map(|s| s.as_str());
    let spec = meta.key_spec().map(|s| s.as_str()).or(legacy_spec);
    if let Some(spec) = spec {
        r.set("customer_master_key_spec", spec);
    }
    if let Some(d) = details {
        let (enabled, period) = d.rotation.unwrap_or((false, None));
        r.set("enable_key_rotation", enabled);
        r.set("rotation_period_in_days", period.unwrap_or(0));
        r.set("policy", Value::opt_str(d.policy.as_deref()));
        r.set("tags", crate::aws::tags::kms(&d.tags));
    }
    r.aws_default = meta.key_manager() == Some(&KeyManagerType::Aws);
    r
}

/// The key types the `kms_key` view is built for: one view per key, whatever its kind.
const KEY_TYPES: &[&str] =
    &["aws_kms_key", "aws_kms_external_key", "aws_kms_replica_key", "aws_kms_replica_external_key"];

fn kms_keys(resources: &[Resource], view: View) -> Vec<JoinedView> {
    let mut keys: Vec<&Resource> = resources.iter().filter(|r| KEY_TYPES.contains(&r.rtype.as_str())).collect();
    let mut index = Index::default();
    for (i, r) in keys.iter().enumerate() {
        index.add(i, r, &["key_id", "arn"]);
    }
    // A key policy on a key the code does not declare (an existing key's id or ARN): judged
    // on the policy; the key's other settings are unknown.
    const KEY_ATTRS: &[&str] = &[
        "arn",
        "tags",
        "key_id",
        "description",
        "customer_master_key_spec",
        "key_usage",
        "custom_key_store_id",
        "enable_key_rotation",
        "rotation_period_in_days",
        "deletion_window_in_days",
        "is_enabled",
        "multi_region",
        "policy",
    ];
    let outside = outside_owners(resources, view, &index, &["aws_kms_key_policy"], "key_id", "aws_kms_key", KEY_ATTRS);
    let declared = keys.len();
    keys.extend(outside.owners.iter());
    let mut policies: Vec<Option<&Resource>> = vec![None; keys.len()];
    for r in resources.iter().filter(|r| r.rtype == "aws_kms_key_policy") {
        if let Some(i) = index.find(r.attributes.get("key_id")).or_else(|| outside.find(r).map(|j| declared + j)) {
            policies[i] = preferred(&[policies[i], Some(r)].into_iter().flatten().collect::<Vec<_>>());
        }
    }
    let mut aliases: Vec<Vec<String>> = vec![Vec::new(); keys.len()];
    for r in resources.iter().filter(|r| r.rtype == "aws_kms_alias") {
        let target = r.attributes.get("target_key_id").or(r.attributes.get("target_key_arn"));
        if let Some(i) = index.find(target) {
            let name = r.attributes.get("name").and_then(Value::as_str).unwrap_or(&r.id);
            aliases[i].push(name.to_string());
        }
    }
    keys.iter()
        .zip(aliases)
        .zip(policies)
        .map(|((r, mut aliases), policy_resource)| {
            let a = |k: &str| attr(r, k, view);
            // The key types name some settings differently; each is read under its own name.
            let (enabled_attr, rotation_attr, spec_attr) = match r.rtype.as_str() {
                "aws_kms_key" => ("is_enabled", "enable_key_rotation", "customer_master_key_spec"),
                "aws_kms_replica_key" => ("enabled", "key_rotation_enabled", "key_spec"),
                _ => ("enabled", "enable_key_rotation", "customer_master_key_spec"),
            };
            // Imported key material never rotates automatically.
            let imported = matches!(r.rtype.as_str(), "aws_kms_external_key" | "aws_kms_replica_external_key");
            let replica = r.rtype.starts_with("aws_kms_replica");
            let mut o = head("kms_key", r, view);
            let key_id = a("key_id").string(None).ok().flatten().unwrap_or_else(|| r.id.clone());
            o.put("key_id", key_id);
            aliases.sort();
            aliases.dedup();
            if let Some(first) = aliases.first() {
                o.put("name", first.as_str());
            }
            o.put("aliases", aliases);
            let _ = o.string("description", a("description"), None);
            if outside_code(r) {
                o.unknown("aws_managed");
            } else {
                o.put("aws_managed", r.aws_default);
            }
            let spec = o.string("customer_master_key_spec", a(spec_attr), Some("SYMMETRIC_DEFAULT"));
            let usage = o.string("key_usage", a("key_usage"), Some("ENCRYPT_DECRYPT"));
            let store = o.string("custom_key_store_id", a("custom_key_store_id"), None);
            // Automatic rotation exists only for customer-managed symmetric encryption keys
            // with key material in KMS (not asymmetric, HMAC, imported, or custom key stores).
            // A key whose usage says signing or MAC is not one, whatever its (omitted) spec says.
            let applicable = match (r.aws_default || imported, spec, store, usage) {
                (true, ..) => Some(false),
                (false, Ok(s), Ok(st), Ok(u)) => Some(
                    s.as_deref() == Some("SYMMETRIC_DEFAULT")
                        && st.is_none()
                        && u.as_deref() == Some("ENCRYPT_DECRYPT"),
                ),
                (false, _, _, Ok(u)) if u.as_deref() != Some("ENCRYPT_DECRYPT") => Some(false),
                _ => None,
            };
            o.opt("rotation_applicable", applicable);
            let rotation = o.bool("enable_key_rotation", a(rotation_attr), false);
            // 0 or unset: AWS's default period, 365 days.
            match a("rotation_period_in_days").int(None) {
                Ok(p) => {
                    let p = p.filter(|p| *p > 0).unwrap_or(365);
                    o.put("rotation_period_in_days", if rotation == Some(false) { J::Null } else { J::from(p) });
                }
                Err(()) => {
                    o.unknown("rotation_period_in_days");
                }
            }
            o.int("deletion_window_in_days", a("deletion_window_in_days"), Some(30));
            o.bool("is_enabled", a(enabled_attr), true);
            o.bool("multi_region", a("multi_region"), replica);
            // `aws_kms_key_policy` replaces the key's own `policy` argument.
            let mut p = Obj::default();
            setting_origin(&mut p, r, policy_resource);
            let f = match policy_resource {
                Some(pr) => attr(pr, "policy", view),
                None => a("policy"),
            };
            match parse_policy(f) {
                Ok(d) => {
                    let public = d.as_ref().map(allows_public).unwrap_or(false);
                    p.put("document", d.unwrap_or(J::Null)).put("public", public);
                }
                Err(()) => {
                    p.unknown("document").unknown("public");
                }
            }
            o.put("policy", p.finish());
            joined("kms_key", r, o)
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use aws_sdk_kms::types::{KeySpec, KeyUsageType, MultiRegionConfiguration};

    use super::*;

    fn customer_key() -> KeyMetadata {
        KeyMetadata::builder()
            .key_id("7ca16f53-e82a-4837-b414-e8f0aaef5f54")
            .arn("arn:aws:kms:us-east-1:123456789012:key/7ca16f53-e82a-4837-b414-e8f0aaef5f54")
            .aws_account_id("123456789012")
            .description("db key")
            .enabled(true)
            .key_usage(KeyUsageType::EncryptDecrypt)
            .key_state(KeyState::Enabled)
            .origin(OriginType::AwsKms)
            .key_manager(KeyManagerType::Customer)
            .key_spec(KeySpec::SymmetricDefault)
            .multi_region(false)
            .build()
            .unwrap()
    }

    #[test]
    fn maps_customer_key() {
        let policy = r#"{"Version":"2012-10-17","Statement":[]}"#;
        let details = KeyDetails {
            rotation: Some((true, Some(365))),
            policy: Some(policy.to_string()),
            tags: vec![Tag::builder().tag_key("Team").tag_value("data").build().unwrap()],
        };
        let r = map(&customer_key(), Some(&details), "us-east-1", "123456789012");
        assert_eq!(r.rtype, "aws_kms_key");
        assert_eq!(r.id, "7ca16f53-e82a-4837-b414-e8f0aaef5f54");
        assert_eq!(r.attr_str("key_id"), Some("7ca16f53-e82a-4837-b414-e8f0aaef5f54"));
        assert_eq!(r.attr_str("description"), Some("db key"));
        assert_eq!(r.attr_str("key_usage"), Some("ENCRYPT_DECRYPT"));
        assert_eq!(r.attr_str("customer_master_key_spec"), Some("SYMMETRIC_DEFAULT"));
        assert_eq!(r.attr("is_enabled"), &Value::Bool(true));
        assert_eq!(r.attr("multi_region"), &Value::Bool(false));
        assert_eq!(r.attr("enable_key_rotation"), &Value::Bool(true));
        assert_eq!(r.attr("rotation_period_in_days"), &Value::int(365));
        assert_eq!(r.attr_str("policy"), Some(policy));
        assert_eq!(r.attr("tags"), &Value::string_map([("Team", "data")]));
        assert_eq!(r.attr("deletion_window_in_days"), &Value::Unknown);
        assert!(!r.aws_default);
    }

    #[test]
    fn non_kms_origin_is_not_rotating() {
        let details = KeyDetails { rotation: None, policy: None, tags: vec![] };
        let r = map(&customer_key(), Some(&details), "us-east-1", "123456789012");
        assert_eq!(r.attr("enable_key_rotation"), &Value::Bool(false));
        assert_eq!(r.attr("rotation_period_in_days"), &Value::int(0));
        assert_eq!(r.attr("tags"), &Value::Map(Default::default()));
    }

    #[test]
    fn aws_managed_key_is_default_and_not_read_further() {
        let meta = KeyMetadata::builder()
            .key_id("k-aws")
            .enabled(true)
            .key_manager(KeyManagerType::Aws)
            .description("Default key that protects my S3 objects when no other key is defined")
            .build()
            .unwrap();
        let r = map(&meta, None, "us-east-1", "123456789012");
        assert!(r.aws_default);
        assert_eq!(r.attr_str("arn"), Some("arn:aws:kms:us-east-1:123456789012:key/k-aws"));
        assert_eq!(r.attr("policy"), &Value::Unknown);
        assert_eq!(r.attr("enable_key_rotation"), &Value::Unknown);
        // No KeyUsage in the answer: Unknown, not a guess.
        assert_eq!(r.attr("key_usage"), &Value::Unknown);
    }

    #[test]
    fn pending_deletion_and_replicas_are_not_emitted() {
        assert!(emitted(&customer_key()));
        let pending = KeyMetadata::builder().key_id("k").key_state(KeyState::PendingDeletion).build().unwrap();
        assert!(!emitted(&pending));
        let replica = KeyMetadata::builder()
            .key_id("mrk-1")
            .multi_region(true)
            .multi_region_configuration(
                MultiRegionConfiguration::builder().multi_region_key_type(MultiRegionKeyType::Replica).build(),
            )
            .build()
            .unwrap();
        assert!(!emitted(&replica));
    }
}

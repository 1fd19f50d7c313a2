//! `aws_kms_grant`: ListGrants (paginated) on every customer-managed key, from the key
//! listing shared with `aws_kms_key` (ListKeys + DescribeKey). AWS-managed keys are skipped:
//! their grants are made by the services that use them.
//!
//! Identity: the provider's import id `key_id:grant_id`, where the key is written as the
//! configuration gave it (key id or ARN). The live read names the key by id; `state_form`
//! joins the two forms on key id + grant id and gives the live `key_id` the state's form.
//! Filled: `id`, `key_id`, `grant_id`, `name` (`""` when unnamed), `grantee_principal`,
//! `retiring_principal` (null when none), `operations` (a set), `constraints` (a set of
//! `{encryption_context_equals, encryption_context_subset}`, `[]` without constraints).
//! Absent: `grant_token` (sensitive, never listed), `grant_creation_tokens` and
//! `retire_on_delete` (request-side only).
//!
//! A grant to an AWS service (a `…amazonaws.com` grantee, or a grantee service principal)
//! is made by that service for its own use (EBS, RDS, Lambda...): it is an AWS default,
//! never unmanaged.

use aws_sdk_kms::types::{GrantConstraints, GrantListEntry, KeyManagerType};
use futures::{FutureExt, StreamExt, TryStreamExt};

use super::aws_kms_key::described;
use crate::aws::errors::{read_error, service_code};
use crate::aws::event::{Event, W};
use crate::aws::state_form::StateForm;
use crate::aws::{Ctx, FetchResult, Identity, Read, ResourceType};
use crate::model::{ReadError, Resource, Value};

const TYPES: &[&str] = &["aws_kms_grant"];

pub static TYPE: ResourceType = ResourceType {
    read: Some(Read { fetch: |ctx| fetch(ctx).boxed(), global: false }),
    identity: Identity { names: &["grant_id"], parent_attr: Some("key_id"), ..Identity::NONE },
    events: &[
        Event::create("kms", "CreateGrant", &["@grantId"]).writing(&[
            W::Param("grantee_principal", "granteePrincipal"),
            W::Param("retiring_principal", "retiringPrincipal"),
            W::Param("name", "name"),
            W::List("operations", "operations[]"),
        ]),
        Event::delete("kms", "RevokeGrant", &["grantId"]),
        Event::delete("kms", "RetireGrant", &["grantId"]),
    ],
    state_form: Some(StateForm { key: grant_key, naming: &["key_id"] }),
    ..ResourceType::base("aws_kms_grant", "kms")
};

/// Key id and grant id, whether the key is written as an id or an ARN.
fn grant_key(r: &Resource) -> Option<String> {
    let key = r.attr_str("key_id")?;
    let key = key.rsplit_once(":key/").map(|(_, id)| id).unwrap_or(key);
    let grant = r.attr_str("grant_id").filter(|g| !g.is_empty())?;
    Some(format!("{key}:{grant}"))
}

async fn fetch(ctx: &Ctx) -> FetchResult {
    let keys: Vec<String> = described(ctx, TYPES)
        .await?
        .into_iter()
        .filter(|m| m.key_manager() == Some(&KeyManagerType::Customer))
        .map(|m| m.key_id().to_string())
        .collect();
    let found: Vec<Vec<Resource>> =
        futures::stream::iter(keys).map(|k| grants_of(ctx, k)).buffer_unordered(ctx.limit("kms")).try_collect().await?;
    Ok(found.into_iter().flatten().collect())
}

async fn grants_of(ctx: &Ctx, key: String) -> Result<Vec<Resource>, ReadError> {
    let kms = ctx.client::<aws_sdk_kms::Client>();
    let mut out = Vec::new();
    let mut pages = kms.list_grants().key_id(&key).into_paginator().send();
    while let Some(page) = {
        let _p = ctx.permit("kms").await;
        pages.next().await
    } {
        match page {
            Ok(p) => out.extend(p.grants().iter().filter_map(|g| map(&key, g, &ctx.region, &ctx.account))),
            // The key was deleted since it was listed: no grants.
            Err(e) if service_code(&e) == Some("NotFoundException") => return Ok(Vec::new()),
            Err(e) => return Err(read_error("kms", &ctx.region, TYPES, e)),
        }
    }
    Ok(out)
}

/// Pure mapping from one grant of key `key` (its key id).
pub fn map(key: &str, g: &GrantListEntry, region: &str, account: &str) -> Option<Resource> {
    let grant_id = g.grant_id()?;
    let grantee = g.grantee_principal().unwrap_or_default();
    let mut operations: Vec<&str> = g.operations().iter().map(|o| o.as_str()).collect();
    operations.sort_unstable();
    let mut r = Resource::live("aws_kms_grant", format!("{key}:{grant_id}"), region, account, None)
        .with("key_id", key)
        .with("grant_id", grant_id)
        .with("name", g.name().unwrap_or_default())
        .with("grantee_principal", grantee)
        .with("retiring_principal", Value::opt_str(g.retiring_principal()))
        .with("operations", Value::string_list(operations))
        .with("constraints", Value::List(g.constraints().map(constraints).into_iter().collect()));
    r.aws_default = grantee.ends_with(".amazonaws.com") || g.grantee_service_principal().is_some();
    Some(r)
}

fn constraints(c: &GrantConstraints) -> Value {
    let map = |m: Option<&std::collections::HashMap<String, String>>| {
        Value::string_map(m.into_iter().flatten().map(|(k, v)| (k.clone(), v.clone())))
    };
    Value::object([
        ("encryption_context_equals", map(c.encryption_context_equals())),
        ("encryption_context_subset", map(c.encryption_context_subset())),
    ])
}

#[cfg(test)]
mod tests {
    use super::*;
    use aws_sdk_kms::types::GrantOperation;

    fn grant() -> GrantListEntry {
        GrantListEntry::builder()
            .key_id("arn:aws:kms:us-east-1:123456789012:key/k-1")
            .grant_id("g-1")
            .name("replication")
            .grantee_principal("arn:aws:iam::123456789012:role/replication")
            .operations(GrantOperation::Encrypt)
            .operations(GrantOperation::Decrypt)
            .constraints(GrantConstraints::builder().encryption_context_equals("Department", "Records").build())
            .build()
    }

    #[test]
    fn maps_a_grant() {
        let r = map("k-1", &grant(), "us-east-1", "123456789012").unwrap();
        assert_eq!(r.id, "k-1:g-1");
        assert_eq!((r.attr_str("key_id"), r.attr_str("grant_id")), (Some("k-1"), Some("g-1")));
        assert_eq!(r.attr("operations"), &Value::string_list(["Decrypt", "Encrypt"]));
        assert_eq!(r.attr("retiring_principal"), &Value::Null);
        assert_eq!(
            r.attr("constraints"),
            &Value::List(vec![Value::object([
                ("encryption_context_equals", Value::string_map([("Department", "Records")])),
                ("encryption_context_subset", Value::Map(Default::default())),
            ])])
        );
        assert!(!r.aws_default);
        assert!(!r.attributes.contains_key("grant_token"));
    }

    #[test]
    fn service_grants_are_defaults() {
        let g = GrantListEntry::builder().grant_id("g").grantee_principal("ec2.us-east-1.amazonaws.com").build();
        assert!(map("k", &g, "us-east-1", "1").unwrap().aws_default);
    }

    #[test]
    fn state_ids_with_a_key_arn_join() {
        use crate::model::Origin;
        let live = map("k-1", &grant(), "us-east-1", "123456789012").unwrap();
        let mut state = live.clone();
        state.id = "arn:aws:kms:us-east-1:123456789012:key/k-1:g-1".into();
        state.address = Some("aws_kms_grant.x".into());
        state.origin = Origin::State { file: "t".into(), index: 0 };
        state.set("key_id", "arn:aws:kms:us-east-1:123456789012:key/k-1");
        assert_eq!(grant_key(&state), grant_key(&live));
        let mut lives = vec![live];
        crate::aws::state_form::align(std::slice::from_ref(&state), &mut lives);
        assert_eq!(lives[0].id, state.id);
        assert_eq!(lives[0].attr_str("key_id"), state.attr_str("key_id"));
    }

    #[test]
    fn revoke_names_the_grant() {
        use crate::aws::event::of;
        use serde_json::json;
        let e = of("aws_kms_grant", "kms", "RevokeGrant");
        assert_eq!(e.identifiers(&json!({"keyId": "k-1", "grantId": "g-1"}), &json!(null)), ["g-1"]);
        let c = of("aws_kms_grant", "kms", "CreateGrant");
        assert_eq!(c.identifiers(&json!({"keyId": "k-1"}), &json!({"grantId": "g-2", "grantToken": "t"})), ["g-2"]);
    }
}

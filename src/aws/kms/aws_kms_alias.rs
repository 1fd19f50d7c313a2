//! `aws_kms_alias`: ListAliases, paginated (one call per page for every alias in the
//! region).
//!
//! Identity: the alias name (`alias/...`; tfstate `id` = `name`).
//!
//! `target_key_id`: the provider stores the API's `TargetKeyId` (a key *id*) even when the
//! configuration gave the key's ARN (verified against provider 5.100.0: an alias created
//! with `target_key_id = aws_kms_key.x.arn` has the bare id in state), so the raw API value
//! compares directly.
//!
//! `aws_default`: aliases named `alias/aws/*` are created by AWS services, and aliases
//! without a target key are AWS-reserved names not yet in use (ListAliases returns them
//! too); neither is ever user-managed.
//!
//! Not filled: `name_prefix` (write-side convenience). `target_key_arn` (computed-only) is
//! filled when the target is known, for display.

use aws_sdk_kms::types::AliasListEntry;
use futures::FutureExt;

use crate::aws::errors::read_error;
use crate::aws::event::{Event, W};
use crate::aws::{Arn, Ctx, FetchResult, Identity, Read, ResourceType};
use crate::model::{Resource, Value};

const TYPES: &[&str] = &["aws_kms_alias"];

pub static TYPE: ResourceType = ResourceType {
    read: Some(Read { fetch: |ctx| fetch(ctx).boxed(), global: false }),
    identity: Identity {
        arn: Some(Arn { service: "kms", prefix: "alias/", id_keeps_prefix: true }),
        names: &["name"],
        ..Identity::NONE
    },
    events: &[
        Event::create("kms", "CreateAlias", &["aliasName"]).writing(&[W::Param("target_key_id", "targetKeyId")]),
        Event::modify("kms", "UpdateAlias", &["aliasName"]).writing(&[W::Param("target_key_id", "targetKeyId")]),
        Event::delete("kms", "DeleteAlias", &["aliasName"]),
    ],
    part_of_views: &["kms_key"],
    ..ResourceType::base("aws_kms_alias", "kms")
};

async fn fetch(ctx: &Ctx) -> FetchResult {
    let kms = ctx.client::<aws_sdk_kms::Client>();
    let mut out = Vec::new();
    let mut pages = kms.list_aliases().into_paginator().send();
    while let Some(page) = {
        let _p = ctx.permit("kms").await;
        pages.next().await
    } {
        let page = page.map_err(|e| read_error("kms", &ctx.region, TYPES, e))?;
        out.extend(page.aliases().iter().map(|a| map(a, &ctx.region, &ctx.account)));
    }
    Ok(out)
}

/// Pure mapping from the SDK's `AliasListEntry` to provider v5 attributes.
pub fn map(a: &AliasListEntry, region: &str, account: &str) -> Resource {
    let name = a.alias_name().unwrap_or_default();
    let arn = a.alias_arn().map(str::to_string).unwrap_or_else(|| format!("arn:aws:kms:{region}:{account}:{name}"));
    let target = a.target_key_id();
    // The alias ARN's account, not the caller's, owns the key.
    let key_account = arn.split(':').nth(4).filter(|s| !s.is_empty()).unwrap_or(account);
    let mut r = Resource::live("aws_kms_alias", name, region, account, Some(arn.clone()))
        .with("id", name)
        .with("arn", arn.clone())
        .with("name", name)
        .with("target_key_id", Value::opt_str(target))
        .with("target_key_arn", Value::opt_str(target.map(|k| format!("arn:aws:kms:{region}:{key_account}:key/{k}"))));
    r.aws_default = name.starts_with("alias/aws/") || target.is_none();
    r
}

#[cfg(test)]
mod tests {
    use super::*;

    fn alias(name: &str, target: Option<&str>) -> AliasListEntry {
        AliasListEntry::builder()
            .alias_name(name)
            .alias_arn(format!("arn:aws:kms:us-east-1:123456789012:{name}"))
            .set_target_key_id(target.map(str::to_string))
            .build()
    }

    #[test]
    fn maps_customer_alias() {
        let r = map(&alias("alias/db-key", Some("7ca16f53-e82a-4837-b414-e8f0aaef5f54")), "us-east-1", "123456789012");
        assert_eq!(r.rtype, "aws_kms_alias");
        assert_eq!(r.id, "alias/db-key");
        assert_eq!(r.attr_str("name"), Some("alias/db-key"));
        assert_eq!(r.attr_str("arn"), Some("arn:aws:kms:us-east-1:123456789012:alias/db-key"));
        assert_eq!(r.attr_str("target_key_id"), Some("7ca16f53-e82a-4837-b414-e8f0aaef5f54"));
        assert_eq!(
            r.attr_str("target_key_arn"),
            Some("arn:aws:kms:us-east-1:123456789012:key/7ca16f53-e82a-4837-b414-e8f0aaef5f54")
        );
        assert!(!r.aws_default);
    }

    #[test]
    fn aws_aliases_are_defaults() {
        assert!(map(&alias("alias/aws/s3", Some("k1")), "us-east-1", "123456789012").aws_default);
        let reserved = map(&alias("alias/aws/dynamodb", None), "us-east-1", "123456789012");
        assert!(reserved.aws_default);
        assert_eq!(reserved.attr("target_key_id"), &Value::Null);
        // A customer alias name without a target is an AWS-reserved one as well.
        assert!(map(&alias("alias/orphan", None), "us-east-1", "123456789012").aws_default);
    }
}

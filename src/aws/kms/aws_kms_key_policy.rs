//! `aws_kms_key_policy`: the `default` policy of a key, read (GetKeyPolicy) for the keys the
//! scanned states give an `aws_kms_key_policy`; part of its key's view.
//!
//! Every customer-managed key has a policy, so a policy resource exists only where Terraform
//! manages one: the read asks for those keys alone and never reports one unmanaged. The
//! provider's id is the `key_id` the code gave (a key id or ARN) while `key_id` is refreshed to
//! the bare key id: live keeps the state's id and answers the bare id.
//!
//! Filled: `id`, `key_id`, `policy` (as KMS returns it; the diff compares policies as JSON).
//! Left Unknown: `bypass_policy_lockout_safety_check` (a request flag, never returned).

use futures::{FutureExt, StreamExt, TryStreamExt};

use super::aws_kms_key::{described, gone_or_err};
use crate::aws::event::{Event, W};
use crate::aws::{Ctx, FetchResult, Identity, Read, ResourceType};
use crate::model::{ReadError, Resource, Value};

const TYPES: &[&str] = &["aws_kms_key_policy"];

pub static TYPE: ResourceType = ResourceType {
    read: Some(Read { fetch: |ctx| fetch(ctx).boxed(), global: false }),
    // Named by its key's id in events; the key's ARN names the key, not its policy.
    identity: Identity { names: &["key_id"], ..Identity::NONE },
    parent: Some("aws_kms_key"),
    events: &[Event::modify("kms", "PutKeyPolicy", &["keyId"]).writing(&[W::Param("policy", "policy")])],
    part_of_views: &["kms_key"],
    ..ResourceType::base("aws_kms_key_policy", "kms")
};

async fn fetch(ctx: &Ctx) -> FetchResult {
    // (state id, the key it names) for the policies recorded in this region.
    let wanted: Vec<(String, String)> = ctx
        .state_resources("aws_kms_key_policy")
        .filter(|r| r.region.as_deref().is_none_or(|g| g.is_empty() || g == ctx.region))
        .map(|r| (r.id.clone(), r.attr_str("key_id").unwrap_or(&r.id).to_string()))
        .collect();
    if wanted.is_empty() {
        return Ok(Vec::new());
    }
    let keys = described(ctx, TYPES).await?;
    let found: Vec<(String, String)> = wanted
        .into_iter()
        .filter_map(|(id, named)| {
            let meta = keys.iter().find(|m| m.key_id() == named || m.arn() == Some(named.as_str()))?;
            Some((id, meta.key_id().to_string()))
        })
        .collect();
    let kms = ctx.client::<aws_sdk_kms::Client>();
    let kms = &kms;
    let read: Vec<Option<Resource>> = futures::stream::iter(found)
        .map(|(id, key_id)| async move {
            let answer = {
                let _p = ctx.permit("kms").await;
                kms.get_key_policy().key_id(&key_id).policy_name("default").send().await
            };
            match answer {
                Ok(out) => Ok::<_, ReadError>(Some(map(&id, &key_id, out.policy(), &ctx.region, &ctx.account))),
                Err(e) => gone_or_err(ctx, TYPES, e),
            }
        })
        .buffer_unordered(ctx.limit("kms"))
        .try_collect()
        .await?;
    Ok(read.into_iter().flatten().collect())
}

/// Pure mapping: the state's id, the key's bare id and its `default` policy.
pub fn map(id: &str, key_id: &str, policy: Option<&str>, region: &str, account: &str) -> Resource {
    Resource::live("aws_kms_key_policy", id, region, account, None)
        .with("id", id)
        .with("key_id", key_id)
        .with("policy", Value::opt_str(policy))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn keeps_the_state_id_and_answers_the_bare_key_id() {
        let arn = "arn:aws:kms:us-east-1:123456789012:key/1234abcd-12ab-34cd-56ef-1234567890ab";
        let r =
            map(arn, "1234abcd-12ab-34cd-56ef-1234567890ab", Some("{\"Version\":\"2012-10-17\"}"), "us-east-1", "1");
        assert_eq!(r.id, arn);
        assert_eq!(r.attr_str("key_id"), Some("1234abcd-12ab-34cd-56ef-1234567890ab"));
        assert_eq!(r.attr_str("policy"), Some("{\"Version\":\"2012-10-17\"}"));
        assert!(r.attributes.get("bypass_policy_lockout_safety_check").is_none());
    }

    #[test]
    fn put_key_policy_names_the_key_and_writes_the_policy() {
        let e = crate::aws::event::of("aws_kms_key_policy", "kms", "PutKeyPolicy");
        let req = serde_json::json!({"keyId": "1234abcd", "policyName": "default", "policy": "{}"});
        assert_eq!(e.identifiers(&req, &serde_json::Value::Null), vec!["1234abcd".to_string()]);
    }
}

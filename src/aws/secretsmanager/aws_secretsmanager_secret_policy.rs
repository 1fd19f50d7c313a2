//! `aws_secretsmanager_secret_policy`: the GetResourcePolicy reads shared with
//! `aws_secretsmanager_secret`; one per secret that has a resource policy.
//!
//! Identity: the secret ARN (tfstate `id` = `secret_arn`). Filled: `secret_arn`, `policy`
//! (compared as a policy). `block_public_policy` is request only (a check PutResourcePolicy
//! makes, never stored): left Unknown. A part of its secret: a policy put by hand on a managed
//! secret is drift on the secret's `policy`, never an unmanaged resource. When the state holds
//! this resource, the secret's own `policy` copy is judged here (`policy_resource_copies`).

use futures::FutureExt;

use super::aws_secretsmanager_secret::request_policy;
use super::policies;
use crate::aws::event::{Event, W, Written};
use crate::aws::{Ctx, FetchResult, Identity, Read, ResourceType};
use crate::model::Resource;

const TYPES: &[&str] = &["aws_secretsmanager_secret_policy"];

pub static TYPE: ResourceType = ResourceType {
    read: Some(Read { fetch: |ctx| fetch(ctx).boxed(), global: false }),
    identity: Identity { names: &["secret_arn"], parent_attr: Some("secret_arn"), ..Identity::NONE },
    parent: Some("aws_secretsmanager_secret"),
    events: &[
        Event::modify("secretsmanager", "PutResourcePolicy", &["secretId"])
            .writing(&[W::Custom(|req, _, out| {
                if let Some(v) = request_policy(req) {
                    out.push(Written::Set { path: "policy".into(), value: v });
                }
            })])
            .via_parent(),
        Event::delete("secretsmanager", "DeleteResourcePolicy", &["secretId"]).via_parent(),
    ],
    ..ResourceType::base("aws_secretsmanager_secret_policy", "secretsmanager")
};

async fn fetch(ctx: &Ctx) -> FetchResult {
    Ok(policies(ctx, TYPES)
        .await?
        .iter()
        .filter_map(|(arn, policy)| map(arn, policy.as_deref()?, &ctx.region, &ctx.account))
        .collect())
}

/// Pure mapping from a secret ARN and its (non-empty) resource policy.
pub fn map(secret_arn: &str, policy: &str, region: &str, account: &str) -> Option<Resource> {
    Some(
        Resource::live("aws_secretsmanager_secret_policy", secret_arn, region, account, None)
            .with("id", secret_arn)
            .with("secret_arn", secret_arn)
            .with("policy", policy),
    )
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::Value;
    use serde_json::json;

    #[test]
    fn maps_a_policy_and_its_events() {
        let arn = "arn:aws:secretsmanager:us-east-1:123456789012:secret:data/db-AbCdEf";
        let r = map(arn, r#"{"Statement":[]}"#, "us-east-1", "1").unwrap();
        assert_eq!((r.id.as_str(), r.attr_str("secret_arn")), (arn, Some(arn)));
        assert_eq!(r.attr("block_public_policy"), &Value::Unknown);
        let e = crate::aws::event::of("aws_secretsmanager_secret_policy", "secretsmanager", "PutResourcePolicy");
        let req = json!({"secretId": arn, "resourcePolicy": "{\"Statement\":[]}", "blockPublicPolicy": true});
        assert_eq!(e.identifiers(&req, &json!(null)), [arn]);
        assert_eq!(
            e.writes(&req, &json!(null)),
            [Written::Set { path: "policy".into(), value: "{\"Statement\":[]}".into() }]
        );
    }
}

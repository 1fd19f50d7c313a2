//! `aws_secretsmanager_secret`: the ListSecrets listing and the GetResourcePolicy reads
//! shared with the rotation and policy types. The secret value is never read.
//!
//! Identity: the secret ARN (tfstate `id` = `arn`); events name a secret by ARN or name.
//! Filled: `id`, `arn`, `name`, `description` (`""` when none), `kms_key_id` (as AWS returns
//! it; null for the AWS-managed key), `policy` (`""` without one; compared as a policy), `tags`.
//!
//! Left Unknown, and why:
//! - `recovery_window_in_days` is write-only: it is the waiting period DeleteSecret is given
//!   when Terraform destroys the secret, never a setting AWS stores or returns. Plumb never
//!   reports it; a secret scheduled for deletion out of band is not listed and so reads as
//!   `missing` (the provider drops it from state likewise).
//! - `force_overwrite_replica_secret` (request only), `name_prefix` (derived at creation).
//! - `replica`: ListSecrets does not return the replication status; reading it would cost a
//!   DescribeSecret per secret. A replica secret (listed in its replica region with another
//!   primary region) belongs to its primary's `replica` block: an AWS default there, never
//!   unmanaged.
//!
//! Secrets another service owns (`OwningService`: RDS master passwords, AppFlow...) are made
//! by that service: AWS defaults, never unmanaged.

use std::collections::BTreeMap;

use aws_sdk_secretsmanager::types::SecretListEntry;
use futures::FutureExt;
use serde_json::Value as Json;

use super::{policies, secrets, tags};
use crate::aws::event::{Event, W, Written, first};
use crate::aws::{Ctx, FetchResult, Identity, Read, ResourceType};
use crate::model::{Resource, Value};

const TYPES: &[&str] = &["aws_secretsmanager_secret"];

pub(crate) const TAG: Event = Event::modify("secretsmanager", "TagResource", &["secretId"]).writing(&[W::Tags {
    items: "tags[]",
    key: "key",
    value: "value",
}]);
pub(crate) const UNTAG: Event = Event::modify("secretsmanager", "UntagResource", &["secretId"])
    .writing(&[W::Untags { items: "tagKeys[]", key: "" }]);

pub static TYPE: ResourceType = ResourceType {
    read: Some(Read { fetch: |ctx| fetch(ctx).boxed(), global: false }),
    identity: Identity::arn("secretsmanager", "secret:", &["arn", "name"]),
    events: &[
        Event::create("secretsmanager", "CreateSecret", &["name", "@arn"]).writing(&[
            W::Param("description", "description"),
            W::Param("kms_key_id", "kmsKeyId"),
            W::Tags { items: "tags[]", key: "key", value: "value" },
        ]),
        Event::modify("secretsmanager", "UpdateSecret", &["secretId"])
            .writing(&[W::Param("description", "description"), W::Param("kms_key_id", "kmsKeyId")]),
        Event::delete("secretsmanager", "DeleteSecret", &["secretId"]),
        Event::modify("secretsmanager", "RestoreSecret", &["secretId"]),
        Event::modify("secretsmanager", "PutResourcePolicy", &["secretId"])
            .writing(&[W::Param("policy", "resourcePolicy")]),
        Event::modify("secretsmanager", "DeleteResourcePolicy", &["secretId"])
            .writing(&[W::Custom(|_, _, out| out.push(Written::Set { path: "policy".into(), value: "".into() }))]),
        Event::modify("secretsmanager", "ReplicateSecretToRegions", &["secretId"]).writing(&[W::Touch("replica")]),
        Event::modify("secretsmanager", "RemoveRegionsFromReplication", &["secretId"]).writing(&[W::Touch("replica")]),
        // The value changes (never read): a person did something to the secret.
        Event::modify("secretsmanager", "PutSecretValue", &["secretId"]),
        TAG,
        UNTAG,
    ],
    ..ResourceType::base("aws_secretsmanager_secret", "secretsmanager")
};

async fn fetch(ctx: &Ctx) -> FetchResult {
    let listed = secrets(ctx, TYPES).await?;
    if listed.is_empty() {
        return Ok(Vec::new());
    }
    let policies: BTreeMap<String, Option<String>> = policies(ctx, TYPES).await?.into_iter().collect();
    Ok(listed
        .iter()
        .filter_map(|s| {
            // Gone since it was listed: no policy answer.
            let policy = policies.get(s.arn()?)?;
            map(s, Some(policy.as_deref()), &ctx.region, &ctx.account)
        })
        .collect())
}

/// Pure mapping from a listed secret and its resource policy (`None`: not read; `Some(None)`:
/// none). `None` for an entry without an ARN.
pub fn map(s: &SecretListEntry, policy: Option<Option<&str>>, region: &str, account: &str) -> Option<Resource> {
    let arn = s.arn()?;
    let mut r = Resource::live("aws_secretsmanager_secret", arn, region, account, Some(arn.to_string()))
        .with("id", arn)
        .with("arn", arn)
        .with("name", Value::opt_str(s.name()))
        .with("description", s.description().unwrap_or_default())
        .with("kms_key_id", Value::opt_str(s.kms_key_id()))
        .with("tags", tags(s.tags()));
    if let Some(p) = policy {
        r.set("policy", p.unwrap_or_default());
    }
    let replica = s.primary_region().is_some_and(|p| p != region);
    r.aws_default = replica || s.owning_service().is_some_and(|o| !o.is_empty());
    Some(r)
}

/// `policy` of a request as written (the document), for events of the policy type too.
pub(crate) fn request_policy(req: &Json) -> Option<Value> {
    first(req, "resourcePolicy").map(crate::aws::event::value)
}

#[cfg(test)]
mod tests {
    use super::*;
    use aws_sdk_secretsmanager::types::Tag;
    use serde_json::json;

    const ARN: &str = "arn:aws:secretsmanager:us-east-1:123456789012:secret:data/db-AbCdEf";

    fn entry() -> SecretListEntry {
        SecretListEntry::builder()
            .arn(ARN)
            .name("data/db")
            .description("db credentials")
            .kms_key_id("arn:aws:kms:us-east-1:123456789012:key/k-1")
            .tags(Tag::builder().key("Name").value("db").build())
            .tags(Tag::builder().key("aws:cloudformation:stack-name").value("x").build())
            .build()
    }

    #[test]
    fn maps_a_secret_never_its_value() {
        let doc = r#"{"Version":"2012-10-17","Statement":[]}"#;
        let r = map(&entry(), Some(Some(doc)), "us-east-1", "123456789012").unwrap();
        assert_eq!(r.id, ARN);
        assert_eq!(r.attr_str("name"), Some("data/db"));
        assert_eq!(r.attr_str("kms_key_id"), Some("arn:aws:kms:us-east-1:123456789012:key/k-1"));
        assert_eq!(r.attr_str("policy"), Some(doc));
        assert_eq!(r.attr("tags"), &Value::string_map([("Name", "db")]));
        for unread in ["recovery_window_in_days", "force_overwrite_replica_secret", "name_prefix", "replica"] {
            assert_eq!(r.attr(unread), &Value::Unknown, "{unread}");
        }
        assert!(!r.aws_default);
        let none = map(&entry(), Some(None), "us-east-1", "1").unwrap();
        assert_eq!(none.attr_str("policy"), Some(""));
        assert_eq!(map(&entry(), None, "us-east-1", "1").unwrap().attr("policy"), &Value::Unknown);
    }

    #[test]
    fn service_owned_secrets_and_replicas_are_defaults() {
        let rds = SecretListEntry::builder().arn(ARN).owning_service("rds").build();
        assert!(map(&rds, None, "us-east-1", "1").unwrap().aws_default);
        let replica = SecretListEntry::builder().arn(ARN).primary_region("eu-west-1").build();
        assert!(map(&replica, None, "us-east-1", "1").unwrap().aws_default);
        let primary = SecretListEntry::builder().arn(ARN).primary_region("us-east-1").build();
        assert!(!map(&primary, None, "us-east-1", "1").unwrap().aws_default);
    }

    #[test]
    fn events_name_the_secret_by_arn_or_name() {
        use crate::aws::event::of;
        let e = of("aws_secretsmanager_secret", "secretsmanager", "UpdateSecret");
        let req = json!({"secretId": "data/db", "kmsKeyId": "alias/other"});
        assert_eq!(e.identifiers(&req, &json!(null)), ["data/db"]);
        assert_eq!(
            e.writes(&req, &json!(null)),
            [Written::Set { path: "kms_key_id".into(), value: "alias/other".into() }]
        );
        let c = of("aws_secretsmanager_secret", "secretsmanager", "CreateSecret");
        let req = json!({"name": "data/db", "secretString": "HIDDEN_DUE_TO_SECURITY_REASONS"});
        assert_eq!(c.identifiers(&req, &json!({"arn": ARN, "name": "data/db"})), ["data/db", ARN]);
        let t = of("aws_secretsmanager_secret", "secretsmanager", "TagResource");
        let req = json!({"secretId": ARN, "tags": [{"key": "Owner", "value": "data"}]});
        assert_eq!(t.writes(&req, &json!(null)), [Written::Set { path: "tags.Owner".into(), value: "data".into() }]);
        let p = of("aws_secretsmanager_secret", "secretsmanager", "DeleteResourcePolicy");
        assert_eq!(
            p.writes(&json!({"secretId": ARN}), &json!(null)),
            [Written::Set { path: "policy".into(), value: "".into() }]
        );
    }
}

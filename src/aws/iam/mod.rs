//! IAM: roles, users and groups with their inline policies and attachments, customer-managed
//! policies, instance profiles, OIDC providers, access keys, console logins and the account
//! password policy.
//!
//! IAM is global: every type here is read once per account (`global: true`, in the first
//! scanned region), its names are account-wide (`global_names`), and CloudTrail records its
//! events in us-east-1 with `eventSource` `iam.amazonaws.com`.
//!
//! Reads are bulk where IAM allows it: one paginated GetAccountAuthorizationDetails (roles,
//! users, groups and customer-managed policies, each with its inline policies and attached
//! managed policies) feeds twelve types ([`authorization`]). What it leaves out costs one
//! more listing (ListRoles: a role's description and maximum session duration;
//! ListInstanceProfiles; ListOpenIDConnectProviders) or one call per entity where IAM has
//! nothing else (ListAccessKeys per user, ListPolicyTags per customer policy,
//! GetOpenIDConnectProvider per provider). The account's facts (GetAccountSummary, the
//! credential report) are read once and shared by the access keys and the console logins.
//!
//! Policy documents come URL-encoded from IAM; [`policy_document`] decodes them as the
//! provider does (`url.QueryUnescape`) and the `policy_json` normaliser compares them as
//! policies.

mod aws_iam_access_key;
mod aws_iam_account_alias;
mod aws_iam_account_password_policy;
mod aws_iam_group;
mod aws_iam_group_membership;
mod aws_iam_group_policy;
mod aws_iam_group_policy_attachment;
mod aws_iam_instance_profile;
mod aws_iam_openid_connect_provider;
mod aws_iam_policy;
mod aws_iam_policy_attachment;
mod aws_iam_role;
mod aws_iam_role_policy;
mod aws_iam_role_policy_attachment;
mod aws_iam_user;
mod aws_iam_user_login_profile;
mod aws_iam_user_policy;
mod aws_iam_user_policy_attachment;

use std::collections::BTreeMap;
use std::sync::Arc;

use aws_sdk_iam::types::{EntityType, GroupDetail, ManagedPolicyDetail, RoleDetail, SummaryKeyType, UserDetail};
use serde_json::Value as Json;

use super::errors::read_error;
use super::event::{self, W, Written, first};
use super::{Ctx, Identity, Service};
use crate::model::policy::{canonical, decode};
use crate::model::{ReadError, Resource, Value};

crate::sdk_client!(aws_sdk_iam);

pub static SERVICE: Service = Service {
    name: "iam",
    concurrency: 4,
    types: &[
        &aws_iam_role::TYPE,
        &aws_iam_role_policy::TYPE,
        &aws_iam_role_policy_attachment::TYPE,
        &aws_iam_policy::TYPE,
        &aws_iam_instance_profile::TYPE,
        &aws_iam_openid_connect_provider::TYPE,
        &aws_iam_user::TYPE,
        &aws_iam_group::TYPE,
        &aws_iam_group_membership::TYPE,
        &aws_iam_user_policy::TYPE,
        &aws_iam_group_policy::TYPE,
        &aws_iam_policy_attachment::TYPE,
        &aws_iam_user_policy_attachment::TYPE,
        &aws_iam_group_policy_attachment::TYPE,
        &aws_iam_access_key::TYPE,
        &aws_iam_user_login_profile::TYPE,
        &aws_iam_account_alias::TYPE,
        &aws_iam_account_password_policy::TYPE,
    ],
};

/// An IAM identity: account-wide names, so events in any region (us-east-1 in practice) act
/// on it.
pub(crate) const fn identity(prefix: &'static str, names: &'static [&'static str]) -> Identity {
    Identity { global_names: true, ..Identity::arn("iam", prefix, names) }
}

/// An IAM part named by its owner (`role`, `user`, `group`) and an id built from the request.
pub(crate) const fn part_identity(owner_attr: &'static str) -> Identity {
    Identity { global_names: true, parent_attr: Some(owner_attr), ..Identity::NONE }
}

/// The types read from GetAccountAuthorizationDetails: a failed read makes all of them
/// incomplete.
const AUTHORIZATION_TYPES: &[&str] = &[
    "aws_iam_role",
    "aws_iam_role_policy",
    "aws_iam_role_policy_attachment",
    "aws_iam_policy",
    "aws_iam_user",
    "aws_iam_group",
    "aws_iam_group_membership",
    "aws_iam_user_policy",
    "aws_iam_group_policy",
    "aws_iam_user_policy_attachment",
    "aws_iam_group_policy_attachment",
    "aws_iam_access_key",
];

/// What GetAccountAuthorizationDetails answers for roles, users, groups and customer-managed
/// policies (AWS-managed policies are not asked for: AWS owns them and there are over a
/// thousand).
#[derive(Debug, Default)]
pub struct Authorization {
    pub roles: Vec<RoleDetail>,
    pub users: Vec<UserDetail>,
    pub groups: Vec<GroupDetail>,
    pub policies: Vec<ManagedPolicyDetail>,
}

/// The account's roles, users, groups and customer-managed policies, read once per scan.
pub async fn authorization(ctx: &Ctx) -> Result<Arc<Authorization>, ReadError> {
    ctx.once("iam:GetAccountAuthorizationDetails", || read_authorization(ctx)).await
}

async fn read_authorization(ctx: &Ctx) -> Result<Arc<Authorization>, ReadError> {
    let iam = ctx.client::<aws_sdk_iam::Client>();
    let mut out = Authorization::default();
    let mut pages = iam
        .get_account_authorization_details()
        .filter(EntityType::Role)
        .filter(EntityType::User)
        .filter(EntityType::Group)
        .filter(EntityType::LocalManagedPolicy)
        .into_paginator()
        .send();
    while let Some(page) = {
        let _p = ctx.permit("iam").await;
        pages.next().await
    } {
        let page = page.map_err(|e| read_error("iam", &ctx.region, AUTHORIZATION_TYPES, e))?;
        out.roles.extend(page.role_detail_list().iter().cloned());
        out.users.extend(page.user_detail_list().iter().cloned());
        out.groups.extend(page.group_detail_list().iter().cloned());
        out.policies.extend(page.policies().iter().cloned());
    }
    Ok(Arc::new(out))
}

/// GetAccountSummary's map (`AccountMFAEnabled`, `AccountAccessKeysPresent`...), read once
/// per scan.
pub async fn account_summary(ctx: &Ctx, types: &[&str]) -> Result<Arc<BTreeMap<String, i32>>, ReadError> {
    let cached = ctx
        .once("iam:GetAccountSummary", || async {
            let iam = ctx.client::<aws_sdk_iam::Client>();
            let _p = ctx.permit("iam").await;
            match iam.get_account_summary().send().await {
                Ok(out) => {
                    let map =
                        out.summary_map().into_iter().flatten().map(|(k, v)| (k.as_str().to_string(), *v)).collect();
                    Ok(Arc::new(map))
                }
                Err(e) => Err(read_error("iam", &ctx.region, &[], e)),
            }
        })
        .await;
    cached.map_err(|e| ReadError { affected_types: types.iter().map(|t| t.to_string()).collect(), ..e })
}

/// A GetAccountSummary entry (`AccountMFAEnabled`).
pub fn summary_value(summary: &BTreeMap<String, i32>, key: SummaryKeyType) -> Option<i32> {
    summary.get(key.as_str()).copied()
}

/// The account id and partition of an IAM ARN: `arn:PARTITION:iam::ACCOUNT:...`.
fn arn_account(arn: &str) -> Option<&str> {
    arn.split(':').nth(4)
}

/// A policy ARN of AWS's own (`arn:aws:iam::aws:policy/...`).
pub fn aws_managed_policy(arn: &str) -> bool {
    arn_account(arn) == Some("aws")
}

/// Roles AWS creates and owns: service-linked roles (`/aws-service-role/`) and the roles IAM
/// Identity Center provisions for permission sets (`/aws-reserved/`).
pub fn aws_owned_path(path: &str) -> bool {
    path.starts_with("/aws-service-role/") || path.starts_with("/aws-reserved/")
}

/// A policy document as IAM returns it (URL-encoded, RFC 3986), decoded the way the
/// provider decodes it (`url.QueryUnescape`). A document that is already JSON (some
/// emulators do not encode) is returned as is; one that does not decode is returned as
/// read, so that it compares as text rather than vanishing.
pub fn policy_document(doc: &str) -> String {
    if doc.trim_start().starts_with('{') {
        return doc.to_string();
    }
    decode(doc).unwrap_or_else(|| doc.to_string())
}

/// IAM tags as the provider's `tags` map (AWS's own `aws:` keys hidden, as the provider does).
pub fn tags(tags: &[aws_sdk_iam::types::Tag]) -> Value {
    Value::string_map(
        tags.iter().map(|t| (t.key().to_string(), t.value().to_string())).filter(|(k, _)| !k.starts_with("aws:")),
    )
}

// -- parts shared by roles, users and groups --------------------------------------------------

/// The inline policies of one role, user or group as `aws_iam_<owner>_policy` resources:
/// id `owner:name` (the provider's), attributes `<owner_attr>`, `name`, `policy` (decoded).
pub fn inline_policies(
    rtype: &str,
    owner_attr: &str,
    owner: &str,
    policies: &[aws_sdk_iam::types::PolicyDetail],
    aws_default: bool,
    region: &str,
    account: &str,
) -> Vec<Resource> {
    policies
        .iter()
        .filter_map(|p| {
            let name = p.policy_name()?;
            let id = format!("{owner}:{name}");
            let mut r = Resource::live(rtype, &id, region, account, None)
                .with("id", id.as_str())
                .with(owner_attr, owner)
                .with("name", name)
                .with("policy", Value::opt_str(p.policy_document().map(policy_document)));
            r.aws_default = aws_default;
            Some(r)
        })
        .collect()
}

/// The managed policies attached to one role, user or group as
/// `aws_iam_<owner>_policy_attachment` resources, identified by the provider's import id
/// `owner/policy_arn` (state's random ids are rewritten to it by the `iam_ids` normaliser).
pub fn attachments(
    rtype: &str,
    owner_attr: &str,
    owner: &str,
    attached: &[aws_sdk_iam::types::AttachedPolicy],
    aws_default: bool,
    region: &str,
    account: &str,
) -> Vec<Resource> {
    attached
        .iter()
        .filter_map(|p| {
            let arn = p.policy_arn()?;
            let id = format!("{owner}/{arn}");
            let mut r = Resource::live(rtype, &id, region, account, None)
                .with("id", id.as_str())
                .with(owner_attr, owner)
                .with("policy_arn", arn);
            r.aws_default = aws_default;
            Some(r)
        })
        .collect()
}

// -- events ----------------------------------------------------------------------------------

/// A policy document in a request (`policyDocument`, plain or URL-encoded JSON) as the
/// normalised live value it sets: compared as a policy. A redacted one is Sensitive.
pub fn request_policy(req: &Json, key: &str) -> Option<Value> {
    let raw = first(req, key)?.as_str()?;
    Some(match canonical(raw) {
        Some(c) => Value::String(c),
        None => event::value(&Json::String(raw.to_string())),
    })
}

/// `policy` ← `policyDocument` (PutRolePolicy, CreatePolicy, CreatePolicyVersion...).
pub(crate) fn write_policy(req: &Json, _resp: &Json, out: &mut Vec<Written>) {
    if let Some(v) = request_policy(req, "policyDocument") {
        out.push(Written::Set { path: "policy".into(), value: v });
    }
}

/// Tags as IAM's Tag* calls and Create* calls send them: `tags: [{key, value}]`.
pub(crate) const TAGS: W = W::Tags { items: "tags[]", key: "key", value: "value" };
/// Untag* calls: `tagKeys: [...]`.
pub(crate) const UNTAGS: W = W::Untags { items: "tagKeys[]", key: "" };

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn documents_decode_as_the_provider_decodes_them() {
        let encoded = "%7B%22Version%22%3A%20%222012-10-17%22%2C%20%22Statement%22%3A%20%5B%5D%7D";
        assert_eq!(policy_document(encoded), r#"{"Version": "2012-10-17", "Statement": []}"#);
        // Already JSON (moto's AssumeRolePolicyDocument): kept, even with a literal `%`.
        let plain = r#"{"Statement":[{"Condition":{"StringLike":{"s3:prefix":"50%off+"}}}]}"#;
        assert_eq!(policy_document(plain), plain);
        // Malformed escapes never panic: the text is kept as read.
        assert_eq!(policy_document("%zz"), "%zz");
    }

    #[test]
    fn aws_owned_things() {
        assert!(aws_managed_policy("arn:aws:iam::aws:policy/AdministratorAccess"));
        assert!(!aws_managed_policy("arn:aws:iam::123456789012:policy/clinic"));
        assert!(!aws_managed_policy("nonsense"));
        assert!(aws_owned_path("/aws-service-role/eks.amazonaws.com/"));
        assert!(aws_owned_path("/aws-reserved/sso.amazonaws.com/"));
        assert!(!aws_owned_path("/service-role/"));
    }
}

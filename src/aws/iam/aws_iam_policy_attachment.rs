//! `aws_iam_policy_attachment`: Terraform's exclusive attachment of one managed policy to
//! every user, role and group it names. Its id is the `name` given in the configuration,
//! which exists only in Terraform, so it is read for the attachments a scanned state names:
//! the principals attached to its `policy_arn`, from the shared
//! GetAccountAuthorizationDetails (every role's, user's and group's attached managed
//! policies; no extra call). As in the provider, a policy attached to nobody (or gone) is
//! missing.
//!
//! The same attachments are also the `aws_iam_*_policy_attachment` parts of their
//! principals (never unmanaged); a principal attached by hand to the policy is drift on
//! `users`, `roles` or `groups` here, as `terraform plan -refresh-only` shows it.
//! Its view serves `plumb check`, state and live, and judges every attachment type.

use futures::FutureExt;

use super::authorization;
use super::aws_iam_policy::principals;
use crate::aws::event::{Event, W};
use crate::aws::view::*;
use crate::aws::{Ctx, FetchResult, Identity, Read, ResourceType, ViewDef};
use crate::model::{Resource, Value, View};

pub static TYPE: ResourceType = ResourceType {
    read: Some(Read { fetch: |ctx| fetch(ctx).boxed(), global: true }),
    identity: Identity { global_names: true, names: &["policy_arn"], ..Identity::NONE },
    events: &[
        Event::modify("iam", "AttachRolePolicy", &["policyArn"]).writing(&[W::Touch("roles")]),
        Event::modify("iam", "DetachRolePolicy", &["policyArn"]).writing(&[W::Touch("roles")]),
        Event::modify("iam", "AttachUserPolicy", &["policyArn"]).writing(&[W::Touch("users")]),
        Event::modify("iam", "DetachUserPolicy", &["policyArn"]).writing(&[W::Touch("users")]),
        Event::modify("iam", "AttachGroupPolicy", &["policyArn"]).writing(&[W::Touch("groups")]),
        Event::modify("iam", "DetachGroupPolicy", &["policyArn"]).writing(&[W::Touch("groups")]),
    ],
    view: Some(&VIEW),
    ..ResourceType::base("aws_iam_policy_attachment", "iam")
};

async fn fetch(ctx: &Ctx) -> FetchResult {
    let named: Vec<(String, String)> = ctx
        .state_resources("aws_iam_policy_attachment")
        .filter_map(|r| Some((r.id.clone(), r.attr_str("policy_arn")?.to_string())))
        .collect();
    if named.is_empty() {
        return Ok(Vec::new());
    }
    let details = authorization(ctx)
        .await
        .map_err(|e| crate::model::ReadError { affected_types: vec!["aws_iam_policy_attachment".to_string()], ..e })?;
    let attached =
        |list: &[aws_sdk_iam::types::AttachedPolicy], arn: &str| list.iter().any(|p| p.policy_arn() == Some(arn));
    Ok(named
        .iter()
        .filter_map(|(name, arn)| {
            let roles = details.roles.iter().filter(|d| attached(d.attached_managed_policies(), arn));
            let users = details.users.iter().filter(|d| attached(d.attached_managed_policies(), arn));
            let groups = details.groups.iter().filter(|d| attached(d.attached_managed_policies(), arn));
            map(
                name,
                arn,
                roles.filter_map(|d| d.role_name()).collect(),
                users.filter_map(|d| d.user_name()).collect(),
                groups.filter_map(|d| d.group_name()).collect(),
                &ctx.region,
                &ctx.account,
            )
        })
        .collect())
}

/// The attachment named `name` of `policy_arn`, or `None` when the policy is attached to
/// nobody (the provider then reads the attachment as gone).
pub fn map<'a>(
    name: &str,
    policy_arn: &str,
    mut roles: Vec<&'a str>,
    mut users: Vec<&'a str>,
    mut groups: Vec<&'a str>,
    region: &str,
    account: &str,
) -> Option<Resource> {
    if roles.is_empty() && users.is_empty() && groups.is_empty() {
        return None;
    }
    for l in [&mut roles, &mut users, &mut groups] {
        l.sort_unstable();
        l.dedup();
    }
    Some(
        Resource::live("aws_iam_policy_attachment", name, region, account, None)
            .with("id", name)
            .with("name", name)
            .with("policy_arn", policy_arn)
            .with("roles", Value::string_list(roles))
            .with("users", Value::string_list(users))
            .with("groups", Value::string_list(groups)),
    )
}

pub static VIEW: ViewDef = ViewDef {
    kind: "iam_attachment",
    build: |rs, v| {
        rs.iter()
            .filter(|r| ATTACHMENT_TYPES.contains(&r.rtype.as_str()))
            .map(|r| {
                let mut joined = iam_attachment(r, v);
                super::aws_iam_policy::owner_address(&mut joined, r, rs);
                joined
            })
            .collect()
    },
};

/// Every type attaching a managed policy, judged in this view.
const ATTACHMENT_TYPES: &[&str] = &[
    "aws_iam_role_policy_attachment",
    "aws_iam_user_policy_attachment",
    "aws_iam_group_policy_attachment",
    "aws_iam_policy_attachment",
];

fn iam_attachment(r: &Resource, view: View) -> JoinedView {
    let mut o = head("iam_attachment", r, view);
    principals(&mut o, r, view);
    // Name the principal ("role clinic-node"): an attachment has no name of its own (the
    // exclusive `aws_iam_policy_attachment` keeps its `name`).
    if r.rtype != "aws_iam_policy_attachment" {
        let named: Vec<String> = [("roles", "role"), ("users", "user"), ("groups", "group")]
            .iter()
            .flat_map(|(field, kind)| {
                let list = o.map.get(*field).and_then(|v| v.as_array()).cloned().unwrap_or_default();
                list.into_iter().filter_map(move |p| p.as_str().map(|p| format!("{kind} {p}")))
            })
            .collect();
        if !named.is_empty() {
            o.put("name", named.join(", "));
        }
    }
    match put_str(&mut o, "policy_arn", attr(r, "policy_arn", view), None) {
        Ok(arn) => {
            let admin = arn.as_deref().is_some_and(|a| a.ends_with(":iam::aws:policy/AdministratorAccess"));
            o.put("administrator_access", admin);
        }
        Err(()) => {
            o.unknown("administrator_access");
        }
    }
    joined("iam_attachment", r, o)
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn the_principals_of_one_policy() {
        let arn = "arn:aws:iam::1:policy/reach-s3-replication";
        let r = map("replication", arn, vec!["b-role", "a-role"], vec![], vec![], "us-east-1", "1").unwrap();
        assert_eq!(r.id, "replication");
        assert_eq!(r.attr("roles"), &Value::string_list(["a-role", "b-role"]));
        assert_eq!(r.attr("users"), &Value::string_list::<&str>([]));
        assert!(
            map("replication", arn, vec![], vec![], vec![], "us-east-1", "1").is_none(),
            "attached to nobody: gone"
        );
    }

    #[test]
    fn attach_events_name_the_policy() {
        let e = crate::aws::event::of("aws_iam_policy_attachment", "iam", "AttachUserPolicy");
        let req = json!({"userName": "dana", "policyArn": "arn:aws:iam::1:policy/p"});
        assert_eq!(e.identifiers(&req, &json!(null)), ["arn:aws:iam::1:policy/p"]);
        assert_eq!(e.writes(&req, &json!(null)), vec![crate::aws::Written::Touch { path: "users".into() }]);
    }
}

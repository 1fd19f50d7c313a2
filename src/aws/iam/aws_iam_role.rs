//! `aws_iam_role`: GetAccountAuthorizationDetails (shared, see `mod.rs`) for the document,
//! path, permissions boundary, tags, inline policies and attached policies; ListRoles for
//! what the details leave out (description, maximum session duration).
//!
//! Attributes as the provider's read stores them:
//! - `assume_role_policy`: the trust policy, URL-decoded; compared as a policy.
//! - `inline_policy`: every inline policy of the role as `{name, policy}` (`[]` when none).
//!   Inline policies managed as `aws_iam_role_policy` resources show here too, as they do in
//!   the provider's refresh; the `iam_role_parts` normaliser accounts for them.
//! - `managed_policy_arns`: every attached policy (the same holds for
//!   `aws_iam_role_policy_attachment`).
//! - `description`, `max_session_duration`: from ListRoles; left Unknown for a role the
//!   listing did not return (created between the two reads).
//! - `force_detach_policies`, `name_prefix`: configuration only, never read.
//!
//! Service-linked roles (`/aws-service-role/`) and Identity Center's (`/aws-reserved/`) are
//! AWS's own: `aws_default`, never unmanaged.

use std::collections::HashMap;

use aws_sdk_iam::types::{Role, RoleDetail};
use futures::FutureExt;
use serde_json::Value as Json;

use super::{TAGS, UNTAGS, authorization, aws_owned_path, identity, policy_document, request_policy, tags};
use crate::aws::errors::read_error;
use crate::aws::event::{Event, W, Written, first};
use crate::aws::{Ctx, FetchResult, Link, Read, ResourceType};
use crate::model::{Resource, Value};

const TYPES: &[&str] = &["aws_iam_role"];

pub static TYPE: ResourceType = ResourceType {
    read: Some(Read { fetch: |ctx| fetch(ctx).boxed(), global: true }),
    identity: identity("role/", &["name", "unique_id"]),
    events: &[
        Event::create("iam", "CreateRole", &["roleName"]).writing(&[
            W::Custom(|req, _, out| assume_policy(req, "assumeRolePolicyDocument", out)),
            W::Param("description", "description"),
            W::Param("max_session_duration", "maxSessionDuration"),
            W::Param("path", "path"),
            W::Param("permissions_boundary", "permissionsBoundary"),
            TAGS,
        ]),
        Event::delete("iam", "DeleteRole", &["roleName"]),
        Event::delete("iam", "DeleteServiceLinkedRole", &["roleName"]),
        Event::modify("iam", "UpdateRole", &["roleName"])
            .writing(&[W::Param("description", "description"), W::Param("max_session_duration", "maxSessionDuration")]),
        Event::modify("iam", "UpdateRoleDescription", &["roleName"]).writing(&[W::Param("description", "description")]),
        Event::modify("iam", "UpdateAssumeRolePolicy", &["roleName"])
            .writing(&[W::Custom(|req, _, out| assume_policy(req, "policyDocument", out))]),
        Event::modify("iam", "PutRolePermissionsBoundary", &["roleName"])
            .writing(&[W::Param("permissions_boundary", "permissionsBoundary")]),
        Event::modify("iam", "DeleteRolePermissionsBoundary", &["roleName"])
            .writing(&[W::Custom(|_, _, out| out.push(Written::Unset { path: "permissions_boundary".into() }))]),
        Event::modify("iam", "TagRole", &["roleName"]).writing(&[TAGS]),
        Event::modify("iam", "UntagRole", &["roleName"]).writing(&[UNTAGS]),
        // The role's parts, as the role sees them.
        Event::modify("iam", "PutRolePolicy", &["roleName"]).writing(&[W::Custom(put_inline)]),
        Event::modify("iam", "DeleteRolePolicy", &["roleName"]).writing(&[W::Custom(delete_inline)]),
        Event::modify("iam", "AttachRolePolicy", &["roleName"]).writing(&[W::Custom(|req, _, out| {
            if let Some(arn) = first(req, "policyArn") {
                out.push(Written::Add { path: "managed_policy_arns".into(), elems: vec![Value::from_json(arn)] });
            }
        })]),
        Event::modify("iam", "DetachRolePolicy", &["roleName"]).writing(&[W::Custom(|req, _, out| {
            if let Some(arn) = first(req, "policyArn") {
                out.push(Written::Remove { path: "managed_policy_arns".into(), elems: vec![Value::from_json(arn)] });
            }
        })]),
    ],
    // A role's permissions are also its attachments and inline policies.
    links: &[
        Link { role: "policy attachment", rtype: "aws_iam_role_policy_attachment", from: "name", to: "role" },
        Link { role: "inline policy", rtype: "aws_iam_role_policy", from: "name", to: "role" },
    ],
    ..ResourceType::base("aws_iam_role", "iam")
};

fn assume_policy(req: &Json, key: &str, out: &mut Vec<Written>) {
    if let Some(v) = request_policy(req, key) {
        out.push(Written::Set { path: "assume_role_policy".into(), value: v });
    }
}

/// PutRolePolicy adds (or replaces) one `inline_policy` element.
fn put_inline(req: &Json, _resp: &Json, out: &mut Vec<Written>) {
    let Some(name) = first(req, "policyName") else { return };
    let mut elem = vec![("name", Value::from_json(name))];
    if let Some(p) = request_policy(req, "policyDocument") {
        elem.push(("policy", p));
    }
    out.push(Written::Add { path: "inline_policy".into(), elems: vec![Value::object(elem)] });
}

fn delete_inline(req: &Json, _resp: &Json, out: &mut Vec<Written>) {
    if let Some(name) = first(req, "policyName") {
        out.push(Written::Remove {
            path: "inline_policy".into(),
            elems: vec![Value::object([("name", Value::from_json(name))])],
        });
    }
}

async fn fetch(ctx: &Ctx) -> FetchResult {
    let details = authorization(ctx).await?;
    let iam = ctx.client::<aws_sdk_iam::Client>();
    let mut listed: HashMap<String, Role> = HashMap::new();
    let mut pages = iam.list_roles().into_paginator().send();
    while let Some(page) = {
        let _p = ctx.permit("iam").await;
        pages.next().await
    } {
        let page = page.map_err(|e| read_error("iam", &ctx.region, TYPES, e))?;
        listed.extend(page.roles().iter().map(|r| (r.role_name().to_string(), r.clone())));
    }
    Ok(details
        .roles
        .iter()
        .filter_map(|d| {
            let listing = d.role_name().and_then(|n| listed.get(n));
            map(d, listing, &ctx.region, &ctx.account)
        })
        .collect())
}

/// Pure mapping from a role's authorization details (and its ListRoles entry, when there is
/// one) to provider v5 attributes. None for an entry without a name.
pub fn map(d: &RoleDetail, listed: Option<&Role>, region: &str, account: &str) -> Option<Resource> {
    let name = d.role_name()?;
    let path = d.path().unwrap_or("/");
    let inline: Vec<Value> = d
        .role_policy_list()
        .iter()
        .map(|p| {
            Value::object([
                ("name", Value::opt_str(p.policy_name())),
                ("policy", Value::opt_str(p.policy_document().map(policy_document))),
            ])
        })
        .collect();
    let arns: Vec<&str> = d.attached_managed_policies().iter().filter_map(|p| p.policy_arn()).collect();
    let mut r = Resource::live("aws_iam_role", name, region, account, d.arn().map(str::to_string))
        .with("id", name)
        .with("name", name)
        .with("arn", Value::opt_str(d.arn()))
        .with("unique_id", Value::opt_str(d.role_id()))
        .with("path", path)
        .with("assume_role_policy", Value::opt_str(d.assume_role_policy_document().map(policy_document)))
        .with(
            "permissions_boundary",
            Value::opt_str(d.permissions_boundary().and_then(|b| b.permissions_boundary_arn())),
        )
        .with("inline_policy", Value::List(inline))
        .with("managed_policy_arns", Value::string_list(arns))
        .with("tags", tags(d.tags()));
    if let Some(l) = listed {
        r.set("description", Value::opt_str(l.description()));
        if let Some(m) = l.max_session_duration() {
            r.set("max_session_duration", m);
        }
    }
    r.aws_default = aws_owned_path(path);
    Some(r)
}

#[cfg(test)]
mod tests {
    use aws_sdk_iam::types::{AttachedPermissionsBoundary, AttachedPolicy, PolicyDetail, Tag};
    use serde_json::json;

    use super::*;
    use crate::aws::event::of;

    const TRUST: &str = "%7B%22Version%22%3A%222012-10-17%22%2C%22Statement%22%3A%5B%7B%22Effect%22%3A%22Allow%22%2C%22Principal%22%3A%7B%22Service%22%3A%22ec2.amazonaws.com%22%7D%2C%22Action%22%3A%22sts%3AAssumeRole%22%7D%5D%7D";

    fn detail() -> RoleDetail {
        RoleDetail::builder()
            .role_name("clinic-eks-node")
            .role_id("AROAEXAMPLE")
            .path("/")
            .arn("arn:aws:iam::123456789012:role/clinic-eks-node")
            .assume_role_policy_document(TRUST)
            .role_policy_list(
                PolicyDetail::builder().policy_name("logs").policy_document("%7B%22Statement%22%3A%5B%5D%7D").build(),
            )
            .attached_managed_policies(
                AttachedPolicy::builder().policy_arn("arn:aws:iam::aws:policy/AmazonEKSWorkerNodePolicy").build(),
            )
            .permissions_boundary(
                AttachedPermissionsBoundary::builder()
                    .permissions_boundary_arn("arn:aws:iam::123456789012:policy/boundary")
                    .build(),
            )
            .tags(Tag::builder().key("Team").value("platform").build().unwrap())
            .tags(Tag::builder().key("aws:cloudformation:stack-name").value("x").build().unwrap())
            .build()
    }

    #[test]
    fn maps_a_role_as_the_provider_stores_it() {
        let listed = Role::builder()
            .role_name("clinic-eks-node")
            .path("/")
            .role_id("AROAEXAMPLE")
            .arn("arn:aws:iam::123456789012:role/clinic-eks-node")
            .create_date(aws_smithy_types::DateTime::from_secs(0))
            .description("EKS nodes")
            .max_session_duration(7200)
            .build()
            .unwrap();
        let r = map(&detail(), Some(&listed), "us-east-1", "123456789012").unwrap();
        assert_eq!(r.id, "clinic-eks-node");
        assert!(r.attr_str("assume_role_policy").unwrap().starts_with(r#"{"Version":"2012-10-17""#));
        assert_eq!(
            r.attr("inline_policy"),
            &Value::List(vec![Value::object([("name", "logs".into()), ("policy", r#"{"Statement":[]}"#.into())])])
        );
        assert_eq!(
            r.attr("managed_policy_arns"),
            &Value::string_list(["arn:aws:iam::aws:policy/AmazonEKSWorkerNodePolicy"])
        );
        assert_eq!(r.attr_str("permissions_boundary"), Some("arn:aws:iam::123456789012:policy/boundary"));
        assert_eq!(r.attr("tags"), &Value::string_map([("Team", "platform")]));
        assert_eq!(r.attr_str("description"), Some("EKS nodes"));
        assert_eq!(r.attr("max_session_duration"), &Value::int(7200));
        assert_eq!(r.attr("force_detach_policies"), &Value::Unknown);
        assert!(!r.aws_default);
    }

    #[test]
    fn no_inline_policy_is_empty_and_slrs_are_aws_own() {
        let d = RoleDetail::builder()
            .role_name("AWSServiceRoleForAmazonEKS")
            .path("/aws-service-role/eks.amazonaws.com/")
            .build();
        let r = map(&d, None, "us-east-1", "1").unwrap();
        assert_eq!(r.attr("inline_policy"), &Value::List(vec![]));
        assert_eq!(r.attr("managed_policy_arns"), &Value::List(vec![]));
        // Not listed: description and session duration unknown, never guessed.
        assert_eq!(r.attr("description"), &Value::Unknown);
        assert_eq!(r.attr("max_session_duration"), &Value::Unknown);
        assert!(r.aws_default);
        assert!(map(&RoleDetail::builder().build(), None, "us-east-1", "1").is_none());
    }

    #[test]
    fn events_name_the_role_and_write_what_they_change() {
        let e = of("aws_iam_role", "iam", "UpdateAssumeRolePolicy");
        let req = json!({"roleName": "clinic-eks-node",
            "policyDocument": "{\"Version\":\"2012-10-17\",\"Statement\":{\"Effect\":\"Allow\",\"Principal\":{\"AWS\":\"*\"},\"Action\":\"sts:AssumeRole\"}}"});
        assert_eq!(e.identifiers(&req, &Json::Null), vec!["clinic-eks-node"]);
        let w = e.writes(&req, &Json::Null);
        let want = crate::model::policy::canonical(
            r#"{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":{"AWS":["*"]},"Action":["sts:AssumeRole"]}]}"#,
        )
        .unwrap();
        assert_eq!(w, vec![Written::Set { path: "assume_role_policy".into(), value: Value::String(want) }]);

        let create = of("aws_iam_role", "iam", "CreateRole");
        let req = json!({"roleName": "r", "path": "/", "maxSessionDuration": 3600,
            "assumeRolePolicyDocument": "%7B%22Statement%22%3A%5B%5D%7D", "tags": [{"key": "Team", "value": "x"}]});
        let resp = json!({"role": {"roleName": "r", "arn": "arn:aws:iam::1:role/r"}});
        assert_eq!(create.identifiers(&req, &resp), vec!["r"]);
        let w = create.writes(&req, &resp);
        assert!(w.contains(&Written::Set { path: "assume_role_policy".into(), value: r#"{"Statement":[]}"#.into() }));
        assert!(w.contains(&Written::Set { path: "tags.Team".into(), value: "x".into() }));
        assert!(w.contains(&Written::Set { path: "max_session_duration".into(), value: Value::int(3600) }));

        let attach = of("aws_iam_role", "iam", "AttachRolePolicy");
        let req = json!({"roleName": "clinic-eks-node", "policyArn": "arn:aws:iam::aws:policy/AdministratorAccess"});
        assert_eq!(
            attach.writes(&req, &Json::Null),
            vec![Written::Add {
                path: "managed_policy_arns".into(),
                elems: vec!["arn:aws:iam::aws:policy/AdministratorAccess".into()]
            }]
        );
        let put = of("aws_iam_role", "iam", "PutRolePolicy");
        let req = json!({"roleName": "n", "policyName": "logs", "policyDocument": "{\"Statement\":[]}"});
        assert_eq!(
            put.writes(&req, &Json::Null),
            vec![Written::Add {
                path: "inline_policy".into(),
                elems: vec![Value::object([("name", "logs".into()), ("policy", r#"{"Statement":[]}"#.into())])]
            }]
        );
        let untag = of("aws_iam_role", "iam", "UntagRole");
        let req = json!({"roleName": "n", "tagKeys": ["Team"]});
        assert_eq!(untag.writes(&req, &Json::Null), vec![Written::Unset { path: "tags.Team".into() }]);
    }
}

//! `aws_iam_policy`: customer-managed policies from GetAccountAuthorizationDetails (shared;
//! the document of the default version, URL-decoded), and their tags (ListPolicyTags, one
//! call per policy: neither the details nor ListPolicies return tags). Id: the ARN, as the
//! provider's.
//!
//! AWS-managed policies are not read (they are AWS's, and there are over a thousand); their
//! attachments are (`aws_iam_*_policy_attachment`). A policy deleted between the two reads
//! is skipped.

use aws_sdk_iam::types::{ManagedPolicyDetail, Tag};
use futures::{FutureExt, StreamExt, TryStreamExt};
use serde_json::Value as J;

use super::{TAGS, UNTAGS, authorization, aws_managed_policy, policy_document, request_policy, tags};
use crate::aws::errors::{read_error, service_code};
use crate::aws::event::{Event, W, Written, first};
use crate::aws::view::*;
use crate::aws::{Ctx, FetchResult, Identity, Read, ResourceType, ViewDef};
use crate::model::{ReadError, Resource, Value, View};

const TYPES: &[&str] = &["aws_iam_policy"];

pub static TYPE: ResourceType = ResourceType {
    read: Some(Read { fetch: |ctx| fetch(ctx).boxed(), global: true }),
    identity: Identity { global_names: true, names: &["name"], ..Identity::NONE },
    events: &[
        Event::create("iam", "CreatePolicy", &["@policy.arn", "policyName"]).writing(&[
            W::Custom(super::write_policy),
            W::Param("description", "description"),
            W::Param("path", "path"),
            TAGS,
        ]),
        Event::modify("iam", "CreatePolicyVersion", &["policyArn"]).writing(&[W::Custom(new_version)]),
        Event::modify("iam", "SetDefaultPolicyVersion", &["policyArn"]).writing(&[W::Touch("policy")]),
        Event::modify("iam", "DeletePolicyVersion", &["policyArn"]),
        Event::delete("iam", "DeletePolicy", &["policyArn"]),
        Event::modify("iam", "TagPolicy", &["policyArn"]).writing(&[TAGS]),
        Event::modify("iam", "UntagPolicy", &["policyArn"]).writing(&[UNTAGS]),
    ],
    view: Some(&VIEW),
    ..ResourceType::base("aws_iam_policy", "iam")
};

/// CreatePolicyVersion changes the document only when the new version becomes the default.
fn new_version(req: &J, _resp: &J, out: &mut Vec<Written>) {
    let default = match first(req, "setAsDefault") {
        Some(J::Bool(b)) => *b,
        Some(J::String(s)) => s.eq_ignore_ascii_case("true"),
        _ => false,
    };
    if default {
        if let Some(v) = request_policy(req, "policyDocument") {
            out.push(Written::Set { path: "policy".into(), value: v });
        }
    }
}

async fn fetch(ctx: &Ctx) -> FetchResult {
    let details = authorization(ctx).await?;
    let policies: Vec<ManagedPolicyDetail> =
        details.policies.iter().filter(|p| p.arn().is_some_and(|a| !aws_managed_policy(a))).cloned().collect();
    let found: Vec<Option<Resource>> = futures::stream::iter(policies)
        .map(|p| async move {
            let Some(arn) = p.arn().map(str::to_string) else { return Ok(None) };
            match policy_tags(ctx, &arn).await? {
                Some(t) => Ok(Some(map(&p, &t, &ctx.region, &ctx.account))),
                None => Ok(None),
            }
        })
        .buffer_unordered(ctx.limit("iam"))
        .try_collect::<Vec<_>>()
        .await?;
    Ok(found.into_iter().flatten().collect())
}

/// A policy's tags; None when the policy is gone.
async fn policy_tags(ctx: &Ctx, arn: &str) -> Result<Option<Vec<Tag>>, ReadError> {
    let iam = ctx.client::<aws_sdk_iam::Client>();
    let mut out = Vec::new();
    let mut pages = iam.list_policy_tags().policy_arn(arn).into_paginator().send();
    while let Some(page) = {
        let _p = ctx.permit("iam").await;
        pages.next().await
    } {
        match page {
            Ok(p) => out.extend(p.tags().iter().cloned()),
            Err(e) if service_code(&e) == Some("NoSuchEntity") => return Ok(None),
            Err(e) => return Err(read_error("iam", &ctx.region, TYPES, e)),
        }
    }
    Ok(Some(out))
}

/// Pure mapping from a policy's details and tags to provider v5 attributes.
pub fn map(p: &ManagedPolicyDetail, policy_tags: &[Tag], region: &str, account: &str) -> Resource {
    let arn = p.arn().unwrap_or_default();
    let default = p
        .policy_version_list()
        .iter()
        .find(|v| v.is_default_version() || v.version_id().is_some() && v.version_id() == p.default_version_id());
    let mut r = Resource::live("aws_iam_policy", arn, region, account, Some(arn.to_string()))
        .with("id", arn)
        .with("arn", arn)
        .with("path", p.path().unwrap_or("/"))
        .with("description", Value::opt_str(p.description()))
        .with("tags", tags(policy_tags));
    if let Some(name) = p.policy_name() {
        r.set("name", name);
    }
    if let Some(id) = p.policy_id() {
        r.set("policy_id", id);
    }
    if let Some(n) = p.attachment_count() {
        r.set("attachment_count", n);
    }
    // No default version in the answer: the document is unknown, not empty.
    if let Some(doc) = default.and_then(|v| v.document()) {
        r.set("policy", policy_document(doc));
    }
    r.aws_default = aws_managed_policy(arn);
    r
}

pub static VIEW: ViewDef = ViewDef { kind: "iam_policy", build: iam_policies };

/// Every type holding a policy document judged in this view.
const POLICY_TYPES: &[&str] = &["aws_iam_policy", "aws_iam_role_policy", "aws_iam_user_policy", "aws_iam_group_policy"];

/// Principals a policy or attachment applies to.
pub(super) fn principals(o: &mut Obj, r: &Resource, view: View) {
    let one = |k: &str| match attr(r, k, view).string(None) {
        Ok(Some(s)) => Ok(vec![s]),
        Ok(None) => Ok(vec![]),
        Err(()) => Err(()),
    };
    for (field, single, many) in [("users", "user", "users"), ("roles", "role", "roles"), ("groups", "group", "groups")]
    {
        let v = if r.rtype == "aws_iam_policy_attachment" {
            attr(r, many, view).strings()
        } else if r.attributes.contains_key(single) || view != View::Live {
            one(single)
        } else {
            Ok(vec![])
        };
        match v {
            Ok(v) => o.put(field, v),
            Err(()) => o.unknown(field),
        };
    }
}

fn iam_policies(resources: &[Resource], view: View) -> Vec<JoinedView> {
    resources
        .iter()
        .filter(|r| POLICY_TYPES.contains(&r.rtype.as_str()))
        .map(|r| {
            let mut v = iam_policy(r, view);
            owner_address(&mut v, r, resources);
            v
        })
        .collect()
}

/// A role's inline policy or attachment made by hand is judged through the role (its drift
/// is on the role): its findings point at the role's block when the role is managed.
pub(super) fn owner_address(v: &mut JoinedView, r: &Resource, resources: &[Resource]) {
    if v.address.is_some() || !matches!(r.rtype.as_str(), "aws_iam_role_policy" | "aws_iam_role_policy_attachment") {
        return;
    }
    let Some(role) = r.attr_str("role") else { return };
    let owner = resources.iter().find(|o| {
        o.rtype == "aws_iam_role" && o.address.is_some() && (o.id == role || o.attr_str("name") == Some(role))
    });
    if let Some(address) = owner.and_then(|o| o.address.clone()) {
        if let Some(obj) = v.value.as_object_mut() {
            obj.insert("address".into(), J::String(address.clone()));
        }
        v.address = Some(address);
    }
}

fn iam_policy(r: &Resource, view: View) -> JoinedView {
    let mut o = head("iam_policy", r, view);
    if let Ok(Some(n)) = attr(r, "name", view).string(None) {
        o.put("name", n);
    }
    principals(&mut o, r, view);
    o.put("inline", r.rtype != "aws_iam_policy");
    match parse_policy(attr(r, "policy", view)) {
        Ok(d) => {
            let admin = d.as_ref().map(grants_admin).unwrap_or(false);
            o.put("document", d.unwrap_or(J::Null)).put("admin", admin);
        }
        Err(()) => {
            o.unknown("document").unknown("admin");
        }
    }
    joined("iam_policy", r, o)
}

/// An `Allow` of every action (`*`, `*:*`) on every resource (`*`).
fn grants_admin(doc: &J) -> bool {
    statements(doc).iter().any(|s| {
        let allow = s.get("Effect").and_then(J::as_str) == Some("Allow");
        let actions = list_of(s.get("Action")).iter().any(|a| matches!(a.as_str(), Some("*" | "*:*")));
        let resources = list_of(s.get("Resource")).iter().any(|a| a.as_str() == Some("*"));
        allow && actions && resources
    })
}

#[cfg(test)]
mod tests {
    use aws_sdk_iam::types::PolicyVersion;
    use serde_json::json;

    use super::*;
    use crate::aws::event::of;

    const ARN: &str = "arn:aws:iam::123456789012:policy/clinic/clinic-reports-read";

    #[test]
    fn maps_the_default_version_of_a_customer_policy() {
        let p = ManagedPolicyDetail::builder()
            .policy_name("clinic-reports-read")
            .policy_id("ANPAEXAMPLE")
            .arn(ARN)
            .path("/clinic/")
            .default_version_id("v2")
            .attachment_count(1)
            .description("Read the monthly reports")
            .policy_version_list(
                PolicyVersion::builder()
                    .version_id("v1")
                    .is_default_version(false)
                    .document("%7B%22old%22%3A1%7D")
                    .build(),
            )
            .policy_version_list(
                PolicyVersion::builder()
                    .version_id("v2")
                    .is_default_version(true)
                    .document("%7B%22Statement%22%3A%5B%5D%7D")
                    .build(),
            )
            .build();
        let t = Tag::builder().key("Team").value("reporting").build().unwrap();
        let r = map(&p, &[t], "us-east-1", "123456789012");
        assert_eq!(r.id, ARN);
        assert_eq!(r.attr_str("name"), Some("clinic-reports-read"));
        assert_eq!(r.attr_str("path"), Some("/clinic/"));
        assert_eq!(r.attr_str("policy"), Some(r#"{"Statement":[]}"#));
        assert_eq!(r.attr("tags"), &Value::string_map([("Team", "reporting")]));
        assert!(!r.aws_default);
        // No name or default version in the answer: unknown, never empty.
        let bare = map(&ManagedPolicyDetail::builder().arn(ARN).build(), &[], "us-east-1", "1");
        assert_eq!((bare.attr("name"), bare.attr("policy")), (&Value::Unknown, &Value::Unknown));
    }

    #[test]
    fn a_new_version_changes_the_document_only_as_default() {
        let e = of("aws_iam_policy", "iam", "CreatePolicyVersion");
        let doc =
            "{\"Version\":\"2012-10-17\",\"Statement\":{\"Effect\":\"Allow\",\"Action\":\"*\",\"Resource\":\"*\"}}";
        let req = json!({"policyArn": ARN, "policyDocument": doc, "setAsDefault": true});
        assert_eq!(e.identifiers(&req, &J::Null), vec![ARN]);
        let w = e.writes(&req, &J::Null);
        assert_eq!(w.len(), 1);
        assert!(
            matches!(&w[0], Written::Set { path, value } if path == "policy" && value.as_str().unwrap().contains("\"Action\":\"*\""))
        );
        let not_default = json!({"policyArn": ARN, "policyDocument": doc, "setAsDefault": false});
        assert!(e.writes(&not_default, &J::Null).is_empty());
        let create = of("aws_iam_policy", "iam", "CreatePolicy");
        let req = json!({"policyName": "clinic-reports-read", "path": "/clinic/", "policyDocument": doc});
        let resp = json!({"policy": {"arn": ARN, "policyName": "clinic-reports-read"}});
        assert_eq!(create.identifiers(&req, &resp), vec![ARN, "clinic-reports-read"]);
    }

    #[test]
    fn a_hand_made_part_of_a_managed_role_points_at_the_role() {
        let mut role =
            Resource::live("aws_iam_role", "clinic-node", "us-east-1", "1", None).with("name", "clinic-node");
        role.address = Some("aws_iam_role.node".into());
        let attach = Resource::live(
            "aws_iam_role_policy_attachment",
            "clinic-node/arn:aws:iam::aws:policy/AdministratorAccess",
            "us-east-1",
            "1",
            None,
        )
        .with("role", "clinic-node")
        .with("policy_arn", "arn:aws:iam::aws:policy/AdministratorAccess");
        let user = Resource::live(
            "aws_iam_user_policy_attachment",
            "dana/arn:aws:iam::aws:policy/ReadOnlyAccess",
            "us-east-1",
            "1",
            None,
        )
        .with("user", "dana")
        .with("policy_arn", "arn:aws:iam::aws:policy/ReadOnlyAccess");
        let views = crate::aws::view::build(&[role, attach, user], View::Live);
        let admin = views.iter().find(|v| v.resource_type == "aws_iam_role_policy_attachment").unwrap();
        assert_eq!(admin.address.as_deref(), Some("aws_iam_role.node"));
        assert_eq!(admin.value["address"], "aws_iam_role.node");
        assert_eq!(admin.value["name"], "role clinic-node");
        assert_eq!(admin.value["administrator_access"], true);
        // A user's attachment is no part of the user: unmanaged, no address.
        let direct = views.iter().find(|v| v.resource_type == "aws_iam_user_policy_attachment").unwrap();
        assert_eq!(direct.address, None);
        assert_eq!(direct.value["users"], json!(["dana"]));
    }
}

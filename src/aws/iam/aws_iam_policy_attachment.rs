//! `aws_iam_policy_attachment`: not read live. It is Terraform's exclusive attachment of one
//! policy to every principal it names, identified by a `name` that exists only in
//! Terraform: live, the same attachments are the `aws_iam_*_policy_attachment` resources, so
//! a state resource of this type is reported as not judged. Its view serves `plumb check`
//! and state, and judges every attachment type.

use super::aws_iam_policy::principals;
use crate::aws::view::*;
use crate::aws::{ResourceType, ViewDef};
use crate::model::{Resource, View};

pub static TYPE: ResourceType =
    ResourceType { view: Some(&VIEW), ..ResourceType::base("aws_iam_policy_attachment", "iam") };

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

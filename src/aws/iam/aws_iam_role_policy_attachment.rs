//! `aws_iam_role_policy_attachment`: the managed policies attached to each role, from
//! GetAccountAuthorizationDetails (shared). Identified by the provider's import id
//! `role/policy_arn`; state's ids (`role-2024...`, random) are rewritten to it by the
//! `iam_ids` normaliser.
//!
//! A part of its role. A policy attached by hand to a managed role is reported as drift on
//! the role's `managed_policy_arns`, not as an unmanaged attachment: that is what
//! `terraform plan -refresh-only` shows (the provider's role read lists every attached
//! policy), and it names the Terraform block to look at. Its hardening findings point at the
//! role too. Attachments of AWS's own roles are AWS's own.

use futures::FutureExt;

use super::{attachments, authorization, aws_owned_path, part_identity};
use crate::aws::event::{Event, W};
use crate::aws::{Ctx, FetchResult, Read, ResourceType};

pub static TYPE: ResourceType = ResourceType {
    read: Some(Read { fetch: |ctx| fetch(ctx).boxed(), global: true }),
    identity: part_identity("role"),
    parent: Some("aws_iam_role"),
    events: &[
        Event::create("iam", "AttachRolePolicy", &["{roleName}/{policyArn}"])
            .writing(&[W::Param("policy_arn", "policyArn")]),
        Event::delete("iam", "DetachRolePolicy", &["{roleName}/{policyArn}"]),
    ],
    view: Some(&super::aws_iam_policy_attachment::VIEW),
    ..ResourceType::base("aws_iam_role_policy_attachment", "iam")
};

async fn fetch(ctx: &Ctx) -> FetchResult {
    let details = authorization(ctx).await?;
    Ok(details
        .roles
        .iter()
        .flat_map(|d| {
            let owned = aws_owned_path(d.path().unwrap_or("/"));
            let role = d.role_name().unwrap_or_default();
            let rtype = "aws_iam_role_policy_attachment";
            attachments(rtype, "role", role, d.attached_managed_policies(), owned, &ctx.region, &ctx.account)
        })
        .collect())
}

#[cfg(test)]
mod tests {
    use aws_sdk_iam::types::AttachedPolicy;
    use serde_json::{Value as Json, json};

    use super::*;
    use crate::aws::event::of;

    #[test]
    fn maps_attachments_with_the_import_id() {
        let p = AttachedPolicy::builder().policy_arn("arn:aws:iam::aws:policy/AmazonEKS_CNI_Policy").build();
        let rs = attachments("aws_iam_role_policy_attachment", "role", "node", &[p], false, "us-east-1", "1");
        assert_eq!(rs[0].id, "node/arn:aws:iam::aws:policy/AmazonEKS_CNI_Policy");
        assert_eq!(rs[0].attr_str("role"), Some("node"));
        assert_eq!(rs[0].attr_str("policy_arn"), Some("arn:aws:iam::aws:policy/AmazonEKS_CNI_Policy"));
    }

    #[test]
    fn attach_and_detach_name_the_attachment() {
        let req = json!({"roleName": "node", "policyArn": "arn:aws:iam::aws:policy/AdministratorAccess"});
        for name in ["AttachRolePolicy", "DetachRolePolicy"] {
            let e = of("aws_iam_role_policy_attachment", "iam", name);
            assert_eq!(e.identifiers(&req, &Json::Null), vec!["node/arn:aws:iam::aws:policy/AdministratorAccess"]);
        }
    }
}

//! `aws_iam_role_policy`: a role's inline policies, from GetAccountAuthorizationDetails
//! (shared). Id `role:name`, as the provider's; `policy` URL-decoded.
//!
//! A part of its role: an inline policy put on a managed role by hand is drift on the role's
//! `inline_policy` (which the provider's refresh shows), never a resource of its own. Judged
//! in the `iam_policy` view.

use futures::FutureExt;

use super::{authorization, aws_owned_path, inline_policies, part_identity, write_policy};
use crate::aws::event::{Event, W};
use crate::aws::{Ctx, FetchResult, Read, ResourceType};

pub static TYPE: ResourceType = ResourceType {
    read: Some(Read { fetch: |ctx| fetch(ctx).boxed(), global: true }),
    identity: part_identity("role"),
    parent: Some("aws_iam_role"),
    events: &[
        Event::create("iam", "PutRolePolicy", &["{roleName}:{policyName}"]).writing(&[W::Custom(write_policy)]),
        Event::delete("iam", "DeleteRolePolicy", &["{roleName}:{policyName}"]),
    ],
    view: Some(&super::aws_iam_policy::VIEW),
    ..ResourceType::base("aws_iam_role_policy", "iam")
};

async fn fetch(ctx: &Ctx) -> FetchResult {
    let details = authorization(ctx).await?;
    Ok(details
        .roles
        .iter()
        .flat_map(|d| {
            let owned = aws_owned_path(d.path().unwrap_or("/"));
            let role = d.role_name().unwrap_or_default();
            inline_policies("aws_iam_role_policy", "role", role, d.role_policy_list(), owned, &ctx.region, &ctx.account)
        })
        .collect())
}

#[cfg(test)]
mod tests {
    use aws_sdk_iam::types::PolicyDetail;
    use serde_json::{Value as Json, json};

    use super::*;
    use crate::aws::event::{Written, of};

    #[test]
    fn maps_inline_policies_with_the_providers_id() {
        let p = PolicyDetail::builder().policy_name("logs").policy_document("%7B%22Statement%22%3A%5B%5D%7D").build();
        let rs = inline_policies("aws_iam_role_policy", "role", "node", &[p], false, "us-east-1", "1");
        assert_eq!(rs.len(), 1);
        assert_eq!(rs[0].id, "node:logs");
        assert_eq!(rs[0].attr_str("role"), Some("node"));
        assert_eq!(rs[0].attr_str("name"), Some("logs"));
        assert_eq!(rs[0].attr_str("policy"), Some(r#"{"Statement":[]}"#));
        assert_eq!(rs[0].attr("name_prefix"), &crate::model::Value::Unknown);
    }

    #[test]
    fn put_and_delete_name_role_and_policy() {
        let put = of("aws_iam_role_policy", "iam", "PutRolePolicy");
        let req = json!({"roleName": "node", "policyName": "logs",
            "policyDocument": "{\"Version\":\"2012-10-17\",\"Statement\":{\"Effect\":\"Allow\",\"Action\":\"*\",\"Resource\":\"*\"}}"});
        assert_eq!(put.identifiers(&req, &Json::Null), vec!["node:logs"]);
        let want = crate::model::policy::canonical(
            r#"{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"*","Resource":"*"}]}"#,
        )
        .unwrap();
        assert_eq!(put.writes(&req, &Json::Null), vec![Written::Set { path: "policy".into(), value: want.into() }]);
        let del = of("aws_iam_role_policy", "iam", "DeleteRolePolicy");
        assert_eq!(del.identifiers(&json!({"roleName": "node", "policyName": "logs"}), &Json::Null), vec!["node:logs"]);
    }
}

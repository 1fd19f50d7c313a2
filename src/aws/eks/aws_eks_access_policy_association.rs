//! `aws_eks_access_policy_association`: ListAssociatedAccessPolicies per access entry (the
//! entries from the shared ListAccessEntries).
//!
//! Import id `cluster#principal_arn#policy_arn`, as the provider's. An association is its
//! own resource (a hand-made one is reported unmanaged: it grants Kubernetes permissions
//! nobody codified), not a part of its entry.

use aws_sdk_eks::types::AssociatedAccessPolicy;
use futures::{FutureExt, StreamExt, TryStreamExt};
use serde_json::Value as J;

use super::{access_entry_principals, not_found, set};
use crate::aws::errors::read_error;
use crate::aws::event::{Event, W, Written, first, value};
use crate::aws::{Ctx, FetchResult, Identity, Read, ResourceType};
use crate::model::{Resource, Value};

const TYPES: &[&str] = &["aws_eks_access_policy_association"];

const ID: &[&str] = &["{name|clusterName}#{principalArn}#{policyArn}"];

pub static TYPE: ResourceType = ResourceType {
    read: Some(Read { fetch: |ctx| fetch(ctx).boxed(), global: false }),
    identity: Identity { names: &["principal_arn", "policy_arn"], ..Identity::NONE },
    events: &[
        Event::create("eks", "AssociateAccessPolicy", ID)
            .writing(&[W::Param("access_scope[0].type", "accessScope.type"), W::Custom(namespaces)]),
        Event::delete("eks", "DisassociateAccessPolicy", ID),
    ],
    ..ResourceType::base("aws_eks_access_policy_association", "eks")
};

async fn fetch(ctx: &Ctx) -> FetchResult {
    let eks = ctx.client::<aws_sdk_eks::Client>();
    let eks = &eks;
    let principals = access_entry_principals(ctx, TYPES).await?;
    let per_entry: Vec<Vec<Resource>> = futures::stream::iter(principals)
        .map(|(cluster, principal)| async move {
            let mut out = Vec::new();
            let mut pages = eks
                .list_associated_access_policies()
                .cluster_name(&cluster)
                .principal_arn(&principal)
                .max_results(100)
                .into_paginator()
                .send();
            while let Some(page) = {
                let _p = ctx.permit("eks").await;
                pages.next().await
            } {
                match page {
                    Ok(page) => out.extend(
                        page.associated_access_policies()
                            .iter()
                            .map(|p| map(&cluster, &principal, p, &ctx.region, &ctx.account)),
                    ),
                    // The entry was deleted after it was listed.
                    Err(e) if not_found(&e) => break,
                    Err(e) => return Err(read_error("eks", &ctx.region, TYPES, e)),
                }
            }
            Ok(out)
        })
        .buffer_unordered(ctx.limit("eks"))
        .try_collect()
        .await?;
    Ok(per_entry.into_iter().flatten().collect())
}

/// Pure mapping from the SDK's `AssociatedAccessPolicy` (with its entry's cluster and
/// principal) to provider v5 attributes.
pub fn map(cluster: &str, principal: &str, p: &AssociatedAccessPolicy, region: &str, account: &str) -> Resource {
    let policy = p.policy_arn().unwrap_or_default();
    let id = format!("{cluster}#{principal}#{policy}");
    let mut r = Resource::live("aws_eks_access_policy_association", id.as_str(), region, account, None)
        .with("id", id.as_str())
        .with("cluster_name", cluster)
        .with("principal_arn", principal)
        .with("policy_arn", policy);
    r.set(
        "access_scope",
        match p.access_scope() {
            Some(s) => Value::block([
                ("namespaces", set(s.namespaces().iter().map(String::as_str))),
                ("type", Value::str(s.r#type().map(|t| t.as_str()).unwrap_or_default())),
            ]),
            None => Value::List(Vec::new()),
        },
    );
    r
}

/// `accessScope.namespaces`, when the request names a scope.
fn namespaces(req: &J, _resp: &J, out: &mut Vec<Written>) {
    if first(req, "accessScope").is_none() {
        return;
    }
    let ns = match first(req, "accessScope.namespaces") {
        Some(J::Array(items)) => {
            let mut v: Vec<&str> = items.iter().filter_map(J::as_str).collect();
            v.sort_unstable();
            Value::string_list(v)
        }
        Some(other) => value(other),
        None => Value::List(Vec::new()),
    };
    out.push(Written::Set { path: "access_scope[0].namespaces".into(), value: ns });
}

#[cfg(test)]
mod tests {
    use aws_sdk_eks::types::{AccessScope, AccessScopeType};

    use super::*;
    use crate::aws::event::of;

    #[test]
    fn maps_provider_attributes() {
        let p = AssociatedAccessPolicy::builder()
            .policy_arn("arn:aws:eks::aws:cluster-access-policy/AmazonEKSViewPolicy")
            .access_scope(
                AccessScope::builder().r#type(AccessScopeType::Namespace).namespaces("b").namespaces("a").build(),
            )
            .build();
        let r = map("clinic", "arn:aws:iam::1:role/admin", &p, "us-east-1", "1");
        assert_eq!(r.id, "clinic#arn:aws:iam::1:role/admin#arn:aws:eks::aws:cluster-access-policy/AmazonEKSViewPolicy");
        let scope = r.attr("access_scope");
        assert_eq!(scope.get("type"), Some(&Value::str("namespace")));
        assert_eq!(scope.get("namespaces"), Some(&Value::string_list(["a", "b"])));
    }

    #[test]
    fn events() {
        let assoc = of("aws_eks_access_policy_association", "eks", "AssociateAccessPolicy");
        let req = serde_json::json!({
            "name": "clinic",
            "principalArn": "arn:aws:iam::1:role/admin",
            "policyArn": "arn:aws:eks::aws:cluster-access-policy/AmazonEKSClusterAdminPolicy",
            "accessScope": {"type": "cluster"}
        });
        assert_eq!(
            assoc.identifiers(&req, &J::Null),
            vec!["clinic#arn:aws:iam::1:role/admin#arn:aws:eks::aws:cluster-access-policy/AmazonEKSClusterAdminPolicy"]
        );
        assert_eq!(
            assoc.writes(&req, &J::Null),
            vec![
                Written::Set { path: "access_scope[0].type".into(), value: Value::str("cluster") },
                Written::Set { path: "access_scope[0].namespaces".into(), value: Value::List(vec![]) },
            ]
        );
        let dis = of("aws_eks_access_policy_association", "eks", "DisassociateAccessPolicy");
        assert_eq!(dis.identifiers(&req, &J::Null).len(), 1);
    }
}

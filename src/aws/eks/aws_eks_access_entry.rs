//! `aws_eks_access_entry`: ListAccessEntries per cluster (shared with the policy
//! associations) and one DescribeAccessEntry per entry.
//!
//! Import id `cluster:principal_arn`, as the provider's. A cluster that authenticates only
//! through the aws-auth ConfigMap (`CONFIG_MAP`) has no access entries.
//!
//! AWS-managed: when a managed node group is created on a cluster that uses access entries,
//! EKS itself adds an `EC2_LINUX` / `EC2_WINDOWS` entry for the node role (and a Fargate
//! profile a `FARGATE_LINUX` one for its pod execution role). Those are flagged
//! `aws_default`: an `EC2_*` entry whose principal is the node role of a managed node group
//! of the same cluster, and every `FARGATE_LINUX` entry. An `EC2_*` entry for a self-managed
//! group's role is the user's and stays judged.

use std::collections::HashSet;

use aws_sdk_eks::types::AccessEntry;
use futures::{FutureExt, StreamExt, TryStreamExt};

use super::{access_entry_principals, node_groups, not_found, set, tags};
use crate::aws::errors::read_error;
use crate::aws::event::{Event, W};
use crate::aws::{Ctx, FetchResult, Identity, Read, ResourceType};
use crate::model::{Resource, Value};

const TYPES: &[&str] = &["aws_eks_access_entry"];

const ID: &[&str] = &["{name|clusterName}:{principalArn}"];

pub static TYPE: ResourceType = ResourceType {
    read: Some(Read { fetch: |ctx| fetch(ctx).boxed(), global: false }),
    identity: Identity { names: &["principal_arn", "access_entry_arn"], ..Identity::NONE },
    events: &[
        Event::create("eks", "CreateAccessEntry", ID).writing(&[
            W::List("kubernetes_groups", "kubernetesGroups[]"),
            W::Param("user_name", "username"),
            W::Param("type", "type"),
            W::Custom(super::tag_map),
        ]),
        Event::modify("eks", "UpdateAccessEntry", ID)
            .writing(&[W::List("kubernetes_groups", "kubernetesGroups[]"), W::Param("user_name", "username")]),
        Event::delete("eks", "DeleteAccessEntry", ID),
        super::TAG_RESOURCE,
        super::UNTAG_RESOURCE,
    ],
    ..ResourceType::base("aws_eks_access_entry", "eks")
};

async fn fetch(ctx: &Ctx) -> FetchResult {
    let eks = ctx.client::<aws_sdk_eks::Client>();
    let eks = &eks;
    let principals = access_entry_principals(ctx, TYPES).await?;
    // (cluster, node role) of every managed node group: the entries EKS made for them.
    let node_roles: HashSet<(String, String)> = if principals.is_empty() {
        HashSet::new()
    } else {
        node_groups(ctx, TYPES)
            .await?
            .iter()
            .filter_map(|g| Some((g.cluster_name()?.to_string(), g.node_role()?.to_string())))
            .collect()
    };
    let node_roles = &node_roles;
    let found: Vec<Option<Resource>> = futures::stream::iter(principals)
        .map(|(cluster, principal)| async move {
            let _p = ctx.permit("eks").await;
            match eks.describe_access_entry().cluster_name(&cluster).principal_arn(&principal).send().await {
                Ok(out) => Ok(out.access_entry().map(|e| {
                    let made_by_eks = node_roles.contains(&(cluster.clone(), principal.clone()));
                    map(e, made_by_eks, &ctx.region, &ctx.account)
                })),
                Err(e) if not_found(&e) => Ok(None),
                Err(e) => Err(read_error("eks", &ctx.region, TYPES, e)),
            }
        })
        .buffer_unordered(ctx.limit("eks"))
        .try_collect()
        .await?;
    Ok(found.into_iter().flatten().collect())
}

/// Pure mapping from the SDK's `AccessEntry` to provider v5 attributes. `node_role_of_a_node_group`:
/// its principal is the node role of a managed node group of the same cluster.
pub fn map(e: &AccessEntry, node_role_of_a_node_group: bool, region: &str, account: &str) -> Resource {
    let cluster = e.cluster_name().unwrap_or_default();
    let principal = e.principal_arn().unwrap_or_default();
    let id = format!("{cluster}:{principal}");
    let arn = e.access_entry_arn().map(str::to_string);
    let kind = e.r#type().unwrap_or_default();
    let mut r = Resource::live("aws_eks_access_entry", id.as_str(), region, account, arn.clone())
        .with("id", id.as_str())
        .with("access_entry_arn", Value::opt_str(arn))
        .with("cluster_name", cluster)
        .with("principal_arn", principal)
        .with("kubernetes_groups", set(e.kubernetes_groups().iter().map(String::as_str)))
        .with("type", kind)
        .with("user_name", e.username().unwrap_or_default())
        .with("tags", tags(e.tags()));
    r.aws_default = match kind {
        "EC2_LINUX" | "EC2_WINDOWS" => node_role_of_a_node_group,
        "FARGATE_LINUX" => true,
        _ => false,
    };
    r
}

#[cfg(test)]
mod tests {
    use serde_json::Value as J;

    use super::*;
    use crate::aws::event::{Written, of};

    fn entry(kind: &str) -> AccessEntry {
        AccessEntry::builder()
            .cluster_name("clinic")
            .principal_arn("arn:aws:iam::123456789012:role/admin")
            .access_entry_arn("arn:aws:eks:us-east-1:123456789012:access-entry/clinic/role/123456789012/admin/uuid")
            .kubernetes_groups("ops")
            .username("arn:aws:sts::123456789012:assumed-role/admin/{{SessionName}}")
            .r#type(kind)
            .build()
    }

    #[test]
    fn maps_provider_attributes() {
        let r = map(&entry("STANDARD"), false, "us-east-1", "123456789012");
        assert_eq!(r.id, "clinic:arn:aws:iam::123456789012:role/admin");
        assert_eq!(r.attr_str("type"), Some("STANDARD"));
        assert_eq!(r.attr("kubernetes_groups"), &Value::string_list(["ops"]));
        assert_eq!(r.attr_str("user_name"), Some("arn:aws:sts::123456789012:assumed-role/admin/{{SessionName}}"));
        assert_eq!(r.attr("tags"), &Value::Map(Default::default()));
        assert!(!r.aws_default);
    }

    #[test]
    fn entries_eks_makes_for_node_roles_are_aws_managed() {
        assert!(map(&entry("EC2_LINUX"), true, "us-east-1", "1").aws_default);
        // A self-managed group's role: the user's entry.
        assert!(!map(&entry("EC2_LINUX"), false, "us-east-1", "1").aws_default);
        assert!(map(&entry("FARGATE_LINUX"), false, "us-east-1", "1").aws_default);
        assert!(!map(&entry("STANDARD"), true, "us-east-1", "1").aws_default);
    }

    #[test]
    fn events() {
        let create = of("aws_eks_access_entry", "eks", "CreateAccessEntry");
        let req = serde_json::json!({
            "name": "clinic",
            "principalArn": "arn:aws:iam::1:role/admin",
            "kubernetesGroups": ["ops"],
            "type": "STANDARD"
        });
        assert_eq!(create.identifiers(&req, &J::Null), vec!["clinic:arn:aws:iam::1:role/admin"]);
        let w = create.writes(&req, &J::Null);
        assert!(w.contains(&Written::Set { path: "kubernetes_groups".into(), value: Value::string_list(["ops"]) }));
        assert!(w.contains(&Written::Set { path: "type".into(), value: Value::str("STANDARD") }));
        let delete = of("aws_eks_access_entry", "eks", "DeleteAccessEntry");
        let req = serde_json::json!({"clusterName": "clinic", "principalArn": "arn:aws:iam::1:role/admin"});
        assert_eq!(delete.identifiers(&req, &J::Null), vec!["clinic:arn:aws:iam::1:role/admin"]);
    }
}

//! `aws_eks_addon`: ListAddons per cluster and one DescribeAddon per add-on.
//!
//! Import id `cluster:addon`, as the provider's. `configuration_values` and
//! `service_account_role_arn` are `""` when EKS answers none (the provider's zero values).
//!
//! Left Unknown: `pod_identity_association` when the add-on has any (EKS answers only the
//! associations' ARNs; the role and service account need one DescribePodIdentityAssociation
//! each), and the configuration-only `preserve`, `resolve_conflicts*`.

use aws_sdk_eks::types::Addon;
use futures::{FutureExt, StreamExt, TryStreamExt};

use super::{cluster_names, not_found, tags};
use crate::aws::errors::read_error;
use crate::aws::event::{Event, W};
use crate::aws::{Ctx, FetchResult, Identity, Read, ResourceType};
use crate::model::{Resource, Value};

const TYPES: &[&str] = &["aws_eks_addon"];

const ID: &[&str] = &["{name|clusterName}:{addonName}"];

const WRITES: &[W] = &[
    W::Param("addon_version", "addonVersion"),
    W::Param("service_account_role_arn", "serviceAccountRoleArn"),
    W::Param("configuration_values", "configurationValues"),
];

pub static TYPE: ResourceType = ResourceType {
    read: Some(Read { fetch: |ctx| fetch(ctx).boxed(), global: false }),
    identity: Identity { names: &["addon_name"], ..Identity::NONE },
    events: &[
        Event::create("eks", "CreateAddon", ID).writing(&[
            W::Param("addon_version", "addonVersion"),
            W::Param("service_account_role_arn", "serviceAccountRoleArn"),
            W::Param("configuration_values", "configurationValues"),
            W::Custom(super::tag_map),
        ]),
        Event::modify("eks", "UpdateAddon", ID).writing(WRITES),
        Event::delete("eks", "DeleteAddon", ID),
        super::TAG_RESOURCE,
        super::UNTAG_RESOURCE,
    ],
    ..ResourceType::base("aws_eks_addon", "eks")
};

async fn fetch(ctx: &Ctx) -> FetchResult {
    let eks = ctx.client::<aws_sdk_eks::Client>();
    let eks = &eks;
    let clusters = cluster_names(ctx, TYPES).await?;
    let pairs: Vec<Vec<(String, String)>> = futures::stream::iter(clusters)
        .map(|cluster| async move {
            let mut names = Vec::new();
            let mut pages = eks.list_addons().cluster_name(&cluster).max_results(100).into_paginator().send();
            while let Some(page) = {
                let _p = ctx.permit("eks").await;
                pages.next().await
            } {
                match page {
                    Ok(page) => names.extend(page.addons().iter().map(|a| (cluster.clone(), a.clone()))),
                    Err(e) if not_found(&e) => break,
                    Err(e) => return Err(read_error("eks", &ctx.region, TYPES, e)),
                }
            }
            Ok(names)
        })
        .buffer_unordered(ctx.limit("eks"))
        .try_collect()
        .await?;
    let found: Vec<Option<Resource>> = futures::stream::iter(pairs.into_iter().flatten())
        .map(|(cluster, name)| async move {
            let _p = ctx.permit("eks").await;
            match eks.describe_addon().cluster_name(&cluster).addon_name(&name).send().await {
                Ok(out) => Ok(out.addon().map(|a| map(a, &ctx.region, &ctx.account))),
                Err(e) if not_found(&e) => Ok(None),
                Err(e) => Err(read_error("eks", &ctx.region, TYPES, e)),
            }
        })
        .buffer_unordered(ctx.limit("eks"))
        .try_collect()
        .await?;
    Ok(found.into_iter().flatten().collect())
}

/// Pure mapping from the SDK's `Addon` to provider v5 attributes.
pub fn map(a: &Addon, region: &str, account: &str) -> Resource {
    let cluster = a.cluster_name().unwrap_or_default();
    let name = a.addon_name().unwrap_or_default();
    let id = format!("{cluster}:{name}");
    let arn = a.addon_arn().map(str::to_string);
    let mut r = Resource::live("aws_eks_addon", id.as_str(), region, account, arn.clone())
        .with("id", id.as_str())
        .with("arn", Value::opt_str(arn))
        .with("cluster_name", cluster)
        .with("addon_name", name)
        .with("addon_version", a.addon_version().unwrap_or_default())
        .with("configuration_values", a.configuration_values().unwrap_or_default())
        .with("service_account_role_arn", a.service_account_role_arn().unwrap_or_default())
        .with("tags", tags(a.tags()));
    if a.pod_identity_associations().is_empty() {
        r.set("pod_identity_association", Value::List(Vec::new()));
    }
    r
}

#[cfg(test)]
mod tests {
    use std::collections::HashMap;

    use serde_json::Value as J;

    use super::*;
    use crate::aws::event::{Written, of};

    #[test]
    fn maps_provider_attributes() {
        let a = Addon::builder()
            .addon_name("vpc-cni")
            .cluster_name("clinic")
            .addon_version("v1.19.2-eksbuild.1")
            .addon_arn("arn:aws:eks:us-east-1:123456789012:addon/clinic/vpc-cni/uuid")
            .set_tags(Some(HashMap::from([("Team".to_string(), "platform".to_string())])))
            .build();
        let r = map(&a, "us-east-1", "123456789012");
        assert_eq!(r.id, "clinic:vpc-cni");
        assert_eq!(r.attr_str("addon_version"), Some("v1.19.2-eksbuild.1"));
        assert_eq!(r.attr_str("configuration_values"), Some(""));
        assert_eq!(r.attr_str("service_account_role_arn"), Some(""));
        assert_eq!(r.attr("pod_identity_association"), &Value::List(vec![]));
        assert_eq!(r.attr("tags"), &Value::string_map([("Team", "platform")]));
        assert_eq!(r.attr("preserve"), &Value::Unknown);
        // Pod identity associations are only named by ARN: not read.
        let with = Addon::builder().addon_name("x").cluster_name("c").pod_identity_associations("arn:p").build();
        assert_eq!(map(&with, "us-east-1", "1").attr("pod_identity_association"), &Value::Unknown);
    }

    #[test]
    fn events() {
        let update = of("aws_eks_addon", "eks", "UpdateAddon");
        let req = serde_json::json!({"name": "clinic", "addonName": "vpc-cni", "addonVersion": "v1.20.0-eksbuild.1"});
        assert_eq!(update.identifiers(&req, &J::Null), vec!["clinic:vpc-cni"]);
        assert_eq!(
            update.writes(&req, &J::Null),
            vec![Written::Set { path: "addon_version".into(), value: Value::str("v1.20.0-eksbuild.1") }]
        );
        let create = of("aws_eks_addon", "eks", "CreateAddon");
        let req = serde_json::json!({"clusterName": "clinic", "addonName": "coredns", "tags": {"Team": "platform"}});
        assert_eq!(create.identifiers(&req, &J::Null), vec!["clinic:coredns"]);
        let delete = of("aws_eks_addon", "eks", "DeleteAddon");
        let req = serde_json::json!({"name": "clinic", "addonName": "coredns", "preserve": false});
        assert_eq!(delete.identifiers(&req, &J::Null), vec!["clinic:coredns"]);
    }
}

//! EKS: clusters, managed node groups, add-ons, access entries and their access policy
//! associations.
//!
//! Every type starts from the region's cluster list (ListClusters, read once and shared),
//! then fans out per cluster (and per node group, add-on, access entry) under the EKS
//! concurrency bound. A node group, add-on or access entry deleted between its listing and
//! its Describe is gone, not an error.
//!
//! CloudTrail: EKS is a REST API whose URI names the cluster (`/clusters/{name}/...`); its
//! records carry the cluster as `name` (some samples show `clusterName`: both are read) and
//! the part as `nodegroupName`, `addonName`, `principalArn`, `policyArn`. Import ids are
//! composed from them exactly as the provider's (`cluster:nodegroup`,
//! `cluster:principal_arn`, `cluster#principal_arn#policy_arn`).

mod aws_eks_access_entry;
mod aws_eks_access_policy_association;
mod aws_eks_addon;
mod aws_eks_cluster;
mod aws_eks_node_group;

use std::collections::HashMap;

use aws_sdk_eks::error::ProvideErrorMetadata;
use aws_sdk_eks::types::Nodegroup;
use aws_smithy_runtime_api::client::result::SdkError;
use futures::{StreamExt, TryStreamExt};
use serde_json::Value as Json;

use super::Ctx;
use super::Service;
use super::client::for_caller;
use super::errors::{read_error, service_code};
use super::event::{Event, W, Written, value};
use crate::model::{ReadError, Value};

crate::sdk_client!(aws_sdk_eks);

pub static SERVICE: Service = Service {
    name: "eks",
    concurrency: 4,
    types: &[
        &aws_eks_cluster::TYPE,
        &aws_eks_node_group::TYPE,
        &aws_eks_addon::TYPE,
        &aws_eks_access_entry::TYPE,
        &aws_eks_access_policy_association::TYPE,
    ],
};

/// Every cluster name in the region (ListClusters, paginated), read once per scan.
pub(crate) async fn cluster_names(ctx: &Ctx, types: &[&str]) -> Result<Vec<String>, ReadError> {
    let cached: Result<Vec<String>, ReadError> = ctx
        .once("eks:ListClusters", || async {
            let eks = ctx.client::<aws_sdk_eks::Client>();
            let mut names = Vec::new();
            let mut pages = eks.list_clusters().max_results(100).into_paginator().send();
            while let Some(page) = {
                let _p = ctx.permit("eks").await;
                pages.next().await
            } {
                let page = page.map_err(|e| read_error("eks", &ctx.region, types, e))?;
                names.extend(page.clusters().iter().cloned());
            }
            names.sort();
            names.dedup();
            Ok(names)
        })
        .await;
    for_caller(&cached, types)
}

/// Every managed node group of every cluster (ListNodegroups + DescribeNodegroup), read
/// once: the node groups and the access entries EKS creates for their roles share it.
pub(crate) async fn node_groups(ctx: &Ctx, types: &[&str]) -> Result<Vec<Nodegroup>, ReadError> {
    let cached: Result<Vec<Nodegroup>, ReadError> = ctx
        .once("eks:DescribeNodegroup", || async {
            let eks = ctx.client::<aws_sdk_eks::Client>();
            let eks = &eks;
            let clusters = cluster_names(ctx, types).await?;
            // (cluster, node group) pairs, then one Describe each.
            let pairs: Vec<Vec<(String, String)>> = futures::stream::iter(clusters)
                .map(|cluster| async move {
                    let mut names = Vec::new();
                    let mut pages =
                        eks.list_nodegroups().cluster_name(&cluster).max_results(100).into_paginator().send();
                    while let Some(page) = {
                        let _p = ctx.permit("eks").await;
                        pages.next().await
                    } {
                        match page {
                            Ok(page) => names.extend(page.nodegroups().iter().map(|n| (cluster.clone(), n.clone()))),
                            // The cluster was deleted after it was listed.
                            Err(e) if not_found(&e) => break,
                            Err(e) => return Err(read_error("eks", &ctx.region, types, e)),
                        }
                    }
                    Ok(names)
                })
                .buffer_unordered(ctx.limit("eks"))
                .try_collect()
                .await?;
            let found: Vec<Option<Nodegroup>> = futures::stream::iter(pairs.into_iter().flatten())
                .map(|(cluster, name)| async move {
                    let _p = ctx.permit("eks").await;
                    match eks.describe_nodegroup().cluster_name(&cluster).nodegroup_name(&name).send().await {
                        Ok(out) => Ok(out.nodegroup().cloned()),
                        Err(e) if not_found(&e) => Ok(None),
                        Err(e) => Err(read_error("eks", &ctx.region, types, e)),
                    }
                })
                .buffer_unordered(ctx.limit("eks"))
                .try_collect()
                .await?;
            let mut groups: Vec<Nodegroup> = found.into_iter().flatten().collect();
            groups.sort_by(|a, b| (a.cluster_name(), a.nodegroup_name()).cmp(&(b.cluster_name(), b.nodegroup_name())));
            Ok(groups)
        })
        .await;
    for_caller(&cached, types)
}

/// The principal ARNs of every cluster's access entries (ListAccessEntries), read once: the
/// entries and their policy associations share it. A cluster whose authentication mode is
/// `CONFIG_MAP` has no access entries (EKS answers the listing with an error saying so).
pub(crate) async fn access_entry_principals(ctx: &Ctx, types: &[&str]) -> Result<Vec<(String, String)>, ReadError> {
    let cached: Result<Vec<(String, String)>, ReadError> = ctx
        .once("eks:ListAccessEntries", || async {
            let eks = ctx.client::<aws_sdk_eks::Client>();
            let eks = &eks;
            let clusters = cluster_names(ctx, types).await?;
            let per_cluster: Vec<Vec<(String, String)>> = futures::stream::iter(clusters)
                .map(|cluster| async move {
                    let mut out = Vec::new();
                    let mut pages =
                        eks.list_access_entries().cluster_name(&cluster).max_results(100).into_paginator().send();
                    while let Some(page) = {
                        let _p = ctx.permit("eks").await;
                        pages.next().await
                    } {
                        match page {
                            Ok(page) => out.extend(page.access_entries().iter().map(|p| (cluster.clone(), p.clone()))),
                            Err(e) if not_found(&e) || config_map_only(&e) => break,
                            Err(e) => return Err(read_error("eks", &ctx.region, types, e)),
                        }
                    }
                    Ok(out)
                })
                .buffer_unordered(ctx.limit("eks"))
                .try_collect()
                .await?;
            let mut all: Vec<(String, String)> = per_cluster.into_iter().flatten().collect();
            all.sort();
            Ok(all)
        })
        .await;
    for_caller(&cached, types)
}

/// The resource was deleted between the listing and this call.
pub(crate) fn not_found<E: ProvideErrorMetadata, R>(e: &SdkError<E, R>) -> bool {
    service_code(e) == Some("ResourceNotFoundException")
}

/// "The cluster's authentication mode must be set to one of [API, API_AND_CONFIG_MAP]": a
/// cluster that authenticates only through the aws-auth ConfigMap has no access entries.
fn config_map_only<E: ProvideErrorMetadata, R>(e: &SdkError<E, R>) -> bool {
    match e {
        SdkError::ServiceError(se) => {
            se.err().code() == Some("InvalidRequestException")
                && se.err().message().is_some_and(|m| m.contains("authentication mode"))
        }
        _ => false,
    }
}

/// EKS tags (a map) as the provider's `tags`: keys AWS itself adds (`aws:*`) are hidden.
pub(crate) fn tags(tags: Option<&HashMap<String, String>>) -> Value {
    Value::string_map(
        tags.into_iter().flatten().filter(|(k, _)| !k.starts_with("aws:")).map(|(k, v)| (k.clone(), v.clone())),
    )
}

/// Sorted strings: a set-typed attribute.
pub(crate) fn set<'a>(items: impl IntoIterator<Item = &'a str>) -> Value {
    let mut v: Vec<&str> = items.into_iter().collect();
    v.sort_unstable();
    v.dedup();
    Value::string_list(v)
}

/// `0` for an absent number, as the provider's SDKv2 state stores it.
pub(crate) fn int(i: Option<i32>) -> Value {
    Value::int(i.unwrap_or(0).into())
}

/// TagResource / UntagResource on any EKS resource (by ARN).
pub(crate) const TAG_RESOURCE: Event =
    Event::modify("eks", "TagResource", &["resourceArn"]).writing(&[W::Custom(tag_map)]);
pub(crate) const UNTAG_RESOURCE: Event =
    Event::modify("eks", "UntagResource", &["resourceArn"]).writing(&[W::Untags { items: "tagKeys[]", key: "" }]);

/// `tags: {k: v}` (EKS requests carry tags as a map, not a key/value list).
pub(crate) fn tag_map(req: &Json, _resp: &Json, out: &mut Vec<Written>) {
    if let Some(Json::Object(m)) = req.get("tags") {
        for (k, v) in m {
            out.push(Written::Set { path: format!("tags.{k}"), value: value(v) });
        }
    }
}

//! ElastiCache: replication groups, cache clusters and subnet groups.
//!
//! DescribeCacheClusters is read once per region and shared: `aws_elasticache_cluster` is one
//! resource per cluster, and a replication group's encryption, AUTH, engine, network and
//! maintenance settings are read from its first member cluster, as the provider reads them.
//! Tags are one ListTagsForResource per resource (ElastiCache has no bulk tag read).

mod aws_elasticache_cluster;
mod aws_elasticache_replication_group;
mod aws_elasticache_subnet_group;

use aws_sdk_elasticache::types::{CacheCluster, DestinationType, LogDeliveryConfiguration, Tag};

use super::errors::{read_error, service_code};
use super::event::{Event, W};
use super::{Ctx, Service};
use crate::model::{ReadError, Resource, Value};

crate::sdk_client!(aws_sdk_elasticache);

pub static SERVICE: Service = Service {
    name: "elasticache",
    concurrency: 4,
    types: &[
        &aws_elasticache_replication_group::TYPE,
        &aws_elasticache_cluster::TYPE,
        &aws_elasticache_subnet_group::TYPE,
    ],
};

/// Error codes of a resource deleted between its listing and a later call.
const GONE: &[&str] = &[
    "CacheClusterNotFound",
    "CacheClusterNotFoundFault",
    "ReplicationGroupNotFoundFault",
    "ReplicationGroupNotFound",
    "CacheSubnetGroupNotFoundFault",
    "CacheSubnetGroupNotFound",
];

/// Tags on any ElastiCache resource, named by its ARN (`resourceName`).
pub(crate) const ADD_TAGS: Event = Event::modify("elasticache", "AddTagsToResource", &["resourceName"])
    .writing(&[W::Tags { items: "tags[]", key: "key", value: "value" }]);
pub(crate) const REMOVE_TAGS: Event = Event::modify("elasticache", "RemoveTagsFromResource", &["resourceName"])
    .writing(&[W::Untags { items: "tagKeys[]", key: "" }]);

/// Every cache cluster of the region with its nodes (DescribeCacheClusters with
/// `ShowCacheNodeInfo`, paginated), read once per context and shared by the cluster and
/// replication group types.
pub(crate) async fn cache_clusters(ctx: &Ctx, types: &[&str]) -> Result<Vec<CacheCluster>, ReadError> {
    const SHARED_BY: &[&str] = &["aws_elasticache_cluster", "aws_elasticache_replication_group"];
    let cached = ctx
        .once("elasticache:DescribeCacheClusters", || async {
            let elasticache = ctx.client::<aws_sdk_elasticache::Client>();
            let mut out = Vec::new();
            let mut pages = elasticache.describe_cache_clusters().show_cache_node_info(true).into_paginator().send();
            while let Some(page) = {
                let _p = ctx.permit("elasticache").await;
                pages.next().await
            } {
                let page = page.map_err(|e| read_error("elasticache", &ctx.region, SHARED_BY, e))?;
                out.extend(page.cache_clusters().iter().cloned());
            }
            Ok(out)
        })
        .await;
    crate::aws::client::for_caller(&cached, types)
}

/// The tags of the resource named by `arn`: `Ok(None)` when it was deleted since it was
/// listed.
pub(crate) async fn tags_of(ctx: &Ctx, arn: &str, types: &[&str]) -> Result<Option<Vec<Tag>>, ReadError> {
    let elasticache = ctx.client::<aws_sdk_elasticache::Client>();
    let _p = ctx.permit("elasticache").await;
    match elasticache.list_tags_for_resource().resource_name(arn).send().await {
        Ok(out) => Ok(Some(out.tag_list().to_vec())),
        Err(e) if service_code(&e).is_some_and(|c| GONE.contains(&c)) => Ok(None),
        Err(e) => Err(read_error("elasticache", &ctx.region, types, e)),
    }
}

/// ElastiCache's tag list as the provider's `tags` map (AWS's own `aws:` keys left out).
pub(crate) fn tags(tags: &[Tag]) -> Value {
    Value::string_map(
        tags.iter()
            .filter_map(|t| Some((t.key()?.to_string(), t.value().unwrap_or_default().to_string())))
            .filter(|(k, _)| !k.starts_with("aws:")),
    )
}

/// Set the tags read for `r` (`None`: not read, left Unknown).
pub(crate) fn set_tags(r: &mut Resource, read: Option<&[Tag]>) {
    if let Some(t) = read {
        r.set("tags", tags(t));
    }
}

/// `engine_version` as the provider stores it: Redis 6 and later and Valkey as
/// `major.minor` (the provider keeps a configured `7.x` form, which the
/// `elasticache_engine_version` normalisation accounts for), older Redis and Memcached in full.
pub(crate) fn engine_version(engine: &str, actual: &str) -> String {
    let mut parts = actual.split('.');
    let major = parts.next().and_then(|m| m.parse::<u32>().ok());
    let minor = parts.next().unwrap_or("0");
    match (engine, major) {
        ("redis" | "valkey", Some(m)) if m >= 6 || engine == "valkey" => format!("{m}.{minor}"),
        _ => actual.to_string(),
    }
}

/// `log_delivery_configuration` as the provider stores it: one block per active
/// configuration (`destination` is the log group or the Firehose stream).
pub(crate) fn log_delivery(configs: &[LogDeliveryConfiguration]) -> Value {
    Value::List(
        configs
            .iter()
            .filter(|c| c.status().is_none_or(|s| s.as_str() != "disabling"))
            .map(|c| {
                let details = c.destination_details();
                let destination = match c.destination_type() {
                    Some(DestinationType::KinesisFirehose) => {
                        details.and_then(|d| d.kinesis_firehose_details()).and_then(|f| f.delivery_stream())
                    }
                    Some(DestinationType::CloudWatchLogs) => {
                        details.and_then(|d| d.cloud_watch_logs_details()).and_then(|l| l.log_group())
                    }
                    _ => None,
                };
                Value::object([
                    ("destination", destination.unwrap_or_default().into()),
                    ("destination_type", c.destination_type().map(|t| t.as_str()).unwrap_or_default().into()),
                    ("log_format", c.log_format().map(|f| f.as_str()).unwrap_or_default().into()),
                    ("log_type", c.log_type().map(|t| t.as_str()).unwrap_or_default().into()),
                ])
            })
            .collect(),
    )
}

/// Sorted, deduplicated strings as a set-typed attribute.
pub(crate) fn string_set<'a>(items: impl IntoIterator<Item = &'a str>) -> Value {
    let mut v: Vec<&str> = items.into_iter().collect();
    v.sort_unstable();
    v.dedup();
    Value::string_list(v)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn engine_versions_as_the_provider_stores_them() {
        assert_eq!(engine_version("redis", "7.1.0"), "7.1");
        assert_eq!(engine_version("redis", "6.2.6"), "6.2");
        assert_eq!(engine_version("redis", "5.0.6"), "5.0.6");
        assert_eq!(engine_version("valkey", "8.0.1"), "8.0");
        assert_eq!(engine_version("memcached", "1.6.22"), "1.6.22");
    }
}

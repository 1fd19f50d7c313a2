//! `aws_elasticache_cluster`: the DescribeCacheClusters listing shared with the replication
//! groups (with node information), and ListTagsForResource per cluster.
//!
//! Identity: the cluster id (tfstate `id` = `cluster_id`).
//!
//! Filled as the provider reads it: `node_type`, `engine`, `engine_version` (Memcached in
//! full, Redis 6 and later as `major.minor`) and `engine_version_actual`,
//! `auto_minor_version_upgrade` (`"true"` / `"false"`), `subnet_group_name`,
//! `security_group_ids`, `parameter_group_name`, `maintenance_window`,
//! `log_delivery_configuration`, `snapshot_window`, `snapshot_retention_limit`,
//! `num_cache_nodes`, `port`, `configuration_endpoint` (`address:port`) and `cluster_address`
//! (Memcached), `replication_group_id`, `notification_topic_arn` (while its topic is active),
//! `availability_zone`, `az_mode` (`cross-az` when AWS answers the zone `Multiple`),
//! `cache_nodes`, `ip_discovery`, `network_type`, `preferred_outpost_arn`,
//! `transit_encryption_enabled`, `tags`.
//!
//! A replication group's member clusters are listed too: they are the group's (AWS makes them
//! for it), marked `aws_default` so that they are never unmanaged; one a state manages as an
//! `aws_elasticache_cluster` (a replica added to a group) is still judged. A cluster being
//! deleted is not emitted. Left Unknown (request only): `apply_immediately`,
//! `final_snapshot_identifier`, `outpost_mode`, `preferred_availability_zones`,
//! `snapshot_arns`, `snapshot_name`.

use aws_sdk_elasticache::types::{CacheCluster, Tag};
use futures::{FutureExt, StreamExt, TryStreamExt};

use super::{ADD_TAGS, REMOVE_TAGS, cache_clusters, engine_version, log_delivery, set_tags, string_set, tags_of};
use crate::aws::event::{Event, W};
use crate::aws::{Ctx, FetchResult, Identity, Read, ResourceType};
use crate::model::{ReadError, Resource, Value};

const TYPES: &[&str] = &["aws_elasticache_cluster"];

pub static TYPE: ResourceType = ResourceType {
    read: Some(Read { fetch: |ctx| fetch(ctx).boxed(), global: false }),
    identity: Identity::arn("elasticache", "cluster:", &["cluster_id"]),
    events: &[
        Event::create("elasticache", "CreateCacheCluster", &["cacheClusterId"]).writing(&[
            W::Param("engine", "engine"),
            W::Param("node_type", "cacheNodeType"),
            W::Param("num_cache_nodes", "numCacheNodes"),
            W::Param("az_mode", "aZMode|azMode"),
            W::Param("replication_group_id", "replicationGroupId"),
            W::Tags { items: "tags[]", key: "key", value: "value" },
        ]),
        Event::modify("elasticache", "ModifyCacheCluster", &["cacheClusterId"]).writing(&[
            W::Param("num_cache_nodes", "numCacheNodes"),
            W::Param("az_mode", "aZMode|azMode"),
            W::Param("node_type", "cacheNodeType"),
            W::Param("engine_version", "engineVersion"),
            W::Param("parameter_group_name", "cacheParameterGroupName"),
            W::Param("maintenance_window", "preferredMaintenanceWindow"),
            W::Param("snapshot_retention_limit", "snapshotRetentionLimit"),
            W::Param("snapshot_window", "snapshotWindow"),
            W::Param("notification_topic_arn", "notificationTopicArn"),
            W::Param("ip_discovery", "ipDiscovery"),
            W::List("security_group_ids", "securityGroupIds[]"),
        ]),
        Event::modify("elasticache", "RebootCacheCluster", &["cacheClusterId"]),
        Event::delete("elasticache", "DeleteCacheCluster", &["cacheClusterId"]),
        ADD_TAGS,
        REMOVE_TAGS,
    ],
    ..ResourceType::base("aws_elasticache_cluster", "elasticache")
};

async fn fetch(ctx: &Ctx) -> FetchResult {
    let clusters: Vec<CacheCluster> = cache_clusters(ctx, TYPES)
        .await?
        .into_iter()
        .filter(|c| !matches!(c.cache_cluster_status(), Some("deleting" | "deleted")))
        .collect();
    let found: Vec<Option<Resource>> = futures::stream::iter(clusters)
        .map(|c| async move {
            let tags = match c.arn() {
                Some(arn) => match tags_of(ctx, arn, TYPES).await? {
                    Some(t) => Some(t),
                    None => return Ok::<_, ReadError>(None),
                },
                None => None,
            };
            Ok(map(&c, tags.as_deref(), &ctx.region, &ctx.account))
        })
        .buffer_unordered(ctx.limit("elasticache"))
        .try_collect()
        .await?;
    Ok(found.into_iter().flatten().collect())
}

/// Pure mapping from a described cluster and its tags (`None`: not read). `None` for a
/// cluster without an id.
pub fn map(c: &CacheCluster, tags: Option<&[Tag]>, region: &str, account: &str) -> Option<Resource> {
    let id = c.cache_cluster_id()?;
    let arn = c.arn().map(str::to_string);
    let engine = c.engine().unwrap_or_default();
    let zone = c.preferred_availability_zone().unwrap_or_default();
    let nodes: Vec<Value> = {
        let mut nodes: Vec<_> = c.cache_nodes().iter().collect();
        nodes.sort_by_key(|n| n.cache_node_id());
        nodes
            .into_iter()
            .map(|n| {
                let endpoint = n.endpoint();
                Value::object([
                    ("id", n.cache_node_id().unwrap_or_default().into()),
                    ("address", endpoint.and_then(|e| e.address()).unwrap_or_default().into()),
                    ("port", Value::opt_int(endpoint.and_then(|e| e.port()))),
                    ("availability_zone", n.customer_availability_zone().unwrap_or_default().into()),
                    ("outpost_arn", n.customer_outpost_arn().unwrap_or_default().into()),
                ])
            })
            .collect()
    };
    let mut r = Resource::live("aws_elasticache_cluster", id, region, account, arn.clone())
        .with("id", id)
        .with("cluster_id", id)
        .with("arn", Value::opt_str(arn))
        .with("engine", engine)
        .with("node_type", Value::opt_str(c.cache_node_type()))
        .with("auto_minor_version_upgrade", c.auto_minor_version_upgrade().unwrap_or(false).to_string())
        .with("subnet_group_name", c.cache_subnet_group_name().unwrap_or_default())
        .with("security_group_ids", string_set(c.security_groups().iter().filter_map(|g| g.security_group_id())))
        .with("maintenance_window", c.preferred_maintenance_window().unwrap_or_default())
        .with("log_delivery_configuration", log_delivery(c.log_delivery_configurations()))
        .with("snapshot_window", c.snapshot_window().unwrap_or_default())
        .with("snapshot_retention_limit", c.snapshot_retention_limit().unwrap_or(0) as i64)
        .with("num_cache_nodes", Value::opt_int(c.num_cache_nodes()))
        .with("replication_group_id", c.replication_group_id().unwrap_or_default())
        .with("availability_zone", zone)
        .with("az_mode", if zone == "Multiple" { "cross-az" } else { "single-az" })
        .with("cache_nodes", Value::List(nodes))
        .with("ip_discovery", c.ip_discovery().map(|d| d.as_str()).unwrap_or_default())
        .with("network_type", c.network_type().map(|n| n.as_str()).unwrap_or_default())
        .with("preferred_outpost_arn", c.preferred_outpost_arn().unwrap_or_default())
        .with("transit_encryption_enabled", c.transit_encryption_enabled().unwrap_or(false));
    if let Some(v) = c.engine_version() {
        r.set("engine_version", engine_version(engine, v));
        r.set("engine_version_actual", v);
    }
    if let Some(p) = c.cache_parameter_group() {
        r.set("parameter_group_name", Value::opt_str(p.cache_parameter_group_name()));
    }
    if let Some(e) = c.configuration_endpoint() {
        r.set("port", Value::opt_int(e.port()));
        let address = e.address().unwrap_or_default();
        r.set("configuration_endpoint", format!("{address}:{}", e.port().unwrap_or(0)));
        r.set("cluster_address", address);
    } else if let Some(port) = c.cache_nodes().first().and_then(|n| n.endpoint()).and_then(|e| e.port()) {
        r.set("port", port);
    }
    let topic = c.notification_configuration().filter(|n| n.topic_status() == Some("active"));
    r.set("notification_topic_arn", Value::opt_str(topic.and_then(|n| n.topic_arn())));
    set_tags(&mut r, tags);
    // A replication group's own members.
    r.aws_default = c.replication_group_id().is_some_and(|g| !g.is_empty());
    Some(r)
}

#[cfg(test)]
mod tests {
    use super::*;
    use aws_sdk_elasticache::types::{CacheNode, CacheParameterGroupStatus, Endpoint, SecurityGroupMembership};
    use serde_json::json;

    fn memcached() -> CacheCluster {
        let node = |id: &str, zone: &str| {
            CacheNode::builder()
                .cache_node_id(id)
                .endpoint(Endpoint::builder().address(format!("lookup.{id}.cache")).port(11211).build())
                .customer_availability_zone(zone)
                .build()
        };
        CacheCluster::builder()
            .cache_cluster_id("lookup")
            .arn("arn:aws:elasticache:us-east-1:123456789012:cluster:lookup")
            .engine("memcached")
            .engine_version("1.6.22")
            .cache_node_type("cache.t4g.micro")
            .num_cache_nodes(2)
            .preferred_availability_zone("Multiple")
            .configuration_endpoint(Endpoint::builder().address("lookup.cfg.cache").port(11211).build())
            .cache_nodes(node("0002", "us-east-1b"))
            .cache_nodes(node("0001", "us-east-1a"))
            .security_groups(SecurityGroupMembership::builder().security_group_id("sg-1").build())
            .cache_parameter_group(
                CacheParameterGroupStatus::builder().cache_parameter_group_name("default.memcached1.6").build(),
            )
            .cache_subnet_group_name("cache")
            .preferred_maintenance_window("sun:07:00-sun:08:00")
            .auto_minor_version_upgrade(true)
            .build()
    }

    #[test]
    fn maps_a_memcached_cluster() {
        let r = map(&memcached(), Some(&[]), "us-east-1", "123456789012").unwrap();
        assert_eq!(r.id, "lookup");
        assert_eq!(r.attr_str("az_mode"), Some("cross-az"));
        assert_eq!(r.attr_str("availability_zone"), Some("Multiple"));
        assert_eq!(r.attr_str("engine_version"), Some("1.6.22"));
        assert_eq!(r.attr_str("configuration_endpoint"), Some("lookup.cfg.cache:11211"));
        assert_eq!(r.attr_str("cluster_address"), Some("lookup.cfg.cache"));
        assert_eq!(r.attr("port"), &Value::int(11211));
        assert_eq!(r.attr_str("parameter_group_name"), Some("default.memcached1.6"));
        assert_eq!(r.attr("security_group_ids"), &Value::string_list(["sg-1"]));
        assert_eq!(r.attr_str("replication_group_id"), Some(""));
        assert_eq!(r.attr("notification_topic_arn"), &Value::Null);
        let nodes = r.attr("cache_nodes").as_list().unwrap();
        assert_eq!(nodes[0].get("id"), Some(&Value::from("0001")));
        assert_eq!(nodes[1].get("availability_zone"), Some(&Value::from("us-east-1b")));
        assert_eq!(r.attr("tags"), &Value::Map(Default::default()));
        assert!(!r.aws_default);
        assert_eq!(r.attr("final_snapshot_identifier"), &Value::Unknown);
    }

    #[test]
    fn replication_group_members_are_the_groups() {
        let member = CacheCluster::builder()
            .cache_cluster_id("sessions-001")
            .engine("redis")
            .engine_version("7.1.0")
            .replication_group_id("sessions")
            .preferred_availability_zone("us-east-1a")
            .build();
        let r = map(&member, None, "us-east-1", "1").unwrap();
        assert!(r.aws_default);
        assert_eq!(r.attr_str("az_mode"), Some("single-az"));
        assert_eq!(r.attr_str("engine_version"), Some("7.1"));
        assert_eq!(r.attr("tags"), &Value::Unknown);
    }

    #[test]
    fn modify_names_the_cluster() {
        use crate::aws::event::{Written, of};
        let e = of("aws_elasticache_cluster", "elasticache", "ModifyCacheCluster");
        let req = json!({"cacheClusterId": "lookup", "preferredMaintenanceWindow": "mon:01:00-mon:02:00", "numCacheNodes": 3});
        assert_eq!(e.identifiers(&req, &json!(null)), ["lookup"]);
        let w = e.writes(&req, &json!(null));
        assert!(w.contains(&Written::Set { path: "maintenance_window".into(), value: "mon:01:00-mon:02:00".into() }));
        assert!(w.contains(&Written::Set { path: "num_cache_nodes".into(), value: Value::int(3) }));
    }
}

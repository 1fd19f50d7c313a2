//! ElastiCache: replication groups.

mod aws_elasticache_replication_group;

use super::Service;

pub static SERVICE: Service =
    Service { name: "elasticache", concurrency: 4, types: &[&aws_elasticache_replication_group::TYPE] };

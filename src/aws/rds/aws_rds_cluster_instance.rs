//! `aws_rds_cluster_instance`: not read live yet; part of its cluster's view.

use crate::aws::ResourceType;

pub static TYPE: ResourceType =
    ResourceType { part_of_views: &["rds_cluster"], ..ResourceType::base("aws_rds_cluster_instance", "rds") };

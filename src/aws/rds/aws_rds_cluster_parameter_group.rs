//! `aws_rds_cluster_parameter_group`: not read live yet; part of its clusters' views.

use crate::aws::ResourceType;

pub static TYPE: ResourceType =
    ResourceType { part_of_views: &["rds_cluster"], ..ResourceType::base("aws_rds_cluster_parameter_group", "rds") };

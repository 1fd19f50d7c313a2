//! `aws_db_parameter_group`: not read live yet; part of its instances' views (`parameter_group_name`).

use crate::aws::ResourceType;

pub static TYPE: ResourceType =
    ResourceType { part_of_views: &["rds_instance"], ..ResourceType::base("aws_db_parameter_group", "rds") };

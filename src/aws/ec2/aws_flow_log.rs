//! `aws_flow_log`: not read live yet; part of its VPC's view.

use crate::aws::ResourceType;

pub static TYPE: ResourceType = ResourceType { part_of_views: &["vpc"], ..ResourceType::base("aws_flow_log", "ec2") };

//! `aws_securityhub_standards_subscription`: not read live yet; counted in the account's view.

use crate::aws::ResourceType;

pub static TYPE: ResourceType = ResourceType {
    part_of_views: &["securityhub_account"],
    ..ResourceType::base("aws_securityhub_standards_subscription", "securityhub")
};

//! `aws_config_configuration_recorder_status`: not read live yet; part of the recorder's view.

use crate::aws::ResourceType;

pub static TYPE: ResourceType = ResourceType {
    part_of_views: &["config_recorder"],
    ..ResourceType::base("aws_config_configuration_recorder_status", "config")
};

//! `aws_kms_key_policy`: not read live as its own type (the key's `policy` is); part of
//! its key's view.

use crate::aws::ResourceType;

pub static TYPE: ResourceType =
    ResourceType { part_of_views: &["kms_key"], ..ResourceType::base("aws_kms_key_policy", "kms") };

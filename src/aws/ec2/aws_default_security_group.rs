//! `aws_default_security_group`: the VPC's default group, adopted by Terraform; not read
//! live as its own type yet. Judged in the security group view.

use crate::aws::ResourceType;

pub static TYPE: ResourceType = ResourceType {
    view: Some(&super::aws_security_group::VIEW),
    ..ResourceType::base("aws_default_security_group", "ec2")
};

//! Auto Scaling: groups (self-managed node groups, and the groups EKS creates for managed
//! node groups, which are AWS-managed).

mod aws_autoscaling_group;

use super::Service;

crate::sdk_client!(aws_sdk_autoscaling);

pub static SERVICE: Service = Service { name: "autoscaling", concurrency: 4, types: &[&aws_autoscaling_group::TYPE] };

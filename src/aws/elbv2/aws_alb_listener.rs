//! `aws_alb_listener`: the legacy name of `aws_lb_listener`; not read live yet.

use crate::aws::ResourceType;

pub static TYPE: ResourceType = ResourceType {
    view: Some(&super::aws_lb_listener::VIEW),
    ..ResourceType::base("aws_alb_listener", "elasticloadbalancing")
};

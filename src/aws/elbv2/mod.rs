//! Elastic Load Balancing v2: load balancer listeners.

mod aws_alb_listener;
mod aws_lb_listener;

use super::Service;

pub static SERVICE: Service =
    Service { name: "elasticloadbalancing", concurrency: 4, types: &[&aws_lb_listener::TYPE, &aws_alb_listener::TYPE] };

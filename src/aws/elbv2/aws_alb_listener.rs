//! `aws_alb_listener`: the legacy name of `aws_lb_listener`, read the same way (`alias_of`):
//! a listener is judged under the name the state gives it, and kept once.

use futures::FutureExt;

use crate::aws::{Read, ResourceType};

pub static TYPE: ResourceType = ResourceType {
    read: Some(Read { fetch: |ctx| super::aws_lb_listener::fetch_as(ctx, "aws_alb_listener").boxed(), global: false }),
    events: super::aws_lb_listener::EVENTS,
    view: Some(&super::aws_lb_listener::VIEW),
    alias_of: Some("aws_lb_listener"),
    ..ResourceType::base("aws_alb_listener", "elasticloadbalancing")
};

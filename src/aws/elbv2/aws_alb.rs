//! `aws_alb`: the legacy name of `aws_lb`, read the same way (`alias_of`): a load balancer is
//! judged under the name the state gives it, and kept once.

use futures::FutureExt;

use crate::aws::{Identity, Read, ResourceType};

pub static TYPE: ResourceType = ResourceType {
    read: Some(Read { fetch: |ctx| super::aws_lb::fetch_as(ctx, "aws_alb").boxed(), global: false }),
    // Named like `aws_lb`; ARNs resolve to the primary name.
    identity: Identity { names: &["name"], ..Identity::NONE },
    events: super::aws_lb::EVENTS,
    alias_of: Some("aws_lb"),
    ..ResourceType::base("aws_alb", "elasticloadbalancing")
};

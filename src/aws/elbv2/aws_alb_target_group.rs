//! `aws_alb_target_group`: the legacy name of `aws_lb_target_group`, read the same way
//! (`alias_of`): a target group is judged under the name the state gives it, and kept once.

use futures::FutureExt;

use crate::aws::{Identity, Read, ResourceType};

pub static TYPE: ResourceType = ResourceType {
    read: Some(Read {
        fetch: |ctx| super::aws_lb_target_group::fetch_as(ctx, "aws_alb_target_group").boxed(),
        global: false,
    }),
    identity: Identity { names: &["name"], ..Identity::NONE },
    events: super::aws_lb_target_group::EVENTS,
    alias_of: Some("aws_lb_target_group"),
    ..ResourceType::base("aws_alb_target_group", "elasticloadbalancing")
};

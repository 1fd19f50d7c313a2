//! `aws_default_security_group`: a VPC's `default` group adopted by Terraform. The same
//! object as the default `aws_security_group` (one shared DescribeSecurityGroups read), with
//! the same inline rules; judged under this type when the state records it so, never
//! unmanaged. Judged in the security group view.

use aws_sdk_ec2::types::SecurityGroup;
use futures::FutureExt;

use super::aws_security_group;
use crate::aws::{Ctx, FetchResult, Read, ResourceType};
use crate::model::Resource;

const TYPES: &[&str] = &["aws_default_security_group"];

pub static TYPE: ResourceType = ResourceType {
    read: Some(Read { fetch: |ctx| fetch(ctx).boxed(), global: false }),
    events: aws_security_group::EVENTS,
    view: Some(&aws_security_group::VIEW),
    alias_of: Some("aws_security_group"),
    ..ResourceType::base("aws_default_security_group", "ec2")
};

async fn fetch(ctx: &Ctx) -> FetchResult {
    let groups = aws_security_group::describe_all(ctx, TYPES).await?;
    Ok(groups.iter().filter(|g| g.group_name() == Some("default")).map(|g| map(g, &ctx.region, &ctx.account)).collect())
}

/// A default group as `aws_default_security_group`.
pub fn map(g: &SecurityGroup, region: &str, account: &str) -> Resource {
    let mut r = aws_security_group::map(g, region, account);
    r.rtype = "aws_default_security_group".to_string();
    r.aws_default = true;
    r
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_default_group_under_its_adopted_type() {
        let g = SecurityGroup::builder().group_id("sg-0").group_name("default").vpc_id("vpc-1").build();
        let r = map(&g, "us-east-1", "123456789012");
        assert_eq!((r.rtype.as_str(), r.attr_str("name")), ("aws_default_security_group", Some("default")));
        assert!(r.aws_default);
    }
}

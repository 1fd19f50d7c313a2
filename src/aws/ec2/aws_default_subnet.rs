//! `aws_default_subnet`: a default subnet (`DefaultForAz`) adopted by Terraform. The same
//! object as the default `aws_subnet` (one shared DescribeSubnets read); judged under this
//! type when the state records it so, never unmanaged. The provider stores what `aws_subnet`
//! stores, plus `existing_default_subnet` (computed) and `force_destroy` (configuration only).

use aws_sdk_ec2::types::Subnet;
use futures::FutureExt;

use super::aws_subnet;
use crate::aws::{Ctx, FetchResult, Read, ResourceType};
use crate::model::Resource;

const TYPES: &[&str] = &["aws_default_subnet"];

pub static TYPE: ResourceType = ResourceType {
    read: Some(Read { fetch: |ctx| fetch(ctx).boxed(), global: false }),
    events: aws_subnet::EVENTS,
    view: Some(&aws_subnet::VIEW),
    part_of_views: &["ec2_instance"],
    alias_of: Some("aws_subnet"),
    ..ResourceType::base("aws_default_subnet", "ec2")
};

async fn fetch(ctx: &Ctx) -> FetchResult {
    let subnets = aws_subnet::describe_all(ctx, TYPES).await?;
    Ok(subnets
        .iter()
        .filter(|s| s.default_for_az().unwrap_or(false))
        .map(|s| map(s, &ctx.region, &ctx.account))
        .collect())
}

/// A default subnet as `aws_default_subnet`.
pub fn map(s: &Subnet, region: &str, account: &str) -> Resource {
    let mut r = aws_subnet::map(s, region, account);
    r.rtype = "aws_default_subnet".to_string();
    r.set("existing_default_subnet", true);
    r.aws_default = true;
    r
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_default_subnet_under_its_adopted_type() {
        let s = Subnet::builder().subnet_id("subnet-d").default_for_az(true).map_public_ip_on_launch(true).build();
        let r = map(&s, "us-east-1", "123456789012");
        assert_eq!((r.rtype.as_str(), r.id.as_str()), ("aws_default_subnet", "subnet-d"));
        assert!(r.aws_default);
        assert_eq!(r.attr("map_public_ip_on_launch"), &crate::model::Value::Bool(true));
    }
}

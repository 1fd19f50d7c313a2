//! `aws_default_vpc`: the region's default VPC adopted by Terraform. The same object as the
//! default `aws_vpc` (one shared DescribeVpcs read); judged under this type when the state
//! records it so, never unmanaged. The provider stores what `aws_vpc` stores, plus
//! `existing_default_vpc` (computed) and `force_destroy` (configuration only, not read).

use futures::FutureExt;

use super::aws_vpc;
use crate::aws::{Ctx, FetchResult, Identity, Read, ResourceType};
use crate::model::Resource;

const TYPES: &[&str] = &["aws_default_vpc"];

pub static TYPE: ResourceType = ResourceType {
    read: Some(Read { fetch: |ctx| fetch(ctx).boxed(), global: false }),
    identity: Identity::NONE,
    events: aws_vpc::EVENTS,
    view: Some(&aws_vpc::VIEW),
    alias_of: Some("aws_vpc"),
    ..ResourceType::base("aws_default_vpc", "ec2")
};

async fn fetch(ctx: &Ctx) -> FetchResult {
    let vpcs = aws_vpc::describe_all(ctx, TYPES).await?;
    Ok(vpcs
        .iter()
        .filter(|v| v.vpc.is_default().unwrap_or(false))
        .map(|v| map(&v.vpc, &v.attributes, &ctx.region, &ctx.account))
        .collect())
}

/// The default VPC as `aws_default_vpc`.
pub fn map(v: &aws_sdk_ec2::types::Vpc, attrs: &aws_vpc::Attributes, region: &str, account: &str) -> Resource {
    let mut r = aws_vpc::map(v, attrs, region, account);
    r.rtype = "aws_default_vpc".to_string();
    r.set("existing_default_vpc", true);
    r.aws_default = true;
    r
}

#[cfg(test)]
mod tests {
    use super::*;
    use aws_sdk_ec2::types::Vpc;

    #[test]
    fn the_default_vpc_under_its_adopted_type() {
        let v = Vpc::builder().vpc_id("vpc-d").cidr_block("172.31.0.0/16").is_default(true).build();
        let attrs = aws_vpc::Attributes { dns_support: Some(true), dns_hostnames: Some(true), ..Default::default() };
        let r = map(&v, &attrs, "us-east-1", "123456789012");
        assert_eq!((r.rtype.as_str(), r.id.as_str()), ("aws_default_vpc", "vpc-d"));
        assert!(r.aws_default);
        assert_eq!(r.attr("enable_dns_hostnames"), &crate::model::Value::Bool(true));
        assert_eq!(r.attr_str("cidr_block"), Some("172.31.0.0/16"));
    }
}

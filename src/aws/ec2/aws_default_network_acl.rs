//! `aws_default_network_acl`: a VPC's default network ACL adopted by Terraform. The same
//! object as the default `aws_network_acl` (one shared DescribeNetworkAcls read), with the
//! same inline entries and `default_network_acl_id` = its id; judged under this type when
//! the state records it so, never unmanaged.
//!
//! `subnet_ids` is left Unknown: the default ACL holds whichever subnets no other ACL
//! claims, so its list changes whenever a named ACL (the owner of the move) takes or
//! releases one; the community modules ignore it (`lifecycle { ignore_changes }`) for that
//! reason.

use aws_sdk_ec2::types::NetworkAcl;
use futures::FutureExt;

use super::aws_network_acl;
use crate::aws::{Ctx, FetchResult, Read, ResourceType};
use crate::model::Resource;

const TYPES: &[&str] = &["aws_default_network_acl"];

pub static TYPE: ResourceType = ResourceType {
    read: Some(Read { fetch: |ctx| fetch(ctx).boxed(), global: false }),
    events: aws_network_acl::EVENTS,
    alias_of: Some("aws_network_acl"),
    ..ResourceType::base("aws_default_network_acl", "ec2")
};

async fn fetch(ctx: &Ctx) -> FetchResult {
    let acls = aws_network_acl::describe_all(ctx, TYPES).await?;
    Ok(acls.iter().filter(|a| a.is_default().unwrap_or(false)).map(|a| map(a, &ctx.region, &ctx.account)).collect())
}

/// A default ACL as `aws_default_network_acl`.
pub fn map(a: &NetworkAcl, region: &str, account: &str) -> Resource {
    let mut r = aws_network_acl::map(a, region, account);
    r.rtype = "aws_default_network_acl".to_string();
    r.set("default_network_acl_id", r.id.clone());
    r.attributes.remove("subnet_ids");
    r.aws_default = true;
    r
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_default_acl_under_its_adopted_type() {
        let a = NetworkAcl::builder()
            .network_acl_id("acl-0")
            .is_default(true)
            .entries(aws_network_acl::tests::entry(100, false, "-1", None, "0.0.0.0/0"))
            .build();
        let r = map(&a, "us-east-1", "123456789012");
        assert_eq!(
            (r.rtype.as_str(), r.attr_str("default_network_acl_id")),
            ("aws_default_network_acl", Some("acl-0"))
        );
        assert_eq!(r.attr("subnet_ids"), &crate::model::Value::Unknown);
        assert_eq!(r.attr("ingress").as_list().map(|l| l.len()), Some(1));
        assert!(r.aws_default);
    }
}

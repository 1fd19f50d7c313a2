//! `aws_internet_gateway`: DescribeInternetGateways, paginated. `vpc_id` is the VPC of its
//! attachment (`""` when detached), as the provider stores it. The gateway of a default VPC
//! came with it (`aws_default`).
//!
//! `aws_internet_gateway_attachment` is not read: the community VPC modules attach with
//! `vpc_id` on the gateway, and an attachment resource would make the gateway's `vpc_id` a
//! stale copy.

use std::collections::BTreeSet;

use aws_sdk_ec2::types::InternetGateway;
use futures::FutureExt;

use super::aws_vpc;
use crate::aws::event::{Event, W};
use crate::aws::{Ctx, FetchResult, Identity, Read, ResourceType};
use crate::model::{Resource, Value};

const TYPES: &[&str] = &["aws_internet_gateway"];

pub static TYPE: ResourceType = ResourceType {
    read: Some(Read { fetch: |ctx| fetch(ctx).boxed(), global: false }),
    identity: Identity::arn("ec2", "internet-gateway/", &[]),
    events: &[
        Event::create("ec2", "CreateInternetGateway", &["@internetGateway.internetGatewayId"]),
        Event::delete("ec2", "DeleteInternetGateway", &["internetGatewayId"]),
        Event::modify("ec2", "AttachInternetGateway", &["internetGatewayId"]).writing(&[W::Param("vpc_id", "vpcId")]),
        Event::modify("ec2", "DetachInternetGateway", &["internetGatewayId"]).writing(&[W::Touch("vpc_id")]),
        super::CREATE_TAGS,
        super::DELETE_TAGS,
    ],
    ..ResourceType::base("aws_internet_gateway", "ec2")
};

async fn fetch(ctx: &Ctx) -> FetchResult {
    let defaults = aws_vpc::default_vpc_ids(&aws_vpc::describe_all(ctx, TYPES).await?);
    let ec2 = ctx.client::<aws_sdk_ec2::Client>();
    let mut out = Vec::new();
    super::pages!(ctx, TYPES, ec2.describe_internet_gateways().max_results(1000), |page| out
        .extend(page.internet_gateways().iter().map(|g| map(g, &defaults, &ctx.region, &ctx.account))));
    Ok(out)
}

/// Pure mapping from the SDK's `InternetGateway` (and the region's default VPCs) to provider
/// v5 attributes.
pub fn map(g: &InternetGateway, default_vpcs: &BTreeSet<String>, region: &str, account: &str) -> Resource {
    let id = g.internet_gateway_id().unwrap_or_default();
    let owner = g.owner_id().unwrap_or(account);
    let arn = format!("arn:aws:ec2:{region}:{owner}:internet-gateway/{id}");
    let vpc = g.attachments().iter().find_map(|a| a.vpc_id()).unwrap_or_default();
    let mut r = Resource::live("aws_internet_gateway", id, region, account, Some(arn.clone()))
        .with("id", id)
        .with("arn", arn)
        .with("owner_id", Value::opt_str(g.owner_id()))
        .with("vpc_id", vpc)
        .with("tags", crate::aws::tags::ec2(g.tags()));
    r.aws_default = default_vpcs.contains(vpc);
    r
}

#[cfg(test)]
mod tests {
    use super::*;
    use aws_sdk_ec2::types::InternetGatewayAttachment;

    #[test]
    fn attached_and_detached() {
        let g = InternetGateway::builder()
            .internet_gateway_id("igw-1")
            .owner_id("123456789012")
            .attachments(InternetGatewayAttachment::builder().vpc_id("vpc-1").build())
            .build();
        let none = BTreeSet::new();
        let r = map(&g, &none, "us-east-1", "123456789012");
        assert_eq!(r.attr_str("vpc_id"), Some("vpc-1"));
        assert_eq!(r.attr_str("arn"), Some("arn:aws:ec2:us-east-1:123456789012:internet-gateway/igw-1"));
        assert!(!r.aws_default);
        assert!(map(&g, &BTreeSet::from(["vpc-1".to_string()]), "us-east-1", "1").aws_default);
        let detached = InternetGateway::builder().internet_gateway_id("igw-2").build();
        assert_eq!(map(&detached, &none, "us-east-1", "1").attr_str("vpc_id"), Some(""));
    }
    #[test]
    fn gateway_events() {
        use serde_json::json;
        let e = crate::aws::event::of("aws_internet_gateway", "ec2", "AttachInternetGateway");
        let req = json!({"internetGatewayId": "igw-1", "vpcId": "vpc-2"});
        assert_eq!(e.identifiers(&req, &json!({})), vec!["igw-1"]);
        assert_eq!(
            e.writes(&req, &json!({})),
            vec![crate::aws::Written::Set { path: "vpc_id".into(), value: "vpc-2".into() }]
        );
    }
}

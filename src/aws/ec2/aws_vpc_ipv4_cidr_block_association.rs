//! `aws_vpc_ipv4_cidr_block_association`: the secondary IPv4 blocks of every VPC (the shared
//! DescribeVpcs read) in state `associated`; the primary block is the VPC's `cidr_block`.
//! A block associated by hand is an unmanaged association.

use aws_sdk_ec2::types::{Vpc, VpcCidrBlockStateCode};
use futures::FutureExt;

use super::aws_vpc;
use crate::aws::event::{Event, W};
use crate::aws::{Ctx, FetchResult, Identity, Read, ResourceType};
use crate::model::Resource;

const TYPES: &[&str] = &["aws_vpc_ipv4_cidr_block_association"];

pub static TYPE: ResourceType = ResourceType {
    read: Some(Read { fetch: |ctx| fetch(ctx).boxed(), global: false }),
    identity: Identity { names: &["cidr_block"], ..Identity::NONE },
    events: &[
        Event::create("ec2", "AssociateVpcCidrBlock", &["@cidrBlockAssociation.associationId"])
            .writing(&[W::Param("cidr_block", "cidrBlock")]),
        Event::delete("ec2", "DisassociateVpcCidrBlock", &["associationId"]),
    ],
    ..ResourceType::base("aws_vpc_ipv4_cidr_block_association", "ec2")
};

async fn fetch(ctx: &Ctx) -> FetchResult {
    let vpcs = aws_vpc::describe_all(ctx, TYPES).await?;
    Ok(vpcs.iter().flat_map(|v| map(&v.vpc, &ctx.region, &ctx.account)).collect())
}

/// The VPC's secondary IPv4 blocks.
pub fn map(v: &Vpc, region: &str, account: &str) -> Vec<Resource> {
    let vpc = v.vpc_id().unwrap_or_default();
    v.cidr_block_association_set()
        .iter()
        .filter(|a| a.cidr_block() != v.cidr_block())
        .filter(|a| {
            a.cidr_block_state().and_then(|s| s.state()).is_none_or(|s| *s == VpcCidrBlockStateCode::Associated)
        })
        .filter_map(|a| {
            let id = a.association_id()?;
            Some(
                Resource::live("aws_vpc_ipv4_cidr_block_association", id, region, account, None)
                    .with("id", id)
                    .with("vpc_id", vpc)
                    .with("cidr_block", a.cidr_block().unwrap_or_default()),
            )
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use aws_sdk_ec2::types::{VpcCidrBlockAssociation, VpcCidrBlockState};

    #[test]
    fn secondary_blocks_only() {
        let assoc = |id: &str, cidr: &str, state: VpcCidrBlockStateCode| {
            VpcCidrBlockAssociation::builder()
                .association_id(id)
                .cidr_block(cidr)
                .cidr_block_state(VpcCidrBlockState::builder().state(state).build())
                .build()
        };
        let v = Vpc::builder()
            .vpc_id("vpc-1")
            .cidr_block("10.0.0.0/16")
            .cidr_block_association_set(assoc("a-0", "10.0.0.0/16", VpcCidrBlockStateCode::Associated))
            .cidr_block_association_set(assoc("a-1", "10.1.0.0/16", VpcCidrBlockStateCode::Associated))
            .cidr_block_association_set(assoc("a-2", "10.2.0.0/16", VpcCidrBlockStateCode::Disassociated))
            .build();
        let rs = map(&v, "us-east-1", "1");
        assert_eq!(rs.len(), 1);
        assert_eq!((rs[0].id.as_str(), rs[0].attr_str("cidr_block")), ("a-1", Some("10.1.0.0/16")));
    }
    #[test]
    fn cidr_events() {
        use serde_json::json;
        let e = crate::aws::event::of("aws_vpc_ipv4_cidr_block_association", "ec2", "AssociateVpcCidrBlock");
        let req = json!({"vpcId": "vpc-1", "cidrBlock": "10.1.0.0/16"});
        let resp = json!({"vpcId": "vpc-1", "cidrBlockAssociation": {"associationId": "vpc-cidr-assoc-1", "cidrBlock": "10.1.0.0/16"}});
        assert_eq!(e.identifiers(&req, &resp), vec!["vpc-cidr-assoc-1"]);
        let d = crate::aws::event::of("aws_vpc_ipv4_cidr_block_association", "ec2", "DisassociateVpcCidrBlock");
        assert_eq!(d.identifiers(&json!({"associationId": "vpc-cidr-assoc-1"}), &json!({})), vec!["vpc-cidr-assoc-1"]);
    }
}

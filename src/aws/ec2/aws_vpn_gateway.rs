//! `aws_vpn_gateway`: DescribeVpnGateways (one call, not paginated by EC2), read once per
//! region and shared with `aws_vpn_gateway_attachment`. Gateways in state `deleted` are gone
//! for the provider and for us.
//!
//! As the provider stores them: `amazon_side_asn` as a decimal string, `vpc_id` the VPC of
//! the `attached` attachment (`""` when detached), `availability_zone` only when AWS names
//! one (left Unknown otherwise: the provider keeps what was configured).

use aws_sdk_ec2::types::{AttachmentStatus, VpnGateway, VpnState};
use futures::FutureExt;

use crate::aws::errors::read_error;
use crate::aws::event::{Event, W};
use crate::aws::{Ctx, FetchResult, Identity, Read, ResourceType};
use crate::model::{ReadError, Resource, Value};

const TYPES: &[&str] = &["aws_vpn_gateway"];

pub static TYPE: ResourceType = ResourceType {
    read: Some(Read { fetch: |ctx| fetch(ctx).boxed(), global: false }),
    identity: Identity::arn("ec2", "vpn-gateway/", &[]),
    events: &[
        Event::create("ec2", "CreateVpnGateway", &["@vpnGateway.vpnGatewayId"]).writing(&[
            W::Param("amazon_side_asn", "amazonSideAsn"),
            W::Param("availability_zone", "availabilityZone"),
        ]),
        Event::delete("ec2", "DeleteVpnGateway", &["vpnGatewayId"]),
        Event::modify("ec2", "AttachVpnGateway", &["vpnGatewayId"]).writing(&[W::Param("vpc_id", "vpcId")]),
        Event::modify("ec2", "DetachVpnGateway", &["vpnGatewayId"]).writing(&[W::Touch("vpc_id")]),
        super::CREATE_TAGS,
        super::DELETE_TAGS,
    ],
    ..ResourceType::base("aws_vpn_gateway", "ec2")
};

async fn fetch(ctx: &Ctx) -> FetchResult {
    Ok(describe_all(ctx, TYPES).await?.iter().map(|g| map(g, &ctx.region, &ctx.account)).collect())
}

/// Every VPN gateway of the region that exists (read once per scan and region; errors are
/// reported against `types`, the caller's).
pub(crate) async fn describe_all(ctx: &Ctx, types: &[&str]) -> Result<Vec<VpnGateway>, ReadError> {
    let cached: Result<Vec<VpnGateway>, ReadError> = ctx
        .once("ec2:DescribeVpnGateways", || async {
            let ec2 = ctx.client::<aws_sdk_ec2::Client>();
            let out = {
                let _p = ctx.permit("ec2").await;
                ec2.describe_vpn_gateways().send().await
            }
            .map_err(|e| read_error("ec2", &ctx.region, types, e))?;
            Ok(out.vpn_gateways().iter().filter(|g| g.state() != Some(&VpnState::Deleted)).cloned().collect())
        })
        .await;
    crate::aws::client::for_caller(&cached, types)
}

/// The VPC a gateway is attached to, if any.
pub(crate) fn attached_vpc(g: &VpnGateway) -> Option<&str> {
    g.vpc_attachments().iter().find(|a| a.state() == Some(&AttachmentStatus::Attached)).and_then(|a| a.vpc_id())
}

/// Pure mapping from the SDK's `VpnGateway` to provider v5 attributes.
pub fn map(g: &VpnGateway, region: &str, account: &str) -> Resource {
    let id = g.vpn_gateway_id().unwrap_or_default();
    let arn = format!("arn:aws:ec2:{region}:{account}:vpn-gateway/{id}");
    let mut r = Resource::live("aws_vpn_gateway", id, region, account, Some(arn.clone()))
        .with("id", id)
        .with("arn", arn)
        .with("amazon_side_asn", g.amazon_side_asn().unwrap_or(0).to_string())
        .with("vpc_id", attached_vpc(g).unwrap_or_default())
        .with("tags", crate::aws::tags::ec2(g.tags()));
    if let Some(az) = g.availability_zone().filter(|z| !z.is_empty()) {
        r.set("availability_zone", Value::str(az));
    }
    r
}

#[cfg(test)]
mod tests {
    use super::*;
    use aws_sdk_ec2::types::VpcAttachment;
    use serde_json::json;

    #[test]
    fn attached_and_detached_gateways() {
        let g = VpnGateway::builder()
            .vpn_gateway_id("vgw-1")
            .amazon_side_asn(64620)
            .state(VpnState::Available)
            .vpc_attachments(VpcAttachment::builder().vpc_id("vpc-old").state(AttachmentStatus::Detached).build())
            .vpc_attachments(VpcAttachment::builder().vpc_id("vpc-1").state(AttachmentStatus::Attached).build())
            .build();
        let r = map(&g, "us-east-1", "123456789012");
        assert_eq!(r.attr_str("arn"), Some("arn:aws:ec2:us-east-1:123456789012:vpn-gateway/vgw-1"));
        assert_eq!(r.attr_str("amazon_side_asn"), Some("64620"));
        assert_eq!(r.attr_str("vpc_id"), Some("vpc-1"));
        assert_eq!(r.attr("availability_zone"), &Value::Unknown);
        let lone = VpnGateway::builder().vpn_gateway_id("vgw-2").availability_zone("us-east-1a").build();
        let r = map(&lone, "us-east-1", "1");
        assert_eq!(r.attr_str("vpc_id"), Some(""));
        assert_eq!(r.attr_str("availability_zone"), Some("us-east-1a"));
    }

    #[test]
    fn attaching_a_gateway() {
        let e = crate::aws::event::of("aws_vpn_gateway", "ec2", "AttachVpnGateway");
        let req = json!({"vpnGatewayId": "vgw-1", "vpcId": "vpc-2"});
        assert_eq!(e.identifiers(&req, &json!({})), vec!["vgw-1"]);
        assert_eq!(
            e.writes(&req, &json!({})),
            vec![crate::aws::Written::Set { path: "vpc_id".into(), value: "vpc-2".into() }]
        );
        let c = crate::aws::event::of("aws_vpn_gateway", "ec2", "CreateVpnGateway");
        let resp = json!({"vpnGateway": {"vpnGatewayId": "vgw-9", "state": "available", "type": "ipsec.1"}});
        assert_eq!(c.identifiers(&json!({"type": "ipsec.1", "amazonSideAsn": 64620}), &resp), vec!["vgw-9"]);
    }
}

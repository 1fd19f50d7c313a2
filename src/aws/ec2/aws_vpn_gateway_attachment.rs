//! `aws_vpn_gateway_attachment`: the `attached` VPC attachments of the shared
//! DescribeVpnGateways read, id `vpn-attachment-<crc32 of "vpc-vgw", hex>` as the provider
//! writes it.
//!
//! A part of `aws_vpn_gateway`: the community VPC module attaches its own gateway through
//! the gateway's `vpc_id` (AWS then has an attachment no Terraform resource names), and
//! uses this resource only for a gateway made elsewhere. A gateway attached by hand is drift
//! on the gateway's `vpc_id`, never an unmanaged attachment.

use aws_sdk_ec2::types::{AttachmentStatus, VpnGateway};
use futures::FutureExt;

use super::aws_vpn_gateway;
use crate::aws::event::{Event, W};
use crate::aws::{Ctx, FetchResult, Identity, Read, ResourceType};
use crate::model::Resource;

const TYPES: &[&str] = &["aws_vpn_gateway_attachment"];

pub static TYPE: ResourceType = ResourceType {
    read: Some(Read { fetch: |ctx| fetch(ctx).boxed(), global: false }),
    identity: Identity { names: &["vpn_gateway_id"], parent_attr: Some("vpn_gateway_id"), ..Identity::NONE },
    parent: Some("aws_vpn_gateway"),
    events: &[
        Event::create("ec2", "AttachVpnGateway", &["vpnGatewayId"])
            .writing(&[W::Param("vpc_id", "vpcId")])
            .via_parent(),
        Event::delete("ec2", "DetachVpnGateway", &["vpnGatewayId"]).via_parent(),
    ],
    ..ResourceType::base("aws_vpn_gateway_attachment", "ec2")
};

async fn fetch(ctx: &Ctx) -> FetchResult {
    let gateways = aws_vpn_gateway::describe_all(ctx, TYPES).await?;
    Ok(gateways.iter().flat_map(|g| map(g, &ctx.region, &ctx.account)).collect())
}

/// The provider's id of an attachment.
pub fn attachment_id(vpc_id: &str, vpn_gateway_id: &str) -> String {
    format!("vpn-attachment-{:x}", super::string_hashcode(&format!("{vpc_id}-{vpn_gateway_id}")))
}

/// Every attachment of a gateway that is `attached`.
pub fn map(g: &VpnGateway, region: &str, account: &str) -> Vec<Resource> {
    let gateway = g.vpn_gateway_id().unwrap_or_default();
    g.vpc_attachments()
        .iter()
        .filter(|a| a.state() == Some(&AttachmentStatus::Attached))
        .filter_map(|a| a.vpc_id())
        .map(|vpc| {
            let id = attachment_id(vpc, gateway);
            Resource::live("aws_vpn_gateway_attachment", &id, region, account, None)
                .with("id", id.as_str())
                .with("vpc_id", vpc)
                .with("vpn_gateway_id", gateway)
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use aws_sdk_ec2::types::VpcAttachment;
    use serde_json::json;

    #[test]
    fn ids_as_the_provider_writes_them() {
        // From a state written by provider 5.100.0.
        assert_eq!(attachment_id("vpc-6907080b626f597b2", "vgw-932ddd93a44de7250"), "vpn-attachment-c952ad96");
        let g = VpnGateway::builder()
            .vpn_gateway_id("vgw-932ddd93a44de7250")
            .vpc_attachments(
                VpcAttachment::builder().vpc_id("vpc-6907080b626f597b2").state(AttachmentStatus::Attached).build(),
            )
            .vpc_attachments(VpcAttachment::builder().vpc_id("vpc-gone").state(AttachmentStatus::Detached).build())
            .build();
        let rs = map(&g, "us-east-1", "1");
        assert_eq!(rs.len(), 1);
        assert_eq!(rs[0].id, "vpn-attachment-c952ad96");
        assert_eq!(rs[0].attr_str("vpc_id"), Some("vpc-6907080b626f597b2"));
    }

    #[test]
    fn attachment_events_name_the_gateway() {
        let e = crate::aws::event::of("aws_vpn_gateway_attachment", "ec2", "DetachVpnGateway");
        assert_eq!(e.identifiers(&json!({"vpnGatewayId": "vgw-1", "vpcId": "vpc-1"}), &json!({})), vec!["vgw-1"]);
    }
}

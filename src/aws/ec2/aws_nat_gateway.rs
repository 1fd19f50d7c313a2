//! `aws_nat_gateway`: DescribeNatGateways, paginated; deleted gateways are gone. The primary
//! address (`IsPrimary`, else the first) gives `allocation_id`, `association_id`,
//! `network_interface_id`, `private_ip` and `public_ip`; the others the `secondary_*`
//! attributes, as the provider's read splits them.
//!
//! CloudTrail wraps this API's parameters in `CreateNatGatewayRequest` (and the response in
//! `CreateNatGatewayResponse`); the flat forms are read too. [inferred]

use aws_sdk_ec2::types::{NatGateway, NatGatewayAddress, NatGatewayState};
use futures::FutureExt;

use crate::aws::event::{Event, W};
use crate::aws::{Ctx, FetchResult, Identity, Read, ResourceType};
use crate::model::{Resource, Value};

const TYPES: &[&str] = &["aws_nat_gateway"];

pub static TYPE: ResourceType = ResourceType {
    read: Some(Read { fetch: |ctx| fetch(ctx).boxed(), global: false }),
    identity: Identity { names: &["allocation_id"], ..Identity::arn("ec2", "natgateway/", &[]) },
    events: &[
        Event::create(
            "ec2",
            "CreateNatGateway",
            &["@CreateNatGatewayResponse.natGateway.natGatewayId", "@natGateway.natGatewayId"],
        )
        .writing(&[
            W::Param("subnet_id", "CreateNatGatewayRequest.SubnetId|subnetId"),
            W::Param("allocation_id", "CreateNatGatewayRequest.AllocationId|allocationId"),
            W::Param("connectivity_type", "CreateNatGatewayRequest.ConnectivityType|connectivityType"),
        ]),
        Event::delete("ec2", "DeleteNatGateway", &["DeleteNatGatewayRequest.NatGatewayId", "natGatewayId"]),
        Event::modify(
            "ec2",
            "AssociateNatGatewayAddress",
            &["AssociateNatGatewayAddressRequest.NatGatewayId", "natGatewayId"],
        )
        .writing(&[W::Touch("secondary_allocation_ids")]),
        Event::modify(
            "ec2",
            "DisassociateNatGatewayAddress",
            &["DisassociateNatGatewayAddressRequest.NatGatewayId", "natGatewayId"],
        )
        .writing(&[W::Touch("secondary_allocation_ids")]),
        Event::modify(
            "ec2",
            "AssignPrivateNatGatewayAddress",
            &["AssignPrivateNatGatewayAddressRequest.NatGatewayId", "natGatewayId"],
        )
        .writing(&[W::Touch("secondary_private_ip_addresses")]),
        Event::modify(
            "ec2",
            "UnassignPrivateNatGatewayAddress",
            &["UnassignPrivateNatGatewayAddressRequest.NatGatewayId", "natGatewayId"],
        )
        .writing(&[W::Touch("secondary_private_ip_addresses")]),
        super::CREATE_TAGS,
        super::DELETE_TAGS,
    ],
    ..ResourceType::base("aws_nat_gateway", "ec2")
};

async fn fetch(ctx: &Ctx) -> FetchResult {
    let ec2 = ctx.client::<aws_sdk_ec2::Client>();
    let mut out = Vec::new();
    super::pages!(ctx, TYPES, ec2.describe_nat_gateways().max_results(1000), |page| out.extend(
        page.nat_gateways().iter().filter(|g| g.state() != Some(&NatGatewayState::Deleted)).map(|g| map(
            g,
            &ctx.region,
            &ctx.account
        ))
    ));
    Ok(out)
}

/// Pure mapping from the SDK's `NatGateway` to provider v5 attributes.
pub fn map(g: &NatGateway, region: &str, account: &str) -> Resource {
    let id = g.nat_gateway_id().unwrap_or_default();
    let addresses = g.nat_gateway_addresses();
    let primary: Option<&NatGatewayAddress> =
        addresses.iter().find(|a| a.is_primary() == Some(true)).or_else(|| addresses.first());
    let secondary: Vec<&NatGatewayAddress> =
        addresses.iter().filter(|a| !primary.is_some_and(|p| std::ptr::eq(*a, p))).collect();
    let s = |f: fn(&NatGatewayAddress) -> Option<&str>| Value::str(primary.and_then(f).unwrap_or_default());
    let mut allocations: Vec<&str> = secondary.iter().filter_map(|a| a.allocation_id()).collect();
    allocations.sort_unstable();
    let mut private_ips: Vec<&str> = secondary.iter().filter_map(|a| a.private_ip()).collect();
    private_ips.sort_unstable();
    let arn = format!("arn:aws:ec2:{region}:{account}:natgateway/{id}");
    Resource::live("aws_nat_gateway", id, region, account, Some(arn))
        .with("id", id)
        .with("subnet_id", Value::opt_str(g.subnet_id()))
        .with("connectivity_type", Value::opt_str(g.connectivity_type().map(|c| c.as_str())))
        .with("allocation_id", s(|a| a.allocation_id()))
        .with("association_id", s(|a| a.association_id()))
        .with("network_interface_id", s(|a| a.network_interface_id()))
        .with("private_ip", s(|a| a.private_ip()))
        .with("public_ip", s(|a| a.public_ip()))
        .with("secondary_allocation_ids", Value::string_list(allocations))
        .with("secondary_private_ip_address_count", Value::int(private_ips.len() as i64))
        .with("secondary_private_ip_addresses", Value::string_list(private_ips))
        .with("tags", crate::aws::tags::ec2(g.tags()))
}

#[cfg(test)]
mod tests {
    use super::*;
    use aws_sdk_ec2::types::ConnectivityType;

    #[test]
    fn primary_and_secondary_addresses() {
        let g = NatGateway::builder()
            .nat_gateway_id("nat-1")
            .subnet_id("subnet-1")
            .connectivity_type(ConnectivityType::Public)
            .nat_gateway_addresses(
                NatGatewayAddress::builder()
                    .allocation_id("eipalloc-2")
                    .private_ip("10.0.0.9")
                    .is_primary(false)
                    .build(),
            )
            .nat_gateway_addresses(
                NatGatewayAddress::builder()
                    .allocation_id("eipalloc-1")
                    .association_id("eipassoc-1")
                    .network_interface_id("eni-1")
                    .private_ip("10.0.0.5")
                    .public_ip("54.0.0.1")
                    .is_primary(true)
                    .build(),
            )
            .build();
        let r = map(&g, "us-east-1", "123456789012");
        assert_eq!(r.attr_str("allocation_id"), Some("eipalloc-1"));
        assert_eq!(r.attr_str("network_interface_id"), Some("eni-1"));
        assert_eq!(r.attr_str("connectivity_type"), Some("public"));
        assert_eq!(r.attr("secondary_allocation_ids"), &Value::string_list(["eipalloc-2"]));
        assert_eq!(r.attr("secondary_private_ip_address_count"), &Value::int(1));
        // Without IsPrimary (older answers, the emulator), the first address is the primary.
        let g = NatGateway::builder()
            .nat_gateway_id("nat-2")
            .nat_gateway_addresses(NatGatewayAddress::builder().allocation_id("eipalloc-9").build())
            .build();
        let r = map(&g, "us-east-1", "123456789012");
        assert_eq!(r.attr_str("allocation_id"), Some("eipalloc-9"));
        assert_eq!(r.attr("secondary_allocation_ids"), &Value::List(vec![]));
    }
    #[test]
    fn nat_gateway_events() {
        use serde_json::json;
        let e = crate::aws::event::of("aws_nat_gateway", "ec2", "CreateNatGateway");
        let req = json!({"CreateNatGatewayRequest": {"SubnetId": "subnet-1", "AllocationId": "eipalloc-1", "ClientToken": "t"}});
        let resp =
            json!({"CreateNatGatewayResponse": {"natGateway": {"natGatewayId": "nat-1", "subnetId": "subnet-1"}}});
        assert_eq!(e.identifiers(&req, &resp), vec!["nat-1"]);
        assert!(
            e.writes(&req, &resp)
                .contains(&crate::aws::Written::Set { path: "allocation_id".into(), value: "eipalloc-1".into() })
        );
        let d = crate::aws::event::of("aws_nat_gateway", "ec2", "DeleteNatGateway");
        assert_eq!(
            d.identifiers(&json!({"DeleteNatGatewayRequest": {"NatGatewayId": "nat-1"}}), &json!({})),
            vec!["nat-1"]
        );
    }
}

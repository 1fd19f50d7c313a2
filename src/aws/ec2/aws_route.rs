//! `aws_route`: one resource per route of every route table (the shared DescribeRouteTables
//! read), but the VPC's `local` route and routes propagated from a virtual private gateway.
//!
//! The id is the provider's: `r-` + the table's id + the CRC-32 of the destination (CIDR,
//! IPv6 CIDR or prefix list id), as Terraform computes it at create time. Absent targets
//! and destinations are `""`; a `vpce-` gateway is `vpc_endpoint_id`.
//!
//! A route is part of its table: a route added by hand is drift on the table's `route`
//! set, never an unmanaged `aws_route`; a route an `aws_route` manages is not reported again
//! on its table (the `route_inline_copies` normaliser).

use aws_sdk_ec2::types::{Route, RouteTable};
use futures::FutureExt;

use super::aws_route_table;
use crate::aws::event::{Event, W};
use crate::aws::{Ctx, FetchResult, Identity, Read, ResourceType};
use crate::model::{Resource, Value};

const TYPES: &[&str] = &["aws_route"];

/// What names a route in its table's events, and what each event writes.
const ROUTE_WRITES: &[W] = &[
    W::Param("destination_cidr_block", "destinationCidrBlock"),
    W::Param("destination_ipv6_cidr_block", "destinationIpv6CidrBlock"),
    W::Param("destination_prefix_list_id", "destinationPrefixListId"),
    W::Param("gateway_id", "gatewayId"),
    W::Param("nat_gateway_id", "natGatewayId"),
    W::Param("network_interface_id", "networkInterfaceId"),
    W::Param("egress_only_gateway_id", "egressOnlyInternetGatewayId"),
    W::Param("transit_gateway_id", "transitGatewayId"),
    W::Param("vpc_peering_connection_id", "vpcPeeringConnectionId"),
    W::Param("vpc_endpoint_id", "vpcEndpointId"),
];

pub static TYPE: ResourceType = ResourceType {
    read: Some(Read { fetch: |ctx| fetch(ctx).boxed(), global: false }),
    identity: Identity { parent_attr: Some("route_table_id"), ..Identity::NONE },
    parent: Some("aws_route_table"),
    events: &[
        Event::create("ec2", "CreateRoute", &["routeTableId"]).writing(ROUTE_WRITES).via_parent(),
        Event::modify("ec2", "ReplaceRoute", &["routeTableId"]).writing(ROUTE_WRITES).via_parent(),
        Event::delete("ec2", "DeleteRoute", &["routeTableId"]).via_parent(),
        Event::delete("ec2", "DeleteRouteTable", &["routeTableId"]).via_parent(),
    ],
    ..ResourceType::base("aws_route", "ec2")
};

async fn fetch(ctx: &Ctx) -> FetchResult {
    let tables = aws_route_table::describe_all(ctx, TYPES).await?;
    Ok(tables.iter().flat_map(|t| map(t, &ctx.region, &ctx.account)).collect())
}

/// The provider's id of a route: `r-<table><crc32 of the destination>`.
pub fn route_id(table_id: &str, destination: &str) -> String {
    let mut crc = flate2::Crc::new();
    crc.update(destination.as_bytes());
    format!("r-{table_id}{}", crc.sum())
}

/// Every route of a table an `aws_route` can manage.
pub fn map(t: &RouteTable, region: &str, account: &str) -> Vec<Resource> {
    let table = t.route_table_id().unwrap_or_default();
    t.routes()
        .iter()
        .filter(|r| aws_route_table::is_resource_route(r))
        .map(|r| route(table, r, region, account))
        .collect()
}

fn route(table: &str, r: &Route, region: &str, account: &str) -> Resource {
    let destination = r
        .destination_cidr_block()
        .or(r.destination_ipv6_cidr_block())
        .or(r.destination_prefix_list_id())
        .unwrap_or_default();
    let id = route_id(table, destination);
    let s = |v: Option<&str>| Value::str(v.unwrap_or_default());
    let gateway = r.gateway_id().unwrap_or_default();
    let (gateway_id, endpoint) = if gateway.starts_with("vpce-") { ("", gateway) } else { (gateway, "") };
    Resource::live("aws_route", &id, region, account, None)
        .with("id", id.as_str())
        .with("route_table_id", table)
        .with("destination_cidr_block", s(r.destination_cidr_block()))
        .with("destination_ipv6_cidr_block", s(r.destination_ipv6_cidr_block()))
        .with("destination_prefix_list_id", s(r.destination_prefix_list_id()))
        .with("carrier_gateway_id", s(r.carrier_gateway_id()))
        .with("core_network_arn", s(r.core_network_arn()))
        .with("egress_only_gateway_id", s(r.egress_only_internet_gateway_id()))
        .with("gateway_id", gateway_id)
        .with("instance_id", s(r.instance_id()))
        .with("instance_owner_id", s(r.instance_owner_id()))
        .with("local_gateway_id", s(r.local_gateway_id()))
        .with("nat_gateway_id", s(r.nat_gateway_id()))
        .with("network_interface_id", s(r.network_interface_id()))
        .with("origin", s(r.origin().map(|o| o.as_str())))
        .with("state", s(r.state().map(|o| o.as_str())))
        .with("transit_gateway_id", s(r.transit_gateway_id()))
        .with("vpc_endpoint_id", endpoint)
        .with("vpc_peering_connection_id", s(r.vpc_peering_connection_id()))
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn ids_are_the_providers() {
        // Ids Terraform wrote for these destinations (terraform apply on the emulator).
        assert_eq!(route_id("rtb-5d528c5c7b9130f45", "0.0.0.0/0"), "r-rtb-5d528c5c7b9130f451080289494");
        assert_eq!(route_id("rtb-5d528c5c7b9130f45", "::/0"), "r-rtb-5d528c5c7b9130f452750132062");
    }

    #[test]
    fn one_resource_per_route_but_local() {
        let t = RouteTable::builder()
            .route_table_id("rtb-1")
            .routes(Route::builder().destination_cidr_block("10.0.0.0/16").gateway_id("local").build())
            .routes(
                Route::builder()
                    .destination_cidr_block("0.0.0.0/0")
                    .gateway_id("igw-1")
                    .origin(aws_sdk_ec2::types::RouteOrigin::CreateRoute)
                    .build(),
            )
            .routes(Route::builder().destination_prefix_list_id("pl-1").gateway_id("vpce-1").build())
            .build();
        let rs = map(&t, "us-east-1", "123456789012");
        assert_eq!(rs.len(), 2);
        assert_eq!(rs[0].id, route_id("rtb-1", "0.0.0.0/0"));
        assert_eq!(rs[0].attr_str("gateway_id"), Some("igw-1"));
        assert_eq!(rs[0].attr_str("origin"), Some("CreateRoute"));
        assert_eq!(rs[0].attr_str("nat_gateway_id"), Some(""));
        assert_eq!(rs[1].attr_str("vpc_endpoint_id"), Some("vpce-1"));
        assert_eq!(rs[1].attr_str("gateway_id"), Some(""));
    }

    #[test]
    fn route_events_name_the_table() {
        let e = crate::aws::event::of("aws_route", "ec2", "CreateRoute");
        let req = json!({"routeTableId": "rtb-1", "destinationCidrBlock": "0.0.0.0/0", "natGatewayId": "nat-1"});
        assert_eq!(e.identifiers(&req, &serde_json::Value::Null), vec!["rtb-1"]);
        assert!(
            e.writes(&req, &serde_json::Value::Null)
                .contains(&crate::aws::Written::Set { path: "nat_gateway_id".into(), value: "nat-1".into() })
        );
        assert_eq!(e.via, crate::aws::Via::Any);
    }
}

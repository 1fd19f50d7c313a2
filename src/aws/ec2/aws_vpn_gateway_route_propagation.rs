//! `aws_vpn_gateway_route_propagation`: the `PropagatingVgws` of the shared
//! DescribeRouteTables read, one per (gateway, route table), id `<vgw>_<rtb>` as the
//! provider writes it.
//!
//! A part of `aws_route_table`: a propagation turned on by hand is drift on the table's
//! `propagating_vgws` (which the provider also reads), never an unmanaged resource.

use aws_sdk_ec2::types::RouteTable;
use futures::FutureExt;

use super::aws_route_table;
use crate::aws::event::Event;
use crate::aws::{Ctx, FetchResult, Identity, Read, ResourceType};
use crate::model::Resource;

const TYPES: &[&str] = &["aws_vpn_gateway_route_propagation"];

pub static TYPE: ResourceType = ResourceType {
    read: Some(Read { fetch: |ctx| fetch(ctx).boxed(), global: false }),
    identity: Identity { names: &["route_table_id"], parent_attr: Some("route_table_id"), ..Identity::NONE },
    parent: Some("aws_route_table"),
    events: &[
        Event::create("ec2", "EnableVgwRoutePropagation", &["{gatewayId}_{routeTableId}"]),
        Event::delete("ec2", "DisableVgwRoutePropagation", &["{gatewayId}_{routeTableId}"]),
    ],
    ..ResourceType::base("aws_vpn_gateway_route_propagation", "ec2")
};

async fn fetch(ctx: &Ctx) -> FetchResult {
    let tables = aws_route_table::describe_all(ctx, TYPES).await?;
    Ok(tables.iter().flat_map(|t| map(t, &ctx.region, &ctx.account)).collect())
}

/// One resource per gateway propagating into the table.
pub fn map(t: &RouteTable, region: &str, account: &str) -> Vec<Resource> {
    let table = t.route_table_id().unwrap_or_default();
    t.propagating_vgws()
        .iter()
        .filter_map(|p| p.gateway_id())
        .map(|gateway| {
            let id = format!("{gateway}_{table}");
            Resource::live("aws_vpn_gateway_route_propagation", &id, region, account, None)
                .with("id", id.as_str())
                .with("route_table_id", table)
                .with("vpn_gateway_id", gateway)
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use aws_sdk_ec2::types::PropagatingVgw;
    use serde_json::json;

    #[test]
    fn one_per_propagating_gateway() {
        let t = RouteTable::builder()
            .route_table_id("rtb-1")
            .propagating_vgws(PropagatingVgw::builder().gateway_id("vgw-1").build())
            .build();
        let rs = map(&t, "us-east-1", "1");
        assert_eq!(rs.len(), 1);
        assert_eq!(rs[0].id, "vgw-1_rtb-1");
        assert_eq!(rs[0].attr_str("vpn_gateway_id"), Some("vgw-1"));
        assert!(map(&RouteTable::builder().route_table_id("rtb-2").build(), "us-east-1", "1").is_empty());
    }

    #[test]
    fn propagation_events_name_both() {
        let e = crate::aws::event::of("aws_vpn_gateway_route_propagation", "ec2", "DisableVgwRoutePropagation");
        let req = json!({"gatewayId": "vgw-1", "routeTableId": "rtb-1"});
        assert_eq!(e.identifiers(&req, &json!({"_return": true})), vec!["vgw-1_rtb-1"]);
    }
}

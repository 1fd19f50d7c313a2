//! `aws_route_table`: DescribeRouteTables, paginated, read once per region and shared with
//! `aws_default_route_table`, `aws_route`, `aws_route_table_association` and
//! `aws_main_route_table_association`.
//!
//! The inline `route` set is what the provider's read stores: every route but the `local`
//! one, VPC Lattice's, routes propagated from a virtual private gateway, and the prefix-list
//! routes a gateway endpoint adds (the endpoint owns them); each element carries all
//! thirteen destination and target keys, `""` when unset; a `vpce-` gateway is a
//! `vpc_endpoint_id`. A table's main association makes it AWS's (`aws_default`): the VPC
//! came with it.
//!
//! Left out: a `local` route the configuration states explicitly (the provider keeps it
//! only then, which a live read cannot know), and the provider's filter on network
//! interfaces of other accounts (it needs one DescribeNetworkInterfaces per route).
//!
//! Every route also shows up here when an `aws_route` manages it: telling the inline copy
//! from a route owned by its own resource is the `route_inline_copies` normaliser's job.

use aws_sdk_ec2::types::{Route, RouteOrigin, RouteTable};
use futures::FutureExt;

use crate::aws::event::{Event, W, Written, pluck, scalar_string};
use crate::aws::{Ctx, FetchResult, Identity, Read, ResourceType};
use crate::model::{ReadError, Resource, Value};

const TYPES: &[&str] = &["aws_route_table"];

pub static TYPE: ResourceType = ResourceType {
    read: Some(Read { fetch: |ctx| fetch(ctx).boxed(), global: false }),
    identity: Identity::arn("ec2", "route-table/", &[]),
    events: EVENTS,
    ..ResourceType::base("aws_route_table", "ec2")
};

/// Shared with `aws_default_route_table`.
pub(crate) const EVENTS: &[Event] = &[
    Event::create("ec2", "CreateRouteTable", &["@routeTable.routeTableId"]).writing(&[W::Param("vpc_id", "vpcId")]),
    Event::delete("ec2", "DeleteRouteTable", &["routeTableId"]),
    Event::modify("ec2", "CreateRoute", &["routeTableId"]).writing(&[W::Custom(route_added)]),
    Event::modify("ec2", "ReplaceRoute", &["routeTableId"]).writing(&[W::Touch("route")]),
    Event::modify("ec2", "DeleteRoute", &["routeTableId"]).writing(&[W::Custom(route_removed)]),
    Event::modify("ec2", "EnableVgwRoutePropagation", &["routeTableId"]).writing(&[W::Touch("propagating_vgws")]),
    Event::modify("ec2", "DisableVgwRoutePropagation", &["routeTableId"]).writing(&[W::Touch("propagating_vgws")]),
    super::CREATE_TAGS,
    super::DELETE_TAGS,
];

fn route_added(req: &serde_json::Value, _: &serde_json::Value, out: &mut Vec<Written>) {
    out.push(Written::Add { path: "route".into(), elems: vec![route_of_request(req)] });
}

fn route_removed(req: &serde_json::Value, _: &serde_json::Value, out: &mut Vec<Written>) {
    out.push(Written::Remove { path: "route".into(), elems: vec![route_of_request(req)] });
}

/// A CreateRoute / DeleteRoute request as a (partial) element of the `route` set.
pub(crate) fn route_of_request(req: &serde_json::Value) -> Value {
    const KEYS: &[(&str, &str)] = &[
        ("destinationCidrBlock", "cidr_block"),
        ("destinationIpv6CidrBlock", "ipv6_cidr_block"),
        ("destinationPrefixListId", "destination_prefix_list_id"),
        ("carrierGatewayId", "carrier_gateway_id"),
        ("coreNetworkArn", "core_network_arn"),
        ("egressOnlyInternetGatewayId", "egress_only_gateway_id"),
        ("localGatewayId", "local_gateway_id"),
        ("natGatewayId", "nat_gateway_id"),
        ("networkInterfaceId", "network_interface_id"),
        ("transitGatewayId", "transit_gateway_id"),
        ("vpcEndpointId", "vpc_endpoint_id"),
        ("vpcPeeringConnectionId", "vpc_peering_connection_id"),
    ];
    let mut m = std::collections::BTreeMap::new();
    for (json, attr) in KEYS {
        let mut found = Vec::new();
        pluck(req, json, &mut found);
        if let Some(v) = found.into_iter().find_map(scalar_string) {
            m.insert(attr.to_string(), Value::String(v));
        }
    }
    let mut found = Vec::new();
    pluck(req, "gatewayId", &mut found);
    if let Some(g) = found.into_iter().find_map(scalar_string) {
        let key = if g.starts_with("vpce-") { "vpc_endpoint_id" } else { "gateway_id" };
        m.insert(key.to_string(), Value::String(g));
    }
    Value::Map(m)
}

async fn fetch(ctx: &Ctx) -> FetchResult {
    let tables = describe_all(ctx, TYPES).await?;
    Ok(tables.iter().map(|t| map(t, &ctx.region, &ctx.account)).collect())
}

/// Every route table of the region (read once per scan and region; errors are reported
/// against `types`, the caller's).
pub(crate) async fn describe_all(ctx: &Ctx, types: &[&str]) -> Result<Vec<RouteTable>, ReadError> {
    let cached: Result<Vec<RouteTable>, ReadError> = ctx
        .once("ec2:DescribeRouteTables", || async {
            let ec2 = ctx.client::<aws_sdk_ec2::Client>();
            let mut out = Vec::new();
            super::pages!(ctx, types, ec2.describe_route_tables().max_results(100), |page| out
                .extend(page.route_tables().iter().cloned()));
            Ok(out)
        })
        .await;
    crate::aws::client::for_caller(&cached, types)
}

/// Is this the VPC's main route table?
pub(crate) fn is_main(t: &RouteTable) -> bool {
    t.associations().iter().any(|a| a.main().unwrap_or(false))
}

/// Pure mapping from the SDK's `RouteTable` to provider v5 attributes.
pub fn map(t: &RouteTable, region: &str, account: &str) -> Resource {
    let id = t.route_table_id().unwrap_or_default();
    let owner = t.owner_id().unwrap_or(account);
    let arn = format!("arn:aws:ec2:{region}:{owner}:route-table/{id}");
    let mut vgws: Vec<&str> = t.propagating_vgws().iter().filter_map(|v| v.gateway_id()).collect();
    vgws.sort_unstable();
    let mut r = Resource::live("aws_route_table", id, region, account, Some(arn.clone()))
        .with("id", id)
        .with("arn", arn)
        .with("owner_id", Value::opt_str(t.owner_id()))
        .with("vpc_id", Value::opt_str(t.vpc_id()))
        .with("route", inline_routes(t))
        .with("propagating_vgws", Value::string_list(vgws))
        .with("tags", crate::aws::tags::ec2(t.tags()));
    r.aws_default = is_main(t);
    r
}

/// The routes the provider keeps in the inline `route` set, sorted (a set).
pub fn inline_routes(t: &RouteTable) -> Value {
    let mut v: Vec<Value> = t.routes().iter().filter(|r| is_inline(r)).map(route_element).collect();
    v.sort_by_cached_key(Value::canonical);
    Value::List(v)
}

/// Is the route one of those the provider's read stores in `route`?
fn is_inline(r: &Route) -> bool {
    let gateway = r.gateway_id().unwrap_or_default();
    !(gateway == "local"
        || gateway == "VpcLattice"
        || r.origin() == Some(&RouteOrigin::EnableVgwRoutePropagation)
        || (r.destination_prefix_list_id().is_some() && gateway.starts_with("vpce-")))
}

/// Routes an `aws_route` can manage: all but the VPC's `local` route and propagated ones.
pub(crate) fn is_resource_route(r: &Route) -> bool {
    r.gateway_id() != Some("local") && r.origin() != Some(&RouteOrigin::EnableVgwRoutePropagation)
}

/// One element of the `route` set: every key, `""` when unset.
pub fn route_element(r: &Route) -> Value {
    let s = |v: Option<&str>| Value::str(v.unwrap_or_default());
    let gateway = r.gateway_id().unwrap_or_default();
    let (gateway_id, endpoint) = if gateway.starts_with("vpce-") { ("", gateway) } else { (gateway, "") };
    Value::object([
        ("cidr_block", s(r.destination_cidr_block())),
        ("ipv6_cidr_block", s(r.destination_ipv6_cidr_block())),
        ("destination_prefix_list_id", s(r.destination_prefix_list_id())),
        ("carrier_gateway_id", s(r.carrier_gateway_id())),
        ("core_network_arn", s(r.core_network_arn())),
        ("egress_only_gateway_id", s(r.egress_only_internet_gateway_id())),
        ("gateway_id", Value::str(gateway_id)),
        ("local_gateway_id", s(r.local_gateway_id())),
        ("nat_gateway_id", s(r.nat_gateway_id())),
        ("network_interface_id", s(r.network_interface_id())),
        ("transit_gateway_id", s(r.transit_gateway_id())),
        ("vpc_endpoint_id", Value::str(endpoint)),
        ("vpc_peering_connection_id", s(r.vpc_peering_connection_id())),
    ])
}

#[cfg(test)]
mod tests {
    use super::*;
    use aws_sdk_ec2::types::{PropagatingVgw, RouteTableAssociation, Tag};
    use serde_json::json;

    pub(crate) fn table() -> RouteTable {
        RouteTable::builder()
            .route_table_id("rtb-1")
            .vpc_id("vpc-1")
            .owner_id("123456789012")
            .routes(Route::builder().destination_cidr_block("10.0.0.0/16").gateway_id("local").build())
            .routes(Route::builder().destination_cidr_block("0.0.0.0/0").nat_gateway_id("nat-1").build())
            .routes(
                Route::builder().destination_ipv6_cidr_block("::/0").egress_only_internet_gateway_id("eigw-1").build(),
            )
            .routes(Route::builder().destination_prefix_list_id("pl-s3").gateway_id("vpce-1").build())
            .routes(
                Route::builder()
                    .destination_cidr_block("172.16.0.0/12")
                    .gateway_id("vgw-1")
                    .origin(RouteOrigin::EnableVgwRoutePropagation)
                    .build(),
            )
            .propagating_vgws(PropagatingVgw::builder().gateway_id("vgw-1").build())
            .associations(
                RouteTableAssociation::builder()
                    .route_table_association_id("rtbassoc-1")
                    .subnet_id("subnet-1")
                    .main(false)
                    .build(),
            )
            .tags(Tag::builder().key("Name").value("private").build())
            .build()
    }

    #[test]
    fn inline_routes_as_the_provider_stores_them() {
        let r = map(&table(), "us-east-1", "123456789012");
        assert_eq!(r.attr_str("arn"), Some("arn:aws:ec2:us-east-1:123456789012:route-table/rtb-1"));
        let routes = r.attr("route").as_list().unwrap();
        // local, the endpoint's prefix-list route and the propagated route are left out.
        assert_eq!(routes.len(), 2, "{routes:?}");
        let nat = routes.iter().find(|e| e.get("cidr_block") == Some(&Value::str("0.0.0.0/0"))).unwrap();
        assert_eq!(nat.get("nat_gateway_id"), Some(&Value::str("nat-1")));
        assert_eq!(nat.get("gateway_id"), Some(&Value::str("")));
        assert_eq!(nat.as_map().unwrap().len(), 13);
        let v6 = routes.iter().find(|e| e.get("ipv6_cidr_block") == Some(&Value::str("::/0"))).unwrap();
        assert_eq!(v6.get("egress_only_gateway_id"), Some(&Value::str("eigw-1")));
        assert_eq!(r.attr("propagating_vgws"), &Value::string_list(["vgw-1"]));
        assert!(!r.aws_default);
        let main = RouteTable::builder()
            .route_table_id("rtb-0")
            .associations(RouteTableAssociation::builder().main(true).build())
            .build();
        assert!(map(&main, "us-east-1", "123456789012").aws_default);
    }

    #[test]
    fn route_events_change_the_route_set() {
        let e = crate::aws::event::of("aws_route_table", "ec2", "CreateRoute");
        let req = json!({"routeTableId": "rtb-1", "destinationCidrBlock": "192.168.0.0/16", "gatewayId": "igw-1"});
        assert_eq!(e.identifiers(&req, &json!({"_return": true})), vec!["rtb-1"]);
        assert_eq!(
            e.writes(&req, &serde_json::Value::Null),
            vec![Written::Add {
                path: "route".into(),
                elems: vec![Value::object([("cidr_block", "192.168.0.0/16".into()), ("gateway_id", "igw-1".into())])]
            }]
        );
        let create = crate::aws::event::of("aws_route_table", "ec2", "CreateRouteTable");
        let resp = json!({"routeTable": {"routeTableId": "rtb-9", "vpcId": "vpc-1"}});
        assert_eq!(create.identifiers(&json!({"vpcId": "vpc-1"}), &resp), vec!["rtb-9"]);
    }
}

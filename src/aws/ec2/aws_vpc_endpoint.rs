//! `aws_vpc_endpoint`: DescribeVpcEndpoints, paginated. Route tables, subnets and security
//! groups as sets, `policy` as the document's text (compared as JSON by the `policy_json`
//! normaliser), `dns_options` when AWS answers them (interface endpoints). Endpoints a
//! service made for itself (`RequesterManaged`) are AWS's.
//!
//! Left Unknown: `subnet_configuration` (the provider rebuilds it from the interfaces'
//! addresses, one DescribeNetworkInterfaces per endpoint) and `auto_accept` (configuration
//! only).
//!
//! CloudTrail wraps these APIs' parameters in `<Operation>Request`; the flat forms are read
//! too. [inferred]

use aws_sdk_ec2::types::VpcEndpoint;
use futures::FutureExt;

use crate::aws::event::{Event, W};
use crate::aws::{Ctx, FetchResult, Identity, Read, ResourceType};
use crate::model::{Resource, Value};

const TYPES: &[&str] = &["aws_vpc_endpoint"];

pub static TYPE: ResourceType = ResourceType {
    read: Some(Read { fetch: |ctx| fetch(ctx).boxed(), global: false }),
    identity: Identity::arn("ec2", "vpc-endpoint/", &[]),
    events: &[
        Event::create(
            "ec2",
            "CreateVpcEndpoint",
            &["@CreateVpcEndpointResponse.vpcEndpoint.vpcEndpointId", "@vpcEndpoint.vpcEndpointId"],
        )
        .writing(&[
            W::Param("service_name", "CreateVpcEndpointRequest.ServiceName|serviceName"),
            W::Param("vpc_endpoint_type", "CreateVpcEndpointRequest.VpcEndpointType|vpcEndpointType"),
        ]),
        Event::modify("ec2", "ModifyVpcEndpoint", &["ModifyVpcEndpointRequest.VpcEndpointId", "vpcEndpointId"])
            .writing(&[
                W::Touch("route_table_ids"),
                W::Touch("subnet_ids"),
                W::Touch("security_group_ids"),
                W::Touch("policy"),
                W::Param("private_dns_enabled", "ModifyVpcEndpointRequest.PrivateDnsEnabled|privateDnsEnabled"),
            ]),
        Event::delete(
            "ec2",
            "DeleteVpcEndpoints",
            &["DeleteVpcEndpointsRequest.VpcEndpointId[].content", "vpcEndpointId.items[].vpcEndpointId"],
        ),
        super::CREATE_TAGS,
        super::DELETE_TAGS,
    ],
    ..ResourceType::base("aws_vpc_endpoint", "ec2")
};

async fn fetch(ctx: &Ctx) -> FetchResult {
    let ec2 = ctx.client::<aws_sdk_ec2::Client>();
    let mut out = Vec::new();
    super::pages!(ctx, TYPES, ec2.describe_vpc_endpoints().max_results(1000), |page| out
        .extend(page.vpc_endpoints().iter().map(|e| map(e, &ctx.region, &ctx.account))));
    Ok(out)
}

fn sorted<'a>(v: impl Iterator<Item = &'a str>) -> Value {
    let mut v: Vec<&str> = v.collect();
    v.sort_unstable();
    Value::string_list(v)
}

/// Pure mapping from the SDK's `VpcEndpoint` to provider v5 attributes.
pub fn map(e: &VpcEndpoint, region: &str, account: &str) -> Resource {
    let id = e.vpc_endpoint_id().unwrap_or_default();
    let owner = e.owner_id().unwrap_or(account);
    let arn = format!("arn:aws:ec2:{region}:{owner}:vpc-endpoint/{id}");
    let s = |v: Option<&str>| Value::str(v.unwrap_or_default());
    let dns_options = match e.dns_options() {
        Some(d) => Value::block([
            ("dns_record_ip_type", s(d.dns_record_ip_type().map(|t| t.as_str()))),
            (
                "private_dns_only_for_inbound_resolver_endpoint",
                Value::Bool(d.private_dns_only_for_inbound_resolver_endpoint().unwrap_or(false)),
            ),
        ]),
        None => Value::List(Vec::new()),
    };
    let mut r = Resource::live("aws_vpc_endpoint", id, region, account, Some(arn.clone()))
        .with("id", id)
        .with("arn", arn)
        .with("owner_id", Value::opt_str(e.owner_id()))
        .with("vpc_id", Value::opt_str(e.vpc_id()))
        .with("service_name", Value::opt_str(e.service_name()))
        .with("vpc_endpoint_type", s(e.vpc_endpoint_type().map(|t| t.as_str())))
        .with("state", s(e.state().map(|t| t.as_str())))
        .with("policy", s(e.policy_document()))
        .with("private_dns_enabled", e.private_dns_enabled().unwrap_or(false))
        .with("requester_managed", e.requester_managed().unwrap_or(false))
        .with("ip_address_type", s(e.ip_address_type().map(|t| t.as_str())))
        .with("route_table_ids", sorted(e.route_table_ids().iter().map(String::as_str)))
        .with("subnet_ids", sorted(e.subnet_ids().iter().map(String::as_str)))
        .with("security_group_ids", sorted(e.groups().iter().filter_map(|g| g.group_id())))
        .with("network_interface_ids", sorted(e.network_interface_ids().iter().map(String::as_str)))
        .with("dns_options", dns_options)
        .with("tags", crate::aws::tags::ec2(e.tags()));
    r.aws_default = e.requester_managed().unwrap_or(false);
    r
}

#[cfg(test)]
mod tests {
    use super::*;
    use aws_sdk_ec2::types::VpcEndpointType;

    #[test]
    fn a_gateway_endpoint() {
        let e = VpcEndpoint::builder()
            .vpc_endpoint_id("vpce-1")
            .vpc_id("vpc-1")
            .service_name("com.amazonaws.us-east-1.s3")
            .vpc_endpoint_type(VpcEndpointType::Gateway)
            .route_table_ids("rtb-2")
            .route_table_ids("rtb-1")
            .policy_document("{\"Statement\":[]}")
            .build();
        let r = map(&e, "us-east-1", "123456789012");
        assert_eq!(r.attr("route_table_ids"), &Value::string_list(["rtb-1", "rtb-2"]));
        assert_eq!(r.attr_str("vpc_endpoint_type"), Some("Gateway"));
        assert_eq!(r.attr("private_dns_enabled"), &Value::Bool(false));
        assert_eq!(r.attr("dns_options"), &Value::List(vec![]));
        assert!(!r.aws_default);
    }
    #[test]
    fn endpoint_events() {
        use serde_json::json;
        let m = crate::aws::event::of("aws_vpc_endpoint", "ec2", "ModifyVpcEndpoint");
        let req = json!({"ModifyVpcEndpointRequest": {"VpcEndpointId": "vpce-1", "AddRouteTableId": {"content": "rtb-9", "tag": 1}}});
        assert_eq!(m.identifiers(&req, &json!({})), vec!["vpce-1"]);
        assert!(m.writes(&req, &json!({})).contains(&crate::aws::Written::Touch { path: "route_table_ids".into() }));
        let c = crate::aws::event::of("aws_vpc_endpoint", "ec2", "CreateVpcEndpoint");
        let resp = json!({"CreateVpcEndpointResponse": {"vpcEndpoint": {"vpcEndpointId": "vpce-2"}}});
        assert_eq!(c.identifiers(&json!({}), &resp), vec!["vpce-2"]);
    }
}

//! `aws_customer_gateway`: DescribeCustomerGateways (one call: EC2 does not paginate it).
//! Gateways in state `deleted` are still described for a while; the provider reads them as
//! gone, and so do we. Strings AWS leaves out are `""`, as the provider stores them.

use aws_sdk_ec2::types::CustomerGateway;
use futures::FutureExt;

use crate::aws::errors::read_error;
use crate::aws::event::{Event, W};
use crate::aws::{Ctx, FetchResult, Identity, Read, ResourceType};
use crate::model::{Resource, Value};

const TYPES: &[&str] = &["aws_customer_gateway"];

pub static TYPE: ResourceType = ResourceType {
    read: Some(Read { fetch: |ctx| fetch(ctx).boxed(), global: false }),
    identity: Identity::arn("ec2", "customer-gateway/", &[]),
    events: &[
        Event::create("ec2", "CreateCustomerGateway", &["@customerGateway.customerGatewayId"]).writing(&[
            W::Param("bgp_asn", "bgpAsn"),
            W::Param("bgp_asn_extended", "bgpAsnExtended"),
            W::Param("ip_address", "ipAddress|publicIp"),
            W::Param("device_name", "deviceName"),
            W::Param("type", "type"),
        ]),
        Event::delete("ec2", "DeleteCustomerGateway", &["customerGatewayId"]),
        super::CREATE_TAGS,
        super::DELETE_TAGS,
    ],
    ..ResourceType::base("aws_customer_gateway", "ec2")
};

async fn fetch(ctx: &Ctx) -> FetchResult {
    let ec2 = ctx.client::<aws_sdk_ec2::Client>();
    let out = {
        let _p = ctx.permit("ec2").await;
        ec2.describe_customer_gateways().send().await
    }
    .map_err(|e| read_error("ec2", &ctx.region, TYPES, e))?;
    Ok(out
        .customer_gateways()
        .iter()
        .filter(|g| g.state() != Some("deleted"))
        .map(|g| map(g, &ctx.region, &ctx.account))
        .collect())
}

/// Pure mapping from the SDK's `CustomerGateway` to provider v5 attributes.
pub fn map(g: &CustomerGateway, region: &str, account: &str) -> Resource {
    let id = g.customer_gateway_id().unwrap_or_default();
    let arn = format!("arn:aws:ec2:{region}:{account}:customer-gateway/{id}");
    let s = |v: Option<&str>| Value::str(v.unwrap_or_default());
    Resource::live("aws_customer_gateway", id, region, account, Some(arn.clone()))
        .with("id", id)
        .with("arn", arn)
        .with("bgp_asn", s(g.bgp_asn()))
        .with("bgp_asn_extended", s(g.bgp_asn_extended()))
        .with("certificate_arn", s(g.certificate_arn()))
        .with("device_name", s(g.device_name()))
        .with("ip_address", s(g.ip_address()))
        .with("type", s(g.r#type()))
        .with("tags", crate::aws::tags::ec2(g.tags()))
}

#[cfg(test)]
mod tests {
    use super::*;
    use aws_sdk_ec2::types::Tag;
    use serde_json::json;

    #[test]
    fn maps_a_customer_gateway() {
        let g = CustomerGateway::builder()
            .customer_gateway_id("cgw-1")
            .bgp_asn("65112")
            .ip_address("1.2.3.4")
            .device_name("branch-router")
            .r#type("ipsec.1")
            .state("available")
            .tags(Tag::builder().key("Name").value("reach-IP1").build())
            .build();
        let r = map(&g, "us-east-1", "123456789012");
        assert_eq!(r.attr_str("arn"), Some("arn:aws:ec2:us-east-1:123456789012:customer-gateway/cgw-1"));
        assert_eq!(r.attr_str("bgp_asn"), Some("65112"));
        assert_eq!(r.attr_str("device_name"), Some("branch-router"));
        // Not answered: stored as "" by the provider.
        assert_eq!(r.attr_str("bgp_asn_extended"), Some(""));
        assert_eq!(r.attr_str("certificate_arn"), Some(""));
        assert_eq!(r.attr("tags"), &Value::string_map([("Name", "reach-IP1")]));
    }

    #[test]
    fn gateway_events() {
        let e = crate::aws::event::of("aws_customer_gateway", "ec2", "CreateCustomerGateway");
        let req = json!({"type": "ipsec.1", "bgpAsn": 65112, "ipAddress": "1.2.3.4", "deviceName": "branch-router"});
        let resp = json!({"customerGateway": {"customerGatewayId": "cgw-1", "state": "available"}});
        assert_eq!(e.identifiers(&req, &resp), vec!["cgw-1"]);
        let writes = e.writes(&req, &resp);
        assert!(
            writes.contains(&crate::aws::Written::Set { path: "device_name".into(), value: "branch-router".into() })
        );
        let d = crate::aws::event::of("aws_customer_gateway", "ec2", "DeleteCustomerGateway");
        assert_eq!(d.identifiers(&json!({"customerGatewayId": "cgw-1"}), &json!({})), vec!["cgw-1"]);
    }
}

//! `aws_egress_only_internet_gateway`: DescribeEgressOnlyInternetGateways, paginated.
//! `vpc_id` is the VPC of its attachment.
//!
//! CloudTrail wraps the newer EC2 APIs' parameters in `<Operation>Request` (as it does for
//! ModifyInstanceMetadataOptions); both that and the flat form are read. [inferred]

use aws_sdk_ec2::types::EgressOnlyInternetGateway;
use futures::FutureExt;

use crate::aws::event::{Event, W};
use crate::aws::{Ctx, FetchResult, Read, ResourceType};
use crate::model::{Resource, Value};

const TYPES: &[&str] = &["aws_egress_only_internet_gateway"];

pub static TYPE: ResourceType = ResourceType {
    read: Some(Read { fetch: |ctx| fetch(ctx).boxed(), global: false }),
    events: &[
        Event::create(
            "ec2",
            "CreateEgressOnlyInternetGateway",
            &[
                "@CreateEgressOnlyInternetGatewayResponse.egressOnlyInternetGateway.egressOnlyInternetGatewayId",
                "@egressOnlyInternetGateway.egressOnlyInternetGatewayId",
            ],
        )
        .writing(&[W::Param("vpc_id", "CreateEgressOnlyInternetGatewayRequest.VpcId|vpcId")]),
        Event::delete(
            "ec2",
            "DeleteEgressOnlyInternetGateway",
            &["DeleteEgressOnlyInternetGatewayRequest.EgressOnlyInternetGatewayId", "egressOnlyInternetGatewayId"],
        ),
        super::CREATE_TAGS,
        super::DELETE_TAGS,
    ],
    ..ResourceType::base("aws_egress_only_internet_gateway", "ec2")
};

async fn fetch(ctx: &Ctx) -> FetchResult {
    let ec2 = ctx.client::<aws_sdk_ec2::Client>();
    let mut out = Vec::new();
    super::pages!(ctx, TYPES, ec2.describe_egress_only_internet_gateways().max_results(255), |page| out
        .extend(page.egress_only_internet_gateways().iter().map(|g| map(g, &ctx.region, &ctx.account))));
    Ok(out)
}

/// Pure mapping from the SDK's `EgressOnlyInternetGateway` to provider v5 attributes.
pub fn map(g: &EgressOnlyInternetGateway, region: &str, account: &str) -> Resource {
    let id = g.egress_only_internet_gateway_id().unwrap_or_default();
    Resource::live("aws_egress_only_internet_gateway", id, region, account, None)
        .with("id", id)
        .with("vpc_id", Value::str(g.attachments().iter().find_map(|a| a.vpc_id()).unwrap_or_default()))
        .with("tags", crate::aws::tags::ec2(g.tags()))
}

#[cfg(test)]
mod tests {
    use super::*;
    use aws_sdk_ec2::types::InternetGatewayAttachment;
    use serde_json::json;

    #[test]
    fn maps_a_gateway_and_its_events() {
        let g = EgressOnlyInternetGateway::builder()
            .egress_only_internet_gateway_id("eigw-1")
            .attachments(InternetGatewayAttachment::builder().vpc_id("vpc-1").build())
            .build();
        let r = map(&g, "us-east-1", "123456789012");
        assert_eq!((r.id.as_str(), r.attr_str("vpc_id")), ("eigw-1", Some("vpc-1")));
        let e = crate::aws::event::of("aws_egress_only_internet_gateway", "ec2", "DeleteEgressOnlyInternetGateway");
        let req = json!({"DeleteEgressOnlyInternetGatewayRequest": {"EgressOnlyInternetGatewayId": "eigw-1"}});
        assert_eq!(e.identifiers(&req, &serde_json::Value::Null), vec!["eigw-1"]);
    }
}

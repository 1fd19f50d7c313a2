//! `aws_spot_instance_request`: DescribeSpotInstanceRequests, paginated; cancelled and
//! closed requests are gone, as the provider's read treats them.
//!
//! The request's own attributes are read (type, price, interruption behaviour, launch
//! group, validity, bid status and state, the launched instance) with the launch
//! specification's AMI, instance type and subnet. The instance it launched is AWS's doing:
//! it is read as an `aws_instance` but never reported unmanaged while the request is in
//! state (`spot_instance_id`), and findings on it point at the request.
//!
//! Left Unknown: the instance-level attributes the provider copies from the launched
//! instance (`vpc_security_group_ids`, `root_block_device`, `metadata_options`, addresses):
//! the instance's own read carries them.

use aws_sdk_ec2::types::{SpotInstanceRequest, SpotInstanceState};
use aws_smithy_types::date_time::Format;
use futures::FutureExt;

use crate::aws::event::{Event, W};
use crate::aws::{Ctx, FetchResult, Read, ResourceType};
use crate::model::{Resource, Value};

const TYPES: &[&str] = &["aws_spot_instance_request"];

pub static TYPE: ResourceType = ResourceType {
    read: Some(Read { fetch: |ctx| fetch(ctx).boxed(), global: false }),
    events: &[
        Event::create("ec2", "RequestSpotInstances", &["@spotInstanceRequestSet.items[].spotInstanceRequestId"])
            .writing(&[W::Param("spot_type", "type"), W::Param("spot_price", "spotPrice")]),
        Event::delete("ec2", "CancelSpotInstanceRequests", &["spotInstanceRequestIdSet.items[].spotInstanceRequestId"]),
        super::CREATE_TAGS,
        super::DELETE_TAGS,
    ],
    records: &[("spot_instance_id", "aws_instance")],
    ..ResourceType::base("aws_spot_instance_request", "ec2")
};

async fn fetch(ctx: &Ctx) -> FetchResult {
    let ec2 = ctx.client::<aws_sdk_ec2::Client>();
    let mut out = Vec::new();
    super::pages!(ctx, TYPES, ec2.describe_spot_instance_requests().max_results(1000), |page| out.extend(
        page.spot_instance_requests()
            .iter()
            .filter(|r| !matches!(r.state(), Some(SpotInstanceState::Cancelled | SpotInstanceState::Closed)))
            .map(|r| map(r, &ctx.region, &ctx.account))
    ));
    Ok(out)
}

/// A time as the provider stores it (RFC 3339; Go's zero time when absent).
fn time(t: Option<&aws_smithy_types::DateTime>) -> Value {
    Value::str(t.and_then(|t| t.fmt(Format::DateTime).ok()).unwrap_or_else(|| "0001-01-01T00:00:00Z".to_string()))
}

/// Pure mapping from the SDK's `SpotInstanceRequest` to provider v5 attributes.
pub fn map(r: &SpotInstanceRequest, region: &str, account: &str) -> Resource {
    let id = r.spot_instance_request_id().unwrap_or_default();
    let s = |v: Option<&str>| Value::str(v.unwrap_or_default());
    let spec = r.launch_specification();
    let mut out = Resource::live("aws_spot_instance_request", id, region, account, None)
        .with("id", id)
        .with("spot_type", s(r.r#type().map(|t| t.as_str())))
        .with("spot_price", s(r.spot_price()))
        .with("instance_interruption_behavior", s(r.instance_interruption_behavior().map(|b| b.as_str())))
        .with("launch_group", s(r.launch_group()))
        .with("block_duration_minutes", Value::int(r.block_duration_minutes().unwrap_or(0).into()))
        .with("valid_from", time(r.valid_from()))
        .with("valid_until", time(r.valid_until()))
        .with("spot_bid_status", s(r.status().and_then(|st| st.code())))
        .with("spot_request_state", s(r.state().map(|st| st.as_str())))
        .with("spot_instance_id", s(r.instance_id()))
        .with("tags", crate::aws::tags::ec2(r.tags()));
    if let Some(spec) = spec {
        out.set("ami", s(spec.image_id()));
        out.set("instance_type", s(spec.instance_type().map(|t| t.as_str())));
        if let Some(subnet) = spec.subnet_id() {
            out.set("subnet_id", subnet);
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use aws_sdk_ec2::types::{InstanceType, LaunchSpecification, SpotInstanceStatus, SpotInstanceType};
    use serde_json::json;

    #[test]
    fn a_fulfilled_request() {
        let r = SpotInstanceRequest::builder()
            .spot_instance_request_id("sir-1")
            .r#type(SpotInstanceType::OneTime)
            .state(SpotInstanceState::Active)
            .status(SpotInstanceStatus::builder().code("fulfilled").build())
            .instance_id("i-1")
            .launch_specification(
                LaunchSpecification::builder()
                    .image_id("ami-1")
                    .instance_type(InstanceType::T3Micro)
                    .subnet_id("subnet-1")
                    .build(),
            )
            .build();
        let res = map(&r, "us-east-1", "1");
        assert_eq!(res.attr_str("spot_instance_id"), Some("i-1"));
        assert_eq!(res.attr_str("spot_type"), Some("one-time"));
        assert_eq!(res.attr_str("valid_from"), Some("0001-01-01T00:00:00Z"));
        assert_eq!(res.attr_str("instance_type"), Some("t3.micro"));
        assert_eq!(res.attr_str("spot_bid_status"), Some("fulfilled"));
        let e = crate::aws::event::of("aws_spot_instance_request", "ec2", "RequestSpotInstances");
        let resp = json!({"spotInstanceRequestSet": {"items": [{"spotInstanceRequestId": "sir-1"}]}});
        assert_eq!(e.identifiers(&json!({}), &resp), vec!["sir-1"]);
    }
}

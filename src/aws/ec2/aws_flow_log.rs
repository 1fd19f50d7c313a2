//! `aws_flow_log`: DescribeFlowLogs, paginated. The logged resource goes to the attribute
//! its id's prefix names (`vpc_id`, `subnet_id`, `eni_id`, `transit_gateway_id`,
//! `transit_gateway_attachment_id`); the others are not set, as in the provider's read.
//! Part of its VPC's view (HS-VPC-001).
//!
//! CloudTrail wraps CreateFlowLogs' parameters in `CreateFlowLogsRequest` (ids as
//! `{content, tag}` items); the flat form is read too. [inferred]

use aws_sdk_ec2::types::FlowLog;
use futures::FutureExt;

use crate::aws::event::{Event, W};
use crate::aws::{Ctx, FetchResult, Identity, Read, ResourceType};
use crate::model::{Resource, Value};

const TYPES: &[&str] = &["aws_flow_log"];

pub static TYPE: ResourceType = ResourceType {
    read: Some(Read { fetch: |ctx| fetch(ctx).boxed(), global: false }),
    identity: Identity::arn("ec2", "vpc-flow-log/", &[]),
    events: &[
        Event::create(
            "ec2",
            "CreateFlowLogs",
            &[
                "@CreateFlowLogsResponse.flowLogIdSet.item",
                "@CreateFlowLogsResponse.flowLogIdSet.item[].content",
                "@flowLogIdSet.items[].flowLogId",
            ],
        )
        .writing(&[
            W::Param("traffic_type", "CreateFlowLogsRequest.TrafficType|trafficType"),
            W::Param("log_destination", "CreateFlowLogsRequest.LogDestination|logDestination"),
            W::Param("log_destination_type", "CreateFlowLogsRequest.LogDestinationType|logDestinationType"),
        ]),
        Event::delete(
            "ec2",
            "DeleteFlowLogs",
            &["DeleteFlowLogsRequest.FlowLogId[].content", "flowLogIdSet.items[].flowLogId"],
        ),
        super::CREATE_TAGS,
        super::DELETE_TAGS,
    ],
    part_of_views: &["vpc"],
    ..ResourceType::base("aws_flow_log", "ec2")
};

async fn fetch(ctx: &Ctx) -> FetchResult {
    let ec2 = ctx.client::<aws_sdk_ec2::Client>();
    let mut out = Vec::new();
    super::pages!(ctx, TYPES, ec2.describe_flow_logs().max_results(1000), |page| out
        .extend(page.flow_logs().iter().map(|f| map(f, &ctx.region, &ctx.account))));
    Ok(out)
}

/// The attribute a logged resource's id goes to.
fn resource_attr(id: &str) -> Option<&'static str> {
    [
        ("vpc-", "vpc_id"),
        ("subnet-", "subnet_id"),
        ("eni-", "eni_id"),
        ("tgw-attach-", "transit_gateway_attachment_id"),
        ("tgw-", "transit_gateway_id"),
    ]
    .into_iter()
    .find(|(p, _)| id.starts_with(p))
    .map(|(_, a)| a)
}

/// Pure mapping from the SDK's `FlowLog` to provider v5 attributes.
pub fn map(f: &FlowLog, region: &str, account: &str) -> Resource {
    let id = f.flow_log_id().unwrap_or_default();
    let arn = format!("arn:aws:ec2:{region}:{account}:vpc-flow-log/{id}");
    let s = |v: Option<&str>| Value::str(v.unwrap_or_default());
    let options = match f.destination_options() {
        Some(o) => Value::block([
            ("file_format", s(o.file_format().map(|x| x.as_str()))),
            ("hive_compatible_partitions", Value::Bool(o.hive_compatible_partitions().unwrap_or(false))),
            ("per_hour_partition", Value::Bool(o.per_hour_partition().unwrap_or(false))),
        ]),
        None => Value::List(Vec::new()),
    };
    let mut r = Resource::live("aws_flow_log", id, region, account, Some(arn.clone()))
        .with("id", id)
        .with("arn", arn)
        .with("traffic_type", s(f.traffic_type().map(|t| t.as_str())))
        .with("log_destination", s(f.log_destination()))
        .with("log_destination_type", s(f.log_destination_type().map(|t| t.as_str())))
        .with("log_group_name", s(f.log_group_name()))
        .with("log_format", s(f.log_format()))
        .with("iam_role_arn", s(f.deliver_logs_permission_arn()))
        .with("deliver_cross_account_role", s(f.deliver_cross_account_role()))
        .with("max_aggregation_interval", Value::opt_int(f.max_aggregation_interval()))
        .with("destination_options", options)
        .with("tags", crate::aws::tags::ec2(f.tags()));
    if let Some(logged) = f.resource_id() {
        if let Some(attr) = resource_attr(logged) {
            r.set(attr, logged);
        }
    }
    r
}

#[cfg(test)]
mod tests {
    use super::*;
    use aws_sdk_ec2::types::{LogDestinationType, TrafficType};

    #[test]
    fn maps_a_vpc_flow_log() {
        let f = FlowLog::builder()
            .flow_log_id("fl-1")
            .resource_id("vpc-1")
            .traffic_type(TrafficType::All)
            .log_destination_type(LogDestinationType::S3)
            .log_destination("arn:aws:s3:::logs")
            .max_aggregation_interval(600)
            .build();
        let r = map(&f, "us-east-1", "123456789012");
        assert_eq!(r.attr_str("vpc_id"), Some("vpc-1"));
        assert_eq!(r.attr("subnet_id"), &Value::Unknown);
        assert_eq!(r.attr_str("traffic_type"), Some("ALL"));
        assert_eq!(r.attr_str("log_destination_type"), Some("s3"));
        assert_eq!(r.attr_str("log_group_name"), Some(""));
        assert_eq!(r.attr("max_aggregation_interval"), &Value::int(600));
        assert_eq!(r.attr("destination_options"), &Value::List(vec![]));
        assert_eq!(resource_attr("tgw-attach-1"), Some("transit_gateway_attachment_id"));
    }
    #[test]
    fn flow_log_events() {
        use serde_json::json;
        let d = crate::aws::event::of("aws_flow_log", "ec2", "DeleteFlowLogs");
        let req = json!({"DeleteFlowLogsRequest": {"FlowLogId": {"content": "fl-1", "tag": 1}}});
        assert_eq!(d.identifiers(&req, &json!({})), vec!["fl-1"]);
        let c = crate::aws::event::of("aws_flow_log", "ec2", "CreateFlowLogs");
        let req = json!({"CreateFlowLogsRequest": {"ResourceId": {"content": "vpc-1", "tag": 1}, "TrafficType": "ALL", "LogDestinationType": "s3"}});
        let resp = json!({"CreateFlowLogsResponse": {"flowLogIdSet": {"item": "fl-2"}}});
        assert_eq!(c.identifiers(&req, &resp), vec!["fl-2"]);
        assert!(
            c.writes(&req, &resp)
                .contains(&crate::aws::Written::Set { path: "traffic_type".into(), value: "ALL".into() })
        );
    }
}

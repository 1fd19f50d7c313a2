//! `aws_lb_target_group`: DescribeTargetGroups (paginated), then per target group
//! DescribeTargetGroupAttributes, and tags in batches (DescribeTags). Id: the ARN.
//!
//! Follows the provider's read: `health_check` as one block (`matcher` the HTTP or gRPC
//! codes), `protocol_version` only for HTTP and HTTPS groups, each attribute AWS answers to its
//! argument (`deregistration_delay` as a string, `slow_start`, the load-balancing settings,
//! `preserve_client_ip`, `proxy_protocol_v2`, `connection_termination`...), `stickiness` with
//! its `enabled` and `type` (the cookie settings depend on the type and the configuration:
//! not judged). Not read: `target_failover`, `target_health_state` and `target_group_health`
//! (settings of Gateway and Network Load Balancer groups that no rule reads): Unknown.

use aws_sdk_elasticloadbalancingv2::types::{ProtocolEnum, TargetGroup, TargetGroupAttribute};
use futures::{FutureExt, StreamExt, TryStreamExt};
use serde_json::Value as J;

use super::{ADD_TAGS, Kind, REMOVE_TAGS, attributes_written, gone, set, tags};
use crate::aws::errors::read_error;
use crate::aws::event::{Event, W, Written};
use crate::aws::{Ctx, FetchResult, Identity, Read, ResourceType};
use crate::model::{Resource, Value};

/// Health check settings of CreateTargetGroup and ModifyTargetGroup (same request shape).
const HEALTH_CHECK: &[W] = &[
    W::Param("health_check[0].enabled", "healthCheckEnabled"),
    W::Param("health_check[0].path", "healthCheckPath"),
    W::Param("health_check[0].port", "healthCheckPort"),
    W::Param("health_check[0].protocol", "healthCheckProtocol"),
    W::Param("health_check[0].interval", "healthCheckIntervalSeconds"),
    W::Param("health_check[0].timeout", "healthCheckTimeoutSeconds"),
    W::Param("health_check[0].healthy_threshold", "healthyThresholdCount"),
    W::Param("health_check[0].unhealthy_threshold", "unhealthyThresholdCount"),
    W::Param("health_check[0].matcher", "matcher.httpCode|matcher.grpcCode"),
];

pub(super) const EVENTS: &[Event] = &[
    Event::create("elasticloadbalancing", "CreateTargetGroup", &["@targetGroups[].targetGroupArn", "name"]).writing(&[
        W::Param("port", "port"),
        W::Param("protocol", "protocol"),
        W::Param("protocol_version", "protocolVersion"),
        W::Param("vpc_id", "vpcId"),
        W::Param("target_type", "targetType"),
        W::Param("ip_address_type", "ipAddressType"),
        W::Tags { items: "tags[]", key: "key", value: "value" },
        W::Custom(health_check_written),
    ]),
    Event::modify("elasticloadbalancing", "ModifyTargetGroup", &["targetGroupArn"]).writing(HEALTH_CHECK),
    Event::modify("elasticloadbalancing", "ModifyTargetGroupAttributes", &["targetGroupArn"])
        .writing(&[W::Custom(tg_attributes_written)]),
    Event::delete("elasticloadbalancing", "DeleteTargetGroup", &["targetGroupArn"]),
    ADD_TAGS,
    REMOVE_TAGS,
];

pub static TYPE: ResourceType = ResourceType {
    read: Some(Read { fetch: |ctx| fetch_as(ctx, "aws_lb_target_group").boxed(), global: false }),
    identity: Identity::arn("elasticloadbalancing", "targetgroup/", &["name"]),
    events: EVENTS,
    ..ResourceType::base("aws_lb_target_group", "elasticloadbalancing")
};

/// Target group attributes (API key, argument, how it is stored).
const ATTRIBUTES: &[(&str, &str, Kind)] = &[
    ("deregistration_delay.timeout_seconds", "deregistration_delay", Kind::Str),
    ("deregistration_delay.connection_termination.enabled", "connection_termination", Kind::Bool),
    ("lambda.multi_value_headers.enabled", "lambda_multi_value_headers_enabled", Kind::Bool),
    ("load_balancing.algorithm.type", "load_balancing_algorithm_type", Kind::Str),
    ("load_balancing.algorithm.anomaly_mitigation", "load_balancing_anomaly_mitigation", Kind::Str),
    ("load_balancing.cross_zone.enabled", "load_balancing_cross_zone_enabled", Kind::Str),
    ("preserve_client_ip.enabled", "preserve_client_ip", Kind::Str),
    ("proxy_protocol_v2.enabled", "proxy_protocol_v2", Kind::Bool),
    ("slow_start.duration_seconds", "slow_start", Kind::Int),
    ("stickiness.enabled", "stickiness[0].enabled", Kind::Bool),
    ("stickiness.type", "stickiness[0].type", Kind::Str),
];

/// Every target group of the region as `rtype` (`aws_lb_target_group`, or the legacy
/// `aws_alb_target_group`).
pub(super) async fn fetch_as(ctx: &Ctx, rtype: &'static str) -> FetchResult {
    let types: &[&str] =
        if rtype == "aws_alb_target_group" { &["aws_alb_target_group"] } else { &["aws_lb_target_group"] };
    let elasticloadbalancingv2 = ctx.client::<aws_sdk_elasticloadbalancingv2::Client>();
    let mut groups: Vec<TargetGroup> = Vec::new();
    let mut pages = elasticloadbalancingv2.describe_target_groups().page_size(400).into_paginator().send();
    while let Some(page) = {
        let _p = ctx.permit("elasticloadbalancing").await;
        pages.next().await
    } {
        let page = page.map_err(|e| read_error("elasticloadbalancing", &ctx.region, types, e))?;
        groups.extend(page.target_groups().iter().cloned());
    }
    let arns: Vec<String> = groups.iter().filter_map(|g| g.target_group_arn().map(str::to_string)).collect();
    let tags = tags(ctx, &arns, types).await?;
    let (tags, elasticloadbalancingv2) = (&tags, &elasticloadbalancingv2);
    let found: Vec<Option<Resource>> = futures::stream::iter(groups)
        .map(|g| async move {
            let Some(arn) = g.target_group_arn() else { return Ok(None) };
            let answer = {
                let _p = ctx.permit("elasticloadbalancing").await;
                elasticloadbalancingv2.describe_target_group_attributes().target_group_arn(arn).send().await
            };
            match answer {
                Ok(out) => Ok(Some(map(rtype, &g, out.attributes(), tags.get(arn), &ctx.region, &ctx.account))),
                Err(e) if gone(&e) => Ok(None),
                Err(e) => Err(read_error("elasticloadbalancing", &ctx.region, types, e)),
            }
        })
        .buffer_unordered(ctx.limit("elasticloadbalancing"))
        .try_collect()
        .await?;
    Ok(found.into_iter().flatten().collect())
}

/// Pure mapping from the SDK's `TargetGroup`, its attributes and tags to provider v5
/// attributes of `rtype`.
pub fn map(
    rtype: &str,
    g: &TargetGroup,
    attributes: &[TargetGroupAttribute],
    tags: Option<&Value>,
    region: &str,
    account: &str,
) -> Resource {
    let arn = g.target_group_arn().unwrap_or_default();
    let name = g.target_group_name().unwrap_or_default();
    let s = |v: Option<&str>| Value::str(v.unwrap_or_default());
    let matcher = g.matcher().and_then(|m| m.http_code().or(m.grpc_code()));
    let mut r = Resource::live(rtype, arn, region, account, Some(arn.to_string()))
        .with("id", arn)
        .with("arn", arn)
        .with("arn_suffix", arn.rsplit_once(':').map(|(_, s)| s).unwrap_or_default())
        .with("name", name)
        .with("name_prefix", crate::aws::ec2::name_prefix(name))
        .with("port", Value::opt_int(g.port()))
        .with("protocol", s(g.protocol().map(|p| p.as_str())))
        .with("target_type", s(g.target_type().map(|t| t.as_str())))
        .with("vpc_id", s(g.vpc_id()))
        .with("ip_address_type", s(g.ip_address_type().map(|t| t.as_str())))
        .with("load_balancer_arns", set(g.load_balancer_arns().iter().map(String::as_str)))
        .with(
            "health_check",
            Value::block([
                ("enabled", Value::Bool(g.health_check_enabled().unwrap_or(false))),
                ("healthy_threshold", Value::opt_int(g.healthy_threshold_count())),
                ("interval", Value::opt_int(g.health_check_interval_seconds())),
                ("matcher", s(matcher)),
                ("path", s(g.health_check_path())),
                ("port", s(g.health_check_port())),
                ("protocol", s(g.health_check_protocol().map(|p| p.as_str()))),
                ("timeout", Value::opt_int(g.health_check_timeout_seconds())),
                ("unhealthy_threshold", Value::opt_int(g.unhealthy_threshold_count())),
            ]),
        );
    if matches!(g.protocol(), Some(ProtocolEnum::Http | ProtocolEnum::Https)) {
        r.set("protocol_version", s(g.protocol_version()));
    }
    if let Some(t) = tags {
        r.set("tags", t.clone());
    }
    let mut stickiness: Vec<(&'static str, Value)> = Vec::new();
    for a in attributes {
        let (Some(key), Some(v)) = (a.key(), a.value()) else { continue };
        let Some((_, attr, kind)) = ATTRIBUTES.iter().find(|(k, ..)| *k == key) else { continue };
        let Some(v) = kind.parse(v) else { continue };
        match *attr {
            "stickiness[0].enabled" => stickiness.push(("enabled", v)),
            "stickiness[0].type" => stickiness.push(("type", v)),
            _ => r.set(attr, v),
        }
    }
    if !stickiness.is_empty() {
        r.set("stickiness", Value::block(stickiness));
    }
    r
}

fn health_check_written(req: &J, resp: &J, out: &mut Vec<Written>) {
    for w in HEALTH_CHECK {
        if let W::Param(attr, path) = w {
            if let Some(v) = crate::aws::event::first(req, path) {
                out.push(Written::Set { path: (*attr).to_string(), value: crate::aws::event::value(v) });
            }
        }
    }
    let _ = resp;
}

fn tg_attributes_written(req: &J, _resp: &J, out: &mut Vec<Written>) {
    attributes_written(req, ATTRIBUTES, out);
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::aws::event::of;
    use aws_sdk_elasticloadbalancingv2::types::{Matcher, TargetTypeEnum};
    use serde_json::json;

    #[test]
    fn maps_a_target_group_with_its_attributes() {
        let g = TargetGroup::builder()
            .target_group_arn("arn:aws:elasticloadbalancing:us-east-1:1:targetgroup/web/abc")
            .target_group_name("web")
            .protocol(ProtocolEnum::Https)
            .port(8443)
            .vpc_id("vpc-1")
            .target_type(TargetTypeEnum::Ip)
            .protocol_version("HTTP1")
            .health_check_enabled(true)
            .health_check_path("/healthz")
            .health_check_port("traffic-port")
            .health_check_protocol(ProtocolEnum::Https)
            .matcher(Matcher::builder().http_code("200").build())
            .build();
        let attr = |k: &str, v: &str| TargetGroupAttribute::builder().key(k).value(v).build();
        let attrs = [
            attr("deregistration_delay.timeout_seconds", "300"),
            attr("stickiness.enabled", "false"),
            attr("stickiness.type", "lb_cookie"),
            attr("slow_start.duration_seconds", "0"),
        ];
        let r = map("aws_lb_target_group", &g, &attrs, None, "us-east-1", "1");
        assert_eq!(r.attr_str("arn_suffix"), Some("targetgroup/web/abc"));
        assert_eq!(r.attr_str("deregistration_delay"), Some("300"));
        assert_eq!(r.attr("slow_start"), &Value::int(0));
        assert_eq!(r.attr_str("protocol_version"), Some("HTTP1"));
        assert_eq!(r.attr("health_check").get("matcher"), Some(&Value::str("200")));
        assert_eq!(r.attr("stickiness").get("type"), Some(&Value::str("lb_cookie")));
        assert_eq!(r.attr("stickiness").get("cookie_duration"), None);
        assert_eq!(r.attr("target_failover"), &Value::Unknown);
        assert_eq!(r.attr("tags"), &Value::Unknown);
    }

    #[test]
    fn target_group_events() {
        let m = of("aws_lb_target_group", "elasticloadbalancing", "ModifyTargetGroup");
        let req = json!({"targetGroupArn": "arn:tg", "healthCheckPath": "/", "matcher": {"httpCode": "200-399"}});
        assert_eq!(m.identifiers(&req, &J::Null), vec!["arn:tg"]);
        assert_eq!(
            m.writes(&req, &J::Null),
            vec![
                Written::Set { path: "health_check[0].path".into(), value: Value::str("/") },
                Written::Set { path: "health_check[0].matcher".into(), value: Value::str("200-399") },
            ]
        );
        let a = of("aws_lb_target_group", "elasticloadbalancing", "ModifyTargetGroupAttributes");
        let req = json!({"targetGroupArn": "arn:tg", "attributes": [{"key": "deregistration_delay.timeout_seconds", "value": "30"}]});
        assert_eq!(
            a.writes(&req, &J::Null),
            vec![Written::Set { path: "deregistration_delay".into(), value: Value::str("30") }]
        );
        let c = of("aws_lb_target_group", "elasticloadbalancing", "CreateTargetGroup");
        let resp = json!({"targetGroups": [{"targetGroupArn": "arn:tg"}]});
        assert_eq!(c.identifiers(&json!({"name": "web"}), &resp), vec!["arn:tg", "web"]);
    }
}

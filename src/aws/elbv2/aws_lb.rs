//! `aws_lb`: DescribeLoadBalancers (shared), then per load balancer
//! DescribeLoadBalancerAttributes, and tags in batches (DescribeTags). Id: the ARN.
//!
//! Follows the provider's read: `internal` from the scheme, `subnets` and `subnet_mapping`
//! from the availability zones (a mapping's addresses from its first address), `access_logs`
//! always one block and `connection_logs` one block on Application Load Balancers, each
//! attribute AWS answers to its argument (`idle_timeout`, `enable_http2`,
//! `drop_invalid_header_fields`, `enable_deletion_protection`...). An attribute AWS does not
//! answer is left Unknown. `name_prefix` from a generated name. Not read:
//! `minimum_load_balancer_capacity` (one DescribeCapacityReservation per load balancer, and no
//! rule reads it): Unknown.

use aws_sdk_elasticloadbalancingv2::types::{
    LoadBalancer, LoadBalancerAttribute, LoadBalancerSchemeEnum, LoadBalancerTypeEnum,
};
use futures::{FutureExt, StreamExt, TryStreamExt};
use serde_json::Value as J;

use super::{ADD_TAGS, Kind, REMOVE_TAGS, attributes_written, gone, load_balancers, set, tags};
use crate::aws::errors::read_error;
use crate::aws::event::{Event, W, Written};
use crate::aws::{Ctx, FetchResult, Identity, Read, ResourceType};
use crate::model::{Resource, Value};

pub(super) const EVENTS: &[Event] = &[
    Event::create("elasticloadbalancing", "CreateLoadBalancer", &["@loadBalancers[].loadBalancerArn", "name"]).writing(
        &[
            W::Param("load_balancer_type", "type"),
            W::Param("ip_address_type", "ipAddressType"),
            W::List("subnets", "subnets[]"),
            W::List("security_groups", "securityGroups[]"),
            W::Custom(scheme_written),
            W::Tags { items: "tags[]", key: "key", value: "value" },
        ],
    ),
    Event::delete("elasticloadbalancing", "DeleteLoadBalancer", &["loadBalancerArn"]),
    Event::modify("elasticloadbalancing", "ModifyLoadBalancerAttributes", &["loadBalancerArn"])
        .writing(&[W::Custom(lb_attributes_written)]),
    Event::modify("elasticloadbalancing", "SetSecurityGroups", &["loadBalancerArn"])
        .writing(&[W::List("security_groups", "securityGroups[]")]),
    Event::modify("elasticloadbalancing", "SetSubnets", &["loadBalancerArn"])
        .writing(&[W::List("subnets", "subnets[]")]),
    Event::modify("elasticloadbalancing", "SetIpAddressType", &["loadBalancerArn"])
        .writing(&[W::Param("ip_address_type", "ipAddressType")]),
    ADD_TAGS,
    REMOVE_TAGS,
];

pub static TYPE: ResourceType = ResourceType {
    read: Some(Read { fetch: |ctx| fetch_as(ctx, "aws_lb").boxed(), global: false }),
    identity: Identity::arn("elasticloadbalancing", "loadbalancer/", &["name"]),
    events: EVENTS,
    ..ResourceType::base("aws_lb", "elasticloadbalancing")
};

/// Load balancer attributes (API key, argument, how it is stored).
const ATTRIBUTES: &[(&str, &str, Kind)] = &[
    ("client_keep_alive.seconds", "client_keep_alive", Kind::Int),
    ("routing.http.desync_mitigation_mode", "desync_mitigation_mode", Kind::Str),
    ("dns_record.client_routing_policy", "dns_record_client_routing_policy", Kind::Str),
    ("routing.http.drop_invalid_header_fields.enabled", "drop_invalid_header_fields", Kind::Bool),
    ("load_balancing.cross_zone.enabled", "enable_cross_zone_load_balancing", Kind::Bool),
    ("deletion_protection.enabled", "enable_deletion_protection", Kind::Bool),
    ("routing.http2.enabled", "enable_http2", Kind::Bool),
    (
        "routing.http.x_amzn_tls_version_and_cipher_suite.enabled",
        "enable_tls_version_and_cipher_suite_headers",
        Kind::Bool,
    ),
    ("waf.fail_open.enabled", "enable_waf_fail_open", Kind::Bool),
    ("routing.http.xff_client_port.enabled", "enable_xff_client_port", Kind::Bool),
    ("zonal_shift.config.enabled", "enable_zonal_shift", Kind::Bool),
    ("idle_timeout.timeout_seconds", "idle_timeout", Kind::Int),
    ("routing.http.preserve_host_header.enabled", "preserve_host_header", Kind::Bool),
    ("routing.http.xff_header_processing.mode", "xff_header_processing_mode", Kind::Str),
    ("access_logs.s3.enabled", "access_logs[0].enabled", Kind::Bool),
    ("access_logs.s3.bucket", "access_logs[0].bucket", Kind::Str),
    ("access_logs.s3.prefix", "access_logs[0].prefix", Kind::Str),
    ("connection_logs.s3.enabled", "connection_logs[0].enabled", Kind::Bool),
    ("connection_logs.s3.bucket", "connection_logs[0].bucket", Kind::Str),
    ("connection_logs.s3.prefix", "connection_logs[0].prefix", Kind::Str),
];

/// Every load balancer of the region as `rtype` (`aws_lb`, or the legacy `aws_alb`).
pub(super) async fn fetch_as(ctx: &Ctx, rtype: &'static str) -> FetchResult {
    let types: &[&str] = if rtype == "aws_alb" { &["aws_alb"] } else { &["aws_lb"] };
    let lbs = load_balancers(ctx, types).await?;
    let elasticloadbalancingv2 = ctx.client::<aws_sdk_elasticloadbalancingv2::Client>();
    let elasticloadbalancingv2 = &elasticloadbalancingv2;
    let arns: Vec<String> = lbs.iter().filter_map(|l| l.load_balancer_arn().map(str::to_string)).collect();
    let tags = tags(ctx, &arns, types).await?;
    let tags = &tags;
    let found: Vec<Option<Resource>> = futures::stream::iter(lbs)
        .map(|lb| async move {
            let Some(arn) = lb.load_balancer_arn() else { return Ok(None) };
            let answer = {
                let _p = ctx.permit("elasticloadbalancing").await;
                elasticloadbalancingv2.describe_load_balancer_attributes().load_balancer_arn(arn).send().await
            };
            match answer {
                Ok(out) => Ok(Some(map(rtype, &lb, out.attributes(), tags.get(arn), &ctx.region, &ctx.account))),
                Err(e) if gone(&e) => Ok(None),
                Err(e) => Err(read_error("elasticloadbalancing", &ctx.region, types, e)),
            }
        })
        .buffer_unordered(ctx.limit("elasticloadbalancing"))
        .try_collect()
        .await?;
    Ok(found.into_iter().flatten().collect())
}

/// Pure mapping from the SDK's `LoadBalancer`, its attributes and tags to provider v5
/// attributes of `rtype`.
pub fn map(
    rtype: &str,
    lb: &LoadBalancer,
    attributes: &[LoadBalancerAttribute],
    tags: Option<&Value>,
    region: &str,
    account: &str,
) -> Resource {
    let arn = lb.load_balancer_arn().unwrap_or_default();
    let name = lb.load_balancer_name().unwrap_or_default();
    let s = |v: Option<&str>| Value::str(v.unwrap_or_default());
    let zones = lb.availability_zones();
    let mappings: Vec<Value> = zones
        .iter()
        .map(|z| {
            let first = z.load_balancer_addresses().first();
            Value::object([
                ("allocation_id", s(first.and_then(|a| a.allocation_id()))),
                ("ipv6_address", s(first.and_then(|a| a.ipv6_address()))),
                ("outpost_id", s(z.outpost_id())),
                ("private_ipv4_address", s(first.and_then(|a| a.private_ipv4_address()))),
                ("subnet_id", s(z.subnet_id())),
            ])
        })
        .collect();
    let mut r = Resource::live(rtype, arn, region, account, Some(arn.to_string()))
        .with("id", arn)
        .with("arn", arn)
        .with("arn_suffix", arn.split_once(":loadbalancer/").map(|(_, s)| s).unwrap_or_default())
        .with("name", name)
        .with("name_prefix", crate::aws::ec2::name_prefix(name))
        .with("dns_name", s(lb.dns_name()))
        .with("zone_id", s(lb.canonical_hosted_zone_id()))
        .with("vpc_id", s(lb.vpc_id()))
        .with("internal", matches!(lb.scheme(), Some(LoadBalancerSchemeEnum::Internal)))
        .with("load_balancer_type", s(lb.r#type().map(|t| t.as_str())))
        .with("ip_address_type", s(lb.ip_address_type().map(|t| t.as_str())))
        .with("customer_owned_ipv4_pool", s(lb.customer_owned_ipv4_pool()))
        .with(
            "enforce_security_group_inbound_rules_on_private_link_traffic",
            s(lb.enforce_security_group_inbound_rules_on_private_link_traffic()),
        )
        .with("security_groups", set(lb.security_groups().iter().map(String::as_str)))
        .with("subnets", set(zones.iter().filter_map(|z| z.subnet_id())))
        .with("subnet_mapping", sorted(mappings))
        .with(
            "ipam_pools",
            match lb.ipam_pools().and_then(|p| p.ipv4_ipam_pool_id()) {
                Some(id) => Value::block([("ipv4_ipam_pool_id", Value::str(id))]),
                None => Value::List(Vec::new()),
            },
        );
    if let Some(t) = tags {
        r.set("tags", t.clone());
    }
    let alb = matches!(lb.r#type(), Some(LoadBalancerTypeEnum::Application));
    let mut access_logs: Vec<(&'static str, Value)> = Vec::new();
    let mut connection_logs: Vec<(&'static str, Value)> = Vec::new();
    for a in attributes {
        let (Some(key), Some(v)) = (a.key(), a.value()) else { continue };
        let Some((_, attr, kind)) = ATTRIBUTES.iter().find(|(k, ..)| *k == key) else { continue };
        let Some(v) = kind.parse(v) else { continue };
        match attr.split_once("[0].") {
            Some(("access_logs", field)) => access_logs.push((field_name(field), v)),
            Some(("connection_logs", field)) => connection_logs.push((field_name(field), v)),
            _ => r.set(attr, v),
        }
    }
    r.set("access_logs", Value::block(access_logs));
    if alb {
        r.set("connection_logs", Value::block(connection_logs));
    }
    r
}

fn field_name(f: &str) -> &'static str {
    match f {
        "enabled" => "enabled",
        "bucket" => "bucket",
        _ => "prefix",
    }
}

fn sorted(mut v: Vec<Value>) -> Value {
    v.sort_by_key(Value::canonical);
    Value::List(v)
}

fn scheme_written(req: &J, _resp: &J, out: &mut Vec<Written>) {
    if let Some(s) = req.get("scheme").and_then(J::as_str) {
        out.push(Written::Set { path: "internal".into(), value: Value::Bool(s == "internal") });
    }
}

fn lb_attributes_written(req: &J, _resp: &J, out: &mut Vec<Written>) {
    attributes_written(req, ATTRIBUTES, out);
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::aws::event::of;
    use aws_sdk_elasticloadbalancingv2::types::AvailabilityZone;
    use serde_json::json;

    fn attr(k: &str, v: &str) -> LoadBalancerAttribute {
        LoadBalancerAttribute::builder().key(k).value(v).build()
    }

    #[test]
    fn maps_an_application_load_balancer() {
        let lb = LoadBalancer::builder()
            .load_balancer_arn("arn:aws:elasticloadbalancing:us-east-1:1:loadbalancer/app/web/abc")
            .load_balancer_name("web")
            .scheme(LoadBalancerSchemeEnum::InternetFacing)
            .r#type(LoadBalancerTypeEnum::Application)
            .security_groups("sg-1")
            .availability_zones(AvailabilityZone::builder().zone_name("us-east-1b").subnet_id("subnet-b").build())
            .availability_zones(AvailabilityZone::builder().zone_name("us-east-1a").subnet_id("subnet-a").build())
            .build();
        let attrs = [
            attr("idle_timeout.timeout_seconds", "120"),
            attr("routing.http.drop_invalid_header_fields.enabled", "true"),
            attr("access_logs.s3.enabled", "false"),
            attr("access_logs.s3.bucket", ""),
            attr("access_logs.s3.prefix", ""),
            attr("something.new", "x"),
        ];
        let tags = Value::string_map([("Name", "web")]);
        let r = map("aws_lb", &lb, &attrs, Some(&tags), "us-east-1", "1");
        assert_eq!(r.attr_str("arn_suffix"), Some("app/web/abc"));
        assert_eq!(r.attr("internal"), &Value::Bool(false));
        assert_eq!(r.attr("idle_timeout"), &Value::int(120));
        assert_eq!(r.attr("drop_invalid_header_fields"), &Value::Bool(true));
        assert_eq!(r.attr("subnets"), &Value::string_list(["subnet-a", "subnet-b"]));
        assert_eq!(r.attr("access_logs").get("enabled"), Some(&Value::Bool(false)));
        assert_eq!(r.attr("connection_logs"), &Value::List(vec![Value::Map(Default::default())]));
        // Not answered by AWS: not read.
        assert_eq!(r.attr("enable_http2"), &Value::Unknown);
        assert_eq!(r.attr("minimum_load_balancer_capacity"), &Value::Unknown);
        let mapping = &r.attr("subnet_mapping").as_list().unwrap()[0];
        assert_eq!(mapping.get("subnet_id"), Some(&Value::str("subnet-a")));
        assert_eq!(mapping.get("allocation_id"), Some(&Value::str("")));
    }

    #[test]
    fn load_balancer_events() {
        let e = of("aws_lb", "elasticloadbalancing", "ModifyLoadBalancerAttributes");
        let req = json!({"loadBalancerArn": "arn:lb", "attributes": [
            {"key": "routing.http.drop_invalid_header_fields.enabled", "value": "false"},
            {"key": "idle_timeout.timeout_seconds", "value": "60"}]});
        assert_eq!(e.identifiers(&req, &J::Null), vec!["arn:lb"]);
        assert_eq!(
            e.writes(&req, &J::Null),
            vec![
                Written::Set { path: "drop_invalid_header_fields".into(), value: Value::Bool(false) },
                Written::Set { path: "idle_timeout".into(), value: Value::int(60) },
            ]
        );
        let create = of("aws_lb", "elasticloadbalancing", "CreateLoadBalancer");
        let req = json!({"name": "web", "scheme": "internal", "subnets": ["subnet-b", "subnet-a"]});
        let resp = json!({"loadBalancers": [{"loadBalancerArn": "arn:lb"}]});
        assert_eq!(create.identifiers(&req, &resp), vec!["arn:lb", "web"]);
        let w = create.writes(&req, &resp);
        assert!(w.contains(&Written::Set { path: "internal".into(), value: Value::Bool(true) }));
        assert!(
            w.contains(&Written::Set { path: "subnets".into(), value: Value::string_list(["subnet-a", "subnet-b"]) })
        );
        let tag = of("aws_lb", "elasticloadbalancing", "AddTags");
        let req = json!({"resourceArns": ["arn:lb"], "tags": [{"key": "Owner", "value": "mallory"}]});
        assert_eq!(tag.identifiers(&req, &J::Null), vec!["arn:lb"]);
        assert_eq!(
            tag.writes(&req, &J::Null),
            vec![Written::Set { path: "tags.Owner".into(), value: Value::str("mallory") }]
        );
    }
}

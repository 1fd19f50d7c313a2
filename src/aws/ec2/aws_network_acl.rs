//! `aws_network_acl`: DescribeNetworkAcls, paginated, read once per region and shared with
//! `aws_default_network_acl` and `aws_network_acl_rule`.
//!
//! `ingress` / `egress` are the entries the provider's read stores: every entry but the
//! default deny-all ones (rule 32767, and 32768 for IPv6), each with all nine keys; the
//! protocol as AWS answers it, a number (`6`; the `nacl_rules` normaliser spells state's
//! `tcp` the same way), ports and ICMP fields `0` when absent. `subnet_ids` are the
//! associated subnets. The VPC's default ACL is AWS's (`aws_default`).
//!
//! Every entry shows up inline whatever manages it (an inline block, an
//! `aws_network_acl_rule`): the `nacl_rules` normaliser tells them apart.

use aws_sdk_ec2::types::{NetworkAcl, NetworkAclEntry};
use futures::FutureExt;

use crate::aws::event::{Event, W, Written};
use crate::aws::{Ctx, FetchResult, Identity, Read, ResourceType};
use crate::model::{ReadError, Resource, Value};

const TYPES: &[&str] = &["aws_network_acl"];

/// Rule numbers of the entries AWS puts in every ACL (deny all, IPv4 and IPv6).
pub(crate) const DEFAULT_RULES: &[i32] = &[32767, 32768];

pub static TYPE: ResourceType = ResourceType {
    read: Some(Read { fetch: |ctx| fetch(ctx).boxed(), global: false }),
    identity: Identity::arn("ec2", "network-acl/", &[]),
    events: EVENTS,
    ..ResourceType::base("aws_network_acl", "ec2")
};

/// Shared with `aws_default_network_acl`.
pub(crate) const EVENTS: &[Event] = &[
    Event::create("ec2", "CreateNetworkAcl", &["@networkAcl.networkAclId"]).writing(&[W::Param("vpc_id", "vpcId")]),
    Event::delete("ec2", "DeleteNetworkAcl", &["networkAclId"]),
    Event::modify("ec2", "CreateNetworkAclEntry", &["networkAclId"]).writing(&[W::Custom(entry_added)]),
    Event::modify("ec2", "ReplaceNetworkAclEntry", &["networkAclId"]).writing(&[W::Custom(entry_touched)]),
    Event::modify("ec2", "DeleteNetworkAclEntry", &["networkAclId"]).writing(&[W::Custom(entry_touched)]),
    // The request names the old association and the new ACL, not the subnet.
    Event::modify("ec2", "ReplaceNetworkAclAssociation", &["networkAclId"]).writing(&[W::Touch("subnet_ids")]),
    super::CREATE_TAGS,
    super::DELETE_TAGS,
];

fn direction(req: &serde_json::Value) -> &'static str {
    match req.get("egress") {
        Some(serde_json::Value::Bool(true)) => "egress",
        Some(serde_json::Value::String(s)) if s == "true" => "egress",
        _ => "ingress",
    }
}

fn entry_added(req: &serde_json::Value, _: &serde_json::Value, out: &mut Vec<Written>) {
    out.push(Written::Add { path: direction(req).into(), elems: vec![entry_of_request(req)] });
}

fn entry_touched(req: &serde_json::Value, _: &serde_json::Value, out: &mut Vec<Written>) {
    out.push(Written::Touch { path: direction(req).into() });
}

/// A CreateNetworkAclEntry request as a (partial) element of the `ingress` / `egress` set.
/// CloudTrail logs the protocol as `aclProtocol`.
pub(crate) fn entry_of_request(req: &serde_json::Value) -> Value {
    let mut m = std::collections::BTreeMap::new();
    let get = |path: &str| crate::aws::event::first(req, path).map(crate::aws::event::value);
    for (attr, path) in [
        ("rule_no", "ruleNumber"),
        ("action", "ruleAction"),
        ("protocol", "aclProtocol|protocol"),
        ("cidr_block", "cidrBlock"),
        ("ipv6_cidr_block", "ipv6CidrBlock"),
        ("from_port", "portRange.from"),
        ("to_port", "portRange.to"),
        ("icmp_type", "icmpTypeCode.type"),
        ("icmp_code", "icmpTypeCode.code"),
    ] {
        if let Some(v) = get(path) {
            m.insert(attr.to_string(), v);
        }
    }
    Value::Map(m)
}

async fn fetch(ctx: &Ctx) -> FetchResult {
    let acls = describe_all(ctx, TYPES).await?;
    Ok(acls.iter().map(|a| map(a, &ctx.region, &ctx.account)).collect())
}

/// Every network ACL of the region (read once per scan and region; errors are reported
/// against `types`, the caller's).
pub(crate) async fn describe_all(ctx: &Ctx, types: &[&str]) -> Result<Vec<NetworkAcl>, ReadError> {
    let cached: Result<Vec<NetworkAcl>, ReadError> = ctx
        .once("ec2:DescribeNetworkAcls", || async {
            let ec2 = ctx.client::<aws_sdk_ec2::Client>();
            let mut out = Vec::new();
            super::pages!(ctx, types, ec2.describe_network_acls().max_results(100), |page| out
                .extend(page.network_acls().iter().cloned()));
            Ok(out)
        })
        .await;
    crate::aws::client::for_caller(&cached, types)
}

/// Pure mapping from the SDK's `NetworkAcl` to provider v5 attributes.
pub fn map(a: &NetworkAcl, region: &str, account: &str) -> Resource {
    let id = a.network_acl_id().unwrap_or_default();
    let owner = a.owner_id().unwrap_or(account);
    let arn = format!("arn:aws:ec2:{region}:{owner}:network-acl/{id}");
    let mut subnets: Vec<&str> = a.associations().iter().filter_map(|x| x.subnet_id()).collect();
    subnets.sort_unstable();
    let mut r = Resource::live("aws_network_acl", id, region, account, Some(arn.clone()))
        .with("id", id)
        .with("arn", arn)
        .with("owner_id", Value::opt_str(a.owner_id()))
        .with("vpc_id", Value::opt_str(a.vpc_id()))
        .with("subnet_ids", Value::string_list(subnets))
        .with("ingress", entries(a, false))
        .with("egress", entries(a, true))
        .with("tags", crate::aws::tags::ec2(a.tags()));
    r.aws_default = a.is_default().unwrap_or(false);
    r
}

/// The user's entries of one direction, sorted (a set).
pub fn entries(a: &NetworkAcl, egress: bool) -> Value {
    let mut v: Vec<Value> =
        a.entries().iter().filter(|e| e.egress() == Some(egress) && !is_default_entry(e)).map(entry_element).collect();
    v.sort_by_cached_key(Value::canonical);
    Value::List(v)
}

pub(crate) fn is_default_entry(e: &NetworkAclEntry) -> bool {
    e.rule_number().is_some_and(|n| DEFAULT_RULES.contains(&n))
}

/// One inline entry: every key, as the provider's read stores it.
pub fn entry_element(e: &NetworkAclEntry) -> Value {
    let ports = e.port_range();
    let icmp = e.icmp_type_code();
    Value::object([
        ("rule_no", Value::int(e.rule_number().unwrap_or(0).into())),
        ("action", Value::str(e.rule_action().map(|a| a.as_str()).unwrap_or_default())),
        ("protocol", Value::str(e.protocol().unwrap_or_default())),
        ("cidr_block", Value::str(e.cidr_block().unwrap_or_default())),
        ("ipv6_cidr_block", Value::str(e.ipv6_cidr_block().unwrap_or_default())),
        ("from_port", Value::int(ports.and_then(|p| p.from()).unwrap_or(0).into())),
        ("to_port", Value::int(ports.and_then(|p| p.to()).unwrap_or(0).into())),
        ("icmp_type", Value::int(icmp.and_then(|i| i.r#type()).unwrap_or(0).into())),
        ("icmp_code", Value::int(icmp.and_then(|i| i.code()).unwrap_or(0).into())),
    ])
}

#[cfg(test)]
pub(crate) mod tests {
    use super::*;
    use aws_sdk_ec2::types::{NetworkAclAssociation, PortRange, RuleAction};
    use serde_json::json;

    pub(crate) fn entry(
        rule: i32,
        egress: bool,
        protocol: &str,
        ports: Option<(i32, i32)>,
        cidr: &str,
    ) -> NetworkAclEntry {
        let mut b = NetworkAclEntry::builder()
            .rule_number(rule)
            .egress(egress)
            .protocol(protocol)
            .rule_action(if rule == 32767 { RuleAction::Deny } else { RuleAction::Allow })
            .cidr_block(cidr);
        if let Some((f, t)) = ports {
            b = b.port_range(PortRange::builder().from(f).to(t).build());
        }
        b.build()
    }

    pub(crate) fn acl() -> NetworkAcl {
        NetworkAcl::builder()
            .network_acl_id("acl-1")
            .vpc_id("vpc-1")
            .owner_id("123456789012")
            .is_default(false)
            .associations(NetworkAclAssociation::builder().subnet_id("subnet-2").build())
            .associations(NetworkAclAssociation::builder().subnet_id("subnet-1").build())
            .entries(entry(100, false, "6", Some((443, 443)), "0.0.0.0/0"))
            .entries(entry(32767, false, "-1", None, "0.0.0.0/0"))
            .entries(entry(100, true, "-1", None, "0.0.0.0/0"))
            .entries(entry(32767, true, "-1", None, "0.0.0.0/0"))
            .build()
    }

    #[test]
    fn entries_as_the_provider_stores_them() {
        let r = map(&acl(), "us-east-1", "123456789012");
        assert_eq!(r.attr("subnet_ids"), &Value::string_list(["subnet-1", "subnet-2"]));
        let ingress = r.attr("ingress").as_list().unwrap();
        assert_eq!(ingress.len(), 1, "the default deny is left out");
        let https = &ingress[0];
        assert_eq!(https.get("protocol"), Some(&Value::str("6")));
        assert_eq!(https.get("from_port"), Some(&Value::int(443)));
        assert_eq!(https.get("action"), Some(&Value::str("allow")));
        assert_eq!(https.get("icmp_type"), Some(&Value::int(0)));
        assert_eq!(https.get("ipv6_cidr_block"), Some(&Value::str("")));
        let egress = r.attr("egress").as_list().unwrap();
        assert_eq!(egress[0].get("to_port"), Some(&Value::int(0)));
        assert!(!r.aws_default);
    }

    #[test]
    fn an_entry_added_by_request() {
        let e = crate::aws::event::of("aws_network_acl", "ec2", "CreateNetworkAclEntry");
        let req = json!({"networkAclId": "acl-1", "ruleNumber": 90, "egress": false, "ruleAction": "allow",
            "icmpTypeCode": {}, "portRange": {"from": 22, "to": 22}, "aclProtocol": "6", "cidrBlock": "0.0.0.0/0"});
        assert_eq!(e.identifiers(&req, &json!({"_return": true})), vec!["acl-1"]);
        let w = e.writes(&req, &serde_json::Value::Null);
        let Written::Add { path, elems } = &w[0] else { panic!("{w:?}") };
        assert_eq!(path, "ingress");
        assert_eq!(elems[0].get("from_port"), Some(&Value::int(22)));
        assert_eq!(elems[0].get("protocol"), Some(&Value::str("6")));
        assert_eq!(elems[0].get("rule_no"), Some(&Value::int(90)));
    }
}

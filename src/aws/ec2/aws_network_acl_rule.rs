//! `aws_network_acl_rule`: one resource per user entry of every network ACL (the shared
//! DescribeNetworkAcls read).
//!
//! The provider's id (`nacl-` + a hash of ACL, rule number, direction and the protocol *as
//! configured*, `tcp` or `6`) cannot be rebuilt from AWS's answer, so entries are identified
//! by the provider's import id, `acl-1:100:6:false` (protocol as a number); the
//! `nacl_rules` normaliser gives state rules the same id. ICMP fields are read only when
//! AWS answers them, as the provider does.
//!
//! An entry is part of its ACL: one added by hand is drift on the ACL's `ingress` /
//! `egress`, never an unmanaged rule; one an `aws_network_acl_rule` manages is not
//! reported again on its ACL.

use aws_sdk_ec2::types::{NetworkAcl, NetworkAclEntry};
use futures::FutureExt;

use super::aws_network_acl;
use crate::aws::event::{Event, W};
use crate::aws::{Ctx, FetchResult, Identity, Read, ResourceType};
use crate::model::{Resource, Value};

const TYPES: &[&str] = &["aws_network_acl_rule"];

const ENTRY_WRITES: &[W] = &[
    W::Param("rule_number", "ruleNumber"),
    W::Param("rule_action", "ruleAction"),
    W::Param("protocol", "aclProtocol|protocol"),
    W::Param("cidr_block", "cidrBlock"),
    W::Param("ipv6_cidr_block", "ipv6CidrBlock"),
    W::Param("from_port", "portRange.from"),
    W::Param("to_port", "portRange.to"),
];

pub static TYPE: ResourceType = ResourceType {
    read: Some(Read { fetch: |ctx| fetch(ctx).boxed(), global: false }),
    identity: Identity { parent_attr: Some("network_acl_id"), ..Identity::NONE },
    parent: Some("aws_network_acl"),
    events: &[
        Event::create("ec2", "CreateNetworkAclEntry", &["networkAclId"]).writing(ENTRY_WRITES).via_parent(),
        Event::modify("ec2", "ReplaceNetworkAclEntry", &["networkAclId"]).writing(ENTRY_WRITES).via_parent(),
        Event::delete("ec2", "DeleteNetworkAclEntry", &["networkAclId"]).via_parent(),
        Event::delete("ec2", "DeleteNetworkAcl", &["networkAclId"]).via_parent(),
    ],
    ..ResourceType::base("aws_network_acl_rule", "ec2")
};

async fn fetch(ctx: &Ctx) -> FetchResult {
    let acls = aws_network_acl::describe_all(ctx, TYPES).await?;
    Ok(acls.iter().flat_map(|a| map(a, &ctx.region, &ctx.account)).collect())
}

/// The import id of a rule: `acl-1:100:6:false`.
pub fn rule_id(acl: &str, rule_number: i64, protocol: &str, egress: bool) -> String {
    format!("{acl}:{rule_number}:{protocol}:{egress}")
}

/// Every user entry of an ACL.
pub fn map(a: &NetworkAcl, region: &str, account: &str) -> Vec<Resource> {
    let acl = a.network_acl_id().unwrap_or_default();
    a.entries()
        .iter()
        .filter(|e| !aws_network_acl::is_default_entry(e))
        .map(|e| rule(acl, e, region, account))
        .collect()
}

fn rule(acl: &str, e: &NetworkAclEntry, region: &str, account: &str) -> Resource {
    let number = i64::from(e.rule_number().unwrap_or(0));
    let egress = e.egress().unwrap_or(false);
    let protocol = e.protocol().unwrap_or_default();
    let id = rule_id(acl, number, protocol, egress);
    let ports = e.port_range();
    let mut r = Resource::live("aws_network_acl_rule", &id, region, account, None)
        .with("id", id.as_str())
        .with("network_acl_id", acl)
        .with("rule_number", Value::int(number))
        .with("egress", egress)
        .with("protocol", protocol)
        .with("rule_action", Value::str(e.rule_action().map(|a| a.as_str()).unwrap_or_default()))
        .with("cidr_block", Value::str(e.cidr_block().unwrap_or_default()))
        .with("ipv6_cidr_block", Value::str(e.ipv6_cidr_block().unwrap_or_default()))
        .with("from_port", Value::int(ports.and_then(|p| p.from()).unwrap_or(0).into()))
        .with("to_port", Value::int(ports.and_then(|p| p.to()).unwrap_or(0).into()));
    if let Some(icmp) = e.icmp_type_code() {
        r.set("icmp_type", Value::opt_int(icmp.r#type()));
        r.set("icmp_code", Value::opt_int(icmp.code()));
    }
    r
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn one_rule_per_user_entry() {
        let rs = map(&aws_network_acl::tests::acl(), "us-east-1", "123456789012");
        let ids: Vec<&str> = rs.iter().map(|r| r.id.as_str()).collect();
        assert_eq!(ids, ["acl-1:100:6:false", "acl-1:100:-1:true"]);
        assert_eq!(rs[0].attr("from_port"), &Value::int(443));
        assert_eq!(rs[0].attr_str("rule_action"), Some("allow"));
        assert_eq!(rs[0].attr("icmp_type"), &Value::Unknown);
        assert_eq!(rs[1].attr("egress"), &Value::Bool(true));
    }
    #[test]
    fn entry_events_name_the_acl() {
        use serde_json::json;
        let e = crate::aws::event::of("aws_network_acl_rule", "ec2", "CreateNetworkAclEntry");
        let req = json!({"networkAclId": "acl-1", "ruleNumber": 90, "egress": false, "ruleAction": "allow",
            "portRange": {"from": 22, "to": 22}, "aclProtocol": "6", "cidrBlock": "0.0.0.0/0"});
        assert_eq!(e.identifiers(&req, &json!({})), vec!["acl-1"]);
        assert!(
            e.writes(&req, &json!({}))
                .contains(&crate::aws::Written::Set { path: "from_port".into(), value: Value::int(22) })
        );
        assert_eq!(e.via, crate::aws::Via::Any);
    }
}

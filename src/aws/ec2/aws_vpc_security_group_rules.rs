//! `aws_vpc_security_group_ingress_rule` and `_egress_rule`: DescribeSecurityGroupRules,
//! paginated, one resource per `sgr-...` rule.
//!
//! These types live in the provider's plugin framework, which stores "not set" as null:
//! absent CIDRs, prefix list, referenced group and description are Null. For protocol `-1`
//! the provider stores `from_port` / `to_port` as null (AWS answers -1 for both); for ICMP a
//! -1 type or code is a real value and is kept.
//!
//! Every rule of every group is emitted, whichever Terraform type manages it (see
//! `aws_security_group_rule.rs`). AWS-created rules are `aws_default`; recognising the
//! default group's self rule needs the ids of the `default` groups, read with one
//! filtered DescribeSecurityGroups.

use std::collections::HashSet;

use aws_sdk_ec2::types::SecurityGroupRule;
use futures::FutureExt;

use super::aws_security_group::{self as sg, RuleSource};
use crate::aws::errors::read_error;
use crate::aws::{Ctx, FetchResult, Identity, Read, ResourceType};
use crate::model::{Resource, Value};

const INGRESS_TYPES: &[&str] = &["aws_vpc_security_group_ingress_rule"];
const EGRESS_TYPES: &[&str] = &["aws_vpc_security_group_egress_rule"];

pub static INGRESS: ResourceType = ResourceType {
    read: Some(Read { fetch: |ctx| fetch(ctx, false).boxed(), global: false }),
    identity: Identity { parent_attr: Some("security_group_id"), ..Identity::arn("ec2", "security-group-rule/", &[]) },
    parent: Some("aws_security_group"),
    events: &[
        sg::DELETE_GROUP,
        sg::AUTHORIZE_INGRESS,
        sg::REVOKE_INGRESS,
        sg::MODIFY_RULES,
        super::CREATE_TAGS,
        super::DELETE_TAGS,
    ],
    part_of_views: &["security_group"],
    ..ResourceType::base("aws_vpc_security_group_ingress_rule", "ec2")
};

pub static EGRESS: ResourceType = ResourceType {
    read: Some(Read { fetch: |ctx| fetch(ctx, true).boxed(), global: false }),
    // The ARN form is declared once, on the ingress type (both share it).
    identity: Identity { parent_attr: Some("security_group_id"), ..Identity::NONE },
    parent: Some("aws_security_group"),
    events: &[
        sg::DELETE_GROUP,
        sg::AUTHORIZE_EGRESS,
        sg::REVOKE_EGRESS,
        sg::MODIFY_RULES,
        super::CREATE_TAGS,
        super::DELETE_TAGS,
    ],
    part_of_views: &["security_group"],
    ..ResourceType::base("aws_vpc_security_group_egress_rule", "ec2")
};

async fn fetch(ctx: &Ctx, egress: bool) -> FetchResult {
    let types = if egress { EGRESS_TYPES } else { INGRESS_TYPES };

    let default_groups: HashSet<String> = sg::describe_all(ctx, types)
        .await?
        .iter()
        .filter(|g| g.group_name() == Some("default"))
        .filter_map(|g| g.group_id().map(str::to_string))
        .collect();
    let rules = describe_rules(ctx, types).await?;
    Ok(rules
        .iter()
        .filter(|r| r.is_egress().unwrap_or(false) == egress)
        .map(|r| {
            let in_default = r.group_id().is_some_and(|g| default_groups.contains(g));
            map(r, in_default, &ctx.region, &ctx.account)
        })
        .collect())
}

/// Every security-group rule of the region (bulk, paginated, read once per scan and region).
async fn describe_rules(ctx: &Ctx, types: &[&str]) -> Result<Vec<SecurityGroupRule>, crate::model::ReadError> {
    let cached: Result<Vec<SecurityGroupRule>, crate::model::ReadError> = ctx
        .once("ec2:DescribeSecurityGroupRules", || async {
            let ec2 = ctx.client::<aws_sdk_ec2::Client>();
            let mut out = Vec::new();
            let mut pages = ec2.describe_security_group_rules().max_results(1000).into_paginator().send();
            while let Some(page) = {
                let _p = ctx.permit("ec2").await;
                pages.next().await
            } {
                let page = page.map_err(|e| read_error("ec2", &ctx.region, types, e))?;
                out.extend(page.security_group_rules().iter().cloned());
            }
            Ok(out)
        })
        .await;
    crate::aws::client::for_caller(&cached, types)
}

/// Pure mapping from the SDK's `SecurityGroupRule` to provider v5 attributes.
/// `in_default_group`: the rule belongs to a VPC's `default` group.
pub fn map(r: &SecurityGroupRule, in_default_group: bool, region: &str, account: &str) -> Resource {
    let id = r.security_group_rule_id().unwrap_or_default();
    let egress = r.is_egress().unwrap_or(false);
    let rtype = if egress { "aws_vpc_security_group_egress_rule" } else { "aws_vpc_security_group_ingress_rule" };
    let group_id = r.group_id().unwrap_or_default();
    let arn = r.security_group_rule_arn().map(str::to_string).unwrap_or_else(|| {
        format!("arn:aws:ec2:{region}:{}:security-group-rule/{id}", r.group_owner_id().unwrap_or(account))
    });
    let protocol = sg::protocol_name(r.ip_protocol().unwrap_or("-1"));
    let port = |p: Option<i32>| if protocol == "-1" { Value::Null } else { Value::opt_int(p) };
    // The provider writes `owner/sg-...` only for a group of another account than the
    // caller's.
    let referenced = r.referenced_group_info().map(|g| {
        let gid = g.group_id().unwrap_or_default();
        match g.user_id().filter(|u| !u.is_empty() && *u != account) {
            Some(u) => format!("{u}/{gid}"),
            None => gid.to_string(),
        }
    });
    let source = match (r.cidr_ipv4(), r.cidr_ipv6(), r.prefix_list_id(), r.referenced_group_info()) {
        (Some(c), ..) => Some(RuleSource::Cidr(c.to_string())),
        (_, Some(c), ..) => Some(RuleSource::Ipv6Cidr(c.to_string())),
        (_, _, Some(p), _) => Some(RuleSource::PrefixList(p.to_string())),
        (.., Some(g)) if g.group_id() == Some(group_id) => Some(RuleSource::SelfRef),
        (.., Some(g)) => Some(RuleSource::Group(g.group_id().unwrap_or_default().to_string())),
        _ => None,
    };
    let mut res = Resource::live(rtype, id, region, account, Some(arn.clone()))
        .with("id", id)
        .with("arn", arn)
        .with("security_group_id", group_id)
        .with("ip_protocol", protocol.as_str())
        .with("from_port", port(r.from_port()))
        .with("to_port", port(r.to_port()))
        .with("cidr_ipv4", Value::opt_str(r.cidr_ipv4()))
        .with("cidr_ipv6", Value::opt_str(r.cidr_ipv6()))
        .with("prefix_list_id", Value::opt_str(r.prefix_list_id()))
        .with("referenced_security_group_id", Value::opt_str(referenced))
        .with("description", Value::opt_str(r.description().filter(|d| !d.is_empty())))
        .with("tags", crate::aws::tags::ec2(r.tags()));
    res.aws_default = source.is_some_and(|s| sg::is_aws_default_rule(egress, in_default_group, &protocol, &s));
    res
}

#[cfg(test)]
mod tests {
    use super::*;
    use aws_sdk_ec2::types::{ReferencedSecurityGroup, Tag};

    #[test]
    fn maps_an_ingress_rule() {
        let r = SecurityGroupRule::builder()
            .security_group_rule_id("sgr-1")
            .group_id("sg-1")
            .group_owner_id("123456789012")
            .is_egress(false)
            .ip_protocol("tcp")
            .from_port(443)
            .to_port(443)
            .cidr_ipv4("0.0.0.0/0")
            .description("public https")
            .tags(Tag::builder().key("Name").value("https").build())
            .build();
        let res = map(&r, false, "us-east-1", "123456789012");
        assert_eq!(res.rtype, "aws_vpc_security_group_ingress_rule");
        assert_eq!(res.id, "sgr-1");
        assert_eq!(res.attr_str("arn"), Some("arn:aws:ec2:us-east-1:123456789012:security-group-rule/sgr-1"));
        assert_eq!(res.attr_str("ip_protocol"), Some("tcp"));
        assert_eq!(res.attr("from_port"), &Value::int(443));
        assert_eq!(res.attr_str("cidr_ipv4"), Some("0.0.0.0/0"));
        assert_eq!(res.attr("cidr_ipv6"), &Value::Null);
        assert_eq!(res.attr("referenced_security_group_id"), &Value::Null);
        assert_eq!(res.attr_str("description"), Some("public https"));
        assert_eq!(res.attr("tags"), &Value::string_map([("Name", "https")]));
        assert!(!res.aws_default);
    }

    #[test]
    fn all_protocol_has_null_ports_and_default_egress_is_flagged() {
        let r = SecurityGroupRule::builder()
            .security_group_rule_id("sgr-2")
            .group_id("sg-1")
            .is_egress(true)
            .ip_protocol("-1")
            .from_port(-1)
            .to_port(-1)
            .cidr_ipv4("0.0.0.0/0")
            .build();
        let res = map(&r, false, "us-east-1", "123456789012");
        assert_eq!(res.rtype, "aws_vpc_security_group_egress_rule");
        assert_eq!(res.attr("from_port"), &Value::Null);
        assert_eq!(res.attr("to_port"), &Value::Null);
        assert_eq!(res.attr("description"), &Value::Null);
        assert!(res.aws_default);
    }

    #[test]
    fn referenced_groups() {
        let rule = |user: &str, gid: &str| {
            SecurityGroupRule::builder()
                .security_group_rule_id("sgr-3")
                .group_id("sg-1")
                .is_egress(false)
                .ip_protocol("-1")
                .referenced_group_info(ReferencedSecurityGroup::builder().group_id(gid).user_id(user).build())
                .build()
        };
        let same = map(&rule("123456789012", "sg-2"), false, "us-east-1", "123456789012");
        assert_eq!(same.attr_str("referenced_security_group_id"), Some("sg-2"));
        let foreign = map(&rule("999999999999", "sg-9"), false, "us-east-1", "123456789012");
        assert_eq!(foreign.attr_str("referenced_security_group_id"), Some("999999999999/sg-9"));
        // The default group's self rule is AWS's; the same rule elsewhere is the user's.
        assert!(map(&rule("123456789012", "sg-1"), true, "us-east-1", "123456789012").aws_default);
        assert!(!map(&rule("123456789012", "sg-1"), false, "us-east-1", "123456789012").aws_default);
    }

    #[test]
    fn icmp_keeps_minus_one() {
        let r = SecurityGroupRule::builder()
            .security_group_rule_id("sgr-4")
            .group_id("sg-1")
            .is_egress(false)
            .ip_protocol("icmp")
            .from_port(-1)
            .to_port(-1)
            .cidr_ipv4("10.0.0.0/8")
            .build();
        let res = map(&r, false, "us-east-1", "123456789012");
        assert_eq!(res.attr("from_port"), &Value::int(-1));
    }
}

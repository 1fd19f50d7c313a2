//! `aws_security_group`: DescribeSecurityGroups, paginated.
//!
//! The inline `ingress` / `egress` sets are rebuilt the way the provider's read gathers
//! them: one element per (protocol, from, to, description), collecting the rule's CIDRs,
//! IPv6 CIDRs, prefix lists and referenced groups, with `self = true` for a reference to
//! the group itself. Absent ports (protocol `-1`) read as `0`, absent lists as `[]`, an
//! absent description as `""`, as tfstate stores them.
//!
//! Every rule of a group shows up in `ingress` / `egress` whatever resource type manages it
//! (inline blocks, `aws_security_group_rule`, `aws_vpc_security_group_*_rule`): that is
//! what the provider's refresh writes too. Telling "inline copy" from "owned by a split
//! rule resource" is the diff engine's job, as for the inline copies on `aws_s3_bucket`.
//!
//! The helpers [`ip_permission_elements`], [`rule_sources`], [`protocol_name`] and
//! [`is_aws_default_rule`] are shared with the rule fetchers.

use std::collections::BTreeSet;

use aws_sdk_ec2::types::{IpPermission, SecurityGroup};
use futures::FutureExt;

use super::errors::read_error;
use super::{Ctx, FetchResult, Fetcher};
use crate::model::{Resource, Value};

const TYPES: &[&str] = &["aws_security_group"];

pub const FETCHER: Fetcher = Fetcher { types: TYPES, service: "ec2", fetch: |ctx| fetch(ctx).boxed() };

async fn fetch(ctx: &Ctx) -> FetchResult {
    let groups = describe_all(ctx, TYPES).await?;
    Ok(groups.iter().map(|g| map(g, &ctx.region, &ctx.account)).collect())
}

/// Every security group of the region (bulk, paginated, read once per scan and region).
/// Errors are reported against `types` (the caller's types).
pub(crate) async fn describe_all(ctx: &Ctx, types: &[&str]) -> Result<Vec<SecurityGroup>, crate::model::ReadError> {
    let cached = ctx
        .security_groups
        .get_or_init(|| async {
            let mut out = Vec::new();
            let mut pages = ctx.ec2.describe_security_groups().max_results(1000).into_paginator().send();
            while let Some(page) = {
                let _p = ctx.permit("ec2").await;
                pages.next().await
            } {
                let page = page.map_err(|e| read_error("ec2", &ctx.region, types, e))?;
                out.extend(page.security_groups().iter().cloned());
            }
            Ok(out)
        })
        .await;
    super::client::for_caller(cached, types)
}

/// Pure mapping from the SDK's `SecurityGroup` to provider v5 attributes.
pub fn map(g: &SecurityGroup, region: &str, account: &str) -> Resource {
    let id = g.group_id().unwrap_or_default();
    let owner = g.owner_id().unwrap_or(account);
    let arn = format!("arn:aws:ec2:{region}:{owner}:security-group/{id}");
    let rules = |perms: &[IpPermission]| {
        let mut v: Vec<Value> = perms.iter().flat_map(|p| ip_permission_elements(p, id, g.owner_id())).collect();
        // A set: order carries no meaning; sort for stable output.
        v.sort_by_cached_key(Value::canonical);
        Value::List(v)
    };
    let mut r = Resource::live("aws_security_group", id, region, account, Some(arn.clone()))
        .with("id", id)
        .with("arn", arn)
        .with("name", Value::opt_str(g.group_name()))
        .with("description", g.description().unwrap_or_default())
        .with("vpc_id", g.vpc_id().unwrap_or_default())
        .with("ingress", rules(g.ip_permissions()))
        .with("egress", rules(g.ip_permissions_egress()))
        .with("tags", super::tags::ec2(g.tags()));
    r.aws_default = g.group_name() == Some("default");
    r
}

/// The provider's protocol spelling (shared with the normaliser): names for TCP, UDP, ICMP
/// and ICMPv6, `-1` for all, the IANA number otherwise.
pub use crate::model::sg::protocol_name;

/// One source of a rule, as the provider's import id and one-source rule forms name it.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
pub enum RuleSource {
    Cidr(String),
    Ipv6Cidr(String),
    PrefixList(String),
    /// Another security group: its id, or `owner/id` when it belongs to another account.
    Group(String),
    /// The rule's own group.
    SelfRef,
}

impl RuleSource {
    /// The source's spelling in an `aws_security_group_rule` import id.
    pub fn id_part(&self) -> &str {
        match self {
            RuleSource::Cidr(s) | RuleSource::Ipv6Cidr(s) | RuleSource::PrefixList(s) | RuleSource::Group(s) => s,
            RuleSource::SelfRef => "self",
        }
    }
}

/// Every single source of an `IpPermission`, each with its own description (`None` when
/// AWS has none or an empty one), in AWS's order: CIDRs, IPv6 CIDRs, prefix lists, groups.
///
/// `group_id` is the permission's own group (a reference to it becomes [`RuleSource::SelfRef`]);
/// `owner_id` its owner (references to groups of other accounts read `owner/sg-...`, as the
/// provider writes them).
pub fn rule_sources(perm: &IpPermission, group_id: &str, owner_id: Option<&str>) -> Vec<(RuleSource, Option<String>)> {
    fn desc(d: Option<&str>) -> Option<String> {
        d.filter(|d| !d.is_empty()).map(str::to_string)
    }
    let mut out = Vec::new();
    for r in perm.ip_ranges() {
        if let Some(c) = r.cidr_ip() {
            out.push((RuleSource::Cidr(c.to_string()), desc(r.description())));
        }
    }
    for r in perm.ipv6_ranges() {
        if let Some(c) = r.cidr_ipv6() {
            out.push((RuleSource::Ipv6Cidr(c.to_string()), desc(r.description())));
        }
    }
    for p in perm.prefix_list_ids() {
        if let Some(id) = p.prefix_list_id() {
            out.push((RuleSource::PrefixList(id.to_string()), desc(p.description())));
        }
    }
    for pair in perm.user_id_group_pairs() {
        let gid = pair.group_id().unwrap_or_default();
        let foreign = pair.user_id().filter(|u| !u.is_empty() && Some(*u) != owner_id);
        let source = match foreign {
            Some(u) => RuleSource::Group(format!("{u}/{gid}")),
            None if gid == group_id => RuleSource::SelfRef,
            None => RuleSource::Group(gid.to_string()),
        };
        out.push((source, desc(pair.description())));
    }
    out
}

/// Ports of a permission as the provider stores them: absent is `0`, and protocol `-1`
/// (for which AWS keeps no ports) is always `0, 0`.
pub fn ports(perm: &IpPermission) -> (i64, i64) {
    if protocol_name(perm.ip_protocol().unwrap_or("-1")) == "-1" {
        return (0, 0);
    }
    (perm.from_port().unwrap_or(0).into(), perm.to_port().unwrap_or(0).into())
}

/// Provider-shaped `ingress` / `egress` elements for one SDK `IpPermission`: one element
/// per distinct description, as the provider's read groups them.
pub fn ip_permission_elements(perm: &IpPermission, group_id: &str, owner_id: Option<&str>) -> Vec<Value> {
    #[derive(Default)]
    struct Element {
        cidr: Vec<String>,
        ipv6: Vec<String>,
        prefix: Vec<String>,
        groups: BTreeSet<String>,
        self_ref: bool,
    }
    let mut by_desc: Vec<(String, Element)> = Vec::new();
    for (source, desc) in rule_sources(perm, group_id, owner_id) {
        let desc = desc.unwrap_or_default();
        let i = match by_desc.iter().position(|(d, _)| *d == desc) {
            Some(i) => i,
            None => {
                by_desc.push((desc, Element::default()));
                by_desc.len() - 1
            }
        };
        let e = &mut by_desc[i].1;
        match source {
            RuleSource::Cidr(c) => e.cidr.push(c),
            RuleSource::Ipv6Cidr(c) => e.ipv6.push(c),
            RuleSource::PrefixList(p) => e.prefix.push(p),
            RuleSource::Group(g) => {
                e.groups.insert(g);
            }
            RuleSource::SelfRef => e.self_ref = true,
        }
    }
    let protocol = protocol_name(perm.ip_protocol().unwrap_or("-1"));
    let (from, to) = ports(perm);
    by_desc
        .into_iter()
        .map(|(desc, e)| {
            Value::object([
                ("cidr_blocks", Value::string_list(e.cidr)),
                ("description", Value::String(desc)),
                ("from_port", Value::int(from)),
                ("ipv6_cidr_blocks", Value::string_list(e.ipv6)),
                ("prefix_list_ids", Value::string_list(e.prefix)),
                ("protocol", Value::String(protocol.clone())),
                ("security_groups", Value::string_list(e.groups)),
                ("self", Value::Bool(e.self_ref)),
                ("to_port", Value::int(to)),
            ])
        })
        .collect()
}

/// Rules AWS creates by itself: the allow-all egress of every new group (IPv4 and IPv6),
/// and the self-referencing allow-all ingress of a VPC's `default` group.
pub fn is_aws_default_rule(egress: bool, in_default_group: bool, protocol: &str, source: &RuleSource) -> bool {
    if protocol_name(protocol) != "-1" {
        return false;
    }
    match source {
        RuleSource::Cidr(c) => egress && c == "0.0.0.0/0",
        RuleSource::Ipv6Cidr(c) => egress && c == "::/0",
        RuleSource::SelfRef => !egress && in_default_group,
        _ => false,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use aws_sdk_ec2::types::{IpRange, Ipv6Range, PrefixListId, Tag, UserIdGroupPair};

    fn https() -> IpPermission {
        IpPermission::builder()
            .ip_protocol("tcp")
            .from_port(443)
            .to_port(443)
            .ip_ranges(IpRange::builder().cidr_ip("10.0.0.0/8").description("https").build())
            .ip_ranges(IpRange::builder().cidr_ip("192.168.0.0/16").description("https").build())
            .ip_ranges(IpRange::builder().cidr_ip("172.16.0.0/12").build())
            .ipv6_ranges(Ipv6Range::builder().cidr_ipv6("::/0").description("https").build())
            .build()
    }

    #[test]
    fn groups_sources_by_description() {
        let els = ip_permission_elements(&https(), "sg-1", Some("123456789012"));
        assert_eq!(els.len(), 2);
        let with = els.iter().find(|e| e.get("description") == Some(&Value::str("https"))).unwrap();
        assert_eq!(with.get("cidr_blocks"), Some(&Value::string_list(["10.0.0.0/8", "192.168.0.0/16"])));
        assert_eq!(with.get("ipv6_cidr_blocks"), Some(&Value::string_list(["::/0"])));
        assert_eq!(with.get("protocol"), Some(&Value::str("tcp")));
        assert_eq!(with.get("from_port"), Some(&Value::int(443)));
        assert_eq!(with.get("self"), Some(&Value::Bool(false)));
        let without = els.iter().find(|e| e.get("description") == Some(&Value::str(""))).unwrap();
        assert_eq!(without.get("cidr_blocks"), Some(&Value::string_list(["172.16.0.0/12"])));
        assert_eq!(without.get("security_groups"), Some(&Value::List(vec![])));
    }

    #[test]
    fn self_and_foreign_groups() {
        // Protocol -1 carries no ports in the provider's shape, even if an API answers -1.
        let p = IpPermission::builder()
            .ip_protocol("-1")
            .from_port(-1)
            .to_port(-1)
            .user_id_group_pairs(UserIdGroupPair::builder().group_id("sg-1").user_id("123456789012").build())
            .user_id_group_pairs(UserIdGroupPair::builder().group_id("sg-2").user_id("123456789012").build())
            .user_id_group_pairs(UserIdGroupPair::builder().group_id("sg-9").user_id("999999999999").build())
            .prefix_list_ids(PrefixListId::builder().prefix_list_id("pl-1").build())
            .build();
        let els = ip_permission_elements(&p, "sg-1", Some("123456789012"));
        assert_eq!(els.len(), 1);
        let e = &els[0];
        assert_eq!(e.get("self"), Some(&Value::Bool(true)));
        assert_eq!(e.get("security_groups"), Some(&Value::string_list(["999999999999/sg-9", "sg-2"])));
        assert_eq!(e.get("prefix_list_ids"), Some(&Value::string_list(["pl-1"])));
        assert_eq!(e.get("protocol"), Some(&Value::str("-1")));
        assert_eq!(e.get("from_port"), Some(&Value::int(0)));
        assert_eq!(e.get("to_port"), Some(&Value::int(0)));
    }

    #[test]
    fn maps_a_group() {
        let g = SecurityGroup::builder()
            .group_id("sg-1")
            .group_name("web")
            .description("web servers")
            .vpc_id("vpc-1")
            .owner_id("123456789012")
            .ip_permissions(https())
            .tags(Tag::builder().key("Name").value("web").build())
            .build();
        let r = map(&g, "us-east-1", "123456789012");
        assert_eq!(r.id, "sg-1");
        assert_eq!(r.attr_str("arn"), Some("arn:aws:ec2:us-east-1:123456789012:security-group/sg-1"));
        assert_eq!(r.attr_str("name"), Some("web"));
        assert_eq!(r.attr_str("description"), Some("web servers"));
        assert_eq!(r.attr("ingress").as_list().unwrap().len(), 2);
        assert_eq!(r.attr("egress"), &Value::List(vec![]));
        assert!(!r.aws_default);
        let d = SecurityGroup::builder().group_id("sg-0").group_name("default").build();
        assert!(map(&d, "us-east-1", "123456789012").aws_default);
    }

    #[test]
    fn protocol_names() {
        assert_eq!(protocol_name("6"), "tcp");
        assert_eq!(protocol_name("17"), "udp");
        assert_eq!(protocol_name("1"), "icmp");
        assert_eq!(protocol_name("all"), "-1");
        assert_eq!(protocol_name("-1"), "-1");
        assert_eq!(protocol_name("50"), "50");
    }

    #[test]
    fn aws_default_rules() {
        assert!(is_aws_default_rule(true, false, "-1", &RuleSource::Cidr("0.0.0.0/0".into())));
        assert!(is_aws_default_rule(true, false, "-1", &RuleSource::Ipv6Cidr("::/0".into())));
        assert!(!is_aws_default_rule(false, false, "-1", &RuleSource::Cidr("0.0.0.0/0".into())));
        assert!(is_aws_default_rule(false, true, "-1", &RuleSource::SelfRef));
        assert!(!is_aws_default_rule(false, false, "-1", &RuleSource::SelfRef));
        assert!(!is_aws_default_rule(true, false, "tcp", &RuleSource::Cidr("0.0.0.0/0".into())));
    }
}

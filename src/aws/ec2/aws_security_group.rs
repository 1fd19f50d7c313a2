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

use std::collections::{BTreeMap, BTreeSet};

use aws_sdk_ec2::types::{IpPermission, SecurityGroup};
use futures::FutureExt;

use crate::aws::errors::read_error;
use crate::aws::event::{Event, W, Written, pluck, scalar_string};
use crate::aws::view::*;
use crate::aws::{Ctx, FetchResult, Identity, Read, ResourceType, ViewDef};
use crate::model::{Resource, Value, View};
use serde_json::{Value as J, json};

const TYPES: &[&str] = &["aws_security_group"];

pub static TYPE: ResourceType = ResourceType {
    read: Some(Read { fetch: |ctx| fetch(ctx).boxed(), global: false }),
    identity: Identity::arn("ec2", "security-group/", &[]),
    events: EVENTS,
    view: Some(&VIEW),
    ..ResourceType::base("aws_security_group", "ec2")
};

/// Shared with `aws_default_security_group`.
pub(crate) const EVENTS: &[Event] = &[
    Event::create("ec2", "CreateSecurityGroup", &["@groupId"])
        .writing(&[W::Param("name", "groupName"), W::Param("description", "groupDescription")]),
    Event::delete("ec2", "DeleteSecurityGroup", &["groupId"]),
    AUTHORIZE_INGRESS.on_owner(),
    REVOKE_INGRESS.on_owner(),
    AUTHORIZE_EGRESS.on_owner(),
    REVOKE_EGRESS.on_owner(),
    MODIFY_RULES.on_owner(),
    super::CREATE_TAGS,
    super::DELETE_TAGS,
];

pub static VIEW: ViewDef = ViewDef { kind: "security_group", build: security_groups };

/// Identifiers of a rule change: the group, and the rule ids (response, or request).
const SG_RULE_IDS: &[&str] = &[
    "groupId",
    "@securityGroupRuleSet.items[].securityGroupRuleId",
    "securityGroupRuleIds.items[].securityGroupRuleId",
    "securityGroupRuleIds.items[]",
    "SecurityGroupRuleId[]",
];

// The rule events as the rule resources see them (created or deleted, matched through the
// group); the group itself declares them as changes of its `ingress` / `egress`.
pub(crate) const AUTHORIZE_INGRESS: Event = Event::create("ec2", "AuthorizeSecurityGroupIngress", SG_RULE_IDS)
    .writing(&[W::Custom(ingress_added)])
    .via_parent();
pub(crate) const REVOKE_INGRESS: Event =
    Event::delete("ec2", "RevokeSecurityGroupIngress", SG_RULE_IDS).writing(&[W::Custom(ingress_removed)]).via_parent();
pub(crate) const AUTHORIZE_EGRESS: Event =
    Event::create("ec2", "AuthorizeSecurityGroupEgress", SG_RULE_IDS).writing(&[W::Custom(egress_added)]).via_parent();
pub(crate) const REVOKE_EGRESS: Event =
    Event::delete("ec2", "RevokeSecurityGroupEgress", SG_RULE_IDS).writing(&[W::Custom(egress_removed)]).via_parent();
pub(crate) const DELETE_GROUP: Event = Event::delete("ec2", "DeleteSecurityGroup", &["groupId"]).via_parent();
/// [inferred]
pub(crate) const MODIFY_RULES: Event = Event::modify(
    "ec2",
    "ModifySecurityGroupRules",
    &["groupId", "ModifySecurityGroupRulesRequest.GroupId", "securityGroupRuleSet.items[].securityGroupRuleId"],
)
.writing(&[W::Touch("ingress"), W::Touch("egress")])
.via_parent();

fn ingress_added(req: &serde_json::Value, _: &serde_json::Value, out: &mut Vec<Written>) {
    out.push(Written::Add { path: "ingress".into(), elems: ip_permissions(req) });
}
fn ingress_removed(req: &serde_json::Value, _: &serde_json::Value, out: &mut Vec<Written>) {
    out.push(Written::Remove { path: "ingress".into(), elems: ip_permissions(req) });
}
fn egress_added(req: &serde_json::Value, _: &serde_json::Value, out: &mut Vec<Written>) {
    out.push(Written::Add { path: "egress".into(), elems: ip_permissions(req) });
}
fn egress_removed(req: &serde_json::Value, _: &serde_json::Value, out: &mut Vec<Written>) {
    out.push(Written::Remove { path: "egress".into(), elems: ip_permissions(req) });
}

/// Security group rules of a request as (partial) elements of the provider's `ingress` /
/// `egress` sets: nested `ipPermissions.items[]` or the flat form (`ipProtocol`, `fromPort`,
/// `toPort`, `cidrIp` at the top, `ipPermissions: {}`).
pub fn ip_permissions(req: &serde_json::Value) -> Vec<Value> {
    let mut perms = Vec::new();
    pluck(req, "ipPermissions.items[]", &mut perms);
    let mut out: Vec<Value> = perms.into_iter().map(permission).collect();
    if out.is_empty() && (req.get("ipProtocol").is_some() || req.get("cidrIp").is_some()) {
        out.push(permission(req));
    }
    out
}

fn permission(p: &serde_json::Value) -> Value {
    let mut m = std::collections::BTreeMap::new();
    if let Some(proto) = p.get("ipProtocol") {
        m.insert("protocol".to_string(), Value::from_json(proto));
    }
    for (json, attr) in [("fromPort", "from_port"), ("toPort", "to_port")] {
        if let Some(v) = p.get(json).filter(|v| !v.is_null()) {
            m.insert(attr.to_string(), Value::from_json(v));
        }
    }
    let mut list = |path: &str, attr: &str| {
        let mut found = Vec::new();
        pluck(p, path, &mut found);
        let items: Vec<String> = found.into_iter().filter_map(scalar_string).collect();
        if !items.is_empty() {
            m.insert(attr.to_string(), Value::string_list(items));
        }
    };
    list("ipRanges.items[].cidrIp", "cidr_blocks");
    list("cidrIp", "cidr_blocks");
    list("ipv6Ranges.items[].cidrIpv6", "ipv6_cidr_blocks");
    list("prefixListIds.items[].prefixListId", "prefix_list_ids");
    list("groups.items[].groupId", "security_groups");
    Value::Map(m)
}

async fn fetch(ctx: &Ctx) -> FetchResult {
    let groups = describe_all(ctx, TYPES).await?;
    Ok(groups.iter().map(|g| map(g, &ctx.region, &ctx.account)).collect())
}

/// Every security group of the region (bulk, paginated, read once per scan and region).
/// Errors are reported against `types` (the caller's types).
pub(crate) async fn describe_all(ctx: &Ctx, types: &[&str]) -> Result<Vec<SecurityGroup>, crate::model::ReadError> {
    let cached: Result<Vec<SecurityGroup>, crate::model::ReadError> = ctx
        .once("ec2:DescribeSecurityGroups", || async {
            let ec2 = ctx.client::<aws_sdk_ec2::Client>();
            let mut out = Vec::new();
            let mut pages = ec2.describe_security_groups().max_results(1000).into_paginator().send();
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
    crate::aws::client::for_caller(&cached, types)
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
        .with("tags", crate::aws::tags::ec2(g.tags()));
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

/// Ports listed in a security-group rule's `well_known_ports` when its range covers them.
pub const WELL_KNOWN_PORTS: &[i64] = &[
    20, 21, 22, 23, 25, 53, 80, 110, 135, 139, 143, 443, 445, 1433, 1521, 2049, 2375, 2376, 3306, 3389, 4333, 5432,
    5601, 5900, 6379, 8080, 9200, 9300, 11211, 27017,
];

const SG_OWNERS: &[&str] = &["aws_security_group", "aws_default_security_group"];

/// One security-group rule with one source: the unit rules judge and AWS stores.
struct Atom {
    key: (String, String, Option<i64>, Option<i64>, String, Option<String>),
    /// 0 inline, 1 `aws_security_group_rule`, 2 `aws_vpc_security_group_*_rule`.
    specificity: u8,
    managed: bool,
    value: J,
}

/// The rule resources joined into a group's view on `security_group_id`.
const SG_RULE_TYPES: &[&str] =
    &["aws_security_group_rule", "aws_vpc_security_group_ingress_rule", "aws_vpc_security_group_egress_rule"];

fn security_groups(resources: &[Resource], view: View) -> Vec<JoinedView> {
    let mut owners: Vec<&Resource> = resources.iter().filter(|r| SG_OWNERS.contains(&r.rtype.as_str())).collect();
    let mut index = Index::default();
    for (i, r) in owners.iter().enumerate() {
        index.add(i, r, &["id", "arn"]);
    }
    // Rules on groups the code does not declare: a group of its own, known only by the
    // rules the code gives it (no inline rules, whether it is a VPC's default unknown).
    let outside = outside_owners(
        resources,
        view,
        &index,
        SG_RULE_TYPES,
        "security_group_id",
        "aws_security_group",
        &["arn", "tags", "name", "description", "vpc_id"],
    );
    let declared = owners.len();
    owners.extend(outside.owners.iter());
    let mut atoms: Vec<Vec<Atom>> = (0..owners.len()).map(|_| Vec::new()).collect();
    let mut unknown_dirs: Vec<Vec<&str>> = vec![Vec::new(); owners.len()];
    for (i, g) in owners.iter().enumerate() {
        for dir in ["ingress", "egress"] {
            if i >= declared {
                continue;
            }
            match attr(g, dir, view).elements() {
                Ok(elems) => {
                    for e in elems {
                        let f = F::of(Some(e));
                        let sources = sources_of(
                            &index,
                            i,
                            &[
                                ("cidr_ipv4", f.field("cidr_blocks")),
                                ("cidr_ipv6", f.field("ipv6_cidr_blocks")),
                                ("prefix_list", f.field("prefix_list_ids")),
                                ("security_group", f.field("security_groups")),
                            ],
                            f.field("self"),
                        );
                        let ports = (f.field("protocol"), f.field("from_port"), f.field("to_port"));
                        atoms[i].extend(make_atoms(g, g, dir, ports, f.field("description"), sources, 0));
                    }
                }
                Err(()) => unknown_dirs[i].push(dir),
            }
        }
    }
    for r in resources {
        let (dir, specificity) = match r.rtype.as_str() {
            "aws_vpc_security_group_ingress_rule" => (Some("ingress"), 2),
            "aws_vpc_security_group_egress_rule" => (Some("egress"), 2),
            "aws_security_group_rule" => (
                attr(r, "type", view).string(None).ok().flatten().as_deref().and_then(|d| match d {
                    "ingress" => Some("ingress"),
                    "egress" => Some("egress"),
                    _ => None,
                }),
                1,
            ),
            _ => continue,
        };
        let Some(i) =
            index.find(r.attributes.get("security_group_id")).or_else(|| outside.find(r).map(|j| declared + j))
        else {
            continue;
        };
        let Some(dir) = dir else { continue };
        let g = owners[i];
        let a = |k: &str| attr(r, k, view);
        let (sources, ports) = if specificity == 2 {
            let sources = sources_of(
                &index,
                i,
                &[
                    ("cidr_ipv4", a("cidr_ipv4")),
                    ("cidr_ipv6", a("cidr_ipv6")),
                    ("prefix_list", a("prefix_list_id")),
                    ("security_group", a("referenced_security_group_id")),
                ],
                F::Default,
            );
            (sources, (a("ip_protocol"), a("from_port"), a("to_port")))
        } else {
            let sources = sources_of(
                &index,
                i,
                &[
                    ("cidr_ipv4", a("cidr_blocks")),
                    ("cidr_ipv6", a("ipv6_cidr_blocks")),
                    ("prefix_list", a("prefix_list_ids")),
                    ("security_group", a("source_security_group_id")),
                ],
                a("self"),
            );
            (sources, (a("protocol"), a("from_port"), a("to_port")))
        };
        atoms[i].extend(make_atoms(g, r, dir, ports, a("description"), sources, specificity));
    }

    owners
        .iter()
        .zip(atoms)
        .zip(unknown_dirs)
        .map(|((g, atoms), unknown_dirs)| {
            // The same AWS rule may be expressed several ways (inline copies in state and
            // live, split resources): keep one, managed first, most specific first.
            let mut best: BTreeMap<_, Atom> = BTreeMap::new();
            for a in atoms {
                match best.get(&a.key) {
                    Some(b) if (b.managed, b.specificity) >= (a.managed, a.specificity) => {}
                    _ => {
                        best.insert(a.key.clone(), a);
                    }
                }
            }
            let mut o = head("security_group", g, view);
            if let Ok(Some(n)) = attr(g, "name", view).string(None) {
                o.put("name", n);
            }
            let _ = o.string("description", attr(g, "description", view), None);
            let _ = o.string("vpc_id", attr(g, "vpc_id", view), None);
            if outside_code(g) {
                o.unknown("is_default");
            } else {
                let is_default = g.rtype == "aws_default_security_group"
                    || g.attributes.get("name").and_then(Value::as_str) == Some("default");
                o.put("is_default", is_default);
            }
            for dir in ["ingress", "egress"] {
                if unknown_dirs.contains(&dir) {
                    o.unknown(dir);
                    continue;
                }
                let rules: Vec<J> = best.values().filter(|a| a.key.0 == dir).map(|a| a.value.clone()).collect();
                o.put(dir, J::Array(rules));
            }
            joined("security_group", g, o)
        })
        .collect()
}

/// `(kind, source)` pairs; `None` for an unknown source. A reference to the group itself
/// becomes `("self", "self")`.
fn sources_of(
    index: &Index,
    owner: usize,
    lists: &[(&'static str, F)],
    self_flag: F,
) -> Vec<(&'static str, Option<String>)> {
    let mut out = Vec::new();
    for (kind, f) in lists {
        match f {
            F::Default => {}
            F::Set(Value::String(s)) if s.is_empty() => {}
            F::Set(Value::String(s)) => out.push(source(index, owner, kind, s)),
            F::Set(Value::List(l)) => {
                for v in l {
                    match v {
                        Value::String(s) if !s.is_empty() => out.push(source(index, owner, kind, s)),
                        Value::String(_) | Value::Null => {}
                        _ => out.push((kind, None)),
                    }
                }
            }
            _ => out.push((kind, None)),
        }
    }
    match self_flag.bool(false) {
        Some(true) => out.push(("self", Some("self".to_string()))),
        Some(false) => {}
        None => out.push(("self", None)),
    }
    out
}

fn source(index: &Index, owner: usize, kind: &'static str, s: &str) -> (&'static str, Option<String>) {
    if kind == "security_group" {
        let bare = s.rsplit_once('/').map(|(_, g)| g).unwrap_or(s);
        if index.find(Some(&Value::str(bare))) == Some(owner) {
            return ("self", Some("self".to_string()));
        }
    }
    (kind, Some(s.to_string()))
}

fn make_atoms(
    group: &Resource,
    declaring: &Resource,
    dir: &str,
    (protocol, from, to): (F, F, F),
    description: F,
    sources: Vec<(&'static str, Option<String>)>,
    specificity: u8,
) -> Vec<Atom> {
    let protocol = protocol.string(None).map(|p| p.map(|p| protocol_name(&p)));
    let all = matches!(&protocol, Ok(Some(p)) if p == "-1");
    let from = if all { Ok(None) } else { from.int(None) };
    let to = if all { Ok(None) } else { to.int(None) };
    sources
        .into_iter()
        .map(|(kind, src)| {
            let mut o = Obj::default();
            let managed = declaring.address.is_some();
            let named = setting_origin(&mut o, group, Some(declaring));
            o.put("resource_id", named.id.as_str());
            o.put("direction", dir);
            match &protocol {
                Ok(p) => o.put("protocol", p.clone().map(J::String).unwrap_or(J::Null)),
                Err(()) => o.unknown("protocol"),
            };
            o.put("all_traffic", all);
            match (&from, &to) {
                (Ok(f), Ok(t)) => o
                    .put("from_port", f.map(J::from).unwrap_or(J::Null))
                    .put("to_port", t.map(J::from).unwrap_or(J::Null)),
                _ => o.unknown("from_port").unknown("to_port"),
            };
            // The port range the rule opens, for protocols that have ports.
            let range = match protocol.as_ref().map(|p| p.as_deref()) {
                Ok(Some("-1")) => Ok(Some((0, 65535))),
                Ok(Some("tcp" | "udp")) => match (&from, &to) {
                    (Ok(Some(f)), Ok(Some(t))) => Ok(Some((*f, *t))),
                    _ => Err(()),
                },
                Ok(_) => Ok(None),
                Err(()) => Err(()),
            };
            match range {
                Ok(Some((f, t))) => {
                    let wk: Vec<i64> = WELL_KNOWN_PORTS.iter().copied().filter(|p| f <= *p && *p <= t).collect();
                    o.put("ports", json!({"from": f, "to": t})).put("well_known_ports", wk);
                }
                Ok(None) => {
                    o.put("ports", J::Null).put("well_known_ports", json!([]));
                }
                Err(()) => {
                    o.unknown("ports").unknown("well_known_ports");
                }
            }
            o.put("source_kind", kind);
            let open = match (&src, kind) {
                (Some(s), "cidr_ipv4" | "cidr_ipv6") => Some(s.ends_with("/0")),
                (Some(_), _) => Some(false),
                (None, "cidr_ipv4" | "cidr_ipv6" | "prefix_list") => None,
                (None, _) => Some(false),
            };
            o.opt("source", src.clone());
            o.opt("open_to_internet", open);
            let _ = o.string("description", description, None);
            let key = (
                dir.to_string(),
                protocol.clone().ok().flatten().unwrap_or_else(|| "?".into()),
                from.ok().flatten(),
                to.ok().flatten(),
                kind.to_string(),
                src,
            );
            Atom { key, specificity, managed, value: o.finish() }
        })
        .collect()
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

    #[test]
    fn rule_request_shapes() {
        use serde_json::json;
        let nested = json!({"groupId":"sg-1","ipPermissions":{"items":[{"fromPort":22,"groups":{},"ipProtocol":"tcp",
            "ipRanges":{"items":[{"cidrIp":"203.0.113.0/24"}]},"ipv6Ranges":{},"prefixListIds":{},"toPort":22}]}});
        let flat = json!({"groupId":"sg-1","ipPermissions":{},"ipProtocol":"tcp","fromPort":22,"toPort":22,"cidrIp":"203.0.113.0/24"});
        let want = Value::object([
            ("protocol", "tcp".into()),
            ("from_port", Value::int(22)),
            ("to_port", Value::int(22)),
            ("cidr_blocks", Value::string_list(["203.0.113.0/24"])),
        ]);
        assert_eq!(ip_permissions(&nested), vec![want.clone()]);
        assert_eq!(ip_permissions(&flat), vec![want]);
        let e = crate::aws::event::of("aws_security_group", "ec2", "AuthorizeSecurityGroupIngress");
        let resp = json!({"securityGroupRuleSet":{"items":[{"securityGroupRuleId":"sgr-027eb7c59241731e0"}]}});
        assert_eq!(e.identifiers(&nested, &resp), vec!["sg-1", "sgr-027eb7c59241731e0"]);
        // The same call creates a rule resource, matched through its group.
        let r = crate::aws::event::of("aws_vpc_security_group_ingress_rule", "ec2", "AuthorizeSecurityGroupIngress");
        assert_eq!((r.effect, r.via), (crate::aws::Effect::Create, crate::aws::Via::Any));
        assert_eq!((e.effect, e.via), (crate::aws::Effect::Modify, crate::aws::Via::Own));
    }
}

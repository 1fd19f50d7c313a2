//! Security-group rules can be written three ways (inline `ingress`/`egress` blocks,
//! `aws_security_group_rule`, `aws_vpc_security_group_ingress_rule`/`_egress_rule`) and
//! AWS groups them differently again. This pass makes them comparable:
//!
//! - Inline `ingress`/`egress` elements are split into atomic rules, one source each
//!   (one CIDR, prefix list, group or `self`), with protocol names and `-1` ports at 0,
//!   on both sides. A rule opened by hand then shows as one added element.
//! - When split rule resources in state target a group, they own its rules: the group's
//!   inline copy in state is stale (captured before the rules were created), so it is
//!   replaced by the rules those resources declare, per direction.
//! - A state `aws_security_group_rule` with several sources becomes one resource per
//!   source, identified by the provider's import id (as the live fetcher emits them).

use std::collections::{BTreeMap, BTreeSet};

use super::{Pass, Views};
use crate::model::sg::{protocol_name, sg_rule_import_id};
use crate::model::{Resource, Value};

pub const PASS: Pass = Pass {
    name: "sg_rules",
    why: "the same security-group rule has several shapes; split rule resources own their group's rules",
    apply,
};

const DIRECTIONS: &[&str] = &["ingress", "egress"];

/// The types holding inline `ingress` / `egress` sets.
const GROUPS: &[&str] = &["aws_security_group", "aws_default_security_group"];

/// Two atomic rules are the same AWS rule whatever their descriptions say.
fn same_rule(a: &Value, b: &Value) -> bool {
    match (a.as_map(), b.as_map()) {
        (Some(x), Some(y)) => {
            let keys: std::collections::BTreeSet<&String> =
                x.keys().chain(y.keys()).filter(|k| *k != "description").collect();
            keys.into_iter().all(|k| x.get(k).unwrap_or(&Value::Null).same(y.get(k).unwrap_or(&Value::Null)))
        }
        _ => a.same(b),
    }
}

fn apply(v: &mut Views) {
    // Rules the split resources in state declare, per (group, direction).
    let mut owned: BTreeMap<(String, String), Vec<Value>> = BTreeMap::new();
    for r in &v.state {
        match r.rtype.as_str() {
            "aws_vpc_security_group_ingress_rule" | "aws_vpc_security_group_egress_rule" => {
                let dir = if r.rtype.contains("ingress") { "ingress" } else { "egress" };
                if let Some(sg) = r.attr_str("security_group_id") {
                    owned.entry((sg.to_string(), dir.to_string())).or_default().extend(from_vpc_rule(sg, r));
                }
            }
            "aws_security_group_rule" => {
                if let (Some(sg), Some(dir)) = (r.attr_str("security_group_id"), r.attr_str("type")) {
                    owned.entry((sg.to_string(), dir.to_string())).or_default().extend(from_legacy_rule(sg, r));
                }
            }
            _ => {}
        }
    }

    for r in v.state.iter_mut().chain(v.live.iter_mut()) {
        if GROUPS.contains(&r.rtype.as_str()) {
            let sg = r.id.clone();
            for dir in DIRECTIONS {
                if let Some(Value::List(elems)) = r.attributes.get(*dir) {
                    let atoms = atomize(&sg, elems);
                    r.set(dir, Value::List(atoms));
                }
            }
        }
    }
    // A rule resource that disappeared is reported on that resource (missing); on its group
    // only rules added by hand should show. So the group expects the owned rules that are
    // still there live.
    let live_atoms: BTreeMap<(String, String), Vec<Value>> = v
        .live
        .iter()
        .filter(|r| GROUPS.contains(&r.rtype.as_str()))
        .flat_map(|r| {
            DIRECTIONS
                .iter()
                .filter_map(move |dir| r.attr(dir).as_list().map(|l| ((r.id.clone(), dir.to_string()), l.to_vec())))
        })
        .collect();
    for r in v.state.iter_mut().filter(|r| GROUPS.contains(&r.rtype.as_str())) {
        for dir in DIRECTIONS {
            let key = (r.id.clone(), dir.to_string());
            if let Some(rules) = owned.get(&key) {
                // The group expects each owned rule as AWS has it: a description edited on a
                // managed rule is drift on that rule resource, not also an "added" rule here.
                let expected: Vec<Value> = match live_atoms.get(&key) {
                    Some(live) => rules.iter().filter_map(|x| live.iter().find(|y| same_rule(x, y))).cloned().collect(),
                    None => rules.clone(),
                };
                r.set(dir, Value::List(sorted(expected)));
            }
        }
    }

    let mut expanded = Vec::with_capacity(v.state.len());
    for r in v.state.drain(..) {
        if r.rtype == "aws_security_group_rule" && !r.id.contains('_') {
            expanded.extend(expand_legacy(&r));
        } else {
            expanded.push(r);
        }
    }
    v.state = expanded;
    for r in v.state.iter_mut().chain(v.live.iter_mut()) {
        let key = match r.rtype.as_str() {
            "aws_security_group_rule" => "protocol",
            "aws_vpc_security_group_ingress_rule" | "aws_vpc_security_group_egress_rule" => "ip_protocol",
            _ => continue,
        };
        if let Some(p) = r.attr_str(key).map(protocol_name) {
            r.set(key, p);
        }
    }
}

fn sorted(mut v: Vec<Value>) -> Vec<Value> {
    v.sort_by_cached_key(Value::canonical);
    v.dedup();
    v
}

/// A source of one atomic rule: which inline list it goes in, and the value.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
enum Source {
    Cidr(String),
    Ipv6(String),
    PrefixList(String),
    Group(String),
    SelfRef,
}

impl Source {
    fn import_suffix(&self) -> String {
        match self {
            Source::Cidr(s) | Source::Ipv6(s) | Source::PrefixList(s) | Source::Group(s) => s.clone(),
            Source::SelfRef => "self".to_string(),
        }
    }
}

fn strings(v: &Value) -> Vec<String> {
    v.as_list().map(|l| l.iter().filter_map(|x| x.as_str().map(str::to_string)).collect()).unwrap_or_default()
}

fn ports(protocol: &str, from: &Value, to: &Value) -> (i64, i64) {
    if protocol == "-1" { (0, 0) } else { (from.as_i64().unwrap_or(0), to.as_i64().unwrap_or(0)) }
}

/// One inline-shaped element per source.
fn atom(sg: &str, protocol: &str, from: &Value, to: &Value, description: &Value, src: &Source) -> Value {
    let protocol = protocol_name(protocol);
    let (from, to) = ports(&protocol, from, to);
    let list = |s: &str| Value::string_list([s.to_string()]);
    let mut m: BTreeMap<String, Value> = BTreeMap::new();
    m.insert("protocol".into(), Value::String(protocol));
    m.insert("from_port".into(), Value::int(from));
    m.insert("to_port".into(), Value::int(to));
    m.insert("description".into(), description.clone());
    for k in ["cidr_blocks", "ipv6_cidr_blocks", "prefix_list_ids", "security_groups"] {
        m.insert(k.into(), Value::Null);
    }
    m.insert("self".into(), Value::Bool(false));
    match src {
        Source::Cidr(c) => m.insert("cidr_blocks".into(), list(c)),
        Source::Ipv6(c) => m.insert("ipv6_cidr_blocks".into(), list(c)),
        Source::PrefixList(p) => m.insert("prefix_list_ids".into(), list(p)),
        Source::Group(g) if g == sg => m.insert("self".into(), Value::Bool(true)),
        Source::Group(g) => m.insert("security_groups".into(), list(g)),
        Source::SelfRef => m.insert("self".into(), Value::Bool(true)),
    };
    Value::Map(m)
}

fn inline_sources(e: &Value) -> BTreeSet<Source> {
    let get = |k: &str| e.get(k).cloned().unwrap_or(Value::Null);
    let mut s = BTreeSet::new();
    s.extend(strings(&get("cidr_blocks")).into_iter().map(Source::Cidr));
    s.extend(strings(&get("ipv6_cidr_blocks")).into_iter().map(Source::Ipv6));
    s.extend(strings(&get("prefix_list_ids")).into_iter().map(Source::PrefixList));
    s.extend(strings(&get("security_groups")).into_iter().map(Source::Group));
    if get("self").as_bool() == Some(true) {
        s.insert(Source::SelfRef);
    }
    s
}

/// Split inline elements into atomic rules.
pub fn atomize(sg: &str, elems: &[Value]) -> Vec<Value> {
    let mut out = Vec::new();
    for e in elems {
        // Already atomic elements (a second run of the pass) stay as they are.
        let get = |k: &str| e.get(k).cloned().unwrap_or(Value::Null);
        let protocol = get("protocol").as_str().unwrap_or("-1").to_string();
        for src in inline_sources(e) {
            out.push(atom(sg, &protocol, &get("from_port"), &get("to_port"), &get("description"), &src));
        }
    }
    sorted(out)
}

fn from_vpc_rule(sg: &str, r: &Resource) -> Vec<Value> {
    let src = if let Some(c) = r.attr_str("cidr_ipv4") {
        Source::Cidr(c.into())
    } else if let Some(c) = r.attr_str("cidr_ipv6") {
        Source::Ipv6(c.into())
    } else if let Some(p) = r.attr_str("prefix_list_id") {
        Source::PrefixList(p.into())
    } else if let Some(g) = r.attr_str("referenced_security_group_id") {
        Source::Group(g.into())
    } else {
        return Vec::new();
    };
    let protocol = r.attr_str("ip_protocol").unwrap_or("-1");
    vec![atom(sg, protocol, r.attr("from_port"), r.attr("to_port"), r.attr("description"), &src)]
}

fn legacy_sources(r: &Resource) -> BTreeSet<Source> {
    let mut s = BTreeSet::new();
    s.extend(strings(r.attr("cidr_blocks")).into_iter().map(Source::Cidr));
    s.extend(strings(r.attr("ipv6_cidr_blocks")).into_iter().map(Source::Ipv6));
    s.extend(strings(r.attr("prefix_list_ids")).into_iter().map(Source::PrefixList));
    if let Some(g) = r.attr_str("source_security_group_id").filter(|g| !g.is_empty()) {
        s.insert(Source::Group(g.into()));
    }
    if r.attr("self").as_bool() == Some(true) {
        s.insert(Source::SelfRef);
    }
    s
}

fn from_legacy_rule(sg: &str, r: &Resource) -> Vec<Value> {
    let protocol = r.attr_str("protocol").unwrap_or("-1");
    legacy_sources(r)
        .iter()
        .map(|src| atom(sg, protocol, r.attr("from_port"), r.attr("to_port"), r.attr("description"), src))
        .collect()
}

/// One state resource per source, with the import id the live fetcher uses.
fn expand_legacy(r: &Resource) -> Vec<Resource> {
    let (Some(sg), Some(dir)) = (r.attr_str("security_group_id"), r.attr_str("type")) else {
        return vec![r.clone()];
    };
    let protocol = protocol_name(r.attr_str("protocol").unwrap_or("-1"));
    let (from, to) = ports(&protocol, r.attr("from_port"), r.attr("to_port"));
    legacy_sources(r)
        .into_iter()
        .map(|src| {
            let mut one = r.clone();
            one.id = sg_rule_import_id(sg, dir, &protocol, from, to, &src.import_suffix());
            // The ports as the id and AWS have them: protocol `-1` carries none (the provider
            // accepts `-1` or `0` for them and plans no change either way).
            one.set("from_port", Value::int(from));
            one.set("to_port", Value::int(to));
            for k in ["cidr_blocks", "ipv6_cidr_blocks", "prefix_list_ids"] {
                one.set(k, Value::Null);
            }
            one.set("source_security_group_id", Value::Null);
            one.set("self", false);
            match &src {
                Source::Cidr(c) => one.set("cidr_blocks", Value::string_list([c.clone()])),
                Source::Ipv6(c) => one.set("ipv6_cidr_blocks", Value::string_list([c.clone()])),
                Source::PrefixList(p) => one.set("prefix_list_ids", Value::string_list([p.clone()])),
                Source::Group(g) => one.set("source_security_group_id", g.clone()),
                Source::SelfRef => one.set("self", true),
            }
            one.set("id", one.id.clone());
            one
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::Resource;

    fn elem(cidrs: &[&str], proto: &str, from: i64, to: i64) -> Value {
        Value::object([
            ("cidr_blocks", Value::string_list(cidrs.iter().copied())),
            ("protocol", proto.into()),
            ("from_port", from.into()),
            ("to_port", to.into()),
            ("self", false.into()),
            ("description", "".into()),
        ])
    }

    #[test]
    fn grouped_and_split_inline_rules_atomize_alike() {
        let grouped = atomize("sg-1", &[elem(&["10.0.0.0/8", "0.0.0.0/0"], "6", 22, 22)]);
        let split = atomize("sg-1", &[elem(&["0.0.0.0/0"], "tcp", 22, 22), elem(&["10.0.0.0/8"], "tcp", 22, 22)]);
        assert_eq!(grouped, split);
        assert_eq!(grouped.len(), 2);
    }

    fn legacy(sg: &str, protocol: &str, from: i64, to: i64, cidr: &str, description: &str) -> Resource {
        Resource {
            rtype: "aws_security_group_rule".into(),
            id: "sgrule-1876350204".into(),
            address: Some("aws_security_group_rule.all".into()),
            region: None,
            attributes: [
                ("security_group_id", Value::str(sg)),
                ("type", "egress".into()),
                ("protocol", protocol.into()),
                ("from_port", from.into()),
                ("to_port", to.into()),
                ("cidr_blocks", Value::string_list([cidr])),
                ("self", false.into()),
                ("description", description.into()),
            ]
            .into_iter()
            .map(|(k, v)| (k.to_string(), v))
            .collect(),
            origin: crate::model::Origin::State { file: "s".into(), index: 0 },
            aws_default: false,
        }
    }

    #[test]
    fn all_traffic_rules_with_ports_minus_one_meet_the_live_rule() {
        // terraform-aws-modules/security-group's `all-all`: protocol -1, ports -1.
        let mut v = Views { state: vec![legacy("sg-1", "-1", -1, -1, "0.0.0.0/0", "All")], live: vec![] };
        apply(&mut v);
        let r = &v.state[0];
        assert_eq!(r.id, "sg-1_egress_all_0_0_0.0.0.0/0");
        assert_eq!((r.attr("from_port"), r.attr("to_port")), (&Value::int(0), &Value::int(0)));
    }

    #[test]
    fn an_edited_description_on_a_managed_rule_is_not_an_added_group_rule() {
        let group = |live: bool, rules: Vec<Value>| {
            let mut g = Resource::live("aws_security_group", "sg-1", "us-east-1", "1", None);
            if !live {
                g.address = Some("aws_security_group.app".into());
                g.origin = crate::model::Origin::State { file: "s".into(), index: 1 };
            }
            g.set("egress", Value::List(rules));
            g
        };
        let mut live_elem = elem(&["0.0.0.0/0"], "-1", 0, 0);
        if let Value::Map(m) = &mut live_elem {
            m.insert("description".into(), "changed by hand".into());
        }
        let mut v = Views {
            state: vec![group(false, vec![]), legacy("sg-1", "-1", -1, -1, "0.0.0.0/0", "All")],
            live: vec![group(true, vec![live_elem])],
        };
        apply(&mut v);
        let g = v.state.iter().find(|r| r.rtype == "aws_security_group").unwrap();
        // The group expects the rule as AWS has it (description included): no change there.
        assert_eq!(g.attr("egress"), v.live[0].attr("egress"));
    }

    #[test]
    fn atomizing_twice_changes_nothing() {
        let once = atomize("sg-1", &[elem(&["10.0.0.0/8", "0.0.0.0/0"], "-1", 0, 65535)]);
        assert_eq!(atomize("sg-1", &once), once);
    }
}

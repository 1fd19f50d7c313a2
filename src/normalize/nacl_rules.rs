//! Network ACL entries can be written inline (`ingress` / `egress` blocks of
//! `aws_network_acl` and `aws_default_network_acl`) or as `aws_network_acl_rule` resources,
//! and AWS answers every entry either way. This pass makes them comparable:
//!
//! - Protocols are numbers, as AWS answers them (`tcp` in the configuration, and so in state,
//!   is `6`), and an unset ICMP type or code is `0`, on both sides.
//! - A state `aws_network_acl_rule` is identified by the provider's import id
//!   (`acl-1:100:6:false`), as the live fetcher emits it: Terraform's own id hashes the
//!   protocol as configured, which AWS's answer cannot tell.
//! - When `aws_network_acl_rule` resources in state target an ACL, they own those entries:
//!   the ACL's inline copy in state is stale, so for each owned rule number the ACL expects
//!   what AWS has (a changed entry is drift on the rule, reported once), and a deleted owned
//!   entry is reported on its rule (missing), not again on its ACL. Entries added by hand
//!   still show as added elements of the ACL.

use std::collections::{BTreeMap, BTreeSet};

use super::{Pass, Views};
use crate::model::Value;

pub const PASS: Pass = Pass {
    name: "nacl_rules",
    why: "network ACL entries have two shapes and two protocol spellings; rule resources own their ACL's entries",
    apply,
};

const ACLS: &[&str] = &["aws_network_acl", "aws_default_network_acl"];
const DIRECTIONS: &[(&str, bool)] = &[("ingress", false), ("egress", true)];

/// A protocol as AWS answers it: its number (`-1` for all).
pub fn protocol_number(p: &str) -> String {
    match p.to_ascii_lowercase().as_str() {
        "tcp" => "6".into(),
        "udp" => "17".into(),
        "icmp" => "1".into(),
        "icmpv6" => "58".into(),
        "all" => "-1".into(),
        other => other.into(),
    }
}

/// The import id of a rule: `acl-1:100:6:false` (the live fetcher's id).
pub fn rule_id(acl: &str, rule_number: i64, protocol: &str, egress: bool) -> String {
    format!("{acl}:{rule_number}:{}:{egress}", protocol_number(protocol))
}

fn number(v: &Value) -> Option<i64> {
    v.as_i64().or_else(|| v.as_str().and_then(|s| s.parse().ok()))
}

fn canonical_entry(e: &mut Value) {
    let Value::Map(m) = e else { return };
    if let Some(Value::String(p)) = m.get("protocol") {
        let n = protocol_number(p);
        m.insert("protocol".into(), Value::String(n));
    }
    for k in ["icmp_type", "icmp_code"] {
        if matches!(m.get(k), Some(Value::Null)) {
            m.insert(k.into(), Value::int(0));
        }
    }
}

fn apply(v: &mut Views) {
    for r in v.state.iter_mut().chain(v.live.iter_mut()) {
        if ACLS.contains(&r.rtype.as_str()) {
            for (dir, _) in DIRECTIONS {
                if let Some(Value::List(l)) = r.attributes.get_mut(*dir) {
                    l.iter_mut().for_each(canonical_entry);
                    l.sort_by_cached_key(Value::canonical);
                }
            }
        } else if r.rtype == "aws_network_acl_rule" {
            if let Some(p) = r.attr_str("protocol").map(protocol_number) {
                r.set("protocol", p);
            }
        }
    }

    // Rule numbers the rule resources in state own, per (ACL, direction); their ids.
    let mut owned: BTreeMap<(String, bool), BTreeSet<i64>> = BTreeMap::new();
    for r in v.state.iter_mut().filter(|r| r.rtype == "aws_network_acl_rule") {
        let (Some(acl), Some(n), Some(egress)) = (
            r.attr_str("network_acl_id").map(str::to_string),
            number(r.attr("rule_number")),
            r.attr("egress").as_bool(),
        ) else {
            continue;
        };
        let id = rule_id(&acl, n, r.attr_str("protocol").unwrap_or_default(), egress);
        r.id = id.clone();
        r.set("id", id);
        owned.entry((acl, egress)).or_default().insert(n);
    }
    if owned.is_empty() {
        return;
    }
    let live_entries: BTreeMap<(String, String, &str), Vec<Value>> = v
        .live
        .iter()
        .filter(|r| ACLS.contains(&r.rtype.as_str()))
        .flat_map(|r| {
            DIRECTIONS.iter().filter_map(move |(dir, _)| {
                Some(((r.rtype.clone(), r.id.clone(), *dir), r.attr(dir).as_list()?.to_vec()))
            })
        })
        .collect();
    for a in v.state.iter_mut().filter(|r| ACLS.contains(&r.rtype.as_str())) {
        for (dir, egress) in DIRECTIONS {
            let Some(numbers) = owned.get(&(a.id.clone(), *egress)) else { continue };
            let Some(Value::List(inline)) = a.attributes.get(*dir) else { continue };
            let owns = |e: &Value| e.get("rule_no").and_then(number).is_some_and(|n| numbers.contains(&n));
            let mut expected: Vec<Value> = inline.iter().filter(|e| !owns(e)).cloned().collect();
            if let Some(live) = live_entries.get(&(a.rtype.clone(), a.id.clone(), *dir)) {
                expected.extend(live.iter().filter(|e| owns(e)).cloned());
            }
            expected.sort_by_cached_key(Value::canonical);
            expected.dedup();
            a.set(dir, Value::List(expected));
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::{Origin, Resource};

    fn entry(rule: i64, protocol: &str, from: i64, cidr: &str, icmp: Value) -> Value {
        Value::object([
            ("rule_no", Value::int(rule)),
            ("protocol", protocol.into()),
            ("from_port", Value::int(from)),
            ("to_port", Value::int(from)),
            ("cidr_block", cidr.into()),
            ("icmp_type", icmp.clone()),
            ("icmp_code", icmp),
        ])
    }

    fn state(rtype: &str, id: &str) -> Resource {
        Resource {
            rtype: rtype.into(),
            id: id.into(),
            address: Some(format!("{rtype}.x")),
            region: None,
            attributes: Default::default(),
            origin: Origin::State { file: "s".into(), index: 0 },
            aws_default: false,
        }
    }

    #[test]
    fn protocol_names_become_numbers_and_unset_icmp_zero() {
        let mut acl = state("aws_network_acl", "acl-1");
        acl.set("ingress", Value::List(vec![entry(100, "tcp", 443, "0.0.0.0/0", Value::Null)]));
        let mut live = Resource::live("aws_network_acl", "acl-1", "us-east-1", "1", None);
        live.set("ingress", Value::List(vec![entry(100, "6", 443, "0.0.0.0/0", Value::int(0))]));
        let mut v = Views { state: vec![acl], live: vec![live] };
        apply(&mut v);
        assert_eq!(v.state[0].attr("ingress"), v.live[0].attr("ingress"));
    }

    #[test]
    fn rule_resources_get_the_import_id_and_own_their_entries() {
        let mut acl = state("aws_network_acl", "acl-1");
        acl.set("ingress", Value::List(vec![]));
        let mut rule = state("aws_network_acl_rule", "nacl-120162817");
        rule.set("network_acl_id", "acl-1");
        rule.set("rule_number", Value::int(100));
        rule.set("egress", false);
        rule.set("protocol", "tcp");
        let mut live = Resource::live("aws_network_acl", "acl-1", "us-east-1", "1", None);
        let https = entry(100, "6", 443, "0.0.0.0/0", Value::int(0));
        let ssh = entry(90, "6", 22, "0.0.0.0/0", Value::int(0));
        live.set("ingress", Value::List(vec![https.clone(), ssh]));
        let mut v = Views { state: vec![acl, rule], live: vec![live] };
        apply(&mut v);
        assert_eq!(v.state[1].id, "acl-1:100:6:false");
        assert_eq!(v.state[1].attr_str("protocol"), Some("6"));
        // The ACL expects its rule's entry as AWS has it; the hand-made SSH entry stays added.
        assert_eq!(v.state[0].attr("ingress"), &Value::List(vec![https]));
        let once = v.clone();
        apply(&mut v);
        assert_eq!(v.state, once.state);
        assert_eq!(rule_id("acl-1", 100, "tcp", false), "acl-1:100:6:false");
    }
}

//! A route table's routes can be written inline (`route` blocks) or as `aws_route`
//! resources, and AWS answers every route either way: the table's refresh collects them all.
//! When `aws_route` resources in state target a table, they own those routes: the table's
//! inline copy in state is stale (captured before the routes were made), so for each owned
//! destination the table expects what AWS has (a changed target is drift on the `aws_route`,
//! reported once), and a route an `aws_route` managed that is gone is reported on that
//! resource (missing), not again as removed from its table. Routes added by hand still show
//! as added elements of the table.

use std::collections::{BTreeMap, BTreeSet};

use super::{Pass, Views};
use crate::model::Value;

pub const PASS: Pass = Pass {
    name: "route_inline_copies",
    why: "routes managed as aws_route resources appear in their table's inline route set too",
    apply,
};

const TABLES: &[&str] = &["aws_route_table", "aws_default_route_table"];

/// The destination naming a route: its CIDR, IPv6 CIDR or prefix list.
fn destination<'a>(get: impl Fn(&str) -> Option<&'a str>, keys: [&str; 3]) -> Option<String> {
    keys.iter().find_map(|k| get(k).filter(|v| !v.is_empty())).map(str::to_string)
}

fn element_destination(e: &Value) -> Option<String> {
    destination(|k| e.get(k).and_then(Value::as_str), ["cidr_block", "ipv6_cidr_block", "destination_prefix_list_id"])
}

fn apply(v: &mut Views) {
    // Destinations the aws_route resources in state own, per table id.
    let mut owned: BTreeMap<String, BTreeSet<String>> = BTreeMap::new();
    for r in v.state.iter().filter(|r| r.rtype == "aws_route") {
        let dest = destination(
            |k| r.attr_str(k),
            ["destination_cidr_block", "destination_ipv6_cidr_block", "destination_prefix_list_id"],
        );
        if let (Some(table), Some(dest)) = (r.attr_str("route_table_id"), dest) {
            owned.entry(table.to_string()).or_default().insert(dest);
        }
    }
    if owned.is_empty() {
        return;
    }
    let live_routes: BTreeMap<(String, String), Vec<Value>> = v
        .live
        .iter()
        .filter(|r| TABLES.contains(&r.rtype.as_str()))
        .filter_map(|r| Some(((r.rtype.clone(), r.id.clone()), r.attr("route").as_list()?.to_vec())))
        .collect();
    for t in v.state.iter_mut().filter(|r| TABLES.contains(&r.rtype.as_str())) {
        let Some(dests) = owned.get(&t.id) else { continue };
        let Some(Value::List(inline)) = t.attributes.get("route") else { continue };
        // Inline routes for destinations no aws_route owns stay as the state has them.
        let mut expected: Vec<Value> =
            inline.iter().filter(|e| element_destination(e).is_none_or(|d| !dests.contains(&d))).cloned().collect();
        if let Some(live) = live_routes.get(&(t.rtype.clone(), t.id.clone())) {
            expected
                .extend(live.iter().filter(|e| element_destination(e).is_some_and(|d| dests.contains(&d))).cloned());
        }
        expected.sort_by_cached_key(Value::canonical);
        expected.dedup();
        t.set("route", Value::List(expected));
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::{Origin, Resource};

    fn route(cidr: &str, nat: &str) -> Value {
        Value::object([("cidr_block", cidr.into()), ("ipv6_cidr_block", "".into()), ("nat_gateway_id", nat.into())])
    }

    fn table(live: bool, routes: Vec<Value>) -> Resource {
        let mut r = if live {
            Resource::live("aws_route_table", "rtb-1", "us-east-1", "1", None)
        } else {
            Resource {
                rtype: "aws_route_table".into(),
                id: "rtb-1".into(),
                address: Some("aws_route_table.private".into()),
                region: None,
                attributes: Default::default(),
                origin: Origin::State { file: "s".into(), index: 0 },
                aws_default: false,
            }
        };
        r.set("route", Value::List(routes));
        r
    }

    fn aws_route(cidr: &str) -> Resource {
        let mut r = table(false, vec![]);
        r.rtype = "aws_route".into();
        r.id = format!("r-rtb-1{cidr}");
        r.attributes.clear();
        r.set("route_table_id", "rtb-1");
        r.set("destination_cidr_block", cidr);
        r
    }

    #[test]
    fn owned_routes_are_expected_as_live_has_them_and_hand_made_ones_stay_visible() {
        let mut v = Views {
            // Captured before the route resources existed.
            state: vec![table(false, vec![]), aws_route("0.0.0.0/0")],
            // The owned route now points elsewhere (drift on the aws_route) and one was added by hand.
            live: vec![table(true, vec![route("0.0.0.0/0", "nat-2"), route("192.168.0.0/16", "nat-1")])],
        };
        apply(&mut v);
        assert_eq!(v.state[0].attr("route"), &Value::List(vec![route("0.0.0.0/0", "nat-2")]));
        // Idempotent.
        let once = v.clone();
        apply(&mut v);
        assert_eq!(v.state, once.state);
    }

    #[test]
    fn a_deleted_owned_route_is_not_also_removed_from_its_table() {
        let mut v =
            Views { state: vec![table(false, vec![]), aws_route("0.0.0.0/0")], live: vec![table(true, vec![])] };
        apply(&mut v);
        assert_eq!(v.state[0].attr("route"), &Value::List(vec![]));
    }
}

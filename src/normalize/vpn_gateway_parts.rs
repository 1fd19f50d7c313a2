//! A VPN gateway's attachment and route propagations can be managed as resources of their
//! own (`aws_vpn_gateway_attachment`, `aws_vpn_gateway_route_propagation`, as the community
//! VPC module does), and AWS answers them on the gateway (`vpc_id`) and the route table
//! (`propagating_vgws`) too. The state's copies on the gateway and the table were captured
//! before those resources were made, so they are stale right after apply. When such a
//! resource in state owns the value, the gateway or table expects what AWS has there: a
//! change is reported once, on the owning resource (missing when the attachment or
//! propagation is gone). Propagations turned on by hand, for gateways no resource owns,
//! still show on the table.

use std::collections::{BTreeMap, BTreeSet};

use super::{Pass, Views};
use crate::model::Value;

pub const PASS: Pass = Pass {
    name: "vpn_gateway_parts",
    why: "VPN gateway attachments and route propagations managed as resources appear on the gateway and route table too",
    apply,
};

const TABLES: &[&str] = &["aws_route_table", "aws_default_route_table"];

fn strings(v: &Value) -> Vec<String> {
    v.as_list().unwrap_or_default().iter().filter_map(|e| e.as_str().map(str::to_string)).collect()
}

fn apply(v: &mut Views) {
    // Gateways the propagation resources in state own, per route table id.
    let mut propagations: BTreeMap<String, BTreeSet<String>> = BTreeMap::new();
    // Gateways whose attachment a resource in state owns.
    let mut attached: BTreeSet<String> = BTreeSet::new();
    for r in &v.state {
        match r.rtype.as_str() {
            "aws_vpn_gateway_route_propagation" => {
                if let (Some(table), Some(gateway)) = (r.attr_str("route_table_id"), r.attr_str("vpn_gateway_id")) {
                    propagations.entry(table.to_string()).or_default().insert(gateway.to_string());
                }
            }
            "aws_vpn_gateway_attachment" => {
                if let Some(gateway) = r.attr_str("vpn_gateway_id") {
                    attached.insert(gateway.to_string());
                }
            }
            _ => {}
        }
    }
    if propagations.is_empty() && attached.is_empty() {
        return;
    }
    let live_vgws: BTreeMap<(String, String), Vec<String>> = v
        .live
        .iter()
        .filter(|r| TABLES.contains(&r.rtype.as_str()) && r.attributes.contains_key("propagating_vgws"))
        .map(|r| ((r.rtype.clone(), r.id.clone()), strings(r.attr("propagating_vgws"))))
        .collect();
    let live_vpc: BTreeMap<String, Value> = v
        .live
        .iter()
        .filter(|r| r.rtype == "aws_vpn_gateway" && attached.contains(&r.id))
        .filter_map(|r| Some((r.id.clone(), r.attributes.get("vpc_id")?.clone())))
        .collect();
    for r in v.state.iter_mut() {
        if TABLES.contains(&r.rtype.as_str()) {
            let Some(owned) = propagations.get(&r.id) else { continue };
            let Some(live) = live_vgws.get(&(r.rtype.clone(), r.id.clone())) else { continue };
            if !r.attributes.contains_key("propagating_vgws") {
                continue;
            }
            // Gateways no propagation resource owns stay as the state has them.
            let mut expected: Vec<String> =
                strings(r.attr("propagating_vgws")).into_iter().filter(|g| !owned.contains(g)).collect();
            expected.extend(live.iter().filter(|g| owned.contains(*g)).cloned());
            expected.sort();
            expected.dedup();
            r.set("propagating_vgws", Value::string_list(expected));
        } else if r.rtype == "aws_vpn_gateway" {
            if let Some(vpc) = live_vpc.get(&r.id) {
                if r.attributes.contains_key("vpc_id") || !vpc.as_str().unwrap_or_default().is_empty() {
                    r.set("vpc_id", vpc.clone());
                }
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::{Origin, Resource};

    fn state(rtype: &str, id: &str, attrs: &[(&str, Value)]) -> Resource {
        let mut r = Resource {
            rtype: rtype.into(),
            id: id.into(),
            address: Some(format!("{rtype}.x")),
            region: None,
            attributes: Default::default(),
            origin: Origin::State { file: "s".into(), index: 0 },
            aws_default: false,
        };
        for (k, v) in attrs {
            r.set(k, v.clone());
        }
        r
    }

    fn live(rtype: &str, id: &str, attrs: &[(&str, Value)]) -> Resource {
        let mut r = Resource::live(rtype, id, "us-east-1", "1", None);
        for (k, v) in attrs {
            r.set(k, v.clone());
        }
        r
    }

    #[test]
    fn owned_propagations_are_expected_as_live_has_them_and_hand_made_ones_stay_visible() {
        let mut v = Views {
            state: vec![
                state("aws_route_table", "rtb-1", &[("propagating_vgws", Value::string_list::<&str>([]))]),
                state(
                    "aws_vpn_gateway_route_propagation",
                    "vgw-1_rtb-1",
                    &[("route_table_id", "rtb-1".into()), ("vpn_gateway_id", "vgw-1".into())],
                ),
            ],
            live: vec![live(
                "aws_route_table",
                "rtb-1",
                &[("propagating_vgws", Value::string_list(["vgw-1", "vgw-hand"]))],
            )],
        };
        apply(&mut v);
        assert_eq!(v.state[0].attr("propagating_vgws"), &Value::string_list(["vgw-1"]));
        let once = v.clone();
        apply(&mut v);
        assert_eq!(v.state, once.state, "idempotent");
    }

    #[test]
    fn an_owned_attachment_is_expected_on_its_gateway() {
        let mut v = Views {
            state: vec![
                state("aws_vpn_gateway", "vgw-1", &[("vpc_id", "".into())]),
                state("aws_vpn_gateway_attachment", "vpn-attachment-1", &[("vpn_gateway_id", "vgw-1".into())]),
                state("aws_vpn_gateway", "vgw-2", &[("vpc_id", "vpc-a".into())]),
            ],
            live: vec![
                live("aws_vpn_gateway", "vgw-1", &[("vpc_id", "vpc-9".into())]),
                live("aws_vpn_gateway", "vgw-2", &[("vpc_id", "vpc-b".into())]),
            ],
        };
        apply(&mut v);
        assert_eq!(v.state[0].attr_str("vpc_id"), Some("vpc-9"));
        assert_eq!(v.state[2].attr_str("vpc_id"), Some("vpc-a"), "no attachment resource: drift stays");
    }
}

//! What an Auto Scaling group's own attributes repeat of the parts Terraform manages
//! separately. The provider's group read lists every target group (`target_group_arns`),
//! classic load balancer (`load_balancers`), traffic source (`traffic_source`) and tag
//! (`tag`) of the group, whichever resource attached it; in state the group's copy was read
//! before its `aws_autoscaling_attachment`, `aws_autoscaling_traffic_source_attachment` and
//! `aws_autoscaling_group_tag` resources made theirs, so every refresh shows it catching up.
//! As with a security group's rule resources: what those resources own is expected on the
//! group as AWS has it (a changed tag value is drift on the `aws_autoscaling_group_tag`,
//! reported once; an owned attachment gone is reported on its own resource), and anything
//! else on the group is the group's drift.
//!
//! And `aws_autoscaling_notification`: the provider reads a topic's notifications for the
//! groups its state names only; live lists every group notifying the topic, so the live
//! `group_names` keeps the state's groups that AWS still has (a group removed is drift; a
//! group added by hand is invisible to Terraform, and reported as nothing).

use std::collections::{BTreeMap, BTreeSet};

use super::{Pass, Views};
use crate::model::Value;

pub const PASS: Pass = Pass {
    name: "autoscaling_parts",
    why: "an Auto Scaling group lists the attachments and tags separate resources manage",
    apply,
};

#[derive(Default)]
struct Owned {
    target_groups: BTreeSet<String>,
    load_balancers: BTreeSet<String>,
    /// `(type, identifier)`
    traffic_sources: BTreeSet<(String, String)>,
    tag_keys: BTreeSet<String>,
}

fn apply(v: &mut Views) {
    let mut owned: BTreeMap<String, Owned> = BTreeMap::new();
    for r in &v.state {
        let Some(group) = r.attr_str("autoscaling_group_name").filter(|g| !g.is_empty()) else { continue };
        match r.rtype.as_str() {
            "aws_autoscaling_attachment" => {
                let entry = owned.entry(group.to_string()).or_default();
                if let Some(tg) = r.attr_str("lb_target_group_arn").filter(|s| !s.is_empty()) {
                    entry.target_groups.insert(tg.to_string());
                    entry.traffic_sources.insert(("elbv2".into(), tg.to_string()));
                }
                if let Some(elb) = r.attr_str("elb").filter(|s| !s.is_empty()) {
                    entry.load_balancers.insert(elb.to_string());
                    entry.traffic_sources.insert(("elb".into(), elb.to_string()));
                }
            }
            "aws_autoscaling_traffic_source_attachment" => {
                let ts = r.attr("traffic_source");
                if let (Some(kind), Some(id)) =
                    (ts.get("type").and_then(Value::as_str), ts.get("identifier").and_then(Value::as_str))
                {
                    let entry = owned.entry(group.to_string()).or_default();
                    entry.traffic_sources.insert((kind.to_string(), id.to_string()));
                    match kind {
                        "elbv2" => entry.target_groups.insert(id.to_string()),
                        "elb" => entry.load_balancers.insert(id.to_string()),
                        _ => false,
                    };
                }
            }
            "aws_autoscaling_group_tag" => {
                if let Some(key) = r.attr("tag").get("key").and_then(Value::as_str) {
                    owned.entry(group.to_string()).or_default().tag_keys.insert(key.to_string());
                }
            }
            _ => {}
        }
    }
    if !owned.is_empty() {
        expect_owned_parts(v, &owned);
    }
    notification_groups(v);
}

fn expect_owned_parts(v: &mut Views, owned: &BTreeMap<String, Owned>) {
    let live: BTreeMap<&str, &crate::model::Resource> =
        v.live.iter().filter(|r| r.rtype == "aws_autoscaling_group").map(|r| (r.id.as_str(), r)).collect();
    for g in v.state.iter_mut().filter(|r| r.rtype == "aws_autoscaling_group") {
        let Some(o) = owned.get(&g.id) else { continue };
        let l = live.get(g.id.as_str()).copied();
        let string_in = |set: &BTreeSet<String>, e: &Value| e.as_str().is_some_and(|s| set.contains(s));
        let source = |e: &Value| -> Option<(String, String)> {
            Some((e.get("type")?.as_str()?.to_string(), e.get("identifier")?.as_str()?.to_string()))
        };
        let tag_key = |e: &Value| e.get("key").and_then(Value::as_str).is_some_and(|k| o.tag_keys.contains(k));
        let parts: [(&str, &dyn Fn(&Value) -> bool); 4] = [
            ("target_group_arns", &|e| string_in(&o.target_groups, e)),
            ("load_balancers", &|e| string_in(&o.load_balancers, e)),
            ("traffic_source", &|e| source(e).is_some_and(|k| o.traffic_sources.contains(&k))),
            ("tag", &tag_key),
        ];
        for (attr, is_owned) in parts {
            let Some(Value::List(state_elems)) = g.attributes.get(attr) else { continue };
            let live_elems = l.and_then(|l| l.attr(attr).as_list()).unwrap_or(&[]);
            g.set(attr, merge(state_elems, live_elems, is_owned));
        }
    }
}

/// The state's elements no separate resource owns, and the live elements one does.
fn merge(state: &[Value], live: &[Value], is_owned: &dyn Fn(&Value) -> bool) -> Value {
    let mut out: Vec<Value> = state.iter().filter(|e| !is_owned(e)).cloned().collect();
    out.extend(live.iter().filter(|e| is_owned(e)).cloned());
    out.sort_by_cached_key(Value::canonical);
    out.dedup();
    Value::List(out)
}

/// A notification's live `group_names`: the state's groups that AWS still has.
fn notification_groups(v: &mut Views) {
    let named: BTreeMap<String, BTreeSet<String>> = v
        .state
        .iter()
        .filter(|r| r.rtype == "aws_autoscaling_notification")
        .map(|r| {
            let groups = r.attr("group_names").as_list().unwrap_or(&[]).iter().filter_map(Value::as_str);
            (r.id.clone(), groups.map(str::to_string).collect())
        })
        .collect();
    for l in v.live.iter_mut().filter(|r| r.rtype == "aws_autoscaling_notification") {
        let Some(named) = named.get(&l.id) else { continue };
        let Some(Value::List(groups)) = l.attributes.get("group_names") else { continue };
        let kept: Vec<Value> =
            groups.iter().filter(|g| g.as_str().is_some_and(|g| named.contains(g))).cloned().collect();
        l.set("group_names", Value::List(kept));
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::{Origin, Resource};

    const TG: &str = "arn:aws:elasticloadbalancing:us-east-1:1:targetgroup/web/abc";
    const TG2: &str = "arn:aws:elasticloadbalancing:us-east-1:1:targetgroup/other/def";

    fn state(rtype: &str, id: &str) -> Resource {
        let mut r = Resource::live(rtype, id, "us-east-1", "1", None);
        r.origin = Origin::State { file: "t".into(), index: 0 };
        r.address = Some(format!("{rtype}.this"));
        r
    }

    fn tag(k: &str, v: &str) -> Value {
        Value::object([("key", Value::str(k)), ("value", Value::str(v)), ("propagate_at_launch", Value::Bool(true))])
    }

    #[test]
    fn owned_attachments_and_tags_are_expected_as_aws_has_them() {
        // Read before the attachment and the tag resource made theirs.
        let group = state("aws_autoscaling_group", "web")
            .with("target_group_arns", Value::List(vec![]))
            .with("load_balancers", Value::List(vec![]))
            .with("traffic_source", Value::List(vec![]))
            .with("tag", Value::List(vec![tag("Name", "web")]));
        let attachment = state("aws_autoscaling_attachment", "web/x")
            .with("autoscaling_group_name", "web")
            .with("lb_target_group_arn", TG)
            .with("elb", "");
        let team = state("aws_autoscaling_group_tag", "web,Team")
            .with("autoscaling_group_name", "web")
            .with("tag", Value::block([("key", Value::str("Team")), ("value", Value::str("a"))]));
        let live = Resource::live("aws_autoscaling_group", "web", "us-east-1", "1", None)
            .with("target_group_arns", Value::string_list([TG, TG2]))
            .with("load_balancers", Value::List(vec![]))
            .with(
                "traffic_source",
                Value::List(vec![
                    Value::object([("identifier", Value::str(TG)), ("type", Value::str("elbv2"))]),
                    Value::object([("identifier", Value::str(TG2)), ("type", Value::str("elbv2"))]),
                ]),
            )
            .with("tag", Value::List(vec![tag("Name", "web"), tag("Team", "b")]));
        let mut v = Views { state: vec![group, attachment, team], live: vec![live] };
        apply(&mut v);
        let g = &v.state[0];
        // The owned target group is expected; the one attached by hand (TG2) stays drift.
        assert_eq!(g.attr("target_group_arns"), &Value::string_list([TG]));
        assert_eq!(
            g.attr("traffic_source"),
            &Value::List(vec![Value::object([("identifier", Value::str(TG)), ("type", Value::str("elbv2"))])])
        );
        // The owned tag is expected as AWS has it (its value's drift is the tag resource's).
        assert_eq!(g.attr("tag"), &Value::List(vec![tag("Name", "web"), tag("Team", "b")]));
        let once = v.clone();
        apply(&mut v);
        assert_eq!(v.state, once.state);
    }

    #[test]
    fn notification_groups_are_the_states() {
        let topic = "arn:aws:sns:us-east-1:1:t";
        let s = state("aws_autoscaling_notification", topic).with("group_names", Value::string_list(["a", "b"]));
        let l = Resource::live("aws_autoscaling_notification", topic, "us-east-1", "1", None)
            .with("group_names", Value::string_list(["a", "c"]));
        let mut v = Views { state: vec![s], live: vec![l] };
        apply(&mut v);
        assert_eq!(v.live[0].attr("group_names"), &Value::string_list(["a"]), "c is not Terraform's; b is gone");
    }
}

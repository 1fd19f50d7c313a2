//! A role's `managed_policy_arns` and `inline_policy` list every attached and inline policy,
//! those managed as separate `aws_iam_role_policy_attachment` / `aws_iam_role_policy`
//! resources included. The role's copy in state is stale by design: it was read when the
//! role was created, before those resources existed, and every refresh-only plan shows it
//! catching up. When such resources in state own parts of a role, the role's state copy is
//! replaced by what they own (as `sg_rules` does for a security group's rule resources):
//!
//! - an owned part still live is expected on the role as it is live (a change to its
//!   document is reported on the `aws_iam_role_policy`, not twice);
//! - an owned part gone live is reported missing on its own resource, not on the role;
//! - anything else on the role live (attached or put by hand) is drift on the role.

use std::collections::{BTreeMap, BTreeSet};

use super::{Pass, Views};
use crate::model::Value;

pub const PASS: Pass = Pass {
    name: "iam_role_parts",
    why: "a role's managed_policy_arns and inline_policy are stale copies when attachments and inline policies are separate resources",
    apply,
};

fn apply(v: &mut Views) {
    // Owned parts per role name: attached policy ARNs and inline policy names.
    let mut arns: BTreeMap<String, BTreeSet<String>> = BTreeMap::new();
    let mut inline: BTreeMap<String, BTreeSet<String>> = BTreeMap::new();
    for r in &v.state {
        let Some(role) = r.attr_str("role") else { continue };
        match r.rtype.as_str() {
            "aws_iam_role_policy_attachment" => {
                if let Some(a) = r.attr_str("policy_arn") {
                    arns.entry(role.to_string()).or_default().insert(a.to_string());
                }
            }
            "aws_iam_role_policy" => {
                if let Some(n) = r.attr_str("name") {
                    inline.entry(role.to_string()).or_default().insert(n.to_string());
                }
            }
            _ => {}
        }
    }
    if arns.is_empty() && inline.is_empty() {
        return;
    }
    let live: BTreeMap<&str, &BTreeMap<String, Value>> =
        v.live.iter().filter(|r| r.rtype == "aws_iam_role").map(|r| (r.id.as_str(), &r.attributes)).collect();
    for r in v.state.iter_mut().filter(|r| r.rtype == "aws_iam_role") {
        let name = r.attr_str("name").unwrap_or(&r.id).to_string();
        let live_role = live.get(r.id.as_str());
        if let Some(owned) = arns.get(&name) {
            if let Some(Value::List(state_arns)) = r.attributes.get("managed_policy_arns") {
                let live_arns: Vec<&Value> = match live_role.and_then(|l| l.get("managed_policy_arns")) {
                    Some(Value::List(l)) => l.iter().collect(),
                    _ => Vec::new(),
                };
                let is_owned = |x: &Value| x.as_str().is_some_and(|s| owned.contains(s));
                let mut expected: Vec<Value> = state_arns.iter().filter(|x| !is_owned(x)).cloned().collect();
                expected.extend(live_arns.into_iter().filter(|x| is_owned(x)).cloned());
                expected.sort_by_cached_key(Value::canonical);
                expected.dedup();
                r.set("managed_policy_arns", Value::List(expected));
            }
        }
        if let Some(owned) = inline.get(&name) {
            if let Some(Value::List(state_inline)) = r.attributes.get("inline_policy") {
                let name_of = |e: &Value| e.get("name").and_then(Value::as_str).unwrap_or_default().to_string();
                let live_inline: Vec<&Value> = match live_role.and_then(|l| l.get("inline_policy")) {
                    Some(Value::List(l)) => l.iter().collect(),
                    _ => Vec::new(),
                };
                let mut expected: Vec<Value> =
                    state_inline.iter().filter(|e| !owned.contains(&name_of(e))).cloned().collect();
                expected.extend(live_inline.into_iter().filter(|e| owned.contains(&name_of(e))).cloned());
                expected.sort_by_cached_key(Value::canonical);
                r.set("inline_policy", Value::List(expected));
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::{Origin, Resource};

    const EKS: &str = "arn:aws:iam::aws:policy/AmazonEKSWorkerNodePolicy";
    const ADMIN: &str = "arn:aws:iam::aws:policy/AdministratorAccess";

    fn inline(name: &str, doc: &str) -> Value {
        Value::object([("name", name.into()), ("policy", doc.into())])
    }

    fn role(state: bool, arns: &[&str], inl: Vec<Value>) -> Resource {
        let mut r = Resource::live("aws_iam_role", "node", "us-east-1", "1", None)
            .with("name", "node")
            .with("managed_policy_arns", Value::string_list(arns.iter().copied()))
            .with("inline_policy", Value::List(inl));
        if state {
            r.origin = Origin::State { file: "t".into(), index: 0 };
        }
        r
    }

    fn part(rtype: &str, k: &str, v: &str) -> Resource {
        let mut r = Resource::live(rtype, "x", "us-east-1", "1", None).with("role", "node").with(k, v);
        r.origin = Origin::State { file: "t".into(), index: 0 };
        r
    }

    #[test]
    fn owned_parts_are_expected_only_hand_made_ones_show() {
        let empty = Vec::new;
        let mut v = Views {
            state: vec![
                // Read at creation: nothing attached yet.
                role(true, &[], empty()),
                part("aws_iam_role_policy_attachment", "policy_arn", EKS),
                part("aws_iam_role_policy", "name", "logs"),
            ],
            live: vec![role(false, &[ADMIN, EKS], vec![inline("logs", "{\"edited\":1}")])],
        };
        apply(&mut v);
        let s = &v.state[0];
        assert_eq!(s.attr("managed_policy_arns"), &Value::string_list([EKS]));
        assert_eq!(s.attr("inline_policy"), &Value::List(vec![inline("logs", "{\"edited\":1}")]));
        // The diff then shows only AdministratorAccess, attached by hand.
        let changes = crate::diff::compare(&v.state[0], &v.live[0]);
        assert_eq!(changes.len(), 1, "{changes:?}");
        assert_eq!(changes[0].added, Some(vec![Value::str(ADMIN)]));
    }

    #[test]
    fn gone_owned_parts_are_not_removed_from_the_role() {
        let mut v = Views {
            state: vec![role(true, &[EKS], vec![inline("logs", "{}")]), part("aws_iam_role_policy", "name", "logs")],
            live: vec![role(false, &[EKS], vec![])],
        };
        apply(&mut v);
        assert_eq!(v.state[0].attr("inline_policy"), &Value::List(vec![]));
        assert!(crate::diff::compare(&v.state[0], &v.live[0]).is_empty());
    }
}

//! `aws_iam_policy`: not read live yet; its view serves `plumb check` and state.

use crate::aws::view::*;
use crate::aws::{ResourceType, ViewDef};
use crate::model::{Resource, View};
use serde_json::Value as J;

pub static TYPE: ResourceType = ResourceType { view: Some(&VIEW), ..ResourceType::base("aws_iam_policy", "iam") };

pub static VIEW: ViewDef = ViewDef { kind: "iam_policy", build: |rs, v| each(rs, POLICY_TYPES, v, iam_policy) };

/// Every type holding a policy document judged in this view.
const POLICY_TYPES: &[&str] = &["aws_iam_policy", "aws_iam_role_policy", "aws_iam_user_policy", "aws_iam_group_policy"];

/// Principals a policy or attachment applies to.
pub(super) fn principals(o: &mut Obj, r: &Resource, view: View) {
    let one = |k: &str| match attr(r, k, view).string(None) {
        Ok(Some(s)) => Ok(vec![s]),
        Ok(None) => Ok(vec![]),
        Err(()) => Err(()),
    };
    for (field, single, many) in [("users", "user", "users"), ("roles", "role", "roles"), ("groups", "group", "groups")]
    {
        let v = if r.rtype == "aws_iam_policy_attachment" {
            attr(r, many, view).strings()
        } else if r.attributes.contains_key(single) || view != View::Live {
            one(single)
        } else {
            Ok(vec![])
        };
        match v {
            Ok(v) => o.put(field, v),
            Err(()) => o.unknown(field),
        };
    }
}

fn iam_policy(r: &Resource, view: View) -> JoinedView {
    let mut o = head("iam_policy", r, view);
    if let Ok(Some(n)) = attr(r, "name", view).string(None) {
        o.put("name", n);
    }
    principals(&mut o, r, view);
    o.put("inline", r.rtype != "aws_iam_policy");
    match parse_policy(attr(r, "policy", view)) {
        Ok(d) => {
            let admin = d.as_ref().map(grants_admin).unwrap_or(false);
            o.put("document", d.unwrap_or(J::Null)).put("admin", admin);
        }
        Err(()) => {
            o.unknown("document").unknown("admin");
        }
    }
    joined("iam_policy", r, o)
}

/// An `Allow` of every action (`*`, `*:*`) on every resource (`*`).
fn grants_admin(doc: &J) -> bool {
    statements(doc).iter().any(|s| {
        let allow = s.get("Effect").and_then(J::as_str) == Some("Allow");
        let actions = list_of(s.get("Action")).iter().any(|a| matches!(a.as_str(), Some("*" | "*:*")));
        let resources = list_of(s.get("Resource")).iter().any(|a| a.as_str() == Some("*"));
        allow && actions && resources
    })
}

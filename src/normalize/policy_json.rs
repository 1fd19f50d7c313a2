//! Policy documents (`policy` on buckets, keys and IAM policies, a role's
//! `assume_role_policy` and its `inline_policy[].policy`) are JSON strings: AWS reorders keys,
//! changes whitespace, turns one-element lists into scalars and URL-encodes IAM documents.
//! Compare them as policies by rewriting both sides to one canonical text
//! ([`crate::model::policy::canonical`], the provider's equivalence rules).

use super::{Pass, Views};
use crate::model::Value;
use crate::model::policy::canonical;

pub const PASS: Pass = Pass { name: "policy_json", why: "policy documents are compared as policies, not text", apply };

/// Attributes that hold IAM policy documents.
const POLICY_ATTRS: &[&str] = &["policy", "assume_role_policy"];

/// Blocks whose elements hold a policy document in `policy` (a role's inline policies).
const POLICY_BLOCKS: &[&str] = &["inline_policy"];

fn apply(v: &mut Views) {
    for r in v.state.iter_mut().chain(v.live.iter_mut()) {
        for a in POLICY_ATTRS {
            if let Some(Value::String(s)) = r.attributes.get_mut(*a) {
                canonicalise(s);
            }
        }
        for b in POLICY_BLOCKS {
            if let Some(Value::List(elems)) = r.attributes.get_mut(*b) {
                for e in elems {
                    if let Some(Value::String(s)) = e.as_map_mut().and_then(|m| m.get_mut("policy")) {
                        canonicalise(s);
                    }
                }
            }
        }
    }
}

fn canonicalise(s: &mut String) {
    if let Some(c) = canonical(s) {
        *s = c;
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::Resource;

    #[test]
    fn role_documents_and_inline_policies_are_canonical() {
        let doc = r#"{"Statement":{"Effect":"Allow","Action":"s3:GetObject","Resource":"*"}}"#;
        let mut r = Resource::live("aws_iam_role", "r", "us-east-1", "1", None)
            .with("assume_role_policy", doc)
            .with("inline_policy", Value::List(vec![Value::object([("name", "p".into()), ("policy", doc.into())])]));
        let mut v = Views { state: vec![], live: vec![r.clone()] };
        apply(&mut v);
        let want = canonical(doc).unwrap();
        assert_eq!(v.live[0].attr_str("assume_role_policy"), Some(want.as_str()));
        assert_eq!(v.live[0].attr("inline_policy").as_list().unwrap()[0].get("policy"), Some(&Value::String(want)));
        // Idempotent.
        r = v.live[0].clone();
        apply(&mut v);
        assert_eq!(v.live[0], r);
    }
}

//! Policy documents (`policy` on buckets and keys) are JSON strings: AWS reorders keys,
//! changes whitespace and turns one-element lists into scalars. Compare them as JSON by
//! rewriting both sides to one canonical text.

use super::{Pass, Views};
use crate::model::Value;

pub const PASS: Pass = Pass { name: "policy_json", why: "policy documents are compared as JSON, not text", apply };

/// Attributes that hold IAM policy documents.
const POLICY_ATTRS: &[&str] = &["policy"];

/// IAM keys whose one-element list equals the scalar.
const SCALAR_OR_LIST: &[&str] =
    &["Action", "NotAction", "Resource", "NotResource", "AWS", "Service", "Federated", "CanonicalUser"];

fn apply(v: &mut Views) {
    for r in v.state.iter_mut().chain(v.live.iter_mut()) {
        for a in POLICY_ATTRS {
            if let Some(Value::String(s)) = r.attributes.get(*a) {
                if let Some(c) = canonical(s) {
                    r.attributes.insert(a.to_string(), Value::String(c));
                }
            }
        }
    }
}

/// Canonical text of a policy document, or None when it is not JSON.
pub fn canonical(s: &str) -> Option<String> {
    let mut v: serde_json::Value = serde_json::from_str(s).ok()?;
    simplify(&mut v, None);
    // serde_json keeps insertion order (`preserve_order`, see Cargo.toml): sort explicitly.
    v.sort_all_objects();
    Some(serde_json::to_string(&v).expect("json serialises"))
}

fn simplify(v: &mut serde_json::Value, key: Option<&str>) {
    match v {
        serde_json::Value::Object(m) => {
            for (k, child) in m.iter_mut() {
                simplify(child, Some(k.as_str()));
            }
        }
        serde_json::Value::Array(a) => {
            for child in a.iter_mut() {
                simplify(child, None);
            }
            if key.is_some_and(|k| SCALAR_OR_LIST.contains(&k)) {
                a.sort_by_key(|x| x.to_string());
                if a.len() == 1 {
                    *v = a.remove(0);
                }
            }
        }
        _ => {}
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn equivalent_policies_are_equal() {
        let a = r#"{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":["s3:GetObject"],"Resource":"arn:aws:s3:::b/*","Principal":{"AWS":["arn:aws:iam::1:root"]}}]}"#;
        let b = r#"{ "Statement": [ { "Principal": {"AWS": "arn:aws:iam::1:root"}, "Resource": ["arn:aws:s3:::b/*"], "Action": "s3:GetObject", "Effect": "Allow" } ], "Version": "2012-10-17" }"#;
        assert_eq!(canonical(a), canonical(b));
        assert_eq!(canonical("not json"), None);
    }
}

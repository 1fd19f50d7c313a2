//! IAM policy documents compared as policies, not as text: one canonical text per
//! equivalence class, shared by the `policy_json` normaliser (state against live) and the
//! CloudTrail writes of the policy events (a request's document against the live one).
//!
//! The equivalence is the provider's (`awspolicyequivalence`, which decides whether a
//! refreshed document is a change): statement order does not matter and a lone statement
//! equals a one-element list; `Action`, `NotAction`, `Resource`, `NotResource`, principal
//! lists and condition values are sets, a string equals its one-element list; an empty `Sid`
//! is no `Sid`; `Effect` is case-insensitive; a 12-digit account principal equals its
//! `arn:aws:iam::ACCOUNT:root`. IAM returns documents URL-encoded; they are decoded first.

use serde_json::{Map, Value as J};

/// Statement keys whose value is a set of strings.
const STRING_SETS: &[&str] = &["Action", "NotAction", "Resource", "NotResource"];

/// Canonical text of a policy document (plain or URL-encoded JSON), or None when it is not
/// JSON.
pub fn canonical(s: &str) -> Option<String> {
    let decoded;
    let text = if s.trim_start().starts_with(['{', '[']) {
        s
    } else {
        decoded = decode(s)?;
        &decoded
    };
    let mut v: J = serde_json::from_str(text).ok()?;
    if let Some(doc) = v.as_object_mut() {
        if let Some(st) = doc.get_mut("Statement") {
            let mut list = match st.take() {
                J::Array(a) => a,
                J::Null => Vec::new(),
                one => vec![one],
            };
            for s in &mut list {
                if let Some(m) = s.as_object_mut() {
                    statement(m);
                }
                s.sort_all_objects();
            }
            list.sort_by_cached_key(|s| s.to_string());
            *st = J::Array(list);
        }
    }
    // serde_json keeps insertion order (`preserve_order`, see Cargo.toml): sort explicitly.
    v.sort_all_objects();
    serde_json::to_string(&v).ok()
}

fn statement(m: &mut Map<String, J>) {
    if m.get("Sid").is_some_and(|s| s.as_str() == Some("") || s.is_null()) {
        m.remove("Sid");
    }
    if let Some(J::String(e)) = m.get_mut("Effect") {
        for canon in ["Allow", "Deny"] {
            if e.eq_ignore_ascii_case(canon) {
                *e = canon.to_string();
            }
        }
    }
    for k in STRING_SETS {
        set_field(m, k, false);
    }
    for k in ["Principal", "NotPrincipal"] {
        if let Some(J::Object(p)) = m.get_mut(k) {
            let keys: Vec<String> = p.keys().cloned().collect();
            for kk in keys {
                set_field(p, &kk, true);
            }
        }
    }
    if let Some(J::Object(c)) = m.get_mut("Condition") {
        for ops in c.values_mut() {
            if let J::Object(ops) = ops {
                let keys: Vec<String> = ops.keys().cloned().collect();
                for k in keys {
                    set_field(ops, &k, false);
                }
            }
        }
    }
}

/// `m[k]` as a set of strings: sorted, deduplicated, a lone element as a string, an empty
/// set removed. Scalars that are not strings (`true` in a condition) become strings, as IAM
/// returns them.
fn set_field(m: &mut Map<String, J>, k: &str, principal: bool) {
    let Some(v) = m.get_mut(k) else { return };
    let mut items: Vec<J> = match v.take() {
        J::Array(a) => a,
        one => vec![one],
    };
    for x in &mut items {
        match x {
            J::Bool(b) => *x = J::String(b.to_string()),
            J::Number(n) => *x = J::String(n.to_string()),
            J::String(s) if principal && s.len() == 12 && s.bytes().all(|b| b.is_ascii_digit()) => {
                *x = J::String(format!("arn:aws:iam::{s}:root"));
            }
            _ => {}
        }
    }
    items.retain(|x| !x.is_null());
    items.sort_by_cached_key(|x| x.to_string());
    items.dedup();
    match items.len() {
        0 => {
            m.remove(k);
        }
        1 => *v = items.remove(0),
        _ => *v = J::Array(items),
    }
}

/// `%XX` escapes and `+` (space), as Go's `url.QueryUnescape` (the provider's decoding of
/// IAM documents); None on a malformed escape or a result that is not UTF-8.
pub fn decode(s: &str) -> Option<String> {
    let bytes = s.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        match bytes[i] {
            b'%' => {
                let hex = std::str::from_utf8(bytes.get(i + 1..i + 3)?).ok()?;
                out.push(u8::from_str_radix(hex, 16).ok()?);
                i += 3;
            }
            b'+' => {
                out.push(b' ');
                i += 1;
            }
            b => {
                out.push(b);
                i += 1;
            }
        }
    }
    String::from_utf8(out).ok()
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

    #[test]
    fn the_providers_equivalence_rules() {
        // A lone statement equals a one-element list; statement order does not matter.
        let one = r#"{"Version":"2012-10-17","Statement":{"Effect":"Allow","Action":"sts:AssumeRole","Principal":{"Service":"ec2.amazonaws.com"}}}"#;
        let list = r#"{"Version":"2012-10-17","Statement":[{"Sid":"","Effect":"allow","Action":["sts:AssumeRole"],"Principal":{"Service":["ec2.amazonaws.com"]}}]}"#;
        assert_eq!(canonical(one), canonical(list));
        let ab = r#"{"Statement":[{"Effect":"Allow","Action":"a:*","Resource":"*"},{"Effect":"Deny","Action":"b:*","Resource":"*"}]}"#;
        let ba = r#"{"Statement":[{"Effect":"Deny","Action":"b:*","Resource":"*"},{"Effect":"Allow","Action":["a:*"],"Resource":["*"]}]}"#;
        assert_eq!(canonical(ab), canonical(ba));
        // Sets: order and repeats do not matter; condition values too, and `true` == "true".
        let c1 = r#"{"Statement":[{"Effect":"Deny","Action":["s3:*"],"Resource":["b","a","a"],"Condition":{"Bool":{"aws:SecureTransport":false},"StringEquals":{"k":["y","x"]}}}]}"#;
        let c2 = r#"{"Statement":[{"Effect":"Deny","Action":"s3:*","Resource":["a","b"],"Condition":{"Bool":{"aws:SecureTransport":"false"},"StringEquals":{"k":["x","y"]}}}]}"#;
        assert_eq!(canonical(c1), canonical(c2));
        // An account id principal is its root ARN.
        let id = r#"{"Statement":[{"Effect":"Allow","Principal":{"AWS":"123456789012"},"Action":"sts:AssumeRole"}]}"#;
        let arn = r#"{"Statement":[{"Effect":"Allow","Principal":{"AWS":["arn:aws:iam::123456789012:root"]},"Action":"sts:AssumeRole"}]}"#;
        assert_eq!(canonical(id), canonical(arn));
        // Real differences stay.
        let widened = r#"{"Statement":[{"Effect":"Allow","Principal":{"AWS":"*"},"Action":"sts:AssumeRole"}]}"#;
        assert_ne!(canonical(id), canonical(widened));
        assert_ne!(canonical(ab), canonical(r#"{"Statement":[{"Effect":"Allow","Action":"a:*","Resource":"*"}]}"#));
        // "*" as a string is not `{"AWS": "*"}` (the provider does not equate them either).
        let star = r#"{"Statement":[{"Effect":"Allow","Principal":"*","Action":"s3:GetObject"}]}"#;
        let aws_star = r#"{"Statement":[{"Effect":"Allow","Principal":{"AWS":"*"},"Action":"s3:GetObject"}]}"#;
        assert_ne!(canonical(star), canonical(aws_star));
    }

    #[test]
    fn url_encoded_documents_as_iam_returns_them() {
        let encoded = "%7B%22Version%22%3A%20%222012-10-17%22%2C%20%22Statement%22%3A%20%7B%22Effect%22%3A%20%22Allow%22%2C%20%22Action%22%3A%20%22s3%3AGetObject%22%2C%20%22Resource%22%3A%20%22%2A%22%7D%7D";
        let plain =
            r#"{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":["s3:GetObject"],"Resource":"*"}]}"#;
        assert_eq!(canonical(encoded), canonical(plain));
        assert_eq!(decode("a+b%2Bc"), Some("a b+c".to_string()));
        assert_eq!(decode("%7"), None);
        assert_eq!(decode("%FF"), None);
        assert_eq!(canonical("%zz"), None);
    }
}

//! `data "aws_iam_policy_document"`: rendered to the JSON the AWS provider (v5) produces, so
//! that policies built from it are judged before apply like any literal policy.
//!
//! What the provider does, checked against documents rendered with provider 5.100.0
//! (`terraform apply` of data sources only; the fixtures are in `testdata/check/policy_document/`):
//! - keys in the order `Version`, `Id`, `Statement`; in a statement `Sid` (omitted when
//!   empty), `Effect` (default `Allow`), `Action`/`NotAction`, `Resource`/`NotResource`,
//!   `Principal`/`NotPrincipal`, `Condition`;
//! - `actions`, `not_actions`, `resources`, `not_resources` and principal `identifiers` are
//!   sets: duplicates dropped, sorted in reverse, a single value as a string;
//! - principals of one type are concatenated across blocks (each block's identifiers in
//!   reverse order); type `*` with identifier `*` alone is `"Principal": "*"`; principal
//!   types and condition operators and keys are sorted;
//! - condition `values` is a list: kept in order, a single value as a string, and two
//!   conditions with the same test and variable merge their values;
//! - `source_policy_documents` first, then the document's own statements, then
//!   `override_policy_documents`: a statement whose `Sid` is already there replaces it in
//!   place, any other is appended;
//! - `json` is indented by two spaces, `minified_json` is not, and `<`, `>`, `&` are
//!   escaped as `\u003c`, `\u003e`, `\u0026` (Go's encoder).

use std::collections::BTreeMap;

use serde_json::{Map, Value as J};

use crate::model::Value;

/// `(json, minified_json)`; `None` when a value the document needs is not known.
pub(crate) fn render(body: &BTreeMap<String, Value>) -> Option<(String, String)> {
    let mut version = J::String("2012-10-17".into());
    let mut id: Option<J> = None;
    let mut statements: Vec<J> = Vec::new();

    for doc in strings(body.get("source_policy_documents"))? {
        merge(&mut version, &mut id, &mut statements, &parse(&doc)?);
    }
    let own_version = string(body.get("version"))?.filter(|v| !v.is_empty());
    let own_id = string(body.get("policy_id"))?.filter(|v| !v.is_empty());
    let mut own = Map::new();
    if let Some(v) = own_version {
        own.insert("Version".into(), J::String(v));
    }
    if let Some(i) = own_id {
        own.insert("Id".into(), J::String(i));
    }
    let mut own_statements = Vec::new();
    for s in blocks(body.get("statement"))? {
        own_statements.push(statement(s)?);
    }
    own.insert("Statement".into(), J::Array(own_statements));
    merge(&mut version, &mut id, &mut statements, &J::Object(own));
    for doc in strings(body.get("override_policy_documents"))? {
        merge(&mut version, &mut id, &mut statements, &parse(&doc)?);
    }

    let mut out = Map::new();
    out.insert("Version".into(), version);
    if let Some(i) = id {
        out.insert("Id".into(), i);
    }
    if !statements.is_empty() {
        out.insert("Statement".into(), J::Array(statements));
    }
    let out = J::Object(out);
    let pretty = serde_json::to_string_pretty(&out).ok()?;
    let minified = serde_json::to_string(&out).ok()?;
    Some((go_escape(&pretty), go_escape(&minified)))
}

/// Go's JSON encoder escapes these three inside strings (they occur nowhere else in JSON).
fn go_escape(s: &str) -> String {
    s.replace('<', "\\u003c").replace('>', "\\u003e").replace('&', "\\u0026")
}

fn parse(doc: &str) -> Option<J> {
    if doc.trim().is_empty() {
        return Some(J::Object(Map::new()));
    }
    serde_json::from_str(doc).ok()
}

/// A statement whose `Sid` is already present replaces it in place; others are appended.
fn merge(version: &mut J, id: &mut Option<J>, statements: &mut Vec<J>, doc: &J) {
    if let Some(v) = doc.get("Version").filter(|v| v.as_str().is_some_and(|s| !s.is_empty())) {
        *version = v.clone();
    }
    if let Some(i) = doc.get("Id").filter(|v| v.as_str().is_some_and(|s| !s.is_empty())) {
        *id = Some(i.clone());
    }
    let incoming: Vec<J> = match doc.get("Statement") {
        Some(J::Array(a)) => a.clone(),
        Some(o @ J::Object(_)) => vec![o.clone()],
        _ => Vec::new(),
    };
    for s in incoming {
        let s = canonical_statement(&s);
        let sid = s.get("Sid").and_then(J::as_str).filter(|s| !s.is_empty()).map(str::to_string);
        match sid.and_then(|sid| statements.iter().position(|x| x.get("Sid").and_then(J::as_str) == Some(&sid))) {
            Some(i) => statements[i] = s,
            None => statements.push(s),
        }
    }
}

/// A statement from JSON with its keys in the provider's order.
fn canonical_statement(s: &J) -> J {
    let Some(m) = s.as_object() else { return s.clone() };
    const ORDER: &[&str] =
        &["Sid", "Effect", "Action", "NotAction", "Resource", "NotResource", "Principal", "NotPrincipal", "Condition"];
    let mut out = Map::new();
    for k in ORDER {
        if let Some(v) = m.get(*k) {
            if *k == "Sid" && v.as_str() == Some("") {
                continue;
            }
            out.insert(k.to_string(), v.clone());
        }
    }
    for (k, v) in m {
        if !ORDER.contains(&k.as_str()) {
            out.insert(k.clone(), v.clone());
        }
    }
    J::Object(out)
}

fn statement(s: &BTreeMap<String, Value>) -> Option<J> {
    let mut out = Map::new();
    if let Some(sid) = string(s.get("sid"))?.filter(|x| !x.is_empty()) {
        out.insert("Sid".into(), J::String(sid));
    }
    let effect = string(s.get("effect"))?.filter(|x| !x.is_empty()).unwrap_or_else(|| "Allow".into());
    out.insert("Effect".into(), J::String(effect));
    for (attr, key) in [
        ("actions", "Action"),
        ("not_actions", "NotAction"),
        ("resources", "Resource"),
        ("not_resources", "NotResource"),
    ] {
        let items = set(strings(s.get(attr))?);
        if !items.is_empty() {
            out.insert(key.into(), one_or_many(items));
        }
    }
    for (attr, key) in [("principals", "Principal"), ("not_principals", "NotPrincipal")] {
        if let Some(p) = principals(blocks(s.get(attr))?)? {
            out.insert(key.into(), p);
        }
    }
    let conditions = blocks(s.get("condition"))?;
    if !conditions.is_empty() {
        // test -> variable -> values, merged for a repeated (test, variable).
        let mut by_test: BTreeMap<String, BTreeMap<String, Vec<String>>> = BTreeMap::new();
        for c in conditions {
            let test = string(c.get("test"))?.unwrap_or_default();
            let variable = string(c.get("variable"))?.unwrap_or_default();
            let values = strings(c.get("values"))?;
            by_test.entry(test).or_default().entry(variable).or_default().extend(values);
        }
        let cond: Map<String, J> = by_test
            .into_iter()
            .map(|(t, vars)| {
                let vars: Map<String, J> = vars
                    .into_iter()
                    .map(|(k, v)| (k, if v.len() == 1 { J::String(v[0].clone()) } else { J::from(v) }))
                    .collect();
                (t, J::Object(vars))
            })
            .collect();
        out.insert("Condition".into(), J::Object(cond));
    }
    Some(J::Object(out))
}

fn principals(blocks: Vec<&BTreeMap<String, Value>>) -> Option<Option<J>> {
    if blocks.is_empty() {
        return Some(None);
    }
    let mut by_type: BTreeMap<String, Vec<String>> = BTreeMap::new();
    for b in &blocks {
        let ty = string(b.get("type"))?.unwrap_or_default();
        let ids = set(strings(b.get("identifiers"))?);
        by_type.entry(ty).or_default().extend(ids);
    }
    if by_type.len() == 1
        && let Some(ids) = by_type.get("*")
        && ids.iter().all(|i| i == "*")
    {
        return Some(Some(J::String("*".into())));
    }
    Some(Some(J::Object(by_type.into_iter().map(|(t, ids)| (t, one_or_many(ids))).collect())))
}

fn one_or_many(items: Vec<String>) -> J {
    if items.len() == 1 { J::String(items[0].clone()) } else { J::from(items) }
}

/// A set of strings as the provider marshals it: distinct, in reverse order.
fn set(mut items: Vec<String>) -> Vec<String> {
    items.sort();
    items.dedup();
    items.reverse();
    items
}

/// A string argument: `Some(None)` when omitted or null, `None` when unknown.
fn string(v: Option<&Value>) -> Option<Option<String>> {
    match v {
        None | Some(Value::Null) => Some(None),
        Some(Value::String(s)) if !s.contains("${") || is_identity_placeholder(s) => Some(Some(s.clone())),
        Some(Value::Number(n)) => Some(Some(n.to_string())),
        Some(Value::Bool(b)) => Some(Some(b.to_string())),
        _ => None,
    }
}

/// A list or set of strings; omitted is empty; `None` when any element is unknown.
fn strings(v: Option<&Value>) -> Option<Vec<String>> {
    match v {
        None | Some(Value::Null) => Some(Vec::new()),
        Some(Value::List(l)) => l.iter().map(|x| string(Some(x))?.or(Some(String::new()))).collect(),
        _ => None,
    }
}

fn blocks(v: Option<&Value>) -> Option<Vec<&BTreeMap<String, Value>>> {
    match v {
        None | Some(Value::Null) => Some(Vec::new()),
        Some(Value::List(l)) => l.iter().map(Value::as_map).collect(),
        _ => None,
    }
}

/// A reference to a computed attribute (`${aws_s3_bucket.x.arn}`) is not known before
/// apply, but the account, partition and region data sources only name where the code runs:
/// an ARN built from them is still an ARN, and the document can be judged.
fn is_identity_placeholder(s: &str) -> bool {
    let mut rest = s;
    let mut any = false;
    while let Some(i) = rest.find("${") {
        let Some(end) = rest[i..].find('}') else { return false };
        let inner = &rest[i + 2..i + end];
        // `data.aws_partition.current.partition`, or the same inside a module
        // (`module.keys.data.aws_partition.current.partition`).
        let tail = match inner.find("data.") {
            Some(0) => inner,
            Some(j) if inner.starts_with("module.") && inner[..j].ends_with('.') => &inner[j..],
            _ => return false,
        };
        if !IDENTITY_DATA.iter().any(|d| tail.starts_with(&format!("data.{d}."))) {
            return false;
        }
        any = true;
        rest = &rest[i + end + 1..];
    }
    any
}

/// Data sources whose values name the account, partition and region a configuration runs
/// in; references to them are kept as placeholders (`${data.aws_partition.current.partition}`).
pub(crate) const IDENTITY_DATA: &[&str] = &["aws_caller_identity", "aws_partition", "aws_region"];

#[cfg(test)]
mod tests {
    use super::*;

    fn s(x: &str) -> Value {
        Value::str(x)
    }

    fn block(fields: &[(&str, Value)]) -> Value {
        Value::Map(fields.iter().map(|(k, v)| (k.to_string(), v.clone())).collect())
    }

    #[test]
    fn unknown_values_make_the_document_unknown() {
        let body = BTreeMap::from([(
            "statement".to_string(),
            Value::List(vec![block(&[("actions", Value::List(vec![Value::Unknown]))])]),
        )]);
        assert_eq!(render(&body), None);
        let body = BTreeMap::from([(
            "statement".to_string(),
            Value::List(vec![block(&[("resources", Value::string_list(["${aws_s3_bucket.b.arn}/*"]))])]),
        )]);
        assert_eq!(render(&body), None, "a reference to a computed attribute is unknown");
    }

    #[test]
    fn identity_data_sources_stay_as_placeholders() {
        assert!(is_identity_placeholder(
            "arn:${data.aws_partition.current.partition}:iam::${data.aws_caller_identity.current.account_id}:root"
        ));
        assert!(is_identity_placeholder("${module.keys[\"a\"].data.aws_caller_identity.current.account_id}"));
        assert!(!is_identity_placeholder("${aws_s3_bucket.b.arn}"));
        assert!(!is_identity_placeholder("${module.x.aws_s3_bucket.data.arn}"));
        assert!(!is_identity_placeholder("plain"));
    }

    #[test]
    fn go_escapes_html_characters() {
        let body = BTreeMap::from([(
            "statement".to_string(),
            Value::List(vec![block(&[("actions", Value::string_list(["a&b"])), ("sid", s("x<y>"))])]),
        )]);
        let (pretty, min) = render(&body).unwrap();
        assert!(pretty.contains("x\\u003cy\\u003e"), "{pretty}");
        assert_eq!(
            min,
            r#"{"Version":"2012-10-17","Statement":[{"Sid":"x\u003cy\u003e","Effect":"Allow","Action":"a\u0026b"}]}"#
        );
    }
}

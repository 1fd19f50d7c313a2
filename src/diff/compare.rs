//! Attribute comparison of one state resource with its live counterpart.

use std::collections::{BTreeMap, BTreeSet};

use super::Change;
use crate::model::{Resource, Value};
use crate::schema::{self, Block, Shape};

/// Attributes never compared: the join key and bookkeeping.
const SKIP: &[&str] = &["id", "tags_all", "timeouts"];

/// Every real difference between a state resource and its live counterpart, sorted by path.
pub fn compare(state: &Resource, live: &Resource) -> Vec<Change> {
    let mut out = Vec::new();
    compare_objects(schema::resource(&state.rtype), "", &state.attributes, &live.attributes, &mut out);
    out.sort_by(|a, b| a.path.cmp(&b.path));
    out
}

fn join(prefix: &str, key: &str) -> String {
    if prefix.is_empty() { key.to_string() } else { format!("{prefix}.{key}") }
}

/// `tags.Owner`, or `tags["cost center"]` when the key is not an identifier.
fn map_key(prefix: &str, key: &str) -> String {
    let ident = !key.is_empty()
        && key.chars().all(|c| c.is_ascii_alphanumeric() || c == '_' || c == '-')
        && !key.starts_with(|c: char| c.is_ascii_digit());
    if ident { format!("{prefix}.{key}") } else { format!("{prefix}[{}]", Value::String(key.to_string())) }
}

fn opaque(v: &Value) -> bool {
    matches!(v, Value::Unknown | Value::Sensitive)
}

fn compare_objects(
    block: Option<&Block>,
    prefix: &str,
    state: &BTreeMap<String, Value>,
    live: &BTreeMap<String, Value>,
    out: &mut Vec<Change>,
) {
    // Only what the live side read: an absent key is Unknown.
    for (key, lv) in live {
        if SKIP.contains(&key.as_str()) {
            continue;
        }
        let Some(sv) = state.get(key) else { continue };
        let (shape, configurable) = match block.and_then(|b| b.member(key)) {
            Some(m) => m,
            None if block.is_some() => continue, // not in the provider schema: not Terraform's
            None => (Shape::Plain { is_map: matches!(lv, Value::Map(_)) }, true),
        };
        if !configurable || opaque(sv) || opaque(lv) {
            continue;
        }
        compare_value(shape, &join(prefix, key), sv, lv, out);
    }
}

fn compare_value(shape: Shape<'_>, path: &str, sv: &Value, lv: &Value, out: &mut Vec<Change>) {
    match shape {
        Shape::Plain { is_map: true } => compare_maps(path, sv, lv, out),
        Shape::Plain { is_map: false } => {
            if !sv.same(lv) && !sv.has_opaque() && !lv.has_opaque() {
                out.push(change(path, sv, lv));
            }
        }
        Shape::Collection { set: false } => {
            // A list of objects (an attribute, not a block) compares element by element
            // like a block list; a list of primitives compares whole.
            let (sp, lp) = project_pair(sv, lv, None);
            match (sp.as_list(), lp.as_list()) {
                (Some(s), Some(l)) if s.len() == l.len() && s.iter().chain(l).all(|e| e.as_map().is_some()) => {
                    for (i, (se, le)) in s.iter().zip(l).enumerate() {
                        compare_objects(None, &format!("{path}[{i}]"), se.as_map().unwrap(), le.as_map().unwrap(), out);
                    }
                }
                _ if !sp.same(&lp) && !sp.has_opaque() && !lp.has_opaque() => out.push(change(path, &sp, &lp)),
                _ => {}
            }
        }
        Shape::Collection { set: true } => compare_sets(path, sv, lv, None, out),
        Shape::Blocks { set: true, block } => compare_sets(path, sv, lv, Some(block), out),
        Shape::Blocks { set: false, block } => {
            let (s, l) = (sv.as_list().unwrap_or(&[]), lv.as_list().unwrap_or(&[]));
            if s.len() == l.len() && !s.is_empty() {
                for (i, (se, le)) in s.iter().zip(l).enumerate() {
                    match (se.as_map(), le.as_map()) {
                        (Some(sm), Some(lm)) => compare_objects(Some(block), &format!("{path}[{i}]"), sm, lm, out),
                        _ if !se.same(le) => out.push(change(&format!("{path}[{i}]"), se, le)),
                        _ => {}
                    }
                }
            } else if !(s.is_empty() && l.is_empty()) {
                let (sp, lp) = project_pair(sv, lv, Some(block));
                if !sp.same(&lp) {
                    out.push(change(path, &sp, &lp));
                }
            }
        }
    }
}

fn compare_maps(path: &str, sv: &Value, lv: &Value, out: &mut Vec<Change>) {
    let empty = BTreeMap::new();
    let (s, l) = (sv.as_map().unwrap_or(&empty), lv.as_map().unwrap_or(&empty));
    if (sv.as_map().is_none() && !sv.is_null()) || (lv.as_map().is_none() && !lv.is_null()) {
        if !sv.same(lv) {
            out.push(change(path, sv, lv));
        }
        return;
    }
    let keys: BTreeSet<&String> = s.keys().chain(l.keys()).collect();
    for k in keys {
        let (a, b) = (s.get(k).unwrap_or(&Value::Null), l.get(k).unwrap_or(&Value::Null));
        if opaque(a) || opaque(b) {
            continue;
        }
        if !a.same(b) {
            out.push(change(&map_key(path, k), a, b));
        }
    }
}

fn compare_sets(path: &str, sv: &Value, lv: &Value, block: Option<&Block>, out: &mut Vec<Change>) {
    let (sp, lp) = project_pair(sv, lv, block);
    // Elements compare whole, so the sets nested in them (a CORS rule's origins, an option's
    // settings) must not compare by position: both sides in one canonical order.
    let elems = |v: &Value| -> Vec<Value> {
        let mut e = v.as_list().map(<[Value]>::to_vec).unwrap_or_default();
        if let Some(b) = block {
            e.iter_mut().for_each(|x| sort_nested_sets(x, b));
        }
        e
    };
    let (s, l) = (elems(&sp), elems(&lp));
    if s.iter().chain(&l).any(Value::has_opaque) {
        return;
    }
    let removed = multiset_minus(&s, &l);
    let added = multiset_minus(&l, &s);
    if !removed.is_empty() || !added.is_empty() {
        out.push(Change {
            path: path.to_string(),
            state: sorted(sp),
            live: sorted(lp),
            added: Some(added),
            removed: Some(removed),
        });
    }
}

/// Sort, in one element of a set of blocks, every member the schema declares a set (at any
/// depth), by canonical text.
fn sort_nested_sets(v: &mut Value, block: &Block) {
    let Value::Map(fields) = v else { return };
    for (k, child) in fields.iter_mut() {
        match block.member(k) {
            Some((Shape::Collection { set: true }, _)) => {
                if let Value::List(l) = child {
                    l.sort_by_cached_key(Value::canonical);
                }
            }
            Some((Shape::Blocks { set, block: nested }, _)) => {
                if let Value::List(l) = child {
                    l.iter_mut().for_each(|e| sort_nested_sets(e, nested));
                    if set {
                        l.sort_by_cached_key(Value::canonical);
                    }
                }
            }
            _ => {}
        }
    }
}

fn sorted(v: Value) -> Value {
    match v {
        Value::List(mut l) => {
            l.sort_by_cached_key(Value::canonical);
            Value::List(l)
        }
        other => other,
    }
}

/// Elements of `a` not matched by an element of `b` (each element of `b` matches once).
fn multiset_minus(a: &[Value], b: &[Value]) -> Vec<Value> {
    let mut used = vec![false; b.len()];
    let mut out = Vec::new();
    for x in a {
        match b.iter().enumerate().position(|(i, y)| !used[i] && x.same(y)) {
            Some(i) => used[i] = true,
            None => out.push(x.clone()),
        }
    }
    out.sort_by_cached_key(Value::canonical);
    out
}

/// Keep, in objects of both sides, only the keys the live side read and the schema lets
/// a user set, so an attribute one fetcher does not read never looks like drift.
fn project_pair(sv: &Value, lv: &Value, block: Option<&Block>) -> (Value, Value) {
    let template = Template::of(lv);
    (project(sv, &template, block), project(lv, &template, block))
}

#[derive(Debug, Default)]
struct Template(Option<BTreeMap<String, Template>>);

impl Template {
    /// The union of the keys of every object found at each depth.
    fn of(v: &Value) -> Template {
        let mut t = Template::default();
        t.add(v);
        t
    }

    fn add(&mut self, v: &Value) {
        match v {
            Value::List(l) => l.iter().for_each(|e| self.add(e)),
            Value::Map(m) => {
                let fields = self.0.get_or_insert_with(BTreeMap::new);
                for (k, child) in m {
                    fields.entry(k.clone()).or_default().add(child);
                }
            }
            _ => {}
        }
    }
}

fn project(v: &Value, t: &Template, block: Option<&Block>) -> Value {
    match v {
        Value::List(l) => Value::List(l.iter().map(|e| project(e, t, block)).collect()),
        Value::Map(m) => {
            let Some(fields) = &t.0 else { return v.clone() };
            Value::Map(
                m.iter()
                    .filter(|(k, _)| fields.contains_key(*k))
                    .filter(|(k, _)| block.and_then(|b| b.member(k)).is_none_or(|(_, conf)| conf))
                    .map(|(k, child)| {
                        let nested = block.and_then(|b| match b.member(k) {
                            Some((Shape::Blocks { block, .. }, _)) => Some(block),
                            _ => None,
                        });
                        (k.clone(), project(child, &fields[k], nested))
                    })
                    .collect(),
            )
        }
        other => other.clone(),
    }
}

fn change(path: &str, s: &Value, l: &Value) -> Change {
    Change { path: path.to_string(), state: s.clone(), live: l.clone(), added: None, removed: None }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::Origin;

    fn res(rtype: &str, attrs: Vec<(&str, Value)>) -> Resource {
        Resource {
            rtype: rtype.into(),
            id: "x".into(),
            address: None,
            region: None,
            attributes: attrs.into_iter().map(|(k, v)| (k.to_string(), v)).collect(),
            origin: Origin::State { file: "t".into(), index: 0 },
            aws_default: false,
        }
    }

    #[test]
    fn tags_compare_key_by_key() {
        let s = res("aws_vpc", vec![("tags", Value::string_map([("Owner", "a"), ("Env", "prod")]))]);
        let l = res("aws_vpc", vec![("tags", Value::string_map([("Owner", "b"), ("Env", "prod")]))]);
        let c = compare(&s, &l);
        assert_eq!(c.len(), 1);
        assert_eq!(c[0].path, "tags.Owner");
    }

    #[test]
    fn computed_only_and_unknown_attributes_never_drift() {
        let s =
            res("aws_vpc", vec![("arn", "a".into()), ("cidr_block", "10.0.0.0/16".into()), ("owner_id", "1".into())]);
        let l = res("aws_vpc", vec![("arn", "b".into()), ("cidr_block", Value::Unknown)]);
        assert!(compare(&s, &l).is_empty());
    }

    #[test]
    fn nested_block_paths_use_terraform_syntax() {
        let rule = |alg: &str| {
            Value::List(vec![Value::object([
                ("apply_server_side_encryption_by_default", Value::block([("sse_algorithm", alg.into())])),
                ("bucket_key_enabled", true.into()),
            ])])
        };
        let s = res("aws_s3_bucket_server_side_encryption_configuration", vec![("rule", rule("aws:kms"))]);
        let l = res("aws_s3_bucket_server_side_encryption_configuration", vec![("rule", rule("AES256"))]);
        let c = compare(&s, &l);
        assert_eq!(c.len(), 1, "{c:?}");
        assert_eq!(c[0].path, "rule");
        assert_eq!(c[0].added.as_ref().unwrap().len(), 1);
    }

    #[test]
    fn list_blocks_compare_field_by_field() {
        let v = |s: &str| Value::block([("status", s.into()), ("mfa_delete", "Disabled".into())]);
        let s = res("aws_s3_bucket_versioning", vec![("versioning_configuration", v("Enabled"))]);
        let l = res("aws_s3_bucket_versioning", vec![("versioning_configuration", v("Suspended"))]);
        let c = compare(&s, &l);
        assert_eq!(c[0].path, "versioning_configuration[0].status");
    }

    #[test]
    fn sets_nested_in_set_elements_ignore_order() {
        let rule = |methods: [&str; 2]| {
            Value::List(vec![Value::object([
                ("allowed_methods", Value::string_list(methods)),
                ("allowed_origins", Value::string_list(["*"])),
            ])])
        };
        let s = res("aws_s3_bucket_cors_configuration", vec![("cors_rule", rule(["POST", "PUT"]))]);
        let l = res("aws_s3_bucket_cors_configuration", vec![("cors_rule", rule(["PUT", "POST"]))]);
        assert!(compare(&s, &l).is_empty());
        let set = |a: &str, b: &str| {
            Value::List(vec![Value::object([
                ("option_name", "AUDIT".into()),
                (
                    "option_settings",
                    Value::List(vec![
                        Value::object([("name", a.into()), ("value", "1".into())]),
                        Value::object([("name", b.into()), ("value", "1".into())]),
                    ]),
                ),
            ])])
        };
        let s = res("aws_db_option_group", vec![("option", set("A", "B"))]);
        let l = res("aws_db_option_group", vec![("option", set("B", "A"))]);
        assert!(compare(&s, &l).is_empty());
    }

    #[test]
    fn set_order_is_irrelevant() {
        let s = res("aws_db_instance", vec![("vpc_security_group_ids", Value::string_list(["sg-1", "sg-2"]))]);
        let l = res("aws_db_instance", vec![("vpc_security_group_ids", Value::string_list(["sg-2", "sg-1"]))]);
        assert!(compare(&s, &l).is_empty());
    }
}

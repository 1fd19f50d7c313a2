//! Config vs state: what the code says that is not applied yet (a pull request's pending
//! changes), joined on address. Only values the configuration knows are compared: an
//! attribute the code omits, or one only known after apply, is never pending.

use std::collections::BTreeMap;

use serde::Serialize;

use super::{Change, compare};
use crate::model::{Resource, Value};

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum PendingKind {
    /// In the code, not in state: `terraform apply` would create it.
    Create,
    /// In both, with known configured values that differ from state.
    Update,
    /// In state, gone from the code: `terraform apply` would destroy it.
    Destroy,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Pending {
    pub address: String,
    #[serde(rename = "type")]
    pub rtype: String,
    pub kind: PendingKind,
    /// For updates: `state` is the applied value, `live` the configured one.
    pub changes: Vec<Change>,
}

/// Pending changes, sorted by address.
pub fn pending(config: &[Resource], state: &[Resource]) -> Vec<Pending> {
    pending_with(config, state, &[])
}

/// [`pending`], knowing which parts of the configuration were not evaluated
/// (`Config::unevaluated`: `aws_subnet.private` for a block whose `count` / `for_each` is
/// unknown, `module.remote.` for a module not read). Their instances are neither created,
/// destroyed nor compared: only `terraform plan` knows how many there are.
pub fn pending_with(config: &[Resource], state: &[Resource], unevaluated: &[String]) -> Vec<Pending> {
    let by_addr = |rs: &[Resource]| -> BTreeMap<String, Resource> {
        rs.iter().filter_map(|r| Some((r.address.clone()?, r.clone()))).collect()
    };
    let (config, state) = (by_addr(config), by_addr(state));
    let not_known = |address: &str| {
        let bare = crate::source::plan::strip_keys(address);
        unevaluated.iter().any(|u| if u.ends_with('.') { bare.starts_with(u.as_str()) } else { bare == *u })
    };
    let mut out = Vec::new();
    for (address, c) in &config {
        if not_known(address) && !state.contains_key(address) {
            continue;
        }
        match state.get(address) {
            None => out.push(Pending {
                address: address.clone(),
                rtype: c.rtype.clone(),
                kind: PendingKind::Create,
                changes: vec![],
            }),
            Some(s) => {
                let (s, known) = as_terraform_compares(s, c);
                let changes = compare(&s, &known);
                if !changes.is_empty() {
                    out.push(Pending {
                        address: address.clone(),
                        rtype: c.rtype.clone(),
                        kind: PendingKind::Update,
                        changes,
                    });
                }
            }
        }
    }
    for (address, s) in &state {
        if !config.contains_key(address) && !not_known(address) {
            out.push(Pending {
                address: address.clone(),
                rtype: s.rtype.clone(),
                kind: PendingKind::Destroy,
                changes: vec![],
            });
        }
    }
    out.sort_by(|a, b| a.address.cmp(&b.address));
    out
}

/// References to computed attributes (`${aws_kms_key.x.arn}`) stand for values only apply
/// knows: unknown, never a difference.
fn mask_references(v: &mut Value) {
    match v {
        Value::String(s) if s.contains("${") => *v = Value::Unknown,
        Value::List(l) => l.iter_mut().for_each(mask_references),
        Value::Map(m) => m.values_mut().for_each(mask_references),
        _ => {}
    }
}

/// State and configuration as Terraform compares them when it plans: an explicit `null` is
/// an omitted argument (the provider default, never a change), an empty list or map equals
/// an absent one (the SDK stores no difference), values take the schema's types (`"8080"`
/// from a `map(string)` variable is the number 8080), omitted fields of set-block elements
/// take their zero values (what the provider stores), and a security-group protocol number
/// is its name (`6` is `tcp`).
fn as_terraform_compares(state: &Resource, config: &Resource) -> (Resource, Resource) {
    let mut s = state.clone();
    let mut c = config.clone();
    let schema = crate::schema::resource(&c.rtype);
    let keys: Vec<String> = c.attributes.keys().cloned().collect();
    for k in keys {
        let Some(mut v) = c.attributes.remove(&k) else { continue };
        mask_references(&mut v);
        drop_nulls(&mut v);
        if v.is_null() {
            continue;
        }
        let empty = matches!(&v, Value::List(l) if l.is_empty()) || matches!(&v, Value::Map(m) if m.is_empty());
        if empty && s.attributes.get(&k).is_none_or(|sv| sv.is_null() || sv.is_empty_like()) {
            continue;
        }
        if let Some(b) = schema {
            if let Some(a) = b.attributes.get(&k) {
                v = coerce(v, &a.ty);
            } else if let Some(nb) = b.block_types.get(&k) {
                v = coerce_blocks(v, &nb.block, nb.nesting_mode == "set");
            }
        }
        c.attributes.insert(k, v);
    }
    if SG_TYPES.contains(&c.rtype.as_str()) {
        for r in [&mut s, &mut c] {
            for (k, v) in r.attributes.iter_mut() {
                match k.as_str() {
                    "protocol" | "ip_protocol" => name_protocol(v),
                    "ingress" | "egress" => {
                        if let Value::List(items) = v {
                            for e in items {
                                if let Some(p) = e.as_map_mut().and_then(|m| m.get_mut("protocol")) {
                                    name_protocol(p);
                                }
                            }
                        }
                    }
                    _ => {}
                }
            }
        }
    }
    (s, c)
}

const SG_TYPES: &[&str] = &[
    "aws_security_group",
    "aws_default_security_group",
    "aws_security_group_rule",
    "aws_vpc_security_group_ingress_rule",
    "aws_vpc_security_group_egress_rule",
];

fn name_protocol(v: &mut Value) {
    if let Value::String(p) = v {
        *p = crate::model::sg::protocol_name(p);
    }
}

fn drop_nulls(v: &mut Value) {
    match v {
        Value::Map(m) => {
            m.retain(|_, x| !x.is_null());
            m.values_mut().for_each(drop_nulls);
        }
        Value::List(l) => l.iter_mut().for_each(drop_nulls),
        _ => {}
    }
}

/// A configured value in the type the schema gives (`["list", "number"]`, `"bool"`...).
fn coerce(v: Value, ty: &serde_json::Value) -> Value {
    match (ty, v) {
        (serde_json::Value::String(t), Value::String(s)) if t == "number" => match s.parse::<f64>() {
            Ok(f) if f.fract() == 0.0 && f.abs() < 9.0e15 => Value::int(f as i64),
            Ok(f) => serde_json::Number::from_f64(f).map(Value::Number).unwrap_or(Value::String(s)),
            Err(_) => Value::String(s),
        },
        (serde_json::Value::String(t), Value::String(s)) if t == "bool" && (s == "true" || s == "false") => {
            Value::Bool(s == "true")
        }
        (serde_json::Value::String(t), Value::Number(n)) if t == "string" => Value::String(n.to_string()),
        (serde_json::Value::String(t), Value::Bool(b)) if t == "string" => Value::String(b.to_string()),
        (serde_json::Value::Array(a), Value::List(l))
            if matches!(a.first().and_then(|k| k.as_str()), Some("list" | "set")) =>
        {
            let elem = a.get(1).cloned().unwrap_or(serde_json::Value::Null);
            Value::List(l.into_iter().map(|x| coerce(x, &elem)).collect())
        }
        (serde_json::Value::Array(a), Value::Map(m)) if a.first().and_then(|k| k.as_str()) == Some("map") => {
            let elem = a.get(1).cloned().unwrap_or(serde_json::Value::Null);
            Value::Map(m.into_iter().map(|(k, x)| (k, coerce(x, &elem))).collect())
        }
        // An object (an element of `ingress`, a set of objects the provider declares as an
        // attribute): omitted fields are stored as their zero values.
        (serde_json::Value::Array(a), Value::Map(mut m)) if a.first().and_then(|k| k.as_str()) == Some("object") => {
            if let Some(fields) = a.get(1).and_then(|f| f.as_object()) {
                for (k, ty) in fields {
                    match m.remove(k) {
                        Some(x) => {
                            m.insert(k.clone(), coerce(x, ty));
                        }
                        None => {
                            if let Some(z) = zero(ty) {
                                m.insert(k.clone(), z);
                            }
                        }
                    }
                }
            }
            Value::Map(m)
        }
        (_, v) => v,
    }
}

/// Nested blocks: each element's attributes in their types; in a set of blocks, omitted
/// attributes take the zero value the provider stores for them (`""`, `0`, `false`, `[]`).
fn coerce_blocks(v: Value, block: &crate::schema::Block, set: bool) -> Value {
    let Value::List(items) = v else { return v };
    Value::List(
        items
            .into_iter()
            .map(|e| {
                let Value::Map(mut m) = e else { return e };
                for (k, a) in &block.attributes {
                    match m.remove(k) {
                        Some(x) => {
                            m.insert(k.clone(), coerce(x, &a.ty));
                        }
                        None if set && !a.computed && a.configurable() => {
                            if let Some(z) = zero(&a.ty) {
                                m.insert(k.clone(), z);
                            }
                        }
                        None => {}
                    }
                }
                for (k, nb) in &block.block_types {
                    if let Some(x) = m.remove(k) {
                        m.insert(k.clone(), coerce_blocks(x, &nb.block, nb.nesting_mode == "set"));
                    }
                }
                Value::Map(m)
            })
            .collect(),
    )
}

fn zero(ty: &serde_json::Value) -> Option<Value> {
    match ty {
        serde_json::Value::String(t) => match t.as_str() {
            "string" => Some(Value::String(String::new())),
            "number" => Some(Value::int(0)),
            "bool" => Some(Value::Bool(false)),
            _ => None,
        },
        serde_json::Value::Array(a) => match a.first().and_then(|k| k.as_str()) {
            Some("list" | "set") => Some(Value::List(Vec::new())),
            Some("map") => Some(Value::Map(BTreeMap::new())),
            _ => None,
        },
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::Origin;

    fn res(rtype: &str, address: &str, attrs: Vec<(&str, Value)>) -> Resource {
        Resource {
            rtype: rtype.into(),
            id: address.into(),
            address: Some(address.into()),
            region: None,
            attributes: attrs.into_iter().map(|(k, v)| (k.to_string(), v)).collect(),
            origin: Origin::Config { file: "main.tf".into(), line: 1 },
            aws_default: false,
        }
    }

    fn ingress(port: i64, protocol: &str, description: Option<&str>) -> Value {
        let mut m = vec![
            ("from_port", Value::int(port)),
            ("to_port", Value::int(port)),
            ("protocol", Value::str(protocol)),
            ("cidr_blocks", Value::string_list(["10.0.0.0/8"])),
        ];
        if let Some(d) = description {
            m.push(("description", Value::str(d)));
        }
        Value::object(m)
    }

    fn stored(port: i64, description: &str) -> Value {
        Value::object([
            ("from_port", Value::int(port)),
            ("to_port", Value::int(port)),
            ("protocol", Value::str("tcp")),
            ("cidr_blocks", Value::string_list(["10.0.0.0/8"])),
            ("description", Value::str(description)),
            ("ipv6_cidr_blocks", Value::List(vec![])),
            ("prefix_list_ids", Value::List(vec![])),
            ("security_groups", Value::List(vec![])),
            ("self", Value::Bool(false)),
        ])
    }

    #[test]
    fn compares_as_terraform_plans() {
        let state = res(
            "aws_security_group",
            "aws_security_group.web",
            vec![
                ("description", Value::str("Managed by Terraform")),
                ("ingress", Value::List(vec![stored(443, "https"), stored(80, "")])),
                ("revoke_rules_on_delete", Value::Bool(false)),
                ("tags", Value::Null),
            ],
        );
        let config = res(
            "aws_security_group",
            "aws_security_group.web",
            vec![
                ("description", Value::Null),
                // Another order, a protocol number, an omitted description.
                ("ingress", Value::List(vec![ingress(80, "tcp", None), ingress(443, "6", Some("https"))])),
                ("revoke_rules_on_delete", Value::str("false")),
                ("tags", Value::Map(BTreeMap::new())),
            ],
        );
        assert_eq!(pending(&[config], &[state]), vec![]);
    }

    #[test]
    fn unknown_counts_and_unread_modules_are_neither_created_nor_destroyed() {
        let config = vec![res("aws_subnet", "aws_subnet.private", vec![]), res("aws_vpc", "aws_vpc.new", vec![])];
        let state = vec![
            res("aws_subnet", "aws_subnet.private[0]", vec![]),
            res("aws_subnet", "aws_subnet.private[1]", vec![]),
            res("aws_vpc", "module.remote.aws_vpc.this", vec![]),
            res("aws_vpc", "aws_vpc.gone", vec![]),
        ];
        let unevaluated = vec!["aws_subnet.private".to_string(), "module.remote.".to_string()];
        let got: Vec<(String, PendingKind)> =
            pending_with(&config, &state, &unevaluated).into_iter().map(|p| (p.address, p.kind)).collect();
        assert_eq!(
            got,
            vec![("aws_vpc.gone".to_string(), PendingKind::Destroy), ("aws_vpc.new".to_string(), PendingKind::Create)]
        );
    }
}

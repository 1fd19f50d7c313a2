//! The attribute value tree shared by every view.
//!
//! Mirrors what tfstate stores (JSON) with two additions that JSON cannot express:
//! `Unknown` (not read, or not known until apply) and `Sensitive` (a secret that was
//! redacted at ingest, so it cannot leak from any later stage).

use std::collections::BTreeMap;
use std::fmt;

use serde::ser::{Serialize, SerializeMap, SerializeSeq, Serializer};

/// One attribute value. Objects (nested blocks) and maps are both `Map`: tfstate does not
/// distinguish them either; the provider schema does when it matters.
#[derive(Debug, Clone, PartialEq)]
pub enum Value {
    Null,
    /// Not read by a fetcher, or computed and not yet known. Never counts as drift.
    Unknown,
    /// A secret redacted at ingest. Never compared, always rendered as `(sensitive)`.
    Sensitive,
    Bool(bool),
    Number(serde_json::Number),
    String(String),
    List(Vec<Value>),
    Map(BTreeMap<String, Value>),
}

impl Value {
    pub fn from_json(v: &serde_json::Value) -> Value {
        match v {
            serde_json::Value::Null => Value::Null,
            serde_json::Value::Bool(b) => Value::Bool(*b),
            serde_json::Value::Number(n) => Value::Number(n.clone()),
            serde_json::Value::String(s) => Value::String(s.clone()),
            serde_json::Value::Array(a) => Value::List(a.iter().map(Value::from_json).collect()),
            serde_json::Value::Object(o) => {
                Value::Map(o.iter().map(|(k, v)| (k.clone(), Value::from_json(v))).collect())
            }
        }
    }

    /// JSON for reports. `Unknown` becomes the string `(unknown)` and `Sensitive`
    /// `(sensitive)`: a report must never suggest that an unread value was null.
    pub fn to_json(&self) -> serde_json::Value {
        serde_json::to_value(self).expect("value serialises")
    }

    pub fn str(s: impl Into<String>) -> Value {
        Value::String(s.into())
    }

    pub fn int(i: i64) -> Value {
        Value::Number(i.into())
    }

    pub fn opt_str(s: Option<impl Into<String>>) -> Value {
        s.map(|s| Value::String(s.into())).unwrap_or(Value::Null)
    }

    pub fn opt_int(i: Option<impl Into<i64>>) -> Value {
        i.map(|i| Value::int(i.into())).unwrap_or(Value::Null)
    }

    pub fn opt_bool(b: Option<bool>) -> Value {
        b.map(Value::Bool).unwrap_or(Value::Null)
    }

    /// A Terraform nested block with one element (`[{...}]`), the shape tfstate uses.
    pub fn block(fields: impl IntoIterator<Item = (&'static str, Value)>) -> Value {
        Value::List(vec![Value::object(fields)])
    }

    pub fn object(fields: impl IntoIterator<Item = (&'static str, Value)>) -> Value {
        Value::Map(fields.into_iter().map(|(k, v)| (k.to_string(), v)).collect())
    }

    pub fn string_map<K: Into<String>, V: Into<String>>(pairs: impl IntoIterator<Item = (K, V)>) -> Value {
        Value::Map(pairs.into_iter().map(|(k, v)| (k.into(), Value::String(v.into()))).collect())
    }

    pub fn string_list<S: Into<String>>(items: impl IntoIterator<Item = S>) -> Value {
        Value::List(items.into_iter().map(|s| Value::String(s.into())).collect())
    }

    pub fn is_null(&self) -> bool {
        matches!(self, Value::Null)
    }

    /// Null, or an empty string, list or map: the forms Terraform and AWS use
    /// interchangeably for "nothing set".
    pub fn is_empty_like(&self) -> bool {
        match self {
            Value::Null => true,
            Value::String(s) => s.is_empty(),
            Value::List(l) => l.is_empty(),
            Value::Map(m) => m.is_empty(),
            _ => false,
        }
    }

    /// True when this value or anything inside it is Unknown or Sensitive.
    pub fn has_opaque(&self) -> bool {
        match self {
            Value::Unknown | Value::Sensitive => true,
            Value::List(l) => l.iter().any(Value::has_opaque),
            Value::Map(m) => m.values().any(Value::has_opaque),
            _ => false,
        }
    }

    pub fn as_str(&self) -> Option<&str> {
        match self {
            Value::String(s) => Some(s),
            _ => None,
        }
    }

    pub fn as_bool(&self) -> Option<bool> {
        match self {
            Value::Bool(b) => Some(*b),
            _ => None,
        }
    }

    pub fn as_i64(&self) -> Option<i64> {
        match self {
            Value::Number(n) => n.as_i64().or_else(|| n.as_f64().map(|f| f as i64)),
            _ => None,
        }
    }

    pub fn as_list(&self) -> Option<&[Value]> {
        match self {
            Value::List(l) => Some(l),
            _ => None,
        }
    }

    pub fn as_map(&self) -> Option<&BTreeMap<String, Value>> {
        match self {
            Value::Map(m) => Some(m),
            _ => None,
        }
    }

    pub fn as_map_mut(&mut self) -> Option<&mut BTreeMap<String, Value>> {
        match self {
            Value::Map(m) => Some(m),
            _ => None,
        }
    }

    /// Field of an object, or of the single element of a one-element block list.
    pub fn get(&self, key: &str) -> Option<&Value> {
        match self {
            Value::Map(m) => m.get(key),
            Value::List(l) if l.len() == 1 => l[0].get(key),
            _ => None,
        }
    }

    /// Every value at an attribute path: `a.b[0].c`, with `[*]` for every element of a list
    /// (`resources[*].autoscaling_groups[*].name`). Missing segments give nothing.
    pub fn at_path<'a>(&'a self, path: &str) -> Vec<&'a Value> {
        let mut current = vec![self];
        for seg in path.split('.').filter(|s| !s.is_empty()) {
            let (name, index) = match seg.split_once('[') {
                Some((n, rest)) => (n, Some(rest.trim_end_matches(']'))),
                None => (seg, None),
            };
            let mut next = Vec::new();
            for v in current {
                let Some(field) = (if name.is_empty() { Some(v) } else { v.as_map().and_then(|m| m.get(name)) }) else {
                    continue;
                };
                match (index, field) {
                    (None, f) => next.push(f),
                    (Some("*"), Value::List(l)) => next.extend(l.iter()),
                    (Some(i), Value::List(l)) => next.extend(i.parse::<usize>().ok().and_then(|i| l.get(i))),
                    (Some(_), _) => {}
                }
            }
            current = next;
        }
        current
    }

    /// Semantic equality: numbers compare by value (35 == 35.0).
    pub fn same(&self, other: &Value) -> bool {
        match (self, other) {
            (Value::Number(a), Value::Number(b)) => a.as_f64() == b.as_f64(),
            (Value::List(a), Value::List(b)) => a.len() == b.len() && a.iter().zip(b).all(|(x, y)| x.same(y)),
            (Value::Map(a), Value::Map(b)) => {
                a.len() == b.len() && a.iter().zip(b).all(|((ka, va), (kb, vb))| ka == kb && va.same(vb))
            }
            _ => self == other,
        }
    }

    /// Canonical text used to order set elements deterministically.
    pub fn canonical(&self) -> String {
        serde_json::to_string(self).expect("value serialises")
    }
}

impl Serialize for Value {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        match self {
            Value::Null => s.serialize_unit(),
            Value::Unknown => s.serialize_str("(unknown)"),
            Value::Sensitive => s.serialize_str("(sensitive)"),
            Value::Bool(b) => s.serialize_bool(*b),
            Value::Number(n) => n.serialize(s),
            Value::String(v) => s.serialize_str(v),
            Value::List(l) => {
                let mut seq = s.serialize_seq(Some(l.len()))?;
                for v in l {
                    seq.serialize_element(v)?;
                }
                seq.end()
            }
            Value::Map(m) => {
                let mut map = s.serialize_map(Some(m.len()))?;
                for (k, v) in m {
                    map.serialize_entry(k, v)?;
                }
                map.end()
            }
        }
    }
}

impl fmt::Display for Value {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Value::String(s) => write!(f, "{s:?}"),
            other => f.write_str(&other.canonical()),
        }
    }
}

impl From<&str> for Value {
    fn from(s: &str) -> Self {
        Value::String(s.to_string())
    }
}
impl From<String> for Value {
    fn from(s: String) -> Self {
        Value::String(s)
    }
}
impl From<bool> for Value {
    fn from(b: bool) -> Self {
        Value::Bool(b)
    }
}
impl From<i64> for Value {
    fn from(i: i64) -> Self {
        Value::int(i)
    }
}
impl From<i32> for Value {
    fn from(i: i32) -> Self {
        Value::int(i as i64)
    }
}

#[cfg(test)]
mod path_tests {
    use super::Value;

    #[test]
    fn paths_with_indexes_and_stars() {
        let v = Value::from_json(&serde_json::json!({
            "launch_template": [{"id": "lt-1", "version": "3"}],
            "resources": [{"autoscaling_groups": [{"name": "eks-a"}, {"name": "eks-b"}]}]
        }));
        assert_eq!(v.at_path("launch_template[0].id"), vec![&Value::str("lt-1")]);
        assert_eq!(
            v.at_path("resources[*].autoscaling_groups[*].name"),
            vec![&Value::str("eks-a"), &Value::str("eks-b")]
        );
        assert!(v.at_path("launch_template[3].id").is_empty());
        assert!(v.at_path("nothing.here").is_empty());
    }
}

//! A setting the configuration leaves out is stored as null in state, while AWS answers
//! with its default (`bucket_key_enabled` null in state, `false` from S3). Terraform will
//! not change it back (the configuration does not mention it), so it is not drift: where
//! state holds null and live holds `false`, `0` or `""`, live is folded to null.

use std::collections::BTreeMap;

use super::{Pass, Views};
use crate::model::Value;

pub const PASS: Pass = Pass {
    name: "unset_vs_default",
    why: "an unset attribute (null in state) against the AWS default (false, 0) is not drift",
    apply,
};

fn apply(v: &mut Views) {
    let state: BTreeMap<(&str, &str), &BTreeMap<String, Value>> =
        v.state.iter().map(|r| ((r.rtype.as_str(), r.id.as_str()), &r.attributes)).collect();
    for l in &mut v.live {
        if let Some(s) = state.get(&(l.rtype.as_str(), l.id.as_str())) {
            for (k, lv) in l.attributes.iter_mut() {
                if let Some(sv) = s.get(k) {
                    fold(sv, lv);
                }
            }
        }
    }
}

fn is_default(v: &Value) -> bool {
    match v {
        Value::Bool(false) => true,
        Value::Number(n) => n.as_f64() == Some(0.0),
        Value::String(s) => s.is_empty(),
        _ => false,
    }
}

fn fold(s: &Value, l: &mut Value) {
    match (s, l) {
        // An empty collection or string in state is unset too (`null_vs_empty` folds it to
        // null later in the chain); judging it here keeps the chain idempotent.
        (s, l) if s.is_empty_like() && is_default(l) => *l = Value::Null,
        (Value::Map(sm), Value::Map(lm)) => {
            for (k, lv) in lm.iter_mut() {
                if let Some(sv) = sm.get(k) {
                    fold(sv, lv);
                }
            }
        }
        (Value::List(sl), Value::List(ll)) if sl.len() == ll.len() => {
            for (sv, lv) in sl.iter().zip(ll.iter_mut()) {
                fold(sv, lv);
            }
        }
        _ => {}
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::{Origin, Resource};

    /// Found by the idempotence property: state `[]` against live `false` must fold on the
    /// first run, not only once `null_vs_empty` has turned `[]` into null.
    #[test]
    fn empty_in_state_is_unset() {
        let mut l = Value::Bool(false);
        fold(&Value::List(vec![]), &mut l);
        assert_eq!(l, Value::Null);
    }

    #[test]
    fn unset_bucket_key_matches_false() {
        let rule = |b: Value| Value::List(vec![Value::object([("bucket_key_enabled", b), ("x", "y".into())])]);
        let mk = |attrs: Value, live: bool| Resource {
            rtype: "t".into(),
            id: "i".into(),
            address: None,
            region: None,
            attributes: [("rule".to_string(), attrs)].into_iter().collect(),
            origin: if live {
                Origin::Live { arn: None, region: "r".into(), account: "a".into() }
            } else {
                Origin::State { file: "f".into(), index: 0 }
            },
            aws_default: false,
        };
        let mut v = Views { state: vec![mk(rule(Value::Null), false)], live: vec![mk(rule(false.into()), true)] };
        apply(&mut v);
        assert_eq!(v.live[0].attributes["rule"], rule(Value::Null));
        // A configured `true` against live `false` stays a difference.
        let mut v = Views { state: vec![mk(rule(true.into()), false)], live: vec![mk(rule(false.into()), true)] };
        apply(&mut v);
        assert_eq!(v.live[0].attributes["rule"], rule(false.into()));
    }
}

//! Null, `""`, `[]` and `{}` all mean "nothing set" to a person; Terraform and AWS use
//! them interchangeably (`tags` null vs `{}`, `domain_dns_ips` null vs `[]`). Fold them
//! all to Null, at every depth, on both sides.

use super::{Pass, Views};
use crate::model::Value;

pub const PASS: Pass = Pass { name: "null_vs_empty", why: "null and empty collections mean the same", apply };

fn apply(v: &mut Views) {
    for r in v.state.iter_mut().chain(v.live.iter_mut()) {
        for val in r.attributes.values_mut() {
            fold(val);
        }
    }
}

pub fn fold(v: &mut Value) {
    match v {
        Value::List(l) => {
            l.iter_mut().for_each(fold);
        }
        Value::Map(m) => {
            m.values_mut().for_each(fold);
        }
        _ => {}
    }
    if v.is_empty_like() {
        *v = Value::Null;
    }
}

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
    let by_addr = |rs: &[Resource]| -> BTreeMap<String, Resource> {
        rs.iter().filter_map(|r| Some((r.address.clone()?, r.clone()))).collect()
    };
    let (config, state) = (by_addr(config), by_addr(state));
    let mut out = Vec::new();
    for (address, c) in &config {
        match state.get(address) {
            None => out.push(Pending {
                address: address.clone(),
                rtype: c.rtype.clone(),
                kind: PendingKind::Create,
                changes: vec![],
            }),
            Some(s) => {
                let mut known = c.clone();
                for v in known.attributes.values_mut() {
                    mask_references(v);
                }
                let changes = compare(s, &known);
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
        if !config.contains_key(address) {
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

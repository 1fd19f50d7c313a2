//! A Terraform plan as JSON (`terraform show -json PLAN`): planned values as config-view
//! resources (`after_unknown` marks values known only after apply: Unknown), and
//! `resource_drift` (changes made outside Terraform that refresh found) as drift already
//! present.

use std::collections::BTreeMap;

use serde_json::Value as J;

use super::hcl::HclError;
use crate::model::{Origin, Resource, Value};

/// One resource changed outside Terraform, as the plan's refresh saw it.
#[derive(Debug, Clone, PartialEq, serde::Serialize)]
pub struct PlanDrift {
    pub address: String,
    #[serde(rename = "type")]
    pub rtype: String,
    /// Attribute paths whose value differs (top-level keys, sorted).
    pub changed: Vec<String>,
}

#[derive(Debug, Clone, Default)]
pub struct Plan {
    pub resources: Vec<Resource>,
    pub drift: Vec<PlanDrift>,
}

pub fn parse(file: &str, text: &str) -> Result<Plan, HclError> {
    let bad = |message: String| HclError::Input { path: file.to_string(), message };
    let doc: J = serde_json::from_str(text).map_err(|e| bad(format!("not JSON (line {}): {e}", e.line())))?;
    let Some(root) = doc.pointer("/planned_values/root_module") else {
        return Err(bad("no planned_values.root_module: is this `terraform show -json PLANFILE` output?".into()));
    };
    let mut unknown: BTreeMap<String, &J> = BTreeMap::new();
    for rc in doc.get("resource_changes").and_then(J::as_array).into_iter().flatten() {
        if let (Some(a), Some(u)) = (rc.get("address").and_then(J::as_str), rc.pointer("/change/after_unknown")) {
            unknown.insert(a.to_string(), u);
        }
    }
    let mut resources = Vec::new();
    module(root, &unknown, file, &mut resources);
    resources.sort_by(|a, b| a.address.cmp(&b.address));

    let mut drift = Vec::new();
    for d in doc.get("resource_drift").and_then(J::as_array).into_iter().flatten() {
        let (Some(address), Some(rtype)) = (d.get("address").and_then(J::as_str), d.get("type").and_then(J::as_str))
        else {
            continue;
        };
        let before = d.pointer("/change/before").and_then(J::as_object);
        let after = d.pointer("/change/after").and_then(J::as_object);
        let mut changed: Vec<String> = Vec::new();
        match (before, after) {
            (Some(b), Some(a)) => {
                for k in b.keys().chain(a.keys()) {
                    if k != "tags_all" && b.get(k) != a.get(k) && !changed.contains(k) {
                        changed.push(k.clone());
                    }
                }
            }
            _ => changed.push("(deleted outside Terraform)".into()),
        }
        changed.sort();
        drift.push(PlanDrift { address: address.to_string(), rtype: rtype.to_string(), changed });
    }
    drift.sort_by(|a, b| a.address.cmp(&b.address));
    Ok(Plan { resources, drift })
}

fn module(m: &J, unknown: &BTreeMap<String, &J>, file: &str, out: &mut Vec<Resource>) {
    for r in m.get("resources").and_then(J::as_array).into_iter().flatten() {
        if r.get("mode").and_then(J::as_str) != Some("managed") {
            continue;
        }
        let (Some(address), Some(rtype)) = (r.get("address").and_then(J::as_str), r.get("type").and_then(J::as_str))
        else {
            continue;
        };
        let values = r.get("values").cloned().unwrap_or(J::Object(Default::default()));
        let mut v = Value::from_json(&values);
        if let Some(u) = unknown.get(address) {
            mark_unknown(&mut v, u);
        }
        if let Some(s) = r.get("sensitive_values") {
            mark_sensitive(&mut v, s);
        }
        let Value::Map(attributes) = v else { continue };
        let id = match attributes.get("id").and_then(Value::as_str) {
            Some(id) if !id.is_empty() => id.to_string(),
            _ => match (rtype, attributes.get("bucket").and_then(Value::as_str)) {
                ("aws_s3_bucket", Some(b)) => b.to_string(),
                _ => address.to_string(),
            },
        };
        out.push(Resource {
            rtype: rtype.to_string(),
            id,
            address: Some(address.to_string()),
            region: None,
            attributes,
            origin: Origin::Config { file: file.to_string(), line: 0 },
            aws_default: false,
        });
    }
    for c in m.get("child_modules").and_then(J::as_array).into_iter().flatten() {
        module(c, unknown, file, out);
    }
}

/// `after_unknown` mirrors the value's shape with `true` where a value is known only after
/// apply.
fn mark_unknown(v: &mut Value, u: &J) {
    match (v, u) {
        (v, J::Bool(true)) => *v = Value::Unknown,
        (Value::Map(m), J::Object(o)) => {
            for (k, uk) in o {
                match m.get_mut(k) {
                    Some(x) => mark_unknown(x, uk),
                    None if uk == &J::Bool(true) => {
                        m.insert(k.clone(), Value::Unknown);
                    }
                    None => {}
                }
            }
        }
        (Value::List(l), J::Array(a)) => {
            for (x, ux) in l.iter_mut().zip(a) {
                mark_unknown(x, ux);
            }
        }
        _ => {}
    }
}

/// `sensitive_values` likewise marks secrets: they never reach any output.
fn mark_sensitive(v: &mut Value, s: &J) {
    match (v, s) {
        (v, J::Bool(true)) => *v = Value::Sensitive,
        (Value::Map(m), J::Object(o)) => {
            for (k, sk) in o {
                if let Some(x) = m.get_mut(k) {
                    mark_sensitive(x, sk);
                }
            }
        }
        (Value::List(l), J::Array(a)) => {
            for (x, sx) in l.iter_mut().zip(a) {
                mark_sensitive(x, sx);
            }
        }
        _ => {}
    }
}

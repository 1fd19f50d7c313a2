//! A Terraform plan as JSON (`terraform show -json PLAN`): planned values as config-view
//! resources (`after_unknown` marks values known only after apply: Unknown), and
//! `resource_drift` (changes made outside Terraform that refresh found) as drift already
//! present.

use std::collections::BTreeMap;

use serde_json::Value as J;

use super::hcl::HclError;
use crate::model::{Origin, Resource, Value};

/// `aws_s3_bucket` attributes that mirror split resources (provider v4+).
const S3_INLINE: &[&str] = &[
    "acl",
    "grant",
    "versioning",
    "server_side_encryption_configuration",
    "logging",
    "lifecycle_rule",
    "policy",
    "replication_configuration",
    "cors_rule",
    "website",
    "object_lock_configuration",
];

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
    let mut refs = BTreeMap::new();
    if let Some(c) = doc.pointer("/configuration/root_module") {
        config_refs(c, "", &mut refs);
    }
    let mut resources = Vec::new();
    module(root, "", &unknown, &refs, file, &mut resources);
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

/// Per configuration resource (`module.a.aws_s3_bucket.x`, module keys dropped), the
/// resource references of each top-level argument (`bucket` -> `aws_s3_bucket.this.id`).
type Refs = BTreeMap<String, BTreeMap<String, String>>;

fn config_refs(m: &J, path: &str, out: &mut Refs) {
    for r in m.get("resources").and_then(J::as_array).into_iter().flatten() {
        let Some(addr) = r.get("address").and_then(J::as_str) else { continue };
        let mut args = BTreeMap::new();
        for (k, e) in r.get("expressions").and_then(J::as_object).into_iter().flatten() {
            // The most specific reference to a managed resource's attribute: `aws_kms_key.x.arn`.
            let best =
                e.get("references").and_then(J::as_array).into_iter().flatten().filter_map(J::as_str).find(|s| {
                    !s.starts_with("var.")
                        && !s.starts_with("local.")
                        && !s.starts_with("data.")
                        && !s.starts_with("module.")
                        && s.split('.').count() >= 3
                });
            if let Some(b) = best {
                args.insert(k.clone(), b.to_string());
            }
        }
        out.insert(format!("{path}{addr}"), args);
    }
    for (name, call) in m.get("module_calls").and_then(J::as_object).into_iter().flatten() {
        if let Some(child) = call.get("module") {
            config_refs(child, &format!("{path}module.{name}."), out);
        }
    }
}

/// `module.a["x"].aws_s3_bucket.y[0]` without instance keys.
pub fn strip_keys(a: &str) -> String {
    let mut out = String::new();
    let mut depth = 0;
    for c in a.chars() {
        match c {
            '[' => depth += 1,
            ']' => depth -= 1,
            c if depth == 0 => out.push(c),
            _ => {}
        }
    }
    out
}

fn module(m: &J, prefix: &str, unknown: &BTreeMap<String, &J>, refs: &Refs, file: &str, out: &mut Vec<Resource>) {
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
        let Value::Map(mut attributes) = v else { continue };
        if rtype == "aws_s3_bucket" {
            // The bucket's inline copies of split settings are computed: unknown in a plan
            // for a new bucket. The split resources (or the provider default) decide them,
            // so an unknown copy must not hide those.
            attributes.retain(|k, v| !(matches!(v, Value::Unknown) && S3_INLINE.contains(&k.as_str())));
        }
        // A reference to a resource not created yet is unknown in planned values; the
        // configuration names it, and the joined views resolve the placeholder (as for HCL).
        if let Some(args) = refs.get(&strip_keys(address).replace("[]", "")) {
            for (k, reference) in args {
                if matches!(attributes.get(k), Some(Value::Unknown) | None) {
                    attributes.insert(k.clone(), Value::String(format!("${{{prefix}{reference}}}")));
                }
            }
        }
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
        let prefix = c.get("address").and_then(J::as_str).map(|a| format!("{a}.")).unwrap_or_default();
        module(c, &prefix, unknown, refs, file, out);
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

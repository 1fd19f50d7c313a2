//! Terraform state (format version 4, Terraform 0.12 and later) into canonical resources.
//!
//! Addresses are rendered exactly as Terraform prints them
//! (`module.phi_bucket["records"].aws_s3_bucket.this`, `aws_instance.app[0]`). Data
//! sources are skipped. Secrets are redacted here, at ingest, so that no later stage can
//! leak them: the state's own `sensitive_attributes`, the provider schema's sensitive
//! attributes, and a short list of known secret fields.

use miette::{Diagnostic, NamedSource, SourceSpan};
use serde::Deserialize;
use thiserror::Error;

use crate::model::{Origin, Resource, Value};
use crate::schema;

/// A state file that cannot be read as Terraform state.
#[derive(Debug, Error, Diagnostic)]
#[error("{file}: {message}")]
#[diagnostic(code(plumb::tfstate))]
pub struct StateError {
    pub file: String,
    pub message: String,
    #[source_code]
    src: NamedSource<String>,
    #[label("{label}")]
    span: Option<SourceSpan>,
    label: String,
    #[help]
    help: Option<String>,
}

impl StateError {
    fn new(file: &str, text: &str, message: String, span: Option<SourceSpan>, label: &str, help: Option<&str>) -> Self {
        let (src, span) = crate::model::source_excerpt(file, text, span);
        StateError {
            file: file.to_string(),
            message,
            src,
            span,
            label: label.to_string(),
            help: help.map(str::to_string),
        }
    }
}

#[derive(Deserialize)]
struct RawState {
    version: Option<u64>,
    #[serde(default)]
    resources: Vec<RawResource>,
}

#[derive(Deserialize)]
struct RawResource {
    #[serde(default)]
    module: Option<String>,
    mode: String,
    #[serde(rename = "type")]
    rtype: String,
    name: String,
    #[serde(default)]
    instances: Vec<RawInstance>,
}

#[derive(Deserialize)]
struct RawInstance {
    #[serde(default)]
    index_key: Option<serde_json::Value>,
    #[serde(default)]
    attributes: Option<serde_json::Map<String, serde_json::Value>>,
    #[serde(default)]
    sensitive_attributes: Vec<serde_json::Value>,
}

/// Fields that hold secrets whatever the schema says (older provider versions did not
/// mark all of them sensitive).
const SECRET_FIELDS: &[&str] = &[
    "password",
    "master_password",
    "secret",
    "secret_string",
    "private_key",
    "token",
    "auth_token",
    "secret_access_key",
];

/// Secrets nested where the provider schema flags nothing: `(type, block, map)` whose map
/// values are redacted (the names are kept). Lambda environment variables carry credentials.
const SECRET_MAPS: &[(&str, &str, &str)] = &[("aws_lambda_function", "environment", "variables")];

/// Parse one state file. `file` names it in diagnostics and in each resource's origin.
pub fn parse(file: &str, text: &str) -> Result<Vec<Resource>, StateError> {
    let raw: RawState = serde_json::from_str(text).map_err(|e| {
        let offset = offset_of(text, e.line(), e.column());
        StateError::new(
            file,
            text,
            format!("not valid Terraform state JSON at line {}, column {}: {e}", e.line(), e.column()),
            Some(SourceSpan::from((offset, 0))),
            "here",
            Some("expected a Terraform state file (format version 4), e.g. from `terraform state pull`"),
        )
    })?;
    match raw.version {
        Some(4) => {}
        other => {
            let (offset, len) = text.find("\"version\"").map(|o| (o, 9)).unwrap_or((0, 0));
            return Err(StateError::new(
                file,
                text,
                match other {
                    Some(v) => format!("unsupported state format version {v}, expected 4"),
                    None => "no \"version\" field: this does not look like a Terraform state file".to_string(),
                },
                Some(SourceSpan::from((offset, len))),
                "state format version",
                Some("Plumb reads state written by Terraform 0.12 or later (format version 4)"),
            ));
        }
    }

    let mut out = Vec::new();
    for r in raw.resources.iter().filter(|r| r.mode == "managed") {
        for inst in &r.instances {
            let Some(attrs) = &inst.attributes else { continue };
            let address = address(r.module.as_deref(), &r.rtype, &r.name, inst.index_key.as_ref());
            let Some(id) = attrs.get("id").and_then(|v| v.as_str()).map(str::to_string) else {
                return Err(StateError::new(
                    file,
                    text,
                    format!("resource {address} has no string \"id\" attribute"),
                    None,
                    "",
                    Some("the state may be corrupt; `terraform state show` should list the resource with an id"),
                ));
            };
            let mut attributes = attrs.iter().map(|(k, v)| (k.clone(), Value::from_json(v))).collect();
            redact(&r.rtype, &mut attributes, &inst.sensitive_attributes);
            let region = attrs
                .get("arn")
                .and_then(|a| a.as_str())
                .and_then(|a| a.split(':').nth(3))
                .filter(|r| !r.is_empty())
                .map(str::to_string);
            out.push(Resource {
                rtype: r.rtype.clone(),
                id,
                address: Some(address),
                region,
                attributes,
                origin: Origin::State { file: file.to_string(), index: out.len() },
                aws_default: false,
            });
        }
    }
    infer_regions(&mut out);
    Ok(out)
}

/// Where a resource without a regional ARN lives: its `region` attribute (S3 buckets), its
/// availability zone, else the resource it belongs to in the same state (a bucket's split
/// settings, a group's rules, a VPC's route tables). A resource whose region is known is
/// judged only when that region is scanned; one whose region stays unknown (global types
/// such as IAM) is judged wherever it is found.
fn infer_regions(resources: &mut [Resource]) {
    let own = |r: &Resource| -> Option<String> {
        if let Some(g) = r.attr_str("region").filter(|g| !g.is_empty()) {
            return Some(g.to_string());
        }
        let az = r.attr_str("availability_zone").filter(|z| z.len() > 1)?;
        // `us-east-1a` (and local zones `us-west-2-lax-1a`): the region is the zone's prefix.
        let region = az.trim_end_matches(|c: char| c.is_ascii_lowercase());
        region.split('-').take(3).collect::<Vec<_>>().join("-").into()
    };
    for r in resources.iter_mut() {
        if r.region.is_none() {
            r.region = own(r);
        }
    }
    // Parents by the values that name them (bucket names, group/VPC/subnet ids).
    let mut parents: std::collections::HashMap<(&'static str, String), String> = std::collections::HashMap::new();
    for r in resources.iter() {
        let Some(region) = &r.region else { continue };
        let key = match r.rtype.as_str() {
            "aws_s3_bucket" => ("bucket", r.attr_str("bucket").unwrap_or(&r.id).to_string()),
            "aws_security_group" | "aws_default_security_group" => ("security_group_id", r.id.clone()),
            "aws_vpc" | "aws_default_vpc" => ("vpc_id", r.id.clone()),
            "aws_subnet" | "aws_default_subnet" => ("subnet_id", r.id.clone()),
            "aws_route_table" | "aws_default_route_table" => ("route_table_id", r.id.clone()),
            "aws_kms_key" => ("key_id", r.id.clone()),
            _ => continue,
        };
        parents.entry(key).or_insert_with(|| region.clone());
    }
    for r in resources.iter_mut().filter(|r| r.region.is_none()) {
        for attr in ["bucket", "security_group_id", "vpc_id", "subnet_id", "route_table_id", "target_key_id", "key_id"]
        {
            let key_attr = if attr == "target_key_id" { "key_id" } else { attr };
            if let Some(v) = r.attr_str(attr).filter(|v| !v.is_empty()) {
                // A key named by ARN or alias is matched by its id only.
                if let Some(g) = parents.get(&(key_attr, v.to_string())) {
                    r.region = Some(g.clone());
                    break;
                }
            }
        }
    }
}

/// `module.a["x"].module.b.aws_s3_bucket.this[0]`
pub fn address(module: Option<&str>, rtype: &str, name: &str, index: Option<&serde_json::Value>) -> String {
    let mut s = String::new();
    if let Some(m) = module.filter(|m| !m.is_empty()) {
        s.push_str(m);
        s.push('.');
    }
    s.push_str(rtype);
    s.push('.');
    s.push_str(name);
    match index {
        Some(serde_json::Value::Number(n)) => s.push_str(&format!("[{n}]")),
        Some(serde_json::Value::String(k)) => s.push_str(&format!("[{}]", serde_json::Value::String(k.clone()))),
        _ => {}
    }
    s
}

fn redact(
    rtype: &str,
    attributes: &mut std::collections::BTreeMap<String, Value>,
    sensitive_paths: &[serde_json::Value],
) {
    for name in SECRET_FIELDS {
        if let Some(v) = attributes.get_mut(*name) {
            *v = Value::Sensitive;
        }
    }
    for (t, block, map) in SECRET_MAPS {
        if *t != rtype {
            continue;
        }
        if let Some(Value::List(blocks)) = attributes.get_mut(*block) {
            for b in blocks {
                if let Some(Value::Map(vars)) = b.as_map_mut().and_then(|m| m.get_mut(*map)) {
                    vars.values_mut().for_each(|v| *v = Value::Sensitive);
                }
            }
        }
    }
    if let Some(block) = schema::resource(rtype) {
        for name in block.sensitive() {
            if let Some(v) = attributes.get_mut(name) {
                *v = Value::Sensitive;
            }
        }
    }
    // Each entry is a path: [{"type": "get_attr", "value": "password"}, {"type": "index", ...}]
    for path in sensitive_paths {
        let Some(steps) = path.as_array() else { continue };
        let mut keys = steps.iter().filter_map(|s| match s.get("type").and_then(|t| t.as_str()) {
            Some("get_attr") => s.get("value").and_then(|v| v.as_str()).map(|v| Step::Key(v.to_string())),
            Some("index") => {
                let v = s.get("value").and_then(|v| v.get("value"));
                match v {
                    Some(serde_json::Value::Number(n)) => n.as_u64().map(|i| Step::Index(i as usize)),
                    Some(serde_json::Value::String(k)) => Some(Step::Key(k.clone())),
                    _ => None,
                }
            }
            _ => None,
        });
        let Some(Step::Key(first)) = keys.next() else { continue };
        if let Some(v) = attributes.get_mut(&first) {
            redact_path(v, keys.collect::<Vec<_>>().as_slice());
        }
    }
}

enum Step {
    Key(String),
    Index(usize),
}

fn redact_path(v: &mut Value, rest: &[Step]) {
    match rest.split_first() {
        None => *v = Value::Sensitive,
        Some((Step::Key(k), tail)) => {
            if let Value::Map(m) = v {
                if let Some(child) = m.get_mut(k) {
                    redact_path(child, tail);
                }
            }
        }
        Some((Step::Index(i), tail)) => {
            if let Value::List(l) = v {
                if let Some(child) = l.get_mut(*i) {
                    redact_path(child, tail);
                }
            }
        }
    }
}

/// Byte offset of a 1-based line and column, for diagnostics.
fn offset_of(text: &str, line: usize, column: usize) -> usize {
    let start: usize = text.split_inclusive('\n').take(line.saturating_sub(1)).map(str::len).sum();
    (start + column.saturating_sub(1)).min(text.len())
}

#[cfg(test)]
mod tests {
    use super::*;

    const STATE: &str = r#"{
  "version": 4, "terraform_version": "1.11.4", "serial": 3, "lineage": "x", "outputs": {},
  "resources": [
    {"mode": "data", "type": "aws_caller_identity", "name": "me", "provider": "p",
     "instances": [{"attributes": {"id": "123"}}]},
    {"module": "module.phi_bucket[\"records\"]", "mode": "managed", "type": "aws_s3_bucket", "name": "this",
     "provider": "p", "instances": [{"schema_version": 0, "attributes": {"id": "records", "bucket": "records", "arn": "arn:aws:s3:::records"}}]},
    {"mode": "managed", "type": "aws_db_instance", "name": "db", "provider": "p",
     "instances": [{"index_key": 0, "attributes": {"id": "db-1", "password": "hunter22", "arn": "arn:aws:rds:eu-west-1:123456789012:db:db-1",
       "nested": {"token": "t0ps3cret"}},
       "sensitive_attributes": [[{"type": "get_attr", "value": "nested"}, {"type": "index", "value": {"value": "token", "type": "string"}}]]}]}
  ]
}"#;

    #[test]
    fn addresses_modules_indexes_and_skips_data() {
        let rs = parse("t.tfstate", STATE).unwrap();
        let addrs: Vec<_> = rs.iter().map(|r| r.address.clone().unwrap()).collect();
        assert_eq!(addrs, vec!["module.phi_bucket[\"records\"].aws_s3_bucket.this", "aws_db_instance.db[0]"]);
        assert_eq!(rs[1].region.as_deref(), Some("eu-west-1"));
        assert_eq!(rs[0].region, None);
    }

    #[test]
    fn secrets_are_redacted_at_ingest() {
        let rs = parse("t.tfstate", STATE).unwrap();
        let db = &rs[1];
        assert_eq!(db.attr("password"), &Value::Sensitive);
        assert_eq!(db.attr("nested").get("token"), Some(&Value::Sensitive));
        let dump = format!("{:?}", rs);
        assert!(!dump.contains("hunter22") && !dump.contains("t0ps3cret"));
    }

    #[test]
    fn lambda_environment_values_are_redacted_at_ingest() {
        let state = r#"{"version": 4, "resources": [{"mode": "managed", "type": "aws_lambda_function", "name": "api",
          "provider": "p", "instances": [{"attributes": {"id": "api",
          "environment": [{"variables": {"DB_PASSWORD": "hunter22", "DB_HOST": "db"}}]}}]}]}"#;
        let rs = parse("t.tfstate", state).unwrap();
        let vars = rs[0].attr("environment").as_list().unwrap()[0].get("variables").unwrap();
        assert_eq!(vars.get("DB_PASSWORD"), Some(&Value::Sensitive));
        assert_eq!(vars.get("DB_HOST"), Some(&Value::Sensitive));
        assert!(!format!("{rs:?}").contains("hunter22"));
    }

    #[test]
    fn bad_json_names_line_and_column() {
        let e = parse("bad.tfstate", "{\n  \"version\": 4,\n  \"resources\": [,]\n}").unwrap_err();
        assert!(e.message.contains("line 3"), "{}", e.message);
        assert_eq!(e.file, "bad.tfstate");
    }

    #[test]
    fn wrong_version_is_explained() {
        let e = parse("old.tfstate", r#"{"version": 3, "modules": []}"#).unwrap_err();
        assert!(e.message.contains("expected 4"), "{}", e.message);
    }
}

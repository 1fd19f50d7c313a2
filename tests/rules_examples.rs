//! Every rule's examples behave as documented: the failing HCL example yields a finding of
//! that rule, the passing one none. Table-driven over the embedded rules, which must be
//! exactly the files under `rules/`.
//!
//! The examples are turned into config-view resources by a deliberately small HCL
//! converter (below): `resource` blocks with literal attributes and nested blocks;
//! references to other resources (`aws_kms_key.phi.arn`) become opaque strings, which the
//! views join on; `jsonencode(...)` of a literal becomes its JSON text; variables, locals
//! and every other expression are Unknown. The real HCL loader (`src/source/hcl`, used by
//! `plumb check`) is tested in tests/check.rs; the checkov corpus goes through it.

use std::collections::BTreeMap;
use std::path::Path;

use plumb::model::{Origin, Resource, Value};
use plumb::rules::{RuleSet, View, baseline::BASELINE, evaluate};

/// Config-view resources from the HCL of an example.
fn resources_from_hcl(hcl: &str) -> Vec<Resource> {
    let body = hcl::parse(hcl).unwrap_or_else(|e| panic!("example is not valid HCL: {e}\n{hcl}"));
    body.blocks()
        .filter(|b| b.identifier() == "resource")
        .enumerate()
        .map(|(index, b)| {
            let labels: Vec<&str> = b.labels().iter().map(|l| l.as_str()).collect();
            assert_eq!(labels.len(), 2, "resource blocks have a type and a name");
            let (rtype, name) = (labels[0], labels[1]);
            let address = format!("{rtype}.{name}");
            let attributes = body_to_map(b.body());
            // The config view's id: the bucket name when it is a literal, else the address.
            let id = match (rtype, attributes.get("bucket")) {
                ("aws_s3_bucket", Some(Value::String(s))) => s.clone(),
                _ => address.clone(),
            };
            Resource {
                rtype: rtype.to_string(),
                id,
                address: Some(address),
                region: None,
                attributes,
                origin: Origin::State { file: "example.tf".into(), index },
                aws_default: false,
            }
        })
        .collect()
}

/// Attributes, and nested blocks as lists of objects (the tfstate shape).
fn body_to_map(body: &hcl::Body) -> BTreeMap<String, Value> {
    let mut map = BTreeMap::new();
    for a in body.attributes() {
        map.insert(a.key().to_string(), expr(a.expr()));
    }
    for b in body.blocks() {
        let entry = map.entry(b.identifier().to_string()).or_insert_with(|| Value::List(Vec::new()));
        if let Value::List(l) = entry {
            l.push(Value::Map(body_to_map(b.body())));
        }
    }
    map
}

fn expr(e: &hcl::Expression) -> Value {
    use hcl::Expression as E;
    match e {
        E::Null => Value::Null,
        E::Bool(b) => Value::Bool(*b),
        E::Number(n) => Value::from_json(&serde_json::to_value(n).expect("number")),
        E::String(s) => Value::String(s.clone()),
        E::Array(items) => Value::List(items.iter().map(expr).collect()),
        E::Object(o) => Value::Map(
            o.iter()
                .map(|(k, v)| {
                    let key = match k {
                        hcl::ObjectKey::Identifier(i) => i.to_string(),
                        hcl::ObjectKey::Expression(E::String(s)) => s.clone(),
                        other => format!("{other:?}"),
                    };
                    (key, expr(v))
                })
                .collect(),
        ),
        E::Parenthesis(inner) => expr(inner),
        E::Traversal(t) => reference(t).map(Value::String).unwrap_or(Value::Unknown),
        E::FuncCall(f) if f.name.name.as_str() == "jsonencode" && f.args.len() == 1 => {
            let v = expr(&f.args[0]);
            if v.has_opaque() { Value::Unknown } else { Value::String(serde_json::to_string(&v).expect("json")) }
        }
        _ => Value::Unknown,
    }
}

/// `aws_kms_key.phi.arn` as text; `None` for variables, locals and other values only
/// known at plan time.
fn reference(t: &hcl::Traversal) -> Option<String> {
    let hcl::Expression::Variable(root) = &t.expr else { return None };
    let root = root.as_str();
    if ["var", "local", "each", "count", "path", "terraform", "self"].contains(&root) {
        return None;
    }
    let mut s = root.to_string();
    for op in &t.operators {
        match op {
            hcl::TraversalOperator::GetAttr(i) => s.push_str(&format!(".{i}")),
            hcl::TraversalOperator::Index(hcl::Expression::Number(n)) => s.push_str(&format!("[{n}]")),
            hcl::TraversalOperator::Index(hcl::Expression::String(k)) => s.push_str(&format!("[{k:?}]")),
            hcl::TraversalOperator::LegacyIndex(n) => s.push_str(&format!("[{n}]")),
            _ => return None,
        }
    }
    Some(s)
}

#[test]
fn every_rule_file_is_embedded() {
    let mut on_disk = Vec::new();
    collect(Path::new(env!("CARGO_MANIFEST_DIR")).join("rules").as_path(), &mut on_disk);
    on_disk.sort();
    let embedded: Vec<String> = BASELINE.iter().map(|(p, _)| p.to_string()).collect();
    assert_eq!(on_disk, embedded, "src/rules/baseline.rs must list every rules/**/*.rego file, sorted by path");
    for rule in RuleSet::baseline().rules() {
        // rules/<service>/<ID>.rego, the service being the id's middle part.
        let service = rule.meta.id.split('-').nth(1).unwrap_or_default().to_ascii_lowercase();
        assert_eq!(rule.path, format!("rules/{service}/{}.rego", rule.meta.id));
    }
}

fn collect(dir: &Path, out: &mut Vec<String>) {
    for entry in std::fs::read_dir(dir).unwrap() {
        let path = entry.unwrap().path();
        if path.is_dir() {
            collect(&path, out);
        } else if path.extension().is_some_and(|e| e == "rego") {
            let rel = path.strip_prefix(env!("CARGO_MANIFEST_DIR")).unwrap();
            out.push(rel.to_string_lossy().into_owned());
        }
    }
}

#[test]
fn examples_behave_as_documented() {
    let all = RuleSet::baseline();
    assert!(all.len() >= 40, "the baseline has {} rules", all.len());
    let mut failures = Vec::new();
    for rule in all.rules() {
        let id = rule.meta.id.clone();
        let only = all.clone().filter(|r| r.meta.id == id);
        let fail = resources_from_hcl(&rule.meta.examples.fail);
        let findings = evaluate(&only, &fail, View::Config);
        if findings.is_empty() {
            failures.push(format!("{id}: the failing example yields no finding"));
        }
        for f in &findings {
            let known = fail.iter().any(|r| r.address == f.address && r.rtype == f.rtype);
            if !known {
                failures.push(format!(
                    "{id}: finding points at {:?} ({}), not a resource of the example",
                    f.address, f.rtype
                ));
            }
            if f.view != View::Config || f.severity != rule.meta.severity || f.controls != rule.meta.controls {
                failures.push(format!("{id}: finding does not carry the rule's view, severity and controls: {f:?}"));
            }
        }
        let pass = resources_from_hcl(&rule.meta.examples.pass);
        let findings = evaluate(&only, &pass, View::Config);
        if !findings.is_empty() {
            failures.push(format!("{id}: the passing example yields {findings:?}"));
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

#[test]
fn the_converter_keeps_references_and_blocks() {
    let rs = resources_from_hcl(
        r#"
        resource "aws_s3_bucket_server_side_encryption_configuration" "x" {
          bucket = aws_s3_bucket.x.id
          rule {
            apply_server_side_encryption_by_default {
              sse_algorithm     = "aws:kms"
              kms_master_key_id = var.key
            }
          }
        }
        resource "aws_s3_bucket_policy" "x" {
          bucket = aws_s3_bucket.x.id
          policy = jsonencode({ Version = "2012-10-17", Statement = [] })
        }
        "#,
    );
    assert_eq!(rs[0].attr("bucket"), &Value::str("aws_s3_bucket.x.id"));
    let by_default = rs[0].attr("rule").get("apply_server_side_encryption_by_default").unwrap();
    assert_eq!(by_default.get("sse_algorithm"), Some(&Value::str("aws:kms")));
    assert_eq!(by_default.get("kms_master_key_id"), Some(&Value::Unknown));
    assert_eq!(rs[1].attr("policy"), &Value::str(r#"{"Statement":[],"Version":"2012-10-17"}"#));
}

//! Bringing what was made by hand under Terraform: an `import` block (Terraform 1.5+) and a
//! `resource` block generated from the live attributes through the provider schema (only
//! arguments a user writes: no computed-only values, no optional+computed ones except the
//! type's names, no `false` defaults), so that `terraform plan` shows the import and
//! nothing else. A security-group rule opened by hand on a group whose rules are separate
//! resources becomes an `aws_security_group_rule` imported by the provider's rule id.
//! Retiring a resource whose object is gone writes a `removed` block in its place.

use std::collections::{BTreeMap, BTreeSet};

use super::locate::{Fixed, Located};
use super::render::{self, Keep, Omitted};
use crate::model::Value;

/// Generated blocks for one item, and what a person has to complete.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Generated {
    pub address: String,
    pub text: String,
    pub notes: Vec<String>,
}

/// Arguments of legacy inline forms the provider still accepts on a type but that have
/// their own resources now: never generated (the split resources carry them).
const DEPRECATED: &[(&str, &[&str])] = &[(
    "aws_s3_bucket",
    &[
        "acceleration_status",
        "acl",
        "cors_rule",
        "grant",
        "lifecycle_rule",
        "logging",
        "object_lock_configuration",
        "policy",
        "replication_configuration",
        "request_payer",
        "server_side_encryption_configuration",
        "versioning",
        "website",
    ],
)];

/// A resource name from an id: lower case, `_` for anything not a letter or digit, not
/// starting with a digit, unique among `taken`.
pub fn name_for(id: &str, taken: &mut BTreeSet<String>) -> String {
    let mut base: String = id
        .chars()
        .map(|c| if c.is_ascii_alphanumeric() { c.to_ascii_lowercase() } else { '_' })
        .collect::<String>()
        .split('_')
        .filter(|s| !s.is_empty())
        .collect::<Vec<_>>()
        .join("_");
    if base.is_empty() || base.starts_with(|c: char| c.is_ascii_digit()) {
        base = format!("r_{base}");
    }
    base.truncate(60);
    let mut name = base.clone();
    let mut n = 2;
    while taken.contains(&name) {
        name = format!("{base}_{n}");
        n += 1;
    }
    taken.insert(name.clone());
    name
}

fn import_block(to: &str, id: &str) -> String {
    format!("import {{\n  to = {to}\n  id = {}\n}}\n", render::string(id))
}

/// `import` + `resource` for an unmanaged resource, from its live attributes.
pub fn unmanaged(
    rtype: &str,
    id: &str,
    live: &BTreeMap<String, Value>,
    default_tags: &BTreeMap<String, String>,
    taken: &mut BTreeSet<String>,
) -> Result<Generated, Fixed> {
    let schema = crate::schema::resource(rtype).ok_or_else(|| {
        Fixed::new(format!("Plumb has no provider schema for {rtype}: write its resource block by hand"), None)
    })?;
    let names: Vec<&str> = crate::aws::lookup(rtype).map(|t| t.identity.names.to_vec()).unwrap_or_default();
    let skip = DEPRECATED.iter().find(|(t, _)| *t == rtype).map(|(_, s)| *s).unwrap_or(&[]);
    let mut attrs: BTreeMap<String, Value> =
        live.iter().filter(|(k, _)| !skip.contains(&k.as_str())).map(|(k, v)| (k.clone(), v.clone())).collect();
    let mut notes = Vec::new();
    // The provider's default_tags reach every resource: the block writes only its own tags.
    if schema.attributes.contains_key("tags_all") && !default_tags.is_empty() {
        let live_tags = attrs.get("tags").and_then(Value::as_map).cloned().unwrap_or_default();
        let own: BTreeMap<String, Value> = live_tags
            .iter()
            .filter(|(k, v)| default_tags.get(*k).is_none_or(|d| v.as_str() != Some(d)))
            .map(|(k, v)| (k.clone(), v.clone()))
            .collect();
        let lacking: Vec<&str> =
            default_tags.keys().filter(|k| !live_tags.contains_key(*k)).map(String::as_str).collect();
        if !lacking.is_empty() {
            notes.push(format!(
                "it lacks the provider's default tags ({}): the plan after the import adds them (an update of its tags)",
                lacking.join(", ")
            ));
        }
        attrs.insert("tags".into(), Value::Map(own));
    }
    let name = name_for(id, taken);
    let address = format!("{rtype}.{name}");
    let mut omitted = Omitted::default();
    let mut body = render::body_lines(&attrs, Some(schema), Keep::Import, &names, 2, "", &mut omitted);
    for r in &omitted.required {
        body.push(format!("  # TODO: {r} is required; Plumb's live read does not give it"));
        notes.push(format!("{r} (required) is not read live: fill it in before `terraform plan`"));
    }
    for o in &omitted.opaque {
        notes.push(format!("{o} is secret or not read live: not written (add it if the code should manage it)"));
    }
    let resource = render::block_text("resource", &[rtype, &name], &body, 0);
    let text = format!("{}\n{resource}\n", import_block(&address, id));
    Ok(Generated { address, text, notes })
}

/// An `aws_security_group_rule` (and its import) for one rule (one source) opened by hand on
/// a group whose rules the code keeps in separate resources.
pub fn sg_rule(
    group: &Located,
    group_id: &str,
    direction: &str,
    atom: &Value,
    taken: &mut BTreeSet<String>,
) -> Result<Generated, Fixed> {
    if !group.address.modules.is_empty() || group.block.is_repeated() {
        return Err(Fixed::new(
            "the group is in a module or repeated (count/for_each): add the rule resource there by hand",
            None,
        ));
    }
    let m = atom.as_map().ok_or_else(|| Fixed::new("the added rule is not an object", None))?;
    let protocol = m.get("protocol").and_then(Value::as_str).map(crate::model::sg::protocol_name).unwrap_or_default();
    let from = m.get("from_port").and_then(Value::as_i64).unwrap_or(0);
    let to = m.get("to_port").and_then(Value::as_i64).unwrap_or(0);
    let (source_attr, source): (&str, String) = if m.get("self") == Some(&Value::Bool(true)) {
        ("self", "self".into())
    } else {
        let mut found = None;
        for (list, attr) in [
            ("cidr_blocks", "cidr_blocks"),
            ("ipv6_cidr_blocks", "ipv6_cidr_blocks"),
            ("prefix_list_ids", "prefix_list_ids"),
            ("security_groups", "source_security_group_id"),
        ] {
            if let Some(s) = m.get(list).and_then(Value::as_list).and_then(|l| l.first()).and_then(Value::as_str) {
                found = Some((attr, s.to_string()));
                break;
            }
        }
        found.ok_or_else(|| Fixed::new("the added rule has no source", None))?
    };
    let import_id = crate::model::sg::sg_rule_import_id(group_id, direction, &protocol, from, to, &source);
    let proto_word = if protocol == "-1" { "all".to_string() } else { protocol.clone() };
    let name = name_for(&format!("{}_{direction}_{proto_word}_{from}", group.address.name), taken);
    let address = format!("aws_security_group_rule.{name}");
    let group_ref = format!("{}.{}.id", group.address.rtype, group.address.name);
    let mut body = vec![
        format!("  type = {}", render::string(direction)),
        format!("  security_group_id = {group_ref}"),
        format!("  protocol = {}", render::string(&protocol)),
        format!("  from_port = {from}"),
        format!("  to_port = {to}"),
    ];
    match source_attr {
        "self" => body.push("  self = true".into()),
        "source_security_group_id" => body.push(format!("  source_security_group_id = {}", render::string(&source))),
        list => body.push(format!("  {list} = [{}]", render::string(&source))),
    }
    if let Some(d) = m.get("description").and_then(Value::as_str).filter(|d| !d.is_empty()) {
        body.push(format!("  description = {}", render::string(d)));
    }
    let resource = render::block_text("resource", &["aws_security_group_rule", &name], &body, 0);
    let text = format!("{}\n{resource}\n", import_block(&address, &import_id));
    Ok(Generated { address, text, notes: Vec::new() })
}

/// The `removed` block that retires a resource from state without destroying anything.
pub fn removed_block(from: &str, indent: usize) -> String {
    let p = render::pad(indent);
    format!("{p}removed {{\n{p}  from = {from}\n\n{p}  lifecycle {{\n{p}    destroy = false\n{p}  }}\n{p}}}")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_are_identifiers_and_unique() {
        let mut taken = BTreeSet::new();
        assert_eq!(name_for("clinic-scratch-by-hand", &mut taken), "clinic_scratch_by_hand");
        assert_eq!(name_for("clinic.scratch.by.hand", &mut taken), "clinic_scratch_by_hand_2");
        assert_eq!(name_for("1st", &mut taken), "r_1st");
    }

    #[test]
    fn a_bucket_made_by_hand_imports_with_its_name_and_tags() {
        let live = crate::fix::input::value(&serde_json::json!({
            "bucket": "scratch", "arn": "arn:aws:s3:::scratch", "tags": {"Owner": "alice", "Project": "p"},
            "acl": "private", "force_destroy": false, "object_lock_enabled": false
        }));
        let defaults: BTreeMap<String, String> = [("Project".to_string(), "p".to_string())].into();
        let g = unmanaged("aws_s3_bucket", "scratch", live.as_map().unwrap(), &defaults, &mut BTreeSet::new()).unwrap();
        assert_eq!(
            g.text,
            "import {\n  to = aws_s3_bucket.scratch\n  id = \"scratch\"\n}\n\nresource \"aws_s3_bucket\" \"scratch\" {\n  bucket = \"scratch\"\n  tags = {\n    Owner = \"alice\"\n  }\n}\n"
        );
        assert!(g.notes.is_empty());
    }
}

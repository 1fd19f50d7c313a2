//! The slice of the AWS provider v5 schema Plumb needs (`scripts/gen-schema.sh` writes
//! `aws_v5.json` from `terraform providers schema -json`): which attributes are sets or
//! lists, which a user can set, which are sensitive.

use std::collections::BTreeMap;
use std::sync::OnceLock;

use serde::Deserialize;

const EMBEDDED: &str = include_str!("aws_v5.json");

#[derive(Debug, Deserialize)]
struct File {
    resource_schemas: BTreeMap<String, Block>,
}

/// A block: attributes and nested block types.
#[derive(Debug, Deserialize, Default)]
pub struct Block {
    #[serde(default)]
    pub attributes: BTreeMap<String, Attribute>,
    #[serde(default)]
    pub block_types: BTreeMap<String, NestedBlock>,
}

#[derive(Debug, Deserialize)]
pub struct Attribute {
    /// Terraform type expression: `"string"`, `["set", "string"]`, `["map", "string"]`,
    /// `["list", ["object", {...}]]`.
    #[serde(rename = "type", default)]
    pub ty: serde_json::Value,
    #[serde(default)]
    pub optional: bool,
    #[serde(default)]
    pub required: bool,
    #[serde(default)]
    pub computed: bool,
    #[serde(default)]
    pub sensitive: bool,
}

#[derive(Debug, Deserialize)]
pub struct NestedBlock {
    pub nesting_mode: String,
    pub block: Block,
}

/// What a diff needs to know about one attribute or nested block.
#[derive(Debug, Clone, Copy)]
pub enum Shape<'a> {
    /// A primitive or a map: compared as a value (maps key by key).
    Plain { is_map: bool },
    /// A list or set of primitives.
    Collection { set: bool },
    /// A nested block (list or set of objects).
    Blocks { set: bool, block: &'a Block },
}

impl Attribute {
    /// A user can write it in configuration; computed-only attributes (ARNs, timestamps,
    /// statuses) are informational and never count as drift.
    pub fn configurable(&self) -> bool {
        self.optional || self.required
    }

    fn shape(&self) -> Shape<'static> {
        match &self.ty {
            serde_json::Value::Array(a) => match a.first().and_then(|k| k.as_str()) {
                Some("map") => Shape::Plain { is_map: true },
                Some("set") => Shape::Collection { set: true },
                Some("list") => Shape::Collection { set: false },
                _ => Shape::Plain { is_map: false },
            },
            _ => Shape::Plain { is_map: false },
        }
    }
}

impl Block {
    /// Shape and configurability of a member (attribute or nested block).
    pub fn member(&self, name: &str) -> Option<(Shape<'_>, bool)> {
        if let Some(a) = self.attributes.get(name) {
            return Some((a.shape(), a.configurable()));
        }
        self.block_types.get(name).map(|b| (Shape::Blocks { set: b.nesting_mode == "set", block: &b.block }, true))
    }

    /// Names of sensitive attributes of this block (not nested).
    pub fn sensitive(&self) -> impl Iterator<Item = &str> {
        self.attributes.iter().filter(|(_, a)| a.sensitive).map(|(n, _)| n.as_str())
    }
}

/// The schema of a resource type, if Plumb knows it.
pub fn resource(rtype: &str) -> Option<&'static Block> {
    static SCHEMA: OnceLock<BTreeMap<String, Block>> = OnceLock::new();
    SCHEMA
        .get_or_init(|| {
            let f: File = serde_json::from_str(EMBEDDED).expect("embedded provider schema is valid JSON");
            f.resource_schemas
        })
        .get(rtype)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn knows_sets_lists_and_sensitivity() {
        let sg = resource("aws_security_group").unwrap();
        assert!(matches!(sg.member("ingress"), Some((Shape::Collection { set: true }, true))));
        assert!(matches!(sg.member("arn"), Some((_, false))));
        let db = resource("aws_db_instance").unwrap();
        assert!(db.sensitive().any(|n| n == "password"));
        assert!(matches!(db.member("vpc_security_group_ids"), Some((Shape::Collection { set: true }, true))));
        assert!(matches!(db.member("tags"), Some((Shape::Plain { is_map: true }, true))));
    }
}

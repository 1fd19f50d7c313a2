//! Values as Terraform writes them: HCL literals in `terraform fmt`'s canonical form
//! (two-space indents, `[a, b]` lists on one line, maps and objects one entry per line), and
//! whole blocks from provider attributes, driven by the provider schema (attributes before
//! nested blocks; only what a user writes). The `=` alignment `terraform fmt` wants is
//! applied afterwards over the edited lines (`hcl_edit::align`), so renderers write `k = v`.

use std::collections::BTreeMap;

use crate::model::Value;
use crate::schema::Block;

/// A quoted HCL string: escapes, and `${` / `%{` doubled so they stay literal.
pub fn string(s: &str) -> String {
    let mut out = String::with_capacity(s.len() + 2);
    out.push('"');
    let mut chars = s.chars().peekable();
    while let Some(c) = chars.next() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '\n' => out.push_str("\\n"),
            '\r' => out.push_str("\\r"),
            '\t' => out.push_str("\\t"),
            '$' | '%' if chars.peek() == Some(&'{') => {
                out.push(c);
                out.push(c);
            }
            c if (c as u32) < 0x20 => out.push_str(&format!("\\u{:04x}", c as u32)),
            c => out.push(c),
        }
    }
    out.push('"');
    out
}

/// An object key: bare when it is an identifier, else quoted.
pub fn key(k: &str) -> String {
    if super::code::is_ident(k) { k.to_string() } else { string(k) }
}

/// Spaces for a nesting level.
pub fn pad(indent: usize) -> String {
    " ".repeat(indent)
}

/// A value as an HCL expression starting at column `indent` (continuation lines are
/// indented from there). `None` when the value is (or holds) something unknown or secret.
pub fn value(v: &Value, indent: usize) -> Option<String> {
    Some(match v {
        Value::Unknown | Value::Sensitive => return None,
        Value::Null => "null".into(),
        Value::Bool(b) => b.to_string(),
        Value::Number(n) => n.to_string(),
        Value::String(s) => string(s),
        Value::List(items) if items.is_empty() => "[]".into(),
        Value::List(items) if items.iter().all(|i| !matches!(i, Value::Map(_) | Value::List(_))) => {
            let parts: Option<Vec<String>> = items.iter().map(|i| value(i, indent)).collect();
            format!("[{}]", parts?.join(", "))
        }
        Value::List(items) => {
            let inner = indent + 2;
            let mut s = String::from("[\n");
            for i in items {
                s.push_str(&format!("{}{},\n", pad(inner), value(i, inner)?));
            }
            s.push_str(&format!("{}]", pad(indent)));
            s
        }
        Value::Map(m) if m.is_empty() => "{}".into(),
        Value::Map(m) => {
            let inner = indent + 2;
            let mut s = String::from("{\n");
            for (k, v) in m {
                s.push_str(&format!("{}{} = {}\n", pad(inner), key(k), value(v, inner)?));
            }
            s.push_str(&format!("{}}}", pad(indent)));
            s
        }
    })
}

/// How much of a resource's attributes a generated block keeps.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Keep {
    /// A new `resource` block for an import: arguments only, no optional+computed ones except
    /// the names in `names`, no `false` optional booleans (the provider's zero default).
    Import,
    /// A nested block for a set element that appeared live: every configurable value that is
    /// set (it is what state will hold).
    Element,
}

/// What a generated body left out that a person has to look at.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Omitted {
    /// Secret or unread values (`password`), by path.
    pub opaque: Vec<String>,
    /// Required arguments with no value to write.
    pub required: Vec<String>,
}

/// Lines of a block body (no braces) at `indent`, from attribute values and the block's
/// schema: attributes sorted by name first, then nested blocks.
pub fn body_lines(
    attrs: &BTreeMap<String, Value>,
    schema: Option<&Block>,
    keep: Keep,
    names: &[&str],
    indent: usize,
    path: &str,
    omitted: &mut Omitted,
) -> Vec<String> {
    const NEVER: &[&str] = &["id", "tags_all", "timeouts", "region"];
    let mut lines = Vec::new();
    let mut blocks = Vec::new();
    let at = |k: &str| if path.is_empty() { k.to_string() } else { format!("{path}.{k}") };
    if let Some(schema) = schema {
        for (name, a) in &schema.attributes {
            if !a.configurable() || NEVER.contains(&name.as_str()) && path.is_empty() {
                continue;
            }
            let v = attrs.get(name).unwrap_or(&Value::Null);
            if matches!(v, Value::Unknown | Value::Sensitive) || v.has_opaque() {
                if a.required || !v.is_empty_like() {
                    omitted.opaque.push(at(name));
                }
                continue;
            }
            if v.is_empty_like() || (keep == Keep::Import && is_default(a, v)) {
                if a.required && v.is_empty_like() {
                    omitted.required.push(at(name));
                }
                continue;
            }
            if keep == Keep::Import && a.computed && !a.required && !names.contains(&name.as_str()) {
                continue;
            }
            if let Some(s) = value(&strip_empty(v), indent) {
                lines.push(format!("{}{} = {s}", pad(indent), name));
            }
        }
        for (name, nb) in &schema.block_types {
            if NEVER.contains(&name.as_str()) {
                continue;
            }
            let elems: Vec<&BTreeMap<String, Value>> = match attrs.get(name) {
                Some(Value::List(l)) => l.iter().filter_map(Value::as_map).collect(),
                Some(Value::Map(m)) => vec![m],
                _ => Vec::new(),
            };
            for e in elems {
                let inner = body_lines(e, Some(&nb.block), keep, &[], indent + 2, &at(name), omitted);
                if inner.is_empty() {
                    continue;
                }
                blocks.push(block_text(name, &[], &inner, indent));
            }
        }
    } else {
        // An object without a schema (an element of a set-of-objects attribute such as a
        // security group's `ingress`): every value that is set, in the order people write
        // a rule (then by name).
        const FIRST: &[&str] = &[
            "description",
            "from_port",
            "to_port",
            "protocol",
            "cidr_blocks",
            "ipv6_cidr_blocks",
            "prefix_list_ids",
            "security_groups",
            "self",
        ];
        let mut ordered: Vec<(&String, &Value)> = attrs.iter().collect();
        ordered.sort_by_key(|(k, _)| (FIRST.iter().position(|f| f == k).unwrap_or(FIRST.len()), (*k).clone()));
        for (name, v) in ordered {
            if v.has_opaque() {
                omitted.opaque.push(at(name));
                continue;
            }
            if v.is_empty_like() || matches!(v, Value::Bool(false)) {
                continue;
            }
            if let Some(s) = value(v, indent) {
                lines.push(format!("{}{} = {s}", pad(indent), key(name)));
            }
        }
    }
    if !lines.is_empty() && !blocks.is_empty() {
        lines.push(String::new());
    }
    for (i, b) in blocks.into_iter().enumerate() {
        if i > 0 {
            lines.push(String::new());
        }
        lines.extend(b.lines().map(str::to_string));
    }
    lines
}

/// `ident "label" {` + body lines + `}` at `indent`.
pub fn block_text(ident: &str, labels: &[&str], body: &[String], indent: usize) -> String {
    let mut s = format!("{}{ident}", pad(indent));
    for l in labels {
        s.push(' ');
        s.push_str(&string(l));
    }
    if body.is_empty() {
        s.push_str(" {}");
        return s;
    }
    s.push_str(" {\n");
    for l in body {
        s.push_str(l);
        s.push('\n');
    }
    s.push_str(&format!("{}}}", pad(indent)));
    s
}

/// The provider's zero default for an optional, not computed argument: `false`.
fn is_default(a: &crate::schema::Attribute, v: &Value) -> bool {
    !a.required && !a.computed && matches!(v, Value::Bool(false))
}

/// Maps and lists without their empty members (a tag map never holds null values).
fn strip_empty(v: &Value) -> Value {
    match v {
        Value::Map(m) => {
            Value::Map(m.iter().filter(|(_, x)| !x.is_null()).map(|(k, x)| (k.clone(), x.clone())).collect())
        }
        other => other.clone(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn literals_in_fmt_form() {
        assert_eq!(string("a\"b\\c\n${x}%{y}$z"), r#""a\"b\\c\n$${x}%%{y}$z""#);
        assert_eq!(key("Owner"), "Owner");
        assert_eq!(key("cost center"), "\"cost center\"");
        assert_eq!(key("aws:tag"), "\"aws:tag\"");
        let v = Value::from_json(&serde_json::json!({"b": "x", "a": [1, 2], "c": [{"k": true}]}));
        assert_eq!(
            value(&v, 2).unwrap(),
            "{\n    a = [1, 2]\n    b = \"x\"\n    c = [\n      {\n        k = true\n      },\n    ]\n  }"
        );
        assert_eq!(value(&Value::Sensitive, 0), None);
        assert_eq!(value(&Value::List(vec![]), 0).unwrap(), "[]");
    }

    #[test]
    fn import_bodies_keep_arguments_only() {
        let schema = crate::schema::resource("aws_s3_bucket").unwrap();
        let attrs = Value::from_json(&serde_json::json!({
            "bucket": "by-hand", "arn": "arn:aws:s3:::by-hand", "acl": "private", "force_destroy": false,
            "tags": {"Owner": "alice"}, "object_lock_enabled": false, "id": "by-hand",
            "versioning": [{"enabled": false, "mfa_delete": false}]
        }));
        let mut omitted = Omitted::default();
        let lines = body_lines(attrs.as_map().unwrap(), Some(schema), Keep::Import, &["bucket"], 2, "", &mut omitted);
        assert_eq!(lines.join("\n"), "  bucket = \"by-hand\"\n  tags = {\n    Owner = \"alice\"\n  }");
        assert_eq!(omitted, Omitted::default());
    }
}

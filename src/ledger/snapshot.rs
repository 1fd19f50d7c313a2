//! Snapshots: the live configuration of one run as sorted, human-readable text (`plumb export`),
//! and what changed between two runs (`plumb diff`).
//!
//! ```text
//! aws_s3_bucket plumb-smoke-bucket  region=us-east-1  address=aws_s3_bucket.smoke
//!   arn = "arn:aws:s3:::plumb-smoke-bucket"
//!   tags.Name = "plumb-smoke"
//!   versioning_configuration[0].status = "Enabled"
//! ```
//!
//! One header line per resource (type, import id, region, Terraform address or `unmanaged`),
//! then one line per leaf attribute in Terraform's attribute syntax, all sorted. Secrets never
//! appear: fetchers do not read them, and a `Sensitive` value prints as `(sensitive)`.

use std::collections::{BTreeMap, HashMap};
use std::fmt::Write as _;

use similar::{ChangeTag, TextDiff};

use crate::diff::Judged;
use crate::model::{Resource, Value};
use crate::schema::Shape;

/// Render the live resources of a run, joined with the run's verdicts for their addresses.
pub fn render(judged: &[Judged], live: &[Resource]) -> String {
    let addresses: HashMap<(&str, &str), &str> =
        judged.iter().filter_map(|j| Some(((j.rtype.as_str(), j.id.as_str()), j.address.as_deref()?))).collect();
    let mut blocks: Vec<(String, Vec<String>)> = live
        .iter()
        .map(|r| {
            let mut header = format!("{} {}", r.rtype, r.id);
            if let Some(region) = &r.region {
                let _ = write!(header, "  region={region}");
            }
            let parent = crate::aws::lookup(&r.rtype).and_then(|t| t.parent);
            match (addresses.get(&(r.rtype.as_str(), r.id.as_str())), parent) {
                (Some(a), _) => {
                    let _ = write!(header, "  address={a}");
                }
                // A setting of another resource (a bucket's versioning, a group's rule) that
                // no block of its own manages: name its owner rather than calling it unmanaged
                // or an AWS-created default.
                (None, Some(parent)) => {
                    let owner = crate::aws::lookup(&r.rtype)
                        .and_then(|t| t.identity.parent_attr)
                        .or(Some("bucket"))
                        .and_then(|a| r.attr_str(a))
                        .unwrap_or(&r.id);
                    match addresses.get(&(parent, owner)) {
                        Some(a) => {
                            let _ = write!(header, "  part-of={a}");
                        }
                        None => {
                            let _ = write!(header, "  part-of={parent} {owner}");
                        }
                    }
                }
                (None, None) if r.aws_default => header.push_str("  aws-default"),
                (None, None) => header.push_str("  unmanaged"),
            }
            let schema = crate::schema::resource(&r.rtype);
            let mut lines = Vec::new();
            for (k, v) in &r.attributes {
                let set = schema.and_then(|s| s.member(k)).is_some_and(|(shape, _)| {
                    matches!(shape, Shape::Collection { set: true } | Shape::Blocks { set: true, .. })
                });
                if let (true, Value::List(items)) = (set, v)
                    && !items.is_empty()
                {
                    // Sets as sets: an element is named by its content, so adding a rule shows
                    // that rule, not every rule after it moving by one.
                    for item in items {
                        flatten(&mut lines, &format!("{}[#{}]", path_key("", k), element_key(item)), item);
                    }
                    continue;
                }
                flatten(&mut lines, &path_key("", k), v);
            }
            lines.sort();
            (header, lines)
        })
        .collect();
    blocks.sort();
    let mut out = format!("# plumb live configuration: {} resources\n", blocks.len());
    for (header, lines) in blocks {
        out.push('\n');
        out.push_str(&header);
        out.push('\n');
        for l in lines {
            out.push_str("  ");
            out.push_str(&l);
            out.push('\n');
        }
    }
    out
}

/// A short, stable name for a set element: the first 8 hex digits of the SHA-256 of its
/// canonical JSON.
fn element_key(v: &Value) -> String {
    use sha2::{Digest, Sha256};
    let hash = Sha256::digest(v.canonical().as_bytes());
    hash.iter().take(4).map(|b| format!("{b:02x}")).collect()
}

fn path_key(prefix: &str, key: &str) -> String {
    let plain = !key.is_empty() && key.chars().all(|c| c.is_ascii_alphanumeric() || c == '_' || c == '-');
    match (prefix.is_empty(), plain) {
        (true, true) => key.to_string(),
        (false, true) => format!("{prefix}.{key}"),
        (_, false) => format!("{prefix}[{}]", serde_json::to_string(key).unwrap_or_default()),
    }
}

fn flatten(out: &mut Vec<String>, path: &str, v: &Value) {
    match v {
        Value::List(items) if !items.is_empty() => {
            for (i, item) in items.iter().enumerate() {
                flatten(out, &format!("{path}[{i}]"), item);
            }
        }
        Value::Map(m) if !m.is_empty() => {
            for (k, item) in m {
                flatten(out, &path_key(path, k), item);
            }
        }
        Value::String(s) if looks_like_json_document(s) => {
            // Policies are JSON in a string: print them as sorted, indented JSON lines, so a
            // diff shows the statement that changed.
            match serde_json::from_str::<serde_json::Value>(s) {
                Ok(mut doc) => {
                    doc.sort_all_objects();
                    let pretty = serde_json::to_string_pretty(&doc).unwrap_or_default();
                    for (i, line) in pretty.lines().enumerate() {
                        out.push(format!("{path} <{i:03}> {line}"));
                    }
                }
                Err(_) => out.push(format!("{path} = {}", v.canonical())),
            }
        }
        _ => out.push(format!("{path} = {}", v.canonical())),
    }
}

fn looks_like_json_document(s: &str) -> bool {
    let t = s.trim_start();
    (t.starts_with('{') || t.starts_with('[')) && s.len() > 2
}

/// Split a snapshot into its resource blocks: header -> attribute lines.
fn blocks(text: &str) -> BTreeMap<&str, Vec<&str>> {
    let mut out: BTreeMap<&str, Vec<&str>> = BTreeMap::new();
    let mut current: Option<&str> = None;
    for line in text.lines() {
        if line.starts_with('#') || line.is_empty() {
            continue;
        }
        if let Some(attr) = line.strip_prefix("  ") {
            if let Some(h) = current {
                out.entry(h).or_default().push(attr);
            }
        } else {
            current = Some(line);
            out.entry(line).or_default();
        }
    }
    out
}

/// The resource's identity in a header: `type id` (region and address may change).
fn identity(header: &str) -> &str {
    header.split("  ").next().unwrap_or(header)
}

/// What changed between two snapshots, resource by resource; empty when nothing did.
pub fn diff(a_label: &str, a: &str, b_label: &str, b: &str) -> String {
    let ba = blocks(a);
    let bb = blocks(b);
    let by_id_a: BTreeMap<&str, (&str, &Vec<&str>)> = ba.iter().map(|(h, l)| (identity(h), (*h, l))).collect();
    let by_id_b: BTreeMap<&str, (&str, &Vec<&str>)> = bb.iter().map(|(h, l)| (identity(h), (*h, l))).collect();
    let mut ids: Vec<&str> = by_id_a.keys().chain(by_id_b.keys()).copied().collect();
    ids.sort();
    ids.dedup();
    let mut out = String::new();
    let (mut added, mut removed, mut changed) = (0, 0, 0);
    for id in ids {
        match (by_id_a.get(id), by_id_b.get(id)) {
            (Some((h, lines)), None) => {
                removed += 1;
                let _ = writeln!(out, "- {h}");
                for l in lines.iter() {
                    let _ = writeln!(out, "-   {l}");
                }
            }
            (None, Some((h, lines))) => {
                added += 1;
                let _ = writeln!(out, "+ {h}");
                for l in lines.iter() {
                    let _ = writeln!(out, "+   {l}");
                }
            }
            (Some((ha, la)), Some((hb, lb))) => {
                if ha == hb && la == lb {
                    continue;
                }
                changed += 1;
                if ha == hb {
                    let _ = writeln!(out, "~ {hb}");
                } else {
                    let _ = writeln!(out, "~ {hb}  (was: {ha})");
                }
                let ta = la.join("\n") + "\n";
                let tb = lb.join("\n") + "\n";
                let d = TextDiff::from_lines(&ta, &tb);
                for change in d.iter_all_changes() {
                    let sign = match change.tag() {
                        ChangeTag::Equal => continue,
                        ChangeTag::Delete => '-',
                        ChangeTag::Insert => '+',
                    };
                    let _ = write!(out, "{sign}   {}", change.value());
                }
            }
            (None, None) => {}
        }
    }
    if out.is_empty() {
        return String::new();
    }
    format!("--- {a_label}\n+++ {b_label}\n{out}# {changed} changed, {added} added, {removed} removed\n")
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::diff::Status;

    fn bucket(id: &str, versioning: &str) -> Resource {
        Resource::live("aws_s3_bucket", id, "us-east-1", "123456789012", None)
            .with("bucket", id)
            .with("tags", Value::string_map([("Name", "x"), ("cost center", "7")]))
            .with("versioning_configuration", Value::List(vec![Value::object([("status", Value::str(versioning))])]))
            .with("policy", r#"{"Version":"2012-10-17","Statement":[]}"#)
            .with("grant", Value::List(vec![]))
    }

    fn judged(id: &str, address: Option<&str>) -> Judged {
        Judged {
            account: None,
            address: address.map(str::to_string),
            rtype: "aws_s3_bucket".into(),
            id: id.into(),
            region: Some("us-east-1".into()),
            status: Status::InSync,
            changes: vec![],
            ignored: Vec::new(),
            attribution: None,
            live: None,
        }
    }

    #[test]
    fn renders_sorted_flat_lines() {
        let text = render(&[judged("b", Some("aws_s3_bucket.b"))], &[bucket("b", "Enabled"), bucket("a", "Enabled")]);
        let a = text.find("aws_s3_bucket a  region=us-east-1  unmanaged").unwrap();
        let b = text.find("aws_s3_bucket b  region=us-east-1  address=aws_s3_bucket.b").unwrap();
        assert!(a < b, "{text}");
        assert!(text.contains("  versioning_configuration[0].status = \"Enabled\"\n"), "{text}");
        assert!(text.contains("  tags[\"cost center\"] = \"7\"\n"), "{text}");
        assert!(text.contains("  grant = []\n"), "{text}");
        assert!(text.contains("  policy <001>   \"Statement\": [],\n"), "{text}");
    }

    #[test]
    fn diff_names_changed_added_and_removed_resources() {
        let j = [judged("b", Some("aws_s3_bucket.b"))];
        let one = render(&j, &[bucket("a", "Enabled"), bucket("b", "Enabled")]);
        let two = render(&j, &[bucket("b", "Suspended"), bucket("c", "Enabled")]);
        assert_eq!(diff("run 1", &one, "run 1", &one), "");
        let d = diff("run 1", &one, "run 2", &two);
        assert!(d.starts_with("--- run 1\n+++ run 2\n"), "{d}");
        assert!(d.contains("- aws_s3_bucket a  region=us-east-1  unmanaged\n"), "{d}");
        assert!(d.contains("~ aws_s3_bucket b  region=us-east-1  address=aws_s3_bucket.b\n"), "{d}");
        assert!(d.contains("-   versioning_configuration[0].status = \"Enabled\"\n"), "{d}");
        assert!(d.contains("+   versioning_configuration[0].status = \"Suspended\"\n"), "{d}");
        assert!(d.contains("+ aws_s3_bucket c"), "{d}");
        assert!(d.ends_with("# 1 changed, 1 added, 1 removed\n"), "{d}");
    }

    fn group(rules: &[(i64, &str)]) -> Resource {
        let ingress = rules
            .iter()
            .map(|(port, cidr)| {
                Value::object([
                    ("protocol", "tcp".into()),
                    ("from_port", Value::int(*port)),
                    ("to_port", Value::int(*port)),
                    ("cidr_blocks", Value::string_list([*cidr])),
                ])
            })
            .collect();
        Resource::live("aws_security_group", "sg-1", "us-east-1", "1", None).with("ingress", Value::List(ingress))
    }

    #[test]
    fn sets_compare_as_sets_and_parts_name_their_owner() {
        let j = [Judged { rtype: "aws_security_group".into(), ..judged("sg-1", Some("aws_security_group.web")) }];
        let one = render(&j, &[group(&[(443, "10.0.0.0/8"), (80, "10.0.0.0/8")])]);
        // The same rules in another order: no difference. One rule added: only it shows.
        let same = render(&j, &[group(&[(80, "10.0.0.0/8"), (443, "10.0.0.0/8")])]);
        assert_eq!(diff("1", &one, "2", &same), "");
        let two = render(&j, &[group(&[(22, "0.0.0.0/0"), (443, "10.0.0.0/8"), (80, "10.0.0.0/8")])]);
        let d = diff("1", &one, "2", &two);
        assert_eq!(d.lines().filter(|l| l.starts_with("+   ")).count(), 4, "only the new rule's four lines: {d}");
        assert!(d.contains("from_port = 22"), "{d}");
        assert!(!d.lines().any(|l| l.starts_with("-   ")), "nothing removed: {d}");
        // A bucket's never-configured versioning belongs to the bucket; it is no AWS default.
        let v =
            Resource { aws_default: true, ..Resource::live("aws_s3_bucket_versioning", "b", "us-east-1", "1", None) }
                .with("bucket", "b");
        let text = render(&[judged("b", Some("aws_s3_bucket.b"))], &[v]);
        assert!(text.contains("aws_s3_bucket_versioning b  region=us-east-1  part-of=aws_s3_bucket.b"), "{text}");
        assert!(!text.contains("aws-default"), "{text}");
    }
}

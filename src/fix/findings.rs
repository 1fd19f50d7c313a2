//! Hardening fixes: a rule's machine-readable remediation (`fix:` in its metadata) applied
//! to the code at the finding's address: attributes set (following variables and locals as
//! adopt does), nested blocks merged or added, names removed, or a split resource added next
//! to its owner (`aws_s3_bucket_public_access_block` for a bucket). Used by
//! `plumb fix --findings` (all fixes, one patch), and by `plumb check` for SARIF `fixes` and
//! pull-request suggestions (each finding's fix on its own).

use std::collections::BTreeMap;

use serde_json::Value as J;

use super::adopt::{Adopter, Patch, delete_lines, indent_at, insert_attr_lines, insert_block_text};
use super::code::{BlockNode, Code};
use super::hcl_edit::{Edit, Edits};
use super::locate::{Fixed, Located, locate};
use super::patch::{Hunk, hunks};
use super::render;
use super::summary::{FindingReport, Outcome};
use super::{Evaluated, commit, instances};
use crate::model::Value;
use crate::rules::{Finding, RuleMeta};
use crate::schema::Block;

/// One finding's fix as changes to files: for SARIF `fixes` and suggestions.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CodeFix {
    pub description: String,
    /// Per file (relative to the code directory): the original text and its changed lines.
    pub files: Vec<FileFix>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FileFix {
    pub file: String,
    pub original: String,
    pub hunks: Vec<Hunk>,
}

/// A GitHub suggestion: 1-based lines `start_line..=end_line` of one file become `lines`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Suggestion {
    pub file: String,
    pub start_line: usize,
    pub end_line: usize,
    pub lines: Vec<String>,
}

impl CodeFix {
    /// The SARIF 2.1.0 `fix`: one `artifactChange` per file, one `replacement` per hunk, its
    /// `deletedRegion` exact in characters of the original text (whole lines, newline
    /// included; empty for an insertion).
    pub fn sarif(&self) -> J {
        let changes: Vec<J> = self
            .files
            .iter()
            .map(|f| {
                let replacements: Vec<J> = f
                    .hunks
                    .iter()
                    .map(|h| {
                        let start = super::patch::line_offset(&f.original, h.old_start);
                        let end = super::patch::line_offset(&f.original, h.old_end).max(start);
                        let mut text: String = h.new_lines.iter().map(|l| format!("{l}\n")).collect();
                        // The file's last line had no newline and is replaced: neither has one.
                        if end == f.original.len() && end > start && !f.original.ends_with('\n') {
                            text.pop();
                        }
                        let offset = f.original.get(..start).map(|t| t.chars().count()).unwrap_or_default();
                        let length = f.original.get(start..end).map(|t| t.chars().count()).unwrap_or_default();
                        serde_json::json!({
                            "deletedRegion": {"charOffset": offset, "charLength": length},
                            "insertedContent": {"text": text}
                        })
                    })
                    .collect();
                serde_json::json!({"artifactLocation": {"uri": f.file}, "replacements": replacements})
            })
            .collect();
        serde_json::json!({"description": {"text": self.description}, "artifactChanges": changes})
    }

    /// The fix as one GitHub ```suggestion``` over a line range, when it changes one file
    /// (an insertion takes the line before it, or after it at the top of the file).
    pub fn suggestion(&self) -> Option<Suggestion> {
        let [file] = self.files.as_slice() else { return None };
        let original: Vec<&str> = file.original.lines().collect();
        let (first, last) = (file.hunks.first()?, file.hunks.last()?);
        let mut start = first.old_start;
        let mut end = last.old_end.max(start);
        if first.old_start == first.old_end && start > 0 {
            start -= 1;
        }
        if start == end {
            if end >= original.len() {
                return None;
            }
            end += 1;
        }
        let mut lines = Vec::new();
        let mut cursor = start;
        for h in &file.hunks {
            lines.extend(original.get(cursor..h.old_start.max(cursor))?.iter().map(|l| l.to_string()));
            lines.extend(h.new_lines.iter().cloned());
            cursor = h.old_end.max(cursor);
        }
        lines.extend(original.get(cursor..end.max(cursor))?.iter().map(|l| l.to_string()));
        Some(Suggestion { file: file.file.clone(), start_line: start + 1, end_line: end, lines })
    }
}

/// The fix of one finding as a patch, not yet queued.
pub fn patch_for(code: &Code, evaluated: &Evaluated, finding: &Finding, meta: &RuleMeta) -> Result<Patch, Fixed> {
    let changes = meta.fix.as_ref().map(|f| f.changes.as_slice()).unwrap_or(&[]);
    if changes.is_empty() {
        return Err(Fixed::new(
            format!("{} has no machine-applicable fix: {}", meta.id, crate::report::hint(&meta.remediation)),
            None,
        ));
    }
    let Some(address) = &finding.address else {
        return Err(Fixed::new("the finding is on a resource the code does not manage", None));
    };
    let loc = locate(code, address, instances(evaluated, address))?;
    let rtype = loc.address.rtype.clone();
    let Some(change) = changes.iter().find(|c| c.on.is_empty() || c.on.contains(&rtype)) else {
        return Err(Fixed::new(format!("{}'s fix does not apply to {rtype}", meta.id), Some(loc.place(code))));
    };
    let adopter = Adopter { code, evaluated };
    if let Some(add) = &change.add {
        return add_resource(code, &loc, &add.rtype, &add.set);
    }
    let schema = crate::schema::resource(&rtype);
    let mut patch = apply_set(&adopter, &loc, loc.block, schema, &change.set, &change.remove, true)?;
    if !change.update.is_empty() {
        patch.extend(apply_set(&adopter, &loc, loc.block, schema, &change.update, &[], false)?);
    }
    Ok(patch)
}

/// A `set` key is a nested block: the schema says so, or (types without a schema slice) its
/// value is a map and it is not a map attribute such as `tags`.
fn nested<'s>(schema: Option<&'s Block>, key: &str, value: &J) -> Option<Option<&'s Block>> {
    if let Some(nb) = schema.and_then(|s| s.block_types.get(key)) {
        return Some(Some(&nb.block));
    }
    let is_attr = schema.is_some_and(|s| s.attributes.contains_key(key));
    (value.is_object() && !is_attr && !key.starts_with("tags")).then_some(None)
}

/// Write `set` into `block` and delete `remove` from it.
fn apply_set(
    adopter: &Adopter,
    loc: &Located,
    block: &BlockNode,
    schema: Option<&'static Block>,
    set: &serde_json::Map<String, J>,
    remove: &[String],
    create: bool,
) -> Result<Patch, Fixed> {
    let code = adopter.code;
    let text = code.text(block.file);
    let place = Some(code.place(block.file, block.span.start));
    let indent = indent_at(text, block.span.start) + 2;
    let mut patch = Patch::default();
    let mut new_lines = Vec::new();
    let mut new_blocks = Vec::new();
    for (k, v) in set {
        match nested(schema, k, v) {
            Some(nb) => {
                let J::Object(inner) = v else {
                    return Err(Fixed::new(format!("fix: `{k}` is a block; give it as a map"), place));
                };
                if block.has_dynamic(k) {
                    return Err(Fixed::new(format!("`{k}` blocks come from a dynamic block"), place));
                }
                let statics: Vec<&BlockNode> = block.blocks_named(k).collect();
                if statics.is_empty() && create {
                    loc.shared_literal(code, k)?;
                    let body = spec_lines(inner, nb, indent + 2, None);
                    new_blocks.push(render::block_text(k, &[], &body, indent));
                }
                for s in statics {
                    patch.extend(apply_set(adopter, loc, s, nb, inner, &[], create)?);
                }
            }
            None => {
                let value = Value::from_json(v);
                if block.attr(k).is_some() {
                    patch.extend(adopter.set_attr(loc, block, k, &value)?);
                } else {
                    loc.shared_literal(code, k)?;
                    let r = render::value(&value, indent).unwrap_or_else(|| "null".into());
                    new_lines.push(format!("{}{k} = {r}", render::pad(indent)));
                }
            }
        }
    }
    for name in remove {
        loc.shared_literal(code, name)?;
        if let Some(a) = block.attr(name) {
            let e = delete_lines(text, a.span.clone());
            push(&mut patch, code, block.file, e);
        }
        for b in block
            .blocks
            .iter()
            .filter(|b| b.ident == *name || (b.ident == "dynamic" && b.labels.first().is_some_and(|l| l == name)))
        {
            let e = delete_lines(text, b.span.clone());
            push(&mut patch, code, block.file, e);
        }
    }
    let inner = &text[block.open + 1..block.close];
    if !inner.contains('\n') && !(new_lines.is_empty() && new_blocks.is_empty()) {
        // A one-line block: write it again as lines, with what it had.
        let mut s = String::from("{\n");
        let existing = inner.trim();
        if !existing.is_empty() {
            s.push_str(&format!("{}{existing}\n", render::pad(indent)));
        }
        for l in &new_lines {
            s.push_str(l);
            s.push('\n');
        }
        for b in &new_blocks {
            if s.len() > 2 {
                s.push('\n');
            }
            s.push_str(b);
            s.push('\n');
        }
        s.push_str(&render::pad(indent - 2));
        s.push('}');
        push(&mut patch, code, block.file, Edit { range: block.open..block.close + 1, text: s });
        return Ok(patch);
    }
    if !new_lines.is_empty() {
        let e = insert_attr_lines(text, block, &new_lines);
        push(&mut patch, code, block.file, e);
    }
    for b in new_blocks {
        let e = insert_block_text(text, block, None, &b);
        push(&mut patch, code, block.file, e);
    }
    Ok(patch)
}

fn push(patch: &mut Patch, code: &Code, file: usize, e: Edit) {
    let place = code.place(file, e.range.start);
    if !patch.places.contains(&place) {
        patch.places.push(place);
    }
    patch.edits.push((file, e));
}

/// Body lines from a fix's `set` map, nested blocks per the schema; `$owner.x` strings are
/// references to `owner` (`aws_s3_bucket.records.x`).
fn spec_lines(
    set: &serde_json::Map<String, J>,
    schema: Option<&Block>,
    indent: usize,
    owner: Option<&str>,
) -> Vec<String> {
    let mut lines = Vec::new();
    let mut blocks = Vec::new();
    for (k, v) in set {
        match (nested(schema, k, v), v) {
            (Some(nb), J::Object(inner)) => {
                let body = spec_lines(inner, nb, indent + 2, owner);
                blocks.push(render::block_text(k, &[], &body, indent));
            }
            (_, J::String(s)) if owner.is_some() && s.starts_with("$owner.") => {
                let owner = owner.unwrap_or_default();
                lines.push(format!("{}{k} = {owner}.{}", render::pad(indent), &s["$owner.".len()..]));
            }
            _ => {
                let r = render::value(&Value::from_json(v), indent).unwrap_or_else(|| "null".into());
                lines.push(format!("{}{k} = {r}", render::pad(indent)));
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

/// A split resource for `loc`'s resource, named like it, after its block.
fn add_resource(code: &Code, loc: &Located, rtype: &str, set: &serde_json::Map<String, J>) -> Result<Patch, Fixed> {
    let place = Some(loc.place(code));
    if loc.block.is_repeated() || loc.instances > 1 {
        return Err(Fixed::new(
            format!("the resource is repeated (count/for_each): add a {rtype} with the same count/for_each by hand"),
            place,
        ));
    }
    let mut name = loc.address.name.clone();
    let mut n = 2;
    while loc.module.resources.contains_key(&(rtype.to_string(), name.clone())) {
        name = format!("{}_{n}", loc.address.name);
        n += 1;
    }
    let owner = format!("{}.{}", loc.address.rtype, loc.address.name);
    let text = code.text(loc.block.file);
    let indent = indent_at(text, loc.block.span.start);
    let body = spec_lines(set, crate::schema::resource(rtype), indent + 2, Some(&owner));
    let block = render::block_text("resource", &[rtype, &name], &body, indent);
    let mut patch = Patch::default();
    let at = loc.block.span.end;
    push(&mut patch, code, loc.block.file, Edit { range: at..at, text: format!("\n\n{block}") });
    patch.notes.push(format!("added {}{rtype}.{name}", loc.address.module_prefix()));
    Ok(patch)
}

/// Every finding's fix on its own (for SARIF and suggestions), by finding index.
pub fn code_fixes(
    code: &Code,
    evaluated: &Evaluated,
    findings: &[Finding],
    rules: &BTreeMap<String, RuleMeta>,
) -> BTreeMap<usize, CodeFix> {
    let mut out = BTreeMap::new();
    for (i, f) in findings.iter().enumerate() {
        let Some(meta) = rules.get(&f.rule_id) else { continue };
        let Ok(p) = patch_for(code, evaluated, f, meta) else { continue };
        let mut edits = Edits::default();
        if commit(code, &mut edits, &p).is_err() {
            continue;
        }
        let files: Vec<FileFix> = edits
            .results()
            .into_iter()
            .map(|(file, (old, new, _))| FileFix { hunks: hunks(&old, &new), file, original: old })
            .filter(|f| !f.hunks.is_empty())
            .collect();
        if files.is_empty() {
            continue;
        }
        let description = format!("{}: {}", f.rule_id, crate::report::hint(&meta.remediation));
        out.insert(i, CodeFix { description, files });
    }
    out
}

/// All unwaived findings' fixes into `edits` (one after the other; a fix that collides
/// with an earlier one is reported, not applied).
pub fn fix_all(
    code: &Code,
    evaluated: &Evaluated,
    findings: &[Finding],
    rules: &BTreeMap<String, RuleMeta>,
    edits: &mut Edits,
) -> Vec<FindingReport> {
    let mut out = Vec::new();
    for f in findings.iter().filter(|f| !f.waived) {
        let report = |outcome, places, reason, notes| FindingReport {
            rule_id: f.rule_id.clone(),
            address: f.address.clone(),
            message: f.message.clone(),
            outcome,
            places,
            reason,
            notes,
        };
        let Some(meta) = rules.get(&f.rule_id) else { continue };
        let result = patch_for(code, evaluated, f, meta).and_then(|p| commit(code, edits, &p).map(|()| p));
        out.push(match result {
            Ok(p) => report(Outcome::Patched, p.places, None, p.notes),
            Err(e) => {
                let reason = match e.place {
                    Some(pl) => format!("{} (at {pl})", e.reason),
                    None => e.reason,
                };
                report(Outcome::NotPatched, Vec::new(), Some(reason), Vec::new())
            }
        });
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sarif_regions_and_suggestions_are_exact() {
        let original = "resource \"aws_kms_key\" \"k\" {\n  description = \"é\"\n}\n".to_string();
        let fix = CodeFix {
            description: "HS-KMS-001: rotate".into(),
            files: vec![FileFix {
                file: "main.tf".into(),
                original: original.clone(),
                hunks: vec![Hunk { old_start: 2, old_end: 2, new_lines: vec!["  enable_key_rotation = true".into()] }],
            }],
        };
        let j = fix.sarif();
        let r = &j["artifactChanges"][0]["replacements"][0];
        assert_eq!(r["deletedRegion"]["charOffset"], original.chars().count() - 2);
        assert_eq!(r["deletedRegion"]["charLength"], 0);
        assert_eq!(r["insertedContent"]["text"], "  enable_key_rotation = true\n");
        let s = fix.suggestion().unwrap();
        assert_eq!((s.start_line, s.end_line), (2, 2));
        assert_eq!(s.lines, ["  description = \"é\"", "  enable_key_rotation = true"]);
    }
    use crate::rules::metadata::{FixAdd, FixChange, RuleFix};

    fn meta(fix: RuleFix) -> RuleMeta {
        let mut m = crate::rules::RuleSet::baseline().rules()[0].meta.clone();
        m.id = "X-1".into();
        m.fix = Some(fix);
        m
    }

    fn finding(address: &str) -> Finding {
        let mut f: Finding = serde_json::from_value(serde_json::json!({
            "rule_id": "X-1", "severity": "high", "view": "config", "address": address, "type": "t", "id": "i",
            "file": null, "line": null, "message": "m", "waived": false,
            "controls": {"hipaa": [], "soc2": [], "gdpr": []}
        }))
        .unwrap();
        f.address = Some(address.into());
        f
    }

    fn run(text: &str, address: &str, fix: RuleFix) -> String {
        let code = Code::from_text("main.tf", text).unwrap();
        let p = patch_for(&code, &Evaluated::new(), &finding(address), &meta(fix)).unwrap();
        let mut edits = Edits::default();
        commit(&code, &mut edits, &p).unwrap();
        edits.results()["main.tf"].1.clone()
    }

    #[test]
    fn sets_attributes_and_merges_blocks() {
        let set = serde_json::json!({"deletion_protection": true, "backup_retention_period": 35});
        let out = run(
            "resource \"aws_db_instance\" \"db\" {\n  identifier = \"x\"\n  backup_retention_period = 7\n}\n",
            "aws_db_instance.db",
            RuleFix {
                judges: None,
                changes: vec![FixChange { set: set.as_object().unwrap().clone(), ..Default::default() }],
            },
        );
        assert_eq!(
            out,
            "resource \"aws_db_instance\" \"db\" {\n  identifier              = \"x\"\n  backup_retention_period = 35\n  deletion_protection     = true\n}\n"
        );
        let set = serde_json::json!({"metadata_options": {"http_tokens": "required"}});
        let out = run(
            "resource \"aws_instance\" \"a\" {\n  ami = \"ami-1\"\n}\n",
            "aws_instance.a",
            RuleFix {
                judges: None,
                changes: vec![FixChange { set: set.as_object().unwrap().clone(), ..Default::default() }],
            },
        );
        assert_eq!(
            out,
            "resource \"aws_instance\" \"a\" {\n  ami = \"ami-1\"\n\n  metadata_options {\n    http_tokens = \"required\"\n  }\n}\n"
        );
    }

    #[test]
    fn adds_a_split_resource_after_its_owner() {
        let set = serde_json::json!({"bucket": "$owner.id", "versioning_configuration": {"status": "Enabled"}});
        let out = run(
            "resource \"aws_s3_bucket\" \"b\" {\n  bucket = \"b\"\n}\n",
            "aws_s3_bucket.b",
            RuleFix {
                judges: None,
                changes: vec![FixChange {
                    add: Some(FixAdd {
                        rtype: "aws_s3_bucket_versioning".into(),
                        set: set.as_object().unwrap().clone(),
                    }),
                    ..Default::default()
                }],
            },
        );
        assert_eq!(
            out,
            "resource \"aws_s3_bucket\" \"b\" {\n  bucket = \"b\"\n}\n\nresource \"aws_s3_bucket_versioning\" \"b\" {\n  bucket = aws_s3_bucket.b.id\n\n  versioning_configuration {\n    status = \"Enabled\"\n  }\n}\n"
        );
    }
}

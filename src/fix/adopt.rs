//! Adopt: make the code say what live AWS says, at the place that decides the value.
//!
//! - an attribute: its literal is replaced in place; a variable or local is changed where it
//!   is defined when that is its only use; an attribute the code leaves out is added;
//! - a map key (`tags.Owner`): the map literal is edited key by key (a one-line map that
//!   gains or loses a key is rewritten as a block of lines);
//! - a nested block path (`versioning_configuration[0].status`): the attribute in that block
//!   (the block is added when the code has none);
//! - a set of blocks (`ingress`, `rule`): blocks that disappeared are removed, blocks that
//!   appeared are added after their siblings, and one block replaced by another is edited
//!   field by field so its expressions and comments stay.

use std::collections::BTreeMap;

use hcl::edit::Span;
use hcl::edit::expr::Expression;

use super::code::{AttrNode, BlockNode, Code};
use super::hcl_edit::Edit;
use super::locate::{Fixed, Located, Target, is_literal, resolve, resolve_expr};
use super::render::{self, Keep, Omitted};
use crate::model::Value;
use crate::schema::{Block, Shape};

/// The edits one item needs, by file index into [`Code::files`], and where they are.
#[derive(Debug, Clone, Default)]
pub struct Patch {
    pub edits: Vec<(usize, Edit)>,
    pub places: Vec<String>,
    pub notes: Vec<String>,
}

impl Patch {
    fn push(&mut self, code: &Code, file: usize, edit: Edit) {
        let place = code.place(file, edit.range.start);
        if !self.places.contains(&place) {
            self.places.push(place);
        }
        self.edits.push((file, edit));
    }

    pub fn extend(&mut self, other: Patch) {
        for p in other.places {
            if !self.places.contains(&p) {
                self.places.push(p);
            }
        }
        self.edits.extend(other.edits);
        self.notes.extend(other.notes);
    }
}

/// One segment of a report path: `name`, `[0]`, or a map key (`.Owner`, `["cost center"]`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Seg {
    Name(String),
    Index(usize),
    Quoted(String),
}

/// `a.b[0].c`, `tags["cost center"]` as segments.
pub fn parse_path(path: &str) -> Vec<Seg> {
    let mut out = Vec::new();
    let chars: Vec<char> = path.chars().collect();
    let mut i = 0;
    let mut cur = String::new();
    while i < chars.len() {
        match chars[i] {
            '.' => {
                if !cur.is_empty() {
                    out.push(Seg::Name(std::mem::take(&mut cur)));
                }
            }
            '[' => {
                if !cur.is_empty() {
                    out.push(Seg::Name(std::mem::take(&mut cur)));
                }
                let mut j = i + 1;
                if chars.get(j) == Some(&'"') {
                    let mut s = String::new();
                    j += 1;
                    while j < chars.len() && chars[j] != '"' {
                        if chars[j] == '\\' && j + 1 < chars.len() {
                            j += 1;
                        }
                        s.push(chars[j]);
                        j += 1;
                    }
                    out.push(Seg::Quoted(s));
                    while j < chars.len() && chars[j] != ']' {
                        j += 1;
                    }
                } else {
                    let mut s = String::new();
                    while j < chars.len() && chars[j] != ']' {
                        s.push(chars[j]);
                        j += 1;
                    }
                    match s.parse() {
                        Ok(n) => out.push(Seg::Index(n)),
                        Err(_) => out.push(Seg::Quoted(s)),
                    }
                }
                i = j;
            }
            c => cur.push(c),
        }
        i += 1;
    }
    if !cur.is_empty() {
        out.push(Seg::Name(cur));
    }
    out
}

/// Where a report path lands in a block, per the provider schema.
#[derive(Debug)]
pub enum Landing<'a> {
    /// An attribute of `block`.
    Attr { block: &'a BlockNode, schema: Option<&'static Block>, key: String },
    /// A key of the map attribute `attr` of `block`.
    MapKey { block: &'a BlockNode, attr: String, key: String },
    /// A whole set (or list) of nested blocks `ident` of `block`: `schema` is the element's
    /// block schema, `None` for a set-of-objects attribute written as blocks (`ingress`).
    Blocks { block: &'a BlockNode, ident: String, schema: Option<&'static Block> },
    /// `ident[0].key` where the code has no `ident` block: it is created.
    NewBlock { block: &'a BlockNode, ident: String, schema: Option<&'static Block>, key: String },
}

/// Follow `segs` from a resource block through its nested blocks.
pub fn land<'a>(
    code: &Code,
    block: &'a BlockNode,
    schema: Option<&'static Block>,
    segs: &[Seg],
) -> Result<Landing<'a>, Fixed> {
    let place = || Some(code.place(block.file, block.span.start));
    let Some(Seg::Name(name)) = segs.first() else {
        return Err(Fixed::new("unexpected attribute path", place()));
    };
    let member = schema.and_then(|s| s.member(name));
    match (member, &segs[1..]) {
        (Some((Shape::Plain { is_map: true }, _)), []) => Ok(Landing::Attr { block, schema, key: name.clone() }),
        (Some((Shape::Plain { is_map: true }, _)), [Seg::Name(k) | Seg::Quoted(k)]) => {
            Ok(Landing::MapKey { block, attr: name.clone(), key: k.clone() })
        }
        (Some((Shape::Blocks { block: nested, .. }, _)), []) => {
            Ok(Landing::Blocks { block, ident: name.clone(), schema: Some(nested) })
        }
        (Some((Shape::Collection { set: true }, _)), []) if block.attr(name).is_none() => {
            // A set of objects written as blocks (`ingress { }`), or a set attribute.
            if block.blocks_named(name).next().is_some() || block.has_dynamic(name) || is_object_set(schema, name) {
                Ok(Landing::Blocks { block, ident: name.clone(), schema: None })
            } else {
                Ok(Landing::Attr { block, schema, key: name.clone() })
            }
        }
        (Some((Shape::Blocks { block: nested, .. }, _)), [Seg::Index(i), rest @ ..]) => {
            if block.has_dynamic(name) {
                return Err(Fixed::new(format!("`{name}` blocks come from a dynamic block"), place()));
            }
            let statics: Vec<&BlockNode> = block.blocks_named(name).collect();
            match statics.get(*i) {
                Some(&inner) if !rest.is_empty() => land(code, inner, Some(nested), rest),
                Some(_) => Err(Fixed::new(format!("`{name}[{i}]` as a whole"), place())),
                None if statics.is_empty() && *i == 0 => match rest {
                    [Seg::Name(k)] => {
                        Ok(Landing::NewBlock { block, ident: name.clone(), schema: Some(nested), key: k.clone() })
                    }
                    _ => Err(Fixed::new(format!("no `{name}` block in the code to edit"), place())),
                },
                None => {
                    Err(Fixed::new(format!("the code has {} `{name}` blocks, not {}", statics.len(), i + 1), place()))
                }
            }
        }
        (Some(_), []) => Ok(Landing::Attr { block, schema, key: name.clone() }),
        (None, []) if schema.is_none() => Ok(Landing::Attr { block, schema, key: name.clone() }),
        _ => Err(Fixed::new(format!("`{}` is not an attribute the code can set here", name), place())),
    }
}

fn is_object_set(schema: Option<&Block>, name: &str) -> bool {
    schema
        .and_then(|s| s.attributes.get(name))
        .is_some_and(|a| a.ty.get(1).and_then(|t| t.get(0)).and_then(|t| t.as_str()) == Some("object"))
}

/// Leading whitespace of the line holding `offset`.
pub fn indent_at(text: &str, offset: usize) -> usize {
    let start = line_start(text, offset);
    text[start..].chars().take_while(|c| *c == ' ').count()
}

pub fn line_start(text: &str, offset: usize) -> usize {
    text[..offset.min(text.len())].rfind('\n').map(|i| i + 1).unwrap_or(0)
}

/// The offset of the newline ending the line holding `offset` (or the text's end).
pub fn line_end(text: &str, offset: usize) -> usize {
    text[offset.min(text.len())..].find('\n').map(|i| offset + i).unwrap_or(text.len())
}

/// Delete `span`, with its whole lines when nothing else is on them (a trailing comment
/// goes too), and one blank line around it so no double blank line is left.
pub fn delete_lines(text: &str, span: std::ops::Range<usize>) -> Edit {
    let start = line_start(text, span.start);
    let end = line_end(text, span.end);
    let before = &text[start..span.start];
    let after = text[span.end..end].trim();
    if !before.trim().is_empty() || !(after.is_empty() || after.starts_with('#') || after.starts_with("//")) {
        return Edit { range: span, text: String::new() };
    }
    let mut range = start..(end + 1).min(text.len());
    // A blank line before and a blank line (or the closing brace) after: drop the first.
    let prev_start = line_start(text, start.saturating_sub(1));
    let prev_blank = start > 0 && text[prev_start..start].trim().is_empty();
    let next_end = line_end(text, range.end);
    let next = text.get(range.end..next_end).unwrap_or("").trim();
    if prev_blank && (next.is_empty() || next == "}") {
        range.start = prev_start;
    }
    Edit { range, text: String::new() }
}

/// Insert `lines` (already indented) as the last attributes of `block`.
pub fn insert_attr_lines(text: &str, block: &BlockNode, lines: &[String]) -> Edit {
    let indent = indent_at(text, block.span.start) + 2;
    let inner = &text[block.open + 1..block.close];
    if !inner.contains('\n') {
        // One-line block: `{}` or `{ a = 1 }` becomes a block of lines.
        let mut s = String::from("{\n");
        let existing = inner.trim();
        if !existing.is_empty() {
            s.push_str(&format!("{}{existing}\n", render::pad(indent)));
        }
        for l in lines {
            s.push_str(l);
            s.push('\n');
        }
        s.push_str(&render::pad(indent - 2));
        s.push('}');
        return Edit { range: block.open..block.close + 1, text: s };
    }
    let at = match block.attrs.iter().max_by_key(|a| a.span.end) {
        Some(last) => line_end(text, last.span.end),
        None => line_end(text, block.open),
    };
    let mut s = String::new();
    for l in lines {
        s.push('\n');
        s.push_str(l);
    }
    Edit { range: at..at, text: s }
}

/// Insert a rendered nested block (its lines, indented) after `after` or at the end of
/// `block`'s body, separated by a blank line.
pub fn insert_block_text(text: &str, block: &BlockNode, after: Option<&BlockNode>, rendered: &str) -> Edit {
    let indent = indent_at(text, block.span.start) + 2;
    let inner = &text[block.open + 1..block.close];
    if !inner.contains('\n') {
        let mut s = String::from("{\n");
        let existing = inner.trim();
        if !existing.is_empty() {
            s.push_str(&format!("{}{existing}\n\n", render::pad(indent)));
        }
        s.push_str(rendered);
        s.push('\n');
        s.push_str(&render::pad(indent - 2));
        s.push('}');
        return Edit { range: block.open..block.close + 1, text: s };
    }
    match after {
        Some(b) => Edit { range: b.span.end..b.span.end, text: format!("\n\n{rendered}") },
        None => {
            let at = line_start(text, block.close);
            let empty = inner.trim().is_empty();
            Edit { range: at..at, text: if empty { format!("{rendered}\n") } else { format!("\n{rendered}\n") } }
        }
    }
}

/// The engine over one code directory and its evaluated resources.
pub struct Adopter<'a> {
    pub code: &'a Code,
    /// Evaluated attributes of the code's resources, by address.
    pub evaluated: &'a BTreeMap<String, BTreeMap<String, Value>>,
}

impl<'a> Adopter<'a> {
    /// Set an attribute of `block` to `live`: replace the deciding literal, add the
    /// attribute, or remove it when `live` is null.
    pub fn set_attr(&self, loc: &Located, block: &BlockNode, key: &str, live: &Value) -> Result<Patch, Fixed> {
        let text = self.code.text(block.file);
        let mut patch = Patch::default();
        match block.attr(key) {
            Some(attr) => {
                let target = resolve(self.code, loc, attr)?;
                if live.is_null() && target.via.is_empty() {
                    patch.push(self.code, attr.file, delete_lines(text, attr.span.clone()));
                } else {
                    self.replace(&mut patch, &target, live)?;
                }
            }
            None => {
                if live.is_null() {
                    patch.notes.push(format!("`{key}` is already absent from the code"));
                    return Ok(patch);
                }
                if block.blocks_named(key).next().is_some() || block.has_dynamic(key) {
                    return Err(Fixed::new(
                        format!("`{key}` is written as blocks in the code"),
                        Some(self.code.place(block.file, block.span.start)),
                    ));
                }
                loc.shared_literal(self.code, key)?;
                let indent = indent_at(text, block.span.start) + 2;
                let v = render::value(&strip_nulls(live), indent).ok_or_else(|| opaque(self.code, block))?;
                let line = format!("{}{key} = {v}", render::pad(indent));
                patch.push(self.code, block.file, insert_attr_lines(text, block, &[line]));
            }
        }
        Ok(patch)
    }

    fn replace(&self, patch: &mut Patch, target: &Target, live: &Value) -> Result<(), Fixed> {
        let text = self.code.text(target.file);
        if !is_literal(&target.expr) && !matches!(target.expr, Expression::HeredocTemplate(_)) {
            return Err(Fixed::new(
                "the value is not a literal (it holds references or functions)",
                Some(self.code.place(target.file, target.span.start)),
            ));
        }
        let indent = indent_at(text, target.span.start);
        let v = render::value(&strip_nulls(live), indent).ok_or_else(|| {
            Fixed::new("the live value is secret or unread", Some(self.code.place(target.file, target.span.start)))
        })?;
        patch.push(self.code, target.file, Edit { range: target.span.clone(), text: v });
        for via in &target.via {
            patch.notes.push(format!("changed where it is defined: {via}"));
        }
        Ok(())
    }

    /// Adopt live values of several keys of one map attribute (`tags`), `None` for a key gone
    /// live.
    pub fn map_keys(
        &self,
        loc: &Located,
        block: &BlockNode,
        attr: &str,
        keys: &BTreeMap<String, Option<Value>>,
    ) -> Result<Patch, Fixed> {
        let text = self.code.text(block.file);
        let mut patch = Patch::default();
        let Some(node) = block.attr(attr) else {
            let new: BTreeMap<String, Value> =
                keys.iter().filter_map(|(k, v)| v.clone().map(|v| (k.clone(), v))).collect();
            if new.is_empty() {
                patch.notes.push(format!("the keys are already absent from `{attr}` in the code"));
                return Ok(patch);
            }
            return self.set_attr(loc, block, attr, &Value::Map(new));
        };
        let target = resolve(self.code, loc, node)?;
        let Expression::Object(obj) = &target.expr else {
            return Err(Fixed::new(
                format!("`{attr}` is not a map literal in the code"),
                Some(self.code.place(target.file, target.span.start)),
            ));
        };
        let ttext = self.code.text(target.file);
        // The map's entries as written: key, the entry's span, the value expression and span.
        struct Entry {
            key: String,
            span: std::ops::Range<usize>,
            value: Expression,
            value_span: std::ops::Range<usize>,
        }
        let mut entries = Vec::new();
        for (k, v) in obj.iter() {
            let key = match k {
                hcl::edit::expr::ObjectKey::Ident(i) => i.as_str().to_string(),
                hcl::edit::expr::ObjectKey::Expression(Expression::String(s)) => s.value().to_string(),
                _ => {
                    return Err(Fixed::new(
                        format!("`{attr}` has a computed key"),
                        Some(self.code.place(target.file, target.span.start)),
                    ));
                }
            };
            let ks = k.span().unwrap_or(0..0);
            let vs = v.expr().span().unwrap_or(0..0);
            entries.push(Entry { key, span: ks.start..vs.end, value: v.expr().clone(), value_span: vs });
        }
        let multi_line = ttext[target.span.clone()].contains('\n');
        let adds_or_removes = keys.iter().any(|(k, v)| entries.iter().any(|e| &e.key == k) == v.is_none());
        if !multi_line && adds_or_removes {
            // Rewrite a one-line map as lines: kept entries as written, changed ones rendered.
            let indent = indent_at(ttext, target.span.start);
            let inner = indent + 2;
            let mut lines: BTreeMap<String, String> = BTreeMap::new();
            for e in &entries {
                lines.insert(e.key.clone(), ttext[e.value_span.clone()].to_string());
            }
            for (k, v) in keys {
                match v {
                    None => {
                        lines.remove(k);
                    }
                    Some(v) => {
                        let r = render::value(v, inner).ok_or_else(|| opaque(self.code, block))?;
                        lines.insert(k.clone(), r);
                    }
                }
            }
            if target.via.is_empty() {
                loc.shared_literal(self.code, attr)?;
            }
            let mut s = String::from("{");
            if lines.is_empty() {
                s.push('}');
            } else {
                s.push('\n');
                // Keep the code's key order; new keys after.
                let mut order: Vec<String> =
                    entries.iter().map(|e| e.key.clone()).filter(|k| lines.contains_key(k)).collect();
                order.extend(lines.keys().filter(|k| !order.contains(k)).cloned().collect::<Vec<_>>());
                for k in order {
                    s.push_str(&format!("{}{} = {}\n", render::pad(inner), render::key(&k), lines[&k]));
                }
                s.push_str(&render::pad(indent));
                s.push('}');
            }
            patch.push(self.code, target.file, Edit { range: target.span.clone(), text: s });
            for via in &target.via {
                patch.notes.push(format!("changed where it is defined: {via}"));
            }
            return Ok(patch);
        }
        let close = target.span.end - 1;
        for (k, v) in keys {
            match (entries.iter().find(|e| &e.key == k), v) {
                (Some(e), Some(v)) => {
                    let t = resolve_expr(self.code, loc, target.file, &e.value, e.value_span.clone())?;
                    self.replace(&mut patch, &t, v)?;
                }
                (Some(e), None) => {
                    if target.via.is_empty() {
                        loc.shared_literal(self.code, attr)?;
                    }
                    patch.push(self.code, target.file, delete_lines(ttext, e.span.clone()));
                }
                (None, Some(v)) => {
                    if target.via.is_empty() {
                        loc.shared_literal(self.code, attr)?;
                    }
                    let inner = indent_at(ttext, target.span.start) + 2;
                    let r = render::value(v, inner).ok_or_else(|| opaque(self.code, block))?;
                    let at = line_start(ttext, close);
                    patch.push(
                        self.code,
                        target.file,
                        Edit { range: at..at, text: format!("{}{} = {r}\n", render::pad(inner), render::key(k)) },
                    );
                }
                (None, None) => patch.notes.push(format!("`{attr}.{k}` is already absent from the code")),
            }
        }
        let _ = text;
        Ok(patch)
    }

    /// Adopt a set (or list) of nested blocks: `removed` elements (as state had them) leave
    /// the code, `added` ones (as live has them) join it.
    #[allow(clippy::too_many_arguments)]
    pub fn blocks(
        &self,
        loc: &Located,
        block: &BlockNode,
        ident: &str,
        schema: Option<&'static Block>,
        evaluated: Option<&[Value]>,
        added: &[Value],
        removed: &[Value],
        sg_rules: bool,
    ) -> Result<Patch, Fixed> {
        let text = self.code.text(block.file);
        let place = Some(self.code.place(block.file, block.span.start));
        if block.has_dynamic(ident) {
            return Err(Fixed::new(format!("`{ident}` blocks come from a dynamic block: change its source"), place));
        }
        loc.shared_literal(self.code, ident)?;
        let statics: Vec<&BlockNode> = block.blocks_named(ident).collect();
        if !removed.is_empty() && evaluated.is_none_or(|e| e.len() != statics.len()) {
            return Err(Fixed::new(format!("the `{ident}` blocks of the code could not be evaluated"), place));
        }
        let evaluated = evaluated.unwrap_or(&[]);
        let mut patch = Patch::default();
        // Which code block each removed element came from.
        let mut gone: Vec<(usize, &Value)> = Vec::new();
        for r in removed {
            let found = statics
                .iter()
                .enumerate()
                .position(|(i, _)| !gone.iter().any(|(g, _)| *g == i) && covers(&evaluated[i], r, sg_rules));
            match found {
                Some(i) => gone.push((i, r)),
                None => {
                    return Err(Fixed::new(
                        format!(
                            "no `{ident}` block of the code matches the element that disappeared: {}",
                            r.canonical()
                        ),
                        place,
                    ));
                }
            }
        }
        // One block replaced by one: edit it field by field.
        if !sg_rules && gone.len() == 1 && added.len() == 1 {
            let (i, from) = gone[0];
            let inner = self.diff_block(loc, statics[i], schema, from, &added[0])?;
            patch.extend(inner);
            return Ok(patch);
        }
        let mut by_block: BTreeMap<usize, Vec<&Value>> = BTreeMap::new();
        for (i, r) in &gone {
            by_block.entry(*i).or_default().push(r);
        }
        for (i, rs) in by_block {
            let b = statics[i];
            if sg_rules && sg_atoms(&evaluated[i]) > rs.len() {
                // The block opens other sources too: drop these from its lists.
                patch.extend(self.drop_sources(loc, b, &rs)?);
            } else {
                patch.push(self.code, b.file, delete_lines(text, b.span.clone()));
            }
        }
        let indent = indent_at(text, block.span.start) + 2;
        let mut rendered = Vec::new();
        for a in added {
            let Some(m) = a.as_map() else { continue };
            let mut omitted = Omitted::default();
            let body = render::body_lines(m, schema, Keep::Element, &[], indent + 2, ident, &mut omitted);
            if !omitted.opaque.is_empty() {
                return Err(Fixed::new(format!("the new `{ident}` holds secret or unread values"), place));
            }
            rendered.push(render::block_text(ident, &[], &body, indent));
        }
        if !rendered.is_empty() {
            let after = statics.last().copied();
            patch.push(self.code, block.file, insert_block_text(text, block, after, &rendered.join("\n\n")));
        }
        Ok(patch)
    }

    /// Edit one nested block from `from` (state) to `to` (live), field by field.
    pub fn diff_block(
        &self,
        loc: &Located,
        block: &BlockNode,
        schema: Option<&'static Block>,
        from: &Value,
        to: &Value,
    ) -> Result<Patch, Fixed> {
        let (Some(f), Some(t)) = (from.as_map(), to.as_map()) else {
            return Err(Fixed::new("not a block", Some(self.code.place(block.file, block.span.start))));
        };
        let mut patch = Patch::default();
        let keys: std::collections::BTreeSet<&String> = f.keys().chain(t.keys()).collect();
        for k in keys {
            let (a, b) = (f.get(k).unwrap_or(&Value::Null), t.get(k).unwrap_or(&Value::Null));
            if a.same(b) || (a.is_empty_like() && b.is_empty_like()) {
                continue;
            }
            let member = schema.and_then(|s| s.member(k));
            match member {
                Some((_, false)) => continue, // computed only
                Some((Shape::Blocks { set, block: nested }, _)) => {
                    let (al, bl) = (a.as_list().unwrap_or(&[]), b.as_list().unwrap_or(&[]));
                    let statics: Vec<&BlockNode> = block.blocks_named(k).collect();
                    if !set && al.len() == bl.len() && statics.len() == al.len() && !block.has_dynamic(k) {
                        for (i, inner) in statics.iter().enumerate() {
                            patch.extend(self.diff_block(loc, inner, Some(nested), &al[i], &bl[i])?);
                        }
                    } else {
                        let removed = minus(al, bl);
                        let added = minus(bl, al);
                        let ev: Option<Vec<Value>> = (statics.len() == al.len()).then(|| al.to_vec());
                        patch.extend(self.blocks(
                            loc,
                            block,
                            k,
                            Some(nested),
                            ev.as_deref(),
                            &added,
                            &removed,
                            false,
                        )?);
                    }
                }
                _ => patch.extend(self.set_attr(loc, block, k, if b.is_empty_like() { &Value::Null } else { b })?),
            }
        }
        Ok(patch)
    }

    /// Remove sources (CIDRs, IPv6 CIDRs, prefix lists, groups) from a security-group rule
    /// block that opens others too.
    fn drop_sources(&self, loc: &Located, b: &BlockNode, atoms: &[&Value]) -> Result<Patch, Fixed> {
        let place = Some(self.code.place(b.file, b.span.start));
        let mut patch = Patch::default();
        let mut dropped = 0;
        for list in ["cidr_blocks", "ipv6_cidr_blocks", "prefix_list_ids", "security_groups"] {
            let gone: Vec<&str> = atoms
                .iter()
                .filter_map(|a| a.get(list).and_then(Value::as_list))
                .flatten()
                .filter_map(Value::as_str)
                .collect();
            if gone.is_empty() {
                continue;
            }
            let attr = b
                .attr(list)
                .ok_or_else(|| Fixed::new(format!("`{list}` is not written in the block"), place.clone()))?;
            let target = resolve(self.code, loc, attr)?;
            let Expression::Array(arr) = &target.expr else {
                return Err(Fixed::new(format!("`{list}` is not a list literal"), place));
            };
            let ttext = self.code.text(target.file);
            let kept: Vec<String> = arr
                .iter()
                .filter(|e| !matches!(e, Expression::String(s) if gone.contains(&s.value().as_str())))
                .map(|e| ttext[e.span().unwrap_or(0..0)].to_string())
                .collect();
            if arr.len() - kept.len() != gone.len() {
                return Err(Fixed::new(format!("the sources are not written literally in `{list}`"), place));
            }
            dropped += gone.len();
            patch.push(
                self.code,
                target.file,
                Edit { range: target.span.clone(), text: format!("[{}]", kept.join(", ")) },
            );
        }
        if dropped != atoms.len() {
            return Err(Fixed::new("the rule's source is not in a list the code writes", place));
        }
        Ok(patch)
    }
}

fn opaque(code: &Code, block: &BlockNode) -> Fixed {
    Fixed::new("the live value is secret or unread", Some(code.place(block.file, block.span.start)))
}

/// Maps without null members (a removed key is simply not written).
fn strip_nulls(v: &Value) -> Value {
    match v {
        Value::Map(m) => {
            Value::Map(m.iter().filter(|(_, x)| !x.is_null()).map(|(k, x)| (k.clone(), strip_nulls(x))).collect())
        }
        Value::List(l) => Value::List(l.iter().map(strip_nulls).collect()),
        other => other.clone(),
    }
}

/// Elements of `a` not in `b` (multiset).
fn minus(a: &[Value], b: &[Value]) -> Vec<Value> {
    let mut used = vec![false; b.len()];
    let mut out = Vec::new();
    for x in a {
        match b.iter().enumerate().position(|(i, y)| !used[i] && x.same(y)) {
            Some(i) => used[i] = true,
            None => out.push(x.clone()),
        }
    }
    out
}

/// Whether the code's evaluated block `code` produced the element `elem` (as state has it).
pub fn covers(code: &Value, elem: &Value, sg_rules: bool) -> bool {
    let (Some(c), Some(e)) = (code.as_map(), elem.as_map()) else { return false };
    if sg_rules {
        let proto = |m: &BTreeMap<String, Value>| {
            m.get("protocol").and_then(Value::as_str).map(crate::model::sg::protocol_name).unwrap_or_default()
        };
        let port = |m: &BTreeMap<String, Value>, k: &str| m.get(k).and_then(Value::as_i64).unwrap_or(0);
        let all = proto(c) == "-1";
        if proto(c) != proto(e)
            || (!all && (port(c, "from_port") != port(e, "from_port") || port(c, "to_port") != port(e, "to_port")))
        {
            return false;
        }
        for list in ["cidr_blocks", "ipv6_cidr_blocks", "prefix_list_ids", "security_groups"] {
            if let Some(Value::List(src)) = e.get(list) {
                for s in src {
                    let in_code = c.get(list).and_then(Value::as_list).is_some_and(|l| l.iter().any(|x| x.same(s)));
                    if !in_code {
                        return false;
                    }
                }
            }
        }
        if e.get("self") == Some(&Value::Bool(true)) && c.get("self") != Some(&Value::Bool(true)) {
            return false;
        }
        return true;
    }
    let mut any = false;
    for (k, v) in c {
        if v.is_null() || v.has_opaque() || v.is_empty_like() {
            continue;
        }
        if v.as_str().is_some_and(|s| s.contains("${")) {
            continue; // a reference to another resource: any value
        }
        any = true;
        let ev = e.get(k).unwrap_or(&Value::Null);
        let same = match (v, ev) {
            (Value::List(a), Value::List(b)) if a.len() == b.len() => {
                a.iter().all(|x| b.iter().any(|y| x.same(y) || covers(x, y, false)))
            }
            (Value::Number(_), Value::String(s)) | (Value::String(s), Value::Number(_)) => {
                s == &v.canonical().trim_matches('"').to_string() || s == &ev.canonical().trim_matches('"').to_string()
            }
            _ => v.same(ev),
        };
        if !same {
            return false;
        }
    }
    any
}

/// Atomic rules (one source each) an evaluated inline rule block opens.
fn sg_atoms(v: &Value) -> usize {
    let Some(m) = v.as_map() else { return 1 };
    let n: usize = ["cidr_blocks", "ipv6_cidr_blocks", "prefix_list_ids", "security_groups"]
        .iter()
        .map(|k| m.get(*k).and_then(Value::as_list).map(<[Value]>::len).unwrap_or(0))
        .sum::<usize>()
        + usize::from(m.get("self") == Some(&Value::Bool(true)));
    n.max(1)
}

/// Attribute node helper for callers that only have a key.
pub fn attr<'b>(block: &'b BlockNode, key: &str) -> Option<&'b AttrNode> {
    block.attr(key)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn paths_parse_into_segments() {
        assert_eq!(
            parse_path("rule[0].apply_server_side_encryption_by_default[0].sse_algorithm"),
            vec![
                Seg::Name("rule".into()),
                Seg::Index(0),
                Seg::Name("apply_server_side_encryption_by_default".into()),
                Seg::Index(0),
                Seg::Name("sse_algorithm".into())
            ]
        );
        assert_eq!(
            parse_path("tags[\"cost center\"]"),
            vec![Seg::Name("tags".into()), Seg::Quoted("cost center".into())]
        );
        assert_eq!(parse_path("tags.Owner"), vec![Seg::Name("tags".into()), Seg::Name("Owner".into())]);
    }

    #[test]
    fn deleting_a_line_takes_one_blank_line_with_it() {
        let text = "a {\n  x = 1\n\n  b {\n  }\n}\n";
        let s = text.find("b {").unwrap();
        let e = delete_lines(text, s..s + "b {\n  }".len());
        let mut out = text.to_string();
        out.replace_range(e.range.clone(), &e.text);
        assert_eq!(out, "a {\n  x = 1\n}\n");
    }
}

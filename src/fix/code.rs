//! The code as `plumb fix` edits it: every `.tf` file of the root module and of the local
//! modules it calls, parsed with hcl-edit so that every resource block, nested block,
//! attribute and expression keeps its byte span in its file. Edits are byte ranges of these
//! texts (`hcl_edit.rs`); nothing is re-serialised.
//!
//! Alongside the spans: where each variable gets its value (its `default`, a `*.tfvars`
//! assignment, the argument of the module call), each `locals` entry, each module call and
//! its source directory, and every use of `var.X` / `local.X` (a value is changed where it is
//! defined only when that is its only use).

use std::collections::BTreeMap;
use std::ops::Range;
use std::path::{Path, PathBuf};

use hcl::edit::Span;
use hcl::edit::expr::Expression;
use hcl::edit::structure::{Block, Body, Structure};

use crate::source::hcl::HclError;

/// One source file, relative to the code directory.
#[derive(Debug, Clone)]
pub struct SourceFile {
    pub rel: String,
    pub text: String,
}

/// An attribute `key = expr` with spans in its file.
#[derive(Debug, Clone)]
pub struct AttrNode {
    pub file: usize,
    pub key: String,
    /// `key = expr` (no surrounding whitespace or trailing comment).
    pub span: Range<usize>,
    pub expr_span: Range<usize>,
    pub expr: Expression,
}

/// A block (`resource "t" "n" { ... }`, `ingress { ... }`) with spans in its file.
#[derive(Debug, Clone)]
pub struct BlockNode {
    pub file: usize,
    pub ident: String,
    pub labels: Vec<String>,
    /// From the identifier to the closing brace.
    pub span: Range<usize>,
    /// Byte offsets of `{` and `}`.
    pub open: usize,
    pub close: usize,
    pub attrs: Vec<AttrNode>,
    pub blocks: Vec<BlockNode>,
}

impl BlockNode {
    pub fn attr(&self, key: &str) -> Option<&AttrNode> {
        self.attrs.iter().find(|a| a.key == key)
    }

    /// Static nested blocks of this identifier, in source order.
    pub fn blocks_named<'s>(&'s self, ident: &str) -> impl Iterator<Item = &'s BlockNode> + 's {
        let ident = ident.to_string();
        self.blocks.iter().filter(move |b| b.ident == ident)
    }

    /// A `dynamic "<ident>"` block generates blocks of this identifier.
    pub fn has_dynamic(&self, ident: &str) -> bool {
        self.blocks.iter().any(|b| b.ident == "dynamic" && b.labels.first().is_some_and(|l| l == ident))
    }

    /// `count` or `for_each` is set: one block, several instances.
    pub fn is_repeated(&self) -> bool {
        self.attr("count").is_some() || self.attr("for_each").is_some()
    }
}

/// A `module "name" { source = ... }` call.
#[derive(Debug, Clone)]
pub struct ModuleCall {
    pub block: BlockNode,
    /// The called module's directory relative to the code directory, for local sources.
    pub dir: Option<String>,
    pub source: String,
}

/// The declarations of one module directory, with spans.
#[derive(Debug, Clone, Default)]
pub struct ModuleCode {
    /// Relative to the code directory (`""` for the root).
    pub dir: String,
    pub resources: BTreeMap<(String, String), BlockNode>,
    pub variables: BTreeMap<String, BlockNode>,
    pub locals: BTreeMap<String, AttrNode>,
    pub calls: BTreeMap<String, ModuleCall>,
    /// Every other top-level block (`data`, `output`, `import`, `removed`, `terraform`...).
    pub others: Vec<BlockNode>,
    /// Files (indexes into [`Code::files`]) of this module.
    pub files: Vec<usize>,
}

/// The code directory, parsed.
#[derive(Debug, Clone, Default)]
pub struct Code {
    pub root: PathBuf,
    pub files: Vec<SourceFile>,
    /// By directory relative to the root (`""` for the root module).
    pub modules: BTreeMap<String, ModuleCode>,
    /// Root variable assignments in `terraform.tfvars`, `*.auto.tfvars` and `--var-file`s,
    /// lowest precedence first.
    pub tfvars: Vec<AttrNode>,
}

/// Module nesting deeper than this is a cycle.
const MAX_DEPTH: usize = 32;

impl Code {
    /// Parse the root module in `dir`, its local modules, and the variable files that set
    /// its variables (`terraform.tfvars`, `*.auto.tfvars`, then `var_files` in order).
    pub fn load(dir: &Path, var_files: &[PathBuf]) -> Result<Code, HclError> {
        let mut code = Code { root: dir.to_path_buf(), ..Default::default() };
        code.load_module("", 0)?;
        let mut files: Vec<PathBuf> = Vec::new();
        let tfvars = dir.join("terraform.tfvars");
        if tfvars.is_file() {
            files.push(tfvars);
        }
        let mut auto: Vec<PathBuf> = std::fs::read_dir(dir)
            .map(|rd| {
                rd.filter_map(|e| e.ok())
                    .map(|e| e.path())
                    .filter(|p| p.to_string_lossy().ends_with(".auto.tfvars"))
                    .collect()
            })
            .unwrap_or_default();
        auto.sort();
        files.extend(auto);
        files.extend(var_files.iter().cloned());
        for path in files {
            let rel = path.strip_prefix(dir).unwrap_or(&path).to_string_lossy().into_owned();
            let text = std::fs::read_to_string(&path)
                .map_err(|e| HclError::Input { path: rel.clone(), message: format!("cannot read: {e}") })?;
            let file = code.add_file(rel, text);
            let body = code.parse(file)?;
            for s in body.iter() {
                if let Structure::Attribute(a) = s {
                    code.tfvars.push(attr_node(file, a));
                }
            }
        }
        Ok(code)
    }

    /// Parse one text as a root module (tests, rule examples).
    pub fn from_text(rel: &str, text: &str) -> Result<Code, HclError> {
        let mut code = Code::default();
        let file = code.add_file(rel.to_string(), text.to_string());
        let mut m = ModuleCode { dir: String::new(), ..Default::default() };
        code.parse_into(file, &mut m)?;
        code.modules.insert(String::new(), m);
        Ok(code)
    }

    fn add_file(&mut self, rel: String, text: String) -> usize {
        self.files.push(SourceFile { rel, text });
        self.files.len() - 1
    }

    fn load_module(&mut self, dir: &str, depth: usize) -> Result<(), HclError> {
        if self.modules.contains_key(dir) || depth > MAX_DEPTH {
            return Ok(());
        }
        let path = self.root.join(dir);
        let rd = std::fs::read_dir(&path)
            .map_err(|e| HclError::Input { path: path.display().to_string(), message: format!("cannot read: {e}") })?;
        let mut names: Vec<String> = rd
            .filter_map(|e| e.ok())
            .filter(|e| e.path().is_file())
            .filter_map(|e| e.file_name().to_str().map(str::to_string))
            .filter(|n| n.ends_with(".tf"))
            .collect();
        names.sort();
        let mut m = ModuleCode { dir: dir.to_string(), ..Default::default() };
        for name in names {
            let rel = if dir.is_empty() { name.clone() } else { format!("{dir}/{name}") };
            let text = std::fs::read_to_string(path.join(&name))
                .map_err(|e| HclError::Input { path: rel.clone(), message: format!("cannot read: {e}") })?;
            let file = self.add_file(rel, text);
            self.parse_into(file, &mut m)?;
        }
        let children: Vec<String> = m.calls.values().filter_map(|c| c.dir.clone()).collect();
        self.modules.insert(dir.to_string(), m);
        for child in children {
            if self.root.join(&child).is_dir() {
                self.load_module(&child, depth + 1)?;
            }
        }
        Ok(())
    }

    fn parse(&self, file: usize) -> Result<Body, HclError> {
        let f = &self.files[file];
        hcl::edit::parser::parse_body(&f.text).map_err(|e| {
            let loc = e.location();
            HclError::Syntax {
                file: f.rel.clone(),
                line: loc.line(),
                column: loc.column(),
                message: e.message().to_string(),
                src: miette::NamedSource::new(f.rel.clone(), f.text.clone()),
                at: (loc.offset(), 0).into(),
            }
        })
    }

    fn parse_into(&mut self, file: usize, m: &mut ModuleCode) -> Result<(), HclError> {
        let body = self.parse(file)?;
        m.files.push(file);
        for s in body.iter() {
            let Structure::Block(b) = s else { continue };
            let node = block_node(file, &self.files[file].text, b);
            let label = |i: usize| node.labels.get(i).cloned().unwrap_or_default();
            match node.ident.as_str() {
                "resource" => {
                    m.resources.insert((label(0), label(1)), node);
                }
                "variable" => {
                    m.variables.insert(label(0), node);
                }
                "locals" => {
                    for a in &node.attrs {
                        m.locals.insert(a.key.clone(), a.clone());
                    }
                }
                "module" => {
                    let source = match node.attr("source").map(|a| &a.expr) {
                        Some(Expression::String(s)) => s.value().to_string(),
                        _ => String::new(),
                    };
                    let dir = (source.starts_with("./") || source.starts_with("../"))
                        .then(|| crate::source::hcl::normalize_dir(&Path::new(&m.dir).join(&source)));
                    m.calls.insert(label(0), ModuleCall { block: node, dir, source });
                }
                _ => m.others.push(node),
            }
        }
        Ok(())
    }

    pub fn text(&self, file: usize) -> &str {
        &self.files[file].text
    }

    pub fn rel(&self, file: usize) -> &str {
        &self.files[file].rel
    }

    /// `file:line` of a byte offset.
    pub fn place(&self, file: usize, offset: usize) -> String {
        let (line, _) = crate::source::hcl::line_col(self.text(file), offset);
        format!("{}:{line}", self.rel(file))
    }

    pub fn line(&self, file: usize, offset: usize) -> u32 {
        crate::source::hcl::line_col(self.text(file), offset).0 as u32
    }

    /// The module that an address's module path leads to (`module.a["x"].module.b`), with its
    /// call chain from the root: `None` when a module on the way is not local or not found.
    pub fn module_of<'a>(
        &'a self,
        path: &[ModuleStep],
    ) -> Option<(&'a ModuleCode, Vec<(&'a ModuleCode, &'a ModuleCall)>)> {
        let mut m = self.modules.get("")?;
        let mut chain = Vec::new();
        for step in path {
            let call = m.calls.get(&step.name)?;
            let next = self.modules.get(call.dir.as_deref()?)?;
            chain.push((m, call));
            m = next;
        }
        Some((m, chain))
    }

    /// The root module's `provider "aws"` `default_tags` (the provider without `alias`), as
    /// far as they are literals: every resource gets them, so a generated block leaves them out.
    pub fn default_tags(&self) -> BTreeMap<String, String> {
        let mut out = BTreeMap::new();
        let Some(root) = self.modules.get("") else { return out };
        for p in root.others.iter().filter(|b| b.ident == "provider" && b.labels.first().is_some_and(|l| l == "aws")) {
            if p.attr("alias").is_some() {
                continue;
            }
            for dt in p.blocks_named("default_tags") {
                let Some(Expression::Object(obj)) = dt.attr("tags").map(|a| &a.expr) else { continue };
                for (k, v) in obj.iter() {
                    let key = match k {
                        hcl::edit::expr::ObjectKey::Ident(i) => i.as_str().to_string(),
                        hcl::edit::expr::ObjectKey::Expression(Expression::String(s)) => s.value().to_string(),
                        _ => continue,
                    };
                    if let Expression::String(s) = v.expr() {
                        out.insert(key, s.value().to_string());
                    }
                }
            }
        }
        out
    }

    /// Number of module calls (in any module) whose source is `dir`.
    pub fn calls_to(&self, dir: &str) -> usize {
        self.modules.values().flat_map(|m| m.calls.values()).filter(|c| c.dir.as_deref() == Some(dir)).count()
    }

    /// Every use of `var.<name>` (`what = "var"`) or `local.<name>` in a module's files: byte
    /// offsets per file. Comments and the `name` inside strings that are not templates are
    /// skipped.
    pub fn uses(&self, module: &ModuleCode, what: &str, name: &str) -> Vec<(usize, usize)> {
        let needle = format!("{what}.{name}");
        let mut out = Vec::new();
        for &file in &module.files {
            let text = self.text(file);
            for (at, _) in code_matches(text, &needle) {
                out.push((file, at));
            }
        }
        out
    }
}

/// One step of a module path: `module.<name>[<key>]`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ModuleStep {
    pub name: String,
    pub key: Option<String>,
}

/// A resource address split into its module path, type, name and instance key.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Address {
    pub modules: Vec<ModuleStep>,
    pub rtype: String,
    pub name: String,
    /// The instance key as written (`0`, `"a"`), without brackets.
    pub key: Option<String>,
}

impl Address {
    /// `module.a["x"].aws_s3_bucket.this[0]`; `None` for anything else (data sources too).
    pub fn parse(address: &str) -> Option<Address> {
        let mut rest = address;
        let mut modules = Vec::new();
        loop {
            let (name, key, after) = segment_pair(rest)?;
            if name.0 == "module" {
                let (mname, mkey) = (name.1, key);
                modules.push(ModuleStep { name: mname.to_string(), key: mkey });
                rest = after?;
                continue;
            }
            if name.0 == "data" || after.is_some() {
                return None;
            }
            return Some(Address { modules, rtype: name.0.to_string(), name: name.1.to_string(), key });
        }
    }

    /// The address of the block (no instance keys anywhere).
    pub fn block_address(&self) -> String {
        let mut s = String::new();
        for m in &self.modules {
            s.push_str(&format!("module.{}.", m.name));
        }
        s.push_str(&format!("{}.{}", self.rtype, self.name));
        s
    }

    /// The module path prefix as Terraform prints it (`module.a["x"].`).
    pub fn module_prefix(&self) -> String {
        let mut s = String::new();
        for m in &self.modules {
            match &m.key {
                Some(k) => s.push_str(&format!("module.{}[{k}].", m.name)),
                None => s.push_str(&format!("module.{}.", m.name)),
            }
        }
        s
    }
}

/// `first.second[key]` then the rest after a `.`: ((first, second), key, rest).
fn segment_pair(s: &str) -> Option<((&str, &str), Option<String>, Option<&str>)> {
    let (first, rest) = s.split_once('.')?;
    if !is_ident(first) {
        return None;
    }
    let end = rest.find(['.', '[']).unwrap_or(rest.len());
    let second = &rest[..end];
    if !is_ident(second) {
        return None;
    }
    let mut after = &rest[end..];
    let mut key = None;
    if let Some(r) = after.strip_prefix('[') {
        let close = close_bracket(r)?;
        key = Some(r[..close].to_string());
        after = &r[close + 1..];
    }
    if after.is_empty() {
        Some(((first, second), key, None))
    } else {
        Some(((first, second), key, Some(after.strip_prefix('.')?)))
    }
}

/// The index of the `]` closing a bracket whose content starts `s` (quoted keys may hold `]`).
fn close_bracket(s: &str) -> Option<usize> {
    let mut in_str = false;
    let mut escaped = false;
    for (i, c) in s.char_indices() {
        if in_str {
            match c {
                _ if escaped => escaped = false,
                '\\' => escaped = true,
                '"' => in_str = false,
                _ => {}
            }
        } else if c == '"' {
            in_str = true;
        } else if c == ']' {
            return Some(i);
        }
    }
    None
}

pub fn is_ident(s: &str) -> bool {
    let mut chars = s.chars();
    matches!(chars.next(), Some(c) if c.is_ascii_alphabetic() || c == '_')
        && chars.all(|c| c.is_ascii_alphanumeric() || c == '_' || c == '-')
}

fn attr_node(file: usize, a: &hcl::edit::structure::Attribute) -> AttrNode {
    AttrNode {
        file,
        key: a.key.as_str().to_string(),
        span: a.span().unwrap_or(0..0),
        expr_span: a.value.span().unwrap_or(0..0),
        expr: a.value.clone(),
    }
}

fn block_node(file: usize, text: &str, b: &Block) -> BlockNode {
    let span = b.span().unwrap_or(0..0);
    let close = span.end.saturating_sub(1);
    let open = open_brace(text, span.start, close).unwrap_or(close);
    let mut node = BlockNode {
        file,
        ident: b.ident.as_str().to_string(),
        labels: b.labels.iter().map(|l| l.as_str().to_string()).collect(),
        span,
        open,
        close,
        attrs: Vec::new(),
        blocks: Vec::new(),
    };
    for s in b.body.iter() {
        match s {
            Structure::Attribute(a) => node.attrs.push(attr_node(file, a)),
            Structure::Block(inner) => node.blocks.push(block_node(file, text, inner)),
        }
    }
    node
}

/// The block's opening brace: the first `{` after the identifier outside quoted labels.
fn open_brace(text: &str, start: usize, end: usize) -> Option<usize> {
    let bytes = text.as_bytes();
    let mut in_str = false;
    let mut i = start;
    while i < end.min(bytes.len()) {
        match bytes[i] {
            b'\\' if in_str => i += 1,
            b'"' => in_str = !in_str,
            b'{' if !in_str => return Some(i),
            _ => {}
        }
        i += 1;
    }
    None
}

/// Occurrences of `needle` as a whole reference in code (not in comments, not inside plain
/// string text; template interpolations count): byte offsets and the text that follows.
pub fn code_matches<'a>(text: &'a str, needle: &str) -> Vec<(usize, &'a str)> {
    let mut out = Vec::new();
    for (at, _) in text.match_indices(needle) {
        let before = text[..at].chars().next_back();
        let after = text[at + needle.len()..].chars().next();
        let boundary_before = before.is_none_or(|c| !(c.is_ascii_alphanumeric() || c == '_' || c == '.' || c == '-'));
        let boundary_after = after.is_none_or(|c| !(c.is_ascii_alphanumeric() || c == '_' || c == '-'));
        if boundary_before && boundary_after && in_code(text, at) {
            out.push((at, &text[at + needle.len()..]));
        }
    }
    out
}

/// Whether `offset` is code: not in a comment, and not in the literal part of a string
/// (inside `${ }` counts as code).
fn in_code(text: &str, offset: usize) -> bool {
    #[derive(PartialEq)]
    enum S {
        Code,
        Str,
        Line,
        Block,
    }
    let bytes = text.as_bytes();
    let mut state = S::Code;
    // Brace depth of each open template interpolation, innermost last.
    let mut interp: Vec<usize> = Vec::new();
    let mut depth = 0usize;
    let mut i = 0;
    while i < offset.min(bytes.len()) {
        let c = bytes[i];
        let next = bytes.get(i + 1).copied();
        match state {
            S::Code => match c {
                b'#' => state = S::Line,
                b'/' if next == Some(b'/') => state = S::Line,
                b'/' if next == Some(b'*') => {
                    state = S::Block;
                    i += 1;
                }
                b'"' => state = S::Str,
                b'{' => depth += 1,
                b'}' => {
                    if interp.last() == Some(&depth) {
                        interp.pop();
                        state = S::Str;
                    }
                    depth = depth.saturating_sub(1);
                }
                _ => {}
            },
            S::Str => match c {
                b'\\' => i += 1,
                b'"' => state = S::Code,
                b'$' | b'%' if next == Some(b'{') => {
                    depth += 1;
                    interp.push(depth);
                    state = S::Code;
                    i += 1;
                }
                _ => {}
            },
            S::Line => {
                if c == b'\n' {
                    state = S::Code;
                }
            }
            S::Block => {
                if c == b'*' && next == Some(b'/') {
                    state = S::Code;
                    i += 1;
                }
            }
        }
        i += 1;
    }
    state == S::Code
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn spans_of_blocks_attributes_and_expressions() {
        let text = "resource \"aws_s3_bucket\" \"data\" {\n  bucket = \"fix-data\" # name\n  tags   = { Owner = \"platform\" }\n\n  versioning {\n    enabled = true\n  }\n}\n";
        let code = Code::from_text("main.tf", text).unwrap();
        let m = &code.modules[""];
        let b = &m.resources[&("aws_s3_bucket".to_string(), "data".to_string())];
        assert_eq!(&text[b.span.clone()], &text[..text.len() - 1]);
        assert_eq!(&text[b.open..b.open + 1], "{");
        assert_eq!(&text[b.close..b.close + 1], "}");
        let bucket = b.attr("bucket").unwrap();
        assert_eq!(&text[bucket.expr_span.clone()], "\"fix-data\"");
        assert_eq!(&text[bucket.span.clone()], "bucket = \"fix-data\"");
        assert_eq!(&text[b.attr("tags").unwrap().expr_span.clone()], "{ Owner = \"platform\" }");
        let v = b.blocks_named("versioning").next().unwrap();
        assert_eq!(&text[v.span.clone()], "versioning {\n    enabled = true\n  }");
        assert_eq!(code.place(0, v.span.start), "main.tf:5");
    }

    #[test]
    fn addresses_parse_with_modules_and_keys() {
        let a = Address::parse("module.phi[\"rec.ords\"].module.b.aws_s3_bucket.this[0]").unwrap();
        assert_eq!(a.modules.len(), 2);
        assert_eq!(a.modules[0].key.as_deref(), Some("\"rec.ords\""));
        assert_eq!((a.rtype.as_str(), a.name.as_str(), a.key.as_deref()), ("aws_s3_bucket", "this", Some("0")));
        assert_eq!(a.block_address(), "module.phi.module.b.aws_s3_bucket.this");
        assert_eq!(a.module_prefix(), "module.phi[\"rec.ords\"].module.b.");
        assert_eq!(Address::parse("aws_vpc.main").unwrap().key, None);
        assert!(Address::parse("data.aws_caller_identity.me").is_none());
        assert!(Address::parse("nonsense").is_none());
    }

    #[test]
    fn uses_skip_comments_and_plain_strings() {
        let text = "# var.x here\nx = var.x\ny = \"var.x\"\nz = \"${var.x}-a\"\nw = var.xy\n/* var.x */\n";
        let hits: Vec<usize> = code_matches(text, "var.x").into_iter().map(|(a, _)| a).collect();
        assert_eq!(hits.len(), 2, "{hits:?}");
    }
}

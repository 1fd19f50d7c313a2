//! Terraform configuration (HCL) as config-view resources, without cloud credentials.
//!
//! ```text
//! *.tf of a root module ──parse (hcl-edit, spans)──▶ declarations per module directory
//!   variables (defaults, terraform.tfvars, *.auto.tfvars, --var-file, -var), locals,
//!   resources, data sources, local modules (count / for_each expanded), outputs
//!                      ──eval (own evaluator, Unknown-aware)──▶ model::Resource per instance
//! ```
//!
//! Values that cannot be known before apply (computed attributes, data sources, variables
//! without a value, remote modules) are `Value::Unknown`, never Null. A reference to another
//! resource's computed attribute (`aws_kms_key.phi.arn`, `aws_s3_bucket.x.id`) becomes the
//! placeholder string `${<address>.<attr>}`: the joined views resolve it to that resource
//! (see `rules::views`), so a bucket and its split resources join before any id exists.
//! A reference to a setting the configuration gives (`aws_s3_bucket.x.bucket` with a
//! literal name) is that value.

mod error;
mod eval;
mod funcs;
mod lifecycle;

use std::cell::RefCell;
use std::collections::{BTreeMap, BTreeSet};
use std::ops::Range;
use std::path::{Path, PathBuf};
use std::rc::Rc;

use hcl::edit::Span;
use miette::NamedSource;

pub use error::{HclError, line_col};
pub use lifecycle::{IgnoreChanges, ignore_changes};

/// `a/./b/../c` as `a/c`: a module directory relative to the root (`plumb fix` follows the
/// same module sources).
pub(crate) use eval::normalize as normalize_dir;

use crate::model::{Origin, Resource, Value};

/// Variable values given on the command line.
#[derive(Debug, Clone, Default)]
pub struct Inputs {
    /// `-var name=value` pairs (the value parsed as HCL when it parses, else a string).
    pub vars: Vec<String>,
    /// `--var-file FILE`, in order (later wins).
    pub var_files: Vec<PathBuf>,
}

/// The configuration's resources and what could not be evaluated.
#[derive(Debug, Clone, Default)]
pub struct Config {
    /// One per resource instance, sorted by address.
    pub resources: Vec<Resource>,
    /// What was skipped or left unknown and why (verbose output).
    pub notes: Vec<String>,
}

/// One source file, relative to the checked directory.
#[derive(Debug)]
pub(crate) struct SourceFile {
    pub rel: String,
    pub text: String,
}

/// Where a declaration is: file index and byte span.
#[derive(Debug, Clone)]
pub(crate) struct At {
    pub file: usize,
    pub span: Range<usize>,
}

#[derive(Debug)]
pub(crate) struct Decl<T> {
    pub at: At,
    pub item: T,
}

/// The declarations of one module directory.
#[derive(Debug, Default)]
pub(crate) struct Module {
    /// Directory relative to the checked directory (`""` for the root).
    pub dir: String,
    pub variables: BTreeMap<String, Decl<Option<hcl::Expression>>>,
    pub locals: BTreeMap<String, Decl<hcl::Expression>>,
    pub resources: BTreeMap<(String, String), Decl<hcl::Body>>,
    pub data: BTreeSet<(String, String)>,
    pub modules: BTreeMap<String, Decl<hcl::Body>>,
    pub outputs: BTreeMap<String, Decl<hcl::Expression>>,
}

/// Loads module directories once each and keeps every source file for diagnostics.
pub(crate) struct Loader {
    pub root: PathBuf,
    pub files: RefCell<Vec<SourceFile>>,
    modules: RefCell<BTreeMap<String, Rc<Module>>>,
    pub notes: RefCell<BTreeSet<String>>,
}

impl Loader {
    pub fn new(dir: &Path) -> Loader {
        Loader {
            root: dir.to_path_buf(),
            files: RefCell::new(Vec::new()),
            modules: RefCell::new(BTreeMap::new()),
            notes: RefCell::new(BTreeSet::new()),
        }
    }

    /// Diagnostic for a span in a loaded file.
    pub fn at_error(&self, at: &At, offset: usize, len: usize, make: impl FnOnce(At3) -> HclError) -> HclError {
        let files = self.files.borrow();
        let f = &files[at.file];
        let (line, column) = line_col(&f.text, offset);
        make(At3 {
            file: f.rel.clone(),
            line,
            column,
            src: NamedSource::new(f.rel.clone(), f.text.clone()),
            at: (offset, len).into(),
        })
    }

    /// The first occurrence of `needle` inside a declaration's span (for references, whose
    /// own spans the evaluated expression tree no longer carries).
    pub fn find_in(&self, at: &At, needle: &str) -> usize {
        let files = self.files.borrow();
        let text = &files[at.file].text;
        let end = at.span.end.min(text.len());
        let start = at.span.start.min(end);
        text[start..end].find(needle).map(|i| start + i).unwrap_or(start)
    }

    pub fn line_of(&self, at: &At) -> (String, u32) {
        let files = self.files.borrow();
        let f = &files[at.file];
        (f.rel.clone(), line_col(&f.text, at.span.start).0 as u32)
    }

    pub fn note(&self, s: String) {
        self.notes.borrow_mut().insert(s);
    }

    /// The module in `dir` (relative to the root), parsed once.
    pub fn module(&self, dir: &str) -> Result<Rc<Module>, HclError> {
        if let Some(m) = self.modules.borrow().get(dir) {
            return Ok(m.clone());
        }
        let m = Rc::new(self.parse_dir(dir)?);
        self.modules.borrow_mut().insert(dir.to_string(), m.clone());
        Ok(m)
    }

    fn parse_dir(&self, dir: &str) -> Result<Module, HclError> {
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
        let mut m = Module { dir: dir.to_string(), ..Default::default() };
        for name in names {
            let rel = if dir.is_empty() { name.clone() } else { format!("{dir}/{name}") };
            let text = std::fs::read_to_string(path.join(&name))
                .map_err(|e| HclError::Input { path: rel.clone(), message: format!("cannot read: {e}") })?;
            let file = self.add_file(rel, text);
            self.parse_file(file, &mut m)?;
        }
        Ok(m)
    }

    pub fn add_file(&self, rel: String, text: String) -> usize {
        let mut files = self.files.borrow_mut();
        files.push(SourceFile { rel, text });
        files.len() - 1
    }

    /// Parse one file's text into an edit body, or a syntax diagnostic.
    pub fn parse_text(&self, file: usize) -> Result<hcl::edit::structure::Body, HclError> {
        let text = self.files.borrow()[file].text.clone();
        hcl::edit::parser::parse_body(&text).map_err(|e| {
            let loc = e.location();
            let at = At { file, span: loc.offset()..loc.offset() };
            self.at_error(&at, loc.offset(), 0, |a| HclError::Syntax {
                file: a.file,
                line: loc.line(),
                column: loc.column(),
                message: e.message().to_string(),
                src: a.src,
                at: a.at,
            })
        })
    }

    fn parse_file(&self, file: usize, m: &mut Module) -> Result<(), HclError> {
        let body = self.parse_text(file)?;
        for block in body.into_blocks() {
            let span = block.span().unwrap_or(0..0);
            let at = At { file, span };
            let ident = block.ident.as_str().to_string();
            let labels: Vec<String> =
                block.labels.iter().map(|l| l.to_string().trim_matches('"').to_string()).collect();
            let b: hcl::Block = block.into();
            let label = |i: usize| labels.get(i).cloned().unwrap_or_default();
            match ident.as_str() {
                "variable" => {
                    let default = b.body.attributes().find(|a| a.key() == "default").map(|a| a.expr().clone());
                    m.variables.insert(label(0), Decl { at, item: default });
                }
                "locals" => {
                    for a in b.body.attributes() {
                        m.locals.insert(a.key().to_string(), Decl { at: at.clone(), item: a.expr().clone() });
                    }
                }
                "resource" => {
                    m.resources.insert((label(0), label(1)), Decl { at, item: b.body });
                }
                "data" => {
                    m.data.insert((label(0), label(1)));
                }
                "module" => {
                    m.modules.insert(label(0), Decl { at, item: b.body });
                }
                "output" => {
                    if let Some(a) = b.body.attributes().find(|a| a.key() == "value") {
                        m.outputs.insert(label(0), Decl { at, item: a.expr().clone() });
                    }
                }
                _ => {}
            }
        }
        Ok(())
    }
}

/// A diagnostic location being built.
pub(crate) struct At3 {
    pub file: String,
    pub line: usize,
    pub column: usize,
    pub src: NamedSource<String>,
    pub at: miette::SourceSpan,
}

/// Load the root module in `dir` with its local modules.
pub fn load(dir: &Path, inputs: &Inputs) -> Result<Config, HclError> {
    let loader = Loader::new(dir);
    let root = loader.module("")?;
    if root.variables.is_empty()
        && root.resources.is_empty()
        && root.modules.is_empty()
        && loader.files.borrow().is_empty()
    {
        return Err(HclError::Input {
            path: dir.display().to_string(),
            message: "no Terraform files (*.tf) in this directory".into(),
        });
    }
    let vars = root_variables(&loader, &root, inputs)?;
    let inst = eval::Inst::new(root, String::new(), vars);
    let mut resources = Vec::new();
    eval::collect(&loader, &inst, &mut resources)?;
    resources.sort_by(|a, b| a.address.cmp(&b.address));
    let notes = loader.notes.borrow().iter().cloned().collect();
    Ok(Config { resources, notes })
}

/// Root variable values, lowest precedence first: defaults, `terraform.tfvars`,
/// `*.auto.tfvars` (by name), `--var-file`, `-var`. Undeclared names are ignored, as
/// Terraform only warns about them in files.
fn root_variables(loader: &Loader, root: &Module, inputs: &Inputs) -> Result<BTreeMap<String, Value>, HclError> {
    let empty = eval::Inst::new(Rc::new(Module::default()), String::new(), BTreeMap::new());
    let mut vars = BTreeMap::new();
    for (name, decl) in &root.variables {
        let v = match &decl.item {
            Some(e) => eval::Scope::new(loader, &empty, decl.at.clone()).eval(e)?,
            None => Value::Unknown,
        };
        vars.insert(name.clone(), v);
    }
    let mut files: Vec<PathBuf> = Vec::new();
    let tfvars = loader.root.join("terraform.tfvars");
    if tfvars.is_file() {
        files.push(tfvars);
    }
    let mut auto: Vec<PathBuf> = std::fs::read_dir(&loader.root)
        .map(|rd| {
            rd.filter_map(|e| e.ok())
                .map(|e| e.path())
                .filter(|p| p.to_string_lossy().ends_with(".auto.tfvars"))
                .collect()
        })
        .unwrap_or_default();
    auto.sort();
    files.extend(auto);
    files.extend(inputs.var_files.iter().cloned());
    for path in files {
        let rel = path.strip_prefix(&loader.root).unwrap_or(&path).to_string_lossy().into_owned();
        let text = std::fs::read_to_string(&path)
            .map_err(|e| HclError::Input { path: rel.clone(), message: format!("cannot read: {e}") })?;
        let file = loader.add_file(rel, text);
        let body: hcl::Body = loader.parse_text(file)?.into();
        let at = At { file, span: 0..loader.files.borrow()[file].text.len() };
        for a in body.attributes() {
            if root.variables.contains_key(a.key()) {
                let v = eval::Scope::new(loader, &empty, at.clone()).eval(a.expr())?;
                vars.insert(a.key().to_string(), v);
            }
        }
    }
    for kv in &inputs.vars {
        let Some((k, v)) = kv.split_once('=') else {
            return Err(HclError::Input { path: "-var".into(), message: format!("{kv:?}: expected NAME=VALUE") });
        };
        if !root.variables.contains_key(k) {
            return Err(HclError::Input {
                path: "-var".into(),
                message: format!("no variable named {k:?} is declared"),
            });
        }
        // As Terraform: a complex value is HCL, anything else a string.
        let value = hcl::parse(&format!("v = {v}"))
            .ok()
            .and_then(|b| b.attributes().next().map(|a| a.expr().clone()))
            .filter(|e| matches!(e, hcl::Expression::Array(_) | hcl::Expression::Object(_)))
            .and_then(|e| eval::Scope::new(loader, &empty, At { file: 0, span: 0..0 }).eval(&e).ok())
            .unwrap_or_else(|| Value::String(v.to_string()));
        vars.insert(k.to_string(), value);
    }
    Ok(vars)
}

/// A config-view resource.
pub(crate) fn resource(
    rtype: &str,
    address: String,
    attributes: BTreeMap<String, Value>,
    file: String,
    line: u32,
) -> Resource {
    // The config view's id: the bucket name when the configuration gives it, else the address.
    let id = match (rtype, attributes.get("bucket")) {
        ("aws_s3_bucket", Some(Value::String(s))) if !s.contains("${") => s.clone(),
        _ => address.clone(),
    };
    Resource {
        rtype: rtype.to_string(),
        id,
        address: Some(address),
        region: None,
        attributes,
        origin: Origin::Config { file, line },
        aws_default: false,
    }
}

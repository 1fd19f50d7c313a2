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
mod policy_document;

use std::cell::RefCell;
use std::collections::{BTreeMap, BTreeSet};
use std::ops::Range;
use std::path::{Path, PathBuf};
use std::rc::Rc;

use hcl::edit::Span;
use miette::NamedSource;

pub use error::{HclError, line_col};
pub use lifecycle::{IgnoreChanges, ignore_changes};

use crate::model::{Origin, Resource, Value};

/// Variable values given on the command line and in the environment.
#[derive(Debug, Clone, Default)]
pub struct Inputs {
    /// `-var name=value` pairs (the value parsed as HCL when it parses, else a string).
    pub vars: Vec<String>,
    /// `--var-file FILE`, in order (later wins).
    pub var_files: Vec<PathBuf>,
    /// `TF_VAR_<name>` environment variables as `(name, value)` (the caller reads the
    /// environment, so a library user or a test decides what is visible).
    pub env: Vec<(String, String)>,
}

impl Inputs {
    /// `TF_VAR_*` of this process's environment.
    pub fn env_vars() -> Vec<(String, String)> {
        let mut out: Vec<(String, String)> = std::env::vars_os()
            .filter_map(|(k, v)| {
                let k = k.into_string().ok()?;
                let name = k.strip_prefix("TF_VAR_")?.to_string();
                Some((name, v.into_string().ok()?))
            })
            .filter(|(name, _)| !name.is_empty())
            .collect();
        out.sort();
        out
    }
}

/// The configuration's resources and what could not be evaluated.
#[derive(Debug, Clone, Default)]
pub struct Config {
    /// One per resource instance, sorted by address.
    pub resources: Vec<Resource>,
    /// What was skipped or left unknown and why (verbose output).
    pub notes: Vec<String>,
    /// Addresses (without instance keys) whose instances are not known: a resource whose
    /// `count` / `for_each` is unknown (`aws_subnet.private`, checked as one instance) and
    /// modules not evaluated (`module.remote.`, a prefix). State instances under them are
    /// neither pending destroy nor compared.
    pub unevaluated: Vec<String>,
    /// Module calls by instance prefix (`module.sg.`, `module.a["x"].module.b.`): where
    /// the calling `module` block is (file and line relative to the checked directory) and
    /// where its code was loaded from.
    pub module_calls: BTreeMap<String, ModuleCall>,
}

/// One module call, as `plumb check` followed it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ModuleCall {
    /// The calling `module` block.
    pub file: String,
    pub line: u32,
    /// `source` as written.
    pub source: String,
    /// The directory its code was read from, relative to the checked directory
    /// (`.terraform/modules/sg` for a registry module); `None` when not read.
    pub dir: Option<String>,
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

/// A `variable` block.
#[derive(Debug, Default)]
pub(crate) struct Variable {
    pub default: Option<hcl::Expression>,
    /// `type = set(...)`: a `for` expression over it keys by value, as over `toset()`.
    pub set_typed: bool,
    pub validations: Vec<Validation>,
}

/// A `validation { condition, error_message }` block of a variable.
#[derive(Debug)]
pub(crate) struct Validation {
    pub at: At,
    pub condition: hcl::Expression,
    pub error_message: Option<hcl::Expression>,
}

/// The declarations of one module directory.
#[derive(Debug, Default)]
pub(crate) struct Module {
    /// Directory relative to the checked directory (`""` for the root).
    pub dir: String,
    pub variables: BTreeMap<String, Decl<Variable>>,
    pub locals: BTreeMap<String, Decl<hcl::Expression>>,
    pub resources: BTreeMap<(String, String), Decl<hcl::Body>>,
    pub data: BTreeMap<(String, String), Decl<hcl::Body>>,
    pub modules: BTreeMap<String, Decl<hcl::Body>>,
    pub outputs: BTreeMap<String, Decl<hcl::Expression>>,
    /// `provider "aws"` blocks by alias (`""` for the default configuration).
    pub providers: BTreeMap<String, Decl<hcl::Body>>,
}

/// Loads module directories once each and keeps every source file for diagnostics.
pub(crate) struct Loader {
    pub root: PathBuf,
    pub files: RefCell<Vec<SourceFile>>,
    modules: RefCell<BTreeMap<String, Rc<Module>>>,
    pub notes: RefCell<BTreeSet<String>>,
    /// `.terraform/modules/modules.json` (written by `terraform init`): module call key
    /// (`sg`, `sg.rules`) to the directory its code was installed in; `None` without one.
    manifest: Option<BTreeMap<String, String>>,
    pub unevaluated: RefCell<BTreeSet<String>>,
    pub module_calls: RefCell<BTreeMap<String, ModuleCall>>,
}

/// Where the code of a module call is, relative to the checked directory.
pub(crate) enum ModuleSource {
    Dir(String),
    /// Not a local path and not installed (no `terraform init`, or not in its manifest).
    NotInstalled,
}

impl Loader {
    pub fn new(dir: &Path) -> Loader {
        let loader = Loader {
            root: dir.to_path_buf(),
            files: RefCell::new(Vec::new()),
            modules: RefCell::new(BTreeMap::new()),
            notes: RefCell::new(BTreeSet::new()),
            manifest: None,
            unevaluated: RefCell::new(BTreeSet::new()),
            module_calls: RefCell::new(BTreeMap::new()),
        };
        let path = dir.join(".terraform/modules/modules.json");
        let manifest = match std::fs::read_to_string(&path) {
            Ok(text) => match manifest(&text) {
                Some(m) => Some(m),
                None => {
                    loader.note(format!(
                        "{}: not a module manifest terraform init wrote; registry and git modules are not checked",
                        ".terraform/modules/modules.json"
                    ));
                    None
                }
            },
            Err(_) => None,
        };
        Loader { manifest, ..loader }
    }

    /// The directory of module call `key` (`sg`, `sg.rules`) with `source`, called from
    /// the module in `from` (relative to the root): a local path, else where `terraform
    /// init` installed it.
    pub fn module_source(&self, key: &str, source: &str, from: &str) -> ModuleSource {
        if source.starts_with("./") || source.starts_with("../") {
            return ModuleSource::Dir(eval::normalize(&Path::new(from).join(source)));
        }
        match self.manifest.as_ref().and_then(|m| m.get(key)) {
            Some(dir) => ModuleSource::Dir(eval::normalize(Path::new(dir))),
            None => ModuleSource::NotInstalled,
        }
    }

    /// Whether `.terraform/modules/modules.json` was read.
    pub fn has_manifest(&self) -> bool {
        self.manifest.is_some()
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
            let file = self.add_file(rel, without_bom(text));
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
            let validation_spans: Vec<Range<usize>> =
                block.body.get_blocks("validation").map(|v| v.span().unwrap_or(0..0)).collect();
            let b: hcl::Block = block.into();
            let label = |i: usize| labels.get(i).cloned().unwrap_or_default();
            match ident.as_str() {
                "variable" => {
                    let attr = |k: &str| b.body.attributes().find(|a| a.key() == k).map(|a| a.expr().clone());
                    let set_typed =
                        matches!(attr("type"), Some(hcl::Expression::FuncCall(f)) if f.name.name.as_str() == "set");
                    let validations = b
                        .body
                        .blocks()
                        .filter(|v| v.identifier() == "validation")
                        .zip(validation_spans.into_iter().chain(std::iter::repeat(at.span.clone())))
                        .filter_map(|(v, span)| {
                            let get = |k: &str| v.body().attributes().find(|a| a.key() == k).map(|a| a.expr().clone());
                            Some(Validation {
                                at: At { file, span },
                                condition: get("condition")?,
                                error_message: get("error_message"),
                            })
                        })
                        .collect();
                    let item = Variable { default: attr("default"), set_typed, validations };
                    m.variables.insert(label(0), Decl { at, item });
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
                    m.data.insert((label(0), label(1)), Decl { at, item: b.body });
                }
                "provider" if label(0) == "aws" => {
                    let alias = match b.body.attributes().find(|a| a.key() == "alias").map(|a| a.expr()) {
                        Some(hcl::Expression::String(s)) => s.clone(),
                        _ => String::new(),
                    };
                    m.providers.insert(alias, Decl { at, item: b.body });
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
    eval::validate(&loader, &root, "", &vars)?;
    let inst = eval::Inst::root(&loader, root, vars)?;
    let mut resources = Vec::new();
    eval::collect(&loader, &inst, &mut resources)?;
    resources.sort_by(|a, b| a.address.cmp(&b.address));
    let notes = loader.notes.borrow().iter().cloned().collect();
    let unevaluated = loader.unevaluated.borrow().iter().cloned().collect();
    let module_calls = loader.module_calls.borrow().clone();
    Ok(Config { resources, notes, unevaluated, module_calls })
}

/// Terraform reads a file that begins with a UTF-8 byte-order mark as if it had none.
pub(crate) fn without_bom(text: String) -> String {
    match text.strip_prefix('\u{feff}') {
        Some(rest) => rest.to_string(),
        None => text,
    }
}

/// `modules.json`: `{"Modules": [{"Key": "sg", "Source": "...", "Dir": ".terraform/modules/sg"}]}`.
fn manifest(text: &str) -> Option<BTreeMap<String, String>> {
    let doc: serde_json::Value = serde_json::from_str(without_bom(text.to_string()).as_str()).ok()?;
    let mut out = BTreeMap::new();
    for m in doc.get("Modules")?.as_array()? {
        let (Some(key), Some(dir)) = (m.get("Key").and_then(|k| k.as_str()), m.get("Dir").and_then(|d| d.as_str()))
        else {
            continue;
        };
        // Directories are relative to the working directory `terraform init` ran in (the
        // root module); an absolute or escaping one is not followed.
        if key.is_empty() || Path::new(dir).is_absolute() || dir.split(['/', '\\']).any(|p| p == "..") {
            continue;
        }
        out.insert(key.to_string(), dir.replace('\\', "/"));
    }
    Some(out)
}

/// Root variable values, lowest precedence first: defaults, `terraform.tfvars`,
/// `*.auto.tfvars` (by name), `--var-file`, `-var`. Undeclared names are ignored, as
/// Terraform only warns about them in files.
fn root_variables(loader: &Loader, root: &Module, inputs: &Inputs) -> Result<BTreeMap<String, Value>, HclError> {
    let empty = eval::Inst::new(Rc::new(Module::default()), String::new(), BTreeMap::new());
    let mut vars = BTreeMap::new();
    for (name, decl) in &root.variables {
        let v = match &decl.item.default {
            Some(e) => eval::Scope::new(loader, &empty, decl.at.clone()).eval(e)?,
            None => Value::Unknown,
        };
        vars.insert(name.clone(), v);
    }
    // `TF_VAR_name` ranks above defaults and below every file and -var; names no variable
    // declares are ignored, as Terraform does.
    for (k, v) in &inputs.env {
        if root.variables.contains_key(k) {
            vars.insert(k.clone(), cli_value(loader, &empty, v));
        }
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
        let file = loader.add_file(rel, without_bom(text));
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
        vars.insert(k.to_string(), cli_value(loader, &empty, v));
    }
    Ok(vars)
}

/// A `-var` or `TF_VAR_` value, as Terraform reads it: a complex value is HCL, anything
/// else a string.
fn cli_value(loader: &Loader, empty: &eval::Inst, v: &str) -> Value {
    hcl::parse(&format!("v = {v}"))
        .ok()
        .and_then(|b| b.attributes().next().map(|a| a.expr().clone()))
        .filter(|e| matches!(e, hcl::Expression::Array(_) | hcl::Expression::Object(_)))
        .and_then(|e| eval::Scope::new(loader, empty, At { file: 0, span: 0..0 }).eval(&e).ok())
        .unwrap_or_else(|| Value::String(v.to_string()))
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

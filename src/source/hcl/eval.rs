//! The expression evaluator: Terraform semantics over `model::Value`, where anything not
//! knowable before apply is `Value::Unknown` and unknowns propagate (a function or operator
//! given an unknown yields unknown; a conditional on an unknown is unknown).

use std::cell::RefCell;
use std::collections::{BTreeMap, HashMap};
use std::rc::Rc;

use hcl::expr::{BinaryOperator, Expression as E, ObjectKey, TraversalOperator as Op, UnaryOperator};
use hcl::template::{Directive, Element, Template};

use super::{At, Decl, HclError, Loader, Module, funcs};
use crate::model::{Resource, Value};

/// Meta-arguments of resource and module blocks: not attributes.
const META: &[&str] = &["count", "for_each", "provider", "providers", "depends_on", "source", "version"];
const META_BLOCKS: &[&str] = &["lifecycle", "provisioner", "connection"];

/// One instance of a module: its declarations, address prefix and input values.
pub(crate) struct Inst {
    module: Rc<Module>,
    /// `module.a["x"].` (empty for the root).
    prefix: String,
    /// The module call's key in `.terraform/modules/modules.json` (`a`, `a.b`; empty for
    /// the root).
    key: String,
    vars: BTreeMap<String, Value>,
    /// `default_tags { tags }` of the `aws` provider configurations this instance uses, by
    /// alias (`""` for the default one); absent when the provider sets none.
    provider_tags: RefCell<BTreeMap<String, Value>>,
    /// Evaluated locals; `None` while being evaluated (a cycle reads Unknown).
    locals: RefCell<BTreeMap<String, Option<Value>>>,
    children: RefCell<BTreeMap<String, Rc<Children>>>,
    /// Evaluated resource instances by address; `None` while being evaluated.
    bodies: RefCell<HashMap<String, Option<Value>>>,
}

/// The instances of a module call.
pub(crate) enum Children {
    /// No count / for_each.
    Single(Rc<Inst>),
    /// count or for_each: the instance key (number or string) of each.
    Keyed(Vec<(Value, Rc<Inst>)>),
    /// count / for_each not known before apply, or a source that is not local.
    Opaque,
}

impl Inst {
    pub fn new(module: Rc<Module>, prefix: String, vars: BTreeMap<String, Value>) -> Inst {
        Inst {
            module,
            prefix,
            key: String::new(),
            vars,
            provider_tags: RefCell::default(),
            locals: RefCell::default(),
            children: RefCell::default(),
            bodies: RefCell::default(),
        }
    }

    /// The root module's instance, with its provider configurations' default tags.
    pub fn root(loader: &Loader, module: Rc<Module>, vars: BTreeMap<String, Value>) -> Result<Inst, HclError> {
        let inst = Inst::new(module, String::new(), vars);
        let tags = own_provider_tags(loader, &inst)?;
        *inst.provider_tags.borrow_mut() = tags;
        Ok(inst)
    }
}

/// `default_tags { tags = ... }` of the `provider "aws"` blocks declared in this instance's
/// module, by alias.
fn own_provider_tags(loader: &Loader, inst: &Inst) -> Result<BTreeMap<String, Value>, HclError> {
    let mut out = BTreeMap::new();
    for (alias, decl) in &inst.module.providers {
        let Some(dt) = decl.item.blocks().find(|b| b.identifier() == "default_tags") else { continue };
        let Some(tags) = dt.body().attributes().find(|a| a.key() == "tags") else { continue };
        let v = Scope::new(loader, inst, decl.at.clone()).eval(tags.expr())?;
        out.insert(alias.clone(), v);
    }
    Ok(out)
}

/// `aws.west` (a `provider` argument or a `providers` map value) as the alias `west`; `aws`
/// alone is the default configuration `""`.
fn provider_alias(e: &E) -> Option<String> {
    match e {
        E::Variable(v) if v.as_str() == "aws" => Some(String::new()),
        E::Traversal(t) => match (&t.expr, t.operators.as_slice()) {
            (E::Variable(v), [Op::GetAttr(a)]) if v.as_str() == "aws" => Some(a.to_string()),
            _ => None,
        },
        _ => None,
    }
}

/// `tags_all` as the provider computes it: the provider's default tags, overridden by the
/// resource's own `tags`. Only for types that have `tags_all`, and only when the provider
/// configuration sets default tags.
fn merge_default_tags(rtype: &str, attrs: &mut BTreeMap<String, Value>, defaults: Option<&Value>) {
    let Some(defaults) = defaults else { return };
    // Types outside Plumb's schema slice: taggable when the code tags them.
    let taggable = match crate::schema::resource(rtype) {
        Some(s) => s.attributes.contains_key("tags_all"),
        None => attrs.contains_key("tags"),
    };
    if !taggable {
        return;
    }
    let merged = match (defaults, attrs.get("tags")) {
        (Value::Map(d), None | Some(Value::Null)) => Value::Map(d.clone()),
        (Value::Map(d), Some(Value::Map(t))) => {
            let mut m = d.clone();
            m.extend(t.iter().map(|(k, v)| (k.clone(), v.clone())));
            Value::Map(m)
        }
        (Value::Null, Some(t @ Value::Map(_))) => t.clone(),
        (Value::Null, None | Some(Value::Null)) => return,
        _ => Value::Unknown,
    };
    attrs.insert("tags_all".to_string(), merged);
}

/// Where an expression is evaluated: the module instance, the declaration (for
/// diagnostics), and the names in scope (`each`, `count`, for-expression and dynamic-block
/// iterators).
pub(crate) struct Scope<'a> {
    loader: &'a Loader,
    inst: &'a Inst,
    at: At,
    each: Option<(Value, Value)>,
    count: Option<Value>,
    names: Vec<(String, Value)>,
    /// Inside `try()` / `can()`: what Terraform rejects (a missing map key or list index, a
    /// function given a wrong value) is an error the call catches, not an unknown.
    in_try: bool,
}

/// How one instance of a counted or for_each'd block is keyed.
#[derive(Clone)]
struct Key {
    /// `[0]` or `["a"]` in the address; `None` without count / for_each.
    index: Option<Value>,
    each: Option<(Value, Value)>,
    count: Option<Value>,
}

fn index_suffix(index: &Option<Value>) -> String {
    match index {
        Some(Value::Number(n)) => format!("[{n}]"),
        Some(Value::String(s)) => format!("[{}]", serde_json::Value::String(s.clone())),
        _ => String::new(),
    }
}

/// The instances `count` / `for_each` ask for; `None` when they are not known.
fn expand(scope: &Scope, body: &hcl::Body) -> Result<Option<Vec<Key>>, HclError> {
    if let Some(a) = body.attributes().find(|a| a.key() == "for_each") {
        let v = scope.eval(a.expr())?;
        let pairs: Vec<(String, Value)> = match v {
            // Keys only known after apply (a reference to a computed attribute) leave the
            // instances unknown, as Terraform refuses them at plan time.
            Value::Map(m) if m.keys().any(|k| k.contains("${")) => return Ok(None),
            Value::Map(m) => m.into_iter().collect(),
            Value::List(l) => {
                let mut out = Vec::new();
                for x in l {
                    match as_string(&x) {
                        Some(s) if !s.contains("${") => out.push((s.clone(), Value::String(s))),
                        _ => return Ok(None),
                    }
                }
                out.sort_by(|a, b| a.0.cmp(&b.0));
                out.dedup_by(|a, b| a.0 == b.0);
                out
            }
            _ => return Ok(None),
        };
        return Ok(Some(
            pairs
                .into_iter()
                .map(|(k, v)| Key {
                    index: Some(Value::String(k.clone())),
                    each: Some((Value::String(k), v)),
                    count: None,
                })
                .collect(),
        ));
    }
    if let Some(a) = body.attributes().find(|a| a.key() == "count") {
        let n = match scope.eval(a.expr())? {
            v @ Value::Number(_) => v.as_i64(),
            Value::String(s) => s.parse().ok(),
            _ => None,
        };
        return Ok(n.map(|n| {
            (0..n.max(0)).map(|i| Key { index: Some(Value::int(i)), each: None, count: Some(Value::int(i)) }).collect()
        }));
    }
    Ok(Some(vec![Key { index: None, each: None, count: None }]))
}

/// Every resource instance of this module instance and the modules it calls.
pub(crate) fn collect(loader: &Loader, inst: &Inst, out: &mut Vec<Resource>) -> Result<(), HclError> {
    for decl in inst.module.data.values().chain(inst.module.modules.values()) {
        Scope::new(loader, inst, decl.at.clone()).check_depends_on(&decl.item)?;
    }
    for ((rtype, name), decl) in &inst.module.resources {
        let scope = Scope::new(loader, inst, decl.at.clone());
        scope.check_depends_on(&decl.item)?;
        let keys = match expand(&scope, &decl.item)? {
            Some(k) => k,
            None => {
                loader.note(format!(
                    "{}{rtype}.{name}: count / for_each not known before apply; checked as one instance",
                    inst.prefix
                ));
                loader
                    .unevaluated
                    .borrow_mut()
                    .insert(crate::source::plan::strip_keys(&format!("{}{rtype}.{name}", inst.prefix)));
                vec![Key { index: None, each: None, count: None }]
            }
        };
        let (file, line) = loader.line_of(&decl.at);
        let alias = match decl.item.attributes().find(|a| a.key() == "provider") {
            Some(a) => provider_alias(a.expr()),
            None => Some(String::new()),
        };
        let tags = inst.provider_tags.borrow();
        let defaults = alias.and_then(|a| tags.get(&a));
        for key in keys {
            let address = format!("{}{rtype}.{name}{}", inst.prefix, index_suffix(&key.index));
            let body = instance_body(loader, inst, decl, &address, &key)?;
            let Value::Map(mut attrs) = body else { continue };
            merge_default_tags(rtype, &mut attrs, defaults);
            out.push(super::resource(rtype, address, attrs, file.clone(), line));
        }
    }
    for name in inst.module.modules.keys() {
        let children = children(loader, inst, name)?;
        match &*children {
            Children::Single(c) => collect(loader, c, out)?,
            Children::Keyed(cs) => {
                for (_, c) in cs {
                    collect(loader, c, out)?;
                }
            }
            Children::Opaque => {}
        }
    }
    Ok(())
}

/// A resource instance's attributes (memoised: other resources reference them).
fn instance_body(
    loader: &Loader,
    inst: &Inst,
    decl: &Decl<hcl::Body>,
    address: &str,
    key: &Key,
) -> Result<Value, HclError> {
    if let Some(v) = inst.bodies.borrow().get(address) {
        return Ok(v.clone().unwrap_or(Value::Unknown));
    }
    inst.bodies.borrow_mut().insert(address.to_string(), None);
    let mut scope = Scope::new(loader, inst, decl.at.clone());
    scope.each = key.each.clone();
    scope.count = key.count.clone();
    let v = Value::Map(scope.eval_body(&decl.item, true)?);
    inst.bodies.borrow_mut().insert(address.to_string(), Some(v.clone()));
    Ok(v)
}

/// The instances of `module.<name>` called from `inst` (memoised).
fn children(loader: &Loader, inst: &Inst, name: &str) -> Result<Rc<Children>, HclError> {
    if let Some(c) = inst.children.borrow().get(name) {
        return Ok(c.clone());
    }
    // Mark the call as being evaluated: a module whose inputs read its own outputs is a
    // cycle (unknown), not a stack overflow.
    inst.children.borrow_mut().insert(name.to_string(), Rc::new(Children::Opaque));
    let result = module_instances(loader, inst, name);
    let rc = Rc::new(result?);
    inst.children.borrow_mut().insert(name.to_string(), rc.clone());
    Ok(rc)
}

/// Module nesting deeper than this is a module calling itself.
const MAX_MODULE_DEPTH: usize = 32;

fn module_instances(loader: &Loader, inst: &Inst, name: &str) -> Result<Children, HclError> {
    let decl = &inst.module.modules[name];
    let scope = Scope::new(loader, inst, decl.at.clone());
    let source = match decl.item.attributes().find(|a| a.key() == "source").map(|a| scope.eval(a.expr())) {
        Some(Ok(Value::String(s))) => s,
        _ => String::new(),
    };
    let call_key = if inst.key.is_empty() { name.to_string() } else { format!("{}.{name}", inst.key) };
    let (file, line) = loader.line_of(&decl.at);
    let call_prefix = crate::source::plan::strip_keys(&format!("{}module.{name}.", inst.prefix));
    let opaque = |why: String| {
        loader.note(format!("{}module.{name}: {why}", inst.prefix));
        loader.unevaluated.borrow_mut().insert(call_prefix.clone());
        loader.module_calls.borrow_mut().insert(
            format!("{}module.{name}.", inst.prefix),
            super::ModuleCall { file: file.clone(), line, source: source.clone(), dir: None },
        );
        Ok(Children::Opaque)
    };
    if inst.prefix.matches("module.").count() >= MAX_MODULE_DEPTH {
        return opaque("modules nested too deep (a module calling itself?); its resources are not checked".into());
    }
    let dir = match loader.module_source(&call_key, &source, &inst.module.dir) {
        super::ModuleSource::Dir(d) => d,
        super::ModuleSource::NotInstalled if loader.has_manifest() => {
            return opaque(format!(
                "source {source:?} is not in .terraform/modules/modules.json (run terraform init again); \
                 its resources are not checked"
            ));
        }
        super::ModuleSource::NotInstalled => {
            return opaque(format!(
                "source {source:?} is not a local path and no .terraform/modules/modules.json says where \
                 terraform init installed it; its resources are not checked"
            ));
        }
    };
    if !loader.root.join(&dir).is_dir() {
        if source.starts_with("./") || source.starts_with("../") {
            let off = loader.find_in(&decl.at, &source);
            return Err(loader.at_error(&decl.at, off, source.len(), |a| HclError::Invalid {
                file: a.file,
                line: a.line,
                column: a.column,
                message: format!("module {name}: no directory {source:?}"),
                src: a.src,
                at: a.at,
            }));
        }
        return opaque(format!(
            "source {source:?} was installed in {dir}, which is missing (run terraform init again); \
             its resources are not checked"
        ));
    }
    let module = loader.module(&dir)?;
    // `providers = { aws = aws.west }` passes the caller's configuration on under another name.
    let parent_tags = inst.provider_tags.borrow().clone();
    let mut child_tags = parent_tags.clone();
    if let Some(E::Object(map)) = decl.item.attributes().find(|a| a.key() == "providers").map(|a| a.expr()) {
        for (k, v) in map {
            let child_alias = match k {
                ObjectKey::Identifier(i) if i.as_str() == "aws" => Some(String::new()),
                ObjectKey::Expression(e) => provider_alias(e),
                _ => None,
            };
            if let (Some(c), Some(p)) = (child_alias, provider_alias(v)) {
                match parent_tags.get(&p) {
                    Some(t) => child_tags.insert(c, t.clone()),
                    None => child_tags.remove(&c),
                };
            }
        }
    }
    match expand(&scope, &decl.item)? {
        None => opaque("count / for_each not known before apply; its resources are not checked".into()),
        Some(keys) => {
            let mut made = Vec::new();
            for key in keys {
                let mut s = Scope::new(loader, inst, decl.at.clone());
                s.each = key.each.clone();
                s.count = key.count.clone();
                let mut vars = BTreeMap::new();
                for (var, vdecl) in &module.variables {
                    let v = match decl.item.attributes().find(|a| a.key() == var) {
                        Some(a) => s.eval(a.expr())?,
                        None => match &vdecl.item.default {
                            Some(e) => {
                                let empty = Inst::new(Rc::new(Module::default()), String::new(), BTreeMap::new());
                                Scope::new(loader, &empty, vdecl.at.clone()).eval(e)?
                            }
                            None => Value::Unknown,
                        },
                    };
                    vars.insert(var.clone(), v);
                }
                let prefix = format!("{}module.{name}{}.", inst.prefix, index_suffix(&key.index));
                validate(loader, &module, &prefix, &vars)?;
                let mut child = Inst::new(module.clone(), prefix.clone(), vars);
                child.key = call_key.clone();
                *child.provider_tags.borrow_mut() = child_tags.clone();
                let own = own_provider_tags(loader, &child)?;
                child.provider_tags.borrow_mut().extend(own);
                loader.module_calls.borrow_mut().insert(
                    prefix,
                    super::ModuleCall { file: file.clone(), line, source: source.clone(), dir: Some(dir.clone()) },
                );
                made.push((key.index.clone(), Rc::new(child)));
            }
            if made.len() == 1 && made[0].0.is_none() {
                Ok(Children::Single(made.pop().expect("one").1))
            } else {
                Ok(Children::Keyed(made.into_iter().map(|(k, i)| (k.unwrap_or(Value::Null), i)).collect()))
            }
        }
    }
}

/// Variable `validation` blocks, as Terraform checks them before planning: a condition
/// that is known and false is an error at the condition. `prefix` names the module
/// instance (`""` for the root).
pub(crate) fn validate(
    loader: &Loader,
    module: &Rc<Module>,
    prefix: &str,
    vars: &BTreeMap<String, Value>,
) -> Result<(), HclError> {
    if module.variables.values().all(|v| v.item.validations.is_empty()) {
        return Ok(());
    }
    let inst = Inst::new(module.clone(), prefix.to_string(), vars.clone());
    for (name, decl) in &module.variables {
        if vars.get(name).is_none_or(Value::has_opaque) {
            continue;
        }
        for v in &decl.item.validations {
            let scope = Scope::new(loader, &inst, v.at.clone());
            // A condition plumb cannot evaluate (a function it does not know) is not judged.
            let Ok(Value::Bool(false)) = scope.eval(&v.condition) else { continue };
            let message = match v.error_message.as_ref().map(|m| scope.eval(m)) {
                Some(Ok(Value::String(m))) => m,
                _ => "the validation condition is false".to_string(),
            };
            let off = loader.find_in(&v.at, "condition");
            let shown = if prefix.is_empty() { String::new() } else { format!("{}: ", prefix.trim_end_matches('.')) };
            return Err(loader.at_error(&v.at, off, "condition".len(), |a| HclError::Invalid {
                file: a.file,
                line: a.line,
                column: a.column,
                message: format!("{shown}invalid value for variable \"{name}\": {message}"),
                src: a.src,
                at: a.at,
            }));
        }
    }
    Ok(())
}

use std::path::{Component, Path};

/// `a/./b/../c` as `a/c`, with `/` separators (module directories relative to the root).
pub(crate) fn normalize(p: &Path) -> String {
    let mut parts: Vec<String> = Vec::new();
    for c in p.components() {
        match c {
            Component::CurDir => {}
            Component::ParentDir => {
                if parts.last().is_some_and(|l| l != "..") {
                    parts.pop();
                } else {
                    parts.push("..".into());
                }
            }
            Component::Normal(s) => parts.push(s.to_string_lossy().into_owned()),
            _ => {}
        }
    }
    parts.join("/")
}

fn number(f: f64) -> Value {
    if f.fract() == 0.0 && f.abs() < 9.0e15 {
        Value::int(f as i64)
    } else {
        serde_json::Number::from_f64(f).map(Value::Number).unwrap_or(Value::Unknown)
    }
}

pub(crate) fn as_f64(v: &Value) -> Option<f64> {
    match v {
        Value::Number(n) => n.as_f64(),
        Value::String(s) => s.parse().ok(),
        _ => None,
    }
}

/// Terraform's string conversion of a primitive; `None` for anything else.
pub(crate) fn as_string(v: &Value) -> Option<String> {
    match v {
        Value::String(s) => Some(s.clone()),
        Value::Number(n) => Some(n.to_string()),
        Value::Bool(b) => Some(b.to_string()),
        _ => None,
    }
}

fn truthy(v: &Value) -> Option<bool> {
    match v {
        Value::Bool(b) => Some(*b),
        Value::String(s) if s == "true" => Some(true),
        Value::String(s) if s == "false" => Some(false),
        _ => None,
    }
}

/// Equality where numbers compare by value.
fn equal(a: &Value, b: &Value) -> bool {
    match (a, b) {
        (Value::Number(x), Value::Number(y)) => x.as_f64() == y.as_f64(),
        (Value::List(x), Value::List(y)) => x.len() == y.len() && x.iter().zip(y).all(|(a, b)| equal(a, b)),
        (Value::Map(x), Value::Map(y)) => {
            x.len() == y.len() && x.iter().zip(y).all(|((k, a), (l, b))| k == l && equal(a, b))
        }
        _ => a == b,
    }
}

impl<'a> Scope<'a> {
    pub fn new(loader: &'a Loader, inst: &'a Inst, at: At) -> Scope<'a> {
        Scope { loader, inst, at, each: None, count: None, names: Vec::new(), in_try: false }
    }

    fn child(&self) -> Scope<'a> {
        Scope {
            loader: self.loader,
            inst: self.inst,
            at: self.at.clone(),
            each: self.each.clone(),
            count: self.count.clone(),
            names: self.names.clone(),
            in_try: self.in_try,
        }
    }

    /// An error `try()` catches (never reported: outside `try` these cases are unknown).
    fn caught(&self, what: &str) -> HclError {
        HclError::Input { path: String::new(), message: what.to_string() }
    }

    fn undeclared(&self, what: &'static str, name: String, needle: &str) -> HclError {
        let off = self.loader.find_in(&self.at, needle);
        let dir = &self.inst.module.dir;
        let module = if dir.is_empty() { "the root module".to_string() } else { format!("module {dir}") };
        let help = match what {
            "variable" => format!("declare it with a `variable \"{name}\" {{}}` block in {module}"),
            "local value" => format!("declare it in a `locals {{}}` block in {module}"),
            "module" => format!("declare it with a `module \"{name}\" {{}}` block in {module}"),
            _ => format!("no such block is declared in {module}"),
        };
        self.loader.at_error(&self.at, off, needle.len(), |a| HclError::Undeclared {
            file: a.file,
            line: a.line,
            column: a.column,
            what,
            name,
            help,
            src: a.src,
            at: a.at,
        })
    }

    /// A block body as attributes, and nested blocks as lists of objects (tfstate shape).
    pub fn eval_body(&self, body: &hcl::Body, top: bool) -> Result<BTreeMap<String, Value>, HclError> {
        let mut map = BTreeMap::new();
        for a in body.attributes() {
            if top && META.contains(&a.key()) {
                continue;
            }
            map.insert(a.key().to_string(), self.eval(a.expr())?);
        }
        for b in body.blocks() {
            let ident = b.identifier();
            if top && META_BLOCKS.contains(&ident) {
                continue;
            }
            if ident == "dynamic" {
                let Some(label) = b.labels().first().map(|l| l.as_str().to_string()) else { continue };
                let items = self.dynamic(b, &label)?;
                match items {
                    Some(items) => {
                        let entry = map.entry(label).or_insert_with(|| Value::List(Vec::new()));
                        if let Value::List(l) = entry {
                            l.extend(items);
                        }
                    }
                    None => {
                        map.insert(label, Value::Unknown);
                    }
                }
                continue;
            }
            let v = Value::Map(self.eval_body(b.body(), false)?);
            let entry = map.entry(ident.to_string()).or_insert_with(|| Value::List(Vec::new()));
            if let Value::List(l) = entry {
                l.push(v);
            }
        }
        Ok(map)
    }

    /// `dynamic "x" { for_each = ..., iterator = it, content { ... } }`; `None` when the
    /// collection is not known.
    fn dynamic(&self, b: &hcl::Block, label: &str) -> Result<Option<Vec<Value>>, HclError> {
        let Some(fe) = b.body().attributes().find(|a| a.key() == "for_each") else { return Ok(Some(Vec::new())) };
        let iterator = match b.body().attributes().find(|a| a.key() == "iterator").map(|a| a.expr()) {
            Some(E::Variable(v)) => v.as_str().to_string(),
            _ => label.to_string(),
        };
        let set = self.is_set(fe.expr(), 0);
        let pairs: Vec<(Value, Value)> = match self.eval(fe.expr())? {
            Value::List(l) => pairs_of_list(l, set),
            Value::Map(m) => m.into_iter().map(|(k, v)| (Value::String(k), v)).collect(),
            Value::Null => Vec::new(),
            _ => return Ok(None),
        };
        let Some(content) = b.body().blocks().find(|c| c.identifier() == "content") else {
            return Ok(Some(Vec::new()));
        };
        let mut out = Vec::new();
        for (k, v) in pairs {
            let mut s = self.child();
            s.names.push((iterator.clone(), Value::Map(BTreeMap::from([("key".into(), k), ("value".into(), v)]))));
            out.push(Value::Map(s.eval_body(content.body(), false)?));
        }
        Ok(Some(out))
    }

    pub fn eval(&self, e: &E) -> Result<Value, HclError> {
        Ok(match e {
            E::Null => Value::Null,
            E::Bool(b) => Value::Bool(*b),
            E::Number(n) => serde_json::to_value(n).map(|j| Value::from_json(&j)).unwrap_or(Value::Unknown),
            E::String(s) => Value::String(s.clone()),
            E::Array(items) => Value::List(items.iter().map(|i| self.eval(i)).collect::<Result<_, _>>()?),
            E::Object(o) => {
                let mut m = BTreeMap::new();
                for (k, v) in o {
                    let key = match k {
                        ObjectKey::Identifier(i) => Value::String(i.to_string()),
                        ObjectKey::Expression(E::Variable(v)) => Value::String(v.to_string()),
                        ObjectKey::Expression(e) => self.eval(e)?,
                        _ => Value::Unknown,
                    };
                    let Some(key) = as_string(&key) else { return Ok(Value::Unknown) };
                    m.insert(key, self.eval(v)?);
                }
                Value::Map(m)
            }
            E::TemplateExpr(t) => match Template::from_expr(t) {
                Ok(tpl) => self.template(&tpl)?,
                Err(_) => Value::Unknown,
            },
            E::Variable(v) => self.variable(v.as_str(), &[])?,
            E::Traversal(t) => match &t.expr {
                E::Variable(v) => self.variable(v.as_str(), &t.operators)?,
                other => {
                    let base = self.eval(other)?;
                    self.apply(base, &t.operators)?
                }
            },
            E::FuncCall(f) => self.call(f)?,
            E::Parenthesis(inner) => self.eval(inner)?,
            E::Conditional(c) => {
                let cond = self.eval(&c.cond_expr)?;
                match truthy(&cond) {
                    Some(true) => self.eval(&c.true_expr)?,
                    Some(false) => self.eval(&c.false_expr)?,
                    None if self.in_try && !cond.has_opaque() => return Err(self.caught("condition is not a bool")),
                    None => Value::Unknown,
                }
            }
            E::Operation(op) => match &**op {
                hcl::expr::Operation::Unary(u) => {
                    let v = self.eval(&u.expr)?;
                    match (u.operator, &v) {
                        (UnaryOperator::Not, _) => truthy(&v).map(|b| Value::Bool(!b)).unwrap_or(Value::Unknown),
                        (UnaryOperator::Neg, _) => as_f64(&v).map(|f| number(-f)).unwrap_or(Value::Unknown),
                    }
                }
                hcl::expr::Operation::Binary(b) => {
                    let l = self.eval(&b.lhs_expr)?;
                    let r = self.eval(&b.rhs_expr)?;
                    binary(b.operator, &l, &r)
                }
            },
            E::ForExpr(f) => self.for_expr(f)?,
            _ => Value::Unknown,
        })
    }

    fn for_expr(&self, f: &hcl::expr::ForExpr) -> Result<Value, HclError> {
        let set = self.is_set(&f.collection_expr, 0);
        let pairs: Vec<(Value, Value)> = match self.eval(&f.collection_expr)? {
            Value::List(l) => pairs_of_list(l, set),
            Value::Map(m) => m.into_iter().map(|(k, v)| (Value::String(k), v)).collect(),
            _ => return Ok(Value::Unknown),
        };
        let mut list = Vec::new();
        let mut obj: BTreeMap<String, Value> = BTreeMap::new();
        for (k, v) in pairs {
            let mut s = self.child();
            if let Some(kv) = &f.key_var {
                s.names.push((kv.to_string(), k));
            }
            s.names.push((f.value_var.to_string(), v));
            if let Some(c) = &f.cond_expr {
                match truthy(&s.eval(c)?) {
                    Some(true) => {}
                    Some(false) => continue,
                    None => return Ok(Value::Unknown),
                }
            }
            let value = s.eval(&f.value_expr)?;
            match &f.key_expr {
                Some(ke) => {
                    let Some(key) = as_string(&s.eval(ke)?) else { return Ok(Value::Unknown) };
                    if f.grouping {
                        let e = obj.entry(key).or_insert_with(|| Value::List(Vec::new()));
                        if let Value::List(l) = e {
                            l.push(value);
                        }
                    } else {
                        obj.insert(key, value);
                    }
                }
                None => list.push(value),
            }
        }
        Ok(if f.key_expr.is_some() { Value::Map(obj) } else { Value::List(list) })
    }

    /// A template: a lone interpolation keeps its value's type; otherwise a string, unknown
    /// when any part is.
    fn template(&self, t: &Template) -> Result<Value, HclError> {
        if let [Element::Interpolation(i)] = t.elements() {
            return self.eval(&i.expr);
        }
        Ok(self.render(t)?.map(Value::String).unwrap_or(Value::Unknown))
    }

    fn render(&self, t: &Template) -> Result<Option<String>, HclError> {
        let mut out = String::new();
        for el in t.elements() {
            match el {
                Element::Literal(s) => out.push_str(s),
                Element::Interpolation(i) => match as_string(&self.eval(&i.expr)?) {
                    Some(s) => out.push_str(&s),
                    None => return Ok(None),
                },
                Element::Directive(d) => match &**d {
                    Directive::If(d) => match truthy(&self.eval(&d.cond_expr)?) {
                        Some(true) => match self.render(&d.true_template)? {
                            Some(s) => out.push_str(&s),
                            None => return Ok(None),
                        },
                        Some(false) => {
                            if let Some(f) = &d.false_template {
                                match self.render(f)? {
                                    Some(s) => out.push_str(&s),
                                    None => return Ok(None),
                                }
                            }
                        }
                        None => return Ok(None),
                    },
                    Directive::For(d) => {
                        let set = self.is_set(&d.collection_expr, 0);
                        let pairs: Vec<(Value, Value)> = match self.eval(&d.collection_expr)? {
                            Value::List(l) => pairs_of_list(l, set),
                            Value::Map(m) => m.into_iter().map(|(k, v)| (Value::String(k), v)).collect(),
                            _ => return Ok(None),
                        };
                        for (k, v) in pairs {
                            let mut s = self.child();
                            if let Some(kv) = &d.key_var {
                                s.names.push((kv.to_string(), k));
                            }
                            s.names.push((d.value_var.to_string(), v));
                            match s.render(&d.template)? {
                                Some(x) => out.push_str(&x),
                                None => return Ok(None),
                            }
                        }
                    }
                },
            }
        }
        Ok(Some(out))
    }

    fn call(&self, f: &hcl::expr::FuncCall) -> Result<Value, HclError> {
        let name = f.name.name.as_str();
        if !f.name.namespace.is_empty() {
            return Ok(Value::Unknown);
        }
        // try / can: an argument that fails to evaluate is skipped, not an error.
        if name == "try" {
            let mut s = self.child();
            s.in_try = true;
            for a in &f.args {
                if let Ok(v) = s.eval(a) {
                    return Ok(v);
                }
            }
            return if self.in_try { Err(self.caught("no argument of try() evaluates")) } else { Ok(Value::Unknown) };
        }
        if name == "can" {
            let mut s = self.child();
            s.in_try = true;
            return Ok(match f.args.first().map(|a| s.eval(a)) {
                Some(Ok(Value::Unknown)) => Value::Unknown,
                Some(Ok(_)) => Value::Bool(true),
                _ => Value::Bool(false),
            });
        }
        let mut args = Vec::with_capacity(f.args.len());
        for a in &f.args {
            args.push(self.eval(a)?);
        }
        if f.expand_final {
            match args.pop() {
                Some(Value::List(l)) => args.extend(l),
                _ => return Ok(Value::Unknown),
            }
        }
        let known = !args.iter().any(Value::has_opaque);
        match funcs::call(name, args) {
            // A function given values it rejects fails in Terraform: inside try() that error
            // selects the next argument (functions plumb leaves unknown by design excepted).
            Some(Value::Unknown) if self.in_try && known && !funcs::UNKNOWN_BY_DESIGN.contains(&name) => {
                Err(self.caught("function rejects its arguments"))
            }
            Some(v) => Ok(v),
            None => {
                self.loader.note(format!("function {name}() is not evaluated by plumb; its result is unknown"));
                Ok(Value::Unknown)
            }
        }
    }

    /// A name and the traversal after it.
    fn variable(&self, root: &str, ops: &[Op]) -> Result<Value, HclError> {
        if let Some((_, v)) = self.names.iter().rev().find(|(n, _)| n == root) {
            return self.apply(v.clone(), ops);
        }
        let attr = |i: usize| match ops.get(i) {
            Some(Op::GetAttr(a)) => Some(a.to_string()),
            _ => None,
        };
        match root {
            "var" => {
                let Some(name) = attr(0) else { return Ok(Value::Unknown) };
                match self.inst.vars.get(&name) {
                    Some(v) => self.apply(v.clone(), &ops[1..]),
                    None => Err(self.undeclared("variable", name.clone(), &format!("var.{name}"))),
                }
            }
            "local" => {
                let Some(name) = attr(0) else { return Ok(Value::Unknown) };
                let v = self.local(&name)?;
                self.apply(v, &ops[1..])
            }
            "each" => {
                let v = match (&self.each, attr(0).as_deref()) {
                    (Some((k, _)), Some("key")) => k.clone(),
                    (Some((_, v)), Some("value")) => v.clone(),
                    _ => Value::Unknown,
                };
                self.apply(v, &ops[1..])
            }
            "count" => Ok(match (&self.count, attr(0).as_deref()) {
                (Some(c), Some("index")) => c.clone(),
                _ => Value::Unknown,
            }),
            "path" => Ok(match attr(0).as_deref() {
                Some("module") => {
                    let d = &self.inst.module.dir;
                    Value::String(if d.is_empty() { ".".into() } else { d.clone() })
                }
                Some("root") | Some("cwd") => Value::String(".".into()),
                _ => Value::Unknown,
            }),
            "terraform" => Ok(match attr(0).as_deref() {
                Some("workspace") => Value::String("default".into()),
                _ => Value::Unknown,
            }),
            "self" => Ok(Value::Unknown),
            "data" => {
                let (Some(t), Some(n)) = (attr(0), attr(1)) else { return Ok(Value::Unknown) };
                let Some(decl) = self.inst.module.data.get(&(t.clone(), n.clone())) else {
                    return Err(self.undeclared("data source", format!("data.{t}.{n}"), &format!("data.{t}.{n}")));
                };
                // Data sources are not read (no credentials), except those plumb can compute.
                if t == "aws_iam_policy_document" || super::policy_document::IDENTITY_DATA.contains(&t.as_str()) {
                    return self.block_ref(&format!("data.{t}"), &n, decl, &ops[2..], true);
                }
                Ok(Value::Unknown)
            }
            "module" => {
                let Some(name) = attr(0) else { return Ok(Value::Unknown) };
                if !self.inst.module.modules.contains_key(&name) {
                    return Err(self.undeclared("module", name.clone(), &format!("module.{name}")));
                }
                let children = children(self.loader, self.inst, &name)?;
                let (child, rest) = match (&*children, ops.get(1)) {
                    (Children::Single(c), _) => (c.clone(), &ops[1..]),
                    (Children::Keyed(cs), Some(Op::Index(ix))) => {
                        let k = self.eval(ix)?;
                        match cs.iter().find(|(key, _)| equal(key, &k)) {
                            Some((_, c)) => (c.clone(), &ops[2..]),
                            None => return Ok(Value::Unknown),
                        }
                    }
                    _ => return Ok(Value::Unknown),
                };
                let Some(Op::GetAttr(out)) = rest.first() else { return Ok(Value::Unknown) };
                let Some(decl) = child.module.outputs.get(out.as_str()) else { return Ok(Value::Unknown) };
                let v = Scope::new(self.loader, &child, decl.at.clone()).eval(&decl.item)?;
                self.apply(v, &rest[1..])
            }
            rtype => {
                let Some(name) = attr(0) else { return Ok(Value::Unknown) };
                let Some(decl) = self.inst.module.resources.get(&(rtype.to_string(), name.clone())) else {
                    return Err(self.undeclared("resource", format!("{rtype}.{name}"), &format!("{rtype}.{name}")));
                };
                self.block_ref(rtype, &name, decl, &ops[1..], false)
            }
        }
    }

    fn local(&self, name: &str) -> Result<Value, HclError> {
        if let Some(v) = self.inst.locals.borrow().get(name) {
            return Ok(v.clone().unwrap_or(Value::Unknown));
        }
        let Some(decl) = self.inst.module.locals.get(name) else {
            return Err(self.undeclared("local value", name.to_string(), &format!("local.{name}")));
        };
        self.inst.locals.borrow_mut().insert(name.to_string(), None);
        let v = Scope::new(self.loader, self.inst, decl.at.clone()).eval(&decl.item)?;
        self.inst.locals.borrow_mut().insert(name.to_string(), Some(v.clone()));
        Ok(v)
    }

    /// `<type>.<name>[key].<attr>...` (or `data.<type>.<name>...`): the configured value
    /// when known, else the placeholder `${<address>.<attr>}` the joined views resolve. A
    /// block with `count` is a list of instances and one with `for_each` a map of them, so
    /// splats (`aws_security_group.this.*.id`, `[*]`) and `values(...)` work as in
    /// Terraform.
    fn block_ref(
        &self,
        rtype: &str,
        name: &str,
        decl: &Decl<hcl::Body>,
        ops: &[Op],
        data: bool,
    ) -> Result<Value, HclError> {
        let has = |k: &str| decl.item.attributes().any(|a| a.key() == k);
        let (counted, by_key) = (has("count"), has("for_each"));
        if !counted && !by_key {
            let key = Key { index: None, each: None, count: None };
            return self.instance_ref(rtype, name, decl, &key, ops, data);
        }
        let scope = Scope::new(self.loader, self.inst, decl.at.clone());
        let Some(keys) = expand(&scope, &decl.item)? else { return Ok(Value::Unknown) };
        match ops.first() {
            Some(Op::Index(ix)) => {
                let k = self.eval(ix)?;
                if matches!(k, Value::Unknown) {
                    return Ok(Value::Unknown);
                }
                let found = keys
                    .into_iter()
                    .find(|key| key.index.as_ref().is_some_and(|i| equal(i, &k) || as_string(i) == as_string(&k)));
                match found {
                    Some(key) => self.instance_ref(rtype, name, decl, &key, &ops[1..], data),
                    // An instance that does not exist is an error in Terraform (`try` skips it).
                    None if self.in_try => Err(self.caught("no such instance")),
                    None => Ok(Value::Unknown),
                }
            }
            Some(Op::LegacyIndex(n)) => {
                let k = Value::int(*n as i64);
                match keys.into_iter().find(|key| key.index.as_ref().is_some_and(|i| equal(i, &k))) {
                    Some(key) => self.instance_ref(rtype, name, decl, &key, &ops[1..], data),
                    None if self.in_try => Err(self.caught("no such instance")),
                    None => Ok(Value::Unknown),
                }
            }
            _ => {
                // The whole collection of instances.
                let mut list = Vec::new();
                let mut map = BTreeMap::new();
                for key in keys {
                    let v = self.instance_ref(rtype, name, decl, &key, &[], data)?;
                    match &key.index {
                        Some(Value::String(k)) if by_key => {
                            map.insert(k.clone(), v);
                        }
                        _ => list.push(v),
                    }
                }
                let all = if by_key { Value::Map(map) } else { Value::List(list) };
                self.apply(all, ops)
            }
        }
    }

    /// One instance as an object: its configured attributes, and a placeholder for every
    /// other attribute of its schema (computed ones such as `id` and `arn`), then `ops`.
    fn instance_ref(
        &self,
        rtype: &str,
        name: &str,
        decl: &Decl<hcl::Body>,
        key: &Key,
        ops: &[Op],
        data: bool,
    ) -> Result<Value, HclError> {
        let address = format!("{}{rtype}.{name}{}", self.inst.prefix, index_suffix(&key.index));
        let body = instance_body(self.loader, self.inst, decl, &address, key)?;
        let placeholder = |attr: &str| Value::String(format!("${{{address}.{attr}}}"));
        if data {
            let t = rtype.trim_start_matches("data.");
            if t == "aws_iam_policy_document" {
                let rendered = body.as_map().and_then(super::policy_document::render);
                let (json, minified) = match rendered {
                    Some((j, m)) => (Value::String(j), Value::String(m)),
                    None => (Value::Unknown, Value::Unknown),
                };
                let obj = Value::Map(BTreeMap::from([
                    ("id".to_string(), Value::Unknown),
                    ("json".to_string(), json),
                    ("minified_json".to_string(), minified),
                ]));
                return self.apply(obj, ops);
            }
            // The identity data sources: every attribute a placeholder.
            return match ops.first() {
                Some(Op::GetAttr(a)) => self.apply(placeholder(a.as_str()), &ops[1..]),
                _ => Ok(Value::Unknown),
            };
        }
        // A direct attribute needs no object (the common case, and cheaper).
        if let Some(Op::GetAttr(attr)) = ops.first() {
            return match body.get(attr.as_str()) {
                Some(v) if !v.has_opaque() && !v.is_null() => self.apply(v.clone(), &ops[1..]),
                _ if ops.len() == 1 => Ok(placeholder(attr.as_str())),
                _ => Ok(Value::Unknown),
            };
        }
        let mut obj: BTreeMap<String, Value> = BTreeMap::new();
        if let Some(schema) = crate::schema::resource(rtype) {
            for a in schema.attributes.keys() {
                obj.insert(a.clone(), placeholder(a));
            }
        }
        for a in ["id", "arn"] {
            obj.insert(a.to_string(), placeholder(a));
        }
        if let Value::Map(m) = body {
            for (k, v) in m {
                if !v.has_opaque() && !v.is_null() {
                    obj.insert(k, v);
                }
            }
        }
        self.apply(Value::Map(obj), ops)
    }

    /// Whether an expression is a set (for which `for k, v in ...` gives `k == v`, as
    /// Terraform does): `toset()` and the set functions, a variable typed `set(...)`, a local
    /// defined as one of these.
    fn is_set(&self, e: &E, depth: usize) -> bool {
        if depth > 16 {
            return false;
        }
        match e {
            E::FuncCall(f) => {
                matches!(f.name.name.as_str(), "toset" | "setunion" | "setintersection" | "setsubtract" | "setproduct")
            }
            E::Parenthesis(inner) => self.is_set(inner, depth + 1),
            E::Conditional(c) => self.is_set(&c.true_expr, depth + 1) && self.is_set(&c.false_expr, depth + 1),
            E::Traversal(t) => match (&t.expr, t.operators.as_slice()) {
                (E::Variable(v), [Op::GetAttr(n)]) if v.as_str() == "var" => {
                    self.inst.module.variables.get(n.as_str()).is_some_and(|d| d.item.set_typed)
                }
                (E::Variable(v), [Op::GetAttr(n)]) if v.as_str() == "local" => {
                    self.inst.module.locals.get(n.as_str()).is_some_and(|d| self.is_set(&d.item, depth + 1))
                }
                _ => false,
            },
            _ => false,
        }
    }

    /// `depends_on = [...]`: every reference must name something declared, as Terraform
    /// requires.
    fn check_depends_on(&self, body: &hcl::Body) -> Result<(), HclError> {
        let Some(a) = body.attributes().find(|a| a.key() == "depends_on") else { return Ok(()) };
        let E::Array(items) = a.expr() else { return Ok(()) };
        let m = &self.inst.module;
        for item in items {
            let (root, ops): (&str, &[Op]) = match item {
                E::Variable(v) => (v.as_str(), &[]),
                E::Traversal(t) => match &t.expr {
                    E::Variable(v) => (v.as_str(), &t.operators),
                    _ => continue,
                },
                _ => continue,
            };
            let attr = |i: usize| match ops.get(i) {
                Some(Op::GetAttr(a)) => Some(a.to_string()),
                _ => None,
            };
            let missing = match root {
                "module" => {
                    attr(0).filter(|n| !m.modules.contains_key(n)).map(|n| ("module", n.clone(), format!("module.{n}")))
                }
                "data" => match (attr(0), attr(1)) {
                    (Some(t), Some(n)) if !m.data.contains_key(&(t.clone(), n.clone())) => {
                        Some(("data source", format!("data.{t}.{n}"), format!("data.{t}.{n}")))
                    }
                    _ => None,
                },
                "var" => attr(0)
                    .filter(|n| !m.variables.contains_key(n))
                    .map(|n| ("variable", n.clone(), format!("var.{n}"))),
                "local" => attr(0)
                    .filter(|n| !m.locals.contains_key(n))
                    .map(|n| ("local value", n.clone(), format!("local.{n}"))),
                "path" | "terraform" | "count" | "each" | "self" => None,
                rtype => match attr(0) {
                    Some(n) if !m.resources.contains_key(&(rtype.to_string(), n.clone())) => {
                        Some(("resource", format!("{rtype}.{n}"), format!("{rtype}.{n}")))
                    }
                    None => Some(("resource", rtype.to_string(), rtype.to_string())),
                    _ => None,
                },
            };
            if let Some((what, name, needle)) = missing {
                return Err(self.undeclared(what, name, &needle));
            }
        }
        Ok(())
    }

    fn apply(&self, mut v: Value, ops: &[Op]) -> Result<Value, HclError> {
        for (i, op) in ops.iter().enumerate() {
            if matches!(v, Value::Unknown) {
                return Ok(Value::Unknown);
            }
            v = match op {
                Op::GetAttr(a) => match &v {
                    Value::Map(m) => match m.get(a.as_str()) {
                        Some(x) => x.clone(),
                        None if self.in_try => return Err(self.caught("no such attribute")),
                        None => Value::Null,
                    },
                    _ if self.in_try && !v.has_opaque() && !is_placeholder(&v) => {
                        return Err(self.caught("not an object"));
                    }
                    _ => Value::Unknown,
                },
                Op::Index(ix) => {
                    let k = self.eval(ix)?;
                    let got = index(&v, &k);
                    if self.in_try && matches!(got, Value::Unknown) && !k.has_opaque() && !is_placeholder(&v) {
                        return Err(self.caught("no such key or index"));
                    }
                    got
                }
                Op::LegacyIndex(n) => {
                    let got = index(&v, &Value::int(*n as i64));
                    if self.in_try && matches!(got, Value::Unknown) && !is_placeholder(&v) {
                        return Err(self.caught("no such index"));
                    }
                    got
                }
                Op::AttrSplat | Op::FullSplat => {
                    let items = match v {
                        Value::List(l) => l,
                        Value::Null => Vec::new(),
                        other => vec![other],
                    };
                    let rest = &ops[i + 1..];
                    let mut out = Vec::new();
                    for item in items {
                        out.push(self.apply(item, rest)?);
                    }
                    return Ok(Value::List(out));
                }
            };
        }
        Ok(v)
    }
}

/// A reference to a computed attribute (`${aws_x.y.attr}`): its inside is not known.
fn is_placeholder(v: &Value) -> bool {
    matches!(v, Value::String(s) if s.contains("${"))
}

/// `(key, value)` pairs a `for` expression or `dynamic` block iterates: a list by index, a
/// set by value (Terraform gives a set's elements as both key and value).
fn pairs_of_list(l: Vec<Value>, set: bool) -> Vec<(Value, Value)> {
    if set {
        l.into_iter().map(|v| (v.clone(), v)).collect()
    } else {
        l.into_iter().enumerate().map(|(i, v)| (Value::int(i as i64), v)).collect()
    }
}

fn index(v: &Value, k: &Value) -> Value {
    match (v, k) {
        (_, Value::Unknown) => Value::Unknown,
        (Value::List(l), k) => as_f64(k).and_then(|i| l.get(i as usize).cloned()).unwrap_or(Value::Unknown),
        (Value::Map(m), k) => as_string(k).and_then(|s| m.get(&s).cloned()).unwrap_or(Value::Unknown),
        _ => Value::Unknown,
    }
}

fn binary(op: BinaryOperator, l: &Value, r: &Value) -> Value {
    use BinaryOperator as B;
    if l.has_opaque() || r.has_opaque() {
        // `false && x` and `true || x` are known whatever x is.
        return match (op, truthy(l), truthy(r)) {
            (B::And, Some(false), _) | (B::And, _, Some(false)) => Value::Bool(false),
            (B::Or, Some(true), _) | (B::Or, _, Some(true)) => Value::Bool(true),
            _ => Value::Unknown,
        };
    }
    match op {
        B::Eq => Value::Bool(equal(l, r)),
        B::NotEq => Value::Bool(!equal(l, r)),
        B::And | B::Or => match (truthy(l), truthy(r)) {
            (Some(a), Some(b)) => Value::Bool(if op == B::And { a && b } else { a || b }),
            _ => Value::Unknown,
        },
        _ => {
            let (Some(a), Some(b)) = (as_f64(l), as_f64(r)) else { return Value::Unknown };
            match op {
                B::Less => Value::Bool(a < b),
                B::LessEq => Value::Bool(a <= b),
                B::Greater => Value::Bool(a > b),
                B::GreaterEq => Value::Bool(a >= b),
                B::Plus => number(a + b),
                B::Minus => number(a - b),
                B::Mul => number(a * b),
                B::Div if b != 0.0 => number(a / b),
                B::Mod if b != 0.0 => number(a % b),
                _ => Value::Unknown,
            }
        }
    }
}

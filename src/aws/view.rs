//! Joined views: one JSON object per real thing, whichever resources express it, so that a
//! rule reads the same for config, state and live.
//!
//! AWS and the provider split one thing into several resources (a bucket and its
//! encryption, versioning, public access block...; a security group and its rule
//! resources). Each owning type declares a [`ViewDef`] whose `build` joins its parts and
//! applies the baseline's semantics once, so that rules stay short; this module is the
//! toolkit those builders share, and [`build`] runs every declared one.
//!
//! - An omitted attribute takes the provider default (`deletion_protection` false, no SSE
//!   configuration = SSE-S3 `AES256`, ...). "Omitted" is a key absent from the resource
//!   (config, state) or a Null value. In the live view an absent key means "not read":
//!   it is unknown, never a default.
//! - An unknown value (not read, computed, sensitive) is `null` in the view and its field
//!   name is listed in the enclosing object's `unknown` array. Booleans and numbers are
//!   `null` only when unknown; rules compare with `== false` / `!= true` / `is_number`, so a
//!   `null` never fails.
//! - Every setting records the resource that expresses it (`address`, `resource_type`): the
//!   split resource or inline block holding the value when one does and is managed,
//!   else the owning resource. That is where a finding points.
//!
//! `rules/README.md` documents every field; a test keeps the two in step.

use std::collections::HashMap;
use std::sync::OnceLock;

use serde_json::{Map as JMap, Value as J, json};

use crate::model::{Resource, Value, View};

#[cfg(test)]
#[path = "view_tests.rs"]
pub(crate) mod tests;

/// One joined view.
#[derive(Debug, Clone, PartialEq)]
pub struct JoinedView {
    /// View type (`s3_bucket`, ...).
    pub vtype: &'static str,
    pub id: String,
    /// Address of the owning resource; `None` when unmanaged.
    pub address: Option<String>,
    /// Terraform type of the owning resource.
    pub resource_type: String,
    /// The owner was created by AWS itself (a default VPC, subnet or security group).
    pub aws_default: bool,
    /// The owner is not declared in the code (config view): only the settings the code
    /// gives on it are known (see [`outside_owners`]).
    pub outside_code: bool,
    /// The object rules see.
    pub value: J,
}

/// A kind of joined view, declared by the type(s) owning it.
pub struct ViewDef {
    /// `s3_bucket`, `security_group`...
    pub kind: &'static str,
    /// Every view of this kind from one view's resources (the builder picks its owner and
    /// part types itself).
    pub build: fn(&[Resource], View) -> Vec<JoinedView>,
}

/// View kinds and the Terraform types each is built from (owners first, then parts), from
/// the types' declarations, sorted by kind.
pub fn kinds() -> &'static [(&'static str, Vec<&'static str>)] {
    static KINDS: OnceLock<Vec<(&'static str, Vec<&'static str>)>> = OnceLock::new();
    KINDS.get_or_init(|| {
        let mut out: Vec<(&'static str, Vec<&'static str>)> = Vec::new();
        for t in super::types() {
            if let Some(v) = t.view {
                match out.iter_mut().find(|(k, _)| *k == v.kind) {
                    Some((_, types)) => types.push(t.name),
                    None => out.push((v.kind, vec![t.name])),
                }
            }
        }
        for t in super::types() {
            for kind in t.part_of_views {
                if let Some((_, types)) = out.iter_mut().find(|(k, _)| k == kind) {
                    types.push(t.name);
                }
            }
        }
        out.sort_by_key(|(k, _)| *k);
        out
    })
}

/// The declared view builders, one per kind.
fn defs() -> Vec<&'static ViewDef> {
    let mut out: Vec<&'static ViewDef> = Vec::new();
    for v in super::types().filter_map(|t| t.view) {
        if !out.iter().any(|d| d.kind == v.kind) {
            out.push(v);
        }
    }
    out
}

/// Join the resources of one view into views, sorted by view kind, id and address.
pub fn build(resources: &[Resource], view: View) -> Vec<JoinedView> {
    let mut out: Vec<JoinedView> = defs().into_iter().flat_map(|d| (d.build)(resources, view)).collect();
    out.sort_by(|a, b| (a.vtype, &a.id, &a.address).cmp(&(b.vtype, &b.id, &b.address)));
    out
}

/// One view per resource of `types`, built by `f` (views without parts).
pub fn each(
    resources: &[Resource],
    types: &[&str],
    view: View,
    f: fn(&Resource, View) -> JoinedView,
) -> Vec<JoinedView> {
    resources.iter().filter(|r| types.contains(&r.rtype.as_str())).map(|r| f(r, view)).collect()
}

/// One attribute as a rule must read it.
#[derive(Debug, Clone, Copy)]
pub enum F<'a> {
    /// A value was given.
    Set(&'a Value),
    /// Omitted or null: the provider default applies.
    Default,
    /// Not read, computed or sensitive.
    Unknown,
}

impl<'a> F<'a> {
    /// A nested field: absent means omitted.
    pub fn of(v: Option<&'a Value>) -> F<'a> {
        match v {
            None | Some(Value::Null) => F::Default,
            Some(Value::Unknown | Value::Sensitive) => F::Unknown,
            Some(v) => F::Set(v),
        }
    }

    /// A field of this value (an object, or a one-element block list).
    pub fn field(self, key: &str) -> F<'a> {
        match self {
            F::Set(v @ Value::Map(_)) => F::of(v.get(key)),
            F::Set(Value::List(l)) if l.is_empty() => F::Default,
            F::Set(v @ Value::List(l)) if l.len() == 1 => match &l[0] {
                Value::Unknown | Value::Sensitive => F::Unknown,
                _ => F::of(v.get(key)),
            },
            F::Set(_) | F::Unknown => F::Unknown,
            F::Default => F::Default,
        }
    }

    pub fn bool(self, default: bool) -> Option<bool> {
        match self {
            F::Set(Value::Bool(b)) => Some(*b),
            F::Set(Value::String(s)) => s.parse().ok(),
            F::Set(_) | F::Unknown => None,
            F::Default => Some(default),
        }
    }

    pub fn int(self, default: Option<i64>) -> Result<Option<i64>, ()> {
        match self {
            F::Set(v @ Value::Number(_)) => Ok(v.as_i64()),
            F::Set(Value::String(s)) => s.parse().map(Some).map_err(|_| ()),
            F::Set(_) | F::Unknown => Err(()),
            F::Default => Ok(default),
        }
    }

    /// A string; an empty string is "not set" (the provider stores unset strings as `""`).
    pub fn string(self, default: Option<&str>) -> Result<Option<String>, ()> {
        match self {
            F::Set(Value::String(s)) if s.is_empty() => Ok(default.map(str::to_string)),
            F::Set(Value::String(s)) => Ok(Some(s.clone())),
            F::Set(Value::Number(n)) => Ok(Some(n.to_string())),
            F::Set(Value::Bool(b)) => Ok(Some(b.to_string())),
            F::Set(_) | F::Unknown => Err(()),
            F::Default => Ok(default.map(str::to_string)),
        }
    }

    /// A list of strings (a set in the provider); omitted is empty.
    pub fn strings(self) -> Result<Vec<String>, ()> {
        match self {
            F::Set(Value::List(l)) => {
                l.iter().map(|v| v.as_str().map(str::to_string).ok_or(())).collect::<Result<Vec<_>, _>>().map(
                    |mut v| {
                        v.sort();
                        v
                    },
                )
            }
            F::Set(_) | F::Unknown => Err(()),
            F::Default => Ok(Vec::new()),
        }
    }

    /// The elements of a block list (`[]` when omitted).
    pub fn elements(self) -> Result<&'a [Value], ()> {
        match self {
            F::Set(Value::List(l)) => Ok(l),
            F::Set(_) | F::Unknown => Err(()),
            F::Default => Ok(&[]),
        }
    }
}

/// Whether the absence of `rtype` resources means "there are none": always in config and
/// state; in the live view only for types Plumb reads live (a join on a type no fetcher
/// reads yet, such as flow logs, is unknown rather than empty).
pub fn join_is_complete(rtype: &str, view: View) -> bool {
    view != View::Live || super::is_read(rtype)
}

/// A top-level attribute: in the live view an absent key was not read.
pub fn attr<'a>(r: &'a Resource, key: &str, view: View) -> F<'a> {
    match r.attributes.get(key) {
        None if view == View::Live => F::Unknown,
        v => F::of(v),
    }
}

/// Value tree to JSON, with Unknown and Sensitive as null.
pub fn to_json(v: &Value) -> J {
    match v {
        Value::Null | Value::Unknown | Value::Sensitive => J::Null,
        Value::Bool(b) => J::Bool(*b),
        Value::Number(n) => J::Number(n.clone()),
        Value::String(s) => J::String(s.clone()),
        Value::List(l) => J::Array(l.iter().map(to_json).collect()),
        Value::Map(m) => J::Object(m.iter().map(|(k, v)| (k.clone(), to_json(v))).collect()),
    }
}

/// A JSON object under construction that records which fields are unknown.
#[derive(Default)]
pub struct Obj {
    pub map: JMap<String, J>,
    pub unknown: Vec<String>,
}

impl Obj {
    pub fn put(&mut self, k: &str, v: impl Into<J>) -> &mut Self {
        self.map.insert(k.to_string(), v.into());
        self
    }

    pub fn unknown(&mut self, k: &str) -> &mut Self {
        self.map.insert(k.to_string(), J::Null);
        if !self.unknown.iter().any(|u| u == k) {
            self.unknown.push(k.to_string());
        }
        self
    }

    pub fn opt<T: Into<J>>(&mut self, k: &str, v: Option<T>) -> &mut Self {
        match v {
            Some(v) => self.put(k, v),
            None => self.unknown(k),
        }
    }

    pub fn bool(&mut self, k: &str, f: F, default: bool) -> Option<bool> {
        let b = f.bool(default);
        self.opt(k, b);
        b
    }

    pub fn int(&mut self, k: &str, f: F, default: Option<i64>) -> Option<i64> {
        match f.int(default) {
            Ok(i) => {
                self.put(k, i.map(J::from).unwrap_or(J::Null));
                i
            }
            Err(()) => {
                self.unknown(k);
                None
            }
        }
    }

    /// A string; `Ok(None)` (not set) is `null` without being unknown.
    pub fn string(&mut self, k: &str, f: F, default: Option<&str>) -> Result<Option<String>, ()> {
        let s = f.string(default);
        match &s {
            Ok(v) => {
                self.put(k, v.clone().map(J::String).unwrap_or(J::Null));
            }
            Err(()) => {
                self.unknown(k);
            }
        }
        s
    }

    pub fn strings(&mut self, k: &str, f: F) -> Option<Vec<String>> {
        let v = f.strings().ok();
        self.opt(k, v.clone());
        v
    }

    /// Tags: `tags_all` when present (provider default tags included), else `tags`.
    pub fn tags(&mut self, r: &Resource, view: View) {
        let f = match r.attributes.get("tags_all") {
            Some(Value::Map(_)) => attr(r, "tags_all", view),
            _ => attr(r, "tags", view),
        };
        match f {
            F::Set(Value::Map(m)) => {
                let tags: JMap<String, J> = m.iter().map(|(k, v)| (k.clone(), to_json(v))).collect();
                self.put("tags", J::Object(tags));
            }
            F::Default => {
                self.put("tags", json!({}));
            }
            _ => {
                self.unknown("tags");
            }
        }
    }

    pub fn finish(mut self) -> J {
        self.unknown.sort();
        self.map.insert("unknown".into(), J::Array(self.unknown.into_iter().map(J::String).collect()));
        J::Object(self.map)
    }
}

/// The common head of a view.
pub fn head(vtype: &str, r: &Resource, view: View) -> Obj {
    let mut o = Obj::default();
    o.put("type", vtype)
        .put("id", r.id.as_str())
        .put("address", r.address.clone().map(J::String).unwrap_or(J::Null))
        .put("resource_type", r.rtype.as_str())
        .put("region", r.region.clone().map(J::String).unwrap_or(J::Null))
        .put("aws_default", r.aws_default);
    match attr(r, "arn", view).string(None) {
        Ok(a) => o.put("arn", a.map(J::String).unwrap_or(J::Null)),
        Err(()) => o.unknown("arn"),
    };
    o.tags(r, view);
    // A display name for messages: the Name tag, else the id; views with a real name
    // (bucket, identifier, alias) override it.
    let name = o.map.get("tags").and_then(|t| t.get("Name")).and_then(J::as_str).unwrap_or(&r.id).to_string();
    o.put("name", name);
    o
}

pub fn joined(vtype: &'static str, r: &Resource, o: Obj) -> JoinedView {
    JoinedView {
        vtype,
        id: r.id.clone(),
        address: r.address.clone(),
        resource_type: r.rtype.clone(),
        aws_default: r.aws_default,
        outside_code: outside_code(r),
        value: o.finish(),
    }
}

/// The resource a setting points at: the expressing resource when it is managed (or when
/// nothing is), else the owner.
pub fn setting_origin<'a>(o: &mut Obj, owner: &'a Resource, expressing: Option<&'a Resource>) -> &'a Resource {
    let r = match expressing {
        Some(e) if e.address.is_some() || owner.address.is_none() => e,
        _ => owner,
    };
    o.put("address", r.address.clone().map(J::String).unwrap_or(J::Null)).put("resource_type", r.rtype.as_str());
    r
}

/// Owners by join key (ids, names, ARNs) and by address, for references such as
/// `aws_s3_bucket.x.id` (the config view's unresolved form).
#[derive(Default)]
pub struct Index {
    by_key: HashMap<String, usize>,
    by_address: HashMap<String, usize>,
}

impl Index {
    pub fn add(&mut self, i: usize, r: &Resource, key_attrs: &[&str]) {
        self.by_key.entry(r.id.clone()).or_insert(i);
        for k in key_attrs {
            if let Some(s) = r.attributes.get(*k).and_then(Value::as_str).filter(|s| !s.is_empty()) {
                self.by_key.entry(s.to_string()).or_insert(i);
            }
        }
        if let Some(a) = &r.address {
            self.by_address.entry(a.clone()).or_insert(i);
        }
    }

    pub fn find(&self, v: Option<&Value>) -> Option<usize> {
        let s = v?.as_str()?;
        let s = s.strip_prefix("${").and_then(|s| s.strip_suffix('}')).unwrap_or(s);
        if let Some(i) = self.by_key.get(s) {
            return Some(*i);
        }
        let (head, _attr) = s.rsplit_once('.')?;
        self.by_address.get(head).copied()
    }
}

/// Whether a view's owner is outside the code: a placeholder [`outside_owners`] made for
/// settings the code gives on a resource it does not declare.
pub fn outside_code(r: &Resource) -> bool {
    r.address.is_none() && matches!(r.origin, crate::model::Origin::Config { .. })
}

/// Owners the code does not declare, for settings it gives on them (config view only): an
/// `aws_security_group_rule` on a group given by literal id, variable or data source, an
/// `aws_s3_bucket_versioning` on an existing bucket name, an `aws_kms_key_policy` on an
/// existing key ARN. Each such owner is judged on the settings the code gives; everything
/// else about it is unknown (its attributes `unknown_attrs` are `Unknown`).
#[derive(Default)]
pub struct Outside {
    pub owners: Vec<Resource>,
    by_part: HashMap<String, usize>,
}

impl Outside {
    /// The outside owner of a part, by the part's address.
    pub fn find(&self, part: &Resource) -> Option<usize> {
        self.by_part.get(part.address.as_deref()?).copied()
    }
}

/// Parts of `part_types` whose `join_attr` names no owner in `index` get an outside owner
/// of `owner_type`: one per name when the name is known (`sg-0123...`, `existing-logs`),
/// else one per part (a variable without a value, a data source).
pub fn outside_owners(
    resources: &[Resource],
    view: View,
    index: &Index,
    part_types: &[&str],
    join_attr: &str,
    owner_type: &str,
    unknown_attrs: &[&str],
) -> Outside {
    let mut out = Outside::default();
    if view != View::Config {
        return out;
    }
    let mut by_name: HashMap<String, usize> = HashMap::new();
    let mut parts: Vec<&Resource> =
        resources.iter().filter(|r| part_types.contains(&r.rtype.as_str()) && r.address.is_some()).collect();
    parts.sort_by(|a, b| a.address.cmp(&b.address));
    for r in parts {
        let join = r.attributes.get(join_attr);
        if index.find(join).is_some() {
            continue;
        }
        let Some(address) = r.address.clone() else { continue };
        let name = match join {
            Some(Value::String(s)) if s.is_empty() => continue, // none given: not a setting on anything
            Some(Value::String(s)) if !s.contains("${") => Some(s.clone()),
            // A reference to a managed resource that is not an owner (a module output
            // Plumb could not follow, a data source): per part.
            _ => None,
        };
        let i = match &name {
            Some(n) => match by_name.get(n) {
                Some(i) => *i,
                None => {
                    by_name.insert(n.clone(), out.owners.len());
                    out.owners.push(outside_owner(owner_type, n, unknown_attrs));
                    out.owners.len() - 1
                }
            },
            None => {
                let id = format!("{join_attr} of {address}");
                out.owners.push(outside_owner(owner_type, &id, unknown_attrs));
                out.owners.len() - 1
            }
        };
        out.by_part.insert(address, i);
    }
    out
}

fn outside_owner(owner_type: &str, id: &str, unknown_attrs: &[&str]) -> Resource {
    Resource {
        rtype: owner_type.to_string(),
        id: id.to_string(),
        address: None,
        region: None,
        attributes: unknown_attrs.iter().map(|a| (a.to_string(), Value::Unknown)).collect(),
        origin: crate::model::Origin::Config { file: String::new(), line: 0 },
        aws_default: false,
    }
}

/// Managed before unmanaged, then by address and id: the one a finding should name.
pub fn preferred<'a>(rs: &[&'a Resource]) -> Option<&'a Resource> {
    rs.iter()
        .copied()
        .min_by(|a, b| (a.address.is_none(), &a.address, &a.id).cmp(&(b.address.is_none(), &b.address, &b.id)))
}

pub fn parse_policy(f: F) -> Result<Option<J>, ()> {
    match f {
        F::Set(Value::String(s)) if s.trim().is_empty() => Ok(None),
        F::Set(Value::String(s)) => serde_json::from_str(s).map(Some).map_err(|_| ()),
        F::Set(v @ Value::Map(_)) if !v.has_opaque() => Ok(Some(to_json(v))),
        F::Set(_) | F::Unknown => Err(()),
        F::Default => Ok(None),
    }
}

/// Policy statements as a list (a single statement may be an object).
pub fn statements(doc: &J) -> Vec<J> {
    list_of(doc.get("Statement"))
}

pub fn list_of(v: Option<&J>) -> Vec<J> {
    match v {
        Some(J::Array(a)) => a.clone(),
        Some(J::Null) | None => vec![],
        Some(v) => vec![v.clone()],
    }
}

/// An `Allow` statement for every principal (`"*"`, `{"AWS": "*"}`) without a `Condition`.
pub fn allows_public(doc: &J) -> bool {
    statements(doc).iter().any(|s| {
        let allow = s.get("Effect").and_then(J::as_str) == Some("Allow");
        let everyone = match s.get("Principal") {
            Some(J::String(p)) => p == "*",
            Some(J::Object(m)) => list_of(m.get("AWS")).iter().any(|p| p.as_str() == Some("*")),
            _ => false,
        };
        let conditioned = s.get("Condition").is_some_and(|c| c.as_object().is_some_and(|m| !m.is_empty()));
        allow && everyone && !conditioned
    })
}

/// `Some(a || b)` with unknowns: true wins, then unknown, then false.
pub fn any(a: Option<bool>, b: Option<bool>) -> Option<bool> {
    match (a, b) {
        (Some(true), _) | (_, Some(true)) => Some(true),
        (Some(false), Some(false)) => Some(false),
        _ => None,
    }
}

pub fn put_str(o: &mut Obj, k: &str, f: F, default: Option<&str>) -> Result<Option<String>, ()> {
    o.string(k, f, default)
}

/// `flag` is whether the string `s` is set (unknown stays unknown).
pub fn flag(o: &mut Obj, flag: &str, s: &Result<Option<String>, ()>) {
    o.opt(flag, s.as_ref().ok().map(Option::is_some));
}

/// Whether a secret-like argument is set: its value may be sensitive or unknown (a
/// variable) and still be present. In the live view an absent key was not read.
pub fn present(r: &Resource, key: &str, view: View) -> Option<bool> {
    match r.attributes.get(key) {
        None if view == View::Live => None,
        None | Some(Value::Null) => Some(false),
        Some(Value::String(s)) => Some(!s.is_empty()),
        Some(_) => Some(true),
    }
}

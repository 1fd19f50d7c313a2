//! CloudTrail write events, as each resource type declares them: which request parameters
//! name the resource, what the call does to it (create, change, delete) and which attributes
//! it writes, with the new value read from `requestParameters` (so that attribution can check
//! "sets the drifted attribute to its live value").
//!
//! Shapes come from captured records where the research had them (shared/research/cloudtrail.md
//! §3 and its appendix) and follow the API's documented request shape otherwise; each type's
//! file says which. Quirks every reader must tolerate: S3 request bodies mirror the XML (a
//! one-element list is an object), EC2 lists come as `{items: [...]}`, some services log a
//! call under another name (`also`), and redacted values (`****`, `<sensitiveDataRemoved>`)
//! tell who wrote an attribute but not its value.
//!
//! [`lookup`] is the index over every type's declarations, built once.

use std::collections::{HashMap, HashSet};
use std::sync::OnceLock;

use serde::Serialize;
use serde_json::Value as Json;

use super::ResourceType;
use crate::model::Value;

/// What an event does to a resource of the declaring type.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Effect {
    Create,
    Modify,
    Delete,
}

/// Which identifiers of a resource an event's identifiers may match: its own (id, ARN,
/// name), or also its parent's (the security group of a rule resource).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Via {
    Own,
    Any,
}

/// How to read one written attribute from a request.
#[derive(Clone, Copy)]
pub enum W {
    /// `attr` ← the scalar at `path` (alternatives separated by `|`) in `requestParameters`.
    Param(&'static str, &'static str),
    /// `attr` ← the list of strings at `path` (a whole set: security group ids, subnet ids).
    List(&'static str, &'static str),
    /// EC2 attribute requests: `{name: {value: v}}`, `{name: v}` or `{attribute: name, value: v}`.
    Ec2Attr(&'static str, &'static str),
    /// `attr` ← a constant (EnableKeyRotation sets `enable_key_rotation = true`).
    Const(&'static str, bool),
    /// `attr` is written, its new value is not in the request.
    Touch(&'static str),
    /// `tags.<key>` ← value for each element at `items` (`key`/`value` field names).
    Tags { items: &'static str, key: &'static str, value: &'static str },
    /// `tags.<key>` removed for each element at `items` (strings, or objects with `key`).
    Untags { items: &'static str, key: &'static str },
    /// `attr` ← the map at `path` (EKS labels, `{k: v}`), as a whole.
    Map(&'static str, &'static str),
    /// Anything else: `(requestParameters, responseElements, out)`.
    Custom(fn(&Json, &Json, &mut Vec<Written>)),
}

/// One write event on one resource type.
#[derive(Clone, Copy)]
pub struct Event {
    /// `eventSource` without `.amazonaws.com`.
    pub source: &'static str,
    pub name: &'static str,
    /// Other names the same call is logged under (S3 logs `PutPublicAccessBlock` as
    /// `PutBucketPublicAccessBlock`).
    pub also: &'static [&'static str],
    /// Paths of the identifiers in `requestParameters` (`@` prefix: `responseElements`; `=`:
    /// a fixed id); `resources[].ARN` is always read too. `a[]` iterates a list (or a lone
    /// object). A path with braces composes one identifier from several parameters, for import
    /// ids made of several names: `{name|clusterName}:{nodegroupName}`, `{roleName}/{policyArn}`
    /// (each `{...}` is the first value found at its alternatives; nothing when one is missing;
    /// a list part, `{scheduledActionNames[]}`, gives one identifier per element).
    pub ids: &'static [&'static str],
    pub effect: Effect,
    pub via: Via,
    pub writes: &'static [W],
    /// For events that delete the resource only with some parameters (PutBucketLogging
    /// without `LoggingEnabled` switches logging off).
    pub deletes_if: Option<fn(&Json) -> bool>,
}

impl Event {
    /// A modify event of `source` named `name`, identified at `ids`; fill in the rest with
    /// struct update syntax.
    pub const fn new(source: &'static str, name: &'static str, ids: &'static [&'static str], effect: Effect) -> Event {
        Event { source, name, also: &[], ids, effect, via: Via::Own, writes: &[], deletes_if: None }
    }

    pub const fn create(source: &'static str, name: &'static str, ids: &'static [&'static str]) -> Event {
        Event::new(source, name, ids, Effect::Create)
    }

    pub const fn modify(source: &'static str, name: &'static str, ids: &'static [&'static str]) -> Event {
        Event::new(source, name, ids, Effect::Modify)
    }

    pub const fn delete(source: &'static str, name: &'static str, ids: &'static [&'static str]) -> Event {
        Event::new(source, name, ids, Effect::Delete)
    }

    /// The same event with these writes.
    pub const fn writing(self, writes: &'static [W]) -> Event {
        Event { writes, ..self }
    }

    /// The same event, also matching the parent's identifiers.
    pub const fn via_parent(self) -> Event {
        Event { via: Via::Any, ..self }
    }

    /// The same call as the owner sees it: a change of the attribute the call adds to or
    /// removes from (a rule authorised on a group changes the group's `ingress`).
    pub const fn on_owner(self) -> Event {
        Event { effect: Effect::Modify, via: Via::Own, ..self }
    }

    /// The same event, also logged under these names.
    pub const fn also(self, also: &'static [&'static str]) -> Event {
        Event { also, ..self }
    }

    pub const fn deletes_if(self, f: fn(&Json) -> bool) -> Event {
        Event { deletes_if: Some(f), ..self }
    }

    /// Strings at the event's identifier paths. A path joining two paths with `:` or `/`
    /// names a resource whose id is built from two request parameters, joined the same way
    /// (`roleName:policyName` for `role:policy`, `roleName/policyArn` for an attachment);
    /// `=id` is a fixed id, for calls on a singleton that name nothing (the account's
    /// password policy).
    pub fn identifiers(&self, req: &Json, resp: &Json) -> Vec<String> {
        let mut out = Vec::new();
        for path in self.ids {
            if let Some(literal) = path.strip_prefix('=') {
                out.push(literal.to_string());
                continue;
            }
            if path.contains('{') {
                out.extend(compose(path, req, resp));
                continue;
            }
            let mut found = Vec::new();
            match path.strip_prefix('@') {
                Some(p) => pluck(resp, p, &mut found),
                None => pluck(req, path, &mut found),
            }
            out.extend(found.into_iter().filter_map(scalar_string));
        }
        out
    }

    /// Every attribute the event writes.
    pub fn writes(&self, req: &Json, resp: &Json) -> Vec<Written> {
        let mut out = Vec::new();
        for w in self.writes {
            write(w, req, resp, &mut out);
        }
        out
    }
}

/// One attribute write read from a request. Paths use the diff's syntax (`tags.Owner`,
/// `versioning_configuration[0].status`, `ingress`). Values are partial where the request is:
/// a rule element carries the fields the request named.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(tag = "op", rename_all = "snake_case")]
pub enum Written {
    /// The attribute now has this value (`Value::Sensitive` when CloudTrail redacted it).
    Set { path: String, value: Value },
    /// The attribute (a tag, a setting) was removed.
    Unset { path: String },
    /// Elements added to a set-typed attribute (security group rules).
    Add { path: String, elems: Vec<Value> },
    /// Elements removed from a set-typed attribute.
    Remove { path: String, elems: Vec<Value> },
    /// The attribute was written but its new value cannot be read from the request.
    Touch { path: String },
}

impl Written {
    pub fn path(&self) -> &str {
        match self {
            Written::Set { path, .. }
            | Written::Unset { path }
            | Written::Add { path, .. }
            | Written::Remove { path, .. }
            | Written::Touch { path } => path,
        }
    }
}

/// One (type, event) pair of the index.
pub type Declared = (&'static ResourceType, &'static Event);

/// Every declared (type, event) for an event as logged (`eventSource` as in the record,
/// `s3.amazonaws.com`, or bare).
pub fn lookup(event_source: &str, event_name: &str) -> &'static [Declared] {
    type BySource = HashMap<&'static str, HashMap<&'static str, Vec<Declared>>>;
    static MAP: OnceLock<BySource> = OnceLock::new();
    let map = MAP.get_or_init(|| {
        let mut m: BySource = HashMap::new();
        for t in super::types() {
            for e in t.events {
                for name in std::iter::once(&e.name).chain(e.also) {
                    let v = m.entry(e.source).or_default().entry(*name).or_default();
                    assert!(!v.iter().any(|(x, _)| x.name == t.name), "{}: event {}:{name} twice", t.name, e.source);
                    v.push((t, e));
                }
            }
        }
        m
    });
    let source = event_source.strip_suffix(".amazonaws.com").unwrap_or(event_source);
    map.get(source).and_then(|by_name| by_name.get(event_name)).map(Vec::as_slice).unwrap_or(&[])
}

/// Is any event of this name declared (any service)? For skipping records unparsed.
pub fn known_name(event_name: &str) -> bool {
    static NAMES: OnceLock<HashSet<&'static str>> = OnceLock::new();
    NAMES
        .get_or_init(|| {
            super::types()
                .flat_map(|t| t.events)
                .flat_map(|e| std::iter::once(e.name).chain(e.also.iter().copied()))
                .collect()
        })
        .contains(event_name)
}

// -- reading requests -----------------------------------------------------------------------

/// Values at a dotted path; `a[]` iterates a list (or a lone object, S3's one-element lists).
pub fn pluck<'a>(v: &'a Json, path: &str, out: &mut Vec<&'a Json>) {
    if path.is_empty() {
        out.push(v);
        return;
    }
    let (seg, rest) = path.split_once('.').unwrap_or((path, ""));
    let (name, each) = match seg.strip_suffix("[]") {
        Some(n) => (n, true),
        None => (seg, false),
    };
    let Some(x) = v.get(name) else { return };
    match (each, x) {
        (true, Json::Array(items)) => items.iter().for_each(|e| pluck(e, rest, out)),
        (true, Json::Null) => {}
        _ => pluck(x, rest, out),
    }
}

/// Identifiers from a template such as `{name|clusterName}:{nodegroupName}`: literal text
/// kept, each `{paths}` replaced by the scalar at the first of its alternatives that has one
/// (`@` prefix: `responseElements`); nothing when a part is missing or the braces do not
/// close. A part at a list path (`{scheduledActionNames[]}`) gives one identifier per
/// element (a batch call on several parts of one group), at most [`MAX_COMPOSED`].
fn compose(template: &str, req: &Json, resp: &Json) -> Vec<String> {
    let mut out = vec![String::new()];
    let mut rest = template;
    while let Some(open) = rest.find('{') {
        let literal = &rest[..open];
        out.iter_mut().for_each(|o| o.push_str(literal));
        let Some(close) = rest[open..].find('}').map(|c| c + open) else { return Vec::new() };
        let paths = &rest[open + 1..close];
        let values: Vec<String> = paths
            .split('|')
            .map(|p| {
                let mut found = Vec::new();
                match p.strip_prefix('@') {
                    Some(p) => pluck(resp, p, &mut found),
                    None => pluck(req, p, &mut found),
                }
                found.into_iter().filter_map(scalar_string).collect::<Vec<_>>()
            })
            .find(|v| !v.is_empty())
            .unwrap_or_default();
        if values.is_empty() {
            return Vec::new();
        }
        out = out.iter().flat_map(|o| values.iter().map(move |v| format!("{o}{v}"))).take(MAX_COMPOSED).collect();
        rest = &rest[close + 1..];
    }
    out.iter_mut().for_each(|o| o.push_str(rest));
    out
}

/// Bound on the identifiers one template makes from list parameters.
const MAX_COMPOSED: usize = 1000;

/// First non-null value at any of `a|b|c`.
pub fn first<'a>(v: &'a Json, paths: &str) -> Option<&'a Json> {
    paths.split('|').find_map(|p| {
        let mut out = Vec::new();
        pluck(v, p, &mut out);
        out.into_iter().find(|x| !x.is_null())
    })
}

/// A non-empty string or a number, as a string.
pub fn scalar_string(v: &Json) -> Option<String> {
    match v {
        Json::String(s) if !s.is_empty() => Some(s.clone()),
        Json::Number(n) => Some(n.to_string()),
        _ => None,
    }
}

/// A request value as a model value; CloudTrail's redaction markers become `Sensitive`.
pub fn value(v: &Json) -> Value {
    match v {
        Json::String(s) if is_redacted(s) => Value::Sensitive,
        other => Value::from_json(other),
    }
}

fn is_redacted(s: &str) -> bool {
    s == "****" || s == "<sensitiveDataRemoved>" || s == "HIDDEN_DUE_TO_SECURITY_REASONS"
}

fn write(w: &W, req: &Json, resp: &Json, out: &mut Vec<Written>) {
    match *w {
        W::Param(attr, paths) => {
            if let Some(v) = first(req, paths) {
                out.push(Written::Set { path: attr.into(), value: value(v) });
            }
        }
        W::List(attr, path) => {
            let mut found = Vec::new();
            pluck(req, path, &mut found);
            // Only when the request names the list at all (an absent parameter is no write).
            let named = req.get(path.split(['.', '[']).next().unwrap_or(path)).is_some();
            if named {
                let mut items: Vec<String> = found.into_iter().filter_map(scalar_string).collect();
                items.sort();
                items.dedup();
                out.push(Written::Set { path: attr.into(), value: Value::string_list(items) });
            }
        }
        W::Map(attr, path) => {
            if let Some(v) = first(req, path) {
                out.push(Written::Set { path: attr.into(), value: value(v) });
            }
        }
        W::Ec2Attr(attr, name) => {
            let v = match req.get(name) {
                Some(Json::Object(o)) => o.get("value"),
                Some(other) => Some(other),
                None if req.get("attribute").and_then(Json::as_str) == Some(name) => req.get("value"),
                None => None,
            };
            match v {
                Some(v) if !v.is_null() => out.push(Written::Set { path: attr.into(), value: value(v) }),
                Some(_) => out.push(Written::Touch { path: attr.into() }),
                None => {}
            }
        }
        W::Const(attr, b) => out.push(Written::Set { path: attr.into(), value: Value::Bool(b) }),
        W::Touch(attr) => out.push(Written::Touch { path: attr.into() }),
        W::Tags { items, key, value: vkey } => {
            let mut found = Vec::new();
            pluck(req, items, &mut found);
            for t in found {
                if let Some(k) = t.get(key).and_then(Json::as_str) {
                    let v = t.get(vkey).map(value).unwrap_or(Value::Null);
                    out.push(Written::Set { path: format!("tags.{k}"), value: v });
                }
            }
        }
        W::Untags { items, key } => {
            let mut found = Vec::new();
            pluck(req, items, &mut found);
            for t in found {
                let k = if key.is_empty() { t.as_str() } else { t.get(key).and_then(Json::as_str) };
                if let Some(k) = k {
                    out.push(Written::Unset { path: format!("tags.{k}") });
                }
            }
        }
        W::Custom(f) => f(req, resp, out),
    }
}

/// The declared event of `rtype` named `name` (tests of the type files).
#[cfg(test)]
pub fn of(rtype: &str, source: &str, name: &str) -> &'static Event {
    lookup(source, name)
        .iter()
        .find(|(t, _)| t.name == rtype)
        .map(|(_, e)| *e)
        .unwrap_or_else(|| panic!("{rtype} declares no event {source}:{name}"))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_declared_name_resolves() {
        for t in super::super::types() {
            for e in t.events {
                for n in std::iter::once(&e.name).chain(e.also) {
                    assert!(lookup(&format!("{}.amazonaws.com", e.source), n).iter().any(|(x, _)| x.name == t.name));
                    assert!(known_name(n));
                }
            }
        }
        assert!(lookup("s3.amazonaws.com", "GetBucketVersioning").is_empty());
    }

    #[test]
    fn composed_identifiers() {
        let e = Event::modify("eks", "X", &["{name|clusterName}:{nodegroupName}", "{name}#{@x.y}"]);
        let req = serde_json::json!({"clusterName": "c", "nodegroupName": "n"});
        let resp = serde_json::json!({"x": {"y": "z"}});
        assert_eq!(e.identifiers(&req, &resp), vec!["c:n"]);
        let req = serde_json::json!({"name": "c", "nodegroupName": "n"});
        assert_eq!(e.identifiers(&req, &resp), vec!["c:n", "c#z"]);
        // A missing part or an unclosed brace names nothing.
        assert!(e.identifiers(&serde_json::json!({"name": "c"}), &Json::Null).is_empty());
        let bad = Event::modify("eks", "X", &["{name"]);
        assert!(bad.identifiers(&req, &resp).is_empty());
        let iam = Event::modify("iam", "PutRolePolicy", &["{roleName}:{policyName}", "{roleName}/{policyArn}"]);
        let req = serde_json::json!({"roleName": "node", "policyArn": "arn:aws:iam::aws:policy/X"});
        assert_eq!(iam.identifiers(&req, &Json::Null), vec!["node/arn:aws:iam::aws:policy/X"]);
        // A list part: one identifier per element (batch calls on several parts of one group).
        let batch = Event::modify("autoscaling", "X", &["{autoScalingGroupName}/{scheduledActionNames[]}"]);
        let req = serde_json::json!({"autoScalingGroupName": "g", "scheduledActionNames": ["a", "b"]});
        assert_eq!(batch.identifiers(&req, &Json::Null), vec!["g/a", "g/b"]);
        let fixed = Event::modify("iam", "UpdateAccountPasswordPolicy", &["=iam-account-password-policy"]);
        assert_eq!(fixed.identifiers(&Json::Null, &Json::Null), vec!["iam-account-password-policy"]);
    }
}

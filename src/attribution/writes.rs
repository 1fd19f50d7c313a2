//! What a write event did to a resource's attributes, in Terraform's attribute syntax, and
//! whether that explains a drifted attribute's live value.

use crate::diff::Change;
use crate::model::Value;

pub use crate::aws::event::Written;

/// How well a write explains a change.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Fit {
    /// Writes the attribute, new value unknown (redacted, or not read from the request).
    Plausible,
    /// Sets the attribute to its live value.
    Exact,
}

/// Does `w` explain `c` (the attribute at `c.path` going to `c.live`)? `None` when the write
/// does not touch that attribute, or sets it to another value.
pub fn explains(w: &Written, c: &Change) -> Option<Fit> {
    let wp = w.path();
    if wp == c.path {
        return fit_same_path(w, c);
    }
    if let Some(rest) = below(&c.path, wp) {
        // The write covers a whole block or map; the change is inside it.
        return match w {
            Written::Set { value, .. } => {
                if matches!(value, Value::Sensitive) {
                    return Some(Fit::Plausible);
                }
                let inner = descend(value, rest).cloned().unwrap_or(Value::Null);
                scalar_fit(&inner, c)
            }
            Written::Touch { .. } => Some(Fit::Plausible),
            _ => None,
        };
    }
    if let Some(rest) = below(wp, &c.path) {
        // The write is on a field inside the changed block (`rule[0].x` for a change on `rule`).
        return match w {
            Written::Set { value, .. } => {
                if matches!(value, Value::Sensitive) {
                    return Some(Fit::Plausible);
                }
                let lives: Vec<&Value> = match &c.added {
                    Some(added) => added.iter().filter_map(|e| descend_any(e, strip_index(rest))).collect(),
                    None => descend(&c.live, rest).into_iter().collect(),
                };
                if lives.iter().any(|l| covered(value, l)) { Some(Fit::Exact) } else { None }
            }
            Written::Unset { .. } => {
                let live = descend(&c.live, rest);
                if live.is_none_or(Value::is_empty_like) { Some(Fit::Exact) } else { None }
            }
            Written::Touch { .. } => Some(Fit::Plausible),
            _ => None,
        };
    }
    None
}

fn fit_same_path(w: &Written, c: &Change) -> Option<Fit> {
    match w {
        Written::Touch { .. } => Some(Fit::Plausible),
        Written::Set { value: Value::Sensitive, .. } => Some(Fit::Plausible),
        Written::Set { value, .. } => match (&c.added, &c.removed) {
            (Some(added), removed) if !added.is_empty() || removed.as_ref().is_some_and(|r| !r.is_empty()) => {
                // A replacement of a set: everything added live is in the new value.
                let elems = value.as_list().unwrap_or(std::slice::from_ref(value));
                let all_added = added.iter().all(|a| elems.iter().any(|e| covered(e, a)));
                let none_removed =
                    removed.iter().flatten().all(|r| !elems.iter().any(|e| covered(e, r) && covered(r, e)));
                if all_added && none_removed { Some(Fit::Exact) } else { None }
            }
            _ => scalar_fit(value, c),
        },
        Written::Unset { .. } => {
            if c.live.is_empty_like() {
                Some(Fit::Exact)
            } else {
                None
            }
        }
        Written::Add { elems, .. } => {
            let added = c.added.as_deref().unwrap_or(&[]);
            if added.iter().any(|a| elems.iter().any(|e| covered(e, a))) { Some(Fit::Exact) } else { None }
        }
        Written::Remove { elems, .. } => {
            let removed = c.removed.as_deref().unwrap_or(&[]);
            if removed.iter().any(|r| elems.iter().any(|e| covered(e, r))) { Some(Fit::Exact) } else { None }
        }
    }
}

fn scalar_fit(value: &Value, c: &Change) -> Option<Fit> {
    // A list of strings (security group ids) is the whole new set: equal both ways.
    let whole = match (value, &c.live) {
        (Value::List(a), Value::List(b)) if a.iter().chain(b).all(is_scalar) => covered(&c.live, value),
        _ => true,
    };
    if whole && covered(value, &c.live) && (!c.live.is_empty_like() || value.is_empty_like()) {
        Some(Fit::Exact)
    } else {
        None
    }
}

/// `path` is strictly inside `parent` (`tags.Owner` inside `tags`): the remainder, starting
/// with `.` or `[`.
fn below<'a>(path: &'a str, parent: &str) -> Option<&'a str> {
    let rest = path.strip_prefix(parent)?;
    (rest.starts_with('.') || rest.starts_with('[')).then_some(rest)
}

/// `[0].x` → `.x`, `[3]` → ``: a path inside one element of a set.
fn strip_index(rest: &str) -> &str {
    if rest.starts_with('[') { rest.find(']').map(|i| &rest[i + 1..]).unwrap_or(rest) } else { rest }
}

/// Follow `.key` / `[n]` steps. Map keys may contain dots (`tags.kubernetes.io/role`): the
/// longest key present wins.
fn descend<'a>(v: &'a Value, rest: &str) -> Option<&'a Value> {
    if rest.is_empty() {
        return Some(v);
    }
    if let Some(r) = rest.strip_prefix('[') {
        let close = r.find(']')?;
        let n: usize = r[..close].parse().ok()?;
        let list = v.as_list()?;
        return descend(list.get(n)?, &r[close + 1..]);
    }
    let r = rest.strip_prefix('.')?;
    let map = v.as_map()?;
    if let Some(x) = map.get(r) {
        return Some(x);
    }
    let mut cut = r.len();
    while let Some(i) = r[..cut].rfind(['.', '[']) {
        if let Some(x) = map.get(&r[..i]) {
            return descend(x, &r[i..]);
        }
        cut = i;
    }
    None
}

/// Like [`descend`], but a one-element block list is entered implicitly.
fn descend_any<'a>(v: &'a Value, rest: &str) -> Option<&'a Value> {
    descend(v, rest).or_else(|| match v {
        Value::List(l) if l.len() == 1 => descend(&l[0], rest),
        _ => None,
    })
}

/// Is the (partial) `want` contained in `have`? Maps: every key of `want` matches; lists of
/// scalars: subset; lists of blocks: element-wise; scalars: loose equality.
pub fn covered(want: &Value, have: &Value) -> bool {
    match (want, have) {
        (Value::Map(w), Value::Map(h)) => w.iter().all(|(k, wv)| match h.get(k) {
            Some(hv) => covered(wv, hv),
            None => wv.is_empty_like(),
        }),
        (Value::List(w), Value::List(h)) => {
            if w.iter().all(is_scalar) && h.iter().all(is_scalar) {
                w.iter().all(|x| h.iter().any(|y| loose_eq(x, y)))
            } else {
                w.len() == h.len() && w.iter().zip(h).all(|(x, y)| covered(x, y))
                    || w.iter().all(|x| h.iter().any(|y| covered(x, y)))
            }
        }
        // A block written as an object against its one-element list in state.
        (Value::Map(_), Value::List(h)) if h.len() == 1 => covered(want, &h[0]),
        (Value::List(w), Value::Map(_)) if w.len() == 1 => covered(&w[0], have),
        _ => loose_eq(want, have),
    }
}

fn is_scalar(v: &Value) -> bool {
    !matches!(v, Value::List(_) | Value::Map(_))
}

/// Scalars as CloudTrail and Terraform spell them: `7` == `"7"`, `true` == `"true"`,
/// null == "", JSON documents compared parsed.
pub fn loose_eq(a: &Value, b: &Value) -> bool {
    match (a, b) {
        (Value::Number(_), Value::Number(_)) => a.same(b),
        (Value::Number(n), Value::String(s)) | (Value::String(s), Value::Number(n)) => {
            s.trim().parse::<f64>().ok() == n.as_f64()
        }
        (Value::Bool(x), Value::String(s)) | (Value::String(s), Value::Bool(x)) => {
            s.eq_ignore_ascii_case(if *x { "true" } else { "false" })
        }
        (Value::String(x), Value::String(y)) => x == y || json_eq(x, y),
        (Value::String(s), m @ (Value::Map(_) | Value::List(_)))
        | (m @ (Value::Map(_) | Value::List(_)), Value::String(s)) => {
            serde_json::from_str::<serde_json::Value>(s).is_ok_and(|p| p == m.to_json())
        }
        (x, y) if x.is_empty_like() && y.is_empty_like() => true,
        _ => a.same(b),
    }
}

fn json_eq(x: &str, y: &str) -> bool {
    let looks = |s: &str| s.trim_start().starts_with(['{', '[']);
    if !looks(x) || !looks(y) {
        return false;
    }
    match (serde_json::from_str::<serde_json::Value>(x), serde_json::from_str::<serde_json::Value>(y)) {
        (Ok(a), Ok(b)) => a == b,
        _ => false,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn change(path: &str, state: Value, live: Value) -> Change {
        Change { path: path.into(), state, live, added: None, removed: None }
    }

    fn set(path: &str, value: Value) -> Written {
        Written::Set { path: path.into(), value }
    }

    #[test]
    fn scalar_values_loosely() {
        let c = change("backup_retention_period", Value::int(35), Value::int(7));
        assert_eq!(explains(&set("backup_retention_period", Value::int(7)), &c), Some(Fit::Exact));
        assert_eq!(explains(&set("backup_retention_period", "7".into()), &c), Some(Fit::Exact));
        assert_eq!(explains(&set("backup_retention_period", Value::int(14)), &c), None);
        assert_eq!(explains(&set("deletion_protection", false.into()), &c), None);
        assert_eq!(explains(&set("backup_retention_period", Value::Sensitive), &c), Some(Fit::Plausible));
        let b = change("deletion_protection", true.into(), false.into());
        assert_eq!(explains(&set("deletion_protection", "false".into()), &b), Some(Fit::Exact));
    }

    #[test]
    fn tags_and_blocks() {
        let c = change("tags.Owner", Value::Null, "mallory".into());
        assert_eq!(explains(&set("tags.Owner", "mallory".into()), &c), Some(Fit::Exact));
        // A whole-map replacement (PutBucketTagging) covers each key; absent keys were removed.
        let all = set("tags", Value::string_map([("Owner", "mallory"), ("Name", "x")]));
        assert_eq!(explains(&all, &c), Some(Fit::Exact));
        let gone = change("tags.Team", "core".into(), Value::Null);
        assert_eq!(explains(&all, &gone), Some(Fit::Exact));
        assert_eq!(explains(&Written::Unset { path: "tags.Team".into() }, &gone), Some(Fit::Exact));
        let dotted = change("tags.kubernetes.io/role", Value::Null, "node".into());
        assert_eq!(
            explains(&set("tags", Value::string_map([("kubernetes.io/role", "node")])), &dotted),
            Some(Fit::Exact)
        );
        let v = change("versioning_configuration[0].status", "Enabled".into(), "Suspended".into());
        assert_eq!(explains(&set("versioning_configuration[0].status", "Suspended".into()), &v), Some(Fit::Exact));
        assert_eq!(explains(&set("versioning_configuration[0].status", "Enabled".into()), &v), None);
    }

    #[test]
    fn set_elements() {
        let live_rule = Value::Map(
            [
                ("cidr_blocks", Value::string_list(["0.0.0.0/0"])),
                ("from_port", Value::int(22)),
                ("to_port", Value::int(22)),
                ("protocol", "tcp".into()),
                ("self", false.into()),
            ]
            .into_iter()
            .map(|(k, v)| (k.to_string(), v))
            .collect(),
        );
        let c = Change {
            path: "ingress".into(),
            state: Value::List(vec![]),
            live: Value::List(vec![live_rule.clone()]),
            added: Some(vec![live_rule]),
            removed: Some(vec![]),
        };
        let rule = Value::object([
            ("protocol", "tcp".into()),
            ("from_port", Value::int(22)),
            ("to_port", Value::int(22)),
            ("cidr_blocks", Value::string_list(["0.0.0.0/0"])),
        ]);
        assert_eq!(explains(&Written::Add { path: "ingress".into(), elems: vec![rule.clone()] }, &c), Some(Fit::Exact));
        let other = Value::object([("protocol", "tcp".into()), ("from_port", Value::int(443))]);
        assert_eq!(explains(&Written::Add { path: "ingress".into(), elems: vec![other] }, &c), None);
        assert_eq!(explains(&Written::Remove { path: "ingress".into(), elems: vec![rule] }, &c), None);
        assert_eq!(explains(&Written::Add { path: "egress".into(), elems: vec![] }, &c), None);
    }

    #[test]
    fn json_documents() {
        let c = change("policy", "{}".into(), r#"{"Version":"2012-10-17","Statement":[]}"#.into());
        assert_eq!(explains(&set("policy", r#"{"Statement":[],"Version":"2012-10-17"}"#.into()), &c), Some(Fit::Exact));
        let obj = Value::from_json(&serde_json::json!({"Version":"2012-10-17","Statement":[]}));
        assert_eq!(explains(&set("policy", obj), &c), Some(Fit::Exact));
    }
}

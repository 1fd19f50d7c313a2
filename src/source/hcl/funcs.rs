//! The Terraform functions hardening settings are commonly computed with. A function given
//! an unknown argument returns unknown; `None` means "not a function plumb evaluates" (the
//! caller notes it and uses unknown).

use std::collections::BTreeMap;
use std::net::Ipv4Addr;

use super::eval::{as_f64, as_string};
use crate::model::Value;

/// Functions whose unknown result means "not evaluated by plumb" (files, the clock,
/// regular expressions), not "rejected its arguments": inside `try()` they stay unknown.
pub(crate) const UNKNOWN_BY_DESIGN: &[&str] =
    &["file", "templatefile", "filebase64", "fileexists", "timestamp", "uuid", "bcrypt", "formatlist", "replace"];

pub(crate) fn call(name: &str, args: Vec<Value>) -> Option<Value> {
    // Functions that keep unknown elements inside collections (tolist of a list with one
    // unknown element is still a list) check their own arguments; the rest need every
    // argument known at the top level.
    if args.iter().any(|a| matches!(a, Value::Unknown | Value::Sensitive)) {
        return Some(Value::Unknown);
    }
    let u = Value::Unknown;
    let s = |i: usize| args.get(i).and_then(as_string);
    let n = |i: usize| args.get(i).and_then(as_f64);
    let list = |i: usize| match args.get(i) {
        Some(Value::List(l)) => Some(l.clone()),
        _ => None,
    };
    Some(match name {
        "format" => match s(0) {
            Some(f) => format(&f, &args[1..]).map(Value::String).unwrap_or(u),
            None => u,
        },
        "formatlist" => u,
        "join" => match (s(0), list(1)) {
            (Some(sep), Some(_)) => {
                let mut parts = Vec::new();
                for a in &args[1..] {
                    let Value::List(l) = a else { return Some(u) };
                    for x in l {
                        match as_string(x) {
                            Some(p) => parts.push(p),
                            None => return Some(u),
                        }
                    }
                }
                Value::String(parts.join(&sep))
            }
            _ => u,
        },
        "split" => match (s(0), s(1)) {
            (Some(sep), Some(text)) => {
                Value::string_list(text.split(sep.as_str()).map(str::to_string).collect::<Vec<_>>())
            }
            _ => u,
        },
        "concat" => {
            let mut out = Vec::new();
            for a in &args {
                match a {
                    Value::List(l) => out.extend(l.iter().cloned()),
                    _ => return Some(u),
                }
            }
            Value::List(out)
        }
        "merge" => {
            let mut out = BTreeMap::new();
            for a in &args {
                match a {
                    Value::Map(m) => out.extend(m.clone()),
                    Value::Null => {}
                    _ => return Some(u),
                }
            }
            Value::Map(out)
        }
        "lookup" => match (args.first(), s(1)) {
            (Some(Value::Map(m)), Some(k)) => m.get(&k).cloned().or_else(|| args.get(2).cloned()).unwrap_or(u),
            _ => u,
        },
        "element" => match (list(0), n(1)) {
            (Some(l), Some(i)) if !l.is_empty() => l[(i as usize) % l.len()].clone(),
            _ => u,
        },
        "length" => match args.first() {
            Some(Value::List(l)) => Value::int(l.len() as i64),
            Some(Value::Map(m)) => Value::int(m.len() as i64),
            Some(Value::String(s)) => Value::int(s.chars().count() as i64),
            _ => u,
        },
        "index" => match (list(0), args.get(1)) {
            (Some(l), Some(v)) if !l.iter().any(Value::has_opaque) => {
                l.iter().position(|x| x == v).map(|i| Value::int(i as i64)).unwrap_or(u)
            }
            _ => u,
        },
        "keys" => match args.first() {
            Some(Value::Map(m)) => Value::string_list(m.keys().cloned().collect::<Vec<_>>()),
            _ => u,
        },
        "values" => match args.first() {
            Some(Value::Map(m)) => Value::List(m.values().cloned().collect()),
            _ => u,
        },
        "contains" => match (list(0), args.get(1)) {
            (Some(l), Some(v)) if !l.iter().any(Value::has_opaque) => Value::Bool(l.contains(v)),
            _ => u,
        },
        "toset" | "distinct" => match list(0) {
            Some(l) => {
                let mut out: Vec<Value> = Vec::new();
                for x in l {
                    if !out.contains(&x) {
                        out.push(x);
                    }
                }
                if name == "toset" && out.iter().all(|x| x.as_str().is_some()) {
                    out.sort_by(|a, b| a.as_str().cmp(&b.as_str()));
                }
                Value::List(out)
            }
            None => u,
        },
        "tolist" => list(0).map(Value::List).unwrap_or(u),
        "setunion" | "setintersection" | "setsubtract" => {
            let mut sets = Vec::new();
            for a in &args {
                match a {
                    Value::List(l) => sets.push(l.clone()),
                    _ => return Some(u),
                }
            }
            let Some(first) = sets.first().cloned() else { return Some(u) };
            let mut out: Vec<Value> = Vec::new();
            let candidates: Vec<Value> = if name == "setunion" { sets.concat() } else { first };
            for x in candidates {
                let keep = match name {
                    "setintersection" => sets[1..].iter().all(|s| s.contains(&x)),
                    "setsubtract" => sets.get(1).is_none_or(|s| !s.contains(&x)),
                    _ => true,
                };
                if keep && !out.contains(&x) {
                    out.push(x);
                }
            }
            if out.iter().all(|x| x.as_str().is_some()) {
                out.sort_by(|a, b| a.as_str().cmp(&b.as_str()));
            }
            Value::List(out)
        }
        "slice" => match (list(0), n(1), n(2)) {
            (Some(l), Some(a), Some(b)) if a >= 0.0 && a <= b && (b as usize) <= l.len() => {
                Value::List(l[a as usize..b as usize].to_vec())
            }
            _ => u,
        },
        "reverse" => list(0)
            .map(|mut l| {
                l.reverse();
                Value::List(l)
            })
            .unwrap_or(u),
        "alltrue" | "anytrue" => match list(0) {
            Some(l) => {
                let bools: Option<Vec<bool>> = l
                    .iter()
                    .map(|x| match x {
                        Value::Bool(b) => Some(*b),
                        Value::String(s) if s == "true" || s == "false" => Some(s == "true"),
                        _ => None,
                    })
                    .collect();
                match bools {
                    Some(b) if name == "alltrue" => Value::Bool(b.iter().all(|x| *x)),
                    Some(b) => Value::Bool(b.iter().any(|x| *x)),
                    None => u,
                }
            }
            None => u,
        },
        "sum" => match list(0) {
            Some(l) if !l.is_empty() => match l.iter().map(as_f64).collect::<Option<Vec<f64>>>() {
                Some(v) => number(v.iter().sum()),
                None => u,
            },
            _ => u,
        },
        "ceil" => n(0).map(|f| number(f.ceil())).unwrap_or(u),
        "floor" => n(0).map(|f| number(f.floor())).unwrap_or(u),
        "title" => s(0)
            .map(|x| {
                let mut out = String::with_capacity(x.len());
                let mut start = true;
                for c in x.chars() {
                    if start && c.is_alphabetic() {
                        out.extend(c.to_uppercase());
                    } else {
                        out.push(c);
                    }
                    start = !(c.is_alphanumeric() || c == '_');
                }
                Value::String(out)
            })
            .unwrap_or(u),
        "tomap" => match args.first() {
            Some(m @ Value::Map(_)) => m.clone(),
            _ => u,
        },
        "tostring" => s(0).map(Value::String).unwrap_or(u),
        "tonumber" => n(0).map(|f| number(f)).unwrap_or(u),
        "tobool" => match args.first() {
            Some(Value::Bool(b)) => Value::Bool(*b),
            Some(Value::String(s)) if s == "true" || s == "false" => Value::Bool(s == "true"),
            _ => u,
        },
        "lower" => s(0).map(|x| Value::String(x.to_lowercase())).unwrap_or(u),
        "upper" => s(0).map(|x| Value::String(x.to_uppercase())).unwrap_or(u),
        "trimspace" => s(0).map(|x| Value::String(x.trim().to_string())).unwrap_or(u),
        "trimprefix" => match (s(0), s(1)) {
            (Some(a), Some(p)) => Value::String(a.strip_prefix(p.as_str()).unwrap_or(&a).to_string()),
            _ => u,
        },
        "trimsuffix" => match (s(0), s(1)) {
            (Some(a), Some(p)) => Value::String(a.strip_suffix(p.as_str()).unwrap_or(&a).to_string()),
            _ => u,
        },
        "startswith" => match (s(0), s(1)) {
            (Some(a), Some(p)) => Value::Bool(a.starts_with(&p)),
            _ => u,
        },
        "endswith" => match (s(0), s(1)) {
            (Some(a), Some(p)) => Value::Bool(a.ends_with(&p)),
            _ => u,
        },
        "replace" => match (s(0), s(1), s(2)) {
            // Regular-expression patterns (`/.../`) are not evaluated.
            (Some(a), Some(from), Some(to)) if !(from.len() > 1 && from.starts_with('/') && from.ends_with('/')) => {
                Value::String(a.replace(&from, &to))
            }
            _ => u,
        },
        "substr" => match (s(0), n(1), n(2)) {
            (Some(a), Some(off), Some(len)) => {
                let chars: Vec<char> = a.chars().collect();
                let start = (off as usize).min(chars.len());
                let end = if len < 0.0 { chars.len() } else { (start + len as usize).min(chars.len()) };
                Value::String(chars[start..end].iter().collect())
            }
            _ => u,
        },
        "coalesce" => {
            args.iter().find(|a| !a.is_null() && !matches!(a, Value::String(s) if s.is_empty())).cloned().unwrap_or(u)
        }
        "coalescelist" => args.iter().find(|a| matches!(a, Value::List(l) if !l.is_empty())).cloned().unwrap_or(u),
        "compact" => match list(0) {
            Some(l) => Value::List(l.into_iter().filter(|x| !x.is_empty_like()).collect()),
            None => u,
        },
        "flatten" => match args.first() {
            Some(v @ Value::List(_)) => {
                let mut out = Vec::new();
                flatten(v, &mut out);
                Value::List(out)
            }
            _ => u,
        },
        "one" => match list(0) {
            Some(l) if l.is_empty() => Value::Null,
            Some(l) if l.len() == 1 => l[0].clone(),
            _ => u,
        },
        "sort" => match list(0) {
            Some(l) => {
                let mut strs: Vec<String> = match l.iter().map(as_string).collect::<Option<Vec<_>>>() {
                    Some(v) => v,
                    None => return Some(u),
                };
                strs.sort();
                Value::string_list(strs)
            }
            None => u,
        },
        "min" | "max" => {
            let nums: Option<Vec<f64>> = args.iter().map(as_f64).collect();
            match nums {
                Some(v) if !v.is_empty() => {
                    let f = if name == "min" {
                        v.iter().cloned().fold(f64::INFINITY, f64::min)
                    } else {
                        v.iter().cloned().fold(f64::NEG_INFINITY, f64::max)
                    };
                    number(f)
                }
                _ => u,
            }
        }
        "abs" => n(0).map(|f| number(f.abs())).unwrap_or(u),
        "range" => {
            let (start, end, step) = match args.len() {
                1 => (0.0, n(0).unwrap_or(0.0), 1.0),
                2 => (n(0).unwrap_or(0.0), n(1).unwrap_or(0.0), 1.0),
                _ => (n(0).unwrap_or(0.0), n(1).unwrap_or(0.0), n(2).unwrap_or(1.0)),
            };
            if step == 0.0 || ((end - start) / step) > 10_000.0 {
                return Some(u);
            }
            let mut out = Vec::new();
            let mut x = start;
            while (step > 0.0 && x < end) || (step < 0.0 && x > end) {
                out.push(number(x));
                x += step;
            }
            Value::List(out)
        }
        "zipmap" => match (list(0), list(1)) {
            (Some(k), Some(v)) if k.len() == v.len() => {
                let mut m = BTreeMap::new();
                for (k, v) in k.iter().zip(v) {
                    match as_string(k) {
                        Some(k) => {
                            m.insert(k, v);
                        }
                        None => return Some(u),
                    }
                }
                Value::Map(m)
            }
            _ => u,
        },
        "jsonencode" => match args.first() {
            Some(v) if !v.has_opaque() => Value::String(serde_json::to_string(&json(v)).unwrap_or_default()),
            _ => u,
        },
        "jsondecode" => match s(0).and_then(|t| serde_json::from_str::<serde_json::Value>(&t).ok()) {
            Some(j) => Value::from_json(&j),
            None => u,
        },
        "cidrsubnet" => match (s(0), n(1), n(2)) {
            (Some(p), Some(bits), Some(num)) => cidrsubnet(&p, bits as u32, num as u64).map(Value::String).unwrap_or(u),
            _ => u,
        },
        "cidrhost" => match (s(0), n(1)) {
            (Some(p), Some(h)) => cidrhost(&p, h as i64).map(Value::String).unwrap_or(u),
            _ => u,
        },
        // Functions that read files or the clock, or that plumb does not evaluate.
        "file" | "templatefile" | "filebase64" | "timestamp" | "uuid" | "bcrypt" | "fileexists" => u,
        _ => return None,
    })
}

fn number(f: f64) -> Value {
    if f.fract() == 0.0 && f.abs() < 9.0e15 {
        Value::int(f as i64)
    } else {
        serde_json::Number::from_f64(f).map(Value::Number).unwrap_or(Value::Unknown)
    }
}

fn flatten(v: &Value, out: &mut Vec<Value>) {
    match v {
        Value::List(l) => l.iter().for_each(|x| flatten(x, out)),
        other => out.push(other.clone()),
    }
}

/// JSON of a known value (jsonencode).
fn json(v: &Value) -> serde_json::Value {
    match v {
        Value::Null | Value::Unknown | Value::Sensitive => serde_json::Value::Null,
        Value::Bool(b) => serde_json::Value::Bool(*b),
        Value::Number(n) => serde_json::Value::Number(n.clone()),
        Value::String(s) => serde_json::Value::String(s.clone()),
        Value::List(l) => serde_json::Value::Array(l.iter().map(json).collect()),
        Value::Map(m) => serde_json::Value::Object(m.iter().map(|(k, v)| (k.clone(), json(v))).collect()),
    }
}

/// Terraform's `format`: `%s`, `%d`, `%v`, `%q`, `%%` (no widths).
fn format(f: &str, args: &[Value]) -> Option<String> {
    let mut out = String::new();
    let mut it = f.chars().peekable();
    let mut i = 0;
    while let Some(c) = it.next() {
        if c != '%' {
            out.push(c);
            continue;
        }
        match it.next()? {
            '%' => out.push('%'),
            'q' => {
                out.push_str(&serde_json::to_string(&as_string(args.get(i)?)?).ok()?);
                i += 1;
            }
            's' | 'd' | 'v' => {
                out.push_str(&as_string(args.get(i)?)?);
                i += 1;
            }
            _ => return None,
        }
    }
    Some(out)
}

fn parse_cidr(p: &str) -> Option<(u32, u32)> {
    let (ip, len) = p.split_once('/')?;
    let ip: Ipv4Addr = ip.parse().ok()?;
    let len: u32 = len.parse().ok()?;
    (len <= 32).then_some((u32::from(ip), len))
}

fn cidrsubnet(prefix: &str, newbits: u32, num: u64) -> Option<String> {
    let (ip, len) = parse_cidr(prefix)?;
    let new_len = len + newbits;
    if new_len > 32 || num >= (1u64 << newbits) {
        return None;
    }
    let mask = if len == 0 { 0 } else { u32::MAX << (32 - len) };
    let base = ip & mask;
    let net = base | ((num as u32) << (32 - new_len));
    Some(format!("{}/{new_len}", Ipv4Addr::from(net)))
}

fn cidrhost(prefix: &str, host: i64) -> Option<String> {
    let (ip, len) = parse_cidr(prefix)?;
    let mask = if len == 0 { 0 } else { u32::MAX << (32 - len) };
    let size = 1i64 << (32 - len);
    let h = if host < 0 { size + host } else { host };
    if h < 0 || h >= size {
        return None;
    }
    Some(Ipv4Addr::from((ip & mask) + h as u32).to_string())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn cidrsubnet_matches_terraform() {
        assert_eq!(cidrsubnet("10.0.0.0/16", 8, 2).unwrap(), "10.0.2.0/24");
        assert_eq!(cidrsubnet("10.1.0.0/16", 4, 15).unwrap(), "10.1.240.0/20");
        assert_eq!(cidrhost("10.0.0.0/24", 5).unwrap(), "10.0.0.5");
    }

    #[test]
    fn format_and_join() {
        let v = call("format", vec![Value::str("%s-%d"), Value::str("a"), Value::int(3)]).unwrap();
        assert_eq!(v, Value::str("a-3"));
        let v = call("join", vec![Value::str(","), Value::string_list(["a", "b"])]).unwrap();
        assert_eq!(v, Value::str("a,b"));
        assert_eq!(call("upper", vec![Value::Unknown]).unwrap(), Value::Unknown);
    }
}

//! YAML lists of entries written by people (waivers, ignore files): each entry's line, and
//! the span of one field's value, so that a bad value gets a diagnostic with a caret under
//! it. Entries are deserialised as generic values first and each field is checked by the
//! caller, which knows the field's line (serde would place every such error at the entry).

use time::Date;

/// A field that must say something (a waiver without a reason or approver is no waiver).
/// Numbers and booleans are taken as text (`approved_by: 2024` is odd but clear).
pub fn text_of(v: &yaml_serde::Value) -> Result<String, String> {
    let s = match v {
        yaml_serde::Value::String(s) => s.trim().to_string(),
        yaml_serde::Value::Number(n) => n.to_string(),
        yaml_serde::Value::Bool(b) => b.to_string(),
        yaml_serde::Value::Null => String::new(),
        _ => return Err("must be text".into()),
    };
    if s.is_empty() { Err("must not be empty".into()) } else { Ok(s) }
}

pub fn date_of(v: &yaml_serde::Value) -> Result<Date, String> {
    let s = text_of(v)?;
    let fmt = time::macros::format_description!("[year]-[month]-[day]");
    Date::parse(&s, &fmt).map_err(|_| format!("must be a date as YYYY-MM-DD, not {s:?}"))
}

pub fn iso_date<S: serde::Serializer>(d: &Date, s: S) -> Result<S::Ok, S::Error> {
    let fmt = time::macros::format_description!("[year]-[month]-[day]");
    s.serialize_str(&d.format(&fmt).map_err(serde::ser::Error::custom)?)
}

/// The 1-based line of each top-level list entry (`- ` at the list's indentation).
pub fn entry_lines(text: &str) -> Vec<usize> {
    let indent =
        text.lines().find(|l| l.trim_start().starts_with('-')).map(|l| l.len() - l.trim_start().len()).unwrap_or(0);
    text.lines()
        .enumerate()
        .filter(|(_, l)| l.len() - l.trim_start().len() == indent && l.trim_start().starts_with('-'))
        .map(|(i, _)| i + 1)
        .collect()
}

/// The value of `field:` in the entry starting at `line` (1-based): byte offset and length.
/// Falls back to the entry's start.
pub fn field_span(text: &str, line: usize, field: &str) -> (usize, usize) {
    let mut offset = 0;
    let mut entry_start = None;
    for (i, l) in text.split_inclusive('\n').enumerate() {
        if i + 1 >= line {
            entry_start.get_or_insert(offset);
            // Past the first line, a new entry ends the search.
            if i + 1 > line && l.trim_start().starts_with('-') {
                break;
            }
            let body = l.trim_start().trim_start_matches('-').trim_start();
            if let Some(rest) = body.strip_prefix(field).and_then(|r| r.strip_prefix(':')) {
                let value = rest.trim();
                let value_at = offset + l.len() - rest.len() + (rest.len() - rest.trim_start().len());
                return (value_at, value.len());
            }
        }
        offset += l.len();
    }
    (entry_start.unwrap_or(0), 0)
}

/// The 1-based line of a byte offset.
pub fn offset_line(text: &str, offset: usize) -> usize {
    text[..offset.min(text.len())].matches('\n').count() + 1
}

/// yaml_serde prefixes its messages with the path (`.[0]: `); the line says where.
pub fn strip_path(msg: &str) -> &str {
    match msg.strip_prefix('.').and_then(|m| m.split_once(": ")) {
        Some((_, rest)) => rest,
        None => msg,
    }
}

/// yaml_serde appends " at line L column C" to its messages; we print the location first.
pub fn strip_location(msg: &str) -> String {
    match msg.rfind(" at line ") {
        Some(i) => msg[..i].to_string(),
        None => msg.to_string(),
    }
}

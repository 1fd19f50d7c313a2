//! The TOML the estates file is written in, parsed into a tree that keeps every key's and
//! value's byte span, so a bad configuration is reported at its file, line and column.
//!
//! Plumb takes no TOML crate (each dependency costs every build minutes); this reader covers
//! what a configuration file needs, per TOML 1.0: comments, bare, quoted and dotted keys,
//! `[tables]` and `[[arrays of tables]]`, basic and literal strings (single line, with the
//! standard escapes), decimal integers (with `_` separators), booleans, arrays (across lines,
//! trailing comma) and inline tables. Anything else (multi-line strings, floats, dates) is
//! answered with an error that names it, never misread.

use std::fmt;

/// A byte range of the source.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Span {
    pub offset: usize,
    pub len: usize,
}

impl Span {
    fn new(offset: usize, end: usize) -> Span {
        Span { offset, len: end.saturating_sub(offset) }
    }
}

/// A value and where it is written.
#[derive(Debug, Clone, PartialEq)]
pub struct Node {
    pub value: Value,
    pub span: Span,
}

#[derive(Debug, Clone, PartialEq)]
pub enum Value {
    String(String),
    Integer(i64),
    Bool(bool),
    Array(Vec<Node>),
    Table(Table),
}

impl Value {
    /// What the value is, for "expected a string, found an integer".
    pub fn kind(&self) -> &'static str {
        match self {
            Value::String(_) => "a string",
            Value::Integer(_) => "an integer",
            Value::Bool(_) => "a boolean",
            Value::Array(_) => "an array",
            Value::Table(_) => "a table",
        }
    }
}

/// Keys in the order they are written, each with its own span.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Table {
    pub entries: Vec<Entry>,
    /// Defined by a `[header]` (which may not be repeated) rather than implicitly by a
    /// dotted key or a deeper header.
    explicit: bool,
    /// An inline table or a `key = value` table: closed to later headers and dotted keys.
    sealed: bool,
}

#[derive(Debug, Clone, PartialEq)]
pub struct Entry {
    pub key: String,
    pub key_span: Span,
    pub node: Node,
}

impl Table {
    pub fn get(&self, key: &str) -> Option<&Entry> {
        self.entries.iter().find(|e| e.key == key)
    }

    fn get_mut(&mut self, key: &str) -> Option<&mut Entry> {
        self.entries.iter_mut().find(|e| e.key == key)
    }
}

/// The document as JSON (for validating a file against docs/estates.schema.json).
pub fn to_json(node: &Node) -> serde_json::Value {
    match &node.value {
        Value::String(s) => serde_json::Value::String(s.clone()),
        Value::Integer(n) => serde_json::Value::from(*n),
        Value::Bool(b) => serde_json::Value::Bool(*b),
        Value::Array(items) => serde_json::Value::Array(items.iter().map(to_json).collect()),
        Value::Table(t) => {
            serde_json::Value::Object(t.entries.iter().map(|e| (e.key.clone(), to_json(&e.node))).collect())
        }
    }
}

/// Where and why the text is not TOML this reader accepts.
#[derive(Debug, Clone, PartialEq)]
pub struct Error {
    pub span: Span,
    pub message: String,
}

impl fmt::Display for Error {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.message)
    }
}

/// Parse a document into its root table (spanning the whole text).
pub fn parse(text: &str) -> Result<Node, Error> {
    let mut p = Parser { text, bytes: text.as_bytes(), pos: 0 };
    let mut root = Table::default();
    // The table `key = value` lines go into: a path of (key, index into an array of tables).
    let mut current: Vec<String> = Vec::new();
    loop {
        p.skip_blank_lines()?;
        if p.pos >= p.bytes.len() {
            break;
        }
        if p.peek() == Some(b'[') {
            let start = p.pos;
            let array = p.bytes.get(p.pos + 1) == Some(&b'[');
            p.pos += if array { 2 } else { 1 };
            p.skip_ws();
            let keys = p.key_path()?;
            p.skip_ws();
            let close: &[u8] = if array { b"]]" } else { b"]" };
            if !p.bytes[p.pos..].starts_with(close) {
                return Err(p.err_here(if array { "expected `]]` to close the header" } else { "expected `]`" }));
            }
            p.pos += close.len();
            let header = Span::new(start, p.pos);
            p.end_of_line()?;
            open_header(&mut root, &keys, array, header, text)?;
            current = keys.into_iter().map(|(k, _)| k).collect();
            continue;
        }
        let keys = p.key_path()?;
        p.skip_ws();
        if p.peek() != Some(b'=') {
            return Err(p.err_here("expected `=` after the key"));
        }
        p.pos += 1;
        p.skip_ws();
        let node = p.value()?;
        p.end_of_line()?;
        let table = table_at(&mut root, &current);
        insert_dotted(table, &keys, node)?;
    }
    Ok(Node { value: Value::Table(root), span: Span::new(0, text.len()) })
}

/// The table a header names, created when absent; for `[[a.b]]`, a new element of `a.b`.
fn open_header(root: &mut Table, keys: &[(String, Span)], array: bool, header: Span, text: &str) -> Result<(), Error> {
    let mut table = root;
    let last = keys.len() - 1;
    for (i, (key, span)) in keys.iter().enumerate() {
        let dup = |what: &str| Error { span: *span, message: format!("`{}` {what}", dotted(&keys[..=i])) };
        if i == last && array {
            match table.get_mut(key) {
                None => table.entries.push(Entry {
                    key: key.clone(),
                    key_span: *span,
                    node: Node { value: Value::Array(Vec::new()), span: header },
                }),
                Some(Entry { node: Node { value: Value::Array(items), .. }, .. })
                    if items.iter().all(|n| matches!(&n.value, Value::Table(t) if !t.sealed)) => {}
                Some(_) => return Err(dup("is already defined as a value, not an array of tables")),
            }
            let Some(Entry { node: Node { value: Value::Array(items), .. }, .. }) = table.get_mut(key) else {
                unreachable!("just made an array")
            };
            items.push(Node { value: Value::Table(Table { explicit: true, ..Table::default() }), span: header });
            return Ok(());
        }
        if table.get(key).is_none() {
            table.entries.push(Entry {
                key: key.clone(),
                key_span: *span,
                node: Node { value: Value::Table(Table::default()), span: header },
            });
        }
        let entry = table.get_mut(key).unwrap_or_else(|| unreachable!("just inserted"));
        table = match &mut entry.node.value {
            Value::Table(t) if t.sealed => return Err(dup("is an inline table; it cannot be extended")),
            Value::Table(t) => {
                if i == last {
                    if t.explicit {
                        let (line, _) = line_col(text, entry.node.span.offset);
                        return Err(dup(&format!("is already defined (line {line})")));
                    }
                    t.explicit = true;
                    entry.node.span = header;
                }
                t
            }
            // `[a.b]` after `[[a]]`: the last element of the array.
            Value::Array(items) if i < last => match items.last_mut() {
                Some(Node { value: Value::Table(t), .. }) if !t.sealed => t,
                _ => return Err(dup("is an array of values, not of tables")),
            },
            _ => return Err(dup("is already defined as a value, not a table")),
        };
    }
    Ok(())
}

/// The table of `path` (created implicitly by its header before), descending into the last
/// element of arrays of tables.
fn table_at<'t>(root: &'t mut Table, path: &[String]) -> &'t mut Table {
    let mut table = root;
    for key in path {
        let Some(entry) = table.get_mut(key) else { unreachable!("headers create their tables") };
        table = match &mut entry.node.value {
            Value::Table(t) => t,
            Value::Array(items) => match items.last_mut() {
                Some(Node { value: Value::Table(t), .. }) => t,
                _ => unreachable!("headers create tables"),
            },
            _ => unreachable!("headers create tables"),
        };
    }
    table
}

/// `a.b.c = v` in `table`: `a` and `b` are tables (made implicitly), `c` must be new.
fn insert_dotted(table: &mut Table, keys: &[(String, Span)], node: Node) -> Result<(), Error> {
    let mut table = table;
    let last = keys.len() - 1;
    for (i, (key, span)) in keys.iter().enumerate() {
        if i == last {
            if table.get(key).is_some() {
                return Err(Error { span: *span, message: format!("`{}` is defined twice", dotted(keys)) });
            }
            let mut node = node;
            if let Value::Table(t) = &mut node.value {
                t.sealed = true;
            }
            table.entries.push(Entry { key: key.clone(), key_span: *span, node });
            return Ok(());
        }
        if table.get(key).is_none() {
            table.entries.push(Entry {
                key: key.clone(),
                key_span: *span,
                node: Node { value: Value::Table(Table::default()), span: *span },
            });
        }
        let entry = table.get_mut(key).unwrap_or_else(|| unreachable!("just inserted"));
        table = match &mut entry.node.value {
            Value::Table(t) if !t.sealed && !t.explicit => t,
            _ => {
                return Err(Error {
                    span: *span,
                    message: format!("`{}` is already defined; a dotted key cannot extend it", dotted(&keys[..=i])),
                });
            }
        };
    }
    Ok(())
}

fn dotted(keys: &[(String, Span)]) -> String {
    keys.iter().map(|(k, _)| k.as_str()).collect::<Vec<_>>().join(".")
}

/// 1-based line and column of a byte offset.
pub fn line_col(text: &str, offset: usize) -> (usize, usize) {
    crate::source::hcl::line_col(text, offset)
}

struct Parser<'a> {
    text: &'a str,
    bytes: &'a [u8],
    pos: usize,
}

impl Parser<'_> {
    fn peek(&self) -> Option<u8> {
        self.bytes.get(self.pos).copied()
    }

    fn err_here(&self, message: &str) -> Error {
        let len = self.text[self.pos..].chars().next().map_or(0, char::len_utf8);
        Error { span: Span { offset: self.pos, len }, message: message.to_string() }
    }

    fn skip_ws(&mut self) {
        while matches!(self.peek(), Some(b' ' | b'\t')) {
            self.pos += 1;
        }
    }

    /// A comment runs to the end of the line (control characters other than tab are not
    /// allowed in it).
    fn skip_comment(&mut self) -> Result<(), Error> {
        if self.peek() == Some(b'#') {
            while let Some(c) = self.peek() {
                if c == b'\n' || c == b'\r' {
                    break;
                }
                if c < 0x20 && c != b'\t' || c == 0x7f {
                    return Err(self.err_here("control character in a comment"));
                }
                self.pos += 1;
            }
        }
        Ok(())
    }

    fn newline(&mut self) -> bool {
        match self.peek() {
            Some(b'\n') => {
                self.pos += 1;
                true
            }
            Some(b'\r') if self.bytes.get(self.pos + 1) == Some(&b'\n') => {
                self.pos += 2;
                true
            }
            _ => false,
        }
    }

    fn skip_blank_lines(&mut self) -> Result<(), Error> {
        loop {
            self.skip_ws();
            self.skip_comment()?;
            if !self.newline() {
                return Ok(());
            }
        }
    }

    /// Whitespace, comments and newlines inside an array.
    fn skip_array_space(&mut self) -> Result<(), Error> {
        self.skip_blank_lines()
    }

    /// After a value or header: only a comment may follow on the line.
    fn end_of_line(&mut self) -> Result<(), Error> {
        self.skip_ws();
        self.skip_comment()?;
        if self.pos >= self.bytes.len() || self.newline() {
            Ok(())
        } else {
            Err(self.err_here("expected the end of the line (one key = value per line)"))
        }
    }

    /// `a`, `"a b"`, `a.b."c"`: the keys and their spans.
    fn key_path(&mut self) -> Result<Vec<(String, Span)>, Error> {
        let mut keys = vec![self.key()?];
        loop {
            let save = self.pos;
            self.skip_ws();
            if self.peek() == Some(b'.') {
                self.pos += 1;
                self.skip_ws();
                keys.push(self.key()?);
            } else {
                self.pos = save;
                return Ok(keys);
            }
        }
    }

    fn key(&mut self) -> Result<(String, Span), Error> {
        let start = self.pos;
        match self.peek() {
            Some(b'"') => Ok((self.basic_string()?, Span::new(start, self.pos))),
            Some(b'\'') => Ok((self.literal_string()?, Span::new(start, self.pos))),
            Some(c) if is_bare(c) => {
                while self.peek().is_some_and(is_bare) {
                    self.pos += 1;
                }
                Ok((self.text[start..self.pos].to_string(), Span::new(start, self.pos)))
            }
            _ => Err(self.err_here("expected a key (letters, digits, `_`, `-`, or a quoted key)")),
        }
    }

    fn value(&mut self) -> Result<Node, Error> {
        let start = self.pos;
        let value = match self.peek() {
            Some(b'"') if self.bytes[self.pos..].starts_with(b"\"\"\"") => {
                return Err(self.err_here("multi-line strings are not supported here; use a single-line string"));
            }
            Some(b'\'') if self.bytes[self.pos..].starts_with(b"'''") => {
                return Err(self.err_here("multi-line strings are not supported here; use a single-line string"));
            }
            Some(b'"') => Value::String(self.basic_string()?),
            Some(b'\'') => Value::String(self.literal_string()?),
            Some(b'[') => Value::Array(self.array()?),
            Some(b'{') => Value::Table(self.inline_table()?),
            Some(b't') if self.word("true") => Value::Bool(true),
            Some(b'f') if self.word("false") => Value::Bool(false),
            Some(c) if c.is_ascii_digit() || c == b'+' || c == b'-' => Value::Integer(self.integer()?),
            None => return Err(self.err_here("expected a value at the end of the file")),
            _ => {
                return Err(self.err_here("expected a value: a \"string\", an integer, true/false, [array] or {table}"));
            }
        };
        Ok(Node { value, span: Span::new(start, self.pos) })
    }

    fn word(&mut self, w: &str) -> bool {
        let end = self.pos + w.len();
        if self.bytes[self.pos..].starts_with(w.as_bytes()) && !self.bytes.get(end).copied().is_some_and(is_bare) {
            self.pos = end;
            true
        } else {
            false
        }
    }

    fn integer(&mut self) -> Result<i64, Error> {
        let start = self.pos;
        while self.peek().is_some_and(|c| c.is_ascii_alphanumeric() || matches!(c, b'_' | b'+' | b'-' | b'.' | b':')) {
            self.pos += 1;
        }
        let raw = &self.text[start..self.pos];
        let span = Span::new(start, self.pos);
        let digits = raw.strip_prefix('+').or_else(|| raw.strip_prefix('-')).unwrap_or(raw);
        let well_formed = !digits.is_empty()
            && digits.bytes().all(|c| c.is_ascii_digit() || c == b'_')
            && !digits.starts_with('_')
            && !digits.ends_with('_')
            && !digits.contains("__")
            && (digits == "0" || !digits.starts_with('0'));
        if !well_formed {
            let what = if raw.contains(['.', 'e', 'E']) && !raw.contains([':', 'T']) {
                "floats are not supported here; use an integer"
            } else if raw.contains([':', 'T']) || raw.matches('-').count() >= 2 {
                "dates and times are not supported here; quote them as a string"
            } else {
                "not a decimal integer"
            };
            return Err(Error { span, message: format!("`{raw}`: {what}") });
        }
        raw.replace('_', "")
            .parse::<i64>()
            .map_err(|_| Error { span, message: format!("`{raw}` does not fit a 64-bit integer") })
    }

    fn basic_string(&mut self) -> Result<String, Error> {
        let open = self.pos;
        self.pos += 1;
        let mut out = String::new();
        loop {
            let Some(c) = self.text[self.pos..].chars().next() else {
                return Err(Error { span: Span::new(open, self.pos), message: "unterminated string".into() });
            };
            match c {
                '"' => {
                    self.pos += 1;
                    return Ok(out);
                }
                '\n' | '\r' => {
                    return Err(Error {
                        span: Span::new(open, self.pos),
                        message: "unterminated string (a string ends on its line)".into(),
                    });
                }
                '\\' => {
                    let esc_at = self.pos;
                    self.pos += 1;
                    let Some(e) = self.text[self.pos..].chars().next() else {
                        return Err(Error { span: Span::new(open, self.pos), message: "unterminated string".into() });
                    };
                    self.pos += e.len_utf8();
                    match e {
                        'b' => out.push('\u{8}'),
                        't' => out.push('\t'),
                        'n' => out.push('\n'),
                        'f' => out.push('\u{c}'),
                        'r' => out.push('\r'),
                        '"' => out.push('"'),
                        '\\' => out.push('\\'),
                        'u' | 'U' => {
                            let n = if e == 'u' { 4 } else { 8 };
                            let hex = self.text.get(self.pos..self.pos + n).unwrap_or("");
                            let ch = (hex.len() == n && hex.bytes().all(|b| b.is_ascii_hexdigit()))
                                .then(|| u32::from_str_radix(hex, 16).ok().and_then(char::from_u32))
                                .flatten()
                                .ok_or_else(|| Error {
                                    span: Span::new(esc_at, (self.pos + n).min(self.text.len())),
                                    message: format!("invalid unicode escape (\\{e} and {n} hex digits)"),
                                })?;
                            self.pos += n;
                            out.push(ch);
                        }
                        other => {
                            return Err(Error {
                                span: Span::new(esc_at, self.pos),
                                message: format!("invalid escape `\\{other}` (use \\\\ for a backslash)"),
                            });
                        }
                    }
                }
                c if (c < ' ' && c != '\t') || c == '\u{7f}' => {
                    return Err(self.err_here("control character in a string"));
                }
                c => {
                    out.push(c);
                    self.pos += c.len_utf8();
                }
            }
        }
    }

    fn literal_string(&mut self) -> Result<String, Error> {
        let open = self.pos;
        self.pos += 1;
        let start = self.pos;
        loop {
            match self.peek() {
                Some(b'\'') => {
                    let s = self.text[start..self.pos].to_string();
                    self.pos += 1;
                    return Ok(s);
                }
                None | Some(b'\n' | b'\r') => {
                    return Err(Error { span: Span::new(open, self.pos), message: "unterminated string".into() });
                }
                Some(c) if c < 0x20 && c != b'\t' || c == 0x7f => {
                    return Err(self.err_here("control character in a string"));
                }
                Some(_) => self.pos += 1,
            }
        }
    }

    fn array(&mut self) -> Result<Vec<Node>, Error> {
        let open = self.pos;
        self.pos += 1;
        let mut items = Vec::new();
        loop {
            self.skip_array_space()?;
            match self.peek() {
                Some(b']') => {
                    self.pos += 1;
                    return Ok(items);
                }
                None => return Err(Error { span: Span::new(open, open + 1), message: "unclosed array `[`".into() }),
                _ => {}
            }
            items.push(self.value()?);
            self.skip_array_space()?;
            match self.peek() {
                Some(b',') => self.pos += 1,
                Some(b']') => {}
                None => return Err(Error { span: Span::new(open, open + 1), message: "unclosed array `[`".into() }),
                _ => return Err(self.err_here("expected `,` or `]` in the array")),
            }
        }
    }

    fn inline_table(&mut self) -> Result<Table, Error> {
        let open = self.pos;
        self.pos += 1;
        let mut table = Table::default();
        self.skip_ws();
        if self.peek() == Some(b'}') {
            self.pos += 1;
            return Ok(table);
        }
        loop {
            self.skip_ws();
            let keys = self.key_path()?;
            self.skip_ws();
            if self.peek() != Some(b'=') {
                return Err(self.err_here("expected `=` after the key"));
            }
            self.pos += 1;
            self.skip_ws();
            let node = self.value()?;
            insert_dotted(&mut table, &keys, node)?;
            self.skip_ws();
            match self.peek() {
                Some(b',') => self.pos += 1,
                Some(b'}') => {
                    self.pos += 1;
                    return Ok(table);
                }
                Some(b'\n' | b'\r') | None => {
                    return Err(Error {
                        span: Span::new(open, open + 1),
                        message: "unclosed inline table `{` (an inline table stays on one line)".into(),
                    });
                }
                _ => return Err(self.err_here("expected `,` or `}` in the inline table")),
            }
        }
    }
}

fn is_bare(c: u8) -> bool {
    c.is_ascii_alphanumeric() || c == b'_' || c == b'-'
}

#[cfg(test)]
mod tests {
    use super::*;

    fn table(n: &Node) -> &Table {
        match &n.value {
            Value::Table(t) => t,
            other => panic!("not a table: {other:?}"),
        }
    }

    fn at<'a>(t: &'a Table, key: &str) -> &'a Value {
        &t.get(key).unwrap_or_else(|| panic!("no {key}")).node.value
    }

    #[test]
    fn tables_arrays_of_tables_and_values() {
        let text = r#"
# estates
version = 1
name = "night \"shift\" \u00e9"
path = 'C:\states\*.tfstate'   # literal
big = 1_000
neg = -3
on = true
list = [
  "a",  # first
  'b',
]
inline = { x = 1, y.z = "w" }

[defaults]
regions = ["us-east-1"]

[[account]]
id = "111111111111"
[account.limits]
ec2 = 2

[[account]]
id = "222222222222"
site.region = "eu-west-1"
"#;
        let root = parse(text).unwrap();
        let t = table(&root);
        assert_eq!(at(t, "version"), &Value::Integer(1));
        assert_eq!(at(t, "name"), &Value::String("night \"shift\" é".into()));
        assert_eq!(at(t, "path"), &Value::String(r"C:\states\*.tfstate".into()));
        assert_eq!(at(t, "big"), &Value::Integer(1000));
        assert_eq!(at(t, "neg"), &Value::Integer(-3));
        assert_eq!(at(t, "on"), &Value::Bool(true));
        let Value::Array(list) = at(t, "list") else { panic!() };
        assert_eq!(list.len(), 2);
        let Value::Table(inline) = at(t, "inline") else { panic!() };
        let Value::Table(y) = at(inline, "y") else { panic!() };
        assert_eq!(at(y, "z"), &Value::String("w".into()));
        let Value::Array(accounts) = at(t, "account") else { panic!() };
        assert_eq!(accounts.len(), 2);
        let first = table(&accounts[0]);
        let Value::Table(limits) = at(first, "limits") else { panic!() };
        assert_eq!(at(limits, "ec2"), &Value::Integer(2));
        let second = table(&accounts[1]);
        assert_eq!(at(second, "id"), &Value::String("222222222222".into()));
        // Spans point at the source.
        let id = second.get("id").unwrap();
        assert_eq!(&text[id.node.span.offset..id.node.span.offset + id.node.span.len], "\"222222222222\"");
        assert_eq!(&text[id.key_span.offset..id.key_span.offset + id.key_span.len], "id");
    }

    fn error(text: &str) -> (usize, String) {
        let e = parse(text).unwrap_err();
        (line_col(text, e.span.offset).0, e.message)
    }

    #[test]
    fn errors_name_the_line_and_the_problem() {
        assert_eq!(error("a = 1\na = 2\n"), (2, "`a` is defined twice".into()));
        assert_eq!(error("[t]\nx = 1\n[t]\n"), (3, "`t` is already defined (line 1)".into()));
        assert!(error("a = \"open\n").1.contains("unterminated string"));
        assert!(error("a = 1.5\n").1.contains("floats are not supported"));
        assert!(error("a = 2026-01-01\n").1.contains("dates and times"));
        assert!(error("a = \"\"\"x\"\"\"\n").1.contains("multi-line strings"));
        assert!(error("a = [1, 2\n").1.contains("unclosed array"));
        assert!(error("a = 1 b = 2\n").1.contains("end of the line"));
        assert!(error("a = \"\\q\"\n").1.contains("invalid escape"));
        assert!(error("a = {x = 1\n").1.contains("unclosed inline table"));
        assert!(error("= 1\n").1.contains("expected a key"));
        assert!(error("a 1\n").1.contains("expected `=`"));
        assert!(error("a = 01\n").1.contains("not a decimal integer"));
        assert!(error("a = 99999999999999999999\n").1.contains("64-bit"));
        assert!(error("a = {x = 1}\n[a]\n").1.contains("inline table"));
        assert!(error("a = 1\n[[a]]\n").1.contains("already defined as a value"));
        assert!(error("[a]\nb = 1\n[a.b]\n").1.contains("already defined as a value"));
        assert_eq!(error("x = 1\n\n[t\n").0, 3);
    }

    #[test]
    fn arbitrary_input_never_panics() {
        let samples = [
            "",
            "[",
            "[[",
            "]]",
            "a.",
            "a.=1",
            "\"",
            "'",
            "a=\"\\u",
            "a=\"\\uZZZZ\"",
            "a=[",
            "a={",
            "a={,}",
            "[a.b]\n[a]\n[a.b]",
            "[[a]]\n[a.b]\nc=1\n[[a]]\n[a.b]",
            "a=\u{0}",
            "é=1",
            "a='\u{7f}'",
            "\r\n\r",
            "a=[[1],[{}]]",
            "a=+",
            "a=-",
            "a=1_",
            "a=true1",
            "a=tru",
        ];
        for s in samples {
            let _ = parse(s);
        }
        // [a.b] after [[a]] lands in the array's last element.
        let root = parse("[[a]]\nx=1\n[a.b]\nc=1\n[[a]]\nx=2\n").unwrap();
        let Value::Array(items) = at(table(&root), "a") else { panic!() };
        assert!(table(&items[0]).get("b").is_some());
        assert!(table(&items[1]).get("b").is_none());
    }
}

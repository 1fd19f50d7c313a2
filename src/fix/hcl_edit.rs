//! Span-preserving edits: each change replaces a byte range of a file's original text; the
//! rest of the file is kept byte for byte. After the edits, the `=` of the attribute lines
//! around each edited line is aligned as `terraform fmt` aligns it (consecutive
//! single-line `key = value` lines share one column), so `terraform fmt -check` accepts the
//! result when it accepted the original.

use std::collections::BTreeMap;
use std::ops::Range;

/// Replace `range` of the original text by `text`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Edit {
    pub range: Range<usize>,
    pub text: String,
}

/// The edits of every file, by file path relative to the code directory. A path that does
/// not exist yet is a new file (its original text is empty).
#[derive(Debug, Clone, Default)]
pub struct Edits {
    pub files: BTreeMap<String, FileEdits>,
}

#[derive(Debug, Clone, Default)]
pub struct FileEdits {
    pub original: String,
    pub new_file: bool,
    pub edits: Vec<Edit>,
}

/// Two edits of one file touch the same bytes.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Overlap {
    pub file: String,
}

impl Edits {
    /// Queue edits of one file, all or none: refused when one overlaps an edit already queued
    /// (two items want to change the same code; the later one is reported, not patched).
    pub fn add(&mut self, file: &str, original: &str, new_file: bool, edits: Vec<Edit>) -> Result<(), Overlap> {
        let entry = self.files.entry(file.to_string()).or_insert_with(|| FileEdits {
            original: original.to_string(),
            new_file,
            edits: Vec::new(),
        });
        for e in &edits {
            let clash = entry.edits.iter().any(|q| overlaps(&q.range, &e.range));
            if clash || e.range.end > entry.original.len() || e.range.start > e.range.end {
                return Err(Overlap { file: file.to_string() });
            }
        }
        // Two insertions at one point keep their order of arrival.
        entry.edits.extend(edits);
        Ok(())
    }

    pub fn is_empty(&self) -> bool {
        self.files.values().all(|f| f.edits.is_empty())
    }

    /// Every edited file's new text, aligned.
    pub fn results(&self) -> BTreeMap<String, (String, String, bool)> {
        self.files
            .iter()
            .filter(|(_, f)| !f.edits.is_empty())
            .map(|(p, f)| (p.clone(), (f.original.clone(), apply(&f.original, &f.edits), f.new_file)))
            .collect()
    }
}

/// Ranges that share bytes; an insertion (empty range) clashes only strictly inside another.
fn overlaps(a: &Range<usize>, b: &Range<usize>) -> bool {
    if a.is_empty() && b.is_empty() {
        return false;
    }
    if a.is_empty() {
        return b.start < a.start && a.start < b.end;
    }
    if b.is_empty() {
        return a.start < b.start && b.start < a.end;
    }
    a.start < b.end && b.start < a.end
}

/// Apply non-overlapping edits to `original`, then align the `=` of the lines around them.
pub fn apply(original: &str, edits: &[Edit]) -> String {
    let mut sorted: Vec<(usize, &Edit)> = edits.iter().enumerate().collect();
    sorted.sort_by_key(|(i, e)| (e.range.start, e.range.end, *i));
    let mut out = String::with_capacity(original.len() + 256);
    let mut touched: Vec<usize> = Vec::new();
    let mut pos = 0;
    for (_, e) in sorted {
        if e.range.start < pos {
            continue; // refused by `Edits::add`; never here
        }
        out.push_str(&original[pos..e.range.start]);
        let first = out.matches('\n').count();
        out.push_str(&e.text);
        let last = out.matches('\n').count();
        touched.extend(first.saturating_sub(1)..=last + 1);
        pos = e.range.end;
    }
    out.push_str(&original[pos..]);
    align(&out, &touched)
}

/// One logical line for alignment (a heredoc's body belongs to the line that opens it).
struct Line {
    /// Byte offset of the aligned `=` and the width of what precedes it (trailing spaces
    /// excluded), when the line is a single-line `key = value`.
    assign: Option<(usize, usize, usize)>,
    /// Physical line numbers it covers.
    first: usize,
    last: usize,
}

/// Re-align the `=` of every chain of consecutive single-line assignments that contains one
/// of the `touched` physical lines (0-based), as `terraform fmt` does: one space after the
/// longest key of the chain.
pub fn align(text: &str, touched: &[usize]) -> String {
    let lines = logical_lines(text);
    let mut replacements: Vec<(Range<usize>, usize)> = Vec::new();
    let mut i = 0;
    while i < lines.len() {
        if lines[i].assign.is_none() {
            i += 1;
            continue;
        }
        let start = i;
        while i < lines.len() && lines[i].assign.is_some() {
            i += 1;
        }
        let chain = &lines[start..i];
        let hit = chain.iter().any(|l| touched.iter().any(|t| (l.first..=l.last).contains(t)));
        if !hit {
            continue;
        }
        let width = chain.iter().filter_map(|l| l.assign.map(|a| a.2)).max().unwrap_or(0);
        for l in chain {
            if let Some((lead_end, eq, lead_width)) = l.assign {
                replacements.push((lead_end..eq, width - lead_width + 1));
            }
        }
    }
    if replacements.is_empty() {
        return text.to_string();
    }
    let mut out = String::with_capacity(text.len() + 64);
    let mut pos = 0;
    for (range, spaces) in replacements {
        out.push_str(&text[pos..range.start]);
        out.push_str(&" ".repeat(spaces));
        pos = range.end;
    }
    out.push_str(&text[pos..]);
    out
}

fn logical_lines(text: &str) -> Vec<Line> {
    let mut out = Vec::new();
    let mut offset = 0;
    let physical: Vec<&str> = text.split('\n').collect();
    let mut n = 0;
    while n < physical.len() {
        let line = physical[n];
        let start = offset;
        let first = n;
        let mut end = start + line.len();
        offset = end + 1;
        n += 1;
        // A heredoc's body and its closing marker belong to this line.
        if let Some(marker) = heredoc_marker(line) {
            while n < physical.len() {
                let body = physical[n];
                end = offset + body.len();
                offset = end + 1;
                n += 1;
                if body.trim() == marker {
                    break;
                }
            }
        }
        let assign = assignment(line).map(|(lead_end, eq, width)| (start + lead_end, start + eq, width));
        let _ = end;
        out.push(Line { assign, first, last: n - 1 });
    }
    out
}

/// `<<EOT` / `<<-EOT` outside strings and comments: the marker.
fn heredoc_marker(line: &str) -> Option<String> {
    let code = code_part(line);
    let at = code.find("<<")?;
    let rest = code[at + 2..].trim_start_matches('-');
    let marker: String = rest.chars().take_while(|c| c.is_ascii_alphanumeric() || *c == '_').collect();
    (!marker.is_empty()).then_some(marker)
}

/// The line up to a comment, with string contents blanked (so brackets and `=` in strings
/// do not count); template interpolations inside strings are kept as code.
fn code_part(line: &str) -> String {
    let mut out = String::with_capacity(line.len());
    let mut in_str = false;
    let mut interp = 0usize;
    let chars: Vec<char> = line.chars().collect();
    let mut i = 0;
    while i < chars.len() {
        let c = chars[i];
        let next = chars.get(i + 1).copied();
        if in_str && interp == 0 {
            match c {
                '\\' => {
                    out.push_str("__");
                    i += 2;
                    continue;
                }
                '"' => {
                    in_str = false;
                    out.push('"');
                }
                '$' | '%' if next == Some('{') => {
                    interp = 1;
                    out.push_str("${");
                    i += 2;
                    continue;
                }
                _ => out.push('_'),
            }
        } else {
            match c {
                '"' if interp == 0 => {
                    in_str = true;
                    out.push('"');
                }
                '{' if interp > 0 => {
                    interp += 1;
                    out.push(c);
                }
                '}' if interp > 0 => {
                    interp -= 1;
                    out.push(c);
                }
                '#' if interp == 0 => break,
                '/' if interp == 0 && matches!(next, Some('/') | Some('*')) => break,
                _ => out.push(c),
            }
        }
        i += 1;
    }
    out
}

/// For a `key = value` line whose value closes on the same line: (end of the key, offset of
/// `=`, display width of the indented key). `None` for anything else.
fn assignment(line: &str) -> Option<(usize, usize, usize)> {
    let code = code_part(line);
    let trimmed = code.trim_start();
    if trimmed.is_empty() {
        return None;
    }
    let chars: Vec<(usize, char)> = code.char_indices().collect();
    let mut eq = None;
    for (k, &(i, c)) in chars.iter().enumerate() {
        if c != '=' {
            continue;
        }
        let prev = k.checked_sub(1).map(|p| chars[p].1);
        let next = chars.get(k + 1).map(|x| x.1);
        if matches!(prev, Some('=' | '!' | '<' | '>')) || matches!(next, Some('=' | '>')) {
            continue;
        }
        eq = Some(i);
        break;
    }
    let eq = eq?;
    let lead = code[..eq].trim_end();
    if lead.trim().is_empty() {
        return None;
    }
    // The value must close on this line (a heredoc counts as closed).
    let mut net: i64 = 0;
    let rhs = &code[eq..];
    let mut prev = ' ';
    for c in rhs.chars() {
        match c {
            '(' | '[' | '{' => net += 1,
            ')' | ']' | '}' => net -= 1,
            '<' if prev == '<' => break,
            _ => {}
        }
        prev = c;
    }
    if net != 0 {
        return None;
    }
    // Byte offsets in `code` and `line` agree: `code_part` maps one char to one char of the
    // same width only for ASCII, so map through char counts.
    let lead_chars = lead.chars().count();
    let lead_end = line.char_indices().nth(lead_chars).map(|(i, _)| i).unwrap_or(line.len());
    let eq_chars = code[..eq].chars().count();
    let eq_byte = line.char_indices().nth(eq_chars).map(|(i, _)| i)?;
    Some((lead_end, eq_byte, lead_chars))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn aligns_the_touched_chain_only() {
        let text = "a {\n  x = 1\n  yy = 2\n\n  z = 3\n  zzzzz = 4\n  m = {\n    k = 1\n  }\n}\n";
        // Line 1 (x) touched: its chain (x, yy) aligns; the z chain stays as it was.
        let out = align(text, &[1]);
        assert_eq!(out, "a {\n  x  = 1\n  yy = 2\n\n  z = 3\n  zzzzz = 4\n  m = {\n    k = 1\n  }\n}\n");
    }

    #[test]
    fn strings_comments_heredocs_and_comparisons() {
        let text = "  a = \"x = {\" # b = 2\n  bbb = x == y\n  c = <<EOT\n  q = 1\nEOT\n  dd = [1,\n    2]\n";
        let out = align(text, &[0]);
        assert_eq!(out, "  a   = \"x = {\" # b = 2\n  bbb = x == y\n  c   = <<EOT\n  q = 1\nEOT\n  dd = [1,\n    2]\n");
    }

    #[test]
    fn edits_replace_and_insert_then_align() {
        let original = "resource \"a\" \"b\" {\n  name = \"x\"\n  n    = 1\n}\n";
        let at = original.find("\"x\"").unwrap();
        let close = original.rfind('}').unwrap();
        let edits = vec![
            Edit { range: at..at + 3, text: "\"y\"".into() },
            Edit { range: close..close, text: "  description = \"d\"\n".into() },
        ];
        assert_eq!(
            apply(original, &edits),
            "resource \"a\" \"b\" {\n  name        = \"y\"\n  n           = 1\n  description = \"d\"\n}\n"
        );
        let mut all = Edits::default();
        all.add("main.tf", original, false, vec![Edit { range: at..at + 3, text: "1".into() }]).unwrap();
        assert!(all.add("main.tf", original, false, vec![Edit { range: at + 1..at + 2, text: "2".into() }]).is_err());
        assert!(all.add("main.tf", original, false, vec![Edit { range: close..close, text: "z".into() }]).is_ok());
    }
}

//! Unified diffs of the edited files (`git apply` / `patch -p1` from the code directory),
//! and the same changes as line hunks for SARIF `fixes` and pull-request suggestions.

use similar::{DiffTag, TextDiff};

/// One file's change as a unified diff with `a/` and `b/` prefixes; a new file is diffed
/// against `/dev/null`.
pub fn unified(rel: &str, old: &str, new: &str, new_file: bool) -> String {
    let diff = TextDiff::from_lines(old, new);
    let a = if new_file { "/dev/null".to_string() } else { format!("a/{rel}") };
    let b = format!("b/{rel}");
    let mut out = diff.unified_diff().context_radius(3).header(&a, &b).to_string();
    if !out.is_empty() && !out.ends_with('\n') {
        out.push('\n');
    }
    out
}

/// Old lines `old_start..old_end` (0-based, end exclusive) become `new_lines`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Hunk {
    pub old_start: usize,
    pub old_end: usize,
    pub new_lines: Vec<String>,
}

/// The changed line ranges of `old` -> `new`, adjacent changes merged.
pub fn hunks(old: &str, new: &str) -> Vec<Hunk> {
    let diff = TextDiff::from_lines(old, new);
    let new_lines: Vec<&str> = new.split_inclusive('\n').collect();
    let mut out: Vec<Hunk> = Vec::new();
    for op in diff.ops() {
        if op.tag() == DiffTag::Equal {
            continue;
        }
        let (o, n) = (op.old_range(), op.new_range());
        let lines: Vec<String> =
            new_lines[n.start..n.end].iter().map(|l| l.trim_end_matches('\n').to_string()).collect();
        match out.last_mut() {
            Some(h) if h.old_end == o.start => {
                h.old_end = o.end;
                h.new_lines.extend(lines);
            }
            _ => out.push(Hunk { old_start: o.start, old_end: o.end, new_lines: lines }),
        }
    }
    out
}

/// Byte offset of the start of 0-based line `line` (the text's length past the end).
pub fn line_offset(text: &str, line: usize) -> usize {
    if line == 0 {
        return 0;
    }
    text.match_indices('\n').nth(line - 1).map(|(i, _)| i + 1).unwrap_or(text.len())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn unified_diff_with_git_prefixes() {
        let d = unified("main.tf", "a\nb\nc\n", "a\nB\nc\n", false);
        assert_eq!(d, "--- a/main.tf\n+++ b/main.tf\n@@ -1,3 +1,3 @@\n a\n-b\n+B\n c\n");
        let n = unified("imports.tf", "", "x\n", true);
        assert!(n.starts_with("--- /dev/null\n+++ b/imports.tf\n@@ -0,0 +1 @@\n+x\n"), "{n}");
        let h = hunks("a\nb\nc\n", "a\nB\nB2\nc\n");
        assert_eq!(h, vec![Hunk { old_start: 1, old_end: 2, new_lines: vec!["B".into(), "B2".into()] }]);
        assert_eq!(line_offset("a\nb\nc\n", 2), 4);
    }
}

//! The source shown under a diagnostic about a file.

use miette::{NamedSource, SourceSpan};

/// miette's graphical handler pads its underlines with `format!("{:width$}")`, whose width must
/// fit in a `u16`: a label past column 65,535 of a line (an error deep in a minified state file)
/// made rendering the diagnostic panic. Past this many bytes into its line, a label is shown on
/// a window of that line around it instead of the whole file.
const MAX_COLUMN: usize = 4096;

/// Bytes of the long line kept on each side of the label.
const WINDOW: usize = 200;

/// The source of `text` (named `file`) and `span` on it, ready for a diagnostic: the whole
/// text, or when the span lies far into a long line, a window of that line with the span moved
/// into it (the diagnostic's message still names the line and column).
pub fn source_excerpt(file: &str, text: &str, span: Option<SourceSpan>) -> (NamedSource<String>, Option<SourceSpan>) {
    let whole = |span| (NamedSource::new(file, text.to_string()), span);
    let Some(at) = span else { return whole(None) };
    let bytes = text.as_bytes();
    let start = at.offset().min(text.len());
    let end = start.saturating_add(at.len()).min(text.len());
    let line_start = bytes[..start].iter().rposition(|b| *b == b'\n').map_or(0, |i| i + 1);
    if end - line_start <= MAX_COLUMN {
        return whole(Some(at));
    }
    let line_end = bytes[start..].iter().position(|b| *b == b'\n').map_or(text.len(), |i| start + i);
    let mut from = start.saturating_sub(WINDOW).max(line_start);
    while !text.is_char_boundary(from) {
        from -= 1;
    }
    let mut to = end.max(start.saturating_add(WINDOW)).min(line_end).min(start + 2 * WINDOW);
    while !text.is_char_boundary(to) {
        to += 1;
    }
    let to = to.max(from);
    let label_end = end.min(to).max(start);
    let name = format!("{file} (part of a line {} bytes long)", line_end - line_start);
    (NamedSource::new(name, text[from..to].to_string()), Some(SourceSpan::from((start - from, label_end - start))))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_label_far_into_a_long_line_is_shown_on_a_window_of_it() {
        let text = format!("{{\n{}é!x\n}}", "a".repeat(100_000));
        let at = text.find('!').unwrap();
        let (src, span) = source_excerpt("f.json", &text, Some((at, 1).into()));
        let span = span.unwrap();
        let shown = miette::SourceCode::read_span(&src, &span, 0, 0).unwrap();
        assert_eq!(std::str::from_utf8(shown.data()).unwrap(), "!");
        assert!(src.name().contains("100004 bytes long"), "{}", src.name());

        // Near the start of a line: the whole file.
        let (src, span) = source_excerpt("f.json", "{\n  x\n}", Some((4, 1).into()));
        assert_eq!(span, Some((4, 1).into()));
        assert_eq!(src.name(), "f.json");
    }

    /// Rendering such a diagnostic does not panic (it did in miette's graphical handler).
    #[test]
    fn renders() {
        #[derive(Debug, thiserror::Error, miette::Diagnostic)]
        #[error("bad")]
        struct Bad {
            #[source_code]
            src: NamedSource<String>,
            #[label("here")]
            at: Option<SourceSpan>,
        }
        let text = "x".repeat(70_000) + "!";
        let (src, at) = source_excerpt("f", &text, Some((70_000, 1).into()));
        let mut out = String::new();
        miette::GraphicalReportHandler::new().render_report(&mut out, &Bad { src, at }).unwrap();
        assert!(out.contains("here"), "{out}");
    }
}

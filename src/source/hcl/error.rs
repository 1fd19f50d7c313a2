//! Diagnostics for configuration the loader cannot read: syntax errors and references to
//! things that are not declared. Each carries the file, a span and the source text, so
//! miette prints `file:line:column` with a caret excerpt.

use miette::{Diagnostic, NamedSource, SourceSpan};
use thiserror::Error;

#[derive(Debug, Error, Diagnostic)]
pub enum HclError {
    #[error("{file}:{line}:{column}: syntax error: {message}")]
    #[diagnostic(code(plumb::check::syntax))]
    Syntax {
        file: String,
        line: usize,
        column: usize,
        message: String,
        #[source_code]
        src: NamedSource<String>,
        #[label("here")]
        at: SourceSpan,
    },
    #[error("{file}:{line}:{column}: reference to undeclared {what} `{name}`")]
    #[diagnostic(code(plumb::check::undeclared), help("{help}"))]
    Undeclared {
        file: String,
        line: usize,
        column: usize,
        what: &'static str,
        name: String,
        help: String,
        #[source_code]
        src: NamedSource<String>,
        #[label("not declared")]
        at: SourceSpan,
    },
    #[error("{file}:{line}:{column}: {message}")]
    #[diagnostic(code(plumb::check::invalid))]
    Invalid {
        file: String,
        line: usize,
        column: usize,
        message: String,
        #[source_code]
        src: NamedSource<String>,
        #[label("here")]
        at: SourceSpan,
    },
    #[error("{path}: {message}")]
    #[diagnostic(code(plumb::check::input))]
    Input { path: String, message: String },
}

/// 1-based line and column of a byte offset.
pub fn line_col(text: &str, offset: usize) -> (usize, usize) {
    let mut offset = offset.min(text.len());
    // A parser's offset inside a multi-byte character counts as that character.
    while !text.is_char_boundary(offset) {
        offset -= 1;
    }
    let before = &text[..offset];
    let line = before.matches('\n').count() + 1;
    let column = before.rsplit('\n').next().map(|l| l.chars().count()).unwrap_or(0) + 1;
    (line, column)
}

#[cfg(test)]
mod tests {
    use super::line_col;

    #[test]
    fn an_offset_inside_a_character_is_that_character() {
        // `é` is two bytes: offset 4 is inside the second one ("a\né" then "é").
        assert_eq!(line_col("a\néé", 3), (2, 1));
        assert_eq!(line_col("a\néé", 4), (2, 2));
        assert_eq!(line_col("a\néé", 5), (2, 2));
        assert_eq!(line_col("a\néé", 99), (2, 3));
    }
}

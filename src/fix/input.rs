//! What `plumb fix` reads: the JSON report of `plumb scan --format json` (schema_version 1),
//! as items to resolve. `"(sensitive)"` and `"(unknown)"` in the report are read back as
//! secrets and unread values, never as strings to write into code.

use std::collections::BTreeMap;

use miette::{Diagnostic, NamedSource, SourceSpan};
use serde::Deserialize;
use serde_json::Value as J;
use thiserror::Error;

use crate::model::Value;

#[derive(Debug, Clone, Deserialize)]
pub struct ScanInput {
    pub schema_version: u32,
    #[serde(default = "yes")]
    pub complete: bool,
    #[serde(default)]
    pub resources: Vec<JudgedIn>,
    #[serde(default)]
    pub findings: Vec<FindingIn>,
}

fn yes() -> bool {
    true
}

#[derive(Debug, Clone, Deserialize)]
pub struct JudgedIn {
    pub address: Option<String>,
    #[serde(rename = "type")]
    pub rtype: String,
    pub id: String,
    #[serde(default)]
    pub region: Option<String>,
    pub status: String,
    #[serde(default)]
    pub changes: Vec<ChangeIn>,
    #[serde(default)]
    pub attribution: Option<Vec<AttributionIn>>,
    /// Unmanaged resources: the live attributes (report field `live`).
    #[serde(default)]
    pub live: Option<BTreeMap<String, J>>,
}

#[derive(Debug, Clone, Deserialize)]
pub struct ChangeIn {
    pub path: String,
    #[serde(default)]
    pub state: J,
    #[serde(default)]
    pub live: J,
    #[serde(default)]
    pub added: Option<Vec<J>>,
    #[serde(default)]
    pub removed: Option<Vec<J>>,
}

#[derive(Debug, Clone, Deserialize, serde::Serialize, PartialEq, Eq)]
pub struct AttributionIn {
    pub actor: String,
    pub channel: String,
    pub event_name: String,
    #[serde(default)]
    pub event_time: String,
    #[serde(default)]
    pub event_id: String,
    #[serde(default)]
    pub via: Option<String>,
}

#[derive(Debug, Clone, Deserialize)]
pub struct FindingIn {
    pub rule_id: String,
    #[serde(default)]
    pub address: Option<String>,
    #[serde(rename = "type", default)]
    pub rtype: String,
    #[serde(default)]
    pub id: String,
    #[serde(default)]
    pub waived: bool,
    #[serde(default)]
    pub message: String,
}

/// A report that cannot be used.
#[derive(Debug, Error, Diagnostic)]
pub enum ReportError {
    #[error("{file}:{line}:{column}: not a plumb scan report: {message}")]
    #[diagnostic(code(plumb::fix::report), help("give the JSON that `plumb scan --format json` writes"))]
    Parse {
        file: String,
        line: usize,
        column: usize,
        message: String,
        #[source_code]
        src: NamedSource<String>,
        #[label("here")]
        at: SourceSpan,
    },
    #[error("{file}: schema_version {found} is not supported (this plumb reads 1)")]
    #[diagnostic(code(plumb::fix::report_version), help("run `plumb scan` with this version of plumb"))]
    Version { file: String, found: u32 },
}

impl ScanInput {
    pub fn parse(file: &str, text: &str) -> Result<ScanInput, ReportError> {
        let input: ScanInput = serde_json::from_str(text).map_err(|e| {
            let (line, column) = (e.line().max(1), e.column().max(1));
            let offset = text.split_inclusive('\n').take(line - 1).map(str::len).sum::<usize>() + column - 1;
            ReportError::Parse {
                file: file.to_string(),
                line,
                column,
                message: e.to_string(),
                src: NamedSource::new(file.to_string(), text.to_string()),
                at: (offset.min(text.len()), 0).into(),
            }
        })?;
        if input.schema_version != crate::report::SCHEMA_VERSION {
            return Err(ReportError::Version { file: file.to_string(), found: input.schema_version });
        }
        Ok(input)
    }
}

/// A report value as a model value: the report's placeholders become opaque again.
pub fn value(j: &J) -> Value {
    match j {
        J::String(s) if s == "(sensitive)" => Value::Sensitive,
        J::String(s) if s == "(unknown)" => Value::Unknown,
        J::Array(a) => Value::List(a.iter().map(value).collect()),
        J::Object(o) => Value::Map(o.iter().map(|(k, v)| (k.clone(), value(v))).collect()),
        other => Value::from_json(other),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_a_report_and_points_at_bad_json() {
        let r = ScanInput::parse(
            "scan.json",
            r#"{"schema_version": 1, "complete": true, "resources": [
                {"address": null, "type": "aws_s3_bucket", "id": "b", "status": "unmanaged", "changes": [],
                 "live": {"bucket": "b", "password": "(sensitive)"}}]}"#,
        )
        .unwrap();
        let live = r.resources[0].live.as_ref().unwrap();
        assert_eq!(value(&live["password"]), Value::Sensitive);
        assert!(matches!(
            ScanInput::parse("s.json", "{\n  \"schema_version\": 1,\n  oops\n}"),
            Err(ReportError::Parse { line: 3, .. })
        ));
        assert!(matches!(ScanInput::parse("s.json", r#"{"schema_version": 9}"#), Err(ReportError::Version { .. })));
    }
}

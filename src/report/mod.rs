//! Rendering one run. Pure: a [`ScanReport`] in, text out. One file per format.

pub mod check;
pub mod html;
pub mod json;
pub mod junit;
pub mod markdown;
pub mod sarif;
pub mod text;
mod text_findings;

use std::collections::BTreeMap;

use serde::Serialize;

use crate::diff::ignore::StaleIgnore;
use crate::diff::{Judged, NotJudged, Status};
use crate::model::ReadError;
use crate::rules::Finding;
use crate::rules::policy::FrameworkSummary;
use crate::rules::waivers::ExpiredWaiver;

/// JSON report schema version (design.md section 5). Bump on any breaking change.
pub const SCHEMA_VERSION: u32 = 1;

#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum Format {
    Text,
    Json,
}

#[derive(Debug, Clone, Serialize)]
pub struct Tool {
    pub name: &'static str,
    pub version: &'static str,
}

impl Default for Tool {
    fn default() -> Self {
        Tool { name: "plumb", version: env!("CARGO_PKG_VERSION") }
    }
}

#[derive(Debug, Clone, Default, Serialize, PartialEq)]
pub struct FindingCounts {
    pub critical: u64,
    pub high: u64,
    pub medium: u64,
    pub low: u64,
    pub waived: u64,
}

#[derive(Debug, Clone, Default, Serialize, PartialEq)]
pub struct Summary {
    pub in_sync: u64,
    pub drifted: u64,
    pub missing: u64,
    pub unmanaged: u64,
    /// Managed / (managed + unmanaged) over the scanned types; `null` when the scan is
    /// incomplete (what was not read cannot count as covered).
    pub coverage_percent: Option<f64>,
    /// State resources not judged (unsupported type, failed read, region not scanned).
    pub not_judged: u64,
    /// Attribute changes reported as expected (`lifecycle.ignore_changes`, the ignore file).
    pub ignored_changes: u64,
    pub findings: FindingCounts,
    /// Per framework (`gdpr`, `hipaa`, `soc2`): controls with unwaived findings, out of the
    /// controls the evaluated rules cover.
    pub frameworks: BTreeMap<&'static str, FrameworkSummary>,
}

/// The whole result of `plumb scan` (design.md section 5).
#[derive(Debug, Clone, Serialize)]
pub struct ScanReport {
    pub schema_version: u32,
    pub tool: Tool,
    pub started_at: String,
    pub complete: bool,
    pub summary: Summary,
    pub resources: Vec<Judged>,
    /// Hardening findings on the live view, sorted by rule id, address and id.
    pub findings: Vec<Finding>,
    /// Waivers past their `expires` date: ignored, listed so they are renewed or removed.
    pub expired_waivers: Vec<ExpiredWaiver>,
    pub errors: Vec<ReadError>,
    pub not_judged: Vec<NotJudged>,
    /// Ignore-file entries that expired or matched no change of this run.
    pub stale_ignores: Vec<StaleIgnore>,
    /// One-line remediation per rule id, for the text report (the JSON points at the rule).
    #[serde(skip)]
    pub remediation: BTreeMap<String, String>,
}

impl ScanReport {
    pub fn new(
        started_at: String,
        resources: Vec<Judged>,
        not_judged: Vec<NotJudged>,
        mut errors: Vec<ReadError>,
    ) -> Self {
        errors.sort();
        errors.dedup();
        let count = |s: Status| resources.iter().filter(|r| r.status == s).count() as u64;
        let (in_sync, drifted, missing, unmanaged) =
            (count(Status::InSync), count(Status::Drifted), count(Status::Missing), count(Status::Unmanaged));
        let managed = in_sync + drifted;
        let coverage_percent = if managed + unmanaged == 0 {
            100.0
        } else {
            (managed as f64 * 1000.0 / (managed + unmanaged) as f64).round() / 10.0
        };
        ScanReport {
            schema_version: SCHEMA_VERSION,
            tool: Tool::default(),
            started_at,
            complete: errors.is_empty(),
            summary: Summary {
                in_sync,
                drifted,
                missing,
                unmanaged,
                coverage_percent: errors.is_empty().then_some(coverage_percent),
                not_judged: not_judged.len() as u64,
                ignored_changes: resources.iter().map(|r| r.ignored.len() as u64).sum(),
                findings: FindingCounts::default(),
                frameworks: BTreeMap::new(),
            },
            resources,
            findings: Vec::new(),
            expired_waivers: Vec::new(),
            errors,
            not_judged,
            stale_ignores: Vec::new(),
            remediation: BTreeMap::new(),
        }
    }

    /// Attach the judged findings (waivers applied) and their summaries.
    pub fn with_findings(
        mut self,
        mut findings: Vec<Finding>,
        frameworks: BTreeMap<&'static str, FrameworkSummary>,
        expired_waivers: Vec<ExpiredWaiver>,
    ) -> Self {
        findings.sort_by(|a, b| {
            (&a.rule_id, &a.address, &a.rtype, &a.id, &a.message)
                .cmp(&(&b.rule_id, &b.address, &b.rtype, &b.id, &b.message))
        });
        self.summary.findings = crate::rules::policy::counts(&findings);
        self.summary.frameworks = frameworks;
        self.findings = findings;
        self.expired_waivers = expired_waivers;
        self
    }

    /// Any drifted, missing or unmanaged resource.
    pub fn has_drift(&self) -> bool {
        self.summary.drifted + self.summary.missing + self.summary.unmanaged > 0
    }
}

/// The first sentence of a rule's remediation, for a one-line hint.
pub fn hint(remediation: &str) -> String {
    let text = remediation.split_whitespace().collect::<Vec<_>>().join(" ");
    match text.find(". ") {
        Some(i) => text[..=i].to_string(),
        None => text,
    }
}

/// `text` wrapped to `width` columns, every line starting with `indent` (words are never
/// split: a long ARN overflows rather than break).
pub fn wrap(text: &str, indent: &str, width: usize) -> String {
    let mut out = String::new();
    let mut line = String::from(indent);
    for word in text.split_whitespace() {
        if line.len() > indent.len() && line.len() + 1 + word.len() > width {
            out.push_str(line.trim_end());
            out.push('\n');
            line = String::from(indent);
        }
        if line.len() > indent.len() {
            line.push(' ');
        }
        line.push_str(word);
    }
    out.push_str(line.trim_end());
    out.push('\n');
    out
}

/// Write a rendered report to a file, or to standard output; a closed pipe
/// (`plumb scan | head`) is not an error.
pub fn write_out(text: &str, output: Option<&std::path::Path>) -> anyhow::Result<()> {
    use anyhow::Context;
    use std::io::Write;
    match output {
        Some(path) => std::fs::write(path, text).with_context(|| format!("writing {}", path.display())),
        None => match std::io::stdout().lock().write_all(text.as_bytes()) {
            Err(e) if e.kind() == std::io::ErrorKind::BrokenPipe => Ok(()),
            r => r.context("writing to standard output"),
        },
    }
}

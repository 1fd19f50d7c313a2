//! Rendering one run. Pure: a [`ScanReport`] in, text out. One file per format.

pub mod check;
pub mod export;
pub mod html;
pub mod json;
pub mod junit;
pub mod markdown;
pub mod sarif;
pub mod text;
mod text_accounts;
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

/// `plumb scan --format`: the report formats, and the exports for other tools (`export/`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum ScanFormat {
    Text,
    Json,
    /// SARIF 2.1.0: rule findings and drift as results (docs/exports.md).
    Sarif,
    /// JUnit XML: a drift suite (one case per resource) and one suite per rule.
    Junit,
    /// OCSF 1.5.0 events: Compliance Findings for rule findings, Detection Findings for drift.
    Ocsf,
    /// AWS Security Finding Format, for Security Hub's BatchImportFindings (Plumb never calls it).
    Asff,
}

/// What a scan looked at: account, regions, states and rules (recorded with each run, shown in
/// the HTML report, used by the exports). Absent in reports made before it was recorded.
#[derive(Debug, Clone, Default, PartialEq, Serialize, serde::Deserialize)]
pub struct RunScope {
    /// The AWS account read (`unknown` when STS could not say).
    pub account: String,
    pub regions: Vec<String>,
    /// The `--state` arguments as given (files, globs, `s3://` objects).
    pub states: Vec<String>,
    pub rule_set: RuleSetInfo,
    /// Per framework (`hipaa`, `soc2`, `gdpr`): every control the evaluated rules map to, sorted,
    /// so a report can show passing controls as well as failing ones.
    pub controls: BTreeMap<String, Vec<String>>,
    /// A run over several accounts (`--config`): each account, sorted by id. `account` is then
    /// empty.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub accounts: Vec<ScopeAccount>,
    /// The run this record is a part of (`--run-id`, `--shard I/N`): the ledger treats the
    /// parts of one run id as one run.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub part: Option<RunPart>,
}

/// One account of a run over several.
#[derive(Debug, Clone, Default, PartialEq, Serialize, serde::Deserialize)]
pub struct ScopeAccount {
    pub id: String,
    /// The estate's name (the account's name in Organizations when discovered); the id when
    /// it has none.
    pub name: String,
    pub regions: Vec<String>,
    /// Its state locations as configured.
    pub states: Vec<String>,
    /// Every read of the account succeeded.
    pub complete: bool,
}

/// Which part of which run a record is.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, serde::Deserialize)]
pub struct RunPart {
    pub run_id: String,
    /// Zero-based shard index.
    pub shard: u32,
    /// How many shards the run has.
    pub shards: u32,
}

/// Which rules a run evaluated.
#[derive(Debug, Clone, Default, PartialEq, Serialize, serde::Deserialize)]
pub struct RuleSetInfo {
    /// `baseline 0.1.0 (commit 1a2b3c4d5e6f)`: the baseline is embedded in the binary, so its
    /// version is the binary's; `+ N custom` when `--rules DIR` added rules.
    pub version: String,
    /// `sha256:` over the evaluated rules' ids and Rego sources, in id order: equal digests,
    /// same rules.
    pub digest: String,
    /// Rules evaluated.
    pub evaluated: u64,
    /// Rules not evaluated because a type they read could not be read.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub skipped: Vec<String>,
}

impl RunScope {
    /// The scope of a run that evaluated `evaluated` out of `all` rules.
    pub fn new(
        account: &str,
        regions: &[String],
        states: &[String],
        all: &crate::rules::RuleSet,
        evaluated: &crate::rules::RuleSet,
    ) -> RunScope {
        use sha2::{Digest, Sha256};
        let mut h = Sha256::new();
        for r in evaluated.rules() {
            h.update(r.meta.id.as_bytes());
            h.update([0]);
            h.update(r.source.as_bytes());
            h.update([0]);
        }
        let digest: String = h.finalize().iter().map(|b| format!("{b:02x}")).collect();
        let custom = all.rules().iter().filter(|r| !r.baseline).count();
        let mut version = format!("baseline {}", crate::VERSION);
        if custom > 0 {
            version.push_str(&format!(" + {custom} custom"));
        }
        let mut controls: BTreeMap<String, Vec<String>> = BTreeMap::new();
        for r in evaluated.rules() {
            for (key, _, cs) in r.meta.controls.frameworks() {
                controls.entry(key.to_string()).or_default().extend(cs.iter().cloned());
            }
        }
        for cs in controls.values_mut() {
            cs.sort();
            cs.dedup();
        }
        let skipped =
            all.rules().iter().filter(|r| evaluated.get(&r.meta.id).is_none()).map(|r| r.meta.id.clone()).collect();
        RunScope {
            account: account.to_string(),
            regions: regions.to_vec(),
            states: states.to_vec(),
            rule_set: RuleSetInfo {
                version,
                digest: format!("sha256:{digest}"),
                evaluated: evaluated.len() as u64,
                skipped,
            },
            controls,
            accounts: Vec::new(),
            part: None,
        }
    }
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
    /// State resources not judged (unsupported type, failed read, region not scanned);
    /// resources that are no AWS object (`random_pet`) are listed in `not_judged` but not
    /// counted here.
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
    /// Account, regions, states and rules of the run (docs/json-report.md).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub scope: Option<RunScope>,
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
            scope: None,
            summary: Summary {
                in_sync,
                drifted,
                missing,
                unmanaged,
                coverage_percent: errors.is_empty().then_some(coverage_percent),
                // Resources of other providers are listed, never counted: not a gap.
                not_judged: not_judged.iter().filter(|n| n.reason != crate::diff::NOT_AWS).count() as u64,
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
        // Grouped by account first in runs over several (single-account findings have none).
        findings.sort_by(|a, b| {
            (&a.account, &a.rule_id, &a.address, &a.rtype, &a.id, &a.message)
                .cmp(&(&b.account, &b.rule_id, &b.address, &b.rtype, &b.id, &b.message))
        });
        self.summary.findings = crate::rules::policy::counts(&findings);
        self.summary.frameworks = frameworks;
        self.findings = findings;
        self.expired_waivers = expired_waivers;
        self
    }

    /// The part of a run over several accounts about one account, with its own summary
    /// (frameworks and expired waivers stay with the whole run).
    pub fn only_account(&self, account: &str) -> ScanReport {
        let of = |a: &Option<String>| a.as_deref() == Some(account);
        let mut r = ScanReport::new(
            self.started_at.clone(),
            self.resources.iter().filter(|x| of(&x.account)).cloned().collect(),
            self.not_judged.iter().filter(|x| of(&x.account)).cloned().collect(),
            self.errors.iter().filter(|x| of(&x.account)).cloned().collect(),
        )
        .with_findings(
            self.findings.iter().filter(|x| of(&x.account)).cloned().collect(),
            BTreeMap::new(),
            Vec::new(),
        );
        r.remediation = self.remediation.clone();
        r
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

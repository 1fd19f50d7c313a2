//! The result of `plumb check` (rules over Terraform code or a plan, before apply) and its
//! text and JSON renderings; SARIF, JUnit and Markdown have their own files.

use std::fmt::Write;

use std::collections::BTreeMap;

use serde::Serialize;

use super::{FindingCounts, Tool};
use crate::diff::pending::Pending;
use crate::rules::policy::FailOn;
use crate::rules::policy::FrameworkSummary;
use crate::rules::waivers::ExpiredWaiver;
use crate::rules::{Finding, RuleMeta};
use crate::source::plan::PlanDrift;

#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum CheckFormat {
    Text,
    Json,
    /// SARIF 2.1.0 (GitHub code scanning and other SARIF viewers).
    Sarif,
    /// JUnit XML: one test case per rule and resource.
    Junit,
    /// A compact pull-request comment.
    Markdown,
}

/// What was checked.
#[derive(Debug, Clone, Default, Serialize)]
pub struct CheckSource {
    /// The configuration directory, as given.
    pub dir: Option<String>,
    pub plan: Option<String>,
    pub state: Option<String>,
}

#[derive(Debug, Clone, Default, Serialize)]
pub struct CheckSummary {
    /// Resource instances checked.
    pub resources: u64,
    /// Rules evaluated.
    pub rules: u64,
    pub findings: FindingCounts,
    /// Unwaived findings at or above `fail_on`: any makes the run exit 1.
    pub failing: u64,
    /// With `--state`: resources whose code is not applied yet.
    pub pending: u64,
    /// With `--plan`: resources changed outside Terraform.
    pub drifted: u64,
    /// Per framework (`gdpr`, `hipaa`, `soc2`): controls with unwaived findings, out of the
    /// controls the evaluated rules cover.
    pub frameworks: BTreeMap<&'static str, FrameworkSummary>,
}

/// One checked resource instance.
#[derive(Debug, Clone, Serialize)]
pub struct CheckedResource {
    pub address: String,
    #[serde(rename = "type")]
    pub rtype: String,
    pub file: Option<String>,
    pub line: Option<u32>,
    /// The resource owning the joined view this one is judged in, when that is another
    /// resource: the bucket of an `aws_s3_bucket_versioning`, the group of an
    /// `aws_security_group_rule`, the key of an `aws_kms_alias`. A finding pointing here is
    /// about that owner. Absent for resources that own a view themselves.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub owner: Option<String>,
    /// For a resource inside a module: the root module's `module` block that brings it in
    /// (the code a pull request edits), with the module's source. Absent in the root module.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub module_call: Option<ModuleCallRef>,
}

/// The root module's `module` block a resource comes through.
#[derive(Debug, Clone, Serialize, PartialEq, Eq)]
pub struct ModuleCallRef {
    /// `module.db_sg`, `module.phi_bucket["scratch"]`.
    pub address: String,
    pub file: String,
    pub line: u32,
    pub source: String,
}

/// `module.a["x"].` of `module.a["x"].module.b.aws_s3_bucket.this`: the outermost module
/// instance's prefix; `None` for a root-module address.
pub fn outer_module_prefix(address: &str) -> Option<&str> {
    let rest = address.strip_prefix("module.")?;
    let mut depth = 0;
    let mut quoted = false;
    let mut escaped = false;
    for (i, c) in rest.char_indices() {
        match c {
            _ if escaped => escaped = false,
            '\\' if quoted => escaped = true,
            '"' if depth > 0 => quoted = !quoted,
            '[' if !quoted => depth += 1,
            ']' if !quoted => depth -= 1,
            '.' if depth == 0 && !quoted => return Some(&address[..="module.".len() + i]),
            _ => {}
        }
    }
    None
}

/// One joined view a rule was given (a bucket with its split resources, ...): the unit a
/// JUnit test case names, and what verbose output lists as not evaluable.
#[derive(Debug, Clone, Serialize)]
pub struct CheckedView {
    /// View type (`s3_bucket`).
    pub vtype: String,
    pub id: String,
    pub address: Option<String>,
    pub file: Option<String>,
    pub line: Option<u32>,
    /// Fields only known after apply (`encryption.kms_master_key_id`): rules that need them
    /// cannot evaluate and do not fail.
    pub unknown: Vec<String>,
    /// The owner is not declared in the code: the view holds only the settings the code
    /// gives on it (`settings`: the resources expressing them).
    pub outside_code: bool,
    pub settings: Vec<String>,
}

#[derive(Debug, Clone, Serialize)]
pub struct CheckReport {
    pub schema_version: u32,
    pub tool: Tool,
    pub started_at: String,
    pub source: CheckSource,
    /// Unwaived findings at or above this severity fail the run; `null`: any finding does.
    pub fail_on: crate::rules::policy::FailOn,
    pub summary: CheckSummary,
    pub resources: Vec<CheckedResource>,
    /// Sorted by file, line, rule id, address.
    pub findings: Vec<Finding>,
    pub pending: Vec<Pending>,
    pub drift: Vec<PlanDrift>,
    /// Things not evaluated (remote modules, unknown counts, functions plumb does not evaluate).
    pub notes: Vec<String>,
    /// Waivers past their `expires` date: ignored, listed so they are renewed or removed.
    pub expired_waivers: Vec<ExpiredWaiver>,
    /// Rules that failed at run time (`rule HS-X failed to evaluate: ...`): their findings are
    /// unknown, so the check is incomplete (exit 2), never a pass.
    pub errors: Vec<String>,
    #[serde(skip)]
    pub rules: Vec<RuleMeta>,
    #[serde(skip)]
    pub views: Vec<CheckedView>,
}

impl CheckReport {
    /// Counts and the failing total from the findings.
    pub fn finish(&mut self) {
        self.resources.sort_by(|a, b| a.address.cmp(&b.address));
        self.findings.sort_by(|a, b| {
            (&a.file, a.line, &a.rule_id, &a.address, &a.id).cmp(&(&b.file, b.line, &b.rule_id, &b.address, &b.id))
        });
        self.summary.findings = crate::rules::policy::counts(&self.findings);
        self.summary.failing = self.failing().count() as u64;
        self.summary.resources = self.resources.len() as u64;
        self.summary.rules = self.rules.len() as u64;
        self.summary.pending = self.pending.len() as u64;
        self.summary.drifted = self.drift.len() as u64;
    }

    /// Unwaived findings at or above `fail_on`.
    pub fn failing(&self) -> impl Iterator<Item = &Finding> {
        self.findings.iter().filter(|f| !f.waived && self.fail_on.fails(f.severity))
    }

    pub fn rule(&self, id: &str) -> Option<&RuleMeta> {
        self.rules.iter().find(|r| r.id == id)
    }

    /// The root module's `module` block a finding's resource comes through, if any.
    pub fn module_call(&self, f: &Finding) -> Option<&ModuleCallRef> {
        let address = f.address.as_deref()?;
        // `finish` sorts the resources by address.
        let i = self.resources.binary_search_by(|r| r.address.as_str().cmp(address)).ok()?;
        self.resources[i].module_call.as_ref()
    }
}

/// `main.tf:12`, or the address when the finding has no file.
pub fn location(f: &Finding) -> String {
    match (&f.file, f.line) {
        (Some(file), Some(line)) if line > 0 => format!("{file}:{line}"),
        (Some(file), _) => file.clone(),
        _ => String::new(),
    }
}

pub fn subject(f: &Finding) -> String {
    f.address.clone().unwrap_or_else(|| format!("{} {}", f.rtype, f.id))
}

pub fn render_json(report: &CheckReport) -> String {
    // Struct fields in declaration order (`schema_version` first); every map inside is a
    // BTreeMap, so the output is deterministic without re-sorting.
    let mut s = serde_json::to_string_pretty(report).expect("report serialises");
    s.push('\n');
    s
}

/// Text for terminals and CI logs: one line per finding, `file:line` first so editors and
/// CI log viewers link it; a finding inside a module names the root module's `module`
/// block it comes through. `color`: severities in colour (a terminal only).
pub fn render_text(report: &CheckReport, color: bool) -> String {
    use owo_colors::OwoColorize;
    let mut out = String::new();
    for f in &report.findings {
        let waived = if f.waived { " (waived)" } else { "" };
        let via = match report.module_call(f) {
            Some(c) => format!(" (via {} at {}:{})", c.address, c.file, c.line),
            None => String::new(),
        };
        let severity = f.severity.to_string();
        let severity = match (color, f.severity) {
            (false, _) => severity,
            (true, crate::rules::Severity::Critical) => severity.red().bold().to_string(),
            (true, crate::rules::Severity::High) => severity.red().to_string(),
            (true, crate::rules::Severity::Medium) => severity.yellow().to_string(),
            (true, crate::rules::Severity::Low) => severity,
        };
        let _ = writeln!(
            out,
            "{}: {severity} {} {}: {}{waived}{via}",
            if location(f).is_empty() { "-".to_string() } else { location(f) },
            f.rule_id,
            subject(f),
            f.message
        );
    }
    if !report.pending.is_empty() {
        out.push_str("\nNot applied yet (code vs state):\n");
        for p in &report.pending {
            let _ = writeln!(out, "  {:?} {}", p.kind, p.address);
            for c in &p.changes {
                let _ = writeln!(out, "      {}: {} -> {}", c.path, c.state.canonical(), c.live.canonical());
            }
        }
    }
    if !report.drift.is_empty() {
        out.push_str("\nChanged outside Terraform (drift already present):\n");
        for d in &report.drift {
            let _ = writeln!(out, "  {}: {}", d.address, d.changed.join(", "));
        }
    }
    if !report.errors.is_empty() {
        out.push_str("\nIncomplete: rules failed to evaluate; their findings are unknown\n");
        for e in &report.errors {
            let _ = writeln!(out, "  ! {e}");
        }
    }
    let c = &report.summary.findings;
    let gate = match report.fail_on {
        FailOn::AtLeast(min) => format!("{} failing (at or above {min})", report.summary.failing),
        FailOn::Any => format!("{} failing", report.summary.failing),
        FailOn::Never => "none failing (--fail-on none)".to_string(),
    };
    let _ = writeln!(
        out,
        "\n{} resources, {} rules: {} findings ({} critical, {} high, {} medium, {} low, {} waived); {gate}",
        report.summary.resources,
        report.summary.rules,
        c.critical + c.high + c.medium + c.low + c.waived,
        c.critical,
        c.high,
        c.medium,
        c.low,
        c.waived,
    );
    let _ = writeln!(out, "{}", crate::rules::policy::frameworks_line(&report.summary.frameworks));
    for e in &report.expired_waivers {
        let _ = writeln!(
            out,
            "Expired waiver: {} on {} expired {} (approved by {}); {} finding(s) not waived",
            e.rule, e.address, e.expires, e.approved_by, e.matches
        );
    }
    out
}

/// What `-v` adds, for standard error in every format: each view with a value known only
/// after apply, each view whose owner is outside the code, and the notes on what was not
/// evaluated.
pub fn verbose_text(report: &CheckReport) -> String {
    let mut out = String::new();
    let mut views: Vec<&CheckedView> = report.views.iter().collect();
    views.sort_by(|a, b| (&a.address, &a.id).cmp(&(&b.address, &b.id)));
    for v in views.iter().filter(|v| v.outside_code) {
        let _ = writeln!(
            out,
            "plumb: owner outside the code: {} {} is not declared here; judged on {} (its other settings are unknown)",
            v.vtype,
            v.id,
            if v.settings.is_empty() { "nothing".to_string() } else { v.settings.join(", ") }
        );
    }
    for v in views.iter().filter(|v| !v.unknown.is_empty() && !v.outside_code) {
        let at = v.address.clone().unwrap_or_else(|| v.id.clone());
        let _ = writeln!(out, "plumb: cannot evaluate {at}: {} (known only after apply)", v.unknown.join(", "));
    }
    for n in &report.notes {
        let _ = writeln!(out, "plumb: note: {n}");
    }
    out
}

/// Addresses of the resources a view's settings come from (every `address` in it but the
/// owner's), sorted.
pub fn setting_addresses(v: &serde_json::Value) -> Vec<String> {
    let mut out = std::collections::BTreeSet::new();
    let mut stack: Vec<&serde_json::Value> = match v {
        serde_json::Value::Object(m) => m.iter().filter(|(k, _)| *k != "address").map(|(_, x)| x).collect(),
        _ => Vec::new(),
    };
    while let Some(j) = stack.pop() {
        match j {
            serde_json::Value::Object(m) => {
                if let Some(serde_json::Value::String(a)) = m.get("address") {
                    out.insert(a.clone());
                }
                stack.extend(m.values());
            }
            serde_json::Value::Array(a) => stack.extend(a),
            _ => {}
        }
    }
    out.into_iter().collect()
}

/// Resource address -> address of the view owner it is joined into, for every resource a
/// view names (an `address` anywhere in its value) that owns no view itself. When several
/// views name one resource (a parameter group shared by two instances), the first in view
/// order wins, so the map is deterministic.
pub fn owners(views: &[crate::rules::views::JoinedView]) -> BTreeMap<String, String> {
    let owning: std::collections::BTreeSet<&str> = views.iter().filter_map(|v| v.address.as_deref()).collect();
    let mut out = BTreeMap::new();
    for v in views {
        let Some(owner) = &v.address else { continue };
        let mut stack = vec![&v.value];
        while let Some(j) = stack.pop() {
            match j {
                serde_json::Value::Object(m) => {
                    if let Some(serde_json::Value::String(a)) = m.get("address")
                        && !owning.contains(a.as_str())
                    {
                        out.entry(a.clone()).or_insert_with(|| owner.clone());
                    }
                    stack.extend(m.values());
                }
                serde_json::Value::Array(a) => stack.extend(a),
                _ => {}
            }
        }
    }
    out
}

/// Every field path listed in a view's `unknown` arrays (`encryption.kms_master_key_id`).
pub fn unknown_paths(v: &serde_json::Value) -> Vec<String> {
    let mut out = Vec::new();
    walk(v, "", &mut out);
    out.sort();
    out.dedup();
    out
}

fn walk(v: &serde_json::Value, prefix: &str, out: &mut Vec<String>) {
    let join = |k: &str| if prefix.is_empty() { k.to_string() } else { format!("{prefix}.{k}") };
    match v {
        serde_json::Value::Object(m) => {
            if let Some(serde_json::Value::Array(u)) = m.get("unknown") {
                out.extend(u.iter().filter_map(|x| x.as_str()).map(join));
            }
            for (k, x) in m {
                if k != "unknown" {
                    walk(x, &join(k), out);
                }
            }
        }
        serde_json::Value::Array(a) => {
            for (i, x) in a.iter().enumerate() {
                walk(x, &format!("{prefix}[{i}]"), out);
            }
        }
        _ => {}
    }
}

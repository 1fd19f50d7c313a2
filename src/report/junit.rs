//! JUnit XML for CI test tabs: one test suite per rule, one test case per rule and the
//! resource (joined view) it judged; a finding is a failure, a waived one is skipped.
//! `plumb scan` adds a drift suite (`report::export`).

use std::fmt::Write;

use super::check::{CheckReport, CheckedView, location, subject};
use crate::rules::{Finding, RuleMeta};

/// One test case.
#[derive(Debug, Clone, Default)]
pub struct Case {
    pub classname: String,
    pub name: String,
    pub file: Option<String>,
    pub line: Option<u32>,
    /// `(type, message, text)` per failure; any makes the case failed.
    pub failures: Vec<(String, String, String)>,
    /// Why the case was skipped (only when it has no failure).
    pub skipped: Option<String>,
    /// The case could not be judged: the message of what failed (a rule that failed at run time).
    pub error: Option<String>,
}

/// One test suite.
#[derive(Debug, Clone, Default)]
pub struct Suite {
    pub name: String,
    pub cases: Vec<Case>,
}

pub fn render(report: &CheckReport) -> String {
    let mut suites = rule_suites(&report.rules, &report.views, &report.findings);
    suites.extend(error_suite(&report.errors));
    render_suites("plumb check", &suites)
}

/// A rule that failed at run time is an error of its own suite: its findings are unknown, never
/// a pass.
pub fn error_suite(errors: &[String]) -> Option<Suite> {
    if errors.is_empty() {
        return None;
    }
    let cases = errors
        .iter()
        .map(|e| Case {
            classname: "plumb".into(),
            name: "rule evaluation".into(),
            error: Some(e.clone()),
            ..Case::default()
        })
        .collect();
    Some(Suite { name: "rule evaluation".into(), cases })
}

/// One suite per rule (sorted by id), one case per view of the rule's kinds.
pub fn rule_suites(rules: &[RuleMeta], views: &[CheckedView], findings: &[Finding]) -> Vec<Suite> {
    let mut rules: Vec<_> = rules.iter().collect();
    rules.sort_by(|a, b| a.id.cmp(&b.id));
    let mut suites = Vec::new();
    for rule in rules {
        let mut views: Vec<_> = views.iter().filter(|v| rule.resource_types.contains(&v.vtype)).collect();
        views.sort_by(|a, b| (&a.address, &a.id).cmp(&(&b.address, &b.id)));
        let mut cases = Vec::new();
        for v in views {
            let mut case = Case {
                classname: rule.id.clone(),
                name: v.address.clone().unwrap_or_else(|| v.id.clone()),
                file: v.file.clone(),
                line: v.line,
                ..Case::default()
            };
            let found: Vec<_> = findings.iter().filter(|f| f.rule_id == rule.id && f.id == v.id).collect();
            if !found.is_empty() && found.iter().all(|f| f.waived) {
                case.skipped = Some("waived".into());
            }
            for f in found.iter().filter(|f| !f.waived) {
                case.failures.push((
                    f.severity.to_string(),
                    f.message.clone(),
                    format!("{} {}: {}\nFix: {}", location(f), subject(f), f.message, rule.remediation),
                ));
            }
            cases.push(case);
        }
        suites.push(Suite { name: format!("{}: {}", rule.id, rule.title), cases });
    }
    suites
}

/// The XML document: `<testsuites name=...>` with totals, then each suite.
pub fn render_suites(name: &str, suites: &[Suite]) -> String {
    let mut out = String::new();
    let (mut total, mut failures, mut skipped, mut errors) = (0usize, 0usize, 0usize, 0usize);
    for suite in suites {
        let mut cases = String::new();
        let (mut fail, mut skip, mut error) = (0usize, 0usize, 0usize);
        for c in &suite.cases {
            let mut attrs = format!(r#"classname="{}" name="{}""#, esc(&c.classname), esc(&c.name));
            if let Some(file) = &c.file {
                let _ = write!(attrs, r#" file="{}""#, esc(file));
            }
            if let Some(line) = c.line.filter(|l| *l > 0) {
                let _ = write!(attrs, r#" line="{line}""#);
            }
            if let Some(message) = &c.error {
                error += 1;
                let _ = writeln!(cases, "    <testcase {attrs}>");
                let _ = writeln!(cases, r#"      <error message="{}"/>"#, esc(message));
                let _ = writeln!(cases, "    </testcase>");
                continue;
            }
            if c.failures.is_empty() && c.skipped.is_none() {
                let _ = writeln!(cases, "    <testcase {attrs}/>");
                continue;
            }
            let _ = writeln!(cases, "    <testcase {attrs}>");
            if c.failures.is_empty() {
                skip += 1;
                let _ = writeln!(cases, r#"      <skipped message="{}"/>"#, esc(c.skipped.as_deref().unwrap_or("")));
            } else {
                fail += 1;
                for (kind, message, text) in &c.failures {
                    let _ = writeln!(
                        cases,
                        r#"      <failure type="{}" message="{}">{}</failure>"#,
                        esc(kind),
                        esc(message),
                        esc(text)
                    );
                }
            }
            let _ = writeln!(cases, "    </testcase>");
        }
        let n = suite.cases.len();
        total += n;
        failures += fail;
        skipped += skip;
        errors += error;
        let _ = writeln!(
            out,
            r#"  <testsuite name="{}" tests="{n}" failures="{fail}" errors="{error}" skipped="{skip}">"#,
            esc(&suite.name)
        );
        out.push_str(&cases);
        out.push_str("  </testsuite>\n");
    }
    format!(
        "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<testsuites name=\"{}\" tests=\"{total}\" failures=\"{failures}\" errors=\"{errors}\" skipped=\"{skipped}\">\n{out}</testsuites>\n",
        esc(name)
    )
}

fn esc(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&apos;"),
            '\n' => out.push_str("&#10;"),
            c if (c as u32) < 0x20 && c != '\t' => {}
            c => out.push(c),
        }
    }
    out
}

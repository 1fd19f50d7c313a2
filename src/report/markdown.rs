//! A compact pull-request comment: a verdict line, counts, then the failing findings
//! grouped by severity with `file:line`, each group collapsible so a long list does not
//! bury the conversation.

use std::fmt::Write;

use super::check::{CheckReport, location, subject};
use crate::rules::Severity;

/// A marker a CI step can search for to update its previous comment instead of adding one.
pub const MARKER: &str = "<!-- plumb-check -->";

pub fn render(report: &CheckReport) -> String {
    let mut out = String::new();
    let c = &report.summary.findings;
    let failing = report.summary.failing;
    let _ = writeln!(out, "{MARKER}");
    if !report.errors.is_empty() {
        let _ =
            writeln!(out, "### :warning: Plumb check incomplete: {} rule(s) failed to evaluate", report.errors.len());
        let _ = writeln!(out);
        for e in &report.errors {
            let _ = writeln!(out, "- {}", md(e));
        }
        let _ = writeln!(out);
    } else if failing == 0 {
        let _ = writeln!(out, "### :white_check_mark: Plumb check passed");
    } else {
        let gate = match report.fail_on {
            crate::rules::policy::FailOn::AtLeast(min) => format!(" at or above {min}"),
            _ => String::new(),
        };
        let _ = writeln!(
            out,
            "### :x: Plumb check: {failing} failing finding{}{gate}",
            if failing == 1 { "" } else { "s" },
        );
    }
    let _ = writeln!(out);
    let _ = writeln!(out, "| Critical | High | Medium | Low | Waived | Resources | Rules |");
    let _ = writeln!(out, "|---:|---:|---:|---:|---:|---:|---:|");
    let _ = writeln!(
        out,
        "| {} | {} | {} | {} | {} | {} | {} |",
        c.critical, c.high, c.medium, c.low, c.waived, report.summary.resources, report.summary.rules
    );
    let _ = writeln!(out);
    let _ = writeln!(out, "{}", crate::rules::policy::frameworks_line(&report.summary.frameworks));
    for e in &report.expired_waivers {
        let _ = writeln!(out);
        let _ = writeln!(
            out,
            ":warning: Expired waiver: {} on `{}` expired {} (approved by {}); {} finding(s) no longer waived",
            e.rule,
            e.address,
            e.expires,
            md(&e.approved_by),
            e.matches
        );
    }
    for sev in [Severity::Critical, Severity::High, Severity::Medium, Severity::Low] {
        let group: Vec<_> = report.findings.iter().filter(|f| !f.waived && f.severity == sev).collect();
        if group.is_empty() {
            continue;
        }
        let open = if sev >= Severity::High { " open" } else { "" };
        let _ = writeln!(out);
        let _ = writeln!(out, "<details{open}><summary><b>{}</b> ({})</summary>", title(sev), group.len());
        let _ = writeln!(out);
        for f in group {
            let at = location(f);
            let at = if at.is_empty() { String::new() } else { format!("`{at}` ") };
            let via = match report.module_call(f) {
                Some(c) => format!(" (via `{}` at `{}:{}`)", c.address, c.file, c.line),
                None => String::new(),
            };
            let _ = writeln!(out, "- **{}** {at}`{}`: {}{via}", f.rule_id, subject(f), md(&f.message));
        }
        let _ = writeln!(out);
        let _ = writeln!(out, "</details>");
    }
    let waived: Vec<_> = report.findings.iter().filter(|f| f.waived).collect();
    if !waived.is_empty() {
        let _ = writeln!(out);
        let _ = writeln!(out, "<details><summary>Waived ({})</summary>", waived.len());
        let _ = writeln!(out);
        for f in waived {
            let _ = writeln!(out, "- {} `{}` `{}`", f.rule_id, location(f), subject(f));
        }
        let _ = writeln!(out);
        let _ = writeln!(out, "</details>");
    }
    if !report.pending.is_empty() || !report.drift.is_empty() {
        let _ = writeln!(out);
        let _ = writeln!(
            out,
            "<details><summary>Not applied yet: {}; changed outside Terraform: {}</summary>",
            report.pending.len(),
            report.drift.len()
        );
        let _ = writeln!(out);
        for p in &report.pending {
            let paths: Vec<&str> = p.changes.iter().map(|c| c.path.as_str()).collect();
            let _ = writeln!(out, "- {:?} `{}` {}", p.kind, p.address, paths.join(", "));
        }
        for d in &report.drift {
            let _ = writeln!(out, "- drift `{}`: {}", d.address, d.changed.join(", "));
        }
        let _ = writeln!(out);
        let _ = writeln!(out, "</details>");
    }
    out
}

fn title(s: Severity) -> &'static str {
    match s {
        Severity::Critical => "Critical",
        Severity::High => "High",
        Severity::Medium => "Medium",
        Severity::Low => "Low",
    }
}

/// Keep a message on its line and out of HTML.
fn md(s: &str) -> String {
    s.replace('\n', " ").replace('<', "&lt;").replace('>', "&gt;")
}

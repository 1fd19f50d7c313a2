//! The findings part of the text report: grouped by severity (critical first), one block
//! per finding (rule, where, message, controls), expired waivers, and a summary line.

use std::fmt::Write;

use owo_colors::OwoColorize;

use super::ScanReport;
use crate::rules::{Finding, Severity};

const ORDER: [Severity; 4] = [Severity::Critical, Severity::High, Severity::Medium, Severity::Low];

/// Text lines fit a terminal (a word longer than that, an ARN, overflows).
const WIDTH: usize = 100;

/// The findings blocks (nothing when there are none), to go after the drift section.
pub fn render_findings(out: &mut String, report: &ScanReport, color: bool) {
    if report.findings.is_empty() && report.expired_waivers.is_empty() {
        return;
    }
    let bold = |s: &str| if color { s.bold().to_string() } else { s.to_string() };
    if !report.findings.is_empty() {
        let _ = writeln!(out, "{}\n", bold("Hardening findings (live view)"));
    }
    let width = report.findings.iter().map(|f| f.rule_id.len()).max().unwrap_or(0);
    for sev in ORDER {
        let group: Vec<&Finding> = report.findings.iter().filter(|f| f.severity == sev && !f.aws_default).collect();
        if group.is_empty() {
            continue;
        }
        let _ = writeln!(out, "{}", paint_severity(sev, color));
        for f in group {
            let waived = if f.waived { "  (waived)" } else { "" };
            let line = format!("  {:<width$}  {}{waived}", f.rule_id, location(f));
            let _ = writeln!(out, "{}", if color && f.waived { line.dimmed().to_string() } else { line });
            out.push_str(&super::wrap(&f.message, "      ", WIDTH));
            if let Some(fix) = report.remediation.get(&f.rule_id) {
                out.push_str(&super::wrap(&format!("fix: {fix}"), "      ", WIDTH));
            }
            let controls = controls(f);
            if !controls.is_empty() {
                out.push_str(&super::wrap(&controls, "      ", WIDTH));
            }
        }
        out.push('\n');
    }
    // Findings on what AWS created itself (every region's default VPC, subnets and security
    // group): one line per rule, waivable in one entry.
    let defaults: Vec<&Finding> = report.findings.iter().filter(|f| f.aws_default).collect();
    if !defaults.is_empty() {
        let _ = writeln!(out, "{}", bold("On resources AWS created (default VPCs, subnets, security groups)"));
        let mut by_rule: std::collections::BTreeMap<&str, Vec<&Finding>> = std::collections::BTreeMap::new();
        for f in defaults {
            by_rule.entry(f.rule_id.as_str()).or_default().push(f);
        }
        for (rule, fs) in by_rule {
            let open = fs.iter().filter(|f| !f.waived).count();
            let state = if open == 0 { "waived".to_string() } else { format!("{open} open") };
            let ids: Vec<&str> = fs.iter().take(3).map(|f| f.id.as_str()).collect();
            let more = if fs.len() > 3 { format!(" (+{} more)", fs.len() - 3) } else { String::new() };
            let _ =
                writeln!(out, "  {rule:<width$}  {} {} ({state}): {}{more}", fs.len(), fs[0].severity, ids.join(", "));
        }
        let _ = writeln!(
            out,
            "  To accept them, one waiver entry: `rule: \"HS-VPC-*\"`, `address: aws-default` (docs/rules-in-scan.md)\n"
        );
    }
    if !report.expired_waivers.is_empty() {
        let _ = writeln!(out, "{}", bold("Expired waivers (ignored)"));
        for w in &report.expired_waivers {
            let _ = writeln!(
                out,
                "  {} on {}: expired {} (approved by {}); {} finding(s) not waived",
                w.rule, w.address, w.expires, w.approved_by, w.matches
            );
        }
        out.push('\n');
    }
}

/// `Findings: 1 critical, 2 high, 0 medium, 0 low, 1 waived; controls with open findings: HIPAA 3/20, ...`
pub fn summary_line(report: &ScanReport, color: bool) -> String {
    let c = &report.summary.findings;
    let label = if color { "Findings:".bold().to_string() } else { "Findings:".to_string() };
    let counts = if c.critical + c.high + c.medium + c.low + c.waived == 0 {
        // Never a clean result for what was not read.
        if report.complete { "none".to_string() } else { "none among what was read (scan incomplete)".to_string() }
    } else {
        format!("{} critical, {} high, {} medium, {} low, {} waived", c.critical, c.high, c.medium, c.low, c.waived)
    };
    let fw = &report.summary.frameworks;
    if fw.is_empty() {
        format!("{label} {counts}")
    } else {
        format!("{label} {counts}; {}", crate::rules::policy::frameworks_line(fw))
    }
}

/// Managed: `address (id X)`; unmanaged: `type id (unmanaged)`.
fn location(f: &Finding) -> String {
    match &f.address {
        Some(a) => format!("{a} (id {})", f.id),
        None => format!("{} {} (unmanaged)", f.rtype, f.id),
    }
}

/// `HIPAA 164.312(b), 164.308(a)(1)(ii)(B); SOC 2 CC6.6; GDPR Art. 32`, frameworks without
/// a mapping left out.
fn controls(f: &Finding) -> String {
    f.controls
        .frameworks()
        .iter()
        .filter(|(.., c)| !c.is_empty())
        .map(|(_, name, c)| format!("{name} {}", c.join(", ")))
        .collect::<Vec<_>>()
        .join("; ")
}

fn paint_severity(sev: Severity, color: bool) -> String {
    let name = match sev {
        Severity::Critical => "Critical",
        Severity::High => "High",
        Severity::Medium => "Medium",
        Severity::Low => "Low",
    };
    if !color {
        return name.to_string();
    }
    match sev {
        Severity::Critical => name.red().bold().to_string(),
        Severity::High => name.red().to_string(),
        Severity::Medium => name.yellow().to_string(),
        Severity::Low => name.to_string(),
    }
}

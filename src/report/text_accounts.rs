//! The text report of a run over several accounts (`--config`): the run's totals, one line per
//! account, then each account's own report (the single-account layout) under its heading.

use std::fmt::Write;

use owo_colors::OwoColorize;

use super::{ScanReport, ScopeAccount};

pub fn render(report: &ScanReport, accounts: &[ScopeAccount], color: bool) -> String {
    let bold = |s: &str| if color { s.bold().to_string() } else { s.to_string() };
    let mut out = String::new();
    let s = &report.summary;
    let incomplete = accounts.iter().filter(|a| !a.complete).count();
    let part = report
        .scope
        .as_ref()
        .and_then(|sc| sc.part.as_ref())
        .map(|p| format!("; run {} shard {}/{}", p.run_id, p.shard, p.shards))
        .unwrap_or_default();
    let _ = writeln!(
        out,
        "{} {} account{} ({} complete, {incomplete} incomplete){part}",
        bold("Accounts:"),
        accounts.len(),
        if accounts.len() == 1 { "" } else { "s" },
        accounts.len() - incomplete
    );
    let _ = writeln!(
        out,
        "{} {} in sync, {} drifted, {} missing, {} unmanaged{}",
        bold("Summary:"),
        s.in_sync,
        s.drifted,
        s.missing,
        s.unmanaged,
        if s.not_judged > 0 { format!("; {} not judged", s.not_judged) } else { String::new() }
    );
    let _ = writeln!(out, "{}", super::text_findings::summary_line(report, color));
    let verdict = match (report.complete, report.has_drift()) {
        (false, _) => "Scan incomplete.",
        (true, true) => "Drift detected.",
        (true, false) => "No drift: live AWS matches the Terraform state in every account.",
    };
    let _ = writeln!(out, "{verdict}");
    // Errors that belong to no account (Organizations discovery).
    let general: Vec<_> = report.errors.iter().filter(|e| e.account.is_none()).collect();
    for e in &general {
        let _ = writeln!(out, "  ! {} in {}: {} ({})", e.service, e.region, e.code, e.message);
    }
    out.push('\n');
    for a in accounts {
        let name = if a.name == a.id { String::new() } else { format!(" ({})", a.name) };
        let _ = writeln!(
            out,
            "{}",
            bold(&format!(
                "== Account {}{name}: {}; {} ==",
                a.id,
                a.regions.join(", "),
                if a.complete { "complete" } else { "INCOMPLETE" }
            ))
        );
        let mine = report.only_account(&a.id);
        if mine.resources.is_empty() && !a.complete {
            // Nothing of it could be read: the cause once, not every type it covers.
            for e in &mine.errors {
                let _ = writeln!(out, "  ! {} in {}: {} ({})", e.service, e.region, e.code, e.message);
            }
            let _ = writeln!(
                out,
                "  Nothing of this account was judged: {} state resource{} not judged, none reported missing.",
                mine.not_judged.len(),
                if mine.not_judged.len() == 1 { "" } else { "s" }
            );
        } else {
            out.push_str(&super::text::render_one(&mine, color));
        }
        out.push_str("\n\n");
    }
    while out.ends_with("\n\n") {
        out.pop();
    }
    out
}

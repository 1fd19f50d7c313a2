//! Human text, shaped like `terraform plan`: one block per resource that is not in sync,
//! `~` for changed attributes, `-` for missing, `+` for unmanaged; colour on a terminal.

use std::fmt::Write;

use owo_colors::OwoColorize;

use super::ScanReport;
use crate::diff::{Change, Judged, Status};
use crate::model::Value;

pub fn render(report: &ScanReport, color: bool) -> String {
    match report.scope.as_ref().map(|s| s.accounts.as_slice()) {
        Some(accounts @ [_, ..]) => super::text_accounts::render(report, accounts, color),
        _ => render_one(report, color),
    }
}

/// The report of one account (a whole single-account run, or one account's part of a run over
/// several).
pub fn render_one(report: &ScanReport, color: bool) -> String {
    let mut out = String::new();
    let paint = |s: &str, status: Status| -> String {
        if !color {
            return s.to_string();
        }
        match status {
            Status::Drifted => s.yellow().to_string(),
            Status::Missing => s.red().to_string(),
            Status::Unmanaged => s.green().to_string(),
            Status::InSync => s.to_string(),
        }
    };
    let bold = |s: &str| if color { s.bold().to_string() } else { s.to_string() };

    // On-call reading order: the verdict first, then what failed to be read, what drifted,
    // what is expected, the findings, and what was not judged.
    let s = &report.summary;
    // Coverage of an incomplete scan is unknown: what was not read cannot count as covered.
    let coverage = if report.complete {
        format!("coverage {:.1}%", s.coverage_percent.unwrap_or_default())
    } else {
        "coverage unknown (scan incomplete)".to_string()
    };
    let _ = writeln!(
        out,
        "{} {} in sync, {} drifted, {} missing, {} unmanaged; {coverage}{}",
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
        (true, false) => "No drift: live AWS matches the Terraform state.",
    };
    let _ = writeln!(out, "{verdict}");
    out.push('\n');

    if !report.errors.is_empty() {
        let _ = writeln!(out, "{}", bold("Incomplete: some reads failed; their types are not judged"));
        // Once per cause: the same failure of one service in one region covers all its types.
        let mut causes: Vec<(&crate::model::ReadError, Vec<&str>)> = Vec::new();
        for e in &report.errors {
            match causes.iter_mut().find(|(c, _)| {
                (&c.service, &c.region, &c.code, &c.message) == (&e.service, &e.region, &e.code, &e.message)
            }) {
                Some((_, types)) => types.extend(e.affected_types.iter().map(String::as_str)),
                None => causes.push((e, e.affected_types.iter().map(String::as_str).collect())),
            }
        }
        for (e, mut types) in causes {
            if e.service == "rules" {
                let _ = writeln!(out, "  ! {}; its findings are unknown", e.message);
                continue;
            }
            types.sort_unstable();
            types.dedup();
            let judged = if types.is_empty() { String::new() } else { format!("; not judged: {}", types.join(", ")) };
            let _ = writeln!(out, "  ! {} in {}: {} ({}){judged}", e.service, e.region, e.code, e.message);
        }
        out.push('\n');
    }

    for r in report.resources.iter().filter(|r| r.status != Status::InSync) {
        let _ = writeln!(out, "{}", paint(&header(r), r.status));
        for c in &r.changes {
            render_change(&mut out, c, color);
        }
        match r.attribution.as_deref() {
            Some([]) => out.push_str("    no cause found in CloudTrail\n"),
            Some(causes) => causes.iter().for_each(|a| {
                let _ = writeln!(out, "    {}", crate::attribution::sentence(a, r.status));
            }),
            None => {}
        }
        out.push('\n');
    }

    render_ignored(&mut out, report, &bold);

    super::text_findings::render_findings(&mut out, report, color);

    render_not_judged(&mut out, report, &bold);
    while out.ends_with("\n\n") {
        out.pop();
    }
    out
}

/// Changes reported as expected, and ignore-file entries that did nothing this run.
fn render_ignored(out: &mut String, report: &ScanReport, bold: &dyn Fn(&str) -> String) {
    let ignored: Vec<&Judged> = report.resources.iter().filter(|r| !r.ignored.is_empty()).collect();
    if !ignored.is_empty() {
        let _ = writeln!(out, "{}", bold("Ignored changes (expected, not drift)"));
        for r in ignored {
            let name = r.address.clone().unwrap_or_else(|| format!("{} {}", r.rtype, r.id));
            for i in &r.ignored {
                let c = &i.change;
                let values = match (&c.added, &c.removed) {
                    (Some(a), Some(d)) => format!("+{} -{}", a.len(), d.len()),
                    _ => format!("{} -> {}", c.state, c.live),
                };
                let _ = writeln!(out, "  {name}: {} = {values}", c.path);
                let _ = writeln!(out, "      {} ({})", i.reason, i.by);
            }
        }
        out.push('\n');
    }
    if !report.stale_ignores.is_empty() {
        let _ = writeln!(out, "{}", bold("Ignore entries that did nothing"));
        for s in &report.stale_ignores {
            let why = match s.state {
                "expired" => "expired: its changes count as drift again",
                _ => "matched no change in this run",
            };
            let _ = writeln!(out, "  {} {}: {why} ({})", s.address, s.paths.join(", "), s.by);
        }
        out.push('\n');
    }
}

/// State resources Plumb did not judge, by reason and type, so that nobody reads a clean
/// summary as covering them. At most a few addresses per type: the JSON report has them all.
fn render_not_judged(out: &mut String, report: &ScanReport, bold: &dyn Fn(&str) -> String) {
    // Resources that are no AWS object (`random_pet`) are listed apart: not a gap in the scan.
    let (outside, gaps): (Vec<_>, Vec<_>) = report.not_judged.iter().partition(|n| n.reason == crate::diff::NOT_AWS);
    if !gaps.is_empty() {
        let heading =
            format!("Not judged ({} state {})", gaps.len(), if gaps.len() == 1 { "resource" } else { "resources" });
        render_by_reason(out, &bold(&heading), &gaps);
    }
    if !outside.is_empty() {
        let heading = format!(
            "Not AWS objects, outside the scan ({} state {})",
            outside.len(),
            if outside.len() == 1 { "resource" } else { "resources" }
        );
        render_by_reason(out, &heading, &outside);
    }
}

fn render_by_reason(out: &mut String, heading: &str, not_judged: &[&crate::diff::NotJudged]) {
    const SHOWN: usize = 3;
    let _ = writeln!(out, "{heading}");
    let mut by_reason: std::collections::BTreeMap<&str, std::collections::BTreeMap<&str, Vec<&str>>> =
        std::collections::BTreeMap::new();
    for n in not_judged {
        by_reason.entry(n.reason.as_str()).or_default().entry(n.rtype.as_str()).or_default().push(&n.address);
    }
    for (reason, types) in by_reason {
        let count: usize = types.values().map(Vec::len).sum();
        let _ = writeln!(out, "  {reason} ({count}):");
        for (rtype, addresses) in types {
            let more = addresses.len().saturating_sub(SHOWN);
            let shown = addresses.iter().take(SHOWN).copied().collect::<Vec<_>>().join(", ");
            let tail = if more > 0 { format!(" (+{more} more)") } else { String::new() };
            let _ = writeln!(out, "    {rtype}: {shown}{tail}");
        }
    }
    out.push('\n');
}

fn header(r: &Judged) -> String {
    let name = match &r.address {
        Some(a) => a.clone(),
        None => format!("{} {}", r.rtype, r.id),
    };
    let region = r.region.as_deref().map(|g| format!(", {g}")).unwrap_or_default();
    match r.status {
        Status::Drifted => format!("~ {name} (id {}{region}) has changed outside of Terraform", r.id),
        Status::Missing => format!("- {name} (id {}{region}) is in state but gone from AWS", r.id),
        Status::Unmanaged => {
            format!("+ {name}{} exists in AWS but no scanned state manages it", region.replacen(", ", " in ", 1))
        }
        Status::InSync => format!("  {name} is in sync"),
    }
}

fn render_change(out: &mut String, c: &Change, color: bool) {
    let red = |s: String| if color { s.red().to_string() } else { s };
    let green = |s: String| if color { s.green().to_string() } else { s };
    match (&c.added, &c.removed) {
        (Some(added), Some(removed)) => {
            let _ = writeln!(out, "    ~ {}", c.path);
            for r in removed {
                let _ = writeln!(out, "{}", red(format!("        - {}", compact(r))));
            }
            for a in added {
                let _ = writeln!(out, "{}", green(format!("        + {}", compact(a))));
            }
        }
        _ => {
            let _ = writeln!(out, "    ~ {} = {} -> {}", c.path, red(c.state.to_string()), green(c.live.to_string()));
        }
    }
}

/// A set element without its null fields: `{"cidr_blocks":["0.0.0.0/0"],"from_port":22,...}`
/// reads better than the same with six nulls.
fn compact(v: &Value) -> Value {
    match v {
        Value::Map(m) => {
            Value::Map(m.iter().filter(|(_, x)| !x.is_null()).map(|(k, x)| (k.clone(), compact(x))).collect())
        }
        Value::List(l) => Value::List(l.iter().map(compact).collect()),
        other => other.clone(),
    }
}

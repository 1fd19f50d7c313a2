//! What Plumb knows about each resource type, as a table for people (`plumb types`,
//! `docs/coverage.md`) and JSON for tools: read live or not, how many CloudTrail write events
//! are mapped, which joined view the rules see it in, and what `plumb blame` follows from it.

use std::fmt::Write as _;

use serde::Serialize;

/// One declared type.
#[derive(Debug, Clone, Serialize)]
pub struct TypeCoverage {
    #[serde(rename = "type")]
    pub rtype: &'static str,
    pub service: &'static str,
    /// Read live by `plumb scan` (else reported as not judged).
    pub read_live: bool,
    /// Read once per account (IAM), not per region.
    pub global: bool,
    /// CloudTrail write events mapped (`plumb blame`, `scan --cloudtrail`).
    pub write_events: usize,
    /// The view kind it owns, or the view kinds it is a part of.
    pub views: Vec<&'static str>,
    /// The owner it is judged through (a bucket's split setting, a group's rule).
    pub part_of: Option<&'static str>,
    /// What `plumb blame` follows from it.
    pub links: Vec<String>,
}

/// Every declared type, sorted by name.
pub fn table() -> Vec<TypeCoverage> {
    let mut out: Vec<TypeCoverage> = super::types()
        .map(|t| TypeCoverage {
            rtype: t.name,
            service: t.service,
            read_live: t.read.is_some(),
            global: t.read.is_some_and(|r| r.global),
            write_events: t.events.len(),
            views: t.view.map(|v| vec![v.kind]).unwrap_or_else(|| t.part_of_views.to_vec()),
            part_of: t.parent,
            links: t.links.iter().map(|l| format!("{} ({})", l.role, l.rtype)).collect(),
        })
        .collect();
    out.sort_by_key(|t| t.rtype);
    out
}

/// `docs/coverage.md`.
pub fn markdown() -> String {
    let rows = table();
    let read = rows.iter().filter(|r| r.read_live).count();
    let mut out = String::new();
    let _ = writeln!(out, "# Resource types Plumb knows\n");
    let _ = writeln!(
        out,
        "Generated from the type declarations in `src/aws/` (`plumb types` prints the same; \
         `tests/coverage_doc.rs` fails when this page is stale). {read} of {} types are read live; \
         a state resource of a type not read live is reported as not judged, never as in sync.\n",
        rows.len()
    );
    let _ = writeln!(out, "| type | service | read live | write events | rules view | part of | blame follows |");
    let _ = writeln!(out, "| --- | --- | --- | ---: | --- | --- | --- |");
    for r in rows {
        let live = match (r.read_live, r.global) {
            (true, true) => "yes (account-wide)",
            (true, false) => "yes",
            _ => "no",
        };
        let _ = writeln!(
            out,
            "| `{}` | {} | {live} | {} | {} | {} | {} |",
            r.rtype,
            r.service,
            r.write_events,
            r.views.iter().map(|v| format!("`{v}`")).collect::<Vec<_>>().join(", "),
            r.part_of.map(|p| format!("`{p}`")).unwrap_or_default(),
            r.links.join(", ")
        );
    }
    out
}

/// `plumb types`: one line per type.
pub fn text() -> String {
    let rows = table();
    let width = rows.iter().map(|r| r.rtype.len()).max().unwrap_or(0);
    let mut out = String::new();
    for r in &rows {
        let live = if r.read_live { "read live" } else { "not read " };
        let _ = writeln!(out, "{:<width$}  {live}  {:>2} write events  {}", r.rtype, r.write_events, r.service);
    }
    let read = rows.iter().filter(|r| r.read_live).count();
    let _ = writeln!(out, "\n{read} of {} types read live", rows.len());
    out
}

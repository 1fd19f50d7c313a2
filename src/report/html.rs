//! The ledger's HTML report (`plumb report --format html`): one self-contained file (inline CSS,
//! inline SVG, no scripts, no external loads) that reads on screen and prints to PDF.
//!
//! Sections: integrity of the ledger, summary of the latest run, drift and findings over time,
//! open items with age and attribution, per-framework control status, resolved items, recent runs.

use std::collections::BTreeMap;
use std::fmt::Write as _;

use crate::ledger::history::human_duration;
use crate::ledger::{Entry, History, Kind, Verification};

/// Resolved items listed in full; older ones are counted (`plumb history` lists all).
pub const RESOLVED_SHOWN: usize = 200;
/// Runs listed in the table of recent runs (the chart shows all).
pub const RUNS_SHOWN: usize = 30;

pub struct Input<'a> {
    /// The ledger's location, without password.
    pub ledger: &'a str,
    /// When the report was generated (RFC 3339).
    pub generated_at: &'a str,
    pub history: &'a History,
    pub verification: &'a Verification,
    /// What only the latest run's stored report holds: its scope and the drifted values.
    pub latest: Option<&'a Latest>,
}

/// The latest run's scope and before → after values, from its stored JSON report.
#[derive(Debug, Clone, Default)]
pub struct Latest {
    pub seq: i64,
    pub scope: Option<super::RunScope>,
    /// (address or `type/id`, status) -> (path, value in state, value live), as the report has
    /// them (secrets already `(sensitive)`).
    pub changes: BTreeMap<(String, String), Vec<(String, serde_json::Value, serde_json::Value)>>,
}

impl Latest {
    /// Read what the page needs from a stored report; a report that does not parse gives an
    /// empty `Latest` (the page then shows paths without values).
    pub fn from_report(seq: i64, report_json: &str) -> Latest {
        #[derive(serde::Deserialize)]
        struct R {
            #[serde(default)]
            scope: Option<super::RunScope>,
            #[serde(default)]
            resources: Vec<Res>,
        }
        #[derive(serde::Deserialize)]
        struct Res {
            #[serde(default)]
            account: Option<String>,
            #[serde(default)]
            address: Option<String>,
            #[serde(rename = "type", default)]
            rtype: String,
            #[serde(default)]
            id: String,
            #[serde(default)]
            status: String,
            #[serde(default)]
            changes: Vec<Ch>,
        }
        #[derive(serde::Deserialize)]
        struct Ch {
            path: String,
            #[serde(default)]
            state: serde_json::Value,
            #[serde(default)]
            live: serde_json::Value,
        }
        let Ok(r) = serde_json::from_str::<R>(report_json) else { return Latest { seq, ..Latest::default() } };
        let changes = r
            .resources
            .into_iter()
            .filter(|x| !x.changes.is_empty())
            .map(|x| {
                let subject =
                    crate::ledger::digest::subject(x.account.as_deref(), x.address.as_deref(), &x.rtype, &x.id);
                ((subject, x.status), x.changes.into_iter().map(|c| (c.path, c.state, c.live)).collect())
            })
            .collect();
        Latest { seq, scope: r.scope, changes }
    }

    /// A run recorded in parts: the parts' scopes and values as one (`seq` is the run's).
    pub fn merge(seq: i64, parts: Vec<Latest>) -> Latest {
        let mut out = Latest { seq, ..Latest::default() };
        for p in parts {
            out.changes.extend(p.changes);
            let Some(scope) = p.scope else { continue };
            match &mut out.scope {
                None => out.scope = Some(scope),
                Some(s) => {
                    s.accounts.extend(scope.accounts);
                    s.regions.extend(scope.regions);
                    s.states.extend(scope.states);
                    for (fw, controls) in scope.controls {
                        s.controls.entry(fw).or_default().extend(controls);
                    }
                    s.rule_set.skipped.extend(scope.rule_set.skipped);
                }
            }
        }
        if let Some(s) = &mut out.scope {
            s.accounts.sort_by(|a, b| a.id.cmp(&b.id));
            for v in [&mut s.regions, &mut s.states, &mut s.rule_set.skipped] {
                v.sort();
                v.dedup();
            }
            for v in s.controls.values_mut() {
                v.sort();
                v.dedup();
            }
        }
        out
    }
}

/// A timestamp that never wraps.
fn ts(s: &str) -> String {
    format!("<span class=\"ts\">{}</span>", esc(s))
}

/// A value for a before → after cell: compact JSON, shortened (the whole in the tooltip).
fn value_cell(v: &serde_json::Value, class: &str) -> String {
    let full = v.to_string();
    let shown = crate::report::export::shorten(&full, 160);
    if shown == full {
        format!("<code class=\"{class}\">{}</code>", esc(&full))
    } else {
        format!(
            "<code class=\"{class}\" title=\"{}\">{}</code>",
            esc(&crate::report::export::shorten(&full, 2000)),
            esc(&shown)
        )
    }
}

/// Escape text for HTML content and attribute values.
pub fn esc(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            c => out.push(c),
        }
    }
    out
}

const CSS: &str = r#"
:root { --ink:#1d2330; --muted:#5b6474; --line:#d9dee7; --bg:#f6f7f9; --ok:#1f7a4d; --bad:#b42318;
        --warn:#b54708; --drift:#d9480f; --missing:#7048e8; --unmanaged:#1971c2; --finding:#c2255c; }
* { box-sizing: border-box; }
body { margin: 0; font: 14px/1.45 -apple-system, "Segoe UI", Roboto, "Helvetica Neue", Arial, sans-serif;
       color: var(--ink); background: #fff; }
main { max-width: 1100px; margin: 0 auto; padding: 28px 32px 48px; }
h1 { font-size: 24px; margin: 0 0 4px; }
h2 { font-size: 17px; margin: 32px 0 10px; padding-bottom: 4px; border-bottom: 2px solid var(--ink); }
.meta { color: var(--muted); margin: 0 0 18px; }
code, .mono { font-family: ui-monospace, "SFMono-Regular", Menlo, Consolas, monospace; font-size: 12.5px; }
.integrity { border-radius: 6px; padding: 12px 16px; margin: 12px 0 4px; border: 1px solid; }
.integrity.ok { background: #ecfdf3; border-color: #abefc6; color: #054f31; }
.integrity.broken { background: #fef3f2; border-color: #fecdca; color: #7a271a; }
.integrity strong { font-size: 15px; }
.cards { display: grid; grid-template-columns: repeat(auto-fill, minmax(140px, 1fr)); gap: 10px; margin: 10px 0; }
.card { border: 1px solid var(--line); border-radius: 6px; padding: 10px 12px; background: var(--bg); break-inside: avoid; }
.card .n { font-size: 26px; font-weight: 650; line-height: 1.1; }
.card .l { color: var(--muted); font-size: 12px; text-transform: uppercase; letter-spacing: .04em; }
.card.alert .n { color: var(--bad); }
.card.good .n { color: var(--ok); }
table { width: 100%; border-collapse: collapse; margin: 6px 0 8px; font-size: 13px; }
th, td { text-align: left; vertical-align: top; padding: 5px 8px; border-bottom: 1px solid var(--line); }
th { background: var(--bg); font-weight: 600; font-size: 12px; color: var(--muted); text-transform: uppercase; letter-spacing: .03em; }
tr { break-inside: avoid; }
td.num, th.num { text-align: right; font-variant-numeric: tabular-nums; }
.pill { display: inline-block; padding: 0 7px; border-radius: 10px; font-size: 12px; font-weight: 600; white-space: nowrap; }
.s-drifted { background: #fff4e6; color: var(--drift); } .s-missing { background: #f3f0ff; color: var(--missing); }
.s-unmanaged { background: #e7f5ff; color: var(--unmanaged); }
.sev-critical { background: #7a271a; color: #fff; } .sev-high { background: #fee4e2; color: var(--bad); }
.sev-medium { background: #fef0c7; color: var(--warn); } .sev-low { background: #eef2f6; color: var(--muted); }
.c-failing { color: var(--bad); font-weight: 600; } .c-waived { color: var(--warn); font-weight: 600; }
.c-passing { color: var(--ok); font-weight: 600; }
.muted { color: var(--muted); }
.note { color: var(--muted); font-size: 12px; }
.chart { border: 1px solid var(--line); border-radius: 6px; padding: 8px; break-inside: avoid; }
.legend { display: flex; gap: 16px; flex-wrap: wrap; font-size: 12px; color: var(--muted); margin: 4px 6px 0; }
.legend i { display: inline-block; width: 12px; height: 12px; border-radius: 2px; margin-right: 5px; vertical-align: -2px; }
.fw { display: grid; grid-template-columns: repeat(auto-fit, minmax(300px, 1fr)); gap: 16px; }
.fw h3 { font-size: 14px; margin: 8px 0 2px; }
.ts, td.num { white-space: nowrap; }
.changes { margin: 0; padding: 0; list-style: none; }
.changes li { margin: 0 0 3px; }
code.before { background: #fef3f2; color: #7a271a; padding: 0 3px; border-radius: 3px; word-break: break-all; }
code.after { background: #ecfdf3; color: #054f31; padding: 0 3px; border-radius: 3px; word-break: break-all; }
.scope { display: grid; grid-template-columns: max-content 1fr; gap: 4px 16px; margin: 6px 0 4px; font-size: 13px; }
.scope dt { color: var(--muted); font-weight: 600; }
.scope dd { margin: 0; }
footer { margin-top: 36px; color: var(--muted); font-size: 12px; border-top: 1px solid var(--line); padding-top: 10px; }
@page { size: A4; margin: 14mm 12mm; }
@media print {
  main { max-width: none; padding: 0; }
  h2 { break-after: avoid; }
  .integrity, .card, .pill, th, .chart { -webkit-print-color-adjust: exact; print-color-adjust: exact; }
  a { color: inherit; text-decoration: none; }
}
"#;

/// Render the whole page.
pub fn render(input: &Input<'_>) -> String {
    let h = input.history;
    let mut out = String::with_capacity(64 * 1024);
    let latest = h.runs.last();
    let _ = write!(
        out,
        "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n\
         <meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n\
         <title>Plumb drift and compliance report</title>\n<style>{CSS}</style>\n</head>\n<body>\n<main>\n"
    );
    let _ = write!(
        out,
        "<h1>Drift and compliance report</h1>\n<p class=\"meta\">Ledger <code>{}</code> · ",
        esc(input.ledger)
    );
    match latest {
        Some(r) => {
            let _ = write!(out, "latest run <strong>#{}</strong> at {} · {} runs", r.seq, ts(&r.time), h.runs.len());
            if let Some(first) = h.runs.first() {
                let _ = write!(out, " since {}", ts(&first.time));
            }
        }
        None => out.push_str("no runs recorded yet"),
    }
    let _ = writeln!(out, " · generated {}</p>", ts(input.generated_at));

    integrity(&mut out, input.verification);
    scope(&mut out, input.latest);
    summary(&mut out, h);
    chart(&mut out, h);
    open_items(&mut out, h, input.latest);
    frameworks(&mut out, h, input.latest);
    resolved_items(&mut out, h);
    recent_runs(&mut out, h);

    let _ = write!(
        out,
        "<footer>Generated by plumb {} from the evidence ledger. Each run is one record holding the full JSON report, \
         chained by SHA-256 to the record before it; <code>plumb ledger verify --ledger {}</code> recomputes the chain. \
         Times are UTC.</footer>\n</main>\n</body>\n</html>\n",
        env!("CARGO_PKG_VERSION"),
        esc(input.ledger)
    );
    out
}

fn integrity(out: &mut String, v: &Verification) {
    match &v.broken {
        None => {
            let _ = writeln!(
                out,
                "<div class=\"integrity ok\" id=\"integrity\"><strong>Ledger intact</strong> · {} record{} verified, \
                 chain head <span class=\"mono\">#{} {}</span></div>",
                v.records,
                if v.records == 1 { "" } else { "s" },
                v.head_seq,
                esc(&v.head_hash)
            );
        }
        Some(b) => {
            let _ = writeln!(
                out,
                "<div class=\"integrity broken\" id=\"integrity\"><strong>Ledger integrity check FAILED at record {}</strong> · {}. \
                 Records before it verified: {}. Figures below come from the stored records and cannot be trusted past record {}.</div>",
                b.seq,
                esc(&b.reason),
                v.records,
                b.seq.saturating_sub(1)
            );
        }
    }
}

/// What the latest run looked at: account, regions, state files, rules.
fn scope(out: &mut String, latest: Option<&Latest>) {
    let Some(l) = latest else { return };
    out.push_str("<h2>Scope</h2>\n");
    let Some(s) = &l.scope else {
        let _ = writeln!(
            out,
            "<p class=\"muted\" id=\"scope\">Run #{} was recorded without its scope (a plumb before scopes were recorded).</p>",
            l.seq
        );
        return;
    };
    let list = |v: &[String]| {
        if v.is_empty() {
            "<span class=\"muted\">none</span>".to_string()
        } else {
            v.iter().map(|x| format!("<code>{}</code>", esc(x))).collect::<Vec<_>>().join(", ")
        }
    };
    let rules = &s.rule_set;
    let mut rule_text = format!(
        "{} · {} rules evaluated · <span class=\"mono\" title=\"{}\">{}</span>",
        esc(&rules.version),
        rules.evaluated,
        esc(&rules.digest),
        esc(rules.digest.get(..19).unwrap_or(&rules.digest))
    );
    if !rules.skipped.is_empty() {
        let _ = write!(
            rule_text,
            " · <span class=\"c-failing\">not evaluated (a read failed): {}</span>",
            esc(&rules.skipped.join(", "))
        );
    }
    let account = if s.accounts.is_empty() {
        format!("<code id=\"scope-account\">{}</code>", esc(&s.account))
    } else {
        format!("<span id=\"scope-account\">{} accounts (below)</span>", s.accounts.len())
    };
    let _ = writeln!(
        out,
        "<dl class=\"scope\" id=\"scope\"><dt>Run</dt><dd>#{}</dd><dt>AWS account</dt><dd>{account}</dd>\
         <dt>Regions</dt><dd id=\"scope-regions\">{}</dd><dt>Terraform states</dt><dd id=\"scope-states\">{}</dd>\
         <dt>Rule set</dt><dd id=\"scope-rules\">{}</dd></dl>",
        l.seq,
        list(&s.regions),
        list(&s.states),
        rule_text
    );
    if !s.accounts.is_empty() {
        out.push_str(
            "<table id=\"scope-accounts\"><thead><tr><th>Account</th><th>Name</th><th>Regions</th><th>Terraform states</th>\
             <th>Read</th></tr></thead><tbody>\n",
        );
        for a in &s.accounts {
            let _ = writeln!(
                out,
                "<tr data-account=\"{0}\"><td class=\"mono\">{0}</td><td>{1}</td><td>{2}</td><td>{3}</td><td>{4}</td></tr>",
                esc(&a.id),
                esc(&a.name),
                list(&a.regions),
                list(&a.states),
                if a.complete {
                    "<span class=\"c-passing\">complete</span>"
                } else {
                    "<span class=\"c-failing\">incomplete</span>"
                }
            );
        }
        out.push_str("</tbody></table>\n");
    }
}

fn card(out: &mut String, id: &str, n: impl std::fmt::Display, label: &str, class: &str) {
    let _ = write!(
        out,
        "<div class=\"card {class}\" id=\"{id}\"><div class=\"n\">{n}</div><div class=\"l\">{label}</div></div>"
    );
}

fn summary(out: &mut String, h: &History) {
    out.push_str("<h2>Latest run</h2>\n");
    let Some(r) = h.runs.last() else {
        out.push_str("<p class=\"muted\">The ledger holds no runs.</p>\n");
        return;
    };
    let s = &r.summary;
    if !r.complete {
        out.push_str("<p class=\"c-failing\">This run was incomplete: some live reads failed, so some resources were not judged.</p>\n");
    }
    out.push_str("<div class=\"cards\">");
    card(out, "n-in-sync", s.in_sync, "in sync", "good");
    card(out, "n-drifted", s.drifted, "drifted", if s.drifted > 0 { "alert" } else { "" });
    card(out, "n-missing", s.missing, "missing", if s.missing > 0 { "alert" } else { "" });
    card(out, "n-unmanaged", s.unmanaged, "unmanaged", if s.unmanaged > 0 { "alert" } else { "" });
    let coverage = if r.complete { format!("{:.1}%", s.coverage_percent) } else { "unknown".to_string() };
    card(out, "n-coverage", coverage, "coverage", "");
    card(out, "n-findings", s.findings.open(), "open findings", if s.findings.open() > 0 { "alert" } else { "good" });
    out.push_str("</div>\n<div class=\"cards\">");
    card(out, "n-critical", s.findings.critical, "critical", if s.findings.critical > 0 { "alert" } else { "" });
    card(out, "n-high", s.findings.high, "high", "");
    card(out, "n-medium", s.findings.medium, "medium", "");
    card(out, "n-low", s.findings.low, "low", "");
    card(out, "n-waived", s.findings.waived, "waived", "");
    let mttr = h.remediation.mean_seconds.map(|m| human_duration(m.round() as i64)).unwrap_or_else(|| "n/a".into());
    card(out, "n-mttr", mttr, "mean time to remediate", "");
    out.push_str("</div>\n");
    let _ = writeln!(
        out,
        "<p class=\"note\"><span id=\"n-open\">{}</span> open and <span id=\"n-resolved\">{}</span> resolved items over the ledger's history.</p>",
        h.remediation.open, h.remediation.resolved
    );
    if let (Some(id), Some(n)) = (&r.run_id, r.shards) {
        let missing = if r.missing_shards.is_empty() {
            String::new()
        } else {
            let m: Vec<String> = r.missing_shards.iter().map(u32::to_string).collect();
            format!(
                " · <span class=\"c-failing\">missing shard {}: its accounts are not in this run</span>",
                m.join(", ")
            )
        };
        let _ = writeln!(
            out,
            "<p class=\"note\" id=\"run-parts\">Run <code>{}</code>: {} of {n} parts (records {}){missing}</p>",
            esc(id),
            r.parts.len(),
            r.parts.iter().map(|p| format!("#{p}")).collect::<Vec<_>>().join(", ")
        );
    }
    if !r.accounts.is_empty() {
        out.push_str(
            "<table id=\"accounts\"><thead><tr><th>Account</th><th class=\"num\">In sync</th><th class=\"num\">Drifted</th>\
             <th class=\"num\">Missing</th><th class=\"num\">Unmanaged</th><th class=\"num\">Open findings</th><th>Complete</th></tr></thead><tbody>\n",
        );
        for (id, a) in &r.accounts {
            let name = if a.name.is_empty() {
                String::new()
            } else {
                format!(" <span class=\"note\">{}</span>", esc(&a.name))
            };
            let _ = writeln!(
                out,
                "<tr data-account=\"{}\"><td><code>{}</code>{name}</td><td class=\"num\">{}</td><td class=\"num\">{}</td><td class=\"num\">{}</td><td class=\"num\">{}</td><td class=\"num\">{}</td><td>{}</td></tr>",
                esc(id),
                esc(id),
                a.in_sync,
                a.drifted,
                a.missing,
                a.unmanaged,
                a.findings.open(),
                if a.complete { "yes" } else { "<span class=\"c-failing\">no</span>" }
            );
        }
        out.push_str("</tbody></table>\n");
    }
}

/// A heading row for `account` in a table of `columns`, when the rows change account.
fn account_row(
    out: &mut String,
    current: &mut Option<String>,
    e: &Entry,
    columns: usize,
    names: &BTreeMap<String, String>,
) {
    let Some(acct) = &e.account else { return };
    if current.as_ref() == Some(acct) {
        return;
    }
    *current = Some(acct.clone());
    let name = names.get(acct).filter(|n| !n.is_empty()).map(|n| format!(" ({})", esc(n))).unwrap_or_default();
    let _ = writeln!(
        out,
        "<tr class=\"account\" data-account=\"{0}\"><th colspan=\"{columns}\">Account <code>{0}</code>{name}</th></tr>",
        esc(acct)
    );
}

/// Account id to name, from every run.
fn account_names(h: &History) -> BTreeMap<String, String> {
    h.runs.iter().flat_map(|r| r.accounts.iter()).map(|(id, a)| (id.clone(), a.name.clone())).collect()
}

/// Round up to 1, 2 or 5 times a power of ten.
fn nice_max(v: u64) -> u64 {
    let v = v.max(1);
    let mut p = 1u64;
    loop {
        for m in [1, 2, 5] {
            if m * p >= v {
                return m * p;
            }
        }
        p *= 10;
    }
}

fn chart(out: &mut String, h: &History) {
    out.push_str("<h2>Drift and findings over time</h2>\n");
    if h.runs.is_empty() {
        out.push_str("<p class=\"muted\">No runs yet.</p>\n");
        return;
    }
    let (w, ht, left, right, top, bottom) = (1000.0f64, 260.0f64, 48.0, 12.0, 12.0, 34.0);
    let pw = w - left - right;
    let ph = ht - top - bottom;
    let n = h.runs.len();
    let max = h.runs.iter().map(|r| r.summary.not_in_sync().max(r.summary.findings.open())).max().unwrap_or(0);
    let ymax = nice_max(max) as f64;
    let x = |i: usize| if n == 1 { left + pw / 2.0 } else { left + pw * i as f64 / (n - 1) as f64 };
    let y = |v: f64| top + ph - ph * v / ymax;
    let _ = write!(
        out,
        "<div class=\"chart\"><svg viewBox=\"0 0 {w} {ht}\" width=\"100%\" role=\"img\" aria-label=\"Resources not in sync and open findings per run\" \
         font-size=\"11\" font-family=\"sans-serif\">"
    );
    // Grid and y labels.
    for k in 0..=4 {
        let v = ymax * k as f64 / 4.0;
        let yy = y(v);
        let _ = write!(
            out,
            "<line x1=\"{left}\" x2=\"{:.1}\" y1=\"{yy:.1}\" y2=\"{yy:.1}\" stroke=\"#e3e7ee\"/>\
             <text x=\"{:.1}\" y=\"{:.1}\" text-anchor=\"end\" fill=\"#5b6474\">{}</text>",
            w - right,
            left - 6.0,
            yy + 4.0,
            v.round() as u64
        );
    }
    // Stacked areas: drifted, missing, unmanaged.
    let series: [(&str, fn(&crate::ledger::RunSummary) -> u64); 3] =
        [("#d9480f", |s| s.drifted), ("#7048e8", |s| s.missing), ("#1971c2", |s| s.unmanaged)];
    let mut base = vec![0u64; n];
    for (color, f) in series {
        let tops: Vec<u64> = h.runs.iter().zip(&base).map(|(r, b)| b + f(&r.summary)).collect();
        if tops != base {
            let mut d = String::new();
            for (i, t) in tops.iter().enumerate() {
                let _ = write!(d, "{}{:.1},{:.1} ", if i == 0 { 'M' } else { 'L' }, x(i), y(*t as f64));
            }
            for i in (0..n).rev() {
                let _ = write!(d, "L{:.1},{:.1} ", x(i), y(base[i] as f64));
            }
            if n == 1 {
                // One run: draw a bar instead of a zero-width area.
                let _ = write!(
                    out,
                    "<rect x=\"{:.1}\" y=\"{:.1}\" width=\"24\" height=\"{:.1}\" fill=\"{color}\" fill-opacity=\"0.75\"/>",
                    x(0) - 12.0,
                    y(tops[0] as f64),
                    y(base[0] as f64) - y(tops[0] as f64)
                );
            } else {
                let _ = write!(
                    out,
                    "<path d=\"{d}Z\" fill=\"{color}\" fill-opacity=\"0.55\" stroke=\"{color}\" stroke-width=\"1\"/>"
                );
            }
        }
        base = tops;
    }
    // Open findings: a line.
    let mut pts = String::new();
    for (i, r) in h.runs.iter().enumerate() {
        let _ = write!(pts, "{:.1},{:.1} ", x(i), y(r.summary.findings.open() as f64));
    }
    let _ = write!(out, "<polyline points=\"{pts}\" fill=\"none\" stroke=\"#c2255c\" stroke-width=\"2\"/>");
    if n <= 60 {
        for (i, r) in h.runs.iter().enumerate() {
            let _ = write!(
                out,
                "<circle cx=\"{:.1}\" cy=\"{:.1}\" r=\"2.5\" fill=\"#c2255c\"><title>run {}: {} open findings, {} not in sync</title></circle>",
                x(i),
                y(r.summary.findings.open() as f64),
                r.seq,
                r.summary.findings.open(),
                r.summary.not_in_sync()
            );
        }
    }
    // X labels: first, last and a few between, as dates.
    let ticks = if n <= 1 { vec![0] } else { (0..=5).map(|k| k * (n - 1) / 5).collect::<Vec<_>>() };
    let mut last = usize::MAX;
    for i in ticks {
        if i == last {
            continue;
        }
        last = i;
        let r = &h.runs[i];
        let date = r.time.get(..10).unwrap_or(&r.time);
        let anchor = if n > 1 && i == 0 {
            "start"
        } else if n > 1 && i == n - 1 {
            "end"
        } else {
            "middle"
        };
        let _ = write!(
            out,
            "<text x=\"{:.1}\" y=\"{:.1}\" text-anchor=\"{anchor}\" fill=\"#5b6474\">#{} {}</text>",
            x(i),
            ht - 12.0,
            r.seq,
            esc(date)
        );
    }
    out.push_str("</svg><div class=\"legend\"><span><i style=\"background:#d9480f\"></i>drifted</span>\
        <span><i style=\"background:#7048e8\"></i>missing</span><span><i style=\"background:#1971c2\"></i>unmanaged</span>\
        <span><i style=\"background:#c2255c\"></i>open findings (unwaived)</span></div></div>\n");
}

fn status_pill(e: &Entry) -> String {
    match e.kind {
        Kind::Resource => {
            let s = e.status.as_deref().unwrap_or("");
            format!("<span class=\"pill s-{0}\">{0}</span>", esc(s))
        }
        Kind::Finding => {
            let sev = e.severity.as_deref().unwrap_or("low");
            let mut s = format!(
                "<span class=\"pill sev-{0}\">{0}</span> <code>{1}</code>",
                esc(sev),
                esc(e.rule_id.as_deref().unwrap_or(""))
            );
            if e.waived {
                s.push_str(" <span class=\"c-waived\">waived</span>");
            }
            s
        }
    }
}

fn subject_cell(e: &Entry) -> String {
    let main = match &e.address {
        Some(a) => format!("<code>{}</code>", esc(a)),
        None => "<span class=\"muted\">(unmanaged)</span>".to_string(),
    };
    let account = match &e.account {
        Some(a) => format!(" · account <span class=\"mono\">{}</span>", esc(a)),
        None => String::new(),
    };
    format!(
        "{main}<br><span class=\"note\">{} <span class=\"mono\">{}</span>{account}</span>",
        esc(&e.rtype),
        esc(&e.id)
    )
}

fn detail_cell(e: &Entry, latest: Option<&Latest>) -> String {
    let values = latest
        .filter(|l| e.last_seen_run == l.seq)
        .and_then(|l| l.changes.get(&(e.subject(), e.status.clone().unwrap_or_default())));
    if let (Kind::Resource, Some(changes)) = (e.kind, values) {
        let mut s = String::from("<ul class=\"changes\">");
        for (path, before, after) in changes.iter().take(12) {
            let _ = write!(
                s,
                "<li><code>{}</code>: {} → {}</li>",
                esc(path),
                value_cell(before, "before"),
                value_cell(after, "after")
            );
        }
        if changes.len() > 12 {
            let _ = write!(s, "<li class=\"note\">and {} more</li>", changes.len() - 12);
        }
        s.push_str("</ul>");
        return s;
    }
    match e.kind {
        Kind::Resource if !e.paths.is_empty() => {
            let shown: Vec<String> = e.paths.iter().take(6).map(|p| format!("<code>{}</code>", esc(p))).collect();
            let more = if e.paths.len() > 6 { format!(" and {} more", e.paths.len() - 6) } else { String::new() };
            format!("{}{more}", shown.join(", "))
        }
        Kind::Resource => String::new(),
        Kind::Finding => esc(e.message.as_deref().unwrap_or("")),
    }
}

fn cause_cell(e: &Entry) -> String {
    match &e.cause {
        Some(c) => {
            let mut s = esc(c.actor.as_deref().unwrap_or("unknown"));
            let extra: Vec<String> =
                [c.channel.as_deref(), c.event_name.as_deref()].into_iter().flatten().map(esc).collect();
            if !extra.is_empty() {
                let _ = write!(s, "<br><span class=\"note\">{}</span>", extra.join(" · "));
            }
            if let Some(t) = &c.event_time {
                let _ = write!(s, "<br><span class=\"note\">{}</span>", ts(t));
            }
            s
        }
        None if e.kind == Kind::Resource => "<span class=\"muted\">not attributed</span>".into(),
        None => String::new(),
    }
}

fn open_items(out: &mut String, h: &History, latest: Option<&Latest>) {
    let open: Vec<&Entry> = h.items.iter().filter(|e| e.is_open()).collect();
    let (res, fin): (Vec<&Entry>, Vec<&Entry>) = open.into_iter().partition(|e| e.kind == Kind::Resource);
    let _ = writeln!(out, "<h2>Open drift <span class=\"muted\">({})</span></h2>", res.len());
    if res.is_empty() {
        out.push_str("<p class=\"c-passing\">No drifted, missing or unmanaged resources in the latest run.</p>\n");
    } else {
        out.push_str(
            "<table id=\"open-drift\"><thead><tr><th>Resource</th><th>Status</th><th>Changed (state → live)</th><th>Caused by</th>\
            <th>First seen</th><th class=\"num\">Age</th></tr></thead><tbody>\n",
        );
        let mut res = res;
        res.sort_by(|a, b| {
            (&a.account, a.first_seen_run, a.subject()).cmp(&(&b.account, b.first_seen_run, b.subject()))
        });
        let names = account_names(h);
        let mut current = None;
        for e in res {
            account_row(out, &mut current, e, 6, &names);
            let _ = writeln!(
                out,
                "<tr><td>{}</td><td>{}</td><td>{}</td><td>{}</td><td>{}<br><span class=\"note\">run #{}</span></td><td class=\"num\">{}</td></tr>",
                subject_cell(e),
                status_pill(e),
                detail_cell(e, latest),
                cause_cell(e),
                ts(&e.first_seen),
                e.first_seen_run,
                e.age_seconds.map(human_duration).unwrap_or_default()
            );
        }
        out.push_str("</tbody></table>\n");
    }
    let _ = writeln!(out, "<h2>Open findings <span class=\"muted\">({})</span></h2>", fin.len());
    if fin.is_empty() {
        out.push_str("<p class=\"c-passing\">No open findings in the latest run.</p>\n");
    } else {
        out.push_str(
            "<table id=\"open-findings\"><thead><tr><th>Resource</th><th>Rule</th><th>Finding</th><th>Controls</th>\
            <th>First seen</th><th class=\"num\">Age</th></tr></thead><tbody>\n",
        );
        let rank = |s: Option<&str>| match s {
            Some("critical") => 0,
            Some("high") => 1,
            Some("medium") => 2,
            _ => 3,
        };
        let mut fin = fin;
        fin.sort_by(|a, b| {
            (&a.account, rank(a.severity.as_deref()), a.subject(), &a.rule_id).cmp(&(
                &b.account,
                rank(b.severity.as_deref()),
                b.subject(),
                &b.rule_id,
            ))
        });
        let names = account_names(h);
        let mut current = None;
        for e in fin {
            account_row(out, &mut current, e, 6, &names);
            let controls: Vec<String> = e
                .controls
                .iter()
                .filter(|(_, c)| !c.is_empty())
                .map(|(fw, c)| format!("{}: {}", esc(&fw.to_uppercase()), esc(&c.join(", "))))
                .collect();
            let _ = writeln!(
                out,
                "<tr><td>{}</td><td>{}</td><td>{}</td><td class=\"note\">{}</td><td>{}<br><span class=\"note\">run #{}</span></td><td class=\"num\">{}</td></tr>",
                subject_cell(e),
                status_pill(e),
                detail_cell(e, latest),
                controls.join("<br>"),
                ts(&e.first_seen),
                e.first_seen_run,
                e.age_seconds.map(human_duration).unwrap_or_default()
            );
        }
        out.push_str("</tbody></table>\n");
    }
}

#[derive(Default)]
struct ControlState {
    failing: u64,
    waived: u64,
    resolved: u64,
    /// The latest run evaluated a rule mapped to it.
    covered: bool,
    rules: std::collections::BTreeSet<String>,
}

/// (framework, control) -> ids of the baseline rules mapped to it.
fn baseline_rules_by_control() -> BTreeMap<(String, String), Vec<String>> {
    let mut out: BTreeMap<(String, String), Vec<String>> = BTreeMap::new();
    for (_, source) in crate::rules::baseline::BASELINE {
        let Ok(meta) = crate::rules::metadata::parse(source) else { continue };
        for (key, _, controls) in meta.controls.frameworks() {
            for c in controls {
                out.entry((key.to_string(), c.clone())).or_default().push(meta.id.clone());
            }
        }
    }
    out
}

fn frameworks(out: &mut String, h: &History, latest: Option<&Latest>) {
    out.push_str("<h2>Control status by framework</h2>\n");
    let mut fw: BTreeMap<String, BTreeMap<String, ControlState>> = BTreeMap::new();
    // Every control the latest run's rules cover passes unless an open finding cites it.
    let covered = latest.and_then(|l| l.scope.as_ref()).map(|s| &s.controls);
    if let Some(covered) = covered {
        let by_control = baseline_rules_by_control();
        for (framework, controls) in covered {
            for c in controls {
                let st = fw.entry(framework.clone()).or_default().entry(c.clone()).or_default();
                st.covered = true;
                if let Some(rules) = by_control.get(&(framework.clone(), c.clone())) {
                    st.rules.extend(rules.iter().cloned());
                }
            }
        }
    }
    for e in h.items.iter().filter(|e| e.kind == Kind::Finding) {
        for (framework, controls) in &e.controls {
            for c in controls {
                let st = fw.entry(framework.clone()).or_default().entry(c.clone()).or_default();
                match (e.is_open(), e.waived) {
                    (true, false) => st.failing += 1,
                    (true, true) => st.waived += 1,
                    (false, _) => st.resolved += 1,
                }
                if let Some(r) = &e.rule_id {
                    st.rules.insert(r.clone());
                }
            }
        }
    }
    if fw.is_empty() {
        out.push_str("<p class=\"muted\">No finding in the ledger cites a framework control (hardening rules did not run, or every rule passed in every run).</p>\n");
        return;
    }
    if covered.is_some() {
        out.push_str("<p class=\"note\">Every control the latest run's rules map to, and any other control a finding cited. \
            <em>Failing</em>: an unwaived finding citing it is open; <em>waived</em>: only waived findings are open; \
            <em>passing</em>: the rules mapped to it were evaluated in the latest run and no finding citing it is open.</p>\n<div class=\"fw\">\n");
    } else {
        out.push_str("<p class=\"note\">Controls cited by findings in any run (the latest run did not record which controls its rules cover). <em>Failing</em>: an unwaived finding is open in the latest run; \
            <em>waived</em>: only waived findings are open; <em>passing</em>: every finding citing it was resolved.</p>\n<div class=\"fw\">\n");
    }
    // The headline counts as the text and JSON reports do: the latest run's controls with
    // open findings, out of every control its evaluated rules cover (not only the cited ones).
    let summary = h.runs.last().map(|r| &r.summary.frameworks);
    for (framework, controls) in &fw {
        let failing = controls.values().filter(|s| s.failing > 0).count() as u64;
        let waived = controls.values().filter(|s| s.failing == 0 && s.waived > 0).count() as u64;
        // The scope lists the covered controls themselves; older runs only their counts.
        let (failing, total) = match summary.and_then(|f| f.get(framework.as_str())) {
            Some(c) if covered.is_none() => (c.controls_failing, c.controls_covered),
            _ => (failing, controls.len() as u64),
        };
        let passing = if covered.is_some() {
            controls.values().filter(|s| s.covered && s.failing == 0 && s.waived == 0).count() as u64
        } else {
            (controls.len() as u64).saturating_sub(failing + waived)
        };
        let _ = writeln!(
            out,
            "<div><h3>{} <span class=\"muted\">· {} of {} controls failing, <span class=\"fw-passing\">{}</span> passing</span></h3><table class=\"fw-table\" data-framework=\"{}\"><thead><tr><th>Control</th><th>Status</th><th class=\"num\">Open</th><th>Rules</th></tr></thead><tbody>",
            esc(&framework.to_uppercase()),
            failing,
            total,
            passing,
            esc(framework)
        );
        let rank = |st: &ControlState| {
            if st.failing > 0 {
                0
            } else if st.waived > 0 {
                1
            } else {
                2
            }
        };
        let mut rows: Vec<(&String, &ControlState)> = controls.iter().collect();
        rows.sort_by_key(|(c, st)| (rank(st), c.as_str()));
        for (control, st) in rows {
            let (class, label) = match rank(st) {
                0 => ("c-failing", "failing"),
                1 => ("c-waived", "waived"),
                _ => ("c-passing", "passing"),
            };
            let _ = writeln!(
                out,
                "<tr><td class=\"mono\">{}</td><td class=\"{class}\">{label}</td><td class=\"num\">{}</td><td class=\"note\">{}</td></tr>",
                esc(control),
                st.failing + st.waived,
                esc(&st.rules.iter().cloned().collect::<Vec<_>>().join(", "))
            );
        }
        out.push_str("</tbody></table></div>\n");
    }
    out.push_str("</div>\n");
}

fn resolved_items(out: &mut String, h: &History) {
    let mut resolved: Vec<&Entry> = h.items.iter().filter(|e| !e.is_open()).collect();
    let _ = writeln!(out, "<h2>Resolved <span class=\"muted\">({})</span></h2>", resolved.len());
    if resolved.is_empty() {
        out.push_str("<p class=\"muted\">Nothing resolved yet.</p>\n");
        return;
    }
    resolved.sort_by(|a, b| (b.resolved_run, a.subject()).cmp(&(a.resolved_run, b.subject())));
    out.push_str("<table id=\"resolved\"><thead><tr><th>Resource</th><th>What</th><th>First seen</th><th>Resolved</th><th class=\"num\">Time to remediate</th></tr></thead><tbody>\n");
    for e in resolved.iter().take(RESOLVED_SHOWN) {
        let _ = writeln!(
            out,
            "<tr><td>{}</td><td>{}</td><td>{}<br><span class=\"note\">run #{}</span></td><td>{}<br><span class=\"note\">run #{}</span></td><td class=\"num\">{}</td></tr>",
            subject_cell(e),
            status_pill(e),
            ts(&e.first_seen),
            e.first_seen_run,
            ts(e.resolved_at.as_deref().unwrap_or("")),
            e.resolved_run.unwrap_or(0),
            e.time_to_remediate_seconds.map(human_duration).unwrap_or_default()
        );
    }
    out.push_str("</tbody></table>\n");
    if resolved.len() > RESOLVED_SHOWN {
        let _ = writeln!(
            out,
            "<p class=\"note\">The {} most recently resolved of {} are listed; <code>plumb history</code> lists them all.</p>",
            RESOLVED_SHOWN,
            resolved.len()
        );
    }
}

fn recent_runs(out: &mut String, h: &History) {
    if h.runs.is_empty() {
        return;
    }
    let _ = writeln!(
        out,
        "<h2>Recent runs <span class=\"muted\">({} of {})</span></h2>",
        h.runs.len().min(RUNS_SHOWN),
        h.runs.len()
    );
    out.push_str("<table id=\"runs\"><thead><tr><th class=\"num\">Run</th><th>Time</th><th class=\"num\">In sync</th><th class=\"num\">Drifted</th>\
        <th class=\"num\">Missing</th><th class=\"num\">Unmanaged</th><th class=\"num\">Findings</th><th>Complete</th><th>Record hash</th></tr></thead><tbody>\n");
    for r in h.runs.iter().rev().take(RUNS_SHOWN) {
        let s = &r.summary;
        let _ = writeln!(
            out,
            "<tr><td class=\"num\">{}</td><td>{}</td><td class=\"num\">{}</td><td class=\"num\">{}</td><td class=\"num\">{}</td><td class=\"num\">{}</td><td class=\"num\">{}</td><td>{}</td><td class=\"mono note\">{}</td></tr>",
            match (&r.run_id, r.shards) {
                (Some(id), Some(n)) =>
                    format!("{}<br><span class=\"note\">{} · {} of {n} parts</span>", r.seq, esc(id), r.parts.len()),
                _ => r.seq.to_string(),
            },
            ts(&r.time),
            s.in_sync,
            s.drifted,
            s.missing,
            s.unmanaged,
            s.findings.open(),
            if r.complete { "yes" } else { "<span class=\"c-failing\">no</span>" },
            esc(r.hash.get(..16).unwrap_or(&r.hash))
        );
    }
    out.push_str("</tbody></table>\n");
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::ledger::Verification;

    fn empty_verification() -> Verification {
        Verification {
            intact: true,
            records: 0,
            head_seq: 0,
            head_hash: "0".repeat(64),
            broken: None,
            deep: false,
            runs: Vec::new(),
        }
    }

    #[test]
    fn escapes_markup() {
        assert_eq!(esc("<a href='x'>&\"</a>"), "&lt;a href=&#39;x&#39;&gt;&amp;&quot;&lt;/a&gt;");
    }

    #[test]
    fn empty_ledger_renders_without_external_loads() {
        let h = History::default();
        let page = render(&Input {
            ledger: "l.db",
            generated_at: "2026-01-01T00:00:00Z",
            history: &h,
            verification: &empty_verification(),
            latest: None,
        });
        assert!(page.starts_with("<!DOCTYPE html>"));
        assert!(page.contains("Ledger intact"));
        for banned in ["<script", "<link", "src=", "@import", "url("] {
            assert!(!page.contains(banned), "{banned}");
        }
    }

    #[test]
    fn nice_max_rounds_up() {
        assert_eq!(nice_max(0), 1);
        assert_eq!(nice_max(3), 5);
        assert_eq!(nice_max(11), 20);
        assert_eq!(nice_max(5000), 5000);
        assert_eq!(nice_max(5001), 10000);
    }
}

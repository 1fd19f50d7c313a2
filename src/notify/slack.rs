//! A Slack incoming-webhook message in Block Kit: a header with the counts, the run, then the
//! new items (one section each, with before → after values and who caused it), the resolved
//! items and the reminders, within Slack's limits (50 blocks, 3,000 characters per section
//! text, 150 per header). `text` is the notification fallback.

use bytes::Bytes;
use http::{Method, Uri};
use serde_json::{Value as J, json};

use super::http::{Client, Request, SendError};
use super::{Delta, Notice};
use crate::ledger::Kind;
use crate::ledger::history::human_duration;

pub const MAX_BLOCKS: usize = 50;
pub const MAX_SECTION_TEXT: usize = 3000;
pub const MAX_HEADER_TEXT: usize = 150;
/// New items shown one section each; more are summarised in one line.
pub const ITEMS_SHOWN: usize = 15;

pub fn request(uri: Uri) -> Request {
    Request {
        method: Method::POST,
        uri,
        headers: vec![("content-type", "application/json; charset=utf-8".into())],
        body: Bytes::new(),
        max_response: 64 * 1024,
    }
}

/// Send the message. Slack answers `ok` with 200; errors are 4xx with a short reason
/// (`invalid_payload`, `no_service`, ...) and 429 with `Retry-After` when rate limited.
pub async fn send(client: &Client, req: &Request, d: &Delta, report_url: Option<&str>) -> Result<(), SendError> {
    let mut req = req.clone();
    req.body = Bytes::from(serde_json::to_vec(&message(d, report_url)).unwrap_or_default());
    client.send("Slack", &req).await.map(|_| ())
}

/// Escape text for Slack's mrkdwn (`&`, `<`, `>`; everything else is literal).
pub fn esc(s: &str) -> String {
    s.replace('&', "&amp;").replace('<', "&lt;").replace('>', "&gt;")
}

/// Inline code: escaped, without backticks inside.
fn code(s: &str) -> String {
    format!("`{}`", esc(&s.replace('`', "'")))
}

fn cut(s: &str, max: usize) -> String {
    crate::report::export::shorten(s, max)
}

fn plural(n: usize, one: &str, many: &str) -> String {
    format!("{n} {}", if n == 1 { one } else { many })
}

fn section(text: String) -> J {
    json!({"type": "section", "text": {"type": "mrkdwn", "text": cut(&text, MAX_SECTION_TEXT)}})
}

/// `drifted aws_vpc.core` / `high HS-S3-004 aws_s3_bucket.logs`, as mrkdwn.
fn title(n: &Notice) -> String {
    match n.kind {
        Kind::Resource => {
            let icon = match n.status.as_deref() {
                Some("missing") => ":red_circle:",
                Some("unmanaged") => ":large_blue_circle:",
                _ => ":large_orange_circle:",
            };
            format!("{icon} *{}* {}", esc(n.status.as_deref().unwrap_or("")), code(&n.subject))
        }
        Kind::Finding => {
            let icon = match n.severity.as_deref() {
                Some("critical") | Some("high") => ":red_circle:",
                Some("medium") => ":large_orange_circle:",
                _ => ":white_circle:",
            };
            format!(
                "{icon} *{}* {} {}",
                esc(n.severity.as_deref().unwrap_or("")),
                esc(n.rule_id.as_deref().unwrap_or("")),
                code(&n.subject)
            )
        }
    }
}

/// One new item: what, where, before → after, who.
fn detail(n: &Notice) -> String {
    let mut s = title(n);
    let place = match &n.region {
        Some(r) => format!("{} {} · {}", n.rtype, n.id, r),
        None => format!("{} {}", n.rtype, n.id),
    };
    s.push_str(&format!("\n{}", esc(&place)));
    match n.kind {
        Kind::Resource if !n.changes.is_empty() => {
            for c in n.changes.iter().take(8) {
                s.push_str(&format!(
                    "\n• {}: {} → {}",
                    code(&c.path),
                    code(&cut(&c.state.to_string(), 200)),
                    code(&cut(&c.live.to_string(), 200))
                ));
            }
            if n.changes.len() > 8 {
                s.push_str(&format!("\n• …and {} more", n.changes.len() - 8));
            }
        }
        Kind::Resource => {
            for p in n.paths.iter().take(8) {
                s.push_str(&format!("\n• {}", code(p)));
            }
        }
        Kind::Finding => {
            if let Some(m) = &n.message {
                s.push_str(&format!("\n{}", esc(&cut(m, 500))));
            }
        }
    }
    if let Some(c) = &n.cause {
        let how: Vec<&str> = [c.channel.as_deref(), c.event_name.as_deref()].into_iter().flatten().collect();
        s.push_str(&format!(
            "\n_Caused by {}{}_",
            esc(c.actor.as_deref().unwrap_or("unknown")),
            if how.is_empty() { String::new() } else { format!(" ({})", esc(&how.join(", "))) }
        ));
    }
    s
}

/// One line per item, for resolved items and reminders.
fn line(n: &Notice) -> String {
    let when = match (n.time_to_remediate_seconds, n.age_seconds) {
        (Some(t), _) => format!(" · fixed after {}", human_duration(t)),
        (None, Some(a)) => format!(" · open for {}", human_duration(a)),
        _ => String::new(),
    };
    format!("{}{when}", title(n))
}

/// Items one line each in one section, within the section limit, with an overflow note.
fn lines_section(heading: &str, items: &[Notice], out: &mut Vec<J>) {
    let mut text = format!("*{heading}*");
    let mut shown = 0;
    for n in items {
        let l = line(n);
        if text.len() + l.len() + 1 > MAX_SECTION_TEXT - 80 || shown >= 40 {
            break;
        }
        text.push('\n');
        text.push_str(&l);
        shown += 1;
    }
    if shown < items.len() {
        text.push_str(&format!("\n…and {} more (`plumb history`)", items.len() - shown));
    }
    out.push(section(text));
}

/// The Block Kit message for a delta.
pub fn message(d: &Delta, report_url: Option<&str>) -> J {
    let new_drift = d.new.iter().filter(|n| n.kind == Kind::Resource).count();
    let new_findings = d.new.len() - new_drift;
    let mut parts = Vec::new();
    if new_drift > 0 {
        parts.push(plural(new_drift, "new drift", "new drifts"));
    }
    if new_findings > 0 {
        parts.push(plural(new_findings, "new finding", "new findings"));
    }
    if !d.resolved.is_empty() {
        parts.push(format!("{} resolved", d.resolved.len()));
    }
    if !d.still_open.is_empty() {
        parts.push(format!("{} still open", d.still_open.len()));
    }
    if parts.is_empty() {
        parts.push(match d.completeness {
            Some("incomplete") => "scan incomplete".to_string(),
            Some(_) => "scan complete again".to_string(),
            None => "nothing new".to_string(),
        });
    }
    let header = cut(&format!("Plumb nightly: {}", parts.join(", ")), MAX_HEADER_TEXT);

    let mut blocks: Vec<J> =
        vec![json!({"type": "header", "text": {"type": "plain_text", "text": header, "emoji": true}})];
    let mut run_line = format!(
        "Run *#{}* at {} · ledger {} · open now: *{}* drifted, missing or unmanaged, *{}* finding{}",
        d.run.seq,
        esc(&d.run.time),
        code(&d.ledger),
        d.open.resources,
        d.open.findings,
        if d.open.findings == 1 { "" } else { "s" }
    );
    if let Some(b) = &d.base_run {
        run_line.push_str(&format!(" · compared with run #{}", b.seq));
    }
    if let Some(url) = report_url {
        run_line.push_str(&format!(" · <{}|HTML report>", esc(url)));
    }
    blocks.push(section(run_line));
    match d.completeness {
        Some("incomplete") => blocks.push(section(
            ":warning: *This run is incomplete*: some live reads failed, so what they cover was not judged (see the run's `errors`)."
                .into(),
        )),
        Some(_) => blocks.push(section(":white_check_mark: The scan is complete again.".into())),
        None => {}
    }
    if !d.new.is_empty() {
        blocks.push(json!({"type": "divider"}));
        blocks.push(section(format!("*New since the last run ({})*", d.new.len())));
        for n in d.new.iter().take(ITEMS_SHOWN) {
            blocks.push(section(detail(n)));
        }
        if d.new.len() > ITEMS_SHOWN {
            lines_section("More new items", &d.new[ITEMS_SHOWN..], &mut blocks);
        }
    }
    if !d.resolved.is_empty() {
        blocks.push(json!({"type": "divider"}));
        lines_section(&format!("Resolved ({})", d.resolved.len()), &d.resolved, &mut blocks);
    }
    if !d.still_open.is_empty() {
        blocks.push(json!({"type": "divider"}));
        let every = d.remind_after_seconds.map(human_duration).unwrap_or_default();
        lines_section(&format!("Still open after {every} ({})", d.still_open.len()), &d.still_open, &mut blocks);
    }
    blocks.truncate(MAX_BLOCKS - 1);
    let hash: String = d.run.hash.chars().take(16).collect();
    blocks.push(json!({"type": "context", "elements": [{"type": "mrkdwn", "text": format!(
        "plumb {} · run hash {} · `plumb history --ledger …` for the full history",
        env!("CARGO_PKG_VERSION"),
        code(&hash)
    )}]}));
    json!({"text": header, "blocks": blocks, "unfurl_links": false, "unfurl_media": false})
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::notify::tests::{item, nights, run};
    use crate::notify::{ChangeValue, Changes, Filter, delta};

    fn check_limits(m: &J) {
        let blocks = m["blocks"].as_array().unwrap();
        assert!(blocks.len() <= MAX_BLOCKS);
        assert!(m["text"].as_str().unwrap().len() <= MAX_HEADER_TEXT);
        for b in blocks {
            match b["type"].as_str().unwrap() {
                "header" => assert!(b["text"]["text"].as_str().unwrap().chars().count() <= MAX_HEADER_TEXT),
                "section" => assert!(b["text"]["text"].as_str().unwrap().chars().count() <= MAX_SECTION_TEXT),
                "divider" | "context" => {}
                t => panic!("unexpected block {t}"),
            }
        }
    }

    #[test]
    fn a_new_drift_with_values() {
        let h = nights();
        let changes: Changes = [(
            ("aws_vpc.core".to_string(), "drifted".to_string()),
            vec![ChangeValue { path: "tags.Owner".into(), state: J::Null, live: J::from("<script>&") }],
        )]
        .into_iter()
        .collect();
        let d = delta("evidence.db", &h, 2, None, &changes, Filter::default()).unwrap();
        let m = message(&d, Some("https://reports.example.com/drift.html"));
        check_limits(&m);
        assert_eq!(m["text"], "Plumb nightly: 1 new drift");
        let all = m.to_string();
        assert!(all.contains("`null` → `\\\"&lt;script&gt;&amp;\\\"`"), "{all}");
        assert!(all.contains("<https://reports.example.com/drift.html|HTML report>"));
        assert!(!all.contains("<script"));
    }

    #[test]
    fn many_items_stay_within_limits() {
        let items: Vec<_> =
            (0..400).map(|i| item(Kind::Finding, &format!("aws_s3_bucket.b{i:03}"), "HS-S3-004", "high")).collect();
        let h = crate::ledger::history::build(vec![run(1, 1, true, vec![]), run(2, 2, true, items)]);
        let d = delta("l", &h, 2, None, &Changes::new(), Filter::default()).unwrap();
        let m = message(&d, None);
        check_limits(&m);
        assert!(m.to_string().contains("more (`plumb history`)"));
        let h = crate::ledger::history::build(vec![
            run(1, 1, true, (0..400).map(|i| item(Kind::Resource, &format!("aws_vpc.v{i}"), "drifted", "")).collect()),
            run(2, 2, true, vec![]),
        ]);
        let d = delta("l", &h, 2, None, &Changes::new(), Filter::default()).unwrap();
        assert_eq!(d.resolved.len(), 400);
        check_limits(&message(&d, None));
    }
}

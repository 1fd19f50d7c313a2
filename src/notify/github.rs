//! GitHub issues through the REST API: one issue per open drift or finding, found again by the
//! marker on its body's first line (`<!-- plumb:item:KEY -->`), its body updated while the item
//! is open and changes, closed with a comment when the ledger says it was resolved (or waived).
//! Issues carry the label `plumb` (listing them is one paged request) and `plumb:drift` or
//! `plumb:finding`. New issues per run are capped (`--github-max-new`): the rest come the next
//! night, so a first run on a large estate does not trip GitHub's secondary rate limits.
//!
//! Endpoints: `GET /repos/{o}/{r}/issues?state=open&labels=plumb`, `POST /repos/{o}/{r}/issues`,
//! `PATCH /repos/{o}/{r}/issues/{n}`, `POST /repos/{o}/{r}/issues/{n}/comments`; headers
//! `Authorization: Bearer`, `Accept: application/vnd.github+json`, `X-GitHub-Api-Version`.

use std::collections::{BTreeMap, HashMap};
use std::fmt::Write as _;

use anyhow::{Context, anyhow, bail};
use bytes::Bytes;
use http::Method;
use serde::{Deserialize, Serialize};
use serde_json::{Value as J, json};

use super::http::{Client, Request, parse_url};
use super::{Changes, Filter, Notice, key_of, notice, open_at};
use crate::ledger::history::human_duration;
use crate::ledger::{Entry, History, Kind};

pub const API_VERSION: &str = "2022-11-28";
pub const LABEL: &str = "plumb";
pub const MARKER_PREFIX: &str = "<!-- plumb:item:";
/// GitHub's limits.
const TITLE_MAX: usize = 256;
const BODY_MAX: usize = 65_000;
/// Pages of 100 open issues read at most.
const MAX_PAGES: u32 = 100;

/// Where issues go.
pub struct Target {
    /// API base without a trailing slash (`https://api.github.com`, `https://HOST/api/v3`).
    pub api: String,
    /// `owner/name`.
    pub repo: String,
    token: String,
    pub max_new: usize,
}

/// An open issue as listed.
#[derive(Debug, Clone, Default, PartialEq, Deserialize, Serialize)]
pub struct Issue {
    pub number: u64,
    #[serde(default)]
    pub title: String,
    #[serde(default)]
    pub body: Option<String>,
    #[serde(default)]
    pub state: String,
    #[serde(default, skip_serializing)]
    pub pull_request: Option<J>,
}

impl Issue {
    /// The item key on the body's first line, if plumb wrote it.
    pub fn key(&self) -> Option<&str> {
        let body = self.body.as_deref()?;
        let first = body.lines().next()?.trim();
        first.strip_prefix(MARKER_PREFIX)?.strip_suffix("-->").map(str::trim)
    }
}

/// One change to make.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(tag = "action", rename_all = "snake_case")]
pub enum Action {
    Create { key: String, title: String, body: String, labels: Vec<String> },
    Update { number: u64, key: String, title: String, body: String },
    Close { number: u64, key: String, comment: String, reason: &'static str },
}

#[derive(Debug, Clone, Default, PartialEq, Serialize)]
pub struct Plan {
    pub actions: Vec<Action>,
    /// New issues left for the next run (over `--github-max-new`).
    pub deferred: usize,
}

impl Target {
    pub fn new(api: &str, repo: &str, token: String, max_new: usize) -> anyhow::Result<Target> {
        let valid = |s: &str| !s.is_empty() && s.chars().all(|c| c.is_ascii_alphanumeric() || "-_.".contains(c));
        match repo.split_once('/') {
            Some((o, n)) if valid(o) && valid(n) => {}
            _ => bail!("--github {repo}: expected OWNER/REPO"),
        }
        let api = api.trim().trim_end_matches('/').to_string();
        parse_url(&api, "--github-api-url (GITHUB_API_URL)").map_err(|e| anyhow!(e))?;
        Ok(Target { api, repo: repo.to_string(), token, max_new })
    }

    fn request(&self, method: Method, path: &str, body: Option<&J>) -> anyhow::Result<Request> {
        let uri = parse_url(&format!("{}/repos/{}{path}", self.api, self.repo), "the GitHub API URL")
            .map_err(|e| anyhow!(e))?;
        let mut headers = vec![
            ("accept", "application/vnd.github+json".to_string()),
            ("authorization", format!("Bearer {}", self.token)),
            ("x-github-api-version", API_VERSION.to_string()),
        ];
        if body.is_some() {
            headers.push(("content-type", "application/json".to_string()));
        }
        Ok(Request {
            method,
            uri,
            headers,
            body: body.map(|b| Bytes::from(serde_json::to_vec(b).unwrap_or_default())).unwrap_or_default(),
            max_response: 32 * 1024 * 1024,
        })
    }

    /// Every open issue labelled `plumb` (pull requests left out).
    pub async fn list(&self, client: &Client) -> anyhow::Result<Vec<Issue>> {
        let mut out = Vec::new();
        for page in 1..=MAX_PAGES {
            let req = self.request(
                Method::GET,
                &format!("/issues?state=open&labels={LABEL}&per_page=100&page={page}"),
                None,
            )?;
            let resp = client.send("GitHub issues", &req).await?;
            let issues: Vec<Issue> =
                serde_json::from_slice(&resp.body).context("GitHub's issue list is not the expected JSON")?;
            let n = issues.len();
            out.extend(issues.into_iter().filter(|i| i.pull_request.is_none()));
            let next =
                resp.headers.get_all("link").iter().filter_map(|v| v.to_str().ok()).any(|l| l.contains("rel=\"next\""));
            if n < 100 && !next {
                break;
            }
        }
        Ok(out)
    }
}

/// Escape for HTML inside Markdown (table cells, code).
fn esc(s: &str) -> String {
    s.replace('&', "&amp;").replace('<', "&lt;").replace('>', "&gt;").replace('|', "&#124;").replace('\n', " ")
}

fn cut(s: &str, max: usize) -> String {
    crate::report::export::shorten(s, max)
}

pub fn title(n: &Notice) -> String {
    let t = match n.kind {
        Kind::Resource => format!("[plumb] Drift: {} {}", n.subject, n.status.as_deref().unwrap_or("")),
        Kind::Finding => format!(
            "[plumb] {} ({}) on {}",
            n.rule_id.as_deref().unwrap_or(""),
            n.severity.as_deref().unwrap_or(""),
            n.subject
        ),
    };
    cut(&t, TITLE_MAX)
}

/// The issue body. Deterministic (no run times or counters that change nightly), so an issue
/// is edited only when what it says changes.
pub fn body(n: &Notice) -> String {
    let mut b = String::new();
    let _ = writeln!(b, "{MARKER_PREFIX}{} -->", n.key);
    let place = format!(
        "`{}` `{}`{}",
        esc(&n.rtype),
        esc(&n.id),
        n.region.as_deref().map(|r| format!(", {}", esc(r))).unwrap_or_default()
    );
    match n.kind {
        Kind::Resource => {
            let what = match n.status.as_deref() {
                Some("missing") => "is in the Terraform state but no longer exists in AWS",
                Some("unmanaged") => "exists in AWS but no Terraform state manages it",
                _ => "differs from its Terraform state",
            };
            let _ = writeln!(b, "**{}** {what} ({place}).\n", esc(&n.subject));
            let todo = match n.status.as_deref() {
                Some("missing") => "recreate it with `terraform apply`, or remove it from the state if it was retired",
                Some("unmanaged") => "import it into Terraform, or delete it if nobody owns it",
                _ => "apply the Terraform configuration to restore it, or change the code to what it should be",
            };
            let _ = writeln!(b, "What to do: {todo}.\n");
            if !n.changes.is_empty() {
                let _ = writeln!(b, "| Attribute | In the Terraform state | Live in AWS |\n|---|---|---|");
                for c in n.changes.iter().take(50) {
                    let _ = writeln!(
                        b,
                        "| <code>{}</code> | <code>{}</code> | <code>{}</code> |",
                        esc(&c.path),
                        esc(&cut(&c.state.to_string(), 500)),
                        esc(&cut(&c.live.to_string(), 500))
                    );
                }
                if n.changes.len() > 50 {
                    let _ = writeln!(b, "\n…and {} more changed attributes.", n.changes.len() - 50);
                }
                b.push('\n');
            } else if !n.paths.is_empty() {
                let paths: Vec<String> = n.paths.iter().map(|p| format!("<code>{}</code>", esc(p))).collect();
                let _ = writeln!(b, "Changed: {}\n", paths.join(", "));
            }
        }
        Kind::Finding => {
            let _ = writeln!(
                b,
                "**{}** ({} severity) fails on **{}** ({place}).\n",
                esc(n.rule_id.as_deref().unwrap_or("")),
                esc(n.severity.as_deref().unwrap_or("")),
                esc(&n.subject)
            );
            if let Some(m) = &n.message {
                let _ = writeln!(b, "> {}\n", esc(m));
            }
            let controls: Vec<String> = n
                .controls
                .iter()
                .filter(|(_, c)| !c.is_empty())
                .map(|(fw, c)| format!("{}: {}", esc(&fw.to_uppercase()), esc(&c.join(", "))))
                .collect();
            if !controls.is_empty() {
                let _ = writeln!(b, "Controls: {}\n", controls.join("; "));
            }
            if let Some(r) = &n.rule_id {
                match baseline_rule(r) {
                    Some(meta) => {
                        let _ = writeln!(b, "**{}**. {}\n", esc(&meta.title), esc(&meta.rationale));
                        let _ = writeln!(b, "How to fix it: {}\n", esc(&meta.remediation));
                    }
                    None => {
                        let _ = writeln!(b, "How to fix it: `plumb rules show {}`.\n", esc(r));
                    }
                }
            }
        }
    }
    if let Some(c) = &n.cause {
        let how: Vec<String> = [c.channel.as_deref(), c.event_name.as_deref(), c.event_time.as_deref()]
            .into_iter()
            .flatten()
            .map(esc)
            .collect();
        let _ = writeln!(b, "Caused by **{}** ({}).\n", esc(c.actor.as_deref().unwrap_or("unknown")), how.join(", "));
    }
    let _ = writeln!(b, "First seen {} (run #{}).\n", esc(&n.first_seen), n.first_seen_run);
    let _ = writeln!(
        b,
        "<sub>Kept up to date by `plumb notify` from the evidence ledger and closed when a nightly scan finds it resolved. Keep the first line: it is how plumb finds this issue.</sub>"
    );
    cut(&b, BODY_MAX)
}

/// A baseline rule's metadata (title, rationale, remediation), for issue bodies.
fn baseline_rule(id: &str) -> Option<&'static crate::rules::RuleMeta> {
    static METAS: std::sync::OnceLock<Vec<crate::rules::RuleMeta>> = std::sync::OnceLock::new();
    METAS
        .get_or_init(|| {
            crate::rules::baseline::BASELINE
                .iter()
                .filter_map(|(_, src)| crate::rules::metadata::parse(src).ok())
                .collect()
        })
        .iter()
        .find(|m| m.id == id)
}

/// The open items at run `seq` that get issues.
pub fn open_notices(h: &History, seq: i64, changes: &Changes, filter: Filter) -> Vec<Notice> {
    let Some(run) = super::run_ref(h, seq) else { return Vec::new() };
    h.items.iter().filter(|e| filter.counts(e) && open_at(e, seq)).map(|e| notice(e, &run, changes)).collect()
}

/// What to create, update and close so that the open issues match the open items.
pub fn plan(h: &History, seq: i64, existing: &[Issue], changes: &Changes, filter: Filter, max_new: usize) -> Plan {
    let open = open_notices(h, seq, changes, filter);
    let mut by_key: HashMap<&str, &Issue> = HashMap::new();
    for i in existing {
        if let Some(k) = i.key() {
            // Two issues with one key (a hand-made copy): the older one is kept up to date.
            by_key
                .entry(k)
                .and_modify(|cur| {
                    if i.number < cur.number {
                        *cur = i
                    }
                })
                .or_insert(i);
        }
    }
    // The latest history entry of each key, to tell why an issue's item is no longer open.
    let mut latest: HashMap<String, &Entry> = HashMap::new();
    for e in &h.items {
        if e.first_seen_run <= seq {
            latest
                .entry(key_of(e))
                .and_modify(|cur| {
                    if e.first_seen_run > cur.first_seen_run {
                        *cur = e
                    }
                })
                .or_insert(e);
        }
    }
    let mut out = Plan::default();
    let open_keys: BTreeMap<&str, &Notice> = open.iter().map(|n| (n.key.as_str(), n)).collect();
    let mut closes = Vec::new();
    for i in existing {
        let Some(k) = i.key() else { continue };
        // A second issue for one item (a create retried after its answer was lost): closed as a
        // duplicate of the one kept.
        if let Some(kept) = by_key.get(k).filter(|kept| kept.number != i.number) {
            closes.push(Action::Close {
                number: i.number,
                key: k.to_string(),
                comment: format!("Duplicate of #{}. Closed by `plumb notify`.", kept.number),
                reason: "not_planned",
            });
            continue;
        }
        if open_keys.contains_key(k) {
            continue;
        }
        let Some(e) = latest.get(k) else { continue };
        let comment = match (e.resolved_run, e.resolved_at.as_deref()) {
            (Some(r), Some(at)) if r <= seq => Some((
                format!(
                    "Resolved: the nightly scan of run #{r} ({at}) no longer finds it{}. Closed by `plumb notify`.",
                    e.time_to_remediate_seconds
                        .map(|s| format!(" (open for {})", human_duration(s)))
                        .unwrap_or_default()
                ),
                "completed",
            )),
            _ if e.kind == Kind::Finding && e.waived => {
                Some(("Waived in the waivers file. Closed by `plumb notify`.".to_string(), "not_planned"))
            }
            _ => None,
        };
        if let Some((comment, reason)) = comment {
            closes.push(Action::Close { number: i.number, key: k.to_string(), comment, reason });
        }
    }
    let mut updates = Vec::new();
    let mut creates = Vec::new();
    for n in &open {
        let (t, b) = (title(n), body(n));
        match by_key.get(n.key.as_str()) {
            Some(i) if i.title == t && i.body.as_deref() == Some(b.as_str()) => {}
            Some(i) => updates.push(Action::Update { number: i.number, key: n.key.clone(), title: t, body: b }),
            None if creates.len() < max_new => {
                let kind = if n.kind == Kind::Resource { "plumb:drift" } else { "plumb:finding" };
                creates.push(Action::Create {
                    key: n.key.clone(),
                    title: t,
                    body: b,
                    labels: vec![LABEL.to_string(), kind.to_string()],
                })
            }
            None => out.deferred += 1,
        }
    }
    out.actions.extend(closes);
    out.actions.extend(updates);
    out.actions.extend(creates);
    out
}

/// What a sync did.
#[derive(Debug, Default)]
pub struct Synced {
    pub opened: usize,
    pub updated: usize,
    pub closed: usize,
    pub deferred: usize,
}

impl std::fmt::Display for Synced {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{} opened, {} updated, {} closed", self.opened, self.updated, self.closed)?;
        if self.deferred > 0 {
            write!(f, ", {} left for the next run (--github-max-new)", self.deferred)?;
        }
        Ok(())
    }
}

/// List, plan and apply. Stops at the first failed call (the next run picks up from there).
pub async fn sync(
    client: &Client,
    t: &Target,
    h: &History,
    seq: i64,
    changes: &Changes,
    filter: Filter,
) -> anyhow::Result<Synced> {
    let existing = t.list(client).await.context("listing open issues")?;
    let plan = plan(h, seq, &existing, changes, filter, t.max_new);
    let mut done = Synced { deferred: plan.deferred, ..Synced::default() };
    for a in &plan.actions {
        let step = async {
            match a {
                Action::Create { title, body, labels, .. } => {
                    let req = t.request(
                        Method::POST,
                        "/issues",
                        Some(&json!({"title": title, "body": body, "labels": labels})),
                    )?;
                    client.send("GitHub issues", &req).await?;
                    done.opened += 1;
                }
                Action::Update { number, title, body, .. } => {
                    let req = t.request(
                        Method::PATCH,
                        &format!("/issues/{number}"),
                        Some(&json!({"title": title, "body": body})),
                    )?;
                    client.send("GitHub issues", &req).await?;
                    done.updated += 1;
                }
                Action::Close { number, comment, reason, .. } => {
                    let req = t.request(
                        Method::POST,
                        &format!("/issues/{number}/comments"),
                        Some(&json!({"body": comment})),
                    )?;
                    client.send("GitHub issues", &req).await?;
                    let req = t.request(
                        Method::PATCH,
                        &format!("/issues/{number}"),
                        Some(&json!({"state": "closed", "state_reason": reason})),
                    )?;
                    client.send("GitHub issues", &req).await?;
                    done.closed += 1;
                }
            }
            Ok::<_, anyhow::Error>(())
        };
        step.await.with_context(|| format!("after {done}"))?;
    }
    Ok(done)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::notify::ChangeValue;
    use crate::notify::tests::{item, nights, run};

    fn issue(number: u64, n: &Notice) -> Issue {
        Issue { number, title: title(n), body: Some(body(n)), state: "open".into(), pull_request: None }
    }

    #[test]
    fn opens_updates_and_closes() {
        let h = nights();
        let changes: Changes = [(
            ("aws_vpc.core".to_string(), "drifted".to_string()),
            vec![ChangeValue { path: "tags.Owner".into(), state: J::Null, live: J::from("a|b") }],
        )]
        .into_iter()
        .collect();
        let f = Filter::default();
        // Night 1: one finding, no issue yet: one to open.
        let p = plan(&h, 1, &[], &changes, f, 10);
        assert_eq!(p.actions.len(), 1);
        let Action::Create { key, body: b, labels, title: t } = &p.actions[0] else { panic!("{p:?}") };
        assert!(b.starts_with(&format!("<!-- plumb:item:{key} -->\n")));
        assert_eq!(labels, &["plumb", "plumb:finding"]);
        assert_eq!(t, "[plumb] HS-S3-004 (high) on aws_s3_bucket.logs");

        // Night 2: the finding's issue exists and is unchanged; the drift is new.
        let open2 = open_notices(&h, 2, &changes, f);
        let finding = open2.iter().find(|n| n.kind == Kind::Finding).unwrap();
        let existing = vec![issue(7, finding)];
        let p = plan(&h, 2, &existing, &changes, f, 10);
        assert_eq!(p.actions.len(), 1, "{p:?}");
        let Action::Create { body: b, .. } = &p.actions[0] else { panic!() };
        assert!(b.contains("| <code>tags.Owner</code> | <code>null</code> | <code>\"a&#124;b\"</code> |"), "{b}");

        // A changed body is updated.
        let mut stale = issue(8, open2.iter().find(|n| n.kind == Kind::Resource).unwrap());
        stale.body = Some(format!("{}\nold text", stale.body.unwrap()));
        let p = plan(&h, 2, &[existing[0].clone(), stale], &changes, f, 10);
        assert!(matches!(&p.actions[..], [Action::Update { number: 8, .. }]), "{p:?}");

        // Night 4 resolves the drift: its issue is closed with a comment.
        let drift = open2.iter().find(|n| n.kind == Kind::Resource).unwrap();
        let open4 = open_notices(&h, 4, &changes, f);
        let mut existing: Vec<Issue> = open4.iter().enumerate().map(|(i, n)| issue(20 + i as u64, n)).collect();
        existing.push(issue(9, drift));
        existing.push(Issue { number: 3, title: "unrelated".into(), body: Some("hello".into()), ..Issue::default() });
        let p = plan(&h, 4, &existing, &changes, f, 10);
        assert_eq!(p.actions.len(), 1, "{p:?}");
        let Action::Close { number: 9, comment, reason: "completed", .. } = &p.actions[0] else { panic!("{p:?}") };
        assert!(comment.contains("run #4") && comment.contains("open for 7d 0h"), "{comment}");
    }

    #[test]
    fn a_duplicate_issue_is_closed() {
        let h = nights();
        let f = Filter::default();
        let open = open_notices(&h, 1, &Changes::new(), f);
        let existing = vec![issue(12, &open[0]), issue(11, &open[0])];
        let p = plan(&h, 1, &existing, &Changes::new(), f, 10);
        assert_eq!(p.actions.len(), 1, "{p:?}");
        let Action::Close { number: 12, comment, reason: "not_planned", .. } = &p.actions[0] else { panic!("{p:?}") };
        assert_eq!(comment, "Duplicate of #11. Closed by `plumb notify`.");
    }

    #[test]
    fn new_issues_are_capped() {
        let items: Vec<_> = (0..30).map(|i| item(Kind::Resource, &format!("aws_vpc.v{i:02}"), "drifted", "")).collect();
        let h = crate::ledger::history::build(vec![run(1, 1, true, items)]);
        let p = plan(&h, 1, &[], &Changes::new(), Filter::default(), 20);
        assert_eq!(p.actions.len(), 20);
        assert_eq!(p.deferred, 10);
    }

    #[test]
    fn markers_and_targets() {
        let i = Issue { body: Some("<!-- plumb:item:abc123 -->\ntext".into()), ..Issue::default() };
        assert_eq!(i.key(), Some("abc123"));
        assert_eq!(Issue { body: Some("text <!-- plumb:item:x -->".into()), ..Issue::default() }.key(), None);
        assert_eq!(Issue::default().key(), None);
        assert!(Target::new("https://api.github.com/", "acme/infra", "t".into(), 5).is_ok());
        assert!(Target::new("https://api.github.com", "acme", "t".into(), 5).is_err());
        assert!(Target::new("https://api.github.com", "acme/in fra", "t".into(), 5).is_err());
        assert!(Target::new("http://github.example.com", "a/b", "t".into(), 5).is_err());
    }
}

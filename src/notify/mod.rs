//! `plumb notify`: tell people what changed since the last nightly run, from the evidence
//! ledger, never the whole report.
//!
//! ```text
//! ledger ──history + the run's report──▶ Delta (new, resolved, still open after N days)
//!          ├─▶ Slack incoming webhook (Block Kit)           slack.rs
//!          ├─▶ a generic webhook (JSON, HMAC-SHA256 signed)  webhook.rs
//!          └─▶ GitHub issues: one per open item, updated while open, closed when resolved  github.rs
//! ```
//!
//! The delta compares one run (default: the latest) with a base run (default: the one before).
//! Slack and the webhook get a message only when there is something to say; GitHub issues are
//! reconciled with the open items every time, so a failed night heals the next night. The
//! ledger is opened read-only: a failed notification never alters it. Secrets come from
//! environment variables only and are never printed. Exit codes: 0 delivered (or nothing to
//! say), 2 bad configuration or an unreadable ledger (nothing sent), 3 a delivery failed
//! after its retries (the other channels were still tried). See docs/notifications.md.

pub mod cli;
pub mod github;
pub mod http;
pub mod slack;
pub mod webhook;

use std::collections::{BTreeMap, HashMap};
use std::time::Duration;

use anyhow::{Context, anyhow, bail};
use serde::Serialize;
use serde_json::Value as J;

use crate::ledger::history::parse_time;
use crate::ledger::{Entry, History, Kind, Ledger, RunSummary};
use crate::rules::Severity;

/// Version of the webhook payload (`Delta`'s JSON); bumped on a breaking change.
pub const PAYLOAD_VERSION: u32 = 1;

/// Environment variables holding the destinations and secrets.
pub const ENV_SLACK_URL: &str = "PLUMB_SLACK_WEBHOOK_URL";
pub const ENV_WEBHOOK_URL: &str = "PLUMB_WEBHOOK_URL";
pub const ENV_WEBHOOK_SECRET: &str = "PLUMB_WEBHOOK_SECRET";
pub const ENV_GITHUB_TOKENS: [&str; 2] = ["PLUMB_GITHUB_TOKEN", "GITHUB_TOKEN"];

/// Exit code when a delivery failed after its retries.
pub const EXIT_DELIVERY_FAILED: u8 = 3;

/// A run, as the delta names it.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct RunRef {
    pub seq: i64,
    pub time: String,
    pub hash: String,
    pub complete: bool,
}

/// One attribute change of a drifted resource: its value in state and live.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ChangeValue {
    pub path: String,
    pub state: J,
    pub live: J,
}

/// One item of the delta: an open or resolved drift or finding.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Notice {
    /// Stable across runs (the same resource and status, or rule and resource): GitHub issues
    /// carry it as their marker.
    pub key: String,
    pub kind: Kind,
    /// The address, or `type/id` for an unmanaged resource.
    pub subject: String,
    pub address: Option<String>,
    #[serde(rename = "type")]
    pub rtype: String,
    pub id: String,
    pub region: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub status: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub rule_id: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub severity: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub message: Option<String>,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub paths: Vec<String>,
    /// Drifted resources: before (state) and after (live) of each changed attribute, from the
    /// run's report (secrets are already `(sensitive)` there).
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub changes: Vec<ChangeValue>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub cause: Option<crate::ledger::digest::Cause>,
    #[serde(skip_serializing_if = "BTreeMap::is_empty")]
    pub controls: BTreeMap<String, Vec<String>>,
    pub first_seen: String,
    pub first_seen_run: i64,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub resolved_at: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub resolved_run: Option<i64>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub time_to_remediate_seconds: Option<i64>,
    /// Open items: seconds from first seen to the run.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub age_seconds: Option<i64>,
}

#[derive(Debug, Clone, Default, PartialEq, Serialize)]
pub struct OpenCounts {
    /// Drifted, missing and unmanaged resources open at the run.
    pub resources: u64,
    /// Unwaived findings open at the run (at or above `--min-severity`).
    pub findings: u64,
}

/// What changed between the base run and the run (the webhook's payload).
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Delta {
    pub schema_version: u32,
    pub event: &'static str,
    /// The ledger's location, without password.
    pub ledger: String,
    pub run: RunRef,
    /// `None` when the run is the ledger's first: every open item is new.
    pub base_run: Option<RunRef>,
    pub summary: RunSummary,
    /// `incomplete` when the run could not read everything and the base run could;
    /// `complete` when it is complete again; absent otherwise.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub completeness: Option<&'static str>,
    pub new: Vec<Notice>,
    pub resolved: Vec<Notice>,
    /// Open items whose age passed a multiple of `--remind-after` since the base run.
    pub still_open: Vec<Notice>,
    pub open: OpenCounts,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub remind_after_seconds: Option<i64>,
}

impl Delta {
    /// Nothing new, nothing resolved, no reminder, no change of completeness.
    pub fn is_quiet(&self) -> bool {
        self.new.is_empty() && self.resolved.is_empty() && self.still_open.is_empty() && self.completeness.is_none()
    }

    /// Identifies this delta: the same run against the same base is the same delivery.
    pub fn delivery_id(&self) -> String {
        let hash: String = self.run.hash.chars().take(16).collect();
        format!("{hash}-{}", self.base_run.as_ref().map(|b| b.seq).unwrap_or(0))
    }

    /// `1 new, 2 resolved, 0 still open`.
    pub fn headline(&self) -> String {
        format!("{} new, {} resolved, {} still open", self.new.len(), self.resolved.len(), self.still_open.len())
    }
}

/// Which items count, and when to remind.
#[derive(Debug, Clone, Copy, Default)]
pub struct Filter {
    /// Findings below this severity are left out (drift always counts).
    pub min_severity: Option<Severity>,
    /// Remind of an open item each time its age passes a multiple of this many seconds.
    pub remind_after: Option<i64>,
}

impl Filter {
    /// Whether an entry is worth telling about: drift always; findings unwaived and at or above
    /// the minimum severity.
    pub fn counts(&self, e: &Entry) -> bool {
        match e.kind {
            Kind::Resource => true,
            Kind::Finding => !e.waived && self.severity_ok(e),
        }
    }

    pub fn severity_ok(&self, e: &Entry) -> bool {
        let Some(min) = self.min_severity else { return true };
        let sev = match e.severity.as_deref() {
            Some("critical") => Severity::Critical,
            Some("high") => Severity::High,
            Some("medium") => Severity::Medium,
            _ => Severity::Low,
        };
        sev >= min
    }
}

/// The stable key of a history item: kind, subject, status or rule.
pub fn key_of(e: &Entry) -> String {
    let what = match e.kind {
        Kind::Resource => e.status.clone().unwrap_or_default(),
        Kind::Finding => e.rule_id.clone().unwrap_or_default(),
    };
    crate::report::sarif::fingerprint(&["plumb-item", e.kind.as_str(), &e.subject(), &what])
}

/// Open at run `seq`: first seen then or before, not resolved by then.
pub fn open_at(e: &Entry, seq: i64) -> bool {
    e.first_seen_run <= seq && e.resolved_run.is_none_or(|r| r > seq)
}

/// Before/after values of each drifted resource in a report: (subject, status) -> changes.
pub type Changes = HashMap<(String, String), Vec<ChangeValue>>;

/// The changes of every drifted resource of a stored JSON report. A report that does not parse
/// gives none (the notice then lists paths only).
pub fn changes_of(report_json: &str) -> Changes {
    #[derive(serde::Deserialize)]
    struct R {
        #[serde(default)]
        resources: Vec<Res>,
    }
    #[derive(serde::Deserialize)]
    struct Res {
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
        state: J,
        #[serde(default)]
        live: J,
    }
    let Ok(r) = serde_json::from_str::<R>(report_json) else { return Changes::new() };
    r.resources
        .into_iter()
        .filter(|x| !x.changes.is_empty())
        .map(|x| {
            let subject = x.address.unwrap_or_else(|| format!("{}/{}", x.rtype, x.id));
            let changes =
                x.changes.into_iter().map(|c| ChangeValue { path: c.path, state: c.state, live: c.live }).collect();
            ((subject, x.status), changes)
        })
        .collect()
}

pub(crate) fn notice(e: &Entry, at: &RunRef, changes: &Changes) -> Notice {
    let age = parse_time(&at.time).zip(parse_time(&e.first_seen)).map(|(a, b)| (a - b).whole_seconds());
    let resolved = e.resolved_run.is_some_and(|r| r <= at.seq);
    Notice {
        key: key_of(e),
        kind: e.kind,
        subject: e.subject(),
        address: e.address.clone(),
        rtype: e.rtype.clone(),
        id: e.id.clone(),
        region: e.region.clone(),
        status: e.status.clone(),
        rule_id: e.rule_id.clone(),
        severity: e.severity.clone(),
        message: e.message.clone(),
        paths: e.paths.clone(),
        changes: match (&e.kind, &e.status) {
            (Kind::Resource, Some(s)) if !resolved => {
                changes.get(&(e.subject(), s.clone())).cloned().unwrap_or_default()
            }
            _ => Vec::new(),
        },
        cause: e.cause.clone(),
        controls: e.controls.clone(),
        first_seen: e.first_seen.clone(),
        first_seen_run: e.first_seen_run,
        resolved_at: if resolved { e.resolved_at.clone() } else { None },
        resolved_run: if resolved { e.resolved_run } else { None },
        time_to_remediate_seconds: if resolved { e.time_to_remediate_seconds } else { None },
        age_seconds: if resolved { None } else { age },
    }
}

pub(crate) fn run_ref(h: &History, seq: i64) -> Option<RunRef> {
    h.runs.iter().find(|r| r.seq == seq).map(|r| RunRef {
        seq: r.seq,
        time: r.time.clone(),
        hash: r.hash.clone(),
        complete: r.complete,
    })
}

/// Order notices: drift before findings, severe first, then by subject.
fn sort(v: &mut [Notice]) {
    let rank = |n: &Notice| match (n.kind, n.severity.as_deref()) {
        (Kind::Resource, _) => 0,
        (Kind::Finding, Some("critical")) => 1,
        (Kind::Finding, Some("high")) => 2,
        (Kind::Finding, Some("medium")) => 3,
        _ => 4,
    };
    v.sort_by(|a, b| (rank(a), &a.subject, &a.key).cmp(&(rank(b), &b.subject, &b.key)));
}

/// The delta of run `seq` against run `base` (`None`: the run before it, if any).
pub fn delta(
    ledger: &str,
    h: &History,
    seq: i64,
    base: Option<i64>,
    changes: &Changes,
    filter: Filter,
) -> anyhow::Result<Delta> {
    let run = run_ref(h, seq).ok_or_else(|| anyhow!("the ledger has no run {seq}"))?;
    let base_seq = match base {
        Some(b) if b >= seq => bail!("--since-run {b} must be before run {seq}"),
        Some(b) => Some(b),
        None => h.runs.iter().filter(|r| r.seq < seq).map(|r| r.seq).max(),
    };
    let base_run = match base_seq {
        Some(b) => Some(run_ref(h, b).ok_or_else(|| anyhow!("the ledger has no run {b}"))?),
        None => None,
    };
    let b = base_seq.unwrap_or(0);
    let summary = h.runs.iter().find(|r| r.seq == seq).map(|r| r.summary.clone()).unwrap_or_default();
    let mut out = Delta {
        schema_version: PAYLOAD_VERSION,
        event: "plumb.delta",
        ledger: ledger.to_string(),
        completeness: match &base_run {
            Some(br) if br.complete && !run.complete => Some("incomplete"),
            Some(br) if !br.complete && run.complete => Some("complete"),
            None if !run.complete => Some("incomplete"),
            _ => None,
        },
        run,
        base_run,
        summary,
        new: Vec::new(),
        resolved: Vec::new(),
        still_open: Vec::new(),
        open: OpenCounts::default(),
        remind_after_seconds: filter.remind_after,
    };
    let base_time = out.base_run.as_ref().and_then(|r| parse_time(&r.time));
    let run_time = parse_time(&out.run.time);
    for e in h.items.iter().filter(|e| filter.counts(e)) {
        if open_at(e, seq) {
            match e.kind {
                Kind::Resource => out.open.resources += 1,
                Kind::Finding => out.open.findings += 1,
            }
            if e.first_seen_run > b {
                out.new.push(notice(e, &out.run, changes));
            } else if let (Some(every), Some(bt), Some(rt), Some(first)) =
                (filter.remind_after.filter(|s| *s > 0), base_time, run_time, parse_time(&e.first_seen))
            {
                let (before, now) = ((bt - first).whole_seconds(), (rt - first).whole_seconds());
                if now >= every && now.div_euclid(every) > before.max(0).div_euclid(every) {
                    out.still_open.push(notice(e, &out.run, changes));
                }
            }
        } else if e.first_seen_run <= b && e.resolved_run.is_some_and(|r| r > b && r <= seq) {
            out.resolved.push(notice(e, &out.run, changes));
        }
    }
    sort(&mut out.new);
    sort(&mut out.resolved);
    sort(&mut out.still_open);
    Ok(out)
}

/// Configuration of one `plumb notify` run (from the command line and the environment).
pub struct Config {
    pub ledger: String,
    pub run: Option<i64>,
    pub since_run: Option<i64>,
    pub filter: Filter,
    pub slack: Option<http::Request>,
    pub webhook: Option<(http::Request, String)>,
    pub github: Option<github::Target>,
    pub policy: http::Policy,
    pub report_url: Option<String>,
    pub dry_run: bool,
    pub cursor: Option<std::path::PathBuf>,
}

/// A value from the environment, non-empty, or an error naming the variable.
fn env(name: &str) -> anyhow::Result<String> {
    match std::env::var(name) {
        Ok(v) if !v.trim().is_empty() => Ok(v.trim().to_string()),
        _ => bail!("{name} is not set (secrets and destinations come from the environment, never from flags)"),
    }
}

impl Config {
    /// Read and check everything before anything is sent.
    pub fn from_args(a: &cli::NotifyArgs) -> anyhow::Result<Config> {
        if !a.slack && !a.webhook && a.github.is_none() && !a.dry_run {
            bail!("no channel: pass --slack, --webhook and/or --github OWNER/REPO (or --dry-run)");
        }
        let remind_after = match &a.remind_after {
            Some(s) => Some(parse_duration(s).ok_or_else(|| anyhow!("--remind-after {s}: expected 7d, 12h, 2w"))?),
            None => None,
        };
        let slack = match a.slack {
            true => {
                let uri = http::parse_url(&env(ENV_SLACK_URL)?, ENV_SLACK_URL).map_err(|e| anyhow!(e))?;
                Some(slack::request(uri))
            }
            false => None,
        };
        let webhook = match a.webhook {
            true => {
                let uri = http::parse_url(&env(ENV_WEBHOOK_URL)?, ENV_WEBHOOK_URL).map_err(|e| anyhow!(e))?;
                let secret = env(ENV_WEBHOOK_SECRET)?;
                if secret.len() < 16 {
                    bail!(
                        "{ENV_WEBHOOK_SECRET} is too short: use at least 16 random characters (32 bytes hex is good)"
                    );
                }
                Some((webhook::request(uri), secret))
            }
            false => None,
        };
        let github = match &a.github {
            Some(repo) => {
                let token = ENV_GITHUB_TOKENS.iter().find_map(|n| env(n).ok()).ok_or_else(|| {
                    anyhow!(
                        "{} or {} is not set (a token that may write issues)",
                        ENV_GITHUB_TOKENS[0],
                        ENV_GITHUB_TOKENS[1]
                    )
                })?;
                Some(github::Target::new(&a.github_api_url, repo, token, a.github_max_new)?)
            }
            None => None,
        };
        if !(a.timeout.is_finite() && a.timeout > 0.0) {
            bail!("--timeout {}: expected a number of seconds above 0", a.timeout);
        }
        let policy = http::Policy {
            timeout: Duration::from_secs_f64(a.timeout.clamp(0.1, 300.0)),
            retries: a.retries.min(10),
            backoff: Duration::from_millis(a.backoff_ms.min(60_000)),
        };
        Ok(Config {
            ledger: a.ledger.clone(),
            run: a.run,
            since_run: a.since_run,
            filter: Filter { min_severity: a.min_severity, remind_after },
            slack,
            webhook,
            github,
            policy,
            report_url: a.report_url.clone(),
            dry_run: a.dry_run,
            cursor: a.cursor.clone(),
        })
    }
}

/// `7d`, `12h`, `30m`, `2w`, `45s` in seconds.
pub fn parse_duration(s: &str) -> Option<i64> {
    let s = s.trim();
    let at = s.find(|c: char| !c.is_ascii_digit())?;
    let (num, unit) = s.split_at(at);
    let n: i64 = num.parse().ok()?;
    let mult = match unit {
        "s" => 1,
        "m" => 60,
        "h" => 3600,
        "d" => 86_400,
        "w" => 604_800,
        _ => return None,
    };
    n.checked_mul(mult).filter(|v| *v > 0)
}

/// The last run delivered per channel (`--cursor FILE`), so that a failed night's news is told
/// the next night. A run is named by its sequence number and hash: a cursor from another
/// ledger (or a rebuilt one) does not match and is ignored.
#[derive(Debug, Clone, Default, PartialEq, Serialize, serde::Deserialize)]
pub struct Cursor {
    pub channels: BTreeMap<String, Delivered>,
}

#[derive(Debug, Clone, PartialEq, Serialize, serde::Deserialize)]
pub struct Delivered {
    pub run: i64,
    pub hash: String,
}

impl Cursor {
    /// Read the file; absent is empty, unreadable is a warning and empty (notifications go on).
    pub fn load(path: &std::path::Path) -> Cursor {
        match std::fs::read_to_string(path) {
            Ok(text) => serde_json::from_str(&text).unwrap_or_else(|e| {
                eprintln!("plumb: notify: warning: ignoring cursor {}: {e}", path.display());
                Cursor::default()
            }),
            Err(_) => Cursor::default(),
        }
    }

    /// The base run for a channel: its last delivered run, when it is in this ledger (same
    /// hash) and before `seq`.
    pub fn base(&self, channel: &str, h: &History, seq: i64) -> Option<i64> {
        let d = self.channels.get(channel)?;
        h.runs.iter().find(|r| r.seq == d.run && r.hash == d.hash && r.seq < seq).map(|r| r.seq)
    }

    /// Record a delivery; never moves back (resending an old run leaves the cursor where it was).
    pub fn set(&mut self, channel: &str, run: &RunRef) {
        if self.channels.get(channel).is_none_or(|d| d.run < run.seq) {
            self.channels.insert(channel.to_string(), Delivered { run: run.seq, hash: run.hash.clone() });
        }
    }

    /// Write through a temporary file and a rename: a crash leaves the old cursor or the new.
    pub fn save(&self, path: &std::path::Path) -> anyhow::Result<()> {
        let tmp = path.with_extension("tmp");
        let text = serde_json::to_string_pretty(self).unwrap_or_default() + "\n";
        std::fs::write(&tmp, text).with_context(|| format!("writing {}", tmp.display()))?;
        std::fs::rename(&tmp, path).with_context(|| format!("writing {}", path.display()))
    }
}

/// The history, the run's changes and the ledger's name, read without writing anything.
async fn load(cfg: &Config) -> anyhow::Result<(History, i64, Changes, String)> {
    let mut l = Ledger::open_existing(&cfg.ledger).await?;
    let shown = l.display();
    let result = async {
        let h = l.history().await?;
        let seq = match cfg.run {
            Some(n) => n,
            None => match l.head().await?.0 {
                0 => bail!("ledger {shown} has no runs yet: run `plumb scan --ledger` first"),
                n => n,
            },
        };
        let report = l.report(seq).await?;
        Ok((h, seq, changes_of(&report)))
    }
    .await;
    l.close().await;
    let (h, seq, changes) = result?;
    Ok((h, seq, changes, shown))
}

/// `plumb notify`: exit 0 delivered (or nothing to say), 3 a delivery failed; errors (bad
/// configuration, unreadable ledger) are returned and exit 2.
pub async fn run(args: cli::NotifyArgs) -> anyhow::Result<u8> {
    let cfg = Config::from_args(&args)?;
    let (h, seq, changes, shown) = load(&cfg).await?;
    let mut cursor = cfg.cursor.as_deref().map(Cursor::load);
    let d = delta(&shown, &h, seq, cfg.since_run, &changes, cfg.filter)?;
    // Per channel: `--since-run`, else the cursor's last delivered run, else the previous run.
    let delta_for = |channel: &str| -> anyhow::Result<Delta> {
        match (cfg.since_run, cursor.as_ref().and_then(|c| c.base(channel, &h, seq))) {
            (None, Some(base)) if Some(base) != d.base_run.as_ref().map(|b| b.seq) => {
                eprintln!("plumb: notify: {channel}: last delivered run {base}: telling what is new since then");
                delta(&shown, &h, seq, Some(base), &changes, cfg.filter)
            }
            _ => Ok(d.clone()),
        }
    };
    let against = match &d.base_run {
        Some(b) => format!("run {}", b.seq),
        None => "nothing (first run)".to_string(),
    };
    eprintln!("plumb: notify: run {} against {against}: {}", d.run.seq, d.headline());

    if cfg.dry_run {
        let mut out = serde_json::json!({"delta": d});
        if d.is_quiet() {
            out["slack"] = J::Null;
        } else {
            out["slack"] = slack::message(&d, cfg.report_url.as_deref());
        }
        if let Some(t) = &cfg.github {
            let client = http::Client::new(cfg.policy);
            let existing = t.list(&client).await.context("listing GitHub issues")?;
            let plan = github::plan(&h, seq, &existing, &changes, cfg.filter, t.max_new);
            out["github"] = serde_json::to_value(&plan.actions).unwrap_or(J::Null);
        }
        crate::report::write_out(&(serde_json::to_string_pretty(&out).unwrap_or_default() + "\n"), None)?;
        return Ok(0);
    }

    let client = http::Client::new(cfg.policy);
    let mut failed = 0u32;
    let mut delivered: Vec<&str> = Vec::new();
    if let Some(req) = &cfg.slack {
        let d = delta_for("slack")?;
        if d.is_quiet() {
            eprintln!("plumb: notify: Slack: nothing new, no message");
            delivered.push("slack");
        } else {
            match slack::send(&client, req, &d, cfg.report_url.as_deref()).await {
                Ok(()) => {
                    eprintln!("plumb: notify: Slack: message sent");
                    delivered.push("slack");
                }
                Err(e) => {
                    failed += 1;
                    eprintln!("plumb: notify: FAILED: {e}");
                }
            }
        }
    }
    if let Some((req, secret)) = &cfg.webhook {
        let d = delta_for("webhook")?;
        if d.is_quiet() {
            eprintln!("plumb: notify: webhook: nothing new, no delivery");
            delivered.push("webhook");
        } else {
            match webhook::send(&client, req, secret, &d).await {
                Ok(()) => {
                    eprintln!("plumb: notify: webhook: delivered ({})", d.delivery_id());
                    delivered.push("webhook");
                }
                Err(e) => {
                    failed += 1;
                    eprintln!("plumb: notify: FAILED: {e}");
                }
            }
        }
    }
    if let (Some(c), Some(path)) = (cursor.as_mut(), cfg.cursor.as_deref()) {
        for channel in &delivered {
            c.set(channel, &d.run);
        }
        if let Err(e) = c.save(path) {
            failed += 1;
            eprintln!("plumb: notify: FAILED: recording the cursor: {e:#}");
        }
    }
    if let Some(t) = &cfg.github {
        match github::sync(&client, t, &h, seq, &changes, cfg.filter).await {
            Ok(s) => eprintln!("plumb: notify: GitHub {}: {s}", t.repo),
            Err(e) => {
                failed += 1;
                eprintln!("plumb: notify: FAILED: GitHub {}: {e:#}", t.repo);
            }
        }
    }
    if failed > 0 {
        let again = match &cfg.cursor {
            Some(_) => {
                "the cursor keeps the last delivered run: the next run tells what this one could not".to_string()
            }
            None => format!(
                "run `plumb notify --run {} --since-run {}` to resend",
                d.run.seq,
                d.base_run.as_ref().map(|b| b.seq).unwrap_or(0)
            ),
        };
        eprintln!("plumb: notify: {failed} channel(s) failed; the ledger is unchanged ({again})");
        return Ok(EXIT_DELIVERY_FAILED);
    }
    Ok(0)
}

#[cfg(test)]
pub(crate) mod tests {
    use super::*;
    use crate::ledger::digest::{Digest, FindingCounts, Item};
    use crate::ledger::history::{self, Run};

    pub(crate) fn item(kind: Kind, address: &str, what: &str, severity: &str) -> Item {
        Item {
            kind,
            account: None,
            address: Some(address.into()),
            rtype: address.split('.').next().unwrap_or("").into(),
            id: format!("id-{address}"),
            region: Some("us-east-1".into()),
            status: (kind == Kind::Resource).then(|| what.to_string()),
            paths: if kind == Kind::Resource { vec!["tags.Owner".into()] } else { vec![] },
            cause: None,
            rule_id: (kind == Kind::Finding).then(|| what.to_string()),
            severity: (kind == Kind::Finding).then(|| severity.to_string()),
            waived: false,
            message: (kind == Kind::Finding).then(|| format!("{what} fails")),
            controls: BTreeMap::new(),
        }
    }

    pub(crate) fn run(seq: i64, day: u32, complete: bool, items: Vec<Item>) -> (Run, Digest) {
        let time = format!("2026-11-{day:02}T02:00:00Z");
        let summary = RunSummary { findings: FindingCounts::default(), ..RunSummary::default() };
        let d = Digest {
            v: crate::ledger::digest::DIGEST_VERSION,
            started_at: time.clone(),
            complete,
            summary: summary.clone(),
            failed_types: Vec::new(),
            unobserved: Vec::new(),
            items,
            part: None,
            accounts: BTreeMap::new(),
        };
        (Run::single(seq, time, format!("{seq:064}"), &d), d)
    }

    /// Five nights: a finding from night 1, a drift on night 2, fixed on night 4, a low
    /// finding on night 3, night 5 incomplete.
    pub(crate) fn nights() -> History {
        let f = item(Kind::Finding, "aws_s3_bucket.logs", "HS-S3-004", "high");
        let low = item(Kind::Finding, "aws_vpc.core", "HS-VPC-001", "low");
        let d = item(Kind::Resource, "aws_vpc.core", "drifted", "");
        history::build(vec![
            run(1, 1, true, vec![f.clone()]),
            run(2, 2, true, vec![f.clone(), d.clone()]),
            run(3, 3, true, vec![f.clone(), d.clone(), low.clone()]),
            run(4, 9, true, vec![f.clone(), low.clone()]),
            run(5, 10, false, vec![f, low]),
        ])
    }

    #[test]
    fn new_resolved_and_reminders() {
        let h = nights();
        let changes: Changes = [(
            ("aws_vpc.core".to_string(), "drifted".to_string()),
            vec![ChangeValue { path: "tags.Owner".into(), state: J::Null, live: J::from("x") }],
        )]
        .into_iter()
        .collect();
        let d2 = delta("l.db", &h, 2, None, &changes, Filter::default()).unwrap();
        assert_eq!(d2.base_run.as_ref().map(|b| b.seq), Some(1));
        assert_eq!(d2.new.len(), 1);
        assert_eq!(d2.new[0].subject, "aws_vpc.core");
        assert_eq!(d2.new[0].changes[0].live, J::from("x"));
        assert!(d2.resolved.is_empty() && d2.still_open.is_empty());
        assert_eq!(d2.open, OpenCounts { resources: 1, findings: 1 });

        let first = delta("l.db", &h, 1, None, &changes, Filter::default()).unwrap();
        assert!(first.base_run.is_none());
        assert_eq!(first.new.len(), 1, "the first run: everything open is new");

        let d4 = delta("l.db", &h, 4, None, &changes, Filter::default()).unwrap();
        assert_eq!(d4.resolved.len(), 1);
        assert_eq!(d4.resolved[0].resolved_run, Some(4));
        assert_eq!(d4.resolved[0].time_to_remediate_seconds, Some(7 * 86_400));
        assert!(d4.resolved[0].changes.is_empty());
        assert!(d4.new.is_empty());

        // Reminders: the finding is 8 days old on night 4 (2 days old on night 3).
        let weekly = Filter { remind_after: Some(7 * 86_400), ..Filter::default() };
        let d4 = delta("l.db", &h, 4, None, &changes, weekly).unwrap();
        assert_eq!(d4.still_open.iter().map(|n| n.subject.as_str()).collect::<Vec<_>>(), ["aws_s3_bucket.logs"]);
        assert_eq!(d4.still_open[0].age_seconds, Some(8 * 86_400));
        let d5 = delta("l.db", &h, 5, None, &changes, weekly).unwrap();
        let reminded: Vec<_> = d5.still_open.iter().map(|n| n.rule_id.as_deref()).collect();
        assert_eq!(
            reminded,
            [Some("HS-VPC-001")],
            "the low finding turns 7 days; the high one was reminded on night 4"
        );
        assert_eq!(d5.completeness, Some("incomplete"));
        assert!(!d5.is_quiet());

        // Minimum severity: the low finding is not news.
        let high = Filter { min_severity: Some(Severity::High), ..Filter::default() };
        let d3 = delta("l.db", &h, 3, None, &changes, high).unwrap();
        assert!(d3.new.is_empty() && d3.is_quiet(), "{:?}", d3.new);
        let d3 = delta("l.db", &h, 3, None, &changes, Filter::default()).unwrap();
        assert_eq!(d3.new.len(), 1);

        // Over several runs: since run 1, night 4 has the low finding new and nothing resolved
        // (the drift came and went in between).
        let d = delta("l.db", &h, 4, Some(1), &changes, Filter::default()).unwrap();
        assert_eq!(d.new.iter().map(|n| n.subject.as_str()).collect::<Vec<_>>(), ["aws_vpc.core"]);
        assert_eq!(d.new[0].rule_id.as_deref(), Some("HS-VPC-001"));
        assert!(d.resolved.is_empty());
        assert!(delta("l.db", &h, 4, Some(4), &changes, Filter::default()).is_err());
        assert!(delta("l.db", &h, 9, None, &changes, Filter::default()).is_err());
    }

    #[test]
    fn keys_are_stable_and_distinct() {
        let h = nights();
        let keys: Vec<String> = h.items.iter().map(key_of).collect();
        let mut unique = keys.clone();
        unique.sort();
        unique.dedup();
        assert_eq!(unique.len(), keys.len());
        assert_eq!(keys, nights().items.iter().map(key_of).collect::<Vec<_>>());
        assert_eq!(keys[0].len(), 32);
    }

    #[test]
    fn durations() {
        assert_eq!(parse_duration("7d"), Some(604_800));
        assert_eq!(parse_duration("12h"), Some(43_200));
        assert_eq!(parse_duration("2w"), Some(1_209_600));
        assert_eq!(parse_duration("0d"), None);
        assert_eq!(parse_duration("d"), None);
        assert_eq!(parse_duration("7 days"), None);
        assert_eq!(parse_duration("99999999999999999999d"), None);
    }

    #[test]
    fn changes_from_a_report() {
        let c = changes_of(
            r#"{"resources": [
              {"address": "aws_vpc.a", "type": "aws_vpc", "id": "v", "status": "drifted",
               "changes": [{"path": "tags.Owner", "state": null, "live": "x"}]},
              {"address": null, "type": "aws_s3_bucket", "id": "b", "status": "unmanaged", "changes": []}]}"#,
        );
        assert_eq!(c.len(), 1);
        assert_eq!(c[&("aws_vpc.a".into(), "drifted".into())][0].path, "tags.Owner");
        assert!(changes_of("not json").is_empty());
    }
}

//! `plumb notify`'s arguments (clap), beside the code that runs it.

use std::path::PathBuf;

use clap::Args;

/// `plumb notify`. Destinations and secrets come from environment variables only.
#[derive(Debug, Args)]
pub struct NotifyArgs {
    /// The ledger the nightly `plumb scan --ledger` writes (opened read-only).
    #[arg(long, value_name = "PATH|postgres://...")]
    pub ledger: String,
    /// Post to a Slack incoming webhook (its URL in PLUMB_SLACK_WEBHOOK_URL).
    #[arg(long)]
    pub slack: bool,
    /// POST the delta as JSON signed with HMAC-SHA256 (URL in PLUMB_WEBHOOK_URL, secret in
    /// PLUMB_WEBHOOK_SECRET).
    #[arg(long)]
    pub webhook: bool,
    /// Keep one issue per open drift or finding in this repository (a token that may write
    /// issues in PLUMB_GITHUB_TOKEN or GITHUB_TOKEN).
    #[arg(long, value_name = "OWNER/REPO")]
    pub github: Option<String>,
    /// The GitHub REST API (GitHub Enterprise Server: `https://HOST/api/v3`).
    #[arg(long, env = "GITHUB_API_URL", default_value = "https://api.github.com", value_name = "URL")]
    pub github_api_url: String,
    /// At most this many new issues per run; the rest are opened by the next runs.
    #[arg(long, default_value_t = 20, value_name = "N")]
    pub github_max_new: usize,
    /// The run to report (`plumb history` lists them); default: the latest.
    #[arg(long, value_name = "N")]
    pub run: Option<i64>,
    /// Compare with this earlier run instead of the one just before (to resend after a failed
    /// night: what is new since the last delivered run).
    #[arg(long, value_name = "N")]
    pub since_run: Option<i64>,
    /// A small JSON file remembering, per channel, the last run delivered: after a failed
    /// night, the next run reports everything new since then (keep it beside the ledger).
    #[arg(long, value_name = "FILE")]
    pub cursor: Option<PathBuf>,
    /// Remind of items still open each time their age passes a multiple of this (`7d`).
    #[arg(long, value_name = "DURATION")]
    pub remind_after: Option<String>,
    /// Leave out findings below this severity (drift is always told).
    #[arg(long, value_name = "SEVERITY", value_parser = severity)]
    pub min_severity: Option<crate::rules::Severity>,
    /// A link to the published HTML report, shown in the Slack message.
    #[arg(long, value_name = "URL")]
    pub report_url: Option<String>,
    /// Seconds to wait for each HTTP answer.
    #[arg(long, default_value_t = 10.0, value_name = "SECONDS")]
    pub timeout: f64,
    /// Retries after a failed attempt (connection error, timeout, 429, 5xx), with exponential
    /// backoff.
    #[arg(long, default_value_t = 3, value_name = "N")]
    pub retries: u32,
    /// The first backoff in milliseconds (doubled per retry).
    #[arg(long, default_value_t = 1000, hide = true)]
    pub backoff_ms: u64,
    /// Print the delta, the Slack message and the GitHub changes as JSON instead of sending
    /// (GitHub is still read to plan the changes when --github is given).
    #[arg(long)]
    pub dry_run: bool,
}

fn severity(s: &str) -> Result<crate::rules::Severity, String> {
    use crate::rules::Severity::*;
    match s.to_ascii_lowercase().as_str() {
        "critical" => Ok(Critical),
        "high" => Ok(High),
        "medium" => Ok(Medium),
        "low" => Ok(Low),
        _ => Err("expected one of critical, high, medium, low".into()),
    }
}

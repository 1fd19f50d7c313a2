//! Command-line interface (clap derive). Exit codes: 0 clean, 1 drift, 2 usage error,
//! bad input or an incomplete scan.

use std::path::PathBuf;

use clap::{Args, Parser, Subcommand};

use crate::report::Format;

#[derive(Debug, Parser)]
#[command(name = "plumb", version = crate::VERSION, about = "Drift, hardening and attribution for Terraform-managed AWS")]
pub struct Cli {
    #[command(subcommand)]
    pub command: Command,
    /// More detail on stderr: `scan` and `blame` log each AWS API call (service, operation,
    /// status, duration) and the number of calls per service; `check` lists what it could not
    /// evaluate and why.
    #[arg(short, long, global = true, action = clap::ArgAction::Count)]
    pub verbose: u8,
}

#[derive(Debug, Subcommand)]
pub enum Command {
    /// Compare Terraform state with live AWS: drifted, missing and unmanaged resources.
    Scan(ScanArgs),
    /// Check Terraform code (or a plan) against the hardening rules before apply, without
    /// cloud credentials: for pull requests and pre-commit hooks.
    Check(CheckArgs),
    /// A resource's write history from CloudTrail, newest first: who, how, when, what.
    Blame(BlameArgs),
    /// List the hardening rules, or show one (`plumb rules show HS-S3-001`).
    Rules(crate::rules::cli::RulesArgs),
    /// The resource types Plumb knows: read live or not, write events mapped, rules view.
    Types(TypesArgs),
    /// Check the evidence ledger's hash chain (`plumb ledger verify --ledger L`).
    Ledger(LedgerArgs),
    /// Runs recorded in a ledger, and when each drift and finding was first seen and resolved.
    History(HistoryArgs),
    /// A self-contained HTML report from a ledger: latest run, trends, open and resolved items.
    Report(ReportArgs),
    /// The live configuration recorded with one run, as sorted text (for audit documentation).
    Export(ExportArgs),
    /// What changed in the live configuration between two recorded runs.
    Diff(DiffArgs),
    /// Write the Terraform change that resolves what a scan found (adopt the live value,
    /// revert to the code's, import what was made by hand) and the code's hardening fixes, as
    /// a patch to review, with a summary of what was and was not patched (docs/fix.md).
    Fix(crate::fix::args::FixArgs),
    /// Tell Slack, a signed webhook and GitHub issues what changed since the previous run in a
    /// ledger: new, resolved, and still open after N days (docs/notifications.md).
    Notify(crate::notify::cli::NotifyArgs),
    /// Shell completions and man pages from this command line (for packagers).
    #[command(hide = true)]
    Generate(crate::cli_generate::GenerateArgs),
}

#[derive(Debug, Args)]
pub struct ScanArgs {
    /// Terraform state to compare: a file, a glob (`envs/*/terraform.tfstate`) or
    /// `s3://bucket/key`, or `-` for standard input (`terraform state pull | plumb scan --state -`).
    /// Repeat for several states.
    #[arg(long = "state", value_name = "PATH|GLOB|s3://bucket/key", required_unless_present = "config")]
    pub states: Vec<String>,
    /// Region to read live resources from. Repeat for several; default: the regions the
    /// states' resources live in, else the AWS configuration's region (AWS_REGION, profile),
    /// else us-east-1 for states of account-wide resources only (IAM, CloudFront).
    #[arg(long = "region", value_name = "REGION")]
    pub regions: Vec<String>,
    /// Scan several accounts in one run: an estates file naming each account's states,
    /// regions and how to reach it (an assumed role or a profile), or discovering member
    /// accounts through AWS Organizations (docs/estates.md). Replaces --state and --region.
    #[arg(long, value_name = "estates.toml", conflicts_with_all = ["states", "regions"])]
    pub config: Option<PathBuf>,
    /// Scan only shard I of N of the configured accounts (zero-based: 0/4 .. 3/4), for an
    /// orchestrator running N processes per night (docs/scale.md).
    #[arg(long, value_name = "I/N", requires = "config")]
    pub shard: Option<crate::estate::Shard>,
    /// The night this run belongs to, the same for every shard of it (a Kubernetes Job's
    /// name, a scheduled time): the ledger treats the records of one run id as one run.
    /// Default with --shard: the UTC date.
    #[arg(long, env = "PLUMB_RUN_ID", value_name = "ID", value_parser = parse_run_id)]
    pub run_id: Option<String>,
    /// Send every AWS call to this endpoint (an emulator); S3 then uses path-style URLs.
    #[arg(long, env = "AWS_ENDPOINT_URL", value_name = "URL")]
    pub endpoint_url: Option<String>,
    /// Report format: `text`, `json`, or an export for other tools: `sarif`, `junit`, `ocsf`
    /// (OCSF 1.5.0 events), `asff` (Security Hub findings) (docs/exports.md).
    #[arg(long, value_enum, default_value = "text")]
    pub format: crate::report::ScanFormat,
    /// Write the report to this file instead of standard output.
    #[arg(long, short, value_name = "FILE")]
    pub output: Option<PathBuf>,
    /// Where `docs/rules/<ID>.md` is published: SARIF, OCSF and ASFF link each rule there.
    #[arg(long, env = "PLUMB_DOCS_URL", value_name = "URL")]
    pub docs_url: Option<String>,
    /// Never colour the text report (colour is used only on a terminal anyway).
    #[arg(long)]
    pub no_color: bool,
    /// Append this run to an evidence ledger: a SQLite file (created when absent) or
    /// `postgres://user@host/db` (also `PLUMB_LEDGER`, so that a password stays out of the
    /// command line).
    #[arg(long, env = "PLUMB_LEDGER", hide_env_values = true, value_name = "PATH|postgres://...")]
    pub ledger: Option<String>,
    /// Name who caused each drift from CloudTrail: a folder of log files, a trail bucket
    /// (`s3://bucket/prefix`, the trail's key prefix) or `lookup` (the LookupEvents API).
    #[arg(long, value_name = "DIR|s3://bucket/prefix|lookup")]
    pub cloudtrail: Option<String>,
    /// How far back to read CloudTrail (with `--cloudtrail`): `30d` (the default), `12h`, or a
    /// date (`2026-10-01`).
    #[arg(long, value_name = "DURATION|DATE", requires = "cloudtrail")]
    pub since: Option<String>,
    /// Report only resources whose type, address or `TYPE ID` matches this glob (`aws_s3_*`,
    /// `module.network.*`); repeat for several. Everything is still read: a resource left out
    /// is not reported, never turned unmanaged.
    #[arg(long = "include", value_name = "GLOB")]
    pub include: Vec<String>,
    /// Leave out resources whose type, address or `TYPE ID` matches this glob; repeat.
    #[arg(long = "exclude", value_name = "GLOB")]
    pub exclude: Vec<String>,
    /// Drift (drifted, missing or unmanaged resources) is reported but does not fail the run:
    /// the exit code then follows `--fail-on` (and 2 for an incomplete scan) only.
    #[arg(long)]
    pub no_fail_on_drift: bool,
    /// The Terraform code of the scanned states: its `lifecycle { ignore_changes }` are
    /// honoured (those changes are reported as ignored, not as drift).
    #[arg(long, value_name = "DIR")]
    pub code: Option<PathBuf>,
    /// Expected changes for state-only scans: a YAML list of `address` (glob), `paths`,
    /// `reason`, optional `expires` (see docs/drift.md). Ignored changes are reported as such;
    /// entries that expired or matched nothing are listed.
    #[arg(long, value_name = "FILE")]
    pub ignore: Option<PathBuf>,
    /// Longest wait for one attempt of one AWS API call (`30s`, `2m`, `500ms`); a call with
    /// its retries gets four times this. A call that runs out makes its types incomplete.
    #[arg(long, env = "PLUMB_CALL_TIMEOUT", value_name = "DURATION", default_value = "30s", value_parser = parse_duration)]
    pub call_timeout: std::time::Duration,
    /// Longest time for reading AWS (`30m`, `2h`): reads not done by then are abandoned, their
    /// types reported under `errors` (DeadlineExceeded) and the scan is incomplete (exit 2);
    /// the report and the ledger record are still written.
    #[arg(long, env = "PLUMB_DEADLINE", value_name = "DURATION", default_value = "30m", value_parser = parse_duration)]
    pub deadline: std::time::Duration,
    #[command(flatten)]
    pub policy: PolicyArgs,
}

/// `500ms`, `30s`, `2m`, `1h`, or a number of seconds; more than zero.
pub fn parse_duration(s: &str) -> Result<std::time::Duration, String> {
    let s = s.trim();
    let split = s.find(|c: char| !c.is_ascii_digit() && c != '.').unwrap_or(s.len());
    let (number, unit) = s.split_at(split);
    let n: f64 = number.parse().map_err(|_| format!("{s:?}: expected a duration such as 30s, 2m or 1h"))?;
    let seconds = match unit.trim() {
        "ms" => n / 1000.0,
        "" | "s" => n,
        "m" => n * 60.0,
        "h" => n * 3600.0,
        u => return Err(format!("{s:?}: unknown unit {u:?} (use ms, s, m or h)")),
    };
    if !(seconds > 0.0 && seconds <= 7.0 * 86400.0) {
        return Err(format!("{s:?}: expected more than zero and at most a week"));
    }
    Ok(std::time::Duration::from_secs_f64(seconds))
}

/// Hardening rules, waivers and the failure gate; shared by `scan` and `check`.
#[derive(Debug, Clone, Default, Args)]
pub struct PolicyArgs {
    /// Also evaluate the rules under this directory (`*.rego` files with `# METADATA`; see
    /// rules/README.md), in addition to the baseline.
    #[arg(long = "rules", value_name = "DIR")]
    pub rules: Option<PathBuf>,
    /// Accepted exceptions: a YAML list of `rule`, `address` (glob), `reason`, `approved_by`,
    /// `expires` (see docs/rules-in-scan.md). Expired waivers are ignored and reported.
    #[arg(long, value_name = "FILE")]
    pub waivers: Option<PathBuf>,
    /// Which unwaived findings fail the run (exit 1): those at or above `critical`, `high`,
    /// `medium` or `low`, or `none` (findings are reported, never fail); default: any finding.
    #[arg(long, value_name = "SEVERITY|none", value_parser = parse_fail_on)]
    pub fail_on: Option<crate::rules::policy::FailOn>,
}

/// A run id is a label: 1 to 128 printable characters without spaces.
fn parse_run_id(s: &str) -> Result<String, String> {
    if s.is_empty() || s.len() > 128 || !s.chars().all(|c| c.is_ascii_graphic()) {
        return Err("expected 1 to 128 printable characters without spaces (e.g. plumb-nightly-29408160)".into());
    }
    Ok(s.to_string())
}

fn parse_fail_on(s: &str) -> Result<crate::rules::policy::FailOn, String> {
    use crate::rules::Severity::*;
    use crate::rules::policy::FailOn::{AtLeast, Never};
    match s.to_ascii_lowercase().as_str() {
        "critical" => Ok(AtLeast(Critical)),
        "high" => Ok(AtLeast(High)),
        "medium" => Ok(AtLeast(Medium)),
        "low" => Ok(AtLeast(Low)),
        "none" => Ok(Never),
        _ => Err("expected one of critical, high, medium, low, none".into()),
    }
}

#[derive(Debug, Args)]
pub struct TypesArgs {
    #[arg(long, value_enum, default_value = "text")]
    pub format: Format,
}

#[derive(Debug, Args)]
pub struct BlameArgs {
    /// The resource: its address in the state (`aws_db_instance.records`), or an ARN or id.
    #[arg(value_name = "ADDRESS|ARN")]
    pub target: String,
    /// Terraform state(s) to find the resource in (as for `scan`).
    #[arg(long = "state", value_name = "PATH|GLOB|s3://bucket/key", required = true)]
    pub states: Vec<String>,
    /// Where to read CloudTrail: a folder, `s3://bucket/prefix` or `lookup`.
    #[arg(long, value_name = "DIR|s3://bucket/prefix|lookup", default_value = "lookup")]
    pub cloudtrail: String,
    /// Only the resource itself (and its split parts), not what defines it: by default the
    /// history of a node group includes its launch template, Auto Scaling groups, node role
    /// and the role's policy attachments.
    #[arg(long)]
    pub no_links: bool,
    /// How far back: `30d`, `12h`, or a date (`2026-10-01`).
    #[arg(long, value_name = "DURATION|DATE", default_value = "30d")]
    pub since: String,
    /// Region(s) of the trail folders or LookupEvents; default: the states' regions, else
    /// the AWS configuration's.
    #[arg(long = "region", value_name = "REGION")]
    pub regions: Vec<String>,
    #[arg(long, env = "AWS_ENDPOINT_URL", value_name = "URL")]
    pub endpoint_url: Option<String>,
    #[arg(long, value_enum, default_value = "text")]
    pub format: Format,
    /// Write the history to this file instead of standard output.
    #[arg(long, short, value_name = "FILE")]
    pub output: Option<PathBuf>,
}

#[derive(Debug, Args)]
pub struct LedgerArgs {
    #[command(subcommand)]
    pub command: LedgerCommand,
}

#[derive(Debug, Subcommand)]
pub enum LedgerCommand {
    /// Recompute the hash chain; exit 0 when intact, 1 naming the first record that does not match.
    Verify(LedgerVerifyArgs),
    /// Record a JSON report made earlier (`plumb scan --format json`), with its live
    /// configuration text when there is one; the record's time is the report's `started_at`.
    Append(LedgerAppendArgs),
}

#[derive(Debug, Args)]
pub struct LedgerAppendArgs {
    /// The evidence ledger: a SQLite file or `postgres://user@host/db`.
    #[arg(long, value_name = "PATH|postgres://...")]
    pub ledger: String,
    /// The JSON report to record.
    #[arg(long, value_name = "FILE")]
    pub report: PathBuf,
    /// The run's live configuration as text (the format of `plumb export`).
    #[arg(long, value_name = "FILE")]
    pub snapshot: Option<PathBuf>,
}

#[derive(Debug, Args)]
pub struct LedgerVerifyArgs {
    /// The ledger: a SQLite file or `postgres://user@host/db`.
    /// The evidence ledger: a SQLite file or `postgres://user@host/db`.
    #[arg(long, value_name = "PATH|postgres://...")]
    pub ledger: String,
    /// Only the chain: skip re-deriving each record's history digest from its report.
    #[arg(long)]
    pub quick: bool,
    #[arg(long, value_enum, default_value = "text")]
    pub format: Format,
}

#[derive(Debug, Args)]
pub struct HistoryArgs {
    /// The evidence ledger: a SQLite file or `postgres://user@host/db`.
    #[arg(long, value_name = "PATH|postgres://...")]
    pub ledger: String,
    /// Only items about this resource: its address, or an unmanaged resource's id.
    #[arg(long, value_name = "ADDRESS")]
    pub address: Option<String>,
    /// Only runs from then on, and items open then or seen since: `30d`, `12h`, a date or an RFC 3339 time.
    #[arg(long, value_name = "DURATION|DATE")]
    pub since: Option<String>,
    #[arg(long, value_enum, default_value = "text")]
    pub format: Format,
    /// Write to this file instead of standard output.
    #[arg(long, short, value_name = "FILE")]
    pub output: Option<PathBuf>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum LedgerReportFormat {
    Html,
}

#[derive(Debug, Args)]
pub struct ReportArgs {
    /// The evidence ledger: a SQLite file or `postgres://user@host/db`.
    #[arg(long, value_name = "PATH|postgres://...")]
    pub ledger: String,
    #[arg(long, value_enum, default_value = "html")]
    pub format: LedgerReportFormat,
    /// Write the report to this file instead of standard output.
    #[arg(long, short, value_name = "FILE")]
    pub output: Option<PathBuf>,
}

#[derive(Debug, Args)]
pub struct ExportArgs {
    /// The evidence ledger: a SQLite file or `postgres://user@host/db`.
    #[arg(long, value_name = "PATH|postgres://...")]
    pub ledger: String,
    /// The run's sequence number (`plumb history` lists them); default: the latest.
    #[arg(long, value_name = "N")]
    pub run: Option<i64>,
    /// Write to this file instead of standard output.
    #[arg(long, short, value_name = "FILE")]
    pub output: Option<PathBuf>,
}

#[derive(Debug, Args)]
pub struct DiffArgs {
    /// The earlier run's sequence number.
    pub run_a: i64,
    /// The later run's sequence number.
    pub run_b: i64,
    /// The evidence ledger: a SQLite file or `postgres://user@host/db`.
    #[arg(long, value_name = "PATH|postgres://...")]
    pub ledger: String,
    /// Write to this file instead of standard output.
    #[arg(long, short, value_name = "FILE")]
    pub output: Option<PathBuf>,
}

#[derive(Debug, Args)]
pub struct CheckArgs {
    /// The root module: a directory of `.tf` files (local modules it calls are followed).
    #[arg(value_name = "DIR")]
    pub dir: Option<PathBuf>,
    /// A plan as JSON (`terraform show -json PLANFILE`): its planned values are checked
    /// instead of evaluating the code, and its `resource_drift` is reported. With DIR too,
    /// findings point at the code's file and line.
    #[arg(long, value_name = "plan.json")]
    pub plan: Option<PathBuf>,
    /// A variable value, as Terraform's `-var` (repeatable).
    #[arg(long = "var", value_name = "NAME=VALUE")]
    pub vars: Vec<String>,
    /// A variables file, as Terraform's `-var-file` (repeatable; later files win).
    /// `terraform.tfvars` and `*.auto.tfvars` in DIR are read anyway.
    #[arg(long = "var-file", value_name = "FILE")]
    pub var_files: Vec<PathBuf>,
    /// The applied state (a local tfstate file): also report, per resource, what the code
    /// changes that is not applied yet.
    #[arg(long, value_name = "terraform.tfstate")]
    pub state: Option<PathBuf>,
    /// Report format.
    #[arg(long, value_enum, default_value = "text")]
    pub format: crate::report::check::CheckFormat,
    /// Write the report to this file instead of standard output.
    #[arg(long, short, value_name = "FILE")]
    pub output: Option<PathBuf>,
    /// Where `docs/rules/<ID>.md` is published (a URL ending in `docs/rules`): SARIF rule
    /// descriptors then carry it as their help link.
    #[arg(long, env = "PLUMB_DOCS_URL", value_name = "URL")]
    pub docs_url: Option<String>,
    /// Never colour the text report (colour is used only on a terminal anyway).
    #[arg(long)]
    pub no_color: bool,
    #[command(flatten)]
    pub policy: PolicyArgs,
}

#[cfg(test)]
mod tests {
    use std::time::Duration;

    use super::parse_duration;

    #[test]
    fn durations() {
        assert_eq!(parse_duration("30s"), Ok(Duration::from_secs(30)));
        assert_eq!(parse_duration("2m"), Ok(Duration::from_secs(120)));
        assert_eq!(parse_duration("1h"), Ok(Duration::from_secs(3600)));
        assert_eq!(parse_duration("500ms"), Ok(Duration::from_millis(500)));
        assert_eq!(parse_duration("1.5s"), Ok(Duration::from_millis(1500)));
        assert_eq!(parse_duration("45"), Ok(Duration::from_secs(45)));
        for bad in ["", "0s", "-1s", "1d", "soon", "1e400", "NaN", "8d", "1..2s"] {
            assert!(parse_duration(bad).is_err(), "{bad}");
        }
    }
}

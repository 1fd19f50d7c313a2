//! The pipeline, wired: the only module that knows every other one.

mod estates;

use std::collections::BTreeSet;
use std::io::IsTerminal;

use anyhow::{Context, anyhow};
use time::format_description::well_known::Rfc3339;

use crate::attribution::{self, Trail, Window};
use crate::aws::client::{self, CallStats, ClientOptions};
use crate::aws::{self as live};
use crate::cli::{BlameArgs, Cli, Command, ScanArgs};
use crate::diff::{self, Scope};
use crate::model::{Inventory, ReadError, Resource};
use crate::normalize::{self, Views};
use crate::report::{self, Format, ScanFormat, ScanReport};
use crate::source::{state_object, tfstate};

/// Why a run failed before producing a report. Both exit 2.
#[derive(Debug)]
pub enum Failure {
    /// Bad input: printed as a diagnostic with its source excerpt.
    Input(miette::Report),
    /// Operational: printed as an error chain.
    Operational(anyhow::Error),
}

impl From<anyhow::Error> for Failure {
    fn from(e: anyhow::Error) -> Self {
        Failure::Operational(e)
    }
}

/// Run a command; the result is the process exit code.
pub fn run(cli: Cli) -> Result<u8, Failure> {
    unset_empty_endpoints();
    let rt = tokio::runtime::Builder::new_multi_thread().enable_all().build().context("starting the async runtime")?;
    match cli.command {
        Command::Scan(args) => rt.block_on(scan(args, cli.verbose > 0)),
        Command::Check(args) => check(args, cli.verbose > 0),
        Command::Blame(args) => rt.block_on(blame(args, cli.verbose > 0)),
        Command::Rules(args) => Ok(crate::rules::cli::run(args)?),
        Command::Types(args) => {
            let text = match args.format {
                Format::Text => crate::aws::coverage::text(),
                Format::Json => {
                    serde_json::to_string_pretty(&crate::aws::coverage::table()).context("serialising types")? + "\n"
                }
            };
            report::write_out(&text, None)?;
            Ok(0)
        }
        Command::Ledger(args) => Ok(rt.block_on(crate::ledger::cli::ledger(args))?),
        Command::History(args) => Ok(rt.block_on(crate::ledger::cli::history(args))?),
        Command::Report(args) => rt.block_on(ledger_report(args)),
        Command::Export(args) => Ok(rt.block_on(crate::ledger::cli::export(args))?),
        Command::Diff(args) => Ok(rt.block_on(crate::ledger::cli::diff(args))?),
        Command::Fix(args) => rt.block_on(fix(args, cli.verbose > 0)),
        Command::Notify(args) => Ok(rt.block_on(crate::notify::run(args))?),
        Command::Generate(args) => Ok(crate::cli_generate::run(args)?),
    }
}

/// What every scan sets up before reading AWS, with `--config` or without: bad input fails
/// here, before anything is read.
pub struct Prepared {
    pub started_at: time::OffsetDateTime,
    pub policy: crate::rules::policy::Policy,
    pub ignores: Vec<diff::ignore::Ignore>,
    pub opts: ClientOptions,
    /// `--cloudtrail`'s window, when attribution was asked for.
    pub window: Option<Window>,
    pub verbose: bool,
    /// `--deadline` from the start of the run: reads unfinished then are errors.
    pub deadline: tokio::time::Instant,
}

async fn scan(args: ScanArgs, verbose: bool) -> Result<u8, Failure> {
    // clap lets a `requires` pass when the required flag conflicts with one given (--config
    // with --state): say it here.
    if args.shard.is_some() && args.config.is_none() {
        return Err(Failure::Input(miette::miette!(
            help = "shards divide the accounts of an estates file: plumb scan --config estates.toml --shard 0/4",
            "--shard needs --config"
        )));
    }
    let started_at = time::OffsetDateTime::now_utc().replace_nanosecond(0).unwrap_or(time::OffsetDateTime::UNIX_EPOCH);
    // Rules, waivers and ignores first: bad input fails before anything is read.
    let policy = crate::rules::policy::Policy::load(&args.policy).map_err(Failure::Input)?;
    let ignores = load_ignores(args.ignore.as_deref(), args.code.as_deref())?;
    // Where the results go is checked before AWS is read: a long scan must not end in
    // "cannot write".
    if let Some(path) = &args.output {
        check_writable(path)?;
    }
    if let Some(location) = &args.ledger {
        crate::ledger::check_location(location).map_err(Failure::Input)?;
        let l = crate::ledger::Ledger::open(location).await.context("opening the ledger before the scan")?;
        l.close().await;
    }
    let window = match &args.cloudtrail {
        Some(_) => Some(
            Window::parse(args.since.as_deref().unwrap_or("30d"), started_at)
                .map_err(|e| Failure::Input(miette::miette!("{e}")))?,
        ),
        None => None,
    };
    let opts = ClientOptions {
        endpoint_url: endpoint(args.endpoint_url.as_deref())?,
        verbose,
        call_timeout: Some(args.call_timeout),
    };
    // Reading AWS ends by then, whatever answers or fails to (see docs/robustness.md).
    let deadline = tokio::time::Instant::now() + args.deadline;
    let prepared = Prepared { started_at, policy, ignores, opts, window, verbose, deadline };
    if let Some(file) = &args.config {
        return estates::run(&args, file, prepared).await;
    }
    let Prepared { policy, ignores, opts, window, deadline, .. } = prepared;
    let stats = CallStats::default();
    let conf = client::load_config(&opts, args.regions.first().map(String::as_str)).await;

    let state = load_states(&args.states, &conf, &opts, &stats).await?;

    // Regions: as given; else the regions the states' resources live in (a state in eu-west-1
    // scanned from a shell configured for us-east-1 is judged where it lives); else the AWS
    // configuration's region.
    let mut regions = args.regions.clone();
    if regions.is_empty() {
        regions = state.iter().filter_map(|r| r.region.clone()).filter(|r| !r.is_empty()).collect();
    }
    if regions.is_empty() {
        match conf.region() {
            Some(r) => regions.push(r.to_string()),
            // Account-wide types only (IAM, CloudFront): read where their API lives.
            None if !state.is_empty() && state.iter().all(|r| live::is_global(&r.rtype)) => {
                eprintln!("plumb: the states hold account-wide resources only; reading them through us-east-1");
                regions.push("us-east-1".to_string());
            }
            None => {
                return Err(Failure::Operational(anyhow!(
                    "no AWS region: pass --region or set AWS_REGION (or a region in your AWS profile)"
                )));
            }
        }
    }
    regions.sort();
    regions.dedup();
    for r in &regions {
        check_region(r)?;
    }

    let no_limits = std::collections::BTreeMap::new();
    let scanned = scan_account(AccountScan {
        conf: &conf,
        trail_conf: &conf,
        regions: &regions,
        state,
        limits: &no_limits,
        opts: &opts,
        stats: &stats,
        rules: &policy.rules,
        ignores: &ignores,
        cloudtrail: args.cloudtrail.as_deref().zip(window),
        progress: !verbose && std::io::stderr().is_terminal(),
        deadline: (deadline, args.deadline),
    })
    .await?;
    for (rule, types) in &scanned.skipped {
        eprintln!("plumb: rule {rule} not evaluated: reading {} failed", types.join(", "));
    }
    for s in &scanned.stale_ignores {
        eprintln!("plumb: warning: {}: ignore entry for {} {} ({})", s.by, s.address, s.paths.join(", "), s.state);
    }

    let mut scanned = scanned;
    scanned.select(&diff::select::Selection::new(&args.include, &args.exclude));
    let mut findings = scanned.findings;
    let expired = policy.judge(&mut findings, crate::rules::policy::today());
    let frameworks = crate::rules::policy::frameworks(&scanned.evaluated, &findings);
    let mut report = ScanReport::new(
        started_at.format(&Rfc3339).unwrap_or_default(),
        scanned.resources,
        scanned.not_judged,
        scanned.errors,
    )
    .with_findings(findings, frameworks, expired);
    report.stale_ignores = scanned.stale_ignores;
    report.remediation =
        policy.rules.rules().iter().map(|r| (r.meta.id.clone(), report::hint(&r.meta.remediation))).collect();
    let mut scope = report::RunScope::new(&scanned.account, &regions, &args.states, &policy.rules, &scanned.evaluated);
    scope.part = args.run_id.as_ref().map(|id| report::RunPart { run_id: id.clone(), shard: 0, shards: 1 });
    report.scope = Some(scope);
    if verbose {
        log_calls(&stats);
    }
    let snapshot = args.ledger.as_ref().map(|_| crate::ledger::snapshot::render(&report.resources, &scanned.live));
    let failed: BTreeSet<&str> = scanned.failed.iter().map(String::as_str).collect();
    finish_scan(&args, &policy, &report, &scanned.live, &failed, snapshot.as_deref()).await
}

/// `-v`: the number of API calls per service.
pub fn log_calls(stats: &CallStats) {
    let calls = stats.snapshot();
    let total: u64 = calls.values().sum();
    let per: Vec<String> = calls.iter().map(|(s, n)| format!("{s}={n}")).collect();
    eprintln!("plumb: {total} API calls ({})", per.join(", "));
}

/// Write the report (`--format`, `--output`), append it to the ledger, and say how the run
/// ends: 2 (incomplete) outranks 1 (drift, unless --no-fail-on-drift; or failing findings).
pub async fn finish_scan(
    args: &ScanArgs,
    policy: &crate::rules::policy::Policy,
    report: &ScanReport,
    live: &[Resource],
    failed: &BTreeSet<&str>,
    snapshot: Option<&str>,
) -> Result<u8, Failure> {
    let metas: Vec<crate::rules::RuleMeta> = policy.rules.rules().iter().map(|r| r.meta.clone()).collect();
    let views = match args.format {
        ScanFormat::Junit => report::export::live_views(live, &report.resources, failed),
        _ => Vec::new(),
    };
    let export = report::export::Input { report, rules: &metas, views: &views, docs_url: args.docs_url.as_deref() };
    emit(report, args.format, args.output.as_deref(), args.no_color, &export)?;
    if let Some(location) = &args.ledger {
        // The report is out first: a ledger that cannot be written still fails the run (exit 2).
        let json = serde_json::to_string(report).context("serialising the report for the ledger")?;
        let rec = crate::ledger::record(location, &json, snapshot).await?;
        let shown = crate::ledger::display_location(location);
        eprintln!("plumb: recorded run {} in ledger {shown} (hash {})", rec.seq, &rec.hash[..16]);
    }
    let drift_fails = !args.no_fail_on_drift && report.has_drift();
    Ok(if !report.complete { 2 } else { u8::from(drift_fails || policy.fails(&report.findings)) })
}

/// One account's scan: its credentials, regions, states and limits, and what every account of
/// a run shares (rules, ignores, CloudTrail).
pub struct AccountScan<'a> {
    /// Credentials for the account.
    pub conf: &'a aws_config::SdkConfig,
    /// Credentials for CloudTrail folders and trail buckets (the scanning credentials; a trail
    /// bucket is usually in a log-archive account). LookupEvents uses the account's.
    pub trail_conf: &'a aws_config::SdkConfig,
    pub regions: &'a [String],
    pub state: Vec<Resource>,
    /// Requests in flight per service and region, overriding the services' defaults.
    pub limits: &'a std::collections::BTreeMap<String, usize>,
    pub opts: &'a ClientOptions,
    pub stats: &'a CallStats,
    pub rules: &'a crate::rules::RuleSet,
    pub ignores: &'a [diff::ignore::Ignore],
    pub cloudtrail: Option<(&'a str, Window)>,
    /// Show progress on the terminal (one account scanned alone).
    pub progress: bool,
    /// When reading AWS ends (`--deadline`), and the length given, for messages.
    pub deadline: (tokio::time::Instant, std::time::Duration),
}

/// What one account's scan found (findings before waivers).
pub struct AccountResult {
    /// The account STS answered for (`unknown` when it could not say).
    pub account: String,
    pub resources: Vec<diff::Judged>,
    pub not_judged: Vec<diff::NotJudged>,
    pub errors: Vec<ReadError>,
    pub findings: Vec<crate::rules::Finding>,
    pub evaluated: crate::rules::RuleSet,
    pub skipped: Vec<(String, Vec<String>)>,
    /// The live resources, one per AWS object, with the addresses the state gives them.
    pub live: Vec<Resource>,
    /// Types whose read failed.
    pub failed: BTreeSet<String>,
    pub stale_ignores: Vec<diff::ignore::StaleIgnore>,
}

impl AccountResult {
    /// Keep only what `--include` / `--exclude` select (see [`diff::select`]).
    pub fn select(&mut self, sel: &diff::select::Selection) {
        if sel.is_all() {
            return;
        }
        self.resources.retain(|r| sel.keeps(&r.rtype, r.address.as_deref(), &r.id));
        self.not_judged.retain(|n| sel.keeps(&n.rtype, Some(&n.address), &n.address));
        self.findings.retain(|f| sel.keeps(&f.rtype, f.address.as_deref(), &f.id));
        self.live.retain(|r| sel.keeps(&r.rtype, r.address.as_deref(), &r.id));
    }
}

/// Read one account live in every region, judge its state, evaluate the rules. `Err` when no
/// read can succeed (no credentials, the endpoint unreachable, credentials rejected: "nothing
/// was read", with why and the fix) or CloudTrail could not be read.
pub async fn scan_account(a: AccountScan<'_>) -> anyhow::Result<AccountResult> {
    let AccountScan {
        conf,
        trail_conf,
        regions,
        state,
        limits,
        opts,
        stats,
        rules,
        ignores,
        cloudtrail,
        progress,
        deadline,
    } = a;
    let (deadline, deadline_len) = deadline;
    let mut errors: Vec<ReadError> = Vec::new();
    // One call per region first: when no read can succeed (no credentials, AWS or a region
    // unreachable, a mistyped region, credentials rejected), say so once, with the fix,
    // instead of one failure per resource type.
    let mut account = "unknown".to_string();
    for region in regions {
        let sts = client::sts_client_in(conf, region, opts, stats);
        let Ok(answer) = tokio::time::timeout_at(deadline, sts.get_caller_identity().send()).await else {
            return Err(anyhow!(
                "nothing was read: the scan deadline ({}) passed before STS answered in {region} (--deadline)",
                client::humantime(deadline_len)
            ));
        };
        match answer {
            Ok(out) => account = out.account().unwrap_or("unknown").to_string(),
            Err(e) => {
                if let Some(why) = live::errors::systemic(&e, opts.endpoint_url.as_deref(), region) {
                    return Err(anyhow!("nothing was read: {why}"));
                }
                errors.push(live::errors::read_error("sts", region, &[], e));
            }
        }
    }

    let in_state: std::sync::Arc<BTreeSet<(String, String)>> =
        std::sync::Arc::new(state.iter().map(|r| (r.rtype.clone(), r.id.clone())).collect());
    let state_resources = std::sync::Arc::new(state.clone());
    let ctxs: Vec<_> = regions
        .iter()
        .map(|r| {
            client::build_ctx(conf, r, &account, opts, stats)
                .with_state(in_state.clone())
                .with_state_resources(state_resources.clone())
                .with_limits(limits)
        })
        .collect();
    let mut inventory = Inventory::default();
    // Regional types in every region; global ones (IAM, CloudFront) once, in the first.
    let mut reads: futures::stream::FuturesUnordered<_> = ctxs
        .iter()
        .enumerate()
        .flat_map(|(i, ctx)| {
            live::readable().filter(move |(_, r)| i == 0 || !r.global).map(move |(t, r)| {
                futures::FutureExt::map((r.fetch)(ctx), move |result| {
                    ((t.service, ctx.region.as_str(), t.name), result)
                })
            })
        })
        .collect();
    // Reads not finished at the deadline are abandoned and reported as such.
    let mut unfinished: BTreeSet<(&str, &str, &str)> = ctxs
        .iter()
        .enumerate()
        .flat_map(|(i, ctx)| {
            live::readable()
                .filter(move |(_, r)| i == 0 || !r.global)
                .map(|(t, _)| (t.service, ctx.region.as_str(), t.name))
        })
        .collect();
    // Progress for a person watching a long scan (never in logs, never with -v's call log).
    let total = reads.len();
    let mut done = 0;
    loop {
        let Ok(next) = tokio::time::timeout_at(deadline, futures::StreamExt::next(&mut reads)).await else {
            inventory.errors.extend(client::deadline_errors(unfinished.iter().copied(), deadline_len));
            break;
        };
        let Some((read, result)) = next else { break };
        unfinished.remove(&read);
        done += 1;
        if progress {
            eprint!("\rplumb: reading AWS: {done}/{total} resource types");
        }
        match result {
            Ok(resources) => inventory.resources.extend(resources),
            Err(e) => inventory.errors.push(e),
        }
    }
    if progress {
        eprint!("\r{:60}\r", "");
    }
    if !unfinished.is_empty() {
        eprintln!(
            "plumb: the scan deadline ({}) passed with {} reads unfinished: their types are under errors",
            client::humantime(deadline_len),
            unfinished.len()
        );
    }
    errors.extend(inventory.errors.iter().cloned());
    // Import ids whose form depends on configuration (`bucket,account`): live takes state's.
    live::state_form::align(&state, &mut inventory.resources);

    let scanned: BTreeSet<&str> = live::supported_types().into_iter().collect();
    let part_types = live::parent_types();
    let failed = inventory.failed_types();
    let recorded_by = live::recorded_by_state(&state);
    let recorded: BTreeSet<(String, String)> = recorded_by.keys().cloned().collect();
    // An object read under two types (an adopted default, a legacy `aws_alb*` name) is judged
    // once, under the type the state records.
    let live_once = live::one_type_per_object(inventory.resources.clone(), &state);
    let mut views = Views { state, live: live_once };
    normalize::normalize(&mut views);
    let mut result = diff::diff(
        &views.state,
        &views.live,
        &Scope {
            scanned_types: &scanned,
            failed_types: &failed,
            regions,
            part_types: &part_types,
            recorded: &recorded,
            aws_object: live::is_aws_object,
        },
    );
    // An object read under two types (an adopted default) is kept once, as the state has it;
    // objects the state records elsewhere (a spot request's instance) carry its address.
    let mut live_resources = live::one_type_per_object(inventory.resources.clone(), &views.state);
    for r in &mut live_resources {
        if let Some(address) = recorded_by.get(&(r.rtype.clone(), r.id.clone())) {
            r.address = Some(address.clone());
        }
    }

    let stale_ignores = diff::ignore::apply(&mut result.resources, ignores, crate::rules::policy::today());

    if let Some((trail, window)) = cloudtrail {
        let trail = Trail::parse(trail);
        // LookupEvents answers for the account of the credentials; folders and trail buckets
        // are read with the scanning credentials.
        let with = if matches!(trail, Trail::Lookup) { conf } else { trail_conf };
        let aws = attribution::Aws { conf: with, opts, stats, regions };
        let read = attribution::annotate(&mut result.resources, &views.state, &views.live, &trail, window, aws);
        attribution::log_stats(&read.await.context("reading CloudTrail")?, opts.verbose);
    }

    let evaluation = crate::rules::scan::evaluate_live(rules, &live_resources, &result.resources, &failed);
    errors.extend(evaluation.errors.iter().map(|e| e.to_read_error()));
    Ok(AccountResult {
        account,
        resources: result.resources,
        not_judged: result.not_judged,
        errors,
        findings: evaluation.findings,
        evaluated: evaluation.evaluated,
        skipped: evaluation.skipped,
        live: live_resources,
        failed: failed.iter().map(|t| t.to_string()).collect(),
        stale_ignores,
    })
}

/// `--output FILE` can be written: an existing file is opened for writing (not truncated);
/// a new one is created and removed again.
pub(crate) fn check_writable(path: &std::path::Path) -> Result<(), Failure> {
    let existed = path.exists();
    std::fs::OpenOptions::new()
        .write(true)
        .create(true)
        .truncate(false)
        .open(path)
        .map_err(|e| Failure::Input(miette::miette!("cannot write --output {}: {e}", path.display())))?;
    if !existed {
        let _ = std::fs::remove_file(path);
    }
    Ok(())
}

/// An empty `AWS_ENDPOINT_URL` (or `AWS_ENDPOINT_URL_<SERVICE>`) means "not set" to a shell
/// user, but the SDK takes it as an endpoint and panics on it: unset those variables.
fn unset_empty_endpoints() {
    let empty: Vec<std::ffi::OsString> = std::env::vars_os()
        .filter(|(k, v)| k.to_string_lossy().starts_with("AWS_ENDPOINT_URL") && v.to_string_lossy().trim().is_empty())
        .map(|(k, _)| k)
        .collect();
    for k in empty {
        // SAFETY: called first thing in `run`, before the runtime or any other thread starts;
        // nothing else reads or writes the environment concurrently.
        unsafe { std::env::remove_var(k) };
    }
}

/// A region name as AWS spells them (`us-east-1`, `eu-central-2`, `us-gov-west-1`,
/// `ap-southeast-5`): a typo is bad input, caught before any call.
fn check_region(r: &str) -> Result<(), Failure> {
    if client::is_region_name(r) {
        Ok(())
    } else {
        Err(Failure::Input(miette::miette!(
            help = "AWS region names look like us-east-1, eu-central-2 or us-gov-west-1",
            "{r:?} is not an AWS region name"
        )))
    }
}

/// `--endpoint-url` / `AWS_ENDPOINT_URL`: empty means unset (as a shell leaves it), anything
/// else must be an http(s) URL.
pub(crate) fn endpoint(given: Option<&str>) -> Result<Option<String>, Failure> {
    match given.map(str::trim) {
        None | Some("") => Ok(None),
        Some(u) if (u.starts_with("http://") || u.starts_with("https://")) && u.len() > "https://".len() => {
            Ok(Some(u.to_string()))
        }
        Some(u) => Err(Failure::Input(miette::miette!(
            help = "give the endpoint as a URL, e.g. http://127.0.0.1:5000, or leave it unset for AWS",
            "--endpoint-url / AWS_ENDPOINT_URL {u:?} is not an http(s) URL"
        ))),
    }
}

/// Expected changes: the code's `lifecycle.ignore_changes` (`--code`) and the ignore file.
pub(crate) fn load_ignores(
    file: Option<&std::path::Path>,
    code: Option<&std::path::Path>,
) -> Result<Vec<diff::ignore::Ignore>, Failure> {
    let mut out = match file {
        Some(f) => diff::ignore::load(f).map_err(Failure::Input)?,
        None => Vec::new(),
    };
    if let Some(dir) = code {
        if !dir.is_dir() {
            return Err(Failure::Input(miette::miette!("--code {}: not a directory", dir.display())));
        }
        let (decisions, notes) =
            crate::source::hcl::ignore_changes(dir).map_err(|e| Failure::Input(miette::Report::new(e)))?;
        for n in notes {
            eprintln!("plumb: note: {n}");
        }
        out.extend(decisions.into_iter().map(|d| diff::ignore::Ignore {
            address: d.address,
            block: true,
            paths: d.paths,
            reason: "lifecycle.ignore_changes in the code".to_string(),
            expires: None,
            by: format!("{}:{}", d.file, d.line),
            from_file: false,
        }));
    }
    Ok(out)
}

/// `plumb blame`: the resource's write history from CloudTrail. Exit 0, or 2 on error.
async fn blame(args: BlameArgs, verbose: bool) -> Result<u8, Failure> {
    let now = time::OffsetDateTime::now_utc();
    let window = Window::parse(&args.since, now).map_err(|e| Failure::Input(miette::miette!("{e}")))?;
    let stats = CallStats::default();
    let opts = ClientOptions { endpoint_url: endpoint(args.endpoint_url.as_deref())?, verbose, ..Default::default() };
    let conf = client::load_config(&opts, args.regions.first().map(String::as_str)).await;
    let state = load_states(&args.states, &conf, &opts, &stats).await?;
    // As `scan`: the regions given, else the states' regions, else the configured one.
    let mut regions = args.regions.clone();
    if regions.is_empty() {
        regions = state.iter().filter_map(|r| r.region.clone()).filter(|r| !r.is_empty()).collect();
        regions.sort();
        regions.dedup();
    }
    regions.extend(regions.is_empty().then(|| conf.region().map(|r| r.to_string())).flatten());
    let aws = attribution::Aws { conf: &conf, opts: &opts, stats: &stats, regions: &regions };
    let history =
        attribution::blame::run(&args.target, !args.no_links, &state, &Trail::parse(&args.cloudtrail), window, aws)
            .await?;
    let text = match args.format {
        Format::Json => attribution::blame::render_json(&history),
        Format::Text => attribution::blame::render_text(&history),
    };
    report::write_out(&text, args.output.as_deref())?;
    // A type whose writes Plumb does not map has an incomplete history.
    Ok(if history.events_mapped { 0 } else { 2 })
}

/// `plumb fix`: a scan report (read, or made now from `--state` by the same scan as `plumb
/// scan`) to a patch and a summary (`crate::fix`).
async fn fix(args: crate::fix::args::FixArgs, verbose: bool) -> Result<u8, Failure> {
    let rules = crate::rules::policy::Policy::load(&crate::cli::PolicyArgs {
        rules: args.rules.clone(),
        waivers: args.waivers.clone(),
        fail_on: None,
    })
    .map_err(Failure::Input)?;
    let report = if let Some(p) = &args.report {
        let text = std::fs::read_to_string(p)
            .map_err(|e| Failure::Input(miette::miette!("cannot read report {}: {e}", p.display())))?;
        Some((p.display().to_string(), text))
    } else if !args.states.is_empty() {
        // The scan's own arguments, parsed as `plumb scan` would parse them.
        let out = std::env::temp_dir().join(format!("plumb-fix-scan-{}.json", std::process::id()));
        let mut argv: Vec<String> = vec!["plumb".into(), "scan".into(), "--format".into(), "json".into()];
        argv.extend(["--output".into(), out.display().to_string(), "--no-fail-on-drift".into()]);
        argv.extend(["--fail-on".into(), "none".into(), "--code".into(), args.code.display().to_string()]);
        for s in &args.states {
            argv.extend(["--state".into(), s.clone()]);
        }
        for r in &args.regions {
            argv.extend(["--region".into(), r.clone()]);
        }
        let optional = [
            ("--endpoint-url", args.endpoint_url.clone()),
            ("--cloudtrail", args.cloudtrail.clone()),
            ("--since", args.since.clone()),
            ("--rules", args.rules.as_ref().map(|p| p.display().to_string())),
            ("--waivers", args.waivers.as_ref().map(|p| p.display().to_string())),
        ];
        for (flag, v) in optional {
            if let Some(v) = v {
                argv.extend([flag.to_string(), v]);
            }
        }
        let Ok(Cli { command: Command::Scan(scan_args), .. }) = <Cli as clap::Parser>::try_parse_from(&argv) else {
            return Err(Failure::Operational(anyhow!("building the scan's arguments: {}", argv.join(" "))));
        };
        Box::pin(scan(scan_args, verbose)).await?;
        let text = std::fs::read_to_string(&out).context("reading the scan's report")?;
        let _ = std::fs::remove_file(&out);
        Some(("scan".to_string(), text))
    } else {
        None
    };
    crate::fix::command::run(&args, report, &rules).map_err(|e| match e {
        crate::fix::command::RunError::Input(r) => Failure::Input(r),
        crate::fix::command::RunError::Io(e) => Failure::Operational(e),
    })
}

/// `plumb report --ledger L --format html`: the ledger's self-contained HTML report.
async fn ledger_report(args: crate::cli::ReportArgs) -> Result<u8, Failure> {
    let (history, verification, shown) = crate::ledger::cli::load_for_report(&args.ledger).await?;
    // The latest run's scope and drifted values live only in its stored report.
    // A run recorded in parts (the shards of a night) is read from every part.
    let latest = match history.runs.last() {
        Some(run) => {
            let seqs = if run.parts.is_empty() { vec![run.seq] } else { run.parts.clone() };
            let mut parts = Vec::with_capacity(seqs.len());
            for seq in seqs {
                let json = crate::ledger::cli::report_of(&args.ledger, seq).await?;
                parts.push(report::html::Latest::from_report(seq, &json));
            }
            Some(report::html::Latest::merge(run.seq, parts))
        }
        None => None,
    };
    let now = time::OffsetDateTime::now_utc().replace_nanosecond(0).unwrap_or(time::OffsetDateTime::UNIX_EPOCH);
    let generated_at = now.format(&Rfc3339).unwrap_or_default();
    let page = report::html::render(&report::html::Input {
        ledger: &shown,
        generated_at: &generated_at,
        history: &history,
        verification: &verification,
        latest: latest.as_ref(),
    });
    report::write_out(&page, args.output.as_deref())?;
    Ok(0)
}

/// 2 when incomplete (a failed read hides what we could not see), 1 on drift, else 0.
pub fn exit_code(report: &ScanReport) -> u8 {
    if !report.complete {
        2
    } else if report.has_drift() {
        1
    } else {
        0
    }
}

pub(crate) fn emit(
    report: &ScanReport,
    format: ScanFormat,
    output: Option<&std::path::Path>,
    no_color: bool,
    export: &report::export::Input<'_>,
) -> anyhow::Result<()> {
    let color =
        output.is_none() && !no_color && std::io::stdout().is_terminal() && std::env::var_os("NO_COLOR").is_none();
    let text = match format {
        ScanFormat::Json => report::json::render(report),
        ScanFormat::Text => report::text::render(report, color),
        other => report::export::render(other, export),
    };
    report::write_out(&text, output)
}

/// Read every `--state`: files, globs and `s3://` objects. Duplicated resources (the same
/// type and id in two states) are kept once, with a warning.
/// How a state read from standard input is named in messages and reports.
const STDIN: &str = "<stdin>";

pub(crate) async fn load_states(
    specs: &[String],
    conf: &aws_config::SdkConfig,
    opts: &ClientOptions,
    stats: &CallStats,
) -> Result<Vec<Resource>, Failure> {
    let mut sources: Vec<(String, String)> = Vec::new();
    for spec in specs {
        if spec == "-" {
            // `terraform state pull | plumb scan --state -`: any backend, Terraform Cloud included.
            if sources.iter().any(|(name, _)| name == STDIN) {
                return Err(Failure::Input(miette::miette!("--state -: standard input can be given once")));
            }
            let mut text = String::new();
            std::io::Read::read_to_string(&mut std::io::stdin(), &mut text)
                .map_err(|e| Failure::Input(miette::miette!("cannot read a state from standard input: {e}")))?;
            sources.push((STDIN.to_string(), text));
            continue;
        }
        if spec.starts_with("s3://") {
            let region = conf.region().map(|r| r.to_string()).unwrap_or_else(|| "us-east-1".to_string());
            let ctx = client::build_ctx(conf, &region, "", opts, stats);
            sources.push((spec.clone(), state_object::get(&ctx.client::<aws_sdk_s3::Client>(), spec).await?));
            continue;
        }
        let paths: Vec<std::path::PathBuf> = if spec.contains(['*', '?', '[']) {
            let mut v: Vec<_> = glob::glob(spec)
                .map_err(|e| Failure::Input(miette::miette!("--state {spec}: not a valid glob: {e}")))?
                .filter_map(Result::ok)
                .collect();
            v.sort();
            if v.is_empty() {
                return Err(Failure::Input(miette::miette!("--state {spec}: no file matches this pattern")));
            }
            v
        } else {
            vec![spec.into()]
        };
        for p in paths {
            let text = std::fs::read_to_string(&p)
                .map_err(|e| Failure::Input(miette::miette!("cannot read state file {}: {e}", p.display())))?;
            sources.push((p.display().to_string(), text));
        }
    }
    let mut seen = BTreeSet::new();
    let mut out = Vec::new();
    for (name, text) in sources {
        let resources = tfstate::parse(&name, &text).map_err(|e| Failure::Input(miette::Report::new(e)))?;
        for r in resources {
            // The same import id in two regions (a KMS alias, a security group name applied
            // per region from one module) is two resources.
            if seen.insert((r.key(), r.region.clone())) {
                out.push(r);
            } else {
                eprintln!(
                    "plumb: warning: {} {} ({}) is in more than one state; judged once",
                    r.rtype,
                    r.id,
                    r.address.as_deref().unwrap_or("?")
                );
            }
        }
    }
    Ok(out)
}

/// The root module's `module` block a resource at `address` comes through.
fn module_call(config: &crate::source::hcl::Config, address: &str) -> Option<report::check::ModuleCallRef> {
    let prefix = report::check::outer_module_prefix(address)?;
    let call = config.module_calls.get(prefix)?;
    Some(report::check::ModuleCallRef {
        address: prefix.trim_end_matches('.').to_string(),
        file: call.file.clone(),
        line: call.line,
        source: call.source.clone(),
    })
}

/// `plumb check`: rules over the code (or a plan) before apply. No AWS call is made.
fn check(args: crate::cli::CheckArgs, verbose: bool) -> Result<u8, Failure> {
    use crate::report::check::{CheckFormat, CheckReport, CheckSource, CheckedResource, CheckedView, unknown_paths};
    use crate::rules::{View, views};
    use crate::source::{hcl, plan};
    use std::collections::BTreeMap;

    let started_at = time::OffsetDateTime::now_utc()
        .replace_nanosecond(0)
        .unwrap_or(time::OffsetDateTime::UNIX_EPOCH)
        .format(&Rfc3339)
        .unwrap_or_default();
    let input = |e: hcl::HclError| Failure::Input(miette::Report::new(e));
    // Rules and waivers first: a bad waivers file fails before any code is read.
    let policy = crate::rules::policy::Policy::load(&args.policy).map_err(Failure::Input)?;
    let inputs =
        hcl::Inputs { vars: args.vars.clone(), var_files: args.var_files.clone(), env: hcl::Inputs::env_vars() };
    let dir = match (&args.dir, &args.plan) {
        (Some(d), _) => Some(d.clone()),
        (None, None) => Some(std::path::PathBuf::from(".")),
        (None, Some(_)) => None,
    };
    if let Some(d) = &dir
        && !d.is_dir()
    {
        return Err(Failure::Input(miette::miette!("{}: not a directory", d.display())));
    }
    let config = match &dir {
        Some(d) => Some(hcl::load(d, &inputs).map_err(input)?),
        None => None,
    };
    let mut notes: Vec<String> = config.as_ref().map(|c| c.notes.clone()).unwrap_or_default();
    let (mut resources, drift) = match &args.plan {
        Some(p) => {
            let text = std::fs::read_to_string(p)
                .map_err(|e| Failure::Input(miette::miette!("cannot read plan {}: {e}", p.display())))?;
            let parsed = plan::parse(&p.display().to_string(), &text).map_err(input)?;
            (parsed.resources, parsed.drift)
        }
        None => (config.as_ref().map(|c| c.resources.clone()).unwrap_or_default(), Vec::new()),
    };
    // Every resource's block: by address, and by address without instance keys (a plan's
    // instances of a block whose keys the code alone cannot know).
    let strip = plan::strip_keys;
    let mut at: BTreeMap<String, (String, u32)> = BTreeMap::new();
    for r in config.iter().flat_map(|c| &c.resources) {
        if let (Some(a), crate::model::Origin::Config { file, line }) = (&r.address, &r.origin) {
            at.insert(a.clone(), (file.clone(), *line));
            at.entry(strip(a)).or_insert((file.clone(), *line));
        }
    }
    for r in &mut resources {
        if let (Some(a), crate::model::Origin::Config { file, line }) = (&r.address, &mut r.origin)
            && let Some((f, l)) = at.get(a).or_else(|| at.get(&strip(a)))
        {
            *file = f.clone();
            *line = *l;
        }
    }
    let locate = |address: Option<&str>| -> (Option<String>, Option<u32>) {
        match address.and_then(|a| at.get(a).or_else(|| at.get(&strip(a)))) {
            Some((f, l)) => (Some(f.clone()), Some(*l)),
            None if args.plan.is_some() => (args.plan.as_ref().map(|p| p.display().to_string()), None),
            None => (None, None),
        }
    };

    // Rules judged on the live view only (MFA from the credential report) are not run on code.
    let rules = &policy.rules.clone().filter(|r| !r.meta.live_only);
    let (mut findings, rule_errors) = crate::rules::evaluate_checked(rules, &resources, View::Config);
    for e in &rule_errors {
        eprintln!("plumb: {e}");
    }
    for f in &mut findings {
        let (file, line) = locate(f.address.as_deref());
        f.file = file;
        f.line = line;
    }
    let expired_waivers = policy.judge(&mut findings, crate::rules::policy::today());
    let frameworks = crate::rules::policy::frameworks(rules, &findings);
    let built = views::build(&resources, View::Config);
    let owners = crate::report::check::owners(&built);
    let checked_views: Vec<CheckedView> = built
        .into_iter()
        .map(|v| {
            let (file, line) = locate(v.address.as_deref());
            CheckedView {
                vtype: v.vtype.to_string(),
                id: v.id,
                address: v.address,
                file,
                line,
                unknown: unknown_paths(&v.value),
                outside_code: v.outside_code,
                settings: report::check::setting_addresses(&v.value),
            }
        })
        .collect();

    let pending = match &args.state {
        Some(p) => {
            let text = std::fs::read_to_string(p)
                .map_err(|e| Failure::Input(miette::miette!("cannot read state file {}: {e}", p.display())))?;
            let state =
                tfstate::parse(&p.display().to_string(), &text).map_err(|e| Failure::Input(miette::Report::new(e)))?;
            let unevaluated = match (&args.plan, &config) {
                (None, Some(c)) => c.unevaluated.clone(),
                _ => Vec::new(),
            };
            diff::pending::pending_with(&resources, &state, &unevaluated)
        }
        None => Vec::new(),
    };
    if config.is_none() {
        notes.push("no configuration directory: findings name the plan, not a file and line".into());
    }
    let mut report = CheckReport {
        schema_version: report::SCHEMA_VERSION,
        tool: report::Tool::default(),
        started_at,
        source: CheckSource {
            dir: dir.as_ref().map(|d| d.display().to_string()),
            plan: args.plan.as_ref().map(|p| p.display().to_string()),
            state: args.state.as_ref().map(|p| p.display().to_string()),
        },
        fail_on: policy.fail_on,
        summary: crate::report::check::CheckSummary { frameworks, ..Default::default() },
        resources: resources
            .iter()
            .filter_map(|r| {
                let address = r.address.clone()?;
                let (file, line) = locate(Some(&address));
                let owner = owners.get(&address).cloned();
                let module_call = config.as_ref().and_then(|c| module_call(c, &address));
                Some(CheckedResource { address, rtype: r.rtype.clone(), file, line, owner, module_call })
            })
            .collect(),
        findings,
        pending,
        drift,
        notes,
        expired_waivers,
        errors: rule_errors.iter().map(|e| e.to_read_error().message).collect(),
        rules: rules.rules().iter().map(|r| r.meta.clone()).collect(),
        views: checked_views,
        fixes: BTreeMap::new(),
    };
    report.finish();
    // The rules' machine-applicable fixes, for SARIF `fixes` and suggestions (docs/fix.md).
    if matches!(args.format, CheckFormat::Sarif | CheckFormat::Markdown)
        && args.plan.is_none()
        && let Some(d) = &dir
        && let Ok(code) = crate::fix::code::Code::load(d, &args.var_files)
    {
        let evaluated: crate::fix::Evaluated =
            resources.iter().filter_map(|r| Some((r.address.clone()?, r.attributes.clone()))).collect();
        let metas: BTreeMap<String, crate::rules::RuleMeta> =
            report.rules.iter().map(|m| (m.id.clone(), m.clone())).collect();
        report.fixes = crate::fix::findings::code_fixes(&code, &evaluated, &report.findings, &metas);
    }

    // SARIF consumers resolve paths from the repository root (the working directory in CI).
    let prefix = dir
        .as_ref()
        .filter(|d| d.is_relative() && d.as_path() != std::path::Path::new("."))
        .map(|d| d.to_string_lossy().trim_end_matches('/').to_string());
    let color = args.output.is_none()
        && !args.no_color
        && std::io::stdout().is_terminal()
        && std::env::var_os("NO_COLOR").is_none();
    let text = match args.format {
        CheckFormat::Text => report::check::render_text(&report, color),
        CheckFormat::Json => report::check::render_json(&report),
        CheckFormat::Sarif => {
            let mut r = report.clone();
            if let Some(p) = &prefix {
                for f in &mut r.findings {
                    if let Some(file) = &mut f.file {
                        *file = format!("{p}/{file}");
                    }
                }
                for file in r.fixes.values_mut().flat_map(|x| x.files.iter_mut()) {
                    file.file = format!("{p}/{}", file.file);
                }
                for c in r.resources.iter_mut().filter_map(|x| x.module_call.as_mut()) {
                    c.file = format!("{p}/{}", c.file);
                }
            }
            report::sarif::render(&r, args.docs_url.as_deref())
        }
        CheckFormat::Junit => report::junit::render(&report),
        CheckFormat::Markdown => report::markdown::render(&report),
    };
    // -v notes go to standard error in every format: standard output stays the report.
    if verbose {
        eprint!("{}", report::check::verbose_text(&report));
    }
    report::write_out(&text, args.output.as_deref())?;
    // 2 (incomplete: a rule failed) outranks 1 (failing findings).
    Ok(if !report.errors.is_empty() {
        2
    } else if report.summary.failing > 0 {
        1
    } else {
        0
    })
}

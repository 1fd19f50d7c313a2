//! The pipeline, wired: the only module that knows every other one.

use std::collections::BTreeSet;
use std::io::{IsTerminal, Write};

use anyhow::{Context, anyhow};
use futures::future::join_all;
use time::format_description::well_known::Rfc3339;

use crate::attribution::{self, Trail, Window};
use crate::cli::{BlameArgs, Cli, Command, ScanArgs};
use crate::diff::{self, Scope};
use crate::model::{Inventory, ReadError, Resource};
use crate::normalize::{self, Views};
use crate::report::{self, Format, ScanReport};
use crate::source::aws::client::{self, CallStats, ClientOptions};
use crate::source::aws::{self as live, state_object};
use crate::source::tfstate;

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
    let rt = tokio::runtime::Builder::new_multi_thread().enable_all().build().context("starting the async runtime")?;
    match cli.command {
        Command::Scan(args) => rt.block_on(scan(args, cli.verbose > 0)),
        Command::Blame(args) => rt.block_on(blame(args, cli.verbose > 0)),
        Command::Rules(args) => Ok(crate::rules::cli::run(args)?),
        Command::Ledger(args) => Ok(rt.block_on(crate::ledger::cli::ledger(args))?),
        Command::History(args) => Ok(rt.block_on(crate::ledger::cli::history(args))?),
        Command::Report(args) => rt.block_on(ledger_report(args)),
        Command::Export(args) => Ok(rt.block_on(crate::ledger::cli::export(args))?),
        Command::Diff(args) => Ok(rt.block_on(crate::ledger::cli::diff(args))?),
    }
}

async fn scan(args: ScanArgs, verbose: bool) -> Result<u8, Failure> {
    let started_at = time::OffsetDateTime::now_utc().replace_nanosecond(0).unwrap_or(time::OffsetDateTime::UNIX_EPOCH);
    // Rules and waivers first: a bad waivers file fails before anything is read.
    let policy = crate::rules::policy::Policy::load(&args.policy).map_err(Failure::Input)?;
    let stats = CallStats::default();
    let opts = ClientOptions { endpoint_url: args.endpoint_url.clone(), verbose };
    let conf = client::load_config(&opts, args.regions.first().map(String::as_str)).await;

    let mut regions = args.regions.clone();
    if regions.is_empty() {
        match conf.region() {
            Some(r) => regions.push(r.to_string()),
            None => {
                return Err(Failure::Operational(anyhow!(
                    "no AWS region: pass --region or set AWS_REGION (or a region in your AWS profile)"
                )));
            }
        }
    }
    regions.sort();
    regions.dedup();
    let window = match &args.cloudtrail {
        Some(_) => Some(Window::parse(&args.since, started_at).map_err(|e| Failure::Input(miette::miette!("{e}")))?),
        None => None,
    };

    let state = load_states(&args.states, &conf, &opts, &stats).await?;

    let mut errors: Vec<ReadError> = Vec::new();
    let account = match client::sts_client(&conf, &opts, &stats).get_caller_identity().send().await {
        Ok(out) => out.account().unwrap_or("unknown").to_string(),
        Err(e) => {
            errors.push(live::errors::read_error("sts", &regions[0], &[], e));
            "unknown".to_string()
        }
    };

    let ctxs: Vec<_> = regions.iter().map(|r| client::build_ctx(&conf, r, &account, &opts, &stats)).collect();
    let mut inventory = Inventory::default();
    let reads = ctxs.iter().flat_map(|ctx| live::FETCHERS.iter().map(move |f| (f.fetch)(ctx)));
    for result in join_all(reads).await {
        match result {
            Ok(resources) => inventory.resources.extend(resources),
            Err(e) => inventory.errors.push(e),
        }
    }
    errors.extend(inventory.errors.iter().cloned());

    let scanned: BTreeSet<&str> = live::supported_types().into_iter().collect();
    let failed = inventory.failed_types();
    let mut views = Views { state, live: inventory.resources.clone() };
    normalize::normalize(&mut views);
    let mut result = diff::diff(
        &views.state,
        &views.live,
        &Scope { scanned_types: &scanned, failed_types: &failed, regions: &regions },
    );

    if let (Some(trail), Some(window)) = (&args.cloudtrail, window) {
        let aws = attribution::Aws { conf: &conf, opts: &opts, stats: &stats, regions: &regions };
        let trail = Trail::parse(trail);
        let read = attribution::annotate(&mut result.resources, &views.state, &views.live, &trail, window, aws);
        attribution::log_stats(&read.await.context("reading CloudTrail")?, verbose);
    }

    let evaluation = crate::rules::scan::evaluate_live(&policy.rules, &inventory.resources, &result.resources, &failed);
    for (rule, types) in &evaluation.skipped {
        eprintln!("plumb: rule {rule} not evaluated: reading {} failed", types.join(", "));
    }
    let mut findings = evaluation.findings;
    let expired = policy.judge(&mut findings, crate::rules::policy::today());
    let frameworks = crate::rules::policy::frameworks(&evaluation.evaluated, &findings);
    let findings_fail = policy.fails(&findings);
    let report =
        ScanReport::new(started_at.format(&Rfc3339).unwrap_or_default(), result.resources, result.not_judged, errors)
            .with_findings(findings, frameworks, expired);
    if verbose {
        let calls = stats.snapshot();
        let total: u64 = calls.values().sum();
        let per: Vec<String> = calls.iter().map(|(s, n)| format!("{s}={n}")).collect();
        eprintln!("plumb: {total} API calls ({})", per.join(", "));
    }
    emit(&report, args.format, args.output.as_deref(), args.no_color)?;
    if let Some(location) = &args.ledger {
        // The report is out first: a ledger that cannot be written still fails the run (exit 2).
        let snapshot = crate::ledger::snapshot::render(&report.resources, &inventory.resources);
        let json = serde_json::to_string(&report).context("serialising the report for the ledger")?;
        let rec = crate::ledger::record(location, &json, Some(&snapshot)).await?;
        let shown = crate::ledger::display_location(location);
        eprintln!("plumb: recorded run {} in ledger {shown} (hash {})", rec.seq, &rec.hash[..16]);
    }
    // 2 (incomplete) outranks 1 (drift or failing findings).
    Ok(exit_code(&report).max(u8::from(findings_fail)))
}

/// `plumb blame`: the resource's write history from CloudTrail. Exit 0, or 2 on error.
async fn blame(args: BlameArgs, verbose: bool) -> Result<u8, Failure> {
    let now = time::OffsetDateTime::now_utc();
    let window = Window::parse(&args.since, now).map_err(|e| Failure::Input(miette::miette!("{e}")))?;
    let stats = CallStats::default();
    let opts = ClientOptions { endpoint_url: args.endpoint_url.clone(), verbose };
    let conf = client::load_config(&opts, args.regions.first().map(String::as_str)).await;
    let mut regions = args.regions.clone();
    regions.extend(regions.is_empty().then(|| conf.region().map(|r| r.to_string())).flatten());
    let state = load_states(&args.states, &conf, &opts, &stats).await?;
    let aws = attribution::Aws { conf: &conf, opts: &opts, stats: &stats, regions: &regions };
    let history = attribution::blame::run(&args.target, &state, &Trail::parse(&args.cloudtrail), window, aws).await?;
    let text = match args.format {
        Format::Json => attribution::blame::render_json(&history),
        Format::Text => attribution::blame::render_text(&history),
    };
    match &args.output {
        Some(path) => std::fs::write(path, text).with_context(|| format!("writing {}", path.display()))?,
        None => match std::io::stdout().lock().write_all(text.as_bytes()) {
            Err(e) if e.kind() == std::io::ErrorKind::BrokenPipe => {}
            r => r.context("writing the history")?,
        },
    }
    Ok(0)
}

/// `plumb report --ledger L --format html`: the ledger's self-contained HTML report.
async fn ledger_report(args: crate::cli::ReportArgs) -> Result<u8, Failure> {
    let (history, verification, shown) = crate::ledger::cli::load_for_report(&args.ledger).await?;
    let now = time::OffsetDateTime::now_utc().replace_nanosecond(0).unwrap_or(time::OffsetDateTime::UNIX_EPOCH);
    let generated_at = now.format(&Rfc3339).unwrap_or_default();
    let page = report::html::render(&report::html::Input {
        ledger: &shown,
        generated_at: &generated_at,
        history: &history,
        verification: &verification,
    });
    crate::ledger::cli::write_out(&page, args.output.as_deref())?;
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

fn emit(report: &ScanReport, format: Format, output: Option<&std::path::Path>, no_color: bool) -> anyhow::Result<()> {
    let color =
        output.is_none() && !no_color && std::io::stdout().is_terminal() && std::env::var_os("NO_COLOR").is_none();
    let text = match format {
        Format::Json => report::json::render(report),
        Format::Text => report::text::render(report, color),
    };
    match output {
        Some(path) => std::fs::write(path, text).with_context(|| format!("writing report to {}", path.display())),
        None => {
            let mut out = std::io::stdout().lock();
            // A closed pipe (`plumb scan | head`) is not an error.
            match out.write_all(text.as_bytes()) {
                Err(e) if e.kind() == std::io::ErrorKind::BrokenPipe => Ok(()),
                r => r.context("writing report"),
            }
        }
    }
}

/// Read every `--state`: files, globs and `s3://` objects. Duplicated resources (the same
/// type and id in two states) are kept once, with a warning.
async fn load_states(
    specs: &[String],
    conf: &aws_config::SdkConfig,
    opts: &ClientOptions,
    stats: &CallStats,
) -> Result<Vec<Resource>, Failure> {
    let mut sources: Vec<(String, String)> = Vec::new();
    for spec in specs {
        if spec.starts_with("s3://") {
            let region = conf.region().map(|r| r.to_string()).unwrap_or_else(|| "us-east-1".to_string());
            let ctx = client::build_ctx(conf, &region, "", opts, stats);
            sources.push((spec.clone(), state_object::get(&ctx.s3, spec).await?));
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
            if seen.insert(r.key()) {
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

//! `plumb scan --config estates.toml`: the accounts of an estates file (those of this shard),
//! scanned concurrently, each with its own credentials, contexts and per-service limits, and
//! merged into one report, one ledger record and one exit code.
//!
//! One account's failure (a role that cannot be assumed, a state that cannot be read, no read
//! that succeeds) makes that account incomplete: its types are listed under `errors` with the
//! account, its state resources under `not_judged`, nothing of it is reported missing, and the
//! other accounts are judged as usual. Only a failure of the scanning credentials themselves
//! (none, rejected, the endpoint unreachable) stops the run.

use std::collections::{BTreeMap, BTreeSet};
use std::io::IsTerminal;
use std::path::Path;
use std::time::{Duration, Instant};

use anyhow::anyhow;
use futures::StreamExt;
use time::format_description::well_known::Rfc3339;

use super::{AccountResult, AccountScan, Failure, Prepared};
use crate::aws::client::{self, CallStats};
use crate::cli::ScanArgs;
use crate::diff::{self, NotJudged};
use crate::estate::{Account, Origin, Shard, config, discover, reach};
use crate::model::{ReadError, Resource};
use crate::report::{self, RunPart, ScanReport, ScopeAccount};

/// One account's outcome.
struct Scanned {
    account: Account,
    result: AccountResult,
    calls: BTreeMap<String, u64>,
    elapsed: Duration,
}

pub async fn run(args: &ScanArgs, file: &Path, prepared: Prepared) -> Result<u8, Failure> {
    let Prepared { started_at, policy, ignores, opts, window, verbose, deadline } = prepared;
    let deadline = (deadline, args.deadline);
    let estates = config::load(file).map_err(Failure::Input)?;
    let shard = args.shard.unwrap_or(Shard::ALL);
    // Shards of one night share a run id: the orchestrator's, else the UTC date.
    let run_id = args.run_id.clone().or_else(|| {
        args.shard.map(|_| {
            let d = started_at.date();
            format!("{:04}-{:02}-{:02}", d.year(), u8::from(d.month()), d.day())
        })
    });

    // The scanning credentials (the standard chain): one call says whether anything can work.
    let scanner_stats = CallStats::default();
    let base = client::load_config(&opts, None).await;
    let home = base.region().map(|r| r.to_string()).unwrap_or_else(|| "us-east-1".to_string());
    let mut errors: Vec<ReadError> = Vec::new();
    let sts = client::sts_client_in(&base, &home, &opts, &scanner_stats);
    let scanner = match sts.get_caller_identity().send().await {
        Ok(out) => out.account().unwrap_or("unknown").to_string(),
        Err(e) => {
            if let Some(why) = crate::aws::errors::systemic(&e, opts.endpoint_url.as_deref(), &home) {
                return Err(Failure::Operational(anyhow!("nothing was read: {why}")));
            }
            errors.push(crate::aws::errors::read_error("sts", &home, &[], e));
            "unknown".to_string()
        }
    };

    let mut accounts = crate::estate::named_accounts(&estates);
    if let Some(d) = &estates.organizations {
        let ctx = client::build_ctx(&base, organizations_region(&home), &scanner, &opts, &scanner_stats);
        match discover::list_accounts(&ctx).await {
            Ok(members) => {
                let named: Vec<String> = accounts.iter().map(|a| a.id.clone()).collect();
                let (found, inactive) = discover::accounts(d, &members, &named);
                for m in inactive {
                    eprintln!("plumb: note: account {} ({}) is {}: not scanned", m.id, m.name, m.status);
                }
                accounts.extend(found);
            }
            // The accounts discovery would have added are unknown: the run is incomplete.
            Err(mut e) => {
                e.message = format!("listing the organisation's accounts: {}", e.message);
                errors.push(e);
            }
        }
    }
    for a in &mut accounts {
        if a.regions.is_empty() {
            match base.region() {
                Some(r) => a.regions = vec![r.to_string()],
                None => {
                    return Err(Failure::Input(miette::miette!(
                        help = "add regions to the estate or to [scan], or set AWS_REGION",
                        "{}: account {} has no regions",
                        estates.file,
                        a.id
                    )));
                }
            }
        }
    }
    let configured = accounts.len();
    let accounts = crate::estate::plan(accounts, shard);
    if shard != Shard::ALL {
        eprintln!("plumb: shard {shard}: {} of {configured} accounts", accounts.len());
    }

    // States: bad input in a file the estates file names fails the run before any read; a
    // state that cannot be fetched, or a discovered account's state that is not there, makes
    // only that account incomplete.
    let loaded: Vec<Result<Vec<Resource>, Failure>> = futures::stream::iter(&accounts)
        .map(|a| super::load_states(&a.states, &base, &opts, &scanner_stats))
        .buffered(8)
        .collect()
        .await;
    let mut states: Vec<Result<Vec<Resource>, ReadError>> = Vec::with_capacity(accounts.len());
    for (a, r) in accounts.iter().zip(loaded) {
        states.push(match r {
            Ok(s) => Ok(s),
            Err(Failure::Input(report)) if matches!(a.origin, Origin::File(_)) => {
                return Err(Failure::Input(report.wrap_err(format!("account {}", a.label()))));
            }
            Err(Failure::Input(report)) => Err(state_error(a, &format!("{report}"))),
            Err(Failure::Operational(e)) => Err(state_error(a, &crate::aws::errors::chain(e.as_ref()))),
        });
    }

    let rules = &policy.rules;
    let no_rules = policy.rules.clone().filter(|_| false);
    let progress = !verbose && std::io::stderr().is_terminal() && accounts.len() > 1;
    let total = accounts.len();
    let mut done = 0usize;
    let base_ref = &base;
    let opts_ref = &opts;
    let ignores_ref = &ignores;
    let no_rules_ref = &no_rules;
    let cloudtrail = args.cloudtrail.as_deref().zip(window);
    let selection = diff::select::Selection::new(&args.include, &args.exclude);
    let selection = &selection;
    let mut stream = futures::stream::iter(accounts.into_iter().zip(states))
        .map(|(account, state)| async move {
            let stats = CallStats::default();
            let started = Instant::now();
            let result =
                scan_one(&account, state, base_ref, opts_ref, &stats, rules, ignores_ref, cloudtrail, deadline)
                    .await
                    .unwrap_or_else(|(state, e)| unreachable_account(&account, &state, e, no_rules_ref));
            let mut result = result;
            result.select(selection);
            Scanned { account, result, calls: stats.snapshot(), elapsed: started.elapsed() }
        })
        .buffer_unordered(estates.account_concurrency);
    let mut scanned: Vec<Scanned> = Vec::new();
    while let Some(s) = stream.next().await {
        done += 1;
        if progress {
            eprint!("\rplumb: scanning accounts: {done}/{total}");
        }
        scanned.push(s);
    }
    drop(stream);
    if progress {
        eprint!("\r{:60}\r", "");
    }
    scanned.sort_by(|a, b| a.account.id.cmp(&b.account.id));
    for s in &scanned {
        log_account(s);
    }

    let report = merge(&policy, started_at, &scanned, errors, run_id, shard);
    if verbose {
        let mut calls = scanner_stats.snapshot();
        for s in &scanned {
            for (k, v) in &s.calls {
                *calls.entry(k.clone()).or_default() += v;
            }
        }
        let sum: u64 = calls.values().sum();
        let per: Vec<String> = calls.iter().map(|(s, n)| format!("{s}={n}")).collect();
        eprintln!("plumb: {sum} API calls ({})", per.join(", "));
    }
    let live: Vec<Resource> = scanned.iter().flat_map(|s| s.result.live.iter().cloned()).collect();
    let failed: BTreeSet<&str> = scanned.iter().flat_map(|s| s.result.failed.iter().map(String::as_str)).collect();
    let snapshot = args.ledger.as_ref().map(|_| snapshot(&scanned, &report));
    super::finish_scan(args, &policy, &report, &live, &failed, snapshot.as_deref()).await
}

/// Organizations answers in one region per partition.
fn organizations_region(home: &str) -> &'static str {
    if home.starts_with("us-gov-") {
        "us-gov-west-1"
    } else if home.starts_with("cn-") {
        "cn-northwest-1"
    } else {
        "us-east-1"
    }
}

fn state_error(a: &Account, why: &str) -> ReadError {
    let region = a.regions.first().map(String::as_str).unwrap_or("");
    let message = format!("the account's Terraform state could not be read: {why}");
    ReadError { service: "terraform-state".into(), ..reach::account_error(region, "StateUnreadable", message) }
}

/// Reach the account and scan it; on failure, the state (for `not_judged`) and the error.
#[allow(clippy::too_many_arguments)]
async fn scan_one(
    account: &Account,
    state: Result<Vec<Resource>, ReadError>,
    base: &aws_config::SdkConfig,
    opts: &client::ClientOptions,
    stats: &CallStats,
    rules: &crate::rules::RuleSet,
    ignores: &[diff::ignore::Ignore],
    cloudtrail: Option<(&str, crate::attribution::Window)>,
    deadline: (tokio::time::Instant, std::time::Duration),
) -> Result<AccountResult, (Vec<Resource>, ReadError)> {
    let state = state.map_err(|e| (Vec::new(), e))?;
    let region = account.regions.first().map(String::as_str).unwrap_or("us-east-1");
    let conf = match reach::connect(&account.id, &account.reach, base, region, opts, stats).await {
        Ok(c) => c,
        Err(e) => return Err((state, e)),
    };
    // Kept for `not_judged` if nothing can be read after all.
    let keys: Vec<Resource> = state.iter().map(skeleton).collect();
    let scan = AccountScan {
        conf: &conf,
        trail_conf: base,
        regions: &account.regions,
        state,
        limits: &account.limits,
        opts,
        stats,
        rules,
        ignores,
        cloudtrail,
        progress: false,
        deadline,
    };
    match super::scan_account(scan).await {
        Ok(r) if r.account == account.id || r.account == "unknown" => Ok(r),
        Ok(r) => Err((
            keys,
            reach::account_error(
                region,
                "WrongAccount",
                format!("the credentials read account {}, not {}", r.account, account.id),
            ),
        )),
        Err(e) => Err((keys, reach::account_error(region, "Unreachable", crate::aws::errors::chain(e.as_ref())))),
    }
}

/// A state resource without its attributes: enough to list it as not judged.
fn skeleton(r: &Resource) -> Resource {
    Resource { attributes: Default::default(), ..r.clone() }
}

/// An account nothing could be read from: every state resource not judged, the error against
/// every type, nothing missing, nothing unmanaged.
fn unreachable_account(
    account: &Account,
    state: &[Resource],
    error: ReadError,
    no_rules: &crate::rules::RuleSet,
) -> AccountResult {
    let all: BTreeSet<&str> = crate::aws::supported_types().into_iter().collect();
    let none = BTreeSet::new();
    let result = diff::diff(
        state,
        &[],
        &diff::Scope {
            scanned_types: &all,
            failed_types: &all,
            regions: &account.regions,
            part_types: &none,
            recorded: &BTreeSet::new(),
            aws_object: crate::aws::is_aws_object,
        },
    );
    AccountResult {
        account: account.id.clone(),
        resources: result.resources,
        not_judged: result.not_judged,
        errors: vec![error],
        findings: Vec::new(),
        evaluated: no_rules.clone(),
        skipped: Vec::new(),
        live: Vec::new(),
        failed: all.iter().map(|t| t.to_string()).collect(),
        stale_ignores: Vec::new(),
    }
}

fn log_account(s: &Scanned) {
    let calls: u64 = s.calls.values().sum();
    let how = match s.result.errors.first() {
        None => "complete".to_string(),
        Some(e) if s.result.live.is_empty() && s.result.resources.is_empty() => {
            format!("NOT SCANNED ({} {}: {})", e.service, e.code, e.message)
        }
        Some(_) => format!("incomplete ({} failed reads)", s.result.errors.len()),
    };
    eprintln!(
        "plumb: account {}: {how}; {} region{}, {calls} API calls, {:.1} s",
        s.account.label(),
        s.account.regions.len(),
        if s.account.regions.len() == 1 { "" } else { "s" },
        s.elapsed.as_secs_f64()
    );
    for (rule, types) in &s.result.skipped {
        eprintln!("plumb: account {}: rule {rule} not evaluated: reading {} failed", s.account.id, types.join(", "));
    }
}

/// The accounts' results as one report, each item carrying its account.
fn merge(
    policy: &crate::rules::policy::Policy,
    started_at: time::OffsetDateTime,
    scanned: &[Scanned],
    mut errors: Vec<ReadError>,
    run_id: Option<String>,
    shard: Shard,
) -> ScanReport {
    let mut resources = Vec::new();
    let mut not_judged: Vec<NotJudged> = Vec::new();
    let mut findings = Vec::new();
    for s in scanned {
        let id = Some(s.account.id.clone());
        resources.extend(s.result.resources.iter().cloned().map(|mut r| {
            r.account = id.clone();
            r
        }));
        not_judged.extend(s.result.not_judged.iter().cloned().map(|mut n| {
            n.account = id.clone();
            n
        }));
        errors.extend(s.result.errors.iter().cloned().map(|mut e| {
            e.account = id.clone();
            e
        }));
        findings.extend(s.result.findings.iter().cloned().map(|mut f| {
            f.account = id.clone();
            f
        }));
    }
    not_judged.sort();
    let evaluated =
        policy.rules.clone().filter(|r| scanned.iter().any(|s| s.result.evaluated.get(&r.meta.id).is_some()));
    let expired = policy.judge(&mut findings, crate::rules::policy::today());
    let frameworks = crate::rules::policy::frameworks(&evaluated, &findings);
    let mut report = ScanReport::new(started_at.format(&Rfc3339).unwrap_or_default(), resources, not_judged, errors)
        .with_findings(findings, frameworks, expired);
    report.stale_ignores = stale_everywhere(scanned);
    for s in &report.stale_ignores {
        eprintln!("plumb: warning: {}: ignore entry for {} {} ({})", s.by, s.address, s.paths.join(", "), s.state);
    }
    report.remediation =
        policy.rules.rules().iter().map(|r| (r.meta.id.clone(), report::hint(&r.meta.remediation))).collect();
    let mut regions: Vec<String> = scanned.iter().flat_map(|s| s.account.regions.iter().cloned()).collect();
    regions.sort();
    regions.dedup();
    let states: Vec<String> = scanned.iter().flat_map(|s| s.account.states.iter().cloned()).collect();
    let mut scope = report::RunScope::new("", &regions, &states, &policy.rules, &evaluated);
    scope.accounts = scanned
        .iter()
        .map(|s| ScopeAccount {
            id: s.account.id.clone(),
            name: s.account.name.clone(),
            regions: s.account.regions.clone(),
            states: s.account.states.clone(),
            complete: s.result.errors.is_empty(),
        })
        .collect();
    scope.part = run_id.map(|run_id| RunPart { run_id, shard: shard.index, shards: shard.count });
    report.scope = Some(scope);
    report
}

/// Ignore entries that did nothing in every account scanned (an entry used in one account is
/// not stale); expired ones are expired everywhere.
fn stale_everywhere(scanned: &[Scanned]) -> Vec<diff::ignore::StaleIgnore> {
    let reached: Vec<&Scanned> =
        scanned.iter().filter(|s| !s.result.live.is_empty() || s.result.errors.is_empty()).collect();
    let Some(first) = reached.first() else { return Vec::new() };
    let key = |s: &diff::ignore::StaleIgnore| (s.by.clone(), s.address.clone(), s.paths.clone(), s.state);
    first
        .result
        .stale_ignores
        .iter()
        .filter(|x| reached.iter().all(|s| s.result.stale_ignores.iter().any(|y| key(y) == key(x))))
        .cloned()
        .collect()
}

/// The live configuration of every account, each resource's header naming its account.
fn snapshot(scanned: &[Scanned], report: &ScanReport) -> String {
    let mut out = String::new();
    for s in scanned {
        let judged: Vec<diff::Judged> =
            report.resources.iter().filter(|j| j.account.as_deref() == Some(s.account.id.as_str())).cloned().collect();
        let text = crate::ledger::snapshot::render(&judged, &s.result.live);
        for line in text.lines() {
            out.push_str(line);
            if !line.is_empty() && !line.starts_with(char::is_whitespace) {
                out.push_str("  account=");
                out.push_str(&s.account.id);
            }
            out.push('\n');
        }
    }
    out
}

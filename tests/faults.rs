//! Hostile networks and hostile files, end to end: `plumb scan` through a fault-injecting proxy
//! in front of the emulator (throttling in each protocol's shape, 500s, 503s, resets, truncated,
//! slow, stalled and unparseable answers), the scan deadline, a PostgreSQL ledger connection cut
//! mid-append, and a CloudTrail gzip bomb. Under every fault a scan either completes with the
//! same verdicts as without it, or ends incomplete (exit 2) with the affected types under
//! `errors`; it never reports anything missing, never hangs (each run has a hard time limit),
//! and never loses a ledger record. See docs/robustness.md.

mod common;
mod ledger_common;

use std::collections::BTreeMap;
use std::time::Duration;

use common::faults::{Cut, CutProxy, Fault, FaultProxy, Match, Rule, Timed, plumb_within};
use common::*;
use serde_json::Value;

/// A hung scan fails the test instead of stalling the run.
const HARD_LIMIT: Duration = Duration::from_secs(150);

fn fixture() -> &'static Fixture {
    shared("faults", &[])
}

/// `plumb scan` of the faults stack through `proxy`, recorded in `ledger`.
fn scan_through(proxy: &FaultProxy, ledger: &str, extra: &[&str]) -> Timed {
    let fx = fixture();
    let mut args =
        vec!["scan", "--state", fx.stack.state_path_str(), "--format", "json", "--fail-on", "none", "--ledger", ledger];
    args.extend_from_slice(extra);
    plumb_within(&args, &[("AWS_ENDPOINT_URL", proxy.url())], HARD_LIMIT)
}

/// Managed resources' verdicts by address.
fn verdicts(report: &Value) -> BTreeMap<String, String> {
    report["resources"]
        .as_array()
        .unwrap()
        .iter()
        .filter_map(|r| Some((r["address"].as_str()?.to_string(), r["status"].as_str()?.to_string())))
        .collect()
}

/// The verdicts of a scan without faults (through a proxy that only forwards), once.
fn baseline() -> &'static (i32, BTreeMap<String, String>) {
    static BASELINE: std::sync::OnceLock<(i32, BTreeMap<String, String>)> = std::sync::OnceLock::new();
    BASELINE.get_or_init(|| {
        let proxy = FaultProxy::start(fixture().emulator.url(), vec![]);
        let ledger = ledger_common::sqlite("baseline");
        let t = scan_through(&proxy, &ledger.location, &[]);
        let report = t.run.json();
        assert_eq!(report["complete"], true, "{:#}\n{}", report["errors"], t.run.stderr);
        let v = verdicts(&report);
        assert!(v.len() >= 8 && v.values().all(|s| s == "in_sync"), "a fresh apply scans clean: {v:#?}");
        assert_eq!(t.run.code, 0, "{}", t.run.stderr);
        assert!(proxy.requests() > 50, "the scan went through the proxy ({} calls)", proxy.requests());
        eprintln!("baseline: {} calls in {:?}", proxy.requests(), t.elapsed);
        (t.run.code, v)
    })
}

/// `plumb ledger verify`: intact, and how many records.
fn verify(ledger: &str) -> u64 {
    let run = ledger_common::plumb(&["ledger", "verify", "--ledger", ledger, "--format", "json"]);
    assert_eq!(run.code, 0, "{}\n{}", run.stdout, run.stderr);
    let v: Value = serde_json::from_str(&run.stdout).unwrap();
    assert_eq!(v["intact"], true, "{v:#}");
    v["records"].as_u64().unwrap()
}

/// `code` is one of `codes` (`HTTP*`: any `HTTPnnn`).
fn code_in(code: &str, codes: &[&str]) -> bool {
    codes.iter().any(|c| match c.strip_suffix('*') {
        Some(prefix) => code.starts_with(prefix),
        None => code == *c,
    })
}

/// Nothing is ever missing; a failed read leaves its types out, not judged.
fn never_missing(report: &Value, what: &str) {
    assert_eq!(report["summary"]["missing"], 0, "{what}: {:#}", report["resources"]);
    for r in report["resources"].as_array().unwrap() {
        assert_ne!(r["status"], "missing", "{what}: {r:#}");
    }
}

/// Transient faults on a share of calls: the SDK's retries (adaptive, with backoff) absorb
/// them and every scan ends complete with the baseline's verdicts; each run's record is in
/// the ledger.
#[test]
fn transient_faults_are_retried_and_the_scan_completes() {
    let (code, expected) = baseline();
    let ledger = ledger_common::sqlite("transient");
    let fast = ["--call-timeout", "2s"];
    let classes: Vec<(&str, Vec<Rule>, &[&str])> = vec![
        // Adaptive retries slow the client down after each throttle: a burst, then recovery.
        ("throttling", vec![Rule::every(3, Match::Any, Fault::Throttle).at_most(12)], &[]),
        ("500", vec![Rule::every(4, Match::Any, Fault::Http500)], &[]),
        ("503", vec![Rule::every(4, Match::Any, Fault::Http503)], &[]),
        ("reset", vec![Rule::every(4, Match::Any, Fault::Reset)], &[]),
        ("slow", vec![Rule::every(2, Match::Any, Fault::Slow(Duration::from_millis(150)))], &[]),
        ("stalled", vec![Rule::every(7, Match::Any, Fault::Stall)], &fast),
    ];
    let mut runs = 0;
    for (name, rules, extra) in classes {
        let proxy = FaultProxy::start(fixture().emulator.url(), rules);
        let t = scan_through(&proxy, &ledger.location, extra);
        runs += 1;
        let injected: u64 = proxy.injected().values().sum();
        eprintln!("{name}: {injected} faults in {} calls, {:?}", proxy.requests(), t.elapsed);
        assert!(injected > 0, "{name}: no fault was injected");
        let report = t.run.json();
        never_missing(&report, name);
        assert_eq!(
            report["complete"],
            true,
            "{name}: retries should absorb one fault in a few calls: {:#}\nfaults: {:?}",
            report["errors"],
            proxy.log()
        );
        assert_eq!(&verdicts(&report), expected, "{name}");
        assert_eq!(t.run.code, *code, "{name}: {}", t.run.stderr);
        assert!(t.run.stderr.contains("recorded run"), "{name}: {}", t.run.stderr);
    }
    assert_eq!(verify(&ledger.location), runs);
}

/// Faults that do not go away: the calls they hit fail after their retries, the scan is
/// incomplete (exit 2) with those services' types under `errors` (each with the code the fault
/// answered) and left unjudged, the rest is judged as without faults, nothing is missing, and
/// the run is still recorded. Faults on different services go into one scan (each service has
/// its own retry budget and rate limiter).
#[test]
fn persistent_faults_make_the_scan_incomplete_never_missing() {
    let (_, expected) = baseline();
    let ledger = ledger_common::sqlite("persistent");
    let short = ["--call-timeout", "2s"];
    // (scenario, rules, service as the report names it -> codes allowed, extra arguments)
    type Expect = &'static [(&'static str, &'static [&'static str])];
    let scenarios: Vec<(&str, Vec<Rule>, Expect, &[&str])> = vec![
        (
            "throttling in each protocol",
            vec![
                Rule::always(Match::Operation("DescribeVpcs"), Fault::Throttle),
                Rule::always(Match::Service("s3"), Fault::Throttle),
                Rule::always(Match::Service("kms"), Fault::Throttle),
                Rule::always(Match::Service("iam"), Fault::Throttle),
                Rule::always(Match::Service("eks"), Fault::Throttle),
                Rule::always(Match::Service("rds"), Fault::Throttle),
            ],
            &[
                ("ec2", &["RequestLimitExceeded"]),
                ("s3", &["SlowDown"]),
                ("kms", &["ThrottlingException"]),
                ("iam", &["Throttling"]),
                ("eks", &["ThrottlingException"]),
                ("rds", &["Throttling"]),
            ],
            &short,
        ),
        (
            "server errors, resets, truncated and unparseable answers",
            vec![
                Rule::always(Match::Service("s3"), Fault::Http500),
                Rule::always(Match::Service("kms"), Fault::Http503),
                Rule::always(Match::Operation("DescribeSubnets"), Fault::Reset),
                Rule::always(Match::Operation("DescribeSecurityGroups"), Fault::Garbage),
                Rule::always(Match::Service("iam"), Fault::Truncate),
            ],
            &[
                ("s3", &["InternalError"]),
                ("kms", &["ServiceUnavailable"]),
                ("ec2", &["DispatchFailure", "Unknown", "HTTP200"]),
                // A cut body is not retried: the status it came with, "could not be parsed".
                ("iam", &["DispatchFailure", "Unknown", "HTTP*"]),
            ],
            &short,
        ),
        ("stalled", vec![Rule::always(Match::Service("kms"), Fault::Stall)], &[("kms", &["Timeout"])], &short),
    ];
    let mut runs = 0;
    for (name, rules, expect, extra) in scenarios {
        let proxy = FaultProxy::start(fixture().emulator.url(), rules);
        let t = scan_through(&proxy, &ledger.location, extra);
        runs += 1;
        eprintln!("{name}: {:?} in {} calls, {:?}", proxy.injected(), proxy.requests(), t.elapsed);
        let report = t.run.json();
        assert_eq!(t.run.code, 2, "{name}: {}", t.run.stderr);
        assert_eq!(report["complete"], false, "{name}");
        never_missing(&report, name);
        let errors = report["errors"].as_array().unwrap();
        // Each faulted service fails with the fault's code. Its other calls may time out: after
        // a throttle the service's client-side rate limiter holds them back, and the wait counts
        // against their operation timeout. No other service fails.
        for e in errors {
            let service = e["service"].as_str().unwrap();
            let codes = expect.iter().find(|(s, _)| *s == service).map(|(_, c)| *c);
            assert!(codes.is_some(), "{name}: {service} was not faulted but failed: {e}");
            let code = e["code"].as_str().unwrap();
            assert!(code_in(code, codes.unwrap()) || code == "Timeout", "{name}: expected {codes:?}: {e}");
        }
        for (service, codes) in expect {
            assert!(
                errors.iter().any(|e| e["service"] == *service && code_in(e["code"].as_str().unwrap(), codes)),
                "{name}: no {service} error with {codes:?}: {}",
                serde_json::to_string_pretty(errors).unwrap()
            );
        }
        let failed: Vec<&str> =
            errors.iter().flat_map(|e| e["affected_types"].as_array().unwrap()).filter_map(Value::as_str).collect();
        // What failed is not judged (and listed as not judged); everything else is, as without faults.
        let got = verdicts(&report);
        let not_judged = report["not_judged"].as_array().unwrap();
        for (address, status) in expected {
            let rtype = address.split('.').next().unwrap();
            if failed.contains(&rtype) {
                assert!(!got.contains_key(address), "{name}: {address} judged although its read failed");
                assert!(not_judged.iter().any(|n| n["address"] == address.as_str()), "{name}: {address}");
            } else {
                assert_eq!(got.get(address), Some(status), "{name}: {address}");
            }
        }
        assert!(t.run.stderr.contains("recorded run"), "{name}: {}", t.run.stderr);
    }
    assert_eq!(verify(&ledger.location), runs);
}

/// Calls that never answer, with a long per-call timeout: the scan deadline ends the reads,
/// the unfinished ones are errors (DeadlineExceeded), and the report and record are written.
#[test]
fn the_deadline_ends_a_scan_that_would_wait_longer() {
    baseline();
    let ledger = ledger_common::sqlite("deadline");
    let proxy = FaultProxy::start(fixture().emulator.url(), vec![Rule::always(Match::Service("s3"), Fault::Stall)]);
    let t = scan_through(&proxy, &ledger.location, &["--call-timeout", "60s", "--deadline", "4s"]);
    assert!(t.elapsed < Duration::from_secs(40), "the deadline was not kept: {:?}", t.elapsed);
    assert_eq!(t.run.code, 2, "{}", t.run.stderr);
    let report = t.run.json();
    assert_eq!(report["complete"], false);
    never_missing(&report, "deadline");
    let errors = report["errors"].as_array().unwrap();
    assert!(
        errors.iter().any(|e| e["code"] == "DeadlineExceeded"
            && e["service"] == "s3"
            && e["affected_types"].as_array().unwrap().iter().any(|t| t == "aws_s3_bucket")),
        "{errors:#?}"
    );
    assert!(errors.iter().all(|e| e["code"] == "DeadlineExceeded"), "{errors:#?}");
    assert!(t.run.stderr.contains("scan deadline (4s) passed"), "{}", t.run.stderr);
    assert!(verdicts(&report).keys().all(|a| !a.starts_with("aws_s3_")), "{:#}", report["resources"]);

    // Throttling that never eases (one call in three): adaptive retries slow the client to a
    // crawl (about 90 s for this small scan); the deadline still ends it on time, incomplete.
    let proxy = FaultProxy::start(fixture().emulator.url(), vec![Rule::every(3, Match::Any, Fault::Throttle)]);
    let t = scan_through(&proxy, &ledger.location, &["--deadline", "6s"]);
    assert!(t.elapsed < Duration::from_secs(40), "the deadline was not kept: {:?}", t.elapsed);
    let report = t.run.json();
    never_missing(&report, "sustained throttling");
    assert_eq!(t.run.code, 2, "{}", t.run.stderr);
    let errors = report["errors"].as_array().unwrap();
    assert!(errors.iter().any(|e| e["code"] == "DeadlineExceeded"), "{errors:#?}");
    assert_eq!(verify(&ledger.location), 2);
}

/// A PostgreSQL ledger whose connection is cut in the middle of an append (inside the INSERT,
/// or after the head's UPDATE and before COMMIT) keeps no partial record: the run fails (exit
/// 2), the chain is intact, and the next run appends after the last good record.
#[test]
fn a_postgres_connection_cut_mid_append_leaves_no_partial_record() {
    let Some(pg) = ledger_common::postgres("cut") else {
        eprintln!("no PostgreSQL: skipped");
        return;
    };
    let dir = tempfile::tempdir().unwrap();
    let report = dir.path().join("report.json");
    let write_report = |day: u32| {
        std::fs::write(
            &report,
            ledger_common::report(
                &ledger_common::day(day),
                vec![ledger_common::res(Some("aws_vpc.a"), "aws_vpc", "vpc-1", "in_sync")],
                vec![],
            ),
        )
        .unwrap();
    };
    let append = |location: &str| {
        ledger_common::plumb(&["ledger", "append", "--ledger", location, "--report", report.to_str().unwrap()])
    };
    write_report(1);
    let first = append(&pg.location);
    assert_eq!(first.code, 0, "{}", first.stderr);

    // `postgres://user@127.0.0.1:PORT/db` through a proxy on another port.
    let (before_port, after_port) = pg.location.split_once("@").unwrap();
    let (host_port, db) = after_port.split_once('/').unwrap();
    let upstream: std::net::SocketAddr = host_port.replace("localhost", "127.0.0.1").parse().unwrap();
    let cuts: [(&str, Option<&'static [u8]>, &'static [u8], Cut); 2] = [
        ("inside the INSERT", None, b"INSERT INTO plumb_ledger_records", Cut::Inside),
        ("before COMMIT", Some(b"UPDATE plumb_ledger_head"), b"COMMIT", Cut::Before),
    ];
    for (n, (name, after, needle, how)) in cuts.into_iter().enumerate() {
        let proxy = CutProxy::start(upstream, after, needle, how);
        let through = format!("{before_port}@127.0.0.1:{}/{db}", proxy.port);
        write_report(2 + n as u32);
        let run = append(&through);
        assert!(proxy.fired(), "{name}: the connection was not cut: {}", run.stderr);
        assert_eq!(run.code, 2, "{name}: {}\n{}", run.stdout, run.stderr);
        assert!(!run.stderr.contains("panicked"), "{name}: {}", run.stderr);
        assert_eq!(verify(&pg.location), 1, "{name}: no partial record");
    }
    write_report(5);
    let next = append(&pg.location);
    assert_eq!(next.code, 0, "{}", next.stderr);
    assert!(next.stderr.contains("recorded run 2"), "{}", next.stderr);
    assert_eq!(verify(&pg.location), 2);
}

/// A CloudTrail file that decompresses to 1 GiB is skipped at the 256 MiB limit without
/// taking its size in memory; a file starting with a byte-order mark is read; records without
/// an eventTime are counted in the warning.
#[test]
fn a_cloudtrail_gzip_bomb_is_skipped_in_bounded_memory() {
    use std::io::Write as _;
    let dir = tempfile::tempdir().unwrap();
    // gzip members concatenate: one member of 16 MiB of spaces, 64 times over (~1 MiB on disk).
    let mut member = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::best());
    member.write_all(&vec![b' '; 16 << 20]).unwrap();
    let member = member.finish().unwrap();
    let mut bomb = std::fs::File::create(dir.path().join("bomb.json.gz")).unwrap();
    for _ in 0..64 {
        bomb.write_all(&member).unwrap();
    }
    drop(bomb);
    let vpc = "vpc-aa39f901b2e08e7a9";
    let yesterday = time::OffsetDateTime::now_utc() - time::Duration::DAY;
    let when = yesterday.format(&time::format_description::well_known::Rfc3339).unwrap();
    let record = |id: &str, time: Option<&str>| {
        let time = time.map(|t| format!(r#""eventTime":"{t}","#)).unwrap_or_default();
        format!(
            r#"{{"eventVersion":"1.09",{time}"eventSource":"ec2.amazonaws.com","eventName":"ModifyVpcAttribute",
               "awsRegion":"us-east-1","eventID":"{id}","userIdentity":{{"type":"IAMUser","userName":"mallory",
               "arn":"arn:aws:iam::123456789012:user/mallory"}},"requestParameters":{{"vpcId":"{vpc}",
               "enableDnsHostnames":{{"value":false}}}}}}"#
        )
    };
    let file = format!("\u{feff}{{\"Records\":[{},{}]}}", record("e-1", Some(&when)), record("e-2", None));
    std::fs::write(dir.path().join("bom.json"), file).unwrap();

    let state = root().join("testdata/tfstate/smoke.tfstate");
    let args = [
        "blame",
        "aws_vpc.smoke",
        "--state",
        state.to_str().unwrap(),
        "--cloudtrail",
        dir.path().to_str().unwrap(),
        "--format",
        "json",
    ];
    let t = plumb_within(&args, &[], HARD_LIMIT);
    assert_eq!(t.run.code, 0, "{}", t.run.stderr);
    assert!(t.run.stderr.contains("bomb.json.gz: larger than 256 MiB decompressed"), "{}", t.run.stderr);
    assert!(t.run.stderr.contains("1 CloudTrail records did not parse"), "{}", t.run.stderr);
    assert!(t.run.stdout.contains("mallory") && t.run.stdout.contains("e-1"), "{}", t.run.stdout);
    // The 256 MiB buffer and the program itself; never the gigabyte.
    assert!(t.peak_kib < 400 << 10, "peak memory {} MiB", t.peak_kib >> 10);
    eprintln!("gzip bomb: {:?}, peak {} MiB", t.elapsed, t.peak_kib >> 10);
}

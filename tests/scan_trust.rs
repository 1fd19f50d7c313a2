//! Results a nightly job can trust, end to end on the emulator (issue 15's defects): a rule
//! failing at run time makes the scan incomplete; empty endpoints do not panic; resources of
//! a region that was not scanned are not judged (never "gone"); no credentials, an endpoint
//! that is down or a mistyped region give one message with the fix and no report; a ledger or
//! output that cannot be written fails before AWS is read.

mod common;

use std::process::{Command, Stdio};

use common::*;

/// `plumb` with only the environment given (no credentials unless passed).
fn plumb_bare(args: &[&str], env: &[(&str, &str)]) -> Run {
    let nowhere = root().join("target/nonexistent-aws-config");
    let mut cmd = Command::new(env!("CARGO_BIN_EXE_plumb"));
    cmd.args(args)
        .current_dir(root())
        .stdin(Stdio::null())
        .env_clear()
        .env("PATH", std::env::var("PATH").unwrap_or_default())
        .env("HOME", root().join("target"))
        .env("AWS_CONFIG_FILE", &nowhere)
        .env("AWS_SHARED_CREDENTIALS_FILE", &nowhere)
        .env("AWS_EC2_METADATA_DISABLED", "true")
        .env("NO_COLOR", "1");
    for (k, v) in env {
        cmd.env(k, v);
    }
    let out = cmd.output().expect("run plumb");
    Run {
        code: out.status.code().unwrap_or(-1),
        stdout: String::from_utf8_lossy(&out.stdout).into_owned(),
        stderr: String::from_utf8_lossy(&out.stderr).into_owned(),
    }
}

#[test]
fn results_are_honest_and_failures_say_why_once() {
    let fx = smoke();
    let state = fx.stack.state_path_str();
    let keys = [("AWS_ACCESS_KEY_ID", "test"), ("AWS_SECRET_ACCESS_KEY", "test"), ("AWS_REGION", "us-east-1")];

    // A rule that fails at run time: incomplete, exit 2, listed under errors, in text too.
    let run = fx.scan(&["--rules", "testdata/check/policy/broken"]);
    assert_eq!(run.code, 2, "{}", run.stderr);
    let report = run.json();
    assert_eq!(report["complete"], false);
    assert!(report["summary"]["coverage_percent"].is_null(), "no coverage for an incomplete scan");
    let errors = report["errors"].as_array().unwrap();
    assert!(
        errors.iter().any(|e| e["service"] == "rules" && e["message"].as_str().unwrap().contains("ACME-BROKEN-001"))
    );
    let text = fx.emulator.plumb(&["scan", "--state", state, "--rules", "testdata/check/policy/broken"]);
    assert!(text.stdout.contains("rule ACME-BROKEN-001 failed to evaluate"), "{}", text.stdout);
    assert!(text.stdout.contains("coverage unknown (scan incomplete)"), "{}", text.stdout);
    assert!(!text.stdout.contains("Findings: none\n"), "{}", text.stdout);

    // Empty endpoints are "unset", never a panic (exit 101).
    let endpoint = [("AWS_ENDPOINT_URL", fx.emulator.url())];
    let env: Vec<(&str, &str)> = keys.iter().chain(&endpoint).copied().collect();
    let run = plumb_bare(&["scan", "--state", state, "--format", "json", "--fail-on", "none"], &env);
    assert_eq!(run.code, 0, "the emulator works through AWS_ENDPOINT_URL: {}", run.stderr);
    let empty: Vec<(&str, &str)> = keys.iter().copied().chain([("AWS_ENDPOINT_URL", "")]).collect();
    let run = plumb_bare(&["scan", "--state", state, "--endpoint-url", ""], &empty);
    assert_ne!(run.code, 101, "{}", run.stderr);
    assert!(!run.stderr.contains("panicked"), "{}", run.stderr);
    let run = plumb_bare(&["scan", "--state", state, "--endpoint-url", "not a url"], &keys);
    assert_eq!(run.code, 2);
    assert!(run.stderr.contains("is not an http(s) URL"), "{}", run.stderr);

    // Another region than the state's: its resources are not judged, never "gone from AWS".
    let run = fx.scan(&["--region", "eu-west-1", "--fail-on", "none"]);
    let report = run.json();
    assert_eq!(report["summary"]["missing"], 0, "{report:#}");
    let reasons: Vec<(&str, &str)> = report["not_judged"]
        .as_array()
        .unwrap()
        .iter()
        .map(|n| (n["address"].as_str().unwrap(), n["reason"].as_str().unwrap()))
        .collect();
    assert_eq!(
        reasons,
        [("aws_s3_bucket.smoke", "region us-east-1 not scanned"), ("aws_vpc.smoke", "region us-east-1 not scanned")]
    );

    // No credentials: one message with the fix, no report.
    let no_creds: Vec<(&str, &str)> = endpoint.iter().copied().chain([("AWS_REGION", "us-east-1")]).collect();
    let run = plumb_bare(&["scan", "--state", state], &no_creds);
    assert_eq!(run.code, 2);
    assert!(run.stderr.contains("no AWS credentials found"), "{}", run.stderr);
    assert!(run.stderr.contains("AWS_PROFILE"), "says how to provide them: {}", run.stderr);
    assert!(run.stdout.is_empty(), "no report, no coverage: {}", run.stdout);
    assert!(run.stderr.len() < 1000, "once per cause, not once per type: {} bytes", run.stderr.len());

    // The endpoint is down: one message naming it.
    let down = format!("http://127.0.0.1:{}", closed_port());
    let env: Vec<(&str, &str)> = keys.iter().copied().chain([("AWS_ENDPOINT_URL", down.as_str())]).collect();
    let run = plumb_bare(&["scan", "--state", state], &env);
    assert_eq!(run.code, 2);
    assert!(run.stderr.contains(&format!("cannot reach the endpoint {down}")), "{}", run.stderr);
    assert!(run.stdout.is_empty() && run.stderr.len() < 1000, "{}\n{}", run.stdout, run.stderr);

    // A mistyped region: bad input, before any call.
    let run = fx.scan(&["--region", "us-est-1"]);
    assert_eq!(run.code, 2);
    assert!(run.stderr.contains("\"us-est-1\" is not an AWS region name"), "{}", run.stderr);

    // A ledger or output that cannot be written fails before AWS is read (`-v` logs no call).
    let run = fx.emulator.plumb(&["-v", "scan", "--state", state, "--ledger", "/nonexistent-dir/evidence.db"]);
    assert_eq!(run.code, 2);
    assert!(run.stderr.contains("opening the ledger before the scan"), "{}", run.stderr);
    assert!(!run.stderr.contains("plumb: api "), "no AWS call before the ledger check: {}", run.stderr);
    let run = fx.emulator.plumb(&["scan", "--state", state, "--ledger", "mysql://db.internal/evidence"]);
    assert_eq!(run.code, 2);
    assert!(run.stderr.contains("unsupported URL scheme mysql://"), "{}", run.stderr);
    let run = fx.emulator.plumb(&["-v", "scan", "--state", state, "--output", "/nonexistent-dir/report.json"]);
    assert_eq!(run.code, 2);
    assert!(run.stderr.contains("cannot write --output"), "{}", run.stderr);
    assert!(!run.stderr.contains("plumb: api "), "{}", run.stderr);

    // --since means nothing without --cloudtrail.
    let run = fx.scan(&["--since", "7d"]);
    assert_eq!(run.code, 2);
    assert!(run.stderr.contains("--cloudtrail"), "{}", run.stderr);
}

/// A loopback port nothing listens on.
fn closed_port() -> u16 {
    let l = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    l.local_addr().unwrap().port()
}

//! State sources and scan options end to end on the emulator: globs, several `--state`
//! flags, a state read from `s3://bucket/key`, several regions, and `-v` call logging.

mod common;

use common::*;

#[test]
fn globs_s3_states_regions_and_verbose_logging() {
    let emulator = Emulator::start();
    let stack = Stack::apply(&emulator, "smoke", &[]);
    let state = stack.state_path();
    let dir = state.parent().unwrap();

    // A glob that matches the state, plus the same file named explicitly: judged once. The
    // smoke bucket is a plain bucket that fails hardening rules (scan_core covers those):
    // `--fail-on critical` keeps the exit code about drift.
    let pattern = format!("{}/*.tfstate", dir.display());
    let run = emulator.plumb(&[
        "scan",
        "--state",
        &pattern,
        "--state",
        stack.state_path_str(),
        "--format",
        "json",
        "--fail-on",
        "critical",
    ]);
    let report = run.json();
    // No drift; only critical findings fail (the emulator's root user has no MFA: HS-IAM-004).
    let critical = report["summary"]["findings"]["critical"].as_u64().unwrap();
    assert_eq!(run.code, i32::from(critical > 0), "{}\n{}", run.stdout, run.stderr);
    assert_eq!(report["summary"]["in_sync"], 2, "{report:#}");
    assert!(run.stderr.contains("more than one state"), "duplicate states are reported: {}", run.stderr);

    // The same state read from an S3 object, as the S3 backend keeps it.
    let rt = tokio::runtime::Runtime::new().unwrap();
    let body = std::fs::read(&state).unwrap();
    rt.block_on(async {
        let s3 = emulator.s3();
        s3.create_bucket().bucket("tf-states").send().await.unwrap();
        s3.put_object().bucket("tf-states").key("smoke/terraform.tfstate").body(body.into()).send().await.unwrap();
    });
    let run = emulator.plumb(&["scan", "--state", "s3://tf-states/smoke/terraform.tfstate", "--format", "json"]);
    let report = run.json();
    assert_eq!(report["summary"]["in_sync"], 2, "{report:#}");
    // The state bucket itself is not managed by the smoke stack.
    let unmanaged: Vec<_> =
        report["resources"].as_array().unwrap().iter().filter(|r| r["status"] == "unmanaged").collect();
    assert_eq!(unmanaged.len(), 1, "{unmanaged:#?}");
    assert_eq!(unmanaged[0]["id"], "tf-states");
    assert_eq!(run.code, 1);

    // A missing S3 state is an error naming the URL, exit 2.
    let run = emulator.plumb(&["scan", "--state", "s3://tf-states/nope.tfstate"]);
    assert_eq!(run.code, 2);
    assert!(run.stderr.contains("s3://tf-states/nope.tfstate"), "{}", run.stderr);

    // Two regions: the stack lives in us-east-1; eu-west-1 is read too and adds nothing.
    let run = emulator.plumb(&[
        "scan",
        "--state",
        stack.state_path_str(),
        "--region",
        "us-east-1",
        "--region",
        "eu-west-1",
        "--format",
        "json",
    ]);
    let report = run.json();
    assert_eq!(report["complete"], true, "{:#}", report["errors"]);
    assert_eq!(report["summary"]["in_sync"], 2);
    assert_eq!(report["summary"]["missing"], 0);

    // -v logs each call and the count per service on stderr; the report stays on stdout.
    let run = emulator.plumb(&["-v", "scan", "--state", stack.state_path_str(), "--format", "json"]);
    assert!(run.stderr.contains("plumb: api ec2 DescribeVpcs 200"), "{}", run.stderr);
    assert!(run.stderr.contains("API calls (") && run.stderr.contains("ec2="), "{}", run.stderr);
    run.json();
}

/// `terraform state pull | plumb scan --state -`: a state from standard input is judged as a
/// file would be; `--include` / `--exclude` select what is reported by type, address or
/// `TYPE ID`, and a managed resource left out is never turned unmanaged.
#[test]
fn state_from_stdin_and_include_exclude() {
    use std::io::Write;
    let emulator = Emulator::start();
    let stack = Stack::apply(&emulator, "smoke", &[]);
    let state = std::fs::read(stack.state_path()).unwrap();
    let scan_stdin = |extra: &[&str]| -> Run {
        let mut args = vec!["scan", "--state", "-", "--format", "json", "--fail-on", "none"];
        args.extend_from_slice(extra);
        let mut cmd = plumb_command(&args, &[("AWS_ENDPOINT_URL", emulator.url())]);
        cmd.stdin(std::process::Stdio::piped())
            .stdout(std::process::Stdio::piped())
            .stderr(std::process::Stdio::piped());
        let mut child = cmd.spawn().expect("run plumb");
        child.stdin.take().unwrap().write_all(&state).unwrap();
        let out = child.wait_with_output().unwrap();
        Run {
            code: out.status.code().unwrap_or(-1),
            stdout: String::from_utf8_lossy(&out.stdout).into_owned(),
            stderr: String::from_utf8_lossy(&out.stderr).into_owned(),
        }
    };
    let managed = |report: &serde_json::Value| -> Vec<(String, String)> {
        let mut v: Vec<(String, String)> = report["resources"]
            .as_array()
            .unwrap()
            .iter()
            .map(|r| (r["type"].as_str().unwrap().to_string(), r["status"].as_str().unwrap().to_string()))
            .collect();
        v.sort();
        v
    };

    let run = scan_stdin(&[]);
    let report = run.json();
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert_eq!(report["summary"]["in_sync"], 2, "{report:#}");
    let all = managed(&report);
    assert!(all.iter().any(|(t, _)| t == "aws_vpc") && all.iter().any(|(t, _)| t == "aws_s3_bucket"), "{all:?}");

    // Only the bucket's type: the VPC is still read (and still managed), just not reported.
    let run = scan_stdin(&["--include", "aws_s3_*"]);
    let report = run.json();
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert!(managed(&report).iter().all(|(t, _)| t.starts_with("aws_s3_")), "{:?}", managed(&report));
    assert_eq!(report["summary"]["in_sync"], 1, "{report:#}");
    assert!(report["findings"].as_array().unwrap().iter().all(|f| f["type"].as_str().unwrap().starts_with("aws_s3_")));

    // Everything but the VPC, by address.
    let run = scan_stdin(&["--exclude", "aws_vpc.smoke"]);
    let report = run.json();
    assert!(managed(&report).iter().all(|(t, _)| t != "aws_vpc"), "{:?}", managed(&report));
    assert!(managed(&report).iter().any(|(t, s)| t == "aws_s3_bucket" && s == "in_sync"));
    assert!(
        report["resources"].as_array().unwrap().iter().all(|r| r["status"] != "unmanaged" || r["type"] != "aws_vpc"),
        "an excluded managed VPC never comes back unmanaged"
    );

    // Standard input twice is an input error.
    let run = emulator.plumb(&["scan", "--state", "-", "--state", "-"]);
    assert_eq!(run.code, 2, "{}", run.stderr);
    assert!(run.stderr.contains("standard input can be given once"), "{}", run.stderr);
}

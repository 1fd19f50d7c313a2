//! The nightly job people trust, end to end:
//! - notifications: real `plumb scan --ledger` nights on the emulator, then `plumb notify` to a
//!   local server that checks each request as Slack, a webhook receiver and GitHub define them
//!   (`nightly/mock.rs`); retries, timeouts, failures (exit 3, the ledger untouched), secrets
//!   never printed, configuration errors (exit 2, nothing sent);
//! - exports: `plumb scan --format ocsf|asff|sarif|junit` of a drifted estate, validated with the
//!   OCSF reference models (py-ocsf-models), Security Hub's API model (botocore), the SARIF
//!   2.1.0 schema and an XML parser;
//! - packaging: the Dockerfile's rules, the GitHub Action's scripts, completions, man pages,
//!   `--version`.

mod common;
mod ledger_common;
#[path = "nightly/mock.rs"]
mod mock;

use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use mock::{Mock, Script};
use serde_json::{Value, json};

const SECRETS: [&str; 3] = [mock::TOKEN, mock::HOOK_SECRET, "slack-secret-part"];

struct Out {
    code: i32,
    stdout: String,
    stderr: String,
}

/// Run the built `plumb` with exactly these notification variables (others removed).
fn plumb(args: &[&str], env: &[(String, String)]) -> Out {
    let mut cmd = Command::new(env!("CARGO_BIN_EXE_plumb"));
    cmd.args(args).current_dir(common::root()).stdin(Stdio::null());
    for v in [
        "PLUMB_SLACK_WEBHOOK_URL",
        "PLUMB_WEBHOOK_URL",
        "PLUMB_WEBHOOK_SECRET",
        "PLUMB_GITHUB_TOKEN",
        "GITHUB_TOKEN",
        "GITHUB_API_URL",
        "AWS_ENDPOINT_URL",
    ] {
        cmd.env_remove(v);
    }
    for (k, v) in env {
        cmd.env(k, v);
    }
    let out = cmd.output().expect("run plumb");
    let o = Out {
        code: out.status.code().unwrap_or(-1),
        stdout: String::from_utf8_lossy(&out.stdout).into_owned(),
        stderr: String::from_utf8_lossy(&out.stderr).into_owned(),
    };
    for s in SECRETS {
        assert!(!o.stdout.contains(s) && !o.stderr.contains(s), "a secret was printed:\n{}\n{}", o.stdout, o.stderr);
    }
    o
}

fn notify(ledger: &str, m: &Mock, extra: &[&str]) -> Out {
    let mut args =
        // Every finding of a night fits under the cap: the stack's own findings and the audit
        // services' off-state ones (no trail, recorder, detector or Security Hub in the region).
        vec!["notify", "--ledger", ledger, "--slack", "--webhook", "--github", mock::REPO, "--github-max-new", "100", "--backoff-ms", "50"];
    args.extend_from_slice(extra);
    plumb(&args, &m.env())
}

fn sha256_file(p: &str) -> String {
    use sha2::{Digest, Sha256};
    Sha256::digest(std::fs::read(p).unwrap()).iter().map(|b| format!("{b:02x}")).collect()
}

/// GitHub requests of one method since `from`.
fn github_calls(m: &Mock, from: usize, method: &str) -> Vec<String> {
    m.with(|s| {
        s.requests
            .iter()
            .skip(from)
            .filter(|(c, r)| c == "github" && r.method == method)
            .map(|(_, r)| r.target.clone())
            .collect()
    })
}

#[test]
fn nightly_runs_notify_slack_webhook_and_github() {
    let fx = common::Fixture::new("smoke", &[]);
    let m = Mock::start();
    let dir = tempfile::tempdir().unwrap();
    let ledger = dir.path().join("evidence.db").display().to_string();
    let vpc_id = fx.stack.attr("aws_vpc.smoke", "id");
    let rt = tokio::runtime::Builder::new_current_thread().enable_all().build().unwrap();
    let night = |label: &str| -> (Value, Out) {
        let scan = fx.scan(&["--ledger", &ledger]);
        let report = scan.json();
        assert!(scan.code == 0 || scan.code == 1, "{label}: scan exit {}: {}", scan.code, scan.stderr);
        let out = notify(&ledger, &m, &[]);
        assert_eq!(out.code, 0, "{label}: notify: {}{}", out.stdout, out.stderr);
        (report, out)
    };

    // Night 1: the first run. Everything open is new: the stack's hardening findings.
    let (r1, _) = night("night 1");
    let findings1: Vec<&Value> = r1["findings"].as_array().unwrap().iter().filter(|f| f["waived"] == false).collect();
    assert!(!findings1.is_empty(), "the smoke bucket fails some baseline rules");
    assert!(findings1.len() <= 100, "under --github-max-new");
    assert_eq!((m.with(|s| s.slack.len()), m.with(|s| s.hooks.len())), (1, 1));
    let issues1 = m.with(|s| s.issues.clone());
    // The ledger keeps one item per rule and resource (a rule may fail one resource for two
    // reasons, with two messages): one issue per item.
    let items1: std::collections::BTreeSet<(String, String)> = findings1
        .iter()
        .map(|f| {
            let subject = match f["address"].as_str() {
                Some(a) => a.to_string(),
                None => format!("{}/{}", f["type"].as_str().unwrap_or_default(), f["id"].as_str().unwrap_or_default()),
            };
            (f["rule_id"].as_str().unwrap_or_default().to_string(), subject)
        })
        .collect();
    assert_eq!(issues1.len(), items1.len(), "one issue per finding item: {items1:#?}");
    assert!(issues1.values().all(|i| i.labels == ["plumb", "plumb:finding"] && i.state == "open"));

    // Night 2: someone tags the VPC in the console.
    rt.block_on(async {
        fx.emulator
            .ec2()
            .create_tags()
            .resources(&vpc_id)
            .tags(aws_sdk_ec2::types::Tag::builder().key("Owner").value("console-user").build())
            .send()
            .await
            .unwrap();
    });
    let before = m.with(|s| s.requests.len());
    let (r2, out2) = night("night 2");
    assert_eq!(r2["summary"]["drifted"], 1, "{r2}");
    // One Slack message, one signed webhook, one new issue: the drift, with before and after.
    let slack = m.with(|s| s.slack.clone());
    assert_eq!(slack.len(), 2);
    assert_eq!(slack[1]["text"], "Plumb nightly: 1 new drift", "{}", slack[1]);
    let text = slack[1].to_string();
    for needle in ["`aws_vpc.smoke`", "`tags.Owner`", "console-user", "compared with run #1"] {
        assert!(text.contains(needle), "Slack message lacks {needle}: {text}");
    }
    let hooks = m.with(|s| s.hooks.clone());
    assert_eq!(hooks.len(), 2);
    let delta = hooks[1].json();
    assert_eq!((delta["run"]["seq"].as_i64(), delta["base_run"]["seq"].as_i64()), (Some(2), Some(1)));
    assert_eq!(delta["new"].as_array().unwrap().len(), 1, "{delta}");
    assert_eq!(delta["new"][0]["subject"], "aws_vpc.smoke");
    assert_eq!(delta["new"][0]["changes"], json!([{"path": "tags.Owner", "state": null, "live": "console-user"}]));
    assert_eq!(delta["resolved"], json!([]));
    assert_eq!(hooks[1].header("x-plumb-delivery"), Some(format!("{}-1", &run_hash(&ledger, 2)[..16]).as_str()));
    let issues2 = m.with(|s| s.issues.clone());
    assert_eq!(issues2.len(), issues1.len() + 1);
    let drift_issue = issues2.values().find(|i| !issues1.contains_key(&i.number)).unwrap().clone();
    assert_eq!(drift_issue.title, "[plumb] Drift: aws_vpc.smoke drifted");
    assert_eq!(drift_issue.labels, ["plumb", "plumb:drift"]);
    assert!(drift_issue.body.starts_with("<!-- plumb:item:"), "{}", drift_issue.body);
    assert!(
        drift_issue.body.contains("| <code>tags.Owner</code> | <code>null</code> | <code>\"console-user\"</code> |"),
        "{}",
        drift_issue.body
    );
    assert!(github_calls(&m, before, "PATCH").is_empty(), "the finding issues were unchanged: not edited");
    assert!(out2.stderr.contains("1 opened, 0 updated, 0 closed"), "{}", out2.stderr);

    // Night 3: the tag is removed; the next run closes the drift's issue.
    rt.block_on(async {
        fx.emulator
            .ec2()
            .delete_tags()
            .resources(&vpc_id)
            .tags(aws_sdk_ec2::types::Tag::builder().key("Owner").build())
            .send()
            .await
            .unwrap();
    });
    let before = m.with(|s| s.requests.len());
    let (r3, _) = night("night 3");
    assert_eq!(r3["summary"]["drifted"], 0, "{r3}");
    let slack = m.with(|s| s.slack.clone());
    assert_eq!(slack.len(), 3);
    assert_eq!(slack[2]["text"], "Plumb nightly: 1 resolved");
    let delta = m.with(|s| s.hooks[2].json());
    assert_eq!(delta["resolved"][0]["subject"], "aws_vpc.smoke");
    assert!(delta["resolved"][0]["time_to_remediate_seconds"].is_i64());
    let closed = m.with(|s| s.issues[&drift_issue.number].clone());
    assert_eq!((closed.state.as_str(), closed.state_reason.as_deref()), ("closed", Some("completed")));
    assert!(closed.comments.len() == 1 && closed.comments[0].starts_with("Resolved: the nightly scan of run #3"));
    assert_eq!(github_calls(&m, before, "PATCH").len(), 1, "only the close");
    assert!(m.with(|s| s.issues.values().filter(|i| i.state == "open").count()) == issues1.len());

    // Night 4: nothing changed: no message, no delivery, GitHub only read.
    let before = m.with(|s| s.requests.len());
    let (_, out4) = night("night 4");
    assert_eq!((m.with(|s| s.slack.len()), m.with(|s| s.hooks.len())), (3, 3));
    assert!(out4.stderr.contains("Slack: nothing new"), "{}", out4.stderr);
    let calls: Vec<String> = m.with(|s| s.requests.iter().skip(before).map(|(_, r)| r.method.clone()).collect());
    assert!(calls.iter().all(|c| c == "GET"), "{calls:?}");

    assert_eq!(m.violations(), Vec::<String>::new());
    let v = ledger_common::plumb(&["ledger", "verify", "--ledger", &ledger]);
    assert!(v.code == 0 && v.stdout.contains("intact, 4 records"), "{}", v.stdout);
}

/// The hash of a run, from `plumb history`.
fn run_hash(ledger: &str, seq: i64) -> String {
    let h = ledger_common::plumb(&["history", "--ledger", ledger, "--format", "json"]);
    let h: Value = serde_json::from_str(&h.stdout).unwrap();
    h["runs"].as_array().unwrap().iter().find(|r| r["seq"] == seq).unwrap()["hash"].as_str().unwrap().to_string()
}

/// A ledger of two synthetic nights: a finding on both, a drift new on the second.
fn two_nights(dir: &Path) -> String {
    use ledger_common::*;
    let location = dir.join("l.db").display().to_string();
    let runs = [
        report(
            &day(1),
            vec![res(Some("aws_vpc.core"), "aws_vpc", "vpc-1", "in_sync")],
            vec![finding("HS-S3-004", "high", Some("aws_s3_bucket.logs"), "aws_s3_bucket", "logs", false)],
        ),
        report(
            &day(2),
            vec![drifted(
                "aws_vpc.core",
                "aws_vpc",
                "vpc-1",
                "tags.Owner",
                Some("arn:aws:iam::123456789012:user/mallory"),
            )],
            vec![finding("HS-S3-004", "high", Some("aws_s3_bucket.logs"), "aws_s3_bucket", "logs", false)],
        ),
    ];
    let loc = location.clone();
    block(async move {
        let mut l = plumb::ledger::Ledger::open(&loc).await.unwrap();
        for r in &runs {
            l.append(r, None).await.unwrap();
        }
        l.close().await;
    });
    location
}

#[test]
fn failed_deliveries_are_retried_reported_and_never_touch_the_ledger() {
    let dir = tempfile::tempdir().unwrap();
    let ledger = two_nights(dir.path());
    let m = Mock::start();
    let digest = sha256_file(&ledger);

    // Slack fails twice, then answers: delivered on the third attempt.
    m.script("slack", vec![Script::Status(500, None), Script::Status(503, None)]);
    let out = notify(&ledger, &m, &[]);
    assert_eq!(out.code, 0, "{}", out.stderr);
    assert_eq!(m.count("slack"), 3);
    assert!(out.stderr.contains("retrying in"), "{}", out.stderr);
    assert_eq!((m.with(|s| s.slack.len()), m.with(|s| s.hooks.len()), m.with(|s| s.issues.len())), (1, 1, 2));

    // Rate limited: Retry-After is honoured.
    m.script("slack", vec![Script::Status(429, Some(1))]);
    let t = Instant::now();
    let out = notify(&ledger, &m, &[]);
    assert_eq!(out.code, 0, "{}", out.stderr);
    assert!(t.elapsed() >= Duration::from_secs(1), "waited for Retry-After");
    assert_eq!(m.with(|s| s.slack.len()), 2);

    // Slack keeps failing: exit 3, the other channels are still delivered, the ledger is as it was.
    m.script("slack", vec![Script::Status(503, None); 5]);
    let hooks = m.with(|s| s.hooks.len());
    let out = notify(&ledger, &m, &["--retries", "2"]);
    assert_eq!(out.code, 3, "{}{}", out.stdout, out.stderr);
    assert!(out.stderr.contains("FAILED: Slack: 127.0.0.1:"), "{}", out.stderr);
    assert!(out.stderr.contains("HTTP 503 after 3 attempt(s)"), "{}", out.stderr);
    assert!(out.stderr.contains("the ledger is unchanged"), "{}", out.stderr);
    assert_eq!(m.with(|s| s.hooks.len()), hooks + 1, "the webhook was still delivered");
    m.with(|s| s.scripts.clear());

    // A receiver that does not answer in time: a timeout per attempt, then exit 3.
    m.script("webhook", vec![Script::Slow(Duration::from_secs(3)), Script::Slow(Duration::from_secs(3))]);
    let t = Instant::now();
    let out = notify(&ledger, &m, &["--timeout", "0.5", "--retries", "1"]);
    assert_eq!(out.code, 3, "{}", out.stderr);
    assert!(out.stderr.contains("no complete answer within 0.5 s after 2 attempt(s)"), "{}", out.stderr);
    assert!(t.elapsed() < Duration::from_secs(3), "timed out, did not wait for the slow answer");

    // GitHub refuses the token: exit 3 with GitHub's status, the token never shown.
    let mut env = m.env();
    env.retain(|(k, _)| k != "GITHUB_TOKEN");
    env.push(("PLUMB_GITHUB_TOKEN".into(), "wrong-token".into()));
    let out = plumb(&["notify", "--ledger", &ledger, "--github", mock::REPO], &env);
    assert_eq!(out.code, 3, "{}", out.stderr);
    assert!(out.stderr.contains("HTTP 401") && !out.stderr.contains("wrong-token"), "{}", out.stderr);

    // Nothing above wrote to the ledger.
    assert_eq!(sha256_file(&ledger), digest);
    let v = ledger_common::plumb(&["ledger", "verify", "--ledger", &ledger]);
    assert!(v.code == 0 && v.stdout.contains("intact, 2 records"), "{}", v.stdout);
    assert_eq!(m.violations(), Vec::<String>::new());

    // The receiver side as docs/notifications.md shows it (Python), on a captured delivery.
    let hook = m.with(|s| s.hooks[0].clone());
    let docs = std::fs::read_to_string(common::root().join("docs/notifications.md")).unwrap();
    let start = docs.find("```python\n").expect("a Python receiver in docs/notifications.md") + 10;
    let code = &docs[start..start + docs[start..].find("```").unwrap()];
    let check = format!(
        "{code}\nimport sys\nbody = sys.stdin.buffer.read()\n\
         ok = verify(sys.argv[1].encode(), sys.argv[2], body, sys.argv[3])\n\
         bad = verify(sys.argv[1].encode(), sys.argv[2], body + b' ', sys.argv[3])\n\
         print(ok, bad)\n"
    );
    let mut py = Command::new("python3")
        .args([
            "-c",
            &check,
            mock::HOOK_SECRET,
            hook.header("x-plumb-timestamp").unwrap(),
            hook.header("x-plumb-signature").unwrap(),
        ])
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .spawn()
        .unwrap();
    std::io::Write::write_all(&mut py.stdin.take().unwrap(), &hook.body).unwrap();
    let res = py.wait_with_output().unwrap();
    assert_eq!(String::from_utf8_lossy(&res.stdout).trim(), "True False");
}

#[test]
fn the_cursor_tells_a_failed_nights_news_the_next_night() {
    use ledger_common::{block, day, report, res};
    let dir = tempfile::tempdir().unwrap();
    let ledger = two_nights(dir.path());
    let cursor = dir.path().join("notify-cursor.json");
    let cursor_arg = cursor.display().to_string();
    let m = Mock::start();
    let append = |when: String, resources: Vec<Value>| {
        let loc = ledger.clone();
        let r = report(&when, resources, vec![]);
        block(async move {
            let mut l = plumb::ledger::Ledger::open(&loc).await.unwrap();
            l.append(&r, None).await.unwrap();
            l.close().await;
        });
    };
    let slack_webhook = ["--cursor", cursor_arg.as_str()];
    let run = |extra: &[&str]| {
        let mut args =
            vec!["notify", "--ledger", ledger.as_str(), "--slack", "--webhook", "--backoff-ms", "10", "--retries", "1"];
        args.extend_from_slice(extra);
        crate::plumb(&args, &m.env())
    };
    assert_eq!(run(&slack_webhook).code, 0);
    let saved: Value = serde_json::from_slice(&std::fs::read(&cursor).unwrap()).unwrap();
    assert_eq!(
        (saved["channels"]["slack"]["run"].as_i64(), saved["channels"]["webhook"]["run"].as_i64()),
        (Some(2), Some(2))
    );

    // Night 3: a bucket deleted by hand; Slack is down all night.
    let gone = res(Some("aws_s3_bucket.archive"), "aws_s3_bucket", "archive", "missing");
    append(day(3), vec![gone.clone()]);
    m.script("slack", vec![Script::Status(503, None); 4]);
    let out = run(&slack_webhook);
    assert_eq!(out.code, 3, "{}", out.stderr);
    assert!(out.stderr.contains("the next run tells what this one could not"), "{}", out.stderr);
    let saved: Value = serde_json::from_slice(&std::fs::read(&cursor).unwrap()).unwrap();
    assert_eq!(
        (saved["channels"]["slack"]["run"].as_i64(), saved["channels"]["webhook"]["run"].as_i64()),
        (Some(2), Some(3))
    );
    m.with(|s| s.scripts.clear());

    // Night 4: nothing new since night 3, but Slack never heard of the bucket: it does now; the
    // webhook, which did, gets nothing.
    append(day(4), vec![gone]);
    let (slack, hooks) = (m.with(|s| s.slack.len()), m.with(|s| s.hooks.len()));
    let out = run(&slack_webhook);
    assert_eq!(out.code, 0, "{}", out.stderr);
    assert!(out.stderr.contains("slack: last delivered run 2"), "{}", out.stderr);
    assert_eq!(m.with(|s| s.slack.len()), slack + 1);
    let msg = m.with(|s| s.slack.last().unwrap().to_string());
    assert!(msg.contains("aws_s3_bucket.archive") && msg.contains("compared with run #2"), "{msg}");
    assert_eq!(m.with(|s| s.hooks.len()), hooks, "the webhook already told night 3");
    let saved: Value = serde_json::from_slice(&std::fs::read(&cursor).unwrap()).unwrap();
    assert_eq!(
        (saved["channels"]["slack"]["run"].as_i64(), saved["channels"]["webhook"]["run"].as_i64()),
        (Some(4), Some(4))
    );

    // Resending an old run does not move the cursor back.
    assert_eq!(run(&["--cursor", cursor_arg.as_str(), "--run", "3"]).code, 0);
    let again: Value = serde_json::from_slice(&std::fs::read(&cursor).unwrap()).unwrap();
    assert_eq!(again, saved);
    assert_eq!(m.violations(), Vec::<String>::new());
}

#[test]
fn configuration_errors_send_nothing() {
    let dir = tempfile::tempdir().unwrap();
    let ledger = two_nights(dir.path());
    let m = Mock::start();
    let env = m.env();
    let without = |k: &str| env.iter().filter(|(n, _)| n != k).cloned().collect::<Vec<_>>();

    let out = plumb(&["notify", "--ledger", &ledger], &env);
    assert_eq!(out.code, 2);
    assert!(out.stderr.contains("no channel"), "{}", out.stderr);
    let out = plumb(&["notify", "--ledger", &ledger, "--slack", "--webhook"], &without("PLUMB_SLACK_WEBHOOK_URL"));
    assert_eq!(out.code, 2);
    assert!(out.stderr.contains("PLUMB_SLACK_WEBHOOK_URL is not set"), "{}", out.stderr);
    let mut plain = without("PLUMB_SLACK_WEBHOOK_URL");
    plain.push(("PLUMB_SLACK_WEBHOOK_URL".into(), "http://hooks.example.com/services/slack-secret-part".into()));
    let out = plumb(&["notify", "--ledger", &ledger, "--slack"], &plain);
    assert_eq!(out.code, 2);
    assert!(out.stderr.contains("must use https://"), "{}", out.stderr);
    let mut short = without("PLUMB_WEBHOOK_SECRET");
    short.push(("PLUMB_WEBHOOK_SECRET".into(), "short".into()));
    assert_eq!(plumb(&["notify", "--ledger", &ledger, "--webhook"], &short).code, 2);
    assert_eq!(plumb(&["notify", "--ledger", &ledger, "--github", "not-a-repo"], &env).code, 2);
    assert_eq!(plumb(&["notify", "--ledger", &ledger, "--slack", "--remind-after", "soon"], &env).code, 2);
    for t in ["nan", "-1", "0"] {
        assert_eq!(plumb(&["notify", "--ledger", &ledger, "--slack", "--timeout", t], &env).code, 2, "--timeout {t}");
    }
    let out = plumb(&["notify", "--ledger", &dir.path().join("none.db").display().to_string(), "--slack"], &env);
    assert_eq!(out.code, 2);
    assert!(out.stderr.contains("no ledger at"), "{}", out.stderr);
    assert_eq!(m.with(|s| s.requests.len()), 0, "nothing was sent");

    // A dry run reads GitHub to plan, and writes nothing anywhere.
    let out = plumb(&["notify", "--ledger", &ledger, "--dry-run", "--slack", "--github", mock::REPO], &env);
    assert_eq!(out.code, 0, "{}", out.stderr);
    let plan: Value = serde_json::from_str(&out.stdout).unwrap();
    assert_eq!(plan["delta"]["new"][0]["subject"], "aws_vpc.core");
    assert_eq!(plan["delta"]["new"][0]["cause"]["actor"], "arn:aws:iam::123456789012:user/mallory");
    assert!(mock::check_block_kit(&plan["slack"]).is_ok());
    assert_eq!(plan["github"].as_array().unwrap().iter().filter(|a| a["action"] == "create").count(), 2);
    assert!(m.with(|s| s.requests.iter().all(|(_, r)| r.method == "GET")));
    assert_eq!(m.violations(), Vec::<String>::new());

    // Pagination: with more open issues than a page, every page is read and nothing duplicated.
    let out = notify(&ledger, &m, &[]);
    assert_eq!(out.code, 0, "{}", out.stderr);
    m.with(|s| s.page_size = 1);
    let out = notify(&ledger, &m, &[]);
    assert_eq!(out.code, 0, "{}", out.stderr);
    assert!(out.stderr.contains("0 opened, 0 updated, 0 closed"), "{}", out.stderr);
    assert_eq!(m.with(|s| s.issues.len()), 2);
}

// --- exports --------------------------------------------------------------------------------------

/// Install a Python package for a validator when it is missing (`make deps` does it too).
fn python_has(module: &str, package: &str) {
    let ok = Command::new("python3").args(["-c", &format!("import {module}")]).status().is_ok_and(|s| s.success());
    if !ok {
        let st = Command::new("python3").args(["-m", "pip", "install", "--quiet", package]).status().unwrap();
        assert!(st.success(), "pip install {package} failed");
    }
}

fn python(script: &str, file: &Path) -> String {
    let out = Command::new("python3").arg(common::root().join(script)).arg(file).output().unwrap();
    assert!(
        out.status.success(),
        "{script} rejected {}:\n{}{}",
        file.display(),
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8_lossy(&out.stdout).into_owned()
}

/// The SARIF 2.1.0 schema in `shared/schemas/` beside the repository (or a worktree of it).
fn sarif_schema() -> PathBuf {
    common::root()
        .ancestors()
        .map(|a| a.join("shared/schemas/sarif-schema-2.1.0.json"))
        .chain(std::iter::once(common::root().join("../shared/schemas/sarif-schema-2.1.0.json")))
        .find(|p| p.is_file())
        .expect("shared/schemas/sarif-schema-2.1.0.json next to the repository")
}

#[test]
fn scan_exports_validate_as_their_standards_define() {
    let fx = common::smoke();
    let vpc_id = fx.stack.attr("aws_vpc.smoke", "id");
    tokio::runtime::Builder::new_current_thread().enable_all().build().unwrap().block_on(async {
        fx.emulator
            .ec2()
            .create_tags()
            .resources(&vpc_id)
            .tags(aws_sdk_ec2::types::Tag::builder().key("CostCenter").value("by-hand").build())
            .send()
            .await
            .unwrap();
        fx.emulator.s3().create_bucket().bucket("plumb-nightly-by-hand").send().await.unwrap();
    });
    let dir = tempfile::tempdir().unwrap();
    let export = |format: &str| -> PathBuf {
        let file = dir.path().join(format!("scan.{format}"));
        let state = fx.stack.state_path();
        let args = ["scan", "--state", state.to_str().unwrap(), "--format", format, "--output", file.to_str().unwrap()];
        let run = fx.emulator.plumb(&args);
        assert_eq!(run.code, 1, "--format {format}: {}", run.stderr);
        file
    };
    let json: Value = serde_json::from_slice(&std::fs::read(export("json")).unwrap()).unwrap();
    let findings = json["findings"].as_array().unwrap().len();
    let drift: Vec<&Value> =
        json["resources"].as_array().unwrap().iter().filter(|r| r["status"] != "in_sync").collect();
    assert_eq!(drift.len(), 2, "the tagged VPC and the hand-made bucket: {json}");
    let scope = &json["scope"];
    assert_eq!(scope["account"], common::ACCOUNT_ID);
    assert_eq!(scope["regions"], json!([common::REGION]));
    assert!(scope["rule_set"]["digest"].as_str().unwrap().starts_with("sha256:"));
    assert!(scope["controls"]["hipaa"].as_array().unwrap().len() >= 5);

    // OCSF: one event per finding and per drift, each valid for its class.
    python_has("py_ocsf_models", "py-ocsf-models==0.10.0");
    let ocsf = export("ocsf");
    let summary: Value = serde_json::from_str(&python("testdata/exports/validate_ocsf.py", &ocsf)).unwrap();
    assert_eq!(summary["by_class"]["2003"], findings);
    assert_eq!(summary["by_class"]["2004"], 2);
    let events: Value = serde_json::from_slice(&std::fs::read(&ocsf).unwrap()).unwrap();
    let vpc = events
        .as_array()
        .unwrap()
        .iter()
        .find(|e| e["class_uid"] == 2004 && e["resources"][0]["name"] == "aws_vpc.smoke")
        .unwrap();
    assert_eq!(vpc["resources"][0]["uid"], format!("arn:aws:ec2:us-east-1:{}:vpc/{vpc_id}", common::ACCOUNT_ID));
    assert_eq!(vpc["evidences"][0]["data"]["changes"][0]["path"], "tags.CostCenter");

    // ASFF: valid for BatchImportFindings as Security Hub's model defines it.
    let asff = export("asff");
    let summary: Value = serde_json::from_str(&python("testdata/exports/validate_asff.py", &asff)).unwrap();
    assert_eq!(summary["findings"], findings + 2);

    // SARIF: the 2.1.0 schema, findings and drift as results.
    let sarif: Value = serde_json::from_slice(&std::fs::read(export("sarif")).unwrap()).unwrap();
    let mut schemas = boon::Schemas::new();
    let mut compiler = boon::Compiler::new();
    let idx = compiler.compile(sarif_schema().to_str().unwrap(), &mut schemas).expect("SARIF schema compiles");
    if let Err(e) = schemas.validate(&sarif, idx) {
        panic!("scan SARIF is not valid SARIF 2.1.0: {e:#}");
    }
    let results = sarif["runs"][0]["results"].as_array().unwrap();
    assert_eq!(results.len(), findings + 2);
    assert!(results.iter().any(|r| r["ruleId"] == "PLUMB-UNMANAGED"));

    // JUnit: well-formed, a drift suite with two failures.
    let junit = export("junit");
    let check = "import sys, xml.etree.ElementTree as ET\nr = ET.parse(sys.argv[1]).getroot()\n\
                 d = r.find('testsuite')\nprint(r.get('name'), d.get('failures'), len(r.findall('testsuite')))";
    let out = Command::new("python3").args(["-c", check]).arg(&junit).output().unwrap();
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    let parsed = String::from_utf8_lossy(&out.stdout);
    let rules = plumb::rules::RuleSet::baseline().len();
    assert_eq!(parsed.trim(), format!("plumb scan 2 {}", rules + 1));
}

// --- packaging -----------------------------------------------------------------------------------

/// Dockerfile instructions: comments dropped, continuation lines joined.
fn instructions(text: &str) -> Vec<(String, String)> {
    let mut out = Vec::new();
    let mut cur = String::new();
    for line in text.lines() {
        let t = line.trim();
        if cur.is_empty() && (t.is_empty() || t.starts_with('#')) {
            continue;
        }
        if let Some(head) = t.strip_suffix('\\') {
            cur.push_str(head);
            cur.push(' ');
            continue;
        }
        cur.push_str(t);
        let (op, rest) = cur.split_once(char::is_whitespace).unwrap_or((&cur, ""));
        out.push((op.to_ascii_uppercase(), rest.trim().to_string()));
        cur.clear();
    }
    out
}

/// The rules that matter for the image, as hadolint and the CIS Docker benchmark state them:
/// multi-stage, pinned base images (the shipped one by digest), a non-root USER in the final
/// stage, exec-form ENTRYPOINT, no secrets in ARG/ENV/COPY, a context that keeps secrets out.
#[test]
fn dockerfile_is_multi_stage_non_root_pinned_and_secret_free() {
    let root = common::root();
    let text = std::fs::read_to_string(root.join("Dockerfile")).unwrap();
    let ins = instructions(&text);
    // ARG defaults before the first FROM resolve the images.
    let mut args = std::collections::BTreeMap::new();
    for (op, rest) in &ins {
        if op == "ARG" {
            if let Some((k, v)) = rest.split_once('=') {
                args.insert(k.trim().to_string(), v.trim().trim_matches('"').to_string());
            }
        }
    }
    let resolve = |image: &str| {
        let name = image.trim_start_matches("${").trim_end_matches('}').trim_start_matches('$');
        args.get(name).cloned().unwrap_or_else(|| image.to_string())
    };
    let stages: Vec<(usize, String, Option<String>)> = ins
        .iter()
        .enumerate()
        .filter(|(_, (op, _))| op == "FROM")
        .map(|(i, (_, rest))| {
            let words: Vec<&str> = rest.split_whitespace().filter(|w| !w.starts_with("--")).collect();
            let alias = words.iter().position(|w| w.eq_ignore_ascii_case("as")).and_then(|p| words.get(p + 1));
            (i, resolve(words[0]), alias.map(|a| a.to_string()))
        })
        .collect();
    assert!(stages.len() >= 2, "multi-stage: {stages:?}");
    let digest = regex::Regex::new(r"@sha256:[0-9a-f]{64}$").unwrap();
    let version = regex::Regex::new(r":[^@/]*\d+\.\d+\.\d+[^@/]*(@sha256:[0-9a-f]{64})?$").unwrap();
    for (_, image, _) in &stages {
        assert!(!image.contains(":latest") && image.contains(':'), "{image}: pinned, not latest");
        assert!(digest.is_match(image) || version.is_match(image), "{image}: an exact version or a digest");
    }
    let (final_at, final_image, _) = stages.last().unwrap();
    assert!(digest.is_match(final_image), "the shipped image is pinned by digest: {final_image}");
    assert!(
        ["distroless", "scratch", "alpine", "-slim"].iter().any(|s| final_image.contains(s)),
        "a small final image: {final_image}"
    );
    assert!(stages[..stages.len() - 1].iter().all(|(_, img, alias)| alias.is_some() && img != final_image));
    let last: Vec<&(String, String)> = ins[*final_at..].iter().collect();
    let copies: Vec<&str> = last.iter().filter(|(op, _)| op == "COPY").map(|(_, r)| r.as_str()).collect();
    assert!(
        copies.iter().any(|c| c.starts_with("--from=build") && c.contains("plumb /usr/local/bin/plumb")),
        "{copies:?}"
    );
    assert!(copies.iter().any(|c| c.contains("rules")), "the rules ship too: {copies:?}");
    let user =
        last.iter().rev().find(|(op, _)| op == "USER").map(|(_, u)| u.as_str()).expect("a USER in the final stage");
    let name = user.split(':').next().unwrap();
    assert!(!["root", "0", ""].contains(&name), "non-root user: {user}");
    let entry = last.iter().find(|(op, _)| op == "ENTRYPOINT").expect("an ENTRYPOINT");
    assert!(entry.1.starts_with('['), "exec form: {}", entry.1);
    // No secrets.
    let secretish = regex::Regex::new(r"(?i)(secret|token|passw|private|credential|api_?key|access_key)").unwrap();
    for (op, rest) in &ins {
        if op == "ARG" || op == "ENV" || op == "LABEL" {
            let name = rest.split(['=', ' ']).next().unwrap_or("");
            assert!(!secretish.is_match(name), "{op} {rest}: secrets are passed at run time");
        }
        if op == "COPY" || op == "ADD" {
            for bad in [".env", ".aws", ".ssh", "tfstate", ".pem", "credentials"] {
                assert!(!rest.contains(bad), "{op} {rest}");
            }
        }
        assert!(!(op == "ADD" && rest.contains("://")), "no remote ADD: {rest}");
        assert!(!rest.contains("AKIA"), "an AWS key id in the Dockerfile");
    }
    let ignore = std::fs::read_to_string(root.join(".dockerignore")).expect(".dockerignore");
    assert!(ignore.lines().next().is_some_and(|l| l.starts_with('#')) || ignore.contains("\n*\n"), "{ignore}");
    for must in ["**/*.tfstate", "**/.env", "**/*.pem"] {
        assert!(ignore.lines().any(|l| l.trim() == must), ".dockerignore lacks {must}");
    }
    assert!(!ignore.lines().any(|l| l.trim() == "!.git" || l.trim() == "!testdata/"));
    // Everything the build stage copies is allowed into the context.
    for c in ins.iter().filter(|(op, r)| op == "COPY" && !r.starts_with("--from")) {
        for src in c.1.split_whitespace().rev().skip(1) {
            let base = src.trim_end_matches('/');
            assert!(
                ignore.lines().any(|l| l.trim().trim_start_matches('!').trim_end_matches('/') == base),
                "{base} is not in the build context"
            );
            assert!(root.join(base).exists(), "{base}");
        }
    }
}

#[test]
fn action_is_a_composite_whose_steps_exist() {
    let root = common::root();
    let doc: Value = yaml_serde::from_str(&std::fs::read_to_string(root.join("action.yml")).unwrap()).unwrap();
    assert_eq!(doc["runs"]["using"], "composite");
    let inputs: Vec<String> = doc["inputs"].as_object().unwrap().keys().cloned().collect();
    let text = std::fs::read_to_string(root.join("action.yml")).unwrap();
    for used in regex::Regex::new(r"inputs\.([a-z-]+)").unwrap().captures_iter(&text) {
        assert!(inputs.contains(&used[1].to_string()), "inputs.{} is not declared", &used[1]);
    }
    let steps = doc["runs"]["steps"].as_array().unwrap();
    let ids: Vec<&str> = steps.iter().filter_map(|s| s["id"].as_str()).collect();
    for used in regex::Regex::new(r"steps\.([a-z-]+)\.outputs").unwrap().captures_iter(&text) {
        assert!(ids.contains(&&used[1]), "steps.{} does not exist", &used[1]);
    }
    for s in steps {
        if let Some(run) = s["run"].as_str() {
            assert_eq!(s["shell"], "bash", "composite run steps need a shell: {s}");
            for script in regex::Regex::new(r"scripts/action/[a-z-]+\.sh").unwrap().find_iter(run) {
                let p = root.join(script.as_str());
                use std::os::unix::fs::PermissionsExt;
                assert!(
                    p.metadata().is_ok_and(|m| m.permissions().mode() & 0o111 != 0),
                    "{} is not executable",
                    p.display()
                );
                let st = Command::new("bash").arg("-n").arg(&p).status().unwrap();
                assert!(st.success(), "{} does not parse", p.display());
            }
        }
    }
    assert!(
        steps.iter().any(|s| s["uses"].as_str().is_some_and(|u| u.starts_with("github/codeql-action/upload-sarif@")))
    );
    // The gate runs last, after the SARIF and the comment.
    assert_eq!(steps.last().unwrap()["name"], "Gate");
    // shellcheck, when it is installed (Debian's `shellcheck`).
    if Command::new("shellcheck").arg("--version").stdout(Stdio::null()).status().is_ok_and(|s| s.success()) {
        let out = Command::new("shellcheck")
            .args(["-S", "warning"])
            .args(["scripts/action/install.sh", "scripts/action/check.sh", "scripts/action/comment.sh"])
            .current_dir(root)
            .output()
            .unwrap();
        assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stdout));
    }
}

/// The runner's environment for the action's scripts: plumb on PATH, the outputs files.
fn runner_env(tmp: &Path) -> Vec<(String, String)> {
    let bin = Path::new(env!("CARGO_BIN_EXE_plumb")).parent().unwrap().display().to_string();
    vec![
        ("PATH".into(), format!("{bin}:{}", std::env::var("PATH").unwrap_or_default())),
        ("GITHUB_OUTPUT".into(), tmp.join("output").display().to_string()),
        ("GITHUB_STEP_SUMMARY".into(), tmp.join("summary.md").display().to_string()),
        ("RUNNER_TEMP".into(), tmp.display().to_string()),
    ]
}

fn script(name: &str, env: &[(String, String)]) -> Out {
    let out = Command::new("bash")
        .arg(common::root().join("scripts/action").join(name))
        .current_dir(common::root())
        .envs(env.iter().map(|(k, v)| (k.as_str(), v.as_str())))
        .output()
        .unwrap();
    Out {
        code: out.status.code().unwrap_or(-1),
        stdout: String::from_utf8_lossy(&out.stdout).into_owned(),
        stderr: String::from_utf8_lossy(&out.stderr).into_owned(),
    }
}

#[test]
fn action_scripts_check_then_post_and_update_one_comment() {
    let tmp = tempfile::tempdir().unwrap();
    let mut env = runner_env(tmp.path());
    let sarif = tmp.path().join("plumb.sarif");
    env.extend([
        ("INPUT_PATH".to_string(), "testdata/check/pr".to_string()),
        ("INPUT_ARGS".to_string(), "--fail-on low".to_string()),
        ("INPUT_SARIF_FILE".to_string(), sarif.display().to_string()),
    ]);
    let out = script("check.sh", &env);
    assert_eq!(out.code, 0, "the check step never fails by itself: {}{}", out.stdout, out.stderr);
    let outputs: std::collections::BTreeMap<String, String> = std::fs::read_to_string(tmp.path().join("output"))
        .unwrap()
        .lines()
        .filter_map(|l| l.split_once('=').map(|(k, v)| (k.to_string(), v.to_string())))
        .collect();
    assert_eq!(outputs["exit-code"], "1", "{outputs:?}");
    let doc: Value = serde_json::from_slice(&std::fs::read(&sarif).unwrap()).unwrap();
    let unwaived =
        doc["runs"][0]["results"].as_array().unwrap().iter().filter(|r| r.get("suppressions").is_none()).count();
    assert!(unwaived > 0);
    assert_eq!(outputs["findings"], unwaived.to_string());
    assert_eq!(outputs["sarif-file"], sarif.display().to_string());
    let markdown = tmp.path().join("comment.md").display().to_string();
    std::fs::copy(&outputs["markdown-file"], &markdown).unwrap();
    assert!(std::fs::read_to_string(&markdown).unwrap().starts_with("<!-- plumb-check -->"));
    assert!(std::fs::read_to_string(tmp.path().join("summary.md")).unwrap().contains("Plumb check"));

    // Bad input: exit 2 for the gate, no SARIF to upload.
    let mut bad = env.clone();
    bad.retain(|(k, _)| k != "INPUT_PATH");
    bad.push(("INPUT_PATH".into(), "testdata/does-not-exist".into()));
    std::fs::remove_file(tmp.path().join("output")).unwrap();
    assert_eq!(script("check.sh", &bad).code, 0);
    let o = std::fs::read_to_string(tmp.path().join("output")).unwrap();
    assert!(o.contains("exit-code=2\n") && o.contains("sarif-file=\n"), "{o}");

    // The comment: posted once, then edited in place, found past the first page of comments.
    let m = Mock::start();
    m.with(|s| {
        s.pulls.insert(7);
        for (i, body) in ["LGTM", "<!-- other-bot -->\nplan", "please fix"].iter().enumerate() {
            s.pr_comments.insert(500 + i as u64, (7, body.to_string()));
        }
    });
    let event = tmp.path().join("event.json");
    std::fs::write(&event, r#"{"pull_request": {"number": 7}}"#).unwrap();
    let comment_env = vec![
        ("GITHUB_TOKEN".to_string(), mock::TOKEN.to_string()),
        ("GITHUB_REPOSITORY".to_string(), mock::REPO.to_string()),
        ("GITHUB_API_URL".to_string(), m.url(mock::GITHUB_PREFIX)),
        ("GITHUB_EVENT_PATH".to_string(), event.display().to_string()),
        ("PLUMB_COMMENT_FILE".to_string(), markdown.clone()),
    ];
    let out = script("comment.sh", &comment_env);
    assert_eq!(out.code, 0, "{}{}", out.stdout, out.stderr);
    assert!(out.stdout.contains("commented on pull request #7"), "{}", out.stdout);
    let ours = |m: &Mock| {
        m.with(|s| {
            s.pr_comments
                .iter()
                .filter(|(_, (_, b))| b.starts_with("<!-- plumb-check -->"))
                .map(|(id, (_, b))| (*id, b.clone()))
                .collect::<Vec<_>>()
        })
    };
    let first = ours(&m);
    assert_eq!(first.len(), 1);
    assert_eq!(first[0].1, std::fs::read_to_string(&markdown).unwrap());
    std::fs::write(&markdown, format!("{}\nPushed again.\n", first[0].1)).unwrap();
    let out = script("comment.sh", &comment_env);
    assert_eq!(out.code, 0, "{}{}", out.stdout, out.stderr);
    assert!(out.stdout.contains(&format!("updated comment {}", first[0].0)), "{}", out.stdout);
    let second = ours(&m);
    assert_eq!((second.len(), second[0].0), (1, first[0].0), "one plumb comment, edited");
    assert!(second[0].1.ends_with("Pushed again.\n"));
    assert_eq!(m.with(|s| s.pr_comments.len()), 4);
    assert_eq!(m.violations(), Vec::<String>::new());
    for o in [&out.stdout, &out.stderr] {
        assert!(!o.contains(mock::TOKEN));
    }
    // Not a pull request: nothing to do.
    std::fs::write(&event, r#"{"ref": "refs/heads/main"}"#).unwrap();
    let before = m.with(|s| s.requests.len());
    let out = script("comment.sh", &comment_env);
    assert_eq!(out.code, 0, "{}", out.stderr);
    assert_eq!(m.with(|s| s.requests.len()), before);
}

#[test]
fn completions_man_pages_and_version() {
    let version = plumb(&["--version"], &[]);
    assert_eq!(version.code, 0);
    let re = regex::Regex::new(r"^plumb \d+\.\d+\.\d+ \(commit ([0-9a-f]{12}|unknown)\)\n$").unwrap();
    assert!(re.is_match(&version.stdout), "{:?}", version.stdout);
    // Built from a git checkout (not a container build without PLUMB_COMMIT): a real commit.
    let commit = &re.captures(&version.stdout).unwrap()[1];
    if commit != "unknown" {
        let known = Command::new("git")
            .args(["cat-file", "-e", &format!("{commit}^{{commit}}")])
            .current_dir(common::root())
            .status();
        assert!(known.is_ok_and(|s| s.success()), "{commit} is not a commit of this repository");
    }
    for shell in ["bash", "zsh", "fish", "elvish", "powershell"] {
        let out = plumb(&["generate", "completions", shell], &[]);
        assert_eq!(out.code, 0, "{shell}: {}", out.stderr);
        for word in ["scan", "notify", "--ledger", "--format"] {
            assert!(out.stdout.contains(word), "{shell} completion lacks {word}");
        }
    }
    let bash = plumb(&["generate", "completions", "bash"], &[]);
    let mut sh = Command::new("bash").args(["-n", "/dev/stdin"]).stdin(Stdio::piped()).spawn().unwrap();
    std::io::Write::write_all(&mut sh.stdin.take().unwrap(), bash.stdout.as_bytes()).unwrap();
    assert!(sh.wait().unwrap().success(), "the bash completion parses");
    // Sourced in bash, it completes subcommands and `scan --format` values.
    let probe = format!(
        "{}\nCOMP_WORDS=(plumb sc); COMP_CWORD=1; _plumb plumb sc plumb; echo \"${{COMPREPLY[*]}}\"\n\
         COMP_WORDS=(plumb ge); COMP_CWORD=1; _plumb plumb ge plumb; echo \"[${{COMPREPLY[*]}}]\"\n\
         COMP_WORDS=(plumb scan --format ''); COMP_CWORD=3; _plumb plumb '' --format; echo \"${{COMPREPLY[*]}}\"",
        bash.stdout
    );
    let out = Command::new("bash").args(["-c", &probe]).output().unwrap();
    let lines: Vec<String> = String::from_utf8_lossy(&out.stdout).lines().map(String::from).collect();
    assert_eq!(lines.first().map(String::as_str), Some("scan"), "{lines:?}");
    assert_eq!(lines.get(1).map(String::as_str), Some("[]"), "the hidden command is not offered: {lines:?}");
    assert!(
        lines
            .get(2)
            .is_some_and(|l| l.split(' ').collect::<Vec<_>>() == ["text", "json", "sarif", "junit", "ocsf", "asff"]),
        "{lines:?}"
    );

    let dir = tempfile::tempdir().unwrap();
    let out = plumb(&["generate", "man", "--out-dir", dir.path().to_str().unwrap()], &[]);
    assert_eq!(out.code, 0, "{}", out.stderr);
    let mut pages: Vec<String> =
        std::fs::read_dir(dir.path()).unwrap().map(|e| e.unwrap().file_name().to_string_lossy().into_owned()).collect();
    pages.sort();
    for p in ["plumb.1", "plumb-scan.1", "plumb-notify.1", "plumb-check.1", "plumb-report.1"] {
        assert!(pages.contains(&p.to_string()), "{p} missing: {pages:?}");
    }
    assert!(!pages.iter().any(|p| p.contains("generate") || p.contains("help")), "{pages:?}");
    let scan = std::fs::read_to_string(dir.path().join("plumb-scan.1")).unwrap();
    assert!(scan.starts_with(".ie") || scan.starts_with(".TH"), "roff");
    assert!(scan.contains(".TH plumb-scan 1") && scan.contains("\\-\\-format"), "{}", &scan[..300.min(scan.len())]);
    // groff renders every page without warnings.
    if Command::new("groff").arg("--version").stdout(Stdio::null()).status().is_ok_and(|s| s.success()) {
        for p in &pages {
            let out =
                Command::new("groff").args(["-man", "-Tutf8", "-ww", "-z"]).arg(dir.path().join(p)).output().unwrap();
            assert!(out.status.success() && out.stderr.is_empty(), "{p}: {}", String::from_utf8_lossy(&out.stderr));
        }
    }
}

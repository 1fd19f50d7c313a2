//! Three nightly scans of the smoke stack (applied with terraform on the emulator), each recorded
//! in a SQLite ledger and in a PostgreSQL ledger:
//! 1. clean;
//! 2. after out-of-band changes made with the AWS SDK: a tag added to the VPC (drifted), the
//!    managed bucket deleted (missing, and its hardening findings gone with it), a bucket made
//!    by hand (unmanaged, with findings of its own);
//! 3. after one fix: the tag removed.
//!
//! The history must carry exactly these resources with the right first seen / last seen /
//! resolved runs and times, one item per finding the scans reported (first seen in the first
//! night that reported it, resolved in the first later night that did not), times to remediate
//! that match the run times, and be identical on both backends apart from the times.

mod common;
mod ledger_common;

use std::collections::{BTreeMap, BTreeSet};

use common::{Fixture, REGION};
use serde_json::{Value, json};

const BY_HAND: &str = "plumb-smoke-by-hand";

fn strip_times(mut h: Value) -> Value {
    for r in h["runs"].as_array_mut().unwrap() {
        let o = r.as_object_mut().unwrap();
        o.remove("time");
        o.remove("hash");
    }
    for e in h["items"].as_array_mut().unwrap() {
        let o = e.as_object_mut().unwrap();
        for k in ["first_seen", "last_seen", "resolved_at", "time_to_remediate_seconds", "age_seconds"] {
            o.remove(k);
        }
    }
    h.as_object_mut().unwrap().remove("remediation");
    h
}

/// A finding's identity in a report: (rule id, address or `type/id`).
fn finding_keys(report: &Value) -> BTreeSet<(String, String)> {
    report["findings"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| {
            let subject = match f["address"].as_str() {
                Some(a) => a.to_string(),
                None => format!("{}/{}", f["type"].as_str().unwrap(), f["id"].as_str().unwrap()),
            };
            (f["rule_id"].as_str().unwrap().to_string(), subject)
        })
        .collect()
}

/// What the history must say about each finding, derived from the nights' reports alone:
/// key -> (first seen run, last seen run, resolved run).
fn expected_findings(nights: &[BTreeSet<(String, String)>]) -> BTreeMap<(String, String), (i64, i64, Option<i64>)> {
    let mut out = BTreeMap::new();
    for (i, keys) in nights.iter().enumerate() {
        let run = i as i64 + 1;
        for k in keys {
            let e = out.entry(k.clone()).or_insert((run, run, None));
            e.1 = run;
        }
        for (k, e) in out.iter_mut() {
            if e.2.is_none() && !keys.contains(k) {
                e.2 = Some(run);
            }
        }
    }
    out
}

#[test]
fn three_nightly_runs_give_the_same_history_on_both_backends() {
    let fx = Fixture::new("smoke", &[]);
    let targets = ledger_common::targets("smoke");
    let vpc_id = fx.stack.attr("aws_vpc.smoke", "id");
    let bucket = fx.stack.attr("aws_s3_bucket.smoke", "bucket");
    let rt = tokio::runtime::Builder::new_current_thread().enable_all().build().unwrap();

    // One scan per backend; returns the first backend's report (the nights' reports agree).
    let scan_all = |phase: &str, drift: bool| -> Value {
        let mut reports = Vec::new();
        for t in &targets {
            let run = fx.scan(&["--ledger", &t.location]);
            let report = run.json();
            let findings = report["findings"].as_array().unwrap().iter().any(|f| f["waived"] == false);
            assert_eq!(run.code, i32::from(drift || findings), "{phase} on {}: {}", t.name, run.stderr);
            assert!(run.stderr.contains("recorded run"), "{}", run.stderr);
            reports.push(report);
        }
        assert!(reports.windows(2).all(|w| finding_keys(&w[0]) == finding_keys(&w[1])), "{phase}: reports differ");
        reports.swap_remove(0)
    };

    // Night 1: clean.
    let night1 = scan_all("clean", false);
    assert_eq!(night1["summary"]["in_sync"], 2, "{night1}");

    // Out of band: a console user tags the VPC, deletes the managed bucket and makes one by hand.
    rt.block_on(async {
        fx.emulator
            .ec2()
            .create_tags()
            .resources(&vpc_id)
            .tags(aws_sdk_ec2::types::Tag::builder().key("Owner").value("console-user").build())
            .send()
            .await
            .unwrap();
        fx.emulator.s3().delete_bucket().bucket(&bucket).send().await.unwrap();
        fx.emulator.s3().create_bucket().bucket(BY_HAND).send().await.unwrap();
    });
    let night2 = scan_all("after out-of-band changes", true);

    // One fix: the tag goes; the deleted bucket and the hand-made one stay as they are.
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
    let night3 = scan_all("after one fix", true);

    let nights: Vec<_> = [&night1, &night2, &night3].into_iter().map(finding_keys).collect();
    let expected = expected_findings(&nights);
    // The stack's own bucket fails the S3 baseline until it is deleted; the hand-made bucket
    // fails it from night 2 on. Both halves must be present for the test to mean anything.
    assert!(
        expected.iter().any(|((_, s), e)| s == "aws_s3_bucket.smoke" && *e == (1, 1, Some(2))),
        "no finding on the stack's bucket resolved by its deletion: {expected:?}"
    );
    assert!(
        expected.iter().any(|((_, s), e)| *s == format!("aws_s3_bucket/{BY_HAND}") && *e == (2, 3, None)),
        "no open finding on the hand-made bucket: {expected:?}"
    );

    let mut histories = Vec::new();
    for t in &targets {
        let loc = t.location.as_str();
        let v = ledger_common::plumb(&["ledger", "verify", "--ledger", loc]);
        assert_eq!(v.code, 0, "{}: {}{}", t.name, v.stdout, v.stderr);
        assert!(v.stdout.contains("intact, 3 records"), "{}", v.stdout);

        let out = ledger_common::plumb(&["history", "--ledger", loc, "--format", "json"]);
        assert_eq!(out.code, 0, "{}", out.stderr);
        let h: Value = serde_json::from_str(&out.stdout).unwrap();
        let runs = h["runs"].as_array().unwrap();
        assert_eq!(runs.len(), 3, "{}", out.stdout);
        let time = |run: i64| runs[run as usize - 1]["time"].as_str().unwrap().to_string();
        let items = h["items"].as_array().unwrap();

        // Resources: exactly the three out-of-band changes.
        let resources: BTreeMap<(String, String), &Value> = items
            .iter()
            .filter(|e| e["kind"] == "resource")
            .map(|e| ((e["status"].as_str().unwrap().into(), e["id"].as_str().unwrap().into()), e))
            .collect();
        let keys: Vec<_> = resources.keys().cloned().collect();
        let key = |s: &str, id: &str| (s.to_string(), id.to_string());
        assert_eq!(
            keys,
            vec![key("drifted", &vpc_id), key("missing", &bucket), key("unmanaged", BY_HAND)],
            "{}: {}",
            t.name,
            out.stdout
        );
        let vpc = resources[&key("drifted", &vpc_id)];
        assert_eq!(vpc["address"], "aws_vpc.smoke");
        assert_eq!(vpc["paths"], json!(["tags.Owner"]));
        let gone = resources[&key("missing", &bucket)];
        assert_eq!(gone["address"], "aws_s3_bucket.smoke");
        let by_hand = resources[&key("unmanaged", BY_HAND)];
        assert_eq!((&by_hand["address"], &by_hand["type"]), (&Value::Null, &json!("aws_s3_bucket")));
        assert_eq!(by_hand["region"], REGION);
        let runs_of =
            |e: &Value| (e["first_seen_run"].as_i64(), e["last_seen_run"].as_i64(), e["resolved_run"].as_i64());
        assert_eq!(runs_of(vpc), (Some(2), Some(2), Some(3)));
        assert_eq!(runs_of(gone), (Some(2), Some(3), None));
        assert_eq!(runs_of(by_hand), (Some(2), Some(3), None));

        // Findings: one item per finding the nights reported, exactly as the reports say.
        let mut got = BTreeMap::new();
        for e in items.iter().filter(|e| e["kind"] == "finding") {
            let subject = match e["address"].as_str() {
                Some(a) => a.to_string(),
                None => format!("{}/{}", e["type"].as_str().unwrap(), e["id"].as_str().unwrap()),
            };
            let k = (e["rule_id"].as_str().unwrap().to_string(), subject);
            let r = runs_of(e);
            assert!(got.insert(k, (r.0.unwrap(), r.1.unwrap(), r.2)).is_none(), "one item per finding");
            assert!(e["controls"].is_object() && e["severity"].is_string(), "{e}");
        }
        assert_eq!(got, expected, "{}: findings history", t.name);

        // Times: each item's times are its runs' times; time to remediate is their difference.
        let mut ttr = Vec::new();
        for e in items {
            let (first, last, resolved) = runs_of(e);
            assert_eq!(e["first_seen"], time(first.unwrap()).as_str(), "{e}");
            assert_eq!(e["last_seen"], time(last.unwrap()).as_str(), "{e}");
            match resolved {
                Some(r) => {
                    assert_eq!(e["resolved_at"], time(r).as_str(), "{e}");
                    let secs = plumb::ledger::history::parse_time(&time(r)).unwrap()
                        - plumb::ledger::history::parse_time(&time(first.unwrap())).unwrap();
                    assert_eq!(e["time_to_remediate_seconds"], secs.whole_seconds(), "{e}");
                    ttr.push(secs.whole_seconds());
                }
                None => {
                    assert_eq!(e["resolved_at"], Value::Null, "{e}");
                    assert_eq!(e["time_to_remediate_seconds"], Value::Null, "{e}");
                }
            }
        }
        let open = items.iter().filter(|e| e["resolved_run"].is_null()).count();
        assert_eq!(h["remediation"]["open"], open);
        assert_eq!(h["remediation"]["resolved"], ttr.len());
        let mean = ttr.iter().sum::<i64>() as f64 / ttr.len() as f64;
        assert_eq!(h["remediation"]["mean_seconds"].as_f64(), Some(mean));

        // Per address, and as text.
        let one = ledger_common::plumb(&["history", "--ledger", loc, "--format", "json", "--address", "aws_vpc.smoke"]);
        let one: Value = serde_json::from_str(&one.stdout).unwrap();
        assert_eq!(
            one["items"].as_array().unwrap().len(),
            1 + expected.keys().filter(|k| k.1 == "aws_vpc.smoke").count()
        );
        let text = ledger_common::plumb(&["history", "--ledger", loc, "--address", "aws_vpc.smoke"]);
        assert_eq!(text.code, 0, "{}", text.stderr);
        assert!(text.stdout.contains("aws_vpc.smoke"), "{}", text.stdout);

        // The live configuration of each night, and what changed.
        let two = ledger_common::plumb(&["export", "--ledger", loc, "--run", "2"]);
        assert_eq!(two.code, 0, "{}", two.stderr);
        assert!(two.stdout.contains("address=aws_vpc.smoke"), "{}", two.stdout);
        assert!(two.stdout.contains("  tags.Owner = \"console-user\"\n"), "{}", two.stdout);
        assert!(
            two.stdout.contains(&format!("aws_s3_bucket {BY_HAND}  region=us-east-1  unmanaged")),
            "{}",
            two.stdout
        );
        let d = ledger_common::plumb(&["diff", "2", "3", "--ledger", loc]);
        assert_eq!(d.code, 1, "{}", d.stderr);
        assert!(d.stdout.contains(&format!("~ aws_vpc {vpc_id}")), "{}", d.stdout);
        assert!(d.stdout.contains("-   tags.Owner = \"console-user\"\n"), "{}", d.stdout);
        let d = ledger_common::plumb(&["diff", "1", "2", "--ledger", loc]);
        assert!(d.stdout.contains(&format!("+ aws_s3_bucket {BY_HAND}")), "{}", d.stdout);
        assert!(d.stdout.contains(&format!("- aws_s3_bucket {bucket}")), "{}", d.stdout);

        // The HTML report of real runs names the open drift and cites the failing controls.
        let page = ledger_common::plumb(&["report", "--ledger", loc, "--format", "html"]);
        assert_eq!(page.code, 0, "{}", page.stderr);
        for needle in ["Ledger intact", "aws_s3_bucket.smoke", BY_HAND, "HS-S3-004", "data-framework=\"hipaa\""] {
            assert!(page.stdout.contains(needle), "the report lacks {needle}");
        }
        assert!(!page.stdout.contains("http://") && !page.stdout.contains("https://"));

        histories.push((t.name, strip_times(h)));
    }
    // `targets` holds PostgreSQL whenever a server is available (always under CI).
    if let [(_, sqlite), (_, postgres)] = &histories[..] {
        assert_eq!(sqlite, postgres, "SQLite and PostgreSQL histories differ");
    }
}

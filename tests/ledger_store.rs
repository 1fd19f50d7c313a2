//! The evidence ledger on both backends (SQLite always; PostgreSQL when its binaries are
//! installed, as in CI): appends and the chain, tamper detection (a changed value in any
//! column, a deleted record, swapped records), concurrent writers (tasks and processes),
//! history, export and diff.

mod ledger_common;

use ledger_common::*;
use plumb::ledger::{Kind, Ledger};

fn rt() -> tokio::runtime::Runtime {
    tokio::runtime::Builder::new_multi_thread().worker_threads(2).enable_all().build().unwrap()
}

/// Five runs: a VPC drifts in run 2 and is fixed in run 4; a bucket appears unmanaged in run 3
/// and stays; a finding opens in run 2 and is waived from run 5.
fn five_runs() -> Vec<String> {
    let vpc = |s| res(Some("aws_vpc.main"), "aws_vpc", "vpc-1", s);
    let drift = drifted("aws_vpc.main", "aws_vpc", "vpc-1", "tags.Owner", Some("arn:aws:iam::123456789012:user/alice"));
    let hand = res(None, "aws_s3_bucket", "by-hand", "unmanaged");
    let f = |waived| finding("HS-S3-001", "high", Some("aws_s3_bucket.logs"), "aws_s3_bucket", "logs", waived);
    vec![
        report(&day(1), vec![vpc("in_sync")], vec![]),
        report(&day(2), vec![drift.clone()], vec![f(false)]),
        report(&day(3), vec![drift, hand.clone()], vec![f(false)]),
        report(&day(4), vec![vpc("in_sync"), hand.clone()], vec![f(false)]),
        report(&day(5), vec![vpc("in_sync"), hand], vec![f(true)]),
    ]
}

async fn fill(location: &str) -> Ledger {
    let mut l = Ledger::open(location).await.unwrap();
    for (i, r) in five_runs().iter().enumerate() {
        let snap = format!(
            "# plumb live configuration: 1 resources\n\naws_vpc vpc-1  region=us-east-1  address=aws_vpc.main\n  tags.Run = \"{i}\"\n"
        );
        let a = l.append(r, Some(&snap)).await.unwrap();
        assert_eq!(a.seq, i as i64 + 1);
    }
    l
}

#[test]
fn appends_chain_and_history_on_every_backend() {
    let rt = rt();
    let mut histories = Vec::new();
    for t in targets("history") {
        let h = rt.block_on(async {
            let mut l = fill(&t.location).await;
            let v = l.verify(true).await.unwrap();
            assert!(v.intact, "{}: {v:?}", t.name);
            assert_eq!((v.records, v.head_seq), (5, 5), "{}", t.name);
            let h = l.history().await.unwrap();
            let (time, snap) = l.snapshot(3).await.unwrap();
            assert_eq!(time, day(3));
            assert!(snap.contains("tags.Run = \"2\""), "{snap}");
            assert!(l.report(2).await.unwrap().contains("tags.Owner"));
            assert!(l.report(9).await.unwrap_err().to_string().contains("no run 9 (runs 1 to 5)"));
            l.close().await;
            // Reopening applies no migration twice and appends after the head.
            let mut l = Ledger::open(&t.location).await.unwrap();
            assert_eq!(l.head().await.unwrap().0, 5);
            l.close().await;
            h
        });
        assert_eq!(h.runs.len(), 5);
        assert_eq!(h.runs.iter().map(|r| r.seq).collect::<Vec<_>>(), vec![1, 2, 3, 4, 5]);
        assert_eq!(h.runs[1].summary.drifted, 1);
        assert_eq!(h.runs[4].summary.findings.waived, 1);
        let vpc = h.items.iter().find(|e| e.address.as_deref() == Some("aws_vpc.main")).unwrap();
        assert_eq!((vpc.first_seen.as_str(), vpc.last_seen.as_str()), (day(2).as_str(), day(3).as_str()));
        assert_eq!(vpc.resolved_at.as_deref(), Some(day(4).as_str()));
        assert_eq!(vpc.time_to_remediate_seconds, Some(2 * 86_400));
        assert_eq!(vpc.cause.as_ref().unwrap().actor.as_deref(), Some("arn:aws:iam::123456789012:user/alice"));
        let hand = h.items.iter().find(|e| e.id == "by-hand").unwrap();
        assert_eq!((hand.first_seen_run, hand.resolved_run, hand.status.as_deref()), (3, None, Some("unmanaged")));
        let f = h.items.iter().find(|e| e.kind == Kind::Finding).unwrap();
        assert_eq!((f.first_seen_run, f.resolved_run, f.waived), (2, None, true));
        assert_eq!((h.remediation.open, h.remediation.resolved), (2, 1));
        histories.push((t.name, serde_json::to_value(&h).unwrap()));
    }
    // The same runs give the same history on both backends, byte for byte (hashes included).
    if let [(_, a), (_, b)] = &histories[..] {
        assert_eq!(a, b);
    }
}

/// Fill a fresh ledger, apply `tamper`, and return the verification's first broken record.
fn broken_after(t: &Target, tamper: &str) -> (i64, String) {
    let rt = rt();
    rt.block_on(async { fill(&t.location).await.close().await });
    sql(&t.location, tamper);
    rt.block_on(async {
        let mut l = Ledger::open_existing(&t.location).await.unwrap();
        let v = l.verify(true).await.unwrap();
        l.close().await;
        assert!(!v.intact, "{}: `{tamper}` went unnoticed", t.name);
        let b = v.broken.unwrap();
        (b.seq, b.reason)
    })
}

#[test]
fn any_changed_value_is_detected() {
    let cases: &[(&str, i64)] = &[
        ("UPDATE plumb_ledger_records SET report = REPLACE(report, 'tags.Owner', 'tags.Owned') WHERE seq = 3", 3),
        ("UPDATE plumb_ledger_records SET report = REPLACE(report, '\"drifted\"', '\"in_sync\"') WHERE seq = 2", 2),
        ("UPDATE plumb_ledger_records SET time = '2026-11-03T02:00:01Z' WHERE seq = 3", 3),
        ("UPDATE plumb_ledger_records SET digest = REPLACE(digest, 'drifted', 'missing') WHERE seq = 3", 3),
        ("UPDATE plumb_ledger_records SET snapshot = NULL WHERE seq = 4", 4),
        ("UPDATE plumb_ledger_records SET prev_hash = hash WHERE seq = 2", 2),
        ("UPDATE plumb_ledger_records SET hash = prev_hash WHERE seq = 5", 5),
        ("UPDATE plumb_ledger_records SET seq = 9 WHERE seq = 5", 5),
        (
            "UPDATE plumb_ledger_head SET hash = prev_hash FROM plumb_ledger_records WHERE plumb_ledger_records.seq = 5",
            5,
        ),
    ];
    for (tamper, at) in cases {
        for t in targets("tamper") {
            let (seq, reason) = broken_after(&t, tamper);
            assert_eq!(seq, *at, "{}: `{tamper}`: {reason}", t.name);
        }
    }
}

#[test]
fn a_changed_snapshot_byte_is_detected() {
    for t in targets("snapbyte") {
        let rt = rt();
        rt.block_on(async { fill(&t.location).await.close().await });
        flip_snapshot_byte(&t.location, 2, 7);
        let v = rt.block_on(async {
            let mut l = Ledger::open_existing(&t.location).await.unwrap();
            let v = l.verify(false).await.unwrap();
            l.close().await;
            v
        });
        assert_eq!(v.broken.map(|b| b.seq), Some(2), "{}", t.name);
    }
}

#[test]
fn deleted_records_are_detected() {
    for t in targets("delete") {
        let (seq, reason) = broken_after(&t, "DELETE FROM plumb_ledger_records WHERE seq = 3");
        assert_eq!(seq, 3, "{reason}");
        assert!(reason.contains("record 3 is missing"), "{reason}");
        let (seq, reason) = broken_after(
            &targets("delete-first").into_iter().find(|x| x.name == t.name).unwrap(),
            "DELETE FROM plumb_ledger_records WHERE seq = 1",
        );
        assert_eq!(seq, 1, "{reason}");
        // The last record: the chain alone cannot tell, the head can.
        let (seq, reason) = broken_after(
            &targets("delete-last").into_iter().find(|x| x.name == t.name).unwrap(),
            "DELETE FROM plumb_ledger_records WHERE seq = 5",
        );
        assert_eq!(seq, 5, "{reason}");
        assert!(reason.contains("removed from the end"), "{reason}");
    }
}

#[test]
fn swapped_records_are_detected() {
    // Swap everything but the sequence numbers of records 2 and 3.
    let swap = "UPDATE plumb_ledger_records SET seq = -2 WHERE seq = 2; \
                UPDATE plumb_ledger_records SET seq = 2 WHERE seq = 3; \
                UPDATE plumb_ledger_records SET seq = 3 WHERE seq = -2;";
    for t in targets("swap") {
        let (seq, reason) = broken_after(&t, swap);
        assert_eq!(seq, 2, "{}: {reason}", t.name);
    }
}

#[test]
fn concurrent_tasks_lose_nothing() {
    const WRITERS: usize = 4;
    const EACH: usize = 8;
    let rt = rt();
    for t in targets("tasks") {
        rt.block_on(async {
            // Create the ledger first in parallel too: migrations must not race either.
            let mut handles = Vec::new();
            for w in 0..WRITERS {
                let loc = t.location.clone();
                handles.push(tokio::spawn(async move {
                    let mut l = Ledger::open(&loc).await.unwrap();
                    for i in 0..EACH {
                        let r = report(
                            &day(1 + (i as u32 % 20)),
                            vec![res(Some(&format!("aws_vpc.w{w}_{i}")), "aws_vpc", "v", "missing")],
                            vec![],
                        );
                        l.append(&r, None).await.unwrap();
                    }
                    l.close().await;
                }));
            }
            for h in handles {
                h.await.unwrap();
            }
            let mut l = Ledger::open_existing(&t.location).await.unwrap();
            let v = l.verify(true).await.unwrap();
            assert!(v.intact, "{}: {v:?}", t.name);
            assert_eq!(v.records as usize, WRITERS * EACH, "{}", t.name);
            let h = l.history().await.unwrap();
            let mut seen: Vec<String> = h.items.iter().filter_map(|e| e.address.clone()).collect();
            seen.sort();
            seen.dedup();
            assert_eq!(seen.len(), WRITERS * EACH, "{}: every append is there once", t.name);
            l.close().await;
        });
    }
}

/// Not a test on its own: the writer process of `concurrent_processes_lose_nothing`.
#[test]
#[ignore]
fn writer_process() {
    let Ok(location) = std::env::var("PLUMB_TEST_LEDGER") else { return };
    let tag = std::env::var("PLUMB_TEST_WRITER").unwrap();
    rt().block_on(async {
        let mut l = Ledger::open(&location).await.unwrap();
        for i in 0..15 {
            let r = report(&day(1), vec![res(Some(&format!("aws_vpc.{tag}_{i}")), "aws_vpc", "v", "missing")], vec![]);
            l.append(&r, None).await.unwrap();
        }
        l.close().await;
    });
}

#[test]
fn concurrent_processes_lose_nothing() {
    let exe = std::env::current_exe().unwrap();
    for t in targets("procs") {
        let children: Vec<_> = ["a", "b", "c"]
            .iter()
            .map(|tag| {
                std::process::Command::new(&exe)
                    .args(["writer_process", "--exact", "--ignored", "--quiet"])
                    .env("PLUMB_TEST_LEDGER", &t.location)
                    .env("PLUMB_TEST_WRITER", tag)
                    .spawn()
                    .unwrap()
            })
            .collect();
        for mut c in children {
            assert!(c.wait().unwrap().success(), "{}: a writer failed", t.name);
        }
        rt().block_on(async {
            let mut l = Ledger::open_existing(&t.location).await.unwrap();
            let v = l.verify(true).await.unwrap();
            assert!(v.intact, "{}: {v:?}", t.name);
            assert_eq!(v.records, 45, "{}", t.name);
            l.close().await;
        });
    }
}

#[test]
fn cli_verify_history_export_diff() {
    let rt = rt();
    for t in targets("cli") {
        rt.block_on(async { fill(&t.location).await.close().await });
        let loc = t.location.as_str();
        let v = plumb(&["ledger", "verify", "--ledger", loc]);
        assert_eq!(v.code, 0, "{}: {}{}", t.name, v.stdout, v.stderr);
        assert!(v.stdout.contains("intact, 5 records"), "{}", v.stdout);

        let h = plumb(&["history", "--ledger", loc, "--format", "json"]);
        assert_eq!(h.code, 0, "{}", h.stderr);
        let j: serde_json::Value = serde_json::from_str(&h.stdout).unwrap();
        assert_eq!(j["runs"].as_array().unwrap().len(), 5);
        assert_eq!(j["items"].as_array().unwrap().len(), 3);
        assert_eq!(j["remediation"]["resolved"], 1);
        let one = plumb(&["history", "--ledger", loc, "--format", "json", "--address", "aws_vpc.main"]);
        let j: serde_json::Value = serde_json::from_str(&one.stdout).unwrap();
        assert_eq!(j["items"].as_array().unwrap().len(), 1, "{}", one.stdout);
        assert_eq!(j["items"][0]["resolved_at"], day(4).as_str());
        let since = plumb(&["history", "--ledger", loc, "--format", "json", "--since", "2026-11-04"]);
        let j: serde_json::Value = serde_json::from_str(&since.stdout).unwrap();
        assert_eq!(j["runs"].as_array().unwrap().len(), 2, "{}", since.stdout);
        let text = plumb(&["history", "--ledger", loc]);
        assert!(text.stdout.contains("aws_vpc.main"), "{}", text.stdout);
        assert!(text.stdout.contains("mean time to remediate: 2d 0h"), "{}", text.stdout);

        let e = plumb(&["export", "--ledger", loc, "--run", "2"]);
        assert_eq!(e.code, 0, "{}", e.stderr);
        assert!(e.stdout.starts_with(&format!("# run 2 at {}\n", day(2))), "{}", e.stdout);
        assert!(e.stdout.contains("  tags.Run = \"1\""), "{}", e.stdout);
        let d = plumb(&["diff", "2", "3", "--ledger", loc]);
        assert_eq!(d.code, 1, "{}", d.stderr);
        assert!(d.stdout.contains("-   tags.Run = \"1\"\n+   tags.Run = \"2\"\n"), "{}", d.stdout);
        let same = plumb(&["diff", "3", "3", "--ledger", loc]);
        assert_eq!(same.code, 0, "{}", same.stderr);

        sql(loc, "UPDATE plumb_ledger_records SET report = REPLACE(report, 'HS-S3-001', 'HS-S3-002') WHERE seq = 4");
        let v = plumb(&["ledger", "verify", "--ledger", loc]);
        assert_eq!(v.code, 1, "{}: {}", t.name, v.stdout);
        assert!(v.stdout.contains("BROKEN at record 4"), "{}", v.stdout);
        let missing = plumb(&["ledger", "verify", "--ledger", "/nonexistent/ledger.db"]);
        assert_eq!(missing.code, 2, "{}", missing.stderr);
        assert!(missing.stderr.contains("no ledger at /nonexistent/ledger.db"), "{}", missing.stderr);
    }
}

//! Three nightly scans of the smoke stack on the emulator, recorded in a SQLite ledger and in a
//! PostgreSQL ledger: clean; after out-of-band changes (a tag added to the VPC, a bucket made by
//! hand); after one fix (the tag removed). The history must show the VPC's drift first seen in
//! run 2 and resolved in run 3, the hand-made bucket first seen in run 2 and still open, and be
//! the same on both backends.

mod common;
mod ledger_common;

use common::{Fixture, REGION};
use serde_json::Value;

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

#[test]
fn three_nightly_runs_give_the_same_history_on_both_backends() {
    let fx = Fixture::new("smoke", &[]);
    let targets = ledger_common::targets("smoke");
    let vpc_id = fx.stack.attr("aws_vpc.smoke", "id");
    let rt = tokio::runtime::Builder::new_current_thread().enable_all().build().unwrap();

    let scan_all = |phase: &str, expect: i32| {
        for t in &targets {
            // The smoke bucket's hardening findings are recorded but do not decide the exit.
            let run = fx.scan(&["--ledger", &t.location, "--fail-on", "critical"]);
            assert_eq!(run.code, expect, "{phase} on {}: {}", t.name, run.stderr);
            assert!(run.stderr.contains("recorded run"), "{}", run.stderr);
        }
    };

    // Night 1: clean.
    scan_all("clean", 0);

    // Out of band: a console user tags the VPC and makes a bucket by hand.
    rt.block_on(async {
        fx.emulator
            .ec2()
            .create_tags()
            .resources(&vpc_id)
            .tags(aws_sdk_ec2::types::Tag::builder().key("Owner").value("console-user").build())
            .send()
            .await
            .unwrap();
        fx.emulator.s3().create_bucket().bucket("plumb-smoke-by-hand").send().await.unwrap();
    });
    scan_all("after out-of-band changes", 1);

    // One fix: the tag goes; the hand-made bucket stays.
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
    scan_all("after one fix", 1);

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
        let time = |i: usize| runs[i]["time"].as_str().unwrap().to_string();
        let all = h["items"].as_array().unwrap();
        let items: Vec<&Value> = all.iter().filter(|e| e["kind"] == "resource").collect();
        assert_eq!(items.len(), 2, "{}: {}", t.name, out.stdout);
        // Findings: the smoke bucket's since night 1, the hand-made bucket's since night 2;
        // none fixed.
        let findings: Vec<&Value> = all.iter().filter(|e| e["kind"] == "finding").collect();
        let by_hand = findings
            .iter()
            .find(|e| e["id"] == "plumb-smoke-by-hand" && e["rule_id"] == "HS-S3-004")
            .expect("the hand-made bucket's missing public access block");
        assert_eq!((&by_hand["address"], by_hand["first_seen_run"].as_i64()), (&Value::Null, Some(2)));
        let smoke = findings.iter().find(|e| e["address"] == "aws_s3_bucket.smoke").expect("the smoke bucket's");
        assert_eq!(smoke["first_seen_run"], 1);
        assert!(findings.iter().all(|e| e["resolved_run"].is_null()), "{findings:#?}");

        let vpc = items.iter().find(|e| e["address"] == "aws_vpc.smoke").expect("the VPC's drift");
        assert_eq!(vpc["status"], "drifted");
        assert_eq!(vpc["paths"], serde_json::json!(["tags.Owner"]));
        assert_eq!((vpc["first_seen_run"].as_i64(), vpc["resolved_run"].as_i64()), (Some(2), Some(3)));
        assert_eq!(vpc["first_seen"], time(1).as_str());
        assert_eq!(vpc["last_seen"], time(1).as_str());
        assert_eq!(vpc["resolved_at"], time(2).as_str());

        let bucket = items.iter().find(|e| e["id"] == "plumb-smoke-by-hand").expect("the hand-made bucket");
        assert_eq!(bucket["status"], "unmanaged");
        assert_eq!(bucket["address"], Value::Null);
        assert_eq!(bucket["region"], REGION);
        assert_eq!(bucket["first_seen"], time(1).as_str());
        assert_eq!(bucket["resolved_at"], Value::Null);
        assert_eq!(h["remediation"]["open"].as_u64(), Some(1 + findings.len() as u64));
        assert_eq!(h["remediation"]["resolved"], 1);

        // The live configuration of each night, and what changed.
        let two = ledger_common::plumb(&["export", "--ledger", loc, "--run", "2"]);
        assert_eq!(two.code, 0, "{}", two.stderr);
        assert!(two.stdout.contains("address=aws_vpc.smoke"), "{}", two.stdout);
        assert!(two.stdout.contains("  tags.Owner = \"console-user\"\n"), "{}", two.stdout);
        assert!(
            two.stdout.contains("aws_s3_bucket plumb-smoke-by-hand  region=us-east-1  unmanaged"),
            "{}",
            two.stdout
        );
        let d = ledger_common::plumb(&["diff", "2", "3", "--ledger", loc]);
        assert_eq!(d.code, 1, "{}", d.stderr);
        assert!(d.stdout.contains(&format!("~ aws_vpc {vpc_id}")), "{}", d.stdout);
        assert!(d.stdout.contains("-   tags.Owner = \"console-user\"\n"), "{}", d.stdout);
        let d = ledger_common::plumb(&["diff", "1", "2", "--ledger", loc]);
        assert!(d.stdout.contains("+ aws_s3_bucket plumb-smoke-by-hand"), "{}", d.stdout);

        histories.push((t.name, strip_times(h)));
    }
    assert!(!histories.is_empty());
    if let [(_, sqlite), (_, postgres)] = &histories[..] {
        assert_eq!(sqlite, postgres, "SQLite and PostgreSQL histories differ");
    }
}

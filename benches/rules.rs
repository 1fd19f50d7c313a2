//! The full baseline over a generated estate of 100,000 resources: time and peak memory of
//! `rules::evaluate` (targets: under 1 s, under 500 MB). `make bench-rules` runs it
//! (`cargo bench --bench rules`); figures go to docs/benchmarks.md.
//!
//! The estate is the core test stack's golden state (`testdata/tfstate/core.tfstate`: 33
//! resources of 21 types: buckets and their split settings, security groups and rule
//! resources, an RDS instance and cluster, a KMS key and alias, a volume, an instance,
//! subnets, a VPC) copied until there are N resources, every id, name and ARN made unique
//! per copy so that the views join within a copy only. It is evaluated as the live view,
//! the path `plumb scan` takes.
//!
//! Under `cargo test --all-targets` (no `--bench` argument) it runs on 1,000 resources, as a
//! smoke test.

use std::time::Instant;

use plumb::model::{Resource, Value};
use plumb::rules::{RuleSet, View, evaluate};

fn main() {
    let full = std::env::args().any(|a| a == "--bench");
    let n: usize = std::env::var("PLUMB_BENCH_RESOURCES").ok().and_then(|s| s.parse().ok()).unwrap_or(if full {
        100_000
    } else {
        1_000
    });

    let t = Instant::now();
    let rules = RuleSet::baseline();
    let compile = t.elapsed();
    let resources = estate(n);
    let base_rss = rss_kib();
    let mut types: Vec<&str> = resources.iter().map(|r| r.rtype.as_str()).collect();
    types.sort();
    types.dedup();

    // Best of 3 (the first run also warms the allocator); peak memory over all of them.
    let mut times = Vec::new();
    let mut findings = 0;
    for _ in 0..if full { 3 } else { 1 } {
        let t = Instant::now();
        let f = evaluate(&rules, &resources, View::Live);
        times.push(t.elapsed());
        findings = f.len();
    }
    let best = times.iter().min().unwrap();
    // Where the time goes: joining the views, and converting them to regorus values (the
    // rest is the rules themselves).
    let t = Instant::now();
    let views = plumb::rules::views::build(&resources, View::Live);
    let build = t.elapsed();
    let t = Instant::now();
    let converted: Vec<regorus::Value> = views.into_iter().map(|v| regorus::Value::from(v.value)).collect();
    let convert = t.elapsed();
    let n_views = converted.len();
    drop(converted);
    let peak = peak_kib();
    println!("rules:       {} baseline rules (compiled in {:.0} ms)", rules.len(), compile.as_secs_f64() * 1e3);
    println!("resources:   {} of {} types", resources.len(), types.len());
    println!("findings:    {findings}");
    println!(
        "of which:    views::build {:.0} ms ({n_views} views), to regorus values {:.0} ms",
        build.as_secs_f64() * 1e3,
        convert.as_secs_f64() * 1e3
    );
    println!(
        "evaluate:    best {:.0} ms (runs: {})",
        best.as_secs_f64() * 1e3,
        times.iter().map(|t| format!("{:.0} ms", t.as_secs_f64() * 1e3)).collect::<Vec<_>>().join(", ")
    );
    println!(
        "peak memory: {:.0} MB resident (process peak; {:.0} MB before evaluating, estate included)",
        peak as f64 / 1024.0,
        base_rss as f64 / 1024.0
    );
    if full {
        let time_ok = best.as_secs_f64() < 1.0;
        let mem_ok = peak < 500 * 1024;
        println!(
            "targets:     time < 1 s {}; peak < 500 MB {}",
            if time_ok { "met" } else { "NOT met" },
            if mem_ok { "met" } else { "NOT met" }
        );
    }
    assert!(findings > 0, "the estate fails rules by design (plain buckets, short cluster backups)");
}

/// `n` resources: copies of the core golden state, ids made unique per copy.
fn estate(n: usize) -> Vec<Resource> {
    let path = concat!(env!("CARGO_MANIFEST_DIR"), "/testdata/tfstate/core.tfstate");
    let text = std::fs::read_to_string(path).expect("reading the golden core state");
    let base = plumb::source::tfstate::parse(path, &text).expect("the golden core state parses");
    // Every identifier that other resources may refer to, longest first so that a longer id
    // is rewritten before an id it contains.
    let mut ids: Vec<String> = base
        .iter()
        .flat_map(|r| {
            let mut v = vec![r.id.clone()];
            for k in ["arn", "bucket", "key_id", "name", "identifier", "cluster_identifier"] {
                if let Some(s) = r.attr_str(k).filter(|s| s.len() >= 4) {
                    v.push(s.to_string());
                }
            }
            v
        })
        .filter(|s| s.len() >= 4)
        .collect();
    ids.sort_by(|a, b| b.len().cmp(&a.len()).then(a.cmp(b)));
    ids.dedup();

    let mut out = Vec::with_capacity(n);
    let mut copy = 0;
    while out.len() < n {
        for r in &base {
            if out.len() == n {
                break;
            }
            let mut r = r.clone();
            r.id = rename(&r.id, &ids, copy);
            r.address = r.address.map(|a| format!("module.copy[{copy}].{a}"));
            for v in r.attributes.values_mut() {
                rename_value(v, &ids, copy);
            }
            out.push(r);
        }
        copy += 1;
    }
    out
}

fn rename(s: &str, ids: &[String], copy: usize) -> String {
    // One pass with placeholders, so that a rewritten id is not rewritten again.
    let mut s = s.to_string();
    let mut hits = Vec::new();
    for (i, id) in ids.iter().enumerate() {
        if s.contains(id.as_str()) {
            s = s.replace(id.as_str(), &format!("\u{0}{i}\u{0}"));
            hits.push(i);
        }
    }
    for i in hits {
        s = s.replace(&format!("\u{0}{i}\u{0}"), &format!("{}-c{copy}", ids[i]));
    }
    s
}

fn rename_value(v: &mut Value, ids: &[String], copy: usize) {
    match v {
        Value::String(s) => *s = rename(s, ids, copy),
        Value::List(l) => l.iter_mut().for_each(|x| rename_value(x, ids, copy)),
        Value::Map(m) => m.values_mut().for_each(|x| rename_value(x, ids, copy)),
        _ => {}
    }
}

fn status_kib(key: &str) -> u64 {
    std::fs::read_to_string("/proc/self/status")
        .ok()
        .and_then(|s| s.lines().find(|l| l.starts_with(key)).and_then(|l| l.split_whitespace().nth(1)?.parse().ok()))
        .unwrap_or(0)
}

/// Resident memory now, KiB (Linux).
fn rss_kib() -> u64 {
    status_kib("VmRSS:")
}

/// Peak resident memory of the process, KiB (Linux).
fn peak_kib() -> u64 {
    status_kib("VmHWM:")
}

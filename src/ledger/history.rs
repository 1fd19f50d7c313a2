//! History over the runs of a ledger: when each drifted, missing or unmanaged resource and each
//! finding was first seen, last seen and resolved. Pure: digests in, history out.
//!
//! An item is keyed by (kind, address or type+id, status or rule id). It opens in the first run
//! that lists it and resolves in the first later run that observed it and did not list it (a
//! run whose read of the item's type failed, or that could not judge its address, neither sees
//! nor resolves it). An item that comes back after being resolved opens a new entry, so each
//! entry has one time to remediate.

use std::collections::{BTreeMap, BTreeSet, HashMap};

use serde::Serialize;
use time::OffsetDateTime;
use time::format_description::well_known::Rfc3339;

use super::digest::{AccountDigest, Cause, Digest, FrameworkCount, Item, Kind, RunSummary};

/// One run of the ledger, without its report. A run recorded in parts (the shards of one
/// night, `--run-id`) is one run: its first record's `seq`, its earliest part's time.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Run {
    pub seq: i64,
    /// The record's time (the scan's start), RFC 3339.
    pub time: String,
    /// The hash of the run's (last) record.
    pub hash: String,
    /// Every read succeeded (and, for a run in parts, every part is in).
    pub complete: bool,
    pub summary: RunSummary,
    /// The run id of a run recorded with `--run-id`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub run_id: Option<String>,
    /// Its records, by `seq` (a run in parts; a part recorded twice counts once, the later).
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub parts: Vec<i64>,
    /// How many parts (shards) the run has.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub shards: Option<u32>,
    /// Shards whose part is not in the ledger (yet): the run is incomplete.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub missing_shards: Vec<u32>,
    /// Runs over several accounts: each account's counts.
    #[serde(skip_serializing_if = "BTreeMap::is_empty")]
    pub accounts: BTreeMap<String, AccountDigest>,
}

impl Run {
    /// A run of one record.
    pub fn single(seq: i64, time: String, hash: String, d: &Digest) -> Run {
        Run {
            seq,
            time,
            hash,
            complete: d.complete,
            summary: d.summary.clone(),
            run_id: d.part.as_ref().map(|p| p.run_id.clone()),
            parts: Vec::new(),
            shards: None,
            missing_shards: Vec::new(),
            accounts: d.accounts.clone(),
        }
    }
}

/// One entry of the history (see the module doc).
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Entry {
    pub kind: Kind,
    /// The AWS account, in runs over several accounts.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub account: Option<String>,
    pub address: Option<String>,
    #[serde(rename = "type")]
    pub rtype: String,
    pub id: String,
    pub region: Option<String>,
    /// Resources: `drifted`, `missing` or `unmanaged`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub status: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub rule_id: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub severity: Option<String>,
    #[serde(skip_serializing_if = "std::ops::Not::not")]
    pub waived: bool,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub message: Option<String>,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub paths: Vec<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub cause: Option<Cause>,
    #[serde(skip_serializing_if = "BTreeMap::is_empty")]
    pub controls: BTreeMap<String, Vec<String>>,
    pub first_seen: String,
    pub first_seen_run: i64,
    pub last_seen: String,
    pub last_seen_run: i64,
    pub resolved_at: Option<String>,
    pub resolved_run: Option<i64>,
    /// Seconds from `first_seen` to `resolved_at` (resolved entries only).
    pub time_to_remediate_seconds: Option<i64>,
    /// Seconds from `first_seen` to the latest run (open entries only).
    pub age_seconds: Option<i64>,
}

impl Entry {
    pub fn is_open(&self) -> bool {
        self.resolved_run.is_none()
    }
    /// Its address (`type/id` when unmanaged), prefixed with `account/` when it has one.
    pub fn subject(&self) -> String {
        super::digest::subject(self.account.as_deref(), self.address.as_deref(), &self.rtype, &self.id)
    }
}

#[derive(Debug, Clone, Default, PartialEq, Serialize)]
pub struct Remediation {
    pub open: u64,
    pub resolved: u64,
    /// Mean time to remediate over resolved entries, in seconds.
    pub mean_seconds: Option<f64>,
    pub median_seconds: Option<i64>,
}

#[derive(Debug, Clone, Default, PartialEq, Serialize)]
pub struct History {
    pub runs: Vec<Run>,
    pub items: Vec<Entry>,
    pub remediation: Remediation,
}

/// Parse an RFC 3339 time; None when it does not parse.
pub fn parse_time(s: &str) -> Option<OffsetDateTime> {
    OffsetDateTime::parse(s, &Rfc3339).ok()
}

fn seconds_between(a: &str, b: &str) -> Option<i64> {
    Some((parse_time(b)? - parse_time(a)?).whole_seconds())
}

fn entry(item: &Item, seq: i64, time: &str) -> Entry {
    Entry {
        kind: item.kind,
        account: item.account.clone(),
        address: item.address.clone(),
        rtype: item.rtype.clone(),
        id: item.id.clone(),
        region: item.region.clone(),
        status: item.status.clone(),
        rule_id: item.rule_id.clone(),
        severity: item.severity.clone(),
        waived: item.waived,
        message: item.message.clone(),
        paths: item.paths.clone(),
        cause: item.cause.clone(),
        controls: item.controls.clone(),
        first_seen: time.to_string(),
        first_seen_run: seq,
        last_seen: time.to_string(),
        last_seen_run: seq,
        resolved_at: None,
        resolved_run: None,
        time_to_remediate_seconds: None,
        age_seconds: None,
    }
}

/// Build the history from runs in sequence order.
pub fn build(runs: impl IntoIterator<Item = (Run, Digest)>) -> History {
    let mut out = History::default();
    let mut open: HashMap<(Kind, String, String), usize> = HashMap::new();
    for (run, digest) in runs {
        let mut seen: HashMap<(Kind, String, String), ()> = HashMap::with_capacity(digest.items.len());
        for item in &digest.items {
            let key = item.key();
            match open.get(&key) {
                Some(&i) => {
                    let e = &mut out.items[i];
                    e.last_seen = run.time.clone();
                    e.last_seen_run = run.seq;
                    // The latest details win: changed paths, attribution, waiver, message.
                    e.paths = item.paths.clone();
                    if item.cause.is_some() {
                        e.cause = item.cause.clone();
                    }
                    e.waived = item.waived;
                    e.message = item.message.clone();
                    e.severity = item.severity.clone();
                    e.controls = item.controls.clone();
                }
                None => {
                    out.items.push(entry(item, run.seq, &run.time));
                    open.insert(key.clone(), out.items.len() - 1);
                }
            }
            seen.insert(key, ());
        }
        open.retain(|key, &mut i| {
            if seen.contains_key(key) {
                return true;
            }
            let e = &mut out.items[i];
            if !digest.observes(e.account.as_deref(), &e.rtype, e.address.as_deref()) {
                return true;
            }
            e.resolved_at = Some(run.time.clone());
            e.resolved_run = Some(run.seq);
            e.time_to_remediate_seconds = seconds_between(&e.first_seen, &run.time);
            false
        });
        out.runs.push(run);
    }
    let latest = out.runs.last().map(|r| r.time.clone());
    let mut ttr: Vec<i64> = Vec::new();
    for e in &mut out.items {
        if e.is_open() {
            out.remediation.open += 1;
            e.age_seconds = latest.as_deref().and_then(|l| seconds_between(&e.first_seen, l));
        } else {
            out.remediation.resolved += 1;
            ttr.extend(e.time_to_remediate_seconds);
        }
    }
    if !ttr.is_empty() {
        out.remediation.mean_seconds = Some(ttr.iter().sum::<i64>() as f64 / ttr.len() as f64);
        ttr.sort_unstable();
        out.remediation.median_seconds = Some(ttr[ttr.len() / 2]);
    }
    out.items.sort_by(|a, b| {
        (a.first_seen_run, a.kind, a.subject(), &a.status, &a.rule_id).cmp(&(
            b.first_seen_run,
            b.kind,
            b.subject(),
            &b.status,
            &b.rule_id,
        ))
    });
    out
}

/// The records of a ledger (in `seq` order) as runs: records of one run id (the shards of a
/// night) become one run whose digest is the union of theirs; a shard recorded twice (a
/// retried job) counts once, its later record. Runs are ordered by their first record.
pub fn group(records: Vec<(Run, Digest)>) -> Vec<(Run, Digest)> {
    let mut groups: Vec<Vec<(Run, Digest)>> = Vec::new();
    let mut by_id: HashMap<String, usize> = HashMap::new();
    for (run, d) in records {
        match d.part.as_ref().map(|p| p.run_id.clone()) {
            Some(id) => match by_id.get(&id) {
                Some(&i) => groups[i].push((run, d)),
                None => {
                    by_id.insert(id, groups.len());
                    groups.push(vec![(run, d)]);
                }
            },
            None => groups.push(vec![(run, d)]),
        }
    }
    groups.into_iter().map(merge_parts).collect()
}

/// One run from its parts (records of one run id, in `seq` order).
fn merge_parts(parts: Vec<(Run, Digest)>) -> (Run, Digest) {
    let Some(part) = parts.first().and_then(|(_, d)| d.part.clone()) else {
        return parts.into_iter().next().unwrap_or_else(|| unreachable!("a group has a record"));
    };
    let shards = parts.iter().filter_map(|(_, d)| d.part.as_ref().map(|p| p.shards)).max().unwrap_or(1).max(1);
    // The latest record of each shard.
    let mut latest: BTreeMap<u32, usize> = BTreeMap::new();
    for (i, (_, d)) in parts.iter().enumerate() {
        if let Some(p) = &d.part {
            latest.insert(p.shard, i);
        }
    }
    let missing_shards: Vec<u32> = (0..shards).filter(|s| !latest.contains_key(s)).collect();
    let first_seq = parts[0].0.seq;
    let kept: BTreeSet<usize> = latest.values().copied().collect();
    let mut seqs = Vec::new();
    let mut time: Option<String> = None;
    let mut hash = String::new();
    let mut last_seq = i64::MIN;
    let mut d = Digest {
        v: super::digest::DIGEST_VERSION,
        started_at: String::new(),
        complete: missing_shards.is_empty(),
        summary: RunSummary::default(),
        failed_types: Vec::new(),
        unobserved: Vec::new(),
        items: Vec::new(),
        part: Some(part.clone()),
        accounts: BTreeMap::new(),
    };
    let mut covered: BTreeMap<String, u64> = BTreeMap::new();
    for (i, (run, pd)) in parts.into_iter().enumerate() {
        if !kept.contains(&i) {
            continue;
        }
        seqs.push(run.seq);
        if run.seq > last_seq {
            last_seq = run.seq;
            hash = run.hash.clone();
        }
        if time.as_ref().is_none_or(|t| run.time < *t) {
            time = Some(run.time.clone());
        }
        d.complete &= pd.complete;
        let (s, x) = (&mut d.summary, &pd.summary);
        s.in_sync += x.in_sync;
        s.drifted += x.drifted;
        s.missing += x.missing;
        s.unmanaged += x.unmanaged;
        s.not_judged += x.not_judged;
        s.findings.critical += x.findings.critical;
        s.findings.high += x.findings.high;
        s.findings.medium += x.findings.medium;
        s.findings.low += x.findings.low;
        s.findings.waived += x.findings.waived;
        for (k, f) in &x.frameworks {
            let c = covered.entry(k.clone()).or_default();
            *c = (*c).max(f.controls_covered);
        }
        d.failed_types.extend(pd.failed_types);
        d.unobserved.extend(pd.unobserved);
        d.items.extend(pd.items);
        d.accounts.extend(pd.accounts);
        if d.started_at.is_empty() || pd.started_at < d.started_at {
            d.started_at = pd.started_at;
        }
    }
    for v in [&mut d.failed_types, &mut d.unobserved] {
        v.sort();
        v.dedup();
    }
    let s = &mut d.summary;
    let (managed, unmanaged) = (s.in_sync + s.drifted, s.unmanaged);
    s.coverage_percent = if !d.complete {
        0.0
    } else if managed + unmanaged == 0 {
        100.0
    } else {
        (managed as f64 * 1000.0 / (managed + unmanaged) as f64).round() / 10.0
    };
    // Failing controls: distinct controls of the unwaived findings of every part.
    for (k, c) in covered {
        let failing: BTreeSet<&String> = d
            .items
            .iter()
            .filter(|i| i.kind == Kind::Finding && !i.waived)
            .filter_map(|i| i.controls.get(&k))
            .flatten()
            .collect();
        d.summary.frameworks.insert(k, FrameworkCount { controls_failing: failing.len() as u64, controls_covered: c });
    }
    let run = Run {
        seq: first_seq,
        time: time.unwrap_or_default(),
        hash,
        complete: d.complete,
        summary: d.summary.clone(),
        run_id: Some(part.run_id),
        parts: seqs,
        shards: Some(shards),
        missing_shards,
        accounts: d.accounts.clone(),
    };
    (run, d)
}

/// Keep the runs from `since` on and the entries still open then or seen since; keep only
/// entries about `address` (an address, or an unmanaged resource's id) when given.
pub fn filter(mut h: History, address: Option<&str>, since: Option<OffsetDateTime>) -> History {
    if let Some(since) = since {
        let after = |t: &str| parse_time(t).is_none_or(|t| t >= since);
        h.runs.retain(|r| after(&r.time));
        h.items.retain(|e| after(&e.last_seen) || e.resolved_at.as_deref().is_none_or(after));
    }
    if let Some(a) = address {
        h.items.retain(|e| e.address.as_deref() == Some(a) || (e.address.is_none() && (e.id == a || e.subject() == a)));
    }
    let mut rem = Remediation::default();
    let mut ttr: Vec<i64> = Vec::new();
    for e in &h.items {
        if e.is_open() {
            rem.open += 1;
        } else {
            rem.resolved += 1;
            ttr.extend(e.time_to_remediate_seconds);
        }
    }
    if !ttr.is_empty() {
        rem.mean_seconds = Some(ttr.iter().sum::<i64>() as f64 / ttr.len() as f64);
        ttr.sort_unstable();
        rem.median_seconds = Some(ttr[ttr.len() / 2]);
    }
    h.remediation = rem;
    h
}

/// `30d`, `12h`, `90m`, `2w` before `now`; or an RFC 3339 time; or a date (`2026-11-01`, UTC).
pub fn parse_since(s: &str, now: OffsetDateTime) -> Option<OffsetDateTime> {
    if let Some(t) = parse_time(s) {
        return Some(t);
    }
    if let Ok(d) = time::Date::parse(s, time::macros::format_description!("[year]-[month]-[day]")) {
        return Some(d.midnight().assume_utc());
    }
    let (num, unit) = s.split_at(s.find(|c: char| !c.is_ascii_digit())?);
    let n: i64 = num.parse().ok()?;
    let d = match unit {
        "s" => time::Duration::seconds(n),
        "m" => time::Duration::minutes(n),
        "h" => time::Duration::hours(n),
        "d" => time::Duration::days(n),
        "w" => time::Duration::weeks(n),
        _ => return None,
    };
    Some(now - d)
}

/// Human duration: `3d 4h`, `2h 5m`, `45s`.
pub fn human_duration(secs: i64) -> String {
    let s = secs.max(0);
    let (d, h, m) = (s / 86_400, s % 86_400 / 3600, s % 3600 / 60);
    if d > 0 {
        format!("{d}d {h}h")
    } else if h > 0 {
        format!("{h}h {m}m")
    } else if m > 0 {
        format!("{m}m")
    } else {
        format!("{s}s")
    }
}

#[cfg(test)]
mod tests {
    use super::super::digest::DIGEST_VERSION;
    use super::*;

    fn item(kind: Kind, address: &str, what: &str) -> Item {
        Item {
            kind,
            account: None,
            address: Some(address.into()),
            rtype: address.split('.').next().unwrap().into(),
            id: format!("id-{address}"),
            region: None,
            status: (kind == Kind::Resource).then(|| what.to_string()),
            paths: Vec::new(),
            cause: None,
            rule_id: (kind == Kind::Finding).then(|| what.to_string()),
            severity: (kind == Kind::Finding).then(|| "high".to_string()),
            waived: false,
            message: None,
            controls: BTreeMap::new(),
        }
    }

    fn run(seq: i64, day: u32, items: Vec<Item>) -> (Run, Digest) {
        let time = format!("2026-11-{day:02}T07:00:00Z");
        let d = Digest {
            v: DIGEST_VERSION,
            started_at: time.clone(),
            complete: true,
            summary: RunSummary::default(),
            failed_types: Vec::new(),
            unobserved: Vec::new(),
            items,
            part: None,
            accounts: BTreeMap::new(),
        };
        (Run::single(seq, time, String::new(), &d), d)
    }

    #[test]
    fn first_seen_last_seen_resolved() {
        let drift = item(Kind::Resource, "aws_vpc.a", "drifted");
        let finding = item(Kind::Finding, "aws_s3_bucket.b", "HS-S3-001");
        let h = build(vec![
            run(1, 1, vec![]),
            run(2, 2, vec![drift.clone(), finding.clone()]),
            run(3, 3, vec![drift.clone(), finding.clone()]),
            run(4, 5, vec![finding.clone()]),
        ]);
        assert_eq!(h.runs.len(), 4);
        assert_eq!(h.items.len(), 2);
        let d = h.items.iter().find(|e| e.kind == Kind::Resource).unwrap();
        assert_eq!((d.first_seen_run, d.last_seen_run, d.resolved_run), (2, 3, Some(4)));
        assert_eq!(d.resolved_at.as_deref(), Some("2026-11-05T07:00:00Z"));
        assert_eq!(d.time_to_remediate_seconds, Some(3 * 86_400));
        let f = h.items.iter().find(|e| e.kind == Kind::Finding).unwrap();
        assert!(f.is_open());
        assert_eq!(f.age_seconds, Some(3 * 86_400));
        assert_eq!(
            h.remediation,
            Remediation { open: 1, resolved: 1, mean_seconds: Some(259_200.0), median_seconds: Some(259_200) }
        );
    }

    #[test]
    fn recurrence_opens_a_new_entry_and_status_change_is_a_new_item() {
        let drift = item(Kind::Resource, "aws_vpc.a", "drifted");
        let missing = item(Kind::Resource, "aws_vpc.a", "missing");
        let h = build(vec![
            run(1, 1, vec![drift.clone()]),
            run(2, 2, vec![]),
            run(3, 3, vec![drift]),
            run(4, 4, vec![missing]),
        ]);
        let runs: Vec<_> =
            h.items.iter().map(|e| (e.first_seen_run, e.resolved_run, e.status.clone().unwrap())).collect();
        assert_eq!(
            runs,
            vec![(1, Some(2), "drifted".into()), (3, Some(4), "drifted".into()), (4, None, "missing".into())]
        );
    }

    #[test]
    fn a_run_that_could_not_read_the_type_does_not_resolve() {
        let drift = item(Kind::Resource, "aws_vpc.a", "drifted");
        let (r2, mut d2) = run(2, 2, vec![]);
        d2.failed_types = vec!["aws_vpc".into()];
        let h = build(vec![run(1, 1, vec![drift.clone()]), (r2, d2), run(3, 3, vec![])]);
        assert_eq!(h.items[0].resolved_run, Some(3));
        assert_eq!(h.items[0].last_seen_run, 1);
    }

    #[test]
    fn filters() {
        let a = item(Kind::Resource, "aws_vpc.a", "drifted");
        let b = item(Kind::Resource, "aws_vpc.b", "drifted");
        let h = build(vec![run(1, 1, vec![a.clone(), b.clone()]), run(2, 2, vec![b.clone()]), run(3, 9, vec![b])]);
        let only_b = filter(h.clone(), Some("aws_vpc.b"), None);
        assert_eq!(only_b.items.len(), 1);
        assert_eq!(only_b.remediation.open, 1);
        let since = parse_since("2026-11-05", OffsetDateTime::now_utc()).unwrap();
        let recent = filter(h, None, Some(since));
        assert_eq!(recent.runs.len(), 1);
        assert_eq!(recent.items.len(), 1, "a was resolved on day 2, before the window");
    }

    #[test]
    fn since_forms() {
        let now = parse_time("2026-11-22T00:00:00Z").unwrap();
        assert_eq!(parse_since("2d", now), parse_time("2026-11-20T00:00:00Z"));
        assert_eq!(parse_since("2026-11-01T00:00:00Z", now), parse_time("2026-11-01T00:00:00Z"));
        assert!(parse_since("soon", now).is_none());
        assert_eq!(human_duration(90_000), "1d 1h");
        assert_eq!(human_duration(61), "1m");
    }
}

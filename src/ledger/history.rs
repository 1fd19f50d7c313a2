//! History over the runs of a ledger: when each drifted, missing or unmanaged resource and each
//! finding was first seen, last seen and resolved. Pure: digests in, history out.
//!
//! An item is keyed by (kind, address or type+id, status or rule id). It opens in the first run
//! that lists it and resolves in the first later run that observed it and did not list it (a
//! run whose read of the item's type failed, or that could not judge its address, neither sees
//! nor resolves it). An item that comes back after being resolved opens a new entry, so each
//! entry has one time to remediate.

use std::collections::{BTreeMap, HashMap};

use serde::Serialize;
use time::OffsetDateTime;
use time::format_description::well_known::Rfc3339;

use super::digest::{Cause, Digest, Item, Kind, RunSummary};

/// One run of the ledger, without its report.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Run {
    pub seq: i64,
    /// The record's time (the scan's start), RFC 3339.
    pub time: String,
    pub hash: String,
    pub complete: bool,
    pub summary: RunSummary,
}

/// One entry of the history (see the module doc).
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Entry {
    pub kind: Kind,
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
    pub fn subject(&self) -> String {
        match &self.address {
            Some(a) => a.clone(),
            None => format!("{}/{}", self.rtype, self.id),
        }
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
            if !digest.observes(&e.rtype, e.address.as_deref()) {
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
        };
        (Run { seq, time, hash: String::new(), complete: true, summary: RunSummary::default() }, d)
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

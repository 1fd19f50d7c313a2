//! The evidence ledger: every `plumb scan --ledger L` appends one hash-chained record holding
//! the full JSON report, so a compliance team can show controls held run after run.
//!
//! - [`chain`]: the SHA-256 chain over a canonical encoding of each record.
//! - [`store`]: one SQL code path for SQLite (a file, the default) and PostgreSQL (a team's
//!   shared ledger), with migrations and serialised appends.
//! - [`digest`]: the per-run facts history needs, derived from the report at append time.
//! - [`history`]: first seen, last seen, resolved at, time to remediate.
//! - [`snapshot`]: the live configuration of a run as text (`export`) and run-to-run `diff`.
//!
//! See docs/ledger.md.

pub mod chain;
pub mod cli;
pub mod digest;
pub mod history;
pub mod snapshot;
pub mod store;

use std::collections::BTreeMap;
use std::io::{Read, Write};

use anyhow::{Context, bail};
use serde::Serialize;

pub use digest::{Digest, Item, Kind, RunSummary};
pub use history::{Entry, History, Run};
pub use store::{Backend, display_location};

use store::Store;

/// What an append wrote.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Appended {
    pub seq: i64,
    pub hash: String,
}

/// The first record that does not match, and why.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Broken {
    pub seq: i64,
    pub reason: String,
}

/// The outcome of [`Ledger::verify`].
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Verification {
    pub intact: bool,
    /// Records checked (up to the first broken one).
    pub records: u64,
    pub head_seq: i64,
    pub head_hash: String,
    pub broken: Option<Broken>,
    /// Whether each digest was also re-derived from its report.
    pub deep: bool,
    /// Runs recorded in parts (`--run-id`, `--shard`): which parts are in, which are missing.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub runs: Vec<RunParts>,
}

/// The parts of one run id.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct RunParts {
    pub run_id: String,
    pub shards: u32,
    /// `seq` of each shard's part (the later one when a shard was recorded twice).
    pub parts: BTreeMap<u32, i64>,
    pub missing: Vec<u32>,
    /// Records superseded by a later record of the same shard (a retried job).
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub superseded: Vec<i64>,
}

pub struct Ledger {
    store: Store,
    location: String,
}

impl Ledger {
    /// Open for appending: create the ledger (and its tables) when absent, apply migrations.
    pub async fn open(location: &str) -> anyhow::Result<Ledger> {
        Ok(Ledger { store: Store::open(location, true).await?, location: location.to_string() })
    }

    /// Open an existing ledger for reading.
    pub async fn open_existing(location: &str) -> anyhow::Result<Ledger> {
        Ok(Ledger { store: Store::open(location, false).await?, location: location.to_string() })
    }

    pub fn backend(&self) -> Backend {
        self.store.backend()
    }

    /// The location for messages (no password).
    pub fn display(&self) -> String {
        display_location(&self.location)
    }

    /// Append a run: the JSON report (stored byte for byte), and optionally the run's live
    /// configuration text (stored compressed). The record's time is the report's `started_at`.
    pub async fn append(&mut self, report_json: &str, snapshot: Option<&str>) -> anyhow::Result<Appended> {
        let digest = digest::derive(report_json).context("the report to record is not a plumb JSON report")?;
        let time = if digest.started_at.is_empty() { now() } else { digest.started_at.clone() };
        self.append_derived(&time, report_json, &digest, snapshot).await
    }

    /// Append with an explicit record time (tests and benchmarks replaying past runs).
    pub async fn append_at(
        &mut self,
        time: &str,
        report_json: &str,
        snapshot: Option<&str>,
    ) -> anyhow::Result<Appended> {
        let digest = digest::derive(report_json).context("the report to record is not a plumb JSON report")?;
        self.append_derived(time, report_json, &digest, snapshot).await
    }

    async fn append_derived(
        &mut self,
        time: &str,
        report_json: &str,
        digest: &Digest,
        snapshot: Option<&str>,
    ) -> anyhow::Result<Appended> {
        let packed = snapshot.map(compress).transpose()?;
        let (seq, hash) = self
            .store
            .append(time, report_json, &digest.to_json(), packed.as_deref())
            .await
            .with_context(|| format!("appending to ledger {}", self.display()))?;
        Ok(Appended { seq, hash })
    }

    /// Recompute the chain from the first record; stop at the first record that does not
    /// match. `deep` also re-derives each record's digest from its report.
    pub async fn verify(&mut self, deep: bool) -> anyhow::Result<Verification> {
        let (head_seq, head_hash) = self.store.head().await?;
        let mut expected = 1i64;
        let mut prev = chain::GENESIS.to_string();
        let mut broken: Option<Broken> = None;
        self.store
            .scan(|r| {
                let fail = |reason: String| Some(Broken { seq: r.seq.min(expected), reason });
                if r.seq != expected {
                    broken = if r.seq > expected {
                        Some(Broken {
                            seq: expected,
                            reason: format!("record {expected} is missing (the next stored record is {})", r.seq),
                        })
                    } else {
                        fail(format!("record {} is out of sequence (expected {expected})", r.seq))
                    };
                    return Ok(false);
                }
                if r.prev_hash != prev {
                    broken = fail(format!(
                        "record {} does not link to record {}: its previous hash is {}, record {} hashes to {}",
                        r.seq,
                        r.seq - 1,
                        short(&r.prev_hash),
                        r.seq - 1,
                        short(&prev)
                    ));
                    return Ok(false);
                }
                let computed = chain::record_hash(&r.bytes());
                if computed != r.hash {
                    broken = fail(format!(
                        "record {} was changed: its stored bytes hash to {}, the chain recorded {}",
                        r.seq,
                        short(&computed),
                        short(&r.hash)
                    ));
                    return Ok(false);
                }
                if deep {
                    let stored: Result<Digest, _> = serde_json::from_str(&r.digest);
                    match stored {
                        Ok(d) if d.v != digest::DIGEST_VERSION => {}
                        Ok(d) => match digest::derive(&r.report) {
                            Ok(again) if again == d => {}
                            Ok(_) => {
                                broken =
                                    fail(format!("record {}: its history digest does not match its report", r.seq));
                                return Ok(false);
                            }
                            Err(e) => {
                                broken = fail(format!("record {}: its report is not valid JSON: {e}", r.seq));
                                return Ok(false);
                            }
                        },
                        Err(e) => {
                            broken = fail(format!("record {}: its history digest is not valid: {e}", r.seq));
                            return Ok(false);
                        }
                    }
                }
                prev = r.hash;
                expected += 1;
                Ok(true)
            })
            .await
            .with_context(|| format!("reading ledger {}", self.display()))?;
        let last = expected - 1;
        if broken.is_none() && (head_seq != last || head_hash != prev) {
            broken = Some(Broken {
                seq: if head_seq > last { last + 1 } else { head_seq.max(1) },
                reason: if head_seq > last {
                    format!(
                        "the head names record {head_seq} but the chain ends at record {last}: records were removed from the end"
                    )
                } else {
                    format!(
                        "the head (record {head_seq}, {}) does not match the chain's last record {last} ({})",
                        short(&head_hash),
                        short(&prev)
                    )
                },
            });
        }
        let runs = if broken.is_none() { self.run_parts().await? } else { Vec::new() };
        Ok(Verification {
            intact: broken.is_none(),
            records: last.max(0) as u64,
            head_seq,
            head_hash,
            broken,
            deep,
            runs,
        })
    }

    /// The runs recorded in parts, from the records' digests.
    async fn run_parts(&mut self) -> anyhow::Result<Vec<RunParts>> {
        let rows = self.store.index().await.with_context(|| format!("reading ledger {}", self.display()))?;
        let mut out: Vec<RunParts> = Vec::new();
        for row in rows {
            let Ok(d) = serde_json::from_str::<Digest>(&row.digest) else { continue };
            let Some(p) = d.part else { continue };
            let i = match out.iter().position(|r| r.run_id == p.run_id) {
                Some(i) => i,
                None => {
                    out.push(RunParts {
                        run_id: p.run_id.clone(),
                        shards: 0,
                        parts: BTreeMap::new(),
                        missing: Vec::new(),
                        superseded: Vec::new(),
                    });
                    out.len() - 1
                }
            };
            let r = &mut out[i];
            r.shards = r.shards.max(p.shards);
            if let Some(old) = r.parts.insert(p.shard, row.seq) {
                r.superseded.push(old);
            }
        }
        for r in &mut out {
            r.missing = (0..r.shards).filter(|s| !r.parts.contains_key(s)).collect();
        }
        Ok(out)
    }

    /// Every run (sequence order) and every item's history.
    pub async fn history(&mut self) -> anyhow::Result<History> {
        let rows = self.store.index().await.with_context(|| format!("reading ledger {}", self.display()))?;
        let mut runs = Vec::with_capacity(rows.len());
        for row in rows {
            let d: Digest = serde_json::from_str(&row.digest).with_context(|| {
                format!("record {}: unreadable history digest (run `plumb ledger verify`)", row.seq)
            })?;
            runs.push((Run::single(row.seq, row.time, row.hash, &d), d));
        }
        Ok(history::build(history::group(runs)))
    }

    /// The stored JSON report of a run.
    pub async fn report(&mut self, seq: i64) -> anyhow::Result<String> {
        Ok(self.record(seq).await?.report)
    }

    /// The live configuration text of a run, and the run's time.
    pub async fn snapshot(&mut self, seq: i64) -> anyhow::Result<(String, String)> {
        let r = self.record(seq).await?;
        match r.snapshot {
            Some(bytes) => Ok((r.time, decompress(&bytes).with_context(|| format!("run {seq}: unreadable snapshot"))?)),
            None => bail!("run {seq} has no live configuration snapshot (it was recorded without one)"),
        }
    }

    async fn record(&mut self, seq: i64) -> anyhow::Result<store::StoredRecord> {
        match self.store.record(seq).await? {
            Some(r) => Ok(r),
            None => {
                let (head, _) = self.store.head().await?;
                if head == 0 {
                    bail!("ledger {} has no runs", self.display())
                }
                bail!("ledger {} has no run {seq} (runs 1 to {head})", self.display())
            }
        }
    }

    /// The latest run's sequence number (0 when empty).
    pub async fn head(&mut self) -> anyhow::Result<(i64, String)> {
        self.store.head().await
    }

    pub async fn close(self) {
        self.store.close().await
    }
}

/// A ledger location Plumb can use: a file path, `sqlite:PATH`, or `postgres://...`
/// (`postgresql://`). Any other URL scheme (`mysql://`) is an error, not a file name.
pub fn check_location(location: &str) -> Result<(), miette::Report> {
    let scheme = location.split_once("://").map(|(s, _)| s);
    match scheme {
        None | Some("postgres" | "postgresql") => Ok(()),
        Some(s) if location.starts_with("sqlite:") && s == "sqlite" => Ok(()),
        Some(s) => Err(miette::miette!(
            help = "use a file path (SQLite) or postgres://user@host/db",
            "ledger {}: unsupported URL scheme {s}://",
            display_location(location)
        )),
    }
}

/// Append one run to the ledger at `location` (created when absent).
pub async fn record(location: &str, report_json: &str, snapshot: Option<&str>) -> anyhow::Result<Appended> {
    let mut l = Ledger::open(location).await?;
    let out = l.append(report_json, snapshot).await;
    l.close().await;
    out
}

/// Render a verification for people.
pub fn verification_text(v: &Verification, location: &str) -> String {
    let mut out = match &v.broken {
        None => format!(
            "ledger {location}: intact, {} record{} (head {} {})\n",
            v.records,
            if v.records == 1 { "" } else { "s" },
            v.head_seq,
            v.head_hash
        ),
        Some(b) => format!("ledger {location}: BROKEN at record {}: {}\n", b.seq, b.reason),
    };
    for r in &v.runs {
        let seqs: Vec<String> = r.parts.iter().map(|(shard, seq)| format!("{shard}:#{seq}")).collect();
        let state = if r.missing.is_empty() {
            "all parts in".to_string()
        } else {
            let m: Vec<String> = r.missing.iter().map(u32::to_string).collect();
            format!("INCOMPLETE, missing shard{} {}", if m.len() == 1 { "" } else { "s" }, m.join(", "))
        };
        writeln_str(
            &mut out,
            format!(
                "  run {}: {} of {} parts ({}): {state}{}",
                r.run_id,
                r.parts.len(),
                r.shards,
                seqs.join(", "),
                if r.superseded.is_empty() {
                    String::new()
                } else {
                    format!(
                        "; superseded by a later part: {}",
                        r.superseded.iter().map(|s| format!("#{s}")).collect::<Vec<_>>().join(", ")
                    )
                }
            ),
        );
    }
    out
}

fn writeln_str(out: &mut String, line: String) {
    out.push_str(&line);
    out.push('\n');
}

/// `history --format text`. Runs over several accounts list their items per account.
pub fn history_text(h: &History) -> String {
    use std::fmt::Write as _;
    let mut out = String::new();
    let _ = writeln!(out, "{} run{}", h.runs.len(), if h.runs.len() == 1 { "" } else { "s" });
    for r in &h.runs {
        let s = &r.summary;
        let mut notes = String::new();
        if let Some(id) = &r.run_id {
            let _ = write!(notes, "  run id {id}");
        }
        if let Some(n) = r.shards {
            let _ = write!(notes, ", {} of {n} parts", r.parts.len());
            if !r.missing_shards.is_empty() {
                let m: Vec<String> = r.missing_shards.iter().map(u32::to_string).collect();
                let _ = write!(notes, " (missing shard {})", m.join(", "));
            }
        }
        if !r.accounts.is_empty() {
            let bad = r.accounts.values().filter(|a| !a.complete).count();
            let _ = write!(notes, "  accounts {}", r.accounts.len());
            if bad > 0 {
                let _ = write!(notes, " ({bad} incomplete)");
            }
        }
        let _ = writeln!(
            out,
            "  run {:>4}  {}  in_sync {:>5}  drifted {:>4}  missing {:>4}  unmanaged {:>4}  findings {:>4}{}{notes}",
            r.seq,
            r.time,
            s.in_sync,
            s.drifted,
            s.missing,
            s.unmanaged,
            s.findings.open(),
            if r.complete { "" } else { "  (incomplete)" }
        );
    }
    let _ = writeln!(
        out,
        "\n{} item{} ({} open, {} resolved)",
        h.items.len(),
        if h.items.len() == 1 { "" } else { "s" },
        h.remediation.open,
        h.remediation.resolved
    );
    // Items per account (those of single-account runs, without one, first), then as built.
    let mut items: Vec<&Entry> = h.items.iter().collect();
    items.sort_by(|a, b| a.account.cmp(&b.account));
    let names: BTreeMap<&str, &str> = h
        .runs
        .iter()
        .flat_map(|r| r.accounts.iter())
        .filter(|(_, a)| !a.name.is_empty())
        .map(|(id, a)| (id.as_str(), a.name.as_str()))
        .collect();
    let mut current: Option<&str> = None;
    for e in items {
        if let Some(acct) = e.account.as_deref()
            && current != Some(acct)
        {
            current = Some(acct);
            let _ = match names.get(acct) {
                Some(n) => writeln!(out, "  account {acct} ({n})"),
                None => writeln!(out, "  account {acct}"),
            };
        }
        let what = match e.kind {
            Kind::Resource => e.status.clone().unwrap_or_default(),
            Kind::Finding => format!("{} {}", e.rule_id.as_deref().unwrap_or(""), e.severity.as_deref().unwrap_or("")),
        };
        let state = match (&e.resolved_at, e.time_to_remediate_seconds, e.age_seconds) {
            (Some(at), Some(s), _) => {
                format!("resolved {at} (run {}) after {}", e.resolved_run.unwrap_or(0), history::human_duration(s))
            }
            (Some(at), None, _) => format!("resolved {at} (run {})", e.resolved_run.unwrap_or(0)),
            (None, _, Some(age)) => format!("OPEN for {}", history::human_duration(age)),
            (None, _, None) => "OPEN".to_string(),
        };
        // Under its account's heading an item is named by its address alone.
        let subject = digest::subject(None, e.address.as_deref(), &e.rtype, &e.id);
        let _ = writeln!(
            out,
            "  {}{:<8} {:<10} {}  first seen {} (run {}), last seen {} (run {}), {}",
            if e.account.is_some() { "  " } else { "" },
            e.kind.as_str(),
            what,
            subject,
            e.first_seen,
            e.first_seen_run,
            e.last_seen,
            e.last_seen_run,
            state
        );
    }
    match h.remediation.mean_seconds {
        Some(m) => {
            let _ = writeln!(
                out,
                "\nmean time to remediate: {} over {} resolved item(s)",
                history::human_duration(m.round() as i64),
                h.remediation.resolved
            );
        }
        None => {
            let _ = writeln!(out, "\nmean time to remediate: n/a (nothing resolved yet)");
        }
    }
    out
}

fn short(hash: &str) -> String {
    hash.chars().take(12).collect()
}

fn now() -> String {
    time::OffsetDateTime::now_utc()
        .replace_nanosecond(0)
        .unwrap_or(time::OffsetDateTime::UNIX_EPOCH)
        .format(&time::format_description::well_known::Rfc3339)
        .unwrap_or_default()
}

fn compress(text: &str) -> anyhow::Result<Vec<u8>> {
    let mut enc = flate2::write::ZlibEncoder::new(Vec::new(), flate2::Compression::default());
    enc.write_all(text.as_bytes())?;
    Ok(enc.finish()?)
}

fn decompress(bytes: &[u8]) -> anyhow::Result<String> {
    let mut s = String::new();
    flate2::read::ZlibDecoder::new(bytes).read_to_string(&mut s)?;
    Ok(s)
}

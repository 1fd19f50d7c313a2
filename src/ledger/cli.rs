//! The ledger's commands: `ledger verify`, `history`, `export`, `diff` (and the data behind
//! `report`, which `app` renders with `report::html`). Exit codes: 0 ok; 1 a broken chain
//! (verify) or a difference (diff); 2 errors (returned as `Err`).

use anyhow::{Context, anyhow};

use super::{History, Ledger, Verification, history};
use crate::cli::{DiffArgs, ExportArgs, HistoryArgs, LedgerArgs, LedgerCommand};

use super::store::display_location;
use crate::report::Format;

use crate::report::write_out;

pub async fn ledger(args: LedgerArgs) -> anyhow::Result<u8> {
    match args.command {
        LedgerCommand::Verify(a) => {
            let mut l = Ledger::open_existing(&a.ledger).await?;
            let v = l.verify(!a.quick).await?;
            let shown = l.display();
            l.close().await;
            let text = match a.format {
                Format::Json => serde_json::to_string_pretty(&v)? + "\n",
                Format::Text => super::verification_text(&v, &shown),
            };
            write_out(&text, None)?;
            Ok(if v.intact { 0 } else { 1 })
        }
        LedgerCommand::Append(a) => {
            let report =
                std::fs::read_to_string(&a.report).with_context(|| format!("reading {}", a.report.display()))?;
            let snapshot = match &a.snapshot {
                Some(p) => Some(std::fs::read_to_string(p).with_context(|| format!("reading {}", p.display()))?),
                None => None,
            };
            let rec = super::record(&a.ledger, &report, snapshot.as_deref()).await?;
            eprintln!(
                "plumb: recorded run {} in ledger {} (hash {})",
                rec.seq,
                display_location(&a.ledger),
                &rec.hash[..16]
            );
            Ok(0)
        }
    }
}

pub async fn history(args: HistoryArgs) -> anyhow::Result<u8> {
    let now = time::OffsetDateTime::now_utc();
    let since = match &args.since {
        Some(s) => Some(history::parse_since(s, now).ok_or_else(|| {
            anyhow!("--since {s}: expected a duration (30d, 12h), a date (2026-11-01) or an RFC 3339 time")
        })?),
        None => None,
    };
    let mut l = Ledger::open_existing(&args.ledger).await?;
    let h = l.history().await;
    l.close().await;
    let h = history::filter(h?, args.address.as_deref(), since);
    let text = match args.format {
        Format::Json => serde_json::to_string_pretty(&h)? + "\n",
        Format::Text => super::history_text(&h),
    };
    write_out(&text, args.output.as_deref())?;
    Ok(0)
}

/// History and a full verification, for the HTML report; plus the ledger's display name.
pub async fn load_for_report(location: &str) -> anyhow::Result<(History, Verification, String)> {
    let mut l = Ledger::open_existing(location).await?;
    // The chain only: every stored byte is covered by the hashes, and re-deriving each digest
    // (what `ledger verify` adds) is a consistency check of the writer, not of the storage.
    let v = l.verify(false).await;
    let h = l.history().await;
    let shown = l.display();
    l.close().await;
    Ok((h?, v?, shown))
}

/// The stored JSON report of one run.
pub async fn report_of(location: &str, seq: i64) -> anyhow::Result<String> {
    let mut l = Ledger::open_existing(location).await?;
    let r = l.report(seq).await;
    l.close().await;
    r
}

async fn run_or_latest(l: &mut Ledger, run: Option<i64>) -> anyhow::Result<i64> {
    match run {
        Some(n) => Ok(n),
        None => match l.head().await?.0 {
            0 => Err(anyhow!("ledger {} has no runs", l.display())),
            n => Ok(n),
        },
    }
}

pub async fn export(args: ExportArgs) -> anyhow::Result<u8> {
    let mut l = Ledger::open_existing(&args.ledger).await?;
    let result = async {
        let seq = run_or_latest(&mut l, args.run).await?;
        let (time, text) = l.snapshot(seq).await?;
        Ok::<_, anyhow::Error>(format!("# run {seq} at {time}\n{text}"))
    }
    .await;
    l.close().await;
    write_out(&result?, args.output.as_deref())?;
    Ok(0)
}

pub async fn diff(args: DiffArgs) -> anyhow::Result<u8> {
    let mut l = Ledger::open_existing(&args.ledger).await?;
    let result = async {
        let (ta, a) = l.snapshot(args.run_a).await?;
        let (tb, b) = l.snapshot(args.run_b).await?;
        Ok::<_, anyhow::Error>(super::snapshot::diff(
            &format!("run {} ({ta})", args.run_a),
            &a,
            &format!("run {} ({tb})", args.run_b),
            &b,
        ))
    }
    .await;
    l.close().await;
    let text = result?;
    if text.is_empty() {
        eprintln!("plumb: runs {} and {} have the same live configuration", args.run_a, args.run_b);
        return Ok(0);
    }
    write_out(&text, args.output.as_deref())?;
    Ok(1)
}

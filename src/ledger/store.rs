//! The SQL layer: one code path for SQLite and PostgreSQL through sqlx's `Any` driver.
//!
//! Tables (created by the migrations below, the same columns on both backends):
//!
//! - `plumb_ledger_records(seq, time, prev_hash, hash, digest, report, snapshot)`: one row per
//!   run; the small columns come first so SQLite reads `seq..digest` without walking the
//!   report's overflow pages.
//! - `plumb_ledger_head(id = 1, seq, hash)`: the chain's head, updated with every append. Its
//!   row is the append lock on PostgreSQL (`SELECT ... FOR UPDATE`); on SQLite the append runs
//!   in a `BEGIN IMMEDIATE` transaction, which takes the database's write lock up front. Either
//!   way two writers never read the same head, so the chain cannot fork.
//! - `plumb_ledger_migrations(version, name, applied_at)`.

use std::time::Duration;

use anyhow::{Context, anyhow, bail};
use futures::TryStreamExt;
use sqlx::{AnyConnection, Connection, Row};

use super::chain::{self, GENESIS, RecordBytes};

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Backend {
    Sqlite,
    Postgres,
}

struct Migration {
    version: i64,
    name: &'static str,
    sqlite: &'static [&'static str],
    postgres: &'static [&'static str],
}

const CREATE_MIGRATIONS: &str = "CREATE TABLE IF NOT EXISTS plumb_ledger_migrations (\
    version BIGINT PRIMARY KEY, name TEXT NOT NULL, applied_at TEXT NOT NULL)";

const MIGRATIONS: &[Migration] = &[Migration {
    version: 1,
    name: "records and head",
    sqlite: &[
        "CREATE TABLE plumb_ledger_records (
            seq BIGINT PRIMARY KEY,
            time TEXT NOT NULL,
            prev_hash TEXT NOT NULL,
            hash TEXT NOT NULL,
            digest TEXT NOT NULL,
            report TEXT NOT NULL,
            snapshot BLOB
        )",
        "CREATE TABLE plumb_ledger_head (id BIGINT PRIMARY KEY, seq BIGINT NOT NULL, hash TEXT NOT NULL)",
        "INSERT INTO plumb_ledger_head (id, seq, hash)
            VALUES (1, 0, '0000000000000000000000000000000000000000000000000000000000000000')",
    ],
    postgres: &[
        "CREATE TABLE plumb_ledger_records (
            seq BIGINT PRIMARY KEY,
            time TEXT NOT NULL,
            prev_hash TEXT NOT NULL,
            hash TEXT NOT NULL,
            digest TEXT NOT NULL,
            report TEXT NOT NULL,
            snapshot BYTEA
        )",
        "CREATE TABLE plumb_ledger_head (id BIGINT PRIMARY KEY, seq BIGINT NOT NULL, hash TEXT NOT NULL)",
        "INSERT INTO plumb_ledger_head (id, seq, hash)
            VALUES (1, 0, '0000000000000000000000000000000000000000000000000000000000000000')",
    ],
}];

/// The schema version this build writes and reads.
pub fn schema_version() -> i64 {
    MIGRATIONS.last().map_or(0, |m| m.version)
}

/// One stored record, all columns.
#[derive(Debug, Clone)]
pub struct StoredRecord {
    pub seq: i64,
    pub time: String,
    pub prev_hash: String,
    pub hash: String,
    pub digest: String,
    pub report: String,
    pub snapshot: Option<Vec<u8>>,
}

impl StoredRecord {
    pub fn bytes(&self) -> RecordBytes<'_> {
        RecordBytes {
            seq: self.seq,
            time: &self.time,
            report: self.report.as_bytes(),
            digest: self.digest.as_bytes(),
            snapshot: self.snapshot.as_deref(),
            prev_hash: &self.prev_hash,
        }
    }
}

/// The columns `history` reads.
#[derive(Debug, Clone)]
pub struct IndexRow {
    pub seq: i64,
    pub time: String,
    pub hash: String,
    pub digest: String,
}

pub struct Store {
    conn: AnyConnection,
    backend: Backend,
}

/// `postgres://...` / `postgresql://...` for PostgreSQL; `sqlite:...` or a file path for SQLite.
pub fn backend_of(location: &str) -> Backend {
    if location.starts_with("postgres://") || location.starts_with("postgresql://") {
        Backend::Postgres
    } else {
        Backend::Sqlite
    }
}

/// The location with any password removed, for messages.
pub fn display_location(location: &str) -> String {
    if backend_of(location) == Backend::Sqlite {
        return location.to_string();
    }
    // scheme://user:password@host/db -> scheme://user@host/db
    if let Some((scheme, rest)) = location.split_once("://")
        && let Some((creds, host)) = rest.split_once('@')
    {
        let user = creds.split(':').next().unwrap_or("");
        return format!("{scheme}://{user}@{host}");
    }
    location.to_string()
}

fn sqlite_url(location: &str, create: bool) -> String {
    if location.starts_with("sqlite:") {
        return location.to_string();
    }
    let mut path = String::new();
    for b in location.bytes() {
        if b.is_ascii_alphanumeric() || b"/._-~".contains(&b) {
            path.push(b as char);
        } else {
            path.push_str(&format!("%{b:02X}"));
        }
    }
    format!("sqlite://{path}?mode={}", if create { "rwc" } else { "rw" })
}

impl Store {
    /// Open a ledger. `create`: create the database (SQLite) and tables when absent, and apply
    /// pending migrations; otherwise the ledger must exist at this build's schema version.
    pub async fn open(location: &str, create: bool) -> anyhow::Result<Store> {
        sqlx::any::install_default_drivers();
        let backend = backend_of(location);
        let shown = display_location(location);
        if let Some((scheme, _)) = location.split_once("://")
            && !matches!(scheme, "postgres" | "postgresql" | "sqlite")
        {
            bail!(
                "ledger {shown}: unsupported URL scheme {scheme}:// (use a file path for SQLite, or postgres://user@host/db)"
            );
        }
        if backend == Backend::Sqlite
            && !create
            && !location.starts_with("sqlite:")
            && !std::path::Path::new(location).exists()
        {
            bail!("no ledger at {shown}");
        }
        let url = match backend {
            Backend::Sqlite => sqlite_url(location, create),
            Backend::Postgres => location.to_string(),
        };
        let mut conn = connect(&url).await.with_context(|| format!("opening ledger {shown}"))?;
        if backend == Backend::Sqlite {
            // Concurrent nightly jobs wait for each other's append instead of failing.
            sqlx::query("PRAGMA busy_timeout = 60000").execute(&mut conn).await?;
        }
        let mut store = Store { conn, backend };
        if create {
            store.migrate().await.with_context(|| format!("migrating ledger {shown}"))?;
        } else {
            let v = store.version().await.with_context(|| format!("reading ledger {shown}"))?;
            if v != schema_version() {
                bail!(
                    "ledger {shown} has schema version {v}, this plumb reads version {}{}",
                    schema_version(),
                    if v < schema_version() { " (a `plumb scan --ledger` with this version migrates it)" } else { "" }
                );
            }
        }
        Ok(store)
    }

    pub fn backend(&self) -> Backend {
        self.backend
    }

    async fn version(&mut self) -> anyhow::Result<i64> {
        let row = sqlx::query("SELECT COALESCE(MAX(version), 0) AS v FROM plumb_ledger_migrations")
            .fetch_one(&mut self.conn)
            .await
            .map_err(|e| anyhow!("not a plumb ledger (no migrations table): {e}"))?;
        Ok(row.try_get::<i64, _>("v")?)
    }

    async fn migrate(&mut self) -> anyhow::Result<()> {
        let backend = self.backend;
        let mut tx = match backend {
            Backend::Sqlite => self.conn.begin_with("BEGIN IMMEDIATE").await?,
            Backend::Postgres => {
                let mut tx = self.conn.begin().await?;
                // Two first runs at once: the second waits here, then finds the tables made.
                sqlx::query("SELECT 1 AS locked FROM pg_advisory_xact_lock(7170756)").fetch_one(&mut *tx).await?;
                tx
            }
        };
        sqlx::query(CREATE_MIGRATIONS).execute(&mut *tx).await?;
        let row = sqlx::query("SELECT COALESCE(MAX(version), 0) AS v FROM plumb_ledger_migrations")
            .fetch_one(&mut *tx)
            .await?;
        let current: i64 = row.try_get("v")?;
        if current > schema_version() {
            bail!(
                "the ledger has schema version {current}, newer than this plumb ({}): upgrade plumb",
                schema_version()
            );
        }
        for m in MIGRATIONS.iter().filter(|m| m.version > current) {
            let statements = match backend {
                Backend::Sqlite => m.sqlite,
                Backend::Postgres => m.postgres,
            };
            for s in statements {
                sqlx::query(*s)
                    .execute(&mut *tx)
                    .await
                    .with_context(|| format!("migration {} ({})", m.version, m.name))?;
            }
            sqlx::query("INSERT INTO plumb_ledger_migrations (version, name, applied_at) VALUES ($1, $2, $3)")
                .bind(m.version)
                .bind(m.name)
                .bind(now_rfc3339())
                .execute(&mut *tx)
                .await?;
        }
        tx.commit().await?;
        Ok(())
    }

    /// Append one record after the head, atomically; returns (seq, hash).
    pub async fn append(
        &mut self,
        time: &str,
        report: &str,
        digest: &str,
        snapshot: Option<&[u8]>,
    ) -> anyhow::Result<(i64, String)> {
        let backend = self.backend;
        let mut tx = match backend {
            Backend::Sqlite => self.conn.begin_with("BEGIN IMMEDIATE").await?,
            Backend::Postgres => self.conn.begin().await?,
        };
        let head = match backend {
            Backend::Sqlite => {
                sqlx::query("SELECT seq, hash FROM plumb_ledger_head WHERE id = 1").fetch_one(&mut *tx).await?
            }
            Backend::Postgres => {
                sqlx::query("SELECT seq, hash FROM plumb_ledger_head WHERE id = 1 FOR UPDATE")
                    .fetch_one(&mut *tx)
                    .await?
            }
        };
        let head_seq: i64 = head.try_get("seq")?;
        let head_hash: String = head.try_get("hash")?;
        let seq = head_seq + 1;
        let hash = chain::record_hash(&RecordBytes {
            seq,
            time,
            report: report.as_bytes(),
            digest: digest.as_bytes(),
            snapshot,
            prev_hash: &head_hash,
        });
        sqlx::query(
            "INSERT INTO plumb_ledger_records (seq, time, prev_hash, hash, digest, report, snapshot)
             VALUES ($1, $2, $3, $4, $5, $6, $7)",
        )
        .bind(seq)
        .bind(time)
        .bind(&head_hash)
        .bind(&hash)
        .bind(digest)
        .bind(report)
        .bind(snapshot.map(<[u8]>::to_vec))
        .execute(&mut *tx)
        .await?;
        sqlx::query("UPDATE plumb_ledger_head SET seq = $1, hash = $2 WHERE id = 1")
            .bind(seq)
            .bind(&hash)
            .execute(&mut *tx)
            .await?;
        tx.commit().await?;
        Ok((seq, hash))
    }

    /// The head: (seq, hash); (0, GENESIS) for an empty ledger.
    pub async fn head(&mut self) -> anyhow::Result<(i64, String)> {
        let row =
            sqlx::query("SELECT seq, hash FROM plumb_ledger_head WHERE id = 1").fetch_optional(&mut self.conn).await?;
        Ok(match row {
            Some(r) => (r.try_get("seq")?, r.try_get("hash")?),
            None => (0, GENESIS.to_string()),
        })
    }

    /// `seq, time, hash, digest` of every record, in sequence order.
    pub async fn index(&mut self) -> anyhow::Result<Vec<IndexRow>> {
        let rows = sqlx::query("SELECT seq, time, hash, digest FROM plumb_ledger_records ORDER BY seq")
            .fetch_all(&mut self.conn)
            .await?;
        rows.iter()
            .map(|r| {
                Ok(IndexRow {
                    seq: r.try_get("seq")?,
                    time: r.try_get("time")?,
                    hash: r.try_get("hash")?,
                    digest: r.try_get("digest")?,
                })
            })
            .collect()
    }

    /// One record, all columns.
    pub async fn record(&mut self, seq: i64) -> anyhow::Result<Option<StoredRecord>> {
        let row = sqlx::query(
            "SELECT seq, time, prev_hash, hash, digest, report, snapshot FROM plumb_ledger_records WHERE seq = $1",
        )
        .bind(seq)
        .fetch_optional(&mut self.conn)
        .await?;
        row.map(|r| to_record(&r)).transpose()
    }

    /// Visit every record in sequence order, one at a time (a ledger can hold gigabytes);
    /// `visit` returns false to stop.
    pub async fn scan(&mut self, mut visit: impl FnMut(StoredRecord) -> anyhow::Result<bool>) -> anyhow::Result<()> {
        let mut rows = sqlx::query(
            "SELECT seq, time, prev_hash, hash, digest, report, snapshot FROM plumb_ledger_records ORDER BY seq",
        )
        .fetch(&mut self.conn);
        while let Some(row) = rows.try_next().await? {
            if !visit(to_record(&row)?)? {
                break;
            }
        }
        Ok(())
    }

    pub async fn close(self) {
        let _ = self.conn.close().await;
    }
}

fn to_record(r: &sqlx::any::AnyRow) -> anyhow::Result<StoredRecord> {
    Ok(StoredRecord {
        seq: r.try_get("seq")?,
        time: r.try_get("time")?,
        prev_hash: r.try_get("prev_hash")?,
        hash: r.try_get("hash")?,
        digest: r.try_get("digest")?,
        report: r.try_get("report")?,
        snapshot: r.try_get("snapshot")?,
    })
}

/// Connect, retrying a refused connection briefly (a server that is still starting).
async fn connect(url: &str) -> Result<AnyConnection, sqlx::Error> {
    let mut attempt = 0;
    loop {
        match AnyConnection::connect(url).await {
            Err(sqlx::Error::Io(e)) if attempt < 3 && e.kind() == std::io::ErrorKind::ConnectionRefused => {
                attempt += 1;
                tokio::time::sleep(Duration::from_millis(200 * attempt)).await;
            }
            r => return r,
        }
    }
}

fn now_rfc3339() -> String {
    time::OffsetDateTime::now_utc()
        .replace_nanosecond(0)
        .unwrap_or(time::OffsetDateTime::UNIX_EPOCH)
        .format(&time::format_description::well_known::Rfc3339)
        .unwrap_or_default()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn locations() {
        assert_eq!(backend_of("postgres://u@h/db"), Backend::Postgres);
        assert_eq!(backend_of("ledger.db"), Backend::Sqlite);
        assert_eq!(display_location("postgres://u:secret@h:5432/db"), "postgres://u@h:5432/db");
        assert_eq!(sqlite_url("/tmp/a b?.db", true), "sqlite:///tmp/a%20b%3F.db?mode=rwc");
        assert_eq!(sqlite_url("rel.db", false), "sqlite://rel.db?mode=rw");
    }
}

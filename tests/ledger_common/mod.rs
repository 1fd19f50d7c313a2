//! Helpers for the ledger tests: the backends to run each test on (a SQLite file always, and a
//! PostgreSQL database whenever PostgreSQL's binaries are installed), synthetic reports, and
//! raw SQL for tampering.
//!
//! PostgreSQL: `PLUMB_TEST_POSTGRES` (an admin URL, as `.ci/run` exports from `scripts/pg.sh`)
//! names a running server; otherwise the first test that needs one starts a throwaway server
//! with `scripts/pg.sh start` (initdb in a temporary folder, 127.0.0.1, a free port) and a
//! watchdog process stops it when the test binary exits. Each test gets its own database.
//! Without binaries the PostgreSQL half is skipped with a message, except under CI (`CI` set)
//! or with `PLUMB_REQUIRE_POSTGRES` set, where that is a failure.
#![allow(dead_code)]

use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::sync::OnceLock;
use std::sync::atomic::{AtomicUsize, Ordering};

use serde_json::{Value, json};
use sqlx::Connection;

pub fn root() -> &'static Path {
    Path::new(env!("CARGO_MANIFEST_DIR"))
}

/// A ledger location to test against.
#[derive(Debug, Clone)]
pub struct Target {
    /// `sqlite` or `postgres`.
    pub name: &'static str,
    pub location: String,
    /// Keeps the SQLite file's folder alive.
    _dir: Option<std::sync::Arc<tempfile::TempDir>>,
}

static SEQ: AtomicUsize = AtomicUsize::new(0);

fn required() -> bool {
    std::env::var_os("CI").is_some_and(|v| !v.is_empty() && v != "false" && v != "0")
        || std::env::var_os("PLUMB_REQUIRE_POSTGRES").is_some()
}

struct Server {
    admin_url: String,
}

fn server() -> Option<&'static Server> {
    static SERVER: OnceLock<Option<Server>> = OnceLock::new();
    SERVER
        .get_or_init(|| {
            if let Ok(url) = std::env::var("PLUMB_TEST_POSTGRES") {
                if !url.is_empty() {
                    return Some(Server { admin_url: url });
                }
            }
            let script = root().join("scripts/pg.sh");
            let found = Command::new(&script).arg("bin").stdout(Stdio::null()).stderr(Stdio::null()).status();
            if !found.is_ok_and(|s| s.success()) {
                if required() {
                    panic!("PostgreSQL binaries not found (initdb, pg_ctl under /usr/lib/postgresql/*/bin): CI must run the PostgreSQL tests; install the `postgresql` package");
                }
                eprintln!("ledger tests: PostgreSQL binaries not found; running the SQLite half only");
                return None;
            }
            let dir = std::env::temp_dir().join(format!("plumb-pg-{}-{}", std::process::id(), SEQ.fetch_add(1, Ordering::SeqCst)));
            let out = Command::new(&script).arg("start").arg(&dir).output().expect("run scripts/pg.sh start");
            assert!(
                out.status.success(),
                "scripts/pg.sh start failed: {}{}",
                String::from_utf8_lossy(&out.stdout),
                String::from_utf8_lossy(&out.stderr)
            );
            let url = String::from_utf8_lossy(&out.stdout).trim().to_string();
            // Stop the server when this test binary exits, however it exits.
            let watchdog = format!(
                "while kill -0 {pid} 2>/dev/null; do sleep 0.5; done; exec {script} stop {dir}",
                pid = std::process::id(),
                script = script.display(),
                dir = dir.display()
            );
            Command::new("sh")
                .args(["-c", &watchdog])
                .stdin(Stdio::null())
                .stdout(Stdio::null())
                .stderr(Stdio::null())
                .spawn()
                .expect("spawn the PostgreSQL watchdog");
            Some(Server { admin_url: url })
        })
        .as_ref()
}

/// Run a future to completion on a private runtime, on another thread (callable from inside
/// an async test).
pub fn block<F: std::future::Future + Send + 'static>(f: F) -> F::Output
where
    F::Output: Send + 'static,
{
    std::thread::spawn(move || tokio::runtime::Builder::new_current_thread().enable_all().build().unwrap().block_on(f))
        .join()
        .expect("helper thread panicked")
}

fn fresh_postgres(label: &str) -> Option<String> {
    let server = server()?;
    let name = format!(
        "plumb_{}_{}_{}",
        label.replace(|c: char| !c.is_ascii_alphanumeric(), "_"),
        std::process::id(),
        SEQ.fetch_add(1, Ordering::SeqCst)
    );
    let admin = server.admin_url.clone();
    let create = format!("CREATE DATABASE \"{name}\"");
    block(async move {
        sqlx::any::install_default_drivers();
        let mut c = sqlx::AnyConnection::connect(&admin).await.expect("connect to the test PostgreSQL server");
        sqlx::raw_sql(sqlx::AssertSqlSafe(create)).execute(&mut c).await.expect("create a test database");
        let _ = c.close().await;
    });
    let base = server.admin_url.rsplit_once('/').map(|(b, _)| b.to_string()).unwrap();
    Some(format!("{base}/{name}"))
}

/// A SQLite file in a fresh folder.
pub fn sqlite(label: &str) -> Target {
    let dir = tempfile::Builder::new().prefix("plumb-ledger-").tempdir().unwrap();
    let location = dir.path().join(format!("{label}.db")).display().to_string();
    Target { name: "sqlite", location, _dir: Some(std::sync::Arc::new(dir)) }
}

/// A fresh database on the test PostgreSQL server, when there is one.
pub fn postgres(label: &str) -> Option<Target> {
    fresh_postgres(label).map(|location| Target { name: "postgres", location, _dir: None })
}

/// Every backend, each with an empty ledger location.
pub fn targets(label: &str) -> Vec<Target> {
    let mut v = vec![sqlite(label)];
    v.extend(postgres(label));
    v
}

/// Execute raw SQL against a ledger location (tampering).
pub fn sql(location: &str, statement: &str) {
    let url = any_url(location);
    let statement = statement.to_string();
    block(async move {
        sqlx::any::install_default_drivers();
        let mut c = sqlx::AnyConnection::connect(&url).await.expect("connect for raw SQL");
        sqlx::raw_sql(sqlx::AssertSqlSafe(statement.clone()))
            .execute(&mut c)
            .await
            .unwrap_or_else(|e| panic!("{statement}: {e}"));
        let _ = c.close().await;
    });
}

fn any_url(location: &str) -> String {
    if location.starts_with("postgres") { location.to_string() } else { format!("sqlite://{location}?mode=rw") }
}

/// Flip one byte of a record's stored (compressed) snapshot.
pub fn flip_snapshot_byte(location: &str, seq: i64, at: usize) {
    use sqlx::Row;
    let url = any_url(location);
    block(async move {
        sqlx::any::install_default_drivers();
        let mut c = sqlx::AnyConnection::connect(&url).await.unwrap();
        let row = sqlx::query("SELECT snapshot FROM plumb_ledger_records WHERE seq = $1")
            .bind(seq)
            .fetch_one(&mut c)
            .await
            .unwrap();
        let mut bytes: Vec<u8> = row.try_get("snapshot").unwrap();
        bytes[at] ^= 1;
        sqlx::query("UPDATE plumb_ledger_records SET snapshot = $1 WHERE seq = $2")
            .bind(bytes)
            .bind(seq)
            .execute(&mut c)
            .await
            .unwrap();
        let _ = c.close().await;
    });
}

/// The built `plumb` binary.
pub fn plumb_bin() -> PathBuf {
    PathBuf::from(env!("CARGO_BIN_EXE_plumb"))
}

pub struct Out {
    pub code: i32,
    pub stdout: String,
    pub stderr: String,
}

pub fn plumb(args: &[&str]) -> Out {
    let out = Command::new(plumb_bin()).args(args).env_remove("AWS_ENDPOINT_URL").output().expect("run plumb");
    Out {
        code: out.status.code().unwrap_or(-1),
        stdout: String::from_utf8_lossy(&out.stdout).into_owned(),
        stderr: String::from_utf8_lossy(&out.stderr).into_owned(),
    }
}

// --- synthetic reports ---------------------------------------------------------------------------

/// A resource entry of a report.
pub fn res(address: Option<&str>, rtype: &str, id: &str, status: &str) -> Value {
    json!({"address": address, "type": rtype, "id": id, "region": "us-east-1", "status": status, "changes": []})
}

pub fn drifted(address: &str, rtype: &str, id: &str, path: &str, actor: Option<&str>) -> Value {
    let mut v = json!({"address": address, "type": rtype, "id": id, "region": "us-east-1", "status": "drifted",
                       "changes": [{"path": path, "state": "a", "live": "b"}]});
    if let Some(a) = actor {
        v["attribution"] = json!([{"actor": a, "channel": "console", "event_name": "CreateTags",
                                   "event_time": "2026-11-01T03:00:00Z", "event_id": "e-1"}]);
    }
    v
}

pub fn finding(rule: &str, severity: &str, address: Option<&str>, rtype: &str, id: &str, waived: bool) -> Value {
    json!({"rule_id": rule, "severity": severity, "view": "live", "address": address, "type": rtype, "id": id,
           "file": null, "line": null, "message": format!("{rule} fails on {id}"), "waived": waived,
           "controls": {"hipaa": ["164.312(a)(1)"], "soc2": ["CC6.1"], "gdpr": ["Art. 32"]}})
}

/// A plumb JSON report with these resources and findings.
pub fn report(started_at: &str, resources: Vec<Value>, findings: Vec<Value>) -> String {
    let count = |s: &str| resources.iter().filter(|r| r["status"] == s).count();
    // As the real report counts them: controls with unwaived findings, out of every control the
    // evaluated rules cover (32 for HIPAA with the baseline).
    let failing = usize::from(findings.iter().any(|f| f["waived"] == false));
    json!({
        "schema_version": 1, "tool": {"name": "plumb", "version": "0.1.0"},
        "started_at": started_at, "complete": true,
        "summary": {"in_sync": count("in_sync"), "drifted": count("drifted"), "missing": count("missing"),
                    "unmanaged": count("unmanaged"), "coverage_percent": 100.0, "not_judged": 0,
                    "findings": {"critical": 0, "high": 0, "medium": 0, "low": 0, "waived": 0},
                    "frameworks": {"hipaa": {"name": "HIPAA", "controls_failing": failing, "controls_covered": 32,
                                             "failing_controls": if failing > 0 { vec!["164.312(a)(1)"] } else { vec![] }}}},
        "resources": resources, "findings": findings, "errors": [], "not_judged": []
    })
    .to_string()
}

pub fn day(n: u32) -> String {
    format!("2026-11-{n:02}T02:00:00Z")
}

//! Integration-test harness: a patched moto emulator, Terraform fixture stacks applied to it,
//! the refresh-only plan oracle, SDK clients for out-of-band changes, and a runner for the
//! built `plumb` binary.
//!
//! ```ignore
//! mod common;
//! use common::*;
//!
//! #[test]
//! fn scan_is_clean_after_apply() {
//!     let fx = core();                       // one emulator + applied core stack per test binary
//!     let run = fx.emulator.plumb(&["scan", "--state", fx.stack.state_path_str(), "--format", "json"]);
//!     assert_eq!(run.code, 0, "{}", run.stderr);
//!     assert!(!run.stdout.contains(DB_PASSWORD));
//! }
//! ```
//!
//! Applying a stack with an RDS instance takes ~80 s, so tests share one applied stack per test
//! binary through [`core`] / [`shared`]. A shared stack is shared state: tests that change it out
//! of band must touch distinct resources, or run their scenarios in sequence in one test.
//!
//! Processes: every emulator is started with `--exit-with-parent`, so even a fixture held in a
//! `static` (never dropped) dies with the test binary; an owned [`Emulator`] is killed on drop.
//! Work directories live under `CARGO_TARGET_TMPDIR/harness/` and are swept when their test
//! process is gone.
#![allow(dead_code)]

pub mod faults;

use std::collections::HashMap;
use std::io::{Read, Write};
use std::net::{SocketAddr, TcpListener, TcpStream};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Output, Stdio};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Mutex, OnceLock};
use std::time::{Duration, Instant};

use serde_json::Value;

/// The dummy database password every fixture stack is applied with. Tests assert it never
/// appears in Plumb's output; the golden states are captured with the same value.
pub const DB_PASSWORD: &str = "not-a-real-secret-0";
pub const REGION: &str = "us-east-1";
pub const ACCOUNT_ID: &str = "123456789012";

/// Project root (where Cargo.toml is).
pub fn root() -> &'static Path {
    Path::new(env!("CARGO_MANIFEST_DIR"))
}

/// A stack directory under `testdata/stacks/`.
pub fn stack_dir(name: &str) -> PathBuf {
    root().join("testdata/stacks").join(name)
}

/// Per-process scratch space under `CARGO_TARGET_TMPDIR/harness/`; leftovers of test processes
/// that are gone are removed the first time this is called.
fn scratch(label: &str) -> PathBuf {
    static SWEPT: OnceLock<()> = OnceLock::new();
    static SEQ: AtomicUsize = AtomicUsize::new(0);
    let base = Path::new(env!("CARGO_TARGET_TMPDIR")).join("harness");
    SWEPT.get_or_init(|| {
        if let Ok(entries) = std::fs::read_dir(&base) {
            for e in entries.flatten() {
                let name = e.file_name().to_string_lossy().into_owned();
                let pid = name.split('-').next().and_then(|p| p.parse::<u32>().ok());
                if let Some(pid) = pid {
                    if pid != std::process::id() && !Path::new(&format!("/proc/{pid}")).exists() {
                        let _ = std::fs::remove_dir_all(e.path());
                    }
                }
            }
        }
    });
    let dir = base.join(format!("{}-{}-{}", std::process::id(), SEQ.fetch_add(1, Ordering::SeqCst), label));
    std::fs::create_dir_all(&dir).expect("create harness scratch dir");
    dir
}

// ---------------------------------------------------------------------------------------------
// Emulator
// ---------------------------------------------------------------------------------------------

/// Options for [`Emulator::start_with`].
#[derive(Debug, Clone, Default)]
pub struct EmulatorOptions {
    /// moto's `INITIAL_NO_AUTH_ACTION_COUNT`: serve this many requests unauthenticated, then
    /// check signatures and IAM policies on every call. `None`: never enforce (you can still
    /// switch enforcement on later with [`Emulator::enforce_iam`]).
    pub initial_no_auth_action_count: Option<u32>,
}

/// Access keys of an IAM user created in the emulator.
#[derive(Debug, Clone)]
pub struct Creds {
    pub access_key_id: String,
    pub secret_access_key: String,
}

impl Creds {
    /// The credentials every fixture uses while IAM is not enforced.
    pub fn test() -> Creds {
        Creds { access_key_id: "test".into(), secret_access_key: "test".into() }
    }
}

/// A patched moto server (`testdata/moto/launch.py`) on a free loopback port. Killed on drop.
pub struct Emulator {
    child: Mutex<Child>,
    addr: SocketAddr,
    url: String,
    log: PathBuf,
}

impl Emulator {
    /// Start an emulator without IAM enforcement. Panics if it does not come up.
    pub fn start() -> Emulator {
        Self::start_with(EmulatorOptions::default())
    }

    pub fn start_with(opts: EmulatorOptions) -> Emulator {
        let dir = scratch("moto");
        let mut last_err = String::new();
        // A port found free can be taken before moto binds it: retry with another.
        for _attempt in 0..3 {
            let port = free_port();
            let addr: SocketAddr = format!("127.0.0.1:{port}").parse().unwrap();
            let log = dir.join(format!("moto-{port}.log"));
            let logf = std::fs::File::create(&log).expect("create moto log");
            let mut cmd = Command::new("python3");
            cmd.arg(root().join("testdata/moto/launch.py"))
                .args(["--exit-with-parent", "-H", "127.0.0.1", "-p", &port.to_string()])
                .stdin(Stdio::null())
                .stdout(logf.try_clone().unwrap())
                .stderr(logf)
                .env("PYTHONUNBUFFERED", "1");
            cmd.env_remove("INITIAL_NO_AUTH_ACTION_COUNT");
            if let Some(n) = opts.initial_no_auth_action_count {
                cmd.env("INITIAL_NO_AUTH_ACTION_COUNT", n.to_string());
            }
            let mut child = cmd.spawn().expect("spawn python3 testdata/moto/launch.py");
            let deadline = Instant::now() + Duration::from_secs(30);
            let ready = loop {
                if let Ok(Some(status)) = child.try_wait() {
                    let tail = std::fs::read_to_string(&log).unwrap_or_default();
                    let tail: Vec<&str> = tail.lines().rev().take(15).collect();
                    let tail: Vec<&str> = tail.into_iter().rev().collect();
                    last_err = format!("moto exited with {status}; log {}:\n{}", log.display(), tail.join("\n"));
                    break false;
                }
                if matches!(http(addr, "GET", "/moto-api/", ""), Ok((code, _)) if code > 0) {
                    break true;
                }
                if Instant::now() > deadline {
                    last_err = format!("moto did not answer within 30 s; log {}", log.display());
                    let _ = child.kill();
                    let _ = child.wait();
                    break false;
                }
                std::thread::sleep(Duration::from_millis(100));
            };
            if ready {
                return Emulator { child: Mutex::new(child), addr, url: format!("http://{addr}"), log };
            }
        }
        panic!("could not start the emulator: {last_err}");
    }

    /// `http://127.0.0.1:PORT`
    pub fn url(&self) -> &str {
        &self.url
    }

    pub fn port(&self) -> u16 {
        self.addr.port()
    }

    /// moto's request log (useful in assertion messages).
    pub fn log_path(&self) -> &Path {
        &self.log
    }

    /// Switch IAM enforcement on (every later call is signature- and policy-checked; only keys
    /// of IAM users created in the emulator work) or off, on the running server.
    pub fn enforce_iam(&self, on: bool) {
        let body = if on { "0" } else { "inf" };
        let (code, text) = http(self.addr, "POST", "/moto-api/reset-auth", body)
            .unwrap_or_else(|e| panic!("POST /moto-api/reset-auth: {e}"));
        assert_eq!(code, 200, "POST /moto-api/reset-auth: {text}");
    }

    /// Create an IAM user with `policy_json` as its only (inline) policy and return its access
    /// keys. Call this while IAM is not enforced (it makes three IAM calls), then
    /// [`enforce_iam`](Self::enforce_iam)`(true)`.
    pub fn iam_user(&self, name: &str, policy_json: &str) -> Creds {
        const SCRIPT: &str = r#"
import json, sys
import boto3
url, name, policy = sys.argv[1:4]
iam = boto3.client("iam", endpoint_url=url, region_name="us-east-1",
                   aws_access_key_id="test", aws_secret_access_key="test")
iam.create_user(UserName=name)
iam.put_user_policy(UserName=name, PolicyName=name + "-policy", PolicyDocument=policy)
key = iam.create_access_key(UserName=name)["AccessKey"]
print(json.dumps({"id": key["AccessKeyId"], "secret": key["SecretAccessKey"]}))
"#;
        let out = Command::new("python3")
            .args(["-c", SCRIPT, &self.url, name, policy_json])
            .output()
            .expect("run python3 (boto3) to create an IAM user");
        assert!(out.status.success(), "creating IAM user {name}: {}", String::from_utf8_lossy(&out.stderr));
        let v: Value = serde_json::from_slice(&out.stdout).expect("IAM user JSON");
        Creds {
            access_key_id: v["id"].as_str().unwrap().to_string(),
            secret_access_key: v["secret"].as_str().unwrap().to_string(),
        }
    }

    // -- SDK clients (region us-east-1, static `test` credentials) ------------------------------

    /// The AWS configuration of this emulator (region us-east-1, the `test` keys), for any
    /// service's client: `aws_sdk_eks::Client::new(&fx.emulator.sdk_config())`. (S3 needs
    /// path-style addressing: use [`s3`](Self::s3).)
    pub fn sdk_config(&self) -> aws_config::SdkConfig {
        self.sdk_config_as(&Creds::test())
    }

    /// [`sdk_config`](Self::sdk_config) with other credentials (an IAM user of the emulator).
    pub fn sdk_config_as(&self, creds: &Creds) -> aws_config::SdkConfig {
        use aws_config::{BehaviorVersion, Region};
        use aws_sdk_ec2::config::{Credentials, SharedCredentialsProvider};
        aws_config::SdkConfig::builder()
            .behavior_version(BehaviorVersion::latest())
            .region(Region::new(REGION))
            .endpoint_url(&self.url)
            .credentials_provider(SharedCredentialsProvider::new(Credentials::new(
                &creds.access_key_id,
                &creds.secret_access_key,
                None,
                None,
                "harness",
            )))
            .build()
    }

    pub fn ec2(&self) -> aws_sdk_ec2::Client {
        self.ec2_as(&Creds::test())
    }

    pub fn ec2_as(&self, creds: &Creds) -> aws_sdk_ec2::Client {
        use aws_sdk_ec2::config::{BehaviorVersion, Credentials, Region};
        let conf = aws_sdk_ec2::Config::builder()
            .behavior_version(BehaviorVersion::latest())
            .region(Region::new(REGION))
            .endpoint_url(&self.url)
            .credentials_provider(Credentials::new(
                &creds.access_key_id,
                &creds.secret_access_key,
                None,
                None,
                "harness",
            ))
            .build();
        aws_sdk_ec2::Client::from_conf(conf)
    }

    pub fn rds(&self) -> aws_sdk_rds::Client {
        use aws_sdk_rds::config::{BehaviorVersion, Credentials, Region};
        let conf = aws_sdk_rds::Config::builder()
            .behavior_version(BehaviorVersion::latest())
            .region(Region::new(REGION))
            .endpoint_url(&self.url)
            .credentials_provider(Credentials::new("test", "test", None, None, "harness"))
            .build();
        aws_sdk_rds::Client::from_conf(conf)
    }

    /// S3 with path-style addressing (the emulator has no per-bucket host names).
    pub fn s3(&self) -> aws_sdk_s3::Client {
        use aws_sdk_s3::config::{BehaviorVersion, Credentials, Region};
        let conf = aws_sdk_s3::Config::builder()
            .behavior_version(BehaviorVersion::latest())
            .region(Region::new(REGION))
            .endpoint_url(&self.url)
            .force_path_style(true)
            .credentials_provider(Credentials::new("test", "test", None, None, "harness"))
            .build();
        aws_sdk_s3::Client::from_conf(conf)
    }

    pub fn kms(&self) -> aws_sdk_kms::Client {
        use aws_sdk_kms::config::{BehaviorVersion, Credentials, Region};
        let conf = aws_sdk_kms::Config::builder()
            .behavior_version(BehaviorVersion::latest())
            .region(Region::new(REGION))
            .endpoint_url(&self.url)
            .credentials_provider(Credentials::new("test", "test", None, None, "harness"))
            .build();
        aws_sdk_kms::Client::from_conf(conf)
    }

    // -- plumb ----------------------------------------------------------------------------------

    /// Run the built `plumb` binary against this emulator with the `test` credentials.
    pub fn plumb(&self, args: &[&str]) -> Run {
        self.plumb_as(&Creds::test(), args)
    }

    /// Run `plumb` against this emulator with the given credentials (e.g. a restricted user).
    pub fn plumb_as(&self, creds: &Creds, args: &[&str]) -> Run {
        plumb_env(
            args,
            &[
                ("AWS_ENDPOINT_URL", self.url.as_str()),
                ("AWS_ACCESS_KEY_ID", creds.access_key_id.as_str()),
                ("AWS_SECRET_ACCESS_KEY", creds.secret_access_key.as_str()),
            ],
        )
    }
}

impl Drop for Emulator {
    fn drop(&mut self) {
        let child = self.child.get_mut().unwrap_or_else(|p| p.into_inner());
        let _ = child.kill();
        let _ = child.wait();
    }
}

fn free_port() -> u16 {
    TcpListener::bind("127.0.0.1:0").and_then(|l| l.local_addr()).map(|a| a.port()).expect("find a free loopback port")
}

/// Minimal HTTP/1.1 request (readiness checks and moto's control API); returns status and body.
fn http(addr: SocketAddr, method: &str, path: &str, body: &str) -> std::io::Result<(u16, String)> {
    let mut s = TcpStream::connect_timeout(&addr, Duration::from_secs(1))?;
    s.set_read_timeout(Some(Duration::from_secs(10)))?;
    write!(
        s,
        "{method} {path} HTTP/1.1\r\nHost: {addr}\r\nContent-Type: text/plain\r\nContent-Length: {}\r\nConnection: close\r\n\r\n{body}",
        body.len()
    )?;
    let mut resp = String::new();
    s.read_to_string(&mut resp)?;
    let code = resp.split_whitespace().nth(1).and_then(|c| c.parse().ok()).unwrap_or(0);
    let body = resp.split_once("\r\n\r\n").map(|(_, b)| b.to_string()).unwrap_or_default();
    Ok((code, body))
}

// ---------------------------------------------------------------------------------------------
// plumb runner
// ---------------------------------------------------------------------------------------------

/// Outcome of one `plumb` run.
#[derive(Debug, Clone)]
pub struct Run {
    pub code: i32,
    pub stdout: String,
    pub stderr: String,
}

impl Run {
    /// stdout parsed as JSON (panics with both streams when it is not).
    pub fn json(&self) -> Value {
        serde_json::from_str(&self.stdout).unwrap_or_else(|e| {
            panic!("plumb stdout is not JSON ({e})\n--- stdout\n{}\n--- stderr\n{}", self.stdout, self.stderr)
        })
    }

    /// `(exit code, stdout, stderr)`
    pub fn into_tuple(self) -> (i32, String, String) {
        (self.code, self.stdout, self.stderr)
    }

    /// Does `needle` appear in stdout or stderr?
    pub fn mentions(&self, needle: &str) -> bool {
        self.stdout.contains(needle) || self.stderr.contains(needle)
    }
}

/// Run the built `plumb` with region us-east-1, `test` credentials and no profile or IMDS
/// lookups; `env` adds or overrides variables (`AWS_ENDPOINT_URL`, keys, ...).
pub fn plumb_env(args: &[&str], env: &[(&str, &str)]) -> Run {
    let out = plumb_command(args, env).output().expect("run plumb");
    Run {
        code: out.status.code().unwrap_or(-1),
        stdout: String::from_utf8_lossy(&out.stdout).into_owned(),
        stderr: String::from_utf8_lossy(&out.stderr).into_owned(),
    }
}

/// The command [`plumb_env`] runs.
pub fn plumb_command(args: &[&str], env: &[(&str, &str)]) -> Command {
    let mut cmd = Command::new(env!("CARGO_BIN_EXE_plumb"));
    cmd.args(args).current_dir(root()).stdin(Stdio::null());
    for var in ["AWS_PROFILE", "AWS_DEFAULT_PROFILE", "AWS_SESSION_TOKEN", "AWS_ENDPOINT_URL", "AWS_DEFAULT_REGION"] {
        cmd.env_remove(var);
    }
    let nowhere = root().join("target/nonexistent-aws-config");
    cmd.env("AWS_REGION", REGION)
        .env("AWS_ACCESS_KEY_ID", "test")
        .env("AWS_SECRET_ACCESS_KEY", "test")
        .env("AWS_CONFIG_FILE", &nowhere)
        .env("AWS_SHARED_CREDENTIALS_FILE", &nowhere)
        .env("AWS_EC2_METADATA_DISABLED", "true")
        .env("NO_COLOR", "1");
    for (k, v) in env {
        cmd.env(k, v);
    }
    cmd
}

/// Run `plumb` without an emulator (offline commands: `check`, `rules`, bad input, ...).
pub fn plumb(args: &[&str]) -> Run {
    plumb_env(args, &[])
}

// ---------------------------------------------------------------------------------------------
// Terraform stacks
// ---------------------------------------------------------------------------------------------

/// `TF_CLI_CONFIG_FILE` for the machine's provider mirror, written by `scripts/tf-env.sh`
/// (which finds the mirror at run time).
pub fn tf_cli_config() -> &'static Path {
    static CFG: OnceLock<PathBuf> = OnceLock::new();
    CFG.get_or_init(|| {
        let out = Command::new("bash")
            .arg("-c")
            .arg(r#"source "$1" >/dev/null && printf %s "$TF_CLI_CONFIG_FILE""#)
            .arg("tf-env")
            .arg(root().join("scripts/tf-env.sh"))
            .output()
            .expect("run bash scripts/tf-env.sh");
        assert!(out.status.success(), "scripts/tf-env.sh failed: {}", String::from_utf8_lossy(&out.stderr));
        PathBuf::from(String::from_utf8(out.stdout).unwrap())
    })
}

/// A Terraform stack copied into a scratch directory and applied against an emulator.
pub struct Stack {
    name: String,
    dir: PathBuf,
    vars: Vec<(String, String)>,
    apply_time: Duration,
}

impl Stack {
    /// Copy `testdata/stacks/<name>` to a scratch dir, `terraform init` and `apply` it against
    /// `emulator`. `endpoint` is set for you; pass the stack's other variables
    /// (`("db_password", DB_PASSWORD)` for stacks with a database). Panics with Terraform's
    /// output on failure.
    pub fn apply(emulator: &Emulator, name: &str, vars: &[(&str, &str)]) -> Stack {
        Self::try_apply(emulator.url(), name, vars).unwrap_or_else(|e| panic!("{e}"))
    }

    pub fn try_apply(endpoint: &str, name: &str, vars: &[(&str, &str)]) -> Result<Stack, String> {
        let src = stack_dir(name);
        if !src.is_dir() {
            return Err(format!("no stack {}", src.display()));
        }
        let dir = scratch(&format!("stack-{name}"));
        copy_dir(&src, &dir).map_err(|e| format!("copy {}: {e}", src.display()))?;
        let mut all = vec![("endpoint".to_string(), endpoint.to_string())];
        all.extend(vars.iter().map(|(k, v)| (k.to_string(), v.to_string())));
        let stack = Stack { name: name.to_string(), dir, vars: all, apply_time: Duration::ZERO };
        let init = || -> Result<(), String> {
            // The plugin cache is not safe for concurrent `terraform init`, within this test
            // binary or across the binaries `make test` runs at once (on a fresh clone two of
            // them raced to create the cache's provider directory): a thread lock, then a lock
            // on a file beside the CLI configuration.
            static INIT: Mutex<()> = Mutex::new(());
            let _guard = INIT.lock().unwrap_or_else(|p| p.into_inner());
            let lock_path = tf_cli_config().with_file_name("init.lock");
            let lock = std::fs::File::create(&lock_path).map_err(|e| format!("create {}: {e}", lock_path.display()))?;
            lock.lock().map_err(|e| format!("lock {}: {e}", lock_path.display()))?;
            let init = stack.tf_ok(&["init", "-input=false", "-no-color"]);
            drop(lock);
            init.map(|_| ())
        };
        init()?;
        let started = Instant::now();
        if let Err(e) = stack.tf_ok(&["apply", "-auto-approve", "-input=false", "-no-color"]) {
            // Seen once under load with several binaries initialising at once: init succeeded
            // and apply found no provider package in .terraform/providers. Initialise again and
            // retry once; any other failure is the test's.
            if !e.contains("Required plugins are not installed") {
                return Err(e);
            }
            init()?;
            stack.tf_ok(&["apply", "-auto-approve", "-input=false", "-no-color"])?;
        }
        Ok(Stack { apply_time: started.elapsed(), ..stack })
    }

    pub fn name(&self) -> &str {
        &self.name
    }

    /// The scratch directory holding the stack's copy and its state.
    pub fn dir(&self) -> &Path {
        &self.dir
    }

    /// Wall-clock time of `terraform apply`.
    pub fn apply_time(&self) -> Duration {
        self.apply_time
    }

    pub fn state_path(&self) -> PathBuf {
        self.dir.join("terraform.tfstate")
    }

    /// [`state_path`](Self::state_path) as a `&str` for argument lists (leaked once per call;
    /// fine in tests).
    pub fn state_path_str(&self) -> &'static str {
        Box::leak(self.state_path().to_string_lossy().into_owned().into_boxed_str())
    }

    /// The current state file, parsed.
    pub fn state(&self) -> Value {
        let text = std::fs::read_to_string(self.state_path()).expect("read terraform.tfstate");
        serde_json::from_str(&text).expect("parse terraform.tfstate")
    }

    /// Every managed resource instance in state: `(address, type, attributes)`.
    pub fn resources(&self) -> Vec<(String, String, Value)> {
        state_resources(&self.state())
    }

    /// Attributes of the managed resource instance at `address`
    /// (e.g. `module.phi_bucket["records"].aws_s3_bucket.this`), if in state.
    pub fn resource(&self, address: &str) -> Option<Value> {
        self.resources().into_iter().find(|(a, _, _)| a == address).map(|(_, _, attrs)| attrs)
    }

    /// A string attribute of the resource at `address` (panics if absent).
    pub fn attr(&self, address: &str, key: &str) -> String {
        let r = self.resource(address).unwrap_or_else(|| panic!("{address} not in state"));
        r[key].as_str().unwrap_or_else(|| panic!("{address}.{key} is not a string: {}", r[key])).to_string()
    }

    /// A root-module output value.
    pub fn output(&self, name: &str) -> Value {
        self.state()["outputs"][name]["value"].clone()
    }

    /// The drift oracle: `terraform plan -refresh-only -out p && terraform show -json p`.
    /// Does not change the state file.
    pub fn refresh_only_plan(&self) -> Value {
        self.tf_ok(&["plan", "-refresh-only", "-input=false", "-no-color", "-lock=false", "-out", "refresh.plan"])
            .unwrap_or_else(|e| panic!("{e}"));
        let out = self.tf_ok(&["show", "-json", "refresh.plan"]).unwrap_or_else(|e| panic!("{e}"));
        serde_json::from_slice(&out.stdout).expect("parse terraform show -json")
    }

    /// Run terraform in the stack's directory with its variables; returns the raw output.
    pub fn terraform(&self, args: &[&str]) -> Output {
        let mut cmd = Command::new("terraform");
        cmd.args(args)
            .current_dir(&self.dir)
            .stdin(Stdio::null())
            .env("TF_CLI_CONFIG_FILE", tf_cli_config())
            .env("CHECKPOINT_DISABLE", "1")
            .env("TF_IN_AUTOMATION", "1");
        for (k, v) in &self.vars {
            cmd.env(format!("TF_VAR_{k}"), v);
        }
        cmd.output().expect("run terraform")
    }

    fn tf_ok(&self, args: &[&str]) -> Result<Output, String> {
        let out = self.terraform(args);
        if out.status.success() {
            Ok(out)
        } else {
            Err(format!(
                "terraform {} failed in {} ({})\n--- stdout\n{}\n--- stderr\n{}",
                args.join(" "),
                self.dir.display(),
                self.name,
                String::from_utf8_lossy(&out.stdout),
                String::from_utf8_lossy(&out.stderr)
            ))
        }
    }
}

/// Managed resource instances of a parsed state: `(address, type, attributes)`.
pub fn state_resources(state: &Value) -> Vec<(String, String, Value)> {
    let mut out = Vec::new();
    for r in state["resources"].as_array().into_iter().flatten() {
        if r["mode"] != "managed" {
            continue;
        }
        let ty = r["type"].as_str().unwrap_or_default();
        let base = match r["module"].as_str() {
            Some(m) => format!("{m}.{ty}.{}", r["name"].as_str().unwrap_or_default()),
            None => format!("{ty}.{}", r["name"].as_str().unwrap_or_default()),
        };
        for inst in r["instances"].as_array().into_iter().flatten() {
            let addr = match &inst["index_key"] {
                Value::Number(n) => format!("{base}[{n}]"),
                Value::String(s) => format!("{base}[{s:?}]"),
                _ => base.clone(),
            };
            out.push((addr, ty.to_string(), inst["attributes"].clone()));
        }
    }
    out
}

/// `resource_drift` of a refresh-only plan as `(address, before, after)`.
pub fn resource_drift(plan: &Value) -> Vec<(String, Value, Value)> {
    plan["resource_drift"]
        .as_array()
        .into_iter()
        .flatten()
        .map(|d| {
            (
                d["address"].as_str().unwrap_or_default().to_string(),
                d["change"]["before"].clone(),
                d["change"]["after"].clone(),
            )
        })
        .collect()
}

/// Null, `""`, `[]` or `{}`: the plan's "no value" in any of its shapes (oracle noise filters
/// treat a change between two of them as no change).
pub fn empty_like(v: &Value) -> bool {
    match v {
        Value::Null => true,
        Value::String(s) => s.is_empty(),
        Value::Array(a) => a.is_empty(),
        Value::Object(o) => o.is_empty(),
        _ => false,
    }
}

/// Leaf paths (`a.b[0].c`) where two JSON values differ, with both sides. Handy to read the
/// oracle: `changed_paths(&before, &after)`.
pub fn changed_paths(before: &Value, after: &Value) -> Vec<(String, Value, Value)> {
    fn walk(path: String, a: &Value, b: &Value, out: &mut Vec<(String, Value, Value)>) {
        match (a, b) {
            (Value::Object(x), Value::Object(y)) => {
                let mut keys: Vec<&String> = x.keys().chain(y.keys()).collect();
                keys.sort();
                keys.dedup();
                for k in keys {
                    let p = if path.is_empty() { k.clone() } else { format!("{path}.{k}") };
                    walk(p, x.get(k).unwrap_or(&Value::Null), y.get(k).unwrap_or(&Value::Null), out);
                }
            }
            (Value::Array(x), Value::Array(y)) if x.len() == y.len() => {
                for (i, (u, v)) in x.iter().zip(y).enumerate() {
                    walk(format!("{path}[{i}]"), u, v, out);
                }
            }
            _ if a != b => out.push((path, a.clone(), b.clone())),
            _ => {}
        }
    }
    let mut out = Vec::new();
    walk(String::new(), before, after, &mut out);
    out
}

fn copy_dir(src: &Path, dst: &Path) -> std::io::Result<()> {
    std::fs::create_dir_all(dst)?;
    for entry in std::fs::read_dir(src)? {
        let entry = entry?;
        let name = entry.file_name();
        let name_str = name.to_string_lossy();
        // Never carry a developer's local Terraform artefacts into the fixture.
        if name_str == ".terraform" || name_str.starts_with("terraform.tfstate") || name_str == ".terraform.lock.hcl" {
            continue;
        }
        let from = entry.path();
        let to = dst.join(&name);
        if entry.file_type()?.is_dir() {
            copy_dir(&from, &to)?;
        } else {
            std::fs::copy(&from, &to)?;
        }
    }
    Ok(())
}

// ---------------------------------------------------------------------------------------------
// Shared fixtures
// ---------------------------------------------------------------------------------------------

/// An emulator with one stack applied to it.
pub struct Fixture {
    pub emulator: Emulator,
    pub stack: Stack,
}

impl Fixture {
    /// Start a fresh emulator and apply `name` to it (not shared).
    pub fn new(name: &str, vars: &[(&str, &str)]) -> Fixture {
        let emulator = Emulator::start();
        let stack = Stack::apply(&emulator, name, vars);
        Fixture { emulator, stack }
    }

    /// `plumb scan --state <this stack's state> --format json <extra...>` against the emulator.
    pub fn scan(&self, extra: &[&str]) -> Run {
        let state = self.stack.state_path();
        let mut args = vec!["scan", "--state", state.to_str().unwrap(), "--format", "json"];
        args.extend_from_slice(extra);
        self.emulator.plumb(&args)
    }
}

/// The emulator + `stack` fixture shared by every test of this test binary, applied on first
/// use (other tests wait for it). If applying fails, every caller panics with the same error.
pub fn shared(stack: &'static str, vars: &'static [(&'static str, &'static str)]) -> &'static Fixture {
    type Slot = OnceLock<Result<Fixture, String>>;
    static SLOTS: Mutex<Option<HashMap<&'static str, &'static Slot>>> = Mutex::new(None);
    let slot: &'static Slot = {
        let mut map = SLOTS.lock().unwrap_or_else(|p| p.into_inner());
        map.get_or_insert_with(HashMap::new).entry(stack).or_insert_with(|| Box::leak(Box::new(OnceLock::new())))
    };
    let result = slot.get_or_init(|| {
        let emulator = Emulator::start();
        let stack = Stack::try_apply(emulator.url(), stack, vars)?;
        Ok(Fixture { emulator, stack })
    });
    match result {
        Ok(f) => f,
        Err(e) => panic!("shared fixture `{stack}` failed: {e}"),
    }
}

/// The core stack (every resource type Plumb reads; ~110 s to apply), shared per test binary,
/// applied with `db_password = DB_PASSWORD`.
pub fn core() -> &'static Fixture {
    shared("core", &[("db_password", DB_PASSWORD)])
}

/// The smoke stack (a VPC and a bucket; a few seconds to apply), shared per test binary.
pub fn smoke() -> &'static Fixture {
    shared("smoke", &[])
}

/// Out-of-band changes the end-to-end tests make through the AWS API, as a person would in
/// the console or with the CLI (shared by scan_core and attribution_e2e).
pub mod out_of_band {
    /// SSH (tcp 22) from 0.0.0.0/0 on a security group.
    pub async fn open_ssh(ec2: &aws_sdk_ec2::Client, group_id: &str) {
        use aws_sdk_ec2::types::{IpPermission, IpRange};
        ec2.authorize_security_group_ingress()
            .group_id(group_id)
            .ip_permissions(
                IpPermission::builder()
                    .ip_protocol("tcp")
                    .from_port(22)
                    .to_port(22)
                    .ip_ranges(IpRange::builder().cidr_ip("0.0.0.0/0").build())
                    .build(),
            )
            .send()
            .await
            .unwrap();
    }

    /// Backups kept 7 days and deletion protection off, applied immediately.
    pub async fn weaken_db(rds: &aws_sdk_rds::Client, identifier: &str) {
        rds.modify_db_instance()
            .db_instance_identifier(identifier)
            .backup_retention_period(7)
            .deletion_protection(false)
            .apply_immediately(true)
            .send()
            .await
            .unwrap();
    }

    /// Versioning suspended on a bucket.
    pub async fn suspend_versioning(s3: &aws_sdk_s3::Client, bucket: &str) {
        use aws_sdk_s3::types::{BucketVersioningStatus, VersioningConfiguration};
        s3.put_bucket_versioning()
            .bucket(bucket)
            .versioning_configuration(
                VersioningConfiguration::builder().status(BucketVersioningStatus::Suspended).build(),
            )
            .send()
            .await
            .unwrap();
    }

    /// Instances launched in the subnet get a public IPv4 address.
    pub async fn map_public_ip(ec2: &aws_sdk_ec2::Client, subnet_id: &str) {
        ec2.modify_subnet_attribute()
            .subnet_id(subnet_id)
            .map_public_ip_on_launch(aws_sdk_ec2::types::AttributeBooleanValue::builder().value(true).build())
            .send()
            .await
            .unwrap();
    }
}

/// A JSON scan report's resources by address (`TYPE ID` for unmanaged ones).
pub fn by_address(report: &Value) -> std::collections::BTreeMap<String, Value> {
    report["resources"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| {
            let key = match r["address"].as_str() {
                Some(a) => a.to_string(),
                None => format!("{} {}", r["type"].as_str().unwrap(), r["id"].as_str().unwrap()),
            };
            (key, r.clone())
        })
        .collect()
}

//! Many accounts in one run, on the emulator: an AWS Organization with member accounts (moto
//! serves each account behind the credentials of a role assumed in it), the estate stack applied
//! with real Terraform in three accounts and two regions (the management account directly, the
//! members through the role Organizations made), then `plumb scan --config`:
//!
//! - four estates (three reachable, one whose role does not exist) scanned in one run, one
//!   report: the three complete and in sync, the fourth incomplete and named, nothing missing;
//! - Organizations discovery (suspended and excluded accounts skipped);
//! - three shard processes of one night appending concurrently to one PostgreSQL (and SQLite)
//!   ledger, verified as one run; a night with a shard missing says so;
//! - out-of-band changes in two member accounts found at their account, address and path, as the
//!   refresh-only plan of each account's stack shows them.
//!
//! Offline: the estates file's diagnostics, the shipped examples against the JSON Schema, the
//! Kubernetes manifests.

mod common;
mod ledger_common;

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};
use std::sync::OnceLock;

use common::*;
use serde_json::Value;

const MGMT: &str = ACCOUNT_ID;
const STAGING_EXTERNAL_ID: &str = "plumb-staging-ext";

struct Estate {
    emulator: Emulator,
    /// name -> account id (`mgmt`, `prod`, `staging`, `broken`, `retired`).
    ids: BTreeMap<&'static str, String>,
    /// name -> applied stack (`mgmt`, `prod`, `staging`).
    stacks: BTreeMap<&'static str, Stack>,
    dir: PathBuf,
}

impl Estate {
    fn id(&self, name: &str) -> &str {
        &self.ids[name]
    }

    fn state(&self, name: &str) -> String {
        self.stacks[name].state_path().display().to_string()
    }

    /// Write an estates file in the fixture's folder.
    fn config(&self, file: &str, text: &str) -> String {
        let path = self.dir.join(file);
        std::fs::write(&path, text).unwrap();
        path.display().to_string()
    }

    fn plumb(&self, args: &[&str]) -> Run {
        self.emulator.plumb(args)
    }

    /// SDK configuration with a role assumed in `account` (as an operator would act there).
    fn as_account(&self, name: &str) -> aws_config::SdkConfig {
        let rt = tokio::runtime::Runtime::new().unwrap();
        let sts = aws_sdk_sts::Client::new(&self.emulator.sdk_config());
        let arn = format!("arn:aws:iam::{}:role/OrganizationAccountAccessRole", self.id(name));
        let out = rt.block_on(sts.assume_role().role_arn(arn).role_session_name("operator").send()).unwrap();
        let c = out.credentials().unwrap();
        // Session credentials, with their token.
        use aws_sdk_ec2::config::{Credentials, SharedCredentialsProvider};
        self.emulator
            .sdk_config()
            .to_builder()
            .credentials_provider(SharedCredentialsProvider::new(Credentials::new(
                c.access_key_id(),
                c.secret_access_key(),
                Some(c.session_token().to_string()),
                None,
                "operator",
            )))
            .build()
    }
}

/// The organisation and its three applied stacks, once per test binary.
fn estate() -> &'static Estate {
    static E: OnceLock<Estate> = OnceLock::new();
    E.get_or_init(|| {
        let emulator = Emulator::start();
        let rt = tokio::runtime::Runtime::new().unwrap();
        let org = aws_sdk_organizations::Client::new(&emulator.sdk_config());
        let mut ids: BTreeMap<&'static str, String> = BTreeMap::new();
        ids.insert("mgmt", MGMT.to_string());
        rt.block_on(async {
            org.create_organization()
                .feature_set(aws_sdk_organizations::types::OrganizationFeatureSet::All)
                .send()
                .await
                .unwrap();
            for name in ["prod", "staging", "broken", "retired"] {
                let out =
                    org.create_account().account_name(name).email(format!("{name}@example.com")).send().await.unwrap();
                let id = out.create_account_status().and_then(|s| s.account_id()).unwrap().to_string();
                ids.insert(name, id);
            }
            org.close_account().account_id(&ids["retired"]).send().await.unwrap();
        });
        let url = emulator.url().to_string();
        let role = |name: &str| format!("arn:aws:iam::{}:role/OrganizationAccountAccessRole", ids[name]);
        let plans: Vec<(&'static str, Vec<(String, String)>)> = vec![
            ("mgmt", vec![("environment".into(), "mgmt".into()), ("org_member".into(), "false".into())]),
            ("prod", vec![("environment".into(), "prod".into()), ("role_arn".into(), role("prod"))]),
            (
                "staging",
                vec![
                    ("environment".into(), "staging".into()),
                    ("role_arn".into(), role("staging")),
                    ("external_id".into(), STAGING_EXTERNAL_ID.into()),
                ],
            ),
        ];
        // Three applies at once against the one emulator.
        let stacks: BTreeMap<&'static str, Stack> = std::thread::scope(|s| {
            let handles: Vec<_> = plans
                .iter()
                .map(|(name, vars)| {
                    let url = url.clone();
                    s.spawn(move || {
                        let mut all: Vec<(&str, &str)> = vars.iter().map(|(k, v)| (k.as_str(), v.as_str())).collect();
                        all.push(("scanner_account", MGMT));
                        (*name, Stack::try_apply(&url, "estate", &all).unwrap_or_else(|e| panic!("{name}: {e}")))
                    })
                })
                .collect();
            handles.into_iter().map(|h| h.join().unwrap()).collect()
        });
        let dir = stacks["mgmt"].dir().join("estates");
        std::fs::create_dir_all(&dir).unwrap();
        Estate { emulator, ids, stacks, dir }
    })
}

/// The four estates: the management account with the scanner's own keys, prod and staging
/// through their PlumbReadOnly roles (staging's wants an external id, and its EC2 reads are
/// held to 2 at a time), and an account where no such role exists.
fn explicit_config(e: &Estate) -> String {
    e.config(
        "estates.toml",
        &format!(
            r#"version = 1

[scan]
regions = ["us-east-1", "eu-west-1"]
session_name = "plumb-test"
account_concurrency = 4

[[estate]]
name = "mgmt"
account_id = "{mgmt}"
states = ["{mgmt_state}"]

[[estate]]
name = "prod"
account_id = "{prod}"
states = ["{prod_state}"]
role_arn = "arn:aws:iam::{prod}:role/PlumbReadOnly"

[[estate]]
name = "staging"
account_id = "{staging}"
states = ["{staging_state}"]
role_arn = "arn:aws:iam::{staging}:role/PlumbReadOnly"
external_id = "{ext}"

[estate.limits]
ec2 = 2

[[estate]]
name = "broken"
account_id = "{broken}"
role_arn = "arn:aws:iam::{broken}:role/PlumbReadOnly"
"#,
            mgmt = e.id("mgmt"),
            prod = e.id("prod"),
            staging = e.id("staging"),
            broken = e.id("broken"),
            mgmt_state = e.state("mgmt"),
            prod_state = e.state("prod"),
            staging_state = e.state("staging"),
            ext = STAGING_EXTERNAL_ID,
        ),
    )
}

fn of_account<'a>(report: &'a Value, account: &str) -> Vec<&'a Value> {
    report["resources"].as_array().unwrap().iter().filter(|r| r["account"] == account).collect()
}

fn status_of(report: &Value, account: &str, address: &str) -> Value {
    of_account(report, account)
        .into_iter()
        .find(|r| r["address"] == address)
        .unwrap_or_else(|| panic!("{account} {address} not in the report"))
        .clone()
}

#[test]
fn an_estate_of_accounts_scanned_sharded_and_changed() {
    let e = estate();
    let started = std::time::Instant::now();
    let config = explicit_config(e);

    // 1. One run over four accounts x two regions.
    let run = e.plumb(&["scan", "--config", &config, "--format", "json", "--fail-on", "none"]);
    assert_eq!(run.code, 2, "one account cannot be reached: incomplete\n{}", run.stderr);
    let report = run.json();
    assert_eq!(report["complete"], false);
    let accounts: Vec<(&str, bool)> = report["scope"]["accounts"]
        .as_array()
        .unwrap()
        .iter()
        .map(|a| (a["name"].as_str().unwrap(), a["complete"].as_bool().unwrap()))
        .collect();
    let mut expected: Vec<(String, &str, bool)> =
        ["mgmt", "prod", "staging", "broken"].iter().map(|n| (e.id(n).to_string(), *n, *n != "broken")).collect();
    expected.sort();
    assert_eq!(accounts, expected.iter().map(|(_, n, c)| (*n, *c)).collect::<Vec<_>>(), "sorted by account id");
    assert_eq!(report["scope"]["account"], "");
    for (name, stack) in &e.stacks {
        let id = e.id(name);
        let judged = of_account(&report, id);
        let managed: Vec<&&Value> = judged.iter().filter(|r| r["address"].is_string()).collect();
        assert_eq!(managed.len(), stack.resources().len(), "{name}: every state resource judged");
        let off: Vec<String> = judged
            .iter()
            .filter(|r| r["status"] != "in_sync")
            .map(|r| format!("{} {} {} {}", r["status"], r["type"], r["id"], r["address"]))
            .collect();
        assert!(off.is_empty(), "{name} right after apply: nothing but in_sync, nothing unmanaged: {off:#?}");
        let regions: BTreeSet<&str> = judged.iter().filter_map(|r| r["region"].as_str()).collect();
        assert!(regions.contains("eu-west-1") && regions.contains("us-east-1"), "{name}: {regions:?}");
    }
    assert!(report["resources"].as_array().unwrap().iter().all(|r| r["account"].is_string()));
    assert!(report["findings"].as_array().unwrap().iter().all(|f| f["account"].is_string()));
    // The unreachable account: named, incomplete, never missing.
    let broken = e.id("broken");
    let errors = report["errors"].as_array().unwrap();
    assert!(!errors.is_empty());
    for err in errors {
        assert_eq!(err["account"], broken, "only the broken account failed: {err:#}");
        assert_eq!(err["code"], "AccessDenied", "{err:#}");
        assert!(err["message"].as_str().unwrap().contains("cannot assume"), "{err:#}");
    }
    assert!(of_account(&report, broken).is_empty());
    assert_eq!(report["summary"]["missing"], 0);
    assert!(run.stderr.contains(&format!("account {broken} (broken): NOT SCANNED")), "{}", run.stderr);
    // Each reachable account was read through its own credentials: its bucket, no other's.
    for name in ["mgmt", "prod", "staging"] {
        let bucket = e.stacks[name].output("bucket");
        let owner = report["resources"]
            .as_array()
            .unwrap()
            .iter()
            .find(|r| r["type"] == "aws_s3_bucket" && r["id"] == bucket)
            .unwrap_or_else(|| panic!("{bucket} not judged"));
        assert_eq!(owner["account"], e.id(name));
    }
    // The text report groups by account.
    let text = e.plumb(&["scan", "--config", &config, "--fail-on", "none"]);
    assert_eq!(text.code, 2);
    assert!(text.stdout.starts_with("Accounts: 4 accounts (3 complete, 1 incomplete)"), "{}", text.stdout);
    for name in ["prod", "staging", "mgmt"] {
        assert!(
            text.stdout.contains(&format!("== Account {} ({name}): eu-west-1, us-east-1; complete ==", e.id(name)))
        );
    }
    assert!(text.stdout.contains(&format!("== Account {broken} (broken): eu-west-1, us-east-1; INCOMPLETE ==")));
    eprintln!("[{:>5.1} s] four accounts scanned", started.elapsed().as_secs_f64());

    // 2. Organizations discovery: the suspended account is skipped, `broken` excluded by name.
    let dir = e.dir.join("by-account");
    std::fs::create_dir_all(&dir).unwrap();
    for name in ["mgmt", "prod", "staging"] {
        std::fs::copy(e.stacks[name].state_path(), dir.join(format!("{}.tfstate", e.id(name)))).unwrap();
    }
    let discovered = e.config(
        "org.toml",
        &format!(
            r#"[organizations]
role_arn = "arn:aws:iam::{{account_id}}:role/PlumbReadOnly"
external_id = "{STAGING_EXTERNAL_ID}"
regions = ["us-east-1", "eu-west-1"]
states = ["{}/{{account_id}}.tfstate"]
exclude = ["broken"]
"#,
            dir.display()
        ),
    );
    let run = e.plumb(&["scan", "--config", &discovered, "--format", "json", "--fail-on", "none"]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    let report = run.json();
    let found: BTreeSet<&str> =
        report["scope"]["accounts"].as_array().unwrap().iter().map(|a| a["id"].as_str().unwrap()).collect();
    assert_eq!(found, BTreeSet::from([e.id("mgmt"), e.id("prod"), e.id("staging")]));
    assert!(
        run.stderr.contains(&format!("account {} (retired) is SUSPENDED: not scanned", e.id("retired"))),
        "{}",
        run.stderr
    );
    assert_eq!(report["summary"]["drifted"], 0);
    assert_eq!(report["summary"]["unmanaged"], 0, "{:#}", report["resources"]);
    eprintln!("[{:>5.1} s] discovery", started.elapsed().as_secs_f64());

    // 3. Shards of one night appending at once to one ledger.
    for target in ledger_common::targets("shards") {
        let loc = target.location.as_str();
        let shard_run = |night: &str, shard: &str| -> std::process::Child {
            std::process::Command::new(env!("CARGO_BIN_EXE_plumb"))
                .args(["scan", "--config", &config, "--shard", shard, "--run-id", night, "--ledger", loc])
                .args(["--format", "json", "--fail-on", "none", "--output", "/dev/null"])
                .env("AWS_ENDPOINT_URL", e.emulator.url())
                .env("AWS_REGION", REGION)
                .env("AWS_ACCESS_KEY_ID", "test")
                .env("AWS_SECRET_ACCESS_KEY", "test")
                .env("AWS_EC2_METADATA_DISABLED", "true")
                .env("AWS_CONFIG_FILE", "/nonexistent")
                .env("AWS_SHARED_CREDENTIALS_FILE", "/nonexistent")
                .env_remove("PLUMB_LEDGER")
                .env_remove("PLUMB_RUN_ID")
                .stdout(std::process::Stdio::null())
                .stderr(std::process::Stdio::piped())
                .spawn()
                .unwrap()
        };
        let night: Vec<_> = ["0/3", "1/3", "2/3"].iter().map(|s| shard_run("night-1", s)).collect();
        for child in night {
            let out = child.wait_with_output().unwrap();
            let err = String::from_utf8_lossy(&out.stderr);
            assert!(matches!(out.status.code(), Some(0 | 2)), "{}: {err}", target.name);
            assert!(err.contains("recorded run"), "{}: {err}", target.name);
        }
        // The next night, shard 2 never reports, and shard 0 runs twice (a retried pod).
        for shard in ["0/3", "1/3", "0/3"] {
            let out = shard_run("night-2", shard).wait_with_output().unwrap();
            assert!(matches!(out.status.code(), Some(0 | 2)), "{}", String::from_utf8_lossy(&out.stderr));
        }
        let verify = ledger_common::plumb(&["ledger", "verify", "--ledger", loc]);
        assert_eq!(verify.code, 0, "{}: {}{}", target.name, verify.stdout, verify.stderr);
        assert!(verify.stdout.contains("intact, 6 records"), "{}", verify.stdout);
        assert!(verify.stdout.contains("run night-1: 3 of 3 parts"), "{}", verify.stdout);
        assert!(verify.stdout.contains("run night-2: 2 of 3 parts"), "{}", verify.stdout);
        assert!(verify.stdout.contains("INCOMPLETE, missing shard 2"), "{}", verify.stdout);
        assert!(verify.stdout.contains("superseded by a later part"), "{}", verify.stdout);
        let history = ledger_common::plumb(&["history", "--ledger", loc, "--format", "json"]);
        assert_eq!(history.code, 0, "{}", history.stderr);
        let h: Value = serde_json::from_str(&history.stdout).unwrap();
        let runs = h["runs"].as_array().unwrap();
        assert_eq!(runs.len(), 2, "two nights, six records: {:#}", h["runs"]);
        assert_eq!(runs[0]["run_id"], "night-1");
        assert_eq!(runs[0]["parts"].as_array().unwrap().len(), 3);
        assert_eq!(runs[0]["accounts"].as_object().unwrap().len(), 4, "every account in one of the parts");
        assert_eq!(runs[0]["complete"], false, "the broken account is in it");
        assert_eq!(runs[1]["missing_shards"], serde_json::json!([2]));
        assert_eq!(runs[1]["complete"], false);
        // Items of accounts the missing shard holds stay open; none is resolved by night 2.
        assert!(h["items"].as_array().unwrap().iter().all(|i| i["resolved_run"].is_null()), "{:#}", h["items"]);
        let page = e.dir.join(format!("report-{}.html", target.name));
        let report = ledger_common::plumb(&["report", "--ledger", loc, "--output", page.to_str().unwrap()]);
        assert_eq!(report.code, 0, "{}", report.stderr);
        let html = std::fs::read_to_string(&page).unwrap();
        assert!(html.contains("id=\"run-parts\""), "the latest run's parts");
        assert!(html.contains("missing shard 2"));
        assert!(html.contains("id=\"accounts\""));
        let text = ledger_common::plumb(&["history", "--ledger", loc]);
        assert!(text.stdout.contains("run id night-1, 3 of 3 parts"), "{}", text.stdout);
    }
    eprintln!("[{:>5.1} s] shards", started.elapsed().as_secs_f64());

    // 4. Out of band, in two member accounts: a tag on staging's VPC (us-east-1), SSH opened on
    //    prod's security group in eu-west-1.
    let rt = tokio::runtime::Runtime::new().unwrap();
    let staging_vpc = e.stacks["staging"].output("vpc_id").as_str().unwrap().to_string();
    let prod_west_sg = e.stacks["prod"].attr("aws_security_group.west", "id");
    let staging = aws_sdk_ec2::Client::new(&e.as_account("staging"));
    let prod_west = aws_sdk_ec2::Client::new(
        &e.as_account("prod").to_builder().region(aws_config::Region::new("eu-west-1")).build(),
    );
    rt.block_on(async {
        let tag = aws_sdk_ec2::types::Tag::builder().key("Owner").value("mallory").build();
        staging.create_tags().resources(&staging_vpc).tags(tag).send().await.unwrap();
        out_of_band::open_ssh(&prod_west, &prod_west_sg).await;
    });
    let run = e.plumb(&["scan", "--config", &config, "--format", "json", "--fail-on", "none"]);
    assert_eq!(run.code, 2, "{}", run.stderr);
    let report = run.json();
    let vpc = status_of(&report, e.id("staging"), "aws_vpc.main");
    assert_eq!(vpc["status"], "drifted");
    let paths: Vec<&str> = vpc["changes"].as_array().unwrap().iter().map(|c| c["path"].as_str().unwrap()).collect();
    assert!(paths.contains(&"tags.Owner"), "{paths:?}");
    let sg = status_of(&report, e.id("prod"), "aws_security_group.west");
    assert_eq!((sg["status"].as_str(), sg["region"].as_str()), (Some("drifted"), Some("eu-west-1")));
    assert!(sg["changes"].as_array().unwrap().iter().any(|c| c["path"] == "ingress"), "{sg:#}");
    // Nothing else moved, in any account; the same address in the other accounts is in sync.
    let drifted: BTreeSet<(String, String)> = report["resources"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|r| r["status"] != "in_sync")
        .map(|r| (r["account"].as_str().unwrap().to_string(), r["address"].as_str().unwrap_or("-").to_string()))
        .collect();
    assert_eq!(
        drifted,
        BTreeSet::from([
            (e.id("prod").to_string(), "aws_security_group.west".to_string()),
            (e.id("staging").to_string(), "aws_vpc.main".to_string())
        ])
    );
    assert_eq!(status_of(&report, e.id("prod"), "aws_vpc.main")["status"], "in_sync");
    // The oracle: each account's refresh-only plan shows the same drift at the same addresses.
    // What the plan shows that is not drift (as in tests/scan_iam.rs): `role_last_used`, which
    // Plumb's own AssumeRole moves (computed by IAM, never configuration); a role's
    // `inline_policy` catching up with the `aws_iam_role_policy` resources that own its inline
    // policies; null against empty (`tags` null -> {}); `tags_all` (the change is under `tags`).
    let oracle = |name: &str| -> Vec<(String, Vec<String>)> {
        let stack = &e.stacks[name];
        let owned_inline: BTreeSet<String> = stack
            .resources()
            .into_iter()
            .filter(|(_, t, _)| t == "aws_iam_role_policy")
            .filter_map(|(.., attrs)| attrs["name"].as_str().map(str::to_string))
            .collect();
        let inline_owned = |v: &Value| {
            v.as_array().into_iter().flatten().all(|p| p["name"].as_str().is_some_and(|n| owned_inline.contains(n)))
        };
        let empty = |v: &Value| match v {
            Value::Null => true,
            Value::String(s) => s.is_empty(),
            Value::Array(a) => a.is_empty(),
            Value::Object(o) => o.is_empty(),
            _ => false,
        };
        resource_drift(&stack.refresh_only_plan())
            .into_iter()
            .map(|(a, before, after)| {
                let paths: Vec<String> = changed_paths(&before, &after)
                    .into_iter()
                    .filter(|(p, b, l)| {
                        let top = p.split(['.', '[']).next().unwrap_or(p);
                        !(["role_last_used", "tags_all"].contains(&top)
                            || (empty(b) && empty(l))
                            || (top == "inline_policy"
                                && inline_owned(&before["inline_policy"])
                                && inline_owned(&after["inline_policy"])))
                    })
                    .map(|(p, b, l)| format!("{p}: {b} -> {l}"))
                    .collect();
                (a, paths)
            })
            .filter(|(_, paths)| !paths.is_empty())
            .collect()
    };
    // The three plans at once (each is a Terraform refresh against the one emulator).
    let oracle = &oracle;
    let plans: BTreeMap<&str, Vec<(String, Vec<String>)>> = std::thread::scope(|s| {
        let handles: Vec<_> = ["mgmt", "prod", "staging"].map(|name| s.spawn(move || (name, oracle(name)))).into();
        handles.into_iter().map(|h| h.join().unwrap()).collect()
    });
    for (name, address) in [("staging", "aws_vpc.main"), ("prod", "aws_security_group.west")] {
        let drift = &plans[name];
        let addresses: Vec<&str> = drift.iter().map(|(a, _)| a.as_str()).collect();
        assert_eq!(addresses, [address], "{name}: terraform plan -refresh-only: {drift:#?}");
    }
    assert!(plans["mgmt"].is_empty(), "mgmt: terraform plan -refresh-only: {:#?}", plans["mgmt"]);
    eprintln!("[{:>5.1} s] out-of-band changes", started.elapsed().as_secs_f64());
}

#[test]
fn a_bad_estates_file_is_a_diagnostic_at_its_line() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("estates.toml");
    std::fs::write(
        &path,
        "[[estate]]\naccount_id = \"111111111111\"\nrol_arn = \"arn:aws:iam::111111111111:role/R\"\n",
    )
    .unwrap();
    let out = plumb(&["scan", "--config", path.to_str().unwrap()]);
    assert_eq!(out.code, 2);
    let shown = format!("{}:3:1", path.display());
    assert!(out.stderr.contains(&shown), "{}", out.stderr);
    assert!(out.stderr.contains("unknown key `rol_arn` in [[estate]]"), "{}", out.stderr);
    assert!(out.stderr.contains("did you mean `role_arn`?"), "{}", out.stderr);
    // --config replaces --state and --region; --shard needs it.
    assert_eq!(plumb(&["scan", "--config", path.to_str().unwrap(), "--state", "x"]).code, 2);
    let no_config = plumb(&["scan", "--state", "x", "--shard", "0/2"]);
    assert_eq!(no_config.code, 2);
    assert!(no_config.stderr.contains("--config"), "{}", no_config.stderr);
    let bad_shard = plumb(&["scan", "--config", path.to_str().unwrap(), "--shard", "2/2"]);
    assert_eq!(bad_shard.code, 2);
    assert!(bad_shard.stderr.contains("the index must be below the number of shards"), "{}", bad_shard.stderr);
}

#[test]
fn the_shipped_examples_validate_against_the_schema() {
    let schema = root().join("docs/estates.schema.json");
    let mut schemas = boon::Schemas::new();
    let mut compiler = boon::Compiler::new();
    let idx = compiler.compile(schema.to_str().unwrap(), &mut schemas).expect("the estates schema compiles");
    let mut files: Vec<PathBuf> = std::fs::read_dir(root().join("docs/examples"))
        .unwrap()
        .flatten()
        .map(|e| e.path())
        .filter(|p| p.extension().is_some_and(|x| x == "toml"))
        .collect();
    files.sort();
    assert!(files.len() >= 2, "{files:?}");
    let k8s: Value = yaml(&root().join("deploy/kubernetes/configmap.yaml"));
    let embedded = k8s["data"]["estates.toml"].as_str().unwrap().to_string();
    let mut docs: Vec<(String, String)> =
        files.iter().map(|p| (p.display().to_string(), std::fs::read_to_string(p).unwrap())).collect();
    docs.push(("deploy/kubernetes/configmap.yaml".into(), embedded));
    for (name, text) in &docs {
        // Plumb reads it...
        plumb::estate::config::parse(name, text).unwrap_or_else(|e| panic!("{name}: {e}"));
        // ...and it is what the schema says.
        let json = plumb::estate::toml::to_json(&plumb::estate::toml::parse(text).unwrap());
        if let Err(e) = schemas.validate(&json, idx) {
            panic!("{name} does not validate against docs/estates.schema.json: {e:#}");
        }
    }
    // The schema rejects what Plumb rejects.
    for bad in [
        "[[estate]]\naccount_id = \"1\"\n",
        "[[estate]]\naccount_id = \"111111111111\"\nprofile = \"p\"\nrole_arn = \"arn:aws:iam::111111111111:role/R\"\n",
        "[[estate]]\naccount_id = \"111111111111\"\nrol_arn = \"x\"\n",
        "[organizations]\nrole_arn = \"arn:aws:iam::111111111111:role/R\"\n",
        "version = 1\n",
    ] {
        assert!(plumb::estate::config::parse("bad.toml", bad).is_err(), "{bad}");
        let json = plumb::estate::toml::to_json(&plumb::estate::toml::parse(bad).unwrap());
        assert!(schemas.validate(&json, idx).is_err(), "the schema accepts {bad:?}");
    }
}

fn yaml(path: &Path) -> Value {
    yaml_serde::from_str(&std::fs::read_to_string(path).unwrap()).unwrap_or_else(|e| panic!("{}: {e}", path.display()))
}

/// No cluster runs here: the manifests are parsed and the fields the design depends on checked.
#[test]
fn the_kubernetes_manifests_run_one_shard_per_index_into_one_ledger() {
    let dir = root().join("deploy/kubernetes");
    let cron = yaml(&dir.join("cronjob.yaml"));
    assert_eq!(cron["apiVersion"], "batch/v1");
    assert_eq!(cron["kind"], "CronJob");
    assert_eq!(cron["spec"]["concurrencyPolicy"], "Forbid");
    let job = &cron["spec"]["jobTemplate"]["spec"];
    assert_eq!(job["completionMode"], "Indexed");
    let completions = job["completions"].as_u64().unwrap();
    let parallelism = job["parallelism"].as_u64().unwrap();
    assert!(completions >= 2 && parallelism >= 1 && parallelism <= completions);
    assert!(job["backoffLimitPerIndex"].as_u64().is_some(), "a failed shard is retried on its own");
    let pod = &job["template"]["spec"];
    assert_eq!(pod["restartPolicy"], "Never");
    assert_eq!(pod["securityContext"]["runAsNonRoot"], true);
    assert_ne!(pod["securityContext"]["runAsUser"].as_u64(), Some(0));
    let containers = pod["containers"].as_array().unwrap();
    assert_eq!(containers.len(), 1);
    let c = &containers[0];
    assert_eq!(c["securityContext"]["readOnlyRootFilesystem"], true);
    assert_eq!(c["securityContext"]["allowPrivilegeEscalation"], false);
    let args: Vec<&str> = c["args"].as_array().unwrap().iter().map(|a| a.as_str().unwrap()).collect();
    let after = |flag: &str| args.iter().position(|a| *a == flag).and_then(|i| args.get(i + 1)).copied();
    assert_eq!(args[0], "scan");
    assert_eq!(after("--shard"), Some("$(JOB_COMPLETION_INDEX)/$(SHARDS)"));
    assert!(!args.iter().any(|a| a.contains("postgres://")), "the DSN never in args");
    let env: BTreeMap<&str, &Value> =
        c["env"].as_array().unwrap().iter().map(|v| (v["name"].as_str().unwrap(), v)).collect();
    // Environment variables referenced with $(...) must be defined before use, in order.
    let names: Vec<&str> = c["env"].as_array().unwrap().iter().map(|v| v["name"].as_str().unwrap()).collect();
    assert!(names.iter().position(|n| *n == "JOB_COMPLETION_INDEX").is_some());
    assert_eq!(env["SHARDS"]["value"].as_str().unwrap().parse::<u64>().unwrap(), completions, "SHARDS = completions");
    assert_eq!(
        env["JOB_COMPLETION_INDEX"]["valueFrom"]["fieldRef"]["fieldPath"],
        "metadata.annotations['batch.kubernetes.io/job-completion-index']"
    );
    assert_eq!(
        env["PLUMB_RUN_ID"]["valueFrom"]["fieldRef"]["fieldPath"],
        "metadata.labels['batch.kubernetes.io/job-name']"
    );
    assert_eq!(env["PLUMB_LEDGER"]["valueFrom"]["secretKeyRef"]["key"], "dsn");
    // Plumb reads the flags the manifest gives it: the same argument list parses.
    let config = after("--config").unwrap();
    let mounts = c["volumeMounts"].as_array().unwrap();
    let estates_mount = mounts.iter().find(|m| config.starts_with(m["mountPath"].as_str().unwrap())).unwrap();
    let volume = pod["volumes"].as_array().unwrap().iter().find(|v| v["name"] == estates_mount["name"]).unwrap();
    let cm = yaml(&dir.join("configmap.yaml"));
    assert_eq!(volume["configMap"]["name"], cm["metadata"]["name"]);
    let key = Path::new(config).file_name().unwrap().to_str().unwrap();
    assert!(cm["data"][key].is_string(), "the ConfigMap holds {key}");
    assert!(mounts.iter().any(|m| m["mountPath"] == "/tmp"), "--output goes to a writable emptyDir");
    let secret = yaml(&dir.join("secret.example.yaml"));
    assert_eq!(secret["metadata"]["name"], env["PLUMB_LEDGER"]["valueFrom"]["secretKeyRef"]["name"]);
    let sa = yaml(&dir.join("serviceaccount.yaml"));
    assert_eq!(pod["serviceAccountName"], sa["metadata"]["name"]);
    let kustomize = std::fs::read_to_string(dir.join("kustomization.yaml")).unwrap();
    for f in ["cronjob.yaml", "configmap.yaml", "serviceaccount.yaml"] {
        assert!(kustomize.contains(f), "kustomization.yaml lists {f}");
    }
    // The Dockerfile's user is the manifest's.
    let dockerfile = std::fs::read_to_string(root().join("Dockerfile")).unwrap();
    let uid = pod["securityContext"]["runAsUser"].as_u64().unwrap();
    assert!(dockerfile.contains(&format!("USER {uid}:")), "Dockerfile runs as {uid}");
}

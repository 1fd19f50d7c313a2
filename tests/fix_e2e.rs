//! `plumb fix` end to end on the emulator: the `fix` stack applied with Terraform, changed
//! out of band through the AWS API (a literal, a variable, a local, tags, a rule added to a
//! group with inline rules and to one whose rules are separate resources, a bucket made by
//! hand, a bucket deleted, a finding-bearing value, a local used twice), then:
//!
//! 1. adopt: `plumb fix --report scan.json --adopt all --output fix.patch`, the patch applied
//!    with `git apply`, `terraform fmt -check` on the result, and `terraform plan` against the
//!    same emulator: no change for any adopted item, the two imports with nothing else;
//! 2. revert: on the original code, `plumb fix --state ... --revert all` (a fresh scan), its
//!    commands run (Terraform's and the AWS CLI's), and the next `plumb scan` is clean.
//!
//! One test function: the scenarios share one applied stack (~20 s to apply).

mod common;

use std::collections::BTreeMap;
use std::path::Path;
use std::process::Command;

use common::*;
use serde_json::Value;

fn fix_stack() -> &'static Fixture {
    shared("fix", &[])
}

/// Managed resources (with an address) of a JSON scan report and their status.
fn managed(report: &Value) -> BTreeMap<String, String> {
    report["resources"]
        .as_array()
        .unwrap()
        .iter()
        .filter_map(|r| Some((r["address"].as_str()?.to_string(), r["status"].as_str()?.to_string())))
        .collect()
}

fn tf_files(dir: &Path) -> BTreeMap<String, String> {
    std::fs::read_dir(dir)
        .unwrap()
        .filter_map(|e| e.ok())
        .map(|e| e.path())
        .filter(|p| p.extension().is_some_and(|x| x == "tf"))
        .map(|p| (p.file_name().unwrap().to_string_lossy().into_owned(), std::fs::read_to_string(&p).unwrap()))
        .collect()
}

fn restore(dir: &Path, files: &BTreeMap<String, String>) {
    for p in tf_files(dir).keys() {
        if !files.contains_key(p) {
            std::fs::remove_file(dir.join(p)).unwrap();
        }
    }
    for (name, text) in files {
        std::fs::write(dir.join(name), text).unwrap();
    }
}

/// The summary item for `subject` (`address.path`, `address` or `type:id`).
fn item<'a>(summary: &'a Value, subject: &str) -> &'a Value {
    summary["items"]
        .as_array()
        .unwrap()
        .iter()
        .find(|i| i["item"] == subject)
        .unwrap_or_else(|| panic!("no item {subject} in {summary:#}"))
}

#[test]
fn adopt_patches_the_code_and_revert_restores_aws() {
    let started = std::time::Instant::now();
    let fx = fix_stack();
    let applied = started.elapsed();
    let dir = fx.stack.dir().to_path_buf();
    let original = tf_files(&dir);
    let rt = tokio::runtime::Runtime::new().unwrap();

    // 0. Clean: every managed resource in sync, and nothing to fix.
    let clean = fx.scan(&["--fail-on", "none"]);
    assert_eq!(clean.code, 0, "{}\n{}", clean.stdout, clean.stderr);
    let report = clean.json();
    assert_eq!(report["complete"], true, "{:#}", report["errors"]);
    let statuses = managed(&report);
    assert!(statuses.values().all(|s| s == "in_sync"), "{statuses:#?}");
    let clean_path = dir.join("clean.json");
    std::fs::write(&clean_path, &clean.stdout).unwrap();
    let nothing = plumb(&["fix", "--report", clean_path.to_str().unwrap(), "--code", dir.to_str().unwrap()]);
    assert!(nothing.stdout.is_empty(), "no patch for a clean scan: {}", nothing.stdout);
    assert!(!nothing.stderr.contains("Patched"), "{}", nothing.stderr);

    // 1. Out-of-band changes, as people make them in the console or with the CLI.
    let data_key = fx.stack.attr("aws_kms_key.data", "key_id");
    let logs_key = fx.stack.attr("aws_kms_key.logs", "key_id");
    let vpc = fx.stack.attr("aws_vpc.main", "id");
    let subnet = fx.stack.attr("aws_subnet.a", "id");
    let web = fx.stack.attr("aws_security_group.web", "id");
    let app = fx.stack.attr("aws_security_group.app", "id");
    let (ec2, s3, kms) = (fx.emulator.ec2(), fx.emulator.s3(), fx.emulator.kms());
    rt.block_on(async {
        use aws_sdk_ec2::types::{AttributeBooleanValue, IpPermission, IpRange, Tag as Ec2Tag};
        use aws_sdk_s3::types::{Tag, Tagging};
        kms.update_key_description().key_id(&data_key).description("fix stack: data key (ops)").send().await.unwrap();
        kms.update_key_description().key_id(&logs_key).description("fix stack: audit log key").send().await.unwrap();
        ec2.modify_vpc_attribute()
            .vpc_id(&vpc)
            .enable_dns_hostnames(AttributeBooleanValue::builder().value(false).build())
            .send()
            .await
            .unwrap();
        ec2.create_tags()
            .resources(&vpc)
            .tags(Ec2Tag::builder().key("Team").value("data").build())
            .send()
            .await
            .unwrap();
        ec2.modify_subnet_attribute()
            .subnet_id(&subnet)
            .map_public_ip_on_launch(AttributeBooleanValue::builder().value(true).build())
            .send()
            .await
            .unwrap();
        let rule = |port: i32, cidr: &str| {
            IpPermission::builder()
                .ip_protocol("tcp")
                .from_port(port)
                .to_port(port)
                .ip_ranges(IpRange::builder().cidr_ip(cidr).build())
                .build()
        };
        ec2.authorize_security_group_ingress()
            .group_id(&web)
            .ip_permissions(rule(8443, "10.42.0.0/16"))
            .send()
            .await
            .unwrap();
        ec2.authorize_security_group_ingress()
            .group_id(&app)
            .ip_permissions(rule(9000, "10.42.1.0/24"))
            .send()
            .await
            .unwrap();
        let tags = [
            ("Owner", "alice"),
            ("DataClass", "internal"),
            ("CostCenter", "42"),
            ("Project", "plumb-fixture"),
            ("Environment", "test"),
        ];
        let tagging = Tagging::builder()
            .set_tag_set(Some(tags.iter().map(|(k, v)| Tag::builder().key(*k).value(*v).build().unwrap()).collect()))
            .build()
            .unwrap();
        s3.put_bucket_tagging().bucket("fix-stack-data").tagging(tagging).send().await.unwrap();
        // Made by hand the team's way: the tags every resource carries, and an owner.
        s3.create_bucket().bucket("fix-stack-by-hand").send().await.unwrap();
        let tags = [("Owner", "bob"), ("Project", "plumb-fixture"), ("Environment", "test")];
        let tagging = Tagging::builder()
            .set_tag_set(Some(tags.iter().map(|(k, v)| Tag::builder().key(*k).value(*v).build().unwrap()).collect()))
            .build()
            .unwrap();
        s3.put_bucket_tagging().bucket("fix-stack-by-hand").tagging(tagging).send().await.unwrap();
        s3.delete_bucket().bucket("fix-stack-scratch").send().await.unwrap();
    });

    // 2. The scan finds each change; the oracle agrees on what changed.
    let report_path = dir.join("scan.json");
    let scanned = fx.scan(&["--fail-on", "none", "--output", report_path.to_str().unwrap()]);
    assert_eq!(scanned.code, 1, "drift: exit 1\n{}", scanned.stderr);
    let report: Value = serde_json::from_str(&std::fs::read_to_string(&report_path).unwrap()).unwrap();
    let r = by_address(&report);
    for (address, status) in [
        ("aws_kms_key.data", "drifted"),
        ("aws_kms_key.logs", "drifted"),
        ("aws_vpc.main", "drifted"),
        ("aws_subnet.a", "drifted"),
        ("aws_security_group.web", "drifted"),
        ("aws_security_group.app", "drifted"),
        ("aws_s3_bucket.data", "drifted"),
        ("aws_s3_bucket.scratch", "missing"),
        ("aws_s3_bucket fix-stack-by-hand", "unmanaged"),
    ] {
        assert_eq!(r[address]["status"], status, "{address}: {:#}", r[address]);
    }
    let unmanaged = &r["aws_s3_bucket fix-stack-by-hand"];
    assert_eq!(
        unmanaged["live"]["bucket"], "fix-stack-by-hand",
        "the report carries the live attributes: {unmanaged:#}"
    );
    let drifted: Vec<String> = resource_drift(&fx.stack.refresh_only_plan()).into_iter().map(|(a, _, _)| a).collect();
    for address in ["aws_kms_key.data", "aws_kms_key.logs", "aws_vpc.main", "aws_subnet.a", "aws_s3_bucket.data"] {
        assert!(drifted.contains(&address.to_string()), "the oracle sees {address} changed: {drifted:?}");
    }

    // 3. Adopt everything: a patch, applied with git, formatted as terraform fmt wants.
    let patch_path = dir.join("fix.patch");
    let adopt = plumb(&[
        "fix",
        "--report",
        report_path.to_str().unwrap(),
        "--code",
        dir.to_str().unwrap(),
        "--adopt",
        "all",
        "--output",
        patch_path.to_str().unwrap(),
        "--format",
        "json",
    ]);
    assert_eq!(adopt.code, 1, "two items cannot be adopted: exit 1\n{}\n{}", adopt.stdout, adopt.stderr);
    let summary: Value = serde_json::from_str(&adopt.stdout).unwrap();
    let patched = |subject: &str| {
        let i = item(&summary, subject);
        assert_eq!(i["outcome"], "patched", "{subject}: {i:#}");
        i.clone()
    };
    assert_eq!(patched("aws_kms_key.data.description")["places"][0], "main.tf:35", "the literal's line");
    let local = patched("aws_kms_key.logs.description");
    assert!(local["notes"].to_string().contains("local.logs_key_description"), "{local:#}");
    let var = patched("aws_vpc.main.enable_dns_hostnames");
    assert!(var["notes"].to_string().contains("var.dns_hostnames default"), "{var:#}");
    patched("aws_s3_bucket.data.tags.Owner");
    patched("aws_s3_bucket.data.tags.CostCenter");
    patched("aws_security_group.web.ingress");
    patched("aws_security_group.app.ingress");
    patched("aws_s3_bucket.scratch");
    assert_eq!(
        patched("aws_s3_bucket:fix-stack-by-hand")["places"][0].as_str().unwrap().split(':').next(),
        Some("plumb_imports.tf")
    );
    let refused = item(&summary, "aws_subnet.a.map_public_ip_on_launch");
    assert_eq!(refused["outcome"], "not_patched");
    assert!(refused["reason"].as_str().unwrap().contains("HS-VPC-002"), "{refused:#}");
    let shared_local = item(&summary, "aws_vpc.main.tags.Team");
    assert_eq!(shared_local["outcome"], "not_patched");
    assert!(shared_local["reason"].as_str().unwrap().contains("local.team is used 2 times"), "{shared_local:#}");
    assert_eq!(shared_local["place"], "main.tf:16", "where local.team is defined");

    let patch = std::fs::read_to_string(&patch_path).unwrap();
    assert!(patch.contains("--- a/main.tf\n+++ b/main.tf\n"), "{patch}");
    assert!(patch.contains("+++ b/plumb_imports.tf\n"), "{patch}");
    let git = Command::new("git").args(["apply", "fix.patch"]).current_dir(&dir).output().unwrap();
    assert!(git.status.success(), "git apply: {}\n{patch}", String::from_utf8_lossy(&git.stderr));
    let fmt = fx.stack.terraform(&["fmt", "-check", "-diff", "-no-color"]);
    assert!(fmt.status.success(), "terraform fmt -check:\n{}\n{patch}", String::from_utf8_lossy(&fmt.stdout));
    let main = std::fs::read_to_string(dir.join("main.tf")).unwrap();
    assert!(main.contains("  default     = false\n"), "the variable's default: {main}");
    assert!(main.contains("logs_key_description = \"fix stack: audit log key\""), "{main}");
    assert!(main.contains("removed {\n  from = aws_s3_bucket.scratch"), "{main}");
    let generated = std::fs::read_to_string(dir.join("plumb_imports.tf")).unwrap();
    assert!(
        generated.contains("    Owner = \"bob\"\n") && !generated.contains("Project"),
        "own tags only: {generated}"
    );

    // Terraform agrees: nothing to change for what was adopted; the imports and nothing else.
    let plan = terraform_plan(fx);
    let changes = plan["resource_changes"].as_array().unwrap();
    let mut imports = Vec::new();
    for rc in changes {
        let address = rc["address"].as_str().unwrap();
        let actions: Vec<&str> =
            rc["change"]["actions"].as_array().unwrap().iter().map(|a| a.as_str().unwrap()).collect();
        if rc["change"]["importing"].is_object() {
            let paths = changed_paths(&rc["change"]["before"], &rc["change"]["after"]);
            assert_eq!(actions, ["no-op"], "{address}: an import and nothing else: {paths:?}");
            imports.push(address.to_string());
            continue;
        }
        if actions == ["no-op"] || actions == ["read"] {
            continue;
        }
        // The missing bucket adopted: its `removed` block makes Terraform forget it.
        if address == "aws_s3_bucket.scratch" {
            assert_eq!(actions, ["forget"], "{rc:#}");
            continue;
        }
        // Only what was not adopted may change: the subnet's finding-bearing value, the VPC's
        // tag that comes from a local used twice.
        let paths: Vec<String> =
            changed_paths(&rc["change"]["before"], &rc["change"]["after"]).into_iter().map(|(p, _, _)| p).collect();
        match address {
            "aws_subnet.a" => assert_eq!(paths, ["map_public_ip_on_launch"], "{rc:#}"),
            "aws_vpc.main" => assert!(paths.iter().all(|p| p.starts_with("tags")), "only the Team tag: {paths:?}"),
            other => panic!("{other} changes after adopting: {actions:?} {paths:?}"),
        }
    }
    imports.sort();
    assert_eq!(imports.len(), 2, "{imports:?}");
    assert!(imports[0].starts_with("aws_s3_bucket.fix_stack_by_hand"), "{imports:?}");
    assert!(imports[1].starts_with("aws_security_group_rule.app_ingress_tcp_9000"), "{imports:?}");

    // 4. Revert everything on the original code, from a fresh scan: no code change, commands.
    restore(&dir, &original);
    let revert = fx.emulator.plumb(&[
        "fix",
        "--state",
        fx.stack.state_path_str(),
        "--code",
        dir.to_str().unwrap(),
        "--revert",
        "all",
        "--format",
        "json",
        "--output",
        dir.join("revert.patch").to_str().unwrap(),
    ]);
    assert_eq!(revert.code, 0, "every item restored by a command\n{}\n{}", revert.stdout, revert.stderr);
    assert_eq!(std::fs::read_to_string(dir.join("revert.patch")).unwrap(), "", "revert changes no code");
    let summary: Value = serde_json::from_str(&revert.stdout).unwrap();
    let commands: Vec<String> =
        summary["commands"].as_array().unwrap().iter().map(|c| c.as_str().unwrap().to_string()).collect();
    assert!(commands[0].starts_with("terraform plan -target="), "{commands:#?}");
    assert!(commands[1].starts_with("terraform apply -target="), "{commands:#?}");
    for target in
        ["aws_kms_key.data", "aws_vpc.main", "aws_subnet.a", "aws_security_group.web", "aws_s3_bucket.scratch"]
    {
        assert!(commands[1].contains(&format!("-target={target}")), "{target} in {}", commands[1]);
    }
    assert!(
        commands.iter().any(|c| c.starts_with("aws ec2 revoke-security-group-ingress --group-id")),
        "{commands:#?}"
    );
    assert!(
        commands.iter().any(|c| c == "aws s3api delete-bucket --bucket fix-stack-by-hand --region us-east-1"),
        "{commands:#?}"
    );
    for c in &commands {
        run_command(fx, c);
    }

    // 5. The next scan is clean.
    let after = fx.scan(&["--fail-on", "none"]);
    let report = after.json();
    let statuses = managed(&report);
    let not_in_sync: Vec<_> = statuses.iter().filter(|(_, s)| *s != "in_sync").collect();
    assert!(not_in_sync.is_empty(), "after the revert commands: {not_in_sync:?}\n{:#}", report["resources"]);
    assert_eq!(report["summary"]["unmanaged"], 0, "{:#}", report["resources"]);
    assert_eq!(after.code, 0, "{}", after.stderr);
    eprintln!("fix_e2e: apply {:.0?}, whole test {:.0?}", applied, started.elapsed());
}

/// `terraform plan` against the emulator, as JSON.
fn terraform_plan(fx: &Fixture) -> Value {
    let out = fx.stack.terraform(&["plan", "-input=false", "-no-color", "-lock=false", "-out", "fix.plan"]);
    assert!(
        out.status.success(),
        "terraform plan:\n{}\n{}",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    );
    let show = fx.stack.terraform(&["show", "-json", "fix.plan"]);
    assert!(show.status.success(), "{}", String::from_utf8_lossy(&show.stderr));
    serde_json::from_slice(&show.stdout).unwrap()
}

/// Run one printed command: Terraform's in the stack (non-interactive), the AWS CLI's
/// against the emulator (through the SDK when the AWS CLI is not installed).
fn run_command(fx: &Fixture, command: &str) {
    if let Some(rest) = command.strip_prefix("terraform apply ") {
        let mut args = vec!["apply".to_string(), "-auto-approve".into(), "-input=false".into(), "-no-color".into()];
        args.extend(shell_words(rest));
        let refs: Vec<&str> = args.iter().map(String::as_str).collect();
        let out = fx.stack.terraform(&refs);
        assert!(
            out.status.success(),
            "{command}:\n{}\n{}",
            String::from_utf8_lossy(&out.stdout),
            String::from_utf8_lossy(&out.stderr)
        );
        return;
    }
    if command.starts_with("terraform plan ") {
        let mut args = vec!["plan".to_string(), "-input=false".into(), "-no-color".into(), "-lock=false".into()];
        args.extend(shell_words(&command["terraform plan ".len()..]));
        let refs: Vec<&str> = args.iter().map(String::as_str).collect();
        let out = fx.stack.terraform(&refs);
        assert!(out.status.success(), "{command}: {}", String::from_utf8_lossy(&out.stderr));
        return;
    }
    assert!(command.starts_with("aws "), "unexpected command {command}");
    let have_cli = Command::new("aws").arg("--version").output().is_ok_and(|o| o.status.success());
    if have_cli {
        let out = Command::new("sh")
            .args(["-c", command])
            .env("AWS_ENDPOINT_URL", fx.emulator.url())
            .env("AWS_ACCESS_KEY_ID", "test")
            .env("AWS_SECRET_ACCESS_KEY", "test")
            .env("AWS_DEFAULT_REGION", REGION)
            .env_remove("AWS_PROFILE")
            .output()
            .unwrap();
        assert!(out.status.success(), "{command}: {}", String::from_utf8_lossy(&out.stderr));
        return;
    }
    // No AWS CLI here: the same calls through the SDK.
    let rt = tokio::runtime::Runtime::new().unwrap();
    let words = shell_words(command);
    let arg = |flag: &str| words.iter().position(|w| w == flag).map(|i| words[i + 1].clone()).unwrap();
    rt.block_on(async {
        if command.starts_with("aws s3api delete-bucket") {
            fx.emulator.s3().delete_bucket().bucket(arg("--bucket")).send().await.unwrap();
        } else if command.starts_with("aws ec2 revoke-security-group-ingress") {
            let perms: Value = serde_json::from_str(&arg("--ip-permissions")).unwrap();
            let p = &perms[0];
            let perm = aws_sdk_ec2::types::IpPermission::builder()
                .ip_protocol(p["IpProtocol"].as_str().unwrap())
                .from_port(p["FromPort"].as_i64().unwrap() as i32)
                .to_port(p["ToPort"].as_i64().unwrap() as i32)
                .ip_ranges(
                    aws_sdk_ec2::types::IpRange::builder()
                        .cidr_ip(p["IpRanges"][0]["CidrIp"].as_str().unwrap())
                        .build(),
                )
                .build();
            fx.emulator
                .ec2()
                .revoke_security_group_ingress()
                .group_id(arg("--group-id"))
                .ip_permissions(perm)
                .send()
                .await
                .unwrap();
        } else {
            panic!("no SDK equivalent for {command}");
        }
    });
}

/// POSIX shell words: single quotes only (what `plumb fix` prints).
fn shell_words(s: &str) -> Vec<String> {
    let mut out = Vec::new();
    let mut cur = String::new();
    let mut in_quote = false;
    let mut any = false;
    for c in s.chars() {
        match c {
            '\'' => {
                in_quote = !in_quote;
                any = true;
            }
            ' ' if !in_quote => {
                if any || !cur.is_empty() {
                    out.push(std::mem::take(&mut cur));
                    any = false;
                }
            }
            c => cur.push(c),
        }
    }
    if any || !cur.is_empty() {
        out.push(cur);
    }
    out
}

/// `plumb fix --findings --apply` on every rule's failing example (with stubs for what it
/// references), each in its own directory: `terraform fmt -check` accepts every result and one
/// `terraform validate` accepts them all, as modules of one root (the provider loads once),
/// with the providers the fix stack's `terraform init` installed. Errors on the stubs (empty
/// blocks lack required arguments) are not the fix's. (tests/rules_examples.rs checks that
/// each rule then passes.)
#[test]
fn hardening_fixes_validate_with_terraform() {
    use plumb::rules::RuleSet;
    let fx = fix_stack();
    let started = std::time::Instant::now();
    let root = tempfile::tempdir().unwrap();
    let mut failures = Vec::new();
    // Module directory -> the first line of its stubs.
    let mut modules: BTreeMap<String, usize> = BTreeMap::new();
    for rule in RuleSet::baseline().rules() {
        if !rule.meta.fix.as_ref().is_some_and(|f| !f.changes.is_empty()) || rule.meta.live_only {
            continue;
        }
        let name = rule.meta.id.to_lowercase().replace('-', "_");
        let dir = root.path().join(&name);
        std::fs::create_dir(&dir).unwrap();
        match fix_example(&dir, &rule.meta.examples.fail) {
            Ok(stubs_at) => {
                modules.insert(name, stubs_at);
            }
            Err(e) => failures.push(format!("{}: {e}", rule.meta.id)),
        }
    }
    assert!(modules.len() >= 20, "{} rules have a machine-applicable fix", modules.len());
    let terraform = |args: &[&str]| {
        Command::new("terraform")
            .args(args)
            .current_dir(root.path())
            .env("TF_CLI_CONFIG_FILE", tf_cli_config())
            .env("CHECKPOINT_DISABLE", "1")
            .env("TF_IN_AUTOMATION", "1")
            .output()
            .unwrap()
    };
    let fmt = terraform(&["fmt", "-check", "-recursive", "-diff", "-no-color"]);
    if !fmt.status.success() {
        failures.push(format!("terraform fmt -check:\n{}", String::from_utf8_lossy(&fmt.stdout)));
    }
    // One root calling every example; its module manifest written as `terraform init` would.
    let calls: String = modules.keys().map(|m| format!("module \"{m}\" {{\n  source = \"./{m}\"\n}}\n\n")).collect();
    std::fs::write(root.path().join("main.tf"), calls).unwrap();
    let dot = root.path().join(".terraform");
    std::fs::create_dir_all(dot.join("modules")).unwrap();
    std::os::unix::fs::symlink(fx.stack.dir().join(".terraform/providers"), dot.join("providers")).unwrap();
    std::fs::copy(fx.stack.dir().join(".terraform.lock.hcl"), root.path().join(".terraform.lock.hcl")).unwrap();
    let mut manifest = vec![serde_json::json!({"Key": "", "Source": "", "Dir": "."})];
    manifest.extend(modules.keys().map(|m| serde_json::json!({"Key": m, "Source": format!("./{m}"), "Dir": m})));
    std::fs::write(dot.join("modules/modules.json"), serde_json::json!({"Modules": manifest}).to_string()).unwrap();
    // Stub variables get a null default so the calls need no arguments.
    for m in modules.keys() {
        let path = root.path().join(m).join("main.tf");
        let text = std::fs::read_to_string(&path).unwrap();
        let re = regex::Regex::new(r#"(?m)^variable "([^"]+)" \{\}$"#).unwrap();
        std::fs::write(&path, re.replace_all(&text, "variable \"$1\" { default = null }").as_ref()).unwrap();
    }
    let validate = terraform(&["validate", "-json", "-no-color"]);
    let report: Value = serde_json::from_slice(&validate.stdout).unwrap_or(Value::Null);
    assert!(report.is_object(), "terraform validate: {}", String::from_utf8_lossy(&validate.stderr));
    let mut on_stubs = 0;
    for d in report["diagnostics"].as_array().into_iter().flatten() {
        let file = d["range"]["filename"].as_str().unwrap_or_default();
        let line = d["range"]["start"]["line"].as_u64().unwrap_or_default() as usize;
        let module = file.split('/').next().unwrap_or_default();
        let on_stub = modules.get(module).is_some_and(|&stubs_at| line >= stubs_at);
        if d["severity"] == "error" && !on_stub {
            failures.push(format!("terraform validate: {d:#}"));
        }
        on_stubs += usize::from(on_stub);
    }
    // The modules were read: the empty stubs of the EKS examples lack required arguments.
    assert!(on_stubs > 0, "terraform validate read no module: {report:#}");
    assert!(failures.is_empty(), "{}", failures.join("\n\n"));
    eprintln!("fix_e2e: {} fixed examples validated in {:.0?}", modules.len(), started.elapsed());
}

/// The example with stubs in `dir`, fixed by `plumb fix --findings --apply`; the line (1-based)
/// where the stubs start in the fixed file.
fn fix_example(dir: &Path, example: &str) -> Result<usize, String> {
    use plumb::source::hcl::{HclError, load};
    let mut stubs = String::new();
    for _ in 0..10 {
        std::fs::write(dir.join("main.tf"), format!("{example}{stubs}")).unwrap();
        match load(dir, &Default::default()) {
            Err(HclError::Undeclared { what: "resource", name, .. }) => {
                let (rtype, label) = name.split_once('.').unwrap();
                stubs.push_str(&format!("\nresource \"{rtype}\" \"{label}\" {{}}\n"));
            }
            Err(HclError::Undeclared { what: "variable", name, .. }) => {
                stubs.push_str(&format!("\nvariable \"{name}\" {{}}\n"));
            }
            _ => break,
        }
    }
    // Exit 1 when another rule's finding in the example has no machine fix.
    let fixed = plumb(&["fix", "--code", dir.to_str().unwrap(), "--findings", "--apply", "--format", "json"]);
    if fixed.code > 1 {
        return Err(format!("plumb fix exit {}\n{}{}", fixed.code, fixed.stdout, fixed.stderr));
    }
    let patched = std::fs::read_to_string(dir.join("main.tf")).unwrap();
    if patched == format!("{example}{stubs}") {
        return Err(format!("nothing patched: {}", fixed.stdout));
    }
    let at = if stubs.is_empty() { patched.len() } else { patched.rfind(&stubs).unwrap_or(patched.len()) };
    Ok(patched[..at].lines().count() + 1)
}

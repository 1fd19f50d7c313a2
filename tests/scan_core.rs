//! End to end against the emulator: the core stack (every type Plumb reads) applied with real
//! Terraform, scanned clean, changed out of band through the AWS API, scanned again, and
//! checked against `terraform plan -refresh-only` as the oracle.
//!
//! One test function runs the scenarios in sequence because they share one applied stack
//! (an RDS instance takes ~80 s to apply on the emulator).

mod common;

use std::collections::{BTreeMap, BTreeSet};

use common::*;
use serde_json::Value;

fn status<'a>(resources: &'a BTreeMap<String, Value>, address: &str) -> &'a str {
    resources
        .get(address)
        .unwrap_or_else(|| panic!("{address} not in report: {:#?}", resources.keys()))
        .as_object()
        .unwrap()["status"]
        .as_str()
        .unwrap()
}

fn change<'a>(resources: &'a BTreeMap<String, Value>, address: &str, path: &str) -> &'a Value {
    let r = &resources[address];
    r["changes"]
        .as_array()
        .unwrap()
        .iter()
        .find(|c| c["path"] == path)
        .unwrap_or_else(|| panic!("{address}: no change at {path}: {r:#}"))
}

#[test]
fn core_stack_clean_then_changed_out_of_band() {
    let fx = core();
    let rt = tokio::runtime::Runtime::new().unwrap();

    // 1. Untouched: in sync throughout, nothing unmanaged (the emulator's default VPC,
    //    subnets, security group and AWS-managed keys included). The stack fails some
    //    hardening rules by design (see CLEAN_FINDINGS), so the run exits 1 unless --fail-on
    //    sets the bar above them.
    let clean = fx.scan(&[]);
    assert_eq!(clean.code, 1, "clean stack: findings but no drift, exit 1\n{}\n{}", clean.stdout, clean.stderr);
    let report = clean.json();
    let clean_findings = findings(&report);
    assert_eq!(known(&clean_findings), expected(CLEAN_FINDINGS), "{:#}", report["findings"]);
    assert_controls(&report);
    // Only critical findings fail with --fail-on critical (the baseline this test was
    // written against has none on the clean stack).
    let criticals = report["summary"]["findings"]["critical"].as_u64().unwrap();
    let gated = fx.scan(&["--fail-on", "critical"]);
    assert_eq!(gated.code, i32::from(criticals > 0), "{criticals} critical findings\n{}", gated.stderr);
    assert_eq!(report["schema_version"], 1);
    assert_eq!(report["complete"], true);
    let resources = by_address(&report);
    let not_in_sync: Vec<_> = resources.values().filter(|r| r["status"] != "in_sync").collect();
    assert!(not_in_sync.is_empty(), "clean stack not in sync: {not_in_sync:#?}");
    assert_eq!(report["summary"]["unmanaged"], 0);
    assert_eq!(report["summary"]["not_judged"], 0, "{:#}", report["not_judged"]);
    let state_count = fx.stack.resources().len();
    assert!(resources.len() >= state_count, "every state resource is judged: {} < {state_count}", resources.len());
    assert!(!clean.mentions(DB_PASSWORD));
    let text = fx.emulator.plumb(&["scan", "--state", fx.stack.state_path_str()]);
    assert_eq!(text.code, 1, "{}", text.stderr);
    assert!(text.stdout.contains("No drift"), "{}", text.stdout);
    assert!(text.stdout.contains("Hardening findings (live view)"), "{}", text.stdout);
    // Every finding waived: the run passes.
    let (_dir, all) =
        waivers_file("- rule: \"*\"\n  address: \"*\"\n  reason: r\n  approved_by: a\n  expires: 2999-12-31\n");
    let waived = fx.scan(&["--waivers", &all]);
    assert_eq!(waived.code, 0, "{}", waived.stderr);
    assert_eq!(waived.json()["summary"]["findings"]["waived"].as_u64(), Some(clean_findings.len() as u64));

    // 2. Out-of-band changes through the AWS API.
    let instance_id = fx.stack.attr("aws_instance.app", "id");
    let web_sg = fx.stack.attr("aws_security_group.web", "id");
    let key_id = fx.stack.attr("aws_kms_key.phi", "key_id");
    let (ec2, rds, s3, kms) = (fx.emulator.ec2(), fx.emulator.rds(), fx.emulator.s3(), fx.emulator.kms());
    rt.block_on(async {
        ec2.create_tags().resources(&instance_id).tags(tag("Owner", "mallory")).send().await.unwrap();
        ec2.stop_instances().instance_ids(&instance_id).send().await.unwrap();
        ec2.modify_instance_attribute()
            .instance_id(&instance_id)
            .instance_type(aws_sdk_ec2::types::AttributeValue::builder().value("t3.large").build())
            .send()
            .await
            .unwrap();
        out_of_band::open_ssh(&ec2, &web_sg).await;
        out_of_band::weaken_db(&rds, "clinic-records").await;
        use aws_sdk_s3::types::*;
        s3.put_bucket_encryption()
            .bucket("clinic-phi-records")
            .server_side_encryption_configuration(
                ServerSideEncryptionConfiguration::builder()
                    .rules(
                        ServerSideEncryptionRule::builder()
                            .apply_server_side_encryption_by_default(
                                ServerSideEncryptionByDefault::builder()
                                    .sse_algorithm(ServerSideEncryption::Aes256)
                                    .build()
                                    .unwrap(),
                            )
                            .build(),
                    )
                    .build()
                    .unwrap(),
            )
            .send()
            .await
            .unwrap();
        out_of_band::suspend_versioning(&s3, "clinic-phi-imaging").await;
        s3.delete_public_access_block().bucket("clinic-phi-records").send().await.unwrap();
        s3.delete_bucket().bucket("clinic-exports").send().await.unwrap();
        s3.create_bucket().bucket("clinic-scratch-by-hand").send().await.unwrap();
        kms.disable_key_rotation().key_id(&key_id).send().await.unwrap();
    });

    // 3. Every change at the right address and path; missing and unmanaged; exit 1.
    let drifted = fx.scan(&[]);
    assert_eq!(drifted.code, 1, "drift must exit 1\n{}\n{}", drifted.stdout, drifted.stderr);
    assert!(!drifted.mentions(DB_PASSWORD));
    let report = drifted.json();
    assert_eq!(report["complete"], true, "{:#}", report["errors"]);
    let r = by_address(&report);

    assert_eq!(status(&r, "aws_instance.app"), "drifted");
    assert_eq!(change(&r, "aws_instance.app", "tags.Owner")["live"], "mallory");
    assert_eq!(change(&r, "aws_instance.app", "instance_type")["live"], "t3.large");

    assert_eq!(status(&r, "aws_db_instance.records"), "drifted");
    let retention = change(&r, "aws_db_instance.records", "backup_retention_period");
    assert_eq!((retention["state"].as_i64(), retention["live"].as_i64()), (Some(35), Some(7)));
    assert_eq!(change(&r, "aws_db_instance.records", "deletion_protection")["live"], false);

    let sse = "module.phi_bucket[\"records\"].aws_s3_bucket_server_side_encryption_configuration.this";
    assert_eq!(status(&r, sse), "drifted");
    assert!(change(&r, sse, "rule")["added"].to_string().contains("AES256"));

    let versioning = "module.phi_bucket[\"imaging\"].aws_s3_bucket_versioning.this";
    assert_eq!(change(&r, versioning, "versioning_configuration[0].status")["live"], "Suspended");

    assert_eq!(status(&r, "module.phi_bucket[\"records\"].aws_s3_bucket_public_access_block.this"), "missing");

    let ingress = change(&r, "aws_security_group.web", "ingress");
    let added = ingress["added"].as_array().unwrap();
    assert_eq!(added.len(), 1, "{ingress:#}");
    assert_eq!(added[0]["cidr_blocks"], serde_json::json!(["0.0.0.0/0"]));
    assert_eq!(added[0]["from_port"], 22);

    assert_eq!(change(&r, "aws_kms_key.phi", "enable_key_rotation")["live"], false);

    assert_eq!(status(&r, "aws_s3_bucket.exports"), "missing");
    assert_eq!(status(&r, "aws_s3_bucket clinic-scratch-by-hand"), "unmanaged");
    assert_eq!(report["summary"]["unmanaged"], 1, "only the hand-made bucket is unmanaged");

    // Untouched resources stay in sync.
    for address in [
        "aws_vpc.main",
        "aws_subnet.a",
        "aws_kms_alias.phi",
        "aws_rds_cluster.analytics",
        "aws_ebs_volume.data",
        "aws_s3_bucket.logs[0]",
    ] {
        assert_eq!(status(&r, address), "in_sync", "{:#}", r[address]);
    }

    // 4. The oracle agrees.
    assert_agrees_with_terraform(fx, &r);

    // 5. Hardening on the live view: exactly the rules the changes break, at the block to fix
    //    (the bucket itself when its public access block is gone; type and id for the
    //    hand-made bucket), each finding with its controls.
    let now = findings(&report);
    let new: BTreeSet<Key> = now.difference(&clean_findings).cloned().collect();
    assert_eq!(known(&new), expected(NEW_FINDINGS), "{:#}", report["findings"]);
    // Rules added after this test was written may fire too, but only on what was changed.
    for (rule, at, _) in &new {
        assert!(CHANGED.contains(&at.as_str()), "{rule} fires on {at}, which was not changed");
    }
    let gone: BTreeSet<Key> = clean_findings.difference(&now).cloned().collect();
    assert!(known(&gone).iter().all(|(_, at)| at == "aws_s3_bucket.exports"), "only the deleted bucket's go: {gone:?}");
    assert_controls(&report);
    let scratch = report["findings"]
        .as_array()
        .unwrap()
        .iter()
        .find(|f| f["id"] == "clinic-scratch-by-hand" && f["rule_id"] == "HS-S3-004")
        .expect("the hand-made bucket fails HS-S3-004");
    assert_eq!(
        (&scratch["address"], &scratch["type"], &scratch["view"]),
        (&Value::Null, &"aws_s3_bucket".into(), &"live".into())
    );
    let summary = &report["summary"]["findings"];
    assert_eq!(summary["waived"], 0);
    assert!(summary["critical"].as_u64().unwrap() >= 1, "{summary:#}");
    let hipaa = &report["summary"]["frameworks"]["hipaa"];
    assert!(
        hipaa["controls_failing"].as_u64().unwrap() > 0
            && hipaa["controls_failing"].as_u64() <= hipaa["controls_covered"].as_u64(),
        "{hipaa:#}"
    );
    assert!(
        hipaa["failing_controls"].as_array().unwrap().contains(&"164.308(a)(7)(ii)(A)".into()),
        "lowered backup retention fails the HIPAA data backup plan: {hipaa:#}"
    );

    // 6. The same state with waivers: a current one silences its finding, an expired one
    //    does not and is reported.
    let (_dir, waivers) = waivers_file(
        "- rule: HS-NET-002\n  address: aws_security_group.web\n  reason: Bastion during migration\n  \
         approved_by: Dana Reyes (CISO)\n  expires: 2999-12-31\n\
         - rule: HS-KMS-001\n  address: aws_kms_key.*\n  reason: Rotation handled by a job\n  \
         approved_by: Sam Ortiz\n  expires: 2020-01-31\n",
    );
    let run = fx.scan(&["--waivers", &waivers]);
    assert_eq!(run.code, 1, "still drift\n{}", run.stderr);
    let w = run.json();
    let by_rule = |id: &str| -> Vec<Value> {
        w["findings"].as_array().unwrap().iter().filter(|f| f["rule_id"] == id).cloned().collect()
    };
    let ssh = by_rule("HS-NET-002");
    assert!(!ssh.is_empty() && ssh.iter().all(|f| f["waived"] == true), "{ssh:#?}");
    let kms_findings = by_rule("HS-KMS-001");
    assert!(!kms_findings.is_empty() && kms_findings.iter().all(|f| f["waived"] == false), "{kms_findings:#?}");
    assert_eq!(w["summary"]["findings"]["waived"].as_u64(), Some(ssh.len() as u64));
    let expired = w["expired_waivers"].as_array().unwrap();
    assert_eq!(expired.len(), 1, "{expired:#?}");
    assert_eq!(
        (&expired[0]["rule"], &expired[0]["expires"], &expired[0]["matches"]),
        (&"HS-KMS-001".into(), &"2020-01-31".into(), &1.into())
    );
    assert!(run.stderr.contains("expired on 2020-01-31"), "{}", run.stderr);
    let critical = |r: &Value| r["summary"]["findings"]["critical"].as_u64().unwrap();
    assert_eq!(critical(&w), critical(&report) - ssh.len() as u64, "{:#}", w["summary"]);

    // 5. One more change for every remaining type.
    let volume_id = fx.stack.attr("aws_ebs_volume.data", "id");
    let subnet_a = fx.stack.attr("aws_subnet.a", "id");
    let subnet_b = fx.stack.attr("aws_subnet.b", "id");
    let legacy_sg = fx.stack.attr("aws_security_group.legacy", "id");
    let db_sg = fx.stack.attr("aws_security_group.db", "id");
    let pg_rule = fx.stack.attr("aws_vpc_security_group_ingress_rule.db_postgres", "id");
    let vpc_cidr = fx.stack.attr("aws_vpc.main", "cidr_block");
    rt.block_on(async {
        use aws_sdk_ec2::types::*;
        ec2.modify_volume().volume_id(&volume_id).size(200).send().await.unwrap();
        out_of_band::map_public_ip(&ec2, &subnet_a).await;
        ec2.revoke_security_group_ingress()
            .group_id(&legacy_sg)
            .ip_permissions(
                IpPermission::builder()
                    .ip_protocol("tcp")
                    .from_port(8443)
                    .to_port(8443)
                    .ip_ranges(IpRange::builder().cidr_ip(&vpc_cidr).description("Admin console from the VPC").build())
                    .build(),
            )
            .send()
            .await
            .unwrap();
        ec2.modify_security_group_rules()
            .group_id(&db_sg)
            .security_group_rules(
                SecurityGroupRuleUpdate::builder()
                    .security_group_rule_id(&pg_rule)
                    .security_group_rule(
                        SecurityGroupRuleRequest::builder()
                            .ip_protocol("tcp")
                            .from_port(5432)
                            .to_port(5432)
                            .referenced_group_id(&web_sg)
                            .description("changed by hand")
                            .build(),
                    )
                    .build(),
            )
            .send()
            .await
            .unwrap();
        rds.modify_db_cluster()
            .db_cluster_identifier("clinic-analytics")
            .backup_retention_period(1)
            .apply_immediately(true)
            .send()
            .await
            .unwrap();
        use aws_sdk_s3::types::*;
        let policy = r#"{"Version":"2012-10-17","Statement":[{"Sid":"HandMade","Effect":"Allow","Principal":"*","Action":"s3:GetObject","Resource":"arn:aws:s3:::clinic-phi-imaging/*"}]}"#;
        s3.put_bucket_policy().bucket("clinic-phi-imaging").policy(policy).send().await.unwrap();
        s3.put_bucket_logging()
            .bucket("clinic-phi-records")
            .bucket_logging_status(
                BucketLoggingStatus::builder()
                    .logging_enabled(
                        LoggingEnabled::builder()
                            .target_bucket("clinic-access-logs-0")
                            .target_prefix("elsewhere/")
                            .build()
                            .unwrap(),
                    )
                    .build(),
            )
            .send()
            .await
            .unwrap();
        s3.put_bucket_ownership_controls()
            .bucket("clinic-phi-imaging")
            .ownership_controls(
                OwnershipControls::builder()
                    .rules(OwnershipControlsRule::builder().object_ownership(ObjectOwnership::ObjectWriter).build().unwrap())
                    .build()
                    .unwrap(),
            )
            .send()
            .await
            .unwrap();
        s3.delete_bucket_lifecycle().bucket("clinic-phi-records").send().await.unwrap();
        kms.delete_alias().alias_name("alias/clinic-phi").send().await.unwrap();
        // Needs launcher patch 10 (moto drops a group it modifies).
        rds.modify_db_subnet_group()
            .db_subnet_group_name("clinic-db")
            .db_subnet_group_description("changed by hand")
            .subnet_ids(&subnet_a)
            .subnet_ids(&subnet_b)
            .send()
            .await
            .unwrap();
    });

    let run = fx.scan(&[]);
    assert_eq!(run.code, 1, "{}\n{}", run.stdout, run.stderr);
    let r = by_address(&run.json());
    assert_eq!(change(&r, "aws_ebs_volume.data", "size")["live"], 200);
    assert_eq!(change(&r, "aws_subnet.a", "map_public_ip_on_launch")["live"], true);
    assert_eq!(status(&r, "aws_security_group_rule.legacy_admin"), "missing");
    assert_eq!(change(&r, "aws_vpc_security_group_ingress_rule.db_postgres", "description")["live"], "changed by hand");
    assert_eq!(change(&r, "aws_rds_cluster.analytics", "backup_retention_period")["live"], 1);
    assert!(
        change(&r, "module.phi_bucket[\"imaging\"].aws_s3_bucket_policy.this", "policy")["live"]
            .as_str()
            .unwrap()
            .contains("HandMade")
    );
    assert_eq!(
        change(&r, "module.phi_bucket[\"records\"].aws_s3_bucket_logging.this[0]", "target_prefix")["live"],
        "elsewhere/"
    );
    assert_eq!(
        change(&r, "module.phi_bucket[\"imaging\"].aws_s3_bucket_ownership_controls.this", "rule[0].object_ownership")
            ["live"],
        "ObjectWriter"
    );
    assert_eq!(status(&r, "module.phi_bucket[\"records\"].aws_s3_bucket_lifecycle_configuration.this[0]"), "missing");
    assert_eq!(status(&r, "aws_kms_alias.phi"), "missing");
    assert_eq!(change(&r, "aws_db_subnet_group.main", "description")["live"], "changed by hand");
    assert_agrees_with_terraform(fx, &r);
}

/// A finding: rule, address (or `TYPE ID` when unmanaged), message.
type Key = (String, String, String);

fn findings(report: &Value) -> BTreeSet<Key> {
    report["findings"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| {
            assert_eq!(f["view"], "live", "{f:#}");
            let at = match f["address"].as_str() {
                Some(a) => a.to_string(),
                None => format!("{} {}", f["type"].as_str().unwrap(), f["id"].as_str().unwrap()),
            };
            (f["rule_id"].as_str().unwrap().to_string(), at, f["message"].as_str().unwrap().to_string())
        })
        .collect()
}

/// The rules this test was written against; the rules added later are checked by `CHANGED`.
const KNOWN_RULES: &[&str] = &[
    "HS-EBS-001",
    "HS-KMS-001",
    "HS-NET-001",
    "HS-NET-002",
    "HS-RDS-001",
    "HS-RDS-004",
    "HS-RDS-005",
    "HS-S3-001",
    "HS-S3-003",
    "HS-S3-004",
];

/// `(rule, where)` of the findings of known rules.
fn known(fs: &BTreeSet<Key>) -> BTreeSet<(String, String)> {
    fs.iter().filter(|(r, ..)| KNOWN_RULES.contains(&r.as_str())).map(|(r, a, _)| (r.clone(), a.clone())).collect()
}

fn expected(list: &[(&str, &str)]) -> BTreeSet<(String, String)> {
    list.iter().map(|(r, a)| (r.to_string(), a.to_string())).collect()
}

/// What the clean core stack fails by design: the access-log and export buckets are plain
/// buckets (no SSE-KMS, versioning or public access block: the stack keeps them minimal to
/// exercise buckets without split resources), the analytics cluster keeps 14 days of
/// backups (drift on it is tested with a short retention), and the web tier takes HTTPS from
/// anywhere (an internet-facing tier; a real estate would waive it). The access-log bucket
/// is not judged on SSE-KMS (HS-S3-001): it receives server access logs, which AWS delivers
/// only to SSE-S3 buckets.
const CLEAN_FINDINGS: &[(&str, &str)] = &[
    ("HS-NET-001", "aws_security_group.web"),
    ("HS-RDS-004", "aws_rds_cluster.analytics"),
    ("HS-S3-001", "aws_s3_bucket.exports"),
    ("HS-S3-003", "aws_s3_bucket.exports"),
    ("HS-S3-003", "aws_s3_bucket.logs[0]"),
    ("HS-S3-004", "aws_s3_bucket.exports"),
    ("HS-S3-004", "aws_s3_bucket.logs[0]"),
];

/// What the out-of-band changes break. SSH from anywhere is one finding, the admin-port rule's
/// (HS-NET-001 leaves SSH and RDP to HS-NET-002: one open rule, one finding).
const NEW_FINDINGS: &[(&str, &str)] = &[
    ("HS-KMS-001", "aws_kms_key.phi"),
    ("HS-NET-002", "aws_security_group.web"),
    ("HS-RDS-004", "aws_db_instance.records"),
    ("HS-RDS-005", "aws_db_instance.records"),
    ("HS-S3-001", "module.phi_bucket[\"records\"].aws_s3_bucket_server_side_encryption_configuration.this"),
    ("HS-S3-003", "module.phi_bucket[\"imaging\"].aws_s3_bucket_versioning.this"),
    ("HS-S3-004", "module.phi_bucket[\"records\"].aws_s3_bucket.this"),
    ("HS-S3-001", "aws_s3_bucket clinic-scratch-by-hand"),
    ("HS-S3-003", "aws_s3_bucket clinic-scratch-by-hand"),
    ("HS-S3-004", "aws_s3_bucket clinic-scratch-by-hand"),
];

/// Everything the out-of-band changes touched, where any rule may newly fire.
const CHANGED: &[&str] = &[
    "aws_instance.app",
    "aws_kms_key.phi",
    "aws_security_group.web",
    "aws_db_instance.records",
    "module.phi_bucket[\"records\"].aws_s3_bucket_server_side_encryption_configuration.this",
    "module.phi_bucket[\"records\"].aws_s3_bucket.this",
    "module.phi_bucket[\"imaging\"].aws_s3_bucket_versioning.this",
    "module.phi_bucket[\"imaging\"].aws_s3_bucket.this",
    "aws_s3_bucket clinic-scratch-by-hand",
];

/// Every finding carries its rule's controls for HIPAA, SOC 2 and GDPR.
fn assert_controls(report: &Value) {
    let rules = plumb::rules::RuleSet::baseline();
    for f in report["findings"].as_array().unwrap() {
        let rule = rules.get(f["rule_id"].as_str().unwrap()).expect("a baseline rule");
        assert_eq!(f["controls"], serde_json::to_value(&rule.meta.controls).unwrap(), "{f:#}");
        assert_eq!(f["severity"], rule.meta.severity.as_str(), "{f:#}");
        let c = &f["controls"];
        assert!(c["hipaa"].is_array() && c["soc2"].is_array() && c["gdpr"].is_array(), "{f:#}");
    }
}

fn waivers_file(text: &str) -> (tempfile::TempDir, String) {
    let dir = tempfile::tempdir().unwrap();
    let p = dir.path().join("waivers.yaml");
    std::fs::write(&p, text).unwrap();
    let s = p.to_string_lossy().into_owned();
    (dir, s)
}

/// The oracle: every resource that `terraform plan -refresh-only` shows with a real change is
/// drifted or missing in Plumb's report, and Plumb reports nothing the plan does not show
/// (unmanaged resources aside: Terraform cannot see them).
fn assert_agrees_with_terraform(fx: &Fixture, r: &BTreeMap<String, Value>) {
    let plan = fx.stack.refresh_only_plan();
    let oracle: BTreeMap<String, Vec<(String, Value, Value)>> = resource_drift(&plan)
        .into_iter()
        .map(|(addr, before, after)| {
            let paths =
                changed_paths(&before, &after).into_iter().filter(|(p, b, a)| !is_noise(&addr, p, b, a)).collect();
            (addr, paths)
        })
        .collect();
    let plumb_changed: BTreeSet<String> = r
        .iter()
        .filter(|(_, v)| v["status"] == "drifted" || v["status"] == "missing")
        .map(|(k, _)| k.clone())
        .collect();
    for (addr, paths) in &oracle {
        if !paths.is_empty() || plan_deletes(&plan, addr) {
            assert!(
                plumb_changed.contains(addr),
                "terraform sees a real change on {addr} ({paths:?}) that plumb misses"
            );
        }
    }
    for addr in &plumb_changed {
        assert!(oracle.contains_key(addr), "plumb reports {addr} changed but terraform plan -refresh-only does not");
    }
}

fn tag(k: &str, v: &str) -> aws_sdk_ec2::types::Tag {
    aws_sdk_ec2::types::Tag::builder().key(k).value(v).build()
}

fn plan_deletes(plan: &Value, address: &str) -> bool {
    plan["resource_drift"]
        .as_array()
        .into_iter()
        .flatten()
        .any(|d| d["address"] == address && d["change"]["after"].is_null())
}

/// What the plan shows that a person would not call drift: null vs empty, `tags_all`
/// (the same change is under `tags`), volatile timestamps and statuses, and the stale inline
/// copies on `aws_s3_bucket` and security groups whose rules are separate resources.
fn is_noise(address: &str, path: &str, before: &Value, after: &Value) -> bool {
    const VOLATILE: &[&str] = &["tags_all", "latest_restorable_time", "instance_state", "status"];
    const BUCKET_INLINE: &[&str] =
        &["versioning", "server_side_encryption_configuration", "logging", "lifecycle_rule", "policy", "grant", "acl"];
    let top = path.split(['.', '[']).next().unwrap_or(path);
    // The resource type: the second-to-last dotted segment of the address.
    let rtype = address.rsplit('.').nth(1).unwrap_or_default();
    // The core stack's groups whose rules are separate resources.
    let split_rules = ["aws_security_group.db", "aws_security_group.legacy"].contains(&address);
    (empty_like(before) && empty_like(after))
        || VOLATILE.contains(&top)
        || (rtype == "aws_s3_bucket" && BUCKET_INLINE.contains(&top))
        || (split_rules && (top == "ingress" || top == "egress"))
}

//! CloudTrail attribution end to end: the core stack applied with real Terraform, changed out
//! of band through the AWS API, and CloudTrail log files written for those changes with the
//! emulator's real ids and ARNs (moto has no CloudTrail delivery). The files are read from a
//! folder and from a trail bucket on the emulator by `plumb scan --cloudtrail`, and by
//! `plumb blame`.
//!
//! Record shapes follow the real samples in shared/research/cloudtrail.md (appendix A-E);
//! testdata/cloudtrail/README.md says which shape comes from which sample. Noise around the
//! changes (ten of them, by four people through the console, the CLI and an SDK script):
//! Terraform's own writes earlier, a denied call later, reads, and a write on
//! another resource.
//!
//! One test function: the scenarios share one applied stack (RDS takes ~80 s to apply).

mod common;

use std::collections::BTreeMap;
use std::io::Write;
use std::path::{Path, PathBuf};

use common::*;
use serde_json::{Value, json};
use time::OffsetDateTime;
use time::format_description::well_known::Rfc3339;

const ALICE: &str = "alice@example.com";
const CONSOLE_ROLE_ARN: &str = "arn:aws:sts::123456789012:assumed-role/Admin/alice@example.com";
const TF_UA: &str = "APN/1.0 HashiCorp/1.0 Terraform/1.9.8 (+https://www.terraform.io) terraform-provider-aws/5.100.0 (+https://registry.terraform.io/providers/hashicorp/aws) aws-sdk-go-v2/1.36.3 ua/2.1 os/linux lang/go#1.24.2 md/GOOS#linux md/GOARCH#amd64 api/rds#1.93.2";
const SDK_UA: &str = "Boto3/1.35.36 md/Botocore#1.35.36 ua/2.0 os/linux#6.1.0 md/arch#x86_64 lang/python#3.12.6 md/pyimpl#CPython cfg/retry-mode#legacy Botocore/1.35.36";
const CLI_UA: &str = "aws-cli/2.17.60 md/awscrt#0.21.2 ua/2.0 os/macos#23.6.0 md/arch#x86_64 lang/python#3.12.6 md/pyimpl#CPython cfg/retry-mode#standard md/installer#exe md/prompt#off md/command#rds.modify-db-instance";

fn ts(t: OffsetDateTime) -> String {
    t.replace_nanosecond(0).unwrap().format(&Rfc3339).unwrap()
}

/// Who made a call, as CloudTrail's `userIdentity` plus the fields that go with it.
#[derive(Clone, Copy)]
enum Who {
    /// Appendix B: an assumed-role console session (`sessionCredentialFromConsole`).
    Console,
    /// Appendix A: an IAM user through Terraform's provider (its user agent).
    Terraform,
    /// Appendix A: an IAM user with the AWS CLI.
    Cli(&'static str),
    /// Appendix B's assumed-role identity with `sessionContext.sourceIdentity` (the person who
    /// assumed the role; research sec. 1), from a script using boto3 (sec. 4).
    Sdk(&'static str),
}

struct Log {
    seq: usize,
    records: Vec<Value>,
}

impl Log {
    fn add(
        &mut self,
        who: Who,
        at: OffsetDateTime,
        source: &str,
        name: &str,
        params: Value,
        response: Value,
    ) -> String {
        self.seq += 1;
        let id = format!("00000000-0000-4000-8000-{:012}", self.seq);
        let read_only = name.starts_with("Describe") || name.starts_with("Get") || name.starts_with("List");
        let mut r = json!({
            "eventVersion": "1.09",
            "eventTime": ts(at),
            "eventSource": format!("{source}.amazonaws.com"),
            "eventName": name,
            "awsRegion": REGION,
            "eventCategory": "Management",
            "eventType": "AwsApiCall",
            "readOnly": read_only,
            "recipientAccountId": ACCOUNT_ID,
            "eventID": id,
            "requestID": format!("req-{}", self.seq),
            "requestParameters": params,
            "responseElements": response,
            "tlsDetails": {"tlsVersion": "TLSv1.3", "cipherSuite": "TLS_AES_128_GCM_SHA256",
                           "clientProvidedHostHeader": format!("{source}.{REGION}.amazonaws.com")},
        });
        let o = r.as_object_mut().unwrap();
        match who {
            Who::Console => {
                o.insert("sessionCredentialFromConsole".into(), json!(true));
                o.insert("sourceIPAddress".into(), json!("AWS Internal"));
                o.insert("userAgent".into(), json!("AWS Internal"));
                o.insert(
                    "userIdentity".into(),
                    json!({"type": "AssumedRole", "arn": CONSOLE_ROLE_ARN,
                           "principalId": "AROAJ4ULUNLE6DYF4PCOK:alice@example.com", "accountId": ACCOUNT_ID,
                           "accessKeyId": "ASIASWJRT64ZWCAMGCWI",
                           "sessionContext": {"attributes": {"creationDate": ts(at - time::Duration::HOUR), "mfaAuthenticated": "true"},
                                              "sessionIssuer": {"type": "Role", "arn": "arn:aws:iam::123456789012:role/Admin",
                                                                "userName": "Admin", "accountId": ACCOUNT_ID}}}),
                );
            }
            Who::Terraform => {
                o.insert("sourceIPAddress".into(), json!("198.51.100.7"));
                o.insert("userAgent".into(), json!(TF_UA));
                o.insert(
                    "userIdentity".into(),
                    json!({"type": "IAMUser", "principalId": "AIDAEXAMPLETF", "arn": "arn:aws:iam::123456789012:user/terraform-ci",
                           "accountId": ACCOUNT_ID, "accessKeyId": "AKIAEXAMPLETF", "userName": "terraform-ci"}),
                );
            }
            Who::Cli(user) => {
                o.insert("sourceIPAddress".into(), json!("203.0.113.9"));
                o.insert("userAgent".into(), json!(CLI_UA));
                o.insert(
                    "userIdentity".into(),
                    json!({"type": "IAMUser", "principalId": "AIDAEXAMPLECLI", "arn": format!("arn:aws:iam::123456789012:user/{user}"),
                           "accountId": ACCOUNT_ID, "accessKeyId": "AKIAEXAMPLECLI", "userName": user}),
                );
            }
            Who::Sdk(person) => {
                o.insert("sourceIPAddress".into(), json!("192.0.2.44"));
                o.insert("userAgent".into(), json!(SDK_UA));
                o.insert(
                    "userIdentity".into(),
                    json!({"type": "AssumedRole", "principalId": "AROAEXAMPLEDEPLOY:ci-run-4711",
                           "arn": "arn:aws:sts::123456789012:assumed-role/Deploy/ci-run-4711",
                           "accountId": ACCOUNT_ID, "accessKeyId": "ASIAEXAMPLEDEPLOY",
                           "sessionContext": {"sourceIdentity": person,
                                              "attributes": {"creationDate": ts(at - time::Duration::MINUTE), "mfaAuthenticated": "false"},
                                              "sessionIssuer": {"type": "Role", "arn": "arn:aws:iam::123456789012:role/Deploy",
                                                                "userName": "Deploy", "accountId": ACCOUNT_ID}}}),
                );
            }
        }
        self.records.push(r);
        id
    }

    /// The last record fails with `AccessDenied` (nothing changed).
    fn deny_last(&mut self) {
        let r = self.records.last_mut().unwrap().as_object_mut().unwrap();
        r.insert("errorCode".into(), json!("AccessDenied"));
        r.insert(
            "errorMessage".into(),
            json!("User: arn:aws:iam::123456789012:user/mallory is not authorized to perform this action"),
        );
        r.insert("responseElements".into(), Value::Null);
    }

    /// Write as CloudTrail delivers: one gzip file per day under
    /// `AWSLogs/<acct>/CloudTrail/<region>/YYYY/MM/DD/`, records of a file in time order.
    fn write(&self, dir: &Path) -> Vec<(String, PathBuf)> {
        let mut by_day: BTreeMap<String, Vec<&Value>> = BTreeMap::new();
        for r in &self.records {
            by_day.entry(r["eventTime"].as_str().unwrap()[..10].to_string()).or_default().push(r);
        }
        let mut files = Vec::new();
        for (day, mut records) in by_day {
            records.sort_by_key(|r| r["eventTime"].as_str().unwrap().to_string());
            let (y, m, d) = (&day[..4], &day[5..7], &day[8..10]);
            let key = format!(
                "AWSLogs/{ACCOUNT_ID}/CloudTrail/{REGION}/{y}/{m}/{d}/{ACCOUNT_ID}_CloudTrail_{REGION}_{y}{m}{d}T2355Z_a1B2c3D4e5F6g7H8.json.gz"
            );
            let path = dir.join(&key);
            std::fs::create_dir_all(path.parent().unwrap()).unwrap();
            let mut gz = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::default());
            gz.write_all(serde_json::to_string(&json!({ "Records": records })).unwrap().as_bytes()).unwrap();
            std::fs::write(&path, gz.finish().unwrap()).unwrap();
            files.push((key, path));
        }
        files
    }
}

/// The single attribution of `address`: (actor, channel, event name, event id).
fn attributed(r: &BTreeMap<String, Value>, address: &str) -> (String, String, String, String) {
    let res = r.get(address).unwrap_or_else(|| panic!("{address} not in report: {:#?}", r.keys()));
    let a = res["attribution"].as_array().unwrap_or_else(|| panic!("{address}: no attribution: {res:#}"));
    assert!(!a.is_empty(), "{address}: empty attribution: {res:#}");
    let first = &a[0];
    let s = |k: &str| first[k].as_str().unwrap_or_default().to_string();
    (s("actor"), s("channel"), s("event_name"), s("event_id"))
}

#[test]
fn attribution_from_folder_bucket_and_blame() {
    let fx = core();
    let rt = tokio::runtime::Runtime::new().unwrap();
    let now = OffsetDateTime::now_utc();
    let ago = |h: i64| now - time::Duration::hours(h);

    let db_arn = fx.stack.attr("aws_db_instance.records", "arn");
    let web_sg = fx.stack.attr("aws_security_group.web", "id");
    let legacy_sg = fx.stack.attr("aws_security_group.legacy", "id");
    let key_id = fx.stack.attr("aws_kms_key.phi", "key_id");
    let key_arn = fx.stack.attr("aws_kms_key.phi", "arn");
    let vpc_id = fx.stack.attr("aws_vpc.main", "id");
    let subnet_b = fx.stack.attr("aws_subnet.b", "id");

    // 1. Out-of-band changes.
    let (ec2, rds, s3, kms) = (fx.emulator.ec2(), fx.emulator.rds(), fx.emulator.s3(), fx.emulator.kms());
    rt.block_on(async {
        out_of_band::weaken_db(&rds, "clinic-records").await;
        out_of_band::open_ssh(&ec2, &web_sg).await;
        out_of_band::suspend_versioning(&s3, "clinic-phi-imaging").await;
        kms.disable_key_rotation().key_id(&key_id).send().await.unwrap();
        s3.delete_bucket().bucket("clinic-exports").send().await.unwrap();
        s3.create_bucket().bucket("clinic-scratch-by-hand").send().await.unwrap();
        ec2.create_tags()
            .resources(&vpc_id)
            .tags(aws_sdk_ec2::types::Tag::builder().key("Owner").value("carol").build())
            .send()
            .await
            .unwrap();
        out_of_band::map_public_ip(&ec2, &subnet_b).await;
        s3.delete_public_access_block().bucket("clinic-phi-records").send().await.unwrap();
        kms.delete_alias().alias_name("alias/clinic-phi").send().await.unwrap();
    });

    // 2. The trail those calls (and noise) would have left.
    let mut log = Log { seq: 0, records: Vec::new() };
    let db_response = |retention: i64, protection: bool| {
        json!({"dBInstanceIdentifier": "clinic-records", "dBInstanceArn": db_arn, "dBInstanceStatus": "available",
               "backupRetentionPeriod": retention, "deletionProtection": protection, "pendingModifiedValues": {},
               "engine": "postgres", "instanceCreateTime": "Oct 10, 2024 3:17:35 PM"})
    };
    // Terraform's apply, three days ago: the values the state holds.
    let tf_db = log.add(
        Who::Terraform,
        ago(72),
        "rds",
        "ModifyDBInstance",
        json!({"dBInstanceIdentifier": "clinic-records", "backupRetentionPeriod": 35, "deletionProtection": true,
               "applyImmediately": true, "allowMajorVersionUpgrade": false}),
        db_response(35, true),
    );
    log.add(
        Who::Terraform,
        ago(72),
        "rds",
        "DescribeDBInstances",
        json!({"dBInstanceIdentifier": "clinic-records"}),
        Value::Null,
    );
    log.add(Who::Terraform, ago(72), "kms", "EnableKeyRotation", json!({"keyId": key_id}), Value::Null);
    // The console changes, two hours ago.
    let console_db = log.add(
        Who::Console,
        ago(2),
        "rds",
        "ModifyDBInstance",
        json!({"dBInstanceIdentifier": "clinic-records", "backupRetentionPeriod": 7, "deletionProtection": false,
               "applyImmediately": true, "allowMajorVersionUpgrade": false}),
        db_response(35, false),
    );
    let console_sg = log.add(
        Who::Console,
        ago(2),
        "ec2",
        "AuthorizeSecurityGroupIngress",
        json!({"groupId": web_sg, "ipPermissions": {"items": [{"fromPort": 22, "groups": {}, "ipProtocol": "tcp",
               "ipRanges": {"items": [{"cidrIp": "0.0.0.0/0"}]}, "ipv6Ranges": {}, "prefixListIds": {}, "toPort": 22}]}}),
        json!({"_return": true, "requestId": "8ee075b1-8c09-4cfc-99f5-3f9bbc2382a7",
               "securityGroupRuleSet": {"items": [{"cidrIpv4": "0.0.0.0/0", "fromPort": 22, "groupId": web_sg,
               "groupOwnerId": ACCOUNT_ID, "ipProtocol": "tcp", "isEgress": false,
               "securityGroupRuleArn": format!("arn:aws:ec2:{REGION}:{ACCOUNT_ID}:security-group-rule/sgr-027eb7c59241731e0"),
               "securityGroupRuleId": "sgr-027eb7c59241731e0", "toPort": 22}]}}),
    );
    let console_versioning = log.add(
        Who::Console,
        ago(2),
        "s3",
        "PutBucketVersioning",
        json!({"Host": "clinic-phi-imaging.s3.us-east-1.amazonaws.com", "bucketName": "clinic-phi-imaging", "versioning": "",
               "VersioningConfiguration": {"Status": "Suspended", "xmlns": "http://s3.amazonaws.com/doc/2006-03-01/"}}),
        Value::Null,
    );
    // CLI changes by bob, three hours ago.
    let bob_kms = log.add(Who::Cli("bob"), ago(3), "kms", "DisableKeyRotation", json!({"keyId": key_arn}), Value::Null);
    let bob_delete = log.add(
        Who::Cli("bob"),
        ago(3),
        "s3",
        "DeleteBucket",
        json!({"Host": "clinic-exports.s3.us-east-1.amazonaws.com", "bucketName": "clinic-exports"}),
        Value::Null,
    );
    let bob_create = log.add(
        Who::Cli("bob"),
        ago(3),
        "s3",
        "CreateBucket",
        json!({"Host": "clinic-scratch-by-hand.s3.us-east-1.amazonaws.com", "bucketName": "clinic-scratch-by-hand"}),
        Value::Null,
    );
    let console_subnet = log.add(
        Who::Console,
        ago(2),
        "ec2",
        "ModifySubnetAttribute",
        json!({"subnetId": subnet_b, "mapPublicIpOnLaunch": {"value": true}}),
        json!({"requestId": "5e2f3a7c-1111-4a2b-9c3d-0123456789ab", "_return": true}),
    );
    // A deploy script run by carol through a role (sourceIdentity), four hours ago.
    let carol_tags = log.add(
        Who::Sdk("carol"),
        ago(4),
        "ec2",
        "CreateTags",
        json!({"resourcesSet": {"items": [{"resourceId": vpc_id}]}, "tagSet": {"items": [{"key": "Owner", "value": "carol"}]}}),
        json!({"requestId": "6a7b8c9d-2222-4e5f-8a9b-0123456789ab", "_return": true}),
    );
    // S3 logs DeletePublicAccessBlock as DeleteBucketPublicAccessBlock (research §5).
    let carol_pab = log.add(
        Who::Sdk("carol"),
        ago(4),
        "s3",
        "DeleteBucketPublicAccessBlock",
        json!({"publicAccessBlock": "", "bucketName": "clinic-phi-records",
               "Host": "clinic-phi-records.s3.us-east-1.amazonaws.com"}),
        Value::Null,
    );
    let bob_alias =
        log.add(Who::Cli("bob"), ago(3), "kms", "DeleteAlias", json!({"aliasName": "alias/clinic-phi"}), Value::Null);
    // Noise: a denied call after the console change, setting another value; reads; a write on
    // another security group.
    let denied = log.add(
        Who::Cli("mallory"),
        ago(1),
        "rds",
        "ModifyDBInstance",
        json!({"dBInstanceIdentifier": "clinic-records", "backupRetentionPeriod": 1, "applyImmediately": true}),
        Value::Null,
    );
    log.deny_last();
    log.add(
        Who::Console,
        ago(1),
        "rds",
        "DescribeDBInstances",
        json!({"dBInstanceIdentifier": "clinic-records"}),
        Value::Null,
    );
    log.add(
        Who::Console,
        ago(1),
        "s3",
        "GetBucketVersioning",
        json!({"bucketName": "clinic-phi-imaging"}),
        Value::Null,
    );
    let other = log.add(
        Who::Cli("bob"),
        ago(1),
        "ec2",
        "AuthorizeSecurityGroupIngress",
        json!({"groupId": legacy_sg, "ipPermissions": {"items": [{"fromPort": 443, "groups": {}, "ipProtocol": "tcp",
               "ipRanges": {"items": [{"cidrIp": "10.0.0.0/8"}]}, "ipv6Ranges": {}, "prefixListIds": {}, "toPort": 443}]}}),
        json!({"_return": true}),
    );
    let trail_dir = Path::new(env!("CARGO_TARGET_TMPDIR")).join(format!("attribution-e2e-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&trail_dir);
    let files = log.write(&trail_dir);
    assert!(files.len() >= 2, "a day of Terraform and a day of changes");

    // 3. From the folder: every drifted, missing and unmanaged item named.
    let check = |run: Run, source: &str| {
        assert_eq!(run.code, 1, "{source}: drift exits 1\n{}\n{}", run.stdout, run.stderr);
        let report = run.json();
        let r = by_address(&report);
        let console = |e: &str| (ALICE.to_string(), "console".to_string(), e.to_string());
        let bob = |e: &str| ("bob".to_string(), "cli".to_string(), e.to_string());
        let carol = |e: &str| ("carol".to_string(), "sdk".to_string(), e.to_string());
        let expect = [
            ("aws_db_instance.records", console("ModifyDBInstance"), &console_db),
            ("aws_security_group.web", console("AuthorizeSecurityGroupIngress"), &console_sg),
            (
                "module.phi_bucket[\"imaging\"].aws_s3_bucket_versioning.this",
                console("PutBucketVersioning"),
                &console_versioning,
            ),
            ("aws_kms_key.phi", bob("DisableKeyRotation"), &bob_kms),
            ("aws_s3_bucket.exports", bob("DeleteBucket"), &bob_delete),
            ("aws_s3_bucket clinic-scratch-by-hand", bob("CreateBucket"), &bob_create),
            ("aws_subnet.b", console("ModifySubnetAttribute"), &console_subnet),
            ("aws_vpc.main", carol("CreateTags"), &carol_tags),
            (
                "module.phi_bucket[\"records\"].aws_s3_bucket_public_access_block.this",
                carol("DeleteBucketPublicAccessBlock"),
                &carol_pab,
            ),
            ("aws_kms_alias.phi", bob("DeleteAlias"), &bob_alias),
        ];
        for (address, (actor, channel, event), id) in expect {
            let got = attributed(&r, address);
            assert_eq!((&got.0, &got.1, &got.2), (&actor, &channel, &event), "{source}: {address}: {:#}", r[address]);
            assert_eq!(&got.3, id, "{source}: {address}: event id");
        }
        // Every judged item that is not in sync carries an attribution; nothing else does.
        for (address, res) in &r {
            let has = res["attribution"].as_array().is_some_and(|a| !a.is_empty());
            if res["status"] == "in_sync" {
                assert!(!has, "{source}: in-sync {address} attributed: {res:#}");
            } else {
                assert!(has, "{source}: {address} ({}) not attributed: {res:#}", res["status"]);
            }
        }
        let text = report.to_string();
        for never in [&tf_db, &denied, &other] {
            assert!(!text.contains(never.as_str()), "{source}: event {never} must not be a cause");
        }
    };
    let dir = trail_dir.to_str().unwrap();
    check(fx.scan(&["--cloudtrail", dir]), "folder");

    // 4. From a trail bucket on the emulator (same files, under a trail prefix).
    rt.block_on(async {
        s3.create_bucket().bucket("org-cloudtrail-logs").send().await.unwrap();
        for (key, path) in &files {
            s3.put_object()
                .bucket("org-cloudtrail-logs")
                .key(format!("trails/{key}"))
                .body(std::fs::read(path).unwrap().into())
                .send()
                .await
                .unwrap();
        }
    });
    // The trail bucket is itself unmanaged now: attributed to nobody (no record of it).
    let run = fx.scan(&["--cloudtrail", "s3://org-cloudtrail-logs/trails"]);
    assert_eq!(run.code, 1, "{}\n{}", run.stdout, run.stderr);
    let report = run.json();
    let mut r = by_address(&report);
    let trail_bucket = r.remove("aws_s3_bucket org-cloudtrail-logs").expect("trail bucket is unmanaged");
    assert!(trail_bucket["attribution"].as_array().is_none_or(|a| a.is_empty()), "{trail_bucket:#}");
    let mut without = report.clone();
    without["resources"].as_array_mut().unwrap().retain(|x| x["id"] != "org-cloudtrail-logs");
    check(Run { code: 1, stdout: without.to_string(), stderr: run.stderr.clone() }, "s3://org-cloudtrail-logs/trails");

    // 5. Text output: the sentence under the drifted resource.
    let state = fx.stack.state_path();
    let state = state.to_str().unwrap();
    let text = fx.emulator.plumb(&["scan", "--state", state, "--cloudtrail", dir, "--no-color"]);
    assert_eq!(text.code, 1, "{}", text.stderr);
    assert!(
        text.stdout.contains("changed by alice@example.com in the console, ")
            && text.stdout.contains("ModifyDBInstance"),
        "{}",
        text.stdout
    );
    assert!(text.stdout.contains("deleted by bob "), "{}", text.stdout);
    assert!(text.stdout.contains("created by bob "), "{}", text.stdout);

    // 6. `plumb blame`: the database's write history, newest first.
    let run = fx.emulator.plumb(&[
        "blame",
        "aws_db_instance.records",
        "--state",
        state,
        "--cloudtrail",
        dir,
        "--format",
        "json",
    ]);
    assert_eq!(run.code, 0, "{}\n{}", run.stdout, run.stderr);
    let blame = run.json();
    let events = blame["events"].as_array().unwrap();
    let ids: Vec<&str> = events.iter().map(|e| e["event_id"].as_str().unwrap()).collect();
    assert_eq!(ids, [denied.as_str(), console_db.as_str(), tf_db.as_str()], "{blame:#}");
    assert_eq!(
        (events[0]["status"].as_str(), events[0]["error_code"].as_str()),
        (Some("failed"), Some("AccessDenied"))
    );
    assert_eq!(events[0]["changes"], json!([]));
    assert_eq!((events[1]["actor"].as_str(), events[1]["channel"].as_str()), (Some(ALICE), Some("console")));
    assert_eq!(events[1]["status"], "succeeded");
    assert_eq!((events[2]["actor"].as_str(), events[2]["channel"].as_str()), (Some("terraform-ci"), Some("terraform")));
    assert_eq!(events[2]["status"], "succeeded");
    let blame_text = fx.emulator.plumb(&["blame", "aws_db_instance.records", "--state", state, "--cloudtrail", dir]);
    assert_eq!(blame_text.code, 0, "{}", blame_text.stderr);
    assert!(blame_text.stdout.contains("FAILED AccessDenied"), "{}", blame_text.stdout);
    assert!(blame_text.stdout.contains("3 write events"), "{}", blame_text.stdout);

    let _ = std::fs::remove_dir_all(&trail_dir);
}

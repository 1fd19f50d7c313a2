//! End to end against the emulator: the data stack (ElastiCache, Secrets Manager, SNS, SQS,
//! DynamoDB, ECR) applied with real Terraform, scanned clean, changed out of band through the
//! AWS API, scanned again, and checked against `terraform plan -refresh-only`.
//!
//! The replication group's AUTH token comes from a sensitive variable: it must never appear in
//! Plumb's output. A hand-made replication group without encryption or AUTH shows the
//! ElastiCache rules judging live resources (unmanaged, by id); the managed group's transit
//! encryption switched to `preferred` shows HS-ECA-002 at its address.
//!
//! One test function: the scenarios share one applied stack (~90 s to apply, most of it the
//! provider's SQS attribute waits, queue then policy, and ElastiCache's 30 s status delay).

mod common;

use std::collections::{BTreeMap, BTreeSet};

use common::*;
use serde_json::Value;

/// The dummy AUTH token the stack is applied with.
const AUTH_TOKEN: &str = "not-a-real-token-0123456789";

/// The types this stack exercises (all read live). `aws_secretsmanager_secret_rotation` is
/// read but not in the stack: the emulator rotates only through a Lambda function it can run.
const TYPES: &[&str] = &[
    "aws_elasticache_replication_group",
    "aws_elasticache_cluster",
    "aws_elasticache_subnet_group",
    "aws_secretsmanager_secret",
    "aws_secretsmanager_secret_policy",
    "aws_sns_topic",
    "aws_sns_topic_policy",
    "aws_sns_topic_subscription",
    "aws_sqs_queue",
    "aws_sqs_queue_policy",
    "aws_dynamodb_table",
    "aws_ecr_repository",
    "aws_ecr_lifecycle_policy",
];

const SESSIONS: &str = "aws_elasticache_replication_group.sessions";

fn data() -> &'static Fixture {
    shared("data", &[("cache_auth_token", AUTH_TOKEN)])
}

fn status<'a>(r: &'a BTreeMap<String, Value>, address: &str) -> &'a str {
    r.get(address).unwrap_or_else(|| panic!("{address} not in report: {:#?}", r.keys()))["status"].as_str().unwrap()
}

fn change<'a>(r: &'a BTreeMap<String, Value>, address: &str, path: &str) -> &'a Value {
    let res = r.get(address).unwrap_or_else(|| panic!("{address} not in report"));
    res["changes"]
        .as_array()
        .unwrap()
        .iter()
        .find(|c| c["path"] == path)
        .unwrap_or_else(|| panic!("{address}: no change at {path}: {res:#}"))
}

fn paths(r: &BTreeMap<String, Value>, address: &str) -> BTreeSet<String> {
    r[address]["changes"].as_array().unwrap().iter().map(|c| c["path"].as_str().unwrap().to_string()).collect()
}

/// `(rule, address or "type id")` of every finding.
fn findings(report: &Value) -> BTreeSet<(String, String)> {
    report["findings"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| {
            let at = match f["address"].as_str() {
                Some(a) => a.to_string(),
                None => format!("{} {}", f["type"].as_str().unwrap_or("-"), f["id"].as_str().unwrap_or("-")),
            };
            (f["rule_id"].as_str().unwrap().to_string(), at)
        })
        .collect()
}

fn finding(rule: &str, at: &str) -> (String, String) {
    (rule.to_string(), at.to_string())
}

#[test]
fn data_stack_clean_then_changed_out_of_band() {
    let started = std::time::Instant::now();
    let fx = data();
    eprintln!("data stack applied in {:.0?} (terraform apply {:.0?})", started.elapsed(), fx.stack.apply_time());
    let rt = tokio::runtime::Runtime::new().unwrap();
    let state = fx.stack.resources();

    // 1. Right after apply: complete, every managed resource in sync, nothing unmanaged, every
    //    type of the stack judged, the token nowhere, the ElastiCache rules satisfied.
    let clean = fx.scan(&["--fail-on", "none"]);
    let report = clean.json();
    assert_eq!(report["complete"], true, "{:#}", report["errors"]);
    assert_eq!(clean.code, 0, "a clean stack exits 0\n{}", clean.stderr);
    assert!(!clean.mentions(AUTH_TOKEN), "the AUTH token leaked");
    assert!(!clean.stderr.contains("not evaluated"), "a rule was skipped: {}", clean.stderr);
    let r = by_address(&report);
    let not_in_sync: Vec<&Value> = r.values().filter(|v| v["status"] != "in_sync").collect();
    assert!(not_in_sync.is_empty(), "clean stack not in sync: {not_in_sync:#?}");
    assert_eq!(report["summary"]["unmanaged"], 0);
    assert_eq!(report["not_judged"].as_array().map(Vec::len), Some(0), "{:#}", report["not_judged"]);
    let mut seen = BTreeSet::new();
    for (address, rtype, _) in &state {
        assert_eq!(status(&r, address), "in_sync", "{address}");
        seen.insert(rtype.as_str());
    }
    let missing_types: Vec<&&str> = TYPES.iter().filter(|t| !seen.contains(**t)).collect();
    assert!(missing_types.is_empty(), "the stack exercises every type: {missing_types:?}");
    let clean_findings = findings(&report);
    assert!(!clean_findings.iter().any(|(rule, _)| rule.starts_with("HS-ECA")), "{clean_findings:?}");

    // 2. Out-of-band changes, one or more per type, as people make them in the console or CLI.
    let conf = fx.emulator.sdk_config();
    let elasticache = aws_sdk_elasticache::Client::new(&conf);
    let secretsmanager = aws_sdk_secretsmanager::Client::new(&conf);
    let sns = aws_sdk_sns::Client::new(&conf);
    let sqs = aws_sdk_sqs::Client::new(&conf);
    let dynamodb = aws_sdk_dynamodb::Client::new(&conf);
    let ecr = aws_sdk_ecr::Client::new(&conf);
    let secret_arn = fx.stack.attr("aws_secretsmanager_secret.db", "arn");
    let topic_arn = fx.stack.attr("aws_sns_topic.events", "arn");
    let orders_subscription = fx.stack.attr("aws_sns_topic_subscription.queues[\"orders\"]", "arn");
    let audit_subscription = fx.stack.attr("aws_sns_topic_subscription.queues[\"audit\"]", "arn");
    let audit_queue = fx.stack.attr("aws_sqs_queue.this[\"audit\"]", "url");
    let orders_queue = fx.stack.attr("aws_sqs_queue.this[\"orders\"]", "url");
    let subnet_group_arn = fx.stack.attr("aws_elasticache_subnet_group.cache", "arn");
    let open_policy = |resource: &str, action: &str| {
        format!(
            r#"{{"Version":"2012-10-17","Statement":[{{"Sid":"Everyone","Effect":"Allow","Principal":"*","Action":"{action}","Resource":"{resource}"}}]}}"#
        )
    };
    rt.block_on(async {
        use aws_sdk_elasticache::types::{Tag as CacheTag, TransitEncryptionMode};
        elasticache
            .modify_replication_group()
            .replication_group_id("data-sessions")
            .transit_encryption_mode(TransitEncryptionMode::Preferred)
            .snapshot_retention_limit(1)
            .apply_immediately(true)
            .send()
            .await
            .unwrap();
        elasticache
            .modify_cache_cluster()
            .cache_cluster_id("data-lookup")
            .preferred_maintenance_window("mon:01:00-mon:02:00")
            .apply_immediately(true)
            .send()
            .await
            .unwrap();
        elasticache
            .add_tags_to_resource()
            .resource_name(&subnet_group_arn)
            .tags(CacheTag::builder().key("Owner").value("someone").build())
            .send()
            .await
            .unwrap();
        // A cache made by hand: no encryption, no AUTH.
        elasticache
            .create_replication_group()
            .replication_group_id("data-scratch")
            .replication_group_description("made by hand")
            .engine("redis")
            .cache_node_type("cache.t4g.micro")
            .num_cache_clusters(1)
            .send()
            .await
            .unwrap();

        secretsmanager.update_secret().secret_id(&secret_arn).description("rotated by hand").send().await.unwrap();
        secretsmanager
            .put_resource_policy()
            .secret_id(&secret_arn)
            .resource_policy(open_policy("*", "secretsmanager:GetSecretValue"))
            .send()
            .await
            .unwrap();

        sns.set_topic_attributes()
            .topic_arn(&topic_arn)
            .attribute_name("DisplayName")
            .attribute_value("Renamed")
            .send()
            .await
            .unwrap();
        sns.set_topic_attributes()
            .topic_arn(&topic_arn)
            .attribute_name("Policy")
            .attribute_value(open_policy(&topic_arn, "SNS:Publish"))
            .send()
            .await
            .unwrap();
        sns.set_subscription_attributes()
            .subscription_arn(&orders_subscription)
            .attribute_name("RawMessageDelivery")
            .attribute_value("false")
            .send()
            .await
            .unwrap();
        sns.unsubscribe().subscription_arn(&audit_subscription).send().await.unwrap();

        use aws_sdk_sqs::types::QueueAttributeName;
        sqs.set_queue_attributes()
            .queue_url(&audit_queue)
            .attributes(QueueAttributeName::VisibilityTimeout, "120")
            .send()
            .await
            .unwrap();
        sqs.set_queue_attributes()
            .queue_url(&orders_queue)
            .attributes(QueueAttributeName::Policy, open_policy("*", "sqs:SendMessage"))
            .send()
            .await
            .unwrap();

        use aws_sdk_dynamodb::types::{PointInTimeRecoverySpecification, TimeToLiveSpecification};
        dynamodb
            .update_continuous_backups()
            .table_name("data-records")
            .point_in_time_recovery_specification(
                PointInTimeRecoverySpecification::builder().point_in_time_recovery_enabled(false).build().unwrap(),
            )
            .send()
            .await
            .unwrap();
        dynamodb
            .update_time_to_live()
            .table_name("data-records")
            .time_to_live_specification(
                TimeToLiveSpecification::builder().enabled(false).attribute_name("expires_at").build().unwrap(),
            )
            .send()
            .await
            .unwrap();

        use aws_sdk_ecr::types::{ImageScanningConfiguration, ImageTagMutability};
        ecr.put_image_tag_mutability()
            .repository_name("clinic/app")
            .image_tag_mutability(ImageTagMutability::Mutable)
            .send()
            .await
            .unwrap();
        ecr.put_image_scanning_configuration()
            .repository_name("clinic/app")
            .image_scanning_configuration(ImageScanningConfiguration::builder().scan_on_push(false).build())
            .send()
            .await
            .unwrap();
        ecr.delete_lifecycle_policy().repository_name("clinic/app").send().await.unwrap();
    });

    // 3. Every change at its address and path.
    let run = fx.scan(&["--fail-on", "none"]);
    assert_eq!(run.code, 1, "drift exits 1\n{}", run.stderr);
    assert!(!run.mentions(AUTH_TOKEN), "the AUTH token leaked");
    let report = run.json();
    assert_eq!(report["complete"], true, "{:#}", report["errors"]);
    let r = by_address(&report);

    assert_eq!(change(&r, SESSIONS, "transit_encryption_mode")["live"], "preferred");
    assert_eq!(change(&r, SESSIONS, "snapshot_retention_limit")["live"], 1);
    assert_eq!(
        paths(&r, SESSIONS),
        ["snapshot_retention_limit", "transit_encryption_mode"].map(String::from).into(),
        "{:#}",
        r[SESSIONS]
    );
    assert_eq!(change(&r, "aws_elasticache_cluster.memcached", "maintenance_window")["live"], "mon:01:00-mon:02:00");
    assert_eq!(change(&r, "aws_elasticache_subnet_group.cache", "tags.Owner")["live"], "someone");
    assert_eq!(status(&r, "aws_elasticache_replication_group data-scratch"), "unmanaged");

    assert_eq!(change(&r, "aws_secretsmanager_secret.db", "description")["live"], "rotated by hand");
    assert_eq!(
        paths(&r, "aws_secretsmanager_secret.db"),
        ["description".to_string()].into(),
        "the policy is judged on its resource"
    );
    assert!(change(&r, "aws_secretsmanager_secret_policy.db", "policy")["live"].to_string().contains("Everyone"));

    assert_eq!(change(&r, "aws_sns_topic.events", "display_name")["live"], "Renamed");
    assert_eq!(paths(&r, "aws_sns_topic.events"), ["display_name".to_string()].into());
    assert!(change(&r, "aws_sns_topic_policy.events", "policy")["live"].to_string().contains("Everyone"));
    assert_eq!(change(&r, "aws_sns_topic_subscription.queues[\"orders\"]", "raw_message_delivery")["live"], false);
    assert_eq!(status(&r, "aws_sns_topic_subscription.queues[\"audit\"]"), "missing");

    assert_eq!(change(&r, "aws_sqs_queue.this[\"audit\"]", "visibility_timeout_seconds")["live"], 120);
    assert_eq!(status(&r, "aws_sqs_queue.this[\"orders\"]"), "in_sync", "the policy is judged on its resource");
    assert!(change(&r, "aws_sqs_queue_policy.this[\"orders\"]", "policy")["live"].to_string().contains("Everyone"));

    let table = "aws_dynamodb_table.records";
    assert_eq!(change(&r, table, "point_in_time_recovery[0].enabled")["live"], false);
    assert_eq!(change(&r, table, "ttl[0].enabled")["live"], false);

    assert_eq!(change(&r, "aws_ecr_repository.app", "image_tag_mutability")["live"], "MUTABLE");
    assert_eq!(change(&r, "aws_ecr_repository.app", "image_scanning_configuration[0].scan_on_push")["live"], false);
    assert_eq!(status(&r, "aws_ecr_lifecycle_policy.app"), "missing");

    for untouched in
        ["aws_sqs_queue.dlq[\"orders\"]", "aws_sqs_queue_policy.this[\"audit\"]", "aws_kms_key.data", "aws_vpc.data"]
    {
        assert_eq!(status(&r, untouched), "in_sync", "{:#}", r[untouched]);
    }
    // The hand-made group is the only unmanaged resource: its member cluster is AWS's.
    assert_eq!(report["summary"]["unmanaged"], 1, "{:#}", report["summary"]);

    // 4. The oracle agrees.
    let oracle = std::time::Instant::now();
    assert_agrees_with_terraform(fx, &r);
    eprintln!("refresh-only plan in {:.0?}", oracle.elapsed());

    // 5. The ElastiCache rules judge live groups: the managed one at its address, the
    //    hand-made one by type and id.
    let now = findings(&report);
    let scratch = "aws_elasticache_replication_group data-scratch";
    for f in [
        finding("HS-ECA-002", SESSIONS),
        finding("HS-ECA-001", scratch),
        finding("HS-ECA-002", scratch),
        finding("HS-ECA-003", scratch),
    ] {
        assert!(now.contains(&f), "{f:?} missing from {now:?}");
    }
    for rule in ["HS-ECA-001", "HS-ECA-003"] {
        assert!(!now.contains(&finding(rule, SESSIONS)), "{rule} on an encrypted group with AUTH: {now:?}");
    }
    eprintln!("scan_data finished in {:.0?}", started.elapsed());
}

/// Every resource `terraform plan -refresh-only` shows with a real change is drifted or
/// missing in Plumb's report, and Plumb reports nothing else changed.
fn assert_agrees_with_terraform(fx: &Fixture, r: &BTreeMap<String, Value>) {
    let plan = fx.stack.refresh_only_plan();
    // The owners whose policy is a resource of its own in this stack.
    let policy_owners: BTreeSet<&str> = [
        "aws_sns_topic.events",
        "aws_sqs_queue.this[\"orders\"]",
        "aws_sqs_queue.this[\"audit\"]",
        "aws_secretsmanager_secret.db",
    ]
    .into();
    let mut oracle: BTreeMap<String, Vec<(String, Value, Value)>> = BTreeMap::new();
    for (address, before, after) in resource_drift(&plan) {
        let deleted = after.is_null();
        let owns_policy = policy_owners.contains(address.as_str());
        let changed: Vec<_> =
            changed_paths(&before, &after).into_iter().filter(|(p, b, a)| !is_noise(owns_policy, p, b, a)).collect();
        if deleted || !changed.is_empty() {
            oracle.insert(address, changed);
        }
    }
    for (address, paths) in &oracle {
        assert!(
            matches!(r.get(address).and_then(|v| v["status"].as_str()), Some("drifted" | "missing")),
            "terraform sees a change on {address} ({paths:?}) that plumb misses: {:#}",
            r.get(address).cloned().unwrap_or_default()
        );
    }
    for (address, v) in r {
        if v["status"] == "drifted" || v["status"] == "missing" {
            assert!(
                oracle.contains_key(address),
                "plumb reports {address} changed, terraform plan -refresh-only does not"
            );
        }
    }
}

/// What the plan shows that nobody would call drift: null against empty, `tags_all`, and the
/// owners' stale `policy` copies (topic, queue, secret) whose policy is a resource of its own.
fn is_noise(owns_policy: bool, path: &str, before: &Value, after: &Value) -> bool {
    let top = path.split(['.', '[']).next().unwrap_or(path);
    (empty_like(before) && empty_like(after)) || top == "tags_all" || (owns_policy && top == "policy")
}

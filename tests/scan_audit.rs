//! End to end against the emulator: the audit stack (a multi-region trail into a KMS-encrypted
//! bucket and CloudWatch Logs, log groups, AWS Config, GuardDuty with a feature, Security Hub
//! with a standard, an ALB with an HTTPS listener on an ACM certificate and a redirecting HTTP
//! listener, a target group, a CloudFront distribution, a Lambda function with secrets in its
//! environment) applied with real Terraform, scanned clean, scanned with a second region that
//! has none of these services, changed out of band through the AWS API, scanned again, and
//! checked against `terraform plan -refresh-only`; the audit, logging and TLS rules judge the
//! live resources at the address to fix.
//!
//! One test function: the scenarios share one applied stack (~70 s to apply, most of it the
//! provider's load-balancer and distribution waiters).

mod common;

use std::collections::{BTreeMap, BTreeSet};

use common::*;
use serde_json::Value;

/// The types this stack exercises (all read live).
const TYPES: &[&str] = &[
    "aws_cloudtrail",
    "aws_cloudwatch_log_group",
    "aws_config_configuration_recorder",
    "aws_config_configuration_recorder_status",
    "aws_config_delivery_channel",
    "aws_guardduty_detector",
    "aws_guardduty_detector_feature",
    "aws_securityhub_account",
    "aws_securityhub_standards_subscription",
    "aws_lb",
    "aws_lb_listener",
    "aws_lb_target_group",
    "aws_acm_certificate",
    "aws_cloudfront_distribution",
    "aws_lambda_function",
];

/// The rules that run on code only before these types were read live.
const AUDIT_RULES: &[&str] = &[
    "HS-CT-001",
    "HS-CT-002",
    "HS-CT-003",
    "HS-CT-004",
    "HS-CT-005",
    "HS-LOG-001",
    "HS-LOG-002",
    "HS-CFG-001",
    "HS-GD-001",
    "HS-SH-001",
    "HS-TLS-001",
    "HS-TLS-002",
    "HS-TLS-003",
];

fn audit() -> &'static Fixture {
    shared("audit", &[("db_password", DB_PASSWORD)])
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

/// `(rule, address or "TYPE ID")` of every finding (findings carry no region: a pseudo-resource's
/// message names it).
fn findings(report: &Value) -> BTreeSet<(String, String)> {
    report["findings"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| {
            let at = match f["address"].as_str() {
                Some(a) => a.to_string(),
                None => format!("{} {}", f["type"].as_str().unwrap_or("?"), f["id"].as_str().unwrap_or("?")),
            };
            (f["rule_id"].as_str().unwrap().to_string(), at)
        })
        .collect()
}

fn finding(rule: &str, at: &str) -> (String, String) {
    (rule.to_string(), at.to_string())
}

#[test]
fn audit_stack_clean_then_changed_out_of_band() {
    let started = std::time::Instant::now();
    let fx = audit();
    eprintln!("audit stack applied in {:.0?} (terraform apply {:.0?})", started.elapsed(), fx.stack.apply_time());
    let rt = tokio::runtime::Runtime::new().unwrap();
    let state = fx.stack.resources();

    // 1. Right after apply: complete, everything in sync, nothing unmanaged, every type of the
    //    stack judged; no audit or TLS rule fires on the hardened stack.
    let clean = fx.scan(&["--fail-on", "none"]);
    let report = clean.json();
    assert_eq!(report["complete"], true, "{:#}", report["errors"]);
    assert!(!clean.mentions(DB_PASSWORD), "a Lambda environment secret left AWS");
    assert!(!clean.stderr.contains("not evaluated"), "a rule was skipped: {}", clean.stderr);
    let r = by_address(&report);
    let not_in_sync: Vec<&Value> = r.values().filter(|v| v["status"] != "in_sync").collect();
    assert!(not_in_sync.is_empty(), "clean stack not in sync: {not_in_sync:#?}");
    assert_eq!(report["summary"]["unmanaged"], 0);
    let mut seen = BTreeSet::new();
    for (address, rtype, _) in &state {
        if TYPES.contains(&rtype.as_str()) {
            assert_eq!(status(&r, address), "in_sync", "{address}");
            seen.insert(rtype.as_str());
        }
    }
    assert_eq!(seen.len(), TYPES.len(), "the stack exercises every type: {seen:?}");
    let clean_findings = findings(&report);
    let audit_findings: Vec<_> =
        clean_findings.iter().filter(|(rule, _)| AUDIT_RULES.contains(&rule.as_str())).collect();
    assert!(audit_findings.is_empty(), "audit rules fire on the hardened stack: {audit_findings:?}");
    eprintln!("clean scan done at {:.0?}", started.elapsed());

    // 2. A second region without any of the services: each is reported in its off state, fails
    //    its rule there, and is never unmanaged; the multi-region trail covers it (no
    //    pseudo-trail).
    let two = fx.scan(&["--fail-on", "none", "--region", REGION, "--region", "eu-west-1"]);
    let two = two.json();
    assert_eq!(two["complete"], true, "{:#}", two["errors"]);
    assert!(
        two["resources"].as_array().unwrap().iter().all(|r| r["status"] != "unmanaged"
            || r["region"] != "eu-west-1"
            || !TYPES.contains(&r["type"].as_str().unwrap())),
        "a service's off state is unmanaged: {:#}",
        two["resources"]
    );
    // The single-region scan above had no audit finding: these come from eu-west-1.
    let off = findings(&two);
    for f in [
        finding("HS-GD-001", "aws_guardduty_detector no-detector"),
        finding("HS-CFG-001", "aws_config_configuration_recorder no-recorder"),
        finding("HS-SH-001", "aws_securityhub_account securityhub-not-enabled"),
    ] {
        assert!(off.contains(&f), "{f:?} missing from {off:?}");
    }
    assert!(!off.iter().any(|(_, at)| at.contains("no-trail")), "the multi-region trail covers eu-west-1: {off:?}");
    let hub_off: Vec<&str> = two["findings"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|f| f["rule_id"] == "HS-SH-001")
        .filter_map(|f| f["message"].as_str())
        .collect();
    assert_eq!(hub_off, ["Security Hub is not enabled in eu-west-1"], "only eu-west-1 lacks Security Hub");
    let detector_off: Vec<&str> = two["findings"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|f| f["rule_id"] == "HS-GD-001")
        .filter_map(|f| f["message"].as_str())
        .collect();
    assert_eq!(
        detector_off,
        ["GuardDuty detector no-detector (eu-west-1) is disabled"],
        "the message names the region"
    );
    eprintln!("two-region scan done at {:.0?}", started.elapsed());

    // 3. Out-of-band changes, one or more per type.
    let conf = fx.emulator.sdk_config();
    let trail_arn = fx.stack.attr("aws_cloudtrail.main", "arn");
    let detector = fx.stack.attr("aws_guardduty_detector.main", "id");
    let subscription = fx.stack.attr("aws_securityhub_standards_subscription.fsbp", "id");
    let https = fx.stack.attr("aws_lb_listener.https", "arn");
    let http = fx.stack.attr("aws_lb_listener.http", "arn");
    let lb = fx.stack.attr("aws_lb.web", "arn");
    let tg = fx.stack.attr("aws_lb_target_group.web", "arn");
    let certificate = fx.stack.attr("aws_acm_certificate.web", "arn");
    let distribution = fx.stack.attr("aws_cloudfront_distribution.portal", "id");
    rt.block_on(async {
        let cloudtrail = aws_sdk_cloudtrail::Client::new(&conf);
        cloudtrail.stop_logging().name(&trail_arn).send().await.unwrap();
        cloudtrail.update_trail().name(&trail_arn).enable_log_file_validation(false).send().await.unwrap();

        let logs = aws_sdk_cloudwatchlogs::Client::new(&conf);
        logs.put_retention_policy().log_group_name("/clinic/api").retention_in_days(30).send().await.unwrap();

        let config = aws_sdk_config::Client::new(&conf);
        config.stop_configuration_recorder().configuration_recorder_name("default").send().await.unwrap();

        let guardduty = aws_sdk_guardduty::Client::new(&conf);
        guardduty.update_detector().detector_id(&detector).enable(false).send().await.unwrap();

        let securityhub = aws_sdk_securityhub::Client::new(&conf);
        securityhub.batch_disable_standards().standards_subscription_arns(&subscription).send().await.unwrap();

        use aws_sdk_elasticloadbalancingv2::types::{Action, ActionTypeEnum, LoadBalancerAttribute};
        let elb = aws_sdk_elasticloadbalancingv2::Client::new(&conf);
        elb.modify_listener().listener_arn(&https).ssl_policy("ELBSecurityPolicy-2016-08").send().await.unwrap();
        elb.modify_listener()
            .listener_arn(&http)
            .default_actions(Action::builder().r#type(ActionTypeEnum::Forward).target_group_arn(&tg).build())
            .send()
            .await
            .unwrap();
        elb.modify_load_balancer_attributes()
            .load_balancer_arn(&lb)
            .attributes(
                LoadBalancerAttribute::builder()
                    .key("routing.http.drop_invalid_header_fields.enabled")
                    .value("false")
                    .build(),
            )
            .send()
            .await
            .unwrap();
        elb.modify_target_group().target_group_arn(&tg).health_check_path("/").send().await.unwrap();

        let acm = aws_sdk_acm::Client::new(&conf);
        acm.add_tags_to_certificate()
            .certificate_arn(&certificate)
            .tags(aws_sdk_acm::types::Tag::builder().key("Owner").value("mallory").build().unwrap())
            .send()
            .await
            .unwrap();

        use aws_sdk_cloudfront::types::MinimumProtocolVersion;
        let cloudfront = aws_sdk_cloudfront::Client::new(&conf);
        let current = cloudfront.get_distribution_config().id(&distribution).send().await.unwrap();
        let mut config = current.distribution_config().unwrap().clone();
        let mut viewer = config.viewer_certificate.take().unwrap();
        viewer.minimum_protocol_version = Some(MinimumProtocolVersion::TlSv12016);
        config.viewer_certificate = Some(viewer);
        cloudfront
            .update_distribution()
            .id(&distribution)
            .if_match(current.e_tag().unwrap())
            .distribution_config(config)
            .send()
            .await
            .unwrap();

        let lambda = aws_sdk_lambda::Client::new(&conf);
        lambda.update_function_configuration().function_name("edge-api").memory_size(512).send().await.unwrap();
    });

    // 4. Every change at its address and path.
    let run = fx.scan(&["--fail-on", "none"]);
    assert_eq!(run.code, 1, "drift exits 1\n{}", run.stderr);
    assert!(!run.mentions(DB_PASSWORD));
    let report = run.json();
    assert_eq!(report["complete"], true, "{:#}", report["errors"]);
    let r = by_address(&report);
    assert_eq!(change(&r, "aws_cloudtrail.main", "enable_logging")["live"], false);
    assert_eq!(change(&r, "aws_cloudtrail.main", "enable_log_file_validation")["live"], false);
    assert_eq!(change(&r, "aws_cloudwatch_log_group.app[\"api\"]", "retention_in_days")["live"], 30);
    assert_eq!(status(&r, "aws_cloudwatch_log_group.app[\"worker\"]"), "in_sync");
    assert_eq!(change(&r, "aws_config_configuration_recorder_status.main", "is_enabled")["live"], false);
    assert_eq!(change(&r, "aws_guardduty_detector.main", "enable")["live"], false);
    assert_eq!(status(&r, "aws_securityhub_standards_subscription.fsbp"), "missing");
    assert_eq!(change(&r, "aws_lb_listener.https", "ssl_policy")["live"], "ELBSecurityPolicy-2016-08");
    assert_eq!(status(&r, "aws_lb_listener.http"), "drifted");
    assert_eq!(change(&r, "aws_lb.web", "drop_invalid_header_fields")["live"], false);
    assert_eq!(change(&r, "aws_lb_target_group.web", "health_check[0].path")["live"], "/");
    assert_eq!(change(&r, "aws_acm_certificate.web", "tags.Owner")["live"], "mallory");
    assert_eq!(
        change(&r, "aws_cloudfront_distribution.portal", "viewer_certificate[0].minimum_protocol_version")["live"],
        "TLSv1_2016"
    );
    assert_eq!(change(&r, "aws_lambda_function.api", "memory_size")["live"], 512);
    for untouched in [
        "aws_config_configuration_recorder.main",
        "aws_config_delivery_channel.main",
        "aws_guardduty_detector_feature.s3",
        "aws_securityhub_account.main",
        "aws_cloudwatch_log_group.trail",
    ] {
        assert_eq!(status(&r, untouched), "in_sync", "{:#}", r[untouched]);
    }
    assert_eq!(report["summary"]["unmanaged"], 0);
    eprintln!("changed scan done at {:.0?}", started.elapsed());

    // 5. The oracle agrees.
    let oracle = std::time::Instant::now();
    assert_agrees_with_terraform(fx, &r);
    eprintln!("refresh-only plan in {:.0?}", oracle.elapsed());

    // 6. The rules see the changes on the live view, at the resource to fix.
    let now = findings(&report);
    for f in [
        finding("HS-CT-001", "aws_cloudtrail.main"),
        finding("HS-CT-002", "aws_cloudtrail.main"),
        finding("HS-LOG-002", "aws_cloudwatch_log_group.app[\"api\"]"),
        finding("HS-CFG-001", "aws_config_configuration_recorder_status.main"),
        finding("HS-GD-001", "aws_guardduty_detector.main"),
        finding("HS-SH-001", "aws_securityhub_account.main"),
        finding("HS-TLS-001", "aws_lb_listener.https"),
        finding("HS-TLS-002", "aws_lb_listener.http"),
        finding("HS-TLS-003", "aws_cloudfront_distribution.portal"),
    ] {
        assert!(now.contains(&f), "{f:?} missing from {now:?}");
    }
    for quiet in ["HS-CT-003", "HS-CT-004", "HS-LOG-001"] {
        assert!(!now.iter().any(|(rule, _)| rule == quiet), "{quiet} fires: {now:?}");
    }
    eprintln!("audit test done in {:.0?}", started.elapsed());
}

/// Every resource `terraform plan -refresh-only` shows with a real change is drifted or
/// missing in Plumb's report, and Plumb reports nothing else changed.
fn assert_agrees_with_terraform(fx: &Fixture, r: &BTreeMap<String, Value>) {
    let plan = fx.stack.refresh_only_plan();
    let mut oracle: BTreeMap<String, Vec<(String, Value, Value)>> = BTreeMap::new();
    for (address, before, after) in resource_drift(&plan) {
        let deleted = after.is_null();
        let paths: Vec<_> =
            changed_paths(&before, &after).into_iter().filter(|(p, b, a)| !is_noise(&address, p, b, a)).collect();
        if deleted || !paths.is_empty() {
            oracle.insert(address, paths);
        }
    }
    let judged = |a: &str| r.get(a).is_some_and(|v| v["status"] != "not_judged");
    for (address, paths) in &oracle {
        if !judged(address) {
            continue;
        }
        assert!(
            matches!(r[address]["status"].as_str(), Some("drifted" | "missing")),
            "terraform sees a change on {address} ({paths:?}) that plumb misses: {:#}",
            r[address]
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

/// What the plan shows that nobody would call drift: null against empty, `tags_all`,
/// attributes the provider computes (an ACM certificate's status once validated, a target
/// group's load balancers, a distribution's ETag), the IAM role's inline-policy copy.
fn is_noise(address: &str, path: &str, before: &Value, after: &Value) -> bool {
    let top = path.split(['.', '[']).next().unwrap_or(path);
    let rtype = address.rsplit('.').nth(1).unwrap_or_default();
    let rtype = rtype.split('[').next().unwrap_or(rtype);
    let computed_only =
        plumb::schema::resource(rtype).and_then(|b| b.member(top)).is_some_and(|(_, configurable)| !configurable);
    (empty_like(before) && empty_like(after))
        || top == "tags_all"
        || computed_only
        || (rtype == "aws_iam_role" && top == "inline_policy")
        || (rtype == "aws_s3_bucket" && top == "policy")
}

//! Plumb never calls a mutating AWS API, and the shipped IAM policy (`docs/iam-policy.json`)
//! allows every call it makes. Both are checked on the source: every SDK operation called
//! on a client in `src/` must be a read (Describe/Get/List/Head) and map to an action in the
//! policy.

use std::collections::BTreeSet;
use std::path::Path;

/// SDK operation (snake case) to IAM action, where the action is not the operation's name.
const IAM_NAMES: &[(&str, &str)] = &[
    ("s3:list_buckets", "s3:ListAllMyBuckets"),
    ("s3:get_bucket_encryption", "s3:GetEncryptionConfiguration"),
    ("s3:get_public_access_block", "s3:GetBucketPublicAccessBlock"),
    ("s3:get_bucket_lifecycle_configuration", "s3:GetLifecycleConfiguration"),
    ("s3:get_object_lock_configuration", "s3:GetBucketObjectLockConfiguration"),
    ("s3:list_objects_v2", "s3:ListBucket"),
    ("iam:list_open_id_connect_providers", "iam:ListOpenIDConnectProviders"),
    ("iam:get_open_id_connect_provider", "iam:GetOpenIDConnectProvider"),
    ("s3:get_bucket_cors", "s3:GetBucketCORS"),
    ("s3:get_bucket_accelerate_configuration", "s3:GetAccelerateConfiguration"),
    ("s3:list_bucket_intelligent_tiering_configurations", "s3:GetIntelligentTieringConfiguration"),
    ("s3:list_bucket_metrics_configurations", "s3:GetMetricsConfiguration"),
    ("s3:get_bucket_notification_configuration", "s3:GetBucketNotification"),
    ("s3:get_bucket_replication", "s3:GetReplicationConfiguration"),
    ("s3control:get_public_access_block", "s3:GetAccountPublicAccessBlock"),
    ("cloudwatchlogs:describe_log_groups", "logs:DescribeLogGroups"),
    ("cloudwatchlogs:list_tags_for_resource", "logs:ListTagsForResource"),
    ("elasticloadbalancingv2:describe_load_balancers", "elasticloadbalancing:DescribeLoadBalancers"),
    ("elasticloadbalancingv2:describe_load_balancer_attributes", "elasticloadbalancing:DescribeLoadBalancerAttributes"),
    ("elasticloadbalancingv2:describe_listeners", "elasticloadbalancing:DescribeListeners"),
    ("elasticloadbalancingv2:describe_target_groups", "elasticloadbalancing:DescribeTargetGroups"),
    ("elasticloadbalancingv2:describe_target_group_attributes", "elasticloadbalancing:DescribeTargetGroupAttributes"),
    ("elasticloadbalancingv2:describe_tags", "elasticloadbalancing:DescribeTags"),
    ("s3:list_bucket_inventory_configurations", "s3:GetInventoryConfiguration"),
    ("s3:list_bucket_analytics_configurations", "s3:GetAnalyticsConfiguration"),
    ("s3:head_object", "s3:GetObject"),
];

/// Operations whose IAM access level is Read although their name is not Get/List/Describe.
/// GenerateCredentialReport makes IAM compute the account's credential report (at most
/// once every four hours) and changes no configuration; AWS classifies it as Read and
/// includes it in the managed `SecurityAudit` policy. docs/types/iam.md says why Plumb calls it.
const READ_LEVEL: &[&str] = &["iam:generate_credential_report"];

/// Not a read, allowed on purpose and alone: `sts:AssumeRole` opens a session in a member
/// account for `plumb scan --config` (src/estate/reach.rs). It changes nothing in any account;
/// the session's own calls are the reads above. docs/iam-policy.json allows it on the
/// PlumbReadOnly roles only (docs/estates.md).
const ASSUME_ROLE: &[&str] = &["sts:assume_role"];

fn camel(op: &str) -> String {
    op.split('_').map(|w| w[..1].to_uppercase() + &w[1..]).collect::<String>().replace("Db", "DB")
}

/// The services of the `aws-sdk-*` crates in Cargo.toml (`eks`, `elasticloadbalancingv2`).
fn sdk_services() -> Vec<String> {
    let manifest = std::fs::read_to_string(Path::new(env!("CARGO_MANIFEST_DIR")).join("Cargo.toml")).unwrap();
    manifest
        .lines()
        .filter_map(|l| l.strip_prefix("aws-sdk-"))
        .filter_map(|l| l.split([' ', '=']).next())
        .map(str::to_string)
        .collect()
}

fn sdk_calls() -> BTreeSet<(String, String)> {
    let mut calls = BTreeSet::new();
    let mut stack = vec![Path::new(env!("CARGO_MANIFEST_DIR")).join("src")];
    while let Some(dir) = stack.pop() {
        for e in std::fs::read_dir(dir).unwrap().flatten() {
            let p = e.path();
            if p.is_dir() {
                stack.push(p);
                continue;
            }
            if p.extension().is_none_or(|x| x != "rs") {
                continue;
            }
            let text: String = std::fs::read_to_string(&p).unwrap().split_whitespace().collect();
            // Every SDK crate of Cargo.toml whose client the file uses, its client variable
            // named after it (`eks.`, `autoscaling.`), and `ct` for the CloudTrail sources'
            // local client. (A file that never names `aws_sdk_config` has no Config client,
            // whatever its `config.` means.)
            let services = sdk_services();
            let used = services.iter().filter(|s| text.contains(&format!("aws_sdk_{s}::")));
            for (svc, var) in used.map(|s| (s.as_str(), s.as_str())).chain([("cloudtrail", "ct")]) {
                let pat = format!("{var}.");
                for (i, _) in text.match_indices(&pat) {
                    // Whitespace is gone (`match s3.get_object()` reads `matchs3.get_object()`), so
                    // only a short name needs a clean left edge (`select.`, `object.`).
                    let before = text[..i].chars().next_back().unwrap_or(' ');
                    if before == '_' || (var == "ct" && before.is_ascii_alphanumeric()) {
                        continue;
                    }
                    let rest = &text[i + pat.len()..];
                    let op: String = rest
                        .chars()
                        .take_while(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || *c == '_')
                        .collect();
                    if !op.is_empty() && rest[op.len()..].starts_with("()") {
                        calls.insert((svc.to_string(), op));
                    }
                }
            }
        }
    }
    calls
}

#[test]
fn every_sdk_call_is_a_read_allowed_by_the_shipped_policy() {
    let policy: serde_json::Value = serde_json::from_str(
        &std::fs::read_to_string(Path::new(env!("CARGO_MANIFEST_DIR")).join("docs/iam-policy.json")).unwrap(),
    )
    .unwrap();
    let allowed: BTreeSet<String> = policy["Statement"]
        .as_array()
        .unwrap()
        .iter()
        .flat_map(|s| s["Action"].as_array().unwrap().iter().map(|a| a.as_str().unwrap().to_string()))
        .collect();
    let calls = sdk_calls();
    assert!(calls.len() > 20, "the scan found too few SDK calls: {calls:?}");
    for attribution in [("cloudtrail", "lookup_events"), ("s3", "list_objects_v2"), ("s3", "get_object")] {
        let call = (attribution.0.to_string(), attribution.1.to_string());
        assert!(calls.contains(&call), "the CloudTrail sources' {call:?} not found: {calls:?}");
    }
    for call in [("sts", "assume_role"), ("organizations", "list_accounts")] {
        let call = (call.0.to_string(), call.1.to_string());
        assert!(calls.contains(&call), "the estates' {call:?} not found: {calls:?}");
    }
    let writes: Vec<&(String, String)> =
        calls.iter().filter(|(svc, op)| svc == "sts" && !op.starts_with("get_") && op != "assume_role").collect();
    assert!(writes.is_empty(), "STS: only GetCallerIdentity and AssumeRole: {writes:?}");
    for read in [("eks", "describe_cluster"), ("autoscaling", "describe_auto_scaling_groups")] {
        let call = (read.0.to_string(), read.1.to_string());
        assert!(calls.contains(&call), "the node layer's {call:?} not found: {calls:?}");
    }
    for (svc, op) in &calls {
        let key = format!("{svc}:{op}");
        assert!(
            ["describe_", "get_", "list_", "head_", "lookup_"].iter().any(|p| op.starts_with(p))
                || READ_LEVEL.contains(&key.as_str())
                || ASSUME_ROLE.contains(&key.as_str()),
            "{svc}:{op} is not a read-only operation"
        );
        let action = IAM_NAMES
            .iter()
            .find(|(k, _)| *k == key)
            .map(|(_, a)| a.to_string())
            .unwrap_or_else(|| format!("{svc}:{}", camel(op)));
        assert!(allowed.contains(&action), "{key} needs {action}, which docs/iam-policy.json does not allow");
    }
}

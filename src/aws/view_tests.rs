//! View logic that is not obvious from the rules' examples, and the check that
//! `rules/README.md` documents exactly the fields the views have.

use std::collections::{BTreeMap, BTreeSet};

use serde_json::Value as J;

use super::{View, build, kinds};
use crate::model::{Origin, Resource, Value};

fn res(rtype: &str, name: &str, attrs: &[(&str, Value)]) -> Resource {
    Resource {
        rtype: rtype.to_string(),
        id: format!("{rtype}.{name}"),
        address: Some(format!("{rtype}.{name}")),
        region: None,
        attributes: attrs.iter().map(|(k, v)| (k.to_string(), v.clone())).collect::<BTreeMap<_, _>>(),
        origin: Origin::State { file: "t.tf".into(), index: 0 },
        aws_default: false,
    }
}

fn obj(fields: &[(&str, Value)]) -> Value {
    Value::Map(fields.iter().map(|(k, v)| (k.to_string(), v.clone())).collect())
}

fn block(fields: &[(&str, Value)]) -> Value {
    Value::List(vec![obj(fields)])
}

/// One resource of every type the views read, with the nested blocks that make nested
/// fields appear.
pub(crate) fn sample() -> Vec<Resource> {
    vec![
        res("aws_s3_bucket", "b", &[("bucket", s("b"))]),
        res("aws_s3_bucket_versioning", "b", &[("bucket", s("aws_s3_bucket.b.id"))]),
        res("aws_s3_account_public_access_block", "a", &[]),
        res(
            "aws_security_group",
            "g",
            &[
                (
                    "ingress",
                    block(&[
                        ("protocol", s("tcp")),
                        ("from_port", Value::int(22)),
                        ("to_port", Value::int(22)),
                        ("cidr_blocks", Value::string_list(["0.0.0.0/0"])),
                    ]),
                ),
                ("egress", block(&[("protocol", s("-1")), ("cidr_blocks", Value::string_list(["0.0.0.0/0"]))])),
            ],
        ),
        res("aws_db_instance", "d", &[("engine", s("postgres"))]),
        res("aws_rds_cluster", "c", &[("engine", s("aurora-postgresql"))]),
        res("aws_rds_cluster_instance", "c1", &[("cluster_identifier", s("aws_rds_cluster.c.id"))]),
        res("aws_kms_key", "k", &[]),
        res("aws_ebs_volume", "v", &[]),
        res("aws_ebs_encryption_by_default", "e", &[]),
        res("aws_instance", "i", &[("ebs_block_device", block(&[("device_name", s("/dev/sdf"))]))]),
        res("aws_subnet", "s", &[]),
        res(
            "aws_launch_template",
            "t",
            &[(
                "block_device_mappings",
                block(&[("device_name", s("/dev/xvda")), ("ebs", block(&[("encrypted", s("true"))]))]),
            )],
        ),
        res("aws_vpc", "v", &[]),
        res("aws_flow_log", "f", &[("vpc_id", s("aws_vpc.v.id")), ("traffic_type", s("ALL"))]),
        res("aws_cloudtrail", "t", &[]),
        res("aws_cloudwatch_log_group", "l", &[]),
        res("aws_guardduty_detector", "g", &[]),
        res("aws_config_configuration_recorder", "r", &[("name", s("r"))]),
        res("aws_securityhub_account", "h", &[]),
        res("aws_iam_policy", "p", &[]),
        res("aws_iam_role_policy_attachment", "a", &[]),
        res("aws_iam_access_key", "k", &[]),
        res("aws_iam_account_password_policy", "p", &[]),
        res("aws_iam_user_login_profile", "l", &[("user", s("dana"))]),
        res("aws_eks_cluster", "e", &[]),
        res("aws_eks_node_group", "n", &[]),
        res("aws_elasticache_replication_group", "r", &[]),
        res("aws_lb_listener", "l", &[]),
        res("aws_cloudfront_distribution", "c", &[]),
    ]
}

/// Field paths of a view: `a`, `a.b` for objects, `a[].b` for lists of objects.
/// `address`, `resource_type` and `unknown` inside nested objects are the common
/// per-setting fields and left out.
fn paths(prefix: &str, v: &J, out: &mut BTreeSet<String>) {
    let J::Object(m) = v else { return };
    for (k, v) in m {
        if !prefix.is_empty() && matches!(k.as_str(), "address" | "resource_type" | "unknown") {
            continue;
        }
        let p = if prefix.is_empty() { k.clone() } else { format!("{prefix}.{k}") };
        out.insert(p.clone());
        match v {
            J::Object(_) if k != "tags" && k != "document" => paths(&p, v, out),
            J::Array(items) => {
                if let Some(first @ J::Object(_)) = items.first() {
                    if k != "rules" {
                        paths(&format!("{p}[]"), first, out);
                    }
                }
            }
            _ => {}
        }
    }
}

const COMMON: &[&str] =
    &["type", "id", "address", "resource_type", "region", "aws_default", "arn", "tags", "name", "unknown"];

/// `### view_type` sections of the README and the backticked names in the first column of
/// their tables.
fn documented() -> BTreeMap<String, BTreeSet<String>> {
    let text = include_str!("../../rules/README.md");
    let mut out: BTreeMap<String, BTreeSet<String>> = BTreeMap::new();
    let mut current: Option<String> = None;
    for line in text.lines() {
        if let Some(h) = line.strip_prefix("### ") {
            current = h.split('`').nth(1).map(str::to_string);
            continue;
        }
        let (Some(c), Some(row)) = (&current, line.strip_prefix("| ")) else { continue };
        let first = row.split(" |").next().unwrap_or_default();
        for name in first.split('`').skip(1).step_by(2) {
            out.entry(c.clone()).or_default().insert(name.to_string());
        }
    }
    out
}

#[test]
fn readme_documents_every_view_field() {
    let views = build(&sample(), View::State);
    let mut actual: BTreeMap<String, BTreeSet<String>> = BTreeMap::new();
    for v in &views {
        let mut p = BTreeSet::new();
        paths("", &v.value, &mut p);
        actual.entry(v.vtype.to_string()).or_default().extend(p.into_iter().filter(|p| !COMMON.contains(&p.as_str())));
    }
    let types: BTreeSet<String> = kinds().iter().map(|(t, _)| t.to_string()).collect();
    assert_eq!(actual.keys().cloned().collect::<BTreeSet<_>>(), types, "the sample builds every view type");
    let documented = documented();
    let mut problems = Vec::new();
    for (t, fields) in &actual {
        let doc = documented.get(t).cloned().unwrap_or_default();
        for f in fields.difference(&doc) {
            problems.push(format!("{t}: field `{f}` is not documented"));
        }
        for f in doc.difference(fields) {
            problems.push(format!("{t}: README documents `{f}`, which the view does not have"));
        }
    }
    assert!(problems.is_empty(), "rules/README.md and the views disagree:\n{}", problems.join("\n"));
}

fn view_of<'a>(views: &'a [super::JoinedView], vtype: &str) -> &'a J {
    &views.iter().find(|v| v.vtype == vtype).expect("view built").value
}

#[test]
fn rds_tls_follows_the_engine_default_when_no_group_sets_it() {
    let tls = |attrs: &[(&str, Value)]| {
        let vs = build(&[res("aws_db_instance", "d", attrs)], View::Config);
        view_of(&vs, "rds_instance")["tls"]["enforced"].clone()
    };
    assert_eq!(tls(&[("engine", s("postgres")), ("engine_version", s("16.3"))]), J::Bool(true));
    assert_eq!(tls(&[("engine", s("postgres")), ("engine_version", s("14.12"))]), J::Bool(false));
    assert_eq!(tls(&[("engine", s("postgres"))]), J::Bool(true), "omitted version is the current major");
    assert_eq!(tls(&[("engine", s("mysql"))]), J::Bool(false));
    // A group from another stack: unknown, not a finding.
    assert_eq!(tls(&[("engine", s("mysql")), ("parameter_group_name", s("shared-mysql"))]), J::Null);
}

#[test]
fn aurora_multi_az_is_topology() {
    let cluster = res("aws_rds_cluster", "c", &[("engine", s("aurora-postgresql"))]);
    let member = |n: &str, az: Option<&str>| {
        let mut attrs = vec![("cluster_identifier", s("aws_rds_cluster.c.id"))];
        if let Some(az) = az {
            attrs.push(("availability_zone", s(az)));
        }
        res("aws_rds_cluster_instance", n, &attrs)
    };
    let multi = |rs: Vec<Resource>| view_of(&build(&rs, View::Config), "rds_cluster")["multi_az"].clone();
    assert_eq!(multi(vec![cluster.clone(), member("a", None)]), J::Bool(false));
    assert_eq!(multi(vec![cluster.clone(), member("a", None), member("b", None)]), J::Bool(true));
    assert_eq!(
        multi(vec![cluster.clone(), member("a", Some("eu-west-1a")), member("b", Some("eu-west-1a"))]),
        J::Bool(false),
        "two members pinned to one zone"
    );
}

#[test]
fn a_multi_region_trail_covers_single_region_ones() {
    let single = res("aws_cloudtrail", "single", &[("name", s("single"))]);
    let multi = res("aws_cloudtrail", "multi", &[("name", s("multi")), ("is_multi_region_trail", Value::Bool(true))]);
    let vs = build(&[single.clone(), multi], View::Config);
    assert!(vs.iter().all(|v| v.value["account"]["all_region_trail"] == J::Bool(true)));
    let vs = build(&[single], View::Config);
    assert_eq!(view_of(&vs, "cloudtrail")["account"]["all_region_trail"], J::Bool(false));
}

#[test]
fn advanced_event_selectors_count_as_s3_data_events() {
    let field = |name: &str, eq: &str| obj(&[("field", s(name)), ("equals", Value::string_list([eq]))]);
    let selector = obj(&[(
        "field_selector",
        Value::List(vec![
            field("eventCategory", "Data"),
            field("resources.type", "AWS::S3::Object"),
            field("readOnly", "true"),
        ]),
    )]);
    let trail = res("aws_cloudtrail", "t", &[("advanced_event_selector", Value::List(vec![selector]))]);
    let vs = build(&[trail], View::Config);
    let v = view_of(&vs, "cloudtrail");
    assert_eq!(v["s3_data_events"]["read"], J::Bool(true));
    assert_eq!(v["s3_data_events"]["write"], J::Bool(false), "readOnly = true records reads only");
    assert_eq!(v["account"]["s3_data_events"], J::Bool(false));
}

#[test]
fn a_key_policy_resource_replaces_the_keys_policy_argument() {
    let public = r#"{"Statement":[{"Effect":"Allow","Principal":"*","Action":"kms:*","Resource":"*"}]}"#;
    let key = res("aws_kms_key", "k", &[]);
    let policy = res("aws_kms_key_policy", "k", &[("key_id", s("aws_kms_key.k.id")), ("policy", s(public))]);
    let vs = build(&[key, policy], View::Config);
    let p = &view_of(&vs, "kms_key")["policy"];
    assert_eq!(p["public"], J::Bool(true));
    assert_eq!(p["address"], J::String("aws_kms_key_policy.k".into()));
}

#[test]
fn live_absent_keys_stay_unknown_in_new_views() {
    let mut r = Resource::live("aws_eks_cluster", "clinic", "eu-west-1", "111122223333", None);
    r.aws_default = false;
    let vs = build(&[r], View::Live);
    let v = view_of(&vs, "eks_cluster");
    assert_eq!(v["endpoint_public_access"], J::Null);
    assert_eq!(v["secrets_encrypted"], J::Null);
    assert!(v["unknown"].as_array().unwrap().iter().any(|u| u == "endpoint_public_access"));
}

fn s(x: &str) -> Value {
    Value::str(x)
}

#[test]
fn live_joins_on_types_no_fetcher_reads_are_unknown() {
    // Flow logs and cluster members are read live: a VPC without a flow log has none, a
    // cluster without members is a single point of failure.
    let vpc = Resource::live("aws_vpc", "vpc-1", "eu-west-1", "111122223333", None);
    let cluster = Resource::live("aws_rds_cluster", "analytics", "eu-west-1", "111122223333", None);
    let vs = build(&[vpc.clone(), cluster], View::Live);
    assert_eq!(view_of(&vs, "vpc")["flow_logs_capture_all"], J::Bool(false));
    assert_eq!(view_of(&vs, "rds_cluster")["multi_az"], J::Bool(false));
    // In config the same absence means "none declared".
    let vs = build(&[res("aws_vpc", "v", &[])], View::Config);
    assert_eq!(view_of(&vs, "vpc")["flow_logs_capture_all"], J::Bool(false));
}

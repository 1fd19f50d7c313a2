//! End to end against the emulator: the network stack (`testdata/stacks/network/`, laid out
//! the way the community VPC and security-group modules do it) applied with real Terraform,
//! scanned clean, changed out of band through the AWS API, scanned again, and checked against
//! `terraform plan -refresh-only` as the oracle.
//!
//! One test function runs the scenarios in sequence: they share one applied stack.

mod common;

use std::collections::{BTreeMap, BTreeSet};

use common::*;
use serde_json::Value;

fn status<'a>(r: &'a BTreeMap<String, Value>, address: &str) -> &'a str {
    r.get(address).unwrap_or_else(|| panic!("{address} not in report: {:#?}", r.keys()))["status"].as_str().unwrap()
}

fn change<'a>(r: &'a BTreeMap<String, Value>, address: &str, path: &str) -> &'a Value {
    let res = &r[address];
    res["changes"]
        .as_array()
        .unwrap()
        .iter()
        .find(|c| c["path"] == path)
        .unwrap_or_else(|| panic!("{address}: no change at {path}: {res:#}"))
}

/// `(rule, where)` of a report's findings (`TYPE ID` when unmanaged).
fn findings(report: &Value) -> BTreeSet<(String, String)> {
    report["findings"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| {
            let at = match f["address"].as_str() {
                Some(a) => a.to_string(),
                None => format!("{} {}", f["type"].as_str().unwrap(), f["id"].as_str().unwrap()),
            };
            (f["rule_id"].as_str().unwrap().to_string(), at)
        })
        .collect()
}

/// The network rules this test judges.
const NETWORK_RULES: &[&str] =
    &["HS-VPC-001", "HS-VPC-002", "HS-VPC-003", "HS-NET-001", "HS-NET-002", "HS-EC2-003", "HS-EBS-002"];

fn network(fs: &BTreeSet<(String, String)>) -> BTreeSet<(String, String)> {
    fs.iter().filter(|(r, _)| NETWORK_RULES.contains(&r.as_str())).cloned().collect()
}

#[test]
fn network_stack_clean_then_changed_out_of_band() {
    let fx = shared("network", &[]);
    let rt = tokio::runtime::Runtime::new().unwrap();

    // 1. Right after apply: every state resource judged and in sync under the type the state
    //    records (the adopted defaults too), nothing unmanaged: not the emulator's default VPC
    //    and its parts, not the NAT gateway's or the instances' interfaces, not the instance
    //    the spot request launched.
    let clean = fx.scan(&[]);
    let report = clean.json();
    assert_eq!(report["complete"], true, "{:#}", report["errors"]);
    let r = by_address(&report);
    let not_in_sync: Vec<_> = r.values().filter(|x| x["status"] != "in_sync").collect();
    assert!(not_in_sync.is_empty(), "clean stack not in sync: {not_in_sync:#?}");
    assert_eq!(report["summary"]["unmanaged"], 0);
    // Only the IAM role and instance profile (no fetcher yet) are not judged.
    let not_judged: BTreeSet<&str> =
        report["not_judged"].as_array().unwrap().iter().map(|n| n["type"].as_str().unwrap()).collect();
    assert!(not_judged.iter().all(|t| t.starts_with("aws_iam_")), "{not_judged:?}");
    for (address, rtype) in [
        ("aws_default_vpc.this", "aws_default_vpc"),
        ("aws_default_subnet.a", "aws_default_subnet"),
        ("aws_default_route_table.this", "aws_default_route_table"),
        ("aws_default_network_acl.this", "aws_default_network_acl"),
        ("aws_default_security_group.this", "aws_default_security_group"),
        ("aws_spot_instance_request.worker", "aws_spot_instance_request"),
        ("aws_route.private_nat[\"a\"]", "aws_route"),
        ("aws_network_acl_rule.public[\"100-in-https\"]", "aws_network_acl_rule"),
        ("aws_eip_association.app", "aws_eip_association"),
        ("aws_ebs_encryption_by_default.this", "aws_ebs_encryption_by_default"),
        ("aws_ebs_default_kms_key.this", "aws_ebs_default_kms_key"),
        ("aws_main_route_table_association.edge", "aws_main_route_table_association"),
        // Protocol -1 with ports -1 (the community module's `all-all`): no port drift.
        ("aws_security_group_rule.app[\"all-all\"]", "aws_security_group_rule"),
    ] {
        assert_eq!((status(&r, address), r[address]["type"].as_str().unwrap()), ("in_sync", rtype), "{address}");
    }
    // The table AWS made with the edge VPC is no longer main, and still not unmanaged: the
    // main association records it.
    let original = fx.stack.attr("aws_main_route_table_association.edge", "original_route_table_id");
    assert!(original.starts_with("rtb-") && !report.to_string().contains(&format!("\"{original}\"")), "{original}");
    let state_count = fx.stack.resources().len();
    assert_eq!(r.len() + not_judged.len(), state_count, "each state resource judged once: {:#?}", r.keys());
    // The oracle shows nothing but the known noise.
    let (clean_oracle, _) = oracle(fx);
    for (address, paths) in &clean_oracle {
        assert!(paths.is_empty(), "terraform sees a change on {address} right after apply: {paths:?}");
    }

    // The rules judge the live network: the adopted default VPC has no flow log; the
    // application instance has an Elastic IP; AWS's own default VPC keeps its public subnets
    // and its default group's rules (unmanaged, named by type and id).
    let clean_findings = network(&findings(&report));
    let spot_instance = fx.stack.attr("aws_spot_instance_request.worker", "spot_instance_id");
    for expected in [("HS-VPC-001", "aws_default_vpc.this"), ("HS-EC2-003", "aws_instance.app")] {
        let expected = (expected.0.to_string(), expected.1.to_string());
        assert!(clean_findings.contains(&expected), "{expected:?} not in {clean_findings:#?}");
    }
    for (rule, at) in &clean_findings {
        assert!(
            !at.starts_with("aws_vpc ") && !at.starts_with("aws_network_acl ") && !at.contains(&spot_instance),
            "{rule} on {at}: an object the state records is named by its own type"
        );
    }
    assert!(
        !clean_findings.iter().any(|(rule, at)| rule == "HS-VPC-001" && at == "aws_vpc.this"),
        "the main VPC has its flow log: {clean_findings:#?}"
    );
    // Findings on the spot request's instance name the request.
    let on_spot: Vec<&Value> =
        report["findings"].as_array().unwrap().iter().filter(|f| f["id"] == spot_instance.as_str()).collect();
    assert!(on_spot.iter().all(|f| f["address"] == "aws_spot_instance_request.worker"), "{on_spot:#?}");

    // 2. Out-of-band changes through the AWS API.
    let ec2 = fx.emulator.ec2();
    let id = |address: &str| fx.stack.attr(address, "id");
    let private_a = id("aws_route_table.private[\"a\"]");
    let public_table = id("aws_route_table.public");
    let nat = id("aws_nat_gateway.this[0]");
    let public_acl = id("aws_network_acl.public");
    let association = id("aws_eip_association.app");
    let vpc = id("aws_vpc.this");
    let instance = id("aws_instance.app");
    let app_sg = id("aws_security_group.app");
    rt.block_on(async {
        use aws_sdk_ec2::types::*;
        // A route added by hand, and one an aws_route manages deleted.
        ec2.create_route()
            .route_table_id(&private_a)
            .destination_cidr_block("192.168.100.0/24")
            .nat_gateway_id(&nat)
            .send()
            .await
            .unwrap();
        ec2.delete_route().route_table_id(&public_table).destination_cidr_block("0.0.0.0/0").send().await.unwrap();
        // SSH from the world through the public ACL (whose entries are rule resources).
        ec2.create_network_acl_entry()
            .network_acl_id(&public_acl)
            .rule_number(90)
            .protocol("6")
            .rule_action(RuleAction::Allow)
            .egress(false)
            .cidr_block("0.0.0.0/0")
            .port_range(PortRange::builder().from(22).to(22).build())
            .send()
            .await
            .unwrap();
        ec2.disassociate_address().association_id(&association).send().await.unwrap();
        ec2.modify_vpc_attribute()
            .vpc_id(&vpc)
            .enable_dns_hostnames(AttributeBooleanValue::builder().value(false).build())
            .send()
            .await
            .unwrap();
        ec2.modify_instance_attribute()
            .instance_id(&instance)
            .disable_api_termination(AttributeBooleanValue::builder().value(false).build())
            .send()
            .await
            .unwrap();
        // The description of a rule an aws_security_group_rule manages.
        ec2.update_security_group_rule_descriptions_ingress()
            .group_id(&app_sg)
            .ip_permissions(
                IpPermission::builder()
                    .ip_protocol("tcp")
                    .from_port(22)
                    .to_port(22)
                    .ip_ranges(IpRange::builder().cidr_ip("10.30.0.0/16").description("changed by hand").build())
                    .build(),
            )
            .send()
            .await
            .unwrap();
        ec2.disable_ebs_encryption_by_default().send().await.unwrap();
    });

    // 3. Each change once, at the right address and path.
    let run = fx.scan(&[]);
    assert_eq!(run.code, 1, "drift must exit 1\n{}", run.stderr);
    let report = run.json();
    assert_eq!(report["complete"], true, "{:#}", report["errors"]);
    let r = by_address(&report);
    let changed: BTreeSet<&str> = r.iter().filter(|(_, v)| v["status"] != "in_sync").map(|(k, _)| k.as_str()).collect();
    let expected: BTreeSet<&str> = [
        "aws_route_table.private[\"a\"]",
        "aws_route.public_internet",
        "aws_network_acl.public",
        "aws_eip_association.app",
        "aws_vpc.this",
        "aws_instance.app",
        "aws_security_group_rule.app[\"ssh-from-vpc\"]",
        "aws_ebs_encryption_by_default.this",
    ]
    .into_iter()
    .collect();
    assert_eq!(changed, expected, "{:#?}", r.values().filter(|v| v["status"] != "in_sync").collect::<Vec<_>>());

    let added = |address: &str, path: &str| -> Vec<Value> {
        let c = change(&r, address, path);
        assert_eq!(c["removed"], serde_json::json!([]), "{address}.{path}: {c:#}");
        c["added"].as_array().unwrap().clone()
    };
    let route = added("aws_route_table.private[\"a\"]", "route");
    assert_eq!(
        (route.len(), &route[0]["cidr_block"], &route[0]["nat_gateway_id"]),
        (1, &"192.168.100.0/24".into(), &nat.as_str().into())
    );
    assert_eq!(status(&r, "aws_route.public_internet"), "missing");
    let entry = added("aws_network_acl.public", "ingress");
    assert_eq!(entry.len(), 1, "{entry:#?}");
    assert_eq!(
        (&entry[0]["rule_no"], &entry[0]["protocol"], &entry[0]["from_port"], &entry[0]["cidr_block"]),
        (&90.into(), &"6".into(), &22.into(), &"0.0.0.0/0".into())
    );
    assert_eq!(status(&r, "aws_eip_association.app"), "missing");
    assert_eq!(change(&r, "aws_vpc.this", "enable_dns_hostnames")["live"], false);
    let instance_changes = r["aws_instance.app"]["changes"].as_array().unwrap();
    assert_eq!(instance_changes.len(), 1, "only termination protection: {instance_changes:#?}");
    assert_eq!(change(&r, "aws_instance.app", "disable_api_termination")["live"], false);
    assert_eq!(change(&r, "aws_security_group_rule.app[\"ssh-from-vpc\"]", "description")["live"], "changed by hand");
    assert_eq!(change(&r, "aws_ebs_encryption_by_default.this", "enabled")["live"], false);
    assert_eq!(report["summary"]["unmanaged"], 0);

    // 4. The oracle agrees: every real change it shows is reported at the same path with the
    //    same live value, and Plumb reports nothing it does not show.
    let (plan, deleted) = oracle(fx);
    for (address, paths) in &plan {
        for (path, _, after) in paths {
            assert!(changed.contains(address.as_str()), "terraform sees {address}.{path} change; plumb does not");
            if let Some(c) = r[address.as_str()]["changes"].as_array().unwrap().iter().find(|c| c["path"] == *path) {
                assert_eq!(&c["live"], after, "{address}.{path}");
            }
        }
    }
    for address in &changed {
        assert!(
            plan.contains_key(*address) || deleted.contains(*address),
            "plumb reports {address} changed but terraform plan -refresh-only does not"
        );
    }
    for address in &deleted {
        assert_eq!(status(&r, address), "missing", "{address}");
    }
    for (address, path) in [
        ("aws_vpc.this", "enable_dns_hostnames"),
        ("aws_instance.app", "disable_api_termination"),
        ("aws_security_group_rule.app[\"ssh-from-vpc\"]", "description"),
        ("aws_ebs_encryption_by_default.this", "enabled"),
    ] {
        assert!(
            plan[address].iter().any(|(p, ..)| p == path),
            "the oracle shows {address}.{path}: {:?}",
            plan[address]
        );
    }

    // 5. The rules: EBS encryption by default now fails at its resource; the instance has no
    //    Elastic IP any more; nothing else changes (the NACL and route rules are drift only).
    let now = network(&findings(&report));
    let new: BTreeSet<_> = now.difference(&clean_findings).cloned().collect();
    let gone: BTreeSet<_> = clean_findings.difference(&now).cloned().collect();
    assert_eq!(new, BTreeSet::from([("HS-EBS-002".to_string(), "aws_ebs_encryption_by_default.this".to_string())]));
    assert_eq!(gone, BTreeSet::from([("HS-EC2-003".to_string(), "aws_instance.app".to_string())]));
}

/// What changed outside Terraform, as `terraform plan -refresh-only` sees it.
type Oracle = BTreeMap<String, Vec<(String, Value, Value)>>;

/// `terraform plan -refresh-only`: each drifted address with its real changes (the known
/// noise left out), and the resources it drops (gone from AWS).
fn oracle(fx: &Fixture) -> (Oracle, BTreeSet<String>) {
    let plan = fx.stack.refresh_only_plan();
    let mut changed = Oracle::new();
    let mut deleted = BTreeSet::new();
    for (address, before, after) in resource_drift(&plan) {
        if after.is_null() {
            deleted.insert(address);
            continue;
        }
        let paths =
            changed_paths(&before, &after).into_iter().filter(|(p, b, a)| !is_noise(&address, p, b, a)).collect();
        changed.insert(address, paths);
    }
    (changed, deleted)
}

/// What the refresh-only plan shows that is not a change a person made to that resource:
/// - null against empty, `tags_all`;
/// - the stale inline copies of what separate resources own: a table's `route` when its
///   routes are `aws_route`s, an ACL's entries when they are `aws_network_acl_rule`s, a
///   group's rules when they are `aws_security_group_rule`s, an address's association
///   fields (and the instance's public address) when an `aws_eip_association` or a NAT
///   gateway associates it, the VPC's DHCP options and main route table when an association
///   sets them, the default ACL's `subnet_ids` (the named ACLs take the subnets; the configuration ignores
///   it);
/// - spellings the provider reads back differently from the configuration: an ACL entry's
///   protocol `tcp` as `6` and its unset ICMP fields as `0`; ports `-1` of a protocol `-1`
///   security-group rule as `0` (`terraform plan` shows no change for either).
fn is_noise(address: &str, path: &str, before: &Value, after: &Value) -> bool {
    let top = path.split(['.', '[']).next().unwrap_or(path);
    let leaf = path.rsplit(['.', ']']).next().unwrap_or(path);
    let rtype = address.split('.').rev().nth(1).unwrap_or_default();
    let split_routes = ["aws_route_table.public", "aws_route_table.private[\"a\"]", "aws_route_table.private[\"b\"]"];
    (empty_like(before) && empty_like(after))
        || top == "tags_all"
        || (split_routes.contains(&address) && top == "route")
        || (address == "aws_network_acl.public" && (top == "ingress" || top == "egress"))
        || (address == "aws_security_group.app" && (top == "ingress" || top == "egress"))
        || (rtype == "aws_eip"
            && ["association_id", "instance", "network_interface", "private_ip", "private_dns"].contains(&top))
        || (address == "aws_instance.app" && ["associate_public_ip_address", "public_ip", "public_dns"].contains(&top))
        || (rtype == "aws_vpc" && ["dhcp_options_id", "default_route_table_id", "main_route_table_id"].contains(&top))
        || (address == "aws_default_network_acl.this" && top == "subnet_ids")
        || (rtype.contains("network_acl") && (leaf == "icmp_code" || leaf == "icmp_type") && before.is_null())
        || (rtype.contains("network_acl") && leaf == "protocol" && before == "tcp" && after == "6")
        || (rtype == "aws_security_group_rule"
            && (top == "from_port" || top == "to_port")
            && before == -1
            && after == 0)
}

//! End to end against the emulator: the reach stack (VPN and customer gateways with their
//! attachment and route propagations, placement groups, capacity reservations, single tags,
//! key pairs, volume attachments; imported and Multi-Region replica KMS keys; S3 inventory,
//! analytics configurations and objects; the exclusive IAM policy attachment) applied with
//! real Terraform, scanned clean, changed out of band through the AWS API, scanned again,
//! and checked against `terraform plan -refresh-only`.
//!
//! One test function: the scenarios share one applied stack (~75 s to apply, most of it the
//! provider's waiters on gateways, keys and the volume attachment).

mod common;

use std::collections::{BTreeMap, BTreeSet};

use common::*;
use serde_json::Value;

/// The types this stack exercises (all read live).
const TYPES: &[&str] = &[
    "aws_customer_gateway",
    "aws_vpn_gateway",
    "aws_vpn_gateway_attachment",
    "aws_vpn_gateway_route_propagation",
    "aws_placement_group",
    "aws_ec2_capacity_reservation",
    "aws_ec2_tag",
    "aws_key_pair",
    "aws_volume_attachment",
    "aws_kms_external_key",
    "aws_kms_replica_key",
    "aws_kms_replica_external_key",
    "aws_kms_key_policy",
    "aws_s3_bucket_inventory",
    "aws_s3_bucket_analytics_configuration",
    "aws_s3_object",
    "aws_iam_policy_attachment",
];

const REPLICA_REGION: &str = "us-west-2";

fn reach() -> &'static Fixture {
    shared("reach", &[])
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

fn kms_in(fx: &Fixture, region: &'static str) -> aws_sdk_kms::Client {
    let conf = aws_sdk_kms::config::Builder::from(&fx.emulator.sdk_config())
        .region(aws_sdk_kms::config::Region::new(region))
        .build();
    aws_sdk_kms::Client::from_conf(conf)
}

#[test]
fn reach_stack_clean_then_changed_out_of_band() {
    let started = std::time::Instant::now();
    let fx = reach();
    eprintln!("reach stack applied in {:.0?} (terraform apply {:.0?})", started.elapsed(), fx.stack.apply_time());
    // The shared gateway's VPC is set by the attachment after the gateway was made: the
    // state learns it at the next refresh, as any pipeline's next plan would.
    let refresh = fx.stack.terraform(&["apply", "-refresh-only", "-auto-approve", "-input=false", "-no-color"]);
    assert!(refresh.status.success(), "{}", String::from_utf8_lossy(&refresh.stderr));
    let rt = tokio::runtime::Runtime::new().unwrap();
    let state = fx.stack.resources();

    // 1. Right after apply: complete, everything in sync, nothing unmanaged;
    //    every resource of the types above judged.
    let clean = fx.scan(&["--fail-on", "none"]);
    let report = clean.json();
    assert_eq!(report["complete"], true, "{:#}", report["errors"]);
    assert!(!clean.mentions("Wblj06fduthWggmsT0cLVoIMOkeLbc2kVfMud77i"), "key material leaked");
    let r = by_address(&report);
    let managed: BTreeMap<&String, &Value> = r.iter().filter(|(_, v)| v["address"].is_string()).collect();
    let not_in_sync: Vec<&&Value> = managed.values().filter(|v| v["status"] != "in_sync").collect();
    assert!(not_in_sync.is_empty(), "clean stack not in sync: {not_in_sync:#?}");
    let unmanaged: Vec<&String> = r.iter().filter(|(_, v)| v["status"] == "unmanaged").map(|(k, _)| k).collect();
    assert!(unmanaged.is_empty(), "unmanaged right after apply: {unmanaged:?}");
    for n in report["not_judged"].as_array().unwrap() {
        let t = n["type"].as_str().unwrap();
        assert!(!TYPES.contains(&t), "{n:#}");
    }
    let mut seen = BTreeSet::new();
    for (address, rtype, _) in &state {
        if TYPES.contains(&rtype.as_str()) {
            assert_eq!(status(&r, address), "in_sync", "{address}");
            seen.insert(rtype.as_str());
        }
    }
    assert_eq!(seen.len(), TYPES.len(), "the stack exercises every type: {seen:?}");
    // Ids joined as the provider writes them.
    let eni = fx.stack.attr("aws_instance.this", "primary_network_interface_id");
    assert_eq!(r["aws_ec2_tag.eni[\"Team\"]"]["id"], format!("{eni},Team"));
    assert!(r["aws_volume_attachment.this"]["id"].as_str().unwrap().starts_with("vai-"));
    // An external key is judged as that type only: never also an unmanaged aws_kms_key.
    let external = fx.stack.attr("aws_kms_external_key.this[0]", "id");
    assert!(!r.contains_key(&format!("aws_kms_key {external}")), "external key also read as aws_kms_key");

    // 2. Out-of-band changes, one per type or more.
    let (ec2, s3, kms) = (fx.emulator.ec2(), fx.emulator.s3(), fx.emulator.kms());
    let kms_replica = kms_in(fx, REPLICA_REGION);
    let iam = aws_sdk_iam::Client::new(&fx.emulator.sdk_config());
    let cgw = fx.stack.attr("aws_customer_gateway.this[\"IP1\"]", "id");
    let vgw = fx.stack.attr("aws_vpn_gateway.this[0]", "id");
    let table = fx.stack.attr("aws_route_table.private[1]", "id");
    let reservation = fx.stack.attr("aws_ec2_capacity_reservation.this[\"open\"]", "id");
    let volume = fx.stack.attr("aws_ebs_volume.this", "id");
    let instance = fx.stack.attr("aws_instance.this", "id");
    let replica = fx.stack.attr("aws_kms_replica_key.this[0]", "id");
    let policy = fx.stack.attr("aws_iam_policy.replication", "arn");
    let with_policy = fx.stack.attr("aws_kms_key.with_policy", "key_id");
    rt.block_on(async {
        use aws_sdk_ec2::types::Tag;
        let tag = |k: &str, v: &str| Tag::builder().key(k).value(v).build();
        ec2.create_tags().resources(&cgw).tags(tag("Owner", "hand")).send().await.unwrap();
        ec2.create_tags().resources(&eni).tags(tag("Team", "hand")).send().await.unwrap();
        ec2.disable_vgw_route_propagation().gateway_id(&vgw).route_table_id(&table).send().await.unwrap();
        ec2.modify_capacity_reservation().capacity_reservation_id(&reservation).instance_count(2).send().await.unwrap();
        ec2.detach_volume().volume_id(&volume).instance_id(&instance).send().await.unwrap();
        kms.update_key_description().key_id(&external).description("changed by hand").send().await.unwrap();
        kms_replica.disable_key().key_id(&replica).send().await.unwrap();
        let open_policy = r#"{"Version":"2012-10-17","Statement":[{"Sid":"Anyone","Effect":"Allow","Principal":{"AWS":"*"},"Action":"kms:*","Resource":"*"}]}"#;
        kms.put_key_policy().key_id(&with_policy).policy_name("default").policy(open_policy).send().await.unwrap();
        s3.delete_bucket_analytics_configuration().bucket("reach-data").id("all").send().await.unwrap();
        s3.put_object_tagging()
            .bucket("reach-data")
            .key("docs/README.txt")
            .tagging(
                aws_sdk_s3::types::Tagging::builder()
                    .tag_set(aws_sdk_s3::types::Tag::builder().key("Sensitive").value("yes").build().unwrap())
                    .build()
                    .unwrap(),
            )
            .send()
            .await
            .unwrap();
        iam.create_role()
            .role_name("reach-by-hand")
            .assume_role_policy_document(r#"{"Version":"2012-10-17","Statement":[]}"#)
            .send()
            .await
            .unwrap();
        iam.attach_role_policy().role_name("reach-by-hand").policy_arn(&policy).send().await.unwrap();
    });

    // 3. The changed scan finds each at its address and path.
    let run = fx.scan(&["--fail-on", "none"]);
    let report = run.json();
    assert_eq!(report["complete"], true, "{:#}", report["errors"]);
    let r = by_address(&report);
    let cgw_address = "aws_customer_gateway.this[\"IP1\"]";
    assert_eq!(status(&r, cgw_address), "drifted");
    change(&r, cgw_address, "tags.Owner");
    change(&r, "aws_ec2_tag.eni[\"Team\"]", "value");
    assert_eq!(status(&r, "aws_vpn_gateway_route_propagation.private[1]"), "missing");
    assert_eq!(status(&r, "aws_vpn_gateway_route_propagation.private[0]"), "in_sync");
    assert_eq!(status(&r, "aws_route_table.private[1]"), "in_sync", "reported once, on the propagation");
    change(&r, "aws_ec2_capacity_reservation.this[\"open\"]", "instance_count");
    assert_eq!(status(&r, "aws_volume_attachment.this"), "missing");
    change(&r, "aws_kms_external_key.this[0]", "description");
    change(&r, "aws_kms_replica_key.this[0]", "enabled");
    change(&r, "aws_kms_key_policy.this", "policy");
    assert_eq!(
        status(&r, "aws_kms_key.with_policy"),
        "in_sync",
        "the key's policy copy is judged on its policy resource"
    );
    assert_eq!(status(&r, "aws_s3_bucket_analytics_configuration.this[\"all\"]"), "missing");
    assert_eq!(status(&r, "aws_s3_bucket_analytics_configuration.this[\"tags\"]"), "in_sync");
    change(&r, "aws_s3_object.readme", "tags.Sensitive");
    change(&r, "aws_iam_policy_attachment.replication", "roles");
    for untouched in ["aws_placement_group.web", "aws_key_pair.deployer", "aws_s3_bucket_inventory.this[\"daily\"]"] {
        assert_eq!(status(&r, untouched), "in_sync", "{untouched}");
    }

    // 4. The oracle agrees.
    let oracle = std::time::Instant::now();
    assert_agrees_with_terraform(fx, &r);
    eprintln!("refresh-only plan in {:.0?}; whole test {:.0?}", oracle.elapsed(), started.elapsed());
}

/// Every resource `terraform plan -refresh-only` shows with a real change is drifted or
/// missing in Plumb's report, and Plumb reports nothing else changed among managed resources.
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
        if v["address"].is_string() && (v["status"] == "drifted" || v["status"] == "missing") {
            assert!(
                oracle.contains_key(address),
                "plumb reports {address} changed, terraform plan -refresh-only does not"
            );
        }
    }
}

/// What the plan shows that is not drift of the resource itself: null against empty,
/// `tags_all`, and copies of what another resource of the stack owns and Plumb reports
/// there (a route table's propagations, the instance's attached volumes, the role's and
/// policy's attachments, a key's policy when `aws_kms_key_policy` holds it).
fn is_noise(address: &str, path: &str, before: &Value, after: &Value) -> bool {
    let top = path.split(['.', '[']).next().unwrap_or(path);
    let rtype = address.rsplit('.').nth(1).unwrap_or_default();
    (empty_like(before) && empty_like(after))
        || top == "tags_all"
        || (rtype == "aws_route_table" && top == "propagating_vgws")
        || (rtype == "aws_instance" && top == "ebs_block_device")
        || (rtype == "aws_iam_role" && top == "managed_policy_arns")
        || (rtype == "aws_iam_policy" && top == "attachment_count")
        || (address == "aws_kms_key.with_policy" && top == "policy")
}

/// A state holding other providers' resources and an AWS type that creates nothing
/// (`aws_vpc_ipam_preview_next_cidr`): each is listed as not an AWS object, none counts as
/// not judged (the scan has no gap), and the scan is complete.
#[test]
fn resources_that_are_no_aws_object_are_outside_the_scan() {
    let fx = reach();
    let instance = |ty: &str, name: &str, provider: &str, id: &str| {
        serde_json::json!({
            "mode": "managed", "type": ty, "name": name,
            "provider": format!("provider[\"registry.terraform.io/hashicorp/{provider}\"]"),
            "instances": [{"schema_version": 0, "attributes": {"id": id}}]
        })
    };
    let state = serde_json::json!({
        "version": 4, "terraform_version": "1.11.0", "serial": 1, "lineage": "reach-not-aws",
        "outputs": {},
        "resources": [
            instance("random_pet", "suffix", "random", "driven-hawk"),
            instance("null_resource", "wait", "null", "4242"),
            instance("aws_vpc_ipam_preview_next_cidr", "next", "aws", "ipam-pool-0123"),
        ]
    });
    let dir = std::env::temp_dir().join(format!("plumb-reach-not-aws-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let path = dir.join("terraform.tfstate");
    std::fs::write(&path, state.to_string()).unwrap();
    let run = fx.emulator.plumb(&["scan", "--state", path.to_str().unwrap(), "--format", "json", "--fail-on", "none"]);
    let report = run.json();
    assert_eq!(report["complete"], true, "{:#}", report["errors"]);
    assert_eq!(report["summary"]["not_judged"], 0, "{:#}", report["not_judged"]);
    let reasons: BTreeSet<(String, String)> = report["not_judged"]
        .as_array()
        .unwrap()
        .iter()
        .map(|n| (n["address"].as_str().unwrap().to_string(), n["reason"].as_str().unwrap().to_string()))
        .collect();
    let expected: BTreeSet<(String, String)> =
        ["aws_vpc_ipam_preview_next_cidr.next", "null_resource.wait", "random_pet.suffix"]
            .iter()
            .map(|a| (a.to_string(), plumb::diff::NOT_AWS.to_string()))
            .collect();
    assert_eq!(reasons, expected);
    let _ = std::fs::remove_dir_all(&dir);
}

//! Smoke test of the integration-test harness (tests/common): start the patched emulator,
//! apply the small `smoke` stack, read its state, and check the emulator's S3 versioning patch.

mod common;

use common::*;

#[test]
fn emulator_applies_the_smoke_stack() {
    let emulator = Emulator::start();
    let stack = Stack::apply(&emulator, "smoke", &[]);

    let addrs: Vec<String> = stack.resources().into_iter().map(|(a, _, _)| a).collect();
    assert!(addrs.contains(&"aws_vpc.smoke".to_string()), "{addrs:?}");
    assert!(addrs.contains(&"aws_s3_bucket.smoke".to_string()), "{addrs:?}");

    let vpc_id = stack.attr("aws_vpc.smoke", "id");
    assert!(vpc_id.starts_with("vpc-"), "{vpc_id}");
    assert_eq!(stack.output("vpc_id"), vpc_id.as_str());
    let vpc = stack.resource("aws_vpc.smoke").unwrap();
    assert_eq!(vpc["cidr_block"], "10.99.0.0/16");
    assert_eq!(vpc["tags_all"]["Project"], "plumb-fixture");
    assert_eq!(stack.attr("aws_s3_bucket.smoke", "bucket"), "plumb-smoke-bucket");

    // Nothing changed out of band: the oracle reports no drift on the VPC.
    let plan = stack.refresh_only_plan();
    let vpc_drift: Vec<_> = resource_drift(&plan)
        .into_iter()
        .filter(|(a, before, after)| a == "aws_vpc.smoke" && !changed_paths(before, after).is_empty())
        .collect();
    assert!(vpc_drift.is_empty(), "{vpc_drift:?}");

    let rt = tokio::runtime::Builder::new_current_thread().enable_all().build().unwrap();
    rt.block_on(async {
        // The SDK clients reach the emulator, and GetBucketVersioning parses (launch.py patch).
        let s3 = emulator.s3();
        let v = s3.get_bucket_versioning().bucket("plumb-smoke-bucket").send().await.unwrap();
        assert!(v.status().is_none(), "{v:?}");
        let vpcs = emulator.ec2().describe_vpcs().vpc_ids(&vpc_id).send().await.unwrap();
        assert_eq!(vpcs.vpcs().len(), 1);

        // An out-of-band change shows up in the oracle.
        emulator
            .ec2()
            .create_tags()
            .resources(&vpc_id)
            .tags(aws_sdk_ec2::types::Tag::builder().key("Owner").value("console-user").build())
            .send()
            .await
            .unwrap();
    });
    let plan = stack.refresh_only_plan();
    let changes: Vec<String> = resource_drift(&plan)
        .into_iter()
        .filter(|(a, _, _)| a == "aws_vpc.smoke")
        .flat_map(|(_, b, a)| changed_paths(&b, &a))
        .map(|(p, _, _)| p)
        .collect();
    assert!(changes.contains(&"tags.Owner".to_string()), "{changes:?}");
}

#[test]
fn plumb_binary_runs() {
    let run = plumb(&["--version"]);
    assert_eq!(run.code, 0, "{run:?}");
    assert!(run.stdout.contains("plumb"), "{run:?}");
}

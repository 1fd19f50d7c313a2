//! End to end against the emulator: the node layer (`testdata/stacks/eks`: an EKS cluster, a
//! managed node group on a launch template, an add-on, an access entry with a policy
//! association, a self-managed Auto Scaling group on its own template with its scaling
//! policies, schedule, lifecycle hook, target group attachment and notifications, and a tag on
//! the group EKS made for the node group) applied with real
//! Terraform, scanned clean, changed out of band through the AWS API as an operator would,
//! scanned again, and checked against `terraform plan -refresh-only` as the oracle.
//!
//! One test function runs the scenarios in sequence because they share one applied stack.
//! The IAM roles of the stack are not read yet (another type's work): they are reported as
//! not judged, and the oracle comparison leaves them out.

mod common;

use std::collections::{BTreeMap, BTreeSet};

use common::*;
use serde_json::Value;

/// Addresses of the stack's resources of the types this test is about.
const NODE_LAYER: &[&str] = &[
    "aws_eks_cluster.main",
    "aws_eks_node_group.workers",
    "aws_eks_addon.vpc_cni",
    "aws_eks_access_entry.admin",
    "aws_eks_access_policy_association.admin",
    "aws_launch_template.nodes",
    "aws_launch_template.batch",
    "aws_autoscaling_group.batch",
    "aws_autoscaling_policy.batch[\"cpu\"]",
    "aws_autoscaling_policy.batch_step",
    "aws_autoscaling_schedule.night",
    "aws_autoscaling_lifecycle_hook.drain",
    "aws_autoscaling_attachment.batch",
    "aws_autoscaling_notification.batch",
    "aws_autoscaling_group_tag.workers",
];

/// Types Plumb does not read yet in this stack (IAM, another helper's; the target group and
/// SNS topic the Auto Scaling parts name).
const NOT_READ_YET: &[&str] = &[
    "aws_iam_role",
    "aws_iam_role_policy_attachment",
    "aws_iam_instance_profile",
    "aws_lb_target_group",
    "aws_sns_topic",
];

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

/// `(rule, address)` of the findings on managed resources.
fn findings_at(report: &Value) -> BTreeSet<(String, String)> {
    report["findings"]
        .as_array()
        .unwrap()
        .iter()
        .filter_map(|f| Some((f["rule_id"].as_str()?.to_string(), f["address"].as_str()?.to_string())))
        .collect()
}

#[test]
fn eks_stack_clean_then_changed_out_of_band() {
    let fx = shared("eks", &[]);
    let rt = tokio::runtime::Runtime::new().unwrap();
    let conf = fx.emulator.sdk_config();
    let (eks, autoscaling, iam, ec2) = (
        aws_sdk_eks::Client::new(&conf),
        aws_sdk_autoscaling::Client::new(&conf),
        aws_sdk_iam::Client::new(&conf),
        fx.emulator.ec2(),
    );

    // 1. Untouched: every node-layer resource in sync, nothing unmanaged: the launch
    //    template and Auto Scaling group EKS made for the node group, the access entry it
    //    made for the node role, and the instances the groups launched are AWS's.
    let clean = fx.scan(&[]);
    assert_ne!(clean.code, 2, "clean scan must be complete\n{}\n{}", clean.stdout, clean.stderr);
    let report = clean.json();
    assert_eq!(report["complete"], true, "{:#}", report["errors"]);
    let r = by_address(&report);
    for address in NODE_LAYER {
        assert_eq!(status(&r, address), "in_sync", "{:#}", r[*address]);
    }
    let not_in_sync: Vec<_> = r.values().filter(|x| x["status"] != "in_sync").collect();
    assert!(not_in_sync.is_empty(), "clean stack not in sync: {not_in_sync:#?}");
    assert_eq!(report["summary"]["unmanaged"], 0, "{:#}", report["resources"]);
    let not_judged: BTreeSet<&str> =
        report["not_judged"].as_array().unwrap().iter().filter_map(|n| n["type"].as_str()).collect();
    assert!(not_judged.iter().all(|t| NOT_READ_YET.contains(t)), "only IAM is not judged: {not_judged:?}");
    let eks_groups = rt.block_on(async {
        let out = autoscaling.describe_auto_scaling_groups().send().await.unwrap();
        out.auto_scaling_groups()
            .iter()
            .filter(|g| g.tags().iter().any(|t| t.key() == Some("eks:nodegroup-name")))
            .map(|g| g.auto_scaling_group_name().unwrap_or_default().to_string())
            .collect::<Vec<_>>()
    });
    assert_eq!(eks_groups.len(), 1, "EKS made one group for the node group: {eks_groups:?}");
    assert!(eks_groups[0].starts_with("eks-workers-"), "{eks_groups:?}");
    // The stack is hardened: no node-layer rule fails on it.
    let clean_findings = findings_at(&report);
    let on_node_layer: Vec<_> = clean_findings.iter().filter(|(_, a)| NODE_LAYER.contains(&a.as_str())).collect();
    assert!(on_node_layer.is_empty(), "{on_node_layer:?}\n{:#}", report["findings"]);

    // 2. Out-of-band changes through the AWS API.
    let nodes_template = fx.stack.attr("aws_launch_template.nodes", "id");
    rt.block_on(async {
        use aws_sdk_eks::types::{
            AccessScope, AccessScopeType, NodegroupScalingConfig, UpdateLabelsPayload, VpcConfigRequest,
        };
        // Someone scales the node group up and relabels it.
        eks.update_nodegroup_config()
            .cluster_name("clinic")
            .nodegroup_name("workers")
            .scaling_config(NodegroupScalingConfig::builder().min_size(2).max_size(6).desired_size(3).build())
            .labels(UpdateLabelsPayload::builder().add_or_update_labels("tier", "gold").remove_labels("role").build())
            .send()
            .await
            .unwrap();
        // A new default version of the nodes' template: IMDSv1 and an unencrypted root.
        use aws_sdk_ec2::types::{
            LaunchTemplateHttpTokensState, LaunchTemplateBlockDeviceMappingRequest,
            LaunchTemplateEbsBlockDeviceRequest, LaunchTemplateInstanceMetadataOptionsRequest,
            RequestLaunchTemplateData, VolumeType,
        };
        let version = ec2
            .create_launch_template_version()
            .launch_template_id(&nodes_template)
            .source_version("1")
            .launch_template_data(
                RequestLaunchTemplateData::builder()
                    .metadata_options(
                        LaunchTemplateInstanceMetadataOptionsRequest::builder()
                            .http_tokens(LaunchTemplateHttpTokensState::Optional)
                            .http_put_response_hop_limit(2)
                            .build(),
                    )
                    .block_device_mappings(
                        LaunchTemplateBlockDeviceMappingRequest::builder()
                            .device_name("/dev/xvda")
                            .ebs(
                                LaunchTemplateEbsBlockDeviceRequest::builder()
                                    .volume_size(50)
                                    .volume_type(VolumeType::Gp3)
                                    .encrypted(false)
                                    .delete_on_termination(true)
                                    .build(),
                            )
                            .build(),
                    )
                    .build(),
            )
            .send()
            .await
            .unwrap();
        let number = version.launch_template_version().and_then(|v| v.version_number()).unwrap();
        ec2.modify_launch_template()
            .launch_template_id(&nodes_template)
            .default_version(number.to_string())
            .send()
            .await
            .unwrap();
        // The self-managed group's bounds.
        autoscaling.update_auto_scaling_group().auto_scaling_group_name("clinic-batch").min_size(1).max_size(5).send().await.unwrap();
        autoscaling
            .create_or_update_tags()
            .tags(
                aws_sdk_autoscaling::types::Tag::builder()
                    .resource_id("clinic-batch")
                    .resource_type("auto-scaling-group")
                    .key("Owner")
                    .value("mallory")
                    .propagate_at_launch(false)
                    .build(),
            )
            .send()
            .await
            .unwrap();
        // The group's parts: the CPU target raised, the night schedule deleted, the drain
        // hook's heartbeat lengthened, a panic policy added by hand, the launch-error
        // notification added, and the cluster autoscaler's label tag on the EKS group changed.
        use aws_sdk_autoscaling::types::{MetricType, PredefinedMetricSpecification, TargetTrackingConfiguration};
        autoscaling
            .put_scaling_policy()
            .auto_scaling_group_name("clinic-batch")
            .policy_name("clinic-batch-cpu")
            .policy_type("TargetTrackingScaling")
            .estimated_instance_warmup(120)
            .target_tracking_configuration(
                TargetTrackingConfiguration::builder()
                    .predefined_metric_specification(
                        PredefinedMetricSpecification::builder()
                            .predefined_metric_type(MetricType::AsgAverageCpuUtilization)
                            .build(),
                    )
                    .target_value(70.0)
                    .build(),
            )
            .send()
            .await
            .unwrap();
        autoscaling
            .delete_scheduled_action()
            .auto_scaling_group_name("clinic-batch")
            .scheduled_action_name("clinic-batch-night")
            .send()
            .await
            .unwrap();
        autoscaling
            .put_lifecycle_hook()
            .auto_scaling_group_name("clinic-batch")
            .lifecycle_hook_name("clinic-batch-drain")
            .heartbeat_timeout(900)
            .send()
            .await
            .unwrap();
        autoscaling
            .put_scaling_policy()
            .auto_scaling_group_name("clinic-batch")
            .policy_name("clinic-batch-panic")
            .policy_type("SimpleScaling")
            .adjustment_type("ChangeInCapacity")
            .scaling_adjustment(3)
            .send()
            .await
            .unwrap();
        autoscaling
            .put_notification_configuration()
            .auto_scaling_group_name("clinic-batch")
            .topic_arn(fx.stack.attr("aws_sns_topic.scaling", "arn"))
            .notification_types("autoscaling:EC2_INSTANCE_LAUNCH")
            .notification_types("autoscaling:EC2_INSTANCE_TERMINATE")
            .notification_types("autoscaling:EC2_INSTANCE_LAUNCH_ERROR")
            .send()
            .await
            .unwrap();
        autoscaling
            .create_or_update_tags()
            .tags(
                aws_sdk_autoscaling::types::Tag::builder()
                    .resource_id(&eks_groups[0])
                    .resource_type("auto-scaling-group")
                    .key("k8s.io/cluster-autoscaler/node-template/label/role")
                    .value("gpu")
                    .propagate_at_launch(false)
                    .build(),
            )
            .send()
            .await
            .unwrap();
        // The API endpoint made public, and the cluster tagged.
        eks.update_cluster_config()
            .name("clinic")
            .resources_vpc_config(
                VpcConfigRequest::builder().endpoint_public_access(true).endpoint_private_access(true).build(),
            )
            .send()
            .await
            .unwrap();
        let cluster_arn = fx.stack.attr("aws_eks_cluster.main", "arn");
        eks.tag_resource().resource_arn(&cluster_arn).tags("Owner", "mallory").send().await.unwrap();
        // The add-on upgraded by hand.
        eks.update_addon()
            .cluster_name("clinic")
            .addon_name("vpc-cni")
            .addon_version("v1.19.3-eksbuild.1")
            .send()
            .await
            .unwrap();
        // A break-glass role given cluster admin outside Terraform.
        let role = iam
            .create_role()
            .role_name("clinic-break-glass")
            .assume_role_policy_document(
                r#"{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":{"AWS":"arn:aws:iam::123456789012:root"},"Action":"sts:AssumeRole"}]}"#,
            )
            .send()
            .await
            .unwrap();
        let role_arn = role.role().map(|r| r.arn().to_string()).unwrap();
        eks.create_access_entry().cluster_name("clinic").principal_arn(&role_arn).send().await.unwrap();
        eks.associate_access_policy()
            .cluster_name("clinic")
            .principal_arn(&role_arn)
            .policy_arn("arn:aws:eks::aws:cluster-access-policy/AmazonEKSClusterAdminPolicy")
            .access_scope(AccessScope::builder().r#type(AccessScopeType::Cluster).build())
            .send()
            .await
            .unwrap();
    });

    // 3. Every change at its address and attribute path; the hand-made grants unmanaged.
    let drifted = fx.scan(&[]);
    assert_eq!(drifted.code, 1, "drift must exit 1\n{}\n{}", drifted.stdout, drifted.stderr);
    let report = drifted.json();
    assert_eq!(report["complete"], true, "{:#}", report["errors"]);
    let r = by_address(&report);

    let ng = "aws_eks_node_group.workers";
    assert_eq!(status(&r, ng), "drifted");
    assert_eq!(change(&r, ng, "scaling_config[0].min_size")["live"], 2);
    assert_eq!(change(&r, ng, "scaling_config[0].max_size")["live"], 6);
    assert_eq!(change(&r, ng, "scaling_config[0].desired_size")["live"], 3);
    assert_eq!(change(&r, ng, "labels.tier")["live"], "gold");
    assert_eq!(change(&r, ng, "labels.role")["state"], "general");
    assert_eq!(change(&r, ng, "labels.role")["live"], Value::Null);

    let lt = "aws_launch_template.nodes";
    assert_eq!(status(&r, lt), "drifted");
    assert_eq!(change(&r, lt, "metadata_options[0].http_tokens")["live"], "optional");
    assert_eq!(change(&r, lt, "default_version")["live"], 2);
    // The provider stores the template's booleans as strings.
    assert_eq!(change(&r, lt, "block_device_mappings[0].ebs[0].encrypted")["live"], "false");

    let asg = "aws_autoscaling_group.batch";
    assert_eq!(status(&r, asg), "drifted");
    assert_eq!(change(&r, asg, "min_size")["live"], 1);
    assert_eq!(change(&r, asg, "max_size")["live"], 5);
    let tag = change(&r, asg, "tag");
    assert!(tag["added"].to_string().contains("mallory"), "{tag:#}");

    let cpu = "aws_autoscaling_policy.batch[\"cpu\"]";
    assert_eq!(status(&r, cpu), "drifted");
    assert_eq!(change(&r, cpu, "target_tracking_configuration[0].target_value")["live"], 70);
    assert_eq!(status(&r, "aws_autoscaling_schedule.night"), "missing");
    let hook = "aws_autoscaling_lifecycle_hook.drain";
    assert_eq!(status(&r, hook), "drifted");
    assert_eq!(change(&r, hook, "heartbeat_timeout")["live"], 900);
    assert_eq!(status(&r, "aws_autoscaling_policy clinic-batch/clinic-batch-panic"), "unmanaged");
    let notification = "aws_autoscaling_notification.batch";
    assert_eq!(status(&r, notification), "drifted");
    let types = change(&r, notification, "notifications");
    assert!(types.to_string().contains("EC2_INSTANCE_LAUNCH_ERROR"), "{types:#}");
    let label = "aws_autoscaling_group_tag.workers";
    assert_eq!(status(&r, label), "drifted");
    assert_eq!(change(&r, label, "tag[0].value")["live"], "gpu");
    for address in ["aws_autoscaling_policy.batch_step", "aws_autoscaling_attachment.batch"] {
        assert_eq!(status(&r, address), "in_sync", "{:#}", r[address]);
    }

    let cluster = "aws_eks_cluster.main";
    assert_eq!(status(&r, cluster), "drifted");
    assert_eq!(change(&r, cluster, "vpc_config[0].endpoint_public_access")["live"], true);
    assert_eq!(change(&r, cluster, "tags.Owner")["live"], "mallory");
    assert!(
        r[cluster]["changes"].as_array().unwrap().iter().all(|c| !c["path"].as_str().unwrap().contains("subnet")),
        "an endpoint change touches nothing else: {:#}",
        r[cluster]
    );

    assert_eq!(change(&r, "aws_eks_addon.vpc_cni", "addon_version")["live"], "v1.19.3-eksbuild.1");

    let entry = "aws_eks_access_entry clinic:arn:aws:iam::123456789012:role/clinic-break-glass";
    assert_eq!(status(&r, entry), "unmanaged");
    let association = "aws_eks_access_policy_association clinic#arn:aws:iam::123456789012:role/clinic-break-glass#arn:aws:eks::aws:cluster-access-policy/AmazonEKSClusterAdminPolicy";
    assert_eq!(status(&r, association), "unmanaged");
    // The break-glass role itself was made by hand too (IAM is read live).
    assert_eq!(status(&r, "aws_iam_role clinic-break-glass"), "unmanaged");
    assert_eq!(
        report["summary"]["unmanaged"], 4,
        "only the hand-made grants, role and policy: {:#}",
        report["resources"]
    );

    for address in
        ["aws_eks_access_entry.admin", "aws_eks_access_policy_association.admin", "aws_launch_template.batch"]
    {
        assert_eq!(status(&r, address), "in_sync", "{:#}", r[address]);
    }

    // 4. The oracle agrees on every resource Plumb judges.
    assert_agrees_with_terraform(fx, &r);

    // 5. The live rules fail at the blocks to fix: IMDSv1 and an unencrypted device on the
    //    nodes' template, the public endpoint on the cluster; nothing else new.
    let now = findings_at(&report);
    let new: BTreeSet<(String, String)> = now.difference(&clean_findings).cloned().collect();
    let expected: BTreeSet<(String, String)> = [
        ("HS-EC2-001", "aws_launch_template.nodes"),
        ("HS-EC2-002", "aws_launch_template.nodes"),
        ("HS-EKS-002", "aws_eks_cluster.main"),
    ]
    .iter()
    .map(|(a, b)| (a.to_string(), b.to_string()))
    .collect();
    assert_eq!(new, expected, "{:#}", report["findings"]);
    let public = report["findings"].as_array().unwrap().iter().find(|f| f["rule_id"] == "HS-EKS-002").unwrap();
    assert!(public["message"].as_str().unwrap().contains("open to the internet"), "{public:#}");

    // 6. Under real IAM enforcement: the shipped policy reads the whole node layer; without
    //    its EKS statement the scan is incomplete and no EKS resource is missing.
    let policy = |drop: &str| {
        let mut p: Value =
            serde_json::from_str(&std::fs::read_to_string(root().join("docs/iam-policy.json")).unwrap()).unwrap();
        p["Statement"].as_array_mut().unwrap().retain(|s| s["Sid"] != drop);
        p.to_string()
    };
    let full = fx.emulator.iam_user("plumb-eks-reader", &policy("NoSuchSid"));
    let no_eks = fx.emulator.iam_user("plumb-no-eks", &policy("PlumbReadEks"));
    fx.emulator.enforce_iam(true);
    let scan_as = |creds: &Creds| {
        fx.emulator.plumb_as(creds, &["scan", "--state", fx.stack.state_path_str(), "--format", "json"])
    };
    let (with_policy, without_eks) = (scan_as(&full), scan_as(&no_eks));
    fx.emulator.enforce_iam(false);
    let report = with_policy.json();
    assert_eq!(report["complete"], true, "the shipped policy is not sufficient: {:#}", report["errors"]);
    // The same managed resources are judged (the reader users this test made are unmanaged
    // IAM users now, and IAM is read live).
    let managed = |m: &BTreeMap<String, Value>| m.values().filter(|x| !x["address"].is_null()).count();
    assert_eq!(managed(&by_address(&report)), managed(&r), "the same resources are judged");
    assert_eq!(without_eks.code, 2, "{}", without_eks.stderr);
    let report = without_eks.json();
    let errors = report["errors"].as_array().unwrap();
    assert!(
        !errors.is_empty() && errors.iter().all(|e| e["service"] == "eks" && e["code"] == "AccessDenied"),
        "{errors:#?}"
    );
    let judged = by_address(&report);
    // Nothing of the unread service is missing; only the schedule deleted above is.
    let missing: Vec<&str> = judged.iter().filter(|(_, x)| x["status"] == "missing").map(|(a, _)| a.as_str()).collect();
    assert_eq!(missing, ["aws_autoscaling_schedule.night"], "{:#}", report["resources"]);
    assert!(judged.keys().all(|a| !a.starts_with("aws_eks_")), "no EKS resource is judged: {:#?}", judged.keys());
    assert_eq!(status(&judged, "aws_autoscaling_group.batch"), "drifted", "the other services are still read");
}

fn plan_deletes(plan: &Value, address: &str) -> bool {
    plan["resource_drift"]
        .as_array()
        .into_iter()
        .flatten()
        .any(|d| d["address"] == address && d["change"]["after"].is_null())
}

/// What the plan shows that a person would not call drift: null vs empty, `tags_all` (the
/// same change is under `tags`), and computed bookkeeping (`latest_version` moves with every
/// new template version; the default version's change is under `default_version`).
fn is_noise(path: &str, before: &Value, after: &Value) -> bool {
    const VOLATILE: &[&str] = &["tags_all", "status", "latest_version", "modified_at"];
    let top = path.split(['.', '[']).next().unwrap_or(path);
    (empty_like(before) && empty_like(after)) || VOLATILE.contains(&top)
}

/// The oracle: every resource Plumb judges that `terraform plan -refresh-only` shows with a
/// real change is drifted or missing in Plumb's report, and Plumb reports nothing changed
/// that the plan does not show. Resources of types Plumb does not read yet are left out
/// (they are in the report's `not_judged`).
fn assert_agrees_with_terraform(fx: &Fixture, r: &BTreeMap<String, Value>) {
    let plan = fx.stack.refresh_only_plan();
    let oracle: BTreeMap<String, Vec<(String, Value, Value)>> = resource_drift(&plan)
        .into_iter()
        .map(|(addr, before, after)| {
            let paths = changed_paths(&before, &after).into_iter().filter(|(p, b, a)| !is_noise(p, b, a)).collect();
            (addr, paths)
        })
        .collect();
    let plumb_changed: BTreeSet<String> = r
        .iter()
        .filter(|(_, v)| v["status"] == "drifted" || v["status"] == "missing")
        .map(|(k, _)| k.clone())
        .collect();
    for (addr, paths) in &oracle {
        let rtype = addr.rsplit('.').nth(1).unwrap_or_default();
        if NOT_READ_YET.contains(&rtype) {
            continue;
        }
        if !paths.is_empty() || plan_deletes(&plan, addr) {
            assert!(
                plumb_changed.contains(addr),
                "terraform sees a real change on {addr} ({paths:?}) that plumb misses"
            );
        }
    }
    for addr in &plumb_changed {
        assert!(
            oracle.get(addr).is_some_and(|p| !p.is_empty()) || plan_deletes(&plan, addr),
            "plumb reports {addr} changed but terraform plan -refresh-only does not: {:#}",
            r[addr]
        );
    }
}

//! "Who changed the node config?" end to end: the EKS stack applied with real Terraform,
//! changed out of band by four people (the CLI in CloudShell, the console, an SDK script run
//! through a role, the CLI on a laptop), and CloudTrail files written for those calls with the
//! emulator's real ids and ARNs (moto delivers no CloudTrail), among noise: Terraform's own
//! writes, reads, a denied call, a write on another node group, and EKS's service-linked role
//! resizing the node group's Auto Scaling group after the person's change.
//!
//! `plumb scan --cloudtrail` names the person, channel and event of every drift; the node
//! count moved by hand is expected change when the code says `ignore_changes` (or the ignore
//! file does); `plumb blame` on the node group tells the story across its launch template,
//! its Auto Scaling group and its node role; a type Plumb does not read says so.

mod common;

use std::collections::BTreeMap;
use std::io::Write;
use std::path::Path;

use common::*;
use serde_json::{Value, json};
use time::OffsetDateTime;
use time::format_description::well_known::Rfc3339;

const NODE_GROUP: &str = "aws_eks_node_group.workers";
const TF_UA: &str = "APN/1.0 HashiCorp/1.0 Terraform/1.11.4 (+https://www.terraform.io) terraform-provider-aws/5.100.0 (+https://registry.terraform.io/providers/hashicorp/aws) aws-sdk-go-v2/1.36.3 ua/2.1 os/linux lang/go#1.24.2 md/GOOS#linux md/GOARCH#amd64 api/eks#1.64.1";
const CLOUDSHELL_UA: &str = "aws-cli/2.22.4 md/awscrt#0.23.4 ua/2.0 os/linux#6.1.115-126.197.amzn2023.x86_64 md/arch#x86_64 lang/python#3.12.6 md/pyimpl#CPython exec-env/CloudShell cfg/retry-mode#standard md/installer#exe md/distrib#amzn.2023 md/prompt#off md/command#eks.update-nodegroup-config";
const CLI_UA: &str = "aws-cli/2.17.60 md/awscrt#0.21.2 ua/2.0 os/macos#23.6.0 md/arch#x86_64 lang/python#3.12.6 md/pyimpl#CPython cfg/retry-mode#standard md/installer#exe md/prompt#off md/command#eks.update-cluster-config";
const SDK_UA: &str = "Boto3/1.35.36 md/Botocore#1.35.36 ua/2.0 os/linux#6.1.0 md/arch#x86_64 lang/python#3.12.6 md/pyimpl#CPython cfg/retry-mode#legacy Botocore/1.35.36";

fn ts(t: OffsetDateTime) -> String {
    t.replace_nanosecond(0).unwrap().format(&Rfc3339).unwrap()
}

#[derive(Clone, Copy)]
enum Who {
    /// An SSO user in CloudShell: console credentials, the CLI's user agent.
    CloudShell(&'static str),
    /// An SSO user in the console.
    Console(&'static str),
    /// A script with boto3 through the Deploy role; `sourceIdentity` names the person.
    Sdk(&'static str),
    /// An IAM user with the CLI on a laptop.
    Cli(&'static str),
    /// Terraform's CI user.
    Terraform,
    /// EKS's service-linked role acting for a node group.
    EksService,
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
        let id = format!("11111111-0000-4000-8000-{:012}", self.seq);
        let read_only = ["Describe", "Get", "List"].iter().any(|p| name.starts_with(p));
        let region = if source == "iam" { "us-east-1" } else { REGION };
        let mut r = json!({
            "eventVersion": "1.10", "eventTime": ts(at), "eventSource": format!("{source}.amazonaws.com"),
            "eventName": name, "awsRegion": region, "eventCategory": "Management", "eventType": "AwsApiCall",
            "readOnly": read_only, "recipientAccountId": ACCOUNT_ID, "eventID": id,
            "requestID": format!("req-{}", self.seq), "requestParameters": params, "responseElements": response,
        });
        let o = r.as_object_mut().unwrap();
        let sso = |person: &str| {
            json!({"type": "AssumedRole",
                   "arn": format!("arn:aws:sts::{ACCOUNT_ID}:assumed-role/AWSReservedSSO_PlatformAdmin_0123abcd/{person}"),
                   "principalId": format!("AROAEXAMPLESSO:{person}"), "accountId": ACCOUNT_ID, "accessKeyId": "ASIAEXAMPLESSO",
                   "sessionContext": {"sessionIssuer": {"type": "Role", "userName": "AWSReservedSSO_PlatformAdmin_0123abcd",
                     "arn": format!("arn:aws:iam::{ACCOUNT_ID}:role/aws-reserved/sso.amazonaws.com/AWSReservedSSO_PlatformAdmin_0123abcd"),
                     "accountId": ACCOUNT_ID}, "attributes": {"mfaAuthenticated": "true"}}})
        };
        let (identity, ua, ip) = match who {
            Who::CloudShell(p) => {
                o.insert("sessionCredentialFromConsole".into(), json!(true));
                (sso(p), CLOUDSHELL_UA.to_string(), "3.94.12.7".to_string())
            }
            Who::Console(p) => {
                o.insert("sessionCredentialFromConsole".into(), json!(true));
                (sso(p), "AWS Internal".to_string(), "AWS Internal".to_string())
            }
            Who::Sdk(p) => (
                json!({"type": "AssumedRole", "arn": format!("arn:aws:sts::{ACCOUNT_ID}:assumed-role/Deploy/run-4711"),
                       "principalId": "AROAEXAMPLEDEPLOY:run-4711", "accountId": ACCOUNT_ID, "accessKeyId": "ASIAEXAMPLEDEPLOY",
                       "sessionContext": {"sourceIdentity": p, "sessionIssuer": {"type": "Role", "userName": "Deploy",
                         "arn": format!("arn:aws:iam::{ACCOUNT_ID}:role/Deploy"), "accountId": ACCOUNT_ID}}}),
                SDK_UA.to_string(),
                "192.0.2.44".to_string(),
            ),
            Who::Cli(user) => (
                json!({"type": "IAMUser", "arn": format!("arn:aws:iam::{ACCOUNT_ID}:user/{user}"), "userName": user,
                       "principalId": "AIDAEXAMPLECLI", "accountId": ACCOUNT_ID, "accessKeyId": "AKIAEXAMPLECLI"}),
                CLI_UA.to_string(),
                "203.0.113.9".to_string(),
            ),
            Who::Terraform => (
                json!({"type": "IAMUser", "arn": format!("arn:aws:iam::{ACCOUNT_ID}:user/terraform-ci"), "userName": "terraform-ci",
                       "principalId": "AIDAEXAMPLETF", "accountId": ACCOUNT_ID, "accessKeyId": "AKIAEXAMPLETF"}),
                TF_UA.to_string(),
                "198.51.100.7".to_string(),
            ),
            Who::EksService => (
                json!({"type": "AssumedRole", "invokedBy": "eks-nodegroup.amazonaws.com",
                       "arn": format!("arn:aws:sts::{ACCOUNT_ID}:assumed-role/AWSServiceRoleForAmazonEKSNodegroup/EKS"),
                       "principalId": "AROAEXAMPLEEKS:EKS", "accountId": ACCOUNT_ID,
                       "sessionContext": {"sessionIssuer": {"type": "Role", "userName": "AWSServiceRoleForAmazonEKSNodegroup",
                         "arn": format!("arn:aws:iam::{ACCOUNT_ID}:role/aws-service-role/eks-nodegroup.amazonaws.com/AWSServiceRoleForAmazonEKSNodegroup"),
                         "accountId": ACCOUNT_ID}}}),
                "eks-nodegroup.amazonaws.com".to_string(),
                "eks-nodegroup.amazonaws.com".to_string(),
            ),
        };
        o.insert("userIdentity".into(), identity);
        o.insert("userAgent".into(), json!(ua));
        o.insert("sourceIPAddress".into(), json!(ip));
        self.records.push(r);
        id
    }

    fn deny_last(&mut self) {
        let r = self.records.last_mut().unwrap().as_object_mut().unwrap();
        r.insert("errorCode".into(), json!("AccessDeniedException"));
        r.insert("errorMessage".into(), json!("User is not authorized to perform: eks:UpdateNodegroupConfig"));
        r.insert("responseElements".into(), Value::Null);
    }

    /// One gzip file per region and day, as CloudTrail delivers.
    fn write(&self, dir: &Path) {
        let mut by_file: BTreeMap<(String, String), Vec<&Value>> = BTreeMap::new();
        for r in &self.records {
            let day = r["eventTime"].as_str().unwrap()[..10].to_string();
            by_file.entry((r["awsRegion"].as_str().unwrap().to_string(), day)).or_default().push(r);
        }
        for ((region, day), records) in by_file {
            let (y, m, d) = (&day[..4], &day[5..7], &day[8..10]);
            let path = dir.join(format!(
                "AWSLogs/{ACCOUNT_ID}/CloudTrail/{region}/{y}/{m}/{d}/{ACCOUNT_ID}_CloudTrail_{region}_{y}{m}{d}T2355Z_n0d3C0nf1gT3st.json.gz"
            ));
            std::fs::create_dir_all(path.parent().unwrap()).unwrap();
            let mut gz = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::default());
            gz.write_all(json!({ "Records": records }).to_string().as_bytes()).unwrap();
            std::fs::write(&path, gz.finish().unwrap()).unwrap();
        }
    }
}

/// The first attribution of a resource: (actor, channel, event).
fn cause(r: &BTreeMap<String, Value>, address: &str) -> (String, String, String) {
    let res = r.get(address).unwrap_or_else(|| panic!("{address} not in report: {:#?}", r.keys()));
    let a = &res["attribution"][0];
    assert!(a.is_object(), "{address}: no cause: {res:#}");
    let s = |k: &str| a[k].as_str().unwrap_or_default().to_string();
    (s("actor"), s("channel"), s("event_name"))
}

fn changed_paths(r: &BTreeMap<String, Value>, address: &str) -> Vec<String> {
    r[address]["changes"].as_array().unwrap().iter().map(|c| c["path"].as_str().unwrap().to_string()).collect()
}

#[test]
fn who_changed_the_node_config() {
    let fx = shared("eks", &[]);
    let rt = tokio::runtime::Runtime::new().unwrap();
    let conf = fx.emulator.sdk_config();
    let (eks, autoscaling, iam, ec2) = (
        aws_sdk_eks::Client::new(&conf),
        aws_sdk_autoscaling::Client::new(&conf),
        aws_sdk_iam::Client::new(&conf),
        fx.emulator.ec2(),
    );
    let now = OffsetDateTime::now_utc();
    let ago = |minutes: i64| now - time::Duration::minutes(minutes);
    let template = fx.stack.attr("aws_launch_template.nodes", "id");
    let node_role = fx.stack.attr("aws_iam_role.nodes", "name");
    let _cluster_arn = fx.stack.attr("aws_eks_cluster.main", "arn");
    let eks_group = rt.block_on(async {
        let out = autoscaling.describe_auto_scaling_groups().send().await.unwrap();
        out.auto_scaling_groups()
            .iter()
            .find(|g| g.tags().iter().any(|t| t.key() == Some("eks:nodegroup-name")))
            .and_then(|g| g.auto_scaling_group_name())
            .unwrap()
            .to_string()
    });

    // 1. The out-of-band changes, through the API.
    let version = rt.block_on(async {
        use aws_sdk_eks::types::{NodegroupScalingConfig, UpdateLabelsPayload, VpcConfigRequest};
        eks.update_nodegroup_config()
            .cluster_name("clinic")
            .nodegroup_name("workers")
            .scaling_config(NodegroupScalingConfig::builder().min_size(1).max_size(4).desired_size(4).build())
            .labels(UpdateLabelsPayload::builder().add_or_update_labels("tier", "gold").build())
            .send()
            .await
            .unwrap();
        use aws_sdk_ec2::types::{
            LaunchTemplateHttpTokensState, LaunchTemplateInstanceMetadataOptionsRequest, RequestLaunchTemplateData,
        };
        let v = ec2
            .create_launch_template_version()
            .launch_template_id(&template)
            .source_version("1")
            .launch_template_data(
                RequestLaunchTemplateData::builder()
                    .metadata_options(
                        LaunchTemplateInstanceMetadataOptionsRequest::builder()
                            .http_tokens(LaunchTemplateHttpTokensState::Optional)
                            .build(),
                    )
                    .build(),
            )
            .send()
            .await
            .unwrap();
        let number = v.launch_template_version().and_then(|v| v.version_number()).unwrap();
        ec2.modify_launch_template()
            .launch_template_id(&template)
            .default_version(number.to_string())
            .send()
            .await
            .unwrap();
        iam.attach_role_policy()
            .role_name(&node_role)
            .policy_arn("arn:aws:iam::aws:policy/AdministratorAccess")
            .send()
            .await
            .unwrap();
        eks.update_cluster_config()
            .name("clinic")
            .resources_vpc_config(
                VpcConfigRequest::builder().endpoint_public_access(true).endpoint_private_access(true).build(),
            )
            .send()
            .await
            .unwrap();
        number
    });

    // 2. The trail: the four people's calls, EKS's follow-up, and noise.
    let mut log = Log { seq: 0, records: Vec::new() };
    let terraform = log.add(
        Who::Terraform,
        ago(72 * 60),
        "eks",
        "CreateNodegroup",
        json!({"clusterName": "clinic", "nodegroupName": "workers",
               "scalingConfig": {"minSize": 1, "maxSize": 4, "desiredSize": 2}, "labels": {"role": "general"}}),
        json!({"nodegroup": {"nodegroupName": "workers", "clusterName": "clinic"}}),
    );
    log.add(
        Who::Terraform,
        ago(72 * 60),
        "eks",
        "DescribeNodegroup",
        json!({"name": "clinic", "nodegroupName": "workers"}),
        Value::Null,
    );
    let dana = log.add(
        Who::CloudShell("dana@example.com"),
        ago(50),
        "eks",
        "UpdateNodegroupConfig",
        json!({"name": "clinic", "nodegroupName": "workers",
               "scalingConfig": {"minSize": 1, "maxSize": 4, "desiredSize": 4},
               "labels": {"addOrUpdateLabels": {"tier": "gold"}}, "clientRequestToken": "4c2f..."}),
        json!({"update": {"id": "b2a1...", "status": "InProgress", "type": "ConfigUpdate"}}),
    );
    let service = log.add(
        Who::EksService,
        ago(49),
        "autoscaling",
        "UpdateAutoScalingGroup",
        json!({"autoScalingGroupName": eks_group, "minSize": 1, "maxSize": 4, "desiredCapacity": 4}),
        Value::Null,
    );
    let alice_version = log.add(
        Who::Console("alice@example.com"),
        ago(40),
        "ec2",
        "CreateLaunchTemplateVersion",
        json!({"CreateLaunchTemplateVersionRequest": {"LaunchTemplateId": template, "SourceVersion": "1",
               "LaunchTemplateData": {"MetadataOptions": {"HttpTokens": "optional"}}}}),
        json!({"CreateLaunchTemplateVersionResponse": {"launchTemplateVersion": {"launchTemplateId": template,
               "versionNumber": version}}}),
    );
    let alice_default = log.add(
        Who::Console("alice@example.com"),
        ago(39),
        "ec2",
        "ModifyLaunchTemplate",
        json!({"ModifyLaunchTemplateRequest": {"LaunchTemplateId": template, "SetDefaultVersion": version.to_string()}}),
        json!({"ModifyLaunchTemplateResponse": {"launchTemplate": {"launchTemplateId": template,
               "defaultVersionNumber": version}}}),
    );
    let carol = log.add(
        Who::Sdk("carol"),
        ago(30),
        "iam",
        "AttachRolePolicy",
        json!({"roleName": node_role, "policyArn": "arn:aws:iam::aws:policy/AdministratorAccess"}),
        Value::Null,
    );
    let _bob = log.add(
        Who::Cli("bob"),
        ago(20),
        "eks",
        "UpdateClusterConfig",
        json!({"name": "clinic", "resourcesVpcConfig": {"endpointPublicAccess": true, "endpointPrivateAccess": true}}),
        json!({"update": {"id": "c3b2...", "status": "InProgress", "type": "EndpointAccessUpdate"}}),
    );
    // Noise: a write on another node group, a denied call, reads.
    log.add(
        Who::Cli("bob"),
        ago(15),
        "eks",
        "UpdateNodegroupConfig",
        json!({"name": "clinic", "nodegroupName": "batch-gpu", "scalingConfig": {"desiredSize": 9}}),
        Value::Null,
    );
    let denied = log.add(
        Who::Cli("mallory"),
        ago(10),
        "eks",
        "UpdateNodegroupConfig",
        json!({"name": "clinic", "nodegroupName": "workers", "scalingConfig": {"desiredSize": 0}}),
        Value::Null,
    );
    log.deny_last();
    log.add(Who::Cli("bob"), ago(5), "eks", "DescribeCluster", json!({"name": "clinic"}), Value::Null);
    let trail = tempfile::tempdir().unwrap();
    log.write(trail.path());
    let trail_dir = trail.path().to_str().unwrap();

    // 3. The scan names who changed what.
    let run = fx.scan(&["--cloudtrail", trail_dir, "--since", "7d"]);
    assert_ne!(run.code, 2, "{}\n{}", run.stdout, run.stderr);
    let report = run.json();
    assert_eq!(report["complete"], true, "{:#}", report["errors"]);
    let r = by_address(&report);
    let ng = changed_paths(&r, NODE_GROUP);
    assert!(ng.iter().any(|p| p.starts_with("scaling_config")), "{ng:?}");
    assert!(ng.iter().any(|p| p.starts_with("labels")), "{ng:?}");
    assert_eq!(cause(&r, NODE_GROUP), ("dana@example.com".into(), "cli".into(), "UpdateNodegroupConfig".into()));
    let lt = cause(&r, "aws_launch_template.nodes");
    assert_eq!((lt.0.as_str(), lt.1.as_str()), ("alice@example.com", "console"), "{lt:?}");
    assert!(["CreateLaunchTemplateVersion", "ModifyLaunchTemplate"].contains(&lt.2.as_str()), "{lt:?}");
    assert_eq!(cause(&r, "aws_iam_role.nodes"), ("carol".into(), "sdk".into(), "AttachRolePolicy".into()));
    assert_eq!(cause(&r, "aws_eks_cluster.main"), ("bob".into(), "cli".into(), "UpdateClusterConfig".into()));
    assert!(
        changed_paths(&r, "aws_eks_cluster.main").iter().any(|p| p.contains("endpoint_public_access")),
        "{:#}",
        r["aws_eks_cluster.main"]
    );
    // The oracle shows the same resources changed.
    let plan = fx.stack.refresh_only_plan();
    let drifted: Vec<String> = resource_drift(&plan).into_iter().map(|(a, ..)| a).collect();
    for address in [NODE_GROUP, "aws_launch_template.nodes", "aws_iam_role.nodes", "aws_eks_cluster.main"] {
        assert!(drifted.iter().any(|a| a == address), "terraform shows no drift on {address}: {drifted:?}");
    }

    // 4. The node count is the autoscaler's (the code says so): ignored, reported, not drift.
    let code = tempfile::tempdir().unwrap();
    for entry in std::fs::read_dir(stack_dir("eks")).unwrap().flatten() {
        let text = std::fs::read_to_string(entry.path()).unwrap();
        let text = text.replace(
            "  depends_on = [aws_iam_role_policy_attachment.nodes]",
            "  lifecycle {\n    ignore_changes = [scaling_config[0].desired_size]\n  }\n\n  depends_on = [aws_iam_role_policy_attachment.nodes]",
        );
        std::fs::write(code.path().join(entry.file_name()), text).unwrap();
    }
    let run = fx.scan(&["--code", code.path().to_str().unwrap()]);
    let r = by_address(&run.json());
    let ignored: Vec<&str> =
        r[NODE_GROUP]["ignored"].as_array().unwrap().iter().map(|c| c["path"].as_str().unwrap()).collect();
    assert_eq!(ignored, ["scaling_config[0].desired_size"], "{:#}", r[NODE_GROUP]);
    assert!(r[NODE_GROUP]["ignored"][0]["by"].as_str().unwrap().starts_with("eks.tf:"));
    assert!(!changed_paths(&r, NODE_GROUP).iter().any(|p| p.contains("desired_size")));
    assert_eq!(r[NODE_GROUP]["status"], "drifted", "the labels still drifted");
    // A state-only scan says the same with an ignore file.
    let ignore = code.path().join("plumb-ignore.yaml");
    std::fs::write(
        &ignore,
        "- address: aws_eks_node_group.*\n  paths: [\"scaling_config[0].desired_size\"]\n  reason: cluster autoscaler\n",
    )
    .unwrap();
    let run = fx.scan(&["--ignore", ignore.to_str().unwrap()]);
    let r = by_address(&run.json());
    assert_eq!(r[NODE_GROUP]["ignored"][0]["reason"], "cluster autoscaler");

    // 5. `plumb blame` on the node group: the story across what defines its nodes.
    let state = fx.stack.state_path_str();
    let run = fx.emulator.plumb(&[
        "blame",
        NODE_GROUP,
        "--state",
        state,
        "--cloudtrail",
        trail_dir,
        "--since",
        "7d",
        "--format",
        "json",
    ]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    let history = run.json();
    let events: Vec<(String, String, String)> = history["events"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| {
            let on = e["linked"]["link"].as_str().unwrap_or("node group").to_string();
            (e["event_id"].as_str().unwrap().to_string(), e["event_name"].as_str().unwrap().to_string(), on)
        })
        .collect();
    let ids: Vec<&str> = events.iter().map(|(id, ..)| id.as_str()).collect();
    assert_eq!(
        ids,
        [&denied, &carol, &alice_default, &alice_version, &service, &dana, &terraform].map(|s| s.as_str()),
        "newest first, the other node group's write and the cluster change left out: {events:#?}"
    );
    let on: BTreeMap<&str, &str> = events.iter().map(|(id, _, on)| (id.as_str(), on.as_str())).collect();
    assert_eq!(on[carol.as_str()], "node role");
    assert_eq!(on[alice_version.as_str()], "launch template");
    assert_eq!(on[service.as_str()], "Auto Scaling group");
    assert_eq!(on[dana.as_str()], "node group");
    let by_id = |id: &str| history["events"].as_array().unwrap().iter().find(|e| e["event_id"] == id).unwrap().clone();
    assert_eq!(by_id(&denied)["status"], "failed");
    assert_eq!(by_id(&dana)["channel"], "cli", "the CLI in CloudShell is the CLI");
    assert_eq!(by_id(&service)["channel"], "service");
    assert_eq!(by_id(&service)["follows"]["actor"], "dana@example.com", "EKS's resize leads back to the person");
    let text = fx.emulator.plumb(&["blame", NODE_GROUP, "--state", state, "--cloudtrail", trail_dir, "--since", "7d"]);
    assert!(text.stdout.contains("including what defines it:"), "{}", text.stdout);
    assert!(text.stdout.contains("made by AWS after UpdateNodegroupConfig by dana@example.com"), "{}", text.stdout);
    // --no-links: the node group alone.
    let alone = fx.emulator.plumb(&[
        "blame",
        NODE_GROUP,
        "--state",
        state,
        "--cloudtrail",
        trail_dir,
        "--since",
        "7d",
        "--format",
        "json",
        "--no-links",
    ]);
    let names: Vec<String> = alone.json()["events"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| e["event_id"].as_str().unwrap().to_string())
        .collect();
    assert!(!names.contains(&carol) && !names.contains(&alice_version) && names.contains(&dana), "{names:?}");

    // 6. A type Plumb does not read: said plainly, the trail's writes naming it still listed.
    let unread_state = code.path().join("unread.tfstate");
    std::fs::write(
        &unread_state,
        json!({"version": 4, "terraform_version": "1.11.4", "serial": 1, "lineage": "x", "outputs": {},
               "resources": [{"mode": "managed", "type": "aws_sfn_state_machine", "name": "orders",
                 "provider": "provider[\"registry.terraform.io/hashicorp/aws\"]",
                 "instances": [{"schema_version": 0, "attributes": {
                   "id": format!("arn:aws:states:{REGION}:{ACCOUNT_ID}:stateMachine:orders"),
                   "arn": format!("arn:aws:states:{REGION}:{ACCOUNT_ID}:stateMachine:orders"), "name": "orders"}}]}]})
        .to_string(),
    )
    .unwrap();
    let mut other = Log { seq: 100, records: Vec::new() };
    other.add(
        Who::Console("alice@example.com"),
        ago(30),
        "states",
        "UpdateStateMachine",
        json!({"stateMachineArn": format!("arn:aws:states:{REGION}:{ACCOUNT_ID}:stateMachine:orders"), "definition": "HIDDEN_DUE_TO_SECURITY_REASONS"}),
        Value::Null,
    );
    let other_trail = tempfile::tempdir().unwrap();
    other.write(other_trail.path());
    let run = fx.emulator.plumb(&[
        "blame",
        "aws_sfn_state_machine.orders",
        "--state",
        unread_state.to_str().unwrap(),
        "--cloudtrail",
        other_trail.path().to_str().unwrap(),
        "--since",
        "7d",
    ]);
    assert_eq!(run.code, 2, "an unread type's history is incomplete, never a clean exit 0\n{}", run.stderr);
    assert!(run.stdout.contains("Plumb does not read aws_sfn_state_machine"), "{}", run.stdout);
    assert!(run.stdout.contains("1 write event"), "{}", run.stdout);
    assert!(run.stdout.contains("UpdateStateMachine"), "{}", run.stdout);
}

//! IAM end to end against the emulator: the `iam` stack (roles for an EKS cluster and its
//! nodes with AWS-managed policies attached through `for_each`, an inline policy from
//! `aws_iam_policy_document`, an instance profile, IRSA with an OIDC provider and a
//! customer-managed policy, a console user in a group, a CI user with an access key, the
//! password policy) applied with real Terraform, scanned clean, changed out of band through
//! the IAM API, scanned again, checked against `terraform plan -refresh-only` and the IAM
//! rules, and attributed from CloudTrail files while scanning another region (IAM is global;
//! its events are recorded in us-east-1).
//!
//! One test function: the scenarios share one applied stack and run in sequence.

mod common;

use std::collections::{BTreeMap, BTreeSet};
use std::io::Write;
use std::path::Path;

use common::*;
use serde_json::{Value, json};
use time::OffsetDateTime;
use time::format_description::well_known::Rfc3339;

const ADMIN: &str = "arn:aws:iam::aws:policy/AdministratorAccess";
const REPORTS_POLICY: &str = "arn:aws:iam::123456789012:policy/clinic/clinic-reports-read";

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

/// `(rule, where)` of the IAM findings (`TYPE ID` for unmanaged resources).
fn iam_findings(report: &Value) -> BTreeSet<(String, String)> {
    report["findings"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|f| f["rule_id"].as_str().unwrap().starts_with("HS-IAM"))
        .map(|f| {
            assert_eq!(f["view"], "live", "{f:#}");
            let at = match f["address"].as_str() {
                Some(a) => a.to_string(),
                None => format!("{} {}", f["type"].as_str().unwrap(), f["id"].as_str().unwrap()),
            };
            (f["rule_id"].as_str().unwrap().to_string(), at)
        })
        .collect()
}

fn set(list: &[(&str, &str)]) -> BTreeSet<(String, String)> {
    list.iter().map(|(a, b)| (a.to_string(), b.to_string())).collect()
}

#[test]
fn iam_stack_clean_then_changed_out_of_band() {
    let fx = shared("iam", &[]);
    let rt = tokio::runtime::Runtime::new().unwrap();
    let secret = fx.stack.attr("aws_iam_access_key.ci", "secret");
    let password = fx.stack.attr("aws_iam_user_login_profile.auditor", "password");

    // 1. Untouched: everything in sync and complete; nothing unmanaged although the emulator
    //    holds every AWS-managed policy; findings only where the stack is weak by design
    //    (the console user has no MFA device; neither has the emulator's root user).
    let clean = fx.scan(&[]);
    assert_eq!(clean.code, 1, "findings, no drift\n{}\n{}", clean.stdout, clean.stderr);
    assert!(!clean.mentions(&secret) && !clean.mentions(&password), "a secret from state leaked");
    let report = clean.json();
    assert_eq!(report["complete"], true, "{:#}", report["errors"]);
    let r = by_address(&report);
    let not_in_sync: Vec<_> = r.values().filter(|x| x["status"] != "in_sync").collect();
    assert!(not_in_sync.is_empty(), "clean stack not in sync: {not_in_sync:#?}");
    assert_eq!(report["summary"]["unmanaged"], 0);
    assert_eq!(report["summary"]["not_judged"], 0, "{:#}", report["not_judged"]);
    let managed = fx.stack.resources();
    assert_eq!(r.len(), managed.len(), "every state resource judged once");
    assert!(managed.iter().all(|(a, ..)| r.contains_key(a)));
    assert_eq!(
        iam_findings(&report),
        set(&[
            ("HS-IAM-004", "aws_iam_user_login_profile.auditor"),
            ("HS-IAM-004", "aws_iam_user_login_profile <root_account>"),
        ]),
        "{:#}",
        report["findings"]
    );
    assert_agrees_with_terraform(fx, &r);

    // 2. Out-of-band changes through the IAM API.
    let iam = aws_sdk_iam::Client::new(&fx.emulator.sdk_config());
    let key_id = fx.stack.attr("aws_iam_access_key.ci", "id");
    let widened = r#"{"Version":"2012-10-17","Statement":[{"Sid":"EKSNodeAssumeRole","Effect":"Allow","Principal":{"Service":"ec2.amazonaws.com","AWS":"arn:aws:iam::123456789012:root"},"Action":"sts:AssumeRole"}]}"#;
    let everything = r#"{"Version":"2012-10-17","Statement":[{"Sid":"WriteNodeLogs","Effect":"Allow","Action":"*","Resource":"*"}]}"#;
    rt.block_on(async {
        iam.attach_role_policy().role_name("clinic-node").policy_arn(ADMIN).send().await.unwrap();
        iam.update_assume_role_policy().role_name("clinic-node").policy_document(widened).send().await.unwrap();
        iam.put_role_policy()
            .role_name("clinic-node")
            .policy_name("clinic-node-logs")
            .policy_document(everything)
            .send()
            .await
            .unwrap();
        iam.attach_user_policy().user_name("dana.reyes").policy_arn(REPORTS_POLICY).send().await.unwrap();
        iam.put_user_policy()
            .user_name("ci-deployer")
            .policy_name("deploy-anything")
            .policy_document(r#"{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"*","Resource":"*"}]}"#)
            .send()
            .await
            .unwrap();
        // UpdateAccountPasswordPolicy replaces the whole policy: only the length is weakened.
        iam.update_account_password_policy()
            .minimum_password_length(8)
            .password_reuse_prevention(24)
            .require_symbols(true)
            .require_numbers(true)
            .require_uppercase_characters(true)
            .require_lowercase_characters(true)
            .allow_users_to_change_password(true)
            .max_password_age(90)
            .send()
            .await
            .unwrap();
        iam.update_access_key()
            .user_name("ci-deployer")
            .access_key_id(&key_id)
            .status(aws_sdk_iam::types::StatusType::Inactive)
            .send()
            .await
            .unwrap();
        iam.add_user_to_group().group_name("clinic-auditors").user_name("ci-deployer").send().await.unwrap();
        iam.tag_user()
            .user_name("dana.reyes")
            .tags(aws_sdk_iam::types::Tag::builder().key("Owner").value("mallory").build().unwrap())
            .send()
            .await
            .unwrap();
        iam.create_role()
            .role_name("shadow-admin")
            .assume_role_policy_document(r#"{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":{"AWS":"arn:aws:iam::123456789012:root"},"Action":"sts:AssumeRole"}]}"#)
            .send()
            .await
            .unwrap();
    });

    // 3. Every change at its address and path; hand-made ones unmanaged.
    let run = fx.scan(&[]);
    assert_eq!(run.code, 1, "{}\n{}", run.stdout, run.stderr);
    assert!(!run.mentions(&secret) && !run.mentions(&password), "a secret from state leaked");
    let report = run.json();
    assert_eq!(report["complete"], true, "{:#}", report["errors"]);
    let r = by_address(&report);
    // The node role: AdministratorAccess attached by hand is drift on its managed_policy_arns
    // (the attachments managed by the for_each are not), and the trust policy was widened.
    let arns = change(&r, "aws_iam_role.node", "managed_policy_arns");
    assert_eq!(arns["added"], json!([ADMIN]), "{arns:#}");
    assert_eq!(arns["removed"], json!([]), "{arns:#}");
    let trust = change(&r, "aws_iam_role.node", "assume_role_policy");
    assert!(trust["live"].as_str().unwrap().contains("arn:aws:iam::123456789012:root"), "{trust:#}");
    assert_eq!(r["aws_iam_role.node"]["changes"].as_array().unwrap().len(), 2, "{:#}", r["aws_iam_role.node"]);
    // The edited inline policy is drift on its own resource, not on the role too.
    let doc = change(&r, "aws_iam_role_policy.node_logs", "policy");
    assert!(doc["live"].as_str().unwrap().contains(r#""Action":"*""#), "{doc:#}");
    assert_eq!(change(&r, "aws_iam_account_password_policy.strict", "minimum_password_length")["live"], 8);
    assert_eq!(change(&r, "aws_iam_access_key.ci", "status")["live"], "Inactive");
    assert_eq!(change(&r, "aws_iam_group_membership.auditors", "users")["added"], json!(["ci-deployer"]));
    assert_eq!(change(&r, "aws_iam_user.auditor", "tags.Owner")["live"], "mallory");
    let unmanaged: BTreeSet<&str> =
        r.iter().filter(|(_, v)| v["status"] == "unmanaged").map(|(k, _)| k.as_str()).collect();
    assert_eq!(
        unmanaged,
        BTreeSet::from([
            "aws_iam_role shadow-admin",
            "aws_iam_user_policy ci-deployer:deploy-anything",
            "aws_iam_user_policy_attachment dana.reyes/arn:aws:iam::123456789012:policy/clinic/clinic-reports-read",
        ])
    );
    for address in [
        "aws_iam_role.cluster",
        "aws_iam_role.reports_reader",
        "aws_iam_instance_profile.node",
        "aws_iam_openid_connect_provider.eks",
        "aws_iam_policy.reports_read",
        "aws_iam_group.auditors",
        "aws_iam_group_policy.auditors_logs",
        "aws_iam_user_login_profile.auditor",
        "aws_iam_role_policy_attachment.node[\"arn:aws:iam::aws:policy/AmazonEKSWorkerNodePolicy\"]",
    ] {
        assert_eq!(status(&r, address), "in_sync", "{:#}", r[address]);
    }

    // 4. The oracle agrees.
    assert_agrees_with_terraform(fx, &r);

    // 5. The IAM rules fail where the changes are: AdministratorAccess on the node role's
    //    block, the inline policy, the policies given directly to users (unmanaged: type and
    //    id), the weakened password policy.
    let new: BTreeSet<(String, String)> = iam_findings(&report);
    assert_eq!(
        new,
        set(&[
            ("HS-IAM-001", "aws_iam_role.node"),
            ("HS-IAM-001", "aws_iam_role_policy.node_logs"),
            ("HS-IAM-001", "aws_iam_user_policy ci-deployer:deploy-anything"),
            ("HS-IAM-002", "aws_iam_user_policy ci-deployer:deploy-anything"),
            (
                "HS-IAM-002",
                "aws_iam_user_policy_attachment dana.reyes/arn:aws:iam::123456789012:policy/clinic/clinic-reports-read"
            ),
            ("HS-IAM-004", "aws_iam_user_login_profile.auditor"),
            ("HS-IAM-004", "aws_iam_user_login_profile <root_account>"),
            ("HS-IAM-005", "aws_iam_account_password_policy.strict"),
        ]),
        "{:#}",
        report["findings"]
    );
    let admin = report["findings"]
        .as_array()
        .unwrap()
        .iter()
        .find(|f| f["rule_id"] == "HS-IAM-001" && f["address"] == "aws_iam_role.node")
        .unwrap();
    assert_eq!(admin["message"], "role clinic-node attaches AdministratorAccess", "{admin:#}");
    assert_eq!(admin["severity"], "critical");

    // 6. Who did it: CloudTrail files (IAM's events are in us-east-1) read while scanning
    //    eu-west-1 only: IAM is read once per account and its events match from any region.
    let dir = tempfile::tempdir().unwrap();
    let events = write_trail(dir.path(), widened, everything);
    let run = fx.scan(&["--region", "eu-west-1", "--cloudtrail", dir.path().to_str().unwrap(), "--since", "2d"]);
    assert_eq!(run.code, 1, "{}\n{}", run.stdout, run.stderr);
    let report = run.json();
    assert_eq!(report["complete"], true, "{:#}", report["errors"]);
    let r = by_address(&report);
    let causes = |address: &str| -> Vec<(String, String, String)> {
        r.get(address).unwrap_or_else(|| panic!("{address} not in report"))["attribution"]
            .as_array()
            .unwrap_or_else(|| panic!("{address}: no attribution: {:#}", r[address]))
            .iter()
            .map(|a| {
                let s = |k: &str| a[k].as_str().unwrap_or_default().to_string();
                (s("actor"), s("event_name"), s("event_id"))
            })
            .collect()
    };
    let node = causes("aws_iam_role.node");
    assert!(node.contains(&("mallory".into(), "AttachRolePolicy".into(), events["attach"].clone())), "{node:?}");
    assert!(
        node.contains(&("alice@example.com".into(), "UpdateAssumeRolePolicy".into(), events["trust"].clone())),
        "{node:?}"
    );
    assert_eq!(causes("aws_iam_role_policy.node_logs")[0].1, "PutRolePolicy");
    assert_eq!(causes("aws_iam_role_policy.node_logs")[0].2, events["inline"]);
    assert_eq!(causes("aws_iam_account_password_policy.strict")[0].2, events["password"]);
    assert_eq!(
        causes("aws_iam_user_policy_attachment dana.reyes/arn:aws:iam::123456789012:policy/clinic/clinic-reports-read")
            [0]
        .2,
        events["user_attach"]
    );
    assert_eq!(causes("aws_iam_role shadow-admin")[0].2, events["shadow"]);

    // 7. IAM reads denied (the emulator enforcing the shipped policy without its IAM
    //    statement): incomplete, exit 2; no IAM resource missing or judged by the rules.
    let mut policy: Value =
        serde_json::from_str(&std::fs::read_to_string(root().join("docs/iam-policy.json")).unwrap()).unwrap();
    policy["Statement"].as_array_mut().unwrap().retain(|s| s["Sid"] != "PlumbReadIam");
    let creds = fx.emulator.iam_user("plumb-no-iam", &policy.to_string());
    fx.emulator.enforce_iam(true);
    let state = fx.stack.state_path();
    let run = fx.emulator.plumb_as(&creds, &["scan", "--state", state.to_str().unwrap(), "--format", "json"]);
    fx.emulator.enforce_iam(false);
    assert_eq!(run.code, 2, "{}\n{}", run.stdout, run.stderr);
    let report = run.json();
    assert_eq!(report["complete"], false);
    let errors = report["errors"].as_array().unwrap();
    assert!(errors.iter().all(|e| e["service"] == "iam" && e["code"] == "AccessDenied"), "{errors:#?}");
    assert!(errors.iter().any(|e| e["affected_types"].as_array().unwrap().contains(&json!("aws_iam_role"))));
    assert_eq!(report["summary"]["missing"], 0);
    assert!(
        report["resources"].as_array().unwrap().iter().all(|r| !r["type"].as_str().unwrap().starts_with("aws_iam_"))
    );
    let not_judged = report["not_judged"].as_array().unwrap();
    assert_eq!(not_judged.len(), managed.len(), "every IAM resource of the state is not judged: {not_judged:#?}");
    assert!(iam_findings(&report).is_empty(), "{:#}", report["findings"]);
    assert!(run.stderr.contains("rule HS-IAM-001 not evaluated"), "{}", run.stderr);
}

/// The oracle: every resource `terraform plan -refresh-only` shows with a real change is
/// drifted or missing in Plumb's report, and Plumb reports nothing the plan does not show.
fn assert_agrees_with_terraform(fx: &Fixture, r: &BTreeMap<String, Value>) {
    let plan = fx.stack.refresh_only_plan();
    let state = fx.stack.resources();
    let mut real: BTreeMap<String, Vec<String>> = BTreeMap::new();
    for (addr, before, after) in resource_drift(&plan) {
        let mut paths: Vec<String> = changed_paths(&before, &after)
            .into_iter()
            .filter(|(p, b, a)| !is_noise(p, b, a))
            .map(|(p, ..)| p)
            .filter(|p| !p.starts_with("managed_policy_arns") && !p.starts_with("inline_policy"))
            .collect();
        if addr.starts_with("aws_iam_role.") {
            paths.extend(hand_made_role_parts(&state, &addr, &before, &after));
        }
        real.insert(addr, paths);
    }
    let plumb_changed: BTreeSet<&String> =
        r.iter().filter(|(_, v)| v["status"] == "drifted" || v["status"] == "missing").map(|(k, _)| k).collect();
    for (addr, paths) in &real {
        if !paths.is_empty() {
            assert!(
                plumb_changed.contains(addr),
                "terraform sees a real change on {addr} ({paths:?}) that plumb misses"
            );
        }
    }
    for addr in plumb_changed {
        assert!(
            real.get(addr).is_some_and(|p| !p.is_empty()),
            "plumb reports {addr} changed but terraform plan -refresh-only shows no real change there"
        );
    }
}

/// What the plan shows that is not drift: null against empty (`tags` null → `{}`),
/// `tags_all` (the same change is under `tags`), the computed `attachment_count`.
fn is_noise(path: &str, before: &Value, after: &Value) -> bool {
    let empty = |v: &Value| match v {
        Value::Null => true,
        Value::String(s) => s.is_empty(),
        Value::Array(a) => a.is_empty(),
        Value::Object(o) => o.is_empty(),
        _ => false,
    };
    let top = path.split(['.', '[']).next().unwrap_or(path);
    (empty(before) && empty(after)) || ["tags_all", "attachment_count"].contains(&top)
}

/// A role's `managed_policy_arns` and `inline_policy` in the plan: the stale copy catching
/// up with the attachments and inline policies that are resources of their own is not
/// drift; anything else added or removed is (reported as such a path).
fn hand_made_role_parts(
    state: &[(String, String, Value)],
    address: &str,
    before: &Value,
    after: &Value,
) -> Vec<String> {
    let name = state.iter().find(|(a, ..)| a == address).map(|(.., attrs)| attrs["name"].clone()).unwrap_or_default();
    let owned = |rtype: &str, key: &str| -> BTreeSet<String> {
        state
            .iter()
            .filter(|(_, t, attrs)| t == rtype && attrs["role"] == name)
            .filter_map(|(.., attrs)| attrs[key].as_str().map(str::to_string))
            .collect()
    };
    let arns = |v: &Value| -> BTreeSet<String> {
        v["managed_policy_arns"]
            .as_array()
            .into_iter()
            .flatten()
            .filter_map(|x| x.as_str().map(str::to_string))
            .collect()
    };
    let inline = |v: &Value| -> BTreeMap<String, Value> {
        v["inline_policy"]
            .as_array()
            .into_iter()
            .flatten()
            .filter_map(|p| Some((p["name"].as_str()?.to_string(), p["policy"].clone())))
            .filter(|(n, _)| !n.is_empty())
            .collect()
    };
    let mut out = Vec::new();
    let owned_arns = owned("aws_iam_role_policy_attachment", "policy_arn");
    let (b, a) = (arns(before), arns(after));
    if b.symmetric_difference(&a).any(|x| !owned_arns.contains(x)) {
        out.push("managed_policy_arns".to_string());
    }
    let owned_inline = owned("aws_iam_role_policy", "name");
    let (b, a) = (inline(before), inline(after));
    let changed = b.keys().chain(a.keys()).filter(|k| b.get(*k) != a.get(*k));
    if changed.into_iter().any(|k| !owned_inline.contains(k)) {
        out.push("inline_policy".to_string());
    }
    out
}

/// CloudTrail files for the out-of-band changes (as IAM records them: us-east-1, source
/// `iam.amazonaws.com`, request parameters in camelCase), plus Terraform's earlier writes;
/// returns the event ids by change.
fn write_trail(dir: &Path, widened: &str, everything: &str) -> BTreeMap<&'static str, String> {
    let now = OffsetDateTime::now_utc().replace_nanosecond(0).unwrap();
    let ts = |h: i64| (now - time::Duration::hours(h)).format(&Rfc3339).unwrap();
    let cli = |user: &str| {
        (
            json!({"type": "IAMUser", "principalId": "AIDAEXAMPLECLI", "arn": format!("arn:aws:iam::123456789012:user/{user}"),
                   "accountId": ACCOUNT_ID, "accessKeyId": "AKIAEXAMPLECLI", "userName": user}),
            "aws-cli/2.17.60 md/awscrt#0.21.2 ua/2.0 os/macos#23.6.0 md/arch#x86_64 lang/python#3.12.6 md/command#iam",
        )
    };
    let console = (
        json!({"type": "AssumedRole", "arn": "arn:aws:sts::123456789012:assumed-role/Admin/alice@example.com",
               "principalId": "AROAJ4ULUNLE6DYF4PCOK:alice@example.com", "accountId": ACCOUNT_ID,
               "sessionContext": {"sessionIssuer": {"type": "Role", "arn": "arn:aws:iam::123456789012:role/Admin", "userName": "Admin"}}}),
        "AWS Internal",
    );
    let tf = (
        json!({"type": "IAMUser", "arn": "arn:aws:iam::123456789012:user/terraform-ci", "accountId": ACCOUNT_ID, "userName": "terraform-ci"}),
        "APN/1.0 HashiCorp/1.0 Terraform/1.11.4 terraform-provider-aws/5.100.0 aws-sdk-go-v2/1.36.3 api/iam#1.41.1",
    );
    let mut records = Vec::new();
    let mut ids = BTreeMap::new();
    let mut add = |key: &'static str, who: &(Value, &str), hours: i64, name: &str, params: Value, response: Value| {
        let id = format!("00000000-0000-4000-8000-{:012}", records.len() + 1);
        records.push(json!({
            "eventVersion": "1.09", "eventTime": ts(hours), "eventSource": "iam.amazonaws.com", "eventName": name,
            "awsRegion": "us-east-1", "sourceIPAddress": "203.0.113.9", "userAgent": who.1, "userIdentity": who.0,
            "requestParameters": params, "responseElements": response, "readOnly": false,
            "eventType": "AwsApiCall", "eventCategory": "Management", "recipientAccountId": ACCOUNT_ID, "eventID": id,
        }));
        ids.insert(key, id);
    };
    // Terraform's apply, a day ago: earlier writes on the same resources.
    add(
        "tf_attach",
        &tf,
        24,
        "AttachRolePolicy",
        json!({"roleName": "clinic-node", "policyArn": "arn:aws:iam::aws:policy/AmazonEKSWorkerNodePolicy"}),
        Value::Null,
    );
    add(
        "tf_inline",
        &tf,
        24,
        "PutRolePolicy",
        json!({"roleName": "clinic-node", "policyName": "clinic-node-logs", "policyDocument": "{\"Version\":\"2012-10-17\",\"Statement\":[]}"}),
        Value::Null,
    );
    // The changes.
    add(
        "attach",
        &cli("mallory"),
        3,
        "AttachRolePolicy",
        json!({"roleName": "clinic-node", "policyArn": ADMIN}),
        Value::Null,
    );
    add(
        "trust",
        &console,
        2,
        "UpdateAssumeRolePolicy",
        json!({"roleName": "clinic-node", "policyDocument": widened}),
        Value::Null,
    );
    add(
        "inline",
        &cli("carol"),
        2,
        "PutRolePolicy",
        json!({"roleName": "clinic-node", "policyName": "clinic-node-logs", "policyDocument": everything}),
        Value::Null,
    );
    add(
        "user_attach",
        &cli("mallory"),
        2,
        "AttachUserPolicy",
        json!({"userName": "dana.reyes", "policyArn": REPORTS_POLICY}),
        Value::Null,
    );
    add(
        "password",
        &console,
        1,
        "UpdateAccountPasswordPolicy",
        json!({"minimumPasswordLength": 8, "passwordReusePrevention": 24, "requireSymbols": true, "requireNumbers": true,
               "requireUppercaseCharacters": true, "requireLowercaseCharacters": true, "allowUsersToChangePassword": true,
               "maxPasswordAge": 90}),
        Value::Null,
    );
    add(
        "shadow",
        &cli("mallory"),
        1,
        "CreateRole",
        json!({"roleName": "shadow-admin", "assumeRolePolicyDocument": "{}"}),
        json!({"role": {"roleName": "shadow-admin", "arn": "arn:aws:iam::123456789012:role/shadow-admin", "path": "/"}}),
    );
    let (y, m, d) = (now.year(), now.month() as u8, now.day());
    let folder = dir.join(format!("AWSLogs/{ACCOUNT_ID}/CloudTrail/us-east-1/{y:04}/{m:02}/{d:02}"));
    std::fs::create_dir_all(&folder).unwrap();
    let mut gz = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::default());
    gz.write_all(json!({ "Records": records }).to_string().as_bytes()).unwrap();
    std::fs::write(
        folder.join(format!("{ACCOUNT_ID}_CloudTrail_us-east-1_{y:04}{m:02}{d:02}T2355Z_iam.json.gz")),
        gz.finish().unwrap(),
    )
    .unwrap();
    ids
}

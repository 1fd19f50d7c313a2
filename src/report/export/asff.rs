//! The AWS Security Finding Format (`plumb scan --format asff`): a JSON array of findings for
//! Security Hub's `BatchImportFindings` (at most 100 per call: split the array), one per rule
//! finding and one per drifted, missing or unmanaged resource. Plumb writes the file; it never
//! calls Security Hub (it is read-only). Ids are stable across runs, so a re-import updates
//! a finding instead of adding one.

use std::collections::BTreeMap;

use serde_json::{Value as J, json};
use time::format_description::well_known::Rfc3339;

use super::{Input, arn, describe, drift, drift_fingerprint, finding_fingerprint, shorten, started, subject};
use crate::diff::{Judged, Status};
use crate::rules::{Finding, Severity};

pub const SCHEMA_VERSION: &str = "2018-10-08";

/// ASFF field limits (Security Hub's API reference).
const TITLE_MAX: usize = 256;
const DESCRIPTION_MAX: usize = 1024;
const RECOMMENDATION_MAX: usize = 512;
const REQUIREMENTS_MAX: usize = 32;
const OTHER_VALUE_MAX: usize = 1024;

pub fn render(input: &Input<'_>) -> String {
    let mut out: Vec<J> = input.report.findings.iter().map(|f| rule_finding(input, f)).collect();
    out.extend(drift(input.report).map(|j| drift_finding(input, j)));
    let mut s = serde_json::to_string_pretty(&J::Array(out)).unwrap_or_else(|_| "[]".into());
    s.push('\n');
    s
}

/// Security Hub's resource type for a Terraform type; `Other` when it has none.
pub fn resource_type(rtype: &str) -> &'static str {
    match rtype {
        "aws_s3_bucket" => "AwsS3Bucket",
        "aws_instance" => "AwsEc2Instance",
        "aws_ebs_volume" => "AwsEc2Volume",
        "aws_vpc" => "AwsEc2Vpc",
        "aws_subnet" => "AwsEc2Subnet",
        "aws_security_group" => "AwsEc2SecurityGroup",
        "aws_network_acl" => "AwsEc2NetworkAcl",
        "aws_eip" => "AwsEc2Eip",
        "aws_db_instance" => "AwsRdsDbInstance",
        "aws_rds_cluster" => "AwsRdsDbCluster",
        "aws_kms_key" => "AwsKmsKey",
        "aws_iam_role" => "AwsIamRole",
        "aws_iam_user" => "AwsIamUser",
        "aws_iam_policy" => "AwsIamPolicy",
        "aws_eks_cluster" => "AwsEksCluster",
        "aws_cloudtrail" => "AwsCloudTrailTrail",
        "aws_lambda_function" => "AwsLambdaFunction",
        "aws_lb" | "aws_alb" => "AwsElbv2LoadBalancer",
        "aws_autoscaling_group" => "AwsAutoScalingAutoScalingGroup",
        "aws_elasticache_replication_group" => "AwsElastiCacheReplicationGroup",
        "aws_elasticache_cluster" => "AwsElastiCacheCacheCluster",
        "aws_cloudfront_distribution" => "AwsCloudFrontDistribution",
        "aws_guardduty_detector" => "AwsGuardDutyDetector",
        "aws_secretsmanager_secret" => "AwsSecretsManagerSecret",
        "aws_sns_topic" => "AwsSnsTopic",
        "aws_sqs_queue" => "AwsSqsQueue",
        "aws_dynamodb_table" => "AwsDynamoDbTable",
        "aws_ecr_repository" => "AwsEcrRepository",
        "aws_acm_certificate" => "AwsCertificateManagerCertificate",
        _ => "Other",
    }
}

/// The `Types` entry of a framework: Security Hub's "Industry and Regulatory Standards" names.
fn standard_type(framework: &str) -> Option<&'static str> {
    match framework {
        "hipaa" => Some("Software and Configuration Checks/Industry and Regulatory Standards/HIPAA Controls (USA)"),
        "soc2" => Some("Software and Configuration Checks/Industry and Regulatory Standards/SOC 2"),
        "gdpr" => Some("Software and Configuration Checks/Industry and Regulatory Standards/GDPR Controls (Europe)"),
        _ => None,
    }
}

fn label(s: Severity) -> &'static str {
    match s {
        Severity::Critical => "CRITICAL",
        Severity::High => "HIGH",
        Severity::Medium => "MEDIUM",
        Severity::Low => "LOW",
    }
}

/// The fields every finding shares. An unknown account is written as `000000000000`: Security
/// Hub rejects the import, which is better than filing it under the wrong account.
fn base(input: &Input<'_>, id: &str, generator: &str, region: &str) -> serde_json::Map<String, J> {
    let account = input.account().unwrap_or("000000000000");
    let time = started(input.report).format(&Rfc3339).unwrap_or_default();
    let mut m = serde_json::Map::new();
    m.insert("SchemaVersion".into(), json!(SCHEMA_VERSION));
    m.insert("Id".into(), json!(format!("plumb/{account}/{id}")));
    m.insert("ProductArn".into(), json!(format!("arn:aws:securityhub:{region}:{account}:product/{account}/default")));
    m.insert("ProductName".into(), json!("Plumb"));
    m.insert("CompanyName".into(), json!("Plumb"));
    m.insert("GeneratorId".into(), json!(generator));
    m.insert("AwsAccountId".into(), json!(account));
    m.insert("CreatedAt".into(), json!(time));
    m.insert("UpdatedAt".into(), json!(time));
    m.insert("RecordState".into(), json!("ACTIVE"));
    m
}

fn resource(input: &Input<'_>, rtype: &str, id: &str, address: Option<&str>, region: &str) -> J {
    let mut other = BTreeMap::new();
    other.insert("TerraformType", shorten(rtype, OTHER_VALUE_MAX));
    other.insert("ResourceId", shorten(id, OTHER_VALUE_MAX));
    if let Some(a) = address {
        other.insert("TerraformAddress", shorten(a, OTHER_VALUE_MAX));
    }
    json!({
        "Type": resource_type(rtype),
        "Id": arn(rtype, id, Some(region), input.account()).unwrap_or_else(|| id.to_string()),
        "Partition": "aws",
        "Region": region,
        "Details": {"Other": other}
    })
}

fn rule_finding(input: &Input<'_>, f: &Finding) -> J {
    let region = input.region_of(f);
    let mut m = base(input, &format!("finding/{}", finding_fingerprint(f)), &format!("plumb/{}", f.rule_id), &region);
    let rule = input.rule(&f.rule_id);
    let subject = crate::report::check::subject(f);
    let title = rule.map(|r| r.title.as_str()).unwrap_or(f.rule_id.as_str());
    let mut types: Vec<&str> = Vec::new();
    let mut requirements: Vec<String> = Vec::new();
    for (key, name, controls) in f.controls.frameworks() {
        if !controls.is_empty() {
            types.extend(standard_type(key));
            requirements.extend(controls.iter().map(|c| format!("{name} {c}")));
        }
    }
    if types.is_empty() {
        types.push("Software and Configuration Checks/AWS Security Best Practices");
    }
    requirements.truncate(REQUIREMENTS_MAX);
    m.insert("Types".into(), json!(types));
    m.insert("Severity".into(), json!({"Label": label(f.severity), "Original": f.severity.as_str()}));
    m.insert("Title".into(), json!(shorten(&format!("{}: {title}", f.rule_id), TITLE_MAX)));
    m.insert("Description".into(), json!(shorten(&format!("{subject}: {}", f.message), DESCRIPTION_MAX)));
    if let Some(r) = rule {
        m.insert(
            "Remediation".into(),
            json!({"Recommendation": {"Text": shorten(&r.remediation, RECOMMENDATION_MAX), "Url": input.rule_url(&r.id)}}),
        );
    }
    m.insert("Resources".into(), json!([resource(input, &f.rtype, &f.id, f.address.as_deref(), &region)]));
    let mut compliance = json!({"Status": "FAILED"});
    if !requirements.is_empty() {
        compliance["RelatedRequirements"] = json!(requirements);
    }
    m.insert("Compliance".into(), compliance);
    m.insert("Workflow".into(), json!({"Status": if f.waived { "SUPPRESSED" } else { "NEW" }}));
    let mut fields = json!({"plumb/RuleId": f.rule_id, "plumb/View": f.view.as_str()});
    if f.waived {
        fields["plumb/Waived"] = json!("true");
    }
    m.insert("ProductFields".into(), fields);
    J::Object(m)
}

fn drift_finding(input: &Input<'_>, j: &Judged) -> J {
    let region = j.region.clone().unwrap_or_else(|| input.home_region().to_string());
    let (rule_id, _, rule_title) = super::drift_rule(j.status);
    let mut m = base(input, &format!("drift/{}", drift_fingerprint(j)), &format!("plumb/{rule_id}"), &region);
    m.insert(
        "Types".into(),
        json!(["Software and Configuration Checks/AWS Security Best Practices/Configuration Drift"]),
    );
    let sev = if j.status == Status::Missing { "HIGH" } else { "MEDIUM" };
    m.insert("Severity".into(), json!({"Label": sev, "Original": j.status.as_str()}));
    m.insert("Title".into(), json!(shorten(&format!("{rule_title}: {}", subject(j)), TITLE_MAX)));
    let mut description = describe(j);
    for line in super::change_lines(j, 120) {
        description.push_str("; ");
        description.push_str(&line);
    }
    m.insert("Description".into(), json!(shorten(&description, DESCRIPTION_MAX)));
    let text = match j.status {
        Status::Drifted => "Apply the Terraform configuration to restore it, or record the change in the code.",
        Status::Missing => "Recreate it with terraform apply, or remove it from the state if it was retired.",
        _ => "Import it into Terraform, or delete it if nobody owns it.",
    };
    m.insert("Remediation".into(), json!({"Recommendation": {"Text": text}}));
    m.insert("Resources".into(), json!([resource(input, &j.rtype, &j.id, j.address.as_deref(), &region)]));
    m.insert("Workflow".into(), json!({"Status": "NEW"}));
    let mut fields = serde_json::Map::new();
    fields.insert("plumb/Status".into(), json!(j.status.as_str()));
    // ProductFields holds at most 50 entries.
    for c in j.changes.iter().take(40) {
        fields.insert(
            format!("plumb/Changed/{}", shorten(&c.path, 100)),
            json!(shorten(&format!("{} -> {}", c.state.canonical(), c.live.canonical()), 1000)),
        );
    }
    if let Some(cause) = j.attribution.as_ref().and_then(|a| a.first()) {
        fields.insert("plumb/CausedBy".into(), json!(shorten(&cause.actor, 500)));
        fields.insert(
            "plumb/CausedByEvent".into(),
            json!(format!("{} {} ({})", cause.event_name, cause.event_time, cause.channel)),
        );
    }
    m.insert("ProductFields".into(), J::Object(fields));
    J::Object(m)
}

#[cfg(test)]
mod tests {
    use super::super::tests::sample;
    use super::*;

    #[test]
    fn findings_carry_the_required_fields() {
        let (report, rules) = sample();
        let input = Input { report: &report, rules: &rules, views: &[], docs_url: None };
        let all: J = serde_json::from_str(&render(&input)).unwrap();
        let all = all.as_array().unwrap();
        assert_eq!(all.len(), 5);
        for f in all {
            for k in [
                "SchemaVersion",
                "Id",
                "ProductArn",
                "GeneratorId",
                "AwsAccountId",
                "CreatedAt",
                "UpdatedAt",
                "Title",
                "Description",
                "Resources",
                "Severity",
                "Types",
            ] {
                assert!(f.get(k).is_some(), "{k} missing in {f}");
            }
            assert_eq!(f["ProductArn"], "arn:aws:securityhub:eu-west-1:123456789012:product/123456789012/default");
            assert!(f["Title"].as_str().unwrap().len() <= TITLE_MAX);
        }
        let s3 = &all[0];
        assert_eq!(s3["Resources"][0]["Type"], "AwsS3Bucket");
        assert_eq!(s3["Compliance"]["RelatedRequirements"], json!(["HIPAA 164.312(a)(1)", "SOC 2 CC6.1"]));
        assert_eq!(all[1]["Workflow"]["Status"], "SUPPRESSED");
        let missing = all.iter().find(|f| f["GeneratorId"] == "plumb/PLUMB-MISSING").unwrap();
        assert_eq!(missing["Severity"]["Label"], "HIGH");
        let vpc = all.iter().find(|f| f["GeneratorId"] == "plumb/PLUMB-DRIFT").unwrap();
        assert_eq!(vpc["ProductFields"]["plumb/Changed/tags.Owner"], "null -> \"console-user\"");
        assert_eq!(vpc["ProductFields"]["plumb/CausedBy"], "alice@example.com");
    }
}

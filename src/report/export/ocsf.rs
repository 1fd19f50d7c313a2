//! OCSF 1.5.0 events (`plumb scan --format ocsf`): a JSON array with one Compliance Finding
//! (class 2003) per rule finding and one Detection Finding (class 2004) per drifted, missing or
//! unmanaged resource, with the cloud profile (account, region) and stable `finding_info.uid`s.
//! 1.5.0 is the version the reference models (`py-ocsf-models`, used in the tests) implement.

use serde_json::{Value as J, json};
use time::format_description::well_known::Rfc3339;

use super::{Input, arn, change_lines, describe, drift, drift_fingerprint, finding_fingerprint, started, subject};
use crate::diff::{Judged, Status};
use crate::rules::{Finding, Severity};

pub const OCSF_VERSION: &str = "1.5.0";

const COMPLIANCE_FINDING: u32 = 2003;
const DETECTION_FINDING: u32 = 2004;
/// Activity 1: Create (a finding as observed by this run).
const CREATE: u32 = 1;

pub fn render(input: &Input<'_>) -> String {
    let mut events: Vec<J> = input.report.findings.iter().map(|f| compliance_finding(input, f)).collect();
    events.extend(drift(input.report).map(|j| detection_finding(input, j)));
    let mut s = serde_json::to_string_pretty(&J::Array(events)).unwrap_or_else(|_| "[]".into());
    s.push('\n');
    s
}

fn severity(s: Severity) -> (u32, &'static str) {
    match s {
        Severity::Critical => (5, "Critical"),
        Severity::High => (4, "High"),
        Severity::Medium => (3, "Medium"),
        Severity::Low => (2, "Low"),
    }
}

/// The fields every event shares: class, activity, time, metadata, cloud profile.
fn event(input: &Input<'_>, class_uid: u32, class_name: &str, uid: &str, region: &str) -> J {
    let t = started(input.report);
    let ms = (t.unix_timestamp_nanos() / 1_000_000) as i64;
    let mut cloud = json!({"provider": "AWS", "region": region});
    if let Some(account) = input.account() {
        cloud["account"] = json!({"uid": account, "name": account, "type_id": 10, "type": "AWS Account"});
    }
    json!({
        "activity_id": CREATE,
        "activity_name": "Create",
        "category_uid": 2,
        "category_name": "Findings",
        "class_uid": class_uid,
        "class_name": class_name,
        "type_uid": class_uid * 100 + CREATE,
        "type_name": format!("{class_name}: Create"),
        "time": ms,
        "time_dt": t.format(&Rfc3339).unwrap_or_default(),
        "metadata": {
            "version": OCSF_VERSION,
            "uid": super::sarif::fingerprint(&[uid, &input.report.started_at]),
            "product": {
                "name": "Plumb",
                "vendor_name": "Plumb",
                "uid": "plumb",
                "version": input.report.tool.version
            },
            "profiles": ["cloud"],
            "log_name": "plumb scan"
        },
        "cloud": cloud
    })
}

fn resource(input: &Input<'_>, rtype: &str, id: &str, address: Option<&str>, region: &str) -> J {
    let uid = arn(rtype, id, Some(region), input.account()).unwrap_or_else(|| id.to_string());
    let mut data = json!({"terraform_type": rtype, "id": id});
    if let Some(a) = address {
        data["terraform_address"] = json!(a);
    }
    json!({
        "uid": uid,
        "name": address.unwrap_or(id),
        "type": rtype,
        "region": region,
        "cloud_partition": "aws",
        "data": data
    })
}

fn compliance_finding(input: &Input<'_>, f: &Finding) -> J {
    let uid = finding_fingerprint(f);
    let region = input.region_of(f);
    let mut e = event(input, COMPLIANCE_FINDING, "Compliance Finding", &uid, &region);
    let (sev_id, sev) = severity(f.severity);
    let rule = input.rule(&f.rule_id);
    let title = rule.map(|r| r.title.clone()).unwrap_or_else(|| f.rule_id.clone());
    let mut cited_frameworks = Vec::new();
    let mut requirements = Vec::new();
    for (_, name, controls) in f.controls.frameworks() {
        if !controls.is_empty() {
            cited_frameworks.push(name.to_string());
            requirements.extend(controls.iter().map(|c| format!("{name} {c}")));
        }
    }
    let subject = crate::report::check::subject(f);
    let o = e.as_object_mut();
    let Some(o) = o else { return e };
    o.insert("severity_id".into(), json!(sev_id));
    o.insert("severity".into(), json!(sev));
    // The finding's own status: waived findings are suppressed, others new to the consumer.
    let (status_id, status) = if f.waived { (3, "Suppressed") } else { (1, "New") };
    o.insert("status_id".into(), json!(status_id));
    o.insert("status".into(), json!(status));
    o.insert("message".into(), json!(format!("{subject}: {}", f.message)));
    let mut info = json!({
        "uid": uid,
        "title": title,
        "types": ["Compliance"],
        "analytic": {"uid": f.rule_id, "name": f.rule_id, "type_id": 1, "type": "Rule"}
    });
    if let Some(r) = rule {
        info["desc"] = json!(r.description);
    }
    o.insert("finding_info".into(), info);
    let mut check = json!({
        "uid": f.rule_id,
        "name": title,
        "severity": sev,
        "severity_id": sev_id,
        "status": "Fail",
        "status_id": 3
    });
    if !cited_frameworks.is_empty() {
        check["standards"] = json!(cited_frameworks);
    }
    // The compliance object's status is its `status_id` (the reference models carry no caption).
    let mut compliance = json!({
        "control": f.rule_id,
        "status_id": 3,
        "checks": [check]
    });
    if !cited_frameworks.is_empty() {
        compliance["standards"] = json!(cited_frameworks);
        compliance["requirements"] = json!(requirements);
    }
    if let Some(r) = rule {
        compliance["desc"] = json!(r.rationale);
    }
    o.insert("compliance".into(), compliance);
    if let Some(r) = rule {
        o.insert("remediation".into(), json!({"desc": r.remediation, "references": [input.rule_url(&r.id)]}));
    }
    o.insert("resources".into(), json!([resource(input, &f.rtype, &f.id, f.address.as_deref(), &region)]));
    e
}

fn detection_finding(input: &Input<'_>, j: &Judged) -> J {
    let uid = drift_fingerprint(j);
    let region = j.region.clone().unwrap_or_else(|| input.home_region().to_string());
    let mut e = event(input, DETECTION_FINDING, "Detection Finding", &uid, &region);
    // A deleted resource is the worst surprise; an attribute change or a resource made by hand
    // needs review.
    let (sev_id, sev) = match j.status {
        Status::Missing => (4, "High"),
        _ => (3, "Medium"),
    };
    let (rule_id, _, rule_title) = super::drift_rule(j.status);
    let Some(o) = e.as_object_mut() else { return e };
    o.insert("severity_id".into(), json!(sev_id));
    o.insert("severity".into(), json!(sev));
    o.insert("status_id".into(), json!(1));
    o.insert("status".into(), json!("New"));
    o.insert("message".into(), json!(describe(j)));
    o.insert(
        "finding_info".into(),
        json!({
            "uid": uid,
            "title": format!("{rule_title}: {}", subject(j)),
            "desc": describe(j),
            "types": ["Configuration Drift", j.status.as_str()],
            "analytic": {"uid": rule_id, "name": rule_id, "type_id": 1, "type": "Rule"}
        }),
    );
    o.insert("resources".into(), json!([resource(input, &j.rtype, &j.id, j.address.as_deref(), &region)]));
    let mut data = json!({"status": j.status.as_str(), "changes": j.changes});
    if let Some(cause) = j.attribution.as_ref().and_then(|a| a.first()) {
        data["caused_by"] = json!(cause);
    }
    o.insert("evidences".into(), json!([{"data": data}]));
    let remediation = match j.status {
        Status::Drifted => format!(
            "Apply the Terraform configuration to restore it, or record the change in the code. Changed: {}",
            change_lines(j, 120).join("; ")
        ),
        Status::Missing => "Recreate it with terraform apply, or remove it from the state if it was retired.".into(),
        _ => "Import it into Terraform, or delete it if nobody owns it.".into(),
    };
    o.insert("remediation".into(), json!({"desc": remediation}));
    e
}

#[cfg(test)]
mod tests {
    use super::super::tests::sample;
    use super::*;
    use crate::report::ScanFormat;

    #[test]
    fn one_event_per_finding_and_drift() {
        let (report, rules) = sample();
        let input = Input { report: &report, rules: &rules, views: &[], docs_url: None };
        let events: J = serde_json::from_str(&super::super::render(ScanFormat::Ocsf, &input)).unwrap();
        let events = events.as_array().unwrap();
        assert_eq!(events.len(), 5);
        let classes: Vec<u64> = events.iter().map(|e| e["class_uid"].as_u64().unwrap()).collect();
        assert_eq!(classes, [2003, 2003, 2004, 2004, 2004]);
        for e in events {
            assert_eq!(e["type_uid"].as_u64().unwrap(), e["class_uid"].as_u64().unwrap() * 100 + 1);
            assert_eq!(e["metadata"]["version"], OCSF_VERSION);
            assert_eq!(e["time"], 1_795_330_800_000i64, "2026-11-22T07:00:00Z in ms");
            assert_eq!(e["cloud"]["account"]["uid"], "123456789012");
        }
        let s3 = &events[0];
        assert_eq!(s3["severity_id"], 4);
        assert_eq!(s3["compliance"]["status_id"], 3);
        assert_eq!(s3["compliance"]["requirements"], json!(["HIPAA 164.312(a)(1)", "SOC 2 CC6.1"]));
        assert_eq!(s3["resources"][0]["uid"], "arn:aws:s3:::scratch-by-hand");
        assert_eq!(events[1]["status_id"], 3, "waived: suppressed");
        let vpc =
            events.iter().find(|e| e["resources"][0]["name"] == "aws_vpc.core" && e["class_uid"] == 2004).unwrap();
        assert_eq!(vpc["resources"][0]["uid"], "arn:aws:ec2:eu-west-1:123456789012:vpc/vpc-0abc");
        assert_eq!(vpc["evidences"][0]["data"]["changes"][0]["live"], "console-user");
        assert_eq!(vpc["evidences"][0]["data"]["caused_by"]["actor"], "alice@example.com");
        // Stable across runs: the uid does not depend on the time.
        let mut later = report.clone();
        later.started_at = "2026-11-23T07:00:00Z".into();
        let again: J = serde_json::from_str(&render(&Input { report: &later, ..input })).unwrap();
        assert_eq!(again[4]["finding_info"]["uid"], events[4]["finding_info"]["uid"]);
        assert_ne!(again[4]["metadata"]["uid"], events[4]["metadata"]["uid"]);
    }
}

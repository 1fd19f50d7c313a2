//! `plumb scan` for other tools: SARIF and JUnit (as `plumb check` writes them, plus drift),
//! OCSF events for security data lakes and SIEMs, and the AWS Security Finding Format for a
//! Security Hub import. Pure: a [`ScanReport`] and the rules' metadata in, a document out.
//! Formats, mappings and limits: docs/exports.md.

pub mod asff;
pub mod ocsf;

use serde_json::{Value as J, json};
use time::OffsetDateTime;
use time::format_description::well_known::Rfc3339;

use super::check::CheckedView;
use super::junit::{self, Case, Suite};
use super::sarif;
use super::{ScanFormat, ScanReport};
use crate::diff::{Judged, Status};
use crate::rules::{Finding, RuleMeta};

/// What an export needs besides the report.
pub struct Input<'a> {
    pub report: &'a ScanReport,
    /// Metadata of every rule the run loaded (titles, descriptions, remediation).
    pub rules: &'a [RuleMeta],
    /// The live views the rules judged (JUnit's test cases); may be empty for other formats.
    pub views: &'a [CheckedView],
    /// Where `docs/rules/<ID>.md` is published, for help links.
    pub docs_url: Option<&'a str>,
}

impl Input<'_> {
    pub fn rule(&self, id: &str) -> Option<&RuleMeta> {
        self.rules.iter().find(|r| r.id == id)
    }

    /// The account the scan read (`None` when unknown).
    pub fn account(&self) -> Option<&str> {
        self.report.scope.as_ref().map(|s| s.account.as_str()).filter(|a| !a.is_empty() && *a != "unknown")
    }

    /// The first region scanned (where account-wide findings are filed).
    pub fn home_region(&self) -> &str {
        self.report.scope.as_ref().and_then(|s| s.regions.first()).map(String::as_str).unwrap_or("us-east-1")
    }

    /// The region of the resource a finding is about (from the judged resources), else the
    /// home region.
    pub fn region_of(&self, f: &Finding) -> String {
        self.report
            .resources
            .iter()
            .find(|r| r.id == f.id && (r.address.is_some() && r.address == f.address || r.rtype == f.rtype))
            .and_then(|r| r.region.clone())
            .unwrap_or_else(|| self.home_region().to_string())
    }

    /// The rule's documentation page.
    pub fn rule_url(&self, id: &str) -> String {
        match self.docs_url {
            Some(base) => format!("{}/{id}.md", base.trim_end_matches('/')),
            None => format!("docs/rules/{id}.md"),
        }
    }
}

/// Render one of the export formats (`text` and `json` are rendered by `report::text` and
/// `report::json`; asking for them here renders JSON).
pub fn render(format: ScanFormat, input: &Input<'_>) -> String {
    // OCSF and ASFF name the AWS account of every event: a run over several accounts is
    // rendered account by account, each part under its own account.
    if let (ScanFormat::Ocsf | ScanFormat::Asff, Some(scope)) = (format, &input.report.scope)
        && !scope.accounts.is_empty()
    {
        let mut all: Vec<serde_json::Value> = Vec::new();
        for a in &scope.accounts {
            let mut part = input.report.only_account(&a.id);
            part.scope = Some(super::RunScope {
                account: a.id.clone(),
                regions: a.regions.clone(),
                states: a.states.clone(),
                accounts: Vec::new(),
                ..scope.clone()
            });
            let sub = Input { report: &part, ..*input };
            let text = if format == ScanFormat::Ocsf { ocsf::render(&sub) } else { asff::render(&sub) };
            if let Ok(serde_json::Value::Array(items)) = serde_json::from_str(&text) {
                all.extend(items);
            }
        }
        let mut s = serde_json::to_string_pretty(&serde_json::Value::Array(all)).unwrap_or_else(|_| "[]".into());
        s.push('\n');
        return s;
    }
    match format {
        ScanFormat::Sarif => sarif_doc(input),
        ScanFormat::Junit => junit_doc(input),
        ScanFormat::Ocsf => ocsf::render(input),
        ScanFormat::Asff => asff::render(input),
        ScanFormat::Text | ScanFormat::Json => super::json::render(input.report),
    }
}

/// The live views the rules judged, for JUnit's test cases: the live resources of the types
/// read without error, with the addresses the diff matched (as `rules::scan` evaluates them).
pub fn live_views(
    live: &[crate::model::Resource],
    judged: &[Judged],
    failed_types: &std::collections::BTreeSet<&str>,
) -> Vec<CheckedView> {
    use std::collections::HashMap;
    let addresses: HashMap<(&str, &str, Option<&str>), &str> = judged
        .iter()
        .filter(|j| matches!(j.status, Status::InSync | Status::Drifted))
        .filter_map(|j| Some(((j.rtype.as_str(), j.id.as_str(), j.region.as_deref()), j.address.as_deref()?)))
        .collect();
    let resources: Vec<crate::model::Resource> = live
        .iter()
        .filter(|r| !failed_types.contains(r.rtype.as_str()))
        .map(|r| {
            let mut r = r.clone();
            r.address = addresses.get(&(r.rtype.as_str(), r.id.as_str(), r.region.as_deref())).map(|a| a.to_string());
            r
        })
        .collect();
    crate::rules::views::build(&resources, crate::rules::View::Live)
        .into_iter()
        .map(|v| CheckedView {
            vtype: v.vtype.to_string(),
            id: v.id,
            address: v.address,
            file: None,
            line: None,
            unknown: Vec::new(),
            outside_code: false,
            settings: Vec::new(),
        })
        .collect()
}

/// `aws_vpc.core`, or `aws_s3_bucket scratch` for an unmanaged resource.
pub fn subject(j: &Judged) -> String {
    j.address.clone().unwrap_or_else(|| format!("{} {}", j.rtype, j.id))
}

/// Drifted, missing and unmanaged resources, in report order.
pub fn drift(report: &ScanReport) -> impl Iterator<Item = &Judged> {
    report.resources.iter().filter(|j| j.status != Status::InSync)
}

/// One line per change: `path: state -> live` (values as canonical JSON, shortened).
pub fn change_lines(j: &Judged, max_value: usize) -> Vec<String> {
    j.changes
        .iter()
        .map(|c| {
            format!(
                "{}: {} -> {}",
                c.path,
                shorten(&c.state.canonical(), max_value),
                shorten(&c.live.canonical(), max_value)
            )
        })
        .collect()
}

/// What a drift verdict means, for titles and descriptions.
pub fn describe(j: &Judged) -> String {
    match j.status {
        Status::Drifted => {
            let n = j.changes.len();
            format!(
                "{} drifted from its Terraform state: {n} attribute{} changed ({})",
                subject(j),
                if n == 1 { "" } else { "s" },
                j.changes.iter().map(|c| c.path.as_str()).collect::<Vec<_>>().join(", ")
            )
        }
        Status::Missing => format!("{} is in the Terraform state but no longer exists in AWS", subject(j)),
        Status::Unmanaged => format!("{} exists in AWS but no Terraform state manages it", subject(j)),
        Status::InSync => format!("{} matches its Terraform state", subject(j)),
    }
}

/// A stable identifier of a drift verdict across runs.
pub fn drift_fingerprint(j: &Judged) -> String {
    sarif::fingerprint(&["drift", j.status.as_str(), &subject(j), &j.id])
}

/// A stable identifier of a finding across runs (SARIF's `plumbFinding/v1` fingerprint).
pub fn finding_fingerprint(f: &Finding) -> String {
    sarif::fingerprint(&[&f.rule_id, &super::check::subject(f), &f.id])
}

/// Cut a string to `max` characters, marking the cut.
pub fn shorten(s: &str, max: usize) -> String {
    if s.chars().count() <= max {
        return s.to_string();
    }
    let mut out: String = s.chars().take(max.saturating_sub(1)).collect();
    out.push('…');
    out
}

/// The scan's start as a time (the epoch when it does not parse).
pub fn started(report: &ScanReport) -> OffsetDateTime {
    OffsetDateTime::parse(&report.started_at, &Rfc3339).unwrap_or(OffsetDateTime::UNIX_EPOCH)
}

/// The resource's ARN when its type declares an ARN form (a split part: its parent's), else
/// `None`. An id that already is an ARN is returned as is.
pub fn arn(rtype: &str, id: &str, region: Option<&str>, account: Option<&str>) -> Option<String> {
    if id.starts_with("arn:") {
        return Some(id.to_string());
    }
    let t = crate::aws::lookup(rtype)?;
    let form = t.identity.arn.or_else(|| t.parent.and_then(crate::aws::lookup).and_then(|p| p.identity.arn))?;
    let resource = if form.id_keeps_prefix { id.to_string() } else { format!("{}{id}", form.prefix) };
    match form.service {
        "s3" => Some(format!("arn:aws:s3:::{resource}")),
        "iam" | "cloudfront" | "organizations" => Some(format!("arn:aws:{}::{}:{resource}", form.service, account?)),
        service => Some(format!("arn:aws:{service}:{}:{}:{resource}", region?, account?)),
    }
}

const DRIFT_RULES: [(&str, Status, &str, &str); 3] = [
    ("PLUMB-DRIFT", Status::Drifted, "warning", "Live configuration differs from the Terraform state"),
    ("PLUMB-MISSING", Status::Missing, "error", "A resource in the Terraform state no longer exists"),
    ("PLUMB-UNMANAGED", Status::Unmanaged, "warning", "A live resource is not managed by Terraform"),
];

/// The drift rule of a verdict: `(id, level, title)`.
pub fn drift_rule(status: Status) -> (&'static str, &'static str, &'static str) {
    DRIFT_RULES.iter().find(|(_, s, ..)| *s == status).map(|(id, _, level, title)| (*id, *level, *title)).unwrap_or((
        "PLUMB-DRIFT",
        "warning",
        "Drift",
    ))
}

/// SARIF 2.1.0: the rules' findings as `plumb check` writes them (logical locations: live
/// resources have no file), then one result per drifted, missing or unmanaged resource under
/// three drift rules.
fn sarif_doc(input: &Input<'_>) -> String {
    let report = input.report;
    let used: Vec<Status> = {
        let mut v: Vec<Status> = drift(report).map(|j| j.status).collect();
        v.sort();
        v.dedup();
        v
    };
    let extra_rules: Vec<J> = DRIFT_RULES
        .iter()
        .filter(|(_, s, ..)| used.contains(s))
        .map(|(id, _, level, title)| {
            json!({
                "id": id,
                "name": id.replace('-', ""),
                "shortDescription": {"text": title},
                "fullDescription": {"text": format!("{title}: found by comparing live AWS with the Terraform state (plumb scan).")},
                "help": {"text": "Apply the Terraform configuration, import the resource, or record the change in the code; docs/drift.md explains how drift is judged."},
                "defaultConfiguration": {"level": level},
                "properties": {"tags": ["drift", "terraform"], "precision": "high"}
            })
        })
        .collect();
    let extra_results: Vec<J> = drift(report)
        .map(|j| {
            let (id, level, _) = drift_rule(j.status);
            let mut text = describe(j);
            for line in change_lines(j, 200) {
                text.push_str("\n");
                text.push_str(&line);
            }
            json!({
                "ruleId": id,
                "level": level,
                "message": {"text": text},
                "locations": [{"logicalLocations": [{"fullyQualifiedName": subject(j), "kind": "resource"}]}],
                "partialFingerprints": {"plumbDrift/v1": drift_fingerprint(j)},
                "properties": {
                    "status": j.status.as_str(),
                    "type": j.rtype,
                    "id": j.id,
                    "region": j.region,
                    "changes": j.changes
                }
            })
        })
        .collect();
    sarif::document(
        input.rules,
        &report.findings,
        input.docs_url,
        "plumb/scan/",
        extra_rules,
        extra_results,
        &error_lines(report),
    )
}

/// JUnit: a `drift` suite (one case per judged resource: in sync passes; drifted, missing and
/// unmanaged fail; resources not judged are skipped), then one suite per rule as `plumb check`.
fn junit_doc(input: &Input<'_>) -> String {
    let report = input.report;
    let mut cases: Vec<Case> = report
        .resources
        .iter()
        .map(|j| {
            let mut case = Case { classname: "drift".into(), name: subject(j), ..Case::default() };
            if j.status != Status::InSync {
                let mut text = describe(j);
                for line in change_lines(j, 300) {
                    text.push('\n');
                    text.push_str(&line);
                }
                case.failures.push((j.status.as_str().to_string(), describe(j), text));
            }
            case
        })
        .collect();
    cases.extend(report.not_judged.iter().map(|n| Case {
        classname: "drift".into(),
        name: n.address.clone(),
        skipped: Some(n.reason.clone()),
        ..Case::default()
    }));
    let mut suites = vec![Suite { name: "drift: live AWS vs Terraform state".into(), cases }];
    let skipped: &[String] = report.scope.as_ref().map(|s| s.rule_set.skipped.as_slice()).unwrap_or(&[]);
    for (meta, mut suite) in
        sorted(input.rules).into_iter().zip(junit::rule_suites(input.rules, input.views, &report.findings))
    {
        // A rule not run because a read it needs failed has no verdict on any resource.
        if skipped.contains(&meta.id) {
            for c in &mut suite.cases {
                c.failures.clear();
                c.skipped = Some("not evaluated: a read this rule needs failed".into());
            }
        }
        suites.push(suite);
    }
    // A read or rule that failed makes the scan incomplete: each is an error case, never a pass.
    suites.extend(junit::error_suite(&error_lines(report)));
    junit::render_suites("plumb scan", &suites)
}

/// One line per failed read or rule: the scan is incomplete and these say why.
fn error_lines(report: &ScanReport) -> Vec<String> {
    report
        .errors
        .iter()
        .map(|e| {
            format!("{} {} {}: {} (affects {})", e.service, e.region, e.code, e.message, e.affected_types.join(", "))
        })
        .collect()
}

/// Rules in id order, as `junit::rule_suites` lists them.
fn sorted(rules: &[RuleMeta]) -> Vec<&RuleMeta> {
    let mut v: Vec<&RuleMeta> = rules.iter().collect();
    v.sort_by(|a, b| a.id.cmp(&b.id));
    v
}

#[cfg(test)]
pub(crate) mod tests {
    use super::*;
    use crate::diff::{Attribution, Change};
    use crate::model::Value;
    use crate::report::{RuleSetInfo, RunScope};
    use crate::rules::{Controls, Severity, View};

    /// A scan of two regions: one drifted VPC (attributed), one missing bucket, one unmanaged
    /// bucket with a finding, a waived finding, a resource not judged.
    pub(crate) fn sample() -> (ScanReport, Vec<RuleMeta>) {
        let judged = |address: Option<&str>, rtype: &str, id: &str, status: Status| Judged {
            account: None,
            address: address.map(str::to_string),
            rtype: rtype.into(),
            id: id.into(),
            region: Some("eu-west-1".into()),
            status,
            changes: Vec::new(),
            ignored: Vec::new(),
            attribution: None,
            live: None,
        };
        let mut vpc = judged(Some("aws_vpc.core"), "aws_vpc", "vpc-0abc", Status::Drifted);
        vpc.changes = vec![Change {
            path: "tags.Owner".into(),
            state: Value::Null,
            live: Value::str("console-user"),
            added: None,
            removed: None,
        }];
        vpc.attribution = Some(vec![Attribution {
            actor: "alice@example.com".into(),
            channel: "console".into(),
            event_name: "CreateTags".into(),
            event_time: "2026-11-21T10:00:00Z".into(),
            event_id: "e-1".into(),
            source_ip: None,
            user_agent: None,
            via: None,
        }]);
        let resources = vec![
            vpc,
            judged(Some("aws_s3_bucket.logs"), "aws_s3_bucket", "clinic-logs", Status::Missing),
            judged(Some("aws_subnet.a"), "aws_subnet", "subnet-1", Status::InSync),
            judged(None, "aws_s3_bucket", "scratch-by-hand", Status::Unmanaged),
        ];
        let finding = |rule: &str, sev: Severity, address: Option<&str>, rtype: &str, id: &str, waived: bool| Finding {
            account: None,
            rule_id: rule.into(),
            severity: sev,
            view: View::Live,
            address: address.map(str::to_string),
            rtype: rtype.into(),
            id: id.into(),
            file: None,
            line: None,
            message: format!("{rule} <fails> on {id}"),
            waived,
            aws_default: false,
            controls: Controls { hipaa: vec!["164.312(a)(1)".into()], soc2: vec!["CC6.1".into()], gdpr: vec![] },
        };
        let findings = vec![
            finding("HS-S3-004", Severity::High, None, "aws_s3_bucket", "scratch-by-hand", false),
            finding("HS-VPC-001", Severity::Low, Some("aws_vpc.core"), "aws_vpc", "vpc-0abc", true),
        ];
        let mut report = ScanReport::new(
            "2026-11-22T07:00:00Z".into(),
            resources,
            vec![crate::diff::NotJudged {
                account: None,
                address: "aws_lambda_function.f".into(),
                rtype: "aws_lambda_function".into(),
                reason: crate::diff::NOT_READ.into(),
            }],
            vec![],
        )
        .with_findings(findings, Default::default(), vec![]);
        report.scope = Some(RunScope {
            account: "123456789012".into(),
            regions: vec!["eu-west-1".into(), "us-east-1".into()],
            states: vec!["envs/prod/terraform.tfstate".into()],
            rule_set: RuleSetInfo {
                version: "baseline 0.1.0 (commit test)".into(),
                digest: "sha256:00".into(),
                evaluated: 54,
                skipped: vec![],
            },
            controls: Default::default(),
            ..Default::default()
        });
        let rules = crate::rules::RuleSet::baseline().rules().iter().map(|r| r.meta.clone()).collect();
        (report, rules)
    }

    #[test]
    fn arns_from_declared_forms() {
        let acct = Some("123456789012");
        assert_eq!(arn("aws_s3_bucket", "logs", Some("eu-west-1"), acct).as_deref(), Some("arn:aws:s3:::logs"));
        assert_eq!(
            arn("aws_s3_bucket_versioning", "logs", Some("eu-west-1"), acct).as_deref(),
            Some("arn:aws:s3:::logs"),
            "a split part names its bucket"
        );
        assert_eq!(
            arn("aws_vpc", "vpc-1", Some("eu-west-1"), acct).as_deref(),
            Some("arn:aws:ec2:eu-west-1:123456789012:vpc/vpc-1")
        );
        assert_eq!(
            arn("aws_kms_alias", "alias/x", Some("eu-west-1"), acct).as_deref(),
            Some("arn:aws:kms:eu-west-1:123456789012:alias/x")
        );
        assert_eq!(arn("aws_vpc", "vpc-1", Some("eu-west-1"), None), None, "no account, no ARN");
        assert_eq!(arn("aws_made_up", "x", Some("eu-west-1"), acct), None);
        assert_eq!(arn("aws_iam_role", "arn:aws:iam::1:role/r", None, acct).as_deref(), Some("arn:aws:iam::1:role/r"));
    }

    #[test]
    fn scan_sarif_has_findings_and_drift() {
        let (report, rules) = sample();
        let input = Input { report: &report, rules: &rules, views: &[], docs_url: None };
        let doc: J = serde_json::from_str(&render(ScanFormat::Sarif, &input)).unwrap();
        let run = &doc["runs"][0];
        assert_eq!(run["automationDetails"]["id"], "plumb/scan/");
        let results = run["results"].as_array().unwrap();
        assert_eq!(results.len(), 2 + 3, "two findings, three drift verdicts");
        let descriptors = run["tool"]["driver"]["rules"].as_array().unwrap();
        for r in results {
            let i = r["ruleIndex"].as_u64().unwrap() as usize;
            assert_eq!(descriptors[i]["id"], r["ruleId"], "{r}");
            assert!(r["locations"][0].get("physicalLocation").is_none(), "live results have no file");
        }
        let vpc = results.iter().find(|r| r["ruleId"] == "PLUMB-DRIFT").unwrap();
        assert!(vpc["message"]["text"].as_str().unwrap().contains("tags.Owner: null -> \"console-user\""), "{vpc}");
        assert_eq!(results.iter().filter(|r| r.get("suppressions").is_some()).count(), 1, "the waived finding");
    }

    #[test]
    fn scan_junit_has_a_drift_suite() {
        let (report, rules) = sample();
        let views = vec![CheckedView {
            vtype: "s3_bucket".into(),
            id: "scratch-by-hand".into(),
            address: None,
            file: None,
            line: None,
            unknown: vec![],
            outside_code: false,
            settings: vec![],
        }];
        let input = Input { report: &report, rules: &rules, views: &views, docs_url: None };
        let xml = render(ScanFormat::Junit, &input);
        assert!(xml.starts_with("<?xml"));
        let drift = &xml[xml.find("drift: live AWS").unwrap()..xml.find("</testsuite>").unwrap()];
        assert!(drift.contains(r#"tests="5" failures="3" errors="0" skipped="1""#), "{drift}");
        assert!(drift.contains(r#"<failure type="missing""#));
        assert!(drift.contains(r#"name="aws_s3_bucket scratch-by-hand""#));
        let s3 = &xml[xml.find("HS-S3-004: ").unwrap()..];
        assert!(s3[..s3.find("</testsuite>").unwrap()].contains(r#"failures="1""#));
        assert!(xml.contains("&lt;fails&gt;"), "escaped");

        // A rule skipped because its read failed judges nothing.
        let mut incomplete = report.clone();
        if let Some(s) = incomplete.scope.as_mut() {
            s.rule_set.skipped = vec!["HS-S3-004".into()];
        }
        let xml = render(ScanFormat::Junit, &Input { report: &incomplete, ..input });
        let s3 = &xml[xml.find("HS-S3-004: ").unwrap()..];
        let s3 = &s3[..s3.find("</testsuite>").unwrap()];
        assert!(s3.contains(r#"failures="0" errors="0" skipped="1""#) && s3.contains("not evaluated"), "{s3}");
    }
}

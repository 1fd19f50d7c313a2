//! SARIF 2.1.0, as GitHub code scanning takes it: one rule descriptor per rule (help text,
//! a link to its page under `docs/rules/`, `security-severity` for GitHub's severity
//! column), one result per finding with a physical location (file relative to the checked
//! directory, the resource block's line) and a stable fingerprint so alerts survive
//! unrelated edits.

use serde_json::{Value as J, json};
use sha2::{Digest, Sha256};

use super::check::{CheckReport, subject};
use crate::rules::{Finding, RuleMeta, Severity};

pub const SARIF_SCHEMA: &str = "https://json.schemastore.org/sarif-2.1.0.json";

/// `docs_url`: where `docs/rules/<ID>.md` is published (`https://.../docs/rules`); without
/// it the help text names the page relative to the plumb repository.
pub fn render(report: &CheckReport, docs_url: Option<&str>) -> String {
    // A finding inside a module: the root module's `module` block it comes through is a
    // related location (the installed module is usually not in the repository code scanning
    // shows).
    let related = |f: &Finding| {
        let c = report.module_call(f)?;
        Some(json!([{
            "id": 1,
            "physicalLocation": {
                "artifactLocation": {"uri": c.file},
                "region": {"startLine": c.line.max(1)}
            },
            "message": {"text": format!("{} ({})", c.address, c.source)}
        }]))
    };
    document_with(
        &report.rules,
        &report.findings,
        docs_url,
        "plumb/check/",
        Vec::new(),
        Vec::new(),
        &report.errors,
        &related,
    )
}

/// A SARIF log of one run: the rules' descriptors, then `extra_rules` (already descriptors);
/// one result per finding, then `extra_results` (each given a `ruleIndex` by its `ruleId`).
/// `errors`: what failed during the run (a read, a rule at run time): the invocation did not
/// succeed. `plumb check` and `plumb scan` (`report::export`) both write through here.
pub fn document(
    rule_metas: &[RuleMeta],
    findings: &[Finding],
    docs_url: Option<&str>,
    automation_id: &str,
    extra_rules: Vec<J>,
    extra_results: Vec<J>,
    errors: &[String],
) -> String {
    document_with(rule_metas, findings, docs_url, automation_id, extra_rules, extra_results, errors, &|_| None)
}

/// [`document`], with `related(finding)`: the finding's related locations, if any.
#[allow(clippy::too_many_arguments)]
fn document_with(
    rule_metas: &[RuleMeta],
    findings: &[Finding],
    docs_url: Option<&str>,
    automation_id: &str,
    extra_rules: Vec<J>,
    extra_results: Vec<J>,
    errors: &[String],
    related: &dyn Fn(&Finding) -> Option<J>,
) -> String {
    let mut rules: Vec<&RuleMeta> = rule_metas.iter().collect();
    rules.sort_by(|a, b| a.id.cmp(&b.id));
    let mut descriptors: Vec<J> = rules.iter().map(|r| descriptor(r, docs_url)).collect();
    let extra_ids: Vec<String> = extra_rules.iter().map(|d| d["id"].as_str().unwrap_or_default().to_string()).collect();
    descriptors.extend(extra_rules);
    let mut results: Vec<J> = findings
        .iter()
        .map(|f| {
            let index = rules.iter().position(|r| r.id == f.rule_id);
            let mut location = json!({
                "physicalLocation": {
                    "artifactLocation": {"uri": f.file.clone().unwrap_or_else(|| ".".into())},
                    "region": {"startLine": f.line.filter(|l| *l > 0).unwrap_or(1)}
                },
                "logicalLocations": [{"fullyQualifiedName": subject(f), "kind": "resource"}]
            });
            if f.file.is_none()
                && let Some(o) = location.as_object_mut()
            {
                o.remove("physicalLocation");
            }
            let mut r = json!({
                "ruleId": f.rule_id,
                "level": level(f.severity),
                "message": {"text": format!("{}: {}", subject(f), f.message)},
                "locations": [location],
                "partialFingerprints": {"plumbFinding/v1": fingerprint(&[&f.rule_id, &subject(f), &f.id])},
                "properties": {"severity": f.severity.as_str(), "view": f.view.as_str()}
            });
            if let Some(i) = index {
                r["ruleIndex"] = json!(i);
            }
            if f.waived {
                r["suppressions"] = json!([{"kind": "external", "justification": "waived in the waivers file"}]);
            }
            if let Some(locations) = related(f) {
                r["relatedLocations"] = locations;
            }
            r
        })
        .collect();
    for mut r in extra_results {
        let id = r["ruleId"].as_str().unwrap_or_default().to_string();
        if let Some(i) = extra_ids.iter().position(|x| *x == id) {
            r["ruleIndex"] = json!(rules.len() + i);
        }
        results.push(r);
    }
    let doc = json!({
        "$schema": SARIF_SCHEMA,
        "version": "2.1.0",
        "runs": [{
            "tool": {"driver": {
                "name": "plumb",
                "version": env!("CARGO_PKG_VERSION"),
                "semanticVersion": env!("CARGO_PKG_VERSION"),
                "rules": descriptors
            }},
            "automationDetails": {"id": automation_id},
            "columnKind": "unicodeCodePoints",
            "invocations": [{
                // A rule that failed at run time leaves its findings unknown: the run did not
                // succeed, whatever the results say.
                "executionSuccessful": errors.is_empty(),
                "toolExecutionNotifications": errors.iter().map(|e| json!({
                    "level": "error",
                    "message": {"text": e}
                })).collect::<Vec<_>>()
            }],
            "results": results
        }]
    });
    let mut s = serde_json::to_string_pretty(&doc).unwrap_or_default();
    s.push('\n');
    s
}

fn descriptor(r: &RuleMeta, docs_url: Option<&str>) -> J {
    let page = format!("docs/rules/{}.md", r.id);
    let link = match docs_url {
        Some(base) => format!("{}/{}.md", base.trim_end_matches('/'), r.id),
        None => page.clone(),
    };
    let controls: Vec<String> = r
        .controls
        .frameworks()
        .iter()
        .flat_map(|(_, name, cs)| cs.iter().map(move |c| format!("{name} {c}")))
        .collect();
    let markdown = format!(
        "{}\n\n**Why:** {}\n\n**Fix:** {}\n\n**Controls:** {}\n\nDocumentation: [{page}]({link})",
        r.description,
        r.rationale,
        r.remediation,
        if controls.is_empty() { "none mapped".to_string() } else { controls.join(", ") }
    );
    let mut tags = vec!["security".to_string(), "terraform".to_string()];
    for (key, _, cs) in r.controls.frameworks() {
        if !cs.is_empty() {
            tags.push(key.to_string());
        }
    }
    let mut d = json!({
        "id": r.id,
        "name": r.id.replace('-', ""),
        "shortDescription": {"text": r.title},
        "fullDescription": {"text": r.description},
        "help": {"text": format!("{}\n\nFix: {}\n\nDocumentation: {link}", r.rationale, r.remediation), "markdown": markdown},
        "defaultConfiguration": {"level": level(r.severity)},
        "properties": {
            "security-severity": security_severity(r.severity),
            "precision": "high",
            "problem.severity": problem_severity(r.severity),
            "tags": tags
        }
    });
    if docs_url.is_some() {
        d["helpUri"] = json!(link);
    }
    d
}

pub fn level(s: Severity) -> &'static str {
    match s {
        Severity::Critical | Severity::High => "error",
        Severity::Medium => "warning",
        Severity::Low => "note",
    }
}

fn problem_severity(s: Severity) -> &'static str {
    match s {
        Severity::Critical | Severity::High => "error",
        Severity::Medium => "warning",
        Severity::Low => "recommendation",
    }
}

/// GitHub maps this score to critical (>= 9), high (>= 7), medium (>= 4) and low.
pub fn security_severity(s: Severity) -> &'static str {
    match s {
        Severity::Critical => "9.5",
        Severity::High => "8.0",
        Severity::Medium => "5.5",
        Severity::Low => "3.0",
    }
}

/// A stable 128-bit hex fingerprint of the parts (alerts keep their identity across runs).
pub fn fingerprint(parts: &[&str]) -> String {
    let mut h = Sha256::new();
    for p in parts {
        h.update(p.as_bytes());
        h.update([0]);
    }
    h.finalize().iter().take(16).map(|b| format!("{b:02x}")).collect()
}

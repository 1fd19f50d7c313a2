//! The per-run digest: the few facts `history` and `report` need from a stored JSON report
//! (summary counts and every drifted, missing or unmanaged resource and every finding),
//! derived once at append time and stored beside the report, so reading 365 runs of a
//! 5,000-resource estate never re-parses the reports. The digest is covered by the record's
//! hash, and `ledger verify` re-derives it from the report and compares.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

/// Bumped when the digest's shape changes; old records keep the version they were written with.
pub const DIGEST_VERSION: u32 = 1;

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Kind {
    Resource,
    Finding,
}

impl Kind {
    pub fn as_str(self) -> &'static str {
        match self {
            Kind::Resource => "resource",
            Kind::Finding => "finding",
        }
    }
}

/// Who most likely caused a drift (the first `attribution` entry of the report).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Cause {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub actor: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub channel: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub event_name: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub event_time: Option<String>,
}

/// One drifted, missing or unmanaged resource, or one finding, in one run.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Item {
    pub kind: Kind,
    /// The AWS account, in runs over several accounts (`--config`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub account: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub address: Option<String>,
    #[serde(rename = "type")]
    pub rtype: String,
    pub id: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub region: Option<String>,
    /// Resources: `drifted`, `missing` or `unmanaged`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub status: Option<String>,
    /// Resources: the changed attribute paths.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub paths: Vec<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub cause: Option<Cause>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub rule_id: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub severity: Option<String>,
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub waived: bool,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub message: Option<String>,
    /// Finding: framework -> control ids.
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub controls: BTreeMap<String, Vec<String>>,
}

impl Item {
    /// The resource this item is about: its address, or `type/id` when unmanaged; prefixed
    /// with `account/` in runs over several accounts (the same address in two accounts is two
    /// resources).
    pub fn subject(&self) -> String {
        subject(self.account.as_deref(), self.address.as_deref(), &self.rtype, &self.id)
    }

    /// History key: (kind, address or type+id, status or rule id).
    pub fn key(&self) -> (Kind, String, String) {
        let what = match self.kind {
            Kind::Resource => self.status.clone().unwrap_or_default(),
            Kind::Finding => self.rule_id.clone().unwrap_or_default(),
        };
        (self.kind, self.subject(), what)
    }
}

/// `address` or `type/id`, prefixed with `account/` when there is one.
pub fn subject(account: Option<&str>, address: Option<&str>, rtype: &str, id: &str) -> String {
    let s = match address {
        Some(a) => a.to_string(),
        None => format!("{rtype}/{id}"),
    };
    match account {
        Some(acct) => format!("{acct}/{s}"),
        None => s,
    }
}

#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct FindingCounts {
    pub critical: u64,
    pub high: u64,
    pub medium: u64,
    pub low: u64,
    pub waived: u64,
}

impl FindingCounts {
    /// Unwaived findings.
    pub fn open(&self) -> u64 {
        self.critical + self.high + self.medium + self.low
    }
}

#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct RunSummary {
    pub in_sync: u64,
    pub drifted: u64,
    pub missing: u64,
    pub unmanaged: u64,
    pub coverage_percent: f64,
    pub not_judged: u64,
    pub findings: FindingCounts,
    /// Per framework: controls with unwaived findings out of the controls the evaluated rules
    /// cover, as the run's report counted them (runs recorded before this field: empty).
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub frameworks: BTreeMap<String, FrameworkCount>,
}

/// One framework's control counts in a run.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct FrameworkCount {
    pub controls_failing: u64,
    pub controls_covered: u64,
}

impl RunSummary {
    pub fn resources(&self) -> u64 {
        self.in_sync + self.drifted + self.missing + self.unmanaged
    }
    pub fn not_in_sync(&self) -> u64 {
        self.drifted + self.missing + self.unmanaged
    }
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Digest {
    pub v: u32,
    pub started_at: String,
    pub complete: bool,
    pub summary: RunSummary,
    /// Types whose live read failed in this run: their items are neither seen nor resolved.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub failed_types: Vec<String>,
    /// Addresses in state that this run could not judge (read failed, region not scanned).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub unobserved: Vec<String>,
    pub items: Vec<Item>,
    /// The run this record is a part of (`--run-id`, `--shard I/N`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub part: Option<Part>,
    /// Runs over several accounts: every account scanned, with its own counts, failed types
    /// and unjudged addresses (an account's items are observed only by runs that scanned it).
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub accounts: BTreeMap<String, AccountDigest>,
}

/// Which part of which run a record is.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Part {
    pub run_id: String,
    pub shard: u32,
    pub shards: u32,
}

/// One account of a run over several.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct AccountDigest {
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub name: String,
    pub complete: bool,
    pub in_sync: u64,
    pub drifted: u64,
    pub missing: u64,
    pub unmanaged: u64,
    pub not_judged: u64,
    pub findings: FindingCounts,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub failed_types: Vec<String>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub unobserved: Vec<String>,
}

impl Digest {
    /// Whether this run looked at the item (so its absence means it is gone). An account's
    /// item is observed only by a run that scanned that account (and read its type); an item
    /// without an account only by a run over no particular accounts.
    pub fn observes(&self, account: Option<&str>, rtype: &str, address: Option<&str>) -> bool {
        if self.failed_types.iter().any(|t| t == rtype) {
            return false;
        }
        let unobserved = match (account, self.accounts.is_empty()) {
            (None, true) => &self.unobserved,
            (None, false) => return false,
            (Some(a), _) => match self.accounts.get(a) {
                Some(acct) if acct.failed_types.iter().any(|t| t == rtype) => return false,
                Some(acct) => &acct.unobserved,
                None => return false,
            },
        };
        match address {
            Some(a) => unobserved.binary_search_by(|u| u.as_str().cmp(a)).is_err(),
            None => true,
        }
    }

    pub fn to_json(&self) -> String {
        serde_json::to_string(self).expect("digest serialises")
    }
}

// --- the report, as much of it as the digest needs ---------------------------------------------

#[derive(Deserialize)]
struct ReportIn {
    #[serde(default)]
    started_at: String,
    #[serde(default)]
    scope: Option<ScopeIn>,
    #[serde(default = "yes")]
    complete: bool,
    #[serde(default)]
    summary: SummaryIn,
    #[serde(default)]
    resources: Vec<ResourceIn>,
    #[serde(default)]
    findings: Vec<FindingIn>,
    #[serde(default)]
    errors: Vec<ErrorIn>,
    #[serde(default)]
    not_judged: Vec<NotJudgedIn>,
}

fn yes() -> bool {
    true
}

#[derive(Deserialize, Default)]
struct SummaryIn {
    #[serde(default)]
    coverage_percent: Option<f64>,
    #[serde(default)]
    frameworks: BTreeMap<String, FrameworkCount>,
}

#[derive(Deserialize, Default)]
struct ScopeIn {
    #[serde(default)]
    accounts: Vec<ScopeAccountIn>,
    #[serde(default)]
    part: Option<Part>,
}

#[derive(Deserialize)]
struct ScopeAccountIn {
    id: String,
    #[serde(default)]
    name: String,
    #[serde(default)]
    complete: bool,
}

#[derive(Deserialize)]
struct ResourceIn {
    #[serde(default)]
    account: Option<String>,
    #[serde(default)]
    address: Option<String>,
    #[serde(rename = "type")]
    rtype: String,
    id: String,
    #[serde(default)]
    region: Option<String>,
    status: String,
    #[serde(default)]
    changes: Vec<ChangeIn>,
    #[serde(default)]
    attribution: Vec<Cause>,
}

#[derive(Deserialize)]
struct ChangeIn {
    path: String,
}

#[derive(Deserialize)]
struct FindingIn {
    #[serde(default)]
    account: Option<String>,
    rule_id: String,
    #[serde(default)]
    severity: String,
    #[serde(default)]
    address: Option<String>,
    #[serde(default, rename = "type")]
    rtype: String,
    #[serde(default)]
    id: String,
    #[serde(default)]
    region: Option<String>,
    #[serde(default)]
    message: Option<String>,
    #[serde(default)]
    waived: bool,
    #[serde(default)]
    controls: BTreeMap<String, Vec<String>>,
}

#[derive(Deserialize)]
struct ErrorIn {
    #[serde(default)]
    account: Option<String>,
    #[serde(default)]
    affected_types: Vec<String>,
}

#[derive(Deserialize)]
struct NotJudgedIn {
    #[serde(default)]
    account: Option<String>,
    address: String,
    #[serde(default)]
    reason: String,
}

/// Derive the digest of one JSON report (the `plumb scan --format json` document).
pub fn derive(report_json: &str) -> Result<Digest, serde_json::Error> {
    let r: ReportIn = serde_json::from_str(report_json)?;
    let scope = r.scope.unwrap_or_default();
    let mut accounts: BTreeMap<String, AccountDigest> = scope
        .accounts
        .iter()
        .map(|a| {
            let name = if a.name == a.id { String::new() } else { a.name.clone() };
            (a.id.clone(), AccountDigest { name, complete: a.complete, ..AccountDigest::default() })
        })
        .collect();
    let mut summary = RunSummary {
        coverage_percent: r.summary.coverage_percent.unwrap_or_default(),
        frameworks: r.summary.frameworks,
        ..RunSummary::default()
    };
    let mut items = Vec::new();
    for res in r.resources {
        let per = res.account.as_ref().and_then(|a| accounts.get_mut(a));
        let counts = match res.status.as_str() {
            "in_sync" => Some((&mut summary.in_sync, per.map(|p| &mut p.in_sync))),
            "drifted" => Some((&mut summary.drifted, per.map(|p| &mut p.drifted))),
            "missing" => Some((&mut summary.missing, per.map(|p| &mut p.missing))),
            "unmanaged" => Some((&mut summary.unmanaged, per.map(|p| &mut p.unmanaged))),
            _ => None,
        };
        if let Some((total, account_count)) = counts {
            *total += 1;
            if let Some(c) = account_count {
                *c += 1;
            }
        }
        if res.status == "in_sync" {
            continue;
        }
        items.push(Item {
            kind: Kind::Resource,
            account: res.account,
            address: res.address,
            rtype: res.rtype,
            id: res.id,
            region: res.region,
            status: Some(res.status),
            paths: res.changes.into_iter().map(|c| c.path).collect(),
            cause: res.attribution.into_iter().next(),
            rule_id: None,
            severity: None,
            waived: false,
            message: None,
            controls: BTreeMap::new(),
        });
    }
    for f in r.findings {
        let per = f.account.as_ref().and_then(|a| accounts.get_mut(a)).map(|p| &mut p.findings);
        for c in std::iter::once(&mut summary.findings).chain(per) {
            match (f.waived, f.severity.as_str()) {
                (true, _) => c.waived += 1,
                (false, "critical") => c.critical += 1,
                (false, "high") => c.high += 1,
                (false, "medium") => c.medium += 1,
                (false, _) => c.low += 1,
            }
        }
        items.push(Item {
            kind: Kind::Finding,
            account: f.account,
            address: f.address,
            rtype: f.rtype,
            id: f.id,
            region: f.region,
            status: None,
            paths: Vec::new(),
            cause: None,
            rule_id: Some(f.rule_id),
            severity: Some(f.severity),
            waived: f.waived,
            message: f.message,
            controls: f.controls,
        });
    }
    let mut failed_types: Vec<String> = Vec::new();
    for e in r.errors {
        match e.account.as_ref().and_then(|a| accounts.get_mut(a)) {
            Some(acct) => acct.failed_types.extend(e.affected_types),
            None => failed_types.extend(e.affected_types),
        }
    }
    let mut unobserved: Vec<String> = Vec::new();
    for n in r.not_judged {
        // A type Plumb does not read, or no AWS object at all, is not an unobserved resource
        // of this run (runs recorded before the reason was reworded say "type not supported").
        if [crate::diff::NOT_READ, crate::diff::NOT_AWS, "type not supported"].contains(&n.reason.as_str()) {
            continue;
        }
        match n.account.as_ref().and_then(|a| accounts.get_mut(a)) {
            Some(acct) => acct.unobserved.push(n.address),
            None => unobserved.push(n.address),
        }
    }
    for v in [&mut failed_types, &mut unobserved] {
        v.sort();
        v.dedup();
    }
    let mut not_judged = unobserved.len() as u64;
    for acct in accounts.values_mut() {
        for v in [&mut acct.failed_types, &mut acct.unobserved] {
            v.sort();
            v.dedup();
        }
        acct.not_judged = acct.unobserved.len() as u64;
        not_judged += acct.not_judged;
    }
    summary.not_judged = not_judged;
    Ok(Digest {
        v: DIGEST_VERSION,
        started_at: r.started_at,
        complete: r.complete,
        summary,
        failed_types,
        unobserved,
        items,
        part: scope.part,
        accounts,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    const REPORT: &str = r#"{
      "schema_version": 1, "tool": {"name": "plumb", "version": "0.1.0"},
      "started_at": "2026-11-22T07:00:00Z", "complete": false,
      "summary": {"in_sync": 1, "drifted": 1, "missing": 0, "unmanaged": 1, "coverage_percent": 66.7},
      "resources": [
        {"address": "aws_vpc.a", "type": "aws_vpc", "id": "vpc-1", "region": "us-east-1", "status": "in_sync", "changes": []},
        {"address": "aws_vpc.b", "type": "aws_vpc", "id": "vpc-2", "region": "us-east-1", "status": "drifted",
         "changes": [{"path": "tags.Owner", "state": null, "live": "x", "added": [1]}],
         "attribution": [{"actor": "arn:aws:iam::1:user/alice", "channel": "console", "event_name": "CreateTags",
                          "event_time": "2026-11-21T10:00:00Z", "event_id": "e1"}]},
        {"address": null, "type": "aws_s3_bucket", "id": "by-hand", "region": "us-east-1", "status": "unmanaged", "changes": []}
      ],
      "findings": [
        {"rule_id": "HS-S3-001", "severity": "high", "view": "live", "address": null, "type": "aws_s3_bucket",
         "id": "by-hand", "file": null, "line": null, "message": "no versioning", "waived": false,
         "controls": {"hipaa": ["164.312(c)(1)"], "soc2": ["A1.2"]}},
        {"rule_id": "HS-VPC-001", "severity": "low", "view": "live", "address": "aws_vpc.a", "type": "aws_vpc",
         "id": "vpc-1", "message": "flow logs", "waived": true, "controls": {}}
      ],
      "errors": [{"service": "rds", "region": "us-east-1", "code": "AccessDenied", "message": "no",
                  "affected_types": ["aws_db_instance", "aws_db_subnet_group"]}],
      "not_judged": [{"address": "aws_db_instance.x", "type": "aws_db_instance", "reason": "live read failed"},
                     {"address": "aws_lambda_function.f", "type": "aws_lambda_function", "reason": "type not supported"}]
    }"#;

    #[test]
    fn derives_items_and_counts() {
        let d = derive(REPORT).unwrap();
        assert_eq!(d.started_at, "2026-11-22T07:00:00Z");
        assert!(!d.complete);
        assert_eq!((d.summary.in_sync, d.summary.drifted, d.summary.unmanaged), (1, 1, 1));
        assert_eq!(d.summary.findings, FindingCounts { high: 1, waived: 1, ..Default::default() });
        assert_eq!(d.items.len(), 4);
        let b = &d.items[0];
        assert_eq!(b.key(), (Kind::Resource, "aws_vpc.b".into(), "drifted".into()));
        assert_eq!(b.paths, vec!["tags.Owner"]);
        assert_eq!(b.cause.as_ref().unwrap().actor.as_deref(), Some("arn:aws:iam::1:user/alice"));
        assert_eq!(d.items[1].subject(), "aws_s3_bucket/by-hand");
        assert_eq!(d.items[2].key(), (Kind::Finding, "aws_s3_bucket/by-hand".into(), "HS-S3-001".into()));
        assert_eq!(d.failed_types, vec!["aws_db_instance", "aws_db_subnet_group"]);
        assert_eq!(d.unobserved, vec!["aws_db_instance.x"]);
        assert_eq!(d.summary.not_judged, 1);
    }

    #[test]
    fn digest_round_trips() {
        let d = derive(REPORT).unwrap();
        let back: Digest = serde_json::from_str(&d.to_json()).unwrap();
        assert_eq!(back, d);
    }

    #[test]
    fn observation_excludes_failed_types_and_unjudged_addresses() {
        let d = derive(REPORT).unwrap();
        assert!(d.observes(None, "aws_vpc", Some("aws_vpc.b")));
        assert!(!d.observes(None, "aws_db_instance", Some("aws_db_instance.y")));
        assert!(!d.observes(None, "aws_vpc", Some("aws_db_instance.x")));
        assert!(d.observes(None, "aws_s3_bucket", None));
        assert!(!d.observes(Some("111111111111"), "aws_s3_bucket", None), "an account this run did not scan");
    }
}

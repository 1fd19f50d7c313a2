//! Compare what Terraform recorded with what AWS answered.
//!
//! Resources join on type plus import id. Attribute comparison is schema-driven: only
//! attributes a user can set count (computed-only ones such as ARNs and timestamps never
//! do), sets compare as sets (reporting added and removed elements), maps key by key,
//! nested blocks field by field, and anything Unknown or Sensitive is never drift.

mod compare;
pub mod ignore;
pub mod pending;
pub mod select;

use std::collections::{BTreeMap, BTreeSet};

use serde::Serialize;

use crate::model::{Resource, Value};

pub use compare::compare;

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Status {
    InSync,
    Drifted,
    Missing,
    Unmanaged,
}

impl Status {
    pub fn as_str(self) -> &'static str {
        match self {
            Status::InSync => "in_sync",
            Status::Drifted => "drifted",
            Status::Missing => "missing",
            Status::Unmanaged => "unmanaged",
        }
    }
}

/// One attribute difference. `path` uses Terraform's attribute syntax.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Change {
    pub path: String,
    pub state: Value,
    pub live: Value,
    /// For set-typed attributes: elements present live and not in state.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub added: Option<Vec<Value>>,
    /// For set-typed attributes: elements in state and gone live.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub removed: Option<Vec<Value>>,
}

/// The verdict on one resource.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Judged {
    /// The AWS account, in runs over several accounts (`--config`).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub account: Option<String>,
    pub address: Option<String>,
    #[serde(rename = "type")]
    pub rtype: String,
    pub id: String,
    pub region: Option<String>,
    pub status: Status,
    pub changes: Vec<Change>,
    /// Changes that are expected (`lifecycle.ignore_changes` in the code, or the ignore file):
    /// reported, never counted as drift.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub ignored: Vec<ignore::IgnoredChange>,
    /// CloudTrail events that explain the status, most likely cause first. Absent unless the
    /// scan read CloudTrail (`--cloudtrail`); `[]` when it did and found no cause.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub attribution: Option<Vec<Attribution>>,
    /// Unmanaged resources only: the live attributes (provider v5 names, secrets redacted),
    /// so that `plumb fix` can write their `resource` blocks without reading AWS again.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub live: Option<BTreeMap<String, Value>>,
}

/// One cause of a drift (design.md section 5), filled in by `attribution`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Attribution {
    /// The person when known, else the principal's ARN.
    pub actor: String,
    /// `console`, `cli`, `sdk`, `terraform`, `cloudformation`, `service` or `unknown`.
    pub channel: String,
    pub event_name: String,
    /// RFC 3339, UTC.
    pub event_time: String,
    pub event_id: String,
    pub source_ip: Option<String>,
    pub user_agent: Option<String>,
    /// When the call was on a resource that defines this one (its launch template, its node
    /// role): which, as `link: address` (no call on the resource itself explains the drift).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub via: Option<String>,
}

/// What the diff needs to know about the scan's coverage.
pub struct Scope<'a> {
    /// Types the live fetchers read.
    pub scanned_types: &'a BTreeSet<&'a str>,
    /// Types whose live read failed: never missing, never unmanaged.
    pub failed_types: &'a BTreeSet<&'a str>,
    /// Regions read live. A state resource known to live elsewhere is not judged.
    pub regions: &'a [String],
    /// Types that are parts of another resource: a hand-made instance of one of them is
    /// judged through its parent (an added rule is drift on the group's `ingress`; a bucket
    /// made by hand is one unmanaged bucket, not nine resources).
    pub part_types: &'a BTreeSet<&'a str>,
    /// Live objects the state records without managing them as resources of their own (a
    /// spot request's instance), by `(type, id)`: never unmanaged.
    pub recorded: &'a BTreeSet<(String, String)>,
    /// Does a resource of this type stand for an object in AWS? (`random_pet`,
    /// `null_resource`, `aws_vpc_ipam_preview_next_cidr` do not: nothing to read, nothing
    /// the scan could miss.)
    pub aws_object: fn(&str) -> bool,
}

#[derive(Debug, Clone, Default, PartialEq, Serialize)]
pub struct DiffResult {
    pub resources: Vec<Judged>,
    /// State resources not judged: unsupported type, failed read, or unscanned region.
    pub not_judged: Vec<NotJudged>,
}

/// The reason given for a state resource whose type Plumb does not read live.
pub const NOT_READ: &str = "type not read live by Plumb";

/// The reason given for a state resource that stands for no AWS object (another provider's
/// resource, or an AWS provider type that only computes a value): outside the estate, so
/// never a gap in the scan's coverage.
pub const NOT_AWS: &str = "not an AWS object";

#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Serialize)]
pub struct NotJudged {
    /// The AWS account, in runs over several accounts (`--config`).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub account: Option<String>,
    pub address: String,
    #[serde(rename = "type")]
    pub rtype: String,
    pub reason: String,
}

/// Judge every state resource against live, and every live resource no state manages.
pub fn diff(state: &[Resource], live: &[Resource], scope: &Scope<'_>) -> DiffResult {
    let mut live_by_key: BTreeMap<(&str, &str), Vec<&Resource>> = BTreeMap::new();
    for r in live {
        live_by_key.entry((r.rtype.as_str(), r.id.as_str())).or_default().push(r);
    }
    let mut matched: BTreeSet<(&str, &str, Option<&str>)> = BTreeSet::new();
    let mut out = DiffResult::default();

    for s in state {
        let address = s.address.clone().unwrap_or_default();
        if !(scope.aws_object)(&s.rtype) {
            out.not_judged.push(NotJudged { account: None, address, rtype: s.rtype.clone(), reason: NOT_AWS.into() });
            continue;
        }
        if !scope.scanned_types.contains(s.rtype.as_str()) {
            out.not_judged.push(NotJudged { account: None, address, rtype: s.rtype.clone(), reason: NOT_READ.into() });
            continue;
        }
        if let Some(region) = &s.region {
            if !scope.regions.iter().any(|r| r == region) {
                out.not_judged.push(NotJudged {
                    account: None,
                    address,
                    rtype: s.rtype.clone(),
                    reason: format!("region {region} not scanned"),
                });
                continue;
            }
        }
        let candidates = live_by_key.get(&(s.rtype.as_str(), s.id.as_str()));
        let found = candidates
            .and_then(|c| c.iter().find(|l| s.region.is_none() || l.region == s.region).or_else(|| c.first()).copied());
        match found {
            Some(l) => {
                matched.insert((l.rtype.as_str(), l.id.as_str(), l.region.as_deref()));
                let changes = compare(s, l);
                out.resources.push(Judged {
                    account: None,
                    address: s.address.clone(),
                    rtype: s.rtype.clone(),
                    id: s.id.clone(),
                    region: l.region.clone(),
                    status: if changes.is_empty() { Status::InSync } else { Status::Drifted },
                    changes,
                    ignored: Vec::new(),
                    attribution: None,
                    live: None,
                });
            }
            None if scope.failed_types.contains(s.rtype.as_str()) => {
                out.not_judged.push(NotJudged {
                    account: None,
                    address,
                    rtype: s.rtype.clone(),
                    reason: "live read failed".into(),
                });
            }
            None => out.resources.push(Judged {
                account: None,
                address: s.address.clone(),
                rtype: s.rtype.clone(),
                id: s.id.clone(),
                region: s.region.clone().or_else(|| scope.regions.first().cloned()),
                status: Status::Missing,
                changes: Vec::new(),
                ignored: Vec::new(),
                attribution: None,
                live: None,
            }),
        }
    }

    for l in live {
        if matched.contains(&(l.rtype.as_str(), l.id.as_str(), l.region.as_deref()))
            || l.aws_default
            || scope.part_types.contains(l.rtype.as_str())
            || scope.failed_types.contains(l.rtype.as_str())
            || scope.recorded.contains(&(l.rtype.clone(), l.id.clone()))
        {
            continue;
        }
        out.resources.push(Judged {
            account: None,
            address: None,
            rtype: l.rtype.clone(),
            id: l.id.clone(),
            region: l.region.clone(),
            status: Status::Unmanaged,
            changes: Vec::new(),
            ignored: Vec::new(),
            attribution: None,
            live: Some(l.attributes.clone()),
        });
    }

    // Managed first (by address), then unmanaged (by type and id): stable output.
    out.resources.sort_by(|a, b| {
        (a.address.is_none(), &a.address, &a.rtype, &a.id, &a.region).cmp(&(
            b.address.is_none(),
            &b.address,
            &b.rtype,
            &b.id,
            &b.region,
        ))
    });
    out.resources.dedup();
    out.not_judged.sort();
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::Origin;

    #[test]
    fn resources_that_are_no_aws_object_are_outside_the_scan() {
        let state = |rtype: &str, name: &str| Resource {
            rtype: rtype.into(),
            id: format!("{name}-id"),
            address: Some(format!("{rtype}.{name}")),
            region: None,
            attributes: Default::default(),
            origin: Origin::State { file: "s".into(), index: 0 },
            aws_default: false,
        };
        let state = [
            state("random_pet", "suffix"),
            state("null_resource", "wait"),
            state("aws_vpc_ipam_preview_next_cidr", "next"),
            state("aws_not_read_type", "x"),
        ];
        let scanned = BTreeSet::new();
        let none = BTreeSet::new();
        let recorded = BTreeSet::new();
        let regions = ["us-east-1".to_string()];
        let scope = Scope {
            scanned_types: &scanned,
            failed_types: &none,
            regions: &regions,
            part_types: &none,
            recorded: &recorded,
            aws_object: crate::aws::is_aws_object,
        };
        let out = diff(&state, &[], &scope);
        let reasons: Vec<(&str, &str)> =
            out.not_judged.iter().map(|n| (n.address.as_str(), n.reason.as_str())).collect();
        assert_eq!(
            reasons,
            [
                ("aws_not_read_type.x", NOT_READ),
                ("aws_vpc_ipam_preview_next_cidr.next", NOT_AWS),
                ("null_resource.wait", NOT_AWS),
                ("random_pet.suffix", NOT_AWS),
            ]
        );
        let report = crate::report::ScanReport::new("t".into(), out.resources, out.not_judged, Vec::new());
        assert_eq!(report.summary.not_judged, 1, "only the AWS resource not read is a gap");
    }

    #[test]
    fn an_object_the_state_records_elsewhere_is_never_unmanaged() {
        let live = |id: &str| Resource::live("aws_instance", id, "us-east-1", "1", None);
        let state = Resource {
            rtype: "aws_spot_instance_request".into(),
            id: "sir-1".into(),
            address: Some("aws_spot_instance_request.worker".into()),
            region: None,
            attributes: [("spot_instance_id".to_string(), Value::str("i-spot"))].into_iter().collect(),
            origin: Origin::State { file: "s".into(), index: 0 },
            aws_default: false,
        };
        let scanned: BTreeSet<&str> = ["aws_instance"].into_iter().collect();
        let none = BTreeSet::new();
        let recorded: BTreeSet<(String, String)> = [("aws_instance".to_string(), "i-spot".to_string())].into();
        let regions = ["us-east-1".to_string()];
        let scope = Scope {
            scanned_types: &scanned,
            failed_types: &none,
            regions: &regions,
            part_types: &none,
            recorded: &recorded,
            aws_object: |_| true,
        };
        let out = diff(&[state], &[live("i-spot"), live("i-hand")], &scope);
        let unmanaged: Vec<&str> =
            out.resources.iter().filter(|j| j.status == Status::Unmanaged).map(|j| j.id.as_str()).collect();
        assert_eq!(unmanaged, ["i-hand"]);
    }
}

//! The rules in `plumb scan`: the live view, judged.
//!
//! Live resources carry no address (but those the state records inside another resource,
//! which carry that resource's); the ones the diff matched to state get the state's
//! address here, so that a finding names the Terraform block to fix. The others stay
//! unmanaged (`address: null`, identified by type and id).
//!
//! A failed read hides what we could not see, so its types are not evaluated: a bucket whose
//! public access block could not be read would otherwise look like a bucket without one.
//! Rules whose views are built from a failed type are skipped altogether.

use std::collections::{BTreeSet, HashMap};

use super::engine::{RuleSet, evaluate_checked};
use super::{Finding, View};
use crate::diff::{Judged, Status};
use crate::model::Resource;

/// The outcome of evaluating the live view.
#[derive(Debug, Clone, Default)]
pub struct Evaluation {
    /// Sorted by rule id, address and id (waivers not yet applied).
    pub findings: Vec<Finding>,
    /// The rules that ran (framework coverage is counted over these).
    pub evaluated: RuleSet,
    /// Rules not run because a type they read failed: `(rule id, failed types)`.
    pub skipped: Vec<(String, Vec<String>)>,
    /// Rules that failed at run time: their findings are missing, so the result is
    /// incomplete.
    pub errors: Vec<super::EvalError>,
}

/// Evaluate `rules` over the live resources; `judged` (the diff's verdicts) supplies the
/// addresses, `failed_types` the types whose read failed.
pub fn evaluate_live(
    rules: &RuleSet,
    live: &[Resource],
    judged: &[Judged],
    failed_types: &BTreeSet<&str>,
) -> Evaluation {
    let addresses: HashMap<(&str, &str, Option<&str>), &str> = judged
        .iter()
        .filter(|j| matches!(j.status, Status::InSync | Status::Drifted))
        .filter_map(|j| Some(((j.rtype.as_str(), j.id.as_str(), j.region.as_deref()), j.address.as_deref()?)))
        .collect();
    let resources: Vec<Resource> = live
        .iter()
        .filter(|r| !failed_types.contains(r.rtype.as_str()))
        .map(|r| {
            let mut r = r.clone();
            // Live resources carry an address only when the state records them elsewhere
            // (a spot request's instance); the diff's verdict names the others.
            let judged = addresses.get(&(r.rtype.as_str(), r.id.as_str(), r.region.as_deref()));
            r.address = judged.map(|a| a.to_string()).or(r.address.take());
            r
        })
        .collect();

    let skipped: Vec<(String, Vec<String>)> = rules
        .rules()
        .iter()
        .filter_map(|rule| {
            let hit: BTreeSet<String> = rule
                .meta
                .resource_types
                .iter()
                .filter_map(|v| crate::aws::view::kinds().iter().find(|(t, _)| t == v))
                .flat_map(|(_, tf)| tf.iter().filter(|t| failed_types.contains(*t)).map(|t| t.to_string()))
                .collect();
            (!hit.is_empty()).then(|| (rule.meta.id.clone(), hit.into_iter().collect()))
        })
        .collect();
    let evaluated = rules.clone().filter(|rule| !skipped.iter().any(|(id, _)| *id == rule.meta.id));
    let (findings, errors) = evaluate_checked(&evaluated, &resources, View::Live);
    Evaluation { findings, evaluated, skipped, errors }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn bucket(name: &str) -> Resource {
        Resource::live("aws_s3_bucket", name, "us-east-1", "123456789012", None).with("bucket", name)
    }

    fn judged(address: &str, id: &str, status: Status) -> Judged {
        Judged {
            account: None,
            address: Some(address.into()),
            rtype: "aws_s3_bucket".into(),
            id: id.into(),
            region: Some("us-east-1".into()),
            status,
            changes: vec![],
            ignored: Vec::new(),
            attribution: None,
            live: None,
        }
    }

    #[test]
    fn managed_findings_get_addresses_and_failed_types_skip_their_rules() {
        let live = vec![bucket("managed"), bucket("by-hand")];
        let j = vec![judged("aws_s3_bucket.managed", "managed", Status::InSync)];
        let ev = evaluate_live(&RuleSet::baseline(), &live, &j, &BTreeSet::new());
        let s3_004: Vec<_> = ev.findings.iter().filter(|f| f.rule_id == "HS-S3-004").collect();
        assert_eq!(s3_004.len(), 2, "{:#?}", ev.findings);
        let at: Vec<_> = s3_004.iter().map(|f| (f.address.as_deref(), f.id.as_str())).collect();
        assert_eq!(at, [(None, "by-hand"), (Some("aws_s3_bucket.managed"), "managed")]);
        assert!(ev.findings.iter().all(|f| f.view == View::Live));
        assert!(ev.skipped.is_empty());

        // The public access blocks could not be read: no bucket rule runs.
        let failed: BTreeSet<&str> = ["aws_s3_bucket_public_access_block"].into_iter().collect();
        let ev = evaluate_live(&RuleSet::baseline(), &live, &j, &failed);
        assert!(ev.findings.iter().all(|f| !f.rule_id.starts_with("HS-S3")), "{:#?}", ev.findings);
        assert!(
            ev.skipped.iter().any(|(id, types)| id == "HS-S3-004" && types == &["aws_s3_bucket_public_access_block"])
        );
        assert!(ev.evaluated.get("HS-S3-004").is_none() && ev.evaluated.get("HS-RDS-004").is_some());
    }
}

//! What a command needs to judge findings, shared by `plumb scan` and `plumb check`: the
//! rules (baseline plus `--rules DIR`), the waivers, and the `--fail-on` gate; plus the
//! summaries both reports carry (counts by severity, controls per framework).
//!
//! ```text
//! PolicyArgs ──Policy::load──▶ Policy ──judge(findings, today)──▶ waived marks, expired waivers
//!                                       ──fails(findings)──▶ exit 1 or not
//! ```

use std::collections::{BTreeMap, BTreeSet};

use serde::Serialize;
use time::Date;

use super::waivers::{ExpiredWaiver, Waivers};
use super::{Finding, RuleSet, Severity};
use crate::cli::PolicyArgs;
use crate::report::FindingCounts;

/// Rules, waivers and gate of one run.
#[derive(Debug, Clone)]
pub struct Policy {
    pub rules: RuleSet,
    pub waivers: Waivers,
    /// Which unwaived findings fail the run.
    pub fail_on: FailOn,
}

/// Which unwaived findings fail the run (`--fail-on`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum FailOn {
    /// Any finding (the default).
    #[default]
    Any,
    /// Findings at or above this severity.
    AtLeast(Severity),
    /// None: findings are reported and never fail the run (`--fail-on none`).
    Never,
}

impl FailOn {
    pub fn fails(self, severity: Severity) -> bool {
        match self {
            FailOn::Any => true,
            FailOn::AtLeast(min) => severity >= min,
            FailOn::Never => false,
        }
    }
}

impl std::fmt::Display for FailOn {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            FailOn::Any => f.write_str("any"),
            FailOn::AtLeast(s) => write!(f, "{s}"),
            FailOn::Never => f.write_str("none"),
        }
    }
}

/// JSON: `null` for any finding (as before `none` existed), the severity, or `"none"`.
impl serde::Serialize for FailOn {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        match self {
            FailOn::Any => s.serialize_none(),
            FailOn::AtLeast(sev) => sev.serialize(s),
            FailOn::Never => s.serialize_str("none"),
        }
    }
}

impl Policy {
    /// Load the rules and waivers the arguments name. Bad rule files and waivers files are
    /// user-input errors (exit 2); unknown rule ids in waivers are warned on stderr.
    pub fn load(args: &PolicyArgs) -> Result<Policy, miette::Report> {
        let mut rules = RuleSet::baseline();
        if let Some(dir) = &args.rules {
            let user =
                RuleSet::load_dir(dir).map_err(|e| miette::miette!("loading rules from {}: {e}", dir.display()))?;
            rules = rules.merge(user).map_err(|e| miette::miette!("{e}"))?;
        }
        let waivers = match &args.waivers {
            Some(path) => Waivers::load(path)?,
            None => Waivers::default(),
        };
        for w in waivers.unknown_rules(&rules) {
            eprintln!("plumb: warning: {w}");
        }
        Ok(Policy { rules, waivers, fail_on: args.fail_on.unwrap_or_default() })
    }

    /// Apply the waivers current on `today`; expired ones are returned and warned on stderr.
    pub fn judge(&self, findings: &mut [Finding], today: Date) -> Vec<ExpiredWaiver> {
        let expired = self.waivers.apply(findings, today);
        for e in &expired {
            eprintln!(
                "plumb: warning: waiver for {} on {} expired on {} (approved by {}); {} finding(s) not waived",
                e.rule, e.address, e.expires, e.approved_by, e.matches
            );
        }
        expired
    }

    /// Whether these findings fail the run: any unwaived one at or above the gate.
    pub fn fails(&self, findings: &[Finding]) -> bool {
        fails(findings, self.fail_on)
    }
}

/// Any unwaived finding the gate fails on.
pub fn fails(findings: &[Finding], fail_on: FailOn) -> bool {
    findings.iter().any(|f| !f.waived && fail_on.fails(f.severity))
}

/// Unwaived findings by severity, and waived ones (design.md section 5, `summary.findings`).
pub fn counts(findings: &[Finding]) -> FindingCounts {
    let mut c = FindingCounts::default();
    for f in findings {
        let n = match (f.waived, f.severity) {
            (true, _) => &mut c.waived,
            (false, Severity::Critical) => &mut c.critical,
            (false, Severity::High) => &mut c.high,
            (false, Severity::Medium) => &mut c.medium,
            (false, Severity::Low) => &mut c.low,
        };
        *n += 1;
    }
    c
}

/// One framework's standing: distinct controls with unwaived findings, out of the distinct
/// controls the evaluated rules map to.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct FrameworkSummary {
    /// Display name (`HIPAA`, `SOC 2`, `GDPR`).
    pub name: &'static str,
    /// Number of controls in `failing_controls`.
    pub controls_failing: u64,
    /// Distinct controls mapped by the rules that were evaluated.
    pub controls_covered: u64,
    /// The failing controls, sorted.
    pub failing_controls: Vec<String>,
}

/// Per framework (`hipaa`, `soc2`, `gdpr`, in that order).
pub fn frameworks(rules: &RuleSet, findings: &[Finding]) -> BTreeMap<&'static str, FrameworkSummary> {
    let mut out = BTreeMap::new();
    for (i, (key, name, _)) in super::Controls::default().frameworks().into_iter().enumerate() {
        let pick = |c: &super::Controls| c.frameworks()[i].2.to_vec();
        let covered: BTreeSet<String> = rules.rules().iter().flat_map(|r| pick(&r.meta.controls)).collect();
        let failing: BTreeSet<String> = findings.iter().filter(|f| !f.waived).flat_map(|f| pick(&f.controls)).collect();
        out.insert(
            key,
            FrameworkSummary {
                name,
                controls_failing: failing.len() as u64,
                controls_covered: covered.len() as u64,
                failing_controls: failing.into_iter().collect(),
            },
        );
    }
    out
}

/// `HIPAA 3/12 controls failing, SOC 2 2/8, GDPR 1/3` for text reports.
pub fn frameworks_line(fw: &BTreeMap<&'static str, FrameworkSummary>) -> String {
    let parts: Vec<String> = ["hipaa", "soc2", "gdpr"]
        .iter()
        .filter_map(|k| fw.get(k))
        .map(|s| format!("{} {}/{}", s.name, s.controls_failing, s.controls_covered))
        .collect();
    format!("controls with open findings: {}", parts.join(", "))
}

/// Today's date in UTC, which waivers expire against.
pub fn today() -> Date {
    time::OffsetDateTime::now_utc().date()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::rules::{Controls, View};

    fn f(rule: &str, sev: Severity, waived: bool, hipaa: &[&str]) -> Finding {
        Finding {
            account: None,
            rule_id: rule.into(),
            severity: sev,
            view: View::Live,
            address: Some("a.b".into()),
            rtype: "a".into(),
            id: "b".into(),
            file: None,
            line: None,
            message: "m".into(),
            waived,
            controls: Controls { hipaa: hipaa.iter().map(|s| s.to_string()).collect(), ..Default::default() },
            aws_default: false,
        }
    }

    #[test]
    fn gate_counts_only_unwaived_findings_at_or_above() {
        let fs = vec![f("A", Severity::Medium, false, &[]), f("B", Severity::Critical, true, &[])];
        assert!(fails(&fs, FailOn::Any));
        assert!(fails(&fs, FailOn::AtLeast(Severity::Medium)));
        assert!(fails(&fs, FailOn::AtLeast(Severity::Low)));
        assert!(!fails(&fs, FailOn::Never));
        assert!(fails(&fs, FailOn::Any));
        assert!(!fails(&fs, FailOn::AtLeast(Severity::High)));
        assert!(!fails(&fs, FailOn::AtLeast(Severity::Critical)), "the critical one is waived");
        assert!(!fails(&[], FailOn::Any));
        assert_eq!(counts(&fs), FindingCounts { medium: 1, waived: 1, ..Default::default() });
    }

    #[test]
    fn frameworks_count_distinct_controls_of_unwaived_findings() {
        let rules = RuleSet::baseline();
        let fs = vec![
            f("A", Severity::High, false, &["164.312(b)", "164.308(a)(1)(ii)(B)"]),
            f("B", Severity::High, false, &["164.312(b)"]),
            f("C", Severity::High, true, &["164.312(a)(1)"]),
        ];
        let fw = frameworks(&rules, &fs);
        assert_eq!(fw["hipaa"].controls_failing, 2);
        assert_eq!(fw["hipaa"].failing_controls, ["164.308(a)(1)(ii)(B)", "164.312(b)"]);
        assert!(fw["hipaa"].controls_covered >= 2);
        assert_eq!(fw["soc2"].controls_failing, 0);
        assert!(frameworks_line(&fw).starts_with("controls with open findings: HIPAA 2/"));
    }
}

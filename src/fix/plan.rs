//! What to do with each item of a scan: the items (one per changed attribute of a drifted
//! resource, one per missing resource, one per unmanaged resource), and the choice for each
//! (`--adopt` / `--revert` selectors, then the policy), with the reason given in the summary.
//! A value a hardening rule has a finding on is never adopted without `--force`.

use std::collections::BTreeMap;

use super::input::{AttributionIn, ScanInput, value};
use super::policy::{Action, Policy, path_covers};
use crate::model::{Value, glob_match};

#[derive(Debug, Clone, PartialEq)]
pub enum Kind {
    /// One changed attribute of a drifted resource.
    Change { path: String, state: Value, live: Value, added: Option<Vec<Value>>, removed: Option<Vec<Value>> },
    /// In state, gone live.
    Missing,
    /// Live, in no state.
    Unmanaged { live: Option<BTreeMap<String, Value>> },
}

#[derive(Debug, Clone, PartialEq)]
pub struct Item {
    pub address: Option<String>,
    pub rtype: String,
    pub id: String,
    pub region: Option<String>,
    pub kind: Kind,
    pub attribution: Vec<AttributionIn>,
    /// Unwaived findings on this value (rule ids).
    pub findings: Vec<String>,
}

impl Item {
    pub fn path(&self) -> Option<&str> {
        match &self.kind {
            Kind::Change { path, .. } => Some(path),
            _ => None,
        }
    }

    /// How the summary and the selectors name it: `address path`, `address`, `type:id`.
    pub fn subject(&self) -> String {
        match (&self.address, &self.kind) {
            (Some(a), Kind::Change { path, .. }) => format!("{a}.{path}"),
            (Some(a), _) => a.clone(),
            (None, _) => format!("{}:{}", self.rtype, self.id),
        }
    }

    pub fn status(&self) -> &'static str {
        match self.kind {
            Kind::Change { .. } => "drifted",
            Kind::Missing => "missing",
            Kind::Unmanaged { .. } => "unmanaged",
        }
    }
}

/// Rule id -> the attribute paths it judges (`None`: everything on the resource, for rules
/// whose metadata does not say; `Some([])`: nothing of the resource itself).
pub type Judges = BTreeMap<String, Option<Vec<String>>>;

/// The items of a report, in report order (managed by address, then unmanaged).
pub fn items(input: &ScanInput, judges: &Judges) -> Vec<Item> {
    let mut out = Vec::new();
    for r in &input.resources {
        let attribution = r.attribution.clone().unwrap_or_default();
        let base = |kind: Kind, findings: Vec<String>| Item {
            address: r.address.clone(),
            rtype: r.rtype.clone(),
            id: r.id.clone(),
            region: r.region.clone(),
            kind,
            attribution: attribution.clone(),
            findings,
        };
        match r.status.as_str() {
            "drifted" => {
                for c in &r.changes {
                    let findings = findings_on(input, judges, r.address.as_deref(), &r.rtype, &r.id, Some(&c.path));
                    out.push(base(
                        Kind::Change {
                            path: c.path.clone(),
                            state: value(&c.state),
                            live: value(&c.live),
                            added: c.added.as_ref().map(|l| l.iter().map(value).collect()),
                            removed: c.removed.as_ref().map(|l| l.iter().map(value).collect()),
                        },
                        findings,
                    ));
                }
            }
            "missing" => out.push(base(Kind::Missing, Vec::new())),
            "unmanaged" => {
                let live = r.live.as_ref().map(|m| m.iter().map(|(k, v)| (k.clone(), value(v))).collect());
                let findings = findings_on(input, judges, None, &r.rtype, &r.id, None);
                out.push(base(Kind::Unmanaged { live }, findings));
            }
            _ => {}
        }
    }
    out
}

/// Unwaived findings that judge this value: on the same address (or, unmanaged, the same
/// type and id), by a rule that judges the path (or everything).
fn findings_on(
    input: &ScanInput,
    judges: &Judges,
    address: Option<&str>,
    rtype: &str,
    id: &str,
    path: Option<&str>,
) -> Vec<String> {
    let mut out: Vec<String> = input
        .findings
        .iter()
        .filter(|f| !f.waived)
        .filter(|f| match address {
            Some(a) => f.address.as_deref() == Some(a),
            None => f.address.is_none() && f.rtype == rtype && f.id == id,
        })
        .filter(|f| match (path, judges.get(&f.rule_id)) {
            (Some(p), Some(Some(paths))) => paths.iter().any(|j| path_covers(j, p)),
            _ => true,
        })
        .map(|f| f.rule_id.clone())
        .collect();
    out.sort();
    out.dedup();
    out
}

/// The command line's choices.
#[derive(Debug, Clone, Default)]
pub struct Choices {
    pub adopt: Vec<String>,
    pub revert: Vec<String>,
    pub force: bool,
}

/// The choice made for one item.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Decision {
    /// `None`: left as it is (skipped in the review, or refused).
    pub action: Option<Action>,
    /// Why (`--adopt all`, `built-in policy rule 1 (tags, ...)`, `HS-VPC-002 has a finding on it`).
    pub why: String,
    /// An explicit adopt refused because of a finding (without `--force`).
    pub refused: Option<String>,
}

/// How well a selector names an item: `None` when it does not; longer is more specific.
pub fn matches(selector: &str, item: &Item) -> Option<usize> {
    let s = selector.trim();
    if s.eq_ignore_ascii_case("all") {
        return Some(0);
    }
    let subject = item.subject();
    if let Some(a) = &item.address {
        let exact_address = s == a || glob_match(s, a);
        let path_prefix = subject.strip_prefix(s).is_some_and(|rest| rest.is_empty() || rest.starts_with(['.', '[']));
        if exact_address || path_prefix || glob_match(s, &subject) {
            return Some(s.len());
        }
        return None;
    }
    (s == subject || glob_match(s, &subject)).then_some(s.len())
}

/// The choice for `item`: the most specific selector (revert wins a tie), else the policy.
pub fn decide(item: &Item, choices: &Choices, policy: &Policy) -> Decision {
    let best = |sels: &[String]| sels.iter().filter_map(|s| matches(s, item).map(|n| (n, s.clone()))).max();
    let adopt = best(&choices.adopt);
    let revert = best(&choices.revert);
    let explicit = match (adopt, revert) {
        (Some(a), Some(r)) if a.0 > r.0 => Some((Action::Adopt, a.1)),
        (Some(_), Some(r)) => Some((Action::Revert, r.1)),
        (Some(a), None) => Some((Action::Adopt, a.1)),
        (None, Some(r)) => Some((Action::Revert, r.1)),
        (None, None) => None,
    };
    let finding_bearing = !item.findings.is_empty() && matches!(item.kind, Kind::Change { .. });
    match explicit {
        Some((Action::Adopt, sel)) if finding_bearing && !choices.force => Decision {
            action: None,
            why: format!("--adopt {sel}"),
            refused: Some(format!(
                "{} has a finding on this value: adopting it needs --force (or fix the value and revert)",
                item.findings.join(", ")
            )),
        },
        Some((action, sel)) => {
            let flag = if action == Action::Adopt { "--adopt" } else { "--revert" };
            let forced = if finding_bearing && action == Action::Adopt { " --force" } else { "" };
            Decision { action: Some(action), why: format!("{flag} {sel}{forced}"), refused: None }
        }
        None => match &item.kind {
            Kind::Change { path, .. } => {
                if finding_bearing {
                    return Decision {
                        action: Some(Action::Revert),
                        why: format!("{} has a finding on this value", item.findings.join(", ")),
                        refused: None,
                    };
                }
                let (action, why) = policy.change(item.address.as_deref().unwrap_or_default(), path);
                Decision { action: Some(action), why, refused: None }
            }
            Kind::Missing => {
                Decision { action: Some(policy.missing), why: format!("{} (missing)", policy.source), refused: None }
            }
            Kind::Unmanaged { .. } => Decision {
                action: Some(policy.unmanaged),
                why: format!("{} (unmanaged)", policy.source),
                refused: None,
            },
        },
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn change(address: &str, path: &str, findings: &[&str]) -> Item {
        Item {
            address: Some(address.into()),
            rtype: "aws_subnet".into(),
            id: "subnet-1".into(),
            region: None,
            kind: Kind::Change {
                path: path.into(),
                state: Value::Bool(false),
                live: Value::Bool(true),
                added: None,
                removed: None,
            },
            attribution: Vec::new(),
            findings: findings.iter().map(|s| s.to_string()).collect(),
        }
    }

    #[test]
    fn selectors_match_addresses_paths_and_globs() {
        let i = change("module.m[\"a\"].aws_subnet.a", "tags.Owner", &[]);
        assert!(matches("all", &i).is_some());
        assert!(matches("module.m[\"a\"].aws_subnet.a", &i).is_some());
        assert!(matches("module.m[\"a\"].aws_subnet.a.tags", &i).is_some());
        assert!(matches("module.m[\"a\"].aws_subnet.a.tags.Owner", &i).is_some());
        assert!(matches("module.m[\"a\"].aws_subnet.a.tag", &i).is_none());
        assert!(matches("module.m*", &i).is_some());
        assert!(matches("aws_subnet.a", &i).is_none());
    }

    #[test]
    fn findings_block_adoption_without_force_and_drive_the_default() {
        let p = Policy::default();
        let bad = change("aws_subnet.a", "map_public_ip_on_launch", &["HS-VPC-002"]);
        let all = Choices { adopt: vec!["all".into()], ..Default::default() };
        let d = decide(&bad, &all, &p);
        assert_eq!(d.action, None);
        assert!(d.refused.unwrap().contains("HS-VPC-002"));
        let forced = Choices { force: true, ..all.clone() };
        assert_eq!(decide(&bad, &forced, &p).action, Some(Action::Adopt));
        assert_eq!(decide(&bad, &Choices::default(), &p).action, Some(Action::Revert));
        // Specific beats general: revert one path, adopt the rest.
        let tags = change("aws_subnet.a", "tags.Owner", &[]);
        let mixed = Choices { adopt: vec!["all".into()], revert: vec!["aws_subnet.a.tags".into()], force: false };
        assert_eq!(decide(&tags, &mixed, &p).action, Some(Action::Revert));
        assert_eq!(decide(&tags, &Choices::default(), &p).action, Some(Action::Adopt));
    }
}

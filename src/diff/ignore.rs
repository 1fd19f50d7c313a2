//! Expected change: attributes that move by design (an autoscaler moves a node group's
//! `desired_size` all day) are not drift. Terraform's own answer is `lifecycle {
//! ignore_changes }` in the code, read when the scan is given the code (`plumb scan --code
//! DIR`); a team that scans state only writes an ignore file (`--ignore FILE`):
//!
//! ```yaml
//! - address: module.eks.aws_eks_node_group.*     # glob over addresses (as for waivers)
//!   paths:                                         # attribute paths; `*` for every attribute
//!     - scaling_config[0].desired_size             # (in a `[...]` list, quote them)
//!   reason: The cluster autoscaler owns the node count.
//!   expires: 2027-06-30                            # optional; current through that day
//! ```
//!
//! Either way an ignored change is reported as ignored, never dropped: the evidence shows what
//! was decided and why. A resource whose every change is ignored is in sync. An ignore-file
//! entry that matched no change of this run, or that has expired, is reported so that it is
//! renewed or removed rather than forgotten.

use std::path::Path;

use miette::{Diagnostic, NamedSource, SourceSpan};
use serde::{Deserialize, Serialize};
use time::Date;

use super::{Change, Judged, Status};
use crate::model::glob_match;
use crate::source::plan::strip_keys;
use crate::source::yaml_list::{
    date_of, entry_lines, field_span, iso_date, offset_line, strip_location, strip_path, text_of,
};

/// One decision to ignore changes.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Ignore {
    /// Address glob (`*` any run of characters, `?` one); with `block`, the address of a
    /// resource block without instance keys (every instance of it).
    pub address: String,
    /// `address` names a resource block (from the code), not an instance.
    pub block: bool,
    /// Attribute paths in the report's syntax (`tags.Owner`, `scaling_config[0].desired_size`);
    /// a change at a path or below it is ignored. `*` ignores every attribute.
    pub paths: Vec<String>,
    pub reason: String,
    /// Last day (UTC) the entry applies; `None`: no end.
    pub expires: Option<Date>,
    /// Where the decision is written: `lifecycle.ignore_changes (eks.tf:31)`,
    /// `ignore file plumb-ignore.yaml:4`.
    pub by: String,
    /// From an ignore file (reported when unmatched or expired), or from the code.
    pub from_file: bool,
}

/// A change that an [`Ignore`] covers.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct IgnoredChange {
    #[serde(flatten)]
    pub change: Change,
    pub reason: String,
    pub by: String,
}

/// An ignore-file entry that did nothing this run, and why.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Serialize)]
pub struct StaleIgnore {
    pub address: String,
    pub paths: Vec<String>,
    pub by: String,
    /// `expired` (its changes are drift again) or `unmatched` (no change of this run).
    pub state: &'static str,
    #[serde(serialize_with = "opt_iso_date", skip_serializing_if = "Option::is_none")]
    pub expires: Option<Date>,
}

fn opt_iso_date<S: serde::Serializer>(d: &Option<Date>, s: S) -> Result<S::Ok, S::Error> {
    match d {
        Some(d) => iso_date(d, s),
        None => s.serialize_none(),
    }
}

impl Ignore {
    pub fn is_current(&self, today: Date) -> bool {
        self.expires.is_none_or(|e| today <= e)
    }

    fn covers(&self, address: &str, path: &str) -> bool {
        let named = if self.block { strip_keys(address) == self.address } else { glob_match(&self.address, address) };
        named && self.paths.iter().any(|p| p == "*" || at_or_below(path, p))
    }
}

/// `tags.Owner` is below `tags`; `rule[0].x` below `rule`, `rule[0]` and `rule[*]`.
fn at_or_below(path: &str, ignored: &str) -> bool {
    let ignored = ignored.replace("[*]", "");
    let path_no_index = strip_keys(path);
    let ignored_no_index = strip_keys(&ignored);
    let below = |p: &str, i: &str| p == i || p.starts_with(&format!("{i}.")) || p.starts_with(&format!("{i}["));
    below(path, &ignored) || (ignored == ignored_no_index && below(&path_no_index, &ignored_no_index))
}

/// Move the changes the decisions cover from `changes` to `ignored`; a drifted resource left
/// with no change is in sync. Returns the ignore-file entries that expired or matched nothing.
pub fn apply(resources: &mut [Judged], ignores: &[Ignore], today: Date) -> Vec<StaleIgnore> {
    let mut used = vec![false; ignores.len()];
    for r in resources.iter_mut().filter(|r| r.status == Status::Drifted) {
        let Some(address) = r.address.clone() else { continue };
        let mut kept = Vec::new();
        for c in std::mem::take(&mut r.changes) {
            let by = ignores.iter().enumerate().find(|(_, i)| i.covers(&address, &c.path));
            match by {
                Some((n, i)) => {
                    used[n] = true;
                    if i.is_current(today) {
                        r.ignored.push(IgnoredChange { change: c, reason: i.reason.clone(), by: i.by.clone() });
                    } else {
                        kept.push(c);
                    }
                }
                None => kept.push(c),
            }
        }
        r.changes = kept;
        if r.changes.is_empty() {
            r.status = Status::InSync;
        }
    }
    let mut stale: Vec<StaleIgnore> = ignores
        .iter()
        .zip(used)
        .filter(|(i, _)| i.from_file)
        .filter_map(|(i, used)| {
            let state = if !i.is_current(today) {
                "expired"
            } else if !used {
                "unmatched"
            } else {
                return None;
            };
            Some(StaleIgnore {
                address: i.address.clone(),
                paths: i.paths.clone(),
                by: i.by.clone(),
                state,
                expires: i.expires,
            })
        })
        .collect();
    stale.sort();
    stale
}

/// An ignore file that cannot be read: file, line and a caret under the culprit.
#[derive(Debug, thiserror::Error, Diagnostic)]
#[error("{file}: {message}")]
#[diagnostic(
    code(plumb::ignore),
    help(
        "an ignore file is a YAML list of entries with `address` (glob), `paths` (attribute paths), \
         `reason` and optionally `expires` (YYYY-MM-DD); see docs/drift.md"
    )
)]
pub struct IgnoreFileError {
    pub file: String,
    pub message: String,
    #[source_code]
    src: NamedSource<String>,
    #[label("this value")]
    span: Option<SourceSpan>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawIgnore {
    address: yaml_serde::Value,
    paths: yaml_serde::Value,
    reason: yaml_serde::Value,
    #[serde(default)]
    expires: Option<yaml_serde::Value>,
}

/// Read an ignore file.
pub fn load(path: &Path) -> Result<Vec<Ignore>, miette::Report> {
    let text = std::fs::read_to_string(path)
        .map_err(|e| miette::miette!("cannot read ignore file {}: {e}", path.display()))?;
    parse(&path.display().to_string(), &text).map_err(miette::Report::new)
}

/// Parse the text of an ignore file named `file`. An empty file ignores nothing.
pub fn parse(file: &str, text: &str) -> Result<Vec<Ignore>, IgnoreFileError> {
    let err = |message: String, span: Option<SourceSpan>| {
        let (src, span) = crate::model::source_excerpt(file, text, span);
        IgnoreFileError { file: file.to_string(), message, src, span }
    };
    if text.trim().is_empty() {
        return Ok(Vec::new());
    }
    let raw: Vec<RawIgnore> = yaml_serde::from_str(text).map_err(|e| {
        let loc = e.location();
        let span = loc.as_ref().map(|l| SourceSpan::from((l.index().min(text.len()), 0)));
        let msg = match &loc {
            Some(l) => {
                format!("line {}, column {}: {}", l.line(), l.column(), strip_path(&strip_location(&e.to_string())))
            }
            None => e.to_string(),
        };
        err(msg, span)
    })?;
    let lines = entry_lines(text);
    let mut out = Vec::new();
    for (i, r) in raw.into_iter().enumerate() {
        let line = lines.get(i).copied().unwrap_or(0);
        let bad = |field: &str, why: String| {
            let (offset, len) = field_span(text, line, field);
            let at = offset_line(text, offset);
            err(format!("line {at}: entry {}: `{field}` {why}", i + 1), Some(SourceSpan::from((offset, len))))
        };
        let paths: Vec<String> = match &r.paths {
            yaml_serde::Value::Sequence(items) if !items.is_empty() => {
                items.iter().map(|p| text_of(p).map_err(|why| bad("paths", why))).collect::<Result<_, _>>()?
            }
            yaml_serde::Value::String(s) if !s.trim().is_empty() => vec![s.trim().to_string()],
            _ => return Err(bad("paths", "must be a non-empty list of attribute paths".into())),
        };
        out.push(Ignore {
            address: text_of(&r.address).map_err(|why| bad("address", why))?,
            block: false,
            paths,
            reason: text_of(&r.reason).map_err(|why| bad("reason", why))?,
            expires: match &r.expires {
                None | Some(yaml_serde::Value::Null) => None,
                Some(v) => Some(date_of(v).map_err(|why| bad("expires", why))?),
            },
            by: format!("ignore file {file}:{line}"),
            from_file: true,
        });
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use time::macros::date;

    use super::*;
    use crate::model::Value;

    fn judged(address: &str, changes: &[(&str, i64, i64)]) -> Judged {
        Judged {
            account: None,
            address: Some(address.into()),
            rtype: "aws_eks_node_group".into(),
            id: "c:ng".into(),
            region: None,
            status: Status::Drifted,
            changes: changes
                .iter()
                .map(|(p, s, l)| Change {
                    path: p.to_string(),
                    state: Value::int(*s),
                    live: Value::int(*l),
                    added: None,
                    removed: None,
                })
                .collect(),
            ignored: Vec::new(),
            attribution: None,
            live: None,
        }
    }

    fn ignore(address: &str, paths: &[&str], expires: Option<Date>) -> Ignore {
        Ignore {
            address: address.into(),
            block: false,
            paths: paths.iter().map(|p| p.to_string()).collect(),
            reason: "autoscaler".into(),
            expires,
            by: "ignore file i.yaml:1".into(),
            from_file: true,
        }
    }

    #[test]
    fn covered_changes_move_to_ignored_and_the_resource_is_in_sync() {
        let mut rs = vec![judged("aws_eks_node_group.app", &[("scaling_config[0].desired_size", 2, 5)])];
        let stale = apply(
            &mut rs,
            &[ignore("aws_eks_node_group.*", &["scaling_config[0].desired_size"], None)],
            date!(2026 - 12 - 07),
        );
        assert_eq!(rs[0].status, Status::InSync);
        assert!(rs[0].changes.is_empty());
        assert_eq!(rs[0].ignored.len(), 1);
        assert_eq!(rs[0].ignored[0].reason, "autoscaler");
        assert!(stale.is_empty());
    }

    #[test]
    fn other_changes_stay_drift() {
        let mut rs = vec![judged(
            "aws_eks_node_group.app",
            &[("scaling_config[0].desired_size", 2, 5), ("scaling_config[0].max_size", 4, 9)],
        )];
        apply(&mut rs, &[ignore("*", &["scaling_config[*].desired_size"], None)], date!(2026 - 12 - 07));
        assert_eq!(rs[0].status, Status::Drifted);
        assert_eq!(rs[0].changes.len(), 1);
        assert_eq!(rs[0].changes[0].path, "scaling_config[0].max_size");
    }

    #[test]
    fn expired_and_unmatched_entries_are_reported() {
        let mut rs = vec![judged("aws_eks_node_group.app", &[("scaling_config[0].desired_size", 2, 5)])];
        let ignores = [
            ignore("aws_eks_node_group.app", &["scaling_config"], Some(date!(2026 - 01 - 01))),
            ignore("aws_instance.*", &["tags"], None),
        ];
        let stale = apply(&mut rs, &ignores, date!(2026 - 12 - 07));
        assert_eq!(rs[0].status, Status::Drifted, "an expired entry ignores nothing");
        let states: Vec<&str> = stale.iter().map(|s| s.state).collect();
        assert_eq!(states, ["expired", "unmatched"]);
    }

    #[test]
    fn a_block_from_the_code_covers_every_instance() {
        let mut rs =
            vec![judged("module.eks[\"a\"].aws_eks_node_group.this[0]", &[("scaling_config[0].desired_size", 2, 5)])];
        let from_code = Ignore {
            block: true,
            from_file: false,
            by: "lifecycle.ignore_changes (eks.tf:31)".into(),
            ..ignore("module.eks.aws_eks_node_group.this", &["scaling_config[0].desired_size"], None)
        };
        let stale = apply(&mut rs, &[from_code], date!(2026 - 12 - 07));
        assert_eq!(rs[0].status, Status::InSync);
        assert!(stale.is_empty(), "the code's decisions are not ignore-file entries");
    }

    #[test]
    fn paths_cover_what_is_below_them() {
        assert!(at_or_below("tags.Owner", "tags"));
        assert!(at_or_below("scaling_config[0].desired_size", "scaling_config"));
        assert!(at_or_below("scaling_config[0].desired_size", "scaling_config.desired_size"));
        assert!(!at_or_below("tags_all", "tags"));
        assert!(!at_or_below("scaling_config[0].max_size", "scaling_config[0].desired_size"));
    }

    #[test]
    fn parses_with_lines_and_points_at_bad_values() {
        let text = "# node counts\n- address: aws_eks_node_group.*\n  paths: [\"scaling_config[0].desired_size\"]\n  reason: autoscaler\n  expires: 2027-01-31\n- address: aws_autoscaling_group.x\n  paths: desired_capacity\n  reason: autoscaler\n";
        let v = parse("i.yaml", text).unwrap();
        assert_eq!(v.len(), 2);
        assert_eq!(v[0].by, "ignore file i.yaml:2");
        assert_eq!(v[1].paths, ["desired_capacity"]);
        let e = parse("i.yaml", "- address: x\n  paths: []\n  reason: r\n").unwrap_err();
        assert!(e.message.contains("line 2: entry 1: `paths`"), "{}", e.message);
        let e = parse("i.yaml", "- address: x\n  paths: [a]\n  reason: r\n  expires: soon\n").unwrap_err();
        assert!(e.message.contains("`expires` must be a date"), "{}", e.message);
        assert!(parse("i.yaml", "{not: a list}").is_err());
    }
}

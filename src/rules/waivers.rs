//! Waivers (`--waivers FILE`): accepted exceptions to the rules, each with a reason, an
//! approver and an end date.
//!
//! ```yaml
//! - rule: HS-S3-004                          # an id, or a glob (`HS-S3-*`)
//!   address: module.phi_bucket["public"].*   # glob: `*` any run of characters, `?` one
//!   reason: Public website assets; no ePHI.
//!   approved_by: Dana Reyes (CISO)
//!   expires: 2026-12-31                       # current through that day (UTC)
//! ```
//!
//! A current waiver marks the findings it matches `waived: true`: they are reported but no
//! longer fail the run. An expired waiver is ignored (its findings fail as usual) and is
//! reported as expired, so that it is renewed or removed rather than silently forgotten.
//!
//! `address` matches the finding's address. Unmanaged resources have no address; a waiver
//! names them as `TYPE ID` (`aws_s3_bucket clinic-scratch-by-hand`), as the text report
//! shows them. The glob is our own rather than `glob::Pattern` because Terraform addresses
//! contain brackets (`module.x["a"]`), which a shell glob reads as a character class.

use std::path::Path;

use miette::{Diagnostic, NamedSource, SourceSpan};
use serde::{Deserialize, Serialize};
use time::Date;

use super::{Finding, RuleSet};
use crate::model::glob_match;
use crate::source::yaml_list::{
    date_of, entry_lines, field_span, iso_date, offset_line, strip_location, strip_path, text_of,
};

/// One waiver, as written in the file.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Waiver {
    pub rule: String,
    pub address: String,
    pub reason: String,
    pub approved_by: String,
    /// The last day (UTC) on which the waiver applies.
    #[serde(serialize_with = "iso_date")]
    pub expires: Date,
    /// 1-based line of the entry in the file, for messages.
    #[serde(skip)]
    pub line: usize,
}

/// The waivers of one file.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Waivers {
    /// The file, as given on the command line.
    pub file: String,
    pub waivers: Vec<Waiver>,
}

/// An expired waiver, as reported (JSON `expired_waivers`).
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Serialize)]
pub struct ExpiredWaiver {
    pub rule: String,
    pub address: String,
    #[serde(serialize_with = "iso_date")]
    pub expires: Date,
    pub approved_by: String,
    pub reason: String,
    /// Findings of this run it would have waived, were it current.
    pub matches: u64,
}

/// A waivers file that cannot be read: file, line and a caret under the culprit.
#[derive(Debug, thiserror::Error, Diagnostic)]
#[error("{file}: {message}")]
#[diagnostic(code(plumb::waivers))]
pub struct WaiverError {
    pub file: String,
    pub message: String,
    #[source_code]
    src: NamedSource<String>,
    #[label("{label}")]
    span: Option<SourceSpan>,
    label: String,
    #[help]
    help: Option<String>,
}

const HELP: &str = "a waivers file is a YAML list of entries with `rule`, `address` (glob), `reason`, \
                    `approved_by` and `expires` (YYYY-MM-DD); see docs/rules-in-scan.md";

impl WaiverError {
    fn new(file: &str, text: &str, message: String, span: Option<SourceSpan>, label: &str) -> Self {
        let (src, span) = crate::model::source_excerpt(file, text, span);
        WaiverError {
            file: file.to_string(),
            message,
            src,
            span,
            label: label.to_string(),
            help: Some(HELP.to_string()),
        }
    }
}

/// One entry as YAML values: the values are checked by [`check`], which knows each one's
/// field and line (serde would place every such error at the start of the entry).
#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawWaiver {
    rule: yaml_serde::Value,
    address: yaml_serde::Value,
    reason: yaml_serde::Value,
    approved_by: yaml_serde::Value,
    expires: yaml_serde::Value,
}

impl Waivers {
    /// Read and parse a waivers file.
    pub fn load(path: &Path) -> Result<Waivers, miette::Report> {
        let text = std::fs::read_to_string(path)
            .map_err(|e| miette::miette!("cannot read waivers file {}: {e}", path.display()))?;
        Waivers::parse(&path.display().to_string(), &text).map_err(miette::Report::new)
    }

    /// Parse the text of a waivers file named `file`. An empty file is no waivers.
    pub fn parse(file: &str, text: &str) -> Result<Waivers, WaiverError> {
        if text.trim().is_empty() {
            return Ok(Waivers { file: file.to_string(), waivers: Vec::new() });
        }
        // Entries are parsed one by one from the generic YAML value to keep each one's line.
        let raw: Vec<RawWaiver> = yaml_serde::from_str(text).map_err(|e| {
            let loc = e.location();
            let span = loc.as_ref().map(|l| SourceSpan::from((l.index().min(text.len()), 0)));
            let msg = match &loc {
                Some(l) => {
                    format!("line {}, column {}: {}", l.line(), l.column(), strip_path(&strip_location(&e.to_string())))
                }
                None => e.to_string(),
            };
            WaiverError::new(file, text, msg, span, "here")
        })?;
        let lines = entry_lines(text);
        let mut waivers = Vec::new();
        for (i, r) in raw.into_iter().enumerate() {
            let line = lines.get(i).copied().unwrap_or(0);
            let bad = |field: &str, why: String| {
                let (offset, len) = field_span(text, line, field);
                let at = offset_line(text, offset);
                WaiverError::new(
                    file,
                    text,
                    format!("line {at}: waiver {}: `{field}` {why}", i + 1),
                    Some(SourceSpan::from((offset, len))),
                    "this value",
                )
            };
            let text_field = |field: &str, v: &yaml_serde::Value| text_of(v).map_err(|why| bad(field, why));
            waivers.push(Waiver {
                rule: text_field("rule", &r.rule)?,
                address: text_field("address", &r.address)?,
                reason: text_field("reason", &r.reason)?,
                approved_by: text_field("approved_by", &r.approved_by)?,
                expires: date_of(&r.expires).map_err(|why| bad("expires", why))?,
                line,
            });
        }
        Ok(Waivers { file: file.to_string(), waivers })
    }

    /// Warnings for waivers naming rules that are not loaded (a typo waives nothing).
    pub fn unknown_rules(&self, rules: &RuleSet) -> Vec<String> {
        self.waivers
            .iter()
            .filter(|w| !rules.rules().iter().any(|r| rule_match(&w.rule, &r.meta.id)))
            .map(|w| {
                format!(
                    "{}:{}: waiver for unknown rule {} (`plumb rules list` shows the ids); it waives nothing",
                    self.file, w.line, w.rule
                )
            })
            .collect()
    }

    /// Mark the findings that a waiver current on `today` matches as waived; returns the
    /// expired waivers (sorted), each with the number of findings it would have matched.
    pub fn apply(&self, findings: &mut [Finding], today: Date) -> Vec<ExpiredWaiver> {
        let mut expired = Vec::new();
        for w in &self.waivers {
            let current = w.is_current(today);
            let mut matches = 0;
            for f in findings.iter_mut().filter(|f| w.matches(f)) {
                matches += 1;
                if current {
                    f.waived = true;
                }
            }
            if !current {
                expired.push(ExpiredWaiver {
                    rule: w.rule.clone(),
                    address: w.address.clone(),
                    expires: w.expires,
                    approved_by: w.approved_by.clone(),
                    reason: w.reason.clone(),
                    matches,
                });
            }
        }
        expired.sort();
        expired
    }
}

impl Waiver {
    /// Current through its `expires` day; expired from the next day on.
    pub fn is_current(&self, today: Date) -> bool {
        today <= self.expires
    }

    /// The rule glob matches the id (case-insensitively) and the address glob the address.
    /// The address `aws-default` matches every finding on a resource AWS created itself (the
    /// default VPC, its subnets and security group, in every region).
    pub fn matches(&self, f: &Finding) -> bool {
        if !rule_match(&self.rule, &f.rule_id) {
            return false;
        }
        if self.address == AWS_DEFAULT {
            return f.aws_default;
        }
        match &f.address {
            Some(a) => glob_match(&self.address, a),
            None => glob_match(&self.address, &format!("{} {}", f.rtype, f.id)),
        }
    }
}

/// The waiver address naming every resource AWS created itself.
pub const AWS_DEFAULT: &str = "aws-default";

/// A rule id or glob (`HS-S3-*`) against an id, ignoring case.
fn rule_match(pattern: &str, id: &str) -> bool {
    glob_match(&pattern.to_ascii_uppercase(), &id.to_ascii_uppercase())
}

#[cfg(test)]
mod tests {
    use time::macros::date;

    use super::*;
    use crate::rules::{Controls, Severity, View};

    fn finding(rule: &str, address: Option<&str>) -> Finding {
        Finding {
            account: None,
            rule_id: rule.into(),
            severity: Severity::High,
            view: View::Live,
            address: address.map(str::to_string),
            rtype: "aws_s3_bucket".into(),
            id: "clinic-scratch-by-hand".into(),
            file: None,
            line: None,
            message: "m".into(),
            waived: false,
            controls: Controls::default(),
            aws_default: false,
        }
    }

    fn waiver(rule: &str, address: &str, expires: Date) -> Waiver {
        Waiver {
            rule: rule.into(),
            address: address.into(),
            reason: "r".into(),
            approved_by: "a".into(),
            expires,
            line: 1,
        }
    }

    #[test]
    fn glob_treats_brackets_and_dots_literally() {
        let a = "module.phi_bucket[\"records\"].aws_s3_bucket_public_access_block.this";
        assert!(glob_match(a, a));
        assert!(glob_match("module.phi_bucket[\"records\"].*", a));
        assert!(glob_match("module.phi_bucket[*].aws_s3_bucket_public_access_block.this", a));
        assert!(glob_match("*", a));
        assert!(glob_match("*.this", a));
        assert!(!glob_match("module.phi_bucket[\"imaging\"].*", a));
        assert!(!glob_match("module.phi_bucket[r*", a));
        assert!(glob_match("aws_db_instance.record?", "aws_db_instance.records"));
        assert!(!glob_match("aws_db_instance.record?", "aws_db_instance.record"));
        assert!(glob_match("a*b*c", "aXXbYYbZc"));
        assert!(!glob_match("a*b*c", "aXXbYYbZ"));
        assert!(glob_match("", ""));
        assert!(!glob_match("", "x"));
    }

    #[test]
    fn matching_needs_the_rule_and_the_address() {
        let w = waiver("hs-s3-004", "aws_s3_bucket.*", date!(2026 - 12 - 31));
        assert!(w.matches(&finding("HS-S3-004", Some("aws_s3_bucket.logs[0]"))));
        assert!(!w.matches(&finding("HS-S3-001", Some("aws_s3_bucket.logs[0]"))));
        let all_s3 = waiver("HS-S3-*", "*", date!(2026 - 12 - 31));
        assert!(all_s3.matches(&finding("HS-S3-001", None)) && !all_s3.matches(&finding("HS-RDS-004", None)));
        assert!(!w.matches(&finding("HS-S3-004", Some("aws_s3_bucket_versioning.logs"))));
        // Unmanaged: `TYPE ID`.
        assert!(!w.matches(&finding("HS-S3-004", None)));
        let u = waiver("HS-S3-004", "aws_s3_bucket clinic-scratch-*", date!(2026 - 12 - 31));
        assert!(u.matches(&finding("HS-S3-004", None)));
        assert!(!u.matches(&finding("HS-S3-004", Some("aws_s3_bucket.x"))));
    }

    #[test]
    fn expiry_is_inclusive_of_the_last_day() {
        let w = waiver("HS-S3-004", "*", date!(2026 - 11 - 22));
        assert!(w.is_current(date!(2026 - 11 - 21)));
        assert!(w.is_current(date!(2026 - 11 - 22)));
        assert!(!w.is_current(date!(2026 - 11 - 23)));
    }

    #[test]
    fn apply_waives_current_and_reports_expired() {
        let ws = Waivers {
            file: "w.yaml".into(),
            waivers: vec![
                waiver("HS-S3-004", "aws_s3_bucket.a", date!(2026 - 11 - 22)),
                waiver("HS-S3-001", "aws_s3_bucket.*", date!(2026 - 11 - 21)),
            ],
        };
        let mut fs = vec![
            finding("HS-S3-001", Some("aws_s3_bucket.a")),
            finding("HS-S3-001", Some("aws_s3_bucket.b")),
            finding("HS-S3-004", Some("aws_s3_bucket.a")),
            finding("HS-S3-004", Some("aws_s3_bucket.b")),
        ];
        let expired = ws.apply(&mut fs, date!(2026 - 11 - 22));
        let waived: Vec<bool> = fs.iter().map(|f| f.waived).collect();
        assert_eq!(waived, [false, false, true, false]);
        assert_eq!(expired.len(), 1);
        assert_eq!((expired[0].rule.as_str(), expired[0].matches), ("HS-S3-001", 2));
    }

    const GOOD: &str = "\
# Accepted exceptions, reviewed quarterly.
- rule: HS-S3-004
  address: module.phi_bucket[\"public\"].*
  reason: Public website assets; no ePHI.
  approved_by: Dana Reyes (CISO)
  expires: 2026-12-31

- rule: HS-NOPE-001
  address: \"*\"
  reason: typo
  approved_by: someone
  expires: 2027-01-01
";

    #[test]
    fn parses_entries_with_their_lines() {
        let w = Waivers::parse("waivers.yaml", GOOD).unwrap();
        assert_eq!(w.waivers.len(), 2);
        assert_eq!(w.waivers[0].address, "module.phi_bucket[\"public\"].*");
        assert_eq!(w.waivers[0].expires, date!(2026 - 12 - 31));
        assert_eq!((w.waivers[0].line, w.waivers[1].line), (2, 8));
        let warnings = w.unknown_rules(&RuleSet::baseline());
        assert_eq!(warnings.len(), 1, "{warnings:?}");
        assert!(warnings[0].starts_with("waivers.yaml:8: waiver for unknown rule HS-NOPE-001"), "{warnings:?}");
        assert_eq!(Waivers::parse("empty.yaml", "\n# nothing yet\n").unwrap().waivers, vec![]);
    }

    /// The diagnostic as a user sees it (no colour, no unicode), for snapshots.
    fn render(e: WaiverError) -> String {
        let mut out = String::new();
        miette::GraphicalReportHandler::new_themed(miette::GraphicalTheme::unicode_nocolor())
            .with_width(100)
            .render_report(&mut out, &e)
            .unwrap();
        out
    }

    #[test]
    fn bad_date_points_at_the_entry() {
        let text = GOOD.replace("expires: 2026-12-31", "expires: 31/12/2026");
        let e = Waivers::parse("waivers.yaml", &text).unwrap_err();
        assert!(e.message.contains("line 6"), "{}", e.message);
        insta::assert_snapshot!(render(e));
    }

    #[test]
    fn missing_field_and_unknown_key_are_named() {
        let text = GOOD.replace("  approved_by: Dana Reyes (CISO)\n", "");
        let e = Waivers::parse("waivers.yaml", &text).unwrap_err();
        assert!(e.message.contains("approved_by"), "{}", e.message);
        insta::assert_snapshot!(render(e));
        let text = GOOD.replace("  reason: typo\n", "  reason: typo\n  owner: me\n");
        let e = Waivers::parse("waivers.yaml", &text).unwrap_err();
        assert!(e.message.contains("owner"), "{}", e.message);
        assert!(e.message.contains("line 11"), "{}", e.message);
    }

    #[test]
    fn not_a_list_is_an_error_not_a_panic() {
        let e = Waivers::parse("waivers.yaml", "rule: HS-S3-004\n").unwrap_err();
        insta::assert_snapshot!(render(e));
        let e = Waivers::parse("waivers.yaml", "- rule: [unclosed\n").unwrap_err();
        assert!(e.message.contains("line"), "{}", e.message);
    }
}

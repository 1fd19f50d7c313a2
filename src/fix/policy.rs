//! The default choice per item when the command line does not make it: a YAML policy file
//! (`--policy FILE`), or the built-in one (adopt tags and descriptions, revert everything
//! else, import what was made by hand, recreate what is missing). A value a hardening rule
//! has a finding on is reverted whatever the policy says, and adopted only on an explicit
//! `--adopt` with `--force`.
//!
//! ```yaml
//! default: revert            # adopt | revert: a changed attribute no rule matches
//! rules:                     # first match wins
//!   - paths: [tags, description, "*.description"]
//!     action: adopt
//!   - address: "aws_autoscaling_group.*"   # glob over addresses (optional)
//!     paths: [desired_capacity]
//!     action: adopt
//! unmanaged: adopt           # adopt: import it into the code; revert: delete it by hand
//! missing: revert            # revert: the next apply recreates it; adopt: remove it from the code
//! ```

use std::path::Path;

use miette::{Diagnostic, NamedSource, SourceSpan};
use serde::Deserialize;
use thiserror::Error;

use crate::model::glob_match;

/// Keep the out-of-band value (adopt) or the code's (revert).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize, serde::Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Action {
    Adopt,
    Revert,
}

impl Action {
    pub fn as_str(self) -> &'static str {
        match self {
            Action::Adopt => "adopt",
            Action::Revert => "revert",
        }
    }
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct PolicyRule {
    /// Glob over addresses; absent: every address.
    #[serde(default)]
    pub address: Option<String>,
    /// Attribute paths (globs); a path covers what is below it (`tags` covers `tags.Owner`).
    #[serde(default)]
    pub paths: Vec<String>,
    pub action: Action,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Policy {
    #[serde(default = "revert")]
    pub default: Action,
    #[serde(default)]
    pub rules: Vec<PolicyRule>,
    #[serde(default = "adopt")]
    pub unmanaged: Action,
    #[serde(default = "revert")]
    pub missing: Action,
    /// Where it came from, for the summary (`built-in` or the file).
    #[serde(skip)]
    pub source: String,
}

fn revert() -> Action {
    Action::Revert
}
fn adopt() -> Action {
    Action::Adopt
}

impl Default for Policy {
    fn default() -> Self {
        Policy {
            default: Action::Revert,
            rules: vec![PolicyRule {
                address: None,
                paths: vec!["tags".into(), "description".into(), "*.description".into()],
                action: Action::Adopt,
            }],
            unmanaged: Action::Adopt,
            missing: Action::Revert,
            source: "built-in policy".into(),
        }
    }
}

/// A policy file that cannot be used, with the place in it.
#[derive(Debug, Error, Diagnostic)]
#[error("{file}: {message}")]
#[diagnostic(code(plumb::fix::policy))]
pub struct PolicyError {
    pub file: String,
    pub message: String,
    #[source_code]
    pub src: NamedSource<String>,
    #[label("here")]
    pub at: Option<SourceSpan>,
}

impl Policy {
    pub fn load(path: &Path) -> Result<Policy, PolicyError> {
        let file = path.display().to_string();
        let text = std::fs::read_to_string(path).map_err(|e| PolicyError {
            file: file.clone(),
            message: format!("cannot read: {e}"),
            src: NamedSource::new(file.clone(), String::new()),
            at: None,
        })?;
        Self::parse(&file, &text)
    }

    pub fn parse(file: &str, text: &str) -> Result<Policy, PolicyError> {
        let mut p: Policy = yaml_serde::from_str(text).map_err(|e| {
            let at = e.location().map(|l| SourceSpan::from((l.index(), 1)));
            PolicyError {
                file: file.to_string(),
                message: format!("not a fix policy: {e}"),
                src: NamedSource::new(file.to_string(), text.to_string()),
                at,
            }
        })?;
        p.source = file.to_string();
        Ok(p)
    }

    /// The policy's action for a changed attribute, and why.
    pub fn change(&self, address: &str, path: &str) -> (Action, String) {
        for (i, r) in self.rules.iter().enumerate() {
            let address_ok = r.address.as_deref().is_none_or(|a| glob_match(a, address));
            if address_ok && (r.paths.is_empty() || r.paths.iter().any(|p| path_covers(p, path))) {
                let what = if r.paths.is_empty() { "*".to_string() } else { r.paths.join(", ") };
                return (r.action, format!("{} rule {} ({what})", self.source, i + 1));
            }
        }
        (self.default, format!("{} default", self.source))
    }
}

/// A path pattern covers a path when the glob matches it or a path above it.
pub fn path_covers(pattern: &str, path: &str) -> bool {
    if glob_match(pattern, path) {
        return true;
    }
    let mut cut = path.len();
    while let Some(i) = path[..cut].rfind(['.', '[']) {
        if glob_match(pattern, &path[..i]) {
            return true;
        }
        cut = i;
    }
    false
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn built_in_adopts_tags_and_descriptions_only() {
        let p = Policy::default();
        assert_eq!(p.change("aws_vpc.main", "tags.Owner").0, Action::Adopt);
        assert_eq!(p.change("aws_kms_key.k", "description").0, Action::Adopt);
        assert_eq!(p.change("aws_x.y", "rule[0].description").0, Action::Adopt);
        assert_eq!(p.change("aws_vpc.main", "enable_dns_hostnames").0, Action::Revert);
        assert_eq!(p.unmanaged, Action::Adopt);
        assert_eq!(p.missing, Action::Revert);
    }

    #[test]
    fn file_rules_first_match_wins_and_errors_point_at_the_line() {
        let p = Policy::parse(
            "p.yaml",
            "default: adopt\nrules:\n  - address: \"aws_asg.*\"\n    paths: [desired_capacity]\n    action: revert\nmissing: adopt\n",
        )
        .unwrap();
        assert_eq!(p.change("aws_asg.web", "desired_capacity").0, Action::Revert);
        assert_eq!(p.change("aws_asg.web", "max_size").0, Action::Adopt);
        assert_eq!(p.missing, Action::Adopt);
        let e = Policy::parse("p.yaml", "default: maybe\n").unwrap_err();
        assert!(e.message.contains("maybe") || e.message.contains("variant"), "{}", e.message);
        assert!(e.at.is_some());
    }
}

//! A rule's metadata: the OPA `# METADATA` comment block at the top of its Rego file,
//! parsed here because regorus does not expose annotations.
//!
//! ```rego
//! # METADATA
//! # title: S3 bucket default encryption is not SSE-KMS
//! # description: ...
//! # custom:
//! #   id: HS-S3-001
//! #   severity: high
//! #   resource_types: [s3_bucket]
//! #   controls: {hipaa: [...], soc2: [PI1.4], gdpr: [Art. 32]}
//! #   rationale: ...
//! #   remediation: ...
//! #   examples: {fail: <HCL>, pass: <HCL>}
//! #   live_only: true                 # optional: judged on the live view only
//! package plumb.rules.hs_s3_001
//! ```
//!
//! The block is the run of comment lines starting at `# METADATA`; each line loses its `#`
//! and one following space, and the rest is YAML (as in OPA).

use serde::{Deserialize, Serialize};

/// How bad a finding is. Ordered: `Low < Medium < High < Critical`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Severity {
    Low,
    Medium,
    High,
    Critical,
}

impl Severity {
    pub fn as_str(self) -> &'static str {
        match self {
            Severity::Low => "low",
            Severity::Medium => "medium",
            Severity::High => "high",
            Severity::Critical => "critical",
        }
    }
}

impl std::fmt::Display for Severity {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.as_str())
    }
}

/// Controls per compliance framework, as the baseline table maps them. An empty list means
/// "no source maps this rule to that framework", never a guess.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Controls {
    pub hipaa: Vec<String>,
    pub soc2: Vec<String>,
    pub gdpr: Vec<String>,
}

impl Controls {
    /// `(framework key, display name, controls)` in a fixed order.
    pub fn frameworks(&self) -> [(&'static str, &'static str, &[String]); 3] {
        [("hipaa", "HIPAA", &self.hipaa), ("soc2", "SOC 2", &self.soc2), ("gdpr", "GDPR", &self.gdpr)]
    }
}

/// A failing and a passing Terraform example (HCL). Both are documentation and test input.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Examples {
    pub fail: String,
    pub pass: String,
}

/// Everything a rule declares about itself.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct RuleMeta {
    pub id: String,
    pub title: String,
    pub description: String,
    pub severity: Severity,
    /// View types (see [`crate::aws::view::kinds`]) the rule is given.
    pub resource_types: Vec<String>,
    pub controls: Controls,
    pub rationale: String,
    pub remediation: String,
    pub examples: Examples,
    /// Judged on the live view only: what it reads has no Terraform expression (the
    /// credential report's MFA). Its examples are then the resources as the live read sees
    /// them, and `plumb check` does not evaluate it.
    pub live_only: bool,
    /// The machine-applicable remediation `plumb fix --findings`, SARIF `fixes` and pull-request
    /// suggestions apply; `None` when a fix needs a decision only a person can make.
    pub fix: Option<RuleFix>,
}

/// A rule's remediation as code changes (`fix:` in the metadata; rules/README.md).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RuleFix {
    /// Attribute paths the rule reads on the resource at the finding's address: a drifted
    /// value under one of them is finding-bearing (`plumb fix` does not adopt it without
    /// `--force`). Absent: the top-level names `changes` write; `[]`: none (the rule judges
    /// other resources, such as a VPC's flow logs).
    #[serde(default)]
    pub judges: Option<Vec<String>>,
    /// The first whose `on` names the type of the resource at the finding's address applies.
    #[serde(default)]
    pub changes: Vec<FixChange>,
}

impl RuleFix {
    /// What the rule judges: `judges`, else what its changes write.
    pub fn judged_paths(&self) -> Vec<String> {
        if let Some(j) = &self.judges {
            return j.clone();
        }
        let mut out: Vec<String> = self
            .changes
            .iter()
            .flat_map(|c| c.set.keys().chain(c.update.keys()).cloned().chain(c.remove.iter().cloned()))
            .collect();
        out.sort();
        out.dedup();
        out
    }
}

/// One way to fix: attributes to set and names to remove on the finding's resource, or a
/// split resource to add next to it.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct FixChange {
    /// Terraform types of the resource at the finding's address; empty: any.
    #[serde(default, deserialize_with = "one_or_many")]
    pub on: Vec<String>,
    /// Attributes to write (a map value for a nested block merges into every such block, or
    /// adds one); values are literals.
    #[serde(default)]
    pub set: serde_json::Map<String, serde_json::Value>,
    /// Like `set`, but nested blocks are only merged into the blocks the code has (every
    /// `ebs_block_device`), never added.
    #[serde(default)]
    pub update: serde_json::Map<String, serde_json::Value>,
    /// Attributes or nested blocks to delete.
    #[serde(default)]
    pub remove: Vec<String>,
    /// A resource to add after the finding's resource (its owner): `set` values starting
    /// with `$owner.` are references to the owner (`$owner.id`).
    #[serde(default)]
    pub add: Option<FixAdd>,
}

#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct FixAdd {
    #[serde(rename = "type")]
    pub rtype: String,
    #[serde(default)]
    pub set: serde_json::Map<String, serde_json::Value>,
}

fn one_or_many<'de, D: serde::Deserializer<'de>>(d: D) -> Result<Vec<String>, D::Error> {
    #[derive(Deserialize)]
    #[serde(untagged)]
    enum OneOrMany {
        One(String),
        Many(Vec<String>),
    }
    Ok(match OneOrMany::deserialize(d)? {
        OneOrMany::One(s) => vec![s],
        OneOrMany::Many(v) => v,
    })
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct Annotation {
    #[serde(default)]
    scope: Option<String>,
    title: String,
    description: String,
    custom: Custom,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct Custom {
    id: String,
    severity: Severity,
    resource_types: Vec<String>,
    controls: Controls,
    rationale: String,
    remediation: String,
    examples: Examples,
    #[serde(default)]
    live_only: bool,
    #[serde(default)]
    fix: Option<RuleFix>,
}

/// Why a rule file's metadata was rejected.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum MetadataError {
    #[error("no `# METADATA` comment block")]
    Missing,
    #[error("METADATA is not valid YAML for a rule: {0}")]
    Yaml(String),
    #[error("METADATA: {0}")]
    Invalid(String),
}

/// The YAML text of the first `# METADATA` block, or `None` when there is none.
pub fn metadata_yaml(rego: &str) -> Option<String> {
    let mut lines = rego.lines().skip_while(|l| l.trim() != "# METADATA");
    lines.next()?;
    let mut yaml = String::new();
    for line in lines {
        let Some(rest) = line.trim_start().strip_prefix('#') else { break };
        yaml.push_str(rest.strip_prefix(' ').unwrap_or(rest));
        yaml.push('\n');
    }
    Some(yaml)
}

/// Parse and check the metadata of one rule file.
pub fn parse(rego: &str) -> Result<RuleMeta, MetadataError> {
    let yaml = metadata_yaml(rego).ok_or(MetadataError::Missing)?;
    let a: Annotation = yaml_serde::from_str(&yaml).map_err(|e| MetadataError::Yaml(e.to_string()))?;
    if let Some(scope) = a.scope.as_deref().filter(|s| *s != "package") {
        return Err(MetadataError::Invalid(format!("scope must be `package`, not `{scope}`")));
    }
    let c = a.custom;
    let meta = RuleMeta {
        id: c.id,
        title: a.title.trim().to_string(),
        description: a.description.trim().to_string(),
        severity: c.severity,
        resource_types: c.resource_types,
        controls: c.controls,
        rationale: c.rationale.trim().to_string(),
        remediation: c.remediation.trim().to_string(),
        examples: Examples {
            fail: c.examples.fail.trim_end().to_string() + "\n",
            pass: c.examples.pass.trim_end().to_string() + "\n",
        },
        live_only: c.live_only,
        fix: c.fix,
    };
    validate(&meta)?;
    Ok(meta)
}

fn validate(m: &RuleMeta) -> Result<(), MetadataError> {
    let bad = |msg: String| Err(MetadataError::Invalid(msg));
    if m.id.is_empty() || !m.id.chars().all(|c| c.is_ascii_alphanumeric() || c == '-' || c == '_') {
        return bad(format!("id `{}` must be letters, digits, `-` and `_`", m.id));
    }
    for (what, text) in [
        ("title", &m.title),
        ("description", &m.description),
        ("rationale", &m.rationale),
        ("remediation", &m.remediation),
    ] {
        if text.trim().is_empty() {
            return bad(format!("{what} is empty"));
        }
    }
    if m.examples.fail.trim().is_empty() || m.examples.pass.trim().is_empty() {
        return bad("examples need both `fail` and `pass`".into());
    }
    if m.resource_types.is_empty() {
        return bad("resource_types is empty".into());
    }
    for c in m.fix.iter().flat_map(|f| &f.changes) {
        let ways = usize::from(!c.set.is_empty() || !c.update.is_empty() || !c.remove.is_empty())
            + usize::from(c.add.is_some());
        if ways != 1 {
            return bad("each fix change either sets/removes attributes or adds a resource".into());
        }
        for t in c.on.iter().chain(c.add.iter().map(|a| &a.rtype)) {
            if !t.starts_with("aws_") {
                return bad(format!("fix: `{t}` is not a Terraform type"));
            }
        }
    }
    for t in &m.resource_types {
        if !crate::aws::view::kinds().iter().any(|(v, _)| v == t) {
            let known: Vec<&str> = crate::aws::view::kinds().iter().map(|(v, _)| *v).collect();
            return bad(format!("unknown resource type `{t}` (view types: {})", known.join(", ")));
        }
    }
    Ok(())
}

/// The Rego package a rule must declare: `plumb.rules.` and its id in lower case with `_`.
pub fn package_for(id: &str) -> String {
    format!("plumb.rules.{}", id.to_ascii_lowercase().replace('-', "_"))
}

/// The package a Rego file declares (its first `package` line).
pub fn declared_package(rego: &str) -> Option<&str> {
    rego.lines().map(str::trim).find_map(|l| l.strip_prefix("package ")).map(str::trim)
}

#[cfg(test)]
mod tests {
    use super::*;

    const RULE: &str = r#"# METADATA
# title: Example
# description: An example rule.
# custom:
#   id: X-TEST-001
#   severity: medium
#   resource_types: [s3_bucket]
#   controls:
#     hipaa: ["164.312(b)"]
#     soc2: []
#     gdpr: [Art. 32]
#   rationale: Because.
#   remediation: Fix it.
#   examples:
#     fail: |
#       resource "aws_s3_bucket" "x" {
#
#         bucket = "x"
#       }
#     pass: |
#       resource "aws_s3_bucket" "y" {}
package plumb.rules.x_test_001
"#;

    #[test]
    fn parses_the_comment_block() {
        let m = parse(RULE).unwrap();
        assert_eq!(m.id, "X-TEST-001");
        assert_eq!(m.severity, Severity::Medium);
        assert_eq!(m.controls.hipaa, vec!["164.312(b)"]);
        assert_eq!(m.controls.gdpr, vec!["Art. 32"]);
        assert!(m.controls.soc2.is_empty());
        assert_eq!(m.examples.fail, "resource \"aws_s3_bucket\" \"x\" {\n\n  bucket = \"x\"\n}\n");
        assert_eq!(declared_package(RULE), Some("plumb.rules.x_test_001"));
        assert_eq!(package_for(&m.id), "plumb.rules.x_test_001");
    }

    #[test]
    fn rejects_bad_metadata() {
        assert_eq!(parse("package x\n"), Err(MetadataError::Missing));
        let unknown_type = RULE.replace("[s3_bucket]", "[aws_s3_bucket]");
        assert!(matches!(parse(&unknown_type), Err(MetadataError::Invalid(m)) if m.contains("unknown resource type")));
        let bad_sev = RULE.replace("severity: medium", "severity: urgent");
        assert!(matches!(parse(&bad_sev), Err(MetadataError::Yaml(_))));
        let extra_framework = RULE.replace("    gdpr: [Art. 32]", "    gdpr: [Art. 32]\n#     pci: [1.1]");
        assert!(matches!(parse(&extra_framework), Err(MetadataError::Yaml(_))));
    }
}

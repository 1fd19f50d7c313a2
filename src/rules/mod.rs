//! Hardening rules: Rego policies (evaluated by regorus) over joined views.
//!
//! ```text
//! resources of one view ──views::build──▶ joined views ──engine (one Rego rule each,
//! (config | state | live)                 (s3_bucket, ...)  in parallel)──▶ findings
//! ```
//!
//! A rule is one file, `rules/<service>/<ID>.rego`: an OPA `# METADATA` block (id, title,
//! severity, view types, controls per framework, rationale, remediation, HCL examples) and
//! a package `plumb.rules.<id>` whose set rule `deny` yields
//! `{"id": view id, "address": address or null, "message": "..."}` objects. The baseline
//! rules are embedded in the binary ([`RuleSet::baseline`]); users add theirs with
//! `--rules DIR` ([`RuleSet::load_dir`]). `rules/README.md` is the authors' guide.

pub use crate::aws::view as views;

pub mod baseline;
pub mod cli;
pub mod docs;
pub mod engine;
pub mod metadata;
pub mod policy;
pub mod scan;
pub mod waivers;

use serde::{Deserialize, Serialize};

pub use engine::{EvalError, Rule, RuleError, RuleSet, evaluate, evaluate_checked};
pub use metadata::{Controls, Examples, RuleMeta, Severity};

pub use crate::model::View;

/// One rule violated by one thing (design.md section 5).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Finding {
    /// The AWS account, in runs over several accounts (`--config`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub account: Option<String>,
    pub rule_id: String,
    pub severity: Severity,
    pub view: View,
    /// The resource whose block expresses the failing setting, else the owning resource;
    /// `None` for unmanaged live resources.
    pub address: Option<String>,
    /// Terraform type of the resource at `address` (of the owning resource when `address`
    /// is `None`).
    #[serde(rename = "type")]
    pub rtype: String,
    /// The view's id (the owning resource's import id).
    pub id: String,
    pub file: Option<String>,
    pub line: Option<u32>,
    pub message: String,
    pub waived: bool,
    pub controls: Controls,
    /// On a resource AWS created itself (a default VPC, its subnets and security group):
    /// reported in its own group, waivable in one entry (`address: aws-default`).
    #[serde(default)]
    pub aws_default: bool,
}

/// Findings as text, one per line, in their order (for terminals and snapshots).
pub fn render_text(findings: &[Finding]) -> String {
    let mut out = String::new();
    for f in findings {
        let at = f.address.clone().unwrap_or_else(|| format!("{} {} (unmanaged)", f.rtype, f.id));
        let waived = if f.waived { " (waived)" } else { "" };
        out.push_str(&format!(
            "{:<8} {:<11} {:<6} {at}: {}{waived}\n",
            f.severity,
            f.rule_id,
            f.view.as_str(),
            f.message
        ));
    }
    out
}

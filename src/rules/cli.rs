//! `plumb rules`: list the rules, show one, and (hidden) generate `docs/rules/`.

use std::path::PathBuf;

use anyhow::{Context, anyhow};
use clap::{Args, Subcommand};
use serde::Serialize;

use super::engine::{Rule, RuleSet};
use super::{Controls, Severity};
use crate::report::Format;

#[derive(Debug, Args)]
pub struct RulesArgs {
    #[command(subcommand)]
    pub action: Option<RulesAction>,
    /// Output format.
    #[arg(long, value_enum, default_value = "text", global = true)]
    pub format: Format,
    /// Also load the rules under this directory (`*.rego` files with `# METADATA`; see
    /// rules/README.md).
    #[arg(long = "rules", value_name = "DIR", global = true)]
    pub rules_dir: Option<PathBuf>,
}

#[derive(Debug, Subcommand)]
pub enum RulesAction {
    /// List the rules (the default).
    List,
    /// Show one rule: metadata, rationale, remediation and examples.
    Show {
        /// Rule id, e.g. HS-S3-001.
        id: String,
    },
    /// Write docs/rules/ from the rules' metadata (`make rules-docs`).
    #[command(hide = true)]
    GenerateDocs {
        /// Directory to write, e.g. docs/rules.
        dir: PathBuf,
    },
}

#[derive(Serialize)]
struct ListItem<'a> {
    id: &'a str,
    title: &'a str,
    severity: Severity,
    resource_types: &'a [String],
    controls: &'a Controls,
}

/// Run `plumb rules`; the result is the exit code.
pub fn run(args: RulesArgs) -> anyhow::Result<u8> {
    let mut rules = RuleSet::baseline();
    if let Some(dir) = &args.rules_dir {
        let user = RuleSet::load_dir(dir).with_context(|| format!("loading rules from {}", dir.display()))?;
        rules = rules.merge(user)?;
    }
    let out = match args.action.unwrap_or(RulesAction::List) {
        RulesAction::List => match args.format {
            Format::Json => json(&rules.rules().iter().map(item).collect::<Vec<_>>()),
            Format::Text => table(&rules),
        },
        RulesAction::Show { id } => {
            let rule =
                rules.get(&id).ok_or_else(|| anyhow!("no rule {id:?}: `plumb rules list` shows the rule ids"))?;
            match args.format {
                Format::Json => json(&serde_json::json!({
                    "id": rule.meta.id, "title": rule.meta.title, "description": rule.meta.description,
                    "severity": rule.meta.severity, "resource_types": rule.meta.resource_types,
                    "controls": rule.meta.controls, "rationale": rule.meta.rationale,
                    "remediation": rule.meta.remediation, "examples": rule.meta.examples,
                    "source": rule.path,
                })),
                Format::Text => show(rule),
            }
        }
        RulesAction::GenerateDocs { dir } => {
            super::docs::write(&RuleSet::baseline(), &dir).with_context(|| format!("writing {}", dir.display()))?;
            eprintln!("plumb: wrote {} rule pages to {}", RuleSet::baseline().len(), dir.display());
            return Ok(0);
        }
    };
    print(&out)?;
    Ok(0)
}

fn item(r: &Rule) -> ListItem<'_> {
    ListItem {
        id: &r.meta.id,
        title: &r.meta.title,
        severity: r.meta.severity,
        resource_types: &r.meta.resource_types,
        controls: &r.meta.controls,
    }
}

fn json<T: Serialize>(v: &T) -> String {
    serde_json::to_string_pretty(v).expect("rules serialise") + "\n"
}

/// The list as an aligned table.
pub fn table(rules: &RuleSet) -> String {
    let rows: Vec<[String; 5]> = rules
        .rules()
        .iter()
        .map(|r| {
            let m = &r.meta;
            let fw: Vec<&str> =
                m.controls.frameworks().iter().filter(|(.., c)| !c.is_empty()).map(|(k, ..)| *k).collect();
            [m.id.clone(), m.severity.to_string(), m.resource_types.join(","), fw.join(","), m.title.clone()]
        })
        .collect();
    let head = ["ID", "SEVERITY", "RESOURCE TYPES", "FRAMEWORKS", "TITLE"].map(String::from);
    let mut widths = [0usize; 5];
    for row in std::iter::once(&head).chain(&rows) {
        for (w, c) in widths.iter_mut().zip(row) {
            *w = (*w).max(c.len());
        }
    }
    let mut s = String::new();
    for row in std::iter::once(&head).chain(&rows) {
        let line: Vec<String> = row
            .iter()
            .zip(widths)
            .enumerate()
            .map(|(i, (c, w))| if i == 4 { c.clone() } else { format!("{c:<w$}") })
            .collect();
        s.push_str(line.join("  ").trim_end());
        s.push('\n');
    }
    s
}

/// One rule, for a terminal.
pub fn show(r: &Rule) -> String {
    let m = &r.meta;
    let mut s = format!("{}: {}\n\n", m.id, m.title);
    s.push_str(&format!("severity        {}\n", m.severity));
    s.push_str(&format!("resource types  {}\n", m.resource_types.join(", ")));
    for (_, name, c) in m.controls.frameworks() {
        let c = if c.is_empty() { "none mapped".to_string() } else { c.join(", ") };
        s.push_str(&format!("{:<16}{}\n", name, c));
    }
    s.push_str(&format!("source          {}\n\n", r.path));
    s.push_str(&format!("{}\n\nRationale\n  {}\n\nRemediation\n  {}\n", m.description, m.rationale, m.remediation));
    let indent = |t: &str| {
        t.lines().map(|l| if l.is_empty() { String::new() } else { format!("  {l}") }).collect::<Vec<_>>().join("\n")
    };
    s.push_str(&format!(
        "\nFailing example\n{}\n\nPassing example\n{}\n",
        indent(&m.examples.fail),
        indent(&m.examples.pass)
    ));
    s
}

fn print(text: &str) -> anyhow::Result<()> {
    use std::io::Write;
    let mut out = std::io::stdout().lock();
    match out.write_all(text.as_bytes()) {
        Err(e) if e.kind() == std::io::ErrorKind::BrokenPipe => Ok(()),
        r => r.context("writing to standard output"),
    }
}

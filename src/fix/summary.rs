//! What `plumb fix` did and did not patch, item by item, with why each choice was made,
//! where the code changed, and who made the change it resolves (from the scan's CloudTrail
//! attribution). The reviewer reads it next to the diff; nothing of it goes into the code.

use std::fmt::Write;

use serde::Serialize;

use super::input::AttributionIn;
use super::policy::Action;
use crate::model::Value;

/// How an item ended.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Outcome {
    /// The code was changed (see `places`).
    Patched,
    /// No code change: a command restores it (see `commands`).
    Command,
    /// Left as it is: see `reason` (and `place`, where to look).
    NotPatched,
}

#[derive(Debug, Clone, Serialize)]
pub struct ItemReport {
    /// `address.path`, `address`, or `type:id` for unmanaged resources.
    pub item: String,
    pub status: &'static str,
    pub address: Option<String>,
    #[serde(rename = "type")]
    pub rtype: String,
    pub id: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub path: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub state: Option<Value>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub live: Option<Value>,
    pub action: Option<Action>,
    /// What decided the action.
    pub chosen_by: String,
    pub outcome: Outcome,
    /// `file:line` of each change in the code.
    pub places: Vec<String>,
    /// Indexes into `commands`.
    pub commands: Vec<usize>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub reason: Option<String>,
    /// Where a person should change the code by hand.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub place: Option<String>,
    pub notes: Vec<String>,
    pub findings: Vec<String>,
    /// Who made the change (most likely cause first), when the scan read CloudTrail.
    pub attribution: Vec<AttributionIn>,
}

#[derive(Debug, Clone, Default, Serialize)]
pub struct Counts {
    pub items: usize,
    pub patched: usize,
    pub by_command: usize,
    pub not_patched: usize,
}

#[derive(Debug, Clone, Serialize)]
pub struct Summary {
    pub schema_version: u32,
    /// The scan read everything (else some resources were not judged at all).
    pub complete: bool,
    pub counts: Counts,
    pub items: Vec<ItemReport>,
    /// Commands to run, in order (Terraform first).
    pub commands: Vec<String>,
    /// What reverting each targeted address does (`address: update in place`).
    pub risks: Vec<String>,
    /// Files the patch changes or creates.
    pub files: Vec<String>,
    /// Hardening fixes (`--findings`).
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub findings: Vec<FindingReport>,
}

/// A hardening finding and its code fix.
#[derive(Debug, Clone, Serialize)]
pub struct FindingReport {
    pub rule_id: String,
    pub address: Option<String>,
    pub message: String,
    pub outcome: Outcome,
    pub places: Vec<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub reason: Option<String>,
    pub notes: Vec<String>,
}

impl Summary {
    pub fn count(&mut self) {
        let n = |o: Outcome| {
            self.items.iter().filter(|i| i.outcome == o).count()
                + self.findings.iter().filter(|f| f.outcome == o).count()
        };
        self.counts = Counts {
            items: self.items.len() + self.findings.len(),
            patched: n(Outcome::Patched),
            by_command: n(Outcome::Command),
            not_patched: n(Outcome::NotPatched),
        };
    }

    pub fn json(&self) -> String {
        let mut s = serde_json::to_string_pretty(self).expect("summary serialises");
        s.push('\n');
        s
    }

    pub fn text(&self) -> String {
        let mut out = String::new();
        let c = &self.counts;
        let _ = writeln!(
            out,
            "plumb fix: {} item{}: {} patched, {} by command, {} not patched",
            c.items,
            if c.items == 1 { "" } else { "s" },
            c.patched,
            c.by_command,
            c.not_patched
        );
        if !self.complete {
            let _ = writeln!(out, "warning: the scan was incomplete: resources it could not read are not fixed here");
        }
        let section = |out: &mut String, title: &str, outcome: Outcome| {
            let items: Vec<&ItemReport> = self.items.iter().filter(|i| i.outcome == outcome).collect();
            if items.is_empty() {
                return;
            }
            let _ = writeln!(out, "\n{title}");
            for i in items {
                let action = i.action.map(|a| a.as_str()).unwrap_or("leave");
                let values = match (&i.state, &i.live) {
                    (Some(s), Some(l)) if i.path.is_some() => format!(": {} -> {}", short(s), short(l)),
                    _ => String::new(),
                };
                let _ = writeln!(out, "  {} ({}){values}", i.item, i.status);
                let _ = writeln!(out, "      {action}, by {}", i.chosen_by);
                for p in &i.places {
                    let _ = writeln!(out, "      at {p}");
                }
                for n in &i.notes {
                    let _ = writeln!(out, "      note: {n}");
                }
                if let Some(r) = &i.reason {
                    let _ = writeln!(out, "      not patched: {r}");
                }
                if let Some(p) = &i.place {
                    let _ = writeln!(out, "      change it at {p}");
                }
                for k in &i.commands {
                    if let Some(cmd) = self.commands.get(*k) {
                        let _ = writeln!(out, "      run: {cmd}");
                    }
                }
                if !i.findings.is_empty() {
                    let _ = writeln!(out, "      findings: {}", i.findings.join(", "));
                }
                if let Some(a) = i.attribution.first() {
                    let via = a.via.as_ref().map(|v| format!(" via {v}")).unwrap_or_default();
                    let _ = writeln!(
                        out,
                        "      changed by {} ({}, {} at {}{via})",
                        a.actor, a.channel, a.event_name, a.event_time
                    );
                }
            }
        };
        section(&mut out, "Patched (review the diff):", Outcome::Patched);
        section(&mut out, "Restored by command (no code change):", Outcome::Command);
        section(&mut out, "Not patched:", Outcome::NotPatched);
        if !self.findings.is_empty() {
            let _ = writeln!(out, "\nHardening findings:");
            for f in &self.findings {
                let state = match f.outcome {
                    Outcome::Patched => "patched".to_string(),
                    _ => format!("not patched: {}", f.reason.clone().unwrap_or_default()),
                };
                let _ = writeln!(out, "  {} {}: {state}", f.rule_id, f.address.as_deref().unwrap_or("-"));
                for p in &f.places {
                    let _ = writeln!(out, "      at {p}");
                }
                for n in &f.notes {
                    let _ = writeln!(out, "      note: {n}");
                }
            }
        }
        if !self.commands.is_empty() {
            let _ = writeln!(out, "\nCommands (from the code directory, after reviewing the plan):");
            for c in &self.commands {
                let _ = writeln!(out, "  {c}");
            }
            for r in &self.risks {
                let _ = writeln!(out, "    {r}");
            }
        }
        if !self.files.is_empty() {
            let _ = writeln!(out, "\nFiles changed: {}", self.files.join(", "));
        }
        out
    }
}

/// A value on one line, cut to a readable length.
fn short(v: &Value) -> String {
    let s = match v {
        Value::String(s) => format!("{s:?}"),
        other => other.canonical(),
    };
    if s.chars().count() > 80 { format!("{}...", s.chars().take(77).collect::<String>()) } else { s }
}

//! The review on a terminal: each item with its values, who changed it and the policy's
//! choice; a key per item (Enter takes the suggestion). Only when standard input and error
//! are terminals and no `--adopt` / `--revert` was given: scripts and CI get the policy.

use std::io::{BufRead, Write};

use super::plan::{Decision, Item, Kind};
use super::policy::Action;

const HELP: &str =
    "[a]dopt  [r]evert  [s]kip  [A]dopt all left  [R]evert all left  [q]uit: policy for the rest  (Enter: suggestion)";

/// Ask about each item; `decisions` hold the policy's choices and are changed in place.
/// `force`: adopting a finding-bearing value is allowed.
pub fn review(
    items: &[Item],
    decisions: &mut [Decision],
    force: bool,
    input: &mut dyn BufRead,
    out: &mut dyn Write,
) -> std::io::Result<()> {
    let mut all: Option<Action> = None;
    writeln!(out, "plumb fix: {} item(s) to review. {HELP}", items.len())?;
    for (i, item) in items.iter().enumerate() {
        let d = &mut decisions[i];
        let bearing = !item.findings.is_empty() && matches!(item.kind, Kind::Change { .. });
        if let Some(a) = all {
            set(d, a, bearing, force, "review: all left");
            continue;
        }
        writeln!(out)?;
        writeln!(out, "{} ({})", item.subject(), item.status())?;
        if let Kind::Change { state, live, .. } = &item.kind {
            writeln!(out, "  code/state: {}", state.canonical())?;
            writeln!(out, "  live:       {}", live.canonical())?;
        }
        if let Some(a) = item.attribution.first() {
            writeln!(out, "  changed by {} ({}, {} at {})", a.actor, a.channel, a.event_name, a.event_time)?;
        }
        if bearing {
            writeln!(out, "  findings on this value: {}", item.findings.join(", "))?;
        }
        let suggestion = d.action.map(|a| a.as_str()).unwrap_or("leave");
        loop {
            write!(out, "  {suggestion} ({})? ", d.why)?;
            out.flush()?;
            let mut line = String::new();
            if input.read_line(&mut line)? == 0 {
                // End of input: the policy decides the rest.
                return Ok(());
            }
            let choice = match line.trim() {
                "" => break,
                "a" => Action::Adopt,
                "r" => Action::Revert,
                "A" => {
                    all = Some(Action::Adopt);
                    Action::Adopt
                }
                "R" => {
                    all = Some(Action::Revert);
                    Action::Revert
                }
                "s" => {
                    d.action = None;
                    d.refused = None;
                    d.why = "review: skipped".into();
                    break;
                }
                "q" => return Ok(()),
                _ => {
                    writeln!(out, "  {HELP}")?;
                    continue;
                }
            };
            if choice == Action::Adopt && bearing && !force {
                writeln!(
                    out,
                    "  refused: {} has a finding on this value (run with --force to adopt it)",
                    item.findings.join(", ")
                )?;
                all = None;
                continue;
            }
            set(d, choice, bearing, force, "review");
            break;
        }
    }
    Ok(())
}

fn set(d: &mut Decision, a: Action, bearing: bool, force: bool, why: &str) {
    if a == Action::Adopt && bearing && !force {
        d.action = Some(Action::Revert);
        d.why = format!("{why} (adopt refused: finding)");
    } else {
        d.action = Some(a);
        d.why = why.to_string();
    }
    d.refused = None;
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::Value;

    #[test]
    fn keys_choose_and_enter_keeps_the_suggestion() {
        let item = |path: &str, findings: &[&str]| Item {
            address: Some("aws_vpc.main".into()),
            rtype: "aws_vpc".into(),
            id: "vpc-1".into(),
            region: None,
            kind: Kind::Change {
                path: path.into(),
                state: Value::Bool(true),
                live: Value::Bool(false),
                added: None,
                removed: None,
            },
            attribution: vec![],
            findings: findings.iter().map(|s| s.to_string()).collect(),
        };
        let items = vec![item("a", &[]), item("b", &["HS-X"]), item("c", &[]), item("d", &[])];
        let d = |a| Decision { action: Some(a), why: "policy".into(), refused: None };
        let mut decisions = vec![d(Action::Revert), d(Action::Revert), d(Action::Revert), d(Action::Adopt)];
        let mut input: &[u8] = b"a\na\nr\n\nA\n";
        let mut out = Vec::new();
        review(&items, &mut decisions, false, &mut input, &mut out).unwrap();
        let out = String::from_utf8(out).unwrap();
        assert_eq!(decisions[0].action, Some(Action::Adopt));
        assert!(out.contains("refused: HS-X"), "{out}");
        assert_eq!(decisions[1].action, Some(Action::Revert));
        assert_eq!(decisions[2].action, Some(Action::Revert));
        assert_eq!(decisions[2].why, "policy");
        assert_eq!(decisions[3].action, Some(Action::Adopt));
    }
}

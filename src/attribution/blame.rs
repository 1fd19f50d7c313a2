//! `plumb blame ADDRESS|ARN`: a resource's write history from CloudTrail, newest first: who,
//! through which channel, when, and the attributes each call wrote. Terraform's own applies
//! are labelled `terraform`; denied attempts are listed as failed, never as changes.

use std::fmt::Write as _;

use serde::Serialize;

use super::{Event, Index, Subject, Window, Written, format_time, short_time};
use crate::diff::Attribution;
use crate::model::Resource;

/// The subjects whose events make up the history of `target` (an address in the states,
/// or an ARN / id / name of a state resource, or an ARN of a resource no state has). The
/// first is the resource itself.
pub fn subjects_for(target: &str, state: &[Resource]) -> Result<Vec<Subject>, String> {
    let found = state.iter().find(|r| r.address.as_deref() == Some(target)).or_else(|| {
        state.iter().find(|r| {
            let names = crate::aws::lookup(&r.rtype).map(|t| t.identity.names).unwrap_or(&[]);
            r.id == target || std::iter::once(&"arn").chain(names).any(|k| r.attr_str(k) == Some(target))
        })
    });
    let mut first = match found {
        Some(r) => {
            let region = r.region.clone().or_else(|| r.attr_str("arn").and_then(arn_region));
            let mut s = Subject::new(&r.rtype, &r.id, r.address.as_deref(), region.as_deref(), &[r]);
            s.add_aliases(&state.iter().collect::<Vec<_>>());
            s
        }
        None => {
            let (rtype, id) = crate::aws::type_of_arn(target).ok_or_else(|| {
                format!("{target}: no resource with this address, id or ARN in the given state (an ARN of an unmanaged resource works too)")
            })?;
            let mut s = Subject::new(rtype, &id, None, arn_region(target).as_deref(), &[]);
            s.own.insert(target.to_string());
            s
        }
    };
    first.own.retain(|i| !i.is_empty());
    let mut out = vec![first.clone()];
    // A resource's parts (a bucket's split settings) are named by the same identifiers.
    for t in crate::aws::parts_of(&first.rtype).into_iter().filter(|t| t.identity.parent_attr.is_none()) {
        out.push(Subject { rtype: t.name.to_string(), address: None, ..first.clone() });
    }
    Ok(out)
}

fn arn_region(arn: &str) -> Option<String> {
    arn.split(':').nth(3).filter(|r| !r.is_empty()).map(str::to_string)
}

/// Read the trail for `target` (see [`subjects_for`]) and build its history.
pub async fn run(
    target: &str,
    state: &[Resource],
    trail: &super::Trail,
    window: Window,
    aws: super::Aws<'_>,
) -> anyhow::Result<BlameReport> {
    let subjects = subjects_for(target, state).map_err(|e| anyhow::anyhow!(e))?;
    let index = std::sync::Arc::new(Index::new(subjects));
    let (events, stats) = super::collect(trail, index.clone(), window, Some(aws)).await?;
    super::log_stats(&stats, false);
    Ok(history(&index, &events, &window))
}

/// `plumb blame --format json`.
#[derive(Debug, Clone, Serialize)]
pub struct BlameReport {
    pub address: Option<String>,
    #[serde(rename = "type")]
    pub rtype: String,
    pub id: String,
    pub region: Option<String>,
    pub since: String,
    pub until: String,
    pub events: Vec<BlameEvent>,
}

#[derive(Debug, Clone, Serialize)]
pub struct BlameEvent {
    #[serde(flatten)]
    pub attribution: Attribution,
    pub role: Option<String>,
    pub account: Option<String>,
    /// `create`, `modify` or `delete`.
    pub effect: &'static str,
    /// `succeeded`, or `failed` (the call was denied or errored: nothing changed).
    pub status: &'static str,
    pub error_code: Option<String>,
    /// The resource type the call acted on, when it is one of the resource's split parts
    /// (a bucket's versioning, encryption...).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub part: Option<String>,
    /// What the call wrote (empty for failed calls).
    pub changes: Vec<Written>,
}

/// Every kept event on the index's subjects, newest first (`events` is already sorted).
pub fn history(index: &Index, events: &[Event], window: &Window) -> BlameReport {
    let main = &index.subjects[0];
    let mut out = Vec::new();
    for e in events {
        let Some(&(s, effect)) = e.hits.iter().min_by_key(|(s, _)| *s) else { continue };
        let part = (s != 0).then(|| index.subjects[s].rtype.clone());
        out.push(BlameEvent {
            attribution: e.attribution(),
            role: e.actor.role.clone(),
            account: e.actor.account.clone(),
            effect: match effect {
                super::Effect::Create => "create",
                super::Effect::Modify => "modify",
                super::Effect::Delete => "delete",
            },
            status: if e.succeeded() { "succeeded" } else { "failed" },
            error_code: e.error_code.clone(),
            part,
            changes: if e.succeeded() { e.writes.clone() } else { Vec::new() },
        });
    }
    BlameReport {
        address: main.address.clone(),
        rtype: main.rtype.clone(),
        id: main.id.clone(),
        region: main.region.clone(),
        since: format_time(window.since),
        until: format_time(window.until),
        events: out,
    }
}

pub fn render_json(r: &BlameReport) -> String {
    let mut s = serde_json::to_string_pretty(r).expect("blame report serialises");
    s.push('\n');
    s
}

pub fn render_text(r: &BlameReport) -> String {
    let mut out = String::new();
    let name = r.address.clone().unwrap_or_else(|| format!("{} {}", r.rtype, r.id));
    let region = r.region.as_deref().map(|g| format!(", {g}")).unwrap_or_default();
    let n = r.events.len();
    let _ = writeln!(
        out,
        "{name} (id {}{region}): {n} write event{} since {}, newest first",
        r.id,
        if n == 1 { "" } else { "s" },
        short_time(&r.since)
    );
    for e in &r.events {
        let a = &e.attribution;
        let mut who = a.actor.clone();
        let mut extra = Vec::new();
        if let Some(role) = e.role.as_deref().filter(|role| !a.actor.contains(*role)) {
            extra.push(format!("role {role}"));
        }
        if let Some(acct) = e.account.as_deref().filter(|acct| !a.actor.contains(*acct)) {
            extra.push(format!("account {acct}"));
        }
        if !extra.is_empty() {
            who = format!("{who} ({})", extra.join(", "));
        }
        let part = e.part.as_deref().map(|p| format!(" [{p}]")).unwrap_or_default();
        let _ = writeln!(out, "\n{}  {}{part}  {who}  {}", short_time(&a.event_time), a.event_name, a.channel);
        if e.status == "failed" {
            let _ = writeln!(out, "    FAILED {}: nothing changed", e.error_code.as_deref().unwrap_or("error"));
            continue;
        }
        if e.changes.is_empty() {
            let label = match e.effect {
                "create" => "    created",
                "delete" => "    deleted",
                _ => "    (no attribute Terraform tracks)",
            };
            let _ = writeln!(out, "{label}");
        }
        for c in &e.changes {
            let line = match c {
                Written::Set { path, value } => format!("{path} = {value}"),
                Written::Unset { path } => format!("{path} removed"),
                Written::Add { path, elems } => format!("{path} + {}", list(elems)),
                Written::Remove { path, elems } => format!("{path} - {}", list(elems)),
                Written::Touch { path } => format!("{path} changed"),
            };
            let _ = writeln!(out, "    {line}");
        }
    }
    out
}

fn list(elems: &[crate::model::Value]) -> String {
    elems.iter().map(|e| e.canonical()).collect::<Vec<_>>().join(", ")
}

#[cfg(test)]
mod tests {
    use crate::aws::type_of_arn;

    #[test]
    fn arns_name_types() {
        assert_eq!(type_of_arn("arn:aws:s3:::scratch"), Some(("aws_s3_bucket", "scratch".into())));
        assert_eq!(type_of_arn("arn:aws:ec2:us-east-1:1:instance/i-1"), Some(("aws_instance", "i-1".into())));
        assert_eq!(
            type_of_arn("arn:aws:rds:us-east-1:1:db:clinic-records"),
            Some(("aws_db_instance", "clinic-records".into()))
        );
        assert_eq!(type_of_arn("arn:aws:kms:us-east-1:1:key/k-1"), Some(("aws_kms_key", "k-1".into())));
        assert_eq!(type_of_arn("arn:aws:iam::1:role/x"), Some(("aws_iam_role", "x".into())));
        assert_eq!(type_of_arn("arn:aws:sts::1:assumed-role/x/s"), None);
        assert_eq!(type_of_arn("aws_instance.app"), None);
    }
}

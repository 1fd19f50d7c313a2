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
/// first is the resource itself; then its parts (a bucket's split settings); then, with
/// `follow_links`, what defines it (see [`crate::aws::Link`]), transitively.
pub fn subjects_for(target: &str, state: &[Resource], follow_links: bool) -> Result<Vec<Subject>, String> {
    let found = state.iter().find(|r| r.address.as_deref() == Some(target)).or_else(|| {
        state.iter().find(|r| {
            let names = crate::aws::lookup(&r.rtype).map(|t| t.identity.names).unwrap_or(&[]);
            r.id == target || std::iter::once(&"arn").chain(names).any(|k| r.attr_str(k) == Some(target))
        })
    });
    let all: Vec<&Resource> = state.iter().collect();
    let mut first = match found {
        Some(r) => subject_of(r, &all),
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
    push_parts(&mut out, &first);
    if let (true, Some(r)) = (follow_links, found) {
        follow(r, None, state, &all, &mut out, 0);
    }
    Ok(out)
}

/// How deep links are followed: node group → node role → the role's policy attachments.
const LINK_DEPTH: usize = 3;

fn subject_of(r: &Resource, all: &[&Resource]) -> Subject {
    let region = r.region.clone().or_else(|| r.attr_str("arn").and_then(arn_region));
    let mut s = Subject::new(&r.rtype, &r.id, r.address.as_deref(), region.as_deref(), &[r]);
    s.add_aliases(all);
    s.own.retain(|i| !i.is_empty());
    s
}

/// A resource's parts (a bucket's split settings) are named by the same identifiers.
fn push_parts(out: &mut Vec<Subject>, owner: &Subject) {
    for t in crate::aws::parts_of(&owner.rtype).into_iter().filter(|t| t.identity.parent_attr.is_none()) {
        out.push(Subject { rtype: t.name.to_string(), address: None, generic: t.events.is_empty(), ..owner.clone() });
    }
}

/// The resources `r` links to, as subjects labelled with the link's role; a linked resource
/// no state holds (the Auto Scaling groups EKS creates for a node group) is named by the
/// value that links it.
fn follow(
    r: &Resource,
    label: Option<&str>,
    state: &[Resource],
    all: &[&Resource],
    out: &mut Vec<Subject>,
    depth: usize,
) {
    if depth >= LINK_DEPTH {
        return;
    }
    let Some(t) = crate::aws::lookup(&r.rtype) else { return };
    let attrs = crate::model::Value::Map(r.attributes.clone());
    for link in t.links {
        let role = match label {
            Some(l) => format!("{} of {l}", link.role),
            None => link.role.to_string(),
        };
        let values: Vec<String> = attrs
            .at_path(link.from)
            .into_iter()
            .filter_map(|v| v.as_str().map(str::to_string))
            .filter(|v| !v.is_empty())
            .collect();
        for v in values {
            let targets: Vec<&Resource> = state
                .iter()
                .filter(|x| {
                    x.rtype == link.rtype && (x.attr_str(link.to) == Some(v.as_str()) || (link.to == "id" && x.id == v))
                })
                .collect();
            if targets.is_empty() {
                // Only a value that names the linked resource itself (its id, ARN or a name it
                // is known by) makes a subject; a reverse link (a role's name matched against
                // its attachments' `role`) names the owner, not an attachment.
                let names_it = link.to == "id"
                    || link.to == "arn"
                    || crate::aws::lookup(link.rtype).is_some_and(|t| t.identity.names.contains(&link.to));
                if !names_it || out.iter().any(|s| s.rtype == link.rtype && s.own.contains(&v)) {
                    continue;
                }
                let region = r.region.clone();
                let mut s = Subject::new(link.rtype, &v, None, region.as_deref(), &[]);
                s.link = Some(role.clone());
                out.push(s);
                continue;
            }
            for target in targets {
                if out.iter().any(|s| s.rtype == target.rtype && s.id == target.id) {
                    continue;
                }
                let mut s = subject_of(target, all);
                s.link = Some(role.clone());
                out.push(s.clone());
                push_parts(out, &s);
                follow(target, Some(&role), state, all, out, depth + 1);
            }
        }
    }
}

fn arn_region(arn: &str) -> Option<String> {
    arn.split(':').nth(3).filter(|r| !r.is_empty()).map(str::to_string)
}

/// Read the trail for `target` (see [`subjects_for`]) and build its history.
pub async fn run(
    target: &str,
    follow_links: bool,
    state: &[Resource],
    trail: &super::Trail,
    window: Window,
    aws: super::Aws<'_>,
) -> anyhow::Result<BlameReport> {
    let subjects = subjects_for(target, state, follow_links).map_err(|e| anyhow::anyhow!(e))?;
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
    /// Whether Plumb maps the write events of this type. When not, the history lists the
    /// writes that name the resource (by ARN, id or name) without what they changed, and is
    /// incomplete: `plumb blame` exits 2.
    pub events_mapped: bool,
    /// The linked resources whose writes are included (`plumb blame --no-links` leaves them out).
    pub linked: Vec<Linked>,
    pub events: Vec<BlameEvent>,
}

/// A resource reached by following links, or a part of the resource.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Linked {
    /// "launch template", "node role", "policy attachment of node role".
    pub link: String,
    pub address: Option<String>,
    #[serde(rename = "type")]
    pub rtype: String,
    pub id: String,
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
    /// The linked resource the call acted on, when it is not the resource itself.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub linked: Option<Linked>,
    /// For a call an AWS service made (EKS resizing a node group's Auto Scaling group): the
    /// person's call it followed, the newest earlier succeeded call on the resource or a linked
    /// one within 15 minutes.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub follows: Option<Attribution>,
    /// What the call wrote (empty for failed calls).
    pub changes: Vec<Written>,
}

/// How long after a person's call an AWS service's follow-up call is attributed to it.
const FOLLOW_UP: time::Duration = time::Duration::minutes(15);

/// Every kept event on the index's subjects, newest first (`events` is already sorted).
pub fn history(index: &Index, events: &[Event], window: &Window) -> BlameReport {
    let main = &index.subjects[0];
    let linked_of = |s: &Subject| {
        s.link.as_ref().map(|l| Linked {
            link: l.clone(),
            address: s.address.clone(),
            rtype: s.rtype.clone(),
            id: s.id.clone(),
        })
    };
    let mut out = Vec::new();
    for (i, e) in events.iter().enumerate() {
        let Some(&(s, effect)) = e.hits.iter().min_by_key(|(s, _)| *s) else { continue };
        let subject = &index.subjects[s];
        let linked = linked_of(subject);
        let part = (s != 0 && linked.is_none()).then(|| subject.rtype.clone());
        let follows = (e.channel == super::Channel::Service)
            .then(|| {
                events[i + 1..]
                    .iter()
                    .take_while(|p| e.time - p.time <= FOLLOW_UP)
                    .find(|p| p.succeeded() && p.channel != super::Channel::Service)
                    .map(Event::attribution)
            })
            .flatten();
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
            linked,
            follows,
            changes: if e.succeeded() { e.writes.clone() } else { Vec::new() },
        });
    }
    let mut linked: Vec<Linked> = index.subjects.iter().filter_map(linked_of).collect();
    linked.dedup();
    BlameReport {
        address: main.address.clone(),
        rtype: main.rtype.clone(),
        id: main.id.clone(),
        region: main.region.clone(),
        since: format_time(window.since),
        until: format_time(window.until),
        events_mapped: !main.generic,
        linked,
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
    if !r.events_mapped {
        let _ = writeln!(
            out,
            "note: Plumb does not read {} and maps none of its write events: listed are the writes that name \
             it (by ARN, id or name), without what they changed; the history may be incomplete",
            r.rtype
        );
    }
    if !r.linked.is_empty() {
        let _ = writeln!(out, "including what defines it:");
        for l in &r.linked {
            let at = l.address.clone().unwrap_or_else(|| format!("{} {}", l.rtype, l.id));
            let _ = writeln!(out, "  {}: {at}", l.link);
        }
    }
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
        let part = match (&e.linked, &e.part) {
            (Some(l), _) => format!(" [{}: {}]", l.link, l.address.clone().unwrap_or_else(|| l.id.clone())),
            (None, Some(p)) => format!(" [{p}]"),
            (None, None) => String::new(),
        };
        let _ = writeln!(out, "\n{}  {}{part}  {who}  {}", short_time(&a.event_time), a.event_name, a.channel);
        if let Some(f) = &e.follows {
            let _ = writeln!(
                out,
                "    made by AWS after {} by {} ({}, {})",
                f.event_name,
                f.actor,
                f.channel,
                short_time(&f.event_time)
            );
        }
        if e.status == "failed" {
            let _ = writeln!(out, "    FAILED {}: nothing changed", e.error_code.as_deref().unwrap_or("error"));
            continue;
        }
        if e.changes.is_empty() {
            let label = match e.effect {
                "create" => "    created",
                "delete" => "    deleted",
                _ if !r.events_mapped => "    (attributes not mapped)",
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

    /// A node group's history includes what defines its nodes: the launch template, the Auto
    /// Scaling group EKS made (no state has it), the node role and the role's attachments.
    #[test]
    fn node_group_links_to_what_defines_its_nodes() {
        use crate::model::{Origin, Resource, Value};
        let res = |rtype: &str, id: &str, address: &str, attrs: Value| Resource {
            rtype: rtype.into(),
            id: id.into(),
            address: Some(address.into()),
            region: Some("us-east-1".into()),
            attributes: attrs.as_map().cloned().unwrap_or_default(),
            origin: Origin::State { file: "s".into(), index: 0 },
            aws_default: false,
        };
        let j = |v: serde_json::Value| Value::from_json(&v);
        let state = vec![
            res(
                "aws_eks_node_group",
                "clinic:workers",
                "aws_eks_node_group.app",
                j(serde_json::json!({
                    "arn": "arn:aws:eks:us-east-1:1:nodegroup/clinic/workers/x",
                    "node_group_name": "workers",
                    "node_role_arn": "arn:aws:iam::1:role/clinic-nodes",
                    "launch_template": [{"id": "lt-1", "version": "3"}],
                    "resources": [{"autoscaling_groups": [{"name": "eks-workers-1234"}]}]
                })),
            ),
            res("aws_launch_template", "lt-1", "aws_launch_template.nodes", j(serde_json::json!({"name": "nodes"}))),
            res(
                "aws_iam_role",
                "clinic-nodes",
                "aws_iam_role.nodes",
                j(serde_json::json!({"name": "clinic-nodes", "arn": "arn:aws:iam::1:role/clinic-nodes"})),
            ),
            res(
                "aws_iam_role_policy_attachment",
                "clinic-nodes/arn:aws:iam::aws:policy/AmazonEKSWorkerNodePolicy",
                "aws_iam_role_policy_attachment.nodes[\"worker\"]",
                j(
                    serde_json::json!({"role": "clinic-nodes", "policy_arn": "arn:aws:iam::aws:policy/AmazonEKSWorkerNodePolicy"}),
                ),
            ),
            res("aws_iam_role", "unrelated", "aws_iam_role.other", j(serde_json::json!({"name": "unrelated"}))),
        ];
        let subjects = super::subjects_for("aws_eks_node_group.app", &state, true).unwrap();
        let links: Vec<(String, String)> =
            subjects.iter().filter_map(|s| Some((s.link.clone()?, s.rtype.clone()))).collect();
        assert_eq!(
            links,
            [
                ("launch template".to_string(), "aws_launch_template".to_string()),
                ("Auto Scaling group".into(), "aws_autoscaling_group".into()),
                ("node role".into(), "aws_iam_role".into()),
                ("policy attachment of node role".into(), "aws_iam_role_policy_attachment".into()),
            ]
        );
        let asg = subjects.iter().find(|s| s.rtype == "aws_autoscaling_group").unwrap();
        assert!(asg.own.contains("eks-workers-1234"), "named by the value that links it: {asg:?}");
        // --no-links: the resource alone.
        assert_eq!(super::subjects_for("aws_eks_node_group.app", &state, false).unwrap().len(), 1);
    }
}

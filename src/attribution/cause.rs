//! Cause selection. A drifted attribute's cause is the latest successful write on the
//! resource whose request sets that attribute to its live value (a write whose value cannot
//! be read, redacted or not modelled, is a weaker candidate); a missing resource's is the
//! latest successful delete, an unmanaged one's the latest successful create. Reads, failed
//! calls and calls on other resources are never causes (they are not even kept).

use super::writes::{self, Fit};
use super::{Event, Index};
use crate::aws::event::Effect;
use crate::diff::{Judged, Status};
use crate::model::Value;

/// The events that explain `judged` (subject `subject` of the index), most likely first.
/// `events` must be sorted newest first.
pub fn causes<'e>(judged: &Judged, index: &Index, subject: usize, events: &'e [Event]) -> Vec<&'e Event> {
    let on_subject =
        || events.iter().filter(move |e| e.succeeded()).filter_map(move |e| e.effect_on(subject).map(|eff| (e, eff)));
    match judged.status {
        Status::Missing => on_subject()
            .filter(|(_, eff)| *eff == Effect::Delete)
            .filter(|(e, _)| removes_this_rule(index, subject, e))
            .map(|(e, _)| e)
            .take(1)
            .collect(),
        Status::Unmanaged => on_subject().filter(|(_, eff)| *eff == Effect::Create).map(|(e, _)| e).take(1).collect(),
        Status::InSync => Vec::new(),
        Status::Drifted => {
            // For each change: the newest exact fit, else the newest plausible one.
            let mut picked: Vec<(&Event, usize)> = Vec::new();
            for change in &judged.changes {
                let mut best: Option<(&Event, Fit)> = None;
                for (e, eff) in on_subject() {
                    if eff == Effect::Delete {
                        continue;
                    }
                    let fit = e.writes.iter().filter_map(|w| writes::explains(w, change)).max();
                    match (fit, best) {
                        (Some(Fit::Exact), _) => {
                            best = Some((e, Fit::Exact));
                            break;
                        }
                        (Some(Fit::Plausible), None) => best = Some((e, Fit::Plausible)),
                        _ => {}
                    }
                }
                if let Some((e, _)) = best {
                    match picked.iter_mut().find(|(p, _)| std::ptr::eq(*p, e)) {
                        Some((_, n)) => *n += 1,
                        None => picked.push((e, 1)),
                    }
                }
            }
            // Most changes explained first, then newest.
            picked.sort_by(|(a, n), (b, m)| m.cmp(n).then(b.time.cmp(&a.time)));
            picked.into_iter().map(|(e, _)| e).collect()
        }
    }
}

/// For a rule resource deleted through its group (a revoke): does this event remove this
/// rule? Matches on the rule id when the request names one, else on the rule's direction,
/// protocol, ports and CIDR. Other resources always pass.
fn removes_this_rule(index: &Index, subject: usize, e: &Event) -> bool {
    let s = &index.subjects[subject];
    let Some((dir, rule)) = &s.rule else { return true };
    if e.name == "DeleteSecurityGroup" {
        return true;
    }
    if e.ids.iter().any(|i| i.eq_ignore_ascii_case(&s.id)) {
        return true;
    }
    e.writes.iter().any(|w| match w {
        super::Written::Remove { path, elems } => path == dir && elems.iter().any(|el| compatible(el, rule)),
        _ => false,
    })
}

/// Every field both name agrees (CIDR lists: they share a block).
fn compatible(elem: &Value, rule: &Value) -> bool {
    let (Some(a), Some(b)) = (elem.as_map(), rule.as_map()) else { return false };
    a.iter().all(|(k, v)| match b.get(k) {
        None => true,
        Some(w) if k == "cidr_blocks" => match (v.as_list(), w.as_list()) {
            (Some(x), Some(y)) => x.iter().any(|c| y.iter().any(|d| writes::loose_eq(c, d))),
            _ => true,
        },
        Some(w) => writes::loose_eq(v, w) || k == "protocol" && (is_all(v) && is_all(w)),
    })
}

fn is_all(v: &Value) -> bool {
    matches!(v.as_str(), Some("-1" | "all"))
}

/// For drifted resources no call on themselves explains: the newest succeeded write on a
/// resource that defines them (`links`: `(index in judged, subject index)`), marked `via`.
pub fn attach_linked(judged: &mut [Judged], index: &Index, links: &[(usize, usize)], events: &[Event]) {
    for &(j, s) in links {
        if judged[j].status != Status::Drifted || judged[j].attribution.as_ref().is_some_and(|a| !a.is_empty()) {
            continue;
        }
        let subject = &index.subjects[s];
        let Some(e) = events.iter().find(|e| e.succeeded() && e.effect_on(s).is_some_and(|eff| eff != Effect::Delete))
        else {
            continue;
        };
        let mut a = e.attribution();
        let at = subject.address.clone().unwrap_or_else(|| format!("{} {}", subject.rtype, subject.id));
        a.via = Some(format!("{}: {at}", subject.link.as_deref().unwrap_or("linked")));
        let list = judged[j].attribution.get_or_insert_with(Vec::new);
        // The newest such write first, among the linked resources.
        match list.first() {
            Some(b) if b.event_time >= a.event_time => list.push(a),
            _ => list.insert(0, a),
        }
    }
}

/// Fill `attribution` on every judged resource that has a subject in the index.
/// `subjects[i]` is `(index in judged, subject index)`; events sorted newest first.
pub fn attach(judged: &mut [Judged], index: &Index, pairs: &[(usize, usize)], events: &[Event]) {
    for &(j, s) in pairs {
        let found = causes(&judged[j], index, s, events).into_iter().map(Event::attribution).collect();
        judged[j].attribution = Some(found);
    }
}

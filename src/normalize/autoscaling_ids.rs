//! Auto Scaling parts whose state id cannot name them: the provider stores a policy, a
//! scheduled action or a lifecycle hook under its bare name (two groups may each have a
//! `scale-out`), and an `aws_autoscaling_attachment` under a random id
//! (`<group>-2024...`). Live, Plumb names them as the provider's import does (`group/name`)
//! and an attachment `group/target` (the target group ARN or the load balancer name). State
//! ids are rewritten to those, so that both sides meet.

use super::{Pass, Views};

pub const PASS: Pass = Pass {
    name: "autoscaling_ids",
    why: "Auto Scaling policies, schedules, hooks and attachments have bare-name or random ids in state",
    apply,
};

/// Types named `group/<name attribute>` by their import id.
const NAMED: &[(&str, &str)] = &[
    ("aws_autoscaling_policy", "name"),
    ("aws_autoscaling_schedule", "scheduled_action_name"),
    ("aws_autoscaling_lifecycle_hook", "name"),
];

fn non_empty<'a>(r: &'a crate::model::Resource, key: &str) -> Option<&'a str> {
    r.attr_str(key).filter(|v| !v.is_empty())
}

fn apply(v: &mut Views) {
    for r in &mut v.state {
        let Some(group) = non_empty(r, "autoscaling_group_name").map(str::to_string) else { continue };
        let part = if let Some((_, attr)) = NAMED.iter().find(|(t, _)| *t == r.rtype) {
            non_empty(r, attr)
        } else if r.rtype == "aws_autoscaling_attachment" {
            non_empty(r, "lb_target_group_arn").or_else(|| non_empty(r, "elb"))
        } else {
            continue;
        };
        if let Some(part) = part {
            r.id = format!("{group}/{part}");
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::{Origin, Resource};

    fn state(rtype: &str, id: &str, attrs: &[(&str, &str)]) -> Resource {
        let mut r = Resource::live(rtype, id, "us-east-1", "1", None);
        r.origin = Origin::State { file: "t".into(), index: 0 };
        for (k, v) in attrs {
            r.set(k, *v);
        }
        r
    }

    #[test]
    fn state_ids_become_the_import_ids() {
        let tg = "arn:aws:elasticloadbalancing:us-east-1:1:targetgroup/web/abc";
        let mut v = Views {
            state: vec![
                state("aws_autoscaling_policy", "scale-out", &[("autoscaling_group_name", "a"), ("name", "scale-out")]),
                state(
                    "aws_autoscaling_schedule",
                    "night",
                    &[("autoscaling_group_name", "a"), ("scheduled_action_name", "night")],
                ),
                state("aws_autoscaling_lifecycle_hook", "drain", &[("autoscaling_group_name", "b"), ("name", "drain")]),
                state(
                    "aws_autoscaling_attachment",
                    "a-20250101000000000000000001",
                    &[("autoscaling_group_name", "a"), ("lb_target_group_arn", tg), ("elb", "")],
                ),
                state("aws_autoscaling_attachment", "a-2", &[("autoscaling_group_name", "a"), ("elb", "legacy")]),
                state("aws_autoscaling_policy", "orphan", &[("name", "orphan")]),
            ],
            live: vec![],
        };
        apply(&mut v);
        let ids: Vec<&str> = v.state.iter().map(|r| r.id.as_str()).collect();
        assert_eq!(
            ids,
            ["a/scale-out", "a/night", "b/drain", &format!("a/{tg}"), "a/legacy", "orphan"],
            "no group: left as is"
        );
        let once = v.clone();
        apply(&mut v);
        assert_eq!(v.state, once.state);
    }
}

//! IAM resources whose state id is not the one AWS can name them by: the provider gives
//! policy attachments a random id (`node-20240101...`) and a group membership the `name`
//! chosen in Terraform. Live, Plumb names them as the provider's import does (`role/arn`,
//! `user/arn`, `group/arn`) and a membership by its group (a group has at most one). State
//! ids are rewritten to those, so that both sides meet.

use super::{Pass, Views};

pub const PASS: Pass =
    Pass { name: "iam_ids", why: "IAM attachments and memberships have random or Terraform-only ids in state", apply };

/// Attachment types and the attribute naming their principal.
const ATTACHMENTS: &[(&str, &str)] = &[
    ("aws_iam_role_policy_attachment", "role"),
    ("aws_iam_user_policy_attachment", "user"),
    ("aws_iam_group_policy_attachment", "group"),
];

fn apply(v: &mut Views) {
    for r in &mut v.state {
        let id = if let Some((_, owner)) = ATTACHMENTS.iter().find(|(t, _)| *t == r.rtype) {
            match (r.attr_str(owner), r.attr_str("policy_arn")) {
                (Some(o), Some(arn)) if !o.is_empty() && !arn.is_empty() => format!("{o}/{arn}"),
                _ => continue,
            }
        } else if r.rtype == "aws_iam_group_membership" {
            match r.attr_str("group") {
                Some(g) if !g.is_empty() => g.to_string(),
                _ => continue,
            }
        } else {
            continue;
        };
        r.id = id;
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::{Origin, Resource};

    fn state(rtype: &str, id: &str, attrs: &[(&str, &str)]) -> Resource {
        let mut r = Resource::live(rtype, id, "us-east-1", "1", None);
        r.origin = Origin::State { file: "t".into(), index: 0 };
        r.region = None;
        for (k, v) in attrs {
            r.set(k, *v);
        }
        r
    }

    #[test]
    fn state_ids_become_the_import_ids() {
        let mut v = Views {
            state: vec![
                state(
                    "aws_iam_role_policy_attachment",
                    "node-20250101000000000000000001",
                    &[("role", "node"), ("policy_arn", "arn:aws:iam::aws:policy/X")],
                ),
                state(
                    "aws_iam_group_membership",
                    "auditors-members",
                    &[("group", "auditors"), ("name", "auditors-members")],
                ),
                state("aws_iam_user_policy_attachment", "u-1", &[("user", "u")]),
            ],
            live: vec![],
        };
        apply(&mut v);
        assert_eq!(v.state[0].id, "node/arn:aws:iam::aws:policy/X");
        assert_eq!(v.state[1].id, "auditors");
        assert_eq!(v.state[2].id, "u-1", "no policy_arn: left as is");
        let again = v.clone();
        apply(&mut v);
        assert_eq!(v.state, again.state);
    }
}

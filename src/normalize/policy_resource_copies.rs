//! An SNS topic, an SQS queue, a Secrets Manager secret and a KMS key carry their resource policy as an
//! attribute (`policy`, computed) and as a resource of its own (`aws_sns_topic_policy`,
//! `aws_sqs_queue_policy`, `aws_secretsmanager_secret_policy`, `aws_kms_key_policy`). The owner's copy in state is
//! stale by design: it was read when the owner was created, before the policy resource
//! applied, and every refresh-only plan shows it catching up. When the state holds the policy
//! resource, the policy is judged there only: the owner's copy is dropped from both views.
//! Without one, the owner's `policy` is compared as any attribute (a policy set by hand is
//! drift on the owner).

use std::collections::BTreeSet;

use super::{Pass, Views};
use crate::model::Resource;

pub const PASS: Pass = Pass {
    name: "policy_resource_copies",
    why: "a topic's, queue's, secret's or key's policy attribute is a stale copy when its policy is a resource of its own",
    apply,
};

/// `(owner type, policy type, the policy resource's attribute naming the owner)`.
const OWNERS: &[(&str, &str, &str)] = &[
    ("aws_sns_topic", "aws_sns_topic_policy", "arn"),
    ("aws_sqs_queue", "aws_sqs_queue_policy", "queue_url"),
    ("aws_secretsmanager_secret", "aws_secretsmanager_secret_policy", "secret_arn"),
    ("aws_kms_key", "aws_kms_key_policy", "key_id"),
];

/// How a policy resource and its owner meet: the ARN, or a queue's name (its URL may be
/// written in several forms).
fn key(owner_type: &str, name: &str) -> String {
    match owner_type {
        "aws_sqs_queue" => name.trim_end_matches('/').rsplit('/').next().unwrap_or(name).to_string(),
        // A key id or a key ARN (`arn:aws:kms:region:account:key/ID`).
        "aws_kms_key" => name.rsplit("key/").next().unwrap_or(name).to_string(),
        _ => name.to_string(),
    }
}

fn owner_key(r: &Resource) -> String {
    let name = match r.rtype.as_str() {
        "aws_sqs_queue" => r.attr_str("url").unwrap_or(&r.id),
        "aws_kms_key" => &r.id,
        _ => r.attr_str("arn").filter(|a| !a.is_empty()).unwrap_or(&r.id),
    };
    key(&r.rtype, name)
}

fn apply(v: &mut Views) {
    let owned: BTreeSet<(&str, String)> = v
        .state
        .iter()
        .filter_map(|r| {
            let (owner, _, attr) = OWNERS.iter().find(|(_, policy, _)| *policy == r.rtype)?;
            Some((*owner, key(owner, r.attr_str(attr).unwrap_or(&r.id))))
        })
        .collect();
    if owned.is_empty() {
        return;
    }
    for r in v.state.iter_mut().chain(v.live.iter_mut()) {
        if OWNERS.iter().any(|(owner, ..)| *owner == r.rtype) && owned.contains(&(r.rtype.as_str(), owner_key(r))) {
            r.attributes.remove("policy");
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::{Origin, Value};

    fn state(rtype: &str, id: &str, attrs: &[(&str, &str)]) -> Resource {
        let mut r = Resource::live(rtype, id, "us-east-1", "1", None);
        r.origin = Origin::State { file: "s".into(), index: 0 };
        r.address = Some(format!("{rtype}.x"));
        for (k, v) in attrs {
            r.set(k, *v);
        }
        r
    }

    #[test]
    fn the_owners_copy_goes_only_when_the_policy_is_a_resource() {
        let topic = "arn:aws:sns:us-east-1:1:events";
        let url = "http://127.0.0.1:5000/1/orders";
        let mut v = Views {
            state: vec![
                state("aws_sns_topic", topic, &[("arn", topic), ("policy", "{default}")]),
                state("aws_sns_topic_policy", topic, &[("arn", topic), ("policy", "{mine}")]),
                state("aws_sqs_queue", url, &[("url", url), ("policy", "")]),
                state("aws_sqs_queue_policy", url, &[("queue_url", "https://queue.amazonaws.com/1/orders")]),
                state("aws_sqs_queue", "http://x/1/audit", &[("url", "http://x/1/audit"), ("policy", "")]),
            ],
            live: vec![
                Resource::live("aws_sns_topic", topic, "us-east-1", "1", None)
                    .with("arn", topic)
                    .with("policy", "{mine}"),
                Resource::live("aws_sqs_queue", url, "us-east-1", "1", None).with("url", url).with("policy", "{q}"),
                Resource::live("aws_sqs_queue", "http://x/1/audit", "us-east-1", "1", None)
                    .with("url", "http://x/1/audit")
                    .with("policy", "{by hand}"),
            ],
        };
        apply(&mut v);
        assert_eq!(v.state[0].attr("policy"), &Value::Unknown);
        assert_eq!(v.live[0].attr("policy"), &Value::Unknown);
        assert_eq!(v.state[1].attr_str("policy"), Some("{mine}"));
        assert_eq!(v.live[1].attr("policy"), &Value::Unknown);
        // No policy resource for this queue: its policy stays compared.
        assert_eq!(v.live[2].attr_str("policy"), Some("{by hand}"));
        assert_eq!(v.state[4].attr_str("policy"), Some(""));
    }
}

//! Settings that hold a JSON document but not an IAM policy (a queue's redrive policy, a
//! topic's delivery policy, a subscription's filter policy...) are compared as JSON, as the
//! provider does (`SuppressEquivalentJSONDiffs`): AWS may answer them with other whitespace or
//! key order than the state holds. Both sides are rewritten to one canonical text (keys
//! sorted, compact); a value that is not JSON is left as it is.

use super::{Pass, Views};
use crate::model::Value;

pub const PASS: Pass =
    Pass { name: "json_documents", why: "JSON-valued settings are compared as JSON, not text", apply };

/// `(type, attribute)` pairs holding JSON documents.
const DOCUMENTS: &[(&str, &str)] = &[
    ("aws_sqs_queue", "redrive_policy"),
    ("aws_sqs_queue", "redrive_allow_policy"),
    ("aws_sns_topic", "delivery_policy"),
    ("aws_sns_topic", "archive_policy"),
    ("aws_sns_topic_subscription", "filter_policy"),
    ("aws_sns_topic_subscription", "delivery_policy"),
    ("aws_sns_topic_subscription", "redrive_policy"),
    ("aws_sns_topic_subscription", "replay_policy"),
];

fn apply(v: &mut Views) {
    for r in v.state.iter_mut().chain(v.live.iter_mut()) {
        for (rtype, attr) in DOCUMENTS {
            if r.rtype != *rtype {
                continue;
            }
            if let Some(Value::String(s)) = r.attributes.get_mut(*attr) {
                if let Some(c) = canonical(s) {
                    *s = c;
                }
            }
        }
    }
}

fn canonical(s: &str) -> Option<String> {
    let mut v: serde_json::Value = serde_json::from_str(s).ok()?;
    v.sort_all_objects();
    serde_json::to_string(&v).ok()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::Resource;

    #[test]
    fn documents_compare_as_json() {
        let spaced = r#"{"maxReceiveCount": 5, "deadLetterTargetArn": "arn:aws:sqs:us-east-1:1:dlq"}"#;
        let compact = r#"{"deadLetterTargetArn":"arn:aws:sqs:us-east-1:1:dlq","maxReceiveCount":5}"#;
        let q = |s: &str| Resource::live("aws_sqs_queue", "q", "us-east-1", "1", None).with("redrive_policy", s);
        let mut v = Views { state: vec![q(compact)], live: vec![q(spaced).with("policy", "not json")] };
        apply(&mut v);
        assert_eq!(v.state[0].attr("redrive_policy"), v.live[0].attr("redrive_policy"));
        assert_eq!(v.live[0].attr_str("policy"), Some("not json"));
        // Idempotent, and empty strings stay empty.
        let mut again = v.clone();
        apply(&mut again);
        assert_eq!(again.live[0].attributes, v.live[0].attributes);
        let mut empty = Views { state: vec![q("")], live: vec![] };
        apply(&mut empty);
        assert_eq!(empty.state[0].attr_str("redrive_policy"), Some(""));
    }
}

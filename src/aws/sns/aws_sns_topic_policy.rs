//! `aws_sns_topic_policy`: the topic's `Policy` attribute, from the GetTopicAttributes reads
//! shared with `aws_sns_topic`; one per topic (every topic has a policy, AWS's default one
//! until someone sets another).
//!
//! Identity: the topic ARN (tfstate `id` = `arn`). Filled: `arn`, `policy` (compared as a
//! policy), `owner`. A part of its topic: judged through it, never unmanaged on its own. With
//! this resource in state the topic's own `policy` copy is judged here only
//! (`policy_resource_copies`).

use std::collections::HashMap;

use futures::FutureExt;
use serde_json::Value as Json;

use super::{text, topics};
use crate::aws::event::{Event, W, Written, first};
use crate::aws::{Ctx, FetchResult, Identity, Read, ResourceType};
use crate::model::Resource;

const TYPES: &[&str] = &["aws_sns_topic_policy"];

pub static TYPE: ResourceType = ResourceType {
    read: Some(Read { fetch: |ctx| fetch(ctx).boxed(), global: false }),
    identity: Identity { names: &["arn"], parent_attr: Some("arn"), ..Identity::NONE },
    parent: Some("aws_sns_topic"),
    events: &[
        Event::modify("sns", "SetTopicAttributes", &["topicArn"]).writing(&[W::Custom(policy)]),
        Event::modify("sns", "AddPermission", &["topicArn"]).writing(&[W::Touch("policy")]),
        Event::modify("sns", "RemovePermission", &["topicArn"]).writing(&[W::Touch("policy")]),
        Event::delete("sns", "DeleteTopic", &["topicArn"]),
    ],
    ..ResourceType::base("aws_sns_topic_policy", "sns")
};

/// Only a SetTopicAttributes of the `Policy` attribute writes this resource.
fn policy(req: &Json, _: &Json, out: &mut Vec<Written>) {
    let named = first(req, "attributeName").and_then(Json::as_str).is_some_and(|n| n.eq_ignore_ascii_case("Policy"));
    if let (true, Some(v)) = (named, first(req, "attributeValue")) {
        out.push(Written::Set { path: "policy".into(), value: crate::aws::event::value(v) });
    }
}

async fn fetch(ctx: &Ctx) -> FetchResult {
    Ok(topics(ctx, TYPES).await?.iter().map(|(arn, attrs)| map(arn, attrs, &ctx.region, &ctx.account)).collect())
}

/// Pure mapping from a topic's ARN and attributes.
pub fn map(arn: &str, attrs: &HashMap<String, String>, region: &str, account: &str) -> Resource {
    Resource::live("aws_sns_topic_policy", arn, region, account, None)
        .with("id", arn)
        .with("arn", arn)
        .with("policy", text(attrs, "Policy"))
        .with("owner", text(attrs, "Owner"))
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn maps_the_topics_policy() {
        let arn = "arn:aws:sns:us-east-1:123456789012:events";
        let attrs: HashMap<String, String> =
            [("Policy".to_string(), "{}".to_string()), ("Owner".to_string(), "123456789012".to_string())].into();
        let r = map(arn, &attrs, "us-east-1", "1");
        assert_eq!((r.id.as_str(), r.attr_str("policy"), r.attr_str("owner")), (arn, Some("{}"), Some("123456789012")));
        let e = crate::aws::event::of("aws_sns_topic_policy", "sns", "SetTopicAttributes");
        let other = json!({"topicArn": arn, "attributeName": "DisplayName", "attributeValue": "x"});
        assert!(e.writes(&other, &json!(null)).is_empty());
        let set = json!({"topicArn": arn, "attributeName": "Policy", "attributeValue": "{}"});
        assert_eq!(e.writes(&set, &json!(null)), [Written::Set { path: "policy".into(), value: "{}".into() }]);
    }
}

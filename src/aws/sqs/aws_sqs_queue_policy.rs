//! `aws_sqs_queue_policy`: the queue's `Policy` attribute, from the GetQueueAttributes reads
//! shared with `aws_sqs_queue`; one per queue that has a policy.
//!
//! Identity: the queue URL (tfstate `id` = `queue_url`, joined by queue name like the queue).
//! Filled: `queue_url`, `policy` (compared as a policy). A part of its queue: a policy set by
//! hand on a managed queue is drift on the queue's `policy`, never an unmanaged resource.

use std::collections::HashMap;

use futures::FutureExt;
use serde_json::Value as Json;

use super::{BY_QUEUE_NAME, queues, request_attributes};
use crate::aws::event::{Event, W, Written};
use crate::aws::{Ctx, FetchResult, Identity, Read, ResourceType};
use crate::model::Resource;

const TYPES: &[&str] = &["aws_sqs_queue_policy"];

pub static TYPE: ResourceType = ResourceType {
    read: Some(Read { fetch: |ctx| fetch(ctx).boxed(), global: false }),
    identity: Identity { names: &["queue_url"], parent_attr: Some("queue_url"), ..Identity::NONE },
    parent: Some("aws_sqs_queue"),
    events: &[
        Event::modify("sqs", "SetQueueAttributes", &["queueUrl"]).writing(&[W::Custom(policy)]),
        Event::modify("sqs", "AddPermission", &["queueUrl"]).writing(&[W::Touch("policy")]),
        Event::modify("sqs", "RemovePermission", &["queueUrl"]).writing(&[W::Touch("policy")]),
        Event::delete("sqs", "DeleteQueue", &["queueUrl"]),
    ],
    state_form: Some(BY_QUEUE_NAME),
    ..ResourceType::base("aws_sqs_queue_policy", "sqs")
};

/// Only the `Policy` attribute of a SetQueueAttributes writes this resource.
fn policy(req: &Json, _: &Json, out: &mut Vec<Written>) {
    if let Some((_, v)) = request_attributes(req).into_iter().find(|(k, _)| *k == "Policy") {
        out.push(Written::Set { path: "policy".into(), value: crate::aws::event::value(v) });
    }
}

async fn fetch(ctx: &Ctx) -> FetchResult {
    Ok(queues(ctx, TYPES).await?.iter().filter_map(|(url, attrs)| map(url, attrs, &ctx.region, &ctx.account)).collect())
}

/// Pure mapping from a queue's URL and attributes: `None` when it has no policy.
pub fn map(url: &str, attrs: &HashMap<String, String>, region: &str, account: &str) -> Option<Resource> {
    let policy = attrs.get("Policy").filter(|p| !p.trim().is_empty())?;
    Some(
        Resource::live("aws_sqs_queue_policy", url, region, account, None)
            .with("id", url)
            .with("queue_url", url)
            .with("policy", policy.as_str()),
    )
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn one_per_queue_with_a_policy() {
        let url = "https://sqs.us-east-1.amazonaws.com/123456789012/orders";
        let with: HashMap<String, String> = [("Policy".to_string(), "{}".to_string())].into();
        let r = map(url, &with, "us-east-1", "1").unwrap();
        assert_eq!((r.id.as_str(), r.attr_str("queue_url"), r.attr_str("policy")), (url, Some(url), Some("{}")));
        assert!(map(url, &HashMap::new(), "us-east-1", "1").is_none());
        let e = crate::aws::event::of("aws_sqs_queue_policy", "sqs", "SetQueueAttributes");
        let req = json!({"queueUrl": url, "attributes": {"Policy": "{}", "VisibilityTimeout": "5"}});
        assert_eq!(e.writes(&req, &json!(null)), [Written::Set { path: "policy".into(), value: "{}".into() }]);
    }
}

//! SQS: queues and their policies.
//!
//! ListQueues (paginated) then GetQueueAttributes (`All`) per queue, read once per region and
//! shared by the queue and queue-policy types; ListQueueTags per queue.

mod aws_sqs_queue;
mod aws_sqs_queue_policy;

use std::collections::HashMap;

use futures::{StreamExt, TryStreamExt};
use serde_json::Value as Json;

use super::errors::{read_error, service_code};
use super::event::Written;
use super::state_form::StateForm;
use super::{Ctx, Service};
use crate::model::{ReadError, Resource};

crate::sdk_client!(aws_sdk_sqs);

pub static SERVICE: Service =
    Service { name: "sqs", concurrency: 4, types: &[&aws_sqs_queue::TYPE, &aws_sqs_queue_policy::TYPE] };

/// Error codes of a queue deleted since it was listed.
const GONE: &[&str] = &["AWS.SimpleQueueService.NonExistentQueue", "QueueDoesNotExist"];

/// A queue's URL and its attributes (GetQueueAttributes `All`), by AWS attribute name.
pub(crate) type QueueAttributes = (String, HashMap<String, String>);

/// Every queue of the region with its attributes, read once per context.
pub(crate) async fn queues(ctx: &Ctx, types: &[&str]) -> Result<Vec<QueueAttributes>, ReadError> {
    const SHARED_BY: &[&str] = &["aws_sqs_queue", "aws_sqs_queue_policy"];
    let cached = ctx
        .once("sqs:GetQueueAttributes", || async {
            let sqs = ctx.client::<aws_sdk_sqs::Client>();
            let mut urls = Vec::new();
            let mut pages = sqs.list_queues().into_paginator().send();
            while let Some(page) = {
                let _p = ctx.permit("sqs").await;
                pages.next().await
            } {
                let page = page.map_err(|e| read_error("sqs", &ctx.region, SHARED_BY, e))?;
                urls.extend(page.queue_urls().iter().cloned());
            }
            let sqs = &sqs;
            let found: Vec<Option<QueueAttributes>> = futures::stream::iter(urls)
                .map(|url| async move {
                    let answer = {
                        let _p = ctx.permit("sqs").await;
                        sqs.get_queue_attributes()
                            .queue_url(&url)
                            .attribute_names(aws_sdk_sqs::types::QueueAttributeName::All)
                            .send()
                            .await
                    };
                    match answer {
                        Ok(out) => {
                            let attrs = out
                                .attributes()
                                .map(|m| m.iter().map(|(k, v)| (k.as_str().to_string(), v.clone())).collect())
                                .unwrap_or_default();
                            Ok(Some((url, attrs)))
                        }
                        Err(e) if service_code(&e).is_some_and(|c| GONE.contains(&c)) => Ok(None),
                        Err(e) => Err(read_error("sqs", &ctx.region, SHARED_BY, e)),
                    }
                })
                .buffer_unordered(ctx.limit("sqs"))
                .try_collect()
                .await?;
            let mut found: Vec<QueueAttributes> = found.into_iter().flatten().collect();
            found.sort_by(|a, b| a.0.cmp(&b.0));
            Ok(found)
        })
        .await;
    crate::aws::client::for_caller(&cached, types)
}

/// A queue's name: the last part of its URL.
pub(crate) fn queue_name(url: &str) -> &str {
    url.trim_end_matches('/').rsplit('/').next().unwrap_or(url)
}

/// Queue URLs come in several forms (`https://sqs.us-east-1.amazonaws.com/...`, the legacy
/// `https://queue.amazonaws.com/...`, an endpoint's): a state written with one still joins a
/// live read answering another, by queue name.
pub(crate) const BY_QUEUE_NAME: StateForm = StateForm { key: queue_key, naming: &["url", "queue_url"] };

fn queue_key(r: &Resource) -> Option<String> {
    let url = r.attr_str("url").or(r.attr_str("queue_url")).unwrap_or(&r.id);
    Some(queue_name(url).to_string()).filter(|n| !n.is_empty())
}

/// The `attributes` map of a CreateQueue or SetQueueAttributes request, by AWS name.
pub(crate) fn request_attributes(req: &Json) -> Vec<(&str, &Json)> {
    match crate::aws::event::first(req, "attributes") {
        Some(Json::Object(m)) => m.iter().map(|(k, v)| (k.as_str(), v)).collect(),
        _ => Vec::new(),
    }
}

/// `tags` of a request, a map (`{"Team": "data"}`), as one write per tag.
pub(crate) fn request_tags(req: &Json, _: &Json, out: &mut Vec<Written>) {
    if let Some(Json::Object(m)) = crate::aws::event::first(req, "tags") {
        for (k, v) in m {
            out.push(Written::Set { path: format!("tags.{k}"), value: crate::aws::event::value(v) });
        }
    }
}

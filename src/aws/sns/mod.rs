//! SNS: topics, their policies and subscriptions.
//!
//! ListTopics (paginated) then GetTopicAttributes per topic, read once per region and shared
//! by the topic and topic-policy types; ListTagsForResource per topic; ListSubscriptions
//! (paginated) then GetSubscriptionAttributes per confirmed subscription.

mod aws_sns_topic;
mod aws_sns_topic_policy;
mod aws_sns_topic_subscription;

use std::collections::HashMap;

use futures::{StreamExt, TryStreamExt};

use super::errors::{read_error, service_code};
use super::{Ctx, Service};
use crate::model::{ReadError, Value};

crate::sdk_client!(aws_sdk_sns);

pub static SERVICE: Service = Service {
    name: "sns",
    concurrency: 4,
    types: &[&aws_sns_topic::TYPE, &aws_sns_topic_policy::TYPE, &aws_sns_topic_subscription::TYPE],
};

/// Error codes of a topic or subscription deleted since it was listed.
const GONE: &[&str] = &["NotFound", "NotFoundException", "ResourceNotFound", "ResourceNotFoundException"];

/// A topic's ARN and its attributes (GetTopicAttributes).
pub(crate) type TopicAttributes = (String, HashMap<String, String>);

/// Every topic of the region with its attributes, read once per context.
pub(crate) async fn topics(ctx: &Ctx, types: &[&str]) -> Result<Vec<TopicAttributes>, ReadError> {
    const SHARED_BY: &[&str] = &["aws_sns_topic", "aws_sns_topic_policy"];
    let cached = ctx
        .once("sns:GetTopicAttributes", || async {
            let sns = ctx.client::<aws_sdk_sns::Client>();
            let mut arns = Vec::new();
            let mut pages = sns.list_topics().into_paginator().send();
            while let Some(page) = {
                let _p = ctx.permit("sns").await;
                pages.next().await
            } {
                let page = page.map_err(|e| read_error("sns", &ctx.region, SHARED_BY, e))?;
                arns.extend(page.topics().iter().filter_map(|t| t.topic_arn().map(str::to_string)));
            }
            let sns = &sns;
            let found: Vec<Option<TopicAttributes>> = futures::stream::iter(arns)
                .map(|arn| async move {
                    let answer = {
                        let _p = ctx.permit("sns").await;
                        sns.get_topic_attributes().topic_arn(&arn).send().await
                    };
                    match answer {
                        Ok(out) => Ok(Some((arn, out.attributes().cloned().unwrap_or_default()))),
                        Err(e) if service_code(&e).is_some_and(|c| GONE.contains(&c)) => Ok(None),
                        Err(e) => Err(read_error("sns", &ctx.region, SHARED_BY, e)),
                    }
                })
                .buffer_unordered(ctx.limit("sns"))
                .try_collect()
                .await?;
            let mut found: Vec<TopicAttributes> = found.into_iter().flatten().collect();
            found.sort_by(|a, b| a.0.cmp(&b.0));
            Ok(found)
        })
        .await;
    crate::aws::client::for_caller(&cached, types)
}

/// An attribute as a string (`""` when AWS leaves it out, as the provider stores it).
pub(crate) fn text(attrs: &HashMap<String, String>, key: &str) -> Value {
    attrs.get(key).map(String::as_str).unwrap_or_default().into()
}

/// An integer attribute (`0` when absent or not a number).
pub(crate) fn number(attrs: &HashMap<String, String>, key: &str) -> Value {
    Value::int(attrs.get(key).and_then(|v| v.trim().parse::<i64>().ok()).unwrap_or(0))
}

/// A boolean attribute (`false` when absent).
pub(crate) fn flag(attrs: &HashMap<String, String>, key: &str) -> Value {
    Value::Bool(attrs.get(key).is_some_and(|v| v.eq_ignore_ascii_case("true")))
}

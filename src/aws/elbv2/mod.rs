//! Elastic Load Balancing v2: load balancers, listeners, target groups (and their legacy
//! `aws_alb*` names).
//!
//! The listeners start from the region's load balancers (DescribeLoadBalancers, read once and
//! shared); tags are read in batches of 20 ARNs (DescribeTags). The legacy names read the same
//! objects (`alias_of`): an object is judged under the name the state uses, and kept once.
//!
//! CloudTrail: ELBv2 records mirror the API's request in camelCase (`loadBalancerArn`,
//! `listenerArn`, `targetGroupArn`, `attributes[].{key,value}`); Create calls answer the new
//! object's ARN in `responseElements.{loadBalancers,listeners,targetGroups}[]`. Shapes follow
//! the API (no captured record).

mod aws_alb;
mod aws_alb_listener;
mod aws_alb_target_group;
mod aws_lb;
mod aws_lb_listener;
mod aws_lb_target_group;

use std::collections::BTreeMap;

use aws_sdk_elasticloadbalancingv2::types::LoadBalancer;
use serde_json::Value as Json;

use super::client::for_caller;
use super::errors::read_error;
use super::event::{Event, W, Written, value};
use super::{Ctx, Service};
use crate::model::{ReadError, Value};

crate::sdk_client!(aws_sdk_elasticloadbalancingv2);

pub static SERVICE: Service = Service {
    name: "elasticloadbalancing",
    concurrency: 4,
    types: &[
        &aws_lb::TYPE,
        &aws_alb::TYPE,
        &aws_lb_listener::TYPE,
        &aws_alb_listener::TYPE,
        &aws_lb_target_group::TYPE,
        &aws_alb_target_group::TYPE,
    ],
};

/// Every load balancer of the region (DescribeLoadBalancers, paginated), read once per scan.
pub(crate) async fn load_balancers(ctx: &Ctx, types: &[&str]) -> Result<Vec<LoadBalancer>, ReadError> {
    const SHARED_BY: &[&str] = &["aws_lb", "aws_alb", "aws_lb_listener", "aws_alb_listener"];
    let cached: Result<Vec<LoadBalancer>, ReadError> = ctx
        .once("elasticloadbalancing:DescribeLoadBalancers", || async {
            let elasticloadbalancingv2 = ctx.client::<aws_sdk_elasticloadbalancingv2::Client>();
            let mut out = Vec::new();
            let mut pages = elasticloadbalancingv2.describe_load_balancers().page_size(400).into_paginator().send();
            while let Some(page) = {
                let _p = ctx.permit("elasticloadbalancing").await;
                pages.next().await
            } {
                let page = page.map_err(|e| read_error("elasticloadbalancing", &ctx.region, SHARED_BY, e))?;
                out.extend(page.load_balancers().iter().cloned());
            }
            out.sort_by(|a, b| a.load_balancer_arn().cmp(&b.load_balancer_arn()));
            Ok(out)
        })
        .await;
    for_caller(&cached, types)
}

/// Tags of these ARNs (DescribeTags, 20 ARNs a call), as the provider's `tags` (`aws:*` keys
/// hidden). An ARN gone since it was listed is simply absent.
pub(crate) async fn tags(ctx: &Ctx, arns: &[String], types: &[&str]) -> Result<BTreeMap<String, Value>, ReadError> {
    let elasticloadbalancingv2 = ctx.client::<aws_sdk_elasticloadbalancingv2::Client>();
    let mut out = BTreeMap::new();
    for chunk in arns.chunks(20) {
        let answer = {
            let _p = ctx.permit("elasticloadbalancing").await;
            elasticloadbalancingv2.describe_tags().set_resource_arns(Some(chunk.to_vec())).send().await
        };
        let answer = match answer {
            Ok(a) => a,
            // One ARN of the batch was deleted since the listing: read the rest one by one.
            Err(e) if gone(&e) && chunk.len() > 1 => {
                for arn in chunk {
                    out.extend(Box::pin(tags(ctx, std::slice::from_ref(arn), types)).await?);
                }
                continue;
            }
            Err(e) if gone(&e) => continue,
            Err(e) => return Err(read_error("elasticloadbalancing", &ctx.region, types, e)),
        };
        for d in answer.tag_descriptions() {
            let Some(arn) = d.resource_arn() else { continue };
            let pairs = d
                .tags()
                .iter()
                .filter_map(|t| Some((t.key()?.to_string(), t.value().unwrap_or_default().to_string())))
                .filter(|(k, _)| !k.starts_with("aws:"));
            out.insert(arn.to_string(), Value::string_map(pairs));
        }
    }
    Ok(out)
}

/// The object was deleted between the listing and this call.
pub(crate) fn gone<E: aws_sdk_elasticloadbalancingv2::error::ProvideErrorMetadata, R>(
    e: &aws_smithy_runtime_api::client::result::SdkError<E, R>,
) -> bool {
    matches!(super::errors::service_code(e), Some("LoadBalancerNotFound" | "ListenerNotFound" | "TargetGroupNotFound"))
}

/// Sorted, deduplicated strings: a set-typed attribute.
pub(crate) fn set<'a>(items: impl IntoIterator<Item = &'a str>) -> Value {
    let mut v: Vec<&str> = items.into_iter().collect();
    v.sort_unstable();
    v.dedup();
    Value::string_list(v)
}

/// AddTags / RemoveTags on any ELBv2 object (several ARNs per call).
pub(crate) const ADD_TAGS: Event = Event::modify("elasticloadbalancing", "AddTags", &["resourceArns[]"])
    .writing(&[W::Tags { items: "tags[]", key: "key", value: "value" }]);
pub(crate) const REMOVE_TAGS: Event = Event::modify("elasticloadbalancing", "RemoveTags", &["resourceArns[]"])
    .writing(&[W::Untags { items: "tagKeys[]", key: "" }]);

/// `attributes[].{key,value}` of a Modify*Attributes request, through `names` (API key to
/// attribute path); booleans and numbers as the provider stores them.
pub(crate) fn attributes_written(req: &Json, names: &[(&str, &str, Kind)], out: &mut Vec<Written>) {
    let Some(Json::Array(items)) = req.get("attributes") else { return };
    for item in items {
        let (Some(k), Some(v)) = (item.get("key").and_then(Json::as_str), item.get("value")) else { continue };
        let Some((_, path, kind)) = names.iter().find(|(key, ..)| *key == k) else { continue };
        let v = match (kind, v.as_str()) {
            (Kind::Bool, Some(s)) => s.parse().map(Value::Bool).unwrap_or_else(|_| value(v)),
            (Kind::Int, Some(s)) => s.parse::<i64>().map(Value::int).unwrap_or_else(|_| value(v)),
            _ => value(v),
        };
        out.push(Written::Set { path: (*path).to_string(), value: v });
    }
}

/// How an ELBv2 attribute's string value is stored by the provider.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Kind {
    Bool,
    Int,
    Str,
}

impl Kind {
    /// The API's string value as the provider stores it (`None` when it does not parse).
    pub(crate) fn parse(self, s: &str) -> Option<Value> {
        match self {
            Kind::Bool => s.parse().ok().map(Value::Bool),
            Kind::Int => s.parse::<i64>().ok().map(Value::int),
            Kind::Str => Some(Value::str(s)),
        }
    }
}

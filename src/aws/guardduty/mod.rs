//! GuardDuty: detectors and their features.
//!
//! Both types start from the region's detectors (ListDetectors, then GetDetector per detector),
//! read once and shared.

mod aws_guardduty_detector;
mod aws_guardduty_detector_feature;

use std::collections::HashMap;

use aws_sdk_guardduty::operation::get_detector::GetDetectorOutput;
use futures::{StreamExt, TryStreamExt};
use serde_json::Value as Json;

use super::client::for_caller;
use super::errors::{read_error, service_code};
use super::event::{Event, W, Written, value};
use super::{Ctx, Service};
use crate::model::{ReadError, Value};

crate::sdk_client!(aws_sdk_guardduty);

pub static SERVICE: Service = Service {
    name: "guardduty",
    concurrency: 4,
    types: &[&aws_guardduty_detector::TYPE, &aws_guardduty_detector_feature::TYPE],
};

/// Every detector of the region with GetDetector's answer, sorted by id, read once per scan.
/// A detector deleted between the listing and its Get is gone, not an error.
pub(crate) async fn detectors(ctx: &Ctx, types: &[&str]) -> Result<Vec<(String, GetDetectorOutput)>, ReadError> {
    const SHARED_BY: &[&str] = &["aws_guardduty_detector", "aws_guardduty_detector_feature"];
    let cached: Result<Vec<(String, GetDetectorOutput)>, ReadError> = ctx
        .once("guardduty:GetDetector", || async {
            let guardduty = ctx.client::<aws_sdk_guardduty::Client>();
            let mut ids = Vec::new();
            let mut pages = guardduty.list_detectors().into_paginator().send();
            while let Some(page) = {
                let _p = ctx.permit("guardduty").await;
                pages.next().await
            } {
                let page = page.map_err(|e| read_error("guardduty", &ctx.region, SHARED_BY, e))?;
                ids.extend(page.detector_ids().iter().cloned());
            }
            let guardduty = &guardduty;
            let found: Vec<Option<(String, GetDetectorOutput)>> = futures::stream::iter(ids)
                .map(|id| async move {
                    let _p = ctx.permit("guardduty").await;
                    match guardduty.get_detector().detector_id(&id).send().await {
                        Ok(out) => Ok(Some((id, out))),
                        Err(e) if matches!(service_code(&e), Some("BadRequestException" | "NotFoundException")) => {
                            Ok(None)
                        }
                        Err(e) => Err(read_error("guardduty", &ctx.region, SHARED_BY, e)),
                    }
                })
                .buffer_unordered(ctx.limit("guardduty"))
                .try_collect()
                .await?;
            let mut all: Vec<(String, GetDetectorOutput)> = found.into_iter().flatten().collect();
            all.sort_by(|a, b| a.0.cmp(&b.0));
            Ok(all)
        })
        .await;
    for_caller(&cached, types)
}

/// GuardDuty tags (a map) as the provider's `tags`: keys AWS adds (`aws:*`) hidden.
pub(crate) fn tags(tags: Option<&HashMap<String, String>>) -> Value {
    Value::string_map(
        tags.into_iter().flatten().filter(|(k, _)| !k.starts_with("aws:")).map(|(k, v)| (k.clone(), v.clone())),
    )
}

/// TagResource / UntagResource on a detector (by ARN).
pub(crate) const TAG_RESOURCE: Event =
    Event::modify("guardduty", "TagResource", &["resourceArn"]).writing(&[W::Custom(tag_map)]);
pub(crate) const UNTAG_RESOURCE: Event =
    Event::modify("guardduty", "UntagResource", &["resourceArn"]).writing(&[W::Untags { items: "tagKeys[]", key: "" }]);

/// `tags: {k: v}` (GuardDuty requests carry tags as a map).
pub(crate) fn tag_map(req: &Json, _resp: &Json, out: &mut Vec<Written>) {
    if let Some(Json::Object(m)) = req.get("tags") {
        for (k, v) in m {
            out.push(Written::Set { path: format!("tags.{k}"), value: value(v) });
        }
    }
}

//! `aws_guardduty_detector_feature`: the features GetDetector answers for each detector (the
//! shared read). Id: `detector_id/name`, the provider's. A part of its detector (`parent`): AWS
//! answers every feature of a detector whether or not Terraform manages it, so a feature no
//! state declares is judged through its detector, never unmanaged.
//!
//! CloudTrail: UpdateDetector (and CreateDetector) carry `features[].{name,status}`; the
//! feature is named by the detector and the first feature of the request.

use aws_sdk_guardduty::types::DetectorFeatureConfigurationResult;
use futures::FutureExt;

use super::detectors;
use crate::aws::event::{Event, W};
use crate::aws::{Ctx, FetchResult, Read, ResourceType};
use crate::model::{Resource, Value};

const TYPES: &[&str] = &["aws_guardduty_detector_feature"];

pub static TYPE: ResourceType = ResourceType {
    read: Some(Read { fetch: |ctx| fetch(ctx).boxed(), global: false }),
    parent: Some("aws_guardduty_detector"),
    events: &[Event::modify("guardduty", "UpdateDetector", &["{detectorId}/{features[].name}"])
        .writing(&[W::Param("status", "features[].status")])],
    ..ResourceType::base("aws_guardduty_detector_feature", "guardduty")
};

async fn fetch(ctx: &Ctx) -> FetchResult {
    let found = detectors(ctx, TYPES).await?;
    Ok(found
        .iter()
        .flat_map(|(id, d)| d.features().iter().map(move |f| map(id, f, &ctx.region, &ctx.account)))
        .collect())
}

/// Pure mapping from one feature of GetDetector's answer to provider v5 attributes.
pub fn map(detector_id: &str, f: &DetectorFeatureConfigurationResult, region: &str, account: &str) -> Resource {
    let name = f.name().map(|n| n.as_str()).unwrap_or_default();
    let id = format!("{detector_id}/{name}");
    let additional: Vec<Value> = f
        .additional_configuration()
        .iter()
        .map(|a| {
            Value::object([
                ("name", Value::str(a.name().map(|n| n.as_str()).unwrap_or_default())),
                ("status", Value::str(a.status().map(|s| s.as_str()).unwrap_or_default())),
            ])
        })
        .collect();
    Resource::live("aws_guardduty_detector_feature", id.clone(), region, account, None)
        .with("id", id)
        .with("detector_id", detector_id)
        .with("name", name)
        .with("status", f.status().map(|s| s.as_str()).unwrap_or_default())
        .with("additional_configuration", Value::List(additional))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::aws::Written;
    use crate::aws::event::of;
    use aws_sdk_guardduty::types::{DetectorFeatureResult, FeatureStatus};

    #[test]
    fn maps_a_feature_and_its_event() {
        let f = DetectorFeatureConfigurationResult::builder()
            .name(DetectorFeatureResult::S3DataEvents)
            .status(FeatureStatus::Enabled)
            .build();
        let r = map("d1", &f, "us-east-1", "1");
        assert_eq!(r.id, "d1/S3_DATA_EVENTS");
        assert_eq!(r.attr_str("status"), Some("ENABLED"));
        assert_eq!(r.attr("additional_configuration"), &Value::List(vec![]));
        let e = of("aws_guardduty_detector_feature", "guardduty", "UpdateDetector");
        let req =
            serde_json::json!({"detectorId": "d1", "features": [{"name": "S3_DATA_EVENTS", "status": "DISABLED"}]});
        assert_eq!(e.identifiers(&req, &serde_json::Value::Null), vec!["d1/S3_DATA_EVENTS"]);
        assert_eq!(
            e.writes(&req, &serde_json::Value::Null),
            vec![Written::Set { path: "status".into(), value: Value::str("DISABLED") }]
        );
    }
}

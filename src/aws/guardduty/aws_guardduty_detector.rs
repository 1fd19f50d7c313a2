//! `aws_guardduty_detector`: ListDetectors (paginated) then GetDetector per detector (shared
//! with `aws_guardduty_detector_feature`). Id: the detector id.
//!
//! Follows the provider's read: `enable` is the status `ENABLED`, `datasources` as one block
//! of the data sources AWS answers (each `enable` from its status), `account_id` the account.
//!
//! A region where GuardDuty is not enabled (no detector) is reported as one pseudo-detector
//! [`NO_DETECTOR_ID`] with `enable = false`, AWS's own (`aws_default`: never unmanaged, never
//! drift), so that HS-GD-001 fails there. A detector that exists but is suspended is itself
//! `enable = false`.
//!
//! CloudTrail: GuardDuty is a REST API whose path names the detector; its records carry it as
//! `detectorId` (CreateDetector answers it as `responseElements.detectorId`). Shapes follow
//! the API.

use aws_sdk_guardduty::operation::get_detector::GetDetectorOutput;
use aws_sdk_guardduty::types::{DataSourceStatus, DetectorStatus};
use futures::FutureExt;

use super::{detectors, tags};
use crate::aws::event::{Event, W};
use crate::aws::view::*;
use crate::aws::{Ctx, FetchResult, Identity, Read, ResourceType, ViewDef};
use crate::model::{Resource, Value, View};

const TYPES: &[&str] = &["aws_guardduty_detector"];

/// The id of the pseudo-detector of a region where GuardDuty is not enabled.
pub const NO_DETECTOR_ID: &str = "no-detector";

pub static TYPE: ResourceType = ResourceType {
    read: Some(Read { fetch: |ctx| fetch(ctx).boxed(), global: false }),
    identity: Identity::arn("guardduty", "detector/", &[]),
    events: &[
        Event::create("guardduty", "CreateDetector", &["@detectorId"]).writing(&[
            W::Param("enable", "enable"),
            W::Param("finding_publishing_frequency", "findingPublishingFrequency"),
            W::Custom(super::tag_map),
        ]),
        Event::delete("guardduty", "DeleteDetector", &["detectorId"]),
        Event::modify("guardduty", "UpdateDetector", &["detectorId"]).writing(&[
            W::Param("enable", "enable"),
            W::Param("finding_publishing_frequency", "findingPublishingFrequency"),
            W::Custom(data_sources_written),
        ]),
        super::TAG_RESOURCE,
        super::UNTAG_RESOURCE,
    ],
    view: Some(&VIEW),
    ..ResourceType::base("aws_guardduty_detector", "guardduty")
};

async fn fetch(ctx: &Ctx) -> FetchResult {
    let found = detectors(ctx, TYPES).await?;
    if found.is_empty() {
        return Ok(vec![no_detector(&ctx.region, &ctx.account)]);
    }
    Ok(found.iter().map(|(id, d)| map(id, d, &ctx.region, &ctx.account)).collect())
}

/// The pseudo-detector of a region without GuardDuty (see the module's notes).
pub fn no_detector(region: &str, account: &str) -> Resource {
    let mut r = Resource::live("aws_guardduty_detector", NO_DETECTOR_ID, region, account, None)
        .with("id", NO_DETECTOR_ID)
        .with("enable", false)
        .with("account_id", account);
    r.aws_default = true;
    r
}

fn enabled(s: Option<&DataSourceStatus>) -> Value {
    Value::Bool(matches!(s, Some(DataSourceStatus::Enabled)))
}

/// Pure mapping from GetDetector's answer to provider v5 attributes.
// `DataSources` is deprecated in the API in favour of features; the provider still stores it.
#[allow(deprecated)]
pub fn map(id: &str, d: &GetDetectorOutput, region: &str, account: &str) -> Resource {
    let arn = format!("arn:aws:guardduty:{region}:{account}:detector/{id}");
    let datasources = match d.data_sources() {
        Some(ds) => {
            let mut fields: Vec<(&'static str, Value)> = Vec::new();
            fields.push((
                "kubernetes",
                match ds.kubernetes() {
                    Some(k) => Value::block([(
                        "audit_logs",
                        Value::block([("enable", enabled(k.audit_logs().and_then(|a| a.status())))]),
                    )]),
                    None => Value::List(Vec::new()),
                },
            ));
            fields.push((
                "malware_protection",
                match ds.malware_protection() {
                    Some(m) => Value::block([(
                        "scan_ec2_instance_with_findings",
                        Value::block([(
                            "ebs_volumes",
                            Value::block([(
                                "enable",
                                enabled(
                                    m.scan_ec2_instance_with_findings()
                                        .and_then(|s| s.ebs_volumes())
                                        .and_then(|e| e.status()),
                                ),
                            )]),
                        )]),
                    )]),
                    None => Value::List(Vec::new()),
                },
            ));
            fields.push((
                "s3_logs",
                match ds.s3_logs() {
                    Some(s) => Value::block([("enable", enabled(s.status()))]),
                    None => Value::List(Vec::new()),
                },
            ));
            Value::block(fields)
        }
        None => Value::List(Vec::new()),
    };
    Resource::live("aws_guardduty_detector", id, region, account, Some(arn.clone()))
        .with("id", id)
        .with("arn", arn)
        .with("account_id", account)
        .with("enable", matches!(d.status(), Some(DetectorStatus::Enabled)))
        .with("finding_publishing_frequency", d.finding_publishing_frequency().map(|f| f.as_str()).unwrap_or_default())
        .with("datasources", datasources)
        .with("tags", tags(d.tags()))
}

/// `dataSources` in an UpdateDetector: the blocks it names.
fn data_sources_written(req: &serde_json::Value, _resp: &serde_json::Value, out: &mut Vec<crate::aws::Written>) {
    if req.get("dataSources").is_some_and(|v| !v.is_null()) {
        out.push(crate::aws::Written::Touch { path: "datasources".into() });
    }
}

pub static VIEW: ViewDef =
    ViewDef { kind: "guardduty_detector", build: |rs, v| each(rs, &["aws_guardduty_detector"], v, guardduty) };

fn guardduty(r: &Resource, view: View) -> JoinedView {
    let mut o = head("guardduty_detector", r, view);
    name_off_state(&mut o, r, NO_DETECTOR_ID);
    o.bool("enable", attr(r, "enable", view), true);
    let _ = put_str(&mut o, "finding_publishing_frequency", attr(r, "finding_publishing_frequency", view), None);
    joined("guardduty_detector", r, o)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::aws::Written;
    use crate::aws::event::of;
    use aws_sdk_guardduty::types::{
        DataSourceConfigurationsResult, FindingPublishingFrequency, S3LogsConfigurationResult,
    };
    use serde_json::{Value as J, json};

    #[test]
    #[allow(deprecated)]
    fn maps_a_detector_as_the_provider_stores_it() {
        let d = GetDetectorOutput::builder()
            .status(DetectorStatus::Enabled)
            .finding_publishing_frequency(FindingPublishingFrequency::FifteenMinutes)
            .data_sources(
                DataSourceConfigurationsResult::builder()
                    .s3_logs(S3LogsConfigurationResult::builder().status(DataSourceStatus::Enabled).build())
                    .build(),
            )
            .tags("Name", "main")
            .build();
        let r = map("d1", &d, "us-east-1", "1");
        assert_eq!(r.attr_str("arn"), Some("arn:aws:guardduty:us-east-1:1:detector/d1"));
        assert_eq!(r.attr("enable"), &Value::Bool(true));
        assert_eq!(r.attr_str("finding_publishing_frequency"), Some("FIFTEEN_MINUTES"));
        let ds = r.attr("datasources");
        assert_eq!(ds.get("s3_logs").and_then(|s| s.get("enable")), Some(&Value::Bool(true)));
        assert_eq!(ds.get("kubernetes"), Some(&Value::List(vec![])));
        assert_eq!(r.attr("tags"), &Value::string_map([("Name", "main")]));
        let v = crate::aws::view::build(std::slice::from_ref(&r), View::Live);
        assert_eq!(v[0].value["enable"], true);
    }

    #[test]
    fn a_region_without_guardduty_fails_the_rule() {
        let r = no_detector("eu-west-1", "1");
        assert!(r.aws_default);
        let v = crate::aws::view::build(std::slice::from_ref(&r), View::Live);
        assert_eq!(v[0].value["enable"], false);
        assert_eq!(v[0].value["name"], "no-detector (eu-west-1)", "messages name the region");
        let suspended =
            map("d2", &GetDetectorOutput::builder().status(DetectorStatus::Disabled).build(), "us-east-1", "1");
        assert_eq!(suspended.attr("enable"), &Value::Bool(false));
        assert_eq!(suspended.attr("datasources"), &Value::List(vec![]));
    }

    #[test]
    fn detector_events() {
        let update = of("aws_guardduty_detector", "guardduty", "UpdateDetector");
        let req = json!({"detectorId": "d1", "enable": false});
        assert_eq!(update.identifiers(&req, &J::Null), vec!["d1"]);
        assert_eq!(
            update.writes(&req, &J::Null),
            vec![Written::Set { path: "enable".into(), value: Value::Bool(false) }]
        );
        let create = of("aws_guardduty_detector", "guardduty", "CreateDetector");
        let req = json!({"enable": true, "tags": {"Team": "sec"}});
        let resp = json!({"detectorId": "d9"});
        assert_eq!(create.identifiers(&req, &resp), vec!["d9"]);
        assert!(
            create.writes(&req, &resp).contains(&Written::Set { path: "tags.Team".into(), value: Value::str("sec") })
        );
        let untag = of("aws_guardduty_detector", "guardduty", "UntagResource");
        let req = json!({"resourceArn": "arn:aws:guardduty:us-east-1:1:detector/d1", "tagKeys": ["Team"]});
        assert_eq!(untag.writes(&req, &J::Null), vec![Written::Unset { path: "tags.Team".into() }]);
    }
}

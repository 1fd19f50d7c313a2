//! `aws_cloudtrail`: DescribeTrails (shadow trails included), then per trail, under the
//! CloudTrail bound: GetTrailStatus (`enable_logging`), GetEventSelectors, GetInsightSelectors
//! and ListTags. Id: the trail's ARN (provider v5).
//!
//! A multi-region trail is listed in every region (a "shadow" outside its home region); it is
//! read once, in its home region. A region where no trail logs at all (none of its own, no
//! shadow) is reported as one pseudo-trail [`NO_TRAIL_ID`], AWS's own (`aws_default`: never
//! unmanaged, never drift) with logging, multi-region and global events off and no
//! selectors, so that HS-CT-001 and HS-CT-005 fail there; its other settings (validation, KMS,
//! CloudWatch Logs) are left Unknown, so no rule judges the properties of a trail that does
//! not exist.
//!
//! Follows the provider's read: the default event selector AWS reports for a trail without
//! custom selectors (`All`, management events, no data resources, no exclusions) is stored as
//! no `event_selector` at all; `insight_selector` is empty when insights are off
//! (`InsightNotEnabledException`); `sns_topic_name`/`sns_topic_arn` and `s3_key_prefix` are
//! `""` when unset.
//!
//! CloudTrail requests name a trail by `name` (StartLogging, StopLogging, UpdateTrail,
//! DeleteTrail: a name or an ARN), `trailName` (the selector calls) or `resourceId` (tags);
//! the verified shapes are in shared/research/cloudtrail.md §3, the others follow the API.

use aws_sdk_cloudtrail::types::{AdvancedEventSelector, EventSelector, InsightSelector, ReadWriteType, Trail};
use aws_smithy_runtime_api::client::result::SdkError;
use futures::{FutureExt, StreamExt, TryStreamExt};
use serde_json::Value as J;

use crate::aws::errors::{read_error, service_code};
use crate::aws::event::{Event, W, Written};
use crate::aws::view::*;
use crate::aws::{Ctx, FetchResult, Identity, Read, ResourceType, ViewDef};
use crate::model::{ReadError, Resource, Value, View};

const TYPES: &[&str] = &["aws_cloudtrail"];

/// The id of the pseudo-trail of a region where no trail logs.
pub const NO_TRAIL_ID: &str = "no-trail";

/// What CreateTrail and UpdateTrail write (same request shape).
const TRAIL_SETTINGS: &[W] = &[
    W::Param("s3_bucket_name", "s3BucketName"),
    W::Param("s3_key_prefix", "s3KeyPrefix"),
    W::Param("sns_topic_name", "snsTopicName"),
    W::Param("include_global_service_events", "includeGlobalServiceEvents"),
    W::Param("is_multi_region_trail", "isMultiRegionTrail"),
    W::Param("enable_log_file_validation", "enableLogFileValidation"),
    W::Param("cloud_watch_logs_group_arn", "cloudWatchLogsLogGroupArn"),
    W::Param("cloud_watch_logs_role_arn", "cloudWatchLogsRoleArn"),
    W::Param("kms_key_id", "kmsKeyId"),
    W::Param("is_organization_trail", "isOrganizationTrail"),
    W::Tags { items: "tagsList[]", key: "key", value: "value" },
];

pub static TYPE: ResourceType = ResourceType {
    read: Some(Read { fetch: |ctx| fetch(ctx).boxed(), global: false }),
    identity: Identity::arn("cloudtrail", "trail/", &["name"]),
    events: &[
        Event::create("cloudtrail", "CreateTrail", &["name", "@trailARN"]).writing(TRAIL_SETTINGS),
        Event::modify("cloudtrail", "UpdateTrail", &["name", "@trailARN"]).writing(TRAIL_SETTINGS),
        Event::delete("cloudtrail", "DeleteTrail", &["name"]),
        Event::modify("cloudtrail", "StartLogging", &["name"]).writing(&[W::Const("enable_logging", true)]),
        Event::modify("cloudtrail", "StopLogging", &["name"]).writing(&[W::Const("enable_logging", false)]),
        Event::modify("cloudtrail", "PutEventSelectors", &["trailName", "@trailARN"])
            .writing(&[W::Custom(event_selectors_written)]),
        Event::modify("cloudtrail", "PutInsightSelectors", &["trailName", "@trailARN"])
            .writing(&[W::Touch("insight_selector")]),
        Event::modify("cloudtrail", "AddTags", &["resourceId"]).writing(&[W::Tags {
            items: "tagsList[]",
            key: "key",
            value: "value",
        }]),
        Event::modify("cloudtrail", "RemoveTags", &["resourceId"])
            .writing(&[W::Untags { items: "tagsList[]", key: "key" }]),
    ],
    view: Some(&VIEW),
    ..ResourceType::base("aws_cloudtrail", "cloudtrail")
};

/// What one trail's per-trail reads answered.
#[derive(Debug, Clone, Default)]
pub struct TrailDetails {
    /// GetTrailStatus `IsLogging`.
    pub logging: Option<bool>,
    pub event_selectors: Vec<EventSelector>,
    pub advanced_event_selectors: Vec<AdvancedEventSelector>,
    pub insight_selectors: Vec<InsightSelector>,
    pub tags: Vec<(String, String)>,
}

async fn fetch(ctx: &Ctx) -> FetchResult {
    let cloudtrail = ctx.client::<aws_sdk_cloudtrail::Client>();
    let listed = {
        let _p = ctx.permit("cloudtrail").await;
        cloudtrail.describe_trails().include_shadow_trails(true).send().await
    };
    let listed = listed.map_err(|e| read_error("cloudtrail", &ctx.region, TYPES, e))?;
    let trails = listed.trail_list();
    if trails.is_empty() {
        return Ok(vec![no_trail(&ctx.region, &ctx.account)]);
    }
    // Shadows are read in their home region.
    let own: Vec<Trail> = trails.iter().filter(|t| home_region(t).is_none_or(|h| h == ctx.region)).cloned().collect();
    let cloudtrail = &cloudtrail;
    let found: Vec<Option<Resource>> = futures::stream::iter(own)
        .map(|t| async move {
            let Some(arn) = t.trail_arn().map(str::to_string) else { return Ok(None) };
            match details(ctx, cloudtrail, &arn).await? {
                Some(d) => Ok(Some(map(&t, &d, &ctx.region, &ctx.account))),
                None => Ok(None),
            }
        })
        .buffer_unordered(ctx.limit("cloudtrail"))
        .try_collect()
        .await?;
    Ok(found.into_iter().flatten().collect())
}

/// A trail's home region: `HomeRegion`, else the region of its ARN.
fn home_region(t: &Trail) -> Option<&str> {
    t.home_region().or_else(|| t.trail_arn().and_then(|a| a.split(':').nth(3)).filter(|r| !r.is_empty()))
}

/// The trail was deleted between the listing and this call.
fn gone<E: aws_sdk_cloudtrail::error::ProvideErrorMetadata, R>(e: &SdkError<E, R>) -> bool {
    service_code(e) == Some("TrailNotFoundException")
}

/// The four per-trail reads, concurrently; `None` when the trail is gone.
async fn details(
    ctx: &Ctx,
    cloudtrail: &aws_sdk_cloudtrail::Client,
    arn: &str,
) -> Result<Option<TrailDetails>, ReadError> {
    let status = async {
        let _p = ctx.permit("cloudtrail").await;
        cloudtrail.get_trail_status().name(arn).send().await
    };
    let selectors = async {
        let _p = ctx.permit("cloudtrail").await;
        cloudtrail.get_event_selectors().trail_name(arn).send().await
    };
    let insights = async {
        let _p = ctx.permit("cloudtrail").await;
        cloudtrail.get_insight_selectors().trail_name(arn).send().await
    };
    let tags = async {
        let _p = ctx.permit("cloudtrail").await;
        cloudtrail.list_tags().resource_id_list(arn).send().await
    };
    let (status, selectors, insights, tags) = futures::join!(status, selectors, insights, tags);
    let mut d = TrailDetails::default();
    match status {
        Ok(s) => d.logging = s.is_logging(),
        Err(e) if gone(&e) => return Ok(None),
        Err(e) => return Err(read_error("cloudtrail", &ctx.region, TYPES, e)),
    }
    match selectors {
        Ok(s) => {
            d.event_selectors = s.event_selectors().to_vec();
            d.advanced_event_selectors = s.advanced_event_selectors().to_vec();
        }
        Err(e) if gone(&e) => return Ok(None),
        Err(e) => return Err(read_error("cloudtrail", &ctx.region, TYPES, e)),
    }
    match insights {
        Ok(i) => d.insight_selectors = i.insight_selectors().to_vec(),
        // Insights off: the provider stores no selectors.
        Err(e) if service_code(&e) == Some("InsightNotEnabledException") => {}
        Err(e) if gone(&e) => return Ok(None),
        Err(e) => return Err(read_error("cloudtrail", &ctx.region, TYPES, e)),
    }
    match tags {
        Ok(t) => {
            d.tags = t
                .resource_tag_list()
                .iter()
                .flat_map(|r| r.tags_list())
                .map(|t| (t.key().to_string(), t.value().unwrap_or_default().to_string()))
                .collect()
        }
        Err(e) if gone(&e) => return Ok(None),
        Err(e) => return Err(read_error("cloudtrail", &ctx.region, TYPES, e)),
    }
    Ok(Some(d))
}

/// The pseudo-trail of a region where no trail logs (see the module's notes).
pub fn no_trail(region: &str, account: &str) -> Resource {
    let mut r = Resource::live("aws_cloudtrail", NO_TRAIL_ID, region, account, None)
        .with("id", NO_TRAIL_ID)
        .with("name", NO_TRAIL_ID)
        .with("enable_logging", false)
        .with("is_multi_region_trail", false)
        .with("include_global_service_events", false)
        .with("event_selector", Value::List(Vec::new()))
        .with("advanced_event_selector", Value::List(Vec::new()))
        .with("insight_selector", Value::List(Vec::new()))
        .with("tags", Value::Map(Default::default()));
    r.aws_default = true;
    r
}

/// Pure mapping from the SDK's `Trail` and its per-trail reads to provider v5 attributes.
pub fn map(t: &Trail, d: &TrailDetails, region: &str, account: &str) -> Resource {
    let name = t.name().unwrap_or_default();
    let arn = t
        .trail_arn()
        .map(str::to_string)
        .unwrap_or_else(|| format!("arn:aws:cloudtrail:{region}:{account}:trail/{name}"));
    let s = |v: Option<&str>| Value::str(v.unwrap_or_default());
    let mut r = Resource::live("aws_cloudtrail", arn.clone(), region, account, Some(arn.clone()))
        .with("id", arn.clone())
        .with("arn", arn)
        .with("name", name)
        .with("home_region", home_region(t).unwrap_or(region))
        .with("s3_bucket_name", s(t.s3_bucket_name()))
        .with("s3_key_prefix", s(t.s3_key_prefix()))
        .with("cloud_watch_logs_group_arn", s(t.cloud_watch_logs_log_group_arn()))
        .with("cloud_watch_logs_role_arn", s(t.cloud_watch_logs_role_arn()))
        .with("kms_key_id", s(t.kms_key_id()))
        .with("include_global_service_events", t.include_global_service_events().unwrap_or(false))
        .with("is_multi_region_trail", t.is_multi_region_trail().unwrap_or(false))
        .with("is_organization_trail", t.is_organization_trail().unwrap_or(false))
        .with("enable_log_file_validation", t.log_file_validation_enabled().unwrap_or(false))
        .with("event_selector", event_selectors(&d.event_selectors))
        .with("advanced_event_selector", advanced_event_selectors(&d.advanced_event_selectors))
        .with("insight_selector", insight_selectors(&d.insight_selectors))
        .with("tags", Value::string_map(d.tags.iter().filter(|(k, _)| !k.starts_with("aws:")).cloned()));
    #[allow(deprecated)]
    let topic_name = t.sns_topic_name();
    r.set("sns_topic_name", s(topic_name));
    r.set("sns_topic_arn", s(t.sns_topic_arn()));
    if let Some(logging) = d.logging {
        r.set("enable_logging", logging);
    }
    r
}

/// `event_selector` blocks; the default selector of a trail without custom ones is none.
fn event_selectors(sels: &[EventSelector]) -> Value {
    let default = |e: &EventSelector| {
        e.data_resources().is_empty()
            && e.exclude_management_event_sources().is_empty()
            && matches!(e.read_write_type(), None | Some(ReadWriteType::All))
    };
    if sels.len() == 1 && default(&sels[0]) {
        return Value::List(Vec::new());
    }
    Value::List(
        sels.iter()
            .map(|e| {
                Value::object([
                    (
                        "data_resource",
                        Value::List(
                            e.data_resources()
                                .iter()
                                .map(|d| {
                                    Value::object([
                                        ("type", Value::str(d.r#type().unwrap_or_default())),
                                        ("values", Value::string_list(d.values().iter().cloned())),
                                    ])
                                })
                                .collect(),
                        ),
                    ),
                    ("exclude_management_event_sources", set(e.exclude_management_event_sources())),
                    ("include_management_events", Value::Bool(e.include_management_events().unwrap_or(true))),
                    ("read_write_type", Value::str(e.read_write_type().map(|t| t.as_str()).unwrap_or("All"))),
                ])
            })
            .collect(),
    )
}

fn advanced_event_selectors(sels: &[AdvancedEventSelector]) -> Value {
    Value::List(
        sels.iter()
            .map(|a| {
                let mut fields: Vec<Value> = a
                    .field_selectors()
                    .iter()
                    .map(|f| {
                        let list = |v: &[String]| Value::string_list(v.iter().cloned());
                        Value::object([
                            ("field", Value::str(f.field())),
                            ("equals", list(f.equals())),
                            ("not_equals", list(f.not_equals())),
                            ("starts_with", list(f.starts_with())),
                            ("not_starts_with", list(f.not_starts_with())),
                            ("ends_with", list(f.ends_with())),
                            ("not_ends_with", list(f.not_ends_with())),
                        ])
                    })
                    .collect();
                // A set in the provider.
                fields.sort_by_key(Value::canonical);
                Value::object([
                    ("name", Value::str(a.name().unwrap_or_default())),
                    ("field_selector", Value::List(fields)),
                ])
            })
            .collect(),
    )
}

fn insight_selectors(sels: &[InsightSelector]) -> Value {
    let mut v: Vec<Value> = sels
        .iter()
        .filter_map(|i| i.insight_type())
        .map(|t| Value::object([("insight_type", Value::str(t.as_str()))]))
        .collect();
    v.sort_by_key(Value::canonical);
    v.dedup();
    Value::List(v)
}

fn set(items: &[String]) -> Value {
    let mut v: Vec<&str> = items.iter().map(String::as_str).collect();
    v.sort_unstable();
    v.dedup();
    Value::string_list(v)
}

/// PutEventSelectors replaces one kind of selector (the request carries either list).
fn event_selectors_written(req: &J, _resp: &J, out: &mut Vec<Written>) {
    if req.get("eventSelectors").is_some_and(|v| !v.is_null()) {
        out.push(Written::Touch { path: "event_selector".into() });
    }
    if req.get("advancedEventSelectors").is_some_and(|v| !v.is_null()) {
        out.push(Written::Touch { path: "advanced_event_selector".into() });
    }
}

pub static VIEW: ViewDef = ViewDef {
    kind: "cloudtrail",
    build: |rs, v| cloudtrails(&rs.iter().filter(|r| r.rtype == "aws_cloudtrail").collect::<Vec<_>>(), v),
};

fn cloudtrails(trails: &[&Resource], view: View) -> Vec<JoinedView> {
    let mut built: Vec<(Obj, Option<bool>, Option<bool>)> = trails
        .iter()
        .map(|r| {
            let a = |k: &str| attr(r, k, view);
            let mut o = head("cloudtrail", r, view);
            if let Ok(Some(n)) = a("name").string(None) {
                o.put("name", n);
            }
            name_off_state(&mut o, r, NO_TRAIL_ID);
            let multi = o.bool("is_multi_region_trail", a("is_multi_region_trail"), false);
            let global = o.bool("include_global_service_events", a("include_global_service_events"), true);
            let logging = o.bool("enable_logging", a("enable_logging"), true);
            o.bool("enable_log_file_validation", a("enable_log_file_validation"), false);
            let key = put_str(&mut o, "kms_key_id", a("kms_key_id"), None);
            flag(&mut o, "kms_encrypted", &key);
            let group = put_str(&mut o, "cloud_watch_logs_group_arn", a("cloud_watch_logs_group_arn"), None);
            let role = put_str(&mut o, "cloud_watch_logs_role_arn", a("cloud_watch_logs_role_arn"), None);
            o.opt(
                "cloudwatch_logs",
                match (group, role) {
                    (Ok(g), Ok(r)) => Some(g.is_some() && r.is_some()),
                    (Ok(None), _) | (_, Ok(None)) => Some(false),
                    _ => None,
                },
            );
            let _ = put_str(&mut o, "s3_bucket_name", a("s3_bucket_name"), None);
            let all_regions = match (multi, global, logging) {
                (Some(false), ..) | (_, Some(false), _) | (.., Some(false)) => Some(false),
                (Some(true), Some(true), Some(true)) => Some(true),
                _ => None,
            };
            o.opt("covers_all_regions", all_regions);
            let (read, write) = s3_data_events(r, view);
            let mut d = Obj::default();
            d.opt("read", read).opt("write", write);
            o.put("s3_data_events", d.finish());
            let both = match (read, write) {
                (Some(r), Some(w)) => Some(r && w),
                _ => None,
            };
            (o, all_regions, both.and_then(|b| logging.map(|l| b && l)))
        })
        .collect();
    // What the trails of this view achieve together: one all-region trail is enough.
    let all_regions = built.iter().fold(Some(false), |acc, (_, a, _)| any(acc, *a));
    let data_events = built.iter().fold(Some(false), |acc, (_, _, d)| any(acc, *d));
    trails
        .iter()
        .zip(built.iter_mut())
        .map(|(r, (o, ..))| {
            let mut acc = Obj::default();
            acc.opt("all_region_trail", all_regions).opt("s3_data_events", data_events);
            let mut o = std::mem::take(o);
            o.put("account", acc.finish());
            joined("cloudtrail", r, o)
        })
        .collect()
}

/// Whether the trail records S3 object-level read and write events (any bucket).
fn s3_data_events(r: &Resource, view: View) -> (Option<bool>, Option<bool>) {
    let (mut read, mut write) = (Some(false), Some(false));
    match attr(r, "event_selector", view).elements() {
        Ok(sels) => {
            for s in sels {
                let f = F::of(Some(s));
                let s3 = match f.field("data_resource").elements() {
                    Ok(ds) => Some(ds.iter().any(|d| d.get("type").and_then(Value::as_str) == Some("AWS::S3::Object"))),
                    Err(()) => None,
                };
                let rw = f.field("read_write_type").string(Some("All"));
                let (r_, w_) = match (s3, rw) {
                    (Some(false), _) => (Some(false), Some(false)),
                    (Some(true), Ok(rw)) => {
                        let rw = rw.unwrap_or_else(|| "All".into());
                        (Some(rw != "WriteOnly"), Some(rw != "ReadOnly"))
                    }
                    _ => (None, None),
                };
                read = any(read, r_);
                write = any(write, w_);
            }
        }
        Err(()) => {
            read = any(read, None);
            write = any(write, None);
        }
    }
    match attr(r, "advanced_event_selector", view).elements() {
        Ok(sels) => {
            for s in sels {
                let Some(fields) = s.get("field_selector").and_then(Value::as_list) else {
                    read = any(read, None);
                    write = any(write, None);
                    continue;
                };
                let equals = |name: &str| -> Option<Vec<String>> {
                    fields.iter().find(|f| f.get("field").and_then(Value::as_str) == Some(name)).map(|f| {
                        f.get("equals")
                            .and_then(Value::as_list)
                            .map(|l| l.iter().filter_map(|v| v.as_str().map(str::to_string)).collect())
                            .unwrap_or_default()
                    })
                };
                let data = equals("eventCategory").is_some_and(|v| v.iter().any(|x| x == "Data"));
                let s3 = equals("resources.type").is_some_and(|v| v.iter().any(|x| x == "AWS::S3::Object"));
                if data && s3 {
                    let ro = equals("readOnly");
                    let only = ro.as_ref().filter(|v| v.len() == 1).map(|v| v[0].as_str());
                    read = any(read, Some(only != Some("false")));
                    write = any(write, Some(only != Some("true")));
                }
            }
        }
        Err(()) => {
            read = any(read, None);
            write = any(write, None);
        }
    }
    (read, write)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::aws::event::of;
    use aws_sdk_cloudtrail::types::{AdvancedFieldSelector, DataResource, InsightType};
    use serde_json::json;

    fn trail() -> Trail {
        Trail::builder()
            .name("audit")
            .trail_arn("arn:aws:cloudtrail:us-east-1:1:trail/audit")
            .home_region("us-east-1")
            .s3_bucket_name("logs")
            .is_multi_region_trail(true)
            .include_global_service_events(true)
            .log_file_validation_enabled(true)
            .kms_key_id("arn:aws:kms:us-east-1:1:key/k")
            .cloud_watch_logs_log_group_arn("arn:aws:logs:us-east-1:1:log-group:/trail:*")
            .cloud_watch_logs_role_arn("arn:aws:iam::1:role/trail")
            .build()
    }

    #[test]
    fn maps_a_trail_with_its_status_and_selectors() {
        let d = TrailDetails {
            logging: Some(true),
            event_selectors: vec![
                EventSelector::builder()
                    .read_write_type(ReadWriteType::All)
                    .include_management_events(true)
                    .data_resources(DataResource::builder().r#type("AWS::S3::Object").values("arn:aws:s3").build())
                    .build(),
            ],
            advanced_event_selectors: vec![],
            insight_selectors: vec![InsightSelector::builder().insight_type(InsightType::ApiCallRateInsight).build()],
            tags: vec![("Name".into(), "audit".into()), ("aws:cloudformation:stack-name".into(), "x".into())],
        };
        let r = map(&trail(), &d, "us-east-1", "1");
        assert_eq!(r.id, "arn:aws:cloudtrail:us-east-1:1:trail/audit");
        assert_eq!(r.attr("enable_logging"), &Value::Bool(true));
        assert_eq!(r.attr_str("s3_key_prefix"), Some(""));
        assert_eq!(r.attr_str("sns_topic_name"), Some(""));
        let sel = &r.attr("event_selector").as_list().unwrap()[0];
        assert_eq!(sel.get("read_write_type"), Some(&Value::str("All")));
        assert_eq!(
            sel.get("data_resource").unwrap().as_list().unwrap()[0].get("type"),
            Some(&Value::str("AWS::S3::Object"))
        );
        assert_eq!(r.attr("insight_selector").as_list().unwrap().len(), 1);
        assert_eq!(r.attr("tags"), &Value::string_map([("Name", "audit")]));
        let v = crate::aws::view::build(std::slice::from_ref(&r), View::Live);
        assert_eq!(v[0].value["covers_all_regions"], true);
        assert_eq!(v[0].value["kms_encrypted"], true);
        assert_eq!(v[0].value["cloudwatch_logs"], true);
        assert_eq!(v[0].value["account"]["s3_data_events"], true);
        assert_eq!(v[0].value["unknown"], json!([]));
    }

    #[test]
    fn the_default_selector_is_stored_as_none_and_advanced_ones_as_sets() {
        let d = TrailDetails {
            logging: Some(false),
            event_selectors: vec![
                EventSelector::builder().read_write_type(ReadWriteType::All).include_management_events(true).build(),
            ],
            advanced_event_selectors: vec![
                AdvancedEventSelector::builder()
                    .name("s3")
                    .field_selectors(
                        AdvancedFieldSelector::builder()
                            .field("resources.type")
                            .equals("AWS::S3::Object")
                            .build()
                            .unwrap(),
                    )
                    .field_selectors(
                        AdvancedFieldSelector::builder().field("eventCategory").equals("Data").build().unwrap(),
                    )
                    .build()
                    .unwrap(),
            ],
            ..Default::default()
        };
        let r = map(&trail(), &d, "us-east-1", "1");
        assert_eq!(r.attr("event_selector"), &Value::List(vec![]));
        let adv = &r.attr("advanced_event_selector").as_list().unwrap()[0];
        let mut fields: Vec<&str> = adv
            .get("field_selector")
            .unwrap()
            .as_list()
            .unwrap()
            .iter()
            .filter_map(|f| f.get("field")?.as_str())
            .collect();
        fields.sort_unstable();
        assert_eq!(fields, ["eventCategory", "resources.type"]);
        let v = crate::aws::view::build(std::slice::from_ref(&r), View::Live);
        // Logging stopped: the trail no longer covers every region.
        assert_eq!(v[0].value["covers_all_regions"], false);
        assert_eq!(v[0].value["s3_data_events"]["read"], true);
    }

    #[test]
    fn a_region_without_a_trail_fails_only_the_coverage_rules() {
        let r = no_trail("eu-west-1", "1");
        assert!(r.aws_default);
        let v = crate::aws::view::build(std::slice::from_ref(&r), View::Live);
        let v = &v[0].value;
        assert_eq!(v["covers_all_regions"], false);
        assert_eq!(v["account"]["all_region_trail"], false);
        assert_eq!(v["account"]["s3_data_events"], false);
        // Properties of a trail that does not exist are not judged.
        for unknown in ["enable_log_file_validation", "kms_encrypted", "cloudwatch_logs"] {
            assert!(v[unknown].is_null(), "{unknown}: {v:#}");
        }
    }

    #[test]
    fn trail_events() {
        let stop = of("aws_cloudtrail", "cloudtrail", "StopLogging");
        let req = json!({"name": "arn:aws:cloudtrail:us-east-1:1:trail/audit"});
        assert_eq!(stop.identifiers(&req, &J::Null), vec!["arn:aws:cloudtrail:us-east-1:1:trail/audit"]);
        assert_eq!(
            stop.writes(&req, &J::Null),
            vec![Written::Set { path: "enable_logging".into(), value: Value::Bool(false) }]
        );
        let update = of("aws_cloudtrail", "cloudtrail", "UpdateTrail");
        let req = json!({"name": "audit", "isMultiRegionTrail": false, "enableLogFileValidation": false});
        let resp = json!({"name": "audit", "trailARN": "arn:aws:cloudtrail:us-east-1:1:trail/audit"});
        assert_eq!(update.identifiers(&req, &resp), vec!["audit", "arn:aws:cloudtrail:us-east-1:1:trail/audit"]);
        assert_eq!(
            update.writes(&req, &resp),
            vec![
                Written::Set { path: "is_multi_region_trail".into(), value: Value::Bool(false) },
                Written::Set { path: "enable_log_file_validation".into(), value: Value::Bool(false) },
            ]
        );
        let create = of("aws_cloudtrail", "cloudtrail", "CreateTrail");
        let req = json!({"name": "audit", "s3BucketName": "logs", "tagsList": [{"key": "Team", "value": "sec"}]});
        let w = create.writes(&req, &J::Null);
        assert!(w.contains(&Written::Set { path: "tags.Team".into(), value: Value::str("sec") }));
        let selectors = of("aws_cloudtrail", "cloudtrail", "PutEventSelectors");
        let req = json!({"trailName": "audit", "advancedEventSelectors": [{"fieldSelectors": [{"field": "eventCategory", "equals": ["Data"]}]}]});
        assert_eq!(selectors.identifiers(&req, &J::Null), vec!["audit"]);
        assert_eq!(selectors.writes(&req, &J::Null), vec![Written::Touch { path: "advanced_event_selector".into() }]);
        let untag = of("aws_cloudtrail", "cloudtrail", "RemoveTags");
        let req = json!({"resourceId": "arn:aws:cloudtrail:us-east-1:1:trail/audit", "tagsList": [{"key": "Team"}]});
        assert_eq!(untag.writes(&req, &J::Null), vec![Written::Unset { path: "tags.Team".into() }]);
    }
}

//! `aws_config_configuration_recorder`: DescribeConfigurationRecorders (one call: a region has
//! at most one customer recorder, plus service-linked ones). Id: the name.
//!
//! Follows the provider's read: `recording_group` as one block whose `resource_types` is set
//! only when AWS lists some, `exclusion_by_resource_types` and `recording_strategy` when AWS
//! answers them; `recording_mode` only when AWS answers one. Recorders a service created for
//! itself (a `ServicePrincipal`, named `AWSConfigurationRecorderFor...`) are AWS's
//! (`aws_default`).
//!
//! A region without any recorder is reported as one pseudo-recorder [`NO_RECORDER_ID`], AWS's
//! own (`aws_default`: never unmanaged, never drift), with no status: the view then says
//! recording is not started (and, without a channel, that nothing is delivered), so HS-CFG-001
//! fails there. What it would record is left Unknown (no finding on the recording group of a
//! recorder that does not exist).
//!
//! Its view joins, per region, the recorder status (by name) and the delivery channels.
//!
//! CloudTrail: PutConfigurationRecorder carries the whole recorder
//! (`configurationRecorder.{name,roleARN,recordingGroup,recordingMode}`); Delete names
//! `configurationRecorderName`. Shapes follow the API.

use aws_sdk_config::types::{ConfigurationRecorder, RecordingGroup, RecordingMode};
use futures::FutureExt;
use serde_json::Value as J;

use crate::aws::errors::read_error;
use crate::aws::event::{Event, W, Written};
use crate::aws::view::*;
use crate::aws::{Ctx, FetchResult, Identity, Read, ResourceType, ViewDef};
use crate::model::{Resource, Value, View};

const TYPES: &[&str] = &["aws_config_configuration_recorder"];

/// The id of the pseudo-recorder of a region where AWS Config records nothing.
pub const NO_RECORDER_ID: &str = "no-recorder";

pub static TYPE: ResourceType = ResourceType {
    read: Some(Read { fetch: |ctx| fetch(ctx).boxed(), global: false }),
    identity: Identity::arn("config", "config-recorder/", &["name"]),
    events: &[
        Event::create("config", "PutConfigurationRecorder", &["configurationRecorder.name"])
            .writing(&[W::Param("role_arn", "configurationRecorder.roleARN"), W::Custom(recorder_written)]),
        Event::delete("config", "DeleteConfigurationRecorder", &["configurationRecorderName"]),
    ],
    view: Some(&VIEW),
    ..ResourceType::base("aws_config_configuration_recorder", "config")
};

async fn fetch(ctx: &Ctx) -> FetchResult {
    let config = ctx.client::<aws_sdk_config::Client>();
    let answer = {
        let _p = ctx.permit("config").await;
        config.describe_configuration_recorders().send().await
    };
    let out = answer.map_err(|e| read_error("config", &ctx.region, TYPES, e))?;
    let recorders: Vec<Resource> =
        out.configuration_recorders().iter().map(|r| map(r, &ctx.region, &ctx.account)).collect();
    if recorders.is_empty() {
        return Ok(vec![no_recorder(&ctx.region, &ctx.account)]);
    }
    Ok(recorders)
}

/// The pseudo-recorder of a region without one (see the module's notes).
pub fn no_recorder(region: &str, account: &str) -> Resource {
    let mut r = Resource::live("aws_config_configuration_recorder", NO_RECORDER_ID, region, account, None)
        .with("id", NO_RECORDER_ID)
        .with("name", NO_RECORDER_ID);
    r.aws_default = true;
    r
}

/// Pure mapping from the SDK's `ConfigurationRecorder` to provider v5 attributes.
pub fn map(c: &ConfigurationRecorder, region: &str, account: &str) -> Resource {
    let name = c.name().unwrap_or_default();
    let mut r = Resource::live("aws_config_configuration_recorder", name, region, account, c.arn().map(str::to_string))
        .with("id", name)
        .with("name", name)
        .with("role_arn", c.role_arn().unwrap_or_default())
        .with("recording_group", c.recording_group().map(recording_group).unwrap_or(Value::List(Vec::new())))
        .with("recording_mode", c.recording_mode().map(recording_mode).unwrap_or(Value::List(Vec::new())));
    r.aws_default = c.service_principal().is_some_and(|p| !p.is_empty());
    r
}

fn types_set<'a>(types: impl IntoIterator<Item = &'a aws_sdk_config::types::ResourceType>) -> Value {
    let mut v: Vec<&str> = types.into_iter().map(|t| t.as_str()).collect();
    v.sort_unstable();
    v.dedup();
    Value::string_list(v)
}

fn recording_group(g: &RecordingGroup) -> Value {
    let mut m = vec![
        ("all_supported", Value::Bool(g.all_supported())),
        ("include_global_resource_types", Value::Bool(g.include_global_resource_types())),
        (
            "exclusion_by_resource_types",
            match g.exclusion_by_resource_types() {
                Some(x) => Value::block([("resource_types", types_set(x.resource_types()))]),
                None => Value::List(Vec::new()),
            },
        ),
        (
            "recording_strategy",
            match g.recording_strategy() {
                Some(s) => {
                    Value::block([("use_only", Value::str(s.use_only().map(|u| u.as_str()).unwrap_or_default()))])
                }
                None => Value::List(Vec::new()),
            },
        ),
    ];
    // Set only when AWS lists some (the provider leaves it null otherwise).
    m.push(("resource_types", if g.resource_types().is_empty() { Value::Null } else { types_set(g.resource_types()) }));
    Value::block(m)
}

fn recording_mode(mode: &RecordingMode) -> Value {
    Value::block([
        ("recording_frequency", Value::str(mode.recording_frequency().as_str())),
        (
            "recording_mode_override",
            Value::List(
                mode.recording_mode_overrides()
                    .iter()
                    .map(|o| {
                        Value::object([
                            ("description", Value::str(o.description().unwrap_or_default())),
                            ("recording_frequency", Value::str(o.recording_frequency().as_str())),
                            ("resource_types", types_set(o.resource_types())),
                        ])
                    })
                    .collect(),
            ),
        ),
    ])
}

/// PutConfigurationRecorder replaces the recording group and mode it names.
fn recorder_written(req: &J, _resp: &J, out: &mut Vec<Written>) {
    let Some(c) = req.get("configurationRecorder") else { return };
    if let Some(all) = c.get("recordingGroup").and_then(|g| g.get("allSupported")).and_then(J::as_bool) {
        out.push(Written::Set { path: "recording_group[0].all_supported".into(), value: Value::Bool(all) });
    }
    if let Some(global) = c.get("recordingGroup").and_then(|g| g.get("includeGlobalResourceTypes")).and_then(J::as_bool)
    {
        out.push(Written::Set {
            path: "recording_group[0].include_global_resource_types".into(),
            value: Value::Bool(global),
        });
    }
    if c.get("recordingMode").is_some_and(|m| !m.is_null()) {
        out.push(Written::Touch { path: "recording_mode".into() });
    }
}

// -- view -----------------------------------------------------------------------------------

pub static VIEW: ViewDef = ViewDef { kind: "config_recorder", build: config_recorders };

/// Both regions known and different: resources of two regions never join.
fn same_region(a: &Resource, b: &Resource) -> bool {
    match (&a.region, &b.region) {
        (Some(x), Some(y)) => x == y,
        _ => true,
    }
}

fn config_recorders(resources: &[Resource], view: View) -> Vec<JoinedView> {
    let recorders: Vec<&Resource> =
        resources.iter().filter(|r| r.rtype == "aws_config_configuration_recorder").collect();
    let statuses: Vec<&Resource> =
        resources.iter().filter(|r| r.rtype == "aws_config_configuration_recorder_status").collect();
    let channels: Vec<&Resource> = resources.iter().filter(|r| r.rtype == "aws_config_delivery_channel").collect();
    // Global resource types need recording in one region only: over the whole view.
    let global_any = recorders.iter().fold(Some(false), |acc, r| {
        any(acc, attr(r, "recording_group", view).field("include_global_resource_types").bool(false))
    });
    recorders
        .iter()
        .map(|r| {
            // The status of this recorder: same region, named after it (or its address).
            let mut index = Index::default();
            index.add(0, r, &["name"]);
            let st =
                statuses.iter().copied().find(|s| same_region(r, s) && index.find(s.attributes.get("name")).is_some());
            let channel = channels.iter().any(|c| same_region(r, c));
            let mut o = head("config_recorder", r, view);
            if let Ok(Some(n)) = attr(r, "name", view).string(None) {
                o.put("name", n);
            }
            name_off_state(&mut o, r, NO_RECORDER_ID);
            let g = attr(r, "recording_group", view);
            o.bool("all_supported", g.field("all_supported"), true);
            o.bool("include_global_resource_types", g.field("include_global_resource_types"), false);
            let mut s = Obj::default();
            setting_origin(&mut s, r, st);
            s.put("configured", st.is_some());
            match st {
                Some(st) => {
                    s.bool("is_enabled", attr(st, "is_enabled", view), false);
                }
                None => {
                    s.put("is_enabled", false);
                }
            }
            o.put("status", s.finish());
            let mut acc = Obj::default();
            acc.put("delivery_channel", channel).opt("global_resource_types", global_any);
            o.put("account", acc.finish());
            joined("config_recorder", r, o)
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::aws::event::of;
    use aws_sdk_config::types::{ExclusionByResourceTypes, RecordingStrategy, RecordingStrategyType};
    use serde_json::json;

    fn recorder() -> ConfigurationRecorder {
        ConfigurationRecorder::builder()
            .name("default")
            .role_arn("arn:aws:iam::1:role/config")
            .recording_group(
                RecordingGroup::builder()
                    .all_supported(true)
                    .include_global_resource_types(true)
                    .exclusion_by_resource_types(ExclusionByResourceTypes::builder().build())
                    .recording_strategy(
                        RecordingStrategy::builder().use_only(RecordingStrategyType::AllSupportedResourceTypes).build(),
                    )
                    .build(),
            )
            .build()
    }

    #[test]
    fn maps_a_recorder_as_the_provider_stores_it() {
        let r = map(&recorder(), "us-east-1", "1");
        assert_eq!(r.id, "default");
        assert!(!r.aws_default);
        let g = r.attr("recording_group");
        assert_eq!(g.get("all_supported"), Some(&Value::Bool(true)));
        assert_eq!(g.get("resource_types"), Some(&Value::Null));
        assert_eq!(
            g.get("recording_strategy").and_then(|s| s.get("use_only")),
            Some(&Value::str("ALL_SUPPORTED_RESOURCE_TYPES"))
        );
        assert_eq!(
            g.get("exclusion_by_resource_types").and_then(|x| x.get("resource_types")),
            Some(&Value::List(vec![]))
        );
        assert_eq!(r.attr("recording_mode"), &Value::List(vec![]));
    }

    fn status(region: &str, on: bool) -> Resource {
        Resource::live("aws_config_configuration_recorder_status", "default", region, "1", None)
            .with("name", "default")
            .with("is_enabled", on)
    }

    #[test]
    fn the_view_joins_status_and_channel_in_the_recorders_region() {
        let east = map(&recorder(), "us-east-1", "1");
        let west = map(&recorder(), "eu-west-1", "1");
        let channel = Resource::live("aws_config_delivery_channel", "default", "us-east-1", "1", None);
        let rs = vec![east, west, status("us-east-1", true), status("eu-west-1", false), channel];
        let views = config_recorders(&rs, View::Live);
        let by_region = |r: &str| views.iter().find(|v| v.value["region"] == r).unwrap().value.clone();
        assert_eq!(by_region("us-east-1")["status"]["is_enabled"], true);
        assert_eq!(by_region("us-east-1")["account"]["delivery_channel"], true);
        assert_eq!(by_region("eu-west-1")["status"]["is_enabled"], false);
        assert_eq!(by_region("eu-west-1")["account"]["delivery_channel"], false);
    }

    #[test]
    fn a_region_without_a_recorder_is_not_recording() {
        let r = no_recorder("eu-west-1", "1");
        assert!(r.aws_default);
        let v = &config_recorders(&[r], View::Live)[0].value;
        assert_eq!(v["status"]["is_enabled"], false);
        assert_eq!(v["account"]["delivery_channel"], false);
        // What a recorder that does not exist would record is not judged.
        assert!(v["all_supported"].is_null());
        assert!(v["account"]["global_resource_types"].is_null());
    }

    #[test]
    fn recorder_events() {
        let put = of("aws_config_configuration_recorder", "config", "PutConfigurationRecorder");
        let req = json!({"configurationRecorder": {"name": "default", "roleARN": "arn:aws:iam::1:role/config",
            "recordingGroup": {"allSupported": false, "includeGlobalResourceTypes": false, "resourceTypes": ["AWS::S3::Bucket"]}}});
        assert_eq!(put.identifiers(&req, &J::Null), vec!["default"]);
        let w = put.writes(&req, &J::Null);
        assert!(
            w.contains(&Written::Set { path: "recording_group[0].all_supported".into(), value: Value::Bool(false) })
        );
        assert!(w.contains(&Written::Set { path: "role_arn".into(), value: Value::str("arn:aws:iam::1:role/config") }));
        let del = of("aws_config_configuration_recorder", "config", "DeleteConfigurationRecorder");
        assert_eq!(del.identifiers(&json!({"configurationRecorderName": "default"}), &J::Null), vec!["default"]);
    }
}

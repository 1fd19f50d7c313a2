//! `aws_autoscaling_schedule`: DescribeScheduledActions, paginated, for every group of the
//! region at once.
//!
//! Import id `group/name` (the provider's import form; its state id is the bare action
//! name, rewritten by the `autoscaling_ids` normaliser).
//!
//! Follows the provider's read (`resourceScheduleRead`, 5.100.0): `min_size`, `max_size`
//! and `desired_capacity` are `-1` when the action leaves them unset (the provider's "do
//! not change" marker); times in UTC as `2006-01-02T15:04:05Z`; `recurrence` and
//! `time_zone` `""` when absent.
//!
//! Left Unknown: `start_time` of a recurring action. AWS moves it to the next run after
//! every run; the provider stores whatever the last refresh saw, so it is not a setting a
//! person changes (an explicit start of a recurring schedule is rare and cannot be told
//! apart).

use aws_sdk_autoscaling::types::ScheduledUpdateGroupAction;
use aws_smithy_types::DateTime;
use futures::FutureExt;
use serde_json::Value as J;

use super::group_part_id;
use crate::aws::errors::read_error;
use crate::aws::event::{Event, W, Written, first, scalar_string};
use crate::aws::{Arn, Ctx, FetchResult, Identity, Read, ResourceType};
use crate::model::{Resource, Value};

const TYPES: &[&str] = &["aws_autoscaling_schedule"];

const IDS: &[&str] = &["{autoScalingGroupName}/{scheduledActionName}", "scheduledActionName"];

/// The provider's marker for an unset size (`-1`: "do not include this parameter").
const UNSET: i64 = -1;

/// What PutScheduledUpdateGroupAction carries (BatchPut carries the same per action).
const WRITES: &[W] = &[
    W::Param("min_size", "minSize"),
    W::Param("max_size", "maxSize"),
    W::Param("desired_capacity", "desiredCapacity"),
    W::Param("recurrence", "recurrence"),
    W::Param("time_zone", "timeZone"),
    W::Custom(times),
];

pub static TYPE: ResourceType = ResourceType {
    read: Some(Read { fetch: |ctx| fetch(ctx).boxed(), global: false }),
    identity: Identity {
        arn: Some(Arn { service: "autoscaling", prefix: "scheduledUpdateGroupAction:", id_keeps_prefix: false }),
        parent_attr: Some("autoscaling_group_name"),
        ..Identity::NONE
    },
    events: &[
        Event::create("autoscaling", "PutScheduledUpdateGroupAction", IDS).writing(WRITES),
        // A batch names several actions of one group; each action's values are in its own
        // element, so only the names are read (what changed is in the single-action call).
        Event::create(
            "autoscaling",
            "BatchPutScheduledUpdateGroupAction",
            &["{autoScalingGroupName}/{scheduledUpdateGroupActions[].scheduledActionName}"],
        )
        .writing(&[W::Custom(batch_put)]),
        Event::delete("autoscaling", "DeleteScheduledAction", IDS),
        Event::delete(
            "autoscaling",
            "BatchDeleteScheduledAction",
            &["{autoScalingGroupName}/{scheduledActionNames[]}"],
        ),
    ],
    ..ResourceType::base("aws_autoscaling_schedule", "autoscaling")
};

async fn fetch(ctx: &Ctx) -> FetchResult {
    let autoscaling = ctx.client::<aws_sdk_autoscaling::Client>();
    let mut out = Vec::new();
    let mut pages = autoscaling.describe_scheduled_actions().max_records(100).into_paginator().send();
    while let Some(page) = {
        let _p = ctx.permit("autoscaling").await;
        pages.next().await
    } {
        let page = page.map_err(|e| read_error("autoscaling", &ctx.region, TYPES, e))?;
        out.extend(page.scheduled_update_group_actions().iter().filter_map(|a| map(a, &ctx.region, &ctx.account)));
    }
    Ok(out)
}

/// A time as the provider formats it: UTC, `2006-01-02T15:04:05Z`.
pub fn schedule_time(t: &DateTime) -> Option<String> {
    let odt = time::OffsetDateTime::from_unix_timestamp(t.secs()).ok()?;
    let f = time::macros::format_description!("[year]-[month]-[day]T[hour]:[minute]:[second]Z");
    odt.format(&f).ok()
}

fn size(v: Option<i32>) -> Value {
    Value::int(v.map(i64::from).unwrap_or(UNSET))
}

/// Pure mapping from the SDK's `ScheduledUpdateGroupAction` to provider v5 attributes.
pub fn map(a: &ScheduledUpdateGroupAction, region: &str, account: &str) -> Option<Resource> {
    let group = a.auto_scaling_group_name().filter(|g| !g.is_empty())?;
    let name = a.scheduled_action_name().filter(|n| !n.is_empty())?;
    let id = group_part_id(group, name);
    let arn = a.scheduled_action_arn().map(str::to_string);
    let recurrence = a.recurrence().unwrap_or_default();
    let mut r = Resource::live("aws_autoscaling_schedule", id.as_str(), region, account, arn.clone())
        .with("id", id.as_str())
        .with("arn", Value::opt_str(arn))
        .with("autoscaling_group_name", group)
        .with("scheduled_action_name", name)
        .with("min_size", size(a.min_size()))
        .with("max_size", size(a.max_size()))
        .with("desired_capacity", size(a.desired_capacity()))
        .with("recurrence", recurrence)
        .with("time_zone", a.time_zone().unwrap_or_default());
    // The provider leaves an absent time as it was (never cleared): absent is Unknown.
    if let Some(t) = a.end_time().and_then(schedule_time) {
        r.set("end_time", t);
    }
    if recurrence.is_empty() {
        if let Some(t) = a.start_time().and_then(schedule_time) {
            r.set("start_time", t);
        }
    }
    Some(r)
}

// -- events ---------------------------------------------------------------------------------

/// A request time (`startTime`, an ISO 8601 string or, in some records, epoch seconds) as
/// the provider's layout.
fn request_time(v: &J) -> Option<String> {
    let dt = match v {
        J::Number(n) => DateTime::from_secs(n.as_i64()?),
        J::String(s) => DateTime::from_str(s, aws_smithy_types::date_time::Format::DateTime).ok()?,
        _ => return None,
    };
    schedule_time(&dt)
}

fn times(req: &J, _resp: &J, out: &mut Vec<Written>) {
    for (attr, key) in [("start_time", "startTime"), ("end_time", "endTime")] {
        if let Some(v) = first(req, key) {
            match request_time(v) {
                Some(t) => out.push(Written::Set { path: attr.into(), value: Value::str(t) }),
                None => out.push(Written::Touch { path: attr.into() }),
            }
        }
    }
}

/// A batch writes each named action's settings; which action is which is in the ids.
fn batch_put(req: &J, _resp: &J, out: &mut Vec<Written>) {
    if let Some(J::Array(actions)) = first(req, "scheduledUpdateGroupActions") {
        if actions.iter().any(|a| a.get("scheduledActionName").and_then(scalar_string).is_some()) {
            for attr in ["min_size", "max_size", "desired_capacity", "recurrence", "start_time", "end_time"] {
                out.push(Written::Touch { path: attr.into() });
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    use super::*;
    use crate::aws::event::of;

    #[test]
    fn maps_a_one_off_and_a_recurring_action() {
        let a = ScheduledUpdateGroupAction::builder()
            .auto_scaling_group_name("clinic-batch")
            .scheduled_action_name("night")
            .scheduled_action_arn("arn:aws:autoscaling:us-east-1:1:scheduledUpdateGroupAction:u:autoScalingGroupName/clinic-batch:scheduledActionName/night")
            .recurrence("0 22 * * *")
            .time_zone("Europe/Berlin")
            .min_size(0)
            .max_size(1)
            .start_time(DateTime::from_secs(1_900_000_000))
            .build();
        let r = map(&a, "us-east-1", "1").unwrap();
        assert_eq!(r.id, "clinic-batch/night");
        assert_eq!(r.attr("min_size"), &Value::int(0));
        assert_eq!(r.attr("max_size"), &Value::int(1));
        assert_eq!(r.attr("desired_capacity"), &Value::int(-1), "unset: the provider's -1");
        assert_eq!(r.attr_str("recurrence"), Some("0 22 * * *"));
        assert_eq!(r.attr_str("time_zone"), Some("Europe/Berlin"));
        assert_eq!(r.attr("start_time"), &Value::Unknown, "AWS moves a recurring action's start");
        assert_eq!(r.attr("end_time"), &Value::Unknown);

        let once = ScheduledUpdateGroupAction::builder()
            .auto_scaling_group_name("g")
            .scheduled_action_name("launch-day")
            .desired_capacity(3)
            .start_time(DateTime::from_secs(1_900_000_000))
            .end_time(DateTime::from_secs(1_900_003_600))
            .build();
        let r = map(&once, "us-east-1", "1").unwrap();
        assert_eq!(r.attr_str("start_time"), Some("2030-03-17T17:46:40Z"));
        assert_eq!(r.attr_str("end_time"), Some("2030-03-17T18:46:40Z"));
        assert_eq!(r.attr_str("recurrence"), Some(""));
        assert_eq!(r.attr("min_size"), &Value::int(-1));
    }

    #[test]
    fn events_name_the_action_in_its_group() {
        let put = of("aws_autoscaling_schedule", "autoscaling", "PutScheduledUpdateGroupAction");
        let req = json!({"autoScalingGroupName": "clinic-batch", "scheduledActionName": "night",
            "recurrence": "0 20 * * *", "minSize": 0, "maxSize": 0, "desiredCapacity": 0,
            "startTime": "2030-03-17T17:46:40Z"});
        assert!(put.identifiers(&req, &J::Null).contains(&"clinic-batch/night".to_string()));
        let w = put.writes(&req, &J::Null);
        assert!(w.contains(&Written::Set { path: "recurrence".into(), value: Value::str("0 20 * * *") }));
        assert!(w.contains(&Written::Set { path: "max_size".into(), value: Value::int(0) }));
        assert!(w.contains(&Written::Set { path: "start_time".into(), value: Value::str("2030-03-17T17:46:40Z") }));

        let batch = of("aws_autoscaling_schedule", "autoscaling", "BatchPutScheduledUpdateGroupAction");
        let req = json!({"autoScalingGroupName": "g", "scheduledUpdateGroupActions": [
            {"scheduledActionName": "a", "recurrence": "0 1 * * *"}]});
        assert_eq!(batch.identifiers(&req, &J::Null), vec!["g/a"]);
        let del = of("aws_autoscaling_schedule", "autoscaling", "DeleteScheduledAction");
        let req = json!({"autoScalingGroupName": "g", "scheduledActionName": "a"});
        assert!(del.identifiers(&req, &J::Null).contains(&"g/a".to_string()));
        let batch_del = of("aws_autoscaling_schedule", "autoscaling", "BatchDeleteScheduledAction");
        let req = json!({"autoScalingGroupName": "g", "scheduledActionNames": ["a", "b"]});
        assert_eq!(batch_del.identifiers(&req, &J::Null), vec!["g/a", "g/b"]);
    }
}

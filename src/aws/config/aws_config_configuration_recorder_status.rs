//! `aws_config_configuration_recorder_status`: DescribeConfigurationRecorderStatus (one call).
//! Id: the recorder's name; `is_enabled` is whether it is recording. A part of its recorder
//! (`parent`): a status nobody declared is judged through the recorder's view, never
//! unmanaged on its own. Statuses of service-linked recorders are AWS's.
//!
//! CloudTrail: Start/StopConfigurationRecorder name `configurationRecorderName`.

use aws_sdk_config::types::ConfigurationRecorderStatus;
use futures::FutureExt;

use crate::aws::errors::read_error;
use crate::aws::event::{Event, W};
use crate::aws::{Ctx, FetchResult, Read, ResourceType};
use crate::model::Resource;

const TYPES: &[&str] = &["aws_config_configuration_recorder_status"];

pub static TYPE: ResourceType = ResourceType {
    read: Some(Read { fetch: |ctx| fetch(ctx).boxed(), global: false }),
    parent: Some("aws_config_configuration_recorder"),
    events: &[
        Event::modify("config", "StartConfigurationRecorder", &["configurationRecorderName"])
            .writing(&[W::Const("is_enabled", true)]),
        Event::modify("config", "StopConfigurationRecorder", &["configurationRecorderName"])
            .writing(&[W::Const("is_enabled", false)]),
    ],
    part_of_views: &["config_recorder"],
    ..ResourceType::base("aws_config_configuration_recorder_status", "config")
};

async fn fetch(ctx: &Ctx) -> FetchResult {
    let config = ctx.client::<aws_sdk_config::Client>();
    let answer = {
        let _p = ctx.permit("config").await;
        config.describe_configuration_recorder_status().send().await
    };
    let out = answer.map_err(|e| read_error("config", &ctx.region, TYPES, e))?;
    Ok(out.configuration_recorders_status().iter().map(|s| map(s, &ctx.region, &ctx.account)).collect())
}

/// Pure mapping from the SDK's `ConfigurationRecorderStatus` to provider v5 attributes.
pub fn map(s: &ConfigurationRecorderStatus, region: &str, account: &str) -> Resource {
    let name = s.name().unwrap_or_default();
    let mut r = Resource::live("aws_config_configuration_recorder_status", name, region, account, None)
        .with("id", name)
        .with("name", name)
        .with("is_enabled", s.recording());
    r.aws_default = s.service_principal().is_some_and(|p| !p.is_empty());
    r
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::aws::Written;
    use crate::aws::event::of;
    use crate::model::Value;

    #[test]
    fn maps_the_status_and_its_events() {
        let s = ConfigurationRecorderStatus::builder().name("default").recording(false).build();
        let r = map(&s, "us-east-1", "1");
        assert_eq!((r.id.as_str(), r.attr("is_enabled")), ("default", &Value::Bool(false)));
        let stop = of("aws_config_configuration_recorder_status", "config", "StopConfigurationRecorder");
        let req = serde_json::json!({"configurationRecorderName": "default"});
        assert_eq!(stop.identifiers(&req, &serde_json::Value::Null), vec!["default"]);
        assert_eq!(
            stop.writes(&req, &serde_json::Value::Null),
            vec![Written::Set { path: "is_enabled".into(), value: Value::Bool(false) }]
        );
    }
}

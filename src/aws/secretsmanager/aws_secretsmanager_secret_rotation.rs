//! `aws_secretsmanager_secret_rotation`: the rotation settings in the ListSecrets listing
//! shared with `aws_secretsmanager_secret`; one per secret, as the provider reads one for any
//! existing secret.
//!
//! Identity: the secret ARN (tfstate `id`; `secret_id` as the provider stores it after a
//! read). Filled as the provider reads it: `rotation_enabled`; with rotation on,
//! `rotation_lambda_arn` and `rotation_rules = [{automatically_after_days (0 when a schedule
//! expression is set), duration, schedule_expression}]`; with rotation off, `""` and `[]`, so
//! rotation switched off out of band is drift on both. `rotate_immediately` (request only) is
//! left Unknown. A part of its secret: judged through it, never unmanaged on its own.

use aws_sdk_secretsmanager::types::SecretListEntry;
use futures::FutureExt;
use serde_json::Value as Json;

use super::aws_secretsmanager_secret::{TAG, UNTAG};
use super::secrets;
use crate::aws::event::{Event, W, Written, first};
use crate::aws::{Ctx, FetchResult, Identity, Read, ResourceType};
use crate::model::{Resource, Value};

const TYPES: &[&str] = &["aws_secretsmanager_secret_rotation"];

pub static TYPE: ResourceType = ResourceType {
    read: Some(Read { fetch: |ctx| fetch(ctx).boxed(), global: false }),
    identity: Identity { names: &["secret_id"], parent_attr: Some("secret_id"), ..Identity::NONE },
    parent: Some("aws_secretsmanager_secret"),
    events: &[
        Event::modify("secretsmanager", "RotateSecret", &["secretId"])
            .writing(&[W::Param("rotation_lambda_arn", "rotationLambdaARN"), W::Custom(rules)])
            .via_parent(),
        Event::modify("secretsmanager", "CancelRotateSecret", &["secretId"])
            .writing(&[W::Custom(|_, _, out| {
                out.push(Written::Set { path: "rotation_lambda_arn".into(), value: "".into() });
                out.push(Written::Set { path: "rotation_rules".into(), value: Value::List(vec![]) });
            })])
            .via_parent(),
        Event::delete("secretsmanager", "DeleteSecret", &["secretId"]).via_parent(),
        TAG.via_parent(),
        UNTAG.via_parent(),
    ],
    ..ResourceType::base("aws_secretsmanager_secret_rotation", "secretsmanager")
};

/// `rotationRules` of a RotateSecret request, as the provider stores it.
fn rules(req: &Json, _: &Json, out: &mut Vec<Written>) {
    let Some(r) = first(req, "rotationRules") else { return };
    let schedule = r.get("scheduleExpression").and_then(Json::as_str);
    let days = if schedule.is_some() { None } else { r.get("automaticallyAfterDays").and_then(Json::as_i64) };
    out.push(Written::Set {
        path: "rotation_rules".into(),
        value: Value::List(vec![Value::object([
            ("automatically_after_days", Value::int(days.unwrap_or(0))),
            ("duration", r.get("duration").and_then(Json::as_str).unwrap_or_default().into()),
            ("schedule_expression", schedule.unwrap_or_default().into()),
        ])]),
    });
}

async fn fetch(ctx: &Ctx) -> FetchResult {
    Ok(secrets(ctx, TYPES).await?.iter().filter_map(|s| map(s, &ctx.region, &ctx.account)).collect())
}

/// Pure mapping from a listed secret's rotation settings. `None` without an ARN.
pub fn map(s: &SecretListEntry, region: &str, account: &str) -> Option<Resource> {
    let arn = s.arn()?;
    let enabled = s.rotation_enabled().unwrap_or(false);
    let mut r = Resource::live("aws_secretsmanager_secret_rotation", arn, region, account, None)
        .with("id", arn)
        .with("secret_id", arn)
        .with("rotation_enabled", enabled);
    if enabled {
        r.set("rotation_lambda_arn", s.rotation_lambda_arn().unwrap_or_default());
        let rules: Vec<Value> = s
            .rotation_rules()
            .map(|rules| {
                let schedule = rules.schedule_expression();
                let days = if schedule.is_some() { None } else { rules.automatically_after_days() };
                Value::object([
                    ("automatically_after_days", Value::int(days.unwrap_or(0))),
                    ("duration", rules.duration().unwrap_or_default().into()),
                    ("schedule_expression", schedule.unwrap_or_default().into()),
                ])
            })
            .into_iter()
            .collect();
        r.set("rotation_rules", Value::List(rules));
    } else {
        r.set("rotation_lambda_arn", "");
        r.set("rotation_rules", Value::List(vec![]));
    }
    let replica = s.primary_region().is_some_and(|p| p != region);
    r.aws_default = replica || s.owning_service().is_some_and(|o| !o.is_empty());
    Some(r)
}

#[cfg(test)]
mod tests {
    use super::*;
    use aws_sdk_secretsmanager::types::RotationRulesType;
    use serde_json::json;

    const ARN: &str = "arn:aws:secretsmanager:us-east-1:123456789012:secret:data/db-AbCdEf";
    const LAMBDA: &str = "arn:aws:lambda:us-east-1:123456789012:function:rotate";

    #[test]
    fn rotation_on_and_off() {
        let on = SecretListEntry::builder()
            .arn(ARN)
            .rotation_enabled(true)
            .rotation_lambda_arn(LAMBDA)
            .rotation_rules(RotationRulesType::builder().automatically_after_days(30).build())
            .build();
        let r = map(&on, "us-east-1", "1").unwrap();
        assert_eq!((r.id.as_str(), r.attr_str("secret_id")), (ARN, Some(ARN)));
        assert_eq!(r.attr_str("rotation_lambda_arn"), Some(LAMBDA));
        assert_eq!(
            r.attr("rotation_rules"),
            &Value::List(vec![Value::object([
                ("automatically_after_days", Value::int(30)),
                ("duration", "".into()),
                ("schedule_expression", "".into()),
            ])])
        );
        assert_eq!(r.attr("rotate_immediately"), &Value::Unknown);
        let scheduled = SecretListEntry::builder()
            .arn(ARN)
            .rotation_enabled(true)
            .rotation_rules(
                RotationRulesType::builder()
                    .automatically_after_days(7)
                    .schedule_expression("rate(7 days)")
                    .duration("2h")
                    .build(),
            )
            .build();
        let rules = map(&scheduled, "us-east-1", "1").unwrap().attr("rotation_rules").clone();
        assert_eq!(rules.get("automatically_after_days"), Some(&Value::int(0)));
        assert_eq!(rules.get("schedule_expression"), Some(&Value::from("rate(7 days)")));
        let off = SecretListEntry::builder().arn(ARN).rotation_enabled(false).rotation_lambda_arn(LAMBDA).build();
        let r = map(&off, "us-east-1", "1").unwrap();
        assert_eq!(r.attr_str("rotation_lambda_arn"), Some(""));
        assert_eq!(r.attr("rotation_rules"), &Value::List(vec![]));
        assert_eq!(r.attr("rotation_enabled"), &Value::Bool(false));
    }

    #[test]
    fn rotate_and_cancel_write_the_rotation() {
        use crate::aws::event::of;
        let e = of("aws_secretsmanager_secret_rotation", "secretsmanager", "RotateSecret");
        let req =
            json!({"secretId": ARN, "rotationLambdaARN": LAMBDA, "rotationRules": {"automaticallyAfterDays": 30}});
        assert_eq!(e.identifiers(&req, &json!(null)), [ARN]);
        let w = e.writes(&req, &json!(null));
        assert!(w.contains(&Written::Set { path: "rotation_lambda_arn".into(), value: LAMBDA.into() }));
        assert!(w.iter().any(|w| w.path() == "rotation_rules"));
        let c = of("aws_secretsmanager_secret_rotation", "secretsmanager", "CancelRotateSecret");
        assert_eq!(c.writes(&json!({"secretId": "data/db"}), &json!(null)).len(), 2);
    }
}

//! `aws_cloudwatch_log_group`: DescribeLogGroups (paginated, 50 a page), then
//! ListTagsForResource for the groups a scanned state manages (one call per group: an account
//! keeps a log group per Lambda function and per EKS cluster, and reading every group's tags
//! would cost one call each). Unmanaged groups' `tags` are left Unknown. Id: the name.
//!
//! Follows the provider's read: `arn` without the `:*` suffix DescribeLogGroups adds,
//! `retention_in_days` 0 for "never expire", `kms_key_id` and `log_group_class` `""` when AWS
//! answers none, `name_prefix` from a generated name. `skip_destroy` is configuration only
//! (Unknown).
//!
//! CloudTrail names a group by `logGroupName` (or `resourceArn` for the newer tag calls); the
//! request shapes follow the API (no captured record).

use aws_sdk_cloudwatchlogs::types::LogGroup;
use futures::{FutureExt, StreamExt, TryStreamExt};
use serde_json::Value as J;

use crate::aws::errors::{read_error, service_code};
use crate::aws::event::{Event, W, Written, value};
use crate::aws::view::*;
use crate::aws::{Ctx, FetchResult, Identity, Read, ResourceType, ViewDef};
use crate::model::{Resource, Value, View};

const TYPES: &[&str] = &["aws_cloudwatch_log_group"];

pub static TYPE: ResourceType = ResourceType {
    read: Some(Read { fetch: |ctx| fetch(ctx).boxed(), global: false }),
    identity: Identity::arn("logs", "log-group:", &["name"]),
    events: &[
        Event::create("logs", "CreateLogGroup", &["logGroupName"]).writing(&[
            W::Param("kms_key_id", "kmsKeyId"),
            W::Param("log_group_class", "logGroupClass"),
            W::Custom(tag_map),
        ]),
        Event::delete("logs", "DeleteLogGroup", &["logGroupName", "logGroupIdentifier"]),
        Event::modify("logs", "PutRetentionPolicy", &["logGroupName", "logGroupIdentifier"])
            .writing(&[W::Param("retention_in_days", "retentionInDays")]),
        Event::modify("logs", "DeleteRetentionPolicy", &["logGroupName", "logGroupIdentifier"])
            .writing(&[W::Custom(retention_removed)]),
        Event::modify("logs", "AssociateKmsKey", &["logGroupName", "resourceIdentifier"])
            .writing(&[W::Param("kms_key_id", "kmsKeyId")]),
        Event::modify("logs", "DisassociateKmsKey", &["logGroupName", "resourceIdentifier"])
            .writing(&[W::Custom(key_removed)]),
        Event::modify("logs", "TagLogGroup", &["logGroupName"]).writing(&[W::Custom(tag_map)]),
        Event::modify("logs", "UntagLogGroup", &["logGroupName"]).writing(&[W::Untags { items: "tags[]", key: "" }]),
        Event::modify("logs", "TagResource", &["resourceArn"]).writing(&[W::Custom(tag_map)]),
        Event::modify("logs", "UntagResource", &["resourceArn"]).writing(&[W::Untags { items: "tagKeys[]", key: "" }]),
    ],
    view: Some(&VIEW),
    ..ResourceType::base("aws_cloudwatch_log_group", "logs")
};

async fn fetch(ctx: &Ctx) -> FetchResult {
    let cloudwatchlogs = ctx.client::<aws_sdk_cloudwatchlogs::Client>();
    let mut groups: Vec<LogGroup> = Vec::new();
    let mut pages = cloudwatchlogs.describe_log_groups().limit(50).into_paginator().send();
    while let Some(page) = {
        let _p = ctx.permit("logs").await;
        pages.next().await
    } {
        let page = page.map_err(|e| read_error("logs", &ctx.region, TYPES, e))?;
        groups.extend(page.log_groups().iter().cloned());
    }
    let cloudwatchlogs = &cloudwatchlogs;
    futures::stream::iter(groups)
        .map(|g| async move {
            let name = g.log_group_name().unwrap_or_default();
            let mut r = map(&g, &ctx.region, &ctx.account);
            if !ctx.in_state("aws_cloudwatch_log_group", name) {
                return Ok(r);
            }
            let answer = {
                let _p = ctx.permit("logs").await;
                cloudwatchlogs.list_tags_for_resource().resource_arn(arn_of(&g, &ctx.region, &ctx.account)).send().await
            };
            match answer {
                Ok(out) => r.set("tags", tags(out.tags())),
                // Deleted since the listing: what was read stands, its tags unread.
                Err(e) if service_code(&e) == Some("ResourceNotFoundException") => {}
                Err(e) => return Err(read_error("logs", &ctx.region, TYPES, e)),
            }
            Ok(r)
        })
        .buffer_unordered(ctx.limit("logs"))
        .try_collect()
        .await
}

/// The group's ARN as the provider stores it (no `:*`).
fn arn_of(g: &LogGroup, region: &str, account: &str) -> String {
    match (g.log_group_arn(), g.arn()) {
        (Some(a), _) => a.to_string(),
        (None, Some(a)) => a.strip_suffix(":*").unwrap_or(a).to_string(),
        (None, None) => format!("arn:aws:logs:{region}:{account}:log-group:{}", g.log_group_name().unwrap_or_default()),
    }
}

/// Tags as the provider stores them: keys AWS adds (`aws:*`) hidden.
pub fn tags(tags: Option<&std::collections::HashMap<String, String>>) -> Value {
    Value::string_map(
        tags.into_iter().flatten().filter(|(k, _)| !k.starts_with("aws:")).map(|(k, v)| (k.clone(), v.clone())),
    )
}

/// Pure mapping from the SDK's `LogGroup` to provider v5 attributes (tags apart).
pub fn map(g: &LogGroup, region: &str, account: &str) -> Resource {
    let name = g.log_group_name().unwrap_or_default();
    let arn = arn_of(g, region, account);
    Resource::live("aws_cloudwatch_log_group", name, region, account, Some(arn.clone()))
        .with("id", name)
        .with("arn", arn)
        .with("name", name)
        .with("name_prefix", crate::aws::ec2::name_prefix(name))
        .with("retention_in_days", Value::int(g.retention_in_days().unwrap_or(0).into()))
        .with("kms_key_id", g.kms_key_id().unwrap_or_default())
        .with("log_group_class", g.log_group_class().map(|c| c.as_str()).unwrap_or_default())
}

/// `tags: {k: v}` (the logs API's tag calls carry a map).
fn tag_map(req: &J, _resp: &J, out: &mut Vec<Written>) {
    if let Some(J::Object(m)) = req.get("tags") {
        for (k, v) in m {
            out.push(Written::Set { path: format!("tags.{k}"), value: value(v) });
        }
    }
}

fn retention_removed(_req: &J, _resp: &J, out: &mut Vec<Written>) {
    out.push(Written::Set { path: "retention_in_days".into(), value: Value::int(0) });
}

fn key_removed(_req: &J, _resp: &J, out: &mut Vec<Written>) {
    out.push(Written::Set { path: "kms_key_id".into(), value: Value::str("") });
}

pub static VIEW: ViewDef =
    ViewDef { kind: "log_group", build: |rs, v| each(rs, &["aws_cloudwatch_log_group"], v, log_group) };

fn log_group(r: &Resource, view: View) -> JoinedView {
    let a = |k: &str| attr(r, k, view);
    let mut o = head("log_group", r, view);
    if let Ok(Some(n)) = a("name").string(None) {
        o.put("name", n);
    }
    let key = put_str(&mut o, "kms_key_id", a("kms_key_id"), None);
    flag(&mut o, "kms_encrypted", &key);
    // 0 and omitted both mean "never expire".
    let days = o.int("retention_in_days", a("retention_in_days"), Some(0));
    if a("retention_in_days").int(Some(0)).is_ok() {
        o.put("never_expires", days.unwrap_or(0) == 0);
    } else {
        o.unknown("never_expires");
    }
    let _ = put_str(&mut o, "log_group_class", a("log_group_class"), Some("STANDARD"));
    joined("log_group", r, o)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::aws::event::of;
    use serde_json::json;

    #[test]
    fn maps_a_log_group_as_the_provider_stores_it() {
        let g = LogGroup::builder()
            .log_group_name("/clinic/api")
            .arn("arn:aws:logs:us-east-1:1:log-group:/clinic/api:*")
            .retention_in_days(731)
            .kms_key_id("arn:aws:kms:us-east-1:1:key/k")
            .build();
        let r = map(&g, "us-east-1", "1");
        assert_eq!(r.id, "/clinic/api");
        assert_eq!(r.attr_str("arn"), Some("arn:aws:logs:us-east-1:1:log-group:/clinic/api"));
        assert_eq!(r.attr("retention_in_days"), &Value::int(731));
        assert_eq!(r.attr_str("log_group_class"), Some(""));
        assert_eq!(r.attr_str("name_prefix"), Some(""));
        // Tags of a group no state manages are not read.
        assert_eq!(r.attr("tags"), &Value::Unknown);
        let v = crate::aws::view::build(std::slice::from_ref(&r), View::Live);
        assert_eq!(v[0].value["kms_encrypted"], true);
        assert_eq!(v[0].value["never_expires"], false);
        assert_eq!(v[0].value["retention_in_days"], 731);
    }

    #[test]
    fn a_group_without_retention_never_expires() {
        let g = LogGroup::builder().log_group_name("/aws/lambda/x").build();
        let r = map(&g, "us-east-1", "1");
        assert_eq!(r.attr("retention_in_days"), &Value::int(0));
        assert_eq!(r.attr_str("kms_key_id"), Some(""));
        let v = crate::aws::view::build(std::slice::from_ref(&r), View::Live);
        assert_eq!(v[0].value["never_expires"], true);
        assert_eq!(v[0].value["kms_encrypted"], false);
        assert_eq!(
            tags(Some(&[("aws:x".to_string(), "1".to_string()), ("Team".into(), "a".into())].into())),
            Value::string_map([("Team", "a")])
        );
    }

    #[test]
    fn log_group_events() {
        let put = of("aws_cloudwatch_log_group", "logs", "PutRetentionPolicy");
        let req = json!({"logGroupName": "/clinic/api", "retentionInDays": 7});
        assert_eq!(put.identifiers(&req, &J::Null), vec!["/clinic/api"]);
        assert_eq!(
            put.writes(&req, &J::Null),
            vec![Written::Set { path: "retention_in_days".into(), value: Value::int(7) }]
        );
        let del = of("aws_cloudwatch_log_group", "logs", "DeleteRetentionPolicy");
        assert_eq!(
            del.writes(&json!({"logGroupName": "/clinic/api"}), &J::Null),
            vec![Written::Set { path: "retention_in_days".into(), value: Value::int(0) }]
        );
        let create = of("aws_cloudwatch_log_group", "logs", "CreateLogGroup");
        let req = json!({"logGroupName": "/clinic/x", "tags": {"Team": "a"}});
        assert_eq!(
            create.writes(&req, &J::Null),
            vec![Written::Set { path: "tags.Team".into(), value: Value::str("a") }]
        );
        let dis = of("aws_cloudwatch_log_group", "logs", "DisassociateKmsKey");
        assert_eq!(
            dis.writes(&json!({"logGroupName": "/clinic/api"}), &J::Null),
            vec![Written::Set { path: "kms_key_id".into(), value: Value::str("") }]
        );
        let untag = of("aws_cloudwatch_log_group", "logs", "UntagResource");
        let req = json!({"resourceArn": "arn:aws:logs:us-east-1:1:log-group:/clinic/api", "tagKeys": ["Team"]});
        assert_eq!(untag.writes(&req, &J::Null), vec![Written::Unset { path: "tags.Team".into() }]);
    }
}

//! `aws_dynamodb_table`: ListTables (paginated), then per table, fanned out under the
//! DynamoDB bound: DescribeTable, DescribeContinuousBackups (point-in-time recovery),
//! DescribeTimeToLive and ListTagsOfResource (paginated), run concurrently. When a table is
//! encrypted with a KMS key, the region's AWS-managed key (`alias/aws/dynamodb`) is described
//! once, as the provider does, to store that key as `""`.
//!
//! Identity: the table name (tfstate `id` = `name`).
//! Filled as the provider reads it: `arn`, `billing_mode` (`PROVISIONED` when AWS gives no
//! summary), `read_capacity` / `write_capacity` (0 on demand), `hash_key`, `range_key`,
//! `attribute` (a set of `{name, type}`), `global_secondary_index` and
//! `local_secondary_index` (sets, keys, projections, capacities), `stream_enabled`,
//! `stream_view_type` (`""` without a stream), `stream_arn`, `stream_label`,
//! `server_side_encryption` (`[]` with the AWS-owned key, `[{enabled, kms_key_arn}]` with a
//! KMS key, `""` for the AWS-managed one), `point_in_time_recovery = [{enabled,
//! recovery_period_in_days}]`, `ttl = [{attribute_name, enabled}]`,
//! `deletion_protection_enabled`, `table_class` (`STANDARD` by default),
//! `on_demand_throughput`, `tags`.
//!
//! Left Unknown: `replica` on a global table (each replica's settings are read in its own
//! region by the provider; a table without replicas reads `[]`), and the request-only
//! `restore_date_time`, `restore_source_name`, `restore_source_table_arn`,
//! `restore_to_latest_time`, `import_table`.

use aws_sdk_dynamodb::types::{
    BillingMode, KeySchemaElement, KeyType, PointInTimeRecoveryStatus, Projection, SseStatus, TableDescription, Tag,
    TimeToLiveDescription, TimeToLiveStatus,
};
use aws_sdk_dynamodb::types::{ContinuousBackupsDescription, OnDemandThroughput};
use futures::{FutureExt, StreamExt, TryStreamExt};
use serde_json::Value as Json;

use crate::aws::errors::{read_error, service_code};
use crate::aws::event::{Event, W, Written, first};
use crate::aws::{Ctx, FetchResult, Identity, Read, ResourceType};
use crate::model::{ReadError, Resource, Value};

const TYPES: &[&str] = &["aws_dynamodb_table"];
const GONE: &[&str] = &["ResourceNotFoundException", "TableNotFoundException"];

pub static TYPE: ResourceType = ResourceType {
    read: Some(Read { fetch: |ctx| fetch(ctx).boxed(), global: false }),
    identity: Identity::arn("dynamodb", "table/", &["name"]),
    events: &[
        Event::create("dynamodb", "CreateTable", &["tableName"]).writing(&[
            W::Param("billing_mode", "billingMode"),
            W::Param("deletion_protection_enabled", "deletionProtectionEnabled"),
            W::Custom(stream),
            W::Custom(sse),
            W::Tags { items: "tags[]", key: "key", value: "value" },
        ]),
        Event::modify("dynamodb", "UpdateTable", &["tableName"]).writing(&[
            W::Param("billing_mode", "billingMode"),
            W::Param("read_capacity", "provisionedThroughput.readCapacityUnits"),
            W::Param("write_capacity", "provisionedThroughput.writeCapacityUnits"),
            W::Param("deletion_protection_enabled", "deletionProtectionEnabled"),
            W::Param("table_class", "tableClass"),
            W::Custom(stream),
            W::Custom(sse),
            W::Custom(indexes),
        ]),
        Event::modify("dynamodb", "UpdateContinuousBackups", &["tableName"]).writing(&[
            W::Param(
                "point_in_time_recovery[0].enabled",
                "pointInTimeRecoverySpecification.pointInTimeRecoveryEnabled",
            ),
            W::Param(
                "point_in_time_recovery[0].recovery_period_in_days",
                "pointInTimeRecoverySpecification.recoveryPeriodInDays",
            ),
        ]),
        Event::modify("dynamodb", "UpdateTimeToLive", &["tableName"]).writing(&[
            W::Param("ttl[0].enabled", "timeToLiveSpecification.enabled"),
            W::Param("ttl[0].attribute_name", "timeToLiveSpecification.attributeName"),
        ]),
        Event::delete("dynamodb", "DeleteTable", &["tableName"]),
        Event::modify("dynamodb", "TagResource", &["resourceArn"]).writing(&[W::Tags {
            items: "tags[]",
            key: "key",
            value: "value",
        }]),
        Event::modify("dynamodb", "UntagResource", &["resourceArn"])
            .writing(&[W::Untags { items: "tagKeys[]", key: "" }]),
    ],
    ..ResourceType::base("aws_dynamodb_table", "dynamodb")
};

/// `streamSpecification` of a request.
fn stream(req: &Json, _: &Json, out: &mut Vec<Written>) {
    let Some(s) = first(req, "streamSpecification") else { return };
    if let Some(enabled) = s.get("streamEnabled").and_then(Json::as_bool) {
        out.push(Written::Set { path: "stream_enabled".into(), value: enabled.into() });
        let view = s.get("streamViewType").and_then(Json::as_str).filter(|_| enabled).unwrap_or_default();
        out.push(Written::Set { path: "stream_view_type".into(), value: view.into() });
    }
}

/// `sSESpecification` (CloudTrail's spelling of `SSESpecification`) of a request.
fn sse(req: &Json, _: &Json, out: &mut Vec<Written>) {
    let Some(s) = first(req, "sSESpecification|sseSpecification|SSESpecification") else { return };
    if let Some(enabled) = s.get("enabled").and_then(Json::as_bool) {
        out.push(Written::Set { path: "server_side_encryption[0].enabled".into(), value: enabled.into() });
    }
    let key = ["kMSMasterKeyId", "kmsMasterKeyId", "KMSMasterKeyId"].iter().find_map(|k| s.get(*k));
    if let Some(k) = key {
        out.push(Written::Set {
            path: "server_side_encryption[0].kms_key_arn".into(),
            value: crate::aws::event::value(k),
        });
    }
}

fn indexes(req: &Json, _: &Json, out: &mut Vec<Written>) {
    if first(req, "globalSecondaryIndexUpdates").is_some() {
        out.push(Written::Touch { path: "global_secondary_index".into() });
    }
}

/// What the per-table reads returned (`None`: not read).
#[derive(Debug, Clone, Default)]
pub struct TableDetails {
    pub backups: Option<ContinuousBackupsDescription>,
    pub ttl: Option<Option<TimeToLiveDescription>>,
    pub tags: Option<Vec<Tag>>,
    /// The ARN of the region's `alias/aws/dynamodb` key, when it exists.
    pub default_key: Option<String>,
}

async fn fetch(ctx: &Ctx) -> FetchResult {
    let dynamodb = ctx.client::<aws_sdk_dynamodb::Client>();
    let mut names = Vec::new();
    let mut pages = dynamodb.list_tables().into_paginator().send();
    while let Some(page) = {
        let _p = ctx.permit("dynamodb").await;
        pages.next().await
    } {
        let page = page.map_err(|e| read_error("dynamodb", &ctx.region, TYPES, e))?;
        names.extend(page.table_names().iter().cloned());
    }
    let found: Vec<Option<Resource>> = futures::stream::iter(names)
        .map(|n| read_table(ctx, n))
        .buffer_unordered(ctx.limit("dynamodb"))
        .try_collect()
        .await?;
    Ok(found.into_iter().flatten().collect())
}

/// A failed per-table call: `Ok(None)` when the table is gone, else the read error.
fn gone_or_err<T, E, R>(
    ctx: &Ctx,
    e: aws_smithy_runtime_api::client::result::SdkError<E, R>,
) -> Result<Option<T>, ReadError>
where
    E: aws_sdk_dynamodb::error::ProvideErrorMetadata + std::error::Error + 'static,
    R: std::fmt::Debug + crate::aws::errors::HttpStatus + 'static,
{
    if service_code(&e).is_some_and(|c| GONE.contains(&c)) {
        Ok(None)
    } else {
        Err(read_error("dynamodb", &ctx.region, TYPES, e))
    }
}

async fn read_table(ctx: &Ctx, name: String) -> Result<Option<Resource>, ReadError> {
    let dynamodb = ctx.client::<aws_sdk_dynamodb::Client>();
    let described = async {
        let _p = ctx.permit("dynamodb").await;
        match dynamodb.describe_table().table_name(&name).send().await {
            Ok(out) => Ok(out.table().cloned()),
            Err(e) => gone_or_err(ctx, e),
        }
    };
    let backups = async {
        let _p = ctx.permit("dynamodb").await;
        match dynamodb.describe_continuous_backups().table_name(&name).send().await {
            Ok(out) => Ok(Some(out.continuous_backups_description().cloned())),
            Err(e) => gone_or_err(ctx, e),
        }
    };
    let ttl = async {
        let _p = ctx.permit("dynamodb").await;
        match dynamodb.describe_time_to_live().table_name(&name).send().await {
            Ok(out) => Ok(Some(out.time_to_live_description().cloned())),
            Err(e) => gone_or_err(ctx, e),
        }
    };
    let (table, backups, ttl) = futures::try_join!(described, backups, ttl)?;
    let (Some(table), Some(backups), Some(ttl)) = (table, backups, ttl) else { return Ok(None) };
    let mut tags = Vec::new();
    if let Some(arn) = table.table_arn() {
        let mut token: Option<String> = None;
        loop {
            let answer = {
                let _p = ctx.permit("dynamodb").await;
                dynamodb.list_tags_of_resource().resource_arn(arn).set_next_token(token.clone()).send().await
            };
            match answer {
                Ok(out) => {
                    tags.extend(out.tags().iter().cloned());
                    match out.next_token() {
                        Some(t) if !t.is_empty() && Some(t) != token.as_deref() => token = Some(t.to_string()),
                        _ => break,
                    }
                }
                Err(e) => {
                    // Gone since it was listed (or the read failed: the error).
                    gone_or_err::<(), _, _>(ctx, e)?;
                    return Ok(None);
                }
            }
        }
    }
    let uses_kms = table.sse_description().and_then(|s| s.kms_master_key_arn()).is_some();
    let default_key = if uses_kms { default_key(ctx).await? } else { None };
    let details = TableDetails { backups, ttl: Some(ttl), tags: Some(tags), default_key };
    Ok(map(&table, &details, &ctx.region, &ctx.account))
}

/// The ARN of the region's AWS-managed DynamoDB key (DescribeKey `alias/aws/dynamodb`), once
/// per context; `None` when the account has none yet.
async fn default_key(ctx: &Ctx) -> Result<Option<String>, ReadError> {
    ctx.once("kms:DescribeKey:alias/aws/dynamodb", || async {
        let kms = ctx.client::<aws_sdk_kms::Client>();
        let answer = {
            let _p = ctx.permit("kms").await;
            kms.describe_key().key_id("alias/aws/dynamodb").send().await
        };
        match answer {
            Ok(out) => Ok(out.key_metadata().and_then(|m| m.arn()).map(str::to_string)),
            Err(e) if service_code(&e) == Some("NotFoundException") => Ok(None),
            Err(e) => Err(read_error("kms", &ctx.region, TYPES, e)),
        }
    })
    .await
}

fn key_of<'a>(schema: &'a [KeySchemaElement], kind: &KeyType) -> Option<&'a str> {
    schema.iter().find(|k| k.key_type() == kind).map(|k| k.attribute_name())
}

fn projection(p: Option<&Projection>) -> (Value, Value) {
    let kind = p.and_then(|p| p.projection_type()).map(|t| t.as_str()).unwrap_or_default();
    let mut non_key: Vec<&str> =
        p.map(|p| p.non_key_attributes().iter().map(String::as_str).collect()).unwrap_or_default();
    non_key.sort_unstable();
    (kind.into(), Value::string_list(non_key))
}

fn on_demand(t: Option<&OnDemandThroughput>) -> Value {
    Value::List(
        t.map(|t| {
            Value::object([
                ("max_read_request_units", Value::int(t.max_read_request_units().unwrap_or(0))),
                ("max_write_request_units", Value::int(t.max_write_request_units().unwrap_or(0))),
            ])
        })
        .into_iter()
        .collect(),
    )
}

/// Pure mapping from a described table and its per-table reads. `None` without a name.
pub fn map(t: &TableDescription, d: &TableDetails, region: &str, account: &str) -> Option<Resource> {
    let name = t.table_name()?;
    let arn = t.table_arn().map(str::to_string);
    let throughput = t.provisioned_throughput();
    let mut attributes: Vec<Value> = t
        .attribute_definitions()
        .iter()
        .map(|a| Value::object([("name", a.attribute_name().into()), ("type", a.attribute_type().as_str().into())]))
        .collect();
    attributes.sort_by_key(|a| a.get("name").and_then(Value::as_str).unwrap_or_default().to_string());
    let gsis: Vec<Value> = t
        .global_secondary_indexes()
        .iter()
        .map(|g| {
            let (kind, non_key) = projection(g.projection());
            let capacity = g.provisioned_throughput();
            Value::object([
                ("name", g.index_name().unwrap_or_default().into()),
                ("hash_key", key_of(g.key_schema(), &KeyType::Hash).unwrap_or_default().into()),
                ("range_key", key_of(g.key_schema(), &KeyType::Range).unwrap_or_default().into()),
                ("projection_type", kind),
                ("non_key_attributes", non_key),
                ("read_capacity", Value::int(capacity.and_then(|c| c.read_capacity_units()).unwrap_or(0))),
                ("write_capacity", Value::int(capacity.and_then(|c| c.write_capacity_units()).unwrap_or(0))),
                ("on_demand_throughput", on_demand(g.on_demand_throughput())),
            ])
        })
        .collect();
    let lsis: Vec<Value> = t
        .local_secondary_indexes()
        .iter()
        .map(|l| {
            let (kind, non_key) = projection(l.projection());
            Value::object([
                ("name", l.index_name().unwrap_or_default().into()),
                ("range_key", key_of(l.key_schema(), &KeyType::Range).unwrap_or_default().into()),
                ("projection_type", kind),
                ("non_key_attributes", non_key),
            ])
        })
        .collect();
    let stream = t.stream_specification();
    let stream_enabled = stream.is_some_and(|s| s.stream_enabled());
    let billing = t.billing_mode_summary().and_then(|b| b.billing_mode()).unwrap_or(&BillingMode::Provisioned);
    let mut r = Resource::live("aws_dynamodb_table", name, region, account, arn.clone())
        .with("id", name)
        .with("name", name)
        .with("arn", Value::opt_str(arn))
        .with("billing_mode", billing.as_str())
        .with("read_capacity", Value::int(throughput.and_then(|p| p.read_capacity_units()).unwrap_or(0)))
        .with("write_capacity", Value::int(throughput.and_then(|p| p.write_capacity_units()).unwrap_or(0)))
        .with("hash_key", Value::opt_str(key_of(t.key_schema(), &KeyType::Hash)))
        .with("range_key", Value::opt_str(key_of(t.key_schema(), &KeyType::Range)))
        .with("attribute", Value::List(attributes))
        .with("global_secondary_index", Value::List(gsis))
        .with("local_secondary_index", Value::List(lsis))
        .with("stream_enabled", stream_enabled)
        .with("stream_view_type", stream.and_then(|s| s.stream_view_type()).map(|v| v.as_str()).unwrap_or_default())
        .with("stream_arn", Value::opt_str(t.latest_stream_arn()))
        .with("stream_label", Value::opt_str(t.latest_stream_label()))
        .with("deletion_protection_enabled", t.deletion_protection_enabled().unwrap_or(false))
        .with(
            "table_class",
            t.table_class_summary().and_then(|c| c.table_class()).map(|c| c.as_str()).unwrap_or("STANDARD"),
        )
        .with("on_demand_throughput", on_demand(t.on_demand_throughput()));
    let sse: Vec<Value> = t
        .sse_description()
        .map(|s| {
            let key = s.kms_master_key_arn().unwrap_or_default();
            let key = if d.default_key.as_deref() == Some(key) { "" } else { key };
            Value::object([("enabled", (s.status() == Some(&SseStatus::Enabled)).into()), ("kms_key_arn", key.into())])
        })
        .into_iter()
        .collect();
    r.set("server_side_encryption", Value::List(sse));
    if t.replicas().is_empty() {
        r.set("replica", Value::List(vec![]));
    }
    if let Some(backups) = &d.backups {
        let pitr = backups.point_in_time_recovery_description();
        let enabled = pitr.and_then(|p| p.point_in_time_recovery_status()) == Some(&PointInTimeRecoveryStatus::Enabled);
        let days = if enabled { pitr.and_then(|p| p.recovery_period_in_days()).unwrap_or(0) } else { 0 };
        r.set(
            "point_in_time_recovery",
            Value::block([("enabled", enabled.into()), ("recovery_period_in_days", Value::int(days as i64))]),
        );
    }
    if let Some(ttl) = &d.ttl {
        let enabled = ttl.as_ref().and_then(|t| t.time_to_live_status()) == Some(&TimeToLiveStatus::Enabled);
        let attribute = ttl.as_ref().and_then(|t| t.attribute_name()).unwrap_or_default();
        r.set("ttl", Value::block([("attribute_name", attribute.into()), ("enabled", enabled.into())]));
    }
    if let Some(tags) = &d.tags {
        r.set(
            "tags",
            Value::string_map(
                tags.iter()
                    .map(|t| (t.key().to_string(), t.value().to_string()))
                    .filter(|(k, _)| !k.starts_with("aws:")),
            ),
        );
    }
    Some(r)
}

#[cfg(test)]
mod tests {
    use super::*;
    use aws_sdk_dynamodb::types::{
        AttributeDefinition, BillingModeSummary, ContinuousBackupsStatus, GlobalSecondaryIndexDescription,
        PointInTimeRecoveryDescription, ProjectionType, ProvisionedThroughputDescription, ScalarAttributeType,
        SseDescription, StreamSpecification, StreamViewType,
    };
    use serde_json::json;

    fn key(name: &str, kind: KeyType) -> KeySchemaElement {
        KeySchemaElement::builder().attribute_name(name).key_type(kind).build().unwrap()
    }

    fn attribute(name: &str, kind: ScalarAttributeType) -> AttributeDefinition {
        AttributeDefinition::builder().attribute_name(name).attribute_type(kind).build().unwrap()
    }

    fn table() -> TableDescription {
        TableDescription::builder()
            .table_name("records")
            .table_arn("arn:aws:dynamodb:us-east-1:123456789012:table/records")
            .key_schema(key("patient_id", KeyType::Hash))
            .key_schema(key("recorded_at", KeyType::Range))
            .attribute_definitions(attribute("recorded_at", ScalarAttributeType::N))
            .attribute_definitions(attribute("patient_id", ScalarAttributeType::S))
            .attribute_definitions(attribute("clinic_id", ScalarAttributeType::S))
            .billing_mode_summary(BillingModeSummary::builder().billing_mode(BillingMode::PayPerRequest).build())
            .provisioned_throughput(
                ProvisionedThroughputDescription::builder().read_capacity_units(0).write_capacity_units(0).build(),
            )
            .global_secondary_indexes(
                GlobalSecondaryIndexDescription::builder()
                    .index_name("by-clinic")
                    .key_schema(key("clinic_id", KeyType::Hash))
                    .projection(
                        Projection::builder()
                            .projection_type(ProjectionType::Include)
                            .non_key_attributes("kind")
                            .build(),
                    )
                    .provisioned_throughput(
                        ProvisionedThroughputDescription::builder()
                            .read_capacity_units(0)
                            .write_capacity_units(0)
                            .build(),
                    )
                    .build(),
            )
            .stream_specification(
                StreamSpecification::builder()
                    .stream_enabled(true)
                    .stream_view_type(StreamViewType::NewAndOldImages)
                    .build()
                    .unwrap(),
            )
            .latest_stream_arn("arn:aws:dynamodb:us-east-1:123456789012:table/records/stream/1")
            .sse_description(
                SseDescription::builder()
                    .status(SseStatus::Enabled)
                    .kms_master_key_arn("arn:aws:kms:us-east-1:123456789012:key/k-1")
                    .build(),
            )
            .deletion_protection_enabled(true)
            .build()
    }

    fn details(pitr: bool) -> TableDetails {
        let status = if pitr { PointInTimeRecoveryStatus::Enabled } else { PointInTimeRecoveryStatus::Disabled };
        TableDetails {
            backups: Some(
                ContinuousBackupsDescription::builder()
                    .continuous_backups_status(ContinuousBackupsStatus::Enabled)
                    .point_in_time_recovery_description(
                        PointInTimeRecoveryDescription::builder()
                            .point_in_time_recovery_status(status)
                            .recovery_period_in_days(35)
                            .build(),
                    )
                    .build()
                    .unwrap(),
            ),
            ttl: Some(Some(
                TimeToLiveDescription::builder()
                    .time_to_live_status(TimeToLiveStatus::Enabled)
                    .attribute_name("expires_at")
                    .build(),
            )),
            tags: Some(vec![Tag::builder().key("Name").value("records").build().unwrap()]),
            default_key: Some("arn:aws:kms:us-east-1:123456789012:key/aws-dynamodb".into()),
        }
    }

    #[test]
    fn maps_a_table() {
        let r = map(&table(), &details(true), "us-east-1", "123456789012").unwrap();
        assert_eq!(r.id, "records");
        assert_eq!(r.attr_str("billing_mode"), Some("PAY_PER_REQUEST"));
        assert_eq!((r.attr_str("hash_key"), r.attr_str("range_key")), (Some("patient_id"), Some("recorded_at")));
        let attrs = r.attr("attribute").as_list().unwrap();
        assert_eq!(attrs[0], Value::object([("name", "clinic_id".into()), ("type", "S".into())]));
        let gsi = &r.attr("global_secondary_index").as_list().unwrap()[0];
        assert_eq!(gsi.get("range_key"), Some(&Value::from("")));
        assert_eq!(gsi.get("non_key_attributes"), Some(&Value::string_list(["kind"])));
        assert_eq!(gsi.get("projection_type"), Some(&Value::from("INCLUDE")));
        assert_eq!(r.attr("stream_enabled"), &Value::Bool(true));
        assert_eq!(r.attr_str("stream_view_type"), Some("NEW_AND_OLD_IMAGES"));
        assert_eq!(
            r.attr("server_side_encryption"),
            &Value::block([
                ("enabled", true.into()),
                ("kms_key_arn", "arn:aws:kms:us-east-1:123456789012:key/k-1".into())
            ])
        );
        assert_eq!(
            r.attr("point_in_time_recovery"),
            &Value::block([("enabled", true.into()), ("recovery_period_in_days", Value::int(35))])
        );
        assert_eq!(r.attr("ttl"), &Value::block([("attribute_name", "expires_at".into()), ("enabled", true.into())]));
        assert_eq!(r.attr_str("table_class"), Some("STANDARD"));
        assert_eq!(r.attr("replica"), &Value::List(vec![]));
        assert_eq!(r.attr("tags"), &Value::string_map([("Name", "records")]));
        assert_eq!(r.attr("restore_source_name"), &Value::Unknown);
    }

    #[test]
    fn pitr_off_default_key_and_unread_parts() {
        let mut t = table();
        t.sse_description = Some(
            SseDescription::builder()
                .status(SseStatus::Enabled)
                .kms_master_key_arn("arn:aws:kms:us-east-1:123456789012:key/aws-dynamodb")
                .build(),
        );
        let r = map(&t, &details(false), "us-east-1", "1").unwrap();
        assert_eq!(r.attr("point_in_time_recovery").get("recovery_period_in_days"), Some(&Value::int(0)));
        assert_eq!(r.attr("server_side_encryption").get("kms_key_arn"), Some(&Value::from("")));
        let r = map(&t, &TableDetails::default(), "us-east-1", "1").unwrap();
        for unread in ["point_in_time_recovery", "ttl", "tags"] {
            assert_eq!(r.attr(unread), &Value::Unknown, "{unread}");
        }
        t.sse_description = None;
        assert_eq!(
            map(&t, &TableDetails::default(), "us-east-1", "1").unwrap().attr("server_side_encryption"),
            &Value::List(vec![])
        );
    }

    #[test]
    fn events_write_pitr_ttl_and_sse() {
        use crate::aws::event::of;
        let e = of("aws_dynamodb_table", "dynamodb", "UpdateContinuousBackups");
        let req =
            json!({"tableName": "records", "pointInTimeRecoverySpecification": {"pointInTimeRecoveryEnabled": false}});
        assert_eq!(e.identifiers(&req, &json!(null)), ["records"]);
        assert_eq!(
            e.writes(&req, &json!(null)),
            [Written::Set { path: "point_in_time_recovery[0].enabled".into(), value: false.into() }]
        );
        let ttl = of("aws_dynamodb_table", "dynamodb", "UpdateTimeToLive");
        let req = json!({"tableName": "records", "timeToLiveSpecification": {"enabled": false, "attributeName": "expires_at"}});
        assert_eq!(ttl.writes(&req, &json!(null)).len(), 2);
        let u = of("aws_dynamodb_table", "dynamodb", "UpdateTable");
        let req = json!({"tableName": "records", "sSESpecification": {"enabled": true, "sSEType": "KMS", "kMSMasterKeyId": "alias/other"},
                         "streamSpecification": {"streamEnabled": false}});
        let w = u.writes(&req, &json!(null));
        assert!(w.contains(&Written::Set {
            path: "server_side_encryption[0].kms_key_arn".into(),
            value: "alias/other".into()
        }));
        assert!(w.contains(&Written::Set { path: "stream_enabled".into(), value: false.into() }));
        assert!(w.contains(&Written::Set { path: "stream_view_type".into(), value: "".into() }));
        assert_eq!(
            crate::aws::type_of_arn("arn:aws:dynamodb:us-east-1:1:table/records"),
            Some(("aws_dynamodb_table", "records".to_string()))
        );
    }
}

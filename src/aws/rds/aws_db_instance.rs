//! `aws_db_instance`: DescribeDBInstances, paginated (one read shared with
//! `aws_rds_cluster_instance`). One call per page covers every instance, tags included
//! (`TagList`).
//!
//! Identity: provider v5 stores the DBI resource id (`db-ABC...`, `DbiResourceId`) as `id`;
//! `identifier` holds the name (`terraform import` takes the name). So the live resource's
//! id is the resource id, the same key tfstate uses. (A state last written by provider v4
//! still has the name as `id`; v5 migrates it on the next refresh.)
//!
//! Skipped: instances that belong to a DB cluster (`DBClusterIdentifier` set: Aurora,
//! Multi-AZ DB clusters, DocumentDB and Neptune members). Terraform manages those with
//! `aws_rds_cluster_instance` (or the DocumentDB/Neptune types), never `aws_db_instance`,
//! so emitting them here would report them as unmanaged instances of the wrong type.
//!
//! Value conventions mirror the provider's read: it stores an absent API boolean as `false`
//! and an absent number as `0`, so we do too; absent strings become Null (the diff folds
//! Null and `""`).
//!
//! Not filled (left Unknown): `password` and `password_wo` (secrets; never read),
//! `latest_restorable_time`, `status`, `address`, `endpoint` and other computed-only
//! values, and the user-settable attributes outside the brief (`availability_zone`,
//! `iops`, `option_group_name`, `license_model`, `domain*`, ...).
//!
//! `engine_version`: the provider keeps the *configured* version in state when the actual
//! one only adds a patch level (config `"15"`, actual `"15.4"` → state `"15"`, with
//! `engine_version_actual = "15.4"`), and also keeps it while an upgrade is pending. A
//! fetcher cannot see state, so we fill both `engine_version` and `engine_version_actual`
//! with the version AWS reports; a normalisation pass must apply the provider's rule
//! (state `v` matches live `w` when `w` starts with `v + "."`) to avoid false drift.

use aws_sdk_rds::types::DbInstance;
use futures::FutureExt;

use super::rds_common;
use crate::aws::errors::read_error;
use crate::aws::event::{Event, W};
use crate::aws::view::*;
use crate::aws::{Ctx, FetchResult, Identity, Read, ResourceType, ViewDef};
use crate::model::{ReadError, Resource, Value, View};
use serde_json::Value as J;

const TYPES: &[&str] = &["aws_db_instance"];

pub static TYPE: ResourceType = ResourceType {
    read: Some(Read { fetch: |ctx| fetch(ctx).boxed(), global: false }),
    identity: Identity::arn("rds", "db:", &["identifier"]),
    events: &[
        Event::create("rds", "CreateDBInstance", &["dBInstanceIdentifier", "@dBInstanceArn"]).writing(WRITES),
        Event::modify("rds", "ModifyDBInstance", &["dBInstanceIdentifier"]).writing(WRITES),
        Event::delete("rds", "DeleteDBInstance", &["dBInstanceIdentifier"]),
        Event::modify("rds", "RebootDBInstance", &["dBInstanceIdentifier"]),
        Event::modify("rds", "StopDBInstance", &["dBInstanceIdentifier"]),
        Event::modify("rds", "StartDBInstance", &["dBInstanceIdentifier"]),
        super::ADD_TAGS,
        super::REMOVE_TAGS,
    ],
    view: Some(&VIEW),
    ..ResourceType::base("aws_db_instance", "rds")
};

pub static VIEW: ViewDef = ViewDef { kind: "rds_instance", build: rds_instances };

/// Create and Modify share their parameters. The response's top-level values may still be
/// the old ones (deferred changes sit under `pendingModifiedValues`): trust the request.
const WRITES: &[W] = &[
    W::Param("backup_retention_period", "backupRetentionPeriod"),
    W::Param("deletion_protection", "deletionProtection"),
    W::Param("publicly_accessible", "publiclyAccessible"),
    W::Param("instance_class", "dBInstanceClass"),
    W::Param("allocated_storage", "allocatedStorage"),
    W::Param("max_allocated_storage", "maxAllocatedStorage"),
    W::Param("multi_az", "multiAZ"),
    W::Param("storage_type", "storageType"),
    W::Param("iops", "iops"),
    W::Param("backup_window", "preferredBackupWindow"),
    W::Param("maintenance_window", "preferredMaintenanceWindow"),
    W::Param("auto_minor_version_upgrade", "autoMinorVersionUpgrade"),
    W::Param("copy_tags_to_snapshot", "copyTagsToSnapshot"),
    W::Param("engine_version", "engineVersion"),
    W::Param("monitoring_interval", "monitoringInterval"),
    W::Param("performance_insights_enabled", "enablePerformanceInsights"),
    W::Param("iam_database_authentication_enabled", "enableIAMDatabaseAuthentication"),
    W::Param("ca_cert_identifier", "cACertificateIdentifier|caCertificateIdentifier"),
    W::Param("parameter_group_name", "dBParameterGroupName"),
    W::Param("db_subnet_group_name", "dBSubnetGroupName"),
    W::Param("storage_encrypted", "storageEncrypted"),
    W::Param("kms_key_id", "kmsKeyId"),
    W::Param("identifier", "newDBInstanceIdentifier"),
    W::List("vpc_security_group_ids", "vpcSecurityGroupIds[]"),
    W::List("enabled_cloudwatch_logs_exports", "enableCloudwatchLogsExports[]"),
    W::Param("password", "masterUserPassword"),
];

async fn fetch(ctx: &Ctx) -> FetchResult {
    Ok(instances(ctx, TYPES)
        .await?
        .iter()
        .filter(|db| db.db_cluster_identifier().is_none())
        .map(|db| map(db, &ctx.region, &ctx.account))
        .collect())
}

/// Every DB instance of the region (DescribeDBInstances, paginated), read once per context
/// for both instance types: standalone instances here, cluster members in
/// `aws_rds_cluster_instance`.
pub(super) async fn instances(ctx: &Ctx, types: &[&str]) -> Result<Vec<DbInstance>, ReadError> {
    const SHARED_BY: &[&str] = &["aws_db_instance", "aws_rds_cluster_instance"];
    let cached = ctx
        .once("rds:DescribeDBInstances", || async {
            let rds = ctx.client::<aws_sdk_rds::Client>();
            let mut out = Vec::new();
            let mut pages = rds.describe_db_instances().into_paginator().send();
            while let Some(page) = {
                let _p = ctx.permit("rds").await;
                pages.next().await
            } {
                let page = page.map_err(|e| read_error("rds", &ctx.region, SHARED_BY, e))?;
                out.extend(page.db_instances().iter().cloned());
            }
            Ok(out)
        })
        .await;
    crate::aws::client::for_caller(&cached, types)
}

/// Sorted string set (tfstate stores sets sorted; the diff compares them as sets anyway).
pub(crate) fn string_set<'a>(items: impl IntoIterator<Item = &'a str>) -> Value {
    let mut v: Vec<&str> = items.into_iter().collect();
    v.sort_unstable();
    v.dedup();
    Value::string_list(v)
}

/// Pure mapping from the SDK's `DbInstance` to provider v5 attributes.
pub fn map(db: &DbInstance, region: &str, account: &str) -> Resource {
    let identifier = db.db_instance_identifier().unwrap_or_default();
    // The resource id is always present for a real instance; fall back to the name so
    // that a malformed answer still yields a (distinct) resource.
    let id = db.dbi_resource_id().unwrap_or(identifier);
    let arn = db
        .db_instance_arn()
        .map(str::to_string)
        .unwrap_or_else(|| format!("arn:aws:rds:{region}:{account}:db:{identifier}"));
    // The provider sets `port` from `DbInstancePort`, then overrides it with the
    // endpoint's port when there is an endpoint (DbInstancePort is 0 for most instances).
    let port = match db.endpoint() {
        Some(ep) => ep.port(),
        None => db.db_instance_port(),
    };
    Resource::live("aws_db_instance", id, region, account, Some(arn.clone()))
        .with("id", id)
        .with("arn", arn)
        .with("identifier", identifier)
        .with("engine", Value::opt_str(db.engine()))
        .with("engine_version", Value::opt_str(db.engine_version()))
        .with("engine_version_actual", Value::opt_str(db.engine_version()))
        .with("instance_class", Value::opt_str(db.db_instance_class()))
        .with("allocated_storage", db.allocated_storage().unwrap_or(0))
        .with("max_allocated_storage", db.max_allocated_storage().unwrap_or(0))
        .with("storage_type", Value::opt_str(db.storage_type()))
        .with("storage_encrypted", db.storage_encrypted().unwrap_or(false))
        .with("kms_key_id", Value::opt_str(db.kms_key_id()))
        .with("backup_retention_period", db.backup_retention_period().unwrap_or(0))
        .with("backup_window", Value::opt_str(db.preferred_backup_window()))
        .with("maintenance_window", Value::opt_str(db.preferred_maintenance_window()))
        .with("deletion_protection", db.deletion_protection().unwrap_or(false))
        .with("multi_az", db.multi_az().unwrap_or(false))
        .with("publicly_accessible", db.publicly_accessible().unwrap_or(false))
        .with("db_subnet_group_name", Value::opt_str(db.db_subnet_group().and_then(|g| g.db_subnet_group_name())))
        .with(
            "vpc_security_group_ids",
            string_set(db.vpc_security_groups().iter().filter_map(|g| g.vpc_security_group_id())),
        )
        .with(
            "parameter_group_name",
            Value::opt_str(db.db_parameter_groups().first().and_then(|g| g.db_parameter_group_name())),
        )
        .with("iam_database_authentication_enabled", db.iam_database_authentication_enabled().unwrap_or(false))
        .with("auto_minor_version_upgrade", db.auto_minor_version_upgrade().unwrap_or(false))
        .with("copy_tags_to_snapshot", db.copy_tags_to_snapshot().unwrap_or(false))
        .with("performance_insights_enabled", db.performance_insights_enabled().unwrap_or(false))
        .with("monitoring_interval", db.monitoring_interval().unwrap_or(0))
        .with(
            "enabled_cloudwatch_logs_exports",
            string_set(db.enabled_cloudwatch_logs_exports().iter().map(String::as_str)),
        )
        .with("ca_cert_identifier", Value::opt_str(db.ca_certificate_identifier()))
        .with("username", Value::opt_str(db.master_username()))
        .with("port", port.unwrap_or(0))
        .with("db_name", Value::opt_str(db.db_name()))
        .with("tags", crate::aws::tags::rds(db.tag_list()))
}

fn rds_instances(resources: &[Resource], view: View) -> Vec<JoinedView> {
    let groups: Vec<&Resource> = resources.iter().filter(|r| r.rtype == "aws_db_parameter_group").collect();
    let mut index = Index::default();
    for (i, r) in groups.iter().enumerate() {
        index.add(i, r, &["name", "arn"]);
    }
    resources
        .iter()
        .filter(|r| r.rtype == "aws_db_instance")
        .map(|r| {
            let group = index.find(r.attributes.get("parameter_group_name")).map(|i| groups[i]);
            rds_instance(r, group, view)
        })
        .collect()
}

fn rds_instance(r: &Resource, group: Option<&Resource>, view: View) -> JoinedView {
    let a = |k: &str| attr(r, k, view);
    let mut o = head("rds_instance", r, view);
    let ident = a("identifier").string(None).ok().flatten().unwrap_or_else(|| r.id.clone());
    o.put("identifier", ident.as_str()).put("name", ident);
    for k in ["engine", "engine_version", "instance_class", "db_subnet_group_name", "parameter_group_name"] {
        let _ = o.string(k, a(k), None);
    }
    let replica = match a("replicate_source_db").string(None) {
        Ok(s) => {
            o.put("replicate_source_db", s.clone().map(J::String).unwrap_or(J::Null));
            Some(s.is_some())
        }
        Err(()) => {
            o.unknown("replicate_source_db");
            None
        }
    };
    o.opt("is_replica", replica);
    // A replica inherits its source's encryption when the attribute is omitted.
    match (a("storage_encrypted"), replica) {
        (F::Default, Some(true)) => {
            o.unknown("storage_encrypted");
        }
        (f, _) => {
            o.bool("storage_encrypted", f, false);
        }
    }
    let _ = o.string("kms_key_id", a("kms_key_id"), None);
    o.int("backup_retention_period", a("backup_retention_period"), Some(0));
    o.bool("deletion_protection", a("deletion_protection"), false);
    o.bool("publicly_accessible", a("publicly_accessible"), false);
    o.bool("multi_az", a("multi_az"), false);
    o.strings("enabled_cloudwatch_logs_exports", a("enabled_cloudwatch_logs_exports"));
    o.bool("iam_database_authentication_enabled", a("iam_database_authentication_enabled"), false);
    o.bool("auto_minor_version_upgrade", a("auto_minor_version_upgrade"), true);
    o.bool("performance_insights_enabled", a("performance_insights_enabled"), false);
    o.bool("copy_tags_to_snapshot", a("copy_tags_to_snapshot"), false);
    rds_common(&mut o, r, group, view, "parameter_group_name");
    joined("rds_instance", r, o)
}

#[cfg(test)]
mod tests {
    use aws_sdk_rds::types::{DbParameterGroupStatus, DbSubnetGroup, Endpoint, Tag, VpcSecurityGroupMembership};

    use super::*;

    fn sample() -> DbInstance {
        DbInstance::builder()
            .db_instance_identifier("app-db")
            .dbi_resource_id("db-M5ENSHXFPU6XHZ4G4ZEI5QIO2U")
            .db_instance_arn("arn:aws:rds:us-east-1:123456789012:db:app-db")
            .engine("postgres")
            .engine_version("15.4")
            .db_instance_class("db.t3.micro")
            .allocated_storage(20)
            .max_allocated_storage(100)
            .storage_type("gp3")
            .storage_encrypted(true)
            .kms_key_id("arn:aws:kms:us-east-1:123456789012:key/k1")
            .backup_retention_period(7)
            .preferred_backup_window("03:00-04:00")
            .preferred_maintenance_window("sun:05:00-sun:06:00")
            .deletion_protection(false)
            .multi_az(false)
            .publicly_accessible(false)
            .db_subnet_group(DbSubnetGroup::builder().db_subnet_group_name("db-group").build())
            .vpc_security_groups(VpcSecurityGroupMembership::builder().vpc_security_group_id("sg-2").build())
            .vpc_security_groups(VpcSecurityGroupMembership::builder().vpc_security_group_id("sg-1").build())
            .db_parameter_groups(
                DbParameterGroupStatus::builder().db_parameter_group_name("default.postgres15").build(),
            )
            .iam_database_authentication_enabled(true)
            .auto_minor_version_upgrade(true)
            .copy_tags_to_snapshot(true)
            .monitoring_interval(0)
            .enabled_cloudwatch_logs_exports("upgrade")
            .enabled_cloudwatch_logs_exports("postgresql")
            .ca_certificate_identifier("rds-ca-rsa2048-g1")
            .master_username("app")
            .db_instance_port(0)
            .endpoint(Endpoint::builder().address("app-db.x.rds.amazonaws.com").port(5432).build())
            .db_name("app")
            .tag_list(Tag::builder().key("Owner").value("team-a").build())
            .tag_list(Tag::builder().key("aws:cloudformation:stack-name").value("s").build())
            .build()
    }

    #[test]
    fn maps_provider_attributes() {
        let r = map(&sample(), "us-east-1", "123456789012");
        assert_eq!(r.rtype, "aws_db_instance");
        assert_eq!(r.id, "db-M5ENSHXFPU6XHZ4G4ZEI5QIO2U");
        assert_eq!(r.attr_str("id"), Some("db-M5ENSHXFPU6XHZ4G4ZEI5QIO2U"));
        assert_eq!(r.attr_str("identifier"), Some("app-db"));
        assert_eq!(r.attr_str("arn"), Some("arn:aws:rds:us-east-1:123456789012:db:app-db"));
        assert_eq!(r.attr_str("engine_version"), Some("15.4"));
        assert_eq!(r.attr("allocated_storage"), &Value::int(20));
        assert_eq!(r.attr("max_allocated_storage"), &Value::int(100));
        assert_eq!(r.attr("storage_encrypted"), &Value::Bool(true));
        assert_eq!(r.attr_str("db_subnet_group_name"), Some("db-group"));
        assert_eq!(r.attr("vpc_security_group_ids"), &Value::string_list(["sg-1", "sg-2"]));
        assert_eq!(r.attr("enabled_cloudwatch_logs_exports"), &Value::string_list(["postgresql", "upgrade"]));
        assert_eq!(r.attr_str("parameter_group_name"), Some("default.postgres15"));
        assert_eq!(r.attr_str("ca_cert_identifier"), Some("rds-ca-rsa2048-g1"));
        assert_eq!(r.attr_str("username"), Some("app"));
        // Endpoint port wins over DbInstancePort, as in the provider.
        assert_eq!(r.attr("port"), &Value::int(5432));
        assert_eq!(r.attr("tags"), &Value::string_map([("Owner", "team-a")]));
        // Absent API booleans are stored as false by the provider.
        assert_eq!(r.attr("performance_insights_enabled"), &Value::Bool(false));
        // Secrets and volatile values are never read.
        assert_eq!(r.attr("password"), &Value::Unknown);
        assert_eq!(r.attr("latest_restorable_time"), &Value::Unknown);
        assert!(!r.aws_default);
    }

    #[test]
    fn unset_values_are_explicit() {
        let db = DbInstance::builder().db_instance_identifier("bare").dbi_resource_id("db-BARE").build();
        let r = map(&db, "eu-west-1", "111122223333");
        assert_eq!(r.attr_str("arn"), Some("arn:aws:rds:eu-west-1:111122223333:db:bare"));
        assert_eq!(r.attr("kms_key_id"), &Value::Null);
        assert_eq!(r.attr("vpc_security_group_ids"), &Value::List(vec![]));
        assert_eq!(r.attr("tags"), &Value::Map(Default::default()));
        assert_eq!(r.attr("max_allocated_storage"), &Value::int(0));
        assert_eq!(r.attr("port"), &Value::int(0));
    }
}

//! `aws_rds_cluster_instance`: the DB instances that belong to a cluster (`DBClusterIdentifier`
//! set), from the DescribeDBInstances read shared with `aws_db_instance` (which skips them).
//! Part of its cluster's view: `publicly_accessible` and the members' availability zones.
//!
//! Identity: the instance identifier (tfstate `id` = `identifier`). No ARN form is declared:
//! cluster members share `arn:aws:rds:…:db:NAME` with `aws_db_instance`, which owns that form.
//!
//! Filled, as the provider's read sets them (absent strings `""`, booleans `false`, numbers
//! `0`): `identifier`, `cluster_identifier`, `engine`, `engine_version`, `instance_class`,
//! `availability_zone`, `publicly_accessible`, `promotion_tier`, `auto_minor_version_upgrade`,
//! `copy_tags_to_snapshot`, `ca_cert_identifier`, `custom_iam_instance_profile`,
//! `monitoring_interval`, `monitoring_role_arn`, `performance_insights_*`, the backup and
//! maintenance windows, `db_parameter_group_name` and `db_subnet_group_name` (only when RDS
//! answers them, as the provider), `tags`, and the computed `arn`, `dbi_resource_id`,
//! `kms_key_id`, `storage_encrypted`, `port`.
//! Absent: `writer` (from the cluster's member list), `apply_immediately`, `force_destroy`,
//! `identifier_prefix` (request-side), `endpoint`, `network_type`.
//!
//! `engine_version`: the version RDS reports (see `aws_db_instance` on configured prefixes).

use aws_sdk_rds::types::DbInstance;
use futures::FutureExt;

use super::aws_db_instance::instances;
use crate::aws::event::{Event, W};
use crate::aws::{Ctx, FetchResult, Identity, Read, ResourceType};
use crate::model::{Resource, Value};

const TYPES: &[&str] = &["aws_rds_cluster_instance"];

pub static TYPE: ResourceType = ResourceType {
    read: Some(Read { fetch: |ctx| fetch(ctx).boxed(), global: false }),
    identity: Identity { names: &["identifier"], ..Identity::NONE },
    events: &[
        Event::create("rds", "CreateDBInstance", &["dBInstanceIdentifier", "@dBInstanceArn"]).writing(WRITES),
        Event::modify("rds", "ModifyDBInstance", &["dBInstanceIdentifier"]).writing(WRITES),
        Event::delete("rds", "DeleteDBInstance", &["dBInstanceIdentifier"]),
        Event::modify("rds", "RebootDBInstance", &["dBInstanceIdentifier"]),
        super::ADD_TAGS,
        super::REMOVE_TAGS,
    ],
    part_of_views: &["rds_cluster"],
    ..ResourceType::base("aws_rds_cluster_instance", "rds")
};

/// Create and Modify share their parameters; trust the request (see `aws_db_instance`).
const WRITES: &[W] = &[
    W::Param("publicly_accessible", "publiclyAccessible"),
    W::Param("instance_class", "dBInstanceClass"),
    W::Param("promotion_tier", "promotionTier"),
    W::Param("db_parameter_group_name", "dBParameterGroupName"),
    W::Param("auto_minor_version_upgrade", "autoMinorVersionUpgrade"),
    W::Param("ca_cert_identifier", "cACertificateIdentifier"),
    W::Param("copy_tags_to_snapshot", "copyTagsToSnapshot"),
    W::Param("monitoring_interval", "monitoringInterval"),
    W::Param("monitoring_role_arn", "monitoringRoleArn"),
    W::Param("performance_insights_enabled", "enablePerformanceInsights"),
    W::Param("preferred_backup_window", "preferredBackupWindow"),
    W::Param("preferred_maintenance_window", "preferredMaintenanceWindow"),
    W::Param("engine_version", "engineVersion"),
];

async fn fetch(ctx: &Ctx) -> FetchResult {
    Ok(instances(ctx, TYPES)
        .await?
        .iter()
        .filter(|db| db.db_cluster_identifier().is_some())
        .map(|db| map(db, &ctx.region, &ctx.account))
        .collect())
}

/// Pure mapping from a cluster member's `DbInstance`.
pub fn map(db: &DbInstance, region: &str, account: &str) -> Resource {
    let identifier = db.db_instance_identifier().unwrap_or_default();
    let arn = db
        .db_instance_arn()
        .map(str::to_string)
        .unwrap_or_else(|| format!("arn:aws:rds:{region}:{account}:db:{identifier}"));
    let s = |v: Option<&str>| Value::from(v.unwrap_or_default());
    let mut r = Resource::live("aws_rds_cluster_instance", identifier, region, account, Some(arn.clone()))
        .with("id", identifier)
        .with("identifier", identifier)
        .with("arn", arn)
        .with("cluster_identifier", s(db.db_cluster_identifier()))
        .with("engine", s(db.engine()))
        .with("engine_version", s(db.engine_version()))
        .with("engine_version_actual", s(db.engine_version()))
        .with("instance_class", s(db.db_instance_class()))
        .with("availability_zone", s(db.availability_zone()))
        .with("publicly_accessible", db.publicly_accessible().unwrap_or(false))
        .with("promotion_tier", db.promotion_tier().unwrap_or(0))
        .with("auto_minor_version_upgrade", db.auto_minor_version_upgrade().unwrap_or(false))
        .with("copy_tags_to_snapshot", db.copy_tags_to_snapshot().unwrap_or(false))
        .with("ca_cert_identifier", s(db.ca_certificate_identifier()))
        .with("custom_iam_instance_profile", s(db.custom_iam_instance_profile()))
        .with("monitoring_interval", db.monitoring_interval().unwrap_or(0))
        .with("monitoring_role_arn", s(db.monitoring_role_arn()))
        .with("performance_insights_enabled", db.performance_insights_enabled().unwrap_or(false))
        .with("performance_insights_kms_key_id", s(db.performance_insights_kms_key_id()))
        .with("performance_insights_retention_period", db.performance_insights_retention_period().unwrap_or(0))
        .with("preferred_backup_window", s(db.preferred_backup_window()))
        .with("preferred_maintenance_window", s(db.preferred_maintenance_window()))
        .with("dbi_resource_id", s(db.dbi_resource_id()))
        .with("kms_key_id", s(db.kms_key_id()))
        .with("storage_encrypted", db.storage_encrypted().unwrap_or(false))
        .with("tags", crate::aws::tags::rds(db.tag_list()));
    if let Some(g) = db.db_parameter_groups().first().and_then(|g| g.db_parameter_group_name()) {
        r.set("db_parameter_group_name", g);
    }
    if let Some(g) = db.db_subnet_group().and_then(|g| g.db_subnet_group_name()) {
        r.set("db_subnet_group_name", g);
    }
    if let Some(port) = db.endpoint().and_then(|e| e.port()) {
        r.set("port", port);
    }
    r
}

#[cfg(test)]
mod tests {
    use super::*;
    use aws_sdk_rds::types::{DbParameterGroupStatus, Endpoint, Tag};

    fn member() -> DbInstance {
        DbInstance::builder()
            .db_instance_identifier("analytics-0")
            .db_cluster_identifier("analytics")
            .db_instance_arn("arn:aws:rds:us-east-1:123456789012:db:analytics-0")
            .engine("aurora-postgresql")
            .engine_version("15.4")
            .db_instance_class("db.r6g.large")
            .availability_zone("us-east-1a")
            .publicly_accessible(false)
            .promotion_tier(1)
            .auto_minor_version_upgrade(true)
            .db_parameter_groups(DbParameterGroupStatus::builder().db_parameter_group_name("analytics-pg").build())
            .endpoint(Endpoint::builder().address("a.example").port(5432).build())
            .tag_list(Tag::builder().key("Name").value("analytics-0").build())
            .build()
    }

    #[test]
    fn maps_a_cluster_member() {
        let r = map(&member(), "us-east-1", "123456789012");
        assert_eq!((r.rtype.as_str(), r.id.as_str()), ("aws_rds_cluster_instance", "analytics-0"));
        assert_eq!(r.attr_str("cluster_identifier"), Some("analytics"));
        assert_eq!(r.attr_str("db_parameter_group_name"), Some("analytics-pg"));
        assert_eq!(r.attr("publicly_accessible"), &Value::Bool(false));
        assert_eq!(r.attr("promotion_tier"), &Value::int(1));
        assert_eq!(r.attr("port"), &Value::int(5432));
        assert_eq!(r.attr_str("monitoring_role_arn"), Some(""));
        assert_eq!(r.attr("tags"), &Value::string_map([("Name", "analytics-0")]));
        // Not answered: left as the provider leaves it (unset in state, Unknown here).
        assert_eq!(r.attr("db_subnet_group_name"), &Value::Unknown);
        assert_eq!(r.attr("writer"), &Value::Unknown);
    }

    #[test]
    fn modify_writes_public_access() {
        use crate::aws::event::{Written, of};
        use serde_json::json;
        let e = of("aws_rds_cluster_instance", "rds", "ModifyDBInstance");
        let req = json!({"dBInstanceIdentifier": "analytics-0", "publiclyAccessible": true, "applyImmediately": true});
        assert_eq!(e.identifiers(&req, &json!(null)), ["analytics-0"]);
        assert_eq!(
            e.writes(&req, &json!(null)),
            [Written::Set { path: "publicly_accessible".into(), value: Value::Bool(true) }]
        );
    }
}

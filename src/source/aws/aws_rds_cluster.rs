//! `aws_rds_cluster`: DescribeDBClusters, paginated; tags come in the answer (`TagList`).
//!
//! Identity: the cluster identifier (tfstate `id` = `cluster_identifier`).
//!
//! Skipped: DocumentDB and Neptune clusters (`Engine` `docdb` / `neptune`), which the RDS
//! API also lists but Terraform manages as `aws_docdb_cluster` / `aws_neptune_cluster`.
//!
//! As in the provider's read, absent API booleans and numbers are stored as `false` / `0`.
//! `database_name` is the exception: the provider only overwrites it when the API returns
//! one (RDS sometimes accepts a name and never reports it back), so an absent name is
//! left Unknown rather than Null.
//!
//! Not filled: `master_password` / `master_password_wo` (secrets, never read), and
//! user-settable attributes outside the brief (`availability_zones`, `cluster_members`,
//! `db_cluster_parameter_group_name`, `iam_roles`, scaling blocks, ...).
//!
//! `engine_version`: same rule as `aws_db_instance` (see there): the live value is the
//! version AWS reports; the provider keeps a configured prefix (`"15"` for `"15.4"`), which
//! a normalisation pass must honour.

use aws_sdk_rds::types::DbCluster;
use futures::FutureExt;

use super::aws_db_instance::string_set;
use super::errors::read_error;
use super::{Ctx, FetchResult, Fetcher};
use crate::model::{Resource, Value};

const TYPES: &[&str] = &["aws_rds_cluster"];

/// Engines served by DescribeDBClusters that belong to other Terraform resource types.
const OTHER_ENGINES: &[&str] = &["docdb", "neptune"];

pub const FETCHER: Fetcher = Fetcher { types: TYPES, service: "rds", fetch: |ctx| fetch(ctx).boxed() };

async fn fetch(ctx: &Ctx) -> FetchResult {
    let mut out = Vec::new();
    let mut pages = ctx.rds.describe_db_clusters().into_paginator().send();
    while let Some(page) = {
        let _p = ctx.permit("rds").await;
        pages.next().await
    } {
        let page = page.map_err(|e| read_error("rds", &ctx.region, TYPES, e))?;
        out.extend(
            page.db_clusters()
                .iter()
                .filter(|c| !c.engine().is_some_and(|e| OTHER_ENGINES.contains(&e)))
                .map(|c| map(c, &ctx.region, &ctx.account)),
        );
    }
    Ok(out)
}

/// Pure mapping from the SDK's `DbCluster` to provider v5 attributes.
pub fn map(c: &DbCluster, region: &str, account: &str) -> Resource {
    let id = c.db_cluster_identifier().unwrap_or_default();
    let arn = c
        .db_cluster_arn()
        .map(str::to_string)
        .unwrap_or_else(|| format!("arn:aws:rds:{region}:{account}:cluster:{id}"));
    let mut r = Resource::live("aws_rds_cluster", id, region, account, Some(arn.clone()))
        .with("id", id)
        .with("arn", arn)
        .with("cluster_identifier", id)
        .with("engine", Value::opt_str(c.engine()))
        .with("engine_version", Value::opt_str(c.engine_version()))
        .with("engine_version_actual", Value::opt_str(c.engine_version()))
        .with("engine_mode", Value::opt_str(c.engine_mode()))
        .with("master_username", Value::opt_str(c.master_username()))
        .with("port", c.port().unwrap_or(0))
        .with("backup_retention_period", c.backup_retention_period().unwrap_or(0))
        .with("preferred_backup_window", Value::opt_str(c.preferred_backup_window()))
        .with("preferred_maintenance_window", Value::opt_str(c.preferred_maintenance_window()))
        .with("deletion_protection", c.deletion_protection().unwrap_or(false))
        .with("storage_encrypted", c.storage_encrypted().unwrap_or(false))
        .with("kms_key_id", Value::opt_str(c.kms_key_id()))
        .with("db_subnet_group_name", Value::opt_str(c.db_subnet_group()))
        .with(
            "vpc_security_group_ids",
            string_set(c.vpc_security_groups().iter().filter_map(|g| g.vpc_security_group_id())),
        )
        .with("iam_database_authentication_enabled", c.iam_database_authentication_enabled().unwrap_or(false))
        .with("copy_tags_to_snapshot", c.copy_tags_to_snapshot().unwrap_or(false))
        .with(
            "enabled_cloudwatch_logs_exports",
            string_set(c.enabled_cloudwatch_logs_exports().iter().map(String::as_str)),
        )
        .with("tags", super::tags::rds(c.tag_list()));
    if let Some(name) = c.database_name() {
        r.set("database_name", name);
    }
    r
}

#[cfg(test)]
mod tests {
    use aws_sdk_rds::types::{Tag, VpcSecurityGroupMembership};

    use super::*;

    fn sample() -> DbCluster {
        DbCluster::builder()
            .db_cluster_identifier("app-cluster")
            .db_cluster_arn("arn:aws:rds:us-east-1:123456789012:cluster:app-cluster")
            .engine("aurora-postgresql")
            .engine_version("15.4")
            .engine_mode("provisioned")
            .database_name("appc")
            .master_username("admin1")
            .port(5432)
            .backup_retention_period(5)
            .preferred_backup_window("02:00-03:00")
            .preferred_maintenance_window("mon:04:00-mon:05:00")
            .deletion_protection(false)
            .storage_encrypted(true)
            .kms_key_id("arn:aws:kms:us-east-1:123456789012:key/k1")
            .db_subnet_group("db-group")
            .vpc_security_groups(VpcSecurityGroupMembership::builder().vpc_security_group_id("sg-1").build())
            .iam_database_authentication_enabled(true)
            .copy_tags_to_snapshot(true)
            .enabled_cloudwatch_logs_exports("postgresql")
            .tag_list(Tag::builder().key("Owner").value("team-b").build())
            .build()
    }

    #[test]
    fn maps_provider_attributes() {
        let r = map(&sample(), "us-east-1", "123456789012");
        assert_eq!(r.rtype, "aws_rds_cluster");
        assert_eq!(r.id, "app-cluster");
        assert_eq!(r.attr_str("cluster_identifier"), Some("app-cluster"));
        assert_eq!(r.attr_str("arn"), Some("arn:aws:rds:us-east-1:123456789012:cluster:app-cluster"));
        assert_eq!(r.attr_str("engine_mode"), Some("provisioned"));
        assert_eq!(r.attr_str("database_name"), Some("appc"));
        assert_eq!(r.attr_str("master_username"), Some("admin1"));
        assert_eq!(r.attr("port"), &Value::int(5432));
        assert_eq!(r.attr("backup_retention_period"), &Value::int(5));
        assert_eq!(r.attr("storage_encrypted"), &Value::Bool(true));
        assert_eq!(r.attr_str("db_subnet_group_name"), Some("db-group"));
        assert_eq!(r.attr("vpc_security_group_ids"), &Value::string_list(["sg-1"]));
        assert_eq!(r.attr("enabled_cloudwatch_logs_exports"), &Value::string_list(["postgresql"]));
        assert_eq!(r.attr("tags"), &Value::string_map([("Owner", "team-b")]));
        assert_eq!(r.attr("master_password"), &Value::Unknown);
    }

    #[test]
    fn absent_database_name_stays_unknown() {
        let c = DbCluster::builder().db_cluster_identifier("c").engine("aurora-mysql").build();
        let r = map(&c, "us-east-1", "123456789012");
        assert_eq!(r.attr("database_name"), &Value::Unknown);
        assert_eq!(r.attr("deletion_protection"), &Value::Bool(false));
        assert_eq!(r.attr("tags"), &Value::Map(Default::default()));
    }
}

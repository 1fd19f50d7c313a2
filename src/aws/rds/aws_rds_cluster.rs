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
//! `iam_roles`, scaling blocks, ...). `db_cluster_parameter_group_name` is filled: the
//! cluster's view reads TLS enforcement from that group.
//!
//! `engine_version`: same rule as `aws_db_instance` (see there): the live value is the
//! version AWS reports; the provider keeps a configured prefix (`"15"` for `"15.4"`), which
//! a normalisation pass must honour.

use aws_sdk_rds::types::DbCluster;
use futures::FutureExt;

use super::aws_db_instance::string_set;
use super::rds_common;
use crate::aws::errors::read_error;
use crate::aws::event::{Event, W};
use crate::aws::view::*;
use crate::aws::{Ctx, FetchResult, Identity, Read, ResourceType, ViewDef};
use crate::model::{Resource, Value, View};
use serde_json::Value as J;

const TYPES: &[&str] = &["aws_rds_cluster"];

/// Engines served by DescribeDBClusters that belong to other Terraform resource types.
const OTHER_ENGINES: &[&str] = &["docdb", "neptune"];

pub static TYPE: ResourceType = ResourceType {
    read: Some(Read { fetch: |ctx| fetch(ctx).boxed(), global: false }),
    identity: Identity::arn("rds", "cluster:", &["cluster_identifier"]),
    events: &[
        Event::create("rds", "CreateDBCluster", &["dBClusterIdentifier", "@dBClusterArn"]).writing(WRITES),
        Event::modify("rds", "ModifyDBCluster", &["dBClusterIdentifier"]).writing(WRITES),
        Event::delete("rds", "DeleteDBCluster", &["dBClusterIdentifier"]),
        super::ADD_TAGS,
        super::REMOVE_TAGS,
    ],
    view: Some(&VIEW),
    ..ResourceType::base("aws_rds_cluster", "rds")
};

pub static VIEW: ViewDef = ViewDef { kind: "rds_cluster", build: rds_clusters };

const WRITES: &[W] = &[
    W::Param("backup_retention_period", "backupRetentionPeriod"),
    W::Param("deletion_protection", "deletionProtection"),
    W::Param("preferred_backup_window", "preferredBackupWindow"),
    W::Param("preferred_maintenance_window", "preferredMaintenanceWindow"),
    W::Param("engine_version", "engineVersion"),
    W::Param("copy_tags_to_snapshot", "copyTagsToSnapshot"),
    W::Param("iam_database_authentication_enabled", "enableIAMDatabaseAuthentication"),
    W::Param("port", "port"),
    W::List("vpc_security_group_ids", "vpcSecurityGroupIds[]"),
    W::Param("master_password", "masterUserPassword"),
];

async fn fetch(ctx: &Ctx) -> FetchResult {
    let rds = ctx.client::<aws_sdk_rds::Client>();
    let mut out = Vec::new();
    let mut pages = rds.describe_db_clusters().into_paginator().send();
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
        .with("db_cluster_parameter_group_name", Value::opt_str(c.db_cluster_parameter_group()))
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
        .with("tags", crate::aws::tags::rds(c.tag_list()));
    if let Some(name) = c.database_name() {
        r.set("database_name", name);
    }
    r
}

fn rds_clusters(resources: &[Resource], view: View) -> Vec<JoinedView> {
    let of = |t: &str| -> Vec<&Resource> { resources.iter().filter(|r| r.rtype == t).collect() };
    let (clusters, groups) = (of("aws_rds_cluster"), of("aws_rds_cluster_parameter_group"));
    let (mut by_cluster, mut by_group) = (Index::default(), Index::default());
    for (i, r) in clusters.iter().enumerate() {
        by_cluster.add(i, r, &["cluster_identifier", "arn"]);
    }
    for (i, r) in groups.iter().enumerate() {
        by_group.add(i, r, &["name", "arn"]);
    }
    let mut members: Vec<Vec<&Resource>> = vec![Vec::new(); clusters.len()];
    for r in resources.iter().filter(|r| r.rtype == "aws_rds_cluster_instance") {
        if let Some(i) = by_cluster.find(r.attributes.get("cluster_identifier")) {
            members[i].push(r);
        }
    }
    clusters
        .iter()
        .zip(members)
        .map(|(r, members)| {
            let group = by_group.find(r.attributes.get("db_cluster_parameter_group_name")).map(|i| groups[i]);
            rds_cluster(r, &members, group, view)
        })
        .collect()
}

fn rds_cluster(r: &Resource, members: &[&Resource], group: Option<&Resource>, view: View) -> JoinedView {
    let a = |k: &str| attr(r, k, view);
    let mut o = head("rds_cluster", r, view);
    let ident = a("cluster_identifier").string(None).ok().flatten().unwrap_or_else(|| r.id.clone());
    o.put("cluster_identifier", ident.as_str()).put("name", ident);
    for k in [
        "engine",
        "engine_version",
        "db_cluster_instance_class",
        "db_subnet_group_name",
        "db_cluster_parameter_group_name",
    ] {
        let _ = o.string(k, a(k), None);
    }
    let mode = o.string("engine_mode", a("engine_mode"), Some("provisioned"));
    let replica = match a("replication_source_identifier").string(None) {
        Ok(s) => Some(s.is_some()),
        Err(()) => None,
    };
    o.opt("is_replica", replica);
    // Provider default: encrypted for serverless (v1), not for provisioned.
    match (a("storage_encrypted"), mode) {
        (F::Default, Ok(m)) => {
            o.put("storage_encrypted", m.as_deref() == Some("serverless"));
        }
        (F::Default, Err(())) => {
            o.unknown("storage_encrypted");
        }
        (f, _) => {
            o.bool("storage_encrypted", f, false);
        }
    }
    let _ = o.string("kms_key_id", a("kms_key_id"), None);
    o.int("backup_retention_period", a("backup_retention_period"), Some(1));
    o.bool("deletion_protection", a("deletion_protection"), false);
    o.strings("enabled_cloudwatch_logs_exports", a("enabled_cloudwatch_logs_exports"));
    o.bool("iam_database_authentication_enabled", a("iam_database_authentication_enabled"), false);
    o.bool("copy_tags_to_snapshot", a("copy_tags_to_snapshot"), false);
    rds_common(&mut o, r, group, view, "db_cluster_parameter_group_name");
    // Members: `publicly_accessible` lives on them; Multi-AZ is their topology.
    let mut list = Vec::new();
    let mut azs = Vec::new();
    let mut az_unknown = false;
    for m in members {
        let mut mo = Obj::default();
        mo.put("address", m.address.clone().map(J::String).unwrap_or(J::Null)).put("id", m.id.as_str());
        mo.bool("publicly_accessible", attr(m, "publicly_accessible", view), false);
        match attr(m, "availability_zone", view).string(None) {
            Ok(z) => {
                if let Some(z) = &z {
                    azs.push(z.clone());
                }
                mo.put("availability_zone", z.map(J::String).unwrap_or(J::Null));
            }
            Err(()) => {
                az_unknown = true;
                mo.unknown("availability_zone");
            }
        }
        list.push(mo.finish());
    }
    o.put("instances", J::Array(list));
    azs.sort();
    azs.dedup();
    // A Multi-AZ DB cluster (`db_cluster_instance_class`) spans three AZs by construction;
    // Aurora needs two or more members, which RDS places in different AZs unless pinned.
    let multi_az_cluster = matches!(a("db_cluster_instance_class").string(None), Ok(Some(_)));
    let pinned_same =
        azs.len() == 1 && !az_unknown && members.iter().all(|m| m.attributes.contains_key("availability_zone"));
    let multi = if multi_az_cluster {
        Some(true)
    } else if members.len() >= 2 && !pinned_same {
        Some(true)
    } else if (members.len() >= 2 && az_unknown) || !join_is_complete("aws_rds_cluster_instance", view) {
        None
    } else {
        Some(false)
    };
    o.opt("multi_az", multi);
    joined("rds_cluster", r, o)
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

//! `aws_db_subnet_group`: DescribeDBSubnetGroups (paginated) for the groups, then one
//! ListTagsForResource per group for `tags` (DescribeDBSubnetGroups carries no tags).
//! Subnet groups are few per region, so the per-group calls are cheap; they fan out under
//! the RDS concurrency bound.
//!
//! Identity: the group name (tfstate `id` = `name`).
//!
//! `default` is created by RDS itself (the name is reserved: nobody can create a group
//! called `default`), so it is flagged `aws_default`.
//!
//! Limitation: DocumentDB and Neptune subnet groups share this API and cannot be told
//! apart from RDS ones; one managed as `aws_docdb_subnet_group` shows up here as an
//! unmanaged `aws_db_subnet_group`.
//!
//! Not filled: `name_prefix` (write-side convenience), computed-only `vpc_id` and
//! `supported_network_types`.

use aws_sdk_rds::types::{DbSubnetGroup, Tag};
use futures::{FutureExt, StreamExt, TryStreamExt};

use super::aws_db_instance::string_set;
use crate::aws::errors::{read_error, service_code};
use crate::aws::event::{Event, W};
use crate::aws::{Ctx, FetchResult, Identity, Read, ResourceType};
use crate::model::{Resource, Value};

const TYPES: &[&str] = &["aws_db_subnet_group"];

pub static TYPE: ResourceType = ResourceType {
    read: Some(Read { fetch: |ctx| fetch(ctx).boxed(), global: false }),
    identity: Identity::arn("rds", "subgrp:", &["name"]),
    events: &[
        Event::create("rds", "CreateDBSubnetGroup", &["dBSubnetGroupName"]).writing(WRITES),
        Event::modify("rds", "ModifyDBSubnetGroup", &["dBSubnetGroupName"]).writing(WRITES),
        Event::delete("rds", "DeleteDBSubnetGroup", &["dBSubnetGroupName"]),
        super::ADD_TAGS,
        super::REMOVE_TAGS,
    ],
    ..ResourceType::base("aws_db_subnet_group", "rds")
};

const WRITES: &[W] = &[W::Param("description", "dBSubnetGroupDescription"), W::List("subnet_ids", "subnetIds[]")];

async fn fetch(ctx: &Ctx) -> FetchResult {
    let rds = ctx.client::<aws_sdk_rds::Client>();
    let rds = &rds;
    let mut groups = Vec::new();
    let mut pages = rds.describe_db_subnet_groups().into_paginator().send();
    while let Some(page) = {
        let _p = ctx.permit("rds").await;
        pages.next().await
    } {
        let page = page.map_err(|e| read_error("rds", &ctx.region, TYPES, e))?;
        groups.extend(page.db_subnet_groups().iter().cloned());
    }
    let found: Vec<Option<Resource>> = futures::stream::iter(groups)
        .map(|g| async move {
            let tags = match g.db_subnet_group_arn() {
                Some(arn) => {
                    let _p = ctx.permit("rds").await;
                    match rds.list_tags_for_resource().resource_name(arn).send().await {
                        Ok(out) => Some(out.tag_list().to_vec()),
                        // Deleted between the two calls: it no longer exists.
                        Err(e) if service_code(&e) == Some("DBSubnetGroupNotFoundFault") => {
                            return Ok(None);
                        }
                        Err(e) => return Err(read_error("rds", &ctx.region, TYPES, e)),
                    }
                }
                // No ARN to ask about: tags stay Unknown.
                None => None,
            };
            Ok(Some(map(&g, tags.as_deref(), &ctx.region, &ctx.account)))
        })
        .buffer_unordered(ctx.limit("rds"))
        .try_collect()
        .await?;
    Ok(found.into_iter().flatten().collect())
}

/// Pure mapping from the SDK's `DbSubnetGroup` (plus its tags, when read) to provider v5
/// attributes. `tags: None` leaves `tags` Unknown.
pub fn map(g: &DbSubnetGroup, tags: Option<&[Tag]>, region: &str, account: &str) -> Resource {
    let name = g.db_subnet_group_name().unwrap_or_default();
    let arn = g
        .db_subnet_group_arn()
        .map(str::to_string)
        .unwrap_or_else(|| format!("arn:aws:rds:{region}:{account}:subgrp:{name}"));
    let mut r = Resource::live("aws_db_subnet_group", name, region, account, Some(arn.clone()))
        .with("id", name)
        .with("arn", arn)
        .with("name", name)
        .with("description", Value::opt_str(g.db_subnet_group_description()))
        .with("subnet_ids", string_set(g.subnets().iter().filter_map(|s| s.subnet_identifier())));
    if let Some(tags) = tags {
        r.set("tags", crate::aws::tags::rds(tags));
    }
    r.aws_default = name == "default";
    r
}

#[cfg(test)]
mod tests {
    use aws_sdk_rds::types::Subnet;

    use super::*;

    fn group(name: &str) -> DbSubnetGroup {
        DbSubnetGroup::builder()
            .db_subnet_group_name(name)
            .db_subnet_group_description("db subnets")
            .db_subnet_group_arn(format!("arn:aws:rds:us-east-1:123456789012:subgrp:{name}"))
            .vpc_id("vpc-1")
            .subnets(Subnet::builder().subnet_identifier("subnet-b").build())
            .subnets(Subnet::builder().subnet_identifier("subnet-a").build())
            .build()
    }

    #[test]
    fn maps_provider_attributes() {
        let tags = [Tag::builder().key("Env").value("test").build()];
        let r = map(&group("db-group"), Some(&tags), "us-east-1", "123456789012");
        assert_eq!(r.rtype, "aws_db_subnet_group");
        assert_eq!(r.id, "db-group");
        assert_eq!(r.attr_str("name"), Some("db-group"));
        assert_eq!(r.attr_str("description"), Some("db subnets"));
        assert_eq!(r.attr_str("arn"), Some("arn:aws:rds:us-east-1:123456789012:subgrp:db-group"));
        assert_eq!(r.attr("subnet_ids"), &Value::string_list(["subnet-a", "subnet-b"]));
        assert_eq!(r.attr("tags"), &Value::string_map([("Env", "test")]));
        assert!(!r.aws_default);
    }

    #[test]
    fn unread_tags_stay_unknown_and_default_is_flagged() {
        let r = map(&group("default"), None, "us-east-1", "123456789012");
        assert_eq!(r.attr("tags"), &Value::Unknown);
        assert!(r.aws_default);
        let r = map(&group("g"), Some(&[]), "us-east-1", "123456789012");
        assert_eq!(r.attr("tags"), &Value::Map(Default::default()));
    }
}

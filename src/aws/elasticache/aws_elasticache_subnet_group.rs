//! `aws_elasticache_subnet_group`: DescribeCacheSubnetGroups (paginated) and
//! ListTagsForResource per group.
//!
//! Identity: the group name (tfstate `id` = `name`). Filled: `name`, `description`,
//! `subnet_ids` (a set), `vpc_id`, `arn`, `tags`. ElastiCache's own `default` group (made in
//! the default VPC on first use) is an AWS default, never unmanaged.

use aws_sdk_elasticache::types::{CacheSubnetGroup, Tag};
use futures::{FutureExt, StreamExt, TryStreamExt};

use super::{ADD_TAGS, REMOVE_TAGS, set_tags, string_set, tags_of};
use crate::aws::errors::read_error;
use crate::aws::event::{Event, W};
use crate::aws::{Ctx, FetchResult, Identity, Read, ResourceType};
use crate::model::{ReadError, Resource, Value};

const TYPES: &[&str] = &["aws_elasticache_subnet_group"];

pub static TYPE: ResourceType = ResourceType {
    read: Some(Read { fetch: |ctx| fetch(ctx).boxed(), global: false }),
    identity: Identity::arn("elasticache", "subnetgroup:", &["name"]),
    events: &[
        Event::create("elasticache", "CreateCacheSubnetGroup", &["cacheSubnetGroupName"]).writing(&[
            W::Param("description", "cacheSubnetGroupDescription"),
            W::List("subnet_ids", "subnetIds[]"),
            W::Tags { items: "tags[]", key: "key", value: "value" },
        ]),
        Event::modify("elasticache", "ModifyCacheSubnetGroup", &["cacheSubnetGroupName"])
            .writing(&[W::Param("description", "cacheSubnetGroupDescription"), W::List("subnet_ids", "subnetIds[]")]),
        Event::delete("elasticache", "DeleteCacheSubnetGroup", &["cacheSubnetGroupName"]),
        ADD_TAGS,
        REMOVE_TAGS,
    ],
    ..ResourceType::base("aws_elasticache_subnet_group", "elasticache")
};

async fn fetch(ctx: &Ctx) -> FetchResult {
    let elasticache = ctx.client::<aws_sdk_elasticache::Client>();
    let mut groups = Vec::new();
    let mut pages = elasticache.describe_cache_subnet_groups().into_paginator().send();
    while let Some(page) = {
        let _p = ctx.permit("elasticache").await;
        pages.next().await
    } {
        let page = page.map_err(|e| read_error("elasticache", &ctx.region, TYPES, e))?;
        groups.extend(page.cache_subnet_groups().iter().cloned());
    }
    let found: Vec<Option<Resource>> = futures::stream::iter(groups)
        .map(|g| async move {
            let tags = match g.arn() {
                Some(arn) => match tags_of(ctx, arn, TYPES).await? {
                    Some(t) => Some(t),
                    None => return Ok::<_, ReadError>(None),
                },
                None => None,
            };
            Ok(map(&g, tags.as_deref(), &ctx.region, &ctx.account))
        })
        .buffer_unordered(ctx.limit("elasticache"))
        .try_collect()
        .await?;
    Ok(found.into_iter().flatten().collect())
}

/// Pure mapping from a described group and its tags (`None`: not read).
pub fn map(g: &CacheSubnetGroup, tags: Option<&[Tag]>, region: &str, account: &str) -> Option<Resource> {
    let name = g.cache_subnet_group_name()?;
    let arn = g.arn().map(str::to_string);
    let mut r = Resource::live("aws_elasticache_subnet_group", name, region, account, arn.clone())
        .with("id", name)
        .with("name", name)
        .with("arn", Value::opt_str(arn))
        .with("description", g.cache_subnet_group_description().unwrap_or_default())
        .with("subnet_ids", string_set(g.subnets().iter().filter_map(|s| s.subnet_identifier())))
        .with("vpc_id", Value::opt_str(g.vpc_id()));
    set_tags(&mut r, tags);
    r.aws_default = name == "default";
    Some(r)
}

#[cfg(test)]
mod tests {
    use super::*;
    use aws_sdk_elasticache::types::Subnet;
    use serde_json::json;

    #[test]
    fn maps_a_subnet_group() {
        let g = CacheSubnetGroup::builder()
            .cache_subnet_group_name("cache")
            .cache_subnet_group_description("private subnets")
            .vpc_id("vpc-1")
            .arn("arn:aws:elasticache:us-east-1:123456789012:subnetgroup:cache")
            .subnets(Subnet::builder().subnet_identifier("subnet-b").build())
            .subnets(Subnet::builder().subnet_identifier("subnet-a").build())
            .build();
        let tags = [Tag::builder().key("Team").value("data").build()];
        let r = map(&g, Some(&tags), "us-east-1", "123456789012").unwrap();
        assert_eq!((r.id.as_str(), r.attr_str("description")), ("cache", Some("private subnets")));
        assert_eq!(r.attr("subnet_ids"), &Value::string_list(["subnet-a", "subnet-b"]));
        assert_eq!(r.attr("tags"), &Value::string_map([("Team", "data")]));
        assert!(!r.aws_default);
        let default = CacheSubnetGroup::builder().cache_subnet_group_name("default").build();
        assert!(map(&default, None, "us-east-1", "1").unwrap().aws_default);
    }

    #[test]
    fn modify_writes_the_subnets() {
        use crate::aws::event::{Written, of};
        let e = of("aws_elasticache_subnet_group", "elasticache", "ModifyCacheSubnetGroup");
        let req = json!({"cacheSubnetGroupName": "cache", "subnetIds": ["subnet-b", "subnet-a"]});
        assert_eq!(e.identifiers(&req, &json!(null)), ["cache"]);
        assert_eq!(
            e.writes(&req, &json!(null)),
            [Written::Set { path: "subnet_ids".into(), value: Value::string_list(["subnet-a", "subnet-b"]) }]
        );
    }
}

//! `aws_placement_group`: DescribePlacementGroups (one call: EC2 does not paginate it).
//! Identity: the name (`id` = `name`); the ARN is `placement-group/<name>`. As the provider
//! stores them: `partition_count` `0` and `spread_level` `""` when the strategy has none.

use aws_sdk_ec2::types::{PlacementGroup, PlacementGroupState};
use futures::FutureExt;

use crate::aws::errors::read_error;
use crate::aws::event::{Event, W};
use crate::aws::{Ctx, FetchResult, Identity, Read, ResourceType};
use crate::model::{Resource, Value};

const TYPES: &[&str] = &["aws_placement_group"];

pub static TYPE: ResourceType = ResourceType {
    read: Some(Read { fetch: |ctx| fetch(ctx).boxed(), global: false }),
    identity: Identity::arn("ec2", "placement-group/", &["name", "placement_group_id"]),
    events: &[
        Event::create("ec2", "CreatePlacementGroup", &["groupName", "@placementGroup.groupId"]).writing(&[
            W::Param("strategy", "strategy"),
            W::Param("partition_count", "partitionCount"),
            W::Param("spread_level", "spreadLevel"),
        ]),
        Event::delete("ec2", "DeletePlacementGroup", &["groupName"]),
        super::CREATE_TAGS,
        super::DELETE_TAGS,
    ],
    ..ResourceType::base("aws_placement_group", "ec2")
};

async fn fetch(ctx: &Ctx) -> FetchResult {
    let ec2 = ctx.client::<aws_sdk_ec2::Client>();
    let out = {
        let _p = ctx.permit("ec2").await;
        ec2.describe_placement_groups().send().await
    }
    .map_err(|e| read_error("ec2", &ctx.region, TYPES, e))?;
    Ok(out
        .placement_groups()
        .iter()
        .filter(|g| !matches!(g.state(), Some(PlacementGroupState::Deleted | PlacementGroupState::Deleting)))
        .map(|g| map(g, &ctx.region, &ctx.account))
        .collect())
}

/// Pure mapping from the SDK's `PlacementGroup` to provider v5 attributes.
pub fn map(g: &PlacementGroup, region: &str, account: &str) -> Resource {
    let name = g.group_name().unwrap_or_default();
    let arn = g
        .group_arn()
        .map(str::to_string)
        .unwrap_or_else(|| format!("arn:aws:ec2:{region}:{account}:placement-group/{name}"));
    Resource::live("aws_placement_group", name, region, account, Some(arn.clone()))
        .with("id", name)
        .with("arn", arn)
        .with("name", name)
        .with("placement_group_id", Value::str(g.group_id().unwrap_or_default()))
        .with("strategy", Value::str(g.strategy().map(|s| s.as_str()).unwrap_or_default()))
        .with("partition_count", Value::int(g.partition_count().unwrap_or(0).into()))
        .with("spread_level", Value::str(g.spread_level().map(|s| s.as_str()).unwrap_or_default()))
        .with("tags", crate::aws::tags::ec2(g.tags()))
}

#[cfg(test)]
mod tests {
    use super::*;
    use aws_sdk_ec2::types::{PlacementStrategy, SpreadLevel};
    use serde_json::json;

    #[test]
    fn cluster_and_spread_groups() {
        let g = PlacementGroup::builder()
            .group_name("reach-web")
            .group_id("pg-1")
            .strategy(PlacementStrategy::Cluster)
            .state(PlacementGroupState::Available)
            .build();
        let r = map(&g, "us-east-1", "123456789012");
        assert_eq!(r.id, "reach-web");
        assert_eq!(r.attr_str("arn"), Some("arn:aws:ec2:us-east-1:123456789012:placement-group/reach-web"));
        assert_eq!(r.attr("partition_count"), &Value::int(0));
        assert_eq!(r.attr_str("spread_level"), Some(""));
        assert_eq!(r.attr("tags"), &Value::string_map::<&str, &str>([]));
        let s = PlacementGroup::builder()
            .group_name("reach-spread")
            .strategy(PlacementStrategy::Spread)
            .spread_level(SpreadLevel::Rack)
            .build();
        assert_eq!(map(&s, "us-east-1", "1").attr_str("spread_level"), Some("rack"));
    }

    #[test]
    fn placement_group_events() {
        let e = crate::aws::event::of("aws_placement_group", "ec2", "CreatePlacementGroup");
        let req = json!({"groupName": "reach-web", "strategy": "cluster"});
        assert_eq!(e.identifiers(&req, &json!({"placementGroup": {"groupId": "pg-1"}})), vec!["reach-web", "pg-1"]);
        assert!(
            e.writes(&req, &json!({}))
                .contains(&crate::aws::Written::Set { path: "strategy".into(), value: "cluster".into() })
        );
    }
}

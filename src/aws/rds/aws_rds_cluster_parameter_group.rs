//! `aws_rds_cluster_parameter_group`: DescribeDBClusterParameterGroups (paginated), then per
//! group, fanned out under the RDS bound: DescribeDBClusterParameters with `Source=user`
//! (paginated) and ListTagsForResource. Part of its clusters' views
//! (`db_cluster_parameter_group_name`): TLS enforcement is read from it.
//!
//! Identity: the group name (tfstate `id` = `name`).
//! Filled: `id`, `name`, `arn`, `family`, `description`, `tags`, and `parameter`, the set of
//! parameters set on the group, as the provider stores them. Parameters the configuration
//! sets to their engine default are not read (see `aws_db_parameter_group`).
//!
//! RDS's own groups (`default.<family>`) are AWS defaults; their parameters are not asked for.
//! Absent: `name_prefix` (derived from the name at creation).

use aws_sdk_rds::types::{DbClusterParameterGroup, Parameter, Tag};
use futures::{FutureExt, StreamExt, TryStreamExt};

use super::{is_default_group, parameter_set, tags_of};
use crate::aws::errors::{read_error, service_code};
use crate::aws::event::{Event, W};
use crate::aws::{Ctx, FetchResult, Identity, Read, ResourceType};
use crate::model::{ReadError, Resource, Value};

const TYPES: &[&str] = &["aws_rds_cluster_parameter_group"];
const GONE: &[&str] = &["DBParameterGroupNotFound", "DBParameterGroupNotFoundFault", "DBClusterParameterGroupNotFound"];

pub static TYPE: ResourceType = ResourceType {
    read: Some(Read { fetch: |ctx| fetch(ctx).boxed(), global: false }),
    identity: Identity::arn("rds", "cluster-pg:", &["name"]),
    events: &[
        Event::create("rds", "CreateDBClusterParameterGroup", &["dBClusterParameterGroupName"])
            .writing(&[W::Param("description", "description"), W::Param("family", "dBParameterGroupFamily")]),
        Event::modify("rds", "ModifyDBClusterParameterGroup", &["dBClusterParameterGroupName"])
            .writing(&[W::Custom(super::aws_db_parameter_group::parameters)]),
        Event::modify("rds", "ResetDBClusterParameterGroup", &["dBClusterParameterGroupName"])
            .writing(&[W::Touch("parameter")]),
        Event::delete("rds", "DeleteDBClusterParameterGroup", &["dBClusterParameterGroupName"]),
        super::ADD_TAGS,
        super::REMOVE_TAGS,
    ],
    part_of_views: &["rds_cluster"],
    ..ResourceType::base("aws_rds_cluster_parameter_group", "rds")
};

async fn fetch(ctx: &Ctx) -> FetchResult {
    let rds = ctx.client::<aws_sdk_rds::Client>();
    let mut groups = Vec::new();
    let mut pages = rds.describe_db_cluster_parameter_groups().into_paginator().send();
    while let Some(page) = {
        let _p = ctx.permit("rds").await;
        pages.next().await
    } {
        let page = page.map_err(|e| read_error("rds", &ctx.region, TYPES, e))?;
        groups.extend(page.db_cluster_parameter_groups().iter().cloned());
    }
    let found: Vec<Option<Resource>> = futures::stream::iter(groups)
        .map(|g| read_group(ctx, g))
        .buffer_unordered(ctx.limit("rds"))
        .try_collect()
        .await?;
    Ok(found.into_iter().flatten().collect())
}

async fn read_group(ctx: &Ctx, g: DbClusterParameterGroup) -> Result<Option<Resource>, ReadError> {
    let Some(name) = g.db_cluster_parameter_group_name() else { return Ok(None) };
    let rds = ctx.client::<aws_sdk_rds::Client>();
    let params = async {
        if is_default_group(name) {
            return Ok(Some(Vec::new()));
        }
        let mut params = Vec::new();
        let mut pages = rds
            .describe_db_cluster_parameters()
            .db_cluster_parameter_group_name(name)
            .source("user")
            .into_paginator()
            .send();
        while let Some(page) = {
            let _p = ctx.permit("rds").await;
            pages.next().await
        } {
            match page {
                Ok(p) => params.extend(p.parameters().iter().cloned()),
                Err(e) if service_code(&e).is_some_and(|c| GONE.contains(&c)) => return Ok(None),
                Err(e) => return Err(read_error("rds", &ctx.region, TYPES, e)),
            }
        }
        Ok(Some(params))
    };
    let tags = async {
        match g.db_cluster_parameter_group_arn() {
            Some(arn) => tags_of(ctx, arn, TYPES, GONE).await.map(|t| t.map(Some)),
            None => Ok(Some(None)),
        }
    };
    let (params, tags) = futures::try_join!(params, tags)?;
    let (Some(params), Some(tags)) = (params, tags) else { return Ok(None) };
    Ok(Some(map(&g, &params, tags.as_deref(), &ctx.region, &ctx.account)))
}

/// Pure mapping from a group, its user-set parameters and its tags (`None`: not read).
pub fn map(
    g: &DbClusterParameterGroup,
    params: &[Parameter],
    tags: Option<&[Tag]>,
    region: &str,
    account: &str,
) -> Resource {
    let name = g.db_cluster_parameter_group_name().unwrap_or_default();
    let arn = g.db_cluster_parameter_group_arn().map(str::to_string);
    let mut r = Resource::live("aws_rds_cluster_parameter_group", name, region, account, arn.clone())
        .with("id", name)
        .with("name", name)
        .with("arn", Value::opt_str(arn))
        .with("family", Value::opt_str(g.db_parameter_group_family()))
        .with("description", g.description().unwrap_or_default())
        .with("parameter", parameter_set(params));
    if let Some(tags) = tags {
        r.set("tags", crate::aws::tags::rds(tags));
    }
    r.aws_default = is_default_group(name);
    r
}

#[cfg(test)]
mod tests {
    use super::*;
    use aws_sdk_rds::types::ApplyMethod;

    #[test]
    fn maps_group_and_parameters() {
        let g = DbClusterParameterGroup::builder()
            .db_cluster_parameter_group_name("analytics")
            .db_parameter_group_family("aurora-postgresql15")
            .description("Analytics")
            .db_cluster_parameter_group_arn("arn:aws:rds:us-east-1:123456789012:cluster-pg:analytics")
            .build();
        let p = [Parameter::builder()
            .parameter_name("rds.force_ssl")
            .parameter_value("1")
            .apply_method(ApplyMethod::PendingReboot)
            .build()];
        let r = map(&g, &p, Some(&[]), "us-east-1", "123456789012");
        assert_eq!(r.id, "analytics");
        assert_eq!(r.attr_str("arn"), Some("arn:aws:rds:us-east-1:123456789012:cluster-pg:analytics"));
        assert_eq!(r.attr("tags"), &Value::Map(Default::default()));
        assert_eq!(
            r.attr("parameter"),
            &Value::List(vec![Value::object([
                ("name", "rds.force_ssl".into()),
                ("value", "1".into()),
                ("apply_method", "pending-reboot".into())
            ])])
        );
        assert!(!r.aws_default);
        assert!(
            map(
                &DbClusterParameterGroup::builder()
                    .db_cluster_parameter_group_name("default.aurora-postgresql15")
                    .build(),
                &[],
                None,
                "r",
                "a"
            )
            .aws_default
        );
    }

    #[test]
    fn cluster_modify_adds_parameters() {
        use crate::aws::event::of;
        use serde_json::json;
        let e = of("aws_rds_cluster_parameter_group", "rds", "ModifyDBClusterParameterGroup");
        let req = json!({"dBClusterParameterGroupName": "analytics", "parameters": [{"parameterName": "rds.force_ssl", "parameterValue": "0"}]});
        assert_eq!(e.identifiers(&req, &json!(null)), ["analytics"]);
        assert_eq!(e.writes(&req, &json!(null)).len(), 1);
    }
}

//! `aws_db_parameter_group`: DescribeDBParameterGroups (paginated), then per group, fanned
//! out under the RDS bound: DescribeDBParameters with `Source=user` (paginated) and
//! ListTagsForResource. Part of its instances' views (`parameter_group_name`): TLS
//! enforcement (`rds.force_ssl`, `require_secure_transport`) is read from it.
//!
//! Identity: the group name (tfstate `id` = `name`).
//! Filled: `id`, `name`, `arn`, `family`, `description`, `tags`, and `parameter`, the set of
//! parameters set on the group (`Source=user`), as the provider stores them (see
//! `parameter_set`).
//!
//! Parameters: the provider keeps, besides the user-set parameters, those its configuration
//! names with another source (set to their engine default). Those are not read here (that
//! takes every parameter of the family, hundreds per group): the `rds_parameter_defaults`
//! normalisation treats them as unread, never drift.
//!
//! RDS's own groups (`default.<family>`) are AWS defaults (`aws_default = true`) and hold
//! no user-set parameters by construction: their parameters are not asked for.
//! Absent: `name_prefix` (derived from the name at creation), `skip_destroy` (Terraform-only).

use aws_sdk_rds::types::{DbParameterGroup, Parameter, Tag};
use futures::{FutureExt, StreamExt, TryStreamExt};

use super::{is_default_group, parameter_set, tags_of};
use crate::aws::errors::{read_error, service_code};
use crate::aws::event::{Event, W};
use crate::aws::{Ctx, FetchResult, Identity, Read, ResourceType};
use crate::model::{ReadError, Resource, Value};

const TYPES: &[&str] = &["aws_db_parameter_group"];
const GONE: &[&str] = &["DBParameterGroupNotFound", "DBParameterGroupNotFoundFault"];

pub static TYPE: ResourceType = ResourceType {
    read: Some(Read { fetch: |ctx| fetch(ctx).boxed(), global: false }),
    identity: Identity::arn("rds", "pg:", &["name"]),
    events: &[
        Event::create("rds", "CreateDBParameterGroup", &["dBParameterGroupName"])
            .writing(&[W::Param("description", "description"), W::Param("family", "dBParameterGroupFamily")]),
        Event::modify("rds", "ModifyDBParameterGroup", &["dBParameterGroupName"]).writing(&[W::Custom(parameters)]),
        Event::modify("rds", "ResetDBParameterGroup", &["dBParameterGroupName"]).writing(&[W::Touch("parameter")]),
        Event::delete("rds", "DeleteDBParameterGroup", &["dBParameterGroupName"]),
        super::ADD_TAGS,
        super::REMOVE_TAGS,
    ],
    part_of_views: &["rds_instance"],
    ..ResourceType::base("aws_db_parameter_group", "rds")
};

/// `parameters[]` of a Modify call: the elements it adds to the set (the old values it
/// replaces are not in the request).
pub(super) fn parameters(req: &serde_json::Value, _: &serde_json::Value, out: &mut Vec<crate::aws::Written>) {
    use crate::aws::event::pluck;
    let mut found = Vec::new();
    pluck(req, "parameters[]", &mut found);
    let elems: Vec<Value> = found
        .into_iter()
        .filter_map(|p| {
            let name = p.get("parameterName")?.as_str()?.to_ascii_lowercase();
            let value = p.get("parameterValue").map(crate::aws::event::value).unwrap_or_else(|| "".into());
            let method = p.get("applyMethod").and_then(|m| m.as_str()).unwrap_or_default().to_ascii_lowercase();
            Some(Value::object([("name", name.into()), ("value", value), ("apply_method", method.into())]))
        })
        .collect();
    if !elems.is_empty() {
        out.push(crate::aws::Written::Add { path: "parameter".into(), elems });
    }
}

async fn fetch(ctx: &Ctx) -> FetchResult {
    let rds = ctx.client::<aws_sdk_rds::Client>();
    let mut groups = Vec::new();
    let mut pages = rds.describe_db_parameter_groups().into_paginator().send();
    while let Some(page) = {
        let _p = ctx.permit("rds").await;
        pages.next().await
    } {
        let page = page.map_err(|e| read_error("rds", &ctx.region, TYPES, e))?;
        groups.extend(page.db_parameter_groups().iter().cloned());
    }
    let found: Vec<Option<Resource>> = futures::stream::iter(groups)
        .map(|g| read_group(ctx, g))
        .buffer_unordered(ctx.limit("rds"))
        .try_collect()
        .await?;
    Ok(found.into_iter().flatten().collect())
}

async fn read_group(ctx: &Ctx, g: DbParameterGroup) -> Result<Option<Resource>, ReadError> {
    let Some(name) = g.db_parameter_group_name() else { return Ok(None) };
    let rds = ctx.client::<aws_sdk_rds::Client>();
    let params = async {
        if is_default_group(name) {
            return Ok(Some(Vec::new()));
        }
        let mut params = Vec::new();
        let mut pages =
            rds.describe_db_parameters().db_parameter_group_name(name).source("user").into_paginator().send();
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
        match g.db_parameter_group_arn() {
            Some(arn) => tags_of(ctx, arn, TYPES, GONE).await.map(|t| t.map(Some)),
            None => Ok(Some(None)),
        }
    };
    let (params, tags) = futures::try_join!(params, tags)?;
    let (Some(params), Some(tags)) = (params, tags) else { return Ok(None) };
    Ok(Some(map(&g, &params, tags.as_deref(), &ctx.region, &ctx.account)))
}

/// Pure mapping from a group, its user-set parameters and its tags (`None`: not read).
pub fn map(g: &DbParameterGroup, params: &[Parameter], tags: Option<&[Tag]>, region: &str, account: &str) -> Resource {
    let name = g.db_parameter_group_name().unwrap_or_default();
    let arn = g.db_parameter_group_arn().map(str::to_string);
    let mut r = Resource::live("aws_db_parameter_group", name, region, account, arn.clone())
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
    fn maps_user_parameters_lower_cased() {
        let g = DbParameterGroup::builder()
            .db_parameter_group_name("app-pg")
            .db_parameter_group_family("postgres16")
            .description("app")
            .db_parameter_group_arn("arn:aws:rds:us-east-1:123456789012:pg:app-pg")
            .build();
        let params = [
            Parameter::builder()
                .parameter_name("rds.force_ssl")
                .parameter_value("1")
                .apply_method(ApplyMethod::Immediate)
                .source("user")
                .build(),
            Parameter::builder()
                .parameter_name("Shared_Preload_Libraries")
                .apply_method(ApplyMethod::PendingReboot)
                .build(),
        ];
        let tags = [Tag::builder().key("Owner").value("data").build()];
        let r = map(&g, &params, Some(&tags), "us-east-1", "123456789012");
        assert_eq!(
            (r.id.as_str(), r.attr_str("name"), r.attr_str("family")),
            ("app-pg", Some("app-pg"), Some("postgres16"))
        );
        assert_eq!(r.attr("tags"), &Value::string_map([("Owner", "data")]));
        assert_eq!(
            r.attr("parameter"),
            &Value::List(vec![
                Value::object([
                    ("name", "rds.force_ssl".into()),
                    ("value", "1".into()),
                    ("apply_method", "immediate".into())
                ]),
                Value::object([
                    ("name", "shared_preload_libraries".into()),
                    ("value", "".into()),
                    ("apply_method", "pending-reboot".into())
                ]),
            ])
        );
        assert!(!r.aws_default);
        assert!(!r.attributes.contains_key("name_prefix"));
    }

    #[test]
    fn rds_groups_are_defaults_and_unread_tags_unknown() {
        let g = DbParameterGroup::builder().db_parameter_group_name("default.postgres16").build();
        let r = map(&g, &[], None, "us-east-1", "1");
        assert!(r.aws_default);
        assert_eq!(r.attr("tags"), &Value::Unknown);
    }

    #[test]
    fn modify_adds_parameters() {
        use crate::aws::event::{Written, of};
        use serde_json::json;
        let e = of("aws_db_parameter_group", "rds", "ModifyDBParameterGroup");
        let req = json!({"dBParameterGroupName": "app-pg", "parameters": [
            {"parameterName": "rds.force_ssl", "parameterValue": "0", "applyMethod": "immediate"}]});
        assert_eq!(e.identifiers(&req, &json!(null)), ["app-pg"]);
        assert_eq!(
            e.writes(&req, &json!(null)),
            [Written::Add {
                path: "parameter".into(),
                elems: vec![Value::object([
                    ("name", "rds.force_ssl".into()),
                    ("value", "0".into()),
                    ("apply_method", "immediate".into())
                ])]
            }]
        );
    }
}

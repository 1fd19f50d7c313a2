//! `aws_db_option_group`: DescribeOptionGroups (paginated), then ListTagsForResource per
//! group (fanned out under the RDS bound).
//!
//! Identity: the group name (tfstate `id` = `name`).
//! Filled: `id`, `name`, `arn`, `engine_name`, `major_engine_version`,
//! `option_group_description`, `tags`, and `option`, a set of `{option_name, port, version,
//! db_security_group_memberships, vpc_security_group_memberships, option_settings}` as the
//! provider reads it: `port` `0` and `version` `""` when absent, and `option_settings` only
//! the settings whose value differs from the option's default (RDS answers every setting
//! of an option; the provider keeps the others only when its configuration names them, and
//! `rds_parameter_defaults` treats those as unread). A setting RDS masks (`****`, a
//! password) is sensitive.
//!
//! RDS's own groups (`default:<engine>-<version>`) are AWS defaults (`aws_default = true`).
//! Absent: `name_prefix` (derived at creation), `skip_destroy` and `timeouts` (Terraform-only).

use aws_sdk_rds::types::{Option as DbOption, OptionGroup, Tag};
use futures::{FutureExt, StreamExt, TryStreamExt};

use super::aws_db_instance::string_set;
use super::{is_default_group, tags_of};
use crate::aws::errors::read_error;
use crate::aws::event::{Event, W};
use crate::aws::{Ctx, FetchResult, Identity, Read, ResourceType};
use crate::model::{ReadError, Resource, Value};

const TYPES: &[&str] = &["aws_db_option_group"];
const GONE: &[&str] = &["OptionGroupNotFoundFault"];

pub static TYPE: ResourceType = ResourceType {
    read: Some(Read { fetch: |ctx| fetch(ctx).boxed(), global: false }),
    identity: Identity::arn("rds", "og:", &["name"]),
    events: &[
        Event::create("rds", "CreateOptionGroup", &["optionGroupName"]).writing(&[
            W::Param("engine_name", "engineName"),
            W::Param("major_engine_version", "majorEngineVersion"),
            W::Param("option_group_description", "optionGroupDescription"),
        ]),
        Event::modify("rds", "ModifyOptionGroup", &["optionGroupName"]).writing(&[W::Touch("option")]),
        Event::delete("rds", "DeleteOptionGroup", &["optionGroupName"]),
        super::ADD_TAGS,
        super::REMOVE_TAGS,
    ],
    ..ResourceType::base("aws_db_option_group", "rds")
};

async fn fetch(ctx: &Ctx) -> FetchResult {
    let rds = ctx.client::<aws_sdk_rds::Client>();
    let mut groups = Vec::new();
    let mut pages = rds.describe_option_groups().into_paginator().send();
    while let Some(page) = {
        let _p = ctx.permit("rds").await;
        pages.next().await
    } {
        let page = page.map_err(|e| read_error("rds", &ctx.region, TYPES, e))?;
        groups.extend(page.option_groups_list().iter().cloned());
    }
    let found: Vec<Option<Resource>> = futures::stream::iter(groups)
        .map(|g| read_group(ctx, g))
        .buffer_unordered(ctx.limit("rds"))
        .try_collect()
        .await?;
    Ok(found.into_iter().flatten().collect())
}

async fn read_group(ctx: &Ctx, g: OptionGroup) -> Result<Option<Resource>, ReadError> {
    let tags = match g.option_group_arn() {
        Some(arn) => match tags_of(ctx, arn, TYPES, GONE).await? {
            Some(t) => Some(t),
            None => return Ok(None),
        },
        None => None,
    };
    Ok(Some(map(&g, tags.as_deref(), &ctx.region, &ctx.account)))
}

/// Pure mapping from an option group and its tags (`None`: not read).
pub fn map(g: &OptionGroup, tags: Option<&[Tag]>, region: &str, account: &str) -> Resource {
    let name = g.option_group_name().unwrap_or_default();
    let arn = g.option_group_arn().map(str::to_string);
    let mut r = Resource::live("aws_db_option_group", name, region, account, arn.clone())
        .with("id", name)
        .with("name", name)
        .with("arn", Value::opt_str(arn))
        .with("engine_name", Value::opt_str(g.engine_name()))
        .with("major_engine_version", Value::opt_str(g.major_engine_version()))
        .with("option_group_description", g.option_group_description().unwrap_or_default())
        .with("option", Value::List(g.options().iter().filter_map(option).collect()));
    if let Some(tags) = tags {
        r.set("tags", crate::aws::tags::rds(tags));
    }
    r.aws_default = is_default_group(name);
    r
}

fn option(o: &DbOption) -> Option<Value> {
    let settings = o
        .option_settings()
        .iter()
        .filter(|s| s.value() != s.default_value())
        .filter_map(|s| {
            let value = match s.value() {
                Some("****") => Value::Sensitive,
                v => v.unwrap_or_default().into(),
            };
            Some(Value::object([("name", s.name()?.into()), ("value", value)]))
        })
        .collect();
    Some(Value::object([
        ("option_name", o.option_name()?.into()),
        ("port", Value::int(o.port().unwrap_or(0).into())),
        ("version", o.option_version().unwrap_or_default().into()),
        (
            "db_security_group_memberships",
            string_set(o.db_security_group_memberships().iter().filter_map(|m| m.db_security_group_name())),
        ),
        (
            "vpc_security_group_memberships",
            string_set(o.vpc_security_group_memberships().iter().filter_map(|m| m.vpc_security_group_id())),
        ),
        ("option_settings", Value::List(settings)),
    ]))
}

#[cfg(test)]
mod tests {
    use super::*;
    use aws_sdk_rds::types::OptionSetting;

    #[test]
    fn maps_options_keeping_settings_off_their_default() {
        let g = OptionGroup::builder()
            .option_group_name("audit")
            .engine_name("mysql")
            .major_engine_version("8.0")
            .option_group_description("Audit")
            .option_group_arn("arn:aws:rds:us-east-1:123456789012:og:audit")
            .options(
                DbOption::builder()
                    .option_name("MARIADB_AUDIT_PLUGIN")
                    .option_settings(
                        OptionSetting::builder()
                            .name("SERVER_AUDIT_EVENTS")
                            .value("CONNECT,QUERY_DDL")
                            .default_value("CONNECT")
                            .build(),
                    )
                    .option_settings(
                        OptionSetting::builder().name("SERVER_AUDIT_LOGGING").value("ON").default_value("ON").build(),
                    )
                    .option_settings(OptionSetting::builder().name("SECRET").value("****").build())
                    .build(),
            )
            .build();
        let r = map(&g, Some(&[]), "us-east-1", "123456789012");
        assert_eq!((r.id.as_str(), r.attr_str("engine_name")), ("audit", Some("mysql")));
        let o = &r.attr("option").as_list().unwrap()[0];
        assert_eq!(o.get("port"), Some(&Value::int(0)));
        assert_eq!(o.get("version"), Some(&Value::from("")));
        assert_eq!(
            o.get("option_settings"),
            Some(&Value::List(vec![
                Value::object([("name", "SERVER_AUDIT_EVENTS".into()), ("value", "CONNECT,QUERY_DDL".into())]),
                Value::object([("name", "SECRET".into()), ("value", Value::Sensitive)]),
            ]))
        );
        assert!(!r.aws_default);
    }

    #[test]
    fn rds_own_groups_are_defaults() {
        let g = OptionGroup::builder().option_group_name("default:mysql-8-0").build();
        assert!(map(&g, None, "us-east-1", "1").aws_default);
    }

    #[test]
    fn modify_touches_the_options() {
        use crate::aws::event::{Written, of};
        use serde_json::json;
        let e = of("aws_db_option_group", "rds", "ModifyOptionGroup");
        let req =
            json!({"optionGroupName": "audit", "optionsToRemove": ["MARIADB_AUDIT_PLUGIN"], "applyImmediately": true});
        assert_eq!(e.identifiers(&req, &json!(null)), ["audit"]);
        assert_eq!(e.writes(&req, &json!(null)), [Written::Touch { path: "option".into() }]);
    }
}

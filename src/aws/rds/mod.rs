//! RDS: DB instances and clusters, their subnet and parameter groups.

mod aws_db_instance;
mod aws_db_option_group;
mod aws_db_parameter_group;
mod aws_db_subnet_group;
mod aws_rds_cluster;
mod aws_rds_cluster_instance;
mod aws_rds_cluster_parameter_group;

use aws_sdk_rds::types::{Parameter, Tag};

use super::errors::{read_error, service_code};
use super::event::{Event, W};
use super::view::*;
use super::{Ctx, Service};
use crate::model::{ReadError, Resource, Value, View};
use serde_json::Value as J;

crate::sdk_client!(aws_sdk_rds);

pub static SERVICE: Service = Service {
    name: "rds",
    concurrency: 4,
    types: &[
        &aws_db_instance::TYPE,
        &aws_db_subnet_group::TYPE,
        &aws_rds_cluster::TYPE,
        &aws_db_parameter_group::TYPE,
        &aws_rds_cluster_instance::TYPE,
        &aws_rds_cluster_parameter_group::TYPE,
        &aws_db_option_group::TYPE,
    ],
};

/// Tags on any RDS resource, named by its ARN.
pub(crate) const ADD_TAGS: Event = Event::modify("rds", "AddTagsToResource", &["resourceName"]).writing(&[W::Tags {
    items: "tags[]",
    key: "key",
    value: "value",
}]);
pub(crate) const REMOVE_TAGS: Event = Event::modify("rds", "RemoveTagsFromResource", &["resourceName"])
    .writing(&[W::Untags { items: "tagKeys[]", key: "" }]);

/// A parameter group's `parameter` set as the provider stores it: names and apply methods
/// lower-cased, `""` for a parameter without a value.
pub(crate) fn parameter_set(params: &[Parameter]) -> Value {
    Value::List(
        params
            .iter()
            .filter_map(|p| {
                Some(Value::object([
                    ("name", p.parameter_name()?.to_ascii_lowercase().into()),
                    ("value", p.parameter_value().unwrap_or_default().into()),
                    (
                        "apply_method",
                        p.apply_method().map(|m| m.as_str().to_ascii_lowercase()).unwrap_or_default().into(),
                    ),
                ]))
            })
            .collect(),
    )
}

/// Groups RDS creates itself (`default.postgres16`, `default:mysql-8-0`): their names are
/// reserved, nobody can modify them, and Terraform cannot create them.
pub(crate) fn is_default_group(name: &str) -> bool {
    name.starts_with("default.") || name.starts_with("default:")
}

/// The tags of the RDS resource named by `arn` (ListTagsForResource): `Ok(None)` when it was
/// deleted since it was listed (one of the `gone` error codes).
pub(crate) async fn tags_of(
    ctx: &Ctx,
    arn: &str,
    types: &[&str],
    gone: &[&str],
) -> Result<Option<Vec<Tag>>, ReadError> {
    let rds = ctx.client::<aws_sdk_rds::Client>();
    let _p = ctx.permit("rds").await;
    match rds.list_tags_for_resource().resource_name(arn).send().await {
        Ok(out) => Ok(Some(out.tag_list().to_vec())),
        Err(e) if service_code(&e).is_some_and(|c| gone.contains(&c)) => Ok(None),
        Err(e) => Err(read_error("rds", &ctx.region, types, e)),
    }
}

/// What instances and clusters share: the key kind and TLS enforcement through the
/// parameter group.
pub(crate) fn rds_common(o: &mut Obj, r: &Resource, group: Option<&Resource>, view: View, group_attr: &str) {
    let key = attr(r, "kms_key_id", view).string(None);
    let cmk = match &key {
        Ok(None) => Some(false),
        Ok(Some(k)) => Some(!k.contains("alias/aws/")),
        Err(()) => None,
    };
    o.opt("customer_managed_key", cmk);
    let engine = attr(r, "engine", view).string(None);
    let version = attr(r, "engine_version", view).string(None);
    let mut tls = Obj::default();
    setting_origin(&mut tls, r, group);
    let named = !matches!(attr(r, group_attr, view).string(None), Ok(None));
    tls.put("parameter_group_declared", group.is_some());
    // The parameter that forces TLS, by engine family.
    let param = match engine.as_ref().map(|e| e.as_deref().unwrap_or("")) {
        Ok(e) if e.contains("postgres") || e.starts_with("sqlserver") => Some("rds.force_ssl"),
        Ok(e) if e.contains("mysql") || e.contains("mariadb") => Some("require_secure_transport"),
        _ => None,
    };
    tls.put("parameter", param.map(J::from).unwrap_or(J::Null));
    let value = match (group, param) {
        (Some(g), Some(p)) => match attr(g, "parameter", view).elements() {
            Ok(ps) => {
                let hit = ps.iter().find(|x| x.get("name").and_then(Value::as_str) == Some(p));
                match hit.and_then(|x| x.get("value")) {
                    Some(Value::String(v)) => Ok(Some(v.clone())),
                    Some(Value::Number(n)) => Ok(Some(n.to_string())),
                    Some(Value::Bool(b)) => Ok(Some(if *b { "1" } else { "0" }.to_string())),
                    Some(_) => Err(()),
                    None => Ok(None),
                }
            }
            Err(()) => Err(()),
        },
        _ => Ok(None),
    };
    // Unset parameter: the engine default. RDS for PostgreSQL 15 and later defaults
    // `rds.force_ssl` to 1 (an omitted `engine_version` is the current major, >= 15);
    // MySQL, MariaDB, SQL Server and older PostgreSQL default to off.
    let postgres_default_on = |v: &Result<Option<String>, ()>| match v {
        Ok(None) => Some(true),
        Ok(Some(v)) => v.split('.').next().and_then(|m| m.parse::<u32>().ok()).map(|m| m >= 15),
        Err(()) => None,
    };
    let enforced = match (param, &value) {
        (None, _) => match &engine {
            Ok(_) => Some(false),
            Err(()) => None,
        },
        (Some(_), Err(())) => None,
        (Some(_), Ok(Some(v))) => Some(matches!(v.to_ascii_lowercase().as_str(), "1" | "on" | "true")),
        (Some(_), Ok(None)) if group.is_none() && named => {
            // A named group we cannot see (another stack): only its contents would tell.
            None
        }
        (Some("rds.force_ssl"), Ok(None))
            if engine.as_ref().is_ok_and(|e| e.as_deref().is_some_and(|e| e.contains("postgres"))) =>
        {
            postgres_default_on(&version)
        }
        (Some(_), Ok(None)) => Some(false),
    };
    tls.put("value", value.clone().ok().flatten().map(J::String).unwrap_or(J::Null));
    tls.opt("enforced", enforced);
    o.put("tls", tls.finish());
}

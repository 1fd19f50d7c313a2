//! `aws_elasticache_replication_group`: not read live yet; its view serves `plumb check` and state.

use crate::aws::view::*;
use crate::aws::{ResourceType, ViewDef};
use crate::model::{Resource, View};

pub static TYPE: ResourceType =
    ResourceType { view: Some(&VIEW), ..ResourceType::base("aws_elasticache_replication_group", "elasticache") };

pub static VIEW: ViewDef = ViewDef {
    kind: "elasticache_replication_group",
    build: |rs, v| each(rs, &["aws_elasticache_replication_group"], v, elasticache),
};

fn elasticache(r: &Resource, view: View) -> JoinedView {
    let a = |k: &str| attr(r, k, view);
    let mut o = head("elasticache_replication_group", r, view);
    if let Ok(Some(n)) = a("replication_group_id").string(None) {
        o.put("name", n);
    }
    let engine = put_str(&mut o, "engine", a("engine"), Some("redis"));
    // Valkey groups are encrypted at rest by default; Redis OSS ones are not.
    match (a("at_rest_encryption_enabled"), engine) {
        (F::Default, Ok(e)) => {
            o.put("at_rest_encryption_enabled", e.as_deref() == Some("valkey"));
        }
        (F::Default, Err(())) => {
            o.unknown("at_rest_encryption_enabled");
        }
        (f, _) => {
            o.bool("at_rest_encryption_enabled", f, false);
        }
    }
    let _ = put_str(&mut o, "kms_key_id", a("kms_key_id"), None);
    o.bool("transit_encryption_enabled", a("transit_encryption_enabled"), false);
    let _ = put_str(&mut o, "transit_encryption_mode", a("transit_encryption_mode"), None);
    let token = present(r, "auth_token", view);
    o.opt("auth_token_set", token);
    let groups = o.strings("user_group_ids", a("user_group_ids"));
    let auth = match (token, groups) {
        (Some(true), _) => Some(true),
        (_, Some(g)) if !g.is_empty() => Some(true),
        (Some(false), Some(_)) => Some(false),
        _ => None,
    };
    o.opt("auth_enabled", auth);
    joined("elasticache_replication_group", r, o)
}

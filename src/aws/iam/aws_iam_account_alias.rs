//! `aws_iam_account_alias`: ListAccountAliases (an account has at most one alias). Id: the
//! alias, as the provider's; `account_alias` the same.

use futures::FutureExt;

use crate::aws::errors::read_error;
use crate::aws::event::{Event, W};
use crate::aws::{Ctx, FetchResult, Identity, Read, ResourceType};
use crate::model::Resource;

const TYPES: &[&str] = &["aws_iam_account_alias"];

pub static TYPE: ResourceType = ResourceType {
    read: Some(Read { fetch: |ctx| fetch(ctx).boxed(), global: true }),
    identity: Identity { names: &["account_alias"], global_names: true, ..Identity::NONE },
    events: &[
        Event::create("iam", "CreateAccountAlias", &["accountAlias"])
            .writing(&[W::Param("account_alias", "accountAlias")]),
        Event::delete("iam", "DeleteAccountAlias", &["accountAlias"]),
    ],
    ..ResourceType::base("aws_iam_account_alias", "iam")
};

async fn fetch(ctx: &Ctx) -> FetchResult {
    let iam = ctx.client::<aws_sdk_iam::Client>();
    let listed = {
        let _p = ctx.permit("iam").await;
        iam.list_account_aliases().send().await
    }
    .map_err(|e| read_error("iam", &ctx.region, TYPES, e))?;
    Ok(listed.account_aliases().iter().map(|a| map(a, &ctx.region, &ctx.account)).collect())
}

/// Pure mapping: one alias.
pub fn map(alias: &str, region: &str, account: &str) -> Resource {
    Resource::live("aws_iam_account_alias", alias, region, account, None).with("id", alias).with("account_alias", alias)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_alias_is_its_id() {
        let r = map("clinic-prod", "us-east-1", "123456789012");
        assert_eq!(r.id, "clinic-prod");
        assert_eq!(r.attr_str("account_alias"), Some("clinic-prod"));
    }

    #[test]
    fn create_and_delete_name_the_alias() {
        let req = serde_json::json!({"accountAlias": "clinic-prod"});
        for name in ["CreateAccountAlias", "DeleteAccountAlias"] {
            let e = crate::aws::event::of("aws_iam_account_alias", "iam", name);
            assert_eq!(e.identifiers(&req, &serde_json::Value::Null), vec!["clinic-prod".to_string()], "{name}");
        }
    }
}

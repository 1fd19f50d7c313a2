//! `aws_iam_group`: GetAccountAuthorizationDetails (shared). Id: the name, as the provider's.

use aws_sdk_iam::types::GroupDetail;
use futures::FutureExt;

use super::{authorization, identity};
use crate::aws::event::{Event, W};
use crate::aws::{Ctx, FetchResult, Read, ResourceType};
use crate::model::{Resource, Value};

pub static TYPE: ResourceType = ResourceType {
    read: Some(Read { fetch: |ctx| fetch(ctx).boxed(), global: true }),
    identity: identity("group/", &["name", "unique_id"]),
    events: &[
        Event::create("iam", "CreateGroup", &["groupName"]).writing(&[W::Param("path", "path")]),
        Event::delete("iam", "DeleteGroup", &["groupName"]),
        Event::modify("iam", "UpdateGroup", &["groupName"]).writing(&[W::Param("path", "newPath")]),
    ],
    ..ResourceType::base("aws_iam_group", "iam")
};

async fn fetch(ctx: &Ctx) -> FetchResult {
    let details = authorization(ctx).await?;
    Ok(details.groups.iter().filter_map(|g| map(g, &ctx.region, &ctx.account)).collect())
}

/// Pure mapping from a group's authorization details to provider v5 attributes; None for an
/// entry without a name.
pub fn map(g: &GroupDetail, region: &str, account: &str) -> Option<Resource> {
    let name = g.group_name()?;
    Some(
        Resource::live("aws_iam_group", name, region, account, g.arn().map(str::to_string))
            .with("id", name)
            .with("name", name)
            .with("arn", Value::opt_str(g.arn()))
            .with("unique_id", Value::opt_str(g.group_id()))
            .with("path", g.path().unwrap_or("/")),
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn maps_a_group() {
        let g = GroupDetail::builder().group_name("clinic-auditors").path("/clinic/").group_id("AGPA").build();
        let r = map(&g, "us-east-1", "1").unwrap();
        assert_eq!((r.id.as_str(), r.attr_str("path")), ("clinic-auditors", Some("/clinic/")));
        assert!(map(&GroupDetail::builder().build(), "us-east-1", "1").is_none());
    }
}

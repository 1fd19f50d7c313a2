//! `aws_iam_user`: GetAccountAuthorizationDetails (shared). Id: the name, as the provider's.
//! `force_destroy` is configuration only, never read.

use aws_sdk_iam::types::UserDetail;
use futures::FutureExt;
use serde_json::Value as Json;

use super::{TAGS, UNTAGS, authorization, identity, tags};
use crate::aws::event::{Event, W, Written};
use crate::aws::{Ctx, FetchResult, Read, ResourceType};
use crate::model::{Resource, Value};

pub static TYPE: ResourceType = ResourceType {
    read: Some(Read { fetch: |ctx| fetch(ctx).boxed(), global: true }),
    identity: identity("user/", &["name", "unique_id"]),
    events: &[
        Event::create("iam", "CreateUser", &["userName"]).writing(&[
            W::Param("path", "path"),
            W::Param("permissions_boundary", "permissionsBoundary"),
            TAGS,
        ]),
        Event::delete("iam", "DeleteUser", &["userName"]),
        Event::modify("iam", "UpdateUser", &["userName"]).writing(&[W::Param("path", "newPath")]),
        Event::modify("iam", "PutUserPermissionsBoundary", &["userName"])
            .writing(&[W::Param("permissions_boundary", "permissionsBoundary")]),
        Event::modify("iam", "DeleteUserPermissionsBoundary", &["userName"]).writing(&[W::Custom(unset_boundary)]),
        Event::modify("iam", "TagUser", &["userName"]).writing(&[TAGS]),
        Event::modify("iam", "UntagUser", &["userName"]).writing(&[UNTAGS]),
    ],
    ..ResourceType::base("aws_iam_user", "iam")
};

fn unset_boundary(_req: &Json, _resp: &Json, out: &mut Vec<Written>) {
    out.push(Written::Unset { path: "permissions_boundary".into() });
}

async fn fetch(ctx: &Ctx) -> FetchResult {
    let details = authorization(ctx).await?;
    Ok(details.users.iter().filter_map(|u| map(u, &ctx.region, &ctx.account)).collect())
}

/// Pure mapping from a user's authorization details to provider v5 attributes; None for an
/// entry without a name.
pub fn map(u: &UserDetail, region: &str, account: &str) -> Option<Resource> {
    let name = u.user_name()?;
    Some(
        Resource::live("aws_iam_user", name, region, account, u.arn().map(str::to_string))
            .with("id", name)
            .with("name", name)
            .with("arn", Value::opt_str(u.arn()))
            .with("unique_id", Value::opt_str(u.user_id()))
            .with("path", u.path().unwrap_or("/"))
            .with(
                "permissions_boundary",
                Value::opt_str(u.permissions_boundary().and_then(|b| b.permissions_boundary_arn())),
            )
            .with("tags", tags(u.tags())),
    )
}

#[cfg(test)]
mod tests {
    use aws_sdk_iam::types::Tag;
    use serde_json::json;

    use super::*;
    use crate::aws::event::of;

    #[test]
    fn maps_a_user() {
        let u = UserDetail::builder()
            .user_name("dana.reyes")
            .user_id("AIDAEXAMPLE")
            .path("/clinic/")
            .arn("arn:aws:iam::123456789012:user/clinic/dana.reyes")
            .tags(Tag::builder().key("Team").value("audit").build().unwrap())
            .build();
        let r = map(&u, "us-east-1", "123456789012").unwrap();
        assert_eq!(r.id, "dana.reyes");
        assert_eq!(r.attr_str("path"), Some("/clinic/"));
        assert_eq!(r.attr("permissions_boundary"), &Value::Null);
        assert_eq!(r.attr("tags"), &Value::string_map([("Team", "audit")]));
        assert_eq!(r.attr("force_destroy"), &Value::Unknown);
    }

    #[test]
    fn tag_user_writes_tags() {
        let e = of("aws_iam_user", "iam", "TagUser");
        let req = json!({"userName": "dana.reyes", "tags": [{"key": "Owner", "value": "mallory"}]});
        assert_eq!(e.identifiers(&req, &Json::Null), vec!["dana.reyes"]);
        assert_eq!(
            e.writes(&req, &Json::Null),
            vec![Written::Set { path: "tags.Owner".into(), value: "mallory".into() }]
        );
    }
}

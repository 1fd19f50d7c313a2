//! `aws_iam_group_membership`: the users of each group, from the users' group lists in
//! GetAccountAuthorizationDetails (shared).
//!
//! The provider's resource is Terraform's exclusive list of a group's members, identified by
//! a `name` that exists only in Terraform (left Unknown here). One group has at most one such
//! resource, so live Plumb emits one membership per group identified by the group's name, and
//! the `iam_ids` normaliser rewrites state ids to the `group` they manage. A part of its
//! group: a group whose members Terraform does not manage is not reported for them (the
//! provider cannot see them either); a user added by hand to a managed membership is drift on
//! its `users`.

use aws_sdk_iam::types::{GroupDetail, UserDetail};
use futures::FutureExt;
use serde_json::Value as Json;

use super::authorization;
use crate::aws::event::{Event, W, Written, first};
use crate::aws::{Ctx, FetchResult, Identity, Read, ResourceType};
use crate::model::{Resource, Value};

pub static TYPE: ResourceType = ResourceType {
    read: Some(Read { fetch: |ctx| fetch(ctx).boxed(), global: true }),
    identity: Identity { global_names: true, names: &["group"], ..Identity::NONE },
    parent: Some("aws_iam_group"),
    events: &[
        Event::modify("iam", "AddUserToGroup", &["groupName"])
            .writing(&[W::Custom(|req, _, out| member(req, out, true))]),
        Event::modify("iam", "RemoveUserFromGroup", &["groupName"])
            .writing(&[W::Custom(|req, _, out| member(req, out, false))]),
        Event::delete("iam", "DeleteGroup", &["groupName"]),
    ],
    ..ResourceType::base("aws_iam_group_membership", "iam")
};

fn member(req: &Json, out: &mut Vec<Written>, add: bool) {
    let Some(user) = first(req, "userName") else { return };
    let elems = vec![Value::from_json(user)];
    let path = "users".to_string();
    out.push(if add { Written::Add { path, elems } } else { Written::Remove { path, elems } });
}

async fn fetch(ctx: &Ctx) -> FetchResult {
    let details = authorization(ctx).await?;
    Ok(map(&details.groups, &details.users, &ctx.region, &ctx.account))
}

/// One membership per group, with every user whose group list names it.
pub fn map(groups: &[GroupDetail], users: &[UserDetail], region: &str, account: &str) -> Vec<Resource> {
    groups
        .iter()
        .filter_map(|g| {
            let group = g.group_name()?;
            let mut members: Vec<&str> = users
                .iter()
                .filter(|u| u.group_list().iter().any(|n| n == group))
                .filter_map(|u| u.user_name())
                .collect();
            members.sort_unstable();
            Some(
                Resource::live("aws_iam_group_membership", group, region, account, None)
                    .with("id", group)
                    .with("group", group)
                    .with("users", Value::string_list(members)),
            )
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    use super::*;
    use crate::aws::event::of;

    #[test]
    fn members_come_from_the_users_group_lists() {
        let groups =
            [GroupDetail::builder().group_name("auditors").build(), GroupDetail::builder().group_name("empty").build()];
        let users = [
            UserDetail::builder().user_name("b").group_list("auditors").build(),
            UserDetail::builder().user_name("a").group_list("auditors").group_list("x").build(),
            UserDetail::builder().user_name("c").build(),
        ];
        let rs = map(&groups, &users, "us-east-1", "1");
        assert_eq!(rs[0].id, "auditors");
        assert_eq!(rs[0].attr("users"), &Value::string_list(["a", "b"]));
        assert_eq!(rs[0].attr("name"), &Value::Unknown);
        assert_eq!(rs[1].attr("users"), &Value::List(vec![]));
    }

    #[test]
    fn adding_a_user_adds_to_users() {
        let e = of("aws_iam_group_membership", "iam", "AddUserToGroup");
        let req = json!({"groupName": "auditors", "userName": "mallory"});
        assert_eq!(e.identifiers(&req, &Json::Null), vec!["auditors"]);
        assert_eq!(
            e.writes(&req, &Json::Null),
            vec![Written::Add { path: "users".into(), elems: vec!["mallory".into()] }]
        );
    }
}

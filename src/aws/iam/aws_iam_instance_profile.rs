//! `aws_iam_instance_profile`: ListInstanceProfiles (paginated), then GetInstanceProfile per
//! profile, as the provider reads it (the listing does not return tags). Id: the name, as
//! the provider's.
//!
//! `role`: the profile's role (a profile holds at most one), null when it has none, as the
//! provider's read sets it. A profile deleted between the two reads is skipped.
//!
//! The profiles EKS creates for managed node groups (`eks-<node group uuid>`) are AWS's own:
//! `aws_default`, never unmanaged.

use aws_sdk_iam::types::InstanceProfile;
use futures::{FutureExt, StreamExt, TryStreamExt};

use super::{TAGS, UNTAGS, identity, tags};
use crate::aws::errors::{read_error, service_code};
use crate::aws::event::{Event, W, Written};
use crate::aws::{Ctx, FetchResult, Link, Read, ResourceType};
use crate::model::{ReadError, Resource, Value};

const TYPES: &[&str] = &["aws_iam_instance_profile"];

pub static TYPE: ResourceType = ResourceType {
    read: Some(Read { fetch: |ctx| fetch(ctx).boxed(), global: true }),
    identity: identity("instance-profile/", &["name"]),
    events: &[
        Event::create("iam", "CreateInstanceProfile", &["instanceProfileName"])
            .writing(&[W::Param("path", "path"), TAGS]),
        Event::delete("iam", "DeleteInstanceProfile", &["instanceProfileName"]),
        Event::modify("iam", "AddRoleToInstanceProfile", &["instanceProfileName"])
            .writing(&[W::Param("role", "roleName")]),
        Event::modify("iam", "RemoveRoleFromInstanceProfile", &["instanceProfileName"])
            .writing(&[W::Custom(|_, _, out| out.push(Written::Unset { path: "role".into() }))]),
        Event::modify("iam", "TagInstanceProfile", &["instanceProfileName"]).writing(&[TAGS]),
        Event::modify("iam", "UntagInstanceProfile", &["instanceProfileName"]).writing(&[UNTAGS]),
    ],
    links: &[Link { role: "role", rtype: "aws_iam_role", from: "role", to: "name" }],
    ..ResourceType::base("aws_iam_instance_profile", "iam")
};

async fn fetch(ctx: &Ctx) -> FetchResult {
    let iam = ctx.client::<aws_sdk_iam::Client>();
    let mut profiles = Vec::new();
    let mut pages = iam.list_instance_profiles().into_paginator().send();
    while let Some(page) = {
        let _p = ctx.permit("iam").await;
        pages.next().await
    } {
        let page = page.map_err(|e| read_error("iam", &ctx.region, TYPES, e))?;
        profiles.extend(page.instance_profiles().iter().cloned());
    }
    let found: Vec<Option<Resource>> = futures::stream::iter(profiles)
        .map(|p| async move {
            let iam = ctx.client::<aws_sdk_iam::Client>();
            let _p = ctx.permit("iam").await;
            match iam.get_instance_profile().instance_profile_name(p.instance_profile_name()).send().await {
                Ok(out) => Ok(out.instance_profile().map(|p| map(p, &ctx.region, &ctx.account))),
                Err(e) if service_code(&e) == Some("NoSuchEntity") => Ok(None),
                Err(e) => Err::<_, ReadError>(read_error("iam", &ctx.region, TYPES, e)),
            }
        })
        .buffer_unordered(ctx.limit("iam"))
        .try_collect()
        .await?;
    Ok(found.into_iter().flatten().collect())
}

/// Pure mapping from GetInstanceProfile's profile to provider v5 attributes.
pub fn map(p: &InstanceProfile, region: &str, account: &str) -> Resource {
    let name = p.instance_profile_name();
    let mut r = Resource::live("aws_iam_instance_profile", name, region, account, Some(p.arn().to_string()))
        .with("id", name)
        .with("name", name)
        .with("arn", p.arn())
        .with("path", p.path())
        .with("unique_id", p.instance_profile_id())
        .with("role", Value::opt_str(p.roles().first().map(|r| r.role_name())))
        .with("tags", tags(p.tags()));
    r.aws_default = eks_node_group_profile(name);
    r
}

/// `eks-` and a UUID: the profile EKS makes for a managed node group.
fn eks_node_group_profile(name: &str) -> bool {
    let Some(uuid) = name.strip_prefix("eks-") else { return false };
    let groups: Vec<&str> = uuid.split('-').collect();
    groups.iter().map(|g| g.len()).eq([8, 4, 4, 4, 12])
        && groups.iter().all(|g| g.chars().all(|c| c.is_ascii_hexdigit()))
}

#[cfg(test)]
mod tests {
    use aws_sdk_iam::types::Role;
    use aws_smithy_types::DateTime;
    use serde_json::{Value as Json, json};

    use super::*;
    use crate::aws::event::of;

    fn profile(name: &str, role: Option<&str>) -> InstanceProfile {
        let mut b = InstanceProfile::builder()
            .instance_profile_name(name)
            .instance_profile_id("AIPAEXAMPLE")
            .arn(format!("arn:aws:iam::123456789012:instance-profile/{name}"))
            .path("/")
            .create_date(DateTime::from_secs(0))
            .set_roles(Some(vec![]));
        if let Some(role) = role {
            b = b.roles(
                Role::builder()
                    .role_name(role)
                    .path("/")
                    .role_id("AROA")
                    .arn("arn:aws:iam::123456789012:role/x")
                    .create_date(DateTime::from_secs(0))
                    .build()
                    .unwrap(),
            );
        }
        b.build().unwrap()
    }

    #[test]
    fn maps_a_profile_with_its_role_and_tags() {
        let mut p = profile("clinic-eks-node", Some("clinic-eks-node"));
        p.tags = Some(vec![aws_sdk_iam::types::Tag::builder().key("Team").value("platform").build().unwrap()]);
        let r = map(&p, "us-east-1", "123456789012");
        assert_eq!(r.id, "clinic-eks-node");
        assert_eq!(r.attr_str("role"), Some("clinic-eks-node"));
        assert_eq!(r.attr("tags"), &Value::string_map([("Team", "platform")]));
        assert!(!r.aws_default);
        let empty = map(&profile("bare", None), "us-east-1", "123456789012");
        assert_eq!(empty.attr("role"), &Value::Null);
    }

    #[test]
    fn eks_node_group_profiles_are_aws_own() {
        assert!(map(&profile("eks-86c2b5a8-6ba3-4cbe-0b2a-8d0e8a5b1f27", None), "r", "1").aws_default);
        assert!(!eks_node_group_profile("eks-nodes"));
        assert!(!eks_node_group_profile("clinic-eks-node"));
    }

    #[test]
    fn role_changes_name_the_profile() {
        let add = of("aws_iam_instance_profile", "iam", "AddRoleToInstanceProfile");
        let req = json!({"instanceProfileName": "clinic-eks-node", "roleName": "other"});
        assert_eq!(add.identifiers(&req, &Json::Null), vec!["clinic-eks-node"]);
        assert_eq!(add.writes(&req, &Json::Null), vec![Written::Set { path: "role".into(), value: "other".into() }]);
        let remove = of("aws_iam_instance_profile", "iam", "RemoveRoleFromInstanceProfile");
        assert_eq!(remove.writes(&req, &Json::Null), vec![Written::Unset { path: "role".into() }]);
    }
}

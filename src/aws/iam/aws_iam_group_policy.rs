//! `aws_iam_group_policy`: a group's inline policies, from GetAccountAuthorizationDetails
//! (shared). Id `group:name`, as the provider's; `policy` URL-decoded.
//!
//! Not a part of the group (`aws_iam_group` has no attribute listing them): one put by hand
//! is an unmanaged `aws_iam_group_policy`. Judged in the `iam_policy` view.

use futures::FutureExt;

use super::{authorization, inline_policies, part_identity, write_policy};
use crate::aws::event::{Event, W};
use crate::aws::{Ctx, FetchResult, Read, ResourceType};

pub static TYPE: ResourceType = ResourceType {
    read: Some(Read { fetch: |ctx| fetch(ctx).boxed(), global: true }),
    identity: part_identity("group"),
    events: &[
        Event::create("iam", "PutGroupPolicy", &["{groupName}:{policyName}"]).writing(&[W::Custom(write_policy)]),
        Event::delete("iam", "DeleteGroupPolicy", &["{groupName}:{policyName}"]),
    ],
    view: Some(&super::aws_iam_policy::VIEW),
    ..ResourceType::base("aws_iam_group_policy", "iam")
};

async fn fetch(ctx: &Ctx) -> FetchResult {
    let details = authorization(ctx).await?;
    Ok(details
        .groups
        .iter()
        .flat_map(|d| {
            let group = d.group_name().unwrap_or_default();
            inline_policies(
                "aws_iam_group_policy",
                "group",
                group,
                d.group_policy_list(),
                false,
                &ctx.region,
                &ctx.account,
            )
        })
        .collect())
}

#[cfg(test)]
mod tests {
    use serde_json::{Value as Json, json};

    use crate::aws::event::of;

    #[test]
    fn delete_names_group_and_policy() {
        let del = of("aws_iam_group_policy", "iam", "DeleteGroupPolicy");
        let req = json!({"groupName": "auditors", "policyName": "read"});
        assert_eq!(del.identifiers(&req, &Json::Null), vec!["auditors:read"]);
    }
}

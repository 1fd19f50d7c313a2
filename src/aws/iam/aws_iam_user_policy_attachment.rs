//! `aws_iam_user_policy_attachment`: the managed policies attached to each user, from
//! GetAccountAuthorizationDetails (shared). Identified by the provider's import id
//! `user/policy_arn`; state's random ids are rewritten to it by the `iam_ids` normaliser.
//!
//! Not a part of the user (`aws_iam_user` has no attribute listing attached policies, so
//! Terraform's refresh cannot show one): a policy attached directly to a user by hand is an
//! unmanaged attachment, and HS-IAM-002 reports it.

use futures::FutureExt;

use super::{attachments, authorization, part_identity};
use crate::aws::event::{Event, W};
use crate::aws::{Ctx, FetchResult, Read, ResourceType};

pub static TYPE: ResourceType = ResourceType {
    read: Some(Read { fetch: |ctx| fetch(ctx).boxed(), global: true }),
    identity: part_identity("user"),
    events: &[
        Event::create("iam", "AttachUserPolicy", &["{userName}/{policyArn}"])
            .writing(&[W::Param("policy_arn", "policyArn")]),
        Event::delete("iam", "DetachUserPolicy", &["{userName}/{policyArn}"]),
    ],
    view: Some(&super::aws_iam_policy_attachment::VIEW),
    ..ResourceType::base("aws_iam_user_policy_attachment", "iam")
};

async fn fetch(ctx: &Ctx) -> FetchResult {
    let details = authorization(ctx).await?;
    Ok(details
        .users
        .iter()
        .flat_map(|d| {
            let user = d.user_name().unwrap_or_default();
            let rtype = "aws_iam_user_policy_attachment";
            attachments(rtype, "user", user, d.attached_managed_policies(), false, &ctx.region, &ctx.account)
        })
        .collect())
}

#[cfg(test)]
mod tests {
    use serde_json::{Value as Json, json};

    use crate::aws::event::of;

    #[test]
    fn attach_names_the_attachment() {
        let e = of("aws_iam_user_policy_attachment", "iam", "AttachUserPolicy");
        let req = json!({"userName": "dana", "policyArn": "arn:aws:iam::aws:policy/ReadOnlyAccess"});
        assert_eq!(e.identifiers(&req, &Json::Null), vec!["dana/arn:aws:iam::aws:policy/ReadOnlyAccess"]);
    }
}

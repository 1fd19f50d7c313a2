//! `aws_iam_group_policy_attachment`: the managed policies attached to each group, from
//! GetAccountAuthorizationDetails (shared). Identified by the provider's import id
//! `group/policy_arn`; state's random ids are rewritten to it by the `iam_ids` normaliser.
//!
//! Not a part of the group (`aws_iam_group` has no attribute listing attached policies): one
//! attached by hand is an unmanaged attachment.

use futures::FutureExt;

use super::{attachments, authorization, part_identity};
use crate::aws::event::{Event, W};
use crate::aws::{Ctx, FetchResult, Read, ResourceType};

pub static TYPE: ResourceType = ResourceType {
    read: Some(Read { fetch: |ctx| fetch(ctx).boxed(), global: true }),
    identity: part_identity("group"),
    events: &[
        Event::create("iam", "AttachGroupPolicy", &["{groupName}/{policyArn}"])
            .writing(&[W::Param("policy_arn", "policyArn")]),
        Event::delete("iam", "DetachGroupPolicy", &["{groupName}/{policyArn}"]),
    ],
    view: Some(&super::aws_iam_policy_attachment::VIEW),
    ..ResourceType::base("aws_iam_group_policy_attachment", "iam")
};

async fn fetch(ctx: &Ctx) -> FetchResult {
    let details = authorization(ctx).await?;
    Ok(details
        .groups
        .iter()
        .flat_map(|d| {
            let group = d.group_name().unwrap_or_default();
            let rtype = "aws_iam_group_policy_attachment";
            attachments(rtype, "group", group, d.attached_managed_policies(), false, &ctx.region, &ctx.account)
        })
        .collect())
}

#[cfg(test)]
mod tests {
    use serde_json::{Value as Json, json};

    use crate::aws::event::of;

    #[test]
    fn detach_names_the_attachment() {
        let e = of("aws_iam_group_policy_attachment", "iam", "DetachGroupPolicy");
        let req = json!({"groupName": "auditors", "policyArn": "arn:aws:iam::aws:policy/SecurityAudit"});
        assert_eq!(e.identifiers(&req, &Json::Null), vec!["auditors/arn:aws:iam::aws:policy/SecurityAudit"]);
    }
}

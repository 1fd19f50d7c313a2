//! `aws_iam_user_policy`: a user's inline policies, from GetAccountAuthorizationDetails
//! (shared). Id `user:name`, as the provider's; `policy` URL-decoded.
//!
//! Not a part of the user (`aws_iam_user` has no attribute listing them): one put by hand is
//! an unmanaged `aws_iam_user_policy`, which is also what HS-IAM-002 reports. Judged in the
//! `iam_policy` view.

use futures::FutureExt;

use super::{authorization, inline_policies, part_identity, write_policy};
use crate::aws::event::{Event, W};
use crate::aws::{Ctx, FetchResult, Read, ResourceType};

pub static TYPE: ResourceType = ResourceType {
    read: Some(Read { fetch: |ctx| fetch(ctx).boxed(), global: true }),
    identity: part_identity("user"),
    events: &[
        Event::create("iam", "PutUserPolicy", &["{userName}:{policyName}"]).writing(&[W::Custom(write_policy)]),
        Event::delete("iam", "DeleteUserPolicy", &["{userName}:{policyName}"]),
    ],
    view: Some(&super::aws_iam_policy::VIEW),
    ..ResourceType::base("aws_iam_user_policy", "iam")
};

async fn fetch(ctx: &Ctx) -> FetchResult {
    let details = authorization(ctx).await?;
    Ok(details
        .users
        .iter()
        .flat_map(|d| {
            let user = d.user_name().unwrap_or_default();
            inline_policies("aws_iam_user_policy", "user", user, d.user_policy_list(), false, &ctx.region, &ctx.account)
        })
        .collect())
}

#[cfg(test)]
mod tests {
    use serde_json::{Value as Json, json};

    use crate::aws::event::{Written, of};

    #[test]
    fn put_names_user_and_policy() {
        let put = of("aws_iam_user_policy", "iam", "PutUserPolicy");
        let req = json!({"userName": "dana", "policyName": "p", "policyDocument": "%7B%22Statement%22%3A%5B%5D%7D"});
        assert_eq!(put.identifiers(&req, &Json::Null), vec!["dana:p"]);
        assert_eq!(
            put.writes(&req, &Json::Null),
            vec![Written::Set { path: "policy".into(), value: r#"{"Statement":[]}"#.into() }]
        );
    }
}

//! `aws_s3_account_public_access_block`: S3 Control's GetPublicAccessBlock for the scanned
//! account, once per scan (an account-wide setting); `NoSuchPublicAccessBlockConfiguration`
//! means the account has none (a successful read of nothing).
//!
//! Identity: the account id (the provider's import id; the request names the account too).
//! Filled: `id`, `account_id` and the four flags (a flag S3 does not answer is `false`, as
//! the provider stores it).
//!
//! CloudTrail logs S3 Control's PutPublicAccessBlock as `PutAccountPublicAccessBlock`
//! (and the delete likewise) under `s3.amazonaws.com`. The account is read from the request's
//! `x-amz-account-id` / `accountId` (inferred from the API's request shape: no captured record).

use aws_sdk_s3control::types::PublicAccessBlockConfiguration;
use futures::FutureExt;

use crate::aws::errors::{read_error, service_code};
use crate::aws::event::{Event, W};
use crate::aws::view::*;
use crate::aws::{Ctx, FetchResult, Identity, Read, ResourceType, ViewDef};
use crate::model::{Resource, Value, View};

const TYPES: &[&str] = &["aws_s3_account_public_access_block"];

/// The request parameters that name the account.
const ACCOUNT: &[&str] = &["x-amz-account-id", "accountId", "AccountId"];

pub static TYPE: ResourceType = ResourceType {
    read: Some(Read { fetch: |ctx| fetch(ctx).boxed(), global: true }),
    identity: Identity { names: &["account_id"], global_names: true, ..Identity::NONE },
    events: &[
        Event::modify("s3", "PutAccountPublicAccessBlock", ACCOUNT).writing(&[
            W::Param("block_public_acls", "PublicAccessBlockConfiguration.BlockPublicAcls"),
            W::Param("block_public_policy", "PublicAccessBlockConfiguration.BlockPublicPolicy"),
            W::Param("ignore_public_acls", "PublicAccessBlockConfiguration.IgnorePublicAcls"),
            W::Param("restrict_public_buckets", "PublicAccessBlockConfiguration.RestrictPublicBuckets"),
        ]),
        Event::delete("s3", "DeleteAccountPublicAccessBlock", ACCOUNT),
    ],
    view: Some(&VIEW),
    ..ResourceType::base("aws_s3_account_public_access_block", "s3")
};

pub static VIEW: ViewDef = ViewDef {
    kind: "s3_account_public_access_block",
    build: |rs, v| each(rs, &["aws_s3_account_public_access_block"], v, s3_account_pab),
};

async fn fetch(ctx: &Ctx) -> FetchResult {
    let s3control = ctx.client::<aws_sdk_s3control::Client>();
    let answer = {
        let _p = ctx.permit("s3").await;
        s3control.get_public_access_block().account_id(&ctx.account).send().await
    };
    match answer {
        Ok(o) => {
            Ok(o.public_access_block_configuration().map(|c| map(&ctx.account, c, &ctx.region)).into_iter().collect())
        }
        Err(e) if service_code(&e) == Some("NoSuchPublicAccessBlockConfiguration") => Ok(Vec::new()),
        Err(e) => Err(read_error("s3", &ctx.region, TYPES, e)),
    }
}

/// Pure mapping from the account's public access block.
pub fn map(account: &str, c: &PublicAccessBlockConfiguration, region: &str) -> Resource {
    let mut r = Resource::live("aws_s3_account_public_access_block", account, region, account, None)
        .with("id", account)
        .with("account_id", account);
    for (k, v) in [
        ("block_public_acls", c.block_public_acls()),
        ("block_public_policy", c.block_public_policy()),
        ("ignore_public_acls", c.ignore_public_acls()),
        ("restrict_public_buckets", c.restrict_public_buckets()),
    ] {
        r.set(k, Value::Bool(v.unwrap_or(false)));
    }
    r
}

fn s3_account_pab(r: &Resource, view: View) -> JoinedView {
    let mut o = head("s3_account_public_access_block", r, view);
    let _ = o.string("account_id", attr(r, "account_id", view), None);
    let mut all = Some(true);
    for k in ["block_public_acls", "block_public_policy", "ignore_public_acls", "restrict_public_buckets"] {
        all = match (all, o.bool(k, attr(r, k, view), false)) {
            (Some(false), _) | (_, Some(false)) => Some(false),
            (Some(true), Some(true)) => Some(true),
            _ => None,
        };
    }
    o.opt("all", all);
    joined("s3_account_public_access_block", r, o)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn maps_flags_named_by_the_account() {
        let c = PublicAccessBlockConfiguration::builder().block_public_acls(true).ignore_public_acls(true).build();
        let r = map("123456789012", &c, "us-east-1");
        assert_eq!((r.id.as_str(), r.attr_str("account_id")), ("123456789012", Some("123456789012")));
        assert_eq!(r.attr("block_public_acls"), &Value::Bool(true));
        assert_eq!(r.attr("block_public_policy"), &Value::Bool(false));
        assert_eq!(r.attr("restrict_public_buckets"), &Value::Bool(false));
        // Judged live: the view says which flags are off.
        let v = s3_account_pab(&r, View::Live).value;
        assert_eq!(v["all"], false);
    }

    #[test]
    fn put_account_block_names_the_account() {
        use crate::aws::event::{Written, of};
        use serde_json::json;
        let e = of("aws_s3_account_public_access_block", "s3", "PutAccountPublicAccessBlock");
        let req = json!({"x-amz-account-id": "123456789012",
            "PublicAccessBlockConfiguration": {"BlockPublicAcls": false, "RestrictPublicBuckets": true}});
        assert_eq!(e.identifiers(&req, &json!(null)), ["123456789012"]);
        let w = e.writes(&req, &json!(null));
        assert!(w.contains(&Written::Set { path: "block_public_acls".into(), value: Value::Bool(false) }));
    }
}

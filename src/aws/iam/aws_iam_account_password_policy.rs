//! `aws_iam_account_password_policy`: GetAccountPasswordPolicy. Id
//! `iam-account-password-policy`, as the provider's.
//!
//! An account without a policy (`NoSuchEntity`) is a successful read of AWS's default
//! policy (8 characters, no class required, passwords never expire, none remembered), as
//! the view expects: it is emitted as AWS's own (`aws_default`) under another id,
//! `aws-default-password-policy`, so that a managed policy deleted by hand is `missing`
//! (the provider's refresh drops it from state) while HS-IAM-005 still judges what the
//! account enforces.
//!
//! The calls carry no resource name: the events name the policy by its fixed id
//! (`=iam-account-password-policy`).

use aws_sdk_iam::types::PasswordPolicy;
use futures::FutureExt;

use crate::aws::errors::{read_error, service_code};
use crate::aws::event::{Event, W};
use crate::aws::view::*;
use crate::aws::{Ctx, FetchResult, Identity, Read, ResourceType, ViewDef};
use crate::model::{Resource, Value, View};

const TYPES: &[&str] = &["aws_iam_account_password_policy"];

/// The provider's id of the (one) account password policy.
pub const ID: &str = "iam-account-password-policy";
/// The id of AWS's default policy, when the account sets none.
pub const DEFAULT_ID: &str = "aws-default-password-policy";

pub static TYPE: ResourceType = ResourceType {
    read: Some(Read { fetch: |ctx| fetch(ctx).boxed(), global: true }),
    identity: Identity { global_names: true, ..Identity::NONE },
    events: &[
        Event::modify("iam", "UpdateAccountPasswordPolicy", &["=iam-account-password-policy"]).writing(&[
            W::Param("minimum_password_length", "minimumPasswordLength"),
            W::Param("require_symbols", "requireSymbols"),
            W::Param("require_numbers", "requireNumbers"),
            W::Param("require_uppercase_characters", "requireUppercaseCharacters"),
            W::Param("require_lowercase_characters", "requireLowercaseCharacters"),
            W::Param("allow_users_to_change_password", "allowUsersToChangePassword"),
            W::Param("max_password_age", "maxPasswordAge"),
            W::Param("password_reuse_prevention", "passwordReusePrevention"),
            W::Param("hard_expiry", "hardExpiry"),
        ]),
        Event::delete("iam", "DeleteAccountPasswordPolicy", &["=iam-account-password-policy"]),
    ],
    view: Some(&VIEW),
    ..ResourceType::base("aws_iam_account_password_policy", "iam")
};

async fn fetch(ctx: &Ctx) -> FetchResult {
    let iam = ctx.client::<aws_sdk_iam::Client>();
    let _p = ctx.permit("iam").await;
    match iam.get_account_password_policy().send().await {
        Ok(out) => Ok(vec![map(out.password_policy(), &ctx.region, &ctx.account)]),
        Err(e) if service_code(&e) == Some("NoSuchEntity") => Ok(vec![map(None, &ctx.region, &ctx.account)]),
        Err(e) => Err(read_error("iam", &ctx.region, TYPES, e)),
    }
}

/// Pure mapping from the account's policy (None: no policy set, AWS's default applies) to
/// provider v5 attributes.
pub fn map(p: Option<&PasswordPolicy>, region: &str, account: &str) -> Resource {
    let Some(p) = p else {
        let mut r = Resource::live("aws_iam_account_password_policy", DEFAULT_ID, region, account, None)
            .with("id", DEFAULT_ID)
            .with("minimum_password_length", 8)
            .with("require_symbols", false)
            .with("require_numbers", false)
            .with("require_uppercase_characters", false)
            .with("require_lowercase_characters", false)
            .with("expire_passwords", false)
            .with("hard_expiry", false)
            .with("max_password_age", 0)
            .with("password_reuse_prevention", 0);
        r.aws_default = true;
        return r;
    };
    let mut r = Resource::live("aws_iam_account_password_policy", ID, region, account, None)
        .with("id", ID)
        .with("require_symbols", p.require_symbols())
        .with("require_numbers", p.require_numbers())
        .with("require_uppercase_characters", p.require_uppercase_characters())
        .with("require_lowercase_characters", p.require_lowercase_characters())
        .with("allow_users_to_change_password", p.allow_users_to_change_password())
        .with("expire_passwords", p.expire_passwords())
        .with("hard_expiry", p.hard_expiry().unwrap_or(false))
        .with("max_password_age", p.max_password_age().unwrap_or(0))
        .with("password_reuse_prevention", p.password_reuse_prevention().unwrap_or(0));
    r.set("minimum_password_length", Value::opt_int(p.minimum_password_length()));
    r
}

pub static VIEW: ViewDef = ViewDef {
    kind: "iam_password_policy",
    build: |rs, v| each(rs, &["aws_iam_account_password_policy"], v, password_policy),
};

/// The AWS Config `iam-password-policy` defaults (CIS): 14 characters, 24 remembered,
/// every character class, 90 days.
fn password_policy(r: &Resource, view: View) -> JoinedView {
    let a = |k: &str| attr(r, k, view);
    let mut o = head("iam_password_policy", r, view);
    let mut weak: Vec<String> = Vec::new();
    let mut unknown = false;
    let len = o.int("minimum_password_length", a("minimum_password_length"), Some(6));
    match len {
        Some(l) if l < 14 => weak.push(format!("minimum length {l} (< 14)")),
        None => unknown = true,
        _ => {}
    }
    let reuse = o.int("password_reuse_prevention", a("password_reuse_prevention"), Some(0));
    match reuse {
        Some(n) if n < 24 => weak.push(format!("remembers {n} passwords (< 24)")),
        None => unknown = true,
        _ => {}
    }
    for k in ["require_symbols", "require_numbers", "require_uppercase_characters", "require_lowercase_characters"] {
        match o.bool(k, a(k), false) {
            Some(false) => weak.push(format!("{k} is false")),
            None => unknown = true,
            _ => {}
        }
    }
    // 0 or omitted: passwords never expire.
    match o.int("max_password_age", a("max_password_age"), Some(0)) {
        Some(0) => weak.push("passwords never expire".into()),
        Some(d) if d > 90 => weak.push(format!("passwords expire after {d} days (> 90)")),
        None => unknown = true,
        _ => {}
    }
    o.put("weaknesses", weak.clone());
    o.opt("strong", if weak.is_empty() && unknown { None } else { Some(weak.is_empty()) });
    joined("iam_password_policy", r, o)
}

#[cfg(test)]
mod tests {
    use serde_json::{Value as Json, json};

    use super::*;
    use crate::aws::event::{Written, of};

    #[test]
    fn maps_the_policy_and_the_aws_default() {
        let p = PasswordPolicy::builder()
            .minimum_password_length(14)
            .require_symbols(true)
            .require_numbers(true)
            .require_uppercase_characters(true)
            .require_lowercase_characters(true)
            .password_reuse_prevention(24)
            .max_password_age(90)
            .build();
        let r = map(Some(&p), "us-east-1", "1");
        assert_eq!(r.id, ID);
        assert_eq!(r.attr("minimum_password_length"), &Value::int(14));
        assert_eq!(r.attr("hard_expiry"), &Value::Bool(false));
        assert!(!r.aws_default);
        let strong = crate::aws::view::build(std::slice::from_ref(&r), View::Live);
        assert_eq!(strong[0].value["strong"], true);

        let d = map(None, "us-east-1", "1");
        assert_eq!(d.id, DEFAULT_ID);
        assert!(d.aws_default);
        let weak = crate::aws::view::build(std::slice::from_ref(&d), View::Live);
        assert_eq!(weak[0].value["strong"], false, "{:#}", weak[0].value);
        assert!(weak[0].value["weaknesses"].to_string().contains("minimum length 8"));
    }

    #[test]
    fn update_names_the_policy_by_its_fixed_id() {
        let e = of("aws_iam_account_password_policy", "iam", "UpdateAccountPasswordPolicy");
        let req = json!({"minimumPasswordLength": 8, "requireSymbols": true});
        assert_eq!(e.identifiers(&req, &Json::Null), vec![ID]);
        assert!(
            e.writes(&req, &Json::Null)
                .contains(&Written::Set { path: "minimum_password_length".into(), value: Value::int(8) })
        );
    }
}

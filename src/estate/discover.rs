//! Member accounts from AWS Organizations: `ListAccounts`, paginated, with the scanning
//! credentials (those of the management account or of a delegated administrator). Accounts that
//! are not active (suspended, closing, closed, pending activation) are skipped: a role cannot be
//! assumed in them.

use super::config::{Discovery, Reach};
use super::{Account, Origin};
use crate::aws::client::Ctx;
use crate::model::ReadError;

crate::sdk_client!(aws_sdk_organizations);

/// One account as Organizations lists it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Member {
    pub id: String,
    pub name: String,
    /// `ACTIVE`, `SUSPENDED`, `PENDING_CLOSURE` (the `Status` field; `State` where present).
    pub status: String,
}

/// Every account of the organisation (one page at a time, 20 per page as AWS answers).
pub async fn list_accounts(ctx: &Ctx) -> Result<Vec<Member>, ReadError> {
    let organizations = ctx.client::<aws_sdk_organizations::Client>();
    let mut pages = organizations.list_accounts().into_paginator().send();
    let mut out = Vec::new();
    loop {
        let page = {
            let _permit = ctx.permit("organizations").await;
            pages.next().await
        };
        match page {
            None => break,
            Some(Ok(page)) => out.extend(page.accounts().iter().map(map)),
            Some(Err(e)) => return Err(crate::aws::errors::read_error("organizations", &ctx.region, &[], e)),
        }
    }
    out.sort_by(|a, b| a.id.cmp(&b.id));
    Ok(out)
}

/// Pure: the SDK's account into what discovery needs.
pub fn map(a: &aws_sdk_organizations::types::Account) -> Member {
    // `State` (2025) supersedes `Status`; either says whether the account is usable.
    let status = match (a.state(), a.status()) {
        (Some(s), _) => s.as_str().to_string(),
        (None, Some(s)) => s.as_str().to_string(),
        (None, None) => "UNKNOWN".to_string(),
    };
    Member { id: a.id().unwrap_or_default().to_string(), name: a.name().unwrap_or_default().to_string(), status }
}

/// The accounts discovery adds: active members matching `include` (every one when empty) and
/// no `exclude` pattern (ids or names, globs), that the file does not name itself. Also returns
/// the members skipped because they are not active, for a note.
pub fn accounts(d: &Discovery, members: &[Member], named: &[String]) -> (Vec<Account>, Vec<Member>) {
    let matches = |patterns: &[String], m: &Member| {
        patterns.iter().any(|p| crate::model::glob_match(p, &m.id) || crate::model::glob_match(p, &m.name))
    };
    let mut out = Vec::new();
    let mut inactive = Vec::new();
    for m in members {
        if m.id.is_empty() || named.contains(&m.id) {
            continue;
        }
        if !(d.include.is_empty() || matches(&d.include, m)) || matches(&d.exclude, m) {
            continue;
        }
        if m.status != "ACTIVE" {
            inactive.push(m.clone());
            continue;
        }
        let fill = |s: &str| s.replace("{account_id}", &m.id).replace("{account_name}", &m.name);
        out.push(Account {
            id: m.id.clone(),
            name: if m.name.is_empty() { m.id.clone() } else { m.name.clone() },
            regions: d.regions.clone(),
            states: d.states.iter().map(|s| fill(s)).collect(),
            reach: Reach::Role {
                arn: fill(&d.role_arn),
                external_id: d.external_id.clone(),
                session_name: d.session_name.clone(),
            },
            limits: d.limits.clone(),
            origin: Origin::Discovered,
        });
    }
    (out, inactive)
}

#[cfg(test)]
mod tests {
    use super::*;
    use aws_sdk_organizations::types::{Account as SdkAccount, AccountState, AccountStatus};
    use std::collections::BTreeMap;

    fn member(id: &str, name: &str, status: &str) -> Member {
        Member { id: id.into(), name: name.into(), status: status.into() }
    }

    #[test]
    fn maps_status_and_state() {
        let a = SdkAccount::builder().id("111111111111").name("prod").status(AccountStatus::Suspended).build();
        assert_eq!(map(&a), member("111111111111", "prod", "SUSPENDED"));
        let b = SdkAccount::builder().id("2").status(AccountStatus::Active).state(AccountState::PendingClosure).build();
        assert_eq!(map(&b).status, "PENDING_CLOSURE");
    }

    #[test]
    fn active_matching_unnamed_members_with_their_role_and_states() {
        let d = Discovery {
            role_arn: "arn:aws:iam::{account_id}:role/PlumbReadOnly".into(),
            external_id: Some("x-1".into()),
            session_name: "plumb".into(),
            regions: vec!["us-east-1".into()],
            states: vec!["s3://tf/{account_id}/{account_name}.tfstate".into()],
            include: vec![],
            exclude: vec!["sandbox-*".into(), "555555555555".into()],
            limits: BTreeMap::new(),
        };
        let members = [
            member("111111111111", "prod", "ACTIVE"),
            member("222222222222", "named-in-file", "ACTIVE"),
            member("333333333333", "gone", "SUSPENDED"),
            member("444444444444", "sandbox-alice", "ACTIVE"),
            member("555555555555", "ci", "ACTIVE"),
        ];
        let (found, inactive) = accounts(&d, &members, &["222222222222".to_string()]);
        assert_eq!(found.len(), 1);
        let a = &found[0];
        assert_eq!((a.id.as_str(), a.name.as_str()), ("111111111111", "prod"));
        assert_eq!(a.states, ["s3://tf/111111111111/prod.tfstate"]);
        assert_eq!(
            a.reach,
            Reach::Role {
                arn: "arn:aws:iam::111111111111:role/PlumbReadOnly".into(),
                external_id: Some("x-1".into()),
                session_name: "plumb".into()
            }
        );
        assert_eq!(inactive, [member("333333333333", "gone", "SUSPENDED")]);
        let only = Discovery { include: vec!["ci".into()], exclude: vec![], ..d };
        let (found, _) = accounts(&only, &members, &[]);
        assert_eq!(found.iter().map(|a| a.id.as_str()).collect::<Vec<_>>(), ["555555555555"]);
    }
}

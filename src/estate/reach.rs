//! Credentials for one account of an estate: the scanning credentials themselves, a named
//! profile, or a role assumed from the scanning credentials (`sts:AssumeRole`, with the
//! estate's external id and session name).
//!
//! A role is assumed once up front with the scan's own STS client (counted and logged like
//! every call), so that a role that does not exist, does not trust the scanner or wants another
//! external id makes that account incomplete with STS's own answer. The account's reads then
//! use the SDK's assume-role provider, which renews the session before it expires (an hour by
//! default) however long the account's scan takes. Whichever way, the account reached must be
//! the account the file names: credentials for another account are refused, never scanned
//! under the wrong name.

use aws_config::{BehaviorVersion, Region, SdkConfig};
use aws_sdk_sts::config::SharedCredentialsProvider;

use super::config::Reach;
use crate::aws::client::{self, CallStats, ClientOptions};
use crate::model::ReadError;

/// An account could not be reached: the error to report against every type of that account.
pub fn account_error(region: &str, code: &str, message: String) -> ReadError {
    ReadError {
        account: None,
        service: "sts".to_string(),
        region: region.to_string(),
        code: code.to_string(),
        message,
        affected_types: crate::aws::supported_types().into_iter().map(str::to_string).collect(),
    }
}

/// The AWS configuration to read `account_id` with, reached as `reach` from `base` (the
/// scanning credentials). `region` is where STS is called (the account's first region).
pub async fn connect(
    account_id: &str,
    reach: &Reach,
    base: &SdkConfig,
    region: &str,
    opts: &ClientOptions,
    stats: &CallStats,
) -> Result<SdkConfig, ReadError> {
    match reach {
        Reach::Scanner => {
            verify(account_id, base, region, opts, stats, "the scanning credentials").await?;
            Ok(base.clone())
        }
        Reach::Profile(name) => {
            let mut loader = aws_config::defaults(BehaviorVersion::latest())
                .profile_name(name)
                .region(Region::new(region.to_string()));
            if let Some(t) = base.timeout_config() {
                loader = loader.timeout_config(t.clone());
            }
            if let Some(r) = base.retry_config() {
                loader = loader.retry_config(r.clone());
            }
            if let Some(url) = &opts.endpoint_url {
                loader = loader.endpoint_url(url);
            }
            let conf = loader.load().await;
            verify(account_id, &conf, region, opts, stats, &format!("profile {name}")).await?;
            Ok(conf)
        }
        Reach::Role { arn, external_id, session_name } => {
            let sts = client::sts_client_in(base, region, opts, stats);
            let assumed = sts
                .assume_role()
                .role_arn(arn)
                .role_session_name(session_name)
                .set_external_id(external_id.clone())
                .send()
                .await
                .map_err(|e| {
                    let mut err = crate::aws::errors::read_error("sts", region, &[], e);
                    err.message = format!("cannot assume {arn}: {}", err.message);
                    ReadError { affected_types: account_error(region, "", String::new()).affected_types, ..err }
                })?;
            // arn:aws:sts::<account>:assumed-role/<role>/<session>
            let reached = assumed.assumed_role_user().map(|u| u.arn()).and_then(|a| a.split(':').nth(4)).unwrap_or("");
            if !reached.is_empty() && reached != account_id {
                return Err(account_error(
                    region,
                    "WrongAccount",
                    format!("{arn} is a role in account {reached}, not {account_id}"),
                ));
            }
            let mut provider = aws_config::sts::AssumeRoleProvider::builder(arn.clone())
                .configure(base)
                .region(Region::new(region.to_string()))
                .session_name(session_name.clone());
            if let Some(id) = external_id {
                provider = provider.external_id(id.clone());
            }
            let provider = provider.build().await;
            Ok(base.to_builder().credentials_provider(SharedCredentialsProvider::new(provider)).build())
        }
    }
}

/// `GetCallerIdentity` with `conf`: the credentials work and are `account_id`'s.
async fn verify(
    account_id: &str,
    conf: &SdkConfig,
    region: &str,
    opts: &ClientOptions,
    stats: &CallStats,
    what: &str,
) -> Result<(), ReadError> {
    let sts = client::sts_client_in(conf, region, opts, stats);
    match sts.get_caller_identity().send().await {
        Ok(out) => match out.account() {
            Some(a) if a == account_id => Ok(()),
            other => Err(account_error(
                region,
                "WrongAccount",
                format!("{what} are for account {}, not {account_id}", other.unwrap_or("unknown")),
            )),
        },
        Err(e) => {
            let why = crate::aws::errors::systemic(&e, opts.endpoint_url.as_deref(), region);
            let mut err = crate::aws::errors::read_error("sts", region, &[], e);
            err.message = format!("{what}: {}", why.unwrap_or(err.message));
            Err(ReadError { affected_types: account_error(region, "", String::new()).affected_types, ..err })
        }
    }
}

//! `aws_iam_user_login_profile`: console access, from the IAM credential report (one CSV
//! for the whole account: GenerateCredentialReport, polled until complete, then
//! GetCredentialReport) and GetAccountSummary (shared) for the root user. Id: the user name,
//! as the provider's.
//!
//! One resource per user whose `password_enabled` is true. Besides the provider's `user`,
//! each carries `mfa_active` (the report's column; not a provider attribute, so never
//! compared), which the `iam_console_access` view and HS-IAM-004 read. The root user always
//! has a console password: it is emitted as AWS's own login (`aws_default`, id
//! `<root_account>`, user `root`) with `mfa_active` from `AccountMFAEnabled`.
//!
//! Left Unknown: `password_reset_required` (not in the report), and the configuration-only
//! or write-only `password`, `password_length`, `pgp_key`, `encrypted_password`.
//!
//! GenerateCredentialReport is an IAM action of access level Read: it makes IAM compute the
//! report (at most once every four hours), changes no configuration, and is part of AWS's
//! `SecurityAudit` policy (see docs/types/iam.md).

use std::time::Duration;

use aws_sdk_iam::types::{ReportStateType, SummaryKeyType};
use futures::FutureExt;

use super::{account_summary, summary_value};
use crate::aws::errors::{read_error, service_code};
use crate::aws::event::{Event, W, Written};
use crate::aws::view::*;
use crate::aws::{Ctx, FetchResult, Identity, Read, ResourceType, ViewDef};
use crate::model::{ReadError, Resource, Value, View};

const TYPES: &[&str] = &["aws_iam_user_login_profile"];

/// The root user, as the credential report names it.
pub const ROOT: &str = "<root_account>";

/// How long to wait for IAM to finish a credential report (it takes seconds).
const REPORT_POLLS: u32 = 30;
const REPORT_POLL_INTERVAL: Duration = Duration::from_secs(1);

pub static TYPE: ResourceType = ResourceType {
    read: Some(Read { fetch: |ctx| fetch(ctx).boxed(), global: true }),
    identity: Identity { global_names: true, names: &["user"], ..Identity::NONE },
    events: &[
        Event::create("iam", "CreateLoginProfile", &["userName"])
            .writing(&[W::Param("password_reset_required", "passwordResetRequired")]),
        Event::modify("iam", "UpdateLoginProfile", &["userName"])
            .writing(&[W::Param("password_reset_required", "passwordResetRequired")]),
        Event::delete("iam", "DeleteLoginProfile", &["userName"]),
        // MFA is no provider attribute, but these calls are what changes HS-IAM-004's verdict.
        Event::modify("iam", "EnableMFADevice", &["userName"]).writing(&[W::Custom(|_, _, out| mfa(out, true))]),
        Event::modify("iam", "DeactivateMFADevice", &["userName"]).writing(&[W::Custom(|_, _, out| mfa(out, false))]),
    ],
    view: Some(&VIEW),
    ..ResourceType::base("aws_iam_user_login_profile", "iam")
};

fn mfa(out: &mut Vec<Written>, on: bool) {
    out.push(Written::Set { path: "mfa_active".into(), value: Value::Bool(on) });
}

pub static VIEW: ViewDef =
    ViewDef { kind: "iam_console_access", build: |rs, v| each(rs, &["aws_iam_user_login_profile"], v, console_access) };

/// A console login: whose, and whether MFA protects it (known live only).
fn console_access(r: &Resource, view: View) -> JoinedView {
    let mut o = head("iam_console_access", r, view);
    let user = put_str(&mut o, "user", attr(r, "user", view), None);
    if let Ok(Some(u)) = &user {
        o.put("name", u.as_str());
    }
    o.opt("root", user.ok().map(|u| u.as_deref() == Some("root")));
    match (view, r.attributes.get("mfa_active")) {
        (View::Live, Some(Value::Bool(b))) => {
            o.put("mfa_active", *b);
        }
        // Terraform cannot express a user's MFA device: unknown in config and state.
        _ => {
            o.unknown("mfa_active");
        }
    }
    joined("iam_console_access", r, o)
}

async fn fetch(ctx: &Ctx) -> FetchResult {
    let summary = account_summary(ctx, TYPES).await?;
    let report = credential_report(ctx).await?;
    let rows = parse_report(&report).map_err(|message| ReadError {
        account: None,
        service: "iam".into(),
        region: ctx.region.clone(),
        code: "Unparseable".into(),
        message,
        affected_types: TYPES.iter().map(|t| t.to_string()).collect(),
    })?;
    let root_mfa = summary_value(&summary, SummaryKeyType::AccountMfaEnabled).map(|n| n > 0);
    Ok(map(&rows, root_mfa, &ctx.region, &ctx.account))
}

/// The credential report's CSV: generated (or reused when fresh) and then fetched.
async fn credential_report(ctx: &Ctx) -> Result<String, ReadError> {
    let iam = ctx.client::<aws_sdk_iam::Client>();
    let not_ready = |state: &str| ReadError {
        account: None,
        service: "iam".into(),
        region: ctx.region.clone(),
        code: "ReportNotReady".into(),
        message: format!("the IAM credential report was still {state} after {REPORT_POLLS} s"),
        affected_types: TYPES.iter().map(|t| t.to_string()).collect(),
    };
    let mut complete = false;
    for _ in 0..REPORT_POLLS {
        let generated = {
            let _p = ctx.permit("iam").await;
            iam.generate_credential_report().send().await
        }
        .map_err(|e| read_error("iam", &ctx.region, TYPES, e))?;
        if generated.state() == Some(&ReportStateType::Complete) {
            complete = true;
            break;
        }
        tokio::time::sleep(REPORT_POLL_INTERVAL).await;
    }
    if !complete {
        return Err(not_ready("being generated"));
    }
    for _ in 0..REPORT_POLLS {
        let got = {
            let _p = ctx.permit("iam").await;
            iam.get_credential_report().send().await
        };
        match got {
            Ok(out) => {
                let bytes = out.content().map(|b| b.as_ref()).unwrap_or_default();
                return String::from_utf8(bytes.to_vec()).map_err(|_| ReadError {
                    account: None,
                    code: "Unparseable".into(),
                    message: "the IAM credential report is not UTF-8 text".into(),
                    ..not_ready("")
                });
            }
            Err(e) if service_code(&e) == Some("ReportInProgress") => tokio::time::sleep(REPORT_POLL_INTERVAL).await,
            Err(e) => return Err(read_error("iam", &ctx.region, TYPES, e)),
        }
    }
    Err(not_ready("in progress"))
}

/// One row of the credential report: the user and the columns Plumb reads.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ReportRow {
    pub user: String,
    pub password_enabled: bool,
    pub mfa_active: Option<bool>,
}

/// The credential report's rows (root's included). Err when the header lacks a needed
/// column or a row does not fit it.
pub fn parse_report(csv: &str) -> Result<Vec<ReportRow>, String> {
    let mut lines = csv.lines().filter(|l| !l.trim().is_empty());
    let header: Vec<&str> = lines.next().ok_or("the credential report is empty")?.split(',').map(str::trim).collect();
    let col = |name: &str| {
        header.iter().position(|h| *h == name).ok_or_else(|| format!("the credential report has no `{name}` column"))
    };
    let (user_col, arn_col, password_col, mfa_col) =
        (col("user")?, col("arn")?, col("password_enabled")?, col("mfa_active")?);
    if (user_col, arn_col) != (0, 1) {
        return Err("the credential report does not start with `user,arn`".into());
    }
    let mut out = Vec::new();
    for (n, line) in lines.enumerate() {
        let fields = split_row(line);
        // A user name may hold commas (IAM allows them) and its ARN repeats it: the columns
        // after the ARN are fixed, so the name is what precedes `,arn:`.
        let fixed = header.len() - 2;
        if fields.len() < header.len() {
            return Err(format!(
                "credential report row {}: {} fields for {} columns",
                n + 2,
                fields.len(),
                header.len()
            ));
        }
        let extra = fields.len() - header.len();
        let lead = fields[..2 + extra].join(",");
        let user = match lead.find(",arn:") {
            Some(i) => lead[..i].to_string(),
            None => fields[0].clone(),
        };
        let tail = &fields[fields.len() - fixed..];
        let cell = |c: usize| tail[c - 2].as_str();
        out.push(ReportRow {
            user,
            password_enabled: cell(password_col) == "true",
            mfa_active: match cell(mfa_col) {
                "true" => Some(true),
                "false" => Some(false),
                _ => None,
            },
        });
    }
    Ok(out)
}

/// CSV fields of one line (RFC 4180 quoting).
fn split_row(line: &str) -> Vec<String> {
    let mut fields = Vec::new();
    let mut cur = String::new();
    let mut quoted = false;
    let mut chars = line.chars().peekable();
    while let Some(c) = chars.next() {
        match (c, quoted) {
            ('"', true) if chars.peek() == Some(&'"') => {
                cur.push('"');
                chars.next();
            }
            ('"', _) => quoted = !quoted,
            (',', false) => fields.push(std::mem::take(&mut cur)),
            (c, _) => cur.push(c),
        }
    }
    fields.push(cur);
    fields
}

/// Pure mapping from the report's rows and root's MFA (GetAccountSummary) to console logins.
pub fn map(rows: &[ReportRow], root_mfa: Option<bool>, region: &str, account: &str) -> Vec<Resource> {
    let mut out: Vec<Resource> = rows
        .iter()
        .filter(|row| row.user != ROOT && row.password_enabled)
        .map(|row| {
            let mut r = Resource::live("aws_iam_user_login_profile", &row.user, region, account, None)
                .with("id", row.user.as_str())
                .with("user", row.user.as_str());
            if let Some(m) = row.mfa_active {
                r.set("mfa_active", m);
            }
            r
        })
        .collect();
    let mut root =
        Resource::live("aws_iam_user_login_profile", ROOT, region, account, None).with("id", ROOT).with("user", "root");
    if let Some(m) = root_mfa {
        root.set("mfa_active", m);
    }
    root.aws_default = true;
    out.push(root);
    out
}

/// The view's verdict input, for tests: `(user, mfa_active)`.
#[cfg(test)]
fn verdicts(rs: &[Resource]) -> Vec<(String, serde_json::Value)> {
    crate::aws::view::build(rs, View::Live)
        .into_iter()
        .filter(|v| v.vtype == "iam_console_access")
        .map(|v| (v.value["user"].as_str().unwrap_or_default().to_string(), v.value["mfa_active"].clone()))
        .collect()
}

#[cfg(test)]
mod tests {
    use serde_json::{Value as J, json};

    use super::*;
    use crate::aws::event::of;

    const REPORT: &str = "user,arn,user_creation_time,password_enabled,password_last_used,password_last_changed,password_next_rotation,mfa_active,access_key_1_active\n\
        <root_account>,arn:aws:iam::123456789012:root,2024-01-01T00:00:00+00:00,not_supported,2024-05-01T00:00:00+00:00,not_supported,not_supported,true,false\n\
        dana.reyes,arn:aws:iam::123456789012:user/clinic/dana.reyes,2024-01-01T00:00:00+00:00,true,N/A,2024-01-01T00:00:00+00:00,N/A,false,false\n\
        ci-deployer,arn:aws:iam::123456789012:user/ci-deployer,2024-01-01T00:00:00+00:00,false,N/A,N/A,N/A,false,true\n\
        a,b,arn:aws:iam::123456789012:user/a,b,2024-01-01T00:00:00+00:00,true,N/A,N/A,N/A,true,false\n";

    #[test]
    fn console_users_from_the_credential_report() {
        let rows = parse_report(REPORT).unwrap();
        assert_eq!(rows.len(), 4);
        assert_eq!(rows[3], ReportRow { user: "a,b".into(), password_enabled: true, mfa_active: Some(true) });
        let rs = map(&rows, Some(false), "us-east-1", "123456789012");
        let ids: Vec<&str> = rs.iter().map(|r| r.id.as_str()).collect();
        assert_eq!(ids, ["dana.reyes", "a,b", ROOT], "no login for users without a password");
        assert!(rs[2].aws_default && !rs[0].aws_default);
        let v = verdicts(&rs);
        assert!(v.contains(&("dana.reyes".to_string(), json!(false))));
        assert!(v.contains(&("root".to_string(), json!(false))));
        assert!(v.contains(&("a,b".to_string(), json!(true))));
        // Root's MFA unknown (the summary lacked the key): unknown in the view, no verdict.
        let rs = map(&[], None, "us-east-1", "1");
        assert_eq!(verdicts(&rs), vec![("root".to_string(), J::Null)]);
    }

    #[test]
    fn bad_reports_are_errors_not_empty() {
        assert!(parse_report("").is_err());
        assert!(parse_report("user,arn\n").is_err(), "no password_enabled column");
        let short = "user,arn,password_enabled,mfa_active\nx,arn:aws:iam::1:user/x,true\n";
        assert!(parse_report(short).is_err());
        let quoted = "user,arn,password_enabled,mfa_active\n\"x\",arn:aws:iam::1:user/x,true,false\n";
        assert_eq!(parse_report(quoted).unwrap()[0].user, "x");
    }

    #[test]
    fn config_and_state_never_know_mfa() {
        let mut r = Resource::live("aws_iam_user_login_profile", "dana", "us-east-1", "1", None).with("user", "dana");
        r.origin = crate::model::Origin::State { file: "t".into(), index: 0 };
        let v = crate::aws::view::build(&[r], View::State);
        assert_eq!(v[0].value["mfa_active"], J::Null);
        assert!(v[0].value["unknown"].as_array().unwrap().contains(&json!("mfa_active")));
    }

    #[test]
    fn login_and_mfa_events_name_the_user() {
        let e = of("aws_iam_user_login_profile", "iam", "EnableMFADevice");
        let req =
            json!({"userName": "dana.reyes", "serialNumber": "arn:aws:iam::1:mfa/dana", "authenticationCode1": "****"});
        assert_eq!(e.identifiers(&req, &J::Null), vec!["dana.reyes"]);
        assert_eq!(
            e.writes(&req, &J::Null),
            vec![Written::Set { path: "mfa_active".into(), value: Value::Bool(true) }]
        );
        let c = of("aws_iam_user_login_profile", "iam", "CreateLoginProfile");
        let req = json!({"userName": "dana.reyes", "password": "HIDDEN_DUE_TO_SECURITY_REASONS", "passwordResetRequired": true});
        assert_eq!(
            c.writes(&req, &J::Null),
            vec![Written::Set { path: "password_reset_required".into(), value: Value::Bool(true) }]
        );
    }
}

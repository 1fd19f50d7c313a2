//! Who made a call, and through which channel.
//!
//! The identity comes from `userIdentity`: the person behind an assumed role is the
//! `sourceIdentity` when set, else the session name of an IAM Identity Center (SSO) role or a
//! session name that is an e-mail address; an IAM user is its user name. The channel comes
//! from `userIdentity` first (console session, `invokedBy`, service-linked roles), then from
//! the `userAgent`, which the client sets and so is only a hint (research: cloudtrail.md §4).

use serde::Serialize;

use super::record::Record;

/// How a call reached AWS.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Channel {
    Console,
    Cli,
    Sdk,
    Terraform,
    Cloudformation,
    Service,
    Unknown,
}

impl Channel {
    pub fn as_str(self) -> &'static str {
        match self {
            Channel::Console => "console",
            Channel::Cli => "cli",
            Channel::Sdk => "sdk",
            Channel::Terraform => "terraform",
            Channel::Cloudformation => "cloudformation",
            Channel::Service => "service",
            Channel::Unknown => "unknown",
        }
    }

    /// For sentences: "changed by alice in the console".
    pub fn phrase(self) -> &'static str {
        match self {
            Channel::Console => "in the console",
            Channel::Cli => "with the AWS CLI",
            Channel::Sdk => "with an AWS SDK",
            Channel::Terraform => "by Terraform",
            Channel::Cloudformation => "by CloudFormation",
            Channel::Service => "by an AWS service",
            Channel::Unknown => "through an unknown channel",
        }
    }
}

/// The principal of one call.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Actor {
    /// The person, when one can be named.
    pub person: Option<String>,
    /// The principal's ARN (an assumed-role session, an IAM user), or the invoking service.
    pub principal: Option<String>,
    /// The role behind an assumed-role session.
    pub role: Option<String>,
    pub account: Option<String>,
}

impl Actor {
    /// The person when known, else the principal ARN, else "unknown".
    pub fn display(&self) -> String {
        self.person.clone().or_else(|| self.principal.clone()).unwrap_or_else(|| "unknown".to_string())
    }
}

pub fn actor(r: &Record) -> Actor {
    let ui = &r.user_identity;
    let account = ui.account_id.clone().or_else(|| r.recipient_account_id.clone());
    let issuer = ui.session_context.as_ref().and_then(|s| s.session_issuer.as_ref());
    let source_identity = ui.session_context.as_ref().and_then(|s| s.source_identity.clone()).filter(|s| !s.is_empty());
    let mut a = Actor { person: None, principal: ui.arn.clone(), role: None, account };
    match ui.kind.as_deref() {
        Some("Root") => a.person = Some("root".into()),
        Some("IAMUser") => a.person = ui.user_name.clone().or_else(|| ui.arn.as_deref().and_then(last_segment)),
        Some("AssumedRole") => {
            let (role, session) = assumed_role_parts(ui.arn.as_deref());
            a.role = issuer.and_then(|i| i.user_name.clone()).or(role);
            let sso = a.role.as_deref().is_some_and(|r| r.starts_with("AWSReservedSSO_"))
                || issuer
                    .and_then(|i| i.arn.as_deref())
                    .is_some_and(|arn| arn.contains("/aws-reserved/sso.amazonaws.com/"));
            a.person = source_identity
                .or_else(|| session.clone().filter(|s| sso || s.contains('@')))
                .or_else(|| ui.on_behalf_of.as_ref().and_then(|o| o.user_id.clone()));
        }
        Some("FederatedUser") => {
            a.person = ui.arn.as_deref().and_then(last_segment);
        }
        Some("IdentityCenterUser") => {
            a.person = ui.user_name.clone().or_else(|| ui.on_behalf_of.as_ref().and_then(|o| o.user_id.clone()));
        }
        Some("AWSService") => a.principal = ui.invoked_by.clone().or(a.principal),
        _ => a.person = ui.user_name.clone(),
    }
    if a.principal.is_none() {
        a.principal = ui.invoked_by.clone();
    }
    a
}

pub fn channel(r: &Record) -> Channel {
    let ui = &r.user_identity;
    let ua =
        r.user_agent.as_deref().map(|u| u.trim().trim_start_matches('[').trim_end_matches(']').trim()).unwrap_or("");
    let invoked_by = ui.invoked_by.as_deref().unwrap_or("");
    if invoked_by == "cloudformation.amazonaws.com" || ua == "cloudformation.amazonaws.com" {
        return Channel::Cloudformation;
    }
    // The AWS CLI in CloudShell runs on console credentials (`sessionCredentialFromConsole`)
    // but is the CLI: its user agent says `aws-cli/... exec-env/CloudShell`.
    if r.session_credential_from_console == Some(true) && !is_cloudshell_cli(ua) {
        return Channel::Console;
    }
    let issuer_arn = ui.session_context.as_ref().and_then(|s| s.session_issuer.as_ref()).and_then(|i| i.arn.as_deref());
    let (role, _) = assumed_role_parts(ui.arn.as_deref());
    let service_role = issuer_arn.is_some_and(|a| a.contains(":role/aws-service-role/"))
        || role.as_deref().is_some_and(|r| r.starts_with("AWSServiceRoleFor"));
    if ui.kind.as_deref() == Some("AWSService") || r.event_type.as_deref() == Some("AwsServiceEvent") || service_role {
        return Channel::Service;
    }
    match invoked_by {
        "" => {}
        "signin.amazonaws.com" | "console.amazonaws.com" => return Channel::Console,
        _ => return Channel::Service,
    }
    user_agent_channel(ua)
}

/// A command of the AWS CLI run in CloudShell.
fn is_cloudshell_cli(ua: &str) -> bool {
    ua.starts_with("aws-cli/") && ua.contains("exec-env/CloudShell")
}

/// The channel a `userAgent` suggests (brackets already stripped).
pub fn user_agent_channel(ua: &str) -> Channel {
    if ua.is_empty() {
        return Channel::Unknown;
    }
    // Terraform's provider prepends `APN/1.0 HashiCorp/1.0 Terraform/<v> ... terraform-provider-aws/<v>`;
    // the 0.12 era had no provider product. Both need the `Terraform/` product.
    if ua.contains("Terraform/") && (ua.contains("terraform-provider-aws/") || ua.contains("HashiCorp/")) {
        return Channel::Terraform;
    }
    if ua.starts_with("aws-cli/") {
        return Channel::Cli;
    }
    if ua.starts_with("console.")
        || ua.starts_with("signin.amazonaws.com")
        || ua.starts_with("S3Console/")
        || ua.starts_with("Mozilla/")
        || ua.contains("aws-internal/3")
    {
        return Channel::Console;
    }
    if ua == "cloudformation.amazonaws.com" {
        return Channel::Cloudformation;
    }
    if !ua.contains(' ') && ua.ends_with(".amazonaws.com") {
        return Channel::Service;
    }
    const SDKS: &[&str] =
        &["Boto3/", "Botocore/", "botocore/", "aws-sdk-", "APN/1.0", "Pulumi", "aws-chalice/", "AWS-SDK"];
    if SDKS.iter().any(|s| ua.contains(s)) {
        return Channel::Sdk;
    }
    Channel::Unknown
}

/// `arn:aws:sts::123:assumed-role/ROLE/SESSION` → (ROLE, SESSION).
fn assumed_role_parts(arn: Option<&str>) -> (Option<String>, Option<String>) {
    let Some(rest) = arn.and_then(|a| a.split_once(":assumed-role/")).map(|(_, r)| r) else { return (None, None) };
    match rest.split_once('/') {
        Some((role, session)) => (Some(role.to_string()), Some(session.to_string())),
        None => (Some(rest.to_string()), None),
    }
}

fn last_segment(arn: &str) -> Option<String> {
    arn.rsplit(['/', ':']).next().filter(|s| !s.is_empty()).map(str::to_string)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn rec(json: &str) -> Record {
        serde_json::from_str(json).unwrap()
    }

    #[test]
    fn sso_session_is_the_person() {
        let r = rec(r#"{"userIdentity":{"type":"AssumedRole",
                "arn":"arn:aws:sts::123456789012:assumed-role/AWSReservedSSO_Admin_0123abcd/alice@example.com",
                "sessionContext":{"sessionIssuer":{"type":"Role","userName":"AWSReservedSSO_Admin_0123abcd",
                  "arn":"arn:aws:iam::123456789012:role/aws-reserved/sso.amazonaws.com/AWSReservedSSO_Admin_0123abcd"}}},
                "sessionCredentialFromConsole":"true","userAgent":"AWS Internal","sourceIPAddress":"AWS Internal"}"#);
        let a = actor(&r);
        assert_eq!(a.person.as_deref(), Some("alice@example.com"));
        assert_eq!(a.role.as_deref(), Some("AWSReservedSSO_Admin_0123abcd"));
        assert_eq!(channel(&r), Channel::Console);
    }

    #[test]
    fn source_identity_beats_session_name() {
        let r = rec(r#"{"userIdentity":{"type":"AssumedRole","arn":"arn:aws:sts::1:assumed-role/Deploy/ci-run-42",
                "sessionContext":{"sourceIdentity":"bob","sessionIssuer":{"userName":"Deploy"}}},
                "userAgent":"aws-cli/2.17.60 md/command#rds.modify-db-instance"}"#);
        assert_eq!(actor(&r).person.as_deref(), Some("bob"));
        assert_eq!(channel(&r), Channel::Cli);
        // Without a source identity, a machine session name is not a person: the ARN stands.
        let r = rec(r#"{"userIdentity":{"type":"AssumedRole","arn":"arn:aws:sts::1:assumed-role/Deploy/ci-run-42"}}"#);
        assert_eq!(actor(&r).display(), "arn:aws:sts::1:assumed-role/Deploy/ci-run-42");
        assert_eq!(actor(&r).role.as_deref(), Some("Deploy"));
    }

    #[test]
    fn channels_from_user_agents() {
        let tf = "APN/1.0 HashiCorp/1.0 Terraform/1.5.7 (+https://www.terraform.io) terraform-provider-aws/6.14.1 (+https://registry.terraform.io/providers/hashicorp/aws) aws-sdk-go-v2/1.39.0 ua/2.1 os/macos lang/go#1.24.6 md/GOOS#darwin md/GOARCH#amd64 api/iam#1.47.5 m/i";
        assert_eq!(user_agent_channel(tf), Channel::Terraform);
        assert_eq!(
            user_agent_channel(
                "aws-sdk-go/1.29.7 (go1.13.8; darwin; amd64) APN/1.0 HashiCorp/1.0 Terraform/0.12.24 (+https://www.terraform.io)"
            ),
            Channel::Terraform
        );
        assert_eq!(user_agent_channel("APN/1.0 Pulumi/1.0 Pulumi-Aws/6.0.0 aws-sdk-go-v2/1.30"), Channel::Sdk);
        assert_eq!(user_agent_channel("Boto3/1.35.0 md/Botocore#1.35.0 ua/2.0 os/linux"), Channel::Sdk);
        assert_eq!(user_agent_channel("aws-cli/2.17.60 md/awscrt#0.21.2 exec-env/CloudShell"), Channel::Cli);
        assert_eq!(user_agent_channel("console.ec2.amazonaws.com"), Channel::Console);
        assert_eq!(user_agent_channel("S3Console/0.4, aws-internal/3 aws-sdk-java/1.12"), Channel::Console);
        assert_eq!(user_agent_channel("eks-nodegroup.amazonaws.com"), Channel::Service);
        assert_eq!(user_agent_channel(""), Channel::Unknown);
        // S3 wraps the agent in brackets.
        let r = rec(&format!(r#"{{"userIdentity":{{"type":"IAMUser","userName":"ci"}},"userAgent":"[{tf}]"}}"#));
        assert_eq!(channel(&r), Channel::Terraform);
    }

    #[test]
    fn services_and_cloudformation() {
        let eks = rec(
            r#"{"userIdentity":{"type":"AssumedRole","arn":"arn:aws:sts::111122223333:assumed-role/AWSServiceRoleForAmazonEKSNodegroup/EKS",
                "sessionContext":{"sessionIssuer":{"type":"Role","arn":"arn:aws:iam::111122223333:role/aws-service-role/eks-nodegroup.amazonaws.com/AWSServiceRoleForAmazonEKSNodegroup"}},
                "invokedBy":"eks-nodegroup.amazonaws.com"},"sourceIPAddress":"eks-nodegroup.amazonaws.com","userAgent":"eks-nodegroup.amazonaws.com"}"#,
        );
        assert_eq!(channel(&eks), Channel::Service);
        let cfn = rec(
            r#"{"userIdentity":{"type":"AssumedRole","arn":"arn:aws:sts::1:assumed-role/StackRole/AWSCloudFormation","invokedBy":"cloudformation.amazonaws.com"},
                "userAgent":"cloudformation.amazonaws.com"}"#,
        );
        assert_eq!(channel(&cfn), Channel::Cloudformation);
        let signin =
            rec(r#"{"userIdentity":{"type":"IAMUser","userName":"carol","invokedBy":"signin.amazonaws.com"}}"#);
        assert_eq!(channel(&signin), Channel::Console);
        assert_eq!(actor(&signin).person.as_deref(), Some("carol"));
        let root = rec(
            r#"{"userIdentity":{"type":"Root","arn":"arn:aws:iam::1:root","accountId":"1"},"userAgent":"console.amazonaws.com"}"#,
        );
        assert_eq!((actor(&root).display(), channel(&root)), ("root".to_string(), Channel::Console));
    }

    #[test]
    fn cloudshell_cli_is_the_cli() {
        // CloudShell's CLI signs with the console session, so the record carries
        // `sessionCredentialFromConsole`; the user agent tells it apart from the console.
        let r = rec(r#"{"userIdentity":{"type":"AssumedRole",
                "arn":"arn:aws:sts::123456789012:assumed-role/AWSReservedSSO_Admin_0123abcd/dana@example.com",
                "sessionContext":{"sessionIssuer":{"type":"Role","userName":"AWSReservedSSO_Admin_0123abcd"}}},
                "sessionCredentialFromConsole":"true",
                "userAgent":"aws-cli/2.22.4 md/awscrt#0.23.4 ua/2.0 os/linux#6.1 md/arch#x86_64 lang/python#3.12.6 md/pyimpl#CPython exec-env/CloudShell cfg/retry-mode#standard md/installer#exe md/distrib#amzn.2023 md/prompt#off md/command#eks.update-nodegroup-config",
                "sourceIPAddress":"3.94.12.7"}"#);
        assert_eq!(channel(&r), Channel::Cli);
        assert_eq!(actor(&r).person.as_deref(), Some("dana@example.com"));
    }
}

//! `aws_securityhub_account`: DescribeHub (one call). Id: the account id, as the provider's.
//!
//! Follows the provider's read: `arn`, `auto_enable_controls`, `control_finding_generator`;
//! `enable_default_standards` is create-time only (never answered): Unknown. Live, whether
//! standards run is read from the region's subscriptions (AWS lists the default standards
//! among them), not from that argument.
//!
//! A region where Security Hub is not enabled (DescribeHub answers `InvalidAccessException`)
//! is reported as one pseudo-account [`NO_HUB_ID`], AWS's own (`aws_default`: never
//! unmanaged, never drift), with `enabled = false` and no standards in its view, so that
//! HS-SH-001 fails there ("not enabled").
//!
//! CloudTrail: the hub calls name no resource (the account is the caller's): EnableSecurityHub,
//! DisableSecurityHub and UpdateSecurityHubConfiguration are declared without identifiers.

use aws_sdk_securityhub::operation::describe_hub::DescribeHubOutput;
use futures::FutureExt;

use super::not_subscribed;
use crate::aws::errors::read_error;
use crate::aws::event::{Event, W};
use crate::aws::view::*;
use crate::aws::{Ctx, FetchResult, Read, ResourceType, ViewDef};
use crate::model::{Resource, View};

const TYPES: &[&str] = &["aws_securityhub_account"];

/// The id of the pseudo-account of a region where Security Hub is not enabled.
pub const NO_HUB_ID: &str = "securityhub-not-enabled";

pub static TYPE: ResourceType = ResourceType {
    read: Some(Read { fetch: |ctx| fetch(ctx).boxed(), global: false }),
    events: &[
        Event::create("securityhub", "EnableSecurityHub", &[])
            .writing(&[W::Param("enable_default_standards", "enableDefaultStandards")]),
        Event::delete("securityhub", "DisableSecurityHub", &[]),
        Event::modify("securityhub", "UpdateSecurityHubConfiguration", &[]).writing(&[
            W::Param("auto_enable_controls", "autoEnableControls"),
            W::Param("control_finding_generator", "controlFindingGenerator"),
        ]),
    ],
    view: Some(&VIEW),
    ..ResourceType::base("aws_securityhub_account", "securityhub")
};

async fn fetch(ctx: &Ctx) -> FetchResult {
    let securityhub = ctx.client::<aws_sdk_securityhub::Client>();
    let answer = {
        let _p = ctx.permit("securityhub").await;
        securityhub.describe_hub().send().await
    };
    match answer {
        Ok(out) => Ok(vec![map(&out, &ctx.region, &ctx.account)]),
        Err(e) if not_subscribed(&e) => Ok(vec![no_hub(&ctx.region, &ctx.account)]),
        Err(e) => Err(read_error("securityhub", &ctx.region, TYPES, e)),
    }
}

/// The pseudo-account of a region without Security Hub (see the module's notes).
pub fn no_hub(region: &str, account: &str) -> Resource {
    let mut r = Resource::live("aws_securityhub_account", NO_HUB_ID, region, account, None)
        .with("id", NO_HUB_ID)
        .with("enabled", false);
    r.aws_default = true;
    r
}

/// Pure mapping from DescribeHub's answer to provider v5 attributes.
pub fn map(h: &DescribeHubOutput, region: &str, account: &str) -> Resource {
    let arn = h
        .hub_arn()
        .map(str::to_string)
        .unwrap_or_else(|| format!("arn:aws:securityhub:{region}:{account}:hub/default"));
    let mut r = Resource::live("aws_securityhub_account", account, region, account, Some(arn.clone()))
        .with("id", account)
        .with("arn", arn)
        .with("control_finding_generator", h.control_finding_generator().map(|g| g.as_str()).unwrap_or_default());
    if let Some(auto) = h.auto_enable_controls() {
        r.set("auto_enable_controls", auto);
    }
    r
}

// -- view -----------------------------------------------------------------------------------

pub static VIEW: ViewDef = ViewDef { kind: "securityhub_account", build: securityhub_accounts };

fn securityhub_accounts(rs: &[Resource], view: View) -> Vec<JoinedView> {
    let subscriptions: Vec<&Resource> =
        rs.iter().filter(|r| r.rtype == "aws_securityhub_standards_subscription").collect();
    rs.iter()
        .filter(|r| r.rtype == "aws_securityhub_account")
        .map(|r| {
            // Standards are per region: a subscription of another region does not count.
            let n = subscriptions
                .iter()
                .filter(|s| match (&r.region, &s.region) {
                    (Some(a), Some(b)) => a == b,
                    _ => true,
                })
                .count();
            securityhub(r, n, view)
        })
        .collect()
}

fn securityhub(r: &Resource, subscriptions: usize, view: View) -> JoinedView {
    let mut o = head("securityhub_account", r, view);
    // Only the pseudo-account of a region without Security Hub says false.
    let enabled = !matches!(r.attributes.get("enabled"), Some(crate::model::Value::Bool(false)));
    o.put("enabled", enabled);
    o.put("standards_subscriptions", subscriptions);
    let standards = if view == View::Live && join_is_complete("aws_securityhub_standards_subscription", view) {
        // Live, the default standards are subscriptions like any other.
        o.opt("enable_default_standards", attr(r, "enable_default_standards", view).bool(true));
        Some(enabled && subscriptions > 0)
    } else {
        let defaults = o.bool("enable_default_standards", attr(r, "enable_default_standards", view), true);
        defaults.map(|d| d || subscriptions > 0)
    };
    o.opt("standards_enabled", standards);
    joined("securityhub_account", r, o)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::aws::Written;
    use crate::aws::event::of;
    use crate::model::Value;
    use aws_sdk_securityhub::types::ControlFindingGenerator;

    fn subscription(region: &str) -> Resource {
        Resource::live("aws_securityhub_standards_subscription", "arn:sub", region, "1", None)
    }

    #[test]
    fn maps_the_hub_and_judges_its_regions_standards() {
        let h = DescribeHubOutput::builder()
            .hub_arn("arn:aws:securityhub:us-east-1:1:hub/default")
            .auto_enable_controls(true)
            .control_finding_generator(ControlFindingGenerator::SecurityControl)
            .build();
        let r = map(&h, "us-east-1", "1");
        assert_eq!(r.id, "1");
        assert_eq!(r.attr_str("control_finding_generator"), Some("SECURITY_CONTROL"));
        assert_eq!(r.attr("enable_default_standards"), &Value::Unknown);
        let with = securityhub_accounts(&[r.clone(), subscription("us-east-1")], View::Live);
        assert_eq!(with[0].value["standards_enabled"], true);
        assert_eq!(with[0].value["enabled"], true);
        // A subscription in another region does not count.
        let without = securityhub_accounts(&[r, subscription("eu-west-1")], View::Live);
        assert_eq!(without[0].value["standards_enabled"], false);
    }

    #[test]
    fn a_region_without_security_hub_is_not_enabled() {
        let r = no_hub("eu-west-1", "1");
        assert!(r.aws_default);
        let v = &securityhub_accounts(&[r], View::Live)[0].value;
        assert_eq!(v["enabled"], false);
        assert_eq!(v["standards_enabled"], false);
    }

    #[test]
    fn hub_events_name_no_resource() {
        let e = of("aws_securityhub_account", "securityhub", "UpdateSecurityHubConfiguration");
        let req = serde_json::json!({"autoEnableControls": false});
        assert!(e.identifiers(&req, &serde_json::Value::Null).is_empty());
        assert_eq!(
            e.writes(&req, &serde_json::Value::Null),
            vec![Written::Set { path: "auto_enable_controls".into(), value: Value::Bool(false) }]
        );
    }
}

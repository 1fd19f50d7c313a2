//! `aws_securityhub_standards_subscription`: GetEnabledStandards (paginated). Id: the
//! subscription ARN. A part of the region's hub (`parent`): the default standards AWS
//! subscribes when Security Hub is enabled are subscriptions no state declares, judged through
//! the hub's view, never unmanaged. Subscriptions being deleted or that failed are not
//! emitted (the provider's read treats them as gone). A region without Security Hub has none.
//!
//! CloudTrail: BatchEnableStandards answers the subscriptions
//! (`responseElements.standardsSubscriptions[].standardsSubscriptionArn`);
//! BatchDisableStandards names `standardsSubscriptionArns[]`.

use aws_sdk_securityhub::types::{StandardsStatus, StandardsSubscription};
use futures::FutureExt;

use super::not_subscribed;
use crate::aws::errors::read_error;
use crate::aws::event::Event;
use crate::aws::{Ctx, FetchResult, Read, ResourceType};
use crate::model::Resource;

const TYPES: &[&str] = &["aws_securityhub_standards_subscription"];

pub static TYPE: ResourceType = ResourceType {
    read: Some(Read { fetch: |ctx| fetch(ctx).boxed(), global: false }),
    parent: Some("aws_securityhub_account"),
    events: &[
        Event::create("securityhub", "BatchEnableStandards", &["@standardsSubscriptions[].standardsSubscriptionArn"]),
        Event::delete("securityhub", "BatchDisableStandards", &["standardsSubscriptionArns[]"]),
    ],
    part_of_views: &["securityhub_account"],
    ..ResourceType::base("aws_securityhub_standards_subscription", "securityhub")
};

async fn fetch(ctx: &Ctx) -> FetchResult {
    let securityhub = ctx.client::<aws_sdk_securityhub::Client>();
    let mut out = Vec::new();
    let mut pages = securityhub.get_enabled_standards().into_paginator().send();
    while let Some(page) = {
        let _p = ctx.permit("securityhub").await;
        pages.next().await
    } {
        match page {
            Ok(page) => out.extend(
                page.standards_subscriptions().iter().filter(|s| live(s)).map(|s| map(s, &ctx.region, &ctx.account)),
            ),
            Err(e) if not_subscribed(&e) => break,
            Err(e) => return Err(read_error("securityhub", &ctx.region, TYPES, e)),
        }
    }
    Ok(out)
}

fn live(s: &StandardsSubscription) -> bool {
    !matches!(s.standards_status(), Some(StandardsStatus::Deleting | StandardsStatus::Failed))
}

/// Pure mapping from the SDK's `StandardsSubscription` to provider v5 attributes.
pub fn map(s: &StandardsSubscription, region: &str, account: &str) -> Resource {
    let arn = s.standards_subscription_arn().unwrap_or_default();
    Resource::live("aws_securityhub_standards_subscription", arn, region, account, Some(arn.to_string()))
        .with("id", arn)
        .with("standards_arn", s.standards_arn().unwrap_or_default())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::aws::event::of;

    #[test]
    fn maps_a_subscription_and_its_events() {
        let sub = "arn:aws:securityhub:us-east-1:1:subscription/aws-foundational-security-best-practices/v/1.0.0";
        let s = StandardsSubscription::builder()
            .standards_subscription_arn(sub)
            .standards_arn("arn:aws:securityhub:us-east-1::standards/aws-foundational-security-best-practices/v/1.0.0")
            .standards_status(StandardsStatus::Ready)
            .build();
        assert!(live(&s));
        let r = map(&s, "us-east-1", "1");
        assert_eq!(r.id, sub);
        let enable = of("aws_securityhub_standards_subscription", "securityhub", "BatchEnableStandards");
        let resp = serde_json::json!({"standardsSubscriptions": [{"standardsSubscriptionArn": sub, "standardsStatus": "PENDING"}]});
        assert_eq!(enable.identifiers(&serde_json::Value::Null, &resp), vec![sub]);
        let disable = of("aws_securityhub_standards_subscription", "securityhub", "BatchDisableStandards");
        let req = serde_json::json!({"standardsSubscriptionArns": [sub]});
        assert_eq!(disable.identifiers(&req, &serde_json::Value::Null), vec![sub]);
        let deleting = StandardsSubscription::builder().standards_status(StandardsStatus::Deleting).build();
        assert!(!live(&deleting));
    }
}

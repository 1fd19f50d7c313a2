//! `aws_ebs_encryption_by_default`: GetEbsEncryptionByDefault, one setting per region.
//!
//! Every region has the setting, so it is AWS's (`aws_default`: never unmanaged) and the
//! live view always reports it (HS-EBS-002). Terraform names it with a random id; the live
//! setting is named [`SETTING_ID`] and the `region_settings` normaliser names the state's
//! the same way.
//!
//! CloudTrail's Enable/Disable events name nothing: attribution cannot tie them to the
//! setting.

use aws_sdk_ec2::operation::get_ebs_encryption_by_default::GetEbsEncryptionByDefaultOutput;
use futures::FutureExt;

use crate::aws::event::{Event, W};
use crate::aws::view::*;
use crate::aws::{Ctx, FetchResult, Read, ResourceType, ViewDef};
use crate::model::{Resource, View};

const TYPES: &[&str] = &["aws_ebs_encryption_by_default"];

/// The id of a region's setting, live and (after normalisation) in state.
pub const SETTING_ID: &str = "ebs-encryption-by-default";

pub static TYPE: ResourceType = ResourceType {
    read: Some(Read { fetch: |ctx| fetch(ctx).boxed(), global: false }),
    events: &[
        Event::modify("ec2", "EnableEbsEncryptionByDefault", &[]).writing(&[W::Const("enabled", true)]),
        Event::modify("ec2", "DisableEbsEncryptionByDefault", &[]).writing(&[W::Const("enabled", false)]),
    ],
    view: Some(&VIEW),
    ..ResourceType::base("aws_ebs_encryption_by_default", "ec2")
};

pub static VIEW: ViewDef = ViewDef {
    kind: "ebs_encryption_by_default",
    build: |rs, v| each(rs, &["aws_ebs_encryption_by_default"], v, ebs_default),
};

async fn fetch(ctx: &Ctx) -> FetchResult {
    let ec2 = ctx.client::<aws_sdk_ec2::Client>();
    let answer = {
        let _p = ctx.permit("ec2").await;
        ec2.get_ebs_encryption_by_default().send().await
    };
    let out = answer.map_err(|e| crate::aws::errors::read_error("ec2", &ctx.region, TYPES, e))?;
    Ok(vec![map(&out, &ctx.region, &ctx.account)])
}

/// Pure mapping of the region's setting.
pub fn map(out: &GetEbsEncryptionByDefaultOutput, region: &str, account: &str) -> Resource {
    let mut r = Resource::live("aws_ebs_encryption_by_default", SETTING_ID, region, account, None)
        .with("id", SETTING_ID)
        .with("enabled", out.ebs_encryption_by_default().unwrap_or(false));
    r.aws_default = true;
    r
}

fn ebs_default(r: &Resource, view: View) -> JoinedView {
    let mut o = head("ebs_encryption_by_default", r, view);
    o.bool("enabled", attr(r, "enabled", view), true);
    joined("ebs_encryption_by_default", r, o)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_regions_setting() {
        let out = GetEbsEncryptionByDefaultOutput::builder().ebs_encryption_by_default(false).build();
        let r = map(&out, "eu-west-1", "1");
        assert_eq!((r.id.as_str(), r.attr("enabled")), (SETTING_ID, &crate::model::Value::Bool(false)));
        assert!(r.aws_default);
        let views = (VIEW.build)(&[r], View::Live);
        assert_eq!(views[0].value["enabled"], false);
    }
    #[test]
    fn setting_events() {
        let e = crate::aws::event::of("aws_ebs_encryption_by_default", "ec2", "DisableEbsEncryptionByDefault");
        let req = serde_json::json!({"DisableEbsEncryptionByDefaultRequest": {}});
        assert!(e.identifiers(&req, &serde_json::json!({})).is_empty(), "names nothing");
        assert_eq!(
            e.writes(&req, &serde_json::json!({})),
            vec![crate::aws::Written::Set { path: "enabled".into(), value: crate::model::Value::Bool(false) }]
        );
    }
}

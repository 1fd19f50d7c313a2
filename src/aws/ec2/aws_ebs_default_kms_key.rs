//! `aws_ebs_default_kms_key`: GetEbsDefaultKmsKeyId, one setting per region: the key new
//! encrypted volumes use when they name none (`alias/aws/ebs`'s ARN until someone sets
//! one). AWS's (`aws_default`), read under [`SETTING_ID`]; the `region_settings` normaliser
//! names the state's (whose id is the key ARN) the same way, so a changed key is drift on
//! `key_arn`, not a missing and an unmanaged setting.

use aws_sdk_ec2::operation::get_ebs_default_kms_key_id::GetEbsDefaultKmsKeyIdOutput;
use futures::FutureExt;

use crate::aws::event::{Event, W};
use crate::aws::{Ctx, FetchResult, Read, ResourceType};
use crate::model::{Resource, Value};

const TYPES: &[&str] = &["aws_ebs_default_kms_key"];

/// The id of a region's setting, live and (after normalisation) in state.
pub const SETTING_ID: &str = "ebs-default-kms-key";

pub static TYPE: ResourceType = ResourceType {
    read: Some(Read { fetch: |ctx| fetch(ctx).boxed(), global: false }),
    events: &[
        Event::modify("ec2", "ModifyEbsDefaultKmsKeyId", &[])
            .writing(&[W::Param("key_arn", "kmsKeyId|ModifyEbsDefaultKmsKeyIdRequest.KmsKeyId")]),
        Event::modify("ec2", "ResetEbsDefaultKmsKeyId", &[]).writing(&[W::Touch("key_arn")]),
    ],
    ..ResourceType::base("aws_ebs_default_kms_key", "ec2")
};

async fn fetch(ctx: &Ctx) -> FetchResult {
    let ec2 = ctx.client::<aws_sdk_ec2::Client>();
    let answer = {
        let _p = ctx.permit("ec2").await;
        ec2.get_ebs_default_kms_key_id().send().await
    };
    let out = answer.map_err(|e| crate::aws::errors::read_error("ec2", &ctx.region, TYPES, e))?;
    Ok(vec![map(&out, &ctx.region, &ctx.account)])
}

/// Pure mapping of the region's setting.
pub fn map(out: &GetEbsDefaultKmsKeyIdOutput, region: &str, account: &str) -> Resource {
    let mut r = Resource::live("aws_ebs_default_kms_key", SETTING_ID, region, account, None)
        .with("id", SETTING_ID)
        .with("key_arn", Value::opt_str(out.kms_key_id()));
    r.aws_default = true;
    r
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_regions_key() {
        let out = GetEbsDefaultKmsKeyIdOutput::builder().kms_key_id("arn:aws:kms:us-east-1:1:key/k").build();
        let r = map(&out, "us-east-1", "1");
        assert_eq!((r.id.as_str(), r.attr_str("key_arn")), (SETTING_ID, Some("arn:aws:kms:us-east-1:1:key/k")));
        assert!(r.aws_default);
    }
}

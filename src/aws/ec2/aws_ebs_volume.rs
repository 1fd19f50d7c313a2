//! `aws_ebs_volume`: DescribeVolumes, paginated (shared with `aws_volume_attachment`), plus
//! one paginated DescribeInstances.
//!
//! Volumes that belong to an instance's lifecycle (its root volume, or any volume attached
//! with delete-on-termination, i.e. created by the launch's block device mappings) are
//! managed through `aws_instance` (`root_block_device`, `ebs_block_device`), not as
//! `aws_ebs_volume`: they are still emitted, so that an imported one can match, but flagged
//! `aws_default` so that they are never reported unmanaged. Telling them apart needs the
//! instances' block device mappings (the volume's own attachment has no root flag), hence the
//! DescribeInstances read.
//!
//! The provider (SDKv2) stores AWS's "nothing set" as zero values: `""` for `kms_key_id`,
//! `snapshot_id` and `outpost_arn`, `0` for `iops` and `throughput`, `false` for
//! `multi_attach_enabled`. The mapping writes the same zero values so that an unset
//! attribute reads the same on both sides.

use std::collections::HashSet;

use aws_sdk_ec2::types::{Instance, Volume};
use futures::FutureExt;

use crate::aws::errors::read_error;
use crate::aws::event::{Event, W};
use crate::aws::view::*;
use crate::aws::{Ctx, FetchResult, Identity, Read, ResourceType, ViewDef};
use crate::model::{Resource, Value, View};

const TYPES: &[&str] = &["aws_ebs_volume"];

pub static TYPE: ResourceType = ResourceType {
    read: Some(Read { fetch: |ctx| fetch(ctx).boxed(), global: false }),
    identity: Identity::arn("ec2", "volume/", &[]),
    events: &[
        Event::create("ec2", "CreateVolume", &["@volumeId"])
            .writing(&[W::Param("size", "size"), W::Param("type", "volumeType")]),
        Event::delete("ec2", "DeleteVolume", &["volumeId"]),
        Event::modify("ec2", "ModifyVolume", &["ModifyVolumeRequest.VolumeId", "volumeId"]).writing(&[
            W::Param("size", "ModifyVolumeRequest.Size|size"),
            W::Param("type", "ModifyVolumeRequest.VolumeType|volumeType"),
            W::Param("iops", "ModifyVolumeRequest.Iops|iops"),
            W::Param("throughput", "ModifyVolumeRequest.Throughput|throughput"),
        ]),
        super::CREATE_TAGS,
        super::DELETE_TAGS,
    ],
    view: Some(&VIEW),
    ..ResourceType::base("aws_ebs_volume", "ec2")
};

pub static VIEW: ViewDef = ViewDef { kind: "ebs_volume", build: |rs, v| each(rs, &["aws_ebs_volume"], v, ebs_volume) };

async fn fetch(ctx: &Ctx) -> FetchResult {
    let owned: HashSet<String> = instance_owned(ctx, TYPES).await?.into_iter().collect();
    Ok(describe_all(ctx, TYPES)
        .await?
        .iter()
        .map(|v| {
            let of_instance = v.volume_id().is_some_and(|id| owned.contains(id));
            map(v, of_instance, &ctx.region, &ctx.account)
        })
        .collect())
}

/// Every volume of the region, DescribeVolumes paginated (read once per scan and region,
/// shared with `aws_volume_attachment`; errors are reported against `types`, the caller's).
pub(crate) async fn describe_all(ctx: &Ctx, types: &[&str]) -> Result<Vec<Volume>, crate::model::ReadError> {
    let cached: Result<Vec<Volume>, crate::model::ReadError> = ctx
        .once("ec2:DescribeVolumes", || async {
            let ec2 = ctx.client::<aws_sdk_ec2::Client>();
            let mut out = Vec::new();
            super::pages!(ctx, types, ec2.describe_volumes().max_results(500), |page| out
                .extend(page.volumes().iter().cloned()));
            Ok(out)
        })
        .await;
    crate::aws::client::for_caller(&cached, types)
}

/// Ids of the volumes whose lifecycle is an instance's (see [`instance_owned_volumes`]),
/// from one paginated DescribeInstances read once per scan and region, shared with
/// `aws_volume_attachment` (errors are reported against `types`, the caller's).
pub(crate) async fn instance_owned(ctx: &Ctx, types: &[&str]) -> Result<Vec<String>, crate::model::ReadError> {
    let cached: Result<Vec<String>, crate::model::ReadError> = ctx
        .once("ec2:DescribeInstances:owned-volumes", || async {
            let ec2 = ctx.client::<aws_sdk_ec2::Client>();
            let mut out = Vec::new();
            let mut pages = ec2.describe_instances().max_results(1000).into_paginator().send();
            while let Some(page) = {
                let _p = ctx.permit("ec2").await;
                pages.next().await
            } {
                let page = page.map_err(|e| read_error("ec2", &ctx.region, types, e))?;
                for i in page.reservations().iter().flat_map(|r| r.instances()) {
                    out.extend(instance_owned_volumes(i).into_iter().map(str::to_string));
                }
            }
            Ok(out)
        })
        .await;
    crate::aws::client::for_caller(&cached, types)
}

/// Volumes whose lifecycle is the instance's: the root device's volume, and every volume
/// mapped with delete-on-termination.
pub fn instance_owned_volumes(i: &Instance) -> Vec<&str> {
    i.block_device_mappings()
        .iter()
        .filter_map(|b| {
            let ebs = b.ebs()?;
            let root = b.device_name().is_some() && b.device_name() == i.root_device_name();
            (root || ebs.delete_on_termination() == Some(true)).then_some(ebs.volume_id()).flatten()
        })
        .collect()
}

/// Pure mapping from the SDK's `Volume` to provider v5 attributes. `of_instance`: the
/// volume belongs to an instance's lifecycle (see the module docs).
pub fn map(v: &Volume, of_instance: bool, region: &str, account: &str) -> Resource {
    let id = v.volume_id().unwrap_or_default();
    // The provider builds the ARN from the caller's account; a volume is always owned by the
    // account that can describe it unless shared, which EBS volumes cannot be.
    let arn = format!("arn:aws:ec2:{region}:{}:volume/{id}", v.owner_id().unwrap_or(account));
    let mut r = Resource::live("aws_ebs_volume", id, region, account, Some(arn.clone()))
        .with("id", id)
        .with("arn", arn)
        .with("availability_zone", Value::opt_str(v.availability_zone()))
        .with("size", Value::int(v.size().unwrap_or(0).into()))
        .with("type", Value::opt_str(v.volume_type().map(|t| t.as_str())))
        .with("iops", Value::int(v.iops().unwrap_or(0).into()))
        .with("throughput", Value::int(v.throughput().unwrap_or(0).into()))
        .with("encrypted", v.encrypted().unwrap_or(false))
        .with("kms_key_id", v.kms_key_id().unwrap_or_default())
        .with("snapshot_id", v.snapshot_id().unwrap_or_default())
        .with("multi_attach_enabled", v.multi_attach_enabled().unwrap_or(false))
        .with("outpost_arn", v.outpost_arn().unwrap_or_default())
        .with("tags", crate::aws::tags::ec2(v.tags()));
    r.aws_default = of_instance;
    r
}

fn ebs_volume(r: &Resource, view: View) -> JoinedView {
    let a = |k: &str| attr(r, k, view);
    let mut o = head("ebs_volume", r, view);
    let _ = o.string("availability_zone", a("availability_zone"), None);
    o.int("size", a("size"), None);
    let _ = o.string("volume_type", a("type"), Some("gp2"));
    let snapshot = o.string("snapshot_id", a("snapshot_id"), None);
    // Omitted: a volume from a snapshot inherits its encryption; otherwise the account's
    // EBS default decides, which the baseline treats as not encrypted.
    match (a("encrypted"), snapshot) {
        (F::Default, Ok(Some(_)) | Err(())) => {
            o.unknown("encrypted");
        }
        (f, _) => {
            o.bool("encrypted", f, false);
        }
    }
    let _ = o.string("kms_key_id", a("kms_key_id"), None);
    o.bool("multi_attach_enabled", a("multi_attach_enabled"), false);
    joined("ebs_volume", r, o)
}

#[cfg(test)]
mod tests {
    use super::*;
    use aws_sdk_ec2::types::{EbsInstanceBlockDevice, InstanceBlockDeviceMapping, Tag, VolumeType};

    #[test]
    fn maps_a_gp3_volume() {
        let v = Volume::builder()
            .volume_id("vol-1")
            .availability_zone("us-east-1a")
            .size(50)
            .volume_type(VolumeType::Gp3)
            .iops(4000)
            .throughput(250)
            .encrypted(true)
            .kms_key_id("arn:aws:kms:us-east-1:123456789012:key/k")
            .multi_attach_enabled(false)
            .tags(Tag::builder().key("Name").value("data").build())
            .tags(Tag::builder().key("aws:backup:source").value("x").build())
            .build();
        let r = map(&v, false, "us-east-1", "123456789012");
        assert_eq!(r.id, "vol-1");
        assert_eq!(r.attr_str("arn"), Some("arn:aws:ec2:us-east-1:123456789012:volume/vol-1"));
        assert_eq!(r.attr("size"), &Value::int(50));
        assert_eq!(r.attr_str("type"), Some("gp3"));
        assert_eq!(r.attr("iops"), &Value::int(4000));
        assert_eq!(r.attr("throughput"), &Value::int(250));
        assert_eq!(r.attr("encrypted"), &Value::Bool(true));
        assert_eq!(r.attr_str("snapshot_id"), Some(""));
        assert_eq!(r.attr("tags"), &Value::string_map([("Name", "data")]));
        assert!(!r.aws_default);
    }

    #[test]
    fn unset_numbers_read_as_the_provider_stores_them() {
        let v = Volume::builder().volume_id("vol-2").volume_type(VolumeType::Gp2).size(8).build();
        let r = map(&v, false, "us-east-1", "123456789012");
        assert_eq!(r.attr("iops"), &Value::int(0));
        assert_eq!(r.attr("throughput"), &Value::int(0));
        assert_eq!(r.attr("multi_attach_enabled"), &Value::Bool(false));
        assert_eq!(r.attr_str("kms_key_id"), Some(""));
        assert_eq!(r.attr("tags"), &Value::Map(Default::default()));
    }

    #[test]
    fn instance_volumes_are_flagged() {
        let bdm = |dev: &str, vol: &str, dot: bool| {
            InstanceBlockDeviceMapping::builder()
                .device_name(dev)
                .ebs(EbsInstanceBlockDevice::builder().volume_id(vol).delete_on_termination(dot).build())
                .build()
        };
        let i = Instance::builder()
            .root_device_name("/dev/xvda")
            .block_device_mappings(bdm("/dev/xvda", "vol-root", false))
            .block_device_mappings(bdm("/dev/sdb", "vol-launch", true))
            .block_device_mappings(bdm("/dev/sdf", "vol-attached", false))
            .build();
        assert_eq!(instance_owned_volumes(&i), ["vol-root", "vol-launch"]);
        let v = Volume::builder().volume_id("vol-root").build();
        assert!(map(&v, true, "us-east-1", "123456789012").aws_default);
    }
}

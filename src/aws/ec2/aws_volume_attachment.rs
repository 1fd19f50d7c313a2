//! `aws_volume_attachment`: the attachments of the shared DescribeVolumes read (states
//! `attaching`, `attached`, `busy`; a detached one is gone), id `vai-<crc32 of
//! "device-instance-volume-">` as the provider writes it.
//!
//! Attachments an instance's launch made (its root volume and the volumes of its block
//! device mappings, attached with delete-on-termination) are the instance's
//! (`ebs_block_device`, `root_block_device`): emitted so that an imported one still joins,
//! but AWS's as far as unmanaged goes. `AttachVolume` always attaches without
//! delete-on-termination, so a volume attached by hand is an unmanaged attachment.
//!
//! `force_detach`, `skip_destroy`, `stop_instance_before_detaching` only steer Terraform's
//! own delete: left Unknown.

use aws_sdk_ec2::types::{Volume, VolumeAttachmentState};
use futures::FutureExt;

use super::aws_ebs_volume;
use crate::aws::event::Event;
use crate::aws::{Ctx, FetchResult, Identity, Read, ResourceType};
use crate::model::Resource;

const TYPES: &[&str] = &["aws_volume_attachment"];

pub static TYPE: ResourceType = ResourceType {
    read: Some(Read { fetch: |ctx| fetch(ctx).boxed(), global: false }),
    identity: Identity { names: &["volume_id", "instance_id"], ..Identity::NONE },
    events: &[
        Event::create("ec2", "AttachVolume", &["volumeId", "instanceId"]),
        Event::delete("ec2", "DetachVolume", &["volumeId", "instanceId"]),
    ],
    ..ResourceType::base("aws_volume_attachment", "ec2")
};

async fn fetch(ctx: &Ctx) -> FetchResult {
    let owned: std::collections::HashSet<String> =
        aws_ebs_volume::instance_owned(ctx, TYPES).await?.into_iter().collect();
    let volumes = aws_ebs_volume::describe_all(ctx, TYPES).await?;
    Ok(volumes
        .iter()
        .flat_map(|v| {
            let of_instance = v.volume_id().is_some_and(|id| owned.contains(id));
            map(v, of_instance, &ctx.region, &ctx.account)
        })
        .collect())
}

/// The provider's id of an attachment.
pub fn attachment_id(device: &str, instance_id: &str, volume_id: &str) -> String {
    format!("vai-{}", super::string_hashcode(&format!("{device}-{instance_id}-{volume_id}-")))
}

/// Every current attachment of a volume. `of_instance`: the volume belongs to an instance's
/// lifecycle (its root volume, or mapped with delete-on-termination at launch): its
/// attachment is the instance's, never unmanaged.
pub fn map(v: &Volume, of_instance: bool, region: &str, account: &str) -> Vec<Resource> {
    let volume = v.volume_id().unwrap_or_default();
    v.attachments()
        .iter()
        .filter(|a| {
            matches!(
                a.state(),
                Some(VolumeAttachmentState::Attaching | VolumeAttachmentState::Attached | VolumeAttachmentState::Busy)
            )
        })
        .filter_map(|a| {
            let (device, instance) = (a.device()?, a.instance_id()?);
            let id = attachment_id(device, instance, volume);
            let mut r = Resource::live("aws_volume_attachment", &id, region, account, None)
                .with("id", id.as_str())
                .with("device_name", device)
                .with("instance_id", instance)
                .with("volume_id", volume);
            r.aws_default = of_instance || a.delete_on_termination() == Some(true);
            Some(r)
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use aws_sdk_ec2::types::VolumeAttachment;
    use serde_json::json;

    #[test]
    fn ids_as_the_provider_writes_them() {
        // From a state written by provider 5.100.0.
        assert_eq!(attachment_id("/dev/sdh", "i-6f565deb1b8a1a6eb", "vol-1e4f2df849d842bad"), "vai-3781231177");
    }

    #[test]
    fn launch_attachments_are_the_instances() {
        let v = Volume::builder()
            .volume_id("vol-1")
            .attachments(
                VolumeAttachment::builder()
                    .device("/dev/sdh")
                    .instance_id("i-1")
                    .state(VolumeAttachmentState::Attached)
                    .delete_on_termination(false)
                    .build(),
            )
            .attachments(
                VolumeAttachment::builder()
                    .device("/dev/sdz")
                    .instance_id("i-2")
                    .state(VolumeAttachmentState::Detached)
                    .build(),
            )
            .build();
        let rs = map(&v, false, "us-east-1", "1");
        assert_eq!(rs.len(), 1);
        assert_eq!(rs[0].attr_str("device_name"), Some("/dev/sdh"));
        assert!(!rs[0].aws_default);
        let root = Volume::builder()
            .volume_id("vol-2")
            .attachments(
                VolumeAttachment::builder()
                    .device("/dev/xvda")
                    .instance_id("i-1")
                    .state(VolumeAttachmentState::Attached)
                    .delete_on_termination(true)
                    .build(),
            )
            .build();
        assert!(map(&root, false, "us-east-1", "1")[0].aws_default);
        // A root volume kept on termination is still the instance's (its block device mapping).
        assert!(map(&v, true, "us-east-1", "1")[0].aws_default);
    }

    #[test]
    fn attachment_events() {
        let e = crate::aws::event::of("aws_volume_attachment", "ec2", "AttachVolume");
        let req = json!({"volumeId": "vol-1", "instanceId": "i-1", "device": "/dev/sdh"});
        assert_eq!(e.identifiers(&req, &json!({})), vec!["vol-1", "i-1"]);
    }
}

//! EC2: instances, volumes, VPCs, subnets, security groups and their rules, launch
//! templates.

mod aws_default_security_group;
mod aws_ebs_encryption_by_default;
mod aws_ebs_volume;
mod aws_flow_log;
mod aws_instance;
mod aws_launch_template;
mod aws_security_group;
mod aws_security_group_rule;
mod aws_subnet;
mod aws_vpc;
mod aws_vpc_security_group_rules;

use serde_json::Value as J;

use super::Service;
use super::event::{Event, W};
use super::view::{F, Obj};

crate::sdk_client!(aws_sdk_ec2);

pub static SERVICE: Service = Service {
    name: "ec2",
    concurrency: 8,
    types: &[
        &aws_instance::TYPE,
        &aws_ebs_volume::TYPE,
        &aws_vpc::TYPE,
        &aws_subnet::TYPE,
        &aws_security_group::TYPE,
        &aws_default_security_group::TYPE,
        &aws_security_group_rule::TYPE,
        &aws_vpc_security_group_rules::INGRESS,
        &aws_vpc_security_group_rules::EGRESS,
        &aws_launch_template::TYPE,
        &aws_ebs_encryption_by_default::TYPE,
        &aws_flow_log::TYPE,
    ],
};

/// Tags on any EC2 resource; one call can tag several.
pub(crate) const CREATE_TAGS: Event = Event::modify("ec2", "CreateTags", &["resourcesSet.items[].resourceId"])
    .writing(&[W::Tags { items: "tagSet.items[]", key: "key", value: "value" }]);
pub(crate) const DELETE_TAGS: Event = Event::modify("ec2", "DeleteTags", &["resourcesSet.items[].resourceId"])
    .writing(&[W::Untags { items: "tagSet.items[]", key: "key" }]);

/// Instance metadata service settings (instances and launch templates share the block).
pub(crate) fn metadata_options(md: F) -> J {
    let mut m = Obj::default();
    let tokens = m.string("http_tokens", md.field("http_tokens"), Some("optional"));
    let endpoint = m.string("http_endpoint", md.field("http_endpoint"), Some("enabled"));
    m.int("http_put_response_hop_limit", md.field("http_put_response_hop_limit"), Some(1));
    let v2 = match (tokens, endpoint) {
        (Ok(t), Ok(e)) => Some(t.as_deref() == Some("required") || e.as_deref() == Some("disabled")),
        (Ok(t), _) if t.as_deref() == Some("required") => Some(true),
        (_, Ok(e)) if e.as_deref() == Some("disabled") => Some(true),
        _ => None,
    };
    m.opt("imdsv2_required", v2);
    m.finish()
}

pub(crate) fn block_device(f: F) -> J {
    let mut d = Obj::default();
    let _ = d.string("device_name", f.field("device_name"), None);
    // An omitted root block device follows the AMI and the account's EBS default; the
    // baseline treats that as not encrypted.
    d.bool("encrypted", f.field("encrypted"), false);
    let _ = d.string("kms_key_id", f.field("kms_key_id"), None);
    let _ = d.string("volume_type", f.field("volume_type"), None);
    d.int("volume_size", f.field("volume_size"), None);
    d.finish()
}

/// The provider's `name_prefix` for a name it generated from a prefix (`create.NamePrefixFromName`):
/// the name without its 26-hex-digit unique suffix, `""` when it has none.
pub(crate) fn name_prefix(name: &str) -> &str {
    const UNIQUE_SUFFIX: usize = 26;
    let cut = name.len().saturating_sub(UNIQUE_SUFFIX);
    match (name.get(..cut), name.get(cut..)) {
        (Some(prefix), Some(suffix))
            if cut > 0 && suffix.len() == UNIQUE_SUFFIX && suffix.bytes().all(|b| b.is_ascii_hexdigit()) =>
        {
            prefix
        }
        _ => "",
    }
}

/// `8-4-4-4-12` hex digits (the names AWS gives what it creates: `eks-<uuid>`).
pub(crate) fn is_uuid(s: &str) -> bool {
    let parts: Vec<&str> = s.split('-').collect();
    parts.len() == 5
        && parts.iter().zip([8, 4, 4, 4, 12]).all(|(p, n)| p.len() == n && p.bytes().all(|b| b.is_ascii_hexdigit()))
}

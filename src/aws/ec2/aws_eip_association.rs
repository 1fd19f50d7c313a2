//! `aws_eip_association`: one per associated address of the shared DescribeAddresses read,
//! identified by its association id. Part of its address: an address associated by hand is
//! drift on the `aws_eip` (its `instance` / `network_interface`), not a second, unmanaged
//! resource; an association made by a NAT gateway is the gateway's.

use aws_sdk_ec2::types::Address;
use futures::FutureExt;

use super::aws_eip;
use crate::aws::event::{Event, W};
use crate::aws::{Ctx, FetchResult, Identity, Read, ResourceType};
use crate::model::{Resource, Value};

const TYPES: &[&str] = &["aws_eip_association"];

pub static TYPE: ResourceType = ResourceType {
    read: Some(Read { fetch: |ctx| fetch(ctx).boxed(), global: false }),
    identity: Identity { names: &["public_ip"], parent_attr: Some("allocation_id"), ..Identity::NONE },
    parent: Some("aws_eip"),
    events: &[
        Event::create("ec2", "AssociateAddress", &["@associationId", "allocationId"])
            .writing(&[W::Param("instance_id", "instanceId"), W::Param("network_interface_id", "networkInterfaceId")])
            .via_parent(),
        Event::delete("ec2", "DisassociateAddress", &["associationId"]),
        Event::delete("ec2", "ReleaseAddress", &["allocationId"]).via_parent(),
    ],
    part_of_views: &["ec2_instance"],
    ..ResourceType::base("aws_eip_association", "ec2")
};

async fn fetch(ctx: &Ctx) -> FetchResult {
    let addresses = aws_eip::describe_all(ctx, TYPES).await?;
    Ok(addresses.iter().filter_map(|a| map(a, &ctx.region, &ctx.account)).collect())
}

/// The address's association, if it has one.
pub fn map(a: &Address, region: &str, account: &str) -> Option<Resource> {
    let id = a.association_id()?;
    let s = |v: Option<&str>| Value::str(v.unwrap_or_default());
    Some(
        Resource::live("aws_eip_association", id, region, account, None)
            .with("id", id)
            .with("allocation_id", s(a.allocation_id()))
            .with("instance_id", s(a.instance_id()))
            .with("network_interface_id", s(a.network_interface_id()))
            .with("private_ip_address", s(a.private_ip_address()))
            .with("public_ip", s(a.public_ip())),
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn associations_of_associated_addresses() {
        let a = Address::builder()
            .allocation_id("eipalloc-1")
            .association_id("eipassoc-1")
            .instance_id("i-1")
            .network_interface_id("eni-1")
            .private_ip_address("10.0.0.4")
            .public_ip("54.0.0.1")
            .build();
        let r = map(&a, "us-east-1", "123456789012").unwrap();
        assert_eq!((r.id.as_str(), r.attr_str("instance_id")), ("eipassoc-1", Some("i-1")));
        assert!(map(&Address::builder().allocation_id("eipalloc-2").build(), "us-east-1", "1").is_none());
    }
    #[test]
    fn association_events() {
        use serde_json::json;
        let e = crate::aws::event::of("aws_eip_association", "ec2", "AssociateAddress");
        let req = json!({"allocationId": "eipalloc-1", "instanceId": "i-1", "allowReassociation": false});
        let resp = json!({"associationId": "eipassoc-1"});
        assert_eq!(e.identifiers(&req, &resp), vec!["eipassoc-1", "eipalloc-1"]);
        let d = crate::aws::event::of("aws_eip_association", "ec2", "DisassociateAddress");
        assert_eq!(d.identifiers(&json!({"associationId": "eipassoc-1"}), &json!({})), vec!["eipassoc-1"]);
    }
}

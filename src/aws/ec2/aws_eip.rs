//! `aws_eip`: DescribeAddresses (one call: the API has no pages), read once per region and
//! shared with `aws_eip_association`. The id is the allocation id (the public IP for an
//! EC2-Classic address); absent strings are `""`, as the provider stores them.
//!
//! Left Unknown: `ptr_record` (DescribeAddressesAttribute per address; computed only),
//! `private_dns` and `public_dns` (derived by the provider; computed only), and the
//! configuration-only `address`, `associate_with_private_ip` and `ipam_pool_id`.
//!
//! The association fields (`instance`, `network_interface`, `private_ip`,
//! `association_id`) of an address an `aws_eip_association` or an `aws_nat_gateway` in state
//! associates belong to that resource: the `eip_associations` normaliser stops them from
//! being judged on the address as well.

use aws_sdk_ec2::types::{Address, DomainType};
use futures::FutureExt;

use crate::aws::event::{Event, W};
use crate::aws::{Ctx, FetchResult, Identity, Read, ResourceType};
use crate::model::{ReadError, Resource, Value};

const TYPES: &[&str] = &["aws_eip"];

pub static TYPE: ResourceType = ResourceType {
    read: Some(Read { fetch: |ctx| fetch(ctx).boxed(), global: false }),
    identity: Identity { names: &["public_ip", "association_id"], ..Identity::arn("ec2", "elastic-ip/", &[]) },
    events: &[
        Event::create("ec2", "AllocateAddress", &["@allocationId"]).writing(&[W::Param("domain", "domain")]),
        Event::delete("ec2", "ReleaseAddress", &["allocationId", "publicIp"]),
        Event::modify("ec2", "AssociateAddress", &["allocationId", "publicIp"])
            .writing(&[W::Param("instance", "instanceId"), W::Param("network_interface", "networkInterfaceId")]),
        Event::modify("ec2", "DisassociateAddress", &["associationId", "publicIp"])
            .writing(&[W::Touch("instance"), W::Touch("network_interface")]),
        super::CREATE_TAGS,
        super::DELETE_TAGS,
    ],
    part_of_views: &["ec2_instance"],
    ..ResourceType::base("aws_eip", "ec2")
};

async fn fetch(ctx: &Ctx) -> FetchResult {
    let addresses = describe_all(ctx, TYPES).await?;
    Ok(addresses.iter().map(|a| map(a, &ctx.region, &ctx.account)).collect())
}

/// Every Elastic IP address of the region (read once per scan and region; errors are
/// reported against `types`, the caller's).
pub(crate) async fn describe_all(ctx: &Ctx, types: &[&str]) -> Result<Vec<Address>, ReadError> {
    let cached: Result<Vec<Address>, ReadError> = ctx
        .once("ec2:DescribeAddresses", || async {
            let ec2 = ctx.client::<aws_sdk_ec2::Client>();
            let answer = {
                let _p = ctx.permit("ec2").await;
                ec2.describe_addresses().send().await
            };
            let out = answer.map_err(|e| crate::aws::errors::read_error("ec2", &ctx.region, types, e))?;
            Ok(out.addresses().to_vec())
        })
        .await;
    crate::aws::client::for_caller(&cached, types)
}

/// Pure mapping from the SDK's `Address` to provider v5 attributes.
pub fn map(a: &Address, region: &str, account: &str) -> Resource {
    let vpc = a.domain() != Some(&DomainType::Standard);
    let id = match (vpc, a.allocation_id()) {
        (true, Some(alloc)) => alloc,
        _ => a.public_ip().unwrap_or_default(),
    };
    let arn = format!("arn:aws:ec2:{region}:{account}:elastic-ip/{id}");
    let s = |v: Option<&str>| Value::str(v.unwrap_or_default());
    Resource::live("aws_eip", id, region, account, Some(arn.clone()))
        .with("id", id)
        .with("arn", arn)
        .with("allocation_id", s(a.allocation_id()))
        .with("association_id", s(a.association_id()))
        .with("domain", s(a.domain().map(|d| d.as_str())))
        .with("vpc", vpc)
        .with("instance", s(a.instance_id()))
        .with("network_interface", s(a.network_interface_id()))
        .with("private_ip", s(a.private_ip_address()))
        .with("public_ip", s(a.public_ip()))
        .with("public_ipv4_pool", s(a.public_ipv4_pool()))
        .with("network_border_group", s(a.network_border_group()))
        .with("customer_owned_ip", s(a.customer_owned_ip()))
        .with("customer_owned_ipv4_pool", s(a.customer_owned_ipv4_pool()))
        .with("carrier_ip", s(a.carrier_ip()))
        .with("tags", crate::aws::tags::ec2(a.tags()))
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn associated_and_free_addresses() {
        let a = Address::builder()
            .allocation_id("eipalloc-1")
            .association_id("eipassoc-1")
            .domain(DomainType::Vpc)
            .instance_id("i-1")
            .network_interface_id("eni-1")
            .private_ip_address("10.0.0.4")
            .public_ip("54.0.0.1")
            .build();
        let r = map(&a, "us-east-1", "123456789012");
        assert_eq!(r.id, "eipalloc-1");
        assert_eq!(r.attr_str("arn"), Some("arn:aws:ec2:us-east-1:123456789012:elastic-ip/eipalloc-1"));
        assert_eq!(r.attr_str("instance"), Some("i-1"));
        assert_eq!(r.attr("vpc"), &Value::Bool(true));
        let free = Address::builder().allocation_id("eipalloc-2").domain(DomainType::Vpc).public_ip("54.0.0.2").build();
        let r = map(&free, "us-east-1", "123456789012");
        assert_eq!((r.attr_str("instance"), r.attr_str("association_id")), (Some(""), Some("")));
        let e = crate::aws::event::of("aws_eip", "ec2", "AssociateAddress");
        let req = json!({"allocationId": "eipalloc-1", "instanceId": "i-9", "allowReassociation": false});
        assert_eq!(e.identifiers(&req, &serde_json::Value::Null), vec!["eipalloc-1"]);
        assert!(
            e.writes(&req, &serde_json::Value::Null)
                .contains(&crate::aws::Written::Set { path: "instance".into(), value: "i-9".into() })
        );
    }
}

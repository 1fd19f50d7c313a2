//! `aws_network_interface`: DescribeNetworkInterfaces, paginated. Private IPs, prefixes and
//! IPv6 addresses as the provider's read lists them (`private_ips` every address,
//! `private_ip_list` primary first, `private_ips_count` the secondaries); `attachment` the
//! one attachment, when attached.
//!
//! Interfaces AWS makes for something else are AWS's (`aws_default`, never unmanaged): those
//! a service manages (`RequesterManaged`: NAT gateways, endpoints, load balancers, Lambda),
//! those of a type other than `interface`, and the primary interface an instance launched
//! with (device 0, deleted with the instance). One Terraform manages is judged as usual.
//!
//! Left Unknown: `ipv6_address_list_enabled` and `private_ip_list_enabled` (configuration
//! switches), `enable_primary_ipv6` (needs the configuration's intent).

use aws_sdk_ec2::types::{NetworkInterface, NetworkInterfaceType};
use futures::FutureExt;

use crate::aws::event::{Event, W};
use crate::aws::{Ctx, FetchResult, Identity, Read, ResourceType};
use crate::model::{Resource, Value};

const TYPES: &[&str] = &["aws_network_interface"];

pub static TYPE: ResourceType = ResourceType {
    read: Some(Read { fetch: |ctx| fetch(ctx).boxed(), global: false }),
    identity: Identity::arn("ec2", "network-interface/", &[]),
    events: &[
        Event::create("ec2", "CreateNetworkInterface", &["@networkInterface.networkInterfaceId"])
            .writing(&[W::Param("subnet_id", "subnetId"), W::Param("description", "description")]),
        Event::delete("ec2", "DeleteNetworkInterface", &["networkInterfaceId"]),
        Event::modify("ec2", "ModifyNetworkInterfaceAttribute", &["networkInterfaceId"]).writing(&[
            W::Ec2Attr("description", "description"),
            W::Ec2Attr("source_dest_check", "sourceDestCheck"),
            W::List("security_groups", "groupSet.items[].groupId"),
        ]),
        Event::modify("ec2", "AttachNetworkInterface", &["networkInterfaceId"]).writing(&[W::Touch("attachment")]),
        Event::modify("ec2", "DetachNetworkInterface", &["networkInterfaceId"]).writing(&[W::Touch("attachment")]),
        Event::modify("ec2", "AssignPrivateIpAddresses", &["networkInterfaceId"]).writing(&[W::Touch("private_ips")]),
        Event::modify("ec2", "UnassignPrivateIpAddresses", &["networkInterfaceId"]).writing(&[W::Touch("private_ips")]),
        super::CREATE_TAGS,
        super::DELETE_TAGS,
    ],
    ..ResourceType::base("aws_network_interface", "ec2")
};

async fn fetch(ctx: &Ctx) -> FetchResult {
    let ec2 = ctx.client::<aws_sdk_ec2::Client>();
    let mut out = Vec::new();
    super::pages!(ctx, TYPES, ec2.describe_network_interfaces().max_results(1000), |page| out
        .extend(page.network_interfaces().iter().map(|n| map(n, &ctx.region, &ctx.account))));
    Ok(out)
}

/// Did AWS make the interface for something else?
fn made_by_aws(n: &NetworkInterface) -> bool {
    let primary_of_instance = n.attachment().is_some_and(|a| {
        a.device_index() == Some(0) && a.instance_id().is_some() && a.delete_on_termination().unwrap_or(false)
    });
    n.requester_managed().unwrap_or(false)
        || n.interface_type().is_some_and(|t| *t != NetworkInterfaceType::Interface)
        || primary_of_instance
}

/// Pure mapping from the SDK's `NetworkInterface` to provider v5 attributes.
pub fn map(n: &NetworkInterface, region: &str, account: &str) -> Resource {
    let id = n.network_interface_id().unwrap_or_default();
    let owner = n.owner_id().unwrap_or(account);
    let arn = format!("arn:aws:ec2:{region}:{owner}:network-interface/{id}");
    let primary = n.private_ip_address().unwrap_or_default();
    let all: Vec<&str> = n.private_ip_addresses().iter().filter_map(|p| p.private_ip_address()).collect();
    let mut ordered: Vec<&str> = vec![primary];
    ordered.extend(all.iter().copied().filter(|ip| *ip != primary));
    let mut sorted = all.clone();
    sorted.sort_unstable();
    let v4_prefixes: Vec<&str> = n.ipv4_prefixes().iter().filter_map(|p| p.ipv4_prefix()).collect();
    let v6_prefixes: Vec<&str> = n.ipv6_prefixes().iter().filter_map(|p| p.ipv6_prefix()).collect();
    let v6: Vec<&str> = n.ipv6_addresses().iter().filter_map(|a| a.ipv6_address()).collect();
    let mut groups: Vec<&str> = n.groups().iter().filter_map(|g| g.group_id()).collect();
    groups.sort_unstable();
    let attachment = match n.attachment() {
        Some(a) if a.attachment_id().is_some() => Value::List(vec![Value::object([
            ("attachment_id", Value::opt_str(a.attachment_id())),
            ("device_index", Value::int(a.device_index().unwrap_or(0).into())),
            ("instance", Value::str(a.instance_id().unwrap_or_default())),
            ("network_card_index", Value::int(a.network_card_index().unwrap_or(0).into())),
        ])]),
        _ => Value::List(Vec::new()),
    };
    let mut r = Resource::live("aws_network_interface", id, region, account, Some(arn.clone()))
        .with("id", id)
        .with("arn", arn)
        .with("owner_id", Value::opt_str(n.owner_id()))
        .with("subnet_id", Value::opt_str(n.subnet_id()))
        .with("description", Value::str(n.description().unwrap_or_default()))
        .with("interface_type", Value::str(n.interface_type().map(|t| t.as_str()).unwrap_or_default()))
        .with("mac_address", Value::opt_str(n.mac_address()))
        .with("outpost_arn", Value::str(n.outpost_arn().unwrap_or_default()))
        .with("private_dns_name", Value::opt_str(n.private_dns_name()))
        .with("private_ip", primary)
        .with("private_ips", Value::string_list(sorted))
        .with("private_ip_list", Value::string_list(ordered))
        .with("private_ips_count", Value::int(all.len().saturating_sub(1) as i64))
        .with("ipv4_prefixes", Value::string_list(v4_prefixes.iter().copied()))
        .with("ipv4_prefix_count", Value::int(v4_prefixes.len() as i64))
        .with("ipv6_prefixes", Value::string_list(v6_prefixes.iter().copied()))
        .with("ipv6_prefix_count", Value::int(v6_prefixes.len() as i64))
        .with("ipv6_addresses", Value::string_list(v6.iter().copied()))
        .with("ipv6_address_list", Value::string_list(v6.iter().copied()))
        .with("ipv6_address_count", Value::int(v6.len() as i64))
        .with("security_groups", Value::string_list(groups))
        .with("attachment", attachment)
        .with("tags", crate::aws::tags::ec2(n.tag_set()));
    if let Some(c) = n.source_dest_check() {
        r.set("source_dest_check", c);
    }
    r.aws_default = made_by_aws(n);
    r
}

#[cfg(test)]
mod tests {
    use super::*;
    use aws_sdk_ec2::types::{GroupIdentifier, NetworkInterfaceAttachment, NetworkInterfacePrivateIpAddress};

    #[test]
    fn an_appliance_interface() {
        let n = NetworkInterface::builder()
            .network_interface_id("eni-1")
            .subnet_id("subnet-1")
            .interface_type(NetworkInterfaceType::Interface)
            .description("appliance")
            .private_ip_address("10.0.0.50")
            .private_ip_addresses(NetworkInterfacePrivateIpAddress::builder().private_ip_address("10.0.0.51").build())
            .private_ip_addresses(
                NetworkInterfacePrivateIpAddress::builder().private_ip_address("10.0.0.50").primary(true).build(),
            )
            .groups(GroupIdentifier::builder().group_id("sg-1").build())
            .source_dest_check(false)
            .requester_managed(false)
            .build();
        let r = map(&n, "us-east-1", "123456789012");
        assert_eq!(r.attr("private_ips"), &Value::string_list(["10.0.0.50", "10.0.0.51"]));
        assert_eq!(r.attr("private_ip_list"), &Value::string_list(["10.0.0.50", "10.0.0.51"]));
        assert_eq!(r.attr("private_ips_count"), &Value::int(1));
        assert_eq!(r.attr("security_groups"), &Value::string_list(["sg-1"]));
        assert_eq!(r.attr("source_dest_check"), &Value::Bool(false));
        assert_eq!(r.attr("attachment"), &Value::List(vec![]));
        assert!(!r.aws_default);
    }

    #[test]
    fn interfaces_aws_makes_are_awss() {
        let nat = NetworkInterface::builder()
            .network_interface_id("eni-2")
            .interface_type(NetworkInterfaceType::NatGateway)
            .requester_managed(true)
            .build();
        assert!(map(&nat, "us-east-1", "1").aws_default);
        let primary = NetworkInterface::builder()
            .network_interface_id("eni-3")
            .interface_type(NetworkInterfaceType::Interface)
            .attachment(
                NetworkInterfaceAttachment::builder()
                    .attachment_id("eni-attach-1")
                    .device_index(0)
                    .instance_id("i-1")
                    .delete_on_termination(true)
                    .build(),
            )
            .build();
        let r = map(&primary, "us-east-1", "1");
        assert!(r.aws_default);
        assert_eq!(r.attr("attachment").as_list().unwrap()[0].get("instance"), Some(&Value::str("i-1")));
    }
    #[test]
    fn interface_events() {
        use serde_json::json;
        let m = crate::aws::event::of("aws_network_interface", "ec2", "ModifyNetworkInterfaceAttribute");
        let req = json!({"networkInterfaceId": "eni-1", "sourceDestCheck": {"value": true}});
        assert_eq!(m.identifiers(&req, &json!({})), vec!["eni-1"]);
        assert_eq!(
            m.writes(&req, &json!({})),
            vec![crate::aws::Written::Set { path: "source_dest_check".into(), value: Value::Bool(true) }]
        );
        let c = crate::aws::event::of("aws_network_interface", "ec2", "CreateNetworkInterface");
        let resp = json!({"networkInterface": {"networkInterfaceId": "eni-2"}});
        assert_eq!(c.identifiers(&json!({"subnetId": "subnet-1"}), &resp), vec!["eni-2"]);
    }
}

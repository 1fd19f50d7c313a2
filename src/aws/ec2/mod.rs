//! EC2: instances, volumes, the network layer (VPCs and their defaults, subnets, route
//! tables and routes, gateways, Elastic IPs, network ACLs, interfaces, endpoints, flow logs,
//! DHCP options, prefix lists, VPN gateways and customer gateways), security groups and
//! their rules, launch templates, spot requests, placement groups, capacity reservations,
//! key pairs, volume attachments, single tags, the region's EBS encryption defaults.

/// Every page of a paginated EC2 read: one permit per request, a failed page is the read's
/// `ReadError` (reported against `types`), `|page| body` runs on each page.
macro_rules! pages {
    ($ctx:expr, $types:expr, $request:expr, |$page:ident| $body:expr) => {{
        let mut pages = $request.into_paginator().send();
        while let Some(page) = {
            let _p = $ctx.permit("ec2").await;
            pages.next().await
        } {
            let $page = page.map_err(|e| crate::aws::errors::read_error("ec2", &$ctx.region, $types, e))?;
            $body;
        }
    }};
}
pub(crate) use pages;

mod aws_customer_gateway;
mod aws_default_network_acl;
mod aws_default_route_table;
mod aws_default_security_group;
mod aws_default_subnet;
mod aws_default_vpc;
mod aws_ebs_default_kms_key;
mod aws_ebs_encryption_by_default;
mod aws_ebs_volume;
mod aws_ec2_capacity_reservation;
mod aws_ec2_managed_prefix_list;
mod aws_ec2_tag;
mod aws_egress_only_internet_gateway;
mod aws_eip;
mod aws_eip_association;
mod aws_flow_log;
mod aws_instance;
mod aws_internet_gateway;
mod aws_key_pair;
mod aws_launch_template;
mod aws_main_route_table_association;
mod aws_nat_gateway;
mod aws_network_acl;
mod aws_network_acl_rule;
mod aws_network_interface;
mod aws_placement_group;
mod aws_route;
mod aws_route_table;
mod aws_route_table_association;
mod aws_security_group;
mod aws_security_group_rule;
mod aws_spot_instance_request;
mod aws_subnet;
mod aws_volume_attachment;
mod aws_vpc;
mod aws_vpc_dhcp_options;
mod aws_vpc_dhcp_options_association;
mod aws_vpc_endpoint;
mod aws_vpc_ipv4_cidr_block_association;
mod aws_vpc_security_group_rules;
mod aws_vpn_gateway;
mod aws_vpn_gateway_attachment;
mod aws_vpn_gateway_route_propagation;

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
        &aws_ebs_default_kms_key::TYPE,
        &aws_flow_log::TYPE,
        &aws_default_vpc::TYPE,
        &aws_default_subnet::TYPE,
        &aws_vpc_ipv4_cidr_block_association::TYPE,
        &aws_vpc_dhcp_options::TYPE,
        &aws_vpc_dhcp_options_association::TYPE,
        &aws_internet_gateway::TYPE,
        &aws_egress_only_internet_gateway::TYPE,
        &aws_nat_gateway::TYPE,
        &aws_eip::TYPE,
        &aws_eip_association::TYPE,
        &aws_route_table::TYPE,
        &aws_default_route_table::TYPE,
        &aws_route::TYPE,
        &aws_route_table_association::TYPE,
        &aws_main_route_table_association::TYPE,
        &aws_network_acl::TYPE,
        &aws_default_network_acl::TYPE,
        &aws_network_acl_rule::TYPE,
        &aws_network_interface::TYPE,
        &aws_vpc_endpoint::TYPE,
        &aws_ec2_managed_prefix_list::TYPE,
        &aws_spot_instance_request::TYPE,
        &aws_customer_gateway::TYPE,
        &aws_vpn_gateway::TYPE,
        &aws_vpn_gateway_attachment::TYPE,
        &aws_vpn_gateway_route_propagation::TYPE,
        &aws_placement_group::TYPE,
        &aws_ec2_capacity_reservation::TYPE,
        &aws_ec2_tag::TYPE,
        &aws_volume_attachment::TYPE,
        &aws_key_pair::TYPE,
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

/// The provider's `create.StringHashcode`: the CRC-32 (IEEE) of the string, which some ids
/// are made of (`vai-<n>` volume attachments, `vpn-attachment-<hex>`).
pub(crate) fn string_hashcode(s: &str) -> u32 {
    let mut crc = flate2::Crc::new();
    crc.update(s.as_bytes());
    crc.sum()
}

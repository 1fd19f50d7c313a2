//! `aws_vpc_dhcp_options`: DescribeDhcpOptions, paginated. Each configuration key goes to
//! its attribute (single values for the name, node type and lease time, lists for servers);
//! keys the set does not have are read as empty. The set a default VPC uses is AWS's.

use std::collections::BTreeSet;

use aws_sdk_ec2::types::DhcpOptions;
use futures::FutureExt;

use super::aws_vpc;
use crate::aws::event::Event;
use crate::aws::{Ctx, FetchResult, Identity, Read, ResourceType};
use crate::model::{Resource, Value};

const TYPES: &[&str] = &["aws_vpc_dhcp_options"];

pub static TYPE: ResourceType = ResourceType {
    read: Some(Read { fetch: |ctx| fetch(ctx).boxed(), global: false }),
    identity: Identity::arn("ec2", "dhcp-options/", &[]),
    events: &[
        Event::create("ec2", "CreateDhcpOptions", &["@dhcpOptions.dhcpOptionsId"]),
        Event::delete("ec2", "DeleteDhcpOptions", &["dhcpOptionsId"]),
        super::CREATE_TAGS,
        super::DELETE_TAGS,
    ],
    ..ResourceType::base("aws_vpc_dhcp_options", "ec2")
};

async fn fetch(ctx: &Ctx) -> FetchResult {
    let vpcs = aws_vpc::describe_all(ctx, TYPES).await?;
    let aws_sets: BTreeSet<String> = vpcs
        .iter()
        .filter(|v| v.vpc.is_default().unwrap_or(false))
        .filter_map(|v| v.vpc.dhcp_options_id().map(str::to_string))
        .collect();
    let ec2 = ctx.client::<aws_sdk_ec2::Client>();
    let mut out = Vec::new();
    super::pages!(ctx, TYPES, ec2.describe_dhcp_options().max_results(1000), |page| out
        .extend(page.dhcp_options().iter().map(|d| map(d, &aws_sets, &ctx.region, &ctx.account))));
    Ok(out)
}

/// Pure mapping from the SDK's `DhcpOptions` (and the sets default VPCs use) to provider v5
/// attributes.
pub fn map(d: &DhcpOptions, aws_sets: &BTreeSet<String>, region: &str, account: &str) -> Resource {
    let id = d.dhcp_options_id().unwrap_or_default();
    let owner = d.owner_id().unwrap_or_default();
    let arn = format!("arn:aws:ec2:{region}:{owner}:dhcp-options/{id}");
    let values = |key: &str| -> Vec<String> {
        d.dhcp_configurations()
            .iter()
            .filter(|c| c.key() == Some(key))
            .flat_map(|c| c.values().iter().filter_map(|v| v.value().map(str::to_string)))
            .collect()
    };
    let one = |key: &str| Value::str(values(key).into_iter().next().unwrap_or_default());
    let mut r = Resource::live("aws_vpc_dhcp_options", id, region, account, Some(arn.clone()))
        .with("id", id)
        .with("arn", arn)
        .with("owner_id", owner)
        .with("domain_name", one("domain-name"))
        .with("domain_name_servers", Value::string_list(values("domain-name-servers")))
        .with("ntp_servers", Value::string_list(values("ntp-servers")))
        .with("netbios_name_servers", Value::string_list(values("netbios-name-servers")))
        .with("netbios_node_type", one("netbios-node-type"))
        .with("ipv6_address_preferred_lease_time", one("ipv6-address-preferred-lease-time"))
        .with("tags", crate::aws::tags::ec2(d.tags()));
    r.aws_default = aws_sets.contains(id);
    r
}

#[cfg(test)]
mod tests {
    use super::*;
    use aws_sdk_ec2::types::{AttributeValue, DhcpConfiguration};

    fn conf(key: &str, values: &[&str]) -> DhcpConfiguration {
        let mut b = DhcpConfiguration::builder().key(key);
        for v in values {
            b = b.values(AttributeValue::builder().value(*v).build());
        }
        b.build()
    }

    #[test]
    fn configuration_keys_to_attributes() {
        let d = DhcpOptions::builder()
            .dhcp_options_id("dopt-1")
            .owner_id("123456789012")
            .dhcp_configurations(conf("domain-name", &["clinic.internal"]))
            .dhcp_configurations(conf("domain-name-servers", &["AmazonProvidedDNS"]))
            .build();
        let r = map(&d, &BTreeSet::new(), "us-east-1", "123456789012");
        assert_eq!(r.attr_str("domain_name"), Some("clinic.internal"));
        assert_eq!(r.attr("domain_name_servers"), &Value::string_list(["AmazonProvidedDNS"]));
        assert_eq!(r.attr("ntp_servers"), &Value::List(vec![]));
        assert_eq!(r.attr_str("netbios_node_type"), Some(""));
        assert!(!r.aws_default);
        assert!(map(&d, &BTreeSet::from(["dopt-1".to_string()]), "us-east-1", "1").aws_default);
    }
    #[test]
    fn dhcp_options_events() {
        use serde_json::json;
        let c = crate::aws::event::of("aws_vpc_dhcp_options", "ec2", "CreateDhcpOptions");
        let resp = json!({"dhcpOptions": {"dhcpOptionsId": "dopt-1"}});
        assert_eq!(c.identifiers(&json!({}), &resp), vec!["dopt-1"]);
        let d = crate::aws::event::of("aws_vpc_dhcp_options", "ec2", "DeleteDhcpOptions");
        assert_eq!(d.identifiers(&json!({"dhcpOptionsId": "dopt-1"}), &json!({})), vec!["dopt-1"]);
    }
}

//! `aws_subnet`: DescribeSubnets, paginated.
//!
//! Follows the provider's read: absent booleans are `false`, absent strings `""`, and the
//! IPv6 block is the one association in state `associated` (`""` when there is none).
//! Default subnets (`DefaultForAz`) are AWS-created and flagged `aws_default`.

use aws_sdk_ec2::types::{Subnet, SubnetCidrBlockStateCode};
use futures::FutureExt;

use crate::aws::event::{Event, W};
use crate::aws::view::*;
use crate::aws::{Ctx, FetchResult, Identity, Read, ResourceType, ViewDef};
use crate::model::{Resource, Value, View};

const TYPES: &[&str] = &["aws_subnet"];

pub static TYPE: ResourceType = ResourceType {
    read: Some(Read { fetch: |ctx| fetch(ctx).boxed(), global: false }),
    identity: Identity::arn("ec2", "subnet/", &[]),
    events: EVENTS,
    view: Some(&VIEW),
    // An instance without `associate_public_ip_address` follows its subnet.
    part_of_views: &["ec2_instance"],
    ..ResourceType::base("aws_subnet", "ec2")
};

/// Shared with `aws_default_subnet`.
pub(crate) const EVENTS: &[Event] = &[
    Event::create("ec2", "CreateSubnet", &["@subnet.subnetId"])
        .writing(&[W::Param("cidr_block", "cidrBlock"), W::Param("availability_zone", "availabilityZone")]),
    Event::delete("ec2", "DeleteSubnet", &["subnetId"]),
    Event::modify("ec2", "ModifySubnetAttribute", &["subnetId"]).writing(&[
        W::Ec2Attr("map_public_ip_on_launch", "mapPublicIpOnLaunch"),
        W::Ec2Attr("assign_ipv6_address_on_creation", "assignIpv6AddressOnCreation"),
        W::Ec2Attr("enable_dns64", "enableDns64"),
    ]),
    super::CREATE_TAGS,
    super::DELETE_TAGS,
];

pub static VIEW: ViewDef =
    ViewDef { kind: "subnet", build: |rs, v| each(rs, &["aws_subnet", "aws_default_subnet"], v, subnet) };

async fn fetch(ctx: &Ctx) -> FetchResult {
    let subnets = describe_all(ctx, TYPES).await?;
    Ok(subnets.iter().map(|s| map(s, &ctx.region, &ctx.account)).collect())
}

/// Every subnet of the region (read once per scan and region, shared with
/// `aws_default_subnet`; errors are reported against `types`, the caller's).
pub(crate) async fn describe_all(ctx: &Ctx, types: &[&str]) -> Result<Vec<Subnet>, crate::model::ReadError> {
    let cached: Result<Vec<Subnet>, crate::model::ReadError> = ctx
        .once("ec2:DescribeSubnets", || async {
            let ec2 = ctx.client::<aws_sdk_ec2::Client>();
            let mut out = Vec::new();
            super::pages!(ctx, types, ec2.describe_subnets().max_results(1000), |page| out
                .extend(page.subnets().iter().cloned()));
            Ok(out)
        })
        .await;
    crate::aws::client::for_caller(&cached, types)
}

/// Pure mapping from the SDK's `Subnet` to provider v5 attributes.
pub fn map(s: &Subnet, region: &str, account: &str) -> Resource {
    let id = s.subnet_id().unwrap_or_default();
    let arn = s
        .subnet_arn()
        .map(str::to_string)
        .unwrap_or_else(|| format!("arn:aws:ec2:{region}:{}:subnet/{id}", s.owner_id().unwrap_or(account)));
    let ipv6 = s
        .ipv6_cidr_block_association_set()
        .iter()
        .find(|a| a.ipv6_cidr_block_state().and_then(|st| st.state()) == Some(&SubnetCidrBlockStateCode::Associated));
    let dns = s.private_dns_name_options_on_launch();
    let mut r = Resource::live("aws_subnet", id, region, account, Some(arn.clone()))
        .with("id", id)
        .with("arn", arn)
        .with("vpc_id", Value::opt_str(s.vpc_id()))
        .with("cidr_block", s.cidr_block().unwrap_or_default())
        .with("availability_zone", Value::opt_str(s.availability_zone()))
        .with("availability_zone_id", Value::opt_str(s.availability_zone_id()))
        .with("map_public_ip_on_launch", s.map_public_ip_on_launch().unwrap_or(false))
        .with("assign_ipv6_address_on_creation", s.assign_ipv6_address_on_creation().unwrap_or(false))
        .with("ipv6_cidr_block", ipv6.and_then(|a| a.ipv6_cidr_block()).unwrap_or_default())
        .with("ipv6_native", s.ipv6_native().unwrap_or(false))
        .with("enable_dns64", s.enable_dns64().unwrap_or(false))
        .with("enable_lni_at_device_index", Value::int(s.enable_lni_at_device_index().unwrap_or(0).into()))
        .with("map_customer_owned_ip_on_launch", s.map_customer_owned_ip_on_launch().unwrap_or(false))
        .with("customer_owned_ipv4_pool", s.customer_owned_ipv4_pool().unwrap_or_default())
        .with("outpost_arn", s.outpost_arn().unwrap_or_default())
        .with("tags", crate::aws::tags::ec2(s.tags()));
    // Without the options block the provider writes null for all three.
    match dns {
        Some(o) => {
            r.set(
                "enable_resource_name_dns_a_record_on_launch",
                o.enable_resource_name_dns_a_record().unwrap_or(false),
            );
            r.set(
                "enable_resource_name_dns_aaaa_record_on_launch",
                o.enable_resource_name_dns_aaaa_record().unwrap_or(false),
            );
            r.set("private_dns_hostname_type_on_launch", o.hostname_type().map(|h| h.as_str()).unwrap_or_default());
        }
        None => {
            r.set("enable_resource_name_dns_a_record_on_launch", Value::Null);
            r.set("enable_resource_name_dns_aaaa_record_on_launch", Value::Null);
            r.set("private_dns_hostname_type_on_launch", Value::Null);
        }
    }
    r.aws_default = s.default_for_az().unwrap_or(false);
    r
}

fn subnet(r: &Resource, view: View) -> JoinedView {
    let a = |k: &str| attr(r, k, view);
    let mut o = head("subnet", r, view);
    for k in ["vpc_id", "cidr_block", "availability_zone"] {
        let _ = o.string(k, a(k), None);
    }
    o.put("is_default", r.aws_default || r.rtype == "aws_default_subnet");
    o.bool("map_public_ip_on_launch", a("map_public_ip_on_launch"), false);
    o.bool("assign_ipv6_address_on_creation", a("assign_ipv6_address_on_creation"), false);
    joined("subnet", r, o)
}

#[cfg(test)]
mod tests {
    use super::*;
    use aws_sdk_ec2::types::{
        HostnameType, PrivateDnsNameOptionsOnLaunch, SubnetCidrBlockState, SubnetIpv6CidrBlockAssociation, Tag,
    };

    fn assoc(block: &str, state: SubnetCidrBlockStateCode) -> SubnetIpv6CidrBlockAssociation {
        SubnetIpv6CidrBlockAssociation::builder()
            .association_id("subnet-cidr-assoc-1")
            .ipv6_cidr_block(block)
            .ipv6_cidr_block_state(SubnetCidrBlockState::builder().state(state).build())
            .build()
    }

    #[test]
    fn maps_a_subnet() {
        let s = Subnet::builder()
            .subnet_id("subnet-1")
            .subnet_arn("arn:aws:ec2:us-east-1:123456789012:subnet/subnet-1")
            .vpc_id("vpc-1")
            .cidr_block("10.0.1.0/24")
            .availability_zone("us-east-1a")
            .availability_zone_id("use1-az6")
            .map_public_ip_on_launch(true)
            .assign_ipv6_address_on_creation(true)
            .ipv6_cidr_block_association_set(assoc("2600::/64", SubnetCidrBlockStateCode::Disassociated))
            .ipv6_cidr_block_association_set(assoc("2600:1::/64", SubnetCidrBlockStateCode::Associated))
            .private_dns_name_options_on_launch(
                PrivateDnsNameOptionsOnLaunch::builder().hostname_type(HostnameType::IpName).build(),
            )
            .default_for_az(false)
            .tags(Tag::builder().key("Name").value("a").build())
            .build();
        let r = map(&s, "us-east-1", "123456789012");
        assert_eq!(r.id, "subnet-1");
        assert_eq!(r.attr_str("vpc_id"), Some("vpc-1"));
        assert_eq!(r.attr_str("cidr_block"), Some("10.0.1.0/24"));
        assert_eq!(r.attr("map_public_ip_on_launch"), &Value::Bool(true));
        assert_eq!(r.attr("assign_ipv6_address_on_creation"), &Value::Bool(true));
        assert_eq!(r.attr_str("ipv6_cidr_block"), Some("2600:1::/64"));
        assert_eq!(r.attr_str("private_dns_hostname_type_on_launch"), Some("ip-name"));
        assert_eq!(r.attr("enable_resource_name_dns_a_record_on_launch"), &Value::Bool(false));
        assert_eq!(r.attr("enable_dns64"), &Value::Bool(false));
        assert_eq!(r.attr("tags"), &Value::string_map([("Name", "a")]));
        assert!(!r.aws_default);
    }

    #[test]
    fn default_subnet_is_flagged_and_arn_is_built_when_absent() {
        let s = Subnet::builder().subnet_id("subnet-2").owner_id("111122223333").default_for_az(true).build();
        let r = map(&s, "eu-west-1", "123456789012");
        assert!(r.aws_default);
        assert_eq!(r.attr_str("arn"), Some("arn:aws:ec2:eu-west-1:111122223333:subnet/subnet-2"));
        assert_eq!(r.attr_str("ipv6_cidr_block"), Some(""));
        assert_eq!(r.attr("private_dns_hostname_type_on_launch"), &Value::Null);
    }
}

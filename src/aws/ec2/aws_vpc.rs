//! `aws_vpc`: DescribeVpcs, paginated, read once per region and shared with the types that
//! hang off VPCs (`aws_default_vpc`, `aws_vpc_ipv4_cidr_block_association`,
//! `aws_vpc_dhcp_options_association`, the default-ness of gateways and DHCP options), plus
//! three DescribeVpcAttribute calls per VPC a scanned state manages (`enableDnsSupport`,
//! `enableDnsHostnames`, `enableNetworkAddressUsageMetrics`; AWS has no bulk form), fanned
//! out under the EC2 bound. Other VPCs leave the three Unknown: nothing to compare them
//! with, and no rule reads them.
//!
//! Left Unknown: the IPv6 block's attributes (`ipv6_cidr_block`,
//! `assign_generated_ipv6_cidr_block`, the IPAM ones): the provider picks the association
//! by the id it stored, which a live read does not know.

use aws_sdk_ec2::types::{Vpc, VpcAttributeName};
use futures::{FutureExt, StreamExt};

use crate::aws::errors::read_error;
use crate::aws::event::{Event, W};
use crate::aws::view::*;
use crate::aws::{Ctx, FetchResult, Identity, Read, ResourceType, ViewDef};
use crate::model::{Resource, Value, View};
use serde_json::Value as J;

const TYPES: &[&str] = &["aws_vpc"];

pub static TYPE: ResourceType = ResourceType {
    read: Some(Read { fetch: |ctx| fetch(ctx).boxed(), global: false }),
    identity: Identity::arn("ec2", "vpc/", &[]),
    events: EVENTS,
    view: Some(&VIEW),
    ..ResourceType::base("aws_vpc", "ec2")
};

/// Shared with `aws_default_vpc`.
pub(crate) const EVENTS: &[Event] = &[
    Event::create("ec2", "CreateVpc", &["@vpc.vpcId"])
        .writing(&[W::Param("cidr_block", "cidrBlock"), W::Param("instance_tenancy", "instanceTenancy")]),
    Event::delete("ec2", "DeleteVpc", &["vpcId"]),
    Event::modify("ec2", "ModifyVpcAttribute", &["vpcId"]).writing(&[
        W::Ec2Attr("enable_dns_support", "enableDnsSupport"),
        W::Ec2Attr("enable_dns_hostnames", "enableDnsHostnames"),
        W::Ec2Attr("enable_network_address_usage_metrics", "enableNetworkAddressUsageMetrics"),
    ]),
    super::CREATE_TAGS,
    super::DELETE_TAGS,
];

pub static VIEW: ViewDef = ViewDef { kind: "vpc", build: vpcs };

/// The types a VPC view is built for (the default VPC, adopted, is a VPC too).
const VPC_TYPES: &[&str] = &["aws_vpc", "aws_default_vpc"];

async fn fetch(ctx: &Ctx) -> FetchResult {
    let vpcs = describe_all(ctx, TYPES).await?;
    Ok(vpcs.iter().map(|v| map(&v.vpc, &v.attributes, &ctx.region, &ctx.account)).collect())
}

/// A VPC and its DNS attributes (`None`: not read).
#[derive(Debug, Clone)]
pub(crate) struct VpcRead {
    pub vpc: Vpc,
    pub attributes: Attributes,
}

/// The VPC attributes DescribeVpcAttribute answers, one call each.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Attributes {
    pub dns_support: Option<bool>,
    pub dns_hostnames: Option<bool>,
    pub address_usage_metrics: Option<bool>,
}

/// Every VPC of the region with its attributes (read once per scan and region; errors are
/// reported against `types`, the caller's).
pub(crate) async fn describe_all(ctx: &Ctx, types: &[&str]) -> Result<Vec<VpcRead>, crate::model::ReadError> {
    let cached: Result<Vec<VpcRead>, crate::model::ReadError> = ctx
        .once("ec2:DescribeVpcs", || async {
            let ec2 = ctx.client::<aws_sdk_ec2::Client>();
            let mut vpcs: Vec<Vpc> = Vec::new();
            super::pages!(ctx, types, ec2.describe_vpcs().max_results(1000), |page| vpcs
                .extend(page.vpcs().iter().cloned()));
            let reads = vpcs.into_iter().map(|vpc| async move {
                let id = vpc.vpc_id().unwrap_or_default();
                // One call per VPC and attribute: spent on the VPCs a state manages only (no
                // rule reads them; an unmanaged VPC has nothing to be compared with).
                let attributes = if ctx.in_state("aws_vpc", id) || ctx.in_state("aws_default_vpc", id) {
                    attributes(ctx, types, id).await?
                } else {
                    Attributes::default()
                };
                Ok::<_, crate::model::ReadError>(VpcRead { vpc, attributes })
            });
            futures::stream::iter(reads)
                .buffer_unordered(ctx.limit("ec2"))
                .collect::<Vec<_>>()
                .await
                .into_iter()
                .collect()
        })
        .await;
    crate::aws::client::for_caller(&cached, types)
}

async fn attributes(ctx: &Ctx, types: &[&str], vpc_id: &str) -> Result<Attributes, crate::model::ReadError> {
    let ec2 = ctx.client::<aws_sdk_ec2::Client>();
    let mut out = Attributes::default();
    for name in [
        VpcAttributeName::EnableDnsSupport,
        VpcAttributeName::EnableDnsHostnames,
        VpcAttributeName::EnableNetworkAddressUsageMetrics,
    ] {
        let answer = {
            let _p = ctx.permit("ec2").await;
            ec2.describe_vpc_attribute().vpc_id(vpc_id).attribute(name.clone()).send().await
        };
        let a = answer.map_err(|e| read_error("ec2", &ctx.region, types, e))?;
        match name {
            VpcAttributeName::EnableDnsSupport => out.dns_support = a.enable_dns_support().and_then(|v| v.value()),
            VpcAttributeName::EnableDnsHostnames => {
                out.dns_hostnames = a.enable_dns_hostnames().and_then(|v| v.value())
            }
            _ => out.address_usage_metrics = a.enable_network_address_usage_metrics().and_then(|v| v.value()),
        }
    }
    Ok(out)
}

/// Ids of the region's default VPCs (AWS-created; so are the gateways and DHCP options
/// they came with).
pub(crate) fn default_vpc_ids(vpcs: &[VpcRead]) -> std::collections::BTreeSet<String> {
    vpcs.iter()
        .filter(|v| v.vpc.is_default().unwrap_or(false))
        .filter_map(|v| v.vpc.vpc_id().map(str::to_string))
        .collect()
}

/// Pure mapping from the SDK's `Vpc` and its attributes to provider v5 attributes.
pub fn map(v: &Vpc, attrs: &Attributes, region: &str, account: &str) -> Resource {
    let id = v.vpc_id().unwrap_or_default();
    let arn = format!("arn:aws:ec2:{region}:{}:vpc/{id}", v.owner_id().unwrap_or(account));
    let mut r = Resource::live("aws_vpc", id, region, account, Some(arn.clone()))
        .with("id", id)
        .with("arn", arn)
        .with("cidr_block", Value::opt_str(v.cidr_block()))
        .with("instance_tenancy", Value::opt_str(v.instance_tenancy().map(|t| t.as_str())))
        .with("dhcp_options_id", Value::opt_str(v.dhcp_options_id()))
        .with("owner_id", Value::opt_str(v.owner_id()))
        .with("tags", crate::aws::tags::ec2(v.tags()));
    for (k, b) in [
        ("enable_dns_support", attrs.dns_support),
        ("enable_dns_hostnames", attrs.dns_hostnames),
        ("enable_network_address_usage_metrics", attrs.address_usage_metrics),
    ] {
        if let Some(b) = b {
            r.set(k, b);
        }
    }
    r.aws_default = v.is_default().unwrap_or(false);
    r
}

fn vpcs(resources: &[Resource], view: View) -> Vec<JoinedView> {
    let vpcs: Vec<&Resource> = resources.iter().filter(|r| VPC_TYPES.contains(&r.rtype.as_str())).collect();
    let mut index = Index::default();
    for (i, r) in vpcs.iter().enumerate() {
        index.add(i, r, &["id", "arn"]);
    }
    let mut logs: Vec<Vec<&Resource>> = vec![Vec::new(); vpcs.len()];
    for r in resources.iter().filter(|r| r.rtype == "aws_flow_log") {
        if let Some(i) = index.find(r.attributes.get("vpc_id")) {
            logs[i].push(r);
        }
    }
    vpcs.iter().zip(logs).map(|(r, logs)| vpc(r, &logs, view)).collect()
}

fn vpc(r: &Resource, logs: &[&Resource], view: View) -> JoinedView {
    let a = |k: &str| attr(r, k, view);
    let mut o = head("vpc", r, view);
    let _ = o.string("cidr_block", a("cidr_block"), None);
    o.put("is_default", r.aws_default || r.rtype == "aws_default_vpc");
    o.bool("enable_dns_support", a("enable_dns_support"), true);
    o.bool("enable_dns_hostnames", a("enable_dns_hostnames"), false);
    let _ = o.string("instance_tenancy", a("instance_tenancy"), Some("default"));
    let _ = o.string("default_security_group_id", a("default_security_group_id"), None);
    let mut all = Some(false);
    let mut list = Vec::new();
    for l in logs {
        let mut lo = Obj::default();
        lo.put("address", l.address.clone().map(J::String).unwrap_or(J::Null)).put("id", l.id.as_str());
        let traffic = lo.string("traffic_type", attr(l, "traffic_type", view), None);
        let dest = lo.string("log_destination_type", attr(l, "log_destination_type", view), Some("cloud-watch-logs"));
        // The destination is `log_destination` (an ARN), or the legacy `log_group_name`.
        let target = match (attr(l, "log_destination", view).string(None), attr(l, "log_group_name", view).string(None))
        {
            (Ok(Some(_)), _) | (_, Ok(Some(_))) => Some(true),
            (Ok(None), Ok(None)) => Some(false),
            _ => None,
        };
        lo.opt("has_destination", target);
        let ok = match (traffic, dest, target) {
            (Ok(t), Ok(_), Some(d)) => Some(t.as_deref() == Some("ALL") && d),
            _ => None,
        };
        lo.opt("captures_all", ok);
        all = match (all, ok) {
            (Some(true), _) | (_, Some(true)) => Some(true),
            (Some(false), Some(false)) => Some(false),
            _ => None,
        };
        list.push(lo.finish());
    }
    o.put("flow_logs", J::Array(list));
    let all = if join_is_complete("aws_flow_log", view) { all } else { all.filter(|a| *a) };
    o.opt("flow_logs_capture_all", all);
    joined("vpc", r, o)
}

#[cfg(test)]
mod tests {
    use super::*;
    use aws_sdk_ec2::types::Tag;

    #[test]
    fn maps_a_vpc_and_its_attributes() {
        let v = Vpc::builder()
            .vpc_id("vpc-1")
            .cidr_block("10.0.0.0/16")
            .owner_id("123456789012")
            .dhcp_options_id("dopt-1")
            .is_default(false)
            .tags(Tag::builder().key("Name").value("main").build())
            .build();
        let attrs = Attributes { dns_support: Some(true), dns_hostnames: Some(false), address_usage_metrics: None };
        let r = map(&v, &attrs, "us-east-1", "123456789012");
        assert_eq!(r.attr_str("arn"), Some("arn:aws:ec2:us-east-1:123456789012:vpc/vpc-1"));
        assert_eq!(r.attr("enable_dns_support"), &Value::Bool(true));
        assert_eq!(r.attr("enable_dns_hostnames"), &Value::Bool(false));
        // Not answered: not read.
        assert_eq!(r.attr("enable_network_address_usage_metrics"), &Value::Unknown);
        assert!(!r.aws_default);
        let e = crate::aws::event::of("aws_vpc", "ec2", "ModifyVpcAttribute");
        let req = serde_json::json!({"vpcId": "vpc-1", "enableDnsHostnames": {"value": false}});
        assert_eq!(
            e.writes(&req, &serde_json::Value::Null),
            vec![crate::aws::Written::Set { path: "enable_dns_hostnames".into(), value: Value::Bool(false) }]
        );
    }
}

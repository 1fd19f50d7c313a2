//! `aws_vpc`: DescribeVpcs, paginated.

use aws_sdk_ec2::types::Vpc;
use futures::FutureExt;

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
    events: &[
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
    ],
    view: Some(&VIEW),
    ..ResourceType::base("aws_vpc", "ec2")
};

pub static VIEW: ViewDef = ViewDef { kind: "vpc", build: vpcs };

async fn fetch(ctx: &Ctx) -> FetchResult {
    let ec2 = ctx.client::<aws_sdk_ec2::Client>();
    let mut out = Vec::new();
    let mut pages = ec2.describe_vpcs().into_paginator().send();
    while let Some(page) = {
        let _p = ctx.permit("ec2").await;
        pages.next().await
    } {
        let page = page.map_err(|e| read_error("ec2", &ctx.region, TYPES, e))?;
        out.extend(page.vpcs().iter().map(|v| map(v, &ctx.region, &ctx.account)));
    }
    Ok(out)
}

/// Pure mapping from the SDK's `Vpc` to provider v5 attributes.
pub fn map(v: &Vpc, region: &str, account: &str) -> Resource {
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
    r.aws_default = v.is_default().unwrap_or(false);
    r
}

fn vpcs(resources: &[Resource], view: View) -> Vec<JoinedView> {
    let vpcs: Vec<&Resource> = resources.iter().filter(|r| r.rtype == "aws_vpc").collect();
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
    o.put("is_default", r.aws_default);
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

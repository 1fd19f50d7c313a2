//! `aws_vpc`: DescribeVpcs, paginated.

use aws_sdk_ec2::types::Vpc;
use futures::FutureExt;

use super::errors::read_error;
use super::{Ctx, FetchResult, Fetcher};
use crate::model::{Resource, Value};

const TYPES: &[&str] = &["aws_vpc"];

pub const FETCHER: Fetcher = Fetcher { types: TYPES, service: "ec2", fetch: |ctx| fetch(ctx).boxed() };

async fn fetch(ctx: &Ctx) -> FetchResult {
    let mut out = Vec::new();
    let mut pages = ctx.ec2.describe_vpcs().into_paginator().send();
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
        .with("tags", super::tags::ec2(v.tags()));
    r.aws_default = v.is_default().unwrap_or(false);
    r
}

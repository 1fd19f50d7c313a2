//! `aws_vpc_dhcp_options_association`: one per VPC with a DHCP options set (the shared
//! DescribeVpcs read), id `<dopt>-<vpc>` as the provider writes it. A VPC on AWS's own set
//! (the one default VPCs use, or none) has AWS's association; a VPC moved to another set
//! by hand has an unmanaged one.

use std::collections::BTreeSet;

use aws_sdk_ec2::types::Vpc;
use futures::FutureExt;

use super::aws_vpc;
use crate::aws::event::{Event, W};
use crate::aws::{Ctx, FetchResult, Identity, Read, ResourceType};
use crate::model::Resource;

const TYPES: &[&str] = &["aws_vpc_dhcp_options_association"];

pub static TYPE: ResourceType = ResourceType {
    read: Some(Read { fetch: |ctx| fetch(ctx).boxed(), global: false }),
    identity: Identity { names: &["vpc_id"], ..Identity::NONE },
    events: &[Event::create("ec2", "AssociateDhcpOptions", &["vpcId"])
        .writing(&[W::Param("dhcp_options_id", "dhcpOptionsId")])],
    ..ResourceType::base("aws_vpc_dhcp_options_association", "ec2")
};

async fn fetch(ctx: &Ctx) -> FetchResult {
    let vpcs = aws_vpc::describe_all(ctx, TYPES).await?;
    let aws_sets: BTreeSet<String> = vpcs
        .iter()
        .filter(|v| v.vpc.is_default().unwrap_or(false))
        .filter_map(|v| v.vpc.dhcp_options_id().map(str::to_string))
        .collect();
    Ok(vpcs.iter().filter_map(|v| map(&v.vpc, &aws_sets, &ctx.region, &ctx.account)).collect())
}

/// The VPC's association, if it has a DHCP options set.
pub fn map(v: &Vpc, aws_sets: &BTreeSet<String>, region: &str, account: &str) -> Option<Resource> {
    let vpc = v.vpc_id()?;
    let dopt = v.dhcp_options_id().filter(|d| !d.is_empty())?;
    let id = format!("{dopt}-{vpc}");
    let mut r = Resource::live("aws_vpc_dhcp_options_association", &id, region, account, None)
        .with("id", id.as_str())
        .with("vpc_id", vpc)
        .with("dhcp_options_id", dopt);
    r.aws_default = dopt == "default" || aws_sets.contains(dopt);
    Some(r)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ids_and_awss_own_sets() {
        let v = Vpc::builder().vpc_id("vpc-1").dhcp_options_id("dopt-1").build();
        let r = map(&v, &BTreeSet::new(), "us-east-1", "1").unwrap();
        assert_eq!((r.id.as_str(), r.attr_str("dhcp_options_id")), ("dopt-1-vpc-1", Some("dopt-1")));
        assert!(!r.aws_default);
        assert!(map(&v, &BTreeSet::from(["dopt-1".to_string()]), "us-east-1", "1").unwrap().aws_default);
        let none = Vpc::builder().vpc_id("vpc-2").dhcp_options_id("default").build();
        assert!(map(&none, &BTreeSet::new(), "us-east-1", "1").unwrap().aws_default);
    }
    #[test]
    fn associating_options() {
        use serde_json::json;
        let e = crate::aws::event::of("aws_vpc_dhcp_options_association", "ec2", "AssociateDhcpOptions");
        let req = json!({"dhcpOptionsId": "dopt-2", "vpcId": "vpc-1"});
        assert_eq!(e.identifiers(&req, &json!({"_return": true})), vec!["vpc-1"]);
        assert_eq!(
            e.writes(&req, &json!({})),
            vec![crate::aws::Written::Set { path: "dhcp_options_id".into(), value: "dopt-2".into() }]
        );
    }
}

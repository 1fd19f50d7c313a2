//! `aws_main_route_table_association`: the main association of every VPC (the shared
//! DescribeRouteTables read). Every VPC has one from birth (`aws_default`); Terraform's
//! resource replaces it, and records the table it replaced in `original_route_table_id`
//! (that table, AWS's, is then never reported unmanaged). `original_route_table_id` itself
//! is only known to the state.

use aws_sdk_ec2::types::RouteTable;
use futures::FutureExt;

use super::aws_route_table;
use super::aws_route_table_association::associated;
use crate::aws::event::{Event, W};
use crate::aws::{Ctx, FetchResult, Identity, Read, ResourceType};
use crate::model::{Resource, Value};

const TYPES: &[&str] = &["aws_main_route_table_association"];

pub static TYPE: ResourceType = ResourceType {
    read: Some(Read { fetch: |ctx| fetch(ctx).boxed(), global: false }),
    identity: Identity { names: &["vpc_id"], ..Identity::NONE },
    events: &[Event::create("ec2", "ReplaceRouteTableAssociation", &["@newAssociationId"])
        .writing(&[W::Param("route_table_id", "routeTableId")])],
    records: &[("original_route_table_id", "aws_route_table")],
    ..ResourceType::base("aws_main_route_table_association", "ec2")
};

async fn fetch(ctx: &Ctx) -> FetchResult {
    let tables = aws_route_table::describe_all(ctx, TYPES).await?;
    Ok(tables.iter().flat_map(|t| map(t, &ctx.region, &ctx.account)).collect())
}

/// The table's main association, if it is the main table.
pub fn map(t: &RouteTable, region: &str, account: &str) -> Vec<Resource> {
    let table = t.route_table_id().unwrap_or_default();
    t.associations()
        .iter()
        .filter(|a| a.main().unwrap_or(false) && associated(a))
        .filter_map(|a| {
            let id = a.route_table_association_id()?;
            let mut r = Resource::live("aws_main_route_table_association", id, region, account, None)
                .with("id", id)
                .with("vpc_id", Value::opt_str(t.vpc_id()))
                .with("route_table_id", a.route_table_id().unwrap_or(table));
            r.aws_default = true;
            Some(r)
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use aws_sdk_ec2::types::RouteTableAssociation;

    #[test]
    fn the_main_association_is_awss() {
        let t = RouteTable::builder()
            .route_table_id("rtb-1")
            .vpc_id("vpc-1")
            .associations(RouteTableAssociation::builder().route_table_association_id("rtbassoc-m").main(true).build())
            .associations(
                RouteTableAssociation::builder().route_table_association_id("rtbassoc-1").subnet_id("s").build(),
            )
            .build();
        let rs = map(&t, "us-east-1", "123456789012");
        assert_eq!(rs.len(), 1);
        assert_eq!(
            (rs[0].id.as_str(), rs[0].attr_str("vpc_id"), rs[0].attr_str("route_table_id")),
            ("rtbassoc-m", Some("vpc-1"), Some("rtb-1"))
        );
        assert!(rs[0].aws_default);
    }
    #[test]
    fn replacing_the_main_association() {
        use serde_json::json;
        let e = crate::aws::event::of("aws_main_route_table_association", "ec2", "ReplaceRouteTableAssociation");
        let req = json!({"associationId": "rtbassoc-m", "routeTableId": "rtb-2"});
        let resp = json!({"newAssociationId": "rtbassoc-n", "associationState": {"state": "associated"}});
        assert_eq!(e.identifiers(&req, &resp), vec!["rtbassoc-n"]);
        assert_eq!(
            e.writes(&req, &resp),
            vec![crate::aws::Written::Set { path: "route_table_id".into(), value: "rtb-2".into() }]
        );
    }
}

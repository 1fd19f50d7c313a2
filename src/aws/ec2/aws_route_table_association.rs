//! `aws_route_table_association`: the explicit (non-main) associations of every route table
//! (the shared DescribeRouteTables read) in state `associated`: a subnet's or a gateway's
//! (edge association). Absent sides are `""`, as the provider stores them.
//!
//! A subnet associated by hand is an unmanaged association: it changes where the subnet's
//! traffic goes, and no attribute of the table records it.

use aws_sdk_ec2::types::{RouteTable, RouteTableAssociation, RouteTableAssociationStateCode};
use futures::FutureExt;

use super::aws_route_table;
use crate::aws::event::{Event, W};
use crate::aws::{Ctx, FetchResult, Identity, Read, ResourceType};
use crate::model::{Resource, Value};

const TYPES: &[&str] = &["aws_route_table_association"];

pub static TYPE: ResourceType = ResourceType {
    read: Some(Read { fetch: |ctx| fetch(ctx).boxed(), global: false }),
    identity: Identity { names: &["subnet_id", "gateway_id"], ..Identity::NONE },
    events: &[
        Event::create("ec2", "AssociateRouteTable", &["@associationId"]).writing(&[
            W::Param("subnet_id", "subnetId"),
            W::Param("gateway_id", "gatewayId"),
            W::Param("route_table_id", "routeTableId"),
        ]),
        Event::delete("ec2", "DisassociateRouteTable", &["associationId"]),
        // A replaced association gets a new id: the old one is gone.
        Event::delete("ec2", "ReplaceRouteTableAssociation", &["associationId"]),
    ],
    ..ResourceType::base("aws_route_table_association", "ec2")
};

async fn fetch(ctx: &Ctx) -> FetchResult {
    let tables = aws_route_table::describe_all(ctx, TYPES).await?;
    Ok(tables.iter().flat_map(|t| map(t, &ctx.region, &ctx.account)).collect())
}

/// Is the association in force?
pub(crate) fn associated(a: &RouteTableAssociation) -> bool {
    a.association_state().and_then(|s| s.state()).is_none_or(|s| *s == RouteTableAssociationStateCode::Associated)
}

/// The table's explicit associations.
pub fn map(t: &RouteTable, region: &str, account: &str) -> Vec<Resource> {
    let table = t.route_table_id().unwrap_or_default();
    t.associations()
        .iter()
        .filter(|a| !a.main().unwrap_or(false) && associated(a))
        .filter_map(|a| {
            let id = a.route_table_association_id()?;
            Some(
                Resource::live("aws_route_table_association", id, region, account, None)
                    .with("id", id)
                    .with("route_table_id", a.route_table_id().unwrap_or(table))
                    .with("subnet_id", Value::str(a.subnet_id().unwrap_or_default()))
                    .with("gateway_id", Value::str(a.gateway_id().unwrap_or_default())),
            )
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use aws_sdk_ec2::types::RouteTableAssociationState;

    #[test]
    fn explicit_associations_only() {
        let t = RouteTable::builder()
            .route_table_id("rtb-1")
            .associations(RouteTableAssociation::builder().route_table_association_id("rtbassoc-m").main(true).build())
            .associations(
                RouteTableAssociation::builder()
                    .route_table_association_id("rtbassoc-1")
                    .route_table_id("rtb-1")
                    .subnet_id("subnet-1")
                    .main(false)
                    .association_state(
                        RouteTableAssociationState::builder().state(RouteTableAssociationStateCode::Associated).build(),
                    )
                    .build(),
            )
            .associations(
                RouteTableAssociation::builder()
                    .route_table_association_id("rtbassoc-2")
                    .gateway_id("igw-1")
                    .association_state(
                        RouteTableAssociationState::builder()
                            .state(RouteTableAssociationStateCode::Disassociated)
                            .build(),
                    )
                    .build(),
            )
            .build();
        let rs = map(&t, "us-east-1", "123456789012");
        assert_eq!(rs.len(), 1);
        assert_eq!(rs[0].id, "rtbassoc-1");
        assert_eq!(rs[0].attr_str("subnet_id"), Some("subnet-1"));
        assert_eq!(rs[0].attr_str("gateway_id"), Some(""));
        assert_eq!(rs[0].attr_str("route_table_id"), Some("rtb-1"));
    }
    #[test]
    fn association_events() {
        use serde_json::json;
        let a = crate::aws::event::of("aws_route_table_association", "ec2", "AssociateRouteTable");
        let req = json!({"routeTableId": "rtb-1", "subnetId": "subnet-1"});
        let resp = json!({"associationId": "rtbassoc-1", "associationState": {"state": "associated"}});
        assert_eq!(a.identifiers(&req, &resp), vec!["rtbassoc-1"]);
        assert!(
            a.writes(&req, &resp)
                .contains(&crate::aws::Written::Set { path: "subnet_id".into(), value: "subnet-1".into() })
        );
        let d = crate::aws::event::of("aws_route_table_association", "ec2", "DisassociateRouteTable");
        assert_eq!(d.identifiers(&json!({"associationId": "rtbassoc-1"}), &json!({})), vec!["rtbassoc-1"]);
    }
}

//! `aws_default_route_table`: a VPC's main route table adopted by Terraform. The same object
//! as the main `aws_route_table` (one shared DescribeRouteTables read), with the same inline
//! `route` set and `default_route_table_id` = its id; judged under this type when the state
//! records it so, never unmanaged.

use aws_sdk_ec2::types::RouteTable;
use futures::FutureExt;

use super::aws_route_table;
use crate::aws::{Ctx, FetchResult, Read, ResourceType};
use crate::model::Resource;

const TYPES: &[&str] = &["aws_default_route_table"];

pub static TYPE: ResourceType = ResourceType {
    read: Some(Read { fetch: |ctx| fetch(ctx).boxed(), global: false }),
    events: aws_route_table::EVENTS,
    alias_of: Some("aws_route_table"),
    ..ResourceType::base("aws_default_route_table", "ec2")
};

async fn fetch(ctx: &Ctx) -> FetchResult {
    let tables = aws_route_table::describe_all(ctx, TYPES).await?;
    Ok(tables.iter().filter(|t| aws_route_table::is_main(t)).map(|t| map(t, &ctx.region, &ctx.account)).collect())
}

/// A main route table as `aws_default_route_table`.
pub fn map(t: &RouteTable, region: &str, account: &str) -> Resource {
    let mut r = aws_route_table::map(t, region, account);
    r.rtype = "aws_default_route_table".to_string();
    r.set("default_route_table_id", r.id.clone());
    r.aws_default = true;
    r
}

#[cfg(test)]
mod tests {
    use super::*;
    use aws_sdk_ec2::types::{Route, RouteTableAssociation};

    #[test]
    fn the_main_table_under_its_adopted_type() {
        let t = RouteTable::builder()
            .route_table_id("rtb-0")
            .vpc_id("vpc-1")
            .routes(Route::builder().destination_cidr_block("10.0.0.0/16").gateway_id("local").build())
            .associations(RouteTableAssociation::builder().main(true).route_table_association_id("rtbassoc-0").build())
            .build();
        let r = map(&t, "us-east-1", "123456789012");
        assert_eq!(
            (r.rtype.as_str(), r.attr_str("default_route_table_id")),
            ("aws_default_route_table", Some("rtb-0"))
        );
        assert_eq!(r.attr("route"), &crate::model::Value::List(vec![]));
        assert!(r.aws_default);
    }
}

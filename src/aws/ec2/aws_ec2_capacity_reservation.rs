//! `aws_ec2_capacity_reservation`: DescribeCapacityReservations, paginated. Reservations
//! `cancelled`, `expired` or `failed` are still described for a while; the provider reads
//! them as gone, and so do we.
//!
//! As the provider stores them: `instance_count` is the reservation's total count,
//! `end_date` RFC 3339 (`""` for an unlimited reservation), absent strings `""`.

use aws_sdk_ec2::types::{CapacityReservation, CapacityReservationState};
use aws_smithy_types::date_time::Format;
use futures::FutureExt;

use crate::aws::event::{Event, W};
use crate::aws::{Ctx, FetchResult, Identity, Read, ResourceType};
use crate::model::{Resource, Value};

const TYPES: &[&str] = &["aws_ec2_capacity_reservation"];

pub static TYPE: ResourceType = ResourceType {
    read: Some(Read { fetch: |ctx| fetch(ctx).boxed(), global: false }),
    identity: Identity::arn("ec2", "capacity-reservation/", &[]),
    events: &[
        Event::create(
            "ec2",
            "CreateCapacityReservation",
            &[
                "@createCapacityReservationResult.capacityReservation.capacityReservationId",
                "@capacityReservation.capacityReservationId",
            ],
        )
        .writing(&[
            W::Param("instance_type", "CreateCapacityReservationRequest.InstanceType|instanceType"),
            W::Param("instance_count", "CreateCapacityReservationRequest.InstanceCount|instanceCount"),
            W::Param(
                "instance_match_criteria",
                "CreateCapacityReservationRequest.InstanceMatchCriteria|instanceMatchCriteria",
            ),
        ]),
        Event::modify(
            "ec2",
            "ModifyCapacityReservation",
            &["ModifyCapacityReservationRequest.CapacityReservationId", "capacityReservationId"],
        )
        .writing(&[
            W::Param("instance_count", "ModifyCapacityReservationRequest.InstanceCount|instanceCount"),
            W::Param("end_date_type", "ModifyCapacityReservationRequest.EndDateType|endDateType"),
            W::Param("end_date", "ModifyCapacityReservationRequest.EndDate|endDate"),
            W::Param(
                "instance_match_criteria",
                "ModifyCapacityReservationRequest.InstanceMatchCriteria|instanceMatchCriteria",
            ),
        ]),
        Event::delete(
            "ec2",
            "CancelCapacityReservation",
            &["CancelCapacityReservationRequest.CapacityReservationId", "capacityReservationId"],
        ),
        super::CREATE_TAGS,
        super::DELETE_TAGS,
    ],
    ..ResourceType::base("aws_ec2_capacity_reservation", "ec2")
};

async fn fetch(ctx: &Ctx) -> FetchResult {
    let ec2 = ctx.client::<aws_sdk_ec2::Client>();
    let mut out = Vec::new();
    super::pages!(ctx, TYPES, ec2.describe_capacity_reservations().max_results(1000), |page| out
        .extend(page.capacity_reservations().iter().filter(|r| exists(r)).map(|r| map(r, &ctx.region, &ctx.account))));
    Ok(out)
}

/// Whether the provider still reads the reservation (not cancelled, expired or failed).
fn exists(r: &CapacityReservation) -> bool {
    !matches!(
        r.state(),
        Some(
            CapacityReservationState::Cancelled | CapacityReservationState::Expired | CapacityReservationState::Failed
        )
    )
}

/// Pure mapping from the SDK's `CapacityReservation` to provider v5 attributes.
pub fn map(c: &CapacityReservation, region: &str, account: &str) -> Resource {
    let id = c.capacity_reservation_id().unwrap_or_default();
    let owner = c.owner_id().unwrap_or(account);
    let arn = c
        .capacity_reservation_arn()
        .map(str::to_string)
        .unwrap_or_else(|| format!("arn:aws:ec2:{region}:{owner}:capacity-reservation/{id}"));
    let s = |v: Option<&str>| Value::str(v.unwrap_or_default());
    let end_date = c.end_date().and_then(|d| d.fmt(Format::DateTime).ok()).unwrap_or_default();
    Resource::live("aws_ec2_capacity_reservation", id, region, account, Some(arn.clone()))
        .with("id", id)
        .with("arn", arn)
        .with("owner_id", owner)
        .with("availability_zone", s(c.availability_zone()))
        .with("ebs_optimized", c.ebs_optimized().unwrap_or(false))
        .with("end_date", end_date)
        .with("end_date_type", s(c.end_date_type().map(|t| t.as_str())))
        .with("ephemeral_storage", c.ephemeral_storage().unwrap_or(false))
        .with("instance_count", Value::int(c.total_instance_count().unwrap_or(0).into()))
        .with("instance_match_criteria", s(c.instance_match_criteria().map(|m| m.as_str())))
        .with("instance_platform", s(c.instance_platform().map(|p| p.as_str())))
        .with("instance_type", s(c.instance_type()))
        .with("outpost_arn", s(c.outpost_arn()))
        .with("placement_group_arn", s(c.placement_group_arn()))
        .with("tenancy", s(c.tenancy().map(|t| t.as_str())))
        .with("tags", crate::aws::tags::ec2(c.tags()))
}

#[cfg(test)]
mod tests {
    use super::*;
    use aws_sdk_ec2::types::{CapacityReservationInstancePlatform, EndDateType, InstanceMatchCriteria};
    use serde_json::json;

    #[test]
    fn maps_a_reservation() {
        let c = CapacityReservation::builder()
            .capacity_reservation_id("cr-1")
            .owner_id("123456789012")
            .availability_zone("us-east-1a")
            .instance_type("t3.micro")
            .instance_platform(CapacityReservationInstancePlatform::LinuxUnix)
            .total_instance_count(2)
            .available_instance_count(1)
            .instance_match_criteria(InstanceMatchCriteria::Targeted)
            .end_date_type(EndDateType::Unlimited)
            .state(CapacityReservationState::Active)
            .build();
        let r = map(&c, "us-east-1", "123456789012");
        assert_eq!(r.attr_str("arn"), Some("arn:aws:ec2:us-east-1:123456789012:capacity-reservation/cr-1"));
        assert_eq!(r.attr("instance_count"), &Value::int(2));
        assert_eq!(r.attr_str("instance_platform"), Some("Linux/UNIX"));
        assert_eq!(r.attr_str("instance_match_criteria"), Some("targeted"));
        assert_eq!(r.attr_str("end_date"), Some(""));
        assert_eq!(r.attr_str("tenancy"), Some(""));
        assert!(exists(&c));
        assert!(!exists(&CapacityReservation::builder().state(CapacityReservationState::Cancelled).build()));
    }

    #[test]
    fn modifying_a_reservation() {
        let e = crate::aws::event::of("aws_ec2_capacity_reservation", "ec2", "ModifyCapacityReservation");
        let req = json!({"ModifyCapacityReservationRequest": {"CapacityReservationId": "cr-1", "InstanceCount": 3}});
        assert_eq!(e.identifiers(&req, &json!({})), vec!["cr-1"]);
        assert_eq!(
            e.writes(&req, &json!({})),
            vec![crate::aws::Written::Set { path: "instance_count".into(), value: Value::int(3) }]
        );
    }
}

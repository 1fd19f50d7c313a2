//! `aws_security_group_rule` (the legacy one-resource-per-rule type), read from
//! DescribeSecurityGroups.
//!
//! AWS has no object for this resource: the provider matches its arguments against the
//! group's permissions. Live, Plumb emits one resource per (group, direction, protocol,
//! from, to, single source), identified by the provider's import id
//! (`sg-123_ingress_tcp_22_22_0.0.0.0/0`, built by [`crate::model::sg::sg_rule_import_id`],
//! which the normaliser also uses). A state rule with several sources (`cidr_blocks = [a, b]`)
//! is expanded by the `sg_rules` normalisation pass into the same one-source form, so both
//! sides meet on that id.
//!
//! Every rule of every group is emitted, whichever Terraform form manages it (an inline
//! `ingress` block or an `aws_vpc_security_group_ingress_rule` describes the same AWS rule);
//! the diff judges rule types through their group (its `parent`), so a rule managed in
//! another form is not reported unmanaged. Rules AWS creates itself (allow-all egress, the
//! default group's self ingress) are also flagged `aws_default`.

use futures::FutureExt;

use super::aws_security_group::{self as sg, RuleSource};
use crate::aws::{Ctx, FetchResult, Identity, Read, ResourceType};
use aws_sdk_ec2::types::SecurityGroup;

use crate::model::sg::sg_rule_import_id;
use crate::model::{Resource, Value};

const TYPES: &[&str] = &["aws_security_group_rule"];

pub static TYPE: ResourceType = ResourceType {
    read: Some(Read { fetch: |ctx| fetch(ctx).boxed(), global: false }),
    identity: Identity { parent_attr: Some("security_group_id"), ..Identity::NONE },
    parent: Some("aws_security_group"),
    events: &[
        sg::DELETE_GROUP,
        sg::AUTHORIZE_INGRESS,
        sg::REVOKE_INGRESS,
        sg::AUTHORIZE_EGRESS,
        sg::REVOKE_EGRESS,
        sg::MODIFY_RULES,
    ],
    part_of_views: &["security_group"],
    ..ResourceType::base("aws_security_group_rule", "ec2")
};

async fn fetch(ctx: &Ctx) -> FetchResult {
    let groups = sg::describe_all(ctx, TYPES).await?;
    Ok(groups.iter().flat_map(|g| map(g, &ctx.region, &ctx.account)).collect())
}

/// Every one-source rule of a group, ingress then egress.
pub fn map(g: &SecurityGroup, region: &str, account: &str) -> Vec<Resource> {
    let group_id = g.group_id().unwrap_or_default();
    let in_default = g.group_name() == Some("default");
    let mut out = Vec::new();
    for (rule_type, perms) in [("ingress", g.ip_permissions()), ("egress", g.ip_permissions_egress())] {
        for perm in perms {
            let protocol = sg::protocol_name(perm.ip_protocol().unwrap_or("-1"));
            let (from, to) = sg::ports(perm);
            for (source, description) in sg::rule_sources(perm, group_id, g.owner_id()) {
                let id = sg_rule_import_id(group_id, rule_type, &protocol, from, to, source.id_part());
                let one = |s: &str| Value::string_list([s]);
                let (cidr, ipv6, prefix, group, self_ref) = match &source {
                    RuleSource::Cidr(c) => (one(c), Value::Null, Value::Null, Value::Null, false),
                    RuleSource::Ipv6Cidr(c) => (Value::Null, one(c), Value::Null, Value::Null, false),
                    RuleSource::PrefixList(p) => (Value::Null, Value::Null, one(p), Value::Null, false),
                    RuleSource::Group(gid) => (Value::Null, Value::Null, Value::Null, Value::str(gid), false),
                    RuleSource::SelfRef => (Value::Null, Value::Null, Value::Null, Value::Null, true),
                };
                // No ARN: this resource type names a match, not an AWS object.
                let mut r = Resource::live("aws_security_group_rule", &id, region, account, None)
                    .with("id", id.as_str())
                    .with("security_group_id", group_id)
                    .with("type", rule_type)
                    .with("protocol", protocol.as_str())
                    .with("from_port", Value::int(from))
                    .with("to_port", Value::int(to))
                    .with("cidr_blocks", cidr)
                    .with("ipv6_cidr_blocks", ipv6)
                    .with("prefix_list_ids", prefix)
                    .with("source_security_group_id", group)
                    .with("self", self_ref)
                    .with("description", Value::opt_str(description));
                r.aws_default = sg::is_aws_default_rule(rule_type == "egress", in_default, &protocol, &source);
                out.push(r);
            }
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use aws_sdk_ec2::types::{IpPermission, IpRange, Ipv6Range, UserIdGroupPair};

    fn group() -> SecurityGroup {
        SecurityGroup::builder()
            .group_id("sg-1")
            .group_name("legacy")
            .owner_id("123456789012")
            .ip_permissions(
                IpPermission::builder()
                    .ip_protocol("tcp")
                    .from_port(22)
                    .to_port(22)
                    .ip_ranges(IpRange::builder().cidr_ip("10.1.0.0/16").description("ssh in").build())
                    .ip_ranges(IpRange::builder().cidr_ip("10.2.0.0/16").description("ssh in").build())
                    .build(),
            )
            .ip_permissions(
                IpPermission::builder()
                    .ip_protocol("-1")
                    .user_id_group_pairs(UserIdGroupPair::builder().group_id("sg-1").user_id("123456789012").build())
                    .build(),
            )
            .ip_permissions(
                IpPermission::builder()
                    .ip_protocol("17")
                    .from_port(53)
                    .to_port(53)
                    .user_id_group_pairs(UserIdGroupPair::builder().group_id("sg-2").user_id("123456789012").build())
                    .build(),
            )
            .ip_permissions_egress(
                IpPermission::builder()
                    .ip_protocol("-1")
                    .ip_ranges(IpRange::builder().cidr_ip("0.0.0.0/0").build())
                    .ipv6_ranges(Ipv6Range::builder().cidr_ipv6("::/0").build())
                    .build(),
            )
            .build()
    }

    #[test]
    fn one_resource_per_source_with_import_ids() {
        let rs = map(&group(), "us-east-1", "123456789012");
        let ids: Vec<&str> = rs.iter().map(|r| r.id.as_str()).collect();
        assert_eq!(
            ids,
            [
                "sg-1_ingress_tcp_22_22_10.1.0.0/16",
                "sg-1_ingress_tcp_22_22_10.2.0.0/16",
                "sg-1_ingress_all_0_0_self",
                "sg-1_ingress_udp_53_53_sg-2",
                "sg-1_egress_all_0_0_0.0.0.0/0",
                "sg-1_egress_all_0_0_::/0",
            ]
        );
        let ssh = &rs[0];
        assert_eq!(ssh.attr("cidr_blocks"), &Value::string_list(["10.1.0.0/16"]));
        assert_eq!(ssh.attr("ipv6_cidr_blocks"), &Value::Null);
        assert_eq!(ssh.attr_str("description"), Some("ssh in"));
        assert_eq!(ssh.attr("self"), &Value::Bool(false));
        assert_eq!(ssh.attr("from_port"), &Value::int(22));
        assert!(!ssh.aws_default);

        let selfrule = &rs[2];
        assert_eq!(selfrule.attr("self"), &Value::Bool(true));
        assert_eq!(selfrule.attr("source_security_group_id"), &Value::Null);
        assert_eq!(selfrule.attr_str("protocol"), Some("-1"));
        assert_eq!(selfrule.attr("description"), &Value::Null);
        // Not the default group: a user-made self rule.
        assert!(!selfrule.aws_default);

        let peer = &rs[3];
        assert_eq!(peer.attr_str("protocol"), Some("udp"));
        assert_eq!(peer.attr_str("source_security_group_id"), Some("sg-2"));

        assert!(rs[4].aws_default);
        assert_eq!(rs[5].attr("ipv6_cidr_blocks"), &Value::string_list(["::/0"]));
        assert_eq!(rs[5].attr_str("type"), Some("egress"));
    }
}

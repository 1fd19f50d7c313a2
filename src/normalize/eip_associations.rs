//! An Elastic IP's association is written on the address (`aws_eip.instance`), as an
//! `aws_eip_association`, or by the NAT gateway using the address; the instance it lands on
//! then reads a public address. When an `aws_eip_association` or an `aws_nat_gateway` in
//! state associates an address, that resource owns the association: the address's
//! association fields in state were captured before it was made (stale), and so were the
//! instance's public-address fields. They are not judged there (a disassociation is reported
//! once: on the association, missing).

use std::collections::BTreeSet;

use super::{Pass, Views};
use crate::model::Value;

pub const PASS: Pass = Pass {
    name: "eip_associations",
    why: "an EIP association owned by its own resource (or a NAT gateway) shows on the address and the instance too",
    apply,
};

/// The address's fields that describe its association.
const ADDRESS_FIELDS: &[&str] = &["instance", "network_interface", "private_ip", "association_id", "private_dns"];
/// The instance's fields an association changes.
const INSTANCE_FIELDS: &[&str] = &["associate_public_ip_address", "public_ip", "public_dns"];

fn apply(v: &mut Views) {
    let mut allocations: BTreeSet<String> = BTreeSet::new();
    let mut instances: BTreeSet<String> = BTreeSet::new();
    for r in &v.state {
        match r.rtype.as_str() {
            "aws_eip_association" => {
                allocations.extend(r.attr_str("allocation_id").filter(|s| !s.is_empty()).map(str::to_string));
                instances.extend(r.attr_str("instance_id").filter(|s| !s.is_empty()).map(str::to_string));
            }
            "aws_nat_gateway" => {
                allocations.extend(r.attr_str("allocation_id").filter(|s| !s.is_empty()).map(str::to_string));
                if let Some(l) = r.attr("secondary_allocation_ids").as_list() {
                    allocations.extend(l.iter().filter_map(Value::as_str).map(str::to_string));
                }
            }
            "aws_eip" => {
                instances.extend(r.attr_str("instance").filter(|s| !s.is_empty()).map(str::to_string));
            }
            _ => {}
        }
    }
    for r in &mut v.live {
        let fields = match r.rtype.as_str() {
            "aws_eip" if allocations.contains(&r.id) => ADDRESS_FIELDS,
            "aws_instance" if instances.contains(&r.id) => INSTANCE_FIELDS,
            _ => continue,
        };
        for f in fields {
            r.attributes.remove(*f);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::{Origin, Resource};

    fn state(rtype: &str, id: &str, attrs: &[(&str, &str)]) -> Resource {
        Resource {
            rtype: rtype.into(),
            id: id.into(),
            address: Some(format!("{rtype}.x")),
            region: None,
            attributes: attrs.iter().map(|(k, v)| (k.to_string(), Value::str(*v))).collect(),
            origin: Origin::State { file: "s".into(), index: 0 },
            aws_default: false,
        }
    }

    #[test]
    fn owned_associations_are_judged_once() {
        let live_eip = Resource::live("aws_eip", "eipalloc-1", "us-east-1", "1", None)
            .with("instance", "i-1")
            .with("public_ip", "54.0.0.1");
        let free_eip = Resource::live("aws_eip", "eipalloc-2", "us-east-1", "1", None).with("instance", "i-9");
        let instance =
            Resource::live("aws_instance", "i-1", "us-east-1", "1", None).with("associate_public_ip_address", true);
        let mut v = Views {
            state: vec![
                state("aws_eip", "eipalloc-1", &[("instance", "")]),
                state("aws_eip_association", "eipassoc-1", &[("allocation_id", "eipalloc-1"), ("instance_id", "i-1")]),
                state("aws_eip", "eipalloc-2", &[("instance", "")]),
            ],
            live: vec![live_eip, free_eip, instance],
        };
        apply(&mut v);
        assert_eq!(v.live[0].attr("instance"), &Value::Unknown);
        assert_eq!(v.live[0].attr_str("public_ip"), Some("54.0.0.1"));
        // An address no resource associates: a hand-made association is drift on it.
        assert_eq!(v.live[1].attr_str("instance"), Some("i-9"));
        assert_eq!(v.live[2].attr("associate_public_ip_address"), &Value::Unknown);
    }
}

//! Security-group rule vocabulary shared by the live fetchers and the normaliser, so that
//! a rule read from AWS and a rule read from state meet on the same id and shape.

/// Protocol as the provider stores it: names for tcp/udp/icmp/icmpv6, `-1` for all.
pub fn protocol_name(p: &str) -> String {
    match p.to_ascii_lowercase().as_str() {
        "6" | "tcp" => "tcp".into(),
        "17" | "udp" => "udp".into(),
        "1" | "icmp" => "icmp".into(),
        "58" | "icmpv6" => "icmpv6".into(),
        "all" | "-1" => "-1".into(),
        other => other.into(),
    }
}

/// The import id of a one-source `aws_security_group_rule`, in the provider's format:
/// `sg-123_ingress_tcp_22_22_0.0.0.0/0` (protocol `all` for `-1`, source `self` for a
/// self-reference). Plumb identifies each (rule, source) pair by it.
pub fn sg_rule_import_id(sg_id: &str, direction: &str, protocol: &str, from: i64, to: i64, source: &str) -> String {
    let proto = match protocol_name(protocol).as_str() {
        "-1" => "all".to_string(),
        p => p.to_string(),
    };
    format!("{sg_id}_{direction}_{proto}_{from}_{to}_{source}")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn import_ids_follow_the_provider() {
        assert_eq!(sg_rule_import_id("sg-1", "ingress", "6", 22, 22, "0.0.0.0/0"), "sg-1_ingress_tcp_22_22_0.0.0.0/0");
        assert_eq!(sg_rule_import_id("sg-1", "egress", "-1", 0, 0, "0.0.0.0/0"), "sg-1_egress_all_0_0_0.0.0.0/0");
    }
}

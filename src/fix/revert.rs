//! Revert: the code is right, so nothing in it changes; Terraform puts its value back. The
//! summary gives the exact commands: one `terraform plan` and one `terraform apply`, each
//! with a `-target` per address to restore (missing resources are recreated the same way),
//! the risk of each (updated in place, or replaced: an attribute that forces a new resource
//! changed), and, for what Terraform does not own (a resource made by hand, a rule added by
//! hand to a group whose rules are separate resources), the AWS CLI command that removes it.

use std::collections::BTreeMap;

use crate::model::Value;

/// Attributes whose change makes the AWS provider replace the resource (ForceNew), for the
/// types whose drift is commonly reverted. Unlisted types: the plan says.
const FORCES_NEW: &[(&str, &[&str])] = &[
    ("aws_s3_bucket", &["bucket", "bucket_prefix", "object_lock_enabled"]),
    ("aws_security_group", &["name", "name_prefix", "description", "vpc_id"]),
    (
        "aws_security_group_rule",
        &[
            "type",
            "protocol",
            "from_port",
            "to_port",
            "cidr_blocks",
            "ipv6_cidr_blocks",
            "prefix_list_ids",
            "self",
            "source_security_group_id",
            "security_group_id",
        ],
    ),
    ("aws_subnet", &["vpc_id", "cidr_block", "availability_zone", "availability_zone_id", "outpost_arn"]),
    ("aws_vpc", &["cidr_block", "ipv4_ipam_pool_id", "ipv4_netmask_length"]),
    (
        "aws_instance",
        &[
            "ami",
            "availability_zone",
            "subnet_id",
            "key_name",
            "private_ip",
            "placement_group",
            "tenancy",
            "host_id",
            "ebs_block_device",
            "ephemeral_block_device",
            "network_interface",
            "associate_public_ip_address",
        ],
    ),
    ("aws_ebs_volume", &["availability_zone", "encrypted", "kms_key_id", "snapshot_id", "outpost_arn"]),
    ("aws_kms_key", &["customer_master_key_spec", "key_usage", "multi_region", "custom_key_store_id", "xks_key_id"]),
    ("aws_kms_alias", &["name", "name_prefix"]),
    (
        "aws_db_instance",
        &[
            "identifier",
            "engine",
            "username",
            "db_name",
            "storage_encrypted",
            "kms_key_id",
            "availability_zone",
            "character_set_name",
            "timezone",
            "replicate_source_db",
        ],
    ),
    (
        "aws_rds_cluster",
        &[
            "cluster_identifier",
            "engine",
            "master_username",
            "database_name",
            "storage_encrypted",
            "kms_key_id",
            "availability_zones",
            "engine_mode",
        ],
    ),
    ("aws_db_subnet_group", &["name", "name_prefix"]),
    ("aws_cloudwatch_log_group", &["name", "name_prefix"]),
    ("aws_iam_role", &["name", "name_prefix", "path"]),
    ("aws_iam_user", &[]),
    ("aws_iam_policy", &["name", "name_prefix", "path", "description"]),
    ("aws_eks_cluster", &["name", "encryption_config", "kubernetes_network_config"]),
    (
        "aws_eks_node_group",
        &[
            "cluster_name",
            "node_group_name",
            "node_role_arn",
            "subnet_ids",
            "ami_type",
            "capacity_type",
            "disk_size",
            "instance_types",
            "remote_access",
        ],
    ),
    ("aws_launch_template", &["name", "name_prefix"]),
    ("aws_s3_bucket_server_side_encryption_configuration", &["bucket", "expected_bucket_owner"]),
    ("aws_s3_bucket_versioning", &["bucket", "expected_bucket_owner", "mfa"]),
    ("aws_s3_bucket_public_access_block", &["bucket"]),
    ("aws_vpc_security_group_ingress_rule", &["security_group_id"]),
    ("aws_vpc_security_group_egress_rule", &["security_group_id"]),
];

/// What reverting a resource does.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Risk {
    /// Updated in place.
    Update,
    /// Replaced (destroyed and created): these attributes force it.
    Replace(Vec<String>),
    /// Created again (it is missing).
    Create,
    /// Not known to Plumb: the plan tells.
    SeePlan,
}

impl Risk {
    pub fn text(&self) -> String {
        match self {
            Risk::Update => "update in place".into(),
            Risk::Replace(attrs) => {
                format!("REPLACED: {} forces a new resource (data on it is lost)", attrs.join(", "))
            }
            Risk::Create => "created again".into(),
            Risk::SeePlan => "check the plan: Plumb does not know whether this type is updated or replaced".into(),
        }
    }
}

/// The risk of reverting `paths` on a resource of `rtype`.
pub fn risk(rtype: &str, paths: &[String]) -> Risk {
    let Some((_, attrs)) = FORCES_NEW.iter().find(|(t, _)| *t == rtype) else {
        return Risk::SeePlan;
    };
    let mut forcing: Vec<String> = paths
        .iter()
        .map(|p| p.split(['.', '[']).next().unwrap_or(p).to_string())
        .filter(|top| attrs.contains(&top.as_str()))
        .collect();
    forcing.sort();
    forcing.dedup();
    if forcing.is_empty() { Risk::Update } else { Risk::Replace(forcing) }
}

/// Single-quoted for a POSIX shell.
pub fn shell(s: &str) -> String {
    if s.chars().all(|c| c.is_ascii_alphanumeric() || "-_./:=,@".contains(c)) {
        s.to_string()
    } else {
        format!("'{}'", s.replace('\'', "'\\''"))
    }
}

/// The Terraform commands restoring `targets` (address -> risk).
pub fn terraform(targets: &BTreeMap<String, Risk>) -> Vec<String> {
    if targets.is_empty() {
        return Vec::new();
    }
    let flags: Vec<String> = targets.keys().map(|a| format!("-target={}", shell(a))).collect();
    vec![format!("terraform plan {}", flags.join(" ")), format!("terraform apply {}", flags.join(" "))]
}

/// The AWS CLI command deleting an unmanaged resource, for the types Plumb knows one for.
pub fn delete_command(rtype: &str, id: &str, region: Option<&str>) -> Option<String> {
    let r = region.map(|r| format!(" --region {}", shell(r))).unwrap_or_default();
    let id = shell(id);
    Some(match rtype {
        "aws_s3_bucket" => format!("aws s3api delete-bucket --bucket {id}{r}"),
        "aws_security_group" => format!("aws ec2 delete-security-group --group-id {id}{r}"),
        "aws_instance" => format!("aws ec2 terminate-instances --instance-ids {id}{r}"),
        "aws_vpc" => format!("aws ec2 delete-vpc --vpc-id {id}{r}"),
        "aws_subnet" => format!("aws ec2 delete-subnet --subnet-id {id}{r}"),
        "aws_ebs_volume" => format!("aws ec2 delete-volume --volume-id {id}{r}"),
        "aws_internet_gateway" => format!("aws ec2 delete-internet-gateway --internet-gateway-id {id}{r}"),
        "aws_eip" => format!("aws ec2 release-address --allocation-id {id}{r}"),
        "aws_kms_key" => format!("aws kms schedule-key-deletion --key-id {id} --pending-window-in-days 30{r}"),
        "aws_kms_alias" => format!("aws kms delete-alias --alias-name {id}{r}"),
        "aws_cloudwatch_log_group" => format!("aws logs delete-log-group --log-group-name {id}{r}"),
        "aws_db_instance" => {
            format!(
                "aws rds delete-db-instance --db-instance-identifier {id} --final-db-snapshot-identifier {id}-final{r}"
            )
        }
        "aws_iam_user" => format!("aws iam delete-user --user-name {id}"),
        "aws_iam_policy" => format!("aws iam delete-policy --policy-arn {id}"),
        _ => return None,
    })
}

/// The AWS CLI command revoking one rule (one source) of a group.
pub fn revoke_command(group_id: &str, direction: &str, atom: &Value, region: Option<&str>) -> Option<String> {
    let m = atom.as_map()?;
    let protocol = m.get("protocol").and_then(Value::as_str).map(crate::model::sg::protocol_name)?;
    let mut perm = serde_json::Map::new();
    perm.insert("IpProtocol".into(), protocol.clone().into());
    if protocol != "-1" {
        perm.insert("FromPort".into(), m.get("from_port").and_then(Value::as_i64).unwrap_or(0).into());
        perm.insert("ToPort".into(), m.get("to_port").and_then(Value::as_i64).unwrap_or(0).into());
    }
    let first =
        |k: &str| m.get(k).and_then(Value::as_list).and_then(|l| l.first()).and_then(Value::as_str).map(str::to_string);
    if let Some(c) = first("cidr_blocks") {
        perm.insert("IpRanges".into(), serde_json::json!([{"CidrIp": c}]));
    } else if let Some(c) = first("ipv6_cidr_blocks") {
        perm.insert("Ipv6Ranges".into(), serde_json::json!([{"CidrIpv6": c}]));
    } else if let Some(p) = first("prefix_list_ids") {
        perm.insert("PrefixListIds".into(), serde_json::json!([{"PrefixListId": p}]));
    } else if let Some(g) = first("security_groups") {
        perm.insert("UserIdGroupPairs".into(), serde_json::json!([{"GroupId": g}]));
    } else if m.get("self") == Some(&Value::Bool(true)) {
        perm.insert("UserIdGroupPairs".into(), serde_json::json!([{"GroupId": group_id}]));
    } else {
        return None;
    }
    let json = serde_json::to_string(&serde_json::Value::Array(vec![serde_json::Value::Object(perm)])).ok()?;
    let r = region.map(|r| format!(" --region {}", shell(r))).unwrap_or_default();
    Some(format!(
        "aws ec2 revoke-security-group-{direction} --group-id {} --ip-permissions {}{r}",
        shell(group_id),
        shell(&json)
    ))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn commands_quote_addresses_and_name_the_risk() {
        let mut t = BTreeMap::new();
        t.insert("module.b[\"x\"].aws_s3_bucket.this".to_string(), Risk::Update);
        t.insert("aws_vpc.main".to_string(), Risk::Update);
        assert_eq!(
            terraform(&t)[1],
            "terraform apply -target=aws_vpc.main '-target=module.b[\"x\"].aws_s3_bucket.this'".replace(
                "'-target=module.b[\"x\"].aws_s3_bucket.this'",
                "-target='module.b[\"x\"].aws_s3_bucket.this'"
            )
        );
        assert_eq!(risk("aws_security_group", &["description".into()]), Risk::Replace(vec!["description".into()]));
        assert_eq!(risk("aws_security_group", &["ingress".into()]), Risk::Update);
        assert_eq!(risk("aws_unknown", &["x".into()]), Risk::SeePlan);
        let atom = Value::from_json(
            &serde_json::json!({"protocol": "tcp", "from_port": 22, "to_port": 22, "cidr_blocks": ["0.0.0.0/0"]}),
        );
        assert_eq!(
            revoke_command("sg-1", "ingress", &atom, Some("us-east-1")).unwrap(),
            r#"aws ec2 revoke-security-group-ingress --group-id sg-1 --ip-permissions '[{"IpProtocol":"tcp","FromPort":22,"ToPort":22,"IpRanges":[{"CidrIp":"0.0.0.0/0"}]}]' --region us-east-1"#
        );
    }
}

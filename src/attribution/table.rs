//! The event table: for each CloudTrail write event on a type Plumb scans, which request
//! parameters name the resource, which Terraform resource types it creates, changes or
//! deletes, and which attributes it writes (with the new value read from
//! `requestParameters`, so cause selection can check "sets the drifted attribute to its live
//! value").
//!
//! Shapes are from captured records where the research had them (cloudtrail.md §3 and its
//! appendix) and marked `[inferred]` where they follow the API's shape but no captured record
//! confirms them. Quirks handled here: S3 logs `PutPublicAccessBlock` as
//! `PutBucketPublicAccessBlock` (and lifecycle as `PutBucketLifecycle`), S3 request bodies
//! mirror the XML (a one-element list is an object), `ModifyInstanceAttribute` comes nested
//! (`instanceType.value`) or flat (`attribute`/`value`), `ModifyInstanceMetadataOptions`
//! wraps its fields in `ModifyInstanceMetadataOptionsRequest`, security group rules come as
//! `ipPermissions.items` or flat `cidrIp`/`fromPort`, and KMS names a key by id, ARN or alias
//! (the caller also reads `resources[].ARN` and `responseElements.keyId`).

use std::collections::HashMap;
use std::sync::OnceLock;

use serde_json::Value as Json;

use super::writes::Written;
use crate::model::Value;

/// What an event does to a resource of one type.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Effect {
    Create,
    Modify,
    Delete,
}

/// Which identifiers of a resource an event's identifiers may match: its own (id, ARN,
/// name), or also its parent's (the security group of a rule resource).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Via {
    Own,
    Any,
}

#[derive(Debug, Clone, Copy)]
pub struct Target {
    pub rtype: &'static str,
    pub effect: Effect,
    pub via: Via,
}

const fn own(rtype: &'static str, effect: Effect) -> Target {
    Target { rtype, effect, via: Via::Own }
}

const fn any(rtype: &'static str, effect: Effect) -> Target {
    Target { rtype, effect, via: Via::Any }
}

/// How to read one written attribute from a request.
#[derive(Clone, Copy)]
pub enum W {
    /// `attr` ← the scalar at `path` (alternatives separated by `|`) in `requestParameters`.
    Param(&'static str, &'static str),
    /// `attr` ← the list of strings at `path` (a whole set: security group ids, subnet ids).
    List(&'static str, &'static str),
    /// EC2 attribute requests: `{name: {value: v}}`, `{name: v}` or `{attribute: name, value: v}`.
    Ec2Attr(&'static str, &'static str),
    /// `attr` ← a constant (EnableKeyRotation sets `enable_key_rotation = true`).
    Const(&'static str, bool),
    /// `attr` is written, its new value is not in the request.
    Touch(&'static str),
    /// `tags.<key>` ← value for each element at `items` (`key`/`value` field names).
    Tags { items: &'static str, key: &'static str, value: &'static str },
    /// `tags.<key>` removed for each element at `items` (strings, or objects with `key`).
    Untags { items: &'static str, key: &'static str },
    /// Anything else: `(requestParameters, responseElements, out)`.
    Custom(fn(&Json, &Json, &mut Vec<Written>)),
}

pub struct Spec {
    /// `eventSource` without `.amazonaws.com`.
    pub source: &'static str,
    pub name: &'static str,
    /// Other names the same call is logged under.
    pub also: &'static [&'static str],
    /// Paths of the identifiers in `requestParameters` (`@` prefix: `responseElements`);
    /// `resources[].ARN` is always read too. `a[]` iterates a list (or a lone object).
    pub ids: &'static [&'static str],
    pub targets: &'static [Target],
    pub writes: &'static [W],
    /// For events that delete the resource only with some parameters (PutBucketLogging
    /// without `LoggingEnabled` switches logging off).
    pub deletes_if: Option<fn(&Json) -> bool>,
}

const BASE: Spec = Spec { source: "", name: "", also: &[], ids: &[], targets: &[], writes: &[], deletes_if: None };

use Effect::{Create, Delete, Modify};

// -- target lists ---------------------------------------------------------------------------

const EC2_TAGGABLE: &[Target] = &[
    own("aws_instance", Modify),
    own("aws_vpc", Modify),
    own("aws_subnet", Modify),
    own("aws_security_group", Modify),
    own("aws_ebs_volume", Modify),
    own("aws_vpc_security_group_ingress_rule", Modify),
    own("aws_vpc_security_group_egress_rule", Modify),
];

const S3_ALL_DELETE: &[Target] = &[
    own("aws_s3_bucket", Delete),
    own("aws_s3_bucket_versioning", Delete),
    own("aws_s3_bucket_server_side_encryption_configuration", Delete),
    own("aws_s3_bucket_public_access_block", Delete),
    own("aws_s3_bucket_policy", Delete),
    own("aws_s3_bucket_logging", Delete),
    own("aws_s3_bucket_ownership_controls", Delete),
    own("aws_s3_bucket_lifecycle_configuration", Delete),
];

const SG_RULE_IDS: &[&str] = &[
    "groupId",
    "@securityGroupRuleSet.items[].securityGroupRuleId",
    "securityGroupRuleIds.items[].securityGroupRuleId",
    "securityGroupRuleIds.items[]",
    "SecurityGroupRuleId[]",
];

const RDS_INSTANCE_WRITES: &[W] = &[
    W::Param("backup_retention_period", "backupRetentionPeriod"),
    W::Param("deletion_protection", "deletionProtection"),
    W::Param("publicly_accessible", "publiclyAccessible"),
    W::Param("instance_class", "dBInstanceClass"),
    W::Param("allocated_storage", "allocatedStorage"),
    W::Param("max_allocated_storage", "maxAllocatedStorage"),
    W::Param("multi_az", "multiAZ"),
    W::Param("storage_type", "storageType"),
    W::Param("iops", "iops"),
    W::Param("backup_window", "preferredBackupWindow"),
    W::Param("maintenance_window", "preferredMaintenanceWindow"),
    W::Param("auto_minor_version_upgrade", "autoMinorVersionUpgrade"),
    W::Param("copy_tags_to_snapshot", "copyTagsToSnapshot"),
    W::Param("engine_version", "engineVersion"),
    W::Param("monitoring_interval", "monitoringInterval"),
    W::Param("performance_insights_enabled", "enablePerformanceInsights"),
    W::Param("iam_database_authentication_enabled", "enableIAMDatabaseAuthentication"),
    W::Param("ca_cert_identifier", "cACertificateIdentifier|caCertificateIdentifier"),
    W::Param("parameter_group_name", "dBParameterGroupName"),
    W::Param("db_subnet_group_name", "dBSubnetGroupName"),
    W::Param("storage_encrypted", "storageEncrypted"),
    W::Param("kms_key_id", "kmsKeyId"),
    W::Param("identifier", "newDBInstanceIdentifier"),
    W::List("vpc_security_group_ids", "vpcSecurityGroupIds[]"),
    W::List("enabled_cloudwatch_logs_exports", "enableCloudwatchLogsExports[]"),
    W::Param("password", "masterUserPassword"),
];

const RDS_CLUSTER_WRITES: &[W] = &[
    W::Param("backup_retention_period", "backupRetentionPeriod"),
    W::Param("deletion_protection", "deletionProtection"),
    W::Param("preferred_backup_window", "preferredBackupWindow"),
    W::Param("preferred_maintenance_window", "preferredMaintenanceWindow"),
    W::Param("engine_version", "engineVersion"),
    W::Param("copy_tags_to_snapshot", "copyTagsToSnapshot"),
    W::Param("iam_database_authentication_enabled", "enableIAMDatabaseAuthentication"),
    W::Param("port", "port"),
    W::List("vpc_security_group_ids", "vpcSecurityGroupIds[]"),
    W::Param("master_password", "masterUserPassword"),
];

const INSTANCE_ATTRS: &[W] = &[
    W::Ec2Attr("instance_type", "instanceType"),
    W::Ec2Attr("disable_api_termination", "disableApiTermination"),
    W::Ec2Attr("disable_api_stop", "disableApiStop"),
    W::Ec2Attr("ebs_optimized", "ebsOptimized"),
    W::Ec2Attr("source_dest_check", "sourceDestCheck"),
    W::Ec2Attr("instance_initiated_shutdown_behavior", "instanceInitiatedShutdownBehavior"),
    W::Ec2Attr("user_data", "userData"),
    W::List("vpc_security_group_ids", "groupSet.items[].groupId"),
];

const IMDS: &[W] = &[
    W::Param("metadata_options[0].http_tokens", "ModifyInstanceMetadataOptionsRequest.HttpTokens|httpTokens"),
    W::Param("metadata_options[0].http_endpoint", "ModifyInstanceMetadataOptionsRequest.HttpEndpoint|httpEndpoint"),
    W::Param(
        "metadata_options[0].http_put_response_hop_limit",
        "ModifyInstanceMetadataOptionsRequest.HttpPutResponseHopLimit|httpPutResponseHopLimit",
    ),
    W::Param(
        "metadata_options[0].instance_metadata_tags",
        "ModifyInstanceMetadataOptionsRequest.InstanceMetadataTags|instanceMetadataTags",
    ),
];

// -- the table ------------------------------------------------------------------------------

pub static TABLE: &[Spec] = &[
    // ---- EC2 instances
    Spec {
        source: "ec2",
        name: "RunInstances",
        ids: &["@instancesSet.items[].instanceId"],
        targets: &[own("aws_instance", Create)],
        writes: &[W::Param("instance_type", "instanceType"), W::Param("ami", "instancesSet.items[].imageId")],
        ..BASE
    },
    Spec {
        source: "ec2",
        name: "TerminateInstances",
        ids: &["instancesSet.items[].instanceId"],
        targets: &[own("aws_instance", Delete)],
        ..BASE
    },
    Spec {
        source: "ec2",
        name: "StopInstances",
        ids: &["instancesSet.items[].instanceId"],
        targets: &[own("aws_instance", Modify)],
        ..BASE
    },
    Spec {
        source: "ec2",
        name: "StartInstances",
        ids: &["instancesSet.items[].instanceId"],
        targets: &[own("aws_instance", Modify)],
        ..BASE
    },
    Spec {
        source: "ec2",
        name: "RebootInstances",
        ids: &["instancesSet.items[].instanceId"],
        targets: &[own("aws_instance", Modify)],
        ..BASE
    },
    Spec {
        source: "ec2",
        name: "ModifyInstanceAttribute",
        ids: &["instanceId"],
        targets: &[own("aws_instance", Modify)],
        writes: INSTANCE_ATTRS,
        ..BASE
    },
    Spec {
        source: "ec2",
        name: "ModifyInstanceMetadataOptions",
        ids: &["ModifyInstanceMetadataOptionsRequest.InstanceId", "instanceId"],
        targets: &[own("aws_instance", Modify)],
        writes: IMDS,
        ..BASE
    },
    // ---- EC2 tags (any taggable EC2 resource; one call can tag several)
    Spec {
        source: "ec2",
        name: "CreateTags",
        ids: &["resourcesSet.items[].resourceId"],
        targets: EC2_TAGGABLE,
        writes: &[W::Tags { items: "tagSet.items[]", key: "key", value: "value" }],
        ..BASE
    },
    Spec {
        source: "ec2",
        name: "DeleteTags",
        ids: &["resourcesSet.items[].resourceId"],
        targets: EC2_TAGGABLE,
        writes: &[W::Untags { items: "tagSet.items[]", key: "key" }],
        ..BASE
    },
    // ---- VPCs and subnets [inferred: response shapes follow the EC2 query API]
    Spec {
        source: "ec2",
        name: "CreateVpc",
        ids: &["@vpc.vpcId"],
        targets: &[own("aws_vpc", Create)],
        writes: &[W::Param("cidr_block", "cidrBlock"), W::Param("instance_tenancy", "instanceTenancy")],
        ..BASE
    },
    Spec { source: "ec2", name: "DeleteVpc", ids: &["vpcId"], targets: &[own("aws_vpc", Delete)], ..BASE },
    Spec {
        source: "ec2",
        name: "ModifyVpcAttribute",
        ids: &["vpcId"],
        targets: &[own("aws_vpc", Modify)],
        writes: &[
            W::Ec2Attr("enable_dns_support", "enableDnsSupport"),
            W::Ec2Attr("enable_dns_hostnames", "enableDnsHostnames"),
            W::Ec2Attr("enable_network_address_usage_metrics", "enableNetworkAddressUsageMetrics"),
        ],
        ..BASE
    },
    Spec {
        source: "ec2",
        name: "CreateSubnet",
        ids: &["@subnet.subnetId"],
        targets: &[own("aws_subnet", Create)],
        writes: &[W::Param("cidr_block", "cidrBlock"), W::Param("availability_zone", "availabilityZone")],
        ..BASE
    },
    Spec { source: "ec2", name: "DeleteSubnet", ids: &["subnetId"], targets: &[own("aws_subnet", Delete)], ..BASE },
    Spec {
        source: "ec2",
        name: "ModifySubnetAttribute",
        ids: &["subnetId"],
        targets: &[own("aws_subnet", Modify)],
        writes: &[
            W::Ec2Attr("map_public_ip_on_launch", "mapPublicIpOnLaunch"),
            W::Ec2Attr("assign_ipv6_address_on_creation", "assignIpv6AddressOnCreation"),
            W::Ec2Attr("enable_dns64", "enableDns64"),
        ],
        ..BASE
    },
    // ---- security groups and their rules
    Spec {
        source: "ec2",
        name: "CreateSecurityGroup",
        ids: &["@groupId"],
        targets: &[own("aws_security_group", Create)],
        writes: &[W::Param("name", "groupName"), W::Param("description", "groupDescription")],
        ..BASE
    },
    Spec {
        source: "ec2",
        name: "DeleteSecurityGroup",
        ids: &["groupId"],
        targets: &[
            own("aws_security_group", Delete),
            any("aws_security_group_rule", Delete),
            any("aws_vpc_security_group_ingress_rule", Delete),
            any("aws_vpc_security_group_egress_rule", Delete),
        ],
        ..BASE
    },
    Spec {
        source: "ec2",
        name: "AuthorizeSecurityGroupIngress",
        ids: SG_RULE_IDS,
        targets: &[
            own("aws_security_group", Modify),
            any("aws_security_group_rule", Create),
            any("aws_vpc_security_group_ingress_rule", Create),
        ],
        writes: &[W::Custom(ingress_added)],
        ..BASE
    },
    Spec {
        source: "ec2",
        name: "RevokeSecurityGroupIngress",
        ids: SG_RULE_IDS,
        targets: &[
            own("aws_security_group", Modify),
            any("aws_security_group_rule", Delete),
            any("aws_vpc_security_group_ingress_rule", Delete),
        ],
        writes: &[W::Custom(ingress_removed)],
        ..BASE
    },
    Spec {
        source: "ec2",
        name: "AuthorizeSecurityGroupEgress",
        ids: SG_RULE_IDS,
        targets: &[
            own("aws_security_group", Modify),
            any("aws_security_group_rule", Create),
            any("aws_vpc_security_group_egress_rule", Create),
        ],
        writes: &[W::Custom(egress_added)],
        ..BASE
    },
    Spec {
        source: "ec2",
        name: "RevokeSecurityGroupEgress",
        ids: SG_RULE_IDS,
        targets: &[
            own("aws_security_group", Modify),
            any("aws_security_group_rule", Delete),
            any("aws_vpc_security_group_egress_rule", Delete),
        ],
        writes: &[W::Custom(egress_removed)],
        ..BASE
    },
    Spec {
        // [inferred]
        source: "ec2",
        name: "ModifySecurityGroupRules",
        ids: &[
            "groupId",
            "ModifySecurityGroupRulesRequest.GroupId",
            "securityGroupRuleSet.items[].securityGroupRuleId",
        ],
        targets: &[
            own("aws_security_group", Modify),
            any("aws_security_group_rule", Modify),
            any("aws_vpc_security_group_ingress_rule", Modify),
            any("aws_vpc_security_group_egress_rule", Modify),
        ],
        writes: &[W::Touch("ingress"), W::Touch("egress")],
        ..BASE
    },
    // ---- EBS volumes [inferred]
    Spec {
        source: "ec2",
        name: "CreateVolume",
        ids: &["@volumeId"],
        targets: &[own("aws_ebs_volume", Create)],
        writes: &[W::Param("size", "size"), W::Param("type", "volumeType")],
        ..BASE
    },
    Spec { source: "ec2", name: "DeleteVolume", ids: &["volumeId"], targets: &[own("aws_ebs_volume", Delete)], ..BASE },
    Spec {
        source: "ec2",
        name: "ModifyVolume",
        ids: &["ModifyVolumeRequest.VolumeId", "volumeId"],
        targets: &[own("aws_ebs_volume", Modify)],
        writes: &[
            W::Param("size", "ModifyVolumeRequest.Size|size"),
            W::Param("type", "ModifyVolumeRequest.VolumeType|volumeType"),
            W::Param("iops", "ModifyVolumeRequest.Iops|iops"),
            W::Param("throughput", "ModifyVolumeRequest.Throughput|throughput"),
        ],
        ..BASE
    },
    // ---- RDS
    Spec {
        source: "rds",
        name: "CreateDBInstance",
        ids: &["dBInstanceIdentifier", "@dBInstanceArn"],
        targets: &[own("aws_db_instance", Create)],
        writes: RDS_INSTANCE_WRITES,
        ..BASE
    },
    Spec {
        source: "rds",
        name: "ModifyDBInstance",
        ids: &["dBInstanceIdentifier"],
        targets: &[own("aws_db_instance", Modify)],
        writes: RDS_INSTANCE_WRITES,
        ..BASE
    },
    Spec {
        source: "rds",
        name: "DeleteDBInstance",
        ids: &["dBInstanceIdentifier"],
        targets: &[own("aws_db_instance", Delete)],
        ..BASE
    },
    Spec {
        source: "rds",
        name: "RebootDBInstance",
        ids: &["dBInstanceIdentifier"],
        targets: &[own("aws_db_instance", Modify)],
        ..BASE
    },
    Spec {
        source: "rds",
        name: "StopDBInstance",
        ids: &["dBInstanceIdentifier"],
        targets: &[own("aws_db_instance", Modify)],
        ..BASE
    },
    Spec {
        source: "rds",
        name: "StartDBInstance",
        ids: &["dBInstanceIdentifier"],
        targets: &[own("aws_db_instance", Modify)],
        ..BASE
    },
    Spec {
        source: "rds",
        name: "CreateDBCluster",
        ids: &["dBClusterIdentifier", "@dBClusterArn"],
        targets: &[own("aws_rds_cluster", Create)],
        writes: RDS_CLUSTER_WRITES,
        ..BASE
    },
    Spec {
        source: "rds",
        name: "ModifyDBCluster",
        ids: &["dBClusterIdentifier"],
        targets: &[own("aws_rds_cluster", Modify)],
        writes: RDS_CLUSTER_WRITES,
        ..BASE
    },
    Spec {
        source: "rds",
        name: "DeleteDBCluster",
        ids: &["dBClusterIdentifier"],
        targets: &[own("aws_rds_cluster", Delete)],
        ..BASE
    },
    Spec {
        source: "rds",
        name: "CreateDBSubnetGroup",
        ids: &["dBSubnetGroupName"],
        targets: &[own("aws_db_subnet_group", Create)],
        writes: &[W::Param("description", "dBSubnetGroupDescription"), W::List("subnet_ids", "subnetIds[]")],
        ..BASE
    },
    Spec {
        source: "rds",
        name: "ModifyDBSubnetGroup",
        ids: &["dBSubnetGroupName"],
        targets: &[own("aws_db_subnet_group", Modify)],
        writes: &[W::Param("description", "dBSubnetGroupDescription"), W::List("subnet_ids", "subnetIds[]")],
        ..BASE
    },
    Spec {
        source: "rds",
        name: "DeleteDBSubnetGroup",
        ids: &["dBSubnetGroupName"],
        targets: &[own("aws_db_subnet_group", Delete)],
        ..BASE
    },
    Spec {
        source: "rds",
        name: "AddTagsToResource",
        ids: &["resourceName"],
        targets: &[own("aws_db_instance", Modify), own("aws_rds_cluster", Modify), own("aws_db_subnet_group", Modify)],
        writes: &[W::Tags { items: "tags[]", key: "key", value: "value" }],
        ..BASE
    },
    Spec {
        source: "rds",
        name: "RemoveTagsFromResource",
        ids: &["resourceName"],
        targets: &[own("aws_db_instance", Modify), own("aws_rds_cluster", Modify), own("aws_db_subnet_group", Modify)],
        writes: &[W::Untags { items: "tagKeys[]", key: "" }],
        ..BASE
    },
    // ---- S3 buckets and their split settings
    Spec { source: "s3", name: "CreateBucket", ids: &["bucketName"], targets: &[own("aws_s3_bucket", Create)], ..BASE },
    Spec { source: "s3", name: "DeleteBucket", ids: &["bucketName"], targets: S3_ALL_DELETE, ..BASE },
    Spec {
        source: "s3",
        name: "PutBucketVersioning",
        ids: &["bucketName"],
        targets: &[own("aws_s3_bucket_versioning", Modify)],
        writes: &[
            W::Param("versioning_configuration[0].status", "VersioningConfiguration.Status"),
            W::Param("versioning_configuration[0].mfa_delete", "VersioningConfiguration.MfaDelete"),
        ],
        ..BASE
    },
    Spec {
        source: "s3",
        name: "PutBucketEncryption",
        ids: &["bucketName"],
        targets: &[own("aws_s3_bucket_server_side_encryption_configuration", Modify)],
        writes: &[W::Custom(sse_rules)],
        ..BASE
    },
    Spec {
        source: "s3",
        name: "DeleteBucketEncryption",
        ids: &["bucketName"],
        targets: &[own("aws_s3_bucket_server_side_encryption_configuration", Delete)],
        ..BASE
    },
    Spec {
        source: "s3",
        name: "PutBucketPublicAccessBlock",
        also: &["PutPublicAccessBlock"],
        ids: &["bucketName"],
        targets: &[own("aws_s3_bucket_public_access_block", Modify)],
        writes: &[
            W::Param("block_public_acls", "PublicAccessBlockConfiguration.BlockPublicAcls"),
            W::Param("block_public_policy", "PublicAccessBlockConfiguration.BlockPublicPolicy"),
            W::Param("ignore_public_acls", "PublicAccessBlockConfiguration.IgnorePublicAcls"),
            W::Param("restrict_public_buckets", "PublicAccessBlockConfiguration.RestrictPublicBuckets"),
        ],
        ..BASE
    },
    Spec {
        source: "s3",
        name: "DeleteBucketPublicAccessBlock",
        also: &["DeletePublicAccessBlock"],
        ids: &["bucketName"],
        targets: &[own("aws_s3_bucket_public_access_block", Delete)],
        ..BASE
    },
    Spec {
        source: "s3",
        name: "PutBucketPolicy",
        ids: &["bucketName"],
        targets: &[own("aws_s3_bucket_policy", Modify)],
        writes: &[W::Custom(bucket_policy)],
        ..BASE
    },
    Spec {
        source: "s3",
        name: "DeleteBucketPolicy",
        ids: &["bucketName"],
        targets: &[own("aws_s3_bucket_policy", Delete)],
        ..BASE
    },
    Spec {
        source: "s3",
        name: "PutBucketTagging",
        ids: &["bucketName"],
        targets: &[own("aws_s3_bucket", Modify)],
        writes: &[W::Custom(bucket_tags)],
        ..BASE
    },
    Spec {
        source: "s3",
        name: "DeleteBucketTagging",
        ids: &["bucketName"],
        targets: &[own("aws_s3_bucket", Modify)],
        writes: &[W::Custom(|_, _, out| {
            out.push(Written::Set { path: "tags".into(), value: Value::Map(Default::default()) })
        })],
        ..BASE
    },
    Spec {
        source: "s3",
        name: "PutBucketOwnershipControls",
        ids: &["bucketName"],
        targets: &[own("aws_s3_bucket_ownership_controls", Modify)],
        writes: &[W::Param("rule[0].object_ownership", "OwnershipControls.Rule.ObjectOwnership")],
        ..BASE
    },
    Spec {
        source: "s3",
        name: "DeleteBucketOwnershipControls",
        ids: &["bucketName"],
        targets: &[own("aws_s3_bucket_ownership_controls", Delete)],
        ..BASE
    },
    Spec {
        source: "s3",
        name: "PutBucketLogging",
        ids: &["bucketName"],
        targets: &[own("aws_s3_bucket_logging", Modify)],
        writes: &[W::Custom(bucket_logging)],
        deletes_if: Some(|req| req.pointer("/BucketLoggingStatus/LoggingEnabled").is_none()),
        ..BASE
    },
    Spec {
        source: "s3",
        name: "PutBucketLifecycle",
        also: &["PutBucketLifecycleConfiguration"],
        ids: &["bucketName"],
        targets: &[own("aws_s3_bucket_lifecycle_configuration", Modify)],
        writes: &[W::Touch("rule")],
        ..BASE
    },
    Spec {
        source: "s3",
        name: "DeleteBucketLifecycle",
        ids: &["bucketName"],
        targets: &[own("aws_s3_bucket_lifecycle_configuration", Delete)],
        ..BASE
    },
    // ---- KMS (keyId may be an id, an ARN or an alias: resources[].ARN normalises it)
    Spec {
        source: "kms",
        name: "CreateKey",
        ids: &["@keyMetadata.keyId", "@keyMetadata.arn"],
        targets: &[own("aws_kms_key", Create)],
        writes: &[W::Param("description", "description"), W::Param("policy", "policy")],
        ..BASE
    },
    Spec {
        source: "kms",
        name: "ScheduleKeyDeletion",
        ids: &["keyId", "@keyId"],
        targets: &[own("aws_kms_key", Delete)],
        writes: &[W::Param("deletion_window_in_days", "pendingWindowInDays")],
        ..BASE
    },
    Spec {
        source: "kms",
        name: "CancelKeyDeletion",
        ids: &["keyId", "@keyId"],
        targets: &[own("aws_kms_key", Modify)],
        ..BASE
    },
    Spec {
        source: "kms",
        name: "EnableKeyRotation",
        ids: &["keyId", "@keyId"],
        targets: &[own("aws_kms_key", Modify)],
        writes: &[W::Const("enable_key_rotation", true), W::Param("rotation_period_in_days", "rotationPeriodInDays")],
        ..BASE
    },
    Spec {
        source: "kms",
        name: "DisableKeyRotation",
        ids: &["keyId", "@keyId"],
        targets: &[own("aws_kms_key", Modify)],
        writes: &[W::Const("enable_key_rotation", false)],
        ..BASE
    },
    Spec {
        source: "kms",
        name: "PutKeyPolicy",
        ids: &["keyId"],
        targets: &[own("aws_kms_key", Modify)],
        writes: &[W::Param("policy", "policy")],
        ..BASE
    },
    Spec {
        source: "kms",
        name: "EnableKey",
        ids: &["keyId"],
        targets: &[own("aws_kms_key", Modify)],
        writes: &[W::Const("is_enabled", true)],
        ..BASE
    },
    Spec {
        source: "kms",
        name: "DisableKey",
        ids: &["keyId"],
        targets: &[own("aws_kms_key", Modify)],
        writes: &[W::Const("is_enabled", false)],
        ..BASE
    },
    Spec {
        source: "kms",
        name: "UpdateKeyDescription",
        ids: &["keyId"],
        targets: &[own("aws_kms_key", Modify)],
        writes: &[W::Param("description", "description")],
        ..BASE
    },
    Spec {
        source: "kms",
        name: "TagResource",
        ids: &["keyId"],
        targets: &[own("aws_kms_key", Modify)],
        writes: &[W::Tags { items: "tags[]", key: "tagKey", value: "tagValue" }],
        ..BASE
    },
    Spec {
        source: "kms",
        name: "UntagResource",
        ids: &["keyId"],
        targets: &[own("aws_kms_key", Modify)],
        writes: &[W::Untags { items: "tagKeys[]", key: "" }],
        ..BASE
    },
    Spec {
        // Automatic rotation: an AwsServiceEvent with the key in resources[].
        source: "kms",
        name: "RotateKey",
        targets: &[own("aws_kms_key", Modify)],
        ..BASE
    },
    Spec {
        source: "kms",
        name: "CreateAlias",
        ids: &["aliasName"],
        targets: &[own("aws_kms_alias", Create)],
        writes: &[W::Param("target_key_id", "targetKeyId")],
        ..BASE
    },
    Spec {
        source: "kms",
        name: "UpdateAlias",
        ids: &["aliasName"],
        targets: &[own("aws_kms_alias", Modify)],
        writes: &[W::Param("target_key_id", "targetKeyId")],
        ..BASE
    },
    Spec { source: "kms", name: "DeleteAlias", ids: &["aliasName"], targets: &[own("aws_kms_alias", Delete)], ..BASE },
];

/// The spec for an event (`eventSource` as logged, e.g. `s3.amazonaws.com`).
pub fn spec(event_source: &str, event_name: &str) -> Option<&'static Spec> {
    static MAP: OnceLock<HashMap<(&'static str, &'static str), &'static Spec>> = OnceLock::new();
    let map = MAP.get_or_init(|| {
        let mut m = HashMap::new();
        for s in TABLE {
            for name in std::iter::once(&s.name).chain(s.also) {
                let prev = m.insert((s.source, *name), s);
                assert!(prev.is_none(), "event {}:{name} is in the table twice", s.source);
            }
        }
        m
    });
    let source = event_source.strip_suffix(".amazonaws.com").unwrap_or(event_source);
    map.get(&(source, event_name)).copied()
}

/// Is any event of this name in the table (any service)? For skipping records unparsed.
pub fn known_name(event_name: &str) -> bool {
    static NAMES: OnceLock<std::collections::HashSet<&'static str>> = OnceLock::new();
    NAMES
        .get_or_init(|| TABLE.iter().flat_map(|s| std::iter::once(s.name).chain(s.also.iter().copied())).collect())
        .contains(event_name)
}

// -- reading requests -----------------------------------------------------------------------

/// Values at a dotted path; `a[]` iterates a list (or a lone object, S3's one-element lists).
pub fn pluck<'a>(v: &'a Json, path: &str, out: &mut Vec<&'a Json>) {
    if path.is_empty() {
        out.push(v);
        return;
    }
    let (seg, rest) = path.split_once('.').unwrap_or((path, ""));
    let (name, each) = match seg.strip_suffix("[]") {
        Some(n) => (n, true),
        None => (seg, false),
    };
    let Some(x) = v.get(name) else { return };
    match (each, x) {
        (true, Json::Array(items)) => items.iter().for_each(|e| pluck(e, rest, out)),
        (true, Json::Null) => {}
        _ => pluck(x, rest, out),
    }
}

/// First value at any of `a|b|c`.
fn first<'a>(v: &'a Json, paths: &str) -> Option<&'a Json> {
    paths.split('|').find_map(|p| {
        let mut out = Vec::new();
        pluck(v, p, &mut out);
        out.into_iter().find(|x| !x.is_null())
    })
}

/// Strings at the spec's identifier paths.
pub fn identifiers(spec: &Spec, req: &Json, resp: &Json) -> Vec<String> {
    let mut out = Vec::new();
    for path in spec.ids {
        let mut found = Vec::new();
        match path.strip_prefix('@') {
            Some(p) => pluck(resp, p, &mut found),
            None => pluck(req, path, &mut found),
        }
        out.extend(found.into_iter().filter_map(scalar_string));
    }
    out
}

fn scalar_string(v: &Json) -> Option<String> {
    match v {
        Json::String(s) if !s.is_empty() => Some(s.clone()),
        Json::Number(n) => Some(n.to_string()),
        _ => None,
    }
}

/// A request value as a model value; CloudTrail's redaction markers become `Sensitive`.
fn value(v: &Json) -> Value {
    match v {
        Json::String(s) if is_redacted(s) => Value::Sensitive,
        other => Value::from_json(other),
    }
}

fn is_redacted(s: &str) -> bool {
    s == "****" || s == "<sensitiveDataRemoved>" || s == "HIDDEN_DUE_TO_SECURITY_REASONS"
}

/// Every attribute the event writes.
pub fn writes(spec: &Spec, req: &Json, resp: &Json) -> Vec<Written> {
    let mut out = Vec::new();
    for w in spec.writes {
        match *w {
            W::Param(attr, paths) => {
                if let Some(v) = first(req, paths) {
                    out.push(Written::Set { path: attr.into(), value: value(v) });
                }
            }
            W::List(attr, path) => {
                let mut found = Vec::new();
                pluck(req, path, &mut found);
                // Only when the request names the list at all (an absent parameter is no write).
                let named = req.get(path.split(['.', '[']).next().unwrap_or(path)).is_some();
                if named {
                    let mut items: Vec<String> = found.into_iter().filter_map(scalar_string).collect();
                    items.sort();
                    items.dedup();
                    out.push(Written::Set { path: attr.into(), value: Value::string_list(items) });
                }
            }
            W::Ec2Attr(attr, name) => {
                let v = match req.get(name) {
                    Some(Json::Object(o)) => o.get("value"),
                    Some(other) => Some(other),
                    None if req.get("attribute").and_then(Json::as_str) == Some(name) => req.get("value"),
                    None => None,
                };
                match v {
                    Some(v) if !v.is_null() => out.push(Written::Set { path: attr.into(), value: value(v) }),
                    Some(_) => out.push(Written::Touch { path: attr.into() }),
                    None => {}
                }
            }
            W::Const(attr, b) => out.push(Written::Set { path: attr.into(), value: Value::Bool(b) }),
            W::Touch(attr) => out.push(Written::Touch { path: attr.into() }),
            W::Tags { items, key, value: vkey } => {
                let mut found = Vec::new();
                pluck(req, items, &mut found);
                for t in found {
                    if let Some(k) = t.get(key).and_then(Json::as_str) {
                        let v = t.get(vkey).map(value).unwrap_or(Value::Null);
                        out.push(Written::Set { path: format!("tags.{k}"), value: v });
                    }
                }
            }
            W::Untags { items, key } => {
                let mut found = Vec::new();
                pluck(req, items, &mut found);
                for t in found {
                    let k = if key.is_empty() { t.as_str() } else { t.get(key).and_then(Json::as_str) };
                    if let Some(k) = k {
                        out.push(Written::Unset { path: format!("tags.{k}") });
                    }
                }
            }
            W::Custom(f) => f(req, resp, &mut out),
        }
    }
    out
}

// -- custom readers -------------------------------------------------------------------------

fn ingress_added(req: &Json, _: &Json, out: &mut Vec<Written>) {
    out.push(Written::Add { path: "ingress".into(), elems: ip_permissions(req) });
}
fn ingress_removed(req: &Json, _: &Json, out: &mut Vec<Written>) {
    out.push(Written::Remove { path: "ingress".into(), elems: ip_permissions(req) });
}
fn egress_added(req: &Json, _: &Json, out: &mut Vec<Written>) {
    out.push(Written::Add { path: "egress".into(), elems: ip_permissions(req) });
}
fn egress_removed(req: &Json, _: &Json, out: &mut Vec<Written>) {
    out.push(Written::Remove { path: "egress".into(), elems: ip_permissions(req) });
}

/// Security group rules of a request as (partial) elements of the provider's `ingress` /
/// `egress` sets: nested `ipPermissions.items[]` or the flat form (`ipProtocol`, `fromPort`,
/// `toPort`, `cidrIp` at the top, `ipPermissions: {}`).
pub fn ip_permissions(req: &Json) -> Vec<Value> {
    let mut perms = Vec::new();
    pluck(req, "ipPermissions.items[]", &mut perms);
    let mut out: Vec<Value> = perms.into_iter().map(|p| permission(p, "")).collect();
    if out.is_empty() && (req.get("ipProtocol").is_some() || req.get("cidrIp").is_some()) {
        out.push(permission(req, ""));
    }
    out
}

fn permission(p: &Json, _: &str) -> Value {
    let mut m = std::collections::BTreeMap::new();
    if let Some(proto) = p.get("ipProtocol") {
        m.insert("protocol".to_string(), Value::from_json(proto));
    }
    for (json, attr) in [("fromPort", "from_port"), ("toPort", "to_port")] {
        if let Some(v) = p.get(json).filter(|v| !v.is_null()) {
            m.insert(attr.to_string(), Value::from_json(v));
        }
    }
    let mut list = |path: &str, attr: &str| {
        let mut found = Vec::new();
        pluck(p, path, &mut found);
        let items: Vec<String> = found.into_iter().filter_map(scalar_string).collect();
        if !items.is_empty() {
            m.insert(attr.to_string(), Value::string_list(items));
        }
    };
    list("ipRanges.items[].cidrIp", "cidr_blocks");
    list("cidrIp", "cidr_blocks");
    list("ipv6Ranges.items[].cidrIpv6", "ipv6_cidr_blocks");
    list("prefixListIds.items[].prefixListId", "prefix_list_ids");
    list("groups.items[].groupId", "security_groups");
    Value::Map(m)
}

/// `ServerSideEncryptionConfiguration.Rule` (one object, or a list when there are several).
fn sse_rules(req: &Json, _: &Json, out: &mut Vec<Written>) {
    let mut rules = Vec::new();
    pluck(req, "ServerSideEncryptionConfiguration.Rule[]", &mut rules);
    if rules.is_empty() {
        out.push(Written::Touch { path: "rule".into() });
        return;
    }
    let elems = rules
        .into_iter()
        .map(|r| {
            let mut by_default = std::collections::BTreeMap::new();
            if let Some(d) = r.get("ApplyServerSideEncryptionByDefault") {
                if let Some(a) = d.get("SSEAlgorithm") {
                    by_default.insert("sse_algorithm".to_string(), value(a));
                }
                if let Some(k) = d.get("KMSMasterKeyID") {
                    by_default.insert("kms_master_key_id".to_string(), value(k));
                }
            }
            let mut m = std::collections::BTreeMap::new();
            m.insert("apply_server_side_encryption_by_default".to_string(), Value::List(vec![Value::Map(by_default)]));
            if let Some(b) = r.get("BucketKeyEnabled") {
                m.insert("bucket_key_enabled".to_string(), value(b));
            }
            Value::Map(m)
        })
        .collect();
    out.push(Written::Set { path: "rule".into(), value: Value::List(elems) });
}

fn bucket_policy(req: &Json, _: &Json, out: &mut Vec<Written>) {
    match req.get("bucketPolicy") {
        Some(Json::String(s)) => out.push(Written::Set { path: "policy".into(), value: Value::str(s.clone()) }),
        Some(p @ Json::Object(_)) => out.push(Written::Set { path: "policy".into(), value: Value::str(p.to_string()) }),
        _ => out.push(Written::Touch { path: "policy".into() }),
    }
}

/// `Tagging.TagSet.Tag[]` replaces every tag of the bucket.
fn bucket_tags(req: &Json, _: &Json, out: &mut Vec<Written>) {
    let mut tags = Vec::new();
    pluck(req, "Tagging.TagSet.Tag[]", &mut tags);
    let map = tags
        .into_iter()
        .filter_map(|t| Some((t.get("Key")?.as_str()?.to_string(), t.get("Value").map(value).unwrap_or(Value::Null))))
        .collect();
    out.push(Written::Set { path: "tags".into(), value: Value::Map(map) });
}

fn bucket_logging(req: &Json, _: &Json, out: &mut Vec<Written>) {
    match req.pointer("/BucketLoggingStatus/LoggingEnabled") {
        Some(l) => {
            if let Some(b) = l.get("TargetBucket") {
                out.push(Written::Set { path: "target_bucket".into(), value: value(b) });
            }
            if let Some(p) = l.get("TargetPrefix") {
                out.push(Written::Set { path: "target_prefix".into(), value: value(p) });
            }
        }
        None => out.push(Written::Unset { path: "target_bucket".into() }),
    }
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    use super::*;

    #[test]
    fn table_is_consistent() {
        // Every name resolves, aliases included, and no (source, name) is listed twice.
        for s in TABLE {
            assert!(std::ptr::eq(spec(&format!("{}.amazonaws.com", s.source), s.name).unwrap(), s));
            for a in s.also {
                assert!(std::ptr::eq(spec(&format!("{}.amazonaws.com", s.source), a).unwrap(), s));
            }
            assert!(!s.targets.is_empty(), "{} has no targets", s.name);
        }
        assert!(spec("s3.amazonaws.com", "GetBucketVersioning").is_none());
        assert!(known_name("PutPublicAccessBlock"));
    }

    #[test]
    fn modify_instance_attribute_shapes() {
        let s = spec("ec2.amazonaws.com", "ModifyInstanceAttribute").unwrap();
        let nested = json!({"instanceId":"i-1","instanceType":{"value":"t3.large"}});
        let flat = json!({"instanceId":"i-1","attribute":"instanceType","value":"t3.large"});
        let want = vec![Written::Set { path: "instance_type".into(), value: "t3.large".into() }];
        assert_eq!(writes(s, &nested, &Json::Null), want);
        assert_eq!(writes(s, &flat, &Json::Null), want);
        let user_data = json!({"instanceId":"i-1","userData":"<sensitiveDataRemoved>"});
        assert_eq!(
            writes(s, &user_data, &Json::Null),
            vec![Written::Set { path: "user_data".into(), value: Value::Sensitive }]
        );
        assert_eq!(identifiers(s, &nested, &Json::Null), vec!["i-1"]);
    }

    #[test]
    fn imds_wrapper_and_tags() {
        let s = spec("ec2.amazonaws.com", "ModifyInstanceMetadataOptions").unwrap();
        let req = json!({"ModifyInstanceMetadataOptionsRequest":{"InstanceId":"i-9","HttpTokens":"optional","HttpEndpoint":"enabled"}});
        assert_eq!(identifiers(s, &req, &Json::Null), vec!["i-9"]);
        assert!(
            writes(s, &req, &Json::Null)
                .contains(&Written::Set { path: "metadata_options[0].http_tokens".into(), value: "optional".into() })
        );
        let t = spec("ec2.amazonaws.com", "CreateTags").unwrap();
        let req = json!({"resourcesSet":{"items":[{"resourceId":"i-1"},{"resourceId":"vol-2"}]},
                         "tagSet":{"items":[{"key":"Owner","value":"mallory"}]}});
        assert_eq!(identifiers(t, &req, &Json::Null), vec!["i-1", "vol-2"]);
        assert_eq!(
            writes(t, &req, &Json::Null),
            vec![Written::Set { path: "tags.Owner".into(), value: "mallory".into() }]
        );
    }

    #[test]
    fn security_group_rule_shapes() {
        let nested = json!({"groupId":"sg-1","ipPermissions":{"items":[{"fromPort":22,"groups":{},"ipProtocol":"tcp",
            "ipRanges":{"items":[{"cidrIp":"203.0.113.0/24"}]},"ipv6Ranges":{},"prefixListIds":{},"toPort":22}]}});
        let flat = json!({"groupId":"sg-1","ipPermissions":{},"ipProtocol":"tcp","fromPort":22,"toPort":22,"cidrIp":"203.0.113.0/24"});
        let want = Value::object([
            ("protocol", "tcp".into()),
            ("from_port", Value::int(22)),
            ("to_port", Value::int(22)),
            ("cidr_blocks", Value::string_list(["203.0.113.0/24"])),
        ]);
        assert_eq!(ip_permissions(&nested), vec![want.clone()]);
        assert_eq!(ip_permissions(&flat), vec![want]);
        let s = spec("ec2.amazonaws.com", "AuthorizeSecurityGroupIngress").unwrap();
        let resp = json!({"securityGroupRuleSet":{"items":[{"securityGroupRuleId":"sgr-027eb7c59241731e0"}]}});
        assert_eq!(identifiers(s, &nested, &resp), vec!["sg-1", "sgr-027eb7c59241731e0"]);
    }

    #[test]
    fn s3_xml_mirrors() {
        let s = spec("s3.amazonaws.com", "PutBucketEncryption").unwrap();
        let req = json!({"bucketName":"b","encryption":"","ServerSideEncryptionConfiguration":{"xmlns":"x",
            "Rule":{"ApplyServerSideEncryptionByDefault":{"SSEAlgorithm":"AES256"},"BucketKeyEnabled":false}}});
        let w = writes(s, &req, &Json::Null);
        assert_eq!(w.len(), 1);
        assert!(serde_json::to_string(&w[0]).unwrap().contains("AES256"));
        let pab = spec("s3.amazonaws.com", "PutPublicAccessBlock").unwrap();
        assert_eq!(pab.name, "PutBucketPublicAccessBlock");
        let tags = spec("s3.amazonaws.com", "PutBucketTagging").unwrap();
        let req = json!({"bucketName":"b","Tagging":{"TagSet":{"Tag":{"Key":"Owner","Value":"x"}}}});
        assert_eq!(
            writes(tags, &req, &Json::Null),
            vec![Written::Set { path: "tags".into(), value: Value::string_map([("Owner", "x")]) }]
        );
        let logging = spec("s3.amazonaws.com", "PutBucketLogging").unwrap();
        assert!((logging.deletes_if.unwrap())(&json!({"bucketName":"b","BucketLoggingStatus":{"xmlns":"x"}})));
    }
}

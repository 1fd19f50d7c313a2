//! `aws_launch_template`: DescribeLaunchTemplates (paginated) for the templates, then one
//! bulk, paginated DescribeLaunchTemplateVersions with `Versions = ["$Default"]` (no
//! template named: AWS answers the default version of every template) for their data.
//!
//! Like the provider, the template's settings are its **default** version's data;
//! `default_version` and `latest_version` are the template's numbers, and `description` is
//! the default version's description. `update_default_version` is configuration only (the
//! provider never reads it): a new version that is not made the default changes
//! `latest_version` and nothing else.
//!
//! Follows the provider's read: booleans of block devices and network interfaces are the
//! strings `"true"`/`"false"` (`""` when AWS answers none), absent strings `""`, absent
//! numbers `0`, absent blocks `[]`, `user_data` base64 as AWS returns it, `aws:*` tags of
//! tag specifications hidden.
//!
//! AWS-managed: the templates EKS creates for managed node groups (`eks-<uuid>`, tagged
//! `eks:nodegroup-name`) are flagged `aws_default`, never unmanaged.
//!
//! Left Unknown: `credit_specification` (the provider keeps the configured value unless the
//! instance type is burstable, which needs DescribeInstanceTypes), and, when the template
//! has them, `instance_requirements`, `instance_market_options` and
//! `capacity_reservation_specification` (deep attribute-based selection blocks).

use std::collections::HashMap;

use aws_sdk_ec2::types::{LaunchTemplate, LaunchTemplateVersion, ResponseLaunchTemplateData};
use futures::FutureExt;
use serde_json::Value as J;

use super::{is_uuid, metadata_options, name_prefix};
use crate::aws::errors::read_error;
use crate::aws::event::{Event, W, Written, first, scalar_string};
use crate::aws::view::*;
use crate::aws::{Ctx, FetchResult, Identity, Read, ResourceType, ViewDef};
use crate::model::{Resource, Value, View};

const TYPES: &[&str] = &["aws_launch_template"];

pub static TYPE: ResourceType = ResourceType {
    read: Some(Read { fetch: |ctx| fetch(ctx).boxed(), global: false }),
    identity: Identity::arn("ec2", "launch-template/", &["name"]),
    events: &[
        Event::create(
            "ec2",
            "CreateLaunchTemplate",
            &[
                "CreateLaunchTemplateRequest.LaunchTemplateName",
                "launchTemplateName",
                "@CreateLaunchTemplateResponse.launchTemplate.launchTemplateId",
                "@launchTemplate.launchTemplateId",
            ],
        )
        .writing(DATA),
        Event::modify(
            "ec2",
            "CreateLaunchTemplateVersion",
            &[
                "CreateLaunchTemplateVersionRequest.LaunchTemplateId",
                "CreateLaunchTemplateVersionRequest.LaunchTemplateName",
                "launchTemplateId",
                "launchTemplateName",
            ],
        )
        .writing(DATA),
        Event::modify(
            "ec2",
            "ModifyLaunchTemplate",
            &[
                "ModifyLaunchTemplateRequest.LaunchTemplateId",
                "ModifyLaunchTemplateRequest.LaunchTemplateName",
                "launchTemplateId",
                "launchTemplateName",
            ],
        )
        .writing(&[W::Custom(default_version)]),
        Event::delete(
            "ec2",
            "DeleteLaunchTemplate",
            &[
                "DeleteLaunchTemplateRequest.LaunchTemplateId",
                "DeleteLaunchTemplateRequest.LaunchTemplateName",
                "launchTemplateId",
                "launchTemplateName",
            ],
        ),
        Event::modify(
            "ec2",
            "DeleteLaunchTemplateVersions",
            &[
                "DeleteLaunchTemplateVersionsRequest.LaunchTemplateId",
                "DeleteLaunchTemplateVersionsRequest.LaunchTemplateName",
                "launchTemplateId",
                "launchTemplateName",
            ],
        )
        .writing(&[W::Touch("latest_version")]),
        super::CREATE_TAGS,
        super::DELETE_TAGS,
    ],
    view: Some(&VIEW),
    ..ResourceType::base("aws_launch_template", "ec2")
};

/// What a new version carries (requests come wrapped in `...Request.LaunchTemplateData`, or
/// flat and camel-cased).
const DATA: &[W] = &[
    W::Touch("latest_version"),
    W::Param(
        "metadata_options[0].http_tokens",
        "CreateLaunchTemplateVersionRequest.LaunchTemplateData.MetadataOptions.HttpTokens|\
         CreateLaunchTemplateRequest.LaunchTemplateData.MetadataOptions.HttpTokens|\
         launchTemplateData.metadataOptions.httpTokens",
    ),
    W::Param(
        "metadata_options[0].http_endpoint",
        "CreateLaunchTemplateVersionRequest.LaunchTemplateData.MetadataOptions.HttpEndpoint|\
         CreateLaunchTemplateRequest.LaunchTemplateData.MetadataOptions.HttpEndpoint|\
         launchTemplateData.metadataOptions.httpEndpoint",
    ),
    W::Param(
        "image_id",
        "CreateLaunchTemplateVersionRequest.LaunchTemplateData.ImageId|\
         CreateLaunchTemplateRequest.LaunchTemplateData.ImageId|launchTemplateData.imageId",
    ),
    W::Param(
        "instance_type",
        "CreateLaunchTemplateVersionRequest.LaunchTemplateData.InstanceType|\
         CreateLaunchTemplateRequest.LaunchTemplateData.InstanceType|launchTemplateData.instanceType",
    ),
    W::Param(
        "user_data",
        "CreateLaunchTemplateVersionRequest.LaunchTemplateData.UserData|\
         CreateLaunchTemplateRequest.LaunchTemplateData.UserData|launchTemplateData.userData",
    ),
    W::Custom(block_devices_touched),
];

async fn fetch(ctx: &Ctx) -> FetchResult {
    let ec2 = ctx.client::<aws_sdk_ec2::Client>();
    let mut templates: Vec<LaunchTemplate> = Vec::new();
    let mut pages = ec2.describe_launch_templates().max_results(200).into_paginator().send();
    while let Some(page) = {
        let _p = ctx.permit("ec2").await;
        pages.next().await
    } {
        let page = page.map_err(|e| read_error("ec2", &ctx.region, TYPES, e))?;
        templates.extend(page.launch_templates().iter().cloned());
    }
    if templates.is_empty() {
        return Ok(Vec::new());
    }
    // The default version of every template, in one paginated read.
    let mut defaults: HashMap<String, LaunchTemplateVersion> = HashMap::new();
    let mut pages =
        ec2.describe_launch_template_versions().versions("$Default").max_results(200).into_paginator().send();
    while let Some(page) = {
        let _p = ctx.permit("ec2").await;
        pages.next().await
    } {
        let page = page.map_err(|e| read_error("ec2", &ctx.region, TYPES, e))?;
        for v in page.launch_template_versions() {
            if let Some(id) = v.launch_template_id() {
                defaults.insert(id.to_string(), v.clone());
            }
        }
    }
    Ok(templates
        .iter()
        .map(|t| map(t, t.launch_template_id().and_then(|id| defaults.get(id)), &ctx.region, &ctx.account))
        .collect())
}

/// Pure mapping from the SDK's `LaunchTemplate` and its default version to provider v5
/// attributes. Without the default version (created or deleted between the two reads) only
/// the template's own attributes are set; its settings stay Unknown.
pub fn map(t: &LaunchTemplate, default: Option<&LaunchTemplateVersion>, region: &str, account: &str) -> Resource {
    let id = t.launch_template_id().unwrap_or_default();
    let name = t.launch_template_name().unwrap_or_default();
    let arn = format!("arn:aws:ec2:{region}:{account}:launch-template/{id}");
    let mut r = Resource::live("aws_launch_template", id, region, account, Some(arn.clone()))
        .with("id", id)
        .with("arn", arn)
        .with("name", name)
        .with("name_prefix", name_prefix(name))
        .with("default_version", Value::opt_int(t.default_version_number()))
        .with("latest_version", Value::opt_int(t.latest_version_number()))
        .with("tags", crate::aws::tags::ec2(t.tags()));
    r.aws_default = made_by_eks(t);
    if let Some(v) = default {
        r.set("description", v.version_description().unwrap_or_default());
        let empty = ResponseLaunchTemplateData::builder().build();
        data(&mut r, v.launch_template_data().unwrap_or(&empty));
    }
    r
}

/// The template EKS made for a managed node group: tagged with its node group, or named
/// `eks-<uuid>` and tagged with its cluster.
fn made_by_eks(t: &LaunchTemplate) -> bool {
    let tagged = |k: &str| t.tags().iter().any(|x| x.key() == Some(k));
    tagged("eks:nodegroup-name")
        || (tagged("eks:cluster-name")
            && t.launch_template_name().and_then(|n| n.strip_prefix("eks-")).is_some_and(is_uuid))
}

fn s(v: Option<&str>) -> Value {
    Value::str(v.unwrap_or_default())
}

fn n(v: Option<i32>) -> Value {
    Value::int(v.unwrap_or(0).into())
}

/// The provider's string booleans (`"true"`, `"false"`, `""` for none).
fn sb(v: Option<bool>) -> Value {
    Value::str(v.map(|b| b.to_string()).unwrap_or_default())
}

fn strings<'a>(items: impl IntoIterator<Item = &'a str>) -> Value {
    let mut v: Vec<&str> = items.into_iter().collect();
    v.sort_unstable();
    Value::string_list(v)
}

fn none() -> Value {
    Value::List(Vec::new())
}

/// The default version's `LaunchTemplateData`, as `flattenResponseLaunchTemplateData`.
fn data(r: &mut Resource, d: &ResponseLaunchTemplateData) {
    r.set("image_id", s(d.image_id()));
    r.set("instance_type", s(d.instance_type().map(|t| t.as_str())));
    r.set("kernel_id", s(d.kernel_id()));
    r.set("ram_disk_id", s(d.ram_disk_id()));
    r.set("key_name", s(d.key_name()));
    r.set("user_data", s(d.user_data()));
    r.set("instance_initiated_shutdown_behavior", s(d.instance_initiated_shutdown_behavior().map(|b| b.as_str())));
    r.set("disable_api_stop", d.disable_api_stop().unwrap_or(false));
    r.set("disable_api_termination", d.disable_api_termination().unwrap_or(false));
    r.set("ebs_optimized", sb(d.ebs_optimized()));
    r.set("vpc_security_group_ids", strings(d.security_group_ids().iter().map(String::as_str)));
    r.set("security_group_names", strings(d.security_groups().iter().map(String::as_str)));

    r.set(
        "block_device_mappings",
        Value::List(
            d.block_device_mappings()
                .iter()
                .map(|m| {
                    Value::object([
                        ("device_name", s(m.device_name())),
                        ("no_device", s(m.no_device())),
                        ("virtual_name", s(m.virtual_name())),
                        (
                            "ebs",
                            match m.ebs() {
                                Some(e) => Value::block([
                                    ("delete_on_termination", sb(e.delete_on_termination())),
                                    ("encrypted", sb(e.encrypted())),
                                    ("iops", n(e.iops())),
                                    ("kms_key_id", s(e.kms_key_id())),
                                    ("snapshot_id", s(e.snapshot_id())),
                                    ("throughput", n(e.throughput())),
                                    ("volume_initialization_rate", n(e.volume_initialization_rate())),
                                    ("volume_size", n(e.volume_size())),
                                    ("volume_type", s(e.volume_type().map(|t| t.as_str()))),
                                ]),
                                None => none(),
                            },
                        ),
                    ])
                })
                .collect(),
        ),
    );

    r.set(
        "metadata_options",
        match d.metadata_options() {
            Some(m) => Value::block([
                ("http_endpoint", s(m.http_endpoint().map(|v| v.as_str()))),
                ("http_protocol_ipv6", s(m.http_protocol_ipv6().map(|v| v.as_str()))),
                ("http_put_response_hop_limit", n(m.http_put_response_hop_limit())),
                ("http_tokens", s(m.http_tokens().map(|v| v.as_str()))),
                ("instance_metadata_tags", s(m.instance_metadata_tags().map(|v| v.as_str()))),
            ]),
            None => none(),
        },
    );

    r.set(
        "network_interfaces",
        Value::List(
            d.network_interfaces()
                .iter()
                .map(|ni| {
                    Value::object([
                        ("associate_carrier_ip_address", sb(ni.associate_carrier_ip_address())),
                        ("associate_public_ip_address", sb(ni.associate_public_ip_address())),
                        ("delete_on_termination", sb(ni.delete_on_termination())),
                        ("description", s(ni.description())),
                        ("device_index", n(ni.device_index())),
                        ("interface_type", s(ni.interface_type())),
                        ("ipv4_address_count", n(ni.secondary_private_ip_address_count())),
                        (
                            "ipv4_addresses",
                            strings(ni.private_ip_addresses().iter().filter_map(|a| a.private_ip_address())),
                        ),
                        ("ipv4_prefix_count", n(ni.ipv4_prefix_count())),
                        ("ipv4_prefixes", strings(ni.ipv4_prefixes().iter().filter_map(|p| p.ipv4_prefix()))),
                        ("ipv6_address_count", n(ni.ipv6_address_count())),
                        ("ipv6_addresses", strings(ni.ipv6_addresses().iter().filter_map(|a| a.ipv6_address()))),
                        ("ipv6_prefix_count", n(ni.ipv6_prefix_count())),
                        ("ipv6_prefixes", strings(ni.ipv6_prefixes().iter().filter_map(|p| p.ipv6_prefix()))),
                        ("network_card_index", n(ni.network_card_index())),
                        ("network_interface_id", s(ni.network_interface_id())),
                        ("primary_ipv6", sb(ni.primary_ipv6())),
                        ("private_ip_address", s(ni.private_ip_address())),
                        ("security_groups", strings(ni.groups().iter().map(String::as_str))),
                        ("subnet_id", s(ni.subnet_id())),
                    ])
                })
                .collect(),
        ),
    );

    r.set(
        "iam_instance_profile",
        match d.iam_instance_profile() {
            Some(p) => Value::block([("arn", s(p.arn())), ("name", s(p.name()))]),
            None => none(),
        },
    );

    r.set(
        "tag_specifications",
        Value::List(
            d.tag_specifications()
                .iter()
                .map(|t| {
                    Value::object([
                        ("resource_type", s(t.resource_type().map(|r| r.as_str()))),
                        ("tags", crate::aws::tags::ec2(t.tags())),
                    ])
                })
                .collect(),
        ),
    );

    r.set(
        "placement",
        match d.placement() {
            Some(p) => Value::block([
                ("affinity", s(p.affinity())),
                ("availability_zone", s(p.availability_zone())),
                ("group_name", s(p.group_name())),
                ("host_id", s(p.host_id())),
                ("host_resource_group_arn", s(p.host_resource_group_arn())),
                ("partition_number", n(p.partition_number())),
                ("spread_domain", s(p.spread_domain())),
                ("tenancy", s(p.tenancy().map(|t| t.as_str()))),
            ]),
            None => none(),
        },
    );

    r.set(
        "monitoring",
        match d.monitoring() {
            Some(m) => Value::block([("enabled", Value::Bool(m.enabled().unwrap_or(false)))]),
            None => none(),
        },
    );
    r.set(
        "cpu_options",
        match d.cpu_options() {
            Some(c) => Value::block([
                ("amd_sev_snp", s(c.amd_sev_snp().map(|a| a.as_str()))),
                ("core_count", n(c.core_count())),
                ("threads_per_core", n(c.threads_per_core())),
            ]),
            None => none(),
        },
    );
    r.set(
        "enclave_options",
        match d.enclave_options() {
            Some(e) => Value::block([("enabled", Value::Bool(e.enabled().unwrap_or(false)))]),
            None => none(),
        },
    );
    r.set(
        "hibernation_options",
        match d.hibernation_options() {
            Some(h) => Value::block([("configured", Value::Bool(h.configured().unwrap_or(false)))]),
            None => none(),
        },
    );
    r.set(
        "maintenance_options",
        match d.maintenance_options() {
            Some(m) => Value::block([("auto_recovery", s(m.auto_recovery().map(|a| a.as_str())))]),
            None => none(),
        },
    );
    r.set(
        "private_dns_name_options",
        match d.private_dns_name_options() {
            Some(p) => Value::block([
                (
                    "enable_resource_name_dns_a_record",
                    Value::Bool(p.enable_resource_name_dns_a_record().unwrap_or(false)),
                ),
                (
                    "enable_resource_name_dns_aaaa_record",
                    Value::Bool(p.enable_resource_name_dns_aaaa_record().unwrap_or(false)),
                ),
                ("hostname_type", s(p.hostname_type().map(|h| h.as_str()))),
            ]),
            None => none(),
        },
    );
    r.set(
        "license_specification",
        Value::List(
            d.license_specifications()
                .iter()
                .map(|l| Value::object([("license_configuration_arn", s(l.license_configuration_arn()))]))
                .collect(),
        ),
    );
    r.set(
        "elastic_gpu_specifications",
        Value::List(d.elastic_gpu_specifications().iter().map(|g| Value::object([("type", s(g.r#type()))])).collect()),
    );
    r.set(
        "elastic_inference_accelerator",
        Value::List(
            d.elastic_inference_accelerators().iter().map(|g| Value::object([("type", s(g.r#type()))])).collect(),
        ),
    );
    // Deep blocks: read as empty when absent, left Unknown when present (see the module docs).
    if d.instance_requirements().is_none() {
        r.set("instance_requirements", none());
    }
    if d.instance_market_options().is_none() {
        r.set("instance_market_options", none());
    }
    if d.capacity_reservation_specification().is_none() {
        r.set("capacity_reservation_specification", none());
    }
}

// -- events ---------------------------------------------------------------------------------

/// ModifyLaunchTemplate's `SetDefaultVersion` (a string in the request, a number in state).
fn default_version(req: &J, _resp: &J, out: &mut Vec<Written>) {
    let v = first(req, "ModifyLaunchTemplateRequest.SetDefaultVersion|setDefaultVersion|SetDefaultVersion");
    if let Some(v) = v.and_then(scalar_string) {
        let value = v.parse::<i64>().map(Value::int).unwrap_or(Value::String(v));
        out.push(Written::Set { path: "default_version".into(), value });
    }
}

/// A new version that names block device mappings rewrites them.
fn block_devices_touched(req: &J, _resp: &J, out: &mut Vec<Written>) {
    let named = first(
        req,
        "CreateLaunchTemplateVersionRequest.LaunchTemplateData.BlockDeviceMapping|\
         CreateLaunchTemplateRequest.LaunchTemplateData.BlockDeviceMapping|\
         launchTemplateData.blockDeviceMappingSet",
    );
    if named.is_some() {
        out.push(Written::Touch { path: "block_device_mappings".into() });
    }
}

// -- view -----------------------------------------------------------------------------------

pub static VIEW: ViewDef =
    ViewDef { kind: "launch_template", build: |rs, v| each(rs, &["aws_launch_template"], v, launch_template) };

fn launch_template(r: &Resource, view: View) -> JoinedView {
    let a = |k: &str| attr(r, k, view);
    let mut o = head("launch_template", r, view);
    if let Ok(Some(n)) = a("name").string(None) {
        o.put("name", n);
    }
    o.put("metadata_options", metadata_options(a("metadata_options")));
    match a("block_device_mappings").elements() {
        Ok(devs) => {
            let list = devs.iter().filter(|d| has_ebs(d)).map(|d| ebs_device(F::of(Some(d)))).collect();
            o.put("block_device_mappings", J::Array(list));
        }
        Err(()) => {
            o.unknown("block_device_mappings");
        }
    };
    joined("launch_template", r, o)
}

/// One EBS mapping of a template, in the shape of an instance's block device. The provider
/// stores the template's booleans as strings (`"true"`, `"false"`, `""` for unset) and an
/// unset size as `0`.
fn ebs_device(d: F) -> J {
    let ebs = d.field("ebs");
    let encrypted = match ebs.field("encrypted") {
        F::Set(Value::String(s)) if s.is_empty() => F::Default,
        f => f,
    };
    let size = match ebs.field("volume_size") {
        F::Set(x) if x.as_i64() == Some(0) => F::Default,
        f => f,
    };
    let mut o = Obj::default();
    let _ = o.string("device_name", d.field("device_name"), None);
    // Unset: the snapshot's and the account's default, which the baseline treats as not
    // encrypted (HS-EBS-002 covers the account default).
    o.bool("encrypted", encrypted, false);
    let _ = o.string("kms_key_id", ebs.field("kms_key_id"), None);
    let _ = o.string("volume_type", ebs.field("volume_type"), None);
    o.int("volume_size", size, None);
    o.finish()
}

/// A mapping with an EBS volume (not an instance store or a suppressed device).
fn has_ebs(d: &Value) -> bool {
    match F::of(Some(d)).field("ebs") {
        F::Set(Value::List(l)) => !l.is_empty(),
        F::Set(_) | F::Unknown => true,
        F::Default => false,
    }
}

#[cfg(test)]
mod tests {
    use aws_sdk_ec2::types::{
        LaunchTemplateBlockDeviceMapping, LaunchTemplateEbsBlockDevice, LaunchTemplateHttpTokensState,
        LaunchTemplateIamInstanceProfileSpecification, LaunchTemplateInstanceMetadataEndpointState,
        LaunchTemplateInstanceMetadataOptions, LaunchTemplateInstanceNetworkInterfaceSpecification,
        LaunchTemplateTagSpecification, ResourceType as Ec2ResourceType, Tag, VolumeType,
    };

    use super::*;
    use crate::aws::event::of;

    fn template(name: &str, tags: &[(&str, &str)]) -> LaunchTemplate {
        let mut b = LaunchTemplate::builder()
            .launch_template_id("lt-1")
            .launch_template_name(name)
            .default_version_number(2)
            .latest_version_number(3);
        for (k, v) in tags {
            b = b.tags(Tag::builder().key(*k).value(*v).build());
        }
        b.build()
    }

    fn version(tokens: LaunchTemplateHttpTokensState) -> LaunchTemplateVersion {
        LaunchTemplateVersion::builder()
            .launch_template_id("lt-1")
            .version_number(2)
            .version_description("nodes")
            .default_version(true)
            .launch_template_data(
                ResponseLaunchTemplateData::builder()
                    .image_id("ami-1")
                    .user_data("IyEvYmluL2Jhc2gK")
                    .security_group_ids("sg-2")
                    .security_group_ids("sg-1")
                    .iam_instance_profile(
                        LaunchTemplateIamInstanceProfileSpecification::builder().name("nodes").build(),
                    )
                    .metadata_options(
                        LaunchTemplateInstanceMetadataOptions::builder()
                            .http_tokens(tokens)
                            .http_endpoint(LaunchTemplateInstanceMetadataEndpointState::Enabled)
                            .http_put_response_hop_limit(2)
                            .build(),
                    )
                    .block_device_mappings(
                        LaunchTemplateBlockDeviceMapping::builder()
                            .device_name("/dev/xvda")
                            .ebs(
                                LaunchTemplateEbsBlockDevice::builder()
                                    .encrypted(true)
                                    .volume_size(50)
                                    .volume_type(VolumeType::Gp3)
                                    .build(),
                            )
                            .build(),
                    )
                    .network_interfaces(
                        LaunchTemplateInstanceNetworkInterfaceSpecification::builder()
                            .device_index(0)
                            .associate_public_ip_address(false)
                            .groups("sg-1")
                            .build(),
                    )
                    .tag_specifications(
                        LaunchTemplateTagSpecification::builder()
                            .resource_type(Ec2ResourceType::Instance)
                            .tags(Tag::builder().key("Name").value("node").build())
                            .tags(Tag::builder().key("aws:ec2launchtemplate:id").value("lt-1").build())
                            .build(),
                    )
                    .build(),
            )
            .build()
    }

    #[test]
    fn maps_the_default_version() {
        let v = version(LaunchTemplateHttpTokensState::Required);
        let r = map(&template("clinic-nodes-20261207094511101300000007", &[("Name", "n")]), Some(&v), "us-east-1", "1");
        assert_eq!(r.id, "lt-1");
        assert_eq!(r.attr_str("arn"), Some("arn:aws:ec2:us-east-1:1:launch-template/lt-1"));
        assert_eq!(r.attr_str("name_prefix"), Some("clinic-nodes-"));
        assert_eq!(r.attr("default_version"), &Value::int(2));
        assert_eq!(r.attr("latest_version"), &Value::int(3));
        assert_eq!(r.attr_str("description"), Some("nodes"));
        assert_eq!(r.attr_str("image_id"), Some("ami-1"));
        assert_eq!(r.attr_str("instance_type"), Some(""));
        assert_eq!(r.attr_str("user_data"), Some("IyEvYmluL2Jhc2gK"));
        assert_eq!(r.attr_str("ebs_optimized"), Some(""));
        assert_eq!(r.attr("vpc_security_group_ids"), &Value::string_list(["sg-1", "sg-2"]));
        let md = r.attr("metadata_options");
        assert_eq!(md.get("http_tokens"), Some(&Value::str("required")));
        assert_eq!(md.get("http_put_response_hop_limit"), Some(&Value::int(2)));
        assert_eq!(md.get("instance_metadata_tags"), Some(&Value::str("")));
        let bdm = r.attr("block_device_mappings");
        let ebs = bdm.get("ebs").unwrap();
        assert_eq!(ebs.get("encrypted"), Some(&Value::str("true")));
        assert_eq!(ebs.get("delete_on_termination"), Some(&Value::str("")));
        assert_eq!(ebs.get("volume_size"), Some(&Value::int(50)));
        assert_eq!(ebs.get("iops"), Some(&Value::int(0)));
        let ni = r.attr("network_interfaces");
        assert_eq!(ni.get("associate_public_ip_address"), Some(&Value::str("false")));
        assert_eq!(ni.get("security_groups"), Some(&Value::string_list(["sg-1"])));
        assert_eq!(r.attr("iam_instance_profile").get("name"), Some(&Value::str("nodes")));
        // aws:* tags of a tag specification are hidden, as the provider hides them.
        assert_eq!(r.attr("tag_specifications").get("tags"), Some(&Value::string_map([("Name", "node")])));
        assert_eq!(r.attr("credit_specification"), &Value::Unknown);
        assert_eq!(r.attr("update_default_version"), &Value::Unknown);
        assert!(!r.aws_default);
    }

    #[test]
    fn without_its_default_version_the_settings_stay_unknown() {
        let r = map(&template("t", &[]), None, "us-east-1", "1");
        assert_eq!(r.attr("metadata_options"), &Value::Unknown);
        assert_eq!(r.attr_str("name_prefix"), Some(""));
        let v = launch_template(&r, View::Live).value;
        assert_eq!(v["metadata_options"]["imdsv2_required"], J::Null);
        assert_eq!(v["block_device_mappings"], J::Null);
    }

    #[test]
    fn templates_eks_makes_are_aws_managed() {
        let eks = [("eks:cluster-name", "clinic"), ("eks:nodegroup-name", "workers")];
        assert!(map(&template("eks-ff051782-39a6-407f-932a-71d8655fe8f1", &eks), None, "us-east-1", "1").aws_default);
        assert!(
            map(&template("eks-ff051782-39a6-407f-932a-71d8655fe8f1", &eks[..1]), None, "us-east-1", "1").aws_default
        );
        // A user's template named eks-something is the user's.
        assert!(!map(&template("eks-nodes", &eks[..1]), None, "us-east-1", "1").aws_default);
    }

    #[test]
    fn live_view_judges_imds_and_encryption() {
        let r = map(&template("t", &[]), Some(&version(LaunchTemplateHttpTokensState::Optional)), "us-east-1", "1");
        let v = launch_template(&r, View::Live).value;
        assert_eq!(v["metadata_options"]["imdsv2_required"], false);
        assert_eq!(v["metadata_options"]["http_tokens"], "optional");
        assert_eq!(v["block_device_mappings"][0]["encrypted"], true);
        assert_eq!(v["block_device_mappings"][0]["device_name"], "/dev/xvda");
        assert_eq!(v["block_device_mappings"][0]["volume_size"], 50);
        // A mapping without `encrypted` follows the snapshot and the account default.
        let mut unset = r.clone();
        unset.set(
            "block_device_mappings",
            Value::List(vec![Value::object([
                ("device_name", Value::str("/dev/sdf")),
                ("ebs", Value::block([("encrypted", Value::str("")), ("volume_size", Value::int(0))])),
            ])]),
        );
        let v = launch_template(&unset, View::Live).value;
        assert_eq!(v["block_device_mappings"][0]["encrypted"], false);
        assert_eq!(v["block_device_mappings"][0]["volume_size"], J::Null);
    }

    /// The baseline on live templates: IMDSv1 and an unencrypted mapping fail HS-EC2-001 and
    /// HS-EC2-002; a hardened template and one whose default version was not read fail
    /// nothing, and no rule errors on them.
    #[test]
    fn baseline_rules_judge_live_templates() {
        use crate::rules::RuleSet;
        use crate::rules::engine::evaluate_checked;
        let rules = RuleSet::baseline();
        let hardened =
            map(&template("hardened", &[]), Some(&version(LaunchTemplateHttpTokensState::Required)), "us-east-1", "1");
        let mut weak =
            map(&template("weak", &[]), Some(&version(LaunchTemplateHttpTokensState::Optional)), "us-east-1", "1");
        weak.id = "lt-weak".into();
        weak.set(
            "block_device_mappings",
            Value::List(vec![Value::object([
                ("device_name", Value::str("/dev/xvda")),
                ("ebs", Value::block([("encrypted", Value::str("false")), ("volume_size", Value::int(50))])),
            ])]),
        );
        let mut unread = map(&template("unread", &[]), None, "us-east-1", "1");
        unread.id = "lt-unread".into();
        let (findings, errors) = evaluate_checked(&rules, &[hardened, weak, unread], View::Live);
        assert!(errors.is_empty(), "{errors:?}");
        let on: Vec<(&str, &str)> = findings
            .iter()
            .filter(|f| f.rtype == "aws_launch_template")
            .map(|f| (f.rule_id.as_str(), f.id.as_str()))
            .collect();
        assert_eq!(on, vec![("HS-EC2-001", "lt-weak"), ("HS-EC2-002", "lt-weak")], "{findings:#?}");
    }

    #[test]
    fn version_and_default_events() {
        let create = of("aws_launch_template", "ec2", "CreateLaunchTemplateVersion");
        let req = serde_json::json!({"CreateLaunchTemplateVersionRequest": {
            "LaunchTemplateId": "lt-1",
            "SourceVersion": "1",
            "LaunchTemplateData": {"MetadataOptions": {"HttpTokens": "optional"}}
        }});
        assert_eq!(create.identifiers(&req, &J::Null), vec!["lt-1"]);
        let w = create.writes(&req, &J::Null);
        assert!(w.contains(&Written::Touch { path: "latest_version".into() }));
        assert!(
            w.contains(&Written::Set { path: "metadata_options[0].http_tokens".into(), value: Value::str("optional") })
        );
        let modify = of("aws_launch_template", "ec2", "ModifyLaunchTemplate");
        let req =
            serde_json::json!({"ModifyLaunchTemplateRequest": {"LaunchTemplateId": "lt-1", "SetDefaultVersion": "2"}});
        assert_eq!(modify.identifiers(&req, &J::Null), vec!["lt-1"]);
        assert_eq!(
            modify.writes(&req, &J::Null),
            vec![Written::Set { path: "default_version".into(), value: Value::int(2) }]
        );
        let created = of("aws_launch_template", "ec2", "CreateLaunchTemplate");
        let req = serde_json::json!({"CreateLaunchTemplateRequest": {"LaunchTemplateName": "nodes", "LaunchTemplateData": {}}});
        let resp =
            serde_json::json!({"CreateLaunchTemplateResponse": {"launchTemplate": {"launchTemplateId": "lt-9"}}});
        assert_eq!(created.identifiers(&req, &resp), vec!["nodes", "lt-9"]);
        let delete = of("aws_launch_template", "ec2", "DeleteLaunchTemplate");
        let req = serde_json::json!({"DeleteLaunchTemplateRequest": {"LaunchTemplateId": "lt-1"}});
        assert_eq!(delete.identifiers(&req, &J::Null), vec!["lt-1"]);
        let versions = of("aws_launch_template", "ec2", "DeleteLaunchTemplateVersions");
        let req = serde_json::json!({"DeleteLaunchTemplateVersionsRequest": {"LaunchTemplateId": "lt-1"}});
        assert_eq!(versions.identifiers(&req, &J::Null), vec!["lt-1"]);
    }

    #[test]
    fn uuids() {
        assert!(is_uuid("ff051782-39a6-407f-932a-71d8655fe8f1"));
        assert!(!is_uuid("ff051782-39a6-407f-932a"));
        assert!(!is_uuid("nodes"));
    }
}

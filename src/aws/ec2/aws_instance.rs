//! `aws_instance`: DescribeInstances (paginated; terminated instances skipped) plus one bulk
//! DescribeVolumes filtered on the instances' ids for `root_block_device`, plus, for the
//! instances a scanned state manages only, four DescribeInstanceAttribute calls each
//! (`disableApiTermination`, `disableApiStop`, `instanceInitiatedShutdownBehavior`,
//! `userData`: AWS has no bulk form), fanned out under the EC2 bound. An instance no state
//! manages has nothing to be compared with and no rule reads these, so the fleet's
//! unmanaged instances cost nothing more than the bulk read (figures: docs/types/network.md).
//!
//! Follows the provider's read: absent strings are `""` and absent booleans `false` where
//! the provider stores zero values; `associate_public_ip_address` is "the primary network
//! interface has a public-IP association"; `iam_instance_profile` is the profile's name
//! taken from its ARN; `vpc_security_group_ids` comes from the instance's group list when
//! the instance is in a subnet.
//!
//! Instances an Auto Scaling group launched (tag `aws:autoscaling:groupName`, which AWS sets
//! itself) belong to their group, which Terraform manages: they are flagged `aws_default`,
//! never unmanaged (the hardening rules still judge them).
//!
//! `user_data` is stored as the provider stores it: the SHA-1 (hex) of the decoded user
//! data; `user_data_base64` carries the base64 text for states written with that argument
//! (the `user_data_form` normaliser keeps whichever the state uses). An instance without
//! user data leaves both unset, as the provider's read does.
//!
//! Left Unknown on purpose:
//! - the four per-instance attributes above for instances no state manages;
//! - `security_groups` (names): the provider fills it only in a default VPC, which needs
//!   the VPC's `isDefault`.
//! - `ebs_block_device`, `root_block_device[0].tags`: the provider's values depend on the
//!   configuration (`volume_tags`, separately attached volumes).
//! - `credit_specification`, `cpu_options`, `launch_template` and the other blocks that need
//!   further calls or configuration context.

use std::collections::HashMap;

use aws_sdk_ec2::types::{Filter, Instance, InstanceAttributeName, InstanceStateName, MonitoringState, Volume};
use base64::Engine;
use futures::{FutureExt, StreamExt};

use super::{block_device, metadata_options};
use crate::aws::errors::read_error;
use crate::aws::event::{Event, W};
use crate::aws::view::*;
use crate::aws::{Ctx, FetchResult, Identity, Link, Read, ResourceType, ViewDef};
use crate::model::{Resource, Value, View};
use serde_json::Value as J;

const TYPES: &[&str] = &["aws_instance"];

/// The tag AWS puts on every instance an Auto Scaling group launches.
const AUTO_SCALING_GROUP_TAG: &str = "aws:autoscaling:groupName";

/// Values per DescribeVolumes filter (AWS accepts up to 200 per filter).
const VOLUME_FILTER_CHUNK: usize = 200;

pub static TYPE: ResourceType = ResourceType {
    read: Some(Read { fetch: |ctx| fetch(ctx).boxed(), global: false }),
    identity: Identity::arn("ec2", "instance/", &[]),
    events: &[
        Event::create("ec2", "RunInstances", &["@instancesSet.items[].instanceId"])
            .writing(&[W::Param("instance_type", "instanceType"), W::Param("ami", "instancesSet.items[].imageId")]),
        Event::delete("ec2", "TerminateInstances", &["instancesSet.items[].instanceId"]),
        Event::modify("ec2", "StopInstances", &["instancesSet.items[].instanceId"]),
        Event::modify("ec2", "StartInstances", &["instancesSet.items[].instanceId"]),
        Event::modify("ec2", "RebootInstances", &["instancesSet.items[].instanceId"]),
        Event::modify("ec2", "ModifyInstanceAttribute", &["instanceId"]).writing(INSTANCE_ATTRS),
        Event::modify(
            "ec2",
            "ModifyInstanceMetadataOptions",
            &["ModifyInstanceMetadataOptionsRequest.InstanceId", "instanceId"],
        )
        .writing(IMDS),
        super::CREATE_TAGS,
        super::DELETE_TAGS,
    ],
    view: Some(&VIEW),
    // What defines an instance: its launch template, instance profile (and role), and group.
    links: &[
        Link { role: "launch template", rtype: "aws_launch_template", from: "launch_template[*].id", to: "id" },
        Link { role: "instance profile", rtype: "aws_iam_instance_profile", from: "iam_instance_profile", to: "name" },
    ],
    ..ResourceType::base("aws_instance", "ec2")
};

/// `ModifyInstanceAttribute` comes nested (`instanceType.value`) or flat (`attribute`/`value`).
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

/// `ModifyInstanceMetadataOptions` wraps its fields in `ModifyInstanceMetadataOptionsRequest`.
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

pub static VIEW: ViewDef = ViewDef { kind: "ec2_instance", build: ec2_instances };

async fn fetch(ctx: &Ctx) -> FetchResult {
    let ec2 = ctx.client::<aws_sdk_ec2::Client>();
    // (instance, reservation owner)
    let mut instances: Vec<(Instance, Option<String>)> = Vec::new();
    let mut pages = ec2.describe_instances().max_results(1000).into_paginator().send();
    while let Some(page) = {
        let _p = ctx.permit("ec2").await;
        pages.next().await
    } {
        let page = page.map_err(|e| read_error("ec2", &ctx.region, TYPES, e))?;
        for res in page.reservations() {
            for i in res.instances() {
                if i.state().and_then(|s| s.name()) == Some(&InstanceStateName::Terminated) {
                    continue;
                }
                instances.push((i.clone(), res.owner_id().map(str::to_string)));
            }
        }
    }

    // One bulk read of the volumes attached to these instances (chunked only because a
    // filter takes a bounded number of values).
    let mut volumes: HashMap<String, Volume> = HashMap::new();
    let ids: Vec<String> = instances.iter().filter_map(|(i, _)| i.instance_id().map(str::to_string)).collect();
    for chunk in ids.chunks(VOLUME_FILTER_CHUNK) {
        let filter = Filter::builder().name("attachment.instance-id").set_values(Some(chunk.to_vec())).build();
        let mut pages = ec2.describe_volumes().filters(filter).max_results(500).into_paginator().send();
        while let Some(page) = {
            let _p = ctx.permit("ec2").await;
            pages.next().await
        } {
            let page = page.map_err(|e| read_error("ec2", &ctx.region, TYPES, e))?;
            for v in page.volumes() {
                if let Some(id) = v.volume_id() {
                    volumes.insert(id.to_string(), v.clone());
                }
            }
        }
    }

    let attributes = instance_attributes(ctx, &ids).await?;
    Ok(instances
        .iter()
        .map(|(i, owner)| {
            let attrs = i.instance_id().and_then(|id| attributes.get(id));
            map(i, owner.as_deref(), &volumes, attrs, &ctx.region, &ctx.account)
        })
        .collect())
}

/// What DescribeInstanceAttribute answers for one instance (`None`: not read).
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Attributes {
    pub disable_api_termination: Option<bool>,
    pub disable_api_stop: Option<bool>,
    pub shutdown_behavior: Option<String>,
    /// The base64 user data: `Some(None)` when the instance has none.
    pub user_data: Option<Option<String>>,
}

const ATTRIBUTES: [InstanceAttributeName; 4] = [
    InstanceAttributeName::DisableApiTermination,
    InstanceAttributeName::DisableApiStop,
    InstanceAttributeName::InstanceInitiatedShutdownBehavior,
    InstanceAttributeName::UserData,
];

/// The per-instance attributes of the instances a scanned state manages: one call per
/// instance and attribute, at most the EC2 bound in flight.
async fn instance_attributes(
    ctx: &Ctx,
    ids: &[String],
) -> Result<HashMap<String, Attributes>, crate::model::ReadError> {
    let mut tasks: Vec<(String, InstanceAttributeName)> = Vec::new();
    for id in ids.iter().filter(|id| ctx.in_state("aws_instance", id)) {
        tasks.extend(ATTRIBUTES.iter().map(|a| (id.clone(), a.clone())));
    }
    let calls = tasks.into_iter().map(|(id, name)| async move {
        let ec2 = ctx.client::<aws_sdk_ec2::Client>();
        let answer = {
            let _p = ctx.permit("ec2").await;
            ec2.describe_instance_attribute().instance_id(&id).attribute(name).send().await
        };
        answer.map(|out| (id, out)).map_err(|e| read_error("ec2", &ctx.region, TYPES, e))
    });
    let answers: Vec<_> = futures::stream::iter(calls).buffer_unordered(ctx.limit("ec2")).collect().await;
    let mut out: HashMap<String, Attributes> = HashMap::new();
    for answer in answers {
        let (id, a) = answer?;
        let e = out.entry(id.clone()).or_default();
        if let Some(v) = a.disable_api_termination() {
            e.disable_api_termination = v.value();
        }
        if let Some(v) = a.disable_api_stop() {
            e.disable_api_stop = v.value();
        }
        if let Some(v) = a.instance_initiated_shutdown_behavior() {
            e.shutdown_behavior = v.value().map(str::to_string);
        }
        if let Some(v) = a.user_data() {
            e.user_data = Some(v.value().filter(|u| !u.is_empty()).map(str::to_string));
        }
    }
    Ok(out)
}

/// The provider's `user_data`: SHA-1 (hex) of the decoded user data (of the text itself when
/// it is not base64).
pub fn user_data_hash(b64: &str) -> String {
    let bytes = base64::engine::general_purpose::STANDARD.decode(b64).unwrap_or_else(|_| b64.as_bytes().to_vec());
    sha1(&bytes).iter().map(|b| format!("{b:02x}")).collect()
}

/// SHA-1 (FIPS 180-4), for the provider's user-data hash only (no security use).
fn sha1(data: &[u8]) -> [u8; 20] {
    let mut h: [u32; 5] = [0x67452301, 0xEFCDAB89, 0x98BADCFE, 0x10325476, 0xC3D2E1F0];
    let mut msg = data.to_vec();
    let bits = (data.len() as u64).wrapping_mul(8);
    msg.push(0x80);
    while msg.len() % 64 != 56 {
        msg.push(0);
    }
    msg.extend_from_slice(&bits.to_be_bytes());
    for chunk in msg.chunks_exact(64) {
        let mut w = [0u32; 80];
        for (i, word) in chunk.chunks_exact(4).enumerate() {
            w[i] = u32::from_be_bytes([word[0], word[1], word[2], word[3]]);
        }
        for i in 16..80 {
            w[i] = (w[i - 3] ^ w[i - 8] ^ w[i - 14] ^ w[i - 16]).rotate_left(1);
        }
        let [mut a, mut b, mut c, mut d, mut e] = h;
        for (i, wi) in w.iter().enumerate() {
            let (f, k) = match i {
                0..=19 => ((b & c) | (!b & d), 0x5A827999),
                20..=39 => (b ^ c ^ d, 0x6ED9EBA1),
                40..=59 => ((b & c) | (b & d) | (c & d), 0x8F1BBCDC),
                _ => (b ^ c ^ d, 0xCA62C1D6),
            };
            let t = a.rotate_left(5).wrapping_add(f).wrapping_add(e).wrapping_add(k).wrapping_add(*wi);
            e = d;
            d = c;
            c = b.rotate_left(30);
            b = a;
            a = t;
        }
        for (x, y) in h.iter_mut().zip([a, b, c, d, e]) {
            *x = x.wrapping_add(y);
        }
    }
    let mut out = [0u8; 20];
    for (i, x) in h.iter().enumerate() {
        out[i * 4..i * 4 + 4].copy_from_slice(&x.to_be_bytes());
    }
    out
}

/// The instance profile's name from its ARN (`arn:aws:iam::123:instance-profile/path/name`),
/// as the provider stores it.
fn profile_name(arn: &str) -> &str {
    let resource = arn.splitn(6, ':').nth(5).unwrap_or(arn);
    resource.rsplit('/').next().unwrap_or(resource)
}

/// Pure mapping from the SDK's `Instance` (its reservation's owner, and the attached
/// volumes by id) to provider v5 attributes.
pub fn map(
    i: &Instance,
    owner: Option<&str>,
    volumes: &HashMap<String, Volume>,
    attributes: Option<&Attributes>,
    region: &str,
    account: &str,
) -> Resource {
    let id = i.instance_id().unwrap_or_default();
    let arn = format!("arn:aws:ec2:{region}:{}:instance/{id}", owner.unwrap_or(account));
    let mut r = Resource::live("aws_instance", id, region, account, Some(arn.clone()))
        .with("id", id)
        .with("arn", arn)
        .with("ami", i.image_id().unwrap_or_default())
        .with("instance_type", i.instance_type().map(|t| t.as_str()).unwrap_or_default())
        .with("key_name", i.key_name().unwrap_or_default())
        .with("private_ip", i.private_ip_address().unwrap_or_default())
        .with("ebs_optimized", i.ebs_optimized().unwrap_or(false))
        .with("tags", crate::aws::tags::ec2(i.tags()));

    if let Some(p) = i.placement() {
        r.set("availability_zone", p.availability_zone().unwrap_or_default());
        r.set("tenancy", p.tenancy().map(|t| t.as_str()).unwrap_or_default());
        r.set("placement_group", p.group_name().unwrap_or_default());
    }

    r.set("iam_instance_profile", i.iam_instance_profile().and_then(|p| p.arn()).map(profile_name).unwrap_or_default());

    if let Some(state) = i.monitoring().and_then(|m| m.state()) {
        r.set("monitoring", matches!(state, MonitoringState::Enabled | MonitoringState::Pending));
    }

    // Network: the primary interface (device index 0) wins, as in the provider.
    let instance_subnet = i.subnet_id().unwrap_or_default();
    if i.network_interfaces().is_empty() {
        r.set("associate_public_ip_address", i.public_ip_address().is_some());
        r.set("subnet_id", instance_subnet);
    } else if let Some(ni) = i
        .network_interfaces()
        .iter()
        .find(|n| n.attachment().and_then(|a| a.device_index()) == Some(0) && n.network_interface_id().is_some())
    {
        r.set("associate_public_ip_address", ni.association().is_some());
        r.set("subnet_id", ni.subnet_id().unwrap_or(instance_subnet));
        if let Some(c) = ni.source_dest_check() {
            r.set("source_dest_check", c);
        }
    }
    if let Some(c) = i.source_dest_check().filter(|_| !instance_subnet.is_empty()) {
        r.set("source_dest_check", c);
    }

    // In a subnet the provider stores group ids; outside one (EC2-Classic) it stores none.
    let mut sg_ids: Vec<&str> = if instance_subnet.is_empty() {
        Vec::new()
    } else {
        i.security_groups().iter().filter_map(|g| g.group_id()).collect()
    };
    sg_ids.sort_unstable();
    r.set("vpc_security_group_ids", Value::string_list(sg_ids));

    r.set(
        "metadata_options",
        match i.metadata_options() {
            Some(m) => Value::block([
                ("http_endpoint", Value::str(m.http_endpoint().map(|v| v.as_str()).unwrap_or_default())),
                ("http_protocol_ipv6", Value::str(m.http_protocol_ipv6().map(|v| v.as_str()).unwrap_or_default())),
                ("http_put_response_hop_limit", Value::int(m.http_put_response_hop_limit().unwrap_or(0).into())),
                ("http_tokens", Value::str(m.http_tokens().map(|v| v.as_str()).unwrap_or_default())),
                (
                    "instance_metadata_tags",
                    Value::str(m.instance_metadata_tags().map(|v| v.as_str()).unwrap_or_default()),
                ),
            ]),
            None => Value::List(Vec::new()),
        },
    );

    if let Some(root) = root_block_device(i, volumes) {
        r.set("root_block_device", root);
    }

    r.aws_default = i.tags().iter().any(|t| t.key() == Some(AUTO_SCALING_GROUP_TAG));

    if let Some(a) = attributes {
        if let Some(b) = a.disable_api_termination {
            r.set("disable_api_termination", b);
        }
        if let Some(b) = a.disable_api_stop {
            r.set("disable_api_stop", b);
        }
        if let Some(s) = &a.shutdown_behavior {
            r.set("instance_initiated_shutdown_behavior", s.as_str());
        }
        if let Some(Some(b64)) = &a.user_data {
            r.set("user_data", user_data_hash(b64));
            r.set("user_data_base64", b64.as_str());
        }
    }
    // Without them (no state manages the instance) the four stay Unknown.
    r
}

/// The `root_block_device` block, or `None` (left Unknown) when the root device is not an
/// EBS volume we read (instance-store root, or the volume missing from the bulk read).
fn root_block_device(i: &Instance, volumes: &HashMap<String, Volume>) -> Option<Value> {
    let root_name = i.root_device_name()?;
    let bdm = i.block_device_mappings().iter().find(|b| b.device_name() == Some(root_name))?;
    let ebs = bdm.ebs()?;
    let vol = volumes.get(ebs.volume_id()?)?;
    Some(Value::block([
        ("volume_id", Value::opt_str(vol.volume_id())),
        ("device_name", Value::str(root_name)),
        ("delete_on_termination", Value::Bool(ebs.delete_on_termination().unwrap_or(false))),
        ("encrypted", Value::Bool(vol.encrypted().unwrap_or(false))),
        ("kms_key_id", Value::str(vol.kms_key_id().unwrap_or_default())),
        ("volume_size", Value::int(vol.size().unwrap_or(0).into())),
        ("volume_type", Value::str(vol.volume_type().map(|t| t.as_str()).unwrap_or_default())),
        // The provider keeps AWS's figures when present and 0 otherwise.
        ("iops", Value::int(vol.iops().unwrap_or(0).into())),
        ("throughput", Value::int(vol.throughput().unwrap_or(0).into())),
        // Depend on the configuration's `volume_tags`: not compared.
        ("tags", Value::Unknown),
        ("tags_all", Value::Unknown),
    ]))
}

fn ec2_instances(resources: &[Resource], view: View) -> Vec<JoinedView> {
    let subnets: Vec<&Resource> =
        resources.iter().filter(|r| matches!(r.rtype.as_str(), "aws_subnet" | "aws_default_subnet")).collect();
    let mut index = Index::default();
    for (i, r) in subnets.iter().enumerate() {
        index.add(i, r, &["id", "arn"]);
    }
    let instances: Vec<&Resource> = resources.iter().filter(|r| r.rtype == "aws_instance").collect();
    let mut by_instance = Index::default();
    for (i, r) in instances.iter().enumerate() {
        by_instance.add(i, r, &["id", "arn"]);
    }
    // Elastic IPs bound to each instance: on the address (`instance`) or by an association.
    let mut eips: Vec<Vec<&Resource>> = vec![Vec::new(); instances.len()];
    for r in resources {
        let key = match r.rtype.as_str() {
            "aws_eip" => "instance",
            "aws_eip_association" => "instance_id",
            _ => continue,
        };
        if let Some(i) = by_instance.find(r.attributes.get(key)) {
            eips[i].push(r);
        }
    }
    let eip_join_complete = join_is_complete("aws_eip", view) && join_is_complete("aws_eip_association", view);
    instances
        .iter()
        .zip(eips)
        .map(|(r, eips)| {
            let a = |k: &str| attr(r, k, view);
            let mut o = head("ec2_instance", r, view);
            for k in ["ami", "instance_type", "subnet_id", "iam_instance_profile", "key_name"] {
                let _ = o.string(k, a(k), None);
            }
            o.strings("vpc_security_group_ids", a("vpc_security_group_ids"));
            // Omitted: the subnet's `map_public_ip_on_launch` decides.
            let explicit = a("associate_public_ip_address");
            o.opt(
                "associate_public_ip_address",
                match explicit {
                    F::Default => Some(J::Null),
                    f => f.bool(false).map(J::Bool),
                },
            );
            let public = match explicit {
                F::Default => index
                    .find(r.attributes.get("subnet_id"))
                    .and_then(|i| attr(subnets[i], "map_public_ip_on_launch", view).bool(false)),
                f => f.bool(false),
            };
            o.opt("public_ip_on_launch", public);
            let elastic = if !eips.is_empty() { Some(true) } else { eip_join_complete.then_some(false) };
            o.opt("elastic_ip", elastic);
            o.put("metadata_options", metadata_options(a("metadata_options")));
            o.put("root_block_device", block_device(a("root_block_device")));
            match a("ebs_block_device").elements() {
                Ok(devs) => {
                    o.put("ebs_block_devices", J::Array(devs.iter().map(|d| block_device(F::of(Some(d)))).collect()))
                }
                Err(()) => o.unknown("ebs_block_devices"),
            };
            o.bool("monitoring", a("monitoring"), false);
            joined("ec2_instance", r, o)
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::aws::event::Written;
    use aws_sdk_ec2::types::{
        EbsInstanceBlockDevice, GroupIdentifier, HttpTokensState, IamInstanceProfile, InstanceBlockDeviceMapping,
        InstanceMetadataEndpointState, InstanceMetadataOptionsResponse, InstanceMetadataTagsState,
        InstanceNetworkInterface, InstanceNetworkInterfaceAssociation, InstanceNetworkInterfaceAttachment,
        InstanceState, InstanceType, Monitoring, Placement, Tag, VolumeType,
    };

    fn instance() -> Instance {
        Instance::builder()
            .instance_id("i-1")
            .image_id("ami-1")
            .instance_type(InstanceType::T3Micro)
            .key_name("plumb-key")
            .subnet_id("subnet-1")
            .private_ip_address("10.10.1.10")
            .public_ip_address("54.1.2.3")
            .ebs_optimized(true)
            .source_dest_check(true)
            .state(InstanceState::builder().name(InstanceStateName::Running).build())
            .monitoring(Monitoring::builder().state(MonitoringState::Enabled).build())
            .placement(Placement::builder().availability_zone("us-east-1a").build())
            .iam_instance_profile(
                IamInstanceProfile::builder()
                    .arn("arn:aws:iam::123456789012:instance-profile/team/plumb-profile")
                    .build(),
            )
            .security_groups(GroupIdentifier::builder().group_id("sg-b").group_name("web").build())
            .security_groups(GroupIdentifier::builder().group_id("sg-a").group_name("modern").build())
            .network_interfaces(
                InstanceNetworkInterface::builder()
                    .network_interface_id("eni-1")
                    .subnet_id("subnet-1")
                    .attachment(InstanceNetworkInterfaceAttachment::builder().device_index(0).build())
                    .association(InstanceNetworkInterfaceAssociation::builder().public_ip("54.1.2.3").build())
                    .build(),
            )
            .metadata_options(
                InstanceMetadataOptionsResponse::builder()
                    .http_endpoint(InstanceMetadataEndpointState::Enabled)
                    .http_tokens(HttpTokensState::Required)
                    .http_put_response_hop_limit(2)
                    .instance_metadata_tags(InstanceMetadataTagsState::Enabled)
                    .build(),
            )
            .root_device_name("/dev/sda1")
            .block_device_mappings(
                InstanceBlockDeviceMapping::builder()
                    .device_name("/dev/sda1")
                    .ebs(EbsInstanceBlockDevice::builder().volume_id("vol-1").delete_on_termination(true).build())
                    .build(),
            )
            .tags(Tag::builder().key("Name").value("web").build())
            .build()
    }

    fn volumes() -> HashMap<String, Volume> {
        let v = Volume::builder()
            .volume_id("vol-1")
            .size(20)
            .volume_type(VolumeType::Gp3)
            .iops(3000)
            .encrypted(true)
            .kms_key_id("arn:aws:kms:us-east-1:123456789012:key/k")
            .build();
        HashMap::from([("vol-1".to_string(), v)])
    }

    #[test]
    fn instances_of_an_auto_scaling_group_are_its_own() {
        let mut i = instance();
        assert!(!map(&i, None, &volumes(), None, "us-east-1", "123456789012").aws_default);
        i.tags = Some(vec![Tag::builder().key("aws:autoscaling:groupName").value("clinic-batch").build()]);
        let r = map(&i, None, &volumes(), None, "us-east-1", "123456789012");
        assert!(r.aws_default);
        assert_eq!(r.attr("tags"), &Value::Map(Default::default()));
    }

    #[test]
    fn maps_an_instance() {
        let r = map(&instance(), Some("123456789012"), &volumes(), None, "us-east-1", "123456789012");
        assert_eq!(r.id, "i-1");
        assert_eq!(r.attr_str("arn"), Some("arn:aws:ec2:us-east-1:123456789012:instance/i-1"));
        assert_eq!(r.attr_str("ami"), Some("ami-1"));
        assert_eq!(r.attr_str("instance_type"), Some("t3.micro"));
        assert_eq!(r.attr_str("subnet_id"), Some("subnet-1"));
        assert_eq!(r.attr_str("availability_zone"), Some("us-east-1a"));
        assert_eq!(r.attr_str("key_name"), Some("plumb-key"));
        assert_eq!(r.attr("associate_public_ip_address"), &Value::Bool(true));
        assert_eq!(r.attr("ebs_optimized"), &Value::Bool(true));
        assert_eq!(r.attr("monitoring"), &Value::Bool(true));
        assert_eq!(r.attr_str("iam_instance_profile"), Some("plumb-profile"));
        assert_eq!(r.attr("vpc_security_group_ids"), &Value::string_list(["sg-a", "sg-b"]));
        assert_eq!(r.attr_str("private_ip"), Some("10.10.1.10"));
        assert_eq!(r.attr("tags"), &Value::string_map([("Name", "web")]));
        let md = r.attr("metadata_options");
        assert_eq!(md.get("http_tokens"), Some(&Value::str("required")));
        assert_eq!(md.get("http_endpoint"), Some(&Value::str("enabled")));
        assert_eq!(md.get("http_put_response_hop_limit"), Some(&Value::int(2)));
        assert_eq!(md.get("instance_metadata_tags"), Some(&Value::str("enabled")));
        let root = r.attr("root_block_device");
        assert_eq!(root.get("volume_id"), Some(&Value::str("vol-1")));
        assert_eq!(root.get("device_name"), Some(&Value::str("/dev/sda1")));
        assert_eq!(root.get("volume_size"), Some(&Value::int(20)));
        assert_eq!(root.get("volume_type"), Some(&Value::str("gp3")));
        assert_eq!(root.get("encrypted"), Some(&Value::Bool(true)));
        assert_eq!(root.get("delete_on_termination"), Some(&Value::Bool(true)));
        assert_eq!(root.get("throughput"), Some(&Value::int(0)));
        assert_eq!(root.get("tags"), Some(&Value::Unknown));
        // Per-instance attributes are read only for managed instances.
        assert_eq!(r.attr("user_data"), &Value::Unknown);
        assert_eq!(r.attr("disable_api_termination"), &Value::Unknown);
        assert_eq!(r.attr("instance_initiated_shutdown_behavior"), &Value::Unknown);
    }

    #[test]
    fn bare_instance_reads_zero_values() {
        let i = Instance::builder()
            .instance_id("i-2")
            .subnet_id("subnet-2")
            .root_device_name("/dev/xvda")
            .network_interfaces(
                InstanceNetworkInterface::builder()
                    .network_interface_id("eni-2")
                    .subnet_id("subnet-2")
                    .attachment(InstanceNetworkInterfaceAttachment::builder().device_index(0).build())
                    .build(),
            )
            .build();
        let r = map(&i, None, &HashMap::new(), None, "us-east-1", "123456789012");
        assert_eq!(r.attr_str("arn"), Some("arn:aws:ec2:us-east-1:123456789012:instance/i-2"));
        assert_eq!(r.attr("associate_public_ip_address"), &Value::Bool(false));
        assert_eq!(r.attr_str("iam_instance_profile"), Some(""));
        assert_eq!(r.attr_str("key_name"), Some(""));
        assert_eq!(r.attr("vpc_security_group_ids"), &Value::List(vec![]));
        assert_eq!(r.attr("metadata_options"), &Value::List(vec![]));
        // No monitoring state and no readable root volume: not read.
        assert_eq!(r.attr("monitoring"), &Value::Unknown);
        assert_eq!(r.attr("root_block_device"), &Value::Unknown);
    }

    #[test]
    fn per_instance_attributes_as_the_provider_stores_them() {
        let a = Attributes {
            disable_api_termination: Some(true),
            disable_api_stop: Some(false),
            shutdown_behavior: Some("stop".into()),
            user_data: Some(Some("IyEvYmluL3NoCmVjaG8gY2xpbmljLWFwcCA+IC9ldGMvcm9sZQo=".into())),
        };
        let r = map(&instance(), None, &volumes(), Some(&a), "us-east-1", "123456789012");
        assert_eq!(r.attr("disable_api_termination"), &Value::Bool(true));
        assert_eq!(r.attr("disable_api_stop"), &Value::Bool(false));
        assert_eq!(r.attr_str("instance_initiated_shutdown_behavior"), Some("stop"));
        // The hash Terraform stored for this user data (terraform apply on the emulator).
        assert_eq!(r.attr_str("user_data"), Some("ea00471a93850266a9dfd7ab8ad9b3f4b25f7785"));
        let none = Attributes { user_data: Some(None), ..a };
        assert_eq!(map(&instance(), None, &volumes(), Some(&none), "r", "1").attr("user_data"), &Value::Unknown);
    }

    #[test]
    fn sha1_known_answers() {
        let hex = |d: &[u8]| sha1(d).iter().map(|b| format!("{b:02x}")).collect::<String>();
        assert_eq!(hex(b""), "da39a3ee5e6b4b0d3255bfef95601890afd80709");
        assert_eq!(hex(b"abc"), "a9993e364706816aba3e25717850c26c9cd0d89d");
        assert_eq!(hex(&[b'a'; 1000]), "291e9a6c66994949b57ba5e650361e98fc36b1ba");
        // Not base64: hashed as text, as the provider does.
        assert_eq!(user_data_hash("abc!"), hex(b"abc!"));
    }

    #[test]
    fn profile_names() {
        assert_eq!(profile_name("arn:aws:iam::123456789012:instance-profile/p"), "p");
        assert_eq!(profile_name("arn:aws:iam::123456789012:instance-profile/a/b/p"), "p");
    }

    use crate::aws::event::of;
    use serde_json::{Value as Json, json};

    #[test]
    fn modify_instance_attribute_shapes() {
        let e = of("aws_instance", "ec2", "ModifyInstanceAttribute");
        let nested = json!({"instanceId":"i-1","instanceType":{"value":"t3.large"}});
        let flat = json!({"instanceId":"i-1","attribute":"instanceType","value":"t3.large"});
        let want = vec![Written::Set { path: "instance_type".into(), value: "t3.large".into() }];
        assert_eq!(e.writes(&nested, &Json::Null), want);
        assert_eq!(e.writes(&flat, &Json::Null), want);
        let user_data = json!({"instanceId":"i-1","userData":"<sensitiveDataRemoved>"});
        assert_eq!(
            e.writes(&user_data, &Json::Null),
            vec![Written::Set { path: "user_data".into(), value: Value::Sensitive }]
        );
        assert_eq!(e.identifiers(&nested, &Json::Null), vec!["i-1"]);
    }

    #[test]
    fn imds_wrapper_and_tags() {
        let e = of("aws_instance", "ec2", "ModifyInstanceMetadataOptions");
        let req = json!({"ModifyInstanceMetadataOptionsRequest":{"InstanceId":"i-9","HttpTokens":"optional","HttpEndpoint":"enabled"}});
        assert_eq!(e.identifiers(&req, &Json::Null), vec!["i-9"]);
        assert!(
            e.writes(&req, &Json::Null)
                .contains(&Written::Set { path: "metadata_options[0].http_tokens".into(), value: "optional".into() })
        );
        let t = of("aws_instance", "ec2", "CreateTags");
        let req = json!({"resourcesSet":{"items":[{"resourceId":"i-1"},{"resourceId":"vol-2"}]},
                         "tagSet":{"items":[{"key":"Owner","value":"mallory"}]}});
        assert_eq!(t.identifiers(&req, &Json::Null), vec!["i-1", "vol-2"]);
        assert_eq!(
            t.writes(&req, &Json::Null),
            vec![Written::Set { path: "tags.Owner".into(), value: "mallory".into() }]
        );
    }
}

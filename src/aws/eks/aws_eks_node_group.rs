//! `aws_eks_node_group`: ListNodegroups per cluster and one DescribeNodegroup per node
//! group (shared with the access entries EKS creates for node roles).
//!
//! Import id `cluster:nodegroup`, as the provider's. Follows the provider's read: absent
//! numbers `0` (`disk_size` of a node group on a launch template), absent blocks `[]`,
//! `launch_template` with id, name and version as EKS reports them, `taint` as a set,
//! `node_group_name_prefix` derived from the name as the provider derives it.
//!
//! `scaling_config[0].desired_size` is read as it is: the cluster autoscaler moves it, and
//! an ignore mechanism on top decides whether that counts.
//!
//! The Auto Scaling group and launch template EKS creates for the node group are read as
//! `aws_autoscaling_group` / `aws_launch_template` and flagged AWS-managed there.
//!
//! Left Unknown: `force_update_version` (configuration only).

use aws_sdk_eks::types::Nodegroup;
use futures::FutureExt;
use serde_json::Value as J;

use super::{int, node_groups, set, tags};
use crate::aws::ec2::name_prefix;
use crate::aws::event::{Event, W, Written, value};
use crate::aws::view::*;
use crate::aws::{Ctx, FetchResult, Identity, Link, Read, ResourceType, ViewDef};
use crate::model::{Resource, Value, View};

const TYPES: &[&str] = &["aws_eks_node_group"];

/// CloudTrail names a node group by its cluster and its name; the import id joins them.
const ID: &[&str] = &["{name|clusterName}:{nodegroupName}"];

pub static TYPE: ResourceType = ResourceType {
    read: Some(Read { fetch: |ctx| fetch(ctx).boxed(), global: false }),
    identity: Identity { names: &["node_group_name"], ..Identity::NONE },
    events: &[
        Event::create("eks", "CreateNodegroup", ID).writing(&[
            W::Param("scaling_config[0].desired_size", "scalingConfig.desiredSize"),
            W::Param("scaling_config[0].min_size", "scalingConfig.minSize"),
            W::Param("scaling_config[0].max_size", "scalingConfig.maxSize"),
            W::Map("labels", "labels"),
            W::List("instance_types", "instanceTypes[]"),
            W::List("subnet_ids", "subnets[]"),
            W::Param("ami_type", "amiType"),
            W::Param("capacity_type", "capacityType"),
            W::Param("disk_size", "diskSize"),
            W::Param("node_role_arn", "nodeRole"),
            W::Param("launch_template[0].id", "launchTemplate.id"),
            W::Param("launch_template[0].name", "launchTemplate.name"),
            W::Param("launch_template[0].version", "launchTemplate.version"),
            W::Param("release_version", "releaseVersion"),
            W::Param("version", "version"),
            W::Param("update_config[0].max_unavailable", "updateConfig.maxUnavailable"),
            W::Param("update_config[0].max_unavailable_percentage", "updateConfig.maxUnavailablePercentage"),
            W::Custom(super::tag_map),
        ]),
        Event::delete("eks", "DeleteNodegroup", ID),
        Event::modify("eks", "UpdateNodegroupConfig", ID).writing(&[
            W::Param("scaling_config[0].desired_size", "scalingConfig.desiredSize"),
            W::Param("scaling_config[0].min_size", "scalingConfig.minSize"),
            W::Param("scaling_config[0].max_size", "scalingConfig.maxSize"),
            W::Custom(labels),
            W::Custom(taints),
            W::Param("update_config[0].max_unavailable", "updateConfig.maxUnavailable"),
            W::Param("update_config[0].max_unavailable_percentage", "updateConfig.maxUnavailablePercentage"),
            W::Param("node_repair_config[0].enabled", "nodeRepairConfig.enabled"),
        ]),
        Event::modify("eks", "UpdateNodegroupVersion", ID).writing(&[
            W::Param("launch_template[0].id", "launchTemplate.id"),
            W::Param("launch_template[0].name", "launchTemplate.name"),
            W::Param("launch_template[0].version", "launchTemplate.version"),
            W::Param("version", "version"),
            W::Param("release_version", "releaseVersion"),
        ]),
        super::TAG_RESOURCE,
        super::UNTAG_RESOURCE,
    ],
    view: Some(&VIEW),
    // What defines the nodes: `plumb blame` on a node group tells their whole story.
    links: &[
        Link { role: "launch template", rtype: "aws_launch_template", from: "launch_template[*].id", to: "id" },
        Link {
            role: "Auto Scaling group",
            rtype: "aws_autoscaling_group",
            from: "resources[*].autoscaling_groups[*].name",
            to: "name",
        },
        Link { role: "node role", rtype: "aws_iam_role", from: "node_role_arn", to: "arn" },
    ],
    ..ResourceType::base("aws_eks_node_group", "eks")
};

async fn fetch(ctx: &Ctx) -> FetchResult {
    let groups = node_groups(ctx, TYPES).await?;
    Ok(groups.iter().map(|g| map(g, &ctx.region, &ctx.account)).collect())
}

/// Pure mapping from the SDK's `Nodegroup` to provider v5 attributes.
pub fn map(g: &Nodegroup, region: &str, account: &str) -> Resource {
    let cluster = g.cluster_name().unwrap_or_default();
    let name = g.nodegroup_name().unwrap_or_default();
    let id = format!("{cluster}:{name}");
    let arn = g.nodegroup_arn().map(str::to_string);
    let mut r = Resource::live("aws_eks_node_group", id.as_str(), region, account, arn.clone())
        .with("id", id.as_str())
        .with("arn", Value::opt_str(arn))
        .with("cluster_name", cluster)
        .with("node_group_name", name)
        .with("node_group_name_prefix", name_prefix(name))
        .with("ami_type", g.ami_type().map(|t| t.as_str()).unwrap_or_default())
        .with("capacity_type", g.capacity_type().map(|t| t.as_str()).unwrap_or_default())
        .with("disk_size", int(g.disk_size()))
        .with("instance_types", Value::string_list(g.instance_types().iter().map(String::as_str)))
        .with("node_role_arn", g.node_role().unwrap_or_default())
        .with("release_version", g.release_version().unwrap_or_default())
        .with("version", g.version().unwrap_or_default())
        .with("status", g.status().map(|s| s.as_str()).unwrap_or_default())
        .with("subnet_ids", set(g.subnets().iter().map(String::as_str)))
        .with("tags", tags(g.tags()));

    let mut labels: Vec<(&String, &String)> = g.labels().into_iter().flatten().collect();
    labels.sort();
    r.set("labels", Value::string_map(labels.into_iter().map(|(k, v)| (k.clone(), v.clone()))));

    r.set(
        "launch_template",
        match g.launch_template() {
            Some(lt) => Value::block([
                ("id", Value::str(lt.id().unwrap_or_default())),
                ("name", Value::str(lt.name().unwrap_or_default())),
                ("version", Value::str(lt.version().unwrap_or_default())),
            ]),
            None => Value::List(Vec::new()),
        },
    );

    r.set(
        "scaling_config",
        match g.scaling_config() {
            Some(s) => Value::block([
                ("desired_size", int(s.desired_size())),
                ("max_size", int(s.max_size())),
                ("min_size", int(s.min_size())),
            ]),
            None => Value::List(Vec::new()),
        },
    );

    r.set(
        "update_config",
        match g.update_config() {
            Some(u) => Value::block([
                ("max_unavailable", int(u.max_unavailable())),
                ("max_unavailable_percentage", int(u.max_unavailable_percentage())),
            ]),
            None => Value::List(Vec::new()),
        },
    );

    r.set(
        "node_repair_config",
        match g.node_repair_config() {
            Some(n) => Value::block([("enabled", Value::Bool(n.enabled().unwrap_or(false)))]),
            None => Value::List(Vec::new()),
        },
    );

    r.set(
        "remote_access",
        match g.remote_access() {
            Some(ra) => Value::block([
                ("ec2_ssh_key", Value::str(ra.ec2_ssh_key().unwrap_or_default())),
                ("source_security_group_ids", set(ra.source_security_groups().iter().map(String::as_str))),
            ]),
            None => Value::List(Vec::new()),
        },
    );

    let mut taints: Vec<Value> = g
        .taints()
        .iter()
        .map(|t| {
            Value::object([
                ("effect", Value::str(t.effect().map(|e| e.as_str()).unwrap_or_default())),
                ("key", Value::str(t.key().unwrap_or_default())),
                ("value", Value::str(t.value().unwrap_or_default())),
            ])
        })
        .collect();
    taints.sort_by_cached_key(Value::canonical);
    r.set("taint", Value::List(taints));

    if let Some(res) = g.resources() {
        r.set(
            "resources",
            Value::block([
                (
                    "autoscaling_groups",
                    Value::List(
                        res.auto_scaling_groups()
                            .iter()
                            .map(|a| Value::object([("name", Value::str(a.name().unwrap_or_default()))]))
                            .collect(),
                    ),
                ),
                ("remote_access_security_group_id", Value::str(res.remote_access_security_group().unwrap_or_default())),
            ]),
        );
    }
    r
}

// -- events ---------------------------------------------------------------------------------

/// `labels: {addOrUpdateLabels: {k: v}, removeLabels: [k]}`.
fn labels(req: &J, _resp: &J, out: &mut Vec<Written>) {
    let Some(l) = req.get("labels") else { return };
    if let Some(J::Object(m)) = l.get("addOrUpdateLabels") {
        for (k, v) in m {
            out.push(Written::Set { path: format!("labels.{k}"), value: value(v) });
        }
    }
    if let Some(J::Array(keys)) = l.get("removeLabels") {
        for k in keys.iter().filter_map(J::as_str) {
            out.push(Written::Unset { path: format!("labels.{k}") });
        }
    }
}

/// `taints: {addOrUpdateTaints: [{key, value, effect}], removeTaints: [...]}`: elements of
/// the `taint` set.
fn taints(req: &J, _resp: &J, out: &mut Vec<Written>) {
    let Some(t) = req.get("taints") else { return };
    let elems = |k: &str| -> Vec<Value> {
        t.get(k)
            .and_then(J::as_array)
            .into_iter()
            .flatten()
            .map(|x| {
                let s = |f: &str| Value::str(x.get(f).and_then(J::as_str).unwrap_or_default());
                Value::object([("effect", s("effect")), ("key", s("key")), ("value", s("value"))])
            })
            .collect()
    };
    let (added, removed) = (elems("addOrUpdateTaints"), elems("removeTaints"));
    if !added.is_empty() {
        out.push(Written::Add { path: "taint".into(), elems: added });
    }
    if !removed.is_empty() {
        out.push(Written::Remove { path: "taint".into(), elems: removed });
    }
}

// -- view -----------------------------------------------------------------------------------

pub static VIEW: ViewDef =
    ViewDef { kind: "eks_node_group", build: |rs, v| each(rs, &["aws_eks_node_group"], v, eks_node_group) };

fn eks_node_group(r: &Resource, view: View) -> JoinedView {
    let a = |k: &str| attr(r, k, view);
    let mut o = head("eks_node_group", r, view);
    for k in ["cluster_name", "node_group_name"] {
        let _ = put_str(&mut o, k, a(k), None);
    }
    let ra = a("remote_access");
    let key = match ra.field("ec2_ssh_key") {
        F::Unknown if view != View::Live => Some(true),
        f => f.string(None).ok().map(|k| k.is_some()),
    };
    o.opt("ssh_enabled", key);
    let sgs = o.strings("source_security_group_ids", ra.field("source_security_group_ids"));
    // A key without source groups opens port 22 to 0.0.0.0/0.
    let open = match (key, sgs) {
        (Some(false), _) => Some(false),
        (Some(true), Some(s)) => Some(s.is_empty()),
        _ => None,
    };
    o.opt("ssh_open_to_world", open);
    joined("eks_node_group", r, o)
}

#[cfg(test)]
mod tests {
    use std::collections::HashMap;

    use aws_sdk_eks::types::{
        AmiTypes, CapacityTypes, LaunchTemplateSpecification, NodegroupResources, NodegroupScalingConfig,
        NodegroupUpdateConfig, RemoteAccessConfig, Taint, TaintEffect,
    };

    use super::*;
    use crate::aws::event::of;

    fn group() -> Nodegroup {
        Nodegroup::builder()
            .nodegroup_name("workers")
            .nodegroup_arn("arn:aws:eks:us-east-1:123456789012:nodegroup/clinic/workers/uuid")
            .cluster_name("clinic")
            .version("1.31")
            .release_version("1.31.0-20241024")
            .capacity_type(CapacityTypes::OnDemand)
            .ami_type(AmiTypes::Al2X8664)
            .instance_types("t3.large")
            .subnets("subnet-b")
            .subnets("subnet-a")
            .node_role("arn:aws:iam::123456789012:role/nodes")
            .scaling_config(NodegroupScalingConfig::builder().min_size(1).max_size(4).desired_size(2).build())
            .update_config(NodegroupUpdateConfig::builder().max_unavailable(1).build())
            .set_labels(Some(HashMap::from([("role".to_string(), "general".to_string())])))
            .taints(Taint::builder().key("dedicated").value("general").effect(TaintEffect::NoSchedule).build())
            .launch_template(LaunchTemplateSpecification::builder().id("lt-1").name("nodes").version("3").build())
            .resources(
                NodegroupResources::builder()
                    .auto_scaling_groups(
                        aws_sdk_eks::types::AutoScalingGroup::builder().name("eks-workers-uuid").build(),
                    )
                    .build(),
            )
            .set_tags(Some(HashMap::from([("Team".to_string(), "platform".to_string())])))
            .build()
    }

    #[test]
    fn maps_provider_attributes() {
        let r = map(&group(), "us-east-1", "123456789012");
        assert_eq!(r.id, "clinic:workers");
        assert_eq!(r.attr_str("cluster_name"), Some("clinic"));
        assert_eq!(r.attr_str("node_group_name"), Some("workers"));
        assert_eq!(r.attr_str("node_group_name_prefix"), Some(""));
        assert_eq!(r.attr_str("capacity_type"), Some("ON_DEMAND"));
        assert_eq!(r.attr_str("ami_type"), Some("AL2_x86_64"));
        // On a launch template EKS reports no disk size: the provider stores 0.
        assert_eq!(r.attr("disk_size"), &Value::int(0));
        assert_eq!(r.attr("instance_types"), &Value::string_list(["t3.large"]));
        assert_eq!(r.attr("subnet_ids"), &Value::string_list(["subnet-a", "subnet-b"]));
        let sc = r.attr("scaling_config");
        assert_eq!(sc.get("min_size"), Some(&Value::int(1)));
        assert_eq!(sc.get("max_size"), Some(&Value::int(4)));
        assert_eq!(sc.get("desired_size"), Some(&Value::int(2)));
        let uc = r.attr("update_config");
        assert_eq!(uc.get("max_unavailable"), Some(&Value::int(1)));
        assert_eq!(uc.get("max_unavailable_percentage"), Some(&Value::int(0)));
        assert_eq!(r.attr("labels"), &Value::string_map([("role", "general")]));
        let lt = r.attr("launch_template");
        assert_eq!(lt.get("id"), Some(&Value::str("lt-1")));
        assert_eq!(lt.get("version"), Some(&Value::str("3")));
        let taint = r.attr("taint").as_list().unwrap();
        assert_eq!(taint[0].get("effect"), Some(&Value::str("NO_SCHEDULE")));
        assert_eq!(r.attr("remote_access"), &Value::List(vec![]));
        assert_eq!(r.attr("node_repair_config"), &Value::List(vec![]));
        assert_eq!(r.attr("tags"), &Value::string_map([("Team", "platform")]));
        let res = r.attr("resources");
        assert_eq!(res.get("autoscaling_groups").and_then(|g| g.get("name")), Some(&Value::str("eks-workers-uuid")));
    }

    #[test]
    fn remote_access_feeds_the_ssh_rule() {
        let g = Nodegroup::builder()
            .nodegroup_name("ssh")
            .cluster_name("clinic")
            .remote_access(RemoteAccessConfig::builder().ec2_ssh_key("ops").build())
            .build();
        let r = map(&g, "us-east-1", "123456789012");
        let v = eks_node_group(&r, View::Live).value;
        assert_eq!(v["ssh_enabled"], true);
        assert_eq!(v["ssh_open_to_world"], true);
        let v = eks_node_group(&map(&group(), "us-east-1", "1"), View::Live).value;
        assert_eq!(v["ssh_enabled"], false);
        assert_eq!(v["ssh_open_to_world"], false);
    }

    #[test]
    fn update_nodegroup_config_scaling_labels_and_taints() {
        let e = of("aws_eks_node_group", "eks", "UpdateNodegroupConfig");
        let req = serde_json::json!({
            "name": "clinic",
            "nodegroupName": "workers",
            "scalingConfig": {"minSize": 2, "maxSize": 6, "desiredSize": 3},
            "labels": {"addOrUpdateLabels": {"tier": "gold"}, "removeLabels": ["role"]},
            "taints": {"removeTaints": [{"key": "dedicated", "value": "general", "effect": "NO_SCHEDULE"}]},
            "clientRequestToken": "t"
        });
        assert_eq!(e.identifiers(&req, &J::Null), vec!["clinic:workers"]);
        let w = e.writes(&req, &J::Null);
        assert!(w.contains(&Written::Set { path: "scaling_config[0].min_size".into(), value: Value::int(2) }));
        assert!(w.contains(&Written::Set { path: "scaling_config[0].max_size".into(), value: Value::int(6) }));
        assert!(w.contains(&Written::Set { path: "scaling_config[0].desired_size".into(), value: Value::int(3) }));
        assert!(w.contains(&Written::Set { path: "labels.tier".into(), value: Value::str("gold") }));
        assert!(w.contains(&Written::Unset { path: "labels.role".into() }));
        assert!(w.iter().any(|x| matches!(x, Written::Remove { path, elems } if path == "taint" && elems.len() == 1)));
        // `clusterName` is read as well as `name`.
        let req = serde_json::json!({"clusterName": "clinic", "nodegroupName": "workers"});
        assert_eq!(e.identifiers(&req, &J::Null), vec!["clinic:workers"]);
    }

    /// Through the attribution index: a record naming `clinic`/`workers` is an event on that
    /// node group, not on a same-named group of another cluster.
    #[test]
    fn cloudtrail_names_the_node_group_of_its_cluster_only() {
        use crate::attribution::{Effect, Index, Subject, Window};
        let clinic = map(&group(), "us-east-1", "123456789012");
        let mut lab = group();
        lab.cluster_name = Some("lab".into());
        let lab = map(&lab, "us-east-1", "123456789012");
        let index = Index::new(vec![
            Subject::new(
                "aws_eks_node_group",
                "lab:workers",
                Some("aws_eks_node_group.lab"),
                Some("us-east-1"),
                &[&lab],
            ),
            Subject::new(
                "aws_eks_node_group",
                "clinic:workers",
                Some("aws_eks_node_group.workers"),
                Some("us-east-1"),
                &[&clinic],
            ),
        ]);
        let file = serde_json::json!({"Records": [{
            "eventVersion": "1.09",
            "eventTime": "2024-06-01T10:00:00Z",
            "eventSource": "eks.amazonaws.com",
            "eventName": "UpdateNodegroupConfig",
            "awsRegion": "us-east-1",
            "eventID": "e-1",
            "readOnly": false,
            "userIdentity": {"type": "IAMUser", "arn": "arn:aws:iam::123456789012:user/mallory", "userName": "mallory"},
            "userAgent": "aws-cli/2.17.60 md/command#eks.update-nodegroup-config",
            "requestParameters": {
                "name": "clinic",
                "nodegroupName": "workers",
                "scalingConfig": {"minSize": 2, "maxSize": 6, "desiredSize": 3}
            },
            "responseElements": {"update": {"id": "u-1", "status": "InProgress", "type": "ConfigUpdate"}}
        }]});
        let window = Window {
            since: time::macros::datetime!(2024-01-01 0:00 UTC),
            until: time::macros::datetime!(2025-01-01 0:00 UTC),
        };
        let mut out = Vec::new();
        let bad = index.scan_file(file.to_string().as_bytes(), &mut Vec::new(), &window, &mut out).unwrap();
        assert_eq!(bad, 0);
        assert_eq!(out.len(), 1);
        assert_eq!(out[0].hits, vec![(1, Effect::Modify)], "only clinic's node group");
        assert!(
            out[0].writes.contains(&Written::Set { path: "scaling_config[0].max_size".into(), value: Value::int(6) })
        );
    }

    #[test]
    fn version_create_and_delete() {
        let e = of("aws_eks_node_group", "eks", "UpdateNodegroupVersion");
        let req = serde_json::json!({
            "name": "clinic", "nodegroupName": "workers",
            "launchTemplate": {"id": "lt-1", "version": "4"}, "force": false
        });
        assert_eq!(
            e.writes(&req, &J::Null),
            vec![
                Written::Set { path: "launch_template[0].id".into(), value: Value::str("lt-1") },
                Written::Set { path: "launch_template[0].version".into(), value: Value::str("4") },
            ]
        );
        let create = of("aws_eks_node_group", "eks", "CreateNodegroup");
        let req = serde_json::json!({
            "clusterName": "clinic", "nodegroupName": "workers", "nodeRole": "arn:aws:iam::1:role/nodes",
            "subnets": ["subnet-a"], "scalingConfig": {"minSize": 1, "maxSize": 4, "desiredSize": 2},
            "labels": {"role": "general"}, "tags": {"Team": "platform"}
        });
        assert_eq!(create.identifiers(&req, &J::Null), vec!["clinic:workers"]);
        let w = create.writes(&req, &J::Null);
        assert!(w.contains(&Written::Set { path: "labels".into(), value: Value::string_map([("role", "general")]) }));
        assert!(w.contains(&Written::Set { path: "subnet_ids".into(), value: Value::string_list(["subnet-a"]) }));
        assert!(w.contains(&Written::Set { path: "tags.Team".into(), value: Value::str("platform") }));
        let delete = of("aws_eks_node_group", "eks", "DeleteNodegroup");
        let req = serde_json::json!({"name": "clinic", "nodegroupName": "workers"});
        assert_eq!(delete.identifiers(&req, &J::Null), vec!["clinic:workers"]);
    }
}

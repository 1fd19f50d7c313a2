//! `aws_autoscaling_group`: DescribeAutoScalingGroups, paginated (100 groups a page; tags,
//! suspended processes, metrics and the launch template come with each group).
//!
//! Follows the provider's read: `tag` blocks without AWS's own `aws:*` keys,
//! `vpc_zone_identifier` split into a set, `launch_template` with the id, name and version
//! AWS reports, `metrics_granularity` `1Minute` when no metric is enabled, absent strings
//! `""` and numbers `0`. `desired_capacity` is read as it is (scaling moves it; an ignore
//! mechanism on top decides whether that counts).
//!
//! `termination_policies` exactly `["Default"]` is left Unknown: the provider stores null
//! when the configuration omits them and `["Default"]` when it names it, and the two cannot
//! be told apart live.
//!
//! AWS-managed: the groups EKS creates for managed node groups (tagged
//! `eks:nodegroup-name`, or named `eks-...-<uuid>` and tagged `eks:cluster-name`) are
//! flagged `aws_default`: their node group is what Terraform manages.
//!
//! Left Unknown: `warm_pool` when the group has one, the overrides' `instance_requirements`,
//! and the configuration-only arguments (`force_delete*`, `wait_for_*`, `min_elb_capacity`,
//! `ignore_failed_scaling_activities`, `initial_lifecycle_hook`, `instance_refresh`,
//! `availability_zone_distribution`, `capacity_reservation_specification`).

use aws_sdk_autoscaling::types::{AutoScalingGroup, LaunchTemplateSpecification};
use futures::FutureExt;
use serde_json::Value as J;

use crate::aws::ec2::name_prefix;
use crate::aws::event::{Event, W, Written, first, pluck, scalar_string};
use crate::aws::{Ctx, FetchResult, Identity, Link, Read, ResourceType};
use crate::model::{Resource, Value};

const TYPES: &[&str] = &["aws_autoscaling_group"];

const NAME: &[&str] = &["autoScalingGroupName"];

/// What CreateAutoScalingGroup and UpdateAutoScalingGroup carry.
const GROUP_WRITES: &[W] = &[
    W::Param("min_size", "minSize"),
    W::Param("max_size", "maxSize"),
    W::Param("desired_capacity", "desiredCapacity"),
    W::Param("health_check_type", "healthCheckType"),
    W::Param("health_check_grace_period", "healthCheckGracePeriod"),
    W::Param("default_cooldown", "defaultCooldown"),
    W::Param("max_instance_lifetime", "maxInstanceLifetime"),
    W::Param("capacity_rebalance", "capacityRebalance"),
    W::Param("protect_from_scale_in", "newInstancesProtectedFromScaleIn"),
    W::Param("launch_template[0].id", "launchTemplate.launchTemplateId"),
    W::Param("launch_template[0].name", "launchTemplate.launchTemplateName"),
    W::Param("launch_template[0].version", "launchTemplate.version"),
    W::Custom(group_lists),
];

pub static TYPE: ResourceType = ResourceType {
    read: Some(Read { fetch: |ctx| fetch(ctx).boxed(), global: false }),
    identity: Identity { names: &["name"], ..Identity::NONE },
    events: &[
        Event::create("autoscaling", "CreateAutoScalingGroup", NAME).writing(GROUP_WRITES),
        Event::modify("autoscaling", "UpdateAutoScalingGroup", NAME).writing(GROUP_WRITES),
        Event::delete("autoscaling", "DeleteAutoScalingGroup", NAME),
        Event::modify("autoscaling", "SetDesiredCapacity", NAME)
            .writing(&[W::Param("desired_capacity", "desiredCapacity")]),
        // Policies, scheduled actions, hooks, notifications and attachments are their own
        // resources (and parts); their events belong in the group's history too, so that a
        // node group's story reaches them through the group EKS made for it.
        Event::modify("autoscaling", "PutScalingPolicy", NAME),
        Event::modify("autoscaling", "DeletePolicy", NAME),
        Event::modify("autoscaling", "PutScheduledUpdateGroupAction", NAME),
        Event::modify("autoscaling", "BatchPutScheduledUpdateGroupAction", NAME),
        Event::modify("autoscaling", "DeleteScheduledAction", NAME),
        Event::modify("autoscaling", "BatchDeleteScheduledAction", NAME),
        Event::modify("autoscaling", "PutLifecycleHook", NAME),
        Event::modify("autoscaling", "DeleteLifecycleHook", NAME),
        Event::modify("autoscaling", "PutNotificationConfiguration", NAME),
        Event::modify("autoscaling", "DeleteNotificationConfiguration", NAME),
        Event::modify("autoscaling", "AttachLoadBalancerTargetGroups", NAME)
            .writing(&[W::Custom(|req, _, out| attached(req, out, "target_group_arns", "targetGroupARNs", true))]),
        Event::modify("autoscaling", "DetachLoadBalancerTargetGroups", NAME)
            .writing(&[W::Custom(|req, _, out| attached(req, out, "target_group_arns", "targetGroupARNs", false))]),
        Event::modify("autoscaling", "AttachLoadBalancers", NAME)
            .writing(&[W::Custom(|req, _, out| attached(req, out, "load_balancers", "loadBalancerNames", true))]),
        Event::modify("autoscaling", "DetachLoadBalancers", NAME)
            .writing(&[W::Custom(|req, _, out| attached(req, out, "load_balancers", "loadBalancerNames", false))]),
        Event::modify("autoscaling", "AttachTrafficSources", NAME).writing(&[W::Touch("traffic_source")]),
        Event::modify("autoscaling", "DetachTrafficSources", NAME).writing(&[W::Touch("traffic_source")]),
        Event::modify("autoscaling", "StartInstanceRefresh", NAME).writing(&[
            W::Param("launch_template[0].id", "desiredConfiguration.launchTemplate.launchTemplateId"),
            W::Param("launch_template[0].name", "desiredConfiguration.launchTemplate.launchTemplateName"),
            W::Param("launch_template[0].version", "desiredConfiguration.launchTemplate.version"),
        ]),
        Event::modify("autoscaling", "SuspendProcesses", NAME).writing(&[W::Custom(suspend)]),
        Event::modify("autoscaling", "ResumeProcesses", NAME).writing(&[W::Custom(resume)]),
        Event::modify("autoscaling", "CreateOrUpdateTags", &["tags[].resourceId"]).writing(&[W::Custom(put_tags)]),
        Event::modify("autoscaling", "DeleteTags", &["tags[].resourceId"]).writing(&[W::Custom(delete_tags)]),
    ],
    links: &[
        Link { role: "launch template", rtype: "aws_launch_template", from: "launch_template[*].id", to: "id" },
        Link { role: "scaling policy", rtype: "aws_autoscaling_policy", from: "name", to: "autoscaling_group_name" },
        Link {
            role: "scheduled action",
            rtype: "aws_autoscaling_schedule",
            from: "name",
            to: "autoscaling_group_name",
        },
        Link {
            role: "lifecycle hook",
            rtype: "aws_autoscaling_lifecycle_hook",
            from: "name",
            to: "autoscaling_group_name",
        },
        Link { role: "attachment", rtype: "aws_autoscaling_attachment", from: "name", to: "autoscaling_group_name" },
        Link {
            role: "traffic source",
            rtype: "aws_autoscaling_traffic_source_attachment",
            from: "name",
            to: "autoscaling_group_name",
        },
        Link { role: "tag", rtype: "aws_autoscaling_group_tag", from: "name", to: "autoscaling_group_name" },
    ],
    ..ResourceType::base("aws_autoscaling_group", "autoscaling")
};

async fn fetch(ctx: &Ctx) -> FetchResult {
    let groups = super::groups(ctx, TYPES).await?;
    Ok(groups.iter().map(|g| map(g, &ctx.region, &ctx.account)).collect())
}

fn s(v: Option<&str>) -> Value {
    Value::str(v.unwrap_or_default())
}

fn n(v: Option<i32>) -> Value {
    Value::int(v.unwrap_or(0).into())
}

fn set<'a>(items: impl IntoIterator<Item = &'a str>) -> Value {
    let mut v: Vec<&str> = items.into_iter().filter(|x| !x.is_empty()).collect();
    v.sort_unstable();
    v.dedup();
    Value::string_list(v)
}

fn none() -> Value {
    Value::List(Vec::new())
}

/// Pure mapping from the SDK's `AutoScalingGroup` to provider v5 attributes.
pub fn map(g: &AutoScalingGroup, region: &str, account: &str) -> Resource {
    let name = g.auto_scaling_group_name().unwrap_or_default();
    let arn = g.auto_scaling_group_arn().map(str::to_string);
    let mut r = Resource::live("aws_autoscaling_group", name, region, account, arn.clone())
        .with("id", name)
        .with("arn", Value::opt_str(arn))
        .with("name", name)
        .with("name_prefix", name_prefix(name))
        .with("min_size", n(g.min_size()))
        .with("max_size", n(g.max_size()))
        .with("desired_capacity", n(g.desired_capacity()))
        .with("desired_capacity_type", s(g.desired_capacity_type()))
        .with("default_cooldown", n(g.default_cooldown()))
        .with("default_instance_warmup", n(g.default_instance_warmup()))
        .with("health_check_type", s(g.health_check_type()))
        .with("health_check_grace_period", n(g.health_check_grace_period()))
        .with("capacity_rebalance", g.capacity_rebalance().unwrap_or(false))
        .with("context", s(g.context()))
        .with("launch_configuration", s(g.launch_configuration_name()))
        .with("max_instance_lifetime", n(g.max_instance_lifetime()))
        .with("placement_group", s(g.placement_group()))
        .with("predicted_capacity", n(g.predicted_capacity()))
        .with("protect_from_scale_in", g.new_instances_protected_from_scale_in().unwrap_or(false))
        .with("service_linked_role_arn", s(g.service_linked_role_arn()))
        .with("warm_pool_size", n(g.warm_pool_size()))
        .with("availability_zones", set(g.availability_zones().iter().map(String::as_str)))
        .with("load_balancers", set(g.load_balancer_names().iter().map(String::as_str)))
        .with("target_group_arns", set(g.target_group_arns().iter().map(String::as_str)))
        .with("suspended_processes", set(g.suspended_processes().iter().filter_map(|p| p.process_name())))
        .with("enabled_metrics", set(g.enabled_metrics().iter().filter_map(|m| m.metric())))
        .with("vpc_zone_identifier", set(g.vpc_zone_identifier().unwrap_or_default().split(',').map(str::trim)));

    r.set(
        "metrics_granularity",
        g.enabled_metrics().first().and_then(|m| m.granularity()).unwrap_or(DEFAULT_GRANULARITY),
    );

    let policies = g.termination_policies();
    if !(policies.len() == 1 && policies[0] == DEFAULT_TERMINATION_POLICY) {
        r.set("termination_policies", Value::string_list(policies.iter().map(String::as_str)));
    }

    r.set(
        "launch_template",
        g.launch_template().map(|lt| Value::List(vec![spec(lt, "id", "name")])).unwrap_or_else(none),
    );

    r.set(
        "mixed_instances_policy",
        match g.mixed_instances_policy() {
            Some(p) => Value::block([
                (
                    "instances_distribution",
                    match p.instances_distribution() {
                        Some(d) => Value::block([
                            ("on_demand_allocation_strategy", s(d.on_demand_allocation_strategy())),
                            ("on_demand_base_capacity", n(d.on_demand_base_capacity())),
                            (
                                "on_demand_percentage_above_base_capacity",
                                n(d.on_demand_percentage_above_base_capacity()),
                            ),
                            ("spot_allocation_strategy", s(d.spot_allocation_strategy())),
                            ("spot_instance_pools", n(d.spot_instance_pools())),
                            ("spot_max_price", s(d.spot_max_price())),
                        ]),
                        None => none(),
                    },
                ),
                (
                    "launch_template",
                    match p.launch_template() {
                        Some(lt) => Value::block([
                            (
                                "launch_template_specification",
                                lt.launch_template_specification()
                                    .map(|x| Value::List(vec![spec(x, "launch_template_id", "launch_template_name")]))
                                    .unwrap_or_else(none),
                            ),
                            (
                                "override",
                                Value::List(
                                    lt.overrides()
                                        .iter()
                                        .map(|o| {
                                            // `instance_requirements` is left out: Unknown.
                                            Value::object([
                                                ("instance_type", s(o.instance_type())),
                                                ("weighted_capacity", s(o.weighted_capacity())),
                                                (
                                                    "launch_template_specification",
                                                    o.launch_template_specification()
                                                        .map(|x| {
                                                            Value::List(vec![spec(
                                                                x,
                                                                "launch_template_id",
                                                                "launch_template_name",
                                                            )])
                                                        })
                                                        .unwrap_or_else(none),
                                                ),
                                            ])
                                        })
                                        .collect(),
                                ),
                            ),
                        ]),
                        None => none(),
                    },
                ),
            ]),
            None => none(),
        },
    );

    r.set(
        "instance_maintenance_policy",
        match g.instance_maintenance_policy() {
            Some(p) => Value::block([
                ("max_healthy_percentage", n(p.max_healthy_percentage())),
                ("min_healthy_percentage", n(p.min_healthy_percentage())),
            ]),
            None => none(),
        },
    );

    let mut sources: Vec<Value> = g
        .traffic_sources()
        .iter()
        .map(|t| Value::object([("identifier", s(t.identifier())), ("type", s(t.r#type()))]))
        .collect();
    sources.sort_by_cached_key(Value::canonical);
    r.set("traffic_source", Value::List(sources));

    if g.warm_pool_configuration().is_none() {
        r.set("warm_pool", none());
    }

    let mut tags: Vec<Value> = g
        .tags()
        .iter()
        .filter_map(|t| {
            let key = t.key()?;
            (!key.starts_with("aws:")).then(|| {
                Value::object([
                    ("key", Value::str(key)),
                    ("propagate_at_launch", Value::Bool(t.propagate_at_launch().unwrap_or(false))),
                    ("value", s(t.value())),
                ])
            })
        })
        .collect();
    tags.sort_by_cached_key(Value::canonical);
    r.set("tag", Value::List(tags));

    r.aws_default = made_by_eks(g);
    r
}

/// `metrics_granularity` when no metric is enabled (the provider's default).
const DEFAULT_GRANULARITY: &str = "1Minute";
const DEFAULT_TERMINATION_POLICY: &str = "Default";

/// A launch template specification with the provider's key names for id and name.
fn spec(lt: &LaunchTemplateSpecification, id: &'static str, name: &'static str) -> Value {
    Value::object([
        (id, s(lt.launch_template_id())),
        (name, s(lt.launch_template_name())),
        ("version", s(lt.version())),
    ])
}

/// The group EKS made for a managed node group.
pub(crate) fn made_by_eks(g: &AutoScalingGroup) -> bool {
    let tagged = |k: &str| g.tags().iter().any(|t| t.key() == Some(k));
    tagged("eks:nodegroup-name")
        || (tagged("eks:cluster-name")
            && g.auto_scaling_group_name().is_some_and(|n| {
                n.starts_with("eks-") && n.len() > 36 && n.get(n.len() - 36..).is_some_and(crate::aws::ec2::is_uuid)
            }))
}

// -- events ---------------------------------------------------------------------------------

/// The list-valued parameters of Create/UpdateAutoScalingGroup.
fn group_lists(req: &J, _resp: &J, out: &mut Vec<Written>) {
    if let Some(v) = first(req, "vPCZoneIdentifier|vpcZoneIdentifier|VPCZoneIdentifier").and_then(J::as_str) {
        let subnets: Vec<&str> = v.split(',').map(str::trim).filter(|s| !s.is_empty()).collect();
        out.push(Written::Set { path: "vpc_zone_identifier".into(), value: set(subnets) });
    }
    for (attr, key) in [("termination_policies", "terminationPolicies"), ("target_group_arns", "targetGroupARNs")] {
        if let Some(J::Array(items)) = req.get(key) {
            let values: Vec<&str> = items.iter().filter_map(J::as_str).collect();
            let value = if attr == "termination_policies" { Value::string_list(values) } else { set(values) };
            out.push(Written::Set { path: attr.into(), value });
        }
    }
}

/// Attach/Detach calls: the named target groups or load balancers added to (or removed
/// from) the group's set.
fn attached(req: &J, out: &mut Vec<Written>, attr: &str, key: &str, add: bool) {
    let Some(J::Array(items)) = req.get(key) else { return };
    let elems: Vec<Value> = items.iter().filter_map(scalar_string).map(Value::String).collect();
    if elems.is_empty() {
        return;
    }
    let path = attr.to_string();
    out.push(if add { Written::Add { path, elems } } else { Written::Remove { path, elems } });
}

/// `scalingProcesses` (none named: every process).
fn processes(req: &J) -> Option<Vec<Value>> {
    match req.get("scalingProcesses") {
        Some(J::Array(items)) if !items.is_empty() => {
            Some(items.iter().filter_map(scalar_string).map(Value::String).collect())
        }
        _ => None,
    }
}

fn suspend(req: &J, _resp: &J, out: &mut Vec<Written>) {
    match processes(req) {
        Some(elems) => out.push(Written::Add { path: "suspended_processes".into(), elems }),
        None => out.push(Written::Touch { path: "suspended_processes".into() }),
    }
}

fn resume(req: &J, _resp: &J, out: &mut Vec<Written>) {
    match processes(req) {
        Some(elems) => out.push(Written::Remove { path: "suspended_processes".into(), elems }),
        None => out.push(Written::Set { path: "suspended_processes".into(), value: Value::List(Vec::new()) }),
    }
}

/// `tags: [{resourceId, resourceType, key, value, propagateAtLaunch}]` as elements of the
/// `tag` set.
fn tag_elems(req: &J, with_value: bool) -> Vec<Value> {
    let mut found = Vec::new();
    pluck(req, "tags[]", &mut found);
    found
        .into_iter()
        .filter_map(|t| {
            let key = t.get("key").and_then(J::as_str)?;
            let mut m = std::collections::BTreeMap::new();
            m.insert("key".to_string(), Value::str(key));
            if with_value {
                m.insert("value".to_string(), Value::str(t.get("value").and_then(J::as_str).unwrap_or_default()));
                m.insert(
                    "propagate_at_launch".to_string(),
                    Value::Bool(t.get("propagateAtLaunch").and_then(J::as_bool).unwrap_or(false)),
                );
            }
            Some(Value::Map(m))
        })
        .collect()
}

fn put_tags(req: &J, _resp: &J, out: &mut Vec<Written>) {
    let elems = tag_elems(req, true);
    if !elems.is_empty() {
        out.push(Written::Add { path: "tag".into(), elems });
    }
}

fn delete_tags(req: &J, _resp: &J, out: &mut Vec<Written>) {
    let elems = tag_elems(req, false);
    if !elems.is_empty() {
        out.push(Written::Remove { path: "tag".into(), elems });
    }
}

#[cfg(test)]
mod tests {
    use aws_sdk_autoscaling::types::{EnabledMetric, SuspendedProcess, TagDescription};

    use super::*;
    use crate::aws::event::of;

    fn tag(k: &str, v: &str) -> TagDescription {
        TagDescription::builder()
            .resource_id("g")
            .resource_type("auto-scaling-group")
            .key(k)
            .value(v)
            .propagate_at_launch(true)
            .build()
    }

    fn group(name: &str) -> AutoScalingGroup {
        AutoScalingGroup::builder()
            .auto_scaling_group_name(name)
            .auto_scaling_group_arn(format!(
                "arn:aws:autoscaling:us-east-1:1:autoScalingGroup:uuid:autoScalingGroupName/{name}"
            ))
            .min_size(0)
            .max_size(3)
            .desired_capacity(1)
            .default_cooldown(300)
            .health_check_type("EC2")
            .health_check_grace_period(120)
            .availability_zones("us-east-1b")
            .availability_zones("us-east-1a")
            .vpc_zone_identifier("subnet-b,subnet-a")
            .launch_template(
                LaunchTemplateSpecification::builder()
                    .launch_template_id("lt-1")
                    .launch_template_name("batch")
                    .version("$Latest")
                    .build(),
            )
            .suspended_processes(SuspendedProcess::builder().process_name("AZRebalance").build())
            .termination_policies("OldestInstance")
            .termination_policies("Default")
            .tags(tag("Name", "batch"))
            .tags(tag("aws:cloudformation:stack-name", "x"))
            .build()
    }

    #[test]
    fn maps_provider_attributes() {
        let r = map(&group("clinic-batch"), "us-east-1", "1");
        assert_eq!(r.id, "clinic-batch");
        assert_eq!(r.attr("min_size"), &Value::int(0));
        assert_eq!(r.attr("max_size"), &Value::int(3));
        assert_eq!(r.attr("desired_capacity"), &Value::int(1));
        assert_eq!(r.attr_str("health_check_type"), Some("EC2"));
        assert_eq!(r.attr("health_check_grace_period"), &Value::int(120));
        assert_eq!(r.attr("vpc_zone_identifier"), &Value::string_list(["subnet-a", "subnet-b"]));
        assert_eq!(r.attr("availability_zones"), &Value::string_list(["us-east-1a", "us-east-1b"]));
        let lt = r.attr("launch_template");
        assert_eq!(lt.get("id"), Some(&Value::str("lt-1")));
        assert_eq!(lt.get("name"), Some(&Value::str("batch")));
        assert_eq!(lt.get("version"), Some(&Value::str("$Latest")));
        assert_eq!(r.attr("suspended_processes"), &Value::string_list(["AZRebalance"]));
        assert_eq!(r.attr("termination_policies"), &Value::string_list(["OldestInstance", "Default"]));
        assert_eq!(r.attr_str("metrics_granularity"), Some("1Minute"));
        assert_eq!(r.attr("mixed_instances_policy"), &Value::List(vec![]));
        let tags = r.attr("tag").as_list().unwrap();
        assert_eq!(tags.len(), 1, "aws:* tags are hidden");
        assert_eq!(tags[0].get("key"), Some(&Value::str("Name")));
        assert_eq!(tags[0].get("propagate_at_launch"), Some(&Value::Bool(true)));
        assert_eq!(r.attr_str("name_prefix"), Some(""));
        assert_eq!(r.attr("force_delete"), &Value::Unknown);
        assert!(!r.aws_default);
    }

    #[test]
    fn only_default_termination_policy_is_unknown() {
        let g = AutoScalingGroup::builder().auto_scaling_group_name("g").termination_policies("Default").build();
        assert_eq!(map(&g, "us-east-1", "1").attr("termination_policies"), &Value::Unknown);
        let g = AutoScalingGroup::builder()
            .auto_scaling_group_name("g")
            .enabled_metrics(EnabledMetric::builder().metric("GroupMaxSize").granularity("1Minute").build())
            .build();
        let r = map(&g, "us-east-1", "1");
        assert_eq!(r.attr("termination_policies"), &Value::List(vec![]));
        assert_eq!(r.attr("enabled_metrics"), &Value::string_list(["GroupMaxSize"]));
    }

    #[test]
    fn groups_eks_makes_are_aws_managed() {
        let mut g = group("eks-workers-ff051782-39a6-407f-932a-71d8655fe8f1");
        assert!(!map(&g, "us-east-1", "1").aws_default, "a name alone is not enough");
        g.tags = Some(vec![tag("eks:cluster-name", "clinic")]);
        assert!(map(&g, "us-east-1", "1").aws_default);
        let mut g = group("anything");
        g.tags = Some(vec![tag("eks:nodegroup-name", "workers")]);
        assert!(map(&g, "us-east-1", "1").aws_default);
    }

    #[test]
    fn update_and_desired_capacity_events() {
        let e = of("aws_autoscaling_group", "autoscaling", "UpdateAutoScalingGroup");
        let req = serde_json::json!({
            "autoScalingGroupName": "clinic-batch", "minSize": 2, "maxSize": 5,
            "vPCZoneIdentifier": "subnet-b,subnet-a", "terminationPolicies": ["NewestInstance"]
        });
        assert_eq!(e.identifiers(&req, &J::Null), vec!["clinic-batch"]);
        let w = e.writes(&req, &J::Null);
        assert!(w.contains(&Written::Set { path: "min_size".into(), value: Value::int(2) }));
        assert!(w.contains(&Written::Set { path: "max_size".into(), value: Value::int(5) }));
        assert!(w.contains(&Written::Set {
            path: "vpc_zone_identifier".into(),
            value: Value::string_list(["subnet-a", "subnet-b"])
        }));
        assert!(w.contains(&Written::Set {
            path: "termination_policies".into(),
            value: Value::string_list(["NewestInstance"])
        }));
        let d = of("aws_autoscaling_group", "autoscaling", "SetDesiredCapacity");
        let req = serde_json::json!({"autoScalingGroupName": "g", "desiredCapacity": 4, "honorCooldown": false});
        assert_eq!(
            d.writes(&req, &J::Null),
            vec![Written::Set { path: "desired_capacity".into(), value: Value::int(4) }]
        );
    }

    #[test]
    fn process_and_tag_events() {
        let s = of("aws_autoscaling_group", "autoscaling", "SuspendProcesses");
        let req = serde_json::json!({"autoScalingGroupName": "g", "scalingProcesses": ["Launch"]});
        assert_eq!(
            s.writes(&req, &J::Null),
            vec![Written::Add { path: "suspended_processes".into(), elems: vec![Value::str("Launch")] }]
        );
        let r = of("aws_autoscaling_group", "autoscaling", "ResumeProcesses");
        assert_eq!(
            r.writes(&serde_json::json!({"autoScalingGroupName": "g"}), &J::Null),
            vec![Written::Set { path: "suspended_processes".into(), value: Value::List(vec![]) }]
        );
        let t = of("aws_autoscaling_group", "autoscaling", "CreateOrUpdateTags");
        let req = serde_json::json!({"tags": [{
            "resourceId": "g", "resourceType": "auto-scaling-group", "key": "Owner", "value": "mallory",
            "propagateAtLaunch": true
        }]});
        assert_eq!(t.identifiers(&req, &J::Null), vec!["g"]);
        assert!(
            matches!(&t.writes(&req, &J::Null)[0], Written::Add { path, elems } if path == "tag" && elems.len() == 1)
        );
        let d = of("aws_autoscaling_group", "autoscaling", "DeleteTags");
        let req =
            serde_json::json!({"tags": [{"resourceId": "g", "resourceType": "auto-scaling-group", "key": "Owner"}]});
        assert!(matches!(&d.writes(&req, &J::Null)[0], Written::Remove { path, .. } if path == "tag"));
        for name in ["CreateAutoScalingGroup", "DeleteAutoScalingGroup", "PutScalingPolicy", "StartInstanceRefresh"] {
            let e = of("aws_autoscaling_group", "autoscaling", name);
            assert_eq!(e.identifiers(&serde_json::json!({"autoScalingGroupName": "g"}), &J::Null), vec!["g"]);
        }
    }
}

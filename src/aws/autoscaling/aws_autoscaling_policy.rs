//! `aws_autoscaling_policy`: DescribePolicies, paginated, for every group of the region at
//! once (simple, step, target-tracking and predictive policies).
//!
//! Import id `group/name` (the provider's import form; its state id is the bare name, which
//! two groups may share: the `autoscaling_ids` normaliser rewrites it).
//!
//! Follows the provider's read (`resourcePolicyRead`, 5.100.0): absent numbers `0`, absent
//! strings `""`; `step_adjustment` as a set whose interval bounds are strings (`""` when
//! unbounded, the float formatted as Go's `FormatFloat(v, 'f', -1)` otherwise);
//! `target_tracking_configuration` and `predictive_scaling_configuration` as one-element
//! lists (`[]` when the policy has none), the predictive buffers as strings (`""` when
//! unset, the provider's nullable ints).
//!
//! Policies of the groups EKS made for managed node groups are the user's (EKS makes none):
//! a hand-made one is unmanaged unless its group is in state, where it is a part of the group.

use aws_sdk_autoscaling::types::{
    MetricDataQuery, MetricDimension, PredictiveScalingConfiguration, ScalingPolicy, StepAdjustment,
    TargetTrackingConfiguration, TargetTrackingMetricDataQuery,
};
use futures::FutureExt;
use serde_json::Value as J;

use super::group_part_id;
use crate::aws::errors::read_error;
use crate::aws::event::{Event, W, Written, first, value};
use crate::aws::{Arn, Ctx, FetchResult, Identity, Read, ResourceType};
use crate::model::{Resource, Value};

const TYPES: &[&str] = &["aws_autoscaling_policy"];

/// CloudTrail names a policy by its group and name (DeletePolicy may name it by ARN alone);
/// PutScalingPolicy answers its ARN.
const IDS: &[&str] = &["{autoScalingGroupName}/{policyName}", "policyName", "@policyARN", "@policyArn"];

pub static TYPE: ResourceType = ResourceType {
    read: Some(Read { fetch: |ctx| fetch(ctx).boxed(), global: false }),
    identity: Identity {
        arn: Some(Arn { service: "autoscaling", prefix: "scalingPolicy:", id_keeps_prefix: false }),
        parent_attr: Some("autoscaling_group_name"),
        ..Identity::NONE
    },
    // A policy made by hand on a managed group is the group's business (the community
    // autoscaling module keeps them with the group); one on an unmanaged group is unmanaged
    // with it.
    parent: None,
    events: &[
        // One call creates and updates: the effect is a create (an unmanaged policy's cause),
        // and it explains attribute drift too.
        Event::create("autoscaling", "PutScalingPolicy", IDS).writing(&[
            W::Param("policy_type", "policyType"),
            W::Param("adjustment_type", "adjustmentType"),
            W::Param("scaling_adjustment", "scalingAdjustment"),
            W::Param("cooldown", "cooldown"),
            W::Param("min_adjustment_magnitude", "minAdjustmentMagnitude"),
            W::Param("estimated_instance_warmup", "estimatedInstanceWarmup"),
            W::Param("metric_aggregation_type", "metricAggregationType"),
            W::Param("enabled", "enabled"),
            W::Param("target_tracking_configuration[0].target_value", "targetTrackingConfiguration.targetValue"),
            W::Param("target_tracking_configuration[0].disable_scale_in", "targetTrackingConfiguration.disableScaleIn"),
            W::Param(
                "target_tracking_configuration[0].predefined_metric_specification[0].predefined_metric_type",
                "targetTrackingConfiguration.predefinedMetricSpecification.predefinedMetricType",
            ),
            W::Custom(put_policy_blocks),
        ]),
        Event::delete("autoscaling", "DeletePolicy", IDS),
    ],
    ..ResourceType::base("aws_autoscaling_policy", "autoscaling")
};

async fn fetch(ctx: &Ctx) -> FetchResult {
    let autoscaling = ctx.client::<aws_sdk_autoscaling::Client>();
    let mut out = Vec::new();
    let mut pages = autoscaling.describe_policies().into_paginator().send();
    while let Some(page) = {
        let _p = ctx.permit("autoscaling").await;
        pages.next().await
    } {
        let page = page.map_err(|e| read_error("autoscaling", &ctx.region, TYPES, e))?;
        out.extend(page.scaling_policies().iter().filter_map(|p| map(p, &ctx.region, &ctx.account)));
    }
    Ok(out)
}

fn s(v: Option<&str>) -> Value {
    Value::str(v.unwrap_or_default())
}

fn n(v: Option<i32>) -> Value {
    Value::int(v.unwrap_or(0).into())
}

/// A number as the provider stores a float (`50`, `40.5`): a whole number is written as
/// an integer, as Terraform's state and plans show it.
pub(crate) fn float(v: f64) -> Value {
    if v.is_finite() && v.fract() == 0.0 && v.abs() < 9.0e15 {
        return Value::int(v as i64);
    }
    match serde_json::Number::from_f64(v) {
        Some(n) => Value::Number(n),
        None => Value::Unknown,
    }
}

/// Go's `strconv.FormatFloat(v, 'f', -1, 64)`: the shortest exact decimal, no exponent.
fn go_float(v: f64) -> String {
    if v.is_finite() && v.fract() == 0.0 && v.abs() < 1e15 { format!("{}", v as i64) } else { format!("{v}") }
}

/// A nullable int the provider stores as a string (`""` when unset).
fn nullable_int(v: Option<i32>) -> Value {
    Value::str(v.map(|i| i.to_string()).unwrap_or_default())
}

fn none() -> Value {
    Value::List(Vec::new())
}

/// Pure mapping from the SDK's `ScalingPolicy` to provider v5 attributes; `None` for a
/// policy without a group or name (never answered by AWS).
pub fn map(p: &ScalingPolicy, region: &str, account: &str) -> Option<Resource> {
    let group = p.auto_scaling_group_name().filter(|g| !g.is_empty())?;
    let name = p.policy_name().filter(|n| !n.is_empty())?;
    let id = group_part_id(group, name);
    let arn = p.policy_arn().map(str::to_string);
    let mut r = Resource::live("aws_autoscaling_policy", id.as_str(), region, account, arn.clone())
        .with("id", id.as_str())
        .with("arn", Value::opt_str(arn))
        .with("name", name)
        .with("autoscaling_group_name", group)
        .with("adjustment_type", s(p.adjustment_type()))
        .with("policy_type", s(p.policy_type()))
        .with("cooldown", n(p.cooldown()))
        .with("enabled", p.enabled().unwrap_or(false))
        .with("estimated_instance_warmup", n(p.estimated_instance_warmup()))
        .with("metric_aggregation_type", s(p.metric_aggregation_type()))
        .with("min_adjustment_magnitude", n(p.min_adjustment_magnitude()))
        .with("scaling_adjustment", n(p.scaling_adjustment()));

    let mut steps: Vec<Value> = p.step_adjustments().iter().map(step).collect();
    steps.sort_by_cached_key(Value::canonical);
    r.set("step_adjustment", Value::List(steps));
    r.set("target_tracking_configuration", p.target_tracking_configuration().map(target_tracking).unwrap_or_else(none));
    r.set(
        "predictive_scaling_configuration",
        p.predictive_scaling_configuration().map(predictive).unwrap_or_else(none),
    );
    Some(r)
}

fn step(a: &StepAdjustment) -> Value {
    let bound = |b: Option<f64>| Value::str(b.map(go_float).unwrap_or_default());
    Value::object([
        ("metric_interval_lower_bound", bound(a.metric_interval_lower_bound())),
        ("metric_interval_upper_bound", bound(a.metric_interval_upper_bound())),
        ("scaling_adjustment", n(a.scaling_adjustment())),
    ])
}

fn dimensions(dims: &[MetricDimension]) -> Vec<Value> {
    dims.iter().map(|d| Value::object([("name", s(d.name())), ("value", s(d.value()))])).collect()
}

/// A metric (name, namespace, dimensions as a set) in a metric stat.
fn metric(name: Option<&str>, namespace: Option<&str>, dims: &[MetricDimension]) -> Value {
    let mut d = dimensions(dims);
    d.sort_by_cached_key(Value::canonical);
    Value::block([("metric_name", s(name)), ("namespace", s(namespace)), ("dimensions", Value::List(d))])
}

fn target_tracking(c: &TargetTrackingConfiguration) -> Value {
    let predefined = match c.predefined_metric_specification() {
        Some(p) => Value::block([
            ("predefined_metric_type", s(p.predefined_metric_type().map(|t| t.as_str()))),
            ("resource_label", s(p.resource_label())),
        ]),
        None => none(),
    };
    let customized = match c.customized_metric_specification() {
        Some(m) => {
            let mut metrics: Vec<Value> = m.metrics().iter().map(tracking_query).collect();
            metrics.sort_by_cached_key(Value::canonical);
            Value::block([
                ("metric_name", s(m.metric_name())),
                ("namespace", s(m.namespace())),
                ("statistic", s(m.statistic().map(|t| t.as_str()))),
                ("unit", s(m.unit())),
                ("period", n(m.period())),
                ("metric_dimension", Value::List(dimensions(m.dimensions()))),
                ("metrics", Value::List(metrics)),
            ])
        }
        None => none(),
    };
    Value::block([
        ("disable_scale_in", Value::Bool(c.disable_scale_in().unwrap_or(false))),
        ("target_value", float(c.target_value().unwrap_or(0.0))),
        ("predefined_metric_specification", predefined),
        ("customized_metric_specification", customized),
    ])
}

fn tracking_query(q: &TargetTrackingMetricDataQuery) -> Value {
    let stat = match q.metric_stat() {
        Some(st) => Value::block([
            (
                "metric",
                st.metric().map(|m| metric(m.metric_name(), m.namespace(), m.dimensions())).unwrap_or_else(none),
            ),
            ("stat", s(st.stat())),
            ("unit", s(st.unit())),
            ("period", n(st.period())),
        ]),
        None => none(),
    };
    Value::object([
        ("id", s(q.id())),
        ("expression", s(q.expression())),
        ("label", s(q.label())),
        ("return_data", Value::Bool(q.return_data().unwrap_or(false))),
        ("metric_stat", stat),
    ])
}

fn query(q: &MetricDataQuery) -> Value {
    let stat = match q.metric_stat() {
        Some(st) => Value::block([
            (
                "metric",
                st.metric().map(|m| metric(m.metric_name(), m.namespace(), m.dimensions())).unwrap_or_else(none),
            ),
            ("stat", s(st.stat())),
            ("unit", s(st.unit())),
        ]),
        None => none(),
    };
    Value::object([
        ("id", s(q.id())),
        ("expression", s(q.expression())),
        ("label", s(q.label())),
        ("return_data", Value::Bool(q.return_data().unwrap_or(false))),
        ("metric_stat", stat),
    ])
}

fn queries(qs: &[MetricDataQuery]) -> Value {
    Value::block([("metric_data_queries", Value::List(qs.iter().map(query).collect()))])
}

fn predictive(c: &PredictiveScalingConfiguration) -> Value {
    let predefined = |t: Option<&str>, label: Option<&str>| {
        Value::block([("predefined_metric_type", s(t)), ("resource_label", s(label))])
    };
    let specs: Vec<Value> = c
        .metric_specifications()
        .first()
        .map(|m| {
            Value::object([
                ("target_value", float(m.target_value().unwrap_or(0.0))),
                (
                    "predefined_load_metric_specification",
                    m.predefined_load_metric_specification()
                        .map(|p| predefined(p.predefined_metric_type().map(|t| t.as_str()), p.resource_label()))
                        .unwrap_or_else(none),
                ),
                (
                    "predefined_metric_pair_specification",
                    m.predefined_metric_pair_specification()
                        .map(|p| predefined(p.predefined_metric_type().map(|t| t.as_str()), p.resource_label()))
                        .unwrap_or_else(none),
                ),
                (
                    "predefined_scaling_metric_specification",
                    m.predefined_scaling_metric_specification()
                        .map(|p| predefined(p.predefined_metric_type().map(|t| t.as_str()), p.resource_label()))
                        .unwrap_or_else(none),
                ),
                (
                    "customized_capacity_metric_specification",
                    m.customized_capacity_metric_specification()
                        .map(|c| queries(c.metric_data_queries()))
                        .unwrap_or_else(none),
                ),
                (
                    "customized_load_metric_specification",
                    m.customized_load_metric_specification()
                        .map(|c| queries(c.metric_data_queries()))
                        .unwrap_or_else(none),
                ),
                (
                    "customized_scaling_metric_specification",
                    m.customized_scaling_metric_specification()
                        .map(|c| queries(c.metric_data_queries()))
                        .unwrap_or_else(none),
                ),
            ])
        })
        .into_iter()
        .collect();
    Value::block([
        ("metric_specification", Value::List(specs)),
        ("mode", s(c.mode().map(|m| m.as_str()))),
        ("scheduling_buffer_time", nullable_int(c.scheduling_buffer_time())),
        ("max_capacity_breach_behavior", s(c.max_capacity_breach_behavior().map(|b| b.as_str()))),
        ("max_capacity_buffer", nullable_int(c.max_capacity_buffer())),
    ])
}

// -- events ---------------------------------------------------------------------------------

/// PutScalingPolicy's step adjustments (the whole set) and the blocks whose new value is
/// not read element by element (customized metrics, predictive configuration).
fn put_policy_blocks(req: &J, _resp: &J, out: &mut Vec<Written>) {
    if let Some(J::Array(items)) = first(req, "stepAdjustments") {
        let bound = |x: Option<&J>| match x.and_then(J::as_f64) {
            Some(f) => Value::str(go_float(f)),
            None => Value::str(""),
        };
        let mut elems: Vec<Value> = items
            .iter()
            .map(|a| {
                Value::object([
                    ("metric_interval_lower_bound", bound(a.get("metricIntervalLowerBound"))),
                    ("metric_interval_upper_bound", bound(a.get("metricIntervalUpperBound"))),
                    ("scaling_adjustment", a.get("scalingAdjustment").map(value).unwrap_or(Value::Null)),
                ])
            })
            .collect();
        elems.sort_by_cached_key(Value::canonical);
        out.push(Written::Set { path: "step_adjustment".into(), value: Value::List(elems) });
    }
    if first(req, "targetTrackingConfiguration.customizedMetricSpecification").is_some() {
        out.push(Written::Touch { path: "target_tracking_configuration[0].customized_metric_specification".into() });
    }
    if first(req, "predictiveScalingConfiguration").is_some() {
        out.push(Written::Touch { path: "predictive_scaling_configuration".into() });
    }
}

#[cfg(test)]
mod tests {
    use aws_sdk_autoscaling::types::{
        CustomizedMetricSpecification, MetricStatistic, MetricType, PredefinedMetricPairType,
        PredefinedMetricSpecification, PredictiveScalingMetricSpecification, PredictiveScalingMode,
        PredictiveScalingPredefinedMetricPair,
    };
    use serde_json::json;

    use super::*;
    use crate::aws::event::of;

    const ARN: &str = "arn:aws:autoscaling:us-east-1:123456789012:scalingPolicy:6d8ffa5f-1c53-4b5a-a1f2-29a0c5a6a6d1:autoScalingGroupName/clinic-batch:policyName/cpu-target";

    #[test]
    fn maps_a_target_tracking_policy() {
        let p = ScalingPolicy::builder()
            .auto_scaling_group_name("clinic-batch")
            .policy_name("cpu-target")
            .policy_arn(ARN)
            .policy_type("TargetTrackingScaling")
            .enabled(true)
            .estimated_instance_warmup(120)
            .target_tracking_configuration(
                TargetTrackingConfiguration::builder()
                    .predefined_metric_specification(
                        PredefinedMetricSpecification::builder()
                            .predefined_metric_type(MetricType::AsgAverageCpuUtilization)
                            .build(),
                    )
                    .target_value(50.0)
                    .build(),
            )
            .build();
        let r = map(&p, "us-east-1", "123456789012").unwrap();
        assert_eq!(r.id, "clinic-batch/cpu-target");
        assert_eq!(r.attr_str("name"), Some("cpu-target"));
        assert_eq!(r.attr_str("autoscaling_group_name"), Some("clinic-batch"));
        assert_eq!(r.attr_str("adjustment_type"), Some(""), "absent strings are empty, as the provider stores them");
        assert_eq!(r.attr("cooldown"), &Value::int(0));
        assert_eq!(r.attr("enabled"), &Value::Bool(true));
        assert_eq!(r.attr("estimated_instance_warmup"), &Value::int(120));
        let tt = r.attr("target_tracking_configuration");
        assert!(tt.at_path("[0].target_value")[0].same(&Value::int(50)));
        assert_eq!(
            tt.at_path("[0].predefined_metric_specification[0].predefined_metric_type"),
            vec![&Value::str("ASGAverageCPUUtilization")]
        );
        assert_eq!(tt.at_path("[0].disable_scale_in"), vec![&Value::Bool(false)]);
        assert_eq!(r.attr("step_adjustment"), &Value::List(vec![]));
        assert_eq!(r.attr("predictive_scaling_configuration"), &Value::List(vec![]));
    }

    #[test]
    fn maps_step_adjustments_with_string_bounds() {
        let p = ScalingPolicy::builder()
            .auto_scaling_group_name("g")
            .policy_name("scale-out")
            .policy_type("StepScaling")
            .adjustment_type("ChangeInCapacity")
            .metric_aggregation_type("Average")
            .step_adjustments(StepAdjustment::builder().metric_interval_lower_bound(10.5).scaling_adjustment(2).build())
            .step_adjustments(
                StepAdjustment::builder()
                    .metric_interval_lower_bound(0.0)
                    .metric_interval_upper_bound(10.5)
                    .scaling_adjustment(1)
                    .build(),
            )
            .build();
        let r = map(&p, "us-east-1", "1").unwrap();
        let steps = r.attr("step_adjustment").as_list().unwrap();
        assert_eq!(steps.len(), 2);
        assert_eq!(steps[0].get("metric_interval_lower_bound"), Some(&Value::str("0")));
        assert_eq!(steps[0].get("metric_interval_upper_bound"), Some(&Value::str("10.5")));
        assert_eq!(steps[1].get("metric_interval_lower_bound"), Some(&Value::str("10.5")));
        assert_eq!(steps[1].get("metric_interval_upper_bound"), Some(&Value::str("")), "unbounded");
        assert_eq!(r.attr_str("metric_aggregation_type"), Some("Average"));
        assert_eq!(r.attr("enabled"), &Value::Bool(false));
    }

    #[test]
    fn maps_customized_and_predictive_blocks() {
        let p = ScalingPolicy::builder()
            .auto_scaling_group_name("g")
            .policy_name("queue")
            .policy_type("TargetTrackingScaling")
            .target_tracking_configuration(
                TargetTrackingConfiguration::builder()
                    .customized_metric_specification(
                        CustomizedMetricSpecification::builder()
                            .metric_name("Backlog")
                            .namespace("Clinic")
                            .statistic(MetricStatistic::Average)
                            .dimensions(MetricDimension::builder().name("Queue").value("intake").build())
                            .build(),
                    )
                    .target_value(100.0)
                    .disable_scale_in(true)
                    .build(),
            )
            .build();
        let r = map(&p, "us-east-1", "1").unwrap();
        let c = r.attr("target_tracking_configuration");
        assert_eq!(c.at_path("[0].customized_metric_specification[0].metric_name"), vec![&Value::str("Backlog")]);
        assert_eq!(
            c.at_path("[0].customized_metric_specification[0].metric_dimension[0].value"),
            vec![&Value::str("intake")]
        );
        assert_eq!(c.at_path("[0].predefined_metric_specification"), vec![&Value::List(vec![])]);

        let p = ScalingPolicy::builder()
            .auto_scaling_group_name("g")
            .policy_name("forecast")
            .policy_type("PredictiveScaling")
            .predictive_scaling_configuration(
                PredictiveScalingConfiguration::builder()
                    .metric_specifications(
                        PredictiveScalingMetricSpecification::builder()
                            .target_value(40.0)
                            .predefined_metric_pair_specification(
                                PredictiveScalingPredefinedMetricPair::builder()
                                    .predefined_metric_type(PredefinedMetricPairType::AsgcpuUtilization)
                                    .build(),
                            )
                            .build(),
                    )
                    .mode(PredictiveScalingMode::ForecastOnly)
                    .scheduling_buffer_time(10)
                    .build(),
            )
            .build();
        let r = map(&p, "us-east-1", "1").unwrap();
        let c = r.attr("predictive_scaling_configuration");
        assert_eq!(c.at_path("[0].mode"), vec![&Value::str("ForecastOnly")]);
        assert_eq!(c.at_path("[0].scheduling_buffer_time"), vec![&Value::str("10")]);
        assert_eq!(c.at_path("[0].max_capacity_buffer"), vec![&Value::str("")]);
        assert_eq!(
            c.at_path("[0].metric_specification[0].predefined_metric_pair_specification[0].predefined_metric_type"),
            vec![&Value::str("ASGCPUUtilization")]
        );
        assert!(map(&ScalingPolicy::builder().policy_name("x").build(), "us-east-1", "1").is_none());
    }

    #[test]
    fn put_and_delete_name_the_policy_in_its_group() {
        let put = of("aws_autoscaling_policy", "autoscaling", "PutScalingPolicy");
        let req = json!({
            "autoScalingGroupName": "clinic-batch", "policyName": "cpu-target",
            "policyType": "TargetTrackingScaling", "estimatedInstanceWarmup": 120, "enabled": true,
            "targetTrackingConfiguration": {
                "predefinedMetricSpecification": {"predefinedMetricType": "ASGAverageCPUUtilization"},
                "targetValue": 80.0, "disableScaleIn": false
            }
        });
        let resp = json!({"policyARN": ARN, "alarms": []});
        let ids = put.identifiers(&req, &resp);
        assert!(ids.contains(&"clinic-batch/cpu-target".to_string()), "{ids:?}");
        assert!(ids.contains(&ARN.to_string()), "{ids:?}");
        let w = put.writes(&req, &resp);
        assert!(w.contains(&Written::Set {
            path: "target_tracking_configuration[0].target_value".into(),
            value: Value::from_json(&json!(80.0))
        }));
        assert!(w.contains(&Written::Set { path: "enabled".into(), value: Value::Bool(true) }));

        let req = json!({"autoScalingGroupName": "g", "policyName": "scale-out", "policyType": "StepScaling",
            "adjustmentType": "ChangeInCapacity",
            "stepAdjustments": [{"metricIntervalLowerBound": 0.0, "scalingAdjustment": 3}]});
        let w = put.writes(&req, &J::Null);
        let steps = w.iter().find(|x| x.path() == "step_adjustment").unwrap();
        assert!(matches!(steps, Written::Set { value: Value::List(l), .. }
            if l[0].get("metric_interval_lower_bound") == Some(&Value::str("0"))
            && l[0].get("metric_interval_upper_bound") == Some(&Value::str(""))));

        let del = of("aws_autoscaling_policy", "autoscaling", "DeletePolicy");
        let req = json!({"autoScalingGroupName": "clinic-batch", "policyName": "cpu-target"});
        assert!(del.identifiers(&req, &J::Null).contains(&"clinic-batch/cpu-target".to_string()));
        let by_arn = json!({"policyName": ARN});
        assert!(del.identifiers(&by_arn, &J::Null).contains(&ARN.to_string()));
    }

    #[test]
    fn floats_format_as_go_does() {
        assert_eq!(go_float(0.0), "0");
        assert_eq!(go_float(10.0), "10");
        assert_eq!(go_float(-2.5), "-2.5");
        assert_eq!(go_float(0.1), "0.1");
        assert_eq!(float(50.0), Value::int(50), "a whole target as the state shows it");
        assert!(float(40.5).same(&Value::from_json(&serde_json::json!(40.5))));
    }
}

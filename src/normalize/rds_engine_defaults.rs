//! RDS parameter groups and option groups answer far more than Terraform stores: every
//! parameter of the engine family, every setting of an option. The provider keeps the ones
//! set away from their default plus those its configuration names, whatever their value;
//! the live read keeps the first kind only (parameters with `Source=user`, option settings
//! off their default), since the second needs the configuration. A parameter or option
//! setting in state that the live read did not list is therefore one the configuration sets
//! to its default: not read, so never drift. It is dropped from the state side before
//! comparing.
//!
//! Limit: a parameter reset out of band to an engine default that differs from the
//! configured value is not seen (the provider would read the default and show it).

use std::collections::{BTreeMap, BTreeSet};

use super::{Pass, Views};
use crate::model::Value;

pub const PASS: Pass = Pass {
    name: "rds_engine_defaults",
    why: "parameters and option settings the configuration sets to their defaults are not read live",
    apply,
};

const PARAMETER_GROUPS: &[&str] = &["aws_db_parameter_group", "aws_rds_cluster_parameter_group"];

fn apply(v: &mut Views) {
    let live: BTreeMap<(&str, &str), &Value> = v
        .live
        .iter()
        .filter(|r| PARAMETER_GROUPS.contains(&r.rtype.as_str()))
        .filter_map(|r| Some(((r.rtype.as_str(), r.id.as_str()), r.attributes.get("parameter")?)))
        .collect();
    let options: BTreeMap<&str, &Value> = v
        .live
        .iter()
        .filter(|r| r.rtype == "aws_db_option_group")
        .filter_map(|r| Some((r.id.as_str(), r.attributes.get("option")?)))
        .collect();
    for s in &mut v.state {
        if PARAMETER_GROUPS.contains(&s.rtype.as_str()) {
            let Some(read) = live.get(&(s.rtype.as_str(), s.id.as_str())).and_then(|p| names(p)) else { continue };
            if let Some(Value::List(params)) = s.attributes.get_mut("parameter") {
                params.retain(|p| name_of(p).is_none_or(|n| read.contains(&n)));
            }
        } else if s.rtype == "aws_db_option_group" {
            let Some(Value::List(live_options)) = options.get(s.id.as_str()) else { continue };
            let Some(Value::List(state_options)) = s.attributes.get_mut("option") else { continue };
            for o in state_options.iter_mut() {
                let Some(name) = o.get("option_name").and_then(Value::as_str).map(str::to_string) else { continue };
                let Some(read) = live_options
                    .iter()
                    .find(|l| l.get("option_name").and_then(Value::as_str) == Some(name.as_str()))
                    .and_then(|l| l.get("option_settings"))
                    .and_then(names)
                else {
                    continue;
                };
                if let Value::Map(fields) = o {
                    if let Some(Value::List(settings)) = fields.get_mut("option_settings") {
                        settings.retain(|x| name_of(x).is_none_or(|n| read.contains(&n)));
                    }
                }
            }
        }
    }
}

/// Lower-cased `name` of a set element (the provider stores parameter names lower-cased).
fn name_of(v: &Value) -> Option<String> {
    v.get("name").and_then(Value::as_str).map(str::to_ascii_lowercase)
}

/// The names a live list holds; `None` when it is no list (unread).
fn names(v: &Value) -> Option<BTreeSet<String>> {
    v.as_list().map(|l| l.iter().filter_map(name_of).collect())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::{Origin, Resource};

    fn param(name: &str, value: &str) -> Value {
        Value::object([("name", name.into()), ("value", value.into()), ("apply_method", "immediate".into())])
    }

    fn group(live: bool, params: Vec<Value>) -> Resource {
        let mut r = Resource::live("aws_db_parameter_group", "app", "us-east-1", "1", None)
            .with("parameter", Value::List(params));
        if !live {
            r.origin = Origin::State { file: "f".into(), index: 0 };
        }
        r
    }

    #[test]
    fn configured_defaults_are_unread_user_changes_stay() {
        let mut v = Views {
            state: vec![group(false, vec![param("rds.force_ssl", "1"), param("log_connections", "1")])],
            live: vec![group(true, vec![param("rds.force_ssl", "0"), param("work_mem", "64")])],
        };
        apply(&mut v);
        // log_connections is set to its default in the configuration: not read live.
        assert_eq!(v.state[0].attr("parameter"), &Value::List(vec![param("rds.force_ssl", "1")]));
        // The changed value and the parameter set by hand remain for the diff.
        assert_eq!(v.live[0].attr("parameter").as_list().map(<[Value]>::len), Some(2));
        let once = v.state[0].clone();
        apply(&mut v);
        assert_eq!(v.state[0], once, "idempotent");
    }

    #[test]
    fn option_settings_at_their_default_are_unread() {
        let setting = |n: &str, val: &str| Value::object([("name", n.into()), ("value", val.into())]);
        let option = |settings: Vec<Value>| {
            Value::List(vec![Value::object([
                ("option_name", "AUDIT".into()),
                ("option_settings", Value::List(settings)),
            ])])
        };
        let mut s = Resource::live("aws_db_option_group", "og", "us-east-1", "1", None)
            .with("option", option(vec![setting("EVENTS", "CONNECT"), setting("LOGGING", "ON")]));
        s.origin = Origin::State { file: "f".into(), index: 0 };
        let l = Resource::live("aws_db_option_group", "og", "us-east-1", "1", None)
            .with("option", option(vec![setting("EVENTS", "QUERY")]));
        let mut v = Views { state: vec![s], live: vec![l] };
        apply(&mut v);
        assert_eq!(v.state[0].attr("option"), &option(vec![setting("EVENTS", "CONNECT")]));
    }
}

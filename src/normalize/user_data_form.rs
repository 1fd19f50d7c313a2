//! The provider stores an instance's user data in one of two forms, whichever the
//! configuration uses: hashed in `user_data`, or as base64 in `user_data_base64` (the other
//! stays null). AWS answers the base64 text, so the live read carries both forms; the one the
//! state does not use is dropped.

use super::{Pass, Views};
use std::collections::BTreeMap;

pub const PASS: Pass = Pass {
    name: "user_data_form",
    why: "user data is stored hashed or as base64, whichever the configuration used",
    apply,
};

const TYPES: &[&str] = &["aws_instance", "aws_spot_instance_request"];

fn apply(v: &mut Views) {
    let base64_in_state: BTreeMap<(&str, &str), bool> = v
        .state
        .iter()
        .filter(|r| TYPES.contains(&r.rtype.as_str()))
        .map(|r| ((r.rtype.as_str(), r.id.as_str()), r.attr_str("user_data_base64").is_some_and(|s| !s.is_empty())))
        .collect();
    for l in v.live.iter_mut().filter(|r| TYPES.contains(&r.rtype.as_str())) {
        let drop = match base64_in_state.get(&(l.rtype.as_str(), l.id.as_str())) {
            Some(true) => "user_data",
            _ => "user_data_base64",
        };
        l.attributes.remove(drop);
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::{Origin, Resource, Value};

    #[test]
    fn the_form_the_state_uses_is_kept() {
        let state = |b64: Value| Resource {
            rtype: "aws_instance".into(),
            id: "i-1".into(),
            address: Some("aws_instance.a".into()),
            region: None,
            attributes: [("user_data_base64".to_string(), b64)].into_iter().collect(),
            origin: Origin::State { file: "s".into(), index: 0 },
            aws_default: false,
        };
        let live = Resource::live("aws_instance", "i-1", "us-east-1", "1", None)
            .with("user_data", "ea00")
            .with("user_data_base64", "IyE=");
        let mut v = Views { state: vec![state(Value::Null)], live: vec![live.clone()] };
        apply(&mut v);
        assert_eq!(
            (v.live[0].attr_str("user_data"), v.live[0].attr("user_data_base64")),
            (Some("ea00"), &Value::Unknown)
        );
        let mut v = Views { state: vec![state(Value::str("IyE="))], live: vec![live] };
        apply(&mut v);
        assert_eq!(
            (v.live[0].attr("user_data"), v.live[0].attr_str("user_data_base64")),
            (&Value::Unknown, Some("IyE="))
        );
    }
}

//! Invariants of comparison and normalisation, over generated attribute trees.

use std::collections::BTreeMap;

use plumb::diff::compare;
use plumb::model::{Origin, Resource, Value};
use plumb::normalize::{Views, normalize};
use proptest::prelude::*;

fn leaf() -> impl Strategy<Value = Value> {
    prop_oneof![
        Just(Value::Null),
        any::<bool>().prop_map(Value::Bool),
        (-5i64..100).prop_map(Value::int),
        "[a-z0-9./-]{0,8}".prop_map(Value::String),
    ]
}

fn value() -> impl Strategy<Value = Value> {
    leaf().prop_recursive(3, 24, 4, |inner| {
        prop_oneof![
            prop::collection::vec(inner.clone(), 0..4).prop_map(Value::List),
            prop::collection::btree_map("[a-z_]{1,6}", inner, 0..4).prop_map(Value::Map),
        ]
    })
}

/// Attribute maps using names of real schema members (sets, maps, blocks) and free ones.
fn attributes() -> impl Strategy<Value = BTreeMap<String, Value>> {
    let names = prop::sample::select(vec![
        "tags",
        "ingress",
        "egress",
        "cidr_block",
        "vpc_security_group_ids",
        "rule",
        "policy",
        "description",
        "name",
        "free_attr",
    ]);
    prop::collection::btree_map(names.prop_map(str::to_string), value(), 0..6)
}

fn resource(rtype: &str, attributes: BTreeMap<String, Value>, live: bool) -> Resource {
    Resource {
        rtype: rtype.to_string(),
        id: "sg-1".to_string(),
        address: if live { None } else { Some(format!("{rtype}.x")) },
        region: Some("us-east-1".into()),
        attributes,
        origin: if live {
            Origin::Live { arn: None, region: "us-east-1".into(), account: "1".into() }
        } else {
            Origin::State { file: "t".into(), index: 0 }
        },
        aws_default: false,
    }
}

const TYPES: &[&str] =
    &["aws_security_group", "aws_db_instance", "aws_s3_bucket_server_side_encryption_configuration", "aws_vpc"];

proptest! {
    #[test]
    fn a_resource_never_drifts_from_itself(t in prop::sample::select(TYPES), attrs in attributes()) {
        let r = resource(t, attrs, false);
        prop_assert!(compare(&r, &r).is_empty());
    }

    #[test]
    fn normalising_twice_changes_nothing(t in prop::sample::select(TYPES), s in attributes(), l in attributes()) {
        let mut once = Views { state: vec![resource(t, s, false)], live: vec![resource(t, l, true)] };
        normalize(&mut once);
        let mut twice = once.clone();
        normalize(&mut twice);
        prop_assert_eq!(once.state, twice.state);
        prop_assert_eq!(once.live, twice.live);
    }

    #[test]
    fn identical_views_are_in_sync_after_normalising(t in prop::sample::select(TYPES), attrs in attributes()) {
        let mut v = Views { state: vec![resource(t, attrs.clone(), false)], live: vec![resource(t, attrs, true)] };
        normalize(&mut v);
        prop_assert!(compare(&v.state[0], &v.live[0]).is_empty());
    }

    #[test]
    fn unknown_live_values_never_drift(t in prop::sample::select(TYPES), attrs in attributes()) {
        let state = resource(t, attrs.clone(), false);
        let live = resource(t, attrs.keys().map(|k| (k.clone(), Value::Unknown)).collect(), true);
        prop_assert!(compare(&state, &live).is_empty());
    }

    #[test]
    fn changes_come_sorted_by_path(t in prop::sample::select(TYPES), s in attributes(), l in attributes()) {
        let (a, b) = (resource(t, s, false), resource(t, l, true));
        let paths: Vec<String> = compare(&a, &b).into_iter().map(|c| c.path).collect();
        let mut sorted = paths.clone();
        sorted.sort();
        prop_assert_eq!(paths, sorted);
    }
}

//! ElastiCache Redis 6 and later: a configuration may name only the major version (`7.x`),
//! and the provider then keeps `7.x` in `engine_version` while AWS answers `7.1.4`; the live
//! read stores `7.1` (`major.minor`, the provider's other form). When the state holds the
//! `N.x` form and the live major version is `N`, the live value takes the state's form; a
//! different major version stays drift.

use std::collections::BTreeMap;

use super::{Pass, Views};

pub const PASS: Pass = Pass {
    name: "elasticache_engine_version",
    why: "a Redis engine_version configured as N.x is kept in that form by the provider",
    apply,
};

const TYPES: &[&str] = &["aws_elasticache_replication_group", "aws_elasticache_cluster"];

fn apply(v: &mut Views) {
    let majors: BTreeMap<(&str, &str), String> = v
        .state
        .iter()
        .filter(|r| TYPES.contains(&r.rtype.as_str()))
        .filter_map(|r| {
            let version = r.attr_str("engine_version")?;
            version.strip_suffix(".x")?;
            Some(((r.rtype.as_str(), r.id.as_str()), version.to_string()))
        })
        .collect();
    for l in v.live.iter_mut().filter(|r| TYPES.contains(&r.rtype.as_str())) {
        let Some(form) = majors.get(&(l.rtype.as_str(), l.id.as_str())).cloned() else { continue };
        let major = form.trim_end_matches(".x");
        if l.attr_str("engine_version").is_some_and(|live| live.split('.').next() == Some(major)) {
            l.set("engine_version", form.as_str());
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::{Origin, Resource};

    #[test]
    fn the_major_only_form_is_kept_for_the_same_major() {
        let rg = |v: &str| {
            Resource::live("aws_elasticache_replication_group", "s", "us-east-1", "1", None).with("engine_version", v)
        };
        let mut state = rg("7.x");
        state.origin = Origin::State { file: "s".into(), index: 0 };
        let mut v = Views { state: vec![state.clone()], live: vec![rg("7.1")] };
        apply(&mut v);
        assert_eq!(v.live[0].attr_str("engine_version"), Some("7.x"));
        let mut v = Views { state: vec![state], live: vec![rg("6.2")] };
        apply(&mut v);
        assert_eq!(v.live[0].attr_str("engine_version"), Some("6.2"));
    }
}

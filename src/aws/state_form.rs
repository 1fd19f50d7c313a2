//! Import ids that depend on configuration a live read cannot see.
//!
//! The provider builds some import ids from arguments that are not settings of the resource:
//! an S3 bucket setting created with `expected_bucket_owner` is stored as `bucket,account`
//! (and an ACL as `bucket[,account][,acl]`), a KMS grant as `key:grant` with the key as the
//! configuration gave it (id or ARN). A live read names each of these one way; the state
//! names it whichever way its configuration did. Joining on type and id alone would report
//! the managed resource missing (and hide its drift) next to an unjudged live one.
//!
//! A type whose import id has several forms declares a [`StateForm`]: a key that names the
//! resource whatever the form. [`align`] gives each live resource that a state resource
//! names only through that key the state's id (and the naming attributes that follow the
//! id's form), before normalisation, diff, rules and attribution see the live view: they all
//! then agree on one id.

use std::collections::{BTreeMap, BTreeSet, HashMap};

use crate::model::{Resource, Value};

/// How to recognise one resource under several import-id forms.
#[derive(Debug, Clone, Copy)]
pub struct StateForm {
    /// What names the resource whatever its id's form (an S3 setting's `bucket`), from
    /// either side's attributes; `None` when the attributes do not say.
    pub key: fn(&Resource) -> Option<String>,
    /// Attributes written in the same form as the id (a grant's `key_id`, id or ARN): the
    /// live resource takes the state's value once the key has shown they name the same thing.
    pub naming: &'static [&'static str],
}

/// For types whose import id has one form, plus the bucket name: S3 settings that accept
/// `expected_bucket_owner` (id `bucket` or `bucket,account`).
pub const BY_BUCKET: StateForm = StateForm { key: bucket_key, naming: &[] };

fn bucket_key(r: &Resource) -> Option<String> {
    r.attr_str("bucket").filter(|b| !b.is_empty()).map(str::to_string)
}

/// Give live resources the import-id form their state counterparts use (see the module
/// documentation). A live resource is renamed only when exactly one state resource of its
/// type names it by key and none names it by id; everything else is left as read.
pub fn align(state: &[Resource], live: &mut [Resource]) {
    let forms: HashMap<&str, StateForm> = super::types().filter_map(|t| Some((t.name, t.state_form?))).collect();
    if forms.is_empty() || live.is_empty() {
        return;
    }
    let exact: BTreeSet<(&str, &str)> = state.iter().map(|s| (s.rtype.as_str(), s.id.as_str())).collect();
    // State resources whose id no live resource carries, by (type, key).
    let mut wanted: BTreeMap<(String, String), Vec<&Resource>> = BTreeMap::new();
    let live_ids: BTreeSet<(String, String)> = live.iter().map(|l| (l.rtype.clone(), l.id.clone())).collect();
    for s in state {
        let Some(form) = forms.get(s.rtype.as_str()) else { continue };
        if live_ids.contains(&(s.rtype.clone(), s.id.clone())) {
            continue;
        }
        if let Some(key) = (form.key)(s) {
            wanted.entry((s.rtype.clone(), key)).or_default().push(s);
        }
    }
    if wanted.is_empty() {
        return;
    }
    for l in live.iter_mut() {
        let Some(form) = forms.get(l.rtype.as_str()) else { continue };
        if exact.contains(&(l.rtype.as_str(), l.id.as_str())) {
            continue;
        }
        let Some(key) = (form.key)(l) else { continue };
        let Some(named) = wanted.get(&(l.rtype.clone(), key)) else { continue };
        // Two state resources for one live one (two states managing the same bucket's
        // setting): leave the join as it is rather than pick one.
        if named.len() != 1 || (l.region.is_some() && named[0].region.is_some() && l.region != named[0].region) {
            continue;
        }
        let s = named[0];
        l.id = s.id.clone();
        for a in form.naming {
            if let (Some(v), true) = (s.attributes.get(*a), l.attributes.contains_key(*a)) {
                if !matches!(v, Value::Unknown | Value::Sensitive) {
                    l.attributes.insert(a.to_string(), v.clone());
                }
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::Origin;

    fn state(rtype: &str, id: &str, attrs: &[(&str, &str)]) -> Resource {
        Resource {
            rtype: rtype.into(),
            id: id.into(),
            address: Some(format!("{rtype}.x")),
            region: Some("us-east-1".into()),
            attributes: attrs.iter().map(|(k, v)| (k.to_string(), Value::from(*v))).collect(),
            origin: Origin::State { file: "t".into(), index: 0 },
            aws_default: false,
        }
    }

    fn live(rtype: &str, id: &str, attrs: &[(&str, &str)]) -> Resource {
        let mut r = Resource::live(rtype, id, "us-east-1", "123456789012", None);
        for (k, v) in attrs {
            r.set(k, *v);
        }
        r
    }

    #[test]
    fn expected_bucket_owner_ids_join_their_bucket() {
        let s = [
            state("aws_s3_bucket_versioning", "data,123456789012", &[("bucket", "data")]),
            state("aws_s3_bucket_acl", "site,123456789012,private", &[("bucket", "site")]),
            state("aws_s3_bucket_versioning", "plain", &[("bucket", "plain")]),
        ];
        let mut l = vec![
            live("aws_s3_bucket_versioning", "data", &[("bucket", "data")]),
            live("aws_s3_bucket_acl", "site", &[("bucket", "site")]),
            live("aws_s3_bucket_versioning", "plain", &[("bucket", "plain")]),
            live("aws_s3_bucket_versioning", "other", &[("bucket", "other")]),
        ];
        align(&s, &mut l);
        let ids: Vec<&str> = l.iter().map(|r| r.id.as_str()).collect();
        assert_eq!(ids, ["data,123456789012", "site,123456789012,private", "plain", "other"]);
        // Idempotent.
        align(&s, &mut l);
        assert_eq!(l[0].id, "data,123456789012");
    }

    #[test]
    fn ambiguous_or_exact_joins_are_left_alone() {
        // Two states name the same bucket's setting: no guess.
        let s = [
            state("aws_s3_bucket_versioning", "data,123456789012", &[("bucket", "data")]),
            state("aws_s3_bucket_versioning", "data,210987654321", &[("bucket", "data")]),
        ];
        let mut l = vec![live("aws_s3_bucket_versioning", "data", &[("bucket", "data")])];
        align(&s, &mut l);
        assert_eq!(l[0].id, "data");
        // A state resource with the live id already joins; another form of it does not steal it.
        let s = [
            state("aws_s3_bucket_versioning", "data", &[("bucket", "data")]),
            state("aws_s3_bucket_versioning", "data,123456789012", &[("bucket", "data")]),
        ];
        let mut l = vec![live("aws_s3_bucket_versioning", "data", &[("bucket", "data")])];
        align(&s, &mut l);
        assert_eq!(l[0].id, "data");
    }

    #[test]
    fn types_without_a_form_keep_their_ids() {
        let s = [state("aws_s3_bucket_policy", "data,123456789012", &[("bucket", "data")])];
        let mut l = vec![live("aws_s3_bucket_policy", "data", &[("bucket", "data")])];
        align(&s, &mut l);
        assert_eq!(l[0].id, "data");
    }
}

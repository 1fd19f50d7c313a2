//! What Plumb knows about each AWS resource type, in one place per type, grouped by AWS
//! service (`ec2/`, `s3/`, `rds/`...; one file per Terraform type, named after it):
//!
//! - its **live read**: a thin bulk SDK read and a pure mapping into provider v5 attributes;
//! - its **identity**: the attributes that name it in API calls, its ARN form, its parent;
//! - the **CloudTrail write events** that create, change or delete it, and what each writes;
//! - its **part in a joined view**: the object rules see (a bucket with its split settings).
//!
//! Every registry the pipeline uses is built from these declarations: the live readers
//! ([`readable`]), the event index ([`event::lookup`]), the view kinds ([`view::kinds`]),
//! the parts judged through their parent ([`parent_types`]), ARN to type ([`type_of_arn`]).
//! Adding a type means adding one file and one line in its service's `TYPES`.

pub mod client;
pub mod errors;
pub mod event;
pub mod state_form;
pub mod tags;
pub mod view;

mod cloudfront;
mod cloudtrail;
mod config;
mod ec2;
mod eks;
mod elasticache;
mod elbv2;
mod guardduty;
mod iam;
mod kms;
mod logs;
mod rds;
mod s3;
mod securityhub;

use std::collections::BTreeSet;
use std::sync::OnceLock;

use futures::future::BoxFuture;

pub use client::{CallStats, Ctx};
pub use event::{Effect, Event, Via, W, Written};
pub use view::{JoinedView, ViewDef};

use crate::model::{ReadError, Resource};

/// What a live read returns: every resource of its type in the context's region (or, for
/// a global type, in the account), or the one error that made the read incomplete.
pub type FetchResult = Result<Vec<Resource>, ReadError>;

/// One AWS service: its resource types and how many requests may be in flight at once.
pub struct Service {
    /// The SDK's name for it (`ec2`, `s3`): error reports and the call log use it.
    pub name: &'static str,
    /// Requests in flight per region. Services read per resource (S3, KMS) get more room
    /// than those read in a few large pages (EC2, RDS).
    pub concurrency: usize,
    pub types: &'static [&'static ResourceType],
}

/// Everything Plumb knows about one Terraform resource type.
pub struct ResourceType {
    /// The Terraform type, `aws_db_instance`.
    pub name: &'static str,
    /// The service its API belongs to.
    pub service: &'static str,
    /// How to read every resource of the type live; `None`: not read live (yet), so it is
    /// reported as not judged, never as missing.
    pub read: Option<Read>,
    pub identity: Identity,
    /// The resource this type is a part of: a hand-made instance is judged through its
    /// parent (an added rule is drift on its group; a hand-made bucket is one unmanaged
    /// bucket, not nine resources), and a parent's history includes its parts' events.
    pub parent: Option<&'static str>,
    /// CloudTrail write events on this type.
    pub events: &'static [Event],
    /// The joined view this type owns (several types may share one).
    pub view: Option<&'static ViewDef>,
    /// Views (by kind) this type is a part of.
    pub part_of_views: &'static [&'static str],
    /// For parts their owner's view composes generically (a bucket's split settings): the
    /// field this type fills in its owner's view.
    pub view_part: Option<ViewPart>,
    /// Import ids in several forms that depend on configuration (`bucket,account` with
    /// `expected_bucket_owner`): how live and state still join (`state_form.rs`).
    pub state_form: Option<state_form::StateForm>,
}

/// The field a part fills in its owner's view, and how: from the owner and the part (`None`
/// when the owner has no such part: the setting's default, or its inline form).
#[derive(Clone, Copy)]
pub struct ViewPart {
    pub field: &'static str,
    pub build: fn(owner: &Resource, part: Option<&Resource>, view: crate::model::View) -> serde_json::Value,
}

/// A live read.
#[derive(Clone, Copy)]
pub struct Read {
    pub fetch: for<'a> fn(&'a Ctx) -> BoxFuture<'a, FetchResult>,
    /// IAM, CloudFront, the account password policy: one read per account, not per region.
    pub global: bool,
}

/// How CloudTrail and users name a resource of this type.
#[derive(Debug, Clone, Copy)]
pub struct Identity {
    /// Attributes whose values also name the resource in API calls, besides its id and ARN
    /// (`identifier` of a DB instance, `bucket`, `name`).
    pub names: &'static [&'static str],
    /// The ARN form, to tell the type from an ARN.
    pub arn: Option<Arn>,
    /// The attribute holding the parent's id, for events that name the parent
    /// (`security_group_id` of a rule).
    pub parent_attr: Option<&'static str>,
    /// Names are account-wide (S3 buckets, IAM): events in any region may act on it.
    pub global_names: bool,
}

impl Identity {
    pub const NONE: Identity = Identity { names: &[], arn: None, parent_attr: None, global_names: false };

    /// Named by its ARN (`arn:aws:SERVICE:region:account:PREFIXid`) and these attributes.
    pub const fn arn(service: &'static str, prefix: &'static str, names: &'static [&'static str]) -> Identity {
        Identity { names, arn: Some(Arn { service, prefix, id_keeps_prefix: false }), ..Identity::NONE }
    }
}

/// An ARN form: `arn:aws:SERVICE:region:account:PREFIX...`.
#[derive(Debug, Clone, Copy)]
pub struct Arn {
    pub service: &'static str,
    /// The resource part's prefix (`instance/`, `db:`); empty for S3 buckets.
    pub prefix: &'static str,
    /// The import id is the whole resource part (`alias/name`), not what follows the prefix.
    pub id_keeps_prefix: bool,
}

/// A type with nothing declared but its name and service (the declarations fill in the rest
/// with `..ResourceType::base(...)`).
impl ResourceType {
    pub const fn base(name: &'static str, service: &'static str) -> ResourceType {
        ResourceType {
            name,
            service,
            read: None,
            identity: Identity::NONE,
            parent: None,
            events: &[],
            view: None,
            part_of_views: &[],
            view_part: None,
            state_form: None,
        }
    }
}

/// Every service, in a fixed order (readability only: outputs are sorted).
pub const SERVICES: &[&Service] = &[
    &ec2::SERVICE,
    &rds::SERVICE,
    &s3::SERVICE,
    &kms::SERVICE,
    &iam::SERVICE,
    &eks::SERVICE,
    &cloudtrail::SERVICE,
    &logs::SERVICE,
    &config::SERVICE,
    &guardduty::SERVICE,
    &securityhub::SERVICE,
    &elasticache::SERVICE,
    &elbv2::SERVICE,
    &cloudfront::SERVICE,
];

/// Every declared type.
pub fn types() -> impl Iterator<Item = &'static ResourceType> {
    SERVICES.iter().flat_map(|s| s.types.iter().copied())
}

/// The declaration of a Terraform type, if Plumb knows it.
pub fn lookup(rtype: &str) -> Option<&'static ResourceType> {
    types().find(|t| t.name == rtype)
}

/// Types read live, with their read.
pub fn readable() -> impl Iterator<Item = (&'static ResourceType, Read)> {
    types().filter_map(|t| t.read.map(|r| (t, r)))
}

/// All resource types Plumb reads live, sorted.
pub fn supported_types() -> Vec<&'static str> {
    static V: OnceLock<Vec<&'static str>> = OnceLock::new();
    V.get_or_init(|| {
        let mut v: Vec<_> = readable().map(|(t, _)| t.name).collect();
        v.sort_unstable();
        v
    })
    .clone()
}

/// Is the type read live?
pub fn is_read(rtype: &str) -> bool {
    lookup(rtype).is_some_and(|t| t.read.is_some())
}

/// Types judged through their parent, never unmanaged on their own.
pub fn parent_types() -> BTreeSet<&'static str> {
    types().filter(|t| t.parent.is_some()).map(|t| t.name).collect()
}

/// Types that are parts of `parent` (a bucket's split settings).
pub fn parts_of(parent: &str) -> Vec<&'static ResourceType> {
    types().filter(|t| t.parent == Some(parent)).collect()
}

/// The type and import id an ARN names, for types whose ARN form is declared.
pub fn type_of_arn(arn: &str) -> Option<(&'static str, String)> {
    let parts: Vec<&str> = arn.splitn(6, ':').collect();
    if parts.len() < 6 || parts[0] != "arn" {
        return None;
    }
    let (service, resource) = (parts[2], parts[5]);
    // The longest matching prefix wins (`security-group-rule/` over `security-group/`).
    types()
        .filter_map(|t| {
            let arn = t.identity.arn?;
            if arn.service != service {
                return None;
            }
            let id = resource.strip_prefix(arn.prefix)?;
            // A prefix-less ARN (S3 buckets) names only what has no path.
            if arn.prefix.is_empty() && id.contains('/') {
                return None;
            }
            let id = if arn.id_keeps_prefix { resource } else { id };
            Some((arn.prefix.len(), t.name, id.to_string()))
        })
        .max_by_key(|(len, ..)| *len)
        .map(|(_, name, id)| (name, id))
}

/// The service a type's API belongs to (for error reports of types not read).
pub fn service_of(rtype: &str) -> Option<&'static str> {
    lookup(rtype).map(|t| t.service)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn declarations_are_consistent() {
        let mut seen = BTreeSet::new();
        for s in SERVICES {
            for t in s.types {
                assert!(seen.insert(t.name), "{} declared twice", t.name);
                assert_eq!(t.service, s.name, "{} is declared under service {}", t.name, s.name);
                if let Some(p) = t.parent {
                    assert!(lookup(p).is_some(), "{}: parent {p} is not declared", t.name);
                }
            }
        }
        for t in types() {
            for v in t.part_of_views {
                assert!(view::kinds().iter().any(|(k, _)| k == v), "{}: no view {v}", t.name);
            }
        }
    }

    #[test]
    fn arns_name_types() {
        assert_eq!(type_of_arn("arn:aws:s3:::clinic"), Some(("aws_s3_bucket", "clinic".to_string())));
        assert_eq!(
            type_of_arn("arn:aws:ec2:us-east-1:1:security-group/sg-1"),
            Some(("aws_security_group", "sg-1".to_string()))
        );
        assert_eq!(
            type_of_arn("arn:aws:ec2:us-east-1:1:security-group-rule/sgr-1"),
            Some(("aws_vpc_security_group_ingress_rule", "sgr-1".to_string()))
        );
        assert_eq!(type_of_arn("arn:aws:rds:us-east-1:1:db:records"), Some(("aws_db_instance", "records".to_string())));
        assert_eq!(type_of_arn("nonsense"), None);
    }
}

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
pub mod coverage;
pub mod errors;
pub mod event;
pub mod state_form;
pub mod tags;
pub mod view;

mod acm;
mod autoscaling;
mod cloudfront;
mod cloudtrail;
mod config;
mod dynamodb;
mod ec2;
mod ecr;
mod eks;
mod elasticache;
mod elbv2;
mod guardduty;
mod iam;
mod kms;
mod lambda;
mod logs;
mod rds;
mod s3;
mod secretsmanager;
mod securityhub;
mod sns;
mod sqs;

use std::collections::{BTreeMap, BTreeSet};
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
    /// The resources that define this one's configuration (a node group's launch template,
    /// its node role and the role's policy attachments): `plumb blame` follows them, because
    /// the question a person asks is about the thing ("the node config"), not one API object.
    pub links: &'static [Link],
    /// The AWS object is also read as this other type: an AWS-created default Terraform
    /// adopts (`aws_default_vpc` is the default `aws_vpc`). Both are read live; the object is
    /// judged under the type the state records, and kept once, under that type, for rules.
    pub alias_of: Option<&'static str>,
    /// Objects a resource of this type records by id (`attribute`, `type`) without managing
    /// them as resources of their own: the instance a spot request launched, the route table
    /// a main association replaced. Never unmanaged while the recording resource is in state;
    /// findings on them point at it.
    pub records: &'static [(&'static str, &'static str)],
    /// Import ids in several forms that depend on configuration (`bucket,account` with
    /// `expected_bucket_owner`): how live and state still join (`state_form.rs`).
    pub state_form: Option<state_form::StateForm>,
}

/// A resource that defines part of another's configuration.
#[derive(Debug, Clone, Copy)]
pub struct Link {
    /// What the linked resource is to this one, for reports ("launch template", "node role").
    pub role: &'static str,
    /// The linked resource's type.
    pub rtype: &'static str,
    /// This resource's attribute path naming the linked one (`launch_template[0].id`,
    /// `node_role_arn`, `resources[*].autoscaling_groups[*].name`; `[*]` for every element).
    pub from: &'static str,
    /// The linked resource's attribute those values match (`id`, `arn`, `name`, `role`).
    pub to: &'static str,
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
            links: &[],
            alias_of: None,
            records: &[],
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
    &autoscaling::SERVICE,
    &cloudtrail::SERVICE,
    &logs::SERVICE,
    &config::SERVICE,
    &guardduty::SERVICE,
    &securityhub::SERVICE,
    &elasticache::SERVICE,
    &elbv2::SERVICE,
    &cloudfront::SERVICE,
    &acm::SERVICE,
    &lambda::SERVICE,
    &secretsmanager::SERVICE,
    &sns::SERVICE,
    &sqs::SERVICE,
    &dynamodb::SERVICE,
    &ecr::SERVICE,
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

/// Is the type account-wide (read once per account, not per region)?
pub fn is_global(rtype: &str) -> bool {
    lookup(rtype).and_then(|t| t.read).is_some_and(|r| r.global)
}

/// Where CloudTrail records the events of account-wide services (IAM, STS, CloudFront) since
/// November 2021, whichever region the call named.
pub const GLOBAL_EVENTS_REGION: &str = "us-east-1";

/// Types judged through their parent, never unmanaged on their own.
pub fn parent_types() -> BTreeSet<&'static str> {
    types().filter(|t| t.parent.is_some()).map(|t| t.name).collect()
}

/// Types that are parts of `parent` (a bucket's split settings).
pub fn parts_of(parent: &str) -> Vec<&'static ResourceType> {
    types().filter(|t| t.parent == Some(parent)).collect()
}

/// `(alias, primary)` pairs: types that read the same AWS object as another type.
pub fn aliases() -> Vec<(&'static str, &'static str)> {
    types().filter_map(|t| t.alias_of.map(|p| (t.name, p))).collect()
}

/// Live objects the state records without managing them as resources of their own
/// ([`ResourceType::records`]): `(type, id)` to the recording resource's address.
pub fn recorded_by_state(state: &[Resource]) -> BTreeMap<(String, String), String> {
    let recording: Vec<&ResourceType> = types().filter(|t| matches!(t.records, [_, ..])).collect();
    let mut out = BTreeMap::new();
    for r in state {
        let (Some(t), Some(address)) = (recording.iter().find(|t| t.name == r.rtype), &r.address) else { continue };
        for (attr, rtype) in t.records {
            let ids: Vec<&str> = match r.attributes.get(*attr) {
                Some(crate::model::Value::String(s)) => vec![s.as_str()],
                Some(crate::model::Value::List(l)) => l.iter().filter_map(crate::model::Value::as_str).collect(),
                _ => Vec::new(),
            };
            for id in ids.into_iter().filter(|id| !id.is_empty()) {
                out.entry((rtype.to_string(), id.to_string())).or_insert_with(|| address.clone());
            }
        }
    }
    out
}

/// One copy of each AWS object read under two types ([`ResourceType::alias_of`]): the one
/// the state records (`aws_default_vpc` when adopted), else the primary (`aws_vpc`).
pub fn one_type_per_object(live: Vec<Resource>, state: &[Resource]) -> Vec<Resource> {
    let aliases = aliases();
    if aliases.is_empty() {
        return live;
    }
    let in_state: BTreeSet<(&str, &str)> = state.iter().map(|r| (r.rtype.as_str(), r.id.as_str())).collect();
    // (primary type, id) of the objects whose alias the state records.
    let adopted: BTreeSet<(String, String)> = live
        .iter()
        .filter_map(|r| {
            let (_, primary) = aliases.iter().find(|(a, _)| *a == r.rtype)?;
            in_state.contains(&(r.rtype.as_str(), r.id.as_str())).then(|| (primary.to_string(), r.id.clone()))
        })
        .collect();
    live.into_iter()
        .filter(|r| match aliases.iter().find(|(a, _)| *a == r.rtype) {
            Some(_) => in_state.contains(&(r.rtype.as_str(), r.id.as_str())),
            None => !adopted.contains(&(r.rtype.clone(), r.id.clone())),
        })
        .collect()
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
            // IAM ARNs carry the entity's path (`role/service-role/name`); names have no `/`.
            let id = if arn.service == "iam" { id.rsplit('/').next().unwrap_or(id) } else { id };
            Some((arn.prefix.len(), t.name, id.to_string()))
        })
        .max_by_key(|(len, ..)| *len)
        .map(|(_, name, id)| (name, id))
}

/// AWS provider types that create no object in AWS: they compute a value when applied (the
/// CIDR IPAM would hand out next, a ciphertext, a function's answer) and keep it in state.
const NO_REMOTE_OBJECT: &[&str] = &["aws_vpc_ipam_preview_next_cidr", "aws_kms_ciphertext", "aws_lambda_invocation"];

/// Does a Terraform resource of this type stand for an object in AWS? A type's prefix names
/// its provider (`random_pet`, `null_resource`, `time_sleep`, `tls_private_key`,
/// `local_file` are other providers' and live nowhere in AWS); of the AWS providers' types
/// (`aws_`, `awscc_`), those in [`NO_REMOTE_OBJECT`] only compute a value. Such resources are
/// reported as not AWS objects, never as "not read".
pub fn is_aws_object(rtype: &str) -> bool {
    let provider = rtype.split('_').next().unwrap_or_default();
    matches!(provider, "aws" | "awscc") && !NO_REMOTE_OBJECT.contains(&rtype)
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
                if let Some(p) = t.alias_of {
                    assert!(lookup(p).is_some_and(|p| p.read.is_some()), "{}: alias of {p}, not read", t.name);
                }
                for (_, r) in t.records {
                    assert!(lookup(r).is_some(), "{}: records {r}, not declared", t.name);
                }
            }
        }
        for t in types() {
            for v in t.part_of_views {
                assert!(view::kinds().iter().any(|(k, _)| k == v), "{}: no view {v}", t.name);
            }
        }
    }

    fn state(rtype: &str, id: &str, attrs: &[(&str, &str)]) -> Resource {
        let mut r = Resource::live(rtype, id, "us-east-1", "1", None);
        r.address = Some(format!("{rtype}.this"));
        for (k, v) in attrs {
            r.set(k, *v);
        }
        r
    }

    #[test]
    fn objects_the_state_records_elsewhere() {
        let spot = state("aws_spot_instance_request", "sir-1", &[("spot_instance_id", "i-1")]);
        let main = state("aws_main_route_table_association", "rtbassoc-1", &[("original_route_table_id", "")]);
        let recorded = recorded_by_state(&[spot, main]);
        assert_eq!(
            recorded.into_iter().collect::<Vec<_>>(),
            [(("aws_instance".to_string(), "i-1".to_string()), "aws_spot_instance_request.this".to_string())]
        );
    }

    #[test]
    fn an_adopted_default_is_kept_once_under_the_states_type() {
        let live = |rtype: &str, id: &str| Resource::live(rtype, id, "us-east-1", "1", None);
        let read = vec![
            live("aws_vpc", "vpc-default"),
            live("aws_default_vpc", "vpc-default"),
            live("aws_vpc", "vpc-main"),
            live("aws_security_group", "sg-default"),
            live("aws_default_security_group", "sg-default"),
        ];
        // The state adopts the default VPC but not that VPC's default group.
        let kept = one_type_per_object(read, &[state("aws_default_vpc", "vpc-default", &[])]);
        let kept: Vec<(&str, &str)> = kept.iter().map(|r| (r.rtype.as_str(), r.id.as_str())).collect();
        assert_eq!(
            kept,
            [("aws_default_vpc", "vpc-default"), ("aws_vpc", "vpc-main"), ("aws_security_group", "sg-default")]
        );
    }

    #[test]
    fn what_is_an_aws_object() {
        for t in ["aws_vpc", "aws_s3_object", "awscc_s3_bucket", "aws_not_yet_known"] {
            assert!(is_aws_object(t), "{t}");
        }
        for t in [
            "random_pet",
            "null_resource",
            "time_sleep",
            "tls_private_key",
            "local_file",
            "aws_vpc_ipam_preview_next_cidr",
            "awsx",
        ] {
            assert!(!is_aws_object(t), "{t}");
        }
        for t in NO_REMOTE_OBJECT {
            assert!(lookup(t).is_none(), "{t} has no object to read and is not declared");
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
        assert_eq!(
            type_of_arn("arn:aws:iam::1:role/aws-service-role/eks.amazonaws.com/AWSServiceRoleForAmazonEKS"),
            Some(("aws_iam_role", "AWSServiceRoleForAmazonEKS".to_string()))
        );
        assert_eq!(type_of_arn("arn:aws:iam::1:user/clinic/dana"), Some(("aws_iam_user", "dana".to_string())));
        assert_eq!(type_of_arn("nonsense"), None);
    }
}

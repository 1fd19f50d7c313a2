//! Joined views: one JSON object per real thing, whichever resources express it, so that a
//! rule reads the same for config, state and live.
//!
//! AWS and the provider split one thing into several resources (a bucket and its
//! encryption, versioning, public access block...; a security group and its rule
//! resources). [`build`] joins them and applies the baseline's semantics once, here, so that
//! rules stay short:
//!
//! - An omitted attribute takes the provider default (`deletion_protection` false, no SSE
//!   configuration = SSE-S3 `AES256`, ...). "Omitted" is a key absent from the resource
//!   (config, state) or a Null value. In the live view an absent key means "not read":
//!   it is unknown, never a default.
//! - An unknown value (not read, computed, sensitive) is `null` in the view and its field
//!   name is listed in the enclosing object's `unknown` array. Booleans and numbers are
//!   `null` only when unknown; rules compare with `== false` / `!= true` / `is_number`, so a
//!   `null` never fails.
//! - Every setting records the resource that expresses it (`address`, `resource_type`): the
//!   split resource or inline block holding the value when one does and is managed,
//!   else the owning resource. That is where a finding points.
//!
//! `rules/README.md` documents every field; a test keeps the two in step.

use std::collections::{BTreeMap, HashMap};

use serde_json::{Map as JMap, Value as J, json};

use super::View;
use crate::model::sg::protocol_name;
use crate::model::{Resource, Value};

mod more;
#[cfg(test)]
mod tests;

/// View types and the Terraform types each is built from (the owning type first).
pub const VIEW_TYPES: &[(&str, &[&str])] = &[
    (
        "s3_bucket",
        &[
            "aws_s3_bucket",
            "aws_s3_bucket_server_side_encryption_configuration",
            "aws_s3_bucket_versioning",
            "aws_s3_bucket_public_access_block",
            "aws_s3_bucket_policy",
            "aws_s3_bucket_logging",
            "aws_s3_bucket_ownership_controls",
            "aws_s3_bucket_lifecycle_configuration",
        ],
    ),
    ("s3_account_public_access_block", &["aws_s3_account_public_access_block"]),
    (
        "security_group",
        &[
            "aws_security_group",
            "aws_default_security_group",
            "aws_security_group_rule",
            "aws_vpc_security_group_ingress_rule",
            "aws_vpc_security_group_egress_rule",
        ],
    ),
    ("rds_instance", &["aws_db_instance", "aws_db_parameter_group"]),
    ("rds_cluster", &["aws_rds_cluster", "aws_rds_cluster_instance", "aws_rds_cluster_parameter_group"]),
    ("kms_key", &["aws_kms_key", "aws_kms_alias", "aws_kms_key_policy"]),
    ("ebs_volume", &["aws_ebs_volume"]),
    ("ebs_encryption_by_default", &["aws_ebs_encryption_by_default"]),
    ("ec2_instance", &["aws_instance", "aws_subnet"]),
    ("launch_template", &["aws_launch_template"]),
    ("subnet", &["aws_subnet"]),
    ("vpc", &["aws_vpc", "aws_flow_log"]),
    ("cloudtrail", &["aws_cloudtrail"]),
    ("log_group", &["aws_cloudwatch_log_group"]),
    ("guardduty_detector", &["aws_guardduty_detector"]),
    (
        "config_recorder",
        &[
            "aws_config_configuration_recorder",
            "aws_config_configuration_recorder_status",
            "aws_config_delivery_channel",
        ],
    ),
    ("securityhub_account", &["aws_securityhub_account", "aws_securityhub_standards_subscription"]),
    ("iam_policy", &["aws_iam_policy", "aws_iam_role_policy", "aws_iam_user_policy", "aws_iam_group_policy"]),
    (
        "iam_attachment",
        &[
            "aws_iam_role_policy_attachment",
            "aws_iam_user_policy_attachment",
            "aws_iam_group_policy_attachment",
            "aws_iam_policy_attachment",
        ],
    ),
    ("iam_access_key", &["aws_iam_access_key"]),
    ("iam_password_policy", &["aws_iam_account_password_policy"]),
    ("eks_cluster", &["aws_eks_cluster"]),
    ("eks_node_group", &["aws_eks_node_group"]),
    ("elasticache_replication_group", &["aws_elasticache_replication_group"]),
    ("lb_listener", &["aws_lb_listener", "aws_alb_listener"]),
    ("cloudfront_distribution", &["aws_cloudfront_distribution"]),
];

/// Ports listed in a security-group rule's `well_known_ports` when its range covers them.
pub const WELL_KNOWN_PORTS: &[i64] = &[
    20, 21, 22, 23, 25, 53, 80, 110, 135, 139, 143, 443, 445, 1433, 1521, 2049, 2375, 2376, 3306, 3389, 4333, 5432,
    5601, 5900, 6379, 8080, 9200, 9300, 11211, 27017,
];

/// One joined view.
#[derive(Debug, Clone, PartialEq)]
pub struct JoinedView {
    /// View type (`s3_bucket`, ...).
    pub vtype: &'static str,
    pub id: String,
    /// Address of the owning resource; `None` when unmanaged.
    pub address: Option<String>,
    /// Terraform type of the owning resource.
    pub resource_type: String,
    /// The object rules see.
    pub value: J,
}

/// Join the resources of one view into views, sorted by view type (in [`VIEW_TYPES`]
/// order), id and address.
pub fn build(resources: &[Resource], view: View) -> Vec<JoinedView> {
    let by_type = |t: &str| -> Vec<&Resource> { resources.iter().filter(|r| r.rtype == t).collect() };
    let mut out = Vec::new();
    out.extend(s3_buckets(resources, view));
    out.extend(by_type("aws_s3_account_public_access_block").into_iter().map(|r| s3_account_pab(r, view)));
    out.extend(security_groups(resources, view));
    out.extend(rds_instances(resources, view));
    out.extend(rds_clusters(resources, view));
    out.extend(kms_keys(resources, view));
    out.extend(by_type("aws_ebs_volume").into_iter().map(|r| ebs_volume(r, view)));
    out.extend(by_type("aws_ebs_encryption_by_default").into_iter().map(|r| ebs_default(r, view)));
    out.extend(ec2_instances(resources, view));
    out.extend(by_type("aws_launch_template").into_iter().map(|r| launch_template(r, view)));
    out.extend(by_type("aws_subnet").into_iter().map(|r| subnet(r, view)));
    out.extend(vpcs(resources, view));
    out.extend(more::build(resources, view));
    let order = |t: &str| VIEW_TYPES.iter().position(|(v, _)| *v == t).unwrap_or(usize::MAX);
    out.sort_by(|a, b| (order(a.vtype), &a.id, &a.address).cmp(&(order(b.vtype), &b.id, &b.address)));
    out
}

// ---------------------------------------------------------------------------------------
// Reading attributes with the baseline's semantics.

/// One attribute as a rule must read it.
#[derive(Debug, Clone, Copy)]
enum F<'a> {
    /// A value was given.
    Set(&'a Value),
    /// Omitted or null: the provider default applies.
    Default,
    /// Not read, computed or sensitive.
    Unknown,
}

impl<'a> F<'a> {
    /// A nested field: absent means omitted.
    fn of(v: Option<&'a Value>) -> F<'a> {
        match v {
            None | Some(Value::Null) => F::Default,
            Some(Value::Unknown | Value::Sensitive) => F::Unknown,
            Some(v) => F::Set(v),
        }
    }

    /// A field of this value (an object, or a one-element block list).
    fn field(self, key: &str) -> F<'a> {
        match self {
            F::Set(v @ Value::Map(_)) => F::of(v.get(key)),
            F::Set(Value::List(l)) if l.is_empty() => F::Default,
            F::Set(v @ Value::List(l)) if l.len() == 1 => match &l[0] {
                Value::Unknown | Value::Sensitive => F::Unknown,
                _ => F::of(v.get(key)),
            },
            F::Set(_) | F::Unknown => F::Unknown,
            F::Default => F::Default,
        }
    }

    fn bool(self, default: bool) -> Option<bool> {
        match self {
            F::Set(Value::Bool(b)) => Some(*b),
            F::Set(Value::String(s)) => s.parse().ok(),
            F::Set(_) | F::Unknown => None,
            F::Default => Some(default),
        }
    }

    fn int(self, default: Option<i64>) -> Result<Option<i64>, ()> {
        match self {
            F::Set(v @ Value::Number(_)) => Ok(v.as_i64()),
            F::Set(Value::String(s)) => s.parse().map(Some).map_err(|_| ()),
            F::Set(_) | F::Unknown => Err(()),
            F::Default => Ok(default),
        }
    }

    /// A string; an empty string is "not set" (the provider stores unset strings as `""`).
    fn string(self, default: Option<&str>) -> Result<Option<String>, ()> {
        match self {
            F::Set(Value::String(s)) if s.is_empty() => Ok(default.map(str::to_string)),
            F::Set(Value::String(s)) => Ok(Some(s.clone())),
            F::Set(Value::Number(n)) => Ok(Some(n.to_string())),
            F::Set(Value::Bool(b)) => Ok(Some(b.to_string())),
            F::Set(_) | F::Unknown => Err(()),
            F::Default => Ok(default.map(str::to_string)),
        }
    }

    /// A list of strings (a set in the provider); omitted is empty.
    fn strings(self) -> Result<Vec<String>, ()> {
        match self {
            F::Set(Value::List(l)) => {
                l.iter().map(|v| v.as_str().map(str::to_string).ok_or(())).collect::<Result<Vec<_>, _>>().map(
                    |mut v| {
                        v.sort();
                        v
                    },
                )
            }
            F::Set(_) | F::Unknown => Err(()),
            F::Default => Ok(Vec::new()),
        }
    }

    /// The elements of a block list (`[]` when omitted).
    fn elements(self) -> Result<&'a [Value], ()> {
        match self {
            F::Set(Value::List(l)) => Ok(l),
            F::Set(_) | F::Unknown => Err(()),
            F::Default => Ok(&[]),
        }
    }
}

/// Whether the absence of `rtype` resources means "there are none": always in config and
/// state; in the live view only for types Plumb reads live (a join on a type no fetcher
/// reads yet, such as flow logs, is unknown rather than empty).
fn join_is_complete(rtype: &str, view: View) -> bool {
    view != View::Live || crate::source::aws::FETCHERS.iter().any(|f| f.types.contains(&rtype))
}

/// A top-level attribute: in the live view an absent key was not read.
fn attr<'a>(r: &'a Resource, key: &str, view: View) -> F<'a> {
    match r.attributes.get(key) {
        None if view == View::Live => F::Unknown,
        v => F::of(v),
    }
}

/// Value tree to JSON, with Unknown and Sensitive as null.
fn to_json(v: &Value) -> J {
    match v {
        Value::Null | Value::Unknown | Value::Sensitive => J::Null,
        Value::Bool(b) => J::Bool(*b),
        Value::Number(n) => J::Number(n.clone()),
        Value::String(s) => J::String(s.clone()),
        Value::List(l) => J::Array(l.iter().map(to_json).collect()),
        Value::Map(m) => J::Object(m.iter().map(|(k, v)| (k.clone(), to_json(v))).collect()),
    }
}

/// A JSON object under construction that records which fields are unknown.
#[derive(Default)]
struct Obj {
    map: JMap<String, J>,
    unknown: Vec<String>,
}

impl Obj {
    fn put(&mut self, k: &str, v: impl Into<J>) -> &mut Self {
        self.map.insert(k.to_string(), v.into());
        self
    }

    fn unknown(&mut self, k: &str) -> &mut Self {
        self.map.insert(k.to_string(), J::Null);
        if !self.unknown.iter().any(|u| u == k) {
            self.unknown.push(k.to_string());
        }
        self
    }

    fn opt<T: Into<J>>(&mut self, k: &str, v: Option<T>) -> &mut Self {
        match v {
            Some(v) => self.put(k, v),
            None => self.unknown(k),
        }
    }

    fn bool(&mut self, k: &str, f: F, default: bool) -> Option<bool> {
        let b = f.bool(default);
        self.opt(k, b);
        b
    }

    fn int(&mut self, k: &str, f: F, default: Option<i64>) -> Option<i64> {
        match f.int(default) {
            Ok(i) => {
                self.put(k, i.map(J::from).unwrap_or(J::Null));
                i
            }
            Err(()) => {
                self.unknown(k);
                None
            }
        }
    }

    /// A string; `Ok(None)` (not set) is `null` without being unknown.
    fn string(&mut self, k: &str, f: F, default: Option<&str>) -> Result<Option<String>, ()> {
        let s = f.string(default);
        match &s {
            Ok(v) => {
                self.put(k, v.clone().map(J::String).unwrap_or(J::Null));
            }
            Err(()) => {
                self.unknown(k);
            }
        }
        s
    }

    fn strings(&mut self, k: &str, f: F) -> Option<Vec<String>> {
        let v = f.strings().ok();
        self.opt(k, v.clone());
        v
    }

    /// Tags: `tags_all` when present (provider default tags included), else `tags`.
    fn tags(&mut self, r: &Resource, view: View) {
        let f = match r.attributes.get("tags_all") {
            Some(Value::Map(_)) => attr(r, "tags_all", view),
            _ => attr(r, "tags", view),
        };
        match f {
            F::Set(Value::Map(m)) => {
                let tags: JMap<String, J> = m.iter().map(|(k, v)| (k.clone(), to_json(v))).collect();
                self.put("tags", J::Object(tags));
            }
            F::Default => {
                self.put("tags", json!({}));
            }
            _ => {
                self.unknown("tags");
            }
        }
    }

    fn finish(mut self) -> J {
        self.unknown.sort();
        self.map.insert("unknown".into(), J::Array(self.unknown.into_iter().map(J::String).collect()));
        J::Object(self.map)
    }
}

/// The common head of a view.
fn head(vtype: &str, r: &Resource, view: View) -> Obj {
    let mut o = Obj::default();
    o.put("type", vtype)
        .put("id", r.id.as_str())
        .put("address", r.address.clone().map(J::String).unwrap_or(J::Null))
        .put("resource_type", r.rtype.as_str())
        .put("region", r.region.clone().map(J::String).unwrap_or(J::Null))
        .put("aws_default", r.aws_default);
    match attr(r, "arn", view).string(None) {
        Ok(a) => o.put("arn", a.map(J::String).unwrap_or(J::Null)),
        Err(()) => o.unknown("arn"),
    };
    o.tags(r, view);
    // A display name for messages: the Name tag, else the id; views with a real name
    // (bucket, identifier, alias) override it.
    let name = o.map.get("tags").and_then(|t| t.get("Name")).and_then(J::as_str).unwrap_or(&r.id).to_string();
    o.put("name", name);
    o
}

fn joined(vtype: &'static str, r: &Resource, o: Obj) -> JoinedView {
    JoinedView {
        vtype,
        id: r.id.clone(),
        address: r.address.clone(),
        resource_type: r.rtype.clone(),
        value: o.finish(),
    }
}

/// The resource a setting points at: the expressing resource when it is managed (or when
/// nothing is), else the owner.
fn setting_origin<'a>(o: &mut Obj, owner: &'a Resource, expressing: Option<&'a Resource>) -> &'a Resource {
    let r = match expressing {
        Some(e) if e.address.is_some() || owner.address.is_none() => e,
        _ => owner,
    };
    o.put("address", r.address.clone().map(J::String).unwrap_or(J::Null)).put("resource_type", r.rtype.as_str());
    r
}

/// Owners by join key (ids, names, ARNs) and by address, for references such as
/// `aws_s3_bucket.x.id` (the config view's unresolved form).
#[derive(Default)]
struct Index {
    by_key: HashMap<String, usize>,
    by_address: HashMap<String, usize>,
}

impl Index {
    fn add(&mut self, i: usize, r: &Resource, key_attrs: &[&str]) {
        self.by_key.entry(r.id.clone()).or_insert(i);
        for k in key_attrs {
            if let Some(s) = r.attributes.get(*k).and_then(Value::as_str).filter(|s| !s.is_empty()) {
                self.by_key.entry(s.to_string()).or_insert(i);
            }
        }
        if let Some(a) = &r.address {
            self.by_address.entry(a.clone()).or_insert(i);
        }
    }

    fn find(&self, v: Option<&Value>) -> Option<usize> {
        let s = v?.as_str()?;
        let s = s.strip_prefix("${").and_then(|s| s.strip_suffix('}')).unwrap_or(s);
        if let Some(i) = self.by_key.get(s) {
            return Some(*i);
        }
        let (head, _attr) = s.rsplit_once('.')?;
        self.by_address.get(head).copied()
    }
}

/// Managed before unmanaged, then by address and id: the one a finding should name.
fn preferred<'a>(rs: &[&'a Resource]) -> Option<&'a Resource> {
    rs.iter()
        .copied()
        .min_by(|a, b| (a.address.is_none(), &a.address, &a.id).cmp(&(b.address.is_none(), &b.address, &b.id)))
}

fn parse_policy(f: F) -> Result<Option<J>, ()> {
    match f {
        F::Set(Value::String(s)) if s.trim().is_empty() => Ok(None),
        F::Set(Value::String(s)) => serde_json::from_str(s).map(Some).map_err(|_| ()),
        F::Set(v @ Value::Map(_)) if !v.has_opaque() => Ok(Some(to_json(v))),
        F::Set(_) | F::Unknown => Err(()),
        F::Default => Ok(None),
    }
}

// ---------------------------------------------------------------------------------------
// S3 buckets.

const S3_CHILDREN: &[&str] = &[
    "aws_s3_bucket_server_side_encryption_configuration",
    "aws_s3_bucket_versioning",
    "aws_s3_bucket_public_access_block",
    "aws_s3_bucket_policy",
    "aws_s3_bucket_logging",
    "aws_s3_bucket_ownership_controls",
    "aws_s3_bucket_lifecycle_configuration",
];

fn s3_buckets(resources: &[Resource], view: View) -> Vec<JoinedView> {
    let owners: Vec<&Resource> = resources.iter().filter(|r| r.rtype == "aws_s3_bucket").collect();
    let mut index = Index::default();
    for (i, r) in owners.iter().enumerate() {
        index.add(i, r, &["bucket", "arn"]);
    }
    let mut children: Vec<BTreeMap<&str, Vec<&Resource>>> = vec![BTreeMap::new(); owners.len()];
    for r in resources.iter().filter(|r| S3_CHILDREN.contains(&r.rtype.as_str())) {
        if let Some(i) = index.find(r.attributes.get("bucket")) {
            children[i].entry(r.rtype.as_str()).or_default().push(r);
        }
    }
    owners
        .iter()
        .zip(children)
        .map(|(b, kids)| {
            let child = |t: &str| kids.get(t).and_then(|v| preferred(v));
            let mut o = head("s3_bucket", b, view);
            let name = attr(b, "bucket", view).string(None).ok().flatten().unwrap_or_else(|| b.id.clone());
            o.put("name", name);
            o.bool("object_lock_enabled", attr(b, "object_lock_enabled", view), false);
            o.put("encryption", s3_encryption(b, child("aws_s3_bucket_server_side_encryption_configuration"), view));
            o.put("versioning", s3_versioning(b, child("aws_s3_bucket_versioning"), view));
            o.put("public_access_block", s3_public_access_block(b, child("aws_s3_bucket_public_access_block"), view));
            o.put("policy", s3_policy(b, child("aws_s3_bucket_policy"), view));
            o.put("logging", s3_logging(b, child("aws_s3_bucket_logging"), view));
            o.put("ownership_controls", s3_ownership(b, child("aws_s3_bucket_ownership_controls"), view));
            o.put("lifecycle", s3_lifecycle(b, child("aws_s3_bucket_lifecycle_configuration"), view));
            joined("s3_bucket", b, o)
        })
        .collect()
}

/// Where a bucket setting comes from: the split resource, else the bucket's legacy inline
/// block, else nothing (the default). The inline attributes are absent from live buckets
/// by design (the split fetchers read them), so an absent inline block is "not set" in every
/// view.
enum S3Source<'a> {
    Split(&'a Resource, F<'a>),
    Inline(F<'a>),
    Absent,
}

fn s3_source<'a>(
    bucket: &'a Resource,
    split: Option<&'a Resource>,
    split_attr: &str,
    inline: &str,
    view: View,
) -> S3Source<'a> {
    if let Some(s) = split {
        return S3Source::Split(s, attr(s, split_attr, view));
    }
    match F::of(bucket.attributes.get(inline)) {
        F::Default => S3Source::Absent,
        F::Set(v) if v.is_empty_like() => S3Source::Absent,
        f => S3Source::Inline(f),
    }
}

fn source_fields<'a>(o: &mut Obj, bucket: &'a Resource, src: &S3Source<'a>) {
    let (name, expressing) = match src {
        S3Source::Split(s, _) => ("split", Some(*s)),
        S3Source::Inline(_) => ("inline", Some(bucket)),
        S3Source::Absent => ("default", None),
    };
    setting_origin(o, bucket, expressing);
    o.put("configured", !matches!(src, S3Source::Absent)).put("source", name);
}

fn s3_encryption(b: &Resource, split: Option<&Resource>, view: View) -> J {
    let src = s3_source(b, split, "rule", "server_side_encryption_configuration", view);
    let mut o = Obj::default();
    source_fields(&mut o, b, &src);
    // The `rule` block: the split resource's attribute, or the inline block's `rule`.
    let rule = match &src {
        S3Source::Split(_, f) => Some(*f),
        S3Source::Inline(f) => Some(f.field("rule")),
        S3Source::Absent => None,
    };
    let Some(rule) = rule else {
        // No configuration: S3 encrypts with SSE-S3.
        o.put("sse_algorithm", "AES256")
            .put("kms", false)
            .put("dsse", false)
            .put("kms_master_key_id", J::Null)
            .put("customer_managed_key", false)
            .put("bucket_key_enabled", false);
        return o.finish();
    };
    let by_default = rule.field("apply_server_side_encryption_by_default");
    let alg = o.string("sse_algorithm", by_default.field("sse_algorithm"), Some("AES256"));
    let kms = alg.as_ref().ok().map(|a| matches!(a.as_deref(), Some("aws:kms" | "aws:kms:dsse")));
    o.opt("kms", kms);
    o.opt("dsse", alg.as_ref().ok().map(|a| a.as_deref() == Some("aws:kms:dsse")));
    let key = o.string("kms_master_key_id", by_default.field("kms_master_key_id"), None);
    let cmk = match (kms, key) {
        (Some(false), _) => Some(false),
        (Some(true), Ok(None)) => Some(false),
        (Some(true), Ok(Some(k))) => Some(!k.starts_with("alias/aws/")),
        _ => None,
    };
    o.opt("customer_managed_key", cmk);
    o.bool("bucket_key_enabled", rule.field("bucket_key_enabled"), false);
    o.finish()
}

fn s3_versioning(b: &Resource, split: Option<&Resource>, view: View) -> J {
    let src = s3_source(b, split, "versioning_configuration", "versioning", view);
    let mut o = Obj::default();
    source_fields(&mut o, b, &src);
    let (status, mfa) = match &src {
        S3Source::Split(_, f) => {
            let status = f.field("status").string(Some("Disabled"));
            let mfa = f.field("mfa_delete").string(Some("Disabled")).map(|m| m.map(|m| m == "Enabled"));
            (status, mfa.map(|m| m.unwrap_or(false)))
        }
        S3Source::Inline(f) => {
            let status = f.field("enabled").bool(false).map(|e| if e { "Enabled" } else { "Disabled" }.to_string());
            (status.map(Some).ok_or(()), f.field("mfa_delete").bool(false).ok_or(()))
        }
        S3Source::Absent => (Ok(Some("Disabled".to_string())), Ok(false)),
    };
    match status {
        Ok(s) => {
            let s = s.unwrap_or_else(|| "Disabled".into());
            o.put("enabled", s == "Enabled").put("status", s);
        }
        Err(()) => {
            o.unknown("status").unknown("enabled");
        }
    }
    o.opt("mfa_delete", mfa.ok());
    o.finish()
}

fn s3_public_access_block(b: &Resource, split: Option<&Resource>, view: View) -> J {
    let mut o = Obj::default();
    setting_origin(&mut o, b, split);
    o.put("configured", split.is_some());
    let mut all = Some(true);
    for k in ["block_public_acls", "block_public_policy", "ignore_public_acls", "restrict_public_buckets"] {
        let f = split.map(|s| attr(s, k, view)).unwrap_or(F::Default);
        all = match (all, o.bool(k, f, false)) {
            (Some(false), _) | (_, Some(false)) => Some(false),
            (Some(true), Some(true)) => Some(true),
            _ => None,
        };
    }
    o.opt("all", all);
    o.finish()
}

fn s3_policy(b: &Resource, split: Option<&Resource>, view: View) -> J {
    let src = s3_source(b, split, "policy", "policy", view);
    let mut o = Obj::default();
    source_fields(&mut o, b, &src);
    let doc = match &src {
        S3Source::Split(_, f) | S3Source::Inline(f) => parse_policy(*f),
        S3Source::Absent => Ok(None),
    };
    match doc {
        Ok(d) => {
            let deny = d.as_ref().map(denies_insecure_transport).unwrap_or(false);
            o.put("document", d.unwrap_or(J::Null)).put("denies_insecure_transport", deny);
        }
        Err(()) => {
            o.unknown("document").unknown("denies_insecure_transport");
        }
    }
    o.finish()
}

/// A `Deny` for every principal on all S3 actions when `aws:SecureTransport` is false.
fn denies_insecure_transport(doc: &J) -> bool {
    let as_list = |v: Option<&J>| -> Vec<J> {
        match v {
            Some(J::Array(a)) => a.clone(),
            Some(v) => vec![v.clone()],
            None => vec![],
        }
    };
    as_list(doc.get("Statement")).iter().any(|s| {
        let deny = s.get("Effect").and_then(J::as_str) == Some("Deny");
        let everyone = match s.get("Principal") {
            Some(J::String(p)) => p == "*",
            Some(J::Object(m)) => as_list(m.get("AWS")).iter().any(|p| p.as_str() == Some("*")),
            _ => false,
        };
        let all_actions = as_list(s.get("Action")).iter().any(|a| matches!(a.as_str(), Some("s3:*" | "*")));
        let insecure = s
            .get("Condition")
            .and_then(|c| c.get("Bool"))
            .and_then(|b| b.get("aws:SecureTransport"))
            .is_some_and(|v| as_list(Some(v)).iter().any(|x| x == &json!("false") || x == &json!(false)));
        deny && everyone && all_actions && insecure
    })
}

fn s3_logging(b: &Resource, split: Option<&Resource>, view: View) -> J {
    let mut o = Obj::default();
    let src = s3_source(b, split, "target_bucket", "logging", view);
    source_fields(&mut o, b, &src);
    let (target, prefix) = match &src {
        S3Source::Split(s, f) => (f.string(None), attr(s, "target_prefix", view).string(None)),
        S3Source::Inline(f) => (f.field("target_bucket").string(None), f.field("target_prefix").string(None)),
        S3Source::Absent => (Ok(None), Ok(None)),
    };
    match &target {
        Ok(t) => o.put("enabled", t.is_some()).put("target_bucket", t.clone().map(J::String).unwrap_or(J::Null)),
        Err(()) => o.unknown("enabled").unknown("target_bucket"),
    };
    match prefix {
        Ok(p) => o.put("target_prefix", p.map(J::String).unwrap_or(J::Null)),
        Err(()) => o.unknown("target_prefix"),
    };
    o.finish()
}

fn s3_ownership(b: &Resource, split: Option<&Resource>, view: View) -> J {
    let mut o = Obj::default();
    setting_origin(&mut o, b, split);
    o.put("configured", split.is_some());
    match split {
        Some(s) => {
            let _ = o.string("object_ownership", attr(s, "rule", view).field("object_ownership"), None);
        }
        None => {
            o.put("object_ownership", J::Null);
        }
    }
    o.finish()
}

fn s3_lifecycle(b: &Resource, split: Option<&Resource>, view: View) -> J {
    let src = s3_source(b, split, "rule", "lifecycle_rule", view);
    let mut o = Obj::default();
    source_fields(&mut o, b, &src);
    match &src {
        S3Source::Split(_, f) | S3Source::Inline(f) => match f.elements() {
            Ok(rules) => o.put("rules", J::Array(rules.iter().map(to_json).collect())),
            Err(()) => o.unknown("rules"),
        },
        S3Source::Absent => o.put("rules", json!([])),
    };
    o.finish()
}

// ---------------------------------------------------------------------------------------
// Security groups.

const SG_OWNERS: &[&str] = &["aws_security_group", "aws_default_security_group"];

/// One security-group rule with one source: the unit rules judge and AWS stores.
struct Atom {
    key: (String, String, Option<i64>, Option<i64>, String, Option<String>),
    /// 0 inline, 1 `aws_security_group_rule`, 2 `aws_vpc_security_group_*_rule`.
    specificity: u8,
    managed: bool,
    value: J,
}

fn security_groups(resources: &[Resource], view: View) -> Vec<JoinedView> {
    let owners: Vec<&Resource> = resources.iter().filter(|r| SG_OWNERS.contains(&r.rtype.as_str())).collect();
    let mut index = Index::default();
    for (i, r) in owners.iter().enumerate() {
        index.add(i, r, &["id", "arn"]);
    }
    let mut atoms: Vec<Vec<Atom>> = (0..owners.len()).map(|_| Vec::new()).collect();
    let mut unknown_dirs: Vec<Vec<&str>> = vec![Vec::new(); owners.len()];
    for (i, g) in owners.iter().enumerate() {
        for dir in ["ingress", "egress"] {
            match attr(g, dir, view).elements() {
                Ok(elems) => {
                    for e in elems {
                        let f = F::of(Some(e));
                        let sources = sources_of(
                            &index,
                            i,
                            &[
                                ("cidr_ipv4", f.field("cidr_blocks")),
                                ("cidr_ipv6", f.field("ipv6_cidr_blocks")),
                                ("prefix_list", f.field("prefix_list_ids")),
                                ("security_group", f.field("security_groups")),
                            ],
                            f.field("self"),
                        );
                        let ports = (f.field("protocol"), f.field("from_port"), f.field("to_port"));
                        atoms[i].extend(make_atoms(g, g, dir, ports, f.field("description"), sources, 0));
                    }
                }
                Err(()) => unknown_dirs[i].push(dir),
            }
        }
    }
    for r in resources {
        let (dir, specificity) = match r.rtype.as_str() {
            "aws_vpc_security_group_ingress_rule" => (Some("ingress"), 2),
            "aws_vpc_security_group_egress_rule" => (Some("egress"), 2),
            "aws_security_group_rule" => (
                attr(r, "type", view).string(None).ok().flatten().as_deref().and_then(|d| match d {
                    "ingress" => Some("ingress"),
                    "egress" => Some("egress"),
                    _ => None,
                }),
                1,
            ),
            _ => continue,
        };
        let Some(i) = index.find(r.attributes.get("security_group_id")) else { continue };
        let Some(dir) = dir else { continue };
        let g = owners[i];
        let a = |k: &str| attr(r, k, view);
        let (sources, ports) = if specificity == 2 {
            let sources = sources_of(
                &index,
                i,
                &[
                    ("cidr_ipv4", a("cidr_ipv4")),
                    ("cidr_ipv6", a("cidr_ipv6")),
                    ("prefix_list", a("prefix_list_id")),
                    ("security_group", a("referenced_security_group_id")),
                ],
                F::Default,
            );
            (sources, (a("ip_protocol"), a("from_port"), a("to_port")))
        } else {
            let sources = sources_of(
                &index,
                i,
                &[
                    ("cidr_ipv4", a("cidr_blocks")),
                    ("cidr_ipv6", a("ipv6_cidr_blocks")),
                    ("prefix_list", a("prefix_list_ids")),
                    ("security_group", a("source_security_group_id")),
                ],
                a("self"),
            );
            (sources, (a("protocol"), a("from_port"), a("to_port")))
        };
        atoms[i].extend(make_atoms(g, r, dir, ports, a("description"), sources, specificity));
    }

    owners
        .iter()
        .zip(atoms)
        .zip(unknown_dirs)
        .map(|((g, atoms), unknown_dirs)| {
            // The same AWS rule may be expressed several ways (inline copies in state and
            // live, split resources): keep one, managed first, most specific first.
            let mut best: BTreeMap<_, Atom> = BTreeMap::new();
            for a in atoms {
                match best.get(&a.key) {
                    Some(b) if (b.managed, b.specificity) >= (a.managed, a.specificity) => {}
                    _ => {
                        best.insert(a.key.clone(), a);
                    }
                }
            }
            let mut o = head("security_group", g, view);
            if let Ok(Some(n)) = attr(g, "name", view).string(None) {
                o.put("name", n);
            }
            let _ = o.string("description", attr(g, "description", view), None);
            let _ = o.string("vpc_id", attr(g, "vpc_id", view), None);
            let is_default = g.rtype == "aws_default_security_group"
                || g.attributes.get("name").and_then(Value::as_str) == Some("default");
            o.put("is_default", is_default);
            for dir in ["ingress", "egress"] {
                if unknown_dirs.contains(&dir) {
                    o.unknown(dir);
                    continue;
                }
                let rules: Vec<J> = best.values().filter(|a| a.key.0 == dir).map(|a| a.value.clone()).collect();
                o.put(dir, J::Array(rules));
            }
            joined("security_group", g, o)
        })
        .collect()
}

/// `(kind, source)` pairs; `None` for an unknown source. A reference to the group itself
/// becomes `("self", "self")`.
fn sources_of(
    index: &Index,
    owner: usize,
    lists: &[(&'static str, F)],
    self_flag: F,
) -> Vec<(&'static str, Option<String>)> {
    let mut out = Vec::new();
    for (kind, f) in lists {
        match f {
            F::Default => {}
            F::Set(Value::String(s)) if s.is_empty() => {}
            F::Set(Value::String(s)) => out.push(source(index, owner, kind, s)),
            F::Set(Value::List(l)) => {
                for v in l {
                    match v {
                        Value::String(s) if !s.is_empty() => out.push(source(index, owner, kind, s)),
                        Value::String(_) | Value::Null => {}
                        _ => out.push((kind, None)),
                    }
                }
            }
            _ => out.push((kind, None)),
        }
    }
    match self_flag.bool(false) {
        Some(true) => out.push(("self", Some("self".to_string()))),
        Some(false) => {}
        None => out.push(("self", None)),
    }
    out
}

fn source(index: &Index, owner: usize, kind: &'static str, s: &str) -> (&'static str, Option<String>) {
    if kind == "security_group" {
        let bare = s.rsplit_once('/').map(|(_, g)| g).unwrap_or(s);
        if index.find(Some(&Value::str(bare))) == Some(owner) {
            return ("self", Some("self".to_string()));
        }
    }
    (kind, Some(s.to_string()))
}

fn make_atoms(
    group: &Resource,
    declaring: &Resource,
    dir: &str,
    (protocol, from, to): (F, F, F),
    description: F,
    sources: Vec<(&'static str, Option<String>)>,
    specificity: u8,
) -> Vec<Atom> {
    let protocol = protocol.string(None).map(|p| p.map(|p| protocol_name(&p)));
    let all = matches!(&protocol, Ok(Some(p)) if p == "-1");
    let from = if all { Ok(None) } else { from.int(None) };
    let to = if all { Ok(None) } else { to.int(None) };
    sources
        .into_iter()
        .map(|(kind, src)| {
            let mut o = Obj::default();
            let managed = declaring.address.is_some();
            let named = setting_origin(&mut o, group, Some(declaring));
            o.put("resource_id", named.id.as_str());
            o.put("direction", dir);
            match &protocol {
                Ok(p) => o.put("protocol", p.clone().map(J::String).unwrap_or(J::Null)),
                Err(()) => o.unknown("protocol"),
            };
            o.put("all_traffic", all);
            match (&from, &to) {
                (Ok(f), Ok(t)) => o
                    .put("from_port", f.map(J::from).unwrap_or(J::Null))
                    .put("to_port", t.map(J::from).unwrap_or(J::Null)),
                _ => o.unknown("from_port").unknown("to_port"),
            };
            // The port range the rule opens, for protocols that have ports.
            let range = match protocol.as_ref().map(|p| p.as_deref()) {
                Ok(Some("-1")) => Ok(Some((0, 65535))),
                Ok(Some("tcp" | "udp")) => match (&from, &to) {
                    (Ok(Some(f)), Ok(Some(t))) => Ok(Some((*f, *t))),
                    _ => Err(()),
                },
                Ok(_) => Ok(None),
                Err(()) => Err(()),
            };
            match range {
                Ok(Some((f, t))) => {
                    let wk: Vec<i64> = WELL_KNOWN_PORTS.iter().copied().filter(|p| f <= *p && *p <= t).collect();
                    o.put("ports", json!({"from": f, "to": t})).put("well_known_ports", wk);
                }
                Ok(None) => {
                    o.put("ports", J::Null).put("well_known_ports", json!([]));
                }
                Err(()) => {
                    o.unknown("ports").unknown("well_known_ports");
                }
            }
            o.put("source_kind", kind);
            let open = match (&src, kind) {
                (Some(s), "cidr_ipv4" | "cidr_ipv6") => Some(s.ends_with("/0")),
                (Some(_), _) => Some(false),
                (None, "cidr_ipv4" | "cidr_ipv6" | "prefix_list") => None,
                (None, _) => Some(false),
            };
            o.opt("source", src.clone());
            o.opt("open_to_internet", open);
            let _ = o.string("description", description, None);
            let key = (
                dir.to_string(),
                protocol.clone().ok().flatten().unwrap_or_else(|| "?".into()),
                from.ok().flatten(),
                to.ok().flatten(),
                kind.to_string(),
                src,
            );
            Atom { key, specificity, managed, value: o.finish() }
        })
        .collect()
}

// ---------------------------------------------------------------------------------------
// RDS.

fn rds_instances(resources: &[Resource], view: View) -> Vec<JoinedView> {
    let groups: Vec<&Resource> = resources.iter().filter(|r| r.rtype == "aws_db_parameter_group").collect();
    let mut index = Index::default();
    for (i, r) in groups.iter().enumerate() {
        index.add(i, r, &["name", "arn"]);
    }
    resources
        .iter()
        .filter(|r| r.rtype == "aws_db_instance")
        .map(|r| {
            let group = index.find(r.attributes.get("parameter_group_name")).map(|i| groups[i]);
            rds_instance(r, group, view)
        })
        .collect()
}

fn rds_instance(r: &Resource, group: Option<&Resource>, view: View) -> JoinedView {
    let a = |k: &str| attr(r, k, view);
    let mut o = head("rds_instance", r, view);
    let ident = a("identifier").string(None).ok().flatten().unwrap_or_else(|| r.id.clone());
    o.put("identifier", ident.as_str()).put("name", ident);
    for k in ["engine", "engine_version", "instance_class", "db_subnet_group_name", "parameter_group_name"] {
        let _ = o.string(k, a(k), None);
    }
    let replica = match a("replicate_source_db").string(None) {
        Ok(s) => {
            o.put("replicate_source_db", s.clone().map(J::String).unwrap_or(J::Null));
            Some(s.is_some())
        }
        Err(()) => {
            o.unknown("replicate_source_db");
            None
        }
    };
    o.opt("is_replica", replica);
    // A replica inherits its source's encryption when the attribute is omitted.
    match (a("storage_encrypted"), replica) {
        (F::Default, Some(true)) => {
            o.unknown("storage_encrypted");
        }
        (f, _) => {
            o.bool("storage_encrypted", f, false);
        }
    }
    let _ = o.string("kms_key_id", a("kms_key_id"), None);
    o.int("backup_retention_period", a("backup_retention_period"), Some(0));
    o.bool("deletion_protection", a("deletion_protection"), false);
    o.bool("publicly_accessible", a("publicly_accessible"), false);
    o.bool("multi_az", a("multi_az"), false);
    o.strings("enabled_cloudwatch_logs_exports", a("enabled_cloudwatch_logs_exports"));
    o.bool("iam_database_authentication_enabled", a("iam_database_authentication_enabled"), false);
    o.bool("auto_minor_version_upgrade", a("auto_minor_version_upgrade"), true);
    o.bool("performance_insights_enabled", a("performance_insights_enabled"), false);
    o.bool("copy_tags_to_snapshot", a("copy_tags_to_snapshot"), false);
    rds_common(&mut o, r, group, view, "parameter_group_name");
    joined("rds_instance", r, o)
}

fn rds_clusters(resources: &[Resource], view: View) -> Vec<JoinedView> {
    let of = |t: &str| -> Vec<&Resource> { resources.iter().filter(|r| r.rtype == t).collect() };
    let (clusters, groups) = (of("aws_rds_cluster"), of("aws_rds_cluster_parameter_group"));
    let (mut by_cluster, mut by_group) = (Index::default(), Index::default());
    for (i, r) in clusters.iter().enumerate() {
        by_cluster.add(i, r, &["cluster_identifier", "arn"]);
    }
    for (i, r) in groups.iter().enumerate() {
        by_group.add(i, r, &["name", "arn"]);
    }
    let mut members: Vec<Vec<&Resource>> = vec![Vec::new(); clusters.len()];
    for r in resources.iter().filter(|r| r.rtype == "aws_rds_cluster_instance") {
        if let Some(i) = by_cluster.find(r.attributes.get("cluster_identifier")) {
            members[i].push(r);
        }
    }
    clusters
        .iter()
        .zip(members)
        .map(|(r, members)| {
            let group = by_group.find(r.attributes.get("db_cluster_parameter_group_name")).map(|i| groups[i]);
            rds_cluster(r, &members, group, view)
        })
        .collect()
}

fn rds_cluster(r: &Resource, members: &[&Resource], group: Option<&Resource>, view: View) -> JoinedView {
    let a = |k: &str| attr(r, k, view);
    let mut o = head("rds_cluster", r, view);
    let ident = a("cluster_identifier").string(None).ok().flatten().unwrap_or_else(|| r.id.clone());
    o.put("cluster_identifier", ident.as_str()).put("name", ident);
    for k in [
        "engine",
        "engine_version",
        "db_cluster_instance_class",
        "db_subnet_group_name",
        "db_cluster_parameter_group_name",
    ] {
        let _ = o.string(k, a(k), None);
    }
    let mode = o.string("engine_mode", a("engine_mode"), Some("provisioned"));
    let replica = match a("replication_source_identifier").string(None) {
        Ok(s) => Some(s.is_some()),
        Err(()) => None,
    };
    o.opt("is_replica", replica);
    // Provider default: encrypted for serverless (v1), not for provisioned.
    match (a("storage_encrypted"), mode) {
        (F::Default, Ok(m)) => {
            o.put("storage_encrypted", m.as_deref() == Some("serverless"));
        }
        (F::Default, Err(())) => {
            o.unknown("storage_encrypted");
        }
        (f, _) => {
            o.bool("storage_encrypted", f, false);
        }
    }
    let _ = o.string("kms_key_id", a("kms_key_id"), None);
    o.int("backup_retention_period", a("backup_retention_period"), Some(1));
    o.bool("deletion_protection", a("deletion_protection"), false);
    o.strings("enabled_cloudwatch_logs_exports", a("enabled_cloudwatch_logs_exports"));
    o.bool("iam_database_authentication_enabled", a("iam_database_authentication_enabled"), false);
    o.bool("copy_tags_to_snapshot", a("copy_tags_to_snapshot"), false);
    rds_common(&mut o, r, group, view, "db_cluster_parameter_group_name");
    // Members: `publicly_accessible` lives on them; Multi-AZ is their topology.
    let mut list = Vec::new();
    let mut azs = Vec::new();
    let mut az_unknown = false;
    for m in members {
        let mut mo = Obj::default();
        mo.put("address", m.address.clone().map(J::String).unwrap_or(J::Null)).put("id", m.id.as_str());
        mo.bool("publicly_accessible", attr(m, "publicly_accessible", view), false);
        match attr(m, "availability_zone", view).string(None) {
            Ok(z) => {
                if let Some(z) = &z {
                    azs.push(z.clone());
                }
                mo.put("availability_zone", z.map(J::String).unwrap_or(J::Null));
            }
            Err(()) => {
                az_unknown = true;
                mo.unknown("availability_zone");
            }
        }
        list.push(mo.finish());
    }
    o.put("instances", J::Array(list));
    azs.sort();
    azs.dedup();
    // A Multi-AZ DB cluster (`db_cluster_instance_class`) spans three AZs by construction;
    // Aurora needs two or more members, which RDS places in different AZs unless pinned.
    let multi_az_cluster = matches!(a("db_cluster_instance_class").string(None), Ok(Some(_)));
    let pinned_same =
        azs.len() == 1 && !az_unknown && members.iter().all(|m| m.attributes.contains_key("availability_zone"));
    let multi = if multi_az_cluster {
        Some(true)
    } else if members.len() >= 2 && !pinned_same {
        Some(true)
    } else if (members.len() >= 2 && az_unknown) || !join_is_complete("aws_rds_cluster_instance", view) {
        None
    } else {
        Some(false)
    };
    o.opt("multi_az", multi);
    joined("rds_cluster", r, o)
}

/// What instances and clusters share: the key kind and TLS enforcement through the
/// parameter group.
fn rds_common(o: &mut Obj, r: &Resource, group: Option<&Resource>, view: View, group_attr: &str) {
    let key = attr(r, "kms_key_id", view).string(None);
    let cmk = match &key {
        Ok(None) => Some(false),
        Ok(Some(k)) => Some(!k.contains("alias/aws/")),
        Err(()) => None,
    };
    o.opt("customer_managed_key", cmk);
    let engine = attr(r, "engine", view).string(None);
    let version = attr(r, "engine_version", view).string(None);
    let mut tls = Obj::default();
    setting_origin(&mut tls, r, group);
    let named = !matches!(attr(r, group_attr, view).string(None), Ok(None));
    tls.put("parameter_group_declared", group.is_some());
    // The parameter that forces TLS, by engine family.
    let param = match engine.as_ref().map(|e| e.as_deref().unwrap_or("")) {
        Ok(e) if e.contains("postgres") || e.starts_with("sqlserver") => Some("rds.force_ssl"),
        Ok(e) if e.contains("mysql") || e.contains("mariadb") => Some("require_secure_transport"),
        _ => None,
    };
    tls.put("parameter", param.map(J::from).unwrap_or(J::Null));
    let value = match (group, param) {
        (Some(g), Some(p)) => match attr(g, "parameter", view).elements() {
            Ok(ps) => {
                let hit = ps.iter().find(|x| x.get("name").and_then(Value::as_str) == Some(p));
                match hit.and_then(|x| x.get("value")) {
                    Some(Value::String(v)) => Ok(Some(v.clone())),
                    Some(Value::Number(n)) => Ok(Some(n.to_string())),
                    Some(Value::Bool(b)) => Ok(Some(if *b { "1" } else { "0" }.to_string())),
                    Some(_) => Err(()),
                    None => Ok(None),
                }
            }
            Err(()) => Err(()),
        },
        _ => Ok(None),
    };
    // Unset parameter: the engine default. RDS for PostgreSQL 15 and later defaults
    // `rds.force_ssl` to 1 (an omitted `engine_version` is the current major, >= 15);
    // MySQL, MariaDB, SQL Server and older PostgreSQL default to off.
    let postgres_default_on = |v: &Result<Option<String>, ()>| match v {
        Ok(None) => Some(true),
        Ok(Some(v)) => v.split('.').next().and_then(|m| m.parse::<u32>().ok()).map(|m| m >= 15),
        Err(()) => None,
    };
    let enforced = match (param, &value) {
        (None, _) => match &engine {
            Ok(_) => Some(false),
            Err(()) => None,
        },
        (Some(_), Err(())) => None,
        (Some(_), Ok(Some(v))) => Some(matches!(v.to_ascii_lowercase().as_str(), "1" | "on" | "true")),
        (Some(_), Ok(None)) if group.is_none() && named => {
            // A named group we cannot see (another stack): only its contents would tell.
            None
        }
        (Some("rds.force_ssl"), Ok(None))
            if engine.as_ref().is_ok_and(|e| e.as_deref().is_some_and(|e| e.contains("postgres"))) =>
        {
            postgres_default_on(&version)
        }
        (Some(_), Ok(None)) => Some(false),
    };
    tls.put("value", value.clone().ok().flatten().map(J::String).unwrap_or(J::Null));
    tls.opt("enforced", enforced);
    o.put("tls", tls.finish());
}

// ---------------------------------------------------------------------------------------
// KMS.

fn kms_keys(resources: &[Resource], view: View) -> Vec<JoinedView> {
    let keys: Vec<&Resource> = resources.iter().filter(|r| r.rtype == "aws_kms_key").collect();
    let mut index = Index::default();
    for (i, r) in keys.iter().enumerate() {
        index.add(i, r, &["key_id", "arn"]);
    }
    let mut policies: Vec<Option<&Resource>> = vec![None; keys.len()];
    for r in resources.iter().filter(|r| r.rtype == "aws_kms_key_policy") {
        if let Some(i) = index.find(r.attributes.get("key_id")) {
            policies[i] = preferred(&[policies[i], Some(r)].into_iter().flatten().collect::<Vec<_>>());
        }
    }
    let mut aliases: Vec<Vec<String>> = vec![Vec::new(); keys.len()];
    for r in resources.iter().filter(|r| r.rtype == "aws_kms_alias") {
        let target = r.attributes.get("target_key_id").or(r.attributes.get("target_key_arn"));
        if let Some(i) = index.find(target) {
            let name = r.attributes.get("name").and_then(Value::as_str).unwrap_or(&r.id);
            aliases[i].push(name.to_string());
        }
    }
    keys.iter()
        .zip(aliases)
        .zip(policies)
        .map(|((r, mut aliases), policy_resource)| {
            let a = |k: &str| attr(r, k, view);
            let mut o = head("kms_key", r, view);
            let key_id = a("key_id").string(None).ok().flatten().unwrap_or_else(|| r.id.clone());
            o.put("key_id", key_id);
            aliases.sort();
            aliases.dedup();
            if let Some(first) = aliases.first() {
                o.put("name", first.as_str());
            }
            o.put("aliases", aliases);
            let _ = o.string("description", a("description"), None);
            o.put("aws_managed", r.aws_default);
            let spec = o.string("customer_master_key_spec", a("customer_master_key_spec"), Some("SYMMETRIC_DEFAULT"));
            let _ = o.string("key_usage", a("key_usage"), Some("ENCRYPT_DECRYPT"));
            let store = o.string("custom_key_store_id", a("custom_key_store_id"), None);
            // Automatic rotation exists only for customer-managed symmetric keys with key
            // material in KMS (not asymmetric, HMAC, or custom key stores).
            let applicable = match (r.aws_default, spec, store) {
                (true, ..) => Some(false),
                (false, Ok(s), Ok(st)) => Some(s.as_deref() == Some("SYMMETRIC_DEFAULT") && st.is_none()),
                _ => None,
            };
            o.opt("rotation_applicable", applicable);
            let rotation = o.bool("enable_key_rotation", a("enable_key_rotation"), false);
            // 0 or unset: AWS's default period, 365 days.
            match a("rotation_period_in_days").int(None) {
                Ok(p) => {
                    let p = p.filter(|p| *p > 0).unwrap_or(365);
                    o.put("rotation_period_in_days", if rotation == Some(false) { J::Null } else { J::from(p) });
                }
                Err(()) => {
                    o.unknown("rotation_period_in_days");
                }
            }
            o.int("deletion_window_in_days", a("deletion_window_in_days"), Some(30));
            o.bool("is_enabled", a("is_enabled"), true);
            o.bool("multi_region", a("multi_region"), false);
            // `aws_kms_key_policy` replaces the key's own `policy` argument.
            let mut p = Obj::default();
            setting_origin(&mut p, r, policy_resource);
            let f = match policy_resource {
                Some(pr) => attr(pr, "policy", view),
                None => a("policy"),
            };
            match parse_policy(f) {
                Ok(d) => {
                    let public = d.as_ref().map(allows_public).unwrap_or(false);
                    p.put("document", d.unwrap_or(J::Null)).put("public", public);
                }
                Err(()) => {
                    p.unknown("document").unknown("public");
                }
            }
            o.put("policy", p.finish());
            joined("kms_key", r, o)
        })
        .collect()
}

// ---------------------------------------------------------------------------------------
// EC2.

fn ebs_volume(r: &Resource, view: View) -> JoinedView {
    let a = |k: &str| attr(r, k, view);
    let mut o = head("ebs_volume", r, view);
    let _ = o.string("availability_zone", a("availability_zone"), None);
    o.int("size", a("size"), None);
    let _ = o.string("volume_type", a("type"), Some("gp2"));
    let snapshot = o.string("snapshot_id", a("snapshot_id"), None);
    // Omitted: a volume from a snapshot inherits its encryption; otherwise the account's
    // EBS default decides, which the baseline treats as not encrypted.
    match (a("encrypted"), snapshot) {
        (F::Default, Ok(Some(_)) | Err(())) => {
            o.unknown("encrypted");
        }
        (f, _) => {
            o.bool("encrypted", f, false);
        }
    }
    let _ = o.string("kms_key_id", a("kms_key_id"), None);
    o.bool("multi_attach_enabled", a("multi_attach_enabled"), false);
    joined("ebs_volume", r, o)
}

fn ec2_instances(resources: &[Resource], view: View) -> Vec<JoinedView> {
    let subnets: Vec<&Resource> = resources.iter().filter(|r| r.rtype == "aws_subnet").collect();
    let mut index = Index::default();
    for (i, r) in subnets.iter().enumerate() {
        index.add(i, r, &["id", "arn"]);
    }
    resources
        .iter()
        .filter(|r| r.rtype == "aws_instance")
        .map(|r| {
            let a = |k: &str| attr(r, k, view);
            let mut o = head("ec2_instance", r, view);
            for k in ["ami", "instance_type", "subnet_id", "iam_instance_profile", "key_name"] {
                let _ = o.string(k, a(k), None);
            }
            o.strings("vpc_security_group_ids", a("vpc_security_group_ids"));
            // Omitted: the subnet's `map_public_ip_on_launch` decides.
            let explicit = a("associate_public_ip_address");
            o.opt(
                "associate_public_ip_address",
                match explicit {
                    F::Default => Some(J::Null),
                    f => f.bool(false).map(J::Bool),
                },
            );
            let public = match explicit {
                F::Default => index
                    .find(r.attributes.get("subnet_id"))
                    .and_then(|i| attr(subnets[i], "map_public_ip_on_launch", view).bool(false)),
                f => f.bool(false),
            };
            o.opt("public_ip_on_launch", public);
            o.put("metadata_options", metadata_options(a("metadata_options")));
            o.put("root_block_device", block_device(a("root_block_device")));
            match a("ebs_block_device").elements() {
                Ok(devs) => {
                    o.put("ebs_block_devices", J::Array(devs.iter().map(|d| block_device(F::of(Some(d)))).collect()))
                }
                Err(()) => o.unknown("ebs_block_devices"),
            };
            o.bool("monitoring", a("monitoring"), false);
            joined("ec2_instance", r, o)
        })
        .collect()
}

/// Instance metadata service settings (instances and launch templates share the block).
fn metadata_options(md: F) -> J {
    let mut m = Obj::default();
    let tokens = m.string("http_tokens", md.field("http_tokens"), Some("optional"));
    let endpoint = m.string("http_endpoint", md.field("http_endpoint"), Some("enabled"));
    m.int("http_put_response_hop_limit", md.field("http_put_response_hop_limit"), Some(1));
    let v2 = match (tokens, endpoint) {
        (Ok(t), Ok(e)) => Some(t.as_deref() == Some("required") || e.as_deref() == Some("disabled")),
        (Ok(t), _) if t.as_deref() == Some("required") => Some(true),
        (_, Ok(e)) if e.as_deref() == Some("disabled") => Some(true),
        _ => None,
    };
    m.opt("imdsv2_required", v2);
    m.finish()
}

fn launch_template(r: &Resource, view: View) -> JoinedView {
    let a = |k: &str| attr(r, k, view);
    let mut o = head("launch_template", r, view);
    if let Ok(Some(n)) = a("name").string(None) {
        o.put("name", n);
    }
    o.put("metadata_options", metadata_options(a("metadata_options")));
    joined("launch_template", r, o)
}

fn block_device(f: F) -> J {
    let mut d = Obj::default();
    let _ = d.string("device_name", f.field("device_name"), None);
    // An omitted root block device follows the AMI and the account's EBS default; the
    // baseline treats that as not encrypted.
    d.bool("encrypted", f.field("encrypted"), false);
    let _ = d.string("kms_key_id", f.field("kms_key_id"), None);
    let _ = d.string("volume_type", f.field("volume_type"), None);
    d.int("volume_size", f.field("volume_size"), None);
    d.finish()
}

fn ebs_default(r: &Resource, view: View) -> JoinedView {
    let mut o = head("ebs_encryption_by_default", r, view);
    o.bool("enabled", attr(r, "enabled", view), true);
    joined("ebs_encryption_by_default", r, o)
}

fn s3_account_pab(r: &Resource, view: View) -> JoinedView {
    let mut o = head("s3_account_public_access_block", r, view);
    let _ = o.string("account_id", attr(r, "account_id", view), None);
    let mut all = Some(true);
    for k in ["block_public_acls", "block_public_policy", "ignore_public_acls", "restrict_public_buckets"] {
        all = match (all, o.bool(k, attr(r, k, view), false)) {
            (Some(false), _) | (_, Some(false)) => Some(false),
            (Some(true), Some(true)) => Some(true),
            _ => None,
        };
    }
    o.opt("all", all);
    joined("s3_account_public_access_block", r, o)
}

/// Policy statements as a list (a single statement may be an object).
fn statements(doc: &J) -> Vec<J> {
    list_of(doc.get("Statement"))
}

fn list_of(v: Option<&J>) -> Vec<J> {
    match v {
        Some(J::Array(a)) => a.clone(),
        Some(J::Null) | None => vec![],
        Some(v) => vec![v.clone()],
    }
}

/// An `Allow` statement for every principal (`"*"`, `{"AWS": "*"}`) without a `Condition`.
fn allows_public(doc: &J) -> bool {
    statements(doc).iter().any(|s| {
        let allow = s.get("Effect").and_then(J::as_str) == Some("Allow");
        let everyone = match s.get("Principal") {
            Some(J::String(p)) => p == "*",
            Some(J::Object(m)) => list_of(m.get("AWS")).iter().any(|p| p.as_str() == Some("*")),
            _ => false,
        };
        let conditioned = s.get("Condition").is_some_and(|c| c.as_object().is_some_and(|m| !m.is_empty()));
        allow && everyone && !conditioned
    })
}

fn subnet(r: &Resource, view: View) -> JoinedView {
    let a = |k: &str| attr(r, k, view);
    let mut o = head("subnet", r, view);
    for k in ["vpc_id", "cidr_block", "availability_zone"] {
        let _ = o.string(k, a(k), None);
    }
    o.put("is_default", r.aws_default);
    o.bool("map_public_ip_on_launch", a("map_public_ip_on_launch"), false);
    o.bool("assign_ipv6_address_on_creation", a("assign_ipv6_address_on_creation"), false);
    joined("subnet", r, o)
}

fn vpcs(resources: &[Resource], view: View) -> Vec<JoinedView> {
    let vpcs: Vec<&Resource> = resources.iter().filter(|r| r.rtype == "aws_vpc").collect();
    let mut index = Index::default();
    for (i, r) in vpcs.iter().enumerate() {
        index.add(i, r, &["id", "arn"]);
    }
    let mut logs: Vec<Vec<&Resource>> = vec![Vec::new(); vpcs.len()];
    for r in resources.iter().filter(|r| r.rtype == "aws_flow_log") {
        if let Some(i) = index.find(r.attributes.get("vpc_id")) {
            logs[i].push(r);
        }
    }
    vpcs.iter().zip(logs).map(|(r, logs)| vpc(r, &logs, view)).collect()
}

fn vpc(r: &Resource, logs: &[&Resource], view: View) -> JoinedView {
    let a = |k: &str| attr(r, k, view);
    let mut o = head("vpc", r, view);
    let _ = o.string("cidr_block", a("cidr_block"), None);
    o.put("is_default", r.aws_default);
    o.bool("enable_dns_support", a("enable_dns_support"), true);
    o.bool("enable_dns_hostnames", a("enable_dns_hostnames"), false);
    let _ = o.string("instance_tenancy", a("instance_tenancy"), Some("default"));
    let _ = o.string("default_security_group_id", a("default_security_group_id"), None);
    let mut all = Some(false);
    let mut list = Vec::new();
    for l in logs {
        let mut lo = Obj::default();
        lo.put("address", l.address.clone().map(J::String).unwrap_or(J::Null)).put("id", l.id.as_str());
        let traffic = lo.string("traffic_type", attr(l, "traffic_type", view), None);
        let dest = lo.string("log_destination_type", attr(l, "log_destination_type", view), Some("cloud-watch-logs"));
        // The destination is `log_destination` (an ARN), or the legacy `log_group_name`.
        let target = match (attr(l, "log_destination", view).string(None), attr(l, "log_group_name", view).string(None))
        {
            (Ok(Some(_)), _) | (_, Ok(Some(_))) => Some(true),
            (Ok(None), Ok(None)) => Some(false),
            _ => None,
        };
        lo.opt("has_destination", target);
        let ok = match (traffic, dest, target) {
            (Ok(t), Ok(_), Some(d)) => Some(t.as_deref() == Some("ALL") && d),
            _ => None,
        };
        lo.opt("captures_all", ok);
        all = match (all, ok) {
            (Some(true), _) | (_, Some(true)) => Some(true),
            (Some(false), Some(false)) => Some(false),
            _ => None,
        };
        list.push(lo.finish());
    }
    o.put("flow_logs", J::Array(list));
    let all = if join_is_complete("aws_flow_log", view) { all } else { all.filter(|a| *a) };
    o.opt("flow_logs_capture_all", all);
    joined("vpc", r, o)
}

//! `aws_eks_cluster`: ListClusters (shared, paginated) then one DescribeCluster per cluster.
//!
//! Follows the provider's read: `vpc_config` with its computed VPC and cluster security
//! group (absent strings `""`, absent booleans `false`), `enabled_cluster_log_types` from the
//! enabled log setups, `access_config` with the authentication mode, every optional block
//! (`kubernetes_network_config`, `compute_config`, `storage_config`, `upgrade_policy`,
//! `zonal_shift_config`, `remote_network_config`, `outpost_config`) as an empty list when
//! EKS answers none.
//!
//! Left Unknown: `access_config[0].bootstrap_cluster_creator_admin_permissions` (EKS never
//! returns it; the provider keeps the configured value), `bootstrap_self_managed_addons` and
//! `force_update_version` (configuration only).

use aws_sdk_eks::types::Cluster;
use futures::{FutureExt, StreamExt, TryStreamExt};
use serde_json::Value as J;

use super::{cluster_names, not_found, set, tags};
use crate::aws::errors::read_error;
use crate::aws::event::{Event, W, Written, first, value};
use crate::aws::view::*;
use crate::aws::{Ctx, FetchResult, Identity, Read, ResourceType, ViewDef};
use crate::model::{Resource, Value, View};

const TYPES: &[&str] = &["aws_eks_cluster"];

pub static TYPE: ResourceType = ResourceType {
    read: Some(Read { fetch: |ctx| fetch(ctx).boxed(), global: false }),
    identity: Identity::arn("eks", "cluster/", &["name"]),
    events: &[
        Event::create("eks", "CreateCluster", &["name", "clusterName", "@cluster.name"]).writing(&[
            W::Param("role_arn", "roleArn"),
            W::Param("version", "version"),
            W::Custom(vpc_config),
            W::Custom(logging),
            W::Custom(access_config),
            W::Touch("encryption_config"),
            W::Custom(super::tag_map),
        ]),
        Event::delete("eks", "DeleteCluster", &["name", "clusterName"]),
        Event::modify("eks", "UpdateClusterConfig", &["name", "clusterName"]).writing(&[
            W::Custom(vpc_config),
            W::Custom(logging),
            W::Custom(access_config),
            W::Param("upgrade_policy[0].support_type", "upgradePolicy.supportType"),
            W::Param("zonal_shift_config[0].enabled", "zonalShiftConfig.enabled"),
            W::Custom(kubernetes_network_config),
        ]),
        Event::modify("eks", "UpdateClusterVersion", &["name", "clusterName"])
            .writing(&[W::Param("version", "version")]),
        Event::modify("eks", "AssociateEncryptionConfig", &["clusterName", "name"])
            .writing(&[W::Touch("encryption_config")]),
        super::TAG_RESOURCE,
        super::UNTAG_RESOURCE,
    ],
    view: Some(&VIEW),
    ..ResourceType::base("aws_eks_cluster", "eks")
};

async fn fetch(ctx: &Ctx) -> FetchResult {
    let eks = ctx.client::<aws_sdk_eks::Client>();
    let eks = &eks;
    let names = cluster_names(ctx, TYPES).await?;
    let found: Vec<Option<Resource>> = futures::stream::iter(names)
        .map(|name| async move {
            let _p = ctx.permit("eks").await;
            match eks.describe_cluster().name(&name).send().await {
                Ok(out) => Ok(out.cluster().map(|c| map(c, &ctx.region, &ctx.account))),
                Err(e) if not_found(&e) => Ok(None),
                Err(e) => Err(read_error("eks", &ctx.region, TYPES, e)),
            }
        })
        .buffer_unordered(ctx.limit("eks"))
        .try_collect()
        .await?;
    Ok(found.into_iter().flatten().collect())
}

/// Pure mapping from the SDK's `Cluster` to provider v5 attributes.
// `EncryptionConfig::resources` is deprecated in the SDK (EKS now encrypts all API data
// with its own key), but it is what the provider stores and what HS-EKS-001 reads.
#[allow(deprecated)]
pub fn map(c: &Cluster, region: &str, account: &str) -> Resource {
    let name = c.name().unwrap_or_default();
    let arn = c.arn().map(str::to_string).unwrap_or_else(|| format!("arn:aws:eks:{region}:{account}:cluster/{name}"));
    let mut r = Resource::live("aws_eks_cluster", name, region, account, Some(arn.clone()))
        .with("id", name)
        .with("arn", arn)
        .with("name", name)
        .with("role_arn", c.role_arn().unwrap_or_default())
        .with("version", c.version().unwrap_or_default())
        .with("platform_version", c.platform_version().unwrap_or_default())
        .with("status", c.status().map(|s| s.as_str()).unwrap_or_default())
        .with("endpoint", c.endpoint().unwrap_or_default())
        .with("tags", tags(c.tags()));

    let vpc = match c.resources_vpc_config() {
        Some(v) => Value::block([
            ("cluster_security_group_id", Value::str(v.cluster_security_group_id().unwrap_or_default())),
            ("endpoint_private_access", Value::Bool(v.endpoint_private_access())),
            ("endpoint_public_access", Value::Bool(v.endpoint_public_access())),
            ("public_access_cidrs", set(v.public_access_cidrs().iter().map(String::as_str))),
            ("security_group_ids", set(v.security_group_ids().iter().map(String::as_str))),
            ("subnet_ids", set(v.subnet_ids().iter().map(String::as_str))),
            ("vpc_id", Value::str(v.vpc_id().unwrap_or_default())),
        ]),
        None => Value::List(Vec::new()),
    };
    r.set("vpc_config", vpc);

    let enabled = c
        .logging()
        .map(|l| l.cluster_logging())
        .unwrap_or_default()
        .iter()
        .filter(|s| s.enabled().unwrap_or(false))
        .flat_map(|s| s.types().iter().map(|t| t.as_str()));
    r.set("enabled_cluster_log_types", set(enabled));

    r.set(
        "encryption_config",
        Value::List(
            c.encryption_config()
                .iter()
                .map(|e| {
                    Value::object([
                        (
                            "provider",
                            match e.provider() {
                                Some(p) => Value::block([("key_arn", Value::str(p.key_arn().unwrap_or_default()))]),
                                None => Value::List(Vec::new()),
                            },
                        ),
                        ("resources", set(e.resources().iter().map(String::as_str))),
                    ])
                })
                .collect(),
        ),
    );

    // `bootstrap_cluster_creator_admin_permissions` is never returned: left out, so Unknown.
    r.set(
        "access_config",
        match c.access_config() {
            Some(a) => Value::block([(
                "authentication_mode",
                Value::str(a.authentication_mode().map(|m| m.as_str()).unwrap_or_default()),
            )]),
            None => Value::List(Vec::new()),
        },
    );

    r.set(
        "kubernetes_network_config",
        match c.kubernetes_network_config() {
            Some(k) => Value::block([
                (
                    "elastic_load_balancing",
                    match k.elastic_load_balancing() {
                        Some(e) => Value::block([("enabled", Value::Bool(e.enabled().unwrap_or(false)))]),
                        None => Value::List(Vec::new()),
                    },
                ),
                ("ip_family", Value::str(k.ip_family().map(|f| f.as_str()).unwrap_or_default())),
                ("service_ipv4_cidr", Value::str(k.service_ipv4_cidr().unwrap_or_default())),
                ("service_ipv6_cidr", Value::str(k.service_ipv6_cidr().unwrap_or_default())),
            ]),
            None => Value::List(Vec::new()),
        },
    );

    r.set(
        "compute_config",
        match c.compute_config() {
            Some(cc) => Value::block([
                ("enabled", Value::Bool(cc.enabled().unwrap_or(false))),
                ("node_pools", set(cc.node_pools().iter().map(String::as_str))),
                ("node_role_arn", Value::str(cc.node_role_arn().unwrap_or_default())),
            ]),
            None => Value::List(Vec::new()),
        },
    );

    r.set(
        "storage_config",
        match c.storage_config() {
            Some(s) => Value::block([(
                "block_storage",
                match s.block_storage() {
                    Some(b) => Value::block([("enabled", Value::Bool(b.enabled().unwrap_or(false)))]),
                    None => Value::List(Vec::new()),
                },
            )]),
            None => Value::List(Vec::new()),
        },
    );

    r.set(
        "upgrade_policy",
        match c.upgrade_policy() {
            Some(u) => {
                Value::block([("support_type", Value::str(u.support_type().map(|s| s.as_str()).unwrap_or_default()))])
            }
            None => Value::List(Vec::new()),
        },
    );

    r.set(
        "zonal_shift_config",
        match c.zonal_shift_config() {
            Some(z) => Value::block([("enabled", Value::opt_bool(z.enabled()))]),
            None => Value::List(Vec::new()),
        },
    );

    r.set(
        "remote_network_config",
        match c.remote_network_config() {
            Some(n) => {
                let nets = |cidrs: Vec<&[String]>| {
                    Value::List(
                        cidrs
                            .into_iter()
                            .map(|c| Value::object([("cidrs", set(c.iter().map(String::as_str)))]))
                            .collect(),
                    )
                };
                Value::block([
                    ("remote_node_networks", nets(n.remote_node_networks().iter().map(|x| x.cidrs()).collect())),
                    ("remote_pod_networks", nets(n.remote_pod_networks().iter().map(|x| x.cidrs()).collect())),
                ])
            }
            None => Value::List(Vec::new()),
        },
    );

    match c.outpost_config() {
        Some(o) => {
            r.set(
                "outpost_config",
                Value::block([
                    ("control_plane_instance_type", Value::str(o.control_plane_instance_type())),
                    (
                        "control_plane_placement",
                        match o.control_plane_placement() {
                            Some(p) => Value::block([("group_name", Value::str(p.group_name().unwrap_or_default()))]),
                            None => Value::List(Vec::new()),
                        },
                    ),
                    ("outpost_arns", set(o.outpost_arns().iter().map(String::as_str))),
                ]),
            );
            // Only meaningful for clusters on Outposts.
            r.set("cluster_id", c.id().unwrap_or_default());
        }
        None => r.set("outpost_config", Value::List(Vec::new())),
    }
    r
}

// -- events ---------------------------------------------------------------------------------

/// `resourcesVpcConfig`: each field the request names.
fn vpc_config(req: &J, _resp: &J, out: &mut Vec<Written>) {
    let Some(v) = req.get("resourcesVpcConfig").filter(|v| v.is_object()) else { return };
    for (attr, key) in
        [("endpoint_public_access", "endpointPublicAccess"), ("endpoint_private_access", "endpointPrivateAccess")]
    {
        if let Some(x) = v.get(key).filter(|x| !x.is_null()) {
            out.push(Written::Set { path: format!("vpc_config[0].{attr}"), value: value(x) });
        }
    }
    for (attr, key) in [
        ("subnet_ids", "subnetIds"),
        ("security_group_ids", "securityGroupIds"),
        ("public_access_cidrs", "publicAccessCidrs"),
    ] {
        if let Some(J::Array(items)) = v.get(key) {
            let mut s: Vec<&str> = items.iter().filter_map(J::as_str).collect();
            s.sort_unstable();
            s.dedup();
            out.push(Written::Set { path: format!("vpc_config[0].{attr}"), value: Value::string_list(s) });
        }
    }
}

/// `logging.clusterLogging[]`: the enabled types (a request that names logging sets the
/// whole list).
fn logging(req: &J, _resp: &J, out: &mut Vec<Written>) {
    let Some(J::Array(setups)) = first(req, "logging.clusterLogging") else { return };
    let mut enabled: Vec<&str> = setups
        .iter()
        .filter(|s| s.get("enabled").and_then(J::as_bool).unwrap_or(false))
        .flat_map(|s| s.get("types").and_then(J::as_array).into_iter().flatten().filter_map(J::as_str))
        .collect();
    enabled.sort_unstable();
    enabled.dedup();
    out.push(Written::Set { path: "enabled_cluster_log_types".into(), value: Value::string_list(enabled) });
}

fn access_config(req: &J, _resp: &J, out: &mut Vec<Written>) {
    if let Some(m) = first(req, "accessConfig.authenticationMode") {
        out.push(Written::Set { path: "access_config[0].authentication_mode".into(), value: value(m) });
    }
}

fn kubernetes_network_config(req: &J, _resp: &J, out: &mut Vec<Written>) {
    if req.get("kubernetesNetworkConfig").is_some_and(|k| !k.is_null()) {
        out.push(Written::Touch { path: "kubernetes_network_config".into() });
    }
}

// -- view -----------------------------------------------------------------------------------

pub static VIEW: ViewDef =
    ViewDef { kind: "eks_cluster", build: |rs, v| each(rs, &["aws_eks_cluster"], v, eks_cluster) };

fn eks_cluster(r: &Resource, view: View) -> JoinedView {
    let a = |k: &str| attr(r, k, view);
    let mut o = head("eks_cluster", r, view);
    if let Ok(Some(n)) = a("name").string(None) {
        o.put("name", n);
    }
    let vc = a("vpc_config");
    let public = o.bool("endpoint_public_access", vc.field("endpoint_public_access"), true);
    o.bool("endpoint_private_access", vc.field("endpoint_private_access"), false);
    // Omitted: EKS allows every address.
    let cidrs = match vc.field("public_access_cidrs").strings() {
        Ok(c) if c.is_empty() => Ok(vec!["0.0.0.0/0".to_string()]),
        other => other,
    };
    match &cidrs {
        Ok(c) => o.put("public_access_cidrs", c.clone()),
        Err(()) => o.unknown("public_access_cidrs"),
    };
    let open = match (public, &cidrs) {
        (Some(false), _) => Some(false),
        (Some(true), Ok(c)) => Some(c.iter().any(|c| c == "0.0.0.0/0" || c == "::/0")),
        _ => None,
    };
    o.opt("public_to_internet", open);
    // Secrets envelope encryption: an `encryption_config` covering "secrets" with a key.
    let secrets = match a("encryption_config").elements() {
        Ok(cfgs) => {
            let mut acc = Some(false);
            for c in cfgs {
                let f = F::of(Some(c));
                let covers = f.field("resources").strings().map(|r| r.iter().any(|x| x == "secrets"));
                let key = f.field("provider").field("key_arn").string(None);
                acc = any(
                    acc,
                    match (covers, key) {
                        (Ok(c), Ok(k)) => Some(c && k.is_some()),
                        (Ok(false), _) => Some(false),
                        _ => None,
                    },
                );
            }
            acc
        }
        Err(()) => None,
    };
    o.opt("secrets_encrypted", secrets);
    o.strings("enabled_cluster_log_types", a("enabled_cluster_log_types"));
    joined("eks_cluster", r, o)
}

#[cfg(test)]
mod tests {
    use std::collections::HashMap;

    use aws_sdk_eks::types::{
        AccessConfigResponse, AuthenticationMode, ClusterStatus, EncryptionConfig, KubernetesNetworkConfigResponse,
        LogSetup, LogType, Logging, Provider, VpcConfigResponse,
    };

    use super::*;
    use crate::aws::event::of;

    #[allow(deprecated)]
    fn cluster() -> Cluster {
        Cluster::builder()
            .name("clinic")
            .arn("arn:aws:eks:us-east-1:123456789012:cluster/clinic")
            .version("1.31")
            .role_arn("arn:aws:iam::123456789012:role/eks")
            .status(ClusterStatus::Active)
            .platform_version("eks.4")
            .resources_vpc_config(
                VpcConfigResponse::builder()
                    .subnet_ids("subnet-b")
                    .subnet_ids("subnet-a")
                    .security_group_ids("sg-1")
                    .vpc_id("vpc-1")
                    .endpoint_public_access(false)
                    .endpoint_private_access(true)
                    .public_access_cidrs("0.0.0.0/0")
                    .build(),
            )
            .logging(
                Logging::builder()
                    .cluster_logging(
                        LogSetup::builder().types(LogType::Audit).types(LogType::Api).enabled(true).build(),
                    )
                    .cluster_logging(LogSetup::builder().types(LogType::Scheduler).enabled(false).build())
                    .build(),
            )
            .encryption_config(
                EncryptionConfig::builder()
                    .resources("secrets")
                    .provider(Provider::builder().key_arn("arn:aws:kms:us-east-1:123456789012:key/k").build())
                    .build(),
            )
            .access_config(
                AccessConfigResponse::builder().authentication_mode(AuthenticationMode::ApiAndConfigMap).build(),
            )
            .kubernetes_network_config(
                KubernetesNetworkConfigResponse::builder().service_ipv4_cidr("172.20.0.0/16").build(),
            )
            .set_tags(Some(HashMap::from([
                ("Team".to_string(), "platform".to_string()),
                ("aws:cloudformation:stack-name".to_string(), "x".to_string()),
            ])))
            .build()
    }

    #[test]
    fn maps_provider_attributes() {
        let r = map(&cluster(), "us-east-1", "123456789012");
        assert_eq!(r.id, "clinic");
        assert_eq!(r.attr_str("arn"), Some("arn:aws:eks:us-east-1:123456789012:cluster/clinic"));
        assert_eq!(r.attr_str("version"), Some("1.31"));
        assert_eq!(r.attr_str("role_arn"), Some("arn:aws:iam::123456789012:role/eks"));
        let vpc = r.attr("vpc_config");
        assert_eq!(vpc.get("endpoint_public_access"), Some(&Value::Bool(false)));
        assert_eq!(vpc.get("endpoint_private_access"), Some(&Value::Bool(true)));
        assert_eq!(vpc.get("subnet_ids"), Some(&Value::string_list(["subnet-a", "subnet-b"])));
        assert_eq!(vpc.get("public_access_cidrs"), Some(&Value::string_list(["0.0.0.0/0"])));
        assert_eq!(vpc.get("cluster_security_group_id"), Some(&Value::str("")));
        assert_eq!(r.attr("enabled_cluster_log_types"), &Value::string_list(["api", "audit"]));
        let enc = r.attr("encryption_config");
        assert_eq!(enc.get("resources"), Some(&Value::string_list(["secrets"])));
        assert_eq!(
            enc.get("provider").and_then(|p| p.get("key_arn")),
            Some(&Value::str("arn:aws:kms:us-east-1:123456789012:key/k"))
        );
        let access = r.attr("access_config");
        assert_eq!(access.get("authentication_mode"), Some(&Value::str("API_AND_CONFIG_MAP")));
        // Never returned by EKS: not read, so never drift.
        assert_eq!(access.get("bootstrap_cluster_creator_admin_permissions"), None);
        let knc = r.attr("kubernetes_network_config");
        assert_eq!(knc.get("service_ipv4_cidr"), Some(&Value::str("172.20.0.0/16")));
        assert_eq!(knc.get("ip_family"), Some(&Value::str("")));
        assert_eq!(r.attr("tags"), &Value::string_map([("Team", "platform")]));
        assert_eq!(r.attr("upgrade_policy"), &Value::List(vec![]));
        assert_eq!(r.attr("outpost_config"), &Value::List(vec![]));
        assert_eq!(r.attr("bootstrap_self_managed_addons"), &Value::Unknown);
    }

    #[test]
    fn a_bare_cluster_reads_as_empty_blocks() {
        let r = map(&Cluster::builder().name("bare").build(), "us-east-1", "123456789012");
        assert_eq!(r.attr_str("arn"), Some("arn:aws:eks:us-east-1:123456789012:cluster/bare"));
        assert_eq!(r.attr("vpc_config"), &Value::List(vec![]));
        assert_eq!(r.attr("encryption_config"), &Value::List(vec![]));
        assert_eq!(r.attr("enabled_cluster_log_types"), &Value::List(vec![]));
        assert_eq!(r.attr("tags"), &Value::Map(Default::default()));
    }

    #[test]
    fn live_view_judges_the_endpoint_and_encryption() {
        let r = map(&cluster(), "us-east-1", "123456789012");
        let v = eks_cluster(&r, View::Live).value;
        assert_eq!(v["endpoint_public_access"], false);
        assert_eq!(v["public_to_internet"], false);
        assert_eq!(v["secrets_encrypted"], true);
        assert_eq!(v["enabled_cluster_log_types"], serde_json::json!(["api", "audit"]));
        assert_eq!(v["unknown"], serde_json::json!([]));
    }

    #[test]
    fn update_cluster_config_writes_what_the_request_names() {
        let e = of("aws_eks_cluster", "eks", "UpdateClusterConfig");
        let req = serde_json::json!({
            "name": "clinic",
            "resourcesVpcConfig": {"endpointPublicAccess": true, "endpointPrivateAccess": false},
            "clientRequestToken": "t"
        });
        assert_eq!(e.identifiers(&req, &J::Null), vec!["clinic"]);
        let w = e.writes(&req, &J::Null);
        assert_eq!(
            w,
            vec![
                Written::Set { path: "vpc_config[0].endpoint_public_access".into(), value: Value::Bool(true) },
                Written::Set { path: "vpc_config[0].endpoint_private_access".into(), value: Value::Bool(false) },
            ]
        );
        let req = serde_json::json!({
            "name": "clinic",
            "logging": {"clusterLogging": [
                {"types": ["api", "audit"], "enabled": true},
                {"types": ["scheduler"], "enabled": false}
            ]}
        });
        assert_eq!(
            e.writes(&req, &J::Null),
            vec![Written::Set {
                path: "enabled_cluster_log_types".into(),
                value: Value::string_list(["api", "audit"])
            }]
        );
        let req = serde_json::json!({"name": "clinic", "accessConfig": {"authenticationMode": "API"}});
        assert_eq!(
            e.writes(&req, &J::Null),
            vec![Written::Set { path: "access_config[0].authentication_mode".into(), value: Value::str("API") }]
        );
    }

    #[test]
    fn create_delete_version_and_tags() {
        let create = of("aws_eks_cluster", "eks", "CreateCluster");
        let req = serde_json::json!({
            "name": "clinic",
            "version": "1.31",
            "roleArn": "arn:aws:iam::1:role/eks",
            "resourcesVpcConfig": {"subnetIds": ["subnet-b", "subnet-a"], "endpointPublicAccess": false},
            "tags": {"Team": "platform"}
        });
        let resp = serde_json::json!({"cluster": {"name": "clinic", "arn": "arn:aws:eks:us-east-1:1:cluster/clinic"}});
        assert_eq!(create.identifiers(&req, &resp), vec!["clinic", "clinic"]);
        let w = create.writes(&req, &resp);
        assert!(w.contains(&Written::Set { path: "version".into(), value: Value::str("1.31") }));
        assert!(w.contains(&Written::Set {
            path: "vpc_config[0].subnet_ids".into(),
            value: Value::string_list(["subnet-a", "subnet-b"])
        }));
        assert!(w.contains(&Written::Set { path: "tags.Team".into(), value: Value::str("platform") }));
        let delete = of("aws_eks_cluster", "eks", "DeleteCluster");
        assert_eq!(delete.identifiers(&serde_json::json!({"name": "clinic"}), &J::Null), vec!["clinic"]);
        let version = of("aws_eks_cluster", "eks", "UpdateClusterVersion");
        assert_eq!(
            version.writes(&serde_json::json!({"name": "clinic", "version": "1.32"}), &J::Null),
            vec![Written::Set { path: "version".into(), value: Value::str("1.32") }]
        );
        let tag = of("aws_eks_cluster", "eks", "TagResource");
        let req =
            serde_json::json!({"resourceArn": "arn:aws:eks:us-east-1:1:cluster/clinic", "tags": {"Owner": "mallory"}});
        assert_eq!(tag.identifiers(&req, &J::Null), vec!["arn:aws:eks:us-east-1:1:cluster/clinic"]);
        assert_eq!(
            tag.writes(&req, &J::Null),
            vec![Written::Set { path: "tags.Owner".into(), value: Value::str("mallory") }]
        );
        let untag = of("aws_eks_cluster", "eks", "UntagResource");
        let req = serde_json::json!({"resourceArn": "arn:aws:eks:us-east-1:1:cluster/clinic", "tagKeys": ["Owner"]});
        assert_eq!(untag.writes(&req, &J::Null), vec![Written::Unset { path: "tags.Owner".into() }]);
    }
}

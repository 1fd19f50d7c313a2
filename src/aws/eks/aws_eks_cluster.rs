//! `aws_eks_cluster`: not read live yet; its view serves `plumb check` and state.

use crate::aws::view::*;
use crate::aws::{ResourceType, ViewDef};
use crate::model::{Resource, View};

pub static TYPE: ResourceType = ResourceType { view: Some(&VIEW), ..ResourceType::base("aws_eks_cluster", "eks") };

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

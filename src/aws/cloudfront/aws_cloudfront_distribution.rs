//! `aws_cloudfront_distribution`: not read live yet; its view serves `plumb check` and state.

use crate::aws::view::*;
use crate::aws::{ResourceType, ViewDef};
use crate::model::{Resource, View};
use serde_json::Value as J;

pub static TYPE: ResourceType =
    ResourceType { view: Some(&VIEW), ..ResourceType::base("aws_cloudfront_distribution", "cloudfront") };

pub static VIEW: ViewDef = ViewDef {
    kind: "cloudfront_distribution",
    build: |rs, v| each(rs, &["aws_cloudfront_distribution"], v, cloudfront),
};

fn cloudfront(r: &Resource, view: View) -> JoinedView {
    let a = |k: &str| attr(r, k, view);
    let mut o = head("cloudfront_distribution", r, view);
    let vc = a("viewer_certificate");
    let default_cert = o.bool("cloudfront_default_certificate", vc.field("cloudfront_default_certificate"), false);
    // The default certificate allows TLSv1 whatever the setting says.
    let min = vc.field("minimum_protocol_version").string(Some("TLSv1"));
    let min = match (default_cert, min) {
        (Some(true), _) => Ok(Some("TLSv1".to_string())),
        (_, m) => m,
    };
    match &min {
        Ok(m) => o.put("minimum_protocol_version", m.clone().map(J::String).unwrap_or(J::Null)),
        Err(()) => o.unknown("minimum_protocol_version"),
    };
    o.opt(
        "viewer_tls_1_2",
        min.ok().map(|m| m.as_deref().is_some_and(|m| m.starts_with("TLSv1.2_") || m.starts_with("TLSv1.3_"))),
    );
    // Viewer protocol policies of the default and every ordered cache behaviour.
    let mut policies = Vec::new();
    let mut unknown = false;
    let mut behaviours: Vec<F> = vec![a("default_cache_behavior")];
    match a("ordered_cache_behavior").elements() {
        Ok(els) => behaviours.extend(els.iter().map(|e| F::of(Some(e)))),
        Err(()) => unknown = true,
    }
    for b in behaviours {
        match b.field("viewer_protocol_policy").string(None) {
            Ok(Some(p)) => policies.push(p),
            Ok(None) => {}
            Err(()) => unknown = true,
        }
    }
    policies.sort();
    policies.dedup();
    o.put("viewer_protocol_policies", policies.clone());
    let https_only = policies.iter().all(|p| p == "redirect-to-https" || p == "https-only");
    o.opt("https_only", if https_only && unknown { None } else { Some(https_only) });
    let mut origin_protocols = Vec::new();
    match a("origin").elements() {
        Ok(origins) => {
            for orig in origins {
                match F::of(Some(orig)).field("custom_origin_config").field("origin_ssl_protocols").strings() {
                    Ok(p) => origin_protocols.extend(p),
                    Err(()) => unknown = true,
                }
            }
        }
        Err(()) => unknown = true,
    }
    origin_protocols.sort();
    origin_protocols.dedup();
    let legacy = origin_protocols.iter().any(|p| matches!(p.as_str(), "SSLv3" | "TLSv1" | "TLSv1.1"));
    o.put("origin_ssl_protocols", origin_protocols);
    o.opt("legacy_origin_protocols", if !legacy && unknown { None } else { Some(legacy) });
    joined("cloudfront_distribution", r, o)
}

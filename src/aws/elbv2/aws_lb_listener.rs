//! `aws_lb_listener`: not read live yet; its view serves `plumb check` and state.

use crate::aws::view::*;
use crate::aws::{ResourceType, ViewDef};
use crate::model::{Resource, View};

pub static TYPE: ResourceType =
    ResourceType { view: Some(&VIEW), ..ResourceType::base("aws_lb_listener", "elasticloadbalancing") };

pub static VIEW: ViewDef =
    ViewDef { kind: "lb_listener", build: |rs, v| each(rs, &["aws_lb_listener", "aws_alb_listener"], v, lb_listener) };

/// ELB security policies that allow only TLS 1.2 and later.
fn modern_elb_policy(p: &str) -> bool {
    // The TLS 1.3 family's `TLS13-1-0`/`TLS13-1-1` members still accept TLS 1.0/1.1, so
    // the prefixes name the version floor.
    [
        "ELBSecurityPolicy-TLS13-1-2-",
        "ELBSecurityPolicy-TLS13-1-3-",
        "ELBSecurityPolicy-TLS-1-2-",
        "ELBSecurityPolicy-FS-1-2-",
    ]
    .iter()
    .any(|x| p.starts_with(x))
}

fn lb_listener(r: &Resource, view: View) -> JoinedView {
    let a = |k: &str| attr(r, k, view);
    let mut o = head("lb_listener", r, view);
    let _ = put_str(&mut o, "load_balancer_arn", a("load_balancer_arn"), None);
    o.int("port", a("port"), None);
    // Omitted: HTTP (the provider's default for Application Load Balancers).
    let protocol = put_str(&mut o, "protocol", a("protocol"), Some("HTTP"));
    let tls = protocol.as_ref().ok().map(|p| matches!(p.as_deref(), Some("HTTPS" | "TLS")));
    o.opt("tls", tls);
    // Omitted on a TLS listener: AWS applies ELBSecurityPolicy-2016-08 (TLS 1.0+).
    let default = if tls == Some(true) { Some("ELBSecurityPolicy-2016-08") } else { None };
    let policy = put_str(&mut o, "ssl_policy", a("ssl_policy"), default);
    o.opt("modern_tls_policy", policy.ok().map(|p| p.as_deref().is_some_and(modern_elb_policy)));
    let redirect = match a("default_action").elements() {
        Ok(actions) => {
            let mut acc = Some(false);
            for act in actions {
                let f = F::of(Some(act));
                let is_redirect = f.field("type").string(None).map(|t| t.as_deref() == Some("redirect"));
                let to = f.field("redirect").field("protocol").string(Some("#{protocol}"));
                acc = any(
                    acc,
                    match (is_redirect, to) {
                        (Ok(false), _) => Some(false),
                        (Ok(true), Ok(p)) => Some(p.as_deref() == Some("HTTPS")),
                        _ => None,
                    },
                );
            }
            acc
        }
        Err(()) => None,
    };
    o.opt("redirects_to_https", redirect);
    joined("lb_listener", r, o)
}

//! `aws_lb_listener`: DescribeListeners per load balancer (paginated; the load balancers are
//! the shared read), tags in batches (DescribeTags). Id: the listener ARN.
//!
//! Follows the provider's read: `certificate_arn` the default certificate, `default_action`
//! ordered by `order` with one block per action kind (empty for the others), a single target
//! group's forward stored as `target_group_arn` (its `forward` block is then not judged: the
//! provider keeps whichever form the configuration used), `mutual_authentication` empty when
//! it is `off`, `alpn_policy` the first policy. An OIDC action's `client_secret` is never
//! answered by AWS: `Sensitive`. Not read: the listener attributes
//! (`routing_http_*`, `tcp_idle_timeout_seconds`: one DescribeListenerAttributes per listener,
//! and no rule reads them): Unknown.
//!
//! Its view is the `lb_listener` view (HS-TLS-001, HS-TLS-002).

use aws_sdk_elasticloadbalancingv2::types::{Action, ActionTypeEnum, Listener};
use futures::{FutureExt, StreamExt, TryStreamExt};

use super::{ADD_TAGS, REMOVE_TAGS, gone, load_balancers, tags};
use crate::aws::errors::read_error;
use crate::aws::event::{Event, W};
use crate::aws::view::*;
use crate::aws::{Ctx, FetchResult, Identity, Read, ResourceType, ViewDef};
use crate::model::{Resource, Value, View};

/// What CreateListener and ModifyListener write (same request shape).
const LISTENER_SETTINGS: &[W] = &[
    W::Param("port", "port"),
    W::Param("protocol", "protocol"),
    W::Param("ssl_policy", "sslPolicy"),
    W::Param("certificate_arn", "certificates[].certificateArn"),
    W::Param("alpn_policy", "alpnPolicy[]"),
    W::Custom(default_actions_written),
];

pub(super) const EVENTS: &[Event] = &[
    Event::create("elasticloadbalancing", "CreateListener", &["@listeners[].listenerArn"]).writing(LISTENER_SETTINGS),
    Event::modify("elasticloadbalancing", "ModifyListener", &["listenerArn"]).writing(LISTENER_SETTINGS),
    Event::delete("elasticloadbalancing", "DeleteListener", &["listenerArn"]),
    ADD_TAGS,
    REMOVE_TAGS,
];

pub static TYPE: ResourceType = ResourceType {
    read: Some(Read { fetch: |ctx| fetch_as(ctx, "aws_lb_listener").boxed(), global: false }),
    identity: Identity::arn("elasticloadbalancing", "listener/", &[]),
    events: EVENTS,
    view: Some(&VIEW),
    ..ResourceType::base("aws_lb_listener", "elasticloadbalancing")
};

/// Every listener of the region as `rtype` (`aws_lb_listener`, or the legacy `aws_alb_listener`).
pub(super) async fn fetch_as(ctx: &Ctx, rtype: &'static str) -> FetchResult {
    let types: &[&str] = if rtype == "aws_alb_listener" { &["aws_alb_listener"] } else { &["aws_lb_listener"] };
    let lbs = load_balancers(ctx, types).await?;
    let elasticloadbalancingv2 = ctx.client::<aws_sdk_elasticloadbalancingv2::Client>();
    let elasticloadbalancingv2 = &elasticloadbalancingv2;
    let lb_arns: Vec<String> = lbs.iter().filter_map(|l| l.load_balancer_arn().map(str::to_string)).collect();
    let per_lb: Vec<Vec<Listener>> = futures::stream::iter(lb_arns)
        .map(|arn| async move {
            let mut out = Vec::new();
            let mut pages = elasticloadbalancingv2
                .describe_listeners()
                .load_balancer_arn(&arn)
                .page_size(400)
                .into_paginator()
                .send();
            while let Some(page) = {
                let _p = ctx.permit("elasticloadbalancing").await;
                pages.next().await
            } {
                match page {
                    Ok(page) => out.extend(page.listeners().iter().cloned()),
                    Err(e) if gone(&e) => break,
                    Err(e) => return Err(read_error("elasticloadbalancing", &ctx.region, types, e)),
                }
            }
            Ok(out)
        })
        .buffer_unordered(ctx.limit("elasticloadbalancing"))
        .try_collect()
        .await?;
    let listeners: Vec<Listener> = per_lb.into_iter().flatten().collect();
    let arns: Vec<String> = listeners.iter().filter_map(|l| l.listener_arn().map(str::to_string)).collect();
    let tags = tags(ctx, &arns, types).await?;
    Ok(listeners
        .iter()
        .map(|l| map(rtype, l, l.listener_arn().and_then(|a| tags.get(a)), &ctx.region, &ctx.account))
        .collect())
}

/// Pure mapping from the SDK's `Listener` (and its tags) to provider v5 attributes of `rtype`.
pub fn map(rtype: &str, l: &Listener, tags: Option<&Value>, region: &str, account: &str) -> Resource {
    let arn = l.listener_arn().unwrap_or_default();
    let s = |v: Option<&str>| Value::str(v.unwrap_or_default());
    let certificate = l
        .certificates()
        .iter()
        .find(|c| c.is_default() == Some(true))
        .or_else(|| l.certificates().first())
        .and_then(|c| c.certificate_arn());
    let mut actions: Vec<&Action> = l.default_actions().iter().collect();
    actions.sort_by_key(|a| a.order().unwrap_or(i32::MAX));
    let mut r = Resource::live(rtype, arn, region, account, Some(arn.to_string()))
        .with("id", arn)
        .with("arn", arn)
        .with("load_balancer_arn", s(l.load_balancer_arn()))
        .with("port", Value::opt_int(l.port()))
        .with("protocol", s(l.protocol().map(|p| p.as_str())))
        .with("ssl_policy", s(l.ssl_policy()))
        .with("certificate_arn", Value::opt_str(certificate))
        .with("alpn_policy", Value::opt_str(l.alpn_policy().first().map(String::as_str)))
        .with("default_action", Value::List(actions.into_iter().map(action).collect()))
        .with(
            "mutual_authentication",
            match l.mutual_authentication().filter(|m| m.mode().is_some_and(|m| m != "off")) {
                Some(m) => Value::block([
                    ("mode", s(m.mode())),
                    ("trust_store_arn", s(m.trust_store_arn())),
                    (
                        "ignore_client_certificate_expiry",
                        Value::Bool(m.ignore_client_certificate_expiry().unwrap_or(false)),
                    ),
                    ("advertise_trust_store_ca_names", s(m.advertise_trust_store_ca_names().map(|a| a.as_str()))),
                ]),
                None => Value::List(Vec::new()),
            },
        );
    if let Some(t) = tags {
        r.set("tags", t.clone());
    }
    r
}

/// One `default_action` block as the provider stores it.
fn action(a: &Action) -> Value {
    let s = |v: Option<&str>| Value::str(v.unwrap_or_default());
    let empty = || Value::List(Vec::new());
    let kind = a.r#type();
    let mut m: Vec<(&'static str, Value)> = vec![
        ("type", s(kind.map(|t| t.as_str()))),
        ("order", Value::opt_int(a.order())),
        ("authenticate_cognito", empty()),
        ("authenticate_oidc", empty()),
        ("fixed_response", empty()),
        ("redirect", empty()),
    ];
    match kind {
        Some(ActionTypeEnum::Forward) => {
            let groups = a.forward_config().map(|f| f.target_groups()).unwrap_or_default();
            let single = a.target_group_arn().or(match groups {
                [one] => one.target_group_arn(),
                _ => None,
            });
            match single {
                // One target group: the provider keeps the configuration's form, and
                // `target_group_arn` is what either form yields.
                Some(arn) if groups.len() <= 1 => m.push(("target_group_arn", Value::str(arn))),
                _ => {
                    let mut tgs: Vec<Value> = groups
                        .iter()
                        .map(|g| {
                            Value::object([
                                ("arn", s(g.target_group_arn())),
                                ("weight", Value::int(g.weight().unwrap_or(1).into())),
                            ])
                        })
                        .collect();
                    tgs.sort_by_key(Value::canonical);
                    let stickiness = match a.forward_config().and_then(|f| f.target_group_stickiness_config()) {
                        Some(st) => Value::block([
                            ("duration", Value::int(st.duration_seconds().unwrap_or(0).into())),
                            ("enabled", Value::Bool(st.enabled().unwrap_or(false))),
                        ]),
                        None => empty(),
                    };
                    m.push(("target_group_arn", Value::str("")));
                    m.push(("forward", Value::block([("target_group", Value::List(tgs)), ("stickiness", stickiness)])));
                }
            }
        }
        Some(ActionTypeEnum::Redirect) => {
            m.push(("target_group_arn", Value::str("")));
            m.push(("forward", empty()));
            if let Some(r) = a.redirect_config() {
                m[5] = (
                    "redirect",
                    Value::block([
                        ("host", s(r.host())),
                        ("path", s(r.path())),
                        ("port", s(r.port())),
                        ("protocol", s(r.protocol())),
                        ("query", s(r.query())),
                        ("status_code", s(r.status_code().map(|c| c.as_str()))),
                    ]),
                );
            }
        }
        Some(ActionTypeEnum::FixedResponse) => {
            m.push(("target_group_arn", Value::str("")));
            m.push(("forward", empty()));
            if let Some(f) = a.fixed_response_config() {
                m[4] = (
                    "fixed_response",
                    Value::block([
                        ("content_type", s(f.content_type())),
                        ("message_body", s(f.message_body())),
                        ("status_code", s(f.status_code())),
                    ]),
                );
            }
        }
        Some(ActionTypeEnum::AuthenticateOidc) => {
            m.push(("target_group_arn", Value::str("")));
            m.push(("forward", empty()));
            if let Some(o) = a.authenticate_oidc_config() {
                m[3] = (
                    "authenticate_oidc",
                    Value::block([
                        ("authorization_endpoint", s(o.authorization_endpoint())),
                        ("client_id", s(o.client_id())),
                        // Never answered by AWS (and a secret).
                        ("client_secret", Value::Sensitive),
                        ("issuer", s(o.issuer())),
                        ("on_unauthenticated_request", s(o.on_unauthenticated_request().map(|x| x.as_str()))),
                        ("scope", s(o.scope())),
                        ("session_cookie_name", s(o.session_cookie_name())),
                        ("session_timeout", Value::opt_int(o.session_timeout())),
                        ("token_endpoint", s(o.token_endpoint())),
                        ("user_info_endpoint", s(o.user_info_endpoint())),
                    ]),
                );
            }
        }
        Some(ActionTypeEnum::AuthenticateCognito) => {
            m.push(("target_group_arn", Value::str("")));
            m.push(("forward", empty()));
            if let Some(c) = a.authenticate_cognito_config() {
                m[2] = (
                    "authenticate_cognito",
                    Value::block([
                        ("on_unauthenticated_request", s(c.on_unauthenticated_request().map(|x| x.as_str()))),
                        ("scope", s(c.scope())),
                        ("session_cookie_name", s(c.session_cookie_name())),
                        ("session_timeout", Value::opt_int(c.session_timeout())),
                        ("user_pool_arn", s(c.user_pool_arn())),
                        ("user_pool_client_id", s(c.user_pool_client_id())),
                        ("user_pool_domain", s(c.user_pool_domain())),
                    ]),
                );
            }
        }
        _ => {}
    }
    Value::object(m)
}

/// `defaultActions` replaces every default action.
fn default_actions_written(req: &serde_json::Value, _resp: &serde_json::Value, out: &mut Vec<crate::aws::Written>) {
    if req.get("defaultActions").is_some_and(|v| !v.is_null()) {
        out.push(crate::aws::Written::Touch { path: "default_action".into() });
    }
}

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

#[cfg(test)]
mod tests {
    use super::*;
    use crate::aws::Written;
    use crate::aws::event::of;
    use aws_sdk_elasticloadbalancingv2::types::{
        Certificate, ProtocolEnum, RedirectActionConfig, RedirectActionStatusCodeEnum,
    };
    use serde_json::{Value as J, json};

    fn https() -> Listener {
        Listener::builder()
            .listener_arn("arn:listener/https")
            .load_balancer_arn("arn:lb")
            .port(443)
            .protocol(ProtocolEnum::Https)
            .ssl_policy("ELBSecurityPolicy-TLS13-1-2-2021-06")
            .certificates(Certificate::builder().certificate_arn("arn:cert").build())
            .default_actions(
                Action::builder().r#type(ActionTypeEnum::Forward).order(1).target_group_arn("arn:tg").build(),
            )
            .build()
    }

    #[test]
    fn maps_an_https_listener_and_judges_its_policy() {
        let r = map("aws_lb_listener", &https(), None, "us-east-1", "1");
        assert_eq!(r.attr_str("certificate_arn"), Some("arn:cert"));
        assert_eq!(r.attr("port"), &Value::int(443));
        let a = &r.attr("default_action").as_list().unwrap()[0];
        assert_eq!(a.get("target_group_arn"), Some(&Value::str("arn:tg")));
        assert_eq!(a.get("forward"), None, "a single group's forward block is not judged");
        assert_eq!(a.get("redirect"), Some(&Value::List(vec![])));
        assert_eq!(r.attr("mutual_authentication"), &Value::List(vec![]));
        let v = crate::aws::view::build(std::slice::from_ref(&r), View::Live);
        assert_eq!(v[0].value["tls"], true);
        assert_eq!(v[0].value["modern_tls_policy"], true);
    }

    #[test]
    fn maps_a_redirecting_http_listener() {
        let l = Listener::builder()
            .listener_arn("arn:listener/http")
            .port(80)
            .protocol(ProtocolEnum::Http)
            .default_actions(
                Action::builder()
                    .r#type(ActionTypeEnum::Redirect)
                    .order(1)
                    .redirect_config(
                        RedirectActionConfig::builder()
                            .protocol("HTTPS")
                            .port("443")
                            .host("#{host}")
                            .path("/#{path}")
                            .query("#{query}")
                            .status_code(RedirectActionStatusCodeEnum::Http301)
                            .build(),
                    )
                    .build(),
            )
            .build();
        let r = map("aws_lb_listener", &l, Some(&Value::string_map([("Name", "http")])), "us-east-1", "1");
        assert_eq!(r.attr("certificate_arn"), &Value::Null);
        let redirect = r.attr("default_action").as_list().unwrap()[0].get("redirect").unwrap();
        assert_eq!(redirect.get("status_code"), Some(&Value::str("HTTP_301")));
        let v = crate::aws::view::build(std::slice::from_ref(&r), View::Live);
        assert_eq!(v[0].value["redirects_to_https"], true);
    }

    #[test]
    fn listener_events() {
        let m = of("aws_lb_listener", "elasticloadbalancing", "ModifyListener");
        let req = json!({"listenerArn": "arn:listener/https", "sslPolicy": "ELBSecurityPolicy-2016-08"});
        assert_eq!(m.identifiers(&req, &J::Null), vec!["arn:listener/https"]);
        assert_eq!(
            m.writes(&req, &J::Null),
            vec![Written::Set { path: "ssl_policy".into(), value: Value::str("ELBSecurityPolicy-2016-08") }]
        );
        let c = of("aws_lb_listener", "elasticloadbalancing", "CreateListener");
        let req = json!({"loadBalancerArn": "arn:lb", "port": 443, "protocol": "HTTPS",
            "certificates": [{"certificateArn": "arn:cert"}], "defaultActions": [{"type": "forward", "targetGroupArn": "arn:tg"}]});
        let resp = json!({"listeners": [{"listenerArn": "arn:listener/new"}]});
        assert_eq!(c.identifiers(&req, &resp), vec!["arn:listener/new"]);
        let w = c.writes(&req, &resp);
        assert!(w.contains(&Written::Set { path: "certificate_arn".into(), value: Value::str("arn:cert") }));
        assert!(w.contains(&Written::Touch { path: "default_action".into() }));
    }
}

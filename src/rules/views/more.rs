//! Views for the services the core scan does not fetch yet (CloudTrail, CloudWatch Logs,
//! detection services, IAM, EKS, ElastiCache, load balancers, CloudFront). They work on the
//! config and state views today; live fetchers will feed them the same resource types.
//!
//! Account- and region-scoped services (GuardDuty, Config, Security Hub, EBS default
//! encryption, the account's S3 public access block, the password policy) are judged on the
//! resources that express them: a declared resource that turns the control off fails; an
//! absent one is not judged in the config and state views, because such settings usually
//! live in a separate account-baseline stack. Live fetchers report a region without the
//! service as the resource in its off state (`enable = false`, ...), so there absence fails.

use serde_json::Value as J;

use super::{F, Index, JoinedView, Obj, View, attr, head, joined, list_of, parse_policy, statements};
use crate::model::{Resource, Value};

pub(super) fn build(resources: &[Resource], view: View) -> Vec<JoinedView> {
    let of = |t: &str| -> Vec<&Resource> { resources.iter().filter(|r| r.rtype == t).collect() };
    let mut out = Vec::new();
    out.extend(cloudtrails(&of("aws_cloudtrail"), view));
    out.extend(of("aws_cloudwatch_log_group").into_iter().map(|r| log_group(r, view)));
    out.extend(of("aws_guardduty_detector").into_iter().map(|r| guardduty(r, view)));
    out.extend(config_recorders(resources, view));
    let subscriptions = of("aws_securityhub_standards_subscription").len();
    out.extend(of("aws_securityhub_account").into_iter().map(|r| securityhub(r, subscriptions, view)));
    for t in ["aws_iam_policy", "aws_iam_role_policy", "aws_iam_user_policy", "aws_iam_group_policy"] {
        out.extend(of(t).into_iter().map(|r| iam_policy(r, view)));
    }
    for t in [
        "aws_iam_role_policy_attachment",
        "aws_iam_user_policy_attachment",
        "aws_iam_group_policy_attachment",
        "aws_iam_policy_attachment",
    ] {
        out.extend(of(t).into_iter().map(|r| iam_attachment(r, view)));
    }
    out.extend(of("aws_iam_access_key").into_iter().map(|r| iam_access_key(r, view)));
    out.extend(of("aws_iam_account_password_policy").into_iter().map(|r| password_policy(r, view)));
    out.extend(of("aws_eks_cluster").into_iter().map(|r| eks_cluster(r, view)));
    out.extend(of("aws_eks_node_group").into_iter().map(|r| eks_node_group(r, view)));
    out.extend(of("aws_elasticache_replication_group").into_iter().map(|r| elasticache(r, view)));
    for t in ["aws_lb_listener", "aws_alb_listener"] {
        out.extend(of(t).into_iter().map(|r| lb_listener(r, view)));
    }
    out.extend(of("aws_cloudfront_distribution").into_iter().map(|r| cloudfront(r, view)));
    out
}

/// `Some(a || b)` with unknowns: true wins, then unknown, then false.
fn any(a: Option<bool>, b: Option<bool>) -> Option<bool> {
    match (a, b) {
        (Some(true), _) | (_, Some(true)) => Some(true),
        (Some(false), Some(false)) => Some(false),
        _ => None,
    }
}

fn put_str(o: &mut Obj, k: &str, f: F, default: Option<&str>) -> Result<Option<String>, ()> {
    o.string(k, f, default)
}

/// `flag` is whether the string `s` is set (unknown stays unknown).
fn flag(o: &mut Obj, flag: &str, s: &Result<Option<String>, ()>) {
    o.opt(flag, s.as_ref().ok().map(Option::is_some));
}

/// Whether a secret-like argument is set: its value may be sensitive or unknown (a
/// variable) and still be present. In the live view an absent key was not read.
fn present(r: &Resource, key: &str, view: View) -> Option<bool> {
    match r.attributes.get(key) {
        None if view == View::Live => None,
        None | Some(Value::Null) => Some(false),
        Some(Value::String(s)) => Some(!s.is_empty()),
        Some(_) => Some(true),
    }
}

// ---------------------------------------------------------------------------------------
// CloudTrail.

fn cloudtrails(trails: &[&Resource], view: View) -> Vec<JoinedView> {
    let mut built: Vec<(Obj, Option<bool>, Option<bool>)> = trails
        .iter()
        .map(|r| {
            let a = |k: &str| attr(r, k, view);
            let mut o = head("cloudtrail", r, view);
            if let Ok(Some(n)) = a("name").string(None) {
                o.put("name", n);
            }
            let multi = o.bool("is_multi_region_trail", a("is_multi_region_trail"), false);
            let global = o.bool("include_global_service_events", a("include_global_service_events"), true);
            let logging = o.bool("enable_logging", a("enable_logging"), true);
            o.bool("enable_log_file_validation", a("enable_log_file_validation"), false);
            let key = put_str(&mut o, "kms_key_id", a("kms_key_id"), None);
            flag(&mut o, "kms_encrypted", &key);
            let group = put_str(&mut o, "cloud_watch_logs_group_arn", a("cloud_watch_logs_group_arn"), None);
            let role = put_str(&mut o, "cloud_watch_logs_role_arn", a("cloud_watch_logs_role_arn"), None);
            o.opt(
                "cloudwatch_logs",
                match (group, role) {
                    (Ok(g), Ok(r)) => Some(g.is_some() && r.is_some()),
                    (Ok(None), _) | (_, Ok(None)) => Some(false),
                    _ => None,
                },
            );
            let _ = put_str(&mut o, "s3_bucket_name", a("s3_bucket_name"), None);
            let all_regions = match (multi, global, logging) {
                (Some(false), ..) | (_, Some(false), _) | (.., Some(false)) => Some(false),
                (Some(true), Some(true), Some(true)) => Some(true),
                _ => None,
            };
            o.opt("covers_all_regions", all_regions);
            let (read, write) = s3_data_events(r, view);
            let mut d = Obj::default();
            d.opt("read", read).opt("write", write);
            o.put("s3_data_events", d.finish());
            let both = match (read, write) {
                (Some(r), Some(w)) => Some(r && w),
                _ => None,
            };
            (o, all_regions, both.and_then(|b| logging.map(|l| b && l)))
        })
        .collect();
    // What the trails of this view achieve together: one all-region trail is enough.
    let all_regions = built.iter().fold(Some(false), |acc, (_, a, _)| any(acc, *a));
    let data_events = built.iter().fold(Some(false), |acc, (_, _, d)| any(acc, *d));
    trails
        .iter()
        .zip(built.iter_mut())
        .map(|(r, (o, ..))| {
            let mut acc = Obj::default();
            acc.opt("all_region_trail", all_regions).opt("s3_data_events", data_events);
            let mut o = std::mem::take(o);
            o.put("account", acc.finish());
            joined("cloudtrail", r, o)
        })
        .collect()
}

/// Whether the trail records S3 object-level read and write events (any bucket).
fn s3_data_events(r: &Resource, view: View) -> (Option<bool>, Option<bool>) {
    let (mut read, mut write) = (Some(false), Some(false));
    match attr(r, "event_selector", view).elements() {
        Ok(sels) => {
            for s in sels {
                let f = F::of(Some(s));
                let s3 = match f.field("data_resource").elements() {
                    Ok(ds) => Some(ds.iter().any(|d| d.get("type").and_then(Value::as_str) == Some("AWS::S3::Object"))),
                    Err(()) => None,
                };
                let rw = f.field("read_write_type").string(Some("All"));
                let (r_, w_) = match (s3, rw) {
                    (Some(false), _) => (Some(false), Some(false)),
                    (Some(true), Ok(rw)) => {
                        let rw = rw.unwrap_or_else(|| "All".into());
                        (Some(rw != "WriteOnly"), Some(rw != "ReadOnly"))
                    }
                    _ => (None, None),
                };
                read = any(read, r_);
                write = any(write, w_);
            }
        }
        Err(()) => {
            read = any(read, None);
            write = any(write, None);
        }
    }
    match attr(r, "advanced_event_selector", view).elements() {
        Ok(sels) => {
            for s in sels {
                let Some(fields) = s.get("field_selector").and_then(Value::as_list) else {
                    read = any(read, None);
                    write = any(write, None);
                    continue;
                };
                let equals = |name: &str| -> Option<Vec<String>> {
                    fields.iter().find(|f| f.get("field").and_then(Value::as_str) == Some(name)).map(|f| {
                        f.get("equals")
                            .and_then(Value::as_list)
                            .map(|l| l.iter().filter_map(|v| v.as_str().map(str::to_string)).collect())
                            .unwrap_or_default()
                    })
                };
                let data = equals("eventCategory").is_some_and(|v| v.iter().any(|x| x == "Data"));
                let s3 = equals("resources.type").is_some_and(|v| v.iter().any(|x| x == "AWS::S3::Object"));
                if data && s3 {
                    let ro = equals("readOnly");
                    let only = ro.as_ref().filter(|v| v.len() == 1).map(|v| v[0].as_str());
                    read = any(read, Some(only != Some("false")));
                    write = any(write, Some(only != Some("true")));
                }
            }
        }
        Err(()) => {
            read = any(read, None);
            write = any(write, None);
        }
    }
    (read, write)
}

// ---------------------------------------------------------------------------------------
// CloudWatch Logs.

fn log_group(r: &Resource, view: View) -> JoinedView {
    let a = |k: &str| attr(r, k, view);
    let mut o = head("log_group", r, view);
    if let Ok(Some(n)) = a("name").string(None) {
        o.put("name", n);
    }
    let key = put_str(&mut o, "kms_key_id", a("kms_key_id"), None);
    flag(&mut o, "kms_encrypted", &key);
    // 0 and omitted both mean "never expire".
    let days = o.int("retention_in_days", a("retention_in_days"), Some(0));
    if a("retention_in_days").int(Some(0)).is_ok() {
        o.put("never_expires", days.unwrap_or(0) == 0);
    } else {
        o.unknown("never_expires");
    }
    let _ = put_str(&mut o, "log_group_class", a("log_group_class"), Some("STANDARD"));
    joined("log_group", r, o)
}

// ---------------------------------------------------------------------------------------
// Detection services.

fn guardduty(r: &Resource, view: View) -> JoinedView {
    let mut o = head("guardduty_detector", r, view);
    o.bool("enable", attr(r, "enable", view), true);
    let _ = put_str(&mut o, "finding_publishing_frequency", attr(r, "finding_publishing_frequency", view), None);
    joined("guardduty_detector", r, o)
}

fn config_recorders(resources: &[Resource], view: View) -> Vec<JoinedView> {
    let recorders: Vec<&Resource> =
        resources.iter().filter(|r| r.rtype == "aws_config_configuration_recorder").collect();
    let mut index = Index::default();
    for (i, r) in recorders.iter().enumerate() {
        index.add(i, r, &["name"]);
    }
    let mut status: Vec<Option<&Resource>> = vec![None; recorders.len()];
    for r in resources.iter().filter(|r| r.rtype == "aws_config_configuration_recorder_status") {
        if let Some(i) = index.find(r.attributes.get("name")) {
            status[i] = Some(r);
        }
    }
    let channel = resources.iter().any(|r| r.rtype == "aws_config_delivery_channel");
    let global_any = recorders.iter().fold(Some(false), |acc, r| {
        any(acc, attr(r, "recording_group", view).field("include_global_resource_types").bool(false))
    });
    recorders
        .iter()
        .zip(status)
        .map(|(r, st)| {
            let mut o = head("config_recorder", r, view);
            if let Ok(Some(n)) = attr(r, "name", view).string(None) {
                o.put("name", n);
            }
            let g = attr(r, "recording_group", view);
            o.bool("all_supported", g.field("all_supported"), true);
            o.bool("include_global_resource_types", g.field("include_global_resource_types"), false);
            let mut s = Obj::default();
            super::setting_origin(&mut s, r, st);
            s.put("configured", st.is_some());
            match st {
                Some(st) => {
                    s.bool("is_enabled", attr(st, "is_enabled", view), false);
                }
                None => {
                    s.put("is_enabled", false);
                }
            }
            o.put("status", s.finish());
            let mut acc = Obj::default();
            acc.put("delivery_channel", channel).opt("global_resource_types", global_any);
            o.put("account", acc.finish());
            joined("config_recorder", r, o)
        })
        .collect()
}

fn securityhub(r: &Resource, subscriptions: usize, view: View) -> JoinedView {
    let mut o = head("securityhub_account", r, view);
    let defaults = o.bool("enable_default_standards", attr(r, "enable_default_standards", view), true);
    o.put("standards_subscriptions", subscriptions);
    o.opt("standards_enabled", defaults.map(|d| d || subscriptions > 0));
    joined("securityhub_account", r, o)
}

// ---------------------------------------------------------------------------------------
// IAM.

/// Principals a policy or attachment applies to.
fn principals(o: &mut Obj, r: &Resource, view: View) {
    let one = |k: &str| match attr(r, k, view).string(None) {
        Ok(Some(s)) => Ok(vec![s]),
        Ok(None) => Ok(vec![]),
        Err(()) => Err(()),
    };
    for (field, single, many) in [("users", "user", "users"), ("roles", "role", "roles"), ("groups", "group", "groups")]
    {
        let v = if r.rtype == "aws_iam_policy_attachment" {
            attr(r, many, view).strings()
        } else if r.attributes.contains_key(single) || view != View::Live {
            one(single)
        } else {
            Ok(vec![])
        };
        match v {
            Ok(v) => o.put(field, v),
            Err(()) => o.unknown(field),
        };
    }
}

fn iam_policy(r: &Resource, view: View) -> JoinedView {
    let mut o = head("iam_policy", r, view);
    if let Ok(Some(n)) = attr(r, "name", view).string(None) {
        o.put("name", n);
    }
    principals(&mut o, r, view);
    o.put("inline", r.rtype != "aws_iam_policy");
    match parse_policy(attr(r, "policy", view)) {
        Ok(d) => {
            let admin = d.as_ref().map(grants_admin).unwrap_or(false);
            o.put("document", d.unwrap_or(J::Null)).put("admin", admin);
        }
        Err(()) => {
            o.unknown("document").unknown("admin");
        }
    }
    joined("iam_policy", r, o)
}

/// An `Allow` of every action (`*`, `*:*`) on every resource (`*`).
fn grants_admin(doc: &J) -> bool {
    statements(doc).iter().any(|s| {
        let allow = s.get("Effect").and_then(J::as_str) == Some("Allow");
        let actions = list_of(s.get("Action")).iter().any(|a| matches!(a.as_str(), Some("*" | "*:*")));
        let resources = list_of(s.get("Resource")).iter().any(|a| a.as_str() == Some("*"));
        allow && actions && resources
    })
}

fn iam_attachment(r: &Resource, view: View) -> JoinedView {
    let mut o = head("iam_attachment", r, view);
    principals(&mut o, r, view);
    match put_str(&mut o, "policy_arn", attr(r, "policy_arn", view), None) {
        Ok(arn) => {
            let admin = arn.as_deref().is_some_and(|a| a.ends_with(":iam::aws:policy/AdministratorAccess"));
            o.put("administrator_access", admin);
        }
        Err(()) => {
            o.unknown("administrator_access");
        }
    }
    joined("iam_attachment", r, o)
}

fn iam_access_key(r: &Resource, view: View) -> JoinedView {
    let mut o = head("iam_access_key", r, view);
    let user = put_str(&mut o, "user", attr(r, "user", view), None);
    o.opt("root", user.ok().map(|u| u.as_deref() == Some("root")));
    let _ = put_str(&mut o, "status", attr(r, "status", view), Some("Active"));
    joined("iam_access_key", r, o)
}

/// The AWS Config `iam-password-policy` defaults (CIS): 14 characters, 24 remembered,
/// every character class, 90 days.
fn password_policy(r: &Resource, view: View) -> JoinedView {
    let a = |k: &str| attr(r, k, view);
    let mut o = head("iam_password_policy", r, view);
    let mut weak: Vec<String> = Vec::new();
    let mut unknown = false;
    let len = o.int("minimum_password_length", a("minimum_password_length"), Some(6));
    match len {
        Some(l) if l < 14 => weak.push(format!("minimum length {l} (< 14)")),
        None => unknown = true,
        _ => {}
    }
    let reuse = o.int("password_reuse_prevention", a("password_reuse_prevention"), Some(0));
    match reuse {
        Some(n) if n < 24 => weak.push(format!("remembers {n} passwords (< 24)")),
        None => unknown = true,
        _ => {}
    }
    for k in ["require_symbols", "require_numbers", "require_uppercase_characters", "require_lowercase_characters"] {
        match o.bool(k, a(k), false) {
            Some(false) => weak.push(format!("{k} is false")),
            None => unknown = true,
            _ => {}
        }
    }
    // 0 or omitted: passwords never expire.
    match o.int("max_password_age", a("max_password_age"), Some(0)) {
        Some(0) => weak.push("passwords never expire".into()),
        Some(d) if d > 90 => weak.push(format!("passwords expire after {d} days (> 90)")),
        None => unknown = true,
        _ => {}
    }
    o.put("weaknesses", weak.clone());
    o.opt("strong", if weak.is_empty() && unknown { None } else { Some(weak.is_empty()) });
    joined("iam_password_policy", r, o)
}

// ---------------------------------------------------------------------------------------
// EKS.

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

fn eks_node_group(r: &Resource, view: View) -> JoinedView {
    let a = |k: &str| attr(r, k, view);
    let mut o = head("eks_node_group", r, view);
    for k in ["cluster_name", "node_group_name"] {
        let _ = put_str(&mut o, k, a(k), None);
    }
    let ra = a("remote_access");
    let key = match ra.field("ec2_ssh_key") {
        F::Unknown if view != View::Live => Some(true),
        f => f.string(None).ok().map(|k| k.is_some()),
    };
    o.opt("ssh_enabled", key);
    let sgs = o.strings("source_security_group_ids", ra.field("source_security_group_ids"));
    // A key without source groups opens port 22 to 0.0.0.0/0.
    let open = match (key, sgs) {
        (Some(false), _) => Some(false),
        (Some(true), Some(s)) => Some(s.is_empty()),
        _ => None,
    };
    o.opt("ssh_open_to_world", open);
    joined("eks_node_group", r, o)
}

// ---------------------------------------------------------------------------------------
// ElastiCache.

fn elasticache(r: &Resource, view: View) -> JoinedView {
    let a = |k: &str| attr(r, k, view);
    let mut o = head("elasticache_replication_group", r, view);
    if let Ok(Some(n)) = a("replication_group_id").string(None) {
        o.put("name", n);
    }
    let engine = put_str(&mut o, "engine", a("engine"), Some("redis"));
    // Valkey groups are encrypted at rest by default; Redis OSS ones are not.
    match (a("at_rest_encryption_enabled"), engine) {
        (F::Default, Ok(e)) => {
            o.put("at_rest_encryption_enabled", e.as_deref() == Some("valkey"));
        }
        (F::Default, Err(())) => {
            o.unknown("at_rest_encryption_enabled");
        }
        (f, _) => {
            o.bool("at_rest_encryption_enabled", f, false);
        }
    }
    let _ = put_str(&mut o, "kms_key_id", a("kms_key_id"), None);
    o.bool("transit_encryption_enabled", a("transit_encryption_enabled"), false);
    let _ = put_str(&mut o, "transit_encryption_mode", a("transit_encryption_mode"), None);
    let token = present(r, "auth_token", view);
    o.opt("auth_token_set", token);
    let groups = o.strings("user_group_ids", a("user_group_ids"));
    let auth = match (token, groups) {
        (Some(true), _) => Some(true),
        (_, Some(g)) if !g.is_empty() => Some(true),
        (Some(false), Some(_)) => Some(false),
        _ => None,
    };
    o.opt("auth_enabled", auth);
    joined("elasticache_replication_group", r, o)
}

// ---------------------------------------------------------------------------------------
// Load balancer listeners and CloudFront.

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

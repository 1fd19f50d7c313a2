//! `aws_iam_account_password_policy`: not read live yet; its view serves `plumb check` and state.

use crate::aws::view::*;
use crate::aws::{ResourceType, ViewDef};
use crate::model::{Resource, View};

pub static TYPE: ResourceType =
    ResourceType { view: Some(&VIEW), ..ResourceType::base("aws_iam_account_password_policy", "iam") };

pub static VIEW: ViewDef = ViewDef {
    kind: "iam_password_policy",
    build: |rs, v| each(rs, &["aws_iam_account_password_policy"], v, password_policy),
};

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

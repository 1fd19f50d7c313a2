//! `aws_cloudwatch_log_group`: not read live yet; its view serves `plumb check` and state.

use crate::aws::view::*;
use crate::aws::{ResourceType, ViewDef};
use crate::model::{Resource, View};

pub static TYPE: ResourceType =
    ResourceType { view: Some(&VIEW), ..ResourceType::base("aws_cloudwatch_log_group", "logs") };

pub static VIEW: ViewDef =
    ViewDef { kind: "log_group", build: |rs, v| each(rs, &["aws_cloudwatch_log_group"], v, log_group) };

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

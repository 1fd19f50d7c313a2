//! `aws_cloudtrail`: not read live yet; its view serves `plumb check` and state.

use crate::aws::view::*;
use crate::aws::{ResourceType, ViewDef};
use crate::model::{Resource, Value, View};

pub static TYPE: ResourceType =
    ResourceType { view: Some(&VIEW), ..ResourceType::base("aws_cloudtrail", "cloudtrail") };

pub static VIEW: ViewDef = ViewDef {
    kind: "cloudtrail",
    build: |rs, v| cloudtrails(&rs.iter().filter(|r| r.rtype == "aws_cloudtrail").collect::<Vec<_>>(), v),
};

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

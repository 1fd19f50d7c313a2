//! `tags_all`: AWS returns every tag, the provider's default tags included, while state
//! `tags` holds only the resource's own. State `tags_all` is the full set: compare it with
//! live tags, and drop `tags_all` itself so the same change is not reported twice.

use super::{Pass, Views};
use crate::model::Value;

pub const PASS: Pass =
    Pass { name: "tags_all", why: "provider default_tags appear live but not in state `tags`", apply };

fn apply(v: &mut Views) {
    for r in &mut v.state {
        if let Some(all) = r.attributes.remove("tags_all") {
            if matches!(all, Value::Map(_) | Value::Null) {
                r.attributes.insert("tags".to_string(), all);
            }
        }
    }
    for r in &mut v.live {
        r.attributes.remove("tags_all");
    }
}

//! `aws_s3_bucket_cors_configuration`: GetBucketCors per bucket; `NoSuchCORSConfiguration`
//! means the bucket has none.
//!
//! Filled: `id` (the bucket), `bucket`, `cors_rule`, a set of `{id, allowed_headers,
//! allowed_methods, allowed_origins, expose_headers, max_age_seconds}` as the provider reads
//! it back: `id` `""` and the optional lists `[]` when S3 answers none, `max_age_seconds` `0`
//! when absent (a configuration that leaves it out holds null, which is no drift).
//! Absent: `expected_bucket_owner` (a request header; the id form it adds is joined by
//! `state_form`).

use aws_sdk_s3::types::CorsRule;
use futures::FutureExt;

use super::listing::per_bucket;
use crate::aws::event::{Event, W, Written};
use crate::aws::state_form::BY_BUCKET;
use crate::aws::{Ctx, FetchResult, Read, ResourceType};
use crate::model::{Resource, Value};

const TYPES: &[&str] = &["aws_s3_bucket_cors_configuration"];

pub static TYPE: ResourceType = ResourceType {
    read: Some(Read { fetch: |ctx| fetch(ctx).boxed(), global: false }),
    identity: super::SETTING,
    parent: Some("aws_s3_bucket"),
    events: &[
        super::DELETE_BUCKET,
        Event::modify("s3", "PutBucketCors", &["bucketName"]).writing(&[W::Custom(cors_rules)]),
        Event::delete("s3", "DeleteBucketCors", &["bucketName"]),
    ],
    state_form: Some(BY_BUCKET),
    ..ResourceType::base("aws_s3_bucket_cors_configuration", "s3")
};

/// `CORSConfiguration.CORSRule[]` replaces every rule (XML names, one-element lists as
/// objects).
fn cors_rules(req: &serde_json::Value, _: &serde_json::Value, out: &mut Vec<Written>) {
    use crate::aws::event::pluck;
    use serde_json::Value as J;
    let mut rules = Vec::new();
    pluck(req, "CORSConfiguration.CORSRule[]", &mut rules);
    if rules.is_empty() {
        return;
    }
    let strings = |r: &J, k: &str| -> Value {
        let mut v = Vec::new();
        pluck(r, &format!("{k}[]"), &mut v);
        let mut s: Vec<String> = v.into_iter().filter_map(|x| x.as_str().map(str::to_string)).collect();
        s.sort();
        Value::string_list(s)
    };
    let elems = rules
        .into_iter()
        .map(|r| {
            let max_age = r.get("MaxAgeSeconds").and_then(|m| m.as_i64().or_else(|| m.as_str()?.parse().ok()));
            Value::object([
                ("id", r.get("ID").and_then(J::as_str).unwrap_or_default().into()),
                ("allowed_headers", strings(r, "AllowedHeader")),
                ("allowed_methods", strings(r, "AllowedMethod")),
                ("allowed_origins", strings(r, "AllowedOrigin")),
                ("expose_headers", strings(r, "ExposeHeader")),
                ("max_age_seconds", Value::int(max_age.unwrap_or(0))),
            ])
        })
        .collect();
    out.push(Written::Set { path: "cors_rule".into(), value: Value::List(elems) });
}

async fn fetch(ctx: &Ctx) -> FetchResult {
    let s3 = ctx.client::<aws_sdk_s3::Client>();
    let got = per_bucket(ctx, TYPES, &["NoSuchCORSConfiguration"], |b| s3.get_bucket_cors().bucket(b).send()).await?;
    Ok(got
        .into_iter()
        .filter_map(|(name, o)| {
            let o = o?;
            (!o.cors_rules().is_empty()).then(|| map(&name, o.cors_rules(), &ctx.region, &ctx.account))
        })
        .collect())
}

/// Pure mapping from the bucket's CORS rules.
pub fn map(bucket: &str, rules: &[CorsRule], region: &str, account: &str) -> Resource {
    // Sets, sorted as the provider stores them.
    let strings = |v: &[String]| {
        let mut v = v.to_vec();
        v.sort();
        Value::string_list(v)
    };
    let rules = rules
        .iter()
        .map(|r| {
            Value::object([
                ("id", r.id().unwrap_or_default().into()),
                ("allowed_headers", strings(r.allowed_headers())),
                ("allowed_methods", strings(r.allowed_methods())),
                ("allowed_origins", strings(r.allowed_origins())),
                ("expose_headers", strings(r.expose_headers())),
                ("max_age_seconds", Value::int(r.max_age_seconds().unwrap_or(0).into())),
            ])
        })
        .collect();
    Resource::live("aws_s3_bucket_cors_configuration", bucket, region, account, None)
        .with("id", bucket)
        .with("bucket", bucket)
        .with("cors_rule", Value::List(rules))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn maps_rules_with_provider_defaults() {
        let rules = [
            CorsRule::builder()
                .id("app")
                .allowed_headers("Authorization")
                .allowed_methods("GET")
                .allowed_origins("https://app.example.org")
                .expose_headers("ETag")
                .max_age_seconds(3000)
                .build()
                .unwrap(),
            CorsRule::builder().allowed_methods("PUT").allowed_origins("*").build().unwrap(),
        ];
        let r = map("site", &rules, "us-east-1", "123456789012");
        assert_eq!((r.id.as_str(), r.attr_str("bucket")), ("site", Some("site")));
        let got = r.attr("cors_rule").as_list().unwrap();
        assert_eq!(got[0].get("max_age_seconds"), Some(&Value::int(3000)));
        assert_eq!(
            got[1],
            Value::object([
                ("id", "".into()),
                ("allowed_headers", Value::string_list(Vec::<String>::new())),
                ("allowed_methods", Value::string_list(["PUT"])),
                ("allowed_origins", Value::string_list(["*"])),
                ("expose_headers", Value::string_list(Vec::<String>::new())),
                ("max_age_seconds", Value::int(0)),
            ])
        );
    }

    #[test]
    fn put_bucket_cors_replaces_the_rules() {
        use crate::aws::event::of;
        use serde_json::json;
        let e = of("aws_s3_bucket_cors_configuration", "s3", "PutBucketCors");
        // A lone rule comes as an object, a lone origin as a string (the XML mirrored).
        let req = json!({"bucketName": "site", "cors": [""], "CORSConfiguration": {"xmlns": "x",
            "CORSRule": {"AllowedMethod": ["GET", "HEAD"], "AllowedOrigin": "https://evil.example", "MaxAgeSeconds": 60}}});
        assert_eq!(e.identifiers(&req, &json!(null)), ["site"]);
        let w = e.writes(&req, &json!(null));
        let Written::Set { path, value } = &w[0] else { panic!("{w:?}") };
        assert_eq!(path, "cors_rule");
        let rule = &value.as_list().unwrap()[0];
        assert_eq!(rule.get("allowed_methods"), Some(&Value::string_list(["GET", "HEAD"])));
        assert_eq!(rule.get("allowed_origins"), Some(&Value::string_list(["https://evil.example"])));
        assert_eq!(rule.get("max_age_seconds"), Some(&Value::int(60)));
    }
}

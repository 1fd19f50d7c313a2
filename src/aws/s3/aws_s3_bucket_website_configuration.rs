//! `aws_s3_bucket_website_configuration`: GetBucketWebsite per bucket;
//! `NoSuchWebsiteConfiguration` means the bucket is no website.
//!
//! Filled: `id` (the bucket), `bucket`, `index_document = [{suffix}]`, `error_document =
//! [{key}]`, `redirect_all_requests_to = [{host_name, protocol}]` (`[]` when S3 answers
//! none) and `routing_rule`, a list of `{condition: [{http_error_code_returned_equals,
//! key_prefix_equals}], redirect: [{host_name, http_redirect_code, protocol,
//! replace_key_prefix_with, replace_key_with}]}` with `""` for what S3 leaves out, as the
//! provider stores them.
//! Absent (Unknown): `routing_rules`, the same rules as a JSON document the provider
//! renders itself (`routing_rule` carries every change to them), the computed
//! `website_domain` / `website_endpoint`, and `expected_bucket_owner` (a request header;
//! its id form is joined by `state_form`).

use aws_sdk_s3::operation::get_bucket_website::GetBucketWebsiteOutput;
use aws_sdk_s3::types::RoutingRule;
use futures::FutureExt;

use super::listing::per_bucket;
use crate::aws::event::{Event, W};
use crate::aws::state_form::BY_BUCKET;
use crate::aws::{Ctx, FetchResult, Read, ResourceType};
use crate::model::{Resource, Value};

const TYPES: &[&str] = &["aws_s3_bucket_website_configuration"];

pub static TYPE: ResourceType = ResourceType {
    read: Some(Read { fetch: |ctx| fetch(ctx).boxed(), global: false }),
    identity: super::SETTING,
    parent: Some("aws_s3_bucket"),
    events: &[
        super::DELETE_BUCKET,
        Event::modify("s3", "PutBucketWebsite", &["bucketName"]).writing(&[
            W::Param("index_document[0].suffix", "WebsiteConfiguration.IndexDocument.Suffix"),
            W::Param("error_document[0].key", "WebsiteConfiguration.ErrorDocument.Key"),
            W::Param("redirect_all_requests_to[0].host_name", "WebsiteConfiguration.RedirectAllRequestsTo.HostName"),
            W::Touch("routing_rule"),
        ]),
        Event::delete("s3", "DeleteBucketWebsite", &["bucketName"]),
    ],
    state_form: Some(BY_BUCKET),
    ..ResourceType::base("aws_s3_bucket_website_configuration", "s3")
};

async fn fetch(ctx: &Ctx) -> FetchResult {
    let s3 = ctx.client::<aws_sdk_s3::Client>();
    let got =
        per_bucket(ctx, TYPES, &["NoSuchWebsiteConfiguration"], |b| s3.get_bucket_website().bucket(b).send()).await?;
    Ok(got.into_iter().filter_map(|(name, o)| Some(map(&name, &o?, &ctx.region, &ctx.account))).collect())
}

/// Pure mapping from GetBucketWebsite's answer.
pub fn map(bucket: &str, o: &GetBucketWebsiteOutput, region: &str, account: &str) -> Resource {
    let one = |v: Option<Value>| Value::List(v.into_iter().collect());
    let index = one(o.index_document().map(|d| Value::object([("suffix", d.suffix().into())])));
    let error = one(o.error_document().map(|d| Value::object([("key", d.key().into())])));
    let redirect_all = one(o.redirect_all_requests_to().map(|d| {
        Value::object([
            ("host_name", d.host_name().into()),
            ("protocol", d.protocol().map(|p| p.as_str()).unwrap_or_default().into()),
        ])
    }));
    Resource::live("aws_s3_bucket_website_configuration", bucket, region, account, None)
        .with("id", bucket)
        .with("bucket", bucket)
        .with("index_document", index)
        .with("error_document", error)
        .with("redirect_all_requests_to", redirect_all)
        .with("routing_rule", Value::List(o.routing_rules().iter().map(routing_rule).collect()))
}

fn routing_rule(r: &RoutingRule) -> Value {
    let condition = match r.condition() {
        Some(c) => Value::block([
            ("http_error_code_returned_equals", c.http_error_code_returned_equals().unwrap_or_default().into()),
            ("key_prefix_equals", c.key_prefix_equals().unwrap_or_default().into()),
        ]),
        None => Value::List(Vec::new()),
    };
    let redirect = match r.redirect() {
        Some(d) => Value::block([
            ("host_name", d.host_name().unwrap_or_default().into()),
            ("http_redirect_code", d.http_redirect_code().unwrap_or_default().into()),
            ("protocol", d.protocol().map(|p| p.as_str()).unwrap_or_default().into()),
            ("replace_key_prefix_with", d.replace_key_prefix_with().unwrap_or_default().into()),
            ("replace_key_with", d.replace_key_with().unwrap_or_default().into()),
        ]),
        None => Value::List(Vec::new()),
    };
    Value::object([("condition", condition), ("redirect", redirect)])
}

#[cfg(test)]
mod tests {
    use super::*;
    use aws_sdk_s3::types::{Condition, ErrorDocument, IndexDocument, Redirect};

    #[test]
    fn maps_documents_and_routing_rules() {
        let o = GetBucketWebsiteOutput::builder()
            .index_document(IndexDocument::builder().suffix("index.html").build().unwrap())
            .error_document(ErrorDocument::builder().key("error.html").build().unwrap())
            .routing_rules(
                RoutingRule::builder()
                    .condition(Condition::builder().key_prefix_equals("docs/").build())
                    .redirect(Redirect::builder().replace_key_prefix_with("documents/").build())
                    .build(),
            )
            .build();
        let r = map("site", &o, "us-east-1", "123456789012");
        assert_eq!(r.id, "site");
        assert_eq!(r.attr("index_document"), &Value::block([("suffix", "index.html".into())]));
        assert_eq!(r.attr("error_document"), &Value::block([("key", "error.html".into())]));
        assert_eq!(r.attr("redirect_all_requests_to"), &Value::List(vec![]));
        assert_eq!(
            r.attr("routing_rule"),
            &Value::List(vec![Value::object([
                (
                    "condition",
                    Value::block([
                        ("http_error_code_returned_equals", "".into()),
                        ("key_prefix_equals", "docs/".into())
                    ])
                ),
                (
                    "redirect",
                    Value::block([
                        ("host_name", "".into()),
                        ("http_redirect_code", "".into()),
                        ("protocol", "".into()),
                        ("replace_key_prefix_with", "documents/".into()),
                        ("replace_key_with", "".into()),
                    ])
                ),
            ])])
        );
        for k in ["routing_rules", "website_endpoint", "expected_bucket_owner"] {
            assert!(!r.attributes.contains_key(k), "{k} stays Unknown");
        }
    }

    #[test]
    fn put_bucket_website_sets_the_index_document() {
        use crate::aws::event::{Written, of};
        use serde_json::json;
        let e = of("aws_s3_bucket_website_configuration", "s3", "PutBucketWebsite");
        let req = json!({"bucketName": "site", "website": [""],
            "WebsiteConfiguration": {"IndexDocument": {"Suffix": "home.html"}}});
        assert_eq!(e.identifiers(&req, &json!(null)), ["site"]);
        assert_eq!(
            e.writes(&req, &json!(null)),
            [
                Written::Set { path: "index_document[0].suffix".into(), value: "home.html".into() },
                Written::Touch { path: "routing_rule".into() }
            ]
        );
    }
}

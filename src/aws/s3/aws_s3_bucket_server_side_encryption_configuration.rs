//! `aws_s3_bucket_server_side_encryption_configuration`: GetBucketEncryption per bucket;
//! `ServerSideEncryptionConfigurationNotFoundError` means the bucket has none.
//!
//! Filled: `id`, `bucket`, `rule` (a set) of `{apply_server_side_encryption_by_default:
//! [{sse_algorithm, kms_master_key_id}], bucket_key_enabled}` as provider v5 stores them:
//! `kms_master_key_id` is `""` when S3 names no key, `bucket_key_enabled` is null when S3
//! does not answer it.
//! Absent: `expected_bucket_owner` (a request header, not a bucket setting).
//!
//! Real S3 applies SSE-S3 to every bucket since January 2023 and answers it here
//! (`AES256`, no key, bucket key off): that configuration is an AWS default
//! (`aws_default = true`), so a bucket whose encryption Terraform does not manage does not
//! show up as an unmanaged encryption resource. moto answers "not found" instead.
//!
//! Known difference, not fixable here: when the configuration omits `bucket_key_enabled`,
//! the provider's apply stores null although S3 answers `<BucketKeyEnabled>false`; live is
//! `false`. `terraform plan -refresh-only` shows the same `null -> false` until the next
//! refresh. Live must stay `false` (a configuration that sets `false` stores `false`), so
//! the null-vs-false fold belongs to the normaliser.

use aws_sdk_s3::types::{ServerSideEncryption, ServerSideEncryptionConfiguration, ServerSideEncryptionRule};
use futures::FutureExt;

use super::aws_s3_bucket::{S3Source, s3_source, source_fields};
use super::listing::per_bucket;
use crate::aws::event::{Event, W, Written};
use crate::aws::view::*;
use crate::aws::{Ctx, FetchResult, Read, ResourceType, ViewPart};
use crate::model::{Resource, Value, View};
use serde_json::Value as J;

const TYPES: &[&str] = &["aws_s3_bucket_server_side_encryption_configuration"];

pub static TYPE: ResourceType = ResourceType {
    read: Some(Read { fetch: |ctx| fetch(ctx).boxed(), global: false }),
    identity: super::SETTING,
    parent: Some("aws_s3_bucket"),
    events: &[
        super::DELETE_BUCKET,
        Event::modify("s3", "PutBucketEncryption", &["bucketName"]).writing(&[W::Custom(sse_rules)]),
        Event::delete("s3", "DeleteBucketEncryption", &["bucketName"]),
    ],
    part_of_views: &["s3_bucket"],
    view_part: Some(ViewPart { field: "encryption", build: s3_encryption }),
    // `expected_bucket_owner` makes the state id `bucket,account`.
    state_form: Some(crate::aws::state_form::BY_BUCKET),
    ..ResourceType::base("aws_s3_bucket_server_side_encryption_configuration", "s3")
};

/// `ServerSideEncryptionConfiguration.Rule` (one object, or a list when there are several).
fn sse_rules(req: &serde_json::Value, _: &serde_json::Value, out: &mut Vec<Written>) {
    use crate::aws::event::{pluck, value};
    let mut rules = Vec::new();
    pluck(req, "ServerSideEncryptionConfiguration.Rule[]", &mut rules);
    if rules.is_empty() {
        out.push(Written::Touch { path: "rule".into() });
        return;
    }
    let elems = rules
        .into_iter()
        .map(|r| {
            let mut by_default = std::collections::BTreeMap::new();
            if let Some(d) = r.get("ApplyServerSideEncryptionByDefault") {
                if let Some(a) = d.get("SSEAlgorithm") {
                    by_default.insert("sse_algorithm".to_string(), value(a));
                }
                if let Some(k) = d.get("KMSMasterKeyID") {
                    by_default.insert("kms_master_key_id".to_string(), value(k));
                }
            }
            let mut m = std::collections::BTreeMap::new();
            m.insert("apply_server_side_encryption_by_default".to_string(), Value::List(vec![Value::Map(by_default)]));
            if let Some(b) = r.get("BucketKeyEnabled") {
                m.insert("bucket_key_enabled".to_string(), value(b));
            }
            Value::Map(m)
        })
        .collect();
    out.push(Written::Set { path: "rule".into(), value: Value::List(elems) });
}

async fn fetch(ctx: &Ctx) -> FetchResult {
    let s3 = ctx.client::<aws_sdk_s3::Client>();
    let got = per_bucket(ctx, TYPES, &["ServerSideEncryptionConfigurationNotFoundError"], |b| {
        s3.get_bucket_encryption().bucket(b).send()
    })
    .await?;
    Ok(got
        .into_iter()
        .filter_map(|(name, o)| {
            let conf = o?.server_side_encryption_configuration?;
            Some(map(&name, &conf, &ctx.region, &ctx.account))
        })
        .collect())
}

/// Pure mapping from the bucket's encryption configuration.
pub fn map(bucket: &str, c: &ServerSideEncryptionConfiguration, region: &str, account: &str) -> Resource {
    let rules = c.rules().iter().map(rule).collect::<Vec<_>>();
    let mut r = Resource::live("aws_s3_bucket_server_side_encryption_configuration", bucket, region, account, None)
        .with("id", bucket)
        .with("bucket", bucket)
        .with("rule", Value::List(rules));
    r.aws_default = is_aws_default(c);
    r
}

fn rule(r: &ServerSideEncryptionRule) -> Value {
    let default = match r.apply_server_side_encryption_by_default() {
        Some(d) => Value::block([
            ("sse_algorithm", d.sse_algorithm().as_str().into()),
            ("kms_master_key_id", d.kms_master_key_id().unwrap_or_default().into()),
        ]),
        None => Value::List(Vec::new()),
    };
    Value::object([
        ("apply_server_side_encryption_by_default", default),
        ("bucket_key_enabled", Value::opt_bool(r.bucket_key_enabled())),
    ])
}

/// What S3 gives every bucket nobody configured: SSE-S3, no key, bucket key off.
fn is_aws_default(c: &ServerSideEncryptionConfiguration) -> bool {
    match c.rules() {
        [r] => {
            r.bucket_key_enabled() != Some(true)
                && r.apply_server_side_encryption_by_default().is_some_and(|d| {
                    *d.sse_algorithm() == ServerSideEncryption::Aes256
                        && d.kms_master_key_id().unwrap_or_default().is_empty()
                })
        }
        _ => false,
    }
}

fn s3_encryption(b: &Resource, split: Option<&Resource>, view: View) -> J {
    let src = s3_source(b, split, "rule", "server_side_encryption_configuration", view);
    let mut o = Obj::default();
    source_fields(&mut o, b, &src);
    // The `rule` block: the split resource's attribute, or the inline block's `rule`.
    let rule = match &src {
        S3Source::Split(_, f) => Some(*f),
        S3Source::Inline(f) => Some(f.field("rule")),
        S3Source::Absent => None,
    };
    let Some(rule) = rule else {
        // No configuration: S3 encrypts with SSE-S3.
        o.put("sse_algorithm", "AES256")
            .put("kms", false)
            .put("dsse", false)
            .put("kms_master_key_id", J::Null)
            .put("customer_managed_key", false)
            .put("bucket_key_enabled", false);
        return o.finish();
    };
    let by_default = rule.field("apply_server_side_encryption_by_default");
    let alg = o.string("sse_algorithm", by_default.field("sse_algorithm"), Some("AES256"));
    let kms = alg.as_ref().ok().map(|a| matches!(a.as_deref(), Some("aws:kms" | "aws:kms:dsse")));
    o.opt("kms", kms);
    o.opt("dsse", alg.as_ref().ok().map(|a| a.as_deref() == Some("aws:kms:dsse")));
    let key = o.string("kms_master_key_id", by_default.field("kms_master_key_id"), None);
    let cmk = match (kms, key) {
        (Some(false), _) => Some(false),
        (Some(true), Ok(None)) => Some(false),
        (Some(true), Ok(Some(k))) => Some(!k.starts_with("alias/aws/")),
        _ => None,
    };
    o.opt("customer_managed_key", cmk);
    o.bool("bucket_key_enabled", rule.field("bucket_key_enabled"), false);
    o.finish()
}

#[cfg(test)]
mod tests {
    use super::*;
    use aws_sdk_s3::types::ServerSideEncryptionByDefault;

    fn conf(
        algo: ServerSideEncryption,
        key: Option<&str>,
        bucket_key: Option<bool>,
    ) -> ServerSideEncryptionConfiguration {
        let d =
            ServerSideEncryptionByDefault::builder().sse_algorithm(algo).set_kms_master_key_id(key.map(str::to_string));
        ServerSideEncryptionConfiguration::builder()
            .rules(
                ServerSideEncryptionRule::builder()
                    .apply_server_side_encryption_by_default(d.build().unwrap())
                    .set_bucket_key_enabled(bucket_key)
                    .build(),
            )
            .build()
            .unwrap()
    }

    #[test]
    fn kms_rule() {
        let key = "arn:aws:kms:us-east-1:123456789012:key/k";
        let r = map("b", &conf(ServerSideEncryption::AwsKms, Some(key), Some(true)), "us-east-1", "123456789012");
        assert_eq!(r.id, "b");
        assert_eq!(r.attr_str("bucket"), Some("b"));
        assert_eq!(
            r.attr("rule"),
            &Value::List(vec![Value::object([
                (
                    "apply_server_side_encryption_by_default",
                    Value::block([("sse_algorithm", "aws:kms".into()), ("kms_master_key_id", key.into())])
                ),
                ("bucket_key_enabled", Value::Bool(true)),
            ])])
        );
        assert!(!r.aws_default);
    }

    #[test]
    fn sse_s3_without_bucket_key_answer_is_the_aws_default() {
        let r = map("b", &conf(ServerSideEncryption::Aes256, None, None), "us-east-1", "123456789012");
        let rule = &r.attr("rule").as_list().unwrap()[0];
        assert_eq!(rule.get("bucket_key_enabled"), Some(&Value::Null));
        assert_eq!(
            rule.get("apply_server_side_encryption_by_default").and_then(|d| d.get("kms_master_key_id")),
            Some(&Value::from(""))
        );
        assert!(r.aws_default);
        assert!(map("b", &conf(ServerSideEncryption::Aes256, None, Some(false)), "r", "a").aws_default);
        assert!(!map("b", &conf(ServerSideEncryption::Aes256, None, Some(true)), "r", "a").aws_default);
    }

    #[test]
    fn request_mirrors_the_xml() {
        use crate::aws::event::{Written, of};
        use serde_json::{Value as Json, json};
        let e = of("aws_s3_bucket_server_side_encryption_configuration", "s3", "PutBucketEncryption");
        let req = json!({"bucketName":"b","encryption":"","ServerSideEncryptionConfiguration":{"xmlns":"x",
            "Rule":{"ApplyServerSideEncryptionByDefault":{"SSEAlgorithm":"AES256"},"BucketKeyEnabled":false}}});
        let w: Vec<Written> = e.writes(&req, &Json::Null);
        assert_eq!(w.len(), 1);
        assert!(serde_json::to_string(&w[0]).unwrap().contains("AES256"));
    }
}

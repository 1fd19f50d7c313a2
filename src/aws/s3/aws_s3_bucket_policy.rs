//! `aws_s3_bucket_policy`: GetBucketPolicy per bucket; `NoSuchBucketPolicy` means none.
//!
//! Filled: `id`, `bucket`, `policy` (the JSON document exactly as S3 returns it; the diff
//! engine compares policies as JSON, so key order and whitespace never count).

use aws_sdk_s3::operation::get_bucket_policy::GetBucketPolicyOutput;
use futures::FutureExt;

use super::aws_s3_bucket::{S3Source, s3_source, source_fields};
use super::listing::per_bucket;
use crate::aws::event::{Event, W, Written};
use crate::aws::view::*;
use crate::aws::{Ctx, FetchResult, Read, ResourceType, ViewPart};
use crate::model::{Resource, Value, View};
use serde_json::{Value as J, json};

const TYPES: &[&str] = &["aws_s3_bucket_policy"];

pub static TYPE: ResourceType = ResourceType {
    read: Some(Read { fetch: |ctx| fetch(ctx).boxed(), global: false }),
    identity: super::SETTING,
    parent: Some("aws_s3_bucket"),
    events: &[
        super::DELETE_BUCKET,
        Event::modify("s3", "PutBucketPolicy", &["bucketName"]).writing(&[W::Custom(bucket_policy)]),
        Event::delete("s3", "DeleteBucketPolicy", &["bucketName"]),
    ],
    part_of_views: &["s3_bucket"],
    view_part: Some(ViewPart { field: "policy", build: s3_policy }),
    ..ResourceType::base("aws_s3_bucket_policy", "s3")
};

/// `bucketPolicy` comes already parsed (an object) or as a string.
fn bucket_policy(req: &serde_json::Value, _: &serde_json::Value, out: &mut Vec<Written>) {
    match req.get("bucketPolicy") {
        Some(serde_json::Value::String(s)) => {
            out.push(Written::Set { path: "policy".into(), value: Value::str(s.clone()) })
        }
        Some(p @ serde_json::Value::Object(_)) => {
            out.push(Written::Set { path: "policy".into(), value: Value::str(p.to_string()) })
        }
        _ => out.push(Written::Touch { path: "policy".into() }),
    }
}

async fn fetch(ctx: &Ctx) -> FetchResult {
    let s3 = ctx.client::<aws_sdk_s3::Client>();
    let got = per_bucket(ctx, TYPES, &["NoSuchBucketPolicy"], |b| s3.get_bucket_policy().bucket(b).send()).await?;
    Ok(got.into_iter().filter_map(|(name, o)| Some(map(&name, &o?, &ctx.region, &ctx.account))).collect())
}

/// Pure mapping from GetBucketPolicy's answer.
pub fn map(bucket: &str, o: &GetBucketPolicyOutput, region: &str, account: &str) -> Resource {
    Resource::live("aws_s3_bucket_policy", bucket, region, account, None)
        .with("id", bucket)
        .with("bucket", bucket)
        .with("policy", Value::opt_str(o.policy()))
}

fn s3_policy(b: &Resource, split: Option<&Resource>, view: View) -> J {
    let src = s3_source(b, split, "policy", "policy", view);
    let mut o = Obj::default();
    source_fields(&mut o, b, &src);
    let doc = match &src {
        S3Source::Split(_, f) | S3Source::Inline(f) => parse_policy(*f),
        S3Source::Absent => Ok(None),
    };
    match doc {
        Ok(d) => {
            let deny = d.as_ref().map(denies_insecure_transport).unwrap_or(false);
            o.put("document", d.unwrap_or(J::Null)).put("denies_insecure_transport", deny);
        }
        Err(()) => {
            o.unknown("document").unknown("denies_insecure_transport");
        }
    }
    o.finish()
}

/// A `Deny` for every principal on all S3 actions when `aws:SecureTransport` is false.
fn denies_insecure_transport(doc: &J) -> bool {
    let as_list = |v: Option<&J>| -> Vec<J> {
        match v {
            Some(J::Array(a)) => a.clone(),
            Some(v) => vec![v.clone()],
            None => vec![],
        }
    };
    as_list(doc.get("Statement")).iter().any(|s| {
        let deny = s.get("Effect").and_then(J::as_str) == Some("Deny");
        let everyone = match s.get("Principal") {
            Some(J::String(p)) => p == "*",
            Some(J::Object(m)) => as_list(m.get("AWS")).iter().any(|p| p.as_str() == Some("*")),
            _ => false,
        };
        let all_actions = as_list(s.get("Action")).iter().any(|a| matches!(a.as_str(), Some("s3:*" | "*")));
        let insecure = s
            .get("Condition")
            .and_then(|c| c.get("Bool"))
            .and_then(|b| b.get("aws:SecureTransport"))
            .is_some_and(|v| as_list(Some(v)).iter().any(|x| x == &json!("false") || x == &json!(false)));
        deny && everyone && all_actions && insecure
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn keeps_the_document_as_returned() {
        let doc = r#"{"Version":"2012-10-17","Statement":[{"Effect":"Deny","Principal":"*","Action":"s3:*","Resource":"arn:aws:s3:::b/*"}]}"#;
        let o = GetBucketPolicyOutput::builder().policy(doc).build();
        let r = map("b", &o, "us-east-1", "123456789012");
        assert_eq!(r.id, "b");
        assert_eq!(r.attr_str("bucket"), Some("b"));
        assert_eq!(r.attr_str("policy"), Some(doc));
    }
}

//! `aws_s3_object`: one HeadObject and one GetObjectTagging per object a scanned state
//! names, for the objects whose bucket lives in the context's region (the shared bucket
//! listing says which), fanned out under the S3 bound.
//!
//! Objects are data, not infrastructure: a bucket's other objects are never listed, and no
//! object is ever unmanaged. An object a state names that is gone (404) is missing.
//!
//! Identity: the provider's id is the key alone (`docs/README.txt`); objects with the same
//! key in two buckets of one region join on the key and the region, so such a pair may be
//! compared crosswise (the provider's own id cannot tell them apart either).
//!
//! Filled as the provider reads an object back: the HTTP headers (`cache_control`,
//! `content_disposition`, `content_encoding`, `content_language`, `content_type`),
//! `metadata`, `storage_class` (`STANDARD` when S3 names none), `server_side_encryption`,
//! `kms_key_id` (for SSE-KMS only), `bucket_key_enabled`, `etag` (without quotes),
//! `version_id`, `website_redirect`, the object lock settings, `tags`.
//! Left Unknown: what only the configuration knows (`content`, `content_base64`, `source`,
//! `source_hash`, `acl`, `force_destroy`) and the checksums (read only in checksum mode).

use aws_sdk_s3::operation::head_object::HeadObjectOutput;
use aws_sdk_s3::types::Tag;
use aws_smithy_types::date_time::Format;
use futures::{FutureExt, StreamExt, TryStreamExt};

use super::listing;
use crate::aws::errors::{read_error, service_code};
use crate::aws::event::{Event, W};
use crate::aws::{Ctx, FetchResult, Identity, Read, ResourceType};
use crate::model::{ReadError, Resource, Value};

const TYPES: &[&str] = &["aws_s3_object"];

pub static TYPE: ResourceType = ResourceType {
    read: Some(Read { fetch: |ctx| fetch(ctx).boxed(), global: false }),
    identity: Identity { names: &["key"], parent_attr: Some("bucket"), global_names: true, ..Identity::NONE },
    events: &[
        // Data events: in a trail only when it records S3 data events.
        // `requestParameters` carry the bucket and key (and the SSE settings), not the
        // object's headers: a put rewrites the whole object.
        Event::create("s3", "PutObject", &["key"]).writing(&[W::Touch("etag")]),
        Event::create("s3", "CopyObject", &["key"]).writing(&[W::Touch("etag"), W::Touch("metadata")]),
        Event::delete("s3", "DeleteObject", &["key"]),
        Event::modify("s3", "PutObjectTagging", &["key"]).writing(&[W::Touch("tags")]),
        Event::modify("s3", "DeleteObjectTagging", &["key"]).writing(&[W::Touch("tags")]),
    ],
    ..ResourceType::base("aws_s3_object", "s3")
};

/// A state's object: `(bucket, key)`.
type Named = (String, String);

async fn fetch(ctx: &Ctx) -> FetchResult {
    let mut wanted: Vec<Named> = ctx
        .state_resources("aws_s3_object")
        .filter_map(|r| Some((r.attr_str("bucket")?.to_string(), r.attr_str("key").unwrap_or(&r.id).to_string())))
        .filter(|(b, k)| !b.is_empty() && !k.is_empty())
        .collect();
    wanted.sort();
    wanted.dedup();
    if wanted.is_empty() {
        return Ok(Vec::new());
    }
    let here: std::collections::BTreeSet<String> = listing::buckets(ctx)
        .await
        .map_err(|e| ReadError { affected_types: vec![TYPES[0].to_string()], ..e })?
        .into_iter()
        .map(|b| b.name)
        .collect();
    let s3 = ctx.client::<aws_sdk_s3::Client>();
    let s3 = &s3;
    let found: Vec<Option<Resource>> = futures::stream::iter(wanted.into_iter().filter(|(b, _)| here.contains(b)))
        .map(|(bucket, key)| async move {
            let head = {
                let _p = ctx.permit("s3").await;
                s3.head_object().bucket(&bucket).key(&key).send().await
            };
            let head = match head {
                Ok(h) => h,
                Err(e) if gone(&e) => return Ok(None),
                Err(e) => return Err(read_error("s3", &ctx.region, TYPES, e)),
            };
            let tags = {
                let _p = ctx.permit("s3").await;
                s3.get_object_tagging().bucket(&bucket).key(&key).send().await
            };
            let tags = match tags {
                Ok(t) => t.tag_set().to_vec(),
                Err(e) if matches!(service_code(&e), Some("NoSuchKey" | "NoSuchBucket")) => return Ok(None),
                Err(e) => return Err(read_error("s3", &ctx.region, TYPES, e)),
            };
            Ok::<_, ReadError>(Some(map(&bucket, &key, &head, &tags, &ctx.region, &ctx.account)))
        })
        .buffer_unordered(ctx.limit("s3"))
        .try_collect()
        .await?;
    Ok(found.into_iter().flatten().collect())
}

/// A HeadObject failure that means the object (or its bucket) is not there.
fn gone<E, R>(e: &aws_smithy_runtime_api::client::result::SdkError<E, R>) -> bool
where
    E: aws_sdk_s3::error::ProvideErrorMetadata,
    R: crate::aws::errors::HttpStatus,
{
    match e {
        aws_smithy_runtime_api::client::result::SdkError::ServiceError(se) => {
            // HEAD has no body: a missing object or bucket is a bare 404.
            matches!(se.err().code(), Some("NotFound" | "NoSuchKey" | "NoSuchBucket")) || se.raw().status() == 404
        }
        _ => false,
    }
}

/// Pure mapping from HeadObject's answer and the object's tags to provider v5 attributes.
pub fn map(bucket: &str, key: &str, h: &HeadObjectOutput, tags: &[Tag], region: &str, account: &str) -> Resource {
    let s = |v: Option<&str>| Value::str(v.unwrap_or_default());
    let arn = format!("{}/{key}", listing::bucket_arn(bucket, region));
    let sse = h.server_side_encryption().map(|e| e.as_str()).unwrap_or_default();
    let mut r = Resource::live("aws_s3_object", key, region, account, Some(arn.clone()))
        .with("id", key)
        .with("arn", arn)
        .with("bucket", bucket)
        .with("key", key)
        .with("cache_control", s(h.cache_control()))
        .with("content_disposition", s(h.content_disposition()))
        .with("content_encoding", s(h.content_encoding()))
        .with("content_language", s(h.content_language()))
        .with("content_type", s(h.content_type()))
        .with("metadata", Value::string_map(h.metadata().into_iter().flatten().map(|(k, v)| (k.clone(), v.clone()))))
        .with("storage_class", h.storage_class().map(|c| c.as_str()).unwrap_or("STANDARD"))
        .with("server_side_encryption", sse)
        .with("bucket_key_enabled", h.bucket_key_enabled().unwrap_or(false))
        .with("etag", h.e_tag().unwrap_or_default().trim_matches('"'))
        .with("version_id", s(h.version_id()))
        .with("website_redirect", s(h.website_redirect_location()))
        .with("object_lock_legal_hold_status", s(h.object_lock_legal_hold_status().map(|v| v.as_str())))
        .with("object_lock_mode", s(h.object_lock_mode().map(|v| v.as_str())))
        .with(
            "object_lock_retain_until_date",
            h.object_lock_retain_until_date().and_then(|d| d.fmt(Format::DateTime).ok()).unwrap_or_default(),
        )
        .with("tags", crate::aws::tags::s3(tags));
    if sse == "aws:kms" || sse == "aws:kms:dsse" {
        r.set("kms_key_id", s(h.ssekms_key_id()));
    }
    r
}

#[cfg(test)]
mod tests {
    use super::*;
    use aws_sdk_s3::types::{ServerSideEncryption, StorageClass};
    use serde_json::json;

    #[test]
    fn maps_an_object() {
        let h = HeadObjectOutput::builder()
            .content_type("application/json")
            .cache_control("public; max-age=1200")
            .e_tag("\"ab02\"")
            .storage_class(StorageClass::OnezoneIa)
            .server_side_encryption(ServerSideEncryption::AwsKms)
            .ssekms_key_id("arn:aws:kms:us-east-1:1:key/k")
            .metadata("another-key", "value2")
            .build();
        let tags = [Tag::builder().key("Sensitive").value("not-really").build().unwrap()];
        let r = map("reach-data", "documents/invoice.json", &h, &tags, "us-east-1", "1");
        assert_eq!(r.id, "documents/invoice.json");
        assert_eq!(r.attr_str("arn"), Some("arn:aws:s3:::reach-data/documents/invoice.json"));
        assert_eq!(r.attr_str("etag"), Some("ab02"));
        assert_eq!(r.attr_str("storage_class"), Some("ONEZONE_IA"));
        assert_eq!(r.attr_str("kms_key_id"), Some("arn:aws:kms:us-east-1:1:key/k"));
        assert_eq!(r.attr("metadata"), &Value::string_map([("another-key", "value2")]));
        assert_eq!(r.attr("tags"), &Value::string_map([("Sensitive", "not-really")]));
        assert_eq!(r.attr("content"), &Value::Unknown);
        let plain = map("b", "k", &HeadObjectOutput::builder().build(), &[], "us-east-1", "1");
        assert_eq!(plain.attr_str("storage_class"), Some("STANDARD"));
        assert_eq!(plain.attr_str("server_side_encryption"), Some(""));
        assert_eq!(plain.attr("kms_key_id"), &Value::Unknown);
    }

    #[test]
    fn object_events_name_the_key() {
        let e = crate::aws::event::of("aws_s3_object", "s3", "DeleteObject");
        assert_eq!(
            e.identifiers(&json!({"bucketName": "reach-data", "key": "docs/README.txt"}), &json!(null)),
            ["docs/README.txt"]
        );
    }
}

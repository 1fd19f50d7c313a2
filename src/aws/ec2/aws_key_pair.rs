//! `aws_key_pair`: DescribeKeyPairs (one call: EC2 does not paginate it). Identity: the key
//! name (`id` = `key_name`); the ARN is `key-pair/<name>`.
//!
//! Left Unknown: `public_key`. The provider never reads it back (it keeps what was
//! imported); AWS keeps only the fingerprint, which is compared instead (a key replaced
//! under the same name has another fingerprint).

use aws_sdk_ec2::types::KeyPairInfo;
use futures::FutureExt;

use crate::aws::errors::read_error;
use crate::aws::event::Event;
use crate::aws::{Ctx, FetchResult, Identity, Read, ResourceType};
use crate::model::{Resource, Value};

const TYPES: &[&str] = &["aws_key_pair"];

pub static TYPE: ResourceType = ResourceType {
    read: Some(Read { fetch: |ctx| fetch(ctx).boxed(), global: false }),
    identity: Identity::arn("ec2", "key-pair/", &["key_name", "key_pair_id"]),
    events: &[
        Event::create("ec2", "ImportKeyPair", &["keyName", "@keyPairId"]),
        Event::create("ec2", "CreateKeyPair", &["keyName", "@keyPairId"]),
        Event::delete("ec2", "DeleteKeyPair", &["keyName", "keyPairId"]),
        super::CREATE_TAGS,
        super::DELETE_TAGS,
    ],
    ..ResourceType::base("aws_key_pair", "ec2")
};

async fn fetch(ctx: &Ctx) -> FetchResult {
    let ec2 = ctx.client::<aws_sdk_ec2::Client>();
    let out = {
        let _p = ctx.permit("ec2").await;
        ec2.describe_key_pairs().send().await
    }
    .map_err(|e| read_error("ec2", &ctx.region, TYPES, e))?;
    Ok(out.key_pairs().iter().map(|k| map(k, &ctx.region, &ctx.account)).collect())
}

/// Pure mapping from the SDK's `KeyPairInfo` to provider v5 attributes.
pub fn map(k: &KeyPairInfo, region: &str, account: &str) -> Resource {
    let name = k.key_name().unwrap_or_default();
    let arn = format!("arn:aws:ec2:{region}:{account}:key-pair/{name}");
    Resource::live("aws_key_pair", name, region, account, Some(arn.clone()))
        .with("id", name)
        .with("arn", arn)
        .with("key_name", name)
        .with("key_name_prefix", super::name_prefix(name))
        .with("key_pair_id", Value::str(k.key_pair_id().unwrap_or_default()))
        .with("key_type", Value::str(k.key_type().map(|t| t.as_str()).unwrap_or_default()))
        .with("fingerprint", Value::str(k.key_fingerprint().unwrap_or_default()))
        .with("tags", crate::aws::tags::ec2(k.tags()))
}

#[cfg(test)]
mod tests {
    use super::*;
    use aws_sdk_ec2::types::KeyType;
    use serde_json::json;

    #[test]
    fn maps_a_key_pair() {
        let k = KeyPairInfo::builder()
            .key_name("reach-deployer")
            .key_pair_id("key-1")
            .key_type(KeyType::Ed25519)
            .key_fingerprint("ed:9f")
            .build();
        let r = map(&k, "us-east-1", "123456789012");
        assert_eq!(r.id, "reach-deployer");
        assert_eq!(r.attr_str("arn"), Some("arn:aws:ec2:us-east-1:123456789012:key-pair/reach-deployer"));
        assert_eq!(r.attr_str("key_type"), Some("ed25519"));
        assert_eq!(r.attr_str("key_name_prefix"), Some(""));
        assert_eq!(r.attr("public_key"), &Value::Unknown);
    }

    #[test]
    fn key_pair_events() {
        let e = crate::aws::event::of("aws_key_pair", "ec2", "ImportKeyPair");
        let req = json!({"keyName": "reach-deployer", "publicKeyMaterial": "c3NoLWVk"});
        assert_eq!(e.identifiers(&req, &json!({"keyPairId": "key-1"})), vec!["reach-deployer", "key-1"]);
    }
}

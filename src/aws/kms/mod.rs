//! KMS: keys (with rotation, policy and tags) and aliases.

mod aws_kms_alias;
mod aws_kms_key;
mod aws_kms_key_policy;

use super::Service;

crate::sdk_client!(aws_sdk_kms);

pub static SERVICE: Service = Service {
    name: "kms",
    concurrency: 8,
    types: &[&aws_kms_key::TYPE, &aws_kms_alias::TYPE, &aws_kms_key_policy::TYPE],
};

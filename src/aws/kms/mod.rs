//! KMS: keys (with rotation, policy and tags), aliases and grants.

mod aws_kms_alias;
mod aws_kms_grant;
mod aws_kms_key;
mod aws_kms_key_policy;

use super::Service;

crate::sdk_client!(aws_sdk_kms);

pub static SERVICE: Service = Service {
    name: "kms",
    concurrency: 8,
    types: &[&aws_kms_key::TYPE, &aws_kms_alias::TYPE, &aws_kms_key_policy::TYPE, &aws_kms_grant::TYPE],
};

//! KMS: keys (with rotation, policy and tags; made by KMS, imported, or replicated from
//! another region), aliases and grants.

mod aws_kms_alias;
mod aws_kms_external_key;
mod aws_kms_grant;
pub(crate) mod aws_kms_key;
mod aws_kms_key_policy;
mod aws_kms_replica_external_key;
mod aws_kms_replica_key;

use super::Service;

crate::sdk_client!(aws_sdk_kms);

pub static SERVICE: Service = Service {
    name: "kms",
    concurrency: 8,
    types: &[
        &aws_kms_key::TYPE,
        &aws_kms_alias::TYPE,
        &aws_kms_key_policy::TYPE,
        &aws_kms_grant::TYPE,
        &aws_kms_external_key::TYPE,
        &aws_kms_replica_key::TYPE,
        &aws_kms_replica_external_key::TYPE,
    ],
};

//! S3: buckets and the settings the provider splits into their own resources. S3 has no
//! bulk read: every setting is one Get per bucket, fanned out from one shared bucket
//! listing (`listing.rs`).

mod aws_s3_account_public_access_block;
mod aws_s3_bucket;
mod aws_s3_bucket_lifecycle_configuration;
mod aws_s3_bucket_logging;
mod aws_s3_bucket_ownership_controls;
mod aws_s3_bucket_policy;
mod aws_s3_bucket_public_access_block;
mod aws_s3_bucket_server_side_encryption_configuration;
mod aws_s3_bucket_versioning;
pub(crate) mod listing;

use super::event::Event;
use super::{Identity, Service};

// A custom endpoint (an emulator, a VPC endpoint by URL) cannot serve virtual-hosted bucket
// names.
crate::sdk_client!(aws_sdk_s3, |b, setup| b.force_path_style(setup.custom_endpoint));

pub static SERVICE: Service = Service {
    name: "s3",
    concurrency: 16,
    types: &[
        &aws_s3_bucket::TYPE,
        &aws_s3_bucket_server_side_encryption_configuration::TYPE,
        &aws_s3_bucket_versioning::TYPE,
        &aws_s3_bucket_public_access_block::TYPE,
        &aws_s3_bucket_policy::TYPE,
        &aws_s3_bucket_logging::TYPE,
        &aws_s3_bucket_ownership_controls::TYPE,
        &aws_s3_bucket_lifecycle_configuration::TYPE,
        &aws_s3_account_public_access_block::TYPE,
    ],
};

/// Buckets are named by their name everywhere (requests carry `bucketName`), in any region.
pub(crate) const BUCKET: Identity = Identity { global_names: true, ..Identity::arn("s3", "", &["bucket"]) };
/// A split setting is named by its bucket.
pub(crate) const SETTING: Identity = Identity { global_names: true, names: &["bucket"], ..Identity::NONE };

/// Deleting a bucket deletes every setting with it.
pub(crate) const DELETE_BUCKET: Event = Event::delete("s3", "DeleteBucket", &["bucketName"]);

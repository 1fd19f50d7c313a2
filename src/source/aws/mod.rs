//! Live AWS: one fetcher per resource type, each a thin SDK call (bulk List/Describe
//! pages) plus a pure mapping from the SDK's output into provider v5 attributes.
//!
//! Fetchers run concurrently; each service has its own concurrency bound (see
//! [`client::Ctx::permit`]) and every client uses the SDK's adaptive retry.

pub mod client;
pub mod errors;
pub mod tags;

mod aws_db_instance;
mod aws_db_subnet_group;
mod aws_ebs_volume;
mod aws_instance;
mod aws_kms_alias;
mod aws_kms_key;
mod aws_rds_cluster;
mod aws_s3_bucket;
mod aws_s3_bucket_lifecycle_configuration;
mod aws_s3_bucket_logging;
mod aws_s3_bucket_ownership_controls;
mod aws_s3_bucket_policy;
mod aws_s3_bucket_public_access_block;
mod aws_s3_bucket_server_side_encryption_configuration;
mod aws_s3_bucket_versioning;
mod aws_security_group;
mod aws_security_group_rule;
mod aws_subnet;
mod aws_vpc;
mod aws_vpc_security_group_rules;
pub(crate) mod s3_buckets;
pub mod state_object;

use futures::future::BoxFuture;

pub use client::{CallStats, Ctx};

use crate::model::{ReadError, Resource};

/// What a fetcher returns: every resource of its type(s) in the context's region, or the
/// one error that made the read incomplete.
pub type FetchResult = Result<Vec<Resource>, ReadError>;

/// One live reader.
pub struct Fetcher {
    /// The Terraform resource types this fetcher emits (usually one).
    pub types: &'static [&'static str],
    /// The AWS service it calls (for error reporting and the IAM policy).
    pub service: &'static str,
    pub fetch: for<'a> fn(&'a Ctx) -> BoxFuture<'a, FetchResult>,
}

/// Every live fetcher, in a fixed order. The order only matters for readability: the
/// scan sorts its output.
pub const FETCHERS: &[Fetcher] = &[
    aws_instance::FETCHER,
    aws_ebs_volume::FETCHER,
    aws_vpc::FETCHER,
    aws_subnet::FETCHER,
    aws_security_group::FETCHER,
    aws_security_group_rule::FETCHER,
    aws_vpc_security_group_rules::INGRESS,
    aws_vpc_security_group_rules::EGRESS,
    aws_db_instance::FETCHER,
    aws_db_subnet_group::FETCHER,
    aws_rds_cluster::FETCHER,
    aws_s3_bucket::FETCHER,
    aws_s3_bucket_versioning::FETCHER,
    aws_s3_bucket_server_side_encryption_configuration::FETCHER,
    aws_s3_bucket_public_access_block::FETCHER,
    aws_s3_bucket_policy::FETCHER,
    aws_s3_bucket_logging::FETCHER,
    aws_s3_bucket_ownership_controls::FETCHER,
    aws_s3_bucket_lifecycle_configuration::FETCHER,
    aws_kms_key::FETCHER,
    aws_kms_alias::FETCHER,
];

/// All resource types Plumb reads live.
pub fn supported_types() -> Vec<&'static str> {
    let mut v: Vec<_> = FETCHERS.iter().flat_map(|f| f.types.iter().copied()).collect();
    v.sort_unstable();
    v
}

//! S3: buckets and the settings the provider splits into their own resources, and the
//! objects a state writes. S3 has no bulk read: every setting is one Get per bucket, fanned
//! out from one shared bucket listing (`listing.rs`); objects are one HeadObject each, for
//! the objects a state names only.

mod aws_s3_account_public_access_block;
mod aws_s3_bucket;
mod aws_s3_bucket_accelerate_configuration;
mod aws_s3_bucket_acl;
mod aws_s3_bucket_analytics_configuration;
mod aws_s3_bucket_cors_configuration;
mod aws_s3_bucket_intelligent_tiering_configuration;
mod aws_s3_bucket_inventory;
mod aws_s3_bucket_lifecycle_configuration;
mod aws_s3_bucket_logging;
mod aws_s3_bucket_metric;
mod aws_s3_bucket_notification;
mod aws_s3_bucket_object_lock_configuration;
mod aws_s3_bucket_ownership_controls;
mod aws_s3_bucket_policy;
mod aws_s3_bucket_public_access_block;
mod aws_s3_bucket_replication_configuration;
mod aws_s3_bucket_request_payment_configuration;
mod aws_s3_bucket_server_side_encryption_configuration;
mod aws_s3_bucket_versioning;
mod aws_s3_bucket_website_configuration;
mod aws_s3_object;
pub(crate) mod listing;

use super::event::Event;
use super::{Identity, Service};

// A custom endpoint (an emulator, a VPC endpoint by URL) cannot serve virtual-hosted bucket
// names.
crate::sdk_client!(aws_sdk_s3, |b, setup| b.force_path_style(setup.custom_endpoint));

// S3 Control (the account's public access block) names the account in the host
// (`123456789012.s3-control.<region>.amazonaws.com`). A custom endpoint that is an IP address
// or `localhost` (an emulator, a tunnel) cannot carry that prefix: there the account travels in
// the `x-amz-account-id` header alone.
crate::sdk_client!(aws_sdk_s3control, |b, setup| if setup.custom_endpoint {
    b.endpoint_resolver(LiteralHostEndpoint::default())
} else {
    b
});

/// S3 Control's endpoint rules, minus the account prefix on a literal host (see above).
#[derive(Debug, Default)]
struct LiteralHostEndpoint(aws_sdk_s3control::config::endpoint::DefaultResolver);

impl aws_sdk_s3control::config::endpoint::ResolveEndpoint for LiteralHostEndpoint {
    fn resolve_endpoint<'a>(
        &'a self,
        params: &'a aws_sdk_s3control::config::endpoint::Params,
    ) -> aws_sdk_s3control::config::endpoint::EndpointFuture<'a> {
        let resolved = self.0.resolve_endpoint(params);
        aws_sdk_s3control::config::endpoint::EndpointFuture::new(async move {
            let endpoint = resolved.await?;
            Ok(match (params.endpoint(), params.account_id()) {
                (Some(custom), Some(account)) if literal_host(custom) => {
                    let url = endpoint.url().replacen(&format!("://{account}."), "://", 1);
                    endpoint.into_builder().url(url).build()
                }
                _ => endpoint,
            })
        })
    }
}

/// An endpoint URL whose host is an IP address or `localhost`: no subdomain can resolve.
fn literal_host(url: &str) -> bool {
    let rest = url.split_once("://").map(|(_, r)| r).unwrap_or(url);
    let authority = rest.split(['/', '?']).next().unwrap_or(rest);
    let host = match authority.strip_prefix('[') {
        Some(v6) => return v6.split(']').next().is_some_and(|h| h.parse::<std::net::Ipv6Addr>().is_ok()),
        None => authority.rsplit_once(':').map(|(h, _)| h).unwrap_or(authority),
    };
    host == "localhost" || host.parse::<std::net::Ipv4Addr>().is_ok()
}

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
        &aws_s3_bucket_acl::TYPE,
        &aws_s3_bucket_cors_configuration::TYPE,
        &aws_s3_bucket_website_configuration::TYPE,
        &aws_s3_bucket_object_lock_configuration::TYPE,
        &aws_s3_bucket_accelerate_configuration::TYPE,
        &aws_s3_bucket_request_payment_configuration::TYPE,
        &aws_s3_bucket_intelligent_tiering_configuration::TYPE,
        &aws_s3_bucket_metric::TYPE,
        &aws_s3_bucket_notification::TYPE,
        &aws_s3_bucket_replication_configuration::TYPE,
        &aws_s3_account_public_access_block::TYPE,
        &aws_s3_bucket_inventory::TYPE,
        &aws_s3_bucket_analytics_configuration::TYPE,
        &aws_s3_object::TYPE,
    ],
};

/// Buckets are named by their name everywhere (requests carry `bucketName`), in any region.
pub(crate) const BUCKET: Identity = Identity { global_names: true, ..Identity::arn("s3", "", &["bucket"]) };
/// A split setting is named by its bucket.
pub(crate) const SETTING: Identity = Identity { global_names: true, names: &["bucket"], ..Identity::NONE };

#[cfg(test)]
mod tests {
    #[test]
    fn literal_hosts() {
        use super::literal_host;
        assert!(literal_host("http://127.0.0.1:5000"));
        assert!(literal_host("http://localhost:4566/"));
        assert!(literal_host("http://[::1]:5000"));
        assert!(!literal_host("https://s3-control.us-east-1.amazonaws.com"));
        assert!(!literal_host("https://control.vpce-1a2b.s3.us-east-1.vpce.amazonaws.com"));
    }
}

/// Deleting a bucket deletes every setting with it.
pub(crate) const DELETE_BUCKET: Event = Event::delete("s3", "DeleteBucket", &["bucketName"]);

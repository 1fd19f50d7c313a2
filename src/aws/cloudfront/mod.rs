//! CloudFront: distributions (account-wide: read once).

mod aws_cloudfront_distribution;

use super::Service;

crate::sdk_client!(aws_sdk_cloudfront);

pub static SERVICE: Service =
    Service { name: "cloudfront", concurrency: 4, types: &[&aws_cloudfront_distribution::TYPE] };

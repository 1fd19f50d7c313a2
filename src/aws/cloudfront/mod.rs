//! CloudFront: distributions.

mod aws_cloudfront_distribution;

use super::Service;

pub static SERVICE: Service =
    Service { name: "cloudfront", concurrency: 4, types: &[&aws_cloudfront_distribution::TYPE] };

//! CloudTrail: trails.

mod aws_cloudtrail;

use super::Service;

crate::sdk_client!(aws_sdk_cloudtrail);

pub static SERVICE: Service = Service { name: "cloudtrail", concurrency: 4, types: &[&aws_cloudtrail::TYPE] };

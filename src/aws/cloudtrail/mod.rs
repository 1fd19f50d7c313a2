//! CloudTrail: trails.

mod aws_cloudtrail;

use super::Service;

pub static SERVICE: Service = Service { name: "cloudtrail", concurrency: 4, types: &[&aws_cloudtrail::TYPE] };

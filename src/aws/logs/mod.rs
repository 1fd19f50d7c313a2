//! CloudWatch Logs: log groups.

mod aws_cloudwatch_log_group;

use super::Service;

crate::sdk_client!(aws_sdk_cloudwatchlogs);

pub static SERVICE: Service = Service { name: "logs", concurrency: 4, types: &[&aws_cloudwatch_log_group::TYPE] };

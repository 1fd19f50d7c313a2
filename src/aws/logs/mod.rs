//! CloudWatch Logs: log groups.

mod aws_cloudwatch_log_group;

use super::Service;

pub static SERVICE: Service = Service { name: "logs", concurrency: 4, types: &[&aws_cloudwatch_log_group::TYPE] };

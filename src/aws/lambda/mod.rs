//! Lambda: functions (configuration only, never the code).

mod aws_lambda_function;

use super::Service;

crate::sdk_client!(aws_sdk_lambda);

pub static SERVICE: Service = Service { name: "lambda", concurrency: 4, types: &[&aws_lambda_function::TYPE] };

//! DynamoDB: tables.

mod aws_dynamodb_table;

use super::Service;

crate::sdk_client!(aws_sdk_dynamodb);

pub static SERVICE: Service = Service { name: "dynamodb", concurrency: 4, types: &[&aws_dynamodb_table::TYPE] };

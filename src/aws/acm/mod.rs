//! Certificate Manager: certificates.

mod aws_acm_certificate;

use super::Service;

crate::sdk_client!(aws_sdk_acm);

pub static SERVICE: Service = Service { name: "acm", concurrency: 4, types: &[&aws_acm_certificate::TYPE] };

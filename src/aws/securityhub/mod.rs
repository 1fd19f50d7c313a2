//! Security Hub: the account's subscription and its standards.

mod aws_securityhub_account;
mod aws_securityhub_standards_subscription;

use aws_sdk_securityhub::error::ProvideErrorMetadata;
use aws_smithy_runtime_api::client::result::SdkError;

use super::Service;
use super::errors::service_code;

crate::sdk_client!(aws_sdk_securityhub);

pub static SERVICE: Service = Service {
    name: "securityhub",
    concurrency: 4,
    types: &[&aws_securityhub_account::TYPE, &aws_securityhub_standards_subscription::TYPE],
};

/// "Account ... is not subscribed to AWS Security Hub": a successful read of a region without
/// Security Hub, not an error.
pub(crate) fn not_subscribed<E: ProvideErrorMetadata, R>(e: &SdkError<E, R>) -> bool {
    service_code(e) == Some("InvalidAccessException")
}

//! Security Hub: the account's subscription and its standards.

mod aws_securityhub_account;
mod aws_securityhub_standards_subscription;

use super::Service;

pub static SERVICE: Service = Service {
    name: "securityhub",
    concurrency: 4,
    types: &[&aws_securityhub_account::TYPE, &aws_securityhub_standards_subscription::TYPE],
};

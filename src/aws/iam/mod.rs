//! IAM: policies, their attachments, access keys and the account password policy.

mod aws_iam_access_key;
mod aws_iam_account_password_policy;
mod aws_iam_group_policy;
mod aws_iam_group_policy_attachment;
mod aws_iam_policy;
mod aws_iam_policy_attachment;
mod aws_iam_role_policy;
mod aws_iam_role_policy_attachment;
mod aws_iam_user_policy;
mod aws_iam_user_policy_attachment;

use super::Service;

pub static SERVICE: Service = Service {
    name: "iam",
    concurrency: 4,
    types: &[
        &aws_iam_policy::TYPE,
        &aws_iam_role_policy::TYPE,
        &aws_iam_user_policy::TYPE,
        &aws_iam_group_policy::TYPE,
        &aws_iam_policy_attachment::TYPE,
        &aws_iam_role_policy_attachment::TYPE,
        &aws_iam_user_policy_attachment::TYPE,
        &aws_iam_group_policy_attachment::TYPE,
        &aws_iam_access_key::TYPE,
        &aws_iam_account_password_policy::TYPE,
    ],
};

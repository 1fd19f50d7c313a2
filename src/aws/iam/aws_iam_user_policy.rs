//! `aws_iam_user_policy`: not read live yet; judged in the `iam_policy` view.

use crate::aws::ResourceType;

pub static TYPE: ResourceType =
    ResourceType { view: Some(&super::aws_iam_policy::VIEW), ..ResourceType::base("aws_iam_user_policy", "iam") };

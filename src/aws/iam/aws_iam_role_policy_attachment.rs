//! `aws_iam_role_policy_attachment`: not read live yet; judged in the `iam_attachment` view.

use crate::aws::ResourceType;

pub static TYPE: ResourceType = ResourceType {
    view: Some(&super::aws_iam_policy_attachment::VIEW),
    ..ResourceType::base("aws_iam_role_policy_attachment", "iam")
};

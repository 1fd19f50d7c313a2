//! Tag lists of each SDK into the provider's `tags` map. AWS answers "no tags" with an
//! absent or empty list; both become an empty map (read, nothing set).

use crate::model::Value;

/// Keys AWS itself adds (`aws:cloudformation:*`, `aws:autoscaling:*`): the provider hides
/// them, so must we.
fn user_key(k: &str) -> bool {
    !k.starts_with("aws:")
}

pub fn ec2(tags: &[aws_sdk_ec2::types::Tag]) -> Value {
    Value::string_map(
        tags.iter()
            .filter_map(|t| Some((t.key()?.to_string(), t.value().unwrap_or_default().to_string())))
            .filter(|(k, _)| user_key(k)),
    )
}

pub fn rds(tags: &[aws_sdk_rds::types::Tag]) -> Value {
    Value::string_map(
        tags.iter()
            .filter_map(|t| Some((t.key()?.to_string(), t.value().unwrap_or_default().to_string())))
            .filter(|(k, _)| user_key(k)),
    )
}

pub fn s3(tags: &[aws_sdk_s3::types::Tag]) -> Value {
    Value::string_map(tags.iter().map(|t| (t.key().to_string(), t.value().to_string())).filter(|(k, _)| user_key(k)))
}

pub fn kms(tags: &[aws_sdk_kms::types::Tag]) -> Value {
    Value::string_map(
        tags.iter().map(|t| (t.tag_key().to_string(), t.tag_value().to_string())).filter(|(k, _)| user_key(k)),
    )
}

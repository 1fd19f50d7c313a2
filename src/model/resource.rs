//! The canonical resource: one Terraform resource type, its import id, its address when
//! managed, and provider v5 attributes.

use std::collections::BTreeMap;

use serde::Serialize;

use super::value::Value;

/// Where a resource was read from.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum Origin {
    /// A tfstate file (local path or s3:// URL) and the resource's index in it.
    State { file: String, index: usize },
    /// Terraform configuration: the file (relative to the checked directory) and line of the
    /// resource block.
    Config { file: String, line: u32 },
    /// The live AWS API.
    Live { arn: Option<String>, region: String, account: String },
}

#[derive(Debug, Clone, PartialEq)]
pub struct Resource {
    /// Terraform resource type, e.g. `aws_db_instance`.
    pub rtype: String,
    /// The provider's import id (what tfstate stores as `id`).
    pub id: String,
    /// Full Terraform address when managed; `None` for live resources.
    pub address: Option<String>,
    /// Region the resource lives in, when known.
    pub region: Option<String>,
    /// Attributes with provider v5 names. A key that is absent means "not read"
    /// (Unknown); fetchers set Null or empty values explicitly for "read, nothing set".
    pub attributes: BTreeMap<String, Value>,
    pub origin: Origin,
    /// Created by AWS itself (default VPC and its subnets and security group, AWS-managed
    /// KMS keys and `alias/aws/*`): never reported as unmanaged.
    pub aws_default: bool,
}

impl Resource {
    pub fn live(rtype: &str, id: impl Into<String>, region: &str, account: &str, arn: Option<String>) -> Self {
        Resource {
            rtype: rtype.to_string(),
            id: id.into(),
            address: None,
            region: Some(region.to_string()),
            attributes: BTreeMap::new(),
            origin: Origin::Live { arn, region: region.to_string(), account: account.to_string() },
            aws_default: false,
        }
    }

    /// Builder-style attribute setter for the pure mapping functions of the fetchers.
    pub fn with(mut self, key: &str, value: impl Into<Value>) -> Self {
        self.attributes.insert(key.to_string(), value.into());
        self
    }

    pub fn set(&mut self, key: &str, value: impl Into<Value>) {
        self.attributes.insert(key.to_string(), value.into());
    }

    pub fn attr(&self, key: &str) -> &Value {
        self.attributes.get(key).unwrap_or(&Value::Unknown)
    }

    pub fn attr_str(&self, key: &str) -> Option<&str> {
        self.attributes.get(key).and_then(Value::as_str)
    }

    /// Identity used to join views: type plus import id.
    pub fn key(&self) -> ResourceKey {
        ResourceKey { rtype: self.rtype.clone(), id: self.id.clone() }
    }
}

#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
pub struct ResourceKey {
    #[serde(rename = "type")]
    pub rtype: String,
    pub id: String,
}

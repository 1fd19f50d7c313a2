//! The vocabulary of the whole tool. No I/O, no dependencies on other modules.

mod excerpt;
mod glob;
pub mod policy;
mod resource;
pub mod sg;
mod value;

pub use excerpt::source_excerpt;
pub use glob::glob_match;
pub use resource::{Origin, Resource, ResourceKey};
pub use value::Value;

use serde::{Deserialize, Serialize};

/// A read that failed. The types it covers are excluded from missing and unmanaged
/// judgement: a failed or denied call is never drift.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Serialize)]
pub struct ReadError {
    /// The account the read was for, in runs over several accounts (`--config`).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub account: Option<String>,
    pub service: String,
    pub region: String,
    pub code: String,
    pub message: String,
    pub affected_types: Vec<String>,
}

/// A set of resources from one view, plus the reads that failed while building it.
#[derive(Debug, Clone, Default)]
pub struct Inventory {
    pub resources: Vec<Resource>,
    pub errors: Vec<ReadError>,
}

impl Inventory {
    pub fn extend(&mut self, other: Inventory) {
        self.resources.extend(other.resources);
        self.errors.extend(other.errors);
    }

    /// Types whose read failed in this inventory.
    pub fn failed_types(&self) -> std::collections::BTreeSet<&str> {
        self.errors.iter().flat_map(|e| e.affected_types.iter().map(String::as_str)).collect()
    }
}

/// Which view of the estate a finding was made in.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum View {
    /// What AWS answered.
    Live,
    /// What Terraform recorded.
    State,
    /// What the Terraform configuration (HCL) says.
    Config,
}

impl View {
    pub fn as_str(self) -> &'static str {
        match self {
            View::Live => "live",
            View::State => "state",
            View::Config => "config",
        }
    }
}

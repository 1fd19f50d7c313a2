//! Inputs: Terraform state files and live AWS. Each produces an [`crate::model::Inventory`].

pub mod hcl;
pub mod plan;
pub mod state_object;
pub mod tfstate;
pub mod yaml_list;

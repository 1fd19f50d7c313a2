//! Plumb: drift, hardening and attribution for Terraform-managed AWS estates.
//!
//! ```text
//! sources -> canonical resources -> normalize -> diff -> report
//! (tfstate, live AWS)   (AWS provider v5 attribute names everywhere)
//! ```
//!
//! `app` is the only module that wires the others; every other module depends only on
//! `model` and on the stages before it.

pub mod app;
pub mod attribution;
pub mod aws;
pub mod cli;
pub mod diff;
pub mod fix;
pub mod ledger;
pub mod model;
pub mod normalize;
pub mod report;
pub mod rules;
pub mod schema;
pub mod source;

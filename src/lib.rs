//! Plumb: drift, hardening and attribution for Terraform-managed AWS estates.
//!
//! ```text
//! sources -> canonical resources -> normalize -> diff -> report
//! (tfstate, live AWS)   (AWS provider v5 attribute names everywhere)
//! ```
//!
//! `app` is the only module that wires the others; every other module depends only on
//! `model` and on the stages before it.

/// What `plumb --version` prints: the package version and the commit it was built from
/// (`build.rs`: `PLUMB_COMMIT`, else git, else `unknown`).
pub const VERSION: &str = concat!(env!("CARGO_PKG_VERSION"), " (commit ", env!("PLUMB_COMMIT"), ")");

pub mod app;
pub mod attribution;
pub mod aws;
pub mod cli;
pub mod cli_generate;
pub mod diff;
pub mod estate;
pub mod fix;
pub mod ledger;
pub mod model;
pub mod normalize;
pub mod notify;
pub mod report;
pub mod rules;
pub mod schema;
pub mod source;

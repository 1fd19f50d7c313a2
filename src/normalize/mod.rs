//! Removing known false drift before comparing. Each pass is one small file, named for
//! the noise it removes, and runs over both views at once because some passes need to
//! see several resources (split S3 settings, security-group rule resources).
//!
//! Every pass is idempotent: running the chain twice changes nothing (a property test
//! checks it).

mod autoscaling_ids;
mod autoscaling_parts;
mod eip_associations;
mod iam_ids;
mod iam_role_parts;
mod nacl_rules;
mod null_vs_empty;
mod policy_json;
mod rds_engine_defaults;
mod region_settings;
mod route_inline_copies;
mod s3_inline_copies;
mod sg_rules;
mod tags_all;
mod unset_vs_default;
mod user_data_form;

use crate::model::Resource;

/// The two views being compared.
#[derive(Debug, Clone, Default)]
pub struct Views {
    /// What Terraform recorded.
    pub state: Vec<Resource>,
    /// What AWS answered.
    pub live: Vec<Resource>,
}

/// One named normalisation pass.
pub struct Pass {
    pub name: &'static str,
    pub why: &'static str,
    pub apply: fn(&mut Views),
}

/// The chain, in order. `null_vs_empty` runs last so that it also folds the empties the
/// other passes produce.
pub const PASSES: &[Pass] = &[
    tags_all::PASS,
    iam_ids::PASS,
    autoscaling_ids::PASS,
    iam_role_parts::PASS,
    s3_inline_copies::PASS,
    sg_rules::PASS,
    autoscaling_parts::PASS,
    route_inline_copies::PASS,
    nacl_rules::PASS,
    eip_associations::PASS,
    user_data_form::PASS,
    region_settings::PASS,
    policy_json::PASS,
    rds_engine_defaults::PASS,
    unset_vs_default::PASS,
    null_vs_empty::PASS,
];

pub fn normalize(views: &mut Views) {
    for pass in PASSES {
        (pass.apply)(views);
    }
}

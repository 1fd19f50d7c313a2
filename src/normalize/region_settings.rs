//! Region-wide EBS settings have no AWS id: Terraform names `aws_ebs_encryption_by_default`
//! with a random string and `aws_ebs_default_kms_key` with the key's ARN, while the live
//! fetchers name each region's setting after the setting. The state's settings take the live
//! name, so a changed setting is drift on its value (`enabled`, `key_arn`), not a missing and
//! a new resource. (A state's setting has no region of its own: with several regions scanned
//! it is judged against the first.)

use super::{Pass, Views};

pub const PASS: Pass = Pass {
    name: "region_settings",
    why: "region-wide settings are one per region whatever id Terraform gave them",
    apply,
};

const SETTINGS: &[&str] = &["aws_ebs_encryption_by_default", "aws_ebs_default_kms_key"];

fn apply(v: &mut Views) {
    for rtype in SETTINGS {
        let Some(live_id) = v.live.iter().find(|r| r.rtype == *rtype).map(|r| r.id.clone()) else { continue };
        for r in v.state.iter_mut().filter(|r| r.rtype == *rtype) {
            r.id = live_id.clone();
            r.set("id", live_id.as_str());
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::{Origin, Resource};

    #[test]
    fn the_state_setting_takes_the_live_name() {
        let s = Resource {
            rtype: "aws_ebs_encryption_by_default".into(),
            id: "terraform-20261207095639666700000002".into(),
            address: Some("aws_ebs_encryption_by_default.this".into()),
            region: None,
            attributes: Default::default(),
            origin: Origin::State { file: "s".into(), index: 0 },
            aws_default: false,
        };
        let l = Resource::live("aws_ebs_encryption_by_default", "ebs-encryption-by-default", "us-east-1", "1", None);
        let mut v = Views { state: vec![s.clone()], live: vec![l] };
        apply(&mut v);
        assert_eq!(v.state[0].id, "ebs-encryption-by-default");
        // Nothing read live (a failed read): the state keeps its id.
        let mut v = Views { state: vec![s], live: vec![] };
        apply(&mut v);
        assert_eq!(v.state[0].id, "terraform-20261207095639666700000002");
    }
}

//! `--include` / `--exclude`: which judged resources a scan reports. A resource is kept when
//! it matches an include pattern (or none is given) and no exclude pattern; a pattern matches
//! a resource's type, its address, or `TYPE ID` (unmanaged resources have no address), with
//! `*` and `?` as in waivers (brackets and dots literal).
//!
//! The selection applies to what is reported (resources, not-judged entries, findings, the
//! ledger's snapshot), never to what is read: a resource left out of the state would otherwise
//! come back as unmanaged.

use crate::model::glob_match;

#[derive(Debug, Clone, Default)]
pub struct Selection {
    pub include: Vec<String>,
    pub exclude: Vec<String>,
}

impl Selection {
    pub fn new(include: &[String], exclude: &[String]) -> Selection {
        Selection { include: include.to_vec(), exclude: exclude.to_vec() }
    }

    /// Everything is kept.
    pub fn is_all(&self) -> bool {
        self.include.is_empty() && self.exclude.is_empty()
    }

    pub fn keeps(&self, rtype: &str, address: Option<&str>, id: &str) -> bool {
        let typed = format!("{rtype} {id}");
        let hit =
            |p: &String| glob_match(p, rtype) || address.is_some_and(|a| glob_match(p, a)) || glob_match(p, &typed);
        (self.include.is_empty() || self.include.iter().any(hit)) && !self.exclude.iter().any(hit)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn s(include: &[&str], exclude: &[&str]) -> Selection {
        Selection::new(
            &include.iter().map(|p| p.to_string()).collect::<Vec<_>>(),
            &exclude.iter().map(|p| p.to_string()).collect::<Vec<_>>(),
        )
    }

    #[test]
    fn type_address_or_type_and_id() {
        let sel = s(&["aws_s3_*", "module.network.*"], &["*[\"scratch\"]*", "aws_iam_user admin-*"]);
        assert!(sel.keeps("aws_s3_bucket", Some("aws_s3_bucket.logs"), "logs"));
        assert!(sel.keeps("aws_subnet", Some("module.network.aws_subnet.a[0]"), "subnet-1"));
        assert!(!sel.keeps("aws_instance", Some("aws_instance.web"), "i-1"));
        assert!(!sel.keeps("aws_s3_bucket", Some("module.b[\"scratch\"].aws_s3_bucket.this"), "scratch"));
        assert!(s(&[], &["aws_iam_user admin-*"]).keeps("aws_iam_user", None, "dana"));
        assert!(!s(&[], &["aws_iam_user admin-*"]).keeps("aws_iam_user", None, "admin-bob"));
        assert!(s(&[], &[]).is_all() && s(&[], &[]).keeps("anything", None, "x"));
    }
}

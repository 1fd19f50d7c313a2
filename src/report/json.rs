//! JSON per design.md section 5: sorted, stable, `schema_version` first.

use super::ScanReport;

pub fn render(report: &ScanReport) -> String {
    let mut s = serde_json::to_string_pretty(report).expect("report serialises");
    s.push('\n');
    s
}

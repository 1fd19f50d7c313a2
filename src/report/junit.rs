//! JUnit XML for CI test tabs: one test suite per rule, one test case per rule and the
//! resource (joined view) it judged; a finding is a failure, a waived one is skipped.

use std::fmt::Write;

use super::check::{CheckReport, location, subject};

pub fn render(report: &CheckReport) -> String {
    let mut rules: Vec<_> = report.rules.iter().collect();
    rules.sort_by(|a, b| a.id.cmp(&b.id));
    let mut suites = String::new();
    let (mut total, mut failures, mut skipped) = (0usize, 0usize, 0usize);
    for rule in rules {
        let mut cases = String::new();
        let (mut n, mut fail, mut skip) = (0usize, 0usize, 0usize);
        let mut views: Vec<_> = report.views.iter().filter(|v| rule.resource_types.contains(&v.vtype)).collect();
        views.sort_by(|a, b| (&a.address, &a.id).cmp(&(&b.address, &b.id)));
        for v in views {
            n += 1;
            let name = v.address.clone().unwrap_or_else(|| v.id.clone());
            let mut attrs = format!(r#"classname="{}" name="{}""#, esc(&rule.id), esc(&name));
            if let Some(file) = &v.file {
                let _ = write!(attrs, r#" file="{}""#, esc(file));
            }
            if let Some(line) = v.line.filter(|l| *l > 0) {
                let _ = write!(attrs, r#" line="{line}""#);
            }
            let found: Vec<_> = report.findings.iter().filter(|f| f.rule_id == rule.id && f.id == v.id).collect();
            if found.is_empty() {
                let _ = writeln!(cases, "    <testcase {attrs}/>");
                continue;
            }
            let _ = writeln!(cases, "    <testcase {attrs}>");
            if found.iter().all(|f| f.waived) {
                skip += 1;
                let _ = writeln!(cases, r#"      <skipped message="waived"/>"#);
            } else {
                fail += 1;
                for f in found.iter().filter(|f| !f.waived) {
                    let _ = writeln!(
                        cases,
                        r#"      <failure type="{}" message="{}">{} {}: {}&#10;Fix: {}</failure>"#,
                        f.severity,
                        esc(&f.message),
                        esc(&location(f)),
                        esc(&subject(f)),
                        esc(&f.message),
                        esc(&rule.remediation)
                    );
                }
            }
            let _ = writeln!(cases, "    </testcase>");
        }
        total += n;
        failures += fail;
        skipped += skip;
        let _ = writeln!(
            suites,
            r#"  <testsuite name="{}: {}" tests="{n}" failures="{fail}" errors="0" skipped="{skip}">"#,
            esc(&rule.id),
            esc(&rule.title)
        );
        suites.push_str(&cases);
        suites.push_str("  </testsuite>\n");
    }
    // A rule that failed at run time is an error of its own suite: its findings are unknown.
    let errors = report.errors.len();
    if errors > 0 {
        let _ = writeln!(
            suites,
            r#"  <testsuite name="rule evaluation" tests="{errors}" failures="0" errors="{errors}" skipped="0">"#
        );
        for e in &report.errors {
            let _ = writeln!(
                suites,
                r#"    <testcase classname="plumb" name="rule evaluation"><error message="{}"/></testcase>"#,
                esc(e)
            );
        }
        suites.push_str("  </testsuite>\n");
    }
    total += errors;
    format!(
        "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<testsuites name=\"plumb check\" tests=\"{total}\" failures=\"{failures}\" errors=\"{errors}\" skipped=\"{skipped}\">\n{suites}</testsuites>\n"
    )
}

fn esc(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&apos;"),
            '\n' => out.push_str("&#10;"),
            c if (c as u32) < 0x20 && c != '\t' => {}
            c => out.push(c),
        }
    }
    out
}

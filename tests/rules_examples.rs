//! Every rule's examples behave as documented: the failing HCL example yields a finding of
//! that rule, the passing one none. Table-driven over the embedded rules, which must be
//! exactly the files under `rules/`.
//!
//! The examples go through the HCL loader `plumb check` uses (`src/source/hcl`), so a rule's
//! documented examples behave in a pull request as its docs say.

use std::path::Path;

use plumb::model::Resource;
use plumb::rules::{RuleSet, View, baseline::BASELINE, evaluate};

/// An example as `plumb check` reads it: its resources, and the addresses of the stubs
/// added for what it references without declaring.
struct Example {
    resources: Vec<Resource>,
    stubs: Vec<String>,
}

/// Config-view resources from the HCL of an example, through the loader `plumb check` uses.
/// Examples are snippets: a resource they reference but do not declare (`aws_kms_key.phi`)
/// is declared as an empty stub, and a variable as one without a value (Unknown), as a
/// reader pasting the example into a real module would have them. Findings on stubs do not
/// count.
fn load_example(hcl: &str) -> Example {
    use plumb::source::hcl::{HclError, load};
    let dir = tempfile::tempdir().expect("temporary directory");
    let mut stubs = Vec::new();
    let mut text = hcl.to_string();
    loop {
        std::fs::write(dir.path().join("main.tf"), &text).expect("write example");
        match load(dir.path(), &Default::default()) {
            Ok(config) => return Example { resources: config.resources, stubs },
            Err(HclError::Undeclared { what: "resource", name, .. }) if stubs.len() < 10 => {
                let (rtype, label) = name.split_once('.').expect("type.name");
                text.push_str(&format!("\nresource \"{rtype}\" \"{label}\" {{}}\n"));
                stubs.push(name);
            }
            Err(HclError::Undeclared { what: "variable", name, .. }) if stubs.len() < 10 => {
                text.push_str(&format!("\nvariable \"{name}\" {{}}\n"));
                stubs.push(format!("var.{name}"));
            }
            Err(e) => panic!("example does not load: {:?}\n{hcl}", miette::Report::new(e)),
        }
    }
}

#[test]
fn every_rule_file_is_embedded() {
    let mut on_disk = Vec::new();
    collect(Path::new(env!("CARGO_MANIFEST_DIR")).join("rules").as_path(), &mut on_disk);
    on_disk.sort();
    let embedded: Vec<String> = BASELINE.iter().map(|(p, _)| p.to_string()).collect();
    assert_eq!(on_disk, embedded, "src/rules/baseline.rs must list every rules/**/*.rego file, sorted by path");
    for rule in RuleSet::baseline().rules() {
        // rules/<service>/<ID>.rego, the service being the id's middle part.
        let service = rule.meta.id.split('-').nth(1).unwrap_or_default().to_ascii_lowercase();
        assert_eq!(rule.path, format!("rules/{service}/{}.rego", rule.meta.id));
    }
}

fn collect(dir: &Path, out: &mut Vec<String>) {
    for entry in std::fs::read_dir(dir).unwrap() {
        let path = entry.unwrap().path();
        if path.is_dir() {
            collect(&path, out);
        } else if path.extension().is_some_and(|e| e == "rego") {
            let rel = path.strip_prefix(env!("CARGO_MANIFEST_DIR")).unwrap();
            out.push(rel.to_string_lossy().into_owned());
        }
    }
}

#[test]
fn examples_behave_as_documented() {
    let all = RuleSet::baseline();
    assert!(all.len() >= 40, "the baseline has {} rules", all.len());
    let mut failures = Vec::new();
    for rule in all.rules() {
        let id = rule.meta.id.clone();
        let only = all.clone().filter(|r| r.meta.id == id);
        // A live-only rule's examples are the resources as the live read sees them.
        let view = if rule.meta.live_only { View::Live } else { View::Config };
        let Example { resources: fail, stubs } = load_example(&rule.meta.examples.fail);
        let mut findings = evaluate(&only, &fail, view);
        findings.retain(|f| f.address.as_ref().is_none_or(|a| !stubs.contains(a)));
        if findings.is_empty() {
            failures.push(format!("{id}: the failing example yields no finding"));
        }
        for f in &findings {
            let known = fail.iter().any(|r| r.address == f.address && r.rtype == f.rtype);
            if !known {
                failures.push(format!(
                    "{id}: finding points at {:?} ({}), not a resource of the example",
                    f.address, f.rtype
                ));
            }
            if f.view != view || f.severity != rule.meta.severity || f.controls != rule.meta.controls {
                failures.push(format!("{id}: finding does not carry the rule's view, severity and controls: {f:?}"));
            }
        }
        let Example { resources: pass, stubs } = load_example(&rule.meta.examples.pass);
        let mut findings = evaluate(&only, &pass, view);
        findings.retain(|f| f.address.as_ref().is_none_or(|a| !stubs.contains(a)));
        if !findings.is_empty() {
            failures.push(format!("{id}: the passing example yields {findings:?}"));
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

/// The example's text with the stubs it needs, written into `dir`, and the stubs' addresses.
fn write_example(dir: &Path, hcl: &str) -> Vec<String> {
    let example = load_example(hcl);
    let mut text = hcl.to_string();
    for stub in &example.stubs {
        match stub.strip_prefix("var.") {
            Some(name) => text.push_str(&format!("\nvariable \"{name}\" {{}}\n")),
            None => {
                let (rtype, label) = stub.split_once('.').expect("type.name");
                text.push_str(&format!("\nresource \"{rtype}\" \"{label}\" {{}}\n"));
            }
        }
    }
    std::fs::write(dir.join("main.tf"), text).expect("write example");
    example.stubs
}

/// `plumb fix --findings` on each rule's failing example (the library it runs): every
/// finding is patched, and the rule passes on the patched code.
#[test]
fn machine_fixes_make_the_failing_examples_pass() {
    use plumb::fix::{code::Code, hcl_edit::Edits, summary::Outcome};
    use plumb::source::hcl::load;
    let all = RuleSet::baseline();
    let metas: std::collections::BTreeMap<String, plumb::rules::RuleMeta> =
        all.rules().iter().map(|r| (r.meta.id.clone(), r.meta.clone())).collect();
    let mut failures = Vec::new();
    let mut fixed = 0;
    for rule in all.rules() {
        let has_changes = rule.meta.fix.as_ref().is_some_and(|f| !f.changes.is_empty());
        if !has_changes || rule.meta.live_only {
            continue;
        }
        let id = rule.meta.id.clone();
        let only = all.clone().filter(|r| r.meta.id == id);
        let dir = tempfile::tempdir().expect("temporary directory");
        let stubs = write_example(dir.path(), &rule.meta.examples.fail);
        let config = load(dir.path(), &Default::default()).expect("the example loads");
        let evaluated =
            config.resources.iter().filter_map(|r| Some((r.address.clone()?, r.attributes.clone()))).collect();
        let mut findings = evaluate(&only, &config.resources, View::Config);
        findings.retain(|f| f.address.as_ref().is_none_or(|a| !stubs.contains(a)));
        let code = Code::load(dir.path(), &[]).expect("the example's code loads");
        let mut edits = Edits::default();
        let reports = plumb::fix::findings::fix_all(&code, &evaluated, &findings, &metas, &mut edits);
        for r in reports.iter().filter(|r| r.outcome != Outcome::Patched) {
            failures.push(format!("{id}: {:?} not patched: {:?}", r.address, r.reason));
        }
        for (rel, (_, new, _)) in edits.results() {
            std::fs::write(dir.path().join(rel), new).expect("write the patched file");
        }
        let patched = match load(dir.path(), &Default::default()) {
            Ok(c) => c,
            Err(e) => {
                failures.push(format!("{id}: the patched example does not load: {:?}", miette::Report::new(e)));
                continue;
            }
        };
        let mut after = evaluate(&only, &patched.resources, View::Config);
        after.retain(|f| f.address.as_ref().is_none_or(|a| !stubs.contains(a)));
        if !after.is_empty() {
            let text = std::fs::read_to_string(dir.path().join("main.tf")).unwrap_or_default();
            failures.push(format!("{id}: still fails after the fix: {after:?}\n{text}"));
        }
        fixed += 1;
    }
    assert!(fixed >= 20, "{fixed} rules have a machine-applicable fix");
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

//! `docs/rules/` is generated from the rules' metadata; this test fails when the committed
//! pages are stale. Regenerate with `make rules-docs`, or without building the release
//! binary: `UPDATE_RULE_DOCS=1 cargo test --test rules_docs`.

use std::collections::BTreeMap;
use std::path::Path;

use plumb::rules::{RuleSet, docs};

#[test]
fn generated_rule_docs_are_up_to_date() {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("docs/rules");
    let rules = RuleSet::baseline();
    if std::env::var_os("UPDATE_RULE_DOCS").is_some() {
        docs::write(&rules, &dir).expect("writing docs/rules");
    }
    let expected = docs::render(&rules);
    let mut on_disk = BTreeMap::new();
    for entry in std::fs::read_dir(&dir).expect("docs/rules exists") {
        let path = entry.unwrap().path();
        let name = path.file_name().unwrap().to_string_lossy().into_owned();
        // Hand-written pages live next to the generated ones.
        if name.ends_with(".md") && (name == "README.md" || name.starts_with("HS-")) {
            on_disk.insert(name, std::fs::read_to_string(&path).unwrap());
        }
    }
    let stale: Vec<&String> = expected
        .keys()
        .chain(on_disk.keys())
        .filter(|k| expected.get(*k) != on_disk.get(*k))
        .collect::<std::collections::BTreeSet<_>>()
        .into_iter()
        .collect();
    assert!(
        stale.is_empty(),
        "docs/rules is stale ({stale:?}); regenerate with `make rules-docs` or `UPDATE_RULE_DOCS=1 cargo test --test rules_docs`"
    );
}

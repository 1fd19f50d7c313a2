//! `docs/coverage.md` is generated from the type declarations; this test fails when it is
//! stale. Regenerate with `UPDATE_COVERAGE_DOC=1 cargo test --test coverage_doc`.

use std::path::Path;

#[test]
fn coverage_doc_is_up_to_date() {
    let path = Path::new(env!("CARGO_MANIFEST_DIR")).join("docs/coverage.md");
    let expected = plumb::aws::coverage::markdown();
    if std::env::var_os("UPDATE_COVERAGE_DOC").is_some() {
        std::fs::write(&path, &expected).unwrap();
    }
    let on_disk = std::fs::read_to_string(&path).unwrap_or_default();
    assert!(
        on_disk == expected,
        "docs/coverage.md is stale; regenerate with `UPDATE_COVERAGE_DOC=1 cargo test --test coverage_doc`"
    );
}

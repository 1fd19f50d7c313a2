//! Golden states captured from real `terraform apply` runs on the emulator
//! (`scripts/capture-goldens.sh`): parsed without an emulator, for fast checks of
//! addresses, redaction and self-comparison.

use plumb::diff::compare;
use plumb::model::{Origin, Value};
use plumb::normalize::{Views, normalize};
use plumb::source::tfstate;

fn golden(name: &str) -> (String, String) {
    let path = format!("{}/testdata/tfstate/{name}", env!("CARGO_MANIFEST_DIR"));
    (path.clone(), std::fs::read_to_string(&path).unwrap())
}

#[test]
fn core_state_addresses_match_terraform() {
    let (path, text) = golden("core.tfstate");
    let resources = tfstate::parse(&path, &text).unwrap();
    let mut addresses: Vec<String> = resources.iter().map(|r| r.address.clone().unwrap()).collect();
    addresses.sort();
    insta::assert_snapshot!(addresses.join("\n"));
}

#[test]
fn the_database_password_never_survives_parsing() {
    let (path, text) = golden("core.tfstate");
    assert!(text.contains("not-a-real-secret-0"), "the golden holds the dummy password, as a real state would");
    let resources = tfstate::parse(&path, &text).unwrap();
    let db = resources.iter().find(|r| r.rtype == "aws_db_instance").unwrap();
    assert_eq!(db.attr("password"), &Value::Sensitive);
    assert!(!format!("{resources:?}").contains("not-a-real-secret-0"));
}

#[test]
fn a_state_compared_with_itself_is_in_sync() {
    let (path, text) = golden("core.tfstate");
    let state = tfstate::parse(&path, &text).unwrap();
    let live = state
        .iter()
        .cloned()
        .map(|mut r| {
            r.address = None;
            // AWS answers every tag, the provider's default tags included: state's `tags_all`.
            if let Some(all) = r.attributes.remove("tags_all") {
                r.attributes.insert("tags".into(), all);
            }
            r.origin = Origin::Live { arn: None, region: "us-east-1".into(), account: "123456789012".into() };
            r
        })
        .collect();
    let mut views = Views { state, live };
    normalize(&mut views);
    // Groups whose rules are split resources are skipped: their state inline copy is stale
    // by design, and a real live read holds every rule (tests/scan_core.rs covers them).
    let split_rule_groups = ["aws_security_group.db", "aws_security_group.legacy"];
    for (s, l) in views.state.iter().zip(&views.live) {
        if split_rule_groups.contains(&s.address.as_deref().unwrap_or_default()) {
            continue;
        }
        let changes = compare(s, l);
        assert!(changes.is_empty(), "{} drifts from itself: {changes:#?}", s.address.as_deref().unwrap());
    }
}

//! Bad input gets a clear error (file, line, what was expected) and exit 2; never a panic.

mod common;

use common::*;

fn write(name: &str, text: &str) -> (tempfile::TempDir, String) {
    let dir = tempfile::tempdir().unwrap();
    let p = dir.path().join(name);
    std::fs::write(&p, text).unwrap();
    (dir, p.to_string_lossy().into_owned())
}

#[test]
fn malformed_state_names_file_and_line() {
    let (_d, p) =
        write("broken.tfstate", "{\n  \"version\": 4,\n  \"resources\": [\n    {\"mode\": \"managed\",,}\n  ]\n}\n");
    let run = plumb(&["scan", "--state", &p]);
    assert_eq!(run.code, 2, "{}", run.stderr);
    assert!(run.stderr.contains("broken.tfstate"), "{}", run.stderr);
    assert!(run.stderr.contains("line 4"), "{}", run.stderr);
    assert!(!run.stderr.contains("panicked"), "{}", run.stderr);
}

#[test]
fn old_state_format_is_explained() {
    let (_d, p) = write("old.tfstate", r#"{"version": 3, "serial": 1, "modules": []}"#);
    let run = plumb(&["scan", "--state", &p]);
    assert_eq!(run.code, 2);
    assert!(run.stderr.contains("expected 4"), "{}", run.stderr);
}

#[test]
fn missing_file_and_empty_glob_are_usage_errors() {
    let run = plumb(&["scan", "--state", "/nonexistent/terraform.tfstate"]);
    assert_eq!(run.code, 2);
    assert!(run.stderr.contains("/nonexistent/terraform.tfstate"), "{}", run.stderr);
    let run = plumb(&["scan", "--state", "/nonexistent/*/terraform.tfstate"]);
    assert_eq!(run.code, 2);
    assert!(run.stderr.contains("no file matches"), "{}", run.stderr);
}

#[test]
fn missing_required_flag_is_a_usage_error() {
    let run = plumb(&["scan"]);
    assert_eq!(run.code, 2);
    assert!(run.stderr.contains("--state"), "{}", run.stderr);
}

#[test]
fn malformed_waivers_name_file_and_line_before_any_aws_call() {
    let (_d, state) = write("empty.tfstate", r#"{"version": 4, "serial": 1, "lineage": "x", "resources": []}"#);
    let (_w, waivers) = write(
        "waivers.yaml",
        "- rule: HS-S3-004\n  address: \"*\"\n  reason: r\n  approved_by: a\n  expires: someday\n",
    );
    // No endpoint is reachable here: the waivers are read first, so the error is theirs.
    let run = plumb(&["scan", "--state", &state, "--waivers", &waivers, "--endpoint-url", "http://127.0.0.1:9"]);
    assert_eq!(run.code, 2, "{}", run.stderr);
    assert!(run.stderr.contains("waivers.yaml") && run.stderr.contains("line 5"), "{}", run.stderr);
    assert!(run.stderr.contains("YYYY-MM-DD"), "{}", run.stderr);
    assert!(!run.stderr.contains("panicked"), "{}", run.stderr);

    let run = plumb(&["scan", "--state", &state, "--fail-on", "urgent"]);
    assert_eq!(run.code, 2, "{}", run.stderr);
    assert!(run.stderr.contains("critical, high, medium, low"), "{}", run.stderr);
}

/// Every option says what it is: `--ledger` and `-o` on the ledger commands, and `-v` only
/// promises API call logs where calls are made.
#[test]
fn help_describes_every_option() {
    for cmd in [&["history"][..], &["report"], &["export"], &["diff"], &["ledger", "verify"], &["ledger", "append"]] {
        let mut args: Vec<&str> = cmd.to_vec();
        args.push("--help");
        let run = plumb(&args);
        assert_eq!(run.code, 0, "{args:?}: {}", run.stderr);
        let option = |name: &str| {
            run.stdout.lines().skip_while(|l| !l.trim_start().starts_with(name)).take(2).collect::<String>()
        };
        let ledger = option("--ledger");
        assert!(ledger.contains("evidence ledger"), "{args:?}: --ledger has no help:\n{}", run.stdout);
        if run.stdout.contains("--output") {
            let out = option("-o, --output");
            assert!(out.contains("instead of standard output"), "{args:?}: -o has no help:\n{}", run.stdout);
        }
        assert!(!run.stdout.contains("Log each AWS API call"), "{args:?} makes no AWS call:\n{}", run.stdout);
    }
}

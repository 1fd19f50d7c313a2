//! `plumb check`: Terraform code and plans against the rules before apply, with CI-native
//! output (SARIF, JUnit, Markdown, JSON, text). No emulator: check makes no AWS call.

use std::process::Command;

struct Run {
    code: i32,
    stdout: String,
    stderr: String,
}

/// Run plumb from the project root with no AWS configuration at all.
fn plumb(args: &[&str]) -> Run {
    let out = Command::new(env!("CARGO_BIN_EXE_plumb"))
        .args(args)
        .current_dir(env!("CARGO_MANIFEST_DIR"))
        .env_clear()
        .env("PATH", std::env::var("PATH").unwrap_or_default())
        .env("NO_COLOR", "1")
        .output()
        .expect("run plumb");
    Run {
        code: out.status.code().unwrap_or(-1),
        stdout: String::from_utf8_lossy(&out.stdout).into_owned(),
        stderr: String::from_utf8_lossy(&out.stderr).into_owned(),
    }
}

#[test]
fn smoke() {
    let r = plumb(&["check", "testdata/check/pr", "-v"]);
    println!("{}\n{}", r.stdout, r.stderr);
    assert_eq!(r.code, 1);
}

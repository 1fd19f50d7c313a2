//! The commit `plumb --version` prints: `PLUMB_COMMIT` when set (a container build passes it as a
//! build argument, since `.git` is not in the build context), else `git rev-parse` of the checkout,
//! else "unknown". The script reruns when HEAD moves (a commit, a checkout), not on every build.

use std::path::{Path, PathBuf};
use std::process::Command;

fn git(args: &[&str]) -> Option<String> {
    let out = Command::new("git").args(args).output().ok()?;
    if !out.status.success() {
        return None;
    }
    let s = String::from_utf8(out.stdout).ok()?.trim().to_string();
    (!s.is_empty()).then_some(s)
}

fn main() {
    println!("cargo:rerun-if-changed=build.rs");
    println!("cargo:rerun-if-env-changed=PLUMB_COMMIT");
    let from_env = std::env::var("PLUMB_COMMIT").ok().map(|s| s.trim().to_string()).filter(|s| !s.is_empty());
    let commit = match from_env {
        Some(c) => c,
        None => {
            // No "-modified" suffix: the script does not rerun on every edit, so it would lie.
            let commit = git(&["rev-parse", "--short=12", "HEAD"]);
            if commit.is_some() {
                watch_head();
            }
            commit.unwrap_or_else(|| "unknown".to_string())
        }
    };
    println!("cargo:rustc-env=PLUMB_COMMIT={commit}");
}

/// Rerun when HEAD or the branch it points at moves. Only existing files are named: cargo
/// reruns a build script on every build when a watched path is missing.
fn watch_head() {
    let (Some(git_dir), Some(common)) =
        (git(&["rev-parse", "--absolute-git-dir"]), git(&["rev-parse", "--path-format=absolute", "--git-common-dir"]))
    else {
        return;
    };
    let mut paths: Vec<PathBuf> = vec![Path::new(&git_dir).join("HEAD"), Path::new(&common).join("packed-refs")];
    if let Some(branch) = git(&["symbolic-ref", "-q", "HEAD"]) {
        paths.push(Path::new(&common).join(&branch));
        paths.push(Path::new(&git_dir).join(&branch));
    }
    for p in paths.iter().filter(|p| p.is_file()) {
        println!("cargo:rerun-if-changed={}", p.display());
    }
}

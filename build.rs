//! Records the commit the binary is built from, for `--version` (so that a CI log ties a
//! figure to a build): `git rev-parse --short HEAD` when this folder is a git checkout of its
//! own, else `TEC_MODEL_COMMIT` from the environment (for a packager building from a
//! tarball), else "unknown". Nothing else; no dependencies.

use std::path::{Path, PathBuf};
use std::process::Command;

fn git(dir: &Path, args: &[&str]) -> Option<String> {
    let out = Command::new("git")
        .arg("-C")
        .arg(dir)
        .args(args)
        .output()
        .ok()?;
    if !out.status.success() {
        return None;
    }
    let text = String::from_utf8(out.stdout).ok()?.trim().to_string();
    (!text.is_empty()).then_some(text)
}

fn main() {
    println!("cargo:rerun-if-changed=build.rs");
    println!("cargo:rerun-if-env-changed=TEC_MODEL_COMMIT");
    let dir = PathBuf::from(std::env::var_os("CARGO_MANIFEST_DIR").expect("set by cargo"));
    // Only a checkout whose top is this folder: a tarball unpacked inside another repository
    // must not take that repository's commit.
    let own = git(&dir, &["rev-parse", "--show-toplevel"])
        .and_then(|top| std::fs::canonicalize(top).ok())
        .zip(std::fs::canonicalize(&dir).ok())
        .is_some_and(|(top, here)| top == here);
    let commit = own
        .then(|| git(&dir, &["rev-parse", "--short", "HEAD"]))
        .flatten();
    if commit.is_some() {
        // Rebuild when HEAD moves: HEAD itself, the packed refs and the branch HEAD names. A
        // branch kept only in the packed refs gets its own file at the next commit, so then its
        // folder is watched instead (a file that does not exist would make cargo run this
        // script on every build).
        let path_of =
            |name: &str| git(&dir, &["rev-parse", "--git-path", name]).map(|f| dir.join(f));
        let mut watched: Vec<PathBuf> = ["HEAD", "packed-refs"]
            .into_iter()
            .filter_map(path_of)
            .filter(|p| p.exists())
            .collect();
        if let Some(file) = git(&dir, &["symbolic-ref", "-q", "HEAD"]).and_then(|b| path_of(&b)) {
            match (file.exists(), file.parent()) {
                (true, _) => watched.push(file),
                (false, Some(folder)) if folder.is_dir() => watched.push(folder.to_path_buf()),
                _ => {}
            }
        }
        for path in watched {
            println!("cargo:rerun-if-changed={}", path.display());
        }
    }
    let commit = commit
        .or_else(|| {
            std::env::var("TEC_MODEL_COMMIT")
                .ok()
                .filter(|c| !c.is_empty())
        })
        .unwrap_or_else(|| "unknown".into());
    println!("cargo:rustc-env=TEC_MODEL_COMMIT={commit}");
}

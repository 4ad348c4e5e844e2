//! Helpers shared by the integration tests.
#![allow(dead_code)]

use std::path::PathBuf;

/// Reads a file of the shared conformance data (`../shared/conformance/`).
///
/// A fresh clone has no `../shared`: the test then prints a note and skips
/// (returns `None`). Under CI (`CI=true`) a missing file is a failure.
pub(crate) fn shared_conformance_file(relative: &str) -> Option<String> {
    let path = PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("../shared/conformance")
        .join(relative);
    match std::fs::read_to_string(&path) {
        Ok(text) => Some(text),
        Err(err) if std::env::var("CI").is_ok_and(|v| v == "true") => {
            panic!(
                "CI=true and the conformance file {} is missing: {err}",
                path.display()
            )
        }
        Err(err) => {
            eprintln!("note: skipping, {} not readable ({err})", path.display());
            None
        }
    }
}

/// The `Set-Cookie` corpus of `testdata/headers/set-cookie.txt`.
pub(crate) fn set_cookie_corpus() -> Vec<&'static str> {
    include_str!("../../testdata/headers/set-cookie.txt")
        .lines()
        .filter(|l| !l.is_empty() && !l.starts_with('#'))
        .collect()
}

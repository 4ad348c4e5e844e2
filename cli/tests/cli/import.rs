//! `cookiejar import` on the databases real browsers wrote
//! (testdata/browsers/). The assertions hold whatever the clock says: the
//! fixture's cookies expire a year after they were made, and an expired
//! row is counted, not imported.

use crate::helpers::{cookiejar, json};

const BROWSERS: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/../testdata/browsers");

fn import(args: &[&str]) -> (i32, serde_json::Value, String) {
    let out = cookiejar()
        .args(["--json", "import"])
        .args(args)
        .output()
        .unwrap();
    let stdout = String::from_utf8(out.stdout).unwrap();
    let stderr = String::from_utf8(out.stderr).unwrap();
    let value = if stdout.is_empty() {
        serde_json::Value::Null
    } else {
        json(&stdout)
    };
    (out.status.code().unwrap(), value, stderr)
}

#[test]
fn imports_firefox_with_a_summary_per_site() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("out.json");
    let profile = format!("{BROWSERS}/firefox");
    let (code, report, _) = import(&[
        "--from",
        "firefox",
        "--profile",
        &profile,
        out.to_str().unwrap(),
    ]);
    assert_eq!(code, 0);
    assert_eq!(report["rows"], 14);
    let imported = report["imported"].as_u64().unwrap();
    assert_eq!(imported + report["expired"].as_u64().unwrap(), 14);
    assert_eq!(report["written"].as_u64().unwrap(), imported);
    assert_eq!(report["skipped_count"], 0);
    let site = &report["sites"]["example.com"];
    let site_total = site["imported"].as_u64().unwrap() + site["expired"].as_u64().unwrap();
    assert_eq!(site_total, 14);
}

#[test]
fn chromium_v11_needs_the_key_file() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("cookies.txt");
    let profile = format!("{BROWSERS}/chromium/v11");
    let args = [
        "--from",
        "chromium",
        "--profile",
        &profile,
        out.to_str().unwrap(),
    ];
    let (code, _, stderr) = import(&args);
    assert_eq!(code, 3);
    assert!(stderr.contains("--key-file"), "{stderr}");
    assert!(!out.exists());
    let key = dir.path().join("key");
    std::fs::write(&key, "fixture-keyring-secret\n").unwrap();
    let mut with_key = args.to_vec();
    with_key.extend([
        "--key-file",
        key.to_str().unwrap(),
        "--domain",
        "www.example.com",
    ]);
    let (code, report, _) = import(&with_key);
    assert_eq!(code, 0);
    assert_eq!(report["rows"], 15);
    assert!(std::fs::read_to_string(&out)
        .unwrap()
        .starts_with("# Netscape HTTP Cookie File"));
}

#[test]
fn no_profile_is_a_clear_error() {
    let home = tempfile::tempdir().unwrap();
    let out = cookiejar()
        .env("HOME", home.path())
        .args(["import", "--from", "chromium", "x.txt"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(3));
    let stderr = String::from_utf8(out.stderr).unwrap();
    assert!(stderr.contains("no chromium profile found"), "{stderr}");
    assert!(stderr.contains("--profile"), "{stderr}");
}

//! The IETF http-state cookie-date cases (RFC 6265 section 5.1.1), read from
//! `../shared/conformance/http-state/dates/`; see the README there.

mod common;

use cookiejar::{parse_cookie_date, HttpDate};

/// Runs one date file; returns the number of cases checked.
fn run_date_file(relative: &str) -> usize {
    let Some(text) = common::shared_conformance_file(relative) else {
        return 0;
    };
    // bsd-examples.json begins with `//` licence lines: not strict JSON.
    let json: String = text
        .lines()
        .filter(|line| !line.trim_start().starts_with("//"))
        .collect::<Vec<_>>()
        .join("\n");
    let cases: Vec<serde_json::Value> = serde_json::from_str(&json).expect("valid JSON");
    let mut failures = Vec::new();
    for case in &cases {
        let input = case["test"].as_str().expect("test is a string");
        let want = case["expected"].as_str();
        let got = parse_cookie_date(input).map(|d| HttpDate(d).to_string());
        if got.as_deref() != want {
            failures.push(format!("{input:?}: want {want:?}, got {got:?}"));
        }
    }
    assert!(
        failures.is_empty(),
        "{relative}: {} failures:\n{}",
        failures.len(),
        failures.join("\n")
    );
    cases.len()
}

#[test]
fn http_state_date_examples() {
    let n = run_date_file("http-state/dates/examples.json");
    assert!(n == 0 || n == 15, "expected 15 cases, read {n}");
}

#[test]
fn http_state_bsd_date_examples() {
    let n = run_date_file("http-state/dates/bsd-examples.json");
    assert!(n == 0 || n == 55, "expected 55 cases, read {n}");
}

//! The IETF http-state parser cases (`../shared/conformance/http-state/
//! parser.json`), run through the jar under the `Rfc6265` profile, as the
//! README beside the data describes: each case in a new jar; the
//! Set-Cookie values received from `http://home.example.org:8888/
//! cookie-parser?<id>`; the Cookie header of the follow-up request to
//! `sent-to` (resolved against that URL) or to `/cookie-parser-result?<id>`;
//! the clock pinned to 2011-01-01, when the data's dates were in the future.
//!
//! The 4 DISABLED cases are skipped, as upstream does. Every other case must
//! pass, except those listed in `EXPECTED_FAILURES` with a reason; a listed
//! case that passes fails the test, so the list cannot go stale.

mod common;

use cookiejar::{Jar, Profile};
use time::macros::datetime;
use url::Url;

/// Cases this jar answers differently from the data, each with why.
const EXPECTED_FAILURES: &[(&str, &str)] = &[];

struct Outcome {
    passed: Vec<String>,
    failed: Vec<String>,
}

fn run(profile: Profile) -> Option<(usize, Outcome)> {
    let text = common::shared_conformance_file("http-state/parser.json")?;
    let cases: Vec<serde_json::Value> = serde_json::from_str(&text).expect("valid JSON");
    let now = datetime!(2011-01-01 00:00:00 UTC);
    let mut outcome = Outcome {
        passed: Vec::new(),
        failed: Vec::new(),
    };
    let mut ran = 0;
    for case in &cases {
        let name = case["test"].as_str().expect("test name");
        if name.starts_with("DISABLED_") {
            continue;
        }
        ran += 1;
        let id = name.to_ascii_lowercase().replace('_', "-");
        let from =
            Url::parse(&format!("http://home.example.org:8888/cookie-parser?{id}")).expect("url");
        let to = match case["sent-to"].as_str() {
            Some(sent_to) => from.join(sent_to).expect("sent-to resolves"),
            None => from
                .join(&format!("/cookie-parser-result?{id}"))
                .expect("url"),
        };
        let mut jar = Jar::builder().profile(profile).build();
        for received in case["received"].as_array().expect("received") {
            let _ = jar.set_cookie_at(&from, received.as_str().expect("string"), now);
        }
        let want: Vec<String> = case["sent"]
            .as_array()
            .expect("sent")
            .iter()
            .map(|c| {
                format!(
                    "{}={}",
                    c["name"].as_str().unwrap_or(""),
                    c["value"].as_str().unwrap_or("")
                )
            })
            .collect();
        let want = (!want.is_empty()).then(|| want.join("; "));
        let got = jar.cookie_header_at(&to, now);
        if got == want {
            outcome.passed.push(name.to_string());
        } else {
            outcome
                .failed
                .push(format!("{name}: want {want:?}, got {got:?}"));
        }
    }
    Some((ran, outcome))
}

#[test]
fn http_state_parser_cases_under_rfc6265() {
    let Some((ran, outcome)) = run(Profile::Rfc6265) else {
        return;
    };
    assert_eq!(ran, 218, "218 non-disabled cases");
    let expected: Vec<&str> = EXPECTED_FAILURES.iter().map(|(name, _)| *name).collect();
    let unexpected: Vec<&String> = outcome
        .failed
        .iter()
        .filter(|f| !expected.iter().any(|e| f.starts_with(&format!("{e}:"))))
        .collect();
    let stale: Vec<&&str> = expected
        .iter()
        .filter(|e| outcome.passed.iter().any(|p| p == *e))
        .collect();
    eprintln!(
        "http-state under RFC 6265: {} of {ran} passed",
        outcome.passed.len()
    );
    assert!(
        unexpected.is_empty(),
        "{} unexpected failures:\n{:#?}",
        unexpected.len(),
        unexpected
    );
    assert!(
        stale.is_empty(),
        "expected failures that now pass (remove them): {stale:?}"
    );
}

/// Under RFC 6265bis a nameless cookie is kept and an empty `Domain=` makes
/// the cookie host-only. The README beside the data lists the 24 cases whose
/// expectations (written for RFC 6265) change because of that; the default
/// profile must differ on exactly those, and on one more of this crate's
/// choosing: NAME0024 stores a cookie named `$Version`, which the default
/// profile refuses (`Rejection::ReservedName`: sent, it would read as RFC
/// 2109's `$Version` attribute; README, "Choices").
#[test]
fn http_state_cases_that_rfc6265bis_changes() {
    let Some((_, outcome)) = run(Profile::Rfc6265bis) else {
        return;
    };
    let mut differing: Vec<&str> = outcome
        .failed
        .iter()
        .filter_map(|f| f.split(':').next())
        .collect();
    differing.sort_unstable();
    let mut listed = vec![
        "0004",
        "0021",
        "0023",
        "0024",
        "0025",
        "0026",
        "0027",
        "0028",
        "CHROMIUM0009",
        "CHROMIUM0010",
        "CHROMIUM0012",
        "MOZILLA0012",
        "MOZILLA0014",
        "MOZILLA0015",
        "MOZILLA0016",
        "MOZILLA0017",
        "NAME0017",
        "NAME0023",
        "NAME0024",
        "NAME0025",
        "NAME0028",
        "NAME0031",
        "NAME0032",
        "NAME0033",
        "OPTIONAL_DOMAIN0042",
    ];
    listed.sort_unstable();
    assert_eq!(differing, listed, "{:#?}", outcome.failed);
}

//! `cookiejar har` on HAR files recorded from headless Chromium 156 by
//! tests/chromium/record.py (DevTools Network events made into HAR 1.2).

use crate::helpers::{json, run};

const LOGIN: &str = concat!(
    env!("CARGO_MANIFEST_DIR"),
    "/../testdata/chromium/har/login.har"
);
const RULES: &str = concat!(
    env!("CARGO_MANIFEST_DIR"),
    "/../testdata/chromium/har/rules.har"
);

#[test]
fn the_chromium_profile_agrees_with_every_request() {
    for file in [LOGIN, RULES] {
        let (code, out, err) = run(&["har", "--profile", "chromium", file]);
        assert_eq!(code, 0, "{file}: {out}{err}");
        assert!(out.contains("agree with the browser"), "{out}");
        assert!(!out.contains('#'), "no request differs: {out}");
    }
}

#[test]
fn the_default_profile_names_each_difference_and_its_reason() {
    let (code, out, _) = run(&["--json", "har", RULES]);
    assert_eq!(code, 1, "{out}");
    let report = json(&out);
    assert_eq!(report["total"], 3);
    assert_eq!(report["agree"], 1);
    let differences: Vec<(String, String, String)> = report["requests"]
        .as_array()
        .unwrap()
        .iter()
        .flat_map(|r| r["differences"].as_array().unwrap().clone())
        .map(|d| {
            let s = |k: &str| d[k].as_str().unwrap().to_string();
            (s("name"), s("kind"), s("code"))
        })
        .collect();
    // The TAB cookie and Domain=. : the default profile keeps them,
    // Chromium (and Profile::Chromium) refuses them.
    for want in [
        ("t", "extra", "control_character"),
        ("d", "extra", "invalid_domain"),
    ] {
        let want = (want.0.to_string(), want.1.to_string(), want.2.to_string());
        assert!(differences.contains(&want), "{want:?} in {differences:?}");
    }
    // Every difference says why.
    for r in report["requests"].as_array().unwrap() {
        for d in r["differences"].as_array().unwrap() {
            assert!(!d["reason"].as_str().unwrap().is_empty());
        }
    }

    // The overwrite with a new value: the same cookies, in another order.
    let (code, out, _) = run(&["har", LOGIN]);
    assert_eq!(code, 1);
    assert!(out.contains("[order_differs]"), "{out}");
    assert!(
        out.contains("Profile::Chromium sends the browser's order"),
        "{out}"
    );
    assert!(
        out.contains("6 requests of 7 agree with the browser"),
        "{out}"
    );
}

#[test]
fn small_limits_show_as_evictions_or_nothing_else() {
    // RFC 2109's 20 per site is plenty for these sessions: only the known
    // differences remain.
    let (code, out, _) = run(&["--json", "har", "--limits", "rfc2109", LOGIN]);
    assert_eq!(code, 1);
    assert_eq!(json(&out)["agree"], 6);
}

#[test]
fn values_are_shown_only_when_asked() {
    let dir = tempfile::tempdir().unwrap();
    let har = dir.path().join("values.har");
    let entry = |t: &str, cookie: &str, set: &str| {
        serde_json::json!({
            "startedDateTime": t,
            "request": {"method": "GET", "url": "https://example.com/",
                        "headers": [{"name": "Cookie", "value": cookie}]},
            "response": {"status": 200, "headers": [{"name": "Set-Cookie", "value": set}]},
        })
    };
    let log = serde_json::json!({"log": {"version": "1.2", "entries": [
        entry("2026-01-01T00:00:00.000Z", "", "sid=jar-secret"),
        entry("2026-01-01T00:00:01.000Z", "sid=browser-secret; other=1", ""),
    ]}});
    std::fs::write(&har, log.to_string()).unwrap();
    let har = har.to_str().unwrap();
    let (code, out, _) = run(&["har", har]);
    assert_eq!(code, 1);
    assert!(
        out.contains("[value_differs]") && out.contains("[never_set]"),
        "{out}"
    );
    assert!(!out.contains("secret"), "values hidden: {out}");
    let (_, out, _) = run(&["--show-values", "har", har]);
    assert!(
        out.contains("browser-secret") && out.contains("jar-secret"),
        "{out}"
    );
}

#[test]
fn a_file_that_is_no_har_is_a_file_error() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("x.har");
    for text in [
        "not json",
        "{\"log\": {}}",
        "{\"log\": {\"entries\": [{}]}}",
    ] {
        std::fs::write(&path, text).unwrap();
        let (code, _, err) = run(&["har", path.to_str().unwrap()]);
        assert_eq!(code, 3, "{text}: {err}");
        assert!(err.contains("cookiejar:"), "{err}");
    }
    let (code, _, _) = run(&["har", "/nonexistent.har"]);
    assert_eq!(code, 3);
}

/// A HAR of `(time, Cookie sent, Set-Cookie received)` entries for
/// `https://example.com/`.
fn har_of(dir: &std::path::Path, entries: &[(&str, &str, &str)]) -> String {
    let entries: Vec<_> = entries
        .iter()
        .map(|(t, cookie, set)| {
            serde_json::json!({
                "startedDateTime": t,
                "request": {"method": "GET", "url": "https://example.com/",
                            "headers": [{"name": "Cookie", "value": cookie}]},
                "response": {"status": 200, "headers": [{"name": "Set-Cookie", "value": set}]},
            })
        })
        .collect();
    let path = dir.join("entries.har");
    let log = serde_json::json!({"log": {"version": "1.2", "entries": entries}});
    std::fs::write(&path, log.to_string()).unwrap();
    path.to_str().unwrap().to_owned()
}

#[test]
fn each_pair_is_matched_once() {
    let dir = tempfile::tempdir().unwrap();
    let har = har_of(
        dir.path(),
        &[
            ("2026-01-01T00:00:00.000Z", "", "a=1"),
            ("2026-01-01T00:00:01.000Z", "a=1; a=1", ""),
        ],
    );
    let (code, out, _) = run(&["har", &har]);
    assert_eq!(code, 1, "{out}");
    assert!(out.contains("a [fewer_of_name]"), "{out}");
    assert!(out.contains("1 request of 2 agree"), "{out}");
}

#[test]
fn json_shows_both_headers_only_with_values() {
    let dir = tempfile::tempdir().unwrap();
    let har = har_of(
        dir.path(),
        &[
            ("2026-01-01T00:00:00.000Z", "", "sid=jar-secret"),
            ("2026-01-01T00:00:01.000Z", "sid=browser-secret", ""),
        ],
    );
    let (_, out, _) = run(&["--json", "har", &har]);
    assert!(
        !out.contains("secret") && !out.contains("jar_sent"),
        "{out}"
    );
    let (_, out, _) = run(&["--json", "--show-values", "har", &har]);
    let report: serde_json::Value = serde_json::from_str(&out).unwrap();
    let second = &report["requests"][1];
    assert_eq!(second["browser_sent"], "sid=browser-secret", "{out}");
    assert_eq!(second["jar_sent"], "sid=jar-secret", "{out}");
    assert_eq!(report["requests"][0]["jar_sent"], serde_json::Value::Null);
}

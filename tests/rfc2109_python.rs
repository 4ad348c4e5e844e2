//! `Profile::Rfc2109` side by side with Python's `http.cookiejar`
//! (`DefaultCookiePolicy(rfc2965=True, rfc2109_as_netscape=False)`) on the
//! scenarios of tests/rfc2109/scenarios.json, run by
//! tests/rfc2109/python_oracle.py. Without python3 the test prints a note
//! and passes; under `CI=true` it fails.

use cookiejar::{Jar, Profile};
use serde_json::Value;
use std::collections::BTreeSet;
use std::path::{Path, PathBuf};
use std::process::Command;
use time::OffsetDateTime;
use url::Url;

/// The scenarios' epoch, the same as python_oracle.py's.
const EPOCH: i64 = 1_700_000_000;

fn at(seconds: i64) -> OffsetDateTime {
    OffsetDateTime::from_unix_timestamp(EPOCH + seconds).expect("a valid instant")
}

fn url(s: &str) -> Url {
    Url::parse(s).expect("a valid test URL")
}

fn rfc2109_jar() -> Jar {
    Jar::builder().profile(Profile::Rfc2109).build()
}

/// `$Version` and the cookies of a `Cookie` header, each with its `$Path`
/// and `$Domain`, `$` values unquoted; cookies as a set, since RFC 2109
/// orders only by path specificity and the jars break ties differently.
#[derive(Debug, PartialEq, Eq)]
struct Sent {
    version: Option<String>,
    cookies: BTreeSet<(String, Option<String>, Option<String>)>,
}

fn unquote(v: &str) -> String {
    v.strip_prefix('"')
        .and_then(|v| v.strip_suffix('"'))
        .unwrap_or(v)
        .to_owned()
}

fn sent(header: Option<&str>) -> Option<Sent> {
    let header = header?;
    let mut version = None;
    let mut cookies: Vec<(String, Option<String>, Option<String>)> = Vec::new();
    for item in header.split("; ") {
        let (name, value) = item.split_once('=').unwrap_or((item, ""));
        match (name, cookies.last_mut()) {
            ("$Version", _) => version = Some(unquote(value)),
            ("$Path", Some(c)) => c.1 = Some(unquote(value)),
            ("$Domain", Some(c)) => c.2 = Some(unquote(value)),
            _ => cookies.push((item.to_owned(), None, None)),
        }
    }
    Some(Sent {
        version,
        cookies: cookies.into_iter().collect(),
    })
}

fn python_headers(dir: &Path) -> Option<Value> {
    let ci = std::env::var("CI").is_ok_and(|v| v == "true");
    let run = Command::new("python3")
        .arg(dir.join("python_oracle.py"))
        .arg(dir.join("scenarios.json"))
        .output();
    match run {
        Ok(out) if out.status.success() => {
            Some(serde_json::from_slice(&out.stdout).expect("the oracle prints JSON"))
        }
        Ok(out) => panic!(
            "python_oracle.py failed: {}",
            String::from_utf8_lossy(&out.stderr)
        ),
        Err(err) if ci => panic!("CI=true and python3 cannot run: {err}"),
        Err(err) => {
            eprintln!("note: skipping the Python differential test, python3 cannot run ({err})");
            None
        }
    }
}

/// The keys a step names as Python bugs (a string or a list of them).
fn named_bugs(step: &Value) -> Vec<&str> {
    match &step["python_differs"] {
        Value::String(s) => vec![s.as_str()],
        Value::Array(a) => a.iter().filter_map(Value::as_str).collect(),
        _ => Vec::new(),
    }
}

#[test]
fn differential_against_python_http_cookiejar() {
    let dir = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("tests/rfc2109");
    let text = std::fs::read_to_string(dir.join("scenarios.json")).expect("scenarios.json");
    let file: Value = serde_json::from_str(&text).expect("scenarios.json is JSON");
    let bugs = file["python_bugs"].as_object().expect("python_bugs");
    let Some(python) = python_headers(&dir) else {
        return;
    };
    let mut failures = Vec::new();
    let mut used = BTreeSet::new();
    let (mut requests, mut agreed) = (0, 0);
    for scenario in file["scenarios"].as_array().expect("scenarios") {
        let name = scenario["name"].as_str().expect("name");
        let theirs = python[name]
            .as_array()
            .unwrap_or_else(|| panic!("Python ran no {name:?}"));
        let mut jar = rfc2109_jar();
        let mut gets = 0;
        for step in scenario["steps"].as_array().expect("steps") {
            let now = at(step["at"].as_i64().unwrap_or(0));
            if let Some(from) = step["set"].as_str() {
                for h in step["headers"].as_array().expect("headers") {
                    let _ = jar.set_cookie_list_at(&url(from), h.as_str().expect("a header"), now);
                }
                continue;
            }
            let to = step["get"].as_str().expect("a set or a get step");
            let ours = jar.cookie_header_at(&url(to), now);
            let python_header = theirs.get(gets).and_then(Value::as_str);
            gets += 1;
            requests += 1;
            let here = format!("{name:?}, GET {to}: ours {ours:?}, Python {python_header:?}");
            if let Some(want) = step.get("want") {
                if ours.as_deref() != want.as_str() {
                    failures.push(format!("{here}; want {want}"));
                }
            }
            let named = named_bugs(step);
            for key in &named {
                used.insert(key.to_string());
                if !bugs.contains_key(*key) {
                    failures.push(format!("{here}: {key:?} is not in python_bugs"));
                }
            }
            let same = sent(ours.as_deref()) == sent(python_header);
            match (named.is_empty(), same) {
                (true, true) => agreed += 1,
                (true, false) => failures.push(format!("{here}: an unexplained difference")),
                (false, true) => {
                    failures.push(format!("{here}: named {named:?} but Python agrees"))
                }
                (false, false) if step.get("want").is_none() => {
                    failures.push(format!("{here}: a named difference needs a want"))
                }
                (false, false) => {}
            }
        }
    }
    for key in bugs.keys() {
        if !used.contains(key) {
            failures.push(format!("python_bugs {key:?} is named by no step"));
        }
    }
    eprintln!("RFC 2109 differential: {requests} requests, {agreed} agree with Python, {} named Python bugs", requests - agreed);
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

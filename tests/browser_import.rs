//! Importing the cookie databases that real browsers wrote
//! (testdata/browsers/, made by scripts/make-browser-fixtures): the jar
//! holds exactly the cookies the server set, with their flags and times,
//! and sends the `Cookie` header the browser sent.
//!
//! The oracle is the server's own log: its `Set-Cookie` headers, stored in
//! a fresh jar at the times the server sent them, are what the browser
//! should have kept; its `Cookie` header at `/app/final` is what the
//! browser sent back.

#![cfg(feature = "browser")]
#![allow(clippy::unwrap_used, clippy::indexing_slicing)] // test code

use cookiejar::import::{Browser, ImportErrorKind, ImportOptions, ImportReport};
use cookiejar::{Cookie, Jar, RequestContext, SameSite};
use std::path::{Path, PathBuf};
use time::{Duration, OffsetDateTime};
use url::Url;

fn fixture(browser: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("testdata/browsers")
        .join(browser)
}

/// One request the fixture server logged.
struct Logged {
    time: OffsetDateTime,
    url: Url,
    cookie: Option<String>,
    set_cookie: Vec<String>,
}

fn server_log(browser: &str) -> Vec<Logged> {
    let text = std::fs::read_to_string(fixture(browser).join("server-log.json")).unwrap();
    let log: serde_json::Value = serde_json::from_str(&text).unwrap();
    log["requests"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| Logged {
            time: OffsetDateTime::from_unix_timestamp_nanos(
                (r["time"].as_f64().unwrap() * 1e9) as i128,
            )
            .unwrap(),
            url: Url::parse(r["url"].as_str().unwrap()).unwrap(),
            cookie: r["cookie"].as_str().map(str::to_owned),
            set_cookie: r["set_cookie"]
                .as_array()
                .unwrap()
                .iter()
                .map(|s| s.as_str().unwrap().to_owned())
                .collect(),
        })
        .collect()
}

fn final_request(log: &[Logged]) -> &Logged {
    log.iter().find(|r| r.url.path() == "/app/final").unwrap()
}

/// The frame's top-level page, and so the partitioned cookie's partition.
fn top_level_page() -> Url {
    Url::parse("https://top.example.org/top").unwrap()
}

/// The jar the server's `Set-Cookie` headers make, each at its time; the
/// partitioned cookie comes from a cross-site frame under
/// [`top_level_page`].
fn oracle(log: &[Logged]) -> Jar {
    let mut jar = Jar::new();
    for r in log {
        let context = if r.url.path() == "/partitioned" {
            RequestContext::default()
                .cross_site()
                .top_level(&top_level_page())
        } else {
            RequestContext::default()
        };
        for h in &r.set_cookie {
            jar.set_cookie_with(&r.url, h, context, r.time).unwrap();
        }
    }
    jar
}

fn import(browser: Browser, dir: &Path, now: OffsetDateTime) -> (Jar, ImportReport) {
    let mut jar = Jar::new();
    let options = ImportOptions::new()
        .profile(dir)
        .keyring_secret("fixture-keyring-secret");
    let report = jar.import_browser_at(browser, &options, now).unwrap();
    (jar, report)
}

fn sorted(jar: &Jar) -> Vec<&Cookie> {
    let mut all: Vec<&Cookie> = jar.iter().collect();
    all.sort_by(|a, b| (a.name(), a.domain(), a.path()).cmp(&(b.name(), b.domain(), b.path())));
    all
}

/// Every cookie equal to the oracle's in name, value, domain, path,
/// flags; its times within a second of the server's (the browser stamps
/// them when it reads the response, the server when it writes it).
fn assert_same_cookies(imported: &Jar, oracle: &Jar) {
    let got = sorted(imported);
    let want = sorted(oracle);
    let names = |v: &[&Cookie]| v.iter().map(|c| c.name().to_owned()).collect::<Vec<_>>();
    assert_eq!(names(&got), names(&want));
    for (g, w) in got.iter().zip(&want) {
        let what = g.name();
        assert_eq!(g.value(), w.value(), "{what}");
        assert_eq!(g.domain(), w.domain(), "{what}");
        assert_eq!(g.path(), w.path(), "{what}");
        assert_eq!(g.host_only(), w.host_only(), "{what}");
        assert_eq!(g.secure_only(), w.secure_only(), "{what}");
        assert_eq!(g.http_only(), w.http_only(), "{what}");
        assert_eq!(g.same_site(), w.same_site(), "{what}");
        assert_eq!(g.persistent(), w.persistent(), "{what}");
        assert_eq!(g.partitioned(), w.partitioned(), "{what}");
        assert_eq!(g.partition_key(), w.partition_key(), "{what}");
        let close = |a: OffsetDateTime, b: OffsetDateTime| (a - b).abs() < Duration::seconds(1);
        assert!(
            close(g.creation_time(), w.creation_time()),
            "{what} creation"
        );
        if let (Some(a), Some(b)) = (g.expiry_time(), w.expiry_time()) {
            assert!(close(a, b), "{what} expiry {a} vs {b}");
        }
    }
}

#[test]
fn firefox_profile_imports_what_the_server_set() {
    let log = server_log("firefox");
    let now = final_request(&log).time;
    let (jar, report) = import(Browser::Firefox, &fixture("firefox"), now);
    let mut want = oracle(&log);
    // Firefox keeps session cookies in memory only: not in the file.
    want.remove("www.example.com", "/", "session").unwrap();
    assert_same_cookies(&jar, &want);
    assert_eq!(report.rows, 14);
    assert_eq!(report.imported, 14);
    assert_eq!(report.skipped_count, 0);
    let site = report.sites["example.com"];
    assert_eq!((site.imported, site.skipped), (14, 0));
    let part = jar.iter().find(|c| c.name() == "part").unwrap();
    assert_eq!(part.partition_key(), Some("https://example.org"));
    // Sub-second times survive: the creation time has microseconds.
    let host_only = jar.iter().find(|c| c.name() == "host_only").unwrap();
    assert_ne!(host_only.creation_time().microsecond() % 1000, 0);
}

#[test]
fn firefox_profile_sends_the_header_firefox_sent() {
    let log = server_log("firefox");
    let last = final_request(&log);
    let (jar, _) = import(Browser::Firefox, &fixture("firefox"), last.time);
    let sent = last.cookie.as_deref().unwrap();
    // Less the session cookie Firefox did not write to disk.
    let without_session = sent.replace(" session=se8;", "");
    assert_ne!(without_session, sent);
    assert_eq!(
        jar.cookie_header_at(&last.url, last.time).as_deref(),
        Some(without_session.as_str())
    );
}

#[test]
fn chromium_profile_imports_what_the_server_set() {
    let log = server_log("chromium");
    let now = final_request(&log).time;
    for dir in [fixture("chromium"), fixture("chromium").join("v11")] {
        let (jar, report) = import(Browser::Chromium, &dir, now);
        assert_same_cookies(&jar, &oracle(&log));
        assert_eq!(
            (report.rows, report.imported, report.skipped_count),
            (15, 15, 0)
        );
        let session = jar.iter().find(|c| c.name() == "session").unwrap();
        assert!(!session.persistent());
        let strict = jar.iter().find(|c| c.name() == "strict").unwrap();
        assert_eq!(strict.same_site(), Some(SameSite::Strict));
    }
}

#[test]
fn chromium_profile_sends_the_header_chromium_sent() {
    let log = server_log("chromium");
    let last = final_request(&log);
    let (jar, _) = import(Browser::Chromium, &fixture("chromium"), last.time);
    assert_eq!(jar.cookie_header_at(&last.url, last.time), last.cookie);
}

/// The partitioned cookie goes only to requests under its top-level site.
fn assert_partitioned_cookie_stays_in_its_partition(jar: &Jar, now: OffsetDateTime) {
    let frame = Url::parse("https://www.example.com/partitioned").unwrap();
    let under_top = RequestContext::default()
        .cross_site()
        .top_level(&top_level_page());
    let header = jar.cookie_header_with(&frame, under_top, now).unwrap();
    assert!(header.contains("part=pt15"), "{header}");
    let own = jar.cookie_header_at(&frame, now).unwrap();
    assert!(!own.contains("part="), "{own}");
}

#[test]
fn partitioned_cookies_keep_their_partition() {
    for (browser, dir) in [
        (Browser::Firefox, "firefox"),
        (Browser::Chromium, "chromium"),
    ] {
        let now = final_request(&server_log(dir)).time;
        let (jar, _) = import(browser, &fixture(dir), now);
        assert_partitioned_cookie_stays_in_its_partition(&jar, now);
    }
}

#[test]
fn chromium_v11_needs_the_right_keyring_secret() {
    let dir = fixture("chromium").join("v11");
    let now = final_request(&server_log("chromium")).time;
    let mut jar = Jar::new();
    let err = jar
        .import_browser_at(Browser::Chromium, &ImportOptions::new().profile(&dir), now)
        .unwrap_err();
    assert!(
        matches!(
            err.kind(),
            ImportErrorKind::KeyringSecretNeeded { rows: 15 }
        ),
        "{err:?}"
    );
    assert!(err.to_string().contains("--key-file"), "{err}");
    let wrong = ImportOptions::new().profile(&dir).keyring_secret("not it");
    let err = jar
        .import_browser_at(Browser::Chromium, &wrong, now)
        .unwrap_err();
    assert!(
        matches!(err.kind(), ImportErrorKind::WrongKeyringSecret),
        "{err:?}"
    );
    assert!(jar.is_empty(), "a failed import changes nothing");
}

#[test]
fn domain_filter_keeps_the_site_and_its_subdomains() {
    let now = final_request(&server_log("chromium")).time;
    let mut jar = Jar::new();
    for (filter, imported, filtered) in [
        ("example.com", 15, 0),
        ("www.example.com", 15, 0),
        ("EXAMPLE.COM.", 15, 0),
        ("example.org", 0, 15),
        ("ample.com", 0, 15),
    ] {
        let options = ImportOptions::new()
            .profile(fixture("chromium"))
            .domain(filter);
        let report = jar
            .import_browser_at(Browser::Chromium, &options, now)
            .unwrap();
        assert_eq!(
            (report.imported, report.filtered_out),
            (imported, filtered),
            "{filter}"
        );
    }
    let bad = ImportOptions::new()
        .profile(fixture("chromium"))
        .domain("a b");
    assert!(jar.import_browser_at(Browser::Chromium, &bad, now).is_err());
}

//! Saving and loading: round trips in both formats, errors with locations,
//! strict and lenient loads, merge, privacy and atomicity of saves.

// Test code: unwrap is the assertion.
#![allow(clippy::unwrap_used, clippy::indexing_slicing)]
#![cfg(feature = "json")]

use cookiejar::{
    Format, Jar, LineEnding, LoadErrorKind, LoadOptions, Location, NetscapeDialect, Rejection,
    SaveOptions,
};
use proptest::prelude::*;
use std::path::Path;
use time::macros::datetime;
use time::{Duration, OffsetDateTime};
use url::Url;

const NOW: OffsetDateTime = datetime!(2026-01-01 12:00:00 UTC);
const ALL: SaveOptions = SaveOptions {
    include_session_cookies: true,
    netscape_dialect: NetscapeDialect::Curl,
    line_ending: LineEnding::Lf,
};

fn url(s: &str) -> Url {
    Url::parse(s).unwrap()
}

fn sample_jar() -> Jar {
    let mut jar = Jar::new();
    let www = url("https://www.example.com/app/login");
    for header in [
        "sid=abc123; Secure; HttpOnly; Path=/",
        "lang=en; Domain=example.com; Max-Age=86400; SameSite=Lax",
        "cart=\"a,b\"; Max-Age=3600; Path=/app",
        "chips=1; Secure; Partitioned; SameSite=None; Max-Age=60",
    ] {
        jar.set_cookie_at(&www, header, NOW).unwrap();
    }
    jar.set_cookie_at(
        &url("http://other.org/"),
        "o=1; Max-Age=100",
        NOW + Duration::seconds(1),
    )
    .unwrap();
    jar
}

fn headers(jar: &Jar, now: OffsetDateTime) -> Vec<Option<String>> {
    [
        "https://www.example.com/app/x",
        "https://api.example.com/",
        "http://www.example.com/",
        "http://other.org/a",
    ]
    .iter()
    .map(|u| jar.cookie_header_at(&url(u), now))
    .collect()
}

fn sorted(jar: &Jar) -> Vec<cookiejar::Cookie> {
    let mut v: Vec<_> = jar.iter().cloned().collect();
    v.sort_by(|a, b| (a.domain(), a.path(), a.name()).cmp(&(b.domain(), b.path(), b.name())));
    v
}

#[test]
fn json_round_trip_is_lossless() {
    let jar = sample_jar();
    let (text, report) = jar.to_text_at(Format::Json, ALL, NOW).unwrap();
    assert_eq!(report.written, 5);
    let mut back = Jar::new();
    // Loaded at the time of the last store: a load clamps creation and
    // last-access times in its future to its own "now".
    let loaded = back
        .load_text_at(
            &text,
            Format::Json,
            LoadOptions::default(),
            NOW + Duration::seconds(1),
        )
        .unwrap();
    assert_eq!(loaded.loaded, 5);
    assert_eq!(sorted(&back), sorted(&jar), "every field, times included");
    assert_eq!(headers(&back, NOW), headers(&jar, NOW));
}

#[test]
fn netscape_round_trip_keeps_what_the_format_holds() {
    let jar = sample_jar();
    let (text, report) = jar.to_text_at(Format::Netscape, ALL, NOW).unwrap();
    assert!(text.starts_with("# Netscape HTTP Cookie File\n"));
    // `chips` is partitioned: without its key, which cookies.txt cannot
    // hold, it would come back as a cookie for every top-level site.
    assert_eq!((report.written, report.unrepresentable), (4, 1));
    assert!(!text.contains("chips"), "{text}");
    assert!(
        text.contains("#HttpOnly_www.example.com\tFALSE\t/\tTRUE\t0\tsid\tabc123\n"),
        "{text}"
    );
    assert!(
        text.contains(".example.com\tTRUE\t/app\tFALSE\t1767355200\tlang\ten\n"),
        "{text}"
    );
    let mut back = Jar::new();
    back.load_text_at(&text, Format::detect(&text), LoadOptions::default(), NOW)
        .unwrap();
    assert_eq!(back.len(), 4);
    let unpartitioned: Vec<_> = sorted(&jar)
        .into_iter()
        .filter(|c| c.partition_key().is_none())
        .collect();
    assert_eq!(unpartitioned.len(), 4);
    for (a, b) in sorted(&back).iter().zip(unpartitioned.iter()) {
        assert_eq!(
            (
                a.name(),
                a.value(),
                a.domain(),
                a.path(),
                a.host_only(),
                a.secure_only(),
                a.http_only(),
                a.expiry_time()
            ),
            (
                b.name(),
                b.value(),
                b.domain(),
                b.path(),
                b.host_only(),
                b.secure_only(),
                b.http_only(),
                b.expiry_time()
            )
        );
    }
}

#[test]
fn session_cookies_are_saved_only_when_asked() {
    let jar = sample_jar();
    let (_, report) = jar
        .to_text_at(Format::Json, SaveOptions::default(), NOW)
        .unwrap();
    assert_eq!((report.written, report.session_skipped), (4, 1));
    let (text, _) = jar
        .to_text_at(Format::Netscape, SaveOptions::default(), NOW)
        .unwrap();
    assert!(!text.contains("sid"));
}

#[test]
fn expired_cookies_are_neither_saved_nor_loaded() {
    let jar = sample_jar();
    let later = NOW + Duration::seconds(120);
    let (_, report) = jar.to_text_at(Format::Json, ALL, later).unwrap();
    assert_eq!(report.expired_skipped, 2, "chips (60 s) and o (100 s)");
    let (text, _) = jar.to_text_at(Format::Json, ALL, NOW).unwrap();
    let mut back = Jar::new();
    let loaded = back
        .load_text_at(&text, Format::Json, LoadOptions::default(), later)
        .unwrap();
    assert_eq!((loaded.loaded, loaded.expired), (3, 2));
}

#[test]
fn a_newer_version_is_refused_with_a_clear_error() {
    let mut jar = sample_jar();
    let err = jar
        .load_text_at(
            r#"{"version": 2, "cookies": []}"#,
            Format::Json,
            LoadOptions::default(),
            NOW,
        )
        .unwrap_err();
    assert!(matches!(
        err.kind(),
        LoadErrorKind::UnsupportedVersion(Some(2))
    ));
    assert_eq!(
        err.to_string(),
        "version: jar file version 2 is not supported (this version reads version 1)"
    );
    assert_eq!(jar.len(), 5, "nothing lost");
}

#[test]
fn strict_loads_fail_at_the_first_bad_entry_and_change_nothing() {
    let mut jar = sample_jar();
    let before = sorted(&jar);
    let cases: [(&str, Format, &str); 5] = [
        (
            "{\"version\": 1, \"cookies\": [",
            Format::Json,
            "line 1: not valid JSON",
        ),
        (
            r#"{"version":1,"cookies":[{"name":"a"}]}"#,
            Format::Json,
            "cookies[0].value: is missing",
        ),
        (
            r#"{"version":1,"cookies":[{"name":"__Host-a","value":"1","domain":"example.com","path":"/","host_only":false,"secure":true,"http_only":false,"created":"2026-01-01T00:00:00Z","last_access":"2026-01-01T00:00:00Z","expires":null}]}"#,
            Format::Json,
            "cookies[0]: cookie refused: ",
        ),
        (
            "ok.com\tFALSE\t/\tFALSE\t0\ta\t1\nbad line\n",
            Format::Netscape,
            "line 2: expected 7 TAB-separated fields, found 1",
        ),
        (
            "x.com\tFALSE\trelative\tFALSE\t0\ta\t1\n",
            Format::Netscape,
            "line 1: cookie refused: cookie has a field no Set-Cookie header could produce",
        ),
    ];
    for (text, format, want) in cases {
        let err = jar
            .load_text_at(text, format, LoadOptions::default(), NOW)
            .unwrap_err();
        assert!(err.to_string().starts_with(want), "{text}: {err}");
        assert_eq!(sorted(&jar), before, "{text}: the jar is unchanged");
    }
}

#[test]
fn lenient_loads_keep_the_good_entries_and_report_each_bad_one() {
    let mut jar = Jar::new();
    let text = "good.com\tFALSE\t/\tFALSE\t0\ta\t1\nbad\nx.com\tFALSE\trelative\tFALSE\t0\ta\t1\ngood.com\tFALSE\t/\tFALSE\t0\tb\t2\n";
    let report = jar
        .load_text_at(
            text,
            Format::Netscape,
            LoadOptions {
                merge: false,
                lenient: true,
                ..LoadOptions::default()
            },
            NOW,
        )
        .unwrap();
    assert_eq!(report.loaded, 2);
    let skipped: Vec<_> = report
        .skipped
        .iter()
        .map(|e| (e.location().cloned(), e.to_string()))
        .collect();
    assert_eq!(skipped.len(), 2);
    assert_eq!(skipped[0].0, Some(Location::Line(2)));
    assert!(matches!(
        report.skipped[1].kind(),
        LoadErrorKind::Rejected(Rejection::Malformed)
    ));
}

/// RFC 6265 section 5.3 step 5 in a file: only the suffix itself can have
/// set a cookie whose domain is a public suffix, and then it is host-only.
/// curl and wget write `Domain=localhost` from `localhost` so.
#[test]
fn a_public_suffix_domain_in_a_file_is_that_host_only() {
    let text = ".localhost\tTRUE\t/\tFALSE\t0\tdev\t1\nco.uk\tTRUE\t/\tFALSE\t0\tsuper\t1\n";
    let mut jar = Jar::new();
    let report = jar
        .load_text_at(text, Format::Netscape, LoadOptions::default(), NOW)
        .unwrap();
    assert_eq!(report.loaded, 2);
    for (domain, name) in [("localhost", "dev"), ("co.uk", "super")] {
        let c = jar.iter().find(|c| c.name() == name).unwrap();
        assert_eq!((c.domain(), c.host_only()), (domain, true), "{name}");
    }
    let sent = |u: &str| jar.cookie_header_at(&url(u), NOW);
    assert_eq!(sent("http://localhost/").as_deref(), Some("dev=1"));
    assert_eq!(sent("http://app.localhost/"), None);
    assert_eq!(sent("http://www.bbc.co.uk/"), None);
}

#[test]
fn merge_keeps_the_newer_cookie() {
    let site = url("http://example.com/");
    let mut old = Jar::new();
    old.set_cookie_at(&site, "a=old; Max-Age=1000", NOW)
        .unwrap();
    let (old_text, _) = old.to_text_at(Format::Json, ALL, NOW).unwrap();
    let mut jar = Jar::new();
    jar.set_cookie_at(&site, "a=new; Max-Age=1000", NOW + Duration::seconds(5))
        .unwrap();
    jar.set_cookie_at(&site, "b=kept", NOW).unwrap();
    let report = jar
        .load_text_at(
            &old_text,
            Format::Json,
            LoadOptions {
                merge: true,
                lenient: false,
                ..LoadOptions::default()
            },
            NOW,
        )
        .unwrap();
    assert_eq!((report.loaded, report.kept_newer), (0, 1));
    assert_eq!(
        jar.cookie_header_at(&site, NOW).as_deref(),
        Some("b=kept; a=new"),
        "b was created first"
    );
    // Replace mode drops what the file does not hold.
    jar.load_text_at(&old_text, Format::Json, LoadOptions::default(), NOW)
        .unwrap();
    assert_eq!(jar.cookie_header_at(&site, NOW).as_deref(), Some("a=old"));
}

#[test]
fn loading_applies_the_jar_limits() {
    let mut big = Jar::builder().limits(cookiejar::Limits::RFC6265).build();
    for i in 0..30 {
        big.set_cookie_at(
            &url("http://example.com/"),
            &format!("c{i}=1; Max-Age=1000"),
            NOW,
        )
        .unwrap();
    }
    let (text, _) = big.to_text_at(Format::Json, ALL, NOW).unwrap();
    let mut small = Jar::new(); // 20 per domain
    let report = small
        .load_text_at(&text, Format::Json, LoadOptions::default(), NOW)
        .unwrap();
    assert_eq!(small.len(), 20);
    assert_eq!(report.evicted, 10);
}

#[test]
fn saves_are_private_and_atomic() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("jar.json");
    let jar = sample_jar();
    jar.save_at(&path, Format::Json, ALL, NOW).unwrap();
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        let mode = std::fs::metadata(&path).unwrap().permissions().mode() & 0o777;
        assert_eq!(mode, 0o600);
    }
    let mut back = Jar::new();
    back.load_at(&path, LoadOptions::default(), NOW).unwrap();
    assert_eq!(back.len(), 5);
    // No temporary file is left behind.
    assert_eq!(std::fs::read_dir(dir.path()).unwrap().count(), 1);
    // A save that cannot complete leaves the old file as it was.
    let before = std::fs::read(&path).unwrap();
    let blocked = dir.path().join("taken");
    std::fs::create_dir(&blocked).unwrap();
    std::fs::write(blocked.join("x"), b"x").unwrap();
    assert!(
        jar.save_at(&blocked, Format::Json, ALL, NOW).is_err(),
        "cannot rename over a non-empty directory"
    );
    assert!(jar
        .save_at(
            Path::new("/nonexistent-dir/jar.json"),
            Format::Json,
            ALL,
            NOW
        )
        .is_err());
    assert_eq!(std::fs::read(&path).unwrap(), before);
    assert_eq!(
        std::fs::read_dir(dir.path()).unwrap().count(),
        2,
        "no temporary file left"
    );
}

#[test]
fn concurrent_savers_never_tear_the_file() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("jar.txt");
    sample_jar()
        .save_at(&path, Format::Netscape, ALL, NOW)
        .unwrap();
    std::thread::scope(|s| {
        for writer in 0..3 {
            let path = &path;
            s.spawn(move || {
                let mut jar = Jar::new();
                for i in 0..15 {
                    jar.set_cookie_at(
                        &url("http://example.com/"),
                        &format!("w{writer}_{i}={}; Max-Age=999", "v".repeat(200)),
                        NOW,
                    )
                    .unwrap();
                }
                for _ in 0..40 {
                    jar.save_at(path, Format::Netscape, ALL, NOW).unwrap();
                }
            });
        }
        s.spawn(|| {
            for _ in 0..200 {
                let mut jar = Jar::new();
                let report = jar
                    .load_at(&path, LoadOptions::default(), NOW)
                    .expect("always a whole file");
                // The sample jar's 4 cookies cookies.txt holds (its
                // partitioned one is left out), or one writer's 15.
                assert!(
                    report.loaded == 4 || report.loaded == 15,
                    "a whole file: {}",
                    report.loaded
                );
            }
        });
    });
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(200))]

    /// jar -> file -> jar gives the same cookies and the same headers.
    #[test]
    fn round_trip_property(
        cookies in prop::collection::vec((
            "[a-z]{1,6}", "[!#-+\\--:<-\\[\\]-~]{0,12}", 0usize..4, prop::option::of("/[a-z]{0,3}"),
            any::<bool>(), any::<bool>(), prop::option::of(1i64..100_000),
        ), 0..20),
        format in prop_oneof![Just(Format::Json), Just(Format::Netscape)],
    ) {
        let hosts = ["https://example.com/", "https://www.example.com/", "https://a.b.example.org/", "http://localhost/"];
        let mut jar = Jar::builder().limits(cookiejar::Limits::RFC6265).build();
        for (i, (name, value, host, path, secure, http_only, max_age)) in cookies.iter().enumerate() {
            let mut h = format!("{name}={value}");
            if let Some(p) = path { h += &format!("; Path={p}"); }
            if *secure { h += "; Secure"; }
            if *http_only { h += "; HttpOnly"; }
            if let Some(m) = max_age { h += &format!("; Max-Age={m}"); }
            if i % 3 == 0 && *host == 1 { h += "; Domain=example.com"; }
            let _ = jar.set_cookie_at(&url(hosts[*host]), &h, NOW + Duration::seconds(i as i64));
        }
        let (text, _) = jar.to_text_at(format, ALL, NOW).unwrap();
        let mut back = Jar::builder().limits(cookiejar::Limits::RFC6265).build();
        back.load_text_at(&text, format, LoadOptions::default(), NOW).unwrap();
        prop_assert_eq!(back.len(), jar.len());
        let queries = ["https://example.com/a", "https://www.example.com/", "https://x.a.b.example.org/b/c", "http://localhost/a"];
        for q in queries {
            let (a, b) = (jar.cookie_header_at(&url(q), NOW), back.cookie_header_at(&url(q), NOW));
            // cookies.txt has no creation times, but files are written in
            // creation order, so the order survives in both formats.
            prop_assert_eq!(a, b, "{}", q);
        }
    }
}

//! Regression tests for the hardening review: each test is one of its
//! repros (numbered as in the review), and each fails on the code before
//! the fix.
#![allow(clippy::unwrap_used, clippy::indexing_slicing)] // test code

use cookiejar::{
    Format, Jar, LoadErrorKind, LoadOptions, Location, Profile, Rejection, SaveOptions,
};
use time::macros::datetime;
use time::{Duration, OffsetDateTime};
use url::Url;

const NOW: OffsetDateTime = datetime!(2026-06-01 12:00:00 UTC);

fn url(s: &str) -> Url {
    Url::parse(s).unwrap()
}

fn all() -> SaveOptions {
    SaveOptions {
        include_session_cookies: true,
        ..SaveOptions::default()
    }
}

fn load(text: &str, format: Format) -> Result<Jar, cookiejar::LoadError> {
    let mut jar = Jar::new();
    jar.load_text_at(text, format, LoadOptions::default(), NOW)?;
    Ok(jar)
}

fn json_file(entries: &[&str]) -> String {
    format!("{{\"version\": 1, \"cookies\": [{}]}}", entries.join(","))
}

fn json_cookie(name: &str, value: &str, extra: &str) -> String {
    format!(
        r#"{{"name":"{name}","value":"{value}","domain":"example.com","path":"/","host_only":false,"secure":false,"http_only":false,"created":"2026-01-01T00:00:00Z","last_access":"2026-01-01T00:00:00Z","expires":null{extra}}}"#
    )
}

fn refusal(result: Result<Jar, cookiejar::LoadError>) -> Rejection {
    match result.expect_err("the file is refused").kind() {
        LoadErrorKind::Rejected(r) => *r,
        other => panic!("not a rejection: {other:?}"),
    }
}

/// Point 1: Far-future instants never make a save fail or write an empty file,
/// even with `time`'s `large-dates` on (this test binary turns it on).
#[test]
fn far_future_instants_are_clamped_and_saves_never_write_nothing() {
    let mut jar = Jar::builder().profile(Profile::Rfc6265).build();
    jar.set_cookie_at(
        &url("https://a.example/"),
        "m=1; Max-Age=99999999999999",
        NOW,
    )
    .unwrap();
    let netscape = "b.example\tFALSE\t/\tFALSE\t300000000000\tn\t1\n";
    jar.load_text_at(
        netscape,
        Format::Netscape,
        LoadOptions {
            merge: true,
            ..LoadOptions::default()
        },
        NOW,
    )
    .unwrap();
    for c in jar.iter() {
        assert_eq!(c.expiry_time().unwrap().year(), 9999, "{}", c.name());
    }
    for format in [Format::Json, Format::Netscape] {
        let (text, report) = jar.to_text_at(format, all(), NOW).unwrap();
        assert_eq!(report.written, 2);
        let mut back = Jar::builder().profile(Profile::Rfc6265).build();
        back.load_text_at(&text, format, LoadOptions::default(), NOW)
            .unwrap();
        assert_eq!(back.len(), 2, "{format:?}: {text}");
    }
}

/// Point 3: A nameless cookie whose value looks prefixed is refused from files,
/// as from `Set-Cookie`: it would be sent as `__Host-sid=attacker`.
#[test]
fn nameless_cookies_cannot_pass_for_prefixed_ones() {
    let line = ".example.com\tTRUE\t/\tFALSE\t1900000000\t\t__Host-sid=attacker\n";
    assert_eq!(refusal(load(line, Format::Netscape)), Rejection::HostPrefix);
    let line = ".example.com\tTRUE\t/\tFALSE\t1900000000\t\t__secure-x=1\n";
    assert_eq!(
        refusal(load(line, Format::Netscape)),
        Rejection::SecurePrefix
    );
    let json = json_file(&[&json_cookie("", "__Host-sid=attacker", "")]);
    assert_eq!(refusal(load(&json, Format::Json)), Rejection::HostPrefix);
    // And the same from a server.
    let mut jar = Jar::new();
    assert_eq!(
        jar.set_cookie_at(
            &url("https://example.com/"),
            "=__Host-sid=attacker; Secure; Path=/",
            NOW
        ),
        Err(Rejection::HostPrefix)
    );
}

/// Point 4: The other Set-Cookie rules hold for loaded cookies: the 400-day cap,
/// no creation time in the future, `SameSite=None` only with `Secure`.
#[test]
fn loaded_cookies_follow_the_set_cookie_rules() {
    let far = ".example.com\tTRUE\t/\tFALSE\t4102444800\tfar\t1\n"; // 2100
    let jar = load(far, Format::Netscape).unwrap();
    let expiry = jar.iter().next().unwrap().expiry_time().unwrap();
    assert_eq!(expiry, NOW + Duration::days(400));

    let future = json_file(&[
        &json_cookie("f", "1", "").replace("2026-01-01T00:00:00Z", "9000-01-01T00:00:00Z")
    ]);
    let jar = load(&future, Format::Json).unwrap();
    let c = jar.iter().next().unwrap();
    assert_eq!((c.creation_time(), c.last_access_time()), (NOW, NOW));

    let none = json_file(&[&json_cookie("s", "1", r#","same_site":"None""#)]);
    assert_eq!(
        refusal(load(&none, Format::Json)),
        Rejection::SameSiteNoneInsecure
    );
    let secure = none.replace(r#""secure":false"#, r#""secure":true"#);
    assert_eq!(load(&secure, Format::Json).unwrap().len(), 1);
}

/// Point 5: `$Path` (and the other RFC 2109 attribute names) are never stored, so
/// they are never sent as if they were attributes.
#[test]
fn reserved_dollar_names_are_refused_from_servers_and_files() {
    let mut jar = Jar::new();
    let evil = url("https://evil.example.com/");
    jar.set_cookie_at(
        &url("https://www.example.com/"),
        "sid=abc; Domain=example.com",
        NOW,
    )
    .unwrap();
    for header in ["$Path=/x; Domain=example.com", "$version=1", "=$Domain=x"] {
        assert_eq!(
            jar.set_cookie_at(&evil, header, NOW),
            Err(Rejection::ReservedName),
            "{header}"
        );
    }
    let sent = jar
        .cookie_header_at(&url("https://www.example.com/"), NOW)
        .unwrap();
    assert_eq!(sent, "sid=abc");
    let pairs: Vec<_> = cookiejar::parse_cookie_header(&sent).collect();
    assert_eq!((pairs.len(), pairs[0].path()), (1, None));
    let line = ".example.com\tTRUE\t/\tFALSE\t0\t$Path\t/x\n";
    assert_eq!(
        refusal(load(line, Format::Netscape)),
        Rejection::ReservedName
    );
}

/// Point 8: One non-UTF-8 byte costs its line, with the line number; lenient
/// loads keep the rest.
#[test]
fn a_non_utf8_line_is_one_bad_entry() {
    let mut bytes = b"a.example\tFALSE\t/\tFALSE\t0\ta\t1\n".to_vec();
    bytes.extend_from_slice(b"b.example\tFALSE\t/\tFALSE\t0\tb\t\xFF\n");
    bytes.extend_from_slice(b"c.example\tFALSE\t/\tFALSE\t0\tc\t3\n");
    let mut jar = Jar::new();
    let err = jar
        .load_reader_at(&bytes[..], None, LoadOptions::default(), NOW)
        .unwrap_err();
    assert_eq!(err.to_string(), "line 2: the line is not valid UTF-8");
    assert!(jar.is_empty());
    let report = jar
        .load_reader_at(&bytes[..], None, LoadOptions::lenient(), NOW)
        .unwrap();
    assert_eq!((report.loaded, report.skipped_count), (2, 1));
    assert_eq!(report.skipped[0].location(), Some(&Location::Line(2)));
}

/// Point 10: Load errors never quote a field: a misaligned line can put a
/// secret anywhere.
#[test]
fn load_errors_never_quote_field_text() {
    let cases = [
        (
            "a.example\tSECRET-TOKEN-7\t/\tFALSE\t0\tn\tv\n",
            Format::Netscape,
        ),
        (
            "a.example\tTRUE\t/\tSECRET-TOKEN-7\t0\tn\tv\n",
            Format::Netscape,
        ),
        (
            "a.example\tTRUE\t/\tFALSE\tSECRET-TOKEN-7\tn\tv\n",
            Format::Netscape,
        ),
        (
            r#"{"version":1,"cookies":[{"name":"SECRET-TOKEN-7","value":1}]}"#,
            Format::Json,
        ),
        (
            r#"{"version":1,"cookies":[{"name":"n","value":"v","domain":"SECRET-TOKEN-7","path":"/","host_only":"SECRET-TOKEN-7"}]}"#,
            Format::Json,
        ),
        (
            r#"{"version":1,"cookies":[{"name":"n","value":"v","domain":"a.example","path":"/","host_only":true,"secure":false,"http_only":false,"created":"SECRET-TOKEN-7"}]}"#,
            Format::Json,
        ),
        (r#"{"version":"SECRET-TOKEN-7","cookies":[]}"#, Format::Json),
    ];
    for (text, format) in cases {
        let err = load(text, format).unwrap_err();
        let shown = format!("{err} {err:?}");
        assert!(!shown.contains("SECRET"), "{shown}");
        assert!(
            !shown.contains("Inner"),
            "no private type in Debug: {shown}"
        );
    }
}

/// Point 13: Versions that are not the number 1 say what they are; a bad date
/// names its field.
#[test]
fn json_errors_name_the_field() {
    let cases = [
        (
            r#"{"version": 1.0, "cookies": []}"#,
            "version: must be the number 1, found a number with a fraction or an exponent",
        ),
        (
            r#"{"version": "1", "cookies": []}"#,
            "version: must be the number 1, found a string",
        ),
        (
            r#"{"cookies": []}"#,
            "version: not a cookiejar file: no \"version\"",
        ),
        (
            r#"{"version": 1}"#,
            "cookies: \"cookies\" is missing; it must be an array",
        ),
        (
            r#"{"version": 1, "cookies": {}}"#,
            "cookies: must be an array of cookies",
        ),
        (
            r#"{"version": 1, "version": 1, "cookies": []}"#,
            "version: appears twice",
        ),
        (r#"[]"#, "line 1: a jar file must be a JSON object"),
        (
            r#"{"version": 2, "cookies": []}"#,
            "version: jar file version 2 is not supported (this version reads version 1)",
        ),
    ];
    for (text, want) in cases {
        assert_eq!(
            load(text, Format::Json).unwrap_err().to_string(),
            want,
            "{text}"
        );
    }
    let bad_date = json_file(&[
        &json_cookie("a", "1", ""),
        &json_cookie("b", "2", ""),
        &json_cookie("c", "3", "").replace(r#""expires":null"#, r#""expires":"tomorrow""#),
    ]);
    assert_eq!(
        load(&bad_date, Format::Json).unwrap_err().to_string(),
        "cookies[2].expires: must be an RFC 3339 date-time"
    );
}

/// Issue 18: a domain that is not canonical after the one leading dot the
/// format allows is refused, so what loads saves and loads back to the
/// same cookies.
#[test]
fn non_canonical_domains_are_refused_and_round_trips_keep_identity() {
    let minimized = "hhhhf\tFALSE\t/ URJn0\tFALSE\t7777777777\t\tS\n..hhhhf\tFALSE\t/ URJn0\tFALSE\t7777777777\t\tA\n";
    let mut jar = Jar::new();
    let report = jar
        .load_text_at(minimized, Format::Netscape, LoadOptions::lenient(), NOW)
        .unwrap();
    assert_eq!((report.loaded, report.skipped_count), (1, 1));
    assert_eq!(
        report.skipped[0].to_string(),
        "line 2: cookie refused: its domain is not a canonical host name"
    );
    for domain in ["..x.example", ".x..example", "x.example.", "."] {
        let line = format!("{domain}\tTRUE\t/\tFALSE\t0\tn\tv\n");
        assert_eq!(
            refusal(load(&line, Format::Netscape)),
            Rejection::InvalidDomain,
            "{domain}"
        );
        let json = json_file(&[
            &json_cookie("n", "v", "").replace("\"example.com\"", &format!("{domain:?}"))
        ]);
        assert_eq!(
            refusal(load(&json, Format::Json)),
            Rejection::InvalidDomain,
            "{domain}"
        );
    }
    let mut jar = Jar::new();
    assert_eq!(
        jar.set_cookie_at(&url("https://a.x.example/"), "n=v; Domain=..x.example", NOW),
        Err(Rejection::InvalidDomain)
    );
    // An IP address is host-only whatever the file says, as from a server.
    let jar = load("1.2.3.4\tTRUE\t/\tFALSE\t0\tip\t1\n", Format::Netscape).unwrap();
    assert!(jar.iter().next().unwrap().host_only());
}

/// wget's `host:port` names the host; the port is not part of a cookie's
/// identity (RFC 6265 section 8.5).
#[test]
fn tool_quirks_in_cookies_txt() {
    let text = "www.shop.example:8443\tFALSE\t/\tFALSE\t0\tp\t1\n\
                .py.example\tTRUE\t/\tFALSE\t\tsession\t2\n\
                ext.example\tFALSE\t/\tTRUE\t1796754133.561\tfrac\t3\t\n\
                neg.example\tFALSE\t/\tFALSE\t-1\tgone\t4\n";
    let mut jar = Jar::new();
    let report = jar
        .load_text_at(text, Format::Netscape, LoadOptions::default(), NOW)
        .unwrap();
    assert_eq!((report.loaded, report.expired), (3, 1));
    let mut got: Vec<_> = jar
        .iter()
        .map(|c| {
            (
                c.name().to_owned(),
                c.domain().to_owned(),
                c.expiry_time().map(|t| t.unix_timestamp()),
            )
        })
        .collect();
    got.sort();
    assert_eq!(
        got,
        [
            ("frac".into(), "ext.example".into(), Some(1_796_754_133)),
            ("p".into(), "www.shop.example".into(), None),
            ("session".into(), "py.example".into(), None),
        ]
    );
}

/// A load reports the format it read, detected from the first bytes when
/// the caller named none, so that a program writing the file back keeps
/// it without reading the file twice.
#[test]
fn loads_report_the_format_they_read() {
    let json = json_file(&[&json_cookie("a", "1", "")]);
    let netscape = "\u{feff}  \na.example\tFALSE\t/\tFALSE\t0\ta\t1\n";
    for (text, want) in [(json.as_str(), Format::Json), (netscape, Format::Netscape)] {
        let mut jar = Jar::new();
        let report = jar
            .load_reader_at(text.as_bytes(), None, LoadOptions::default(), NOW)
            .unwrap();
        assert_eq!((report.format, report.loaded), (Some(want), 1), "{text}");
    }
}

//! Cookie values are credentials: no `Debug` or `Display` meant for logs
//! shows one. Every parse type that holds a value redacts it as
//! `<redacted, N bytes>`, and the refusals a `SharedJar` keeps name the
//! cookie (its name, `Domain` and `Path`) but never its value.
#![allow(clippy::unwrap_used, clippy::indexing_slicing)]

use cookiejar::{
    parse_cookie_header, Jar, RejectedCookie, Rejection, SetCookie, SetCookieBuilder, SharedJar,
};
use url::Url;

const SECRET: &str = "s3cr3tV4lue";

fn assert_hidden(what: &str, text: &str) {
    assert!(!text.contains(SECRET), "{what} shows the value: {text}");
}

#[test]
fn cookie_pair_debug_redacts_the_value() {
    let header = format!("sid={SECRET}; lang=en");
    let mut pairs = parse_cookie_header(&header);
    assert_hidden("CookiePairs", &format!("{pairs:?}"));
    let sid = pairs.next().unwrap();
    assert_eq!(
        format!("{sid:?}"),
        "CookiePair { name: \"sid\", value: <redacted, 11 bytes>, version: None, path: None, domain: None, port: None }"
    );
    assert_hidden("CookiePairs after one", &format!("{pairs:#?}"));
    // RFC 2109 form, with its attributes shown.
    let old = format!("$Version=\"1\"; sid=\"{SECRET}\"; $Path=\"/acme\"");
    let pair = parse_cookie_header(&old).next().unwrap();
    let debug = format!("{pair:?}");
    assert_hidden("RFC 2109 CookiePair", &debug);
    assert!(
        debug.contains("<redacted, 13 bytes>") && debug.contains("\"/acme\""),
        "{debug}"
    );
    // A nameless cookie's text is its value.
    let nameless = parse_cookie_header(SECRET).next().unwrap();
    assert_hidden("nameless CookiePair", &format!("{nameless:?}"));
}

#[test]
fn set_cookie_types_redact_the_value() {
    let header = format!("sid={SECRET}; Path=/; Secure; Priority=High");
    let sc = SetCookie::parse(&header).unwrap();
    let debug = format!("{sc:?}");
    assert_hidden("SetCookie", &debug);
    assert!(debug.contains("<redacted, 11 bytes>"), "{debug}");
    assert_hidden("NormalizedSetCookie", &format!("{:?}", sc.normalized()));
    // The attributes never held the value.
    assert_hidden("Attributes", &format!("{:?}", sc.attributes()));
    let nameless = SetCookie::parse(SECRET).unwrap();
    assert_hidden("nameless SetCookie", &format!("{nameless:?}"));
    let builder = SetCookieBuilder::new("sid", SECRET).path("/");
    assert_hidden("SetCookieBuilder", &format!("{builder:?}"));
}

#[test]
fn stored_cookies_and_jars_redact_values() {
    let mut jar = Jar::new();
    let url = Url::parse("https://example.com/").unwrap();
    jar.set_cookie(&url, &format!("sid={SECRET}")).unwrap();
    assert_hidden("Cookie", &format!("{:?}", jar.iter().next().unwrap()));
    assert_hidden("Jar", &format!("{jar:?}"));
    let shared = SharedJar::new(jar);
    assert_hidden("SharedJar", &format!("{shared:?}"));
}

/// `(rule, Set-Cookie, name, Domain, Path, reason)`
type Row<'a> = (
    &'a str,
    String,
    Option<&'a str>,
    Option<&'a str>,
    Option<&'a str>,
    Rejection,
);

#[test]
fn rejections_name_the_cookie_and_never_show_its_value() {
    let from = Url::parse("http://www.example.com/app").unwrap();
    let rows: Vec<Row<'_>> = vec![
        (
            "foreign domain",
            format!("sid={SECRET}; Domain=other.org; Path=/"),
            Some("sid"),
            Some("other.org"),
            Some("/"),
            Rejection::DomainMismatch,
        ),
        (
            "the last Domain attribute, as sent",
            format!("sid={SECRET}; Domain=example.com; Domain=.COM"),
            Some("sid"),
            Some(".COM"),
            None,
            Rejection::PublicSuffix,
        ),
        (
            "Secure from http",
            format!("__Secure-id={SECRET}; Secure"),
            Some("__Secure-id"),
            None,
            None,
            Rejection::SecureFromInsecureOrigin,
        ),
        (
            "nameless: its text is the value",
            format!("{SECRET}; Domain=other.org"),
            None,
            Some("other.org"),
            None,
            Rejection::DomainMismatch,
        ),
        (
            "unparsable: the name before '='",
            format!("sid={SECRET}\u{1}; Path=/"),
            Some("sid"),
            None,
            None,
            Rejection::Parse(cookiejar::ParseError::ControlCharacter),
        ),
        (
            "unparsable, no plausible name",
            format!("s id={SECRET}\u{1}"),
            None,
            None,
            None,
            Rejection::Parse(cookiejar::ParseError::ControlCharacter),
        ),
        (
            "unparsable, no '=' at all",
            format!("{SECRET}\u{1}"),
            None,
            None,
            None,
            Rejection::Parse(cookiejar::ParseError::ControlCharacter),
        ),
        (
            "too long",
            format!("big={SECRET}{}", "x".repeat(5000)),
            Some("big"),
            None,
            None,
            Rejection::Parse(cookiejar::ParseError::NameValueTooLong),
        ),
    ];
    let jar = SharedJar::default();
    for (_, header, ..) in &rows {
        assert!(jar.set_cookie(&from, header).is_err(), "{header}");
    }
    let refused: Vec<RejectedCookie> = jar.take_rejections();
    assert_eq!(refused.len(), rows.len());
    assert!(jar.take_rejections().is_empty());
    for (r, (rule, _, name, domain, path, reason)) in refused.iter().zip(&rows) {
        assert_eq!(r.url, from, "{rule}");
        assert_eq!(r.name.as_deref(), *name, "{rule}");
        assert_eq!(r.domain_attribute.as_deref(), *domain, "{rule}");
        assert_eq!(r.path_attribute.as_deref(), *path, "{rule}");
        assert_eq!(r.reason, *reason, "{rule}");
        assert_hidden(rule, &format!("{r:?} {r:#?} {r}"));
    }
    assert_eq!(
        refused[0].to_string(),
        "cookie \"sid\" (Domain=other.org; Path=/) from http://www.example.com/app: \
         request host does not match the domain attribute"
    );
    assert_hidden("SharedJar with a log", &format!("{jar:?}"));
}

#[test]
fn the_log_keeps_the_last_64() {
    let jar = SharedJar::default();
    let from = Url::parse("http://example.com/").unwrap();
    for k in 0..70 {
        let _ = jar.set_cookie(&from, &format!("c{k}=1; Domain=other.org"));
    }
    let refused = jar.take_rejections();
    assert_eq!(refused.len(), 64);
    assert_eq!(refused[0].name.as_deref(), Some("c6"));
    assert_eq!(refused[63].name.as_deref(), Some("c69"));
}

#[cfg(feature = "http")]
#[test]
fn refusals_through_header_maps_name_the_cookie() {
    use http::{header::SET_COOKIE, HeaderMap, HeaderValue};
    let jar = SharedJar::default();
    let from = Url::parse("https://example.com/").unwrap();
    let mut headers = HeaderMap::new();
    headers.append(SET_COOKIE, "ok=1".parse().unwrap());
    headers.append(
        SET_COOKIE,
        format!("bad={SECRET}; Domain=other.org").parse().unwrap(),
    );
    headers.append(
        SET_COOKIE,
        HeaderValue::from_bytes(b"raw=\xff\xfe").unwrap(),
    );
    let results = jar.store_response_cookies_at(&from, &headers, time::OffsetDateTime::now_utc());
    assert!(results[0].is_ok());
    let refused = jar.take_rejections();
    let names: Vec<Option<&str>> = refused.iter().map(|r| r.name.as_deref()).collect();
    assert_eq!(names, [Some("bad"), Some("raw")]);
    assert_eq!(
        refused[1].reason,
        Rejection::Parse(cookiejar::ParseError::InvalidUtf8)
    );
    for r in &refused {
        assert_hidden("header-map refusal", &format!("{r:?} {r}"));
    }
}

//! The jar's rules, table by table, each row citing the RFC section it
//! checks. A row stores Set-Cookie values from one URL in a fresh jar and
//! checks the Cookie header other URLs receive, or the rejection.

use cookiejar::{
    Exclusion, Jar, Limits, NoPublicSuffix, Profile, PublicSuffixList, Rejection, RequestContext,
    Stored,
};
use std::sync::Arc;
use time::macros::datetime;
use time::{Duration, OffsetDateTime};
use url::Url;

const NOW: OffsetDateTime = datetime!(2026-01-01 12:00:00 UTC);

fn url(s: &str) -> Url {
    Url::parse(s).unwrap_or_else(|e| panic!("{s}: {e}"))
}

/// `(rule, from, set-cookies, [(to, expected header)])`
type Row<'a> = (
    &'a str,
    &'a str,
    &'a [&'a str],
    &'a [(&'a str, Option<&'a str>)],
);

fn check_rows(profile: Profile, rows: &[Row<'_>]) {
    let mut failures = Vec::new();
    for (rule, from, set, queries) in rows {
        let mut jar = Jar::builder().profile(profile).build();
        for header in *set {
            let _ = jar.set_cookie_at(&url(from), header, NOW);
        }
        for (to, want) in *queries {
            let got = jar.cookie_header_at(&url(to), NOW);
            if got.as_deref() != *want {
                failures.push(format!(
                    "{rule}: from {from} set {set:?}\n  to {to}: want {want:?}, got {got:?}"
                ));
            }
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

fn rejection(jar: &mut Jar, from: &str, header: &str) -> Option<Rejection> {
    jar.set_cookie_at(&url(from), header, NOW).err()
}

#[test]
fn host_only_and_domain_cookies_rfc_6265_section_5_3_step_6() {
    check_rows(
        Profile::Rfc6265bis,
        &[
            (
                "host-only goes to the same host only",
                "http://www.example.com/",
                &["a=1"],
                &[
                    ("http://www.example.com/", Some("a=1")),
                    ("http://example.com/", None),
                    ("http://sub.www.example.com/", None),
                    ("http://other.com/", None),
                ],
            ),
            (
                "Domain reaches the domain and subdomains",
                "http://www.example.com/",
                &["a=1; Domain=example.com"],
                &[
                    ("http://example.com/", Some("a=1")),
                    ("http://api.example.com/", Some("a=1")),
                    ("http://a.b.example.com/", Some("a=1")),
                    ("http://badexample.com/", None),
                ],
            ),
            (
                "Domain is case-insensitive, leading dot ignored",
                "http://www.example.com/",
                &["a=1; Domain=.EXAMPLE.com"],
                &[("http://api.example.com/", Some("a=1"))],
            ),
            (
                "request host is case-insensitive",
                "http://WWW.Example.COM/",
                &["a=1"],
                &[("http://www.example.com/", Some("a=1"))],
            ),
            (
                "port is ignored (RFC 6265 section 8.5)",
                "http://example.com:8080/",
                &["a=1"],
                &[("http://example.com:9090/", Some("a=1"))],
            ),
            (
                "scheme is ignored without Secure",
                "https://example.com/",
                &["a=1"],
                &[("http://example.com/", Some("a=1"))],
            ),
            (
                "IDNA: Unicode Domain matches the A-label host",
                "http://www.b\u{fc}cher.de/",
                &["a=1; Domain=b\u{fc}cher.de"],
                &[("http://shop.xn--bcher-kva.de/", Some("a=1"))],
            ),
            (
                "empty Domain= is host-only under 6265bis",
                "http://www.example.com/",
                &["a=1; Domain=example.com; Domain="],
                &[
                    ("http://www.example.com/", Some("a=1")),
                    ("http://api.example.com/", None),
                ],
            ),
        ],
    );
}

#[test]
fn domain_rejections_rfc_6265_section_5_3_steps_5_and_6() {
    let cases = [
        (
            "other domain",
            "http://www.example.com/",
            "a=1; Domain=example.org",
            Rejection::DomainMismatch,
        ),
        (
            "subdomain of the host",
            "http://example.com/",
            "a=1; Domain=www.example.com",
            Rejection::DomainMismatch,
        ),
        (
            "suffix without a dot",
            "http://badexample.com/",
            "a=1; Domain=example.com",
            Rejection::DomainMismatch,
        ),
        (
            "public suffix",
            "http://www.bbc.co.uk/",
            "a=1; Domain=co.uk",
            Rejection::PublicSuffix,
        ),
        (
            "TLD",
            "http://www.example.com/",
            "a=1; Domain=com",
            Rejection::PublicSuffix,
        ),
        (
            "private-section suffix",
            "http://me.github.io/",
            "a=1; Domain=github.io",
            Rejection::PublicSuffix,
        ),
        (
            "invalid name",
            "http://www.example.com/",
            "a=1; Domain=exa mple.com",
            Rejection::InvalidDomain,
        ),
        (
            "IP host naming part of itself",
            "http://127.0.0.1/",
            "a=1; Domain=0.0.1",
            Rejection::DomainMismatch,
        ),
        (
            "IP host naming another IP",
            "http://127.0.0.1/",
            "a=1; Domain=127.0.0.2",
            Rejection::DomainMismatch,
        ),
        ("no host", "data:text/plain,x", "a=1", Rejection::NoHost),
        // Hosts the URL parser keeps but no domain name (and no jar file)
        // holds: the replay_har fuzz target found the first.
        (
            "host with an empty label",
            "https://www.shop..example.com/",
            "a=1",
            Rejection::InvalidHost,
        ),
        (
            "host with a trailing dot",
            "http://example.com./",
            "a=1",
            Rejection::InvalidHost,
        ),
        (
            "host with a character no domain name has",
            "http://a!b.example.com/",
            "a=1",
            Rejection::InvalidHost,
        ),
        (
            "parse error",
            "http://example.com/",
            "a=1\r\nb",
            Rejection::Parse(cookiejar::ParseError::ControlCharacter),
        ),
    ];
    for (why, from, header, want) in cases {
        let mut jar = Jar::new();
        assert_eq!(rejection(&mut jar, from, header), Some(want), "{why}");
        assert!(jar.is_empty(), "{why}");
    }
}

#[test]
fn public_suffix_equal_to_the_host_makes_a_host_only_cookie() {
    // RFC 6265 section 5.3 step 5: "If the domain-attribute is identical to
    // the canonicalized request-host: Let the domain-attribute be the empty
    // string."
    check_rows(
        Profile::Rfc6265bis,
        &[
            (
                "suffix host",
                "http://github.io/",
                &["a=1; Domain=github.io"],
                &[
                    ("http://github.io/", Some("a=1")),
                    ("http://me.github.io/", None),
                ],
            ),
            (
                "IP host names itself: host-only",
                "http://127.0.0.1/",
                &["a=1; Domain=127.0.0.1"],
                &[("http://127.0.0.1/", Some("a=1"))],
            ),
            (
                "IPv6",
                "http://[::1]:8080/",
                &["a=1; Domain=[::1]"],
                &[("http://[::1]/", Some("a=1"))],
            ),
            (
                "localhost",
                "http://localhost:3000/",
                &["a=1; Domain=localhost"],
                &[
                    ("http://localhost/", Some("a=1")),
                    ("http://app.localhost/", None),
                ],
            ),
            (
                "Domain=localhost from a subdomain: refused (list rule \"*\")",
                "http://app.localhost/",
                &["a=1; Domain=localhost"],
                &[("http://api.localhost/", None), ("http://localhost/", None)],
            ),
            (
                "single-label intranet host",
                "http://intranet/",
                &["a=1"],
                &[("http://intranet/x", Some("a=1"))],
            ),
            (
                "unknown TLD domain cookie",
                "http://a.corp.internal/",
                &["a=1; Domain=corp.internal"],
                &[
                    ("http://b.corp.internal/", Some("a=1")),
                    ("http://b.other.internal/", None),
                ],
            ),
        ],
    );
}

#[test]
fn paths_rfc_6265_section_5_1_4() {
    check_rows(
        Profile::Rfc6265bis,
        &[
            (
                "default path is the directory",
                "http://example.com/a/b/page",
                &["x=1"],
                &[
                    ("http://example.com/a/b", Some("x=1")),
                    ("http://example.com/a/b/c", Some("x=1")),
                    ("http://example.com/a/bc", None),
                    ("http://example.com/a", None),
                ],
            ),
            (
                "explicit Path",
                "http://example.com/",
                &["x=1; Path=/docs"],
                &[
                    ("http://example.com/docs", Some("x=1")),
                    ("http://example.com/docs/web", Some("x=1")),
                    ("http://example.com/docsx", None),
                    ("http://example.com/", None),
                ],
            ),
            (
                "Path with a trailing slash",
                "http://example.com/",
                &["x=1; Path=/docs/"],
                &[
                    ("http://example.com/docs/", Some("x=1")),
                    ("http://example.com/docs", None),
                ],
            ),
            (
                "relative Path means the default",
                "http://example.com/a/b",
                &["x=1; Path=docs"],
                &[("http://example.com/a/", Some("x=1"))],
            ),
            (
                "no percent-decoding",
                "http://example.com/",
                &["x=1; Path=/foo"],
                &[("http://example.com/f%6Fo", None)],
            ),
            (
                "order: longer path first, then creation",
                "http://example.com/a/b/c",
                &[
                    "a=1; Path=/",
                    "b=2; Path=/a/b",
                    "c=3; Path=/a",
                    "d=4; Path=/a/b",
                ],
                &[("http://example.com/a/b/c", Some("b=2; d=4; c=3; a=1"))],
            ),
        ],
    );
}

#[test]
fn expiry_rfc_6265_section_5_3_step_3() {
    let mut jar = Jar::new();
    let site = url("http://example.com/");
    jar.set_cookie_at(&site, "short=1; Max-Age=10", NOW)
        .unwrap();
    jar.set_cookie_at(
        &site,
        "maxage_wins=1; Max-Age=100; Expires=Thu, 01 Jan 2015 00:00:00 GMT",
        NOW,
    )
    .unwrap();
    jar.set_cookie_at(
        &site,
        "expires=1; Expires=Fri, 02 Jan 2026 12:00:00 GMT",
        NOW,
    )
    .unwrap();
    jar.set_cookie_at(&site, "session=1", NOW).unwrap();
    assert_eq!(
        jar.cookie_header_at(&site, NOW + Duration::seconds(9))
            .as_deref(),
        Some("short=1; maxage_wins=1; expires=1; session=1")
    );
    assert_eq!(
        jar.cookie_header_at(&site, NOW + Duration::seconds(10))
            .as_deref(),
        Some("maxage_wins=1; expires=1; session=1"),
        "expired is never sent"
    );
    assert_eq!(
        jar.cookie_header_at(&site, NOW + Duration::days(2))
            .as_deref(),
        Some("session=1")
    );
    let session = jar.iter().find(|c| c.name() == "session").unwrap();
    assert!(!session.persistent() && session.expiry_time().is_none());
    assert_eq!(jar.purge_expired_at(NOW + Duration::days(2)), 3);
    assert_eq!(jar.len(), 1);
}

#[test]
fn expired_cookies_delete_and_are_not_stored() {
    let mut jar = Jar::new();
    let site = url("http://example.com/");
    assert_eq!(
        jar.set_cookie_at(&site, "a=1", NOW),
        Ok(Stored::Inserted { evicted: 0 })
    );
    assert_eq!(
        jar.set_cookie_at(&site, "a=1", NOW),
        Ok(Stored::Replaced { evicted: 0 })
    );
    assert_eq!(
        jar.set_cookie_at(&site, "a=; Max-Age=0", NOW),
        Ok(Stored::Deleted)
    );
    assert_eq!(
        jar.set_cookie_at(&site, "a=; Max-Age=0", NOW),
        Ok(Stored::Expired)
    );
    jar.set_cookie_at(&site, "b=1", NOW).unwrap();
    assert_eq!(
        jar.set_cookie_at(&site, "b=; Expires=Thu, 01 Jan 1970 00:00:00 GMT", NOW),
        Ok(Stored::Deleted)
    );
    jar.set_cookie_at(&site, "c=1", NOW).unwrap();
    assert_eq!(
        jar.set_cookie_at(
            &site,
            "c=1; Max-Age=-5; Expires=Fri, 01 Jan 2100 00:00:00 GMT",
            NOW
        ),
        Ok(Stored::Deleted),
        "Max-Age wins"
    );
    assert!(jar.is_empty());
    // Deletion needs the same domain and path.
    jar.set_cookie_at(&site, "d=1; Path=/x", NOW).unwrap();
    assert_eq!(
        jar.set_cookie_at(&site, "d=; Max-Age=0", NOW),
        Ok(Stored::Expired)
    );
    assert_eq!(jar.len(), 1);
}

#[test]
fn expiry_is_capped_at_400_days_under_rfc6265bis() {
    let site = url("http://example.com/");
    for (profile, cap) in [
        (Profile::Rfc6265bis, Some(NOW + Duration::days(400))),
        (Profile::Rfc6265, None),
    ] {
        let mut jar = Jar::builder().profile(profile).build();
        jar.set_cookie_at(&site, "a=1; Max-Age=315360000", NOW)
            .unwrap();
        let expiry = jar.iter().next().unwrap().expiry_time().unwrap();
        assert_eq!(
            expiry,
            cap.unwrap_or(NOW + Duration::seconds(315_360_000)),
            "{profile:?}"
        );
    }
    let mut jar = Jar::new();
    jar.set_cookie_at(&site, "huge=1; Max-Age=9223372036854775807", NOW)
        .unwrap();
    assert_eq!(
        jar.iter().next().unwrap().expiry_time(),
        Some(NOW + Duration::days(400))
    );
}

#[test]
fn secure_cookies_rfc_6265bis() {
    let https = "https://example.com/";
    let http = "http://example.com/";
    // Section 5.7 step 11: Secure only from a secure origin.
    let mut jar = Jar::new();
    assert_eq!(
        rejection(&mut jar, http, "s=1; Secure"),
        Some(Rejection::SecureFromInsecureOrigin)
    );
    assert_eq!(
        rejection(&mut jar, "http://localhost/", "s=1; Secure"),
        None,
        "loopback is secure"
    );
    assert_eq!(
        rejection(&mut jar, "http://127.0.0.1/", "s=1; Secure"),
        None
    );
    // Section 5.8.3: Secure cookies only over secure channels.
    jar.set_cookie_at(&url(https), "s=1; Secure", NOW).unwrap();
    assert_eq!(
        jar.cookie_header_at(&url(https), NOW).as_deref(),
        Some("s=1")
    );
    assert_eq!(
        jar.cookie_header_at(&url("wss://example.com/"), NOW)
            .as_deref(),
        Some("s=1")
    );
    assert_eq!(jar.cookie_header_at(&url(http), NOW), None);
    // Section 5.7 step 16: Leave Secure Cookies Alone.
    assert_eq!(
        rejection(&mut jar, http, "s=2"),
        Some(Rejection::OverwritesSecure)
    );
    assert_eq!(
        rejection(&mut jar, http, "s=2; Path=/deeper"),
        Some(Rejection::OverwritesSecure)
    );
    assert_eq!(
        rejection(
            &mut jar,
            "http://www.example.com/",
            "s=2; Domain=example.com"
        ),
        Some(Rejection::OverwritesSecure)
    );
    assert_eq!(rejection(&mut jar, http, "other=2"), None);
    assert_eq!(
        rejection(&mut jar, https, "s=3"),
        None,
        "a secure origin may replace it"
    );
    // The 2011 text has none of these rules.
    let mut old = Jar::builder().profile(Profile::Rfc6265).build();
    assert_eq!(rejection(&mut old, http, "s=1; Secure"), None);
}

#[test]
fn http_only_rfc_6265_section_5_3_steps_10_and_11() {
    let site = url("http://example.com/");
    let script = RequestContext::default().non_http_api();
    let mut jar = Jar::new();
    assert_eq!(
        jar.set_cookie_with(&site, "h=1; HttpOnly", script, NOW),
        Err(Rejection::HttpOnlyFromNonHttpApi)
    );
    jar.set_cookie_at(&site, "h=1; HttpOnly", NOW).unwrap();
    jar.set_cookie_at(&site, "v=1", NOW).unwrap();
    assert_eq!(
        jar.set_cookie_with(&site, "h=2", script, NOW),
        Err(Rejection::OverwritesHttpOnly)
    );
    assert_eq!(
        jar.cookie_header_with(&site, script, NOW).as_deref(),
        Some("v=1")
    );
    assert_eq!(
        jar.cookie_header_at(&site, NOW).as_deref(),
        Some("h=1; v=1")
    );
}

#[test]
fn same_site_rfc_6265bis() {
    let site = url("https://example.com/");
    let mut jar = Jar::new();
    assert_eq!(
        rejection(&mut jar, "https://example.com/", "n=1; SameSite=None"),
        Some(Rejection::SameSiteNoneInsecure)
    );
    let image = RequestContext::default().cross_site();
    assert_eq!(
        jar.set_cookie_with(&site, "l=1; SameSite=Lax", image, NOW),
        Err(Rejection::SameSiteCrossSite)
    );
    for header in [
        "s=1; SameSite=Strict",
        "l=1; SameSite=Lax",
        "n=1; SameSite=None; Secure",
        "d=1",
    ] {
        jar.set_cookie_at(&site, header, NOW).unwrap();
    }
    let link = RequestContext::default()
        .cross_site()
        .top_level_navigation("GET");
    let form = RequestContext::default()
        .cross_site()
        .top_level_navigation("POST");
    assert_eq!(
        jar.cookie_header_at(&site, NOW).as_deref(),
        Some("s=1; l=1; n=1; d=1")
    );
    assert_eq!(
        jar.cookie_header_with(&site, link, NOW).as_deref(),
        Some("l=1; n=1; d=1")
    );
    assert_eq!(
        jar.cookie_header_with(&site, form, NOW).as_deref(),
        Some("n=1; d=1")
    );
    assert_eq!(
        jar.cookie_header_with(&site, image, NOW).as_deref(),
        Some("n=1; d=1")
    );
}

#[test]
fn prefixes_rfc_6265bis_section_4_1_3() {
    let https = "https://example.com/";
    let cases = [
        (
            "__Secure- needs Secure",
            https,
            "__Secure-a=1",
            Some(Rejection::SecurePrefix),
        ),
        ("__Secure- with Secure", https, "__Secure-a=1; Secure", None),
        (
            "__Secure- from http",
            "http://example.com/",
            "__Secure-a=1; Secure",
            Some(Rejection::SecureFromInsecureOrigin),
        ),
        (
            "__Secure- with Domain is fine",
            "https://www.example.com/",
            "__Secure-a=1; Secure; Domain=example.com",
            None,
        ),
        (
            "__Host- complete",
            https,
            "__Host-a=1; Secure; Path=/",
            None,
        ),
        (
            "__Host- without Path",
            https,
            "__Host-a=1; Secure",
            Some(Rejection::HostPrefix),
        ),
        (
            "__Host- with Path=/x",
            https,
            "__Host-a=1; Secure; Path=/x",
            Some(Rejection::HostPrefix),
        ),
        (
            "__Host- with Domain",
            "https://www.example.com/",
            "__Host-a=1; Secure; Path=/; Domain=example.com",
            Some(Rejection::HostPrefix),
        ),
        (
            "__Host- without Secure",
            https,
            "__Host-a=1; Path=/",
            Some(Rejection::HostPrefix),
        ),
        (
            "case-insensitive",
            https,
            "__HOST-a=1; Path=/",
            Some(Rejection::HostPrefix),
        ),
        (
            "nameless with a prefix-like value",
            https,
            "__Host-a; Secure; Path=/",
            Some(Rejection::HostPrefix),
        ),
    ];
    for (why, from, header, want) in cases {
        let mut jar = Jar::new();
        assert_eq!(rejection(&mut jar, from, header), want, "{why}");
    }
}

#[test]
fn replacement_keeps_creation_time_rfc_6265_section_5_3_step_11() {
    let site = url("http://example.com/");
    let mut jar = Jar::new();
    jar.set_cookie_at(&site, "a=1", NOW).unwrap();
    jar.set_cookie_at(&site, "b=1", NOW + Duration::seconds(1))
        .unwrap();
    jar.set_cookie_at(&site, "a=2", NOW + Duration::seconds(2))
        .unwrap();
    assert_eq!(
        jar.cookie_header_at(&site, NOW).as_deref(),
        Some("a=2; b=1")
    );
    let a = jar.iter().find(|c| c.name() == "a").unwrap();
    assert_eq!(a.creation_time(), NOW);
}

#[test]
fn nameless_cookies_by_profile() {
    let site = "http://example.com/";
    let mut bis = Jar::new();
    bis.set_cookie_at(&url(site), "token", NOW).unwrap();
    bis.set_cookie_at(&url(site), "a=1", NOW).unwrap();
    assert_eq!(
        bis.cookie_header_at(&url(site), NOW).as_deref(),
        Some("token; a=1")
    );
    for profile in [Profile::Rfc6265, Profile::Rfc2109] {
        let mut jar = Jar::builder().profile(profile).build();
        assert_eq!(
            rejection(&mut jar, site, "token"),
            Some(Rejection::Nameless),
            "{profile:?}"
        );
        assert_eq!(
            rejection(&mut jar, site, "=token"),
            Some(Rejection::Nameless),
            "{profile:?}"
        );
    }
}

#[test]
fn rfc_2109_profile_section_4_3_2_and_4_3_4() {
    // `!corp` makes `corp` no public suffix, so that its one-label domain
    // meets RFC 2109's rule rather than the public suffix list's.
    let intranet = PublicSuffixList::bundled_with("!corp").unwrap();
    let mut jar = Jar::builder()
        .profile(Profile::Rfc2109)
        .public_suffix_list(Arc::new(intranet))
        .build();
    let cases = [
        (
            "host has a dot before the domain",
            "http://a.b.example.com/",
            "x=1; Domain=.example.com",
            Some(Rejection::Rfc2109HostTooDeep),
        ),
        (
            "one label before the domain",
            "http://b.example.com/",
            "x=1; Domain=.example.com",
            None,
        ),
        (
            "path not a prefix",
            "http://example.com/a/b",
            "x=1; Path=/c",
            Some(Rejection::Rfc2109PathNotPrefix),
        ),
        (
            "domain without an embedded dot",
            "http://a.corp/",
            "x=1; Domain=.corp",
            Some(Rejection::Rfc2109DomainWithoutDot),
        ),
    ];
    for (why, from, header, want) in cases {
        assert_eq!(rejection(&mut jar, from, header), want, "{why}");
    }
    // RFC 2109 section 4.1: attribute values may be quoted.
    let site = url("http://www.example.com/acme/login");
    let mut jar = Jar::builder().profile(Profile::Rfc2109).build();
    jar.set_cookie_at(
        &site,
        "Customer=\"WILE_E_COYOTE\"; Version=\"1\"; Path=\"/acme\"; Domain=\".example.com\"",
        NOW,
    )
    .unwrap();
    assert_eq!(
        jar.cookie_header_at(&url("http://www.example.com/acme/rockets"), NOW)
            .as_deref(),
        Some(
            "$Version=\"1\"; Customer=\"WILE_E_COYOTE\"; $Path=\"/acme\"; $Domain=\".example.com\""
        )
    );
    let mut jar = Jar::builder().profile(Profile::Rfc2109).build();
    let site = url("http://www.example.com/acme/");
    jar.set_cookie_at(&site, "Customer=WILE; Version=1; Path=/acme", NOW)
        .unwrap();
    jar.set_cookie_at(
        &url("http://www.example.com/"),
        "Part=Rocket; Version=1; Domain=.example.com",
        NOW,
    )
    .unwrap();
    assert_eq!(
        jar.cookie_header_at(&url("http://www.example.com/acme/x"), NOW)
            .as_deref(),
        Some(
            "$Version=\"1\"; Customer=WILE; $Path=\"/acme\"; Part=Rocket; $Domain=\".example.com\""
        )
    );
}

#[test]
fn per_domain_limit_evicts_non_secure_least_recently_used_first() {
    let site = url("https://example.com/");
    let limits = Limits {
        max_cookies: 100,
        max_cookies_per_domain: 3,
        max_cookie_bytes: 4096,
        ..Limits::RFC2109
    };
    let mut jar = Jar::builder().limits(limits).build();
    jar.set_cookie_at(&site, "s=1; Secure", NOW).unwrap();
    jar.set_cookie_at(&site, "a=1", NOW).unwrap();
    jar.set_cookie_at(&site, "b=1", NOW).unwrap();
    // Sending refreshes a and b's recency; then "a" is used again alone.
    let _ = jar.cookie_header_at(&site, NOW);
    jar.set_cookie_at(&url("https://example.com/a"), "a=2; Path=/a", NOW)
        .unwrap();
    assert_eq!(
        jar.len(),
        3,
        "a=2 evicted the least recently used non-secure cookie"
    );
    let names: Vec<_> = {
        let mut v: Vec<_> = jar
            .iter()
            .map(|c| format!("{}={}{}", c.name(), c.value(), c.path()))
            .collect();
        v.sort();
        v
    };
    assert_eq!(
        names,
        ["a=2/a", "b=1/", "s=1/"],
        "a=1 was least recently used among non-secure"
    );
    // Other domains are untouched and have their own quota.
    jar.set_cookie_at(&url("https://other.com/"), "o=1", NOW)
        .unwrap();
    assert_eq!(jar.len(), 4);
}

#[test]
fn a_domain_full_of_secure_cookies_refuses_a_new_non_secure_one() {
    let site = url("https://example.com/");
    let limits = Limits {
        max_cookies: 100,
        max_cookies_per_domain: 2,
        max_cookie_bytes: 4096,
        ..Limits::RFC2109
    };
    let mut jar = Jar::builder().limits(limits).build();
    jar.set_cookie_at(&site, "s1=1; Secure", NOW).unwrap();
    jar.set_cookie_at(&site, "s2=1; Secure", NOW).unwrap();
    assert_eq!(
        jar.set_cookie_at(&site, "plain=1", NOW),
        Err(Rejection::NoRoom)
    );
    assert_eq!(jar.len(), 2);
    assert_eq!(
        jar.set_cookie_at(&site, "s3=1; Secure", NOW),
        Ok(Stored::Inserted { evicted: 1 })
    );
}

#[test]
fn expired_cookies_are_evicted_first() {
    let limits = Limits {
        max_cookies: 3,
        max_cookies_per_domain: 3,
        max_cookie_bytes: 4096,
        ..Limits::RFC2109
    };
    let mut jar = Jar::builder().limits(limits).build();
    jar.set_cookie_at(&url("http://a.com/"), "old=1; Max-Age=5", NOW)
        .unwrap();
    jar.set_cookie_at(&url("http://b.com/"), "b=1", NOW)
        .unwrap();
    jar.set_cookie_at(&url("http://c.com/"), "c=1", NOW)
        .unwrap();
    let later = NOW + Duration::seconds(10);
    assert_eq!(
        jar.set_cookie_at(&url("http://d.com/"), "d=1", later),
        Ok(Stored::Inserted { evicted: 1 })
    );
    assert!(jar.iter().all(|c| c.name() != "old"));
    // Then globally least recently used: b was sent, so c goes.
    let _ = jar.cookie_header_at(&url("http://b.com/"), later);
    jar.set_cookie_at(&url("http://e.com/"), "e=1", later)
        .unwrap();
    let mut names: Vec<_> = jar.iter().map(|c| c.name().to_string()).collect();
    names.sort();
    assert_eq!(names, ["b", "d", "e"]);
}

#[test]
fn size_limit_is_configurable() {
    let limits = Limits {
        max_cookie_bytes: 8,
        ..Limits::RFC2109
    };
    let mut jar = Jar::builder().limits(limits).build();
    assert_eq!(rejection(&mut jar, "http://example.com/", "name=val"), None);
    assert_eq!(
        rejection(&mut jar, "http://example.com/", "name=value"),
        Some(Rejection::TooLarge)
    );
}

#[test]
fn explain_says_why_each_cookie_is_or_is_not_sent() {
    let mut jar = Jar::new();
    let https = url("https://www.example.com/app/");
    for header in [
        "sent=1; Path=/",
        "secure=1; Secure; Path=/",
        "deep=1; Path=/app/admin",
        "gone=1; Max-Age=1; Path=/",
        "strict=1; SameSite=Strict; Path=/",
    ] {
        jar.set_cookie_at(&https, header, NOW).unwrap();
    }
    jar.set_cookie_at(&url("https://api.example.com/"), "api=1", NOW)
        .unwrap();
    let later = NOW + Duration::seconds(5);
    let http = url("http://www.example.com/app/");
    let got: Vec<(String, Option<Exclusion>)> = jar
        .explain_at(&http, later)
        .iter()
        .map(|e| (e.cookie.name().to_string(), e.exclusion))
        .collect();
    let want = [
        ("sent", None),
        ("strict", None),
        ("api", Some(Exclusion::HostOnly)),
        ("deep", Some(Exclusion::PathMismatch)),
        ("gone", Some(Exclusion::Expired)),
        ("secure", Some(Exclusion::SecureOnly)),
    ];
    let want: Vec<(String, Option<Exclusion>)> =
        want.iter().map(|(n, e)| (n.to_string(), *e)).collect();
    assert_eq!(got, want);
    let cross = jar.explain_with(&http, RequestContext::default().cross_site(), later);
    assert_eq!(
        cross
            .iter()
            .find(|e| e.cookie.name() == "strict")
            .and_then(|e| e.exclusion),
        Some(Exclusion::SameSiteStrict)
    );
}

#[test]
fn listing_removing_and_clearing() {
    let mut jar = Jar::new();
    jar.set_cookie_at(&url("http://www.example.com/"), "a=1", NOW)
        .unwrap();
    jar.set_cookie_at(
        &url("http://www.example.com/"),
        "b=1; Domain=example.com",
        NOW,
    )
    .unwrap();
    jar.set_cookie_at(&url("http://other.org/"), "c=1", NOW)
        .unwrap();
    assert_eq!(jar.iter().count(), 3);
    assert_eq!(
        jar.remove("www.example.com", "/", "a")
            .map(|c| c.value().to_string())
            .as_deref(),
        Some("1")
    );
    assert!(jar.remove("www.example.com", "/", "a").is_none());
    assert_eq!(jar.clear_domain("example.com"), 1);
    assert_eq!(jar.len(), 1);
    jar.clear();
    assert!(jar.is_empty());
    assert_eq!(jar.cookie_header_at(&url("http://other.org/"), NOW), None);
}

#[test]
fn last_access_time_is_updated_on_send() {
    let site = url("http://example.com/");
    let mut jar = Jar::new();
    jar.set_cookie_at(&site, "a=1", NOW).unwrap();
    let later = NOW + Duration::hours(1);
    let _ = jar.cookie_header_at(&site, later);
    let a = jar.iter().next().unwrap();
    assert_eq!((a.creation_time(), a.last_access_time()), (NOW, later));
    let _ = jar.explain_at(&site, later + Duration::hours(1));
    assert_eq!(
        jar.iter().next().unwrap().last_access_time(),
        later,
        "explain is not an access"
    );
}

#[test]
fn public_suffix_list_can_be_replaced() {
    let mut jar = Jar::builder()
        .public_suffix_list(Arc::new(NoPublicSuffix))
        .build();
    assert_eq!(
        rejection(&mut jar, "http://www.example.com/", "a=1; Domain=com"),
        None,
        "insecure without a list"
    );
    jar.set_cookie_at(
        &url("http://www.example.com/"),
        "b=1; Domain=example.com",
        NOW,
    )
    .unwrap();
    let removed = jar.set_public_suffix_list(PublicSuffixList::bundled());
    assert_eq!(removed, 1, "the supercookie for com is dropped");
    assert_eq!(
        jar.cookie_header_at(&url("http://api.example.com/"), NOW)
            .as_deref(),
        Some("b=1"),
        "re-filed under example.com"
    );
    let custom = PublicSuffixList::parse("example.com\n").unwrap();
    jar.set_public_suffix_list(Arc::new(custom));
    assert_eq!(
        rejection(
            &mut jar,
            "http://www.example.com/",
            "c=1; Domain=example.com"
        ),
        Some(Rejection::PublicSuffix)
    );
}

#[test]
fn cookie_debug_redacts_the_value() {
    let mut jar = Jar::new();
    jar.set_cookie_at(&url("http://example.com/"), "sid=topsecret", NOW)
        .unwrap();
    let debug = format!("{:?}", jar.iter().next().unwrap());
    assert!(
        !debug.contains("topsecret") && debug.contains("redacted"),
        "{debug}"
    );
}

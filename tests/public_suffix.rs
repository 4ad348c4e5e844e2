//! The jar under the public suffix list's default rule `*` (an unlisted
//! top-level domain is a public suffix, RFC 6265 section 5.3 step 5), the
//! opt-in for a private top-level domain, and loopback hosts, which stay
//! secure origins (RFC 6265bis, "potentially trustworthy origins").

use cookiejar::{Jar, PublicSuffixList, Rejection};
use std::sync::Arc;
use time::macros::datetime;
use time::OffsetDateTime;
use url::Url;

const NOW: OffsetDateTime = datetime!(2026-01-01 12:00:00 UTC);

fn url(s: &str) -> Url {
    Url::parse(s).unwrap_or_else(|e| panic!("{s}: {e}"))
}

/// A jar whose list makes `corp` a private top-level domain: one site.
fn intranet_jar() -> Jar {
    let list = PublicSuffixList::bundled_with("!corp\n").expect("one valid rule");
    Jar::builder().public_suffix_list(Arc::new(list)).build()
}

#[test]
fn domain_cookies_for_an_unlisted_top_level_domain_are_refused() {
    // `(from, Set-Cookie, another site under the same TLD)`: Chromium and
    // Go refuse each of these supercookies; so does the jar.
    let cases = [
        ("http://x.a.b/", "b=2; Domain=b", "http://z.b/"),
        ("http://x.a.b/", "b=2; Domain=.b", "http://z.b/"),
        (
            "http://intranet.corp/",
            "a=1; Domain=corp",
            "http://wiki.corp/",
        ),
        (
            "http://app.internal/",
            "a=1; Domain=internal",
            "http://db.internal/",
        ),
        (
            "http://app.localhost/",
            "a=1; Domain=localhost",
            "http://other.localhost/",
        ),
        (
            "http://app.localhost/",
            "a=1; Domain=LOCALHOST",
            "http://localhost/",
        ),
        (
            "https://a.b.intranet/",
            "a=1; Domain=intranet; Secure",
            "https://c.intranet/",
        ),
    ];
    for (from, header, other) in cases {
        let mut jar = Jar::new();
        let got = jar.set_cookie_at(&url(from), header, NOW);
        assert_eq!(got, Err(Rejection::PublicSuffix), "{from} {header}");
        assert!(jar.is_empty(), "{from} {header}");
        assert_eq!(jar.cookie_header_at(&url(other), NOW), None, "{other}");
        // Under the opt-in for `corp` only, the others stay refused.
        if !header.contains("corp") {
            let got = intranet_jar().set_cookie_at(&url(from), header, NOW);
            assert_eq!(got, Err(Rejection::PublicSuffix), "opt-in: {from} {header}");
        }
    }
}

#[test]
fn an_unlisted_top_level_domain_naming_itself_is_host_only() {
    // RFC 6265 section 5.3 step 5: "If the domain-attribute is identical to
    // the canonicalized request-host: Let the domain-attribute be the empty
    // string" (and step 6 makes the cookie host-only).
    let cases = [
        ("http://corp/", "a=1; Domain=corp", "http://wiki.corp/"),
        (
            "http://localhost:3000/",
            "a=1; Domain=localhost",
            "http://app.localhost/",
        ),
        (
            "http://internal/",
            "a=1; Domain=.internal",
            "http://db.internal/",
        ),
    ];
    for (from, header, other) in cases {
        let mut jar = Jar::new();
        jar.set_cookie_at(&url(from), header, NOW)
            .unwrap_or_else(|e| panic!("{from} {header}: {e:?}"));
        let cookie = jar.iter().next().expect("stored");
        assert!(cookie.host_only(), "{from} {header}");
        assert_eq!(cookie.domain(), url(from).host_str().unwrap_or(""));
        assert_eq!(
            jar.cookie_header_at(&url(from), NOW).as_deref(),
            Some("a=1")
        );
        assert_eq!(jar.cookie_header_at(&url(other), NOW), None, "{other}");
    }
}

#[test]
fn hosts_under_an_unlisted_top_level_domain_keep_their_own_cookies() {
    // Each host is a site of its own (and the jar's bucket key): the
    // host-only cookies of `a.localhost` and `localhost` are found again,
    // and neither reaches the other.
    let mut jar = Jar::new();
    let set = [
        ("http://a.localhost/", "a=1"),
        ("http://localhost/", "l=1"),
        ("http://x.a.localhost/", "x=1; Domain=a.localhost"),
        ("http://intranet.corp/", "i=1"),
        ("http://corp/", "c=1"),
    ];
    for (from, header) in set {
        jar.set_cookie_at(&url(from), header, NOW)
            .unwrap_or_else(|e| panic!("{from} {header}: {e:?}"));
    }
    let cases = [
        ("http://a.localhost/", Some("a=1; x=1")),
        ("http://y.a.localhost/", Some("x=1")),
        ("http://localhost/", Some("l=1")),
        ("http://b.localhost/", None),
        ("http://intranet.corp/", Some("i=1")),
        ("http://corp/", Some("c=1")),
        ("http://wiki.corp/", None),
    ];
    for (to, want) in cases {
        assert_eq!(jar.cookie_header_at(&url(to), NOW).as_deref(), want, "{to}");
    }
    // The same after a round trip through the list (re-filing).
    let removed = jar.set_public_suffix_list(PublicSuffixList::bundled());
    assert_eq!(removed, 0);
    for (to, want) in cases {
        assert_eq!(jar.cookie_header_at(&url(to), NOW).as_deref(), want, "{to}");
    }
}

#[test]
fn loopback_hosts_stay_secure_origins() {
    // RFC 6265bis section 5.7 step 11 allows Secure only from a secure
    // origin; loopback is one even over http.
    for origin in [
        "http://localhost/",
        "http://localhost:8080/",
        "http://app.localhost/",
        "http://127.0.0.1/",
        "http://127.0.0.2:3000/",
        "http://[::1]/",
    ] {
        let mut jar = Jar::new();
        jar.set_cookie_at(&url(origin), "s=1; Secure", NOW)
            .unwrap_or_else(|e| panic!("{origin}: {e:?}"));
        assert_eq!(
            jar.cookie_header_at(&url(origin), NOW).as_deref(),
            Some("s=1"),
            "{origin}"
        );
    }
    let mut jar = Jar::new();
    assert_eq!(
        jar.set_cookie_at(&url("http://localhost.example.com/"), "s=1; Secure", NOW),
        Err(Rejection::SecureFromInsecureOrigin)
    );
}

#[test]
fn a_private_rule_opts_a_top_level_domain_in_to_shared_cookies() {
    // `!corp` (see `PublicSuffixList`): all of `corp` is one site, so
    // `Domain=corp` is a domain cookie every `*.corp` host receives.
    let mut jar = intranet_jar();
    jar.set_cookie_at(&url("http://intranet.corp/"), "a=1; Domain=corp", NOW)
        .expect("opted in");
    jar.set_cookie_at(&url("http://wiki.corp/"), "w=1; Domain=wiki.corp", NOW)
        .expect("a subdomain's own domain cookie");
    let cookie = jar.iter().find(|c| c.name() == "a").expect("stored");
    assert!(!cookie.host_only());
    assert_eq!(cookie.domain(), "corp");
    let cases = [
        ("http://intranet.corp/", Some("a=1")),
        ("http://wiki.corp/", Some("a=1; w=1")),
        ("http://a.wiki.corp/", Some("a=1; w=1")),
        ("http://corp/", Some("a=1")),
        ("http://z.b/", None),
        ("http://corp.example.com/", None),
    ];
    for (to, want) in cases {
        assert_eq!(jar.cookie_header_at(&url(to), NOW).as_deref(), want, "{to}");
    }
    // Going back to the bundled list drops the now-refused cookie.
    assert_eq!(jar.set_public_suffix_list(PublicSuffixList::bundled()), 1);
    assert_eq!(
        jar.cookie_header_at(&url("http://wiki.corp/"), NOW)
            .as_deref(),
        Some("w=1")
    );
    assert_eq!(
        jar.cookie_header_at(&url("http://intranet.corp/"), NOW),
        None
    );
}

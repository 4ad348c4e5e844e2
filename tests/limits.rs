//! The `Cookie` header cap (`Limits::max_header_bytes`): the header never
//! grows past it, a cookie is sent whole or not at all, cookies are taken
//! in RFC 6265 section 5.4 order (a later, smaller one may still fit), the
//! cookies left out are not counted as accessed, and `explain` says why.
#![allow(clippy::unwrap_used, clippy::indexing_slicing)]

use cookiejar::{Exclusion, Jar, Limits, Profile};
use proptest::prelude::*;
use time::macros::datetime;
use time::{Duration, OffsetDateTime};
use url::Url;

const NOW: OffsetDateTime = datetime!(2026-01-01 12:00:00 UTC);

fn url(s: &str) -> Url {
    Url::parse(s).unwrap()
}

fn jar_with(limits: Limits, profile: Profile) -> Jar {
    Jar::builder().limits(limits).profile(profile).build()
}

#[test]
fn the_presets_document_their_caps() {
    assert_eq!(Limits::RFC2109.max_header_bytes, 8182);
    assert_eq!(Limits::RFC6265.max_header_bytes, 8182);
    assert_eq!(Limits::default(), Limits::RFC2109);
    // 180 cookies of 4096 bytes, each with its `=` and `; `.
    assert_eq!(Limits::BROWSER.max_header_bytes, 180 * 4099);
}

#[test]
fn a_cookie_that_does_not_fit_is_left_out_whole_and_a_smaller_later_one_still_fits() {
    let mut jar = Jar::new();
    let site = url("https://example.com/a/b/page");
    let v = |n: usize| "v".repeat(n);
    // RFC order: longer paths first, so `deep` (3000), `mid` (3000),
    // `big` (3000, does not fit), `small` (10, fits).
    jar.set_cookie_at(&site, &format!("deep={}; Path=/a/b", v(3000)), NOW)
        .unwrap();
    jar.set_cookie_at(&site, &format!("mid={}; Path=/a", v(3000)), NOW)
        .unwrap();
    jar.set_cookie_at(&site, &format!("big={}; Path=/", v(3000)), NOW)
        .unwrap();
    jar.set_cookie_at(&site, "small=0123456789; Path=/", NOW)
        .unwrap();
    let header = jar.cookie_header_at(&site, NOW).unwrap();
    assert!(header.len() <= 8182, "{}", header.len());
    let names: Vec<&str> = header
        .split("; ")
        .map(|pair| pair.split('=').next().unwrap())
        .collect();
    assert_eq!(names, ["deep", "mid", "small"]);
    assert!(header.contains(&format!("deep={}", v(3000))));

    let why: Vec<(&str, Option<Exclusion>)> = jar
        .explain_at(&site, NOW)
        .iter()
        .map(|e| (e.cookie.name(), e.exclusion))
        .collect();
    assert_eq!(
        why,
        [
            ("deep", None),
            ("mid", None),
            ("small", None),
            ("big", Some(Exclusion::HeaderFull)),
        ]
    );
    assert!(Exclusion::HeaderFull
        .to_string()
        .contains("max_header_bytes"));
    assert_eq!(Exclusion::HeaderFull.code(), "header_full");
}

#[test]
fn the_cap_is_exact() {
    for (cap, want) in [
        (0, None),
        (2, None),
        (3, Some("a=1")),
        (7, Some("a=1")),
        (8, Some("a=1; b=2")),
        (8182, Some("a=1; b=2")),
    ] {
        let limits = Limits {
            max_header_bytes: cap,
            ..Limits::RFC2109
        };
        let mut jar = jar_with(limits, Profile::Rfc6265bis);
        let site = url("https://example.com/");
        jar.set_cookie_at(&site, "a=1", NOW).unwrap();
        jar.set_cookie_at(&site, "b=2", NOW + Duration::seconds(1))
            .unwrap();
        assert_eq!(
            jar.cookie_header_at(&site, NOW).as_deref(),
            want,
            "cap {cap}"
        );
    }
}

#[test]
fn rfc2109_attributes_count_towards_the_cap() {
    let site = url("http://www.example.com/");
    let full = "$Version=\"1\"; a=1; $Path=\"/\"; b=2; $Path=\"/\"; $Domain=\".example.com\"";
    for (cap, want) in [
        (full.len(), Some(full)),
        (full.len() - 1, Some("$Version=\"1\"; a=1; $Path=\"/\"")),
        ("$Version=\"1\"; a=1; $Path=\"/\"".len() - 1, None),
    ] {
        let limits = Limits {
            max_header_bytes: cap,
            ..Limits::RFC2109
        };
        let mut jar = jar_with(limits, Profile::Rfc2109);
        // RFC 2109 section 4.3.4 sends `$Path` only after a Path attribute.
        jar.set_cookie_at(&site, "a=1; Version=1; Path=/", NOW)
            .unwrap();
        jar.set_cookie_at(
            &site,
            "b=2; Version=1; Path=/; Domain=.example.com",
            NOW + Duration::seconds(1),
        )
        .unwrap();
        assert_eq!(
            jar.cookie_header_at(&site, NOW).as_deref(),
            want,
            "cap {cap}"
        );
    }
}

#[test]
fn cookies_left_out_are_not_counted_as_accessed() {
    let limits = Limits {
        max_header_bytes: 5,
        ..Limits::RFC2109
    };
    let mut jar = jar_with(limits, Profile::Rfc6265bis);
    let site = url("https://example.com/");
    jar.set_cookie_at(&site, "a=1", NOW).unwrap();
    jar.set_cookie_at(&site, "b=2", NOW + Duration::seconds(1))
        .unwrap();
    let later = NOW + Duration::hours(1);
    assert_eq!(jar.cookie_header_at(&site, later).as_deref(), Some("a=1"));
    let access = |name: &str| {
        jar.iter()
            .find(|c| c.name() == name)
            .unwrap()
            .last_access_time()
    };
    assert_eq!(access("a"), later);
    assert_eq!(access("b"), NOW + Duration::seconds(1));
}

#[test]
fn the_browser_preset_sends_a_full_domain_of_the_largest_cookies() {
    let mut jar = jar_with(Limits::BROWSER, Profile::Rfc6265bis);
    let site = url("https://example.com/");
    for k in 0..180 {
        let name = format!("c{k:03}");
        let value = "x".repeat(4096 - name.len());
        jar.set_cookie_at(&site, &format!("{name}={value}"), NOW)
            .unwrap();
    }
    assert_eq!(jar.len(), 180);
    let header = jar.cookie_header_at(&site, NOW).unwrap();
    assert_eq!(header.split("; ").count(), 180);
    assert!(header.len() <= Limits::BROWSER.max_header_bytes);
}

#[test]
fn a_large_custom_domain_gets_a_bounded_header() {
    let limits = Limits {
        max_cookies: 5_000,
        max_cookies_per_domain: 5_000,
        ..Limits::RFC6265
    };
    let mut jar = jar_with(limits, Profile::Rfc6265bis);
    let site = url("https://example.com/");
    for k in 0..5_000 {
        jar.set_cookie_at(&site, &format!("cookie{k}=value{k}"), NOW)
            .unwrap();
    }
    let header = jar.cookie_header_at(&site, NOW).unwrap();
    assert!(
        header.len() <= 8182 && header.len() > 8182 - 24,
        "{}",
        header.len()
    );
    // The first cookies in RFC order (here: creation order) are the ones sent.
    assert!(header.starts_with("cookie0=value0; cookie1=value1; "));
}

proptest! {
    /// Whatever the sizes and the cap: the header fits, every pair in it is
    /// a whole stored cookie, and the pairs are the greedy choice in RFC
    /// order of the cookies an uncapped jar sends.
    #[test]
    fn the_header_is_the_greedy_fit_of_whole_cookies(
        sizes in prop::collection::vec(1usize..300, 1..30),
        cap in 0usize..2_000,
    ) {
        let site = url("https://example.com/");
        let uncapped = Limits { max_header_bytes: usize::MAX, max_cookies_per_domain: 50, ..Limits::RFC6265 };
        let capped = Limits { max_header_bytes: cap, ..uncapped };
        let mut all = jar_with(uncapped, Profile::Rfc6265bis);
        let mut some = jar_with(capped, Profile::Rfc6265bis);
        for (k, size) in sizes.iter().enumerate() {
            let h = format!("n{k}={}", "v".repeat(*size));
            let at = NOW + Duration::seconds(k as i64);
            all.set_cookie_at(&site, &h, at).unwrap();
            some.set_cookie_at(&site, &h, at).unwrap();
        }
        let everything = all.cookie_header_at(&site, NOW).unwrap();
        let mut want = String::new();
        for pair in everything.split("; ") {
            let extra = if want.is_empty() { 0 } else { 2 };
            if want.len() + extra + pair.len() <= cap {
                if !want.is_empty() { want.push_str("; "); }
                want.push_str(pair);
            }
        }
        let got = some.cookie_header_at(&site, NOW);
        prop_assert_eq!(got.clone(), (!want.is_empty()).then_some(want));
        prop_assert!(got.map_or(0, |h| h.len()) <= cap);
    }
}

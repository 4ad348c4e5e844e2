//! The properties every loader input must keep, shared by the fuzz targets
//! (`fuzz/fuzz_targets/load_*.rs` include this file) and by
//! `tests/fuzz_regressions.rs`, which replays `testdata/fuzz/` through them.
//!
//! For any bytes, in either format: loading never panics; a strict load
//! that fails leaves the jar as it was; a lenient cookies.txt load never
//! fails; whatever loads keeps the jar's invariants (limits, prefix rules,
//! no reserved names, canonical domains, no control byte but HTAB in any
//! header it sends); and it saves and loads back to cookies with the same identity
//! (name, domain, path, host-only) in both formats.

#![allow(dead_code, clippy::unwrap_used)]

use cookiejar::{Cookie, Format, Jar, LoadOptions, SaveOptions};
use time::OffsetDateTime;

/// The jar's identity of a cookie (RFC 6265bis section 5.7 step 23).
pub(crate) type Identity = (String, String, String, bool);

/// Every cookie's identity, sorted.
pub(crate) fn identities<'a>(cookies: impl Iterator<Item = &'a Cookie>) -> Vec<Identity> {
    let mut ids: Vec<Identity> = cookies
        .map(|c| {
            (
                c.name().to_owned(),
                c.domain().to_owned(),
                c.path().to_owned(),
                c.host_only(),
            )
        })
        .collect();
    ids.sort();
    ids
}

/// The invariants of a jar under the default profile and limits.
pub(crate) fn check_invariants(jar: &Jar, now: OffsetDateTime) {
    let limits = jar.limits();
    assert!(jar.len() <= limits.max_cookies, "jar limit");
    let mut per_domain = std::collections::HashMap::<&str, usize>::new();
    for c in jar.iter() {
        *per_domain.entry(c.domain()).or_default() += 1;
        assert!(c.name().len() + c.value().len() <= limits.max_cookie_bytes);
        let read_as = if c.name().is_empty() {
            c.value()
        } else {
            c.name()
        };
        let starts = |p: &str| {
            read_as
                .get(..p.len())
                .is_some_and(|h| h.eq_ignore_ascii_case(p))
        };
        if starts("__Secure-") {
            assert!(!c.name().is_empty() && c.secure_only(), "__Secure- rule");
        }
        if starts("__Host-") {
            assert!(
                !c.name().is_empty() && c.secure_only() && c.host_only() && c.path() == "/",
                "__Host- rule"
            );
        }
        let reserved = read_as.split('=').next().unwrap_or("").trim_end();
        for r in ["$Version", "$Path", "$Domain", "$Port"] {
            assert!(!reserved.eq_ignore_ascii_case(r), "reserved name {r}");
        }
        let d = c.domain();
        assert!(
            !d.is_empty() && d.split('.').all(|l| !l.is_empty()),
            "canonical domain"
        );
        assert_eq!(d, d.to_ascii_lowercase(), "lower-case domain");
        assert!(c.path().starts_with('/'), "absolute path");
        assert!(
            c.expiry_time().is_none_or(|t| t.year() <= 9999),
            "writable expiry"
        );
        let host = if d.contains(':') {
            format!("[{d}]")
        } else {
            d.to_owned()
        };
        if let Ok(url) = url::Url::parse(&format!("https://{host}{}", c.path())) {
            if let Some(header) = jar.cookie_header_at(&url, now) {
                // HTAB is no control character to RFC 6265bis (section 5.6:
                // "CTL characters excluding HTAB") and may be in a field
                // value (RFC 9110 section 5.5); `Profile::Chromium` refuses it.
                assert!(
                    !header
                        .bytes()
                        .any(|b| (b < 0x20 && b != b'\t') || b == 0x7F),
                    "control byte in a header"
                );
            }
        }
    }
    for count in per_domain.values() {
        assert!(*count <= limits.max_cookies_per_domain, "per-domain limit");
    }
}

/// Saves in `format` and loads back: the same identities, less the cookies
/// the format says it cannot represent.
pub(crate) fn round_trip(jar: &Jar, format: Format, now: OffsetDateTime) {
    let all = SaveOptions {
        include_session_cookies: true,
        ..SaveOptions::default()
    };
    let (saved, report) = jar
        .to_text_at(format, all, now)
        .expect("a jar always saves");
    let mut again = Jar::new();
    again
        .load_text_at(&saved, format, LoadOptions::default(), now)
        .expect("our own output loads");
    let representable = jar.iter().filter(|c| !c.is_expired_at(now)).filter(|c| {
        // cookies.txt holds neither a TAB or line break in a field nor a
        // partition key (CHIPS): such cookies are left out.
        format == Format::Json
            || !([c.name(), c.value(), c.domain(), c.path()]
                .iter()
                .any(|f| f.contains(['\t', '\r', '\n']))
                || c.partition_key().is_some())
    });
    let want = identities(representable);
    assert_eq!(want.len() + report.unrepresentable, jar.len());
    assert_eq!(identities(again.iter()), want, "{format:?} round trip");
}

/// All the properties, for input in `format`.
pub(crate) fn check_loader(data: &[u8], format: Format) {
    let now = OffsetDateTime::UNIX_EPOCH + time::Duration::days(20_000);
    let mut jar = Jar::new();
    let keep = url::Url::parse("https://keep.example/").expect("valid URL");
    jar.set_cookie_at(&keep, "keep=1", now).expect("stored");
    if jar
        .load_reader_at(data, Some(format), LoadOptions::default(), now)
        .is_err()
    {
        assert_eq!(
            identities(jar.iter()).len(),
            1,
            "a failed strict load changes nothing"
        );
        assert_eq!(jar.cookie_header_at(&keep, now).as_deref(), Some("keep=1"));
    }
    let mut jar = Jar::new();
    let lenient = jar.load_reader_at(data, Some(format), LoadOptions::lenient(), now);
    if format == Format::Netscape {
        lenient
            .as_ref()
            .expect("lenient loads of cookies.txt never fail");
    }
    if let Ok(report) = lenient {
        assert!(report.skipped.len() <= cookiejar::LoadReport::MAX_REPORTED);
        assert!(report.skipped.len() <= report.skipped_count);
        check_invariants(&jar, now);
        round_trip(&jar, Format::Json, now);
        round_trip(&jar, Format::Netscape, now);
    }
}

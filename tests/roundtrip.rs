//! Properties: serialization and parsing round-trip, and the parsers hold
//! their invariants on arbitrary input.
#![cfg(not(miri))]

use cookiejar::{
    parse_cookie_date, parse_cookie_header, write_cookie_header, HttpDate, SameSite, SetCookie,
    SetCookieBuilder,
};
use proptest::prelude::*;
use time::OffsetDateTime;

/// `token` (RFC 2616 section 2.2).
fn token() -> impl Strategy<Value = String> {
    "[!#$%&'*+.^_`|~0-9A-Za-z-]{1,12}"
}

/// `*cookie-octet`, sometimes quoted (RFC 6265 section 4.1.1).
fn cookie_value() -> impl Strategy<Value = String> {
    ("[!#-+\\--:<-\\[\\]-~]{0,16}", any::<bool>()).prop_map(|(v, quoted)| {
        if quoted {
            format!("\"{v}\"")
        } else {
            v
        }
    })
}

/// Instants the cookie-date algorithm can represent: years 1601 to 9999.
fn cookie_instant() -> impl Strategy<Value = OffsetDateTime> {
    (-11_644_473_600i64..253_402_300_799)
        .prop_map(|s| OffsetDateTime::from_unix_timestamp(s).expect("in range"))
}

fn same_site() -> impl Strategy<Value = Option<SameSite>> {
    prop_oneof![
        Just(None),
        Just(Some(SameSite::Strict)),
        Just(Some(SameSite::Lax)),
        Just(Some(SameSite::None))
    ]
}

/// Strings made of the pieces that matter to the parser, so that random
/// input reaches every branch.
fn header_like() -> impl Strategy<Value = String> {
    let piece = prop_oneof![
        Just(";".to_string()),
        Just("=".to_string()),
        Just(" ".to_string()),
        Just("\t".to_string()),
        Just("\"".to_string()),
        Just(",".to_string()),
        Just(".".to_string()),
        Just("/".to_string()),
        Just("\r".to_string()),
        prop::sample::select(vec![
            "Expires",
            "Max-Age",
            "Domain",
            "Path",
            "Secure",
            "HttpOnly",
            "SameSite",
            "Lax",
            "None",
            "Partitioned",
            "Version",
            "Comment",
            "$Version",
            "$Path",
            "$Domain",
            "$Port",
            "Wed, 21 Oct 2015 07:28:00 GMT",
            "-1",
            "0",
            "99999999999999999999",
            "\u{e9}",
        ])
        .prop_map(str::to_string),
        "[a-z0-9]{1,4}",
    ];
    prop::collection::vec(piece, 0..24).prop_map(|parts| parts.concat())
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(2000))]

    /// What the builder writes, the parser reads back field by field.
    #[test]
    fn builder_output_parses_to_the_same_fields(
        name in token(),
        value in cookie_value(),
        expires in prop::option::of(cookie_instant()),
        max_age in prop::option::of(any::<i64>()),
        domain in prop::option::of("[a-z0-9]{1,8}(\\.[a-z0-9]{1,8}){0,3}"),
        path in prop::option::of("(/[a-zA-Z0-9._~%-]{0,8}){1,4}"),
        secure in any::<bool>(),
        http_only in any::<bool>(),
        same_site in same_site(),
        partitioned in any::<bool>(),
    ) {
        let mut b = SetCookieBuilder::new(&name, &value).secure(secure).http_only(http_only).partitioned(partitioned);
        if let Some(t) = expires { b = b.expires(t); }
        if let Some(m) = max_age { b = b.max_age(m); }
        if let Some(d) = &domain { b = b.domain(d); }
        if let Some(p) = &path { b = b.path(p); }
        if let Some(s) = same_site { b = b.same_site(s); }
        let header = b.build().unwrap();
        let c = SetCookie::parse(&header).unwrap();
        prop_assert_eq!(c.name(), name.as_str());
        prop_assert_eq!(c.value(), value.as_str());
        prop_assert_eq!(c.expires(), expires);
        prop_assert_eq!(c.max_age(), max_age);
        prop_assert_eq!(c.domain(), domain.as_deref());
        prop_assert_eq!(c.path(), path.as_deref());
        prop_assert_eq!((c.secure(), c.http_only(), c.partitioned()), (secure, http_only, partitioned));
        prop_assert_eq!(c.same_site(), same_site);
        prop_assert_eq!(c.unknown_attributes().count(), 0);
    }

    /// Any header that parses writes back (Display) to one that parses to
    /// an equal cookie; parsing never panics.
    #[test]
    fn parse_display_parse_is_stable(header in header_like()) {
        if let Ok(c) = SetCookie::parse(&header) {
            let written = c.to_string();
            let again = SetCookie::parse(&written);
            prop_assert!(again.is_ok(), "{:?} wrote {:?}", header, written);
            prop_assert_eq!(again.unwrap(), c.normalized(), "{:?} wrote {:?}", header, written);
            prop_assert!(c.name().len() + c.value().len() <= cookiejar::MAX_NAME_VALUE_BYTES);
        }
    }

    /// Arbitrary Unicode never panics either.
    #[test]
    fn parse_never_panics(header in any::<String>()) {
        let _ = SetCookie::parse(&header).map(|c| c.to_string());
        let _ = parse_cookie_header(&header).count();
        let _ = parse_cookie_date(&header);
    }

    /// A Cookie header written from valid pairs reads back as those pairs.
    #[test]
    fn cookie_header_round_trip(pairs in prop::collection::vec((token(), cookie_value()), 1..12)) {
        let header = write_cookie_header(pairs.iter().map(|(n, v)| (n.as_str(), v.as_str()))).unwrap();
        let back: Vec<(String, String)> =
            parse_cookie_header(&header).map(|p| (p.name().to_string(), p.value().to_string())).collect();
        prop_assert_eq!(back, pairs);
    }

    /// Items of a parsed Cookie header never carry a separator, a control
    /// character or surrounding whitespace, whatever the input.
    #[test]
    fn cookie_header_items_are_clean(header in header_like()) {
        for p in parse_cookie_header(&header) {
            for part in [p.name(), p.value()] {
                prop_assert!(!part.bytes().any(|b| b < 0x20 && b != b'\t'), "{:?}", part);
                prop_assert_eq!(part.trim_matches([' ', '\t']), part);
            }
            prop_assert!(!p.name().contains([';', '=']));
            prop_assert!(!p.name().starts_with('$') || !["$version", "$path", "$domain", "$port"].contains(&p.name().to_ascii_lowercase().as_str()));
        }
    }

    /// Without RFC 2109 `$`-items, the word-at-a-time scanner reads a
    /// Cookie header exactly as the plain model does: split at every `;`,
    /// drop items with a control character (RFC 6265bis section 5.6 step
    /// 1), split at the first `=` (none: a nameless cookie), trim WSP, drop
    /// empty items.
    #[test]
    fn cookie_header_matches_the_split_model(header in header_like()) {
        let header = header.replace('$', "");
        let is_ctl = |c: char| (c < ' ' && c != '\t') || c == '\x7f';
        let wsp: &[char] = &[' ', '\t'];
        let model: Vec<(&str, &str)> = header
            .strip_prefix(',')
            .unwrap_or(&header)
            .split(';')
            .filter(|item| !item.contains(is_ctl))
            .map(|item| match item.split_once('=') {
                Some((name, value)) => (name.trim_matches(wsp), value.trim_matches(wsp)),
                None => ("", item.trim_matches(wsp)),
            })
            .filter(|(name, value)| !name.is_empty() || !value.is_empty())
            .collect();
        let parsed: Vec<(&str, &str)> = parse_cookie_header(&header).map(|p| (p.name(), p.value())).collect();
        prop_assert_eq!(parsed, model);
    }

    /// IMF-fixdate output reads back through the cookie-date algorithm.
    #[test]
    fn date_round_trip(t in cookie_instant()) {
        prop_assert_eq!(parse_cookie_date(&HttpDate(t).to_string()), Some(t));
    }
}

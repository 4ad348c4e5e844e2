//! `Profile::Rfc2109` to the letter of RFC 2109: a table per point of the
//! RFC (the differential test against Python is tests/rfc2109_python.rs).

use cookiejar::{split_set_cookie_list, Jar, Profile, Rejection, Stored};
use time::{Duration, OffsetDateTime};
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

/// The one rejection (or `None` for a stored cookie) of one header.
fn outcome(jar: &mut Jar, from: &str, header: &str) -> Option<Rejection> {
    jar.set_cookie_at(&url(from), header, at(0)).err()
}

#[test]
fn section_4_3_2_domain_rules() {
    use Rejection::*;
    // (section, request, Set-Cookie, rejection)
    let cases = [
        (
            "4.3.2 no leading dot",
            "http://www.acme.com/",
            "a=1; Domain=acme.com",
            Some(Rfc2109DomainWithoutLeadingDot),
        ),
        (
            "4.3.2 leading dot",
            "http://www.acme.com/",
            "a=1; Domain=.acme.com",
            None,
        ),
        (
            "4.1 quoted, leading dot",
            "http://www.acme.com/",
            "a=1; Domain=\".acme.com\"",
            None,
        ),
        (
            "4.1 quoted, no leading dot",
            "http://www.acme.com/",
            "a=1; Domain=\"acme.com\"",
            Some(Rfc2109DomainWithoutLeadingDot),
        ),
        (
            "2: y.com does not domain-match .y.com",
            "http://acme.com/",
            "a=1; Domain=.acme.com",
            Some(DomainMismatch),
        ),
        (
            "4.3.2 IP address, no leading dot",
            "http://192.168.1.10/",
            "a=1; Domain=192.168.1.10",
            Some(Rfc2109DomainWithoutLeadingDot),
        ),
        (
            "2: an IP matches only itself",
            "http://192.168.1.10/",
            "a=1; Domain=.168.1.10",
            Some(DomainMismatch),
        ),
        (
            "4.3.2 no embedded dot",
            "http://www.acme.com/",
            "a=1; Domain=.com",
            Some(Rfc2109DomainWithoutDot),
        ),
        (
            "4.3.2 nothing after the dot",
            "http://www.acme.com/",
            "a=1; Domain=.",
            Some(Rfc2109DomainWithoutDot),
        ),
        (
            "4.3.2 empty Domain",
            "http://www.acme.com/",
            "a=1; Domain=",
            Some(Rfc2109DomainWithoutLeadingDot),
        ),
        (
            "4.3.2 HD, H with a dot",
            "http://a.b.acme.com/",
            "a=1; Domain=.acme.com",
            Some(Rfc2109HostTooDeep),
        ),
        (
            "4.3.2 HD, H without a dot",
            "http://b.acme.com/",
            "a=1; Domain=.acme.com",
            None,
        ),
        (
            "4.3.2 host does not domain-match",
            "http://www.acme.com/",
            "a=1; Domain=.other.com",
            Some(DomainMismatch),
        ),
        (
            "4.3.2 the host itself, dotted",
            "http://www.acme.com/",
            "a=1; Domain=.www.acme.com",
            Some(DomainMismatch),
        ),
        // RFC 2109 alone would allow it; the public suffix rule stays.
        (
            "public suffix kept",
            "http://bbc.co.uk/",
            "a=1; Domain=.co.uk",
            Some(PublicSuffix),
        ),
        (
            "4.3.1 no Domain: host-only",
            "http://192.168.1.10/",
            "a=1",
            None,
        ),
    ];
    for (section, from, header, want) in cases {
        let mut jar = rfc2109_jar();
        assert_eq!(
            outcome(&mut jar, from, header),
            want,
            "RFC 2109 section {section}: {header} from {from}"
        );
    }
}

#[test]
fn section_2_and_4_3_4_domain_selection() {
    let mut jar = rfc2109_jar();
    jar.set_cookie_at(
        &url("http://www.acme.com/"),
        "d=1; Version=1; Domain=.acme.com; Path=/",
        at(0),
    )
    .unwrap();
    jar.set_cookie_at(
        &url("http://www.acme.com/"),
        "h=2; Version=1; Path=/",
        at(0),
    )
    .unwrap();
    // (section, request, header)
    let cases = [
        (
            "4.3.4",
            "http://www.acme.com/",
            Some(r#"$Version="1"; d=1; $Path="/"; $Domain=".acme.com"; h=2; $Path="/""#),
        ),
        (
            "2: x.y.com domain-matches .y.com",
            "http://shop.acme.com/",
            Some(r#"$Version="1"; d=1; $Path="/"; $Domain=".acme.com""#),
        ),
        (
            "2: several labels in N",
            "http://a.b.acme.com/",
            Some(r#"$Version="1"; d=1; $Path="/"; $Domain=".acme.com""#),
        ),
        ("2: but not y.com", "http://acme.com/", None),
        (
            "4.3.1 host-only: exact host",
            "http://x.www.acme.com/",
            Some(r#"$Version="1"; d=1; $Path="/"; $Domain=".acme.com""#),
        ),
    ];
    for (section, to, want) in cases {
        assert_eq!(
            jar.cookie_header_at(&url(to), at(1)).as_deref(),
            want,
            "RFC 2109 section {section}: {to}"
        );
    }
}

#[test]
fn section_4_3_2_and_4_3_4_path_rules() {
    use Rejection::Rfc2109PathNotPrefix;
    // (section, request, Set-Cookie, rejection, request sent to, header)
    let cases = [
        (
            "4.3.2 string prefix stored and sent",
            "/acme/login",
            "a=1; Version=1; Path=/ac",
            None,
            "/acme/login",
            Some(r#"$Version="1"; a=1; $Path="/ac""#),
        ),
        (
            "4.3.4 sent to any string extension",
            "/acme/login",
            "a=1; Version=1; Path=/acme",
            None,
            "/acmeblah",
            Some(r#"$Version="1"; a=1; $Path="/acme""#),
        ),
        (
            "4.3.4 not to a shorter path",
            "/acme/login",
            "a=1; Version=1; Path=/acme",
            None,
            "/ac",
            None,
        ),
        (
            "4.3.2 no slash: no prefix",
            "/acme/login",
            "a=1; Version=1; Path=acme",
            Some(Rfc2109PathNotPrefix),
            "/acme/login",
            None,
        ),
        (
            "4.3.2 not a prefix",
            "/acme/login",
            "a=1; Version=1; Path=/other",
            Some(Rfc2109PathNotPrefix),
            "/other",
            None,
        ),
        (
            "4.3.2 longer than the request",
            "/acme",
            "a=1; Version=1; Path=/acme/x",
            Some(Rfc2109PathNotPrefix),
            "/acme/x",
            None,
        ),
        (
            "4.1 quoted",
            "/acme/login",
            "a=1; Version=1; Path=\"/acme\"",
            None,
            "/acme/x",
            Some(r#"$Version="1"; a=1; $Path="/acme""#),
        ),
        (
            "4.3.1 default path: no $Path",
            "/acme/login",
            "a=1; Version=1",
            None,
            "/acme/x",
            Some(r#"$Version="1"; a=1"#),
        ),
        (
            "4.3.1 default path, string prefix",
            "/acme/login",
            "a=1; Version=1",
            None,
            "/acmex",
            Some(r#"$Version="1"; a=1"#),
        ),
        (
            "4.3.1 empty Path is the default",
            "/acme/login",
            "a=1; Version=1; Path=",
            None,
            "/acme/",
            Some(r#"$Version="1"; a=1"#),
        ),
    ];
    for (section, from, header, want, to, want_header) in cases {
        let mut jar = rfc2109_jar();
        let from = format!("http://www.acme.com{from}");
        assert_eq!(
            outcome(&mut jar, &from, header),
            want,
            "RFC 2109 section {section}: {header}"
        );
        let to = url(&format!("http://www.acme.com{to}"));
        assert_eq!(
            jar.cookie_header_at(&to, at(1)).as_deref(),
            want_header,
            "RFC 2109 section {section}: {header} to {to}"
        );
    }
}

#[test]
fn section_4_3_4_version_path_and_domain_in_the_request_header() {
    // (section, Set-Cookie headers from http://www.acme.com/acme/, header for /acme/x)
    let cases: [(&str, &[&str], &str); 8] = [
        (
            "4.3.4 Version 1",
            &["a=1; Version=1; Path=/"],
            r#"$Version="1"; a=1; $Path="/""#,
        ),
        (
            "4.3.4 Version echoed",
            &["a=1; Version=2; Path=/"],
            r#"$Version="2"; a=1; $Path="/""#,
        ),
        (
            "4.1 quoted Version",
            &["a=1; Version=\"1\""],
            r#"$Version="1"; a=1"#,
        ),
        (
            "4.3.4 no Version: 0",
            &["a=1; Path=/"],
            r#"$Version="0"; a=1; $Path="/""#,
        ),
        (
            "4.3.4 Version=0",
            &["a=1; Version=0"],
            r#"$Version="0"; a=1"#,
        ),
        (
            "4.3.4 not 1*DIGIT: ignored, 0",
            &["a=1; Version=one"],
            r#"$Version="0"; a=1"#,
        ),
        (
            "4.3.4 mixed: the highest",
            &["old=0; Path=/acme", "new=1; Version=1; Path=/"],
            r#"$Version="1"; old=0; $Path="/acme"; new=1; $Path="/""#,
        ),
        (
            "4.3.4 $Domain only with Domain",
            &["a=1; Version=1; Domain=.acme.com", "b=2; Version=1"],
            r#"$Version="1"; a=1; $Domain=".acme.com"; b=2"#,
        ),
    ];
    for (section, headers, want) in cases {
        let mut jar = rfc2109_jar();
        for h in headers {
            jar.set_cookie_at(&url("http://www.acme.com/acme/"), h, at(0))
                .unwrap();
        }
        let got = jar.cookie_header_at(&url("http://www.acme.com/acme/x"), at(1));
        assert_eq!(
            got.as_deref(),
            Some(want),
            "RFC 2109 section {section}: {headers:?}"
        );
    }
}

#[test]
fn section_4_2_2_quoted_max_age() {
    // (section, Set-Cookie, seconds it lives)
    let cases = [
        ("4.2.2", "a=1; Version=1; Max-Age=60", Some(60)),
        ("4.1 quoted", "a=1; Version=1; Max-Age=\"60\"", Some(60)),
        (
            "4.2.2 zero discards",
            "a=1; Version=1; Max-Age=\"0\"",
            Some(0),
        ),
        (
            "4.2.2 negative: expire now, as RFC 6265 5.2.2",
            "a=1; Version=1; Max-Age=\"-5\"",
            Some(0),
        ),
        (
            "4.2.2 not a number: ignored",
            "a=1; Version=1; Max-Age=soon",
            None,
        ),
        (
            "4.2.2 Max-Age over Expires",
            "a=1; Version=1; Max-Age=\"60\"; Expires=Wed, 09 Jun 2100 10:18:14 GMT",
            Some(60),
        ),
    ];
    for (section, header, lives) in cases {
        let mut jar = rfc2109_jar();
        let stored = jar.set_cookie_at(&url("http://www.acme.com/"), header, at(0));
        let expiry = jar.iter().next().and_then(|c| c.expiry_time());
        match lives {
            Some(0) => assert_eq!(
                stored,
                Ok(Stored::Expired),
                "RFC 2109 section {section}: {header}"
            ),
            Some(s) => assert_eq!(expiry, Some(at(s)), "RFC 2109 section {section}: {header}"),
            None => assert_eq!(expiry, None, "RFC 2109 section {section}: {header}"),
        }
    }
    let mut jar = rfc2109_jar();
    let site = url("http://www.acme.com/");
    jar.set_cookie_at(&site, "a=1; Version=1; Max-Age=\"60\"", at(0))
        .unwrap();
    assert!(jar
        .cookie_header_at(&site, at(0) + Duration::seconds(59))
        .is_some());
    assert_eq!(jar.cookie_header_at(&site, at(60)), None);
}

#[test]
fn section_4_2_2_several_cookies_in_one_header() {
    let site = url("http://www.acme.com/");
    // (Set-Cookie, results, header sent)
    let cases: [(&str, usize, &str); 4] = [
        (
            "a=1; Version=1; Path=/, b=2; Version=1; Path=/",
            2,
            r#"$Version="1"; a=1; $Path="/"; b=2; $Path="/""#,
        ),
        (
            "a=\"x, y=z\"; Version=1, b=2; Version=1",
            2,
            r#"$Version="1"; a="x, y=z"; b=2"#,
        ),
        (
            "a=1; Version=1; Expires=Wed, 09 Jun 2100 10:18:14 GMT, b=2; Version=1",
            2,
            r#"$Version="1"; a=1; b=2"#,
        ),
        (
            "a=1; Version=1; Expires=Wednesday, 09-Jun-2100 10:18:14 GMT",
            1,
            r#"$Version="1"; a=1"#,
        ),
    ];
    for (header, n, want) in cases {
        let mut jar = rfc2109_jar();
        let results = jar.set_cookie_list_at(&site, header, at(0));
        assert_eq!(results.len(), n, "{header}");
        assert!(results.iter().all(Result::is_ok), "{header}: {results:?}");
        assert_eq!(
            jar.cookie_header_at(&site, at(1)).as_deref(),
            Some(want),
            "{header}"
        );
        assert_eq!(split_set_cookie_list(header).count(), n, "{header}");
    }
    // set_cookie stores them all and reports the first refusal.
    let mut jar = rfc2109_jar();
    let got = jar.set_cookie_at(&site, "a=1; Domain=acme.com, b=2", at(0));
    assert_eq!(got, Err(Rejection::Rfc2109DomainWithoutLeadingDot));
    assert_eq!(
        jar.cookie_header_at(&site, at(1)).as_deref(),
        Some(r#"$Version="0"; b=2"#)
    );
    // A control character anywhere ignores the whole header.
    let mut jar = rfc2109_jar();
    let got = jar.set_cookie_list_at(&site, "a=1; Version=1, b=2\r\nX: y", at(0));
    assert_eq!(
        got,
        [Err(Rejection::Parse(
            cookiejar::ParseError::ControlCharacter
        ))]
    );
    assert!(jar.is_empty());
    // The other profiles read one header as one cookie (RFC 6265 section 4.1).
    let mut jar = Jar::builder().profile(Profile::Rfc6265).build();
    assert_eq!(jar.set_cookie_list_at(&site, "a=1, b=2", at(0)).len(), 1);
    assert_eq!(
        jar.cookie_header_at(&site, at(1)).as_deref(),
        Some("a=1, b=2")
    );
}

#[test]
fn the_cookie_records_version_and_path_specified() {
    let mut jar = rfc2109_jar();
    jar.set_cookie_at(
        &url("http://www.acme.com/acme/x"),
        "a=1; Version=\"2\"",
        at(0),
    )
    .unwrap();
    jar.set_cookie_at(&url("http://www.acme.com/acme/x"), "b=1; Path=/", at(0))
        .unwrap();
    let mut got: Vec<_> = jar
        .iter()
        .map(|c| {
            (
                c.name().to_owned(),
                c.version(),
                c.path_specified(),
                c.path().to_owned(),
            )
        })
        .collect();
    got.sort();
    assert_eq!(
        got,
        [
            ("a".into(), 2, false, "/acme".into()),
            ("b".into(), 0, true, "/".into())
        ]
    );
}

/// What a JSON jar file must keep of an RFC 2109 cookie: its `Version` and
/// whether `Path` was explicit, or the reloaded jar sends another header.
/// The JSON file holds them as `version` (absent: 0) and `path_specified`
/// (absent: true), written only when they differ from those defaults.
#[test]
fn json_round_trip_keeps_the_rfc_2109_attributes() {
    use cookiejar::{Format, LoadOptions, SaveOptions};
    let mut jar = rfc2109_jar();
    let site = url("http://www.acme.com/acme/login");
    jar.set_cookie_at(&site, "a=1; Version=1; Max-Age=600", at(0))
        .unwrap();
    jar.set_cookie_at(&site, "b=2; Path=/; Max-Age=600", at(0))
        .unwrap();
    let save = SaveOptions {
        include_session_cookies: true,
        ..SaveOptions::default()
    };
    let (text, _) = jar.to_text_at(Format::Json, save, at(0)).unwrap();
    let mut back = rfc2109_jar();
    back.load_text_at(&text, Format::Json, LoadOptions::default(), at(0))
        .unwrap();
    let to = url("http://www.acme.com/acme/x");
    assert_eq!(
        back.cookie_header_at(&to, at(1)),
        jar.cookie_header_at(&to, at(1))
    );
}

mod splitter_properties {
    use cookiejar::{split_set_cookie_list, SetCookie};
    use proptest::prelude::*;

    /// One RFC 2109 cookie with the attributes whose commas must not split:
    /// a quoted value or Comment, and a Netscape Expires date.
    fn cookie() -> impl Strategy<Value = String> {
        (
            "[A-Za-z][A-Za-z0-9_]{0,7}",
            prop_oneof!["[A-Za-z0-9_]{0,8}", "\"[A-Za-z0-9 ,;=]{0,8}\""],
            proptest::option::of(r#"Comment="[a-z ,=;]{0,10}""#),
            proptest::option::of(prop_oneof![
                Just("Expires=Wed, 09 Jun 2100 10:18:14 GMT"),
                Just("expires = Thursday, 01-Jan-70 00:00:01 GMT"),
            ]),
        )
            .prop_map(|(name, value, comment, expires)| {
                let mut c = format!("{name}={value}; Version=1");
                for attribute in [comment.as_deref(), expires].into_iter().flatten() {
                    c.push_str("; ");
                    c.push_str(attribute);
                }
                c
            })
    }

    proptest! {
        /// RFC 2109 section 4.2.2: cookies joined with commas split back
        /// into the same cookies.
        #[test]
        fn joined_cookies_split_back(cookies in proptest::collection::vec(cookie(), 1..6), sep in "[ ]{0,2},[ ]{0,2}") {
            let header = cookies.join(&sep);
            let split: Vec<&str> = split_set_cookie_list(&header).collect();
            prop_assert_eq!(split, cookies.iter().map(String::as_str).collect::<Vec<_>>());
        }

        /// Any input: no panic, and each piece is a non-empty, trimmed,
        /// in-order slice of the header that the parser can read.
        #[test]
        fn any_header_splits_into_slices(header in "[a-zA-Z=;,\" \\\\]{0,40}") {
            let mut from = 0;
            for piece in split_set_cookie_list(&header) {
                prop_assert!(!piece.is_empty() && piece.trim() == piece);
                let at = header[from..].find(piece).map(|i| i + from);
                prop_assert!(at.is_some(), "{piece:?} not in order in {header:?}");
                from = at.unwrap_or(0) + piece.len();
                let _ = SetCookie::parse(piece);
            }
        }
    }
}

/// Section 4.3.4 with the jar's header cap: `$Version` is that of the
/// cookies sent, not of one left out for want of room.
#[test]
fn section_4_3_4_version_of_the_cookies_that_fit() {
    let limits = cookiejar::Limits {
        max_header_bytes: 64,
        ..cookiejar::Limits::default()
    };
    let mut jar = Jar::builder()
        .profile(Profile::Rfc2109)
        .limits(limits)
        .build();
    let from = url("http://www.acme.com/acme/");
    let long = "x".repeat(60);
    jar.set_cookie_at(&from, &format!("big={long}; Version=12; Path=/acme"), at(0))
        .unwrap();
    jar.set_cookie_at(&from, "small=1; Version=1; Path=/", at(0))
        .unwrap();
    let header = jar.cookie_header_at(&url("http://www.acme.com/acme/x"), at(1));
    assert_eq!(
        header.as_deref(),
        Some(r#"$Version="1"; small=1; $Path="/""#)
    );
}

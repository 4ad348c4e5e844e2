//! `SetCookie::parse` against RFC 6265 section 5.2 and RFC 6265bis section
//! 5.6, one row per rule. Each parse is described as a compact string of the
//! fields that are set, so a row reads like the RFC sentence it checks.

use cookiejar::{HttpDate, ParseError, SetCookie};

fn describe(c: &SetCookie<'_>) -> String {
    let mut out = format!("{}={}", c.name(), c.value());
    let mut add = |part: String| {
        out.push_str(" | ");
        out.push_str(&part);
    };
    if let Some(t) = c.expires() {
        add(format!("expires {}", HttpDate(t)));
    }
    if let Some(m) = c.max_age() {
        add(format!("max-age {m}"));
    }
    if let Some(d) = c.domain() {
        add(format!("domain {d:?}"));
    }
    if c.domain_ignoring_empty() != c.domain() {
        add(format!("rfc6265 domain {:?}", c.domain_ignoring_empty()));
    }
    if let Some(p) = c.path() {
        add(format!("path {p}"));
    }
    if c.secure() {
        add("secure".into());
    }
    if c.http_only() {
        add("httponly".into());
    }
    if let Some(s) = c.same_site() {
        add(format!("samesite {s}"));
    }
    if c.partitioned() {
        add("partitioned".into());
    }
    if let Some(v) = c.version() {
        add(format!("version {v}"));
    }
    if let Some(v) = c.comment() {
        add(format!("comment {v}"));
    }
    for (name, value) in c.unknown_attributes() {
        add(format!("ext {name:?}={value:?}"));
    }
    out
}

fn check(rows: &[(&str, &str, &str)]) {
    let mut failures = Vec::new();
    for (rule, input, want) in rows {
        let got = match SetCookie::parse(input) {
            Ok(c) => describe(&c),
            Err(e) => format!("error: {e:?}"),
        };
        if got != *want {
            failures.push(format!(
                "{rule}\n  input: {input:?}\n  want:  {want}\n  got:   {got}"
            ));
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

#[test]
fn name_value_pair_section_5_2_steps_1_to_5() {
    check(&[
        (
            "step 1: split at the first ';'",
            "a=b;c=d",
            "a=b | ext \"c\"=\"d\"",
        ),
        ("step 1: no ';'", "a=b", "a=b"),
        ("step 3: split at the first '='", "a=b=c", "a=b=c"),
        ("step 3: empty value", "a=", "a="),
        ("step 4: trim WSP", " \ta \t= \tb c\t ", "a=b c"),
        ("step 4: only SP and HTAB are WSP", "a=\u{a0}b", "a=\u{a0}b"),
        (
            "6265bis step 2: no '=' is a nameless cookie",
            "token",
            "=token",
        ),
        ("6265bis: empty name with '='", "=token", "=token"),
        ("6265bis: '=' in a nameless value", "=a=b", "=a=b"),
        ("quotes are part of the value", "a=\"b c\"", "a=\"b c\""),
        ("a comma is part of the value", "a=b, c=d", "a=b, c=d"),
        (
            "non-ASCII name and value",
            "\u{6625}=\u{8282}",
            "\u{6625}=\u{8282}",
        ),
        ("6265bis step 4: empty name and value", "=", "error: Empty"),
        ("6265bis step 4: empty header", "", "error: Empty"),
        (
            "6265bis step 4: attributes only",
            " ; Path=/",
            "error: Empty",
        ),
        ("6265bis step 1: NUL", "a=b\0c", "error: ControlCharacter"),
        (
            "6265bis step 1: CR LF",
            "a=b\r\nSet-Cookie: x=y",
            "error: ControlCharacter",
        ),
        ("6265bis step 1: DEL", "a=b\x7f", "error: ControlCharacter"),
        (
            "6265bis step 1: CTL in an attribute",
            "a=b; Path=/\x01",
            "error: ControlCharacter",
        ),
        ("6265bis step 1: HTAB is allowed", "a=b\tc", "a=b\tc"),
    ]);
}

#[test]
fn name_value_size_limit_rfc_6265bis_section_5_6_step_5() {
    let at_limit = format!("a={}", "v".repeat(4095));
    let over = format!("a={}", "v".repeat(4096));
    let parsed = SetCookie::parse(&at_limit).expect("4096 bytes is allowed");
    assert_eq!(parsed.name().len() + parsed.value().len(), 4096);
    assert_eq!(SetCookie::parse(&over), Err(ParseError::NameValueTooLong));
    // Trimmed WSP does not count.
    assert!(SetCookie::parse(&format!("  {at_limit}  ")).is_ok());
}

#[test]
fn attributes_section_5_2_and_5_2_1_to_5_2_6() {
    check(&[
        (
            "attribute names are case-insensitive",
            "a=b; pAtH=/x; SECURE; hTTpOnLy",
            "a=b | path /x | secure | httponly",
        ),
        (
            "attribute WSP is trimmed",
            "a=b;  Path =  /x  ;Secure ",
            "a=b | path /x | secure",
        ),
        (
            "empty cookie-avs are ignored",
            "a=b;;; ;Secure",
            "a=b | secure | ext \"\"=\"\" | ext \"\"=\"\" | ext \"\"=\"\"",
        ),
        (
            "5.2.1: Expires parsed by 5.1.1",
            "a=b; Expires=Sun, 06 Nov 1994 08:49:37 GMT",
            "a=b | expires Sun, 06 Nov 1994 08:49:37 GMT",
        ),
        (
            "5.2.1: RFC 850 Expires",
            "a=b; expires=Sunday, 06-Nov-94 08:49:37 GMT",
            "a=b | expires Sun, 06 Nov 1994 08:49:37 GMT",
        ),
        (
            "5.2.1: bad date ignores the cookie-av",
            "a=b; Expires=1w",
            "a=b",
        ),
        (
            "5.2.1: bad later date keeps the earlier",
            "a=b; Expires=06 Nov 1994 08:49:37; Expires=junk",
            "a=b | expires Sun, 06 Nov 1994 08:49:37 GMT",
        ),
        (
            "5.2.1: last valid Expires wins",
            "a=b; Expires=06 Nov 1994 08:49:37; Expires=07 Nov 1994 08:49:37",
            "a=b | expires Mon, 07 Nov 1994 08:49:37 GMT",
        ),
        ("5.2.2: Max-Age", "a=b; Max-Age=3600", "a=b | max-age 3600"),
        (
            "5.2.2: negative Max-Age",
            "a=b; Max-Age=-1",
            "a=b | max-age -1",
        ),
        (
            "5.2.2: non-digit ignores the cookie-av",
            "a=b; Max-Age=1h",
            "a=b",
        ),
        (
            "5.2.2: leading '+' ignores the cookie-av",
            "a=b; Max-Age=+1",
            "a=b",
        ),
        ("5.2.2: empty Max-Age is ignored", "a=b; Max-Age=", "a=b"),
        (
            "5.2.2: bad later Max-Age keeps the earlier",
            "a=b; Max-Age=5; Max-Age=x",
            "a=b | max-age 5",
        ),
        (
            "5.2.2: huge Max-Age saturates",
            "a=b; Max-Age=99999999999999999999",
            "a=b | max-age 9223372036854775807",
        ),
        (
            "5.3 step 3 is the jar's: both kept",
            "a=b; Max-Age=1; Expires=06 Nov 1994 08:49:37",
            "a=b | expires Sun, 06 Nov 1994 08:49:37 GMT | max-age 1",
        ),
        (
            "5.2.3: leading dot removed",
            "a=b; Domain=.Example.COM",
            "a=b | domain \"Example.COM\"",
        ),
        (
            "5.2.3: only one dot removed",
            "a=b; Domain=..x",
            "a=b | domain \".x\"",
        ),
        (
            "5.2.3: last Domain wins",
            "a=b; Domain=a.com; Domain=b.com",
            "a=b | domain \"b.com\"",
        ),
        (
            "6265bis: empty Domain kept; RFC 6265 ignores it",
            "a=b; Domain=a.com; Domain=",
            "a=b | domain \"\" | rfc6265 domain Some(\"a.com\")",
        ),
        (
            "5.2.3: lone empty Domain",
            "a=b; Domain=",
            "a=b | domain \"\" | rfc6265 domain None",
        ),
        ("5.2.4: Path", "a=b; Path=/docs/web", "a=b | path /docs/web"),
        (
            "5.2.4: relative Path means default",
            "a=b; Path=docs",
            "a=b",
        ),
        ("5.2.4: empty Path means default", "a=b; Path=", "a=b"),
        (
            "5.2.4: a later bad Path resets to default",
            "a=b; Path=/x; Path=y",
            "a=b",
        ),
        (
            "5.2.5: Secure ignores its value",
            "a=b; Secure=false",
            "a=b | secure",
        ),
        ("5.2.6: HttpOnly", "a=b; HttpOnly", "a=b | httponly"),
        (
            "6265bis 5.6.7: SameSite values",
            "a=b; SameSite=strict",
            "a=b | samesite Strict",
        ),
        (
            "6265bis 5.6.7: SameSite=None",
            "a=b; samesite=NONE; Secure",
            "a=b | secure | samesite None",
        ),
        (
            "6265bis 5.6.7: unknown value is Default",
            "a=b; SameSite=Lax; SameSite=Lenient",
            "a=b",
        ),
        (
            "CHIPS: Partitioned",
            "a=b; Partitioned; Secure",
            "a=b | secure | partitioned",
        ),
        (
            "RFC 2109 4.2.2: Version and Comment",
            "a=\"b\"; Version=1; Comment=\"for you\"",
            "a=\"b\" | version 1 | comment \"for you\"",
        ),
        (
            "unknown attributes stay reachable",
            "a=b; Priority=High; x",
            "a=b | ext \"Priority\"=\"High\" | ext \"x\"=\"\"",
        ),
        (
            "a ',' does not split attributes",
            "a=b; Max-Age=50,399",
            "a=b",
        ),
    ]);
}

#[test]
fn attribute_value_limit_rfc_6265bis_section_5_6() {
    let ok_path = format!("/{}", "p".repeat(1023));
    let long_path = format!("/{}", "p".repeat(1024));
    let c = format!("a=b; Path={ok_path}");
    assert_eq!(SetCookie::parse(&c).unwrap().path(), Some(ok_path.as_str()));
    let c = format!("a=b; Path=/short; Path={long_path}");
    assert_eq!(
        SetCookie::parse(&c).unwrap().path(),
        Some("/short"),
        "over 1024 bytes is ignored"
    );
    let c = format!("a=b; X={}", "v".repeat(1025));
    assert_eq!(
        SetCookie::parse(&c).unwrap().unknown_attributes().count(),
        0
    );
}

#[test]
fn unquoted_view_strips_one_pair_of_quotes() {
    let rows = [
        ("a=\"x\"", "x"),
        ("a=\"\"", ""),
        ("a=\"x", "\"x"),
        ("a=x\"", "x\""),
        ("a=\"", "\""),
        ("a=\"\"x\"\"", "\"x\""),
    ];
    for (input, want) in rows {
        assert_eq!(
            SetCookie::parse(input).unwrap().value_unquoted(),
            want,
            "{input}"
        );
    }
}

#[test]
fn debug_redacts_the_value() {
    let c = SetCookie::parse("sid=supersecret; Path=/").unwrap();
    let debug = format!("{c:?}");
    assert!(!debug.contains("supersecret"), "{debug}");
    assert!(debug.contains("<redacted, 11 bytes>"), "{debug}");
}

#[test]
fn display_is_canonical_and_reads_back() {
    let rows = [
        ("a=b", "a=b"),
        ("token", "token"),
        ("=a=b", "=a=b"),
        ("a=b; domain=..x", "a=b; Domain=..x"),
        ("a=b; domain=.", "a=b; Domain=."),
        // 5.2.3 strips the dot after the value is trimmed: the domain
        // " x" keeps its dot when written, or trimming would eat the SP.
        ("a=b; domain=. x", "a=b; Domain=. x"),
        ("a=b; Domain=x.com; Domain=", "a=b; Domain=x.com; Domain="),
        (
            "a=b; max-age=-0; samesite=lax; x=1; partitioned",
            "a=b; Max-Age=0; SameSite=Lax; Partitioned; x=1",
        ),
    ];
    for (input, want) in rows {
        let c = SetCookie::parse(input).unwrap();
        let written = c.to_string();
        assert_eq!(written, want, "{input}");
        assert_eq!(
            SetCookie::parse(&written).unwrap(),
            c.normalized(),
            "{input}"
        );
    }
}

#[test]
fn corpus_parses() {
    let corpus = include_str!("../testdata/headers/set-cookie.txt");
    for line in corpus
        .lines()
        .filter(|l| !l.is_empty() && !l.starts_with('#'))
    {
        let c = SetCookie::parse(line).unwrap_or_else(|e| panic!("{line}: {e}"));
        assert!(!c.name().is_empty(), "{line}");
    }
}

proptest::proptest! {
    /// A header shorter than 32 bytes without `;` takes a path of its own
    /// (`SetCookie::parse_pair_only`); it must read as the general path
    /// reads the same pair followed by an attribute.
    #[test]
    fn bare_pair_fast_path_agrees_with_the_general_path(header in "[a= \t\r\u{7f}\u{e9}\u{85}]{0,34}") {
        let general = format!("{header}; Zz");
        let short = SetCookie::parse(&header).map(|c| (c.name(), c.value(), c.attributes().count()));
        let long = SetCookie::parse(&general).map(|c| (c.name(), c.value(), 0));
        proptest::prop_assert_eq!(short, long);
    }
}

//! The byte-level grammar: one function per ABNF rule or numbered step of
//! RFC 6265, written with nom. This is the only module that imports nom; nom
//! types never leave it, so a nom upgrade is never a breaking change.
//!
//! Every function works on bytes and returns sub-slices of its input.
//! Splits happen only at ASCII bytes (`;`, `=`, `,`, WSP), so every slice of
//! a `str` they return is itself valid UTF-8 at char boundaries; the caller
//! maps it back to `&str` by offset (see `super::sub_str`).

use nom::branch::alt;
use nom::bytes::complete::{tag, take_till, take_until};
use nom::character::complete::digit1;
use nom::combinator::{all_consuming, opt, rest};
use nom::sequence::{pair, preceded};

/// The result of a grammar rule. The error type is `()`: every caller
/// either skips what failed or maps it to its own public error.
pub(crate) type PResult<'a, T> = nom::IResult<&'a [u8], T, ()>;

/// Everything up to (not including) the next `;`, or the whole input.
fn until_semicolon(input: &[u8]) -> PResult<'_, &[u8]> {
    alt((take_until(";"), rest))(input)
}

/// RFC 6265 section 5.2 step 1: "If the set-cookie-string contains a %x3B
/// (";") character: The name-value-pair string consists of the characters up
/// to, but not including, the first %x3B (";"), and the unparsed-attributes
/// consist of the remainder of the set-cookie-string (including the %x3B
/// (";") in question)." Returns `(unparsed-attributes, name-value-pair)`.
pub(crate) fn name_value_pair(input: &[u8]) -> PResult<'_, &[u8]> {
    until_semicolon(input)
}

/// RFC 6265 section 5.2, attribute steps 2 and 3: "Discard the first
/// character of the unparsed-attributes (which will be a %x3B (";")
/// character)", then the cookie-av is everything up to the next `;`.
pub(crate) fn cookie_av(input: &[u8]) -> PResult<'_, &[u8]> {
    preceded(tag(";"), until_semicolon)(input)
}

/// RFC 6265 section 5.2 step 2-3 and attribute step 4: split at the first
/// `=`. The second element is `None` when there is no `=` at all, which the
/// callers must tell apart from an empty value.
pub(crate) fn split_at_equals(input: &[u8]) -> (&[u8], Option<&[u8]>) {
    let split: PResult<'_, (&[u8], Option<&[u8]>)> =
        pair(alt((take_until("="), rest)), opt(preceded(tag("="), rest)))(input);
    match split {
        Ok((_, parts)) => parts,
        Err(_) => (input, None),
    }
}

/// `WSP = SP / HTAB` (RFC 5234 appendix B.1): RFC 6265 section 5.2 step 4
/// "Remove any leading or trailing WSP characters".
pub(crate) fn trim_wsp(input: &[u8]) -> &[u8] {
    let is_wsp = |b: &u8| *b == b' ' || *b == b'\t';
    let start = input.iter().position(|b| !is_wsp(b)).unwrap_or(input.len());
    let end = input
        .iter()
        .rposition(|b| !is_wsp(b))
        .map_or(start, |i| i + 1);
    input.get(start..end).unwrap_or_default()
}

/// RFC 6265bis section 5.6 step 1: "If the set-cookie-string contains a
/// %x00-08 / %x0A-1F / %x7F character (CTL characters excluding HTAB)".
pub(crate) fn contains_ctl(input: &[u8]) -> bool {
    input.iter().any(|&b| (b < 0x20 && b != b'\t') || b == 0x7F)
}

/// RFC 6265 section 5.2.2: "If the first character of the attribute-value
/// is not a DIGIT or a "-" character, ignore the cookie-av. If the remainder
/// of attribute-value contains a non-DIGIT character, ignore the cookie-av."
/// Returns the delta-seconds, saturated to the range of `i64`.
pub(crate) fn max_age(input: &[u8]) -> Option<i64> {
    let parsed: PResult<'_, (Option<&[u8]>, &[u8])> =
        all_consuming(pair(opt(tag("-")), digit1))(input);
    let (_, (minus, digits)) = parsed.ok()?;
    let magnitude = digits.iter().try_fold(0i64, |acc, &d| {
        acc.checked_mul(10)?.checked_add(i64::from(d - b'0'))
    });
    Some(match (minus.is_some(), magnitude) {
        (false, Some(n)) => n,
        (true, Some(n)) => -n,
        (false, None) => i64::MAX,
        (true, None) => i64::MIN,
    })
}

/// One item of a `Cookie` request header: everything up to the next
/// separator. `cookie-string = cookie-pair *( ";" SP cookie-pair )`
/// (RFC 6265 section 4.2.1); RFC 2109 section 4.3.4 also allows `,` between
/// cookies, which the caller enables only for RFC 2109 headers (a modern
/// value may contain a comma), and allows a quoted-string value that contains
/// separators.
pub(crate) fn request_item(input: &[u8], comma_separates: bool) -> (&[u8], &[u8]) {
    let is_separator = |b: u8| b == b';' || (comma_separates && b == b',');
    // A quoted value may hold separators: look for the next one only after
    // its closing quote.
    let from = if comma_separates {
        quoted_pair_end(input).unwrap_or(0)
    } else {
        0
    };
    let (head, tail) = input.split_at(from.min(input.len()));
    let split: PResult<'_, &[u8]> = take_till(is_separator)(tail);
    let len = match split {
        Ok((_, item)) => head.len() + item.len(),
        Err(_) => input.len(),
    };
    input.split_at(len)
}

/// For `NAME="quoted string"`, the length of the item through its closing
/// quote (RFC 2109 section 4.1: `value = word`, `word = token |
/// quoted-string`); `None` if the value is not quoted or never closed.
fn quoted_pair_end(input: &[u8]) -> Option<usize> {
    let eq = input
        .iter()
        .position(|&b| b == b'=' || b == b';' || b == b',')?;
    if input.get(eq) != Some(&b'=') {
        return None;
    }
    let after = input.get(eq + 1..)?;
    let open = after.iter().position(|&b| b != b' ' && b != b'\t')?;
    if after.get(open) != Some(&b'"') {
        return None;
    }
    let mut escaped = false;
    for (i, &b) in after.iter().enumerate().skip(open + 1) {
        match (escaped, b) {
            (true, _) => escaped = false,
            (false, b'\\') => escaped = true,
            (false, b'"') => return Some(eq + 1 + i + 1),
            _ => {}
        }
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn name_value_pair_stops_at_first_semicolon() {
        assert_eq!(
            name_value_pair(b"a=b; c").unwrap(),
            (&b"; c"[..], &b"a=b"[..])
        );
        assert_eq!(name_value_pair(b"a=b").unwrap(), (&b""[..], &b"a=b"[..]));
        assert_eq!(name_value_pair(b"").unwrap(), (&b""[..], &b""[..]));
    }

    #[test]
    fn cookie_av_needs_a_leading_semicolon() {
        assert_eq!(
            cookie_av(b";Path=/;x").unwrap(),
            (&b";x"[..], &b"Path=/"[..])
        );
        assert_eq!(cookie_av(b";").unwrap(), (&b""[..], &b""[..]));
        assert!(cookie_av(b"Path").is_err());
    }

    #[test]
    fn split_at_first_equals() {
        assert_eq!(split_at_equals(b"a=b=c"), (&b"a"[..], Some(&b"b=c"[..])));
        assert_eq!(split_at_equals(b"a="), (&b"a"[..], Some(&b""[..])));
        assert_eq!(split_at_equals(b"a"), (&b"a"[..], None));
        assert_eq!(split_at_equals(b"=a"), (&b""[..], Some(&b"a"[..])));
    }

    #[test]
    fn trims_only_space_and_tab() {
        assert_eq!(trim_wsp(b" \t a b \t"), b"a b");
        assert_eq!(trim_wsp(b"   "), b"");
        assert_eq!(trim_wsp(b"\x0ba\x0b"), b"\x0ba\x0b");
    }

    #[test]
    fn max_age_follows_section_5_2_2() {
        let cases: &[(&[u8], Option<i64>)] = &[
            (b"0", Some(0)),
            (b"10000", Some(10000)),
            (b"-1", Some(-1)),
            (b"007", Some(7)),
            (b"", None),
            (b"-", None),
            (b"+5", None),
            (b"5s", None),
            (b"50,399", None),
            (b" 5", None),
            (b"99999999999999999999999", Some(i64::MAX)),
            (b"-99999999999999999999999", Some(i64::MIN)),
        ];
        for (input, want) in cases {
            assert_eq!(
                max_age(input),
                *want,
                "{:?}",
                String::from_utf8_lossy(input)
            );
        }
    }

    #[test]
    fn ctl_excludes_htab() {
        assert!(!contains_ctl(b"a\tb"));
        assert!(contains_ctl(b"a\x00b"));
        assert!(contains_ctl(b"a\rb"));
        assert!(contains_ctl(b"a\x7fb"));
        assert!(!contains_ctl("é".as_bytes()));
    }

    #[test]
    fn request_items_split_on_semicolon_and_rfc2109_comma() {
        assert_eq!(
            request_item(b"a=1, b=2; c", false),
            (&b"a=1, b=2"[..], &b"; c"[..])
        );
        assert_eq!(
            request_item(b"a=1, b=2; c", true),
            (&b"a=1"[..], &b", b=2; c"[..])
        );
        assert_eq!(
            request_item(br#"a="x;y\"z", b"#, true),
            (&br#"a="x;y\"z""#[..], &b", b"[..])
        );
        assert_eq!(
            request_item(br#"a="open; b"#, true),
            (&br#"a="open"#[..], &b"; b"[..])
        );
    }
}

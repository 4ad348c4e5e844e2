//! The byte-level grammar: one function per ABNF rule or numbered step of
//! RFC 6265, written with nom. This is the only module that imports nom; nom
//! types never leave it, so a nom upgrade is never a breaking change.
//!
//! Every function works on bytes and returns sub-slices of its input.
//! Splits happen only at ASCII bytes (`;`, `=`, `,`, WSP), so every slice of
//! a `str` they return is itself valid UTF-8 at char boundaries; the caller
//! maps it back to `&str` by offset (see `super::sub_str`).

use nom::bytes::complete::{tag, take_till};
use nom::character::complete::digit1;
use nom::combinator::{all_consuming, opt, rest};
use nom::sequence::{pair, preceded};

pub(crate) use super::ctl::{contains_ctl, has_ctl_byte, short_scan};

/// The result of a grammar rule. The error type is `()`: every caller
/// either skips what failed or maps it to its own public error.
pub(crate) type PResult<'a, T> = nom::IResult<&'a [u8], T, ()>;

/// `name` and, if there was a `=`, `value`.
pub(crate) type Pair<'a> = (&'a [u8], Option<&'a [u8]>);

pub(super) const LO: u64 = 0x0101_0101_0101_0101;
pub(super) const HI: u64 = 0x8080_8080_8080_8080;

/// The high bit of each byte of `word` that is below `n` (`n <= 128`).
/// Exact as a yes/no answer; the lowest set bit marks the first such byte
/// (borrows only spill into higher bytes). "Bit Twiddling Hacks", hasless.
#[inline]
fn bytes_below(word: u64, n: u8) -> u64 {
    word.wrapping_sub(LO * u64::from(n)) & !word & HI
}

/// The high bit of each byte of `word` equal to `b` (lowest set bit exact).
#[inline]
pub(super) fn bytes_equal(word: u64, b: u8) -> u64 {
    bytes_below(word ^ (LO * u64::from(b)), 1)
}

/// The words of `input`, eight bytes at a time, with their offsets, and the
/// remainder. Safe code: `chunks_exact` and `from_le_bytes`.
#[inline]
fn words(input: &[u8]) -> (impl Iterator<Item = (usize, u64)> + '_, &[u8]) {
    let chunks = input.chunks_exact(8);
    let remainder = chunks.remainder();
    let words = chunks.enumerate().map(|(i, c)| {
        let mut word = [0u8; 8];
        word.copy_from_slice(c); // `chunks_exact(8)`: always 8 bytes, one load
        (i * 8, u64::from_le_bytes(word))
    });
    (words, remainder)
}

/// The last `0..8` bytes of an input as one word, the missing high bytes
/// set to `pad` (a byte the caller's test never matches), so that the tail
/// costs one word step instead of a byte loop.
#[inline]
fn padded_word(remainder: &[u8], pad: u8) -> u64 {
    // Shifting the bytes in from the last one pushes out one pad byte each:
    // no store, and no `memcpy` call for a length unknown at compile time.
    remainder
        .iter()
        .rev()
        .fold(LO * u64::from(pad), |word, &b| (word << 8) | u64::from(b))
}

/// The bytes of `input` after its whole words (`remainder`, non-empty) as
/// one word, and the index of that word's first byte. When `input` has
/// eight bytes or more this is simply its last eight bytes, one load that
/// re-reads a few bytes the words already covered (harmless: a scan only
/// gets here if they held no match); a shorter input is padded with `pad`.
#[inline]
pub(super) fn tail_word(input: &[u8], remainder: &[u8], pad: u8) -> (usize, u64) {
    match input.last_chunk::<8>() {
        Some(last) => (input.len() - 8, u64::from_le_bytes(*last)),
        None => (input.len() - remainder.len(), padded_word(remainder, pad)),
    }
}

/// A case-insensitive ASCII keyword of at most eight bytes (an attribute
/// name, a `SameSite` value) held as one word, so that matching a token
/// against it is one OR and one comparison instead of a byte loop.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Keyword {
    /// The keyword in lower case, little-endian, padded with 0xFF.
    lower: u64,
    /// 0x20 in the bytes that are letters: OR-ing it folds case there and
    /// nowhere else (`-` must not match CR).
    fold: u64,
}

impl Keyword {
    /// The keyword; more than eight bytes is a compile-time error.
    pub(crate) const fn new(keyword: &str) -> Keyword {
        let mut rest = keyword.as_bytes();
        assert!(rest.len() <= 8, "a keyword must fit in one word");
        let (mut lower, mut fold, mut shift) = (u64::MAX, 0, 0);
        while let [byte, tail @ ..] = rest {
            let byte = byte.to_ascii_lowercase();
            lower = (lower & !(0xFF << shift)) | ((byte as u64) << shift);
            if byte.is_ascii_lowercase() {
                fold |= 0x20 << shift;
            }
            shift += 8;
            rest = tail;
        }
        Keyword { lower, fold }
    }

    /// Whether `token` is this keyword, ignoring ASCII case. Exact: a
    /// letter byte `b` passes only as `b` or `b ^ 0x20`, another byte only
    /// as itself, and the 0xFF padding never occurs in UTF-8 text, so a
    /// token of another length never matches.
    #[inline]
    pub(crate) fn matches(self, token: Token) -> bool {
        token.0 | self.fold == self.lower
    }
}

/// A token of at most eight bytes loaded as one word (padded with 0xFF),
/// to compare against several [`Keyword`]s.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Token(u64);

impl Token {
    /// `None` for a token longer than eight bytes: no keyword is.
    ///
    /// `bytes` must not contain 0xFF, which the padding relies on; any
    /// slice of UTF-8 text qualifies, and the parsers pass slices of the
    /// header `&str`.
    #[inline]
    pub(crate) fn new(bytes: &[u8]) -> Option<Token> {
        debug_assert!(!bytes.contains(&0xFF), "a slice of UTF-8 text");
        let len = bytes.len();
        // Four to eight bytes (every attribute name but `Path`): two
        // overlapping four-byte loads instead of a byte loop.
        let u32_at =
            |chunk: Option<&[u8; 4]>| chunk.map_or(0, |c| u64::from(u32::from_le_bytes(*c)));
        let word = match len {
            4..=8 => {
                let word =
                    u32_at(bytes.first_chunk()) | (u32_at(bytes.last_chunk()) << (8 * (len - 4)));
                word | u64::MAX.checked_shl(8 * len as u32).unwrap_or(0)
            }
            0..=3 => padded_word(bytes, 0xFF),
            _ => return None,
        };
        Some(Token(word))
    }
}

/// The index of the first `a` or `b` in `input`, eight bytes per step.
/// Headers are short and their values long: this beats both a byte loop
/// and a memchr call, whose set-up dominates on 5 to 50 byte segments.
#[inline]
fn find_either(input: &[u8], a: u8, b: u8) -> Option<usize> {
    debug_assert!(a != 0 && b != 0, "the zero padding below must not match");
    let hits = |w: u64| bytes_equal(w, a) | bytes_equal(w, b);
    let (mut words, remainder) = words(input);
    if let Some(found) = words.find_map(|(at, w)| {
        let found = hits(w);
        (found != 0).then(|| at + found.trailing_zeros() as usize / 8)
    }) {
        return Some(found);
    }
    if remainder.is_empty() {
        return None;
    }
    let (at, word) = tail_word(input, remainder, 0);
    let found = hits(word);
    (found != 0).then(|| at + found.trailing_zeros() as usize / 8)
}

/// The first `;` of a value. Most values are short, and the word scan
/// finds their end before memchr's set-up would be paid; a value longer
/// than `SHORT` bytes (a token, a session blob of hundreds of bytes) goes
/// on with memchr's vector scan (the `memchr` crate, which nom already
/// depends on; its `unsafe` is its own, audited there).
#[inline]
fn find_value_end<const SHORT: usize>(input: &[u8]) -> Option<usize> {
    match input.split_at_checked(SHORT) {
        None => find_either(input, b';', b';'),
        Some((head, tail)) => find_either(head, b';', b';')
            .or_else(|| memchr::memchr(b';', tail).map(|at| at + SHORT)),
    }
}

/// How far [`find_value_end`] scans a word at a time in an attribute or a
/// `Cookie` header: their values are mostly 5 to 80 bytes, where memchr's
/// set-up loses (32 measured worse on `Cookie` headers).
const SHORT_VALUE: usize = 128;

/// The same for the value of a `Set-Cookie` name-value-pair, where the long
/// values are (JWTs, session blobs of about a kilobyte): past 16 bytes
/// memchr's vector scan wins there (large tokens 1,458 instructions with
/// 32, 1,441 with 16), at a cost to 16 to 32 byte values (full attributes
/// 2,379 -> 2,418).
const SHORT_COOKIE_VALUE: usize = 16;

/// The index of the first `=` of `input`.
#[inline(always)]
pub(crate) fn find_equals(input: &[u8]) -> Option<usize> {
    find_either(input, b'=', b'=')
}

/// A nom parser: everything before the first `a` or `b` (or to the end).
fn take_till_either(a: u8, b: u8) -> impl Fn(&[u8]) -> PResult<'_, &[u8]> {
    move |input| {
        let at = find_either(input, a, b).unwrap_or(input.len());
        let (taken, rest) = input.split_at(at);
        Ok((rest, taken))
    }
}

/// `name [ "=" value ]` up to the next `;`, in one pass over the bytes.
///
/// RFC 6265 section 5.2 steps 1 to 3 (for the name-value-pair) and
/// attribute steps 3 and 4 (for a cookie-av): the part before the first `=`,
/// and the part after it up to the next `;`. `None` when there is no `=`
/// before the `;`, which callers must tell apart from an empty value.
///
/// This is the hottest rule (it runs once per cookie-av), so it is written
/// directly over the bytes; nom's generic `pair(opt(preceded(tag ..)))`
/// costs more here than the scan itself. It keeps nom's result type.
#[inline(always)]
pub(crate) fn name_value_pair(input: &[u8]) -> PResult<'_, Pair<'_>> {
    pair_with_value_scan::<SHORT_VALUE>(input)
}

/// [`name_value_pair`] for the name-value-pair of a `Set-Cookie` header
/// (RFC 6265 section 5.2 steps 1 to 3), whose value may be long.
#[inline(always)]
pub(crate) fn set_cookie_pair(input: &[u8]) -> PResult<'_, Pair<'_>> {
    pair_with_value_scan::<SHORT_COOKIE_VALUE>(input)
}

/// [`name_value_pair`], memchr past `SHORT` bytes of value.
#[inline(always)]
fn pair_with_value_scan<const SHORT: usize>(input: &[u8]) -> PResult<'_, Pair<'_>> {
    let (rest, name) = take_till_either(b';', b'=')(input)?;
    match rest.split_first() {
        Some((b'=', after)) => {
            let at = find_value_end::<SHORT>(after).unwrap_or(after.len());
            let (value, rest) = after.split_at(at);
            Ok((rest, (name, Some(value))))
        }
        _ => Ok((rest, (name, None))),
    }
}

/// RFC 6265 section 5.2, attribute step 2: "Discard the first character of
/// the unparsed-attributes (which will be a %x3B (";") character)", then
/// the cookie-av up to the next `;`, split at its first `=`.
///
/// Inlined into `SetCookie::parse`'s attribute loop: as a call it cost
/// about 20 instructions per attribute (saved registers, the result in
/// memory).
#[inline(always)]
pub(crate) fn cookie_av(input: &[u8]) -> PResult<'_, Pair<'_>> {
    match input {
        // Servers write `; ` between attributes: stepping over that one SP
        // here lets step 5's trim take its fast path (it trims any more).
        [b';', b' ', rest @ ..] | [b';', rest @ ..] => name_value_pair(rest),
        _ => Err(nom::Err::Error(())),
    }
}

/// Splits at the first `=`; `None` when there is none.
pub(crate) fn split_at_equals(input: &[u8]) -> Pair<'_> {
    let split: PResult<'_, Pair<'_>> =
        pair(take_till(|b| b == b'='), opt(preceded(tag("="), rest)))(input);
    match split {
        Ok((_, parts)) => parts,
        Err(_) => (input, None),
    }
}

/// `WSP = SP / HTAB` (RFC 5234 appendix B.1).
fn is_wsp(b: &u8) -> bool {
    *b == b' ' || *b == b'\t'
}

/// RFC 6265 section 5.2 step 4: "Remove any leading or trailing WSP
/// characters".
#[inline]
pub(crate) fn trim_wsp(input: &[u8]) -> &[u8] {
    // Most names and values start and end with a byte above SP, and both
    // WSP bytes (0x20, 0x09) are at most SP: one comparison per end.
    let above_sp = |b: Option<&u8>| b.is_none_or(|&b| b > b' ');
    if above_sp(input.first()) && above_sp(input.last()) {
        return input;
    }
    let rest = skip_wsp(input);
    let end = rest.iter().rposition(|b| !is_wsp(b)).map_or(0, |i| i + 1);
    rest.get(..end).unwrap_or_default()
}

/// `input` without its leading WSP.
#[inline]
pub(crate) fn skip_wsp(input: &[u8]) -> &[u8] {
    let start = input.iter().position(|b| !is_wsp(b)).unwrap_or(input.len());
    input.get(start..).unwrap_or_default()
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

/// One item of a `Cookie` request header, split at its first `=`, and the
/// rest of the header from the separator on.
///
/// `cookie-string = cookie-pair *( ";" SP cookie-pair )` (RFC 6265 section
/// 4.2.1). RFC 2109 section 4.3.4 also allows `,` between cookies, which the
/// caller enables only for RFC 2109 headers (a modern value may contain a
/// comma), and a quoted-string value that contains separators.
pub(crate) fn request_item(input: &[u8], rfc2109: bool) -> (Pair<'_>, &[u8]) {
    if !rfc2109 {
        return match name_value_pair(input) {
            Ok((tail, item)) => (item, tail),
            Err(_) => ((input, None), &[]),
        };
    }
    let is_separator = |b: u8| b == b';' || b == b',';
    // A quoted value may hold separators: look for the next one only after
    // its closing quote.
    let from = quoted_pair_end(input).unwrap_or(0).min(input.len());
    let (head, tail) = input.split_at(from);
    let split: PResult<'_, &[u8]> = take_till(is_separator)(tail);
    let len = match split {
        Ok((_, item)) => head.len() + item.len(),
        Err(_) => input.len(),
    };
    let (item, tail) = input.split_at(len);
    (split_at_equals(item), tail)
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
    let open = after.iter().position(|b| !is_wsp(b))?;
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
        let cases: &[(&[u8], &[u8], Pair<'_>)] = &[
            (b"a=b; c", b"; c", (b"a", Some(b"b"))),
            (b"a=b=c;d", b";d", (b"a", Some(b"b=c"))),
            (b"a=b", b"", (b"a", Some(b"b"))),
            (b"a;b=c", b";b=c", (b"a", None)),
            (b"=", b"", (b"", Some(b""))),
            (b"", b"", (b"", None)),
        ];
        for (input, tail, item) in cases {
            assert_eq!(name_value_pair(input).unwrap(), (*tail, *item));
        }
    }

    #[test]
    fn cookie_av_needs_a_leading_semicolon() {
        assert_eq!(
            cookie_av(b";Path=/;x").unwrap(),
            (&b";x"[..], (&b"Path"[..], Some(&b"/"[..])))
        );
        assert_eq!(
            cookie_av(b";Secure").unwrap(),
            (&b""[..], (&b"Secure"[..], None))
        );
        assert_eq!(cookie_av(b";").unwrap(), (&b""[..], (&b""[..], None)));
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

    proptest::proptest! {
        /// The word-at-a-time scans and the trims agree with the obvious
        /// byte loops.
        #[test]
        fn word_scans_agree_with_byte_loops(input in proptest::collection::vec(
            proptest::sample::select(vec![0u8, 9, 10, 31, 32, b';', b'=', b'a', 0x7E, 0x7F, 0x80, 0xFF]), 0..300)
        ) {
            let naive_ctl = input.iter().any(|&b| (b < 0x20 && b != b'\t') || b == 0x7F);
            proptest::prop_assert_eq!(contains_ctl(&input), naive_ctl);
            let naive_find = input.iter().position(|&b| b == b';' || b == b'=');
            proptest::prop_assert_eq!(find_either(&input, b';', b'='), naive_find);
            let naive_end = input.iter().position(|&b| b == b';');
            proptest::prop_assert_eq!(find_value_end::<SHORT_VALUE>(&input), naive_end);
            proptest::prop_assert_eq!(find_value_end::<SHORT_COOKIE_VALUE>(&input), naive_end);
            let text = String::from_utf8_lossy(&input);
            let wsp: &[char] = &[' ', '\t'];
            proptest::prop_assert_eq!(
                String::from_utf8_lossy(trim_wsp(&input)),
                text.trim_matches(wsp)
            );
            proptest::prop_assert_eq!(
                String::from_utf8_lossy(skip_wsp(&input)),
                text.trim_start_matches(wsp)
            );
            for n in [1u8, 0x20, 0x80] {
                for (at, w) in words(&input).0 {
                    let first = input[at..at + 8].iter().position(|&b| b < n);
                    let mask = bytes_below(w, n);
                    proptest::prop_assert_eq!((mask != 0).then(|| mask.trailing_zeros() as usize / 8), first);
                }
            }
        }
    }

    #[test]
    fn keywords_match_exactly_ignoring_ascii_case() {
        let expires = Keyword::new("Expires");
        let max_age = Keyword::new("max-age");
        let cases: &[(Keyword, &str, bool)] = &[
            (expires, "expires", true),
            (expires, "EXPIRES", true),
            (expires, "eXpIrEs", true),
            (expires, "expire", false),
            (expires, "expiress", false),
            (expires, "expires\0", false),
            (expires, "", false),
            (max_age, "Max-Age", true),
            (max_age, "max\rage", false),
            (max_age, "max_age", false),
            (max_age, "max-agé", false),
            (Keyword::new("lax"), "LAX", true),
            (Keyword::new("lax"), "la", false),
            (Keyword::new("lax"), "laX ", false),
            (Keyword::new("httponly"), "HttpOnly", true),
            (Keyword::new(""), "", true),
        ];
        for &(keyword, token, want) in cases {
            let got = Token::new(token.as_bytes()).is_some_and(|t| keyword.matches(t));
            assert_eq!(got, want, "{token:?}");
        }
        assert!(Token::new(b"partitioned").is_none());
    }

    proptest::proptest! {
        /// Keyword matching agrees with `str::eq_ignore_ascii_case`, on
        /// tokens made mostly of the keywords' own letters in both cases.
        #[test]
        fn keywords_agree_with_eq_ignore_ascii_case(token in "[eExXpPiIrRsSmMaAgG\\-\r\0\u{e9}]{0,9}") {
            for keyword in ["expires", "max-age", "age", "sam", ""] {
                let got = Token::new(token.as_bytes()).is_some_and(|t| Keyword::new(keyword).matches(t));
                proptest::prop_assert_eq!(got, token.eq_ignore_ascii_case(keyword), "{:?} {:?}", token, keyword);
            }
        }
    }

    #[test]
    fn request_items_split_on_semicolon_and_rfc2109_comma() {
        let item = |input: &'static [u8], rfc2109| request_item(input, rfc2109);
        assert_eq!(
            item(b"a=1, b=2; c", false),
            ((&b"a"[..], Some(&b"1, b=2"[..])), &b"; c"[..])
        );
        assert_eq!(
            item(b"a=1, b=2; c", true),
            ((&b"a"[..], Some(&b"1"[..])), &b", b=2; c"[..])
        );
        assert_eq!(
            item(br#"a="x;y\"z", b"#, true),
            ((&b"a"[..], Some(&br#""x;y\"z""#[..])), &b", b"[..])
        );
        assert_eq!(
            item(br#"a="open; b"#, true),
            ((&b"a"[..], Some(&br#""open"#[..])), &b"; b"[..])
        );
        assert_eq!(item(b"flag; b", false), ((&b"flag"[..], None), &b"; b"[..]));
    }
}

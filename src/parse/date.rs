//! The cookie-date algorithm of RFC 6265 section 5.1.1, and the IMF-fixdate
//! form (RFC 7231 section 7.1.1.1) used to write dates back out.
//!
//! <https://www.rfc-editor.org/rfc/rfc6265#section-5.1.1>
//!
//! The algorithm is written by hand over bytes rather than with nom: it is the
//! hot spot of `Set-Cookie` parsing (most headers carry `Expires`), and its
//! token rules ("the first token that matches the *time* production, then the
//! first that matches *day-of-month*, ...") are a small state machine, not a
//! grammar.

use std::fmt;
use time::{Date, Month, OffsetDateTime, Time};

/// Parses a cookie date with the algorithm of RFC 6265 section 5.1.1.
///
/// This is the lenient algorithm user agents apply to the `Expires`
/// attribute: it accepts RFC 1123 dates, RFC 850 dates with two-digit years,
/// `asctime()` dates, and the many variants servers send in practice (dashes,
/// missing day names, odd time-zone text). It returns `None` where the
/// algorithm says "abort", and the caller then ignores the attribute.
///
/// Two-digit years follow section 5.1.1 steps 3 and 4: 70 to 99 become 19xx,
/// 0 to 69 become 20xx. Time-zone text is ignored: cookie dates are UTC.
/// The trailing part of the *day-of-month*, *year* and *time* productions is
/// optional, as RFC 6265 erratum 4148 corrects.
///
/// <https://www.rfc-editor.org/rfc/rfc6265#section-5.1.1>
///
/// # Example
///
/// ```
/// use cookiejar::parse_cookie_date;
///
/// let date = parse_cookie_date("Wed, 21-Oct-15 07:28:00 GMT").unwrap();
/// assert_eq!(date.unix_timestamp(), 1_445_412_480);
/// assert!(parse_cookie_date("Wed, 31 Feb 2024 07:28:00 GMT").is_none());
/// ```
pub fn parse_cookie_date(input: &str) -> Option<OffsetDateTime> {
    cookie_date(input.as_bytes())
}

/// [`parse_cookie_date`] on the bytes of a header.
pub(crate) fn cookie_date(input: &[u8]) -> Option<OffsetDateTime> {
    match fixed_layout(input) {
        Some(found) => found.into_date(),
        None => general_algorithm(input),
    }
}

/// The fast path for the layouts nearly every server sends: IMF-fixdate
/// `Sun, 06 Nov 1994 08:49:37 GMT`, its Netscape variant with dashes, and
/// RFC 850's `Sunday, 06-Nov-94 08:49:37 GMT` (any day name, a two-digit
/// year). On these, step 2 of the algorithm is known in advance: the day
/// name matches no production, then come day-of-month, month, year and
/// time. So the tokens are read from fixed positions, counted from the end
/// (the day name may have any length); anything else, including a day name
/// that is a month name, takes the general path. A property test checks
/// both agree.
fn fixed_layout(b: &[u8]) -> Option<Found> {
    let [ref date @ .., b' ', h0, h1, b':', i0, i1, b':', s0, s1, b' ', b'G', b'M', b'T'] = *b
    else {
        return None;
    };
    let (day_name, [d0, d1, sep, m0, m1, m2, sep2], year) = match *date {
        [ref day_name @ .., b',', b' ', d0, d1, sep, m0, m1, m2, sep2, y0, y1, y2, y3] => (
            day_name,
            [d0, d1, sep, m0, m1, m2, sep2],
            u16::from(two_digits(y0, y1)?) * 100 + u16::from(two_digits(y2, y3)?),
        ),
        [ref day_name @ .., b',', b' ', d0, d1, sep, m0, m1, m2, sep2, y0, y1] => (
            day_name,
            [d0, d1, sep, m0, m1, m2, sep2],
            u16::from(two_digits(y0, y1)?),
        ),
        _ => return None,
    };
    // The day name must match no production (one token of letters, not
    // starting with a month name), and the separators must split the date
    // into its three tokens.
    if !day_name.iter().all(u8::is_ascii_alphabetic)
        || month(day_name).is_some()
        || !is_delimiter(sep)
        || !is_delimiter(sep2)
    {
        return None;
    }
    Some(Found {
        time: Some((
            two_digits(h0, h1)?,
            two_digits(i0, i1)?,
            two_digits(s0, s1)?,
        )),
        day_of_month: Some(two_digits(d0, d1)?),
        month: Some(month(&[m0, m1, m2])?),
        year: Some(year),
    })
}

/// The value of two ASCII digits.
fn two_digits(tens: u8, ones: u8) -> Option<u8> {
    (tens.is_ascii_digit() && ones.is_ascii_digit()).then(|| (tens - b'0') * 10 + (ones - b'0'))
}

/// RFC 6265 section 5.1.1 as written, for any input. Out of line: it is
/// the rare path, and the fast one stays small where it is inlined.
#[inline(never)]
fn general_algorithm(input: &[u8]) -> Option<OffsetDateTime> {
    let mut found = Found::default();
    let mut token_start = None;
    // Step 1: the date-tokens are the runs of non-delimiters, found in one
    // pass. Step 2: process each date-token in order.
    for (at, &byte) in input.iter().enumerate() {
        match (is_delimiter(byte), token_start) {
            (false, None) => token_start = Some(at),
            (true, Some(start)) => {
                token_start = None;
                found.take(input.get(start..at).unwrap_or_default());
                if found.is_complete() {
                    // Later tokens cannot change anything: every substep of
                    // step 2 first checks that its flag is not yet set.
                    return found.into_date();
                }
            }
            _ => {}
        }
    }
    if let Some(start) = token_start {
        found.take(input.get(start..).unwrap_or_default());
    }
    found.into_date()
}

/// `delimiter = %x09 / %x20-2F / %x3B-40 / %x5B-60 / %x7B-7E`
/// (RFC 6265 section 5.1.1)
///
/// Looked up in a table rather than tested as five ranges: the general
/// algorithm tests every byte of its input.
fn is_delimiter(b: u8) -> bool {
    // Indexing in a const block: out of range would fail the build.
    #[allow(clippy::indexing_slicing)]
    const DELIMITERS: [bool; 256] = {
        let mut table = [false; 256];
        let mut b = 0;
        while b < 256 {
            table[b] = matches!(b, 0x09 | 0x20..=0x2F | 0x3B..=0x40 | 0x5B..=0x60 | 0x7B..=0x7E);
            b += 1;
        }
        table
    };
    DELIMITERS.get(usize::from(b)) == Some(&true)
}

/// The found-* flags and values of RFC 6265 section 5.1.1 step 2.
#[derive(Default)]
struct Found {
    time: Option<(u8, u8, u8)>,
    day_of_month: Option<u8>,
    month: Option<Month>,
    year: Option<u16>,
}

impl Found {
    fn is_complete(&self) -> bool {
        self.time.is_some()
            && self.day_of_month.is_some()
            && self.month.is_some()
            && self.year.is_some()
    }

    /// Step 2: the first production a token matches, among those not yet
    /// found, takes it; "skip the remaining sub-steps" after a match.
    fn take(&mut self, token: &[u8]) {
        if self.time.is_none() {
            if let Some(t) = hms_time(token) {
                self.time = Some(t);
                return;
            }
        }
        if self.day_of_month.is_none() {
            if let Some((day, _)) = digits(token, 1, 2) {
                self.day_of_month = Some(day as u8);
                return;
            }
        }
        if self.month.is_none() {
            if let Some(m) = month(token) {
                self.month = Some(m);
                return;
            }
        }
        if self.year.is_none() {
            if let Some((year, _)) = digits(token, 2, 4) {
                self.year = Some(year);
            }
        }
    }

    /// Steps 3 to 7: year fix-ups, range checks, and the calendar check.
    fn into_date(self) -> Option<OffsetDateTime> {
        let (hour, minute, second) = self.time?;
        let day = self.day_of_month?;
        let month = self.month?;
        let mut year = self.year?;
        // Step 3.
        if (70..=99).contains(&year) {
            year += 1900;
        }
        // Step 4.
        if year <= 69 {
            year += 2000;
        }
        // Step 5: abort on out-of-range values.
        if !(1..=31).contains(&day) || year < 1601 || hour > 23 || minute > 59 || second > 59 {
            return None;
        }
        // Step 6: "If the day-of-month-value is greater than the number of
        // days in the month-value", abort (from_calendar_date checks that).
        let date = Date::from_calendar_date(i32::from(year), month, day).ok()?;
        let time = Time::from_hms(hour, minute, second).ok()?;
        // Step 7: the date is in UTC.
        Some(date.with_time(time).assume_utc())
    }
}

/// Matches `1*max DIGIT [ non-digit *OCTET ]` with at least `min` digits:
/// the shape of *day-of-month* (1-2 digits) and *year* (2-4 digits) in
/// RFC 6265 section 5.1.1, with erratum 4148's optional tail. Returns the
/// value and the number of digits.
fn digits(token: &[u8], min: usize, max: usize) -> Option<(u16, usize)> {
    let count = token.iter().take_while(|b| b.is_ascii_digit()).count();
    if count < min || count > max {
        return None;
    }
    let value = token
        .iter()
        .take(count)
        .fold(0u16, |acc, &b| acc * 10 + u16::from(b - b'0'));
    Some((value, count))
}

/// `hms-time = time-field ":" time-field ":" time-field` followed by an
/// optional `non-digit *OCTET`; `time-field = 1*2DIGIT`.
fn hms_time(token: &[u8]) -> Option<(u8, u8, u8)> {
    let (hour, n) = digits(token, 1, 2)?;
    let rest = token.get(n..)?.strip_prefix(b":")?;
    let (minute, n) = digits(rest, 1, 2)?;
    let rest = rest.get(n..)?.strip_prefix(b":")?;
    let (second, _) = digits(rest, 1, 2)?;
    Some((hour as u8, minute as u8, second as u8))
}

/// `month = ( "jan" / "feb" / ... / "dec" ) *OCTET`, case-insensitive.
///
/// The three letters are lower-cased with `| 0x20`: only ASCII letters map
/// onto `a..=z` that way, so the match is exact.
fn month(token: &[u8]) -> Option<Month> {
    let [a, b, c, ..] = *token else {
        return None;
    };
    Some(match [a | 0x20, b | 0x20, c | 0x20] {
        [b'j', b'a', b'n'] => Month::January,
        [b'f', b'e', b'b'] => Month::February,
        [b'm', b'a', b'r'] => Month::March,
        [b'a', b'p', b'r'] => Month::April,
        [b'm', b'a', b'y'] => Month::May,
        [b'j', b'u', b'n'] => Month::June,
        [b'j', b'u', b'l'] => Month::July,
        [b'a', b'u', b'g'] => Month::August,
        [b's', b'e', b'p'] => Month::September,
        [b'o', b'c', b't'] => Month::October,
        [b'n', b'o', b'v'] => Month::November,
        [b'd', b'e', b'c'] => Month::December,
        _ => return None,
    })
}

/// Writes an instant as an IMF-fixdate, `Sun, 06 Nov 1994 08:49:37 GMT`
/// (RFC 7231 section 7.1.1.1), the form RFC 6265 section 4.1.1 asks servers
/// to send in `Expires`. The instant is converted to UTC first.
///
/// Years outside 0..=9999 cannot be written in four digits; they are clamped
/// to that range, which is far outside any date a cookie can carry.
///
/// # Example
///
/// ```
/// use cookiejar::{parse_cookie_date, HttpDate};
///
/// let date = parse_cookie_date("Sunday, 06-Nov-94 08:49:37 GMT").unwrap();
/// assert_eq!(HttpDate(date).to_string(), "Sun, 06 Nov 1994 08:49:37 GMT");
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct HttpDate(pub OffsetDateTime);

impl fmt::Display for HttpDate {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        const DAYS: [&str; 7] = ["Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun"];
        const MONTHS: [&str; 12] = [
            "Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec",
        ];
        let utc = self.0.to_offset(time::UtcOffset::UTC);
        let day_name = DAYS
            .get(usize::from(utc.weekday().number_days_from_monday()))
            .copied()
            .unwrap_or("Mon");
        let month_name = MONTHS
            .get(usize::from(u8::from(utc.month())) - 1)
            .copied()
            .unwrap_or("Jan");
        write!(
            f,
            "{day_name}, {:02} {month_name} {:04} {:02}:{:02}:{:02} GMT",
            utc.day(),
            utc.year().clamp(0, 9999),
            utc.hour(),
            utc.minute(),
            utc.second()
        )
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn date(s: &str) -> Option<String> {
        parse_cookie_date(s).map(|d| HttpDate(d).to_string())
    }

    /// Each row exercises one step of RFC 6265 section 5.1.1.
    #[test]
    fn algorithm_steps() {
        let cases: &[(&str, Option<&str>, &str)] = &[
            (
                "Sun, 06 Nov 1994 08:49:37 GMT",
                Some("Sun, 06 Nov 1994 08:49:37 GMT"),
                "RFC 1123",
            ),
            (
                "Sunday, 06-Nov-94 08:49:37 GMT",
                Some("Sun, 06 Nov 1994 08:49:37 GMT"),
                "RFC 850, step 3",
            ),
            (
                "Sun Nov  6 08:49:37 1994",
                Some("Sun, 06 Nov 1994 08:49:37 GMT"),
                "asctime",
            ),
            (
                "06 Nov 69 08:49:37",
                Some("Wed, 06 Nov 2069 08:49:37 GMT"),
                "step 4: 69 -> 2069",
            ),
            (
                "06 Nov 70 08:49:37",
                Some("Fri, 06 Nov 1970 08:49:37 GMT"),
                "step 3: 70 -> 1970",
            ),
            ("06 Nov 0 08:49:37", None, "year needs 2 digits"),
            (
                "06 Nov 00 08:49:37",
                Some("Mon, 06 Nov 2000 08:49:37 GMT"),
                "step 4: 00 -> 2000",
            ),
            ("06 Nov 1600 08:49:37", None, "step 5: year < 1601"),
            (
                "06 Nov 1601 08:49:37",
                Some("Tue, 06 Nov 1601 08:49:37 GMT"),
                "year 1601 ok",
            ),
            ("06 Nov 12345 08:49:37", None, "year has at most 4 digits"),
            ("32 Nov 1994 08:49:37", None, "step 5: day > 31"),
            ("00 Nov 1994 08:49:37", None, "step 5: day < 1"),
            ("31 Nov 1994 08:49:37", None, "step 6: no such date"),
            (
                "29 Feb 2024 08:49:37",
                Some("Thu, 29 Feb 2024 08:49:37 GMT"),
                "leap day",
            ),
            ("06 Nov 1994 24:00:00", None, "step 5: hour > 23"),
            ("06 Nov 1994 23:60:00", None, "step 5: minute > 59"),
            (
                "06 Nov 1994 23:59:60",
                None,
                "step 5: second > 59 (no leap seconds)",
            ),
            (
                "06 Nov 1994 8:9:7",
                Some("Sun, 06 Nov 1994 08:09:07 GMT"),
                "1-digit time fields",
            ),
            (
                "06 Nov 1994 008:09:07",
                None,
                "time field has at most 2 digits",
            ),
            (
                "06 Nov 1994 08:49:37junk",
                Some("Sun, 06 Nov 1994 08:49:37 GMT"),
                "time tail",
            ),
            (
                "06th Nov 1994 08:49:37",
                Some("Sun, 06 Nov 1994 08:49:37 GMT"),
                "day tail",
            ),
            (
                "06 NOVEMBER 1994 08:49:37",
                Some("Sun, 06 Nov 1994 08:49:37 GMT"),
                "month prefix",
            ),
            ("06 No 1994 08:49:37", None, "month needs 3 letters"),
            ("Nov 1994 08:49:37", None, "step 5: no day"),
            ("06 1994 08:49:37", None, "step 5: no month"),
            ("06 Nov 08:49:37", None, "step 5: no year"),
            ("06 Nov 1994", None, "step 5: no time"),
            ("", None, "empty"),
            (
                "1994 Nov 06 08:49:37",
                Some("Sun, 06 Nov 1994 08:49:37 GMT"),
                "4 digits is no day",
            ),
            (
                "06 11 Nov 1994 08:49:37",
                Some("Sun, 06 Nov 2011 08:49:37 GMT"),
                "second number is the year",
            ),
            (
                "08:49:37 06 Nov 1994 09:00:00 12",
                Some("Sun, 06 Nov 1994 08:49:37 GMT"),
                "first time wins",
            ),
            (
                "\t06,Nov;1994=08:49:37~",
                Some("Sun, 06 Nov 1994 08:49:37 GMT"),
                "every delimiter",
            ),
            (
                "06 Nov 1994 08:49:37 +0900",
                Some("Sun, 06 Nov 1994 08:49:37 GMT"),
                "zone ignored",
            ),
            (
                "06\u{e9}Nov 1994 08:49:37",
                None,
                "non-ASCII is not a delimiter",
            ),
        ];
        for (input, want, why) in cases {
            assert_eq!(date(input).as_deref(), *want, "{why}: {input:?}");
        }
    }

    /// Step 1 as literally as it reads: split at every delimiter, drop the
    /// empty pieces. The tokenizer of `general_algorithm` must agree.
    fn reference_algorithm(input: &[u8]) -> Option<OffsetDateTime> {
        let mut found = Found::default();
        for token in input.split(|&b| is_delimiter(b)).filter(|t| !t.is_empty()) {
            found.take(token);
        }
        found.into_date()
    }

    proptest::proptest! {
        /// The fixed-layout fast path gives what the general algorithm
        /// gives, on inputs built around that layout (valid or not).
        #[test]
        fn fast_path_agrees_with_the_algorithm(
            // Mostly valid parts, so that most inputs are dates and a wrong
            // shortcut shows as a different instant, not just both `None`.
            day_name in "(Sun|Thursday|Wednesday|Mayday|[A-Za-z0-9\u{e9} ]{0,10})",
            day in "([0-2][1-9]|[0-9]{2})",
            // Any ASCII byte (every delimiter and many non-delimiters) or
            // any character.
            sep in "( |-|[\x00-\x7F]|.)",
            sep2 in "( |-|[\x00-\x7F]|.)",
            month in "(Jan|feb|MAR|Apr|May|Jun|Jul|Aug|Sep|Oct|Nov|Dec|Xyz|[0-9]{3})",
            year in "(19[0-9]{2}|20[0-9]{2}|[0-9]{2}|[0-9]{1,5})",
            time in "([01][0-9]:[0-5][0-9]:[0-5][0-9]|[0-9]{2}:[0-9]{2}:[0-9]{2})",
            zone in "( GMT| GMT| UTC|GMT )",
        ) {
            let input = format!("{day_name}, {day}{sep}{month}{sep2}{year} {time}{zone}");
            proptest::prop_assert_eq!(parse_cookie_date(&input), general_algorithm(input.as_bytes()), "{}", input);
        }

        /// The tokenizer finds the tokens a literal split finds, and stopping
        /// once every production is found changes nothing.
        #[test]
        fn general_algorithm_agrees_with_a_literal_split(
            input in r"([0-9]{1,5}|[0-9]{1,3}:[0-9]{1,3}:[0-9]{1,3}[a-z]?|(jan|Feb|NOV|xyz)[a-z]{0,3}|[ ,;:=\t\-]{1,2}|\PC){0,12}",
        ) {
            proptest::prop_assert_eq!(general_algorithm(input.as_bytes()), reference_algorithm(input.as_bytes()), "{:?}", input);
        }
    }

    #[test]
    fn fast_path_is_taken_only_for_the_fixed_layouts() {
        for layout in [
            "Sun, 06 Nov 1994 08:49:37 GMT",
            "Sun, 06-Nov-1994 08:49:37 GMT",
            "Sunday, 06-Nov-94 08:49:37 GMT",
            "Wednesday, 09-Nov-94 08:49:37 GMT",
            "Sun, 06 Nov 94 08:49:37 GMT",
            "Sun, 06-Nov 1994 08:49:37 GMT",
        ] {
            assert!(fixed_layout(layout.as_bytes()).is_some(), "{layout}");
        }
        for (other, why) in [
            ("Dec, 06 Nov 1994 08:49:37 GMT", "day name is a month"),
            ("Sun, 06 Nov 1994 08:49:37 UTC", "another zone"),
            ("Sun, 06xNov-1994 08:49:37 GMT", "separator not a delimiter"),
            ("Sun, 06 Nov 199 08:49:37 GMT", "three-digit year"),
            ("Sun, 06 Nov 1994 8:49:37 GMT", "one-digit hour"),
            ("Sun Nov  6 08:49:37 1994", "asctime"),
            ("S1n, 06 Nov 1994 08:49:37 GMT", "digit in the day name"),
        ] {
            assert!(fixed_layout(other.as_bytes()).is_none(), "{why}: {other}");
        }
    }

    #[test]
    fn month_matches_exactly_the_twelve_names_in_any_case() {
        let names = [
            "jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec",
        ];
        for a in 0u8..=255 {
            for (i, name) in names.iter().enumerate() {
                let n = name.as_bytes();
                // Vary the first byte over every value: only its two cases match.
                let token = [a, n[1].to_ascii_uppercase(), n[2], b'x'];
                let want = a.to_ascii_lowercase() == n[0];
                assert_eq!(month(&token).is_some(), want, "{:?}", token);
                if want {
                    assert_eq!(u8::from(month(&token).unwrap()), i as u8 + 1);
                }
            }
        }
        assert!(month(b"ja").is_none());
    }

    #[test]
    fn delimiters_are_exactly_the_rfc_set() {
        // RFC 6265 section 5.1.1: delimiter = %x09 / %x20-2F / %x3B-40 / %x5B-60 / %x7B-7E
        for b in 0u8..=255 {
            let rfc = b == 0x09
                || (0x20..=0x2F).contains(&b)
                || (0x3B..=0x40).contains(&b)
                || (0x5B..=0x60).contains(&b)
                || (0x7B..=0x7E).contains(&b);
            assert_eq!(is_delimiter(b), rfc, "byte {b:#04x}");
        }
    }

    #[test]
    fn imf_fixdate_pads_and_names_the_weekday() {
        let d = parse_cookie_date("1 Jan 2001 1:2:3").unwrap();
        assert_eq!(HttpDate(d).to_string(), "Mon, 01 Jan 2001 01:02:03 GMT");
    }
}

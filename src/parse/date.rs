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
    match fixed_layout(input.as_bytes()) {
        Some(found) => found.into_date(),
        None => general_algorithm(input.as_bytes()),
    }
}

/// The fast path for the layout nearly every server sends,
/// `Sun, 06 Nov 1994 08:49:37 GMT` (IMF-fixdate) or its Netscape variant
/// `Sun, 06-Nov-1994 08:49:37 GMT`. On these 29 bytes, step 2 of the
/// algorithm is known in advance: the day name matches no production, then
/// come day-of-month, month, year and time. So the tokens are read from
/// fixed positions; anything else, including a day name that is a month
/// name, takes the general path. A property test checks both agree.
fn fixed_layout(b: &[u8]) -> Option<Found> {
    let sep = *b.get(7)?;
    let layout = b.len() == 29
        && b.get(3..5) == Some(b", ")
        && (sep == b' ' || sep == b'-')
        && b.get(11) == Some(&sep)
        && b.get(16) == Some(&b' ')
        && b.get(19) == Some(&b':')
        && b.get(22) == Some(&b':')
        && b.get(25..) == Some(b" GMT");
    let day_name = b.get(..3)?;
    if !layout || !day_name.iter().all(u8::is_ascii_alphabetic) || month(day_name).is_some() {
        return None;
    }
    let number = |at: usize, len: usize| {
        let digits = b.get(at..at + len)?;
        digits.iter().all(u8::is_ascii_digit).then(|| {
            digits
                .iter()
                .fold(0u16, |n, d| n * 10 + u16::from(d - b'0'))
        })
    };
    Some(Found {
        time: Some((
            number(17, 2)? as u8,
            number(20, 2)? as u8,
            number(23, 2)? as u8,
        )),
        day_of_month: Some(number(5, 2)? as u8),
        month: Some(month(b.get(8..11)?)?),
        year: Some(number(12, 4)?),
    })
}

/// RFC 6265 section 5.1.1 as written, for any input.
fn general_algorithm(input: &[u8]) -> Option<OffsetDateTime> {
    let mut found = Found::default();
    // Step 1: divide the cookie-date into date-tokens.
    // Step 2: process each date-token in order.
    for token in input.split(|&b| is_delimiter(b)).filter(|t| !t.is_empty()) {
        found.take(token);
        if found.is_complete() {
            // Later tokens cannot change anything: every substep of step 2
            // first checks that its flag is not yet set.
            break;
        }
    }
    found.into_date()
}

/// `delimiter = %x09 / %x20-2F / %x3B-40 / %x5B-60 / %x7B-7E`
/// (RFC 6265 section 5.1.1)
fn is_delimiter(b: u8) -> bool {
    matches!(b, 0x09 | 0x20..=0x2F | 0x3B..=0x40 | 0x5B..=0x60 | 0x7B..=0x7E)
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
/// The three letters are lower-cased with `| 0x20` and packed into an
/// integer: only ASCII letters map onto `a..=z` that way, so the match is
/// exact and costs one comparison per month.
fn month(token: &[u8]) -> Option<Month> {
    let [a, b, c] = <[u8; 3]>::try_from(token.get(..3)?).ok()?;
    let key = u32::from_le_bytes([a | 0x20, b | 0x20, c | 0x20, 0]);
    let name = |m: &[u8; 3]| u32::from_le_bytes([m[0], m[1], m[2], 0]);
    const MONTHS: [(&[u8; 3], Month); 12] = [
        (b"jan", Month::January),
        (b"feb", Month::February),
        (b"mar", Month::March),
        (b"apr", Month::April),
        (b"may", Month::May),
        (b"jun", Month::June),
        (b"jul", Month::July),
        (b"aug", Month::August),
        (b"sep", Month::September),
        (b"oct", Month::October),
        (b"nov", Month::November),
        (b"dec", Month::December),
    ];
    MONTHS
        .iter()
        .find(|(m, _)| name(m) == key)
        .map(|&(_, month)| month)
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

    proptest::proptest! {
        /// The fixed-layout fast path gives what the general algorithm
        /// gives, on inputs built around that layout (valid or not).
        #[test]
        fn fast_path_agrees_with_the_algorithm(
            day_name in "[A-Za-z0-9]{3}",
            day in "[0-9]{2}",
            sep in "[ -]",
            month in "(Jan|feb|MAR|Apr|May|Jun|Jul|Aug|Sep|Oct|Nov|Dec|Xyz|[0-9]{3})",
            year in "[0-9]{4}",
            time in "[0-9]{2}:[0-9]{2}:[0-9]{2}",
            zone in "( GMT| UTC|GMT )",
        ) {
            let input = format!("{day_name}, {day}{sep}{month}{sep}{year} {time}{zone}");
            proptest::prop_assert_eq!(parse_cookie_date(&input), general_algorithm(input.as_bytes()), "{}", input);
        }
    }

    #[test]
    fn fast_path_is_taken_only_for_the_fixed_layout() {
        assert!(fixed_layout(b"Sun, 06 Nov 1994 08:49:37 GMT").is_some());
        assert!(fixed_layout(b"Sun, 06-Nov-1994 08:49:37 GMT").is_some());
        assert!(
            fixed_layout(b"Dec, 06 Nov 1994 08:49:37 GMT").is_none(),
            "day name is a month"
        );
        assert!(fixed_layout(b"Sun, 06 Nov 1994 08:49:37 UTC").is_none());
        assert!(fixed_layout(b"Sun, 06-Nov 1994 08:49:37 GMT").is_none());
        assert!(fixed_layout(b"Sunday, 06-Nov-94 08:49:37 GMT").is_none());
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

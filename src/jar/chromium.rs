//! `Profile::Chromium`: RFC 6265bis, and Chromium's choices where the RFC
//! leaves a decision to the user agent or Chromium departs from its text.
//! Each rule was measured against Chromium 156 (`tests/chromium`, the
//! scenario named beside it); the README's table of deliberate differences
//! lists each beside the reading the default profile keeps.
//!
//! - A TAB inside a name, a value or an attribute (after the blanks around
//!   them are trimmed) refuses the cookie (`syntax/tab-*`); RFC 6265bis
//!   section 5.6 step 1 refuses only the other control characters.
//! - `Domain=.` refuses the cookie (`domain/only-dot`); RFC 6265bis section
//!   5.6.3 strips the dot and leaves an empty domain, a host-only cookie.
//! - The last `Expires` and the last `Max-Age` attribute count even when
//!   they cannot be read (`date/bad-then-good`, `max-age/good-then-bad`);
//!   RFC 6265 section 5.2 ignores an attribute it cannot read, so that an
//!   earlier one stays.
//! - `Max-Age=+N` is N seconds (`max-age/plus`); RFC 6265 section 5.2.2
//!   ignores an attribute whose first character is not a digit or `-`.
//! - A year before 1601 or after 9999 is brought to 1601 or 9999
//!   (`date/year-1600`, `date/year-10000`): a cookie "expiring" in 1600 is
//!   a deletion, one in the year 10000 lives the 400-day cap. RFC 6265
//!   section 5.1.1 fails the date for a year before 1601 (a session cookie)
//!   and reads at most four digits.
//! - An overwrite with a new value is a new cookie for the order of the
//!   `Cookie` header: it goes to the end of the cookies of its path length
//!   (`overwrite/new-value*`); RFC 6265 section 5.3 step 11.3 keeps the old
//!   creation time. Chromium keeps it only when the value is unchanged.
//! - The per-site garbage collection (`limits/*`): when a registrable
//!   domain holds more than `Limits::max_cookies_per_domain` cookies (180
//!   in `Limits::BROWSER`), expired ones go first, then the least recently
//!   used down to five sixths of the limit (150), in Chromium's six rounds:
//!   `Priority=Low` cookies without `Secure`, then `Low` with `Secure`,
//!   `Medium` without `Secure`, `High` without `Secure`, `Medium` with
//!   `Secure`, `High` with `Secure`, each round leaving a quota of its
//!   priority (a sixth of the limit for `Low`, 50/180 of it for `Medium`,
//!   the rest of the target for `High`: 30, 50 and 70). RFC 6265 section
//!   5.3 step 12 leaves the choice to the user agent; the default profile
//!   evicts one cookie at a time, non-`Secure` first, least recently used
//!   first.

use super::events::{Limit, Removal};
use super::store::{Id, Store};
use super::{Jar, Profile, Rejection};
use crate::cookie::{Cookie, Priority};
use crate::parse::date::cookie_date;
use crate::parse::{ParseError, SetCookie};
use std::sync::Arc;
use time::OffsetDateTime;

/// The checks that refuse a `Set-Cookie` outright.
pub(super) fn check(sc: &SetCookie<'_>) -> Result<(), Rejection> {
    let tab = |s: &str| s.contains('\t');
    if tab(sc.name()) || tab(sc.value()) || sc.attributes().any(|(n, v)| tab(n) || tab(v)) {
        return Err(Rejection::Parse(ParseError::ControlCharacter));
    }
    if sc.attribute("domain") == Some(".") {
        return Err(Rejection::InvalidDomain);
    }
    Ok(())
}

/// The last `Max-Age`, read as Chromium reads it: an optional `+` or `-`
/// and digits; anything else is no `Max-Age`.
pub(super) fn max_age(sc: &SetCookie<'_>) -> Option<i64> {
    let raw = sc.attribute("max-age")?.as_bytes();
    let (negative, digits) = match raw.split_first() {
        Some((b'-', rest)) => (true, rest),
        Some((b'+', rest)) => (false, rest),
        _ => (false, raw),
    };
    if digits.is_empty() || !digits.iter().all(u8::is_ascii_digit) {
        return None;
    }
    let magnitude = digits.iter().try_fold(0i64, |acc, &d| {
        acc.checked_mul(10)?.checked_add(i64::from(d - b'0'))
    });
    Some(match (negative, magnitude) {
        (false, Some(n)) => n,
        (true, Some(n)) => -n,
        (false, None) => i64::MAX,
        (true, None) => i64::MIN,
    })
}

/// RFC 6265 section 5.1.1's delimiters.
fn is_delimiter(b: u8) -> bool {
    matches!(b, 0x09 | 0x20..=0x2F | 0x3B..=0x40 | 0x5B..=0x60 | 0x7B..=0x7E)
}

/// The last `Expires`, with its year brought within 1601 to 9999.
pub(super) fn expires(sc: &SetCookie<'_>) -> Option<OffsetDateTime> {
    let raw = sc.attribute("expires")?;
    if let Some(date) = cookie_date(raw.as_bytes()) {
        return Some(date);
    }
    // A number of three or more digits that no other production takes is
    // the year: bring it within range and read the date again.
    let mut clamped = String::with_capacity(raw.len());
    let mut changed = false;
    for token in raw.split_inclusive(|c: char| c.is_ascii() && is_delimiter(c as u8)) {
        let (word, delimiter) = match token.char_indices().last() {
            Some((i, c)) if c.is_ascii() && is_delimiter(c as u8) => token.split_at(i),
            _ => (token, ""),
        };
        let digits = word.len() >= 3 && word.bytes().all(|b| b.is_ascii_digit());
        let year = digits.then(|| word.trim_start_matches('0').len());
        match year {
            Some(len) if len >= 5 => {
                clamped.push_str("9999");
                changed = true;
            }
            Some(_) if word.parse::<u32>().is_ok_and(|y| y < 1601) => {
                clamped.push_str("1601");
                changed = true;
            }
            _ => clamped.push_str(word),
        }
        clamped.push_str(delimiter);
    }
    match changed {
        true => cookie_date(clamped.as_bytes()),
        false => None,
    }
}

/// The `Priority` attribute (Chromium's extension; `Medium` by default).
pub(super) fn priority(sc: &SetCookie<'_>) -> Priority {
    match sc.priority_attribute() {
        Some(p) if p.eq_ignore_ascii_case("low") => Priority::Low,
        Some(p) if p.eq_ignore_ascii_case("high") => Priority::High,
        _ => Priority::Medium,
    }
}

impl Jar {
    /// RFC 6265 section 5.3 step 12 for a cookie just filed under `key`:
    /// under `Profile::Chromium` Chromium's per-site collection first, then
    /// the store's limits. Returns the evicted count and whether `id` was
    /// one of them.
    pub(super) fn enforce_limits(
        &mut self,
        key: &Arc<str>,
        now: OffsetDateTime,
        id: Id,
    ) -> (usize, bool) {
        let listener = &self.listener;
        let mut on_removed = |c: &Cookie, why: Removal| super::emit(listener, why.into(), c);
        let (mut evicted, mut lost) = (0, false);
        if self.profile == Profile::Chromium {
            let max = self.limits.max_cookies_per_domain;
            (evicted, lost) = collect_domain(&mut self.store, key, max, now, id, &mut on_removed);
        }
        let (more, lost_more) = self
            .store
            .enforce(key, &self.limits, now, id, &mut on_removed);
        (evicted + more, lost || lost_more)
    }

    /// Whether a replacement with this cookie is, for the header's order,
    /// a new cookie (`Profile::Chromium`, a changed value).
    pub(super) fn replacement_is_new(&self, old: &Cookie, new_value: &str) -> bool {
        self.profile == Profile::Chromium && *old.value != *new_value
    }
}

/// Chromium's garbage collection of one registrable domain (see the module
/// docs); returns the evicted count and whether `protect` was one.
fn collect_domain(
    store: &mut Store,
    key: &str,
    max: usize,
    now: OffsetDateTime,
    protect: Id,
    on_removed: &mut dyn FnMut(&Cookie, Removal),
) -> (usize, bool) {
    if store.bucket(key).len() <= max {
        return (0, false);
    }
    let mut evicted = 0;
    let mut lost = false;
    let expired: Vec<Id> = store
        .bucket_entries(key)
        .filter(|(_, e)| e.cookie.is_expired_at(now))
        .map(|(id, _)| id)
        .collect();
    for id in expired {
        if let Some(entry) = store.remove(id) {
            on_removed(&entry.cookie, Removal::Expired);
        }
        evicted += 1;
        lost |= id == protect;
    }
    let len = store.bucket(key).len();
    if len <= max {
        return (evicted, lost);
    }
    let target = max - max / 6;
    let mut goal = len - target;
    let quota = |p: Priority| match p {
        Priority::Low => max / 6,
        Priority::Medium => max * 5 / 18,
        Priority::High => target.saturating_sub(max / 6 + max * 5 / 18),
    };
    // Least recently used first.
    let mut cookies: Vec<(u64, Id, Priority, bool)> = store
        .bucket_entries(key)
        .map(|(id, e)| (e.access(), id, e.cookie.priority, e.cookie.secure_only))
        .collect();
    cookies.sort_unstable();
    let rounds = [
        (Priority::Low, true),
        (Priority::Low, false),
        (Priority::Medium, true),
        (Priority::High, true),
        (Priority::Medium, false),
        (Priority::High, false),
    ];
    for (priority, protect_secure) in rounds {
        if goal == 0 {
            break;
        }
        let at_priority = cookies.iter().filter(|c| c.2 == priority).count();
        if at_priority <= quota(priority) {
            continue;
        }
        let secure = cookies.iter().filter(|c| c.2 == priority && c.3).count();
        let mut deletable = match protect_secure {
            true => at_priority.saturating_sub(secure.max(quota(priority))),
            false => at_priority - quota(priority),
        };
        let mut i = 0;
        while goal > 0 && deletable > 0 {
            let Some(&(_, id, p, is_secure)) = cookies.get(i) else {
                break;
            };
            if p == priority && !(protect_secure && is_secure) {
                cookies.remove(i);
                if let Some(entry) = store.remove(id) {
                    on_removed(&entry.cookie, Removal::Evicted(Limit::PerDomain));
                }
                evicted += 1;
                lost |= id == protect;
                goal -= 1;
                deletable -= 1;
            } else {
                i += 1;
            }
        }
    }
    (evicted, lost)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parsed(header: &str) -> SetCookie<'_> {
        SetCookie::parse(header).expect("a Set-Cookie")
    }

    #[test]
    fn tabs_inside_refuse_and_around_do_not() {
        let refused = Err(Rejection::Parse(ParseError::ControlCharacter));
        assert_eq!(check(&parsed("a=x\ty")), refused);
        assert_eq!(check(&parsed("a\tb=1")), refused);
        assert_eq!(check(&parsed("a=1; Path=/x\ty")), refused);
        assert_eq!(check(&parsed("a=1; Fo\to=bar")), refused);
        assert_eq!(check(&parsed("a=\t1\t;\tHttpOnly")), Ok(()));
        assert_eq!(
            check(&parsed("a=1; Domain=.")),
            Err(Rejection::InvalidDomain)
        );
        assert_eq!(check(&parsed("a=1; Domain=.; Domain=example.com")), Ok(()));
    }

    #[test]
    fn max_age_takes_a_plus_and_the_last_value() {
        let cases = [
            ("a=1; Max-Age=+60", Some(60)),
            ("a=1; Max-Age=+0", Some(0)),
            ("a=1; Max-Age=-5", Some(-5)),
            ("a=1; Max-Age=60; Max-Age=x", None),
            ("a=1; Max-Age=+", None),
            ("a=1; Max-Age=+-5", None),
            ("a=1; Max-Age=99999999999999999999999", Some(i64::MAX)),
            ("a=1", None),
        ];
        for (header, want) in cases {
            assert_eq!(max_age(&parsed(header)), want, "{header}");
        }
    }

    #[test]
    fn years_are_brought_within_1601_and_9999() {
        let year = |header| expires(&parsed(header)).map(|t| t.year());
        assert_eq!(
            year("a=1; Expires=Sat, 01 Jan 1600 00:00:00 GMT"),
            Some(1601)
        );
        assert_eq!(
            year("a=1; Expires=Thu, 01 Jan 999 00:00:00 GMT"),
            Some(1601)
        );
        assert_eq!(
            year("a=1; Expires=Sat, 01 Jan 10000 00:00:00 GMT"),
            Some(9999)
        );
        assert_eq!(
            year("a=1; Expires=Sat, 01 Jan 99999 00:00:00 GMT"),
            Some(9999)
        );
        assert_eq!(
            year("a=1; Expires=Thu, 01 Jan 2037 00:00:00 GMT"),
            Some(2037)
        );
        assert_eq!(
            year("a=1; Expires=Thu, 01 Jan 2037 00:00:00 GMT; Expires=x"),
            None
        );
        assert_eq!(year("a=1; Expires=tomorrow"), None);
    }

    #[test]
    fn priority_is_read_in_any_case() {
        for h in [
            "a=1; Priority=High; x=2; PRIORITY=low",
            "a=1; priority",
            "a=1; Priority=Medium; Secure",
        ] {
            let sc = parsed(h);
            assert_eq!(sc.priority_attribute(), sc.attribute("priority"), "{h}");
        }
        assert_eq!(priority(&parsed("a=1; Priority=HIGH")), Priority::High);
        assert_eq!(priority(&parsed("a=1; priority=low")), Priority::Low);
        assert_eq!(priority(&parsed("a=1; Priority=urgent")), Priority::Medium);
    }
}

//! `Cookie`: the owned record of RFC 6265 section 5.3, as the jar stores it.

use crate::parse::SameSite;
use std::borrow::Cow;
use std::fmt;
use std::mem::take;
use std::sync::atomic::{AtomicI64, Ordering};
use time::{OffsetDateTime, UtcDateTime};

/// A stored cookie: the fields of RFC 6265 section 5.3 ("name, value,
/// expiry-time, domain, path, creation-time, last-access-time,
/// persistent-flag, host-only-flag, secure-only-flag, http-only-flag") and
/// the RFC 6265bis `same-site-flag`, plus CHIPS `Partitioned`.
///
/// Built by the jar from a `Set-Cookie` header and the request it came
/// with; the domain is canonical (lower case, A-labels) and the path is
/// never empty.
///
/// `Debug` redacts the value: cookie values are credentials.
///
/// The strings are `Box<str>`, not `String`: a jar holds many cookies and
/// never grows one, so the capacity field would be 32 wasted bytes each.
///
/// <https://www.rfc-editor.org/rfc/rfc6265#section-5.3>
pub struct Cookie {
    pub(crate) name: Box<str>,
    pub(crate) value: Box<str>,
    pub(crate) domain: Box<str>,
    pub(crate) path: Box<str>,
    /// In UTC: `UtcDateTime` is 12 bytes, `OffsetDateTime` 16, and a jar
    /// of 100k cookies holds two instants each (see [`utc`]).
    pub(crate) expiry_time: Option<UtcDateTime>,
    pub(crate) creation_time: UtcDateTime,
    /// Unix nanoseconds, atomic so that a lookup through `&Jar` can record
    /// the access (RFC 6265 section 5.4 step 3) while other readers run.
    pub(crate) last_access_time: AtomicI64,
    pub(crate) host_only: bool,
    pub(crate) secure_only: bool,
    pub(crate) http_only: bool,
    pub(crate) same_site: Option<SameSite>,
    pub(crate) partitioned: bool,
    /// CHIPS: the top-level site a `Partitioned` cookie was set under
    /// (`https://example.com`), part of its identity; `None` for an
    /// unpartitioned cookie, and under the RFC 6265 and RFC 2109 profiles,
    /// which keep the attribute without acting on it.
    /// Boxed twice: the outer box is a thin pointer, so an unpartitioned
    /// cookie (nearly all of them) pays 8 bytes for the field, not 16.
    #[allow(clippy::redundant_allocation)]
    pub(crate) partition_key: Option<Box<Box<str>>>,
    /// Chromium's `Priority` attribute, which `Profile::Chromium`'s
    /// garbage collection reads.
    pub(crate) priority: Priority,
    /// What an RFC 2109 `Set-Cookie` said that the `Cookie` header repeats.
    pub(crate) rfc2109: Rfc2109Attributes,
}

/// The parts of an RFC 2109 `Set-Cookie` that section 4.3.4 sends back:
/// "The value of the cookie-version attribute must be the value from the
/// Version attribute, if one was present ... Otherwise the value for
/// cookie-version is 0", and `$Path` only "if there was one" (`$Domain`
/// needs no flag: under `Profile::Rfc2109` a cookie has a domain attribute
/// exactly when it is not host-only). Recorded and read only by
/// `Profile::Rfc2109`; cookies set under the other profiles hold
/// [`Rfc2109Attributes::LOADED`].
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub(crate) struct Rfc2109Attributes {
    /// The `Version` attribute (`1*DIGIT`, quotes allowed); 0 if absent or
    /// not a number.
    pub(crate) version: u32,
    /// Whether the `Set-Cookie` had a `Path` attribute.
    pub(crate) path_specified: bool,
}

impl Rfc2109Attributes {
    /// For a cookie from a file that does not record these, or set under
    /// another profile than `Profile::Rfc2109`: version 0 (the
    /// RFC's value for "no Version attribute") and its path sent as `$Path`
    /// (the path is known, and a stray `$Path` only repeats the cookie's
    /// real scope, where a missing one would hide a path the server set).
    pub(crate) const LOADED: Rfc2109Attributes = Rfc2109Attributes {
        version: 0,
        path_specified: true,
    };
}

/// Chromium's `Priority` attribute: the order its per-site garbage
/// collection gives cookies up in (`Profile::Chromium`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Default)]
pub(crate) enum Priority {
    Low,
    #[default]
    Medium,
    High,
}

impl Priority {
    /// The attribute value, as the JSON file writes it.
    #[cfg(feature = "json")]
    pub(crate) fn as_str(self) -> &'static str {
        match self {
            Priority::Low => "Low",
            Priority::Medium => "Medium",
            Priority::High => "High",
        }
    }
}

/// The latest instant the jar keeps: the end of year 9999, the last one
/// every format it writes can represent (RFC 3339 has four-digit years).
/// With `time`'s `large-dates` feature on anywhere in the build, `time`
/// itself goes much further, and an unclamped instant would make a JSON
/// save fail.
pub(crate) const LATEST: OffsetDateTime = match OffsetDateTime::from_unix_timestamp(253_402_300_799)
{
    // 9999-12-31T23:59:59Z.
    Ok(t) => t,
    Err(_) => OffsetDateTime::UNIX_EPOCH,
};

/// `t` brought into the range every jar format can write: from the Unix
/// epoch (`cookies.txt` has no earlier instant that is not "session" or
/// an error) to [`LATEST`]. A cookie whose expiry clamps to the epoch is
/// still expired, and one clamped to year 9999 still outlives its jar.
pub(crate) fn clamp_instant(t: OffsetDateTime) -> OffsetDateTime {
    t.clamp(OffsetDateTime::UNIX_EPOCH, LATEST)
}

/// `t` as the jar stores it, in UTC. Only an instant within a day of the
/// ends of `time`'s range has no UTC date; it is pinned to that end.
pub(crate) fn utc(t: OffsetDateTime) -> UtcDateTime {
    match t.checked_to_utc() {
        Some(t) => t,
        None if t.year() < 0 => UtcDateTime::MIN,
        None => UtcDateTime::MAX,
    }
}

/// `t` in Unix nanoseconds, saturating outside 1678-2262. In `i64`
/// arithmetic: `unix_timestamp_nanos` works in `i128`, and every store
/// takes this for its last-access time. `unix_timestamp` is the floor, and
/// the nanosecond of the second is never negative, so the sum is exact.
pub(crate) fn to_nanos(t: OffsetDateTime) -> i64 {
    let nanos = t
        .unix_timestamp()
        .checked_mul(1_000_000_000)
        .and_then(|s| s.checked_add(i64::from(t.nanosecond())));
    match nanos {
        Some(n) => n,
        None if t.year() < 1970 => i64::MIN,
        None => i64::MAX,
    }
}

pub(crate) fn from_nanos(n: i64) -> OffsetDateTime {
    OffsetDateTime::from_unix_timestamp_nanos(i128::from(n)).unwrap_or(OffsetDateTime::UNIX_EPOCH)
}

impl Cookie {
    /// The cookie name (empty for a nameless cookie under RFC 6265bis).
    pub fn name(&self) -> &str {
        &self.name
    }

    /// The cookie value, as the server sent it.
    pub fn value(&self) -> &str {
        &self.value
    }

    /// The domain: the request host for a host-only cookie, otherwise the
    /// `Domain` attribute, canonicalized (RFC 6265 section 5.3 step 6).
    pub fn domain(&self) -> &str {
        &self.domain
    }

    /// The path (RFC 6265 section 5.3 step 7, the default path if none).
    pub fn path(&self) -> &str {
        &self.path
    }

    /// When the cookie expires; `None` for a session cookie (RFC 6265
    /// section 5.3 step 3: persistent-flag false).
    pub fn expiry_time(&self) -> Option<OffsetDateTime> {
        self.expiry_time.map(OffsetDateTime::from)
    }

    /// True if the cookie has an expiry time (survives the session).
    pub fn persistent(&self) -> bool {
        self.expiry_time.is_some()
    }

    /// When the cookie was first stored; a replacement keeps the creation
    /// time of the cookie it replaces (RFC 6265 section 5.3 step 11.3).
    pub fn creation_time(&self) -> OffsetDateTime {
        self.creation_time.into()
    }

    /// When the cookie was last stored or sent.
    pub fn last_access_time(&self) -> OffsetDateTime {
        from_nanos(self.last_access_time.load(Ordering::Relaxed))
    }

    pub(crate) fn touch(&self, now: OffsetDateTime) {
        self.last_access_time
            .store(to_nanos(now), Ordering::Relaxed);
    }

    /// True if the cookie is sent only to the exact host that set it.
    pub fn host_only(&self) -> bool {
        self.host_only
    }

    /// True if the cookie is sent only over secure channels (`Secure`).
    pub fn secure_only(&self) -> bool {
        self.secure_only
    }

    /// True if the cookie is hidden from non-HTTP APIs (`HttpOnly`).
    pub fn http_only(&self) -> bool {
        self.http_only
    }

    /// The `SameSite` attribute; `None` is RFC 6265bis's "Default".
    pub fn same_site(&self) -> Option<SameSite> {
        self.same_site
    }

    /// The CHIPS `Partitioned` attribute, kept as sent.
    pub fn partitioned(&self) -> bool {
        self.partitioned
    }

    /// The top-level site (`https://example.com`) a `Partitioned` cookie
    /// was set under and is sent under only (CHIPS); `None` if it is not
    /// partitioned, or the profile keeps `Partitioned` without acting on it.
    /// Set from [`RequestContext::top_level`](crate::RequestContext::top_level),
    /// or the site of the request that set it.
    pub fn partition_key(&self) -> Option<&str> {
        self.partition_key.as_deref().map(|k| &**k)
    }

    /// The RFC 2109 `Version` attribute the cookie was set with (section
    /// 4.2.2), 0 if it had none; `Profile::Rfc2109` sends it as `$Version`.
    /// Only that profile records it: 0 for cookies set under the others,
    /// and for cookies loaded from a file that does not hold it.
    pub fn version(&self) -> u32 {
        self.rfc2109.version
    }

    /// Under `Profile::Rfc2109`, true if the `Set-Cookie` had a `Path`
    /// attribute (false when the path is the default path); that profile
    /// sends `$Path` only then (RFC 2109 section 4.3.4). True for cookies
    /// set under the other profiles and for cookies loaded from a file that
    /// does not hold it: the path is known.
    pub fn path_specified(&self) -> bool {
        self.rfc2109.path_specified
    }

    /// True if the cookie has expired at `now` (expiry-time not after it).
    pub fn is_expired_at(&self, now: OffsetDateTime) -> bool {
        self.expired_at(utc(now))
    }

    /// [`Cookie::is_expired_at`] for a time already in UTC.
    pub(crate) fn expired_at(&self, now: UtcDateTime) -> bool {
        self.expiry_time.is_some_and(|t| t <= now)
    }
}

/// A cookie on its way into the jar: every field of [`Cookie`] but the
/// four strings, which are still borrowed from the header and the request.
/// A replacement (the common store of a long session) has the name, domain
/// and path of the cookie it replaces and takes its strings, so that it
/// allocates only a changed value: four allocations and four frees fewer
/// for a replacement with the same value.
pub(crate) struct NewCookie<'a> {
    /// The other fields; its strings are empty (an empty `Box<str>`
    /// allocates nothing).
    pub(crate) fields: Cookie,
    pub(crate) name: Cow<'a, str>,
    pub(crate) value: Cow<'a, str>,
    pub(crate) domain: Cow<'a, str>,
    pub(crate) path: Cow<'a, str>,
}

impl NewCookie<'_> {
    pub(crate) fn into_cookie(self) -> Cookie {
        Cookie {
            name: self.name.into(),
            value: self.value.into(),
            domain: self.domain.into(),
            path: self.path.into(),
            ..self.fields
        }
    }

    /// The cookie that takes the place of `old`, which has the same name,
    /// domain and path (RFC 6265 section 5.3 step 11): `old`'s strings are
    /// moved in, its value too if unchanged, and `old` keeps empty ones.
    pub(crate) fn into_replacement(self, old: &mut Cookie) -> Cookie {
        debug_assert!(
            *old.name == *self.name && *old.domain == *self.domain && *old.path == *self.path
        );
        let value = match *old.value == *self.value {
            true => take(&mut old.value),
            false => self.value.into(),
        };
        Cookie {
            name: take(&mut old.name),
            value,
            domain: take(&mut old.domain),
            path: take(&mut old.path),
            ..self.fields
        }
    }
}

impl From<Cookie> for NewCookie<'static> {
    fn from(mut c: Cookie) -> Self {
        NewCookie {
            name: Cow::Owned(take(&mut c.name).into()),
            value: Cow::Owned(take(&mut c.value).into()),
            domain: Cow::Owned(take(&mut c.domain).into()),
            path: Cow::Owned(take(&mut c.path).into()),
            fields: c,
        }
    }
}

impl Clone for Cookie {
    fn clone(&self) -> Self {
        Cookie {
            name: self.name.clone(),
            value: self.value.clone(),
            domain: self.domain.clone(),
            path: self.path.clone(),
            expiry_time: self.expiry_time,
            creation_time: self.creation_time,
            last_access_time: AtomicI64::new(self.last_access_time.load(Ordering::Relaxed)),
            host_only: self.host_only,
            secure_only: self.secure_only,
            http_only: self.http_only,
            same_site: self.same_site,
            partitioned: self.partitioned,
            partition_key: self.partition_key.clone(),
            priority: self.priority,
            rfc2109: self.rfc2109,
        }
    }
}

/// Equal when every RFC 6265 field is equal, last-access time included,
/// and the RFC 2109 version and path-specified flag.
impl PartialEq for Cookie {
    fn eq(&self, other: &Self) -> bool {
        self.name == other.name
            && self.value == other.value
            && self.domain == other.domain
            && self.path == other.path
            && self.expiry_time == other.expiry_time
            && self.creation_time == other.creation_time
            && self.last_access_time() == other.last_access_time()
            && self.host_only == other.host_only
            && self.secure_only == other.secure_only
            && self.http_only == other.http_only
            && self.same_site == other.same_site
            && self.partitioned == other.partitioned
            && self.partition_key == other.partition_key
            && self.priority == other.priority
            && self.rfc2109 == other.rfc2109
    }
}

impl Eq for Cookie {}

impl fmt::Debug for Cookie {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Cookie")
            .field("name", &self.name)
            .field(
                "value",
                &format_args!("<redacted, {} bytes>", self.value.len()),
            )
            .field("domain", &self.domain)
            .field("path", &self.path)
            .field("expiry_time", &self.expiry_time)
            .field("host_only", &self.host_only)
            .field("secure_only", &self.secure_only)
            .field("http_only", &self.http_only)
            .field("same_site", &self.same_site)
            .field("partition_key", &self.partition_key)
            .field("version", &self.rfc2109.version)
            .field("path_specified", &self.rfc2109.path_specified)
            .finish_non_exhaustive()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use time::macros::datetime;

    #[test]
    fn to_nanos_equals_the_i128_count_and_saturates() {
        let exact = [
            OffsetDateTime::UNIX_EPOCH,
            datetime!(2026-12-02 19:30:00.123456789 UTC),
            datetime!(1969-12-31 23:59:59.5 UTC),
            datetime!(1900-01-01 0:00:00.000000001 +01:00),
            datetime!(2262-04-11 23:47:16.854775807 UTC),
            datetime!(1677-09-21 0:12:43.145224192 UTC),
        ];
        for t in exact {
            assert_eq!(i128::from(to_nanos(t)), t.unix_timestamp_nanos(), "{t}");
            assert_eq!(from_nanos(to_nanos(t)), t, "{t}");
        }
        assert_eq!(
            to_nanos(datetime!(2262-04-11 23:47:16.854775808 UTC)),
            i64::MAX
        );
        assert_eq!(to_nanos(datetime!(9999-12-31 23:59:59 UTC)), i64::MAX);
        assert_eq!(
            to_nanos(datetime!(1677-09-21 0:12:43.145224191 UTC)),
            i64::MIN
        );
        assert_eq!(to_nanos(datetime!(0001-01-01 0:00 UTC)), i64::MIN);
    }

    #[test]
    fn utc_pins_what_has_no_utc_date_to_the_ends() {
        let t = datetime!(2026-01-01 0:30 +01:00);
        assert_eq!(utc(t), datetime!(2025-12-31 23:30 UTC).to_utc());
        let max = time::PrimitiveDateTime::MAX
            .assume_offset(time::UtcOffset::from_hms(-23, 0, 0).unwrap());
        assert_eq!(utc(max), UtcDateTime::MAX);
        let min = time::PrimitiveDateTime::MIN
            .assume_offset(time::UtcOffset::from_hms(23, 0, 0).unwrap());
        assert_eq!(utc(min), UtcDateTime::MIN);
    }
}

//! Firefox's `cookies.sqlite`, table `moz_cookies` (netwerk/cookie in
//! gecko): one row per cookie, `host` with a leading dot for a domain
//! cookie, times in microseconds since the Unix epoch, `expiry` in seconds
//! (milliseconds since schema 16 or so: told apart by size, see
//! [`expiry_time`]). Session cookies are kept in memory only and are not in
//! the file.

use super::sqlite::{self, Field};
use super::SkipReason;
use super::{cookie, from_unix_micros, Decoded, ImportError, Intake, RowId};
use crate::parse::SameSite;
use std::path::Path;
use time::{Duration, OffsetDateTime};

/// The columns read, in this order; those not in `REQUIRED` may be missing
/// in other versions (read as `NULL`).
const COLUMNS: &[&str] = &[
    "name",
    "value",
    "host",
    "path",
    "expiry",
    "lastaccessed",
    "creationtime",
    "issecure",
    "ishttponly",
    "samesite",
    "rawsamesite",
    "originattributes",
    "ispartitionedattributeset",
    "issession",
];
const REQUIRED: &[&str] = &[
    "name",
    "value",
    "host",
    "path",
    "expiry",
    "issecure",
    "ishttponly",
];

/// One `moz_cookies` row, as SQLite returned it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Row(pub(crate) [Field; 14]);

/// Reads every row of `db` into `intake`.
pub(crate) fn read(db: &Path, intake: &mut Intake<'_>) -> Result<(), ImportError> {
    let copy = sqlite::open_copy(db)?;
    let present = sqlite::columns(&copy.connection, "moz_cookies", db)?;
    if present.is_empty() {
        return Err(sqlite::unknown_schema(db, "no table moz_cookies"));
    }
    let query = sqlite::select("moz_cookies", &present, COLUMNS, REQUIRED).map_err(|missing| {
        sqlite::unknown_schema(db, &format!("moz_cookies has no column {missing}"))
    })?;
    sqlite::for_each_row(&copy, db, &query, |fields| {
        let row = Row(fields);
        let id = row_id(&row);
        if intake.wants(&id) {
            let decoded = decode(&row, &id, intake.now());
            intake.take(id, decoded);
        }
    })?;
    Ok(())
}

/// The row's name, host and path, lossily where they are not UTF-8 (the
/// decoder then skips the row).
pub(crate) fn row_id(row: &Row) -> RowId {
    let [name, _, host, path, ..] = &row.0;
    let lossy = |f: &Field| String::from_utf8_lossy(f.bytes()).into_owned();
    RowId {
        name: lossy(name),
        host: lossy(host),
        path: lossy(path),
    }
}

/// One row as a cookie, or why not. `now` stands in for a missing
/// creation or access time.
pub(crate) fn decode(row: &Row, id: &RowId, now: OffsetDateTime) -> Result<Decoded, SkipReason> {
    let [name, value, host, path, expiry, last_accessed, creation, secure, http_only, same_site, raw_same_site, origin, partitioned_attr, is_session] =
        &row.0;
    for (field, column) in [(name, "name"), (host, "host"), (path, "path")] {
        if field.text().is_none() {
            return Err(SkipReason::BadColumn(column));
        }
    }
    let value = value.text().ok_or(SkipReason::BadColumn("value"))?;
    let flag = |f: &Field, column| f.int().map(|i| i != 0).ok_or(SkipReason::BadColumn(column));
    let secure = flag(secure, "isSecure")?;
    let http_only = flag(http_only, "isHttpOnly")?;
    let expiry_time = if is_session.int().is_some_and(|s| s != 0) {
        None
    } else {
        Some(expiry_time(
            expiry.int().ok_or(SkipReason::BadColumn("expiry"))?,
        ))
    };
    let micros = |f: &Field| f.int().map_or(now, from_unix_micros);
    // rawSameSite (older versions) is what the header said; sameSite may
    // be the lax-by-default effective value.
    let same_site = match raw_same_site {
        Field::Null => same_site_of(same_site.int(), secure),
        raw => same_site_of(raw.int(), secure),
    };
    let partition_key = context(&origin.text().unwrap_or_default())?;
    Ok(Decoded {
        cookie: cookie(
            id,
            value,
            expiry_time,
            micros(creation),
            micros(last_accessed),
            secure,
            http_only,
            same_site,
            partitioned_attr.int().is_some_and(|p| p != 0),
        ),
        partition_key,
    })
}

/// `expiry`: seconds since the Unix epoch in older versions, milliseconds
/// in newer ones. Any millisecond value after March 1973 is above 10^11,
/// any second value before the year 5138 below it, and Firefox caps
/// expiry at 400 days ahead: so the size tells the unit.
pub(crate) fn expiry_time(expiry: i64) -> OffsetDateTime {
    const MILLIS_FROM: i64 = 100_000_000_000;
    let millis = if expiry.unsigned_abs() >= MILLIS_FROM as u64 {
        expiry
    } else {
        expiry.saturating_mul(1000)
    };
    OffsetDateTime::UNIX_EPOCH
        .checked_add(Duration::milliseconds(millis))
        .unwrap_or(if millis < 0 {
            OffsetDateTime::UNIX_EPOCH
        } else {
            crate::cookie::LATEST
        })
}

/// `nsICookie::schemeType`-era values: 0 `None`, 1 `Lax`, 2 `Strict`, 256
/// unset. Before 256 existed, 0 meant both "None" and "not given"; a
/// `SameSite=None` cookie must be `Secure`, so an insecure 0 is "not
/// given".
fn same_site_of(value: Option<i64>, secure: bool) -> Option<SameSite> {
    match value {
        Some(0) if secure => Some(SameSite::None),
        Some(1) => Some(SameSite::Lax),
        Some(2) => Some(SameSite::Strict),
        _ => None,
    }
}

/// The partition key of `originAttributes` (`^partitionKey=%28https%2Cexample.org%29`
/// and other `&`-separated pairs), as a top-level site such as
/// `https://example.org`; a skip for a container, a private window or
/// first-party isolation.
pub(crate) fn context(origin_attributes: &str) -> Result<Option<String>, SkipReason> {
    let attributes = origin_attributes
        .strip_prefix('^')
        .unwrap_or(origin_attributes);
    let mut partition = None;
    for pair in attributes.split('&').filter(|p| !p.is_empty()) {
        let (key, value) = pair.split_once('=').unwrap_or((pair, ""));
        let value = percent_decode(value);
        match key {
            "partitionKey" if !value.is_empty() => partition = Some(partition_site(&value)),
            "userContextId" if value != "0" => {
                return Err(SkipReason::OtherContext(format!("container {value}")))
            }
            "privateBrowsingId" if value != "0" => {
                return Err(SkipReason::OtherContext("private window".into()))
            }
            "firstPartyDomain" if !value.is_empty() => {
                return Err(SkipReason::OtherContext("first-party isolation".into()))
            }
            "geckoViewSessionContextId" if !value.is_empty() => {
                return Err(SkipReason::OtherContext("GeckoView session".into()))
            }
            _ => {}
        }
    }
    Ok(partition)
}

/// `(https,example.org)`, `(https,example.org,8443)` or `(https,example.org,f)`
/// as `https://example.org` (a port, if any, kept as `:8443`).
fn partition_site(key: &str) -> String {
    let inner = key.trim_start_matches('(').trim_end_matches(')');
    let mut parts = inner.split(',');
    match (parts.next(), parts.next(), parts.next()) {
        (Some(scheme), Some(host), port) => {
            let port = port
                .filter(|p| !p.is_empty() && p.bytes().all(|b| b.is_ascii_digit()))
                .map(|p| format!(":{p}"))
                .unwrap_or_default();
            format!("{scheme}://{host}{port}")
        }
        _ => inner.to_owned(),
    }
}

fn percent_decode(s: &str) -> String {
    let bytes = s.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while let Some(&b) = bytes.get(i) {
        let hex = bytes
            .get(i + 1..i + 3)
            .and_then(|h| std::str::from_utf8(h).ok())
            .and_then(|h| u8::from_str_radix(h, 16).ok());
        match (b, hex) {
            (b'%', Some(h)) => {
                out.push(h);
                i += 3;
            }
            _ => {
                out.push(b);
                i += 1;
            }
        }
    }
    String::from_utf8_lossy(&out).into_owned()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn origin_attributes() {
        let cases: &[(&str, Result<Option<&str>, ()>)] = &[
            ("", Ok(None)),
            (
                "^partitionKey=%28https%2Cexample.org%29",
                Ok(Some("https://example.org")),
            ),
            (
                "^partitionKey=%28https%2Cexample.org%2Cf%29",
                Ok(Some("https://example.org")),
            ),
            (
                "^partitionKey=%28http%2Clocalhost%2C8080%29",
                Ok(Some("http://localhost:8080")),
            ),
            ("^userContextId=0", Ok(None)),
            ("^userContextId=2", Err(())),
            ("^privateBrowsingId=1", Err(())),
            ("^firstPartyDomain=example.com", Err(())),
            ("^%zz&=&&partitionKey", Ok(None)),
        ];
        for (attributes, want) in cases {
            let got = context(attributes);
            assert_eq!(
                got.as_ref().map(|p| p.as_deref()).map_err(|_| ()),
                *want,
                "{attributes}"
            );
        }
    }

    #[test]
    fn expiry_units() {
        let second = expiry_time(1_827_703_180);
        let milli = expiry_time(1_827_703_180_875);
        assert_eq!(second.unix_timestamp(), 1_827_703_180);
        assert_eq!(milli.unix_timestamp(), 1_827_703_180);
        assert_eq!(milli.millisecond(), 875);
        assert!(expiry_time(i64::MAX) >= crate::cookie::LATEST);
        assert_eq!(expiry_time(i64::MIN), OffsetDateTime::UNIX_EPOCH);
        assert_eq!(expiry_time(0), OffsetDateTime::UNIX_EPOCH);
    }

    #[test]
    fn same_site_values() {
        assert_eq!(same_site_of(Some(256), true), None);
        assert_eq!(same_site_of(Some(0), true), Some(SameSite::None));
        assert_eq!(same_site_of(Some(0), false), None);
        assert_eq!(same_site_of(Some(1), false), Some(SameSite::Lax));
        assert_eq!(same_site_of(Some(2), false), Some(SameSite::Strict));
        assert_eq!(same_site_of(Some(-7), false), None);
        assert_eq!(same_site_of(None, false), None);
    }
}

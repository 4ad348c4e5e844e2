//! Chromium's `Cookies` database on Linux, table `cookies`
//! (net/extras/sqlite/sqlite_persistent_cookie_store.cc): `host_key` with a
//! leading dot for a domain cookie, times in microseconds since 1601-01-01
//! UTC, the value in `value` or, encrypted, in `encrypted_value` (see
//! `crypto.rs`), and the partition's top-level site in
//! `top_frame_site_key`.
//!
//! `source_scheme` and `source_port` (scheme-bound cookies) are not
//! mapped: the jar does not bind cookies to a scheme or port, and neither
//! did the browser here (it sent the cookie set over HTTP to HTTPS too).

use super::crypto::{domain_hash, Key};
use super::sqlite::{self, Field};
use super::SkipReason;
use super::{cookie, from_unix_micros, Decoded, ImportError, ImportErrorKind, Intake, RowId};
use crate::cookie::Priority;
use crate::parse::SameSite;
use std::path::Path;
use time::OffsetDateTime;

/// Microseconds from 1601-01-01 (Windows' epoch, which Chromium's
/// `base::Time` uses) to 1970-01-01.
const MICROS_1601_TO_1970: i64 = 11_644_473_600_000_000;

/// The database version from which a value starts with the SHA-256 of
/// its `host_key`.
const DOMAIN_HASH_VERSION: i64 = 24;

const COLUMNS: &[&str] = &[
    "host_key",
    "name",
    "value",
    "encrypted_value",
    "path",
    "creation_utc",
    "expires_utc",
    "last_access_utc",
    "is_secure",
    "is_httponly",
    "has_expires",
    "is_persistent",
    "samesite",
    "top_frame_site_key",
    "priority",
];
const REQUIRED: &[&str] = &[
    "host_key",
    "name",
    "value",
    "path",
    "creation_utc",
    "expires_utc",
    "is_secure",
    "is_httponly",
];

/// One `cookies` row, as SQLite returned it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Row(pub(crate) [Field; 15]);

/// The keys a profile's values may need.
#[derive(Debug)]
pub(crate) struct Keys {
    v10: Key,
    v11: Option<Key>,
    /// The database's `meta` version.
    version: i64,
}

impl Keys {
    pub(crate) fn new(keyring_secret: Option<&[u8]>, version: i64) -> Keys {
        Keys {
            v10: Key::v10(),
            v11: keyring_secret.map(Key::derive),
            version,
        }
    }
}

/// What happened to the encrypted values, for the verdict after the rows.
#[derive(Debug, Default)]
pub(crate) struct Tally {
    encrypted: usize,
    decrypted: usize,
    v11: usize,
    v11_decrypted: usize,
    needs_secret: usize,
    unsupported: Option<&'static str>,
}

/// Reads every row of `db` into `intake`.
pub(crate) fn read(
    db: &Path,
    keyring_secret: Option<&[u8]>,
    intake: &mut Intake<'_>,
) -> Result<(), ImportError> {
    let copy = sqlite::open_copy(db)?;
    let present = sqlite::columns(&copy.connection, "cookies", db)?;
    if present.is_empty() {
        return Err(sqlite::unknown_schema(db, "no table cookies"));
    }
    let query = sqlite::select("cookies", &present, COLUMNS, REQUIRED).map_err(|missing| {
        sqlite::unknown_schema(db, &format!("cookies has no column {missing}"))
    })?;
    // A database without `meta` is older than every version with hashes.
    let version = copy
        .connection
        .query_row("SELECT value FROM meta WHERE key = 'version'", [], |r| {
            Ok(Field::read(r, 0))
        })
        .ok()
        .and_then(|f| f.int())
        .unwrap_or(0);
    let keys = Keys::new(keyring_secret, version);
    let mut tally = Tally::default();
    sqlite::for_each_row(&copy, db, &query, |fields| {
        let row = Row(fields);
        let id = row_id(&row);
        if intake.wants(&id) {
            let decoded = decode(&row, &id, &keys, &mut tally, intake.now());
            intake.take(id, decoded);
        }
    })?;
    verdict(&tally, keyring_secret.is_some())
}

/// After the rows: an error when the values could not be read at all, so
/// that an unsupported profile fails with a reason instead of importing
/// nothing quietly.
pub(crate) fn verdict(tally: &Tally, secret_given: bool) -> Result<(), ImportError> {
    if tally.needs_secret > 0 {
        return Err(ImportError::new(ImportErrorKind::KeyringSecretNeeded {
            rows: tally.needs_secret,
        }));
    }
    if secret_given && tally.v11 > 0 && tally.v11_decrypted == 0 {
        return Err(ImportError::new(ImportErrorKind::WrongKeyringSecret));
    }
    if tally.encrypted > 0 && tally.decrypted == 0 {
        return Err(ImportError::new(ImportErrorKind::UnsupportedEncryption(
            tally.unsupported.unwrap_or(
                "no value decrypts with Chromium's Linux key: a profile from macOS \
                 (Keychain) or Windows (DPAPI), which this crate does not support",
            ),
        )));
    }
    Ok(())
}

pub(crate) fn row_id(row: &Row) -> RowId {
    let [host, name, _, _, path, ..] = &row.0;
    let lossy = |f: &Field| String::from_utf8_lossy(f.bytes()).into_owned();
    RowId {
        name: lossy(name),
        host: lossy(host),
        path: lossy(path),
    }
}

/// One row as a cookie, or why not.
pub(crate) fn decode(
    row: &Row,
    id: &RowId,
    keys: &Keys,
    tally: &mut Tally,
    now: OffsetDateTime,
) -> Result<Decoded, SkipReason> {
    let [host, name, value, encrypted, path, creation, expires, last_access, secure, http_only, has_expires, persistent, same_site, top_frame_site, priority] =
        &row.0;
    for (field, column) in [(name, "name"), (host, "host_key"), (path, "path")] {
        if field.text().is_none() {
            return Err(SkipReason::BadColumn(column));
        }
    }
    let value = match encrypted.bytes() {
        [] => value.text().ok_or(SkipReason::BadColumn("value"))?,
        blob => decrypt(blob, &id.host, keys, tally)?,
    };
    let flag = |f: &Field, column| f.int().map(|i| i != 0).ok_or(SkipReason::BadColumn(column));
    let secure = flag(secure, "is_secure")?;
    let http_only = flag(http_only, "is_httponly")?;
    let time = |f: &Field| f.int().map(from_1601_micros);
    let expires_utc = expires.int().ok_or(SkipReason::BadColumn("expires_utc"))?;
    let persistent = persistent
        .int()
        .or(has_expires.int())
        .map_or(expires_utc != 0, |p| p != 0);
    let creation_time = time(creation).ok_or(SkipReason::BadColumn("creation_utc"))?;
    let partition_key = top_frame_site.text().filter(|s| !s.is_empty());
    let mut cookie = cookie(
        id,
        value,
        persistent.then(|| from_1601_micros(expires_utc)),
        creation_time,
        time(last_access).unwrap_or(now),
        secure,
        http_only,
        same_site_of(same_site.int(), secure),
        partition_key.is_some(),
    );
    // `net::CookiePriority`: 0 low, 1 medium, 2 high.
    cookie.priority = match priority.int() {
        Some(0) => Priority::Low,
        Some(2) => Priority::High,
        _ => Priority::Medium,
    };
    Ok(Decoded {
        cookie,
        partition_key,
    })
}

/// Microseconds since 1601 (`base::Time::ToDeltaSinceWindowsEpoch`).
pub(crate) fn from_1601_micros(us: i64) -> OffsetDateTime {
    from_unix_micros(us.saturating_sub(MICROS_1601_TO_1970))
}

/// `net::CookieSameSite` as stored: -1 unspecified, 0 no restriction, 1
/// lax, 2 strict. Versions before "unspecified" existed stored 0 for a
/// cookie without the attribute; a `SameSite=None` cookie must be
/// `Secure`, so an insecure 0 is unspecified.
fn same_site_of(value: Option<i64>, secure: bool) -> Option<SameSite> {
    match value {
        Some(0) if secure => Some(SameSite::None),
        Some(1) => Some(SameSite::Lax),
        Some(2) => Some(SameSite::Strict),
        _ => None,
    }
}

/// The DPAPI blob header of Chromium's values on Windows before v10.
const DPAPI_HEADER: &[u8] = &[0x01, 0x00, 0x00, 0x00, 0xd0, 0x8c, 0x9d, 0xdf];

/// The plaintext of an `encrypted_value`, or why not: never bytes that
/// did not decrypt (a wrong key gives valid padding about one time in 256;
/// the domain hash of version 24, or else the UTF-8 check, refuses those).
pub(crate) fn decrypt(
    blob: &[u8],
    host_key: &str,
    keys: &Keys,
    tally: &mut Tally,
) -> Result<String, SkipReason> {
    tally.encrypted += 1;
    let (scheme, ciphertext) = blob.split_at(blob.len().min(3));
    let key = match scheme {
        b"v10" => &keys.v10,
        b"v11" => {
            tally.v11 += 1;
            match &keys.v11 {
                Some(key) => key,
                None => {
                    tally.needs_secret += 1;
                    return Err(SkipReason::NeedsKeyringSecret);
                }
            }
        }
        _ => {
            let what = if scheme == b"v20" {
                "app-bound encryption (v20, Chrome on Windows)"
            } else if blob.starts_with(DPAPI_HEADER) {
                "Windows DPAPI"
            } else {
                "an unknown scheme"
            };
            tally.unsupported = Some(what);
            return Err(SkipReason::UnsupportedEncryption(what));
        }
    };
    let plain = key.decrypt(ciphertext).ok_or(SkipReason::Undecryptable)?;
    let plain = if keys.version >= DOMAIN_HASH_VERSION {
        match plain.split_at_checked(32) {
            Some((hash, rest)) if hash == domain_hash(host_key) => rest.to_vec(),
            _ => return Err(SkipReason::Undecryptable),
        }
    } else {
        plain
    };
    let text = String::from_utf8(plain).map_err(|_| SkipReason::Undecryptable)?;
    tally.decrypted += 1;
    if scheme == b"v11" {
        tally.v11_decrypted += 1;
    }
    Ok(text)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn times_since_1601() {
        assert_eq!(
            from_1601_micros(MICROS_1601_TO_1970),
            OffsetDateTime::UNIX_EPOCH
        );
        // A time the fixture holds: 2026-12-01T23:19:59.418296Z.
        let t = from_1601_micros(13_440_640_799_418_296);
        assert_eq!(t.unix_timestamp(), 1_796_167_199);
        assert_eq!(t.microsecond(), 418_296);
        assert_eq!(from_1601_micros(0).year(), 1601);
        assert!(from_1601_micros(i64::MIN) <= OffsetDateTime::UNIX_EPOCH);
        assert!(from_1601_micros(i64::MAX) > OffsetDateTime::UNIX_EPOCH);
    }

    #[test]
    fn unsupported_schemes_are_named() {
        let keys = Keys::new(None, 24);
        let cases: &[(&[u8], SkipReason)] = &[
            (
                b"v20abcdefghijklmnop",
                SkipReason::UnsupportedEncryption("app-bound encryption (v20, Chrome on Windows)"),
            ),
            (
                &[1, 0, 0, 0, 0xd0, 0x8c, 0x9d, 0xdf, 1],
                SkipReason::UnsupportedEncryption("Windows DPAPI"),
            ),
            (b"x", SkipReason::UnsupportedEncryption("an unknown scheme")),
            (b"v11abcdefghijklmnop", SkipReason::NeedsKeyringSecret),
            (b"v10", SkipReason::Undecryptable),
            (b"v10abcdefghijklmnop", SkipReason::Undecryptable),
        ];
        for (blob, want) in cases {
            let mut tally = Tally::default();
            assert_eq!(
                decrypt(blob, "example.com", &keys, &mut tally).as_ref(),
                Err(want)
            );
        }
    }

    #[test]
    fn verdicts() {
        let ok = Tally {
            encrypted: 2,
            decrypted: 1,
            ..Tally::default()
        };
        assert!(verdict(&ok, false).is_ok());
        assert!(verdict(&Tally::default(), false).is_ok());
        let none = Tally {
            encrypted: 2,
            ..Tally::default()
        };
        assert!(matches!(
            verdict(&none, false),
            Err(e) if matches!(e.kind(), ImportErrorKind::UnsupportedEncryption(_))
        ));
        let wrong = Tally {
            encrypted: 2,
            v11: 2,
            ..Tally::default()
        };
        assert!(matches!(
            verdict(&wrong, true),
            Err(e) if matches!(e.kind(), ImportErrorKind::WrongKeyringSecret)
        ));
    }
}

//! The properties of a browser import, for any rows a cookie database may
//! hold: shared by the fuzz target `import_browser_rows` (which includes
//! this file and `loader_properties.rs`) and `tests/fuzz_regressions.rs`.
//!
//! The bytes become one database: byte 0 picks the browser (bit 0), the
//! Chromium version with domain hashes or one before (bit 1), whether the
//! keyring secret `fuzz` is given (bit 2) and a domain filter (bit 3); the
//! rest is rows separated by `\n`, fields by `\t`, in the order of the
//! real schema's columns (`CHROMIUM`, `FIREFOX`). A field's first byte
//! says what it is: `n` NULL, `i` a decimal integer, `I` eight bytes of
//! one, `b` a blob, `t` text, `e` a `v10` value and `k` a `v11` value encrypting the
//! rest (after the SHA-256 of the row's first field, the host, when the
//! version has them), anything else text, tag included (any bytes, as
//! SQLite allows).
//!
//! For every database: the import never panics; an import that fails
//! leaves the jar as it was; every row is counted once (imported,
//! expired, skipped or filtered out); the jar keeps its invariants and
//! saves and loads back; every imported value is one that a row held in
//! plain text or encrypted with the right key (never bytes a wrong key
//! made); and no value appears in the report or the error.

#![allow(dead_code, clippy::unwrap_used, clippy::indexing_slicing)]

use crate::loader_properties::{check_invariants, round_trip};
use aes::cipher::{block_padding::Pkcs7, BlockModeEncrypt, KeyIvInit};
use cookiejar::import::{Browser, ImportOptions};
use cookiejar::{Format, Jar};
use rusqlite::types::{ToSqlOutput, ValueRef};
use rusqlite::Connection;
use sha2::Digest;
use std::collections::HashSet;
use time::OffsetDateTime;

/// Chromium's columns, the host first (database version 24).
pub(crate) const CHROMIUM: &[&str] = &[
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
    "source_scheme",
];

/// Firefox's columns, the host first (schema 17).
pub(crate) const FIREFOX: &[&str] = &[
    "host",
    "name",
    "value",
    "path",
    "expiry",
    "lastAccessed",
    "creationTime",
    "isSecure",
    "isHttpOnly",
    "sameSite",
    "originAttributes",
    "isPartitionedAttributeSet",
];

const MAX_ROWS: usize = 64;

fn encrypt(password: &[u8], prefix: &[u8], plain: &[u8]) -> Vec<u8> {
    let key = pbkdf2::pbkdf2_hmac_array::<sha1::Sha1, 16>(password, b"saltysalt", 1);
    let mut buf = vec![0u8; plain.len() + 16];
    let ct = cbc::Encryptor::<aes::Aes128>::new(&key.into(), &[b' '; 16].into())
        .encrypt_padded_b2b::<Pkcs7>(plain, &mut buf)
        .unwrap();
    [prefix, ct].concat()
}

/// One field's value, and the plaintext an encrypted one holds.
enum Field {
    Null,
    Int(i64),
    Blob(Vec<u8>),
    Text(Vec<u8>),
}

impl rusqlite::ToSql for Field {
    fn to_sql(&self) -> rusqlite::Result<ToSqlOutput<'_>> {
        Ok(ToSqlOutput::Borrowed(match self {
            Field::Null => ValueRef::Null,
            Field::Int(i) => ValueRef::Integer(*i),
            Field::Blob(b) => ValueRef::Blob(b),
            Field::Text(t) => ValueRef::Text(t),
        }))
    }
}

/// The database the bytes describe, and every value a row holds in a
/// form the import may decrypt or read (the only values it may import).
struct Database {
    _dir: tempfile::TempDir,
    path: std::path::PathBuf,
    rows: usize,
    values: HashSet<Vec<u8>>,
    other_fields: Vec<Vec<u8>>,
}

fn build(data: &[u8]) -> Option<(Browser, bool, bool, Database)> {
    let (&flags, rest) = data.split_first()?;
    let browser = if flags & 1 == 0 {
        Browser::Chromium
    } else {
        Browser::Firefox
    };
    let hashed = flags & 2 == 0;
    let secret = flags & 4 != 0;
    let filter = flags & 8 != 0;
    let shm = std::path::Path::new("/dev/shm");
    let dir = if shm.is_dir() {
        tempfile::tempdir_in(shm).ok()?
    } else {
        tempfile::tempdir().ok()?
    };
    let (file, table, columns) = match browser {
        Browser::Chromium => ("Cookies", "cookies", CHROMIUM),
        _ => ("cookies.sqlite", "moz_cookies", FIREFOX),
    };
    let path = dir.path().join(file);
    let c = Connection::open(&path).ok()?;
    let list = columns.join(", ");
    c.execute_batch(&format!("CREATE TABLE {table}({list});"))
        .ok()?;
    if browser == Browser::Chromium {
        let version = if hashed { 24 } else { 23 };
        c.execute_batch(&format!(
            "CREATE TABLE meta(key TEXT, value TEXT); INSERT INTO meta VALUES ('version', '{version}');"
        ))
        .ok()?;
    }
    let marks = vec!["?"; columns.len()].join(", ");
    let insert = format!("INSERT INTO {table} ({list}) VALUES ({marks})");
    let mut database = Database {
        other_fields: vec![path.to_string_lossy().into_owned().into_bytes()],
        _dir: dir,
        path,
        rows: 0,
        values: HashSet::new(),
    };
    let value_column = columns.iter().position(|c| *c == "value");
    for line in rest.split(|&b| b == b'\n').take(MAX_ROWS) {
        let raw: Vec<&[u8]> = line.split(|&b| b == b'\t').take(columns.len()).collect();
        let host = raw.first().copied().unwrap_or_default();
        let host_text = match host.split_first() {
            Some((b't', rest)) => rest,
            _ => host,
        };
        let hash = sha2::Sha256::digest(host_text);
        let mut fields = Vec::new();
        for (i, f) in raw.iter().enumerate() {
            let (tag, body) = f.split_first().map_or((b'n', &[][..]), |(t, b)| (*t, b));
            let is_value = Some(i) == value_column || columns[i] == "encrypted_value";
            let field = match tag {
                b'n' => Field::Null,
                b'i' => Field::Int(
                    std::str::from_utf8(body)
                        .ok()
                        .and_then(|s| s.parse().ok())
                        .unwrap_or(0),
                ),
                b'I' => {
                    let mut b = [0u8; 8];
                    for (d, s) in b.iter_mut().zip(body) {
                        *d = *s;
                    }
                    Field::Int(i64::from_le_bytes(b))
                }
                b'b' => Field::Blob(body.to_vec()),
                b't' => Field::Text(body.to_vec()),
                b'e' | b'k' => {
                    let (password, prefix): (&[u8], &[u8]) = if tag == b'e' {
                        (b"peanuts", b"v10")
                    } else {
                        (b"fuzz", b"v11")
                    };
                    let plain = if hashed {
                        [hash.as_slice(), body].concat()
                    } else {
                        body.to_vec()
                    };
                    if tag == b'e' || secret {
                        database.values.insert(body.to_vec());
                    }
                    Field::Blob(encrypt(password, prefix, &plain))
                }
                _ => Field::Text(f.to_vec()),
            };
            if let (Field::Int(n), true) = (&field, Some(i) == value_column) {
                database.values.insert(n.to_string().into_bytes());
            }
            if let Field::Text(t) | Field::Blob(t) = &field {
                if Some(i) == value_column {
                    database.values.insert(t.clone());
                } else if !is_value {
                    database.other_fields.push(t.clone());
                }
            }
            fields.push(field);
        }
        while fields.len() < columns.len() {
            fields.push(Field::Null);
        }
        if c.execute(&insert, rusqlite::params_from_iter(fields.iter()))
            .is_ok()
        {
            database.rows += 1;
        }
    }
    drop(c);
    Some((browser, secret, filter, database))
}

/// All the properties, for the database the bytes describe; the report
/// of an import that succeeded.
pub(crate) fn check_import(data: &[u8]) -> Option<cookiejar::import::ImportReport> {
    let (browser, secret, filter, db) = build(data)?;
    let now = OffsetDateTime::UNIX_EPOCH + time::Duration::days(20_000);
    let mut options = ImportOptions::new().profile(&db.path);
    if secret {
        options = options.keyring_secret("fuzz");
    }
    if filter {
        options = options.domain("example.com");
    }
    let mut jar = Jar::new();
    let keep = url::Url::parse("https://keep.example/").unwrap();
    jar.set_cookie_at(&keep, "keep=1", now).unwrap();
    // A value is said nowhere: long enough not to be a word of a message,
    // and not also a name, host or path of some row. Reports show bytes
    // that are not UTF-8 as U+FFFD, so values and other fields are compared
    // as shown: two different invalid byte runs look the same there (the
    // first finding of this target, testdata/fuzz/import_browser_rows-b5f85a69,
    // was a value of invalid bytes matching a host's invalid bytes so).
    let shown = |bytes: &[u8]| String::from_utf8_lossy(bytes).into_owned();
    let other_fields: Vec<String> = db.other_fields.iter().map(|f| shown(f)).collect();
    let secret_values: Vec<String> = db
        .values
        .iter()
        .map(|v| shown(v))
        .filter(|v| v.len() >= 12 && !other_fields.iter().any(|f| f.contains(v.as_str())))
        .collect();
    let report = match jar.import_browser_at(browser, &options, now) {
        Err(e) => {
            assert_eq!(jar.len(), 1, "a failed import changes nothing");
            assert_eq!(jar.cookie_header_at(&keep, now).as_deref(), Some("keep=1"));
            let text = format!("{e} {e:?}");
            for v in &secret_values {
                assert!(!text.contains(v.as_str()), "a value in the error");
            }
            return None;
        }
        Ok(report) => report,
    };
    assert_eq!(report.rows, db.rows, "every row read");
    let counted: usize = report
        .sites
        .values()
        .map(|s| s.imported + s.skipped + s.expired)
        .sum();
    assert_eq!(
        counted + report.filtered_out,
        report.rows,
        "every row counted once"
    );
    assert!(report.skipped.len() <= report.skipped_count);
    assert!(report.skipped.len() <= cookiejar::import::ImportReport::MAX_REPORTED);
    assert!(jar.len() <= report.imported, "no cookie from nowhere");
    for c in jar.iter() {
        assert!(
            db.values.contains(c.value().as_bytes()),
            "an imported value that no row held: decrypted with a wrong key"
        );
    }
    let text = format!("{report:?}");
    for v in &secret_values {
        assert!(!text.contains(v.as_str()), "a value in the report");
    }
    check_invariants(&jar, now);
    round_trip(&jar, Format::Json, now);
    round_trip(&jar, Format::Netscape, now);
    Some(report)
}

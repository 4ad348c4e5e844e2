//! Browser imports that go wrong: a locked database, a missing profile, a
//! database from a newer browser, values that do not decrypt, rows the
//! jar refuses. Each is a clear error or a reported skip, never a panic,
//! and no value appears in either.
//!
//! The databases are copies of the real browsers' (testdata/browsers/),
//! changed with SQL.

#![cfg(feature = "browser")]
#![allow(clippy::unwrap_used, clippy::indexing_slicing)] // test code

use aes::cipher::{block_padding::Pkcs7, BlockModeEncrypt, KeyIvInit};
use cookiejar::import::{
    find_profile, Browser, ImportErrorKind, ImportOptions, ImportReport, SkipReason,
};
use cookiejar::{Jar, Rejection};
use rusqlite::Connection;
use std::path::{Path, PathBuf};
use time::OffsetDateTime;

fn fixture(browser: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("testdata/browsers")
        .join(browser)
}

/// The fixtures' time: their cookies are all alive.
fn now() -> OffsetDateTime {
    OffsetDateTime::from_unix_timestamp(1_796_167_200).unwrap()
}

/// A copy of a fixture's database files in a new directory.
fn copy_fixture(browser: &str, db: &str) -> (tempfile::TempDir, PathBuf) {
    let dir = tempfile::tempdir().unwrap();
    for suffix in ["", "-wal", "-journal"] {
        let from = fixture(browser).join(format!("{db}{suffix}"));
        if from.exists() {
            std::fs::copy(&from, dir.path().join(format!("{db}{suffix}"))).unwrap();
        }
    }
    let path = dir.path().join(db);
    (dir, path)
}

fn import(
    browser: Browser,
    profile: &Path,
) -> Result<ImportReport, cookiejar::import::ImportError> {
    Jar::new().import_browser_at(browser, &ImportOptions::new().profile(profile), now())
}

fn reasons(report: &ImportReport) -> Vec<(String, SkipReason)> {
    let mut all: Vec<_> = report
        .skipped
        .iter()
        .map(|s| (s.name.clone(), s.reason.clone()))
        .collect();
    all.sort_by(|a, b| a.0.cmp(&b.0));
    all
}

/// No value of the fixtures (`h1`, `pt15`, ...) nor `secret` in any text.
fn assert_no_values(text: &str) {
    for value in [
        "h1", "d2", "s3", "o4", "ss5", "sl6", "sn7", "se8", "p9", "hp10", "secret",
    ] {
        assert!(
            !text
                .split(|c: char| !c.is_alphanumeric())
                .any(|w| w == value),
            "{value} in {text}"
        );
    }
}

#[test]
fn a_database_locked_by_a_running_browser_is_read_from_a_copy() {
    let (_dir, db) = copy_fixture("chromium", "Cookies");
    // As Chromium holds it: exclusive locking mode, inside a transaction.
    let browser = Connection::open(&db).unwrap();
    browser
        .execute_batch(
            "PRAGMA locking_mode = EXCLUSIVE; BEGIN EXCLUSIVE; UPDATE meta SET value = value;",
        )
        .unwrap();
    let report = import(Browser::Chromium, &db).unwrap();
    assert_eq!(report.imported, 15);
    drop(browser);

    // Firefox: WAL mode, the rows only in the WAL, a write in progress.
    let (_dir, db) = copy_fixture("firefox", "cookies.sqlite");
    let browser = Connection::open(&db).unwrap();
    browser
        .execute_batch("BEGIN IMMEDIATE; DELETE FROM moz_cookies;")
        .unwrap();
    let report = import(Browser::Firefox, &db).unwrap();
    assert_eq!(report.imported, 14, "the uncommitted delete is not seen");
}

#[test]
fn firefoxs_rows_are_in_the_wal() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("cookies.sqlite");
    std::fs::copy(fixture("firefox").join("cookies.sqlite"), &db).unwrap();
    // Without its -wal the database Firefox left has no rows yet: the
    // import must copy the WAL too, as it does.
    assert_eq!(import(Browser::Firefox, &db).unwrap().rows, 0);
    std::fs::copy(
        fixture("firefox").join("cookies.sqlite-wal"),
        dir.path().join("cookies.sqlite-wal"),
    )
    .unwrap();
    assert_eq!(import(Browser::Firefox, &db).unwrap().rows, 14);
    // The browser's files are untouched: the WAL was replayed on the copy.
    assert!(dir.path().join("cookies.sqlite-wal").exists());
}

#[test]
fn missing_profiles_and_databases_are_clear_errors() {
    let empty = tempfile::tempdir().unwrap();
    for browser in [Browser::Firefox, Browser::Chromium] {
        let err = import(browser, empty.path()).unwrap_err();
        assert!(
            matches!(err.kind(), ImportErrorKind::NoDatabase { .. }),
            "{err:?}"
        );
        assert!(err.to_string().contains("no cookie database"), "{err}");
        let err = import(browser, &empty.path().join("nope")).unwrap_err();
        assert!(
            matches!(err.kind(), ImportErrorKind::NoDatabase { .. }),
            "{err:?}"
        );
        let err = find_profile(browser, empty.path()).unwrap_err();
        assert!(
            matches!(err.kind(), ImportErrorKind::NoProfile { .. }),
            "{err:?}"
        );
    }
    let not_a_db = empty.path().join("Cookies");
    std::fs::write(&not_a_db, "name=value; this is not SQLite\n".repeat(100)).unwrap();
    let err = import(Browser::Chromium, &not_a_db).unwrap_err();
    assert!(
        matches!(err.kind(), ImportErrorKind::Database { .. }),
        "{err:?}"
    );
    assert!(!err.to_string().contains("name=value"), "{err}");
}

#[test]
fn the_default_firefox_profile_comes_from_profiles_ini() {
    let home = tempfile::tempdir().unwrap();
    let root = home.path().join(".mozilla/firefox");
    let profile = root.join("abcd1234.default-release");
    std::fs::create_dir_all(&profile).unwrap();
    for f in ["cookies.sqlite", "cookies.sqlite-wal"] {
        std::fs::copy(fixture("firefox").join(f), profile.join(f)).unwrap();
    }
    std::fs::write(
        root.join("profiles.ini"),
        "[Install4F96D1932A9F858E]\nDefault=abcd1234.default-release\nLocked=1\n\n\
         [Profile0]\nName=default-release\nIsRelative=1\nPath=abcd1234.default-release\n\n\
         [General]\nStartWithLastProfile=1\nVersion=2\n",
    )
    .unwrap();
    assert_eq!(
        find_profile(Browser::Firefox, home.path()).unwrap(),
        profile
    );
    let chromium = home.path().join(".config/chromium/Default");
    std::fs::create_dir_all(&chromium).unwrap();
    assert_eq!(
        find_profile(Browser::Chromium, home.path()).unwrap(),
        chromium
    );
    // A profile directory, the database file, or a user data directory.
    assert_eq!(import(Browser::Firefox, &profile).unwrap().imported, 14);
    std::fs::copy(
        fixture("chromium").join("Cookies"),
        chromium.join("Cookies"),
    )
    .unwrap();
    assert_eq!(
        import(Browser::Chromium, &home.path().join(".config/chromium"))
            .unwrap()
            .imported,
        15
    );
}

#[test]
fn a_newer_browsers_extra_columns_are_ignored_and_missing_ones_named() {
    let (_dir, db) = copy_fixture("chromium", "Cookies");
    let c = Connection::open(&db).unwrap();
    c.execute_batch(
        "ALTER TABLE cookies ADD COLUMN future_flag INTEGER NOT NULL DEFAULT 7;
         ALTER TABLE cookies ADD COLUMN future_text TEXT;
         UPDATE meta SET value = '99' WHERE key IN ('version', 'last_compatible_version');",
    )
    .unwrap();
    drop(c);
    assert_eq!(import(Browser::Chromium, &db).unwrap().imported, 15);

    let (_dir, db) = copy_fixture("firefox", "cookies.sqlite");
    let c = Connection::open(&db).unwrap();
    c.execute_batch(
        "ALTER TABLE moz_cookies ADD COLUMN futureThing INTEGER; PRAGMA user_version = 99;",
    )
    .unwrap();
    drop(c);
    assert_eq!(import(Browser::Firefox, &db).unwrap().imported, 14);

    // A format that lost a column the import needs, and one with no table.
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("Cookies");
    let c = Connection::open(&db).unwrap();
    c.execute_batch("CREATE TABLE cookies(host_key TEXT, value TEXT, path TEXT, creation_utc INTEGER, expires_utc INTEGER, is_secure INTEGER, is_httponly INTEGER, cookie_name TEXT);")
        .unwrap();
    drop(c);
    let err = import(Browser::Chromium, &db).unwrap_err();
    assert!(
        matches!(err.kind(), ImportErrorKind::UnknownSchema { .. }),
        "{err:?}"
    );
    assert!(err.to_string().contains("no column name"), "{err}");
    let err = import(Browser::Firefox, &db).unwrap_err();
    assert!(err.to_string().contains("no table moz_cookies"), "{err}");
}

/// `v10` + AES-128-CBC of `plain` under Chromium's fixed Linux key, by
/// RustCrypto's encryptor (the fixture's values came from the browser).
fn v10(plain: &[u8]) -> Vec<u8> {
    let key = pbkdf2::pbkdf2_hmac_array::<sha1::Sha1, 16>(b"peanuts", b"saltysalt", 1);
    let mut buf = vec![0u8; plain.len() + 16];
    let ct = cbc::Encryptor::<aes::Aes128>::new(&key.into(), &[b' '; 16].into())
        .encrypt_padded_b2b::<Pkcs7>(plain, &mut buf)
        .unwrap()
        .to_vec();
    [b"v10".as_slice(), &ct].concat()
}

#[test]
fn chromium_rows_that_cannot_be_used_are_reported() {
    use sha2::Digest;
    let (_dir, db) = copy_fixture("chromium", "Cookies");
    let c = Connection::open(&db).unwrap();
    let set_blob = |name: &str, blob: &[u8]| {
        c.execute(
            "UPDATE cookies SET encrypted_value = ?1 WHERE name = ?2",
            rusqlite::params![blob, name],
        )
        .unwrap();
    };
    // Damaged: not whole blocks, and whole blocks of noise.
    set_blob("host_only", b"v10\x01\x02\x03");
    set_blob("domain", &[b"v10".as_slice(), &[0x5a; 48]].concat());
    // Decrypts, but the SHA-256 of another host comes first: moved from
    // another row, never imported as if it were this one's.
    let mut moved = sha2::Sha256::digest(b"other.example").to_vec();
    moved.extend_from_slice(b"secret");
    set_blob("secure", &v10(&moved));
    // Decrypts to bytes that are not UTF-8.
    let mut bad_utf8 = sha2::Sha256::digest(b"www.example.com").to_vec();
    bad_utf8.extend_from_slice(b"\xff\xfe");
    set_blob("http_only", &v10(&bad_utf8));
    // Windows' schemes.
    set_blob("strict", b"v20aaaaaaaaaaaaaaaabbbbbbbbbbbbbbbb");
    set_blob("lax", &[1, 0, 0, 0, 0xd0, 0x8c, 0x9d, 0xdf, 1, 2, 3]);
    // A plain value, and rows the jar refuses as it would in a file.
    c.execute_batch(
        "UPDATE cookies SET encrypted_value = x'', value = 'plain' WHERE name = 'none';
         UPDATE cookies SET host_key = '.com', encrypted_value = x'', value = 'v'
             WHERE name = 'expires';
         UPDATE cookies SET host_key = '.example.com', encrypted_value = x'', value = 'v'
             WHERE name = '__Host-host';
         UPDATE cookies SET host_key = 'elsewhere.example' WHERE name = 'scoped';
         UPDATE cookies SET is_secure = 'yes' WHERE name = 'insecure';",
    )
    .unwrap();
    drop(c);
    let mut jar = Jar::new();
    let report = jar
        .import_browser_at(Browser::Chromium, &ImportOptions::new().profile(&db), now())
        .unwrap();
    let undecryptable = SkipReason::Undecryptable;
    assert_eq!(
        reasons(&report),
        [
            (
                "__Host-host".to_owned(),
                SkipReason::Rejected(Rejection::HostPrefix)
            ),
            ("domain".to_owned(), undecryptable.clone()),
            ("host_only".to_owned(), undecryptable.clone()),
            ("http_only".to_owned(), undecryptable.clone()),
            ("insecure".to_owned(), SkipReason::BadColumn("is_secure")),
            (
                "lax".to_owned(),
                SkipReason::UnsupportedEncryption("Windows DPAPI")
            ),
            // Its value is bound to the host it was set for.
            ("scoped".to_owned(), undecryptable.clone()),
            ("secure".to_owned(), undecryptable),
            (
                "strict".to_owned(),
                SkipReason::UnsupportedEncryption("app-bound encryption (v20, Chrome on Windows)")
            ),
        ]
    );
    assert_eq!(
        (report.rows, report.imported, report.skipped_count),
        (15, 6, 9)
    );
    assert_eq!(
        jar.iter().find(|c| c.name() == "none").unwrap().value(),
        "plain"
    );
    // A public suffix as the domain: only the suffix itself could have set
    // it (RFC 6265 section 5.3 step 5), so it is that host's alone.
    let suffix = jar.iter().find(|c| c.name() == "expires").unwrap();
    assert_eq!((suffix.domain(), suffix.host_only()), ("com", true));
    assert_no_values(&format!("{report:?}"));
    for s in &report.skipped {
        assert_no_values(&s.reason.to_string());
    }
}

#[test]
fn chromium_profiles_from_other_systems_fail_with_the_reason() {
    for (blob, says) in [
        (b"v20aaaaaaaaaaaaaaaabbbbbbbbbbbbbbbb".to_vec(), "app-bound"),
        (vec![1, 0, 0, 0, 0xd0, 0x8c, 0x9d, 0xdf, 1, 2, 3], "DPAPI"),
        // macOS: v10, but under the Keychain's key.
        ([b"v10".as_slice(), &[0x33; 32]].concat(), "macOS"),
    ] {
        let (_dir, db) = copy_fixture("chromium", "Cookies");
        let c = Connection::open(&db).unwrap();
        c.execute("UPDATE cookies SET encrypted_value = ?1", [&blob])
            .unwrap();
        drop(c);
        let mut jar = Jar::new();
        let err = jar
            .import_browser_at(Browser::Chromium, &ImportOptions::new().profile(&db), now())
            .unwrap_err();
        assert!(
            matches!(err.kind(), ImportErrorKind::UnsupportedEncryption(_)),
            "{err:?}"
        );
        assert!(err.to_string().contains(says), "{err}");
        assert!(jar.is_empty());
    }
}

#[test]
fn firefox_rows_that_cannot_be_used_are_reported() {
    let (_dir, db) = copy_fixture("firefox", "cookies.sqlite");
    let c = Connection::open(&db).unwrap();
    c.execute_batch(
        "UPDATE moz_cookies SET name = x'ff00' WHERE name = 'host_only';
         UPDATE moz_cookies SET isSecure = 'yes' WHERE name = 'secure';
         UPDATE moz_cookies SET originAttributes = '^userContextId=2' WHERE name = 'strict';
         UPDATE moz_cookies SET originAttributes = '^partitionKey=%28https%2Cexample.org%29' WHERE name = 'lax';
         UPDATE moz_cookies SET host = '.co.uk' WHERE name = 'domain';
         UPDATE moz_cookies SET expiry = 9223372036854775807, creationTime = -5, lastAccessed = 'soon' WHERE name = 'expires';
         UPDATE moz_cookies SET value = NULL WHERE name = 'other';",
    )
    .unwrap();
    drop(c);
    let mut jar = Jar::new();
    let report = jar
        .import_browser_at(Browser::Firefox, &ImportOptions::new().profile(&db), now())
        .unwrap();
    assert_eq!(
        reasons(&report),
        [
            (
                "lax".to_owned(),
                SkipReason::Partitioned {
                    top_level_site: "https://example.org".into()
                }
            ),
            ("other".to_owned(), SkipReason::BadColumn("value")),
            ("secure".to_owned(), SkipReason::BadColumn("isSecure")),
            (
                "strict".to_owned(),
                SkipReason::OtherContext("container 2".into())
            ),
            ("\u{fffd}\0".to_owned(), SkipReason::BadColumn("name")),
        ]
    );
    // Odd times are brought within what the jar keeps.
    let odd = jar.iter().find(|c| c.name() == "expires").unwrap();
    assert_eq!(odd.creation_time(), OffsetDateTime::UNIX_EPOCH);
    assert!(odd.expiry_time().unwrap() > now());
    assert_eq!(report.imported, 9);
    let suffix = jar.iter().find(|c| c.name() == "domain").unwrap();
    assert_eq!((suffix.domain(), suffix.host_only()), ("co.uk", true));
    assert_no_values(&format!("{report:?}"));
}

#[test]
fn chromium_priority_is_kept() {
    let (_dir, db) = copy_fixture("chromium", "Cookies");
    let c = Connection::open(&db).unwrap();
    c.execute_batch(
        "UPDATE cookies SET priority = 2 WHERE name = 'host_only';
         UPDATE cookies SET priority = 0 WHERE name = 'domain';",
    )
    .unwrap();
    drop(c);
    let mut jar = Jar::new();
    jar.import_browser_at(Browser::Chromium, &ImportOptions::new().profile(&db), now())
        .unwrap();
    let (json, _) = jar
        .to_text_at(cookiejar::Format::Json, Default::default(), now())
        .unwrap();
    let doc: serde_json::Value = serde_json::from_str(&json).unwrap();
    let priority = |name: &str| {
        doc["cookies"]
            .as_array()
            .unwrap()
            .iter()
            .find(|c| c["name"] == name)
            .map(|c| c["priority"].clone())
            .unwrap()
    };
    assert_eq!(priority("host_only"), "High");
    assert_eq!(priority("domain"), "Low");
    assert_eq!(
        priority("secure"),
        serde_json::Value::Null,
        "Medium is not written"
    );
}

//! Why an import failed, and why a row was skipped. No message quotes a
//! cookie's value, encrypted or not.

use super::Browser;
use crate::jar::Rejection;
use std::fmt;
use std::io;
use std::path::PathBuf;

/// Why a browser profile could not be imported.
pub struct ImportError(Box<ImportErrorKind>);

/// What was wrong.
#[derive(Debug)]
#[non_exhaustive]
pub enum ImportErrorKind {
    /// No profile given and none found where the browser keeps them.
    NoProfile {
        /// The browser.
        browser: Browser,
        /// The places looked in.
        searched: Vec<PathBuf>,
    },
    /// The profile has no cookie database.
    NoDatabase {
        /// The database looked for.
        path: PathBuf,
    },
    /// A file could not be read (or the private copy written).
    Io {
        /// The file.
        path: PathBuf,
        /// The error.
        source: io::Error,
    },
    /// The database is larger than an import copies.
    TooLarge {
        /// The database.
        path: PathBuf,
        /// The limit in bytes.
        limit: u64,
    },
    /// SQLite could not read the database (not a database, damaged).
    Database {
        /// The database.
        path: PathBuf,
        /// SQLite's message.
        message: String,
    },
    /// The cookie table lacks a column the import needs: a browser version
    /// whose format this crate does not know.
    UnknownSchema {
        /// The database.
        path: PathBuf,
        /// What is missing.
        missing: String,
    },
    /// The values are encrypted in a way this crate does not decrypt.
    UnsupportedEncryption(&'static str),
    /// Values are encrypted with the desktop keyring's secret (`v11`) and
    /// none was given.
    KeyringSecretNeeded {
        /// Rows that need it.
        rows: usize,
    },
    /// The keyring secret given decrypts none of the `v11` values.
    WrongKeyringSecret,
    /// The domain filter is not a host name.
    InvalidDomain(String),
}

impl ImportError {
    pub(crate) fn new(kind: ImportErrorKind) -> Self {
        ImportError(Box::new(kind))
    }

    /// What was wrong.
    pub fn kind(&self) -> &ImportErrorKind {
        &self.0
    }
}

impl fmt::Display for ImportError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self.kind() {
            ImportErrorKind::NoProfile { browser, searched } => {
                write!(f, "no {browser} profile found")?;
                if !searched.is_empty() {
                    f.write_str(" (looked in")?;
                    for (i, p) in searched.iter().enumerate() {
                        let sep = if i == 0 { " " } else { ", " };
                        write!(f, "{sep}{}", p.display())?;
                    }
                    f.write_str(")")?;
                }
                f.write_str("; name one with --profile DIR")
            }
            ImportErrorKind::NoDatabase { path } => {
                write!(f, "no cookie database at {}", path.display())
            }
            ImportErrorKind::Io { path, source } => {
                write!(f, "cannot read {}: {source}", path.display())
            }
            ImportErrorKind::TooLarge { path, limit } => write!(
                f,
                "{} is larger than the import limit of {limit} bytes",
                path.display()
            ),
            ImportErrorKind::Database { path, message } => {
                write!(f, "cannot read the database {}: {message}", path.display())
            }
            ImportErrorKind::UnknownSchema { path, missing } => write!(
                f,
                "{} is not a cookie database this version knows: {missing}",
                path.display()
            ),
            ImportErrorKind::UnsupportedEncryption(what) => {
                write!(f, "the cookie values cannot be decrypted: {what}")
            }
            ImportErrorKind::KeyringSecretNeeded { rows } => write!(
                f,
                "{rows} cookie values are encrypted with the desktop keyring's secret (v11); \
                 pass it with --key-file FILE (for example from \
                 `secret-tool lookup application chromium`)"
            ),
            ImportErrorKind::WrongKeyringSecret => {
                f.write_str("the keyring secret given decrypts none of the v11 cookie values")
            }
            ImportErrorKind::InvalidDomain(d) => write!(f, "not a domain name: {d:?}"),
        }
    }
}

impl fmt::Debug for ImportError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        fmt::Debug::fmt(self.kind(), f)
    }
}

impl std::error::Error for ImportError {
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        match self.kind() {
            ImportErrorKind::Io { source, .. } => Some(source),
            _ => None,
        }
    }
}

/// A browser row that was not imported.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub struct SkippedCookie {
    /// The cookie's name (as stored, possibly not valid in a header).
    pub name: String,
    /// The host column as the browser stores it (a leading dot for a
    /// domain cookie).
    pub domain: String,
    /// The path column.
    pub path: String,
    /// Why.
    pub reason: SkipReason,
}

/// Why a row was skipped.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub enum SkipReason {
    /// The jar refuses the cookie, as it would refuse it in a jar file.
    Rejected(Rejection),
    /// A cookie the browser partitioned by its own rule (Firefox's Total
    /// Cookie Protection keys every third-party cookie by its top-level
    /// site) without the CHIPS `Partitioned` attribute: the jar partitions
    /// only `Partitioned` cookies, and as an unpartitioned one it would be
    /// sent outside its partition. (`Partitioned` cookies are imported with
    /// their partition key.)
    Partitioned {
        /// The top-level site it belongs to, such as `https://example.org`.
        top_level_site: String,
    },
    /// A Firefox cookie of a container, a private window or first-party
    /// isolation (`originAttributes`): a jar has one context.
    OtherContext(String),
    /// A column is missing, not a number, or not UTF-8 where text is
    /// needed.
    BadColumn(&'static str),
    /// The value does not decrypt with the key (a damaged value, or one
    /// from another machine).
    Undecryptable,
    /// The value is encrypted with the keyring's secret (`v11`), which was
    /// not given.
    NeedsKeyringSecret,
    /// Encrypted in a way this crate does not decrypt.
    UnsupportedEncryption(&'static str),
}

impl SkipReason {
    /// A stable `snake_case` code: the [`Rejection::code`] of a refusal,
    /// else the reason's own.
    pub fn code(&self) -> &'static str {
        match self {
            SkipReason::Rejected(r) => r.code(),
            SkipReason::Partitioned { .. } => "partitioned",
            SkipReason::OtherContext(_) => "other_context",
            SkipReason::BadColumn(_) => "bad_column",
            SkipReason::Undecryptable => "undecryptable",
            SkipReason::NeedsKeyringSecret => "needs_keyring_secret",
            SkipReason::UnsupportedEncryption(_) => "unsupported_encryption",
        }
    }
}

impl fmt::Display for SkipReason {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            SkipReason::Rejected(r) => write!(f, "refused by the jar: {r}"),
            SkipReason::Partitioned { top_level_site } => write!(
                f,
                "partitioned under {top_level_site} by the browser without the Partitioned attribute, which the jar cannot keep apart"
            ),
            SkipReason::OtherContext(what) => write!(f, "in another browsing context ({what})"),
            SkipReason::BadColumn(c) => write!(f, "column {c} is missing or invalid"),
            SkipReason::Undecryptable => f.write_str("the value does not decrypt"),
            SkipReason::NeedsKeyringSecret => {
                f.write_str("encrypted with the keyring's secret (v11), not given")
            }
            SkipReason::UnsupportedEncryption(what) => {
                write!(f, "encrypted in an unsupported way: {what}")
            }
        }
    }
}

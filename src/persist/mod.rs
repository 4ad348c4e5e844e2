//! Saving and loading the jar: a versioned JSON file (feature `json`) and
//! Netscape `cookies.txt`, written atomically and privately, read with
//! errors that say where and what, and never losing what the jar holds.
//!
//! Each format module turns text into cookies and cookies into text; this
//! module owns the file handling and the load policy (replace or merge,
//! strict or lenient, expired cookies dropped).

#[cfg(feature = "json")]
pub(crate) mod json;
pub(crate) mod netscape;

use crate::cookie::Cookie;
use crate::jar::{Jar, Rejection, Stored};
use std::fmt;
use std::fs::{self, OpenOptions};
use std::io::{self, Write};
use std::path::Path;
use std::sync::atomic::{AtomicU64, Ordering};
use time::OffsetDateTime;

/// A jar file format.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum Format {
    /// `{"version": 1, "cookies": [...]}`: lossless (feature `json`).
    Json,
    /// Netscape `cookies.txt`, as curl, wget and browser extensions write
    /// it. It cannot hold creation or last-access times, `SameSite` or
    /// `Partitioned`.
    Netscape,
}

impl Format {
    /// Guesses the format of a file's text: JSON starts with `{`.
    pub fn detect(text: &str) -> Format {
        if text
            .trim_start_matches('\u{feff}')
            .trim_start()
            .starts_with('{')
        {
            Format::Json
        } else {
            Format::Netscape
        }
    }
}

/// What to save.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct SaveOptions {
    /// Also save session cookies (no expiry). Off by default: a session
    /// cookie is meant to end with the session, and privacy often requires
    /// it; scripted logins often need it, so it is one switch away.
    pub include_session_cookies: bool,
}

/// What a save wrote.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct SaveReport {
    /// Cookies written.
    pub written: usize,
    /// Session cookies left out (see [`SaveOptions`]).
    pub session_skipped: usize,
    /// Expired cookies left out.
    pub expired_skipped: usize,
    /// Cookies the format cannot represent (a TAB in a `cookies.txt` field).
    pub unrepresentable: usize,
}

/// How to load.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct LoadOptions {
    /// Merge into the jar (the cookie created later wins) instead of
    /// replacing its contents.
    pub merge: bool,
    /// Load the good entries and report each bad one, instead of failing
    /// on the first and changing nothing.
    pub lenient: bool,
}

/// What a load did.
#[derive(Debug, Default)]
pub struct LoadReport {
    /// Cookies stored (new or replacing an older one).
    pub loaded: usize,
    /// Entries older than a cookie the jar already held (merge only).
    pub kept_newer: usize,
    /// Entries already expired, dropped.
    pub expired: usize,
    /// Cookies evicted to stay within the jar's limits.
    pub evicted: usize,
    /// In lenient mode, every entry that was skipped, and why.
    pub skipped: Vec<LoadError>,
}

/// Why a jar file could not be loaded, and where.
#[derive(Debug)]
pub struct LoadError(Box<LoadErrorInner>);

#[derive(Debug)]
struct LoadErrorInner {
    kind: LoadErrorKind,
    location: Option<Location>,
}

/// Where in the file a [`LoadError`] is.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Location {
    /// A 1-based line number (`cookies.txt`, JSON syntax errors).
    Line(usize),
    /// A JSON path such as `cookies[3].expires`.
    JsonPath(String),
}

impl fmt::Display for Location {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Location::Line(n) => write!(f, "line {n}"),
            Location::JsonPath(p) => f.write_str(p),
        }
    }
}

/// What was wrong.
#[derive(Debug)]
#[non_exhaustive]
pub enum LoadErrorKind {
    /// Reading the file failed.
    Io(io::Error),
    /// The text is not valid JSON.
    Syntax(String),
    /// The JSON file has no `version`, or one this crate does not know.
    UnsupportedVersion(Option<u64>),
    /// A field is missing or has the wrong type or value.
    InvalidField(String),
    /// A `cookies.txt` line does not have 7 TAB-separated fields.
    FieldCount(usize),
    /// The entry is well-formed but the jar refuses the cookie.
    Rejected(Rejection),
}

impl LoadError {
    pub(crate) fn new(kind: LoadErrorKind, location: Option<Location>) -> Self {
        LoadError(Box::new(LoadErrorInner { kind, location }))
    }

    /// What was wrong.
    pub fn kind(&self) -> &LoadErrorKind {
        &self.0.kind
    }

    /// Where, if known.
    pub fn location(&self) -> Option<&Location> {
        self.0.location.as_ref()
    }
}

impl fmt::Display for LoadError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if let Some(location) = &self.0.location {
            write!(f, "{location}: ")?;
        }
        match &self.0.kind {
            LoadErrorKind::Io(e) => write!(f, "cannot read the jar file: {e}"),
            LoadErrorKind::Syntax(e) => write!(f, "not valid JSON: {e}"),
            LoadErrorKind::UnsupportedVersion(Some(v)) => {
                write!(
                    f,
                    "jar file version {v} is not supported (this version reads version 1)"
                )
            }
            LoadErrorKind::UnsupportedVersion(None) => {
                f.write_str("not a cookiejar file: no \"version\"")
            }
            LoadErrorKind::InvalidField(e) => f.write_str(e),
            LoadErrorKind::FieldCount(n) => write!(f, "expected 7 TAB-separated fields, found {n}"),
            LoadErrorKind::Rejected(r) => write!(f, "cookie refused: {r}"),
        }
    }
}

impl std::error::Error for LoadError {
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        match &self.0.kind {
            LoadErrorKind::Io(e) => Some(e),
            LoadErrorKind::Rejected(r) => Some(r),
            _ => None,
        }
    }
}

/// One entry read from a file: a cookie, or why the entry is bad.
pub(crate) type Entry = Result<(Cookie, Option<Location>), LoadError>;

impl Jar {
    /// The jar as text in `format`, with the cookies that are to be saved
    /// at `now`.
    pub fn to_text_at(
        &self,
        format: Format,
        options: SaveOptions,
        now: OffsetDateTime,
    ) -> (String, SaveReport) {
        let mut report = SaveReport::default();
        // Creation order, so that a reload keeps the order of cookies
        // created in the same instant (RFC 6265 section 5.4 step 2).
        let cookies: Vec<&Cookie> = self
            .iter_in_creation_order()
            .into_iter()
            .filter(|c| {
                if c.is_expired_at(now) {
                    report.expired_skipped += 1;
                    false
                } else if !c.persistent() && !options.include_session_cookies {
                    report.session_skipped += 1;
                    false
                } else {
                    true
                }
            })
            .collect();
        let text = match format {
            #[cfg(feature = "json")]
            Format::Json => json::write(&cookies, &mut report),
            #[cfg(not(feature = "json"))]
            Format::Json => String::new(),
            Format::Netscape => netscape::write(&cookies, &mut report),
        };
        (text, report)
    }

    /// Saves the jar to `path` atomically: the text goes to a new private
    /// file (mode 0600 on Unix) in the same directory, is flushed to disk,
    /// and is renamed over the old file. A failed save leaves the old file
    /// as it was; two processes saving at once each rename a complete file,
    /// so the file is never torn.
    ///
    /// # Errors
    ///
    /// The I/O error; the old file is then untouched.
    pub fn save_at(
        &self,
        path: impl AsRef<Path>,
        format: Format,
        options: SaveOptions,
        now: OffsetDateTime,
    ) -> io::Result<SaveReport> {
        if format == Format::Json && cfg!(not(feature = "json")) {
            return Err(io::Error::new(
                io::ErrorKind::Unsupported,
                "the json feature is off",
            ));
        }
        let (text, report) = self.to_text_at(format, options, now);
        write_atomically(path.as_ref(), text.as_bytes())?;
        Ok(report)
    }

    /// [`Jar::save_at`] at the system clock's time.
    ///
    /// # Errors
    ///
    /// As [`Jar::save_at`].
    pub fn save(
        &self,
        path: impl AsRef<Path>,
        format: Format,
        options: SaveOptions,
    ) -> io::Result<SaveReport> {
        self.save_at(path, format, options, OffsetDateTime::now_utc())
    }

    /// Loads a jar file (format detected from its text) at `now`.
    ///
    /// # Errors
    ///
    /// A [`LoadError`] with its location. In strict mode (the default) the
    /// jar is unchanged after an error.
    pub fn load_at(
        &mut self,
        path: impl AsRef<Path>,
        options: LoadOptions,
        now: OffsetDateTime,
    ) -> Result<LoadReport, LoadError> {
        let text =
            fs::read_to_string(path).map_err(|e| LoadError::new(LoadErrorKind::Io(e), None))?;
        self.load_text_at(&text, Format::detect(&text), options, now)
    }

    /// [`Jar::load_at`] at the system clock's time.
    ///
    /// # Errors
    ///
    /// As [`Jar::load_at`].
    pub fn load(
        &mut self,
        path: impl AsRef<Path>,
        options: LoadOptions,
    ) -> Result<LoadReport, LoadError> {
        self.load_at(path, options, OffsetDateTime::now_utc())
    }

    /// Loads jar text in a known format at `now`.
    ///
    /// # Errors
    ///
    /// As [`Jar::load_at`].
    pub fn load_text_at(
        &mut self,
        text: &str,
        format: Format,
        options: LoadOptions,
        now: OffsetDateTime,
    ) -> Result<LoadReport, LoadError> {
        let entries: Vec<Entry> = match format {
            #[cfg(feature = "json")]
            Format::Json => json::read(text, now)?,
            #[cfg(not(feature = "json"))]
            Format::Json => {
                return Err(LoadError::new(
                    LoadErrorKind::InvalidField("the json feature is off".into()),
                    None,
                ))
            }
            Format::Netscape => netscape::read(text, now),
        };
        let mut report = LoadReport::default();
        let mut cookies = Vec::with_capacity(entries.len());
        for entry in entries {
            match entry {
                Ok(cookie) => cookies.push(cookie),
                Err(e) if options.lenient => report.skipped.push(e),
                Err(e) => return Err(e),
            }
        }
        // Check every cookie before changing anything, so that a strict
        // load that fails leaves this jar exactly as it was.
        let mut accepted = Vec::with_capacity(cookies.len());
        for (cookie, location) in cookies {
            match self.check_loaded_cookie(&cookie) {
                Ok(()) => accepted.push(cookie),
                Err(r) if options.lenient => report
                    .skipped
                    .push(LoadError::new(LoadErrorKind::Rejected(r), location)),
                Err(r) => return Err(LoadError::new(LoadErrorKind::Rejected(r), location)),
            }
        }
        if !options.merge {
            self.clear();
        }
        // Creation sequence numbers follow the file's order (which is
        // creation order); insertion goes least recently used first, so
        // that recency survives the trip too.
        let first_seq = self.reserve_creation_seqs(accepted.len());
        let mut numbered: Vec<(u64, Cookie)> = (first_seq..).zip(accepted).collect();
        numbered.sort_by_key(|(_, c)| c.last_access_time());
        for (seq, cookie) in numbered {
            match self.insert_loaded(cookie, Some(seq), now) {
                Ok(Stored::Inserted { evicted } | Stored::Replaced { evicted }) => {
                    report.loaded += 1;
                    report.evicted += evicted;
                }
                Ok(Stored::KeptNewer) => report.kept_newer += 1,
                Ok(_) => report.expired += 1,
                Err(_) => report.evicted += 1,
            }
        }
        Ok(report)
    }
}

/// Writes `contents` to `path` through a private temporary file in the
/// same directory and an atomic rename.
fn write_atomically(path: &Path, contents: &[u8]) -> io::Result<()> {
    static COUNTER: AtomicU64 = AtomicU64::new(0);
    let name = path.file_name().ok_or_else(|| {
        io::Error::new(io::ErrorKind::InvalidInput, "the jar path has no file name")
    })?;
    let dir = match path.parent() {
        Some(dir) if !dir.as_os_str().is_empty() => dir,
        _ => Path::new("."),
    };
    let unique = format!(
        ".{}.{}.{}.tmp",
        name.to_string_lossy(),
        std::process::id(),
        COUNTER.fetch_add(1, Ordering::Relaxed)
    );
    let temp = dir.join(unique);
    let mut options = OpenOptions::new();
    options.write(true).create_new(true);
    #[cfg(unix)]
    std::os::unix::fs::OpenOptionsExt::mode(&mut options, 0o600);
    let mut file = options.open(&temp)?;
    let written = file
        .write_all(contents)
        .and_then(|()| file.sync_all())
        .and_then(|()| fs::rename(&temp, path));
    if written.is_err() {
        let _ = fs::remove_file(&temp);
    }
    written?;
    // Make the rename itself durable (best effort: not every platform can
    // open a directory).
    if let Ok(dir) = fs::File::open(dir) {
        let _ = dir.sync_all();
    }
    Ok(())
}

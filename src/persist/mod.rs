//! Saving and loading the jar: a versioned JSON file (feature `json`) and
//! Netscape `cookies.txt`, written atomically and privately, read with
//! errors that say where and what, and never losing what the jar holds.
//!
//! Data flows one way. Loading: a bounded reader (`load.rs`), a format
//! reader that hands over one entry at a time (`json.rs`, `netscape.rs`),
//! the jar's rules for loaded cookies, a staging list, and only when the
//! whole file is read, the jar (so a strict load that fails changes
//! nothing). Saving: the jar's cookies in creation order, a format writer,
//! an atomic write.

pub(crate) mod atomic;
mod error;
#[cfg(feature = "json")]
pub(crate) mod json;
pub(crate) mod load;
pub(crate) mod lock;
pub(crate) mod netscape;
pub(crate) mod update;

pub use error::{LoadError, LoadErrorKind, Location};

use crate::cookie::Cookie;
use crate::jar::Jar;
use std::io::{self, Read};
use std::path::Path;
use time::OffsetDateTime;

/// A jar file format.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum Format {
    /// `{"version": 1, "cookies": [...]}`: lossless (feature `json`).
    Json,
    /// Netscape `cookies.txt`, as curl, wget, Python's `http.cookiejar`,
    /// yt-dlp and browser extensions write it. It cannot hold creation or
    /// last-access times, `SameSite` or `Partitioned`, nor an expiry finer
    /// than a second.
    Netscape,
}

impl Format {
    /// Guesses the format of a file's text: JSON starts with `{` (after an
    /// optional byte-order mark and white space).
    pub fn detect(text: &str) -> Format {
        Format::detect_bytes(text.as_bytes())
    }

    /// [`Format::detect`] on the first bytes of a file.
    pub fn detect_bytes(start: &[u8]) -> Format {
        let start = start.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(start);
        match start.iter().find(|b| !b.is_ascii_whitespace()) {
            Some(b'{') => Format::Json,
            _ => Format::Netscape,
        }
    }
}

/// Which program's reading of `cookies.txt` to write for. The tools agree
/// on the seven fields but not on two details: how an `HttpOnly` cookie is
/// marked, and how a session cookie's expiry is written.
///
/// | dialect | `HttpOnly` cookie | session cookie's expiry | read as written by |
/// | --- | --- | --- | --- |
/// | `Curl` | `#HttpOnly_` line | `0` | curl, yt-dlp, browser extensions, this crate |
/// | `Wget` | plain line (the flag is lost) | `0` | wget (it reads `#HttpOnly_` lines as comments) |
/// | `Python` | `#HttpOnly_` line | empty | Python's `http.cookiejar` (it reads `0` as expired in 1970), yt-dlp, this crate |
///
/// Each is measured against the real tool in `tests/interop/`.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum NetscapeDialect {
    /// curl's.
    #[default]
    Curl,
    /// wget's: `HttpOnly` cookies are written as plain lines;
    /// [`SaveReport::http_only_unmarked`] counts them.
    Wget,
    /// Python's `http.cookiejar.MozillaCookieJar`: a session cookie's
    /// expiry is empty (curl and wget then drop the session cookie).
    Python,
}

/// The line ending a `cookies.txt` is written with.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum LineEnding {
    /// `\n`.
    #[default]
    Lf,
    /// `\r\n`, as Windows tools write it.
    Crlf,
}

/// What to save, and how.
///
/// ```
/// use cookiejar::{NetscapeDialect, SaveOptions};
///
/// let for_wget = SaveOptions {
///     include_session_cookies: true,
///     netscape_dialect: NetscapeDialect::Wget,
///     ..SaveOptions::default()
/// };
/// # let _ = for_wget;
/// ```
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct SaveOptions {
    /// Also save session cookies (no expiry). Off by default in the
    /// library: a session cookie is meant to end with the session, and a
    /// file outlives it (privacy often requires that it does not). The
    /// `cookiejar` command turns it on, since a login kept in a file is what
    /// its users ask for.
    pub include_session_cookies: bool,
    /// For `cookies.txt`: the program the file is for.
    pub netscape_dialect: NetscapeDialect,
    /// For `cookies.txt`: the line ending ([`LoadReport::line_ending`] tells
    /// what a loaded file had).
    pub line_ending: LineEnding,
}

/// What a save wrote, and what the format could not carry.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
#[non_exhaustive]
pub struct SaveReport {
    /// Cookies written.
    pub written: usize,
    /// Session cookies left out (see [`SaveOptions`]).
    pub session_skipped: usize,
    /// Expired cookies left out.
    pub expired_skipped: usize,
    /// Cookies the format cannot represent, left out: in `cookies.txt`, a
    /// TAB or line break in a field, or a partition key (CHIPS; written
    /// without it, the cookie would be sent under every top-level site).
    pub unrepresentable: usize,
    /// Written cookies whose `SameSite` the format dropped (`cookies.txt`).
    pub same_site_lost: usize,
    /// Written cookies whose `Partitioned` flag the format dropped (kept as
    /// a flag without a partition key, as `Profile::Rfc6265` does).
    pub partitioned_lost: usize,
    /// Written cookies whose expiry lost its fraction of a second.
    pub subsecond_expiry_lost: usize,
    /// Written `HttpOnly` cookies written without the flag
    /// ([`NetscapeDialect::Wget`]).
    pub http_only_unmarked: usize,
    /// Written cookies whose creation and last-access times the format
    /// does not keep (every cookie in `cookies.txt`; their order is kept,
    /// so a reload still sends them in RFC 6265 section 5.4 order).
    pub times_lost: usize,
}

impl SaveReport {
    /// True if the format dropped something of a written cookie other than
    /// its times (`SameSite`, `Partitioned`, a sub-second expiry, the
    /// `HttpOnly` flag).
    pub fn lost_attributes(&self) -> bool {
        self.same_site_lost
            + self.partitioned_lost
            + self.subsecond_expiry_lost
            + self.http_only_unmarked
            > 0
    }
}

/// How to load.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct LoadOptions {
    /// Merge into the jar (the cookie created later wins) instead of
    /// replacing its contents.
    pub merge: bool,
    /// Load the good entries and report each bad one, instead of failing
    /// on the first and changing nothing.
    pub lenient: bool,
    /// Refuse a file larger than this, before reading it where the file
    /// system knows its size (default 64 MiB: a jar at the default limits
    /// is under 2 MB, a browser profile's export of 100,000 cookies about
    /// 30 MB).
    pub max_file_bytes: u64,
}

impl Default for LoadOptions {
    fn default() -> Self {
        LoadOptions {
            merge: false,
            lenient: false,
            max_file_bytes: 64 << 20,
        }
    }
}

impl LoadOptions {
    /// Lenient loading: good entries are kept, bad ones reported.
    pub fn lenient() -> Self {
        LoadOptions {
            lenient: true,
            ..LoadOptions::default()
        }
    }
}

/// What a load did.
#[derive(Debug, Default)]
#[non_exhaustive]
pub struct LoadReport {
    /// Cookies stored (new or replacing an older one).
    pub loaded: usize,
    /// Entries older than a cookie the jar already held (merge only).
    pub kept_newer: usize,
    /// Entries already expired, dropped (a negative `cookies.txt` expiry,
    /// which curl skips, counts here).
    pub expired: usize,
    /// Cookies evicted to stay within the jar's limits.
    pub evicted: usize,
    /// In lenient mode, the first [`LoadReport::MAX_REPORTED`] entries that
    /// were skipped, and why.
    pub skipped: Vec<LoadError>,
    /// In lenient mode, how many entries were skipped in all.
    pub skipped_count: usize,
    /// The format the file was read as (detected from its first bytes when
    /// the call did not name one), which a program writing it back keeps.
    /// `None` only in a report no load made (a missing file's
    /// [`Jar::load_or_empty_at`]).
    pub format: Option<Format>,
    /// The line ending of a `cookies.txt` (the one most of its lines had).
    pub line_ending: LineEnding,
    /// Comment lines of a `cookies.txt` other than its first line (the
    /// `# Netscape HTTP Cookie File` magic): a save does not write them
    /// back.
    pub comment_lines: usize,
}

impl LoadReport {
    /// How many skipped entries [`LoadReport::skipped`] keeps; the rest are
    /// only counted, so that a hostile file cannot make the report grow
    /// without bound.
    pub const MAX_REPORTED: usize = 100;
}

impl Jar {
    /// The jar as text in `format`, with the cookies that are to be saved
    /// at `now`.
    ///
    /// # Errors
    ///
    /// `Unsupported` for JSON without the `json` feature; `InvalidData` if
    /// the JSON writer fails (it cannot with the instants the jar keeps,
    /// but its error is passed on, never turned into an empty file).
    pub fn to_text_at(
        &self,
        format: Format,
        options: SaveOptions,
        now: OffsetDateTime,
    ) -> io::Result<(String, SaveReport)> {
        let mut report = SaveReport::default();
        let cookies = self.cookies_to_save(options, now, &mut report);
        let text = render(format, &cookies, options, &mut report)?;
        Ok((text, report))
    }

    /// The cookies a save at `now` writes, counting the others in `report`.
    pub(crate) fn cookies_to_save(
        &self,
        options: SaveOptions,
        now: OffsetDateTime,
        report: &mut SaveReport,
    ) -> Vec<&Cookie> {
        // Creation order, so that a reload keeps the order of cookies
        // created in the same instant (RFC 6265 section 5.4 step 2).
        self.iter_in_creation_order()
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
            .collect()
    }

    /// Saves the jar to `path` atomically: the text goes to a new private
    /// file (mode 0600 on Unix) in the same directory, is flushed to disk,
    /// and is renamed over the old file. A failed save leaves the old file
    /// as it was; two processes saving at once each rename a complete file,
    /// so the file is never torn.
    ///
    /// A symlink is followed: its target is replaced and the link stays. On
    /// Unix a replaced file keeps its owner and group where the process may
    /// set them (root can), and its owner and group permission bits, never
    /// the bits for others; a group that cannot be kept loses its bits too.
    /// A save removes temporary files that earlier saves into the same
    /// directory left behind when killed (after an hour). To update a file
    /// that other processes update too, use [`Jar::update_file_at`].
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
        let (text, report) = self.to_text_at(format, options, now)?;
        atomic::write_atomically(path.as_ref(), text.as_bytes())?;
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

    /// Loads a jar file (format detected from its first bytes) at `now`.
    /// The file is read as a stream: memory grows with the cookies kept,
    /// not with the file's size, and a strict load stops at the first bad
    /// entry.
    ///
    /// # Errors
    ///
    /// A [`LoadError`] with its location. In strict mode (the default) the
    /// jar is unchanged after an error. A file larger than
    /// [`LoadOptions::max_file_bytes`] is refused before it is read.
    pub fn load_at(
        &mut self,
        path: impl AsRef<Path>,
        options: LoadOptions,
        now: OffsetDateTime,
    ) -> Result<LoadReport, LoadError> {
        let file = load::open_bounded(path.as_ref(), options.max_file_bytes)?;
        self.load_reader_at(file, None, options, now)
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

    /// [`Jar::load_at`], except that a file that does not exist yet is an
    /// empty jar file: the first run of a program that saves its session
    /// on exit. Any other error (no permission, a bad file) is still one.
    ///
    /// # Errors
    ///
    /// As [`Jar::load_at`], but never for a missing file.
    pub fn load_or_empty_at(
        &mut self,
        path: impl AsRef<Path>,
        options: LoadOptions,
        now: OffsetDateTime,
    ) -> Result<LoadReport, LoadError> {
        match self.load_at(path, options, now) {
            Err(e) if e.is_not_found() => {
                if !options.merge {
                    self.clear();
                }
                Ok(LoadReport::default())
            }
            other => other,
        }
    }

    /// [`Jar::load_or_empty_at`] at the system clock's time.
    ///
    /// # Errors
    ///
    /// As [`Jar::load_or_empty_at`].
    pub fn load_or_empty(
        &mut self,
        path: impl AsRef<Path>,
        options: LoadOptions,
    ) -> Result<LoadReport, LoadError> {
        self.load_or_empty_at(path, options, OffsetDateTime::now_utc())
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
        self.load_reader_at(text.as_bytes(), Some(format), options, now)
    }

    /// Loads a jar from any reader (standard input, a socket, an archive
    /// member), in `format` or, if `None`, the format its first bytes show.
    /// At most [`LoadOptions::max_file_bytes`] are read.
    ///
    /// # Errors
    ///
    /// As [`Jar::load_at`].
    pub fn load_reader_at(
        &mut self,
        reader: impl Read,
        format: Option<Format>,
        options: LoadOptions,
        now: OffsetDateTime,
    ) -> Result<LoadReport, LoadError> {
        load::load(self, reader, format, options, now)
    }
}

/// The text of `cookies` in `format`.
///
/// # Errors
///
/// As [`Jar::to_text_at`].
pub(crate) fn render(
    format: Format,
    cookies: &[&Cookie],
    options: SaveOptions,
    report: &mut SaveReport,
) -> io::Result<String> {
    match format {
        #[cfg(feature = "json")]
        Format::Json => json::write(cookies, report),
        #[cfg(not(feature = "json"))]
        Format::Json => Err(io::Error::new(
            io::ErrorKind::Unsupported,
            "the json feature is off",
        )),
        Format::Netscape => Ok(netscape::write(cookies, options, report)),
    }
}

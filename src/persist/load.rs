//! The load pipeline: a bounded reader, a format reader that hands each
//! entry to [`Staging`] as soon as it is read, the jar's rules for loaded
//! cookies, and, once the whole file has been read, the jar.
//!
//! Nothing grows with the file but the cookies kept: a strict load stops at
//! the first bad entry, a lenient one keeps the first
//! [`LoadReport::MAX_REPORTED`] errors and counts the rest, and expired
//! cookies are dropped as they are read.

use super::{Format, LoadError, LoadErrorKind, LoadOptions, LoadReport, Location};
use crate::cookie::Cookie;
use crate::jar::{Jar, Stored};
use std::fs::File;
use std::io::{self, BufRead, BufReader, Read};
use std::path::Path;
use time::OffsetDateTime;

/// One entry as a format reader found it.
pub(crate) type Entry = Result<(Cookie, Location), LoadError>;

/// Where format readers put what they read.
pub(crate) struct Staging<'j> {
    jar: &'j Jar,
    lenient: bool,
    now: OffsetDateTime,
    cookies: Vec<Cookie>,
    pub(crate) report: LoadReport,
}

impl Staging<'_> {
    /// The load's "now", for what a format does not record (creation
    /// times in `cookies.txt`).
    pub(crate) fn now(&self) -> OffsetDateTime {
        self.now
    }

    /// The jar's limit on a cookie's name and value.
    pub(crate) fn max_cookie_bytes(&self) -> usize {
        self.jar.limits().max_cookie_bytes
    }

    /// Takes one entry through the jar's rules. `Err` means stop: the first
    /// bad entry of a strict load.
    pub(crate) fn take(&mut self, entry: Entry) -> Result<(), LoadError> {
        let error = match entry {
            Ok((cookie, location)) => match self.jar.admit_loaded(cookie, self.now) {
                Ok(cookie) if cookie.is_expired_at(self.now) => {
                    self.report.expired += 1;
                    return Ok(());
                }
                Ok(cookie) => {
                    self.cookies.push(cookie);
                    return Ok(());
                }
                Err(rejection) => LoadError::at(LoadErrorKind::Rejected(rejection), location),
            },
            Err(e) => e,
        };
        self.skip(error)
    }

    /// A bad entry: the error in strict mode, a note in lenient mode.
    pub(crate) fn skip(&mut self, error: LoadError) -> Result<(), LoadError> {
        if !self.lenient {
            return Err(error);
        }
        self.report.skipped_count += 1;
        if self.report.skipped.len() < LoadReport::MAX_REPORTED {
            self.report.skipped.push(error);
        }
        Ok(())
    }
}

/// The error a [`Bounded`] reader returns past its limit.
#[derive(Debug)]
struct OverLimit(u64);

impl std::fmt::Display for OverLimit {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "more than {} bytes", self.0)
    }
}

impl std::error::Error for OverLimit {}

/// A reader that fails once more than `limit` bytes have come through, so
/// that a file that grows, a pipe or `/dev/zero` cannot make a load read
/// without end.
struct Bounded<R> {
    inner: R,
    left: u64,
    limit: u64,
}

impl<R: Read> Read for Bounded<R> {
    fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        if self.left == 0 {
            // At the limit: one byte more means the input is too large.
            let mut probe = [0u8; 1];
            return match self.inner.read(&mut probe)? {
                0 => Ok(0),
                _ => Err(io::Error::other(OverLimit(self.limit))),
            };
        }
        let room = usize::try_from(self.left)
            .unwrap_or(usize::MAX)
            .min(buf.len());
        let (head, _) = buf.split_at_mut(room);
        let n = self.inner.read(head)?;
        self.left -= n as u64;
        Ok(n)
    }
}

/// An I/O error as a load error: the size limit has its own kind.
pub(crate) fn io_error(e: io::Error) -> LoadError {
    match e
        .get_ref()
        .and_then(|inner| inner.downcast_ref::<OverLimit>())
    {
        Some(OverLimit(limit)) => LoadError::new(LoadErrorKind::TooLarge { limit: *limit }, None),
        None => LoadError::new(LoadErrorKind::Io(e), None),
    }
}

/// Opens a jar file, refusing it at once if the file system says it is
/// over `limit` bytes.
pub(crate) fn open_bounded(path: &Path, limit: u64) -> Result<File, LoadError> {
    let file = File::open(path).map_err(io_error)?;
    let meta = file.metadata().map_err(io_error)?;
    if meta.is_dir() {
        let e = io::Error::new(io::ErrorKind::InvalidInput, "is a directory");
        return Err(io_error(e));
    }
    if meta.is_file() && meta.len() > limit {
        return Err(LoadError::new(LoadErrorKind::TooLarge { limit }, None));
    }
    Ok(file)
}

/// The whole load: read and check every entry, then change the jar.
pub(crate) fn load(
    jar: &mut Jar,
    reader: impl Read,
    format: Option<Format>,
    options: LoadOptions,
    now: OffsetDateTime,
) -> Result<LoadReport, LoadError> {
    let mut reader = BufReader::with_capacity(
        64 << 10,
        Bounded {
            inner: reader,
            left: options.max_file_bytes,
            limit: options.max_file_bytes,
        },
    );
    let format = match format {
        Some(format) => format,
        None => Format::detect_bytes(reader.fill_buf().map_err(io_error)?),
    };
    let mut staging = Staging {
        jar,
        lenient: options.lenient,
        now,
        cookies: Vec::new(),
        report: LoadReport::default(),
    };
    match format {
        #[cfg(feature = "json")]
        Format::Json => super::json::read(&mut reader, &mut staging)?,
        #[cfg(not(feature = "json"))]
        Format::Json => {
            return Err(LoadError::new(
                LoadErrorKind::InvalidField("the json feature is off".into()),
                None,
            ))
        }
        Format::Netscape => super::netscape::read(&mut reader, &mut staging)?,
    }
    let Staging {
        cookies,
        mut report,
        ..
    } = staging;
    report.format = Some(format);
    apply(jar, cookies, options, now, &mut report);
    Ok(report)
}

/// Puts the checked cookies into the jar (a file's, or a browser import's).
pub(crate) fn apply(
    jar: &mut Jar,
    cookies: Vec<Cookie>,
    options: LoadOptions,
    now: OffsetDateTime,
    report: &mut LoadReport,
) {
    if !options.merge {
        jar.clear();
    }
    // Creation sequence numbers follow the file's order (which is creation
    // order); insertion goes least recently used first, so that recency
    // survives the trip too.
    let first_seq = jar.reserve_creation_seqs(cookies.len());
    let mut numbered: Vec<(u64, Cookie)> = (first_seq..).zip(cookies).collect();
    numbered.sort_by_key(|(_, c)| c.last_access_time());
    for (seq, cookie) in numbered {
        match jar.insert_admitted(cookie, Some(seq), now) {
            Ok(Stored::Inserted { evicted } | Stored::Replaced { evicted }) => {
                report.loaded += 1;
                report.evicted += evicted;
            }
            Ok(Stored::KeptNewer) => report.kept_newer += 1,
            Ok(_) => report.expired += 1,
            Err(_) => report.evicted += 1,
        }
    }
}

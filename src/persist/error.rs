//! Why a jar file could not be loaded, and where. Messages never quote a
//! field's text: a misaligned line can put a cookie value in any field,
//! and cookie values are credentials.

use crate::jar::Rejection;
use std::fmt;
use std::io;

/// Why a jar file could not be loaded, and where.
pub struct LoadError(Box<(LoadErrorKind, Option<Location>)>);

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
    /// The file is larger than [`LoadOptions::max_file_bytes`](crate::LoadOptions::max_file_bytes)
    /// (checked before reading where the file system knows the size, and
    /// while reading otherwise, as for a pipe or `/dev/zero`).
    TooLarge {
        /// The limit that was exceeded, in bytes.
        limit: u64,
    },
    /// The text is not valid JSON.
    Syntax(String),
    /// The JSON file has no `version` (`None`), or a version this crate
    /// does not know.
    UnsupportedVersion(Option<u64>),
    /// A field is missing or has the wrong type or value; the text says
    /// what was expected, never what was found.
    InvalidField(String),
    /// A `cookies.txt` line does not have 7 TAB-separated fields.
    FieldCount(usize),
    /// A `cookies.txt` line is not valid UTF-8.
    InvalidUtf8,
    /// The entry is well-formed but the jar refuses the cookie.
    Rejected(Rejection),
}

impl LoadError {
    pub(crate) fn new(kind: LoadErrorKind, location: Option<Location>) -> Self {
        LoadError(Box::new((kind, location)))
    }

    pub(crate) fn at(kind: LoadErrorKind, location: Location) -> Self {
        LoadError::new(kind, Some(location))
    }

    pub(crate) fn invalid(what: impl Into<String>, location: Location) -> Self {
        LoadError::at(LoadErrorKind::InvalidField(what.into()), location)
    }

    /// What was wrong.
    pub fn kind(&self) -> &LoadErrorKind {
        &self.0 .0
    }

    /// Where, if known.
    pub fn location(&self) -> Option<&Location> {
        self.0 .1.as_ref()
    }

    /// True if the load failed because the file does not exist (a first
    /// run; see [`Jar::load_or_empty_at`](crate::Jar::load_or_empty_at)).
    pub fn is_not_found(&self) -> bool {
        matches!(self.kind(), LoadErrorKind::Io(e) if e.kind() == io::ErrorKind::NotFound)
    }
}

/// The wording of a refusal for a cookie read from a file, where
/// [`Rejection`]'s own words (which speak of `Set-Cookie` attributes)
/// would mislead.
fn loaded_rejection(r: &Rejection) -> &'static str {
    match r {
        Rejection::InvalidDomain => "its domain is not a canonical host name",
        Rejection::PublicSuffix => "its domain is a public suffix, which no site may set",
        Rejection::Nameless => "it has no name, which this profile refuses",
        other => other.as_str(),
    }
}

impl fmt::Display for LoadError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if let Some(location) = self.location() {
            write!(f, "{location}: ")?;
        }
        match self.kind() {
            LoadErrorKind::Io(e) => write!(f, "cannot read the jar file: {e}"),
            LoadErrorKind::TooLarge { limit } => {
                write!(f, "the jar file is larger than the limit of {limit} bytes")
            }
            LoadErrorKind::Syntax(e) => write!(f, "not valid JSON: {e}"),
            LoadErrorKind::UnsupportedVersion(Some(v)) => write!(
                f,
                "jar file version {v} is not supported (this version reads version 1)"
            ),
            LoadErrorKind::UnsupportedVersion(None) => {
                f.write_str("not a cookiejar file: no \"version\"")
            }
            LoadErrorKind::InvalidField(e) => f.write_str(e),
            LoadErrorKind::FieldCount(n) => {
                write!(f, "expected 7 TAB-separated fields, found {n}")
            }
            LoadErrorKind::InvalidUtf8 => f.write_str("the line is not valid UTF-8"),
            LoadErrorKind::Rejected(r) => write!(f, "cookie refused: {}", loaded_rejection(r)),
        }
    }
}

/// Shows the kind and the location; no type of this crate's internals.
impl fmt::Debug for LoadError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("LoadError")
            .field("kind", self.kind())
            .field("location", &self.location())
            .finish()
    }
}

impl std::error::Error for LoadError {
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        match self.kind() {
            LoadErrorKind::Io(e) => Some(e),
            LoadErrorKind::Rejected(r) => Some(r),
            _ => None,
        }
    }
}

impl From<LoadError> for io::Error {
    /// For `?` in functions that return `io::Result`: I/O errors come back
    /// as they were, everything else as `InvalidData` with the message.
    fn from(e: LoadError) -> io::Error {
        let message = e.to_string();
        match e.0 .0 {
            LoadErrorKind::Io(io) => io,
            _ => io::Error::new(io::ErrorKind::InvalidData, message),
        }
    }
}

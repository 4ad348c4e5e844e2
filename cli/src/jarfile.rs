//! The one path by which the command reads and writes jar files.
//!
//! The rules: a command that rewrites a file keeps every cookie it read
//! from it except what it was asked to remove (session cookies included,
//! no eviction by the jar's limits); what a load dropped (expired cookies,
//! bad entries in lenient mode) is counted and said; a file is rewritten
//! only when its cookies changed; and "stored" or "wrote" is said only of
//! what the file holds when read back after the write.

use crate::output::{count, count_as, note, was};
use cookiejar::{
    Cookie, Format, Jar, Limits, LoadError, LoadErrorKind, LoadOptions, SaveOptions, SaveReport,
};
use serde_json::{json, Value};
use std::collections::HashSet;
use std::path::{Path, PathBuf};
use time::OffsetDateTime;

/// A failure and its exit code (2 usage, 3 file error).
#[derive(Debug)]
pub(crate) struct Failure(pub(crate) u8, pub(crate) String);

/// A file tool holds whatever the file holds: the jar's eviction limits
/// (RFC 6265 section 6.1) protect a client's memory from servers, and must
/// not silently drop the 21st cookie of a domain from a browser export.
/// The per-cookie size limit stays: a larger cookie is malformed.
const FILE_LIMITS: Limits = Limits {
    max_cookies: usize::MAX,
    max_cookies_per_domain: usize::MAX,
    ..Limits::RFC6265
};

/// The lines our own Netscape writer puts at the top of the file: they
/// come back on every rewrite, so they are not comments that get lost.
const WRITER_HEADER: [&str; 2] = [
    "# Netscape HTTP Cookie File",
    "# Written by cookiejar. Edit at your own risk.",
];

/// The jar every command works on.
pub(crate) fn new_jar() -> Jar {
    Jar::builder().limits(FILE_LIMITS).build()
}

/// A cookie's identity in a jar (RFC 6265 section 5.3 step 11): domain,
/// path, name.
pub(crate) type Key = (String, String, String);

/// The identity of `cookie`.
pub(crate) fn key(cookie: &Cookie) -> Key {
    (
        cookie.domain().to_owned(),
        cookie.path().to_owned(),
        cookie.name().to_owned(),
    )
}

/// A jar file as it was read.
#[derive(Debug)]
pub(crate) struct JarFile {
    /// Where it is.
    pub(crate) path: PathBuf,
    /// Its format (detected from its text; from the name for a new file).
    pub(crate) format: Format,
    /// Whether it existed.
    pub(crate) existed: bool,
    /// Expired cookies the load dropped: not in the jar, and not written
    /// back by a rewrite.
    pub(crate) expired: usize,
    /// Bad entries a lenient load skipped.
    pub(crate) skipped: Vec<LoadError>,
    /// Whether its lines end in CRLF.
    pub(crate) crlf: bool,
    /// Comment lines a rewrite does not keep.
    pub(crate) comments: usize,
}

/// Where and how to write a jar.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Target<'a> {
    /// The file.
    pub(crate) path: &'a Path,
    /// Its format.
    pub(crate) format: Format,
    /// Session cookies are written (the default of every command).
    pub(crate) keep_session: bool,
}

/// What a write put in the file, read back from it.
#[derive(Debug)]
pub(crate) struct Written {
    /// The library's count of what it wrote and left out.
    pub(crate) report: SaveReport,
    /// The cookies the file holds now.
    pub(crate) keys: HashSet<Key>,
}

/// The format a file name asks for: `.json`, or `cookies.txt` otherwise.
pub(crate) fn format_for_path(path: &Path) -> Format {
    match path.extension().and_then(|e| e.to_str()) {
        Some(ext) if ext.eq_ignore_ascii_case("json") => Format::Json,
        _ => Format::Netscape,
    }
}

/// Loads a jar file; a missing file is an empty jar when `may_be_new`.
/// A strict load that fails says whether `--lenient` would have loaded the
/// rest.
pub(crate) fn open(
    path: &Path,
    lenient: bool,
    may_be_new: bool,
    now: OffsetDateTime,
) -> Result<(Jar, JarFile), Failure> {
    let mut jar = new_jar();
    let mut file = JarFile {
        path: path.to_owned(),
        format: format_for_path(path),
        existed: false,
        expired: 0,
        skipped: Vec::new(),
        crlf: false,
        comments: 0,
    };
    let text = match std::fs::read_to_string(path) {
        Ok(text) => text,
        Err(e) if may_be_new && e.kind() == std::io::ErrorKind::NotFound => return Ok((jar, file)),
        Err(e) => return Err(Failure(3, format!("cannot read {}: {e}", path.display()))),
    };
    file.existed = true;
    file.format = Format::detect(&text);
    file.crlf = text.contains("\r\n");
    if file.format == Format::Netscape {
        file.comments = lost_comments(&text);
    }
    let options = LoadOptions {
        merge: false,
        lenient,
    };
    let report = match jar.load_text_at(&text, file.format, options, now) {
        Ok(report) => report,
        Err(e) => {
            return Err(Failure(
                3,
                load_failure(path, &text, file.format, &e, lenient, now),
            ))
        }
    };
    file.expired = report.expired;
    file.skipped = report.skipped;
    for skipped in &file.skipped {
        note(&format!("{}: skipped {skipped}", path.display()));
    }
    Ok((jar, file))
}

/// The message for a failed load; in strict mode, whether a lenient load
/// would have kept the other entries.
fn load_failure(
    path: &Path,
    text: &str,
    format: Format,
    error: &LoadError,
    lenient: bool,
    now: OffsetDateTime,
) -> String {
    let mut message = format!("{}: {error}", path.display());
    if !lenient {
        let options = LoadOptions {
            merge: false,
            lenient: true,
        };
        if let Ok(report) = new_jar().load_text_at(text, format, options, now) {
            message += &format!(
                " (strict mode: nothing was loaded; --lenient skips {} and loads {})",
                count_as(report.skipped.len(), "bad entry", "bad entries"),
                count(report.loaded, "cookie"),
            );
        }
    }
    message
}

/// Comment lines of a `cookies.txt` other than our writer's header, which
/// a rewrite puts back (`#HttpOnly_` lines are cookies, not comments).
fn lost_comments(text: &str) -> usize {
    text.lines()
        .map(|line| line.trim_start_matches('\u{feff}').trim_end_matches('\r'))
        .filter(|line| {
            line.starts_with('#')
                && !line.starts_with("#HttpOnly_")
                && !WRITER_HEADER.contains(line)
        })
        .count()
}

impl JarFile {
    /// Where a rewrite of this file goes, and how.
    pub(crate) fn target(&self, keep_session: bool) -> Target<'_> {
        Target {
            path: &self.path,
            format: self.format,
            keep_session,
        }
    }

    /// Says on stderr what a rewrite of this file did not carry over.
    pub(crate) fn rewrite_notes(&self) {
        self.skipped_note("not written back");
        self.comments_note("not kept (a rewrite writes the cookies only)");
        if self.crlf {
            note(&format!(
                "{}: its CRLF line ends were rewritten as LF",
                self.path.display()
            ));
        }
    }

    /// Says on stderr that the file's comment lines are `what`.
    pub(crate) fn comments_note(&self, what: &str) {
        if self.comments > 0 {
            note(&format!(
                "{}: its {} {} {what}",
                self.path.display(),
                count(self.comments, "comment line"),
                was(self.comments),
            ));
        }
    }

    /// Says on stderr that the bad entries skipped at load are `what`.
    pub(crate) fn skipped_note(&self, what: &str) {
        if !self.skipped.is_empty() {
            note(&format!(
                "{}: the {} skipped at load {} {what}",
                self.path.display(),
                count_as(self.skipped.len(), "bad entry", "bad entries"),
                was(self.skipped.len()),
            ));
        }
    }

    /// Says on stderr that expired cookies were dropped at load, for the
    /// commands that only read the file.
    pub(crate) fn expired_note(&self) {
        if self.expired > 0 {
            note(&format!(
                "{}: {} in the file {} ignored (`cookiejar purge` removes {})",
                self.path.display(),
                count(self.expired, "expired cookie"),
                was(self.expired),
                if self.expired == 1 { "it" } else { "them" },
            ));
        }
    }

    /// The load's outcome for `--json` output: expired cookies dropped and
    /// bad entries skipped, each with a stable code.
    pub(crate) fn load_json(&self) -> Value {
        let skipped: Vec<Value> = self
            .skipped
            .iter()
            .map(|e| {
                json!({
                    "location": e.location().map(ToString::to_string),
                    "code": load_error_code(e),
                    "reason": e.to_string(),
                })
            })
            .collect();
        json!({"expired_dropped": self.expired, "skipped": skipped})
    }
}

/// A stable snake_case code for a load error; a refused cookie has the
/// code of its [`cookiejar::Rejection`].
pub(crate) fn load_error_code(error: &LoadError) -> &'static str {
    match error.kind() {
        LoadErrorKind::Io(_) => "io_error",
        LoadErrorKind::Syntax(_) => "invalid_json",
        LoadErrorKind::UnsupportedVersion(_) => "unsupported_version",
        LoadErrorKind::InvalidField(_) => "invalid_field",
        LoadErrorKind::FieldCount(_) => "field_count",
        LoadErrorKind::Rejected(r) => r.code(),
        _ => "load_error",
    }
}

/// Saves `jar` to `target` (atomically, by the library), then reads the
/// file back: what it holds is what the caller may call written.
pub(crate) fn write(
    jar: &Jar,
    target: Target<'_>,
    now: OffsetDateTime,
) -> Result<Written, Failure> {
    let path = target.path;
    let options = SaveOptions {
        include_session_cookies: target.keep_session,
    };
    let report = jar
        .save_at(path, target.format, options, now)
        .map_err(|e| Failure(3, format!("cannot write {}: {e}", path.display())))?;
    let text = std::fs::read_to_string(path)
        .map_err(|e| Failure(3, format!("cannot read back {}: {e}", path.display())))?;
    let mut check = new_jar();
    let options = LoadOptions {
        merge: false,
        lenient: true,
    };
    let keys = match check.load_text_at(&text, target.format, options, now) {
        Ok(_) => check.iter().map(key).collect(),
        Err(e) => {
            return Err(Failure(
                3,
                format!("{} cannot be read back: {e}", path.display()),
            ))
        }
    };
    Ok(Written { report, keys })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_foreign_comments_count_as_lost() {
        let ours = "# Netscape HTTP Cookie File\n# Written by cookiejar. Edit at your own risk.\n\n#HttpOnly_a.com\tFALSE\t/\tFALSE\t0\ts\t1\n";
        assert_eq!(lost_comments(ours), 0);
        let theirs = "\u{feff}# Netscape HTTP Cookie File\r\n# Exported by an extension\r\n# domain\tflag\r\na.com\tFALSE\t/\tFALSE\t0\ts\t1\r\n";
        assert_eq!(lost_comments(theirs), 2);
    }
}

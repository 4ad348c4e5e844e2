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
    Cookie, Format, Jar, Limits, LineEnding, LoadError, LoadErrorKind, LoadOptions,
    NetscapeDialect, Profile, PublicSuffixList, SaveOptions, SaveReport,
};
use serde_json::{json, Value};
use std::collections::HashSet;
use std::path::{Path, PathBuf};
use std::sync::{Arc, OnceLock};
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

/// The public suffix list of `--psl FILE`, if given (set once, in `main`).
static PSL: OnceLock<Arc<PublicSuffixList>> = OnceLock::new();

/// Uses the list in `path` instead of the bundled one for every jar.
pub(crate) fn use_public_suffix_list(path: &Path) -> Result<(), Failure> {
    let list = PublicSuffixList::load(path).map_err(|e| Failure(3, e.to_string()))?;
    let _ = PSL.set(Arc::new(list));
    Ok(())
}

/// The jar every command works on.
pub(crate) fn new_jar() -> Jar {
    let builder = Jar::builder().limits(FILE_LIMITS);
    match PSL.get() {
        Some(list) => builder.public_suffix_list(list.clone()).build(),
        None => builder.build(),
    }
}

/// A jar for replaying a browser's traffic (`har`): the given profile
/// and limits, and the public suffix list of `--psl`.
pub(crate) fn new_jar_with(profile: Profile, limits: Limits) -> Jar {
    let builder = Jar::builder().profile(profile).limits(limits);
    match PSL.get() {
        Some(list) => builder.public_suffix_list(list.clone()).build(),
        None => builder.build(),
    }
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
    /// Bad entries a lenient load skipped (the first
    /// [`cookiejar::LoadReport::MAX_REPORTED`]).
    pub(crate) skipped: Vec<LoadError>,
    /// How many bad entries a lenient load skipped in all.
    pub(crate) skipped_count: usize,
    /// Its line ending, which a rewrite keeps.
    pub(crate) line_ending: LineEnding,
    /// Comment lines a rewrite does not keep (not the header our writer
    /// puts back).
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
    /// For `cookies.txt`: curl's or wget's.
    pub(crate) dialect: NetscapeDialect,
    /// For `cookies.txt`: the line ending.
    pub(crate) line_ending: LineEnding,
}

/// What a write put in the file, read back from it.
#[derive(Debug)]
pub(crate) struct Written {
    /// The library's count of what it wrote and left out.
    pub(crate) report: SaveReport,
    /// The cookies the file holds now.
    pub(crate) keys: HashSet<Key>,
}

/// Takes the jar file's lock (`cookiejar::JarFileLock`) for a command that
/// loads, changes and saves it: held until dropped, so that two commands
/// storing into one file at once both keep their cookies.
pub(crate) fn lock(path: &Path) -> Result<cookiejar::JarFileLock, Failure> {
    cookiejar::JarFileLock::acquire(path).map_err(|e| {
        Failure(
            3,
            format!("cannot write {} (taking its lock): {e}", path.display()),
        )
    })
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
        format: Format::for_path(path),
        existed: false,
        expired: 0,
        skipped: Vec::new(),
        skipped_count: 0,
        line_ending: LineEnding::Lf,
        comments: 0,
    };
    let options = LoadOptions {
        lenient,
        ..LoadOptions::default()
    };
    let report = match jar.load_at(path, options, now) {
        Ok(report) => report,
        Err(e) if may_be_new && e.is_not_found() => return Ok((jar, file)),
        Err(e) => return Err(Failure(3, load_failure(path, &e, lenient, now))),
    };
    file.existed = true;
    // A rewrite keeps the format the load read the file as.
    file.format = report.format.unwrap_or(file.format);
    file.expired = report.expired;
    file.skipped_count = report.skipped_count;
    file.skipped = report.skipped;
    file.line_ending = report.line_ending;
    file.comments = report.comment_lines;
    for skipped in &file.skipped {
        note(&format!("{}: skipped {skipped}", path.display()));
    }
    if file.skipped_count > file.skipped.len() {
        note(&format!(
            "{}: skipped {} more",
            path.display(),
            count_as(
                file.skipped_count - file.skipped.len(),
                "bad entry",
                "bad entries"
            )
        ));
    }
    Ok((jar, file))
}

/// The message for a failed load; in strict mode, whether a lenient load
/// would have kept the other entries.
fn load_failure(path: &Path, error: &LoadError, lenient: bool, now: OffsetDateTime) -> String {
    let mut message = format!("{}: {error}", path.display());
    if !lenient
        && !matches!(
            error.kind(),
            LoadErrorKind::Io(_) | LoadErrorKind::TooLarge { .. }
        )
    {
        if let Ok(report) = new_jar().load_at(path, LoadOptions::lenient(), now) {
            message += &format!(
                " (strict mode: nothing was loaded; --lenient skips {} and loads {})",
                count_as(report.skipped_count, "bad entry", "bad entries"),
                count(report.loaded, "cookie"),
            );
        }
    }
    message
}

impl JarFile {
    /// Where a rewrite of this file goes, and how.
    pub(crate) fn target(&self, keep_session: bool) -> Target<'_> {
        Target {
            path: &self.path,
            format: self.format,
            keep_session,
            dialect: NetscapeDialect::Curl,
            line_ending: self.line_ending,
        }
    }

    /// Says on stderr what a rewrite of this file did not carry over.
    pub(crate) fn rewrite_notes(&self) {
        self.skipped_note("not written back");
        self.comments_note("not kept (a rewrite writes the cookies only)");
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
        if self.skipped_count > 0 {
            note(&format!(
                "{}: the {} skipped at load {} {what}",
                self.path.display(),
                count_as(self.skipped_count, "bad entry", "bad entries"),
                was(self.skipped_count),
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
        json!({
            "expired_dropped": self.expired,
            "skipped_count": self.skipped_count,
            "skipped": skipped,
            "comment_lines": self.comments,
        })
    }
}

/// A stable snake_case code for a load error; a refused cookie has the
/// code of its [`cookiejar::Rejection`].
pub(crate) fn load_error_code(error: &LoadError) -> &'static str {
    match error.kind() {
        LoadErrorKind::Io(_) => "io_error",
        LoadErrorKind::TooLarge { .. } => "file_too_large",
        LoadErrorKind::InvalidUtf8 => "invalid_utf8",
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
        netscape_dialect: target.dialect,
        line_ending: target.line_ending,
    };
    let report = jar
        .save_at(path, target.format, options, now)
        .map_err(|e| Failure(3, format!("cannot write {}: {e}", path.display())))?;
    let mut check = new_jar();
    let keys = match check.load_at(path, LoadOptions::lenient(), now) {
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

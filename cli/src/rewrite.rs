//! The commands that write a file from a file: `convert` and `purge`.

use crate::jarfile::{self, Failure, Target};
use crate::output::{self, count, note, was};
use cookiejar::{Format, LineEnding, NetscapeDialect};
use serde_json::json;
use std::path::Path;
use time::OffsetDateTime;

/// What `convert` was asked to do.
#[derive(Debug)]
pub(crate) struct Convert<'a> {
    pub(crate) input: &'a Path,
    pub(crate) output: &'a Path,
    pub(crate) format: Format,
    pub(crate) lenient: bool,
    pub(crate) keep_session: bool,
    pub(crate) dialect: NetscapeDialect,
    pub(crate) json: bool,
}

/// `convert`: every cookie of the input into the output, session cookies
/// included unless `--drop-session`; what is left out is counted.
pub(crate) fn convert(c: &Convert<'_>, now: OffsetDateTime) -> Result<u8, Failure> {
    let (jar, file) = jarfile::open(c.input, c.lenient, false, now)?;
    let target = Target {
        path: c.output,
        format: c.format,
        keep_session: c.keep_session,
        dialect: c.dialect,
        line_ending: LineEnding::Lf,
    };
    // The output may be a jar another command is updating.
    let _lock = jarfile::lock(c.output)?;
    let written = jarfile::write(&jar, target, now)?;
    let input = c.input.display();
    let report = written.report;
    if file.expired > 0 {
        note(&format!(
            "{input}: {} in it {} not written",
            count(file.expired, "expired cookie"),
            was(file.expired)
        ));
    }
    if report.session_skipped > 0 {
        note(&format!(
            "{} left out (--drop-session)",
            count(report.session_skipped, "session cookie")
        ));
    }
    if report.unrepresentable > 0 {
        note(&format!(
            "{} not written: a TAB or line break in a field cannot be written to cookies.txt",
            count(report.unrepresentable, "cookie")
        ));
    }
    for (n, what) in [
        (
            report.same_site_lost,
            "lost SameSite (cookies.txt cannot hold it)",
        ),
        (
            report.partitioned_lost,
            "lost Partitioned (cookies.txt cannot hold it)",
        ),
        (
            report.http_only_unmarked,
            "written without the HttpOnly mark, which wget cannot read",
        ),
    ] {
        if n > 0 {
            note(&format!("{} {what}", count(n, "cookie")));
        }
    }
    file.skipped_note("not written");
    file.comments_note("not copied");
    if c.json {
        output::json(&json!({
            "input": c.input.to_string_lossy(),
            "output": c.output.to_string_lossy(),
            "written": written.keys.len(),
            "expired_dropped": file.expired,
            "session_dropped": report.session_skipped,
            "unrepresentable": report.unrepresentable,
            "same_site_lost": report.same_site_lost,
            "partitioned_lost": report.partitioned_lost,
            "http_only_unmarked": report.http_only_unmarked,
            "load": file.load_json(),
        }));
    } else {
        crate::output::say!(
            "wrote {} to {}",
            count(written.keys.len(), "cookie"),
            crate::escape::text(&c.output.display().to_string())
        );
    }
    Ok(0)
}

/// `purge`: removes expired cookies, counting those the load already
/// dropped; the file is rewritten only if something was removed, and
/// keeps its session cookies.
pub(crate) fn purge(
    as_json: bool,
    path: &Path,
    lenient: bool,
    now: OffsetDateTime,
) -> Result<u8, Failure> {
    // Load, change and save under the file's lock: no lost updates.
    let _lock = jarfile::lock(path)?;
    let (mut jar, file) = jarfile::open(path, lenient, false, now)?;
    let removed = file.expired + jar.purge_expired_at(now);
    let kept = if removed > 0 {
        let written = jarfile::write(&jar, file.target(true), now)?;
        file.rewrite_notes();
        Some(written.keys.len())
    } else {
        None
    };
    if as_json {
        output::json(&json!({
            "file": path.to_string_lossy(),
            "removed": removed,
            "kept": kept.unwrap_or(jar.len()),
            "written": kept.is_some(),
            "load": file.load_json(),
        }));
    } else {
        crate::output::say!(
            "{} removed, {} kept{}",
            count(removed, "expired cookie"),
            kept.unwrap_or(jar.len()),
            if kept.is_none() {
                " (file unchanged)"
            } else {
                ""
            }
        );
    }
    Ok(0)
}

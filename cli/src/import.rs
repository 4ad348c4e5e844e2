//! `cookiejar import`: a browser profile's cookies into a jar file, with
//! the jar's checks, a summary per site, and every skipped row said with
//! its reason (never its value).

use crate::jarfile::{self, new_jar, Failure, Target};
use crate::output::{self, count, note, table, was};
use cookiejar::import::{Browser, ImportOptions, ImportReport};
use cookiejar::{Format, LineEnding, NetscapeDialect};
use serde_json::{json, Value};
use std::path::{Path, PathBuf};
use time::OffsetDateTime;

/// What `import` was asked to do.
#[derive(Debug)]
pub(crate) struct Import<'a> {
    pub(crate) browser: Browser,
    pub(crate) profile: Option<&'a Path>,
    pub(crate) key_file: Option<&'a Path>,
    pub(crate) domain: Option<&'a str>,
    pub(crate) output: &'a Path,
    pub(crate) format: Format,
    pub(crate) keep_session: bool,
    pub(crate) json: bool,
}

/// The keyring secret in `path`, less one trailing line end (as
/// `secret-tool lookup … > FILE` writes it).
fn read_secret(path: &Path) -> Result<Vec<u8>, Failure> {
    let mut secret = std::fs::read(path).map_err(|e| {
        Failure(
            3,
            format!("cannot read the key file {}: {e}", path.display()),
        )
    })?;
    if secret.ends_with(b"\n") {
        secret.pop();
        if secret.ends_with(b"\r") {
            secret.pop();
        }
    }
    Ok(secret)
}

pub(crate) fn run(c: &Import<'_>, now: OffsetDateTime) -> Result<u8, Failure> {
    let mut options = ImportOptions::new();
    if let Some(profile) = c.profile {
        options = options.profile(PathBuf::from(profile));
    }
    if let Some(domain) = c.domain {
        options = options.domain(domain);
    }
    if let Some(key_file) = c.key_file {
        options = options.keyring_secret(read_secret(key_file)?);
    }
    let mut jar = new_jar();
    let report = jar
        .import_browser_at(c.browser, &options, now)
        .map_err(|e| Failure(3, format!("cannot import from {}: {e}", c.browser)))?;
    let _lock = jarfile::lock(c.output)?;
    let target = Target {
        path: c.output,
        format: c.format,
        keep_session: c.keep_session,
        dialect: NetscapeDialect::Curl,
        line_ending: LineEnding::Lf,
    };
    let written = jarfile::write(&jar, target, now)?;
    let saved = written.report;
    if c.json {
        output::json(&json!({
            "browser": c.browser.as_str(),
            "database": report.database.to_string_lossy(),
            "output": c.output.to_string_lossy(),
            "rows": report.rows,
            "imported": report.imported,
            "written": written.keys.len(),
            "filtered_out": report.filtered_out,
            "expired": report.expired,
            "evicted": report.evicted,
            "session_dropped": saved.session_skipped,
            "skipped_count": report.skipped_count,
            "skipped": skipped_json(&report),
            "sites": report.sites.iter().map(|(site, s)| {
                (site.clone(), json!({"imported": s.imported, "skipped": s.skipped, "expired": s.expired}))
            }).collect::<serde_json::Map<String, Value>>(),
        }));
        return Ok(0);
    }
    let rows: Vec<[String; 4]> = report
        .sites
        .iter()
        .map(|(site, s)| {
            [
                site.clone(),
                s.imported.to_string(),
                s.skipped.to_string(),
                s.expired.to_string(),
            ]
        })
        .collect();
    if !rows.is_empty() {
        table(&["SITE", "IMPORTED", "SKIPPED", "EXPIRED"], &rows);
    }
    for s in &report.skipped {
        note(&format!(
            "skipped {} (domain {}, path {}): {}",
            s.name, s.domain, s.path, s.reason
        ));
    }
    if report.skipped_count > report.skipped.len() {
        note(&format!(
            "and {} more",
            count(report.skipped_count - report.skipped.len(), "skipped row")
        ));
    }
    if report.filtered_out > 0 {
        note(&format!(
            "{} outside --domain {} not imported",
            count(report.filtered_out, "cookie"),
            was(report.filtered_out)
        ));
    }
    if saved.session_skipped > 0 {
        note(&format!(
            "{} left out (--drop-session)",
            count(saved.session_skipped, "session cookie")
        ));
    }
    crate::output::say!(
        "imported {} from {}; wrote {} to {}",
        count(report.imported, "cookie"),
        crate::escape::text(&report.database.display().to_string()),
        count(written.keys.len(), "cookie"),
        crate::escape::text(&c.output.display().to_string())
    );
    Ok(0)
}

fn skipped_json(report: &ImportReport) -> Vec<Value> {
    report
        .skipped
        .iter()
        .map(|s| {
            json!({
                "name": s.name,
                "domain": s.domain,
                "path": s.path,
                "code": s.reason.code(),
                "reason": s.reason.to_string(),
            })
        })
        .collect()
}

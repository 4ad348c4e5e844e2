//! `cookiejar store`: Set-Cookie values from a URL into a jar file, and
//! what became of each, said only of what the file holds afterwards.

use crate::jarfile::{self, key, new_jar, Failure, Key};
use crate::output::{self, count, note, was};
use cookiejar::{Jar, Rejection, SetCookie, Stored};
use serde_json::{json, Value};
use std::path::Path;
use time::OffsetDateTime;
use url::Url;

/// What `store` was asked to do.
#[derive(Debug)]
pub(crate) struct Request<'a> {
    pub(crate) jar: &'a Path,
    pub(crate) lenient: bool,
    pub(crate) url: &'a Url,
    pub(crate) headers: &'a [String],
    pub(crate) keep_session: bool,
    pub(crate) show_values: bool,
    pub(crate) json: bool,
}

/// What became of one Set-Cookie.
#[derive(Debug)]
enum Outcome {
    /// In the file.
    Stored,
    /// Stored in the jar but not in the file.
    NotSaved(&'static str, &'static str),
    /// It deleted the stored cookie it matched.
    Deleted,
    /// Already expired, and matched nothing.
    Expired,
    /// The jar refused it.
    Refused(Rejection),
    /// Later Set-Cookie values of this command replaced or deleted it.
    Superseded,
}

impl Outcome {
    /// The stable code in `--json` output.
    fn code(&self) -> &'static str {
        match self {
            Outcome::Stored => "stored",
            Outcome::NotSaved(..) => "not_saved",
            Outcome::Deleted => "deleted",
            Outcome::Expired => "expired",
            Outcome::Refused(_) => "refused",
            Outcome::Superseded => "superseded",
        }
    }

    /// The reason's stable code and text, if there is one.
    fn reason(&self) -> Option<(&'static str, &'static str)> {
        match self {
            Outcome::NotSaved(code, text) => Some((code, text)),
            Outcome::Refused(r) => Some((r.code(), r.as_str())),
            Outcome::Expired => Some((
                "already_expired",
                "already expired, and no stored cookie to delete",
            )),
            Outcome::Superseded => Some((
                "superseded",
                "a later Set-Cookie of this command replaced or deleted it",
            )),
            Outcome::Stored | Outcome::Deleted => None,
        }
    }

    /// Whether this is a negative answer (exit code 1): the cookie is not
    /// in the file although nobody asked for that.
    fn is_negative(&self) -> bool {
        matches!(
            self,
            Outcome::Refused(_) | Outcome::NotSaved("unrepresentable" | "not_written", _)
        )
    }
}

/// One Set-Cookie and what became of it.
#[derive(Debug)]
struct Row {
    name: Option<String>,
    key: Option<Key>,
    host_only: bool,
    value: Option<String>,
    outcome: Outcome,
}

/// Runs `store`; the exit code is 1 if a cookie is not in the file for a
/// reason nobody asked for.
pub(crate) fn run(request: &Request<'_>, now: OffsetDateTime) -> Result<u8, Failure> {
    // Load, change and save under the file's lock: no lost updates.
    let _lock = jarfile::lock(request.jar)?;
    let (mut jar, file) = jarfile::open(request.jar, request.lenient, true, now)?;
    let mut results = Vec::new();
    let mut changed = false;
    for header in request.headers {
        // Which cookie this header makes (domain, path, name), learnt from
        // an empty jar: the real jar answers only with what it did.
        let made = probe(request.url, header, now);
        let stored = jar.set_cookie_at(request.url, header, now);
        changed |= matches!(
            stored,
            Ok(Stored::Inserted { .. } | Stored::Replaced { .. } | Stored::Deleted)
        );
        results.push((header, made, stored));
    }
    let written = if changed {
        let written = jarfile::write(&jar, file.target(request.keep_session), now)?;
        file.rewrite_notes();
        Some(written)
    } else {
        None
    };
    let rows: Vec<Row> = results
        .into_iter()
        .map(|(header, made, stored)| row(&jar, header, made, stored, written.as_ref(), request))
        .collect();
    let path = request.jar.display();
    match &written {
        Some(w) => {
            if file.expired > 0 {
                note(&format!(
                    "{path}: {} in it {} removed",
                    count(file.expired, "expired cookie"),
                    was(file.expired)
                ));
            }
            if w.report.session_skipped > 0 {
                note(&format!(
                    "{path}: {} left out (--drop-session)",
                    count(w.report.session_skipped, "session cookie")
                ));
            }
        }
        None if file.existed => note(&format!("{path}: unchanged")),
        None => note(&format!("{path}: not created (nothing to store)")),
    }
    if request.json {
        output::json(&json!({
            "file": request.jar.to_string_lossy(),
            "written": written.is_some(),
            "results": rows.iter().map(|r| row_json(r, request.show_values)).collect::<Vec<_>>(),
            "load": file.load_json(),
        }));
    } else {
        for r in &rows {
            crate::output::say!("{}", crate::escape::text(&row_text(r, request.show_values)));
        }
    }
    Ok(u8::from(rows.iter().any(|r| r.outcome.is_negative())))
}

/// The cookie `header` makes when stored from `url` in an empty jar.
fn probe(url: &Url, header: &str, now: OffsetDateTime) -> Option<(Key, bool)> {
    let mut probe = new_jar();
    probe.set_cookie_at(url, header, now).ok()?;
    let made = probe.iter().next().map(|c| (key(c), c.host_only()));
    made
}

fn row(
    jar: &Jar,
    header: &str,
    made: Option<(Key, bool)>,
    stored: Result<Stored, Rejection>,
    written: Option<&jarfile::Written>,
    request: &Request<'_>,
) -> Row {
    let name = SetCookie::parse(header).ok().map(|c| c.name().to_owned());
    let (key, host_only) = match made {
        Some((key, host_only)) => (Some(key), host_only),
        None => (None, false),
    };
    let in_jar = key
        .as_ref()
        .and_then(|k| jar.iter().find(|c| jarfile::key(c) == *k));
    let value = in_jar.map(|c| c.value().to_owned());
    let outcome = match stored {
        Err(r) => Outcome::Refused(r),
        Ok(Stored::Deleted) => Outcome::Deleted,
        Ok(Stored::Inserted { .. } | Stored::Replaced { .. }) => match (in_jar, written) {
            (None, _) => Outcome::Superseded,
            (Some(c), Some(w)) if w.keys.contains(&jarfile::key(c)) => Outcome::Stored,
            (Some(c), _) if !c.persistent() && !request.keep_session => Outcome::NotSaved(
                "session_cookie",
                "session cookie, left out as --drop-session asks",
            ),
            (Some(c), _)
                if [c.name(), c.value(), c.domain(), c.path()]
                    .iter()
                    .any(|f| f.contains(['\t', '\r', '\n'])) =>
            {
                Outcome::NotSaved(
                    "unrepresentable",
                    "a TAB in a field cannot be written to cookies.txt; a .json jar keeps it",
                )
            }
            (Some(_), _) => Outcome::NotSaved("not_written", "not in the file after writing"),
        },
        Ok(_) => Outcome::Expired,
    };
    Row {
        name,
        key,
        host_only,
        value,
        outcome,
    }
}

fn row_text(r: &Row, show_values: bool) -> String {
    let name = r.name.as_deref().unwrap_or("(no cookie)");
    let shown = match (&r.value, show_values) {
        (Some(v), true) => format!("{name}={v}"),
        _ => name.to_owned(),
    };
    let place = r.key.as_ref().map(|(domain, path, _)| {
        if r.host_only {
            format!("host {domain}, path {path}")
        } else {
            format!("domain .{domain}, path {path}")
        }
    });
    let label = match r.outcome {
        Outcome::Stored => "stored",
        Outcome::NotSaved(..) => "not saved",
        Outcome::Deleted => "deleted",
        Outcome::Expired => "expired",
        Outcome::Refused(_) => "refused",
        Outcome::Superseded => "replaced",
    };
    let detail = match (place, r.outcome.reason()) {
        (Some(place), Some((_, why))) if !matches!(r.outcome, Outcome::Refused(_)) => {
            format!("{place}; {why}")
        }
        (_, Some((_, why))) => why.to_owned(),
        (Some(place), None) => place,
        (None, None) => String::new(),
    };
    if detail.is_empty() {
        format!("{label:<9} {shown}")
    } else {
        format!("{label:<9} {shown} ({detail})")
    }
}

fn row_json(r: &Row, show_values: bool) -> Value {
    let (domain, path) = match &r.key {
        Some((domain, path, _)) => (Some(domain.as_str()), Some(path.as_str())),
        None => (None, None),
    };
    let mut row = json!({
        "name": r.name,
        "domain": domain,
        "path": path,
        "host_only": r.key.as_ref().map(|_| r.host_only),
        "outcome": r.outcome.code(),
        "code": r.outcome.reason().map(|(code, _)| code),
        "reason": r.outcome.reason().map(|(_, text)| text),
    });
    if show_values {
        if let Some(object) = row.as_object_mut() {
            object.insert("value".into(), json!(r.value));
        }
    }
    row
}

//! The commands that only read: `parse`, `header`, `explain`, `list`.

use crate::jarfile::{self, Failure};
use crate::output::{self, count};
use cookiejar::{HttpDate, Jar, Rejection, RequestContext, SetCookie};
use serde_json::{json, Value};
use std::path::Path;
use time::OffsetDateTime;
use url::Url;

/// `parse`: the attributes of each Set-Cookie value. Values are shown (the
/// user typed them), escaped for the terminal. Exit code 1 if one is
/// ignored as a whole.
pub(crate) fn parse(as_json: bool, headers: &[String]) -> u8 {
    let mut refused = false;
    let mut rows = Vec::new();
    for header in headers {
        match SetCookie::parse(header) {
            Ok(c) => rows.push(json!({
                "name": c.name(), "value": c.value(),
                "expires": c.expires().map(|t| HttpDate(t).to_string()), "max_age": c.max_age(),
                "domain": c.domain(), "path": c.path(), "secure": c.secure(), "http_only": c.http_only(),
                "same_site": c.same_site().map(|s| s.as_str()), "partitioned": c.partitioned(),
                "version": c.version(), "comment": c.comment(),
                "other_attributes": c.unknown_attributes().map(|(n, v)| json!([n, v])).collect::<Vec<_>>(),
            })),
            Err(e) => {
                refused = true;
                rows.push(json!({
                    "set_cookie": header,
                    "code": Rejection::from(e).code(),
                    "error": e.to_string(),
                }));
            }
        }
    }
    if as_json {
        output::json(&Value::Array(rows));
        return u8::from(refused);
    }
    for (i, row) in rows.iter().enumerate() {
        if i > 0 {
            crate::output::say!();
        }
        let Some(fields) = row.as_object() else {
            continue;
        };
        for (key, value) in fields {
            let shown = match value {
                Value::Null | Value::Bool(false) => continue,
                Value::Array(a) if a.is_empty() => continue,
                Value::String(s) => s.clone(),
                other => other.to_string(),
            };
            crate::output::say!("{key:<16} {}", crate::escape::text(&shown));
        }
    }
    u8::from(refused)
}

/// `header`: the Cookie header a request to `url` carries; exit code 1 if
/// none. The text output escapes unsafe characters like every other
/// output; `--json` gives the exact header.
pub(crate) fn header(
    as_json: bool,
    path: &Path,
    lenient: bool,
    url: &Url,
    now: OffsetDateTime,
) -> Result<u8, Failure> {
    let (jar, file) = jarfile::open(path, lenient, false, now)?;
    file.expired_note();
    Ok(print_header(as_json, &jar, url, now))
}

/// Prints the Cookie header of `jar` for `url`; exit code 1 if none.
pub(crate) fn print_header(as_json: bool, jar: &Jar, url: &Url, now: OffsetDateTime) -> u8 {
    let header = jar.cookie_header_at(url, now);
    match &header {
        Some(h) if as_json => output::json(&json!({"cookie": h})),
        Some(h) => crate::output::say!("{}", crate::escape::text(h)),
        None if as_json => output::json(&json!({"cookie": null})),
        None => {}
    }
    u8::from(header.is_none())
}

/// `explain`: for each cookie that concerns `url`, sent or the rule that
/// keeps it back.
pub(crate) fn explain(
    as_json: bool,
    path: &Path,
    lenient: bool,
    url: &Url,
    context: RequestContext,
    now: OffsetDateTime,
) -> Result<u8, Failure> {
    let (jar, file) = jarfile::open(path, lenient, false, now)?;
    file.expired_note();
    Ok(print_explain(as_json, &jar, url, context, now))
}

/// Prints, for each cookie of `jar` that concerns `url`, whether it is
/// sent and why not.
pub(crate) fn print_explain(
    as_json: bool,
    jar: &Jar,
    url: &Url,
    context: RequestContext,
    now: OffsetDateTime,
) -> u8 {
    let explained = jar.explain_with(url, context, now);
    if as_json {
        let rows: Vec<Value> = explained
            .iter()
            .map(|e| {
                json!({
                    "name": e.cookie.name(), "domain": e.cookie.domain(), "path": e.cookie.path(),
                    "host_only": e.cookie.host_only(), "sent": e.exclusion.is_none(),
                    "code": e.exclusion.map(|x| x.code()), "reason": e.exclusion.map(|x| x.as_str()),
                })
            })
            .collect();
        output::json(&Value::Array(rows));
    } else if explained.is_empty() {
        crate::output::say!(
            "no cookie in the jar concerns {}",
            crate::escape::text(url.as_str())
        );
    } else {
        let rows: Vec<[String; 4]> = explained
            .iter()
            .map(|e| {
                [
                    if e.exclusion.is_none() {
                        "sent"
                    } else {
                        "not sent"
                    }
                    .into(),
                    e.cookie.name().into(),
                    format!(
                        "{}{}",
                        dotted(e.cookie.host_only(), e.cookie.domain()),
                        e.cookie.path()
                    ),
                    e.exclusion.map_or_else(String::new, |x| x.to_string()),
                ]
            })
            .collect();
        output::table(&["", "NAME", "DOMAIN/PATH", "WHY NOT"], &rows);
    }
    0
}

/// `list`: every cookie of the file. Values only with `--show-values`.
pub(crate) fn list(
    as_json: bool,
    show_values: bool,
    path: &Path,
    lenient: bool,
    now: OffsetDateTime,
) -> Result<u8, Failure> {
    let (jar, file) = jarfile::open(path, lenient, false, now)?;
    let expired = file.expired;
    print_list(as_json, show_values, &jar, file.load_json(), expired);
    Ok(0)
}

/// Prints every cookie of `jar`; `load` is the `--json` output's `load`
/// field, `expired` the expired cookies the source held but `jar` does not.
pub(crate) fn print_list(as_json: bool, show_values: bool, jar: &Jar, load: Value, expired: usize) {
    let cookies = sorted(jar);
    if as_json {
        let rows: Vec<Value> = cookies
            .iter()
            .map(|c| {
                let mut row = json!({
                    "name": c.name(), "domain": c.domain(), "path": c.path(),
                    "host_only": c.host_only(), "secure": c.secure_only(), "http_only": c.http_only(),
                    "same_site": c.same_site().map(|s| s.as_str()), "session": !c.persistent(),
                    "expires": c.expiry_time().map(|t| HttpDate(t).to_string()),
                });
                if let (true, Some(object)) = (show_values, row.as_object_mut()) {
                    object.insert("value".into(), json!(c.value()));
                }
                row
            })
            .collect();
        output::json(&json!({"cookies": rows, "load": load}));
        return;
    }
    let rows: Vec<Vec<String>> = cookies
        .iter()
        .map(|c| {
            let mut flags = Vec::new();
            if c.secure_only() {
                flags.push("Secure".to_string());
            }
            if c.http_only() {
                flags.push("HttpOnly".to_string());
            }
            if let Some(s) = c.same_site() {
                flags.push(format!("SameSite={s}"));
            }
            let mut row = vec![
                dotted(c.host_only(), c.domain()),
                c.path().into(),
                c.name().into(),
            ];
            if show_values {
                row.push(c.value().into());
            }
            row.push(
                c.expiry_time()
                    .map_or("session".into(), |t| HttpDate(t).to_string()),
            );
            row.push(flags.join(" "));
            row
        })
        .collect();
    if show_values {
        let rows: Vec<[String; 6]> = rows.into_iter().filter_map(|r| r.try_into().ok()).collect();
        output::table(
            &["DOMAIN", "PATH", "NAME", "VALUE", "EXPIRES", "FLAGS"],
            &rows,
        );
    } else {
        let rows: Vec<[String; 5]> = rows.into_iter().filter_map(|r| r.try_into().ok()).collect();
        output::table(&["DOMAIN", "PATH", "NAME", "EXPIRES", "FLAGS"], &rows);
    }
    let mut total = count(cookies.len(), "cookie");
    if expired > 0 {
        total += &format!(
            "; {} in the file not listed (`cookiejar purge` removes {})",
            count(expired, "expired cookie"),
            if expired == 1 { "it" } else { "them" }
        );
    }
    crate::output::say!("{total}");
}

fn sorted(jar: &Jar) -> Vec<&cookiejar::Cookie> {
    let mut cookies: Vec<_> = jar.iter().collect();
    cookies.sort_by(|a, b| (a.domain(), a.path(), a.name()).cmp(&(b.domain(), b.path(), b.name())));
    cookies
}

/// A domain as cookies.txt shows it: a leading dot for a domain cookie.
fn dotted(host_only: bool, domain: &str) -> String {
    if host_only {
        domain.to_owned()
    } else {
        format!(".{domain}")
    }
}

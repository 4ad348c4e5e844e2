//! `har`: "why does my crawler not get the browser's cookies?" Replays a
//! browser's HAR export through the jar: every response's `Set-Cookie`
//! lines, in the order of the entries' `startedDateTime`, at those times;
//! and for every request compares the `Cookie` header the browser sent with
//! the one the jar would send, with the reason for each difference.
//!
//! Each request is a top-level, same-site request to the jar (a HAR does
//! not say reliably which requests were cross-site or framed). Cookies set
//! before the recording began, or by scripts, are not in the HAR: the jar
//! never has them, and the report says so.

use crate::jarfile::{self, Failure};
use crate::output::{self, count};
use cookiejar::{parse_cookie_header, Jar, Limits, Profile, RequestContext};
use serde_json::{json, Value};
use std::collections::HashMap;
use std::path::Path;
use time::format_description::well_known::Rfc3339;
use time::OffsetDateTime;
use url::Url;

/// The largest HAR read: an export with response bodies can be large, but
/// a file past this is not a recording of one session.
const MAX_HAR_BYTES: u64 = 512 << 20;

/// What `har` is asked to do.
#[derive(Debug)]
pub(crate) struct Replay<'a> {
    pub(crate) file: &'a Path,
    pub(crate) profile: Profile,
    pub(crate) limits: Limits,
    pub(crate) show_values: bool,
    pub(crate) json: bool,
}

/// One request of the HAR.
struct Request {
    url: Url,
    method: String,
    at: OffsetDateTime,
    /// The `Cookie` header the browser sent (several joined with `; `).
    cookie: Option<String>,
    set_cookies: Vec<String>,
}

/// One way the jar's header differs from the browser's.
struct Difference {
    name: String,
    /// `missing`, `extra`, `value` or `order`.
    kind: &'static str,
    code: String,
    reason: String,
}

/// A header value of a HAR `headers` list, every one with this name (any
/// case). Chrome joins several `Set-Cookie` lines with `\n` in one entry.
fn header_values<'v>(headers: Option<&'v Value>, name: &str) -> Vec<&'v str> {
    headers
        .and_then(Value::as_array)
        .into_iter()
        .flatten()
        .filter(|h| {
            h.get("name")
                .and_then(Value::as_str)
                .is_some_and(|n| n.eq_ignore_ascii_case(name))
        })
        .filter_map(|h| h.get("value").and_then(Value::as_str))
        .collect()
}

fn read(file: &Path) -> Result<Vec<Request>, Failure> {
    let fail = |why: String| Failure(3, format!("{}: {why}", file.display()));
    let size = std::fs::metadata(file)
        .map_err(|e| fail(e.to_string()))?
        .len();
    if size > MAX_HAR_BYTES {
        return Err(fail(format!("larger than {MAX_HAR_BYTES} bytes")));
    }
    let text = std::fs::read_to_string(file).map_err(|e| fail(e.to_string()))?;
    let har: Value = serde_json::from_str(&text).map_err(|e| fail(format!("not JSON: {e}")))?;
    let entries = har
        .pointer("/log/entries")
        .and_then(Value::as_array)
        .ok_or_else(|| fail("no log.entries: not a HAR file".into()))?;
    let mut requests = Vec::new();
    for (i, entry) in entries.iter().enumerate() {
        let at = entry
            .pointer("/startedDateTime")
            .and_then(Value::as_str)
            .and_then(|t| OffsetDateTime::parse(t, &Rfc3339).ok())
            .ok_or_else(|| fail(format!("entry {i}: no RFC 3339 startedDateTime")))?;
        let Some(url) = entry
            .pointer("/request/url")
            .and_then(Value::as_str)
            .and_then(|u| Url::parse(u).ok())
        else {
            return Err(fail(format!("entry {i}: no request URL")));
        };
        let sent = header_values(entry.pointer("/request/headers"), "cookie");
        let set_cookies = header_values(entry.pointer("/response/headers"), "set-cookie")
            .into_iter()
            .flat_map(|v| v.split('\n'))
            .filter(|l| !l.trim().is_empty())
            .map(str::to_string)
            .collect();
        requests.push(Request {
            url,
            method: entry
                .pointer("/request/method")
                .and_then(Value::as_str)
                .unwrap_or("GET")
                .to_string(),
            at,
            cookie: (!sent.is_empty()).then(|| sent.join("; ")),
            set_cookies,
        });
    }
    // In the order the browser made them (a HAR is usually in that order
    // already; the sort is stable).
    requests.sort_by_key(|r| r.at);
    Ok(requests)
}

/// `name=value` pairs of a `Cookie` header, in order.
fn pairs(header: Option<&str>) -> Vec<(String, String)> {
    header
        .map(|h| {
            parse_cookie_header(h)
                .map(|p| (p.name().to_string(), p.value().to_string()))
                .collect()
        })
        .unwrap_or_default()
}

/// Where the jar last saw a cookie of this name refused, or set.
#[derive(Clone)]
struct Seen {
    url: String,
    refused: Option<(String, String)>,
    /// What `Profile::Chromium` said of the same line, when it refused it
    /// and the jar's profile did not: most likely why the browser did not
    /// keep it.
    chromium_refused: Option<(String, String)>,
}

/// Why the browser sent `name` and the jar did not.
fn why_missing(jar: &Jar, request: &Request, name: &str, seen: Option<&Seen>) -> (String, String) {
    let explained = jar.explain_with(&request.url, RequestContext::default(), request.at);
    if let Some(e) = explained.iter().find(|e| e.cookie.name() == name) {
        if let Some(why) = e.exclusion {
            return (
                why.code().into(),
                format!("the jar holds it but does not send it: {why}"),
            );
        }
    }
    match seen {
        Some(Seen {
            url,
            refused: Some((code, reason)),
            ..
        }) => (
            code.clone(),
            format!("the jar refused its Set-Cookie from {url}: {reason}"),
        ),
        Some(Seen {
            url, refused: None, ..
        }) => (
            "not_held".into(),
            format!("set by {url}, but no longer held by the jar (replaced, deleted, expired or evicted)"),
        ),
        None => (
            "never_set".into(),
            "no response in the HAR set it (set before the recording began, or by a script)".into(),
        ),
    }
}

/// The jar's view of one request: its header, and what `Profile::Chromium`
/// would have sent (when the jar follows another profile).
struct Ours<'a> {
    jar: &'a Jar,
    header: Option<&'a str>,
    chromium_header: Option<Option<&'a str>>,
}

fn compare(
    ours_: &Ours<'_>,
    request: &Request,
    seen: &HashMap<String, Seen>,
    show_values: bool,
) -> Vec<Difference> {
    let (jar, sent_by_jar) = (ours_.jar, ours_.header);
    let browser = pairs(request.cookie.as_deref());
    let ours = pairs(sent_by_jar);
    let mut out = Vec::new();
    let shown = |v: &str| match show_values {
        true => format!(" ({v:?})"),
        false => String::new(),
    };
    for (name, value) in &browser {
        match ours.iter().find(|(n, _)| n == name) {
            None => {
                let (code, reason) = why_missing(jar, request, name, seen.get(name));
                out.push(Difference {
                    name: name.clone(),
                    kind: "missing",
                    code,
                    reason,
                });
            }
            Some((_, v)) if v != value && !ours.iter().any(|p| p.0 == *name && p.1 == *value) => {
                out.push(Difference {
                    name: name.clone(),
                    kind: "value",
                    code: "value_differs".into(),
                    reason: format!(
                        "the browser sent another value{} than the jar{}",
                        shown(value),
                        shown(v)
                    ),
                });
            }
            _ => {}
        }
    }
    let chromium_pairs = ours_.chromium_header.map(pairs);
    for (name, _) in &ours {
        if !browser.iter().any(|(n, _)| n == name) {
            let from = seen
                .get(name)
                .map_or("an earlier response".to_string(), |s| s.url.clone());
            let chromium_sends = chromium_pairs
                .as_ref()
                .map(|p| p.iter().any(|(n, _)| n == name));
            let (code, reason) = match seen.get(name).and_then(|s| s.chromium_refused.clone()) {
                Some((code, why)) => (
                    code,
                    format!("set by {from}; the jar keeps it, Profile::Chromium refuses it ({why}), as the browser did"),
                ),
                None if chromium_sends == Some(false) => (
                    "not_sent_by_browser".into(),
                    format!("set by {from} and sent by the jar; Profile::Chromium does not send it either (the browser's reading of an earlier Set-Cookie)"),
                ),
                None => (
                    "not_sent_by_browser".into(),
                    format!("set by {from} and sent by the jar; the browser refused it, no longer held it or did not send it"),
                ),
            };
            out.push(Difference {
                name: name.clone(),
                kind: "extra",
                code,
                reason,
            });
        }
    }
    if out.is_empty() && browser != ours && browser.len() == ours.len() {
        let chromium_agrees = chromium_pairs.as_ref() == Some(&browser);
        let names = |p: &[(String, String)]| {
            p.iter()
                .map(|(n, _)| n.as_str())
                .collect::<Vec<_>>()
                .join(", ")
        };
        out.push(Difference {
            name: String::new(),
            kind: "order",
            code: "order_differs".into(),
            reason: format!(
                "the same cookies in another order: the browser {}, the jar {} (RFC 6265 section 5.4 step 2: longer paths, then earlier creation; Chromium moves a cookie overwritten with a new value to the end){}",
                names(&browser),
                names(&ours),
                match chromium_agrees {
                    true => "; Profile::Chromium sends the browser's order",
                    false => "",
                }
            ),
        });
    }
    out
}

/// Runs `har`; exit code 0 if every request agrees, 1 otherwise.
pub(crate) fn run(replay: &Replay<'_>) -> Result<u8, Failure> {
    let requests = read(replay.file)?;
    let mut jar = jarfile::new_jar_with(replay.profile, replay.limits);
    // Beside a jar of another profile, one of `Profile::Chromium`: what it
    // refuses or sends differently is most likely why the browser did.
    let mut chromium = (replay.profile != Profile::Chromium)
        .then(|| jarfile::new_jar_with(Profile::Chromium, Limits::BROWSER));
    let mut seen: HashMap<String, Seen> = HashMap::new();
    let mut rows = Vec::new();
    let mut agreeing = 0;
    for (index, request) in requests.iter().enumerate() {
        let context = RequestContext::default();
        let sent_by_jar = jar.cookie_header_with(&request.url, context, request.at);
        let chromium_header = chromium
            .as_ref()
            .map(|c| c.cookie_header_with(&request.url, context, request.at));
        let ours = Ours {
            jar: &jar,
            header: sent_by_jar.as_deref(),
            chromium_header: chromium_header.as_ref().map(Option::as_deref),
        };
        let differences = compare(&ours, request, &seen, replay.show_values);
        if differences.is_empty() {
            agreeing += 1;
        }
        rows.push((index, request, differences));
        for line in &request.set_cookies {
            let result = jar.set_cookie_with(&request.url, line, context, request.at);
            let Some(name) = cookiejar::SetCookie::parse(line)
                .ok()
                .map(|c| c.name().to_string())
            else {
                continue;
            };
            let chromium_result = chromium
                .as_mut()
                .map(|c| c.set_cookie_with(&request.url, line, context, request.at));
            let chromium_refused = match (&result, chromium_result) {
                (Ok(_), Some(Err(r))) => Some((r.code().to_string(), r.to_string())),
                _ => None,
            };
            let refused = result.err().map(|r| (r.code().to_string(), r.to_string()));
            seen.insert(
                name,
                Seen {
                    url: request.url.to_string(),
                    refused,
                    chromium_refused,
                },
            );
        }
    }
    let summary = format!(
        "{} of {} agree with the browser",
        count(agreeing, "request"),
        requests.len()
    );
    if replay.json {
        let requests: Vec<Value> = rows
            .iter()
            .map(|(index, r, diffs)| {
                json!({
                    "index": index, "method": r.method, "url": r.url.as_str(),
                    "agree": diffs.is_empty(),
                    "differences": diffs.iter().map(|d| json!({
                        "name": d.name, "kind": d.kind, "code": d.code, "reason": d.reason,
                    })).collect::<Vec<_>>(),
                })
            })
            .collect();
        output::json(&json!({
            "requests": requests,
            "agree": agreeing,
            "total": rows.len(),
        }));
    } else {
        for (index, r, diffs) in rows.iter().filter(|(_, _, d)| !d.is_empty()) {
            crate::output::say!(
                "#{index} {} {}",
                r.method,
                crate::escape::text(r.url.as_str())
            );
            for d in diffs {
                let sign = match d.kind {
                    "missing" => "- browser sent, jar not:",
                    "extra" => "+ jar sends, browser not:",
                    "value" => "~ value differs:",
                    _ => "~",
                };
                crate::output::say!(
                    "  {sign} {} [{}] {}",
                    crate::escape::text(&d.name),
                    d.code,
                    crate::escape::text(&d.reason)
                );
            }
        }
        crate::output::say!("{summary}");
    }
    Ok(u8::from(agreeing != rows.len()))
}

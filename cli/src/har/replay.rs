//! The HAR replay itself, apart from files and output: a HAR's text to
//! requests (`parse`), and the requests through a jar to the differences
//! from what the browser sent (`replay`). It depends on nothing of the CLI,
//! so the fuzz target `replay_har` runs exactly this code.

use cookiejar::{parse_cookie_header, Jar, RequestContext};
use serde_json::Value;
use std::collections::HashMap;
use time::format_description::well_known::Rfc3339;
use time::OffsetDateTime;
use url::Url;

/// One request of the HAR.
pub(crate) struct Request {
    pub(crate) url: Url,
    pub(crate) method: String,
    pub(crate) at: OffsetDateTime,
    /// The `Cookie` header the browser sent (several joined with `; `).
    pub(crate) cookie: Option<String>,
    pub(crate) set_cookies: Vec<String>,
}

/// One way the jar's header differs from the browser's.
pub(crate) struct Difference {
    pub(crate) name: String,
    /// `missing`, `extra`, `value` or `order`.
    pub(crate) kind: &'static str,
    pub(crate) code: String,
    pub(crate) reason: String,
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

/// The requests of a HAR's text, in the order the browser made them, or
/// why it is not a HAR.
pub(crate) fn parse(text: &str) -> Result<Vec<Request>, String> {
    let har: Value = serde_json::from_str(text).map_err(|e| format!("not JSON: {e}"))?;
    let entries = har
        .pointer("/log/entries")
        .and_then(Value::as_array)
        .ok_or("no log.entries: not a HAR file")?;
    let mut requests = Vec::new();
    for (i, entry) in entries.iter().enumerate() {
        let at = entry
            .pointer("/startedDateTime")
            .and_then(Value::as_str)
            .and_then(|t| OffsetDateTime::parse(t, &Rfc3339).ok())
            .ok_or_else(|| format!("entry {i}: no RFC 3339 startedDateTime"))?;
        let Some(url) = entry
            .pointer("/request/url")
            .and_then(Value::as_str)
            .and_then(|u| Url::parse(u).ok())
        else {
            return Err(format!("entry {i}: no request URL"));
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
pub(crate) fn pairs(header: Option<&str>) -> Vec<(String, String)> {
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

/// The differences between the pairs the browser sent and the jar's, each
/// pair matched at most once (a header may hold two cookies of one name,
/// of different paths): the same name and value first, then the same name.
/// None when the two lists are equal.
fn compare(
    ours_: &Ours<'_>,
    request: &Request,
    seen: &HashMap<String, Seen>,
    show_values: bool,
) -> Vec<Difference> {
    let (jar, sent_by_jar) = (ours_.jar, ours_.header);
    let browser = pairs(request.cookie.as_deref());
    let ours = pairs(sent_by_jar);
    let mut used = vec![false; ours.len()];
    let mut take = |wanted: &dyn Fn(&(String, String)) -> bool| {
        let (pair, used) = ours
            .iter()
            .zip(used.iter_mut())
            .find(|(pair, used)| !**used && wanted(pair))?;
        *used = true;
        Some(pair)
    };
    let exact: Vec<bool> = browser
        .iter()
        .map(|pair| take(&|p| p == pair).is_some())
        .collect();
    let mut out = Vec::new();
    let shown = |v: &str| match show_values {
        true => format!(" ({v:?})"),
        false => String::new(),
    };
    for ((name, value), _) in browser.iter().zip(&exact).filter(|(_, &e)| !e) {
        match take(&|p| p.0 == *name) {
            None if ours.iter().any(|p| p.0 == *name) => out.push(Difference {
                name: name.clone(),
                kind: "missing",
                code: "fewer_of_name".into(),
                reason: "the browser sent more cookies of this name than the jar (one name on other domains or paths)".into(),
            }),
            None => {
                let (code, reason) = why_missing(jar, request, name, seen.get(name));
                out.push(Difference {
                    name: name.clone(),
                    kind: "missing",
                    code,
                    reason,
                });
            }
            Some((_, ours_value)) => out.push(Difference {
                name: name.clone(),
                kind: "value",
                code: "value_differs".into(),
                reason: format!(
                    "the browser sent another value{} than the jar{}",
                    shown(value),
                    shown(ours_value)
                ),
            }),
        }
    }
    let chromium_pairs = ours_.chromium_header.map(pairs);
    for ((name, _), _) in ours.iter().zip(&used).filter(|(_, &u)| !u) {
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
    if out.is_empty() && browser != ours {
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

/// What the jar did with one request.
pub(crate) struct Outcome {
    /// The `Cookie` header the jar sent.
    pub(crate) sent_by_jar: Option<String>,
    /// How it differs from the browser's; empty when they are equal.
    pub(crate) differences: Vec<Difference>,
}

/// Replays `requests` through `jar`, each as a top-level, same-site
/// request at its recorded time: first the comparison of the `Cookie`
/// header, then the response's `Set-Cookie` lines. `chromium`, a jar of
/// `Profile::Chromium` replayed beside it, says what the browser most
/// likely did where the jar's profile differs. One outcome per request, in
/// order.
pub(crate) fn replay(
    requests: &[Request],
    jar: &mut Jar,
    mut chromium: Option<&mut Jar>,
    show_values: bool,
) -> Vec<Outcome> {
    let mut seen: HashMap<String, Seen> = HashMap::new();
    let mut rows = Vec::with_capacity(requests.len());
    for request in requests {
        let context = RequestContext::default();
        let sent_by_jar = jar.cookie_header_with(&request.url, context, request.at);
        let chromium_header = chromium
            .as_ref()
            .map(|c| c.cookie_header_with(&request.url, context, request.at));
        let ours = Ours {
            jar,
            header: sent_by_jar.as_deref(),
            chromium_header: chromium_header.as_ref().map(Option::as_deref),
        };
        let differences = compare(&ours, request, &seen, show_values);
        rows.push(Outcome {
            sent_by_jar,
            differences,
        });
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
    rows
}

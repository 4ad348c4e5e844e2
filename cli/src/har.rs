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

mod replay;

use crate::jarfile::{self, Failure};
use crate::output::{self, count};
use cookiejar::{Limits, Profile};
use serde_json::{json, Value};
use std::path::Path;

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

fn read(file: &Path) -> Result<Vec<replay::Request>, Failure> {
    let fail = |why: String| Failure(3, format!("{}: {why}", file.display()));
    let size = std::fs::metadata(file)
        .map_err(|e| fail(e.to_string()))?
        .len();
    if size > MAX_HAR_BYTES {
        return Err(fail(format!("larger than {MAX_HAR_BYTES} bytes")));
    }
    let text = std::fs::read_to_string(file).map_err(|e| fail(e.to_string()))?;
    replay::parse(&text).map_err(fail)
}

/// Runs `har`; exit code 0 if every request agrees, 1 otherwise.
pub(crate) fn run(replay: &Replay<'_>) -> Result<u8, Failure> {
    let requests = read(replay.file)?;
    let mut jar = jarfile::new_jar_with(replay.profile, replay.limits);
    // Beside a jar of another profile, one of `Profile::Chromium`: what it
    // refuses or sends differently is most likely why the browser did.
    let mut chromium = (replay.profile != Profile::Chromium)
        .then(|| jarfile::new_jar_with(Profile::Chromium, Limits::BROWSER));
    let outcomes = replay::replay(&requests, &mut jar, chromium.as_mut(), replay.show_values);
    let rows: Vec<_> = requests.iter().zip(&outcomes).enumerate().collect();
    let agreeing = outcomes.iter().filter(|o| o.differences.is_empty()).count();
    let summary = format!(
        "{} of {} agree with the browser",
        count(agreeing, "request"),
        requests.len()
    );
    if replay.json {
        let requests: Vec<Value> = rows
            .iter()
            .map(|(index, (r, outcome))| {
                let diffs = &outcome.differences;
                let mut row = serde_json::Map::new();
                row.insert("index".into(), json!(index));
                row.insert("method".into(), json!(r.method));
                row.insert("url".into(), json!(r.url.as_str()));
                row.insert("agree".into(), json!(diffs.is_empty()));
                let differences = diffs.iter().map(|d| {
                    json!({
                        "name": d.name, "kind": d.kind, "code": d.code, "reason": d.reason,
                    })
                });
                row.insert("differences".into(), differences.collect());
                // Headers hold values: only when they are asked for.
                if replay.show_values {
                    row.insert("browser_sent".into(), json!(r.cookie));
                    row.insert("jar_sent".into(), json!(outcome.sent_by_jar));
                }
                Value::Object(row)
            })
            .collect();
        output::json(&json!({
            "requests": requests,
            "agree": agreeing,
            "total": rows.len(),
        }));
    } else {
        for (index, (r, outcome)) in rows.iter().filter(|(_, (_, o))| !o.differences.is_empty()) {
            crate::output::say!(
                "#{index} {} {}",
                r.method,
                crate::escape::text(r.url.as_str())
            );
            for d in &outcome.differences {
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

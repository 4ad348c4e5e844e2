//! `--redis URL --jar-name NAME`: the commands on a fleet jar (feature
//! `redis` of the library) instead of a file. The command opens a replica
//! (snapshot, then the log after it), so it sees what the fleet holds.

use crate::inspect;
use crate::jarfile::Failure;
use crate::output;
use cookiejar::{FleetError, FleetJar, RequestContext, Stored};
use serde_json::{json, Value};
use time::OffsetDateTime;
use url::Url;

/// Opens the replica; exit code 3 (the file error's) if Redis cannot be
/// reached, 2 for a bad URL or jar name.
pub(crate) fn open(redis: &str, jar_name: &str) -> Result<FleetJar, Failure> {
    FleetJar::open(redis, jar_name).map_err(|e| match e {
        FleetError::InvalidUrl(_) | FleetError::InvalidJarName(_) => Failure(2, e.to_string()),
        _ => Failure(3, format!("fleet jar {jar_name:?}: {e}")),
    })
}

pub(crate) fn header(as_json: bool, jar: &FleetJar, url: &Url, now: OffsetDateTime) -> u8 {
    inspect::print_header(as_json, &jar.read(), url, now)
}

pub(crate) fn explain(
    as_json: bool,
    jar: &FleetJar,
    url: &Url,
    context: RequestContext,
    now: OffsetDateTime,
) -> u8 {
    inspect::print_explain(as_json, &jar.read(), url, context, now)
}

pub(crate) fn list(as_json: bool, show_values: bool, jar: &FleetJar) {
    let status = jar.status();
    let load = json!({"redis_log_position": status.applied});
    inspect::print_list(as_json, show_values, &jar.read(), load, 0);
}

/// `store`: each Set-Cookie through the fleet; exit code 1 if one was
/// refused, 3 if Redis failed.
pub(crate) fn store(
    as_json: bool,
    jar: &FleetJar,
    url: &Url,
    headers: &[String],
    now: OffsetDateTime,
) -> Result<u8, Failure> {
    let mut rows = Vec::new();
    let mut refused = false;
    for header in headers {
        let name = header.split('=').next().unwrap_or_default().trim();
        let (code, reason) = match jar.set_cookie_at(url, header, now) {
            Ok(Stored::Inserted { .. } | Stored::Replaced { .. } | Stored::KeptNewer) => {
                ("stored", None)
            }
            Ok(Stored::Deleted) => ("deleted", None),
            Ok(_) => (
                "expired",
                Some("already expired, and no stored cookie to delete".to_owned()),
            ),
            Err(FleetError::Rejected(r)) => {
                refused = true;
                ("refused", Some(r.to_string()))
            }
            Err(e) => return Err(Failure(3, e.to_string())),
        };
        rows.push(json!({"name": name, "outcome": code, "reason": reason}));
    }
    if as_json {
        output::json(&Value::Array(rows));
    } else {
        for row in &rows {
            let name = row["name"].as_str().unwrap_or_default();
            let outcome = row["outcome"].as_str().unwrap_or_default();
            match row["reason"].as_str() {
                Some(reason) => {
                    crate::output::say!("{}: {outcome} ({reason})", crate::escape::text(name))
                }
                None => crate::output::say!("{}: {outcome}", crate::escape::text(name)),
            }
        }
    }
    Ok(u8::from(refused))
}

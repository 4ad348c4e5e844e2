//! The JSON jar file: `{"version": 1, "cookies": [...]}`, lossless for
//! everything the jar knows. It goes through private types, so the public
//! `Cookie` can change without changing the file, and a file from a newer
//! version is refused rather than misread.

use super::{Entry, LoadError, LoadErrorKind, Location, SaveReport};
use crate::cookie::{to_nanos, Cookie};
use crate::parse::SameSite;
use serde::{Deserialize, Serialize};
use std::sync::atomic::AtomicI64;
use time::OffsetDateTime;

/// The version this crate writes and reads.
const VERSION: u64 = 1;

#[derive(Serialize)]
struct FileOut {
    version: u64,
    cookies: Vec<CookieV1>,
}

/// One cookie in version 1 of the file.
#[derive(Serialize, Deserialize)]
struct CookieV1 {
    name: String,
    value: String,
    domain: String,
    path: String,
    host_only: bool,
    secure: bool,
    http_only: bool,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    same_site: Option<SameSiteV1>,
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    partitioned: bool,
    /// `null` (or absent) for a session cookie.
    #[serde(default, with = "time::serde::rfc3339::option")]
    expires: Option<OffsetDateTime>,
    #[serde(with = "time::serde::rfc3339")]
    created: OffsetDateTime,
    #[serde(with = "time::serde::rfc3339")]
    last_access: OffsetDateTime,
}

#[derive(Serialize, Deserialize, Clone, Copy)]
enum SameSiteV1 {
    Strict,
    Lax,
    None,
}

pub(crate) fn write(cookies: &[&Cookie], report: &mut SaveReport) -> String {
    let cookies: Vec<CookieV1> = cookies
        .iter()
        .map(|c| CookieV1 {
            name: c.name().into(),
            value: c.value().into(),
            domain: c.domain().into(),
            path: c.path().into(),
            host_only: c.host_only(),
            secure: c.secure_only(),
            http_only: c.http_only(),
            same_site: c.same_site().map(|s| match s {
                SameSite::Strict => SameSiteV1::Strict,
                SameSite::Lax => SameSiteV1::Lax,
                SameSite::None => SameSiteV1::None,
            }),
            partitioned: c.partitioned(),
            expires: c.expiry_time(),
            created: c.creation_time(),
            last_access: c.last_access_time(),
        })
        .collect();
    report.written += cookies.len();
    let mut text = serde_json::to_string_pretty(&FileOut {
        version: VERSION,
        cookies,
    })
    .unwrap_or_default();
    text.push('\n');
    text
}

/// Reads the file. A syntax error or an unknown version fails the whole
/// file; a bad cookie entry fails only that entry, at its JSON path.
pub(crate) fn read(text: &str, _now: OffsetDateTime) -> Result<Vec<Entry>, LoadError> {
    let text = text.strip_prefix('\u{feff}').unwrap_or(text);
    let file: serde_json::Value = serde_json::from_str(text).map_err(|e| {
        LoadError::new(
            LoadErrorKind::Syntax(e.to_string()),
            Some(Location::Line(e.line())),
        )
    })?;
    match file.get("version").and_then(serde_json::Value::as_u64) {
        Some(VERSION) => {}
        version => {
            let path = Location::JsonPath("version".into());
            return Err(LoadError::new(
                LoadErrorKind::UnsupportedVersion(version),
                Some(path),
            ));
        }
    }
    let Some(cookies) = file.get("cookies").and_then(serde_json::Value::as_array) else {
        let kind = LoadErrorKind::InvalidField("\"cookies\" must be an array".into());
        return Err(LoadError::new(
            kind,
            Some(Location::JsonPath("cookies".into())),
        ));
    };
    Ok(cookies
        .iter()
        .enumerate()
        .map(|(i, value)| {
            let location = Location::JsonPath(format!("cookies[{i}]"));
            match CookieV1::deserialize(value) {
                Ok(c) => Ok((from_v1(c), Some(location))),
                Err(e) => Err(LoadError::new(
                    LoadErrorKind::InvalidField(e.to_string()),
                    Some(location),
                )),
            }
        })
        .collect())
}

fn from_v1(c: CookieV1) -> Cookie {
    Cookie {
        name: c.name.into(),
        value: c.value.into(),
        domain: c.domain.into(),
        path: c.path.into(),
        expiry_time: c.expires,
        creation_time: c.created,
        last_access_time: AtomicI64::new(to_nanos(c.last_access)),
        host_only: c.host_only,
        secure_only: c.secure,
        http_only: c.http_only,
        same_site: c.same_site.map(|s| match s {
            SameSiteV1::Strict => SameSite::Strict,
            SameSiteV1::Lax => SameSite::Lax,
            SameSiteV1::None => SameSite::None,
        }),
        partitioned: c.partitioned,
    }
}

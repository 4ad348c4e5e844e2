//! The JSON jar file: `{"version": 1, "cookies": [...]}`, lossless for
//! everything the jar knows. It goes through private types, so the public
//! `Cookie` can change without changing the file, and a file from a newer
//! version is refused rather than misread.
//!
//! Reading streams: the top-level object is visited key by key, and each
//! entry of `cookies` is handed to the staging list as soon as it is read,
//! as raw JSON first (so that a bad entry fails alone, at its JSON path)
//! and then field by field (so that the error names the field and never
//! quotes its value).

use super::load::{io_error, Entry, Staging};
use super::{LoadError, LoadErrorKind, Location, SaveReport};
use crate::cookie::{to_nanos, utc, Cookie, Priority, Rfc2109Attributes};
use crate::parse::SameSite;
use serde::de::{
    self, DeserializeSeed, Deserializer as _, IgnoredAny, MapAccess, SeqAccess, Visitor,
};
use serde::Serialize;
use serde_json::value::RawValue;
use serde_json::{Map, Value};
use std::cell::RefCell;
use std::fmt;
use std::io::{self, BufRead};
use std::sync::atomic::AtomicI64;
use time::format_description::well_known::Rfc3339;
use time::OffsetDateTime;

/// The version this crate writes and reads.
const VERSION: u64 = 1;

#[derive(Serialize)]
struct FileOut<'c> {
    version: u64,
    cookies: Vec<CookieOut<'c>>,
}

/// One cookie in version 1 of the file, as written.
#[derive(Serialize)]
struct CookieOut<'c> {
    name: &'c str,
    value: &'c str,
    domain: &'c str,
    path: &'c str,
    host_only: bool,
    secure: bool,
    http_only: bool,
    #[serde(skip_serializing_if = "Option::is_none")]
    same_site: Option<&'static str>,
    #[serde(skip_serializing_if = "std::ops::Not::not")]
    partitioned: bool,
    /// CHIPS: the top-level site a partitioned cookie belongs to.
    #[serde(skip_serializing_if = "Option::is_none")]
    partition_key: Option<&'c str>,
    /// Chromium's `Priority`; absent means `Medium`.
    #[serde(skip_serializing_if = "Option::is_none")]
    priority: Option<&'static str>,
    /// `null` for a session cookie.
    #[serde(with = "time::serde::rfc3339::option")]
    expires: Option<OffsetDateTime>,
    #[serde(with = "time::serde::rfc3339")]
    created: OffsetDateTime,
    #[serde(with = "time::serde::rfc3339")]
    last_access: OffsetDateTime,
    /// RFC 2109's `Version` (`Profile::Rfc2109`); absent means 0.
    #[serde(skip_serializing_if = "is_zero")]
    version: u32,
    /// Whether the `Set-Cookie` had a `Path` (`Profile::Rfc2109`); absent
    /// means true.
    #[serde(skip_serializing_if = "Clone::clone")]
    path_specified: bool,
}

fn is_zero(v: &u32) -> bool {
    *v == 0
}

/// The file's text.
///
/// # Errors
///
/// The serializer's error, as `InvalidData`; never an empty file. (The jar
/// clamps its instants to years RFC 3339 can write, so this does not
/// happen with cookies the jar holds.)
pub(crate) fn write(cookies: &[&Cookie], report: &mut SaveReport) -> io::Result<String> {
    let cookies: Vec<CookieOut<'_>> = cookies
        .iter()
        .map(|c| CookieOut {
            name: c.name(),
            value: c.value(),
            domain: c.domain(),
            path: c.path(),
            host_only: c.host_only(),
            secure: c.secure_only(),
            http_only: c.http_only(),
            same_site: c.same_site().map(|s| s.as_str()),
            partitioned: c.partitioned(),
            partition_key: c.partition_key(),
            priority: (c.priority != Priority::Medium).then(|| c.priority.as_str()),
            expires: c.expiry_time(),
            created: c.creation_time(),
            last_access: c.last_access_time(),
            version: c.version(),
            path_specified: c.path_specified(),
        })
        .collect();
    let count = cookies.len();
    let mut text = serde_json::to_string_pretty(&FileOut {
        version: VERSION,
        cookies,
    })
    .map_err(|e| io::Error::new(io::ErrorKind::InvalidData, e))?;
    text.push('\n');
    report.written += count;
    Ok(text)
}

/// What the visitors share: the staging list and why they stopped.
struct Reading<'s, 'j> {
    staging: &'s mut Staging<'j>,
    /// Set when an entry stopped a strict load (the serde error that
    /// unwinds the parser only carries this signal).
    stopped: Option<LoadError>,
    /// Inside `cookies`: a type error there is about `cookies`.
    in_cookies: bool,
}

/// Reads the file into `staging`. A syntax error or an unknown version
/// fails the whole file; a bad entry fails only that entry, at its path.
pub(crate) fn read(reader: &mut impl BufRead, staging: &mut Staging<'_>) -> Result<(), LoadError> {
    // A UTF-8 byte-order mark, as some editors write.
    if reader
        .fill_buf()
        .map_err(io_error)?
        .starts_with(b"\xEF\xBB\xBF")
    {
        reader.consume(3);
    }
    let reading = RefCell::new(Reading {
        staging,
        stopped: None,
        in_cookies: false,
    });
    let mut de = serde_json::Deserializer::from_reader(reader);
    let outcome = de
        .deserialize_map(FileVisitor { reading: &reading })
        .and_then(|facts| de.end().map(|()| facts));
    let mut reading = reading.into_inner();
    if let Some(stop) = reading.stopped.take() {
        return Err(stop);
    }
    let facts = outcome.map_err(|e| serde_error(e, reading.in_cookies))?;
    match facts.version {
        None => Err(LoadError::at(
            LoadErrorKind::UnsupportedVersion(None),
            Location::JsonPath("version".into()),
        )),
        Some(Version::Number(VERSION)) => match facts.cookies_seen {
            true => Ok(()),
            false => Err(LoadError::invalid(
                "\"cookies\" is missing; it must be an array",
                Location::JsonPath("cookies".into()),
            )),
        },
        Some(Version::Number(other)) => Err(LoadError::at(
            LoadErrorKind::UnsupportedVersion(Some(other)),
            Location::JsonPath("version".into()),
        )),
        Some(Version::Other(what)) => Err(LoadError::invalid(
            format!("must be the number 1, found {what}"),
            Location::JsonPath("version".into()),
        )),
    }
}

fn serde_error(e: serde_json::Error, in_cookies: bool) -> LoadError {
    if e.is_io() {
        return io_error(io::Error::from(e));
    }
    let line = Location::Line(e.line());
    if e.is_data() {
        // Only the visitors below raise data errors: a top level that is
        // not an object, or a `cookies` that is not an array.
        return match in_cookies {
            true => LoadError::invalid(
                "must be an array of cookies",
                Location::JsonPath("cookies".into()),
            ),
            false => LoadError::invalid("a jar file must be a JSON object", line),
        };
    }
    LoadError::at(LoadErrorKind::Syntax(e.to_string()), line)
}

/// What the top-level object said.
struct Facts {
    version: Option<Version>,
    cookies_seen: bool,
}

enum Version {
    Number(u64),
    /// Anything else, described (never quoted).
    Other(&'static str),
}

struct FileVisitor<'r, 's, 'j> {
    reading: &'r RefCell<Reading<'s, 'j>>,
}

impl<'de> Visitor<'de> for FileVisitor<'_, '_, '_> {
    type Value = Facts;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("a cookiejar file object")
    }

    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Facts, A::Error> {
        let mut facts = Facts {
            version: None,
            cookies_seen: false,
        };
        while let Some(key) = map.next_key::<String>()? {
            match key.as_str() {
                "version" if facts.version.is_none() => {
                    facts.version = Some(map.next_value_seed(VersionSeed)?);
                }
                "cookies" if !facts.cookies_seen => {
                    self.reading.borrow_mut().in_cookies = true;
                    map.next_value_seed(CookiesSeed {
                        reading: self.reading,
                    })?;
                    self.reading.borrow_mut().in_cookies = false;
                    facts.cookies_seen = true;
                }
                "version" | "cookies" => {
                    let mut reading = self.reading.borrow_mut();
                    reading.stopped = Some(LoadError::invalid(
                        "appears twice",
                        Location::JsonPath(key.clone()),
                    ));
                    return Err(de::Error::custom("stopped"));
                }
                _ => {
                    map.next_value::<IgnoredAny>()?;
                }
            }
        }
        Ok(facts)
    }
}

struct VersionSeed;

impl<'de> DeserializeSeed<'de> for VersionSeed {
    type Value = Version;

    fn deserialize<D: de::Deserializer<'de>>(self, d: D) -> Result<Version, D::Error> {
        d.deserialize_any(VersionSeed)
    }
}

impl<'de> Visitor<'de> for VersionSeed {
    type Value = Version;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("a version number")
    }

    fn visit_u64<E>(self, v: u64) -> Result<Version, E> {
        Ok(Version::Number(v))
    }

    fn visit_i64<E>(self, _: i64) -> Result<Version, E> {
        Ok(Version::Other("a negative number"))
    }

    fn visit_f64<E>(self, _: f64) -> Result<Version, E> {
        Ok(Version::Other("a number with a fraction or an exponent"))
    }

    fn visit_str<E>(self, _: &str) -> Result<Version, E> {
        Ok(Version::Other("a string"))
    }

    fn visit_bool<E>(self, _: bool) -> Result<Version, E> {
        Ok(Version::Other("a boolean"))
    }

    fn visit_unit<E>(self) -> Result<Version, E> {
        Ok(Version::Other("null"))
    }

    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<Version, A::Error> {
        while seq.next_element::<IgnoredAny>()?.is_some() {}
        Ok(Version::Other("an array"))
    }

    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Version, A::Error> {
        while map.next_entry::<IgnoredAny, IgnoredAny>()?.is_some() {}
        Ok(Version::Other("an object"))
    }
}

struct CookiesSeed<'r, 's, 'j> {
    reading: &'r RefCell<Reading<'s, 'j>>,
}

impl<'de> DeserializeSeed<'de> for CookiesSeed<'_, '_, '_> {
    type Value = ();

    fn deserialize<D: de::Deserializer<'de>>(self, d: D) -> Result<(), D::Error> {
        d.deserialize_seq(self)
    }
}

impl<'de> Visitor<'de> for CookiesSeed<'_, '_, '_> {
    type Value = ();

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("an array of cookies")
    }

    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<(), A::Error> {
        let mut index = 0usize;
        while let Some(raw) = seq.next_element::<Box<RawValue>>()? {
            let mut reading = self.reading.borrow_mut();
            let location = format!("cookies[{index}]");
            let entry = entry(raw.get(), &location);
            if let Err(stop) = reading.staging.take(entry) {
                reading.stopped = Some(stop);
                return Err(de::Error::custom("stopped"));
            }
            index += 1;
        }
        Ok(())
    }
}

/// One entry of `cookies`, field by field.
fn entry(raw: &str, location: &str) -> Entry {
    let at = |field: &str| Location::JsonPath(format!("{location}.{field}"));
    let Ok(fields) = serde_json::from_str::<Map<String, Value>>(raw) else {
        return Err(LoadError::invalid(
            "each cookie must be an object",
            Location::JsonPath(location.into()),
        ));
    };
    let text = |name: &str| match fields.get(name) {
        Some(Value::String(s)) => Ok(s.as_str()),
        Some(_) => Err(LoadError::invalid("must be a string", at(name))),
        None => Err(LoadError::invalid("is missing", at(name))),
    };
    let flag = |name: &str, default: Option<bool>| match (fields.get(name), default) {
        (Some(Value::Bool(b)), _) => Ok(*b),
        (None, Some(default)) => Ok(default),
        (None, None) => Err(LoadError::invalid("is missing", at(name))),
        (Some(_), _) => Err(LoadError::invalid("must be true or false", at(name))),
    };
    let instant = |name: &str| -> Result<Option<OffsetDateTime>, LoadError> {
        match fields.get(name) {
            None | Some(Value::Null) => Ok(None),
            Some(Value::String(s)) => OffsetDateTime::parse(s, &Rfc3339)
                .map(Some)
                .map_err(|_| LoadError::invalid("must be an RFC 3339 date-time", at(name))),
            Some(_) => Err(LoadError::invalid(
                "must be an RFC 3339 date-time string",
                at(name),
            )),
        }
    };
    let required =
        |name: &str| instant(name)?.ok_or_else(|| LoadError::invalid("is missing", at(name)));
    let (name, value, domain, path) = (
        text("name")?,
        text("value")?,
        text("domain")?,
        text("path")?,
    );
    let host_only = flag("host_only", None)?;
    let secure_only = flag("secure", None)?;
    let http_only = flag("http_only", None)?;
    let same_site = match fields.get("same_site") {
        None | Some(Value::Null) => None,
        Some(Value::String(s)) if s == "Strict" => Some(SameSite::Strict),
        Some(Value::String(s)) if s == "Lax" => Some(SameSite::Lax),
        Some(Value::String(s)) if s == "None" => Some(SameSite::None),
        Some(_) => {
            return Err(LoadError::invalid(
                "must be \"Strict\", \"Lax\", \"None\" or null",
                at("same_site"),
            ))
        }
    };
    let partitioned = flag("partitioned", Some(false))?;
    // Absent from files written before partitions were kept: the jar then
    // files a partitioned cookie under its own site (`Jar::admit_loaded`).
    let partition_key = match fields.get("partition_key") {
        None | Some(Value::Null) => None,
        Some(Value::String(s)) => Some(Box::new(s.as_str().into())),
        Some(_) => {
            return Err(LoadError::invalid(
                "must be a string or null",
                at("partition_key"),
            ))
        }
    };
    let priority = match fields.get("priority") {
        None | Some(Value::Null) => Priority::Medium,
        Some(Value::String(s)) if s == "Low" => Priority::Low,
        Some(Value::String(s)) if s == "Medium" => Priority::Medium,
        Some(Value::String(s)) if s == "High" => Priority::High,
        Some(_) => {
            return Err(LoadError::invalid(
                "must be \"Low\", \"Medium\", \"High\" or null",
                at("priority"),
            ))
        }
    };
    let version = match fields.get("version") {
        None => Rfc2109Attributes::LOADED.version,
        Some(v) => v
            .as_u64()
            .and_then(|v| u32::try_from(v).ok())
            .ok_or_else(|| LoadError::invalid("must be a whole number", at("version")))?,
    };
    let path_specified = flag(
        "path_specified",
        Some(Rfc2109Attributes::LOADED.path_specified),
    )?;
    let expiry_time = instant("expires")?;
    let creation_time = required("created")?;
    let last_access = required("last_access")?;
    let cookie = Cookie {
        name: name.into(),
        value: value.into(),
        domain: domain.into(),
        path: path.into(),
        expiry_time: expiry_time.map(utc),
        creation_time: utc(creation_time),
        last_access_time: AtomicI64::new(to_nanos(last_access)),
        host_only,
        secure_only,
        http_only,
        same_site,
        partitioned,
        partition_key,
        priority,
        rfc2109: Rfc2109Attributes {
            version,
            path_specified,
        },
    };
    Ok((cookie, Location::JsonPath(location.into())))
}

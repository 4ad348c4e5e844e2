//! Netscape `cookies.txt`, the format curl, wget, yt-dlp and browser export
//! extensions exchange: one cookie a line, 7 TAB-separated fields
//! (`domain`, `include subdomains`, `path`, `secure`, `expires` in Unix
//! seconds with 0 for a session cookie, `name`, `value`), `#` comments, and
//! curl's `#HttpOnly_` prefix on the domain of an HttpOnly cookie.

use super::{Entry, LoadError, LoadErrorKind, Location, SaveReport};
use crate::cookie::{to_nanos, Cookie};
use std::fmt::Write as _;
use std::sync::atomic::AtomicI64;
use time::OffsetDateTime;

const HEADER: &str =
    "# Netscape HTTP Cookie File\n# Written by cookiejar. Edit at your own risk.\n\n";
const HTTP_ONLY_PREFIX: &str = "#HttpOnly_";

/// Writes the cookies; a cookie with a TAB or line break in a field cannot
/// be represented and is counted, not written.
pub(crate) fn write(cookies: &[&Cookie], report: &mut SaveReport) -> String {
    let mut out = String::from(HEADER);
    for c in cookies {
        let fields = [c.name(), c.value(), c.domain(), c.path()];
        if fields.iter().any(|f| f.contains(['\t', '\n', '\r'])) {
            report.unrepresentable += 1;
            continue;
        }
        let expires = c.expiry_time().map_or(0, |t| t.unix_timestamp().max(1));
        let _ = writeln!(
            out,
            "{}{}{}\t{}\t{}\t{}\t{}\t{}\t{}",
            if c.http_only() { HTTP_ONLY_PREFIX } else { "" },
            if c.host_only() { "" } else { "." },
            c.domain(),
            if c.host_only() { "FALSE" } else { "TRUE" },
            c.path(),
            if c.secure_only() { "TRUE" } else { "FALSE" },
            expires,
            c.name(),
            c.value(),
        );
        report.written += 1;
    }
    out
}

/// Reads every cookie line; comments and blank lines are skipped, CRLF
/// line ends and a UTF-8 byte-order mark are accepted.
pub(crate) fn read(text: &str, now: OffsetDateTime) -> Vec<Entry> {
    let text = text.strip_prefix('\u{feff}').unwrap_or(text);
    text.lines()
        .enumerate()
        .filter_map(|(i, line)| {
            let line = line.strip_suffix('\r').unwrap_or(line);
            let (http_only, line) = match line.strip_prefix(HTTP_ONLY_PREFIX) {
                Some(rest) => (true, rest),
                None => (false, line),
            };
            if line.trim().is_empty() || line.starts_with('#') {
                return None;
            }
            let location = Location::Line(i + 1);
            Some(
                parse_line(line, http_only, now)
                    .map(|c| (c, Some(location.clone())))
                    .map_err(|kind| LoadError::new(kind, Some(location))),
            )
        })
        .collect()
}

fn parse_line(line: &str, http_only: bool, now: OffsetDateTime) -> Result<Cookie, LoadErrorKind> {
    let fields: Vec<&str> = line.split('\t').collect();
    // Some exporters drop the TAB before an empty value.
    let [domain, subdomains, path, secure, expires, name, value] = match fields.as_slice() {
        [d, s, p, sec, e, n, v] => [*d, *s, *p, *sec, *e, *n, *v],
        [d, s, p, sec, e, n] => [*d, *s, *p, *sec, *e, *n, ""],
        other => return Err(LoadErrorKind::FieldCount(other.len())),
    };
    let flag = |field: &str, what: &str| match field {
        f if f.eq_ignore_ascii_case("TRUE") => Ok(true),
        f if f.eq_ignore_ascii_case("FALSE") => Ok(false),
        f => Err(LoadErrorKind::InvalidField(format!(
            "{what} must be TRUE or FALSE, found {f:?}"
        ))),
    };
    let include_subdomains = flag(subdomains, "the include-subdomains field")?;
    let secure_only = flag(secure, "the secure field")?;
    let expires: i64 = expires.trim().parse().map_err(|_| {
        LoadErrorKind::InvalidField(format!("expires must be Unix seconds, found {expires:?}"))
    })?;
    let expiry_time = match expires {
        0 => None,
        s if s < 0 => {
            return Err(LoadErrorKind::InvalidField(format!(
                "expires must not be negative, found {s}"
            )))
        }
        s => Some(
            OffsetDateTime::from_unix_timestamp(s)
                .unwrap_or(time::PrimitiveDateTime::MAX.assume_utc()),
        ),
    };
    Ok(Cookie {
        name: name.into(),
        value: value.into(),
        domain: domain
            .strip_prefix('.')
            .unwrap_or(domain)
            .to_ascii_lowercase()
            .into(),
        path: path.into(),
        expiry_time,
        creation_time: now,
        last_access_time: AtomicI64::new(to_nanos(now)),
        host_only: !include_subdomains,
        secure_only,
        http_only,
        same_site: None,
        partitioned: false,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_what_curl_and_browser_exports_write() {
        let now = time::macros::datetime!(2026-01-01 0:00 UTC);
        let text = "\u{feff}# Netscape HTTP Cookie File\r\n\r\n.example.com\tTRUE\t/\tFALSE\t1900000000\t_ga\tGA1.2\r\n#HttpOnly_www.example.com\tFALSE\t/app\tTRUE\t0\tsid\tabc\n# a comment\nexample.org\tFALSE\t/\tFALSE\t0\tempty\n";
        let entries = read(text, now);
        assert_eq!(entries.len(), 3);
        let cookies: Vec<Cookie> = entries.into_iter().map(|e| e.unwrap().0).collect();
        assert_eq!(
            (
                cookies[0].domain(),
                cookies[0].host_only(),
                cookies[0].persistent()
            ),
            ("example.com", false, true)
        );
        assert_eq!(
            (
                cookies[1].name(),
                cookies[1].http_only(),
                cookies[1].secure_only()
            ),
            ("sid", true, true)
        );
        assert_eq!(
            (
                cookies[1].path(),
                cookies[1].host_only(),
                cookies[1].persistent()
            ),
            ("/app", true, false)
        );
        assert_eq!((cookies[2].name(), cookies[2].value()), ("empty", ""));
    }

    #[test]
    fn bad_lines_say_where_and_what() {
        let now = OffsetDateTime::UNIX_EPOCH;
        let text =
            "a\tTRUE\t/\n\nb.com\tMAYBE\t/\tFALSE\t0\tn\tv\nc.com\tTRUE\t/\tFALSE\tsoon\tn\tv\n";
        let errors: Vec<String> = read(text, now)
            .into_iter()
            .map(|e| e.unwrap_err().to_string())
            .collect();
        assert_eq!(
            errors,
            [
                "line 1: expected 7 TAB-separated fields, found 3",
                "line 3: the include-subdomains field must be TRUE or FALSE, found \"MAYBE\"",
                "line 4: expires must be Unix seconds, found \"soon\"",
            ]
        );
    }
}

//! Netscape `cookies.txt`, the format curl, wget, Python's
//! `http.cookiejar`, yt-dlp and browser export extensions exchange: one
//! cookie a line, 7 TAB-separated fields (`domain`, `include subdomains`,
//! `path`, `secure`, `expires` in Unix seconds, `name`, `value`), `#`
//! comments, and curl's `#HttpOnly_` prefix on the domain of an `HttpOnly`
//! cookie.
//!
//! The reader takes what those tools really write (each case has a test
//! whose input is that tool's output, in `testdata/tools/`):
//!
//! | what | who writes it | read as |
//! | --- | --- | --- |
//! | expiry `0` | curl, wget, yt-dlp | session cookie |
//! | a comment indented by blanks | hand edits; curl skips the blanks | comment |
//! | empty expiry | Python's `MozillaCookieJar` | session cookie |
//! | `host:port` domain | wget, for a non-default port | the host (RFC 6265 section 8.5: ports are not part of a cookie's identity) |
//! | fractional expiry | browser extensions | rounded down |
//! | negative expiry | some exports; curl skips the line | expired, counted in `LoadReport::expired` |
//! | a trailing TAB (8 fields), CR before LF | browser extensions, Windows | tolerated |
//! | 6 fields (no TAB before an empty value) | some exporters | empty value |
//! | UTF-8 byte-order mark, `#` comments, blank lines | editors, everyone | skipped |

use super::load::{io_error, Staging};
use super::{
    LineEnding, LoadError, LoadErrorKind, Location, NetscapeDialect, SaveOptions, SaveReport,
};
use crate::cookie::{clamp_instant, to_nanos, utc, Cookie, Priority, LATEST};
use std::fmt::Write as _;
use std::io::BufRead;
use std::sync::atomic::AtomicI64;
use time::OffsetDateTime;

const MAGIC: &str = "# Netscape HTTP Cookie File";
const HTTP_ONLY_PREFIX: &str = "#HttpOnly_";

/// Writes the cookies; a cookie with a TAB or line break in a field, or
/// with a partition key, cannot be represented and is counted, not written.
pub(crate) fn write(cookies: &[&Cookie], options: SaveOptions, report: &mut SaveReport) -> String {
    let eol = match options.line_ending {
        LineEnding::Lf => "\n",
        LineEnding::Crlf => "\r\n",
    };
    let mut out = format!("{MAGIC}{eol}# Written by cookiejar. Edit at your own risk.{eol}{eol}");
    for c in cookies {
        let fields = [c.name(), c.value(), c.domain(), c.path()];
        // A partitioned cookie written without its key would load back
        // unpartitioned and be sent under every top-level site (CHIPS):
        // leaving it out is the safe loss.
        if fields.iter().any(|f| f.contains(['\t', '\n', '\r'])) || c.partition_key().is_some() {
            report.unrepresentable += 1;
            continue;
        }
        // Expiry 0 means "session", so a cookie that expires in the first
        // second of 1970 (it is expired and never saved anyway) is not 0.
        let expires = match (c.expiry_time(), options.netscape_dialect) {
            (Some(t), _) => t.unix_timestamp().max(1).to_string(),
            (None, NetscapeDialect::Python) => String::new(),
            (None, _) => "0".to_owned(),
        };
        let marked = c.http_only() && options.netscape_dialect != NetscapeDialect::Wget;
        let _ = write!(
            out,
            "{}{}{}\t{}\t{}\t{}\t{}\t{}\t{}{eol}",
            if marked { HTTP_ONLY_PREFIX } else { "" },
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
        report.times_lost += 1;
        report.http_only_unmarked += usize::from(c.http_only() && !marked);
        report.same_site_lost += usize::from(c.same_site().is_some());
        report.partitioned_lost += usize::from(c.partitioned());
        report.subsecond_expiry_lost +=
            usize::from(c.expiry_time().is_some_and(|t| t.nanosecond() != 0));
    }
    out
}

/// Reads every cookie line, one line in memory at a time, into `staging`.
pub(crate) fn read(reader: &mut impl BufRead, staging: &mut Staging<'_>) -> Result<(), LoadError> {
    let mut line = Vec::new();
    let (mut number, mut crlf, mut lf) = (0usize, 0usize, 0usize);
    let cap = MAX_LINE_BYTES.max(2 * staging.max_cookie_bytes());
    loop {
        line.clear();
        let (read, whole) = read_line_capped(reader, &mut line, cap).map_err(io_error)?;
        if read == 0 {
            break;
        }
        number += 1;
        if !whole {
            let what = format!("the line is longer than {cap} bytes");
            staging.skip(LoadError::invalid(what, Location::Line(number)))?;
            continue;
        }
        let mut bytes = line.as_slice();
        if let Some(rest) = bytes.strip_suffix(b"\n") {
            bytes = rest;
            match rest.strip_suffix(b"\r") {
                Some(rest) => {
                    bytes = rest;
                    crlf += 1;
                }
                None => lf += 1,
            }
        }
        if number == 1 {
            bytes = bytes.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(bytes);
        }
        let location = Location::Line(number);
        let Ok(text) = std::str::from_utf8(bytes) else {
            staging.skip(LoadError::at(LoadErrorKind::InvalidUtf8, location))?;
            continue;
        };
        let (http_only, text) = match text.strip_prefix(HTTP_ONLY_PREFIX) {
            Some(rest) => (true, rest),
            None => (false, text),
        };
        if text.trim().is_empty() {
            continue;
        }
        // curl skips leading blanks: `  # note` and `\t# note` are comments.
        if text.trim_start().starts_with('#') {
            let text = text.trim_start();
            let magic = number == 1 && text.trim_end() == MAGIC;
            let ours = text.starts_with("# Written by cookiejar.");
            staging.report.comment_lines += usize::from(!magic && !ours);
            continue;
        }
        let now = staging.now();
        let entry = parse_line(text, http_only, now)
            .map(|c| (c, location.clone()))
            .map_err(|kind| LoadError::at(kind, location));
        staging.take(entry)?;
    }
    staging.report.line_ending = if crlf > lf {
        LineEnding::Crlf
    } else {
        LineEnding::Lf
    };
    Ok(())
}

/// The longest line read whole, unless the jar's cookie size limit calls
/// for more: a cookie of 4096 bytes with a long domain and path fits many
/// times over, and a file of one endless line (`/dev/zero`) costs no more.
const MAX_LINE_BYTES: usize = 64 << 10;

/// Reads one line (with its `\n`) into `line`, keeping at most `cap`
/// bytes; the rest of a longer line is read and dropped. Returns the bytes
/// read and whether the line was kept whole.
fn read_line_capped(
    reader: &mut impl BufRead,
    line: &mut Vec<u8>,
    cap: usize,
) -> std::io::Result<(usize, bool)> {
    let mut read = 0;
    loop {
        let buf = reader.fill_buf()?;
        if buf.is_empty() {
            return Ok((read, line.len() <= cap));
        }
        let chunk = match buf.iter().position(|&b| b == b'\n') {
            Some(i) => buf.split_at(i + 1).0,
            None => buf,
        };
        let done = chunk.last() == Some(&b'\n');
        let room = (cap + 1).saturating_sub(line.len()).min(chunk.len());
        line.extend_from_slice(chunk.get(..room).unwrap_or(chunk));
        let used = chunk.len();
        reader.consume(used);
        read += used;
        if done {
            return Ok((read, line.len() <= cap));
        }
    }
}

/// The domain field: one leading dot (the old Netscape spelling of a domain
/// cookie) and a `:port` (wget's, for a non-default port) are dropped; the
/// rest must be a canonical domain, which the jar's rules check.
fn domain_field(field: &str) -> String {
    let field = field.strip_prefix('.').unwrap_or(field);
    let host = match field.strip_prefix('[') {
        // `[::1]:8080`: an IPv6 literal with a port.
        Some(bracketed) => bracketed.split_once(']').map_or(field, |(ip, _)| ip),
        // `host:8443`; a bare IPv6 literal has more than one colon.
        None => match field.split_once(':') {
            Some((host, port))
                if !port.contains(':')
                    && !port.is_empty()
                    && port.bytes().all(|b| b.is_ascii_digit()) =>
            {
                host
            }
            _ => field,
        },
    };
    host.to_ascii_lowercase()
}

/// The expiry field: `None` for a session cookie (`0` or empty).
fn expiry_field(field: &str) -> Result<Option<OffsetDateTime>, LoadErrorKind> {
    let field = field.trim();
    let invalid = || {
        LoadErrorKind::InvalidField(
            "the expires field must be Unix seconds (0 or empty for a session cookie)".into(),
        )
    };
    if field.is_empty() {
        return Ok(None);
    }
    // Browser extensions write fractions of a second: round down.
    let (whole, fraction) = field.split_once('.').unwrap_or((field, "0"));
    if !fraction.bytes().all(|b| b.is_ascii_digit()) || fraction.is_empty() {
        return Err(invalid());
    }
    let (negative, digits) = match whole.strip_prefix('-') {
        Some(digits) => (true, digits),
        None => (false, whole),
    };
    if digits.is_empty() || !digits.bytes().all(|b| b.is_ascii_digit()) {
        return Err(invalid());
    }
    if negative {
        // Already expired: dropped and counted like any expired cookie.
        return Ok(Some(OffsetDateTime::UNIX_EPOCH));
    }
    let seconds: i64 = match digits.parse() {
        Ok(0) if fraction.bytes().all(|b| b == b'0') => return Ok(None),
        Ok(s) => s,
        // More digits than an i64: far beyond any date the jar keeps.
        Err(_) => return Ok(Some(LATEST)),
    };
    Ok(Some(
        OffsetDateTime::from_unix_timestamp(seconds).map_or(LATEST, clamp_instant),
    ))
}

fn parse_line(line: &str, http_only: bool, now: OffsetDateTime) -> Result<Cookie, LoadErrorKind> {
    let mut fields: Vec<&str> = line.split('\t').collect();
    // A trailing TAB (browser extensions write one) makes an empty 8th field.
    if fields.len() == 8 && fields.last() == Some(&"") {
        fields.pop();
    }
    // Some exporters drop the TAB before an empty value.
    let [domain, subdomains, path, secure, expires, name, value] = match fields.as_slice() {
        [d, s, p, sec, e, n, v] => [*d, *s, *p, *sec, *e, *n, *v],
        [d, s, p, sec, e, n] => [*d, *s, *p, *sec, *e, *n, ""],
        other => return Err(LoadErrorKind::FieldCount(other.len())),
    };
    let flag = |field: &str, what: &str| match field {
        f if f.eq_ignore_ascii_case("TRUE") => Ok(true),
        f if f.eq_ignore_ascii_case("FALSE") => Ok(false),
        _ => Err(LoadErrorKind::InvalidField(format!(
            "the {what} field must be TRUE or FALSE"
        ))),
    };
    let include_subdomains = flag(subdomains, "include-subdomains")?;
    let secure_only = flag(secure, "secure")?;
    Ok(Cookie {
        name: name.into(),
        value: value.into(),
        domain: domain_field(domain).into(),
        path: path.into(),
        expiry_time: expiry_field(expires)?.map(utc),
        creation_time: utc(now),
        last_access_time: AtomicI64::new(to_nanos(now)),
        host_only: !include_subdomains,
        secure_only,
        http_only,
        same_site: None,
        partitioned: false,
        partition_key: None,
        priority: Priority::Medium,
        rfc2109: crate::cookie::Rfc2109Attributes::LOADED,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn domain_fields() {
        let cases = [
            (".example.com", "example.com"),
            ("Example.COM", "example.com"),
            ("www.shop.example:8443", "www.shop.example"),
            ("127.0.0.1:8080", "127.0.0.1"),
            ("[::1]:8080", "::1"),
            ("::1", "::1"),
            ("..x", ".x"),
            ("host:", "host:"),
            ("host:80a", "host:80a"),
        ];
        for (field, want) in cases {
            assert_eq!(domain_field(field), want, "{field:?}");
        }
    }

    #[test]
    fn expiry_fields() {
        let at = |s: i64| Some(OffsetDateTime::from_unix_timestamp(s).unwrap());
        let cases: [(&str, Result<Option<OffsetDateTime>, ()>); 12] = [
            ("0", Ok(None)),
            ("", Ok(None)),
            ("  ", Ok(None)),
            ("1796754133", Ok(at(1_796_754_133))),
            ("1796754133.561", Ok(at(1_796_754_133))),
            ("1796754133.", Err(())),
            ("-1", Ok(Some(OffsetDateTime::UNIX_EPOCH))),
            ("300000000000", Ok(Some(LATEST))),
            ("99999999999999999999999", Ok(Some(LATEST))),
            ("soon", Err(())),
            ("1e9", Err(())),
            ("0.0", Ok(None)),
        ];
        for (field, want) in cases {
            assert_eq!(expiry_field(field).map_err(|_| ()), want, "{field:?}");
        }
    }
}

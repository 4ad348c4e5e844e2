//! Writing headers: a validating `Set-Cookie` builder (the server grammar of
//! RFC 6265 section 4.1.1) and the `Cookie` request header (RFC 6265
//! section 5.4 step 4). Both read back through the parsers to what was
//! written (see the round-trip properties in `tests/roundtrip.rs`).

use crate::parse::{
    write_pair, HttpDate, SameSite, MAX_ATTRIBUTE_VALUE_BYTES, MAX_NAME_VALUE_BYTES,
};
use std::fmt::{self, Write as _};
use time::OffsetDateTime;

/// Why a header could not be written.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum BuildError {
    /// The name is not an RFC 2616 token (RFC 6265 section 4.1.1
    /// `cookie-name = token`), or is one of RFC 2109's reserved `$Version`,
    /// `$Path`, `$Domain`, `$Port` in a `Cookie` header.
    InvalidName,
    /// The value has a byte outside `cookie-octet` (RFC 6265 section 4.1.1)
    /// or, in a `Cookie` header, a `;`, a control character, or leading or
    /// trailing whitespace.
    InvalidValue,
    /// The domain is empty or has a byte outside `av-octet`.
    InvalidDomain,
    /// The path does not start with `/` or has a byte outside `av-octet`.
    InvalidPath,
    /// The name and value exceed 4096 bytes, or an attribute value exceeds
    /// 1024 bytes: a user agent would ignore it (RFC 6265bis section 5.6).
    TooLong,
    /// `Expires` is outside the years 1601 to 9999, which the cookie-date
    /// algorithm cannot read back (RFC 6265 section 5.1.1 step 5).
    ExpiresOutOfRange,
    /// A `Cookie` header needs at least one cookie.
    NoCookies,
}

impl fmt::Display for BuildError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            BuildError::InvalidName => "cookie name is not a valid token",
            BuildError::InvalidValue => "cookie value has a byte that cannot be sent",
            BuildError::InvalidDomain => "domain attribute is empty or has an invalid byte",
            BuildError::InvalidPath => {
                "path attribute must start with '/' and have no ';' or control byte"
            }
            BuildError::TooLong => "cookie exceeds the size a user agent accepts",
            BuildError::ExpiresOutOfRange => "expires must be between the years 1601 and 9999",
            BuildError::NoCookies => "a Cookie header needs at least one cookie",
        })
    }
}

impl std::error::Error for BuildError {}

/// Builds a `Set-Cookie` header value that conforms to the server grammar
/// of RFC 6265 section 4.1.1 ("Servers SHOULD NOT send Set-Cookie headers
/// that fail to conform to the following grammar").
///
/// <https://www.rfc-editor.org/rfc/rfc6265#section-4.1.1>
///
/// # Example
///
/// ```
/// use cookiejar::{SameSite, SetCookie, SetCookieBuilder};
///
/// let header = SetCookieBuilder::new("sid", "31d4d96e407aad42")
///     .path("/")
///     .max_age(3600)
///     .secure(true)
///     .http_only(true)
///     .same_site(SameSite::Lax)
///     .build()?;
/// assert_eq!(header, "sid=31d4d96e407aad42; Max-Age=3600; Path=/; Secure; HttpOnly; SameSite=Lax");
/// assert_eq!(SetCookie::parse(&header)?.max_age(), Some(3600));
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
#[derive(Clone, PartialEq, Eq)]
pub struct SetCookieBuilder {
    name: String,
    value: String,
    expires: Option<OffsetDateTime>,
    max_age: Option<i64>,
    domain: Option<String>,
    path: Option<String>,
    secure: bool,
    http_only: bool,
    same_site: Option<SameSite>,
    partitioned: bool,
}

impl fmt::Debug for SetCookieBuilder {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("SetCookieBuilder")
            .field("name", &self.name)
            .field(
                "value",
                &format_args!("<redacted, {} bytes>", self.value.len()),
            )
            .field("domain", &self.domain)
            .field("path", &self.path)
            .finish_non_exhaustive()
    }
}

impl SetCookieBuilder {
    /// Starts a cookie with a name and a value.
    pub fn new(name: impl Into<String>, value: impl Into<String>) -> Self {
        SetCookieBuilder {
            name: name.into(),
            value: value.into(),
            expires: None,
            max_age: None,
            domain: None,
            path: None,
            secure: false,
            http_only: false,
            same_site: None,
            partitioned: false,
        }
    }

    /// `Expires`, written as an IMF-fixdate.
    pub fn expires(mut self, at: OffsetDateTime) -> Self {
        self.expires = Some(at);
        self
    }

    /// `Max-Age` in seconds; zero or less asks the user agent to delete.
    pub fn max_age(mut self, seconds: i64) -> Self {
        self.max_age = Some(seconds);
        self
    }

    /// `Domain`: the cookie is then sent to subdomains too.
    pub fn domain(mut self, domain: impl Into<String>) -> Self {
        self.domain = Some(domain.into());
        self
    }

    /// `Path`.
    pub fn path(mut self, path: impl Into<String>) -> Self {
        self.path = Some(path.into());
        self
    }

    /// `Secure`.
    pub fn secure(mut self, secure: bool) -> Self {
        self.secure = secure;
        self
    }

    /// `HttpOnly`.
    pub fn http_only(mut self, http_only: bool) -> Self {
        self.http_only = http_only;
        self
    }

    /// `SameSite`.
    pub fn same_site(mut self, same_site: SameSite) -> Self {
        self.same_site = Some(same_site);
        self
    }

    /// `Partitioned` (CHIPS).
    pub fn partitioned(mut self, partitioned: bool) -> Self {
        self.partitioned = partitioned;
        self
    }

    /// Writes the header value.
    ///
    /// # Errors
    ///
    /// A [`BuildError`] naming the first part that breaks the RFC 6265
    /// section 4.1.1 grammar or the RFC 6265bis size limits.
    pub fn build(&self) -> Result<String, BuildError> {
        if !is_token(&self.name) {
            return Err(BuildError::InvalidName);
        }
        if !is_cookie_value(&self.value) {
            return Err(BuildError::InvalidValue);
        }
        if self.name.len() + self.value.len() > MAX_NAME_VALUE_BYTES {
            return Err(BuildError::TooLong);
        }
        if let Some(domain) = &self.domain {
            if domain.is_empty() || !is_av_value(domain) {
                return Err(BuildError::InvalidDomain);
            }
        }
        if let Some(path) = &self.path {
            if !path.starts_with('/') || !is_av_value(path) {
                return Err(BuildError::InvalidPath);
            }
        }
        let too_long = |v: &Option<String>| {
            v.as_ref()
                .is_some_and(|v| v.len() > MAX_ATTRIBUTE_VALUE_BYTES)
        };
        if too_long(&self.domain) || too_long(&self.path) {
            return Err(BuildError::TooLong);
        }
        if let Some(expires) = self.expires {
            if !(1601..=9999).contains(&expires.to_offset(time::UtcOffset::UTC).year()) {
                return Err(BuildError::ExpiresOutOfRange);
            }
        }
        let mut out = String::with_capacity(self.name.len() + self.value.len() + 64);
        // Writing to a String cannot fail.
        let _ = self.write(&mut out);
        Ok(out)
    }

    fn write(&self, out: &mut String) -> fmt::Result {
        write!(out, "{}={}", self.name, self.value)?;
        if let Some(expires) = self.expires {
            write!(out, "; Expires={}", HttpDate(expires))?;
        }
        if let Some(max_age) = self.max_age {
            write!(out, "; Max-Age={max_age}")?;
        }
        if let Some(domain) = &self.domain {
            write!(out, "; Domain={domain}")?;
        }
        if let Some(path) = &self.path {
            write!(out, "; Path={path}")?;
        }
        for (on, attribute) in [(self.secure, "; Secure"), (self.http_only, "; HttpOnly")] {
            if on {
                out.push_str(attribute);
            }
        }
        if let Some(same_site) = self.same_site {
            write!(out, "; SameSite={same_site}")?;
        }
        if self.partitioned {
            out.push_str("; Partitioned");
        }
        Ok(())
    }
}

/// Writes a `Cookie` request header from `(name, value)` pairs in the
/// order given: `name=value; name2=value2` (RFC 6265 section 5.4 step 4).
/// A pair with an empty name is a nameless cookie and is written as just
/// its value (RFC 6265bis section 5.7.2).
///
/// The jar writes its headers itself, in RFC 6265 section 5.4 order; this is
/// for callers that assemble a header by hand.
///
/// # Errors
///
/// [`BuildError::InvalidName`] or [`BuildError::InvalidValue`] for a pair
/// that would not read back as itself (a `;`, a control character, a `=` in
/// the name, surrounding whitespace, a reserved `$` name), and
/// [`BuildError::NoCookies`] for no pairs.
///
/// # Example
///
/// ```
/// use cookiejar::write_cookie_header;
///
/// assert_eq!(write_cookie_header([("sid", "abc"), ("", "flag")])?, "sid=abc; flag");
/// # Ok::<(), cookiejar::BuildError>(())
/// ```
pub fn write_cookie_header<'a, I>(pairs: I) -> Result<String, BuildError>
where
    I: IntoIterator<Item = (&'a str, &'a str)>,
{
    let mut out = String::new();
    for (name, value) in pairs {
        let reserved = ["$Version", "$Path", "$Domain", "$Port"]
            .iter()
            .any(|r| name.eq_ignore_ascii_case(r));
        if reserved || name.contains('=') || !is_request_text(name) {
            return Err(BuildError::InvalidName);
        }
        if !is_request_text(value) || (name.is_empty() && value.is_empty()) {
            return Err(BuildError::InvalidValue);
        }
        if !out.is_empty() {
            out.push_str("; ");
        }
        let _ = write_pair(&mut out, name, value);
    }
    if out.is_empty() {
        return Err(BuildError::NoCookies);
    }
    Ok(out)
}

/// Text that survives the lenient request-header parser unchanged: no `;`,
/// no control character, no surrounding WSP.
fn is_request_text(s: &str) -> bool {
    let wsp = |c: char| c == ' ' || c == '\t';
    !s.starts_with(wsp)
        && !s.ends_with(wsp)
        && !s
            .bytes()
            .any(|b| b == b';' || (b < 0x20 && b != b'\t') || b == 0x7F)
}

/// `token` (RFC 2616 section 2.2): 1*<any CHAR except CTLs or separators>.
fn is_token(s: &str) -> bool {
    !s.is_empty()
        && s.bytes()
            .all(|b| (0x21..0x7F).contains(&b) && !b"()<>@,;:\\\"/[]?={} \t".contains(&b))
}

/// `cookie-value = *cookie-octet / ( DQUOTE *cookie-octet DQUOTE )`,
/// `cookie-octet = %x21 / %x23-2B / %x2D-3A / %x3C-5B / %x5D-7E`
/// (RFC 6265 section 4.1.1).
fn is_cookie_value(s: &str) -> bool {
    let inner = s
        .strip_prefix('"')
        .and_then(|v| v.strip_suffix('"'))
        .unwrap_or(s);
    inner
        .bytes()
        .all(|b| matches!(b, 0x21 | 0x23..=0x2B | 0x2D..=0x3A | 0x3C..=0x5B | 0x5D..=0x7E))
}

/// `av-octet`: any CHAR except CTLs or `;` (RFC 6265 section 4.1.1), and
/// no surrounding whitespace, which a parser would trim.
fn is_av_value(s: &str) -> bool {
    s.bytes().all(|b| (0x20..0x7F).contains(&b) && b != b';') && s.trim() == s
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn builder_rejects_what_section_4_1_1_forbids() {
        let cases: &[(SetCookieBuilder, BuildError)] = &[
            (SetCookieBuilder::new("", "v"), BuildError::InvalidName),
            (SetCookieBuilder::new("a b", "v"), BuildError::InvalidName),
            (SetCookieBuilder::new("a=b", "v"), BuildError::InvalidName),
            (SetCookieBuilder::new("a", "x;y"), BuildError::InvalidValue),
            (SetCookieBuilder::new("a", "x y"), BuildError::InvalidValue),
            (SetCookieBuilder::new("a", "x,y"), BuildError::InvalidValue),
            (SetCookieBuilder::new("a", "\"x"), BuildError::InvalidValue),
            (SetCookieBuilder::new("a", "x\\y"), BuildError::InvalidValue),
            (
                SetCookieBuilder::new("a", "v").domain(""),
                BuildError::InvalidDomain,
            ),
            (
                SetCookieBuilder::new("a", "v").domain("a;b"),
                BuildError::InvalidDomain,
            ),
            (
                SetCookieBuilder::new("a", "v").path("rel"),
                BuildError::InvalidPath,
            ),
            (
                SetCookieBuilder::new("a", "v").path("/\n"),
                BuildError::InvalidPath,
            ),
            (
                SetCookieBuilder::new("a", "x".repeat(4096)),
                BuildError::TooLong,
            ),
            (
                SetCookieBuilder::new("a", "v").path(format!("/{}", "p".repeat(1024))),
                BuildError::TooLong,
            ),
            (
                SetCookieBuilder::new("a", "v")
                    .expires(time::macros::datetime!(1600-12-31 23:59:59 UTC)),
                BuildError::ExpiresOutOfRange,
            ),
        ];
        for (builder, want) in cases {
            assert_eq!(builder.build(), Err(*want), "{builder:?}");
        }
    }

    #[test]
    fn builder_writes_every_attribute() {
        let header = SetCookieBuilder::new("id", "\"q\"")
            .expires(time::macros::datetime!(2030-01-02 03:04:05 UTC))
            .max_age(-1)
            .domain("example.com")
            .path("/a")
            .secure(true)
            .http_only(true)
            .same_site(SameSite::None)
            .partitioned(true)
            .build();
        assert_eq!(
            header.as_deref(),
            Ok("id=\"q\"; Expires=Wed, 02 Jan 2030 03:04:05 GMT; Max-Age=-1; Domain=example.com; Path=/a; Secure; HttpOnly; SameSite=None; Partitioned")
        );
    }

    #[test]
    fn cookie_header_rejects_what_would_not_read_back() {
        assert_eq!(write_cookie_header([]), Err(BuildError::NoCookies));
        assert_eq!(
            write_cookie_header([("a", "x;y")]),
            Err(BuildError::InvalidValue)
        );
        assert_eq!(
            write_cookie_header([("a", " x")]),
            Err(BuildError::InvalidValue)
        );
        assert_eq!(
            write_cookie_header([("", "")]),
            Err(BuildError::InvalidValue)
        );
        assert_eq!(
            write_cookie_header([("a=b", "x")]),
            Err(BuildError::InvalidName)
        );
        assert_eq!(
            write_cookie_header([("$path", "/")]),
            Err(BuildError::InvalidName)
        );
        assert_eq!(write_cookie_header([("", "a=b")]).as_deref(), Ok("=a=b"));
    }
}

//! `SetCookie<'a>`: the borrowed result of the set-cookie-string algorithm
//! of RFC 6265 section 5.2, with the changes of RFC 6265bis section 5.6.
//!
//! Syntax only: nothing here knows the request URL or the clock, so
//! `Max-Age` stays a delta, the default path is left to the jar, and the
//! jar's profile decides what to do with a nameless cookie.

use super::grammar::{self, Keyword, Token};
use super::{attribute_str, sub_str, ParseError, SameSite};
use crate::parse::date::cookie_date;
use std::fmt;
use time::OffsetDateTime;

mod display;
pub use display::NormalizedSetCookie;

/// RFC 6265bis section 5.6 step 5: "If the sum of the lengths of the name
/// string and the value string is more than 4096 octets, abort".
pub const MAX_NAME_VALUE_BYTES: usize = 4096;

/// RFC 6265bis section 5.6, attribute step 6: "If the attribute-value is
/// longer than 1024 octets, ignore the cookie-av".
pub const MAX_ATTRIBUTE_VALUE_BYTES: usize = 1024;

/// A parsed `Set-Cookie` header value: a borrowed view into the header.
///
/// Built by [`SetCookie::parse`], which follows the user-agent algorithm of
/// RFC 6265 section 5.2 step by step: it never fails on a malformed
/// attribute (it ignores it, as the RFC says), and fails only where the RFC
/// says to ignore the whole header (see [`ParseError`]).
///
/// Every accessor reports what the header said, after the section 5.2
/// rules: names compared case-insensitively, the last occurrence of an
/// attribute wins, `Expires` run through the cookie-date algorithm, a `Path`
/// that does not start with `/` replaced by "the default path" (`None`).
/// Decisions that need the request (default path, domain matching, public
/// suffixes, prefixes) belong to the jar.
///
/// <https://www.rfc-editor.org/rfc/rfc6265#section-5.2>
///
/// # Example
///
/// ```
/// use cookiejar::{SameSite, SetCookie};
///
/// let c = SetCookie::parse("sid=31d4d96e407aad42; Path=/; Secure; HttpOnly; SameSite=Lax; Max-Age=3600")?;
/// assert_eq!((c.name(), c.value()), ("sid", "31d4d96e407aad42"));
/// assert_eq!(c.path(), Some("/"));
/// assert_eq!(c.max_age(), Some(3600));
/// assert!(c.secure() && c.http_only());
/// assert_eq!(c.same_site(), Some(SameSite::Lax));
/// # Ok::<(), cookiejar::ParseError>(())
/// ```
#[derive(Clone, Copy, PartialEq, Eq)]
pub struct SetCookie<'a> {
    name: &'a str,
    value: &'a str,
    /// The unparsed-attributes of section 5.2 step 1, kept to re-scan for
    /// unknown attributes without allocating.
    unparsed_attributes: &'a str,
    expires: Option<OffsetDateTime>,
    max_age: Option<i64>,
    domain: Option<&'a str>,
    domain_ignoring_empty: Option<&'a str>,
    path: Option<&'a str>,
    same_site: Option<SameSite>,
    version: Option<&'a str>,
    comment: Option<&'a str>,
    /// The last `Priority` attribute's value (Chromium's extension; it stays
    /// among the unknown attributes), found in the same pass so that a jar
    /// does not scan the attributes again for it.
    priority: Option<&'a str>,
    secure: bool,
    http_only: bool,
    partitioned: bool,
}

impl<'a> SetCookie<'a> {
    /// Parses a `Set-Cookie` header value (without the `Set-Cookie:` name).
    ///
    /// Never allocates and never panics.
    ///
    /// # Errors
    ///
    /// Only where RFC 6265bis section 5.6 says to "ignore the
    /// set-cookie-string entirely": a control character other than HTAB
    /// ([`ParseError::ControlCharacter`]), a name and value longer than 4096
    /// bytes together ([`ParseError::NameValueTooLong`]), or an empty name
    /// and an empty value ([`ParseError::Empty`]). A pair without `=` is not
    /// an error: it is a nameless cookie (see [`SetCookie::is_nameless`]).
    ///
    /// # Example
    ///
    /// ```
    /// use cookiejar::{ParseError, SetCookie};
    ///
    /// assert_eq!(SetCookie::parse("a=b\r\nX: y"), Err(ParseError::ControlCharacter));
    /// let c = SetCookie::parse("  lang = en-US ; Max-Age=abc; path=docs")?;
    /// assert_eq!((c.name(), c.value()), ("lang", "en-US"));
    /// assert_eq!((c.max_age(), c.path()), (None, None)); // both ignored
    /// # Ok::<(), ParseError>(())
    /// ```
    pub fn parse(header: &'a str) -> Result<Self, ParseError> {
        let bytes = header.as_bytes();
        // RFC 6265bis section 5.6 step 1, and for a short header, whether
        // it is only a name-value-pair (no `;`) in the same pass.
        match grammar::short_scan(bytes) {
            Some((may_have_ctl, _)) if may_have_ctl && grammar::has_ctl_byte(bytes) => {
                return Err(ParseError::ControlCharacter)
            }
            Some((_, false)) => return Self::parse_pair_only(header),
            Some(_) => {}
            None if grammar::contains_ctl(bytes) => return Err(ParseError::ControlCharacter),
            None => {}
        }
        // RFC 6265 section 5.2 steps 1 to 3. RFC 6265bis: "If the
        // name-value-pair string lacks a %x3D ("=") character, then the name
        // string is empty, and the value string is the value of
        // name-value-pair."
        let (unparsed_attributes, (name, value)) = match grammar::set_cookie_pair(bytes) {
            Ok((rest, (name, Some(value)))) => (rest, (name, value)),
            Ok((rest, (value, None))) => (rest, (&[][..], value)),
            Err(_) => return Err(ParseError::Empty),
        };
        // Step 4.
        let (name, value) = (grammar::trim_wsp(name), grammar::trim_wsp(value));
        // RFC 6265bis section 5.6 steps 4 and 5.
        if name.is_empty() && value.is_empty() {
            return Err(ParseError::Empty);
        }
        if name.len() + value.len() > MAX_NAME_VALUE_BYTES {
            return Err(ParseError::NameValueTooLong);
        }
        let mut cookie = SetCookie::without_attributes(
            sub_str(header, name),
            sub_str(header, value),
            sub_str(header, unparsed_attributes),
        );
        // Bytes, not `&str`: only the values kept need the checked step
        // back into text, and attribute names never do. Most cookies of a
        // bare `name=value` have no attributes at all: no iterator then.
        if unparsed_attributes.is_empty() {
            return Ok(cookie);
        }
        for (name, value) in RawAttributes(unparsed_attributes) {
            cookie.apply_attribute(header, name, value);
        }
        Ok(cookie)
    }

    /// [`SetCookie::parse`] of a header without `;` (and without control
    /// characters): RFC 6265 section 5.2 steps 1 to 5 with the whole header
    /// as the name-value-pair and no attributes. The same steps as the
    /// general path, split as `&str` at the first `=` so that nothing maps
    /// bytes back to text (what most bare `name=value` cookies cost).
    #[inline(always)]
    fn parse_pair_only(header: &'a str) -> Result<Self, ParseError> {
        // Steps 2 and 3; RFC 6265bis: no `=` means an empty name.
        let (name, value) = match grammar::find_equals(header.as_bytes()) {
            Some(at) => header
                .split_at_checked(at)
                .map_or(("", ""), |(name, rest)| {
                    (name, rest.get(1..).unwrap_or_default())
                }),
            None => ("", header),
        };
        // Step 4.
        let (name, value) = (trim_wsp_str(name), trim_wsp_str(value));
        // RFC 6265bis section 5.6 steps 4 and 5.
        if name.is_empty() && value.is_empty() {
            return Err(ParseError::Empty);
        }
        if name.len() + value.len() > MAX_NAME_VALUE_BYTES {
            return Err(ParseError::NameValueTooLong);
        }
        Ok(SetCookie::without_attributes(name, value, ""))
    }

    /// The record of a name-value-pair before any attribute is applied
    /// (RFC 6265 section 5.2 step 6 starts from an empty attribute list),
    /// for both paths of [`SetCookie::parse`].
    #[inline(always)]
    fn without_attributes(name: &'a str, value: &'a str, unparsed_attributes: &'a str) -> Self {
        SetCookie {
            name,
            value,
            unparsed_attributes,
            expires: None,
            max_age: None,
            domain: None,
            domain_ignoring_empty: None,
            path: None,
            same_site: None,
            version: None,
            comment: None,
            priority: None,
            secure: false,
            http_only: false,
            partitioned: false,
        }
    }

    /// RFC 6265 sections 5.2.1 to 5.2.6 and RFC 6265bis sections 5.6.7
    /// (SameSite) and the CHIPS `Partitioned` attribute. "The user agent
    /// MUST process the cookie-av" by case-insensitive name; unknown names
    /// are ignored here and stay reachable through `unknown_attributes`.
    fn apply_attribute(&mut self, header: &'a str, name: &[u8], value: &[u8]) {
        let Some(known) = Known::of(name) else {
            let priority = const { Keyword::new("priority") };
            if name.len() == 8 && Token::new(name).is_some_and(|t| priority.matches(t)) {
                self.priority = Some(sub_str(header, value));
            }
            return;
        };
        // Every value is a slice of `header`, cut at ASCII bytes: mapped
        // back to the `&str` it came from.
        let text = |bytes| sub_str(header, bytes);
        match known {
            // Section 5.2.1: an unparsable date ignores the cookie-av, so an
            // earlier valid Expires stays.
            Known::Expires => {
                if let Some(date) = cookie_date(value) {
                    self.expires = Some(date);
                }
            }
            // Section 5.2.2.
            Known::MaxAge => {
                if let Some(delta) = grammar::max_age(value) {
                    self.max_age = Some(delta);
                }
            }
            Known::Domain => {
                // Section 5.2.3: "If the first character of the
                // attribute-value string is %x2E ("."): Let cookie-domain be
                // the attribute-value without the leading %x2E (".")."
                let domain = text(value.strip_prefix(b".").unwrap_or(value));
                self.domain = Some(domain);
                // RFC 6265: "If the attribute-value is empty, the behavior is
                // undefined. However, the user agent SHOULD ignore the
                // cookie-av entirely." RFC 6265bis keeps the empty value.
                if !value.is_empty() {
                    self.domain_ignoring_empty = Some(domain);
                }
            }
            // Section 5.2.4: an empty or relative path means "the default
            // path", which only the jar can compute.
            Known::Path => self.path = value.starts_with(b"/").then(|| text(value)),
            Known::Secure => self.secure = true, // Section 5.2.5.
            Known::HttpOnly => self.http_only = true, // Section 5.2.6.
            // RFC 6265bis section 5.6.7: any other value is "Default".
            Known::SameSite => self.same_site = SameSite::from_attribute(value),
            Known::Partitioned => self.partitioned = true,
            Known::Version => self.version = Some(text(value)), // RFC 2109 section 4.2.2.
            Known::Comment => self.comment = Some(text(value)), // RFC 2109 section 4.2.2.
        }
    }

    /// The cookie name, trimmed of WSP. Empty for a nameless cookie.
    #[inline]
    pub fn name(&self) -> &'a str {
        self.name
    }

    /// The cookie value as sent, trimmed of WSP, quotes included.
    ///
    /// RFC 6265 section 4.1.1 allows a value in double quotes and leaves
    /// their meaning to the server, so the jar stores and sends them
    /// unchanged; [`SetCookie::value_unquoted`] gives the inner text.
    #[inline]
    pub fn value(&self) -> &'a str {
        self.value
    }

    /// The value without one surrounding pair of double quotes, if it has
    /// them (RFC 2109 section 4.1 quoted-string, RFC 6265 section 4.1.1
    /// `DQUOTE *cookie-octet DQUOTE`). Backslash escapes are left as they are.
    ///
    /// ```
    /// # use cookiejar::SetCookie;
    /// let c = SetCookie::parse(r#"id="a b""#)?;
    /// assert_eq!((c.value(), c.value_unquoted()), (r#""a b""#, "a b"));
    /// # Ok::<(), cookiejar::ParseError>(())
    /// ```
    #[inline]
    pub fn value_unquoted(&self) -> &'a str {
        unquote(self.value)
    }

    /// True for a cookie without a name: `Set-Cookie: token` or `=token`.
    ///
    /// RFC 6265bis stores such a cookie with an empty name (and sends it as
    /// just its value); RFC 6265 section 5.2 steps 2 and 5 ignore it. The
    /// jar's profile decides.
    #[inline]
    pub fn is_nameless(&self) -> bool {
        self.name.is_empty()
    }

    /// The `Expires` attribute after the cookie-date algorithm of RFC 6265
    /// section 5.1.1: the last one that parsed. `None` if absent or if no
    /// value parsed.
    #[inline]
    pub fn expires(&self) -> Option<OffsetDateTime> {
        self.expires
    }

    /// The `Max-Age` attribute in seconds (RFC 6265 section 5.2.2): the last
    /// valid one, saturated to `i64`. Zero or negative means "expire now".
    /// When both are present, `Max-Age` wins over `Expires` (section 5.3
    /// step 3), which the jar applies.
    #[inline]
    pub fn max_age(&self) -> Option<i64> {
        self.max_age
    }

    /// The last `Domain` attribute, without a leading `.`, as RFC 6265bis
    /// section 5.6.3 reads it: `Some("")` for a trailing `Domain=`, which
    /// makes the cookie host-only. Case is kept: the jar canonicalizes.
    #[inline]
    pub fn domain(&self) -> Option<&'a str> {
        self.domain
    }

    /// The last non-empty `Domain` attribute, as RFC 6265 section 5.2.3
    /// reads it ("the user agent SHOULD ignore the cookie-av entirely" when
    /// the value is empty).
    #[inline]
    pub fn domain_ignoring_empty(&self) -> Option<&'a str> {
        self.domain_ignoring_empty
    }

    /// The last `Path` attribute if it starts with `/`; `None` if absent or
    /// if the last one was empty or relative (RFC 6265 section 5.2.4: use
    /// the default path).
    #[inline]
    pub fn path(&self) -> Option<&'a str> {
        self.path
    }

    /// The `Secure` attribute (RFC 6265 section 5.2.5).
    #[inline]
    pub fn secure(&self) -> bool {
        self.secure
    }

    /// The `HttpOnly` attribute (RFC 6265 section 5.2.6).
    #[inline]
    pub fn http_only(&self) -> bool {
        self.http_only
    }

    /// The `SameSite` attribute (RFC 6265bis section 5.6.7); `None` if
    /// absent or if the last one had an unknown value ("Default").
    #[inline]
    pub fn same_site(&self) -> Option<SameSite> {
        self.same_site
    }

    /// The `Partitioned` attribute (CHIPS).
    #[inline]
    pub fn partitioned(&self) -> bool {
        self.partitioned
    }

    /// The RFC 2109 `Version` attribute as sent (section 4.2.2), e.g. `"1"`.
    #[inline]
    pub fn version(&self) -> Option<&'a str> {
        self.version
    }

    /// The RFC 2109 `Comment` attribute as sent (section 4.2.2).
    #[inline]
    pub fn comment(&self) -> Option<&'a str> {
        self.comment
    }

    /// Every cookie-av in order, as `(name, value)` trimmed of WSP; the value
    /// is empty for a bare name such as `Secure`. Attributes whose value is
    /// over 1024 bytes are skipped (RFC 6265bis section 5.6).
    pub fn attributes(&self) -> Attributes<'a> {
        Attributes {
            header: self.unparsed_attributes,
            raw: RawAttributes(self.unparsed_attributes.as_bytes()),
        }
    }

    /// The value of the last attribute with this name (case-insensitive),
    /// exactly as sent: trimmed, quotes kept, never reinterpreted. For
    /// readers of other specifications than RFC 6265 section 5.2 (RFC 2109
    /// allows `Path="/acme"`).
    ///
    /// ```
    /// # use cookiejar::SetCookie;
    /// let c = SetCookie::parse(r#"a=b; Path="/acme"; Priority=High"#)?;
    /// assert_eq!(c.path(), None); // not a path under RFC 6265
    /// assert_eq!(c.attribute("path"), Some(r#""/acme""#));
    /// assert_eq!(c.attribute("priority"), Some("High"));
    /// # Ok::<(), cookiejar::ParseError>(())
    /// ```
    pub fn attribute(&self, name: &str) -> Option<&'a str> {
        self.attributes()
            .filter(|(n, _)| n.eq_ignore_ascii_case(name))
            .last()
            .map(|(_, value)| value)
    }

    /// [`SetCookie::attribute`] of `priority`, without a second scan.
    pub(crate) fn priority_attribute(&self) -> Option<&'a str> {
        self.priority
    }

    /// The attributes this parser does not interpret (extensions such as
    /// `Priority=High`), in order, as borrowed `(name, value)` pairs.
    ///
    /// ```
    /// # use cookiejar::SetCookie;
    /// let c = SetCookie::parse("a=b; Priority=High; Path=/; x")?;
    /// assert_eq!(c.unknown_attributes().collect::<Vec<_>>(), [("Priority", "High"), ("x", "")]);
    /// # Ok::<(), cookiejar::ParseError>(())
    /// ```
    pub fn unknown_attributes(&self) -> impl Iterator<Item = (&'a str, &'a str)> {
        self.attributes()
            .filter(|(name, _)| Known::of(name.as_bytes()).is_none())
    }
}

/// The attributes `SetCookie::parse` interprets: RFC 6265 section 5.2,
/// RFC 6265bis `SameSite`, CHIPS `Partitioned`, RFC 2109 section 4.2.2.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Known {
    Expires,
    MaxAge,
    Domain,
    Path,
    Secure,
    HttpOnly,
    SameSite,
    Partitioned,
    Version,
    Comment,
}

impl Known {
    /// The attribute `name` stands for, case-insensitively: a dispatch on
    /// the length, then the name compared as one word.
    fn of(name: &[u8]) -> Option<Known> {
        let token = Token::new(name);
        let is = |known: Keyword| token.is_some_and(|token| known.matches(token));
        Some(match name.len() {
            7 if is(const { Keyword::new("expires") }) => Known::Expires,
            7 if is(const { Keyword::new("max-age") }) => Known::MaxAge,
            6 if is(const { Keyword::new("domain") }) => Known::Domain,
            4 if is(const { Keyword::new("path") }) => Known::Path,
            6 if is(const { Keyword::new("secure") }) => Known::Secure,
            8 if is(const { Keyword::new("httponly") }) => Known::HttpOnly,
            8 if is(const { Keyword::new("samesite") }) => Known::SameSite,
            11 if name.eq_ignore_ascii_case(b"partitioned") => Known::Partitioned,
            7 if is(const { Keyword::new("version") }) => Known::Version,
            7 if is(const { Keyword::new("comment") }) => Known::Comment,
            _ => return None,
        })
    }
}

/// RFC 6265 section 5.2 step 4 on text: `grammar::trim_wsp`'s one
/// comparison per end first, `str::trim_matches` only if there is WSP.
#[inline(always)]
fn trim_wsp_str(text: &str) -> &str {
    let above_sp = |b: Option<&u8>| b.is_none_or(|&b| b > b' ');
    if above_sp(text.as_bytes().first()) && above_sp(text.as_bytes().last()) {
        return text;
    }
    text.trim_matches([' ', '\t'])
}

pub(crate) fn unquote(value: &str) -> &str {
    value
        .strip_prefix('"')
        .and_then(|v| v.strip_suffix('"'))
        .unwrap_or(value)
}

/// Iterator over the cookie-avs of a `Set-Cookie` header; see
/// [`SetCookie::attributes`]. It holds the attributes only, never the
/// cookie's value, so its `Debug` shows them.
#[derive(Debug, Clone)]
pub struct Attributes<'a> {
    header: &'a str,
    raw: RawAttributes<'a>,
}

impl<'a> Iterator for Attributes<'a> {
    type Item = (&'a str, &'a str);

    fn next(&mut self) -> Option<Self::Item> {
        let (name, value) = self.raw.next()?;
        Some(attribute_str(self.header, name, value))
    }
}

/// The cookie-avs of the unparsed-attributes as byte slices of the header.
#[derive(Debug, Clone)]
struct RawAttributes<'a>(&'a [u8]);

impl<'a> Iterator for RawAttributes<'a> {
    type Item = (&'a [u8], &'a [u8]);

    // Inlined into `SetCookie::parse`'s loop: a call per attribute cost
    // about 25 instructions of saved registers and a result in memory.
    #[inline(always)]
    fn next(&mut self) -> Option<Self::Item> {
        loop {
            // RFC 6265 section 5.2, attribute steps 1 to 4.
            let (rest, (name, value)) = grammar::cookie_av(self.0).ok()?;
            self.0 = rest;
            // Step 5.
            let (name, value) = (
                grammar::trim_wsp(name),
                grammar::trim_wsp(value.unwrap_or_default()),
            );
            if value.len() > MAX_ATTRIBUTE_VALUE_BYTES {
                continue; // RFC 6265bis section 5.6: ignore the cookie-av.
            }
            return Some((name, value));
        }
    }
}

/// Debug shows the attributes but not the value: cookie values are
/// credentials and end up in logs.
impl fmt::Debug for SetCookie<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("SetCookie")
            .field("name", &self.name)
            .field(
                "value",
                &format_args!("<redacted, {} bytes>", self.value.len()),
            )
            .field("expires", &self.expires)
            .field("max_age", &self.max_age)
            .field("domain", &self.domain)
            .field("path", &self.path)
            .field("secure", &self.secure)
            .field("http_only", &self.http_only)
            .field("same_site", &self.same_site)
            .field("partitioned", &self.partitioned)
            .finish_non_exhaustive()
    }
}

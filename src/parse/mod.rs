//! Parsing: bytes in, borrowed views out. Syntax only; no policy.
//!
//! - [`SetCookie`]: RFC 6265 section 5.2 (with RFC 6265bis section 5.6).
//! - [`parse_cookie_header`]: `Cookie` request headers (RFC 6265 section
//!   4.2, RFC 2109 section 4.3.4).
//! - [`split_set_cookie_list`]: the several cookies of one RFC 2109
//!   `Set-Cookie` header (section 4.2.2).
//! - [`parse_cookie_date`]: RFC 6265 section 5.1.1.

mod cookie_header;
mod ctl;
pub(crate) mod date;
mod grammar;
mod set_cookie;
mod set_cookie_list;

pub(crate) use set_cookie::unquote;
pub(crate) use set_cookie_list::has_control_character;

pub use cookie_header::{parse_cookie_header, parse_cookie_headers, CookiePair, CookiePairs};
pub use date::{parse_cookie_date, HttpDate};
pub use set_cookie::{
    Attributes, NormalizedSetCookie, SetCookie, MAX_ATTRIBUTE_VALUE_BYTES, MAX_NAME_VALUE_BYTES,
};
pub use set_cookie_list::{split_set_cookie_list, SetCookieList};

use std::fmt;

/// Why a `Set-Cookie` header was ignored as a whole.
///
/// These are exactly the cases where RFC 6265 section 5.2 and RFC 6265bis
/// section 5.6 say "ignore the set-cookie-string entirely". Malformed
/// attributes are never an error: the RFC ignores them one by one.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum ParseError {
    /// Both the name and the value are empty (RFC 6265bis section 5.6
    /// step 4), e.g. an empty header, `=`, or `; Path=/`.
    Empty,
    /// A control character other than HTAB (RFC 6265bis section 5.6
    /// step 1). CR and LF here usually mean header injection.
    ControlCharacter,
    /// The name and value together are longer than 4096 bytes (RFC 6265bis
    /// section 5.6 step 5).
    NameValueTooLong,
    /// The header bytes are not UTF-8 (only from byte-level entry points
    /// such as an `http::HeaderValue`).
    InvalidUtf8,
}

impl ParseError {
    /// A short, lower-case description of the error.
    pub const fn as_str(&self) -> &'static str {
        match self {
            ParseError::Empty => "cookie has an empty name and an empty value",
            ParseError::ControlCharacter => "cookie contains a control character",
            ParseError::NameValueTooLong => "cookie name and value exceed 4096 bytes",
            ParseError::InvalidUtf8 => "cookie header is not UTF-8",
        }
    }
}

impl fmt::Display for ParseError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

impl std::error::Error for ParseError {}

/// The `SameSite` attribute's enforcement mode (RFC 6265bis section 5.6.7).
///
/// <https://datatracker.ietf.org/doc/html/draft-ietf-httpbis-rfc6265bis#section-5.6.7>
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum SameSite {
    /// Sent only with same-site requests.
    Strict,
    /// Sent with same-site requests and cross-site top-level navigations
    /// with a safe method.
    Lax,
    /// Sent with every request (browsers require `Secure` with it).
    None,
}

impl SameSite {
    /// The attribute value, case-insensitive; `None` for anything else,
    /// which RFC 6265bis section 5.6.7 treats as "Default".
    pub(crate) fn from_attribute(value: &[u8]) -> Option<SameSite> {
        const fn keyword(mode: SameSite) -> (grammar::Keyword, SameSite) {
            (grammar::Keyword::new(mode.as_str()), mode)
        }
        const MODES: [(grammar::Keyword, SameSite); 3] = [
            keyword(SameSite::Strict),
            keyword(SameSite::Lax),
            keyword(SameSite::None),
        ];
        let token = grammar::Token::new(value)?;
        MODES
            .into_iter()
            .find(|(keyword, _)| keyword.matches(token))
            .map(|(_, mode)| mode)
    }

    /// `"Strict"`, `"Lax"` or `"None"`.
    pub const fn as_str(&self) -> &'static str {
        match self {
            SameSite::Strict => "Strict",
            SameSite::Lax => "Lax",
            SameSite::None => "None",
        }
    }
}

impl fmt::Display for SameSite {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// Maps a sub-slice of `whole.as_bytes()` back to the `&str` it came from.
///
/// The grammar splits only at ASCII bytes, so the range is always on char
/// boundaries; `str::get` checks that anyway, and an empty or foreign slice
/// maps to `""`. This is how the parsers stay zero-copy without `unsafe` or
/// a second UTF-8 validation.
fn sub_str<'a>(whole: &'a str, part: &[u8]) -> &'a str {
    let start = (part.as_ptr() as usize).wrapping_sub(whole.as_ptr() as usize);
    start
        .checked_add(part.len())
        .and_then(|end| whole.get(start..end))
        .unwrap_or("")
}

fn attribute_str<'a>(whole: &'a str, name: &[u8], value: &[u8]) -> (&'a str, &'a str) {
    (sub_str(whole, name), sub_str(whole, value))
}

/// Writes `name=value`, or a nameless cookie as RFC 6265bis section 5.7.2
/// serializes it: just the value, or `=value` when the value has a `=` that
/// would otherwise read back as a name.
pub(crate) fn write_pair(f: &mut impl fmt::Write, name: &str, value: &str) -> fmt::Result {
    if !name.is_empty() || value.contains('=') {
        f.write_str(name)?;
        f.write_char('=')?;
    }
    f.write_str(value)
}

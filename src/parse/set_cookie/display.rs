//! `SetCookie` written back as a header, and compared as it reads back:
//! the canonical form that fuzzing and the round-trip tests rely on.

use super::SetCookie;
use crate::parse::date::HttpDate;
use std::fmt;

/// Writes the header back in a canonical form that [`SetCookie::parse`]
/// reads to an equal value: the pair, then the interpreted attributes in a
/// fixed order (`Expires` as an IMF-fixdate), then the unknown ones as they
/// were sent.
///
/// ```
/// # use cookiejar::SetCookie;
/// let c = SetCookie::parse("id=7;  path=/a ;SECURE; expires=Sun, 06-Nov-94 08:49:37 GMT")?;
/// assert_eq!(c.to_string(), "id=7; Expires=Sun, 06 Nov 1994 08:49:37 GMT; Path=/a; Secure");
/// assert_eq!(SetCookie::parse(&c.to_string())?, c.normalized());
/// # Ok::<(), cookiejar::ParseError>(())
/// ```
impl fmt::Display for SetCookie<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        crate::parse::write_pair(f, self.name, self.value)?;
        if let Some(expires) = self.expires {
            write!(f, "; Expires={}", HttpDate(expires))?;
        }
        if let Some(max_age) = self.max_age {
            write!(f, "; Max-Age={max_age}")?;
        }
        // RFC 6265: an empty Domain= is ignored, so the RFC 6265 view is
        // written first and the RFC 6265bis view (possibly empty) last.
        if let Some(domain) = self.domain_ignoring_empty {
            // Parsing trims the value, then removes one leading dot, so put
            // one back where the domain is empty or itself starts with a dot
            // or with WSP (from `Domain=. x`), which would be trimmed away.
            let dot = if domain.is_empty() || domain.starts_with(['.', ' ', '\t']) {
                "."
            } else {
                ""
            };
            write!(f, "; Domain={dot}{domain}")?;
        }
        if self.domain == Some("") && self.domain_ignoring_empty != Some("") {
            f.write_str("; Domain=")?;
        }
        if let Some(path) = self.path {
            write!(f, "; Path={path}")?;
        }
        if self.secure {
            f.write_str("; Secure")?;
        }
        if self.http_only {
            f.write_str("; HttpOnly")?;
        }
        if let Some(same_site) = self.same_site {
            write!(f, "; SameSite={same_site}")?;
        }
        if self.partitioned {
            f.write_str("; Partitioned")?;
        }
        if let Some(version) = self.version {
            write!(f, "; Version={version}")?;
        }
        if let Some(comment) = self.comment {
            write!(f, "; Comment={comment}")?;
        }
        for (name, value) in self.unknown_attributes() {
            match value {
                "" => write!(f, "; {name}")?,
                _ => write!(f, "; {name}={value}")?,
            }
        }
        Ok(())
    }
}

impl SetCookie<'_> {
    /// This cookie as it reads back after a [`Display`](fmt::Display) round
    /// trip: equal in every accessor, with the raw attribute text replaced
    /// by the canonical one. Meant for tests and fuzzing, which compare
    /// `parse(c.to_string())` with `c.normalized()`.
    pub fn normalized(&self) -> NormalizedSetCookie<'_> {
        NormalizedSetCookie(*self)
    }
}

/// A [`SetCookie`] compared by its accessors only; see
/// [`SetCookie::normalized`].
#[derive(Debug, Clone, Copy)]
pub struct NormalizedSetCookie<'a>(SetCookie<'a>);

impl PartialEq<NormalizedSetCookie<'_>> for SetCookie<'_> {
    fn eq(&self, other: &NormalizedSetCookie<'_>) -> bool {
        let o = &other.0;
        self.name == o.name
            && self.value == o.value
            && self.expires == o.expires
            && self.max_age == o.max_age
            && self.domain == o.domain
            && self.domain_ignoring_empty == o.domain_ignoring_empty
            && self.path == o.path
            && self.same_site == o.same_site
            && self.version == o.version
            && self.comment == o.comment
            && self.secure == o.secure
            && self.http_only == o.http_only
            && self.partitioned == o.partitioned
            && self.unknown_attributes().eq(o.unknown_attributes())
    }
}

//! "Why was my cookie not sent?": the per-cookie verdicts of
//! `Jar::explain_at`.

use crate::cookie::Cookie;
use std::fmt;

/// A stored cookie and whether it goes with a request: one item of
/// [`Jar::explain`](crate::Jar::explain), which lists every cookie of the
/// request host's site, sent ones first in the order of the `Cookie`
/// header.
#[derive(Debug, Clone, Copy)]
pub struct Explained<'j> {
    /// The cookie.
    pub cookie: &'j Cookie,
    /// `None` if the cookie is sent, otherwise the first rule that excludes
    /// it, in the order RFC 6265 section 5.4 step 1 checks them.
    pub exclusion: Option<Exclusion>,
}

/// Why a stored cookie is not sent with a request: the first rule of RFC
/// 6265 section 5.4 (and RFC 6265bis section 5.8.3 for `SameSite`) that
/// keeps it back. It has a text for people ([`Exclusion::as_str`],
/// `Display`) and a stable code for programs ([`Exclusion::code`]).
///
/// ```
/// use cookiejar::{Exclusion, Jar};
/// use url::Url;
///
/// let mut jar = Jar::new();
/// jar.set_cookie(&Url::parse("https://example.com/app/login")?, "sid=1; Path=/app")?;
/// let home = Url::parse("https://example.com/")?;
/// let why = jar.explain(&home)[0].exclusion;
/// assert_eq!(why, Some(Exclusion::PathMismatch));
/// assert_eq!(why.map(|e| e.code()), Some("path_mismatch"));
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum Exclusion {
    /// A host-only cookie, and the request goes to another host (RFC 6265
    /// section 5.4 step 1).
    HostOnly,
    /// The request host does not domain-match the cookie's domain.
    DomainMismatch,
    /// The request path does not path-match the cookie's path.
    PathMismatch,
    /// A `Secure` cookie, and the request is not secure.
    SecureOnly,
    /// An `HttpOnly` cookie, and the request is from a non-HTTP API.
    HttpOnly,
    /// The cookie has expired.
    Expired,
    /// `SameSite=Strict`, and the request is cross-site (RFC 6265bis
    /// section 5.8.3).
    SameSiteStrict,
    /// `SameSite=Lax`, and the request is cross-site but not a top-level
    /// navigation with a safe method.
    SameSiteLax,
    /// The cookie matches, but the `Cookie` header would have grown past
    /// [`Limits::max_header_bytes`](crate::Limits::max_header_bytes) with
    /// it: the cookies before it in RFC order took the room.
    HeaderFull,
    /// A `Partitioned` cookie of another top-level site than the one the
    /// request is made for (CHIPS; see
    /// [`RequestContext::top_level`](crate::RequestContext::top_level)).
    OtherPartition,
}

impl Exclusion {
    /// A stable, snake_case code for the rule, for scripts and logs:
    /// `host_only`, `domain_mismatch`, `path_mismatch`, `secure_only`,
    /// `http_only`, `expired`, `same_site_strict`, `same_site_lax`,
    /// `header_full`, `other_partition`.
    ///
    /// The codes are part of the API: a code is never changed or reused
    /// for another rule once released, and every variant has its own. The
    /// text of [`Exclusion::as_str`] is for people and may be reworded.
    ///
    /// ```
    /// assert_eq!(cookiejar::Exclusion::PathMismatch.code(), "path_mismatch");
    /// ```
    pub fn code(&self) -> &'static str {
        match self {
            Exclusion::HostOnly => "host_only",
            Exclusion::DomainMismatch => "domain_mismatch",
            Exclusion::PathMismatch => "path_mismatch",
            Exclusion::SecureOnly => "secure_only",
            Exclusion::HttpOnly => "http_only",
            Exclusion::Expired => "expired",
            Exclusion::SameSiteStrict => "same_site_strict",
            Exclusion::SameSiteLax => "same_site_lax",
            Exclusion::HeaderFull => "header_full",
            Exclusion::OtherPartition => "other_partition",
        }
    }

    /// A short, lower-case description.
    pub fn as_str(&self) -> &'static str {
        match self {
            Exclusion::HostOnly => "host-only cookie for another host",
            Exclusion::DomainMismatch => "request host is outside the cookie's domain",
            Exclusion::PathMismatch => "request path is outside the cookie's path",
            Exclusion::SecureOnly => "Secure cookie on an insecure request",
            Exclusion::HttpOnly => "HttpOnly cookie on a non-HTTP request",
            Exclusion::Expired => "cookie has expired",
            Exclusion::SameSiteStrict => "SameSite=Strict cookie on a cross-site request",
            Exclusion::SameSiteLax => "SameSite=Lax cookie on a cross-site request that is not a safe top-level navigation",
            Exclusion::HeaderFull => "no room left in the Cookie header (the jar's max_header_bytes)",
            Exclusion::OtherPartition => "Partitioned cookie of another top-level site",
        }
    }
}

impl fmt::Display for Exclusion {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

#[cfg(test)]
mod tests {
    use super::Exclusion;
    use std::collections::HashSet;

    #[test]
    fn every_exclusion_has_its_own_snake_case_code() {
        let all = [
            Exclusion::HostOnly,
            Exclusion::DomainMismatch,
            Exclusion::PathMismatch,
            Exclusion::SecureOnly,
            Exclusion::HttpOnly,
            Exclusion::Expired,
            Exclusion::SameSiteStrict,
            Exclusion::SameSiteLax,
            Exclusion::HeaderFull,
            Exclusion::OtherPartition,
        ];
        // Exhaustive: a new variant does not compile until it is listed above.
        for e in all {
            match e {
                Exclusion::HostOnly
                | Exclusion::DomainMismatch
                | Exclusion::PathMismatch
                | Exclusion::SecureOnly
                | Exclusion::HttpOnly
                | Exclusion::Expired
                | Exclusion::SameSiteStrict
                | Exclusion::SameSiteLax
                | Exclusion::HeaderFull
                | Exclusion::OtherPartition => {}
            }
        }
        let codes: HashSet<&str> = all.iter().map(Exclusion::code).collect();
        assert_eq!(codes.len(), all.len(), "two exclusions share a code");
        assert!(codes
            .iter()
            .all(|c| c.bytes().all(|b| b.is_ascii_lowercase() || b == b'_')));
        assert_eq!(Exclusion::HostOnly.code(), "host_only");
        assert_eq!(Exclusion::SameSiteLax.code(), "same_site_lax");
    }
}

//! What a store did (`Stored`) or why it refused (`Rejection`).

use crate::parse::ParseError;
use std::fmt;

/// What storing a `Set-Cookie` did: the `Ok` of [`Jar::set_cookie`](crate::Jar::set_cookie)
/// and its variants.
///
/// A cookie that arrives already expired is not an error: RFC 6265
/// section 5.3 step 11 makes it the way a server deletes a cookie.
///
/// ```
/// use cookiejar::{Jar, Stored};
/// use url::Url;
///
/// let mut jar = Jar::new();
/// let url = Url::parse("https://example.com/")?;
/// assert_eq!(jar.set_cookie(&url, "a=1"), Ok(Stored::Inserted { evicted: 0 }));
/// assert_eq!(jar.set_cookie(&url, "a=2"), Ok(Stored::Replaced { evicted: 0 }));
/// assert_eq!(jar.set_cookie(&url, "a=; Max-Age=0"), Ok(Stored::Deleted));
/// assert_eq!(jar.set_cookie(&url, "a=; Max-Age=0"), Ok(Stored::Expired));
/// # Ok::<(), url::ParseError>(())
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum Stored {
    /// A new cookie was stored; `evicted` others made room for it.
    Inserted {
        /// Cookies evicted to stay within the limits.
        evicted: usize,
    },
    /// An existing cookie with the same name, domain and path was replaced
    /// (RFC 6265 section 5.3 step 11).
    Replaced {
        /// Cookies evicted to stay within the limits.
        evicted: usize,
    },
    /// The cookie had already expired (`Max-Age=0`, a past `Expires`), and
    /// the stored cookie it matched was deleted.
    Deleted,
    /// The cookie had already expired and matched nothing: nothing changed.
    Expired,
    /// A loaded cookie met a newer one with the same name, domain and path,
    /// which was kept.
    KeptNewer,
}

/// Why a `Set-Cookie` was not stored. Each variant names the rule, and
/// the RFC section it comes from.
///
/// A rejection is the `Err` of [`Jar::set_cookie`](crate::Jar::set_cookie)
/// and its variants; [`SharedJar::take_rejections`](crate::SharedJar::take_rejections)
/// keeps the ones an HTTP client's cookie store could not return; a file
/// entry the jar refuses is a
/// [`LoadErrorKind::Rejected`](crate::LoadErrorKind::Rejected). It has a
/// text for people ([`Rejection::as_str`], `Display`) and a stable code for
/// programs ([`Rejection::code`]).
///
/// ```
/// use cookiejar::{Jar, Rejection};
/// use url::Url;
///
/// let mut jar = Jar::new();
/// let http = Url::parse("http://www.example.com/")?;
/// let refused = jar.set_cookie(&http, "sid=1; Secure").unwrap_err();
/// assert_eq!(refused, Rejection::SecureFromInsecureOrigin);
/// assert_eq!(refused.code(), "secure_from_insecure_origin");
/// assert_eq!(refused.to_string(), "Secure cookie from an insecure origin");
/// # Ok::<(), url::ParseError>(())
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum Rejection {
    /// The header was ignored by the parser (RFC 6265bis section 5.6).
    Parse(ParseError),
    /// A cookie without a name, which RFC 6265 section 5.2 ignores (the
    /// `Rfc6265` and `Rfc2109` profiles).
    Nameless,
    /// The request URL has no host (`data:`, `file:`).
    NoHost,
    /// The `Domain` attribute is not a valid domain name.
    InvalidDomain,
    /// The request host cannot be a host-only cookie's domain: an empty
    /// label (`www..example.com`, the trailing dot of `example.com.`) or a
    /// character outside letters, digits, `-` and `_` (`a!b.com`), which
    /// the URL parser allows but a domain name (RFC 6265 section 5.1.2) and
    /// so a jar file do not.
    InvalidHost,
    /// The `Domain` attribute is a public suffix other than the request host
    /// (RFC 6265 section 5.3 step 5).
    PublicSuffix,
    /// The request host does not domain-match the `Domain` attribute (RFC
    /// 6265 section 5.3 step 6), or an IP host named another domain.
    DomainMismatch,
    /// RFC 2109 section 4.3.2: the `Domain` attribute has no embedded dot.
    Rfc2109DomainWithoutDot,
    /// RFC 2109 section 4.3.2: the `Domain` attribute does not start with a
    /// dot (`Domain=acme.com`, `Domain=192.168.1.10`).
    Rfc2109DomainWithoutLeadingDot,
    /// RFC 2109 section 4.3.2: the request host minus the domain contains a
    /// dot (`a.b.example.com` may not set `Domain=example.com`).
    Rfc2109HostTooDeep,
    /// RFC 2109 section 4.3.2: the `Path` attribute is not a prefix of the
    /// request path.
    Rfc2109PathNotPrefix,
    /// A `Secure` cookie from a non-secure origin (RFC 6265bis section 5.7
    /// step 11).
    SecureFromInsecureOrigin,
    /// A non-`Secure` cookie from a non-secure origin would shadow a
    /// `Secure` one (RFC 6265bis section 5.7 step 16, "Leave Secure Cookies
    /// Alone").
    OverwritesSecure,
    /// An `HttpOnly` cookie offered by a non-HTTP API (RFC 6265 section 5.3
    /// step 10).
    HttpOnlyFromNonHttpApi,
    /// A non-HTTP API would replace an `HttpOnly` cookie (RFC 6265 section
    /// 5.3 step 11.2).
    OverwritesHttpOnly,
    /// `SameSite=None` without `Secure` (RFC 6265bis section 5.7 step 19).
    SameSiteNoneInsecure,
    /// A `SameSite=Lax` or `Strict` cookie set by a cross-site request that
    /// is not a top-level navigation (RFC 6265bis section 5.7 step 18).
    SameSiteCrossSite,
    /// A `__Secure-` cookie without `Secure` or from an insecure origin
    /// (RFC 6265bis section 4.1.3.1).
    SecurePrefix,
    /// A `__Host-` cookie that is not `Secure`, host-only, and `Path=/`
    /// (RFC 6265bis section 4.1.3.2).
    HostPrefix,
    /// An `__Http-` cookie that is not `Secure` and `HttpOnly`, from a
    /// secure origin over HTTP (draft-ietf-httpbis-rfc6265bis-20 section
    /// 4.1.3.3).
    HttpPrefix,
    /// An `__Host-Http-` cookie that does not meet the `__Host-` rules or
    /// is not `HttpOnly` (draft-ietf-httpbis-rfc6265bis-20 section 4.1.3.4).
    HostHttpPrefix,
    /// A `Partitioned` cookie without `Secure` (CHIPS,
    /// draft-cutler-httpbis-partitioned-cookies section 2.1).
    PartitionedInsecure,
    /// Name and value exceed the jar's `max_cookie_bytes`.
    TooLarge,
    /// The cookie's domain is full of `Secure` cookies used more recently;
    /// the new non-`Secure` cookie was the one to evict.
    NoRoom,
    /// A cookie loaded from a file has a field no `Set-Cookie` could have
    /// produced (a control character, a `;` in the value, a relative path,
    /// a non-canonical domain).
    Malformed,
    /// The name (or what a nameless cookie is sent as) is `$Version`,
    /// `$Path`, `$Domain` or `$Port`, which RFC 2109 section 4.3.4 reserves
    /// in the `Cookie` header: sent, it would read as an attribute of the
    /// cookie before it (`Rfc6265bis` and `Rfc2109` profiles).
    ReservedName,
}

impl Rejection {
    /// A stable, snake_case code for the rule, for scripts and logs:
    /// `public_suffix`, `secure_from_insecure_origin`, ... A parse failure
    /// has the code of its [`ParseError`] (`control_character`, `empty`,
    /// `name_value_too_long`, `invalid_utf8`).
    ///
    /// The codes are part of the API: a code is never changed or reused
    /// for another rule once released (a new variant gets a new code), and
    /// every variant has its own. The text of [`Rejection::as_str`] is for
    /// people and may be reworded.
    ///
    /// ```
    /// use cookiejar::Rejection;
    ///
    /// assert_eq!(Rejection::PublicSuffix.code(), "public_suffix");
    /// assert_eq!(Rejection::PublicSuffix.as_str(), "domain attribute is a public suffix");
    /// ```
    pub fn code(&self) -> &'static str {
        match self {
            Rejection::Parse(ParseError::Empty) => "empty",
            Rejection::Parse(ParseError::ControlCharacter) => "control_character",
            Rejection::Parse(ParseError::NameValueTooLong) => "name_value_too_long",
            Rejection::Parse(ParseError::InvalidUtf8) => "invalid_utf8",
            Rejection::Nameless => "nameless",
            Rejection::NoHost => "no_host",
            Rejection::InvalidDomain => "invalid_domain",
            Rejection::InvalidHost => "invalid_host",
            Rejection::PublicSuffix => "public_suffix",
            Rejection::DomainMismatch => "domain_mismatch",
            Rejection::Rfc2109DomainWithoutDot => "rfc2109_domain_without_dot",
            Rejection::Rfc2109DomainWithoutLeadingDot => "rfc2109_domain_without_leading_dot",
            Rejection::Rfc2109HostTooDeep => "rfc2109_host_too_deep",
            Rejection::Rfc2109PathNotPrefix => "rfc2109_path_not_prefix",
            Rejection::SecureFromInsecureOrigin => "secure_from_insecure_origin",
            Rejection::OverwritesSecure => "overwrites_secure",
            Rejection::HttpOnlyFromNonHttpApi => "http_only_from_non_http_api",
            Rejection::OverwritesHttpOnly => "overwrites_http_only",
            Rejection::SameSiteNoneInsecure => "same_site_none_insecure",
            Rejection::SameSiteCrossSite => "same_site_cross_site",
            Rejection::SecurePrefix => "secure_prefix",
            Rejection::HostPrefix => "host_prefix",
            Rejection::HttpPrefix => "http_prefix",
            Rejection::HostHttpPrefix => "host_http_prefix",
            Rejection::PartitionedInsecure => "partitioned_insecure",
            Rejection::TooLarge => "too_large",
            Rejection::NoRoom => "no_room",
            Rejection::Malformed => "malformed",
            Rejection::ReservedName => "reserved_name",
        }
    }

    /// A short, lower-case description.
    pub fn as_str(&self) -> &'static str {
        match self {
            Rejection::Parse(e) => e.as_str(),
            Rejection::Nameless => "cookie has no name",
            Rejection::NoHost => "request URL has no host",
            Rejection::InvalidDomain => "domain attribute is not a valid domain name",
            Rejection::InvalidHost => "request host is not a domain name a cookie can be kept for",
            Rejection::PublicSuffix => "domain attribute is a public suffix",
            Rejection::DomainMismatch => "request host does not match the domain attribute",
            Rejection::Rfc2109DomainWithoutDot => "RFC 2109: domain attribute has no embedded dot",
            Rejection::Rfc2109DomainWithoutLeadingDot => {
                "RFC 2109: domain attribute does not start with a dot"
            }
            Rejection::Rfc2109HostTooDeep => "RFC 2109: request host has a dot before the domain",
            Rejection::Rfc2109PathNotPrefix => {
                "RFC 2109: path attribute is not a prefix of the request path"
            }
            Rejection::SecureFromInsecureOrigin => "Secure cookie from an insecure origin",
            Rejection::OverwritesSecure => "insecure origin may not shadow a Secure cookie",
            Rejection::HttpOnlyFromNonHttpApi => "HttpOnly cookie from a non-HTTP API",
            Rejection::OverwritesHttpOnly => "non-HTTP API may not replace an HttpOnly cookie",
            Rejection::SameSiteNoneInsecure => "SameSite=None requires Secure",
            Rejection::SameSiteCrossSite => "SameSite cookie from a cross-site subresource request",
            Rejection::SecurePrefix => "__Secure- cookie must be Secure, from a secure origin",
            Rejection::HostPrefix => "__Host- cookie must be Secure, host-only and Path=/",
            Rejection::HttpPrefix => {
                "__Http- cookie must be Secure and HttpOnly, from a secure origin"
            }
            Rejection::HostHttpPrefix => {
                "__Host-Http- cookie must be Secure, HttpOnly, host-only and Path=/"
            }
            Rejection::PartitionedInsecure => "Partitioned cookie must be Secure",
            Rejection::TooLarge => "cookie name and value exceed the jar's size limit",
            Rejection::NoRoom => "domain is full of more recently used Secure cookies",
            Rejection::Malformed => "cookie has a field no Set-Cookie header could produce",
            Rejection::ReservedName => "cookie name is reserved ($Version, $Path, $Domain, $Port)",
        }
    }
}

impl fmt::Display for Rejection {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

impl std::error::Error for Rejection {}

impl From<ParseError> for Rejection {
    fn from(e: ParseError) -> Self {
        Rejection::Parse(e)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::collections::HashSet;

    /// Every rejection. The match below is exhaustive, so a new variant
    /// does not compile until it is added here too (and given a code).
    fn all() -> Vec<Rejection> {
        let all = vec![
            Rejection::Parse(ParseError::Empty),
            Rejection::Parse(ParseError::ControlCharacter),
            Rejection::Parse(ParseError::NameValueTooLong),
            Rejection::Parse(ParseError::InvalidUtf8),
            Rejection::Nameless,
            Rejection::NoHost,
            Rejection::InvalidDomain,
            Rejection::InvalidHost,
            Rejection::PublicSuffix,
            Rejection::DomainMismatch,
            Rejection::Rfc2109DomainWithoutDot,
            Rejection::Rfc2109DomainWithoutLeadingDot,
            Rejection::Rfc2109HostTooDeep,
            Rejection::Rfc2109PathNotPrefix,
            Rejection::SecureFromInsecureOrigin,
            Rejection::OverwritesSecure,
            Rejection::HttpOnlyFromNonHttpApi,
            Rejection::OverwritesHttpOnly,
            Rejection::SameSiteNoneInsecure,
            Rejection::SameSiteCrossSite,
            Rejection::SecurePrefix,
            Rejection::HostPrefix,
            Rejection::HttpPrefix,
            Rejection::HostHttpPrefix,
            Rejection::PartitionedInsecure,
            Rejection::TooLarge,
            Rejection::NoRoom,
            Rejection::Malformed,
            Rejection::ReservedName,
        ];
        for r in &all {
            match r {
                Rejection::Parse(
                    ParseError::Empty
                    | ParseError::ControlCharacter
                    | ParseError::NameValueTooLong
                    | ParseError::InvalidUtf8,
                )
                | Rejection::Nameless
                | Rejection::NoHost
                | Rejection::InvalidDomain
                | Rejection::InvalidHost
                | Rejection::PublicSuffix
                | Rejection::DomainMismatch
                | Rejection::Rfc2109DomainWithoutDot
                | Rejection::Rfc2109DomainWithoutLeadingDot
                | Rejection::Rfc2109HostTooDeep
                | Rejection::Rfc2109PathNotPrefix
                | Rejection::SecureFromInsecureOrigin
                | Rejection::OverwritesSecure
                | Rejection::HttpOnlyFromNonHttpApi
                | Rejection::OverwritesHttpOnly
                | Rejection::SameSiteNoneInsecure
                | Rejection::SameSiteCrossSite
                | Rejection::SecurePrefix
                | Rejection::HostPrefix
                | Rejection::HttpPrefix
                | Rejection::HostHttpPrefix
                | Rejection::PartitionedInsecure
                | Rejection::TooLarge
                | Rejection::NoRoom
                | Rejection::Malformed
                | Rejection::ReservedName => {}
            }
        }
        all
    }

    #[test]
    fn every_rejection_has_its_own_snake_case_code() {
        let all = all();
        let codes: HashSet<&str> = all.iter().map(Rejection::code).collect();
        assert_eq!(codes.len(), all.len(), "two rejections share a code");
        for code in codes {
            assert!(
                !code.is_empty()
                    && code
                        .bytes()
                        .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'_')
                    && !code.starts_with('_')
                    && !code.ends_with('_'),
                "{code:?} is not snake_case"
            );
        }
    }

    #[test]
    fn codes_are_stable() {
        // Released codes never change: scripts match on them.
        assert_eq!(
            Rejection::Parse(ParseError::ControlCharacter).code(),
            "control_character"
        );
        assert_eq!(Rejection::PublicSuffix.code(), "public_suffix");
        assert_eq!(
            Rejection::SecureFromInsecureOrigin.code(),
            "secure_from_insecure_origin"
        );
        assert_eq!(Rejection::HostPrefix.code(), "host_prefix");
        assert_eq!(Rejection::HttpPrefix.code(), "http_prefix");
        assert_eq!(Rejection::HostHttpPrefix.code(), "host_http_prefix");
        assert_eq!(
            Rejection::PartitionedInsecure.code(),
            "partitioned_insecure"
        );
    }
}

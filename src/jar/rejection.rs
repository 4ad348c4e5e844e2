//! What a store did (`Stored`) or why it refused (`Rejection`).

use crate::parse::ParseError;
use std::fmt;

/// What storing a `Set-Cookie` did.
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

/// Why a `Set-Cookie` was not stored. Each variant names the rule.
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
    /// The `Domain` attribute is a public suffix other than the request host
    /// (RFC 6265 section 5.3 step 5).
    PublicSuffix,
    /// The request host does not domain-match the `Domain` attribute (RFC
    /// 6265 section 5.3 step 6), or an IP host named another domain.
    DomainMismatch,
    /// RFC 2109 section 4.3.2: the `Domain` attribute has no embedded dot.
    Rfc2109DomainWithoutDot,
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
    /// A short, lower-case description.
    pub fn as_str(&self) -> &'static str {
        match self {
            Rejection::Parse(e) => e.as_str(),
            Rejection::Nameless => "cookie has no name",
            Rejection::NoHost => "request URL has no host",
            Rejection::InvalidDomain => "domain attribute is not a valid domain name",
            Rejection::PublicSuffix => "domain attribute is a public suffix",
            Rejection::DomainMismatch => "request host does not match the domain attribute",
            Rejection::Rfc2109DomainWithoutDot => "RFC 2109: domain attribute has no embedded dot",
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

//! Storage limits (RFC 2109 section 6.3, RFC 6265 section 6.1) and the
//! profile that selects which RFC the jar follows.

/// How many cookies the jar keeps, how large one may be, and how large a
/// `Cookie` header it sends.
///
/// A jar without limits grows without bound: a hostile or merely careless
/// site can fill memory with cookies. When a limit is reached the jar
/// evicts (RFC 6265 section 5.3 step 12): expired cookies first, then from
/// the domain that is over its quota (non-`Secure` before `Secure`, least
/// recently used first), then least recently used across the jar. No limit
/// is ever exceeded, at any moment.
///
/// # The `Cookie` header cap
///
/// Browsers put no limit on the `Cookie` header itself: Chromium and
/// Firefox bound it through what they store (180 cookies per domain, 4096
/// bytes of name and value each), so a busy domain can make a header of
/// hundreds of kilobytes. Servers refuse far less: Apache's
/// `LimitRequestFieldSize` is 8190 bytes per header field and nginx's
/// `large_client_header_buffers` 8 KB, IIS and Node.js allow 16 KB, and
/// the answer to more is `400 Bad Request` or `431 Request Header Fields
/// Too Large`, for the whole request. [`Limits::max_header_bytes`] keeps
/// the header within such a limit: cookies are taken in RFC 6265 section
/// 5.4 order (longer paths, then earlier creation first: most specific
/// first) and a cookie that would not fit in what is left is left out
/// whole (never cut), while later, smaller ones may still fit. A cookie
/// left out is not counted as accessed, and [`Jar::explain_at`] reports it
/// as [`Exclusion::HeaderFull`].
///
/// [`Jar::explain_at`]: crate::Jar::explain_at
/// [`Exclusion::HeaderFull`]: crate::Exclusion::HeaderFull
///
/// # Example
///
/// ```
/// use cookiejar::{Jar, Limits};
///
/// // A crawler that must hold many sessions chooses so explicitly.
/// let limits = Limits { max_cookies: 100_000, max_cookies_per_domain: 50, ..Limits::RFC6265 };
/// let jar = Jar::builder().limits(limits).build();
/// assert_eq!(jar.limits().max_cookies, 100_000);
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct Limits {
    /// Cookies in the whole jar.
    pub max_cookies: usize,
    /// Cookies per registrable domain (eTLD+1), or per host where there is
    /// none (IP addresses, single-label hosts).
    pub max_cookies_per_domain: usize,
    /// Bytes of name plus value in one cookie; a larger cookie is rejected.
    pub max_cookie_bytes: usize,
    /// Bytes of the `Cookie` header value the jar builds for one request
    /// (separators and the RFC 2109 `$Version`, `$Path` and `$Domain`
    /// included); see [the header cap](#the-cookie-header-cap).
    pub max_header_bytes: usize,
}

/// What the smallest common server limit leaves for the header value:
/// Apache's 8190 bytes per field line, less `Cookie: `. It also fits nginx's
/// 8 KB buffer with the line's CRLF.
const SERVER_SAFE_HEADER_BYTES: usize = 8190 - "Cookie: ".len();

impl Limits {
    /// RFC 2109 section 6.3, the default: "at least 300 cookies, at least
    /// 4096 bytes per cookie, at least 20 cookies per unique host or domain
    /// name"; and a `Cookie` header of at most 8182 bytes, which the
    /// smallest common server limits accept (Apache's 8190-byte field line).
    pub const RFC2109: Limits = Limits {
        max_cookies: 300,
        max_cookies_per_domain: 20,
        max_cookie_bytes: 4096,
        max_header_bytes: SERVER_SAFE_HEADER_BYTES,
    };

    /// RFC 6265 section 6.1: "At least 3000 cookies total, at least 50
    /// cookies per domain, at least 4096 bytes per cookie"; and a `Cookie`
    /// header of at most 8182 bytes, as [`Limits::RFC2109`].
    pub const RFC6265: Limits = Limits {
        max_cookies: 3000,
        max_cookies_per_domain: 50,
        max_cookie_bytes: 4096,
        max_header_bytes: SERVER_SAFE_HEADER_BYTES,
    };

    /// What browsers keep (Chromium: 3300 in all, 180 per domain; Firefox:
    /// 3000 and 180), and a `Cookie` header as large as browsers send: no
    /// cap below what 180 cookies of 4096 bytes take (737,820 bytes with
    /// each `=` and `; `), so that under the RFC 6265 profiles this preset
    /// never leaves a cookie out.
    pub const BROWSER: Limits = Limits {
        max_cookies: 3000,
        max_cookies_per_domain: 180,
        max_cookie_bytes: 4096,
        max_header_bytes: 180 * (4096 + "=; ".len()),
    };
}

impl Default for Limits {
    fn default() -> Self {
        Limits::RFC2109
    }
}

/// Which specification the jar follows where they differ.
///
/// | rule | `Rfc6265bis` (default) | `Rfc6265` | `Rfc2109` |
/// | --- | --- | --- | --- |
/// | nameless cookie (`Set-Cookie: token`) | stored, sent as `token` | ignored | ignored |
/// | empty `Domain=` | host-only cookie | attribute ignored | rejected (no leading dot) |
/// | `Secure` only from secure origins; non-secure cannot shadow `Secure` | yes | no | no |
/// | `__Secure-`, `__Host-`, `__Http-`, `__Host-Http-` prefixes | enforced | no | no |
/// | `Partitioned` needs `Secure`; kept apart by top-level site | yes | no (flag kept) | no (flag kept) |
/// | `SameSite=None` requires `Secure` | yes | no | no |
/// | expiry capped at 400 days | yes | no | no |
/// | quoted attribute values (`Path="/acme"`, `Max-Age="60"`) | no | no | yes (RFC 2109 section 4.1) |
/// | `Domain` without a leading dot (`acme.com`, an IP address) | accepted | accepted | rejected (section 4.3.2) |
/// | `Domain=.acme.com` from `acme.com`; sent to `acme.com` | accepted; sent | accepted; sent | rejected; not sent (section 2: "x.y.com domain-matches .y.com but not y.com") |
/// | `Domain` with no embedded dot; host `a.b.acme.com` setting `.acme.com` | public suffix rule only | public suffix rule only | rejected (section 4.3.2) |
/// | `Domain` that is a public suffix (`.co.uk`) | rejected | rejected | rejected: RFC 2109 would allow it, the public suffix rule is kept |
/// | `Path` must be a prefix of the request path | no (any path) | no (any path) | string prefix: `/ac` from `/acme/login` (section 4.3.2) |
/// | `Path` without a leading `/` | default path | default path | rejected (section 4.3.2) |
/// | path selection on requests | path-match (RFC 6265 section 5.1.4) | path-match | string prefix: `/acme` goes to `/acmeblah` (section 4.3.4) |
/// | a host-only and a domain cookie of one name, domain and path | two cookies | one (the later replaces) | two cookies (section 4.3.3: `acme.com` is not `.acme.com`) |
/// | several cookies in one header (`a=1, b=2`) | one cookie | one cookie | split at the commas between cookies, not in quotes or `Expires` dates (section 4.2.2) |
/// | request header form | `a=1; b=2` | `a=1; b=2` | `$Version="1"; a=1; $Path="/"` (section 4.3.4) |
///
/// Under `Rfc2109` the request header follows section 4.3.4: `$Version` is
/// the cookies' own `Version` attribute, `"0"` for cookies set without one
/// (section 10.1.1: "A 'new' client always sends cookies in the new form"),
/// and `$Path`/`$Domain` follow a cookie only if its `Set-Cookie` had the
/// attribute. The RFC has one `$Version` per header and does not say what
/// a header of cookies with different versions carries: it carries the
/// highest version among them, and each cookie keeps its own `$Path` and
/// `$Domain`.
///
/// # The Chromium profile
///
/// [`Profile::Chromium`] is `Rfc6265bis` plus Chromium's choices where the
/// RFC leaves them to the user agent or Chromium departs from its text,
/// each measured against Chromium 156: a TAB inside a name, value or
/// attribute refuses the cookie; `Domain=.` refuses it; the last `Expires`
/// and `Max-Age` count even when unreadable; `Max-Age=+N` is N seconds;
/// `Expires` years are brought within 1601 to 9999 (1600 deletes); an
/// overwrite with a new value moves the cookie to the end of its path
/// length in the `Cookie` header; and a site over
/// [`Limits::max_cookies_per_domain`] is purged to five sixths of it (180
/// to 150 with [`Limits::BROWSER`]) by Chromium's rounds of `Priority` and
/// `Secure`. Use it with `Limits::BROWSER`:
///
/// ```
/// use cookiejar::{Jar, Limits, Profile};
/// use url::Url;
///
/// let mut jar = Jar::builder().profile(Profile::Chromium).limits(Limits::BROWSER).build();
/// let url = Url::parse("https://example.com/")?;
/// jar.set_cookie(&url, "a=1").unwrap();
/// jar.set_cookie(&url, "b=2").unwrap();
/// jar.set_cookie(&url, "a=3").unwrap(); // a new value: a new place
/// assert_eq!(jar.cookie_header(&url).as_deref(), Some("b=2; a=3"));
/// assert!(jar.set_cookie(&url, "t=x\ty").is_err());
/// # Ok::<(), url::ParseError>(())
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default)]
#[non_exhaustive]
pub enum Profile {
    /// RFC 6265bis (draft-ietf-httpbis-rfc6265bis): what browsers do.
    #[default]
    Rfc6265bis,
    /// RFC 6265 as published in 2011.
    Rfc6265,
    /// RFC 2109 (the letter of it, public suffixes aside): its stricter
    /// domain rules, string-prefix paths, quoted values, several cookies
    /// per header and the `$Version` request header.
    Rfc2109,
    /// RFC 6265bis, and Chromium's choices where the RFC leaves the
    /// decision to the user agent or Chromium departs from its text, for a
    /// client that must keep and send what Chromium would (measured against
    /// Chromium 156 by `tests/chromium`; see [the Chromium
    /// profile](Profile#the-chromium-profile)).
    Chromium,
}

impl Profile {
    /// RFC 6265bis, alone or with Chromium's choices on top.
    pub(crate) fn follows_rfc6265bis(self) -> bool {
        matches!(self, Profile::Rfc6265bis | Profile::Chromium)
    }
}

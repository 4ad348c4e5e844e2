//! The user-agent cookie jar: the storage model of RFC 6265 section 5.3
//! and the retrieval of section 5.4, with the RFC 6265bis safety rules.
//!
//! Data flows one way: a `Set-Cookie` string is parsed (`SetCookie`), the
//! policy here turns it into an owned [`Cookie`] for the request's URL or
//! rejects it with a reason, the store files it by registrable domain and
//! enforces the limits, and a request reads one bucket back in RFC order.

mod bucket;
mod explain;
pub(crate) mod host;
mod limits;
mod loaded;
pub(crate) mod path;
mod rejection;
mod rfc2109;
mod rules;
#[cfg(test)]
mod scale_tests;
mod store;

pub use explain::{Exclusion, Explained};
pub use host::domain_match;
pub use limits::{Limits, Profile};
pub use path::{default_path, path_match};
pub use rejection::{Rejection, Stored};

use crate::cookie::{clamp_instant, to_nanos, Cookie, Rfc2109Attributes, LATEST};
use crate::parse::{SameSite, SetCookie};
use crate::psl::{PublicSuffix, PublicSuffixList};
use std::borrow::Cow;
use std::fmt;
use std::sync::atomic::AtomicI64;
use std::sync::Arc;
use store::{Id, Store};
use time::{Duration, OffsetDateTime};
use url::Url;

/// RFC 6265bis section 5.6.1 and 5.6.2: "the user agent MUST limit the
/// maximum value of the Expires attribute ... to no more than 400 days".
const MAX_AGE_CAP: Duration = Duration::days(400);

/// What the request is, for the rules that depend on it: whether the cookie
/// comes from (or goes to) an HTTP API or a non-HTTP one (a script), and
/// whether the request is same-site (RFC 6265bis section 5.2).
///
/// The default is an HTTP request in a same-site context, which is what a
/// client or crawler following its own requests makes.
///
/// # Example
///
/// ```
/// use cookiejar::RequestContext;
///
/// let script = RequestContext::default().non_http_api();
/// let image = RequestContext::default().cross_site();
/// let link = RequestContext::default().cross_site().top_level_navigation("GET");
/// assert!(!script.is_http_api() && image.is_cross_site() && link.is_cross_site());
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct RequestContext {
    http_api: bool,
    cross_site: bool,
    top_level_safe_navigation: bool,
}

impl Default for RequestContext {
    fn default() -> Self {
        RequestContext {
            http_api: true,
            cross_site: false,
            top_level_safe_navigation: false,
        }
    }
}

impl RequestContext {
    /// A non-HTTP API (RFC 6265 section 5.3 step 10): `HttpOnly` cookies
    /// are neither set nor returned.
    pub fn non_http_api(mut self) -> Self {
        self.http_api = false;
        self
    }

    /// A cross-site request (RFC 6265bis section 5.2.1).
    pub fn cross_site(mut self) -> Self {
        self.cross_site = true;
        self
    }

    /// A top-level navigation with the given method: `SameSite=Lax`
    /// cookies go with cross-site navigations that use a safe method
    /// (`GET`, `HEAD`, `OPTIONS`, `TRACE`; RFC 9110 section 9.2.1).
    pub fn top_level_navigation(mut self, method: &str) -> Self {
        self.top_level_safe_navigation = ["GET", "HEAD", "OPTIONS", "TRACE"]
            .iter()
            .any(|safe| method.eq_ignore_ascii_case(safe));
        self
    }

    /// True unless [`RequestContext::non_http_api`] was called.
    pub fn is_http_api(&self) -> bool {
        self.http_api
    }

    /// True if [`RequestContext::cross_site`] was called.
    pub fn is_cross_site(&self) -> bool {
        self.cross_site
    }
}

/// A user-agent cookie jar.
///
/// Secure by default: the bundled public suffix list, the RFC 6265bis
/// rules, and the RFC 2109 section 6.3 limits (300 cookies, 20 per domain,
/// 4096 bytes each). Every `*_at` method takes the current time; the
/// methods without `_at` read the system clock and do nothing else.
///
/// Lookups (`cookie_header_at`, `explain_at`) take `&self`: the jar records
/// last-access times atomically, so a jar behind an `RwLock` serves many
/// readers at once.
///
/// # Example
///
/// ```
/// use cookiejar::{Jar, Stored};
/// use url::Url;
///
/// let mut jar = Jar::new();
/// let login = Url::parse("https://www.example.com/login")?;
/// assert_eq!(jar.set_cookie(&login, "sid=abc; Secure; HttpOnly; Path=/"), Ok(Stored::Inserted { evicted: 0 }));
/// jar.set_cookie(&login, "lang=en; Domain=example.com").unwrap();
///
/// let api = Url::parse("https://api.example.com/v1")?;
/// assert_eq!(jar.cookie_header(&api).as_deref(), Some("lang=en"));
/// let home = Url::parse("https://www.example.com/")?;
/// assert_eq!(jar.cookie_header(&home).as_deref(), Some("sid=abc; lang=en"));
///
/// // Rejections say why.
/// let err = jar.set_cookie(&login, "x=1; Domain=com").unwrap_err();
/// assert_eq!(err.to_string(), "domain attribute is a public suffix");
/// # Ok::<(), url::ParseError>(())
/// ```
pub struct Jar {
    store: Store,
    limits: Limits,
    profile: Profile,
    psl: Arc<dyn PublicSuffix>,
}

impl fmt::Debug for Jar {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Jar")
            .field("cookies", &self.store.len())
            .field("limits", &self.limits)
            .field("profile", &self.profile)
            .field("psl", &self.psl)
            .finish()
    }
}

impl Default for Jar {
    fn default() -> Self {
        Jar::new()
    }
}

/// Builds a [`Jar`]; once built, its configuration is fixed (except the
/// public suffix list, see [`Jar::set_public_suffix_list`]).
#[derive(Debug, Clone)]
pub struct JarBuilder {
    limits: Limits,
    profile: Profile,
    psl: Option<Arc<dyn PublicSuffix>>,
}

impl JarBuilder {
    /// The storage limits (default: [`Limits::RFC2109`]).
    pub fn limits(mut self, limits: Limits) -> Self {
        self.limits = limits;
        self
    }

    /// The RFC the jar follows where they differ (default:
    /// [`Profile::Rfc6265bis`]).
    pub fn profile(mut self, profile: Profile) -> Self {
        self.profile = profile;
        self
    }

    /// The public suffix list (default: the bundled one). See
    /// [`PublicSuffix`] for why a jar without one is insecure.
    pub fn public_suffix_list(mut self, psl: Arc<dyn PublicSuffix>) -> Self {
        self.psl = Some(psl);
        self
    }

    /// The jar.
    pub fn build(self) -> Jar {
        Jar {
            store: Store::default(),
            limits: self.limits,
            profile: self.profile,
            psl: self.psl.unwrap_or_else(|| PublicSuffixList::bundled()),
        }
    }
}

/// The request URL, canonicalized once.
struct Request<'u> {
    url: &'u Url,
    host: Cow<'u, str>,
    is_ip: bool,
    secure: bool,
}

impl<'u> Request<'u> {
    fn new(url: &'u Url) -> Option<Self> {
        let (host, is_ip) = host::canonical_request_host(url)?;
        let secure = host::is_secure_origin(url, &host);
        Some(Request {
            url,
            host,
            is_ip,
            secure,
        })
    }

    fn path(&self) -> &str {
        self.url.path()
    }
}

impl Jar {
    /// An empty jar with the secure defaults.
    pub fn new() -> Jar {
        Jar::builder().build()
    }

    /// A builder for limits, profile and public suffix list.
    pub fn builder() -> JarBuilder {
        JarBuilder {
            limits: Limits::default(),
            profile: Profile::default(),
            psl: None,
        }
    }

    /// The jar's limits.
    pub fn limits(&self) -> &Limits {
        &self.limits
    }

    /// The jar's profile.
    pub fn profile(&self) -> Profile {
        self.profile
    }

    /// The number of cookies held, expired ones not yet purged included.
    pub fn len(&self) -> usize {
        self.store.len()
    }

    /// True if the jar holds no cookie.
    pub fn is_empty(&self) -> bool {
        self.store.len() == 0
    }

    /// Every cookie held, in no particular order.
    pub fn iter(&self) -> impl Iterator<Item = &Cookie> + '_ {
        self.store.entries().map(|(_, e)| &e.cookie)
    }

    /// Stores one `Set-Cookie` value received in the response to `url`,
    /// over HTTP in a same-site context, at `now`.
    ///
    /// # Errors
    ///
    /// A [`Rejection`] naming the rule that refused the cookie.
    pub fn set_cookie_at(
        &mut self,
        url: &Url,
        set_cookie: &str,
        now: OffsetDateTime,
    ) -> Result<Stored, Rejection> {
        self.set_cookie_with(url, set_cookie, RequestContext::default(), now)
    }

    /// [`Jar::set_cookie_at`] at the system clock's time.
    ///
    /// # Errors
    ///
    /// As [`Jar::set_cookie_at`].
    pub fn set_cookie(&mut self, url: &Url, set_cookie: &str) -> Result<Stored, Rejection> {
        self.set_cookie_at(url, set_cookie, OffsetDateTime::now_utc())
    }

    /// Stores every `Set-Cookie` value of one response, in order; one
    /// result per value (under [`Profile::Rfc2109`] a value may hold several
    /// cookies, and its result is [`Jar::set_cookie_with`]'s).
    pub fn set_cookies_at<'h>(
        &mut self,
        url: &Url,
        set_cookies: impl IntoIterator<Item = &'h str>,
        now: OffsetDateTime,
    ) -> Vec<Result<Stored, Rejection>> {
        set_cookies
            .into_iter()
            .map(|h| self.set_cookie_at(url, h, now))
            .collect()
    }

    /// Stores a `Set-Cookie` value with an explicit [`RequestContext`].
    ///
    /// Under [`Profile::Rfc2109`] the value may hold several cookies (RFC
    /// 2109 section 4.2.2); each is stored, and the result is the first
    /// refusal, if any, otherwise the last cookie's outcome. See
    /// [`Jar::set_cookie_list_with`] for one result per cookie.
    ///
    /// # Errors
    ///
    /// A [`Rejection`] naming the rule that refused the cookie.
    pub fn set_cookie_with(
        &mut self,
        url: &Url,
        set_cookie: &str,
        context: RequestContext,
        now: OffsetDateTime,
    ) -> Result<Stored, Rejection> {
        match self.profile {
            Profile::Rfc2109 => {
                rfc2109::combined(self.set_cookie_list_with(url, set_cookie, context, now))
            }
            _ => self.set_one_cookie(url, set_cookie, context, now),
        }
    }

    /// Stores one cookie: parse, create, store.
    fn set_one_cookie(
        &mut self,
        url: &Url,
        set_cookie: &str,
        context: RequestContext,
        now: OffsetDateTime,
    ) -> Result<Stored, Rejection> {
        let parsed = SetCookie::parse(set_cookie)?;
        let request = Request::new(url).ok_or(Rejection::NoHost)?;
        let (cookie, key_start) = self.create_cookie(&parsed, &request, context, now)?;
        let key = self
            .store
            .key(cookie.domain.get(key_start..).unwrap_or(&cookie.domain));
        self.store_cookie(cookie, key, &request, context, now)
    }

    /// RFC 6265 section 5.3 steps 1 to 10 (with RFC 6265bis section 5.7):
    /// the new cookie for this request, or why there is none.
    fn create_cookie(
        &self,
        sc: &SetCookie<'_>,
        request: &Request<'_>,
        context: RequestContext,
        now: OffsetDateTime,
    ) -> Result<(Cookie, usize), Rejection> {
        let bis = self.profile == Profile::Rfc6265bis;
        // Step 1 (RFC 6265 section 5.2 steps 2 and 5): RFC 6265 ignores a
        // cookie without a name; RFC 6265bis keeps it.
        if sc.is_nameless() && !bis {
            return Err(Rejection::Nameless);
        }
        if self.profile != Profile::Rfc6265 {
            rules::check_reserved_name(sc.name(), sc.value())?;
        }
        if sc.name().len() + sc.value().len() > self.limits.max_cookie_bytes {
            return Err(Rejection::TooLarge);
        }
        let rfc2109 = self.profile == Profile::Rfc2109;
        // Step 3: Max-Age wins over Expires; none means a session cookie.
        // RFC 2109 section 4.2.2 allows it quoted.
        let max_age = match rfc2109 {
            true => rfc2109::max_age(sc),
            false => sc.max_age(),
        };
        let expiry_time = match (max_age, sc.expires()) {
            (Some(delta), _) if delta <= 0 => Some(OffsetDateTime::UNIX_EPOCH.min(now)),
            (Some(delta), _) => Some(now.checked_add(Duration::seconds(delta)).unwrap_or(LATEST)),
            (None, Some(expires)) => Some(expires),
            (None, None) => None,
        };
        // Every instant within what the jar's files can hold.
        let expiry_time = expiry_time.map(clamp_instant);
        // RFC 6265bis section 5.6.1/5.6.2: at most 400 days ahead.
        let expiry_time = match (bis, expiry_time, now.checked_add(MAX_AGE_CAP)) {
            (true, Some(t), Some(cap)) => Some(t.min(cap)),
            (_, t, _) => t,
        };
        // Step 4: the domain-attribute, as the profile reads it. RFC 2109
        // section 4.1 allows quoted attribute values.
        let domain_attribute = match self.profile {
            Profile::Rfc6265bis => sc.domain(),
            Profile::Rfc2109 => rfc2109::domain_attribute(sc)?,
            _ => sc.domain_ignoring_empty(),
        };
        let mut domain_attribute = match domain_attribute.filter(|d| !d.is_empty()) {
            Some(d) => host::canonicalize_domain(d).ok_or(Rejection::InvalidDomain)?,
            None => String::new(),
        };
        // RFC 2109 section 4.3.2, before the public suffix step (which
        // stays: RFC 2109 alone would let `.co.uk` through).
        if rfc2109 && !domain_attribute.is_empty() {
            rfc2109::check_domain(&domain_attribute, request)?;
        }
        // Step 5: public suffixes. The suffix found here also gives the
        // registrable domain the cookie is filed under.
        let suffix_of_attribute = match domain_attribute.is_empty() {
            true => None,
            false => self.psl.public_suffix(&domain_attribute).map(str::len),
        };
        if !domain_attribute.is_empty() && suffix_of_attribute == Some(domain_attribute.len()) {
            if domain_attribute == request.host {
                domain_attribute.clear();
            } else {
                return Err(Rejection::PublicSuffix);
            }
        }
        // Step 6: host-only or domain cookie. An IP host may only name
        // itself, and the cookie is then host-only (as Go and Chromium do).
        let (domain, host_only) = if domain_attribute.is_empty() {
            (request.host.to_string(), true)
        } else if !host::domain_match(&request.host, &domain_attribute) {
            return Err(Rejection::DomainMismatch);
        } else if request.is_ip {
            (request.host.to_string(), true)
        } else {
            (domain_attribute, false)
        };
        let key = if request.is_ip {
            domain.as_str()
        } else if host_only {
            host::registrable_domain_from_suffix(&domain, self.psl.public_suffix(&domain))
        } else {
            let suffix = suffix_of_attribute.and_then(|len| domain.get(domain.len() - len..));
            host::registrable_domain_from_suffix(&domain, suffix)
        };
        let key_start = domain.len() - key.len();
        // Step 7: the path (RFC 2109 sections 4.3.1 and 4.3.2 under that
        // profile).
        let path_attribute = match rfc2109 {
            true => rfc2109::path_attribute(sc, request)?,
            false => sc.path(),
        };
        let path = path_attribute.unwrap_or_else(|| default_path(request.path()));
        // Step 8 is secure-only; RFC 6265bis section 5.7 step 11: only from
        // a secure origin.
        if bis && sc.secure() && !request.secure {
            return Err(Rejection::SecureFromInsecureOrigin);
        }
        // Steps 9 and 10: HttpOnly.
        if sc.http_only() && !context.http_api {
            return Err(Rejection::HttpOnlyFromNonHttpApi);
        }
        if bis {
            check_rfc6265bis(sc, request, context, host_only)?;
        }
        let cookie = Cookie {
            name: sc.name().into(),
            value: sc.value().into(),
            domain: domain.into(),
            path: path.into(),
            expiry_time,
            creation_time: now,
            last_access_time: AtomicI64::new(to_nanos(now)),
            host_only,
            secure_only: sc.secure(),
            http_only: sc.http_only(),
            same_site: sc.same_site(),
            partitioned: sc.partitioned(),
            // Only this profile reads them (and other profiles' cookies
            // then round-trip through files that do not hold them).
            rfc2109: match rfc2109 {
                true => Rfc2109Attributes {
                    version: rfc2109::version(sc),
                    path_specified: path_attribute.is_some(),
                },
                false => Rfc2109Attributes::LOADED,
            },
        };
        Ok((cookie, key_start))
    }

    /// RFC 6265 section 5.3 steps 11 and 12 (with RFC 6265bis section 5.7
    /// step 16): replace, delete or insert, then evict.
    fn store_cookie(
        &mut self,
        mut cookie: Cookie,
        key: Arc<str>,
        request: &Request<'_>,
        context: RequestContext,
        now: OffsetDateTime,
    ) -> Result<Stored, Rejection> {
        let bis = self.profile == Profile::Rfc6265bis;
        // RFC 6265bis section 5.7 step 16, "Leave Secure Cookies Alone".
        if bis && !cookie.secure_only && !request.secure {
            let shadows = self.store.named(&key, &cookie.name).any(|(_, e)| {
                let old = &e.cookie;
                old.secure_only
                    && (host::domain_match(&old.domain, &cookie.domain)
                        || host::domain_match(&cookie.domain, &old.domain))
                    && path_match(&cookie.path, &old.path)
            });
            if shadows {
                return Err(Rejection::OverwritesSecure);
            }
        }
        // Step 11: the same name, domain and path (RFC 6265bis adds the
        // host-only flag; so does RFC 2109 section 4.3.3, whose domains
        // `acme.com` and `.acme.com` are not the same string).
        let same_host_only = self.profile != Profile::Rfc6265;
        let old = self
            .store
            .same_place(&key, &cookie.name, &cookie.domain, &cookie.path)
            .find(|(_, e)| !same_host_only || e.cookie.host_only == cookie.host_only);
        let Some((id, old)) = old else {
            // An already expired cookie deletes and is not stored.
            if cookie.is_expired_at(now) {
                return Ok(Stored::Expired);
            }
            let id = self.store.insert(key.clone(), cookie, None);
            // Step 12: eviction.
            let (evicted, lost_new) = self.store.enforce(&key, &self.limits, now, id);
            if lost_new {
                return Err(Rejection::NoRoom);
            }
            return Ok(Stored::Inserted { evicted });
        };
        // Step 11.2.
        if old.cookie.http_only && !context.http_api {
            return Err(Rejection::OverwritesHttpOnly);
        }
        if cookie.is_expired_at(now) {
            self.store.remove(id);
            return Ok(Stored::Deleted);
        }
        // Step 11.3: keep the old creation time; the count is unchanged, so
        // no limit can be newly exceeded.
        cookie.creation_time = old.cookie.creation_time;
        self.store.replace(id, cookie);
        Ok(Stored::Replaced { evicted: 0 })
    }

    /// The `Cookie` header for a request to `url` over HTTP in a same-site
    /// context at `now`, or `None` if no cookie applies (RFC 6265 section
    /// 5.4). Cookies are in RFC order: longer paths first, then earlier
    /// creation times.
    pub fn cookie_header_at(&self, url: &Url, now: OffsetDateTime) -> Option<String> {
        self.cookie_header_with(url, RequestContext::default(), now)
    }

    /// [`Jar::cookie_header_at`] at the system clock's time.
    pub fn cookie_header(&self, url: &Url) -> Option<String> {
        self.cookie_header_at(url, OffsetDateTime::now_utc())
    }

    /// The `Cookie` header for a request with an explicit context.
    ///
    /// At most [`Limits::max_header_bytes`] long: a cookie that would not
    /// fit is left out (see [the header cap](Limits#the-cookie-header-cap)).
    pub fn cookie_header_with(
        &self,
        url: &Url,
        context: RequestContext,
        now: OffsetDateTime,
    ) -> Option<String> {
        let request = Request::new(url)?;
        let mut ids = self.matching(&request, context, now);
        let (header, _) = self.write_header(&mut ids);
        // Step 3: update the last-access-time of the cookies sent.
        self.store.touch_all(&ids, now);
        (!ids.is_empty()).then_some(header)
    }

    /// RFC 6265 section 5.4 step 4: the header for the cookies `ids`, in
    /// order, within `max_header_bytes`. Leaves in `ids` the cookies sent,
    /// and returns the header and the ids left out for want of room.
    fn write_header(&self, ids: &mut Vec<Id>) -> (String, Vec<Id>) {
        let rfc2109 = self.profile == Profile::Rfc2109;
        let limit = self.limits.max_header_bytes;
        let mut header = String::new();
        let header_version = |ids: &[Id]| {
            let cookies = ids.iter().filter_map(|&id| self.store.get(id));
            rfc2109::header_version(cookies.map(|e| &e.cookie))
        };
        let mut version = 0;
        if rfc2109 && !ids.is_empty() {
            // RFC 2109 section 4.3.4.
            version = header_version(ids);
            rfc2109::write_version(&mut header, version);
        }
        let mut left_out = Vec::new();
        // `retain` visits the ids once each, in order.
        ids.retain(|&id| {
            let Some(entry) = self.store.get(id) else {
                return false;
            };
            let c = &entry.cookie;
            let before = header.len();
            if !header.is_empty() {
                header.push_str("; ");
            }
            // RFC 6265bis: a nameless cookie is sent as its value.
            if !c.name.is_empty() {
                header.push_str(&c.name);
                header.push('=');
            }
            header.push_str(&c.value);
            if rfc2109 {
                rfc2109::write_attributes(&mut header, c);
            }
            // Never a cut cookie: the whole pair, or nothing of it.
            let fits = header.len() <= limit;
            if !fits {
                header.truncate(before);
                left_out.push(id);
            }
            fits
        });
        if rfc2109 && !left_out.is_empty() && !ids.is_empty() {
            // The version of the cookies sent, not of those left out.
            rfc2109::rewrite_version(&mut header, version, header_version(ids));
        }
        (header, left_out)
    }

    /// RFC 6265 section 5.4 steps 1 and 2: the cookies to send, in order.
    fn matching(
        &self,
        request: &Request<'_>,
        context: RequestContext,
        now: OffsetDateTime,
    ) -> Vec<Id> {
        let key = match request.is_ip {
            true => &*request.host,
            false => host::registrable_domain_from_suffix(
                &request.host,
                self.psl.public_suffix(&request.host),
            ),
        };
        let mut sent: Vec<(Id, &store::Entry)> = self
            .store
            .bucket_entries(key)
            .filter(|(_, e)| self.exclusion(&e.cookie, request, context, now).is_none())
            .collect();
        sent.sort_by(|(_, a), (_, b)| {
            b.cookie
                .path
                .len()
                .cmp(&a.cookie.path.len())
                .then(a.cookie.creation_time.cmp(&b.cookie.creation_time))
                .then(a.creation_seq.cmp(&b.creation_seq))
        });
        sent.into_iter().map(|(id, _)| id).collect()
    }

    /// Why a cookie is not sent with a request, or `None` if it is.
    fn exclusion(
        &self,
        c: &Cookie,
        request: &Request<'_>,
        context: RequestContext,
        now: OffsetDateTime,
    ) -> Option<Exclusion> {
        if c.host_only && *c.domain != *request.host {
            return Some(Exclusion::HostOnly);
        }
        if !c.host_only && !host::domain_match(&request.host, &c.domain) {
            return Some(Exclusion::DomainMismatch);
        }
        // RFC 2109 section 4.3.4: its own domain-match and path prefix.
        let rfc2109 = self.profile == Profile::Rfc2109;
        if rfc2109 && !rfc2109::domain_selected(c, request) {
            return Some(Exclusion::DomainMismatch);
        }
        let path_selected = match rfc2109 {
            true => rfc2109::path_selected(request.path(), &c.path),
            false => path_match(request.path(), &c.path),
        };
        if !path_selected {
            return Some(Exclusion::PathMismatch);
        }
        if c.secure_only && !request.secure {
            return Some(Exclusion::SecureOnly);
        }
        if c.http_only && !context.http_api {
            return Some(Exclusion::HttpOnly);
        }
        if c.is_expired_at(now) {
            return Some(Exclusion::Expired);
        }
        // RFC 6265bis section 5.8.3 step 1: SameSite. "Default" is sent like
        // "None": a programmatic client has no browsing context to be
        // lax by default for.
        if context.cross_site {
            match c.same_site {
                Some(SameSite::Strict) => return Some(Exclusion::SameSiteStrict),
                Some(SameSite::Lax) if !context.top_level_safe_navigation => {
                    return Some(Exclusion::SameSiteLax)
                }
                _ => {}
            }
        }
        None
    }

    /// Every stored cookie that could concern `url` (those filed under its
    /// registrable domain), each with whether it is sent over HTTP in a
    /// same-site context at `now`, and if not, why. Sent cookies come first,
    /// in header order.
    ///
    /// ```
    /// use cookiejar::{Exclusion, Jar};
    /// use url::Url;
    ///
    /// let mut jar = Jar::new();
    /// let now = time::OffsetDateTime::now_utc();
    /// let https = Url::parse("https://example.com/account/")?;
    /// jar.set_cookie_at(&https, "sid=1; Secure", now).unwrap();
    /// jar.set_cookie_at(&https, "tab=2", now).unwrap();
    ///
    /// let http = Url::parse("http://example.com/")?;
    /// let why: Vec<_> = jar.explain_at(&http, now).iter().map(|e| (e.cookie.name(), e.exclusion)).collect();
    /// assert_eq!(why, [("sid", Some(Exclusion::PathMismatch)), ("tab", Some(Exclusion::PathMismatch))]);
    /// # Ok::<(), url::ParseError>(())
    /// ```
    pub fn explain_at(&self, url: &Url, now: OffsetDateTime) -> Vec<Explained<'_>> {
        self.explain_with(url, RequestContext::default(), now)
    }

    /// [`Jar::explain_at`] at the system clock's time.
    pub fn explain(&self, url: &Url) -> Vec<Explained<'_>> {
        self.explain_at(url, OffsetDateTime::now_utc())
    }

    /// [`Jar::explain_at`] with an explicit context. Does not count as an
    /// access: last-access times are left alone.
    pub fn explain_with(
        &self,
        url: &Url,
        context: RequestContext,
        now: OffsetDateTime,
    ) -> Vec<Explained<'_>> {
        let Some(request) = Request::new(url) else {
            return Vec::new();
        };
        let mut sent = self.matching(&request, context, now);
        let (_, mut left_out) = self.write_header(&mut sent);
        left_out.sort_unstable();
        let key = match request.is_ip {
            true => &*request.host,
            false => host::registrable_domain_from_suffix(
                &request.host,
                self.psl.public_suffix(&request.host),
            ),
        };
        let mut out: Vec<Explained<'_>> = sent
            .iter()
            .filter_map(|&id| {
                Some(Explained {
                    cookie: &self.store.get(id)?.cookie,
                    exclusion: None,
                })
            })
            .collect();
        let mut excluded: Vec<Explained<'_>> = self
            .store
            .bucket_entries(key)
            .filter_map(|(id, e)| {
                let exclusion = match self.exclusion(&e.cookie, &request, context, now) {
                    Some(exclusion) => exclusion,
                    None if left_out.binary_search(&id).is_ok() => Exclusion::HeaderFull,
                    None => return None,
                };
                Some(Explained {
                    cookie: &e.cookie,
                    exclusion: Some(exclusion),
                })
            })
            .collect();
        excluded.sort_by(|a, b| {
            (a.cookie.name(), a.cookie.path()).cmp(&(b.cookie.name(), b.cookie.path()))
        });
        out.append(&mut excluded);
        out
    }

    /// Reserves `n` creation sequence numbers, later than every cookie's.
    pub(crate) fn reserve_creation_seqs(&self, n: usize) -> u64 {
        self.store.reserve_seqs(n)
    }

    /// Every cookie in creation order (creation time, then the order of
    /// creation within one instant): the order files are written in, so
    /// that a reload keeps RFC 6265 section 5.4's ordering.
    pub(crate) fn iter_in_creation_order(&self) -> Vec<&Cookie> {
        let mut entries: Vec<&store::Entry> = self.store.entries().map(|(_, e)| e).collect();
        entries.sort_by_key(|e| (e.cookie.creation_time, e.creation_seq));
        entries.into_iter().map(|e| &e.cookie).collect()
    }

    /// Removes the cookie with this exact domain, path and name.
    pub fn remove(&mut self, domain: &str, path: &str, name: &str) -> Option<Cookie> {
        let domain = domain.to_ascii_lowercase();
        let key = host::registrable_domain(self.psl.as_ref(), &domain).to_owned();
        let id = self
            .store
            .same_place(&key, name, &domain, path)
            .map(|(id, _)| id)
            .next()?;
        self.store.remove(id).map(|e| e.cookie)
    }

    /// Removes every cookie whose domain is `domain` or a subdomain of it;
    /// returns how many.
    pub fn clear_domain(&mut self, domain: &str) -> usize {
        let domain = domain.to_ascii_lowercase();
        let ids: Vec<Id> = self
            .store
            .entries()
            .filter(|(_, e)| host::domain_match(&e.cookie.domain, &domain))
            .map(|(id, _)| id)
            .collect();
        for &id in &ids {
            self.store.remove(id);
        }
        ids.len()
    }

    /// Removes every cookie.
    pub fn clear(&mut self) {
        self.store.clear();
    }

    /// Removes the cookies that have expired at `now`; returns how many.
    pub fn purge_expired_at(&mut self, now: OffsetDateTime) -> usize {
        self.store.purge_expired(now)
    }

    /// [`Jar::purge_expired_at`] at the system clock's time.
    pub fn purge_expired(&mut self) -> usize {
        self.purge_expired_at(OffsetDateTime::now_utc())
    }

    /// Replaces the public suffix list (for a fresher one) and files every
    /// cookie again under it. Domain cookies whose domain the new list calls
    /// a public suffix are removed, as the jar would have refused them;
    /// returns how many.
    pub fn set_public_suffix_list(&mut self, psl: Arc<dyn PublicSuffix>) -> usize {
        self.psl = psl;
        let supercookies: Vec<Id> = self
            .store
            .entries()
            .filter(|(_, e)| {
                !e.cookie.host_only && host::is_public_suffix(self.psl.as_ref(), &e.cookie.domain)
            })
            .map(|(id, _)| id)
            .collect();
        for &id in &supercookies {
            self.store.remove(id);
        }
        let psl = self.psl.clone();
        self.store
            .rekey(|c| host::registrable_domain(psl.as_ref(), &c.domain).to_owned());
        supercookies.len()
    }
}

/// The RFC 6265bis rules that depend on the finished cookie: SameSite
/// (section 5.7 steps 18 and 19) and the name prefixes (section 4.1.3;
/// `__Host-` needs an explicit `Path=/` attribute, not just a default path
/// of `/`).
fn check_rfc6265bis(
    sc: &SetCookie<'_>,
    request: &Request<'_>,
    context: RequestContext,
    host_only: bool,
) -> Result<(), Rejection> {
    match sc.same_site() {
        Some(SameSite::None) if !sc.secure() => return Err(Rejection::SameSiteNoneInsecure),
        Some(SameSite::Strict | SameSite::Lax)
            if context.cross_site && !context.top_level_safe_navigation =>
        {
            return Err(Rejection::SameSiteCrossSite)
        }
        _ => {}
    }
    rules::check_prefix(
        sc.name(),
        sc.value(),
        sc.secure(),
        host_only,
        sc.path() == Some("/"),
        request.secure,
    )
}

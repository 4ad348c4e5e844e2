//! The user-agent cookie jar: the storage model of RFC 6265 section 5.3
//! (`storage.rs`) and the retrieval of section 5.4 (`retrieval.rs`), with
//! the RFC 6265bis safety rules; cookies from files in `loaded.rs`, the
//! rules both paths share in `rules.rs`. This file holds the jar itself,
//! its builder and the request context.
//!
//! Data flows one way: a `Set-Cookie` string is parsed (`SetCookie`), the
//! policy here turns it into an owned [`Cookie`] for the request's URL or
//! rejects it with a reason, the store files it by registrable domain and
//! enforces the limits, and a request reads one bucket back in RFC order.

mod bucket;
mod chromium;
pub(crate) mod events;
mod explain;
pub(crate) mod host;
mod limits;
mod loaded;
mod partition;
pub(crate) mod path;
mod rejection;
#[cfg(feature = "redis")]
mod replica;
mod retrieval;
mod rfc2109;
mod rules;
#[cfg(test)]
mod scale_tests;
pub(crate) mod sharding;
mod storage;
mod store;

pub use events::{
    Change, ChangeKind, ChangeListener, ChangeLog, ChangeRecord, CookieIdentity, Limit,
};
pub use explain::{Exclusion, Explained};
pub use host::domain_match;
pub use limits::{Limits, Profile};
pub use path::{default_path, path_match};
pub use rejection::{Rejection, Stored};

use crate::cookie::Cookie;
use crate::psl::{PublicSuffix, PublicSuffixList};
use std::borrow::Cow;
use std::fmt;
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
    top_level: Option<partition::TopLevel>,
}

impl Default for RequestContext {
    fn default() -> Self {
        RequestContext {
            http_api: true,
            cross_site: false,
            top_level_safe_navigation: false,
            top_level: None,
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

    /// The URL of the top-level page the request is made for: the
    /// partition `Partitioned` cookies are set in and sent from (CHIPS; see
    /// [`Cookie::partition_key`]). Without it the partition is the
    /// request's own site. A URL without a host leaves the context as it
    /// was. This does not make the request cross-site: say so with
    /// [`RequestContext::cross_site`].
    ///
    /// ```
    /// use cookiejar::{Jar, RequestContext};
    /// use url::Url;
    ///
    /// let mut jar = Jar::new();
    /// let now = time::OffsetDateTime::now_utc();
    /// let widget = Url::parse("https://widget.example/")?;
    /// let under_news = RequestContext::default().top_level(&Url::parse("https://news.example/")?);
    /// let under_shop = RequestContext::default().top_level(&Url::parse("https://shop.example/")?);
    /// jar.set_cookie_with(&widget, "w=1; Secure; Partitioned", under_news, now).unwrap();
    /// assert_eq!(jar.cookie_header_with(&widget, under_news, now).as_deref(), Some("w=1"));
    /// assert_eq!(jar.cookie_header_with(&widget, under_shop, now), None);
    /// # Ok::<(), url::ParseError>(())
    /// ```
    pub fn top_level(mut self, page: &Url) -> Self {
        if let Some(top) = partition::TopLevel::of(page) {
            self.top_level = Some(top);
        }
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

    /// True if [`RequestContext::top_level_navigation`] was called with a
    /// safe method.
    pub fn is_top_level_safe_navigation(&self) -> bool {
        self.top_level_safe_navigation
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
    /// Told of every change (`events.rs`); `None` costs one test per change.
    listener: Option<Arc<dyn ChangeListener>>,
    /// Whether lookups record last-access (RFC 6265 section 5.4 step 3).
    /// A fleet replica does not: its eviction order must depend only on
    /// what every replica sees (`fleet/mod.rs`).
    pub(crate) record_access: bool,
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
#[derive(Clone)]
pub struct JarBuilder {
    limits: Limits,
    profile: Profile,
    psl: Option<Arc<dyn PublicSuffix>>,
    listener: Option<Arc<dyn ChangeListener>>,
}

impl fmt::Debug for JarBuilder {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("JarBuilder")
            .field("limits", &self.limits)
            .field("profile", &self.profile)
            .field("psl", &self.psl)
            .field("listener", &self.listener.is_some())
            .finish()
    }
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

    /// A listener told of every change the jar makes (see
    /// [`ChangeListener`]); none by default.
    pub fn on_change(mut self, listener: Arc<dyn ChangeListener>) -> Self {
        self.listener = Some(listener);
        self
    }

    /// The jar.
    pub fn build(self) -> Jar {
        Jar {
            store: Store::default(),
            limits: self.limits,
            profile: self.profile,
            psl: self.psl.unwrap_or_else(|| PublicSuffixList::bundled()),
            listener: self.listener,
            record_access: true,
        }
    }
}

/// The request URL, canonicalized once.
struct Request<'u> {
    /// Kept for rules that need more of the URL than its host and path.
    #[allow(dead_code)]
    url: &'u Url,
    host: Cow<'u, str>,
    is_ip: bool,
    /// `host` reads as an IP address (as `is_ip`, and also for the opaque
    /// host of a non-special URL written like one): what section 5.1.3's
    /// "the string is a host name (i.e., not an IP address)" asks, answered
    /// once per request instead of once per cookie.
    ip_literal: bool,
    secure: bool,
    /// `url.path()`, found once: a lookup path-matches every cookie.
    path: &'u str,
}

impl<'u> Request<'u> {
    fn new(url: &'u Url) -> Option<Self> {
        let (host, is_ip) = host::canonical_request_host(url)?;
        let secure = host::is_secure_origin(url, &host);
        let ip_literal = is_ip || host::is_ip_literal(&host);
        Some(Request {
            url,
            host,
            is_ip,
            ip_literal,
            secure,
            path: url.path(),
        })
    }

    fn path(&self) -> &str {
        self.path
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
            listener: None,
        }
    }

    /// Replaces the change listener (`None` removes it); returns the old one.
    pub fn set_change_listener(
        &mut self,
        listener: Option<Arc<dyn ChangeListener>>,
    ) -> Option<Arc<dyn ChangeListener>> {
        std::mem::replace(&mut self.listener, listener)
    }

    /// Tells the listener, if any, of one change.
    #[inline]
    pub(crate) fn emit(&self, kind: ChangeKind, cookie: &Cookie) {
        if let Some(listener) = &self.listener {
            listener.on_change(&Change { kind, cookie });
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
        let removed = self.store.remove(id)?.cookie;
        self.emit(ChangeKind::Removed, &removed);
        Some(removed)
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
            if let Some(entry) = self.store.remove(id) {
                self.emit(ChangeKind::Removed, &entry.cookie);
            }
        }
        ids.len()
    }

    /// Removes every cookie.
    pub fn clear(&mut self) {
        if self.listener.is_some() {
            for cookie in self.iter_in_creation_order() {
                self.emit(ChangeKind::Cleared, cookie);
            }
        }
        self.store.clear();
    }

    /// Removes the cookies that have expired at `now`; returns how many.
    pub fn purge_expired_at(&mut self, now: OffsetDateTime) -> usize {
        let listener = &self.listener;
        self.store
            .purge_expired(now, &mut |c, why| emit(listener, why.into(), c))
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
            if let Some(entry) = self.store.remove(id) {
                self.emit(ChangeKind::PublicSuffixRemoved, &entry.cookie);
            }
        }
        let psl = self.psl.clone();
        self.store
            .rekey(|c| host::registrable_domain(psl.as_ref(), &c.domain).to_owned());
        supercookies.len()
    }
}

/// [`Jar::emit`] for a caller that holds the store mutably.
#[inline]
fn emit(listener: &Option<Arc<dyn ChangeListener>>, kind: ChangeKind, cookie: &Cookie) {
    if let Some(listener) = listener {
        listener.on_change(&Change { kind, cookie });
    }
}

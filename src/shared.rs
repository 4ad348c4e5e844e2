//! `SharedJar`: one jar for many threads, tasks or HTTP clients.

use crate::jar::{Jar, Rejection, Stored};
use crate::parse::{SetCookie, MAX_NAME_VALUE_BYTES};
use std::collections::VecDeque;
use std::fmt;
use std::sync::{Arc, Mutex, PoisonError, RwLock, RwLockReadGuard, RwLockWriteGuard};
use time::OffsetDateTime;
use url::Url;

/// How many refusals [`SharedJar`] remembers for [`SharedJar::take_rejections`].
const REJECTION_LOG: usize = 64;

/// A cookie the jar refused, as [`SharedJar::take_rejections`] reports it:
/// which cookie, from where, and why. Never its value (cookie values are
/// credentials), in the fields, `Debug` or `Display`.
///
/// ```
/// use cookiejar::{Rejection, SharedJar};
/// use url::Url;
///
/// let jar = SharedJar::default();
/// let url = Url::parse("https://www.example.com/")?;
/// assert!(jar.set_cookie(&url, "sid=secret; Domain=other.org; Path=/").is_err());
/// let refused = jar.take_rejections();
/// assert_eq!(refused[0].name.as_deref(), Some("sid"));
/// assert_eq!(refused[0].domain_attribute.as_deref(), Some("other.org"));
/// assert_eq!(refused[0].reason, Rejection::DomainMismatch);
/// assert!(!format!("{:?} {}", refused[0], refused[0]).contains("secret"));
/// # Ok::<(), url::ParseError>(())
/// ```
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub struct RejectedCookie {
    /// The URL of the response that sent the `Set-Cookie`.
    pub url: Url,
    /// The cookie's name; `None` for a nameless cookie, or a header too
    /// malformed to parse whose text before the first `=` is not a token
    /// (RFC 9110 section 5.6.2).
    pub name: Option<String>,
    /// The last `Domain` attribute, as the header gave it.
    pub domain_attribute: Option<String>,
    /// The last `Path` attribute, as the header gave it.
    pub path_attribute: Option<String>,
    /// Why the jar refused it.
    pub reason: Rejection,
}

impl RejectedCookie {
    /// Names the cookie of one refused `Set-Cookie` header (its bytes, which
    /// may not be UTF-8). Only refusals pay for this second parse.
    pub(crate) fn new(url: &Url, header: &[u8], reason: Rejection) -> Self {
        let parsed = std::str::from_utf8(header)
            .ok()
            .and_then(|text| SetCookie::parse(text).ok());
        let (name, domain_attribute, path_attribute) = match parsed {
            Some(sc) => (
                Some(sc.name()).filter(|name| !name.is_empty()),
                sc.attribute("domain"),
                sc.attribute("path"),
            ),
            None => (name_before_equals(header), None, None),
        };
        RejectedCookie {
            url: url.clone(),
            name: name.map(str::to_owned),
            domain_attribute: domain_attribute.map(str::to_owned),
            path_attribute: path_attribute.map(str::to_owned),
            reason,
        }
    }
}

/// For a header that does not parse: the text before the first `=`,
/// trimmed, if it is a plausible cookie name (an RFC 9110 token, at most
/// the 4096 bytes a name may take). A header without `=` is a nameless
/// cookie's value and is not shown.
fn name_before_equals(header: &[u8]) -> Option<&str> {
    let end = header.iter().position(|&b| b == b'=')?;
    let name = std::str::from_utf8(header.get(..end)?).ok()?;
    let name = name.trim_matches([' ', '\t']);
    let tchar = |b: u8| b.is_ascii_alphanumeric() || b"!#$%&'*+-.^_`|~".contains(&b);
    let plausible =
        !name.is_empty() && name.len() <= MAX_NAME_VALUE_BYTES && name.bytes().all(tchar);
    plausible.then_some(name)
}

impl fmt::Display for RejectedCookie {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match &self.name {
            Some(name) => write!(f, "cookie {name:?}")?,
            None => f.write_str("a cookie")?,
        }
        match (&self.domain_attribute, &self.path_attribute) {
            (Some(domain), Some(path)) => write!(f, " (Domain={domain}; Path={path})")?,
            (Some(domain), None) => write!(f, " (Domain={domain})")?,
            (None, Some(path)) => write!(f, " (Path={path})")?,
            (None, None) => {}
        }
        write!(f, " from {}: {}", self.url, self.reason)
    }
}

/// A cloneable, thread-safe handle to a [`Jar`].
///
/// Lookups take a read lock (a jar records last-access times atomically), so
/// concurrent requests never wait for one another; storing takes the write
/// lock briefly. A panic in another thread while it held the lock does not
/// make the jar unusable: the jar's own invariants hold after every call.
///
/// HTTP clients store cookies through traits that cannot return errors
/// (reqwest's `CookieStore`); the handle keeps the last refusals, each
/// naming the cookie ([`RejectedCookie`]), so that "which cookie was
/// dropped, and why?" has an answer.
///
/// # Example
///
/// ```
/// use cookiejar::SharedJar;
/// use url::Url;
///
/// let jar = SharedJar::default();
/// let url = Url::parse("https://example.com/")?;
/// std::thread::scope(|s| {
///     s.spawn(|| jar.set_cookie(&url, "a=1").unwrap());
/// });
/// assert_eq!(jar.cookie_header(&url).as_deref(), Some("a=1"));
/// assert_eq!(jar.read().len(), 1);
/// # Ok::<(), url::ParseError>(())
/// ```
#[derive(Debug, Clone, Default)]
pub struct SharedJar {
    jar: Arc<RwLock<Jar>>,
    rejections: Arc<Mutex<VecDeque<RejectedCookie>>>,
}

impl From<Jar> for SharedJar {
    fn from(jar: Jar) -> Self {
        SharedJar {
            jar: Arc::new(RwLock::new(jar)),
            rejections: Arc::default(),
        }
    }
}

impl SharedJar {
    /// Wraps a jar.
    pub fn new(jar: Jar) -> Self {
        SharedJar::from(jar)
    }

    /// Read access to the jar (listing, saving, explaining).
    pub fn read(&self) -> RwLockReadGuard<'_, Jar> {
        self.jar.read().unwrap_or_else(PoisonError::into_inner)
    }

    /// Write access to the jar (loading, removing, clearing).
    pub fn write(&self) -> RwLockWriteGuard<'_, Jar> {
        self.jar.write().unwrap_or_else(PoisonError::into_inner)
    }

    /// [`Jar::set_cookie_at`] under the write lock; a refusal is also logged.
    ///
    /// # Errors
    ///
    /// As [`Jar::set_cookie_at`].
    pub fn set_cookie_at(
        &self,
        url: &Url,
        set_cookie: &str,
        now: OffsetDateTime,
    ) -> Result<Stored, Rejection> {
        let result = self.write().set_cookie_at(url, set_cookie, now);
        if let Err(rejection) = result {
            self.log_rejection(RejectedCookie::new(url, set_cookie.as_bytes(), rejection));
        }
        result
    }

    /// [`SharedJar::set_cookie_at`] at the system clock's time.
    ///
    /// # Errors
    ///
    /// As [`Jar::set_cookie_at`].
    pub fn set_cookie(&self, url: &Url, set_cookie: &str) -> Result<Stored, Rejection> {
        self.set_cookie_at(url, set_cookie, OffsetDateTime::now_utc())
    }

    /// [`Jar::cookie_header_at`] under a read lock.
    pub fn cookie_header_at(&self, url: &Url, now: OffsetDateTime) -> Option<String> {
        self.read().cookie_header_at(url, now)
    }

    /// [`SharedJar::cookie_header_at`] at the system clock's time.
    pub fn cookie_header(&self, url: &Url) -> Option<String> {
        self.cookie_header_at(url, OffsetDateTime::now_utc())
    }

    /// The refusals since the last call (at most the last 64), oldest first.
    pub fn take_rejections(&self) -> Vec<RejectedCookie> {
        let mut log = self
            .rejections
            .lock()
            .unwrap_or_else(PoisonError::into_inner);
        log.drain(..).collect()
    }

    pub(crate) fn log_rejection(&self, rejected: RejectedCookie) {
        let mut log = self
            .rejections
            .lock()
            .unwrap_or_else(PoisonError::into_inner);
        if log.len() == REJECTION_LOG {
            log.pop_front();
        }
        log.push_back(rejected);
    }
}

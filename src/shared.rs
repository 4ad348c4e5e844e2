//! `SharedJar`: one jar for many threads, tasks or HTTP clients.

use crate::cookie::Cookie;
use crate::jar::{Jar, Rejection, Stored};
use crate::parse::{SetCookie, MAX_NAME_VALUE_BYTES};
use crate::persist::{atomic, render, Format, SaveOptions, SaveReport};
use crate::shards::{Shards, WholeJar};
use std::collections::VecDeque;
use std::fmt;
use std::io;
use std::path::Path;
use std::sync::{Arc, Mutex, PoisonError};
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
/// The jar is sharded by registrable domain: one jar per shard, each
/// behind its own lock, four shards per core. A lookup read-locks the one
/// shard that holds the request's cookies, so concurrent requests never
/// wait for one another and threads working on different sites share no
/// lock word; a store write-locks one shard briefly. The per-domain limit
/// lives in one shard; the jar-wide limit is kept across shards (see
/// `SharedJar::set_cookie_at`). A panic in another thread while it held a
/// lock does not make the jar unusable: the jar's own invariants hold after
/// every call.
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
#[derive(Debug, Clone)]
pub struct SharedJar {
    shards: Arc<Shards>,
    rejections: Arc<Mutex<VecDeque<RejectedCookie>>>,
}

impl Default for SharedJar {
    fn default() -> Self {
        SharedJar::from(Jar::new())
    }
}

impl From<Jar> for SharedJar {
    fn from(jar: Jar) -> Self {
        SharedJar {
            shards: Arc::new(Shards::new(jar)),
            rejections: Arc::default(),
        }
    }
}

impl SharedJar {
    /// Wraps a jar.
    pub fn new(jar: Jar) -> Self {
        SharedJar::from(jar)
    }

    /// A copy of the whole jar (listing, saving, explaining), assembled
    /// from the shards: O(n), for the occasional whole-jar task, not for
    /// each request ([`SharedJar::cookie_header_at`] reads one shard).
    /// Lookups through the copy do not touch the shared jar's cookies.
    pub fn read(&self) -> Jar {
        self.shards.assemble()
    }

    /// Write access to the whole jar (loading, removing, clearing,
    /// replacing the public suffix list): every shard is locked and the
    /// jar assembled (O(n)) until the guard is dropped, when the cookies go
    /// back into the shards. Stores use [`SharedJar::set_cookie_at`].
    pub fn write(&self) -> WholeJar<'_> {
        self.shards.write()
    }

    /// [`Jar::set_cookie_with`] in the shard of the cookie's registrable
    /// domain; a refusal is also logged.
    ///
    /// # Errors
    ///
    /// As [`Jar::set_cookie_with`].
    pub fn set_cookie_with(
        &self,
        url: &Url,
        set_cookie: &str,
        context: crate::RequestContext,
        now: OffsetDateTime,
    ) -> Result<Stored, Rejection> {
        let result = self.shards.set_cookie_with(url, set_cookie, context, now);
        if let Err(rejection) = result {
            self.log_rejection(RejectedCookie::new(url, set_cookie.as_bytes(), rejection));
        }
        result
    }

    /// [`Jar::cookie_header_with`] under the read lock of one shard.
    pub fn cookie_header_with(
        &self,
        url: &Url,
        context: crate::RequestContext,
        now: OffsetDateTime,
    ) -> Option<String> {
        let mut header = String::new();
        let sent = self.write_cookie_header_with(url, context, now, &mut header);
        (sent > 0).then_some(header)
    }

    /// [`Jar::write_cookie_header_with`] under the read lock of one shard:
    /// the `Cookie` header into a caller's buffer, which keeps its capacity
    /// for the next request. Returns how many cookies the header holds.
    pub fn write_cookie_header_with(
        &self,
        url: &Url,
        context: crate::RequestContext,
        now: OffsetDateTime,
        header: &mut String,
    ) -> usize {
        self.shards
            .write_cookie_header_with(url, context, now, header)
    }

    /// [`Jar::set_cookie_at`] under the write lock of the shard of the
    /// cookie's registrable domain; a refusal is also logged. If the store
    /// takes the jar over its jar-wide limit, every shard is locked for the
    /// eviction (RFC 6265 section 5.3 step 12: expired cookies first, then
    /// the least recently used of the whole jar), and the count of evicted
    /// cookies is in the result.
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
        self.set_cookie_with(url, set_cookie, crate::RequestContext::default(), now)
    }

    /// [`SharedJar::set_cookie_at`] at the system clock's time.
    ///
    /// # Errors
    ///
    /// As [`Jar::set_cookie_at`].
    pub fn set_cookie(&self, url: &Url, set_cookie: &str) -> Result<Stored, Rejection> {
        self.set_cookie_at(url, set_cookie, OffsetDateTime::now_utc())
    }

    /// [`Jar::cookie_header_at`] under the read lock of one shard.
    pub fn cookie_header_at(&self, url: &Url, now: OffsetDateTime) -> Option<String> {
        self.cookie_header_with(url, crate::RequestContext::default(), now)
    }

    /// [`SharedJar::cookie_header_at`] at the system clock's time.
    pub fn cookie_header(&self, url: &Url) -> Option<String> {
        self.cookie_header_at(url, OffsetDateTime::now_utc())
    }

    /// [`Jar::save_at`] without holding a lock while writing: the cookies
    /// to save are copied from the shards, and the text is rendered and
    /// written after, so stores never wait for the disk.
    /// The file holds the jar as it was at the copy.
    ///
    /// # Errors
    ///
    /// As [`Jar::save_at`].
    pub fn save_at(
        &self,
        path: impl AsRef<Path>,
        format: Format,
        options: SaveOptions,
        now: OffsetDateTime,
    ) -> io::Result<SaveReport> {
        self.save_with(format, options, now, |text| {
            atomic::write_atomically(path.as_ref(), text)
        })
    }

    /// [`SharedJar::save_at`] at the system clock's time.
    ///
    /// # Errors
    ///
    /// As [`Jar::save_at`].
    pub fn save(
        &self,
        path: impl AsRef<Path>,
        format: Format,
        options: SaveOptions,
    ) -> io::Result<SaveReport> {
        self.save_at(path, format, options, OffsetDateTime::now_utc())
    }

    /// Copies the cookies to save under the read lock, then renders them
    /// and hands the text to `write` with no lock held.
    fn save_with(
        &self,
        format: Format,
        options: SaveOptions,
        now: OffsetDateTime,
        write: impl FnOnce(&[u8]) -> io::Result<()>,
    ) -> io::Result<SaveReport> {
        let mut report = SaveReport::default();
        let jar = self.read();
        let cookies: Vec<&Cookie> = jar.cookies_to_save(options, now, &mut report);
        let text = render(format, &cookies, options, &mut report)?;
        write(text.as_bytes())?;
        Ok(report)
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

#[cfg(test)]
mod tests {
    use super::*;
    use time::macros::datetime;

    const NOW: OffsetDateTime = datetime!(2026-01-01 0:00 UTC);

    /// The write runs with no lock held: a store can take the write lock
    /// while the file is being written, and what is written is the jar as
    /// it was before that store.
    #[test]
    fn saving_holds_no_lock_while_writing() {
        let limits = crate::Limits {
            max_cookies: 10_000,
            max_cookies_per_domain: 10_000,
            ..crate::Limits::default()
        };
        let shared = SharedJar::new(Jar::builder().limits(limits).build());
        let url = Url::parse("https://example.com/").unwrap();
        for i in 0..1000 {
            shared
                .set_cookie_at(&url, &format!("c{i}=v; Max-Age=999"), NOW)
                .unwrap();
        }
        let mut stored_during_write = false;
        let mut written = Vec::new();
        let report = shared
            .save_with(Format::Netscape, SaveOptions::default(), NOW, |text| {
                drop(shared.write());
                shared
                    .set_cookie_at(&url, "late=1; Max-Age=999", NOW)
                    .unwrap();
                stored_during_write = true;
                written.extend_from_slice(text);
                Ok(())
            })
            .unwrap();
        assert!(stored_during_write);
        assert_eq!(report.written, 1000);
        assert_eq!(shared.read().len(), 1001);
        let text = String::from_utf8(written).unwrap();
        assert_eq!(text.matches("\tc").count(), 1000);
        assert!(!text.contains("late"));
    }

    #[test]
    fn a_shared_save_writes_what_a_jar_save_writes() {
        let dir = tempfile::tempdir().unwrap();
        let url = Url::parse("https://example.com/").unwrap();
        let shared = SharedJar::default();
        shared.set_cookie_at(&url, "a=1; Max-Age=999", NOW).unwrap();
        shared.set_cookie_at(&url, "s=1", NOW).unwrap();
        shared.set_cookie_at(&url, "b=2; Max-Age=999", NOW).unwrap();
        let formats: &[Format] = if cfg!(feature = "json") {
            &[Format::Json, Format::Netscape]
        } else {
            &[Format::Netscape]
        };
        for &format in formats {
            let (a, b) = (dir.path().join("a"), dir.path().join("b"));
            let from_shared = shared
                .save_at(&a, format, SaveOptions::default(), NOW)
                .unwrap();
            let from_jar = shared
                .read()
                .save_at(&b, format, SaveOptions::default(), NOW)
                .unwrap();
            assert_eq!(from_shared, from_jar);
            assert_eq!(from_shared.session_skipped, 1);
            assert_eq!(std::fs::read(&a).unwrap(), std::fs::read(&b).unwrap());
        }
    }
}

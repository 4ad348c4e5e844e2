//! `SharedJar`: one jar for many threads, tasks or HTTP clients.

use crate::jar::{Jar, Rejection, Stored};
use std::collections::VecDeque;
use std::sync::{Arc, Mutex, PoisonError, RwLock, RwLockReadGuard, RwLockWriteGuard};
use time::OffsetDateTime;
use url::Url;

/// How many refusals [`SharedJar`] remembers for [`SharedJar::take_rejections`].
const REJECTION_LOG: usize = 64;

/// A cloneable, thread-safe handle to a [`Jar`].
///
/// Lookups take a read lock (a jar records last-access times atomically), so
/// concurrent requests never wait for one another; storing takes the write
/// lock briefly. A panic in another thread while it held the lock does not
/// make the jar unusable: the jar's own invariants hold after every call.
///
/// HTTP clients store cookies through traits that cannot return errors
/// (reqwest's `CookieStore`); the handle keeps the last refusals so that
/// "why was my cookie dropped?" has an answer.
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
    rejections: Arc<Mutex<VecDeque<(Url, Rejection)>>>,
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
            self.log_rejection(url, rejection);
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
    pub fn take_rejections(&self) -> Vec<(Url, Rejection)> {
        let mut log = self
            .rejections
            .lock()
            .unwrap_or_else(PoisonError::into_inner);
        log.drain(..).collect()
    }

    pub(crate) fn log_rejection(&self, url: &Url, rejection: Rejection) {
        let mut log = self
            .rejections
            .lock()
            .unwrap_or_else(PoisonError::into_inner);
        if log.len() == REJECTION_LOG {
            log.pop_front();
        }
        log.push_back((url.clone(), rejection));
    }
}

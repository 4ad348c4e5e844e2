//! Change events: a typed record of every change the jar makes to what it
//! holds, for debugging a login, auditing, or replicating the jar (the
//! fleet jar of feature `redis` replays the same policy code instead, and
//! uses these events in its tests).
//!
//! A jar without a listener pays one `Option` test at each of the few
//! places where a cookie is filed or removed, and nothing on lookups.

use crate::cookie::Cookie;
use std::collections::VecDeque;
use std::fmt;
use std::sync::{Mutex, PoisonError};

/// Which limit made the jar evict a cookie (RFC 6265 section 5.3 step 12).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum Limit {
    /// [`Limits::max_cookies_per_domain`](super::Limits::max_cookies_per_domain):
    /// the registrable domain held too many cookies.
    PerDomain,
    /// [`Limits::max_cookies`](super::Limits::max_cookies): the jar held
    /// too many cookies.
    Total,
}

/// What happened to a cookie.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum ChangeKind {
    /// A `Set-Cookie` added a new cookie (RFC 6265 section 5.3 step 12).
    Added,
    /// A `Set-Cookie` replaced the cookie with the same name, domain, path
    /// (and host-only flag), keeping its creation time (section 5.3 step
    /// 11). The event carries the new cookie.
    Replaced,
    /// The server deleted the cookie: a `Set-Cookie` for the same cookie
    /// with `Max-Age=0` or an `Expires` in the past. The event carries the
    /// cookie removed.
    DeletedByServer,
    /// The cookie had expired and was purged: by
    /// [`Jar::purge_expired_at`](super::Jar::purge_expired_at), or
    /// first in line when a limit was exceeded (section 5.3 step 12).
    Expired,
    /// The cookie was evicted because a limit was exceeded.
    Evicted(Limit),
    /// The caller removed the cookie ([`Jar::remove`](super::Jar::remove),
    /// [`Jar::clear_domain`](super::Jar::clear_domain)).
    Removed,
    /// The caller cleared the jar ([`Jar::clear`](super::Jar::clear)); one
    /// event per cookie.
    Cleared,
    /// A new public suffix list calls the domain of this domain cookie a
    /// public suffix ([`Jar::set_public_suffix_list`](super::Jar::set_public_suffix_list)).
    PublicSuffixRemoved,
    /// The cookie came from a file or another jar (loading, merging); it
    /// may have replaced an older one with the same identity.
    Loaded,
}

impl ChangeKind {
    /// True if the cookie is in the jar after the change.
    pub fn is_stored(&self) -> bool {
        matches!(
            self,
            ChangeKind::Added | ChangeKind::Replaced | ChangeKind::Loaded
        )
    }
}

impl fmt::Display for ChangeKind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            ChangeKind::Added => "added",
            ChangeKind::Replaced => "replaced",
            ChangeKind::DeletedByServer => "deleted by the server",
            ChangeKind::Expired => "expired and purged",
            ChangeKind::Evicted(Limit::PerDomain) => "evicted: too many cookies for its domain",
            ChangeKind::Evicted(Limit::Total) => "evicted: too many cookies in the jar",
            ChangeKind::Removed => "removed",
            ChangeKind::Cleared => "cleared",
            ChangeKind::PublicSuffixRemoved => "removed: its domain is a public suffix",
            ChangeKind::Loaded => "loaded",
        })
    }
}

/// A cookie's identity in the jar: RFC 6265 section 5.3 step 11 (with RFC
/// 6265bis's host-only flag) says two cookies are the same when these are.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct CookieIdentity {
    /// The cookie-name.
    pub name: String,
    /// The domain (the request host for a host-only cookie).
    pub domain: String,
    /// The path.
    pub path: String,
    /// The host-only-flag.
    pub host_only: bool,
    /// The top-level site a partitioned cookie (CHIPS) is kept under:
    /// the same name, domain and path under two sites are two cookies.
    pub partition_key: Option<String>,
}

impl fmt::Display for CookieIdentity {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let dot = if self.host_only { "" } else { "." };
        write!(f, "{:?} for {dot}{}{}", self.name, self.domain, self.path)?;
        match &self.partition_key {
            Some(site) => write!(f, " partitioned under {site}"),
            None => Ok(()),
        }
    }
}

/// One change, as a listener sees it: what happened and to which cookie.
///
/// `cookie` is the cookie now stored (added, replaced, loaded) or the one
/// that left the jar. Its `Debug` does not show the value.
#[derive(Debug, Clone, Copy)]
#[non_exhaustive]
pub struct Change<'a> {
    /// What happened.
    pub kind: ChangeKind,
    /// The cookie.
    pub cookie: &'a Cookie,
}

impl Change<'_> {
    /// The cookie's identity, owned.
    pub fn identity(&self) -> CookieIdentity {
        CookieIdentity {
            name: self.cookie.name().to_owned(),
            domain: self.cookie.domain().to_owned(),
            path: self.cookie.path().to_owned(),
            host_only: self.cookie.host_only(),
            partition_key: self.cookie.partition_key().map(str::to_owned),
        }
    }

    /// The owned record of this change, without the value.
    pub fn to_record(&self) -> ChangeRecord {
        ChangeRecord {
            kind: self.kind,
            identity: self.identity(),
        }
    }
}

/// Receives the jar's changes, synchronously, in the order they happen,
/// while the jar is borrowed mutably: a listener must not call back into
/// the same jar (through a [`SharedJar`](crate::SharedJar) it would wait
/// for itself).
///
/// Any `Fn(&Change<'_>) + Send + Sync` closure is a listener.
///
/// # Example
///
/// ```
/// use cookiejar::{ChangeKind, Jar};
/// use std::sync::{Arc, Mutex};
/// use url::Url;
///
/// let seen = Arc::new(Mutex::new(Vec::new()));
/// let sink = seen.clone();
/// let mut jar = Jar::builder()
///     .on_change(Arc::new(move |c: &cookiejar::Change<'_>| {
///         sink.lock().unwrap().push((c.kind, c.cookie.name().to_owned()))
///     }))
///     .build();
/// let url = Url::parse("https://example.com/")?;
/// jar.set_cookie(&url, "a=1").unwrap();
/// jar.set_cookie(&url, "a=2").unwrap();
/// jar.set_cookie(&url, "a=; Max-Age=0").unwrap();
/// assert_eq!(
///     *seen.lock().unwrap(),
///     [(ChangeKind::Added, "a".into()), (ChangeKind::Replaced, "a".into()), (ChangeKind::DeletedByServer, "a".into())]
/// );
/// # Ok::<(), url::ParseError>(())
/// ```
pub trait ChangeListener: Send + Sync {
    /// Called once per change.
    fn on_change(&self, change: &Change<'_>);
}

impl<F: Fn(&Change<'_>) + Send + Sync> ChangeListener for F {
    fn on_change(&self, change: &Change<'_>) {
        self(change)
    }
}

/// An owned change: what happened to which cookie (never its value).
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub struct ChangeRecord {
    /// What happened.
    pub kind: ChangeKind,
    /// To which cookie.
    pub identity: CookieIdentity,
}

impl fmt::Display for ChangeRecord {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}: {}", self.identity, self.kind)
    }
}

/// A listener that keeps the last `capacity` changes for
/// [`ChangeLog::take`]: a drained log, for a caller that would rather poll
/// than be called. When full, the oldest record is dropped and counted.
///
/// # Example
///
/// ```
/// use cookiejar::{ChangeKind, ChangeLog, Jar, Limit, Limits};
/// use std::sync::Arc;
/// use url::Url;
///
/// let log = Arc::new(ChangeLog::new(100));
/// let limits = Limits { max_cookies_per_domain: 1, ..Limits::default() };
/// let mut jar = Jar::builder().limits(limits).on_change(log.clone()).build();
/// let url = Url::parse("https://example.com/")?;
/// jar.set_cookie(&url, "a=1").unwrap();
/// jar.set_cookie(&url, "b=2").unwrap();
/// let kinds: Vec<_> = log.take().into_iter().map(|r| (r.kind, r.identity.name)).collect();
/// assert_eq!(kinds, [
///     (ChangeKind::Added, "a".to_owned()),
///     (ChangeKind::Added, "b".to_owned()),
///     (ChangeKind::Evicted(Limit::PerDomain), "a".to_owned()),
/// ]);
/// # Ok::<(), url::ParseError>(())
/// ```
#[derive(Debug)]
pub struct ChangeLog {
    capacity: usize,
    inner: Mutex<(VecDeque<ChangeRecord>, u64)>,
}

impl ChangeLog {
    /// A log that keeps at most `capacity` records.
    pub fn new(capacity: usize) -> Self {
        ChangeLog {
            capacity,
            inner: Mutex::new((VecDeque::new(), 0)),
        }
    }

    /// The records since the last call, oldest first.
    pub fn take(&self) -> Vec<ChangeRecord> {
        let mut inner = self.inner.lock().unwrap_or_else(PoisonError::into_inner);
        inner.0.drain(..).collect()
    }

    /// How many records were dropped because the log was full.
    pub fn dropped(&self) -> u64 {
        self.inner.lock().unwrap_or_else(PoisonError::into_inner).1
    }
}

impl ChangeListener for ChangeLog {
    fn on_change(&self, change: &Change<'_>) {
        if self.capacity == 0 {
            return;
        }
        let mut inner = self.inner.lock().unwrap_or_else(PoisonError::into_inner);
        if inner.0.len() == self.capacity {
            inner.0.pop_front();
            inner.1 += 1;
        }
        inner.0.push_back(change.to_record());
    }
}

/// Why the store removed a cookie while enforcing the limits.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Removal {
    Expired,
    Evicted(Limit),
}

impl From<Removal> for ChangeKind {
    fn from(removal: Removal) -> Self {
        match removal {
            Removal::Expired => ChangeKind::Expired,
            Removal::Evicted(limit) => ChangeKind::Evicted(limit),
        }
    }
}

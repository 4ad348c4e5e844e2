//! `FleetJar` (feature `redis`): one cookie jar shared by every process of
//! a crawler fleet, through Redis.
//!
//! # Design
//!
//! **Every process holds a full replica**, a [`Jar`], and answers lookups
//! from it: `cookie_header` never does network I/O, so it is safe on an
//! async runtime's thread (reqwest calls its cookie store synchronously).
//!
//! **Changes are requests in one ordered log**, a Redis Stream under the
//! key `cookiejar:{NAME}:log`. A store appends its request (`XADD`, one
//! atomic command: the URL, the `Set-Cookie` text, the request context and
//! the writer's clock) and waits until its own replica has applied the log
//! up to that entry, so the caller gets the jar's real answer
//! ([`Stored`] or the [`Rejection`](crate::Rejection)). Every replica applies every entry in
//! log order through the same policy code as a local jar (RFC 6265 section
//! 5.3: the same `Jar::set_cookie_with`), with the entry's clock. Same
//! start, same requests in the same order: the same cookies, the same
//! creation order, the same limits and evictions, the same `Cookie`
//! headers, in every replica once it has caught up. There is no second
//! implementation of the RFC, and two writers can never lose each other's
//! update (a naive per-host read-modify-write, as Colly's Redis storage
//! does, loses one of two concurrent stores).
//!
//! **One writer per process, and request ids, make retries safe.** Every
//! change a process makes goes through one queue and one writer thread,
//! which sends them in call order on one connection (a pipeline of
//! `XADD`s for what queued up meanwhile). Each entry carries its writer's
//! tag and a request id, numbered in queue order. When the connection
//! fails after a request was sent, Redis may or may not have appended it;
//! the writer reconnects and sends the same requests again, in the same
//! order, with the same ids, until the timeout. Every replica keeps the
//! last request id it applied from each writer (in its snapshot too) and
//! skips an entry whose id is not above it, so a retried request is
//! applied exactly once, by the log path and the snapshot path alike, even
//! when another process's entries came in between (a plain retry there
//! would write an old value over a newer one).
//!
//! **Queued stores for async code.** reqwest's `CookieStore` cannot wait
//! for Redis, so its stores are queued ([`FleetJar::queue_cookie_with`]):
//! the call returns at once; the store is applied at once to this
//! process's *view* (a copy of the replica's cookies of the store's site,
//! with its pending stores on top), so the next request from this process
//! (a login's redirect) carries the cookie; other processes see it when
//! their followers read it from the log. The replica only ever holds the
//! log, so replicas still converge; a copy is dropped as soon as its
//! stores are in the replica. A queued
//! store the jar refuses, or that cannot reach Redis within `queue_for`,
//! leaves the view and is reported by [`FleetJar::take_failures`].
//!
//! **What a replica does not share is kept out of its state**: lookups do
//! not record last access (RFC 6265 section 5.4 step 3), since one
//! process's lookups are not seen by the others and eviction by "least
//! recently used" would then choose different victims in different
//! replicas. Eviction in a fleet jar is by least recently *stored*; see the
//! README's table of differences.
//!
//! **Snapshots keep the log bounded**: after `snapshot_every` entries, a
//! replica writes its state (every cookie with its creation and recency
//! rank, in `cookiejar:{NAME}:snapshot`) and trims the log before that
//! position, both in one Lua script, so the log and the snapshot are never
//! out of step. A replica that starts late, or finds that the log was
//! trimmed past the position it had applied, reads the snapshot and the
//! entries after it in one atomic script and rebuilds its jar from them.
//!
//! **Faults.** A process killed mid-write leaves either a whole entry or
//! none (`XADD` and the scripts are atomic). When Redis cannot be reached,
//! a waiting store fails at once with [`FleetError::Unavailable`] (one
//! whose request was sent is retried first, until the timeout, and then
//! says that it may have reached the log), queued stores wait for
//! `queue_for`, and lookups go on from the replica; the
//! follower thread reconnects with backoff and carries on from the last
//! entry it applied. If Redis comes back without its data, replicas write
//! their state back as a snapshot (the most advanced one wins) so that late
//! replicas still find it.
//!
//! **Keys** carry the jar name as the hash tag (`{NAME}`), so both keys of
//! one jar are in one Redis Cluster slot and the scripts may run there; one
//! Redis serves many jars (identities, jobs) side by side.
//!
//! Every replica of one jar must be built with the same limits, profile and
//! public suffix list, or their choices differ.

mod codec;
#[cfg(any(feature = "reqwest", feature = "reqwest-0-12"))]
mod cookie_store;
mod error;
mod follower;
mod remote;
mod replica;
mod view;
mod writer;

pub use error::{FailedStore, FleetError};

use crate::jar::{ChangeListener, Jar, JarBuilder, Limits, Profile, RequestContext, Stored};
use crate::psl::PublicSuffix;
use codec::Op;
use remote::Keys;
use replica::{Shared, State};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Condvar, Mutex, PoisonError, RwLock, RwLockReadGuard};
use std::time::{Duration, Instant};
use time::OffsetDateTime;
use url::Url;

/// How a [`FleetJar`] is doing, for health checks and logs.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub struct FleetStatus {
    /// Whether the follower is connected to Redis.
    pub connected: bool,
    /// The last log entry applied (`ms-seq`), `0-0` for none.
    pub applied: String,
    /// The cookies in this replica.
    pub cookies: usize,
    /// How many times the replica was rebuilt from a snapshot.
    pub resyncs: u64,
    /// The last Redis error the follower or the writer saw, if any.
    pub last_error: Option<String>,
    /// Changes of this process not yet written to the log.
    pub queued: usize,
    /// Queued stores that failed since the jar was opened (see
    /// [`FleetJar::take_failures`]).
    pub failed_stores: u64,
    /// Requests this process sent again, under the same request id, after
    /// the connection failed before Redis answered (each is applied once).
    pub resent: u64,
}

/// Opens a [`FleetJar`].
///
/// # Example
///
/// ```no_run
/// use cookiejar::{FleetJar, Limits};
///
/// let jar = FleetJar::builder("redis://:secret@127.0.0.1:6379/0", "crawl-42")
///     .limits(Limits::RFC6265)
///     .open()?;
/// let url = url::Url::parse("https://example.com/login")?;
/// jar.set_cookie(&url, "sid=1; Secure; HttpOnly")?;
/// assert_eq!(jar.cookie_header(&url).as_deref(), Some("sid=1"));
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
#[derive(Debug, Clone)]
pub struct FleetJarBuilder {
    url: String,
    jar_name: String,
    jar: JarBuilder,
    snapshot_every: u64,
    timeout: Duration,
    queue_for: Duration,
    /// PEM certificates to trust for `rediss://` instead of the system's.
    #[cfg(feature = "redis-tls")]
    tls_roots: Option<Vec<u8>>,
}

impl FleetJarBuilder {
    /// The limits of every replica (they must be the same fleet-wide).
    pub fn limits(mut self, limits: Limits) -> Self {
        self.jar = self.jar.limits(limits);
        self
    }

    /// The profile of every replica (the same fleet-wide).
    pub fn profile(mut self, profile: Profile) -> Self {
        self.jar = self.jar.profile(profile);
        self
    }

    /// The public suffix list of every replica (the same fleet-wide).
    pub fn public_suffix_list(mut self, psl: Arc<dyn PublicSuffix>) -> Self {
        self.jar = self.jar.public_suffix_list(psl);
        self
    }

    /// A listener told of every change this replica applies, whoever made
    /// it (see [`ChangeListener`]); a rebuild from a snapshot reports
    /// nothing.
    pub fn on_change(mut self, listener: Arc<dyn ChangeListener>) -> Self {
        self.jar = self.jar.on_change(listener);
        self
    }

    /// Log entries between snapshots (default 1,000): the most a late
    /// replica replays after reading the snapshot, and about the most the
    /// log holds.
    pub fn snapshot_every(mut self, entries: u64) -> Self {
        self.snapshot_every = entries.max(1);
        self
    }

    /// How long a connection attempt, a command, a store's wait for its
    /// own replica, and the retries of a store whose reply was lost may
    /// take (default 5 s, at most 10 minutes).
    pub fn timeout(mut self, timeout: Duration) -> Self {
        self.timeout = timeout.min(MAX_RETRY);
        self
    }

    /// How long a queued store ([`FleetJar::queue_cookie_with`], reqwest's
    /// `CookieStore`) may wait for Redis before it is given up and
    /// reported ([`FleetJar::take_failures`]); default 30 s, at most 10
    /// minutes.
    pub fn queue_for(mut self, queue_for: Duration) -> Self {
        self.queue_for = queue_for.min(MAX_RETRY);
        self
    }

    /// For `rediss://` URLs (feature `redis-tls`): trust the CA
    /// certificates in `pem` (a private CA's, one or more PEM blocks)
    /// instead of the system's roots. The server's certificate must name
    /// the URL's host.
    #[cfg(feature = "redis-tls")]
    pub fn tls_root_certificates(mut self, pem: impl Into<Vec<u8>>) -> Self {
        self.tls_roots = Some(pem.into());
        self
    }

    /// The Redis client for the URL (and, with `redis-tls`, the roots).
    fn client(&self) -> Result<redis::Client, FleetError> {
        let invalid = |e: redis::RedisError| FleetError::InvalidUrl(e.to_string());
        #[cfg(feature = "redis-tls")]
        if let Some(pem) = &self.tls_roots {
            let certificates = redis::TlsCertificates {
                client_tls: None,
                root_cert: Some(pem.clone()),
            };
            return redis::Client::build_with_tls(self.url.as_str(), certificates).map_err(invalid);
        }
        #[cfg(not(feature = "redis-tls"))]
        if self.url.starts_with("rediss://") {
            return Err(FleetError::InvalidUrl(
                "rediss:// (TLS) needs cookiejar's feature `redis-tls`".to_owned(),
            ));
        }
        redis::Client::open(self.url.as_str()).map_err(invalid)
    }

    /// Connects, brings the replica up to date (snapshot, then the log
    /// after it), and starts the thread that follows the log.
    ///
    /// # Errors
    ///
    /// [`FleetError::InvalidUrl`], [`FleetError::InvalidJarName`],
    /// [`FleetError::Unavailable`] if Redis cannot be reached now, and
    /// [`FleetError::BadSnapshot`].
    pub fn open(self) -> Result<FleetJar, FleetError> {
        if !remote::valid_jar_name(&self.jar_name) {
            return Err(FleetError::InvalidJarName(self.jar_name));
        }
        let client = self.client()?;
        let shared = Arc::new(Shared {
            client,
            server: shown_url(&self.url),
            keys: Keys::new(&self.jar_name),
            replica: RwLock::new(self.jar.clone().build().without_access_records()),
            quiet: self.jar.clone().quiet(),
            config: self.jar,
            view: RwLock::default(),
            view_active: AtomicBool::new(false),
            state: Mutex::new(State::default()),
            applied: Condvar::new(),
            outbox: Mutex::default(),
            outbox_changed: Condvar::new(),
            failures: Mutex::default(),
            writer_tag: writer_tag(),
            stop: AtomicBool::new(false),
            snapshot_every: self.snapshot_every,
            timeout: self.timeout,
            queue_for: self.queue_for,
        });
        let mut connection = shared
            .connect()
            .map_err(|e| shared.unavailable(&e, false))?;
        follower::resync(&shared, &mut connection).map_err(|e| match e {
            follower::SyncError::Redis(e) => shared.unavailable(&e, false),
            follower::SyncError::Snapshot(e) => FleetError::BadSnapshot(e),
        })?;
        let thread_shared = shared.clone();
        let spawned = std::thread::Builder::new()
            .name("cookiejar-fleet-follower".to_owned())
            .spawn(move || follower::run(&thread_shared, connection))
            .and_then(|_| {
                let thread_shared = shared.clone();
                std::thread::Builder::new()
                    .name("cookiejar-fleet-writer".to_owned())
                    .spawn(move || writer::run(&thread_shared))
            });
        if let Err(e) = spawned {
            shared.stop.store(true, Ordering::Relaxed);
            return Err(FleetError::Unavailable {
                reason: format!("cannot start the fleet jar's threads: {e}"),
                maybe_logged: false,
            });
        }
        Ok(FleetJar {
            shared: shared.clone(),
            _stop: Arc::new(StopOnDrop(shared)),
        })
    }
}

/// A cookie jar shared by many processes through Redis; see the
/// [module documentation](self) for the design. Cloning gives another
/// handle to the same replica.
#[derive(Debug, Clone)]
pub struct FleetJar {
    shared: Arc<Shared>,
    _stop: Arc<StopOnDrop>,
}

/// Stops the follower when the last handle goes.
#[derive(Debug)]
struct StopOnDrop(Arc<Shared>);

impl Drop for StopOnDrop {
    fn drop(&mut self) {
        // The writer still writes what is queued (each request until its
        // deadline), then stops.
        self.0.stop.store(true, Ordering::Relaxed);
        self.0.outbox_changed.notify_all();
    }
}

/// The longest a request is retried or queued: duplicates of a request
/// can reach the log only this long after its first attempt.
const MAX_RETRY: Duration = Duration::from_millis(codec::MAX_RETRY_MS);

impl FleetJar {
    /// A builder for the jar named `jar_name` in the Redis at `url`:
    /// `redis://[user][:password@]host[:port][/db]` (a password alone is
    /// the default user's, `requirepass`; a user and password are an ACL
    /// user's), or `rediss://` for TLS (feature `redis-tls`).
    pub fn builder(url: &str, jar_name: &str) -> FleetJarBuilder {
        FleetJarBuilder {
            url: url.to_owned(),
            jar_name: jar_name.to_owned(),
            jar: Jar::builder(),
            snapshot_every: 1000,
            timeout: Duration::from_secs(5),
            queue_for: Duration::from_secs(30),
            #[cfg(feature = "redis-tls")]
            tls_roots: None,
        }
    }

    /// Opens the jar `jar_name` at `url` with the default configuration.
    ///
    /// # Errors
    ///
    /// As [`FleetJarBuilder::open`].
    pub fn open(url: &str, jar_name: &str) -> Result<FleetJar, FleetError> {
        FleetJar::builder(url, jar_name).open()
    }

    /// Read access to this process's replica (listing, explaining,
    /// saving): the fleet's jar as far as this process has applied the
    /// log. Never waits for Redis. This process's queued stores that are
    /// not in the log yet are not in it (lookups see them).
    pub fn read(&self) -> RwLockReadGuard<'_, Jar> {
        self.shared.read()
    }

    /// The `Cookie` header for `url` at `now`, from the replica and this
    /// process's queued stores still on their way to the log: no I/O.
    pub fn cookie_header_at(&self, url: &Url, now: OffsetDateTime) -> Option<String> {
        self.shared
            .lookup(url, |jar| jar.cookie_header_at(url, now))
    }

    /// [`FleetJar::cookie_header_at`] at the system clock's time.
    pub fn cookie_header(&self, url: &Url) -> Option<String> {
        self.cookie_header_at(url, OffsetDateTime::now_utc())
    }

    /// Stores a `Set-Cookie` from the response to `url` at `now`, for the
    /// whole fleet: one round trip to append it to the log (after every
    /// change this process made before), then the wait until this replica
    /// has applied it; the answer is the jar's. If the connection fails
    /// after the request was sent, it is sent again under the same request
    /// id until the timeout, and applied once however often it reached
    /// the log. This blocks: on an async runtime's thread, use
    /// [`FleetJar::queue_cookie_with`] (what reqwest's `CookieStore` does).
    ///
    /// # Errors
    ///
    /// [`FleetError::Rejected`] with the jar's reason, or a
    /// [`FleetError`] saying why the change could not be made or confirmed.
    pub fn set_cookie_at(
        &self,
        url: &Url,
        set_cookie: &str,
        now: OffsetDateTime,
    ) -> Result<Stored, FleetError> {
        self.set_cookie_with(url, set_cookie, RequestContext::default(), now)
    }

    /// [`FleetJar::set_cookie_at`] at the system clock's time.
    ///
    /// # Errors
    ///
    /// As [`FleetJar::set_cookie_at`].
    pub fn set_cookie(&self, url: &Url, set_cookie: &str) -> Result<Stored, FleetError> {
        self.set_cookie_at(url, set_cookie, OffsetDateTime::now_utc())
    }

    /// [`FleetJar::set_cookie_at`] with an explicit [`RequestContext`].
    ///
    /// # Errors
    ///
    /// As [`FleetJar::set_cookie_at`].
    pub fn set_cookie_with(
        &self,
        url: &Url,
        set_cookie: &str,
        context: RequestContext,
        now: OffsetDateTime,
    ) -> Result<Stored, FleetError> {
        Ok(self
            .shared
            .submit(Op::set(url, set_cookie, context, now))??)
    }

    /// Removes the cookie with this domain, path and name, fleet-wide;
    /// whether this replica held it.
    ///
    /// # Errors
    ///
    /// As [`FleetJar::set_cookie_at`], except `Rejected`.
    pub fn remove(&self, domain: &str, path: &str, name: &str) -> Result<bool, FleetError> {
        let op = Op::Remove {
            domain: domain.to_owned(),
            path: path.to_owned(),
            name: name.to_owned(),
        };
        Ok(self.shared.submit(op)?.is_ok())
    }

    /// Removes the cookies of `domain` and its subdomains, fleet-wide.
    ///
    /// # Errors
    ///
    /// As [`FleetJar::remove`].
    pub fn clear_domain(&self, domain: &str) -> Result<(), FleetError> {
        let op = Op::ClearDomain {
            domain: domain.to_owned(),
        };
        self.shared.submit(op).map(drop)
    }

    /// Removes every cookie, fleet-wide.
    ///
    /// # Errors
    ///
    /// As [`FleetJar::remove`].
    pub fn clear(&self) -> Result<(), FleetError> {
        self.shared.submit(Op::Clear).map(drop)
    }

    /// Removes the cookies expired at `now`, fleet-wide.
    ///
    /// # Errors
    ///
    /// As [`FleetJar::remove`].
    pub fn purge_expired_at(&self, now: OffsetDateTime) -> Result<(), FleetError> {
        self.shared.submit(Op::Purge { now: now.into() }).map(drop)
    }

    /// Waits until this process's queued stores are written (or failed,
    /// see [`FleetJar::take_failures`]), and this replica has applied every
    /// entry that is in the log then: after it, the replica holds at least
    /// what every store that returned before this call made, queued ones
    /// included.
    ///
    /// # Errors
    ///
    /// [`FleetError::Unavailable`], or [`FleetError::NotYetApplied`] after
    /// the timeout (`queue_for` for the queue).
    pub fn sync(&self) -> Result<(), FleetError> {
        // This process's queued stores first: they are in the log, or
        // failed (`take_failures`), before the last entry is looked up.
        let queued = self.shared.lock_outbox().next_seq();
        if !self
            .shared
            .wait_written(queued, Instant::now() + self.shared.queue_for)
        {
            return Err(FleetError::NotYetApplied);
        }
        let mut connection = self
            .shared
            .connect()
            .map_err(|e| self.shared.unavailable(&e, false))?;
        let last: redis::Value = redis::cmd("XREVRANGE")
            .arg(&self.shared.keys.log)
            .arg("+")
            .arg("-")
            .arg("COUNT")
            .arg(1)
            .query(&mut connection)
            .map_err(|e| self.shared.unavailable(&e, false))?;
        match remote::entries(&last).first() {
            Some(&(id, _)) => self.shared.wait_for(id),
            None => Ok(()),
        }
    }

    /// Stores a `Set-Cookie` from the response to `url` for the whole
    /// fleet without waiting for Redis: what reqwest's `CookieStore` does.
    ///
    /// The store is applied at once to this process's view, so the next
    /// lookup here (the redirect after a login) carries the cookie; it is
    /// written to the log by the jar's writer thread after every change
    /// this process made before, and other processes see it once their
    /// followers read it (a few milliseconds on a LAN). While Redis is
    /// unreachable it waits in the queue for up to `queue_for` (builder).
    /// The fleet's answer comes later: a store the jar refuses, or that
    /// cannot reach Redis in time, leaves the view and is reported by
    /// [`FleetJar::take_failures`] (and counted in
    /// [`FleetStatus::failed_stores`]). [`FleetJar::sync`] waits for the
    /// queue.
    pub fn queue_cookie_with(
        &self,
        url: &Url,
        set_cookie: &str,
        context: RequestContext,
        now: OffsetDateTime,
    ) {
        let op = Op::set(url, set_cookie, context, now);
        self.shared.queue(op, url, set_cookie);
    }

    /// [`FleetJar::queue_cookie_with`] from an HTTP API, at the system
    /// clock's time.
    pub fn queue_cookie(&self, url: &Url, set_cookie: &str) {
        let now = OffsetDateTime::now_utc();
        self.queue_cookie_with(url, set_cookie, RequestContext::default(), now);
    }

    /// The queued stores that failed since the last call, oldest first
    /// (the last 64).
    pub fn take_failures(&self) -> Vec<FailedStore> {
        let mut failures = self
            .shared
            .failures
            .lock()
            .unwrap_or_else(PoisonError::into_inner);
        failures.drain(..).collect()
    }

    /// How the replica is doing.
    pub fn status(&self) -> FleetStatus {
        let cookies = self.read().len();
        let queued = self.shared.lock_outbox().len();
        let state = self.shared.lock_state();
        FleetStatus {
            connected: state.connected,
            applied: state.applied.to_string(),
            cookies,
            resyncs: state.resyncs,
            last_error: state.last_error.clone(),
            queued,
            failed_stores: state.failed,
            resent: state.resent,
        }
    }
}

/// The URL without its password.
fn shown_url(url: &str) -> String {
    match Url::parse(url) {
        Ok(mut parsed) => {
            if parsed.password().is_some() {
                let _ = parsed.set_password(Some("***"));
            }
            parsed.to_string()
        }
        Err(_) => "(unparsable URL)".to_owned(),
    }
}

/// Names this handle's entries in the log: process id, start instant and
/// a per-process counter.
fn writer_tag() -> String {
    static COUNTER: std::sync::atomic::AtomicU64 = std::sync::atomic::AtomicU64::new(0);
    let nanos = OffsetDateTime::now_utc().unix_timestamp_nanos();
    let n = COUNTER.fetch_add(1, Ordering::Relaxed);
    format!("{}-{nanos}-{n}", std::process::id())
}

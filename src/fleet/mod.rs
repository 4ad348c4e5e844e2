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
//! ([`Stored`] or the [`Rejection`]). Every replica applies every entry in
//! log order through the same policy code as a local jar (RFC 6265 section
//! 5.3: the same `Jar::set_cookie_with`), with the entry's clock. Same
//! start, same requests in the same order: the same cookies, the same
//! creation order, the same limits and evictions, the same `Cookie`
//! headers, in every replica once it has caught up. There is no second
//! implementation of the RFC, and two writers can never lose each other's
//! update (a naive per-host read-modify-write, as Colly's Redis storage
//! does, loses one of two concurrent stores).
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
//! stores fail at once with [`FleetError::Unavailable`], saying whether the
//! change may have reached the log, and lookups go on from the replica; the
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
mod follower;
mod remote;

use crate::jar::{
    ChangeListener, Jar, JarBuilder, Limits, Profile, Rejection, RequestContext, Stored,
};
use crate::psl::PublicSuffix;
use codec::Op;
use remote::{Keys, StreamId};
use serde::{Deserialize, Serialize};
use std::collections::HashMap;
use std::fmt;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Condvar, Mutex, PoisonError, RwLock, RwLockReadGuard};
use std::time::{Duration, Instant};
use time::OffsetDateTime;
use url::Url;

/// Why a fleet jar could not be opened or could not make a change.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub enum FleetError {
    /// The URL is not a `redis://` or `rediss://` URL the client accepts.
    InvalidUrl(String),
    /// The jar name is not 1 to 128 letters, digits or `-_.:/@`.
    InvalidJarName(String),
    /// Redis could not be reached. `maybe_logged` says whether the change
    /// may still have reached the log (the connection failed after the
    /// request was sent); if it did, every replica applies it.
    Unavailable {
        /// The Redis error, with the server's address (never a password).
        reason: String,
        /// False when the change certainly did not reach Redis.
        maybe_logged: bool,
    },
    /// The change is in the log, but this replica has not applied it
    /// within the timeout (it is behind, or lost its connection since).
    NotYetApplied,
    /// The change is in the log and applied, but this replica caught up
    /// through a snapshot that already held it, so its outcome is unknown.
    OutcomeUnknown,
    /// The jar refused the cookie (the same answer as a local jar's).
    Rejected(Rejection),
    /// The stored snapshot is not one this version can read.
    BadSnapshot(String),
}

impl fmt::Display for FleetError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            FleetError::InvalidUrl(e) => write!(f, "invalid Redis URL: {e}"),
            FleetError::InvalidJarName(name) => write!(
                f,
                "invalid jar name {name:?}: use 1 to 128 letters, digits or -_.:/@"
            ),
            FleetError::Unavailable {
                reason,
                maybe_logged: false,
            } => write!(
                f,
                "Redis is unreachable ({reason}): the change was not stored; lookups still answer from this process's replica"
            ),
            FleetError::Unavailable { reason, .. } => write!(
                f,
                "the connection to Redis failed during the change ({reason}): it is in the fleet's log only if Redis received it before the failure"
            ),
            FleetError::NotYetApplied => f.write_str(
                "the change is in the fleet's log, but this replica has not applied it yet",
            ),
            FleetError::OutcomeUnknown => f.write_str(
                "the change is in the fleet's log and applied, but its outcome is unknown (this replica caught up from a snapshot)",
            ),
            FleetError::Rejected(rejection) => write!(f, "{rejection}"),
            FleetError::BadSnapshot(e) => write!(f, "the fleet's snapshot cannot be read: {e}"),
        }
    }
}

impl std::error::Error for FleetError {}

impl From<Rejection> for FleetError {
    fn from(rejection: Rejection) -> Self {
        FleetError::Rejected(rejection)
    }
}

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
    /// The last Redis error the follower saw, if any.
    pub last_error: Option<String>,
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

    /// How long a connection attempt, a command, or a store's wait for its
    /// own replica may take (default 5 s).
    pub fn timeout(mut self, timeout: Duration) -> Self {
        self.timeout = timeout;
        self
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
        let client = redis::Client::open(self.url.as_str())
            .map_err(|e| FleetError::InvalidUrl(e.to_string()))?;
        let shared = Arc::new(Shared {
            client,
            server: shown_url(&self.url),
            keys: Keys::new(&self.jar_name),
            replica: RwLock::new(self.jar.clone().build().without_access_records()),
            config: self.jar,
            state: Mutex::new(State::default()),
            applied: Condvar::new(),
            writer: Mutex::new(None),
            writer_tag: writer_tag(),
            stop: AtomicBool::new(false),
            snapshot_every: self.snapshot_every,
            timeout: self.timeout,
        });
        let mut connection = shared
            .connect()
            .map_err(|e| shared.unavailable(&e, false))?;
        follower::resync(&shared, &mut connection).map_err(|e| match e {
            follower::SyncError::Redis(e) => shared.unavailable(&e, false),
            follower::SyncError::Snapshot(e) => FleetError::BadSnapshot(e),
        })?;
        let thread_shared = shared.clone();
        std::thread::Builder::new()
            .name(format!("cookiejar-fleet-{}", shared.keys.log))
            .spawn(move || follower::run(&thread_shared, connection))
            .map_err(|e| FleetError::Unavailable {
                reason: format!("cannot start the follower thread: {e}"),
                maybe_logged: false,
            })?;
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
        self.0.stop.store(true, Ordering::Relaxed);
    }
}

/// A log entry: who wrote it (so that the writer finds its result) and
/// the request.
#[derive(Debug, Serialize, Deserialize)]
struct LogEntry {
    #[serde(rename = "w")]
    writer: String,
    #[serde(flatten)]
    op: Op,
}

pub(crate) struct Shared {
    client: redis::Client,
    /// The URL without its password, for messages.
    server: String,
    keys: Keys,
    config: JarBuilder,
    replica: RwLock<Jar>,
    state: Mutex<State>,
    applied: Condvar,
    writer: Mutex<Option<redis::Connection>>,
    writer_tag: String,
    stop: AtomicBool,
    snapshot_every: u64,
    timeout: Duration,
}

impl fmt::Debug for Shared {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("FleetJar")
            .field("server", &self.server)
            .field("log", &self.keys.log)
            .finish()
    }
}

#[derive(Debug, Default)]
struct State {
    applied: StreamId,
    /// Results of this process's own entries, until their writer takes them.
    results: HashMap<StreamId, Result<Stored, Rejection>>,
    connected: bool,
    last_error: Option<String>,
    resyncs: u64,
    /// Entries applied since the last snapshot this replica knows of.
    since_snapshot: u64,
}

impl Shared {
    fn connect(&self) -> redis::RedisResult<redis::Connection> {
        let connection = self.client.get_connection_with_timeout(self.timeout)?;
        connection.set_read_timeout(Some(self.timeout))?;
        connection.set_write_timeout(Some(self.timeout))?;
        Ok(connection)
    }

    fn unavailable(&self, e: &redis::RedisError, maybe_logged: bool) -> FleetError {
        FleetError::Unavailable {
            reason: format!("{}: {e}", self.server),
            maybe_logged,
        }
    }

    fn lock_state(&self) -> std::sync::MutexGuard<'_, State> {
        self.state.lock().unwrap_or_else(PoisonError::into_inner)
    }

    fn read(&self) -> RwLockReadGuard<'_, Jar> {
        self.replica.read().unwrap_or_else(PoisonError::into_inner)
    }

    /// Appends `op` to the log; its entry id.
    fn append(&self, op: Op) -> Result<StreamId, FleetError> {
        let entry = LogEntry {
            writer: self.writer_tag.clone(),
            op,
        };
        let payload = serde_json::to_string(&entry).map_err(|e| FleetError::Unavailable {
            reason: e.to_string(),
            maybe_logged: false,
        })?;
        let mut writer = self.writer.lock().unwrap_or_else(PoisonError::into_inner);
        if writer.is_none() {
            *writer = Some(self.connect().map_err(|e| self.unavailable(&e, false))?);
        }
        let Some(connection) = writer.as_mut() else {
            return Err(FleetError::NotYetApplied);
        };
        let reply: redis::RedisResult<String> = redis::cmd("XADD")
            .arg(&self.keys.log)
            .arg("*")
            .arg("op")
            .arg(payload)
            .query(connection);
        match reply {
            Ok(id) => id.parse().map_err(|()| FleetError::Unavailable {
                reason: format!("unexpected entry id {id:?}"),
                maybe_logged: true,
            }),
            Err(e) => {
                *writer = None;
                Err(self.unavailable(&e, true))
            }
        }
    }

    /// Waits until the replica has applied entry `id`.
    fn wait_applied(&self, id: StreamId) -> Result<Option<Result<Stored, Rejection>>, FleetError> {
        let deadline = Instant::now() + self.timeout;
        let mut state = self.lock_state();
        while state.applied < id {
            let left = deadline.saturating_duration_since(Instant::now());
            if left.is_zero() {
                return Err(FleetError::NotYetApplied);
            }
            state = self
                .applied
                .wait_timeout(state, left)
                .unwrap_or_else(PoisonError::into_inner)
                .0;
        }
        Ok(state.results.remove(&id))
    }

    /// Appends `op` and returns its outcome in this replica.
    fn submit(&self, op: Op) -> Result<Result<Stored, Rejection>, FleetError> {
        let id = self.append(op)?;
        self.wait_applied(id)?.ok_or(FleetError::OutcomeUnknown)
    }
}

impl FleetJar {
    /// A builder for the jar named `jar_name` in the Redis at `url`
    /// (`redis://[user][:password@]host[:port][/db]`, or `rediss://` for
    /// TLS when the `redis` crate is built with TLS).
    pub fn builder(url: &str, jar_name: &str) -> FleetJarBuilder {
        FleetJarBuilder {
            url: url.to_owned(),
            jar_name: jar_name.to_owned(),
            jar: Jar::builder(),
            snapshot_every: 1000,
            timeout: Duration::from_secs(5),
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
    /// saving). Never waits for Redis.
    pub fn read(&self) -> RwLockReadGuard<'_, Jar> {
        self.shared.read()
    }

    /// The `Cookie` header for `url` at `now`, from the replica: no I/O.
    pub fn cookie_header_at(&self, url: &Url, now: OffsetDateTime) -> Option<String> {
        self.read().cookie_header_at(url, now)
    }

    /// [`FleetJar::cookie_header_at`] at the system clock's time.
    pub fn cookie_header(&self, url: &Url) -> Option<String> {
        self.cookie_header_at(url, OffsetDateTime::now_utc())
    }

    /// Stores a `Set-Cookie` from the response to `url` at `now`, for the
    /// whole fleet: one round trip to append it to the log, then the wait
    /// until this replica has applied it; the answer is the jar's.
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

    /// Waits until this replica has applied every entry that is in the log
    /// now: after it, the replica holds at least what every store that
    /// returned before this call made.
    ///
    /// # Errors
    ///
    /// [`FleetError::Unavailable`], or [`FleetError::NotYetApplied`] after
    /// the timeout.
    pub fn sync(&self) -> Result<(), FleetError> {
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
            Some(&(id, _)) => self.shared.wait_applied(id).map(drop),
            None => Ok(()),
        }
    }

    /// How the replica is doing.
    pub fn status(&self) -> FleetStatus {
        let cookies = self.read().len();
        let state = self.shared.lock_state();
        FleetStatus {
            connected: state.connected,
            applied: state.applied.to_string(),
            cookies,
            resyncs: state.resyncs,
            last_error: state.last_error.clone(),
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

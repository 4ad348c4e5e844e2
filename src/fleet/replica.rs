//! The state one process's handles share: the connection settings, the
//! replica and its view, the follower's position, the outbox, and the
//! record of failed queued stores.

use super::codec::{Op, Writers};
use super::remote::{Keys, StreamId};
use super::view::View;
use super::writer::{Outbox, Reply};
use super::{FailedStore, FleetError};
use crate::jar::{Jar, JarBuilder, Rejection, Stored};
use std::collections::{HashMap, VecDeque};
use std::fmt;
use std::sync::atomic::AtomicBool;
use std::sync::{Condvar, Mutex, MutexGuard, PoisonError, RwLock, RwLockReadGuard};
use std::time::{Duration, Instant};

/// The most failed queued stores kept until `take_failures`.
const FAILURE_LOG: usize = 64;

pub(crate) struct Shared {
    pub(super) client: redis::Client,
    /// The URL without its password, for messages.
    pub(super) server: String,
    pub(super) keys: Keys,
    /// Builds every replica: the same limits, profile and list fleet-wide.
    pub(super) config: JarBuilder,
    /// `config` without the change listener, for the view.
    pub(super) quiet: JarBuilder,
    /// The log, applied in order: the fleet's state.
    pub(super) replica: RwLock<Jar>,
    /// What lookups read while this process has queued stores pending.
    /// Locked before `replica` wherever both are.
    pub(super) view: RwLock<View>,
    /// Whether the view holds a copy (set when the view's lock is let go).
    pub(super) view_active: AtomicBool,
    pub(super) state: Mutex<State>,
    pub(super) applied: Condvar,
    pub(super) outbox: Mutex<Outbox>,
    pub(super) outbox_changed: Condvar,
    pub(super) failures: Mutex<VecDeque<FailedStore>>,
    /// Names this handle's entries in the log.
    pub(super) writer_tag: String,
    pub(super) stop: AtomicBool,
    pub(super) snapshot_every: u64,
    pub(super) timeout: Duration,
    /// How long a queued store may wait for Redis.
    pub(super) queue_for: Duration,
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
pub(super) struct State {
    pub(super) applied: StreamId,
    /// The requests whose callers wait, by request id, with their outcome
    /// once applied; the caller removes its own.
    pub(super) awaited: HashMap<u64, Option<Result<Stored, Rejection>>>,
    /// The last request id applied from each writer; taken out by the
    /// follower while it applies entries.
    pub(super) writers: Writers,
    pub(super) connected: bool,
    pub(super) last_error: Option<String>,
    pub(super) resyncs: u64,
    /// Entries applied since the last snapshot this replica knows of.
    pub(super) since_snapshot: u64,
    /// Queued stores that failed, since the jar was opened.
    pub(super) failed: u64,
    /// Requests sent again after their reply was lost.
    pub(super) resent: u64,
}

impl Shared {
    pub(super) fn connect(&self) -> redis::RedisResult<redis::Connection> {
        let connection = self.client.get_connection_with_timeout(self.timeout)?;
        connection.set_read_timeout(Some(self.timeout))?;
        connection.set_write_timeout(Some(self.timeout))?;
        Ok(connection)
    }

    pub(super) fn unavailable(&self, e: &redis::RedisError, maybe_logged: bool) -> FleetError {
        FleetError::Unavailable {
            reason: format!("{}: {e}", self.server),
            maybe_logged,
        }
    }

    pub(super) fn lock_state(&self) -> MutexGuard<'_, State> {
        self.state.lock().unwrap_or_else(PoisonError::into_inner)
    }

    pub(super) fn read(&self) -> RwLockReadGuard<'_, Jar> {
        self.replica.read().unwrap_or_else(PoisonError::into_inner)
    }

    pub(super) fn note_writer_error(&self, e: &redis::RedisError) {
        self.lock_state().last_error = Some(format!("{}: {e}", self.server));
    }

    pub(super) fn record_failure(&self, failure: FailedStore) {
        self.lock_state().failed += 1;
        let mut failures = self.failures.lock().unwrap_or_else(PoisonError::into_inner);
        if failures.len() == FAILURE_LOG {
            failures.pop_front();
        }
        failures.push_back(failure);
    }

    /// Waits until the replica has applied entry `id`.
    pub(super) fn wait_for(&self, id: StreamId) -> Result<(), FleetError> {
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
        Ok(())
    }

    /// Waits until the replica has applied entry `id`; then the outcome
    /// of request `seq`, if the replica applied it itself (not through a
    /// snapshot that held it).
    fn wait_applied(
        &self,
        id: StreamId,
        seq: u64,
    ) -> Result<Option<Result<Stored, Rejection>>, FleetError> {
        let waited = self.wait_for(id);
        let outcome = self.lock_state().awaited.remove(&seq).flatten();
        waited.map(|()| outcome)
    }

    /// Writes `op` to the log through the outbox, after every change this
    /// process made before, and returns its outcome in this replica.
    pub(super) fn submit(&self, op: Op) -> Result<Result<Stored, Rejection>, FleetError> {
        let (tx, rx) = std::sync::mpsc::sync_channel(1);
        let deadline = Instant::now() + self.timeout;
        let seq = self.enqueue(op, Reply::Wait(tx), deadline, |seq| {
            self.lock_state().awaited.insert(seq, None);
        })?;
        let id = match rx.recv() {
            Ok(Ok(id)) => id,
            Ok(Err(e)) => {
                self.lock_state().awaited.remove(&seq);
                return Err(e);
            }
            Err(_) => {
                self.lock_state().awaited.remove(&seq);
                return Err(FleetError::Unavailable {
                    reason: "the fleet jar's writer thread stopped".to_owned(),
                    maybe_logged: true,
                });
            }
        };
        self.wait_applied(id, seq)?
            .ok_or(FleetError::OutcomeUnknown)
    }

    /// Queues `op` (a `Set` from `url` with `header`) without waiting, and
    /// applies it to the view at once.
    pub(super) fn queue(&self, op: Op, url: &url::Url, header: &str) {
        let deadline = Instant::now() + self.queue_for;
        let reply = Reply::Queued {
            url: url.clone(),
            header: header.to_owned(),
        };
        let mut view = self.write_view();
        let view_op = op.clone();
        let queued = self.enqueue(op, reply, deadline, |seq| {
            let replica = self.read();
            view.push(&replica, &self.quiet, seq, view_op);
        });
        drop(view);
        if let Err(error) = queued {
            self.record_failure(FailedStore::new(url, header, error));
        }
    }
}

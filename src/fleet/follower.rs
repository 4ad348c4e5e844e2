//! The follower thread of a fleet replica: reads the log in order, applies
//! each entry to the replica, writes snapshots, and reconnects and resyncs
//! after faults.

use super::codec::{self, LogEntry, Op, Snapshot, SnapshotCookie, Writers, SNAPSHOT_VERSION};
use super::remote::{self, StreamId};
use super::view;
use super::{FailedStore, FleetError, Shared};
use crate::jar::{Jar, Rejection, Stored};
use redis::Value;
use std::sync::atomic::Ordering;
use std::sync::PoisonError;
use std::time::Duration;

/// How long one `XREAD` blocks: also how long the thread takes to notice
/// that its jar was dropped.
const BLOCK_MS: u64 = 200;
/// The most entries applied under one write lock.
const BATCH: usize = 512;

pub(super) enum SyncError {
    Redis(redis::RedisError),
    Snapshot(String),
}

impl From<redis::RedisError> for SyncError {
    fn from(e: redis::RedisError) -> Self {
        SyncError::Redis(e)
    }
}

/// Follows the log until the jar is dropped.
pub(super) fn run(shared: &Shared, connection: redis::Connection) {
    let mut connection = Some(connection);
    let mut backoff = Duration::from_millis(20);
    shared.lock_state().connected = true;
    while !shared.stop.load(Ordering::Relaxed) {
        let conn = match connection.as_mut() {
            Some(conn) => conn,
            None => match reconnect(shared) {
                Ok(conn) => {
                    backoff = Duration::from_millis(20);
                    connection.insert(conn)
                }
                Err(e) => {
                    if let SyncError::Redis(e) = &e {
                        note_error(shared, e);
                    }
                    std::thread::sleep(backoff);
                    backoff = (backoff * 2).min(Duration::from_secs(1));
                    continue;
                }
            },
        };
        if let Err(e) = step(shared, conn) {
            if let SyncError::Redis(e) = &e {
                note_error(shared, e);
            }
            connection = None;
        }
    }
}

/// Connects again, and finds out whether Redis kept the jar.
fn reconnect(shared: &Shared) -> Result<redis::Connection, SyncError> {
    let mut conn = shared.connect()?;
    let (log_exists, snapshot_exists): (bool, bool) = redis::pipe()
        .exists(&shared.keys.log)
        .exists(&shared.keys.snapshot)
        .query(&mut conn)?;
    let applied = shared.lock_state().applied;
    if !log_exists && !snapshot_exists && applied > StreamId::default() {
        // Redis lost the jar (restarted without persistence): put this
        // replica's state back. The most advanced replica's snapshot wins,
        // and the others resync from it.
        write_snapshot(shared, &mut conn)?;
    }
    if snapshot_id(shared, &mut conn)? > applied {
        resync(shared, &mut conn)?;
    }
    let mut state = shared.lock_state();
    state.connected = true;
    state.last_error = None;
    Ok(conn)
}

fn note_error(shared: &Shared, e: &redis::RedisError) {
    let mut state = shared.lock_state();
    state.connected = false;
    state.last_error = Some(format!("{}: {e}", shared.server));
}

fn snapshot_id(shared: &Shared, conn: &mut redis::Connection) -> Result<StreamId, SyncError> {
    let id: Option<String> = redis::cmd("HGET")
        .arg(&shared.keys.snapshot)
        .arg("id")
        .query(conn)?;
    Ok(id.and_then(|id| id.parse().ok()).unwrap_or_default())
}

/// One `XREAD`, and what follows from it.
fn step(shared: &Shared, conn: &mut redis::Connection) -> Result<(), SyncError> {
    let from = shared.lock_state().applied;
    let reply: Value = redis::cmd("XREAD")
        .arg("COUNT")
        .arg(BATCH)
        .arg("BLOCK")
        .arg(BLOCK_MS)
        .arg("STREAMS")
        .arg(&shared.keys.log)
        .arg(from.to_string())
        .query(conn)?;
    let entries = remote::xread_entries(&reply);
    if entries.is_empty() {
        return Ok(());
    }
    // Entries before a snapshot newer than our position may have been
    // trimmed between our reads: then only the snapshot is complete.
    if snapshot_id(shared, conn)? > from {
        return resync(shared, conn);
    }
    apply_entries(shared, &entries);
    let due = shared.lock_state().since_snapshot >= shared.snapshot_every;
    if due {
        write_snapshot(shared, conn)?;
    }
    Ok(())
}

/// What applying a run of entries gave: the last id, this process's
/// results, how many entries, and what the view needs to know.
#[derive(Default)]
struct Applied {
    last: Option<StreamId>,
    own: Vec<Outcome>,
    count: u64,
    view: Vec<view::Applied>,
}

/// The outcome of one of this process's requests, with the cookie's URL
/// and header when the jar refused a `Set` (a queued one is reported).
struct Outcome {
    seq: u64,
    result: Result<Stored, Rejection>,
    refused: Option<(String, String)>,
}

/// Applies entries to `jar`, skipping duplicates (`writers`), and keeps the
/// results of this process's own.
fn apply_to(
    shared: &Shared,
    jar: &mut Jar,
    writers: &mut Writers,
    entries: &[(StreamId, Option<String>)],
) -> Applied {
    let mut applied = Applied::default();
    for (id, text) in entries {
        applied.last = Some(*id);
        applied.count += 1;
        let Some(entry) = text
            .as_deref()
            .and_then(|t| serde_json::from_str::<LogEntry>(t).ok())
        else {
            // Not ours to read (another program's entry, a newer version's
            // op): skipped by every replica alike.
            continue;
        };
        if !writers.admit(&entry.writer, entry.seq, id.0) {
            // A retried request that had reached the log before.
            continue;
        }
        let result = apply(jar, &entry.op);
        match entry.seq.filter(|_| entry.writer == shared.writer_tag) {
            Some(seq) => {
                let refused = match (&result, entry.op) {
                    (Err(_), Op::Set { url, header, .. }) => Some((url, header)),
                    _ => None,
                };
                applied.view.push(view::Applied::Own(seq));
                applied.own.push(Outcome {
                    seq,
                    result,
                    refused,
                });
            }
            None => applied.view.push(view::Applied::Other),
        }
    }
    applied
}

/// Records what was applied. Called with the replica's write lock held,
/// so that under its read lock the position always matches the state.
fn publish(shared: &Shared, applied: Applied, writers: Writers) {
    let mut refused = Vec::new();
    {
        let mut state = shared.lock_state();
        if let Some(last) = applied.last {
            state.applied = state.applied.max(last);
        }
        state.since_snapshot += applied.count;
        state.writers = writers;
        for outcome in applied.own {
            match state.awaited.get_mut(&outcome.seq) {
                Some(slot) => *slot = Some(outcome.result),
                None => {
                    // A queued store: nobody waits for its answer.
                    if let (Err(rejection), Some(cookie)) = (outcome.result, outcome.refused) {
                        refused.push((cookie, rejection));
                    }
                }
            }
        }
    }
    for ((url, header), rejection) in refused {
        if let Ok(url) = url::Url::parse(&url) {
            let error = FleetError::Rejected(rejection);
            shared.record_failure(FailedStore::new(&url, &header, error));
        }
    }
}

/// Applies entries to the replica, brings the view along, and wakes the
/// writers waiting for them.
fn apply_entries(shared: &Shared, entries: &[(StreamId, Option<String>)]) {
    let mut view = shared.write_view();
    let mut jar = shared
        .replica
        .write()
        .unwrap_or_else(PoisonError::into_inner);
    let mut writers = std::mem::take(&mut shared.lock_state().writers);
    let applied = apply_to(shared, &mut jar, &mut writers, entries);
    view.settle(&jar, &shared.quiet, &applied.view);
    publish(shared, applied, writers);
    drop(jar);
    drop(view);
    shared.applied.notify_all();
}

/// One entry through the jar's own policy code.
pub(super) fn apply(jar: &mut Jar, op: &Op) -> Result<Stored, Rejection> {
    match op {
        Op::Set {
            url,
            header,
            http_api,
            cross_site,
            navigation,
            top_level,
            now,
        } => {
            let url = url::Url::parse(url).map_err(|_| Rejection::NoHost)?;
            let now = now.to_time().ok_or(Rejection::NoHost)?;
            let context = codec::context(*http_api, *cross_site, *navigation, top_level.as_deref());
            jar.set_cookie_with(&url, header, context, now)
        }
        Op::Remove { domain, path, name } => match jar.remove(domain, path, name) {
            Some(_) => Ok(Stored::Deleted),
            None => Err(Rejection::NoHost),
        },
        Op::ClearDomain { domain } => {
            jar.clear_domain(domain);
            Ok(Stored::Deleted)
        }
        Op::Clear => {
            jar.clear();
            Ok(Stored::Deleted)
        }
        Op::Purge { now } => {
            if let Some(now) = now.to_time() {
                jar.purge_expired_at(now);
            }
            Ok(Stored::Deleted)
        }
        Op::Noop => Ok(Stored::Expired),
    }
}

/// Rebuilds the replica from the snapshot and the log after it, read in
/// one atomic script.
pub(super) fn resync(shared: &Shared, conn: &mut redis::Connection) -> Result<(), SyncError> {
    let reply: Value = redis::Script::new(remote::READ_FROM_SNAPSHOT)
        .key(&shared.keys.snapshot)
        .key(&shared.keys.log)
        .invoke(conn)?;
    let Value::Array(parts) = reply else {
        return Err(SyncError::Snapshot("unexpected reply".into()));
    };
    let id = parts.first().and_then(remote::text).unwrap_or_default();
    let data = parts.get(1).and_then(remote::text).unwrap_or_default();
    let entries = parts.get(2).map(remote::entries).unwrap_or_default();
    let mut jar = shared.config.clone().build().without_access_records();
    let mut writers = Writers::default();
    let snapshot_at: StreamId = match id.is_empty() {
        true => StreamId::default(),
        false => id
            .parse()
            .map_err(|()| SyncError::Snapshot(format!("bad id {id:?}")))?,
    };
    if !data.is_empty() {
        let snapshot: Snapshot =
            serde_json::from_str(&data).map_err(|e| SyncError::Snapshot(e.to_string()))?;
        if !(1..=SNAPSHOT_VERSION).contains(&snapshot.version) {
            return Err(SyncError::Snapshot(format!(
                "version {} (this replica reads {SNAPSHOT_VERSION})",
                snapshot.version
            )));
        }
        let cookies = snapshot
            .cookies
            .into_iter()
            .map(SnapshotCookie::into_cookie)
            .collect::<Option<Vec<_>>>()
            .ok_or_else(|| SyncError::Snapshot("an instant out of range".into()))?;
        jar.insert_ranked(cookies);
        writers = Writers::from_snapshot(snapshot.writers);
    }
    let applied = apply_to(shared, &mut jar, &mut writers, &entries);
    let mine = writers.last(&shared.writer_tag);
    let mut view = shared.write_view();
    let mut replica = shared
        .replica
        .write()
        .unwrap_or_else(PoisonError::into_inner);
    *replica = jar;
    {
        let mut state = shared.lock_state();
        state.applied = snapshot_at;
        state.since_snapshot = 0;
        state.resyncs += 1;
    }
    // This process's queued stores that the snapshot or the log held are
    // in the replica now; the others go on top again.
    if let Some(seq) = mine {
        view.forget_through(seq);
    }
    view.rebuild(&replica, &shared.quiet);
    publish(shared, applied, writers);
    drop(replica);
    drop(view);
    shared.applied.notify_all();
    Ok(())
}

/// Writes this replica's state as the snapshot at its position, unless
/// one as recent is there, and trims the log before it.
fn write_snapshot(shared: &Shared, conn: &mut redis::Connection) -> Result<(), SyncError> {
    let (data, at) = {
        let jar = shared.read();
        // The position is read under the replica's lock: no entry can be
        // applied between it and the state.
        let (at, writers) = {
            let state = shared.lock_state();
            (state.applied, state.writers.for_snapshot(state.applied.0))
        };
        let cookies = jar
            .replica_entries()
            .into_iter()
            .map(|(c, rank)| SnapshotCookie::new(c, rank))
            .collect();
        let snapshot = Snapshot {
            version: SNAPSHOT_VERSION,
            cookies,
            writers,
        };
        let data =
            serde_json::to_string(&snapshot).map_err(|e| SyncError::Snapshot(e.to_string()))?;
        (data, at)
    };
    let _: i64 = redis::Script::new(remote::WRITE_SNAPSHOT)
        .key(&shared.keys.snapshot)
        .key(&shared.keys.log)
        .arg(at.to_string())
        .arg(at.0)
        .arg(at.1)
        .arg(data)
        .invoke(conn)?;
    shared.lock_state().since_snapshot = 0;
    Ok(())
}

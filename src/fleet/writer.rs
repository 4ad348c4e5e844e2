//! The writer thread of a fleet replica: every change this process makes
//! goes through one queue (the outbox) and is appended to the log by one
//! thread on one connection, in the order the calls were made.
//!
//! One writer per handle is what makes a retry safe. Requests are numbered
//! in the order they are queued (the request id of [`LogEntry`]); a batch
//! is sent as one pipeline of `XADD`s, so Redis takes a prefix of it if
//! the connection fails; and a batch whose replies were lost is sent again
//! whole, in the same order, under the same ids. An entry whose id is not
//! above the last one applied from its writer is a duplicate, which every
//! replica skips ([`Writers`](super::codec::Writers)). A retried request is
//! therefore applied once, however many times it reached the log.
//!
//! A caller that waits ([`Reply::Wait`], `FleetJar::set_cookie`) is told at
//! once when Redis cannot be reached and its request was never sent
//! (nothing to retry: the caller decides); a request that was sent, and
//! may be in the log, is retried until its deadline. A queued request
//! ([`Reply::Queued`], reqwest's `CookieStore`) waits in the outbox for
//! Redis until its deadline, then is reported as a
//! [`FailedStore`](super::FailedStore).

use super::codec::LogEntry;
use super::remote::StreamId;
use super::{FailedStore, FleetError, Shared};
use std::collections::VecDeque;
use std::sync::atomic::Ordering;
use std::sync::mpsc::SyncSender;
use std::sync::PoisonError;
use std::time::{Duration, Instant};
use url::Url;

/// The most requests in one pipeline.
const BATCH: usize = 256;
/// How long the idle writer sleeps before it looks at the stop flag again.
const IDLE: Duration = Duration::from_millis(200);

/// The requests this process has not yet written to the log, oldest
/// first. Only the writer thread removes requests; callers append.
#[derive(Debug, Default)]
pub(super) struct Outbox {
    queue: VecDeque<Request>,
    /// The next request id.
    next_seq: u64,
}

impl Outbox {
    /// How many requests wait.
    pub(super) fn len(&self) -> usize {
        self.queue.len()
    }

    /// The id of the oldest request still waiting, if any.
    pub(super) fn oldest(&self) -> Option<u64> {
        self.queue.front().map(|r| r.seq)
    }

    /// The id the next request will get.
    pub(super) fn next_seq(&self) -> u64 {
        self.next_seq
    }
}

#[derive(Debug)]
struct Request {
    seq: u64,
    /// The `LogEntry` as JSON.
    payload: String,
    deadline: Instant,
    /// Sent at least once: then it may be in the log.
    sent: bool,
    reply: Reply,
}

/// Who learns how a request went.
#[derive(Debug)]
pub(super) enum Reply {
    /// A caller waits for the entry's id, then for its own replica.
    Wait(SyncSender<Result<StreamId, FleetError>>),
    /// Nobody waits: the follower reports the jar's refusal, the writer a
    /// failure to reach Redis, both as a `FailedStore`.
    Queued {
        /// The response's URL and its `Set-Cookie`, to name the cookie.
        url: Url,
        header: String,
    },
}

impl Shared {
    /// Numbers a request and appends it to the outbox; its id. `before`
    /// runs with the id under the outbox's lock, so that whatever it
    /// records is in place before the writer can send the request.
    pub(super) fn enqueue(
        &self,
        op: super::codec::Op,
        reply: Reply,
        deadline: Instant,
        before: impl FnOnce(u64),
    ) -> Result<u64, FleetError> {
        let mut outbox = self.lock_outbox();
        let seq = outbox.next_seq;
        let entry = LogEntry {
            writer: self.writer_tag.clone(),
            seq: Some(seq),
            op,
        };
        let payload = serde_json::to_string(&entry).map_err(|e| FleetError::Unavailable {
            reason: e.to_string(),
            maybe_logged: false,
        })?;
        outbox.next_seq += 1;
        before(seq);
        outbox.queue.push_back(Request {
            seq,
            payload,
            deadline,
            sent: false,
            reply,
        });
        drop(outbox);
        self.outbox_changed.notify_all();
        Ok(seq)
    }

    pub(super) fn lock_outbox(&self) -> std::sync::MutexGuard<'_, Outbox> {
        self.outbox.lock().unwrap_or_else(PoisonError::into_inner)
    }

    /// Waits until no request numbered below `seq` is in the outbox;
    /// whether that happened before `deadline`.
    pub(super) fn wait_written(&self, seq: u64, deadline: Instant) -> bool {
        let mut outbox = self.lock_outbox();
        while outbox.oldest().is_some_and(|oldest| oldest < seq) {
            let left = deadline.saturating_duration_since(Instant::now());
            if left.is_zero() {
                return false;
            }
            outbox = self
                .outbox_changed
                .wait_timeout(outbox, left)
                .unwrap_or_else(PoisonError::into_inner)
                .0;
        }
        true
    }
}

/// Writes the outbox to the log until the jar is dropped and the outbox
/// is empty.
pub(super) fn run(shared: &Shared) {
    let mut connection: Option<redis::Connection> = None;
    let mut backoff = Duration::from_millis(20);
    loop {
        let Some(batch) = next_batch(shared) else {
            return;
        };
        let conn = match connection.as_mut() {
            Some(conn) => conn,
            None => match shared.connect() {
                Ok(conn) => connection.insert(conn),
                Err(e) => {
                    give_up(shared, &e, Give::ExpiredOrUnsent);
                    std::thread::sleep(backoff);
                    backoff = (backoff * 2).min(Duration::from_secs(1));
                    continue;
                }
            },
        };
        mark_sent(shared, batch.len());
        let mut pipe = redis::pipe();
        for payload in &batch {
            pipe.cmd("XADD")
                .arg(&shared.keys.log)
                .arg("*")
                .arg("op")
                .arg(payload);
        }
        match pipe.query::<Vec<String>>(conn) {
            Ok(ids) => {
                backoff = Duration::from_millis(20);
                complete(shared, &ids);
            }
            Err(e) => {
                connection = None;
                // A refused command (out of memory, no permission) is
                // refused again; a lost connection, or a Redis still loading
                // its data after a restart, is worth a retry.
                let lost = !matches!(e.retry_method(), redis::RetryMethod::NoRetry);
                give_up(
                    shared,
                    &e,
                    match lost {
                        true => Give::Expired,
                        false => Give::Batch(batch.len()),
                    },
                );
                if lost {
                    std::thread::sleep(backoff);
                    backoff = (backoff * 2).min(Duration::from_secs(1));
                }
            }
        }
    }
}

/// The payloads of the oldest requests, once there are some; `None` when
/// the jar is dropped and nothing is left to write.
fn next_batch(shared: &Shared) -> Option<Vec<String>> {
    let mut outbox = shared.lock_outbox();
    while outbox.queue.is_empty() {
        if shared.stop.load(Ordering::Relaxed) {
            return None;
        }
        outbox = shared
            .outbox_changed
            .wait_timeout(outbox, IDLE)
            .unwrap_or_else(PoisonError::into_inner)
            .0;
    }
    Some(
        outbox
            .queue
            .iter()
            .take(BATCH)
            .map(|r| r.payload.clone())
            .collect(),
    )
}

/// Marks the first `n` requests sent, counting those sent before.
fn mark_sent(shared: &Shared, n: usize) {
    let mut again = 0;
    for request in shared.lock_outbox().queue.iter_mut().take(n) {
        again += u64::from(request.sent);
        request.sent = true;
    }
    if again > 0 {
        shared.lock_state().resent += again;
    }
}

/// The batch is in the log: tells the waiting callers its ids.
fn complete(shared: &Shared, ids: &[String]) {
    let done: Vec<Request> = {
        let mut outbox = shared.lock_outbox();
        let n = ids.len().min(outbox.queue.len());
        outbox.queue.drain(..n).collect()
    };
    shared.outbox_changed.notify_all();
    for (request, id) in done.into_iter().zip(ids) {
        if let Reply::Wait(tx) = request.reply {
            let result = id.parse().map_err(|()| FleetError::Unavailable {
                reason: format!("unexpected entry id {id:?}"),
                maybe_logged: true,
            });
            // The caller may have stopped waiting.
            let _ = tx.try_send(result);
        }
    }
}

/// Which requests a failure ends.
enum Give {
    /// Past their deadline, and waited-for ones never sent (Redis is
    /// unreachable: their callers are told at once).
    ExpiredOrUnsent,
    /// Past their deadline.
    Expired,
    /// The first `n` (a command Redis refused), and those past their deadline.
    Batch(usize),
}

/// Ends the requests that `give` names with `e`.
fn give_up(shared: &Shared, e: &redis::RedisError, give: Give) {
    shared.note_writer_error(e);
    let now = Instant::now();
    let ended: Vec<Request> = {
        let mut outbox = shared.lock_outbox();
        let mut kept = VecDeque::with_capacity(outbox.queue.len());
        let mut ended = Vec::new();
        for (i, request) in outbox.queue.drain(..).enumerate() {
            let end = request.deadline <= now
                || match give {
                    Give::ExpiredOrUnsent => {
                        !request.sent && matches!(request.reply, Reply::Wait(_))
                    }
                    Give::Expired => false,
                    Give::Batch(n) => i < n,
                };
            match end {
                true => ended.push(request),
                false => kept.push_back(request),
            }
        }
        outbox.queue = kept;
        ended
    };
    if ended.is_empty() {
        return;
    }
    shared.outbox_changed.notify_all();
    for request in ended {
        let error = shared.unavailable(e, request.sent);
        match request.reply {
            Reply::Wait(tx) => {
                let _ = tx.try_send(Err(error));
            }
            Reply::Queued { url, header } => {
                shared.drop_pending(request.seq);
                shared.record_failure(FailedStore::new(&url, &header, error));
            }
        }
    }
}

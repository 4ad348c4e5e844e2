//! What this process's lookups see: the replica, plus the stores this
//! process queued that the replica has not applied yet.
//!
//! A queued store (reqwest's `CookieStore`) returns before its entry is in
//! the log, yet the very next request, often the redirect after a login,
//! must carry the cookie. So a queued store is also applied at once to a
//! copy of the replica, the *view*, which lookups read while any queued
//! store is pending. The replica itself only ever holds the log, in log
//! order, so every replica still converges to the same state; the view is
//! this process's guess of what the log will say, and becomes the replica
//! again as soon as its pending stores are applied. If another process's
//! entry comes in between, or a pending store fails, the view is rebuilt:
//! the replica, then the stores still pending, in order.
//!
//! The copy costs O(cookies) when the first store of a burst is queued and
//! at each rebuild: memory work, never a wait for Redis.

use super::codec::Op;
use super::{follower, Shared};
use crate::jar::{Jar, JarBuilder};
use std::collections::VecDeque;
use std::sync::{PoisonError, RwLockWriteGuard};

#[derive(Debug, Default)]
pub(super) struct View {
    /// The replica with `pending` applied; `None` when nothing is pending.
    jar: Option<Jar>,
    /// This process's queued stores that the replica has not applied, by
    /// request id.
    pending: VecDeque<(u64, Op)>,
}

/// One entry the follower applied, as the view sees it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Applied {
    /// This process's request with this id.
    Own(u64),
    /// Another process's.
    Other,
}

impl View {
    /// The jar lookups read, if it is not the replica.
    pub(super) fn jar(&self) -> Option<&Jar> {
        self.jar.as_ref()
    }

    /// Adds a queued store to the view.
    pub(super) fn push(&mut self, replica: &Jar, config: &JarBuilder, seq: u64, op: Op) {
        let jar = self
            .jar
            .get_or_insert_with(|| replica.replica_copy(config.clone()));
        // The view's own answer is not the fleet's: the replica's, when it
        // applies the entry, is the one reported.
        let _ = follower::apply(jar, &op);
        self.pending.push_back((seq, op));
    }

    /// The replica has applied `applied` (in log order) since the view was
    /// last in step with it.
    pub(super) fn settle(&mut self, replica: &Jar, config: &JarBuilder, applied: &[Applied]) {
        // The view is the old replica with `pending` applied: while the
        // entries are the pending stores themselves, in order, it is still
        // the new replica with the rest applied.
        let mut in_step = true;
        for entry in applied {
            match *entry {
                Applied::Own(seq) if in_step && self.pending.front().map(|p| p.0) == Some(seq) => {
                    self.pending.pop_front();
                }
                Applied::Own(seq) => {
                    self.forget_through(seq);
                    in_step = false;
                }
                Applied::Other => in_step = false,
            }
        }
        if !in_step {
            self.rebuild(replica, config);
        } else if self.pending.is_empty() {
            self.jar = None;
        }
    }

    /// Drops the pending stores numbered `seq` and below: their entries
    /// are in the replica, or will never be (requests reach the log in
    /// order).
    pub(super) fn forget_through(&mut self, seq: u64) {
        while self.pending.front().is_some_and(|p| p.0 <= seq) {
            self.pending.pop_front();
        }
    }

    /// Drops one pending store (it failed) and rebuilds.
    pub(super) fn remove(&mut self, replica: &Jar, config: &JarBuilder, seq: u64) {
        let before = self.pending.len();
        self.pending.retain(|p| p.0 != seq);
        if self.pending.len() != before {
            self.rebuild(replica, config);
        }
    }

    /// The replica with the pending stores applied, in order.
    pub(super) fn rebuild(&mut self, replica: &Jar, config: &JarBuilder) {
        if self.pending.is_empty() {
            self.jar = None;
            return;
        }
        let mut jar = replica.replica_copy(config.clone());
        for (_, op) in &self.pending {
            let _ = follower::apply(&mut jar, op);
        }
        self.jar = Some(jar);
    }
}

impl Shared {
    pub(super) fn write_view(&self) -> RwLockWriteGuard<'_, View> {
        self.view.write().unwrap_or_else(PoisonError::into_inner)
    }

    /// Runs `f` on the jar this process's lookups see.
    pub(super) fn lookup<R>(&self, f: impl FnOnce(&Jar) -> R) -> R {
        let view = self.view.read().unwrap_or_else(PoisonError::into_inner);
        match view.jar() {
            Some(jar) => f(jar),
            None => f(&self.read()),
        }
    }

    /// A queued store failed: it leaves the view.
    pub(super) fn drop_pending(&self, seq: u64) {
        let mut view = self.write_view();
        let replica = self.read();
        view.remove(&replica, &self.quiet, seq);
    }
}

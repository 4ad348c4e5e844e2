//! What this process's lookups see: the replica, plus the stores this
//! process queued that the replica has not applied yet.
//!
//! A queued store (reqwest's `CookieStore`) returns before its entry is in
//! the log, yet the very next request, often the redirect after a login,
//! must carry the cookie. So a queued store is also applied at once to a
//! copy of its site's cookies in the replica (the site: the request's
//! registrable domain, which holds every cookie a response there can set
//! and a request there can be sent, RFC 6265 sections 5.3 and 5.4), and
//! lookups for that site read the copy while a store for it is pending.
//! The replica itself only ever holds the log, in log order, so every
//! replica still converges to the same state; the copies are this
//! process's guess of what the log will say, and are dropped as soon as
//! their stores are in the replica. If another process's entry comes in
//! between, or a pending store fails, the copies are made again: the
//! replica's cookies of the site, then the stores still pending, in order.
//!
//! Making a copy scans the replica once and clones one site's cookies:
//! memory work when the first store of a burst for a site is queued, never
//! a wait for Redis. Lookups for the other sites, and every lookup while
//! nothing is pending, read the replica.

use super::codec::Op;
use super::{follower, Shared};
use crate::jar::{Jar, JarBuilder};
use std::collections::{HashMap, VecDeque};
use std::ops::{Deref, DerefMut};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{PoisonError, RwLockWriteGuard};

#[derive(Debug, Default)]
pub(super) struct View {
    /// Per site with pending stores: the replica's cookies of the site
    /// with those stores applied.
    sites: HashMap<String, Jar>,
    /// This process's queued stores that the replica has not applied, by
    /// request id, with their site.
    pending: VecDeque<Pending>,
}

#[derive(Debug)]
struct Pending {
    seq: u64,
    /// `None` for a URL without a host (the jar refuses the store).
    site: Option<String>,
    op: Op,
}

/// One entry the follower applied, as the view sees it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Applied {
    /// This process's request with this id.
    Own(u64),
    /// Another process's.
    Other,
}

/// The site of a queued `Set`: its URL's lookup key in `replica`.
fn site_of(replica: &Jar, op: &Op) -> Option<String> {
    match op {
        Op::Set { url, .. } => replica.lookup_key(&url::Url::parse(url).ok()?),
        _ => None,
    }
}

impl View {
    /// Adds a queued store to the view.
    pub(super) fn push(&mut self, replica: &Jar, config: &JarBuilder, seq: u64, op: Op) {
        let site = site_of(replica, &op);
        if let Some(site) = &site {
            self.apply(replica, config, site, &op);
        }
        self.pending.push_back(Pending { seq, site, op });
    }

    /// Applies `op` to the copy of `site`, made first if there is none.
    fn apply(&mut self, replica: &Jar, config: &JarBuilder, site: &str, op: &Op) {
        let jar = self
            .sites
            .entry(site.to_owned())
            .or_insert_with(|| replica.replica_site_copy(config.clone(), site));
        // The copy's answer is not the fleet's: the replica's, when it
        // applies the entry, is the one reported.
        let _ = follower::apply(jar, op);
    }

    /// The replica has applied `applied` (in log order) since the view was
    /// last in step with it.
    pub(super) fn settle(&mut self, replica: &Jar, config: &JarBuilder, applied: &[Applied]) {
        // A copy is the old replica's site with its pending stores
        // applied: while the entries are the pending stores themselves, in
        // order, it is still the new replica's site with the rest applied.
        let mut in_step = true;
        for entry in applied {
            match *entry {
                Applied::Own(seq)
                    if in_step && self.pending.front().map(|p| p.seq) == Some(seq) =>
                {
                    self.pending.pop_front();
                }
                Applied::Own(seq) => {
                    self.forget_through(seq);
                    in_step = false;
                }
                Applied::Other => in_step = false,
            }
        }
        match in_step {
            true => {
                // Copies without a pending store are the replica's now.
                let pending = &self.pending;
                self.sites
                    .retain(|site, _| pending.iter().any(|p| p.site.as_ref() == Some(site)));
            }
            false => self.rebuild(replica, config),
        }
    }

    /// Drops the pending stores numbered `seq` and below: their entries
    /// are in the replica, or will never be (requests reach the log in
    /// order).
    pub(super) fn forget_through(&mut self, seq: u64) {
        while self.pending.front().is_some_and(|p| p.seq <= seq) {
            self.pending.pop_front();
        }
    }

    /// Drops one pending store (it failed) and rebuilds.
    pub(super) fn remove(&mut self, replica: &Jar, config: &JarBuilder, seq: u64) {
        let before = self.pending.len();
        self.pending.retain(|p| p.seq != seq);
        if self.pending.len() != before {
            self.rebuild(replica, config);
        }
    }

    /// The copies made again from the replica, with the pending stores
    /// applied in order.
    pub(super) fn rebuild(&mut self, replica: &Jar, config: &JarBuilder) {
        self.sites.clear();
        let pending = std::mem::take(&mut self.pending);
        for p in &pending {
            if let Some(site) = &p.site {
                self.apply(replica, config, site, &p.op);
            }
        }
        self.pending = pending;
    }
}

/// The view, locked for writing; when it is dropped, `active` says
/// whether lookups must look at it.
pub(super) struct ViewGuard<'a> {
    guard: RwLockWriteGuard<'a, View>,
    active: &'a AtomicBool,
}

impl Deref for ViewGuard<'_> {
    type Target = View;
    fn deref(&self) -> &View {
        &self.guard
    }
}

impl DerefMut for ViewGuard<'_> {
    fn deref_mut(&mut self) -> &mut View {
        &mut self.guard
    }
}

impl Drop for ViewGuard<'_> {
    fn drop(&mut self) {
        // Still under the lock: a lookup that sees `false` finds nothing
        // pending in the view either.
        self.active
            .store(!self.guard.sites.is_empty(), Ordering::Release);
    }
}

impl Shared {
    pub(super) fn write_view(&self) -> ViewGuard<'_> {
        ViewGuard {
            guard: self.view.write().unwrap_or_else(PoisonError::into_inner),
            active: &self.view_active,
        }
    }

    /// Runs `f` on the jar this process's lookups for `url` see.
    pub(super) fn lookup<R>(&self, url: &url::Url, f: impl FnOnce(&Jar) -> R) -> R {
        // Nothing pending (the common case): the replica alone, one lock.
        if !self.view_active.load(Ordering::Acquire) {
            return f(&self.read());
        }
        let view = self.view.read().unwrap_or_else(PoisonError::into_inner);
        let replica = self.read();
        if !view.sites.is_empty() {
            if let Some(copy) = replica.lookup_key(url).and_then(|s| view.sites.get(&s)) {
                return f(copy);
            }
        }
        f(&replica)
    }

    /// A queued store failed: it leaves the view.
    pub(super) fn drop_pending(&self, seq: u64) {
        let mut view = self.write_view();
        let replica = self.read();
        view.remove(&replica, &self.quiet, seq);
    }
}

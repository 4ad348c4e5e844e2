//! The jar's storage: cookies in a slab, indexed by registrable domain,
//! with a recency index for least-recently-used eviction and an expiry
//! index for "expired first". Policy lives in `jar/mod.rs`; this module
//! only keeps the indexes consistent and evicts in the order it is told.

use crate::cookie::Cookie;
use std::collections::{BTreeSet, HashMap};
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::Arc;
use time::OffsetDateTime;

use super::limits::Limits;

pub(crate) type Id = u32;

/// A stored cookie and its bookkeeping.
#[derive(Debug)]
pub(crate) struct Entry {
    pub(crate) cookie: Cookie,
    /// The registrable-domain bucket it is filed under.
    pub(crate) key: Arc<str>,
    /// Breaks ties between equal creation times (RFC 6265 section 5.4 step
    /// 2 orders by creation time); kept on replacement like creation-time.
    pub(crate) creation_seq: u64,
    /// Recency: the jar-wide tick of the last store or send. Atomic so that
    /// lookups through `&Jar` record it without a write lock.
    access: AtomicU64,
    /// The tick this entry is filed under in `Store::recency`.
    recorded_access: u64,
}

impl Entry {
    pub(crate) fn access(&self) -> u64 {
        self.access.load(Ordering::Relaxed)
    }
}

#[derive(Debug, Default)]
pub(crate) struct Store {
    /// Boxed, so that a free or not-yet-used slot costs 8 bytes, not an
    /// entry's 150: the slab grows by doubling, and up to half of it is spare.
    slots: Vec<Option<Box<Entry>>>,
    free: Vec<Id>,
    buckets: HashMap<Arc<str>, Vec<Id>>,
    /// `(access tick, id)` as of the last write to the entry. Reads only
    /// raise an entry's tick, so this set may hold stale (lower) ticks; the
    /// LRU victim search corrects them lazily (see `lru_victim`).
    recency: BTreeSet<(u64, Id)>,
    /// `(expiry-time, id)` of persistent cookies.
    expiries: BTreeSet<(OffsetDateTime, Id)>,
    len: usize,
    clock: AtomicU64,
}

impl Store {
    pub(crate) fn len(&self) -> usize {
        self.len
    }

    fn tick(&self) -> u64 {
        self.clock.fetch_add(1, Ordering::Relaxed)
    }

    pub(crate) fn get(&self, id: Id) -> Option<&Entry> {
        self.slots.get(id as usize)?.as_deref()
    }

    pub(crate) fn bucket(&self, key: &str) -> &[Id] {
        self.buckets.get(key).map_or(&[], Vec::as_slice)
    }

    pub(crate) fn bucket_entries<'s>(
        &'s self,
        key: &str,
    ) -> impl Iterator<Item = (Id, &'s Entry)> + 's {
        self.bucket(key)
            .iter()
            .filter_map(move |&id| Some((id, self.get(id)?)))
    }

    pub(crate) fn entries(&self) -> impl Iterator<Item = (Id, &Entry)> {
        self.slots
            .iter()
            .enumerate()
            .filter_map(|(i, slot)| Some((i as Id, slot.as_deref()?)))
    }

    /// Reserves `n` consecutive creation sequence numbers (for cookies
    /// loaded from a file, numbered in file order).
    pub(crate) fn reserve_seqs(&self, n: usize) -> u64 {
        self.clock.fetch_add(n as u64, Ordering::Relaxed)
    }

    /// Records that these cookies were sent, in this order (RFC 6265
    /// section 5.4 step 3), with one update of the shared clock.
    pub(crate) fn touch_all(&self, ids: &[Id], now: OffsetDateTime) {
        let first = self.clock.fetch_add(ids.len() as u64, Ordering::Relaxed);
        for (tick, &id) in (first..).zip(ids) {
            if let Some(entry) = self.get(id) {
                entry.access.store(tick, Ordering::Relaxed);
                entry.cookie.touch(now);
            }
        }
    }

    /// The shared key for a bucket: the existing bucket's, or a new one.
    pub(crate) fn key(&self, key: &str) -> Arc<str> {
        match self.buckets.get_key_value(key) {
            Some((k, _)) => k.clone(),
            None => Arc::from(key),
        }
    }

    /// Files a cookie under `key` (from [`Store::key`]). `creation_seq`
    /// orders cookies created in the same instant; `None` numbers it now.
    pub(crate) fn insert(
        &mut self,
        key: Arc<str>,
        cookie: Cookie,
        creation_seq: Option<u64>,
    ) -> Id {
        let tick = self.tick();
        let expiry = cookie.expiry_time;
        let entry = Entry {
            cookie,
            key: key.clone(),
            creation_seq: creation_seq.unwrap_or(tick),
            access: AtomicU64::new(tick),
            recorded_access: tick,
        };
        let id = match self.free.pop() {
            Some(id) => {
                if let Some(slot) = self.slots.get_mut(id as usize) {
                    *slot = Some(Box::new(entry));
                }
                id
            }
            None => {
                self.slots.push(Some(Box::new(entry)));
                (self.slots.len() - 1) as Id
            }
        };
        self.buckets.entry(key).or_default().push(id);
        self.recency.insert((tick, id));
        if let Some(expiry) = expiry {
            self.expiries.insert((expiry, id));
        }
        self.len += 1;
        id
    }

    /// Puts `cookie` in the place of entry `id` (the same name, domain and
    /// path, so the same bucket). The creation order is kept; the recency
    /// set keeps its now-stale record, which `lru_victim` corrects lazily,
    /// and the expiry index changes only if the expiry did. A replacement
    /// is the common store in a long session, and this spares it the index
    /// work of a removal and an insertion.
    pub(crate) fn replace(&mut self, id: Id, cookie: Cookie) {
        let tick = self.tick();
        let Some(entry) = self
            .slots
            .get_mut(id as usize)
            .and_then(Option::as_deref_mut)
        else {
            return;
        };
        let (old_expiry, new_expiry) = (entry.cookie.expiry_time, cookie.expiry_time);
        entry.cookie = cookie;
        entry.access.store(tick, Ordering::Relaxed);
        if old_expiry != new_expiry {
            if let Some(old) = old_expiry {
                self.expiries.remove(&(old, id));
            }
            if let Some(new) = new_expiry {
                self.expiries.insert((new, id));
            }
        }
    }

    pub(crate) fn remove(&mut self, id: Id) -> Option<Entry> {
        let entry = *self.slots.get_mut(id as usize)?.take()?;
        if let Some(bucket) = self.buckets.get_mut(&entry.key) {
            bucket.retain(|&other| other != id);
            if bucket.is_empty() {
                self.buckets.remove(&entry.key);
            }
        }
        self.recency.remove(&(entry.recorded_access, id));
        if let Some(expiry) = entry.cookie.expiry_time {
            self.expiries.remove(&(expiry, id));
        }
        self.free.push(id);
        self.len -= 1;
        Some(entry)
    }

    pub(crate) fn clear(&mut self) {
        *self = Store {
            clock: AtomicU64::new(self.clock.load(Ordering::Relaxed)),
            ..Store::default()
        };
    }

    /// The least recently used cookie of the whole jar.
    ///
    /// The recency set holds each live id once, with a tick at most its
    /// current one. Pop the smallest; if its tick is stale, re-file it with
    /// the current tick and look again. The first entry whose recorded tick
    /// is current has the smallest current tick of all: every other entry's
    /// current tick is at least its recorded tick, which is at least this
    /// one's. Each stale record is corrected once, so the cost is amortized
    /// O(log n), and lookups never touch the set.
    fn lru_victim(&mut self) -> Option<Id> {
        while let Some((recorded, id)) = self.recency.pop_first() {
            let Some(entry) = self
                .slots
                .get_mut(id as usize)
                .and_then(Option::as_deref_mut)
            else {
                continue;
            };
            let current = entry.access();
            entry.recorded_access = current;
            self.recency.insert((current, id));
            if current == recorded {
                return Some(id);
            }
        }
        None
    }

    /// Removes every expired cookie; returns how many.
    pub(crate) fn purge_expired(&mut self, now: OffsetDateTime) -> usize {
        let mut removed = 0;
        while let Some(&(expiry, id)) = self.expiries.first() {
            if expiry > now {
                break;
            }
            self.remove(id);
            removed += 1;
        }
        removed
    }

    /// Brings the jar within `limits` after a cookie was filed under `key`
    /// (RFC 6265 section 5.3 step 12): expired cookies first, then from the
    /// bucket over its quota (non-`Secure` before `Secure`, least recently
    /// used first), then least recently used across the jar. Returns the
    /// evicted ids' count, and whether `protect` (the new cookie) was one.
    pub(crate) fn enforce(
        &mut self,
        key: &str,
        limits: &Limits,
        now: OffsetDateTime,
        protect: Id,
    ) -> (usize, bool) {
        let mut evicted = 0;
        let mut lost_new = false;
        let mut evict = |store: &mut Store, id: Id| {
            lost_new |= id == protect;
            store.remove(id);
            evicted += 1;
        };
        if self.bucket(key).len() > limits.max_cookies_per_domain {
            let expired: Vec<Id> = self
                .bucket_entries(key)
                .filter(|(_, e)| e.cookie.is_expired_at(now))
                .map(|(id, _)| id)
                .collect();
            for id in expired {
                evict(self, id);
            }
        }
        while self.bucket(key).len() > limits.max_cookies_per_domain {
            let victim = self
                .bucket_entries(key)
                .min_by_key(|(_, e)| (e.cookie.secure_only, e.access()))
                .map(|(id, _)| id);
            match victim {
                Some(id) => evict(self, id),
                None => break,
            }
        }
        if self.len > limits.max_cookies {
            let expired: Vec<Id> = self
                .expiries
                .iter()
                .take_while(|(expiry, _)| *expiry <= now)
                .map(|&(_, id)| id)
                .collect();
            for id in expired {
                evict(self, id);
            }
        }
        while self.len > limits.max_cookies {
            match self.lru_victim() {
                Some(id) => evict(self, id),
                None => break,
            }
        }
        (evicted, lost_new)
    }

    /// Files every cookie again under a new key function (after the public
    /// suffix list changed). Ticks, creation order and ids are kept.
    pub(crate) fn rekey(&mut self, mut key_of: impl FnMut(&Cookie) -> String) {
        let mut buckets: HashMap<Arc<str>, Vec<Id>> = HashMap::new();
        for (i, slot) in self.slots.iter_mut().enumerate() {
            if let Some(entry) = slot {
                let key = key_of(&entry.cookie);
                let key = match buckets.get_key_value(key.as_str()) {
                    Some((k, _)) => k.clone(),
                    None => Arc::from(key),
                };
                entry.key = key.clone();
                buckets.entry(key).or_default().push(i as Id);
            }
        }
        self.buckets = buckets;
    }
}

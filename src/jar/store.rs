//! The jar's storage: cookies in a slab, filed by registrable domain in
//! buckets (see `bucket.rs` for how a large one is indexed), with a
//! recency index of buckets for least-recently-used eviction and an expiry index for
//! "expired first". Policy lives in `jar/mod.rs`; this module only keeps
//! the indexes consistent and evicts in the order it is told.
//!
//! Every operation of a store into one domain costs O(log n) or amortized
//! O(log n) in the jar's and the domain's size, except that the cookies
//! sharing the new cookie's name in its domain are compared one by one
//! (they differ in domain or path; a site has few of those). A lookup
//! reads its whole bucket, as RFC 6265 section 5.4 step 1 tests every
//! cookie against the request, and sorts the matches: O(n log n) in the
//! domain's size, and the header it builds is capped (`Limits`).

use crate::cookie::{utc, Cookie, NewCookie};
use std::collections::hash_map::Entry as MapEntry;
use std::collections::hash_map::RandomState;
use std::collections::{BTreeSet, HashMap};
use std::hash::BuildHasher;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::Arc;
use time::{OffsetDateTime, UtcDateTime};

use super::bucket::{Bucket, BucketIndex, Filing, INDEX_FROM};
use super::events::{Limit, Removal};
use super::limits::Limits;
use crate::hash::KeyedHash;

pub(crate) type Id = u32;

/// A stored cookie and its bookkeeping.
#[derive(Debug)]
pub(crate) struct Entry {
    pub(crate) cookie: Cookie,
    /// Where in the cookie's domain the key of its bucket (the registrable
    /// domain, always a suffix of the domain) starts: 4 bytes, where an
    /// `Arc<str>` to the bucket's key cost 16.
    key_start: u32,
    /// Breaks ties between equal creation times (RFC 6265 section 5.4 step
    /// 2 orders by creation time); kept on replacement like creation-time.
    pub(crate) creation_seq: u64,
    /// Recency: the jar-wide tick of the last store or send. Atomic so that
    /// lookups through `&Jar` record it without a write lock.
    access: AtomicU64,
    /// The tick this entry is filed under in its bucket's index, if the
    /// bucket has one.
    recorded_access: u64,
    /// Where its id is in its bucket's `ids`.
    position: u32,
}

impl Entry {
    /// The key of the bucket it is filed under.
    pub(crate) fn key(&self) -> &str {
        let domain = &self.cookie.domain;
        domain.get(self.key_start as usize..).unwrap_or(domain)
    }

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
    buckets: HashMap<Arc<str>, Bucket, KeyedHash>,
    /// `(tick, bucket key)`, one record per bucket, under the bucket's
    /// `recorded_lru`: at most the access tick of every cookie in it.
    /// Reads only raise ticks, and a write files the newest tick, so a
    /// record stays a lower bound without being touched; the LRU victim
    /// search corrects records lazily (see `lru_victim`). One record per
    /// bucket, not per cookie: 24 bytes per registrable domain where a set
    /// of `(tick, id)` cost about 30 bytes per cookie.
    recency: BTreeSet<(u64, Arc<str>)>,
    /// `(expiry-time, id)` of persistent cookies.
    expiries: BTreeSet<(UtcDateTime, Id)>,
    len: usize,
    clock: AtomicU64,
    /// The latest creation time and the highest creation sequence number
    /// filed so far, and whether some cookie broke their agreement (see
    /// [`Store::creation_follows_seq`]).
    newest: Option<(UtcDateTime, u64)>,
    creation_out_of_order: bool,
    /// Keys the name and place hashes of bucket indexes, so that a server
    /// cannot choose names that collide.
    hasher: RandomState,
    /// Entries examined by the store-side searches (the tests' measure of
    /// work, in place of timings).
    #[cfg(test)]
    visits: AtomicU64,
}

/// Ids of one bucket to examine: all of a small one, a range of a large
/// one's index.
enum Candidates<'s, I> {
    Scan(std::slice::Iter<'s, Id>),
    Indexed(I),
    None,
}

impl<I: Iterator<Item = Id>> Iterator for Candidates<'_, I> {
    type Item = Id;

    fn next(&mut self) -> Option<Id> {
        match self {
            Candidates::Scan(ids) => ids.next().copied(),
            Candidates::Indexed(ids) => ids.next(),
            Candidates::None => None,
        }
    }
}

/// Where bucket key `key` starts in `domain`: every caller cuts the key
/// from the cookie's domain (its registrable domain, or all of it).
fn key_start(domain: &str, key: &str) -> u32 {
    debug_assert!(domain.ends_with(key), "{key} keys {domain}");
    domain.len().saturating_sub(key.len()) as u32
}

/// The first record of one `Secure` class of a large bucket's eviction set
/// whose tick is current, as `(tick, id)`. The ticks there may be stale
/// (lookups raise an entry's tick without touching the set); each stale
/// record met is re-filed under its entry's current tick and the search
/// goes on. The first current record has the smallest current tick of its
/// class: every other entry's current tick is at least its recorded one.
fn current_first_in_class(
    index: &mut BucketIndex,
    slots: &mut [Option<Box<Entry>>],
    secure: bool,
    visit: &dyn Fn(),
) -> Option<(u64, Id)> {
    loop {
        let (recorded, id) = index.first_in_class(secure)?;
        visit();
        let entry = slots.get_mut(id as usize).and_then(Option::as_deref_mut)?;
        let current = entry.access();
        if current == recorded {
            return Some((current, id));
        }
        index.refile_access(id, secure, recorded, current);
        entry.recorded_access = current;
    }
}

/// What an indexed bucket files `entry` under.
fn filing(hasher: &RandomState, entry: &Entry) -> Filing {
    Filing {
        name: name_hash(hasher, &entry.cookie.name),
        place: place_hash(hasher, &entry.cookie.domain, &entry.cookie.path),
        secure: entry.cookie.secure_only,
        recorded_access: entry.recorded_access,
        expiry: entry.cookie.expiry_time,
    }
}

fn name_hash(hasher: &RandomState, name: &str) -> u32 {
    hasher.hash_one(name) as u32
}

fn place_hash(hasher: &RandomState, domain: &str, path: &str) -> u32 {
    hasher.hash_one((domain, path)) as u32
}

/// Indexes the bucket `ids` (of entries in `slots`).
fn build_index(slots: &[Option<Box<Entry>>], hasher: &RandomState, ids: &[Id]) -> BucketIndex {
    let mut index = BucketIndex::default();
    for &id in ids {
        if let Some(entry) = slots.get(id as usize).and_then(Option::as_deref) {
            index.add(id, &filing(hasher, entry));
        }
    }
    index
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
        self.buckets.get(key).map_or(&[], |b| b.ids.as_slice())
    }

    #[inline]
    fn visit(&self) {
        #[cfg(test)]
        self.visits.fetch_add(1, Ordering::Relaxed);
    }

    /// How many entries the store-side searches have examined.
    #[cfg(test)]
    pub(crate) fn visits(&self) -> u64 {
        self.visits.load(Ordering::Relaxed)
    }

    /// The cookies of bucket `key` named `name`.
    pub(crate) fn named<'s>(
        &'s self,
        key: &str,
        name: &'s str,
    ) -> impl Iterator<Item = (Id, &'s Entry)> + 's {
        let candidates = match self.buckets.get(key) {
            None => Candidates::None,
            Some(Bucket {
                index: Some(index), ..
            }) => Candidates::Indexed(index.named(name_hash(&self.hasher, name))),
            Some(bucket) => Candidates::Scan(bucket.ids.iter()),
        };
        candidates.filter_map(move |id| {
            self.visit();
            let entry = self.get(id)?;
            (*entry.cookie.name == *name).then_some((id, entry))
        })
    }

    /// The cookies of bucket `key` with this name, domain and path (either
    /// host-only flag): at most two.
    pub(crate) fn same_place<'s: 'q, 'q>(
        &'s self,
        key: &str,
        name: &'q str,
        domain: &'q str,
        path: &'q str,
    ) -> impl Iterator<Item = (Id, &'s Entry)> + 'q {
        let candidates = match self.buckets.get(key) {
            None => Candidates::None,
            Some(Bucket {
                index: Some(index), ..
            }) => Candidates::Indexed(index.placed(
                name_hash(&self.hasher, name),
                place_hash(&self.hasher, domain, path),
            )),
            Some(bucket) => Candidates::Scan(bucket.ids.iter()),
        };
        candidates.filter_map(move |id| {
            self.visit();
            let entry = self.get(id)?;
            let c = &entry.cookie;
            (*c.name == *name && *c.domain == *domain && *c.path == *path).then_some((id, entry))
        })
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

    /// Records that `entry` was sent with access tick `tick` (from
    /// [`Store::reserve_seqs`]).
    /// `now_nanos` is [`to_nanos`](crate::cookie::to_nanos) of the time.
    pub(crate) fn touch(&self, entry: &Entry, tick: u64, now_nanos: i64) {
        entry.access.store(tick, Ordering::Relaxed);
        entry
            .cookie
            .last_access_time
            .store(now_nanos, Ordering::Relaxed);
    }

    /// True while ordering the cookies by creation sequence number orders
    /// them by (creation time, sequence number), as RFC 6265 section 5.4
    /// step 2 asks: every cookie filed so far came with a higher number and
    /// a creation time no earlier than every cookie before it (true of every
    /// jar whose clock does not go back and that loads no file into a jar
    /// already holding cookies). Then a lookup sorts by the number alone.
    pub(crate) fn creation_follows_seq(&self) -> bool {
        !self.creation_out_of_order
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
        let seq = creation_seq.unwrap_or(tick);
        match self.newest {
            Some((time, max_seq)) => {
                self.creation_out_of_order |= seq <= max_seq || cookie.creation_time < time;
                self.newest = Some((time.max(cookie.creation_time), max_seq.max(seq)));
            }
            None => self.newest = Some((cookie.creation_time, seq)),
        }
        let key_start = key_start(&cookie.domain, &key);
        let bucket = match self.buckets.entry(key) {
            MapEntry::Occupied(o) => o.into_mut(),
            MapEntry::Vacant(v) => {
                self.recency.insert((tick, v.key().clone()));
                v.insert(Bucket {
                    recorded_lru: tick,
                    ..Bucket::default()
                })
            }
        };
        let position = bucket.ids.len() as u32;
        let entry = Entry {
            cookie,
            key_start,
            creation_seq: seq,
            access: AtomicU64::new(tick),
            recorded_access: tick,
            position,
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
        bucket.ids.push(id);
        if let Some(index) = &mut bucket.index {
            if let Some(entry) = self.slots.get(id as usize).and_then(Option::as_deref) {
                index.add(id, &filing(&self.hasher, entry));
            }
        } else if bucket.ids.len() > INDEX_FROM {
            bucket.index = Some(Box::new(build_index(
                &self.slots,
                &self.hasher,
                &bucket.ids,
            )));
        }
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
    pub(crate) fn replace(&mut self, id: Id, cookie: NewCookie<'_>) {
        let tick = self.tick();
        let Some(entry) = self
            .slots
            .get_mut(id as usize)
            .and_then(Option::as_deref_mut)
        else {
            return;
        };
        // A replacement keeps the creation time (RFC 6265 section 5.3 step
        // 11.3); should a caller ever change it, the orders may disagree.
        let new = &cookie.fields;
        self.creation_out_of_order |= entry.cookie.creation_time != new.creation_time;
        let (old_expiry, new_expiry) = (entry.cookie.expiry_time, new.expiry_time);
        let changed = old_expiry != new_expiry || entry.cookie.secure_only != new.secure_only;
        // Only a change of these re-files the entry in an index; most
        // replacements change the value alone and skip the bucket lookup.
        let bucket = match changed {
            true => self.buckets.get_mut(entry.key()),
            false => None,
        };
        let old_filing = match &bucket {
            Some(Bucket { index: Some(_), .. }) => Some(filing(&self.hasher, entry)),
            _ => None,
        };
        entry.cookie = cookie.into_replacement(&mut entry.cookie);
        entry.access.store(tick, Ordering::Relaxed);
        if let (
            Some(old),
            Some(Bucket {
                index: Some(index), ..
            }),
        ) = (old_filing, bucket)
        {
            index.refile_cookie(id, &old, &filing(&self.hasher, entry));
        }
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
        if let Some(bucket) = self.buckets.get_mut(entry.key()) {
            let position = entry.position as usize;
            debug_assert_eq!(bucket.ids.get(position), Some(&id));
            if position < bucket.ids.len() {
                bucket.ids.swap_remove(position);
            }
            if let Some(&moved) = bucket.ids.get(position) {
                if let Some(moved) = self
                    .slots
                    .get_mut(moved as usize)
                    .and_then(Option::as_deref_mut)
                {
                    moved.position = position as u32;
                }
            }
            if let Some(index) = &mut bucket.index {
                index.remove(id, &filing(&self.hasher, &entry));
            }
            if bucket.ids.is_empty() {
                if let Some((key, bucket)) = self.buckets.remove_entry(entry.key()) {
                    self.recency.remove(&(bucket.recorded_lru, key));
                }
            }
        }
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
    /// The recency set holds each bucket once, under a tick at most the
    /// current tick of each of its cookies. Take the smallest record and
    /// find its bucket's least recently used cookie; if that cookie's tick
    /// is the record's, no cookie anywhere is older (every other bucket's
    /// cookies are at least its record, which is at least this one), else
    /// re-file the bucket under that tick and look again. Each correction
    /// follows a read of the bucket since its last filing, so the cost is
    /// amortized over lookups, which never touch the set.
    pub(crate) fn lru_victim(&mut self) -> Option<Id> {
        loop {
            let (recorded, key) = self.recency.pop_first()?;
            // None is not reachable: an emptied bucket takes its record along.
            let Some((current, id)) = self.bucket_lru(&key) else {
                continue;
            };
            if let Some(bucket) = self.buckets.get_mut(&*key) {
                bucket.recorded_lru = current;
            }
            self.recency.insert((current, key));
            if current == recorded {
                return Some(id);
            }
        }
    }

    /// The least recently used cookie of bucket `key`, with its tick (ties
    /// go to the lower id). A small bucket is scanned; a large one's
    /// eviction set is corrected, in each `Secure` class, until its first
    /// record is current (see `bucket_victim`).
    fn bucket_lru(&mut self, key: &str) -> Option<(u64, Id)> {
        let bucket = self.buckets.get_mut(key)?;
        let slots = &mut self.slots;
        let Some(index) = &mut bucket.index else {
            return bucket
                .ids
                .iter()
                .filter_map(|&id| Some((slots.get(id as usize)?.as_deref()?.access(), id)))
                .min();
        };
        // Captures only the counter field (tests' measure of work).
        let visit = || {
            #[cfg(test)]
            self.visits.fetch_add(1, Ordering::Relaxed);
        };
        let plain = current_first_in_class(index, slots, false, &visit);
        let secure = current_first_in_class(index, slots, true, &visit);
        plain.into_iter().chain(secure).min()
    }

    /// The cookie bucket `key` gives up first (RFC 6265 section 5.3 step
    /// 12): non-`Secure` before `Secure`, then least recently used.
    ///
    /// A small bucket is scanned. A large one's eviction set is corrected
    /// lazily as in `lru_victim`: within each `Secure` class, the first
    /// record whose tick is current has the smallest current tick, and the
    /// class without `Secure` sorts first.
    fn bucket_victim(&mut self, key: &str) -> Option<Id> {
        let bucket = self.buckets.get_mut(key)?;
        let Some(index) = &mut bucket.index else {
            let slots = &self.slots;
            return bucket
                .ids
                .iter()
                .filter_map(|&id| Some((id, slots.get(id as usize)?.as_deref()?)))
                .min_by_key(|(_, e)| {
                    #[cfg(test)]
                    self.visits.fetch_add(1, Ordering::Relaxed);
                    (e.cookie.secure_only, e.access())
                })
                .map(|(id, _)| id);
        };
        // Non-`Secure` first: the first current record of that class, if
        // it has any, else of the `Secure` class.
        // Captures only the counter field (tests' measure of work).
        let visit = || {
            #[cfg(test)]
            self.visits.fetch_add(1, Ordering::Relaxed);
        };
        let slots = &mut self.slots;
        current_first_in_class(index, slots, false, &visit)
            .or_else(|| current_first_in_class(index, slots, true, &visit))
            .map(|(_, id)| id)
    }

    /// The cookies of bucket `key` that have expired at `now`.
    fn bucket_expired(&self, key: &str, now: UtcDateTime) -> Vec<Id> {
        match self.buckets.get(key) {
            None => Vec::new(),
            Some(Bucket {
                index: Some(index), ..
            }) => index.expired(now).inspect(|_| self.visit()).collect(),
            Some(bucket) => bucket
                .ids
                .iter()
                .copied()
                .filter(|&id| {
                    self.visit();
                    self.get(id).is_some_and(|e| e.cookie.expired_at(now))
                })
                .collect(),
        }
    }

    /// Removes every expired cookie, telling `on_removed`; returns how many.
    pub(crate) fn purge_expired(
        &mut self,
        now: OffsetDateTime,
        on_removed: &mut dyn FnMut(&Cookie, Removal),
    ) -> usize {
        let now = utc(now);
        let mut removed = 0;
        while let Some(&(expiry, id)) = self.expiries.first() {
            if expiry > now {
                break;
            }
            if let Some(entry) = self.remove(id) {
                on_removed(&entry.cookie, Removal::Expired);
            }
            removed += 1;
        }
        removed
    }

    /// Brings the jar within `limits` after a cookie was filed under `key`
    /// (RFC 6265 section 5.3 step 12): expired cookies first, then from the
    /// bucket over its quota (non-`Secure` before `Secure`, least recently
    /// used first), then least recently used across the jar. Returns the
    /// evicted ids' count, and whether `protect` (the new cookie) was one.
    /// Each evicted cookie goes to `on_removed` with the reason.
    pub(crate) fn enforce(
        &mut self,
        key: &str,
        limits: &Limits,
        now: OffsetDateTime,
        protect: Id,
        on_removed: &mut dyn FnMut(&Cookie, Removal),
    ) -> (usize, bool) {
        let mut evicted = 0;
        let mut lost_new = false;
        let mut evict = |store: &mut Store, id: Id, why: Removal| {
            lost_new |= id == protect;
            if let Some(entry) = store.remove(id) {
                on_removed(&entry.cookie, why);
            }
            evicted += 1;
        };
        let over_domain = self.bucket(key).len() > limits.max_cookies_per_domain;
        if !over_domain && self.len <= limits.max_cookies {
            return (0, false);
        }
        let now = utc(now);
        if over_domain {
            for id in self.bucket_expired(key, now) {
                evict(self, id, Removal::Expired);
            }
        }
        while self.bucket(key).len() > limits.max_cookies_per_domain {
            match self.bucket_victim(key) {
                Some(id) => evict(self, id, Removal::Evicted(Limit::PerDomain)),
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
                evict(self, id, Removal::Expired);
            }
        }
        while self.len > limits.max_cookies {
            match self.lru_victim() {
                Some(id) => evict(self, id, Removal::Evicted(Limit::Total)),
                None => break,
            }
        }
        (evicted, lost_new)
    }

    /// Files every cookie again under a new key function (after the public
    /// suffix list changed). Ticks, creation order and ids are kept.
    pub(crate) fn rekey(&mut self, mut key_of: impl FnMut(&Cookie) -> String) {
        let mut buckets: HashMap<Arc<str>, Bucket, KeyedHash> = HashMap::default();
        for (i, slot) in self.slots.iter_mut().enumerate() {
            if let Some(entry) = slot {
                let key = key_of(&entry.cookie);
                let key = match buckets.get_key_value(key.as_str()) {
                    Some((k, _)) => k.clone(),
                    None => Arc::from(key),
                };
                entry.key_start = key_start(&entry.cookie.domain, &key);
                let bucket = buckets.entry(key).or_default();
                entry.position = bucket.ids.len() as u32;
                bucket.ids.push(i as Id);
            }
        }
        let mut recency = BTreeSet::new();
        for (key, bucket) in &mut buckets {
            let slots = &self.slots;
            let ticks = bucket
                .ids
                .iter()
                .filter_map(|&id| slots.get(id as usize)?.as_deref());
            bucket.recorded_lru = ticks.map(Entry::access).min().unwrap_or(0);
            recency.insert((bucket.recorded_lru, key.clone()));
            if bucket.ids.len() > INDEX_FROM {
                bucket.index = Some(Box::new(build_index(
                    &self.slots,
                    &self.hasher,
                    &bucket.ids,
                )));
            }
        }
        self.buckets = buckets;
        self.recency = recency;
    }

    /// Panics unless every index agrees with the entries (tests only).
    #[cfg(test)]
    pub(crate) fn check_consistency(&self) {
        let mut live = 0;
        for (key, bucket) in &self.buckets {
            assert!(!bucket.ids.is_empty(), "empty bucket {key}");
            assert!(self.recency.contains(&(bucket.recorded_lru, key.clone())));
            for (position, &id) in bucket.ids.iter().enumerate() {
                let entry = self.get(id).expect("a live id");
                assert_eq!(entry.position as usize, position);
                assert_eq!(entry.key(), &**key);
                assert!(
                    entry.access() >= bucket.recorded_lru,
                    "{key} filed too late"
                );
                if let Some(index) = &bucket.index {
                    assert!(index.holds(id, &filing(&self.hasher, entry)));
                }
                live += 1;
            }
            if let Some(index) = &bucket.index {
                let persistent = bucket
                    .ids
                    .iter()
                    .filter(|&&id| self.get(id).is_some_and(|e| e.cookie.expiry_time.is_some()))
                    .count();
                assert_eq!(
                    index.sizes(),
                    (bucket.ids.len(), bucket.ids.len(), persistent)
                );
            } else {
                assert!(
                    bucket.ids.len() <= INDEX_FROM,
                    "{key} is large and unindexed"
                );
            }
        }
        assert_eq!(live, self.len);
        assert_eq!(self.recency.len(), self.buckets.len());
    }
}

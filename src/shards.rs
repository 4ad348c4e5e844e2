//! The shards behind `SharedJar`: one jar per shard, each behind its own
//! lock on its own cache line, cookies filed by registrable domain.
//!
//! Why: with one lock, every lookup of every thread writes the same lock
//! word (the reader count), and the jar's recency clock, so a second core
//! makes lookups slower. A registrable domain is what RFC 6265 section
//! 5.4 step 1 reads for one request and what the per-domain limit counts
//! (section 5.3 step 12), so both stay inside one shard; threads working on
//! different sites take different locks and advance different clocks.
//!
//! The jar-wide limit spans shards, and is exact at every moment. A count
//! of all shards' cookies is kept by every store that adds or removes one,
//! under its shard's lock. At most one store per shard is under way, and
//! each adds at most one cookie: while the jar has more free places than
//! shards, no store waits for another shard. Nearer the limit, a store
//! that may add a cookie reserves its place in the count first, and when
//! none is left (a place is kept for a store under way in each other
//! shard) it locks all shards (in index order, so that two such stores
//! cannot deadlock) before it adds, then evicts expired cookies first and
//! then the least recently used cookie of the whole jar. A replacement,
//! the common store, locks its own shard only. Each shard's candidate is
//! its own least recently used cookie (its recency ticks are exact within
//! it); across shards the candidates compare by last-access time, which is
//! what RFC 6265 section 5.3 step 12 orders by. Two sites' cookies last
//! used in the same nanosecond may then go in another order than one lock
//! would have chosen; the counts are exact.

use crate::cookie::Cookie;
use crate::hash::KeyedHash;
use crate::jar::sharding::{combined, Created};
use crate::jar::{Jar, Rejection, RequestContext, Stored};
use std::hash::BuildHasher;
use std::ops::{Deref, DerefMut};
use std::sync::atomic::{AtomicIsize, Ordering};
use std::sync::{Mutex, PoisonError, RwLock, RwLockReadGuard, RwLockWriteGuard};
use time::OffsetDateTime;
use url::Url;

/// A shard's lock on a cache line of its own (two lines: adjacent-line
/// prefetchers pair them), so that locking one shard never slows another.
#[derive(Debug)]
#[repr(align(128))]
struct Padded(RwLock<Jar>);

#[derive(Debug)]
pub(crate) struct Shards {
    shards: Box<[Padded]>,
    /// Copies of an empty jar with the shards' rules and list, to compute
    /// the key of a request or a cookie before choosing its shard. One per
    /// thread slot, so that threads do not share a lock word for it; all
    /// are replaced together when the list changes (`WholeJar`).
    routers: Box<[Padded]>,
    /// Keys the choice of shard (the hash of the bucket's key).
    hasher: KeyedHash,
    /// The jar-wide limit (each shard's own is unlimited).
    max_cookies: usize,
    /// Cookies in all shards, kept up to date by every store that adds or
    /// removes one; exact whenever no change is under way. On a line of its
    /// own: it changes, and the fields above are read by every request.
    total: PaddedCount,
}

/// [`Shards::total`] on a cache line of its own (two, as [`Padded`]).
#[derive(Debug)]
#[repr(align(128))]
struct PaddedCount(AtomicIsize);

/// How many shards for this machine: four per core, a power of two, at
/// least 8 and at most 256 (more only costs memory: an empty shard is a
/// few hundred bytes).
fn shard_count() -> usize {
    let cores = std::thread::available_parallelism().map_or(4, |n| n.get());
    (cores * 4).next_power_of_two().clamp(8, 256)
}

fn lock_read(shard: &Padded) -> RwLockReadGuard<'_, Jar> {
    shard.0.read().unwrap_or_else(PoisonError::into_inner)
}

fn lock_write(shard: &Padded) -> RwLockWriteGuard<'_, Jar> {
    shard.0.write().unwrap_or_else(PoisonError::into_inner)
}

impl Shards {
    /// `jar`'s cookies spread over the shards.
    pub(crate) fn new(jar: Jar) -> Shards {
        let max_cookies = jar.limits().max_cookies;
        let template = jar.empty_like().with_max_cookies(usize::MAX);
        let count = shard_count();
        let shards = Shards {
            shards: (0..count)
                .map(|_| Padded(RwLock::new(template.empty_like())))
                .collect(),
            routers: (0..count)
                .map(|_| Padded(RwLock::new(template.empty_like())))
                .collect(),
            hasher: KeyedHash::default(),
            max_cookies,
            total: PaddedCount(AtomicIsize::new(0)),
        };
        let mut guards = shards.lock_all();
        shards.split(&mut guards, &jar);
        drop(guards);
        shards
    }

    fn index(&self, key: &str) -> usize {
        (self.hasher.hash_one(key) as usize) & (self.shards.len() - 1)
    }

    fn shard(&self, key: &str) -> &Padded {
        pick(&self.shards, self.index(key))
    }

    /// This thread's router.
    fn router(&self) -> RwLockReadGuard<'_, Jar> {
        lock_read(pick(&self.routers, router_slot() % self.routers.len()))
    }

    /// Every shard, write-locked in index order.
    fn lock_all(&self) -> Vec<RwLockWriteGuard<'_, Jar>> {
        self.shards.iter().map(lock_write).collect()
    }

    /// [`Jar::write_cookie_header_with`] under the read lock of the shard
    /// that holds the request's cookies. The router finds the request's
    /// bucket once; the shard's jar reads it without a second public suffix
    /// lookup.
    pub(crate) fn write_cookie_header_with(
        &self,
        url: &Url,
        context: RequestContext,
        now: OffsetDateTime,
        header: &mut String,
    ) -> usize {
        let Some(route) = self.router().route(url) else {
            header.clear();
            return 0;
        };
        lock_read(self.shard(route.key())).write_routed_header(&route, context, now, header)
    }

    /// Stores one `Set-Cookie` in the shard of the bucket its cookie is
    /// filed under, and keeps the jar-wide limit. The cookie is created
    /// (parsed, checked, its bucket found) before any shard is locked.
    ///
    /// The limit is exact at every moment, not only once the stores
    /// return. Far from it (more free places than shards), a store locks
    /// its shard and counts what it added or removed. Nearer, a store that
    /// may add a cookie (it replaces none) first reserves its place in the
    /// count, leaving a place for a store under way in each other shard;
    /// when there is none left, it locks every shard, adds, and evicts. A
    /// replacement or a deletion, which adds none, only reads the count
    /// unless a cookie goes. Under the RFC 2109 profile, each cookie of a
    /// header is stored so.
    pub(crate) fn set_cookie_with(
        &self,
        url: &Url,
        set_cookie: &str,
        context: RequestContext,
        now: OffsetDateTime,
    ) -> Result<Stored, Rejection> {
        let router = self.router();
        if router.stores_cookie_lists() {
            // RFC 2109 section 4.2.2: one header, several cookies, each
            // stored as if it came alone (as `Jar::set_cookie_list_with`).
            let cookies = router.cookies_of(set_cookie);
            drop(router);
            let results = match cookies {
                Ok(cookies) => cookies
                    .into_iter()
                    .map(|cookie| self.store_one(url, cookie, context, now))
                    .collect(),
                Err(refused) => vec![Err(refused)],
            };
            return combined(results);
        }
        drop(router);
        self.store_one(url, set_cookie, context, now)
    }

    /// [`Shards::set_cookie_with`] for a `Set-Cookie` of one cookie.
    fn store_one(
        &self,
        url: &Url,
        set_cookie: &str,
        context: RequestContext,
        now: OffsetDateTime,
    ) -> Result<Stored, Rejection> {
        // The router is let go before any shard is locked: the whole-jar
        // guard replaces the routers while it holds every shard.
        let created = self
            .router()
            .create_for_store(url, set_cookie, context, now)?;
        let index = self.index(created.key());
        let mut jar = lock_write(pick(&self.shards, index));
        // At most one store per shard is under way, and each adds at most
        // one cookie, which it counts once added: far from the limit, all
        // of them at once stay within it.
        let max = isize::try_from(self.max_cookies).unwrap_or(isize::MAX);
        let others = self.shards.len() as isize - 1;
        let far = self
            .total
            .0
            .load(Ordering::Acquire)
            .saturating_add(others + 1)
            <= max;
        if far || !jar.may_add(&created) {
            return self.store_counted(&mut jar, created, 0, context, now).0;
        }
        // Near the limit, a store that may add reserves its place first
        // (the count is then never below what the shards hold), and leaves
        // room for the stores under way in the other shards.
        let reserved = self.total.0.fetch_add(1, Ordering::AcqRel) + 1;
        if reserved.saturating_add(others) <= max {
            return self.store_counted(&mut jar, created, 1, context, now).0;
        }
        self.total.0.fetch_sub(1, Ordering::AcqRel);
        drop(jar);
        // No place left: add and evict with every shard locked.
        let mut guards = self.lock_all();
        let Some(jar) = guards.get_mut(index) else {
            return Err(Rejection::NoRoom);
        };
        let (result, _) = self.store_counted(jar, created, 0, context, now);
        let evicted = self.enforce_total(&mut guards, now);
        with_evicted(result, evicted)
    }

    /// Stores into one (locked) shard's jar and counts the cookies it
    /// added (or removed: negative), of which `reserved` were counted
    /// before, while the lock is held, so that every shard locked at once
    /// sees every change counted.
    fn store_counted(
        &self,
        jar: &mut Jar,
        created: Created<'_>,
        reserved: isize,
        context: RequestContext,
        now: OffsetDateTime,
    ) -> (Result<Stored, Rejection>, isize) {
        let before = jar.len() as isize;
        let result = jar.store_created(created, context, now);
        let delta = jar.len() as isize - before;
        if delta != reserved {
            self.total.0.fetch_add(delta - reserved, Ordering::AcqRel);
        }
        (result, delta)
    }

    /// RFC 6265 section 5.3 step 12 for the whole jar, with every shard
    /// locked: expired cookies first, then the least recently used.
    /// Returns how many were evicted.
    fn enforce_total(
        &self,
        guards: &mut [RwLockWriteGuard<'_, Jar>],
        now: OffsetDateTime,
    ) -> usize {
        let len =
            |guards: &[RwLockWriteGuard<'_, Jar>]| guards.iter().map(|j| j.len()).sum::<usize>();
        let before = len(guards);
        if before > self.max_cookies {
            for jar in guards.iter_mut() {
                jar.purge_expired_at(now);
            }
        }
        let mut total = len(guards);
        while total > self.max_cookies {
            let oldest = guards
                .iter_mut()
                .enumerate()
                .filter_map(|(i, jar)| Some((jar.lru_candidate()?, i)))
                .min();
            let Some(jar) = oldest.and_then(|(_, i)| guards.get_mut(i)) else {
                break;
            };
            if !jar.evict_lru() {
                break;
            }
            total -= 1;
        }
        self.total.0.store(total as isize, Ordering::Release);
        before - total
    }

    /// The whole jar as one [`Jar`], for a caller that needs all of it:
    /// a copy (O(n)), with the relative orders of the shards kept.
    pub(crate) fn assemble(&self) -> Jar {
        let guards: Vec<_> = self.shards.iter().map(lock_read).collect();
        let jars: Vec<&Jar> = guards.iter().map(|g| &**g).collect();
        merge(&jars, self.max_cookies)
    }

    /// Every shard locked, and the whole jar assembled for changes; the
    /// changes go back into the shards when the guard is dropped.
    pub(crate) fn write(&self) -> WholeJar<'_> {
        let guards = self.lock_all();
        let jars: Vec<&Jar> = guards.iter().map(|g| &**g).collect();
        let jar = merge(&jars, self.max_cookies);
        WholeJar {
            shards: self,
            guards,
            jar,
        }
    }

    /// Files `jar`'s cookies into the (locked) shards, replacing theirs.
    fn split(&self, guards: &mut [RwLockWriteGuard<'_, Jar>], jar: &Jar) {
        let ranked = jar.ranked();
        let rank = crate::jar::sharding::creation_ranks(&ranked);
        let mut per_shard: Vec<Vec<(Cookie, u64)>> = guards.iter().map(|_| Vec::new()).collect();
        for (r, n) in ranked.iter().zip(rank) {
            if let Some(list) = per_shard.get_mut(self.index(r.key)) {
                list.push((r.cookie.clone(), n));
            }
        }
        let template = jar.empty_like().with_max_cookies(usize::MAX);
        for (guard, list) in guards.iter_mut().zip(per_shard) {
            let mut shard = template.empty_like();
            shard.insert_ranked(list);
            **guard = shard;
        }
        // The list may have changed (`Jar::set_public_suffix_list`).
        for router in self.routers.iter() {
            *lock_write(router) = template.empty_like();
        }
        self.total.0.store(jar.len() as isize, Ordering::Release);
    }
}

/// How many threads use each router slot (as many slots as
/// [`shard_count`], the length of every jar's `routers`).
static SLOT_USERS: Mutex<Vec<usize>> = Mutex::new(Vec::new());

/// A thread's router slot: the least used slot when the thread first
/// routes, given back when the thread ends. Live threads then share a
/// router, and so its lock word, only when more threads than slots are
/// alive. (Slots handed out in turn by a counter were never given back: two
/// threads started a multiple of the slot count apart shared a router for
/// as long as both lived.)
struct RouterSlot(usize);

impl RouterSlot {
    fn take() -> RouterSlot {
        let mut users = SLOT_USERS.lock().unwrap_or_else(PoisonError::into_inner);
        if users.is_empty() {
            users.resize(shard_count(), 0);
        }
        let slot = users
            .iter()
            .enumerate()
            .min_by_key(|&(_, n)| *n)
            .map_or(0, |(slot, _)| slot);
        if let Some(n) = users.get_mut(slot) {
            *n += 1;
        }
        RouterSlot(slot)
    }
}

impl Drop for RouterSlot {
    fn drop(&mut self) {
        let mut users = SLOT_USERS.lock().unwrap_or_else(PoisonError::into_inner);
        if let Some(n) = users.get_mut(self.0) {
            *n = n.saturating_sub(1);
        }
    }
}

/// This thread's router slot (slot 0 while the thread's locals are being
/// destroyed).
fn router_slot() -> usize {
    thread_local! {
        static SLOT: RouterSlot = RouterSlot::take();
    }
    SLOT.try_with(|slot| slot.0).unwrap_or(0)
}

/// A store's result with `evicted` more cookies evicted for the jar-wide
/// limit.
fn with_evicted(result: Result<Stored, Rejection>, evicted: usize) -> Result<Stored, Rejection> {
    Ok(match result? {
        Stored::Inserted { evicted: e } => Stored::Inserted {
            evicted: e + evicted,
        },
        Stored::Replaced { evicted: e } => Stored::Replaced {
            evicted: e + evicted,
        },
        other => other,
    })
}

/// `list[index]`; `index` is below the length wherever this is called
/// (masked by a power of two, or taken modulo the length).
fn pick(list: &[Padded], index: usize) -> &Padded {
    #[allow(clippy::indexing_slicing)] // see above; the lists are never empty
    &list[index % list.len()]
}

/// One jar holding the cookies of `shards` with the jar-wide limit: the
/// shards' lists merged so that each shard's creation and recency orders
/// are kept; across shards, by creation time and by last-access time.
fn merge(shards: &[&Jar], max_cookies: usize) -> Jar {
    let Some(first) = shards.first() else {
        return Jar::new();
    };
    let lists: Vec<_> = shards.iter().map(|j| j.ranked()).collect();
    // Creation ranks: by creation time, then shard, then the shard's order.
    let mut creation: Vec<(OffsetDateTime, usize, u64, usize)> = Vec::new();
    for (s, list) in lists.iter().enumerate() {
        for (i, r) in list.iter().enumerate() {
            creation.push((r.cookie.creation_time(), s, r.creation_seq, i));
        }
    }
    creation.sort_unstable();
    let mut rank: Vec<Vec<u64>> = lists.iter().map(|l| vec![0; l.len()]).collect();
    for (n, &(_, s, _, i)) in creation.iter().enumerate() {
        if let Some(slot) = rank.get_mut(s).and_then(|r| r.get_mut(i)) {
            *slot = n as u64;
        }
    }
    // Recency: a merge of the shards' lists (each least recently used
    // first) by last-access time, which keeps each shard's own order.
    let mut heads = vec![0usize; lists.len()];
    let mut merged = Vec::with_capacity(creation.len());
    loop {
        let next = lists
            .iter()
            .zip(&heads)
            .enumerate()
            .filter_map(|(s, (list, &h))| Some((list.get(h)?.cookie.last_access_time(), s)))
            .min();
        let Some((_, s)) = next else { break };
        let (Some(list), Some(head)) = (lists.get(s), heads.get_mut(s)) else {
            break;
        };
        if let (Some(r), Some(n)) = (list.get(*head), rank.get(s).and_then(|r| r.get(*head))) {
            merged.push((r.cookie.clone(), *n));
        }
        *head += 1;
    }
    let mut jar = first.empty_like().with_max_cookies(max_cookies);
    jar.insert_ranked(merged);
    jar
}

/// [`SharedJar::write`](crate::SharedJar::write)'s guard: the whole jar,
/// assembled from every shard, all of them locked until the guard is
/// dropped; then its cookies go back into the shards.
#[derive(Debug)]
pub struct WholeJar<'s> {
    shards: &'s Shards,
    guards: Vec<RwLockWriteGuard<'s, Jar>>,
    jar: Jar,
}

impl Deref for WholeJar<'_> {
    type Target = Jar;

    fn deref(&self) -> &Jar {
        &self.jar
    }
}

impl DerefMut for WholeJar<'_> {
    fn deref_mut(&mut self) -> &mut Jar {
        &mut self.jar
    }
}

impl Drop for WholeJar<'_> {
    fn drop(&mut self) {
        self.shards.split(&mut self.guards, &self.jar);
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::Limits;
    use std::sync::Arc;

    /// Stores that add, replace and delete cookies on many threads, while
    /// another thread looks at the whole jar: no look ever sees more than
    /// the jar-wide limit or a domain over its own, and the counter agrees
    /// with the shards at the end.
    #[test]
    fn the_limits_hold_at_every_moment_and_the_count_stays_exact() {
        let limits = Limits {
            max_cookies: 40,
            max_cookies_per_domain: 6,
            ..Limits::RFC2109
        };
        let shards = Shards::new(Jar::builder().limits(limits).build());
        let now = OffsetDateTime::now_utc();
        let done = std::sync::atomic::AtomicBool::new(false);
        std::thread::scope(|s| {
            let (shards, done) = (&shards, &done);
            s.spawn(move || {
                let mut looks = 0;
                while !done.load(Ordering::Relaxed) || looks == 0 {
                    let jar = shards.assemble();
                    assert!(jar.len() <= 40, "{} cookies", jar.len());
                    let mut per_domain = std::collections::HashMap::new();
                    for c in jar.iter() {
                        *per_domain.entry(c.domain().to_owned()).or_insert(0) += 1;
                    }
                    assert!(per_domain.values().all(|&n| n <= 6), "{per_domain:?}");
                    looks += 1;
                }
            });
            let storers: Vec<_> = (0..6usize)
                .map(|t| {
                    s.spawn(move || {
                        for i in 0..400usize {
                            let site = (t * 5 + i) % 17;
                            let url =
                                Url::parse(&format!("https://www.site{site}.example/")).unwrap();
                            // New names, replacements of a few names, and
                            // deletions (Max-Age=0) of those.
                            let header = match i % 4 {
                                0 => format!("t{t}n{i}=v"),
                                1 | 2 => format!("shared{}=v{i}", i % 3),
                                _ => format!("shared{}=gone; Max-Age=0", i % 3),
                            };
                            let context = RequestContext::default();
                            let _ = shards.set_cookie_with(&url, &header, context, now);
                        }
                    })
                })
                .collect();
            for storer in storers {
                storer.join().unwrap();
            }
            done.store(true, Ordering::Relaxed);
        });
        let guards = shards.lock_all();
        let held: usize = guards.iter().map(|j| j.len()).sum();
        assert_eq!(shards.total.0.load(Ordering::Relaxed), held as isize);
        assert!(held <= 40);
    }

    /// A store that takes a full jar over its limit adds its cookie with
    /// every shard locked, so that no one sees the jar over its limit even
    /// before the eviction. Made deterministic with a listener: when the
    /// new cookie is added, another thread tries to lock the other shards
    /// (it could, when the cookie was added with only its own shard locked
    /// and the eviction came after) and, if it can, counts the cookies as
    /// soon as the store lets go of its shard.
    #[test]
    fn nobody_sees_a_full_jar_over_its_limit_while_a_store_evicts() {
        use crate::jar::ChangeKind;
        use std::sync::mpsc::channel;
        let limits = Limits {
            max_cookies: 10,
            ..Limits::RFC2109
        };
        let (added_tx, added_rx) = channel::<()>();
        let (seen_tx, seen_rx) = channel::<bool>();
        let added_tx = Mutex::new(added_tx);
        let seen_rx = Mutex::new(seen_rx);
        let listener = move |change: &crate::jar::Change<'_>| {
            if change.kind == ChangeKind::Added && change.cookie.name() == "last" {
                added_tx.lock().unwrap().send(()).unwrap();
                // Whether the other shards could be locked meanwhile.
                let _ = seen_rx.lock().unwrap().recv().unwrap();
            }
        };
        let jar = Jar::builder()
            .limits(limits)
            .on_change(Arc::new(listener))
            .build();
        let shards = Shards::new(jar);
        let now = OffsetDateTime::now_utc();
        // A site whose shard is not the first, which every whole-jar lock
        // takes first (so that the counting thread and the store cannot
        // wait for each other).
        let site = (0..)
            .map(|n| format!("site{n}.example"))
            .find(|site| shards.index(site) != 0)
            .unwrap();
        let url = Url::parse(&format!("https://{site}/")).unwrap();
        for n in 0..10 {
            let other = Url::parse(&format!("https://fill{n}.example/")).unwrap();
            shards
                .set_cookie_with(&other, "c=1", RequestContext::default(), now)
                .unwrap();
        }
        let own = shards.index(&site);
        let counted = std::thread::scope(|s| {
            let (shards, seen_tx) = (&shards, &seen_tx);
            let counter = s.spawn(move || {
                added_rx.recv().unwrap();
                let others: Option<Vec<_>> = shards
                    .shards
                    .iter()
                    .enumerate()
                    .filter(|&(i, _)| i != own)
                    .map(|(_, shard)| shard.0.try_read().ok())
                    .collect();
                let Some(others) = others else {
                    seen_tx.send(false).unwrap();
                    return None;
                };
                seen_tx.send(true).unwrap();
                let mine = lock_read(pick(&shards.shards, own));
                Some(mine.len() + others.iter().map(|j| j.len()).sum::<usize>())
            });
            let stored = shards.set_cookie_with(&url, "last=1", RequestContext::default(), now);
            assert_eq!(stored, Ok(Stored::Inserted { evicted: 1 }));
            counter.join().unwrap()
        });
        assert_eq!(
            counted, None,
            "the other shards were free while the cookie was added: {counted:?} cookies seen"
        );
        assert_eq!(shards.assemble().len(), 10);
    }

    /// A thread that ends gives its router slot back: a thread started
    /// after many others have come and gone does not land on the slot of
    /// one still alive (as it did when slots were handed out in turn).
    #[test]
    fn live_threads_keep_their_router_slots_to_themselves() {
        let (slot_tx, slot_rx) = std::sync::mpsc::channel();
        let (done_tx, done_rx) = std::sync::mpsc::channel::<()>();
        let long_lived = std::thread::spawn(move || {
            slot_tx.send(router_slot()).unwrap();
            done_rx.recv().unwrap();
        });
        let held = slot_rx.recv().unwrap();
        for _ in 0..shard_count() * 3 {
            let later = std::thread::spawn(router_slot).join().unwrap();
            // Other tests' threads may hold slots too, but fewer than
            // `shard_count() - 1` at once: a free slot is always left.
            assert_ne!(later % shard_count(), held % shard_count());
        }
        done_tx.send(()).unwrap();
        long_lived.join().unwrap();
    }
}

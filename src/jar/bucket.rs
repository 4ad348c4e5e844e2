//! One registrable domain's share of the store.
//!
//! The ids live in a `Vec`, because a lookup reads them all. A store into
//! the domain looks for a cookie with the same name (RFC 6265 section 5.3
//! step 11; RFC 6265bis section 5.7 step 16, "Leave Secure Cookies Alone")
//! and, when the domain is over its quota, for its expired cookies and its
//! least recently used one (step 12). For the few cookies a domain holds
//! under the preset limits, a scan of the `Vec` is the fastest way to
//! answer. A domain that grows past [`INDEX_FROM`] cookies (custom limits:
//! a crawler's or a load test's jar) gets a [`BucketIndex`] as well, so that
//! a store into it costs O(log n) in its size instead of O(n): without one,
//! filling a domain with n cookies costs O(n^2). Small domains pay nothing
//! for the index they do not have.

use super::store::Id;
use std::collections::BTreeSet;
use time::UtcDateTime;

/// A domain holding more cookies than this is indexed. Below it, a scan is
/// at least as fast as the index's tree walks.
pub(crate) const INDEX_FROM: usize = 32;

/// The cookies of one registrable domain.
#[derive(Debug, Default)]
pub(crate) struct Bucket {
    /// Every id filed here, in no particular order (a removal swaps the
    /// last one into the hole; each entry knows its position).
    pub(crate) ids: Vec<Id>,
    /// Built once the bucket holds more than `INDEX_FROM` cookies, and kept
    /// until it empties.
    pub(crate) index: Option<Box<BucketIndex>>,
    /// The tick this bucket is filed under in the store's recency set: at
    /// most the access tick of each of its cookies (the least recently
    /// used one's, when last corrected).
    pub(crate) recorded_lru: u64,
}

/// What an indexed bucket files a cookie under.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Filing {
    /// A keyed hash of the name (see `Store::filing`).
    pub(crate) name: u32,
    /// A keyed hash of the domain and path.
    pub(crate) place: u32,
    pub(crate) secure: bool,
    /// The access tick the store last filed the entry under (possibly
    /// stale: lookups raise an entry's tick without re-filing it).
    pub(crate) recorded_access: u64,
    pub(crate) expiry: Option<UtcDateTime>,
}

/// Ordered views of a large bucket. Every cookie of the bucket is in
/// `names` and `eviction`, and in `expiries` if it has an expiry time.
#[derive(Debug, Default)]
pub(crate) struct BucketIndex {
    /// `(name hash, place hash, id)`: the cookies with one name are one
    /// range, and those with one name, domain and path a range within it.
    /// Hash collisions only widen a range; callers compare the strings.
    names: BTreeSet<(u32, u32, Id)>,
    /// `(secure-only, recorded access tick, id)`: the order step 12 evicts
    /// a domain's cookies in (non-`Secure` first, least recently used
    /// first). Ticks may be stale (lower than the entry's); the store
    /// corrects them lazily (`current_first_in_class` in `store.rs`).
    eviction: BTreeSet<(bool, u64, Id)>,
    /// `(expiry time, id)`: "expired cookies first" without a scan.
    expiries: BTreeSet<(UtcDateTime, Id)>,
}

impl BucketIndex {
    pub(crate) fn add(&mut self, id: Id, f: &Filing) {
        self.names.insert((f.name, f.place, id));
        self.eviction.insert((f.secure, f.recorded_access, id));
        if let Some(expiry) = f.expiry {
            self.expiries.insert((expiry, id));
        }
    }

    pub(crate) fn remove(&mut self, id: Id, f: &Filing) {
        self.names.remove(&(f.name, f.place, id));
        self.eviction.remove(&(f.secure, f.recorded_access, id));
        if let Some(expiry) = f.expiry {
            self.expiries.remove(&(expiry, id));
        }
    }

    /// The ids filed under this name hash.
    pub(crate) fn named(&self, name: u32) -> impl Iterator<Item = Id> + '_ {
        self.names
            .range((name, 0, 0)..=(name, u32::MAX, Id::MAX))
            .map(|&(_, _, id)| id)
    }

    /// The ids filed under this name hash and place hash.
    pub(crate) fn placed(&self, name: u32, place: u32) -> impl Iterator<Item = Id> + '_ {
        self.names
            .range((name, place, 0)..=(name, place, Id::MAX))
            .map(|&(_, _, id)| id)
    }

    /// The ids that have expired at `now` (RFC 6265 section 5.3: an expiry
    /// time at or before now).
    pub(crate) fn expired(&self, now: UtcDateTime) -> impl Iterator<Item = Id> + '_ {
        self.expiries.range(..=(now, Id::MAX)).map(|&(_, id)| id)
    }

    /// The first record of one `Secure` class in eviction order:
    /// `(tick, id)`.
    pub(crate) fn first_in_class(&self, secure: bool) -> Option<(u64, Id)> {
        let (class, tick, id) = *self.eviction.range((secure, 0, 0)..).next()?;
        (class == secure).then_some((tick, id))
    }

    /// Re-files an entry's eviction record under a new tick.
    pub(crate) fn refile_access(&mut self, id: Id, secure: bool, old: u64, new: u64) {
        self.eviction.remove(&(secure, old, id));
        self.eviction.insert((secure, new, id));
    }

    /// Re-files an entry whose `Secure` flag or expiry changed on
    /// replacement (its name, domain and path did not).
    pub(crate) fn refile_cookie(&mut self, id: Id, old: &Filing, new: &Filing) {
        if old.secure != new.secure {
            self.eviction.remove(&(old.secure, old.recorded_access, id));
            self.eviction.insert((new.secure, new.recorded_access, id));
        }
        if old.expiry != new.expiry {
            if let Some(expiry) = old.expiry {
                self.expiries.remove(&(expiry, id));
            }
            if let Some(expiry) = new.expiry {
                self.expiries.insert((expiry, id));
            }
        }
    }

    /// How many records each view holds (for the consistency checks).
    #[cfg(test)]
    pub(crate) fn sizes(&self) -> (usize, usize, usize) {
        (self.names.len(), self.eviction.len(), self.expiries.len())
    }

    #[cfg(test)]
    pub(crate) fn holds(&self, id: Id, f: &Filing) -> bool {
        self.names.contains(&(f.name, f.place, id))
            && self.eviction.contains(&(f.secure, f.recorded_access, id))
            && f.expiry.is_none_or(|e| self.expiries.contains(&(e, id)))
    }
}

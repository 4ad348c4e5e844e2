//! What a replica of the fleet jar (feature `redis`) needs from the jar:
//! its state as a list that another jar can rebuild with the same
//! relative orders (creation order for RFC 6265 section 5.4 step 2,
//! recency for section 5.3 step 12), so that every replica then makes the
//! same choices for the same stores.

use super::Jar;
use crate::cookie::Cookie;
use time::OffsetDateTime;

impl Jar {
    /// A jar whose lookups do not record last access (RFC 6265 section 5.4
    /// step 3): a replica's eviction order must depend only on the stores
    /// that every replica applies, not on its own process's lookups.
    pub(crate) fn without_access_records(mut self) -> Jar {
        self.record_access = false;
        self
    }

    /// Every cookie, least recently used first, each with its rank in
    /// creation order (0 for the earliest).
    pub(crate) fn replica_entries(&self) -> Vec<(&Cookie, u64)> {
        let mut entries: Vec<_> = self.store.entries().map(|(_, e)| e).collect();
        entries.sort_by_key(|e| (e.cookie.creation_time, e.creation_seq));
        let mut ranked: Vec<(&super::store::Entry, u64)> = entries.into_iter().zip(0..).collect();
        ranked.sort_by_key(|(e, _)| e.access());
        ranked
            .into_iter()
            .map(|(e, rank)| (&e.cookie, rank))
            .collect()
    }

    /// Rebuilds the state from [`Jar::replica_entries`] of a jar with the
    /// same configuration, into an empty jar: inserted least recently used
    /// first, with their creation ranks, and the clock moved past every
    /// rank so that later cookies are created after them.
    pub(crate) fn insert_replica_entries(&mut self, entries: Vec<(Cookie, u64)>) {
        let n = entries.len();
        for (cookie, rank) in entries {
            // No instant is expired at the epoch: a snapshot keeps what its
            // source still held, expired or not.
            let _ = self.insert_admitted(cookie, Some(rank), OffsetDateTime::UNIX_EPOCH);
        }
        let clock = self.reserve_creation_seqs(0);
        if (clock as usize) < n {
            self.reserve_creation_seqs(n - clock as usize);
        }
    }
}

impl super::RequestContext {
    /// The top-level page's origin as a URL (`https://host/`) that
    /// [`RequestContext::top_level`](super::RequestContext::top_level)
    /// reads back to the same site, if one was given.
    pub(crate) fn top_level_page(&self) -> Option<String> {
        // `TopLevel`'s Debug is `scheme://host`, its only public face.
        let top = format!("{:?}", self.top_level.as_ref()?);
        let (scheme, host) = top.split_once("://")?;
        Some(match host.contains(':') {
            true => format!("{scheme}://[{host}]/"),
            false => format!("{scheme}://{host}/"),
        })
    }
}

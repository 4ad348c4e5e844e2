//! What `SharedJar`'s shards need from a jar: the key a request or a
//! `Set-Cookie` is filed under (so that both go to the same shard), the
//! jar-wide least-recently-used candidate, and the state as a list that
//! another jar rebuilds with the same relative orders (creation order for
//! RFC 6265 section 5.4 step 2, recency for section 5.3 step 12).

use super::{host, Jar, Profile, Rejection, Request, RequestContext, Stored};
use crate::cookie::Cookie;
use crate::jar::events::{ChangeKind, Limit};
use crate::parse::SetCookie;
use time::OffsetDateTime;
use url::Url;

/// One cookie of a jar with its creation sequence number and its recency
/// tick (each comparable within its own jar only).
pub(crate) struct Ranked<'j> {
    pub(crate) cookie: &'j Cookie,
    pub(crate) key: &'j str,
    pub(crate) creation_seq: u64,
    pub(crate) access: u64,
}

impl Jar {
    /// An empty jar with this one's configuration and listener.
    pub(crate) fn empty_like(&self) -> Jar {
        Jar {
            store: Default::default(),
            limits: self.limits,
            profile: self.profile,
            psl: self.psl.clone(),
            listener: self.listener.clone(),
            record_access: self.record_access,
        }
    }

    /// This jar with another jar-wide cookie limit (a shard's is unlimited:
    /// the shared jar enforces it across shards).
    pub(crate) fn with_max_cookies(mut self, max_cookies: usize) -> Jar {
        self.limits.max_cookies = max_cookies;
        self
    }

    /// The bucket a lookup for `url` reads (RFC 6265 section 5.4 step 1
    /// reads one registrable domain's cookies); `None` without a host.
    pub(crate) fn lookup_key(&self, url: &Url) -> Option<String> {
        let request = Request::new(url)?;
        Some(self.request_key(&request).to_owned())
    }

    fn request_key<'r>(&self, request: &'r Request<'_>) -> &'r str {
        match request.is_ip {
            true => &request.host,
            false => host::registrable_domain_from_suffix(
                &request.host,
                self.psl.public_suffix(&request.host),
            ),
        }
    }

    /// RFC 6265 section 5.3 steps 1 to 10 for one `Set-Cookie`: the new
    /// cookie and the bucket it is filed under, or why there is none. With
    /// [`Jar::store_created`], what [`Jar::set_cookie_with`] does for every
    /// profile but RFC 2109 (whose headers may hold several cookies).
    pub(crate) fn create_for_store(
        &self,
        url: &Url,
        set_cookie: &str,
        context: RequestContext,
        now: OffsetDateTime,
    ) -> Result<(Cookie, String), Rejection> {
        let parsed = SetCookie::parse(set_cookie)?;
        let request = Request::new(url).ok_or(Rejection::NoHost)?;
        let (cookie, key_start) = self.create_cookie(&parsed, &request, &context, now)?;
        let key = cookie
            .domain
            .get(key_start..)
            .unwrap_or(&cookie.domain)
            .to_owned();
        Ok((cookie, key))
    }

    /// RFC 6265 section 5.3 steps 11 and 12 for a cookie from
    /// [`Jar::create_for_store`] (of a jar with the same rules).
    pub(crate) fn store_created(
        &mut self,
        cookie: Cookie,
        key: &str,
        url: &Url,
        context: RequestContext,
        now: OffsetDateTime,
    ) -> Result<Stored, Rejection> {
        let request = Request::new(url).ok_or(Rejection::NoHost)?;
        let key = self.store.key(key);
        self.store_cookie(cookie, key, &request, &context, now)
    }

    /// The cookie this jar would evict first for its jar-wide limit (RFC
    /// 6265 section 5.3 step 12: least recently used), as its last-access
    /// time: how the shards of a shared jar compare their candidates.
    pub(crate) fn lru_candidate(&mut self) -> Option<OffsetDateTime> {
        let id = self.store.lru_victim()?;
        Some(self.store.get(id)?.cookie.last_access_time())
    }

    /// Evicts [`Jar::lru_candidate`] for the jar-wide limit.
    pub(crate) fn evict_lru(&mut self) -> bool {
        let Some(id) = self.store.lru_victim() else {
            return false;
        };
        match self.store.remove(id) {
            Some(entry) => {
                self.emit(ChangeKind::Evicted(Limit::Total), &entry.cookie);
                true
            }
            None => false,
        }
    }

    /// Every cookie with its bucket, creation sequence and recency tick,
    /// least recently used first.
    pub(crate) fn ranked(&self) -> Vec<Ranked<'_>> {
        let mut all: Vec<Ranked<'_>> = self
            .store
            .entries()
            .map(|(_, e)| Ranked {
                cookie: &e.cookie,
                key: &e.key,
                creation_seq: e.creation_seq,
                access: e.access(),
            })
            .collect();
        all.sort_by_key(|r| r.access);
        all
    }

    /// Rebuilds a state into this empty jar: `entries` least recently used
    /// first, each with its rank in creation order; the clock is moved past
    /// every rank so that later cookies are created after them. No events.
    pub(crate) fn insert_ranked(&mut self, entries: Vec<(Cookie, u64)>) {
        let listener = self.listener.take();
        let next_rank = entries.iter().map(|(_, rank)| rank + 1).max().unwrap_or(0);
        for (cookie, rank) in entries {
            // No instant is expired at the epoch: a rebuilt state keeps
            // what its source still held, expired or not.
            let _ = self.insert_admitted(cookie, Some(rank), OffsetDateTime::UNIX_EPOCH);
        }
        let clock = self.reserve_creation_seqs(0);
        if clock < next_rank {
            self.reserve_creation_seqs((next_rank - clock) as usize);
        }
        self.listener = listener;
    }
}

impl Jar {
    /// Whether a `Set-Cookie` may hold several cookies (RFC 2109 section
    /// 4.2.2), so that it cannot be created before its shard is known.
    pub(crate) fn stores_cookie_lists(&self) -> bool {
        self.profile == Profile::Rfc2109
    }
}

/// Each of `ranked`'s cookies' rank in creation order (0 for the
/// earliest; RFC 6265 section 5.4 step 2's order), given in `ranked`'s
/// order: what a shard or a replica needs to rebuild the same order.
pub(crate) fn creation_ranks(ranked: &[Ranked<'_>]) -> Vec<u64> {
    let mut by_creation: Vec<(usize, (OffsetDateTime, u64))> = ranked
        .iter()
        .enumerate()
        .map(|(i, r)| (i, (r.cookie.creation_time, r.creation_seq)))
        .collect();
    by_creation.sort_by_key(|&(_, key)| key);
    let mut rank: Vec<(usize, u64)> = by_creation
        .into_iter()
        .zip(0..)
        .map(|((i, _), n)| (i, n))
        .collect();
    rank.sort_unstable();
    rank.into_iter().map(|(_, n)| n).collect()
}

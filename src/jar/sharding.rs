//! What `SharedJar`'s shards need from a jar: the key a request or a
//! `Set-Cookie` is filed under (so that both go to the same shard), the
//! jar-wide least-recently-used candidate, and the state as a list that
//! another jar rebuilds with the same relative orders (creation order for
//! RFC 6265 section 5.4 step 2, recency for section 5.3 step 12).

use super::{Jar, Profile, Rejection, Request, RequestContext, Stored};
use crate::cookie::{Cookie, NewCookie};
use crate::jar::events::{ChangeKind, Limit};
use crate::parse::SetCookie;
use time::{OffsetDateTime, UtcDateTime};
use url::Url;

/// A request and the bucket its cookies are filed under, found once by
/// [`Jar::route`]: a shared jar needs the bucket to choose the shard, and
/// hands it to the shard's jar instead of that jar finding it again (a
/// second public suffix lookup).
pub(crate) struct Route<'u> {
    request: Request<'u>,
    /// The bucket is a suffix of the host (its registrable domain, or all
    /// of it): where it starts.
    key_start: usize,
}

impl Route<'_> {
    /// The bucket a lookup reads.
    pub(crate) fn key(&self) -> &str {
        self.request
            .host
            .get(self.key_start..)
            .unwrap_or(&self.request.host)
    }
}

/// A cookie created for a store ([`Jar::create_for_store`]), with its
/// request and its bucket, before its shard is locked.
pub(crate) struct Created<'u> {
    cookie: Cookie,
    /// The bucket is a suffix of the cookie's domain: where it starts.
    key_start: usize,
    request: Request<'u>,
}

impl Created<'_> {
    /// The bucket the cookie is filed under.
    pub(crate) fn key(&self) -> &str {
        self.cookie
            .domain
            .get(self.key_start..)
            .unwrap_or(&self.cookie.domain)
    }
}

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

    /// The request to `url` and the bucket a lookup for it reads (RFC 6265
    /// section 5.4 step 1 reads one registrable domain's cookies); `None`
    /// without a host. [`Jar::write_routed_header`] (of a jar with the
    /// same list) answers it without finding the bucket again.
    pub(crate) fn route<'u>(&self, url: &'u Url) -> Option<Route<'u>> {
        let request = Request::new(url)?;
        let key_start = request.host.len() - self.bucket_key(&request).len();
        Some(Route { request, key_start })
    }

    /// The bucket a lookup for `url` reads, owned (the fleet jar keys its
    /// copies of sites with pending stores by it).
    #[cfg(feature = "redis")]
    pub(crate) fn lookup_key(&self, url: &Url) -> Option<String> {
        self.route(url).map(|route| route.key().to_owned())
    }

    /// [`Jar::write_cookie_header_with`] for a request from
    /// [`Jar::route`].
    pub(crate) fn write_routed_header(
        &self,
        route: &Route<'_>,
        context: RequestContext,
        now: OffsetDateTime,
        header: &mut String,
    ) -> usize {
        header.clear();
        self.write_header_in(&route.request, route.key(), &context, now, header)
    }

    /// RFC 6265 section 5.3 steps 1 to 10 for one `Set-Cookie`: the new
    /// cookie and the bucket it is filed under, or why there is none. With
    /// [`Jar::store_created`], what [`Jar::set_cookie_with`] does for every
    /// profile but RFC 2109 (whose headers may hold several cookies).
    pub(crate) fn create_for_store<'u>(
        &self,
        url: &'u Url,
        set_cookie: &str,
        context: RequestContext,
        now: OffsetDateTime,
    ) -> Result<Created<'u>, Rejection> {
        let parsed = SetCookie::parse(set_cookie)?;
        let request = Request::new(url).ok_or(Rejection::NoHost)?;
        let (cookie, key_start) = self.create_cookie(&parsed, &request, &context, now)?;
        Ok(Created {
            cookie: cookie.into_cookie(),
            key_start,
            request,
        })
    }

    /// RFC 6265 section 5.3 steps 11 and 12 for a cookie from
    /// [`Jar::create_for_store`] (of a jar with the same rules).
    pub(crate) fn store_created(
        &mut self,
        created: Created<'_>,
        context: RequestContext,
        now: OffsetDateTime,
    ) -> Result<Stored, Rejection> {
        let key = self.store.key(created.key());
        let Created {
            cookie, request, ..
        } = created;
        self.store_cookie(NewCookie::from(cookie), key, &request, &context, now)
    }

    /// Whether storing `created` may add a cookie to this jar: it replaces
    /// none (RFC 6265 section 5.3 step 11), so it is inserted, unless it is
    /// refused or already expired. A replacement or a deletion never adds
    /// one.
    pub(crate) fn may_add(&self, created: &Created<'_>) -> bool {
        let c = &created.cookie;
        let place = (&*c.name, &*c.domain, &*c.path);
        self.same_cookie(created.key(), place, c).is_none()
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
                key: e.key(),
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
    /// 4.2.2), each of which may go to its own shard.
    pub(crate) fn stores_cookie_lists(&self) -> bool {
        self.profile == Profile::Rfc2109
    }

    /// The cookies of one `Set-Cookie` header as
    /// [`Jar::set_cookie_list_with`] stores them, one by one; or the
    /// refusal of the whole header.
    pub(crate) fn cookies_of<'h>(&self, header: &'h str) -> Result<Vec<&'h str>, Rejection> {
        if self.profile != Profile::Rfc2109 {
            return Ok(vec![header]);
        }
        self.cookie_list(header)
    }
}

/// The one result of a header of several cookies (as
/// [`Jar::set_cookie_with`] gives it).
pub(crate) fn combined(results: Vec<Result<Stored, Rejection>>) -> Result<Stored, Rejection> {
    super::rfc2109::combined(results)
}

/// Each of `ranked`'s cookies' rank in creation order (0 for the
/// earliest; RFC 6265 section 5.4 step 2's order), given in `ranked`'s
/// order: what a shard or a replica needs to rebuild the same order.
pub(crate) fn creation_ranks(ranked: &[Ranked<'_>]) -> Vec<u64> {
    let mut by_creation: Vec<(usize, (UtcDateTime, u64))> = ranked
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

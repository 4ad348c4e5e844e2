//! What a replica of the fleet jar (feature `redis`) needs from the jar:
//! its state as a list that another jar can rebuild with the same
//! relative orders (creation order for RFC 6265 section 5.4 step 2,
//! recency for section 5.3 step 12), so that every replica then makes the
//! same choices for the same stores.

use super::{Jar, JarBuilder};
use crate::cookie::Cookie;

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
        let ranked = self.ranked();
        let rank = super::sharding::creation_ranks(&ranked);
        ranked
            .iter()
            .zip(rank)
            .map(|(r, n)| (r.cookie, n))
            .collect()
    }
}

impl Jar {
    /// A copy of one site's cookies of this replica, built by `config` (the
    /// same limits, profile and list), in the same relative orders, so that
    /// the copy answers that site's next stores and lookups as this jar
    /// would. The site's cookies are those filed under
    /// `key`, the registrable domain (or IP address) that
    /// [`Jar::lookup_key`] gives for the site's URLs, which are all the
    /// cookies a lookup there can match (RFC 6265 section 5.4 step 1).
    pub(crate) fn replica_site_copy(&self, config: JarBuilder, key: &str) -> Jar {
        let ranked: Vec<_> = self.ranked().into_iter().filter(|r| r.key == key).collect();
        let rank = super::sharding::creation_ranks(&ranked);
        let entries = ranked
            .iter()
            .zip(rank)
            .map(|(r, n)| (r.cookie.clone(), n))
            .collect();
        let mut copy = config.build().without_access_records();
        copy.insert_ranked(entries);
        copy
    }
}

impl JarBuilder {
    /// The same configuration without the change listener: for copies
    /// whose changes are not the jar's own (a fleet process's view).
    pub(crate) fn quiet(mut self) -> JarBuilder {
        self.listener = None;
        self
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

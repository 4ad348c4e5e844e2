//! CHIPS, partitioned cookies (draft-cutler-httpbis-partitioned-cookies,
//! as Chromium and Firefox ship it): a cookie set with `Partitioned` is
//! filed under the top-level site of the page the request was made for,
//! its partition key, and is sent only to requests made for that same
//! top-level site. The key is part of the cookie's identity: one site
//! embedded under two top-level sites holds two cookies of one name.
//!
//! The top-level site is named by [`RequestContext::top_level`]; without
//! one it is the request's own site, which is what a crawler's top-level
//! requests are. A site is written as Chromium writes it
//! (`https://example.com`): the scheme, then the registrable domain of the
//! host (the host itself for an IP address or a host with no registrable
//! domain).

use super::{host, Jar, Request, RequestContext};
use crate::cookie::Cookie;
use url::Url;

/// The longest host a [`TopLevel`] holds (RFC 1035 section 2.3.4: 253
/// characters for a name, written without its final dot).
const MAX_HOST: usize = 253;

/// The top-level page's scheme and canonical host, held inline so that
/// [`RequestContext`] stays `Copy`.
#[derive(Clone, Copy, PartialEq, Eq, Hash)]
pub(crate) struct TopLevel {
    secure_scheme: bool,
    len: u8,
    host: [u8; MAX_HOST],
}

impl std::fmt::Debug for TopLevel {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{}://{}", self.scheme(), self.host())
    }
}

impl TopLevel {
    /// The top level of `url`, or `None` for a URL without a host (or with
    /// a host longer than any domain name).
    pub(crate) fn of(url: &Url) -> Option<TopLevel> {
        let (canonical, _) = host::canonical_request_host(url)?;
        let bytes = canonical.as_bytes();
        let mut top = TopLevel {
            secure_scheme: matches!(url.scheme(), "https" | "wss"),
            len: u8::try_from(bytes.len())
                .ok()
                .filter(|&n| n as usize <= MAX_HOST)?,
            host: [0; MAX_HOST],
        };
        top.host.get_mut(..bytes.len())?.copy_from_slice(bytes);
        Some(top)
    }

    fn host(&self) -> &str {
        let bytes = self.host.get(..self.len as usize).unwrap_or_default();
        std::str::from_utf8(bytes).unwrap_or_default()
    }

    fn scheme(&self) -> &'static str {
        match self.secure_scheme {
            true => "https",
            false => "http",
        }
    }
}

impl Jar {
    /// The site `scheme://registrable-domain` of a scheme and host.
    fn site(&self, secure_scheme: bool, host: &str) -> String {
        let domain = match host::is_ip(host) {
            true => host,
            false => host::registrable_domain(self.psl.as_ref(), host),
        };
        let scheme = if secure_scheme { "https" } else { "http" };
        format!("{scheme}://{domain}")
    }

    /// The partition key of a request: its context's top-level site, or
    /// the request's own site.
    pub(super) fn partition_key(&self, request: &Request<'_>, context: &RequestContext) -> String {
        match &context.top_level {
            Some(top) => self.site(top.secure_scheme, top.host()),
            None => self.site(
                matches!(request.url.scheme(), "https" | "wss"),
                &request.host,
            ),
        }
    }

    /// The partition key a cookie loaded without one is given: the site of
    /// its own domain, as if it had been set by a top-level request to it.
    pub(super) fn own_partition_key(&self, c: &Cookie) -> String {
        self.site(c.secure_only, &c.domain)
    }

    /// Whether a partitioned cookie belongs to the request's partition
    /// (an unpartitioned one belongs to every partition).
    pub(super) fn in_partition(
        &self,
        c: &Cookie,
        request: &Request<'_>,
        context: &RequestContext,
    ) -> bool {
        match &c.partition_key {
            None => true,
            Some(key) => ***key == *self.partition_key(request, context),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_top_level_holds_the_canonical_host() {
        let url = Url::parse("https://WWW.Example.COM/x").expect("a URL");
        let top = TopLevel::of(&url).expect("a top level");
        assert_eq!(format!("{top:?}"), "https://www.example.com");
        let data = Url::parse("data:text/plain,x").expect("a URL");
        assert!(TopLevel::of(&data).is_none());
    }

    #[test]
    fn a_site_is_scheme_and_registrable_domain() {
        let jar = Jar::new();
        assert_eq!(jar.site(true, "a.b.example.co.uk"), "https://example.co.uk");
        assert_eq!(jar.site(false, "127.0.0.1"), "http://127.0.0.1");
        assert_eq!(jar.site(true, "localhost"), "https://localhost");
    }
}

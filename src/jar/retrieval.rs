//! RFC 6265 section 5.4, the `Cookie` header (with RFC 6265bis section
//! 5.8.3): which cookies a request carries, in which order, and why the
//! others are not sent.

use super::store::{self, Id};
use super::{
    host, path_match, rfc2109, Exclusion, Explained, Jar, Profile, Request, RequestContext,
};
use crate::cookie::Cookie;
use crate::parse::SameSite;
use time::OffsetDateTime;
use url::Url;

impl Jar {
    /// The `Cookie` header for a request to `url` over HTTP in a same-site
    /// context at `now`, or `None` if no cookie applies (RFC 6265 section
    /// 5.4). Cookies are in RFC order: longer paths first, then earlier
    /// creation times.
    pub fn cookie_header_at(&self, url: &Url, now: OffsetDateTime) -> Option<String> {
        self.cookie_header_with(url, RequestContext::default(), now)
    }

    /// [`Jar::cookie_header_at`] at the system clock's time.
    pub fn cookie_header(&self, url: &Url) -> Option<String> {
        self.cookie_header_at(url, OffsetDateTime::now_utc())
    }

    /// The `Cookie` header for a request with an explicit context.
    ///
    /// At most [`Limits::max_header_bytes`](super::Limits::max_header_bytes) long: a cookie that would not
    /// fit is left out (see [the header cap](super::Limits#the-cookie-header-cap)).
    pub fn cookie_header_with(
        &self,
        url: &Url,
        context: RequestContext,
        now: OffsetDateTime,
    ) -> Option<String> {
        let request = Request::new(url)?;
        let mut ids = self.matching(&request, context, now);
        let (header, _) = self.write_header(&mut ids);
        // Step 3: update the last-access-time of the cookies sent.
        if self.record_access {
            self.store.touch_all(&ids, now);
        }
        (!ids.is_empty()).then_some(header)
    }

    /// RFC 6265 section 5.4 step 4: the header for the cookies `ids`, in
    /// order, within `max_header_bytes`. Leaves in `ids` the cookies sent,
    /// and returns the header and the ids left out for want of room.
    pub(super) fn write_header(&self, ids: &mut Vec<Id>) -> (String, Vec<Id>) {
        let rfc2109 = self.profile == Profile::Rfc2109;
        let limit = self.limits.max_header_bytes;
        let mut header = String::new();
        let header_version = |ids: &[Id]| {
            let cookies = ids.iter().filter_map(|&id| self.store.get(id));
            rfc2109::header_version(cookies.map(|e| &e.cookie))
        };
        let mut version = 0;
        if rfc2109 && !ids.is_empty() {
            // RFC 2109 section 4.3.4.
            version = header_version(ids);
            rfc2109::write_version(&mut header, version);
        }
        let mut left_out = Vec::new();
        // `retain` visits the ids once each, in order.
        ids.retain(|&id| {
            let Some(entry) = self.store.get(id) else {
                return false;
            };
            let c = &entry.cookie;
            let before = header.len();
            if !header.is_empty() {
                header.push_str("; ");
            }
            // RFC 6265bis: a nameless cookie is sent as its value.
            if !c.name.is_empty() {
                header.push_str(&c.name);
                header.push('=');
            }
            header.push_str(&c.value);
            if rfc2109 {
                rfc2109::write_attributes(&mut header, c);
            }
            // Never a cut cookie: the whole pair, or nothing of it.
            let fits = header.len() <= limit;
            if !fits {
                header.truncate(before);
                left_out.push(id);
            }
            fits
        });
        if rfc2109 && !left_out.is_empty() && !ids.is_empty() {
            // The version of the cookies sent, not of those left out.
            rfc2109::rewrite_version(&mut header, version, header_version(ids));
        }
        (header, left_out)
    }

    /// RFC 6265 section 5.4 steps 1 and 2: the cookies to send, in order.
    pub(super) fn matching(
        &self,
        request: &Request<'_>,
        context: RequestContext,
        now: OffsetDateTime,
    ) -> Vec<Id> {
        let key = match request.is_ip {
            true => &*request.host,
            false => host::registrable_domain_from_suffix(
                &request.host,
                self.psl.public_suffix(&request.host),
            ),
        };
        let mut sent: Vec<(Id, &store::Entry)> = self
            .store
            .bucket_entries(key)
            .filter(|(_, e)| self.exclusion(&e.cookie, request, context, now).is_none())
            .collect();
        sent.sort_by(|(_, a), (_, b)| {
            b.cookie
                .path
                .len()
                .cmp(&a.cookie.path.len())
                .then(a.cookie.creation_time.cmp(&b.cookie.creation_time))
                .then(a.creation_seq.cmp(&b.creation_seq))
        });
        sent.into_iter().map(|(id, _)| id).collect()
    }

    /// Why a cookie is not sent with a request, or `None` if it is.
    pub(super) fn exclusion(
        &self,
        c: &Cookie,
        request: &Request<'_>,
        context: RequestContext,
        now: OffsetDateTime,
    ) -> Option<Exclusion> {
        if c.host_only && *c.domain != *request.host {
            return Some(Exclusion::HostOnly);
        }
        if !c.host_only && !host::domain_match(&request.host, &c.domain) {
            return Some(Exclusion::DomainMismatch);
        }
        // RFC 2109 section 4.3.4: its own domain-match and path prefix.
        let rfc2109 = self.profile == Profile::Rfc2109;
        if rfc2109 && !rfc2109::domain_selected(c, request) {
            return Some(Exclusion::DomainMismatch);
        }
        let path_selected = match rfc2109 {
            true => rfc2109::path_selected(request.path(), &c.path),
            false => path_match(request.path(), &c.path),
        };
        if !path_selected {
            return Some(Exclusion::PathMismatch);
        }
        if c.secure_only && !request.secure {
            return Some(Exclusion::SecureOnly);
        }
        if c.http_only && !context.http_api {
            return Some(Exclusion::HttpOnly);
        }
        if c.is_expired_at(now) {
            return Some(Exclusion::Expired);
        }
        if c.partition_key.is_some() && !self.in_partition(c, request, &context) {
            return Some(Exclusion::OtherPartition);
        }
        // RFC 6265bis section 5.8.3 step 1: SameSite. "Default" is sent like
        // "None": a programmatic client has no browsing context to be
        // lax by default for.
        if context.cross_site {
            match c.same_site {
                Some(SameSite::Strict) => return Some(Exclusion::SameSiteStrict),
                Some(SameSite::Lax) if !context.top_level_safe_navigation => {
                    return Some(Exclusion::SameSiteLax)
                }
                _ => {}
            }
        }
        None
    }

    /// Every stored cookie that could concern `url` (those filed under its
    /// registrable domain), each with whether it is sent over HTTP in a
    /// same-site context at `now`, and if not, why. Sent cookies come first,
    /// in header order.
    ///
    /// ```
    /// use cookiejar::{Exclusion, Jar};
    /// use url::Url;
    ///
    /// let mut jar = Jar::new();
    /// let now = time::OffsetDateTime::now_utc();
    /// let https = Url::parse("https://example.com/account/")?;
    /// jar.set_cookie_at(&https, "sid=1; Secure", now).unwrap();
    /// jar.set_cookie_at(&https, "tab=2", now).unwrap();
    ///
    /// let http = Url::parse("http://example.com/")?;
    /// let why: Vec<_> = jar.explain_at(&http, now).iter().map(|e| (e.cookie.name(), e.exclusion)).collect();
    /// assert_eq!(why, [("sid", Some(Exclusion::PathMismatch)), ("tab", Some(Exclusion::PathMismatch))]);
    /// # Ok::<(), url::ParseError>(())
    /// ```
    pub fn explain_at(&self, url: &Url, now: OffsetDateTime) -> Vec<Explained<'_>> {
        self.explain_with(url, RequestContext::default(), now)
    }

    /// [`Jar::explain_at`] at the system clock's time.
    pub fn explain(&self, url: &Url) -> Vec<Explained<'_>> {
        self.explain_at(url, OffsetDateTime::now_utc())
    }

    /// [`Jar::explain_at`] with an explicit context. Does not count as an
    /// access: last-access times are left alone.
    pub fn explain_with(
        &self,
        url: &Url,
        context: RequestContext,
        now: OffsetDateTime,
    ) -> Vec<Explained<'_>> {
        let Some(request) = Request::new(url) else {
            return Vec::new();
        };
        let mut sent = self.matching(&request, context, now);
        let (_, mut left_out) = self.write_header(&mut sent);
        left_out.sort_unstable();
        let key = match request.is_ip {
            true => &*request.host,
            false => host::registrable_domain_from_suffix(
                &request.host,
                self.psl.public_suffix(&request.host),
            ),
        };
        let mut out: Vec<Explained<'_>> = sent
            .iter()
            .filter_map(|&id| {
                Some(Explained {
                    cookie: &self.store.get(id)?.cookie,
                    exclusion: None,
                })
            })
            .collect();
        let mut excluded: Vec<Explained<'_>> = self
            .store
            .bucket_entries(key)
            .filter_map(|(id, e)| {
                let exclusion = match self.exclusion(&e.cookie, &request, context, now) {
                    Some(exclusion) => exclusion,
                    None if left_out.binary_search(&id).is_ok() => Exclusion::HeaderFull,
                    None => return None,
                };
                Some(Explained {
                    cookie: &e.cookie,
                    exclusion: Some(exclusion),
                })
            })
            .collect();
        excluded.sort_by(|a, b| {
            (a.cookie.name(), a.cookie.path()).cmp(&(b.cookie.name(), b.cookie.path()))
        });
        out.append(&mut excluded);
        out
    }
}

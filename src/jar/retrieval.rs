//! RFC 6265 section 5.4, the `Cookie` header (with RFC 6265bis section
//! 5.8.3): which cookies a request carries, in which order, and why the
//! others are not sent.

use super::store::{self, Id};
use super::{
    host, path_match, rfc2109, Exclusion, Explained, Jar, Profile, Request, RequestContext,
};
use crate::cookie::{utc, Cookie};
use crate::parse::SameSite;
use std::cell::RefCell;
use std::thread::LocalKey;
use time::{OffsetDateTime, UtcDateTime};
use url::Url;

thread_local! {
    /// The matching cookies of the lookup in progress on this thread,
    /// kept between lookups so that a lookup allocates no list of them.
    static SENT: RefCell<Vec<SortKey>> = const { RefCell::new(Vec::new()) };
    /// The same for the common case, keys packed in one integer.
    static SENT_PACKED: RefCell<Vec<u128>> = const { RefCell::new(Vec::new()) };
}

/// What a lookup sorts the matching cookies by, and finds each one again
/// with.
trait SentKey: Ord + Copy {
    fn id(&self) -> Id;
}

impl SentKey for SortKey {
    fn id(&self) -> Id {
        self.id
    }
}

/// The order of [`SortKey`] packed in one `u128`, for when the creation
/// sequence follows creation time ([`store::Store::creation_follows_seq`]),
/// so that no instant is converted: the path length inverted in the top 32 bits,
/// the creation sequence number in the next 64 and the id in the low 32.
/// Half the size of a `SortKey`, and one comparison of two words, which
/// is most of what sorting a lookup's few cookies costs.
impl SentKey for u128 {
    fn id(&self) -> Id {
        *self as Id
    }
}

fn packed_key(id: Id, e: &store::Entry) -> u128 {
    u128::from(shorter_path(e)) << 96 | u128::from(e.creation_seq) << 32 | u128::from(id)
}

/// The path length inverted, so that longer paths sort first.
fn shorter_path(e: &store::Entry) -> u32 {
    u32::MAX - u32::try_from(e.cookie.path.len()).unwrap_or(u32::MAX)
}

/// `f` with this thread's scratch list from `cell`, or with a new one
/// should the list be in use further up this thread's stack.
fn with_scratch<K, R>(
    cell: &'static LocalKey<RefCell<Vec<K>>>,
    f: impl FnOnce(&mut Vec<K>) -> R,
) -> R {
    cell.with(|list| match list.try_borrow_mut() {
        Ok(mut list) => f(&mut list),
        Err(_) => f(&mut Vec::new()),
    })
}

/// A matching cookie in RFC 6265 section 5.4 step 2 order: longer paths
/// first, then earlier creation times, then the order of creation within
/// one instant. `order` packs the first two in one integer, so that the
/// sort compares no instants: the path length inverted in the top 32 bits,
/// the creation time in Unix nanoseconds, offset to be unsigned, in the
/// low 96 (`time` spans at most ±999,999 years, under 2^75 nanoseconds).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
struct SortKey {
    order: u128,
    creation_seq: u64,
    id: Id,
}

impl SortKey {
    fn new(id: Id, e: &store::Entry) -> SortKey {
        let nanos = e.cookie.creation_time.unix_timestamp_nanos();
        let since_start = (nanos + (1 << 95)) as u128 & ((1 << 96) - 1);
        SortKey {
            order: u128::from(shorter_path(e)) << 96 | since_start,
            creation_seq: e.creation_seq,
            id,
        }
    }
}

impl Jar {
    /// The `Cookie` header for a request to `url` over HTTP in a same-site
    /// context at `now`, or `None` if no cookie applies (RFC 6265 section
    /// 5.4). Cookies are in RFC order: longer paths first, then earlier
    /// creation times.
    pub fn cookie_header_at(&self, url: &Url, now: OffsetDateTime) -> Option<String> {
        self.cookie_header_with(url, RequestContext::default(), now)
    }

    /// [`Jar::write_cookie_header_with`] over HTTP in a same-site context:
    /// [`Jar::cookie_header_at`] into a reused buffer.
    pub fn write_cookie_header_at(
        &self,
        url: &Url,
        now: OffsetDateTime,
        header: &mut String,
    ) -> usize {
        self.write_cookie_header_with(url, RequestContext::default(), now, header)
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
        let mut header = String::new();
        let sent = self.write_cookie_header_with(url, context, now, &mut header);
        (sent > 0).then_some(header)
    }

    /// [`Jar::cookie_header_with`] into a caller's buffer, for clients that
    /// send many requests: `header` is cleared, then holds the header value
    /// (empty if no cookie applies), and keeps its capacity for the next
    /// request, so a lookup into a buffer that has grown to its usual size
    /// allocates nothing. Returns how many cookies the header holds.
    ///
    /// ```
    /// use cookiejar::{Jar, RequestContext};
    /// use url::Url;
    ///
    /// let mut jar = Jar::new();
    /// let now = time::OffsetDateTime::now_utc();
    /// let url = Url::parse("https://example.com/")?;
    /// jar.set_cookie_at(&url, "sid=1", now).unwrap();
    /// let mut header = String::new();
    /// for _ in 0..3 {
    ///     let sent = jar.write_cookie_header_with(&url, RequestContext::default(), now, &mut header);
    ///     assert_eq!((sent, header.as_str()), (1, "sid=1"));
    /// }
    /// # Ok::<(), url::ParseError>(())
    /// ```
    pub fn write_cookie_header_with(
        &self,
        url: &Url,
        context: RequestContext,
        now: OffsetDateTime,
        header: &mut String,
    ) -> usize {
        header.clear();
        let Some(request) = Request::new(url) else {
            return 0;
        };
        let key = self.bucket_key(&request);
        self.write_header_in(&request, key, &context, now, header)
    }

    /// [`Jar::write_cookie_header_with`] for a request whose bucket `key`
    /// is known (a shared jar found it to choose the shard), into a
    /// cleared `header`.
    pub(super) fn write_header_in(
        &self,
        request: &Request<'_>,
        key: &str,
        context: &RequestContext,
        now: OffsetDateTime,
        header: &mut String,
    ) -> usize {
        if self.profile == Profile::Rfc2109 {
            // RFC 2109 section 4.3.4 adds `$Version` and attributes.
            let mut ids = self.matching_in(request, key, context, now);
            let (written, _) = self.write_header(&mut ids);
            header.push_str(&written);
            if self.record_access {
                self.store.touch_all(&ids, now);
            }
            return ids.len();
        }
        if self.store.creation_follows_seq() {
            return with_scratch(&SENT_PACKED, |sent| {
                self.write_matching(request, key, context, now, header, sent, packed_key)
            });
        }
        with_scratch(&SENT, |sent| {
            self.write_matching(request, key, context, now, header, sent, SortKey::new)
        })
    }

    /// Steps 1 to 4 for every profile but RFC 2109's: the cookies of the
    /// request's bucket `key` that match it (step 1), in order (step 2),
    /// written into `header` within `max_header_bytes` (step 4) and touched
    /// (step 3). `sent` is scratch space, reused between lookups.
    #[allow(clippy::too_many_arguments)]
    fn write_matching<K: SentKey>(
        &self,
        request: &Request<'_>,
        key: &str,
        context: &RequestContext,
        now: OffsetDateTime,
        header: &mut String,
        sent: &mut Vec<K>,
        sort_key: fn(Id, &store::Entry) -> K,
    ) -> usize {
        sent.clear();
        let mut bytes = 0;
        let now_utc = utc(now);
        for (id, e) in self.store.bucket_entries(key) {
            let c = &e.cookie;
            if self.exclusion(c, request, context, now_utc).is_none() {
                bytes += c.name.len() + c.value.len() + 3;
                sent.push(sort_key(id, e));
            }
        }
        // Step 2: longer paths first, then earlier creation times (then
        // the order of creation within one instant). The keys are distinct
        // (the id is last), so an unstable sort gives one order.
        sent.sort_unstable();
        let limit = self.limits.max_header_bytes;
        header.reserve(bytes.min(limit));
        // One step of the shared clock for all the ticks (none for a jar
        // that does not record access: its clock moves only on stores).
        let first = match self.record_access {
            true => self.store.reserve_seqs(sent.len()),
            false => 0,
        };
        let now_nanos = crate::cookie::to_nanos(now);
        let mut count = 0;
        for key in sent.iter() {
            let Some(entry) = self.store.get(key.id()) else {
                continue;
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
            // Never a cut cookie: the whole pair, or nothing of it.
            if header.len() > limit {
                header.truncate(before);
                continue;
            }
            // Step 3: the last-access-time of the cookies sent.
            if self.record_access {
                self.store.touch(entry, first + count, now_nanos);
            }
            count += 1;
        }
        count as usize
    }

    /// The bucket a request's cookies are filed under: its registrable
    /// domain, or its IP address.
    pub(super) fn bucket_key<'r>(&self, request: &'r Request<'_>) -> &'r str {
        match request.is_ip {
            true => &request.host,
            false => host::registrable_domain_from_suffix(
                &request.host,
                self.psl.public_suffix(&request.host),
            ),
        }
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
        context: &RequestContext,
        now: OffsetDateTime,
    ) -> Vec<Id> {
        self.matching_in(request, self.bucket_key(request), context, now)
    }

    /// [`Jar::matching`] for a request whose bucket `key` is known.
    fn matching_in(
        &self,
        request: &Request<'_>,
        key: &str,
        context: &RequestContext,
        now: OffsetDateTime,
    ) -> Vec<Id> {
        let now = utc(now);
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
    /// Inlined: a lookup asks it of every cookie in the bucket.
    #[inline(always)]
    pub(super) fn exclusion(
        &self,
        c: &Cookie,
        request: &Request<'_>,
        context: &RequestContext,
        now: UtcDateTime,
    ) -> Option<Exclusion> {
        if c.host_only && *c.domain != *request.host {
            return Some(Exclusion::HostOnly);
        }
        if !c.host_only && !host::domain_match_known(&request.host, request.ip_literal, &c.domain) {
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
        if c.expired_at(now) {
            return Some(Exclusion::Expired);
        }
        if c.partition_key.is_some() && !self.in_partition(c, request, context) {
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
        let mut sent = self.matching(&request, &context, now);
        let (_, mut left_out) = self.write_header(&mut sent);
        left_out.sort_unstable();
        let key = self.bucket_key(&request);
        let now = utc(now);
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
                let exclusion = match self.exclusion(&e.cookie, &request, &context, now) {
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

#[cfg(test)]
mod tests {
    use super::*;
    use crate::jar::Limits;
    use proptest::prelude::*;
    use time::macros::datetime;

    const NOW: OffsetDateTime = datetime!(2026-01-01 0:00 UTC);

    /// A `Set-Cookie` for one of few names, domains and paths, so that
    /// matches, replacements and path orders all occur.
    fn set_cookie() -> impl Strategy<Value = (usize, String, i64)> {
        (
            0..4usize,
            "[a-c]{0,2}",
            "[a-z0-9]{0,12}",
            prop::sample::select(vec!["", "; Domain=example.com", "; Domain=a.example.com"]),
            prop::sample::select(vec![
                "",
                "; Path=/",
                "; Path=/a",
                "; Path=/a/b",
                "; Path=/b",
            ]),
            prop::sample::select(vec![
                "",
                "; Secure",
                "; HttpOnly",
                "; Max-Age=0",
                "; Max-Age=60",
            ]),
            prop::sample::select(vec!["", "; SameSite=Lax", "; SameSite=Strict"]),
            0..3i64,
        )
            .prop_map(
                |(host, name, value, domain, path, flag, same_site, minute)| {
                    (
                        host,
                        format!("{name}={value}{domain}{path}{flag}{same_site}"),
                        minute,
                    )
                },
            )
    }

    const HOSTS: [&str; 4] = [
        "https://example.com/a/b",
        "http://a.example.com/a",
        "https://b.a.example.com/",
        "http://127.0.0.1/a/b/c",
    ];

    proptest! {
        /// The lookup into a buffer equals the general path that `explain`
        /// uses (match, sort by path and creation, write within the cap).
        #[test]
        fn buffered_lookup_equals_the_general_path(
            cookies in prop::collection::vec(set_cookie(), 0..40),
            request in 0..4usize,
            cap in prop::sample::select(vec![20usize, 60, 8190]),
            cross_site in any::<bool>(),
            http_api in any::<bool>(),
            later in 0..4i64,
            monotone_clock in any::<bool>(),
        ) {
            let limits = Limits { max_header_bytes: cap, ..Limits::default() };
            let mut jar = Jar::builder().limits(limits).build();
            for (k, (host, h, minute)) in cookies.iter().enumerate() {
                let url = Url::parse(HOSTS[*host]).unwrap();
                // A clock that only goes forward (the sort by sequence
                // number) or one that goes back and forth (by time).
                let minute = match monotone_clock {
                    true => k as i64,
                    false => *minute,
                };
                let _ = jar.set_cookie_at(&url, h, NOW + time::Duration::minutes(minute));
            }
            prop_assert!(!monotone_clock || jar.store.creation_follows_seq());
            let url = Url::parse(HOSTS[request]).unwrap();
            let mut context = RequestContext::default();
            if cross_site {
                context = context.cross_site();
            }
            if !http_api {
                context = context.non_http_api();
            }
            let now = NOW + time::Duration::seconds(30 * later + 60 * cookies.len() as i64 * i64::from(monotone_clock));
            let request = Request::new(&url).unwrap();
            let mut ids = jar.matching(&request, &context, now);
            let (want, _) = jar.write_header(&mut ids);
            let mut header = String::from("stale");
            let sent = jar.write_cookie_header_with(&url, context, now, &mut header);
            prop_assert_eq!(&header, &want);
            prop_assert_eq!(sent, ids.len());
            prop_assert_eq!(jar.cookie_header_with(&url, context, now), (!want.is_empty() || sent > 0).then_some(want));
        }
    }
}

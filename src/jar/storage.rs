//! RFC 6265 section 5.3, the storage model (with RFC 6265bis section 5.7):
//! a `Set-Cookie` received for a request URL becomes a cookie in the jar,
//! replaces one, deletes one, or is refused with the rule that refused it.

use super::store::{Entry, Id};
use super::{
    chromium, default_path, host, path_match, rfc2109, rules, ChangeKind, Jar, Profile, Rejection,
    Request, RequestContext, Stored,
};
use crate::cookie::{to_nanos, utc, Cookie, NewCookie, Rfc2109Attributes, LATEST};
use crate::parse::{SameSite, SetCookie};
use std::borrow::Cow;
use std::sync::atomic::AtomicI64;
use std::sync::Arc;
use time::{Duration, OffsetDateTime};
use url::Url;

impl Jar {
    /// Stores one `Set-Cookie` value received in the response to `url`,
    /// over HTTP in a same-site context, at `now`.
    ///
    /// # Errors
    ///
    /// A [`Rejection`] naming the rule that refused the cookie.
    pub fn set_cookie_at(
        &mut self,
        url: &Url,
        set_cookie: &str,
        now: OffsetDateTime,
    ) -> Result<Stored, Rejection> {
        self.set_cookie_with(url, set_cookie, RequestContext::default(), now)
    }

    /// [`Jar::set_cookie_at`] at the system clock's time.
    ///
    /// # Errors
    ///
    /// As [`Jar::set_cookie_at`].
    pub fn set_cookie(&mut self, url: &Url, set_cookie: &str) -> Result<Stored, Rejection> {
        self.set_cookie_at(url, set_cookie, OffsetDateTime::now_utc())
    }

    /// Stores every `Set-Cookie` value of one response, in order; one
    /// result per value (under [`Profile::Rfc2109`] a value may hold several
    /// cookies, and its result is [`Jar::set_cookie_with`]'s).
    pub fn set_cookies_at<'h>(
        &mut self,
        url: &Url,
        set_cookies: impl IntoIterator<Item = &'h str>,
        now: OffsetDateTime,
    ) -> Vec<Result<Stored, Rejection>> {
        set_cookies
            .into_iter()
            .map(|h| self.set_cookie_at(url, h, now))
            .collect()
    }

    /// Stores a `Set-Cookie` value with an explicit [`RequestContext`].
    ///
    /// Under [`Profile::Rfc2109`] the value may hold several cookies (RFC
    /// 2109 section 4.2.2); each is stored, and the result is the first
    /// refusal, if any, otherwise the last cookie's outcome. See
    /// [`Jar::set_cookie_list_with`] for one result per cookie.
    ///
    /// # Errors
    ///
    /// A [`Rejection`] naming the rule that refused the cookie.
    pub fn set_cookie_with(
        &mut self,
        url: &Url,
        set_cookie: &str,
        context: RequestContext,
        now: OffsetDateTime,
    ) -> Result<Stored, Rejection> {
        match self.profile {
            Profile::Rfc2109 => {
                rfc2109::combined(self.set_cookie_list_with(url, set_cookie, context, now))
            }
            _ => self.set_one_cookie(url, set_cookie, context, now),
        }
    }

    /// Stores one cookie: parse, create, store.
    pub(super) fn set_one_cookie(
        &mut self,
        url: &Url,
        set_cookie: &str,
        context: RequestContext,
        now: OffsetDateTime,
    ) -> Result<Stored, Rejection> {
        let parsed = SetCookie::parse(set_cookie)?;
        let request = Request::new(url).ok_or(Rejection::NoHost)?;
        let (cookie, key_start) = self.create_cookie(&parsed, &request, &context, now)?;
        let key = self
            .store
            .key(cookie.domain.get(key_start..).unwrap_or(&cookie.domain));
        self.store_cookie(cookie, key, &request, &context, now)
    }

    /// RFC 6265 section 5.3 steps 1 to 10 (with RFC 6265bis section 5.7):
    /// the new cookie for this request, or why there is none.
    pub(super) fn create_cookie<'c>(
        &self,
        sc: &'c SetCookie<'_>,
        request: &'c Request<'_>,
        context: &RequestContext,
        now: OffsetDateTime,
    ) -> Result<(NewCookie<'c>, usize), Rejection> {
        let bis = self.profile.follows_rfc6265bis();
        // Step 1 (RFC 6265 section 5.2 steps 2 and 5): RFC 6265 ignores a
        // cookie without a name; RFC 6265bis keeps it.
        if sc.is_nameless() && !bis {
            return Err(Rejection::Nameless);
        }
        if self.profile != Profile::Rfc6265 {
            rules::check_reserved_name(sc.name(), sc.value())?;
        }
        if sc.name().len() + sc.value().len() > self.limits.max_cookie_bytes {
            return Err(Rejection::TooLarge);
        }
        let rfc2109 = self.profile == Profile::Rfc2109;
        let chromium = self.profile == Profile::Chromium;
        if chromium {
            chromium::check(sc)?;
        }
        // Step 3: Max-Age wins over Expires; none means a session cookie.
        // RFC 2109 section 4.2.2 allows it quoted; Chromium reads them its
        // own way (`chromium.rs`).
        let (max_age, expires) = match self.profile {
            Profile::Rfc2109 => (rfc2109::max_age(sc), sc.expires()),
            Profile::Chromium => (chromium::max_age(sc), chromium::expires(sc)),
            _ => (sc.max_age(), sc.expires()),
        };
        let expiry_time = match (max_age, expires) {
            (Some(delta), _) if delta <= 0 => Some(OffsetDateTime::UNIX_EPOCH.min(now)),
            (Some(delta), _) => Some(now.checked_add(Duration::seconds(delta)).unwrap_or(LATEST)),
            (None, Some(expires)) => Some(expires),
            (None, None) => None,
        };
        let expiry_time = expiry_time.map(|t| rules::kept_expiry(t, now, bis));
        // Step 4: the domain-attribute, as the profile reads it. RFC 2109
        // section 4.1 allows quoted attribute values.
        let domain_attribute = match self.profile {
            Profile::Rfc6265bis | Profile::Chromium => sc.domain(),
            Profile::Rfc2109 => rfc2109::domain_attribute(sc)?,
            _ => sc.domain_ignoring_empty(),
        };
        let mut domain_attribute = match domain_attribute.filter(|d| !d.is_empty()) {
            Some(d) => host::canonicalize_domain(d).ok_or(Rejection::InvalidDomain)?,
            None => Cow::Borrowed(""),
        };
        // RFC 2109 section 4.3.2, before the public suffix step (which
        // stays: RFC 2109 alone would let `.co.uk` through).
        if rfc2109 && !domain_attribute.is_empty() {
            rfc2109::check_domain(&domain_attribute, request)?;
        }
        // Step 5: public suffixes. The suffix found here also gives the
        // registrable domain the cookie is filed under.
        let suffix_of_attribute = match domain_attribute.is_empty() {
            true => None,
            false => self.psl.public_suffix(&domain_attribute).map(str::len),
        };
        if !domain_attribute.is_empty() && suffix_of_attribute == Some(domain_attribute.len()) {
            if domain_attribute == request.host {
                domain_attribute = Cow::Borrowed("");
            } else {
                return Err(Rejection::PublicSuffix);
            }
        }
        // Step 6: host-only or domain cookie. An IP host may only name
        // itself, and the cookie is then host-only (as Go and Chromium do).
        let (domain, host_only) = if domain_attribute.is_empty() {
            // The URL parser keeps hosts such as `a..b` and `example.com.`,
            // which section 5.1.2's labels and the jar's files do not.
            if !request.is_ip && !host::is_ascii_domain(&request.host) {
                return Err(Rejection::InvalidHost);
            }
            (Cow::Borrowed(&*request.host), true)
        } else if !host::domain_match_known(&request.host, request.ip_literal, &domain_attribute) {
            return Err(Rejection::DomainMismatch);
        } else if request.is_ip {
            (Cow::Borrowed(&*request.host), true)
        } else {
            (domain_attribute, false)
        };
        let key = if request.is_ip {
            &*domain
        } else if host_only {
            host::registrable_domain_from_suffix(&domain, self.psl.public_suffix(&domain))
        } else {
            let suffix = suffix_of_attribute.and_then(|len| domain.get(domain.len() - len..));
            host::registrable_domain_from_suffix(&domain, suffix)
        };
        let key_start = domain.len() - key.len();
        // Step 7: the path (RFC 2109 sections 4.3.1 and 4.3.2 under that
        // profile).
        let path_attribute = match rfc2109 {
            true => rfc2109::path_attribute(sc, request)?,
            false => sc.path(),
        };
        let path = path_attribute.unwrap_or_else(|| default_path(request.path()));
        // Step 8 is secure-only; RFC 6265bis section 5.7 step 11: only from
        // a secure origin.
        if bis && sc.secure() && !request.secure {
            return Err(Rejection::SecureFromInsecureOrigin);
        }
        // Steps 9 and 10: HttpOnly.
        if sc.http_only() && !context.http_api {
            return Err(Rejection::HttpOnlyFromNonHttpApi);
        }
        if bis {
            check_rfc6265bis(sc, request, context, host_only)?;
        }
        let fields = Cookie {
            name: Box::default(),
            value: Box::default(),
            domain: Box::default(),
            path: Box::default(),
            expiry_time: expiry_time.map(utc),
            creation_time: utc(now),
            last_access_time: AtomicI64::new(to_nanos(now)),
            host_only,
            secure_only: sc.secure(),
            http_only: sc.http_only(),
            same_site: sc.same_site(),
            partitioned: sc.partitioned(),
            // CHIPS: the partition is part of the cookie's identity.
            priority: chromium::priority(sc),
            partition_key: (bis && sc.partitioned())
                .then(|| Box::new(self.partition_key(request, context).into())),
            // Only this profile reads them (and other profiles' cookies
            // then round-trip through files that do not hold them).
            rfc2109: match rfc2109 {
                true => Rfc2109Attributes {
                    version: rfc2109::version(sc),
                    path_specified: path_attribute.is_some(),
                },
                false => Rfc2109Attributes::LOADED,
            },
        };
        let cookie = NewCookie {
            fields,
            name: Cow::Borrowed(sc.name()),
            value: Cow::Borrowed(sc.value()),
            domain,
            path: Cow::Borrowed(path),
        };
        Ok((cookie, key_start))
    }

    /// RFC 6265 section 5.3 step 11: the stored cookie that `cookie`
    /// (filed under `key`) replaces, with the same name, domain and path
    /// (RFC 6265bis adds the host-only flag; so does RFC 2109 section
    /// 4.3.3, whose domains `acme.com` and `.acme.com` are not the same
    /// string), and the same partition.
    ///
    /// `place` is the new cookie's name, domain and path; `fields` gives its
    /// host-only flag and partition key.
    pub(super) fn same_cookie<'s>(
        &'s self,
        key: &str,
        (name, domain, path): (&str, &str, &str),
        fields: &Cookie,
    ) -> Option<(Id, &'s Entry)> {
        let same_host_only = self.profile != Profile::Rfc6265;
        self.store
            .same_place(key, name, domain, path)
            .find(|(_, e)| {
                (!same_host_only || e.cookie.host_only == fields.host_only)
                    && e.cookie.partition_key == fields.partition_key
            })
    }

    /// RFC 6265 section 5.3 steps 11 and 12 (with RFC 6265bis section 5.7
    /// step 16): replace, delete or insert, then evict.
    pub(super) fn store_cookie(
        &mut self,
        mut cookie: NewCookie<'_>,
        key: Arc<str>,
        request: &Request<'_>,
        context: &RequestContext,
        now: OffsetDateTime,
    ) -> Result<Stored, Rejection> {
        let bis = self.profile.follows_rfc6265bis();
        // RFC 6265bis section 5.7 step 16, "Leave Secure Cookies Alone".
        if bis && !cookie.fields.secure_only && !request.secure {
            let shadows = self.store.named(&key, &cookie.name).any(|(_, e)| {
                let old = &e.cookie;
                old.secure_only
                    && (host::domain_match(&old.domain, &cookie.domain)
                        || host::domain_match(&cookie.domain, &old.domain))
                    && path_match(&cookie.path, &old.path)
            });
            if shadows {
                return Err(Rejection::OverwritesSecure);
            }
        }
        // Step 11.
        let place = (&*cookie.name, &*cookie.domain, &*cookie.path);
        let Some((id, old)) = self.same_cookie(&key, place, &cookie.fields) else {
            // An already expired cookie deletes and is not stored.
            if cookie.fields.is_expired_at(now) {
                return Ok(Stored::Expired);
            }
            let id = self.store.insert(key.clone(), cookie.into_cookie(), None);
            if let Some(entry) = self.store.get(id) {
                self.emit(ChangeKind::Added, &entry.cookie);
            }
            // Step 12: eviction.
            let (evicted, lost_new) = self.enforce_limits(&key, now, id);
            if lost_new {
                return Err(Rejection::NoRoom);
            }
            return Ok(Stored::Inserted { evicted });
        };
        // Step 11.2.
        if old.cookie.http_only && !context.http_api {
            return Err(Rejection::OverwritesHttpOnly);
        }
        if cookie.fields.is_expired_at(now) {
            if let Some(entry) = self.store.remove(id) {
                self.emit(ChangeKind::DeletedByServer, &entry.cookie);
            }
            return Ok(Stored::Deleted);
        }
        // Step 11.3: keep the old creation time; the count is unchanged, so
        // no limit can be newly exceeded. Chromium keeps it only for an
        // unchanged value: a new value is a new cookie in the header order.
        if self.replacement_is_new(&old.cookie, &cookie.value) {
            self.store.remove(id);
            let id = self.store.insert(key, cookie.into_cookie(), None);
            if let Some(entry) = self.store.get(id) {
                self.emit(ChangeKind::Replaced, &entry.cookie);
            }
            return Ok(Stored::Replaced { evicted: 0 });
        }
        cookie.fields.creation_time = old.cookie.creation_time;
        self.store.replace(id, cookie);
        if let Some(entry) = self.store.get(id) {
            self.emit(ChangeKind::Replaced, &entry.cookie);
        }
        Ok(Stored::Replaced { evicted: 0 })
    }
}

/// The RFC 6265bis rules that depend on the finished cookie: SameSite
/// (section 5.7 steps 18 and 19) and the name prefixes (section 4.1.3;
/// `__Host-` needs an explicit `Path=/` attribute, not just a default path
/// of `/`).
fn check_rfc6265bis(
    sc: &SetCookie<'_>,
    request: &Request<'_>,
    context: &RequestContext,
    host_only: bool,
) -> Result<(), Rejection> {
    match sc.same_site() {
        Some(SameSite::None) if !sc.secure() => return Err(Rejection::SameSiteNoneInsecure),
        Some(SameSite::Strict | SameSite::Lax)
            if context.cross_site && !context.top_level_safe_navigation =>
        {
            return Err(Rejection::SameSiteCrossSite)
        }
        _ => {}
    }
    // CHIPS: "Partitioned" without "Secure" is refused.
    if sc.partitioned() && !sc.secure() {
        return Err(Rejection::PartitionedInsecure);
    }
    let facts = rules::PrefixFacts {
        secure: sc.secure(),
        http_only: sc.http_only(),
        host_only,
        path_is_root: sc.path() == Some("/"),
        secure_origin: request.secure,
    };
    rules::check_prefix(sc.name(), sc.value(), facts)
}

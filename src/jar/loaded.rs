//! Cookies read from a jar file. A file is untrusted input: each cookie in
//! it must be one that a `Set-Cookie` header could have produced under the
//! jar's profile, and the same rules (`rules.rs`) refuse it for the same
//! reasons. What a file cannot know (how long ago a cookie was really
//! created, what the clock says now) is brought within what the jar would
//! have stored.

use super::{host, rules, ChangeKind, Jar, Profile, Rejection, Stored};
use crate::cookie::{clamp_instant, to_nanos, utc, Cookie};
use crate::parse::SameSite;
use std::sync::atomic::Ordering;
use time::OffsetDateTime;

impl Jar {
    /// The cookie as the jar would hold it, or why it refuses it: canonical
    /// domain (no empty label, as RFC 6265 section 5.1.2 canonicalizes), a
    /// public-suffix domain cookie made host-only (section 5.3 step 5), an absolute path,
    /// no control characters, the size limit, no reserved `$` name, and under RFC
    /// 6265bis the name prefixes, `SameSite=None` only with `Secure`
    /// (section 5.7 step 19) and the 400-day cap (sections 5.6.1, 5.6.2).
    /// An IP address is host-only, as the `Set-Cookie` path makes it.
    /// Instants in the future (creation, last access) become `now`; every
    /// instant is clamped to what the jar's formats can write.
    pub(crate) fn admit_loaded(
        &self,
        mut c: Cookie,
        now: OffsetDateTime,
    ) -> Result<Cookie, Rejection> {
        let clean = |s: &str| {
            !s.bytes()
                .any(|b| (b < 0x20 && b != b'\t') || b == 0x7F || b == b';')
        };
        let trimmed = |s: &str| s.trim_matches([' ', '\t']) == s;
        let name_ok = clean(&c.name) && trimmed(&c.name) && !c.name.contains('=');
        let value_ok =
            clean(&c.value) && trimmed(&c.value) && !(c.name.is_empty() && c.value.is_empty());
        if !name_ok || !value_ok || !clean(&c.path) || !c.path.starts_with('/') {
            return Err(Rejection::Malformed);
        }
        if self.profile != Profile::Rfc6265 {
            rules::check_reserved_name(&c.name, &c.value)?;
        }
        let bis = self.profile.follows_rfc6265bis();
        // `Profile::Chromium` refuses a TAB inside a name, value or
        // attribute from a server (`chromium.rs`), and so from a file.
        let tab = |s: &str| s.contains('\t');
        if self.profile == Profile::Chromium && (tab(&c.name) || tab(&c.value) || tab(&c.path)) {
            return Err(Rejection::Parse(crate::parse::ParseError::ControlCharacter));
        }
        if c.name.is_empty() && !bis {
            return Err(Rejection::Nameless);
        }
        if c.name.len() + c.value.len() > self.limits.max_cookie_bytes {
            return Err(Rejection::TooLarge);
        }
        if c.domain.is_empty()
            || host::canonicalize_domain(&c.domain).as_deref() != Some(&*c.domain)
        {
            return Err(Rejection::InvalidDomain);
        }
        if host::is_ip(&c.domain) {
            c.host_only = true;
        }
        // RFC 6265 section 5.3 step 5: a `Domain` that is a public suffix is
        // refused, unless it is the request host, and then the cookie is
        // host-only. A file does not say which host set the cookie; the
        // only one that could have is the suffix itself (curl and wget
        // write `.localhost TRUE` for `Domain=localhost` from `localhost`),
        // so the cookie is that host's, never its subdomains'.
        if !c.host_only && host::is_public_suffix(self.psl.as_ref(), &c.domain) {
            c.host_only = true;
        }
        if bis {
            let facts = rules::PrefixFacts {
                secure: c.secure_only,
                http_only: c.http_only,
                host_only: c.host_only,
                path_is_root: &*c.path == "/",
                secure_origin: true,
            };
            rules::check_prefix(&c.name, &c.value, facts)?;
            if c.same_site == Some(SameSite::None) && !c.secure_only {
                return Err(Rejection::SameSiteNoneInsecure);
            }
            if c.partitioned && !c.secure_only {
                return Err(Rejection::PartitionedInsecure);
            }
            // A file's key must be a site as the jar writes one.
            let site_ok = |key: &str| {
                let domain = key
                    .strip_prefix("https://")
                    .or_else(|| key.strip_prefix("http://"));
                domain.is_some_and(|d| {
                    !d.is_empty() && host::canonicalize_domain(d).as_deref() == Some(d)
                })
            };
            match c.partition_key.as_deref() {
                Some(key) if c.partitioned && !site_ok(key) => return Err(Rejection::Malformed),
                None if c.partitioned => {
                    c.partition_key = Some(Box::new(self.own_partition_key(&c).into()));
                }
                _ => {}
            }
        }
        if !bis || !c.partitioned {
            c.partition_key = None;
        }
        c.creation_time = utc(clamp_instant(c.creation_time().min(now)));
        let last_access = clamp_instant(c.last_access_time().min(now));
        c.last_access_time
            .store(to_nanos(last_access), Ordering::Relaxed);
        c.expiry_time = c
            .expiry_time()
            .map(|t| utc(rules::kept_expiry(t, now, bis)));
        Ok(c)
    }

    /// The registrable domain (eTLD+1) of `host` under the jar's public
    /// suffix list: the site an import summarizes and filters by.
    #[cfg(feature = "browser")]
    pub(crate) fn site_of<'a>(&self, host: &'a str) -> &'a str {
        host::registrable_domain(self.psl.as_ref(), host)
    }

    /// Stores a cookie that [`Jar::admit_loaded`] returned. An expired
    /// cookie is dropped (`Stored::Expired`). If the jar already holds a
    /// cookie with the same name, domain, path and host-only flag, the one
    /// created later wins.
    pub(crate) fn insert_admitted(
        &mut self,
        cookie: Cookie,
        creation_seq: Option<u64>,
        now: OffsetDateTime,
    ) -> Result<Stored, Rejection> {
        if cookie.is_expired_at(now) {
            return Ok(Stored::Expired);
        }
        let key = self
            .store
            .key(host::registrable_domain(self.psl.as_ref(), &cookie.domain));
        // The same identity (RFC 6265bis section 5.7 step 23), through the
        // store's index: a load of a large domain stays O(n log n).
        let old = self
            .store
            .same_place(&key, &cookie.name, &cookie.domain, &cookie.path)
            .find(|(_, e)| {
                e.cookie.host_only == cookie.host_only
                    && e.cookie.partition_key == cookie.partition_key
            });
        let replaced = match old {
            Some((_, e)) if e.cookie.creation_time > cookie.creation_time => {
                return Ok(Stored::KeptNewer)
            }
            Some((id, _)) => {
                self.store.remove(id);
                true
            }
            None => false,
        };
        let id = self.store.insert(key.clone(), cookie, creation_seq);
        if let Some(entry) = self.store.get(id) {
            self.emit(ChangeKind::Loaded, &entry.cookie);
        }
        let (evicted, lost_new) = self.enforce_limits(&key, now, id);
        if lost_new {
            return Err(Rejection::NoRoom);
        }
        Ok(if replaced {
            Stored::Replaced { evicted }
        } else {
            Stored::Inserted { evicted }
        })
    }
}

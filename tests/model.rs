//! The jar against a naive oracle: random sequences of stores, lookups and
//! clock steps run on both `Jar` and `NaiveJar` (a `Vec` with linear scans,
//! written from the RFC text), and every result and every Cookie header
//! must agree. The same runs check the invariants: no limit is ever
//! exceeded, and an expired cookie is never sent.
#![cfg(not(miri))]
// The oracle is test code written for clarity, not library code.
#![allow(clippy::unwrap_used, clippy::indexing_slicing)]

use cookiejar::{Jar, Limits, Rejection, RequestContext, SetCookie, Stored};
use proptest::prelude::*;
use time::{Duration, OffsetDateTime};
use url::Url;

// ---- The naive algorithms, one RFC sentence each. ----

/// RFC 6265 section 5.1.3.
fn naive_domain_match(string: &str, domain: &str) -> bool {
    let is_ip = string.parse::<std::net::IpAddr>().is_ok();
    string == domain || (!domain.is_empty() && string.ends_with(&format!(".{domain}")) && !is_ip)
}

/// RFC 6265 section 5.1.4, path-match.
fn naive_path_match(request: &str, cookie: &str) -> bool {
    request == cookie
        || (request.starts_with(cookie) && cookie.ends_with('/'))
        || (request.starts_with(cookie) && request[cookie.len()..].starts_with('/'))
}

/// RFC 6265 section 5.1.4, default-path.
fn naive_default_path(path: &str) -> String {
    if !path.starts_with('/') || path.matches('/').count() <= 1 {
        return "/".into();
    }
    path[..path.rfind('/').unwrap()].into()
}

// ---- The naive jar. ----

#[derive(Clone, Debug)]
struct NaiveCookie {
    name: String,
    value: String,
    domain: String,
    path: String,
    expiry: Option<OffsetDateTime>,
    creation: (OffsetDateTime, u64),
    access: u64,
    host_only: bool,
    secure: bool,
    http_only: bool,
}

struct NaiveJar {
    cookies: Vec<NaiveCookie>,
    limits: Limits,
    tick: u64,
}

/// The public suffixes of the test universe (`localhost` by the list's
/// default rule `*`: no rule names it).
const SUFFIXES: [&str; 3] = ["com", "org", "localhost"];

/// The registrable domain in this universe: the last two labels.
fn site(host: &str) -> String {
    let labels: Vec<&str> = host.split('.').collect();
    labels[labels.len().saturating_sub(2)..].join(".")
}

impl NaiveJar {
    fn expired(c: &NaiveCookie, now: OffsetDateTime) -> bool {
        c.expiry.is_some_and(|e| e <= now)
    }

    fn set(
        &mut self,
        url: &Url,
        header: &str,
        http: bool,
        now: OffsetDateTime,
    ) -> Result<Stored, Rejection> {
        let sc = SetCookie::parse(header)?;
        let host = url.host_str().unwrap().to_string();
        let secure_origin = url.scheme() == "https" || host == "localhost";
        // RFC 6265 section 5.3 step 3, with the 400-day cap of RFC 6265bis.
        let expiry = match (sc.max_age(), sc.expires()) {
            (Some(d), _) if d <= 0 => Some(OffsetDateTime::UNIX_EPOCH),
            (Some(d), _) => Some(now + Duration::seconds(d)),
            (None, e) => e,
        }
        .map(|e| e.min(now + Duration::days(400)));
        // Steps 4 to 6.
        let mut domain = sc.domain().unwrap_or("").to_ascii_lowercase();
        if SUFFIXES.contains(&domain.as_str()) {
            if domain == host {
                domain.clear();
            } else {
                return Err(Rejection::PublicSuffix);
            }
        }
        let host_only = domain.is_empty();
        if !host_only && !naive_domain_match(&host, &domain) {
            return Err(Rejection::DomainMismatch);
        }
        let domain = if host_only { host.clone() } else { domain };
        let path = sc
            .path()
            .map_or_else(|| naive_default_path(url.path()), str::to_string);
        // RFC 6265bis: Secure only from secure origins; HttpOnly only from HTTP.
        if sc.secure() && !secure_origin {
            return Err(Rejection::SecureFromInsecureOrigin);
        }
        if sc.http_only() && !http {
            return Err(Rejection::HttpOnlyFromNonHttpApi);
        }
        // RFC 6265bis: Leave Secure Cookies Alone.
        if !sc.secure() && !secure_origin {
            let shadows = self.cookies.iter().any(|c| {
                c.secure
                    && c.name == sc.name()
                    && (naive_domain_match(&c.domain, &domain)
                        || naive_domain_match(&domain, &c.domain))
                    && naive_path_match(&path, &c.path)
            });
            if shadows {
                return Err(Rejection::OverwritesSecure);
            }
        }
        self.tick += 1;
        let mut cookie = NaiveCookie {
            name: sc.name().into(),
            value: sc.value().into(),
            domain,
            path,
            expiry,
            creation: (now, self.tick),
            access: self.tick,
            host_only,
            secure: sc.secure(),
            http_only: sc.http_only(),
        };
        // Step 11.
        let old = self.cookies.iter().position(|c| {
            c.name == cookie.name
                && c.domain == cookie.domain
                && c.path == cookie.path
                && c.host_only == cookie.host_only
        });
        if let Some(i) = old {
            if self.cookies[i].http_only && !http {
                return Err(Rejection::OverwritesHttpOnly);
            }
            cookie.creation = self.cookies.remove(i).creation;
        }
        if Self::expired(&cookie, now) {
            return Ok(if old.is_some() {
                Stored::Deleted
            } else {
                Stored::Expired
            });
        }
        let key = site(&cookie.domain);
        let new_tick = cookie.access;
        self.cookies.push(cookie);
        // Step 12: expired first, then the domain's non-secure LRU, then
        // secure LRU, then the whole jar's LRU.
        let before = self.cookies.len();
        let in_bucket = |c: &NaiveCookie| site(&c.domain) == key;
        if self.cookies.iter().filter(|c| in_bucket(c)).count() > self.limits.max_cookies_per_domain
        {
            self.cookies
                .retain(|c| !(in_bucket(c) && Self::expired(c, now)));
        }
        while self.cookies.iter().filter(|c| in_bucket(c)).count()
            > self.limits.max_cookies_per_domain
        {
            let victim = (0..self.cookies.len())
                .filter(|&i| in_bucket(&self.cookies[i]))
                .min_by_key(|&i| (self.cookies[i].secure, self.cookies[i].access))
                .unwrap();
            self.cookies.remove(victim);
        }
        if self.cookies.len() > self.limits.max_cookies {
            self.cookies.retain(|c| !Self::expired(c, now));
        }
        while self.cookies.len() > self.limits.max_cookies {
            let victim = (0..self.cookies.len())
                .min_by_key(|&i| self.cookies[i].access)
                .unwrap();
            self.cookies.remove(victim);
        }
        let evicted = before - self.cookies.len();
        if !self.cookies.iter().any(|c| c.access == new_tick) {
            return Err(Rejection::NoRoom);
        }
        Ok(if old.is_some() {
            Stored::Replaced { evicted }
        } else {
            Stored::Inserted { evicted }
        })
    }

    /// RFC 6265 section 5.4.
    fn header(&mut self, url: &Url, http: bool, now: OffsetDateTime) -> Option<String> {
        let host = url.host_str().unwrap();
        let secure = url.scheme() == "https" || host == "localhost";
        let mut sent: Vec<usize> = (0..self.cookies.len())
            .filter(|&i| {
                let c = &self.cookies[i];
                (if c.host_only {
                    c.domain == host
                } else {
                    naive_domain_match(host, &c.domain)
                }) && naive_path_match(url.path(), &c.path)
                    && (!c.secure || secure)
                    && (!c.http_only || http)
                    && !Self::expired(c, now)
            })
            .collect();
        sent.sort_by_key(|&i| {
            (
                std::cmp::Reverse(self.cookies[i].path.len()),
                self.cookies[i].creation,
            )
        });
        let mut parts = Vec::new();
        for i in sent {
            self.tick += 1;
            self.cookies[i].access = self.tick;
            let c = &self.cookies[i];
            parts.push(if c.name.is_empty() {
                c.value.clone()
            } else {
                format!("{}={}", c.name, c.value)
            });
        }
        (!parts.is_empty()).then(|| parts.join("; "))
    }
}

// ---- The operations. ----

const HOSTS: [&str; 6] = [
    "example.com",
    "www.example.com",
    "api.example.com",
    "other.org",
    "www.other.org",
    "localhost",
];
const DOMAINS: [&str; 7] = [
    "",
    "example.com",
    "www.example.com",
    "other.org",
    "com",
    "localhost",
    "EXAMPLE.com",
];
const PATHS: [&str; 4] = ["/", "/a", "/a/b", "/ab"];

#[derive(Clone, Debug)]
enum Op {
    Set {
        host: usize,
        https: bool,
        request_path: usize,
        name: u8,
        domain: usize,
        path: Option<usize>,
        secure: bool,
        http_only: bool,
        max_age: Option<i64>,
        http: bool,
    },
    Get {
        host: usize,
        https: bool,
        path: usize,
        http: bool,
    },
    Advance(i64),
}

/// Operations with `names` cookie names, stores weighted `set_weight` to
/// lookups' 3.
fn op_with(names: u8, set_weight: u32) -> impl Strategy<Value = Op> {
    prop_oneof![
        set_weight => (0..HOSTS.len(), any::<bool>(), 0..PATHS.len(), 0u8..names, 0..DOMAINS.len(), prop::option::of(0..PATHS.len()),
              prop::bool::weighted(0.3), prop::bool::weighted(0.2), prop::option::of(prop_oneof![Just(0i64), Just(-1), Just(5), Just(100)]),
              prop::bool::weighted(0.9))
            .prop_map(|(host, https, request_path, name, domain, path, secure, http_only, max_age, http)| Op::Set {
                host, https, request_path, name, domain, path, secure, http_only, max_age, http
            }),
        3 => (0..HOSTS.len(), any::<bool>(), 0..PATHS.len(), prop::bool::weighted(0.9))
            .prop_map(|(host, https, path, http)| Op::Get { host, https, path, http }),
        1 => (1i64..60).prop_map(Op::Advance),
    ]
}

fn op() -> impl Strategy<Value = Op> {
    op_with(4, 4)
}

/// Cookie name number `n`: the four of the small model, then `n4`, `n5`...
fn name_of(n: u8) -> String {
    match ["a", "b", "c", ""].get(n as usize) {
        Some(name) => (*name).to_owned(),
        None => format!("n{n}"),
    }
}

fn request_url(host: usize, https: bool, path: usize) -> Url {
    let scheme = if https { "https" } else { "http" };
    Url::parse(&format!("{scheme}://{}{}", HOSTS[host], PATHS[path])).unwrap()
}

fn context(http: bool) -> RequestContext {
    if http {
        RequestContext::default()
    } else {
        RequestContext::default().non_http_api()
    }
}

/// Runs `ops` on the jar and the naive jar, comparing every result and
/// checking the invariants after every step.
fn agrees_with_the_naive_jar(ops: &[Op], limits: Limits) -> Result<(), TestCaseError> {
    let mut jar = Jar::builder().limits(limits).build();
    let mut naive = NaiveJar {
        cookies: Vec::new(),
        limits,
        tick: 0,
    };
    let mut now = time::macros::datetime!(2026-01-01 00:00 UTC);
    for (step, op) in ops.iter().enumerate() {
        match *op {
            Op::Set {
                host,
                https,
                request_path,
                name,
                domain,
                path,
                secure,
                http_only,
                max_age,
                http,
            } => {
                let mut header = format!("{}=v{step}", name_of(name));
                if !DOMAINS[domain].is_empty() {
                    header += &format!("; Domain={}", DOMAINS[domain]);
                }
                if let Some(p) = path {
                    header += &format!("; Path={}", PATHS[p]);
                }
                if secure {
                    header += "; Secure";
                }
                if http_only {
                    header += "; HttpOnly";
                }
                if let Some(m) = max_age {
                    header += &format!("; Max-Age={m}");
                }
                let url = request_url(host, https, request_path);
                let got = jar.set_cookie_with(&url, &header, context(http), now);
                let want = naive.set(&url, &header, http, now);
                prop_assert_eq!(got, want, "step {}: set {:?} from {}", step, header, url);
            }
            Op::Get {
                host,
                https,
                path,
                http,
            } => {
                let url = request_url(host, https, path);
                let got = jar.cookie_header_with(&url, context(http), now);
                let want = naive.header(&url, http, now);
                prop_assert_eq!(&got, &want, "step {}: header for {}", step, url);
            }
            Op::Advance(secs) => now += Duration::seconds(secs),
        }
        // Invariants, at every step.
        prop_assert!(jar.len() <= limits.max_cookies);
        let mut per_domain = std::collections::HashMap::new();
        for c in jar.iter() {
            *per_domain.entry(site(c.domain())).or_insert(0) += 1;
        }
        for (key, count) in per_domain {
            prop_assert!(
                count <= limits.max_cookies_per_domain,
                "{} holds {}",
                key,
                count
            );
        }
        for (host, https, path) in [(1, true, 2), (3, true, 0), (5, false, 1)] {
            let url = request_url(host, https, path);
            for e in jar.explain_with(&url, RequestContext::default(), now) {
                if e.exclusion.is_none() {
                    prop_assert!(
                        !e.cookie.is_expired_at(now),
                        "expired cookie {:?} would be sent",
                        e.cookie
                    );
                }
            }
        }
    }
    Ok(())
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(1500))]

    #[test]
    fn jar_agrees_with_the_naive_jar(ops in prop::collection::vec(op(), 1..60)) {
        let limits = Limits { max_cookies: 6, max_cookies_per_domain: 3, max_cookie_bytes: 4096, ..Limits::RFC2109 };
        agrees_with_the_naive_jar(&ops, limits)?;
    }

    /// The crate's pure algorithms equal their RFC sentences.
    #[test]
    fn domain_and_path_match_equal_the_rfc_sentences(
        a in "[a-c.]{0,6}", b in "[a-c.]{0,6}", p in "[/ab]{0,6}", q in "[/ab]{0,6}",
    ) {
        prop_assert_eq!(cookiejar::domain_match(&a, &b), naive_domain_match(&a, &b));
        prop_assert_eq!(cookiejar::path_match(&p, &q), naive_path_match(&p, &q));
        prop_assert_eq!(cookiejar::default_path(&p), naive_default_path(&p));
    }
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(60))]

    /// The same with room for more cookies than a store scans: a domain
    /// that grows past 32 cookies is indexed (`src/jar/bucket.rs`), and
    /// must still agree, evictions included.
    #[test]
    fn a_large_jar_agrees_with_the_naive_jar(ops in prop::collection::vec(op_with(60, 16), 300..600)) {
        let limits = Limits { max_cookies: 120, max_cookies_per_domain: 36, ..Limits::RFC2109 };
        agrees_with_the_naive_jar(&ops, limits)?;
    }
}

//! The jar at scale, side by side in one run with the peer crate
//! `cookie_store` (given the same public suffix list): one lookup and one
//! store in jars of 100, 10,000 and 100,000 cookies, ten cookies on each
//! registrable domain (`site{i}.com` and `site{i}.co.uk` mixed).
//!
//! Both sides do the same work: a lookup builds the `Cookie` header string
//! (10 pairs) for `https://www.site{i}.../app/page`; a store parses one
//! `Set-Cookie` string and replaces a cookie of the same name, domain and
//! path (so the size stays n), with a rotating value. The jars are built
//! once, outside the timing loop; the measured domains rotate over eight
//! spread around the middle of the set.
//!
//! A second group, `jar_one_domain`, holds 5,000 and 40,000 cookies on one
//! registrable domain (custom `Limits`, as a crawler or a load test sets
//! them): a replacement, a new cookie that evicts the domain's least
//! recently used one, and a lookup of the whole domain. The stores must
//! cost nearly the same at both sizes (the per-domain store is indexed).
//!
//! `cargo bench --bench jar`; `python3 benches/table.py jar_lookup jar_store`
//! prints the README table from criterion's results. Heap per cookie:
//! `cargo bench --bench jar_memory`.
#![allow(missing_docs, clippy::unwrap_used, clippy::indexing_slicing)] // a bench, not library code

mod shapes;

use cookiejar::{Jar, Limits, Stored};
use criterion::{black_box, criterion_group, criterion_main, BenchmarkId, Criterion};
use reqwest::cookie::CookieStore as _;
use std::collections::BTreeSet;
use std::time::Duration;
use time::macros::datetime;
use time::OffsetDateTime;
use url::Url;

const SIZES: [usize; 3] = [100, 10_000, 100_000];
const PER_DOMAIN: usize = 10;
const NOW: OffsetDateTime = datetime!(2026-01-01 0:00 UTC);
const NAMES: [&str; PER_DOMAIN] = [
    "sid",
    "_ga",
    "_gid",
    "csrftoken",
    "lang",
    "theme",
    "consent",
    "AWSALB",
    "cart",
    "prefs",
];
/// The cookie the store benches replace: `_gid` (Domain, Path=/, HttpOnly,
/// Max-Age).
const REPLACED: usize = 2;

/// The registrable domain of site `i`.
fn site(i: usize) -> String {
    if i.is_multiple_of(2) {
        format!("site{i}.com")
    } else {
        format!("site{i}.co.uk")
    }
}

/// A token of 16 to 40 characters, fixed by its seeds.
fn value(i: usize, j: usize, round: usize) -> String {
    const ALPHABET: &[u8] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789";
    let len = 16 + (i * 7 + j * 13 + round * 5) % 25;
    let mut x = (i as u64) << 32 ^ (j as u64) << 16 ^ round as u64 ^ 0x9E37_79B9_7F4A_7C15;
    (0..len)
        .map(|_| {
            x ^= x << 13;
            x ^= x >> 7;
            x ^= x << 17;
            char::from(ALPHABET[(x % ALPHABET.len() as u64) as usize])
        })
        .collect()
}

/// Cookie `j` of site `i`, as received from `https://www.<site>/`: a third
/// host-only, the rest `Domain=<site>`; two with `Path=/app`; some
/// `Secure`, `HttpOnly`, `Max-Age` or `SameSite`.
fn set_cookie(i: usize, j: usize, round: usize) -> (Url, String) {
    let domain = site(i);
    let url = Url::parse(&format!("https://www.{domain}/")).unwrap();
    let mut h = format!("{}={}", NAMES[j], value(i, j, round));
    h.push_str(if j == 7 || j == 8 {
        "; Path=/app"
    } else {
        "; Path=/"
    });
    if !j.is_multiple_of(3) {
        h.push_str("; Domain=");
        h.push_str(&domain);
    }
    if j % 4 == 1 {
        h.push_str("; Secure");
    }
    if j.is_multiple_of(2) {
        h.push_str("; HttpOnly");
    }
    if j % 5 == 2 {
        h.push_str("; Max-Age=31536000");
    }
    if j == 4 {
        h.push_str("; SameSite=Lax");
    }
    (url, h)
}

/// Every cookie of a jar of `n`.
fn workload(n: usize) -> Vec<(Url, String)> {
    (0..n / PER_DOMAIN)
        .flat_map(|i| (0..PER_DOMAIN).map(move |j| set_cookie(i, j, 0)))
        .collect()
}

/// Eight sites spread from the middle of the `sites` of a jar.
fn probed_sites(sites: usize) -> Vec<usize> {
    let stride = (sites / 16).max(1);
    (0..8).map(|k| (sites / 2 + k * stride) % sites).collect()
}

/// The page each lookup asks for: every one of its site's ten cookies
/// applies.
fn lookup_urls(sites: usize) -> Vec<Url> {
    probed_sites(sites)
        .into_iter()
        .map(|i| Url::parse(&format!("https://www.{}/app/page", site(i))).unwrap())
        .collect()
}

/// The stores: the `REPLACED` cookie of each probed site, four values each.
fn replacements(sites: usize) -> Vec<(Url, String)> {
    (1..=4)
        .flat_map(|round| {
            probed_sites(sites)
                .into_iter()
                .map(move |i| set_cookie(i, REPLACED, round))
        })
        .collect()
}

fn ours(cookies: &[(Url, String)]) -> Jar {
    let limits = Limits {
        max_cookies: 200_000,
        max_cookies_per_domain: 100,
        max_cookie_bytes: 4096,
        ..Limits::RFC2109
    };
    let mut jar = Jar::builder().limits(limits).build();
    for (url, h) in cookies {
        jar.set_cookie_at(url, h, NOW).unwrap();
    }
    assert_eq!(jar.len(), cookies.len());
    jar
}

fn psl() -> publicsuffix::List {
    include_str!("../src/psl/public_suffix_list.dat")
        .parse()
        .unwrap()
}

fn theirs(cookies: &[(Url, String)]) -> cookie_store::CookieStore {
    let mut store = cookie_store::CookieStore::new_with_public_suffix(Some(psl()));
    for (url, h) in cookies {
        store
            .insert_raw(&cookie::Cookie::parse(h.as_str()).unwrap(), url)
            .unwrap();
    }
    assert_eq!(store.iter_any().count(), cookies.len());
    store
}

fn our_header(jar: &Jar, url: &Url) -> Option<String> {
    jar.cookie_header_at(url, NOW)
}

/// The same header from `cookie_store` (in its own order).
fn their_header(store: &cookie_store::CookieStore, url: &Url) -> Option<String> {
    let mut header = String::new();
    for (name, value) in store.get_request_values(url) {
        if !header.is_empty() {
            header.push_str("; ");
        }
        header.push_str(name);
        header.push('=');
        header.push_str(value);
    }
    (!header.is_empty()).then_some(header)
}

fn our_store(jar: &mut Jar, url: &Url, h: &str) -> Stored {
    jar.set_cookie_at(url, h, NOW).unwrap()
}

fn their_store(
    store: &mut cookie_store::CookieStore,
    url: &Url,
    h: &str,
) -> cookie_store::StoreAction {
    let c = cookie::Cookie::parse(h).unwrap();
    store.insert_raw(&c, url).unwrap()
}

fn pairs(header: &str) -> BTreeSet<&str> {
    header.split("; ").collect()
}

struct Jars {
    n: usize,
    ours: Jar,
    theirs: cookie_store::CookieStore,
    lookups: Vec<Url>,
    stores: Vec<(Url, String)>,
}

/// Both jars for every size, checked to hold the same cookies and to answer
/// the same pairs.
fn jars() -> Vec<Jars> {
    SIZES
        .iter()
        .map(|&n| {
            let cookies = workload(n);
            let sites = n / PER_DOMAIN;
            let jars = Jars {
                n,
                ours: ours(&cookies),
                theirs: theirs(&cookies),
                lookups: lookup_urls(sites),
                stores: replacements(sites),
            };
            for url in &jars.lookups {
                let a = our_header(&jars.ours, url).unwrap();
                let b = their_header(&jars.theirs, url).unwrap();
                assert_eq!(pairs(&a), pairs(&b), "{url}");
                assert_eq!(pairs(&a).len(), PER_DOMAIN, "{url}");
            }
            jars
        })
        .collect()
}

fn sample_size(n: usize) -> usize {
    if n >= 100_000 {
        20
    } else {
        100
    }
}

fn lookup(c: &mut Criterion, all: &[Jars]) {
    let mut group = c.benchmark_group("jar_lookup");
    for jars in all {
        group.sample_size(sample_size(jars.n));
        let urls = &jars.lookups;
        group.bench_function(BenchmarkId::new("cookiejar", jars.n), |b| {
            let mut k = 0;
            b.iter(|| {
                k = (k + 1) % urls.len();
                our_header(&jars.ours, black_box(&urls[k]))
            })
        });
        group.bench_function(BenchmarkId::new("cookie_store", jars.n), |b| {
            let mut k = 0;
            b.iter(|| {
                k = (k + 1) % urls.len();
                their_header(&jars.theirs, black_box(&urls[k]))
            })
        });
    }
    group.finish();
}

fn store(c: &mut Criterion, all: &mut [Jars]) {
    let mut group = c.benchmark_group("jar_store");
    for jars in all {
        group.sample_size(sample_size(jars.n));
        let stores = &jars.stores;
        let (n, ours, theirs) = (jars.n, &mut jars.ours, &mut jars.theirs);
        for (url, h) in stores {
            assert_eq!(
                our_store(ours, url, h),
                Stored::Replaced { evicted: 0 },
                "{h}"
            );
            assert_eq!(
                their_store(theirs, url, h),
                cookie_store::StoreAction::UpdatedExisting,
                "{h}"
            );
        }
        group.bench_function(BenchmarkId::new("cookiejar", n), |b| {
            let mut k = 0;
            b.iter(|| {
                k = (k + 1) % stores.len();
                let (url, h) = &stores[k];
                our_store(ours, black_box(url), black_box(h))
            })
        });
        group.bench_function(BenchmarkId::new("cookie_store", n), |b| {
            let mut k = 0;
            b.iter(|| {
                k = (k + 1) % stores.len();
                let (url, h) = &stores[k];
                their_store(theirs, black_box(url), black_box(h))
            })
        });
        assert_eq!(ours.len(), n);
        assert_eq!(theirs.iter_any().count(), n);
    }
    group.finish();
}

/// Sizes of the one-domain jars.
const ONE_DOMAIN: [usize; 2] = [5_000, 40_000];

/// A jar whose one domain `big.com` holds `n` host-only cookies
/// `c0`..`c{n-1}`, received over plain HTTP (so every store also runs the
/// "Leave Secure Cookies Alone" check), and whose per-domain limit is `n`.
fn one_domain_jar(n: usize) -> (Jar, Url) {
    let limits = Limits {
        max_cookies: 100_000,
        max_cookies_per_domain: n,
        ..Limits::RFC6265
    };
    let mut jar = Jar::builder().limits(limits).build();
    let url = Url::parse("http://big.com/").unwrap();
    for k in 0..n {
        jar.set_cookie_at(&url, &format!("c{k}={}", value(k, 0, 0)), NOW)
            .unwrap();
    }
    assert_eq!(jar.len(), n);
    (jar, url)
}

fn one_domain(c: &mut Criterion) {
    let mut group = c.benchmark_group("jar_one_domain");
    group.sample_size(20);
    for n in ONE_DOMAIN {
        let (mut jar, url) = one_domain_jar(n);
        // Replace one of eight cookies from the middle of the domain.
        let replaced: Vec<String> = (0..8)
            .map(|k| format!("c{}={}", n / 2 + k, value(k, 1, 1)))
            .collect();
        group.bench_function(BenchmarkId::new("replace", n), |b| {
            let mut k = 0;
            b.iter(|| {
                k = (k + 1) % replaced.len();
                jar.set_cookie_at(black_box(&url), black_box(&replaced[k]), NOW)
                    .unwrap()
            })
        });
        // A new name each time: the domain is full, so one cookie goes.
        let mut fresh = 0usize;
        group.bench_function(BenchmarkId::new("insert_evicting", n), |b| {
            b.iter(|| {
                fresh += 1;
                let h = format!("new{fresh}=1");
                let stored = jar.set_cookie_at(black_box(&url), black_box(&h), NOW);
                assert_eq!(stored, Ok(Stored::Inserted { evicted: 1 }));
            })
        });
        assert_eq!(jar.len(), n);
        group.bench_function(BenchmarkId::new("lookup", n), |b| {
            b.iter(|| jar.cookie_header_at(black_box(&url), NOW).map(|h| h.len()))
        });
    }
    group.finish();
}

/// The crawl of issue 15 (benches/shapes): 10, 1,000 and 10,000
/// registrable domains of ten cookies each; the stores replace cookies or
/// are refused (public suffix, foreign site), the lookups ask for seeded
/// pages. Each iteration is one operation, rotating over 4,096 prepared.
fn crawl(c: &mut Criterion) {
    use shapes::jars::{our_jar, reqwest_jar, their_header, their_store, NOW};
    for sites in [10usize, 1_000, 10_000] {
        let n = sites * shapes::PER_DOMAIN;
        let crawl = shapes::crawl(sites);
        let stores = shapes::crawl_stores(sites, 4096);
        let urls = shapes::crawl_lookups(sites, 4096);
        let mut ours = our_jar(&crawl);
        let mut theirs = their_store(&crawl);
        let reqwest = reqwest_jar(&crawl);
        let mut group = c.benchmark_group("crawl_lookup");
        group.sample_size(sample_size(n));
        group.bench_function(BenchmarkId::new("cookiejar", n), |b| {
            let mut k = 0;
            b.iter(|| {
                k = (k + 1) % urls.len();
                ours.cookie_header_at(black_box(&urls[k]), NOW)
            })
        });
        group.bench_function(BenchmarkId::new("cookie_store", n), |b| {
            let mut k = 0;
            b.iter(|| {
                k = (k + 1) % urls.len();
                their_header(&theirs, black_box(&urls[k]))
            })
        });
        group.bench_function(BenchmarkId::new("reqwest", n), |b| {
            let mut k = 0;
            b.iter(|| {
                k = (k + 1) % urls.len();
                reqwest.cookies(black_box(&urls[k]))
            })
        });
        group.finish();
        let mut group = c.benchmark_group("crawl_store");
        group.sample_size(sample_size(n));
        group.bench_function(BenchmarkId::new("cookiejar", n), |b| {
            let mut k = 0;
            b.iter(|| {
                k = (k + 1) % stores.len();
                let r = &stores[k];
                ours.set_cookie_at(black_box(&r.url), black_box(&r.set_cookie), NOW)
                    .is_ok()
            })
        });
        group.bench_function(BenchmarkId::new("cookie_store", n), |b| {
            let mut k = 0;
            b.iter(|| {
                k = (k + 1) % stores.len();
                let r = &stores[k];
                let c = cookie::Cookie::parse(black_box(r.set_cookie.as_str())).unwrap();
                theirs.insert_raw(&c, black_box(&r.url)).is_ok()
            })
        });
        group.bench_function(BenchmarkId::new("reqwest", n), |b| {
            let mut k = 0;
            b.iter(|| {
                k = (k + 1) % stores.len();
                let r = &stores[k];
                reqwest.add_cookie_str(black_box(&r.set_cookie), black_box(&r.url))
            })
        });
        group.finish();
    }
}

fn jar(c: &mut Criterion) {
    let mut all = jars();
    lookup(c, &all);
    store(c, &mut all);
}

fn config() -> Criterion {
    Criterion::default()
        .warm_up_time(Duration::from_secs(1))
        .measurement_time(Duration::from_secs(2))
}

criterion_group! { name = benches; config = config(); targets = jar, one_domain, crawl }
criterion_main!(benches);

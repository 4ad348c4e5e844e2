//! The store at scale, measured in work instead of time: the entries the
//! store-side searches examine (`Store::visits`) must not grow with the
//! size of the domain a cookie is stored into. And the indexes of large
//! buckets stay consistent with the entries through random operations.
#![allow(clippy::unwrap_used, clippy::indexing_slicing)]

use super::bucket::INDEX_FROM;
use super::{Jar, Limits, RequestContext, Stored};
use proptest::prelude::*;
use time::macros::datetime;
use time::{Duration, OffsetDateTime};
use url::Url;

const NOW: OffsetDateTime = datetime!(2026-01-01 0:00 UTC);

/// A jar whose domain `big.com` holds `n` cookies, with room for `n`
/// there, filled over plain HTTP so that every store also runs the "Leave
/// Secure Cookies Alone" search. Returns the visits the filling cost.
fn full_domain(n: usize) -> (Jar, Url, u64) {
    let limits = Limits {
        max_cookies: 2 * n,
        max_cookies_per_domain: n,
        ..Limits::RFC6265
    };
    let mut jar = Jar::builder().limits(limits).build();
    let url = Url::parse("http://big.com/").unwrap();
    for k in 0..n {
        let stored = jar.set_cookie_at(&url, &format!("c{k}=v; Max-Age={}", 1000 + k), NOW);
        assert_eq!(stored, Ok(Stored::Inserted { evicted: 0 }));
    }
    let visits = jar.store.visits();
    (jar, url, visits)
}

/// Visits per operation for `ops` operations of each kind on a domain of
/// `n`: replacements, new cookies that evict one, and removals.
fn visits_per_store(n: usize, ops: usize) -> (u64, [f64; 3]) {
    let (mut jar, url, filling) = full_domain(n);
    let mut per_op = [0.0; 3];
    let before = jar.store.visits();
    for k in 0..ops {
        let stored = jar.set_cookie_at(&url, &format!("c{}=w", n / 2 + k), NOW);
        assert_eq!(stored, Ok(Stored::Replaced { evicted: 0 }));
    }
    per_op[0] = (jar.store.visits() - before) as f64 / ops as f64;
    let before = jar.store.visits();
    for k in 0..ops {
        let stored = jar.set_cookie_at(&url, &format!("new{k}=1"), NOW);
        assert_eq!(stored, Ok(Stored::Inserted { evicted: 1 }));
    }
    per_op[1] = (jar.store.visits() - before) as f64 / ops as f64;
    let before = jar.store.visits();
    for k in 0..ops {
        assert!(jar.remove("big.com", "/", &format!("new{k}")).is_some());
    }
    per_op[2] = (jar.store.visits() - before) as f64 / ops as f64;
    assert_eq!(jar.len(), n - ops);
    jar.store.check_consistency();
    (filling, per_op)
}

#[test]
fn a_store_into_a_large_domain_costs_the_same_at_5k_and_40k() {
    let (fill_5k, small) = visits_per_store(5_000, 200);
    let (fill_40k, large) = visits_per_store(40_000, 200);
    println!("filling: {fill_5k} visits for 5k, {fill_40k} for 40k; per store (replace, insert evicting, remove): {small:?} at 5k, {large:?} at 40k");
    for (kind, (s, l)) in ["replace", "insert evicting", "remove"]
        .iter()
        .zip(small.iter().zip(&large))
    {
        // Each store examines the cookie it replaces or the one it
        // evicts, and a removal the cookie it removes: a constant.
        assert!(*l <= 4.0, "{kind}: {l} entries examined per store at 40k");
        assert!(*l <= s + 1.0, "{kind}: {s} at 5k, {l} at 40k");
    }
    // Filling is linear in the domain's size, not quadratic: only the
    // first `INDEX_FROM` cookies are found by a scan.
    let scans = (INDEX_FROM * INDEX_FROM * 2) as u64;
    assert!(fill_5k <= 5_000 + scans, "{fill_5k} visits to fill 5k");
    assert!(fill_40k <= 40_000 + scans, "{fill_40k} visits to fill 40k");
}

#[test]
fn lookups_make_ticks_stale_and_eviction_stays_amortized() {
    let n = 2_000;
    let (mut jar, url, _) = full_domain(n);
    let mut evictions = 0u64;
    let before = jar.store.visits();
    for round in 0..20 {
        // A lookup touches every cookie: each eviction record is stale.
        assert!(jar.cookie_header_at(&url, NOW).is_some());
        for k in 0..10 {
            let h = format!("r{round}x{k}=1");
            assert_eq!(
                jar.set_cookie_at(&url, &h, NOW),
                Ok(Stored::Inserted { evicted: 1 })
            );
            evictions += 1;
        }
    }
    let visits = jar.store.visits() - before;
    // Each stale record is corrected at most once per lookup that made it
    // stale, and lookups touch at most the cookies of the header: at most
    // `n` per round (the header cap sends fewer).
    assert!(visits <= 20 * n as u64 + 4 * evictions, "{visits} visits");
    jar.store.check_consistency();
}

#[test]
fn a_large_domain_evicts_non_secure_least_recently_used_first() {
    let limits = Limits {
        max_cookies: 1_000,
        max_cookies_per_domain: 100,
        ..Limits::RFC6265
    };
    let mut jar = Jar::builder().limits(limits).build();
    let https = Url::parse("https://big.com/").unwrap();
    let http = Url::parse("http://big.com/").unwrap();
    // The oldest cookie is `Secure`; then 99 more, `c1` to `c99`.
    jar.set_cookie_at(&https, "s=1; Secure", NOW).unwrap();
    for k in 1..100 {
        jar.set_cookie_at(&http, &format!("c{k}=1"), NOW).unwrap();
    }
    // Replacing `c1` makes it recently used; `c2` is now the least
    // recently used cookie without `Secure`.
    jar.set_cookie_at(&http, "c1=2", NOW).unwrap();
    let stored = jar.set_cookie_at(&http, "fresh=1", NOW);
    assert_eq!(stored, Ok(Stored::Inserted { evicted: 1 }));
    let names: Vec<&str> = jar.iter().map(|c| c.name()).collect();
    assert!(names.contains(&"s") && names.contains(&"c1") && !names.contains(&"c2"));
    // A lookup sends (and so touches) every cookie, in RFC order (here
    // creation order, which a replacement keeps): `c1` is sent first after
    // `s`, so it is now the least recently used without `Secure`.
    assert!(jar.cookie_header_at(&https, NOW).is_some());
    jar.set_cookie_at(&http, "fresh2=1", NOW).unwrap();
    let names: Vec<&str> = jar.iter().map(|c| c.name()).collect();
    assert!(names.contains(&"s") && !names.contains(&"c1") && names.contains(&"c3"));
    jar.store.check_consistency();
}

#[derive(Debug, Clone)]
enum Op {
    Set {
        name: u8,
        host: u8,
        path: u8,
        secure: bool,
        max_age: Option<i64>,
    },
    Get {
        host: u8,
        https: bool,
    },
    Remove {
        name: u8,
        host: u8,
        path: u8,
    },
    Advance(i64),
    ClearDomain,
}

const HOSTS: [&str; 3] = ["a.example.com", "example.com", "other.org"];
const PATHS: [&str; 3] = ["/", "/p", "/p/q"];

fn op() -> impl Strategy<Value = Op> {
    prop_oneof![
        12 => (0u8..60, 0u8..3, 0u8..3, prop::bool::weighted(0.3), prop::option::of(prop_oneof![Just(0i64), Just(5), Just(100)]))
            .prop_map(|(name, host, path, secure, max_age)| Op::Set { name, host, path, secure, max_age }),
        2 => (0u8..3, any::<bool>()).prop_map(|(host, https)| Op::Get { host, https }),
        2 => (0u8..60, 0u8..3, 0u8..3).prop_map(|(name, host, path)| Op::Remove { name, host, path }),
        1 => (1i64..60).prop_map(Op::Advance),
        1 => Just(Op::ClearDomain),
    ]
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(64))]

    /// Buckets cross `INDEX_FROM` both ways, evict through the index, and
    /// every index agrees with the entries after every operation.
    #[test]
    fn bucket_indexes_stay_consistent(ops in prop::collection::vec(op(), 50..400)) {
        let limits = Limits { max_cookies: 90, max_cookies_per_domain: 45, ..Limits::RFC6265 };
        let mut jar = Jar::builder().limits(limits).build();
        let mut now = NOW;
        for op in ops {
            match op {
                Op::Set { name, host, path, secure, max_age } => {
                    let mut h = format!("n{name}=v; Path={}", PATHS[path as usize]);
                    if host == 1 { h += "; Domain=example.com"; }
                    if secure { h += "; Secure"; }
                    if let Some(m) = max_age { h += &format!("; Max-Age={m}"); }
                    let scheme = if secure || name % 3 == 0 { "https" } else { "http" };
                    let url = Url::parse(&format!("{scheme}://{}/p/q", HOSTS[host as usize])).unwrap();
                    let _ = jar.set_cookie_with(&url, &h, RequestContext::default(), now);
                }
                Op::Get { host, https } => {
                    let scheme = if https { "https" } else { "http" };
                    let url = Url::parse(&format!("{scheme}://{}/p/q", HOSTS[host as usize])).unwrap();
                    let _ = jar.cookie_header_at(&url, now);
                }
                Op::Remove { name, host, path } => {
                    let domain = if host == 1 { "example.com" } else { HOSTS[host as usize] };
                    let _ = jar.remove(domain, PATHS[path as usize], &format!("n{name}"));
                }
                Op::Advance(secs) => now += Duration::seconds(secs),
                Op::ClearDomain => { jar.clear_domain("other.org"); }
            }
            jar.store.check_consistency();
            prop_assert!(jar.len() <= limits.max_cookies);
        }
    }
}

/// Loading a file into a large domain looks each cookie's identity up
/// through the index, so the visits per loaded cookie do not grow with the
/// domain (a scan would make a 40k-cookie load quadratic).
#[test]
fn loading_a_large_domain_costs_the_same_per_cookie() {
    let per_cookie = |n: usize| {
        let (jar, _, _) = full_domain(n);
        let (text, _) = jar
            .to_text_at(crate::Format::Json, crate::SaveOptions::default(), NOW)
            .unwrap();
        let mut back = Jar::builder().limits(*jar.limits()).build();
        let before = back.store.visits();
        let report = back
            .load_text_at(
                &text,
                crate::Format::Json,
                crate::LoadOptions::default(),
                NOW,
            )
            .unwrap();
        assert_eq!(report.loaded, n);
        (back.store.visits() - before) as f64 / n as f64
    };
    let (small, large) = (per_cookie(1_000), per_cookie(8_000));
    // Visits are counted by the store's searches; a load that bypassed them
    // (a plain scan of the bucket) would count none and could be quadratic.
    assert!(
        small > 0.0,
        "the load looks identities up through the store"
    );
    assert!(
        large <= small * 1.5 + 2.0,
        "{small} -> {large} visits per loaded cookie"
    );
}

//! The shared jar under a mixed load from several threads, beside the one-lock
//! design it replaced and reqwest's
//! own `Jar` (an `RwLock` around `cookie_store`), both through reqwest's
//! `CookieStore` trait, in one run: 90% lookups and 10% stores, and lookups
//! only, over 1,000 cookies on 100 sites, from 1, 2 and 4 threads.
//!
//! `cargo bench --bench concurrent --features reqwest`
#![allow(missing_docs, clippy::unwrap_used, clippy::indexing_slicing)] // a bench, not library code

use criterion::{criterion_group, criterion_main, BenchmarkId, Criterion, Throughput};
use reqwest::cookie::CookieStore;
use reqwest::header::HeaderValue;
use std::time::{Duration, Instant};
use url::Url;

const SITES: usize = 100;

/// The design `SharedJar` had before it was sharded: one jar behind one
/// `RwLock`, as the baseline of the same run.
struct OneLock(std::sync::RwLock<cookiejar::Jar>);

impl CookieStore for OneLock {
    fn set_cookies(&self, values: &mut dyn Iterator<Item = &HeaderValue>, url: &Url) {
        let mut jar = self.0.write().unwrap();
        for value in values {
            let _ = jar.set_cookie(url, value.to_str().unwrap());
        }
    }

    fn cookies(&self, url: &Url) -> Option<HeaderValue> {
        let header = self.0.read().unwrap().cookie_header(url)?;
        HeaderValue::from_str(&header).ok()
    }
}
const OPS_PER_THREAD: usize = 500;

fn urls() -> Vec<Url> {
    (0..SITES)
        .map(|i| Url::parse(&format!("https://www.site{i}.com/app/page")).unwrap())
        .collect()
}

fn fill(store: &dyn CookieStore, urls: &[Url]) {
    for (i, url) in urls.iter().enumerate() {
        for k in 0..10 {
            let domain = if k % 2 == 0 {
                format!("; Domain=site{i}.com")
            } else {
                String::new()
            };
            let value = HeaderValue::from_str(&format!(
                "c{k}=value-{i}-{k}-0123456789abcdef; Path=/{domain}"
            ))
            .unwrap();
            store.set_cookies(&mut std::iter::once(&value), url);
        }
    }
}

/// `threads` threads, each doing `rounds * OPS_PER_THREAD` operations
/// (spawned once, so that thread start-up is not what is measured); with
/// `writes`, one in ten is a store (replacing a cookie, so the size stays
/// the same).
fn run(store: &dyn CookieStore, urls: &[Url], threads: usize, writes: bool, rounds: u64) {
    std::thread::scope(|s| {
        for t in 0..threads {
            s.spawn(move || {
                for op in (0..rounds as usize * OPS_PER_THREAD).map(|op| op % OPS_PER_THREAD) {
                    let url = &urls[(t * 31 + op * 7) % urls.len()];
                    if writes && op % 10 == 0 {
                        let value =
                            HeaderValue::from_str(&format!("c{}=v{op}; Path=/", op % 10)).unwrap();
                        store.set_cookies(&mut std::iter::once(&value), url);
                    } else {
                        std::hint::black_box(store.cookies(url));
                    }
                }
            });
        }
    });
}

fn mixed_load(c: &mut Criterion) {
    let urls = urls();
    let limits = cookiejar::Limits {
        max_cookies: 10_000,
        max_cookies_per_domain: 100,
        max_cookie_bytes: 4096,
        ..cookiejar::Limits::RFC2109
    };
    let ours = cookiejar::SharedJar::new(cookiejar::Jar::builder().limits(limits).build());
    let theirs = reqwest::cookie::Jar::default();
    let one_lock = OneLock(std::sync::RwLock::new(
        cookiejar::Jar::builder().limits(limits).build(),
    ));
    fill(&ours, &urls);
    fill(&theirs, &urls);
    fill(&one_lock, &urls);
    assert_eq!(ours.read().len(), 1000);
    for (group_name, writes) in [("shared_jar_mixed", true), ("shared_jar_read_only", false)] {
        let mut group = c.benchmark_group(group_name);
        for threads in [1usize, 2, 4] {
            group.throughput(Throughput::Elements((threads * OPS_PER_THREAD) as u64));
            for (name, store) in [
                ("cookiejar", &ours as &dyn CookieStore),
                ("one_lock_jar", &one_lock as &dyn CookieStore),
                ("reqwest_jar", &theirs as &dyn CookieStore),
            ] {
                group.bench_with_input(BenchmarkId::new(name, threads), &threads, |b, &threads| {
                    b.iter_custom(|iters| {
                        let start = Instant::now();
                        run(store, &urls, threads, writes, iters);
                        start.elapsed()
                    })
                });
            }
        }
        group.finish();
    }
}

fn config() -> Criterion {
    Criterion::default()
        .warm_up_time(Duration::from_secs(1))
        .measurement_time(Duration::from_secs(3))
        .sample_size(30)
}

criterion_group! { name = benches; config = config(); targets = mixed_load }
criterion_main!(benches);

//! Many threads storing and reading through one `SharedJar`.
#![allow(clippy::unwrap_used, clippy::indexing_slicing)] // test code

use cookiejar::{Jar, Limits, SharedJar};
use std::collections::{HashMap, HashSet};
use url::Url;

fn sites() -> Vec<Url> {
    (0..8)
        .map(|i| Url::parse(&format!("https://www.site{i}.com/")).unwrap())
        .collect()
}

/// Run `writer(thread, step, jar, sites)` on 8 threads beside 2 readers that
/// check every header they get against `check_header`.
fn hammer(
    jar: &SharedJar,
    writer: impl Fn(usize, usize, &SharedJar, &[Url]) + Sync,
    check_header: impl Fn(&Url, &str) + Sync,
) {
    let sites = sites();
    std::thread::scope(|s| {
        for t in 0..8usize {
            let (jar, sites, writer) = (jar, &sites, &writer);
            s.spawn(move || (0..200).for_each(|k| writer(t, k, jar, sites)));
        }
        for r in 0..2usize {
            let (jar, sites, check_header) = (jar, &sites, &check_header);
            s.spawn(move || {
                for k in 0..2000 {
                    let site = &sites[(k + r) % sites.len()];
                    if let Some(header) = jar.cookie_header(site) {
                        check_header(site, &header);
                    }
                }
            });
        }
    });
}

/// The cookies of `site{i}` are named `s{i}_...`, so a reader can tell a
/// cookie that crossed sites.
fn only_own_site(site: &Url, header: &str) {
    let prefix = format!("s{}_", &site.host_str().unwrap()[8..9]);
    for cookie in header.split("; ") {
        assert!(cookie.starts_with(&prefix), "{cookie} reached {site}");
    }
}

#[test]
fn every_thread_reads_its_own_writes_and_nothing_crosses_sites() {
    let limits = Limits {
        max_cookies: 10_000,
        max_cookies_per_domain: 1_000,
        max_cookie_bytes: 4096,
        ..Limits::RFC2109
    };
    let jar = SharedJar::new(Jar::builder().limits(limits).build());
    hammer(
        &jar,
        |t, k, jar, sites| {
            let i = (t + k) % sites.len();
            let cookie = format!("s{i}_t{t}k{}={k}", k % 15);
            jar.set_cookie(&sites[i], &format!("{cookie}; Max-Age=3600"))
                .unwrap();
            let header = jar.cookie_header(&sites[i]).unwrap_or_default();
            assert!(
                header.split("; ").any(|c| c == cookie),
                "{cookie} missing from {header}"
            );
        },
        only_own_site,
    );
    // Every distinct (site, thread, name) is there exactly once.
    let expected: HashSet<(usize, usize, usize)> = (0..8)
        .flat_map(|t| (0..200).map(move |k| ((t + k) % 8, t, k % 15)))
        .collect();
    assert_eq!(jar.read().len(), expected.len());
}

#[test]
fn limits_hold_under_contention() {
    let limits = Limits {
        max_cookies: 60,
        max_cookies_per_domain: 10,
        max_cookie_bytes: 4096,
        ..Limits::RFC2109
    };
    let jar = SharedJar::new(Jar::builder().limits(limits).build());
    hammer(
        &jar,
        |t, k, jar, sites| {
            let i = (t + k) % sites.len();
            let _ = jar.set_cookie(
                &sites[i],
                &format!("s{i}_t{t}k{}={k}; Max-Age=3600", k % 15),
            );
            let read = jar.read();
            assert!(read.len() <= 60, "{} cookies", read.len());
        },
        |site, header| {
            only_own_site(site, header);
            assert!(header.split("; ").count() <= 10, "{site}: {header}");
        },
    );
    let read = jar.read();
    let mut per_site: HashMap<String, usize> = HashMap::new();
    for c in read.iter() {
        *per_site.entry(c.domain().to_string()).or_default() += 1;
    }
    assert!(
        read.len() <= 60 && per_site.values().all(|&n| n <= 10),
        "{per_site:?}"
    );
    assert_eq!(per_site.len(), 8, "every site keeps cookies: {per_site:?}");
}

//! Instruction counts of one store into a jar, for valgrind: timings on a
//! shared machine vary by tens of percent, instruction counts by well under
//! one. Each run builds a jar, then does `ops` operations of one kind; the
//! difference between two runs with different `ops`, divided by the
//! difference in `ops`, is the cost of one operation without the set-up.
//!
//! ```text
//! cargo bench --bench store_instructions --no-run
//! valgrind --tool=callgrind --callgrind-out-file=/dev/null \
//!     target/release/deps/store_instructions-* <case> <cookies> <ops>
//! ```
//!
//! `python3 benches/store_instructions.py` runs every case that way and
//! prints the table. Cases: `replace-spread` and `lookup-spread` (ten
//! cookies on each registrable domain, as in benches/jar.rs), and
//! `replace-one-domain` and `insert-one-domain` (every cookie on one
//! domain, custom `Limits`; an insert evicts the domain's least recently
//! used cookie).
#![allow(missing_docs, clippy::unwrap_used, clippy::indexing_slicing)] // a bench, not library code

use cookiejar::{Jar, Limits, Stored};
use std::hint::black_box;
use time::macros::datetime;
use time::OffsetDateTime;
use url::Url;

const NOW: OffsetDateTime = datetime!(2026-01-01 0:00 UTC);

fn spread(n: usize) -> (Jar, Vec<Url>) {
    let limits = Limits {
        max_cookies: n,
        max_cookies_per_domain: 10,
        ..Limits::RFC6265
    };
    let mut jar = Jar::builder().limits(limits).build();
    let urls: Vec<Url> = (0..n / 10)
        .map(|i| Url::parse(&format!("https://www.site{i}.com/")).unwrap())
        .collect();
    for url in &urls {
        for j in 0..10 {
            let h = format!("c{j}=value{j}; Path=/; Max-Age=3600");
            jar.set_cookie_at(url, &h, NOW).unwrap();
        }
    }
    (jar, urls)
}

fn one_domain(n: usize) -> (Jar, Url) {
    let limits = Limits {
        max_cookies: 2 * n,
        max_cookies_per_domain: n,
        ..Limits::RFC6265
    };
    let mut jar = Jar::builder().limits(limits).build();
    let url = Url::parse("http://big.com/").unwrap();
    for k in 0..n {
        jar.set_cookie_at(&url, &format!("c{k}=value{k}"), NOW)
            .unwrap();
    }
    (jar, url)
}

fn main() {
    let args: Vec<String> = std::env::args().collect();
    if args.len() != 4 || args[1] == "--bench" {
        // `cargo bench` runs every bench binary; this one is for valgrind.
        eprintln!("usage: store_instructions <case> <cookies> <ops>");
        return;
    }
    let (case, n, ops) = (
        args[1].as_str(),
        args[2].parse().unwrap(),
        args[3].parse::<usize>().unwrap(),
    );
    // Headers built before the counted part, so both runs format alike.
    let headers: Vec<String> = (0..ops).map(|k| format!("c{}=new{k}", k % 10)).collect();
    match case {
        "replace-spread" => {
            let (mut jar, urls) = spread(n);
            for (k, h) in headers.iter().enumerate() {
                let url = &urls[(k * 7919) % urls.len()];
                let stored = jar.set_cookie_at(black_box(url), black_box(h), NOW);
                assert_eq!(stored, Ok(Stored::Replaced { evicted: 0 }));
            }
        }
        "lookup-spread" => {
            let (jar, urls) = spread(n);
            for k in 0..ops {
                let url = &urls[(k * 7919) % urls.len()];
                black_box(jar.cookie_header_at(black_box(url), NOW));
            }
        }
        "replace-one-domain" => {
            let (mut jar, url) = one_domain(n);
            let replaced: Vec<String> = (0..ops)
                .map(|k| format!("c{}=new", (k * 7919) % n))
                .collect();
            for h in &replaced {
                let stored = jar.set_cookie_at(black_box(&url), black_box(h), NOW);
                assert_eq!(stored, Ok(Stored::Replaced { evicted: 0 }));
            }
        }
        "insert-one-domain" => {
            let (mut jar, url) = one_domain(n);
            let fresh: Vec<String> = (0..ops).map(|k| format!("new{k}=1")).collect();
            for h in &fresh {
                let stored = jar.set_cookie_at(black_box(&url), black_box(h), NOW);
                assert_eq!(stored, Ok(Stored::Inserted { evicted: 1 }));
            }
        }
        _ => panic!("unknown case {case}"),
    }
}

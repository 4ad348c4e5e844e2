//! Heap bytes per cookie, this crate's jar beside `cookie_store`, for the
//! workload of benches/jar.rs (ten cookies on each of n/10 registrable
//! domains). Counted by dhat's global allocator (no `unsafe` code of ours),
//! so this is its own binary, apart from the timed benches.
//!
//! `cargo bench --bench jar_memory` prints a markdown table: the live heap
//! the filled jar holds, per cookie, and the same less the bytes of the
//! cookies' own name, value, domain and path strings (the same cookies on
//! both sides). The public suffix list is allocated before counting starts
//! and not counted for either.
#![allow(missing_docs, clippy::unwrap_used, clippy::indexing_slicing)] // a bench, not library code

use cookiejar::{Jar, Limits, PublicSuffixList};
use time::macros::datetime;
use time::OffsetDateTime;
use url::Url;

#[global_allocator]
static ALLOC: dhat::Alloc = dhat::Alloc;

const SIZES: [usize; 2] = [10_000, 100_000];
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

// The workload: the same as benches/jar.rs.

fn site(i: usize) -> String {
    if i.is_multiple_of(2) {
        format!("site{i}.com")
    } else {
        format!("site{i}.co.uk")
    }
}

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

fn workload(n: usize) -> Vec<(Url, String)> {
    (0..n / PER_DOMAIN)
        .flat_map(|i| (0..PER_DOMAIN).map(move |j| set_cookie(i, j, 0)))
        .collect()
}

/// Live heap bytes and blocks.
fn live() -> (usize, usize) {
    let stats = dhat::HeapStats::get();
    (stats.curr_bytes, stats.curr_blocks)
}

struct Row {
    bytes: usize,
    blocks: usize,
}

/// Our jar of `cookies`: what it holds, and the bytes of the cookies' own
/// strings.
fn ours(cookies: &[(Url, String)]) -> (Row, usize) {
    let limits = Limits {
        max_cookies: 200_000,
        max_cookies_per_domain: 100,
        max_cookie_bytes: 4096,
        ..Limits::RFC2109
    };
    let (bytes0, blocks0) = live();
    let mut jar = Jar::builder().limits(limits).build();
    for (url, h) in cookies {
        jar.set_cookie_at(url, h, NOW).unwrap();
    }
    let (bytes1, blocks1) = live();
    assert_eq!(jar.len(), cookies.len());
    let strings = jar
        .iter()
        .map(|c| c.name().len() + c.value().len() + c.domain().len() + c.path().len())
        .sum();
    let row = Row {
        bytes: bytes1 - bytes0,
        blocks: blocks1 - blocks0,
    };
    (row, strings)
}

fn theirs(cookies: &[(Url, String)]) -> Row {
    let list: publicsuffix::List = include_str!("../src/psl/public_suffix_list.dat")
        .parse()
        .unwrap();
    let (bytes0, blocks0) = live();
    let mut store = cookie_store::CookieStore::new_with_public_suffix(Some(list));
    for (url, h) in cookies {
        let c = cookie::Cookie::parse(h.as_str()).unwrap();
        store.insert_raw(&c, url).unwrap();
    }
    let (bytes1, blocks1) = live();
    assert_eq!(store.iter_any().count(), cookies.len());
    Row {
        bytes: bytes1 - bytes0,
        blocks: blocks1 - blocks0,
    }
}

fn main() {
    let _profiler = dhat::Profiler::builder()
        .testing()
        .trim_backtraces(Some(4))
        .build();
    // The bundled list, parsed once per process: not the jar's.
    let _psl = PublicSuffixList::bundled();

    println!(
        "| jar | cookies | heap / cookie | less name, value, domain, path | allocations / cookie |"
    );
    println!("| --- | --- | --- | --- | --- |");
    for n in SIZES {
        let cookies = workload(n);
        let (ours, strings) = ours(&cookies);
        let theirs = theirs(&cookies);
        for (name, row) in [("cookiejar", ours), ("cookie_store 0.22", theirs)] {
            println!(
                "| {name} | {n} | {:.0} B | {:.0} B | {:.1} |",
                row.bytes as f64 / n as f64,
                (row.bytes as f64 - strings as f64) / n as f64,
                row.blocks as f64 / n as f64,
            );
        }
        println!(
            "<!-- n = {n}: the cookies' own strings are {:.1} B / cookie -->",
            strings as f64 / n as f64
        );
    }
}

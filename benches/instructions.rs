//! Instruction counts of every workload shape of issue 15 (benches/shapes),
//! this crate and its peers on the same bytes, for valgrind's callgrind:
//! timings on a shared machine vary by tens of percent, instruction counts
//! by well under one. Each run sets up (corpus, filled jar), then does
//! `ops` operations of one kind; `python3 benches/instructions.py` runs
//! each case with `ops` and `2 * ops` and divides the difference by `ops`,
//! so the set-up cancels out.
//!
//! ```text
//! cargo bench --bench instructions --no-run
//! valgrind --tool=callgrind --callgrind-out-file=/dev/null \
//!     $CARGO_TARGET_DIR/release/deps/instructions-* <case> <impl> <size> <ops>
//! ```
//!
//! Cases: `set-cookie <impl> <shape>` (shape: mixed, bare, full, large),
//! `cookie-header <impl> 0`, `store <impl> <sites>` and `lookup <impl>
//! <sites>` over a crawl of `sites` registrable domains (ten cookies each).
//! Impls: `cookiejar`, `cookie` (parsing), `cookie_store` and `reqwest`
//! (jars). A lookup builds the `Cookie` header value; `cookiejar-buf`
//! writes it into one reused `String`.
#![allow(missing_docs, clippy::unwrap_used, clippy::indexing_slicing)] // a bench, not library code

mod shapes;

use reqwest::cookie::CookieStore as _;
use shapes::jars::{our_jar, reqwest_jar, their_header, their_store, NOW};
use std::hint::black_box;
/// Stores and lookups prepared before the counted part (and cycled), so
/// that runs with different `ops` do the same set-up.
const PREPARED: usize = 4096;

fn parse_ours(h: &str) -> i64 {
    let c = cookiejar::SetCookie::parse(black_box(h)).unwrap();
    let mut acc = (c.name().len() + c.value().len()) as i64;
    acc += c.expires().map_or(0, |t| t.unix_timestamp());
    acc += c.max_age().unwrap_or(0);
    acc += c.domain().map_or(0, str::len) as i64 + c.path().map_or(0, str::len) as i64;
    acc + i64::from(c.secure()) + i64::from(c.http_only()) + i64::from(c.same_site().is_some())
}

fn parse_theirs(h: &str) -> i64 {
    let c = cookie::Cookie::parse(black_box(h)).unwrap();
    let mut acc = (c.name().len() + c.value().len()) as i64;
    acc += c.expires_datetime().map_or(0, |t| t.unix_timestamp());
    acc += c.max_age().map_or(0, |d| d.whole_seconds());
    acc += c.domain().map_or(0, str::len) as i64 + c.path().map_or(0, str::len) as i64;
    acc + i64::from(c.secure().unwrap_or(false))
        + i64::from(c.http_only().unwrap_or(false))
        + i64::from(c.same_site().is_some())
}

fn pairs_ours(h: &str) -> usize {
    cookiejar::parse_cookie_header(black_box(h))
        .map(|p| p.name().len() + p.value().len())
        .sum()
}

fn pairs_theirs(h: &str) -> usize {
    cookie::Cookie::split_parse(black_box(h))
        .filter_map(Result::ok)
        .map(|p| p.name().len() + p.value().len())
        .sum()
}

fn main() {
    let args: Vec<String> = std::env::args().collect();
    if args.len() != 5 || args[1] == "--bench" {
        // `cargo bench` runs every bench binary; this one is for valgrind.
        eprintln!("usage: instructions <case> <impl> <size> <ops>");
        return;
    }
    let (case, imp, size, ops) = (
        args[1].as_str(),
        args[2].as_str(),
        args[3].as_str(),
        args[4].parse::<usize>().unwrap(),
    );
    match (case, imp) {
        ("set-cookie", _) => {
            let corpus = shapes::set_cookie_corpus(size);
            let parse = match imp {
                "cookiejar" => parse_ours,
                "cookie" => parse_theirs,
                _ => panic!("unknown impl {imp}"),
            };
            let mut acc = 0;
            for k in 0..ops {
                acc += parse(&corpus[k % corpus.len()]);
            }
            black_box(acc);
        }
        ("cookie-header", _) => {
            let headers = shapes::cookie_headers();
            let parse = match imp {
                "cookiejar" => pairs_ours,
                "cookie" => pairs_theirs,
                _ => panic!("unknown impl {imp}"),
            };
            let mut acc = 0;
            for k in 0..ops {
                acc += parse(&headers[k % headers.len()]);
            }
            black_box(acc);
        }
        ("store", _) => {
            let sites: usize = size.parse().unwrap();
            let crawl = shapes::crawl(sites);
            let stores = shapes::crawl_stores(sites, PREPARED);
            let stores = stores.iter().cycle().take(ops);
            match imp {
                "cookiejar" => {
                    let mut jar = our_jar(&crawl);
                    for r in stores {
                        let stored =
                            jar.set_cookie_at(black_box(&r.url), black_box(&r.set_cookie), NOW);
                        assert_eq!(stored.is_ok(), r.accepted);
                    }
                }
                "cookie_store" => {
                    let mut store = their_store(&crawl);
                    for r in stores {
                        let c = cookie::Cookie::parse(black_box(r.set_cookie.as_str())).unwrap();
                        assert_eq!(store.insert_raw(&c, black_box(&r.url)).is_ok(), r.accepted);
                    }
                }
                "reqwest" => {
                    let jar = reqwest_jar(&crawl);
                    for r in stores {
                        jar.add_cookie_str(black_box(&r.set_cookie), black_box(&r.url));
                    }
                }
                _ => panic!("unknown impl {imp}"),
            }
        }
        ("lookup", _) => {
            let sites: usize = size.parse().unwrap();
            let crawl = shapes::crawl(sites);
            let urls = shapes::crawl_lookups(sites, PREPARED);
            let urls = urls.iter().cycle().take(ops);
            match imp {
                "cookiejar" => {
                    let jar = our_jar(&crawl);
                    for url in urls {
                        black_box(jar.cookie_header_at(black_box(url), NOW));
                    }
                }
                "cookiejar-buf" => {
                    let jar = our_jar(&crawl);
                    let mut header = String::new();
                    for url in urls {
                        black_box(jar.write_cookie_header_at(black_box(url), NOW, &mut header));
                    }
                }
                "cookie_store" => {
                    let store = their_store(&crawl);
                    for url in urls {
                        black_box(their_header(&store, black_box(url)));
                    }
                }
                "reqwest" => {
                    let jar = reqwest_jar(&crawl);
                    for url in urls {
                        black_box(jar.cookies(black_box(url)));
                    }
                }
                _ => panic!("unknown impl {imp}"),
            }
        }
        _ => panic!("unknown case {case}"),
    }
}

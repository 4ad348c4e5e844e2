//! Proof that a replacing store allocates only what changed: the new
//! cookie's strings stay borrowed from the header and the request until it
//! is filed, and a replacement takes the name, domain and path (and an
//! unchanged value) of the cookie it replaces. A counting global allocator
//! (dhat's, so that no `unsafe` code of ours is needed).
//!
//! Its own test binary with one test: the global allocator and dhat's
//! profiler are process-wide.
#![allow(clippy::unwrap_used)]

use cookiejar::{Jar, Stored};
use time::macros::datetime;
use url::Url;

#[global_allocator]
static ALLOC: dhat::Alloc = dhat::Alloc;

fn blocks() -> u64 {
    dhat::HeapStats::get().total_blocks
}

#[test]
fn a_replacement_allocates_only_a_changed_value() {
    let now = datetime!(2026-01-01 0:00 UTC);
    let url = Url::parse("https://www.example.com/app/page").unwrap();
    let mut jar = Jar::new();
    let headers = [
        "sid=abc123; Path=/; Secure; HttpOnly",
        "lang=en; Domain=example.com; Path=/",
        "_ga=GA1.2.3; Domain=example.com; Max-Age=3600",
    ];
    for h in headers {
        assert_eq!(
            jar.set_cookie_at(&url, h, now),
            Ok(Stored::Inserted { evicted: 0 })
        );
    }
    let cases: [(&str, u64); 6] = [
        // The same value: nothing to allocate.
        ("sid=abc123; Path=/; Secure; HttpOnly", 0),
        ("lang=en; Domain=example.com; Path=/", 0),
        ("_ga=GA1.2.3; Domain=example.com; Max-Age=60", 0),
        // A new value: the value alone.
        ("sid=def456; Path=/; Secure; HttpOnly", 1),
        ("lang=fr; Domain=example.com; Path=/", 1),
        // An upper-case `Domain` is lowered into a string of its own.
        ("lang=de; Domain=EXAMPLE.com; Path=/", 2),
    ];
    let profiler = dhat::Profiler::builder().testing().build();
    let mut seen = Vec::with_capacity(cases.len());
    for (header, _) in cases {
        let before = blocks();
        let stored = jar.set_cookie_at(&url, header, now);
        let allocated = blocks() - before;
        seen.push((stored, allocated));
    }
    // Control: the counter does see an allocation.
    let before = blocks();
    let boxed = std::hint::black_box(Box::new(before));
    let control = blocks() - before;
    drop(boxed);
    drop(profiler);
    assert_eq!(control, 1);
    for ((header, want), (stored, allocated)) in cases.iter().zip(seen) {
        assert_eq!(stored, Ok(Stored::Replaced { evicted: 0 }), "{header}");
        assert_eq!(allocated, *want, "{header}");
    }
    assert_eq!(jar.len(), 3);
    let header = jar.cookie_header_at(&url, now).unwrap();
    assert!(
        header.contains("sid=def456") && header.contains("lang=de"),
        "{header}"
    );
}

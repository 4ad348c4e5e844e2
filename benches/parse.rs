//! Parsing throughput, side by side in one run: this crate, the peer crate
//! `cookie`, and three floors over the same bytes: a memchr count of the
//! separators, a memchr tokenizing scan that splits at them, and the same
//! splits found by a safe-Rust word-at-a-time scan. Every parsed
//! field is read, `Expires` as an instant.
//!
//! `cargo bench --bench parse`; `python3 benches/table.py` prints the
//! README table from criterion's results.
#![allow(missing_docs, clippy::unwrap_used, clippy::indexing_slicing)] // a bench, not library code

mod shapes;

use criterion::{black_box, criterion_group, criterion_main, BenchmarkId, Criterion, Throughput};
use std::time::Duration;

/// The realistic corpus: session ids, analytics cookies, long tokens, every
/// `Expires` style (RFC 1123, RFC 850, asctime), `Max-Age`, RFC 2109.
fn set_cookie_corpus() -> Vec<&'static str> {
    include_str!("../testdata/headers/set-cookie.txt")
        .lines()
        .filter(|l| !l.is_empty() && !l.starts_with('#'))
        .collect()
}

/// A `Cookie` request header of `n` pairs shaped like the corpus's cookies.
fn cookie_header(n: usize) -> String {
    let names = [
        "sid",
        "_ga",
        "_gid",
        "csrftoken",
        "lang",
        "theme",
        "consent",
        "AWSALB",
    ];
    (0..n)
        .map(|i| {
            let name = names[i % names.len()];
            format!("{name}{i}=v{}{}", i * 7919, "x".repeat(8 + (i * 13) % 40))
        })
        .collect::<Vec<_>>()
        .join("; ")
}

/// The strict floor: a vectorized count of every `;` and `=` (two memchr
/// passes). It locates nothing, so no parser can use it as its scan.
fn memchr_count(bytes: &[u8]) -> usize {
    memchr::memchr_iter(b';', bytes).count() + memchr::memchr_iter(b'=', bytes).count()
}

/// The tokenizing floor: memchr to each `;`, then memchr to the first `=`
/// of each piece: the splits every parser makes, with no trimming,
/// validation, attribute matching or dates.
fn memchr_tokens(bytes: &[u8]) -> usize {
    let mut acc = 0;
    let mut start = 0;
    for end in memchr::memchr_iter(b';', bytes).chain([bytes.len()]) {
        let piece = &bytes[start..end];
        acc += memchr::memchr(b'=', piece).unwrap_or(piece.len());
        start = end + 1;
    }
    acc
}

/// The safe-scalar floor: the same splits as `memchr_tokens`, found eight
/// bytes at a time in safe Rust (the scan this crate can use, since it
/// forbids `unsafe` and so SIMD), with no trimming or validation. It shows
/// how far the memchr count is from what any safe scalar parser can reach.
fn scalar_tokens(bytes: &[u8]) -> usize {
    let mut acc = 0;
    let mut rest = bytes;
    while !rest.is_empty() {
        let (name, after) = rest.split_at(scalar_find(rest, b';', b'='));
        let (value, after) = match after.split_first() {
            Some((b'=', after)) => after.split_at(scalar_find(after, b';', b';')),
            _ => (&after[..0], after),
        };
        acc += name.len() + value.len();
        rest = after.get(1..).unwrap_or_default();
    }
    acc
}

/// `scalar_tokens` measured only if it splits as `str::split` does.
fn check_scalar_floor(bytes: &[u8]) {
    let split: usize = bytes
        .split(|&b| b == b';')
        .map(|item| item.len() - usize::from(item.contains(&b'=')))
        .sum();
    assert_eq!(scalar_tokens(bytes), split, "scalar_tokens splits wrongly");
}

/// The first `a` or `b` in `input` (or its length), eight bytes per step.
fn scalar_find(input: &[u8], a: u8, b: u8) -> usize {
    const LO: u64 = 0x0101_0101_0101_0101;
    const HI: u64 = 0x8080_8080_8080_8080;
    let zero_bytes = |x: u64| x.wrapping_sub(LO) & !x & HI;
    let mut words = input.chunks_exact(8);
    for (i, word) in (&mut words).enumerate() {
        let w = u64::from_le_bytes(word.try_into().unwrap());
        let hits = zero_bytes(w ^ (LO * u64::from(a))) | zero_bytes(w ^ (LO * u64::from(b)));
        if hits != 0 {
            return i * 8 + hits.trailing_zeros() as usize / 8;
        }
    }
    let done = input.len() - words.remainder().len();
    words
        .remainder()
        .iter()
        .position(|&x| x == a || x == b)
        .map_or(input.len(), |i| done + i)
}

/// A floor: a scan of the header bytes.
type Floor = fn(&[u8]) -> usize;

/// The floors, by their bench id.
const FLOORS: [(&str, Floor); 3] = [
    ("memchr_count", memchr_count),
    ("memchr_tokens", memchr_tokens),
    ("scalar_tokens", scalar_tokens),
];

fn set_cookie(c: &mut Criterion) {
    let corpus = set_cookie_corpus();
    let bytes: usize = corpus.iter().map(|h| h.len()).sum();
    let mut group = c.benchmark_group("set_cookie");
    group.throughput(Throughput::Bytes(bytes as u64));

    group.bench_function("cookiejar", |b| {
        b.iter(|| {
            let mut acc = 0i64;
            for h in &corpus {
                let c = cookiejar::SetCookie::parse(black_box(h)).unwrap();
                acc += (c.name().len() + c.value().len()) as i64;
                acc += c.expires().map_or(0, |t| t.unix_timestamp());
                acc += c.max_age().unwrap_or(0);
                acc += c.domain().map_or(0, str::len) as i64 + c.path().map_or(0, str::len) as i64;
                acc += i64::from(c.secure())
                    + i64::from(c.http_only())
                    + i64::from(c.same_site().is_some());
            }
            acc
        })
    });
    group.bench_function("cookie", |b| {
        b.iter(|| {
            let mut acc = 0i64;
            for h in &corpus {
                let c = cookie::Cookie::parse(black_box(*h)).unwrap();
                acc += (c.name().len() + c.value().len()) as i64;
                acc += c.expires_datetime().map_or(0, |t| t.unix_timestamp());
                acc += c.max_age().map_or(0, |d| d.whole_seconds());
                acc += c.domain().map_or(0, str::len) as i64 + c.path().map_or(0, str::len) as i64;
                acc += i64::from(c.secure().unwrap_or(false))
                    + i64::from(c.http_only().unwrap_or(false));
                acc += i64::from(c.same_site().is_some());
            }
            acc
        })
    });
    for h in &corpus {
        check_scalar_floor(h.as_bytes());
    }
    for (id, floor) in FLOORS {
        group.bench_function(id, |b| {
            b.iter(|| {
                corpus
                    .iter()
                    .map(|h| floor(black_box(h.as_bytes())))
                    .sum::<usize>()
            })
        });
    }
    group.finish();
}

fn cookie_request_header(c: &mut Criterion) {
    let mut group = c.benchmark_group("cookie_header");
    for n in [1usize, 10, 40] {
        let header = cookie_header(n);
        group.throughput(Throughput::Bytes(header.len() as u64));
        group.bench_with_input(BenchmarkId::new("cookiejar", n), &header, |b, h| {
            b.iter(|| {
                cookiejar::parse_cookie_header(black_box(h))
                    .map(|p| p.name().len() + p.value().len())
                    .sum::<usize>()
            })
        });
        group.bench_with_input(BenchmarkId::new("cookie", n), &header, |b, h| {
            b.iter(|| {
                cookie::Cookie::split_parse(black_box(h.as_str()))
                    .filter_map(Result::ok)
                    .map(|p| p.name().len() + p.value().len())
                    .sum::<usize>()
            })
        });
        check_scalar_floor(header.as_bytes());
        for (id, floor) in FLOORS {
            group.bench_with_input(BenchmarkId::new(id, n), &header, |b, h| {
                b.iter(|| floor(black_box(h.as_bytes())))
            });
        }
    }
    group.finish();
}

/// The shapes of issue 15 (benches/shapes): each iteration parses a whole
/// corpus of `shapes::CORPUS` headers, every field read as above.
fn workload_shapes(c: &mut Criterion) {
    let mut group = c.benchmark_group("shapes_set_cookie");
    for shape in shapes::SET_COOKIE_SHAPES {
        let corpus = shapes::set_cookie_corpus(shape);
        let bytes: usize = corpus.iter().map(String::len).sum();
        group.throughput(Throughput::Bytes(bytes as u64));
        group.bench_with_input(
            BenchmarkId::new("cookiejar", shape),
            &corpus,
            |b, corpus| b.iter(|| corpus.iter().map(|h| parse_ours(h)).sum::<i64>()),
        );
        group.bench_with_input(BenchmarkId::new("cookie", shape), &corpus, |b, corpus| {
            b.iter(|| corpus.iter().map(|h| parse_theirs(h)).sum::<i64>())
        });
    }
    group.finish();
    let mut group = c.benchmark_group("shapes_cookie_header");
    let headers = shapes::cookie_headers();
    let bytes: usize = headers.iter().map(String::len).sum();
    group.throughput(Throughput::Bytes(bytes as u64));
    group.bench_with_input(
        BenchmarkId::new("cookiejar", "1-40"),
        &headers,
        |b, headers| {
            b.iter(|| {
                headers
                    .iter()
                    .flat_map(|h| cookiejar::parse_cookie_header(black_box(h)))
                    .map(|p| p.name().len() + p.value().len())
                    .sum::<usize>()
            })
        },
    );
    group.bench_with_input(
        BenchmarkId::new("cookie", "1-40"),
        &headers,
        |b, headers| {
            b.iter(|| {
                headers
                    .iter()
                    .flat_map(|h| cookie::Cookie::split_parse(black_box(h.as_str())))
                    .filter_map(Result::ok)
                    .map(|p| p.name().len() + p.value().len())
                    .sum::<usize>()
            })
        },
    );
    group.finish();
}

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

fn config() -> Criterion {
    Criterion::default()
        .warm_up_time(Duration::from_secs(1))
        .measurement_time(Duration::from_secs(3))
}

criterion_group! { name = benches; config = config(); targets = set_cookie, cookie_request_header, workload_shapes }
criterion_main!(benches);

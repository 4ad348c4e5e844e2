//! The fleet jar against a real `redis-server` on loopback, beside the
//! local `SharedJar` and a naive per-host read-modify-write store like
//! Colly's `redisstorage` (one Redis string per host: GET, change, SET),
//! in one run:
//!
//! - lookups and stores per second (one thread; 1,000 cookies on 100 sites),
//!   stores both waiting (`set_cookie`) and queued (`queue_cookie`, what
//!   reqwest's `CookieStore` does): the call, and the stores written to
//!   the log and applied;
//! - propagation delay: from the start of a store on one replica to the
//!   new value in another replica's `Cookie` header (two replicas with
//!   their own connections and follower threads, as two processes have);
//! - lost updates: two writers each storing distinct cookies on one host.
//!
//! `cargo bench --bench fleet --features redis` (plain timing, no criterion:
//! the figures are rates and percentiles of single operations).
#![allow(missing_docs, clippy::unwrap_used, clippy::indexing_slicing)] // a bench

#[path = "../tests/fleet/server.rs"]
#[allow(dead_code)]
mod server;

use cookiejar::{FleetJar, Jar, Limits, SharedJar};
use std::time::{Duration, Instant};
use url::Url;

const SITES: usize = 100;
const LOOKUPS: usize = 100_000;
const STORES: usize = 2_000;
const SAMPLES: usize = 500;

fn limits() -> Limits {
    Limits {
        max_cookies: 10_000,
        max_cookies_per_domain: 100,
        ..Limits::RFC2109
    }
}

/// Room for the 1,000 cookies of the lost-update race on one host.
fn race_limits() -> Limits {
    Limits {
        max_cookies_per_domain: 2_000,
        ..limits()
    }
}

fn urls() -> Vec<Url> {
    (0..SITES)
        .map(|i| Url::parse(&format!("https://www.site{i}.com/app/page")).unwrap())
        .collect()
}

fn header(i: usize, k: usize) -> String {
    let domain = if k.is_multiple_of(2) {
        format!("; Domain=site{i}.com")
    } else {
        String::new()
    };
    format!("c{k}=value-{i}-{k}-0123456789abcdef; Path=/{domain}")
}

fn rate(n: usize, elapsed: Duration) -> String {
    let per_second = n as f64 / elapsed.as_secs_f64();
    match per_second {
        r if r >= 1e6 => format!("{:.2} M/s", r / 1e6),
        r if r >= 1e4 => format!("{:.0} k/s", r / 1e3),
        r => format!("{r:.0} /s"),
    }
}

fn percentiles(mut samples: Vec<Duration>) -> String {
    samples.sort();
    let at = |q: f64| samples[((samples.len() - 1) as f64 * q) as usize];
    format!("median {:?}, p99 {:?}", at(0.5), at(0.99))
}

/// The naive design: the cookies of a host as one string in Redis,
/// `name=value` pairs separated by `; `; a store reads it, changes it and
/// writes it back, and a lookup reads it.
struct Naive {
    conn: redis::Connection,
}

impl Naive {
    fn key(url: &Url) -> String {
        format!("naive:{}", url.host_str().unwrap())
    }

    fn store(&mut self, url: &Url, name: &str, value: &str) {
        let key = Naive::key(url);
        let old: Option<String> = redis::cmd("GET").arg(&key).query(&mut self.conn).unwrap();
        let mut pairs: Vec<String> = old
            .unwrap_or_default()
            .split("; ")
            .filter(|p| !p.is_empty() && p.split('=').next() != Some(name))
            .map(str::to_owned)
            .collect();
        pairs.push(format!("{name}={value}"));
        let _: () = redis::cmd("SET")
            .arg(&key)
            .arg(pairs.join("; "))
            .query(&mut self.conn)
            .unwrap();
    }

    fn lookup(&mut self, url: &Url) -> Option<String> {
        redis::cmd("GET")
            .arg(Naive::key(url))
            .query(&mut self.conn)
            .unwrap()
    }
}

fn main() {
    let Some(server) = server::RedisServer::start() else {
        return;
    };
    let redis_url = server.url();
    let urls = urls();
    let client = redis::Client::open(redis_url.as_str()).unwrap();

    // Throughput, one thread.
    let shared = SharedJar::new(Jar::builder().limits(limits()).build());
    let fleet = FleetJar::builder(&redis_url, "bench")
        .limits(limits())
        .open()
        .unwrap();
    let mut naive = Naive {
        conn: client.get_connection().unwrap(),
    };
    let start = Instant::now();
    for (i, url) in urls.iter().enumerate() {
        for k in 0..10 {
            fleet.set_cookie(url, &header(i, k)).unwrap();
        }
    }
    let fleet_fill = start.elapsed();
    for (i, url) in urls.iter().enumerate() {
        for k in 0..10 {
            shared.set_cookie(url, &header(i, k)).unwrap();
            naive.store(url, &format!("c{k}"), "v");
        }
    }
    println!("| measure | fleet jar (local replica) | SharedJar | naive per-host GET/SET |");
    println!("| --- | --- | --- | --- |");
    let time_lookups = |f: &mut dyn FnMut(&Url)| {
        let start = Instant::now();
        for op in 0..LOOKUPS {
            f(&urls[(op * 7) % SITES]);
        }
        rate(LOOKUPS, start.elapsed())
    };
    let fleet_lookups = time_lookups(&mut |u| drop(std::hint::black_box(fleet.cookie_header(u))));
    let shared_lookups = time_lookups(&mut |u| drop(std::hint::black_box(shared.cookie_header(u))));
    let naive_lookups = {
        let start = Instant::now();
        for op in 0..LOOKUPS / 10 {
            std::hint::black_box(naive.lookup(&urls[(op * 7) % SITES]));
        }
        rate(LOOKUPS / 10, start.elapsed())
    };
    println!("| lookups (1 thread) | {fleet_lookups} | {shared_lookups} | {naive_lookups} |");
    let time_stores = |n: usize, f: &mut dyn FnMut(usize, &Url)| {
        let start = Instant::now();
        for op in 0..n {
            f(op, &urls[(op * 7) % SITES]);
        }
        rate(n, start.elapsed())
    };
    let fleet_stores = time_stores(STORES, &mut |op, u| {
        fleet
            .set_cookie(u, &format!("c{}=v{op}; Path=/", op % 10))
            .unwrap();
    });
    let shared_stores = time_stores(STORES * 50, &mut |op, u| {
        shared
            .set_cookie(u, &format!("c{}=v{op}; Path=/", op % 10))
            .unwrap();
    });
    let naive_stores = time_stores(STORES, &mut |op, u| {
        naive.store(u, &format!("c{}", op % 10), &format!("v{op}"))
    });
    println!("| stores (1 thread) | {fleet_stores} | {shared_stores} | {naive_stores} |");
    // Queued: the calls alone, then until they are all in the log and
    // applied here.
    let queued = STORES * 10;
    let start = Instant::now();
    for op in 0..queued {
        let u = &urls[(op * 7) % SITES];
        fleet.queue_cookie(u, &format!("c{}=q{op}; Path=/", op % 10));
    }
    let calls = start.elapsed();
    fleet.sync().unwrap();
    let written = start.elapsed();
    assert!(fleet.take_failures().is_empty());
    println!(
        "| stores queued (reqwest's CookieStore), 1 thread: the call / written and applied | {} / {} | | |",
        rate(queued, calls),
        rate(queued, written)
    );
    println!("| fill of 1,000 cookies | {:?} | | |", fleet_fill);

    // Propagation: store on A, wait until B's header shows it.
    let a = fleet;
    let b = FleetJar::builder(&redis_url, "bench")
        .limits(limits())
        .open()
        .unwrap();
    let probe = &urls[0];
    let mut fleet_delays = Vec::with_capacity(SAMPLES);
    for n in 0..SAMPLES {
        let value = format!("p{n}");
        let stored = Instant::now();
        a.set_cookie(probe, &format!("probe={value}; Path=/"))
            .unwrap();
        loop {
            let seen = b.cookie_header(probe).unwrap_or_default();
            if seen.contains(&format!("probe={value}")) {
                break;
            }
            std::hint::spin_loop();
        }
        fleet_delays.push(stored.elapsed());
    }
    let mut queued_delays = Vec::with_capacity(SAMPLES);
    for n in 0..SAMPLES {
        let value = format!("q{n}");
        let stored = Instant::now();
        a.queue_cookie(probe, &format!("probe={value}; Path=/"));
        while !b
            .cookie_header(probe)
            .unwrap_or_default()
            .contains(&format!("probe={value}"))
        {
            std::hint::spin_loop();
        }
        queued_delays.push(stored.elapsed());
    }
    let mut reader = Naive {
        conn: client.get_connection().unwrap(),
    };
    let mut naive_delays = Vec::with_capacity(SAMPLES);
    for n in 0..SAMPLES {
        let value = format!("p{n}");
        let stored = Instant::now();
        naive.store(probe, "probe", &value);
        while !reader
            .lookup(probe)
            .unwrap_or_default()
            .contains(&format!("probe={value}"))
        {}
        naive_delays.push(stored.elapsed());
    }
    println!(
        "| propagation, store to another replica's lookup | {} | (one process) | {} (each lookup is a GET) |",
        percentiles(fleet_delays),
        percentiles(naive_delays)
    );
    println!(
        "| propagation, queued store to another replica's lookup | {} | | |",
        percentiles(queued_delays)
    );

    // Lost updates: two writers, 500 distinct cookies each, one host.
    let host = Url::parse("https://race.example/").unwrap();
    let lost = |fleet_design: bool| -> usize {
        std::thread::scope(|s| {
            for w in 0..2 {
                let (redis_url, host, client) = (&redis_url, &host, &client);
                s.spawn(move || {
                    if fleet_design {
                        let jar = FleetJar::builder(redis_url, "race")
                            .limits(race_limits())
                            .open()
                            .unwrap();
                        for i in 0..500 {
                            jar.set_cookie(host, &format!("w{w}_{i}=1")).unwrap();
                        }
                    } else {
                        let mut naive = Naive {
                            conn: client.get_connection().unwrap(),
                        };
                        for i in 0..500 {
                            naive.store(host, &format!("w{w}_{i}"), "1");
                        }
                    }
                });
            }
        });
        let held = if fleet_design {
            let jar = FleetJar::builder(&redis_url, "race")
                .limits(race_limits())
                .open()
                .unwrap();
            let n = jar.read().len();
            n
        } else {
            let mut naive = Naive {
                conn: client.get_connection().unwrap(),
            };
            naive.lookup(&host).unwrap_or_default().split("; ").count()
        };
        1000 - held
    };
    println!(
        "| lost updates, 2 writers x 500 distinct cookies on one host | {} | | {} |",
        lost(true),
        lost(false)
    );
}

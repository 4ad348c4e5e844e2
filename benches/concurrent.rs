//! How `SharedJar` scales with threads, beside the one-lock design it
//! replaced and reqwest's own `Jar` (an `RwLock` around `cookie_store`),
//! all three through reqwest's `CookieStore` trait, in one run: lookups
//! only, and 90% lookups with 10% stores, from 1, 2 and 4 threads.
//!
//! ```text
//! cargo bench --bench concurrent --features reqwest [-- --secs 1 --reps 7]
//! ```
//!
//! Why not criterion: a criterion sample of a few hundred microseconds that
//! spawns its threads measures thread start-up and scheduling luck (two
//! runs of one binary on an idle machine gave 1.90x and 0.85x). Here the
//! worker threads are spawned once and wait at a barrier; each run lasts
//! `--secs` seconds, every worker counting the operations it completes;
//! every configuration runs `--reps` times, interleaved (all stores, loads
//! and thread counts of one repetition, then the next), so that a change
//! of load on the machine falls on all of them. The speed-up of 2 threads
//! over 1 is taken within each repetition (the two runs are seconds apart)
//! and given as its median and range. The load average is printed at the
//! start and the end: on a busy machine two threads do not run at once,
//! and the figures say nothing about scaling.
//!
//! The working set: 400 sites (`www.siteN.com`, `.co.uk`, `.de`), ten
//! cookies each (4,000 cookies; five `Domain` cookies and five host-only
//! ones per site). Every thread visits every site, in its own seeded
//! random order, so the threads share the whole working set (what threads
//! of one crawler sharing one jar do) and are rarely on the same site at
//! the same moment. A store replaces one of the site's cookies with one of
//! two values (the jar's size does not change), from header values built
//! before the run, as a client receives them.
//!
//! `concurrent instructions <impl> <load> <ops>` runs `ops` operations of
//! thread 0 on the main thread, for callgrind (`benches/concurrent.py`);
//! impl: `shared`, `one-lock` or `reqwest`; load: `lookups`, `mixed` or
//! `stores` (every operation a store).
#![allow(missing_docs, clippy::unwrap_used, clippy::indexing_slicing)] // a bench, not library code

use reqwest::cookie::CookieStore;
use reqwest::header::HeaderValue;
use std::hint::black_box;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Barrier, Mutex, RwLock};
use std::time::{Duration, Instant};
use url::Url;

const SITES: usize = 400;
const COOKIES_PER_SITE: usize = 10;
const THREADS: [usize; 3] = [1, 2, 4];
const MAX_THREADS: usize = 4;
/// Operations between two looks at the stop flag.
const BATCH: u64 = 64;

/// The design `SharedJar` had before it was sharded: one jar behind one
/// `RwLock`, as the baseline of the same run.
struct OneLock(RwLock<cookiejar::Jar>);

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

/// One site: the URL its requests go to, and the `Set-Cookie` values its
/// responses send (each of its cookies, with two values).
struct Site {
    url: Url,
    updates: Vec<HeaderValue>,
}

fn domain_of(i: usize) -> String {
    let suffix = ["com", "co.uk", "de"][i % 3];
    format!("site{i}.{suffix}")
}

fn set_cookie(i: usize, k: usize, value: &str) -> String {
    // Even cookies are `Domain` cookies, odd ones host-only.
    let domain = match k % 2 {
        0 => format!("; Domain={}", domain_of(i)),
        _ => String::new(),
    };
    format!("c{k}={value}-{i}-{k}-0123456789abcdef; Path=/{domain}")
}

fn sites() -> Vec<Site> {
    (0..SITES)
        .map(|i| Site {
            url: Url::parse(&format!("https://www.{}/app/page", domain_of(i))).unwrap(),
            updates: (0..COOKIES_PER_SITE * 2)
                .map(|n| {
                    let value = ["one", "two"][n % 2];
                    HeaderValue::from_str(&set_cookie(i, n / 2, value)).unwrap()
                })
                .collect(),
        })
        .collect()
}

fn fill(store: &dyn CookieStore, sites: &[Site]) {
    for (i, site) in sites.iter().enumerate() {
        for k in 0..COOKIES_PER_SITE {
            let value = HeaderValue::from_str(&set_cookie(i, k, "zero")).unwrap();
            store.set_cookies(&mut std::iter::once(&value), &site.url);
        }
    }
}

/// A thread's seeded sequence of operations (xorshift64*).
struct Ops {
    state: u64,
}

impl Ops {
    fn new(thread: usize) -> Ops {
        Ops {
            state: 0x9E37_79B9_7F4A_7C15 ^ (thread as u64 + 1).wrapping_mul(0xD1B5_4A32_D192_ED03),
        }
    }

    fn next(&mut self) -> u64 {
        self.state ^= self.state >> 12;
        self.state ^= self.state << 25;
        self.state ^= self.state >> 27;
        self.state.wrapping_mul(0x2545_F491_4F6C_DD1D)
    }

    /// One operation: a lookup, or one time in `stores_one_in` a store
    /// (never for 0).
    fn run_one(&mut self, store: &dyn CookieStore, sites: &[Site], stores_one_in: u64) {
        let r = self.next();
        let site = &sites[(r >> 32) as usize % sites.len()];
        if stores_one_in > 0 && r.is_multiple_of(stores_one_in) {
            let update = &site.updates[(r >> 8) as usize % site.updates.len()];
            store.set_cookies(&mut std::iter::once(update), &site.url);
        } else {
            black_box(store.cookies(&site.url));
        }
    }
}

#[derive(Clone, Copy)]
struct Round {
    store: usize,
    stores_one_in: u64,
    threads: usize,
    quit: bool,
}

/// The worker threads, spawned once, and what they share with the main
/// thread.
struct Pool {
    round: Mutex<Round>,
    stop: AtomicBool,
    start: Barrier,
    end: Barrier,
    counts: Mutex<[u64; MAX_THREADS]>,
}

impl Pool {
    fn worker(&self, t: usize, stores: &[&dyn CookieStore], sites: &[Site]) {
        let mut ops = Ops::new(t);
        loop {
            self.start.wait();
            let round = *self.round.lock().unwrap();
            if round.quit {
                return;
            }
            if t < round.threads {
                let store = stores[round.store];
                let mut done = 0;
                while !self.stop.load(Ordering::Relaxed) {
                    for _ in 0..BATCH {
                        ops.run_one(store, sites, round.stores_one_in);
                    }
                    done += BATCH;
                }
                self.counts.lock().unwrap()[t] = done;
            }
            self.end.wait();
        }
    }

    /// One run of `secs`: operations per second over all threads.
    fn run(&self, round: Round, secs: f64) -> f64 {
        *self.round.lock().unwrap() = round;
        *self.counts.lock().unwrap() = [0; MAX_THREADS];
        self.stop.store(false, Ordering::Relaxed);
        self.start.wait();
        let began = Instant::now();
        std::thread::sleep(Duration::from_secs_f64(secs));
        self.stop.store(true, Ordering::Relaxed);
        self.end.wait();
        let elapsed = began.elapsed().as_secs_f64();
        self.counts.lock().unwrap().iter().sum::<u64>() as f64 / elapsed
    }
}

fn load_average() -> String {
    match std::process::Command::new("uptime").output() {
        Ok(out) if out.status.success() => String::from_utf8_lossy(&out.stdout).trim().to_owned(),
        _ => std::fs::read_to_string("/proc/loadavg")
            .map(|l| format!("load average (/proc/loadavg): {}", l.trim()))
            .unwrap_or_else(|_| "load average unknown".to_owned()),
    }
}

fn median(values: &mut [f64]) -> f64 {
    values.sort_by(f64::total_cmp);
    let n = values.len();
    match n % 2 {
        1 => values[n / 2],
        _ => (values[n / 2 - 1] + values[n / 2]) / 2.0,
    }
}

fn rate(ops: f64) -> String {
    match ops {
        o if o >= 1e6 => format!("{:.2}M", o / 1e6),
        o if o >= 1e3 => format!("{:.0}k", o / 1e3),
        o => format!("{o:.0}"),
    }
}

/// "median (min-max)" of `values`, each shown by `show`.
fn summary(values: &[f64], show: impl Fn(f64) -> String) -> String {
    let mut sorted = values.to_vec();
    let m = median(&mut sorted);
    let (lo, hi) = (sorted[0], sorted[sorted.len() - 1]);
    format!("{} ({}-{})", show(m), show(lo), show(hi))
}

struct Args {
    secs: f64,
    reps: usize,
}

fn args() -> Args {
    let mut args = Args { secs: 1.0, reps: 7 };
    let all: Vec<String> = std::env::args().skip(1).collect();
    let mut it = all.iter();
    while let Some(a) = it.next() {
        match a.as_str() {
            "--secs" => args.secs = it.next().and_then(|v| v.parse().ok()).expect("--secs N"),
            "--reps" => args.reps = it.next().and_then(|v| v.parse().ok()).expect("--reps N"),
            _ => {} // `cargo bench` passes `--bench`
        }
    }
    args
}

fn main() {
    let argv: Vec<String> = std::env::args().collect();
    let limits = cookiejar::Limits {
        max_cookies: 10_000,
        max_cookies_per_domain: 50,
        max_cookie_bytes: 4096,
        ..cookiejar::Limits::RFC2109
    };
    let sites = sites();
    let ours = cookiejar::SharedJar::new(cookiejar::Jar::builder().limits(limits).build());
    let one_lock = OneLock(RwLock::new(
        cookiejar::Jar::builder().limits(limits).build(),
    ));
    let theirs = reqwest::cookie::Jar::default();
    let names = ["SharedJar", "one RwLock<Jar>", "reqwest Jar"];
    let stores: [&dyn CookieStore; 3] = [&ours, &one_lock, &theirs];

    if argv.get(1).map(String::as_str) == Some("instructions") {
        // `instructions <impl> <load> <ops>`, for callgrind: the set-up,
        // then `ops` operations of thread 0 on this thread.
        let imp = ["shared", "one-lock", "reqwest"]
            .iter()
            .position(|&n| Some(n) == argv.get(2).map(String::as_str))
            .expect("impl: shared, one-lock or reqwest");
        let stores_one_in = match argv.get(3).map(String::as_str) {
            Some("lookups") => 0,
            Some("mixed") => 10,
            Some("stores") => 1,
            _ => panic!("load: lookups, mixed or stores"),
        };
        let count: usize = argv.get(4).and_then(|n| n.parse().ok()).expect("ops");
        fill(stores[imp], &sites);
        let mut ops = Ops::new(0);
        for _ in 0..count {
            ops.run_one(stores[imp], &sites, stores_one_in);
        }
        return;
    }

    let args = args();
    for store in stores {
        fill(store, &sites);
    }
    assert_eq!(ours.read().len(), SITES * COOKIES_PER_SITE);
    assert_eq!(one_lock.0.read().unwrap().len(), SITES * COOKIES_PER_SITE);
    println!("start: {}", load_average());
    println!(
        "{} cores; {SITES} sites x {COOKIES_PER_SITE} cookies; {} repetitions of {} s per configuration",
        std::thread::available_parallelism().map_or(0, |n| n.get()),
        args.reps,
        args.secs
    );
    let loads = [("lookups only", 0), ("90% lookups, 10% stores", 10)];
    // rates[load][store][threads index] = one rate per repetition.
    let mut rates = vec![vec![vec![Vec::new(); THREADS.len()]; stores.len()]; loads.len()];
    let pool = Pool {
        round: Mutex::new(Round {
            store: 0,
            stores_one_in: 0,
            threads: 0,
            quit: false,
        }),
        stop: AtomicBool::new(false),
        start: Barrier::new(MAX_THREADS + 1),
        end: Barrier::new(MAX_THREADS + 1),
        counts: Mutex::new([0; MAX_THREADS]),
    };
    std::thread::scope(|s| {
        for t in 0..MAX_THREADS {
            let (pool, stores, sites) = (&pool, &stores, &sites);
            s.spawn(move || pool.worker(t, stores, sites));
        }
        // Repetition 0 is the warm-up: every configuration once, briefly,
        // not counted.
        for rep in 0..=args.reps {
            let secs = if rep == 0 { 0.2 } else { args.secs };
            for (&(_, stores_one_in), per_load) in loads.iter().zip(rates.iter_mut()) {
                for (store, per_store) in per_load.iter_mut().enumerate() {
                    for (&threads, per_count) in THREADS.iter().zip(per_store.iter_mut()) {
                        let round = Round {
                            store,
                            stores_one_in,
                            threads,
                            quit: false,
                        };
                        let ops = pool.run(round, secs);
                        if rep > 0 {
                            per_count.push(ops);
                        }
                    }
                }
            }
        }
        *pool.round.lock().unwrap() = Round {
            store: 0,
            stores_one_in: 0,
            threads: 0,
            quit: true,
        };
        pool.start.wait();
    });
    println!("end: {}", load_average());
    println!();
    print!("| load | threads |");
    for name in names {
        print!(" `{name}` ops/s | / 1 thread |");
    }
    println!();
    println!("|{}", " --- |".repeat(2 + 2 * names.len()));
    for (l, (load, _)) in loads.iter().enumerate() {
        for (n, threads) in THREADS.iter().enumerate() {
            print!("| {load} | {threads} |");
            for per_store in &rates[l] {
                let speedup: Vec<f64> = per_store[n]
                    .iter()
                    .zip(&per_store[0])
                    .map(|(many, one)| many / one)
                    .collect();
                print!(
                    " {} | {} |",
                    summary(&per_store[n], rate),
                    summary(&speedup, |x| format!("{x:.2}x"))
                );
            }
            println!();
        }
    }
    println!();
    println!("ops/s: median (min-max) of the repetitions; / 1 thread: the speed-up over 1 thread within each repetition, median (min-max).");
}

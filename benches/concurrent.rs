//! How `SharedJar` scales with threads, beside the one-lock design it
//! replaced and reqwest's own `Jar` (an `RwLock` around `cookie_store`),
//! all three through reqwest's `CookieStore` trait, in one run: lookups
//! only, and 90% lookups with 10% stores, from 1, 2 and 4 threads, on two
//! working sets.
//!
//! ```text
//! cargo bench --bench concurrent --features reqwest [-- --secs 1 --reps 5]
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
//! The jar: 400 sites (`www.siteN.com`, `.co.uk`, `.de`), ten cookies each
//! (4,000 cookies; five `Domain` cookies and five host-only ones per
//! site). Two working sets: **all sites**, where every thread visits every
//! site in its own seeded random order, so the threads share the whole
//! working set (threads of one crawler taking URLs from one frontier) and
//! are rarely on the same site at the same moment, but a site's cookies
//! were often last sent, and so written (RFC 6265 section 5.4 step 3), by
//! the other core; and **own sites**, where thread `t` visits only its own
//! 100 sites (a crawler that gives each thread its own hosts), the jar
//! still holding all 400, so that one thread and four do the same work
//! each. A store replaces one of the site's cookies with one of two
//! values (the jar's size does not change), from header values built
//! before the run, as a client receives them.
//!
//! `concurrent instructions <impl> <load> <ops>` runs `ops` operations of
//! thread 0 (all sites) on the main thread, for callgrind (`benches/concurrent_instructions.py`);
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
/// The sites of each thread when every thread has its own.
const OWN_SITES: usize = SITES / MAX_THREADS;
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
    /// Each thread on its own slice of the sites, instead of all of them.
    own_sites: bool,
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
    counts: Mutex<[Work; MAX_THREADS]>,
}

/// What one worker did in one run.
#[derive(Clone, Copy, Default)]
struct Work {
    ops: u64,
    /// Nanoseconds the thread spent on a core (`/proc/thread-self/schedstat`).
    on_core: u64,
}

/// One run of one configuration.
#[derive(Clone, Copy)]
struct Measure {
    /// Operations per second of wall time, all threads together.
    rate: f64,
    /// Operations per second that the threads spent on a core: what a
    /// busy machine, which keeps the threads off the cores, changes least.
    rate_on_core: f64,
    /// The threads' time on a core over the wall time: 2.0 when two
    /// threads ran side by side the whole time.
    cores: f64,
}

/// This thread's time on a core so far, in nanoseconds (0 where the
/// kernel does not say).
fn on_core_ns() -> u64 {
    std::fs::read_to_string("/proc/thread-self/schedstat")
        .ok()
        .and_then(|s| s.split_whitespace().next()?.parse().ok())
        .unwrap_or(0)
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
                let sites = match round.own_sites {
                    true => &sites[t * OWN_SITES..(t + 1) * OWN_SITES],
                    false => sites,
                };
                let mut done = 0;
                let before = on_core_ns();
                while !self.stop.load(Ordering::Relaxed) {
                    for _ in 0..BATCH {
                        ops.run_one(store, sites, round.stores_one_in);
                    }
                    done += BATCH;
                }
                let on_core = on_core_ns().saturating_sub(before);
                self.counts.lock().unwrap()[t] = Work { ops: done, on_core };
            }
            self.end.wait();
        }
    }

    /// One run of `secs`.
    fn run(&self, round: Round, secs: f64) -> Measure {
        *self.round.lock().unwrap() = round;
        *self.counts.lock().unwrap() = [Work::default(); MAX_THREADS];
        self.stop.store(false, Ordering::Relaxed);
        self.start.wait();
        let began = Instant::now();
        std::thread::sleep(Duration::from_secs_f64(secs));
        self.stop.store(true, Ordering::Relaxed);
        self.end.wait();
        let elapsed = began.elapsed().as_secs_f64();
        let work = *self.counts.lock().unwrap();
        let ops = work.iter().map(|w| w.ops).sum::<u64>() as f64;
        let on_core = work.iter().map(|w| w.on_core).sum::<u64>() as f64 / 1e9;
        Measure {
            rate: ops / elapsed,
            rate_on_core: ops / on_core.max(f64::MIN_POSITIVE),
            cores: on_core / elapsed,
        }
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
    /// `--only shared|one-lock|reqwest`: run one jar (for quick A/B runs).
    only: Option<usize>,
}

fn args() -> Args {
    let mut args = Args {
        secs: 1.0,
        reps: 5,
        only: None,
    };
    let all: Vec<String> = std::env::args().skip(1).collect();
    let mut it = all.iter();
    while let Some(a) = it.next() {
        match a.as_str() {
            "--secs" => args.secs = it.next().and_then(|v| v.parse().ok()).expect("--secs N"),
            "--reps" => args.reps = it.next().and_then(|v| v.parse().ok()).expect("--reps N"),
            "--only" => {
                let name = it.next().map(String::as_str);
                let index = IMPLS.iter().position(|&n| Some(n) == name);
                args.only = Some(index.expect("--only shared, one-lock or reqwest"));
            }
            _ => {} // `cargo bench` passes `--bench`
        }
    }
    args
}

/// The jars' names on the command line, in the order of `stores`.
const IMPLS: [&str; 3] = ["shared", "one-lock", "reqwest"];

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
        let imp = IMPLS
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
    // (working set, each thread on its own sites, load, one store in).
    let workloads = [
        ("all sites", false, "lookups only", 0),
        ("all sites", false, "90% lookups, 10% stores", 10),
        ("own sites", true, "lookups only", 0),
        ("own sites", true, "90% lookups, 10% stores", 10),
    ];
    // rates[workload][store][threads index] = one rate per repetition.
    let mut rates = vec![vec![vec![Vec::new(); THREADS.len()]; stores.len()]; workloads.len()];
    let pool = Pool {
        round: Mutex::new(Round {
            store: 0,
            own_sites: false,
            stores_one_in: 0,
            threads: 0,
            quit: false,
        }),
        stop: AtomicBool::new(false),
        start: Barrier::new(MAX_THREADS + 1),
        end: Barrier::new(MAX_THREADS + 1),
        counts: Mutex::new([Work::default(); MAX_THREADS]),
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
            for (&(_, own_sites, _, stores_one_in), per_load) in
                workloads.iter().zip(rates.iter_mut())
            {
                for (store, per_store) in per_load.iter_mut().enumerate() {
                    if args.only.is_some_and(|only| only != store) {
                        continue;
                    }
                    for (&threads, per_count) in THREADS.iter().zip(per_store.iter_mut()) {
                        let round = Round {
                            store,
                            own_sites,
                            stores_one_in,
                            threads,
                            quit: false,
                        };
                        let measure = pool.run(round, secs);
                        if rep > 0 {
                            per_count.push(measure);
                        }
                    }
                }
            }
        }
        *pool.round.lock().unwrap() = Round {
            store: 0,
            own_sites: false,
            stores_one_in: 0,
            threads: 0,
            quit: true,
        };
        pool.start.wait();
    });
    println!("end: {}", load_average());
    println!();
    let table = |title: &str, field: fn(&Measure) -> f64, speedup_of: &str| {
        println!("{title}");
        println!();
        print!("| sites | load | threads |");
        let shown = |store: &usize| args.only.is_none_or(|only| only == *store);
        let columns = (0..names.len()).filter(shown).count();
        for (_, name) in names.iter().enumerate().filter(|(i, _)| shown(i)) {
            print!(" `{name}` | {speedup_of} |");
        }
        println!();
        println!("|{}", " --- |".repeat(3 + 2 * columns));
        for ((sites, _, load, _), per_load) in workloads.iter().zip(&rates) {
            for (n, threads) in THREADS.iter().enumerate() {
                print!("| {sites} | {load} | {threads} |");
                for (_, per_store) in per_load.iter().enumerate().filter(|(i, _)| shown(i)) {
                    let values: Vec<f64> = per_store[n].iter().map(field).collect();
                    let speedup: Vec<f64> = per_store[n]
                        .iter()
                        .zip(&per_store[0])
                        .map(|(many, one)| field(many) / field(one))
                        .collect();
                    let mut cores: Vec<f64> = per_store[n].iter().map(|m| m.cores).collect();
                    print!(
                        " {} | {} on {:.2} cores |",
                        summary(&values, rate),
                        summary(&speedup, |x| format!("{x:.2}x")),
                        median(&mut cores)
                    );
                }
                println!();
            }
        }
        println!();
    };
    table(
        "Operations per second (wall time):",
        |m| m.rate,
        "/ 1 thread",
    );
    table(
        "Operations per second on a core (the threads' time on a core, not the wall time: what a busy machine changes least; not the speed-up an idle machine gives):",
        |m| m.rate_on_core,
        "/ 1 thread",
    );
    println!("Each cell: median (min-max) of the repetitions. / 1 thread: the ratio to 1 thread's figure within each repetition, median (min-max); on N cores: the threads' time on a core over the wall time (median) (2.00 when two threads ran side by side throughout; less when the machine was busy).");
}

//! Several OS processes share one fleet jar: this test binary runs itself
//! as the workers (`worker_process`, which does nothing unless started
//! by a parent with `FLEET_WORKER` set). Each worker stores cookies of its
//! own and overwrites shared ones, retrying a store that Redis did not
//! take; then, once every worker is done, each dumps its replica. All
//! dumps must be byte-identical, and every worker's own cookies must be
//! there (counted).

use super::server::RedisServer;
use super::{dump, url, NOW};
use cookiejar::{FleetError, FleetJar, Limits};
use std::path::{Path, PathBuf};
use std::process::{Child, Command};
use std::time::{Duration, Instant};
use url::Url;

const SITES: usize = 5;
/// Stores per worker: distinct cookies, and every third op a shared one.
const OPS: usize = 60;

fn sites() -> Vec<Url> {
    (0..SITES)
        .map(|i| url(&format!("https://www.site{i}.example/app/")))
        .collect()
}

fn open(redis: &str, name: &str) -> Result<FleetJar, FleetError> {
    FleetJar::builder(redis, name)
        .limits(Limits::RFC6265)
        .snapshot_every(32)
        .timeout(Duration::from_secs(2))
        .open()
}

fn wait_for(path: &Path, limit: Duration) {
    let deadline = Instant::now() + limit;
    while !path.exists() {
        assert!(
            Instant::now() < deadline,
            "timed out waiting for {}",
            path.display()
        );
        std::thread::sleep(Duration::from_millis(10));
    }
}

/// The worker's side (run as a child process).
#[test]
fn worker_process() {
    let (Ok(id), Ok(redis), Ok(name), Ok(dir)) = (
        std::env::var("FLEET_WORKER"),
        std::env::var("FLEET_REDIS"),
        std::env::var("FLEET_JAR"),
        std::env::var("FLEET_DIR"),
    ) else {
        return;
    };
    let dir = PathBuf::from(dir);
    let jar = loop {
        match open(&redis, &name) {
            Ok(jar) => break jar,
            Err(_) => std::thread::sleep(Duration::from_millis(50)),
        }
    };
    if std::env::var_os("FLEET_UNTIL_KILLED").is_some() {
        // Stores one cookie per site, in order, until the parent kills it.
        std::fs::write(dir.join(format!("started-{id}")), "").unwrap();
        for op in 0.. {
            let site = url(&format!("https://s{op}.example/"));
            let _ = jar.set_cookie_at(&site, &format!("k{op}=v"), NOW);
        }
    }
    let sites = sites();
    let (mut stored, mut retries) = (0, 0);
    for op in 0..OPS {
        if op == OPS / 4 && std::env::var_os("FLEET_PAUSE").is_some() {
            // The parent kills Redis while every worker waits here, so
            // the next store meets a dead server, however fast the stores.
            std::fs::write(dir.join(format!("paused-{id}")), "").unwrap();
            wait_for(&dir.join("go"), Duration::from_secs(60));
        }
        let site = &sites[op % SITES];
        let header = match op % 3 {
            2 => format!(
                "shared{}=w{id}-{op}; Domain=site{}.example; Path=/",
                op % 4,
                op % SITES
            ),
            _ => format!("w{id}_{op}=v{op}; Path=/app"),
        };
        loop {
            match jar.set_cookie_at(site, &header, NOW + time::Duration::milliseconds(op as i64)) {
                Ok(_) => break,
                Err(FleetError::Rejected(r)) => panic!("{header}: {r}"),
                Err(_) => {
                    retries += 1;
                    std::thread::sleep(Duration::from_millis(20));
                }
            }
        }
        if op % 3 != 2 {
            stored += 1;
        }
    }
    // The jar's own retries of requests whose reply was lost count too.
    let retries = retries + jar.status().resent;
    std::fs::write(
        dir.join(format!("done-{id}")),
        format!("{stored} {retries}"),
    )
    .unwrap();
    wait_for(&dir.join("all-done"), Duration::from_secs(60));
    while jar.sync().is_err() {
        std::thread::sleep(Duration::from_millis(20));
    }
    std::fs::write(dir.join(format!("dump-{id}")), dump(&jar.read(), &sites)).unwrap();
}

fn spawn_worker(server: &RedisServer, name: &str, dir: &Path, id: usize, pause: bool) -> Child {
    let mut command = Command::new(std::env::current_exe().unwrap());
    if pause {
        command.env("FLEET_PAUSE", "1");
    }
    command
        .args([
            "workers::worker_process",
            "--exact",
            "--nocapture",
            "--test-threads=1",
        ])
        .env("FLEET_WORKER", id.to_string())
        .env("FLEET_REDIS", server.url())
        .env("FLEET_JAR", name)
        .env("FLEET_DIR", dir)
        .stdout(std::process::Stdio::null())
        .spawn()
        .unwrap()
}

/// Runs `workers` processes (the last `late` of them started after the
/// others are half done), calls `during` while they work, and checks the
/// outcome. With `pause`, every worker stops a quarter of the way and
/// waits for a `go` file in the directory `during` is given. Returns the
/// workers' retry count.
fn run_fleet(
    server: &mut RedisServer,
    name: &str,
    workers: usize,
    late: usize,
    pause: bool,
    during: impl FnOnce(&mut RedisServer, &Path),
) -> usize {
    let dir = tempfile::tempdir().unwrap();
    let mut children: Vec<Child> = (0..workers - late)
        .map(|id| spawn_worker(server, name, dir.path(), id, pause))
        .collect();
    during(server, dir.path());
    for id in workers - late..workers {
        children.push(spawn_worker(server, name, dir.path(), id, pause));
    }
    for id in 0..workers {
        wait_for(
            &dir.path().join(format!("done-{id}")),
            Duration::from_secs(120),
        );
    }
    std::fs::write(dir.path().join("all-done"), "").unwrap();
    for mut child in children {
        assert!(child.wait().unwrap().success(), "a worker failed");
    }
    let mut retries = 0;
    let mut stored = 0;
    for id in 0..workers {
        let done = std::fs::read_to_string(dir.path().join(format!("done-{id}"))).unwrap();
        let (s, r) = done.split_once(' ').unwrap();
        stored += s.parse::<usize>().unwrap();
        retries += r.parse::<usize>().unwrap();
    }
    // Every replica, and a new one, hold the same state, byte for byte.
    let sites = sites();
    let fresh = open(&server.url(), name).unwrap();
    let want = dump(&fresh.read(), &sites);
    for id in 0..workers {
        let got = std::fs::read_to_string(dir.path().join(format!("dump-{id}"))).unwrap();
        assert_eq!(got, want, "worker {id}'s replica differs");
    }
    // Nothing lost: each worker's own cookies, and the four shared ones.
    let jar = fresh.read();
    let own = jar.iter().filter(|c| c.name().starts_with('w')).count();
    assert_eq!(own, stored);
    assert_eq!(own, workers * (OPS - OPS / 3));
    let shared = jar
        .iter()
        .filter(|c| c.name().starts_with("shared"))
        .count();
    // `shared{op % 4}` for `site{op % 5}`: the 20 pairs, written by every worker.
    assert_eq!(shared, 20, "{want}");
    retries
}

#[test]
fn processes_converge_and_lose_nothing() {
    let Some(mut server) = RedisServer::start() else {
        return;
    };
    run_fleet(&mut server, "procs", 4, 0, false, |_, _| {});
}

#[test]
fn processes_converge_through_a_redis_kill_and_restart() {
    let Some(mut server) = RedisServer::start() else {
        return;
    };
    let workers = 3;
    let retries = run_fleet(&mut server, "restart", workers, 0, true, |server, dir| {
        for id in 0..workers {
            wait_for(&dir.join(format!("paused-{id}")), Duration::from_secs(60));
        }
        server.kill();
        std::fs::write(dir.join("go"), "").unwrap();
        std::thread::sleep(Duration::from_millis(500));
        server.restart();
    });
    assert!(
        retries > 0,
        "the kill happened while the workers were storing"
    );
}

#[test]
fn a_replica_that_joins_late_converges() {
    let Some(mut server) = RedisServer::start() else {
        return;
    };
    run_fleet(&mut server, "late-join", 3, 1, false, |_, _| {
        std::thread::sleep(Duration::from_millis(300));
    });
}

#[test]
fn a_writer_killed_mid_write_leaves_no_torn_state() {
    let Some(server) = RedisServer::start() else {
        return;
    };
    let dir = tempfile::tempdir().unwrap();
    let mut child = Command::new(std::env::current_exe().unwrap())
        .args([
            "workers::worker_process",
            "--exact",
            "--nocapture",
            "--test-threads=1",
        ])
        .env("FLEET_WORKER", "0")
        .env("FLEET_REDIS", server.url())
        .env("FLEET_JAR", "killed")
        .env("FLEET_DIR", dir.path())
        .env("FLEET_UNTIL_KILLED", "1")
        .stdout(std::process::Stdio::null())
        .spawn()
        .unwrap();
    wait_for(&dir.path().join("started-0"), Duration::from_secs(30));
    std::thread::sleep(Duration::from_millis(300));
    child.kill().unwrap(); // SIGKILL, wherever it is
    child.wait().unwrap();
    // Every entry in Redis is whole: a new replica reads them all, and
    // holds the stores in order with no gap.
    let jar = open(&server.url(), "killed").unwrap();
    let replica = jar.read();
    let mut ops: Vec<u64> = replica
        .iter()
        .map(|c| c.name()[1..].parse().unwrap())
        .collect();
    ops.sort_unstable();
    assert!(
        ops.len() > 10,
        "the writer stored for a while: {}",
        ops.len()
    );
    assert!(
        ops.iter().copied().eq(0..ops.len() as u64),
        "a gap in {ops:?}"
    );
}

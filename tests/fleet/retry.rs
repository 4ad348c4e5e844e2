//! Retry safety: a store whose `XADD` reached Redis but whose reply was
//! lost is sent again, and must be applied once. Between the two copies
//! another process overwrites the cookie: applying the late copy would
//! put the old value back over the newer one. Checked through the log
//! path (a replica that reads every entry) and the snapshot path (the
//! duplicate comes after a snapshot that holds the original).

use super::proxy::Proxy;
use super::queued::eventually;
use super::server::RedisServer;
use super::{dump, url, NOW};
use cookiejar::{FleetJar, Limits, Stored};
use redis::Value;
use std::time::Duration;

fn open(redis: &str, name: &str, snapshot_every: u64) -> FleetJar {
    FleetJar::builder(redis, name)
        .limits(Limits::RFC6265)
        .snapshot_every(snapshot_every)
        .timeout(Duration::from_secs(5))
        .open()
        .unwrap()
}

/// The ids of the log's entries whose request text contains `needle`.
fn entries_with(conn: &mut redis::Connection, name: &str, needle: &str) -> Vec<String> {
    let reply: Value = redis::cmd("XRANGE")
        .arg(format!("cookiejar:{{{name}}}:log"))
        .arg("-")
        .arg("+")
        .query(conn)
        .unwrap();
    let Value::Array(items) = reply else {
        panic!("{reply:?}")
    };
    let text = |v: &Value| match v {
        Value::BulkString(b) => String::from_utf8_lossy(b).into_owned(),
        _ => String::new(),
    };
    items
        .iter()
        .filter_map(|item| match item {
            Value::Array(pair) => match pair.as_slice() {
                [id, Value::Array(fields)] => fields
                    .iter()
                    .any(|f| text(f).contains(needle))
                    .then(|| text(id)),
                _ => None,
            },
            _ => None,
        })
        .collect()
}

/// A stream id as Redis orders them.
fn id(text: &str) -> (u64, u64) {
    let (ms, seq) = text.split_once('-').unwrap();
    (ms.parse().unwrap(), seq.parse().unwrap())
}

/// How many clients are connected.
fn clients(conn: &mut redis::Connection) -> usize {
    let list: String = redis::cmd("CLIENT").arg("LIST").query(conn).unwrap();
    list.lines().count()
}

fn snapshot_id(conn: &mut redis::Connection, name: &str) -> Option<(u64, u64)> {
    let text: Option<String> = redis::cmd("HGET")
        .arg(format!("cookiejar:{{{name}}}:snapshot"))
        .arg("id")
        .query(conn)
        .unwrap();
    text.as_deref().map(id)
}

/// `a` (through the proxy) stores `x=1`; its reply is lost; `b` stores
/// `x=2`; then `a`'s writer gets through and sends `x=1` again.
fn a_retried_store_is_applied_once(name: &str, snapshot_every: u64) {
    let Some(server) = RedisServer::start() else {
        return;
    };
    let proxy = Proxy::start(server.port);
    let a = open(&proxy.url(), name, 10_000);
    let b = open(&server.url(), name, snapshot_every);
    let u = url("https://www.example.com/");
    let mut conn = super::admin(&server);
    assert_eq!(
        a.set_cookie_at(&u, "x=0; Max-Age=9999", NOW),
        Ok(Stored::Inserted { evicted: 0 })
    );

    proxy.cut_next_xadd();
    let writer = a.clone();
    let first = std::thread::spawn(move || {
        writer.set_cookie_at(&u, "x=1; Max-Age=9999", NOW + time::Duration::seconds(1))
    });
    proxy.wait_cut();
    // The first copy is in the log; the writer does not know it.
    assert_eq!(entries_with(&mut conn, name, "x=1").len(), 1);
    let u = url("https://www.example.com/");
    b.set_cookie_at(&u, "x=2; Max-Age=9999", NOW + time::Duration::seconds(2))
        .unwrap();
    let b = if snapshot_every == 1 {
        // b writes a snapshot after each entry: wait for the one that
        // holds x=2, then close b (its two connections gone), so that the
        // retried copy lands after the last snapshot.
        let x2 = entries_with(&mut conn, name, "x=2");
        let wanted = x2.last().map(|x| id(x));
        eventually("the snapshot", || snapshot_id(&mut conn, name) >= wanted);
        let before = clients(&mut conn);
        drop(b);
        eventually("b's threads stop", || clients(&mut conn) == before - 2);
        None
    } else {
        Some(b)
    };
    proxy.heal();
    // The caller gets the first copy's answer: it replaced x=0. (Unless
    // a's follower caught up through the snapshot that holds it: then the
    // answer is unknown, and says so.)
    let answer = first.join().unwrap();
    match snapshot_every {
        1 => assert!(
            matches!(
                answer,
                Ok(Stored::Replaced { evicted: 0 }) | Err(cookiejar::FleetError::OutcomeUnknown)
            ),
            "{answer:?}"
        ),
        _ => assert_eq!(answer, Ok(Stored::Replaced { evicted: 0 })),
    }
    assert!(a.status().resent >= 1, "{:?}", a.status());
    let copies = entries_with(&mut conn, name, "x=1");
    match snapshot_every {
        1 => {
            // Trimmed: only the retried copy is left, after the snapshot.
            assert_eq!(copies.len(), 1, "{copies:?}");
            let snapshot = snapshot_id(&mut conn, name);
            assert!(Some(id(&copies[0])) > snapshot);
            let x2 = entries_with(&mut conn, name, "x=2");
            assert!(x2.iter().all(|x| Some(id(x)) <= snapshot), "{x2:?}");
        }
        _ => assert_eq!(copies.len(), 2, "both copies are in the log"),
    }

    a.sync().unwrap();
    let b = b.unwrap_or_else(|| open(&server.url(), name, 10_000));
    b.sync().unwrap();
    let late = open(&server.url(), name, 10_000);
    for (who, jar) in [("a", &a), ("b", &b), ("a late replica", &late)] {
        assert_eq!(
            jar.cookie_header_at(&u, NOW).as_deref(),
            Some("x=2"),
            "{who}: the retried x=1 must not come back over x=2"
        );
    }
    let urls = [u];
    assert_eq!(dump(&a.read(), &urls), dump(&b.read(), &urls));
    assert_eq!(dump(&a.read(), &urls), dump(&late.read(), &urls));
}

#[test]
fn a_retried_store_is_applied_once_by_replicas_that_read_the_log() {
    a_retried_store_is_applied_once("retry-log", 10_000);
}

#[test]
fn a_retried_store_is_applied_once_by_replicas_that_read_a_snapshot() {
    a_retried_store_is_applied_once("retry-snapshot", 1);
}

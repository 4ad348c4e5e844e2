//! The fleet jar (feature `redis`) against a real `redis-server`: replicas
//! in one process and in several OS processes converge to byte-identical
//! state with nothing lost, through snapshots, a late replica, and Redis
//! killed and restarted mid-run; the answers are a local jar's.
#![cfg(feature = "redis")]
#![allow(clippy::unwrap_used, clippy::indexing_slicing)]

mod auth;
mod conformance;
mod proxy;
mod queued;
mod retry;
mod server;
#[cfg(feature = "redis-tls")]
mod tls;
mod workers;

use cookiejar::{FleetError, FleetJar, Jar, Limits, Rejection, Stored};
use server::RedisServer;
use std::time::Duration;
use time::macros::datetime;
use time::OffsetDateTime;
use url::Url;

const NOW: OffsetDateTime = datetime!(2026-01-01 12:00:00 UTC);

fn url(s: &str) -> Url {
    Url::parse(s).unwrap()
}

/// Every cookie with every field, in creation order as the `Cookie`
/// headers of `urls` show it: two replicas in the same state give the
/// same text.
pub(crate) fn dump(jar: &Jar, urls: &[Url]) -> String {
    let mut cookies: Vec<String> = jar
        .iter()
        .map(|c| {
            format!(
                "{}={} domain={} path={} host_only={} secure={} http_only={} created={} expires={:?} accessed={}",
                c.name(),
                c.value(),
                c.domain(),
                c.path(),
                c.host_only(),
                c.secure_only(),
                c.http_only(),
                c.creation_time(),
                c.expiry_time(),
                c.last_access_time(),
            )
        })
        .collect();
    cookies.sort();
    let mut text = cookies.join("\n");
    for u in urls {
        let header = jar.cookie_header_at(u, NOW + time::Duration::days(1));
        text.push_str(&format!("\n{u} -> {header:?}"));
    }
    text
}

/// A connection as the default user, for the test's own commands.
pub(crate) fn admin(server: &RedisServer) -> redis::Connection {
    redis::Client::open(server.url())
        .unwrap()
        .get_connection()
        .unwrap()
}

fn open(server: &RedisServer, name: &str) -> FleetJar {
    FleetJar::builder(&server.url(), name)
        .limits(Limits::RFC6265)
        .snapshot_every(16)
        .timeout(Duration::from_secs(5))
        .open()
        .unwrap()
}

#[test]
fn a_store_in_one_replica_is_seen_by_another_with_the_local_jars_answers() {
    let Some(server) = RedisServer::start() else {
        return;
    };
    let a = open(&server, "two-replicas");
    let b = open(&server, "two-replicas");
    let mut local = Jar::builder().limits(Limits::RFC6265).build();
    let login = url("https://www.example.com/login");
    let cases = [
        "sid=1; Secure; HttpOnly; Path=/",
        "lang=en; Domain=example.com",
        "sid=2; Secure; HttpOnly; Path=/",
        "bad=1; Domain=other.org",
        "lang=; Domain=example.com; Max-Age=0",
        "x=1; Domain=com",
    ];
    for header in cases {
        let fleet = a.set_cookie_at(&login, header, NOW);
        let want = local.set_cookie_at(&login, header, NOW);
        match want {
            Ok(stored) => assert_eq!(fleet, Ok(stored), "{header}"),
            Err(rejection) => assert_eq!(fleet, Err(FleetError::Rejected(rejection)), "{header}"),
        }
    }
    b.sync().unwrap();
    let home = url("https://www.example.com/");
    assert_eq!(b.cookie_header_at(&home, NOW).as_deref(), Some("sid=2"));
    assert_eq!(
        dump(&a.read(), std::slice::from_ref(&home)),
        dump(&b.read(), std::slice::from_ref(&home))
    );
    // Another jar name is another jar.
    let other = open(&server, "another-job");
    assert_eq!(other.cookie_header_at(&home, NOW), None);
    // Caller removals reach every replica.
    assert_eq!(a.remove("www.example.com", "/", "sid"), Ok(true));
    b.sync().unwrap();
    assert_eq!(b.cookie_header_at(&home, NOW), None);
    assert!(b.status().connected);
}

#[test]
fn configuration_errors_are_clear() {
    let Some(server) = RedisServer::start() else {
        return;
    };
    let err = FleetJar::open(&server.url(), "a{b}").unwrap_err();
    assert!(matches!(err, FleetError::InvalidJarName(_)), "{err}");
    let wrong = format!("redis://:wrong-password@127.0.0.1:{}/0", server.port);
    let err = FleetJar::builder(&wrong, "job").open().unwrap_err();
    let text = err.to_string();
    assert!(
        matches!(
            err,
            FleetError::Unavailable {
                maybe_logged: false,
                ..
            }
        ),
        "{text}"
    );
    assert!(
        !text.contains("wrong-password"),
        "the password is not shown: {text}"
    );
    let err = FleetJar::open("http://127.0.0.1/", "job").unwrap_err();
    assert!(matches!(err, FleetError::InvalidUrl(_)), "{err}");
    #[cfg(not(feature = "redis-tls"))]
    {
        let err = FleetJar::open("rediss://127.0.0.1/", "job").unwrap_err();
        assert!(matches!(err, FleetError::InvalidUrl(_)), "{err}");
        assert!(err.to_string().contains("redis-tls"), "{err}");
    }
}

#[test]
fn a_late_replica_reads_the_snapshot_then_the_log_after_it() {
    let Some(server) = RedisServer::start() else {
        return;
    };
    let early = open(&server, "late");
    let sites: Vec<Url> = (0..8)
        .map(|i| url(&format!("https://www.site{i}.example/")))
        .collect();
    for i in 0..200 {
        let site = &sites[i % sites.len()];
        early
            .set_cookie_at(site, &format!("c{}=v{i}; Max-Age=9999", i % 13), NOW)
            .unwrap();
    }
    // Snapshots every 16 entries keep the log short.
    let mut conn = redis::Client::open(server.url())
        .unwrap()
        .get_connection()
        .unwrap();
    let len: usize = redis::cmd("XLEN")
        .arg("cookiejar:{late}:log")
        .query(&mut conn)
        .unwrap();
    assert!(len < 64, "the log is trimmed: {len} entries");
    let late = open(&server, "late");
    assert_eq!(late.status().resyncs, 1);
    assert_eq!(dump(&early.read(), &sites), dump(&late.read(), &sites));
    assert_eq!(late.read().len(), 8 * 13);
}

#[test]
fn an_unreachable_redis_refuses_stores_and_lookups_keep_serving() {
    let Some(mut server) = RedisServer::start() else {
        return;
    };
    let jar = FleetJar::builder(&server.url(), "outage")
        .timeout(Duration::from_millis(500))
        .open()
        .unwrap();
    let u = url("https://example.com/");
    jar.set_cookie_at(&u, "a=1", NOW).unwrap();
    server.kill();
    let err = jar.set_cookie_at(&u, "b=2", NOW).unwrap_err();
    assert!(matches!(err, FleetError::Unavailable { .. }), "{err}");
    assert!(err.to_string().contains("127.0.0.1"), "{err}");
    assert_eq!(jar.cookie_header_at(&u, NOW).as_deref(), Some("a=1"));
    // Back (with its append-only file): the follower reconnects.
    server.restart();
    let mut stored = None;
    for _ in 0..100 {
        match jar.set_cookie_at(&u, "b=2", NOW) {
            Ok(s) => {
                stored = Some(s);
                break;
            }
            Err(_) => std::thread::sleep(Duration::from_millis(50)),
        }
    }
    assert_eq!(stored, Some(Stored::Inserted { evicted: 0 }));
    assert_eq!(jar.cookie_header_at(&u, NOW).as_deref(), Some("a=1; b=2"));
    let status = jar.status();
    assert!(status.connected, "{status:?}");
}

#[test]
fn a_refusal_is_the_same_in_every_replica() {
    let Some(server) = RedisServer::start() else {
        return;
    };
    let a = open(&server, "refusals");
    let u = url("http://example.com/");
    assert_eq!(
        a.set_cookie_at(&u, "s=1; Secure", NOW),
        Err(FleetError::Rejected(Rejection::SecureFromInsecureOrigin))
    );
    assert!(a.read().is_empty());
}

//! Queued stores, the path of reqwest's `CookieStore`: a real reqwest
//! client logs in against an HTTP server on 127.0.0.1 through a fleet jar
//! while Redis is frozen (so any store that waited for Redis would fail
//! the login), and a second replica then sees the session; stores queued
//! during an outage are written when Redis is back, or reported when it
//! stays away.

use super::server::RedisServer;
use super::{dump, url, NOW};
use cookiejar::{FleetError, FleetJar, Limits, RequestContext};
use std::time::{Duration, Instant};

fn open(server: &RedisServer, name: &str, queue_for: Duration) -> FleetJar {
    FleetJar::builder(&server.url(), name)
        .limits(Limits::RFC6265)
        .queue_for(queue_for)
        .open()
        .unwrap()
}

/// Polls `done` until it holds, for at most ten seconds.
pub(crate) fn eventually(what: &str, mut done: impl FnMut() -> bool) {
    let deadline = Instant::now() + Duration::from_secs(10);
    while !done() {
        assert!(Instant::now() < deadline, "timed out: {what}");
        std::thread::sleep(Duration::from_millis(10));
    }
}

#[test]
fn stores_queued_while_redis_is_down_are_written_when_it_is_back() {
    let Some(mut server) = RedisServer::start() else {
        return;
    };
    let a = open(&server, "queued-outage", Duration::from_secs(30));
    let b = open(&server, "queued-outage", Duration::from_secs(30));
    let u = url("https://www.example.com/");
    let other = url("https://shop.example.org/");
    a.set_cookie_at(&other, "o=1", NOW).unwrap();
    a.set_cookie_at(&u, "old=1; Domain=example.com", NOW)
        .unwrap();
    server.kill();
    a.queue_cookie_with(
        &u,
        "site=1; Domain=example.com",
        RequestContext::default(),
        NOW,
    );
    for i in 0..3 {
        a.queue_cookie_with(
            &u,
            &format!("q{i}=v; Max-Age=9999"),
            RequestContext::default(),
            NOW,
        );
    }
    // This process sees its stores at once, from its view, on every host
    // of the site, with the site's earlier cookies; other sites read the
    // replica. The fleet's jar (the replica) does not have them yet.
    assert_eq!(
        a.cookie_header_at(&u, NOW).as_deref(),
        Some("old=1; site=1; q0=v; q1=v; q2=v")
    );
    let api = url("https://api.example.com/");
    assert_eq!(
        a.cookie_header_at(&api, NOW).as_deref(),
        Some("old=1; site=1")
    );
    assert_eq!(a.cookie_header_at(&other, NOW).as_deref(), Some("o=1"));
    assert_eq!(a.read().len(), 2);
    assert_eq!(a.status().queued, 4);
    server.restart();
    eventually("a's queue is written", || a.sync().is_ok());
    eventually("b follows", || {
        b.sync().is_ok() && b.cookie_header_at(&u, NOW).is_some()
    });
    assert_eq!(
        b.cookie_header_at(&u, NOW).as_deref(),
        Some("old=1; site=1; q0=v; q1=v; q2=v")
    );
    assert_eq!(
        dump(&a.read(), std::slice::from_ref(&u)),
        dump(&b.read(), &[u])
    );
    assert_eq!(a.status().queued, 0);
    assert!(a.take_failures().is_empty());
}

#[test]
fn a_queued_store_that_cannot_reach_redis_in_time_is_reported_and_leaves_the_view() {
    let Some(mut server) = RedisServer::start() else {
        return;
    };
    let a = open(&server, "queued-lost", Duration::from_millis(300));
    let u = url("https://www.example.com/");
    a.set_cookie_at(&u, "kept=1", NOW).unwrap();
    server.kill();
    a.queue_cookie_with(&u, "lost=1; Path=/", RequestContext::default(), NOW);
    assert_eq!(
        a.cookie_header_at(&u, NOW).as_deref(),
        Some("kept=1; lost=1")
    );
    eventually("the store is given up", || a.status().failed_stores == 1);
    let failures = a.take_failures();
    assert_eq!(failures.len(), 1, "{failures:?}");
    assert_eq!(failures[0].name.as_deref(), Some("lost"));
    assert!(
        matches!(failures[0].error, FleetError::Unavailable { .. }),
        "{}",
        failures[0]
    );
    assert!(
        failures[0].to_string().contains("127.0.0.1"),
        "{}",
        failures[0]
    );
    // Gone from the view; the replica never had it.
    assert_eq!(a.cookie_header_at(&u, NOW).as_deref(), Some("kept=1"));
    assert!(a.take_failures().is_empty(), "taken once");
}

#[test]
fn a_queued_store_the_jar_refuses_is_reported_with_the_jars_reason() {
    let Some(server) = RedisServer::start() else {
        return;
    };
    let a = open(&server, "queued-refused", Duration::from_secs(30));
    let b = open(&server, "queued-refused", Duration::from_secs(30));
    let u = url("https://www.example.com/");
    a.queue_cookie_with(&u, "evil=1; Domain=com", RequestContext::default(), NOW);
    a.queue_cookie_with(&u, "good=1", RequestContext::default(), NOW);
    a.sync().unwrap();
    let failures = a.take_failures();
    assert_eq!(failures.len(), 1, "{failures:?}");
    assert_eq!(failures[0].name.as_deref(), Some("evil"));
    assert_eq!(
        failures[0].error,
        FleetError::Rejected(cookiejar::Rejection::PublicSuffix)
    );
    assert_eq!(a.status().failed_stores, 1);
    b.sync().unwrap();
    assert_eq!(b.cookie_header_at(&u, NOW).as_deref(), Some("good=1"));
    assert!(b.take_failures().is_empty(), "only the writer is told");
}

#[cfg(feature = "reqwest")]
mod through_reqwest {
    use super::*;
    use axum::http::{header, HeaderMap, StatusCode};
    use axum::response::{IntoResponse, Response};
    use axum::routing::get;
    use axum::Router;
    use std::net::SocketAddr;
    use std::sync::Arc;

    const SESSION: &str = "sid=alice.7d1b; Path=/; Domain=example.com; HttpOnly";

    fn cookies(headers: &HeaderMap) -> String {
        headers
            .get(header::COOKIE)
            .and_then(|h| h.to_str().ok())
            .unwrap_or("")
            .to_owned()
    }

    fn port(headers: &HeaderMap) -> String {
        let host = headers.get(header::HOST).and_then(|h| h.to_str().ok());
        host.unwrap_or("")
            .rsplit(':')
            .next()
            .unwrap_or("")
            .to_owned()
    }

    /// Sets the session and redirects to the account page, which needs it.
    async fn login(headers: HeaderMap) -> Response {
        let to = format!("http://www.example.com:{}/account", port(&headers));
        (
            StatusCode::FOUND,
            [
                (header::LOCATION, to),
                (header::SET_COOKIE, SESSION.to_owned()),
            ],
        )
            .into_response()
    }

    async fn account(headers: HeaderMap) -> Response {
        match cookies(&headers).split("; ").any(|c| c == "sid=alice.7d1b") {
            true => "hello alice".into_response(),
            false => StatusCode::UNAUTHORIZED.into_response(),
        }
    }

    async fn logout() -> Response {
        let gone = "sid=; Max-Age=0; Path=/; Domain=example.com";
        ([(header::SET_COOKIE, gone)], "bye").into_response()
    }

    async fn start_server() -> SocketAddr {
        let app = Router::new()
            .route("/login", get(login))
            .route("/account", get(account))
            .route("/logout", get(logout));
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
        let addr = listener.local_addr().unwrap();
        tokio::spawn(async move { axum::serve(listener, app).await.unwrap() });
        addr
    }

    fn client(jar: &FleetJar, addr: SocketAddr) -> reqwest::Client {
        reqwest::Client::builder()
            .cookie_provider(Arc::new(jar.clone()))
            .resolve("www.example.com", addr)
            .resolve("api.example.com", addr)
            .timeout(Duration::from_secs(10))
            .build()
            .unwrap()
    }

    async fn fetch(client: &reqwest::Client, addr: SocketAddr, host: &str, path: &str) -> u16 {
        let url = format!("http://{host}:{}{path}", addr.port());
        client.get(url).send().await.unwrap().status().as_u16()
    }

    /// One runtime thread, as a small crawler runs: a cookie store that
    /// waited for the frozen Redis would fail the login (its store would
    /// time out) instead of only delaying it.
    #[tokio::test(flavor = "current_thread")]
    async fn a_login_through_reqwest_with_redis_frozen_reaches_another_replica() {
        let Some(server) = RedisServer::start() else {
            return;
        };
        let a = open(&server, "reqwest", Duration::from_secs(30));
        let b = open(&server, "reqwest", Duration::from_secs(30));
        let addr = start_server().await;
        let (client_a, client_b) = (client(&a, addr), client(&b, addr));
        let home = url(&format!("http://api.example.com:{}/", addr.port()));

        server.freeze();
        // The redirect after the login carries the cookie set by the
        // login's response: this process's view has it at once.
        assert_eq!(
            fetch(&client_a, addr, "www.example.com", "/login").await,
            200
        );
        assert_eq!(
            fetch(&client_a, addr, "api.example.com", "/account").await,
            200
        );
        assert!(a.read().is_empty(), "the log does not have it yet");
        assert_eq!(b.cookie_header(&home), None);
        server.thaw();

        // Once written and followed, the other replica sends the session.
        a.sync().unwrap();
        eventually("b follows", || {
            b.sync().is_ok() && b.cookie_header(&home).is_some()
        });
        assert_eq!(
            fetch(&client_b, addr, "www.example.com", "/account").await,
            200
        );
        // A logout through b reaches a.
        assert_eq!(
            fetch(&client_b, addr, "www.example.com", "/logout").await,
            200
        );
        b.sync().unwrap();
        eventually("a follows", || {
            a.sync().is_ok() && a.cookie_header(&home).is_none()
        });
        assert_eq!(
            fetch(&client_a, addr, "www.example.com", "/account").await,
            401
        );
        assert!(a.take_failures().is_empty() && b.take_failures().is_empty());
        assert_eq!(
            dump(&a.read(), std::slice::from_ref(&home)),
            dump(&b.read(), &[home])
        );
    }
}

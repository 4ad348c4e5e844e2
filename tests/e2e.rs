//! End to end against a real HTTP server on 127.0.0.1: reqwest with this
//! crate's store logs in through a redirect chain that sets cookies on every
//! hop, across host names mapped to 127.0.0.1 with reqwest's resolver
//! override; the jar is saved, a fresh client reuses the session, and
//! logout deletes it.
#![cfg(feature = "reqwest")]
#![allow(clippy::unwrap_used)] // test code: unwrap is the assertion

use axum::extract::Form;
use axum::http::{header, HeaderMap, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};
use axum::Router;
use cookiejar::{Format, Jar, LoadOptions, SaveOptions, SharedJar};
use std::net::SocketAddr;
use std::sync::Arc;

/// The session token the server accepts: stateless, so that a second
/// server or client run accepts a saved session.
const SESSION: &str = "alice.5f4dcc3b";

fn redirect(to: String, set_cookie: &str) -> Response {
    (
        StatusCode::FOUND,
        [
            (header::LOCATION, to),
            (header::SET_COOKIE, set_cookie.to_string()),
        ],
    )
        .into_response()
}

fn port(headers: &HeaderMap) -> String {
    let host = headers
        .get(header::HOST)
        .and_then(|h| h.to_str().ok())
        .unwrap_or("");
    host.rsplit(':').next().unwrap_or("").to_string()
}

async fn login(headers: HeaderMap, Form(form): Form<Vec<(String, String)>>) -> Response {
    let ok = form.contains(&("user".into(), "alice".into()))
        && form.contains(&("password".into(), "secret".into()));
    if !ok {
        return StatusCode::UNAUTHORIZED.into_response();
    }
    let session = format!("sid={SESSION}; Path=/; Domain=example.com; HttpOnly");
    redirect(
        format!("http://www.example.com:{}/hop1", port(&headers)),
        &session,
    )
}

async fn hop1(headers: HeaderMap) -> Response {
    // A host-only cookie on www, then on to another host of the site.
    redirect(
        format!("http://api.example.com:{}/hop2", port(&headers)),
        "hop1=www-only; Path=/",
    )
}

async fn hop2(headers: HeaderMap) -> Response {
    redirect(
        format!("http://www.example.com:{}/account", port(&headers)),
        "hop2=site-wide; Domain=example.com; Path=/",
    )
}

fn cookies(headers: &HeaderMap) -> String {
    headers
        .get(header::COOKIE)
        .and_then(|h| h.to_str().ok())
        .unwrap_or("")
        .to_string()
}

async fn account(headers: HeaderMap) -> Response {
    if cookies(&headers)
        .split("; ")
        .any(|c| c == format!("sid={SESSION}"))
    {
        "hello alice".into_response()
    } else {
        StatusCode::UNAUTHORIZED.into_response()
    }
}

async fn logout() -> Response {
    (
        StatusCode::OK,
        [(
            header::SET_COOKIE,
            "sid=; Max-Age=0; Path=/; Domain=example.com",
        )],
        "bye",
    )
        .into_response()
}

async fn echo(headers: HeaderMap) -> String {
    cookies(&headers)
}

async fn start_server() -> SocketAddr {
    let app = Router::new()
        .route("/login", post(login))
        .route("/hop1", get(hop1))
        .route("/hop2", get(hop2))
        .route("/account", get(account))
        .route("/logout", get(logout))
        .route("/echo", get(echo));
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let addr = listener.local_addr().unwrap();
    tokio::spawn(async move { axum::serve(listener, app).await.unwrap() });
    addr
}

fn client(jar: &SharedJar, addr: SocketAddr) -> reqwest::Client {
    reqwest::Client::builder()
        .cookie_provider(Arc::new(jar.clone()))
        .resolve("www.example.com", addr)
        .resolve("api.example.com", addr)
        .resolve("other.org", addr)
        .timeout(std::time::Duration::from_secs(10))
        .build()
        .unwrap()
}

async fn get_text(client: &reqwest::Client, url: String) -> (u16, String) {
    let response = client.get(url).send().await.unwrap();
    (response.status().as_u16(), response.text().await.unwrap())
}

#[tokio::test]
async fn simulated_login_through_redirects_and_a_saved_session() {
    let addr = start_server().await;
    let p = addr.port();
    let jar = SharedJar::default();
    let http = client(&jar, addr);

    // Log in: POST, then three redirects, each setting a cookie.
    let response = http
        .post(format!("http://www.example.com:{p}/login"))
        .form(&[("user", "alice"), ("password", "secret")])
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), 200);
    assert_eq!(response.text().await.unwrap(), "hello alice");
    let mut names: Vec<String> = jar.read().iter().map(|c| c.name().to_string()).collect();
    names.sort();
    assert_eq!(
        names,
        ["hop1", "hop2", "sid"],
        "every hop's Set-Cookie was stored"
    );

    // Domain cookies reach the site's other hosts; host-only ones do not;
    // another site gets nothing.
    assert_eq!(
        get_text(&http, format!("http://api.example.com:{p}/echo"))
            .await
            .1,
        format!("sid={SESSION}; hop2=site-wide")
    );
    assert_eq!(
        get_text(&http, format!("http://www.example.com:{p}/echo"))
            .await
            .1,
        format!("sid={SESSION}; hop1=www-only; hop2=site-wide")
    );
    assert_eq!(
        get_text(&http, format!("http://other.org:{p}/echo"))
            .await
            .1,
        ""
    );

    // Save (the session cookie is a session cookie: keep it explicitly),
    // then a fresh jar and client from the file.
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("session.json");
    jar.read()
        .save(
            &path,
            Format::Json,
            SaveOptions {
                include_session_cookies: true,
                ..cookiejar::SaveOptions::default()
            },
        )
        .unwrap();
    let mut restored = Jar::new();
    restored.load(&path, LoadOptions::default()).unwrap();
    let jar2 = SharedJar::new(restored);
    let http2 = client(&jar2, addr);
    assert_eq!(
        get_text(&http2, format!("http://www.example.com:{p}/account")).await,
        (200, "hello alice".into())
    );

    // Logout deletes the session cookie with Max-Age=0.
    assert_eq!(
        get_text(&http2, format!("http://www.example.com:{p}/logout"))
            .await
            .0,
        200
    );
    assert!(jar2.read().iter().all(|c| c.name() != "sid"));
    assert_eq!(
        get_text(&http2, format!("http://www.example.com:{p}/account"))
            .await
            .0,
        401
    );
    assert!(jar2.take_rejections().is_empty());
}

#[tokio::test]
async fn refusals_through_reqwest_are_kept() {
    let addr = start_server().await;
    let jar = SharedJar::default();
    let http = client(&jar, addr);
    // other.org's login redirects to www.example.com, whose cookie for
    // Domain=example.com is fine; but a direct Set-Cookie for example.com
    // from other.org must be refused: use the logout route on other.org.
    let _ = get_text(&http, format!("http://other.org:{}/logout", addr.port())).await;
    let refused = jar.take_rejections();
    assert_eq!(refused.len(), 1);
    assert_eq!(refused[0].reason, cookiejar::Rejection::DomainMismatch);
    assert_eq!(refused[0].url.host_str(), Some("other.org"));
    assert_eq!(refused[0].name.as_deref(), Some("sid"));
    assert_eq!(refused[0].domain_attribute.as_deref(), Some("example.com"));
}

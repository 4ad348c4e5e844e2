//! A simulated login that survives restarts.
//!
//! The first run logs in (a form POST whose redirects set cookies) and saves
//! the jar to `session.json`; later runs load it and go straight to the
//! account page. The example starts its own small server on 127.0.0.1 so
//! that it runs anywhere; the server's sessions are stateless, so a saved
//! session stays valid across runs.
//!
//! ```sh
//! cargo run --example simulated_login --features reqwest   # logs in, saves session.json
//! cargo run --example simulated_login --features reqwest   # reuses the saved session
//! ```

use axum::extract::Form;
use axum::http::{header, HeaderMap, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};
use axum::Router;
use cookiejar::{Format, Jar, LoadOptions, SaveOptions, SharedJar};
use std::path::Path;
use std::sync::Arc;

const SESSION: &str = "alice.5f4dcc3b";

async fn login(Form(form): Form<Vec<(String, String)>>) -> Response {
    if !form.contains(&("password".into(), "secret".into())) {
        return StatusCode::UNAUTHORIZED.into_response();
    }
    let cookie = format!("sid={SESSION}; Path=/; HttpOnly; Max-Age=86400");
    (
        StatusCode::FOUND,
        [
            (header::LOCATION, "/account".to_string()),
            (header::SET_COOKIE, cookie),
        ],
    )
        .into_response()
}

async fn account(headers: HeaderMap) -> Response {
    let cookies = headers
        .get(header::COOKIE)
        .and_then(|h| h.to_str().ok())
        .unwrap_or("");
    if cookies.split("; ").any(|c| c == format!("sid={SESSION}")) {
        "hello alice".into_response()
    } else {
        StatusCode::UNAUTHORIZED.into_response()
    }
}

#[tokio::main]
async fn main() -> Result<(), Box<dyn std::error::Error>> {
    let app = Router::new()
        .route("/login", post(login))
        .route("/account", get(account));
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await?;
    let base = format!("http://{}", listener.local_addr()?);
    tokio::spawn(async move { axum::serve(listener, app).await });

    let path = Path::new("session.json");
    let mut jar = Jar::new();
    if path.exists() {
        let report = jar.load(path, LoadOptions::default())?;
        println!("loaded {} cookies from {}", report.loaded, path.display());
    }
    let jar = SharedJar::new(jar);
    let client = reqwest::Client::builder()
        .cookie_provider(Arc::new(jar.clone()))
        .build()?;

    let account = client.get(format!("{base}/account")).send().await?;
    if account.status() == 200 {
        println!("reused the saved session: {}", account.text().await?);
    } else {
        let page = client
            .post(format!("{base}/login"))
            .form(&[("user", "alice"), ("password", "secret")])
            .send()
            .await?;
        println!("logged in: {}", page.text().await?);
        let report = jar
            .read()
            .save(path, Format::Json, SaveOptions::default())?;
        println!(
            "saved {} cookies to {}; run again to reuse the session",
            report.written,
            path.display()
        );
    }
    for refused in jar.take_rejections() {
        println!("refused {refused}");
    }
    Ok(())
}

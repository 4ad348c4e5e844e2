//! The test server: a login redirect chain on 127.0.0.1 that the tools
//! reach as an HTTP proxy, and a record of every `Cookie` header received.
//!
//! Acting as the proxy lets every tool use the host names of the chain
//! (`www.shop.example`, `api.shop.example`, `localhost`) and the URL port
//! 8443 with no name resolution: wget has no `--resolve`, and a cookie
//! engine keys on the URL, not on the connection. https goes through the
//! proxy's `CONNECT` tunnels, with a self-signed certificate
//! (`testdata/tools/tls/`, made by `generate.sh`) the tools are told not to
//! verify. Only 127.0.0.1 is ever contacted.

use axum::body::Body;
use axum::http::{header, HeaderMap, Request, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::Router;
use std::io::{BufRead, BufReader};
use std::path::Path;
use std::process::{Child, Command, Stdio};
use std::sync::{Arc, Mutex};

/// Where the chain starts.
pub(crate) const LOGIN: &str = "http://www.shop.example:8443/login";

/// One hop of the login chain: the URL, where it redirects, what it sets.
pub(crate) struct Hop {
    pub(crate) url: &'static str,
    pub(crate) location: Option<&'static str>,
    pub(crate) set_cookies: &'static [&'static str],
}

/// The login chain: every kind of cookie once. Fixed `Expires` dates keep
/// the tools' files the same from one run to the next.
pub(crate) const CHAIN: &[Hop] = &[
    Hop {
        url: LOGIN,
        location: Some("http://www.shop.example:8443/hop"),
        // Host-only, session, HttpOnly: the login itself.
        set_cookies: &["sid=s3ss10n; Path=/; HttpOnly"],
    },
    Hop {
        url: "http://www.shop.example:8443/hop",
        location: Some("http://www.shop.example:8443/account/"),
        set_cookies: &[
            // Domain, persistent.
            "site=wide; Domain=shop.example; Path=/; Expires=Wed, 01 Oct 2036 00:00:00 GMT",
            // Domain, session.
            "cart=3; Domain=shop.example; Path=/",
            // Host-only, persistent.
            "pref=dark; Path=/; Expires=Wed, 01 Oct 2036 00:00:00 GMT",
            // Host-only, persistent, HttpOnly: whether an HttpOnly line
            // survives, apart from session handling.
            "tok=p3rs1st; Path=/; HttpOnly; Expires=Wed, 01 Oct 2036 00:00:00 GMT",
        ],
    },
    Hop {
        url: "http://www.shop.example:8443/account/",
        location: Some("http://localhost:8443/local"),
        set_cookies: &[
            // Path-scoped.
            "acct=42; Path=/account; Expires=Wed, 01 Oct 2036 00:00:00 GMT",
            // Secure, set over plain http from a non-loopback host:
            // RFC 6265bis section 5.7 step 8 refuses it.
            "sec=http; Secure; Path=/; Expires=Wed, 01 Oct 2036 00:00:00 GMT",
        ],
    },
    Hop {
        url: "http://localhost:8443/local",
        location: Some("https://www.shop.example:8443/secure"),
        // Secure and HttpOnly on a loopback host, which RFC 6265bis treats
        // as a secure origin; and `Domain=localhost`, a public suffix (no
        // list names the TLD) equal to the host: host-only to RFC 6265
        // section 5.3 step 5, a `.localhost` domain line in the tools' files.
        set_cookies: &[
            "lsec=1; Secure; HttpOnly; Path=/; Expires=Wed, 01 Oct 2036 00:00:00 GMT",
            "ldom=1; Domain=localhost; Path=/; Expires=Wed, 01 Oct 2036 00:00:00 GMT",
        ],
    },
    Hop {
        url: "https://www.shop.example:8443/secure",
        location: None,
        // Secure, set over https.
        set_cookies: &["ssec=tls; Secure; Path=/; Expires=Wed, 01 Oct 2036 00:00:00 GMT"],
    },
];

/// The URLs each tool requests after loading a jar: the chain's hosts and
/// paths over https and http, a sibling host (domain cookies only), another port (RFC 6265
/// section 8.5: cookies do not isolate by port) and another site (nothing).
pub(crate) const PROBES: &[&str] = &[
    "https://www.shop.example:8443/",
    "http://www.shop.example:8443/",
    "http://www.shop.example:8443/account/settings",
    "http://api.shop.example:8443/",
    "http://localhost:8443/",
    "http://www.shop.example:9000/",
    "http://other.example:8443/",
];

/// A running server and what it received.
pub(crate) struct Server {
    /// `http://127.0.0.1:PORT`, for the tools' proxy option.
    pub(crate) proxy: String,
    received: Record,
    proxy_process: Child,
    _runtime: tokio::runtime::Runtime,
}

type Record = Arc<Mutex<Vec<(String, String)>>>;

fn testdata(file: &str) -> String {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("testdata/tools")
        .join(file)
        .display()
        .to_string()
}

impl Server {
    /// Starts the chain on two listeners on 127.0.0.1, one whose requests
    /// are recorded as http and one as https, and `testdata/tools/proxy.py`
    /// in front of them: it passes plain proxy requests to the first and
    /// ends the TLS of `CONNECT` tunnels itself before passing them to the
    /// second (a TLS server in Rust would need dependencies for nothing
    /// else). `require_tool` checks python3 for every tool.
    pub(crate) fn start() -> Server {
        let runtime = tokio::runtime::Builder::new_multi_thread()
            .worker_threads(1)
            .enable_io()
            .build()
            .expect("a tokio runtime");
        let received: Record = Arc::new(Mutex::new(Vec::new()));
        let plain = listen(&runtime, "http", &received);
        let tls = listen(&runtime, "https", &received);
        let mut proxy_process = Command::new("python3")
            .arg(testdata("proxy.py"))
            .args([plain.to_string(), tls.to_string()])
            .args([testdata("tls/cert.pem"), testdata("tls/key.pem")])
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .spawn()
            .expect("python3 runs testdata/tools/proxy.py");
        let mut port = String::new();
        let stdout = proxy_process.stdout.take().expect("the proxy's stdout");
        BufReader::new(stdout)
            .read_line(&mut port)
            .expect("the proxy's port");
        let port: u16 = port.trim().parse().expect("the proxy prints its port");
        Server {
            proxy: format!("http://127.0.0.1:{port}"),
            received,
            proxy_process,
            _runtime: runtime,
        }
    }

    /// The `Cookie` header of the last request for `url` (`""` for none),
    /// or `None` if `url` was not requested.
    pub(crate) fn sent_to(&self, url: &str) -> Option<String> {
        let received = self.received.lock().expect("the record");
        received
            .iter()
            .rev()
            .find(|(u, _)| u == url)
            .map(|(_, c)| c.clone())
    }

    /// Forgets what was received.
    pub(crate) fn clear(&self) {
        self.received.lock().expect("the record").clear();
    }
}

impl Drop for Server {
    fn drop(&mut self) {
        // Closing its stdin ends the proxy; kill it in case it is stuck.
        drop(self.proxy_process.stdin.take());
        let _ = self.proxy_process.kill();
        let _ = self.proxy_process.wait();
    }
}

/// Serves the chain on 127.0.0.1, recording requests with `scheme`;
/// returns the port.
fn listen(runtime: &tokio::runtime::Runtime, scheme: &'static str, record: &Record) -> u16 {
    let record = record.clone();
    let app = Router::new().fallback(move |request: Request<Body>| {
        let record = record.clone();
        async move { respond(&request, scheme, &record) }
    });
    let listener = runtime
        .block_on(tokio::net::TcpListener::bind("127.0.0.1:0"))
        .expect("bind 127.0.0.1");
    let port = listener.local_addr().expect("a local address").port();
    runtime.spawn(async move { axum::serve(listener, app).await });
    port
}

fn respond(
    request: &Request<Body>,
    scheme: &str,
    record: &Mutex<Vec<(String, String)>>,
) -> Response {
    let url = absolute_url(request, scheme);
    let cookie = request
        .headers()
        .get_all(header::COOKIE)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .collect::<Vec<_>>()
        .join("; ");
    record
        .lock()
        .expect("the record")
        .push((url.clone(), cookie));
    let Some(hop) = CHAIN.iter().find(|h| h.url == url) else {
        return "ok".into_response();
    };
    let mut headers = HeaderMap::new();
    for c in hop.set_cookies {
        headers.append(header::SET_COOKIE, c.parse().expect("a header value"));
    }
    match hop.location {
        Some(to) => {
            headers.insert(header::LOCATION, to.parse().expect("a header value"));
            (StatusCode::FOUND, headers, "").into_response()
        }
        None => (StatusCode::OK, headers, "ok").into_response(),
    }
}

/// The request's URL without its query: a proxy request carries it whole
/// (absolute form); a tunnelled one has only the path and a `Host` header.
fn absolute_url(request: &Request<Body>, scheme: &str) -> String {
    let uri = request.uri();
    let authority = match uri.authority() {
        Some(a) => a.to_string(),
        None => request
            .headers()
            .get(header::HOST)
            .and_then(|h| h.to_str().ok())
            .unwrap_or("")
            .to_string(),
    };
    format!("{scheme}://{authority}{}", uri.path())
}

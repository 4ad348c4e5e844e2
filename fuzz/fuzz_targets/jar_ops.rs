#![no_main]
//! Arbitrary operation sequences on a small jar, with the invariants checked
//! after every step: no limit exceeded; every cookie that would be sent is
//! unexpired, on its host or domain, on its path, and Secure only over a
//! secure request; a partitioned cookie only under its own top-level site
//! (CHIPS); the Cookie header is exactly what explain says is sent. Under
//! the default profile or `Profile::Chromium` (the input's first byte).
use arbitrary::Arbitrary;
use cookiejar::{domain_match, path_match, Jar, Limits, Profile, RequestContext};
use time::{Duration, OffsetDateTime};
use url::Url;

const HOSTS: [&str; 7] = [
    "example.com",
    "www.example.com",
    "a.b.example.com",
    "other.org",
    "localhost",
    "127.0.0.1",
    "bbc.co.uk",
];
const PATHS: [&str; 4] = ["/", "/a", "/a/b/c", "/ab"];

#[derive(Arbitrary, Debug)]
enum Op {
    Set {
        host: u8,
        https: bool,
        path: u8,
        non_http: bool,
        top_level: Option<(u8, bool)>,
        header: String,
    },
    Get {
        host: u8,
        https: bool,
        path: u8,
        non_http: bool,
        cross_site: bool,
        top_level: Option<(u8, bool)>,
    },
    Advance(u16),
    Purge,
}

fn url(host: u8, https: bool, path: u8) -> Url {
    let host = HOSTS[host as usize % HOSTS.len()];
    let path = PATHS[path as usize % PATHS.len()];
    Url::parse(&format!(
        "{}://{host}{path}",
        if https { "https" } else { "http" }
    ))
    .unwrap()
}

/// The site (scheme and registrable domain) of a host of `HOSTS`.
fn site(host: &str, https: bool) -> String {
    let domain = match host {
        "www.example.com" | "a.b.example.com" => "example.com",
        other => other,
    };
    format!("{}://{domain}", if https { "https" } else { "http" })
}

fn context(non_http: bool, cross_site: bool, top_level: Option<(u8, bool)>) -> RequestContext {
    let mut c = RequestContext::default();
    if let Some((host, https)) = top_level {
        c = c.top_level(&url(host, https, 0));
    }
    if non_http {
        c = c.non_http_api();
    }
    if cross_site {
        c = c.cross_site();
    }
    c
}

libfuzzer_sys::fuzz_target!(|input: (bool, Vec<Op>)| {
    let (chromium, ops) = input;
    let limits = Limits {
        max_cookies: 8,
        max_cookies_per_domain: 4,
        max_cookie_bytes: 4096,
        ..Limits::RFC2109
    };
    let profile = match chromium {
        true => Profile::Chromium,
        false => Profile::Rfc6265bis,
    };
    let mut jar = Jar::builder().limits(limits).profile(profile).build();
    let mut now = OffsetDateTime::UNIX_EPOCH + Duration::days(20_000);
    for op in ops.iter().take(64) {
        match op {
            Op::Set {
                host,
                https,
                path,
                non_http,
                top_level,
                header,
            } => {
                let _ = jar.set_cookie_with(
                    &url(*host, *https, *path),
                    header,
                    context(*non_http, false, *top_level),
                    now,
                );
            }
            Op::Get {
                host,
                https,
                path,
                non_http,
                cross_site,
                top_level,
            } => {
                let u = url(*host, *https, *path);
                let ctx = context(*non_http, *cross_site, *top_level);
                let partition = match top_level {
                    Some((h, s)) => site(url(*h, *s, 0).host_str().unwrap(), *s),
                    None => site(u.host_str().unwrap(), *https),
                };
                let secure = *https || matches!(u.host_str(), Some("localhost" | "127.0.0.1"));
                let host = u.host_str().unwrap().to_string();
                let sent: Vec<String> = jar
                    .explain_with(&u, ctx, now)
                    .iter()
                    .filter(|e| e.exclusion.is_none())
                    .map(|e| {
                        let c = e.cookie;
                        assert!(!c.is_expired_at(now), "expired cookie sent");
                        assert!(
                            if c.host_only() {
                                c.domain() == host
                            } else {
                                domain_match(&host, c.domain())
                            },
                            "{c:?} to {host}"
                        );
                        assert!(path_match(u.path(), c.path()), "{c:?} to {}", u.path());
                        assert!(!c.secure_only() || secure, "Secure cookie over {u}");
                        assert!(
                            !c.http_only() || !*non_http,
                            "HttpOnly cookie to a non-HTTP API"
                        );
                        assert!(
                            c.partition_key().is_none_or(|k| k == partition),
                            "{c:?} under {partition}"
                        );
                        assert!(!c.partitioned() || c.secure_only(), "Partitioned without Secure");
                        if c.name().is_empty() {
                            c.value().to_string()
                        } else {
                            format!("{}={}", c.name(), c.value())
                        }
                    })
                    .collect();
                let header = jar.cookie_header_with(&u, ctx, now);
                assert_eq!(header, (!sent.is_empty()).then(|| sent.join("; ")));
            }
            Op::Advance(seconds) => now += Duration::seconds(i64::from(*seconds)),
            Op::Purge => {
                jar.purge_expired_at(now);
                assert!(jar.iter().all(|c| !c.is_expired_at(now)));
            }
        }
        assert!(jar.len() <= limits.max_cookies);
    }
});

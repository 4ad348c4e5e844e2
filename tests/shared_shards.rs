//! `SharedJar` is sharded by registrable domain. Against one `Jar` as the
//! oracle, the same stores and lookups (each at its own instant) give the
//! same answers, headers and content, with the per-domain and the jar-wide
//! limits; from many threads the limits are exact once the stores return;
//! and the whole-jar guards (`read`, `write`) keep every order.
#![allow(clippy::unwrap_used, clippy::indexing_slicing)]

use cookiejar::{Jar, Limits, SharedJar};
use proptest::prelude::*;
use time::macros::datetime;
use time::{Duration, OffsetDateTime};
use url::Url;

const NOW: OffsetDateTime = datetime!(2026-01-01 12:00:00 UTC);

fn url(s: &str) -> Url {
    Url::parse(s).unwrap()
}

fn content(jar: &Jar) -> Vec<String> {
    let mut all: Vec<String> = jar
        .iter()
        .map(|c| {
            format!(
                "{}={} {} {} {} {} {}",
                c.name(),
                c.value(),
                c.domain(),
                c.path(),
                c.host_only(),
                c.creation_time(),
                c.last_access_time()
            )
        })
        .collect();
    all.sort();
    all
}

const SMALL: Limits = Limits {
    max_cookies: 12,
    max_cookies_per_domain: 4,
    ..Limits::RFC2109
};

proptest! {
    #[test]
    fn a_shared_jar_answers_as_one_jar(
        ops in prop::collection::vec((0usize..7, 0usize..6, 0u8..10, 0i64..40), 1..120)
    ) {
        let mut oracle = Jar::builder().limits(SMALL).build();
        let shared = SharedJar::new(Jar::builder().limits(SMALL).build());
        for (step, &(site, name, what, age)) in ops.iter().enumerate() {
            let now = NOW + Duration::seconds(step as i64);
            let u = url(&format!("https://www.site{site}.example/a/"));
            if what < 3 {
                prop_assert_eq!(shared.cookie_header_at(&u, now), oracle.cookie_header_at(&u, now));
            } else {
                let domain = if what % 2 == 0 { format!("; Domain=site{site}.example") } else { String::new() };
                let header = format!("n{name}=v{step}; Max-Age={}{domain}", age - 2);
                prop_assert_eq!(shared.set_cookie_at(&u, &header, now), oracle.set_cookie_at(&u, &header, now), "{}", header);
            }
            prop_assert_eq!(content(&shared.read()), content(&oracle));
        }
    }
}

proptest! {
    /// The same under the RFC 2109 profile, whose headers may hold several
    /// cookies: each is stored (and evicts) as if it came alone, as in one
    /// jar.
    #[test]
    fn a_shared_rfc2109_jar_answers_as_one_jar(
        ops in prop::collection::vec((0usize..7, 0usize..6, 0u8..10, 0i64..40), 1..80)
    ) {
        let build = || Jar::builder().limits(SMALL).profile(cookiejar::Profile::Rfc2109).build();
        let mut oracle = build();
        let shared = SharedJar::new(build());
        for (step, &(site, name, what, age)) in ops.iter().enumerate() {
            let now = NOW + Duration::seconds(step as i64);
            let u = url(&format!("http://www.site{site}.example/a/"));
            if what < 3 {
                prop_assert_eq!(shared.cookie_header_at(&u, now), oracle.cookie_header_at(&u, now));
            } else {
                let header = format!("n{name}=v{step}; Max-Age={}, m{name}=w; Version=1", age - 2);
                prop_assert_eq!(shared.set_cookie_at(&u, &header, now), oracle.set_cookie_at(&u, &header, now), "{}", header);
            }
            prop_assert_eq!(content(&shared.read()), content(&oracle));
        }
    }
}

#[test]
fn many_threads_keep_the_limits_exact() {
    let limits = Limits {
        max_cookies: 50,
        max_cookies_per_domain: 6,
        ..Limits::RFC2109
    };
    let shared = SharedJar::new(Jar::builder().limits(limits).build());
    std::thread::scope(|s| {
        for t in 0..8 {
            let shared = &shared;
            s.spawn(move || {
                for i in 0..200 {
                    let u = url(&format!("https://www.site{}.example/", (t * 7 + i) % 23));
                    shared.set_cookie(&u, &format!("t{t}_{i}=v")).unwrap();
                    let _ = shared.cookie_header(&u);
                }
            });
        }
    });
    let jar = shared.read();
    assert_eq!(jar.len(), 50);
    for site in 0..23 {
        let domain = format!("www.site{site}.example");
        assert!(jar.iter().filter(|c| c.domain() == domain).count() <= 6);
    }
}

#[test]
fn changes_through_the_whole_jar_guard_go_back_into_the_shards() {
    let shared = SharedJar::default();
    let a = url("https://a.example/");
    let b = url("https://b.example/");
    shared.set_cookie_at(&a, "x=1", NOW).unwrap();
    shared.set_cookie_at(&b, "y=1", NOW).unwrap();
    shared.set_cookie_at(&a, "z=1", NOW).unwrap();
    {
        let mut whole = shared.write();
        assert_eq!(whole.len(), 3);
        whole.remove("b.example", "/", "y").unwrap();
        whole.set_cookie_at(&b, "w=2", NOW).unwrap();
    }
    assert_eq!(
        shared.cookie_header_at(&a, NOW).as_deref(),
        Some("x=1; z=1")
    );
    assert_eq!(shared.cookie_header_at(&b, NOW).as_deref(), Some("w=2"));
    assert_eq!(shared.read().len(), 3);
}

/// The shard's jar answers with the bucket the router found for the
/// request (it does not look it up again): for hosts whose bucket is not a
/// plain registrable domain too, the answers are one jar's.
#[test]
fn hosts_of_every_kind_find_their_cookies_in_their_shard() {
    let urls = [
        "https://www.example.com/a",
        "https://example.com/",
        "https://deep.sub.example.co.uk/x",
        "https://github.io/",
        "https://user.github.io/p",
        "http://127.0.0.1/",
        "http://[::1]:8080/",
        "http://localhost/",
        "http://intranet/",
        "foo://Opaque.Example.COM/",
        "https://xn--bcher-kva.example/",
        "data:text/plain,x",
    ];
    let mut oracle = Jar::new();
    let shared = SharedJar::default();
    for (i, u) in urls.iter().enumerate() {
        let u = url(u);
        for header in [
            format!("h{i}=1"),
            format!("d{i}=2; Domain={}", u.host_str().unwrap_or("")),
        ] {
            let now = NOW + Duration::seconds(i as i64);
            assert_eq!(
                shared.set_cookie_at(&u, &header, now),
                oracle.set_cookie_at(&u, &header, now),
                "{u} {header}"
            );
        }
    }
    assert!(oracle.len() >= urls.len());
    for u in urls
        .iter()
        .chain(&["https://other.example.com/", "https://sub.user.github.io/"])
    {
        let u = url(u);
        let later = NOW + Duration::minutes(1);
        let want = oracle.cookie_header_at(&u, later);
        assert_eq!(shared.cookie_header_at(&u, later), want, "{u}");
        let mut buffer = String::from("stale");
        let sent = shared.write_cookie_header_with(&u, Default::default(), later, &mut buffer);
        assert_eq!(buffer, want.clone().unwrap_or_default(), "{u}");
        assert_eq!(sent, want.map_or(0, |h| h.split("; ").count()), "{u}");
    }
    assert_eq!(content(&shared.read()), content(&oracle));
}

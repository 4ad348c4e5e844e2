//! The conformance data through the fleet jar: every http-state case
//! (`../shared/conformance/http-state/parser.json`, as `tests/http_state.rs`
//! runs it on a local jar) and random stores give, through Redis, exactly
//! the answers and headers of a local jar with the same profile. The
//! replicas run the jar's own policy code, so the local suites' verdicts
//! carry over.

use super::server::RedisServer;
use cookiejar::{FleetError, FleetJar, Jar, Limits, Profile};
use proptest::prelude::*;
use proptest::test_runner::TestRunner;
use time::macros::datetime;
use time::{Duration, OffsetDateTime};
use url::Url;

#[path = "../common/mod.rs"]
mod common;

#[test]
fn every_http_state_case_gives_the_local_jars_header() {
    let Some(text) = common::shared_conformance_file("http-state/parser.json") else {
        return;
    };
    let Some(server) = RedisServer::start() else {
        return;
    };
    let cases: Vec<serde_json::Value> = serde_json::from_str(&text).unwrap();
    let now = datetime!(2011-01-01 00:00:00 UTC);
    let mut ran = 0;
    for profile in [Profile::Rfc6265, Profile::Rfc6265bis] {
        for (n, case) in cases.iter().enumerate() {
            let name = case["test"].as_str().unwrap();
            if name.starts_with("DISABLED_") {
                continue;
            }
            let id = name.to_ascii_lowercase().replace('_', "-");
            let from =
                Url::parse(&format!("http://home.example.org:8888/cookie-parser?{id}")).unwrap();
            let to = match case["sent-to"].as_str() {
                Some(sent_to) => from.join(sent_to).unwrap(),
                None => from.join(&format!("/cookie-parser-result?{id}")).unwrap(),
            };
            let fleet = FleetJar::builder(&server.url(), &format!("hs-{profile:?}-{n}"))
                .profile(profile)
                .open()
                .unwrap();
            let mut local = Jar::builder().profile(profile).build();
            for received in case["received"].as_array().unwrap() {
                let received = received.as_str().unwrap();
                let want = local.set_cookie_at(&from, received, now);
                let got = fleet.set_cookie_at(&from, received, now);
                assert_eq!(
                    got,
                    want.map_err(FleetError::Rejected),
                    "{name}: {received:?}"
                );
            }
            assert_eq!(
                fleet.cookie_header_at(&to, now),
                local.cookie_header_at(&to, now),
                "{name} under {profile:?}"
            );
            ran += 1;
        }
    }
    assert_eq!(ran, 2 * 218);
}

const NOW: OffsetDateTime = datetime!(2026-01-01 12:00:00 UTC);

/// Random stores with small limits (evictions, expiry, deletions, domain
/// and host cookies, refusals): the same answers and headers.
#[test]
fn random_stores_give_the_local_jars_answers() {
    let Some(server) = RedisServer::start() else {
        return;
    };
    let url = server.url();
    let strategy = (
        prop::collection::vec((0usize..4, 0usize..5, 0u8..6, 0i64..20), 1..40),
        any::<u64>(),
    );
    let mut runner = TestRunner::new(ProptestConfig::with_cases(24));
    let outcome = runner.run(&strategy, |(ops, case)| {
        let limits = Limits {
            max_cookies: 8,
            max_cookies_per_domain: 3,
            ..Limits::RFC2109
        };
        let fleet = FleetJar::builder(&url, &format!("random-{case}"))
            .limits(limits)
            .open()
            .unwrap();
        let mut local = Jar::builder().limits(limits).build();
        let sites: Vec<Url> = (0..4)
            .map(|i| Url::parse(&format!("https://www.site{i}.example/a/")).unwrap())
            .collect();
        for (step, &(site, name, what, age)) in ops.iter().enumerate() {
            let now = NOW + Duration::seconds(step as i64);
            let header = match what {
                0 => format!(
                    "n{name}=v{step}; Domain=site{site}.example; Max-Age={}",
                    age - 2
                ),
                1 => format!("n{name}=v{step}; Domain=example"),
                2 => format!("n{name}=; Max-Age=0"),
                _ => format!("n{name}=v{step}; Max-Age={}", age - 2),
            };
            let want = local.set_cookie_at(&sites[site], &header, now);
            prop_assert_eq!(
                fleet.set_cookie_at(&sites[site], &header, now),
                want.map_err(FleetError::Rejected)
            );
        }
        let later = NOW + Duration::seconds(100);
        for site in &sites {
            prop_assert_eq!(
                fleet.cookie_header_at(site, later),
                local.cookie_header_at(site, later)
            );
        }
        Ok(())
    });
    if let Err(e) = outcome {
        panic!("{e}");
    }
}

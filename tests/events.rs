//! Change events (`ChangeListener`, `ChangeLog`): one event per change, of
//! the right kind, with the cookie's identity, in the order the jar made
//! the changes; none for a lookup or a refusal; and the events replayed
//! onto an empty set of identities give exactly what the jar holds.
#![allow(clippy::unwrap_used, clippy::indexing_slicing)]

use cookiejar::{
    ChangeKind, ChangeLog, ChangeRecord, CookieIdentity, Format, Jar, Limit, Limits, LoadOptions,
    PublicSuffixList,
};
use proptest::prelude::*;
use std::collections::BTreeSet;
use std::sync::Arc;
use time::macros::datetime;
use time::{Duration, OffsetDateTime};
use url::Url;

const NOW: OffsetDateTime = datetime!(2026-01-01 12:00:00 UTC);

fn url(s: &str) -> Url {
    Url::parse(s).unwrap()
}

fn logged_jar(limits: Limits) -> (Jar, Arc<ChangeLog>) {
    let log = Arc::new(ChangeLog::new(10_000));
    let jar = Jar::builder().limits(limits).on_change(log.clone()).build();
    (jar, log)
}

/// `(kind, name, domain, host-only)` of each record.
fn summary(records: &[ChangeRecord]) -> Vec<(ChangeKind, String, String, bool)> {
    records
        .iter()
        .map(|r| {
            let id = &r.identity;
            (r.kind, id.name.clone(), id.domain.clone(), id.host_only)
        })
        .collect()
}

fn ev(
    kind: ChangeKind,
    name: &str,
    domain: &str,
    host_only: bool,
) -> (ChangeKind, String, String, bool) {
    (kind, name.to_owned(), domain.to_owned(), host_only)
}

struct Case {
    name: &'static str,
    limits: Limits,
    /// `(url, Set-Cookie, seconds after NOW)`.
    sets: &'static [(&'static str, &'static str, i64)],
    want: &'static [(ChangeKind, &'static str, &'static str, bool)],
}

const SMALL: Limits = Limits {
    max_cookies: 3,
    max_cookies_per_domain: 2,
    ..Limits::RFC2109
};

const CASES: &[Case] = &[
    Case {
        name: "add, replace, delete by Max-Age=0 (RFC 6265 section 5.3 step 11)",
        limits: Limits::RFC2109,
        sets: &[
            ("https://a.example/", "x=1", 0),
            ("https://a.example/", "x=2", 1),
            ("https://a.example/", "x=; Max-Age=0", 2),
        ],
        want: &[
            (ChangeKind::Added, "x", "a.example", true),
            (ChangeKind::Replaced, "x", "a.example", true),
            (ChangeKind::DeletedByServer, "x", "a.example", true),
        ],
    },
    Case {
        name: "delete by an Expires in the past",
        limits: Limits::RFC2109,
        sets: &[
            ("https://a.example/", "x=1; Domain=a.example", 0),
            (
                "https://a.example/",
                "x=; Domain=a.example; Expires=Thu, 01 Jan 1970 00:00:00 GMT",
                1,
            ),
        ],
        want: &[
            (ChangeKind::Added, "x", "a.example", false),
            (ChangeKind::DeletedByServer, "x", "a.example", false),
        ],
    },
    Case {
        name: "refusals, a deletion of nothing and an already expired cookie change nothing",
        limits: Limits::RFC2109,
        sets: &[
            ("https://a.example/", "x=1; Domain=other.example", 0),
            ("https://a.example/", "gone=; Max-Age=0", 0),
            ("http://a.example/", "s=1; Secure", 0),
        ],
        want: &[],
    },
    Case {
        name: "per-domain limit: least recently used goes (section 5.3 step 12)",
        limits: SMALL,
        sets: &[
            ("https://a.example/", "x=1", 0),
            ("https://a.example/", "y=1", 1),
            ("https://a.example/", "z=1", 2),
        ],
        want: &[
            (ChangeKind::Added, "x", "a.example", true),
            (ChangeKind::Added, "y", "a.example", true),
            (ChangeKind::Added, "z", "a.example", true),
            (
                ChangeKind::Evicted(Limit::PerDomain),
                "x",
                "a.example",
                true,
            ),
        ],
    },
    Case {
        name: "an expired cookie goes before a live one, as Expired",
        limits: SMALL,
        sets: &[
            ("https://a.example/", "x=1; Max-Age=5", 0),
            ("https://a.example/", "y=1", 1),
            ("https://a.example/", "z=1", 10),
        ],
        want: &[
            (ChangeKind::Added, "x", "a.example", true),
            (ChangeKind::Added, "y", "a.example", true),
            (ChangeKind::Added, "z", "a.example", true),
            (ChangeKind::Expired, "x", "a.example", true),
        ],
    },
    Case {
        name: "jar-wide limit",
        limits: SMALL,
        sets: &[
            ("https://a.example/", "x=1", 0),
            ("https://b.example/", "y=1", 1),
            ("https://c.example/", "z=1", 2),
            ("https://d.example/", "w=1", 3),
        ],
        want: &[
            (ChangeKind::Added, "x", "a.example", true),
            (ChangeKind::Added, "y", "b.example", true),
            (ChangeKind::Added, "z", "c.example", true),
            (ChangeKind::Added, "w", "d.example", true),
            (ChangeKind::Evicted(Limit::Total), "x", "a.example", true),
        ],
    },
];

#[test]
fn each_store_reports_its_changes_in_order() {
    for case in CASES {
        let (mut jar, log) = logged_jar(case.limits);
        for &(u, header, secs) in case.sets {
            let _ = jar.set_cookie_at(&url(u), header, NOW + Duration::seconds(secs));
        }
        let want: Vec<_> = case
            .want
            .iter()
            .map(|&(k, n, d, h)| ev(k, n, d, h))
            .collect();
        assert_eq!(summary(&log.take()), want, "{}", case.name);
    }
}

#[test]
fn lookups_and_explanations_report_nothing() {
    let (mut jar, log) = logged_jar(Limits::RFC2109);
    let u = url("https://a.example/");
    jar.set_cookie_at(&u, "x=1", NOW).unwrap();
    log.take();
    assert_eq!(jar.cookie_header_at(&u, NOW).as_deref(), Some("x=1"));
    let _ = jar.explain_at(&u, NOW);
    assert!(log.take().is_empty());
}

#[test]
fn caller_removals_purges_and_clears_are_reported() {
    let (mut jar, log) = logged_jar(Limits::RFC2109);
    let u = url("https://www.a.example/");
    jar.set_cookie_at(&u, "keep=1; Domain=a.example", NOW)
        .unwrap();
    jar.set_cookie_at(&u, "short=1; Max-Age=1", NOW).unwrap();
    jar.set_cookie_at(&u, "gone=1", NOW).unwrap();
    jar.set_cookie_at(&url("https://b.example/"), "b=1", NOW)
        .unwrap();
    log.take();
    assert!(jar.remove("www.a.example", "/", "gone").is_some());
    assert_eq!(jar.purge_expired_at(NOW + Duration::seconds(2)), 1);
    assert_eq!(jar.clear_domain("b.example"), 1);
    jar.clear();
    assert_eq!(
        summary(&log.take()),
        [
            ev(ChangeKind::Removed, "gone", "www.a.example", true),
            ev(ChangeKind::Expired, "short", "www.a.example", true),
            ev(ChangeKind::Removed, "b", "b.example", true),
            ev(ChangeKind::Cleared, "keep", "a.example", false),
        ]
    );
    assert!(jar.is_empty());
}

#[test]
fn loading_reports_each_cookie_loaded() {
    let mut source = Jar::new();
    let u = url("https://a.example/");
    source.set_cookie_at(&u, "p=1; Max-Age=999", NOW).unwrap();
    source.set_cookie_at(&u, "q=1; Max-Age=999", NOW).unwrap();
    let (text, _) = source
        .to_text_at(Format::Netscape, Default::default(), NOW)
        .unwrap();
    let (mut jar, log) = logged_jar(Limits::RFC2109);
    jar.load_text_at(&text, Format::Netscape, LoadOptions::default(), NOW)
        .unwrap();
    assert_eq!(
        summary(&log.take()),
        [
            ev(ChangeKind::Loaded, "p", "a.example", true),
            ev(ChangeKind::Loaded, "q", "a.example", true),
        ]
    );
}

#[test]
fn a_new_public_suffix_list_reports_the_supercookies_it_removes() {
    let (mut jar, log) = logged_jar(Limits::RFC2109);
    jar.set_cookie_at(
        &url("https://www.shop.example/"),
        "d=1; Domain=shop.example",
        NOW,
    )
    .unwrap();
    log.take();
    let psl = PublicSuffixList::parse("example\nshop.example\n").unwrap();
    assert_eq!(jar.set_public_suffix_list(Arc::new(psl)), 1);
    assert_eq!(
        summary(&log.take()),
        [ev(
            ChangeKind::PublicSuffixRemoved,
            "d",
            "shop.example",
            false
        )]
    );
}

#[test]
fn records_never_hold_the_value() {
    let (mut jar, log) = logged_jar(Limits::RFC2109);
    jar.set_cookie_at(&url("https://a.example/"), "sid=hunter2-secret", NOW)
        .unwrap();
    let records = log.take();
    let shown = format!("{records:?} {}", records[0]);
    assert!(!shown.contains("hunter2"), "{shown}");
    assert_eq!(records[0].to_string(), "\"sid\" for a.example/: added");
}

#[test]
fn a_full_log_drops_the_oldest_and_counts_them() {
    let log = Arc::new(ChangeLog::new(2));
    let mut jar = Jar::builder().on_change(log.clone()).build();
    let u = url("https://a.example/");
    for i in 0..5 {
        jar.set_cookie_at(&u, &format!("c{i}=1"), NOW).unwrap();
    }
    let names: Vec<_> = log.take().into_iter().map(|r| r.identity.name).collect();
    assert_eq!(names, ["c3", "c4"]);
    assert_eq!(log.dropped(), 3);
}

fn identity(c: &cookiejar::Cookie) -> CookieIdentity {
    CookieIdentity {
        name: c.name().to_owned(),
        domain: c.domain().to_owned(),
        path: c.path().to_owned(),
        host_only: c.host_only(),
        partition_key: c.partition_key().map(str::to_owned),
    }
}

#[test]
fn partitioned_cookies_under_two_sites_are_two_identities() {
    let log = Arc::new(ChangeLog::new(16));
    let mut jar = Jar::builder().on_change(log.clone()).build();
    let widget = url("https://widget.example/");
    for top in ["https://news.example/", "https://shop.example/"] {
        let top = url(top);
        let context = cookiejar::RequestContext::default().top_level(&top);
        jar.set_cookie_with(&widget, "w=1; Secure; Partitioned", context, NOW)
            .unwrap();
    }
    let records = log.take();
    let keys: Vec<_> = records
        .iter()
        .map(|r| (r.kind, r.identity.partition_key.clone()))
        .collect();
    assert_eq!(
        keys,
        [
            (ChangeKind::Added, Some("https://news.example".to_owned())),
            (ChangeKind::Added, Some("https://shop.example".to_owned())),
        ]
    );
    assert_ne!(records[0].identity, records[1].identity);
    assert!(records[0]
        .to_string()
        .contains("partitioned under https://news.example"));
}

proptest! {
    /// Replaying the events onto a set of identities gives the jar's
    /// content, whatever the stores, limits and expiries: no change goes
    /// unreported and none is reported twice.
    #[test]
    fn replayed_events_give_the_jar_content(
        ops in prop::collection::vec((0usize..4, 0usize..6, 0usize..3, 0i64..30, 0u8..8), 1..80)
    ) {
        let limits = Limits { max_cookies: 8, max_cookies_per_domain: 4, ..Limits::RFC2109 };
        let (mut jar, log) = logged_jar(limits);
        let mut held: BTreeSet<CookieIdentity> = BTreeSet::new();
        for (step, &(site, name, path, age, what)) in ops.iter().enumerate() {
            let now = NOW + Duration::seconds(step as i64);
            let u = url(&format!("https://www.site{site}.example/p{path}/x"));
            match what {
                0 => { jar.purge_expired_at(now); }
                1 => { jar.remove(&format!("www.site{site}.example"), &format!("/p{path}"), &format!("n{name}")); }
                2 => { jar.clear_domain(&format!("site{site}.example")); }
                _ => {
                    let domain = if what % 2 == 0 { format!("; Domain=site{site}.example") } else { String::new() };
                    let header = format!("n{name}=v{step}; Max-Age={}{domain}", age - 3);
                    let _ = jar.set_cookie_at(&u, &header, now);
                }
            }
            for record in log.take() {
                if record.kind.is_stored() {
                    held.insert(record.identity);
                } else {
                    prop_assert!(held.remove(&record.identity), "{record} was not held");
                }
            }
            let actual: BTreeSet<CookieIdentity> = jar.iter().map(identity).collect();
            prop_assert_eq!(&held, &actual);
        }
    }
}

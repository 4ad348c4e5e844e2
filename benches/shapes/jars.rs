//! The jars of the crawl benches, filled the same way for every bench:
//! this crate's, `cookie_store`'s (given the same public suffix list) and
//! reqwest's `Jar` (`cookie_store` inside, without a public suffix list).

use super::Response;
use cookiejar::{Jar, Limits};
use time::macros::datetime;
use time::OffsetDateTime;

/// The clock of every crawl (expiry dates in the shapes lie after it).
pub const NOW: OffsetDateTime = datetime!(2026-01-01 0:00 UTC);

/// The jar the crawl fills: limits that hold every site's cookies.
pub fn our_jar(crawl: &[Response]) -> Jar {
    let limits = Limits {
        max_cookies: 200_000,
        max_cookies_per_domain: 50,
        ..Limits::RFC2109
    };
    let mut jar = Jar::builder().limits(limits).build();
    for r in crawl {
        assert_eq!(
            jar.set_cookie_at(&r.url, &r.set_cookie, NOW).is_ok(),
            r.accepted,
            "{}",
            r.set_cookie
        );
    }
    jar
}

fn psl() -> publicsuffix::List {
    include_str!("../../src/psl/public_suffix_list.dat")
        .parse()
        .unwrap()
}

pub fn their_store(crawl: &[Response]) -> cookie_store::CookieStore {
    let mut store = cookie_store::CookieStore::new_with_public_suffix(Some(psl()));
    for r in crawl {
        let c = cookie::Cookie::parse(r.set_cookie.as_str()).unwrap();
        assert_eq!(
            store.insert_raw(&c, &r.url).is_ok(),
            r.accepted,
            "{}",
            r.set_cookie
        );
    }
    store
}

pub fn their_header(store: &cookie_store::CookieStore, url: &url::Url) -> Option<String> {
    let mut header = String::new();
    for (name, value) in store.get_request_values(url) {
        if !header.is_empty() {
            header.push_str("; ");
        }
        header.push_str(name);
        header.push('=');
        header.push_str(value);
    }
    (!header.is_empty()).then_some(header)
}

pub fn reqwest_jar(crawl: &[Response]) -> reqwest::cookie::Jar {
    let jar = reqwest::cookie::Jar::default();
    for r in crawl {
        jar.add_cookie_str(&r.set_cookie, &r.url);
    }
    jar
}

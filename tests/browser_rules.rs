//! Rules browsers enforce beyond RFC 6265bis-14: the `__Http-` and
//! `__Host-Http-` prefixes (draft-ietf-httpbis-rfc6265bis-20 sections
//! 4.1.3.3 and 4.1.3.4) and CHIPS partitioned cookies, through `Set-Cookie`
//! and through files.

use cookiejar::{
    Exclusion, Format, Jar, LoadOptions, Profile, Rejection, RequestContext, SaveOptions, Stored,
};
use time::macros::datetime;
use time::OffsetDateTime;
use url::Url;

const NOW: OffsetDateTime = datetime!(2026-01-01 12:00:00 UTC);

fn url(s: &str) -> Url {
    Url::parse(s).unwrap_or_else(|e| panic!("{s}: {e}"))
}

fn store(jar: &mut Jar, from: &str, header: &str, context: RequestContext) -> Option<Rejection> {
    jar.set_cookie_with(&url(from), header, context, NOW).err()
}

#[test]
fn http_prefixes_table() {
    let https = "https://www.example.com/";
    let http_api = RequestContext::default();
    let script = RequestContext::default().non_http_api();
    // (why, from, header, context, want)
    let cases: &[(&str, &str, &str, RequestContext, Option<Rejection>)] = &[
        (
            "__Http- complete",
            https,
            "__Http-a=1; Secure; HttpOnly",
            http_api,
            None,
        ),
        (
            "__Http- any case",
            https,
            "__hTTp-a=1; Secure; HttpOnly",
            http_api,
            None,
        ),
        (
            "__Http- with Domain and Path",
            https,
            "__Http-a=1; Secure; HttpOnly; Domain=example.com; Path=/x",
            http_api,
            None,
        ),
        (
            "__Http- without HttpOnly",
            https,
            "__Http-a=1; Secure",
            http_api,
            Some(Rejection::HttpPrefix),
        ),
        (
            "__Http- without Secure",
            https,
            "__Http-a=1; HttpOnly",
            http_api,
            Some(Rejection::HttpPrefix),
        ),
        (
            "__Http- from http",
            "http://www.example.com/",
            "__Http-a=1; HttpOnly",
            http_api,
            Some(Rejection::HttpPrefix),
        ),
        (
            "__Http- from a script",
            https,
            "__Http-a=1; Secure",
            script,
            Some(Rejection::HttpPrefix),
        ),
        (
            "__Http- nameless",
            https,
            "__Http-a; Secure; HttpOnly",
            http_api,
            Some(Rejection::HttpPrefix),
        ),
        (
            "__Host-Http- complete",
            https,
            "__Host-Http-a=1; Secure; HttpOnly; Path=/",
            http_api,
            None,
        ),
        (
            "__Host-Http- any case",
            https,
            "__HOST-http-a=1; Secure; HttpOnly; Path=/",
            http_api,
            None,
        ),
        (
            "__Host-Http- without HttpOnly",
            https,
            "__Host-Http-a=1; Secure; Path=/",
            http_api,
            Some(Rejection::HostHttpPrefix),
        ),
        (
            "__Host-Http- without Path",
            https,
            "__Host-Http-a=1; Secure; HttpOnly",
            http_api,
            Some(Rejection::HostHttpPrefix),
        ),
        (
            "__Host-Http- with Domain",
            https,
            "__Host-Http-a=1; Secure; HttpOnly; Path=/; Domain=example.com",
            http_api,
            Some(Rejection::HostHttpPrefix),
        ),
        (
            "__Host-Http- without Secure",
            https,
            "__Host-Http-a=1; HttpOnly; Path=/",
            http_api,
            Some(Rejection::HostHttpPrefix),
        ),
        (
            "__Host-Httpx is a __Host- cookie",
            https,
            "__Host-Httpx=1; Secure; Path=/",
            http_api,
            None,
        ),
    ];
    for (why, from, header, context, want) in cases {
        let mut jar = Jar::new();
        assert_eq!(store(&mut jar, from, header, *context), *want, "{why}");
    }
    // The RFC 6265 profile has no prefixes.
    let mut jar = Jar::builder().profile(Profile::Rfc6265).build();
    assert_eq!(store(&mut jar, https, "__Http-a=1", http_api), None);
}

#[test]
fn http_prefixes_are_checked_on_load() {
    let line = "www.example.com\tFALSE\t/\tTRUE\t0\t__Http-a\t1\n";
    let mut jar = Jar::new();
    let report = jar
        .load_text_at(line, Format::Netscape, LoadOptions::lenient(), NOW)
        .expect("a lenient load");
    assert_eq!(jar.len(), 0, "{report:?}");
    let marked = format!("#HttpOnly_{line}");
    jar.load_text_at(&marked, Format::Netscape, LoadOptions::lenient(), NOW)
        .expect("a lenient load");
    assert_eq!(jar.len(), 1);
}

#[test]
fn partitioned_needs_secure() {
    let mut jar = Jar::new();
    let ctx = RequestContext::default();
    assert_eq!(
        store(&mut jar, "https://a.example/", "p=1; Partitioned", ctx),
        Some(Rejection::PartitionedInsecure)
    );
    assert_eq!(
        Rejection::PartitionedInsecure.code(),
        "partitioned_insecure"
    );
    assert_eq!(
        store(
            &mut jar,
            "https://a.example/",
            "p=1; Partitioned; Secure",
            ctx
        ),
        None
    );
    // RFC 6265 keeps the attribute as sent and acts on nothing.
    let mut rfc = Jar::builder().profile(Profile::Rfc6265).build();
    assert_eq!(
        store(&mut rfc, "http://a.example/", "p=1; Partitioned", ctx),
        None
    );
    assert_eq!(rfc.iter().next().and_then(|c| c.partition_key()), None);
}

#[test]
fn partitioned_cookies_stay_in_their_top_level_site() {
    let mut jar = Jar::new();
    let widget = url("https://widget.example/frame");
    let news = RequestContext::default().top_level(&url("https://www.news.example/article"));
    let news_other_page = RequestContext::default().top_level(&url("https://news.example/"));
    let shop = RequestContext::default().top_level(&url("https://shop.example/"));
    let stored = jar.set_cookie_with(&widget, "w=news; Secure; Partitioned; Path=/", news, NOW);
    assert_eq!(stored, Ok(Stored::Inserted { evicted: 0 }));
    assert_eq!(
        jar.iter().next().and_then(|c| c.partition_key()),
        Some("https://news.example")
    );
    // The same top-level site, another page of it: sent.
    let header = |ctx| jar.cookie_header_with(&widget, ctx, NOW);
    assert_eq!(header(news_other_page).as_deref(), Some("w=news"));
    // Another top-level site, or the widget's own site: not sent.
    assert_eq!(header(shop), None);
    assert_eq!(header(RequestContext::default()), None);
    let why = jar.explain_with(&widget, shop, NOW);
    assert_eq!(why[0].exclusion, Some(Exclusion::OtherPartition));
    assert_eq!(Exclusion::OtherPartition.code(), "other_partition");

    // The partition key is part of the identity: the widget under the shop
    // holds a cookie of its own with the same name, domain and path.
    let stored = jar.set_cookie_with(&widget, "w=shop; Secure; Partitioned; Path=/", shop, NOW);
    assert_eq!(stored, Ok(Stored::Inserted { evicted: 0 }));
    assert_eq!(jar.len(), 2);
    assert_eq!(
        jar.cookie_header_with(&widget, shop, NOW).as_deref(),
        Some("w=shop")
    );
    assert_eq!(
        jar.cookie_header_with(&widget, news, NOW).as_deref(),
        Some("w=news")
    );
    // An unpartitioned cookie of the same name is a third cookie, sent in
    // every partition.
    let stored = jar.set_cookie_with(&widget, "w=plain; Secure; Path=/", shop, NOW);
    assert_eq!(stored, Ok(Stored::Inserted { evicted: 0 }));
    assert_eq!(
        jar.cookie_header_with(&widget, news, NOW).as_deref(),
        Some("w=news; w=plain")
    );
    // Deleting in one partition leaves the others.
    let deleted = jar.set_cookie_with(
        &widget,
        "w=; Secure; Partitioned; Path=/; Max-Age=0",
        news,
        NOW,
    );
    assert_eq!(deleted, Ok(Stored::Deleted));
    assert_eq!(
        jar.cookie_header_with(&widget, news, NOW).as_deref(),
        Some("w=plain")
    );
    assert_eq!(
        jar.cookie_header_with(&widget, shop, NOW).as_deref(),
        Some("w=shop; w=plain")
    );
}

#[test]
fn a_top_level_request_partitions_under_its_own_site() {
    let mut jar = Jar::new();
    let page = url("https://www.site.example/");
    jar.set_cookie_at(&page, "p=1; Secure; Partitioned", NOW)
        .expect("stored");
    assert_eq!(
        jar.iter().next().and_then(|c| c.partition_key()),
        Some("https://site.example")
    );
    // Any host of the same site, at the top level: the same partition.
    jar.set_cookie_at(&page, "d=1; Secure; Partitioned; Domain=site.example", NOW)
        .expect("stored");
    let api = url("https://api.site.example/");
    assert_eq!(jar.cookie_header_at(&api, NOW).as_deref(), Some("d=1"));
    assert_eq!(
        jar.cookie_header_at(&page, NOW).as_deref(),
        Some("p=1; d=1")
    );
}

#[test]
fn partition_keys_survive_a_json_round_trip() {
    let mut jar = Jar::new();
    let widget = url("https://widget.example/");
    let news = RequestContext::default().top_level(&url("https://news.example/"));
    let shop = RequestContext::default().top_level(&url("https://shop.example/"));
    for (value, ctx) in [("n", news), ("s", shop)] {
        let header = format!("w={value}; Secure; Partitioned; Max-Age=3600");
        jar.set_cookie_with(&widget, &header, ctx, NOW)
            .expect("stored");
    }
    let (text, _) = jar
        .to_text_at(Format::Json, SaveOptions::default(), NOW)
        .expect("JSON");
    assert!(
        text.contains(r#""partition_key": "https://news.example""#),
        "{text}"
    );
    let mut back = Jar::new();
    back.load_text_at(&text, Format::Json, LoadOptions::default(), NOW)
        .expect("a load");
    assert_eq!(back.len(), 2);
    assert_eq!(
        back.cookie_header_with(&widget, news, NOW).as_deref(),
        Some("w=n")
    );
    assert_eq!(
        back.cookie_header_with(&widget, shop, NOW).as_deref(),
        Some("w=s")
    );
}

#[test]
fn loaded_partitioned_cookies_are_checked() {
    let entry = |extra: &str| {
        format!(
            r#"{{"version": 1, "cookies": [{{"name": "w", "value": "1", "domain": "widget.example",
            "path": "/", "host_only": true, "secure": {secure}, "http_only": false,
            "partitioned": true, {extra} "expires": "2026-02-01T00:00:00Z",
            "created": "2026-01-01T00:00:00Z", "last_access": "2026-01-01T00:00:00Z"}}]}}"#,
            secure = !extra.contains("insecure"),
            extra = extra.replace("insecure", ""),
        )
    };
    let load = |text: &str| {
        let mut jar = Jar::new();
        jar.load_text_at(text, Format::Json, LoadOptions::lenient(), NOW)
            .expect("a lenient load");
        jar
    };
    // No key (a file from before partitions were kept): its own site.
    let jar = load(&entry(""));
    assert_eq!(
        jar.iter().next().and_then(|c| c.partition_key()),
        Some("https://widget.example")
    );
    // A key that is no site, or a partitioned cookie without Secure: refused.
    assert_eq!(load(&entry(r#""partition_key": "news.example","#)).len(), 0);
    assert_eq!(
        load(&entry(r#""partition_key": "https://NEWS..x","#)).len(),
        0
    );
    assert_eq!(load(&entry("insecure")).len(), 0);
    // A good key is kept.
    let jar = load(&entry(r#""partition_key": "https://news.example","#));
    assert_eq!(
        jar.iter().next().and_then(|c| c.partition_key()),
        Some("https://news.example")
    );
}

fn chromium_jar() -> Jar {
    Jar::builder()
        .profile(Profile::Chromium)
        .limits(cookiejar::Limits::BROWSER)
        .build()
}

#[test]
fn chromium_purges_a_full_site_to_150_by_priority_and_secure() {
    let mut jar = chromium_jar();
    let site = url("https://www.example.com/");
    // The oldest: 10 Secure, 10 Priority=High; then 161 plain.
    let mut lines: Vec<String> = (0..10).map(|i| format!("s{i:03}=v; Secure")).collect();
    lines.extend((0..10).map(|i| format!("h{i:03}=v; Priority=High")));
    lines.extend((0..161).map(|i| format!("c{i:03}=v")));
    let results = jar.set_cookies_at(&site, lines.iter().map(String::as_str), NOW);
    assert!(results.iter().all(Result::is_ok));
    assert_eq!(jar.len(), 150);
    let names: Vec<&str> = jar.iter().map(|c| c.name()).collect();
    assert!(
        names.contains(&"s000") && names.contains(&"h000"),
        "Secure and High kept"
    );
    assert!(
        !names.contains(&"c030") && names.contains(&"c031"),
        "the 31 oldest plain ones went"
    );
    // The default profile evicts one, the least recently used non-Secure.
    let mut rfc = Jar::builder().limits(cookiejar::Limits::BROWSER).build();
    let _ = rfc.set_cookies_at(&site, lines.iter().map(String::as_str), NOW);
    assert_eq!(rfc.len(), 180);
    assert!(rfc.iter().all(|c| c.name() != "h000"));
}

#[test]
fn chromium_priority_survives_json() {
    let mut jar = chromium_jar();
    let site = url("https://www.example.com/");
    jar.set_cookie_at(&site, "h=1; Priority=High; Max-Age=60", NOW)
        .expect("stored");
    let (text, _) = jar
        .to_text_at(Format::Json, SaveOptions::default(), NOW)
        .expect("JSON");
    assert!(text.contains(r#""priority": "High""#), "{text}");
    let mut back = chromium_jar();
    back.load_text_at(&text, Format::Json, LoadOptions::default(), NOW)
        .expect("a load");
    let (again, _) = back
        .to_text_at(Format::Json, SaveOptions::default(), NOW)
        .expect("JSON");
    assert_eq!(text, again);
}

#[test]
fn chromium_reading_of_attributes() {
    let site = url("https://www.example.com/");
    // (header, stored?, persistent?)
    let cases = [
        ("a=1; Max-Age=+60", true, true),
        ("a=1; Max-Age=+0", false, false),
        ("a=1; Max-Age=60; Max-Age=x", true, false),
        ("a=1; Expires=Sat, 01 Jan 10000 00:00:00 GMT", true, true),
        ("a=1; Expires=Sat, 01 Jan 1600 00:00:00 GMT", false, false),
        ("a=1; Domain=.", false, false),
        ("a=x\ty", false, false),
        ("a=\tx\t", true, false),
    ];
    for (header, stored, persistent) in cases {
        let mut jar = chromium_jar();
        let _ = jar.set_cookie_at(&site, header, NOW);
        assert_eq!(jar.len(), usize::from(stored), "{header}");
        if stored {
            assert_eq!(
                jar.iter().next().map(|c| c.persistent()),
                Some(persistent),
                "{header}"
            );
        }
    }
}

#[test]
fn chromium_refuses_a_tab_from_a_file_too() {
    let text = r#"{"version": 1, "cookies": [{"name": "t", "value": "a\tb", "domain": "example.com",
        "path": "/", "host_only": true, "secure": false, "http_only": false,
        "expires": "2026-02-01T00:00:00Z",
        "created": "2026-01-01T00:00:00Z", "last_access": "2026-01-01T00:00:00Z"}]}"#;
    let mut jar = chromium_jar();
    let report = jar
        .load_text_at(text, Format::Json, LoadOptions::lenient(), NOW)
        .expect("a lenient load");
    assert_eq!(jar.len(), 0, "{report:?}");
    let mut rfc = Jar::new();
    rfc.load_text_at(text, Format::Json, LoadOptions::lenient(), NOW)
        .expect("a lenient load");
    assert_eq!(rfc.len(), 1, "RFC 6265bis allows HTAB");
}

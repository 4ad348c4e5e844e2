//! The committed files the tools wrote (`testdata/tools/`), with no tool
//! installed: each loads strictly into the cookies the tool meant, and
//! this crate then sends what the tool sent after loading the same file.

use crate::compare::{
    assert_sends_as, describe_all, fixture_dir, load_strict, read_sent, Direction,
};
use cookiejar::{Format, Jar, LoadOptions};
use time::macros::datetime;
use time::OffsetDateTime;

/// After the files were made (December 2026), before their cookies expire
/// (the chain's `Expires` is 2036-10-01, Unix 2106432000; the hand-made
/// extension export's are 2027-12-29, Unix 1830000000).
const NOW: OffsetDateTime = datetime!(2026-12-01 00:00 UTC);

fn fixture(tool: &str, file: &str) -> String {
    let path = fixture_dir(tool).join(file);
    std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()))
}

/// Each tool's file, what it holds (`name domain path flags`: `H`
/// host-only or `D` domain, `P` persistent or `S` session, `s` Secure, `h`
/// HttpOnly), and what makes it so.
const TOOLS: &[(&str, &[&str])] = &[
    // curl refuses the Secure cookie set over http (`sec`), keeps HttpOnly
    // with its #HttpOnly_ prefix and writes 0 for a session cookie.
    (
        "curl",
        &[
            "acct www.shop.example /account HP",
            "cart shop.example / DS",
            // `.localhost TRUE` (Domain=localhost), loaded host-only.
            "ldom localhost / HP",
            "lsec localhost / HPsh",
            "pref www.shop.example / HP",
            "sid www.shop.example / HSh",
            "site shop.example / DP",
            "ssec www.shop.example / HPs",
            "tok www.shop.example / HPh",
        ],
    ),
    // wget writes www.shop.example:8443 for a host-only cookie set on a
    // non-default port (the port is not part of a cookie's identity, RFC
    // 6265 section 8.5), has no HttpOnly marker, keeps `sec`.
    (
        "wget",
        &[
            "acct www.shop.example /account HP",
            "cart shop.example / DS",
            // `.localhost TRUE` (Domain=localhost), loaded host-only.
            "ldom localhost / HP",
            "lsec localhost / HPs",
            "pref www.shop.example / HP",
            "sec www.shop.example / HPs",
            "sid www.shop.example / HS",
            "site shop.example / DP",
            "ssec www.shop.example / HPs",
            "tok www.shop.example / HP",
        ],
    ),
    // Python writes an empty expiry for a session cookie, files a cookie
    // from the dotless host `localhost` under `localhost.local` (its
    // "effective request-host", RFC 2965 section 1), has no HttpOnly marker.
    (
        "python",
        &[
            "acct www.shop.example /account HP",
            "cart shop.example / DS",
            // `.localhost TRUE` (Domain=localhost), loaded host-only.
            "ldom localhost / HP",
            "lsec localhost.local / HPs",
            "pref www.shop.example / HP",
            "sec www.shop.example / HPs",
            "sid www.shop.example / HS",
            "site shop.example / DP",
            "ssec www.shop.example / HPs",
            "tok www.shop.example / HP",
        ],
    ),
    // yt-dlp is Python's jar, saved with 0 for a session cookie.
    (
        "yt-dlp",
        &[
            "acct www.shop.example /account HP",
            "cart shop.example / DS",
            // `.localhost TRUE` (Domain=localhost), loaded host-only.
            "ldom localhost / HP",
            "lsec localhost.local / HPs",
            "pref www.shop.example / HP",
            "sec www.shop.example / HPs",
            "sid www.shop.example / HS",
            "site shop.example / DP",
            "ssec www.shop.example / HPs",
            "tok www.shop.example / HP",
        ],
    ),
];

#[test]
fn each_tools_file_loads_strictly_into_the_cookies_it_holds() {
    let mut failures = Vec::new();
    for (tool, expected) in TOOLS {
        let text = fixture(tool, "login.txt");
        let mut jar = Jar::new();
        match jar.load_text_at(&text, Format::Netscape, LoadOptions::default(), NOW) {
            Ok(_) if describe_all(&jar) == *expected => {}
            Ok(_) => failures.push(format!(
                "{tool}: loaded {:?}, expected {expected:?}",
                describe_all(&jar)
            )),
            Err(e) => failures.push(format!("{tool}: strict load failed: {e}")),
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

#[test]
fn each_tools_file_loaded_by_us_sends_what_the_tool_sent() {
    for (tool, _) in TOOLS {
        let jar = load_strict(tool, &fixture(tool, "login.txt"), NOW);
        let sent = read_sent(&fixture(tool, "sent.txt"));
        assert_eq!(sent.len(), crate::server::PROBES.len(), "{tool}");
        assert_sends_as(tool, Direction::ToolToUs, &jar, &sent, NOW);
    }
}

#[test]
fn the_extension_export_loads_as_curl_reads_it() {
    // Hand-made: no tool installed here writes fractional expiries or a
    // trailing TAB; the file has what browser-extension exports write
    // (`testdata/tools/README.md`): a byte-order mark, CRLF, 8 fields,
    // fractional and negative expiries, #HttpOnly_.
    let text = fixture("handmade", "extension.txt");
    let mut jar = Jar::new();
    let report = jar
        .load_text_at(&text, Format::Netscape, LoadOptions::default(), NOW)
        .unwrap_or_else(|e| panic!("strict load failed: {e}"));
    assert_eq!(
        describe_all(&jar),
        [
            "acct www.shop.example /account HP",
            "cart shop.example / DS",
            "sid www.shop.example / HPh",
            "site shop.example / DP",
        ]
    );
    // Fractional seconds are rounded down. (The expiries are within 400
    // days of NOW, the cap RFC 6265bis section 5.5 puts on every expiry.)
    let site = jar.iter().find(|c| c.name() == "site").unwrap();
    assert_eq!(
        site.expiry_time().map(|t| t.unix_timestamp()),
        Some(1_830_000_000)
    );
    let acct = jar.iter().find(|c| c.name() == "acct").unwrap();
    assert_eq!(acct.value(), "42", "the trailing TAB is not in the value");
    // Expiry -1: curl skips the line; this crate drops it as expired and
    // counts it so.
    assert_eq!((report.loaded, report.expired), (4, 1));
    assert!(report.skipped.is_empty(), "{:?}", report.skipped);
}

#[test]
fn comments_and_a_byte_order_mark_load_as_curl_reads_them() {
    // Hand-made: a byte-order mark before the first cookie line, comments
    // indented with spaces and with a TAB (curl skips leading blanks), a
    // commented-out cookie, #HttpOnly_ on a domain cookie, a CR before the
    // line end, no line end after the last line.
    let text = fixture("handmade", "comments.txt");
    let jar = load_strict("comments.txt", &text, NOW);
    assert_eq!(
        describe_all(&jar),
        [
            "bom shop.example / DS",
            "cr www.shop.example / HS",
            "httponly shop.example / DSh",
            "last www.shop.example / HS",
        ]
    );
    let cr = jar.iter().find(|c| c.name() == "cr").unwrap();
    assert_eq!(cr.value(), "yes", "the CR is not in the value");
}

#[test]
fn the_handmade_files_send_what_curl_and_wget_sent() {
    for name in ["extension", "comments"] {
        let jar = load_strict(name, &fixture("handmade", &format!("{name}.txt")), NOW);
        for tool in ["curl", "wget"] {
            let sent = read_sent(&fixture("handmade", &format!("{name}.sent-by-{tool}.txt")));
            assert_sends_as(tool, Direction::Handmade(name), &jar, &sent, NOW);
        }
    }
}

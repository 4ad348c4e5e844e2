//! Comparing what a tool sent with what this crate sends, and describing
//! the cookies a file holds.

use cookiejar::{Cookie, Format, Jar, LoadOptions};
use std::collections::BTreeSet;
use std::path::PathBuf;
use time::OffsetDateTime;
use url::Url;

/// A direction of the exchange.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Direction {
    /// The tool wrote the file; this crate loads it.
    ToolToUs,
    /// This crate wrote the file; the tool loads it.
    UsToTool,
    /// A hand-made file (`testdata/tools/handmade/<name>.txt`), read by
    /// both.
    Handmade(&'static str),
}

/// A difference that is the tool's own policy, not a loss in the file.
pub(crate) struct Known {
    pub(crate) tool: &'static str,
    pub(crate) direction: Direction,
    /// `+pair`: only this crate sends it; `-pair`: only the tool does.
    pub(crate) difference: &'static str,
    pub(crate) urls: &'static [&'static str],
    #[allow(dead_code)] // documentation; the README's matrix says it too
    pub(crate) why: &'static str,
}

const HTTPS: &str = "https://www.shop.example:8443/";
const WWW: &str = "http://www.shop.example:8443/";
const ACCOUNT: &str = "http://www.shop.example:8443/account/settings";
const API: &str = "http://api.shop.example:8443/";
const LOCALHOST: &str = "http://localhost:8443/";
const OTHER_PORT: &str = "http://www.shop.example:9000/";

const LOOPBACK_SECURE: &str = "this crate, like curl and RFC 6265bis (a loopback host is a \
    potentially trustworthy origin), sends a Secure cookie to http://localhost; wget and \
    Python send Secure cookies over https only";

const PYTHON_DOTLESS: &str = "Python's http.cookiejar matches the dotless host localhost as \
    localhost.local (RFC 2965's effective request-host), which the domain .localhost of \
    Domain=localhost does not domain-match; this crate, curl and wget send it to localhost";

/// Every listed difference (the README's interop matrix says the same).
pub(crate) const KNOWN: &[Known] = &[
    Known {
        tool: "wget",
        direction: Direction::ToolToUs,
        difference: "+lsec=1",
        urls: &[LOCALHOST],
        why: LOOPBACK_SECURE,
    },
    Known {
        tool: "wget",
        direction: Direction::ToolToUs,
        difference: "+pref=dark",
        urls: &[OTHER_PORT],
        why: "wget binds a host-only cookie to the port that set it (it writes \
            host:port); RFC 6265 section 8.5: cookies do not isolate by port",
    },
    Known {
        tool: "wget",
        direction: Direction::ToolToUs,
        difference: "+sid=s3ss10n",
        urls: &[OTHER_PORT],
        why: "as pref: wget's host-only cookies are bound to their port",
    },
    Known {
        tool: "wget",
        direction: Direction::ToolToUs,
        difference: "+tok=p3rs1st",
        urls: &[OTHER_PORT],
        why: "as pref: wget's host-only cookies are bound to their port",
    },
    Known {
        tool: "wget",
        direction: Direction::UsToTool,
        difference: "+lsec=1",
        urls: &[LOCALHOST],
        why: LOOPBACK_SECURE,
    },
    Known {
        tool: "python",
        direction: Direction::UsToTool,
        difference: "+lsec=1",
        urls: &[LOCALHOST],
        why: LOOPBACK_SECURE,
    },
    Known {
        tool: "yt-dlp",
        direction: Direction::UsToTool,
        difference: "+lsec=1",
        urls: &[LOCALHOST],
        why: LOOPBACK_SECURE,
    },
    Known {
        tool: "python",
        direction: Direction::ToolToUs,
        difference: "+ldom=1",
        urls: &[LOCALHOST],
        why: PYTHON_DOTLESS,
    },
    Known {
        tool: "python",
        direction: Direction::UsToTool,
        difference: "+ldom=1",
        urls: &[LOCALHOST],
        why: PYTHON_DOTLESS,
    },
    Known {
        tool: "yt-dlp",
        direction: Direction::ToolToUs,
        difference: "+ldom=1",
        urls: &[LOCALHOST],
        why: PYTHON_DOTLESS,
    },
    Known {
        tool: "yt-dlp",
        direction: Direction::UsToTool,
        difference: "+ldom=1",
        urls: &[LOCALHOST],
        why: PYTHON_DOTLESS,
    },
    Known {
        tool: "wget",
        direction: Direction::Handmade("extension"),
        difference: "+sid=s3ss10n",
        urls: &[HTTPS, WWW, ACCOUNT, OTHER_PORT],
        why: "wget reads a #HttpOnly_ line as a comment",
    },
    Known {
        tool: "wget",
        direction: Direction::Handmade("extension"),
        difference: "+cart=3",
        urls: &[HTTPS, WWW, ACCOUNT, API, OTHER_PORT],
        why: "wget keeps a trailing TAB in the value (cart=3<TAB>); curl and this crate drop it",
    },
    Known {
        tool: "wget",
        direction: Direction::Handmade("extension"),
        difference: "-cart=3\t",
        urls: &[HTTPS, WWW, ACCOUNT, API, OTHER_PORT],
        why: "as +cart=3",
    },
    Known {
        tool: "wget",
        direction: Direction::Handmade("extension"),
        difference: "+acct=42",
        urls: &[ACCOUNT],
        why: "as +cart=3",
    },
    Known {
        tool: "wget",
        direction: Direction::Handmade("extension"),
        difference: "-acct=42\t",
        urls: &[ACCOUNT],
        why: "as +cart=3",
    },
    Known {
        tool: "curl",
        direction: Direction::Handmade("comments"),
        difference: "+bom=first",
        urls: &[HTTPS, WWW, ACCOUNT, API, OTHER_PORT],
        why: BOM,
    },
    Known {
        tool: "wget",
        direction: Direction::Handmade("comments"),
        difference: "+bom=first",
        urls: &[HTTPS, WWW, ACCOUNT, API, OTHER_PORT],
        why: BOM,
    },
    Known {
        tool: "wget",
        direction: Direction::Handmade("comments"),
        difference: "+httponly=yes",
        urls: &[HTTPS, WWW, ACCOUNT, API, OTHER_PORT],
        why: "wget reads a #HttpOnly_ line as a comment",
    },
];

const BOM: &str = "curl and wget read a byte-order mark before the first cookie line as \
    part of its domain, so that cookie never matches; this crate drops the mark (it is not \
    text) and keeps the cookie";

pub(crate) fn fixture_dir(name: &str) -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("testdata/tools")
        .join(name)
}

/// The `name=value` pairs of a `Cookie` header, as a set.
pub(crate) fn pairs(header: &str) -> BTreeSet<String> {
    header
        .split(';')
        // Spaces only: a TAB a tool put in a value is part of what it sent.
        .map(|p| p.trim_matches(' '))
        .filter(|p| !p.is_empty())
        .map(String::from)
        .collect()
}

/// Loads Netscape text strictly, panicking with the error.
pub(crate) fn load_strict(what: &str, text: &str, now: OffsetDateTime) -> Jar {
    let mut jar = Jar::new();
    if let Err(e) = jar.load_text_at(text, Format::Netscape, LoadOptions::default(), now) {
        panic!("{what}: strict load failed: {e}");
    }
    jar
}

/// One cookie as `name domain path flags`: `H` host-only or `D` domain,
/// `P` persistent or `S` session, then `s` Secure and `h` HttpOnly.
pub(crate) fn describe(c: &Cookie) -> String {
    format!(
        "{} {} {} {}{}{}{}",
        c.name(),
        c.domain(),
        c.path(),
        if c.host_only() { "H" } else { "D" },
        if c.persistent() { "P" } else { "S" },
        if c.secure_only() { "s" } else { "" },
        if c.http_only() { "h" } else { "" },
    )
}

/// The jar's cookies, described and sorted.
pub(crate) fn describe_all(jar: &Jar) -> Vec<String> {
    let mut all: Vec<String> = jar.iter().map(describe).collect();
    all.sort();
    all
}

/// Compares, for each `(url, header the tool sent)`, the pairs this jar
/// sends at `now`; asserts that the differences are exactly the `KNOWN`
/// ones for this tool and direction.
pub(crate) fn assert_sends_as(
    tool: &str,
    direction: Direction,
    jar: &Jar,
    sent: &[(String, String)],
    now: OffsetDateTime,
) {
    let mut differences = Vec::new();
    let mut report = String::new();
    for (url, tool_header) in sent {
        let ours = jar
            .cookie_header_at(&Url::parse(url).unwrap(), now)
            .unwrap_or_default();
        let (ours_set, tools_set) = (pairs(&ours), pairs(tool_header));
        for p in ours_set.difference(&tools_set) {
            differences.push((url.clone(), format!("+{p}")));
        }
        for p in tools_set.difference(&ours_set) {
            differences.push((url.clone(), format!("-{p}")));
        }
        report.push_str(&format!(
            "  {url}\n    {tool}: {tool_header:?}\n    ours: {ours:?}\n"
        ));
    }
    let mut expected: Vec<(String, String)> = KNOWN
        .iter()
        .filter(|k| k.tool == tool && k.direction == direction)
        .flat_map(|k| {
            k.urls
                .iter()
                .map(|u| (u.to_string(), k.difference.to_string()))
        })
        .collect();
    expected.sort();
    differences.sort();
    assert_eq!(
        differences, expected,
        "{tool} {direction:?}: the differences (+ only we send, - only {tool} sends) are not the known ones\n{report}"
    );
}

/// Reads a `sent` fixture: one `URL<TAB>Cookie header` a line.
pub(crate) fn read_sent(text: &str) -> Vec<(String, String)> {
    text.lines()
        .filter(|l| !l.is_empty())
        .map(|l| {
            let (url, header) = l.split_once('\t').unwrap_or((l, ""));
            (url.to_string(), header.to_string())
        })
        .collect()
}

/// Writes a `sent` fixture.
pub(crate) fn write_sent(sent: &[(String, String)]) -> String {
    sent.iter().map(|(u, h)| format!("{u}\t{h}\n")).collect()
}

//! The tools themselves against the login chain on 127.0.0.1, both ways.
//!
//! With `COOKIEJAR_WRITE_FIXTURES=1` (`testdata/tools/generate.sh`) the
//! tool-to-us tests also write what the tools produced to
//! `testdata/tools/<tool>/`, before asserting anything.

use crate::compare::{assert_sends_as, fixture_dir, load_strict, write_sent, Direction};
use crate::server::{Server, CHAIN, LOGIN, PROBES};
use crate::tools::{require_tool, run, try_run, Tool};
use cookiejar::{Format, Jar, NetscapeDialect, SaveOptions};
use std::path::Path;
use time::OffsetDateTime;
use url::Url;

fn writing_fixtures() -> bool {
    std::env::var("COOKIEJAR_WRITE_FIXTURES").is_ok_and(|v| v == "1")
}

/// Runs the tool's probe commands with `jar` and returns what it sent to
/// each probe URL.
fn probe(tool: Tool, server: &Server, jar: &Path) -> Vec<(String, String)> {
    server.clear();
    for command in tool.probe_commands(&server.proxy, jar, PROBES) {
        run(&command);
    }
    PROBES
        .iter()
        .map(|url| {
            let sent = server
                .sent_to(url)
                .unwrap_or_else(|| panic!("{} did not request {url}", tool.name()));
            (url.to_string(), sent)
        })
        .collect()
}

/// A command line for the record, without this run's port and paths.
fn shown(command: &[String], server: &Server, jar: &Path) -> String {
    let driver = Path::new(env!("CARGO_MANIFEST_DIR")).join("testdata/tools/");
    command
        .iter()
        .map(|a| {
            let a = a
                .replace(&server.proxy, "http://127.0.0.1:PORT")
                .replace(&jar.display().to_string(), "cookies.txt")
                .replace(&driver.display().to_string(), "");
            if a.is_empty() || a.contains(' ') {
                format!("'{a}'")
            } else {
                a
            }
        })
        .collect::<Vec<_>>()
        .join(" ")
}

/// The tool logs in and saves its jar; this crate loads that file strictly
/// and sends what the tool sends after loading it.
fn tool_to_us(tool: Tool) {
    let Some(version) = require_tool(tool) else {
        return;
    };
    let server = Server::start();
    let dir = tempfile::tempdir().unwrap();
    let jar_path = dir.path().join("cookies.txt");
    let login = tool.login_command(&server.proxy, &jar_path, LOGIN);
    run(&login);
    let sent = probe(tool, &server, &jar_path);
    let text = std::fs::read_to_string(&jar_path).unwrap();
    if writing_fixtures() {
        let out = fixture_dir(tool.name());
        std::fs::create_dir_all(&out).unwrap();
        std::fs::copy(&jar_path, out.join("login.txt")).unwrap();
        std::fs::write(out.join("sent.txt"), write_sent(&sent)).unwrap();
        let probe_command = &tool.probe_commands(&server.proxy, &jar_path, &["URL"])[0];
        std::fs::write(
            out.join("made-by.txt"),
            format!(
                "{}/login.txt: {version}: {}\n{}/sent.txt: the Cookie header {version} sent to each probe URL after `{}`\n",
                tool.name(),
                shown(&login, &server, &jar_path),
                tool.name(),
                shown(probe_command, &server, &jar_path),
            ),
        )
        .unwrap();
    }
    let now = OffsetDateTime::now_utc();
    let jar = load_strict(tool.name(), &text, now);
    assert_sends_as(tool.name(), Direction::ToolToUs, &jar, &sent, now);
}

/// This crate follows the chain and saves `cookies.txt`; the tool loads it
/// and sends what this crate sends.
fn us_to_tool(tool: Tool) {
    if require_tool(tool).is_none() {
        return;
    }
    let mut jar = Jar::new();
    for hop in CHAIN {
        let url = Url::parse(hop.url).unwrap();
        for set_cookie in hop.set_cookies {
            // The chain's refused cookie (Secure over http) is refused here
            // too; that is part of what is compared.
            let _ = jar.set_cookie(&url, set_cookie);
        }
    }
    let dir = tempfile::tempdir().unwrap();
    let jar_path = dir.path().join("cookies.txt");
    // wget reads #HttpOnly_ lines as comments: its dialect writes them
    // plain. Python reads a session cookie's expiry 0 as 1970: its
    // dialect writes it empty.
    let options = SaveOptions {
        include_session_cookies: true,
        netscape_dialect: match tool {
            Tool::Wget => NetscapeDialect::Wget,
            Tool::Python => NetscapeDialect::Python,
            _ => NetscapeDialect::Curl,
        },
        ..SaveOptions::default()
    };
    jar.save(&jar_path, Format::Netscape, options).unwrap();
    let server = Server::start();
    let sent = probe(tool, &server, &jar_path);
    assert_sends_as(
        tool.name(),
        Direction::UsToTool,
        &jar,
        &sent,
        OffsetDateTime::now_utc(),
    );
}

/// A hand-made file (`testdata/tools/handmade/<name>.txt`): the tool loads
/// it; this crate sends what the tool sends. curl is the reference (the
/// issue: "as curl treats them"). Python's and yt-dlp's loaders refuse
/// both files whole.
fn handmade(tool: Tool, name: &'static str) {
    if require_tool(tool).is_none() {
        return;
    }
    let path = fixture_dir("handmade").join(format!("{name}.txt"));
    let server = Server::start();
    if matches!(tool, Tool::Python | Tool::YtDlp) {
        // The first line must match "#( Netscape)? HTTP Cookie File" from
        // its first byte: a byte-order mark or a cookie there fails it.
        let (ok, output) = try_run(&tool.probe_commands(&server.proxy, &path, PROBES)[0]);
        assert!(!ok, "{} now reads {name}.txt: {output}", tool.name());
        assert!(
            output.contains("does not look like a Netscape format cookies file"),
            "{output}"
        );
        return;
    }
    let sent = probe(tool, &server, &path);
    if writing_fixtures() {
        std::fs::write(
            fixture_dir("handmade").join(format!("{name}.sent-by-{}.txt", tool.name())),
            write_sent(&sent),
        )
        .unwrap();
    }
    let text = std::fs::read_to_string(&path).unwrap();
    let now = OffsetDateTime::now_utc();
    let jar = load_strict(name, &text, now);
    assert_sends_as(tool.name(), Direction::Handmade(name), &jar, &sent, now);
}

macro_rules! live_tests {
    ($($tool:ident: $to_us:ident, $to_tool:ident, $ext:ident, $comments:ident;)*) => {$(
        #[test]
        fn $to_us() {
            tool_to_us(Tool::$tool);
        }
        #[test]
        fn $to_tool() {
            us_to_tool(Tool::$tool);
        }
        #[test]
        fn $ext() {
            handmade(Tool::$tool, "extension");
        }
        #[test]
        fn $comments() {
            handmade(Tool::$tool, "comments");
        }
    )*};
}

live_tests! {
    Curl: curl_file_loaded_by_us_sends_what_curl_sends, our_file_makes_curl_send_what_we_send,
        curl_and_we_read_the_extension_export_alike, curl_and_we_read_comments_alike;
    Wget: wget_file_loaded_by_us_sends_what_wget_sends, our_file_makes_wget_send_what_we_send,
        wget_and_we_read_the_extension_export_alike, wget_and_we_read_comments_alike;
    Python: python_file_loaded_by_us_sends_what_python_sends, our_file_makes_python_send_what_we_send,
        python_refuses_the_extension_export, python_refuses_the_comments_file;
    YtDlp: ytdlp_file_loaded_by_us_sends_what_ytdlp_sends, our_file_makes_ytdlp_send_what_we_send,
        ytdlp_refuses_the_extension_export, ytdlp_refuses_the_comments_file;
}

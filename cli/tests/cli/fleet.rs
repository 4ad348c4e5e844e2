//! `--redis URL --jar-name NAME`: two runs of the command share one fleet
//! jar through a real `redis-server`, and each sees what the other stored.

// The library's test server; this suite never restarts it.
#[allow(dead_code)]
#[path = "../../../tests/fleet/server.rs"]
mod server;

use super::helpers::{json, run};

#[test]
fn store_header_explain_and_list_on_a_fleet_jar() {
    let Some(server) = server::RedisServer::start() else {
        return;
    };
    let url = server.url();
    let fleet = ["--redis", url.as_str(), "--jar-name", "cli-test"];
    let with = |args: &[&str]| {
        let mut all: Vec<&str> = args.to_vec();
        all.extend_from_slice(&fleet);
        run(&all)
    };
    let (code, out, err) = with(&[
        "store",
        "--url",
        "https://www.example.com/login",
        "sid=1; Secure; HttpOnly",
        "bad=1; Domain=other.org",
    ]);
    assert_eq!(code, 1, "a refusal is a negative answer: {out}{err}");
    assert!(out.contains("sid: stored"), "{out}");
    assert!(out.contains("bad: refused"), "{out}");
    let (code, out, _) = with(&["header", "https://www.example.com/"]);
    assert_eq!((code, out.trim()), (0, "sid=1"));
    let (code, out, _) = with(&["explain", "http://www.example.com/"]);
    assert_eq!(code, 0);
    assert!(out.contains("not sent  sid"), "{out}");
    let (code, out, _) = with(&["--json", "list"]);
    assert_eq!(code, 0);
    let listed = json(&out);
    assert_eq!(listed["cookies"][0]["name"], "sid");
    assert!(!out.contains(server::PASSWORD));
    // Another name is another jar.
    let (code, _, _) = run(&[
        "header",
        "https://www.example.com/",
        "--redis",
        &url,
        "--jar-name",
        "other",
    ]);
    assert_eq!(code, 1);
}

#[test]
fn an_unreachable_redis_is_a_clear_error() {
    let port = std::net::TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port();
    let url = format!("redis://127.0.0.1:{port}/0");
    let (code, _, err) = run(&[
        "header",
        "https://example.com/",
        "--redis",
        &url,
        "--jar-name",
        "j",
    ]);
    assert_eq!(code, 3, "{err}");
    assert!(err.contains("unreachable"), "{err}");
}

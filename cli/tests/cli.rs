//! The real `cookiejar` binary on files in temporary directories.
// Test code: unwrap is the assertion.
#![allow(clippy::unwrap_used)]

use assert_cmd::Command;
use std::path::Path;

fn cookiejar() -> Command {
    Command::cargo_bin("cookiejar").unwrap()
}

fn stdout(cmd: &mut Command) -> String {
    String::from_utf8(cmd.output().unwrap().stdout).unwrap()
}

/// Runs the command: exit code, stdout, stderr.
fn run(args: &[&str]) -> (i32, String, String) {
    let out = cookiejar().args(args).output().unwrap();
    (
        out.status.code().unwrap(),
        String::from_utf8(out.stdout).unwrap(),
        String::from_utf8(out.stderr).unwrap(),
    )
}

fn json(text: &str) -> serde_json::Value {
    serde_json::from_str(text).unwrap_or_else(|e| panic!("{e}: {text:?}"))
}

const SAMPLE: &str = concat!(
    env!("CARGO_MANIFEST_DIR"),
    "/../testdata/jars/browser-export.txt"
);

#[test]
fn explain_on_the_sample_browser_export() {
    let out = cookiejar()
        .args([
            "explain",
            "--jar",
            SAMPLE,
            "https://www.example.com/account/settings",
        ])
        .assert()
        .success();
    let text = String::from_utf8(out.get_output().stdout.clone()).unwrap();
    for line in [
        "sent      csrf",
        "sent      sid",
        "not sent  api_token  api.example.com/         host-only cookie for another host",
    ] {
        assert!(text.contains(line), "{line:?} in\n{text}");
    }
    assert!(
        !text.contains("old_promo"),
        "expired cookies are dropped on load"
    );
    let json = stdout(cookiejar().args([
        "--json",
        "explain",
        "--jar",
        SAMPLE,
        "http://www.example.com/",
    ]));
    let rows: serde_json::Value = serde_json::from_str(&json).unwrap();
    let sid = rows
        .as_array()
        .unwrap()
        .iter()
        .find(|r| r["name"] == "sid")
        .unwrap();
    assert_eq!(sid["sent"], false);
    assert_eq!(sid["code"], "secure_only");
    assert_eq!(sid["reason"], "Secure cookie on an insecure request");
}

#[test]
fn store_then_header_with_exit_codes() {
    let dir = tempfile::tempdir().unwrap();
    let jar = dir.path().join("jar.json");
    let jar = jar.to_str().unwrap();
    cookiejar()
        .args([
            "store",
            "--jar",
            jar,
            "--url",
            "https://www.example.com/login",
            "sid=1; Max-Age=600; Secure",
            "lang=en; Domain=example.com; Max-Age=600",
        ])
        .assert()
        .code(0);
    cookiejar()
        .args([
            "store",
            "--jar",
            jar,
            "--url",
            "https://www.example.com/",
            "evil=1; Domain=com",
        ])
        .assert()
        .code(1)
        .stdout("refused   evil (domain attribute is a public suffix)\n");
    cookiejar()
        .args(["header", "--jar", jar, "https://www.example.com/"])
        .assert()
        .code(0)
        .stdout("sid=1; lang=en\n");
    cookiejar()
        .args(["header", "--jar", jar, "https://api.example.com/"])
        .assert()
        .code(0)
        .stdout("lang=en\n");
    cookiejar()
        .args(["header", "--jar", jar, "https://elsewhere.org/"])
        .assert()
        .code(1)
        .stdout("");
    cookiejar()
        .args(["header", "--jar", jar, "not a url"])
        .assert()
        .code(2);
    cookiejar().args(["header"]).assert().code(2);
}

#[test]
fn store_keeps_session_cookies_unless_told_and_says_only_what_is_in_the_file() {
    let dir = tempfile::tempdir().unwrap();
    let jar = dir.path().join("jar.txt");
    let jar = jar.to_str().unwrap();
    let (code, out, _) = run(&[
        "store",
        "--jar",
        jar,
        "--url",
        "https://example.com/",
        "s=1",
    ]);
    assert_eq!(
        (code, out.as_str()),
        (0, "stored    s (host example.com, path /)\n")
    );
    cookiejar()
        .args(["header", "--jar", jar, "https://example.com/"])
        .assert()
        .code(0)
        .stdout("s=1\n");
    // Asked to leave session cookies out: not said to be stored, and the
    // one already in the file goes too, as asked.
    let (code, out, err) = run(&[
        "store",
        "--drop-session",
        "--jar",
        jar,
        "--url",
        "https://example.com/",
        "t=2",
        "p=3; Max-Age=600",
    ]);
    assert_eq!(code, 0, "{err}");
    assert_eq!(
        out,
        "not saved t (host example.com, path /; session cookie, left out as --drop-session asks)\n\
         stored    p (host example.com, path /)\n"
    );
    assert!(
        err.contains("2 session cookies left out (--drop-session)"),
        "{err}"
    );
    cookiejar()
        .args(["header", "--jar", jar, "https://example.com/"])
        .assert()
        .stdout("p=3\n");
    // The old flag is still accepted.
    cookiejar()
        .args([
            "store",
            "--keep-session",
            "--jar",
            jar,
            "--url",
            "https://example.com/",
            "s=1",
        ])
        .assert()
        .code(0);
}

#[test]
fn rewriting_a_file_keeps_its_session_cookies() {
    // The field report: `store --keep-session` then `purge` lost `sid`, and
    // so did a `store` whose only cookie was refused.
    let dir = tempfile::tempdir().unwrap();
    let jar = dir.path().join("jar.txt");
    let jar = jar.to_str().unwrap();
    let url = "https://www.example.com/";
    run(&[
        "store",
        "--keep-session",
        "--jar",
        jar,
        "--url",
        url,
        "sid=S1; Secure",
    ]);
    run(&["store", "--jar", jar, "--url", url, "lang=en; Max-Age=600"]);
    let before = std::fs::read(jar).unwrap();
    let (code, out, err) = run(&["store", "--jar", jar, "--url", url, "evil=1; Domain=com"]);
    assert_eq!(code, 1);
    assert!(err.contains("unchanged"), "{err}");
    assert!(out.starts_with("refused"), "{out}");
    assert_eq!(
        std::fs::read(jar).unwrap(),
        before,
        "a refused store rewrote the file"
    );
    let (code, out, _) = run(&["purge", "--jar", jar]);
    assert_eq!(
        (code, out.as_str()),
        (0, "0 expired cookies removed, 2 kept (file unchanged)\n")
    );
    assert_eq!(
        std::fs::read(jar).unwrap(),
        before,
        "a purge that removed nothing rewrote the file"
    );
    // A store that changes the file keeps the session cookie it read.
    run(&["store", "--jar", jar, "--url", url, "lang=fr; Max-Age=600"]);
    cookiejar()
        .args(["header", "--jar", jar, url])
        .assert()
        .stdout("sid=S1; lang=fr\n");
}

/// What curl writes with `-c`: HttpOnly and session cookies among them.
const CURL_JAR: &str = "# Netscape HTTP Cookie File\n\
# https://curl.se/docs/http-cookies.html\n\
# This file was generated by libcurl! Edit at your own risk.\n\
\n\
#HttpOnly_www.example.com\tFALSE\t/\tTRUE\t0\tsid\tS1\n\
www.example.com\tFALSE\t/\tTRUE\t0\tcsrf\tC1\n\
.example.com\tTRUE\t/\tFALSE\t0\tcart\t3\n\
#HttpOnly_.example.com\tTRUE\t/\tTRUE\t0\tlogin\tL1\n\
.example.com\tTRUE\t/\tFALSE\t4102444800\tlang\ten\n\
api.example.com\tFALSE\t/v1\tFALSE\t4102444800\ttok\tT\n\
.example.com\tTRUE\t/\tFALSE\t4102444800\t_ga\tG\n";

#[test]
fn convert_keeps_session_cookies_unless_told() {
    let dir = tempfile::tempdir().unwrap();
    let p = |name: &str| dir.path().join(name).to_str().unwrap().to_string();
    std::fs::write(p("curl.txt"), CURL_JAR).unwrap();
    for out_file in ["x.txt", "x.json"] {
        let (code, out, err) = run(&["convert", &p("curl.txt"), &p(out_file)]);
        assert_eq!(code, 0, "{err}");
        assert!(out.starts_with("wrote 7 cookies to "), "{out}");
        assert!(err.contains("its 2 comment lines were not copied"), "{err}");
        let listed = json(&stdout(cookiejar().args([
            "--json",
            "list",
            "--jar",
            &p(out_file),
        ])));
        let cookies = listed["cookies"].as_array().unwrap();
        assert_eq!(cookies.len(), 7, "{out_file}");
        let login = cookies.iter().find(|c| c["name"] == "login").unwrap();
        assert_eq!(
            (&login["session"], &login["http_only"]),
            (&true.into(), &true.into())
        );
    }
    let (code, out, err) = run(&["convert", "--drop-session", &p("curl.txt"), &p("y.txt")]);
    assert_eq!(code, 0);
    assert!(out.starts_with("wrote 3 cookies to "), "{out}");
    assert!(
        err.contains("4 session cookies left out (--drop-session)"),
        "{err}"
    );
}

#[test]
fn purge_counts_what_the_load_dropped_and_says_what_the_rewrite_changes() {
    let dir = tempfile::tempdir().unwrap();
    let jar = dir.path().join("sample.txt");
    std::fs::copy(SAMPLE, &jar).unwrap();
    let jar = jar.to_str().unwrap();
    let listed = json(&stdout(cookiejar().args(["--json", "list", "--jar", jar])));
    assert_eq!(listed["cookies"].as_array().unwrap().len(), 6);
    assert_eq!(listed["load"]["expired_dropped"], 1);
    let (_, out, _) = run(&["list", "--jar", jar]);
    assert!(
        out.ends_with(
            "6 cookies; 1 expired cookie in the file not listed (`cookiejar purge` removes it)\n"
        ),
        "{out}"
    );
    let (code, out, err) = run(&["purge", "--jar", jar]);
    assert_eq!(
        (code, out.as_str()),
        (0, "1 expired cookie removed, 6 kept\n")
    );
    assert!(err.contains("its 2 comment lines were not kept"), "{err}");
    assert!(
        err.contains("its CRLF line ends were rewritten as LF"),
        "{err}"
    );
    assert!(!std::fs::read_to_string(jar).unwrap().contains("old_promo"));
    let after = std::fs::read(jar).unwrap();
    let (code, out, err) = run(&["--json", "purge", "--jar", jar]);
    assert_eq!(code, 0);
    let report = json(&out);
    assert_eq!(
        (&report["removed"], &report["kept"], &report["written"]),
        (&0.into(), &6.into(), &false.into())
    );
    assert_eq!(err, "");
    assert_eq!(std::fs::read(jar).unwrap(), after);
}

#[test]
fn a_failing_strict_load_suggests_lenient() {
    let dir = tempfile::tempdir().unwrap();
    let bad = dir.path().join("bad.txt");
    std::fs::write(
        &bad,
        "a.com\tFALSE\t/\tFALSE\t0\tok\t1\nbroken\nb.com\tFALSE\t/\tFALSE\t0\tok\t2\n",
    )
    .unwrap();
    let (code, _, err) = run(&["purge", "--jar", bad.to_str().unwrap()]);
    assert_eq!(code, 3);
    assert!(
        err.contains("line 2: expected 7 TAB-separated fields, found 1 (strict mode: nothing was loaded; --lenient skips 1 bad entry and loads 2 cookies)"),
        "{err}"
    );
    // Not offered when leniency would not help.
    let garbage = dir.path().join("garbage.json");
    std::fs::write(&garbage, "{ not json").unwrap();
    let (code, _, err) = run(&["list", "--jar", garbage.to_str().unwrap()]);
    assert_eq!(code, 3);
    assert!(!err.contains("--lenient"), "{err}");
    // Lenient: skipped entries carry a code.
    let (code, out, _) = run(&[
        "--json",
        "list",
        "--lenient",
        "--jar",
        bad.to_str().unwrap(),
    ]);
    assert_eq!(code, 0);
    let skipped = &json(&out)["load"]["skipped"][0];
    assert_eq!(
        (&skipped["code"], &skipped["location"]),
        (&"field_count".into(), &"line 2".into())
    );
}

#[test]
fn corrupted_files_fail_clearly_and_lenient_mode_reports() {
    let dir = tempfile::tempdir().unwrap();
    let bad = dir.path().join("bad.txt");
    std::fs::write(
        &bad,
        "example.com\tFALSE\t/\tFALSE\t0\tok\t1\nthis line is broken\n",
    )
    .unwrap();
    let bad = bad.to_str().unwrap();
    cookiejar()
        .args(["list", "--jar", bad])
        .assert()
        .code(3)
        .stderr(predicates::str::contains(
            "line 2: expected 7 TAB-separated fields, found 1",
        ));
    cookiejar()
        .args(["list", "--jar", bad, "--lenient"])
        .assert()
        .code(0)
        .stdout(predicates::str::contains("1 cookie\n"))
        .stderr(predicates::str::contains("skipped line 2"));
    let newer = dir.path().join("newer.json");
    std::fs::write(&newer, r#"{"version": 2, "cookies": []}"#).unwrap();
    cookiejar()
        .args(["list", "--jar", newer.to_str().unwrap()])
        .assert()
        .code(3)
        .stderr(predicates::str::contains(
            "jar file version 2 is not supported",
        ));
    let truncated = dir.path().join("truncated.json");
    std::fs::write(&truncated, "{\"version\": 1, \"cookies\": [{\"name\":").unwrap();
    cookiejar()
        .args(["list", "--jar", truncated.to_str().unwrap()])
        .assert()
        .code(3)
        .stderr(predicates::str::contains("not valid JSON"));
}

#[test]
fn unreadable_and_unwritable_files() {
    let dir = tempfile::tempdir().unwrap();
    let locked = dir.path().join("locked.txt");
    std::fs::copy(SAMPLE, &locked).unwrap();
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        std::fs::set_permissions(&locked, std::fs::Permissions::from_mode(0o000)).unwrap();
    }
    let readable_anyway = std::fs::read(&locked).is_ok(); // root ignores modes
    let out = cookiejar()
        .args(["list", "--jar", locked.to_str().unwrap()])
        .output()
        .unwrap();
    if readable_anyway {
        eprintln!("note: running as a user that ignores file modes; checking a directory instead");
        cookiejar()
            .args(["list", "--jar", dir.path().to_str().unwrap()])
            .assert()
            .code(3)
            .stderr(predicates::str::contains("cannot read"));
    } else {
        assert_eq!(out.status.code(), Some(3));
        assert!(String::from_utf8_lossy(&out.stderr).contains("Permission denied"));
    }
    // Writing into a directory that does not exist fails, and says so.
    let missing = dir.path().join("no/such/dir/jar.json");
    cookiejar()
        .args(["convert", SAMPLE, missing.to_str().unwrap()])
        .assert()
        .code(3)
        .stderr(predicates::str::contains("cannot write"));
}

#[test]
fn full_round_trip_through_both_formats() {
    let dir = tempfile::tempdir().unwrap();
    let p = |name: &str| dir.path().join(name).to_str().unwrap().to_string();
    cookiejar()
        .args(["convert", "--keep-session", SAMPLE, &p("a.json")])
        .assert()
        .success();
    cookiejar()
        .args(["convert", "--keep-session", &p("a.json"), &p("b.txt")])
        .assert()
        .success();
    cookiejar()
        .args([
            "convert",
            "--keep-session",
            "--to",
            "json",
            &p("b.txt"),
            &p("c.json"),
        ])
        .assert()
        .success();
    for url in [
        "https://www.example.com/account/x",
        "https://api.example.com/",
        "http://shop.other.org/",
    ] {
        let want = stdout(cookiejar().args(["header", "--jar", SAMPLE, url]));
        for file in ["a.json", "b.txt", "c.json"] {
            assert_eq!(
                stdout(cookiejar().args(["header", "--jar", &p(file), url])),
                want,
                "{file} {url}"
            );
        }
    }
    assert!(Path::new(&p("b.txt")).exists());
    let list = stdout(cookiejar().args(["--json", "list", "--jar", &p("c.json")]));
    let rows = json(&list);
    assert_eq!(
        rows["cookies"].as_array().unwrap().len(),
        6,
        "7 entries, one expired"
    );
}

#[test]
fn purge_removes_expired_cookies_from_a_json_jar() {
    let dir = tempfile::tempdir().unwrap();
    let jar = dir.path().join("jar.json");
    let entry = |name: &str, expires: &str| {
        format!(
            r#"{{"name":"{name}","value":"1","domain":"example.com","path":"/","host_only":true,"secure":false,"http_only":false,"expires":{expires},"created":"2026-01-01T00:00:00Z","last_access":"2026-01-01T00:00:00Z"}}"#
        )
    };
    let cookies = [
        entry("a", r#""2100-01-01T00:00:00Z""#),
        entry("old", r#""2010-01-01T00:00:00Z""#),
        entry("s", "null"),
    ];
    std::fs::write(
        &jar,
        format!(r#"{{"version":1,"cookies":[{}]}}"#, cookies.join(",")),
    )
    .unwrap();
    cookiejar()
        .args(["purge", "--jar", jar.to_str().unwrap()])
        .assert()
        .success()
        .stdout("1 expired cookie removed, 2 kept\n")
        .stderr("");
    let text = std::fs::read_to_string(&jar).unwrap();
    assert!(
        !text.contains("\"old\"") && text.contains("\"s\""),
        "{text}"
    );
}

#[test]
fn parse_shows_attributes() {
    cookiejar()
        .args([
            "parse",
            "id=7; Path=/a; Expires=Sunday, 06-Nov-94 08:49:37 GMT",
        ])
        .assert()
        .success()
        .stdout(predicates::str::contains(
            "expires          Sun, 06 Nov 1994 08:49:37 GMT",
        ));
    cookiejar().args(["parse", "=;"]).assert().code(1);
}

#[test]
fn control_characters_are_escaped_and_values_redacted() {
    // parse shows the value the user typed, escaped.
    cookiejar()
        .args(["parse", "a=b\u{9b}c; Path=/"])
        .assert()
        .success()
        .stdout(predicates::str::contains("value            b\\u{9b}c\n"));
    let (code, out, _) = run(&["parse", "a=b\u{1}c"]);
    assert_eq!(code, 1);
    assert!(out.contains("set_cookie       a=b\\x01c\n"), "{out}");
    assert!(
        out.contains("code             control_character\n"),
        "{out}"
    );
    let (_, out, _) = run(&["--json", "parse", "a=b\u{9b}c\u{202e}"]);
    assert!(out.contains(r#""value":"b\u009bc\u202e""#), "{out}");
    assert_eq!(json(&out)[0]["value"], "b\u{9b}c\u{202e}");

    let dir = tempfile::tempdir().unwrap();
    let jar = dir.path().join("jar.json");
    let jar = jar.to_str().unwrap();
    let (code, out, _) = run(&[
        "store",
        "--jar",
        jar,
        "--url",
        "https://example.com/",
        "n\u{9b}x=secret\u{85}; Max-Age=600",
        "t=a\tb; Max-Age=600",
    ]);
    assert_eq!(code, 0);
    assert!(
        !out.contains("secret"),
        "store shows values only when asked: {out}"
    );
    assert!(
        out.contains("stored    n\\u{9b}x (host example.com, path /)"),
        "{out}"
    );
    assert!(
        !out.chars()
            .any(|c| ('\u{80}'..='\u{9f}').contains(&c) || c == '\t'),
        "{out:?}"
    );
    let (_, out, _) = run(&["list", "--jar", jar]);
    assert!(
        out.contains("n\\u{9b}x") && !out.contains("secret"),
        "{out}"
    );
    let (_, out, _) = run(&["--show-values", "list", "--jar", jar]);
    assert!(
        out.contains("secret\\u{85}") && out.contains("a\\x09b"),
        "{out}"
    );
    let (_, out, _) = run(&["header", "--jar", jar, "https://example.com/"]);
    assert!(
        !out.contains('\u{9b}') && out.contains("n\\u{9b}x=secret\\u{85}"),
        "{out}"
    );
    // JSON: escaped for the terminal, the same data for a parser.
    let (_, out, _) = run(&["--json", "--show-values", "list", "--jar", jar]);
    assert!(
        !out.contains('\u{9b}') && out.contains(r"n\u009bx"),
        "{out}"
    );
    let names: Vec<_> = json(&out)["cookies"]
        .as_array()
        .unwrap()
        .iter()
        .map(|c| c["name"].clone())
        .collect();
    assert!(names.contains(&"n\u{9b}x".into()));
    let (_, out, _) = run(&["--json", "list", "--jar", jar]);
    assert!(json(&out)["cookies"][0].get("value").is_none(), "{out}");
    // A TAB cannot go into cookies.txt: not said to be stored.
    let txt = dir.path().join("jar.txt");
    let (code, out, _) = run(&[
        "--json",
        "store",
        "--jar",
        txt.to_str().unwrap(),
        "--url",
        "https://example.com/",
        "t=a\tb; Max-Age=600",
    ]);
    assert_eq!(code, 1);
    let row = &json(&out)["results"][0];
    assert_eq!(
        (&row["outcome"], &row["code"]),
        (&"not_saved".into(), &"unrepresentable".into())
    );
}

#[test]
fn json_outputs_carry_stable_reason_codes() {
    let dir = tempfile::tempdir().unwrap();
    let jar = dir.path().join("jar.json");
    let jar = jar.to_str().unwrap();
    let (code, out, _) = run(&[
        "--json",
        "store",
        "--jar",
        jar,
        "--url",
        "http://www.example.com/",
        "evil=1; Domain=com",
        "s=1; Secure",
        "ok=1; Path=/app",
        "gone=; Max-Age=0",
    ]);
    assert_eq!(code, 1);
    let report = json(&out);
    assert_eq!(report["written"], true);
    let codes: Vec<_> = report["results"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| {
            (
                r["outcome"].as_str().unwrap().to_owned(),
                r["code"].as_str().map(str::to_owned),
            )
        })
        .collect();
    assert_eq!(
        codes,
        [
            ("refused".into(), Some("public_suffix".into())),
            ("refused".into(), Some("secure_from_insecure_origin".into())),
            ("stored".into(), None),
            ("expired".into(), Some("already_expired".into())),
        ]
    );
    assert_eq!(report["results"][2]["path"], "/app");
    assert_eq!(
        report["results"][0]["reason"],
        "domain attribute is a public suffix"
    );
    let explained = json(&stdout(cookiejar().args([
        "--json",
        "explain",
        "--jar",
        jar,
        "http://www.example.com/",
    ])));
    assert_eq!(explained[0]["code"], "path_mismatch");
    assert_eq!(
        explained[0]["reason"],
        "request path is outside the cookie's path"
    );
    let (code, out, _) = run(&["--json", "parse", "=;"]);
    assert_eq!(code, 1);
    assert_eq!(json(&out)[0]["code"], "empty");
}

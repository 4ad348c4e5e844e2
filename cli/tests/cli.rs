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
        .stdout(predicates::str::contains(
            "refused  evil=1; Domain=com  (domain attribute is a public suffix)",
        ));
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
fn session_cookies_are_kept_only_when_asked() {
    let dir = tempfile::tempdir().unwrap();
    let jar = dir.path().join("jar.txt");
    let jar = jar.to_str().unwrap();
    cookiejar()
        .args([
            "store",
            "--jar",
            jar,
            "--url",
            "https://example.com/",
            "s=1",
        ])
        .assert()
        .code(0)
        .stderr(predicates::str::contains(
            "1 session cookies were not saved",
        ));
    cookiejar()
        .args(["header", "--jar", jar, "https://example.com/"])
        .assert()
        .code(1);
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
    cookiejar()
        .args(["header", "--jar", jar, "https://example.com/"])
        .assert()
        .code(0)
        .stdout("s=1\n");
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
        .stdout(predicates::str::contains("1 cookies"))
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
    let rows: serde_json::Value = serde_json::from_str(&list).unwrap();
    assert_eq!(rows.as_array().unwrap().len(), 6, "7 entries, one expired");
}

#[test]
fn purge_removes_expired_cookies() {
    let dir = tempfile::tempdir().unwrap();
    let jar = dir.path().join("jar.json");
    std::fs::write(
        &jar,
        r#"{"version":1,"cookies":[{"name":"a","value":"1","domain":"example.com","path":"/","host_only":true,"secure":false,"http_only":false,"expires":"2100-01-01T00:00:00Z","created":"2026-01-01T00:00:00Z","last_access":"2026-01-01T00:00:00Z"}]}"#,
    )
    .unwrap();
    cookiejar()
        .args(["purge", "--jar", jar.to_str().unwrap()])
        .assert()
        .success()
        .stdout("0 expired cookies removed, 1 kept\n");
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

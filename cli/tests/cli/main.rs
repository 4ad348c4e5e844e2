//! The real `cookiejar` binary on files in temporary directories.
// Test code: unwrap is the assertion.
#![allow(clippy::unwrap_used)]

#[cfg(feature = "redis")]
mod fleet;
mod har;
mod helpers;
#[cfg(feature = "browser")]
mod import;
mod rewrite;
mod terminal;

use helpers::{cookiejar, json, run, stdout, SAMPLE};
use std::path::Path;

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

#[test]
fn the_command_is_its_own_crate_and_the_library_has_no_clap() {
    // `cargo install --path cli` installs `cookiejar`; the library crate has
    // no binary (so `cargo install --path .` says so instead of building
    // for nothing) and does not depend on clap.
    let out = std::process::Command::new(env!("CARGO"))
        .args([
            "metadata",
            "--format-version",
            "1",
            "--no-deps",
            "--offline",
        ])
        .current_dir(env!("CARGO_MANIFEST_DIR"))
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let metadata = json(&String::from_utf8(out.stdout).unwrap());
    let package = |name: &str| {
        metadata["packages"]
            .as_array()
            .unwrap()
            .iter()
            .find(|p| p["name"] == name)
            .unwrap_or_else(|| panic!("no package {name}"))
            .clone()
    };
    let bins = |p: &serde_json::Value| -> Vec<String> {
        p["targets"]
            .as_array()
            .unwrap()
            .iter()
            .filter(|t| t["kind"].as_array().unwrap().iter().any(|k| k == "bin"))
            .map(|t| t["name"].as_str().unwrap().to_owned())
            .collect()
    };
    let library = package("cookiejar");
    assert!(bins(&library).is_empty());
    let deps: Vec<_> = library["dependencies"]
        .as_array()
        .unwrap()
        .iter()
        .map(|d| d["name"].clone())
        .collect();
    assert!(!deps.contains(&"clap".into()), "{deps:?}");
    assert_eq!(bins(&package("cookiejar-cli")), ["cookiejar"]);
}

#[test]
fn psl_flag_and_version_name_the_public_suffix_list() {
    let version = stdout(cookiejar().arg("--version"));
    assert!(
        version.contains(&format!(
            "public suffix list {}",
            cookiejar::PublicSuffixList::BUNDLED_VERSION
        )),
        "{version}"
    );
    let dir = tempfile::tempdir().unwrap();
    let jar = dir.path().join("jar.json");
    let jar = jar.to_str().unwrap();
    let store = |psl: Option<&Path>| {
        let mut cmd = cookiejar();
        if let Some(psl) = psl {
            cmd.arg("--psl").arg(psl);
        }
        cmd.args([
            "store",
            "--jar",
            jar,
            "--url",
            "http://intranet.corp/",
            "x=1; Domain=corp",
        ]);
        cmd.assert()
    };
    // By default an unlisted TLD is a public suffix: no cookie for all of it.
    store(None).code(1);
    // An intranet opts in with its own list (a `!corp` rule).
    let list = dir.path().join("suffixes.dat");
    std::fs::write(&list, "// VERSION: intranet-1\n!corp\ncom\n").unwrap();
    store(Some(&list)).success();
    cookiejar()
        .args(["--psl", "/nonexistent/list.dat", "list", "--jar", jar])
        .assert()
        .code(3)
        .stderr(predicates::str::contains("public suffix list"));
}

#[test]
fn a_reader_that_goes_away_ends_the_command_quietly() {
    // `cookiejar list | head -0`: the pipe is closed before the first line.
    let mut child = std::process::Command::new(assert_cmd::cargo::cargo_bin("cookiejar"))
        .args(["list", "--jar", SAMPLE])
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::piped())
        .spawn()
        .unwrap();
    drop(child.stdout.take());
    let out = child.wait_with_output().unwrap();
    let stderr = String::from_utf8(out.stderr).unwrap();
    assert!(!stderr.contains("panicked"), "{stderr}");
    assert_eq!(out.status.code(), Some(0), "{stderr}");
}

//! Terminal safety and redaction: escaped names and values, values shown
//! only when asked.

use crate::helpers::{cookiejar, json, run};

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

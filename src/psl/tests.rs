use super::list::BUNDLED;
use super::*;

#[test]
fn bundled_list_knows_icann_private_wildcard_and_exception_rules() {
    let list = PublicSuffixList::bundled();
    let cases = [
        ("example.com", Some("com")),
        ("www.bbc.co.uk", Some("co.uk")),
        ("co.uk", Some("co.uk")),
        ("foo.github.io", Some("github.io")),
        ("a.b.kawasaki.jp", Some("b.kawasaki.jp")),
        ("city.kawasaki.jp", Some("kawasaki.jp")),
        ("xn--55qx5d.cn", Some("xn--55qx5d.cn")),
        ("www.xn--55qx5d.cn", Some("xn--55qx5d.cn")),
        // No rule matches: the prevailing rule is "*", the last label.
        ("localhost", Some("localhost")),
        ("app.localhost", Some("localhost")),
        ("a.internal", Some("internal")),
        ("x.a.b", Some("b")),
        ("intranet.corp", Some("corp")),
        ("corp", Some("corp")),
        ("", None),
    ];
    for (domain, want) in cases {
        assert_eq!(list.public_suffix(domain), want, "{domain}");
    }
}

#[test]
fn suffixes_added_after_2023_are_bundled() {
    // None of these is in the 2023-02-09 list the crate bundled before;
    // a refresh from an older or truncated copy fails here.
    let list = PublicSuffixList::bundled();
    let cases = [
        ("space.hf.space", "hf.space"),               // Hugging Face Spaces
        ("app.vusercontent.net", "vusercontent.net"), // Vercel
        ("app.zeabur.app", "zeabur.app"),             // Zeabur
        ("a.b.cursorusercontent.com", "b.cursorusercontent.com"), // *.cursorusercontent.com
        ("shop.io.vn", "io.vn"),                      // ICANN, .vn
    ];
    for (domain, want) in cases {
        assert_eq!(list.public_suffix(domain), Some(want), "{domain}");
    }
}

#[test]
fn bundled_list_version_is_its_header_and_current() {
    let list = PublicSuffixList::bundled();
    assert_eq!(list.version(), Some(PublicSuffixList::BUNDLED_VERSION));
    assert_eq!(list.commit(), Some(PublicSuffixList::BUNDLED_COMMIT));
    // `YYYY-MM-DD_hh-mm-ss_UTC` sorts as text: never older than this copy.
    let version = PublicSuffixList::BUNDLED_VERSION;
    assert!(version >= "2026-10-22_08-36-41_UTC", "{version}");
    assert!(
        version.ends_with("_UTC") && version.len() == 23,
        "{version}"
    );
    let commit = PublicSuffixList::BUNDLED_COMMIT;
    assert!(
        commit.len() == 40 && commit.bytes().all(|b| b.is_ascii_hexdigit()),
        "{commit}"
    );
}

#[test]
fn bundled_list_keeps_its_mpl_notice() {
    assert!(BUNDLED.starts_with(
        "// This Source Code Form is subject to the terms of the Mozilla Public\n\
         // License, v. 2.0."
    ));
}

#[test]
fn header_fields_come_from_before_the_first_section() {
    let cases = [
        (
            "// VERSION: 1\n// COMMIT: abc\ncom\n",
            Some("1"),
            Some("abc"),
        ),
        (
            "// VERSION: 1 \r\n// ===BEGIN ICANN DOMAINS===\ncom\n",
            Some("1"),
            None,
        ),
        (
            "// ===BEGIN ICANN DOMAINS===\n// VERSION: 2\ncom\n",
            None,
            None,
        ),
        ("// my list\ncom\n", None, None),
        ("// VERSION:\ncom\n", None, None),
        ("// VERSIONS: 3\ncom\n", None, None),
    ];
    for (text, version, commit) in cases {
        let list = PublicSuffixList::parse(text).unwrap();
        assert_eq!(list.version(), version, "{text:?}");
        assert_eq!(list.commit(), commit, "{text:?}");
    }
}

#[test]
fn single_label_exception_rules_make_a_private_top_level_domain() {
    let cases = [
        ("!corp\n", "intranet.corp", None),
        ("!corp\n", "corp", None),
        ("!corp\n", "www.example.com", Some("com")),
        ("!CORP\n", "a.corp", None),
        ("!bücher\n", "a.xn--bcher-kva", None),
        // Exceptions prevail over the other rules that match.
        ("!corp\n*.corp\n", "a.b.corp", None),
        // A comment is no rule; nor is a rule before the first section.
        (
            "// ===BEGIN ICANN DOMAINS===\n// !corp\ncom\n",
            "a.corp",
            Some("corp"),
        ),
        (
            "!corp\n// ===BEGIN ICANN DOMAINS===\ncom\n",
            "a.corp",
            Some("corp"),
        ),
        // Exceptions of more labels keep the list's usual meaning.
        (
            "*.kawasaki.jp\n!city.kawasaki.jp\n",
            "city.kawasaki.jp",
            Some("kawasaki.jp"),
        ),
    ];
    for (text, domain, want) in cases {
        let list = PublicSuffixList::parse(text).unwrap();
        assert_eq!(list.public_suffix(domain), want, "{text:?} {domain}");
    }
    let intranet = PublicSuffixList::bundled_with("!corp\n").unwrap();
    assert_eq!(intranet.public_suffix("intranet.corp"), None);
    assert_eq!(intranet.public_suffix("me.github.io"), Some("github.io"));
    assert_eq!(intranet.public_suffix("app.localhost"), Some("localhost"));
    assert_eq!(intranet.version(), Some(PublicSuffixList::BUNDLED_VERSION));
}

#[test]
fn bad_lists_are_refused() {
    for text in ["", "// only a comment\n", "!\n", "!a.\ncom\n", "a..b\n"] {
        let err = PublicSuffixList::parse(text).map(|_| ()).expect_err(text);
        assert!(
            err.to_string().starts_with("invalid public suffix list: "),
            "{err}"
        );
    }
    assert!(PublicSuffixList::bundled_with("!\n").is_err());
}

#[test]
fn lists_load_from_files() {
    let dir = std::env::temp_dir().join(format!("cookiejar-psl-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let file = dir.join("list.dat");
    std::fs::write(&file, "// VERSION: 9\nexample\n").unwrap();
    let list = PublicSuffixList::load(&file).unwrap();
    assert_eq!(list.version(), Some("9"));
    assert_eq!(list.public_suffix("a.example"), Some("example"));
    let missing = PublicSuffixList::load(dir.join("missing.dat")).unwrap_err();
    assert!(
        missing
            .to_string()
            .starts_with("cannot read public suffix list "),
        "{missing}"
    );
    std::fs::write(&file, "").unwrap();
    let empty = PublicSuffixList::load(&file).unwrap_err();
    assert!(
        empty
            .to_string()
            .contains("list.dat: invalid public suffix list: no rules"),
        "{empty}"
    );
    std::fs::remove_dir_all(&dir).unwrap();
}

/// The trie answers what the `publicsuffix` crate's list answers, for
/// every rule of the bundled list with labels added in front, wildcards
/// and exceptions filled in, and fully qualified (trailing dot) forms.
#[test]
fn trie_walk_equals_the_publicsuffix_crate() {
    use publicsuffix::Psl;
    let crate_list: publicsuffix::List = BUNDLED.parse().expect("bundled list");
    let trie = super::trie::Trie::parse(BUNDLED);
    let crate_len = |d: &str| {
        crate_list
            .suffix(d.as_bytes())
            .map_or(0, |s| s.as_bytes().len())
    };
    let mut checked = 0;
    for line in BUNDLED.lines() {
        let Some(rule) = line
            .split_whitespace()
            .next()
            .filter(|r| !r.starts_with("//"))
        else {
            continue;
        };
        let rule = rule.trim_start_matches('!').replace('*', "w");
        let ascii = idna::domain_to_ascii(&rule).unwrap_or_default();
        for base in [rule.as_str(), ascii.as_str()] {
            for prefix in ["", "a.", "b.a.", "www.", "city."] {
                for dot in ["", "."] {
                    let d = format!("{prefix}{base}{dot}");
                    assert_eq!(trie.suffix_len(d.as_bytes()), crate_len(&d), "{d}");
                    checked += 1;
                }
            }
        }
    }
    for d in [
        "",
        ".",
        "..",
        "a..b",
        "com",
        ".com",
        "com.",
        "x.unknowntld",
        "a.b.c.d.e",
    ] {
        assert_eq!(trie.suffix_len(d.as_bytes()), crate_len(d), "{d:?}");
    }
    assert!(checked > 100_000, "{checked}");
}

proptest::proptest! {
    #[test]
    fn trie_walk_equals_the_publicsuffix_crate_on_random_hosts(
        labels in proptest::collection::vec(
            proptest::sample::select(vec![
                "com", "uk", "co", "jp", "kawasaki", "city", "ck", "www", "github", "io",
                "a", "", "*", "xn--55qx5d", "cn", "blogspot", "s3", "amazonaws", "compute",
            ]),
            0..6,
        ),
        dot in proptest::bool::ANY,
    ) {
        use publicsuffix::Psl;
        static LISTS: std::sync::OnceLock<(publicsuffix::List, super::trie::Trie)> =
            std::sync::OnceLock::new();
        let (crate_list, trie) =
            LISTS.get_or_init(|| (BUNDLED.parse().expect("bundled"), super::trie::Trie::parse(BUNDLED)));
        let mut d = labels.join(".");
        if dot {
            d.push('.');
        }
        let want = crate_list.suffix(d.as_bytes()).map_or(0, |s| s.as_bytes().len());
        proptest::prop_assert_eq!(trie.suffix_len(d.as_bytes()), want, "{:?}", d);
    }
}

//! [`PublicSuffixList`]: the publicsuffix.org list, its rules read by the
//! `publicsuffix` crate, plus its header (`VERSION`, `COMMIT`) and the
//! private top-level domains a user opts into with `!tld` rules.

use super::trie::Trie;
use super::{PslError, PublicSuffix};
use std::fmt;
use std::path::Path;
use std::sync::{Arc, OnceLock};

/// A parsed public suffix list (the format of <https://publicsuffix.org/list/>).
///
/// A domain no rule matches falls under the list's default rule `*`: its
/// last label is its public suffix, so a site under an unlisted top-level
/// domain (`corp`, `internal`, `localhost`) cannot set a cookie for the
/// whole top-level domain.
///
/// # Private top-level domains
///
/// An intranet that wants `Domain=corp` cookies shared by every `*.corp`
/// host opts in with a rule of its own, `!corp`: an exception rule for a
/// single label. Exception rules prevail over every other rule that
/// matches (the list's algorithm), and removing the exception's leftmost
/// label leaves no public suffix at all, so every domain under `corp` is
/// one site. The upstream list has no such rule; it is never the default.
/// Name only a top-level domain that no one else's hosts use: `!com`
/// would let every `.com` site set cookies for all of `.com`.
///
/// # Example
///
/// ```
/// use cookiejar::{PublicSuffix, PublicSuffixList};
///
/// let list = PublicSuffixList::bundled();
/// assert_eq!(list.public_suffix("www.bbc.co.uk"), Some("co.uk"));
/// assert_eq!(list.public_suffix("intranet.corp"), Some("corp")); // rule "*"
///
/// let mine = PublicSuffixList::parse("// my list\ncom\n*.test\n")?;
/// assert_eq!(mine.public_suffix("a.b.test"), Some("b.test"));
///
/// // Opting in to one shared site for all of `corp`:
/// let intranet = PublicSuffixList::bundled_with("!corp\n")?;
/// assert_eq!(intranet.public_suffix("intranet.corp"), None);
/// assert_eq!(intranet.public_suffix("www.example.com"), Some("com"));
/// # Ok::<(), cookiejar::PslError>(())
/// ```
#[derive(Clone)]
pub struct PublicSuffixList {
    /// The rules, as the `publicsuffix` crate read them (see `trie.rs`).
    rules: Trie,
    /// Top-level labels named by `!label` rules: no public suffix below.
    private_tlds: Vec<Box<str>>,
    version: Option<Box<str>>,
    commit: Option<Box<str>>,
}

impl fmt::Debug for PublicSuffixList {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("PublicSuffixList")
            .field("version", &self.version)
            .field("private_tlds", &self.private_tlds)
            .finish_non_exhaustive()
    }
}

pub(super) const BUNDLED: &str = include_str!("public_suffix_list.dat");

/// Where a list's rules start; the header comes before it.
const SECTION_MARKER: &str = "// ===BEGIN ";

impl PublicSuffixList {
    /// The `VERSION` line of the bundled list's header, such as
    /// `2026-10-22_08-36-41_UTC`: when upstream published it.
    pub const BUNDLED_VERSION: &'static str = header_field(BUNDLED, "VERSION");

    /// The `COMMIT` line of the bundled list's header: the upstream
    /// repository's commit (github.com/publicsuffix/list) it was taken from.
    pub const BUNDLED_COMMIT: &'static str = header_field(BUNDLED, "COMMIT");

    /// The list bundled with the crate, parsed once per process.
    pub fn bundled() -> Arc<PublicSuffixList> {
        static LIST: OnceLock<Arc<PublicSuffixList>> = OnceLock::new();
        LIST.get_or_init(|| {
            // The bundled file is part of the crate and tested; were it
            // unreadable, the rule "*" alone would still refuse every
            // top-level domain, so the fallback is strict, not open.
            Arc::new(
                PublicSuffixList::parse(BUNDLED).unwrap_or_else(|_| PublicSuffixList {
                    rules: Trie::default(),
                    private_tlds: Vec::new(),
                    version: None,
                    commit: None,
                }),
            )
        })
        .clone()
    }

    /// The bundled list plus rules of one's own in the same format, such
    /// as `!corp` to make the private top-level domain `corp` one site
    /// (see [the type's documentation](PublicSuffixList)). The result
    /// keeps the bundled list's version.
    ///
    /// # Errors
    ///
    /// [`PslError`] if `rules` holds an invalid rule.
    pub fn bundled_with(rules: &str) -> Result<Self, PslError> {
        let marker = match rules.contains(SECTION_MARKER) {
            true => "",
            false => "// ===BEGIN PRIVATE DOMAINS===\n",
        };
        PublicSuffixList::parse(&format!("{BUNDLED}\n{marker}{rules}"))
    }

    /// Parses a list in the publicsuffix.org format: a whole upstream copy,
    /// or a short list of one's own (rules without section markers are
    /// read as ICANN rules).
    ///
    /// # Errors
    ///
    /// [`PslError`] if the text is not a valid list or has no rules.
    pub fn parse(text: &str) -> Result<Self, PslError> {
        // The `publicsuffix` crate reads rules only after a section marker,
        // and refuses single-label exceptions, which are ours to keep.
        let mut in_rules = !text.contains(SECTION_MARKER);
        let mut rules = String::with_capacity(text.len() + 40);
        if in_rules {
            rules.push_str("// ===BEGIN ICANN DOMAINS===\n");
        }
        let mut private_tlds = Vec::new();
        for line in text.lines() {
            in_rules |= line.starts_with(SECTION_MARKER);
            let rule = line.split_whitespace().next().unwrap_or("");
            match rule.strip_prefix('!') {
                Some(label) if in_rules && !line.starts_with("//") && !label.contains('.') => {
                    private_tlds.push(private_tld(label)?);
                }
                _ => {
                    rules.push_str(line);
                    rules.push('\n');
                }
            }
        }
        // The crate checks the rules; the trie then holds the same ones.
        let trie = match rules.parse::<publicsuffix::List>() {
            Ok(_) => Trie::parse(&rules),
            Err(publicsuffix::Error::InvalidList) if !private_tlds.is_empty() => Trie::default(),
            Err(publicsuffix::Error::InvalidList) => return Err(invalid("no rules")),
            Err(e) => return Err(invalid(&format!("{e:?}"))),
        };
        let field = |name| Some(header_field(text, name)).filter(|v| !v.is_empty());
        Ok(PublicSuffixList {
            rules: trie,
            private_tlds,
            version: field("VERSION").map(Box::from),
            commit: field("COMMIT").map(Box::from),
        })
    }

    /// Reads and parses a list file, as [`PublicSuffixList::parse`].
    ///
    /// # Errors
    ///
    /// [`PslError`] if the file cannot be read or is not a valid list.
    pub fn load(path: impl AsRef<Path>) -> Result<Self, PslError> {
        let path = path.as_ref();
        let text = std::fs::read_to_string(path).map_err(|e| {
            PslError(format!(
                "cannot read public suffix list {}: {e}",
                path.display()
            ))
        })?;
        PublicSuffixList::parse(&text).map_err(|e| PslError(format!("{}: {e}", path.display())))
    }

    /// The `VERSION` line of the list's header (the upstream publication
    /// time, such as `2026-10-22_08-36-41_UTC`), if it has one.
    pub fn version(&self) -> Option<&str> {
        self.version.as_deref()
    }

    /// The `COMMIT` line of the list's header, if it has one.
    pub fn commit(&self) -> Option<&str> {
        self.commit.as_deref()
    }
}

impl PublicSuffix for PublicSuffixList {
    fn public_suffix<'a>(&self, domain: &'a str) -> Option<&'a str> {
        if !self.private_tlds.is_empty() {
            let tld = domain.rsplit('.').next().unwrap_or(domain);
            if self.private_tlds.iter().any(|t| **t == *tld) {
                return None;
            }
        }
        // With no matching rule the walk answers the last label: that is
        // the rule "*", and it is kept.
        let len = self.rules.suffix_len(domain.as_bytes());
        if len == 0 {
            return None;
        }
        domain.get(domain.len().checked_sub(len)?..)
    }
}

/// The label of a `!label` rule, in A-labels, lower case.
fn private_tld(label: &str) -> Result<Box<str>, PslError> {
    match idna::domain_to_ascii(label) {
        Ok(ascii) if !ascii.is_empty() && !ascii.contains('.') => Ok(ascii.into()),
        _ => Err(invalid(&format!("bad exception rule !{label}"))),
    }
}

fn invalid(why: &str) -> PslError {
    PslError(format!("invalid public suffix list: {why}"))
}

/// The value of the header line `// NAME: value` that upstream lists carry
/// before their first section marker; empty if there is none. A `const fn`
/// so that the bundled list's version is a constant.
const fn header_field<'a>(text: &'a str, name: &str) -> &'a str {
    let mut rest = text.as_bytes();
    let name = name.as_bytes();
    loop {
        if rest.is_empty() || starts_with(rest, SECTION_MARKER.as_bytes()) {
            return "";
        }
        if let Some(after) = strip(rest, b"// ") {
            if let Some(after) = strip(after, name) {
                if let Some(value) = strip(after, b": ") {
                    return line_str(value);
                }
            }
        }
        rest = next_line(rest);
    }
}

/// `s` without the prefix `p`, if it starts with it.
const fn strip<'a>(s: &'a [u8], p: &[u8]) -> Option<&'a [u8]> {
    match starts_with(s, p) {
        true => Some(s.split_at(p.len()).1),
        false => None,
    }
}

const fn starts_with(mut s: &[u8], mut p: &[u8]) -> bool {
    loop {
        match (s, p) {
            (_, []) => return true,
            ([a, s_rest @ ..], [b, p_rest @ ..]) if *a == *b => {
                s = s_rest;
                p = p_rest;
            }
            _ => return false,
        }
    }
}

/// The text after the first line break of `s` (empty if none).
const fn next_line(mut s: &[u8]) -> &[u8] {
    while let [first, rest @ ..] = s {
        s = rest;
        if *first == b'\n' {
            break;
        }
    }
    s
}

/// The first line of `s`, without its line break or trailing blanks.
const fn line_str(s: &[u8]) -> &str {
    let mut len = 0;
    let mut rest = s;
    while let [b, tail @ ..] = rest {
        if *b == b'\n' || *b == b'\r' {
            break;
        }
        len += 1;
        rest = tail;
    }
    let mut line = s.split_at(len).0;
    while let [head @ .., b' ' | b'\t'] = line {
        line = head;
    }
    // Cut at ASCII bytes, so still UTF-8.
    match std::str::from_utf8(line) {
        Ok(line) => line,
        Err(_) => "",
    }
}

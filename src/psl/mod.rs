//! Public suffixes ("effective TLDs"): what keeps `example.co.uk` from
//! setting a cookie for every site under `co.uk` (RFC 6265 section 5.3
//! step 5), and what the jar indexes its cookies by.
//!
//! The list ships inside the crate: `public_suffix_list.dat` from Debian's
//! `publicsuffix` package (version 20230209), under the Mozilla Public
//! License 2.0, whose notice heads the file. [`PublicSuffixList::parse`]
//! takes a fresher copy at run time.

use std::fmt;
use std::sync::{Arc, OnceLock};

/// A source of public suffixes.
///
/// # Security
///
/// The jar rejects a `Domain` attribute that is a public suffix; without a
/// list, the server for `foo.com` could set a cookie for every `.com` site.
/// An implementation that always answers `None` ([`NoPublicSuffix`]) is
/// valid and useful in tests, but it is **not secure**.
pub trait PublicSuffix: Send + Sync + fmt::Debug {
    /// The public suffix of `domain` under the list's rules, or `None` when
    /// no rule matches (an unknown top-level domain such as `localhost` or
    /// `internal`). `domain` is lower case, in A-labels, without a trailing
    /// dot; the result is a suffix of it on a label boundary.
    fn public_suffix<'a>(&self, domain: &'a str) -> Option<&'a str>;
}

/// A parsed public suffix list (the format of <https://publicsuffix.org/list/>).
///
/// # Example
///
/// ```
/// use cookiejar::{PublicSuffix, PublicSuffixList};
///
/// let list = PublicSuffixList::bundled();
/// assert_eq!(list.public_suffix("www.bbc.co.uk"), Some("co.uk"));
/// assert_eq!(list.public_suffix("localhost"), None);
///
/// let mine = PublicSuffixList::parse("// my list\ncom\n*.test\n")?;
/// assert_eq!(mine.public_suffix("a.b.test"), Some("b.test"));
/// # Ok::<(), cookiejar::PslError>(())
/// ```
pub struct PublicSuffixList {
    list: publicsuffix::List,
}

impl fmt::Debug for PublicSuffixList {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("PublicSuffixList").finish_non_exhaustive()
    }
}

/// A public suffix list that could not be parsed.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PslError(String);

impl fmt::Display for PslError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "invalid public suffix list: {}", self.0)
    }
}

impl std::error::Error for PslError {}

const BUNDLED: &str = include_str!("public_suffix_list.dat");

impl PublicSuffixList {
    /// The list bundled with the crate, parsed once per process.
    pub fn bundled() -> Arc<PublicSuffixList> {
        static LIST: OnceLock<Arc<PublicSuffixList>> = OnceLock::new();
        LIST.get_or_init(|| {
            let list = PublicSuffixList::parse(BUNDLED);
            // The bundled file is part of the crate and tested; an empty
            // list would only make the jar stricter, never panic.
            Arc::new(list.unwrap_or_else(|_| PublicSuffixList {
                list: publicsuffix::List::new(),
            }))
        })
        .clone()
    }

    /// Parses a list in the publicsuffix.org format.
    ///
    /// # Errors
    ///
    /// [`PslError`] if the text is not a valid list or has no rules.
    pub fn parse(text: &str) -> Result<Self, PslError> {
        // The `publicsuffix` crate reads rules only after a section marker;
        // a short list of one's own without markers holds ICANN-like rules.
        let marked;
        let text = if text.contains("===BEGIN ") {
            text
        } else {
            marked = format!("// ===BEGIN ICANN DOMAINS===\n{text}");
            &marked
        };
        let list: publicsuffix::List = text.parse().map_err(|e| PslError(format!("{e:?}")))?;
        if list.is_empty() {
            return Err(PslError("no rules".into()));
        }
        Ok(PublicSuffixList { list })
    }
}

impl PublicSuffix for PublicSuffixList {
    fn public_suffix<'a>(&self, domain: &'a str) -> Option<&'a str> {
        use publicsuffix::Psl;
        let suffix = self.list.suffix(domain.as_bytes())?;
        if !suffix.is_known() {
            return None;
        }
        let len = suffix.as_bytes().len();
        domain.get(domain.len().checked_sub(len)?..)
    }
}

/// No public suffixes at all. **Insecure**: any site may set cookies for
/// its whole top-level domain. For tests and closed networks only.
#[derive(Debug, Clone, Copy, Default)]
pub struct NoPublicSuffix;

impl PublicSuffix for NoPublicSuffix {
    fn public_suffix<'a>(&self, _domain: &'a str) -> Option<&'a str> {
        None
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn bundled_list_knows_icann_private_and_wildcard_rules() {
        let list = PublicSuffixList::bundled();
        let cases = [
            ("example.com", Some("com")),
            ("www.bbc.co.uk", Some("co.uk")),
            ("co.uk", Some("co.uk")),
            ("foo.github.io", Some("github.io")),
            ("a.b.kawasaki.jp", Some("b.kawasaki.jp")),
            ("city.kawasaki.jp", Some("kawasaki.jp")),
            ("localhost", None),
            ("a.internal", None),
            ("xn--55qx5d.cn", Some("xn--55qx5d.cn")),
            ("www.xn--55qx5d.cn", Some("xn--55qx5d.cn")),
        ];
        for (domain, want) in cases {
            assert_eq!(list.public_suffix(domain), want, "{domain}");
        }
    }

    #[test]
    fn bad_lists_are_refused() {
        assert!(PublicSuffixList::parse("").is_err());
        assert!(PublicSuffixList::parse("// only a comment\n").is_err());
    }
}

//! Public suffixes ("effective TLDs"): what keeps `example.co.uk` from
//! setting a cookie for every site under `co.uk` (RFC 6265 section 5.3
//! step 5), and what the jar indexes its cookies by.
//!
//! The list ships inside the crate: `public_suffix_list.dat` as published
//! at <https://publicsuffix.org/list/> (its `VERSION` header line is
//! [`PublicSuffixList::BUNDLED_VERSION`]), under the Mozilla Public License
//! 2.0, whose notice heads the file. `scripts/refresh-psl` replaces it with
//! a newer copy; [`PublicSuffixList::parse`] and [`PublicSuffixList::load`]
//! take one at run time.

mod list;
mod trie;

pub use list::PublicSuffixList;

use std::fmt;

/// A source of public suffixes.
///
/// # Security
///
/// The jar rejects a `Domain` attribute that is a public suffix; without a
/// list, the server for `foo.com` could set a cookie for every `.com` site.
/// An implementation that always answers `None` ([`NoPublicSuffix`]) is
/// valid and useful in tests, but it is **not secure**.
pub trait PublicSuffix: Send + Sync + fmt::Debug {
    /// The public suffix of `domain`. `domain` is lower case, in A-labels,
    /// without a trailing dot; the result is a suffix of it on a label
    /// boundary.
    ///
    /// A list answers with the suffix its prevailing rule names, and when
    /// no rule matches, with the last label: the list's default rule is
    /// `*` ("If no rules match, the prevailing rule is \"*\""), so an
    /// unlisted top-level domain such as `localhost`, `internal` or `corp`
    /// is a public suffix, as in Chromium and Go.
    ///
    /// `None` means that no part of `domain` is a public suffix: all of its
    /// top-level domain is one site, where any host may set a cookie for
    /// the whole top-level domain. That is what a private top-level domain
    /// opted into with a `!corp` rule answers (see
    /// [`PublicSuffixList::parse`]), and what [`NoPublicSuffix`] answers for
    /// everything.
    fn public_suffix<'a>(&self, domain: &'a str) -> Option<&'a str>;
}

/// A public suffix list that could not be parsed or read.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PslError(String);

impl fmt::Display for PslError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

impl std::error::Error for PslError {}

/// No public suffixes at all: [`PublicSuffix::public_suffix`] is `None`
/// for every domain, so every top-level domain is one site. **Insecure**:
/// any site may set cookies for its whole top-level domain (`Domain=com`
/// from `www.example.com` is stored and sent to every `.com` site). For
/// tests and closed networks only.
#[derive(Debug, Clone, Copy, Default)]
pub struct NoPublicSuffix;

impl PublicSuffix for NoPublicSuffix {
    fn public_suffix<'a>(&self, _domain: &'a str) -> Option<&'a str> {
        None
    }
}

#[cfg(test)]
mod tests;

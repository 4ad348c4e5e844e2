#![doc = include_str!("lib.md")]
#![cfg_attr(docsrs, feature(doc_cfg))]

mod cookie;
mod jar;
mod parse;
mod persist;
mod psl;
mod serialize;
mod shared;

/// Helpers for `http::HeaderMap` (feature `http`), and reqwest's cookie
/// store for [`SharedJar`] (feature `reqwest`).
#[cfg(feature = "http")]
pub mod http;

pub use cookie::Cookie;
pub use jar::{
    default_path, domain_match, path_match, Exclusion, Explained, Jar, JarBuilder, Limits, Profile,
    Rejection, RequestContext, Stored,
};
pub use persist::{
    Format, LineEnding, LoadError, LoadErrorKind, LoadOptions, LoadReport, Location,
    NetscapeDialect, SaveOptions, SaveReport,
};
pub use psl::{NoPublicSuffix, PslError, PublicSuffix, PublicSuffixList};

pub use parse::{
    parse_cookie_date, parse_cookie_header, parse_cookie_headers, Attributes, CookiePair,
    CookiePairs, HttpDate, NormalizedSetCookie, ParseError, SameSite, SetCookie,
    MAX_ATTRIBUTE_VALUE_BYTES, MAX_NAME_VALUE_BYTES,
};
pub use serialize::{write_cookie_header, BuildError, SetCookieBuilder};
pub use shared::SharedJar;

// The README's examples run as doctests.
#[doc = include_str!("../README.md")]
#[cfg(doctest)]
pub struct ReadmeDoctests;

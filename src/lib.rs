#![doc = include_str!("lib.md")]
#![cfg_attr(docsrs, feature(doc_cfg))]

mod cookie;
#[cfg(feature = "redis")]
#[cfg_attr(docsrs, doc(cfg(feature = "redis")))]
pub mod fleet;
mod hash;
mod jar;
mod parse;
mod persist;
mod psl;
mod serialize;
mod shards;
mod shared;

/// Helpers for `http::HeaderMap` (feature `http`), and reqwest's cookie
/// store for [`SharedJar`] (feature `reqwest`).
#[cfg(feature = "http")]
pub mod http;

/// Importing Firefox and Chromium profiles (feature `browser`).
#[cfg(feature = "browser")]
pub mod import;

pub use cookie::Cookie;
pub use jar::{
    default_path, domain_match, path_match, Change, ChangeKind, ChangeListener, ChangeLog,
    ChangeRecord, CookieIdentity, Exclusion, Explained, Jar, JarBuilder, Limit, Limits, Profile,
    Rejection, RequestContext, Stored,
};
pub use persist::lock::JarFileLock;
pub use persist::update::{UpdateError, UpdateOptions, Updated};
pub use persist::{
    Format, LineEnding, LoadError, LoadErrorKind, LoadOptions, LoadReport, Location,
    NetscapeDialect, SaveOptions, SaveReport,
};
pub use psl::{NoPublicSuffix, PslError, PublicSuffix, PublicSuffixList};

pub use parse::{
    parse_cookie_date, parse_cookie_header, parse_cookie_headers, split_set_cookie_list,
    Attributes, CookiePair, CookiePairs, HttpDate, NormalizedSetCookie, ParseError, SameSite,
    SetCookie, SetCookieList, MAX_ATTRIBUTE_VALUE_BYTES, MAX_NAME_VALUE_BYTES,
};
pub use serialize::{write_cookie_header, BuildError, SetCookieBuilder};
pub use shards::WholeJar;
pub use shared::{RejectedCookie, SharedJar};

#[cfg(feature = "redis")]
pub use fleet::{FailedStore, FleetError, FleetJar, FleetJarBuilder, FleetStatus};

// The README's examples run as doctests. They have no hidden `#` lines (a
// registry page would show them), so the reqwest one needs the feature:
// `cargo test --workspace --all-features` runs them.
#[doc = include_str!("../README.md")]
#[cfg(all(doctest, feature = "reqwest"))]
pub struct ReadmeDoctests;

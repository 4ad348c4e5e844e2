//! Importing the cookies of a browser profile (feature `browser`): the
//! session a person already has in Firefox or Chromium, put into a jar
//! that keeps the RFC rules, explains what it sends, and saves to a
//! portable file.
//!
//! Each browser row becomes a [`Cookie`] and then goes through the same
//! checks as a cookie loaded from a jar file (public suffix, name
//! prefixes, size, limits); a row the jar refuses, or that cannot be read
//! or decrypted, is skipped and reported with its reason. Values never
//! appear in a report or an error.
//!
//! ```no_run
//! use cookiejar::import::{Browser, ImportOptions};
//! use cookiejar::Jar;
//!
//! let mut jar = Jar::new();
//! let report = jar.import_browser(Browser::Firefox, &ImportOptions::new().domain("example.com"))?;
//! for (site, summary) in &report.sites {
//!     println!("{site}: {} imported, {} skipped", summary.imported, summary.skipped);
//! }
//! # Ok::<(), cookiejar::import::ImportError>(())
//! ```
//!
//! Not supported, with an error that says so: Chromium on Windows (DPAPI)
//! and macOS (Keychain), and Chromium's app-bound encryption (`v20`).

mod chromium;
mod crypto;
mod error;
mod firefox;
mod profile;
mod sqlite;

pub use error::{ImportError, ImportErrorKind, SkipReason, SkippedCookie};
pub use profile::find_profile;

use crate::cookie::{to_nanos, utc, Cookie, Rfc2109Attributes};
use crate::jar::Jar;
use crate::parse::SameSite;
use crate::persist::{load, LoadOptions, LoadReport};
use std::collections::BTreeMap;
use std::fmt;
use std::path::{Path, PathBuf};
use std::sync::atomic::AtomicI64;
use time::OffsetDateTime;

/// A browser whose profile can be imported.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum Browser {
    /// Firefox (and Firefox ESR): `cookies.sqlite`, table `moz_cookies`.
    Firefox,
    /// Chromium and Google Chrome on Linux: `Cookies`, table `cookies`.
    Chromium,
}

impl Browser {
    /// The browser's name as the command line spells it.
    pub fn as_str(self) -> &'static str {
        match self {
            Browser::Firefox => "firefox",
            Browser::Chromium => "chromium",
        }
    }
}

impl fmt::Display for Browser {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

impl std::str::FromStr for Browser {
    type Err = String;

    /// `firefox`, or `chromium` (`chrome` is the same format).
    fn from_str(s: &str) -> Result<Self, String> {
        match s.to_ascii_lowercase().as_str() {
            "firefox" | "firefox-esr" => Ok(Browser::Firefox),
            "chromium" | "chrome" | "google-chrome" => Ok(Browser::Chromium),
            _ => Err(format!(
                "unknown browser (expected firefox or chromium): {s:?}"
            )),
        }
    }
}

/// What to import, and from where.
///
/// ```
/// use cookiejar::import::ImportOptions;
///
/// let options = ImportOptions::new()
///     .profile("/home/me/.mozilla/firefox/abcd1234.default-release")
///     .domain("example.com");
/// # let _ = options;
/// ```
#[derive(Clone, Default)]
pub struct ImportOptions {
    profile: Option<PathBuf>,
    domain: Option<String>,
    keyring_secret: Option<Vec<u8>>,
    merge: bool,
}

impl fmt::Debug for ImportOptions {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("ImportOptions")
            .field("profile", &self.profile)
            .field("domain", &self.domain)
            .field(
                "keyring_secret",
                &self.keyring_secret.as_ref().map(|_| "<redacted>"),
            )
            .field("merge", &self.merge)
            .finish()
    }
}

impl ImportOptions {
    /// The default profile of the browser, every site, no keyring secret,
    /// replacing what the jar holds.
    pub fn new() -> Self {
        ImportOptions::default()
    }

    /// The profile to read: a profile directory, a Chromium user data
    /// directory (its `Default` profile is read), or the cookie database
    /// itself. Without one, [`find_profile`] looks in the usual places.
    pub fn profile(mut self, path: impl Into<PathBuf>) -> Self {
        self.profile = Some(path.into());
        self
    }

    /// Only the cookies of this site: its registrable domain (eTLD+1,
    /// under the jar's public suffix list) and every subdomain. A host such
    /// as `www.example.com` selects all of `example.com`.
    pub fn domain(mut self, domain: impl Into<String>) -> Self {
        self.domain = Some(domain.into());
        self
    }

    /// The secret that the desktop keyring (GNOME Keyring, KWallet) holds
    /// for Chromium, for values encrypted as `v11`: for example the output
    /// of `secret-tool lookup application chromium`, without the newline.
    pub fn keyring_secret(mut self, secret: impl Into<Vec<u8>>) -> Self {
        self.keyring_secret = Some(secret.into());
        self
    }

    /// Merge into the jar (the cookie created later wins) instead of
    /// replacing its contents.
    pub fn merge(mut self, merge: bool) -> Self {
        self.merge = merge;
        self
    }
}

/// What was imported for one site (registrable domain).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
#[non_exhaustive]
pub struct SiteSummary {
    /// Cookies that passed the jar's checks.
    pub imported: usize,
    /// Rows skipped (see [`ImportReport::skipped`]).
    pub skipped: usize,
    /// Rows already expired.
    pub expired: usize,
}

/// What an import did.
#[derive(Debug, Default)]
#[non_exhaustive]
pub struct ImportReport {
    /// The cookie database read.
    pub database: PathBuf,
    /// Rows in the database.
    pub rows: usize,
    /// Cookies stored in the jar.
    pub imported: usize,
    /// Rows outside [`ImportOptions::domain`].
    pub filtered_out: usize,
    /// Rows already expired, dropped.
    pub expired: usize,
    /// Cookies evicted to stay within the jar's limits.
    pub evicted: usize,
    /// Rows older than a cookie the jar already held (merge only).
    pub kept_newer: usize,
    /// The first [`ImportReport::MAX_REPORTED`] rows skipped, and why.
    pub skipped: Vec<SkippedCookie>,
    /// How many rows were skipped in all.
    pub skipped_count: usize,
    /// Per site (registrable domain), in order.
    pub sites: BTreeMap<String, SiteSummary>,
}

impl ImportReport {
    /// How many skipped rows [`ImportReport::skipped`] keeps.
    pub const MAX_REPORTED: usize = 100;
}

/// A row as a browser decoder read it, before the jar's checks.
#[derive(Debug)]
pub(crate) struct Decoded {
    pub(crate) cookie: Cookie,
    /// The top-level site of a partitioned cookie (CHIPS, or Firefox's
    /// partitioning of third-party cookies), such as `https://example.org`.
    pub(crate) partition_key: Option<String>,
}

/// The row's identity, for the report and the filter: read before its
/// value, so that a row outside the filter is never decrypted.
#[derive(Debug, Clone, Default)]
pub(crate) struct RowId {
    pub(crate) name: String,
    /// The host column, with its leading dot if it has one.
    pub(crate) host: String,
    pub(crate) path: String,
}

impl RowId {
    fn domain(&self) -> String {
        self.host
            .strip_prefix('.')
            .unwrap_or(&self.host)
            .to_ascii_lowercase()
    }
}

/// Where decoders hand their rows: the filter, the jar's checks, the
/// report. Nothing reaches the jar until [`Intake::finish`].
pub(crate) struct Intake<'j> {
    jar: &'j Jar,
    now: OffsetDateTime,
    filter: Option<String>,
    cookies: Vec<Cookie>,
    report: ImportReport,
}

impl<'j> Intake<'j> {
    pub(crate) fn new(
        jar: &'j Jar,
        domain: Option<&str>,
        database: &Path,
        now: OffsetDateTime,
    ) -> Result<Self, ImportError> {
        let filter = match domain {
            None => None,
            Some(d) => {
                let canonical = crate::jar::host::canonicalize_domain(
                    d.trim().trim_start_matches('.').trim_end_matches('.'),
                )
                .ok_or_else(|| ImportError::new(ImportErrorKind::InvalidDomain(d.to_owned())))?;
                Some(jar.site_of(&canonical).to_owned())
            }
        };
        Ok(Intake {
            jar,
            now,
            filter,
            cookies: Vec::new(),
            report: ImportReport {
                database: database.to_path_buf(),
                ..ImportReport::default()
            },
        })
    }

    /// True if the row is inside the filter; counts it either way.
    pub(crate) fn wants(&mut self, id: &RowId) -> bool {
        self.report.rows += 1;
        let wanted = match &self.filter {
            None => true,
            Some(site) => {
                let domain = id.domain();
                domain == *site
                    || domain
                        .strip_suffix(site.as_str())
                        .is_some_and(|rest| rest.ends_with('.'))
            }
        };
        if !wanted {
            self.report.filtered_out += 1;
        }
        wanted
    }

    /// One wanted row, decoded or not.
    pub(crate) fn take(&mut self, id: RowId, decoded: Result<Decoded, SkipReason>) {
        let domain = id.domain();
        let site = self.jar.site_of(&domain).to_owned();
        let reason: Option<SkipReason> = match decoded {
            Err(reason) => Some(reason),
            // Partitioned by the browser's own rule (Firefox's Total
            // Cookie Protection), not by the `Partitioned` attribute: the
            // jar partitions only CHIPS cookies, and as an unpartitioned
            // cookie it would be sent outside its partition.
            Ok(Decoded {
                partition_key: Some(top_level_site),
                cookie,
            }) if !cookie.partitioned => Some(SkipReason::Partitioned { top_level_site }),
            Ok(Decoded {
                mut cookie,
                partition_key,
            }) => {
                cookie.partition_key = partition_key.map(|k| Box::new(k.into_boxed_str()));
                self.admit(cookie, &site)
            }
        };
        let Some(reason) = reason else { return };
        self.skip(id, reason, &site);
    }

    /// The jar's checks; `None` if the cookie was admitted (or expired).
    fn admit(&mut self, cookie: Cookie, site: &str) -> Option<SkipReason> {
        match self.jar.admit_loaded(cookie, self.now) {
            Ok(cookie) if cookie.is_expired_at(self.now) => {
                self.report.expired += 1;
                self.report
                    .sites
                    .entry(site.to_owned())
                    .or_default()
                    .expired += 1;
                None
            }
            Ok(cookie) => {
                self.report
                    .sites
                    .entry(site.to_owned())
                    .or_default()
                    .imported += 1;
                self.cookies.push(cookie);
                None
            }
            Err(rejection) => Some(SkipReason::Rejected(rejection)),
        }
    }

    fn skip(&mut self, id: RowId, reason: SkipReason, site: &str) {
        self.report
            .sites
            .entry(site.to_owned())
            .or_default()
            .skipped += 1;
        self.report.skipped_count += 1;
        if self.report.skipped.len() < ImportReport::MAX_REPORTED {
            self.report.skipped.push(SkippedCookie {
                name: id.name,
                domain: id.host,
                path: id.path,
                reason,
            });
        }
    }

    /// The import's "now", for a row without a creation or access time.
    pub(crate) fn now(&self) -> OffsetDateTime {
        self.now
    }

    /// The admitted cookies and the report, for [`apply`].
    fn finish(self) -> (Vec<Cookie>, ImportReport) {
        (self.cookies, self.report)
    }
}

/// Puts the admitted cookies into the jar, as a jar file's load does.
fn apply(
    jar: &mut Jar,
    cookies: Vec<Cookie>,
    mut report: ImportReport,
    merge: bool,
    now: OffsetDateTime,
) -> ImportReport {
    let options = LoadOptions {
        merge,
        ..LoadOptions::default()
    };
    let mut loaded = LoadReport::default();
    load::apply(jar, cookies, options, now, &mut loaded);
    report.imported = loaded.loaded;
    report.evicted = loaded.evicted;
    report.kept_newer = loaded.kept_newer;
    report.expired += loaded.expired;
    report
}

/// A cookie as a browser row describes it. `host` keeps the browsers'
/// convention: a leading dot means a domain cookie, none a host-only one.
#[allow(clippy::too_many_arguments)]
pub(crate) fn cookie(
    id: &RowId,
    value: String,
    expiry_time: Option<OffsetDateTime>,
    creation_time: OffsetDateTime,
    last_access_time: OffsetDateTime,
    secure_only: bool,
    http_only: bool,
    same_site: Option<SameSite>,
    partitioned: bool,
) -> Cookie {
    Cookie {
        name: id.name.as_str().into(),
        value: value.into(),
        domain: id.domain().into(),
        path: id.path.as_str().into(),
        expiry_time: expiry_time.map(utc),
        creation_time: utc(creation_time),
        last_access_time: AtomicI64::new(to_nanos(last_access_time)),
        host_only: !id.host.starts_with('.'),
        secure_only,
        http_only,
        same_site,
        partitioned,
        partition_key: None,
        priority: crate::cookie::Priority::Medium,
        rfc2109: Rfc2109Attributes::LOADED,
    }
}

/// Microseconds since the Unix epoch, saturating at the ends of `time`'s
/// range (the jar then clamps to what its formats can write).
pub(crate) fn from_unix_micros(us: i64) -> OffsetDateTime {
    OffsetDateTime::from_unix_timestamp_nanos(i128::from(us) * 1000).unwrap_or(if us < 0 {
        OffsetDateTime::UNIX_EPOCH
    } else {
        crate::cookie::LATEST
    })
}

impl Jar {
    /// Imports the cookies of a browser profile at `now`: the default
    /// profile ([`find_profile`] under `$HOME`) unless
    /// [`ImportOptions::profile`] names one. The database is read from a
    /// private copy, so a running browser (which holds it locked) is no
    /// obstacle. Unless [`ImportOptions::merge`], the jar's contents are
    /// replaced; after an error the jar is unchanged.
    ///
    /// # Errors
    ///
    /// No profile or database, a database that cannot be read or has an
    /// unknown schema, values encrypted in a way that is not supported or
    /// with a key not given (see [`ImportErrorKind`]). A row that cannot be
    /// used is not an error: it is skipped and reported.
    pub fn import_browser_at(
        &mut self,
        browser: Browser,
        options: &ImportOptions,
        now: OffsetDateTime,
    ) -> Result<ImportReport, ImportError> {
        let profile = match &options.profile {
            Some(p) => p.clone(),
            None => {
                let home = std::env::var_os("HOME").map(PathBuf::from).ok_or_else(|| {
                    ImportError::new(ImportErrorKind::NoProfile {
                        browser,
                        searched: Vec::new(),
                    })
                })?;
                find_profile(browser, &home)?
            }
        };
        let database = profile::database(browser, &profile)?;
        let (cookies, report) = {
            let mut intake = Intake::new(self, options.domain.as_deref(), &database, now)?;
            match browser {
                Browser::Firefox => firefox::read(&database, &mut intake)?,
                Browser::Chromium => {
                    chromium::read(&database, options.keyring_secret.as_deref(), &mut intake)?
                }
            }
            intake.finish()
        };
        Ok(apply(self, cookies, report, options.merge, now))
    }

    /// [`Jar::import_browser_at`] at the system clock's time.
    ///
    /// # Errors
    ///
    /// As [`Jar::import_browser_at`].
    pub fn import_browser(
        &mut self,
        browser: Browser,
        options: &ImportOptions,
    ) -> Result<ImportReport, ImportError> {
        self.import_browser_at(browser, options, OffsetDateTime::now_utc())
    }
}

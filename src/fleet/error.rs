//! What can go wrong in a fleet jar: the errors of its calls, and the
//! record of a queued store that failed after its call had returned.

use crate::jar::Rejection;
use std::fmt;
use url::Url;

/// Why a fleet jar could not be opened or could not make a change.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub enum FleetError {
    /// The URL is not a `redis://` or `rediss://` URL the client accepts.
    InvalidUrl(String),
    /// The jar name is not 1 to 128 letters, digits or `-_.:/@`.
    InvalidJarName(String),
    /// Redis could not be reached, or refused the request (a wrong
    /// password, an ACL user without the jar's keys). `maybe_logged` says whether the change
    /// may still have reached the log (the connection failed after the
    /// request was sent); if it did, every replica applies it.
    Unavailable {
        /// The Redis error, with the server's address (never a password).
        reason: String,
        /// False when the change certainly did not reach Redis.
        maybe_logged: bool,
    },
    /// The change is in the log, but this replica has not applied it
    /// within the timeout (it is behind, or lost its connection since).
    NotYetApplied,
    /// The change is in the log and applied, but this replica caught up
    /// through a snapshot that already held it, so its outcome is unknown.
    OutcomeUnknown,
    /// The jar refused the cookie (the same answer as a local jar's).
    Rejected(Rejection),
    /// The stored snapshot is not one this version can read.
    BadSnapshot(String),
}

impl fmt::Display for FleetError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            FleetError::InvalidUrl(e) => write!(f, "invalid Redis URL: {e}"),
            FleetError::InvalidJarName(name) => write!(
                f,
                "invalid jar name {name:?}: use 1 to 128 letters, digits or -_.:/@"
            ),
            FleetError::Unavailable {
                reason,
                maybe_logged: false,
            } => write!(
                f,
                "Redis is unreachable or refused the request ({reason}): the change was not stored; lookups still answer from this process's replica"
            ),
            FleetError::Unavailable { reason, .. } => write!(
                f,
                "the connection to Redis failed during the change ({reason}): it is in the fleet's log only if Redis received it before the failure"
            ),
            FleetError::NotYetApplied => f.write_str(
                "the change is in the fleet's log, but this replica has not applied it yet",
            ),
            FleetError::OutcomeUnknown => f.write_str(
                "the change is in the fleet's log and applied, but its outcome is unknown (this replica caught up from a snapshot)",
            ),
            FleetError::Rejected(rejection) => write!(f, "{rejection}"),
            FleetError::BadSnapshot(e) => write!(f, "the fleet's snapshot cannot be read: {e}"),
        }
    }
}

impl std::error::Error for FleetError {}

impl From<Rejection> for FleetError {
    fn from(rejection: Rejection) -> Self {
        FleetError::Rejected(rejection)
    }
}

/// A store made without waiting for Redis (reqwest's `CookieStore`,
/// [`FleetJar::queue_cookie`](super::FleetJar::queue_cookie)) that did not
/// become part of the fleet's jar: the jar refused it, or it could not be
/// written to Redis in time. Kept for
/// [`FleetJar::take_failures`](super::FleetJar::take_failures); never the
/// cookie's value, which may be a secret.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub struct FailedStore {
    /// The URL of the response that sent the `Set-Cookie`.
    pub url: Url,
    /// The cookie's name, if the header has one.
    pub name: Option<String>,
    /// Why: [`FleetError::Rejected`] with the jar's reason, or
    /// [`FleetError::Unavailable`] (with `maybe_logged: true` the store
    /// may still be in the log, and then every replica, this one
    /// included, applies it).
    pub error: FleetError,
}

impl FailedStore {
    pub(crate) fn new(url: &Url, header: &str, error: FleetError) -> Self {
        let name = crate::parse::SetCookie::parse(header)
            .ok()
            .map(|sc| sc.name().to_owned())
            .filter(|name| !name.is_empty());
        FailedStore {
            url: url.clone(),
            name,
            error,
        }
    }
}

impl fmt::Display for FailedStore {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match &self.name {
            Some(name) => write!(f, "cookie {name:?} from {}: {}", self.url, self.error),
            None => write!(f, "a cookie from {}: {}", self.url, self.error),
        }
    }
}

//! reqwest's `CookieStore` for [`FleetJar`] (features `redis` and
//! `reqwest` or `reqwest-0-12`).
//!
//! reqwest calls its cookie store synchronously from async code, on the
//! runtime's thread: a wait for Redis there would stall every task on it.
//! So `cookies` reads this process's view and `set_cookies` queues each
//! `Set-Cookie` ([`FleetJar::queue_cookie_with`]): applied at once to the
//! view, written to the log by the writer thread, refusals and failures
//! reported by [`FleetJar::take_failures`].

use super::{FailedStore, FleetError, FleetJar};
use crate::jar::{Rejection, RequestContext};
use crate::parse::ParseError;
use http::HeaderValue;
use time::OffsetDateTime;
use url::Url;

impl FleetJar {
    /// What `CookieStore::set_cookies` does: every value queued, in order.
    fn queue_header_values(&self, values: &mut dyn Iterator<Item = &HeaderValue>, url: &Url) {
        let now = OffsetDateTime::now_utc();
        for value in values {
            match std::str::from_utf8(value.as_bytes()) {
                Ok(text) => self.queue_cookie_with(url, text, RequestContext::default(), now),
                Err(_) => {
                    let error = FleetError::Rejected(Rejection::Parse(ParseError::InvalidUtf8));
                    let header = String::from_utf8_lossy(value.as_bytes());
                    self.shared
                        .record_failure(FailedStore::new(url, &header, error));
                }
            }
        }
    }

    /// What `CookieStore::cookies` does.
    fn cookie_header_value(&self, url: &Url) -> Option<HeaderValue> {
        let header = self.cookie_header(url)?;
        HeaderValue::from_bytes(header.as_bytes()).ok()
    }
}

/// reqwest 0.13's cookie store (feature `reqwest`): no call waits for
/// Redis. A cookie a response sets is in the very next request of this
/// process (a login's redirect), and in the other processes' requests
/// once their followers have read it from the log.
///
/// ```no_run
/// let jar = cookiejar::FleetJar::open("redis://127.0.0.1/0", "crawl-42")?;
/// let client = reqwest::Client::builder()
///     .cookie_provider(std::sync::Arc::new(jar.clone()))
///     .build()?;
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
#[cfg(feature = "reqwest")]
impl reqwest::cookie::CookieStore for FleetJar {
    fn set_cookies(&self, cookie_headers: &mut dyn Iterator<Item = &HeaderValue>, url: &Url) {
        self.queue_header_values(cookie_headers, url);
    }

    fn cookies(&self, url: &Url) -> Option<HeaderValue> {
        self.cookie_header_value(url)
    }
}

/// reqwest 0.12's cookie store (feature `reqwest-0-12`), the same as the
/// one for reqwest 0.13.
#[cfg(feature = "reqwest-0-12")]
impl reqwest_0_12::cookie::CookieStore for FleetJar {
    fn set_cookies(&self, cookie_headers: &mut dyn Iterator<Item = &HeaderValue>, url: &Url) {
        self.queue_header_values(cookie_headers, url);
    }

    fn cookies(&self, url: &Url) -> Option<HeaderValue> {
        self.cookie_header_value(url)
    }
}

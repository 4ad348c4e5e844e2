//! Helpers for `http::HeaderMap` (feature `http`): store every `Set-Cookie`
//! of a response, and add the `Cookie` header to a request.

use crate::jar::{Jar, Rejection, Stored};
use crate::parse::ParseError;
use crate::shared::{RejectedCookie, SharedJar};
use http::header::{HeaderMap, HeaderValue, COOKIE, SET_COOKIE};
use time::OffsetDateTime;
use url::Url;

/// Stores every `Set-Cookie` field of a response from `url`, in order; one
/// result per field. Values that are not UTF-8 are refused
/// (`ParseError::InvalidUtf8`); UTF-8 beyond ASCII is accepted.
///
/// ```
/// use cookiejar::{http::store_response_cookies_at, Jar};
/// use http::{header::SET_COOKIE, HeaderMap};
///
/// let mut headers = HeaderMap::new();
/// headers.append(SET_COOKIE, "a=1".parse().unwrap());
/// headers.append(SET_COOKIE, "b=2; Domain=example.com".parse().unwrap());
/// let mut jar = Jar::new();
/// let url = url::Url::parse("https://www.example.com/")?;
/// let results = store_response_cookies_at(&mut jar, &url, &headers, time::OffsetDateTime::now_utc());
/// assert!(results.iter().all(Result::is_ok));
/// # Ok::<(), url::ParseError>(())
/// ```
pub fn store_response_cookies_at(
    jar: &mut Jar,
    url: &Url,
    headers: &HeaderMap,
    now: OffsetDateTime,
) -> Vec<Result<Stored, Rejection>> {
    headers
        .get_all(SET_COOKIE)
        .iter()
        .map(|value| match std::str::from_utf8(value.as_bytes()) {
            Ok(text) => jar.set_cookie_at(url, text, now),
            Err(_) => Err(Rejection::Parse(ParseError::InvalidUtf8)),
        })
        .collect()
}

/// Adds the jar's cookies for `url` to a request's headers. RFC 6265
/// section 5.4 allows one `Cookie` field, so cookies already in `headers`
/// are kept in front of the jar's in that one field. Returns whether the
/// jar added any.
///
/// ```
/// use cookiejar::{http::add_cookie_header_at, Jar};
/// use http::{header::COOKIE, HeaderMap};
///
/// let mut jar = Jar::new();
/// let url = url::Url::parse("https://example.com/")?;
/// let now = time::OffsetDateTime::now_utc();
/// jar.set_cookie_at(&url, "sid=1", now).unwrap();
/// let mut headers = HeaderMap::new();
/// headers.insert(COOKIE, "manual=x".parse().unwrap());
/// assert!(add_cookie_header_at(&jar, &url, &mut headers, now));
/// assert_eq!(headers[COOKIE], "manual=x; sid=1");
/// # Ok::<(), url::ParseError>(())
/// ```
pub fn add_cookie_header_at(
    jar: &Jar,
    url: &Url,
    headers: &mut HeaderMap,
    now: OffsetDateTime,
) -> bool {
    match jar.cookie_header_at(url, now) {
        Some(ours) => add_to_cookie_field(&ours, headers),
        None => false,
    }
}

/// Puts `ours` after the cookies already in `headers`, in one `Cookie`
/// field; false if the result is not a valid field value.
fn add_to_cookie_field(ours: &str, headers: &mut HeaderMap) -> bool {
    let existing: Vec<&[u8]> = headers
        .get_all(COOKIE)
        .iter()
        .map(HeaderValue::as_bytes)
        .collect();
    let mut joined = existing.join(&b"; "[..]);
    if !joined.is_empty() {
        joined.extend_from_slice(b"; ");
    }
    joined.extend_from_slice(ours.as_bytes());
    match HeaderValue::from_bytes(&joined) {
        Ok(value) => {
            headers.insert(COOKIE, value);
            true
        }
        Err(_) => false,
    }
}

impl SharedJar {
    /// [`store_response_cookies_at`], each cookie in its shard; refusals
    /// are also logged (see [`SharedJar::take_rejections`]).
    pub fn store_response_cookies_at(
        &self,
        url: &Url,
        headers: &HeaderMap,
        now: OffsetDateTime,
    ) -> Vec<Result<Stored, Rejection>> {
        headers
            .get_all(SET_COOKIE)
            .iter()
            .map(|value| match std::str::from_utf8(value.as_bytes()) {
                Ok(text) => self.set_cookie_at(url, text, now),
                Err(_) => {
                    let rejection = Rejection::Parse(ParseError::InvalidUtf8);
                    self.log_rejection(RejectedCookie::new(url, value.as_bytes(), rejection));
                    Err(rejection)
                }
            })
            .collect()
    }

    /// [`add_cookie_header_at`] under the read lock of one shard.
    pub fn add_cookie_header_at(
        &self,
        url: &Url,
        headers: &mut HeaderMap,
        now: OffsetDateTime,
    ) -> bool {
        match self.cookie_header_at(url, now) {
            Some(ours) => add_to_cookie_field(&ours, headers),
            None => false,
        }
    }
}

impl SharedJar {
    /// What reqwest's `CookieStore::set_cookies` does: every value through
    /// the jar's rules, each in its shard, refusals logged.
    #[cfg(any(feature = "reqwest", feature = "reqwest-0-12"))]
    fn store_header_values(&self, values: &mut dyn Iterator<Item = &HeaderValue>, url: &Url) {
        let now = OffsetDateTime::now_utc();
        for value in values {
            match std::str::from_utf8(value.as_bytes()) {
                // `set_cookie_at` logs its own refusals.
                Ok(text) => drop(self.set_cookie_at(url, text, now)),
                Err(_) => self.log_rejection(RejectedCookie::new(
                    url,
                    value.as_bytes(),
                    Rejection::Parse(ParseError::InvalidUtf8),
                )),
            }
        }
    }

    /// What reqwest's `CookieStore::cookies` does.
    #[cfg(any(feature = "reqwest", feature = "reqwest-0-12"))]
    fn cookie_header_value(&self, url: &Url) -> Option<HeaderValue> {
        let header = self.cookie_header(url)?;
        HeaderValue::from_bytes(header.as_bytes()).ok()
    }
}

/// reqwest 0.13's cookie store (feature `reqwest`): every `Set-Cookie` of
/// every response, redirects included, goes through the jar's rules;
/// refusals are kept in [`SharedJar::take_rejections`]. For reqwest 0.12,
/// the feature is `reqwest-0-12`.
///
/// ```
/// let jar = cookiejar::SharedJar::default();
/// let client = reqwest::Client::builder().cookie_provider(std::sync::Arc::new(jar.clone())).build();
/// assert!(client.is_ok());
/// ```
#[cfg(feature = "reqwest")]
impl reqwest::cookie::CookieStore for SharedJar {
    fn set_cookies(&self, cookie_headers: &mut dyn Iterator<Item = &HeaderValue>, url: &Url) {
        self.store_header_values(cookie_headers, url);
    }

    fn cookies(&self, url: &Url) -> Option<HeaderValue> {
        self.cookie_header_value(url)
    }
}

/// reqwest 0.12's cookie store (feature `reqwest-0-12`), the same as the
/// one for reqwest 0.13. reqwest 0.12 and 0.13 share the `http` 1 header
/// types, so one jar can serve clients of both.
#[cfg(feature = "reqwest-0-12")]
impl reqwest_0_12::cookie::CookieStore for SharedJar {
    fn set_cookies(&self, cookie_headers: &mut dyn Iterator<Item = &HeaderValue>, url: &Url) {
        self.store_header_values(cookie_headers, url);
    }

    fn cookies(&self, url: &Url) -> Option<HeaderValue> {
        self.cookie_header_value(url)
    }
}

#[cfg(all(test, feature = "reqwest-0-12"))]
mod reqwest_0_12_tests {
    use crate::SharedJar;
    use http::HeaderValue;
    use reqwest_0_12::cookie::CookieStore;
    use std::sync::Arc;
    use url::Url;

    #[test]
    fn a_reqwest_0_12_client_takes_the_jar_and_its_rules_apply() {
        let jar = SharedJar::default();
        let client = reqwest_0_12::Client::builder()
            .cookie_provider(Arc::new(jar.clone()))
            .build();
        assert!(client.is_ok());
        let url = Url::parse("https://www.example.com/").unwrap_or_else(|e| panic!("{e}"));
        let values = [
            HeaderValue::from_static("sid=1; Secure"),
            HeaderValue::from_static("evil=1; Domain=com"),
        ];
        CookieStore::set_cookies(&jar, &mut values.iter(), &url);
        assert_eq!(
            CookieStore::cookies(&jar, &url),
            Some(HeaderValue::from_static("sid=1"))
        );
        let refused = jar.take_rejections();
        let reasons: Vec<_> = refused.iter().map(|r| r.reason).collect();
        assert_eq!(reasons, [crate::Rejection::PublicSuffix]);
        assert_eq!(refused[0].name.as_deref(), Some("evil"));
        assert_eq!(refused[0].domain_attribute.as_deref(), Some("com"));
    }
}

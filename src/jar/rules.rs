//! Rules a cookie must meet whatever brought it in, a `Set-Cookie` header
//! or a jar file, so that both paths refuse the same cookies for the same
//! reason.

use super::{Rejection, MAX_AGE_CAP};
use crate::cookie::clamp_instant;
use time::OffsetDateTime;

/// A cookie's expiry as the jar keeps it: within what every jar format
/// can write, and under RFC 6265bis (`capped`) at most 400 days after `now`
/// (sections 5.6.1 and 5.6.2: "the user agent MUST limit the maximum value
/// of the Expires attribute").
pub(crate) fn kept_expiry(
    expiry: OffsetDateTime,
    now: OffsetDateTime,
    capped: bool,
) -> OffsetDateTime {
    let expiry = clamp_instant(expiry);
    match (capped, now.checked_add(MAX_AGE_CAP)) {
        (true, Some(cap)) => expiry.min(clamp_instant(cap)),
        _ => expiry,
    }
}

/// RFC 6265bis section 4.1.3: the name prefixes, matched without regard to
/// ASCII case (section 5.7 steps 20 to 23).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Prefix {
    /// `__Secure-`: only with `Secure` (section 4.1.3.1).
    Secure,
    /// `__Host-`: `Secure`, host-only and `Path=/` (section 4.1.3.2).
    Host,
    /// `__Http-`: `Secure` and `HttpOnly`, so set by an HTTP API only
    /// (draft-ietf-httpbis-rfc6265bis-20 section 4.1.3.3).
    Http,
    /// `__Host-Http-`: the `__Host-` rules and `HttpOnly` (section 4.1.3.4).
    HostHttp,
}

/// The prefix a cookie would be read as. A nameless cookie is sent as its
/// bare value (RFC 6265bis section 5.8.3 step 4.1), so its value is what a
/// server would read as the name: `=__Host-sid=x` must not pass for a
/// `__Host-` cookie it is not.
pub(crate) fn prefix(name: &str, value: &str) -> Option<Prefix> {
    let read_as = if name.is_empty() { value } else { name };
    let starts = |p: &str| {
        read_as
            .get(..p.len())
            .is_some_and(|head| head.eq_ignore_ascii_case(p))
    };
    if starts("__Secure-") {
        Some(Prefix::Secure)
    } else if starts("__Http-") {
        Some(Prefix::Http)
    } else if starts("__Host-Http-") {
        Some(Prefix::HostHttp)
    } else if starts("__Host-") {
        Some(Prefix::Host)
    } else {
        None
    }
}

/// What the prefix rules look at in a finished cookie.
#[derive(Debug, Clone, Copy)]
pub(crate) struct PrefixFacts {
    pub(crate) secure: bool,
    pub(crate) http_only: bool,
    pub(crate) host_only: bool,
    /// Whether the cookie's path is exactly `/` (for a `Set-Cookie`,
    /// whether it had an explicit `Path=/`).
    pub(crate) path_is_root: bool,
    /// Whether it came from a secure origin (a file has no origin: true).
    pub(crate) secure_origin: bool,
}

/// The prefix rules for a finished cookie. A nameless cookie never
/// satisfies a prefix. An `HttpOnly` cookie reaches this check only from an
/// HTTP API (RFC 6265 section 5.3 step 10 refused it otherwise), which is
/// what `__Http-` and `__Host-Http-` ask for besides the flag.
pub(crate) fn check_prefix(name: &str, value: &str, f: PrefixFacts) -> Result<(), Rejection> {
    let nameless = name.is_empty();
    let secure = !nameless && f.secure && f.secure_origin;
    let host = secure && f.host_only && f.path_is_root;
    match prefix(name, value) {
        Some(Prefix::Secure) if !secure => Err(Rejection::SecurePrefix),
        Some(Prefix::Host) if !host => Err(Rejection::HostPrefix),
        Some(Prefix::Http) if !(secure && f.http_only) => Err(Rejection::HttpPrefix),
        Some(Prefix::HostHttp) if !(host && f.http_only) => Err(Rejection::HostHttpPrefix),
        _ => Ok(()),
    }
}

/// RFC 2109 section 4.3.4 (and RFC 2965 section 3.3.4, which adds
/// `$Port`) reserve `$Version`, `$Path`, `$Domain` and `$Port` as
/// attributes in the `Cookie` header. A cookie named `$Path` would be sent
/// as `sid=abc; $Path=/x`, which an RFC 2109 server (and this crate's own
/// parser) reads as an attribute of the cookie before it, so the
/// `Rfc6265bis` and `Rfc2109` profiles refuse such names (in any case),
/// and a nameless cookie whose value would be sent as one. Other names
/// that begin with `$` mean nothing to anyone and are kept; the `Rfc6265`
/// profile keeps them all, as RFC 6265 and its test suite do.
pub(crate) fn check_reserved_name(name: &str, value: &str) -> Result<(), Rejection> {
    let read_as = if name.is_empty() {
        value.split('=').next().unwrap_or(value)
    } else {
        name
    };
    let reserved = ["$Version", "$Path", "$Domain", "$Port"]
        .iter()
        .any(|r| read_as.trim_end().eq_ignore_ascii_case(r));
    match reserved {
        true => Err(Rejection::ReservedName),
        false => Ok(()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn prefixes_are_read_from_the_name_or_a_nameless_value() {
        let cases = [
            ("__Secure-a", "1", Some(Prefix::Secure)),
            ("__SECURE-a", "1", Some(Prefix::Secure)),
            ("__host-a", "1", Some(Prefix::Host)),
            ("", "__Host-sid=attacker", Some(Prefix::Host)),
            ("", "__secure-x", Some(Prefix::Secure)),
            ("a", "__Host-x", None),
            ("__Http-a", "1", Some(Prefix::Http)),
            ("__HTTP-a", "1", Some(Prefix::Http)),
            ("__Host-Http-a", "1", Some(Prefix::HostHttp)),
            ("__host-http-a", "1", Some(Prefix::HostHttp)),
            ("__Host-Httpa", "1", Some(Prefix::Host)),
            ("__Http", "1", None),
            ("__Secure", "1", None),
            ("", "", None),
        ];
        for (name, value, want) in cases {
            assert_eq!(prefix(name, value), want, "{name:?}={value:?}");
        }
    }

    #[test]
    fn prefix_rules_table() {
        use Rejection::{HostHttpPrefix, HostPrefix, HttpPrefix, SecurePrefix};
        // (name, value, secure, http_only, host_only, path_is_root, secure_origin, want)
        let cases = [
            ("__Secure-a", "1", true, false, false, false, true, Ok(())),
            (
                "__Secure-a",
                "1",
                false,
                false,
                false,
                false,
                true,
                Err(SecurePrefix),
            ),
            (
                "__Secure-a",
                "1",
                true,
                false,
                false,
                false,
                false,
                Err(SecurePrefix),
            ),
            ("__Host-a", "1", true, false, true, true, true, Ok(())),
            (
                "__Host-a",
                "1",
                true,
                false,
                false,
                true,
                true,
                Err(HostPrefix),
            ),
            (
                "__Host-a",
                "1",
                true,
                false,
                true,
                false,
                true,
                Err(HostPrefix),
            ),
            (
                "__Host-a",
                "1",
                false,
                false,
                true,
                true,
                true,
                Err(HostPrefix),
            ),
            (
                "",
                "__Host-sid=x",
                true,
                false,
                true,
                true,
                true,
                Err(HostPrefix),
            ),
            (
                "",
                "__Secure-sid=x",
                true,
                false,
                true,
                true,
                true,
                Err(SecurePrefix),
            ),
            ("plain", "1", false, false, false, false, false, Ok(())),
            // draft-ietf-httpbis-rfc6265bis-20 sections 4.1.3.3 and 4.1.3.4.
            ("__Http-a", "1", true, true, false, false, true, Ok(())),
            ("__http-a", "1", true, true, false, false, true, Ok(())),
            (
                "__Http-a",
                "1",
                true,
                false,
                false,
                false,
                true,
                Err(HttpPrefix),
            ),
            (
                "__Http-a",
                "1",
                false,
                true,
                false,
                false,
                true,
                Err(HttpPrefix),
            ),
            (
                "__Http-a",
                "1",
                true,
                true,
                false,
                false,
                false,
                Err(HttpPrefix),
            ),
            (
                "",
                "__Http-a=1",
                true,
                true,
                true,
                true,
                true,
                Err(HttpPrefix),
            ),
            ("__Host-Http-a", "1", true, true, true, true, true, Ok(())),
            ("__HOST-HTTP-a", "1", true, true, true, true, true, Ok(())),
            (
                "__Host-Http-a",
                "1",
                true,
                false,
                true,
                true,
                true,
                Err(HostHttpPrefix),
            ),
            (
                "__Host-Http-a",
                "1",
                true,
                true,
                false,
                true,
                true,
                Err(HostHttpPrefix),
            ),
            (
                "__Host-Http-a",
                "1",
                true,
                true,
                true,
                false,
                true,
                Err(HostHttpPrefix),
            ),
            (
                "__Host-Http-a",
                "1",
                false,
                true,
                true,
                true,
                true,
                Err(HostHttpPrefix),
            ),
            (
                "",
                "__Host-Http-a=1",
                true,
                true,
                true,
                true,
                true,
                Err(HostHttpPrefix),
            ),
        ];
        for (name, value, secure, http_only, host_only, path_is_root, secure_origin, want) in cases
        {
            let facts = PrefixFacts {
                secure,
                http_only,
                host_only,
                path_is_root,
                secure_origin,
            };
            assert_eq!(check_prefix(name, value, facts), want, "{name:?}={value:?}");
        }
    }

    #[test]
    fn dollar_names_are_reserved() {
        assert_eq!(
            check_reserved_name("$Path", "/x"),
            Err(Rejection::ReservedName)
        );
        assert_eq!(
            check_reserved_name("", "$Version=1"),
            Err(Rejection::ReservedName)
        );
        assert_eq!(check_reserved_name("a", "$1"), Ok(()));
        assert_eq!(check_reserved_name("a$", "1"), Ok(()));
    }
}

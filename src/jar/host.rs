//! Hosts and domains: canonicalization (RFC 6265 section 5.1.2), domain
//! matching (section 5.1.3), IP literals, secure origins, and the
//! registrable domain the jar indexes by. Pure functions.

use crate::psl::PublicSuffix;
use std::borrow::Cow;
use std::net::IpAddr;
use url::{Host, Url};

/// The canonicalized host of a request URL (RFC 6265 section 5.1.2): lower
/// case, A-labels (the `url` crate applies IDNA to http(s) hosts), IPv6
/// without brackets; and whether it is an IP address. Borrowed when the URL
/// already holds it in that form, which is the common case. `None` for a
/// URL without a host (`data:`, `file:`).
pub(crate) fn canonical_request_host(url: &Url) -> Option<(Cow<'_, str>, bool)> {
    match url.host()? {
        // A special scheme's host is already lower case (the URL standard's
        // domain-to-ASCII); only an opaque host may hold upper case.
        Host::Domain(d) if !is_special(url) && d.bytes().any(|b| b.is_ascii_uppercase()) => {
            Some((Cow::Owned(d.to_ascii_lowercase()), false))
        }
        Host::Domain(d) => Some((Cow::Borrowed(d), false)),
        Host::Ipv4(ip) => Some((Cow::Owned(ip.to_string()), true)),
        Host::Ipv6(ip) => Some((Cow::Owned(ip.to_string()), true)),
    }
}

/// A special scheme of the URL standard, whose hosts the `url` crate
/// parses: lower case, and an IP address never left as a domain.
pub(crate) fn is_special(url: &Url) -> bool {
    matches!(url.scheme(), "http" | "https" | "ws" | "wss" | "ftp")
}

/// Canonicalizes a `Domain` attribute value (RFC 6265 section 5.2.3 lower
/// case, section 5.1.2 IDNA to A-labels). IP literals come back in their
/// normal text form. `None` if the value is not a valid domain name.
pub(crate) fn canonicalize_domain(domain: &str) -> Option<Cow<'_, str>> {
    let bare = domain
        .strip_prefix('[')
        .and_then(|d| d.strip_suffix(']'))
        .unwrap_or(domain);
    // Only a value ending in a digit or holding a colon can be an IP
    // literal (see `is_ip_literal`); the others skip the address parser.
    if bare.len() < domain.len() || is_ip_literal(bare) {
        if let Ok(ip) = bare.parse::<IpAddr>() {
            return Some(Cow::Owned(ip.to_string()));
        }
    }
    // No empty label: a leading dot (after the one RFC 6265 section 5.2.3
    // strips), two dots in a row or a trailing dot names no host, and a
    // domain kept in that form would not survive a round trip through a
    // file (`cookies.txt` strips one leading dot).
    if domain.is_ascii() {
        // The common case: no IDNA mapping needed, only the character set
        // and the labels.
        // Borrowed when already lower case (as servers nearly always
        // send it): no allocation until the cookie is filed.
        return is_ascii_domain(domain).then(|| {
            match domain.bytes().any(|b| b.is_ascii_uppercase()) {
                true => Cow::Owned(domain.to_ascii_lowercase()),
                false => Cow::Borrowed(domain),
            }
        });
    }
    let labels_ok = |d: &str| !d.is_empty() && d.split('.').all(|label| !label.is_empty());
    idna::domain_to_ascii(domain)
        .ok()
        .filter(|d| labels_ok(d))
        .map(Cow::Owned)
}

/// An ASCII domain name of letters, digits, `-` and `_` in labels that are
/// none of them empty (no leading, trailing or doubled dot), in one pass
/// over the bytes. What `canonicalize_domain` accepts of an ASCII value,
/// and what a request host must be to name a host-only cookie (a jar file
/// could not hold another).
pub(crate) fn is_ascii_domain(domain: &str) -> bool {
    let mut after_dot = true;
    for b in domain.bytes() {
        let dot = b == b'.';
        let ok = b.is_ascii_alphanumeric() || matches!(b, b'-' | b'_') || (dot && !after_dot);
        if !ok {
            return false;
        }
        after_dot = dot;
    }
    !after_dot
}

/// True for an IPv4 or IPv6 literal (as canonicalized above).
pub(crate) fn is_ip(host: &str) -> bool {
    host.parse::<IpAddr>().is_ok()
}

/// RFC 6265 section 5.1.3: "A string domain-matches a given domain string
/// if at least one of the following conditions hold: The domain string and
/// the string are identical. (Or:) The domain string is a suffix of the
/// string, the last character of the string that is not included in the
/// domain string is a %x2E (".") character, and the string is a host name
/// (i.e., not an IP address)."
pub fn domain_match(string: &str, domain: &str) -> bool {
    if string == domain {
        return true;
    }
    string
        .strip_suffix(domain)
        .is_some_and(|head| head.ends_with('.') && !domain.is_empty() && !is_ip(string))
}

/// [`domain_match`] for a `string` whose IP-ness is already known
/// (`string_is_ip` must be [`is_ip`] of it): a request knows whether its
/// host is an IP address once, and a lookup tests every domain cookie of
/// its bucket, so it does not parse the host again per cookie.
pub(crate) fn domain_match_known(string: &str, string_is_ip: bool, domain: &str) -> bool {
    if string == domain {
        return true;
    }
    !string_is_ip
        && !domain.is_empty()
        && string
            .strip_suffix(domain)
            .is_some_and(|head| head.ends_with('.'))
}

/// [`is_ip`], without parsing the hosts that cannot be an IP literal: an
/// IPv4 literal ends in a digit, an IPv6 one holds a colon.
pub(crate) fn is_ip_literal(host: &str) -> bool {
    let bytes = host.as_bytes();
    let maybe = bytes.last().is_some_and(u8::is_ascii_digit) || bytes.contains(&b':');
    maybe && is_ip(host)
}

/// Whether a request goes over a secure channel: `https` or `wss`, or a
/// loopback host, which RFC 6265bis (via "potentially trustworthy origins")
/// and every browser treat as secure.
pub(crate) fn is_secure_origin(url: &Url, host: &str) -> bool {
    matches!(url.scheme(), "https" | "wss")
        || host == "localhost"
        || host.ends_with(".localhost")
        || match url.host() {
            Some(Host::Ipv4(ip)) => ip.is_loopback(),
            Some(Host::Ipv6(ip)) => ip.is_loopback(),
            _ => false,
        }
}

/// True if `domain` is itself a public suffix (RFC 6265 section 5.3 step 5).
pub(crate) fn is_public_suffix(psl: &dyn PublicSuffix, domain: &str) -> bool {
    psl.public_suffix(domain) == Some(domain)
}

/// The key the jar files a host's cookies under: its registrable domain
/// (public suffix plus one label, "eTLD+1"), as Chromium, Firefox and Go
/// do. A host that is itself a public suffix is its own key; so is a host
/// one label below an unlisted top-level domain, which the list's rule `*`
/// makes a public suffix (`app.localhost`, `intranet.corp`; `localhost`
/// and `corp` are keys of their own); an IP is its own key. A host with no
/// public suffix at all (a private top-level domain opted into with a
/// `!corp` rule, or every host under [`NoPublicSuffix`]) is filed under its
/// top-level label, so a `Domain=corp` cookie lands in the bucket every
/// `*.corp` request reads.
///
/// Every host that domain-matches a cookie's domain has the same key as
/// that domain, unless a public suffix lies between them (then the cookie
/// would cross a site boundary, and, as in Chromium, it is not sent).
///
/// [`NoPublicSuffix`]: crate::NoPublicSuffix
pub(crate) fn registrable_domain<'a>(psl: &dyn PublicSuffix, host: &'a str) -> &'a str {
    if is_ip(host) {
        return host;
    }
    registrable_domain_from_suffix(host, psl.public_suffix(host))
}

/// [`registrable_domain`] of a host that is not an IP address, given its
/// public suffix (so that one lookup in the list can serve two rules).
pub(crate) fn registrable_domain_from_suffix<'a>(host: &'a str, suffix: Option<&str>) -> &'a str {
    match suffix {
        Some(suffix) if suffix.len() < host.len() => {
            // One more label to the left of the suffix.
            let head = host.get(..host.len() - suffix.len() - 1).unwrap_or("");
            // A byte loop: the label is short, and memrchr's set-up costs
            // more than the scan.
            let start = head
                .bytes()
                .rposition(|b| b == b'.')
                .map_or(0, |dot| dot + 1);
            host.get(start..).unwrap_or(host)
        }
        Some(_) => host,
        None => host.rsplit('.').next().unwrap_or(host),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::psl::{NoPublicSuffix, PublicSuffixList};

    #[test]
    fn domain_match_follows_section_5_1_3() {
        let cases = [
            ("example.com", "example.com", true),
            ("www.example.com", "example.com", true),
            ("a.b.example.com", "example.com", true),
            ("wwwexample.com", "example.com", false),
            ("example.com", "www.example.com", false),
            ("example.com", "com", true),
            ("example.com", "", false),
            ("1.2.3.4", "1.2.3.4", true),
            ("1.2.3.4", "2.3.4", false),
            ("::1", "::1", true),
        ];
        for (string, domain, want) in cases {
            assert_eq!(domain_match(string, domain), want, "{string} ~ {domain}");
        }
    }

    proptest::proptest! {
        #[test]
        fn known_ip_domain_match_is_domain_match(
            string in "([a-c0-9:]{0,3}\\.){0,3}[a-c0-9:]{0,4}",
            domain in "([a-c0-9]{0,2}\\.){0,2}[a-c0-9]{0,3}",
            suffix in proptest::bool::ANY,
        ) {
            // Half the cases make `domain` a suffix of `string`.
            let string = match suffix {
                true => format!("{string}.{domain}"),
                false => string,
            };
            let want = domain_match(&string, &domain);
            proptest::prop_assert_eq!(is_ip_literal(&string), is_ip(&string));
            proptest::prop_assert_eq!(domain_match_known(&string, is_ip(&string), &domain), want);
        }
    }

    proptest::proptest! {
        #[test]
        fn ascii_domain_check_equals_the_label_split(domain in "[a-cA-C0-9._:\\[\\] -]{0,10}") {
            let bare = domain
                .strip_prefix('[')
                .and_then(|d| d.strip_suffix(']'))
                .unwrap_or(&domain);
            let want = match bare.parse::<IpAddr>() {
                Ok(ip) => Some(ip.to_string()),
                Err(_) => {
                    let ok = domain
                        .bytes()
                        .all(|b| b.is_ascii_alphanumeric() || matches!(b, b'-' | b'.' | b'_'));
                    let labels = !domain.is_empty() && domain.split('.').all(|l| !l.is_empty());
                    (ok && labels).then(|| domain.to_ascii_lowercase())
                }
            };
            let got = canonicalize_domain(&domain);
            proptest::prop_assert_eq!(got.as_deref(), want.as_deref());
        }
    }

    #[test]
    fn ip_literals_are_recognized_without_parsing_others() {
        for (host, want) in [
            ("1.2.3.4", true),
            ("::1", true),
            ("fe80::1", true),
            ("example.com", false),
            ("1.2.3.4.example", false),
            ("site1", false),
            ("1.2.3", false),
        ] {
            assert_eq!(is_ip_literal(host), want, "{host}");
            assert_eq!(is_ip(host), want, "{host}");
        }
    }

    #[test]
    fn domain_attributes_canonicalize() {
        let cases = [
            ("Example.COM", Some("example.com")),
            ("b\u{fc}cher.de", Some("xn--bcher-kva.de")),
            ("B\u{dc}CHER.de", Some("xn--bcher-kva.de")),
            ("[::1]", Some("::1")),
            ("127.0.0.1", Some("127.0.0.1")),
            ("exa mple.com", None),
            ("a,b.com", None),
            (".x", None),
            ("..x", None),
            ("a..b", None),
            ("example.com.", None),
            ("", None),
        ];
        for (input, want) in cases {
            assert_eq!(canonicalize_domain(input).as_deref(), want, "{input}");
        }
    }

    #[test]
    fn registrable_domains() {
        let psl = PublicSuffixList::bundled();
        let cases = [
            ("www.example.com", "example.com"),
            ("example.com", "example.com"),
            ("com", "com"),
            ("www.bbc.co.uk", "bbc.co.uk"),
            ("a.foo.github.io", "foo.github.io"),
            ("github.io", "github.io"),
            // The list's rule "*": an unlisted top-level domain is a
            // public suffix, and each name below it a site of its own.
            ("localhost", "localhost"),
            ("app.localhost", "app.localhost"),
            ("a.app.localhost", "app.localhost"),
            ("corp", "corp"),
            ("intranet.corp", "intranet.corp"),
            ("a.b.intranet", "b.intranet"),
            ("192.168.0.1", "192.168.0.1"),
            ("::1", "::1"),
        ];
        for (host, want) in cases {
            assert_eq!(registrable_domain(psl.as_ref(), host), want, "{host}");
        }
    }

    #[test]
    fn registrable_domains_pass_the_lists_own_tests() {
        // The list's test vectors (CC0, shipped beside the list by PyPI's
        // publicsuffixlist; upstream's tests/test_psl.txt): the registrable
        // domain, or null for a public suffix. "Unlisted TLD" is rule "*".
        let psl = PublicSuffixList::bundled();
        let to_ascii = |d: &str| idna::domain_to_ascii(d).unwrap_or_default();
        let mut checked = 0;
        for line in include_str!("../psl/check_public_suffix.txt").lines() {
            let Some(args) = line
                .strip_prefix("checkPublicSuffix(")
                .and_then(|l| l.strip_suffix(");"))
            else {
                continue;
            };
            let (input, want) = args.split_once(", ").unwrap_or((args, "null"));
            let unquote = |s: &str| s.strip_prefix('\'')?.strip_suffix('\'').map(to_ascii);
            let want = unquote(want);
            let got = unquote(input)
                .filter(|d| !d.starts_with('.'))
                .and_then(|host| {
                    let site = registrable_domain(psl.as_ref(), &host);
                    (psl.public_suffix(&host) != Some(&host)).then(|| site.to_owned())
                });
            assert_eq!(got, want, "{line}");
            checked += 1;
        }
        assert!(checked > 70, "{checked} cases");
    }

    #[test]
    fn registrable_domains_without_a_public_suffix() {
        // No public suffix: the whole top-level domain is one site, keyed
        // by its label, where a domain cookie for it is filed too.
        let private = PublicSuffixList::bundled_with("!corp\n").unwrap();
        let cases = [
            (&private as &dyn PublicSuffix, "corp", "corp"),
            (&private, "intranet.corp", "corp"),
            (&private, "a.b.corp", "corp"),
            (&private, "app.localhost", "app.localhost"),
            (&private, "www.example.com", "example.com"),
            (&NoPublicSuffix, "www.example.com", "com"),
            (&NoPublicSuffix, "app.localhost", "localhost"),
            (&NoPublicSuffix, "localhost", "localhost"),
        ];
        for (psl, host, want) in cases {
            assert_eq!(registrable_domain(psl, host), want, "{host} under {psl:?}");
        }
    }

    #[test]
    fn loopback_is_a_secure_origin() {
        for (url, want) in [
            ("http://localhost/", true),
            ("http://app.localhost/", true),
            ("http://127.0.0.1:8080/", true),
            ("http://[::1]/", true),
            ("https://example.com/", true),
            ("wss://example.com/", true),
            ("http://example.com/", false),
            ("http://localhost.example.com/", false),
        ] {
            let url = Url::parse(url).unwrap();
            let (host, _) = canonical_request_host(&url).unwrap();
            assert_eq!(is_secure_origin(&url, &host), want, "{url}");
        }
    }

    #[test]
    fn special_scheme_hosts_come_lower_case_and_ip_literals_as_ips() {
        // What `canonical_request_host` and `Request::ip_literal` rely on.
        for url in [
            "http://EXAMPLE.com/",
            "https://Www.B\u{dc}cher.de/",
            "ws://A.b/",
            "ftp://X.Y/",
        ] {
            let url = Url::parse(url).unwrap();
            let host = url.host_str().unwrap();
            assert_eq!(host, host.to_ascii_lowercase(), "{url}");
        }
        for url in [
            "http://127.1/",
            "https://0x7f.0.0.1/",
            "http://[::1]/",
            "wss://1.2.3.4/",
        ] {
            let url = Url::parse(url).unwrap();
            assert!(!matches!(url.host(), Some(Host::Domain(_))), "{url}");
        }
        let opaque = Url::parse("foo://EXAMPLE.com/").unwrap();
        let (host, _) = canonical_request_host(&opaque).unwrap();
        assert_eq!(host, "example.com");
    }
}

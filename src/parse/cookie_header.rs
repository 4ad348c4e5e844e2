//! The `Cookie` request header, as a server or proxy receives it: RFC 6265
//! section 4.2.1 (`name=value; name2=value2`) and the RFC 2109 section
//! 4.3.4 form with `$Version`, `$Path`, `$Domain` and `$Port`.
//!
//! Lenient by design: a header is never rejected as a whole. Empty items and
//! items with control characters are skipped; an item without `=` is a
//! nameless cookie (RFC 6265bis section 5.7.2 sends those as just the value).

use super::grammar;
use super::sub_str;
use std::fmt;

/// One cookie of a `Cookie` request header, borrowed from the header.
///
/// For the RFC 2109 form, the `$Path`, `$Domain` and `$Port` attributes that
/// follow a cookie are attached to it, and the header's `$Version` to all.
///
/// `Debug` redacts the value: cookie values are credentials and end up in
/// logs.
#[derive(Clone, Copy, PartialEq, Eq, Default)]
pub struct CookiePair<'a> {
    name: &'a str,
    value: &'a str,
    version: Option<&'a str>,
    path: Option<&'a str>,
    domain: Option<&'a str>,
    port: Option<&'a str>,
}

impl<'a> CookiePair<'a> {
    /// The cookie name; empty for a nameless cookie.
    #[inline]
    pub fn name(&self) -> &'a str {
        self.name
    }

    /// The cookie value as sent (quotes included).
    #[inline]
    pub fn value(&self) -> &'a str {
        self.value
    }

    /// The value without one pair of surrounding double quotes.
    #[inline]
    pub fn value_unquoted(&self) -> &'a str {
        super::set_cookie::unquote(self.value)
    }

    /// The header's RFC 2109 `$Version`, unquoted.
    #[inline]
    pub fn version(&self) -> Option<&'a str> {
        self.version
    }

    /// The RFC 2109 `$Path` that followed this cookie, unquoted.
    #[inline]
    pub fn path(&self) -> Option<&'a str> {
        self.path
    }

    /// The RFC 2109 `$Domain` that followed this cookie, unquoted.
    #[inline]
    pub fn domain(&self) -> Option<&'a str> {
        self.domain
    }

    /// The RFC 2965 `$Port` that followed this cookie, unquoted.
    #[inline]
    pub fn port(&self) -> Option<&'a str> {
        self.port
    }
}

impl fmt::Debug for CookiePair<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("CookiePair")
            .field("name", &self.name)
            .field(
                "value",
                &format_args!("<redacted, {} bytes>", self.value.len()),
            )
            .field("version", &self.version)
            .field("path", &self.path)
            .field("domain", &self.domain)
            .field("port", &self.port)
            .finish()
    }
}

/// Parses one `Cookie` request header value into its cookies.
///
/// HTTP/2 may split the header into several fields ("crumbs", RFC 9113
/// section 8.2.3); use [`parse_cookie_headers`] for those.
///
/// # Example
///
/// ```
/// use cookiejar::parse_cookie_header;
///
/// let pairs: Vec<_> = parse_cookie_header("sid=abc; theme=dark;; lang")
///     .map(|c| (c.name(), c.value()))
///     .collect();
/// assert_eq!(pairs, [("sid", "abc"), ("theme", "dark"), ("", "lang")]);
///
/// // RFC 2109: attributes attach to the cookie before them.
/// let mut old = parse_cookie_header(r#"$Version="1"; id="7"; $Path="/acme", x=1"#);
/// let id = old.next().unwrap();
/// assert_eq!((id.name(), id.value_unquoted(), id.path(), id.version()), ("id", "7", Some("/acme"), Some("1")));
/// assert_eq!(old.next().unwrap().name(), "x");
/// ```
pub fn parse_cookie_header(header: &str) -> CookiePairs<'_> {
    let mut pairs = CookiePairs {
        header,
        rest: header.as_bytes(),
        // One scan of the whole header spares a scan per item in the
        // common case of a header without control characters.
        has_ctl: grammar::contains_ctl(header.as_bytes()),
        rfc2109: false,
        version: None,
        peeked: None,
    };
    // RFC 2109 section 4.3.4: `cookie = "Cookie:" cookie-version
    // 1*((";" | ",") cookie-value)`. Only a header that starts with
    // `$Version` uses `,` as a separator.
    if !pairs.next_starts_with_dollar() {
        return pairs;
    }
    if let Some((name, value)) = pairs.next_item() {
        if name.eq_ignore_ascii_case("$Version") {
            pairs.version = Some(super::set_cookie::unquote(value));
            pairs.rfc2109 = true;
        } else {
            pairs.peeked = Some((name, value));
        }
    }
    pairs
}

/// Parses several `Cookie` header values (HTTP/2 crumbs, or repeated
/// headers) as one sequence of cookies.
///
/// ```
/// use cookiejar::parse_cookie_headers;
///
/// let names: Vec<_> = parse_cookie_headers(["a=1", "b=2; c=3"]).map(|c| c.name()).collect();
/// assert_eq!(names, ["a", "b", "c"]);
/// ```
pub fn parse_cookie_headers<'a, I>(headers: I) -> impl Iterator<Item = CookiePair<'a>>
where
    I: IntoIterator<Item = &'a str>,
{
    headers.into_iter().flat_map(parse_cookie_header)
}

/// Iterator over the cookies of a `Cookie` header; see
/// [`parse_cookie_header`]. `Debug` shows sizes only: the header holds
/// cookie values.
#[derive(Clone)]
pub struct CookiePairs<'a> {
    header: &'a str,
    rest: &'a [u8],
    has_ctl: bool,
    rfc2109: bool,
    version: Option<&'a str>,
    /// The item read ahead to see whether it is a `$`-attribute of the
    /// cookie before it.
    peeked: Option<(&'a str, &'a str)>,
}

impl fmt::Debug for CookiePairs<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("CookiePairs")
            .field(
                "header",
                &format_args!("<redacted, {} bytes>", self.header.len()),
            )
            .field("unread_bytes", &self.rest.len())
            .field("rfc2109", &self.rfc2109)
            .field("version", &self.version)
            .finish_non_exhaustive()
    }
}

impl<'a> CookiePairs<'a> {
    /// The next non-empty item without control characters, split at `=`
    /// and trimmed.
    #[inline(always)]
    fn next_item(&mut self) -> Option<(&'a str, &'a str)> {
        // RFC 2109 headers and an item read ahead take the general path, so
        // that the common case stays short enough to inline into the caller.
        if self.rfc2109 || self.peeked.is_some() {
            return self.next_item_general();
        }
        self.read_item(false)
    }

    /// [`Self::next_item`] for RFC 2109 headers (`,` separates too, values
    /// may be quoted strings) and after a read-ahead.
    #[inline(never)]
    fn next_item_general(&mut self) -> Option<(&'a str, &'a str)> {
        if let Some(item) = self.peeked.take() {
            return Some(item);
        }
        self.read_item(self.rfc2109)
    }

    /// Reads items from `self.rest` up to the first that is not empty and
    /// holds no control character.
    #[inline(always)]
    fn read_item(&mut self, rfc2109: bool) -> Option<(&'a str, &'a str)> {
        loop {
            if self.rest.is_empty() {
                return None;
            }
            // The SP after `;` (RFC 6265 section 4.2.1) is skipped here so
            // that the trims below take their fast path.
            let rest = after_separator(self.rest);
            let rest = rest.strip_prefix(b" ").unwrap_or(rest);
            let ((name, value), tail) = grammar::request_item(rest, rfc2109);
            self.rest = tail;
            let (name, value) = match value {
                Some(value) => (grammar::trim_wsp(name), grammar::trim_wsp(value)),
                // No `=`: a nameless cookie.
                None => (&[][..], grammar::trim_wsp(name)),
            };
            if name.is_empty() && value.is_empty() {
                continue;
            }
            if self.has_ctl && (grammar::contains_ctl(name) || grammar::contains_ctl(value)) {
                continue;
            }
            return Some((sub_str(self.header, name), sub_str(self.header, value)));
        }
    }
}

impl CookiePairs<'_> {
    /// Whether the next item begins with `$` (after its separator and WSP).
    fn next_starts_with_dollar(&self) -> bool {
        if let Some((name, _)) = self.peeked {
            return name.starts_with('$');
        }
        grammar::skip_wsp(after_separator(self.rest)).first() == Some(&b'$')
    }
}

/// `rest` past the `;` (or RFC 2109 `,`) that ended the item before it;
/// the header's first item has none.
#[inline(always)]
fn after_separator(rest: &[u8]) -> &[u8] {
    match rest {
        [b';' | b',', rest @ ..] => rest,
        rest => rest,
    }
}

/// Which RFC 2109 attribute a request-header item is, if any.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Dollar {
    Version,
    Path,
    Domain,
    Port,
}

fn dollar_attribute(name: &str) -> Option<Dollar> {
    if !name.starts_with('$') {
        return None;
    }
    [
        ("$Version", Dollar::Version),
        ("$Path", Dollar::Path),
        ("$Domain", Dollar::Domain),
        ("$Port", Dollar::Port),
    ]
    .into_iter()
    .find(|(known, _)| name.eq_ignore_ascii_case(known))
    .map(|(_, attribute)| attribute)
}

impl<'a> Iterator for CookiePairs<'a> {
    type Item = CookiePair<'a>;

    #[inline(always)]
    fn next(&mut self) -> Option<CookiePair<'a>> {
        let mut pair = loop {
            let (name, value) = self.next_item()?;
            // `$`-attributes with no cookie before them, and a `$Version`
            // that is not first, are not cookies either.
            if dollar_attribute(name).is_none() {
                break CookiePair {
                    name,
                    value,
                    version: self.version,
                    ..CookiePair::default()
                };
            }
        };
        // Attach the `$Path`, `$Domain`, `$Port` that follow. Most headers
        // have none: look at the next item only if it starts with `$`.
        while self.next_starts_with_dollar() {
            let Some((name, value)) = self.next_item() else {
                break;
            };
            let slot = match dollar_attribute(name) {
                Some(Dollar::Path) => &mut pair.path,
                Some(Dollar::Domain) => &mut pair.domain,
                Some(Dollar::Port) => &mut pair.port,
                Some(Dollar::Version) => continue,
                None => {
                    self.peeked = Some((name, value));
                    break;
                }
            };
            *slot = Some(super::set_cookie::unquote(value));
        }
        Some(pair)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn pairs(header: &str) -> Vec<(&str, &str)> {
        parse_cookie_header(header)
            .map(|c| (c.name(), c.value()))
            .collect()
    }

    #[test]
    fn splits_the_rfc_6265_form() {
        let cases: &[(&str, &[(&str, &str)])] = &[
            ("a=1; b=2", &[("a", "1"), ("b", "2")]),
            ("a=1;b=2", &[("a", "1"), ("b", "2")]),
            ("  a = 1 ;\tb=2 ; ", &[("a", "1"), ("b", "2")]),
            ("a=1;;; b=2", &[("a", "1"), ("b", "2")]),
            ("", &[]),
            (";", &[]),
            ("a=", &[("a", "")]),
            ("token", &[("", "token")]),
            ("=v", &[("", "v")]),
            ("a=x=y", &[("a", "x=y")]),
            ("d=Wed, 21 Oct 2015", &[("d", "Wed, 21 Oct 2015")]),
            ("a=\"q;r\"", &[("a", "\"q"), ("", "r\"")]),
            ("bad=\x01; ok=1", &[("ok", "1")]),
            ("$Path=/; a=1", &[("a", "1")]),
            ("\u{6625}=\u{8282}", &[("\u{6625}", "\u{8282}")]),
        ];
        for (header, want) in cases {
            assert_eq!(pairs(header), *want, "{header:?}");
        }
    }

    #[test]
    fn rfc_2109_form_attaches_attributes() {
        let header = r#"$Version="1"; Customer="WILE_E_COYOTE"; $Path="/acme"; Part_Number="Rocket_Launcher_0001"; $Path="/acme"; $Domain=".acme.com"; $Port="80,8080""#;
        let got: Vec<_> = parse_cookie_header(header).collect();
        assert_eq!(got.len(), 2);
        assert_eq!(got[0].name(), "Customer");
        assert_eq!(got[0].value_unquoted(), "WILE_E_COYOTE");
        assert_eq!(got[0].path(), Some("/acme"));
        assert_eq!(got[0].domain(), None);
        assert_eq!(got[1].name(), "Part_Number");
        assert_eq!(got[1].domain(), Some(".acme.com"));
        assert_eq!(got[1].port(), Some("80,8080"));
        assert!(got.iter().all(|c| c.version() == Some("1")));
    }

    #[test]
    fn rfc_2109_commas_separate_only_after_version() {
        assert_eq!(pairs("$Version=1; a=1, b=2"), [("a", "1"), ("b", "2")]);
        assert_eq!(pairs("a=1, b=2"), [("a", "1, b=2")]);
        assert_eq!(
            pairs("$Version=1;\t a=\"x;y\" ,  \tb=2;  $Path=/"),
            [("a", "\"x;y\""), ("b", "2")]
        );
        assert_eq!(
            pairs(r#"$Version=1; a="x, y", b=2"#),
            [("a", "\"x, y\""), ("b", "2")]
        );
    }

    #[test]
    fn dollar_attributes_attach_in_modern_headers_too() {
        for header in [
            "a=1; $Path=/x; b=2",
            "a=1;$Path=/x; b=2",
            "a=1;  $Path=/x; b=2",
            "a=1;\t$Path=/x; b=2",
            "a=1; \t$Path=/x; b=2",
        ] {
            let got: Vec<_> = parse_cookie_header(header).collect();
            assert_eq!(got.len(), 2, "{header:?}");
            assert_eq!(
                (got[0].name(), got[0].path()),
                ("a", Some("/x")),
                "{header:?}"
            );
            assert_eq!((got[1].name(), got[1].path()), ("b", None), "{header:?}");
        }
    }

    #[test]
    fn several_headers_concatenate() {
        let got: Vec<_> = parse_cookie_headers(["a=1", "", "b=2; c=3"])
            .map(|c| c.name())
            .collect();
        assert_eq!(got, ["a", "b", "c"]);
    }
}

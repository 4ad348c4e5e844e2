//! `Profile::Rfc2109`: the rules of RFC 2109 where they differ from RFC
//! 6265, to the letter of the RFC, with one exception kept on purpose: a
//! `Domain` that is a public suffix (`.co.uk`) is refused, which RFC 2109's
//! "embedded dot" rule alone would allow.
//!
//! <https://www.rfc-editor.org/rfc/rfc2109>

use super::{Jar, Profile, Rejection, Request, RequestContext, Stored};
use crate::cookie::Cookie;
use crate::parse::{has_control_character, split_set_cookie_list, unquote, ParseError, SetCookie};
use time::OffsetDateTime;
use url::Url;

impl Jar {
    /// Stores every cookie of one `Set-Cookie` header value; one result per
    /// cookie, in order.
    ///
    /// Under [`Profile::Rfc2109`] one header may carry several cookies
    /// separated by commas (RFC 2109 section 4.2.2, `cookies = 1#cookie`);
    /// they are split by [`split_set_cookie_list`], which respects quoted
    /// strings and the comma of a Netscape `Expires` date. Under the other
    /// profiles the header is one cookie (RFC 6265 section 4.1 forbids the
    /// folding), and the result has one element.
    ///
    /// ```
    /// use cookiejar::{Jar, Profile, Stored};
    /// use url::Url;
    ///
    /// let mut jar = Jar::builder().profile(Profile::Rfc2109).build();
    /// let site = Url::parse("http://www.acme.com/")?;
    /// let now = time::OffsetDateTime::now_utc();
    /// let header = "a=1; Version=1; Path=/, b=2; Version=1; Path=/";
    /// let results = jar.set_cookie_list_with(&site, header, Default::default(), now);
    /// assert_eq!(results, [Ok(Stored::Inserted { evicted: 0 }), Ok(Stored::Inserted { evicted: 0 })]);
    /// assert_eq!(jar.cookie_header_at(&site, now).as_deref(), Some(r#"$Version="1"; a=1; $Path="/"; b=2; $Path="/""#));
    /// # Ok::<(), url::ParseError>(())
    /// ```
    pub fn set_cookie_list_with(
        &mut self,
        url: &Url,
        header: &str,
        context: RequestContext,
        now: OffsetDateTime,
    ) -> Vec<Result<Stored, Rejection>> {
        if self.profile != Profile::Rfc2109 {
            return vec![self.set_one_cookie(url, header, context, now)];
        }
        match self.cookie_list(header) {
            Ok(cookies) => cookies
                .into_iter()
                .map(|cookie| self.set_one_cookie(url, cookie, context, now))
                .collect(),
            Err(refused) => vec![Err(refused)],
        }
    }

    /// The cookies of an RFC 2109 header, each to be stored as if it came
    /// alone; or the refusal of the whole header.
    pub(super) fn cookie_list<'h>(&self, header: &'h str) -> Result<Vec<&'h str>, Rejection> {
        // A control character ignores the whole header (RFC 6265bis
        // section 5.6 step 1), not just the cookie it falls in.
        if has_control_character(header) {
            return Err(Rejection::Parse(ParseError::ControlCharacter));
        }
        let cookies: Vec<&str> = split_set_cookie_list(header).collect();
        if cookies.is_empty() {
            // An empty or all-comma header: the parser says why it is none.
            return Ok(vec![header]);
        }
        Ok(cookies)
    }

    /// [`Jar::set_cookie_list_with`] over HTTP in a same-site context.
    pub fn set_cookie_list_at(
        &mut self,
        url: &Url,
        header: &str,
        now: OffsetDateTime,
    ) -> Vec<Result<Stored, Rejection>> {
        self.set_cookie_list_with(url, header, RequestContext::default(), now)
    }
}

/// The one result `Jar::set_cookie_with` gives for a header that held
/// several cookies: the first refusal if any cookie was refused (so that
/// no refusal goes unseen), otherwise the last cookie's outcome.
pub(super) fn combined(results: Vec<Result<Stored, Rejection>>) -> Result<Stored, Rejection> {
    let mut last = Err(Rejection::Parse(ParseError::Empty));
    for result in results {
        result?;
        last = result;
    }
    last
}

/// Section 4.2.2: `"Version" "=" 1*DIGIT`, quoted or not (section 4.1
/// allows a quoted-string for every value). 0 if absent or not a number
/// (the attribute is then ignored, and section 4.3.4 says "Otherwise the
/// value for cookie-version is 0").
pub(super) fn version(sc: &SetCookie<'_>) -> u32 {
    sc.version()
        .map(unquote)
        .filter(|v| !v.is_empty() && v.bytes().all(|b| b.is_ascii_digit()))
        .map_or(0, |v| v.parse().unwrap_or(u32::MAX))
}

/// Section 4.2.2: `Max-Age=delta-seconds`, "the lifetime of the cookie in
/// seconds, a decimal non-negative integer", which section 4.1 allows in
/// quotes (`Max-Age="60"`). The last `Max-Age` attribute counts; one that
/// is not a number is ignored (then a Netscape `Expires` may still apply).
/// RFC 2109 does not say what a negative number means: it is read as RFC
/// 6265 section 5.2.2 reads it, "expire now" (as Python does), since the
/// server plainly wants the cookie gone. Saturates at the `i64` range.
pub(super) fn max_age(sc: &SetCookie<'_>) -> Option<i64> {
    let value = unquote(sc.attribute("max-age")?);
    let digits = value.strip_prefix('-').unwrap_or(value);
    if digits.is_empty() || !digits.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    match value.starts_with('-') {
        true => Some(0),
        false => Some(value.parse().unwrap_or(i64::MAX)),
    }
}

/// The `Domain` attribute without its leading dot, or `None` if there is
/// none. Section 4.3.2: a cookie is rejected if "The value for the Domain
/// attribute contains no embedded dots or does not start with a dot", so
/// `Domain=acme.com` and `Domain=192.168.1.10` are refused here (an IP
/// address can never start with a dot), and `Domain=.` has no dot left.
pub(super) fn domain_attribute<'a>(sc: &SetCookie<'a>) -> Result<Option<&'a str>, Rejection> {
    let Some(value) = sc.attribute("domain").map(unquote) else {
        return Ok(None);
    };
    match value.strip_prefix('.') {
        None => Err(Rejection::Rfc2109DomainWithoutLeadingDot),
        Some("") => Err(Rejection::Rfc2109DomainWithoutDot),
        Some(domain) => Ok(Some(domain)),
    }
}

/// The rest of section 4.3.2 for a canonical `Domain` attribute `domain`
/// (its leading dot removed): "contains no embedded dots"; "The value for
/// the request-host does not domain-match the Domain attribute"; "The
/// request-host is a FQDN (not IP address) and has the form HD, where D is
/// the value of the Domain attribute, and H is a string that contains one
/// or more dots."
pub(super) fn check_domain(domain: &str, request: &Request<'_>) -> Result<(), Rejection> {
    if !domain.contains('.') {
        return Err(Rejection::Rfc2109DomainWithoutDot);
    }
    if !domain_matches(&request.host, request.is_ip, domain) {
        return Err(Rejection::DomainMismatch);
    }
    // H: the request host without ".D" (so without the dot D starts with).
    let h = request
        .host
        .strip_suffix(domain)
        .and_then(|h| h.strip_suffix('.'))
        .unwrap_or("");
    if h.contains('.') {
        return Err(Rejection::Rfc2109HostTooDeep);
    }
    Ok(())
}

/// Section 2, for a cookie whose domain came from a `Domain` attribute
/// `.domain`: "A is a FQDN string and has the form NB, where N is a
/// non-empty name string, B has the form .B', and B' is a FQDN string. (So,
/// x.y.com domain-matches .y.com but not y.com.)" An IP address matches
/// only itself, which no attribute can name (it would need a leading dot).
pub(super) fn domain_matches(host: &str, host_is_ip: bool, domain: &str) -> bool {
    !host_is_ip
        && host
            .strip_suffix(domain)
            .and_then(|n| n.strip_suffix('.'))
            .is_some_and(|n| !n.is_empty())
}

/// The `Path` attribute, unquoted, or `None` for the default path (absent,
/// or empty as `Path=` and `Path=""`, which name no path). Section 4.3.2:
/// rejected if "The value for the Path attribute is not a prefix of the
/// request-URI" (a string prefix: `/ac` is one of `/acme/login`, and
/// `acme`, without the slash, is one of no request-URI).
pub(super) fn path_attribute<'a>(
    sc: &SetCookie<'a>,
    request: &Request<'_>,
) -> Result<Option<&'a str>, Rejection> {
    match sc.attribute("path").map(unquote) {
        None | Some("") => Ok(None),
        Some(path) if request.path().starts_with(path) => Ok(Some(path)),
        Some(_) => Err(Rejection::Rfc2109PathNotPrefix),
    }
}

/// Section 4.3.4, "Path Selection": "The Path attribute of the cookie must
/// match a prefix of the request-URI", the same string-prefix rule as
/// storage (section 4.3.1), so a cookie is sent back to the page that set
/// it. RFC 6265's path-match would not send `Path=/ac` to `/acme`.
pub(super) fn path_selected(request_path: &str, cookie_path: &str) -> bool {
    request_path.starts_with(cookie_path)
}

/// Section 4.3.4, "Domain Selection": "The origin server's fully-qualified
/// host name must domain-match the Domain attribute of the cookie."
/// A host-only cookie's domain is the request-host that set it (section
/// 4.3.1: "Defaults to the request-host"), matched exactly.
pub(super) fn domain_selected(c: &Cookie, request: &Request<'_>) -> bool {
    match c.host_only {
        true => *c.domain == *request.host,
        false => domain_matches(&request.host, request.is_ip, &c.domain),
    }
}

/// Section 4.3.4: `cookie = "Cookie:" cookie-version 1*((";" | ",")
/// cookie-value)`, one `$Version` for the whole header. "The value of the
/// cookie-version attribute must be the value from the Version attribute
/// ... Otherwise the value for cookie-version is 0", and section 10.1.1: "A
/// 'new' client always sends cookies in the new form", so a header of
/// cookies without `Version` is `$Version="0"; ...`.
///
/// The RFC does not say what one header of cookies with different versions
/// carries. Here it is the highest version among them: the header then
/// announces the newest syntax it uses, and each cookie still carries its
/// own `$Path`/`$Domain` (or not) as its `Set-Cookie` did.
pub(super) fn header_version<'c>(cookies: impl Iterator<Item = &'c Cookie>) -> u32 {
    cookies.map(|c| c.rfc2109.version).max().unwrap_or(0)
}

/// Writes `$Version="N"`, the start of an RFC 2109 `Cookie` header.
pub(super) fn write_version(header: &mut String, version: u32) {
    header.push_str("$Version=\"");
    header.push_str(&version.to_string());
    header.push('"');
}

/// Replaces the `$Version` that [`write_version`] wrote with `old` by the
/// one of the cookies that fitted (never more digits: a subset's highest
/// version is not higher).
pub(super) fn rewrite_version(header: &mut String, old: u32, new: u32) {
    if old == new {
        return;
    }
    let old_len = "$Version=\"\"".len() + old.to_string().len();
    let mut prefix = String::new();
    write_version(&mut prefix, new);
    if header.get(..old_len).is_some() {
        header.replace_range(..old_len, &prefix);
    }
}

/// Section 4.3.4: `cookie-value = NAME "=" VALUE [";" path] [";" domain]`.
/// "The value for the path attribute must be the value from the Path
/// attribute, if there was one ... Otherwise the attribute should be
/// omitted", and the same for the domain; the stored domain is the
/// attribute without its leading dot, which is put back.
pub(super) fn write_attributes(header: &mut String, c: &Cookie) {
    if c.rfc2109.path_specified {
        header.push_str("; $Path=\"");
        header.push_str(&c.path);
        header.push('"');
    }
    if !c.host_only {
        header.push_str("; $Domain=\".");
        header.push_str(&c.domain);
        header.push('"');
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn version_and_max_age_values() {
        let cases = [
            ("a=1", 0, None),
            ("a=1; Version=1; Max-Age=60", 1, Some(60)),
            ("a=1; Version=\"1\"; Max-Age=\"60\"", 1, Some(60)),
            ("a=1; Version=2; Max-Age=0", 2, Some(0)),
            ("a=1; Version=x; Max-Age=-1", 0, Some(0)),
            ("a=1; Max-Age=\"-99999999999999999999\"", 0, Some(0)),
            ("a=1; Max-Age=1e3", 0, None),
            ("a=1; Max-Age=-", 0, None),
            ("a=1; Version=; Max-Age=\"\"", 0, None),
            ("a=1; Max-Age=99999999999999999999999", 0, Some(i64::MAX)),
            ("a=1; Max-Age=5; Max-Age=\"7\"", 0, Some(7)),
        ];
        for (header, want_version, want_max_age) in cases {
            let sc = SetCookie::parse(header).unwrap();
            assert_eq!(version(&sc), want_version, "{header}");
            assert_eq!(max_age(&sc), want_max_age, "{header}");
        }
    }

    #[test]
    fn section_2_domain_match() {
        let cases = [
            ("x.y.com", false, "y.com", true),
            ("y.com", false, "y.com", false),
            ("a.x.y.com", false, "y.com", true),
            ("xy.com", false, "y.com", false),
            ("1.2.3.4", true, "2.3.4", false),
        ];
        for (host, is_ip, domain, want) in cases {
            assert_eq!(
                domain_matches(host, is_ip, domain),
                want,
                "{host} ~ .{domain}"
            );
        }
    }
}

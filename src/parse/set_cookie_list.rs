//! RFC 2109 section 4.2.2: one `Set-Cookie` header may carry several
//! cookies, `set-cookie = "Set-Cookie:" cookies`, `cookies = 1#cookie`:
//! a comma-separated list (the `#` rule of RFC 2068 section 2.1).
//!
//! RFC 6265 section 4.1 forbids folding cookies into one header because
//! the Netscape `Expires` date has a comma of its own (`Wed, 09 Jun 2021
//! 10:18:14 GMT`), and real servers mix the two forms. So a comma splits
//! only where neither reading is in doubt: outside a quoted-string (section
//! 4.1: `value = word`, `word = token | quoted-string`), not right after
//! the weekday of an `Expires` value, and only when what follows starts a
//! new `NAME=VALUE` pair. Anything else stays in the cookie it is in.

/// The cookies of one RFC 2109 `Set-Cookie` header value, in order, each a
/// trimmed sub-slice of the header to hand to
/// [`SetCookie::parse`](crate::SetCookie::parse). Empty list elements are
/// skipped, as the `#` rule allows them. Never allocates; one pass over the
/// header, so linear time.
///
/// ```
/// use cookiejar::split_set_cookie_list;
///
/// let header = r#"a=1; Version=1; Comment="x, y", b=2; Expires=Wed, 09 Jun 2021 10:18:14 GMT"#;
/// let cookies: Vec<&str> = split_set_cookie_list(header).collect();
/// assert_eq!(cookies, [r#"a=1; Version=1; Comment="x, y""#, "b=2; Expires=Wed, 09 Jun 2021 10:18:14 GMT"]);
/// ```
pub fn split_set_cookie_list(header: &str) -> SetCookieList<'_> {
    SetCookieList { rest: header }
}

/// Iterator over the cookies of one header; see [`split_set_cookie_list`].
#[derive(Debug, Clone)]
pub struct SetCookieList<'a> {
    rest: &'a str,
}

impl<'a> Iterator for SetCookieList<'a> {
    type Item = &'a str;

    fn next(&mut self) -> Option<&'a str> {
        loop {
            if self.rest.is_empty() {
                return None;
            }
            let end = cookie_end(self.rest);
            let (cookie, rest) = self.rest.split_at(end);
            // Past the comma (if any) that ended this cookie.
            self.rest = rest.get(1..).unwrap_or("");
            let cookie = cookie.trim_matches([' ', '\t']);
            if !cookie.is_empty() {
                return Some(cookie);
            }
        }
    }
}

/// The byte offset of the comma that ends the first cookie of `s`, or
/// `s.len()`.
fn cookie_end(s: &str) -> usize {
    let bytes = s.as_bytes();
    let mut in_quotes = false;
    let mut escaped = false;
    // Where the current cookie-av (or the NAME=VALUE pair) starts.
    let mut attribute_start = 0;
    for (i, &b) in bytes.iter().enumerate() {
        if in_quotes {
            // RFC 2068 section 2.2: `quoted-pair = "\" CHAR` inside quotes.
            match (escaped, b) {
                (true, _) => escaped = false,
                (false, b'\\') => escaped = true,
                (false, b'"') => in_quotes = false,
                _ => {}
            }
            continue;
        }
        match b {
            b'"' => in_quotes = true,
            b';' => attribute_start = i + 1,
            b',' => {
                let attribute = s.get(attribute_start..i).unwrap_or("");
                let after = s.get(i + 1..).unwrap_or("");
                // A trailing comma ends the list (empty elements are allowed).
                let list_ends = after.trim_matches([' ', '\t', ',']).is_empty();
                if list_ends || (!is_expires_weekday(attribute) && starts_a_cookie(after)) {
                    return i;
                }
            }
            _ => {}
        }
    }
    s.len()
}

/// True for `Expires=Wed` (any case, any WSP): the comma after it is the
/// date's.
fn is_expires_weekday(attribute: &str) -> bool {
    let Some((name, value)) = attribute.split_once('=') else {
        return false;
    };
    let value = value.trim_matches([' ', '\t']);
    name.trim_matches([' ', '\t'])
        .eq_ignore_ascii_case("expires")
        && !value.is_empty()
        && value.bytes().all(|b| b.is_ascii_alphabetic())
}

/// True if `s` begins with a `NAME=` pair (after empty list elements): a
/// `=` comes before any `;` or `,`, after a non-empty name.
fn starts_a_cookie(s: &str) -> bool {
    let s = s.trim_start_matches([' ', '\t', ',']);
    let pair_end = s.find([';', ',']).unwrap_or(s.len());
    let pair = s.get(..pair_end).unwrap_or("");
    pair.split_once('=')
        .is_some_and(|(name, _)| !name.trim_matches([' ', '\t']).is_empty())
}

#[cfg(test)]
mod tests {
    use super::split_set_cookie_list;

    #[test]
    fn splits_where_section_4_2_2_lists_cookies() {
        let cases: [(&str, &[&str]); 10] = [
            ("a=1", &["a=1"]),
            (
                "a=1; Version=1; Path=/, b=2; Version=1; Path=/",
                &["a=1; Version=1; Path=/", "b=2; Version=1; Path=/"],
            ),
            ("a=1,b=2,c=3", &["a=1", "b=2", "c=3"]),
            (r#"a="x,y=z", b=2"#, &[r#"a="x,y=z""#, "b=2"]),
            (r#"a="x\",y=z", b=2"#, &[r#"a="x\",y=z""#, "b=2"]),
            (
                "a=1; expires=Wed, 09 Jun 2021 10:18:14 GMT, b=2",
                &["a=1; expires=Wed, 09 Jun 2021 10:18:14 GMT", "b=2"],
            ),
            (
                "a=1; Expires = Wednesday, 09-Jun-21 10:18:14 GMT; Path=/",
                &["a=1; Expires = Wednesday, 09-Jun-21 10:18:14 GMT; Path=/"],
            ),
            ("a=1; Comment=x, y; Path=/", &["a=1; Comment=x, y; Path=/"]),
            (" , a=1 ,, b=2 , ", &["a=1", "b=2"]),
            ("", &[]),
        ];
        for (header, want) in cases {
            let got: Vec<&str> = split_set_cookie_list(header).collect();
            assert_eq!(got, want, "{header:?}");
        }
    }

    #[test]
    fn an_unterminated_quote_keeps_the_rest_in_one_cookie() {
        let got: Vec<&str> = split_set_cookie_list(r#"a="x, b=2"#).collect();
        assert_eq!(got, [r#"a="x, b=2"#]);
    }
}

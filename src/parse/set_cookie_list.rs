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

/// True if the header has a control character other than HTAB, for which
/// RFC 6265bis section 5.6 step 1 ignores the whole set-cookie-string: the
/// jar checks the header before splitting it, so that `a=1, b=2\r\nX: y`
/// stores neither cookie, as one cookie it would not have been stored.
pub(crate) fn has_control_character(header: &str) -> bool {
    super::grammar::contains_ctl(header.as_bytes())
}

/// Iterator over the cookies of one header; see [`split_set_cookie_list`].
#[derive(Debug, Clone)]
pub struct SetCookieList<'a> {
    rest: &'a str,
}

impl<'a> Iterator for SetCookieList<'a> {
    type Item = &'a str;

    fn next(&mut self) -> Option<&'a str> {
        // Empty list elements (RFC 2068 section 2.1: "null elements are
        // allowed"), consumed once, so the whole split stays linear.
        self.rest = self.rest.trim_start_matches(SEPARATORS);
        if self.rest.is_empty() {
            return None;
        }
        let end = cookie_end(self.rest);
        let (cookie, rest) = self.rest.split_at(end);
        self.rest = rest;
        Some(cookie.trim_end_matches([' ', '\t']))
    }
}

/// What separates list elements, empty ones included.
const SEPARATORS: [char; 3] = [' ', '\t', ','];

/// The byte offset of the comma that ends the first cookie of `s`, or
/// `s.len()`. Each byte is looked at a bounded number of times: runs of
/// commas are skipped at once, and the attribute is tracked as it goes.
fn cookie_end(s: &str) -> usize {
    let bytes = s.as_bytes();
    let mut in_quotes = false;
    let mut escaped = false;
    // Where the current cookie-av (or the NAME=VALUE pair) starts, and its
    // first `=`.
    let mut attribute_start = 0;
    let mut equals = None;
    let mut i = 0;
    while let Some(&b) = bytes.get(i) {
        if in_quotes {
            // RFC 2068 section 2.2: `quoted-pair = "\" CHAR` inside quotes.
            match (escaped, b) {
                (true, _) => escaped = false,
                (false, b'\\') => escaped = true,
                (false, b'"') => in_quotes = false,
                _ => {}
            }
            i += 1;
            continue;
        }
        match b {
            b'"' => in_quotes = true,
            b';' => (attribute_start, equals) = (i + 1, None),
            b'=' if equals.is_none() => equals = Some(i),
            b',' => {
                let after = s.get(i..).unwrap_or("").trim_start_matches(SEPARATORS);
                // A trailing comma ends the list.
                if after.is_empty() {
                    return i;
                }
                let weekday = equals.is_some_and(|eq| {
                    let name = s.get(attribute_start..eq).unwrap_or("");
                    let value = s.get(eq + 1..i).unwrap_or("");
                    is_expires_weekday(name, value)
                });
                if !weekday && starts_a_cookie(after) {
                    return i;
                }
                // Past the run of separators, which stays in this cookie.
                i = s.len() - after.len();
                continue;
            }
            _ => {}
        }
        i += 1;
    }
    s.len()
}

/// True for `Expires=Wed` (any case, any WSP): the comma after it is the
/// date's.
fn is_expires_weekday(name: &str, value: &str) -> bool {
    let value = value.trim_matches([' ', '\t']);
    name.trim_matches([' ', '\t'])
        .eq_ignore_ascii_case("expires")
        && !value.is_empty()
        && value.bytes().all(|b| b.is_ascii_alphabetic())
}

/// True if `s` begins with a `NAME=` pair: a `=` comes before any `;` or
/// `,`, after a non-empty name.
fn starts_a_cookie(s: &str) -> bool {
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
    fn long_runs_of_commas_split_in_linear_time() {
        let commas = ",".repeat(200_000);
        let header = format!("a=1{commas}b=2{commas}");
        assert_eq!(
            split_set_cookie_list(&header).collect::<Vec<_>>(),
            ["a=1", "b=2"]
        );
        let header = format!("a=1; Comment=x{commas}y");
        assert_eq!(split_set_cookie_list(&header).count(), 1);
        let header = format!("a=1; x{}", "y,".repeat(100_000));
        assert_eq!(split_set_cookie_list(&header).count(), 1);
    }

    #[test]
    fn an_unterminated_quote_keeps_the_rest_in_one_cookie() {
        let got: Vec<&str> = split_set_cookie_list(r#"a="x, b=2"#).collect();
        assert_eq!(got, [r#"a="x, b=2"#]);
    }
}

//! Paths: the default path and path-match of RFC 6265 section 5.1.4. Pure
//! functions over the request's percent-encoded path, never decoded (the
//! RFC compares octets; `%6F` does not match `o`).

/// RFC 6265 section 5.1.4, "default-path": the directory of the request
/// path.
///
/// 1. "Let uri-path be the path portion of the request-uri if such a
///    portion exists (and empty otherwise)."
/// 2. "If the uri-path is empty or if the first character of the uri-path
///    is not a %x2F ("/") character, output %x2F ("/") and skip the
///    remaining steps."
/// 3. "If the uri-path contains no more than one %x2F ("/") character,
///    output %x2F ("/") and skip the remaining step."
/// 4. "Output the characters of the uri-path from the first character up
///    to, but not including, the right-most %x2F ("/")."
pub fn default_path(uri_path: &str) -> &str {
    if !uri_path.starts_with('/') {
        return "/";
    }
    match uri_path.rfind('/') {
        Some(0) | None => "/",
        Some(last) => uri_path.get(..last).unwrap_or("/"),
    }
}

/// RFC 6265 section 5.1.4, "path-match": "A request-path path-matches a
/// given cookie-path if at least one of the following conditions holds:
/// The cookie-path and the request-path are identical. The cookie-path is a
/// prefix of the request-path, and the last character of the cookie-path is
/// %x2F ("/"). The cookie-path is a prefix of the request-path, and the
/// first character of the request-path that is not included in the
/// cookie-path is a %x2F ("/") character."
pub fn path_match(request_path: &str, cookie_path: &str) -> bool {
    match request_path.strip_prefix(cookie_path) {
        Some("") => true,
        Some(rest) => cookie_path.ends_with('/') || rest.starts_with('/'),
        None => false,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn default_path_steps() {
        let cases = [
            ("", "/"),
            ("x", "/"),
            ("/", "/"),
            ("/a", "/"),
            ("/a/", "/a"),
            ("/a/b", "/a"),
            ("/a/b/c.html", "/a/b"),
            ("//", "/"),
            ("/a//b", "/a/"),
        ];
        for (path, want) in cases {
            assert_eq!(default_path(path), want, "{path:?}");
        }
    }

    #[test]
    fn path_match_conditions() {
        let cases = [
            ("/", "/", true),
            ("/a", "/", true),
            ("/a/b", "/a", true),
            ("/a/b", "/a/", true),
            ("/a", "/a", true),
            ("/ab", "/a", false),
            ("/a", "/a/", false),
            ("/A", "/a", false),
            ("/f%6Fo", "/foo", false),
            ("/", "/a", false),
        ];
        for (request, cookie, want) in cases {
            assert_eq!(path_match(request, cookie), want, "{request} ~ {cookie}");
        }
    }
}

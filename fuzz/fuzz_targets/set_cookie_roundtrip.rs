#![no_main]
// parse -> Display -> parse gives an equal cookie.
libfuzzer_sys::fuzz_target!(|data: &[u8]| {
    if let Ok(s) = std::str::from_utf8(data) {
        if let Ok(c) = cookiejar::SetCookie::parse(s) {
            let written = c.to_string();
            let again = cookiejar::SetCookie::parse(&written).expect("canonical form parses");
            assert!(again == c.normalized(), "{s:?} -> {written:?}");
        }
    }
});

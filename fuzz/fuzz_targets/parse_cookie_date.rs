#![no_main]
libfuzzer_sys::fuzz_target!(|data: &[u8]| {
    if let Ok(s) = std::str::from_utf8(data) {
        if let Some(date) = cookiejar::parse_cookie_date(s) {
            // What the algorithm accepts, IMF-fixdate writes back exactly.
            let written = cookiejar::HttpDate(date).to_string();
            assert_eq!(
                cookiejar::parse_cookie_date(&written),
                Some(date),
                "{written}"
            );
        }
    }
});

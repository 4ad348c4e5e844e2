#![no_main]
libfuzzer_sys::fuzz_target!(|data: &[u8]| {
    if let Ok(s) = std::str::from_utf8(data) {
        for pair in cookiejar::parse_cookie_header(s) {
            // No item carries a control character or a separator in its name.
            assert!(
                !pair.name().contains(';') && !pair.name().bytes().any(|b| b < 0x20 && b != b'\t')
            );
        }
    }
});

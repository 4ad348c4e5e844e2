#![no_main]
libfuzzer_sys::fuzz_target!(|data: &[u8]| {
    if let Ok(s) = std::str::from_utf8(data) {
        let _ = cookiejar::SetCookie::parse(s)
            .map(|c| (c.unknown_attributes().count(), c.value_unquoted().len()));
    }
});

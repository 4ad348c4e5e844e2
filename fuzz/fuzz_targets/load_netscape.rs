#![no_main]
use cookiejar::{Format, Jar, LoadOptions};

// Loading untrusted cookies.txt never panics; a strict failure changes
// nothing; what loads saves and loads again to the same cookies.
libfuzzer_sys::fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    let now = time::OffsetDateTime::UNIX_EPOCH + time::Duration::days(20_000);
    let mut jar = Jar::new();
    jar.set_cookie_at(
        &url::Url::parse("https://keep.example/").unwrap(),
        "keep=1",
        now,
    )
    .unwrap();
    if jar
        .load_text_at(text, Format::Netscape, LoadOptions::default(), now)
        .is_err()
    {
        assert_eq!(jar.len(), 1, "a failed strict load changes nothing");
    }
    let lenient = LoadOptions { merge: false, lenient: true, ..cookiejar::LoadOptions::default() };
    let mut jar = Jar::new();
    jar.load_text_at(text, Format::Netscape, lenient, now)
        .expect("lenient loads of cookies.txt never fail");
    let all = cookiejar::SaveOptions { include_session_cookies: true, ..cookiejar::SaveOptions::default() };
    let (saved, _) = jar.to_text_at(Format::Netscape, all, now);
    let mut again = Jar::new();
    again
        .load_text_at(&saved, Format::Netscape, LoadOptions::default(), now)
        .expect("our own output loads");
    assert_eq!(again.len(), jar.len());
});

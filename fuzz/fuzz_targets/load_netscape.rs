#![no_main]

// The loader properties of tests/common/loader_properties.rs, for
// cookies.txt input (any bytes: the loader decodes line by line).
#[path = "../../tests/common/loader_properties.rs"]
mod loader_properties;

libfuzzer_sys::fuzz_target!(|data: &[u8]| {
    loader_properties::check_loader(data, cookiejar::Format::Netscape);
});

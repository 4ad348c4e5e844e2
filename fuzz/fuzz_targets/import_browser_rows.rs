#![no_main]

// The browser import properties of tests/common/browser_import_properties.rs:
// the bytes become a Chromium or Firefox cookie database (rows of typed
// SQLite values, encrypted values among them), which is imported.
#[path = "../../tests/common/loader_properties.rs"]
mod loader_properties;
#[path = "../../tests/common/browser_import_properties.rs"]
mod browser_import_properties;

libfuzzer_sys::fuzz_target!(|data: &[u8]| {
    let _ = browser_import_properties::check_import(data);
});

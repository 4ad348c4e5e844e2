//! Proof that parsing allocates nothing: a counting global allocator (dhat's,
//! so that no `unsafe` code of ours is needed) around the parsers.
//!
//! This file is its own test binary with one test, because the global
//! allocator and dhat's profiler are process-wide.

mod common;

#[global_allocator]
static ALLOC: dhat::Alloc = dhat::Alloc;

#[test]
fn parsing_allocates_nothing() {
    let corpus = common::set_cookie_corpus();
    let cookie_header = "sid=abc; theme=dark; _ga=GA1.2.3.4; lang=en-US; consent=yes; x=\"q\"";
    let rfc2109 = "$Version=\"1\"; Customer=\"WILE\"; $Path=\"/acme\", Part=\"Rocket\"; $Domain=\".acme.com\"";
    let _profiler = dhat::Profiler::builder().testing().build();

    let before = dhat::HeapStats::get();
    let mut fields = 0usize;
    for header in &corpus {
        let c = cookiejar::SetCookie::parse(header).expect("corpus parses");
        fields += c.name().len() + c.value().len() + c.value_unquoted().len();
        fields += c.domain().map_or(0, str::len) + c.path().map_or(0, str::len);
        fields += usize::from(c.expires().is_some()) + usize::from(c.max_age().is_some());
        fields += usize::from(c.secure())
            + usize::from(c.http_only())
            + usize::from(c.same_site().is_some());
        fields += c.unknown_attributes().count();
    }
    for header in [cookie_header, rfc2109] {
        for pair in cookiejar::parse_cookie_header(header) {
            fields += pair.name().len() + pair.value().len() + pair.path().map_or(0, str::len);
        }
    }
    fields += usize::from(cookiejar::parse_cookie_date("Wed, 21 Oct 2015 07:28:00 GMT").is_some());
    let after = dhat::HeapStats::get();

    assert!(fields > 0);
    dhat::assert_eq!(after.total_blocks - before.total_blocks, 0);

    // Control: the counter does see an allocation.
    let boxed = std::hint::black_box(Box::new(fields));
    let control = dhat::HeapStats::get().total_blocks - after.total_blocks;
    dhat::assert_eq!(control, 1);
    drop(boxed);
}

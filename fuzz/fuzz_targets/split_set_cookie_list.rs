#![no_main]

// RFC 2109's several-cookies Set-Cookie header: the pieces are non-empty,
// in order, non-overlapping sub-slices of the header, and what lies
// between them is only separators and white space; joining pieces that
// have no comma of their own with ", " splits back into the same pieces.
libfuzzer_sys::fuzz_target!(|header: &str| {
    let base = header.as_ptr() as usize;
    let mut end = 0;
    let pieces: Vec<&str> = cookiejar::split_set_cookie_list(header).collect();
    for piece in &pieces {
        assert!(!piece.is_empty());
        let start = piece.as_ptr() as usize - base;
        assert!(start >= end, "in order, not overlapping");
        let between = &header[end..start];
        assert!(
            between.bytes().all(|b| matches!(b, b',' | b' ' | b'\t')),
            "only separators between pieces: {between:?}"
        );
        end = start + piece.len();
        assert!(end <= header.len());
    }
    assert!(header[end..].bytes().all(|b| matches!(b, b',' | b' ' | b'\t')));
    let simple: Vec<&str> = pieces
        .iter()
        .copied()
        .filter(|p| !p.contains([',', '"']) && p.contains('=') && !p.starts_with('='))
        .collect();
    if simple.len() == pieces.len() {
        let joined = simple.join(", ");
        let again: Vec<&str> = cookiejar::split_set_cookie_list(&joined).collect();
        assert_eq!(again, simple);
    }
});

#![no_main]

// The CLI's HAR replay (`cookiejar har`), on any text: reading a HAR never
// panics; a HAR that reads is replayed with one outcome per request; a
// request agrees exactly when the jar's `Cookie` pairs are the browser's,
// in order, and every difference is accounted for by a pair; and the jars
// keep their invariants after the replay.
#[path = "../../cli/src/har/replay.rs"]
#[allow(dead_code)]
mod replay;
#[path = "../../tests/common/loader_properties.rs"]
mod loader_properties;

use cookiejar::{Jar, Limits, Profile};

libfuzzer_sys::fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    let Ok(requests) = replay::parse(text) else {
        return;
    };
    assert!(requests.windows(2).all(|w| w[0].at <= w[1].at), "in time order");
    let mut jar = Jar::new();
    let mut chromium = Jar::builder()
        .profile(Profile::Chromium)
        .limits(Limits::BROWSER)
        .build();
    let outcomes = replay::replay(&requests, &mut jar, Some(&mut chromium), false);
    assert_eq!(outcomes.len(), requests.len(), "one outcome a request");
    for (request, outcome) in requests.iter().zip(&outcomes) {
        let browser = replay::pairs(request.cookie.as_deref());
        let ours = replay::pairs(outcome.sent_by_jar.as_deref());
        let diffs = &outcome.differences;
        assert_eq!(diffs.is_empty(), browser == ours, "agree iff equal");
        let count = |kind: &str| diffs.iter().filter(|d| d.kind == kind).count();
        let (missing, value, extra) = (count("missing"), count("value"), count("extra"));
        // Every browser pair is matched, changed or missing, and every pair
        // of the jar matched, changed or extra, each once.
        assert!(missing + value <= browser.len());
        assert_eq!(browser.len() - missing, ours.len() - extra, "{browser:?} {ours:?}");
        assert!(count("order") <= 1);
        if count("order") == 1 {
            assert_eq!(diffs.len(), 1, "order only when nothing else differs");
        }
    }
    if let Some(last) = requests.last() {
        loader_properties::check_invariants(&jar, last.at);
        loader_properties::check_invariants(&chromium, last.at);
    }
});

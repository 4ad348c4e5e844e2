//! RFC 6265bis section 5.6 step 1, the control-character test that every
//! `Set-Cookie` and `Cookie` header goes through as a whole: a cheap
//! filter in vector-friendly safe code, then the exact byte test only for
//! the rare header the filter lets through.

use super::grammar::{bytes_equal, tail_word, HI, LO};

/// RFC 6265bis section 5.6 step 1: "If the set-cookie-string contains a
/// %x00-08 / %x0A-1F / %x7F character (CTL characters excluding HTAB)".
///
/// Headers almost never contain a control character, so the whole header
/// is always scanned and this must be cheap: a filter that lets through
/// every header without a control character and a few with other bytes
/// ([`may_contain_ctl`]), then, only for those, the exact byte test.
#[inline]
pub(crate) fn contains_ctl(input: &[u8]) -> bool {
    may_contain_ctl(input) && has_ctl_byte(input)
}

/// The exact test of [`contains_ctl`], byte by byte: only for the rare
/// input that [`may_contain_ctl`] lets through, so kept out of line.
#[inline(never)]
pub(crate) fn has_ctl_byte(input: &[u8]) -> bool {
    input.iter().any(|&b| (b < 0x20 && b != b'\t') || b == 0x7F)
}

/// The filter of [`contains_ctl`] for one byte, as a key that is below
/// 0x21 exactly when the byte is below 0x20 (HTAB included), a DEL, or a
/// byte of 0x80 to 0x9F or 0xFF (these three kinds go on to the exact
/// test): `(b + 1) mod 128`. A key rather than a yes/no so that a block
/// reduces with one unsigned minimum per byte, which compilers turn into
/// vector code (SSE2 `pminub`) without `unsafe` or `std::arch`.
#[inline]
fn ctl_key(b: u8) -> u8 {
    b.wrapping_add(1) & 0x7F
}

/// Whether a byte of `word` may be a control character, as [`ctl_key`]
/// tells, eight keys at a time: masking the high bits first keeps the
/// carries of `+ 1` inside each byte, and with every key below 0x80 the
/// "hasless" test of "Bit Twiddling Hacks" needs no `!word` term. Only the
/// high bits of the result count (`& HI`), so a caller ORs several words
/// before testing.
#[inline]
fn ctl_keys_below_0x21(word: u64) -> u64 {
    (((word & !HI) + LO) & !HI).wrapping_sub(LO * 0x21)
}

/// True if `input` may hold a control character; false only if it holds
/// none. An input of 32 bytes or more goes to the vector passes of
/// [`long_may_contain_ctl`] (about 0.28 instructions a byte on a large
/// token); a shorter one is read as words of [`ctl_keys_below_0x21`] and
/// a padded tail.
#[inline(always)]
fn may_contain_ctl(input: &[u8]) -> bool {
    if input.len() >= 32 {
        return long_may_contain_ctl(input);
    }
    let (words, remainder) = input.as_chunks::<8>();
    let tail = match remainder.is_empty() {
        true => 0,
        // Padded with spaces, whose key (0x21) passes.
        false => ctl_keys_below_0x21(tail_word(input, remainder, b' ').1),
    };
    (ctl_keys_of(words) | tail) & HI != 0
}

/// For a header shorter than 32 bytes, in one pass over its words: whether
/// it may hold a control character (as [`may_contain_ctl`] tells) and
/// whether it holds a `;`. A short header without `;` is a bare
/// `name=value`, which `SetCookie::parse` then takes without a separator
/// scan. `None` for 32 bytes or more.
#[inline(always)]
pub(crate) fn short_scan(input: &[u8]) -> Option<(bool, bool)> {
    if input.len() >= 32 {
        return None;
    }
    let semicolons = |w: u64| bytes_equal(w, b';');
    let (words, remainder) = input.as_chunks::<8>();
    let (mut keys, mut found) = (0, 0);
    for w in words {
        let w = u64::from_le_bytes(*w);
        keys |= ctl_keys_below_0x21(w);
        found |= semicolons(w);
    }
    if !remainder.is_empty() {
        // Padded with spaces, which pass both tests.
        let w = tail_word(input, remainder, b' ').1;
        keys |= ctl_keys_below_0x21(w);
        found |= semicolons(w);
    }
    Some((keys & HI != 0, found != 0))
}

/// [`ctl_keys_below_0x21`] of every word, ORed.
#[inline(always)]
fn ctl_keys_of(words: &[[u8; 8]]) -> u64 {
    words.iter().fold(0, |acc, w| {
        acc | ctl_keys_below_0x21(u64::from_le_bytes(*w))
    })
}

/// Whether every byte of `input` (32 bytes or more, `last` its last 32) is
/// printable ASCII, 0x20 to 0x7E. Those are 0x00 to 0x5E less 0x20
/// (wrapping), every other byte 0x5F or more: one unsigned maximum per
/// byte, kept per lane of a 64-byte block so that the compiler's vector
/// loop reads four registers per step. The bytes after the whole blocks
/// are read again as the last 64 (or the first and last 32), which is
/// harmless in a yes/no test.
#[inline]
fn printable_ascii(input: &[u8], last: &[u8; 32]) -> bool {
    fn lanes<const N: usize>(acc: [u8; N], blocks: &[[u8; N]]) -> [u8; N] {
        blocks.iter().fold(acc, |mut acc, block| {
            for (lane, &b) in acc.iter_mut().zip(block) {
                *lane = (*lane).max(b.wrapping_sub(0x20));
            }
            acc
        })
    }
    let max = |lanes: &[u8]| lanes.iter().fold(0, |max, &b| max.max(b));
    let beyond = match (input.as_chunks::<64>(), input.last_chunk::<64>()) {
        ((blocks, _), Some(last)) => max(&lanes(lanes([0; 64], blocks), &[*last])),
        _ => {
            let first = input.first_chunk::<32>().unwrap_or(last);
            max(&lanes([0; 32], &[*first, *last]))
        }
    };
    beyond < 0x5F
}

/// [`may_contain_ctl`] of 32 bytes or more, out of line: the short path is
/// inlined into the parsers, this one is not worth the code.
///
/// Two passes, the second only if the first finds a byte outside printable
/// ASCII. The first is the cheaper (two vector operations per 16 bytes
/// instead of three) and is all that a header of cookie-octets (RFC 6265
/// section 4.1.1), tokens and dates ever needs; the second tells control
/// characters from most non-ASCII bytes.
#[inline(never)]
fn long_may_contain_ctl(input: &[u8]) -> bool {
    // Callers pass 32 bytes or more; `true` would send the rest to the
    // exact test.
    let Some(last) = input.last_chunk::<32>() else {
        return true;
    };
    if printable_ascii(input, last) {
        return false;
    }
    let (blocks, _) = input.as_chunks::<32>();
    let min = blocks
        .as_flattened()
        .iter()
        .fold(u8::MAX, |min, &b| min.min(ctl_key(b)));
    min < 0x21 || ctl_keys_of(last.as_chunks::<8>().0) & HI != 0
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ctl_filter_passes_exactly_the_documented_bytes() {
        for b in 0..=u8::MAX {
            let flagged = b < 0x20 || b == 0x7F || (0x80..=0x9F).contains(&b) || b == 0xFF;
            // Every position of a short input (words) and a long one (the
            // vector blocks and the re-read last 32 bytes).
            for len in [1, 7, 8, 9, 31, 32, 33, 63, 64, 65, 100, 128, 200] {
                for at in 0..len {
                    let mut input = vec![b'a'; len];
                    input[at] = b;
                    assert_eq!(may_contain_ctl(&input), flagged, "{b:#x} at {at} of {len}");
                }
            }
        }
    }

    #[test]
    fn printable_ascii_is_0x20_to_0x7e() {
        for b in 0..=u8::MAX {
            for len in [32, 33, 63, 64, 65, 127, 128, 129, 200] {
                for at in 0..len {
                    let mut input = vec![b'~'; len];
                    input[at] = b;
                    let last = input.last_chunk::<32>().unwrap();
                    let want = (0x20..=0x7E).contains(&b);
                    assert_eq!(
                        printable_ascii(&input, last),
                        want,
                        "{b:#x} at {at} of {len}"
                    );
                }
            }
        }
    }

    #[test]
    fn ctl_excludes_htab() {
        assert!(!contains_ctl(b"a\tb"));
        assert!(contains_ctl(b"a\x00b"));
        assert!(contains_ctl(b"a\rb"));
        assert!(contains_ctl(b"a\x7fb"));
        assert!(!contains_ctl("é".as_bytes()));
    }
}

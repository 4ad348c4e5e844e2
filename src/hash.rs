//! The hash of the jar's bucket map and of the public suffix list's
//! labels: keyed per map, like std's `RandomState`, but a multiply-and-fold
//! over eight bytes at a time instead of SipHash-1-3 (the folded multiply
//! of foldhash and aHash's fallback). A lookup and a store each hash a
//! registrable domain several times and the labels of a host once, and
//! with SipHash that was about a fifth of a lookup.
//!
//! Keys are domains and labels, which servers choose. The random key per
//! map keeps a server from knowing which domains collide; this is the
//! "minimal DoS resistance" of foldhash, not SipHash's guarantee. A
//! collision costs a string comparison, never a wrong answer.

use std::hash::{BuildHasher, Hasher};

/// Chosen once per map (see [`KeyedHash::default`]).
#[derive(Debug, Clone, Copy)]
pub(crate) struct KeyedHash {
    seed: u64,
}

impl Default for KeyedHash {
    /// A key from std's random keys, so that no two maps (and no two
    /// runs) share one.
    fn default() -> Self {
        let seed = std::collections::hash_map::RandomState::new().hash_one(0x5EED_u64);
        KeyedHash { seed: seed | 1 }
    }
}

impl BuildHasher for KeyedHash {
    type Hasher = FoldHasher;

    fn build_hasher(&self) -> FoldHasher {
        FoldHasher {
            acc: self.seed,
            seed: self.seed,
        }
    }
}

/// The hasher [`KeyedHash`] builds.
#[derive(Debug)]
pub(crate) struct FoldHasher {
    acc: u64,
    seed: u64,
}

/// The odd constant of the fold: the bits of pi, as in foldhash.
const PI: u64 = 0x243F_6A88_85A3_08D3;

fn fold(a: u64, b: u64) -> u64 {
    let full = u128::from(a) * u128::from(b);
    (full as u64) ^ ((full >> 64) as u64)
}

impl Hasher for FoldHasher {
    fn write(&mut self, bytes: &[u8]) {
        let mut words = bytes.chunks_exact(8);
        for word in &mut words {
            let mut w = [0; 8];
            w.copy_from_slice(word);
            self.acc = fold(self.acc ^ u64::from_le_bytes(w), self.seed ^ PI);
        }
        let tail = words.remainder();
        if !tail.is_empty() {
            let mut w = [0; 8];
            if let Some(dst) = w.get_mut(..tail.len()) {
                dst.copy_from_slice(tail);
            }
            // The length keeps "a" and "a\0" apart.
            let last = u64::from_le_bytes(w) ^ ((tail.len() as u64) << 59);
            self.acc = fold(self.acc ^ last, self.seed ^ PI);
        }
    }

    fn write_u8(&mut self, byte: u8) {
        self.acc = fold(self.acc ^ u64::from(byte), self.seed ^ PI);
    }

    fn finish(&self) -> u64 {
        fold(self.acc, self.seed)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::collections::HashSet;

    #[test]
    fn distinct_domains_hash_apart() {
        let hash = KeyedHash::default();
        let hashes: HashSet<u64> = (0..100_000)
            .map(|i| hash.hash_one(format!("site{i}.com").as_str()))
            .collect();
        assert!(hashes.len() > 99_990, "{}", hashes.len());
        // The low bits pick the bucket: they spread too.
        let low: HashSet<u64> = hashes.iter().map(|h| h & 0xFFFF).collect();
        assert!(low.len() > 40_000, "{}", low.len());
        let tag: HashSet<u64> = hashes.iter().map(|h| h >> 57).collect();
        assert_eq!(tag.len(), 128);
    }

    #[test]
    fn keys_differ_per_jar() {
        let (a, b) = (KeyedHash::default(), KeyedHash::default());
        assert_ne!(a.hash_one("example.com"), b.hash_one("example.com"));
        assert_eq!(a.hash_one("example.com"), a.hash_one("example.com"));
    }
}

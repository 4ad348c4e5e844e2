//! Chromium's cookie encryption on Linux (`os_crypt`): AES-128-CBC with a
//! key from PBKDF2-HMAC-SHA1 (salt `saltysalt`, one iteration), an IV of 16
//! spaces and PKCS#7 padding. The key's password is the fixed `peanuts` for
//! `v10` values (no keyring: `--password-store=basic`) and the secret the
//! desktop keyring holds for `v11` values.
//!
//! The primitives are RustCrypto's (`aes`, `cbc`, `pbkdf2`, `sha1`); this
//! file only says which and how.

use aes::cipher::{block_padding::Pkcs7, BlockModeDecrypt, KeyIvInit};
use sha2::{Digest, Sha256};

/// The password Chromium uses on Linux when no keyring holds one.
const V10_PASSWORD: &[u8] = b"peanuts";
const SALT: &[u8] = b"saltysalt";
const IV: [u8; 16] = [b' '; 16];

/// A derived AES-128 key.
#[derive(Clone)]
pub(crate) struct Key([u8; 16]);

impl std::fmt::Debug for Key {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("Key(<redacted>)")
    }
}

impl Key {
    /// The key for `password`, as Chromium derives it.
    pub(crate) fn derive(password: &[u8]) -> Key {
        Key(pbkdf2::pbkdf2_hmac_array::<sha1::Sha1, 16>(
            password, SALT, 1,
        ))
    }

    /// The key of `v10` values.
    pub(crate) fn v10() -> Key {
        Key::derive(V10_PASSWORD)
    }

    /// The plaintext of `ciphertext` (the bytes after the `v1x` prefix), or
    /// `None` if it is not whole blocks or its padding is wrong (a wrong
    /// key, almost always).
    pub(crate) fn decrypt(&self, ciphertext: &[u8]) -> Option<Vec<u8>> {
        if ciphertext.is_empty() || !ciphertext.len().is_multiple_of(16) {
            return None;
        }
        let mut buf = ciphertext.to_vec();
        let decryptor = cbc::Decryptor::<aes::Aes128>::new(&self.0.into(), &IV.into());
        let len = decryptor.decrypt_padded::<Pkcs7>(&mut buf).ok()?.len();
        buf.truncate(len);
        Some(buf)
    }
}

/// The 32-byte prefix that Chromium (cookie database version 24 and later)
/// puts before the value: SHA-256 of the cookie's `host_key`, which binds
/// a value to its domain so that an encrypted value moved to another row
/// does not decrypt.
pub(crate) fn domain_hash(host_key: &str) -> [u8; 32] {
    Sha256::digest(host_key.as_bytes()).into()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn v10_key_is_chromiums() {
        // The well-known key: PBKDF2-HMAC-SHA1("peanuts", "saltysalt", 1, 16).
        assert_eq!(
            Key::v10().0,
            [
                0xfd, 0x62, 0x1f, 0xe5, 0xa2, 0xb4, 0x02, 0x53, 0x9d, 0xfa, 0x14, 0x7c, 0xa9, 0x27,
                0x27, 0x78
            ]
        );
    }

    #[test]
    fn decrypt_refuses_partial_blocks_and_bad_padding() {
        let key = Key::v10();
        assert_eq!(key.decrypt(b""), None);
        assert_eq!(key.decrypt(&[0u8; 15]), None);
        // 16 zero bytes decrypt to something whose last byte is almost
        // surely not valid padding; either way no panic.
        let _ = key.decrypt(&[0u8; 16]);
    }

    #[test]
    fn domain_hash_is_sha256() {
        assert_eq!(
            domain_hash("")[..4],
            [0xe3, 0xb0, 0xc4, 0x42],
            "SHA-256 of the empty string"
        );
    }
}

//! Key derivation and HMAC (SigV4 "Task 3": calculate the signature).

use crate::prelude::*;
use sha2::digest::generic_array::GenericArray;
use sha2::{Digest, Sha256};
use zeroize::{Zeroize, ZeroizeOnDrop};

const SHA256_IV: [u32; 8] = [
    0x6a09_e667,
    0xbb67_ae85,
    0x3c6e_f372,
    0xa54f_f53a,
    0x510e_527f,
    0x9b05_688c,
    0x1f83_d9ab,
    0x5be0_cd19,
];

fn compress(state: &mut [u32; 8], block: &[u8]) {
    // `block` is always exactly 64 bytes here (callers slice whole blocks).
    sha2::compress256(
        state,
        core::slice::from_ref(GenericArray::from_slice(block)),
    );
}

/// SHA-256 of `prefix_blocks * 64` already-absorbed bytes (in `state`) followed by `data`.
fn finish(mut state: [u32; 8], prefix_len: u64, data: &[u8]) -> [u8; 32] {
    let mut chunks = data.chunks_exact(64);
    for block in &mut chunks {
        compress(&mut state, block);
    }
    let rest = chunks.remainder();
    let mut last = [0u8; 128];
    last[..rest.len()].copy_from_slice(rest);
    last[rest.len()] = 0x80;
    let bits = (prefix_len + data.len() as u64) * 8;
    let end = if rest.len() < 56 { 64 } else { 128 };
    last[end - 8..end].copy_from_slice(&bits.to_be_bytes());
    compress(&mut state, &last[..64]);
    if end == 128 {
        compress(&mut state, &last[64..]);
    }
    // Slices take zeroize's bulk path (one fill behind an optimization barrier); arrays would
    // be wiped one volatile write per element.
    last.as_mut_slice().zeroize();
    let mut out = [0u8; 32];
    for (o, w) in out.chunks_exact_mut(4).zip(state.iter()) {
        o.copy_from_slice(&w.to_be_bytes());
    }
    state.as_mut_slice().zeroize();
    out
}

/// An HMAC-SHA256 key with its inner and outer pad blocks already absorbed (RFC 2104), so each
/// MAC costs only the message blocks plus one outer block. The two SHA-256 states are plain
/// words, zeroized on drop.
#[derive(Clone, Zeroize, ZeroizeOnDrop)]
pub(crate) struct HmacKey {
    inner: [u32; 8],
    outer: [u32; 8],
}

impl HmacKey {
    pub(crate) fn new(key: &[u8]) -> Self {
        let mut block = [0u8; 64];
        if key.len() > 64 {
            block[..32].copy_from_slice(&Sha256::digest(key));
        } else {
            block[..key.len()].copy_from_slice(key);
        }
        let mut pad = [0u8; 64];
        let (mut inner, mut outer) = (SHA256_IV, SHA256_IV);
        for (p, k) in pad.iter_mut().zip(block.iter()) {
            *p = k ^ 0x36;
        }
        compress(&mut inner, &pad);
        for (p, k) in pad.iter_mut().zip(block.iter()) {
            *p = k ^ 0x5c;
        }
        compress(&mut outer, &pad);
        block.zeroize();
        pad.zeroize();
        HmacKey { inner, outer }
    }

    pub(crate) fn mac(&self, data: &[u8]) -> [u8; 32] {
        let inner_hash = finish(self.inner, 64, data);
        finish(self.outer, 64, &inner_hash)
    }
}

/// HMAC-SHA256 of `data` under `key`.
pub(crate) fn hmac_sha256(key: &[u8], data: &[u8]) -> [u8; 32] {
    HmacKey::new(key).mac(data)
}

/// SHA-256 of `data`.
pub(crate) fn sha256(data: &[u8]) -> [u8; 32] {
    Sha256::digest(data).into()
}

/// `kSigning = HMAC(HMAC(HMAC(HMAC("AWS4" + secret, date), region), service), "aws4_request")`,
/// returned ready to MAC with (pads absorbed).
pub(crate) fn derive_signing_key(secret: &str, date: &str, region: &str, service: &str) -> HmacKey {
    let mut raw = derive_raw(secret, date, region, service);
    let key = HmacKey::new(&raw);
    raw.zeroize();
    key
}

fn derive_raw(secret: &str, date: &str, region: &str, service: &str) -> [u8; 32] {
    let mut k_secret = [0u8; 132];
    let key = if secret.len() <= 128 {
        k_secret[..4].copy_from_slice(b"AWS4");
        k_secret[4..4 + secret.len()].copy_from_slice(secret.as_bytes());
        let mut k_date = hmac_sha256(&k_secret[..4 + secret.len()], date.as_bytes());
        let k = chain(&mut k_date, region, service);
        k_secret.zeroize();
        k
    } else {
        let mut long = Vec::with_capacity(4 + secret.len());
        long.extend_from_slice(b"AWS4");
        long.extend_from_slice(secret.as_bytes());
        let mut k_date = hmac_sha256(&long, date.as_bytes());
        long.zeroize();
        chain(&mut k_date, region, service)
    };
    key
}

fn chain(k_date: &mut [u8; 32], region: &str, service: &str) -> [u8; 32] {
    let mut k_region = hmac_sha256(k_date, region.as_bytes());
    let mut k_service = hmac_sha256(&k_region, service.as_bytes());
    let k_signing = hmac_sha256(&k_service, b"aws4_request");
    k_date.zeroize();
    k_region.zeroize();
    k_service.zeroize();
    k_signing
}

/// Lowercase hex of a SHA-256 digest or MAC, four input bytes per step in a `u64` (no table
/// loads): the nibbles are spread one per byte, then `0`–`9` and `a`–`f` are selected by
/// arithmetic.
#[inline]
pub(crate) fn hex32(digest: &[u8; 32]) -> [u8; 64] {
    const LOW_NIBBLES: u64 = 0x0f0f_0f0f_0f0f_0f0f;
    let mut out = [0u8; 64];
    for (o, i) in out.chunks_exact_mut(8).zip(digest.chunks_exact(4)) {
        let mut x = [0u8; 4];
        x.copy_from_slice(i);
        // Bytes b0 b1 b2 b3 -> b0 0 b1 0 b2 0 b3 0 (little-endian lanes).
        let mut v = u64::from(u32::from_le_bytes(x));
        v = (v | (v << 16)) & 0x0000_ffff_0000_ffff;
        v = (v | (v << 8)) & 0x00ff_00ff_00ff_00ff;
        // High nibble first: lane 2k = b_k >> 4, lane 2k+1 = b_k & 15.
        let nib = ((v >> 4) & LOW_NIBBLES) | ((v & LOW_NIBBLES) << 8);
        // A lane is 10..=15 exactly when adding 0x76 sets its top bit (no carry between lanes).
        let letters = ((nib + 0x7676_7676_7676_7676) >> 7) & 0x0101_0101_0101_0101;
        let ascii = nib + 0x3030_3030_3030_3030 + letters * (b'a' - b'0' - 10) as u64;
        o.copy_from_slice(&ascii.to_le_bytes());
    }
    out
}

#[cfg(test)]
impl HmacKey {
    /// A key from raw bytes, for tests of the cache.
    pub(crate) fn for_tests(raw: &[u8]) -> Self {
        HmacKey::new(raw)
    }
    /// Whether two keys are the same (tests only; not constant-time).
    pub(crate) fn same_as(&self, other: &HmacKey) -> bool {
        self.inner == other.inner && self.outer == other.outer
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn own_sha256_padding_matches_sha2_at_every_length() {
        // Lengths around the 55/56/64-byte padding boundaries, through HMAC's inner hash
        // (prefix of one block) and through a plain hash (no prefix).
        for len in 0..200 {
            let data: Vec<u8> = (0..len).map(|i| i as u8).collect();
            assert_eq!(
                finish(SHA256_IV, 0, &data),
                <[u8; 32]>::from(Sha256::digest(&data)),
                "{len}"
            );
        }
    }

    #[test]
    fn hex_matches_the_hex_crate() {
        let mut d = [0u8; 32];
        for seed in 0..=255u8 {
            for (i, b) in d.iter_mut().enumerate() {
                *b = seed
                    .wrapping_mul(31)
                    .wrapping_add((i as u8).wrapping_mul(seed | 1));
            }
            assert_eq!(hex32(&d).as_slice(), hex::encode(d).as_bytes());
        }
        let all: Vec<u8> = (0..=255).collect();
        for c in all.chunks(32) {
            let d: [u8; 32] = c.try_into().unwrap();
            assert_eq!(hex32(&d).as_slice(), hex::encode(d).as_bytes());
        }
    }

    #[test]
    fn rfc4231_case_6_long_key() {
        // RFC 4231 test case 6: 131-byte key of 0xaa (longer than the block size).
        assert_eq!(
            hex::encode(hmac_sha256(
                &[0xaa; 131],
                b"Test Using Larger Than Block-Size Key - Hash Key First"
            )),
            "60e431591ee0b67f0d8a26aacbf5b77f8e0bc6213728c5140546040f0ee37f54"
        );
    }

    #[test]
    fn rfc4231_case_2() {
        // RFC 4231 test case 2: key "Jefe", data "what do ya want for nothing?".
        assert_eq!(
            hex::encode(hmac_sha256(b"Jefe", b"what do ya want for nothing?")),
            "5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843"
        );
    }

    #[test]
    fn aws_documented_signing_key() {
        // The AWS General Reference "derive a signing key" example: secret
        // wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY, 20120215, us-east-1, iam.
        let k = derive_raw(
            "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY",
            "20120215",
            "us-east-1",
            "iam",
        );
        assert_eq!(
            hex::encode(k),
            "f4780e2d9f65fa895f9c67b32ce1baf0b0d8a43505a000a1a9e090d414db404d"
        );
        let long: String = "x".repeat(200);
        assert_ne!(derive_raw(&long, "20120215", "us-east-1", "iam"), k);
    }
}

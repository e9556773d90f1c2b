//! Key derivation and HMAC (SigV4 "Task 3": calculate the signature).

use sha2::{Digest, Sha256};
use zeroize::Zeroize;

/// An HMAC-SHA256 key with its inner and outer pad blocks already absorbed (RFC 2104), so each
/// MAC costs only the message blocks plus one outer block.
#[derive(Clone)]
pub(crate) struct HmacKey {
    inner: Sha256,
    outer: Sha256,
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
        for (p, k) in pad.iter_mut().zip(block.iter()) {
            *p = k ^ 0x36;
        }
        let inner = Sha256::new_with_prefix(pad);
        for (p, k) in pad.iter_mut().zip(block.iter()) {
            *p = k ^ 0x5c;
        }
        let outer = Sha256::new_with_prefix(pad);
        block.zeroize();
        pad.zeroize();
        HmacKey { inner, outer }
    }

    pub(crate) fn mac(&self, data: &[u8]) -> [u8; 32] {
        let mut inner = self.inner.clone();
        inner.update(data);
        let mut outer = self.outer.clone();
        outer.update(inner.finalize());
        outer.finalize().into()
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

/// `kSigning = HMAC(HMAC(HMAC(HMAC("AWS4" + secret, date), region), service), "aws4_request")`.
pub(crate) fn derive_signing_key(
    secret: &str,
    date: &str,
    region: &str,
    service: &str,
) -> [u8; 32] {
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

#[cfg(test)]
mod tests {
    use super::*;

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
        let k = derive_signing_key(
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
        assert_ne!(derive_signing_key(&long, "20120215", "us-east-1", "iam"), k);
    }
}

//! The key-encryption KDF: libsodium's `crypto_pwhash_scryptsalsa208sha256`, which
//! minisign calls with an (opslimit, memlimit) pair that libsodium turns into scrypt's
//! (N, r, p) in `pickparams`. We reproduce that mapping so our files and minisign's agree.

use zeroize::Zeroizing;

use crate::KeyError;

/// The (opslimit, memlimit) pair stored in a minisign secret key.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct KdfLimits {
    pub opslimit: u64,
    pub memlimit: u64,
}

/// What we write: libsodium maps it to N=2^18, r=8, p=1 (256 MiB, ≈0.75 s of CPU).
///
/// Every recording command decrypts the key once and the test suite runs hundreds of
/// them, so minisign's 1 GiB "sensitive" default (N=2^20) would cost seconds each time.
/// 2^18 is also what age and Go use for passphrase files. See docs/keys.md.
pub const KEY_KDF: KdfLimits = KdfLimits { opslimit: 1 << 23, memlimit: 1 << 28 };

/// Refuse, on read, anything above these: a hostile key file must not exhaust memory or time.
/// minisign's own default (N=2^20, 1 GiB, p=1) stays readable.
pub const MAX_LOG_N: u32 = 22;
pub const MAX_MEMORY: u64 = 1 << 30;
pub const MAX_P: u32 = 8;

/// Refuse, on read and write, anything below these: a key file whose KDF costs almost
/// nothing protects the secret key with almost nothing. N=2^14, r=8 (16 MiB) is
/// libsodium's "interactive" level, the cheapest minisign's library offers.
pub const MIN_LOG_N: u32 = 14;
pub const MIN_MEMORY: u64 = 16 << 20;

/// scrypt parameters as libsodium derives them.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct ScryptParams {
    pub log_n: u32,
    pub r: u32,
    pub p: u32,
}

/// libsodium `pickparams` (crypto_pwhash/scryptsalsa208sha256/pwhash_scryptsalsa208sha256.c),
/// including its integer truncations.
pub fn pickparams(opslimit: u64, memlimit: u64) -> ScryptParams {
    let opslimit = opslimit.max(32768);
    let r: u32 = 8;
    let first_log_n_above = |max_n: u64| {
        let mut log_n = 1u32;
        while log_n < 63 {
            if (1u64 << log_n) > max_n / 2 {
                break;
            }
            log_n += 1;
        }
        log_n
    };
    if opslimit < memlimit / 32 {
        let max_n = opslimit / (u64::from(r) * 4);
        ScryptParams { log_n: first_log_n_above(max_n), r, p: 1 }
    } else {
        let max_n = memlimit / (u64::from(r) * 128);
        let log_n = first_log_n_above(max_n);
        let maxrp = ((opslimit / 4) / (1u64 << log_n)).min(0x3fff_ffff);
        // libsodium casts maxrp to uint32_t before dividing; the min above makes that lossless.
        let p = (maxrp as u32) / r;
        ScryptParams { log_n, r, p }
    }
}

impl ScryptParams {
    /// Bytes scrypt allocates for V (128·r·N), the part that grows with N.
    pub fn memory(&self) -> Option<u64> {
        128u64.checked_mul(u64::from(self.r))?.checked_mul(1u64.checked_shl(self.log_n)?)
    }

    pub(crate) fn check_bounds(&self) -> Result<(), KeyError> {
        let too_much = KeyError::KdfTooExpensive {
            log_n: self.log_n,
            r: self.r,
            p: self.p,
            max_log_n: MAX_LOG_N,
            max_mem: MAX_MEMORY,
            max_p: MAX_P,
        };
        if self.p == 0 {
            return Err(KeyError::Malformed { what: "KDF limits give p=0" });
        }
        if self.log_n < MIN_LOG_N || self.memory().is_some_and(|m| m < MIN_MEMORY) {
            return Err(KeyError::KdfTooWeak {
                log_n: self.log_n,
                r: self.r,
                min_log_n: MIN_LOG_N,
                min_mem: MIN_MEMORY,
            });
        }
        match self.memory() {
            Some(m) if m <= MAX_MEMORY && self.log_n <= MAX_LOG_N && self.p <= MAX_P => Ok(()),
            _ => Err(too_much),
        }
    }
}

/// Derive `out.len()` bytes of key stream from the passphrase, refusing costs above our bound.
pub fn derive(passphrase: &[u8], salt: &[u8; 32], limits: KdfLimits, out: &mut [u8]) -> Result<(), KeyError> {
    let params = pickparams(limits.opslimit, limits.memlimit);
    params.check_bounds()?;
    let log_n = u8::try_from(params.log_n).map_err(|_| KeyError::Malformed { what: "KDF log N" })?;
    // `len` is only used by scrypt's PHC string API; the raw call takes `out` as is.
    let sp = scrypt::Params::new(log_n, params.r, params.p, scrypt::Params::RECOMMENDED_LEN)
        .map_err(|_| KeyError::Malformed { what: "KDF parameters" })?;
    scrypt::scrypt(passphrase, salt, &sp, out).map_err(|_| KeyError::Malformed { what: "KDF output length" })
}

/// A zeroizing buffer for the key stream.
pub(crate) fn stream<const N: usize>() -> Zeroizing<[u8; N]> {
    Zeroizing::new([0u8; N])
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sodium_mapping_of_known_limits() {
        // minisign's default (crypto_pwhash_scryptsalsa208sha256_*_SENSITIVE)
        assert_eq!(pickparams(33_554_432, 1_073_741_824), ScryptParams { log_n: 20, r: 8, p: 1 });
        // libsodium INTERACTIVE
        assert_eq!(pickparams(524_288, 16_777_216), ScryptParams { log_n: 14, r: 8, p: 1 });
        assert_eq!(pickparams(KEY_KDF.opslimit, KEY_KDF.memlimit), ScryptParams { log_n: 18, r: 8, p: 1 });
        assert_eq!(pickparams(KEY_KDF.opslimit, KEY_KDF.memlimit).memory(), Some(256 << 20));
        // opslimit-bound branch
        assert_eq!(pickparams(1 << 23, 1 << 40).log_n, 18);
        // tiny values are clamped to opslimit 32768
        assert_eq!(pickparams(0, 0).log_n, 1);
    }

    #[test]
    fn keys_below_the_documented_minimum_are_refused() {
        let mut out = [0u8; 8];
        let weak = KdfLimits { opslimit: 32768, memlimit: 1 << 20 };
        assert!(matches!(derive(b"x", &[0; 32], weak, &mut out), Err(KeyError::KdfTooWeak { .. })));
        let interactive = KdfLimits { opslimit: 524_288, memlimit: 16_777_216 };
        assert!(derive(b"x", &[0; 32], interactive, &mut out).is_ok());
    }

    #[test]
    fn hostile_limits_are_refused_before_allocating() {
        let mut out = [0u8; 8];
        let huge = KdfLimits { opslimit: u64::MAX, memlimit: u64::MAX };
        assert!(matches!(derive(b"x", &[0; 32], huge, &mut out), Err(KeyError::KdfTooExpensive { .. })));
        let four_gib = KdfLimits { opslimit: 1 << 27, memlimit: 1 << 32 };
        assert!(matches!(derive(b"x", &[0; 32], four_gib, &mut out), Err(KeyError::KdfTooExpensive { .. })));
    }
}

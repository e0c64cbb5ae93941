//! Overwrite methods, their passes, and the seeded random stream that lets a random
//! pass be verified by regenerating it instead of storing it.

use std::fmt;
use std::str::FromStr;

use chacha20::cipher::{KeyIvInit, StreamCipher, StreamCipherSeek};
use sha2::{Digest, Sha256};
use zeroize::{Zeroize, ZeroizeOnDrop};

use crate::WipeError;

/// How data is overwritten.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, serde::Serialize, serde::Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum Method {
    /// One pass of 0x00.
    Zero,
    /// One pass from a CSPRNG (ChaCha12, keyed per run), verified by regenerating it.
    #[default]
    Random,
    /// NIST SP 800-88 Rev.1 Clear for flash: a pattern (0x55), then its complement (0xAA).
    NistClear,
    /// DoD 5220.22-M (3 passes): 0x00, 0xFF, random; the last pass is verified.
    #[serde(rename = "dod-3")]
    Dod3,
    /// BSI VSITR (7 passes): 0x00, 0xFF six times alternating, then 0xAA.
    Vsitr,
}

/// What one pass writes.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum Pass {
    /// Every byte is this value.
    Pattern(u8),
    /// The seeded ChaCha12 stream.
    Random,
}

impl Method {
    /// Every method, in CLI order.
    pub const ALL: [Method; 5] = [Method::Zero, Method::Random, Method::NistClear, Method::Dod3, Method::Vsitr];

    /// The passes in the order they are written. Only the last one is verified: earlier
    /// passes are overwritten by later ones, so reading them back proves nothing.
    pub fn passes(self) -> &'static [Pass] {
        use Pass::*;
        match self {
            Method::Zero => &[Pattern(0x00)],
            Method::Random => &[Random],
            Method::NistClear => &[Pattern(0x55), Pattern(0xAA)],
            Method::Dod3 => &[Pattern(0x00), Pattern(0xFF), Random],
            Method::Vsitr => &[
                Pattern(0x00),
                Pattern(0xFF),
                Pattern(0x00),
                Pattern(0xFF),
                Pattern(0x00),
                Pattern(0xFF),
                Pattern(0xAA),
            ],
        }
    }

    /// The CLI name.
    pub fn name(self) -> &'static str {
        match self {
            Method::Zero => "zero",
            Method::Random => "random",
            Method::NistClear => "nist-clear",
            Method::Dod3 => "dod-3",
            Method::Vsitr => "vsitr",
        }
    }
}

impl fmt::Display for Method {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name())
    }
}

impl FromStr for Method {
    type Err = WipeError;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        Method::ALL.into_iter().find(|m| m.name() == s).ok_or_else(|| WipeError::UnknownMethod { name: s.to_owned() })
    }
}

/// How the last pass is checked.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, serde::Serialize, serde::Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum VerifyMode {
    /// Read back every overwritten byte from the device.
    #[default]
    Full,
    /// NIST SP 800-88 sampling: >= 1,000 subsections, two pseudorandom locations in
    /// each plus the first and last block, >= 10 % coverage. Small files are read fully.
    Sample,
    /// No read-back; items are recorded as not verified.
    None,
}

impl VerifyMode {
    pub fn name(self) -> &'static str {
        match self {
            VerifyMode::Full => "full",
            VerifyMode::Sample => "sample",
            VerifyMode::None => "none",
        }
    }
}

impl fmt::Display for VerifyMode {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name())
    }
}

impl FromStr for VerifyMode {
    type Err = WipeError;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        match s {
            "full" => Ok(VerifyMode::Full),
            "sample" => Ok(VerifyMode::Sample),
            "none" => Ok(VerifyMode::None),
            _ => Err(WipeError::UnknownVerifyMode { name: s.to_owned() }),
        }
    }
}

/// The per-run secret from which every random pass is derived. Kept only in memory:
/// knowing it would let someone tell overwritten blocks apart from other random data.
#[derive(Clone, Zeroize, ZeroizeOnDrop)]
pub(crate) struct RunSeed([u8; 32]);

impl fmt::Debug for RunSeed {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("RunSeed([redacted])")
    }
}

impl RunSeed {
    pub(crate) fn generate() -> Result<Self, WipeError> {
        let mut b = [0u8; 32];
        custody_fsio::fill_random(&mut b).map_err(|e| WipeError::Random(e.to_string()))?;
        Ok(RunSeed(b))
    }

    #[cfg(test)]
    pub(crate) fn from_bytes(b: [u8; 32]) -> Self {
        RunSeed(b)
    }
}

/// ChaCha counters are 32-bit (256 GiB per nonce), so the stream is cut into 1 GiB
/// segments, each with its own nonce; this also gives cheap random access for sampling.
const SEGMENT: u64 = 1 << 30;

/// Fills buffers with one pass's bytes for one item at any offset.
pub(crate) struct PassFiller {
    pass: Pass,
    key: [u8; 32],
    pass_no: u32,
}

impl Drop for PassFiller {
    fn drop(&mut self) {
        self.key.zeroize();
    }
}

impl PassFiller {
    /// `item` separates streams of different items of the same run.
    pub(crate) fn new(seed: &RunSeed, item: &[u8], pass_no: u32, pass: Pass) -> Self {
        let mut h = Sha256::new();
        h.update(b"custody-wipe pass key v1\0");
        h.update(seed.0);
        h.update(item);
        PassFiller { pass, key: h.finalize().into(), pass_no }
    }

    pub(crate) fn fill(&self, offset: u64, buf: &mut [u8]) {
        match self.pass {
            Pass::Pattern(b) => buf.fill(b),
            Pass::Random => {
                buf.fill(0);
                let mut done = 0usize;
                while done < buf.len() {
                    let pos = offset + done as u64;
                    let seg = pos / SEGMENT;
                    let within = pos % SEGMENT;
                    let n = ((SEGMENT - within) as usize).min(buf.len() - done);
                    let mut nonce = [0u8; 12];
                    nonce[..4].copy_from_slice(&self.pass_no.to_le_bytes());
                    nonce[4..].copy_from_slice(&seg.to_le_bytes());
                    let mut c = chacha20::ChaCha12::new(&self.key.into(), &nonce.into());
                    c.seek(within);
                    c.apply_keystream(&mut buf[done..done + n]);
                    done += n;
                }
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_round_trip() {
        for m in Method::ALL {
            assert_eq!(m.name().parse::<Method>().unwrap(), m);
            assert_eq!(serde_json::to_string(&m).unwrap(), format!("\"{}\"", m.name()));
        }
        assert!("shred".parse::<Method>().is_err());
        for v in [VerifyMode::Full, VerifyMode::Sample, VerifyMode::None] {
            assert_eq!(v.name().parse::<VerifyMode>().unwrap(), v);
        }
    }

    #[test]
    fn nist_clear_is_pattern_then_complement() {
        let p = Method::NistClear.passes();
        match (p[0], p[1]) {
            (Pass::Pattern(a), Pass::Pattern(b)) => assert_eq!(a, !b),
            _ => panic!("not patterns"),
        }
    }

    #[test]
    fn random_stream_is_seekable_and_item_specific() {
        let seed = RunSeed::from_bytes([7; 32]);
        let f = PassFiller::new(&seed, b"a", 0, Pass::Random);
        let mut whole = vec![0u8; 8192];
        f.fill(0, &mut whole);
        let mut part = vec![0u8; 1000];
        f.fill(3000, &mut part);
        assert_eq!(&whole[3000..4000], &part[..]);
        let g = PassFiller::new(&seed, b"b", 0, Pass::Random);
        let mut other = vec![0u8; 8192];
        g.fill(0, &mut other);
        assert_ne!(whole, other);
        // Crossing a segment boundary continues a different nonce, not the old one.
        let mut cross = vec![0u8; 128];
        f.fill(SEGMENT - 64, &mut cross);
        let mut tail = vec![0u8; 64];
        f.fill(SEGMENT, &mut tail);
        assert_eq!(&cross[64..], &tail[..]);
    }
}

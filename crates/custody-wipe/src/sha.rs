//! SHA-256 whose state can be written down and taken up again. A large file is hashed
//! window by window just ahead of its overwrite, so a run stopped in the middle keeps
//! the state after the bytes already overwritten (in the journal) and the next run
//! finishes the hash from the bytes still on disk.

use sha2_11::block_api::compress256;

use crate::journal::HashPrefix;

/// FIPS 180-4, 5.3.3.
const IV: [u32; 8] = [0x6a09e667, 0xbb67ae85, 0x3c6ef372, 0xa54ff53a, 0x510e527f, 0x9b05688c, 0x1f83d9ab, 0x5be0cd19];

/// Compress whole blocks. They are staged 64 at a time into an array of blocks, the
/// shape `compress256` takes: one call per 4 KiB instead of per block, and a copy that
/// costs a few percent of the hashing (slices of arrays without `unsafe` need a newer
/// Rust than the workspace's minimum).
fn compress_all(state: &mut [u32; 8], data: &[u8]) {
    let mut stage = [[0u8; 64]; 64];
    for part in data.chunks(64 * 64) {
        let n = part.len() / 64;
        for (dst, src) in stage.iter_mut().zip(part.chunks_exact(64)) {
            dst.copy_from_slice(src);
        }
        compress256(state, &stage[..n]);
    }
}

/// A SHA-256 in progress.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) struct Sha256State {
    state: [u32; 8],
    /// Bytes fed so far.
    bytes: u64,
    /// Fed but not yet compressed: less than a block.
    tail: Vec<u8>,
}

impl Default for Sha256State {
    fn default() -> Self {
        Sha256State { state: IV, bytes: 0, tail: Vec::new() }
    }
}

impl Sha256State {
    pub(crate) fn bytes(&self) -> u64 {
        self.bytes
    }

    pub(crate) fn update(&mut self, mut data: &[u8]) {
        self.bytes += data.len() as u64;
        if !self.tail.is_empty() {
            let take = (64 - self.tail.len()).min(data.len());
            self.tail.extend_from_slice(&data[..take]);
            data = &data[take..];
            if self.tail.len() < 64 {
                return;
            }
            let mut block = [0u8; 64];
            block.copy_from_slice(&self.tail);
            compress256(&mut self.state, &[block]);
            self.tail.clear();
        }
        let whole = data.len() / 64 * 64;
        compress_all(&mut self.state, &data[..whole]);
        self.tail.extend_from_slice(&data[whole..]);
    }

    pub(crate) fn finish(mut self) -> [u8; 32] {
        let bits = self.bytes.wrapping_mul(8);
        let mut pad = std::mem::take(&mut self.tail);
        pad.push(0x80);
        while pad.len() % 64 != 56 {
            pad.push(0);
        }
        pad.extend_from_slice(&bits.to_be_bytes());
        compress_all(&mut self.state, &pad);
        let mut out = [0u8; 32];
        for (o, w) in out.chunks_exact_mut(4).zip(self.state) {
            o.copy_from_slice(&w.to_be_bytes());
        }
        out
    }

    /// The state as the journal keeps it; only on a block boundary, which every
    /// window boundary is.
    pub(crate) fn prefix(&self) -> Option<HashPrefix> {
        if !self.tail.is_empty() {
            return None;
        }
        let mut b = [0u8; 32];
        for (o, w) in b.chunks_exact_mut(4).zip(self.state) {
            o.copy_from_slice(&w.to_be_bytes());
        }
        Some(HashPrefix { bytes: self.bytes, sha256_state: hex::encode(b) })
    }

    /// Take up a state from the journal; `None` if it is malformed.
    pub(crate) fn resume(p: &HashPrefix) -> Option<Self> {
        if p.bytes % 64 != 0 {
            return None;
        }
        let mut b = [0u8; 32];
        hex::decode_to_slice(&p.sha256_state, &mut b).ok()?;
        let mut state = [0u32; 8];
        for (w, c) in state.iter_mut().zip(b.chunks_exact(4)) {
            *w = u32::from_be_bytes([c[0], c[1], c[2], c[3]]);
        }
        Some(Sha256State { state, bytes: p.bytes, tail: Vec::new() })
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;
    use sha2::Digest;

    proptest! {
        #[test]
        fn equals_sha256_however_fed_and_resumed(
            data in proptest::collection::vec(any::<u8>(), 0..1000),
            cuts in proptest::collection::vec(0usize..1000, 0..6),
            at in 0usize..16,
        ) {
            let want: [u8; 32] = sha2::Sha256::digest(&data).into();
            let mut cuts: Vec<usize> = cuts.into_iter().map(|c| c.min(data.len())).collect();
            cuts.push(0);
            cuts.push(data.len());
            cuts.sort();
            let mut h = Sha256State::default();
            for w in cuts.windows(2) {
                h.update(&data[w[0]..w[1]]);
            }
            prop_assert_eq!(h.finish(), want);

            // Written down at a block boundary and taken up again.
            let split = (at * 64).min(data.len() / 64 * 64);
            let mut h = Sha256State::default();
            h.update(&data[..split]);
            let p = h.prefix().unwrap();
            prop_assert_eq!(p.bytes, split as u64);
            let mut r = Sha256State::resume(&p).unwrap();
            r.update(&data[split..]);
            prop_assert_eq!(r.finish(), want);
        }
    }

    #[test]
    fn no_state_off_a_block_boundary_and_bad_states_are_refused() {
        let mut h = Sha256State::default();
        h.update(b"abc");
        assert!(h.prefix().is_none());
        assert!(Sha256State::resume(&HashPrefix { bytes: 3, sha256_state: "00".repeat(32) }).is_none());
        assert!(Sha256State::resume(&HashPrefix { bytes: 64, sha256_state: "zz".into() }).is_none());
        assert_eq!(
            hex::encode(Sha256State::default().finish()),
            "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855"
        );
    }
}

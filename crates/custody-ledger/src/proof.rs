//! Self-contained RFC 6962 proofs as JSON documents (format: docs/checkpoint.md).
//!
//! An inclusion proof says "the line with this leaf hash is entry `seq` of the tree of
//! `size` leaves whose root is `root`"; a consistency proof says "the tree of
//! `old_size` leaves with root `old_root` is a prefix of the tree of `new_size` leaves
//! with root `new_root`". Each carries what it proves, so it can be checked alone and
//! then matched against a checkpoint ([`InclusionProof::verify_against`]).
//!
//! ```
//! use custody_ledger::{merkle, Hash};
//! use custody_ledger::proof::{ConsistencyProof, InclusionProof};
//! let leaves: Vec<Hash> = (0..7u8).map(|i| merkle::leaf_hash(&[i])).collect();
//! let p = InclusionProof::build(&leaves, 3, 7).unwrap();
//! assert!(p.verify());
//! let back = InclusionProof::parse(p.to_json().as_bytes()).unwrap();
//! assert_eq!(back, p);
//! let c = ConsistencyProof::build(&leaves, 4, 7).unwrap();
//! assert!(c.verify());
//! ```

use serde::{Deserialize, Serialize};

use crate::checkpoint::Checkpoint;
use crate::strict_json::{self, JsonProblem};
use crate::{merkle, Hash, LedgerError, MAX_SAFE_INTEGER};

/// The proof format version.
pub const PROOF_VERSION: u64 = 1;
/// Longest proof document accepted (bytes).
pub const MAX_PROOF_BYTES: usize = 16 * 1024;
/// Most hashes a proof may carry: a tree of up to 2^53 leaves needs at most 53 for an
/// inclusion proof and 2 × 53 for a consistency proof.
pub const MAX_PROOF_HASHES: usize = 128;

/// An inclusion proof of one ledger entry (RFC 9162 §2.1.3).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct InclusionProof {
    /// Always [`PROOF_VERSION`].
    pub v: u64,
    /// The entry's `seq` (its leaf index).
    pub seq: u64,
    /// The tree size the proof is for.
    pub size: u64,
    /// SHA-256(0x00 ‖ the entry's line bytes).
    pub leaf: Hash,
    /// The root of the tree of `size` leaves.
    pub root: Hash,
    /// The audit path, leaf to root.
    pub hashes: Vec<Hash>,
}

/// A consistency proof between two tree sizes (RFC 9162 §2.1.4).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ConsistencyProof {
    /// Always [`PROOF_VERSION`].
    pub v: u64,
    pub old_size: u64,
    pub new_size: u64,
    pub old_root: Hash,
    pub new_root: Hash,
    pub hashes: Vec<Hash>,
}

fn malformed(what: &'static str) -> LedgerError {
    LedgerError::MalformedProof { what }
}

/// Strict parse: bounded size, no duplicate keys, no unknown keys, version 1, sizes a
/// ledger can have, a bounded number of hashes.
fn parse_strict<T: serde::de::DeserializeOwned>(bytes: &[u8]) -> Result<T, LedgerError> {
    if bytes.len() > MAX_PROOF_BYTES {
        return Err(malformed("proof is too long"));
    }
    let value = match strict_json::parse(bytes) {
        Ok(v) => v,
        Err(JsonProblem::Syntax) => return Err(malformed("not JSON")),
        Err(JsonProblem::DuplicateKey(_)) => return Err(malformed("a key appears twice")),
    };
    serde_json::from_value(value).map_err(|_| malformed("fields missing, unknown or of the wrong type"))
}

fn to_jcs<T: Serialize>(v: &T) -> String {
    // Serialising these plain structs cannot fail: every field is a number, a
    // string or a list of strings.
    serde_jcs::to_string(v).unwrap_or_default()
}

impl InclusionProof {
    /// The proof for entry `seq` in the tree of the first `size` of `leaves`.
    pub fn build(leaves: &[Hash], seq: u64, size: u64) -> Result<InclusionProof, LedgerError> {
        let n = usize::try_from(size)
            .ok()
            .filter(|&n| n <= leaves.len())
            .ok_or(LedgerError::ProofIndex { index: seq, size })?;
        let tree = &leaves[..n];
        let hashes = merkle::inclusion_proof(tree, seq)?;
        let leaf = tree[seq as usize];
        Ok(InclusionProof { v: PROOF_VERSION, seq, size, leaf, root: merkle::root(tree), hashes })
    }

    /// Whether the audit path leads from `leaf` at `seq` to `root`.
    pub fn verify(&self) -> bool {
        self.v == PROOF_VERSION && merkle::verify_inclusion(&self.leaf, self.seq, self.size, &self.hashes, &self.root)
    }

    /// [`Self::verify`], and the proof is for this checkpoint's size and root.
    pub fn verify_against(&self, checkpoint: &Checkpoint) -> bool {
        checkpoint.size == self.size && checkpoint.root == self.root && self.verify()
    }

    /// Whether `line` (a ledger line without its newline) is the proven entry.
    pub fn proves_line(&self, line: &[u8]) -> bool {
        merkle::leaf_hash(line) == self.leaf && self.verify()
    }

    /// Strict parse of the JSON form (see [`Self::to_json`]).
    pub fn parse(bytes: &[u8]) -> Result<InclusionProof, LedgerError> {
        let p: InclusionProof = parse_strict(bytes)?;
        if p.v != PROOF_VERSION {
            return Err(malformed("unsupported version"));
        }
        if p.size > MAX_SAFE_INTEGER || p.seq >= p.size {
            return Err(malformed("seq must be below size"));
        }
        if p.hashes.len() > MAX_PROOF_HASHES {
            return Err(malformed("too many hashes"));
        }
        Ok(p)
    }

    /// The canonical (RFC 8785) JSON form.
    pub fn to_json(&self) -> String {
        to_jcs(self)
    }
}

impl ConsistencyProof {
    /// The proof that the first `old_size` leaves are a prefix of the first `new_size`.
    /// Sizes must satisfy 0 < old_size ≤ new_size ≤ leaves.len().
    pub fn build(leaves: &[Hash], old_size: u64, new_size: u64) -> Result<ConsistencyProof, LedgerError> {
        let n = usize::try_from(new_size)
            .ok()
            .filter(|&n| n <= leaves.len())
            .ok_or(LedgerError::ProofSizes { old: old_size, new: new_size })?;
        let tree = &leaves[..n];
        let hashes = merkle::consistency_proof(tree, old_size)?;
        let old_root = merkle::root(&tree[..old_size as usize]);
        Ok(ConsistencyProof { v: PROOF_VERSION, old_size, new_size, old_root, new_root: merkle::root(tree), hashes })
    }

    pub fn verify(&self) -> bool {
        self.v == PROOF_VERSION
            && merkle::verify_consistency(self.old_size, self.new_size, &self.old_root, &self.new_root, &self.hashes)
    }

    /// [`Self::verify`], and the proof runs from `old` to `new` (same origin, sizes
    /// and roots).
    pub fn verify_between(&self, old: &Checkpoint, new: &Checkpoint) -> bool {
        old.origin == new.origin
            && (old.size, old.root, new.size, new.root) == (self.old_size, self.old_root, self.new_size, self.new_root)
            && self.verify()
    }

    pub fn parse(bytes: &[u8]) -> Result<ConsistencyProof, LedgerError> {
        let p: ConsistencyProof = parse_strict(bytes)?;
        if p.v != PROOF_VERSION {
            return Err(malformed("unsupported version"));
        }
        if p.new_size > MAX_SAFE_INTEGER || p.old_size > p.new_size {
            return Err(malformed("old_size must not exceed new_size"));
        }
        if p.hashes.len() > MAX_PROOF_HASHES {
            return Err(malformed("too many hashes"));
        }
        Ok(p)
    }

    pub fn to_json(&self) -> String {
        to_jcs(self)
    }
}

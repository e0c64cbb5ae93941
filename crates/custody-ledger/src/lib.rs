//! The signed, hash-chained ledger of custody events, with an RFC 6962 Merkle tree.
//!
//! A ledger is a JSON Lines file; each line is an RFC 8785 (JCS) object with the keys
//! `v, seq, prev, time, kind, actor, body, sig`, signed by the actor's Ed25519 key.
//! The leaf hash of a line is SHA-256(0x00 ‖ its exact bytes); `prev` chains each line
//! to the one before, and the Merkle root over all leaf hashes is what checkpoints
//! and certificates commit to. This crate appends (locked, O(1), durable) and verifies
//! (streaming); it leaves keys to `custody-keys`. The bodies of the kinds custody
//! writes are typed in [`events`] (docs/ledger-events.md); checkpoints, the ward's
//! cosignatures and Merkle proofs are in [`checkpoint`], [`cosignature`] and
//! [`proof`] (docs/checkpoint.md). Format: `docs/ledger.md`.
//!
//! The anchor in a few calls: the owner builds and signs a checkpoint, the ward
//! checks it and cosigns, anyone checks an entry's inclusion.
//!
//! ```
//! use custody_keys::SecretKey;
//! use custody_ledger::checkpoint::Checkpoint;
//! use custody_ledger::cosignature::{add_cosignature, open_checkpoint, CosignerVerifier};
//! use custody_ledger::proof::{ConsistencyProof, InclusionProof};
//! use custody_ledger::{merkle, Hash};
//!
//! # fn main() -> Result<(), Box<dyn std::error::Error>> {
//! let (owner, ward) = (SecretKey::generate()?, SecretKey::generate()?);
//! let leaves: Vec<Hash> = (0..5u8).map(|i| merkle::leaf_hash(&[i])).collect();
//! let cp = Checkpoint::of_leaves("custody/ledger/0123456789ABCDEF", &leaves);
//! let note = cp.sign(&owner)?;
//! let log = cp.log_verifier(&owner.public_key())?;
//! let witness = CosignerVerifier::new("custody/witness/FEDCBA9876543210", &ward.public_key())?;
//! let cosigned = add_cosignature(&note, &witness.name, &ward, 1_764_000_000)?;
//! let opened = open_checkpoint(&cosigned, &[log], &[witness.clone()])?;
//! assert_eq!(opened.cosigned_by(&witness).map(|c| c.timestamp), Some(1_764_000_000));
//! let inclusion = InclusionProof::build(&leaves, 2, 5)?;
//! assert!(inclusion.verify_against(&opened.checkpoint));
//! let older = Checkpoint::of_leaves(&cp.origin, &leaves[..3]);
//! assert!(ConsistencyProof::build(&leaves, 3, 5)?.verify_between(&older, &opened.checkpoint));
//! # Ok(()) }
//! ```
//!
//! ```no_run
//! use custody_keys::SecretKey;
//! use custody_ledger::{verify, Ledger};
//! use chrono::DateTime;
//!
//! # fn main() -> Result<(), Box<dyn std::error::Error>> {
//! let key = SecretKey::generate()?;
//! let ledger = Ledger::create("custody.ledger".as_ref())?;
//! let mut body = serde_json::Map::new();
//! body.insert("payload".into(), "P-2026-0001".into());
//! let time = DateTime::parse_from_rfc3339("2026-11-24T09:00:00+09:00")?;
//! let appended = ledger.append("seal", body, &key, time)?;
//!
//! let file = std::io::BufReader::new(std::fs::File::open(ledger.path())?);
//! let summary = verify(file, &key.public_key())?;
//! assert_eq!(summary.last_leaf, Some(appended.leaf));
//! # Ok(()) }
//! ```

#![forbid(unsafe_code)]

pub mod checkpoint;
pub mod cosignature;
mod entry;
mod error;
pub mod events;
mod file;
mod hash;
pub mod merkle;
mod owner;
pub mod proof;
pub mod strict_json;
mod verify;

use std::collections::{BTreeMap, HashMap};

use custody_keys::{KeyId, PublicKey, SecretKey};

pub use entry::{format_time, Entry, KEYS, MAX_LINE, MAX_SAFE_INTEGER, VERSION};
pub use error::LedgerError;
pub use file::{Appended, Ledger};
pub use hash::{BadHash, Hash, LeafHash};
pub use owner::{Repaired, MAX_FUTURE_SECS, MAX_SEQ};
pub use verify::{
    read_entries, read_leaves, verify, verify_with_leaves, Problem, Verified, VerifyError, MAX_BACKWARDS_SECS,
};

/// Who signs a new entry.
pub trait Signer {
    fn key_id(&self) -> KeyId;
    fn sign(&self, msg: &[u8]) -> [u8; 64];
}

impl Signer for SecretKey {
    fn key_id(&self) -> KeyId {
        SecretKey::key_id(self)
    }
    fn sign(&self, msg: &[u8]) -> [u8; 64] {
        SecretKey::sign(self, msg)
    }
}

/// Which public key belongs to an actor's key id (the roster, for a verifier).
pub trait KeyResolver {
    fn public_key(&self, id: &KeyId) -> Option<PublicKey>;
}

impl KeyResolver for HashMap<KeyId, PublicKey> {
    fn public_key(&self, id: &KeyId) -> Option<PublicKey> {
        self.get(id).cloned()
    }
}

impl KeyResolver for BTreeMap<KeyId, PublicKey> {
    fn public_key(&self, id: &KeyId) -> Option<PublicKey> {
        self.get(id).cloned()
    }
}

impl KeyResolver for PublicKey {
    fn public_key(&self, id: &KeyId) -> Option<PublicKey> {
        (self.key_id() == *id).then(|| self.clone())
    }
}

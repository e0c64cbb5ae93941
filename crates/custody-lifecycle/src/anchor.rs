//! The certificate's anchor in the issuer's ledger, on the ledger's own checkpoints
//! (docs/checkpoint.md): the issuer's signed checkpoint, inclusion proofs of the
//! entries a certificate cites, and the ward's C2SP tlog-cosignatures, as `ledger
//! cosign` adds and stores them.

use std::fs::File;
use std::io::BufReader;
use std::path::Path;

use custody_certificate::Cosigned;
use custody_keys::{PublicKey, SecretKey};
use custody_ledger::checkpoint::Checkpoint;
use custody_ledger::cosignature;
use custody_ledger::proof::InclusionProof;
use custody_ledger::{Entry, Hash};

use crate::checkpoint::{origin_of_key_id, witness_verifier};
use crate::{Error, Home};

/// The origin of the ledger the key with this id owns; also the key name of the
/// owner's note signature.
pub fn origin(key_id: &str) -> String {
    origin_of_key_id(key_id)
}

/// A ledger as read: entries, leaf hashes, and the signed checkpoint over them.
pub struct Snapshot {
    pub entries: Vec<Entry>,
    pub leaves: Vec<Hash>,
    pub note: String,
}

pub(crate) fn read_ledger(path: &Path) -> Result<(Vec<Entry>, Vec<Hash>), Error> {
    let file = File::open(path).map_err(Error::io(path))?;
    let mut entries = vec![];
    let mut leaves = vec![];
    for r in custody_ledger::read_entries(BufReader::new(file)) {
        let (e, leaf) = r.map_err(|source| Error::LedgerInvalid { path: path.to_path_buf(), source })?;
        entries.push(e);
        leaves.push(leaf);
    }
    Ok((entries, leaves))
}

/// Reads the ledger and signs a checkpoint of it as it stands: the same checkpoint
/// `ledger checkpoint` makes.
pub fn snapshot(ledger: &Path, key: &SecretKey) -> Result<Snapshot, Error> {
    let (entries, leaves) = read_ledger(ledger)?;
    let cp = Checkpoint::of_leaves(&origin(&key.key_id().to_string()), &leaves);
    let note = cp.sign(key)?;
    Ok(Snapshot { entries, leaves, note })
}

/// The audit path of entry `seq` in the whole tree of `leaves`, hex.
pub fn inclusion_proof(leaves: &[Hash], seq: u64) -> Result<Vec<String>, Error> {
    let proof = InclusionProof::build(leaves, seq, leaves.len() as u64)?;
    Ok(proof.hashes.iter().map(Hash::to_string).collect())
}

/// The checkpoint in `note` when the issuer signed it, with the trusted keys other
/// than the issuer's whose tlog-cosignatures it carries. None when the issuer's
/// signature is missing or any signature by a known key is bad.
pub fn read_cosigned(note: &str, issuer: &PublicKey, trusted: &[PublicKey]) -> Option<Cosigned> {
    let log = crate::checkpoint::log_verifier(issuer).ok()?;
    let witnesses: Vec<_> = trusted
        .iter()
        .filter(|k| k.ed25519_bytes() != issuer.ed25519_bytes())
        .filter_map(|k| Some((k.key_id().to_string(), witness_verifier(k).ok()?)))
        .collect();
    let verifiers: Vec<_> = witnesses.iter().map(|(_, v)| v.clone()).collect();
    let signed = cosignature::open_checkpoint(note, std::slice::from_ref(&log), &verifiers).ok()?;
    let mut cosigners: Vec<String> =
        witnesses.iter().filter(|(_, v)| signed.cosigned_by(v).is_some()).map(|(id, _)| id.clone()).collect();
    cosigners.dedup();
    Some(Cosigned { checkpoint: signed.checkpoint, cosigners })
}

/// The latest checkpoint of `origin` this home cosigned with `ledger cosign`.
pub fn stored_cosigned(home: &Home, origin: &str) -> Result<Option<String>, Error> {
    crate::checkpoint::stored_latest(home, origin)
}

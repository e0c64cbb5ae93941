//! The certificate's anchor in the issuer's ledger: checkpoints, inclusion proofs and
//! the ward's cosignature, kept behind this one module.
//!
//! It uses what `custody-ledger` offers today (the Merkle module and the signed-note
//! checkpoint module). The ledger's own `checkpoint`/`cosign`/`prove` commands are
//! being built alongside; when they land, only this module changes to call them (the
//! origin and note key name, where the ward keeps the checkpoints it cosigned, and
//! the C2SP tlog-cosignature form).

use std::fs::File;
use std::io::BufReader;
use std::path::{Path, PathBuf};

use custody_certificate::Cosigned;
use custody_keys::{KeyId, PublicKey, SecretKey};
use custody_ledger::checkpoint::{self, Checkpoint, NoteVerifier};
use custody_ledger::{merkle, Entry, Hash};

use crate::fsutil::write_atomic;
use crate::{Error, Home};

/// The origin line of a home ledger's checkpoints.
pub fn origin(key_id: KeyId) -> String {
    format!("custody.invalid/ledger/{key_id}")
}

/// The signed-note key name of a ledger owner's key.
pub fn note_name(key_id: KeyId) -> String {
    note_name_of(&key_id.to_string())
}

/// [`note_name`] from the key id's text (16 uppercase hex digits).
pub fn note_name_of(key_id: &str) -> String {
    format!("custody-{key_id}")
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

/// Reads the ledger and signs a checkpoint of it as it stands.
pub fn snapshot(ledger: &Path, key: &SecretKey) -> Result<Snapshot, Error> {
    let (entries, leaves) = read_ledger(ledger)?;
    let body = Checkpoint {
        origin: origin(key.key_id()),
        size: leaves.len() as u64,
        root: merkle::root(&leaves),
        extensions: vec![],
    }
    .to_body();
    let note = checkpoint::sign_note(&body, &note_name(key.key_id()), key)?;
    Ok(Snapshot { entries, leaves, note })
}

/// The audit path of entry `seq`, hex.
pub fn inclusion_proof(leaves: &[Hash], seq: u64) -> Result<Vec<String>, Error> {
    Ok(merkle::inclusion_proof(leaves, seq)?.iter().map(Hash::to_string).collect())
}

/// (name, note key id) of each Ed25519 signature line of a note.
fn signers(note: &str) -> Vec<(&str, [u8; 4])> {
    use base64::Engine;
    note.lines()
        .filter_map(|l| l.strip_prefix("\u{2014} "))
        .filter_map(|l| {
            let (name, b64) = l.split_once(' ')?;
            let raw = base64::engine::general_purpose::STANDARD.decode(b64).ok()?;
            Some((name, raw.get(..4)?.try_into().ok()?))
        })
        .collect()
}

/// The checkpoint in `note` when the issuer signed it, with the trusted keys other
/// than the issuer's that cosigned it. None when the issuer's signature is missing or
/// any known signature is bad.
pub fn read_cosigned(note: &str, issuer: &PublicKey, trusted: &[PublicKey]) -> Option<Cosigned> {
    let issuer_v = NoteVerifier::new(&note_name(issuer.key_id()), issuer).ok()?;
    let lines = signers(note);
    if !lines.iter().any(|(n, id)| *n == issuer_v.name && *id == issuer_v.id) {
        return None;
    }
    let mut verifiers = vec![issuer_v.clone()];
    let mut cosigners = vec![];
    for (name, id) in &lines {
        for k in trusted.iter().filter(|k| k.ed25519_bytes() != issuer.ed25519_bytes()) {
            match NoteVerifier::new(name, k) {
                Ok(v) if v.id == *id && *name != issuer_v.name => {
                    cosigners.push(k.key_id().to_string());
                    verifiers.push(v);
                }
                _ => {}
            }
        }
    }
    // Every known signature, the issuer's and each cosigner's, must verify.
    let (text, signed_by) = checkpoint::open_note(note, &verifiers).ok()?;
    if !signed_by.contains(&issuer_v.name) {
        return None;
    }
    let cp = Checkpoint::parse_body(text).ok()?;
    cosigners.dedup();
    Some(Cosigned { checkpoint: cp, cosigners })
}

fn witness_path(home: &Home, origin: &str) -> PathBuf {
    let safe: String = origin.chars().map(|c| if c.is_ascii_alphanumeric() { c } else { '_' }).collect();
    home.root().join("witness").join(format!("{safe}.checkpoint"))
}

/// The latest checkpoint of `origin` the ward stored when it cosigned.
pub fn stored_cosigned(home: &Home, origin: &str) -> Option<String> {
    std::fs::read_to_string(witness_path(home, origin)).ok()
}

/// The ward's cosignature on a contractor's checkpoint, after checking the note's
/// signature and that the ledger copy verifies and has exactly that root. Stores the
/// cosigned checkpoint as the latest the ward holds for that ledger.
pub fn cosign(ward: &crate::Session<'_>, note: &str, ledger: &Path, issuer: &PublicKey) -> Result<String, Error> {
    let refuse = |what: &str| Error::HomeDamaged { path: ledger.to_path_buf(), what: what.to_owned() };
    let verifier = NoteVerifier::new(&note_name(issuer.key_id()), issuer)?;
    let (text, _) = checkpoint::open_note(note, &[verifier])?;
    let cp = Checkpoint::parse_body(text)?;
    let file = File::open(ledger).map_err(Error::io(ledger))?;
    let v = custody_ledger::verify(BufReader::new(file), issuer)
        .map_err(|source| Error::LedgerInvalid { path: ledger.to_path_buf(), source })?;
    if v.size != cp.size || v.root != cp.root {
        return Err(refuse("the ledger copy does not match the checkpoint"));
    }
    let key = ward.secret_key();
    let cosigned = checkpoint::cosign_note(note, &note_name(key.key_id()), key)?;
    let path = witness_path(ward.home(), &cp.origin);
    let dir = crate::fsutil::parent_dir(&path);
    std::fs::create_dir_all(&dir).map_err(Error::io(&dir))?;
    write_atomic(&path, cosigned.as_bytes(), 0o644, false)?;
    Ok(cosigned)
}

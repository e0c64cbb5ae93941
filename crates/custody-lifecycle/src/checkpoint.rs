//! The ledger's anchor (R10, R20): the owner's signed checkpoint, the ward's cosignature
//! after a consistency check against the last checkpoint it holds, and inclusion
//! proofs. Formats: docs/checkpoint.md.
//!
//! ```text
//! $CUSTODY_HOME/witness/<first 32 hex of SHA-256(origin)>/
//!   log.pub                 the contractor key trusted for this origin (pinned at the first cosign)
//!   latest.checkpoint       the last checkpoint this home cosigned for it
//! ```

use std::fs;
use std::io::BufReader;
use std::path::{Path, PathBuf};

use custody_keys::PublicKey;
use custody_ledger::checkpoint::{Checkpoint, NoteVerifier, MAX_NOTE};
use custody_ledger::cosignature::{self, CosignerVerifier, SignedCheckpoint};
use custody_ledger::proof::{ConsistencyProof, InclusionProof};
use custody_ledger::{Hash, LedgerError};
use serde::Serialize;
use sha2::{Digest, Sha256};

use crate::error::HomeDamage;
use crate::fsutil::{open_untrusted, read_untrusted};
use crate::ledger_check::{verify_ledger_reader, LedgerReport};
use crate::{Error, Home, Session};

const WITNESS: &str = "witness";
const PINNED_KEY: &str = "log.pub";
const LATEST: &str = "latest.checkpoint";

/// The origin of the ledger a key owns: `custody/ledger/<minisign key id>`. It is also
/// the key name of the owner's note signature.
pub fn origin_of(key: &PublicKey) -> String {
    origin_of_key_id(&key.key_id().to_string())
}

/// [`origin_of`] from the key id's text, as a certificate names its issuer.
pub fn origin_of_key_id(key_id: &str) -> String {
    format!("custody/ledger/{key_id}")
}

/// The cosigner name of a ward's key: `custody/witness/<minisign key id>`.
pub fn witness_name(key: &PublicKey) -> String {
    format!("custody/witness/{}", key.key_id())
}

/// The owner's note verifier for its own ledger.
pub fn log_verifier(key: &PublicKey) -> Result<NoteVerifier, Error> {
    Ok(NoteVerifier::new(&origin_of(key), key)?)
}

/// The cosigner verifier of a ward's key.
pub fn witness_verifier(key: &PublicKey) -> Result<CosignerVerifier, Error> {
    Ok(CosignerVerifier::new(&witness_name(key), key)?)
}

/// A ledger file verified line by line against its owner's key, with its leaves.
pub fn verified_leaves(path: &Path, owner: &PublicKey) -> Result<(LedgerReport, Vec<Hash>), Error> {
    let open = || open_untrusted(path).map(BufReader::new);
    verify_ledger_reader(path, open, Some(owner))
}

/// A checkpoint of the home ledger, signed.
#[derive(Debug, Clone, Serialize)]
pub struct CheckpointReport {
    pub origin: String,
    pub size: u64,
    pub root: Hash,
    /// The signed note.
    pub note: String,
    pub out: Option<PathBuf>,
}

/// `ledger checkpoint`: verify the home ledger, then sign its size and root. The note
/// is written to `out` (never replacing a file) when given.
pub fn make_checkpoint(session: &Session<'_>, out: Option<&Path>) -> Result<CheckpointReport, Error> {
    let home = session.home();
    let (_, leaves) = verified_leaves(&home.ledger_path(), home.public_key())?;
    let cp = Checkpoint::of_leaves(&origin_of(home.public_key()), &leaves);
    let note = cp.sign(session.secret_key())?;
    if let Some(out) = out {
        custody_fsio::write_new(out, note.as_bytes(), 0o644)?;
    }
    Ok(CheckpointReport { origin: cp.origin, size: cp.size, root: cp.root, note, out: out.map(Path::to_path_buf) })
}

/// Reads a checkpoint note from a file: bounded, regular file, UTF-8.
pub fn read_note(path: &Path) -> Result<String, Error> {
    let bytes = read_untrusted(path, MAX_NOTE)?;
    String::from_utf8(bytes).map_err(|_| Error::CheckpointInvalid {
        path: path.to_path_buf(),
        source: LedgerError::MalformedNote { what: "not UTF-8" },
    })
}

/// Why a submitted checkpoint was refused at cosigning, with the evidence.
#[derive(Debug, Clone, Serialize)]
pub struct Inconsistency {
    pub origin: String,
    /// The checkpoint this home holds (cosigned earlier), as stored.
    pub stored: String,
    /// The checkpoint submitted now, as given.
    pub submitted: String,
    pub stored_size: u64,
    pub stored_root: Hash,
    pub submitted_size: u64,
    pub submitted_root: Hash,
    /// True when the submitted tree is smaller than the stored one (truncated).
    pub smaller: bool,
    /// The consistency proof the submitted ledger yields from the stored size (absent
    /// when the submitted tree is smaller): it does not lead to the stored root.
    pub proof: Option<ConsistencyProof>,
}

#[derive(Debug, Clone)]
pub struct CosignRequest {
    pub checkpoint: PathBuf,
    pub ledger: PathBuf,
    pub trust: Option<PublicKey>,
    /// Where to write the cosigned checkpoint (default: over `checkpoint`).
    pub out: Option<PathBuf>,
}

#[derive(Debug, Clone, Serialize)]
pub struct CosignReport {
    pub origin: String,
    pub size: u64,
    pub root: Hash,
    /// The checkpoint held before, if any: (size, root).
    pub previous_size: Option<u64>,
    pub previous_root: Option<Hash>,
    pub consistency: Option<ConsistencyProof>,
    /// True when this cosign pinned the contractor's key for the origin.
    pub first: bool,
    pub cosigner: String,
    pub timestamp: u64,
    pub note: String,
    pub out: PathBuf,
}

fn witness_dir(home: &Home, origin: &str) -> PathBuf {
    let h = Sha256::digest(origin.as_bytes());
    home.root().join(WITNESS).join(&hex::encode(h)[..32])
}

fn same_key(a: &PublicKey, b: &PublicKey) -> bool {
    a.ed25519_bytes() == b.ed25519_bytes()
}

/// Everything `ledger cosign` checked, ready to be cosigned. Holds no secret.
#[derive(Debug, Clone)]
pub struct CosignPlan {
    req: CosignRequest,
    dir: PathBuf,
    key: PublicKey,
    first: bool,
    note: String,
    submitted: SignedCheckpoint,
    stored: Option<SignedCheckpoint>,
    consistency: Option<ConsistencyProof>,
}

impl CosignPlan {
    pub fn origin(&self) -> &str {
        &self.submitted.checkpoint.origin
    }
    pub fn size(&self) -> u64 {
        self.submitted.checkpoint.size
    }
}

/// The checks of `ledger cosign`, run by the ward before its key is unlocked: the
/// note's signature by the trusted key, every ledger line against that key, the
/// ledger against the checkpoint's size and root, and consistency with the last
/// checkpoint held for the origin. Changes nothing.
pub fn check_cosign(home: &Home, req: &CosignRequest) -> Result<CosignPlan, Error> {
    let note = read_note(&req.checkpoint)?;
    let invalid = |source| Error::CheckpointInvalid { path: req.checkpoint.clone(), source };
    let (text, _) = custody_ledger::checkpoint::parse_note(&note).map_err(invalid)?;
    let origin = Checkpoint::parse_body(text).map_err(invalid)?.origin;

    let dir = witness_dir(home, &origin);
    let pinned = match fs::read_to_string(dir.join(PINNED_KEY)) {
        Ok(t) => Some(PublicKey::from_minisign(&t).map_err(|e| Error::HomeDamaged {
            path: dir.join(PINNED_KEY),
            part: HomeDamage::PinnedKey,
            what: e.to_string(),
        })?),
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => None,
        Err(e) => return Err(Error::io(dir.join(PINNED_KEY))(e)),
    };
    let key = match (&pinned, &req.trust) {
        (Some(p), Some(t)) if !same_key(p, t) => {
            return Err(Error::WitnessKeyMismatch {
                origin,
                pinned: p.key_id().to_string(),
                given: t.key_id().to_string(),
            })
        }
        (Some(p), _) => p.clone(),
        (None, Some(t)) => t.clone(),
        (None, None) => return Err(Error::WitnessNoTrust { origin }),
    };
    let log = NoteVerifier::new(&origin, &key).map_err(invalid)?;
    let me = witness_verifier(home.public_key())?;
    let submitted = match cosignature::open_checkpoint(&note, std::slice::from_ref(&log), std::slice::from_ref(&me)) {
        Ok(s) => s,
        Err(LedgerError::NoteNotVerified | LedgerError::BadNoteSignature { .. }) => {
            return Err(Error::CheckpointUntrusted { path: req.checkpoint.clone(), origin })
        }
        Err(e) => return Err(invalid(e)),
    };
    let cp = &submitted.checkpoint;

    let (_, leaves) = verified_leaves(&req.ledger, &key)?;
    let of_ledger = Checkpoint::of_leaves(&origin, &leaves);
    if (of_ledger.size, of_ledger.root) != (cp.size, cp.root) {
        return Err(Error::CheckpointMismatch {
            checkpoint_size: cp.size,
            checkpoint_root: cp.root.to_string(),
            ledger_size: of_ledger.size,
            ledger_root: of_ledger.root.to_string(),
        });
    }

    let stored = read_stored(&dir, &log, &me)?;
    let consistency = match &stored {
        Some(old) => check_consistent(old, &submitted, &leaves)?,
        None => None,
    };
    Ok(CosignPlan { req: req.clone(), dir, key, first: pinned.is_none(), note, submitted, stored, consistency })
}

/// `ledger cosign`'s second half: add this home's cosignature (timestamped now),
/// store the checkpoint as the latest for its origin, write the cosigned note out.
/// If another cosign changed the stored checkpoint since the plan was made, the
/// checks run again.
pub fn cosign(session: &Session<'_>, plan: CosignPlan) -> Result<CosignReport, Error> {
    let home = session.home();
    let me = witness_verifier(home.public_key())?;
    let current = match fs::read_to_string(plan.dir.join(LATEST)) {
        Ok(n) => Some(n),
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => None,
        Err(e) => return Err(Error::io(plan.dir.join(LATEST))(e)),
    };
    let plan = if current.as_deref() == plan.stored.as_ref().map(|s| s.note.as_str()) {
        plan
    } else {
        check_cosign(home, &plan.req)?
    };
    let timestamp = u64::try_from(chrono::Utc::now().timestamp()).unwrap_or(0);
    let cosigned = cosignature::add_cosignature(&plan.note, &me.name, session.secret_key(), timestamp)?;
    let dir = &plan.dir;
    // The ward's state moves first: if writing the contractor's copy fails, the ward
    // still holds what it vouched for, and cosigning the same checkpoint again works.
    fs::create_dir_all(dir).map_err(Error::io(dir))?;
    if plan.first {
        custody_fsio::write_replace(&dir.join(PINNED_KEY), plan.key.to_minisign(plan.origin()).as_bytes(), 0o644)?;
    }
    custody_fsio::write_replace(&dir.join(LATEST), cosigned.as_bytes(), 0o644)?;
    let out = plan.req.out.clone().unwrap_or_else(|| plan.req.checkpoint.clone());
    custody_fsio::write_replace(&out, cosigned.as_bytes(), 0o644)?;

    let cp = &plan.submitted.checkpoint;
    Ok(CosignReport {
        origin: cp.origin.clone(),
        size: cp.size,
        root: cp.root,
        previous_size: plan.stored.as_ref().map(|s| s.checkpoint.size),
        previous_root: plan.stored.as_ref().map(|s| s.checkpoint.root),
        consistency: plan.consistency.clone(),
        first: plan.first,
        cosigner: me.name,
        timestamp,
        note: cosigned,
        out,
    })
}

/// The checkpoint this home last cosigned for `origin`, as stored (unchecked: whoever
/// reads it checks the signatures against the keys it trusts).
pub fn stored_latest(home: &Home, origin: &str) -> Result<Option<String>, Error> {
    let path = witness_dir(home, origin).join(LATEST);
    match fs::read_to_string(&path) {
        Ok(n) => Ok(Some(n)),
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok(None),
        Err(e) => Err(Error::io(&path)(e)),
    }
}

/// The checkpoint this home last cosigned for the origin, checked again (the home's
/// own files are not beyond tampering either).
fn read_stored(dir: &Path, log: &NoteVerifier, me: &CosignerVerifier) -> Result<Option<SignedCheckpoint>, Error> {
    let path = dir.join(LATEST);
    let note = match fs::read_to_string(&path) {
        Ok(n) => n,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(None),
        Err(e) => return Err(Error::io(&path)(e)),
    };
    let damaged = |what: String| Error::HomeDamaged { path: path.clone(), part: HomeDamage::KeptCheckpoint, what };
    let s = cosignature::open_checkpoint(&note, std::slice::from_ref(log), std::slice::from_ref(me))
        .map_err(|e| damaged(e.to_string()))?;
    if s.cosigned_by(me).is_none() {
        return Err(damaged("the stored checkpoint carries no valid cosignature of this home".into()));
    }
    Ok(Some(s))
}

/// The submitted tree extends the stored one: not smaller, and a consistency proof
/// from the stored size leads to both roots. Returns the proof (None when the sizes
/// are equal and so are the roots).
fn check_consistent(
    old: &SignedCheckpoint,
    new: &SignedCheckpoint,
    leaves: &[Hash],
) -> Result<Option<ConsistencyProof>, Error> {
    let (o, n) = (&old.checkpoint, &new.checkpoint);
    let refuse = |smaller: bool, proof: Option<ConsistencyProof>| {
        Error::CheckpointInconsistent(Box::new(Inconsistency {
            origin: n.origin.clone(),
            stored: old.note.clone(),
            submitted: new.note.clone(),
            stored_size: o.size,
            stored_root: o.root,
            submitted_size: n.size,
            submitted_root: n.root,
            smaller,
            proof,
        }))
    };
    if n.size < o.size {
        return Err(refuse(true, None));
    }
    if o.size == 0 {
        // The empty tree is a prefix of every tree.
        return Ok(None);
    }
    let proof = ConsistencyProof::build(leaves, o.size, n.size)?;
    if !proof.verify_between(o, n) {
        return Err(refuse(false, Some(proof)));
    }
    Ok((o.size < n.size).then_some(proof))
}

/// An inclusion proof of one entry of the home ledger.
#[derive(Debug, Clone, Serialize)]
pub struct ProveReport {
    pub origin: String,
    pub proof: InclusionProof,
    /// The entry's line as stored (without its newline).
    pub line: String,
    pub kind: String,
    pub time: String,
    /// The checkpoint the proof is for, when one was given.
    pub checkpoint: Option<String>,
}

/// `ledger prove SEQ [--checkpoint FILE]`: the proof is for the checkpoint's size (it
/// must be a checkpoint of this home's ledger, signed by this home), else for the
/// whole ledger as it is now.
pub fn prove_entry(home: &Home, seq: u64, checkpoint: Option<&Path>) -> Result<ProveReport, Error> {
    let path = home.ledger_path();
    let (_, leaves) = verified_leaves(&path, home.public_key())?;
    let origin = origin_of(home.public_key());
    let (size, note) = match checkpoint {
        Some(cp_path) => {
            let note = read_note(cp_path)?;
            let invalid = |source| Error::CheckpointInvalid { path: cp_path.to_path_buf(), source };
            let log = log_verifier(home.public_key())?;
            let s = match cosignature::open_checkpoint(&note, &[log], &[]) {
                Ok(s) => s,
                Err(LedgerError::NoteNotVerified | LedgerError::BadNoteSignature { .. }) => {
                    return Err(Error::CheckpointUntrusted { path: cp_path.to_path_buf(), origin })
                }
                Err(e) => return Err(invalid(e)),
            };
            let cp = s.checkpoint;
            let n = usize::try_from(cp.size).ok().filter(|&n| n <= leaves.len());
            let root = n.map(|n| custody_ledger::merkle::root(&leaves[..n]));
            if root != Some(cp.root) {
                return Err(Error::CheckpointMismatch {
                    checkpoint_size: cp.size,
                    checkpoint_root: cp.root.to_string(),
                    ledger_size: leaves.len() as u64,
                    ledger_root: custody_ledger::merkle::root(&leaves).to_string(),
                });
            }
            (cp.size, Some(note))
        }
        None => (leaves.len() as u64, None),
    };
    if seq >= size {
        return Err(Error::EntryNotFound { seq, size });
    }
    let proof = InclusionProof::build(&leaves, seq, size)?;
    // The line itself, so whoever receives the proof can read what it proves.
    let file = open_untrusted(&path).map(BufReader::new)?;
    let line = std::io::BufRead::split(file, b'\n')
        .nth(seq as usize)
        .ok_or(Error::EntryNotFound { seq, size })?
        .map_err(Error::io(&path))?;
    let (entry, _) = custody_ledger::read_entries(BufReader::new([line.as_slice(), b"\n"].concat().as_slice()))
        .next()
        .ok_or(Error::EntryNotFound { seq, size })?
        .map_err(|source| Error::LedgerInvalid { path: path.clone(), source })?;
    let line = String::from_utf8_lossy(&line).into_owned();
    Ok(ProveReport { origin, proof, line, kind: entry.kind, time: entry.time, checkpoint: note })
}

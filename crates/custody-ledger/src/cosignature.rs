//! C2SP tlog-cosignature v1 (Ed25519, signature type 0x04) and signed checkpoints
//! carrying them.
//!
//! A cosignature is one more signature line under a checkpoint note:
//!
//! ```text
//! — <cosigner name> base64( key id (4) ‖ timestamp (8, big-endian) ‖ Ed25519 signature (64) )
//! ```
//!
//! The key id is the first 4 bytes of SHA-256(name ‖ "\n" ‖ 0x04 ‖ public key); the
//! signature covers `cosignature/v1\ntime <timestamp>\n` followed by the whole note
//! text. It states that, at that time, this is the largest tree the cosigner has seen
//! for the origin and that it is consistent with every earlier one it saw. The same
//! Ed25519 key may sign its own ledger's checkpoints (type 0x01) and cosign others':
//! the key ids differ, and a cosigned message can never be a checkpoint text (its
//! second line is not a number).

use base64::engine::general_purpose::STANDARD;
use base64::Engine;
use custody_keys::{PublicKey, SecretKey};

use crate::checkpoint::{check_name, key_id_for, parse_note, parse_vkey, vkey_string, NoteSignature, DASH};
use crate::checkpoint::{Checkpoint, NoteVerifier};
use crate::LedgerError;

/// The signature-type byte of timestamped Ed25519 cosignatures.
pub const ALG_COSIGNATURE_V1: u8 = 0x04;
/// The header line of the cosigned message (domain separation).
pub const COSIGNATURE_HEADER: &str = "cosignature/v1";
/// Timestamps above this are refused (the spec's bound: a signed 64-bit time).
pub const MAX_TIMESTAMP: u64 = (1 << 63) - 1;

/// A key that may cosign checkpoints: a name (a schema-less URL such as
/// `custody/witness/<key id>`) and an Ed25519 public key.
#[derive(Clone, Debug)]
pub struct CosignerVerifier {
    pub name: String,
    pub id: [u8; 4],
    pub key: PublicKey,
}

/// Equal when name and Ed25519 key are.
impl PartialEq for CosignerVerifier {
    fn eq(&self, other: &CosignerVerifier) -> bool {
        self.name == other.name && self.id == other.id && self.key.ed25519_bytes() == other.key.ed25519_bytes()
    }
}

impl Eq for CosignerVerifier {}

impl CosignerVerifier {
    pub fn new(name: &str, key: &PublicKey) -> Result<CosignerVerifier, LedgerError> {
        if !check_name(name) {
            return Err(LedgerError::MalformedVerifierKey { what: "name must be non-empty without spaces or '+'" });
        }
        Ok(CosignerVerifier {
            name: name.to_owned(),
            id: cosigner_key_id(name, &key.ed25519_bytes()),
            key: key.clone(),
        })
    }

    /// Parse a vkey `<name>+<8 hex>+<base64(0x04 ‖ key)>`.
    pub fn parse(s: &str) -> Result<CosignerVerifier, LedgerError> {
        let (name, id, key) = parse_vkey(s, ALG_COSIGNATURE_V1)?;
        Ok(CosignerVerifier { name, id, key })
    }

    pub fn to_key_string(&self) -> String {
        vkey_string(&self.name, self.id, ALG_COSIGNATURE_V1, &self.key)
    }
}

/// First 4 bytes of SHA-256(name ‖ "\n" ‖ 0x04 ‖ public key).
pub fn cosigner_key_id(name: &str, ed25519: &[u8; 32]) -> [u8; 4] {
    key_id_for(name, ALG_COSIGNATURE_V1, ed25519)
}

/// The exact bytes a cosigner signs: `cosignature/v1\ntime <t>\n` ‖ note text.
pub fn cosigned_message(note_text: &str, timestamp: u64) -> Vec<u8> {
    format!("{COSIGNATURE_HEADER}\ntime {timestamp}\n{note_text}").into_bytes()
}

/// A cosignature that verified.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Cosignature {
    pub name: String,
    pub key_id: [u8; 4],
    /// POSIX seconds at which the cosigner signed.
    pub timestamp: u64,
}

/// The signature line a cosigner adds under `note_text`.
pub fn cosignature_line(note_text: &str, name: &str, key: &SecretKey, timestamp: u64) -> Result<String, LedgerError> {
    if timestamp > MAX_TIMESTAMP {
        return Err(LedgerError::MalformedNote { what: "cosignature timestamp above 2^63 - 1" });
    }
    let v = CosignerVerifier::new(name, &key.public_key())?;
    let mut blob = v.id.to_vec();
    blob.extend_from_slice(&timestamp.to_be_bytes());
    blob.extend_from_slice(&key.sign(&cosigned_message(note_text, timestamp)));
    Ok(format!("{DASH}{name} {}\n", STANDARD.encode(blob)))
}

/// Add `name`'s cosignature to a checkpoint note. An earlier cosignature by the same
/// key is replaced (its timestamp is stale); every other line is kept as it was.
pub fn add_cosignature(note: &str, name: &str, key: &SecretKey, timestamp: u64) -> Result<String, LedgerError> {
    let (text, sigs) = parse_note(note)?;
    Checkpoint::parse_body(text)?;
    let id = cosigner_key_id(name, &key.public_key().ed25519_bytes());
    let mut out = format!("{text}\n");
    for s in &sigs {
        if s.name == name && s.key_id == id {
            continue;
        }
        let mut blob = s.key_id.to_vec();
        blob.extend_from_slice(&s.signature);
        out.push_str(&format!("{DASH}{} {}\n", s.name, STANDARD.encode(blob)));
    }
    out.push_str(&cosignature_line(text, name, key, timestamp)?);
    Ok(out)
}

/// A checkpoint whose note verified: by the log's key, and by every known cosigner
/// whose line it carries.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct SignedCheckpoint {
    pub checkpoint: Checkpoint,
    /// The note exactly as given (text, blank line, signature lines).
    pub note: String,
    /// Key names of the log signatures that verified (normally just the origin).
    pub signed_by: Vec<String>,
    /// Cosignatures by known cosigners, all verified, in note order.
    pub cosignatures: Vec<Cosignature>,
}

impl SignedCheckpoint {
    /// The cosignature by `cosigner`, if it verified.
    pub fn cosigned_by(&self, cosigner: &CosignerVerifier) -> Option<&Cosignature> {
        self.cosignatures.iter().find(|c| c.name == cosigner.name && c.key_id == cosigner.id)
    }
}

/// Parse and verify a checkpoint note. Signatures by `log` keys (type 0x01) and by
/// `cosigners` (type 0x04) must all verify when present; lines by unknown keys are
/// ignored, as the signed-note spec requires; at least one `log` signature must be
/// there. The text must be a tlog-checkpoint body.
pub fn open_checkpoint(
    note: &str,
    log: &[NoteVerifier],
    cosigners: &[CosignerVerifier],
) -> Result<SignedCheckpoint, LedgerError> {
    let (text, sigs) = parse_note(note)?;
    let checkpoint = Checkpoint::parse_body(text)?;
    let mut signed_by: Vec<String> = Vec::new();
    let mut cosignatures: Vec<Cosignature> = Vec::new();
    for NoteSignature { name, key_id, signature } in &sigs {
        let bad = || LedgerError::BadNoteSignature { name: name.clone() };
        if let Some(v) = log.iter().find(|v| &v.name == name && v.id == *key_id) {
            let sig: [u8; 64] = signature.as_slice().try_into().map_err(|_| bad())?;
            v.key.verify(text.as_bytes(), &sig).map_err(|_| bad())?;
            if !signed_by.contains(name) {
                signed_by.push(name.clone());
            }
        } else if let Some(c) = cosigners.iter().find(|c| &c.name == name && c.id == *key_id) {
            if signature.len() != 72 {
                return Err(bad());
            }
            let timestamp = u64::from_be_bytes(signature[..8].try_into().map_err(|_| bad())?);
            if timestamp > MAX_TIMESTAMP {
                return Err(bad());
            }
            let sig: [u8; 64] = signature[8..].try_into().map_err(|_| bad())?;
            c.key.verify(&cosigned_message(text, timestamp), &sig).map_err(|_| bad())?;
            if !cosignatures.iter().any(|x| x.name == *name && x.key_id == *key_id) {
                cosignatures.push(Cosignature { name: name.clone(), key_id: *key_id, timestamp });
            }
        }
    }
    if signed_by.is_empty() {
        return Err(LedgerError::NoteNotVerified);
    }
    Ok(SignedCheckpoint { checkpoint, note: note.to_owned(), signed_by, cosignatures })
}

/// The cosignatures a note carries, with their timestamps, *without* verifying them
/// (to show evidence, or to find which cosigner to ask for). Lines that are not
/// 72-byte signatures are skipped.
pub fn unverified_cosignatures(note: &str) -> Result<Vec<Cosignature>, LedgerError> {
    let (_, sigs) = parse_note(note)?;
    Ok(sigs
        .iter()
        .filter(|s| s.signature.len() == 72)
        .filter_map(|s| {
            let timestamp = u64::from_be_bytes(s.signature[..8].try_into().ok()?);
            Some(Cosignature { name: s.name.clone(), key_id: s.key_id, timestamp })
        })
        .collect())
}

//! Checkpoints: the C2SP tlog-checkpoint body in a C2SP signed note.
//!
//! ```text
//! <origin>\n
//! <tree size, decimal>\n
//! <base64 Merkle root>\n
//! [extension lines]\n
//! \n
//! — <key name> <base64(key id (4) ‖ Ed25519 signature (64))>\n      (one line per signer)
//! ```
//!
//! The signature covers the text up to and including the newline before the last
//! blank line (a note's text may itself contain blank lines; a checkpoint's may not).
//! The note key id is the first 4 bytes of SHA-256(name ‖ "\n" ‖ 0x01 ‖ public key);
//! signature lines start with U+2014 (em dash) and a space. The ledger's owner signs
//! (key name = origin); the ward adds its timestamped C2SP tlog-cosignature
//! ([`crate::cosignature`]) after checking consistency with the last checkpoint it
//! holds. Verifier keys are written `<name>+<hex key id>+<base64(0x01 ‖ key)>` as in
//! Go's `golang.org/x/mod/sumdb/note`. Formats and test vectors: docs/checkpoint.md.

use base64::engine::general_purpose::STANDARD;
use base64::Engine;
use custody_keys::{KeyId, PublicKey, SecretKey};
use sha2::{Digest, Sha256};

use crate::{Hash, LedgerError};

/// The signature-type byte of Ed25519 note keys.
pub const ALG_ED25519: u8 = 0x01;
pub(crate) const DASH: &str = "\u{2014} ";
/// Notes with more signatures are refused (as in Go's implementation).
const MAX_SIGNATURES: usize = 100;

/// A tlog checkpoint body.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Checkpoint {
    /// Names the log, e.g. `custody.example/shinjuku/contractor-ledger`.
    pub origin: String,
    pub size: u64,
    pub root: Hash,
    /// Optional further lines (opaque to us, covered by the signatures).
    pub extensions: Vec<String>,
}

impl Checkpoint {
    /// The checkpoint of a tree: its size and RFC 6962 root.
    pub fn of_leaves(origin: &str, leaves: &[Hash]) -> Checkpoint {
        Checkpoint {
            origin: origin.to_owned(),
            size: leaves.len() as u64,
            root: crate::merkle::root(leaves),
            extensions: vec![],
        }
    }

    /// The signed note of this checkpoint, signed by the log's owner under the key name
    /// `origin` (tlog-checkpoint: the log's key name SHOULD match the origin line).
    pub fn sign(&self, key: &SecretKey) -> Result<String, LedgerError> {
        sign_note(&self.to_body(), &self.origin, key)
    }

    /// The note verifier of the log's owner for this origin.
    pub fn log_verifier(&self, key: &PublicKey) -> Result<NoteVerifier, LedgerError> {
        NoteVerifier::new(&self.origin, key)
    }

    pub fn to_body(&self) -> String {
        let mut s = format!("{}\n{}\n{}\n", self.origin, self.size, STANDARD.encode(self.root.0));
        for e in &self.extensions {
            s.push_str(e);
            s.push('\n');
        }
        s
    }

    pub fn parse_body(text: &str) -> Result<Checkpoint, LedgerError> {
        let bad = |what| LedgerError::MalformedCheckpoint { what };
        let body = text.strip_suffix('\n').ok_or(bad("does not end with a newline"))?;
        let mut lines = body.split('\n');
        let origin = lines.next().filter(|o| !o.is_empty()).ok_or(bad("origin"))?;
        let size_text = lines.next().ok_or(bad("size"))?;
        let canonical_decimal = !size_text.is_empty()
            && size_text.bytes().all(|b| b.is_ascii_digit())
            && (size_text == "0" || !size_text.starts_with('0'));
        if !canonical_decimal {
            return Err(bad("size is not a decimal number"));
        }
        let size = size_text.parse::<u64>().map_err(|_| bad("size"))?;
        let root_bytes = STANDARD.decode(lines.next().ok_or(bad("root"))?).map_err(|_| bad("root is not base64"))?;
        let root = Hash(root_bytes.try_into().map_err(|_| bad("root is not 32 bytes"))?);
        let extensions: Vec<String> = lines.map(str::to_owned).collect();
        if extensions.iter().any(String::is_empty) {
            return Err(bad("empty extension line"));
        }
        Ok(Checkpoint { origin: origin.to_owned(), size, root, extensions })
    }
}

/// First 4 bytes of SHA-256(name ‖ "\n" ‖ 0x01 ‖ public key).
pub fn note_key_id(name: &str, ed25519: &[u8; 32]) -> [u8; 4] {
    key_id_for(name, ALG_ED25519, ed25519)
}

/// First 4 bytes of SHA-256(name ‖ "\n" ‖ signature type ‖ public key): the key id
/// the signed-note spec recommends, for any signature type.
pub(crate) fn key_id_for(name: &str, alg: u8, ed25519: &[u8; 32]) -> [u8; 4] {
    let mut h = Sha256::new();
    h.update(name.as_bytes());
    h.update(b"\n");
    h.update([alg]);
    h.update(ed25519);
    let d = h.finalize();
    [d[0], d[1], d[2], d[3]]
}

/// Parse a verifier key `<name>+<8 hex>+<base64(alg ‖ key)>` of signature type `alg`.
pub(crate) fn parse_vkey(s: &str, alg: u8) -> Result<(String, [u8; 4], PublicKey), LedgerError> {
    let bad = |what| LedgerError::MalformedVerifierKey { what };
    let (name, rest) = s.split_once('+').ok_or(bad("no '+'"))?;
    let (hex, b64) = rest.split_once('+').ok_or(bad("no second '+'"))?;
    if !check_name(name) {
        return Err(bad("name"));
    }
    let id_ok = hex.len() == 8 && hex.bytes().all(|b| b.is_ascii_digit() || (b'a'..=b'f').contains(&b));
    if !id_ok {
        return Err(bad("key id is not 8 lowercase hex digits"));
    }
    let id = u32::from_str_radix(hex, 16).map_err(|_| bad("key id"))?.to_be_bytes();
    let raw = STANDARD.decode(b64).map_err(|_| bad("key is not base64"))?;
    if raw.len() != 33 || raw[0] != alg {
        return Err(bad("not an Ed25519 key of this signature type"));
    }
    let mut pk = [0u8; 32];
    pk.copy_from_slice(&raw[1..]);
    if key_id_for(name, alg, &pk) != id {
        return Err(bad("key id does not match name and key"));
    }
    // The minisign key id is not part of note keys; the note key id stands in.
    let mut kid = [0u8; 8];
    kid[..4].copy_from_slice(&id);
    let key = PublicKey::from_ed25519_bytes(KeyId(kid), &pk).map_err(|_| bad("key is not a curve point"))?;
    Ok((name.to_owned(), id, key))
}

/// The `<name>+<hex id>+<base64(alg ‖ key)>` form.
pub(crate) fn vkey_string(name: &str, id: [u8; 4], alg: u8, key: &PublicKey) -> String {
    let mut raw = vec![alg];
    raw.extend_from_slice(&key.ed25519_bytes());
    format!("{}+{:08x}+{}", name, u32::from_be_bytes(id), STANDARD.encode(raw))
}

pub(crate) fn check_name(name: &str) -> bool {
    !name.is_empty() && !name.contains('+') && !name.chars().any(char::is_whitespace)
}

/// A key that may sign notes: a name and an Ed25519 public key.
#[derive(Clone, Debug)]
pub struct NoteVerifier {
    pub name: String,
    pub id: [u8; 4],
    pub key: PublicKey,
}

/// Equal when name and Ed25519 key are: the minisign key id inside `key` is not part
/// of a note key.
impl PartialEq for NoteVerifier {
    fn eq(&self, other: &NoteVerifier) -> bool {
        self.name == other.name && self.id == other.id && self.key.ed25519_bytes() == other.key.ed25519_bytes()
    }
}

impl Eq for NoteVerifier {}

impl NoteVerifier {
    pub fn new(name: &str, key: &PublicKey) -> Result<NoteVerifier, LedgerError> {
        if !check_name(name) {
            return Err(LedgerError::MalformedVerifierKey { what: "name must be non-empty without spaces or '+'" });
        }
        Ok(NoteVerifier { name: name.to_owned(), id: note_key_id(name, &key.ed25519_bytes()), key: key.clone() })
    }

    /// Parse `<name>+<8 hex>+<base64(0x01 ‖ key)>`.
    pub fn parse(s: &str) -> Result<NoteVerifier, LedgerError> {
        let (name, id, key) = parse_vkey(s, ALG_ED25519)?;
        Ok(NoteVerifier { name, id, key })
    }

    /// The `<name>+<hex id>+<base64>` form.
    pub fn to_key_string(&self) -> String {
        vkey_string(&self.name, self.id, ALG_ED25519, &self.key)
    }
}

fn check_chars(note: &str) -> Result<(), LedgerError> {
    if note.chars().any(|c| (c as u32) < 0x20 && c != '\n') {
        return Err(LedgerError::MalformedNote { what: "note contains control characters" });
    }
    Ok(())
}

/// The note text ends in a newline. It may contain blank lines: the text is separated
/// from the signatures by the *last* blank line of the note.
fn check_text(text: &str) -> Result<(), LedgerError> {
    let bad = |what| LedgerError::MalformedNote { what };
    if !text.ends_with('\n') {
        return Err(bad("text does not end with a newline"));
    }
    check_chars(text)
}

/// The signature line `name` and `key` put under `text`.
pub fn signature_line(text: &str, name: &str, key: &SecretKey) -> Result<String, LedgerError> {
    check_text(text)?;
    let v = NoteVerifier::new(name, &key.public_key())?;
    let mut blob = v.id.to_vec();
    blob.extend_from_slice(&key.sign(text.as_bytes()));
    Ok(format!("{DASH}{name} {}\n", STANDARD.encode(blob)))
}

/// A signed note: `text`, a blank line, one signature line.
pub fn sign_note(text: &str, name: &str, key: &SecretKey) -> Result<String, LedgerError> {
    Ok(format!("{text}\n{}", signature_line(text, name, key)?))
}

/// Add a second plain Ed25519 note signature (type 0x01) to an existing note. The
/// ward's witness statement is a timestamped C2SP tlog-cosignature instead:
/// [`crate::cosignature::add_cosignature`].
pub fn cosign_note(note: &str, name: &str, key: &SecretKey) -> Result<String, LedgerError> {
    let (text, _) = parse_note(note)?;
    Ok(format!("{note}{}", signature_line(text, name, key)?))
}

/// One signature line of a note, of any signature type: the key name, the 4-byte key
/// id and the signature bytes that follow it (64 for Ed25519 notes, 72 for
/// timestamped cosignatures, other lengths for types we do not know).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct NoteSignature {
    pub name: String,
    pub key_id: [u8; 4],
    pub signature: Vec<u8>,
}

/// Longest note accepted (bytes): bounds memory and work for hostile input while
/// leaving room for the 16 signatures the spec says a verifier must accept, even
/// post-quantum ones.
pub const MAX_NOTE: usize = 64 * 1024;

/// Split a note into its text and its signature lines, checking only the syntax
/// (C2SP signed-note): the text ends at the last blank line, every line after it is
/// `— <name> <base64(key id ‖ signature)>`. No signature is verified here.
pub fn parse_note(note: &str) -> Result<(&str, Vec<NoteSignature>), LedgerError> {
    let bad = |what| LedgerError::MalformedNote { what };
    if note.len() > MAX_NOTE {
        return Err(bad("note is too long"));
    }
    check_chars(note)?;
    let at = note.rfind("\n\n").ok_or(bad("no blank line before signatures"))?;
    let (text, sigs) = (&note[..at + 1], &note[at + 2..]);
    check_text(text)?;
    let sigs = sigs.strip_suffix('\n').ok_or(bad("signatures do not end with a newline"))?;
    let mut out = Vec::new();
    for line in sigs.split('\n') {
        let rest = line.strip_prefix(DASH).ok_or(bad("signature line must start with '— '"))?;
        let (name, b64) = rest.split_once(' ').ok_or(bad("signature line"))?;
        if !check_name(name) {
            return Err(bad("signature name"));
        }
        let raw = STANDARD.decode(b64).map_err(|_| bad("signature is not base64"))?;
        if raw.len() < 5 {
            return Err(bad("signature is shorter than a key id"));
        }
        if out.len() == MAX_SIGNATURES {
            return Err(bad("too many signatures"));
        }
        let mut key_id = [0u8; 4];
        key_id.copy_from_slice(&raw[..4]);
        out.push(NoteSignature { name: name.to_owned(), key_id, signature: raw[4..].to_vec() });
    }
    Ok((text, out))
}

/// Verify a note against known keys: every signature by a known key must verify,
/// signatures by unknown keys are ignored, at least one must be known. Returns the
/// text and the names that signed it.
pub fn open_note<'a>(note: &'a str, verifiers: &[NoteVerifier]) -> Result<(&'a str, Vec<String>), LedgerError> {
    let (text, sigs) = parse_note(note)?;
    let mut signed_by = Vec::new();
    for NoteSignature { name, key_id, signature } in &sigs {
        let Some(v) = verifiers.iter().find(|v| &v.name == name && v.id == *key_id) else {
            continue;
        };
        let sig: [u8; 64] =
            signature.as_slice().try_into().map_err(|_| LedgerError::BadNoteSignature { name: name.clone() })?;
        v.key.verify(text.as_bytes(), &sig).map_err(|_| LedgerError::BadNoteSignature { name: name.clone() })?;
        if !signed_by.contains(name) {
            signed_by.push(name.clone());
        }
    }
    if signed_by.is_empty() {
        return Err(LedgerError::NoteNotVerified);
    }
    Ok((text, signed_by))
}
